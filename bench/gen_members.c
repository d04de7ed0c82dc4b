/* gen_members.c: a data directory with a very large roster.
 *
 * Creates the demo office (demo_create) and then adds N members (default
 * 1,000,000) to its 党支部 and 直属党小组 through store_put_many, so that the
 * full-screen program can be timed on a roster of that size (see
 * bench/bench_tui.sh and bench/README.md).
 *
 *   gen_members DIR [N]
 *
 * The forms are read from $CXZY_FORMS, or else from the installed forms
 * directory.  Every value is a fixed function of the member's number
 * (splitmix64), so two runs write the same records; only the timestamps
 * differ unless CXZY_NOW pins them.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "formdef.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define GEN_BATCH	10000
#define GEN_VALIDATE	2000	/* the first records also go through form_validate */
#define GEN_MAX_ORGS	256

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static const char *gen_surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
	"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
	"姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
	"熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
	"欧阳", "司马", "上官", "诸葛", "司徒", "令狐",
};
/* Characters of given names, the first half more usual for men, the
 * second for women; one rare character outside the BMP. */
static const char *gen_given[2][40] = {
	{ "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超",
	  "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇",
	  "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林",
	  "国", "建", "志", "文", "海", "东", "晨", "博", "昊", "𠀾" },
	{ "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "玲", "婷",
	  "秀", "英", "桂", "兰", "梅", "琳", "雪", "丹", "慧", "颖",
	  "欣", "怡", "佳", "倩", "璐", "瑶", "萍", "红", "玉", "燕",
	  "晶", "莉", "洁", "蕾", "薇", "琪", "淑", "珊", "露", "月" },
};
static const char *gen_posts[] = {
	"处长", "副处长", "一级调研员", "二级调研员", "三级调研员",
	"一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员",
	"一级科员", "二级科员", "工程师", "助理工程师", "高级工程师",
	"会计", "出纳", "驾驶员", "档案管理员", "办公室综合科科员",
	"后勤保障中心主任",
};

struct gen_org {
	uint64_t	id;
	uint64_t	parent;
	char		type[16];
};

struct gen_branch {
	uint64_t	id;
	uint64_t	groups[8];
	size_t		ngroups;
	bool		retired;	/* the 直属党小组 of retired cadres */
};

struct gen {
	struct store		*st;
	const struct formset	*fs;
	struct gen_org		 orgs[GEN_MAX_ORGS];
	size_t			 norgs;
	struct gen_branch	 branches[GEN_MAX_ORGS];
	size_t			 nbranches;
};

/* splitmix64: record i's values derive from mix(i). */
static uint64_t
gen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int
gen_collect_org(void *arg, const struct form *f, const struct record *r)
{
	struct gen *g = arg;
	const char *type = record_get(r, "type");
	const char *parent = record_get(r, "parent_id");
	struct gen_org *o;

	(void)f;
	if (g->norgs >= GEN_MAX_ORGS)
		return 1;
	o = &g->orgs[g->norgs++];
	o->id = r->id;
	o->parent = 0;
	if (parent != NULL)
		(void)util_parse_id(parent, &o->parent);
	snprintf(o->type, sizeof o->type, "%s", type != NULL ? type : "");
	return 0;
}

/* The demo's 党支部 and 直属党小组 with their 党小组, which the members are
 * spread over. */
static void
gen_find_branches(struct gen *g)
{
	size_t i, j;

	for (i = 0; i < g->norgs; i++) {
		struct gen_branch *b;

		if (strcmp(g->orgs[i].type, "branch") != 0 &&
		    strcmp(g->orgs[i].type, "direct_group") != 0)
			continue;
		b = &g->branches[g->nbranches++];
		memset(b, 0, sizeof *b);
		b->id = g->orgs[i].id;
		b->retired = strcmp(g->orgs[i].type, "direct_group") == 0;
		for (j = 0; j < g->norgs; j++)
			if (strcmp(g->orgs[j].type, "group") == 0 &&
			    g->orgs[j].parent == b->id &&
			    b->ngroups < NELEM(b->groups))
				b->groups[b->ngroups++] = g->orgs[j].id;
	}
}

