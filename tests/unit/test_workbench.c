/* test_workbench.c: 工作台 items appear for what is missing or late and
 * disappear once it is entered or finished.  Records are made through
 * ledger_save (the same path as every screen), with a fixed clock. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "ledger.h"
#include "model.h"
#include "store.h"
#include "tap.h"
#include "workbench.h"

#define NOW "2026-11-27 10:00:00"

static struct formset *fs;
static struct store *st;
static struct ledger lg;
static bool have_meeting;

static void
rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	if (system(cmd) != 0)
		printf("# could not remove %s\n", path);
	free(cmd);
}

/* Builds a record from "field=value" and "rows.N.col=value" strings
 * (NULL-terminated); row numbers start at 1 and must come in order. */
static struct record *
rec_make(const char *first, ...)
{
	struct record *r = record_new();
	const char *a;
	va_list ap;

	va_start(ap, first);
	for (a = first; a != NULL; a = va_arg(ap, const char *)) {
		const char *eq = strchr(a, '=');
		char *name = xstrndup(a, (size_t)(eq - a));
		char *dot = strchr(name, '.');

		if (dot != NULL) {
			char *col = strchr(dot + 1, '.');
			size_t n;

			*dot = '\0';
			*col = '\0';
			n = (size_t)atoi(dot + 1);
			while (record_nrows(r, name) < n)
				record_add_row(r, name);
			record_set(record_row(r, name, n - 1), col + 1, eq + 1);
		} else
			record_set(r, name, eq + 1);
		free(name);
	}
	va_end(ap);
	return r;
}

/* Saves through the ledger; prints the problems when it refuses. */
static uint64_t
save(const char *kind, struct record *r)
{
	const struct form *f = formset_find(fs, kind);
	struct strlist problems;
	char *err = NULL;
	uint64_t id = 0;
	size_t i;

	if (f == NULL) {
		printf("# no form %s\n", kind);
		record_free(r);
		return 0;
	}
	/* As the screens do: a new record starts with the defaults. */
	form_apply_defaults(f, r, &lg.ctx.today);
	strlist_init(&problems);
	if (ledger_save(&lg, f, r, &problems, &err) == CX_OK)
		id = r->id;
	else {
		printf("# %s not saved: %s\n", kind, err ? err : "");
		for (i = 0; i < problems.n; i++)
			printf("#   %s\n", problems.v[i]);
	}
	free(err);
	strlist_free(&problems);
	record_free(r);
	return id;
}

/* Changes fields of a stored record (loaded with its rows). */
static bool
update(const char *kind, uint64_t id, const char *field, const char *value,
    ...)
{
	const struct form *f = formset_find(fs, kind);
	struct record *r = NULL;
	struct strlist problems;
	char *err = NULL;
	va_list ap;
	bool ok;
	size_t i;

	if (f == NULL || ledger_get(&lg, f, id, &r, &err) != CX_OK) {
		printf("# %s %llu not loaded: %s\n", kind,
		    (unsigned long long)id, err ? err : "");
		free(err);
		return false;
	}
	va_start(ap, value);
	while (field != NULL) {
		record_set(r, field, value);
		field = va_arg(ap, const char *);
		if (field != NULL)
			value = va_arg(ap, const char *);
	}
	va_end(ap);
	strlist_init(&problems);
	ok = ledger_save(&lg, f, r, &problems, &err) == CX_OK;
	if (!ok) {
		printf("# %s %llu not saved: %s\n", kind,
		    (unsigned long long)id, err ? err : "");
		for (i = 0; i < problems.n; i++)
			printf("#   %s\n", problems.v[i]);
	}
	free(err);
	strlist_free(&problems);
	record_free(r);
	return ok;
}

/* Stores without validation: a state the forms would not let a user
 * reach but that old data may hold. */
static uint64_t
put_raw(const char *kind, struct record *r)
{
	char *err = NULL;
	uint64_t id = 0;

	if (store_put(st, formset_find(fs, kind), r, &err) == CX_OK)
		id = r->id;
	else
		printf("# put %s: %s\n", kind, err);
	free(err);
	record_free(r);
	return id;
}

