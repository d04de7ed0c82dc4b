/* model.c: organisation rules and the half-year calendar. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "text.h"

void
model_period_of(const struct date *d, struct period *out)
{
	out->year = d->y;
	out->half = d->m <= 6 ? 1 : 2;
}

void
model_period_due(const struct period *p, struct date *out)
{
	if (p->half == 1) {
		out->y = p->year;
		out->m = 7;
	} else {
		out->y = p->year + 1;
		out->m = 1;
	}
	out->d = MODEL_FILING_DAY;
}

void
model_period_label(const struct period *p, char out[32])
{
	snprintf(out, 32, "%d年%s", p->year, p->half == 1 ? "上半年" : "下半年");
}

void
model_period_code(const struct period *p, char out[16])
{
	snprintf(out, 16, "%dH%d", p->year, p->half);
}

int
model_period_parse(const char *s, struct period *out, char **errp)
{
	char *t, *h;
	int year, n = 0, ok = 0;
	char rest[64];

	h = text_to_halfwidth(s);
	t = text_trim(h);
	free(h);
	rest[0] = '\0';
	if (sscanf(t, "%4d%63s%n", &year, rest, &n) == 2 && t[n] == '\0') {
		if (strcmp(rest, "H1") == 0 || strcmp(rest, "h1") == 0 ||
		    strcmp(rest, "-1") == 0 || strcmp(rest, "年上半年") == 0)
			ok = 1;
		else if (strcmp(rest, "H2") == 0 || strcmp(rest, "h2") == 0 ||
		    strcmp(rest, "-2") == 0 || strcmp(rest, "年下半年") == 0)
			ok = 2;
	}
	if (!ok || year < 1900 || year > 2099) {
		err_set(errp, "“%s”不是有效的周期。请写成 2026H2 或 2026年下半年。",
		    t);
		free(t);
		return CX_ERR;
	}
	free(t);
	out->year = year;
	out->half = ok;
	return CX_OK;
}

void
model_period_next(struct period *p)
{
	if (p->half == 1)
		p->half = 2;
	else {
		p->half = 1;
		p->year++;
	}
}

void
model_period_prev(struct period *p)
{
	if (p->half == 2)
		p->half = 1;
	else {
		p->half = 2;
		p->year--;
	}
}

void
model_period_range(const struct period *p, struct date *first,
    struct date *last)
{
	first->y = last->y = p->year;
	first->d = 1;
	if (p->half == 1) {
		first->m = 1;
		last->m = 6;
		last->d = 30;
	} else {
		first->m = 7;
		last->m = 12;
		last->d = 31;
	}
}

/* Tests and demos need a fixed clock; CXZY_NOW gives one. */
time_t
model_now(void)
{
	const char *s = getenv("CXZY_NOW");
	struct tm tm;
	int n;

	if (s == NULL || *s == '\0')
		return time(NULL);
	memset(&tm, 0, sizeof tm);
	n = sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	if (n != 3 && n != 6)
		return time(NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

void
model_today(struct date *out)
{
	time_t t = model_now();
	struct tm tm;

	localtime_r(&t, &tm);
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
}

void
model_now_string(char out[20])
{
	time_t t = model_now();
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Fetches the referenced org named by field id of r; NULL when empty,
 * missing or on error (reference existence is form_validate's job). */
static struct record *
model_ref(const struct record *r, const char *id, form_lookup_fn lookup,
    void *arg)
{
	const char *v = record_get(r, id);
	struct record *o = NULL;
	uint64_t oid;

	if (v == NULL || !util_parse_id(v, &oid) || lookup == NULL)
		return NULL;
	if (lookup(arg, "org", oid, &o, NULL) != CX_OK)
		return NULL;
	return o;
}

static const char *
model_opt_label(const struct formset *fs, const char *code)
{
	const struct form *f = fs ? formset_find(fs, "org") : NULL;
	const struct form_field *ff = f ? form_field_find(f, "type") : NULL;
	const struct form_option *o = ff ? form_option_find(ff, code) : NULL;

	return o ? o->label : code;
}

static size_t
model_check_org(const struct formset *fs, const struct record *r,
    form_lookup_fn lookup, void *arg, struct strlist *problems)
{
	const char *type = record_get(r, "type");
	const char *want = NULL, *ptype;
	struct record *parent;
	size_t n = 0;

	if (type == NULL || *type == '\0')
		return 0;
	parent = model_ref(r, "parent_id", lookup, arg);
	if (strcmp(type, "committee") == 0) {
		if (parent != NULL) {
			strlist_add(problems, "上级组织：机关党委不设上级组织，请留空。");
			n++;
		}
		record_free(parent);
		return n;
	}
	want = strcmp(type, "group") == 0 ? "branch" : "committee";
	if (parent == NULL) {
		const char *pv = record_get(r, "parent_id");

		if (pv == NULL || *pv == '\0') {
			strlist_addf(problems, "上级组织：%s必须选择上级组织（%s）。",
			    model_opt_label(fs, type), model_opt_label(fs, want));
			n++;
		}
		return n;
	}
	ptype = record_get(parent, "type");
	if (ptype == NULL || strcmp(ptype, want) != 0) {
		strlist_addf(problems, "上级组织：%s的上级应是%s。",
		    model_opt_label(fs, type), model_opt_label(fs, want));
		n++;
	}
	record_free(parent);
	return n;
}

static size_t
model_check_member(const struct record *r, form_lookup_fn lookup, void *arg,
    struct strlist *problems)
{
	struct record *group = model_ref(r, "group_id", lookup, arg);
	const char *branch = record_get(r, "branch_id");
	const char *gparent, *gname;
	size_t n = 0;

	if (group == NULL)
		return 0;
	gparent = record_get(group, "parent_id");
	gname = record_get(group, "name");
	if (branch != NULL && *branch != '\0' &&
	    (gparent == NULL || strcmp(gparent, branch) != 0)) {
		strlist_addf(problems, "所属党小组：“%s”不属于所选的党支部。",
		    gname ? gname : "?");
		n++;
	}
	record_free(group);
	return n;
}

size_t
model_check(const struct formset *fs, const char *kind,
    const struct record *r, form_lookup_fn lookup, void *arg,
    struct strlist *problems)
{
	if (strcmp(kind, "org") == 0)
		return model_check_org(fs, r, lookup, arg, problems);
	if (strcmp(kind, "member") == 0)
		return model_check_member(r, lookup, arg, problems);
	return 0;
}
