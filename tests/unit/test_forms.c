/* test_forms.c: the shipped annex forms (the files in forms/) as a secretary
 * meets them: for each kind a complete record passes, each rule broken on
 * its own gives exactly its Chinese message, and the computed values
 * (满意率, 满意度, 得分, 逾期 ...) read as they print.
 *
 * The forms are the real ones: CXZY_FORMS, else the source tree's forms/
 * (TEST_FORMSDIR).  Today is fixed at 2026-05-20 (period 2026H1).
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "ledger.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

#ifndef TEST_FORMSDIR
#define TEST_FORMSDIR "forms"
#endif

static struct formset *fs;
static struct form_ctx ctx;

/* Settings as the settings record would hold them; NULL = default. */
static const char *set_formula;
static const char *set_min_fact;

static const char *
test_setting(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "satisfaction_formula") == 0)
		return set_formula;
	if (strcmp(name, "min_fact_pledges") == 0)
		return set_min_fact;
	return NULL;
}

static const struct form *
form(const char *kind)
{
	const struct form *f = formset_find(fs, kind);

	if (f == NULL) {
		printf("Bail out! no form %s\n", kind);
		exit(1);
	}
	return f;
}

/* Sets id/value pairs (NULL-terminated); a NULL value removes. */
static void
vput(struct record *r, va_list ap)
{
	const char *id, *v;

	while ((id = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v == NULL)
			record_remove(r, id);
		else
			record_set(r, id, v);
	}
}

static void
put(struct record *r, ...)
{
	va_list ap;

	va_start(ap, r);
	vput(r, ap);
	va_end(ap);
}

/* Appends a row to rows field id, filled with the pairs. */
static struct record *
addrow(struct record *r, const char *id, ...)
{
	struct record *row = record_add_row(r, id);
	va_list ap;

	va_start(ap, id);
	vput(row, ap);
	va_end(ap);
	return row;
}

/* Empties rows field id (keeps it a rows value). */
static void
clear_rows(struct record *r, const char *id)
{
	while (record_nrows(r, id) > 0)
		record_remove_row(r, id, 0);
}

static void
problems_of(const char *kind, const struct record *r, struct strlist *out)
{
	strlist_init(out);
	form_validate_ctx(form(kind), r, &ctx, NULL, NULL, out);
}

static void
show(const struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		printf("#   problem: %s\n", l->v[i]);
}

static void
expect_ok(const char *kind, const struct record *r, const char *what)
{
	struct strlist l;

	problems_of(kind, r, &l);
	is_int(l.n, 0, "%s: %s passes", kind, what);
	if (l.n > 0)
		show(&l);
	strlist_free(&l);
}

/* Exactly these problems, in this order (NULL-terminated). */
static void
expect_list(const char *kind, const struct record *r, const char *what, ...)
{
	struct strlist l;
	const char *want;
	size_t i = 0;
	bool same = true;
	va_list ap;

	problems_of(kind, r, &l);
	va_start(ap, what);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (i >= l.n || strcmp(l.v[i], want) != 0) {
			same = false;
			printf("#   want %s\n", want);
		}
		i++;
	}
	va_end(ap);
	if (i != l.n)
		same = false;
	ok(same, "%s: %s", kind, what);
	if (!same)
		show(&l);
	strlist_free(&l);
}

#define expect1(kind, r, what, msg) expect_list(kind, r, what, msg, NULL)

/* A copy of base with the pairs applied: expects exactly msg. */
static void
broken(const char *kind, const struct record *base, const char *msg, ...)
{
	struct record *c = record_copy(base);
	va_list ap;

	va_start(ap, msg);
	vput(c, ap);
	va_end(ap);
	expect1(kind, c, msg, msg);
	record_free(c);
}

static char *
computed(const char *kind, const struct record *r, const char *id)
{
	const struct form *f = form(kind);
	const struct form_field *ff = form_field_find(f, id);

	if (ff == NULL)
		return xstrdup("(no field)");
	ok(form_field_derived(ff), "%s.%s is derived", kind, id);
	return form_compute(ff, f, r, NULL, &ctx);
}

static char *
row_computed(const char *kind, const struct record *r, const char *rows,
    size_t i, const char *id)
{
	const struct form *f = form(kind);
	const struct form_field *rf = form_field_find(f, rows), *ff;
	struct record *row = record_row(r, rows, i);

	ff = rf != NULL ? form_subfield_find(rf, id) : NULL;
	if (ff == NULL || row == NULL)
		return xstrdup("(no field)");
	return form_compute(ff, f, row, r, &ctx);
}

static void
is_computed(const char *kind, const struct record *r, const char *id,
    const char *want, const char *what)
{
	char *got = computed(kind, r, id);

	is_str(got, want, "%s.%s %s", kind, id, what);
	free(got);
}

static void
is_row_computed(const char *kind, const struct record *r, const char *rows,
    size_t i, const char *id, const char *want, const char *what)
{
	char *got = row_computed(kind, r, rows, i, id);

	is_str(got, want, "%s.%s[%zu].%s %s", kind, rows, i + 1, id, what);
	free(got);
}

/* ------------------------------------------------------------------ */
/* 设置                                                                 */
/* ------------------------------------------------------------------ */