static struct workbench wb;

static void
build(const char *code)
{
	struct period p;
	char *err = NULL;

	workbench_free(&wb);
	if (model_period_parse(code, &p, &err) != CX_OK ||
	    workbench_build(&lg, &p, &wb, &err) != CX_OK) {
		printf("# build %s: %s\n", code, err);
		free(err);
		memset(&wb, 0, sizeof wb);
	}
}

static size_t
count(enum wb_what what, uint64_t branch)
{
	size_t i, n = 0;

	for (i = 0; i < wb.n; i++)
		if (wb.items[i].what == what && (branch == 0 ||
		    wb.items[i].branch_id == branch))
			n++;
	return n;
}

static const struct wb_item *
find(uint64_t branch, const char *text)
{
	size_t i;

	for (i = 0; i < wb.n; i++)
		if (wb.items[i].branch_id == branch &&
		    strcmp(wb.items[i].text, text) == 0)
			return &wb.items[i];
	return NULL;
}

static void
dump(void)
{
	size_t i;

	for (i = 0; i < wb.n; i++)
		printf("#   [%s] %d %s\n", wb.items[i].branch,
		    (int)wb.items[i].what, wb.items[i].text);
}

static bool
has(uint64_t branch, const char *text)
{
	bool found = find(branch, text) != NULL;

	if (!found) {
		printf("# no item \"%s\" among:\n", text);
		dump();
	}
	return found;
}

enum { COMMITTEE = 1, BR_A = 2, BR_B = 3, GROUP_A = 4, DIRECT = 5 };
enum { ZHANG = 1, LI = 2, WANG = 3, ZHAO = 4 };

static void
setup(void)
{
	ok(save("org", rec_make("name=机关党委", "type=committee", NULL)) ==
	    COMMITTEE, "committee");
	ok(save("org", rec_make("name=一支部", "type=branch", "parent_id=1",
	    NULL)) == BR_A, "branch A");
	ok(save("org", rec_make("name=二支部", "type=branch", "parent_id=1",
	    NULL)) == BR_B, "branch B");
	ok(save("org", rec_make("name=一支部第一党小组", "type=group",
	    "parent_id=2", NULL)) == GROUP_A, "group of A");
	ok(save("org", rec_make("name=直属党小组", "type=direct_group",
	    "parent_id=1", NULL)) == DIRECT, "direct group");
	ok(save("member", rec_make("name=张三", "gender=m", "birth=1975-03",
	    "joined=2000-07-01", "branch_id=2", "group_id=4",
	    "party_role=secretary", "post=处长", NULL)) == ZHANG, "张三");
	ok(save("member", rec_make("name=李四", "gender=f", "birth=1985-05",
	    "joined=2010-07-01", "branch_id=2", "group_id=4", NULL)) == LI,
	    "李四");
	ok(save("member", rec_make("name=王五", "gender=m", "birth=1990-01",
	    "joined=2015-07-01", "branch_id=3", NULL)) == WANG, "王五");
	ok(save("member", rec_make("name=赵六", "gender=m", "birth=1970-12",
	    "joined=1995-07-01", "branch_id=5", NULL)) == ZHAO, "赵六");
}

