/* test_ledger.c: records saved with their stored rows, auto fields, the
 * period lock, history of signed records and the half-year cycle.  The
 * forms are written here into a private directory, small copies of the
 * annexes' shapes, so that the test does not follow forms/. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formdef.h"
#include "ledger.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

#define NOW1	"2026-03-10 09:00:00"
#define NOW2	"2026-03-11 10:00:00"
#define HINT	"如需修改，请先解除锁定：全屏程序中选“数据维护 → 解除锁定”，" \
	"命令行用“cxzy unlock 2026H1”。"

static char tmproot[64];

static const char org_form[] =
    "form org\nlabel 党组织\nversion 1\ntitle name\norder 10\n"
    "field name\n  label 名称\n  type text 30\n  required\n  unique\n"
    "field type\n  label 类型\n  type enum\n  option committee 机关党委\n"
    "  option branch 党支部\n  option direct_group 直属党小组\n"
    "  option group 党小组\n  required\n"
    "field parent_id\n  label 上级组织\n  type ref org\n";

static const char member_form[] =
    "form member\nlabel 党员\nversion 1\ntitle name\norder 20\n"
    "field name\n  label 姓名\n  type text 20\n  required\n  index\n"
    "field branch_id\n  label 所在党支部\n  type ref org\n"
    "field group_id\n  label 所属党小组\n  type ref org\n"
    "field party_role\n  label 党内职务\n  type enum\n"
    "  option secretary 书记\n  option deputy 副书记\n"
    "  option organization 组织委员\n  option group_leader 党小组长\n"
    "  option member 党员\n  index\n"
    "field post\n  label 职务\n  type text 30\n";

static const char settings_form[] =
    "form settings\nlabel 系统设置\nversion 1\norder 90\n"
    "field min_fact\n  label 实事承诺最少条数\n  type int 0 50\n  default 1\n";

/* Like 附件一: signed, stored rows, auto fields, an annotation. */
static const char plan_form[] =
    "form plan\nlabel 支部承诺书\nversion 1\ntitle branch_id\norder 30\n"
    "sign signed_on\n"
    "field period\n  label 承诺周期\n  type period\n  required\n  index\n"
    "  default current\n"
    "field branch_id\n  label 党支部\n  type ref org\n  required\n  index\n"
    "field secretary_id\n  label 支部书记\n  type ref member\n"
    "  auto secretary branch_id\n"
    "field member_count\n  label 在册党员数\n  type int 0 9999\n"
    "  auto members branch_id\n"
    "field filing_due\n  label 备案期限\n  type date\n  auto period_due period\n"
    "field summary\n  label 总述\n  type text 100\n"
    "field follow_up\n  label 跟进情况\n  type text 100\n  annotation\n"
    "field items\n  label 承诺事项\n  type rows 0\n  store item pledge\n"
    "  columns kind content code due_date\n"
    "field signed_on\n  label 签署日期\n  type date\n";

/* Like 附件二: auto from the member. */
static const char mplan_form[] =
    "form mplan\nlabel 党员承诺书\nversion 1\ntitle member_id\norder 31\n"
    "sign signed_on\n"
    "field period\n  label 承诺周期\n  type period\n  required\n  index\n"
    "field member_id\n  label 党员\n  type ref member\n  required\n  index\n"
    "field branch_id\n  label 党支部\n  type ref org\n  index\n"
    "  auto from member_id branch_id\n"
    "field post\n  label 职务\n  type text 30\n  auto from member_id post\n"
    "field items\n  label 承诺事项\n  type rows 1\n  store item pledge\n"
    "  columns kind content period\n"
    "field signed_on\n  label 签署日期\n  type date\n";

/* Like 附件三: one record per pledge item. */
static const char item_form[] =
    "form item\nlabel 台账\nversion 1\ntitle content\norder 34\n"
    "closed status done unmet\n"
    "field pledge\n  label 所属承诺书\n  type link plan mplan\n  required\n"
    "field seq\n  label 序号\n  type int 1 999\n"
    "field period\n  label 承诺周期\n  type period\n  index\n"
    "  auto parent pledge period\n"
    "field current_period\n  label 所在周期\n  type period\n  index\n"
    "  auto initial period\n"
    "field branch_id\n  label 承诺单位\n  type ref org\n  index\n"
    "  auto parent pledge branch_id\n"
    "field member_id\n  label 承诺人\n  type ref member\n  index\n"
    "  auto parent pledge member_id\n"
    "field kind\n  label 类别\n  type enum\n  option service 服务承诺\n"
    "  option fact 实事承诺\n  required\n"
    "field content\n  label 内容\n  type text 100\n  required\n"
    "field code\n  label 编码\n  type text 20\n  unique\n"
    "field due_date\n  label 完成时限\n  type date\n"
    "field status\n  label 状态\n  type enum\n  option todo 未开始\n"
    "  option doing 推进中\n  option done 已完成\n  option unmet 未兑现\n"
    "  required\n  default todo\n"
    "field completed_on\n  label 完成日期\n  type date\n"
    "  required_if status done\n"
    "field remarks\n  label 备注\n  type text 100\n  annotation\n";

/* Like 三会一课. */
static const char meet_form[] =
    "form meet\nlabel 会议\nversion 1\ntitle date\norder 50\n"
    "field date\n  label 日期\n  type date\n  required\n"
    "field period\n  label 周期\n  type period\n  index\n"
    "  auto period_of date\n"
    "field branch_id\n  label 党支部\n  type ref org\n"
    "field group_id\n  label 党小组\n  type ref org\n"
    "field meeting_type\n  label 会议类型\n  type enum\n"
    "  option general 支部党员大会\n  option committee 支部委员会\n"
    "  option group 党小组会\n  option lecture 党课\n  required\n"
    "field expected\n  label 应到人数\n  type int 0 9999\n"
    "  auto meeting_expected meeting_type branch_id group_id\n";

