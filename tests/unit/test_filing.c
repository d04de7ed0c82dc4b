/* test_filing.c: a branch's own 备案报告 (addressed to the 机关党委,
 * signed by the branch's 书记 or the 组长 of a 直属党小组, only that
 * branch's records, a contents list whose page numbers are right, pages
 * numbered straight through), the branch directory that files for its
 * own branch only, and package arrivals on the 备案情况总表 and the
 * 工作台.  Records are made through ledger_save with a fixed clock. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange.h"
#include "ledger.h"
#include "model.h"
#include "rollup.h"
#include "store.h"
#include "tap.h"
#include "workbench.h"

#define NOW "2026-11-27 10:00:00"

static struct formset *fs;
static struct store *st;
static struct ledger lg;

static void
rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	if (system(cmd) != 0)
		printf("# could not remove %s\n", path);
	free(cmd);
}

/* A record from "field=value" strings (NULL-terminated). */
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

		record_set(r, name, eq + 1);
		free(name);
	}
	va_end(ap);
	return r;
}

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

enum { COMMITTEE = 1, BR_A = 2, BR_B = 3, DIRECT = 4 };

static void
setup(void)
{
	ok(save("org", rec_make("name=某某机关党委", "type=committee", NULL)) ==
	    COMMITTEE, "committee");
	ok(save("org", rec_make("name=一支部", "type=branch", "parent_id=1",
	    NULL)) == BR_A, "branch A");
	ok(save("org", rec_make("name=二支部", "type=branch", "parent_id=1",
	    NULL)) == BR_B, "branch B");
	ok(save("org", rec_make("name=老干部直属党小组", "type=direct_group",
	    "parent_id=1", NULL)) == DIRECT, "direct group");
	ok(save("member", rec_make("name=张三", "gender=m", "birth=1975-03",
	    "joined=2000-07-01", "branch_id=2", "party_role=secretary",
	    NULL)) > 0, "张三, A's 书记");
	ok(save("member", rec_make("name=李四", "gender=f", "birth=1985-05",
	    "joined=2010-07-01", "branch_id=2", NULL)) > 0, "李四 in A");
	ok(save("member", rec_make("name=王五", "gender=m", "birth=1990-01",
	    "joined=2015-07-01", "branch_id=3", "party_role=secretary",
	    NULL)) > 0, "王五, B's 书记");
	ok(save("member", rec_make("name=赵六", "gender=m", "birth=1950-12",
	    "joined=1975-07-01", "branch_id=4", "party_role=group_leader",
	    NULL)) > 0, "赵六, the direct group's 组长");
	ok(save("member", rec_make("name=钱七", "gender=m", "birth=1948-02",
	    "joined=1970-07-01", "branch_id=4", NULL)) > 0, "钱七 in it");
	/* One 附件四 each for A and B, told apart by the reviewer. */
	ok(save("leader_review", rec_make("period=2026H2", "branch_id=2",
	    "reviewer_name=刘主任", "reviewer_title=办党组成员",
	    "review_date=2026-11-20", "review_mode=central",
	    "org_strengths=承诺事项落实较好", "org_problems=学习不够系统",
	    "org_directions=加强学习", "sec_strengths=带头作用明显",
	    "sec_problems=调研不够", "sec_directions=多深入基层",
	    "filled_by=王秘书", "filled_on=2026-11-21", NULL)) > 0,
	    "附件四 for A");
	ok(save("leader_review", rec_make("period=2026H2", "branch_id=3",
	    "reviewer_name=陈副主任", "reviewer_title=办党组成员",
	    "review_date=2026-11-18", "review_mode=single",
	    "org_strengths=服务热情", "org_problems=台账不全",
	    "org_directions=补齐台账", "sec_strengths=认真负责",
	    "sec_problems=督促不够", "sec_directions=加强督促",
	    "filled_by=王秘书", "filled_on=2026-11-19", NULL)) > 0,
	    "附件四 for B");
}

/* The printout named name for branch (NULL: none), rendered in UTF-8;
 * NULL on failure (printed).  *pages gets the page count. */
static char *
print(const char *name, const char *branch, size_t *pages)
{
	struct printouts pl;
	const struct printout *po;
	struct sheet_doc *doc = NULL;
	struct report_opts ro;
	struct buf out;
	char *err = NULL, *s = NULL;

	printout_list(fs, &pl);
	report_opts_init(&ro);
	buf_init(&out);
	po = printout_find(&pl, fs, name);
	if (po == NULL)
		printf("# no printout %s\n", name);
	else if (printout_build(&lg, po, NULL, branch, &ro, false, &doc,
	    &err) != CX_OK || sheet_doc_render(doc, &out, &err) != CX_OK)
		printf("# %s: %s\n", name, err ? err : "");
	else {
		s = xstrndup(out.s ? out.s : "", out.len);
		if (pages != NULL)
			*pages = doc->pages;
	}
	free(err);
	buf_free(&out);
	sheet_doc_free(doc);
	printouts_free(&pl);
	return s;
}