static void
test_empty_period(void)
{
	const struct wb_item *it;
	size_t i;
	bool ordered = true;

	build("2026H2");
	is_int(wb.period.year, 2026, "period year");
	is_int(wb.period.half, 2, "period half");
	ok(wb.due.y == 2027 && wb.due.m == 1 && wb.due.d == 15,
	    "filing deadline 2027-01-15");
	is_int(wb.days_left, 49, "49 days from 2026-11-27 to the deadline");

	is_int(count(WB_NO_BRANCH_PLEDGE, 0), 3, "three orgs without 附件一");
	is_int(count(WB_NO_MEMBER_PLEDGE, 0), 4, "four members without 附件二");
	is_int(count(WB_NO_MEMBER_REVIEW, 0), 4, "four members without 附件五");
	is_int(count(WB_NO_LEADER_REVIEW, 0), 3, "three orgs without 附件四");
	is_int(count(WB_NO_MASS_EVAL, 0), 3, "three orgs without 附件六");
	is_int(count(WB_PLEDGE_OVERDUE, 0), 0, "nothing overdue yet");
	ok(count(WB_NO_BRANCH_PLEDGE, COMMITTEE) + count(WB_NO_BRANCH_PLEDGE,
	    GROUP_A) == 0, "the committee and a 党小组 have no items");

	it = find(BR_A, "没有党支部公开承诺书（附件一）");
	ok(it != NULL, "A: no 附件一");
	if (it != NULL) {
		is_str(it->branch, "一支部", "item names its branch");
		is_str(it->kind, "branch_pledge", "fixed in a new 附件一");
		is_int(it->id, 0, "a new record");
		ok(it->prefill != NULL, "with fields filled in");
		if (it->prefill != NULL) {
			is_str(record_get(it->prefill, "period"), "2026H2",
			    "prefill period");
			is_str(record_get(it->prefill, "branch_id"), "2",
			    "prefill branch");
		}
	}
	it = find(BR_A, "李四 没有党员公开承诺书（附件二）");
	ok(it != NULL, "A: 李四 without 附件二");
	if (it != NULL && it->prefill != NULL) {
		is_str(it->kind, "member_pledge", "fixed in a new 附件二");
		is_str(record_get(it->prefill, "member_id"), "2",
		    "prefill member");
	}
	ok(has(BR_A, "张三 没有书记点评（附件五）"), "A: 张三 without 附件五");
	ok(has(BR_B, "没有上级领导点评（附件四）"), "B: no 附件四");
	ok(has(DIRECT, "没有群众评议情况统计表（附件六）"), "direct: no 附件六");

	/* Ordered by branch (org order), then by what. */
	for (i = 1; i < wb.n; i++) {
		if (wb.items[i].branch_id < wb.items[i - 1].branch_id ||
		    (wb.items[i].branch_id == wb.items[i - 1].branch_id &&
		    wb.items[i].what < wb.items[i - 1].what))
			ordered = false;
	}
	ok(ordered, "items ordered by branch, then by what");
	ok(wb.n > 0 && wb.items[0].branch_id == BR_A, "branch A first");

	if (!have_meeting)
		return;
	/* 149 of 184 days gone, whole meetings only: 2 → 1 (2 * 149 / 184
	 * = 1.6), 6 → 4 (4.9). */
	ok(has(BR_A, "支部党员大会 本半年应开 2 次，到目前应开 1 次，已开 0 次"),
	    "A: 党员大会 short");
	ok(has(BR_A, "支部委员会 本半年应开 6 次，到目前应开 4 次，已开 0 次"),
	    "A: 支委会 short");
	ok(has(BR_A, "党小组会 本半年应开 6 次，到目前应开 4 次，已开 0 次"),
	    "A: 党小组会 short (one group)");
	ok(has(BR_A, "党课 本半年应开 2 次，到目前应开 1 次，已开 0 次"),
	    "A: 党课 short");
	is_int(count(WB_MEETINGS_SHORT, BR_B), 3,
	    "B has no 党小组: three meeting types");
	is_int(count(WB_MEETINGS_SHORT, DIRECT), 2,
	    "a 直属党小组: 党小组会 and 党课 only");
	ok(has(DIRECT, "党小组会 本半年应开 6 次，到目前应开 4 次，已开 0 次"),
	    "direct: 党小组会 short");
	it = find(BR_A, "党课 本半年应开 2 次，到目前应开 1 次，已开 0 次");
	if (it != NULL && it->prefill != NULL) {
		is_str(it->kind, "meeting", "fixed in a new meeting");
		is_str(record_get(it->prefill, "meeting_type"), "lecture",
		    "prefill meeting type");
		is_str(record_get(it->prefill, "branch_id"), "2",
		    "prefill meeting branch");
	}
}