/* Like 整改台账: linkkind, parent through the store, typed when the
 * function gives nothing. */
static const char rect_form[] =
    "form rect\nlabel 整改\nversion 1\ntitle issue\norder 60\n"
    "closed status closed\n"
    "field period\n  label 周期\n  type period\n  index\n"
    "  auto parent source_ref period\n"
    "field current_period\n  label 所在周期\n  type period\n  index\n"
    "  auto initial period\n"
    "field source\n  label 来源\n  type enum\n  option plan 承诺书\n"
    "  option mplan 党员承诺书\n  option self 自查\n  auto linkkind source_ref\n"
    "field source_ref\n  label 来源记录\n  type link plan mplan\n"
    "field post\n  label 职务\n  type text 30\n"
    "  auto parent source_ref post\n"
    "field issue\n  label 问题\n  type text 100\n  required\n"
    "field status\n  label 状态\n  type enum\n  option todo 未启动\n"
    "  option closed 已销号\n  default todo\n";

static struct formset *fs;
static const struct form *F_org, *F_member, *F_settings, *F_plan, *F_mplan,
    *F_item, *F_meet, *F_rect;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "wb");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		remove_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

static int
load_forms(void)
{
	char *dir = xasprintf("%s/forms", tmproot), *err = NULL;
	int r;

	mkdir(dir, 0777);
	write_file(dir, "org.form", org_form);
	write_file(dir, "member.form", member_form);
	write_file(dir, "settings.form", settings_form);
	write_file(dir, "plan.form", plan_form);
	write_file(dir, "mplan.form", mplan_form);
	write_file(dir, "item.form", item_form);
	write_file(dir, "meet.form", meet_form);
	write_file(dir, "rect.form", rect_form);
	r = formset_load_dir(dir, &fs, &err);
	if (!ok(r == CX_OK, "test forms load"))
		printf("#   %s\n", err != NULL ? err : "");
	free(err);
	free(dir);
	if (r != CX_OK)
		return r;
	F_org = formset_find(fs, "org");
	F_member = formset_find(fs, "member");
	F_settings = formset_find(fs, "settings");
	F_plan = formset_find(fs, "plan");
	F_mplan = formset_find(fs, "mplan");
	F_item = formset_find(fs, "item");
	F_meet = formset_find(fs, "meet");
	F_rect = formset_find(fs, "rect");
	return CX_OK;
}

static uint64_t
put(struct store *st, const struct form *f, struct record *r)
{
	char *err = NULL;

	if (store_put(st, f, r, &err) != CX_OK) {
		printf("# put %s: %s\n", f->kind, err);
		free(err);
	}
	return r->id;
}

static uint64_t
put_org(struct store *st, const char *name, const char *type,
    const char *parent)
{
	struct record *r = record_new();
	uint64_t id;

	record_set(r, "name", name);
	record_set(r, "type", type);
	if (parent != NULL)
		record_set(r, "parent_id", parent);
	id = put(st, F_org, r);
	record_free(r);
	return id;
}

static uint64_t
put_member(struct store *st, const char *name, const char *branch,
    const char *group, const char *role, const char *post)
{
	struct record *r = record_new();
	uint64_t id;

	record_set(r, "name", name);
	record_set(r, "branch_id", branch);
	if (group != NULL)
		record_set(r, "group_id", group);
	if (role != NULL)
		record_set(r, "party_role", role);
	if (post != NULL)
		record_set(r, "post", post);
	id = put(st, F_member, r);
	record_free(r);
	return id;
}

static void
add_item_row(struct record *r, const char *kind, const char *content,
    const char *code)
{
	struct record *row = record_add_row(r, "items");

	if (kind != NULL)
		record_set(row, "kind", kind);
	record_set(row, "content", content);
	if (code != NULL)
		record_set(row, "code", code);
}

/* "1,2,3": the rows' "_id" values. */
static char *
row_ids(const struct record *r, const char *field)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < record_nrows(r, field); i++) {
		const char *id = record_get(record_row(r, field, i), "_id");

		buf_addf(&b, "%s%s", i ? "," : "", id != NULL ? id : "-");
	}
	return buf_take(&b);
}

/* "A,B": a column of the rows. */
static char *
row_col(const struct record *r, const char *field, const char *col)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < record_nrows(r, field); i++) {
		const char *v = record_get(record_row(r, field, i), col);

		buf_addf(&b, "%s%s", i ? "," : "", v != NULL ? v : "-");
	}
	return buf_take(&b);
}

/* A field of a stored record, "(none)" when the record is missing and
 * "-" when the field is empty. */
static char *
field_of(struct store *st, const struct form *f, uint64_t id,
    const char *field)
{
	struct record *r = NULL;
	const char *v;
	char *s;

	if (store_get(st, f, id, &r, NULL) != CX_OK)
		return xstrdup("(none)");
	v = record_get(r, field);
	s = xstrdup(v != NULL ? v : "-");
	record_free(r);
	return s;
}

static size_t
count_of(struct store *st, const struct form *f)
{
	size_t n = 999999;

	store_count(st, f, &n, NULL);
	return n;
}

static char *
joined(const struct strlist *l)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s", i ? "\n" : "", l->v[i]);
	return buf_take(&b);
}

static char *
meta_text(struct store *s, const char *key)
{
	char *v = NULL;

	if (store_meta_get(s, key, &v, NULL) != CX_OK)
		return xstrdup("-");
	return v;
}

static int
trash_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct buf *b = arg;

	buf_addf(b, "%s%s:%llu", b->len ? "," : "", f->kind,
	    (unsigned long long)rec->id);
	return 0;
}

/* "item:3,plan:2": the recycle bin. */
static char *
trash_text(struct store *s)
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (store_trash_foreach(s, trash_fn, &b, NULL) != CX_OK) {
		buf_free(&b);
		return xstrdup("error");
	}
	return buf_take(&b);
}

