/* demo.c: the demo office.
 *
 * Everything is generated from a fixed seed and the date the demo is made
 * for (model_today, so CXZY_NOW in tests), so that the demo is the same on
 * every machine and the command-line tests can compare exact output.
 *
 * The roster (党组织 and 党员) goes through form_validate like records a
 * user types.  The annexes then fill two half-years, the one before
 * today's and today's, through ledger_save, so that stored rows, auto
 * fields, checks and links are exactly what the screens produce:
 *
 * - the earlier half-year is complete: every 党支部 has 附件一, 四, 六,
 *   every member 附件二 and 五, pledges are kept (a few explained as not
 *   kept), 整改 items are closed, two 整改通知书 were re-checked, meetings
 *   were held as often as required;
 * - one pledge item and one 整改 item were still open and are carried into
 *   today's half-year by ledger_new_cycle (the same records);
 * - today's half-year is under way, with gaps for the 工作台 to show:
 *   branches and members without some annexes, overdue items, a 整改通知书
 *   awaiting 复验, a branch short of meetings and a 党课 without 讲义.
 *
 * A record the forms refuse is a bug in the demo: demo_create fails and
 * says which record and why. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "demo_text.h"
#include "ledger.h"
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

#define DEMO_MAXPEOPLE	80
#define DEMO_NHALVES	2

/* A member of the roster, as the annexes need it. */
struct demo_person {
	uint64_t	 id;
	char		*name;
	size_t		 unit;		/* index in demo_branches */
	int		 index;		/* position in the unit, 0 = secretary */
	uint64_t	 group;		/* 党小组, or 0 */
	bool		 committee;	/* 支部委员 */
	int		 pledged[DEMO_NHALVES];	/* 附件二 items */
	int		 unmet[DEMO_NHALVES];	/* explained as not kept */
	long		 done_on[DEMO_NHALVES][2];	/* completed, or 0 */
};

struct demo_unit {
	uint64_t	 id;
	bool		 direct;	/* 直属党小组 */
	uint64_t	 groups[2];
	size_t		 ngroups;
	size_t		 first, n;	/* people[first .. first + n) */
	int		 pledged[DEMO_NHALVES];	/* 附件一 items */
	int		 unmet[DEMO_NHALVES];	/* explained as not kept */
	long		 done_on[DEMO_NHALVES][4];	/* completed, or 0 */
};

/* One half-year being filled.  Days are counted as date_to_days does. */
struct demo_half {
	int		 h;		/* 0: the earlier, 1: today's */
	struct period	 p;
	char		 code[16];
	long		 first, last;
	long		 limit;		/* the last day anything can have
					 * happened: last, or today */
};

struct demo {
	struct store		*st;
	const struct formset	*fs;
	struct ledger		 lg;
	bool			 lg_open;
	struct demo_person	 people[DEMO_MAXPEOPLE];
	size_t			 npeople;
	struct demo_unit	 units[DEMO_NBRANCHES];
	long			 today;
	unsigned long		 seed;		/* for the annexes */
	int			 notice_year, notice_seq;
	uint64_t		 carried_pledge, carried_rect;
	char			*err;		/* the first failure */
	const struct form	*f_bp, *f_mp, *f_lr, *f_sr, *f_me, *f_rn,
				*f_mt;
};

static int
demo_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct demo *d = arg;
	const struct form *f = formset_find(d->fs, kind);

	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(d->st, f, id, out, errp);
}

/* Validates and stores one roster record; a demo record that fails
 * validation is a bug in the demo or the forms, reported like any other
 * error. */
static int
demo_put(struct demo *d, const struct form *f, struct record *r,
    char **errp)
{
	struct strlist problems;
	struct date today;
	int rc;

	model_today(&today);
	form_apply_defaults(f, r, &today);
	strlist_init(&problems);
	form_validate(f, r, demo_lookup, d, &problems);
	model_check(d->fs, f->kind, r, demo_lookup, d, &problems);
	if (problems.n > 0) {
		err_set(errp, "演示数据有误（%s）：%s", f->label, problems.v[0]);
		strlist_free(&problems);
		return CX_ERR;
	}
	strlist_free(&problems);
	rc = store_put(d->st, f, r, errp);
	return rc;
}