static bool
has(const char *s, const char *what)
{
	return s != NULL && strstr(s, what) != NULL;
}

/* The page number the contents line naming head gives, 0 when none. */
static size_t
contents_page(const char *s, const char *head)
{
	const char *p = s ? strstr(s, head) : NULL, *nl;

	if (p == NULL || (nl = strchr(p, '\n')) == NULL)
		return 0;
	while (nl > p && nl[-1] >= '0' && nl[-1] <= '9')
		nl--;
	return (size_t)strtoul(nl, NULL, 10);
}

/* Page n (1-based) of a rendering with form feeds, allocated. */
static char *
page_of(const char *s, size_t n)
{
	const char *p = s, *ff;

	while (p != NULL && --n > 0)
		p = (ff = strchr(p, '\f')) != NULL ? ff + 1 : NULL;
	if (p == NULL)
		return xstrdup("");
	ff = strchr(p, '\f');
	return ff != NULL ? xstrndup(p, (size_t)(ff - p)) : xstrdup(p);
}

static void
test_branch_package(void)
{
	size_t pages = 0, n;
	char *s, *pg, *prev, *foot;

	s = print("备案报告", "2", &pages);
	ok(s != NULL, "A's 备案报告 builds");
	if (s == NULL)
		return;
	ok(has(s, "一支部创先争优活动半年备案报告（2026年下半年）"),
	    "titled with the branch");
	ok(has(s, "报送单位：一支部"), "cover: from the branch");
	ok(has(s, "报送对象：某某机关党委"), "cover: to the 机关党委");
	ok(has(s, "书　　记：张三"), "cover: the 书记");
	ok(has(s, "一支部（盖章）              书记 张三（签名）：____________"),
	    "signed by the branch's 书记");
	ok(!has(s, "机关党委（盖章）"), "not signed by the 机关党委");
	ok(has(s, "刘主任"), "its own 附件四");
	ok(!has(s, "陈副主任") && !has(s, "二支部") && !has(s, "王五") &&
	    !has(s, "老干部直属党小组"), "nothing of another branch");
	ok(!has(s, "报送情况"), "no arrivals in a branch's own report");
	/* The contents: each part on the page it names, a new header
	 * starting there; a part with nothing says 无. */
	n = contents_page(s, "九、领导点评登记表（附件四）");
	ok(n > 2, "contents give 附件四 a page (%zu)", n);
	pg = page_of(s, n);
	prev = page_of(s, n - 1);
	ok(has(pg, "上级领导点评下级党组织及书记创先争优工作情况登记表") &&
	    !has(prev, "上级领导点评下级党组织及书记创先争优工作情况登记表"),
	    "附件四 starts on that page");
	free(pg);
	free(prev);
	n = contents_page(s, "四、整改落实情况");
	pg = page_of(s, n);
	ok(n > 2 && has(pg, "四、整改落实情况\n"),
	    "a roll-up on the page the contents give");
	free(pg);
	ok(has(s, "六、党支部公开承诺书（附件一） ") &&
	    contents_page(s, "六、党支部公开承诺书（附件一）") == 0,
	    "no 附件一: no page");
	pg = strstr(s, "六、党支部公开承诺书（附件一）");
	ok(pg != NULL && strncmp(strchr(pg, '\n') - strlen("    无"), "    无",
	    strlen("    无")) == 0, "附件一 says 无");
	/* Numbered straight through: the last page is M of M, the
	 * annexes go on from the roll-ups. */
	foot = xasprintf("第 %zu 页 共 %zu 页", pages, pages);
	pg = page_of(s, pages);
	ok(pages > 7 && has(pg, foot), "last page %s", foot);
	free(pg);
	free(foot);
	foot = xasprintf("第 %zu 页 共 %zu 页", n + 1, pages);
	pg = page_of(s, n + 1);
	ok(has(pg, foot), "the page after a roll-up numbered on");
	free(pg);
	free(foot);
	ok(!has(s, "第 1 页 共 1 页") && !has(s, "第 1 页 共 2 页"),
	    "no part numbered on its own");
	free(s);

	s = print("备案报告", "4", NULL);
	ok(has(s, "报送单位：老干部直属党小组") && has(s, "组　　长：赵六"),
	    "a 直属党小组: its 组长 on the cover");
	ok(has(s, "老干部直属党小组（盖章）              组长 赵六（签名）"
	    "：____________"), "signed by the 组长");
	free(s);

	s = print("备案报告", NULL, NULL);
	ok(has(s, "机关党委（盖章）              负责人（签名）：____________"),
	    "the whole unit's report is the 机关党委's");
	ok(has(s, "报送单位：某某机关党委"), "from the 机关党委");
	free(s);
}