#define IS_STR_FREE(expr, want, ...) do {				\
	char *s_ = (expr);						\
	is_str(s_, want, __VA_ARGS__);					\
	free(s_);							\
} while (0)

struct hist {
	struct buf	b;
	size_t		n;
};

static int
hist_fn(void *arg, unsigned version, const struct record *rec)
{
	struct hist *h = arg;
	const char *s = record_get(rec, "summary");
	char *items = row_col(rec, "items", "content");

	buf_addf(&h->b, "%s%u:%s[%s]", h->n ? "," : "", version,
	    s != NULL ? s : "-", items);
	free(items);
	h->n++;
	return 0;
}

static char *
hist_text(struct store *st, const struct form *f, uint64_t id)
{
	struct hist h;

	memset(&h, 0, sizeof h);
	buf_init(&h.b);
	buf_add(&h.b, "", 0);
	if (store_history(st, f, id, hist_fn, &h, NULL) != CX_OK) {
		buf_free(&h.b);
		return xstrdup("error");
	}
	return buf_take(&h.b);
}

static char *
save_err(struct ledger *lg, const struct form *f, struct record *r,
    char **problems)
{
	struct strlist pl;
	char *err = NULL, *s;
	int rc;

	strlist_init(&pl);
	rc = ledger_save(lg, f, r, &pl, &err);
	if (problems != NULL)
		*problems = joined(&pl);
	strlist_free(&pl);
	if (rc == CX_OK) {
		free(err);
		return xstrdup("ok");
	}
	s = err != NULL ? err : xstrdup("(no message)");
	return s;
}

/* ------------------------------------------------------------------ */
/* The data every test shares                                          */
/* ------------------------------------------------------------------ */

static struct store *st;
static struct ledger lg;