static void
test_pledges(void)
{
	const struct form *bf = formset_find(fs, "branch_pledge");
	struct record *r = NULL;
	const struct wb_item *it;
	const char *id1;
	uint64_t bp, mp, pl1 = 0;
	char *err = NULL;

	bp = save("branch_pledge", rec_make("period=2026H2", "branch_id=2",
	    "signed_on=2026-07-10",
	    "items.1.kind=service", "items.1.content=为群众办理证件提供上门服务",
	    "items.1.target=全年上门 20 次", "items.1.measures=每月排班",
	    "items.1.responsible_id=1", "items.1.due_date=2026-09-30",
	    "items.2.kind=fact", "items.2.content=维修活动室",
	    "items.2.target=12月底前完工", "items.2.measures=申请经费，组织施工",
	    "items.2.responsible_id=2", "items.2.due_date=2026-12-31", NULL));
	ok(bp > 0, "附件一 for A saved");
	if (bp == 0)
		return;
	ok(ledger_get(&lg, bf, bp, &r, &err) == CX_OK &&
	    record_nrows(r, "items") == 2, "附件一 reads back with two items");
	id1 = r && record_nrows(r, "items") > 0 ?
	    record_get(record_row(r, "items", 0), "_id") : NULL;
	ok(id1 != NULL && util_parse_id(id1, &pl1), "item 1 is a record");
	record_free(r);

	build("2026H2");
	ok(find(BR_A, "没有党支部公开承诺书（附件一）") == NULL,
	    "A: the 附件一 item is gone");
	is_int(count(WB_NO_BRANCH_PLEDGE, 0), 2, "two orgs still without 附件一");
	it = find(BR_A, "承诺事项「为群众办理证件提供上门服务」已过完成时限（2026-09-30）");
	ok(it != NULL, "A: the item past its 完成时限 is listed");
	if (it != NULL) {
		is_str(it->kind, "pledge_ledger", "fixed in the 附件三 record");
		is_int(it->id, pl1, "that very record");
		ok(it->prefill == NULL, "no prefill for an existing record");
	}
	is_int(count(WB_PLEDGE_OVERDUE, 0), 1,
	    "the item due 2026-12-31 is not overdue");

	ok(update("pledge_ledger", pl1, "status", "doing", NULL),
	    "item in progress");
	build("2026H2");
	is_int(count(WB_PLEDGE_OVERDUE, BR_A), 1, "in progress is still overdue");
	ok(update("pledge_ledger", pl1, "status", "done", "completed_on",
	    "2026-10-08", NULL), "item done");
	build("2026H2");
	is_int(count(WB_PLEDGE_OVERDUE, 0), 0, "a finished item is not overdue");

	mp = save("member_pledge", rec_make("period=2026H2", "member_id=2",
	    "signed_on=2026-07-12",
	    "items.1.kind=service", "items.1.content=每周整理一次党建档案",
	    "items.1.target=档案齐全", "items.1.measures=每周五下午整理",
	    "items.1.due_date=2026-08-31", NULL));
	ok(mp > 0, "附件二 for 李四 saved");
	build("2026H2");
	ok(find(BR_A, "李四 没有党员公开承诺书（附件二）") == NULL,
	    "李四's 附件二 item is gone");
	ok(has(BR_A, "张三 没有党员公开承诺书（附件二）"), "张三's remains");
	ok(has(BR_A, "李四 承诺事项「每周整理一次党建档案」已过完成时限（2026-08-31）"),
	    "a member's overdue item names the member");
}

