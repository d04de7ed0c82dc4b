/* rollup.c: the roll-ups of a period, the 备案报告, and the list of
 * everything that can be printed.
 *
 * The roll-ups read the period's records once (through the "period",
 * "current_period" and "type" indexes, like the 工作台) and count; every
 * figure is derived, none is typed.  Rates print with one decimal, "—"
 * when there is nothing to divide by. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "exchange.h"
#include "record.h"
#include "rollup.h"
#include "roster.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define RU_NONE		"—"

static const struct {
	const char	*name;
	const char	*title;
	const char	*about;
	bool		 landscape;
	const char	*file;
} ru_info[ROLLUP_COUNT] = {
	{ "承诺践诺统计", "承诺践诺情况统计表",
	  "附件三按党支部统计：承诺事项、服务/实事、完成率、逾期、党员承诺覆盖率",
	  true, "pledges" },
	{ "群众评议汇总", "群众评议情况汇总表",
	  "附件六按党支部汇总：票数、满意率、满意度、得分和预警，再按评议项目汇总",
	  true, "mass-eval" },
	{ "整改情况", "整改落实情况统计表",
	  "整改台账按党支部和问题来源统计：未销号、逾期、待验收、完成率；整改通知书复验情况",
	  true, "rectify" },
	{ "三会一课统计", "“三会一课”开展情况统计表",
	  "会议记录按党支部和会议类型统计：次数对照要求、出席率、缺讲义、未签字",
	  true, "meetings" },
	{ "备案情况总表", "创先争优备案情况总表",
	  "各党支部附件一至六的完成情况一览：承诺书、党员承诺覆盖、点评、评议、整改",
	  true, "overview" },
};

/* ------------------------------------------------------------ the data */

struct ru_branch {
	const struct record	*org;
	char			 id[24];
	const char		*name;
	bool			 direct;	/* 直属党小组 */
	size_t			 members;
	size_t			 groups;	/* its 党小组 */
};

struct ru {
	struct ledger		*lg;
	struct period		 period;
	char			 code[16];
	char			 label[32];	/* "2026年下半年" */
	struct date		 first, last, due;
	char			*unit;
	struct ledger_set	 orgs, members;
	struct ledger_set	 bp, mp, pl, lr, sr, me, rc, rn, mt;
	struct ru_branch	*br;
	size_t			 nbr;
	const char		*only;		/* --branch: an org id */
	bool			 arrivals;	/* 总表: what packages arrived
						 * (机关党委 directory) */
};

/* Reads the records of kind whose field holds value (field NULL: all). */
static int
ru_load(struct ru *u, struct ledger_set *set, const char *kind,
    const char *field, const char *value, char **errp)
{
	return ledger_set_load(u->lg, set, kind, field, value, errp);
}

static const char *
ru_get(const struct record *r, const char *field)
{
	const char *v = record_get(r, field);

	return v != NULL ? v : "";
}

static void
ru_free(struct ru *u)
{
	ledger_set_free(&u->orgs);
	ledger_set_free(&u->members);
	ledger_set_free(&u->bp);
	ledger_set_free(&u->mp);
	ledger_set_free(&u->pl);
	ledger_set_free(&u->lr);
	ledger_set_free(&u->sr);
	ledger_set_free(&u->me);
	ledger_set_free(&u->rc);
	ledger_set_free(&u->rn);
	ledger_set_free(&u->mt);
	free(u->br);
	free(u->unit);
}

/* Loads the period's records and the branches (党支部 and 直属党小组 in
 * the order they were entered; only one with --branch). */
static int
ru_open(struct ru *u, struct ledger *lg, const struct period *p,
    const char *only, char **errp)
{
	size_t i, j;

	memset(u, 0, sizeof *u);
	u->lg = lg;
	u->only = only;
	u->arrivals = !exchange_is_branch(lg->st);
	if (p != NULL)
		u->period = *p;
	else
		ledger_current_period(lg, &u->period);
	model_period_code(&u->period, u->code);
	model_period_label(&u->period, u->label);
	model_period_range(&u->period, &u->first, &u->last);
	model_period_due(&u->period, &u->due);
	u->unit = sheet_unit_name(lg);
	if (ru_load(u, &u->orgs, "org", NULL, NULL, errp) != CX_OK ||
	    ru_load(u, &u->members, "member", NULL, NULL, errp) != CX_OK ||
	    ru_load(u, &u->bp, "branch_pledge", "period", u->code, errp) != CX_OK ||
	    ru_load(u, &u->mp, "member_pledge", "period", u->code, errp) != CX_OK ||
	    ru_load(u, &u->pl, "pledge_ledger", "current_period", u->code,
	    errp) != CX_OK ||
	    ru_load(u, &u->lr, "leader_review", "period", u->code, errp) != CX_OK ||
	    ru_load(u, &u->sr, "secretary_review", "period", u->code,
	    errp) != CX_OK ||
	    ru_load(u, &u->me, "mass_eval", "period", u->code, errp) != CX_OK ||
	    ru_load(u, &u->rc, "rectification", "current_period", u->code,
	    errp) != CX_OK ||
	    ru_load(u, &u->rn, "rectification_notice", "period", u->code,
	    errp) != CX_OK ||
	    ru_load(u, &u->mt, "meeting", "period", u->code, errp) != CX_OK) {
		ru_free(u);
		return CX_ERR;
	}
	u->br = xcalloc(u->orgs.n + 1, sizeof *u->br);
	for (i = 0; i < u->orgs.n; i++) {
		const struct record *o = u->orgs.v[i];
		struct ru_branch *b;

		if (!record_is(o, "type", "branch") &&
		    !record_is(o, "type", "direct_group"))
			continue;
		b = &u->br[u->nbr];
		b->org = o;
		snprintf(b->id, sizeof b->id, "%llu", (unsigned long long)o->id);
		if (only != NULL && strcmp(b->id, only) != 0)
			continue;
		u->nbr++;
		b->name = record_filled(o, "name") ? ru_get(o, "name") : b->id;
		b->direct = record_is(o, "type", "direct_group");
		for (j = 0; j < u->members.n; j++)
			if (record_is(u->members.v[j], "branch_id", b->id))
				b->members++;
		for (j = 0; j < u->orgs.n; j++)
			if (record_is(u->orgs.v[j], "type", "group") &&
			    record_is(u->orgs.v[j], "parent_id", b->id))
				b->groups++;
	}
	return CX_OK;
}

static const char *
ru_member_name(const struct ru *u, const char *id)
{
	size_t i;
	uint64_t n;

	if (id == NULL || !util_parse_id(id, &n))
		return "";
	for (i = 0; i < u->members.n; i++)
		if (u->members.v[i]->id == n)
			return record_filled(u->members.v[i], "name") ?
			    ru_get(u->members.v[i], "name") : id;
	return id;
}

static const char *
ru_branch_name(const struct ru *u, const char *id)
{
	size_t i;
	uint64_t n;

	if (id == NULL || !util_parse_id(id, &n))
		return "";
	for (i = 0; i < u->orgs.n; i++)
		if (u->orgs.v[i]->id == n)
			return ru_get(u->orgs.v[i], "name");
	return id;
}

static const char *
ru_option(const struct ledger_set *s, const char *field, const char *code)
{
	const struct form_field *ff = s->f ? form_field_find(s->f, field) :
	    NULL;
	const struct form_option *o = ff && code ? form_option_find(ff, code) :
	    NULL;

	return o != NULL ? o->label : code != NULL ? code : "";
}

static long
ru_setting(const struct ru *u, const char *name, long fallback)
{
	return ledger_setting_long(u->lg, name, fallback);
}

static bool
ru_strict(const struct ru *u)
{
	const struct form_ctx *ctx = &u->lg->ctx;
	const char *v = ctx->setting ? ctx->setting(ctx->arg,
	    "satisfaction_formula") : NULL;

	return v != NULL && strcmp(v, "strict") == 0;
}

/* A date field before today. */
static bool
ru_past(const struct ru *u, const struct record *r, const char *field)
{
	struct date d;
	const char *v = record_get(r, field);

	if (v == NULL || *v == '\0' || date_parse(v, &d, NULL) != CX_OK)
		return false;
	return date_cmp(&d, &u->lg->ctx.today) < 0;
}

/* ------------------------------------------------------------ printing */

/* "85.7%", or "—" with nothing to divide by. */
static char *
ru_pct(double num, double den)
{
	if (den <= 0)
		return xstrdup(RU_NONE);
	return xasprintf("%.1f%%", 100.0 * num / den + 1e-9);
}

