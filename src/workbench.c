/* workbench.c: 工作台, what is missing or late in a period, per branch.
 *
 * The records of the period are read through the indexes ("period",
 * "current_period", "branch_id", "type", "parent_id"), never by walking
 * a whole kind when an index answers, so that the first screen stays
 * quick with years of records in the store. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange.h"
#include "text.h"
#include "workbench.h"

struct wb {
	struct ledger	*lg;
	struct workbench *out;
	size_t		 cap;
	char		 code[16];	/* "2026H2" */
	struct ledger_set bp, mp, lr, sr, me, pl, rc, rn, mt;
};

/* Reads the records of kind whose field holds value into set. */
static int
wb_load(struct wb *w, struct ledger_set *set, const char *kind,
    const char *field, const char *value, char **errp)
{
	return ledger_set_load(w->lg, set, kind, field, value, errp);
}

/* A date field that lies before today. */
static bool
wb_past(const struct wb *w, const struct record *r, const char *field)
{
	const char *v = record_get(r, field);
	struct date d;

	if (v == NULL || *v == '\0' || date_parse(v, &d, NULL) != CX_OK)
		return false;
	return date_cmp(&d, &w->lg->ctx.today) < 0;
}

/* Quoted text for a line: one line, at most 40 print columns. */
static char *
wb_quote(const char *s)
{
	char *one = xstrdup(s ? s : ""), *p, *cut, *q;

	for (p = one; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	cut = text_truncate(one, 40, TEXT_PRINT, NULL);
	q = xasprintf("「%s%s」", cut, strlen(cut) < strlen(one) ? "..." : "");
	free(cut);
	free(one);
	return q;
}

static struct wb_item *
wb_add(struct wb *w, enum wb_what what, uint64_t bid, const char *bname,
    const char *kind, uint64_t id, char *text)
{
	struct wb_item *it;

	w->out->items = xgrow(w->out->items, &w->cap, w->out->n + 1,
	    sizeof *w->out->items);
	it = &w->out->items[w->out->n++];
	memset(it, 0, sizeof *it);
	it->what = what;
	it->branch_id = bid;
	it->branch = xstrdup(bname);
	it->text = text;
	it->kind = kind;
	it->id = id;
	return it;
}

/* A new record of kind with period and branch filled in. */
static struct record *
wb_prefill(const struct wb *w, const char *bidstr)
{
	struct record *r = record_new();

	record_set(r, "period", w->code);
	record_set(r, "branch_id", bidstr);
	return r;
}

static const char *
wb_opt_label(const struct form *f, const char *field, const char *code,
    const char *fallback)
{
	const struct form_field *ff = f ? form_field_find(f, field) : NULL;
	const struct form_option *o = ff ? form_option_find(ff, code) : NULL;

	return o ? o->label : fallback;
}

static const char *
wb_name(const struct record *r)
{
	const char *n = r ? record_get(r, "name") : NULL;

	return n != NULL && *n != '\0' ? n : "（未填姓名）";
}

/* A member's name for a line about a pledge item: from the branch's
 * members when there, else from the store. */
static char *
wb_member_name(struct wb *w, struct record **mem, size_t nmem,
    const char *idstr)
{
	const struct form *mf = formset_find(w->lg->fs, "member");
	struct record *r = NULL;
	uint64_t id;
	size_t i;
	char *s;

	for (i = 0; i < nmem; i++) {
		char buf[24];

		snprintf(buf, sizeof buf, "%llu", (unsigned long long)mem[i]->id);
		if (strcmp(buf, idstr) == 0)
			return xstrdup(wb_name(mem[i]));
	}
	if (mf == NULL || !util_parse_id(idstr, &id) ||
	    store_get(w->lg->st, mf, id, &r, NULL) != CX_OK)
		return xasprintf("（党员编号 %s）", idstr);
	s = xstrdup(wb_name(r));
	record_free(r);
	return s;
}

static void
wb_meetings(struct wb *w, uint64_t bid, const char *bidstr,
    const char *bname, bool direct, size_t ngroups)
{
	const struct ledger_meeting_type *types = ledger_meeting_types;
	size_t t, i;

	if (w->mt.f == NULL)
		return;
	for (t = 0; t < LEDGER_NMEETING_TYPES; t++) {
		/* A 直属党小组 meets as a 党小组 and hears 党课; it has no
		 * 党员大会 or 委员会 of its own.  A 党支部's 党小组会 are
		 * counted together for all its groups. */
		long req = ledger_meetings_required(w->lg, t, direct, ngroups);
		long groups = !direct && t == 2 ? (long)ngroups : 1, sofar,
		    held = 0;
		const char *label = wb_opt_label(w->mt.f, "meeting_type",
		    types[t].type, types[t].label);
		char *text, *what;
		struct wb_item *it;

		if (req <= 0)
			continue;
		sofar = ledger_meetings_so_far(w->lg, &w->out->period, req);
		for (i = 0; i < w->mt.n; i++)
			if (record_is(w->mt.v[i], "branch_id", bidstr) &&
			    record_is(w->mt.v[i], "meeting_type", types[t].type))
				held++;
		if (held >= sofar)
			continue;
		what = groups > 1 ? xasprintf("%s（%ld 个党小组合计）", label, groups) :
		    xstrdup(label);
		text = xasprintf("%s 本半年应开 %ld 次，到目前应开 %ld 次，已开 %ld 次",
		    what, req, sofar, held);
		free(what);
		it = wb_add(w, WB_MEETINGS_SHORT, bid, bname, w->mt.f->kind, 0,
		    text);
		it->prefill = wb_prefill(w, bidstr);
		record_set(it->prefill, "meeting_type", types[t].type);
	}
}

/* Members of the branch, in id order. */
static int
wb_members(struct wb *w, const char *bidstr, struct ledger_set *mem,
    char **errp)
{
	return wb_load(w, mem, "member", "branch_id", bidstr, errp);
}

/* Number of 党小组 under a branch. */
static int
wb_groups(struct wb *w, const char *bidstr, size_t *n, char **errp)
{
	struct ledger_set g;
	size_t i;

	*n = 0;
	if (wb_load(w, &g, "org", "parent_id", bidstr, errp) != CX_OK) {
		ledger_set_free(&g);
		return CX_ERR;
	}
	for (i = 0; i < g.n; i++)
		if (record_is(g.v[i], "type", "group"))
			(*n)++;
	ledger_set_free(&g);
	return CX_OK;
}

static const struct record *
wb_find_by(const struct ledger_set *set, const char *field, const char *value)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (record_is(set->v[i], field, value))
			return set->v[i];
	return NULL;
}