static int
setup_store(void)
{
	char *dir = xasprintf("%s/data", tmproot), *err = NULL;
	int r;

	setenv("CXZY_NOW", NOW1, 1);
	r = store_open(dir, fs, STORE_CREATE, NULL, &st, &err);
	if (!ok(r == CX_OK, "open the store"))
		printf("#   %s\n", err);
	free(err);
	free(dir);
	if (r != CX_OK)
		return r;
	/* org 1, 2: branches; 3: a group of branch 1 */
	put_org(st, "第一党支部", "branch", NULL);
	put_org(st, "第二党支部", "branch", NULL);
	put_org(st, "第一党小组", "group", "1");
	/* members 1..4 in branch 1, 5 in branch 2 */
	put_member(st, "张三", "1", NULL, "secretary", "科长");
	put_member(st, "李四", "1", NULL, "organization", "副科长");
	put_member(st, "王五", "1", "3", "member", "科员");
	put_member(st, "赵六", "1", "3", "group_leader", NULL);
	put_member(st, "钱七", "2", NULL, "secretary", NULL);
	ledger_init(&lg, st, fs);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_settings_and_period(void)
{
	struct record *s = record_new();
	struct period p, q;
	char code[16], *err = NULL;

	ok(lg.ctx.setting(lg.ctx.arg, "min_fact") == NULL,
	    "no settings record: default (NULL)");
	is_int(lg.ctx.today.y * 10000 + lg.ctx.today.m * 100 + lg.ctx.today.d,
	    20260310, "ctx.today from the clock");
	record_set(s, "min_fact", "3");
	put(st, F_settings, s);
	is_int(s->id, 1, "settings is record 1");
	record_free(s);
	ok(lg.ctx.setting(lg.ctx.arg, "min_fact") == NULL,
	    "cached until reload");
	ledger_reload(&lg);
	is_str(lg.ctx.setting(lg.ctx.arg, "min_fact"), "3",
	    "stored setting after reload");
	ok(lg.ctx.setting(lg.ctx.arg, "nothing") == NULL,
	    "a setting not stored is NULL");

	ledger_current_period(&lg, &p);
	model_period_code(&p, code);
	is_str(code, "2026H1", "current period: today's without meta");
	q.year = 2026;
	q.half = 2;
	is_int(ledger_set_current_period(&lg, &q, &err), CX_OK, "set period");
	ledger_current_period(&lg, &p);
	model_period_code(&p, code);
	is_str(code, "2026H2", "current period from meta");
	IS_STR_FREE(meta_text(st, "period"), "2026H2", "meta \"period\"");
	q.half = 1;
	ledger_set_current_period(&lg, &q, NULL);
	free(err);
}

static uint64_t plan1;

static void
test_rows(void)
{
	struct record *r = record_new(), *got = NULL, *c = NULL;
	char *err = NULL, *probs = NULL, *created = NULL, *mod2 = NULL;
	struct strlist pl;

	/* A new owner with three rows: one transaction. */
	record_set(r, "period", "2026H1");
	record_set(r, "branch_id", "1");
	record_set(r, "summary", "总述一");
	add_item_row(r, "service", "甲", NULL);
	add_item_row(r, "fact", "乙", NULL);
	add_item_row(r, "fact", "丙", NULL);
	IS_STR_FREE(save_err(&lg, F_plan, r, &probs), "ok", "save a new plan");
	is_str(probs, "", "no problems");
	free(probs);
	plan1 = r->id;
	is_int(plan1, 1, "plan id 1");
	IS_STR_FREE(row_ids(r, "items"), "1,2,3", "rows carry the new ids");
	is_str(record_get(r, "secretary_id"), "1", "auto secretary");
	is_str(record_get(r, "member_count"), "4", "auto members");
	is_str(record_get(r, "filing_due"), "2026-07-15", "auto period_due");
	is_int(count_of(st, F_item), 3, "three child records");
	IS_STR_FREE(field_of(st, F_item, 1, "pledge"), "plan:1",
	    "child linked to the new owner");
	IS_STR_FREE(field_of(st, F_item, 3, "seq"), "3", "seq set");
	IS_STR_FREE(field_of(st, F_item, 2, "period"), "2026H1",
	    "auto parent with the owner in hand");
	IS_STR_FREE(field_of(st, F_item, 2, "current_period"), "2026H1",
	    "auto initial");
	IS_STR_FREE(field_of(st, F_item, 2, "branch_id"), "1",
	    "auto parent branch_id");
	IS_STR_FREE(field_of(st, F_item, 2, "member_id"), "-",
	    "parent without the field gives nothing");
	IS_STR_FREE(field_of(st, F_item, 2, "status"), "todo",
	    "child defaults applied");
	IS_STR_FREE(field_of(st, F_plan, 1, "items"), "-",
	    "the owner does not store the rows");
	if (store_get(st, F_plan, 1, &got, NULL) == CX_OK) {
		ok(record_find(got, "items") == NULL, "no rows value stored");
		record_free(got);
		got = NULL;
	}
	record_free(r);

	/* The child's own fields, typed in its own screen. */
	is_int(ledger_get(&lg, F_item, 2, &c, &err), CX_OK, "get child 2");
	if (c != NULL) {
		record_set(c, "status", "doing");
		record_set(c, "remarks", "进展顺利");
		IS_STR_FREE(save_err(&lg, F_item, c, NULL), "ok",
		    "save the child alone");
		mod2 = xstrdup(record_get(c, "_modified"));
		record_free(c);
	}
	created = field_of(st, F_item, 1, "_created");

	/* Load: rows from the children, columns only, with _id. */
	setenv("CXZY_NOW", NOW2, 1);
	r = NULL;
	is_int(ledger_get(&lg, F_plan, plan1, &r, &err), CX_OK, "ledger_get");
	if (r == NULL)
		goto out;
	IS_STR_FREE(row_ids(r, "items"), "1,2,3", "rows in seq order");
	IS_STR_FREE(row_col(r, "items", "content"), "甲,乙,丙", "columns");
	IS_STR_FREE(row_col(r, "items", "status"), "-,-,-",
	    "no child field that is not a column");

	/* Change one row, remove one, add one: one save. */
	record_set(record_row(r, "items", 0), "content", "甲二");
	record_remove_row(r, "items", 2);
	add_item_row(r, "fact", "丁", NULL);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "save the changes");
	IS_STR_FREE(row_ids(r, "items"), "1,2,4", "new row got id 4");
	IS_STR_FREE(field_of(st, F_item, 1, "content"), "甲二",
	    "changed row updated its child");
	IS_STR_FREE(field_of(st, F_item, 1, "_created"), created,
	    "same record (_created kept)");
	IS_STR_FREE(field_of(st, F_item, 1, "_modified"), NOW2,
	    "changed child rewritten");
	IS_STR_FREE(field_of(st, F_item, 2, "status"), "doing",
	    "child's status untouched");
	IS_STR_FREE(field_of(st, F_item, 2, "remarks"), "进展顺利",
	    "child's remarks untouched");
	IS_STR_FREE(field_of(st, F_item, 2, "_modified"), mod2,
	    "unchanged child not rewritten");
	IS_STR_FREE(field_of(st, F_item, 3, "content"), "(none)",
	    "removed row's child gone");
	IS_STR_FREE(trash_text(st), "item:3", "it is in the recycle bin");
	IS_STR_FREE(field_of(st, F_item, 4, "seq"), "3", "new child seq 3");
	IS_STR_FREE(field_of(st, F_item, 4, "pledge"), "plan:1",
	    "new child linked");
	is_int(count_of(st, F_item), 3, "three live children");

	/* Order: rows moved, seq follows. */
	record_move_row(r, "items", 2, 0);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "save reordered");
	record_free(r);
	r = NULL;
	ledger_get(&lg, F_plan, plan1, &r, NULL);
	IS_STR_FREE(row_ids(r, "items"), "4,1,2", "order kept by seq");
	IS_STR_FREE(field_of(st, F_item, 2, "seq"), "3", "seq rewritten");
	IS_STR_FREE(field_of(st, F_item, 2, "status"), "doing",
	    "still untouched");

	/* References are checked through the store. */
	record_set(r, "branch_id", "99");
	IS_STR_FREE(save_err(&lg, F_plan, r, &probs), "有 1 处需要修改。",
	    "a reference to nothing");
	is_str(probs, "党支部：编号为 99 的记录不存在。", "lookup through the store");
	free(probs);
	record_set(r, "branch_id", "1");

	/* A bad new row: nothing written. */
	add_item_row(r, NULL, "戊", NULL);
	strlist_init(&pl);
	is_int(ledger_save(&lg, F_plan, r, &pl, &err), CX_ERR,
	    "a row missing its kind");
	is_str(err, "有 1 处需要修改。", "count message");
	IS_STR_FREE(joined(&pl), "承诺事项第4行“类别”：必须填写。",
	    "said once, naming the row");
	strlist_free(&pl);
	free(err);
	err = NULL;
	is_int(count_of(st, F_item), 3, "no child written");

	/* A child problem outside the columns: the child is checked in
	 * full. */
	record_remove_row(r, "items", 3);
	if (store_get(st, F_item, 2, &c, NULL) == CX_OK) {
		record_set(c, "status", "done");	/* no completed_on */
		store_put(st, F_item, c, NULL);
		record_free(c);
	}
	record_set(record_row(r, "items", 2), "content", "乙二");
	strlist_init(&pl);
	is_int(ledger_save(&lg, F_plan, r, &pl, NULL), CX_ERR,
	    "a changed child that is not valid");
	IS_STR_FREE(joined(&pl),
	    "承诺事项第3行“完成日期”：状态为“已完成”时必须填写。",
	    "child problem named by the owner's row");
	strlist_free(&pl);
	IS_STR_FREE(field_of(st, F_item, 2, "content"), "乙",
	    "child not written");
	if (store_get(st, F_item, 2, &c, NULL) == CX_OK) {
		record_set(c, "completed_on", "2026-03-01");
		store_put(st, F_item, c, NULL);
		record_free(c);
	}

	/* A store failure (unique clash) in one child undoes the rest. */
	record_set(record_row(r, "items", 0), "code", "K-1");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "code K-1 saved");
	record_set(record_row(r, "items", 0), "content", "丁二");
	record_set(record_row(r, "items", 1), "content", "甲三");
	record_remove_row(r, "items", 2);
	add_item_row(r, "fact", "己", "K-1");
	record_set(r, "summary", "总述二");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "“编码”为“K-1”的记录已经存在（编号4）。", "clash refused");
	IS_STR_FREE(field_of(st, F_item, 4, "content"), "丁", "row 1 unchanged");
	IS_STR_FREE(field_of(st, F_item, 1, "content"), "甲二",
	    "row 2 unchanged");
	IS_STR_FREE(field_of(st, F_item, 2, "content"), "乙二",
	    "removed row's child still there");
	IS_STR_FREE(field_of(st, F_plan, plan1, "summary"), "总述一",
	    "owner unchanged");
	is_int(count_of(st, F_item), 3, "no child added");
	IS_STR_FREE(row_ids(r, "items"), "4,1,-", "new row has no id");
	record_free(r);

	/* The same with a new owner: neither it nor its rows are written. */
	r = record_new();
	record_set(r, "period", "2026H1");
	record_set(r, "branch_id", "2");
	add_item_row(r, "service", "辛", NULL);
	add_item_row(r, "fact", "壬", "K-1");
	{
		size_t plans = count_of(st, F_plan), items = count_of(st, F_item);

		IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
		    "“编码”为“K-1”的记录已经存在（编号4）。",
		    "new owner: clash refused");
		is_int(count_of(st, F_plan), plans, "no owner written");
		is_int(count_of(st, F_item), items, "no child written");
		is_int(r->id, 0, "no id given");
		IS_STR_FREE(row_ids(r, "items"), "-,-", "rows have no ids");
		IS_STR_FREE(meta_text(st, "seq:plan"), "1", "no id used up");
	}
	record_free(r);

	/* A stale row. */
	r = NULL;
	ledger_get(&lg, F_plan, plan1, &r, NULL);
	record_set(record_row(r, "items", 0), "_id", "99");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "承诺事项第1行对应的台账记录（编号 99）已经不存在（可能已被删除）。"
	    "请重新打开这条记录后再修改。", "stale row refused");
	/* A copied row (same _id twice) becomes a new child. */
	record_set(record_row(r, "items", 0), "_id", "4");
	record_append_row(r, "items", record_copy(record_row(r, "items", 0)));
	record_set(record_row(r, "items", 3), "code", NULL);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "copied row saved");
	IS_STR_FREE(row_ids(r, "items"), "4,1,2,5", "copy got a new id");
	IS_STR_FREE(field_of(st, F_item, 5, "content"), "丁", "copy's content");
	record_free(r);