static void
test_settings(void)
{
	const struct form *f = form("settings");
	struct record *r = record_new();
	struct date today = { 2026, 5, 20 };

	form_apply_defaults(f, r, &today);
	is_str(record_get(r, "satisfaction_formula"), "broad", "默认三项合计");
	is_str(record_get(r, "min_fact_pledges"), "1", "实事承诺至少 1 条");
	is_str(record_get(r, "freq_general"), "2", "党员大会半年 2 次");
	is_str(record_get(r, "freq_committee"), "6", "支委会半年 6 次");
	is_str(record_get(r, "freq_group"), "6", "党小组会半年 6 次");
	is_str(record_get(r, "freq_lecture"), "2", "党课半年 2 次");
	is_str(record_get(r, "warn_satisfaction"), "60", "满意度预警 60");
	is_str(record_get(r, "warn_dissatisfied"), "20", "不满意预警 20");
	is_str(record_get(r, "print_command"), "lp", "打印命令 lp");
	expect_ok("settings", r, "defaults");
	broken("settings", r, "实事承诺最少条数：必须填写。",
	    "min_fact_pledges", "", NULL);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件一 党支部公开承诺书                                               */
/* ------------------------------------------------------------------ */

static struct record *
branch_pledge(void)
{
	struct record *r = record_new();

	put(r, "period", "2026H1", "branch_id", "3", "secretary_id", "7",
	    "member_count", "12", "filing_due", "2026-07-15",
	    "preamble", "现向全体党员和群众作出如下公开承诺：",
	    "signed_on", "2026-01-20", "review_result", "agree",
	    "reviewed_on", "2026-01-25", "publish_channels", "net,board",
	    "published_on", "2026-01-28", NULL);
	addrow(r, "items", "kind", "service", "five_good", "masses",
	    "content", "窗口服务限时办结", "target", "办结率 100%",
	    "measures", "设立党员示范岗", "responsible_id", "7",
	    "due_date", "2026-06-30", NULL);
	addrow(r, "items", "kind", "fact", "five_good", "results,masses",
	    "content", "更新老旧小区人防疏散标志", "target", "完成 12 个小区",
	    "measures", "4月摸底，5月施工，6月验收", "responsible_id", "8",
	    "due_date", "2026-06-15", NULL);
	return r;
}

static void
test_branch_pledge(void)
{
	struct record *r = branch_pledge(), *c;

	expect_ok("branch_pledge", r, "a complete pledge");
	is_computed("branch_pledge", r, "n_items", "2", "two items");
	is_computed("branch_pledge", r, "n_fact", "1", "one of them 实事");

	c = record_copy(r);
	put(record_row(c, "items", 0), "kind", "fact", NULL);
	expect1("branch_pledge", c, "no service pledge",
	    "承诺事项中至少要有 1 条「服务承诺」。");
	record_free(c);

	set_min_fact = "2";
	expect1("branch_pledge", r, "fewer fact pledges than the setting",
	    "承诺事项中「实事承诺」的条数少于系统设置里「实事承诺最少条数」的"
	    "要求。");
	c = record_copy(r);
	addrow(c, "items", "kind", "fact", "content", "义务讲解防空知识",
	    "target", "4 场", "measures", "进社区", "responsible_id", "9",
	    "due_date", "2026-05-31", NULL);
	expect_ok("branch_pledge", c, "two fact pledges with the setting 2");
	record_free(c);
	set_min_fact = NULL;

	c = record_copy(r);
	record_remove(record_row(c, "items", 0), "target");
	expect1("branch_pledge", c, "a row without 量化目标",
	    "承诺事项第1行“量化目标”：必须填写。");
	record_free(c);

	c = record_copy(r);
	clear_rows(c, "items");
	expect_list("branch_pledge", c, "no items",
	    "承诺事项：至少需要 1 行。",
	    "承诺事项中至少要有 1 条「服务承诺」。",
	    "承诺事项中「实事承诺」的条数少于系统设置里「实事承诺最少条数」的"
	    "要求。", NULL);
	record_free(c);

	broken("branch_pledge", r, "签署日期不能晚于承诺周期的结束日期。",
	    "signed_on", "2026-07-01", "reviewed_on", "2026-07-02",
	    "published_on", "2026-07-03", NULL);
	broken("branch_pledge", r, "公开日期不能早于签署日期。",
	    "reviewed_on", "2026-01-18", "published_on", "2026-01-19", NULL);
	broken("branch_pledge", r,
	    "承诺书须经机关党委审核「同意」后才能公开，请先填写审核结果。",
	    "review_result", NULL, NULL);
	broken("branch_pledge", r, "公开日期不能早于审核日期。",
	    "reviewed_on", "2026-01-29", NULL);
	broken("branch_pledge", r, "已填写公开日期的，请选择公开方式。",
	    "publish_channels", NULL, NULL);
	broken("branch_pledge", r, "已选择公开方式的，请填写公开日期。",
	    "published_on", NULL, NULL);
	broken("branch_pledge", r,
	    "机关党委审核意见：机关党委审核结果为“退回修改”时必须填写。",
	    "review_result", "revise", "published_on", NULL,
	    "publish_channels", NULL, NULL);
	broken("branch_pledge", r,
	    "审核日期：机关党委审核结果为“同意”时必须填写。",
	    "reviewed_on", NULL, NULL);
	broken("branch_pledge", r, "党支部：必须填写。",
	    "branch_id", NULL, NULL);
	broken("branch_pledge", r, "党员名册里这个党支部没有党内职务为「书记」"
	    "的党员，请选择支部书记。", "secretary_id", NULL, NULL);

	/* Not yet reviewed nor published: a draft is fine. */
	c = record_copy(r);
	put(c, "review_result", NULL, "reviewed_on", NULL,
	    "publish_channels", NULL, "published_on", NULL, NULL);
	expect_ok("branch_pledge", c, "a signed draft awaiting review");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件二 党员公开承诺书                                                 */
/* ------------------------------------------------------------------ */

static struct record *
member_pledge(void)
{
	struct record *r = record_new();

	put(r, "member_id", "5", "post", "一级主任科员", "branch_id", "3",
	    "period", "2026H1", "form", "written", "signed_on", "2026-01-20",
	    "review_result", "agree", "secretary_sign_on", "2026-01-22",
	    NULL);
	addrow(r, "items", "kind", "service", "five_lead", "serve",
	    "content", "每月走访服务对象", "target", "每月不少于 2 次",
	    "measures", "结合业务检查走访", "due_date", "2026-06-30", NULL);
	return r;
}

static void
test_member_pledge(void)
{
	struct record *r = member_pledge(), *c;

	expect_ok("member_pledge", r, "a complete pledge");
	is_computed("member_pledge", r, "n_items", "1", "one item");
	broken("member_pledge", r, "口头承诺原因：承诺形式为“口头”时必须填写。",
	    "form", "oral", NULL);
	c = record_copy(r);
	put(c, "form", "oral", "oral_reason", "年老体弱，由组织委员代为记录",
	    NULL);
	expect_ok("member_pledge", c, "an oral pledge with its reason");
	record_free(c);
	broken("member_pledge", r,
	    "承诺人签名日期不能晚于承诺周期的结束日期。",
	    "signed_on", "2026-07-01", NULL);
	broken("member_pledge", r,
	    "党支部审核意见：党支部审核结果为“退回修改”时必须填写。",
	    "review_result", "revise", NULL);
	broken("member_pledge", r,
	    "书记签名日期：党支部审核结果为“同意”时必须填写。",
	    "secretary_sign_on", NULL, NULL);
	broken("member_pledge", r, "承诺人：必须填写。",
	    "member_id", NULL, NULL);

	c = record_copy(r);
	clear_rows(c, "items");
	expect1("member_pledge", c, "no items", "承诺事项：至少需要 1 行。");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件三 承诺、践诺台账                                                 */
/* ------------------------------------------------------------------ */

static struct record *
pledge_item(void)
{
	struct record *r = record_new();

	put(r, "pledge", "branch_pledge:1", "seq", "2", "period", "2026H1",
	    "current_period", "2026H1", "branch_id", "3", "kind", "fact",
	    "content", "更新老旧小区人防疏散标志", "target", "完成 12 个小区",
	    "measures", "4月摸底，5月施工，6月验收", "responsible_id", "8",
	    "due_date", "2026-06-15", "status", "doing", NULL);
	addrow(r, "progress", "date", "2026-04-28",
	    "text", "完成 12 个小区的摸底登记", NULL);
	return r;
}

static void
test_pledge_ledger(void)
{
	struct record *r = pledge_item(), *c;

	expect_ok("pledge_ledger", r, "an item in progress");
	broken("pledge_ledger", r,
	    "完成时限必须在承诺周期之内；跨周期的事项请写本半年能完成的阶段"
	    "目标。", "due_date", "2026-07-01", NULL);
	broken("pledge_ledger", r,
	    "完成时限必须在承诺周期之内；跨周期的事项请写本半年能完成的阶段"
	    "目标。", "due_date", "2025-12-31", NULL);
	broken("pledge_ledger", r,
	    "完成日期：完成情况为“已完成”时必须填写。",
	    "status", "done", NULL);
	broken("pledge_ledger", r, "完成日期不能晚于今天。",
	    "status", "done", "completed_on", "2026-05-21", NULL);
	broken("pledge_ledger", r, "完成日期不能早于承诺周期的开始日期。",
	    "status", "done", "completed_on", "2025-12-31", NULL);
	broken("pledge_ledger", r,
	    "未兑现原因及说明情况：完成情况为“未兑现（已说明）”时必须填写。",
	    "status", "unmet", NULL);
	broken("pledge_ledger", r, "党支部的承诺事项必须写明责任人。",
	    "responsible_id", NULL, NULL);
	broken("pledge_ledger", r, "具体承诺事项：必须填写。",
	    "content", NULL, NULL);
	broken("pledge_ledger", r, "所属承诺书：必须填写。",
	    "pledge", NULL, NULL);

	/* A member's own pledge needs no 责任人. */
	c = record_copy(r);
	put(c, "pledge", "member_pledge:4", "member_id", "5",
	    "responsible_id", NULL, NULL);
	expect_ok("pledge_ledger", c, "a member's item without 责任人");
	record_free(c);

	c = record_copy(r);
	put(c, "status", "done", "completed_on", "2026-05-20", NULL);
	expect_ok("pledge_ledger", c, "done today");
	record_free(c);

	c = record_copy(r);
	addrow(c, "progress", "date", "2026-05-21", "text", "提前写的进展",
	    NULL);
	expect1("pledge_ledger", c, "progress dated tomorrow",
	    "进展记录第2行：进展记录的日期不能晚于今天。");
	record_free(c);

	/* 逾期: past 完成时限 and not finished. */
	is_computed("pledge_ledger", r, "overdue", "", "not yet due");
	c = record_copy(r);
	put(c, "due_date", "2026-05-19", NULL);
	is_computed("pledge_ledger", c, "overdue", "逾期", "past due, doing");
	put(c, "status", "todo", NULL);
	is_computed("pledge_ledger", c, "overdue", "逾期", "past due, todo");
	put(c, "status", "done", "completed_on", "2026-05-18", NULL);
	is_computed("pledge_ledger", c, "overdue", "", "done");
	put(c, "status", "unmet", NULL);
	is_computed("pledge_ledger", c, "overdue", "", "unmet, explained");
	put(c, "status", "doing", "due_date", "2026-05-20", NULL);
	is_computed("pledge_ledger", c, "overdue", "", "due today");
	ctx.today = (struct date){ 2026, 5, 21 };
	is_computed("pledge_ledger", c, "overdue", "逾期", "the day after");
	ctx.today = (struct date){ 2026, 5, 20 };
	put(c, "due_date", NULL, NULL);
	is_computed("pledge_ledger", c, "overdue", "", "no due date");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件四 领导点评                                                       */
/* ------------------------------------------------------------------ */

static struct record *
leader_review(void)
{
	struct record *r = record_new();

	put(r, "period", "2026H1", "branch_id", "3", "secretary_id", "7",
	    "reviewer_name", "王建国", "reviewer_title", "办党组成员、副主任",
	    "review_date", "2026-05-10", "review_mode", "site",
	    "org_strengths", "按时完成人防工程验收任务",
	    "org_problems", "承诺事项量化不够",
	    "org_directions", "下半年重点抓好承诺事项的量化",
	    "sec_strengths", "带头承诺、带头践诺",
	    "sec_problems", "督促检查党员不够经常",
	    "sec_directions", "每月听取党员践诺情况",
	    "votes_s", "14", "votes_fs", "3", "votes_bs", "2", "votes_ns", "1",
	    "notified_on", "2026-05-15", "notify_way", "在支部党员大会上通报",
	    "filled_by", "李明", "filled_on", "2026-05-12", NULL);
	addrow(r, "rectify", "issue", "承诺事项量化不够",
	    "measures", "逐条补写量化目标", "responsible_id", "7",
	    "deadline", "2026-06-30", NULL);
	return r;
}

static void
test_leader_review(void)
{
	struct record *r = leader_review(), *c;

	expect_ok("leader_review", r, "a complete review");
	broken("leader_review", r, "点评时间必须在所选周期之内。",
	    "review_date", "2025-12-31", NULL);
	broken("leader_review", r, "填表日期不能早于点评时间。",
	    "filled_on", "2026-05-09", NULL);
	broken("leader_review", r, "通报日期不能早于点评时间。",
	    "notified_on", "2026-05-09", NULL);
	broken("leader_review", r, "已填写通报日期的，请写明通报方式和范围。",
	    "notify_way", NULL, NULL);
	broken("leader_review", r, "党员名册里这个党支部没有党内职务为「书记」"
	    "的党员，请选择书记。", "secretary_id", NULL, NULL);
	broken("leader_review", r, "对党组织：存在问题：必须填写。",
	    "org_problems", NULL, NULL);
	broken("leader_review", r, "对书记：努力方向：必须填写。",
	    "sec_directions", NULL, NULL);

	c = record_copy(r);
	record_remove(record_row(c, "rectify", 0), "issue");
	expect1("leader_review", c, "a rectify row without 存在问题",
	    "整改事项第1行“存在问题”：必须填写。");
	record_free(c);

	/* 14 满意, 3 比较满意, 2 基本满意, 1 不满意. */
	is_computed("leader_review", r, "score", "8.65", "10/7/5/2");
	is_computed("leader_review", r, "rate", "70.0%", "满意 ÷ 合计");
	is_computed("leader_review", r, "degree", "95.0%", "broad");
	set_formula = "strict";
	is_computed("leader_review", r, "degree", "70.0%", "strict");
	set_formula = NULL;
	c = record_copy(r);
	put(c, "votes_s", "0", "votes_fs", "0", "votes_bs", "0", "votes_ns",
	    "0", NULL);
	is_computed("leader_review", c, "score", "", "no votes");
	is_computed("leader_review", c, "degree", "", "no votes");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件五 书记点评党员                                                   */
/* ------------------------------------------------------------------ */

static struct record *
secretary_review(void)
{
	struct record *r = record_new();

	put(r, "member_id", "5", "post", "一级主任科员", "branch_id", "3",
	    "period", "2026H1", "reviewer_id", "7",
	    "review_date", "2026-05-18", "review_mode", "single",
	    "occasion", "one", "self_eval", "本半年承诺 3 项，已完成 2 项。",
	    "five_lead_strong", "study,serve", "five_lead_weak", "excel",
	    "strengths", "业务熟练", "problems", "联系群众不够经常",
	    "directions", "每月走访服务对象不少于 2 次",
	    "reviewer_sign_on", "2026-05-18", "member_sign_on", "2026-05-19",
	    NULL);
	return r;
}

static void
test_secretary_review(void)
{
	struct record *r = secretary_review();

	expect_ok("secretary_review", r, "a complete review");
	broken("secretary_review", r, "点评人不能是被点评党员本人。",
	    "reviewer_id", "5", NULL);
	broken("secretary_review", r, "点评时间必须在所选周期之内。",
	    "review_date", "2025-12-30", NULL);
	broken("secretary_review", r, "点评人签名日期不能早于点评时间。",
	    "reviewer_sign_on", "2026-05-17", NULL);
	broken("secretary_review", r, "被点评党员签名日期不能早于点评时间。",
	    "member_sign_on", "2026-05-17", NULL);
	broken("secretary_review", r, "党员自评：必须填写。",
	    "self_eval", NULL, NULL);
	broken("secretary_review", r, "点评人签名日期：必须填写。",
	    "reviewer_sign_on", NULL, NULL);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 附件六 群众评议                                                       */
/* ------------------------------------------------------------------ */

static void
org_row(struct record *r, const char *item, const char *s, const char *fs_,
    const char *bs, const char *ns)
{
	addrow(r, "org_rows", "item", item, "n_s", s, "n_fs", fs_,
	    "n_bs", bs, "n_ns", ns, NULL);
}

static struct record *
mass_eval(void)
{
	struct record *r = record_new();

	put(r, "branch_id", "3", "period", "2026H1", "eval_date", "2026-05-15",
	    "eval_method", "meeting,sheet", "members_total", "12",
	    "participants_party", "10", "participants_mass", "15",
	    "issued", "25", "returned", "22", "valid", "21",
	    "suggestions_count", "6", "issues_count", "2",
	    "reported_on", "2026-05-20", "report_way", "党务公开栏公布",
	    "filled_by", "赵敏", "secretary_sign_on", "2026-05-16",
	    "filled_on", "2026-05-16", NULL);
	org_row(r, "o1", "18", "2", "1", "0");
	org_row(r, "o2", "14", "3", "2", "1");
	org_row(r, "o3", "10", "5", "3", "3");
	org_row(r, "o4", "5", "4", "4", "8");
	org_row(r, "o5", "20", "1", "0", "0");
	addrow(r, "member_rows", "member_id", "5", "n_s", "18", "n_fs", "2",
	    "n_bs", "1", "n_ns", "0", NULL);
	addrow(r, "rectify", "issue", "突出问题整改进度慢",
	    "deadline", "2026-06-30", NULL);
	return r;
}

static void
test_mass_eval(void)
{
	struct record *r = mass_eval(), *c;

	expect_ok("mass_eval", r, "a complete tally");
	broken("mass_eval", r, "有效票数不能多于收回票数。",
	    "valid", "23", NULL);
	broken("mass_eval", r, "收回票数不能多于发出票数。",
	    "issued", "21", NULL);
	broken("mass_eval", r, "参评党员人数不能多于党员总数。",
	    "participants_party", "13", NULL);
	broken("mass_eval", r,
	    "收回票数不能多于参评人数合计（参评党员加参评群众）。",
	    "participants_mass", "11", NULL);
	broken("mass_eval", r, "评议日期必须在所选周期之内。",
	    "eval_date", "2025-12-31", NULL);
	broken("mass_eval", r, "通报日期不能早于评议日期。",
	    "reported_on", "2026-05-14", NULL);
	broken("mass_eval", r, "已填写通报日期的，请写明通报方式和范围。",
	    "report_way", NULL, NULL);
	broken("mass_eval", r, "填报日期不能早于评议日期。",
	    "filled_on", "2026-05-14", NULL);
	broken("mass_eval", r, "支部书记审核签名日期不能早于评议日期。",
	    "secretary_sign_on", "2026-05-14", NULL);
	broken("mass_eval", r, "有效票数：必须填写。", "valid", NULL, NULL);

	c = record_copy(r);
	record_remove_row(c, "org_rows", 2);
	expect1("mass_eval", c, "item o3 missing",
	    "对党支部评议缺少评议项目：通知规定的五个项目（中心工作和重点任务、"
	    "承诺践诺、办实事好事解难题、突出问题整改、党组织和党员队伍建设）"
	    "每项都要填一行。");
	record_free(c);

	c = record_copy(r);
	org_row(c, "o2", "1", "0", "0", "0");
	expect1("mass_eval", c, "item o2 twice",
	    "对党支部评议中同一个评议项目只能填一行。");
	record_free(c);

	c = record_copy(r);
	org_row(c, "o0", "15", "5", "1", "0");
	expect_ok("mass_eval", c, "with the optional 总体评价 row");
	record_free(c);

	c = record_copy(r);
	put(record_row(c, "org_rows", 0), "n_ns", "1", NULL);
	expect1("mass_eval", c, "a row with more votes than valid",
	    "对党支部评议第1行：四个等次的票数之和不能多于有效票数。");
	record_free(c);

	c = record_copy(r);
	put(record_row(c, "member_rows", 0), "n_bs", "2", NULL);
	expect1("mass_eval", c, "a member row with more votes than valid",
	    "对党员评议第1行：四个等次的票数之和不能多于有效票数。");
	record_free(c);

	/* Computed. */
	is_computed("mass_eval", r, "participants_total", "25", "10 + 15");
	is_row_computed("mass_eval", r, "org_rows", 0, "rate", "85.7%",
	    "18 of 21");
	is_row_computed("mass_eval", r, "org_rows", 0, "degree", "100.0%",
	    "broad 21 of 21");
	is_row_computed("mass_eval", r, "org_rows", 0, "score", "9.48",
	    "199 / 21");
	is_row_computed("mass_eval", r, "org_rows", 1, "score", "8.65",
	    "173 / 20 (one abstained)");
	is_row_computed("mass_eval", r, "org_rows", 1, "rate", "66.7%",
	    "14 of 21");
	is_row_computed("mass_eval", r, "org_rows", 1, "degree", "90.5%",
	    "broad 19 of 21");
	is_row_computed("mass_eval", r, "org_rows", 2, "warn", "",
	    "broad 85.7%, 不满意 14.3%");
	is_row_computed("mass_eval", r, "org_rows", 3, "warn", "需整改",
	    "不满意 38.1% > 20%");
	is_row_computed("mass_eval", r, "org_rows", 4, "warn", "", "20 满意");
	is_row_computed("mass_eval", r, "member_rows", 0, "rate", "85.7%",
	    "member 18 of 21");
	is_row_computed("mass_eval", r, "member_rows", 0, "score", "9.48",
	    "member score");
	set_formula = "strict";
	is_row_computed("mass_eval", r, "org_rows", 0, "degree", "85.7%",
	    "strict 18 of 21");
	is_row_computed("mass_eval", r, "org_rows", 1, "degree", "66.7%",
	    "strict 14 of 21");
	is_row_computed("mass_eval", r, "org_rows", 2, "warn", "需整改",
	    "strict 47.6% < 60%");
	is_row_computed("mass_eval", r, "org_rows", 0, "rate", "85.7%",
	    "满意率 does not depend on the setting");
	set_formula = NULL;

	c = record_copy(r);
	put(c, "valid", "0", NULL);
	clear_rows(c, "member_rows");
	clear_rows(c, "org_rows");
	org_row(c, "o1", "0", "0", "0", "0");
	is_row_computed("mass_eval", c, "org_rows", 0, "rate", "",
	    "no valid votes");
	is_row_computed("mass_eval", c, "org_rows", 0, "score", "",
	    "no votes");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 整改台账、整改通知书                                                  */
/* ------------------------------------------------------------------ */

static struct record *
rectification(void)
{
	struct record *r = record_new();

	put(r, "period", "2026H1", "current_period", "2026H1",
	    "branch_id", "3", "source", "self",
	    "issue", "党务公开栏内容更新不及时",
	    "measures", "宣传委员每月 5 日前更新", "responsible_id", "7",
	    "deadline", "2026-06-30", "status", "doing", NULL);
	addrow(r, "progress", "date", "2026-05-05", "text", "已制定更新制度",
	    NULL);
	return r;
}

static void
test_rectification(void)
{
	struct record *r = rectification(), *c;

	expect_ok("rectification", r, "an item in progress");
	broken("rectification", r, "整改时限不能早于问题所属周期的开始日期。",
	    "deadline", "2025-12-31", NULL);
	broken("rectification", r, "整改措施：状态为“整改中”时必须填写。",
	    "measures", NULL, NULL);
	broken("rectification", r,
	    "没有来源记录的问题，请选择问题来源（征求意见、自查或其他）。",
	    "source", NULL, NULL);
	broken("rectification", r,
	    "没有来源记录的问题，请选择负责整改的党支部。",
	    "branch_id", NULL, NULL);
	broken("rectification", r, "请填写整改时限，没有时限无法判断是否逾期。",
	    "deadline", NULL, NULL);

	/* Straight from a 整改通知书: only the issue and the deadline. */
	c = record_copy(r);
	put(c, "source", "rectification_notice", "source_ref",
	    "rectification_notice:2", "measures", NULL, "responsible_id", NULL,
	    "status", "todo", NULL);
	expect_ok("rectification", c, "a new item from a notice");
	put(c, "source", NULL, "branch_id", NULL, NULL);
	expect_ok("rectification", c,
	    "from a notice, before 问题来源 and 党支部 are derived");
	put(c, "status", "check", NULL);
	expect_list("rectification", c, "awaiting check without measures",
	    "整改措施：状态为“待验收”时必须填写。",
	    "责任人：状态为“待验收”时必须填写。", NULL);
	record_free(c);

	c = record_copy(r);
	put(c, "status", "closed", NULL);
	expect_list("rectification", c, "closed without proof",
	    "佐证材料：状态为“已销号”时必须填写。",
	    "验收人：状态为“已销号”时必须填写。",
	    "销号日期：状态为“已销号”时必须填写。", NULL);
	put(c, "evidence", "公开栏照片 3 张", "verifier", "周平",
	    "closed_on", "2026-05-19", NULL);
	expect_ok("rectification", c, "closed with proof");
	is_computed("rectification", c, "overdue", "", "closed");
	put(c, "closed_on", "2026-05-21", NULL);
	expect1("rectification", c,
	    "closed tomorrow", "销号日期不能晚于今天。");
	record_free(c);

	c = record_copy(r);
	addrow(c, "progress", "date", "2026-05-21", "text", "x", NULL);
	expect1("rectification", c, "progress dated tomorrow",
	    "进展记录第2行：进展记录的日期不能晚于今天。");
	record_free(c);

	is_computed("rectification", r, "overdue", "", "due 2026-06-30");
	c = record_copy(r);
	put(c, "deadline", "2026-05-19", NULL);
	is_computed("rectification", c, "overdue", "逾期", "past deadline");
	put(c, "status", "check", NULL);
	is_computed("rectification", c, "overdue", "逾期",
	    "awaiting check is still open");
	record_free(c);
	record_free(r);
}

static struct record *
notice(void)
{
	struct record *r = record_new();

	put(r, "notice_no", "2026-003", "period", "2026H1", "branch_id", "3",
	    "inspected_on", "2026-04-10", "inspection_type", "spot",
	    "situation", "抽查了三会一课记录和党课讲义",
	    "requirements", "补齐会议记录，建立讲义归档制度",
	    "deadline", "2026-05-31", "issued_on", "2026-04-15",
	    "issuer", "陈立", "received_by", "张三",
	    "received_on", "2026-04-16", "report_on", "2026-05-10",
	    "report_summary", "已补齐 3 次支委会记录",
	    "recheck_on", "2026-05-18", "rechecked_by", "周平",
	    "recheck_result", "pass", NULL);
	addrow(r, "issues", "issue", "3 月份支委会没有记录", NULL);
	addrow(r, "issues", "issue", "第一季度党课没有讲义", NULL);
	return r;
}

static void
test_notice(void)
{
	struct record *r = notice(), *c;

	expect_ok("rectification_notice", r, "a notice rechecked");
	broken("rectification_notice", r, "整改期限必须晚于签发日期。",
	    "deadline", "2026-04-15", NULL);
	broken("rectification_notice", r, "签发日期不能早于检查日期。",
	    "issued_on", "2026-04-09", NULL);
	broken("rectification_notice", r, "检查日期必须在所选周期之内。",
	    "inspected_on", "2025-12-20", NULL);
	broken("rectification_notice", r, "签收日期不能早于签发日期。",
	    "received_on", "2026-04-14", NULL);
	broken("rectification_notice", r, "整改报告日期不能早于签发日期。",
	    "report_on", "2026-04-14", NULL);
	broken("rectification_notice", r,
	    "已填写整改报告日期的，请填写整改报告摘要。",
	    "report_summary", NULL, NULL);
	broken("rectification_notice", r,
	    "复验前应先收到整改报告，请填写整改报告日期。",
	    "report_on", NULL, NULL);
	broken("rectification_notice", r, "复验日期不能早于整改报告日期。",
	    "recheck_on", "2026-05-09", NULL);
	broken("rectification_notice", r, "已填写复验日期的，请选择复验结果。",
	    "recheck_result", NULL, NULL);
	broken("rectification_notice", r,
	    "复验日期：复验结果为“通过”时必须填写。",
	    "recheck_on", NULL, NULL);
	broken("rectification_notice", r,
	    "复验人：复验结果为“通过”时必须填写。",
	    "rechecked_by", NULL, NULL);
	broken("rectification_notice", r,
	    "复验意见：复验结果为“未通过”时必须填写。",
	    "recheck_result", "fail", NULL);

	c = record_copy(r);
	put(c, "recheck_result", "redo", "recheck_opinion", "讲义仍缺 1 次",
	    NULL);
	expect_ok("rectification_notice", c, "限期补改 with an opinion");
	record_free(c);

	/* Just issued: nothing after the signature yet. */
	c = record_copy(r);
	put(c, "received_by", NULL, "received_on", NULL, "report_on", NULL,
	    "report_summary", NULL, "recheck_on", NULL, "rechecked_by", NULL,
	    "recheck_result", NULL, NULL);
	expect_ok("rectification_notice", c, "just issued");
	record_free(c);

	c = record_copy(r);
	clear_rows(c, "issues");
	expect1("rectification_notice", c, "no issues",
	    "存在问题：至少需要 1 行。");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* 三会一课                                                              */
/* ------------------------------------------------------------------ */

static struct record *
meeting(void)
{
	struct record *r = record_new();
	static const char *const present[] = { "5", "6", "7", "8" };
	size_t i;

	put(r, "period", "2026H1", "branch_id", "3", "meeting_type", "general",
	    "title", "讨论接收预备党员", "date", "2026-05-12",
	    "start_time", "14:30", "end_time", "16:00",
	    "location", "三楼党员活动室", "host_id", "7", "recorder_id", "8",
	    "expected", "5", "agenda", "1. 讨论接收张三为预备党员",
	    "minutes", "张三汇报思想和工作情况……", "decides", "1",
	    "election", "0", "host_signed", "2026-05-12",
	    "recorder_signed", "2026-05-13", NULL);
	for (i = 0; i < 4; i++)
		addrow(r, "attendees", "member_id", present[i], NULL);
	addrow(r, "absences", "member_id", "9", "reason", "sick",
	    "leave_approved", "1", NULL);
	addrow(r, "votes", "item", "接收张三为预备党员", "yes", "4", "no", "0",
	    "abstain", "0", NULL);
	return r;
}

static void
test_meeting(void)
{
	struct record *r = meeting(), *c;

	expect_ok("meeting", r, "a 党员大会 that decided");
	is_computed("meeting", r, "present", "4", "count(attendees)");
	is_computed("meeting", r, "no_handout", "", "not a 党课");

	broken("meeting", r, "结束时间必须晚于开始时间。",
	    "end_time", "14:30", NULL);
	broken("meeting", r, "会议日期不能晚于今天（会议记录在会后填写）。",
	    "date", "2026-05-21", "host_signed", NULL, "recorder_signed", NULL,
	    NULL);
	broken("meeting", r,
	    "应到人数必须等于实到人数加缺席人数，请核对出席名单和缺席名单。",
	    "expected", "6", NULL);
	broken("meeting", r, "主持人签字日期不能早于会议日期。",
	    "host_signed", "2026-05-11", NULL);
	broken("meeting", r, "记录人签字日期不能早于会议日期。",
	    "recorder_signed", "2026-05-11", NULL);
	broken("meeting", r, "党小组：会议类型为“党小组会”时必须填写。",
	    "meeting_type", "group", NULL);
	broken("meeting", r, "会议主题：必须填写。", "title", NULL, NULL);

	/* Quorum: 4 of 9 cannot decide. */
	c = record_copy(r);
	put(c, "expected", "9", NULL);
	addrow(c, "absences", "member_id", "10", "reason", "duty", NULL);
	addrow(c, "absences", "member_id", "11", "reason", "duty", NULL);
	addrow(c, "absences", "member_id", "12", "reason", "personal", NULL);
	addrow(c, "absences", "member_id", "13", "reason", "other",
	    "leave_approved", "0", NULL);
	expect1("meeting", c, "deciding with 4 of 9",
	    "有表决事项的会议，实到人数必须超过应到人数的一半。");
	put(c, "decides", "0", NULL);
	clear_rows(c, "votes");
	expect_ok("meeting", c, "4 of 9 without a decision");
	put(c, "meeting_type", "committee", NULL);
	expect1("meeting", c, "支委会 with 4 of 9",
	    "支部委员会须有半数以上委员到会。");
	record_free(c);

	/* Elections need four fifths: 4 of 5 is enough, 4 of 6 is not. */
	c = record_copy(r);
	put(c, "election", "1", NULL);
	expect_ok("meeting", c, "election with 4 of 5");
	put(c, "expected", "6", NULL);
	addrow(c, "absences", "member_id", "10", "reason", "duty", NULL);
	expect1("meeting", c, "election with 4 of 6",
	    "进行选举时，实到人数不得少于应到人数的五分之四。");
	record_free(c);

	c = record_copy(r);
	clear_rows(c, "votes");
	expect1("meeting", c, "deciding without votes",
	    "有表决事项的，请填写表决情况。");
	record_free(c);

	c = record_copy(r);
	put(record_row(c, "votes", 0), "yes", "5", NULL);
	expect1("meeting", c, "more votes than present",
	    "表决情况第1行：赞成、反对、弃权人数之和不能多于实到人数。");
	record_free(c);

	/* 党课: lecturer and title required, the handout may come later. */
	c = record_copy(r);
	put(c, "meeting_type", "lecture", "decides", "0", NULL);
	clear_rows(c, "votes");
	expect_list("meeting", c, "a 党课 without lecturer",
	    "授课人：会议类型为“党课”时必须填写。",
	    "党课题目：会议类型为“党课”时必须填写。", NULL);
	put(c, "lecturer", "王建国", "lecture_title", "学习党章，做合格党员",
	    NULL);
	expect_ok("meeting", c, "a 党课 without 讲义 yet");
	is_computed("meeting", c, "no_handout", "缺讲义", "党课 without 讲义");
	put(c, "handout", "一、党章的由来……", NULL);
	is_computed("meeting", c, "no_handout", "", "党课 with 讲义");
	record_free(c);
	record_free(r);
}

/* ------------------------------------------------------------------ */
/* Through the ledger: the links between the annexes                   */
/* ------------------------------------------------------------------ */

static struct store *st;
static struct ledger lg;
static char ids[8][24];		/* org and member ids as text */

/* Saves rec as a new record of kind, with the form's defaults as a
 * screen fills them in; returns its id, 0 on failure (then the problems
 * are shown). */
static uint64_t
save(const char *kind, struct record *rec)
{
	struct strlist pr;
	char *err = NULL;
	uint64_t id = 0;

	form_apply_defaults(form(kind), rec, &ctx.today);
	strlist_init(&pr);
	if (ledger_save(&lg, form(kind), rec, &pr, &err) == CX_OK)
		id = rec->id;
	else {
		printf("# %s not saved: %s\n", kind, err ? err : "");
		show(&pr);
	}
	free(err);
	strlist_free(&pr);
	return id;
}

/* The problems ledger_save reports for rec (nothing is saved). */
static void
save_problems(const char *kind, struct record *rec, struct strlist *pr)
{
	char *err = NULL;

	form_apply_defaults(form(kind), rec, &ctx.today);
	strlist_init(pr);
	ok(ledger_save(&lg, form(kind), rec, pr, &err) != CX_OK,
	    "%s refused", kind);
	free(err);
}

static struct record *
load(const char *kind, uint64_t id)
{
	struct record *r = NULL;
	char *err = NULL;

	if (ledger_get(&lg, form(kind), id, &r, &err) != CX_OK) {
		printf("# %s %llu: %s\n", kind, (unsigned long long)id,
		    err ? err : "");
		free(err);
		return NULL;
	}
	return r;
}

/* The child record behind row i of a stored rows field. */
static struct record *
child(const char *kind, const struct record *owner, const char *rows,
    size_t i)
{
	const struct record *row = record_row(owner, rows, i);
	const char *cid = row != NULL ? record_get(row, "_id") : NULL;

	if (cid == NULL)
		return NULL;
	return load(kind, strtoull(cid, NULL, 10));
}

static void
setup_roster(void)
{
	struct record *r;
	static const char *const people[][3] = {
		{ "张三", "secretary", "处长" },
		{ "李四", "member", "科员" },
		{ "王五", "organization", "副处长" },
		{ "赵六", "group_leader", "科员" },
	};
	uint64_t id;
	size_t i;

	r = record_new();
	put(r, "name", "机关党委", "type", "committee", NULL);
	id = save("org", r);
	snprintf(ids[0], sizeof ids[0], "%llu", (unsigned long long)id);
	record_free(r);
	r = record_new();
	put(r, "name", "办公室党支部", "type", "branch", "parent_id", ids[0],
	    NULL);
	id = save("org", r);
	snprintf(ids[1], sizeof ids[1], "%llu", (unsigned long long)id);
	record_free(r);
	for (i = 0; i < 4; i++) {
		r = record_new();
		put(r, "name", people[i][0], "gender", "m", "birth", "1980-05",
		    "joined", "2005-07-01", "status", "full",
		    "post", people[i][2], "branch_id", ids[1],
		    "party_role", people[i][1], NULL);
		id = save("member", r);
		snprintf(ids[2 + i], sizeof ids[2 + i], "%llu",
		    (unsigned long long)id);
		record_free(r);
	}
	ok(id != 0, "roster saved");
}

static void
test_ledger_pledges(void)
{
	struct record *r = record_new(), *o, *c;
	struct strlist pr;
	uint64_t id;

	/* 附件一: the secretary, roster size and deadline come by
	 * themselves; each item becomes a 附件三 record. */
	put(r, "period", "2026H1", "branch_id", ids[1],
	    "signed_on", "2026-01-20", NULL);
	addrow(r, "items", "kind", "service", "content", "窗口服务限时办结",
	    "target", "办结率 100%", "measures", "设立党员示范岗",
	    "responsible_id", ids[3], "due_date", "2026-06-30", NULL);
	addrow(r, "items", "kind", "fact", "content", "更新疏散标志",
	    "target", "12 个小区", "measures", "分片施工",
	    "responsible_id", ids[4], "due_date", "2026-06-15", NULL);
	c = record_copy(r);
	put(record_row(c, "items", 1), "due_date", "2026-07-01", NULL);
	record_remove(record_row(c, "items", 0), "responsible_id");
	save_problems("branch_pledge", c, &pr);
	is_int(pr.n, 2, "two problems in the items");
	is_str(pr.n > 0 ? pr.v[0] : NULL,
	    "承诺事项第1行：党支部的承诺事项必须写明责任人。",
	    "the ledger's rule, named by row");
	is_str(pr.n > 1 ? pr.v[1] : NULL,
	    "承诺事项第2行：完成时限必须在承诺周期之内；跨周期的事项请写本"
	    "半年能完成的阶段目标。", "the ledger's period rule, by row");
	strlist_free(&pr);
	record_free(c);

	id = save("branch_pledge", r);
	ok(id != 0, "附件一 saved");
	record_free(r);
	o = load("branch_pledge", id);
	if (o == NULL)
		return;
	is_str(record_get(o, "secretary_id"), ids[2],
	    "支部书记 from the roster");
	is_str(record_get(o, "member_count"),
	    "4", "在册党员数 from the roster");
	is_str(record_get(o, "filing_due"), "2026-07-15", "备案期限 of 2026H1");
	is_int(record_nrows(o, "items"), 2, "two items");
	c = child("pledge_ledger", o, "items", 1);
	ok(c != NULL, "item 2 is a 附件三 record");
	if (c != NULL) {
		char *link = xasprintf("branch_pledge:%llu",
		    (unsigned long long)id);

		is_str(record_get(c, "pledge"), link, "linked to its 附件一");
		is_str(record_get(c, "period"),
		    "2026H1", "承诺周期 from 附件一");
		is_str(record_get(c, "current_period"), "2026H1",
		    "所在周期 starts as the period");
		is_str(record_get(c, "branch_id"), ids[1],
		    "承诺单位 from 附件一");
		is_str(record_get(c, "content"), "更新疏散标志", "the content");
		is_str(record_get(c, "status"), "todo", "未开始 by default");
		is_str(record_get(c, "seq"), "2", "序号");
		free(link);
		record_free(c);
	}
	record_free(o);

	/* 附件二: the member's branch and post; no 责任人 needed. */
	r = record_new();
	put(r, "member_id", ids[3], "period", "2026H1", NULL);
	addrow(r, "items", "kind", "service", "five_lead", "serve",
	    "content", "每月走访服务对象", "target", "每月 2 次",
	    "measures", "结合业务检查走访", "due_date", "2026-06-30", NULL);
	id = save("member_pledge", r);
	ok(id != 0, "附件二 saved");
	record_free(r);
	o = id != 0 ? load("member_pledge", id) : NULL;
	if (o == NULL)
		return;
	is_str(record_get(o, "branch_id"), ids[1],
	    "所在党支部 from the roster");
	is_str(record_get(o, "post"), "科员", "职务/岗位 from the roster");
	c = child("pledge_ledger", o, "items", 0);
	ok(c != NULL, "the item is a 附件三 record");
	if (c != NULL) {
		is_str(record_get(c, "member_id"), ids[3],
		    "承诺人 from 附件二");
		is_str(record_get(c, "branch_id"), ids[1],
		    "承诺单位 from 附件二");
		record_free(c);
	}
	record_free(o);
}

static void
test_ledger_rectification(void)
{
	struct record *r = record_new(), *o, *c;
	uint64_t id;

	/* 整改通知书: each issue is a 整改台账 record with the notice's
	 * deadline. */
	put(r, "notice_no", "2026-003", "period", "2026H1", "branch_id", ids[1],
	    "inspected_on", "2026-04-10", "inspection_type", "spot",
	    "situation", "抽查三会一课记录", "requirements", "补齐记录",
	    "deadline", "2026-05-31", "issued_on", "2026-04-15",
	    "issuer", "陈立", NULL);
	addrow(r, "issues", "issue", "3 月份支委会没有记录", NULL);
	id = save("rectification_notice", r);
	ok(id != 0, "整改通知书 saved");
	record_free(r);
	o = id != 0 ? load("rectification_notice", id) : NULL;
	c = o != NULL ? child("rectification", o, "issues", 0) : NULL;
	ok(c != NULL, "the issue is a 整改台账 record");
	if (c != NULL) {
		is_str(record_get(c, "source"), "rectification_notice",
		    "问题来源 from the link");
		is_str(record_get(c, "deadline"), "2026-05-31",
		    "整改时限 from the notice");
		is_str(record_get(c, "branch_id"), ids[1],
		    "党支部 from the notice");
		is_str(record_get(c, "period"),
		    "2026H1", "所属周期 from the notice");
		is_str(record_get(c, "status"), "todo", "未启动 by default");
		record_free(c);
	}
	record_free(o);

	/* 附件四: the 整改时限 typed in its table is kept (the notice-only
	 * auto gives nothing for a 领导点评). */
	r = record_new();
	put(r, "period", "2026H1", "branch_id", ids[1],
	    "reviewer_name", "王建国", "reviewer_title", "副主任",
	    "review_date", "2026-05-10", "review_mode", "site",
	    "org_strengths", "a", "org_problems", "b", "org_directions", "c",
	    "sec_strengths", "d", "sec_problems", "e", "sec_directions", "f",
	    "filled_by", "李明", "filled_on", "2026-05-12", NULL);
	addrow(r, "rectify", "issue", "承诺事项量化不够",
	    "measures", "补写目标", "responsible_id", ids[2],
	    "deadline", "2026-06-30", NULL);
	id = save("leader_review", r);
	ok(id != 0, "附件四 saved with a typed 整改时限");
	record_free(r);
	o = id != 0 ? load("leader_review", id) : NULL;
	c = o != NULL ? child("rectification", o, "rectify", 0) : NULL;
	if (o != NULL)
		is_str(record_get(o, "secretary_id"), ids[2],
		    "书记 from the roster");
	if (c != NULL) {
		is_str(record_get(c, "source"),
		    "leader_review", "问题来源 领导点评");
		is_str(record_get(c, "deadline"),
		    "2026-06-30", "typed 整改时限 kept");
		is_str(record_get(c, "measures"),
		    "补写目标", "整改措施 from the table");
		record_free(c);
	}
	record_free(o);
}

static void
test_ledger_meeting(void)
{
	struct record *r = record_new(), *o;
	uint64_t id;

	/* 支委会: 应到 is the committee (书记 and 组织委员), both present. */
	put(r, "branch_id", ids[1], "meeting_type", "committee",
	    "title", "研究半年工作", "date", "2026-05-12",
	    "start_time", "09:00", "end_time", "10:30", "location", "会议室",
	    "host_id", ids[2], "recorder_id", ids[4],
	    "agenda", "1. 研究半年工作", "minutes", "……", NULL);
	addrow(r, "attendees", "member_id", ids[2], NULL);
	addrow(r, "attendees", "member_id", ids[4], NULL);
	id = save("meeting", r);
	ok(id != 0, "支委会 saved");
	record_free(r);
	o = id != 0 ? load("meeting", id) : NULL;
	if (o == NULL)
		return;
	is_str(record_get(o, "expected"), "2", "应到 = 支部委员");
	is_str(record_get(o, "period"), "2026H1", "周期 from the date");
	is_str(record_get(o, "present"), NULL, "实到 is computed, not stored");
	record_free(o);
}

static void
test_ledger(void)
{
	char tmp[] = "/tmp/cxzy-forms.XXXXXX";
	char *err = NULL, *cmd;

	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	if (store_open(tmp, fs, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "store: %s", err);
		free(err);
		return;
	}
	ledger_init(&lg, st, fs);
	ok(date_cmp(&lg.ctx.today, &ctx.today) == 0, "the ledger's today");
	setup_roster();
	test_ledger_pledges();
	test_ledger_rectification();
	test_ledger_meeting();
	ledger_fini(&lg);
	store_close(st);
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	free(cmd);
}

int
main(void)
{
	const char *dir = getenv("CXZY_FORMS");
	char *err = NULL;

	setenv("CXZY_NOW", "2026-05-20 10:00:00", 1);
	setenv("TZ", "Asia/Shanghai", 1);

	if (dir == NULL || *dir == '\0')
		dir = TEST_FORMSDIR;
	if (formset_load_dir(dir, &fs, &err) != CX_OK) {
		printf("Bail out! forms in %s: %s\n", dir, err);
		free(err);
		return 1;
	}
	ctx.today = (struct date){ 2026, 5, 20 };
	ctx.setting = test_setting;
	ctx.arg = NULL;

	test_settings();
	test_branch_pledge();
	test_member_pledge();
	test_pledge_ledger();
	test_leader_review();
	test_secretary_review();
	test_mass_eval();
	test_rectification();
	test_notice();
	test_meeting();
	test_ledger();
	formset_free(fs);
	return tap_done();
}