static uint64_t
demo_org(struct demo *d, const struct form *f, const char *name,
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
	if (demo_put(d, f, r, errp) == CX_OK)
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
demo_member(struct demo *d, const struct form *f, int serial, int index,
    uint64_t branch, uint64_t group, bool retired, struct demo_person *p,
    char **errp)
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
	const char *role;
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
	rc = demo_put(d, f, r, errp);
	if (rc == CX_OK) {
		role = record_get(r, "party_role");
		p->id = r->id;
		p->name = xstrdup(record_get(r, "name"));
		p->index = index;
		p->group = group;
		/* Who sits on the 支部委员会: what meeting_expected counts. */
		p->committee = role != NULL && strcmp(role, "member") != 0 &&
		    strcmp(role, "group_leader") != 0;
	}
	record_free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Small tools for the annexes.                                        */
/* ------------------------------------------------------------------ */

static unsigned
demo_rnd(struct demo *d, unsigned n)
{
	d->seed = (d->seed * 1103515245UL + 12345UL) & 0x7fffffffUL;
	return (unsigned)((d->seed >> 8) % n);
}

/* Keeps the first failure; later ones are consequences. */
static void
demo_fail(struct demo *d, char *msg)
{
	if (d->err == NULL)
		d->err = msg;
	else
		free(msg);
}

static long
demo_days(int y, int m, int day)
{
	struct date x;

	x.y = y;
	x.m = m;
	x.d = day;
	return date_to_days(&x);
}

static void
demo_set_date(struct record *r, const char *id, long days)
{
	struct date x;
	char buf[11];

	date_from_days(days, &x);
	date_format(&x, buf);
	record_set(r, id, buf);
}

static void
demo_set_id(struct record *r, const char *id, uint64_t v)
{
	record_set_take(r, id, xasprintf("%llu", (unsigned long long)v));
}

static void
demo_set_int(struct record *r, const char *id, long v)
{
	record_set_take(r, id, xasprintf("%ld", v));
}

static long
demo_min(long a, long b)
{
	return a < b ? a : b;
}

static long
demo_max(long a, long b)
{
	return a > b ? a : b;
}

/* A day that can already have happened in h: between first and limit. */
static long
demo_clamp(const struct demo_half *h, long day)
{
	return demo_max(h->first, demo_min(day, h->limit));
}

/* A day inside h at all (deadlines may lie ahead). */
static long
demo_inside(const struct demo_half *h, long day)
{
	return demo_max(h->first, demo_min(day, h->last));
}

/* permille of the way from the start of h to its limit: when something
 * that has happened happened. */
static long
demo_at(const struct demo_half *h, int permille)
{
	return h->first + (h->limit - h->first) * permille / 1000;
}

/* permille of the way through h: a deadline. */
static long
demo_due(const struct demo_half *h, int permille)
{
	return h->first + (h->last - h->first) * permille / 1000;
}

/* A deadline set in today's half-year that should still lie ahead:
 * only the items meant to be overdue are. */
static long
demo_ahead(struct demo *d, const struct demo_half *h, long planned)
{
	if (h->h == 0)
		return planned;
	return demo_inside(h, demo_max(planned, d->today + 10 +
	    (long)demo_rnd(d, 20)));
}

/* 0 = Sunday (1970-01-01 was a Thursday). */
static int
demo_weekday(long days)
{
	return (int)(((days % 7) + 7 + 4) % 7);
}

/* Moves a Saturday or Sunday to the nearest working day that stays in
 * [lo, limit]; leaves the day alone when none does. */
static long
demo_workday(const struct demo_half *h, long day, long lo)
{
	int wd = demo_weekday(day);
	long cand[2];
	int i;

	if (wd != 0 && wd != 6)
		return day;
	cand[0] = wd == 6 ? day - 1 : day + 1;
	cand[1] = wd == 6 ? day + 2 : day - 2;
	for (i = 0; i < 2; i++)
		if (cand[i] >= lo && cand[i] >= h->first &&
		    cand[i] <= h->limit)
			return cand[i];
	return day;
}

/* Day dd of the m-th month (0-5) of h, cut to the month's length. */
static long
demo_month_day(const struct demo_half *h, int m, int dd)
{
	int month = (h->p.half - 1) * 6 + 1 + m;
	int dim = date_days_in_month(h->p.year, month);

	return demo_days(h->p.year, month, dd < dim ? dd : dim);
}

static const struct form *
demo_form(struct demo *d, const char *kind)
{
	const struct form *f = formset_find(d->fs, kind);

	if (f == NULL)
		demo_fail(d, xasprintf("表单定义中缺少“%s”，无法生成演示数据。",
		    kind));
	return f;
}

/* Sets an enum or multi-enum value from option labels (or codes) joined
 * by "、", as the forms list them; a multi-enum is stored in the order of
 * its options.  rows names the rows field when id is one of its
 * columns. */
static void
demo_enum(struct demo *d, const struct form *f, const char *rows,
    struct record *r, const char *id, const char *labels)
{
	const struct form_field *ff = form_field_find(f, rows != NULL ? rows :
	    id);
	const char *p = labels, *sep;
	bool *chosen;
	struct buf b;
	size_t k;

	if (ff != NULL && rows != NULL)
		ff = form_subfield_find(ff, id);
	if (ff == NULL || ff->nopts == 0) {
		demo_fail(d, xasprintf("演示数据有误：表单“%s”没有选项字段“%s”。",
		    f->label, id));
		return;
	}
	chosen = xcalloc(ff->nopts, sizeof *chosen);
	while (*p != '\0') {
		const struct form_option *o;
		char *one;

		sep = strstr(p, "、");
		one = sep != NULL ? xstrndup(p, (size_t)(sep - p)) : xstrdup(p);
		o = form_option_find(ff, one);
		if (o == NULL)
			demo_fail(d, xasprintf("演示数据有误：“%s”没有选项“%s”。",
			    ff->label, one));
		else
			chosen[o - ff->opts] = true;
		free(one);
		p = sep != NULL ? sep + strlen("、") : p + strlen(p);
	}
	buf_init(&b);
	for (k = 0; k < ff->nopts; k++) {
		if (!chosen[k])
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_addstr(&b, ff->opts[k].code);
	}
	record_set_take(r, id, buf_take(&b));
	buf_free(&b);
	free(chosen);
}

/* Saves through the ledger; on failure keeps a message naming the record. */
static bool
demo_save(struct demo *d, const struct form *f, struct record *r,
    const char *what)
{
	struct strlist problems;
	char *err = NULL;
	bool ok;

	if (d->err != NULL)
		return false;
	/* A new record starts from the form's defaults, as on the entry
	 * screen. */
	if (r->id == 0)
		form_apply_defaults(f, r, &d->lg.ctx.today);
	strlist_init(&problems);
	ok = ledger_save(&d->lg, f, r, &problems, &err) == CX_OK;
	if (!ok)
		demo_fail(d, xasprintf("演示数据有误（%s，%s）：%s", f->label,
		    what, problems.n > 0 ? problems.v[0] :
		    err != NULL ? err : "无法保存。"));
	free(err);
	strlist_free(&problems);
	return ok;
}

/* The record a stored row became: rows field rows of owner r, row i. */
static struct record *
demo_child(struct demo *d, const struct form *f, const struct record *r,
    const char *rows, size_t i)
{
	const struct form_field *ff = form_field_find(f, rows);
	struct record *row = record_row(r, rows, i), *c = NULL;
	const char *s = row != NULL ? record_get(row, "_id") : NULL;
	char *err = NULL;
	uint64_t id;

	if (d->err != NULL)
		return NULL;
	if (ff == NULL || ff->store_form == NULL || s == NULL ||
	    !util_parse_id(s, &id)) {
		demo_fail(d, xasprintf("演示数据有误：%s第 %zu 行没有对应的记录。",
		    f->label, i + 1));
		return NULL;
	}
	if (ledger_get(&d->lg, ff->store_form, id, &c, &err) != CX_OK) {
		demo_fail(d, xasprintf("演示数据有误：%s", err != NULL ? err :
		    "读不到刚保存的记录。"));
		free(err);
		return NULL;
	}
	return c;
}

static void
demo_progress(struct record *c, long day, const char *text)
{
	struct record *row = record_add_row(c, "progress");

	demo_set_date(row, "date", day);
	record_set(row, "text", text);
}

static struct demo_person *
demo_member_of(struct demo *d, size_t u, int index)
{
	const struct demo_unit *un = &d->units[u];

	if (index < 0 || (size_t)index >= un->n)
		index = 0;
	return &d->people[un->first + (size_t)index];
}

/* Who stands in for the secretary where there is none (直属党小组: the
 * 党小组长, index 0). */
static struct demo_person *
demo_secretary(struct demo *d, size_t u)
{
	return demo_member_of(d, u, 0);
}

/* The 组织委员 (index 1) keeps records and fills in forms. */
static struct demo_person *
demo_organizer(struct demo *d, size_t u)
{
	return demo_member_of(d, u, 1);
}

/* The 机关党委's clerk: the 办公室's 组织委员. */
static const char *
demo_clerk(struct demo *d)
{
	return demo_organizer(d, 0)->name;
}

static const struct demo_leader *
demo_leader(size_t u)
{
	return &demo_leaders[u / 2 % 4];
}

/* ------------------------------------------------------------------ */
/* 附件一、二、三: pledges and what became of them.                    */
/* ------------------------------------------------------------------ */

enum demo_fate { FATE_TODO, FATE_DOING, FATE_DONE, FATE_UNMET };

/* Records what happened to one pledge item (a pledge_ledger record) and
 * saves it; FATE_TODO leaves it as the pledge created it.  Returns the
 * day it was completed, or 0. */
static long
demo_pledge_fate(struct demo *d, const struct demo_half *h, struct record *c,
    enum demo_fate fate, long start, const char *unmet)
{
	const char *due_s = record_get(c, "due_date");
	struct date due;
	long dd, done = 0, step;

	if (fate == FATE_TODO)
		return 0;
	if (due_s == NULL || date_parse(due_s, &due, NULL) != CX_OK)
		return 0;
	dd = date_to_days(&due);
	start = demo_clamp(h, start);
	step = demo_clamp(h, start + 4 + (long)demo_rnd(d, 10));
	demo_progress(c, step, demo_progress_start[demo_rnd(d,
	    (unsigned)demo_nprogress_start)]);
	switch (fate) {
	case FATE_DONE:
		done = demo_clamp(h, demo_max(step, dd - (long)demo_rnd(d, 12)));
		if (done - step > 20)
			demo_progress(c, step + (done - step) / 2,
			    demo_progress_mid[demo_rnd(d,
			    (unsigned)demo_nprogress_mid)]);
		record_set(c, "status", "done");
		demo_set_date(c, "completed_on", done);
		record_set(c, "assessment", demo_assessments[demo_rnd(d,
		    (unsigned)demo_nassessments)]);
		break;
	case FATE_DOING:
		/* Half way, or held up (the first and last notes). */
		if (h->limit - step > 30)
			demo_progress(c, step + (h->limit - step) / 2,
			    demo_progress_mid[demo_rnd(d, 2) == 0 ? 0 :
			    demo_nprogress_mid - 1]);
		record_set(c, "status", "doing");
		break;
	case FATE_UNMET:
		record_set(c, "status", "unmet");
		record_set(c, "unmet_reason", unmet != NULL ? unmet :
		    "因客观条件变化未能兑现，已在党务公开栏向群众说明。");
		break;
	case FATE_TODO:
		break;
	}
	demo_save(d, formset_find(d->fs, "pledge_ledger"), c, "承诺事项");
	return done;
}

static void
demo_pledge_row(struct demo *d, const struct form *f, struct record *r,
    const struct demo_pledge_text *t, const char *five_field, long due,
    uint64_t responsible)
{
	struct record *row = record_add_row(r, "items");

	demo_enum(d, f, "items", row, "kind", t->kind);
	if (t->five != NULL && form_subfield_find(form_field_find(f, "items"),
	    five_field) != NULL)
		demo_enum(d, f, "items", row, five_field, t->five);
	record_set(row, "content", t->content);
	record_set(row, "target", t->target);
	record_set(row, "measures", t->measures);
	if (responsible != 0)
		demo_set_id(row, "responsible_id", responsible);
	demo_set_date(row, "due_date", due);
}

/* The day a branch's members met to adopt the half-year's pledges. */
static long
demo_pledge_meeting_day(const struct demo_half *h, size_t u)
{
	return demo_workday(h, demo_clamp(h, demo_month_day(h, 0, 6 +
	    (int)(u % 5))), h->first);
}

static void
demo_branch_pledges(struct demo *d, const struct demo_half *h)
{
	size_t u;

	for (u = 0; u < DEMO_NBRANCHES && d->err == NULL; u++) {
		const struct demo_theme *t = &demo_themes[u];
		struct demo_unit *un = &d->units[u];
		const struct demo_pledge_text *items[4];
		struct record *r;
		long signed_on, reviewed, due[4];
		int k, ncomm = un->direct ? 2 : 4;

		/* Today's half-year: the 财务审计处 and the retired members'
		 * group have not filed their 附件一 yet. */
		if (h->h == 1 && (u == 5 || u == 7))
			continue;
		items[0] = &t->service[h->h * 2];
		items[1] = &t->service[h->h * 2 + 1];
		items[2] = &t->fact[h->h * 2];
		items[3] = &t->fact[h->h * 2 + 1];
		/* Services run to the end of the half-year, facts are due
		 * from its third month on. */
		due[0] = demo_due(h, 930 + (int)demo_rnd(d, 60));
		due[1] = demo_due(h, 880 + (int)demo_rnd(d, 100));
		due[2] = demo_due(h, 380 + (int)demo_rnd(d, 120));
		due[3] = demo_due(h, 600 + (int)demo_rnd(d, 150));
		signed_on = demo_clamp(h, demo_pledge_meeting_day(h, u) + 1 +
		    (long)demo_rnd(d, 3));
		signed_on = demo_workday(h, signed_on, h->first);
		reviewed = demo_workday(h, demo_clamp(h, signed_on + 2 +
		    (long)demo_rnd(d, 3)), signed_on);

		r = record_new();
		record_set(r, "period", h->code);
		demo_set_id(r, "branch_id", un->id);
		demo_set_id(r, "secretary_id", demo_secretary(d, u)->id);
		for (k = 0; k < 4; k++)
			demo_pledge_row(d, d->f_bp, r, items[k], "five_good",
			    due[k], demo_member_of(d, u, k % ncomm)->id);
		demo_set_date(r, "signed_on", signed_on);
		record_set(r, "review_result", "agree");
		demo_set_date(r, "reviewed_on", reviewed);
		if (u == 3 && h->h == 0)
			record_set(r, "review_opinion", "同意。第 3 条请在清理"
			    "过程中及时公布阶段结果。");
		/* One branch of today's half-year is reviewed but has not
		 * published yet. */
		if (!(h->h == 1 && u == 6)) {
			demo_enum(d, d->f_bp, NULL, r, "publish_channels",
			    u % 3 == 0 ? "党务公开栏、网络" : u % 3 == 1 ?
			    "党务公开栏、会议" : "党务公开栏、明白纸");
			demo_set_date(r, "published_on", demo_clamp(h,
			    reviewed + 1 + (long)demo_rnd(d, 2)));
		}
		if (!demo_save(d, d->f_bp, r, demo_themes[u].unit)) {
			record_free(r);
			return;
		}
		for (k = 0; k < 4 && d->err == NULL; k++) {
			struct record *c = demo_child(d, d->f_bp, r, "items",
			    (size_t)k);
			enum demo_fate fate;

			if (c == NULL)
				break;
			if (h->h == 0) {
				/* The 工程建设管理处's last item is still
				 * under way: it is carried forward. */
				if (u == 2 && k == 3)
					fate = FATE_DOING;
				else if (items[k]->unmet != NULL)
					fate = FATE_UNMET;
				else
					fate = FATE_DONE;
			} else if (due[k] < d->today) {
				/* Two items past their 完成时限 are overdue. */
				fate = (u == 1 || u == 4) && k == 2 ?
				    FATE_DOING : FATE_DONE;
			} else
				fate = k < 2 || demo_rnd(d, 3) > 0 ? FATE_DOING :
				    FATE_TODO;
			un->done_on[h->h][k] = demo_pledge_fate(d, h, c, fate,
			    signed_on, items[k]->unmet);
			if (u == 2 && k == 3 && h->h == 0)
				d->carried_pledge = c->id;
			un->pledged[h->h]++;
			un->unmet[h->h] += fate == FATE_UNMET;
			record_free(c);
		}
		record_free(r);
	}
}

/* Which common pledge a member makes: varied, avoiding the one kept for
 * the members who explain that they could not keep it. */
static const struct demo_pledge_text *
demo_common_pledge(size_t i, int h, bool unmet)
{
	size_t k = (i * 3 + (size_t)h * 5) % demo_ncommon_pledges;
	size_t tries;

	for (tries = 0; tries < demo_ncommon_pledges; tries++) {
		const struct demo_pledge_text *t = &demo_common_pledges[k];

		if ((t->unmet != NULL) == unmet)
			return t;
		k = (k + 1) % demo_ncommon_pledges;
	}
	return &demo_common_pledges[0];
}

static bool
demo_member_skips_pledge(const struct demo *d, const struct demo_half *h,
    const struct demo_person *p)
{
	if (h->h == 0)
		return false;
	if (p->unit == 5 || p->unit == 7)
		return true;
	/* A few members elsewhere have not signed yet. */
	return p->index >= 6 && (p->index + (int)p->unit) % 3 == 0 &&
	    d->units[p->unit].n > 6;
}

static void
demo_member_pledges(struct demo *d, const struct demo_half *h)
{
	size_t i;

	for (i = 0; i < d->npeople && d->err == NULL; i++) {
		struct demo_person *p = &d->people[i];
		const struct demo_theme *t = &demo_themes[p->unit];
		const struct demo_pledge_text *items[2];
		struct record *r;
		long signed_on, due[2];
		bool unmet, late;
		int k;

		if (demo_member_skips_pledge(d, h, p))
			continue;
		/* In the earlier half-year two members could not keep one
		 * pledge and said why; in today's two are late with one. */
		unmet = h->h == 0 && ((p->unit == 2 && p->index == 6) ||
		    (p->unit == 6 && p->index == 8));
		late = h->h == 1 && ((p->unit == 0 && p->index == 3) ||
		    (p->unit == 2 && p->index == 8));
		items[0] = &t->member[((size_t)p->index + (size_t)h->h * 3) % 6];
		items[1] = demo_common_pledge(i, h->h, unmet);
		due[0] = demo_due(h, 850 + (int)demo_rnd(d, 140));
		due[1] = demo_due(h, 450 + (int)demo_rnd(d, 400));
		if (late)
			due[1] = demo_inside(h, demo_min(due[1], d->today - 9));
		signed_on = demo_workday(h, demo_clamp(h,
		    demo_pledge_meeting_day(h, p->unit) + 3 +
		    (long)demo_rnd(d, 8)), h->first);

		r = record_new();
		demo_set_id(r, "member_id", p->id);
		record_set(r, "period", h->code);
		if (d->units[p->unit].direct && p->index >= 4) {
			record_set(r, "form", "oral");
			record_set(r, "oral_reason", "年老体弱，由党小组长代为"
			    "记录。");
		}
		for (k = 0; k < 2; k++)
			demo_pledge_row(d, d->f_mp, r, items[k], "five_lead",
			    due[k], 0);
		demo_set_date(r, "signed_on", signed_on);
		record_set(r, "review_result", "agree");
		demo_set_date(r, "secretary_sign_on", demo_clamp(h, signed_on +
		    1 + (long)demo_rnd(d, 4)));
		if (!demo_save(d, d->f_mp, r, p->name)) {
			record_free(r);
			return;
		}
		for (k = 0; k < 2 && d->err == NULL; k++) {
			struct record *c = demo_child(d, d->f_mp, r, "items",
			    (size_t)k);
			enum demo_fate fate;

			if (c == NULL)
				break;
			if (h->h == 0)
				fate = unmet && k == 1 ? FATE_UNMET : FATE_DONE;
			else if (due[k] < d->today)
				fate = late && k == 1 ? FATE_DOING : FATE_DONE;
			else if (k == 0)
				fate = FATE_DOING;
			else
				fate = (enum demo_fate)demo_rnd(d, 3);
			p->done_on[h->h][k] = demo_pledge_fate(d, h, c, fate,
			    signed_on, items[k]->unmet);
			p->pledged[h->h]++;
			p->unmet[h->h] += fate == FATE_UNMET;
			record_free(c);
		}
		record_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* 整改台账 items created through a form's rows.                      */
/* ------------------------------------------------------------------ */

static void
demo_rect_row(struct record *r, const char *rows,
    const struct demo_issue_text *t, uint64_t responsible, long deadline)
{
	struct record *row = record_add_row(r, rows);

	record_set(row, "issue", t->issue);
	if (t->measures != NULL)
		record_set(row, "measures", t->measures);
	if (responsible != 0)
		demo_set_id(row, "responsible_id", responsible);
	if (deadline != 0)
		demo_set_date(row, "deadline", deadline);
}

/* Records how far a 整改 item got: started on start, closed (verified by
 * verifier on closed) when fate is FATE_DONE; "check" is 待验收. */
static void
demo_rect_fate(struct demo *d, const struct demo_half *h,
    const struct form *owner, const struct record *r, const char *rows,
    size_t i, const struct demo_issue_text *t, const char *status,
    long start, long closed, const char *verifier, uint64_t responsible)
{
	const struct form *f = formset_find(d->fs, "rectification");
	struct record *c;
	long step;

	if (status == NULL || d->err != NULL)
		return;
	c = demo_child(d, owner, r, rows, i);
	if (c == NULL)
		return;
	step = demo_clamp(h, start + 2 + (long)demo_rnd(d, 5));
	if (record_get(c, "measures") == NULL ||
	    *record_get(c, "measures") == '\0')
		record_set(c, "measures", t->measures);
	if (record_get(c, "responsible_id") == NULL ||
	    *record_get(c, "responsible_id") == '\0')
		demo_set_id(c, "responsible_id", responsible);
	demo_progress(c, step, "制定整改措施，明确责任人和完成时限。");
	record_set(c, "status", status);
	if (strcmp(status, "closed") == 0) {
		closed = demo_clamp(h, demo_max(closed, step));
		if (closed - step > 10)
			demo_progress(c, step + (closed - step) / 2,
			    "整改措施落实到位，整理佐证材料，申请验收。");
		record_set(c, "evidence", t->evidence);
		record_set(c, "verifier", verifier);
		demo_set_date(c, "closed_on", closed);
	} else if (strcmp(status, "check") == 0)
		demo_progress(c, demo_clamp(h, demo_max(step, closed)),
		    "整改完成，已报送整改情况，等待验收。");
	demo_save(d, f, c, "整改事项");
	if (h->h == 0 && strcmp(status, "closed") != 0)
		d->carried_rect = c->id;
	record_free(c);
}

/* How many of n pledge items were completed by day. */
static int
demo_count_done(const long *done_on, int n, long day)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (done_on[i] != 0 && done_on[i] <= day)
			k++;
	return k;
}

/* "本半年公开承诺 4 项，已完成 3 项，其余正在推进。" */
static char *
demo_kept_text(const char *what, int pledged, int kept, int unmet)
{
	if (pledged == 0)
		return xasprintf("%s书尚未签订。", what);
	if (unmet > 0)
		return xasprintf("%s %d 项，已完成 %d 项，%d 项因故未能兑现，"
		    "已向群众说明。", what, pledged, kept, unmet);
	if (kept == pledged)
		return xasprintf("%s %d 项，已全部完成。", what, pledged);
	if (kept == 0)
		return xasprintf("%s %d 项，正在推进。", what, pledged);
	return xasprintf("%s %d 项，已完成 %d 项，其余正在推进。", what,
	    pledged, kept);
}

/* ------------------------------------------------------------------ */
/* 附件四: 领导点评.                                                  */
/* ------------------------------------------------------------------ */

static void
demo_leader_reviews(struct demo *d, const struct demo_half *h)
{
	static const char *modes[4] = { "集中点评", "现场点评", "个别点评",
	    "集中点评" };
	size_t u;

	for (u = 0; u < DEMO_NBRANCHES && d->err == NULL; u++) {
		const struct demo_theme *t = &demo_themes[u];
		const struct demo_leader *l = demo_leader(u);
		struct demo_unit *un = &d->units[u];
		struct demo_person *sec = demo_secretary(d, u);
		const struct demo_issue_text *issue = &t->issues[h->h * 2];
		struct record *r;
		long day, deadline, votes, s, fs, bs, ns;
		int reps = un->direct ? 4 + (int)demo_rnd(d, 3) :
		    8 + (int)demo_rnd(d, 6);
		const char *status;
		bool early;

		/* Today's half-year: the 机关服务中心 is not reviewed yet. */
		if (h->h == 1 && u == 6)
			continue;
		/* One leader reviewed his 联系点 on site early in today's
		 * half-year; its 整改 item is now overdue. */
		early = h->h == 1 && u == 1;
		day = demo_at(h, early ? 300 : 700 + 60 * (int)(u / 2) +
		    (int)demo_rnd(d, 30));
		day = demo_workday(h, day, h->first);
		deadline = demo_inside(h, day + 30 + (long)demo_rnd(d, 15));
		if (h->h == 0)
			deadline = demo_min(deadline, h->last - 5);
		else if (!early)
			deadline = demo_ahead(d, h, deadline);

		r = record_new();
		record_set(r, "period", h->code);
		demo_set_id(r, "branch_id", un->id);
		demo_set_id(r, "secretary_id", sec->id);
		record_set(r, "reviewer_name", l->name);
		record_set(r, "reviewer_title", l->title);
		demo_set_date(r, "review_date", day);
		demo_enum(d, d->f_lr, NULL, r, "review_mode", early ?
		    "现场点评" : modes[(u + (size_t)h->h) % 4]);
		record_set_take(r, "participants", un->direct ?
		    xasprintf("党小组党员 %zu 人，社区群众代表 %d 人", un->n, reps) :
		    xasprintf("支部委员 4 人，其他党员 %zu 人，群众代表 %d 人",
		    un->n - 4, reps));
		record_set(r, "org_aspect_1", demo_aspect_1[(u + (size_t)h->h) %
		    demo_naspect_1]);
		record_set_take(r, "org_aspect_2", xasprintf("围绕%s开展工作，"
		    "支部作用发挥比较明显。", t->work));
		record_set_take(r, "org_aspect_3", demo_kept_text("本半年党支部"
		    "公开承诺", un->pledged[h->h], demo_count_done(
		    un->done_on[h->h], 4, day), un->unmet[h->h]));
		if (u % 2 == 0)
			record_set(r, "org_aspect_6", demo_aspect_6[(u / 2 +
			    (size_t)h->h) % demo_naspect_6]);
		record_set(r, "org_strengths", t->strengths[h->h]);
		record_set_take(r, "org_problems", xasprintf("%s%s",
		    issue->issue, demo_org_problems[(u + (size_t)h->h) %
		    demo_norg_problems]));
		record_set(r, "org_directions", demo_org_directions[(u + 1 +
		    (size_t)h->h) % demo_norg_directions]);
		record_set_take(r, "sec_strengths", xasprintf("%s同志%s",
		    sec->name, demo_sec_strengths[(u + (size_t)h->h * 2) %
		    demo_nsec_strengths]));
		record_set(r, "sec_problems", demo_sec_problems[(u * 3 +
		    (size_t)h->h) % demo_nsec_problems]);
		record_set(r, "sec_directions", demo_sec_directions[(u * 3 +
		    (size_t)h->h) % demo_nsec_directions]);
		votes = (long)un->n + reps - (long)demo_rnd(d, 2);
		ns = demo_rnd(d, 4) == 0 ? 1 : 0;
		bs = (long)demo_rnd(d, 2);
		fs = votes / 6 + (long)demo_rnd(d, 3);
		s = votes - fs - bs - ns;
		demo_set_int(r, "votes_s", s);
		demo_set_int(r, "votes_fs", fs);
		demo_set_int(r, "votes_bs", bs);
		demo_set_int(r, "votes_ns", ns);
		demo_rect_row(r, "rectify", issue, sec->id, deadline);
		if (!(h->h == 1 && day + 3 > d->today)) {
			demo_set_date(r, "notified_on", demo_clamp(h, day + 2 +
			    (long)demo_rnd(d, 5)));
			record_set(r, "notify_way", u % 2 == 0 ?
			    "在支部党员大会上通报" : "在机关党委会议上通报");
		}
		record_set(r, "filled_by", demo_clerk(d));
		demo_set_date(r, "filled_on", demo_clamp(h, day + 1));
		if (h->h == 0)
			record_set(r, "follow_up", "点评指出的问题已制定整改"
			    "措施，整改到位，经机关党委验收销号。");
		if (!demo_save(d, d->f_lr, r, t->unit)) {
			record_free(r);
			return;
		}
		status = h->h == 0 ? "closed" : early ? "doing" :
		    demo_rnd(d, 2) == 0 ? "doing" : NULL;
		demo_rect_fate(d, h, d->f_lr, r, "rectify", 0, issue, status,
		    day, deadline - (long)demo_rnd(d, 8), demo_clerk(d), sec->id);
		record_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* 附件五: 书记点评党员.                                              */
/* ------------------------------------------------------------------ */

/* The day of the earlier half-year's 组织生活会 and 民主评议 (its last
 * 党员大会), where members were reviewed and the 群众评议 held. */
static long
demo_appraisal_day(const struct demo_half *h, size_t u)
{
	return demo_workday(h, demo_month_day(h, 5, 8 + 2 * (int)u), h->first);
}

static bool
demo_member_skips_review(const struct demo_half *h,
    const struct demo_person *p)
{
	if (h->h == 0)
		return false;
	return p->unit == 5 || p->unit == 6 ||
	    (p->unit == 0 && p->index == 7) || (p->unit == 2 && p->index == 9);
}

static void
demo_secretary_reviews(struct demo *d, const struct demo_half *h)
{
	/* 五带头 done well and to do better, never the same one. */
	static const char *five[5][2] = {
		{ "带头争创佳绩、带头服务群众", "带头学习提高" },
		{ "带头学习提高、带头遵纪守法", "带头服务群众" },
		{ "带头服务群众", "带头争创佳绩" },
		{ "带头遵纪守法、带头弘扬正气", "带头学习提高、带头争创佳绩" },
		{ "带头争创佳绩", "带头服务群众" },
	};
	static const char *occasions[] = { "组织生活会", "党员大会",
	    "座谈会", "一对一" };
	size_t i;

	for (i = 0; i < d->npeople && d->err == NULL; i++) {
		struct demo_person *p = &d->people[i];
		struct demo_person *rev = p->index == 0 ?
		    demo_organizer(d, p->unit) : demo_secretary(d, p->unit);
		const struct demo_issue_text *issue = NULL;
		struct record *r;
		long day, deadline = 0;
		char *kept_text;
		bool central;
		int kept, pair;

		if (demo_member_skips_review(h, p))
			continue;
		/* The earlier half-year: at the 组织生活会, with a few
		 * one-to-one talks; today's: talks as they come. */
		central = h->h == 0 && p->index % 5 != 4;
		day = central ? demo_appraisal_day(h, p->unit) :
		    demo_workday(h, demo_at(h, 720 + 25 * (int)(p->index % 8) +
		    (int)demo_rnd(d, 20)), h->first);
		r = record_new();
		demo_set_id(r, "member_id", p->id);
		record_set(r, "period", h->code);
		demo_set_id(r, "reviewer_id", rev->id);
		demo_set_date(r, "review_date", day);
		demo_enum(d, d->f_sr, NULL, r, "review_mode", central ?
		    "集中点评" : "个别点评");
		demo_enum(d, d->f_sr, NULL, r, "occasion", central ?
		    occasions[p->unit % 2] : occasions[2 + p->index % 2]);
		kept = demo_count_done(p->done_on[h->h], 2, day);
		kept_text = demo_kept_text("本半年公开承诺", p->pledged[h->h],
		    kept, p->unmet[h->h]);
		record_set_take(r, "self_eval", xasprintf("%s%s", kept_text,
		    demo_self_evals[(i + (size_t)h->h) % demo_nself_evals]));
		record_set(r, "aspect_2", demo_member_aspects[1][(i + (size_t)h->h)
		    % 3]);
		record_set(r, "aspect_3", p->pledged[h->h] == 0 ?
		    "本半年的公开承诺书还没有签订，要抓紧。" :
		    p->unmet[h->h] > 0 ? "未能兑现的承诺事项已向群众说明原因，"
		    "态度端正。" :
		    kept == p->pledged[h->h] ? "承诺事项具体可考核，已全部兑现。" :
		    kept > 0 ? "承诺事项已部分完成，其余正在推进，要抓好落实。" :
		    "承诺事项正在推进，要按时限抓好落实。");
		free(kept_text);
		if (i % 3 == 0)
			record_set(r, "aspect_5", demo_member_aspects[4][(i / 3)
			    % 3]);
		pair = (int)((i * 3 + (size_t)h->h) % 5);
		demo_enum(d, d->f_sr, NULL, r, "five_lead_strong", five[pair][0]);
		demo_enum(d, d->f_sr, NULL, r, "five_lead_weak", five[pair][1]);
		record_set(r, "strengths", demo_member_strengths[(i * 5 +
		    (size_t)h->h) % demo_nmember_strengths]);
		record_set(r, "problems", demo_member_problems[(i * 7 +
		    (size_t)h->h * 3) % demo_nmember_problems]);
		record_set(r, "directions", demo_member_directions[(i * 7 +
		    (size_t)h->h * 3) % demo_nmember_directions]);
		/* One member a branch has something to put right. */
		if ((h->h == 0 && p->index == 2) ||
		    (h->h == 1 && p->unit == 0 && p->index == 2)) {
			issue = &demo_member_issues[(p->unit + (size_t)h->h) %
			    demo_nmember_issues];
			deadline = demo_inside(h, day + 20);
			if (h->h == 0)
				deadline = demo_min(deadline, h->last - 3);
			else
				deadline = demo_ahead(d, h, deadline);
			demo_rect_row(r, "rectify", issue, p->id, deadline);
			if (h->h == 0)
				record_set(r, "follow_up", "已按要求完成整改。");
		}
		demo_set_date(r, "reviewer_sign_on", day);
		demo_set_date(r, "member_sign_on", demo_clamp(h, day +
		    (long)demo_rnd(d, 2)));
		if (!demo_save(d, d->f_sr, r, p->name)) {
			record_free(r);
			return;
		}
		if (issue != NULL)
			demo_rect_fate(d, h, d->f_sr, r, "rectify", 0, issue,
			    h->h == 0 ? "closed" : "doing", day, deadline - 1,
			    rev->name, p->id);
		record_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* 附件六: 群众评议.                                                  */
/* ------------------------------------------------------------------ */

/* Splits valid votes over the four grades; quality 0-100 shifts them
 * toward 满意.  Some ballots may leave a line blank. */
static void
demo_tally(struct demo *d, struct record *row, long valid, int quality)
{
	long blank = valid > 12 && demo_rnd(d, 3) == 0 ? 1 : 0;
	long n = valid - blank;
	long s = n * (quality + (int)demo_rnd(d, 8)) / 100;
	long rest, fs, bs, ns;

	if (s > n)
		s = n;
	rest = n - s;
	ns = rest > 2 && demo_rnd(d, 3) == 0 ? 1 : 0;
	bs = rest > 1 ? (rest - ns) / 4 + (long)demo_rnd(d, 2) : 0;
	if (bs > rest - ns)
		bs = rest - ns;
	fs = rest - ns - bs;
	demo_set_int(row, "n_s", s);
	demo_set_int(row, "n_fs", fs);
	demo_set_int(row, "n_bs", bs);
	demo_set_int(row, "n_ns", ns);
}

static void
demo_mass_evals(struct demo *d, const struct demo_half *h)
{
	static const char *methods[] = { "会议测评、发放测评表",
	    "会议测评、个别访谈", "发放测评表、意见箱/网络",
	    "会议测评、发放测评表、个别访谈" };
	static const char *items[] = { "o0", "o1", "o2", "o3", "o4", "o5" };
	size_t u, k;

	for (u = 0; u < DEMO_NBRANCHES && d->err == NULL; u++) {
		const struct demo_theme *t = &demo_themes[u];
		struct demo_unit *un = &d->units[u];
		struct demo_person *org = demo_organizer(d, u);
		struct demo_person *sec = demo_secretary(d, u);
		const struct demo_issue_text *issues[2];
		size_t nissues = 0;
		struct record *r;
		long day, party, mass, issued, returned, valid, deadline;

		/* Today's half-year: the 政策法规处 has not held its 群众评议
		 * yet. */
		if (h->h == 1 && u == 3)
			continue;
		day = h->h == 0 ? demo_appraisal_day(h, u) :
		    demo_workday(h, demo_at(h, 760 + 25 * (int)u), h->first);
		party = (long)un->n - (long)demo_rnd(d, 2);
		mass = un->direct ? 6 + (long)demo_rnd(d, 5) :
		    12 + (long)demo_rnd(d, 12);
		issued = party + mass;
		returned = issued - (long)demo_rnd(d, 2);
		valid = returned - (long)demo_rnd(d, 2);

		r = record_new();
		demo_set_id(r, "branch_id", un->id);
		record_set(r, "period", h->code);
		demo_set_date(r, "eval_date", day);
		demo_enum(d, d->f_me, NULL, r, "eval_method",
		    methods[(u + (size_t)h->h) % 4]);
		if (u % 2 == 0)
			record_set_take(r, "observer", xasprintf("%s（%s）",
			    demo_leader(u)->name, demo_leader(u)->title));
		demo_set_int(r, "participants_party", party);
		demo_set_int(r, "participants_mass", mass);
		demo_set_int(r, "issued", issued);
		demo_set_int(r, "returned", returned);
		demo_set_int(r, "valid", valid);
		demo_set_int(r, "suggestions_count", 3 + (long)demo_rnd(d, 7));
		for (k = u % 2 == 0 ? 0 : 1; k < 6; k++) {
			struct record *row = record_add_row(r, "org_rows");

			record_set(row, "item", items[k]);
			/* 突出问题整改 scores a little lower. */
			demo_tally(d, row, valid, k == 4 ? 62 : 76);
		}
		for (k = 0; k < un->n; k++) {
			struct record *row = record_add_row(r, "member_rows");

			demo_set_id(row, "member_id", d->people[un->first + k].id);
			demo_tally(d, row, valid, 70 + (int)demo_rnd(d, 15));
		}
		issues[nissues++] = &t->issues[1 + h->h * 2];
		if (u % 3 == 0)
			issues[nissues++] = &demo_mass_issues[(u / 3 +
			    (size_t)h->h) % demo_nmass_issues];
		demo_set_int(r, "issues_count", (long)nissues +
		    (long)demo_rnd(d, 2));
		deadline = demo_inside(h, day + 25 + (long)demo_rnd(d, 10));
		if (h->h == 0)
			deadline = demo_min(deadline, h->last - 2);
		else
			deadline = demo_ahead(d, h, deadline);
		for (k = 0; k < nissues; k++)
			demo_rect_row(r, "rectify", issues[k], k == 0 ? sec->id :
			    org->id, deadline);
		if (day + 2 <= h->limit) {
			demo_set_date(r, "reported_on", demo_clamp(h, day + 2 +
			    (long)demo_rnd(d, 4)));
			record_set(r, "report_way", u % 2 == 0 ?
			    "在党务公开栏公布" : "在支部党员大会上通报");
		}
		record_set(r, "filled_by", org->name);
		demo_set_date(r, "secretary_sign_on", demo_clamp(h, day + 1));
		demo_set_date(r, "filled_on", demo_clamp(h, day + 1 +
		    (long)demo_rnd(d, 2)));
		if (!demo_save(d, d->f_me, r, t->unit)) {
			record_free(r);
			return;
		}
		for (k = 0; k < nissues; k++) {
			const char *status;

			/* The earlier half-year: all closed but one, which
			 * is carried forward (工程建设管理处). */
			if (h->h == 0)
				status = u == 2 && k == 0 ? "doing" : "closed";
			else
				status = k == 0 ? "doing" : NULL;
			demo_rect_fate(d, h, d->f_me, r, "rectify", k, issues[k],
			    status, day, deadline - (long)demo_rnd(d, 5),
			    demo_clerk(d), k == 0 ? sec->id : org->id);
		}
		record_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* 整改通知书.                                                        */
/* ------------------------------------------------------------------ */

static void
demo_notice(struct demo *d, const struct demo_half *h, size_t u,
    const struct demo_notice_text *t, bool spot, int permille)
{
	struct demo_unit *un = &d->units[u];
	struct demo_person *org = demo_organizer(d, u);
	struct demo_person *sec = demo_secretary(d, u);
	struct record *r;
	long inspected, issued, deadline, report, recheck = 0;
	bool reported;
	struct date x;
	size_t k;

	inspected = demo_workday(h, demo_at(h, permille), h->first);
	issued = demo_workday(h, demo_clamp(h, inspected + 2), inspected);
	deadline = demo_inside(h, issued + 25);
	report = deadline - 3;
	date_from_days(issued, &x);
	if (x.y != d->notice_year) {
		d->notice_year = x.y;
		d->notice_seq = 0;
	}
	d->notice_seq++;

	r = record_new();
	record_set_take(r, "notice_no", xasprintf("%d-%03d", x.y,
	    d->notice_seq));
	record_set(r, "period", h->code);
	demo_set_id(r, "branch_id", un->id);
	demo_set_date(r, "inspected_on", inspected);
	record_set(r, "inspection_type", spot ? "spot" : "regular");
	record_set(r, "situation", t->situation);
	for (k = 0; k < 2; k++)
		record_set(record_add_row(r, "issues"), "issue",
		    t->issues[k].issue);
	record_set(r, "requirements", t->requirements);
	demo_set_date(r, "deadline", deadline);
	demo_set_date(r, "issued_on", issued);
	record_set(r, "issuer", demo_leaders[2].name);
	if (issued + 1 <= h->limit) {
		record_set(r, "received_by", org->name);
		demo_set_date(r, "received_on", issued + 1);
	}
	reported = report <= h->limit && report > issued;
	if (reported) {
		demo_set_date(r, "report_on", report);
		record_set(r, "report_summary", t->report);
		recheck = report + 5 + (long)demo_rnd(d, 5);
	}
	if (t->recheck != NULL && recheck != 0 && recheck <= h->limit) {
		demo_set_date(r, "recheck_on", recheck);
		record_set(r, "rechecked_by", demo_clerk(d));
		record_set(r, "recheck_result", "pass");
		record_set(r, "recheck_opinion", t->recheck);
	} else
		recheck = 0;
	if (!demo_save(d, d->f_rn, r, record_get(r, "notice_no"))) {
		record_free(r);
		return;
	}
	for (k = 0; k < 2; k++)
		demo_rect_fate(d, h, d->f_rn, r, "issues", k, &t->issues[k],
		    recheck != 0 ? "closed" : reported ? "check" : "doing", issued, recheck != 0 ? recheck : report,
		    demo_clerk(d), k == 0 ? sec->id : org->id);
	record_free(r);
}

static void
demo_notices_for(struct demo *d, const struct demo_half *h)
{
	if (h->h == 0) {
		/* 财务审计处: 三会一课 records; 政策法规处: pledges. */
		demo_notice(d, h, 5, &demo_notices[0], false, 280);
		demo_notice(d, h, 3, &demo_notices[1], true, 450);
	} else
		/* 机关服务中心: members' pledges; awaiting 复验. */
		demo_notice(d, h, 6, &demo_notices[2], true, 550);
}

/* ------------------------------------------------------------------ */
/* 三会一课.                                                          */
/* ------------------------------------------------------------------ */

/* A meeting planned for a half-year; they are saved in date order. */
struct demo_meeting {
	size_t		 unit;
	size_t		 seq;		/* order of planning, for ties */
	const char	*type;		/* meeting_type code */
	const char	*tags;		/* labels, or NULL */
	uint64_t	 group;
	long		 day;
	const char	*title;
	const char	*agenda;
	const char	*resolutions;
	bool		 observed;	/* the 联系点 leader sat in */
	const char	*lecture;	/* 党课 title */
	const char	*lecturer;
	bool		 handout;
	bool		 decides;	/* votes on the half-year's pledges */
};

static void
demo_meeting(struct demo *d, const struct demo_half *h,
    const struct demo_meeting *m)
{
	static const char *halves[2] = { "上半年", "下半年" };
	size_t u = m->unit;
	static const char *reasons[] = { "公差", "公差", "病假", "事假" };
	static const char *starts[] = { "09:00", "14:30", "15:00", "16:00" };
	struct demo_unit *un = &d->units[u];
	size_t expect[DEMO_MAXPEOPLE];
	size_t nexp = 0, nabs, k, a, b;
	struct demo_person *host, *rec;
	struct record *r, *row;
	struct buf mins;
	bool absent[DEMO_MAXPEOPLE];
	int si, len, present;

	if (m->day > h->limit || d->err != NULL)
		return;
	/* Who is expected: what meeting_expected counts. */
	for (k = 0; k < un->n; k++) {
		struct demo_person *p = &d->people[un->first + k];

		if ((strcmp(m->type, "committee") == 0 && !p->committee) ||
		    (strcmp(m->type, "group") == 0 && !un->direct &&
		    p->group != m->group))
			continue;
		expect[nexp++] = un->first + k;
	}
	if (nexp == 0)
		return;
	host = &d->people[expect[0]];
	rec = nexp > 1 ? &d->people[expect[1]] : host;
	if (strcmp(m->type, "group") == 0 && !un->direct) {
		/* The 党小组长 chairs; the next member keeps the record. */
		for (k = 0; k < nexp; k++)
			if (d->people[expect[k]].index >= 4) {
				host = &d->people[expect[k]];
				break;
			}
		rec = host == &d->people[expect[0]] ?
		    &d->people[expect[nexp > 1 ? 1 : 0]] :
		    &d->people[expect[0]];
	}
	memset(absent, 0, sizeof absent);
	nabs = strcmp(m->type, "committee") == 0 ? (demo_rnd(d, 4) == 0) :
	    un->direct ? 1 + demo_rnd(d, 2) : demo_rnd(d, nexp > 6 ? 3 : 2);
	for (k = 0, a = 0; a < nabs && k < 10; k++) {
		size_t pick = 2 + demo_rnd(d, (unsigned)(nexp > 2 ? nexp - 2 :
		    1));

		if (pick >= nexp || absent[pick] ||
		    &d->people[expect[pick]] == host ||
		    &d->people[expect[pick]] == rec)
			continue;
		absent[pick] = true;
		a++;
	}
	nabs = a;

	r = record_new();
	demo_set_id(r, "branch_id", un->id);
	record_set(r, "meeting_type", m->type);
	if (m->tags != NULL)
		demo_enum(d, d->f_mt, NULL, r, "tags", m->tags);
	if (m->group != 0)
		demo_set_id(r, "group_id", m->group);
	record_set(r, "title", m->title);
	demo_set_date(r, "date", m->day);
	si = strcmp(m->type, "committee") == 0 ? 3 : strcmp(m->type,
	    "group") == 0 ? 3 - (int)demo_rnd(d, 2) : (int)demo_rnd(d, 3);
	len = strcmp(m->type, "general") == 0 ||
	    strcmp(m->type, "lecture") == 0 ? 90 + 30 * (int)demo_rnd(d, 2) :
	    60;
	record_set(r, "start_time", starts[si]);
	record_set_take(r, "end_time", xasprintf("%02d:%02d",
	    (atoi(starts[si]) * 60 + atoi(starts[si] + 3) + len) / 60,
	    (atoi(starts[si]) * 60 + atoi(starts[si] + 3) + len) % 60));
	record_set(r, "location", demo_themes[u].location);
	demo_set_id(r, "host_id", host->id);
	demo_set_id(r, "recorder_id", rec->id);
	if (m->lecture != NULL) {
		record_set(r, "lecturer", m->lecturer);
		record_set(r, "lecture_title", m->lecture);
		if (m->handout)
			record_set_take(r, "handout", xasprintf("%s\n\n%s",
			    m->lecture, demo_lecture_handouts[(u + (size_t)h->h +
			    (size_t)m->day) % demo_nlecture_handouts]));
	}
	present = 0;
	for (k = 0; k < nexp; k++) {
		if (absent[k])
			continue;
		row = record_add_row(r, "attendees");
		demo_set_id(row, "member_id", d->people[expect[k]].id);
		present++;
	}
	for (k = 0; k < nexp; k++) {
		if (!absent[k])
			continue;
		row = record_add_row(r, "absences");
		demo_set_id(row, "member_id", d->people[expect[k]].id);
		demo_enum(d, d->f_mt, "absences", row, "reason", un->direct ?
		    "病假" : reasons[demo_rnd(d, 4)]);
		record_set(row, "leave_approved", "1");
	}
	if (m->observed)
		record_set_take(r, "observers", xasprintf("%s（%s）",
		    demo_leader(u)->name, demo_leader(u)->title));
	record_set(r, "agenda", m->agenda);
	/* The minutes: the host opens, two members speak, the host sums
	 * up. */
	buf_init(&mins);
	buf_addf(&mins, "%s主持会议，%s。\n", host->name, m->lecture != NULL ?
	    "授课人讲授党课" : "按议题逐项进行");
	a = demo_rnd(d, (unsigned)nexp);
	b = (a + 1 + demo_rnd(d, (unsigned)(nexp > 1 ? nexp - 1 : 1))) % nexp;
	for (k = 0; k < 2; k++) {
		size_t who = k == 0 ? a : b;

		if (absent[who] || (k == 1 && b == a) ||
		    &d->people[expect[who]] == host)
			continue;
		buf_addf(&mins, "%s：%s\n", d->people[expect[who]].name,
		    demo_meeting_remarks[demo_rnd(d,
		    (unsigned)demo_nmeeting_remarks)]);
	}
	buf_addf(&mins, "%s：大家的发言很好，会后要抓好落实。", host->name);
	record_set_take(r, "minutes", buf_take(&mins));
	buf_free(&mins);
	if (m->decides) {
		record_set(r, "decides", "1");
		row = record_add_row(r, "votes");
		record_set_take(row, "item", xasprintf("通过本支部%d年%s公开"
		    "承诺书", h->p.year, halves[h->p.half - 1]));
		demo_set_int(row, "yes", present);
		demo_set_int(row, "no", 0);
		demo_set_int(row, "abstain", 0);
	}
	if (m->resolutions != NULL)
		record_set(r, "resolutions", m->resolutions);
	demo_set_date(r, "host_signed", demo_clamp(h, m->day +
	    (long)demo_rnd(d, 2)));
	demo_set_date(r, "recorder_signed", m->day);
	demo_save(d, d->f_mt, r, m->title);
	record_free(r);
}

/* Whether a 直属党小组 can record its meetings as 党小组会: the meeting
 * form's 党小组 field must accept one.  If not, they are recorded as the
 * group's 党员大会. */
static bool
demo_direct_group_meets_as_group(const struct demo *d)
{
	const struct form_field *ff = form_field_find(d->f_mt, "group_id");
	size_t i;

	if (ff == NULL)
		return false;
	for (i = 0; i < ff->nwhere; i++)
		if (strcmp(ff->where_values[i], "direct_group") == 0)
			return true;
	return false;
}

struct demo_plan {
	struct demo_meeting	*v;
	size_t			 n, cap;
};

static struct demo_meeting *
demo_plan_add(struct demo_plan *pl, size_t u, const char *type, long day)
{
	struct demo_meeting *m;

	pl->v = xgrow(pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
	m = &pl->v[pl->n];
	memset(m, 0, sizeof *m);
	m->unit = u;
	m->seq = pl->n++;
	m->type = type;
	m->day = day;
	return m;
}

static int
demo_meeting_cmp(const void *a, const void *b)
{
	const struct demo_meeting *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Plans the half-year's meetings of every branch, then records those
 * held by today in date order. */
static void
demo_meetings(struct demo *d, const struct demo_half *h)
{
	bool as_group = demo_direct_group_meets_as_group(d);
	struct demo_plan pl;
	size_t u, i;
	int mo, g;

	memset(&pl, 0, sizeof pl);
	for (u = 0; u < DEMO_NBRANCHES; u++) {
		const struct demo_theme *t = &demo_themes[u];
		struct demo_unit *un = &d->units[u];
		/* The 财务审计处 fell behind in today's half-year. */
		bool short_of = h->h == 1 && u == 5;
		struct demo_meeting *m;

		for (mo = 0; mo < 6; mo++) {
			if (!un->direct && !(short_of && mo >= 2 && mo <= 3)) {
				m = demo_plan_add(&pl, u, "committee",
				    demo_month_day(h, mo, 2 + (int)demo_rnd(d, 3)));
				if (mo == 0)
					m->day = demo_max(h->first,
					    demo_pledge_meeting_day(h, u) - 2);
				m->day = demo_workday(h, m->day, h->first);
				m->title = demo_committee_topics[mo][0];
				m->agenda = demo_committee_topics[mo][1];
				m->resolutions = "会后由各委员按分工抓好落实，"
				    "组织委员跟踪进度。";
			}
			/* A 直属党小组 meets as one 党小组; a 党支部's groups
			 * each meet monthly. */
			for (g = 0; g < (un->direct ? 1 : (int)un->ngroups); g++) {
				m = demo_plan_add(&pl, u, un->direct && !as_group ?
				    "general" : "group", demo_workday(h,
				    demo_month_day(h, mo, 11 + 3 * g +
				    (int)demo_rnd(d, 3)), h->first));
				m->group = !un->direct ? un->groups[g] :
				    as_group ? un->id : 0;
				m->title = demo_group_topics[mo][0];
				m->agenda = demo_group_topics[mo][1];
			}
			if (!un->direct && mo == 0) {
				m = demo_plan_add(&pl, u, "general",
				    demo_pledge_meeting_day(h, u));
				m->title = "讨论通过本支部公开承诺事项";
				m->agenda = "1. 传达机关党委关于开展公开承诺践诺"
				    "活动的要求；2. 讨论本支部公开承诺书（草案）；"
				    "3. 布置党员公开承诺书签订工作。";
				m->decides = true;
				m->resolutions = "支部公开承诺书经表决通过，报机关"
				    "党委审核后公开；党员公开承诺书一周内签订。";
			} else if (!un->direct && mo == 3 && !short_of) {
				m = demo_plan_add(&pl, u, "general", demo_workday(h,
				    demo_month_day(h, mo, 15 + (int)demo_rnd(d, 5)),
				    h->first));
				m->tags = "集中学习";
				m->title = "集中学习 通报承诺践诺进展";
				m->agenda = "1. 集中学习党章有关内容；2. 通报支部和"
				    "党员承诺事项进展情况；3. 安排下阶段工作。";
			} else if (mo == 5 && h->h == 0) {
				m = demo_plan_add(&pl, u, "general",
				    demo_appraisal_day(h, u));
				m->tags = "组织生活会、民主评议党员";
				m->title = "召开组织生活会 开展民主评议党员";
				m->agenda = "1. 支部书记通报半年工作和承诺践诺情况；"
				    "2. 党员逐一自评，开展批评和自我批评；3. 书记"
				    "点评党员；4. 组织群众评议。";
				m->observed = true;
			}
			if ((mo == 1 || mo == 4) && !(short_of && mo == 4)) {
				m = demo_plan_add(&pl, u, "lecture", demo_workday(h,
				    demo_month_day(h, mo, 18 + (int)demo_rnd(d, 6)),
				    h->first));
				m->tags = "集中学习";
				m->lecture = t->lecture[mo == 1 ? 0 : 1];
				m->title = m->lecture;
				m->lecturer = mo == 1 ? demo_secretary(d, u)->name :
				    demo_leader(u)->name;
				/* One 党课 of today's half-year still has no
				 * 讲义 (机关服务中心). */
				m->handout = !(h->h == 1 && u == 6 && mo == 4);
				m->agenda = "1. 讲授党课；2. 交流学习体会。";
			}
		}
	}
	qsort(pl.v, pl.n, sizeof *pl.v, demo_meeting_cmp);
	for (i = 0; i < pl.n && d->err == NULL; i++)
		demo_meeting(d, h, &pl.v[i]);
	free(pl.v);
}

/* ------------------------------------------------------------------ */
/* Putting it together.                                                */
/* ------------------------------------------------------------------ */

static void
demo_half_init(struct demo_half *h, int which, const struct period *p,
    long today)
{
	struct date first, last;

	h->h = which;
	h->p = *p;
	model_period_code(p, h->code);
	model_period_range(p, &first, &last);
	h->first = date_to_days(&first);
	h->last = date_to_days(&last);
	h->limit = demo_min(h->last, today);
}

static void
demo_fill_half(struct demo *d, const struct demo_half *h)
{
	demo_meetings(d, h);
	demo_branch_pledges(d, h);
	demo_member_pledges(d, h);
	demo_notices_for(d, h);
	demo_leader_reviews(d, h);
	demo_secretary_reviews(d, h);
	demo_mass_evals(d, h);
}

/* The carried items get a line of progress in their new half-year. */
static void
demo_carried_progress(struct demo *d, const struct demo_half *h)
{
	const char *kinds[2] = { "pledge_ledger", "rectification" };
	uint64_t ids[2];
	int i;

	ids[0] = d->carried_pledge;
	ids[1] = d->carried_rect;
	for (i = 0; i < 2 && d->err == NULL; i++) {
		const struct form *f = formset_find(d->fs, kinds[i]);
		struct record *c = NULL;
		char *err = NULL;

		if (ids[i] == 0 || f == NULL)
			continue;
		if (ledger_get(&d->lg, f, ids[i], &c, &err) != CX_OK) {
			demo_fail(d, xasprintf("演示数据有误：%s", err != NULL ?
			    err : "读不到带入新周期的事项。"));
			free(err);
			return;
		}
		demo_progress(c, demo_at(h, 150), i == 0 ?
		    "带入本半年继续推进，已与街道社区重新商定开放方案。" :
		    "带入本半年继续整改，已落实维修单位。");
		demo_save(d, f, c, "带入新周期的事项");
		record_free(c);
	}
}

static int
demo_annexes(struct demo *d, char **errp)
{
	struct period cur, prev;
	struct demo_half h[DEMO_NHALVES];
	struct date today;
	size_t carried = 0;
	char *err = NULL;

	d->f_bp = demo_form(d, "branch_pledge");
	d->f_mp = demo_form(d, "member_pledge");
	d->f_lr = demo_form(d, "leader_review");
	d->f_sr = demo_form(d, "secretary_review");
	d->f_me = demo_form(d, "mass_eval");
	d->f_rn = demo_form(d, "rectification_notice");
	d->f_mt = demo_form(d, "meeting");
	if (demo_form(d, "pledge_ledger") == NULL ||
	    demo_form(d, "rectification") == NULL || d->err != NULL)
		goto out;
	ledger_init(&d->lg, d->st, d->fs);
	d->lg_open = true;
	today = d->lg.ctx.today;
	d->today = date_to_days(&today);
	model_period_of(&today, &cur);
	prev = cur;
	model_period_prev(&prev);
	demo_half_init(&h[0], 0, &prev, d->today);
	demo_half_init(&h[1], 1, &cur, d->today);

	if (ledger_set_current_period(&d->lg, &prev, &err) != CX_OK) {
		demo_fail(d, err);
		goto out;
	}
	demo_fill_half(d, &h[0]);
	if (d->err != NULL)
		goto out;
	if (ledger_new_cycle(&d->lg, &prev, &cur, &carried, &err) != CX_OK) {
		demo_fail(d, err);
		goto out;
	}
	if (carried != 2)
		demo_fail(d, xasprintf("演示数据有误：应有 2 条未完成事项带入"
		    "新周期，实际 %zu 条。", carried));
	demo_carried_progress(d, &h[1]);
	demo_fill_half(d, &h[1]);
out:
	if (d->lg_open)
		ledger_fini(&d->lg);
	d->lg_open = false;
	if (d->err != NULL) {
		err_set(errp, "%s", d->err);
		return CX_ERR;
	}
	return CX_OK;
}

int
demo_create(const char *dir, const struct formset *fs, char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	const struct form *fmem = formset_find(fs, "member");
	struct demo *d;
	uint64_t committee;
	size_t i;
	int serial = 0, rc = CX_ERR;

	if (forg == NULL || fmem == NULL)
		return err_set(errp, "表单定义中缺少党组织（org）或党员（member）。");
	demo_seed = 20201221UL;
	d = xcalloc(1, sizeof *d);
	d->fs = fs;
	d->seed = 19491001UL;
	if (store_open(dir, fs, STORE_CREATE, NULL, &d->st, errp) != CX_OK) {
		free(d);
		return CX_ERR;
	}
	/* Hundreds of small saves into a directory nobody uses yet: flush
	 * once at the end, not after each. */
	if (store_bulk(d->st, true, errp) != CX_OK)
		goto out;
	committee = demo_org(d, forg, "演示市人防办机关党委", "committee", 0,
	    "2010-06-18", errp);
	if (committee == 0)
		goto out;
	for (i = 0; i < DEMO_NBRANCHES; i++) {
		const struct demo_branch *b = &demo_branches[i];
		struct demo_unit *un = &d->units[i];
		uint64_t bid, gid[2] = { 0, 0 };
		int k;

		bid = demo_org(d, forg, b->name, b->type, committee,
		    NULL, errp);
		if (bid == 0)
			goto out;
		un->id = bid;
		un->direct = strcmp(b->type, "direct_group") == 0;
		un->first = d->npeople;
		for (k = 0; k < 2 && b->groups[k] != NULL; k++) {
			gid[k] = demo_org(d, forg, b->groups[k], "group", bid,
			    NULL, errp);
			if (gid[k] == 0)
				goto out;
			un->groups[un->ngroups++] = gid[k];
		}
		for (k = 0; k < b->members; k++) {
			uint64_t g = gid[0] == 0 ? 0 :
			    (k % 2 == 0 || gid[1] == 0) ? gid[0] : gid[1];
			struct demo_person *p;

			if (d->npeople >= DEMO_MAXPEOPLE) {
				err_set(errp, "演示数据有误：党员太多。");
				goto out;
			}
			p = &d->people[d->npeople];
			p->unit = i;
			if (demo_member(d, fmem, ++serial, k, bid, g,
			    un->direct, p, errp) != CX_OK)
				goto out;
			d->npeople++;
			un->n++;
		}
	}
	/* The annexes need their forms; a form set without them (an older
	 * or a trimmed forms directory) gets the roster only. */
	if (formset_find(fs, "branch_pledge") != NULL &&
	    demo_annexes(d, errp) != CX_OK)
		goto out;
	if (store_bulk(d->st, false, errp) != CX_OK)
		goto out;
	rc = CX_OK;
out:
	store_close(d->st);
	for (i = 0; i < d->npeople; i++)
		free(d->people[i].name);
	free(d->err);
	free(d);
	return rc;
}