static char *
ru_frac(size_t a, size_t b)
{
	return xasprintf("%zu/%zu", a, b);
}

/* A table row of n cells, freed after use. */
static void
ru_row(struct report *r, char **cells, size_t n)
{
	size_t i;

	report_table_row(r, (const char *const *)cells);
	for (i = 0; i < n; i++) {
		free(cells[i]);
		cells[i] = NULL;
	}
}

/* Fills the columns: labels, widths, numbers right-aligned from
 * first_num on (cells before are text). */
static void
ru_cols(struct report_col *c, size_t n, const char *const *labels,
    const size_t *widths, size_t first_num)
{
	size_t i;

	for (i = 0; i < n; i++) {
		c[i].label = labels[i];
		c[i].width = widths[i];
		c[i].align = i == 0 || i >= first_num ? TEXT_RIGHT : TEXT_LEFT;
	}
}

/* A subheading inside a roll-up: "（一）…". */
static void
ru_heading(struct report *r, const char *text)
{
	report_paragraph(r, text);
}

/* ------------------------------------------------------- 承诺践诺统计 */

struct ru_pl_count {
	size_t	items, service, fact, personal, due, done, unmet, overdue;
	size_t	members, pledged;
};

static void
ru_pl_add(struct ru_pl_count *t, const struct ru_pl_count *c)
{
	t->items += c->items;
	t->service += c->service;
	t->fact += c->fact;
	t->personal += c->personal;
	t->due += c->due;
	t->done += c->done;
	t->unmet += c->unmet;
	t->overdue += c->overdue;
	t->members += c->members;
	t->pledged += c->pledged;
}

static bool
ru_pl_overdue(const struct ru *u, const struct record *r)
{
	return !ledger_closed(u->pl.f, r) && ru_past(u, r, "due_date");
}

static void
ru_pl_count(const struct ru *u, const struct ru_branch *b,
    struct ru_pl_count *c)
{
	char last[11];
	size_t i, j;

	memset(c, 0, sizeof *c);
	date_format(&u->last, last);
	for (i = 0; i < u->pl.n; i++) {
		const struct record *r = u->pl.v[i];

		if (!record_is(r, "branch_id", b->id))
			continue;
		c->items++;
		if (record_is(r, "kind", "service"))
			c->service++;
		else if (record_is(r, "kind", "fact"))
			c->fact++;
		if (record_filled(r, "member_id"))
			c->personal++;
		if (record_filled(r, "due_date") &&
		    strcmp(ru_get(r, "due_date"), last) <= 0) {
			c->due++;
			if (record_is(r, "status", "done"))
				c->done++;
		}
		if (record_is(r, "status", "unmet"))
			c->unmet++;
		if (ru_pl_overdue(u, r))
			c->overdue++;
	}
	for (i = 0; i < u->members.n; i++) {
		char mid[24];

		if (!record_is(u->members.v[i], "branch_id", b->id))
			continue;
		c->members++;
		snprintf(mid, sizeof mid, "%llu",
		    (unsigned long long)u->members.v[i]->id);
		for (j = 0; j < u->mp.n; j++)
			if (record_is(u->mp.v[j], "member_id", mid))
				break;
		if (j < u->mp.n)
			c->pledged++;
	}
}

static void
ru_pl_cells(char **cells, const char *no, const char *name,
    const struct ru_pl_count *c)
{
	cells[0] = xstrdup(no);
	cells[1] = xstrdup(name);
	cells[2] = xasprintf("%zu", c->items);
	cells[3] = xasprintf("%zu", c->service);
	cells[4] = xasprintf("%zu", c->fact);
	cells[5] = xasprintf("%zu", c->personal);
	cells[6] = xasprintf("%zu", c->due);
	cells[7] = xasprintf("%zu", c->done);
	cells[8] = xasprintf("%zu", c->unmet);
	cells[9] = xasprintf("%zu", c->overdue);
	cells[10] = ru_pct((double)c->done, (double)c->due);
	cells[11] = ru_frac(c->pledged, c->members);
	cells[12] = ru_pct((double)c->pledged, (double)c->members);
}

static void
ru_pledges(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "事项", "服务", "实事", "个人", "到期",
		"已完成", "未兑现", "逾期", "完成率", "党员承诺", "覆盖率"
	};
	static const size_t widths[] = {
		4, 18, 6, 6, 6, 6, 6, 6, 6, 6, 8, 10, 8
	};
	static const char *const olabels[] = {
		"序号", "党支部", "承诺人", "具体承诺事项", "完成时限", "完成情况",
		"最近进展"
	};
	static const size_t owidths[] = { 4, 16, 8, 38, 10, 8, 30 };
	struct report_col cols[13];
	struct ru_pl_count c, total;
	char *cells[13] = { 0 }, no[24];
	size_t i, k, n = 0;

	memset(&total, 0, sizeof total);
	ru_heading(r, "（一）各党支部承诺践诺情况");
	ru_cols(cols, 13, labels, widths, 2);
	report_table_begin(r, 13, cols);
	for (i = 0; i < u->nbr; i++) {
		ru_pl_count(u, &u->br[i], &c);
		ru_pl_add(&total, &c);
		snprintf(no, sizeof no, "%zu", i + 1);
		ru_pl_cells(cells, no, u->br[i].name, &c);
		ru_row(r, cells, 13);
	}
	if (u->nbr > 1) {
		ru_pl_cells(cells, "", "合计", &total);
		ru_row(r, cells, 13);
	}
	report_table_end(r);
	report_paragraph(r, "说明：事项含党支部和党员个人的承诺事项，其中服务、"
	    "实事为服务承诺、实事承诺的条数，个人为党员个人承诺的条数；到期为"
	    "完成时限在本周期内的条数；完成率 = 到期事项中已完成的条数 ÷ 到期"
	    "条数；逾期指已过完成时限、既未完成也未说明未兑现原因的事项；党员"
	    "承诺 = 有党员公开承诺书的党员 / 在册党员。上半年未完成而结转到本"
	    "周期的事项计入本周期。");

	ru_heading(r, "（二）逾期未完成的承诺事项");
	for (i = 0; i < u->pl.n; i++)
		if (ru_pl_overdue(u, u->pl.v[i]) && (u->only == NULL ||
		    record_is(u->pl.v[i], "branch_id", u->only)))
			n++;
	if (n == 0) {
		report_paragraph(r, "没有逾期未完成的承诺事项。");
		return;
	}
	ru_cols(cols, 7, olabels, owidths, 7);
	cols[4].align = TEXT_LEFT;
	report_table_begin(r, 7, cols);
	for (k = 0, n = 0; k < u->nbr; k++) {
		for (i = 0; i < u->pl.n; i++) {
			const struct record *p = u->pl.v[i];
			size_t np;

			if (!record_is(p, "branch_id", u->br[k].id) ||
			    !ru_pl_overdue(u, p))
				continue;
			np = record_nrows(p, "progress");
			cells[0] = xasprintf("%zu", ++n);
			cells[1] = xstrdup(u->br[k].name);
			cells[2] = xstrdup(ru_member_name(u,
			    record_get(p, "member_id")));
			cells[3] = xstrdup(ru_get(p, "content"));
			cells[4] = xstrdup(ru_get(p, "due_date"));
			cells[5] = xstrdup(ru_option(&u->pl, "status",
			    record_get(p, "status")));
			cells[6] = np > 0 ? xasprintf("%s %s",
			    ru_get(record_row(p, "progress", np - 1), "date"),
			    ru_get(record_row(p, "progress", np - 1), "text")) :
			    xstrdup("");
			ru_row(r, cells, 7);
		}
	}
	report_table_end(r);
}

/* ------------------------------------------------------- 群众评议汇总 */

struct ru_votes {
	double	s, fs, bs, ns;	/* counts */
	double	den;		/* valid votes times items */
};

static void
ru_votes_cells(const struct ru *u, const struct ru_votes *v, char **cells)
{
	double cast = v->s + v->fs + v->bs + v->ns;
	double pos = ru_strict(u) ? v->s : v->s + v->fs + v->bs;
	long ws = ru_setting(u, "warn_satisfaction", 60);
	long wd = ru_setting(u, "warn_dissatisfied", 20);

	cells[0] = xasprintf("%.0f", v->s);
	cells[1] = xasprintf("%.0f", v->fs);
	cells[2] = xasprintf("%.0f", v->bs);
	cells[3] = xasprintf("%.0f", v->ns);
	cells[4] = ru_pct(v->s, v->den);
	cells[5] = ru_pct(pos, v->den);
	cells[6] = cast > 0 ? xasprintf("%.2f", (10 * v->s + 7 * v->fs +
	    5 * v->bs + 2 * v->ns) / cast + 1e-9) : xstrdup(RU_NONE);
	cells[7] = xstrdup(v->den > 0 && (pos * 100 < ws * v->den ||
	    v->ns * 100 > wd * v->den) ? "需整改" : "");
}

