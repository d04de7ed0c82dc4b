/* test_model.c: half-year periods, the clock and organisation rules. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tap.h"

/* A fake store of three orgs for model_check. */
static struct record *orgs[4];

static int
fake_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	(void)arg;
	(void)errp;
	if (strcmp(kind, "org") != 0 || id < 1 || id > 3)
		return CX_NOTFOUND;
	*out = record_copy(orgs[id]);
	return CX_OK;
}

static struct record *
org(const char *name, const char *type, const char *parent)
{
	struct record *r = record_new();

	record_set(r, "name", name);
	record_set(r, "type", type);
	record_set(r, "parent_id", parent);
	return r;
}

int
main(void)
{
	struct period p;
	struct date d, due, first, last;
	struct strlist pr;
	struct record *r;
	char buf[32], *err = NULL;

	d = (struct date){ 2026, 6, 30 };
	model_period_of(&d, &p);
	is_int(p.half, 1, "June is in 上半年");
	d = (struct date){ 2026, 7, 1 };
	model_period_of(&d, &p);
	is_int(p.half, 2, "July is in 下半年");
	model_period_due(&p, &due);
	ok(due.y == 2027 && due.m == 1 && due.d == 15,
	    "下半年 is filed by 15 January of the next year");
	p.half = 1;
	model_period_due(&p, &due);
	ok(due.y == 2026 && due.m == 7 && due.d == 15,
	    "上半年 is filed by 15 July");
	model_period_label(&p, buf);
	is_str(buf, "2026年上半年", "label");
	model_period_code(&p, buf);
	is_str(buf, "2026H1", "code");
	model_period_next(&p);
	ok(p.year == 2026 && p.half == 2, "next of H1 is H2");
	model_period_next(&p);
	ok(p.year == 2027 && p.half == 1, "next of H2 is next year's H1");
	model_period_prev(&p);
	ok(p.year == 2026 && p.half == 2, "prev");
	model_period_range(&p, &first, &last);
	ok(first.m == 7 && first.d == 1 && last.m == 12 && last.d == 31,
	    "range of H2");

	ok(model_period_parse("2025H2", &p, &err) == CX_OK &&
	    p.year == 2025 && p.half == 2, "parse 2025H2");
	ok(model_period_parse("２０２５年上半年", &p, &err) == CX_OK &&
	    p.year == 2025 && p.half == 1, "parse full-width 年上半年");
	ok(model_period_parse("2025-2", &p, &err) == CX_OK && p.half == 2,
	    "parse 2025-2");
	ok(model_period_parse("2025H3", &p, &err) == CX_ERR, "reject H3");
	is_str(err, "“2025H3”不是有效的周期。请写成 2026H2 或 2026年下半年。",
	    "period message");
	free(err);
	err = NULL;

	setenv("CXZY_NOW", "2026-11-27 10:20:30", 1);
	model_today(&d);
	ok(d.y == 2026 && d.m == 11 && d.d == 27, "CXZY_NOW fixes today");
	{
		char now[20];

		model_now_string(now);
		is_str(now, "2026-11-27 10:20:30", "CXZY_NOW fixes the time");
	}

	orgs[1] = org("机关党委", "committee", NULL);
	orgs[2] = org("办公室党支部", "branch", "1");
	orgs[3] = org("第一党小组", "group", "2");
	strlist_init(&pr);
	r = org("新党支部", "branch", "1");
	is_int(model_check(NULL, "org", r, fake_lookup, NULL, &pr), 0,
	    "branch under the committee is fine");
	record_free(r);
	r = org("错党小组", "group", "1");
	is_int(model_check(NULL, "org", r, fake_lookup, NULL, &pr), 1,
	    "group under the committee is refused");
	is_str(pr.n ? pr.v[0] : NULL, "上级组织：group的上级应是branch。",
	    "message without forms falls back to codes");
	record_free(r);
	strlist_free(&pr);
	r = org("孤立党支部", "branch", NULL);
	is_int(model_check(NULL, "org", r, fake_lookup, NULL, &pr), 1,
	    "branch without parent is refused");
	record_free(r);
	strlist_free(&pr);
	r = org("机关党委二", "committee", "1");
	is_int(model_check(NULL, "org", r, fake_lookup, NULL, &pr), 1,
	    "committee with a parent is refused");
	is_str(pr.n ? pr.v[0] : NULL, "上级组织：机关党委不设上级组织，请留空。",
	    "committee message");
	record_free(r);
	strlist_free(&pr);

	r = record_new();
	record_set(r, "name", "张三");
	record_set(r, "branch_id", "2");
	record_set(r, "group_id", "3");
	is_int(model_check(NULL, "member", r, fake_lookup, NULL, &pr), 0,
	    "member in a group of his branch is fine");
	record_set(r, "branch_id", "5");
	is_int(model_check(NULL, "member", r, fake_lookup, NULL, &pr), 1,
	    "member in a group of another branch is refused");
	is_str(pr.n ? pr.v[0] : NULL, "所属党小组：“第一党小组”不属于所选的党支部。",
	    "member message");
	record_free(r);
	strlist_free(&pr);
	record_free(orgs[1]);
	record_free(orgs[2]);
	record_free(orgs[3]);
	return tap_done();
}
