/* test_date.c: date and year-month parsing, formatting, day numbers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "tap.h"
#include "util.h"

#define FMT_HINT "请按 2020-12-21、2020.12.21、2020/12/21、20201221 或 " \
	"2020年12月21日 的格式填写。"

/* Parses a date that must be accepted and compares the canonical form. */
static void
date_ok(const char *in, const char *want)
{
	struct date d = { 0, 0, 0 };
	char out[11], *err = NULL;
	int rc;

	rc = date_parse(in, &d, &err);
	date_format(&d, out);
	if (!ok(rc == CX_OK && strcmp(out, want) == 0, "date \"%s\" is %s",
	    in, want))
		printf("#   rc %d, got %s, error %s\n", rc, out,
		    err ? err : "(none)");
	free(err);
}

/* Parses a date that must be rejected; checks the message when want is
 * not NULL, and that there is some message otherwise. */
static void
date_bad(const char *in, const char *want)
{
	struct date d = { 7, 7, 7 };
	char *err = NULL;
	int rc;

	rc = date_parse(in, &d, &err);
	ok(rc == CX_ERR && err != NULL && *err != '\0',
	    "date \"%s\" rejected", in);
	if (want != NULL)
		is_str(err, want, "date \"%s\" message", in);
	else if (err != NULL)
		printf("#   %s\n", err);
	free(err);
}

static void
month_ok(const char *in, const char *want)
{
	struct date d = { 0, 0, 0 };
	char out[11], *err = NULL;
	int rc;

	rc = date_parse_month(in, &d, &err);
	date_format(&d, out);
	if (!ok(rc == CX_OK && strcmp(out, want) == 0 && d.d == 0,
	    "month \"%s\" is %s", in, want))
		printf("#   rc %d, got %s, error %s\n", rc, out,
		    err ? err : "(none)");
	free(err);
}

static void
month_bad(const char *in, const char *want)
{
	struct date d;
	char *err = NULL;
	int rc;

	rc = date_parse_month(in, &d, &err);
	ok(rc == CX_ERR && err != NULL && *err != '\0',
	    "month \"%s\" rejected", in);
	if (want != NULL)
		is_str(err, want, "month \"%s\" message", in);
	else if (err != NULL)
		printf("#   %s\n", err);
	free(err);
}