static void
test_reviews(void)
{
	uint64_t lr, raw;
	const struct wb_item *it;

	lr = save("leader_review", rec_make("period=2026H2", "branch_id=2",
	    "reviewer_name=刘主任", "reviewer_title=办党组成员",
	    "review_date=2026-11-20", "review_mode=central",
	    "org_strengths=承诺事项落实较好", "org_problems=学习不够系统",
	    "org_directions=加强学习", "sec_strengths=带头作用明显",
	    "sec_problems=调研不够", "sec_directions=多深入基层",
	    "filled_by=王秘书", "filled_on=2026-11-21", NULL));
	ok(lr > 0, "附件四 for A saved");
	build("2026H2");
	is_int(count(WB_NO_LEADER_REVIEW, BR_A), 0, "A reviewed, secretary too");

	/* A review without a word on the secretary (old data). */
	raw = put_raw("leader_review", rec_make("period=2026H2", "branch_id=3",
	    "reviewer_name=刘主任", "review_date=2026-11-20", NULL));
	build("2026H2");
	is_int(count(WB_NO_LEADER_REVIEW, BR_B), 0,
	    "B has no secretary: the branch review is enough");
	ok(update("member", WANG, "party_role", "secretary", NULL),
	    "王五 becomes B's secretary");
	build("2026H2");
	it = find(BR_B, "书记未点评：上级领导点评（附件四）中没有对书记王五的点评");
	ok(it != NULL, "B: 书记未点评");
	if (it != NULL) {
		is_str(it->kind, "leader_review", "fixed in the 附件四");
		is_int(it->id, raw, "that very record");
	}
	if (it == NULL)
		dump();
	ok(update("member", WANG, "party_role", "member", NULL),
	    "王五 is a member again");

	ok(save("secretary_review", rec_make("period=2026H2", "member_id=2",
	    "reviewer_id=1", "review_date=2026-11-15", "review_mode=single",
	    "self_eval=完成了承诺", "strengths=认真", "problems=经验不足",
	    "directions=多学习", "reviewer_sign_on=2026-11-15", NULL)) > 0,
	    "附件五 for 李四 saved");
	build("2026H2");
	ok(find(BR_A, "李四 没有书记点评（附件五）") == NULL,
	    "李四's 附件五 item is gone");
	ok(has(BR_A, "张三 没有书记点评（附件五）"), "张三's remains");

	ok(save("mass_eval", rec_make("period=2026H2", "branch_id=3",
	    "eval_date=2026-11-10", "eval_method=meeting",
	    "participants_party=1", "participants_mass=10", "issued=11",
	    "returned=11", "valid=11", "suggestions_count=2",
	    "issues_count=1", "filled_by=王五", "filled_on=2026-11-11",
	    "org_rows.1.item=o1", "org_rows.1.n_s=8",
	    "org_rows.2.item=o2", "org_rows.2.n_s=8",
	    "org_rows.3.item=o3", "org_rows.3.n_s=8",
	    "org_rows.4.item=o4", "org_rows.4.n_s=8",
	    "org_rows.5.item=o5", "org_rows.5.n_s=8", NULL)) > 0,
	    "附件六 for B saved");
	build("2026H2");
	is_int(count(WB_NO_MASS_EVAL, BR_B), 0, "B's 附件六 item is gone");
	is_int(count(WB_NO_MASS_EVAL, 0), 2, "two orgs still without 附件六");
}