static void
test_arrivals(void)
{
	struct exchange_arrival a = {
		"2026-07-10 09:30:00", "2026H2", "一支部-2026H2.cxp",
		"2026-07-10 09:00:00"
	}, b = { "2026-01-12 16:05:00", "2026H1", "二支部-2026H1.cxp",
		"2026-01-12 16:00:00" };
	struct workbench wb;
	struct period p;
	char *err = NULL, *s;

	s = print("备案情况总表", NULL, NULL);
	ok(has(s, "各党支部报送情况：收到本期报送包的 0 个，共 3 个。"),
	    "总表: nothing arrived yet");
	free(s);
	ok(exchange_arrival_set(st, fs, BR_A, &a, &err) == CX_OK &&
	    exchange_arrival_set(st, fs, BR_B, &b, &err) == CX_OK,
	    "arrivals recorded");
	free(err);
	err = NULL;
	s = print("备案情况总表", NULL, NULL);
	ok(has(s, "各党支部报送情况：收到本期报送包的 1 个，共 3 个。"),
	    "总表: one of three");
	ok(has(s, "| 一支部               |  已报送  | 2026-07-10 09:30:00  |"
	    " 2026年下半年   | 一支部-2026H2.cxp "), "总表: A filed, when, what");
	ok(has(s, "| 二支部               |  未报送  | 2026-01-12 16:05:00  |"
	    " 2026年上半年   | 二支部-2026H1.cxp "),
	    "总表: B's latest package is of the half before");
	ok(has(s, "| 老干部直属党小组     |  未报送  | —"),
	    "总表: nothing from the direct group");
	free(s);
	s = print("备案报告", NULL, NULL);
	ok(has(s, "收到本期报送包的 1 个，共 3 个。"),
	    "the whole unit's 备案报告 has them too");
	free(s);

	model_period_parse("2026H2", &p, NULL);
	ok(workbench_build(&lg, &p, &wb, &err) == CX_OK, "工作台 builds");
	is_int(wb.nbranches, 3, "工作台: three branches");
	is_int(wb.nfiled, 1, "工作台: one package of the period");
	if (wb.nbranches == 3) {
		is_str(wb.branches[0].name, "一支部", "工作台: A first");
		is_str(wb.branches[0].arrival.line,
		    "已报送 2026-07-10（2026年下半年）", "工作台: A filed");
		is_str(wb.branches[1].arrival.line,
		    "未报送（最近收到 2026-01-12，2026年上半年）",
		    "工作台: B's last package is older");
		is_str(wb.branches[2].arrival.line, "未报送",
		    "工作台: the direct group has sent nothing");
	}
	workbench_free(&wb);
	model_period_parse("2026H1", &p, NULL);
	ok(workbench_build(&lg, &p, &wb, &err) == CX_OK &&
	    wb.nfiled == 1 && wb.nbranches == 3 &&
	    wb.branches[1].arrival.filed, "工作台 2026H1: B filed that one");
	workbench_free(&wb);
	free(err);
}

static void
test_branch_directory(void)
{
	const struct form *forg = formset_find(fs, "org");
	struct record *r = NULL;
	struct workbench wb;
	char *gid = NULL, *id = NULL, *err = NULL, *s;

	ok(store_get(st, forg, BR_A, &r, NULL) == CX_OK, "A read");
	if (r != NULL)
		gid = store_record_gid(st, r);
	record_free(r);
	ok(store_meta_set(st, "scope", "branch", NULL) == CX_OK &&
	    store_meta_set(st, "branch", gid ? gid : "", NULL) == CX_OK,
	    "made a branch directory of A");
	free(gid);
	ok(rollup_filing_branch(&lg, NULL, &id, &err) == CX_OK && id != NULL &&
	    strcmp(id, "2") == 0, "branch directory: files for A");
	free(id);
	id = NULL;
	ok(rollup_filing_branch(&lg, "3", &id, &err) != CX_OK && id == NULL &&
	    has(err, "这是一支部的数据目录，只能打印本支部的备案报告"),
	    "branch directory: another branch refused");
	free(err);
	err = NULL;
	s = print("备案报告", NULL, NULL);
	ok(has(s, "报送单位：一支部") && has(s, "报送对象：某某机关党委") &&
	    has(s, "书记 张三（签名）") && !has(s, "二支部"),
	    "branch directory: 备案报告 is A's own");
	free(s);
	s = print("备案报告", "3", NULL);
	ok(s == NULL, "branch directory: --branch of another refused");
	free(s);
	s = print("备案情况总表", NULL, NULL);
	ok(s != NULL && !has(s, "报送情况"), "branch directory: no arrivals");
	free(s);
	ok(workbench_build(&lg, NULL, &wb, &err) == CX_OK &&
	    wb.nbranches == 0, "branch directory: 工作台 without arrivals");
	workbench_free(&wb);
	free(err);
	store_meta_set(st, "scope", "committee", NULL);
}

int
main(void)
{
	const char *forms = getenv("CXZY_FORMS");
	char tmp[] = "/tmp/cxzy-filing.XXXXXX";
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
	ledger_init(&lg, st, fs);
	setup();
	test_branch_package();
	test_arrivals();
	test_branch_directory();
	ledger_fini(&lg);
	store_close(st);
	rm_rf(tmp);
	formset_free(fs);
	return tap_done();
}
