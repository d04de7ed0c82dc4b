/* demo.c: the demo office.
 *
 * Everything is generated from a fixed seed so that the demo is the same on
 * every machine, which lets the command-line tests compare exact output.
 * Every record goes through form_validate, like records a user types. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "model.h"

struct demo_branch {
	const char	*name;
	const char	*type;		/* branch or direct_group */
	int		 members;
	const char	*groups[2];	/* 党小组 names, or NULL */
};

static const struct demo_branch demo_branches[] = {
	{ "办公室党支部", "branch", 9, { "办公室第一党小组", "办公室第二党小组" } },
	{ "指挥通信处党支部", "branch", 8, { NULL, NULL } },
	{ "工程建设管理处党支部", "branch", 10, { "工程一组党小组", "工程二组党小组" } },
	{ "政策法规处党支部", "branch", 7, { NULL, NULL } },
	{ "宣传教育处党支部", "branch", 8, { NULL, NULL } },
	{ "财务审计处党支部", "branch", 7, { NULL, NULL } },
	{ "机关服务中心党支部", "branch", 11, { NULL, NULL } },
	{ "离退休干部直属党小组", "direct_group", 6, { NULL, NULL } },
};
#define DEMO_NBRANCHES (sizeof demo_branches / sizeof demo_branches[0])

static const char *demo_surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任",
	"沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石",
	"欧阳", "司马", "上官", "诸葛",
};
/* Given names: two-character names, and single characters that make
 * one- or two-character names.  Split by the gender they usually suggest,
 * so that the demo reads naturally. */
static const char *demo_given2[2][16] = {
	{ "建国", "志强", "晓东", "文博", "思远", "浩然", "俊杰", "宇轩",
	  "一鸣", "建华", "国栋", "振华", "子健", "明远", "立新", "海涛" },
	{ "秀英", "桂英", "海燕", "红梅", "欣怡", "嘉怡", "梓萱", "雨桐",
	  "子涵", "晓燕", "丽华", "春梅", "玉兰", "静怡", "婉清", "思琪" },
};
static const char *demo_given1[2][16] = {
	{ "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚",
	  "昊", "喆", "犇", "翀", "堃" },
	{ "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "平", "玲", "婷",
	  "淼", "珺", "玥", "彧", "赟" },
};
static const char *demo_posts[] = {
	"副处长", "一级调研员", "二级调研员", "一级主任科员", "二级主任科员",
	"三级主任科员", "四级主任科员", "一级科员", "工程师", "助理工程师",
	"会计", "出纳", "驾驶员", "档案管理员",
};

/* A small linear congruential generator: fixed, portable output. */
static unsigned long demo_seed = 20201221UL;

static unsigned
demo_rand(unsigned n)
{
	demo_seed = (demo_seed * 1103515245UL + 12345UL) & 0x7fffffffUL;
	return (unsigned)((demo_seed >> 8) % n);
}

struct demo_ctx {
	struct store		*st;
	const struct formset	*fs;
};

static int
demo_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct demo_ctx *c = arg;
	const struct form *f = formset_find(c->fs, kind);

	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(c->st, f, id, out, errp);
}

/* Validates and stores one record; a demo record that fails validation is
 * a bug in the demo or the forms, reported like any other error. */
static int
demo_put(struct demo_ctx *c, const struct form *f, struct record *r,
    char **errp)
{
	struct strlist problems;
	struct date today;
	int rc;

	model_today(&today);
	form_apply_defaults(f, r, &today);
	strlist_init(&problems);
	form_validate(f, r, demo_lookup, c, &problems);
	model_check(c->fs, f->kind, r, demo_lookup, c, &problems);
	if (problems.n > 0) {
		err_set(errp, "演示数据有误（%s）：%s", f->label, problems.v[0]);
		strlist_free(&problems);
		return CX_ERR;
	}
	strlist_free(&problems);
	rc = store_put(c->st, f, r, errp);
	return rc;
}

static uint64_t
demo_org(struct demo_ctx *c, const struct form *f, const char *name,
    const char *type, uint64_t parent, const char *founded, char **errp)
{
	struct record *r = record_new();
	uint64_t id = 0;

	record_set(r, "name", name);
	record_set(r, "type", type);
	if (parent != 0)
		record_set_take(r, "parent_id",
		    xasprintf("%llu", (unsigned long long)parent));
	if (founded != NULL)
		record_set(r, "founded", founded);
	if (demo_put(c, f, r, errp) == CX_OK)
		id = r->id;
	record_free(r);
	return id;
}