out:
	free(created);
	free(mod2);
	free(err);
}

static void
test_auto(void)
{
	struct record *r = record_new(), *m;
	char *err = NULL;
	size_t before;

	/* from: member's branch and post; parent: the member. */
	record_set(r, "period", "2026H1");
	record_set(r, "member_id", "3");
	add_item_row(r, "service", "带头学习", NULL);
	before = count_of(st, F_item);
	ledger_derive(&lg, F_mplan, r);
	IS_STR_FREE(row_col(r, "items", "period"), "2026H1",
	    "derive shows a row's auto column before saving");
	is_int(count_of(st, F_item), before, "and writes nothing");
	record_set(record_row(r, "items", 0), "period", "2025H2");
	IS_STR_FREE(save_err(&lg, F_mplan, r, NULL), "ok", "save a member plan");
	IS_STR_FREE(row_col(r, "items", "period"), "2026H1",
	    "a typed auto column is replaced");
	is_str(record_get(r, "branch_id"), "1", "auto from: branch_id");
	is_str(record_get(r, "post"), "科员", "auto from: post");
	IS_STR_FREE(field_of(st, F_item, 6, "member_id"), "3",
	    "child: parent member_id");
	IS_STR_FREE(field_of(st, F_item, 6, "branch_id"), "1",
	    "child: parent branch_id of a member plan");
	IS_STR_FREE(field_of(st, F_item, 6, "pledge"), "mplan:1",
	    "linked to the member plan");
	record_free(r);

	/* secretary of branch 2, period_due of a second half. */
	r = record_new();
	record_set(r, "period", "2026H2");
	record_set(r, "branch_id", "2");
	before = count_of(st, F_plan);
	ledger_derive(&lg, F_plan, r);
	is_str(record_get(r, "secretary_id"), "5", "secretary of branch 2");
	is_str(record_get(r, "member_count"), "1", "members of branch 2");
	is_str(record_get(r, "filing_due"), "2027-01-15",
	    "H2 due in January");
	is_int(count_of(st, F_plan), before, "derive writes nothing");
	/* A branch without a secretary: the function gives nothing, the
	 * typed value stays. */
	record_set(r, "branch_id", "3");
	record_set(r, "secretary_id", "2");
	ledger_derive(&lg, F_plan, r);
	is_str(record_get(r, "secretary_id"), "2", "typed value kept");
	is_str(record_get(r, "member_count"), "0", "no members: 0");
	record_free(r);

	/* meeting_expected and period_of. */
	r = record_new();
	record_set(r, "date", "2026-08-03");
	record_set(r, "branch_id", "1");
	record_set(r, "group_id", "3");
	record_set(r, "meeting_type", "general");
	ledger_derive(&lg, F_meet, r);
	is_str(record_get(r, "period"), "2026H2", "period_of the date");
	is_str(record_get(r, "expected"), "4", "general: the branch");
	record_set(r, "meeting_type", "lecture");
	ledger_derive(&lg, F_meet, r);
	is_str(record_get(r, "expected"), "4", "lecture: the branch");
	record_set(r, "meeting_type", "committee");
	ledger_derive(&lg, F_meet, r);
	is_str(record_get(r, "expected"), "2",
	    "committee: members with a committee role");
	record_set(r, "meeting_type", "group");
	ledger_derive(&lg, F_meet, r);
	is_str(record_get(r, "expected"), "2", "group: the group's members");
	IS_STR_FREE(save_err(&lg, F_meet, r, NULL), "ok", "save the meeting");
	IS_STR_FREE(field_of(st, F_meet, r->id, "expected"), "2", "stored");
	record_free(r);

	/* A 直属党小组 (org 4, three members, none with group_id) holds
	 * its 党小组会 as itself. */
	{
		uint64_t dg = put_org(st, "离退休直属党小组", "direct_group",
		    NULL);
		char *dgs = xasprintf("%llu", (unsigned long long)dg);

		put_member(st, "周一", dgs, NULL, "secretary", NULL);
		put_member(st, "吴二", dgs, NULL, "member", NULL);
		put_member(st, "郑三", dgs, NULL, "member", NULL);
		r = record_new();
		record_set(r, "date", "2026-08-04");
		record_set(r, "branch_id", dgs);
		record_set(r, "group_id", dgs);
		record_set(r, "meeting_type", "group");
		ledger_derive(&lg, F_meet, r);
		is_str(record_get(r, "expected"), "3",
		    "group: a direct group counts its own members");
		record_set(r, "meeting_type", "general");
		ledger_derive(&lg, F_meet, r);
		is_str(record_get(r, "expected"), "3", "general: the same");
		record_set(r, "meeting_type", "group");
		record_set(r, "group_id", "3");
		ledger_derive(&lg, F_meet, r);
		is_str(record_get(r, "expected"), "2",
		    "an ordinary group still counts by group_id");
		record_free(r);
		free(dgs);
	}

	/* linkkind and parent through the store; a parent without the
	 * field leaves the typed deadline. */
	r = record_new();
	record_set(r, "source_ref", "plan:1");
	record_set(r, "post", "干事");
	record_set(r, "issue", "问题一");
	IS_STR_FREE(save_err(&lg, F_rect, r, NULL), "ok", "save a rect");
	is_str(record_get(r, "source"), "plan", "linkkind");
	is_str(record_get(r, "period"), "2026H1", "parent through the store");
	is_str(record_get(r, "current_period"), "2026H1", "initial");
	is_str(record_get(r, "post"), "干事",
	    "parent without the field: typed value kept");
	record_set(r, "source_ref", "mplan:1");
	ledger_derive(&lg, F_rect, r);
	is_str(record_get(r, "source"), "mplan", "linkkind of another kind");
	is_str(record_get(r, "post"), "科员", "parent with the field");
	record_free(r);
	r = record_new();
	record_set(r, "source", "self");
	record_set(r, "period", "2026H1");
	record_set(r, "issue", "问题二");
	record_set(r, "status", "closed");
	IS_STR_FREE(save_err(&lg, F_rect, r, NULL), "ok", "save a closed rect");
	is_str(record_get(r, "source"), "self", "no link: typed source kept");
	record_free(r);

	/* initial keeps its value once set. */
	if (store_get(st, F_item, 6, &m, NULL) == CX_OK) {
		record_set(m, "current_period", "2026H2");
		store_put(st, F_item, m, NULL);
		record_set(m, "content", "带头学习理论");
		IS_STR_FREE(save_err(&lg, F_item, m, NULL), "ok", "save item 6");
		is_str(record_get(m, "current_period"), "2026H2",
		    "initial: the value is kept");
		record_set(m, "current_period", "2026H1");
		store_put(st, F_item, m, NULL);
		record_free(m);
	}
	free(err);
}