static double
ru_num(const struct record *r, const char *field)
{
	const char *v = record_get(r, field);

	return v != NULL && *v != '\0' ? strtod(v, NULL) : 0;
}

/* The organisation rows of one 附件六, summed. */
static void
ru_votes_of(const struct record *me, struct ru_votes *v)
{
	size_t i, n = record_nrows(me, "org_rows");
	double valid = ru_num(me, "valid");

	memset(v, 0, sizeof *v);
	for (i = 0; i < n; i++) {
		const struct record *row = record_row(me, "org_rows", i);

		v->s += ru_num(row, "n_s");
		v->fs += ru_num(row, "n_fs");
		v->bs += ru_num(row, "n_bs");
		v->ns += ru_num(row, "n_ns");
		v->den += valid;
	}
}

static void
ru_mass_eval(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "评议日期", "有效票", "满意", "比较满意",
		"基本满意", "不满意", "满意率", "满意度", "得分", "预警",
		"问题/整改"
	};
	static const size_t widths[] = {
		4, 12, 10, 6, 6, 8, 8, 6, 8, 8, 6, 6, 8
	};
	static const char *const ilabels[] = {
		"序号", "评议项目", "满意", "比较满意", "基本满意", "不满意",
		"满意率", "满意度", "得分", "预警"
	};
	static const size_t iwidths[] = { 4, 40, 6, 8, 8, 6, 8, 8, 6, 6 };
	struct report_col cols[13];
	const struct form_field *items = NULL, *item = NULL;
	char *cells[13] = { 0 }, *missing;
	struct ru_votes v;
	struct buf miss;
	size_t i, j, k, nmiss = 0, linked;

	buf_init(&miss);
	ru_heading(r, "（一）各党支部群众评议情况");
	ru_cols(cols, 13, labels, widths, 3);
	report_table_begin(r, 13, cols);
	for (i = 0; i < u->nbr; i++) {
		const struct record *me = NULL;
		char ref[48];

		for (j = 0; j < u->me.n && me == NULL; j++)
			if (record_is(u->me.v[j], "branch_id", u->br[i].id))
				me = u->me.v[j];
		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(u->br[i].name);
		if (me == NULL) {
			cells[2] = xstrdup("未评议");
			for (k = 3; k < 13; k++)
				cells[k] = xstrdup("");
			ru_row(r, cells, 13);
			buf_addf(&miss, "%s%s", nmiss++ ? "、" : "",
			    u->br[i].name);
			continue;
		}
		snprintf(ref, sizeof ref, "mass_eval:%llu",
		    (unsigned long long)me->id);
		for (j = 0, linked = 0; j < u->rc.n; j++)
			if (record_is(u->rc.v[j], "source_ref", ref))
				linked++;
		ru_votes_of(me, &v);
		cells[2] = xstrdup(ru_get(me, "eval_date"));
		cells[3] = xstrdup(ru_get(me, "valid"));
		ru_votes_cells(u, &v, cells + 4);
		cells[12] = xasprintf("%s/%zu",
		    record_filled(me, "issues_count") ?
		    ru_get(me, "issues_count") : "0", linked);
		ru_row(r, cells, 13);
	}
	report_table_end(r);
	buf_addstr(&miss, "");
	missing = nmiss > 0 ? xasprintf("未开展群众评议的党支部：%s。",
	    miss.s) : xstrdup("各党支部都已开展群众评议。");
	report_paragraph(r, missing);
	free(missing);
	buf_free(&miss);
	report_paragraph(r, ru_strict(u) ?
	    "说明：每个党支部的票数是对党支部各评议项目的票数之和；满意率、"
	    "满意度 = 满意票 ÷（有效票 × 评议项目数）（按系统设置，满意度只计"
	    "“满意”一档）；得分按满意 10、比较满意 7、基本满意 5、不满意 2 "
	    "分计算平均分；问题/整改 = 反映问题条数 / 已列入整改台账的条数。" :
	    "说明：每个党支部的票数是对党支部各评议项目的票数之和；满意率 = "
	    "满意票 ÷（有效票 × 评议项目数），满意度 =（满意 + 比较满意 + "
	    "基本满意）÷（有效票 × 评议项目数）；得分按满意 10、比较满意 7、"
	    "基本满意 5、不满意 2 分计算平均分；问题/整改 = 反映问题条数 / "
	    "已列入整改台账的条数。");

	ru_heading(r, "（二）按评议项目汇总");
	if (u->me.f != NULL)
		items = form_field_find(u->me.f, "org_rows");
	if (items != NULL)
		item = form_subfield_find(items, "item");
	if (item == NULL || item->nopts == 0) {
		report_paragraph(r, "评议表没有评议项目。");
		return;
	}
	ru_cols(cols, 10, ilabels, iwidths, 2);
	report_table_begin(r, 10, cols);
	for (k = 0; k < item->nopts; k++) {
		memset(&v, 0, sizeof v);
		for (j = 0; j < u->me.n; j++) {
			const struct record *me = u->me.v[j];
			size_t n = record_nrows(me, "org_rows");

			if (u->only != NULL &&
			    !record_is(me, "branch_id", u->only))
				continue;
			for (i = 0; i < n; i++) {
				const struct record *row = record_row(me,
				    "org_rows", i);

				if (!record_is(row, "item", item->opts[k].code))
					continue;
				v.s += ru_num(row, "n_s");
				v.fs += ru_num(row, "n_fs");
				v.bs += ru_num(row, "n_bs");
				v.ns += ru_num(row, "n_ns");
				v.den += ru_num(me, "valid");
			}
		}
		cells[0] = xasprintf("%zu", k + 1);
		cells[1] = xstrdup(item->opts[k].label);
		ru_votes_cells(u, &v, cells + 2);
		ru_row(r, cells, 10);
	}
	report_table_end(r);
}

/* ------------------------------------------------------- 整改情况 */

static bool
ru_rc_overdue(const struct ru *u, const struct record *r)
{
	return !ledger_closed(u->rc.f, r) && ru_past(u, r, "deadline");
}

static bool
ru_in(const struct ru *u, const struct record *r)
{
	size_t i;

	for (i = 0; i < u->nbr; i++)
		if (record_is(r, "branch_id", u->br[i].id))
			return true;
	return false;
}

