/* gen_exchange.c: a 机关党委 directory with many branches, for the
 * exchange benchmark (bench/exchange.sh, bench/README.md).
 *
 *   gen_exchange DIR N [base]
 *   gen_exchange BRANCHDIR meetings K
 *
 * DIR is an existing copy of the demo office (`cxzy demo DIR`, made under
 * the same CXZY_NOW).  Its eight units (seven 党支部 and a 直属党小组) are
 * the templates: the demo builds every annex of two half-years through
 * the ledger, so their records pass validation and are linked as typed
 * ones are.  gen_exchange adds N units more: unit i is a copy of
 * template i % 8 with every record that belongs to it (archive_branch_of:
 * its 党小组, members, 附件一 to 六, 三会一课, 整改 and 整改通知书), given
 * new local ids, a new global id, references and links pointing into
 * the copy, and the names that must stay unique changed (the org's
 * name, the notice's 编号).  Records of the whole unit (the 机关党委,
 * the settings) are shared.  Old versions of signed records and the
 * recycle bin are not copied.
 *
 * With "base", the copies leave out the records of today's half-year
 * that a branch owns (form "owner branch" with period = today's): the
 * 机关党委 before the branches file.  Global ids and revisions are a fixed
 * function of (unit, kind, template id), so a base directory and a full
 * one made from copies of the same demo directory name the same records
 * the same way: packages made from branch directories of the full one
 * merge into the base one as a filing does.  The names of the new
 * branches go to standard output, one a line, in order.
 *
 * "meetings" works in a branch directory (cxzy init --from): it adds K
 * 三会一课 records through ledger_save, as the entry screen saves them,
 * each a copy of the branch's latest meeting held on today's date with
 * a new title: the meetings a branch records between two filings.
 *
 * The forms are read from $CXZY_FORMS, or else the installed forms.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "formdef.h"
#include "ledger.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define GEN_BATCH	5000
#define GEN_TEMPLATES	8

/* Every record of one kind in the template directory. */
struct gen_kind {
	const struct form	*f;
	struct record		**v;
	size_t			 n, cap;
	uint64_t		 next_id;	/* the next free id */
	uint64_t		*map;		/* new ids of the copy being
						 * made, by position in v */
};

struct gen {
	struct store		*st;
	const struct formset	*fs;
	struct gen_kind		*kinds;
	size_t			 nkinds;
	uint64_t		 templates[GEN_TEMPLATES];	/* org ids */
	size_t			 ntemplates;
	char			 period[16];	/* today's half-year */
	struct store_load_item	*batch;
	struct record		**owned;
	size_t			 nbatch;
};

static uint64_t
gen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
gen_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
gen_collect(void *arg, const struct form *f, const struct record *rec)
{
	struct gen_kind *k = arg;

	(void)f;
	k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
	k->v[k->n++] = record_copy(rec);
	if (rec->id >= k->next_id)
		k->next_id = rec->id + 1;
	return 0;
}

static struct gen_kind *
gen_kind_of(struct gen *g, const char *kind)
{
	size_t i;

	for (i = 0; i < g->nkinds; i++)
		if (strcmp(g->kinds[i].f->kind, kind) == 0)
			return &g->kinds[i];
	return NULL;
}

/* The copy's id of template record (kind, id), or 0 when that record
 * is not copied (it belongs to the whole unit). */