static void
test_rectification(void)
{
	const struct form *nf = formset_find(fs, "rectification_notice");
	const struct form *rf = formset_find(fs, "rectification");
	struct record *n = NULL, *rc = NULL;
	const struct wb_item *it;
	const char *rid;
	uint64_t notice, rect = 0;
	char *err = NULL;

	notice = save("rectification_notice", rec_make("notice_no=2026-01",
	    "period=2026H2", "branch_id=3", "inspected_on=2026-09-01",
	    "inspection_type=regular", "situation=检查了三会一课记录",
	    "issues.1.issue=三会一课记录不全", "requirements=补齐记录",
	    "deadline=2026-10-31", "issued_on=2026-09-02", "issuer=机关党委",
	    NULL));
	ok(notice > 0, "整改通知书 for B saved");
	if (notice == 0)
		return;
	ok(ledger_get(&lg, nf, notice, &n, &err) == CX_OK &&
	    record_nrows(n, "issues") == 1, "notice reads back with its issue");
	rid = n ? record_get(record_row(n, "issues", 0), "_id") : NULL;
	ok(rid != NULL && util_parse_id(rid, &rect), "the issue is a record");
	record_free(n);
	if (rect == 0)
		return;
	ok(store_get(st, rf, rect, &rc, &err) == CX_OK, "整改台账 entry exists");
	if (rc != NULL) {
		is_str(record_get(rc, "deadline"), "2026-10-31",
		    "its 整改时限 is the notice's");
		is_str(record_get(rc, "branch_id"), "3", "its branch");
		is_str(record_get(rc, "current_period"), "2026H2",
		    "its current period");
	}
	record_free(rc);

	build("2026H2");
	it = find(BR_B, "整改事项「三会一课记录不全」已过整改时限（2026-10-31）");
	ok(it != NULL, "B: overdue rectification listed");
	if (it != NULL)
		ok(it->id == rect && strcmp(it->kind, "rectification") == 0,
		    "fixed in the 整改台账 record");
	it = find(BR_B, "整改通知书（2026-01）整改时限（2026-10-31）已过，等待复验");
	ok(it != NULL, "B: notice awaiting 复验 (deadline passed)");
	if (it == NULL)
		dump();
	else
		ok(it->id == notice, "fixed in the notice");

	ok(update("rectification_notice", notice, "report_on", "2026-10-20",
	    "report_summary", "已补齐", NULL), "report received");
	build("2026H2");
	ok(has(BR_B, "整改通知书（2026-01）已于 2026-10-20 报告整改情况，等待复验"),
	    "B: notice awaiting 复验 (reported)");
	ok(update("rectification_notice", notice, "recheck_on", "2026-11-01",
	    "rechecked_by", "刘主任", "recheck_result", "pass", NULL),
	    "rechecked");
	build("2026H2");
	is_int(count(WB_NOTICE_RECHECK, 0), 0, "no notice awaits 复验");

	ok(update("rectification", rect, "status", "closed", "measures",
	    "逐月补记", "responsible_id", "3", "evidence", "补记的记录本",
	    "verifier", "刘主任", "closed_on", "2026-11-02", NULL),
	    "rectification closed");
	build("2026H2");
	is_int(count(WB_RECTIFY_OVERDUE, 0), 0, "a closed item is not overdue");
}

static void
test_meetings(void)
{
	uint64_t m;
	const struct wb_item *it;

	if (!have_meeting) {
		ok(1, "# skip: no meeting form");
		return;
	}
	m = save("meeting", rec_make("branch_id=2", "meeting_type=lecture",
	    "title=学习党章", "lecturer=张三", "lecture_title=学习党章",
	    "date=2026-09-10", "start_time=09:00", "end_time=10:30",
	    "location=会议室", "host_id=1", "recorder_id=2",
	    "agenda=学习党章", "minutes=张三同志讲授党课。",
	    "attendees.1.member_id=1", "attendees.2.member_id=2", NULL));
	ok(m > 0, "a 党课 without 讲义 saved");
	build("2026H2");
	it = find(BR_A, "党课「学习党章」（2026-09-10）没有讲义");
	ok(it != NULL, "A: 党课 without 讲义 listed");
	if (it == NULL)
		dump();
	else
		ok(it->id == m && strcmp(it->kind, "meeting") == 0,
		    "fixed in that meeting");
	ok(find(BR_A, "党课 本半年应开 2 次，到目前应开 1 次，已开 0 次") == NULL,
	    "the 党课 is counted: the one due is held");
	is_int(count(WB_MEETINGS_SHORT, BR_A), 3,
	    "A: three meeting types left short");
	ok(update("meeting", m, "handout", "一、学习党章的意义……", NULL),
	    "讲义 added");
	build("2026H2");
	is_int(count(WB_LECTURE_NO_NOTES, 0), 0, "no 党课 without 讲义");
}

/* A meeting falls due once its share of the half-year has passed: on
 * the first days of the period, or of an interval, nobody is short. */