static void
ru_rectify(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "整改事项", "未启动", "整改中", "待验收",
		"已销号", "逾期", "完成率"
	};
	static const size_t widths[] = { 4, 20, 8, 6, 6, 6, 6, 6, 8 };
	static const char *const slabels[] = {
		"序号", "问题来源", "整改事项", "已销号", "未销号", "逾期",
		"完成率"
	};
	static const size_t swidths[] = { 4, 14, 8, 6, 6, 6, 8 };
	static const char *const nlabels[] = {
		"序号", "编号", "受文党支部", "检查日期", "整改期限",
		"整改报告", "复验日期", "复验情况"
	};
	static const size_t nwidths[] = { 4, 10, 20, 10, 10, 10, 10, 16 };
	static const char *const olabels[] = {
		"序号", "党支部", "问题来源", "存在问题", "责任人", "整改时限",
		"状态"
	};
	static const size_t owidths[] = { 4, 16, 10, 50, 8, 10, 8 };
	static const char *const st[] = { "todo", "doing", "check", "closed" };
	struct report_col cols[9];
	char *cells[9] = { 0 };
	size_t tot[6] = { 0 }, cnt[6], i, j, k, n;
	const struct form_field *src;

	ru_heading(r, "（一）各党支部整改情况");
	ru_cols(cols, 9, labels, widths, 2);
	report_table_begin(r, 9, cols);
	for (i = 0; i < u->nbr; i++) {
		memset(cnt, 0, sizeof cnt);
		for (j = 0; j < u->rc.n; j++) {
			const struct record *p = u->rc.v[j];

			if (!record_is(p, "branch_id", u->br[i].id))
				continue;
			cnt[0]++;
			for (k = 0; k < 4; k++)
				if (record_is(p, "status", st[k]))
					cnt[1 + k]++;
			if (ru_rc_overdue(u, p))
				cnt[5]++;
		}
		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(u->br[i].name);
		for (k = 0; k < 6; k++) {
			cells[2 + k] = xasprintf("%zu", cnt[k]);
			tot[k] += cnt[k];
		}
		cells[8] = ru_pct((double)cnt[4], (double)cnt[0]);
		ru_row(r, cells, 9);
	}
	if (u->nbr > 1) {
		cells[0] = xstrdup("");
		cells[1] = xstrdup("合计");
		for (k = 0; k < 6; k++)
			cells[2 + k] = xasprintf("%zu", tot[k]);
		cells[8] = ru_pct((double)tot[4], (double)tot[0]);
		ru_row(r, cells, 9);
	}
	report_table_end(r);
	report_paragraph(r, "说明：完成率 = 已销号 ÷ 整改事项；逾期指已过整改时限"
	    "仍未销号的事项。上半年未销号而结转到本周期的事项计入本周期。");

	ru_heading(r, "（二）按问题来源统计");
	src = u->rc.f ? form_field_find(u->rc.f, "source") : NULL;
	ru_cols(cols, 7, slabels, swidths, 2);
	report_table_begin(r, 7, cols);
	for (k = 0, n = 0; src != NULL && k < src->nopts; k++) {
		memset(cnt, 0, sizeof cnt);
		for (j = 0; j < u->rc.n; j++) {
			const struct record *p = u->rc.v[j];

			if (!ru_in(u, p) || !record_is(p, "source",
			    src->opts[k].code))
				continue;
			cnt[0]++;
			if (ledger_closed(u->rc.f, p))
				cnt[1]++;
			if (ru_rc_overdue(u, p))
				cnt[2]++;
		}
		if (cnt[0] == 0)
			continue;
		cells[0] = xasprintf("%zu", ++n);
		cells[1] = xstrdup(src->opts[k].label);
		cells[2] = xasprintf("%zu", cnt[0]);
		cells[3] = xasprintf("%zu", cnt[1]);
		cells[4] = xasprintf("%zu", cnt[0] - cnt[1]);
		cells[5] = xasprintf("%zu", cnt[2]);
		cells[6] = ru_pct((double)cnt[1], (double)cnt[0]);
		ru_row(r, cells, 7);
	}
	report_table_end(r);

	ru_heading(r, "（三）整改通知书和复验");
	for (j = 0, n = 0; j < u->rn.n; j++)
		if (ru_in(u, u->rn.v[j]))
			n++;
	if (n == 0)
		report_paragraph(r, "本周期没有整改通知书。");
	else {
		ru_cols(cols, 8, nlabels, nwidths, 8);
		report_table_begin(r, 8, cols);
		for (j = 0, n = 0; j < u->rn.n; j++) {
			const struct record *p = u->rn.v[j];

			if (!ru_in(u, p))
				continue;
			cells[0] = xasprintf("%zu", ++n);
			cells[1] = xstrdup(ru_get(p, "notice_no"));
			cells[2] = xstrdup(ru_branch_name(u,
			    record_get(p, "branch_id")));
			cells[3] = xstrdup(ru_get(p, "inspected_on"));
			cells[4] = xstrdup(ru_get(p, "deadline"));
			cells[5] = xstrdup(ru_get(p, "report_on"));
			cells[6] = xstrdup(ru_get(p, "recheck_on"));
			if (record_filled(p, "recheck_result"))
				cells[7] = xstrdup(ru_option(&u->rn,
				    "recheck_result",
				    record_get(p, "recheck_result")));
			else if (record_filled(p, "report_on"))
				cells[7] = xstrdup("已报告，等待复验");
			else if (ru_past(u, p, "deadline"))
				cells[7] = xstrdup("已过期限，等待复验");
			else
				cells[7] = xstrdup("整改中");
			ru_row(r, cells, 8);
		}
		report_table_end(r);
	}

	ru_heading(r, "（四）逾期未销号的整改事项");
	for (j = 0, n = 0; j < u->rc.n; j++)
		if (ru_in(u, u->rc.v[j]) && ru_rc_overdue(u, u->rc.v[j]))
			n++;
	if (n == 0) {
		report_paragraph(r, "没有逾期未销号的整改事项。");
		return;
	}
	ru_cols(cols, 7, olabels, owidths, 7);
	report_table_begin(r, 7, cols);
	for (i = 0, n = 0; i < u->nbr; i++) {
		for (j = 0; j < u->rc.n; j++) {
			const struct record *p = u->rc.v[j];

			if (!record_is(p, "branch_id", u->br[i].id) ||
			    !ru_rc_overdue(u, p))
				continue;
			cells[0] = xasprintf("%zu", ++n);
			cells[1] = xstrdup(u->br[i].name);
			cells[2] = xstrdup(ru_option(&u->rc, "source",
			    record_get(p, "source")));
			cells[3] = xstrdup(ru_get(p, "issue"));
			cells[4] = xstrdup(ru_member_name(u,
			    record_get(p, "responsible_id")));
			cells[5] = xstrdup(ru_get(p, "deadline"));
			cells[6] = xstrdup(ru_option(&u->rc, "status",
			    record_get(p, "status")));
			ru_row(r, cells, 7);
		}
	}
	report_table_end(r);
}

/* ------------------------------------------------------- 三会一课统计 */

/* Meetings of type t a branch must hold in the half-year, or -1 when
 * the type does not apply (a 直属党小组 has no 党员大会 or 委员会; a
 * 党支部 without 党小组 has no 党小组会).  Like the 工作台. */
static long
ru_required(const struct ru *u, const struct ru_branch *b, size_t t)
{
	return ledger_meetings_required(u->lg, t, b->direct, b->groups);
}

/* How many of required are due by today (the 工作台's rule). */
static long
ru_so_far(const struct ru *u, long required)
{
	return ledger_meetings_so_far(u->lg, &u->period, required);
}

static bool
ru_unsigned(const struct ru *u, const struct record *m)
{
	const char *sign = u->mt.f ? u->mt.f->sign_field : NULL;

	return sign != NULL && !record_filled(m, sign);
}

static double
ru_present(const struct record *m)
{
	return (double)record_nrows(m, "attendees");
}