static uint64_t
gen_mapped(struct gen *g, const char *kind, uint64_t id)
{
	struct gen_kind *k = gen_kind_of(g, kind);
	size_t lo = 0, hi, mid;

	if (k == NULL)
		return 0;
	hi = k->n;
	while (lo < hi) {	/* store_foreach gave them in id order */
		mid = lo + (hi - lo) / 2;
		if (k->v[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < k->n && k->v[lo]->id == id ? k->map[lo] : 0;
}

/* Points the references and links of r (and of its rows) into the copy. */
static void
gen_remap(struct gen *g, const struct form_field *fields, size_t n,
    struct record *r)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct form_field *ff = &fields[i];
		const char *v;
		uint64_t id, to;

		if (ff->type == FT_ROWS) {
			for (j = 0; j < record_nrows(r, ff->id); j++)
				gen_remap(g, ff->sub, ff->nsub,
				    record_row(r, ff->id, j));
			continue;
		}
		if ((v = record_get(r, ff->id)) == NULL || *v == '\0')
			continue;
		if (ff->type == FT_REF && util_parse_id(v, &id) &&
		    (to = gen_mapped(g, ff->ref_kind, id)) != 0)
			record_set_take(r, ff->id, xasprintf("%llu",
			    (unsigned long long)to));
		else if (ff->type == FT_LINK) {
			const char *colon = strchr(v, ':');
			char *kind;

			if (colon == NULL || !util_parse_id(colon + 1, &id))
				continue;
			kind = xstrndup(v, (size_t)(colon - v));
			if ((to = gen_mapped(g, kind, id)) != 0)
				record_set_take(r, ff->id, xasprintf("%s:%llu",
				    kind, (unsigned long long)to));
			free(kind);
		}
	}
}

static int
gen_flush(struct gen *g, char **errp)
{
	size_t i;
	int rc;

	if (g->nbatch == 0)
		return CX_OK;
	rc = store_load(g->st, g->batch, g->nbatch, errp);
	for (i = 0; i < g->nbatch; i++)
		record_free(g->owned[i]);
	g->nbatch = 0;
	return rc;
}

/* Whether the base directory leaves r out: a branch's record of today's
 * half-year. */
static bool
gen_filed_later(const struct gen *g, const struct form *f,
    const struct record *r)
{
	const char *p = record_get(r, "period");

	return f->owner == FORM_OWNER_BRANCH && strcmp(f->kind, "member") != 0 &&
	    p != NULL && strcmp(p, g->period) == 0;
}

/* Adds unit number unit (0-based), a copy of template t. */
static int
gen_unit(struct gen *g, size_t unit, uint64_t t, bool base, char **errp)
{
	char gid[UTIL_TOKEN_LEN + 1];
	size_t i, j;

	/* First give every record of the template unit its new id. */
	for (i = 0; i < g->nkinds; i++) {
		struct gen_kind *k = &g->kinds[i];

		for (j = 0; j < k->n; j++)
			k->map[j] = archive_branch_of(k->f, k->v[j]) == t ?
			    k->next_id++ : 0;
	}
	for (i = 0; i < g->nkinds; i++) {
		struct gen_kind *k = &g->kinds[i];

		for (j = 0; j < k->n; j++) {
			struct record *r;
			uint64_t h;
			const char *v;

			if (k->map[j] == 0 ||
			    (base && gen_filed_later(g, k->f, k->v[j])))
				continue;
			r = record_copy(k->v[j]);
			r->id = k->map[j];
			gen_remap(g, k->f->fields, k->f->nfields, r);
			/* A global id that depends only on what the record
			 * is a copy of (util_token would mix in a secret
			 * that is random per process). */
			h = gen_mix(gen_hash_str(k->f->kind) ^
			    gen_mix(k->v[j]->id ^ ((uint64_t)unit << 32)));
			snprintf(gid, sizeof gid, "%016llx%016llx",
			    (unsigned long long)h,
			    (unsigned long long)gen_mix(h ^ 0x5bd1e995ULL));
			record_set(r, "_gid", gid);
			if (strcmp(k->f->kind, "org") == 0 &&
			    (v = record_get(r, "name")) != NULL) {
				record_set_take(r, "name", xasprintf("%s%zu",
				    v, unit + 1));
				/* The names of the new branches, in order,
				 * for the script. */
				if (k->v[j]->id == t)
					printf("%s\n", record_get(r, "name"));
			}
			if (strcmp(k->f->kind, "rectification_notice") == 0 &&
			    (v = record_get(r, "notice_no")) != NULL)
				record_set_take(r, "notice_no",
				    xasprintf("%s-%zu", v, unit + 1));
			g->batch[g->nbatch].f = k->f;
			g->batch[g->nbatch].rec = r;
			g->batch[g->nbatch].trash = false;
			g->owned[g->nbatch++] = r;
			if (g->nbatch == GEN_BATCH &&
			    gen_flush(g, errp) != CX_OK)
				return CX_ERR;
		}
	}
	return CX_OK;
}

/* Keeps the meeting with the latest date (the last one on ties). */
static int
gen_latest(void *arg, const struct form *f, const struct record *rec)
{
	struct record **best = arg;
	const char *d = record_get(rec, "date");

	(void)f;
	if (d == NULL)
		return 0;
	if (*best == NULL || strcmp(d, record_get(*best, "date")) >= 0) {
		record_free(*best);
		*best = record_copy(rec);
	}
	return 0;
}

/* Adds k meetings to the branch directory dir (see the top). */
static int
gen_meetings(const struct formset *fs, const char *dir, unsigned long k,
    char **errp)
{
	static const char *own[] = { "_gid", "_rev", "_revs", "_frevs",
	    "_created", "_modified" };
	const struct form *f = formset_find(fs, "meeting");
	struct store *st = NULL;
	struct ledger lg;
	struct record *last = NULL, *r;
	struct strlist problems;
	char day[16];
	unsigned long i;
	size_t j;
	int rc = CX_ERR;

	if (f == NULL)
		return err_set(errp, "表单定义中缺少三会一课记录（meeting）。");
	if (store_open(dir, fs, 0, NULL, &st, errp) != CX_OK)
		return CX_ERR;
	ledger_init(&lg, st, fs);
	if (store_foreach(st, f, gen_latest, &last, errp) != CX_OK)
		goto out;
	if (last == NULL) {
		err_set(errp, "“%s”里没有三会一课记录。", dir);
		goto out;
	}
	snprintf(day, sizeof day, "%04d-%02d-%02d", lg.ctx.today.y,
	    lg.ctx.today.m, lg.ctx.today.d);
	for (i = 0; i < k; i++) {
		const char *t = record_get(last, "title");

		r = record_copy(last);
		r->id = 0;
		for (j = 0; j < sizeof own / sizeof own[0]; j++)
			record_remove(r, own[j]);
		record_set_take(r, "title", xasprintf("%s（续%lu）",
		    t != NULL ? t : "", i + 1));
		record_set(r, "date", day);
		if (record_filled(r, "host_signed"))
			record_set(r, "host_signed", day);
		if (record_filled(r, "recorder_signed"))
			record_set(r, "recorder_signed", day);
		strlist_init(&problems);
		rc = ledger_save(&lg, f, r, &problems, errp);
		if (rc != CX_OK && problems.n > 0)
			err_set(errp, "新增会议通不过校验：%s", problems.v[0]);
		strlist_free(&problems);
		record_free(r);
		if (rc != CX_OK)
			goto out;
	}
	rc = CX_OK;
out:
	record_free(last);
	ledger_fini(&lg);
	store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("CXZY_FORMS");
	const char *formsdir = env != NULL && *env != '\0' ? env :
	    CXZY_FORMSDIR;
	struct formset *fs = NULL;
	struct gen g;
	struct period cur;
	struct date today;
	char *err = NULL, *end;
	unsigned long n;
	size_t i, total = 0;
	bool base;
	int rc = 1;

	if (argc < 3 || argc > 4 || (argc == 4 &&
	    strcmp(argv[2], "meetings") != 0 && strcmp(argv[3], "base") != 0)) {
		fprintf(stderr, "用法：gen_exchange 演示数据目录 支部数 [base]\n"
		    "      gen_exchange 党支部数据目录 meetings 会议数\n");
		return 2;
	}
	n = strtoul(argv[argc == 4 && strcmp(argv[2], "meetings") == 0 ?
	    3 : 2], &end, 10);
	if (*end != '\0' || n == 0 || n > 100000) {
		fprintf(stderr, "gen_exchange: 数目不对。\n");
		return 2;
	}
	base = argc == 4 && strcmp(argv[3], "base") == 0;
	if (formset_load_dir(formsdir, &fs, &err) != CX_OK) {
		fprintf(stderr, "gen_exchange: %s\n", err);
		free(err);
		return 1;
	}
	if (strcmp(argv[2], "meetings") == 0) {
		if (gen_meetings(fs, argv[1], n, &err) != CX_OK) {
			fprintf(stderr, "gen_exchange: %s\n", err);
			free(err);
		} else
			rc = 0;
		formset_free(fs);
		return rc;
	}
	memset(&g, 0, sizeof g);
	g.fs = fs;
	model_today(&today);
	model_period_of(&today, &cur);
	model_period_code(&cur, g.period);
	if (store_open(argv[1], fs, 0, NULL, &g.st, &err) != CX_OK)
		goto out;
	g.kinds = xcalloc(fs->n, sizeof *g.kinds);
	for (i = 0; i < fs->n; i++) {
		struct gen_kind *k = &g.kinds[g.nkinds++];

		k->f = fs->forms[i];
		k->next_id = 1;
		if (store_foreach(g.st, k->f, gen_collect, k, &err) != CX_OK)
			goto out;
		k->map = xcalloc(k->n + 1, sizeof *k->map);
		if (strcmp(k->f->kind, "org") != 0)
			continue;
		for (size_t j = 0; j < k->n; j++)
			if (archive_branch_of(k->f, k->v[j]) == k->v[j]->id &&
			    g.ntemplates < GEN_TEMPLATES)
				g.templates[g.ntemplates++] = k->v[j]->id;
	}
	if (g.ntemplates == 0) {
		err = xstrdup("这个目录里没有党支部，请用 cxzy demo 建立。");
		goto out;
	}
	g.batch = xcalloc(GEN_BATCH, sizeof *g.batch);
	g.owned = xcalloc(GEN_BATCH, sizeof *g.owned);
	if (store_bulk(g.st, true, &err) != CX_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (gen_unit(&g, i, g.templates[i % g.ntemplates], base,
		    &err) != CX_OK)
			goto out;
	if (gen_flush(&g, &err) != CX_OK || store_bulk(g.st, false, &err) != CX_OK)
		goto out;
	for (i = 0; i < g.nkinds; i++)
		total += g.kinds[i].n;
	fprintf(stderr, "%s: %lu branches added to the demo's %zu (%s), template records %zu\n",
	    argv[1], n, g.ntemplates, base ? "base" : "full", total);
	rc = 0;
out:
	if (err != NULL)
		fprintf(stderr, "gen_exchange: %s\n", err);
	free(err);
	if (g.st != NULL)
		store_close(g.st);
	for (i = 0; i < g.nkinds; i++) {
		for (size_t j = 0; j < g.kinds[i].n; j++)
			record_free(g.kinds[i].v[j]);
		free(g.kinds[i].v);
		free(g.kinds[i].map);
	}
	free(g.kinds);
	free(g.batch);
	free(g.owned);
	formset_free(fs);
	return rc;
}