static void
test_lock_and_history(void)
{
	struct record *r = NULL, *c = NULL;
	struct period h1 = { 2026, 1 };
	char *err = NULL;

	/* History: signing does not keep a version; changes after it do. */
	ledger_get(&lg, F_plan, plan1, &r, NULL);
	record_set(r, "signed_on", "2026-03-05");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "sign");
	IS_STR_FREE(hist_text(st, F_plan, plan1), "", "no history yet");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "save unchanged");
	IS_STR_FREE(hist_text(st, F_plan, plan1), "", "nothing changed");
	record_set(r, "summary", "总述三");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "change signed");
	IS_STR_FREE(hist_text(st, F_plan, plan1),
	    "1:总述一[丁,甲二,乙二,丁]", "version 1: before, with its rows");
	record_set(record_row(r, "items", 3), "content", "庚");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "change a row");
	IS_STR_FREE(hist_text(st, F_plan, plan1),
	    "1:总述一[丁,甲二,乙二,丁],2:总述三[丁,甲二,乙二,丁]",
	    "a row change keeps a version too, in order");

	/* The lock. */
	ok(!ledger_locked(&lg, &h1), "not locked");
	is_int(ledger_lock(&lg, &h1, true, &err), CX_OK, "lock 2026H1");
	ok(ledger_locked(&lg, &h1), "locked");
	record_set(r, "summary", "总述四");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "2026年上半年已经备案锁定，只能修改标注为“可补充”的内容（跟进情况）。"
	    HINT, "a locked change refused");
	IS_STR_FREE(field_of(st, F_plan, plan1, "summary"), "总述三",
	    "not written");
	record_set(r, "summary", "总述三");
	/* The roster changes: the filed count stays. */
	put_member(st, "孙八", "1", NULL, "member", NULL);
	record_set(r, "follow_up", "已跟进");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok",
	    "an annotation may change");
	is_str(record_get(r, "member_count"), "4", "auto value kept as filed");
	IS_STR_FREE(field_of(st, F_plan, plan1, "follow_up"), "已跟进",
	    "annotation written");
	IS_STR_FREE(hist_text(st, F_plan, plan1),
	    "1:总述一[丁,甲二,乙二,丁],2:总述三[丁,甲二,乙二,丁],"
	    "3:总述三[丁,甲二,乙二,庚]", "history goes on in a locked period");
	add_item_row(r, "fact", "新增", NULL);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "承诺事项第5行：2026年上半年已经备案锁定，不能再新增记录。" HINT,
	    "a new row refused");
	record_remove_row(r, "items", 4);
	record_remove_row(r, "items", 3);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "2026年上半年已经备案锁定，不能删除其中的记录。" HINT,
	    "a removed row refused");
	record_free(r);
	r = NULL;

	/* A child alone. */
	ledger_get(&lg, F_item, 1, &c, NULL);
	record_set(c, "remarks", "补充说明");
	IS_STR_FREE(save_err(&lg, F_item, c, NULL), "ok",
	    "child annotation saved");
	record_set(c, "content", "改内容");
	IS_STR_FREE(save_err(&lg, F_item, c, NULL),
	    "2026年上半年已经备案锁定，只能修改标注为“可补充”的内容（备注）。"
	    HINT, "child content refused");
	record_free(c);

	/* New records and deletes. */
	r = record_new();
	record_set(r, "period", "2026H1");
	record_set(r, "branch_id", "2");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "2026年上半年已经备案锁定，不能再新增记录。" HINT,
	    "a new record refused");
	record_set(r, "period", "2026H2");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok",
	    "another period is open");
	record_set(r, "period", "2026H1");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL),
	    "2026年上半年已经备案锁定，不能把记录改到这个周期。" HINT,
	    "moving into a locked period refused");
	record_free(r);
	is_int(ledger_delete(&lg, F_plan, plan1, &err), CX_ERR,
	    "delete refused");
	is_str(err, "2026年上半年已经备案锁定，不能删除其中的记录。" HINT,
	    "delete message");
	free(err);
	err = NULL;

	is_int(ledger_lock(&lg, &h1, false, &err), CX_OK, "unlock");
	ok(!ledger_locked(&lg, &h1), "unlocked");
	ledger_get(&lg, F_plan, plan1, &r, NULL);
	record_set(r, "summary", "总述四");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "saved after unlock");
	is_str(record_get(r, "member_count"), "5", "auto value follows again");
	record_free(r);
	free(err);
}