static void
test_parse(void)
{
	date_ok("2020-12-21", "2020-12-21");
	date_ok("2020.12.21", "2020-12-21");
	date_ok("2020/12/21", "2020-12-21");
	date_ok("20201221", "2020-12-21");
	date_ok("2020年12月21日", "2020-12-21");
	date_ok("2020年12月21", "2020-12-21");
	date_ok("2020-1-5", "2020-01-05");
	date_ok("2020.1.05", "2020-01-05");
	date_ok("2020/01/5", "2020-01-05");
	date_ok("2020年1月5日", "2020-01-05");
	date_ok("２０２０－１２－２１", "2020-12-21");
	date_ok("２０２０年１２月２１日", "2020-12-21");
	date_ok("２０２０．１．５", "2020-01-05");
	date_ok("  2020-12-21\t", "2020-12-21");
	date_ok("\xe3\x80\x80" "2020-12-21" "\xe3\x80\x80", "2020-12-21");
	date_ok("1900-01-01", "1900-01-01");
	date_ok("2099-12-31", "2099-12-31");
	date_ok("2020-02-29", "2020-02-29");
	date_ok("2000-02-29", "2000-02-29");
	date_ok("2021-02-28", "2021-02-28");

	date_bad("2021-02-29", "“2021-02-29”不是有效日期：2021年2月只有 28 天。");
	date_bad("1900-02-29", "“1900-02-29”不是有效日期：1900年2月只有 28 天。");
	date_bad("2020-13-01", "“2020-13-01”不是有效日期：月份应在 1 到 12 之间。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("2020年13月1日", "“2020年13月1日”不是有效日期：月份应在 1 到 "
	    "12 之间。请按 2020年12月21日 的格式填写。");
	date_bad("2020-00-10", NULL);
	date_bad("2020-12-00", "“2020-12-00”不是有效日期：日应在 1 到 31 之间。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("2020-12-32", "“2020-12-32”不是有效日期：2020年12月只有 31 天。");
	date_bad("2020-04-31", "“2020-04-31”不是有效日期：2020年4月只有 30 天。");
	date_bad("20201232", NULL);
	date_bad("1899-12-31", "“1899-12-31”不是有效日期：年份应在 1900 到 2099 "
	    "之间。请按 2020-12-21 的格式填写。");
	date_bad("2100-01-01", NULL);
	date_bad("20-12-21", "“20-12-21”不是有效日期：年份应写满四位，如 2020。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("明天", "“明天”不是日期。" FMT_HINT);
	date_bad("abc", "“abc”不是日期。" FMT_HINT);
	date_bad("", "请填写日期。");
	date_bad("  \xe3\x80\x80 ", "请填写日期。");
	date_bad(NULL, "请填写日期。");
	date_bad("2020-12-21x", "“2020-12-21x”不是有效日期：日期后面多了“x”。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("2020-12-21 10:00", "“2020-12-21 10:00”不是有效日期："
	    "日期后面多了“10:00”。请按 2020-12-21 的格式填写。");
	date_bad("20201221x", NULL);
	date_bad("2020-12", "“2020-12”不是完整的日期：缺少日。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("202012", NULL);
	date_bad("2020年12月", NULL);
	date_bad("2020", "“2020”不是完整的日期：缺少月和日。"
	    "请按 2020-12-21 的格式填写。");
	date_bad("2020-12/21", NULL);
	date_bad("2020-123-1", NULL);
	date_bad("2020-12-123", NULL);
	date_bad("2020121", NULL);
	date_bad("202012211", NULL);
	date_bad("2020 12 21", NULL);
	date_bad("2020--12-21", NULL);
	date_bad("-2020-12-21", NULL);
	date_bad("2020年12月日", NULL);
	date_bad("2020-12-21日", NULL);
	date_bad("2020\xff-12-21", NULL);
	date_bad("\xe4\xb8", "填写的日期中有无法识别的字符（编码不正确）。"
	    "请按 2020-12-21 的格式重新填写。");
	date_bad("\xed\xa0\x80", NULL);
}

static void
test_parse_month(void)
{
	month_ok("2020-12", "2020-12");
	month_ok("2020.12", "2020-12");
	month_ok("2020/12", "2020-12");
	month_ok("202012", "2020-12");
	month_ok("2020年12月", "2020-12");
	month_ok("2020-1", "2020-01");
	month_ok("2020年1月", "2020-01");
	month_ok("２０２０．０３", "2020-03");
	month_ok("2020-12-21", "2020-12");
	month_ok("20201221", "2020-12");
	month_ok("2020年12月21日", "2020-12");
	month_ok("1900-01", "1900-01");

	month_bad("2020-13", "“2020-13”不是有效年月：月份应在 1 到 12 之间。"
	    "请按 2020-12 的格式填写。");
	month_bad("202000", NULL);
	month_bad("1899-12", NULL);
	month_bad("", "请填写年月。");
	month_bad("去年", "“去年”不是年月。请按 2020-12、2020.12、2020/12、"
	    "202012 或 2020年12月 的格式填写。");
	month_bad("2020-12x", NULL);
	month_bad("2020", "“2020”不是完整的年月：缺少月。"
	    "请按 2020-12 的格式填写。");
	month_bad("2021-02-29", "“2021-02-29”不是有效日期：2021年2月只有 28 天。");
}

static void
test_misc(void)
{
	struct date a = { 2020, 12, 21 }, b = { 2020, 12, 22 },
	    c = { 2021, 1, 1 }, m = { 2020, 12, 0 }, bad = { 2021, 2, 29 };
	char out[32];

	ok(date_cmp(&a, &b) < 0, "cmp: earlier day");
	ok(date_cmp(&b, &a) > 0, "cmp: later day");
	ok(date_cmp(&a, &a) == 0, "cmp: same");
	ok(date_cmp(&b, &c) < 0, "cmp: across years");
	ok(date_cmp(&m, &a) < 0, "cmp: year-month sorts before its days");

	ok(date_valid(&a), "valid date");
	ok(date_valid(&m), "valid year-month");
	ok(!date_valid(&bad), "2021-02-29 invalid");
	is_int(date_days_in_month(2020, 2), 29, "days in 2020-02");
	is_int(date_days_in_month(2021, 2), 28, "days in 2021-02");
	is_int(date_days_in_month(1900, 2), 28, "days in 1900-02");
	is_int(date_days_in_month(2000, 2), 29, "days in 2000-02");
	is_int(date_days_in_month(2020, 4), 30, "days in 2020-04");
	is_int(date_days_in_month(2020, 13), 0, "days in month 13");

	date_format(&a, out);
	is_str(out, "2020-12-21", "format date");
	date_format(&m, out);
	is_str(out, "2020-12", "format year-month");
	date_format_cn(&a, out);
	is_str(out, "2020年12月21日", "format_cn date");
	date_format_cn(&m, out);
	is_str(out, "2020年12月", "format_cn year-month");
	a.m = 1;
	a.d = 5;
	date_format(&a, out);
	is_str(out, "2020-01-05", "format pads with zeros");
	date_format_cn(&a, out);
	is_str(out, "2020年1月5日", "format_cn does not pad");
}

static void
test_days(void)
{
	struct date d = { 1970, 1, 1 }, e, cur;
	long n, first, last;
	int bad = 0;

	is_int(date_to_days(&d), 0, "1970-01-01 is day 0");
	d = (struct date){ 2000, 3, 1 };
	is_int(date_to_days(&d), 11017, "2000-03-01 is day 11017");
	d = (struct date){ 1969, 12, 31 };
	is_int(date_to_days(&d), -1, "1969-12-31 is day -1");
	d = (struct date){ 1900, 1, 1 };
	is_int(date_to_days(&d), -25567, "1900-01-01 is day -25567");
	d = (struct date){ 2020, 12, 21 };
	is_int(date_to_days(&d), 18617, "2020-12-21 is day 18617");
	date_from_days(11017, &e);
	ok(e.y == 2000 && e.m == 3 && e.d == 1, "day 11017 is 2000-03-01");
	date_from_days(-1, &e);
	ok(e.y == 1969 && e.m == 12 && e.d == 31, "day -1 is 1969-12-31");

	/* Walk every day from 1900 to 2099 by hand and compare. */
	cur = (struct date){ 1900, 1, 1 };
	first = date_to_days(&cur);
	last = date_to_days(&(struct date){ 2099, 12, 31 });
	for (n = first; n <= last; n++) {
		date_from_days(n, &e);
		if (date_cmp(&e, &cur) != 0 || date_to_days(&cur) != n ||
		    !date_valid(&e)) {
			if (bad++ < 5)
				printf("#   day %ld: got %d-%d-%d, want "
				    "%d-%d-%d\n", n, e.y, e.m, e.d, cur.y,
				    cur.m, cur.d);
		}
		if (++cur.d > date_days_in_month(cur.y, cur.m)) {
			cur.d = 1;
			if (++cur.m > 12) {
				cur.m = 1;
				cur.y++;
			}
		}
	}
	is_int(bad, 0, "every day 1900..2099 round-trips");
	is_int(last - first + 1, 73049, "1900..2099 has 73049 days");
}

int
main(void)
{
	test_parse();
	test_parse_month();
	test_misc();
	test_days();
	return tap_done();
}