static void
test_meetings_due(void)
{
	struct date saved = lg.ctx.today;

	if (!have_meeting)
		return;
	date_parse("2026-07-02", &lg.ctx.today, NULL);
	build("2026H2");
	is_int(count(WB_MEETINGS_SHORT, 0), 0,
	    "day 2 of 184: no meeting due yet");
	/* 30 days gone: 6 * 30 / 184 = 0.98, none; 31: 1.01, one 支委会. */
	date_parse("2026-07-31", &lg.ctx.today, NULL);
	build("2026H2");
	is_int(count(WB_MEETINGS_SHORT, 0), 0, "30 days gone: none due");
	date_parse("2026-08-01", &lg.ctx.today, NULL);
	build("2026H2");
	ok(has(BR_A, "支部委员会 本半年应开 6 次，到目前应开 1 次，已开 0 次"),
	    "31 days gone: the first 支委会 is due");
	ok(find(BR_A, "支部党员大会 本半年应开 2 次，到目前应开 1 次，已开 0 次")
	    == NULL, "but no 党员大会 yet (2 * 31 / 184 = 0.3)");
	/* The last day: all but the share of the day itself; the day
	 * after the period, all. */
	date_parse("2026-12-31", &lg.ctx.today, NULL);
	build("2026H2");
	ok(has(BR_A, "支部委员会 本半年应开 6 次，到目前应开 5 次，已开 0 次"),
	    "last day: 6 * 183 / 184 = 5.97, five due");
	lg.ctx.today = saved;
}

static void
test_settings_and_periods(void)
{
	const struct form *sf = formset_find(fs, "settings");
	struct record *s;

	if (have_meeting && sf != NULL) {
		s = rec_make("freq_general=0", NULL);
		form_apply_defaults(sf, s, &lg.ctx.today);
		record_set(s, "freq_general", "0");
		ok(save("settings", s) == 1, "settings saved");
		ledger_reload(&lg);
		build("2026H2");
		is_int(count(WB_MEETINGS_SHORT, BR_A), 2,
		    "no 党员大会 required: 支委会 and 党小组会 left for A");
		ok(find(BR_A, "支部党员大会 本半年应开 2 次，到目前应开 1 次，已开 0 次")
		    == NULL, "the 党员大会 item is gone");
	}

	/* A past period: everything was due, and the deadline has passed. */
	build("2026H1");
	is_int(wb.days_left, -135, "2026H1 was due 135 days ago");
	is_int(count(WB_NO_BRANCH_PLEDGE, 0), 3,
	    "the 附件一 of 2026H2 does not count for 2026H1");
	if (have_meeting)
		ok(has(BR_A, "支部委员会 本半年应开 6 次，到目前应开 6 次，已开 0 次"),
		    "a past period requires every meeting");
	/* A future period: nothing required yet. */
	build("2027H1");
	is_int(count(WB_MEETINGS_SHORT, 0), 0, "no meetings due before it starts");
	is_int(count(WB_PLEDGE_OVERDUE, 0), 0, "nothing overdue in 2027H1");
}

int
main(void)
{
	const char *forms = getenv("CXZY_FORMS");
	char tmp[] = "/tmp/cxzy-wb.XXXXXX";
	char *err = NULL;

	setenv("CXZY_NOW", NOW, 1);
	setenv("TZ", "Asia/Shanghai", 1);
	if (forms == NULL)
		forms = "forms";
	if (formset_load_dir(forms, &fs, &err) != CX_OK) {
		printf("Bail out! forms in %s: %s\n", forms, err);
		return 1;
	}
	if (mkdtemp(tmp) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	if (store_open(tmp, fs, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		printf("Bail out! store: %s\n", err);
		return 1;
	}
	have_meeting = formset_find(fs, "meeting") != NULL;
	ledger_init(&lg, st, fs);
	setup();
	test_empty_period();
	test_pledges();
	test_reviews();
	test_rectification();
	test_meetings();
	test_meetings_due();
	test_settings_and_periods();
	workbench_free(&wb);
	ledger_fini(&lg);
	store_close(st);
	rm_rf(tmp);
	formset_free(fs);
	return tap_done();
}