static void
test_delete(void)
{
	struct record *r = record_new();
	char *err = NULL;
	uint64_t id;
	size_t items;

	record_set(r, "period", "2026H2");
	record_set(r, "branch_id", "2");
	add_item_row(r, "service", "删一", NULL);
	add_item_row(r, "fact", "删二", NULL);
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "a plan to delete");
	id = r->id;
	items = count_of(st, F_item);
	is_int(ledger_delete(&lg, F_plan, id, &err), CX_OK, "ledger_delete");
	IS_STR_FREE(field_of(st, F_plan, id, "period"), "(none)", "owner gone");
	is_int(count_of(st, F_item), items - 2, "its children too");
	is_int(ledger_delete(&lg, F_plan, id, &err), CX_NOTFOUND,
	    "deleting again");
	record_free(r);
	free(err);
	err = NULL;

	/* Restore brings the owner and the rows deleted with it back. */
	is_int(ledger_restore(&lg, F_plan, id, &err), CX_OK, "ledger_restore");
	is_str(err, NULL, "no message");
	is_int(count_of(st, F_item), items, "its children are back");
	r = NULL;
	is_int(ledger_get(&lg, F_plan, id, &r, NULL), CX_OK, "owner back");
	IS_STR_FREE(row_col(r, "items", "content"), "删一,删二",
	    "rows in their order");
	record_free(r);
	is_int(ledger_restore(&lg, F_plan, id, &err), CX_NOTFOUND,
	    "restoring again");
	is_str(err, "回收站里没有编号为 3 的支部承诺书记录（可能已经恢复）。",
	    "not in the bin: said so");
	free(err);
	err = NULL;
}

/* A row removed before the owner was deleted stays in the bin; a
 * period lock or a clash refuses the whole restore. */