static char *
demo_name(int serial, int female)
{
	const char *sur;

	/* One member carries a character outside the BMP (U+2003E). */
	if (serial == 17)
		return xstrdup("林𠀾");
	sur = demo_surnames[demo_rand(sizeof demo_surnames /
	    sizeof demo_surnames[0])];
	switch (demo_rand(3)) {
	case 0:
		return xasprintf("%s%s", sur, demo_given2[female][demo_rand(16)]);
	case 1:
		return xasprintf("%s%s", sur, demo_given1[female][demo_rand(16)]);
	default:
		return xasprintf("%s%s%s", sur,
		    demo_given1[female][demo_rand(16)],
		    demo_given1[female][demo_rand(16)]);
	}
}

static int
demo_member(struct demo_ctx *c, const struct form *f, int serial, int index,
    uint64_t branch, uint64_t group, bool retired, char **errp)
{
	static const char *roles[] = { "secretary", "organization",
	    "propaganda", "discipline" };
	struct record *r = record_new();
	int female = demo_rand(5) >= 3;
	/* Retired members were born 1940-1957; a branch secretary (who is
	 * also the 处长) 1965-1979; other members 1965-1999. */
	int by = retired ? 1940 + (int)demo_rand(18) :
	    index == 0 ? 1965 + (int)demo_rand(15) : 1965 + (int)demo_rand(35);
	int bm = 1 + (int)demo_rand(12);
	int jy = by + 19 + (int)demo_rand(retired ? 20 : 10);
	int jm = 1 + (int)demo_rand(12), jd = 1 + (int)demo_rand(28);
	int rc;

	if (jy > 2025)
		jy = 2025;
	record_set_take(r, "name", demo_name(serial, female));
	record_set(r, "gender", female ? "f" : "m");
	record_set_take(r, "birth", xasprintf("%04d-%02d", by, bm));
	record_set_take(r, "joined", xasprintf("%04d-%02d-%02d", jy, jm, jd));
	/* The youngest member of some branches is still on probation. */
	if (!retired && index == 5 && serial % 2 == 1) {
		record_set(r, "status", "probationary");
		record_set(r, "joined", "2025-12-18");
	}
	if (retired)
		record_set(r, "post", "退休干部");
	else if (index == 0)
		record_set(r, "post", "处长");
	else
		record_set(r, "post", demo_posts[demo_rand(
		    sizeof demo_posts / sizeof demo_posts[0])]);
	record_set_take(r, "branch_id",
	    xasprintf("%llu", (unsigned long long)branch));
	if (group != 0)
		record_set_take(r, "group_id",
		    xasprintf("%llu", (unsigned long long)group));
	if (index < 4 && !(retired && index > 0))
		record_set(r, "party_role", retired ? "group_leader" :
		    roles[index]);
	else if (group != 0 && (index == 4 || index == 5))
		record_set(r, "party_role", "group_leader");
	rc = demo_put(c, f, r, errp);
	record_free(r);
	return rc;
}

int
demo_create(const char *dir, const struct formset *fs, char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	const struct form *fmem = formset_find(fs, "member");
	struct demo_ctx c;
	uint64_t committee;
	size_t i;
	int serial = 0, rc = CX_ERR;

	if (forg == NULL || fmem == NULL)
		return err_set(errp, "表单定义中缺少党组织（org）或党员（member）。");
	demo_seed = 20201221UL;
	c.fs = fs;
	if (store_open(dir, fs, STORE_CREATE, NULL, &c.st, errp) != CX_OK)
		return CX_ERR;
	committee = demo_org(&c, forg, "演示市人防办机关党委", "committee", 0,
	    "2010-06-18", errp);
	if (committee == 0)
		goto out;
	for (i = 0; i < DEMO_NBRANCHES; i++) {
		const struct demo_branch *b = &demo_branches[i];
		uint64_t bid, gid[2] = { 0, 0 };
		int k;

		bid = demo_org(&c, forg, b->name, b->type, committee,
		    NULL, errp);
		if (bid == 0)
			goto out;
		for (k = 0; k < 2 && b->groups[k] != NULL; k++) {
			gid[k] = demo_org(&c, forg, b->groups[k], "group", bid,
			    NULL, errp);
			if (gid[k] == 0)
				goto out;
		}
		for (k = 0; k < b->members; k++) {
			uint64_t g = gid[0] == 0 ? 0 :
			    (k % 2 == 0 || gid[1] == 0) ? gid[0] : gid[1];

			if (demo_member(&c, fmem, ++serial, k, bid, g,
			    strcmp(b->type, "direct_group") == 0, errp) != CX_OK)
				goto out;
		}
	}
	rc = CX_OK;
out:
	store_close(c.st);
	return rc;
}
