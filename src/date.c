/* date.c: calendar dates and year-months as users type them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"
#include "util.h"

#define DATE_MIN_YEAR	1900
#define DATE_MAX_YEAR	2099

/* How the user wrote the date; the error hint uses the same style. */
enum date_style {
	STYLE_DASH,
	STYLE_DOT,
	STYLE_SLASH,
	STYLE_DIGITS,
	STYLE_CN
};

static const char *const date_examples[] = {
	"2020-12-21", "2020.12.21", "2020/12/21", "20201221", "2020年12月21日"
};
static const char *const month_examples[] = {
	"2020-12", "2020.12", "2020/12", "202012", "2020年12月"
};

/* What the scanner found, before any range checks. */
struct date_scan {
	enum date_style	 style;
	int		 ylen;	/* digits in the year */
	int		 y, m, d;
	bool		 has_month;
	bool		 has_day;
	const char	*rest;	/* anything after a complete form */
};

/* Reads 1..max decimal digits; returns how many, 0 when there are none
 * or too many (a longer run is not a form we accept). */
static int
scan_digits(const char **pp, int max, int *val)
{
	const char *p = *pp;
	int n = 0, v = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > max)
			return 0;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n > 0) {
		*val = v;
		*pp = p;
	}
	return n;
}

static bool
skip_str(const char **pp, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*pp, lit, n) != 0)
		return false;
	*pp += n;
	return true;
}

/* Recognises the shape of the input (already half-width and trimmed).
 * Returns false when it is not any accepted form at all. */
static bool
date_scan(const char *t, struct date_scan *sc)
{
	const char *p = t, *q;
	int n, v;
	char sep;

	memset(sc, 0, sizeof *sc);
	q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	n = q - p;
	if (n == 0)
		return false;

	/* YYYYMMDD and YYYYMM. */
	if (n == 8 || n == 6) {
		sc->style = STYLE_DIGITS;
		sc->ylen = 4;
		sc->y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
		    (p[2] - '0') * 10 + (p[3] - '0');
		sc->m = (p[4] - '0') * 10 + (p[5] - '0');
		sc->has_month = true;
		if (n == 8) {
			sc->d = (p[6] - '0') * 10 + (p[7] - '0');
			sc->has_day = true;
		}
		sc->rest = q;
		return true;
	}
	if (n > 4)
		return false;
	sc->ylen = n;
	sc->y = 0;
	for (; p < q; p++)
		sc->y = sc->y * 10 + (*p - '0');

	/* A year alone: say what is missing rather than "not a date". */
	if (n == 4 && *p == '\0') {
		sc->style = STYLE_DASH;
		sc->rest = p;
		return true;
	}
	sc->has_month = true;

	/* YYYY年M月[D日]. */
	if (skip_str(&p, "年")) {
		sc->style = STYLE_CN;
		if (scan_digits(&p, 2, &sc->m) == 0 || !skip_str(&p, "月"))
			return false;
		if (scan_digits(&p, 2, &v) != 0) {
			sc->d = v;
			sc->has_day = true;
			skip_str(&p, "日");
		} else if ((*p >= '0' && *p <= '9') || skip_str(&p, "日"))
			return false;	/* three or more digits, or 月日 */
		sc->rest = p;
		return true;
	}

	/* YYYY-M[-D], YYYY.M[.D], YYYY/M[/D]. */
	sep = *p;
	if (sep == '-')
		sc->style = STYLE_DASH;
	else if (sep == '.')
		sc->style = STYLE_DOT;
	else if (sep == '/')
		sc->style = STYLE_SLASH;
	else
		return false;
	p++;
	if (scan_digits(&p, 2, &sc->m) == 0)
		return false;
	if (*p == sep) {
		p++;
		if (scan_digits(&p, 2, &sc->d) == 0)
			return false;
		sc->has_day = true;
	} else if (*p == '-' || *p == '.' || *p == '/')
		return false;	/* mixed separators */
	sc->rest = p;
	return true;
}

/* The input as quoted in messages: trimmed, and shortened when long so
 * that the message still fits on a status line. */
static char *
date_quote(const char *in)
{
	char *t, *s;
	size_t w;

	t = text_trim(in);
	if (text_width(t, TEXT_SCREEN) <= 40)
		return t;
	s = text_truncate(t, 36, TEXT_SCREEN, &w);
	free(t);
	t = xasprintf("%s……", s);
	free(s);
	return t;
}