static struct record *
gen_member(struct gen *g, uint64_t i)
{
	struct record *r = record_new();
	uint64_t h = gen_mix(i), h2 = gen_mix(i ^ 0x5bd1e995ULL);
	const struct gen_branch *b = &g->branches[h2 % g->nbranches];
	int female = (int)((h >> 1) % 5 >= 3);
	const char *const *given = gen_given[female];
	int by, jy;
	char s[80];

	/* 1-, 2- (most) or rare 3-character given names. */
	switch ((h >> 4) % 8) {
	case 0:
		snprintf(s, sizeof s, "%s%s", gen_surnames[(h >> 8) %
		    NELEM(gen_surnames)], given[(h >> 16) % 40]);
		break;
	default:
		snprintf(s, sizeof s, "%s%s%s", gen_surnames[(h >> 8) %
		    NELEM(gen_surnames)], given[(h >> 16) % 40],
		    given[(h >> 24) % 40]);
		break;
	}
	record_set(r, "name", s);
	record_set(r, "gender", female ? "f" : "m");
	by = b->retired ? 1940 + (int)((h >> 32) % 18) :
	    1960 + (int)((h >> 32) % 42);
	snprintf(s, sizeof s, "%04d-%02d", by, 1 + (int)((h >> 38) % 12));
	record_set(r, "birth", s);
	jy = by + 19 + (int)((h >> 42) % 20);
	if (jy > 2025)
		jy = 2025;
	snprintf(s, sizeof s, "%04d-%02d-%02d", jy, 1 + (int)((h >> 48) % 12),
	    1 + (int)((h >> 52) % 28));
	record_set(r, "joined", s);
	if (!b->retired && (h2 >> 20) % 40 == 0) {
		record_set(r, "status", "probationary");
		record_set(r, "joined", "2025-12-18");
	} else
		record_set(r, "status", "full");
	record_set(r, "post", b->retired ? "退休干部" :
	    gen_posts[(h2 >> 24) % NELEM(gen_posts)]);
	snprintf(s, sizeof s, "%llu", (unsigned long long)b->id);
	record_set(r, "branch_id", s);
	if (b->ngroups > 0) {
		snprintf(s, sizeof s, "%llu", (unsigned long long)
		    b->groups[(h2 >> 32) % b->ngroups]);
		record_set(r, "group_id", s);
	}
	record_set(r, "party_role", (h2 >> 40) % 50 == 0 ?
	    (b->ngroups > 0 ? "group_leader" : "organization") : "member");
	return r;
}

static int
gen_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct gen *g = arg;
	const struct form *f = formset_find(g->fs, kind);

	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(g->st, f, id, out, errp);
}

/* The generator must only make records a user could have typed: the
 * first ones go through the same checks as the entry form's. */
static int
gen_check(struct gen *g, const struct form *f, struct record *r,
    char **errp)
{
	struct strlist problems;
	int rc = CX_OK;

	strlist_init(&problems);
	form_validate(f, r, gen_lookup, g, &problems);
	model_check(g->fs, f->kind, r, gen_lookup, g, &problems);
	if (problems.n > 0)
		rc = err_set(errp, "生成的党员记录有误：%s", problems.v[0]);
	strlist_free(&problems);
	return rc;
}

static double
gen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("CXZY_FORMS");
	const char *formsdir = env != NULL && *env != '\0' ? env :
	    CXZY_FORMSDIR;
	struct formset *fs = NULL;
	const struct form *forg, *fmem;
	struct record *batch[GEN_BATCH];
	struct gen g;
	char *err = NULL, *end;
	unsigned long long n = 1000000ULL, i;
	double t0;
	size_t k, total;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "用法：gen_members 数据目录 [党员人数]\n");
		return 2;
	}
	if (argc == 3) {
		errno = 0;
		n = strtoull(argv[2], &end, 10);
		if (errno != 0 || *end != '\0' || end == argv[2]) {
			fprintf(stderr, "gen_members：人数「%s」不是正整数。\n",
			    argv[2]);
			return 2;
		}
	}
	if (formset_load_dir(formsdir, &fs, &err) != CX_OK)
		goto fail;
	forg = formset_find(fs, "org");
	fmem = formset_find(fs, "member");
	if (forg == NULL || fmem == NULL) {
		err = xstrdup("表单定义中缺少党组织（org）或党员（member）。");
		goto fail;
	}
	t0 = gen_now();
	if (demo_create(argv[1], fs, &err) != CX_OK)
		goto fail;
	memset(&g, 0, sizeof g);
	g.fs = fs;
	if (store_open(argv[1], fs, 0, NULL, &g.st, &err) != CX_OK)
		goto fail;
	if (store_foreach(g.st, forg, gen_collect_org, &g, &err) != CX_OK)
		goto fail_store;
	gen_find_branches(&g);
	if (g.nbranches == 0) {
		err = xstrdup("演示数据中没有党支部。");
		goto fail_store;
	}
	for (i = 0; i < n; ) {
		size_t nb = n - i < GEN_BATCH ? (size_t)(n - i) : GEN_BATCH;

		for (k = 0; k < nb; k++) {
			batch[k] = gen_member(&g, i + k);
			if (i + k < GEN_VALIDATE &&
			    gen_check(&g, fmem, batch[k], &err) != CX_OK) {
				nb = k + 1;
				for (k = 0; k < nb; k++)
					record_free(batch[k]);
				goto fail_store;
			}
		}
		rc = store_put_many(g.st, fmem, batch, nb, &err);
		for (k = 0; k < nb; k++)
			record_free(batch[k]);
		if (rc != CX_OK)
			goto fail_store;
		i += nb;
		if (i % 100000 == 0 || i == n)
			fprintf(stderr, "gen_members：已写入 %llu 条（%.1f 秒）\n",
			    i, gen_now() - t0);
	}
	if (store_count(g.st, fmem, &total, &err) != CX_OK)
		goto fail_store;
	store_close(g.st);
	formset_free(fs);
	printf("已在「%s」生成演示数据和 %llu 名党员（共 %zu 名），用时 %.1f 秒。\n",
	    argv[1], n, total, gen_now() - t0);
	return 0;

fail_store:
	store_close(g.st);
fail:
	fprintf(stderr, "gen_members：%s\n", err != NULL ? err : "失败。");
	free(err);
	formset_free(fs);
	return 1;
}