static void
test_restore(void)
{
	struct record *r = record_new(), *o;
	struct period h2 = { 2026, 2 };
	char *err = NULL, *removed_id;
	uint64_t id;
	size_t items;

	record_set(r, "period", "2026H2");
	record_set(r, "branch_id", "2");
	add_item_row(r, "service", "留一", NULL);
	add_item_row(r, "fact", "去二", "R-1");
	add_item_row(r, "fact", "留三", "R-2");
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "a plan with 3 rows");
	id = r->id;
	removed_id = xstrdup(record_get(record_row(r, "items", 1), "_id"));
	record_remove_row(r, "items", 1);
	setenv("CXZY_NOW", NOW2, 1);	/* a later deletion time */
	IS_STR_FREE(save_err(&lg, F_plan, r, NULL), "ok", "a row removed");
	record_free(r);
	setenv("CXZY_NOW", "2026-03-12 11:00:00", 1);
	items = count_of(st, F_item);
	is_int(ledger_delete(&lg, F_plan, id, &err), CX_OK, "deleted");
	is_int(count_of(st, F_item), items - 2, "with its two rows");

	/* Locked: nothing comes back. */
	ledger_lock(&lg, &h2, true, NULL);
	is_int(ledger_restore(&lg, F_plan, id, &err), CX_ERR,
	    "restore refused in a locked period");
	is_str(err, "2026年下半年已经备案锁定，不能把记录恢复到这个周期。"
	    "如需修改，请先解除锁定：全屏程序中选“数据维护 → 解除锁定”，"
	    "命令行用“cxzy unlock 2026H2”。", "lock message");
	free(err);
	err = NULL;
	IS_STR_FREE(field_of(st, F_plan, id, "period"), "(none)",
	    "owner still in the bin");
	ledger_lock(&lg, &h2, false, NULL);

	/* A row's unique value taken meanwhile: nothing comes back. */
	o = record_new();
	record_set(o, "period", "2026H2");
	record_set(o, "branch_id", "1");
	add_item_row(o, "fact", "占用", "R-2");
	IS_STR_FREE(save_err(&lg, F_plan, o, NULL), "ok", "R-2 taken");
	is_int(ledger_restore(&lg, F_plan, id, &err), CX_ERR, "clash refused");
	ok(err != NULL && strstr(err, "“编码”为“R-2”的记录已经存在") != NULL,
	    "clash message");
	free(err);
	err = NULL;
	IS_STR_FREE(field_of(st, F_plan, id, "period"), "(none)",
	    "owner not restored alone");
	is_int(ledger_delete(&lg, F_plan, o->id, &err), CX_OK, "free R-2");
	record_free(o);

	is_int(ledger_restore(&lg, F_plan, id, &err), CX_OK, "restored");
	is_int(count_of(st, F_item), items, "two rows back");
	r = NULL;
	ledger_get(&lg, F_plan, id, &r, NULL);
	IS_STR_FREE(row_col(r, "items", "content"), "留一,留三",
	    "the rows it had when deleted");
	record_free(r);
	{
		uint64_t rid = 0;

		util_parse_id(removed_id, &rid);
		IS_STR_FREE(field_of(st, F_item, rid, "content"), "(none)",
		    "the row removed earlier stays in the bin");
	}
	free(removed_id);
	setenv("CXZY_NOW", NOW1, 1);
	free(err);
}

static void
test_new_cycle(void)
{
	struct period h1 = { 2026, 1 }, h2 = { 2026, 2 }, cur;
	struct record *c = NULL;
	char *err = NULL, code[16];
	size_t carried = 99, items = count_of(st, F_item);

	/* Item 4 done, item 1 unmet; items 2 (done), 5, 6 open; the open
	 * rect carries, the closed one not. */
	if (store_get(st, F_item, 4, &c, NULL) == CX_OK) {
		record_set(c, "status", "done");
		record_set(c, "completed_on", "2026-03-01");
		store_put(st, F_item, c, NULL);
		record_free(c);
	}
	if (store_get(st, F_item, 1, &c, NULL) == CX_OK) {
		record_set(c, "status", "unmet");
		store_put(st, F_item, c, NULL);
		record_free(c);
	}
	if (store_get(st, F_item, 5, &c, NULL) == CX_OK) {
		record_set(c, "status", "doing");
		store_put(st, F_item, c, NULL);
		record_free(c);
	}
	ledger_lock(&lg, &h1, true, NULL);
	is_int(ledger_new_cycle(&lg, &h1, &h2, &carried, &err), CX_OK,
	    "new cycle");
	is_str(err, NULL, "no message");
	is_int(carried, 3, "three carried (items 5, 6 and a rect)");
	IS_STR_FREE(field_of(st, F_item, 5, "current_period"), "2026H2",
	    "open item carried");
	IS_STR_FREE(field_of(st, F_item, 6, "current_period"), "2026H2",
	    "member plan item carried");
	IS_STR_FREE(field_of(st, F_item, 5, "period"), "2026H1",
	    "its period stays");
	IS_STR_FREE(field_of(st, F_item, 5, "status"), "doing",
	    "its status stays");
	IS_STR_FREE(field_of(st, F_item, 4, "current_period"), "2026H1",
	    "done item stays");
	IS_STR_FREE(field_of(st, F_item, 1, "current_period"), "2026H1",
	    "unmet item stays");
	IS_STR_FREE(field_of(st, F_item, 2, "current_period"), "2026H1",
	    "done item stays");
	IS_STR_FREE(field_of(st, F_rect, 1, "current_period"), "2026H2",
	    "open rect carried");
	IS_STR_FREE(field_of(st, F_rect, 2, "current_period"), "2026H1",
	    "closed rect stays");
	is_int(count_of(st, F_item), items, "no copies");
	ledger_current_period(&lg, &cur);
	model_period_code(&cur, code);
	is_str(code, "2026H2", "current period is the next one");

	/* A carried item is in the open period: it may change. */
	ledger_get(&lg, F_item, 5, &c, NULL);
	record_set(c, "content", "继续推进");
	IS_STR_FREE(save_err(&lg, F_item, c, NULL), "ok",
	    "carried item changes although 2026H1 is locked");
	is_str(record_get(c, "current_period"), "2026H2",
	    "initial keeps the carried period");
	record_free(c);
	ledger_get(&lg, F_item, 4, &c, NULL);
	record_set(c, "content", "改");
	IS_STR_FREE(save_err(&lg, F_item, c, NULL),
	    "2026年上半年已经备案锁定，只能修改标注为“可补充”的内容（备注）。"
	    HINT, "an item left in 2026H1 is locked");
	record_free(c);

	is_int(ledger_new_cycle(&lg, &h1, &h2, &carried, &err), CX_OK,
	    "again");
	is_int(carried, 0, "nothing left to carry");
	free(err);
}

int
main(void)
{
	strcpy(tmproot, "/tmp/cxzy-ledger-XXXXXX");
	if (mkdtemp(tmproot) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (load_forms() == CX_OK && setup_store() == CX_OK) {
		test_settings_and_period();
		test_rows();
		test_auto();
		test_lock_and_history();
		test_delete();
		test_restore();
		test_new_cycle();
		ledger_fini(&lg);
		store_close(st);
	}
	formset_free(fs);
	remove_tree(tmproot);
	return tap_done();
}