/* Shared by date_parse() and date_parse_month(): want_day says which. */
static int
date_parse_any(const char *in, struct date *out, char **errp, bool want_day)
{
	const char *what = want_day ? "日期" : "年月";
	const char *const *examples = want_day ? date_examples : month_examples;
	struct date_scan sc;
	char *h, *t, *q = NULL;
	const char *hint;
	int dim, rc = CX_ERR;

	if (in == NULL)
		in = "";
	if (!text_utf8_valid(in, strlen(in)))
		return err_set(errp, "填写的%s中有无法识别的字符（编码不正确）。"
		    "请按 %s 的格式重新填写。", what, examples[0]);
	h = text_to_halfwidth(in);
	t = text_trim(h);
	free(h);
	if (*t == '\0') {
		err_set(errp, "请填写%s。", what);
		goto out;
	}
	q = date_quote(in);
	if (!date_scan(t, &sc)) {
		if (want_day)
			err_set(errp, "“%s”不是日期。请按 2020-12-21、2020.12.21、"
			    "2020/12/21、20201221 或 2020年12月21日 的格式填写。",
			    q);
		else
			err_set(errp, "“%s”不是年月。请按 2020-12、2020.12、"
			    "2020/12、202012 或 2020年12月 的格式填写。", q);
		goto out;
	}
	hint = examples[sc.style];
	if (sc.has_day)
		what = "日期";
	if (*sc.rest != '\0') {
		while (*sc.rest == ' ')
			sc.rest++;
		err_set(errp, "“%s”不是有效%s：%s后面多了“%s”。请按 %s 的格式填写。",
		    q, what, what, sc.rest, hint);
		goto out;
	}
	if (!sc.has_month) {
		if (want_day)
			err_set(errp, "“%s”不是完整的日期：缺少月和日。"
			    "请按 %s 的格式填写。", q, hint);
		else
			err_set(errp, "“%s”不是完整的年月：缺少月。"
			    "请按 %s 的格式填写。", q, hint);
		goto out;
	}
	if (sc.ylen != 4) {
		err_set(errp, "“%s”不是有效%s：年份应写满四位，如 2020。"
		    "请按 %s 的格式填写。", q, what, hint);
		goto out;
	}
	if (sc.y < DATE_MIN_YEAR || sc.y > DATE_MAX_YEAR) {
		err_set(errp, "“%s”不是有效%s：年份应在 %d 到 %d 之间。"
		    "请按 %s 的格式填写。", q, what, DATE_MIN_YEAR, DATE_MAX_YEAR,
		    hint);
		goto out;
	}
	if (sc.m < 1 || sc.m > 12) {
		err_set(errp, "“%s”不是有效%s：月份应在 1 到 12 之间。"
		    "请按 %s 的格式填写。", q, what, hint);
		goto out;
	}
	if (want_day && !sc.has_day) {
		err_set(errp, "“%s”不是完整的日期：缺少日。请按 %s 的格式填写。",
		    q, hint);
		goto out;
	}
	if (sc.has_day) {
		dim = date_days_in_month(sc.y, sc.m);
		if (sc.d < 1) {
			err_set(errp, "“%s”不是有效日期：日应在 1 到 %d 之间。"
			    "请按 %s 的格式填写。", q, dim, hint);
			goto out;
		}
		if (sc.d > dim) {
			err_set(errp, "“%s”不是有效日期：%d年%d月只有 %d 天。",
			    q, sc.y, sc.m, dim);
			goto out;
		}
	}
	out->y = sc.y;
	out->m = sc.m;
	out->d = want_day ? sc.d : 0;
	rc = CX_OK;
out:
	free(q);
	free(t);
	return rc;
}

int
date_parse(const char *in, struct date *out, char **errp)
{
	return date_parse_any(in, out, errp, true);
}

int
date_parse_month(const char *in, struct date *out, char **errp)
{
	return date_parse_any(in, out, errp, false);
}

/* A day of 0 is a year-month and is valid on its own. */
bool
date_valid(const struct date *d)
{
	if (d->y < DATE_MIN_YEAR || d->y > DATE_MAX_YEAR)
		return false;
	if (d->m < 1 || d->m > 12)
		return false;
	return d->d == 0 ||
	    (d->d >= 1 && d->d <= date_days_in_month(d->y, d->m));
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_days_in_month(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

int
date_cmp(const struct date *a, const struct date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static char *
put_digits(char *p, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* Written digit by digit so that out-of-range fields can never overflow
 * the fixed buffer. */
void
date_format(const struct date *d, char out[11])
{
	char *p = out;

	p = put_digits(p, clamp(d->y, 0, 9999), 4);
	*p++ = '-';
	p = put_digits(p, clamp(d->m, 0, 99), 2);
	if (d->d != 0) {
		*p++ = '-';
		p = put_digits(p, clamp(d->d, 0, 99), 2);
	}
	*p = '\0';
}

void
date_format_cn(const struct date *d, char out[32])
{
	int y = clamp(d->y, 0, 9999), m = clamp(d->m, 0, 99);

	if (d->d != 0)
		snprintf(out, 32, "%d年%d月%d日", y, m, clamp(d->d, 0, 99));
	else
		snprintf(out, 32, "%d年%d月", y, m);
}

/* Proleptic Gregorian day numbers (H. Hinnant's days_from_civil).  A
 * year-month (day 0) counts as the first of the month. */
long
date_to_days(const struct date *d)
{
	long y = d->y, m = d->m, dd = d->d ? d->d : 1;
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_from_days(long days, struct date *out)
{
	long z = days + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	out->y = (int)(y + (m <= 2));
	out->m = (int)m;
	out->d = (int)d;
}