static int
wb_branch(struct wb *w, const struct record *org, char **errp)
{
	const char *bname = wb_name(org);
	bool direct = record_is(org, "type", "direct_group");
	struct ledger_set mem;
	const struct record *secretary = NULL, *r;
	struct wb_item *it;
	char bidstr[24], midstr[24];
	size_t i, ngroups = 0;
	uint64_t bid = org->id;

	snprintf(bidstr, sizeof bidstr, "%llu", (unsigned long long)bid);
	if (wb_members(w, bidstr, &mem, errp) != CX_OK) {
		ledger_set_free(&mem);
		return CX_ERR;
	}
	if (!direct && wb_groups(w, bidstr, &ngroups, errp) != CX_OK) {
		ledger_set_free(&mem);
		return CX_ERR;
	}
	for (i = 0; i < mem.n; i++)
		if (secretary == NULL &&
		    record_is(mem.v[i], "party_role", "secretary"))
			secretary = mem.v[i];

	/* 附件一 */
	if (w->bp.f != NULL && wb_find_by(&w->bp, "branch_id", bidstr) == NULL) {
		it = wb_add(w, WB_NO_BRANCH_PLEDGE, bid, bname, w->bp.f->kind, 0,
		    xstrdup("没有党支部公开承诺书（附件一）"));
		it->prefill = wb_prefill(w, bidstr);
	}
	/* 附件二 */
	for (i = 0; w->mp.f != NULL && i < mem.n; i++) {
		snprintf(midstr, sizeof midstr, "%llu",
		    (unsigned long long)mem.v[i]->id);
		if (wb_find_by(&w->mp, "member_id", midstr) != NULL)
			continue;
		it = wb_add(w, WB_NO_MEMBER_PLEDGE, bid, bname, w->mp.f->kind, 0,
		    xasprintf("%s 没有党员公开承诺书（附件二）", wb_name(mem.v[i])));
		it->prefill = wb_prefill(w, bidstr);
		record_set(it->prefill, "member_id", midstr);
	}
	/* 附件五 */
	for (i = 0; w->sr.f != NULL && i < mem.n; i++) {
		snprintf(midstr, sizeof midstr, "%llu",
		    (unsigned long long)mem.v[i]->id);
		if (wb_find_by(&w->sr, "member_id", midstr) != NULL)
			continue;
		it = wb_add(w, WB_NO_MEMBER_REVIEW, bid, bname, w->sr.f->kind, 0,
		    xasprintf("%s 没有书记点评（附件五）", wb_name(mem.v[i])));
		it->prefill = wb_prefill(w, bidstr);
		record_set(it->prefill, "member_id", midstr);
	}
	/* 附件四: the branch, and its secretary on the same form. */
	if (w->lr.f != NULL) {
		const struct record *first = NULL;
		bool sec_done = false;

		for (i = 0; i < w->lr.n; i++) {
			r = w->lr.v[i];
			if (!record_is(r, "branch_id", bidstr))
				continue;
			if (first == NULL)
				first = r;
			if (record_filled(r, "sec_strengths") ||
			    record_filled(r, "sec_problems") ||
			    record_filled(r, "sec_directions"))
				sec_done = true;
		}
		if (first == NULL) {
			it = wb_add(w, WB_NO_LEADER_REVIEW, bid, bname,
			    w->lr.f->kind, 0,
			    xstrdup("没有上级领导点评（附件四）"));
			it->prefill = wb_prefill(w, bidstr);
		} else if (secretary != NULL && !sec_done) {
			wb_add(w, WB_NO_LEADER_REVIEW, bid, bname, w->lr.f->kind,
			    first->id, xasprintf("书记未点评：上级领导点评（附件四）"
			    "中没有对书记%s的点评", wb_name(secretary)));
		}
	}
	/* 附件六 */
	if (w->me.f != NULL && wb_find_by(&w->me, "branch_id", bidstr) == NULL) {
		it = wb_add(w, WB_NO_MASS_EVAL, bid, bname, w->me.f->kind, 0,
		    xstrdup("没有群众评议情况统计表（附件六）"));
		it->prefill = wb_prefill(w, bidstr);
	}
	/* 附件三 */
	for (i = 0; w->pl.f != NULL && i < w->pl.n; i++) {
		const char *mid, *due;
		char *q, *who;

		r = w->pl.v[i];
		if (!record_is(r, "branch_id", bidstr) ||
		    ledger_closed(w->pl.f, r) || !wb_past(w, r, "due_date"))
			continue;
		q = wb_quote(record_get(r, "content"));
		due = record_get(r, "due_date");
		mid = record_get(r, "member_id");
		who = mid != NULL && *mid != '\0' ?
		    wb_member_name(w, mem.v, mem.n, mid) : NULL;
		wb_add(w, WB_PLEDGE_OVERDUE, bid, bname, w->pl.f->kind, r->id,
		    xasprintf("%s%s承诺事项%s已过完成时限（%s）", who ? who : "",
		    who ? " " : "", q, due));
		free(who);
		free(q);
	}
	/* 整改台账 */
	for (i = 0; w->rc.f != NULL && i < w->rc.n; i++) {
		char *q;

		r = w->rc.v[i];
		if (!record_is(r, "branch_id", bidstr) ||
		    ledger_closed(w->rc.f, r) || !wb_past(w, r, "deadline"))
			continue;
		q = wb_quote(record_get(r, "issue"));
		wb_add(w, WB_RECTIFY_OVERDUE, bid, bname, w->rc.f->kind, r->id,
		    xasprintf("整改事项%s已过整改时限（%s）", q,
		    record_get(r, "deadline")));
		free(q);
	}
	/* 整改通知书 awaiting 复验 */
	for (i = 0; w->rn.f != NULL && i < w->rn.n; i++) {
		const char *no;
		char *name;

		r = w->rn.v[i];
		if (!record_is(r, "branch_id", bidstr) ||
		    record_filled(r, "recheck_result"))
			continue;
		no = record_get(r, "notice_no");
		name = no != NULL && *no != '\0' ? xasprintf("整改通知书（%s）", no) :
		    xasprintf("整改通知书（编号 %llu）", (unsigned long long)r->id);
		if (record_filled(r, "report_on"))
			wb_add(w, WB_NOTICE_RECHECK, bid, bname, w->rn.f->kind, r->id,
			    xasprintf("%s已于 %s 报告整改情况，等待复验", name,
			    record_get(r, "report_on")));
		else if (wb_past(w, r, "deadline"))
			wb_add(w, WB_NOTICE_RECHECK, bid, bname, w->rn.f->kind, r->id,
			    xasprintf("%s整改时限（%s）已过，等待复验", name,
			    record_get(r, "deadline")));
		free(name);
	}
	/* 三会一课 */
	wb_meetings(w, bid, bidstr, bname, direct, ngroups);
	for (i = 0; w->mt.f != NULL && i < w->mt.n; i++) {
		const char *title, *date;

		r = w->mt.v[i];
		if (!record_is(r, "branch_id", bidstr) ||
		    !record_is(r, "meeting_type", "lecture") ||
		    record_filled(r, "handout"))
			continue;
		title = record_get(r, "lecture_title");
		if (title == NULL || *title == '\0')
			title = record_get(r, "title");
		date = record_get(r, "date");
		{
			char *q = wb_quote(title);

			wb_add(w, WB_LECTURE_NO_NOTES, bid, bname, w->mt.f->kind,
			    r->id, xasprintf("党课%s（%s）没有讲义", q,
			    date ? date : "日期未填"));
			free(q);
		}
	}
	ledger_set_free(&mem);
	return CX_OK;
}