static void
ru_meetings(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "党员大会", "支委会", "党小组会", "党课",
		"应到人次", "实到人次", "出席率", "缺讲义", "未签字", "未达要求"
	};
	static const size_t widths[] = {
		4, 14, 8, 8, 8, 8, 8, 8, 8, 6, 6, 13
	};
	static const char *const tlabels[] = {
		"序号", "会议类型", "次数", "应到人次", "实到人次", "出席率",
		"未签字"
	};
	static const size_t twidths[] = { 4, 14, 6, 8, 8, 8, 6 };
	static const char *const llabels[] = {
		"序号", "党支部", "党课题目", "授课人", "日期"
	};
	static const size_t lwidths[] = { 4, 20, 50, 10, 10 };
	struct report_col cols[12];
	char *cells[12] = { 0 };
	size_t i, j, t, n;
	struct buf shortb;

	ru_heading(r, "（一）各党支部“三会一课”开展情况");
	ru_cols(cols, 12, labels, widths, 2);
	cols[11].align = TEXT_LEFT;
	report_table_begin(r, 12, cols);
	buf_init(&shortb);
	for (i = 0; i < u->nbr; i++) {
		const struct ru_branch *b = &u->br[i];
		double expected = 0, present = 0;
		size_t nolect = 0, unsig = 0, nshort = 0;

		buf_reset(&shortb);
		buf_addstr(&shortb, "");
		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(b->name);
		for (t = 0; t < LEDGER_NMEETING_TYPES; t++) {
			long req = ru_required(u, b, t);
			size_t held = 0;

			for (j = 0; j < u->mt.n; j++)
				if (record_is(u->mt.v[j], "branch_id", b->id) &&
				    record_is(u->mt.v[j], "meeting_type",
				    ledger_meeting_types[t].type))
					held++;
			if (req < 0) {
				cells[2 + t] = held > 0 ? xasprintf("%zu", held) :
				    xstrdup(RU_NONE);
				continue;
			}
			cells[2 + t] = xasprintf("%zu/%ld", held, req);
			if ((long)held < ru_so_far(u, req))
				buf_addf(&shortb, "%s%s", nshort++ ? "、" : "",
				    ru_option(&u->mt, "meeting_type",
				    ledger_meeting_types[t].type));
		}
		for (j = 0; j < u->mt.n; j++) {
			const struct record *m = u->mt.v[j];

			if (!record_is(m, "branch_id", b->id))
				continue;
			expected += ru_num(m, "expected");
			present += ru_present(m);
			if (record_is(m, "meeting_type", "lecture") &&
			    !record_filled(m, "handout"))
				nolect++;
			if (ru_unsigned(u, m))
				unsig++;
		}
		cells[6] = xasprintf("%.0f", expected);
		cells[7] = xasprintf("%.0f", present);
		cells[8] = ru_pct(present, expected);
		cells[9] = xasprintf("%zu", nolect);
		cells[10] = xasprintf("%zu", unsig);
		cells[11] = xstrdup(shortb.s);
		ru_row(r, cells, 12);
	}
	buf_free(&shortb);
	report_table_end(r);
	report_paragraph(r, "说明：“3/2”表示本半年已开 3 次、应开 2 次（应开次数"
	    "取自系统设置，党小组会按党支部的党小组个数合计）；“未达要求”列出"
	    "到今天为止次数不够的会议（按半年里已过去的天数折算）；出席率 = "
	    "实到人次 ÷ 应到人次；未签字指记录人尚未签字的会议记录。");

	ru_heading(r, "（二）按会议类型统计");
	ru_cols(cols, 7, tlabels, twidths, 2);
	report_table_begin(r, 7, cols);
	for (t = 0; t < LEDGER_NMEETING_TYPES; t++) {
		double expected = 0, present = 0;
		size_t held = 0, unsig = 0;

		for (j = 0; j < u->mt.n; j++) {
			const struct record *m = u->mt.v[j];

			if (!ru_in(u, m) || !record_is(m, "meeting_type",
			    ledger_meeting_types[t].type))
				continue;
			held++;
			expected += ru_num(m, "expected");
			present += ru_present(m);
			if (ru_unsigned(u, m))
				unsig++;
		}
		cells[0] = xasprintf("%zu", t + 1);
		cells[1] = xstrdup(ru_option(&u->mt, "meeting_type",
		    ledger_meeting_types[t].type));
		cells[2] = xasprintf("%zu", held);
		cells[3] = xasprintf("%.0f", expected);
		cells[4] = xasprintf("%.0f", present);
		cells[5] = ru_pct(present, expected);
		cells[6] = xasprintf("%zu", unsig);
		ru_row(r, cells, 7);
	}
	report_table_end(r);

	ru_heading(r, "（三）没有讲义的党课");
	for (j = 0, n = 0; j < u->mt.n; j++)
		if (ru_in(u, u->mt.v[j]) &&
		    record_is(u->mt.v[j], "meeting_type", "lecture") &&
		    !record_filled(u->mt.v[j], "handout"))
			n++;
	if (n == 0) {
		report_paragraph(r, "每次党课都有讲义。");
		return;
	}
	ru_cols(cols, 5, llabels, lwidths, 5);
	report_table_begin(r, 5, cols);
	for (i = 0, n = 0; i < u->nbr; i++) {
		for (j = 0; j < u->mt.n; j++) {
			const struct record *m = u->mt.v[j];

			if (!record_is(m, "branch_id", u->br[i].id) ||
			    !record_is(m, "meeting_type", "lecture") ||
			    record_filled(m, "handout"))
				continue;
			cells[0] = xasprintf("%zu", ++n);
			cells[1] = xstrdup(u->br[i].name);
			cells[2] = xstrdup(record_filled(m, "lecture_title") ?
			    ru_get(m, "lecture_title") : ru_get(m, "title"));
			cells[3] = xstrdup(ru_get(m, "lecturer"));
			cells[4] = xstrdup(ru_get(m, "date"));
			ru_row(r, cells, 5);
		}
	}
	report_table_end(r);
}

/* ------------------------------------------------------- 备案情况总表 */

static size_t
ru_count_members_with(const struct ru *u, const struct ru_branch *b,
    const struct ledger_set *s)
{
	size_t i, j, n = 0;
	char mid[24];

	for (i = 0; i < u->members.n; i++) {
		if (!record_is(u->members.v[i], "branch_id", b->id))
			continue;
		snprintf(mid, sizeof mid, "%llu",
		    (unsigned long long)u->members.v[i]->id);
		for (j = 0; j < s->n; j++)
			if (record_is(s->v[j], "member_id", mid))
				break;
		if (j < s->n)
			n++;
	}
	return n;
}

static const struct record *
ru_find_branch(const struct ledger_set *s, const struct ru_branch *b)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (record_is(s->v[i], "branch_id", b->id))
			return s->v[i];
	return NULL;
}

/* In a 机关党委 directory: per branch, whether its package of the period
 * arrived, when, for which period and in which file (ledger_arrival). */
static int
ru_arrivals(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "本期报送", "收到时间", "报送包周期", "报送包文件"
	};
	static const size_t widths[] = { 4, 20, 8, 20, 14, 51 };
	struct report_col cols[6];
	char *cells[6] = { 0 };
	struct ledger_arrival a;
	size_t i, nfiled = 0;
	char *msg;

	ru_cols(cols, 6, labels, widths, 6);
	cols[2].align = TEXT_CENTER;
	for (i = 0; i < u->nbr; i++) {
		if (ledger_arrival(u->lg, u->br[i].org->id, &u->period, &a,
		    NULL) != CX_OK)
			return CX_ERR;
		nfiled += a.filed;
		ledger_arrival_free(&a);
	}
	msg = xasprintf("各党支部报送情况：收到本期报送包的 %zu 个，共 %zu 个。",
	    nfiled, u->nbr);
	ru_heading(r, msg);
	free(msg);
	report_table_begin(r, 6, cols);
	for (i = 0; i < u->nbr; i++) {
		if (ledger_arrival(u->lg, u->br[i].org->id, &u->period, &a,
		    NULL) != CX_OK) {
			report_table_end(r);
			return CX_ERR;
		}
		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(u->br[i].name);
		cells[2] = xstrdup(a.status);
		cells[3] = xstrdup(a.when != NULL ? a.when : RU_NONE);
		cells[4] = xstrdup(a.period != NULL ? a.period : RU_NONE);
		cells[5] = xstrdup(a.file != NULL ? a.file : RU_NONE);
		ru_row(r, cells, 6);
		ledger_arrival_free(&a);
	}
	report_table_end(r);
	return CX_OK;
}

static void
ru_overview(struct ru *u, struct report *r)
{
	static const char *const labels[] = {
		"序号", "党支部", "党员", "附件一", "附件二", "附件三",
		"附件四", "附件五", "附件六", "整改", "三会一课"
	};
	static const size_t widths[] = { 4, 20, 6, 8, 8, 8, 8, 8, 8, 8, 16 };
	struct report_col cols[11];
	char *cells[11] = { 0 };
	struct ru_pl_count c;
	size_t i, j, t, open, nshort;
	const struct record *x;

	ru_cols(cols, 11, labels, widths, 2);
	for (i = 3; i < 11; i++)
		cols[i].align = TEXT_CENTER;
	report_table_begin(r, 11, cols);
	for (i = 0; i < u->nbr; i++) {
		const struct ru_branch *b = &u->br[i];

		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(b->name);
		cells[2] = xasprintf("%zu", b->members);
		x = ru_find_branch(&u->bp, b);
		cells[3] = xstrdup(x == NULL ? "缺" :
		    record_filled(x, "published_on") ? "已公开" :
		    record_filled(x, "signed_on") ? "已签署" : "未签署");
		cells[4] = ru_frac(ru_count_members_with(u, b, &u->mp),
		    b->members);
		ru_pl_count(u, b, &c);
		cells[5] = ru_pct((double)c.done, (double)c.due);
		cells[6] = xstrdup(ru_find_branch(&u->lr, b) ? "已点评" : "缺");
		cells[7] = ru_frac(ru_count_members_with(u, b, &u->sr),
		    b->members);
		cells[8] = xstrdup(ru_find_branch(&u->me, b) ? "已评议" : "缺");
		for (j = 0, open = 0; j < u->rc.n; j++)
			if (record_is(u->rc.v[j], "branch_id", b->id) &&
			    !ledger_closed(u->rc.f, u->rc.v[j]))
				open++;
		cells[9] = xasprintf("%zu", open);
		for (t = 0, nshort = 0; t < LEDGER_NMEETING_TYPES; t++) {
			long req = ru_required(u, b, t);
			size_t held = 0;

			if (req < 0)
				continue;
			for (j = 0; j < u->mt.n; j++)
				if (record_is(u->mt.v[j], "branch_id", b->id) &&
				    record_is(u->mt.v[j], "meeting_type",
				    ledger_meeting_types[t].type))
					held++;
			if ((long)held < ru_so_far(u, req))
				nshort++;
		}
		cells[10] = xstrdup(nshort == 0 ? "达到要求" : "次数不够");
		ru_row(r, cells, 11);
	}
	report_table_end(r);
	report_paragraph(r, "说明：附件一为党支部公开承诺书的状态；附件二、附件五"
	    "为“已有承诺书（点评）的党员 / 在册党员”；附件三为承诺事项完成率，"
	    "算法见承诺践诺情况统计；附件四为上级领导点评，附件六为群众评议；"
	    "整改为未销号的整改事项条数；“三会一课”按到今天为止应开的次数判断，"
	    "详见“三会一课”开展情况统计。");
	if (u->arrivals && ru_arrivals(u, r) != CX_OK)
		report_paragraph(r, "（读取报送情况时出错，请运行 cxzy check。）");
}