static int
wb_cmp_id(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a;
	const struct record *y = *(struct record *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
workbench_build(struct ledger *lg, const struct period *p,
    struct workbench *out, char **errp)
{
	struct wb w;
	struct ledger_set branches, direct;
	struct record **orgs = NULL;
	size_t norgs, i;
	int rc = CX_ERR;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	memset(&branches, 0, sizeof branches);
	memset(&direct, 0, sizeof direct);
	w.lg = lg;
	w.out = out;
	if (p != NULL)
		out->period = *p;
	else
		ledger_current_period(lg, &out->period);
	model_period_due(&out->period, &out->due);
	out->days_left = date_to_days(&out->due) - date_to_days(&lg->ctx.today);
	model_period_code(&out->period, w.code);

	if (wb_load(&w, &branches, "org", "type", "branch", errp) != CX_OK ||
	    wb_load(&w, &direct, "org", "type", "direct_group", errp) != CX_OK ||
	    wb_load(&w, &w.bp, "branch_pledge", "period", w.code, errp) != CX_OK ||
	    wb_load(&w, &w.mp, "member_pledge", "period", w.code, errp) != CX_OK ||
	    wb_load(&w, &w.lr, "leader_review", "period", w.code, errp) != CX_OK ||
	    wb_load(&w, &w.sr, "secretary_review", "period", w.code,
	    errp) != CX_OK ||
	    wb_load(&w, &w.me, "mass_eval", "period", w.code, errp) != CX_OK ||
	    wb_load(&w, &w.pl, "pledge_ledger", "current_period", w.code,
	    errp) != CX_OK ||
	    wb_load(&w, &w.rc, "rectification", "current_period", w.code,
	    errp) != CX_OK ||
	    wb_load(&w, &w.rn, "rectification_notice", "period", w.code,
	    errp) != CX_OK ||
	    wb_load(&w, &w.mt, "meeting", "period", w.code, errp) != CX_OK)
		goto out;
	/* 党支部 and 直属党小组 together, in the order they were entered. */
	norgs = branches.n + direct.n;
	orgs = xcalloc(norgs ? norgs : 1, sizeof *orgs);
	for (i = 0; i < branches.n; i++)
		orgs[i] = branches.v[i];
	for (i = 0; i < direct.n; i++)
		orgs[branches.n + i] = direct.v[i];
	qsort(orgs, norgs, sizeof *orgs, wb_cmp_id);
	for (i = 0; i < norgs; i++)
		if (wb_branch(&w, orgs[i], errp) != CX_OK)
			goto out;
	if (!exchange_is_branch(lg->st)) {
		out->branches = xcalloc(norgs ? norgs : 1,
		    sizeof *out->branches);
		for (i = 0; i < norgs; i++) {
			struct wb_branch *b = &out->branches[i];

			b->id = orgs[i]->id;
			b->name = xstrdup(wb_name(orgs[i]));
			out->nbranches++;
			if (ledger_arrival(lg, b->id, &out->period, &b->arrival,
			    errp) != CX_OK)
				goto out;
			if (b->arrival.filed)
				out->nfiled++;
		}
	}
	rc = CX_OK;
out:
	free(orgs);
	ledger_set_free(&branches);
	ledger_set_free(&direct);
	ledger_set_free(&w.bp);
	ledger_set_free(&w.mp);
	ledger_set_free(&w.lr);
	ledger_set_free(&w.sr);
	ledger_set_free(&w.me);
	ledger_set_free(&w.pl);
	ledger_set_free(&w.rc);
	ledger_set_free(&w.rn);
	ledger_set_free(&w.mt);
	if (rc != CX_OK)
		workbench_free(out);
	return rc;
}

void
workbench_free(struct workbench *wb)
{
	size_t i;

	if (wb == NULL)
		return;
	for (i = 0; i < wb->n; i++) {
		free(wb->items[i].branch);
		free(wb->items[i].text);
		record_free(wb->items[i].prefill);
	}
	free(wb->items);
	wb->items = NULL;
	wb->n = 0;
	for (i = 0; i < wb->nbranches; i++) {
		free(wb->branches[i].name);
		ledger_arrival_free(&wb->branches[i].arrival);
	}
	free(wb->branches);
	wb->branches = NULL;
	wb->nbranches = wb->nfiled = 0;
}