typedef void (*ru_section_fn)(struct ru *, struct report *);

static const ru_section_fn ru_sections[ROLLUP_COUNT] = {
	ru_pledges, ru_mass_eval, ru_rectify, ru_meetings, ru_overview
};

/* ------------------------------------------------------- reports */

static struct report *
ru_report(const struct ru *u, const struct report_opts *opts,
    bool width_given, bool landscape, const char *title)
{
	struct report_opts o = *opts;
	struct report *r;
	char today[32], due[32], *h;
	struct date d;
	long left;

	if (!width_given)
		o.width = landscape ? 136 : 80;
	r = report_new(&o);
	if (u->unit != NULL && *u->unit != '\0')
		report_title(r, u->unit);
	report_title(r, title);
	report_title(r, u->label);
	model_today(&d);
	date_format_cn(&d, today);
	date_format_cn(&u->due, due);
	left = date_to_days(&u->due) - date_to_days(&u->lg->ctx.today);
	h = left >= 0 ? xasprintf("%s（还有 %ld 天）", due, left) :
	    xasprintf("%s（已过 %ld 天）", due, -left);
	if (u->only != NULL && u->nbr == 1)
		report_header(r, "党支部", u->br[0].name);
	report_header(r, "备案期限", h);
	report_header(r, "打印日期", today);
	free(h);
	return r;
}

int
rollup_build(struct ledger *lg, enum rollup_which which,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp)
{
	struct report_opts o;
	struct report *r;
	struct ru u;

	*out = NULL;
	if (opts != NULL)
		o = *opts;
	else
		report_opts_init(&o);
	if (ru_open(&u, lg, p, branch, errp) != CX_OK)
		return CX_ERR;
	if (u.nbr == 0) {
		ru_free(&u);
		return err_set(errp, "没有党支部（党组织类型为“党支部”或"
		    "“直属党小组”），无法统计。");
	}
	r = ru_report(&u, &o, width_given, ru_info[which].landscape,
	    ru_info[which].title);
	ru_sections[which](&u, r);
	report_signature(r, "填表人（签名）：____________    "
	    "审核人（签名）：____________");
	*out = sheet_doc_new(ru_info[which].title, &o);
	sheet_doc_add(*out, r);
	ru_free(&u);
	return CX_OK;
}

/* ------------------------------------------------------- 备案报告 */

static const char *const ru_pkg_heads[] = {
	"一、备案情况总表", "二、承诺践诺情况", "三、群众评议情况",
	"四、整改落实情况", "五、“三会一课”开展情况"
};
static const enum rollup_which ru_pkg_order[] = {
	ROLLUP_OVERVIEW, ROLLUP_PLEDGES, ROLLUP_MASS_EVAL, ROLLUP_RECTIFY,
	ROLLUP_MEETINGS
};
#define RU_NPKG (sizeof ru_pkg_order / sizeof ru_pkg_order[0])

static void
ru_center(struct report *r, const char *text, size_t width)
{
	char *p = text_pad(text, width, TEXT_CENTER, TEXT_PRINT);

	report_paragraph(r, p);
	free(p);
}

/* "        一、备案情况总表 ....................   3": every line as
 * long whatever the page number, so the layout never moves. */
static char *
ru_contents_line(const char *head, size_t page, const char *none,
    size_t width)
{
	size_t line = width > 72 ? 64 : width - 8, hw = text_width(head,
	    TEXT_PRINT), dots = line > hw + 8 ? line - hw - 8 : 2, i;
	struct buf b;

	buf_init(&b);
	buf_addf(&b, "%*s%s ", (int)((width - line) / 2), "", head);
	for (i = 0; i < dots; i++)
		buf_addc(&b, '.');
	if (page > 0)
		buf_addf(&b, " %5zu", page);
	else if (none != NULL) {
		char *p = text_pad(none, 6, TEXT_RIGHT, TEXT_PRINT);

		buf_addstr(&b, p);
		free(p);
	} else
		buf_addstr(&b, "      ");
	return buf_take(&b);
}

/* A branch's own 备案报告: who files it with whom, and its annex sheets
 * after the roll-ups. */
struct ru_annex {
	const struct form	*f;
	char			*head;		/* "六、党支部公开承诺书（附件一）" */
	struct sheet_doc	*doc;		/* NULL: no record this period */
	size_t			 pages;
	size_t			 first;		/* its first page in the report */
};

struct ru_filing {
	const struct ru_branch	*b;
	char			*to;		/* the 机关党委's name */
	const char		*role;		/* "书记", "组长" */
	char			*signer;	/* the 书记's name, or NULL */
	struct ru_annex		*annex;
	size_t			 nannex;
};

static struct report *
ru_pkg_make(struct ru *u, const struct ru_filing *fl,
    const struct report_opts *opts, bool width_given, const size_t *pages)
{
	struct report_opts o = *opts;
	struct report *r;
	char today[32], due[32], *s, code[16];
	struct date d;
	long left;
	size_t k, W;

	if (!width_given)
		o.width = 136;
	W = o.width;
	r = report_new(&o);
	s = xasprintf("%s创先争优活动半年备案报告（%s）",
	    fl != NULL ? fl->b->name : u->unit, u->label);
	report_title(r, s);
	free(s);
	/* The cover. */
	model_today(&d);
	date_format_cn(&d, today);
	date_format_cn(&u->due, due);
	model_period_code(&u->period, code);
	left = date_to_days(&u->due) - date_to_days(&u->lg->ctx.today);
	report_paragraph(r, "\n\n\n\n");
	ru_center(r, "创 先 争 优 活 动", W);
	ru_center(r, "半 年 备 案 报 告", W);
	report_paragraph(r, "\n\n\n");
	{
		/* The particulars, one under the other, the block centred. */
		char *v[6];
		size_t mw = 0, w, nv = 0;
		struct buf b;

		v[nv++] = xasprintf("报送单位：%s", fl != NULL ? fl->b->name :
		    u->unit);
		if (fl != NULL) {
			v[nv++] = xasprintf("报送对象：%s", fl->to);
			v[nv++] = xasprintf("%s：%s", fl->b->direct ?
			    "组　　长" : "书　　记", fl->signer != NULL ?
			    fl->signer : "（党员名册里没有）");
		}
		v[nv++] = xasprintf("周　　期：%s（%s）", u->label, code);
		v[nv++] = left >= 0 ? xasprintf("备案期限：%s（还有 %ld 天）",
		    due, left) : xasprintf("备案期限：%s（已过 %ld 天）", due,
		    -left);
		v[nv++] = xasprintf("报送日期：%s", today);
		for (k = 0; k < nv; k++)
			if ((w = text_width(v[k], TEXT_PRINT)) > mw)
				mw = w;
		buf_init(&b);
		for (k = 0; k < nv; k++) {
			buf_addf(&b, "%s%*s%s", k > 0 ? "\n\n" : "",
			    (int)(mw < W ? (W - mw) / 2 : 0), "", v[k]);
			free(v[k]);
		}
		report_paragraph(r, b.s);
		buf_free(&b);
	}
	/* The contents. */
	report_page_break(r);
	ru_center(r, "目　　录", W);
	{
		struct buf b;

		buf_init(&b);
		for (k = 0; k < RU_NPKG; k++) {
			s = ru_contents_line(ru_pkg_heads[k], pages[k], NULL, W);
			buf_addf(&b, "%s%s", k > 0 ? "\n" : "", s);
			free(s);
		}
		for (k = 0; fl != NULL && k < fl->nannex; k++) {
			s = ru_contents_line(fl->annex[k].head,
			    fl->annex[k].first, "无", W);
			buf_addf(&b, "\n%s", s);
			free(s);
		}
		report_paragraph(r, b.s);
		buf_free(&b);
	}
	for (k = 0; k < RU_NPKG; k++) {
		report_page_break(r);
		ru_center(r, ru_pkg_heads[k], W);
		ru_sections[ru_pkg_order[k]](u, r);
	}
	if (fl != NULL) {
		/* The branch files it: its seal, its 书记's (组长's) hand. */
		s = fl->signer != NULL ?
		    xasprintf("%s（盖章）              %s %s（签名）：____________",
		    fl->b->name, fl->role, fl->signer) :
		    xasprintf("%s（盖章）              %s（签名）：____________",
		    fl->b->name, fl->role);
		report_signature(r, s);
		free(s);
	} else
		report_signature(r, "机关党委（盖章）              "
		    "负责人（签名）：____________");
	report_signature(r, "报送日期：    年    月    日");
	return r;
}

/* The page each section heading starts on, read off a rendering. */
static int
ru_pkg_pages(struct report *r, size_t *pages, size_t width, char **errp)
{
	struct buf out;
	const char *p, *end, *nl;
	size_t page = 1, k;

	(void)width;
	buf_init(&out);
	if (report_render(r, &out, errp) != CX_OK) {
		buf_free(&out);
		return CX_ERR;
	}
	p = out.s ? out.s : "";
	end = p + out.len;
	while (p < end) {
		const char *s;
		size_t len;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len > 0 && *p == '\f') {
			page++;
			p++;
			len--;
		}
		for (s = p; s < p + len && *s == ' '; s++)
			;
		for (k = 0; k < RU_NPKG; k++)
			if (pages[k] == 0 &&
			    (size_t)(p + len - s) == strlen(ru_pkg_heads[k]) &&
			    memcmp(s, ru_pkg_heads[k], (size_t)(p + len - s)) ==
			    0)
				pages[k] = page;
		p = nl ? nl + 1 : end;
	}
	buf_free(&out);
	return CX_OK;
}

int
rollup_package(struct ledger *lg, const struct period *p,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp)
{
	struct report_opts o, m;
	struct report *r;
	struct ru u;
	size_t pages[RU_NPKG] = { 0 };

	*out = NULL;
	if (opts != NULL)
		o = *opts;
	else
		report_opts_init(&o);
	if (ru_open(&u, lg, p, NULL, errp) != CX_OK)
		return CX_ERR;
	if (u.nbr == 0) {
		ru_free(&u);
		return err_set(errp, "没有党支部（党组织类型为“党支部”或"
		    "“直属党小组”），无法生成备案报告。");
	}
	/* Lay it out once in UTF-8 with form feeds to learn where each
	 * section starts; the contents lines are as long either way. */
	m = o;
	m.encoding = REPORT_UTF8;
	m.bom = false;
	m.eol = REPORT_EOL_LF;
	m.formfeed = true;
	r = ru_pkg_make(&u, NULL, &m, width_given, pages);
	if (ru_pkg_pages(r, pages, m.width, errp) != CX_OK) {
		report_free(r);
		ru_free(&u);
		return CX_ERR;
	}
	report_free(r);
	r = ru_pkg_make(&u, NULL, &o, width_given, pages);
	*out = sheet_doc_new("创先争优活动半年备案报告", &o);
	sheet_doc_add(*out, r);
	ru_free(&u);
	return CX_OK;
}

/* "一" .. "九十九", for the contents' section numbers. */
static char *
ru_cn_number(size_t n)
{
	static const char *const d[] = {
		"", "一", "二", "三", "四", "五", "六", "七", "八", "九"
	};

	if (n < 10)
		return xstrdup(n == 0 ? "〇" : d[n]);
	if (n < 20)
		return xasprintf("十%s", d[n % 10]);
	if (n < 100)
		return xasprintf("%s十%s", d[n / 10], d[n % 10]);
	return xasprintf("%zu", n);
}

static void
ru_filing_free(struct ru_filing *fl)
{
	size_t k;

	for (k = 0; k < fl->nannex; k++) {
		free(fl->annex[k].head);
		sheet_doc_free(fl->annex[k].doc);
	}
	free(fl->annex);
	free(fl->to);
	free(fl->signer);
}

/* Who files for branch b and with whom: the 机关党委 is the branch's
 * parent (or the unit's committee org); the branch's 书记 signs, the
 * 组长 for a 直属党小组 (the notice pairs 支部书记 with 党小组长, and
 * 《中国共产党支部工作条例（试行）》第十三条 gives a 党小组 its 组长). */
static void
ru_filing_who(struct ru *u, const struct ru_branch *b, struct ru_filing *fl)
{
	const char *parent = record_get(b->org, "parent_id"), *roles[2];
	const char *to = NULL;
	size_t i, k;
	uint64_t pid;

	fl->b = b;
	if (parent != NULL && util_parse_id(parent, &pid))
		for (i = 0; i < u->orgs.n && to == NULL; i++)
			if (u->orgs.v[i]->id == pid &&
			    record_is(u->orgs.v[i], "type", "committee") &&
			    record_filled(u->orgs.v[i], "name"))
				to = ru_get(u->orgs.v[i], "name");
	if (to == NULL && u->unit != NULL && *u->unit != '\0')
		to = u->unit;
	fl->to = xstrdup(to != NULL ? to : "机关党委");
	fl->role = b->direct ? "组长" : "书记";
	roles[0] = b->direct ? "group_leader" : "secretary";
	roles[1] = b->direct ? "secretary" : NULL;
	for (k = 0; k < 2 && roles[k] != NULL && fl->signer == NULL; k++)
		for (i = 0; i < u->members.n && fl->signer == NULL; i++)
			if (record_is(u->members.v[i], "branch_id", b->id) &&
			    record_is(u->members.v[i], "party_role", roles[k]) &&
			    record_filled(u->members.v[i], "name"))
				fl->signer = xstrdup(ru_get(u->members.v[i],
				    "name"));
}

/* The branch's annex sheets of the period, each rendered once to learn
 * its length. */
static int
ru_filing_annexes(struct ru *u, struct ru_filing *fl,
    const struct report_opts *o, bool width_given, char **errp)
{
	const struct formset *fs = u->lg->fs;
	struct buf scratch;
	size_t i, cap = 0;
	char *err = NULL, *no;
	int rc;

	buf_init(&scratch);
	for (i = 0; i < fs->n; i++) {
		const struct form *f = fs->forms[i];
		struct ru_annex *a;

		if (f->sheet_line == 0 || !sheet_has_branch(f) ||
		    !sheet_has_period(f))
			continue;
		fl->annex = xgrow(fl->annex, &cap, fl->nannex + 1,
		    sizeof *fl->annex);
		a = &fl->annex[fl->nannex++];
		memset(a, 0, sizeof *a);
		a->f = f;
		no = ru_cn_number(RU_NPKG + fl->nannex);
		a->head = xasprintf("%s、%s", no, f->label);
		free(no);
		rc = sheet_build(u->lg, f, &u->period, fl->b->id, o,
		    width_given, &a->doc, &err);
		if (rc == CX_NOTFOUND) {
			free(err);
			err = NULL;
			a->doc = NULL;
			continue;
		}
		if (rc != CX_OK)
			goto fail;
		buf_reset(&scratch);
		if (sheet_doc_render(a->doc, &scratch, &err) != CX_OK)
			goto fail;
		a->pages = a->doc->pages;
	}
	buf_free(&scratch);
	return CX_OK;
fail:
	err_prefix(&err, "%s：", fl->annex[fl->nannex - 1].f->label);
	if (errp != NULL)
		*errp = err;
	else
		free(err);
	buf_free(&scratch);
	return CX_ERR;
}

/* A branch's own 备案报告: the cover addressed to the 机关党委, the
 * contents, its row of the 总表 and its roll-ups, its 书记's signature,
 * then its annex sheets; pages numbered straight through. */
static int
rollup_branch_package(struct ledger *lg, const struct period *p,
    const char *branch, const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp)
{
	struct report_opts o, m;
	struct report *r;
	struct ru u;
	struct ru_filing fl;
	size_t pages[RU_NPKG] = { 0 }, k, j, total, before;
	char *title;

	*out = NULL;
	if (opts != NULL)
		o = *opts;
	else
		report_opts_init(&o);
	if (ru_open(&u, lg, p, branch, errp) != CX_OK)
		return CX_ERR;
	if (u.nbr != 1) {
		ru_free(&u);
		return err_set(errp, "编号 %s 不是党支部或直属党小组，无法生成"
		    "备案报告。", branch);
	}
	/* The branch reports on itself, not on what reached the 机关党委:
	 * its report reads the same in both directories. */
	u.arrivals = false;
	memset(&fl, 0, sizeof fl);
	ru_filing_who(&u, &u.br[0], &fl);
	if (ru_filing_annexes(&u, &fl, &o, width_given, errp) != CX_OK) {
		ru_filing_free(&fl);
		ru_free(&u);
		return CX_ERR;
	}
	/* Lay the front part out once (contents lines are as long with or
	 * without page numbers) to learn where its sections start and how
	 * long it is; the annexes follow it. */
	m = o;
	m.encoding = REPORT_UTF8;
	m.bom = false;
	m.eol = REPORT_EOL_LF;
	m.formfeed = true;
	r = ru_pkg_make(&u, &fl, &m, width_given, pages);
	if (ru_pkg_pages(r, pages, m.width, errp) != CX_OK) {
		report_free(r);
		ru_filing_free(&fl);
		ru_free(&u);
		return CX_ERR;
	}
	total = report_page_count(r);
	report_free(r);
	for (k = 0; k < fl.nannex; k++)
		if (fl.annex[k].doc != NULL) {
			fl.annex[k].first = total + 1;
			total += fl.annex[k].pages;
		}
	r = ru_pkg_make(&u, &fl, &o, width_given, pages);
	report_number_pages(r, 0, total);
	title = xasprintf("%s创先争优活动半年备案报告", fl.b->name);
	*out = sheet_doc_new(title, &o);
	free(title);
	sheet_doc_add(*out, r);
	for (k = 0; k < fl.nannex; k++) {
		struct sheet_doc *d = fl.annex[k].doc;

		if (d == NULL)
			continue;
		before = fl.annex[k].first - 1;
		for (j = 0; j < d->n; j++) {
			report_number_pages(d->reports[j], before, total);
			before += report_page_count(d->reports[j]);
			sheet_doc_add(*out, d->reports[j]);
		}
		d->n = 0;
	}
	ru_filing_free(&fl);
	ru_free(&u);
	return CX_OK;
}

int
rollup_filing_branch(struct ledger *lg, const char *branch, char **id,
    char **errp)
{
	uint64_t own;
	char buf[24];

	*id = NULL;
	if (!exchange_is_branch(lg->st)) {
		*id = branch != NULL ? xstrdup(branch) : NULL;
		return CX_OK;
	}
	if (exchange_branch_org(lg->st, lg->fs, &own, errp) != CX_OK)
		return CX_ERR;
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)own);
	if (branch != NULL && strcmp(branch, buf) != 0) {
		const struct form *f = formset_find(lg->fs, "org");
		struct record *r = NULL;

		if (f != NULL)
			(void)store_get(lg->st, f, own, &r, NULL);
		err_set(errp, "这是%s的数据目录，只能打印本支部的备案报告；"
		    "请去掉 --branch。", r != NULL && record_filled(r, "name") ?
		    record_get(r, "name") : "本支部");
		record_free(r);
		return CX_ERR;
	}
	*id = xstrdup(buf);
	return CX_OK;
}

/* ------------------------------------------------------- the list */

static void
po_add(struct printouts *P, size_t *cap, enum printout_what what,
    const char *name, const char *title, const char *about,
    const char *file)
{
	struct printout *po;

	P->v = xgrow(P->v, cap, P->n + 1, sizeof *P->v);
	po = &P->v[P->n++];
	memset(po, 0, sizeof *po);
	po->what = what;
	po->name = xstrdup(name);
	po->title = xstrdup(title);
	po->about = xstrdup(about ? about : "");
	po->file = xstrdup(file);
}

void
printout_list(const struct formset *fs, struct printouts *out)
{
	struct printout *po;
	struct sheet *sh;
	size_t cap = 0, i;
	char *s, *err = NULL;

	memset(out, 0, sizeof *out);
	for (i = 0; i < fs->n; i++) {
		const struct form *f = fs->forms[i];

		if (f->sheet_line == 0)
			continue;
		if (sheet_parse(f, &sh, &err) != CX_OK) {
			free(err);
			err = NULL;
			continue;
		}
		po_add(out, &cap, PRINT_SHEET, f->kind, f->label,
		    sheet_about(sh), f->kind);
		sheet_free(sh);
		po = &out->v[out->n - 1];
		po->f = f;
		po->period = sheet_has_period(f);
		po->branch = sheet_has_branch(f);
	}
	for (i = 0; i < ROLLUP_COUNT; i++) {
		po_add(out, &cap, PRINT_ROLLUP, ru_info[i].name,
		    ru_info[i].title, ru_info[i].about, ru_info[i].file);
		po = &out->v[out->n - 1];
		po->which = (enum rollup_which)i;
		po->period = true;
		po->branch = true;
	}
	po_add(out, &cap, PRINT_PACKAGE, "备案报告", "创先争优活动半年备案报告",
	    "报机关党委备案：封面、目录、备案情况总表和以上四份统计表；"
	    "按党支部打印时再附该支部的附件表",
	    "filing");
	out->v[out->n - 1].period = true;
	out->v[out->n - 1].branch = true;
	for (i = 0; i < fs->n; i++) {
		const struct form *f = fs->forms[i];
		char *t;

		s = xasprintf("名册:%s", f->kind);
		t = xasprintf("%s名册", f->label);
		po_add(out, &cap, PRINT_ROSTER, s, t, "全部记录列成一张表，"
		    "不分周期", f->kind);
		free(s);
		free(t);
		po = &out->v[out->n - 1];
		po->f = f;
		po->branch = roster_branch_field(f) != NULL;
	}
}

void
printouts_free(struct printouts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].title);
		free(p->v[i].about);
		free(p->v[i].file);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* A kind by its id, its label, or either part of a label like
 * "党支部公开承诺书（附件一）". */
static const struct form *
po_form(const struct formset *fs, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->forms[i]->kind, name) == 0 ||
		    strcmp(fs->forms[i]->label, name) == 0)
			return fs->forms[i];
	for (i = 0; i < fs->n && n > 0; i++) {
		const char *l = fs->forms[i]->label, *paren = strstr(l, "（");

		if (paren == NULL)
			continue;
		if (((size_t)(paren - l) == n && strncmp(l, name, n) == 0) ||
		    (strncmp(paren + strlen("（"), name, n) == 0 &&
		    strcmp(paren + strlen("（") + n, "）") == 0))
			return fs->forms[i];
	}
	return NULL;
}

const struct printout *
printout_find(const struct printouts *p, const struct formset *fs,
    const char *name)
{
	const struct form *f;
	size_t i;
	bool roster = false;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0 ||
		    strcmp(p->v[i].title, name) == 0)
			return &p->v[i];
	if (strncmp(name, "名册:", strlen("名册:")) == 0) {
		name += strlen("名册:");
		roster = true;
	}
	if ((f = po_form(fs, name)) == NULL)
		return NULL;
	for (i = 0; !roster && i < p->n; i++)
		if (p->v[i].what == PRINT_SHEET && p->v[i].f == f)
			return &p->v[i];
	for (i = 0; i < p->n; i++)
		if (p->v[i].what == PRINT_ROSTER && p->v[i].f == f)
			return &p->v[i];
	return NULL;
}

int
printout_build(struct ledger *lg, const struct printout *po,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp)
{
	struct report *r = NULL;

	*out = NULL;
	switch (po->what) {
	case PRINT_SHEET:
		return sheet_build(lg, po->f, p, branch, opts, width_given, out,
		    errp);
	case PRINT_ROLLUP:
		return rollup_build(lg, po->which, p, branch, opts, width_given,
		    out, errp);
	case PRINT_PACKAGE: {
		char *id = NULL;
		int rc;

		/* A branch directory files for its own branch only. */
		if (rollup_filing_branch(lg, branch, &id, errp) != CX_OK)
			return CX_ERR;
		rc = id != NULL ? rollup_branch_package(lg, p, id, opts,
		    width_given, out, errp) : rollup_package(lg, p, opts,
		    width_given, out, errp);
		free(id);
		return rc;
	}
	case PRINT_ROSTER:
		if (roster_build(lg->st, lg->fs, po->f, branch, opts,
		    width_given, &r, errp) != CX_OK)
			return CX_ERR;
		*out = sheet_doc_new(po->title, opts);
		sheet_doc_add(*out, r);
		return CX_OK;
	}
	return err_set(errp, "程序错误：未知的报表。");
}
