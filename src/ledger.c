/* ledger.c: loading and saving records with everything tied to them:
 * stored rows, auto fields, the period lock and history (see ledger.h
 * and docs/forms.md §13–§17). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "exchange.h"
#include "ledger.h"

/* What to do about a locked period, said for both front ends; %s is the
 * period's code (2026H1). */
#define LEDGER_UNLOCK_HINT	"如需修改，请先解除锁定：全屏程序中选“数据维护 → " \
	"解除锁定”，命令行用“cxzy unlock %s”。"
#define LEDGER_NO_ROW		((size_t)-1)

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* s when it holds text, else NULL: an empty value counts as none. */
static const char *
ledger_text(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static char *
ledger_dup(const char *s)
{
	s = ledger_text(s);
	return s != NULL ? xstrdup(s) : NULL;
}

/* Whether v (a code, or codes joined by "," for a multi-enum) holds one
 * of codes. */
static bool
ledger_holds(const char *v, char *const *codes, size_t n)
{
	const char *p, *e;
	size_t i;

	if (ledger_text(v) == NULL)
		return false;
	for (p = v; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		for (i = 0; i < n; i++)
			if (strlen(codes[i]) == (size_t)(e - p) &&
			    strncmp(p, codes[i], (size_t)(e - p)) == 0)
				return true;
	}
	return false;
}

/* Splits a link value "KIND:ID". */
static bool
ledger_parse_link(const char *v, char *kind, size_t kindsz, uint64_t *id)
{
	const char *colon;

	if (ledger_text(v) == NULL || (colon = strrchr(v, ':')) == NULL ||
	    colon == v || (size_t)(colon - v) >= kindsz ||
	    !util_parse_id(colon + 1, id))
		return false;
	memcpy(kind, v, (size_t)(colon - v));
	kind[colon - v] = '\0';
	return true;
}

static char *
ledger_link_value(const struct form *f, uint64_t id)
{
	return xasprintf("%s:%llu", f->kind, (unsigned long long)id);
}

/* The form of the records a "store KIND FIELD" rows field holds, or NULL
 * for any other field. */
static const struct form *
ledger_store_form(const struct ledger *lg, const struct form_field *ff)
{
	if (ff->type != FT_ROWS || ff->store_kind == NULL ||
	    ff->store_field == NULL)
		return NULL;
	if (ff->store_form != NULL)
		return ff->store_form;
	return formset_find(lg->fs, ff->store_kind);
}

static size_t
ledger_ncolumns(const struct form_field *ff)
{
	return ff->ncolumns > 0 ? ff->ncolumns : ff->nsub;
}

static const char *
ledger_column(const struct form_field *ff, size_t i)
{
	return ff->ncolumns > 0 ? ff->columns[i] : ff->sub[i].id;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

static const char *
ledger_setting(void *arg, const char *name)
{
	struct ledger *lg = arg;

	if (lg->settings == NULL)
		return NULL;
	return ledger_text(record_get(lg->settings, name));
}

static void
ledger_load_settings(struct ledger *lg)
{
	const struct form *sf = formset_find(lg->fs, "settings");

	record_free(lg->settings);
	lg->settings = NULL;
	if (sf != NULL && store_get(lg->st, sf, 1, &lg->settings, NULL) !=
	    CX_OK)
		lg->settings = NULL;
}

void
ledger_init(struct ledger *lg, struct store *st, const struct formset *fs)
{
	memset(lg, 0, sizeof *lg);
	lg->st = st;
	lg->fs = fs;
	lg->ctx.setting = ledger_setting;
	lg->ctx.arg = lg;
	ledger_reload(lg);
}

void
ledger_fini(struct ledger *lg)
{
	record_free(lg->settings);
	lg->settings = NULL;
}

long
ledger_setting_long(const struct ledger *lg, const char *name, long fallback)
{
	const struct form_ctx *ctx = &lg->ctx;
	const struct form *sf = formset_find(lg->fs, "settings");
	const struct form_field *ff = sf ? form_field_find(sf, name) : NULL;
	const char *v = ctx->setting ? ctx->setting(ctx->arg, name) : NULL;
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		v = ff ? ff->def : NULL;
	if (v == NULL || *v == '\0')
		return fallback;
	n = strtol(v, &end, 10);
	return *end == '\0' && n >= 0 ? n : fallback;
}

void
ledger_reload(struct ledger *lg)
{
	model_today(&lg->ctx.today);
	ledger_load_settings(lg);
}

int
ledger_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct ledger *lg = arg;
	const struct form *f = formset_find(lg->fs, kind);

	*out = NULL;
	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(lg->st, f, id, out, errp);
}

/* ------------------------------------------------------------------ */
/* Periods and the lock                                                */
/* ------------------------------------------------------------------ */

static char *
ledger_lock_key(const struct period *p)
{
	char code[16];

	model_period_code(p, code);
	return xasprintf("lock:%s", code);
}

bool
ledger_locked(struct ledger *lg, const struct period *p)
{
	char *key = ledger_lock_key(p), *v = NULL;
	bool locked;

	locked = store_meta_get(lg->st, key, &v, NULL) == CX_OK &&
	    ledger_text(v) != NULL;
	free(v);
	free(key);
	return locked;
}

int
ledger_lock(struct ledger *lg, const struct period *p, bool lock,
    char **errp)
{
	char *key = ledger_lock_key(p), now[20];
	int r;

	model_now_string(now);
	r = store_meta_set(lg->st, key, lock ? now : "", errp);
	free(key);
	return r;
}

void
ledger_default_periods(struct ledger *lg, const struct form *f,
    struct record *rec)
{
	struct period p;
	char code[16];
	size_t i;

	ledger_current_period(lg, &p);
	model_period_code(&p, code);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ff->type == FT_PERIOD && ff->def != NULL &&
		    strcmp(ff->def, "current") == 0)
			record_set(rec, ff->id, code);
	}
}

void
ledger_current_period(struct ledger *lg, struct period *out)
{
	char *v = NULL;

	if (store_meta_get(lg->st, "period", &v, NULL) != CX_OK ||
	    model_period_parse(v, out, NULL) != CX_OK)
		model_period_of(&lg->ctx.today, out);
	free(v);
}

int
ledger_set_current_period(struct ledger *lg, const struct period *p,
    char **errp)
{
	char code[16];

	model_period_code(p, code);
	return store_meta_set(lg->st, "period", code, errp);
}

/* The period a record is in: its current_period (items carried
 * forward), else its period. */
static bool
ledger_period_of(const struct form *f, const struct record *r,
    struct period *p)
{
	const char *v = NULL;

	if (form_field_find(f, "current_period") != NULL)
		v = ledger_text(record_get(r, "current_period"));
	if (v == NULL && form_field_find(f, "period") != NULL)
		v = ledger_text(record_get(r, "period"));
	return v != NULL && model_period_parse(v, p, NULL) == CX_OK;
}

static bool
ledger_rec_locked(struct ledger *lg, const struct form *f,
    const struct record *r)
{
	struct period p;

	return r != NULL && ledger_period_of(f, r, &p) && ledger_locked(lg, &p);
}

/* ------------------------------------------------------------------ */
/* auto fields                                                         */
/* ------------------------------------------------------------------ */

/* A record being saved that its children's link field names before it
 * has an id: "parent" and "linkkind" read it instead of the store. */
struct ledger_parent {
	const char		*link;		/* the child's link field */
	const struct form	*f;
	const struct record	*rec;
};

/* FIELD of record kind:id, or NULL when there is none. */
static char *
ledger_field_of(struct ledger *lg, const char *kind, uint64_t id,
    const char *field)
{
	const struct form *f = formset_find(lg->fs, kind);
	struct record *r = NULL;
	char *v;

	if (f == NULL || form_field_find(f, field) == NULL ||
	    store_get(lg->st, f, id, &r, NULL) != CX_OK)
		return NULL;
	v = ledger_dup(record_get(r, field));
	record_free(r);
	return v;
}

static const struct form *
ledger_member_form(struct ledger *lg)
{
	return formset_find(lg->fs, "member");
}

/* Number of members whose field (branch_id, group_id) is value. */
static char *
ledger_members(struct ledger *lg, const char *field, const char *value)
{
	const struct form *mf = ledger_member_form(lg);
	size_t n;

	if (mf == NULL || ledger_text(value) == NULL ||
	    !store_field_indexed(lg->st, mf, field) ||
	    store_index_count(lg->st, mf, field, value, &n, NULL) != CX_OK)
		return NULL;
	return xasprintf("%zu", n);
}

/* Whether a member's party_role makes it a member of the committee
 * (支委会): any role but the ordinary ones. */
static bool
ledger_committee_role(const char *role)
{
	return ledger_text(role) != NULL && strcmp(role, "member") != 0 &&
	    strcmp(role, "group_leader") != 0;
}

/* The members of a branch that pass keep(), counted, or the first one's
 * id (first true). */
static char *
ledger_members_where(struct ledger *lg, const char *branch,
    bool (*keep)(const char *role), bool first)
{
	const struct form *mf = ledger_member_form(lg);
	const char *key = "branch_id", *value = branch;
	uint64_t *ids = NULL;
	size_t n = 0, i, count = 0;
	char *out = NULL;

	if (mf == NULL || ledger_text(branch) == NULL)
		return NULL;
	/* The secretary: read the shorter of the two lists, the branch's
	 * members or the secretaries of every branch. */
	if (first && store_field_indexed(lg->st, mf, "party_role")) {
		size_t nsec = 0, nbranch = 0;

		if (store_index_count(lg->st, mf, "party_role", "secretary",
		    &nsec, NULL) == CX_OK && (!store_field_indexed(lg->st, mf,
		    "branch_id") || (store_index_count(lg->st, mf, "branch_id",
		    branch, &nbranch, NULL) == CX_OK && nsec < nbranch))) {
			key = "party_role";
			value = "secretary";
		}
	}
	if (!store_field_indexed(lg->st, mf, key) ||
	    store_find(lg->st, mf, key, value, &ids, &n, NULL) != CX_OK)
		return NULL;
	for (i = 0; i < n && out == NULL; i++) {
		struct record *m = NULL;

		if (store_get(lg->st, mf, ids[i], &m, NULL) != CX_OK)
			continue;
		if (ledger_text(record_get(m, "branch_id")) != NULL &&
		    strcmp(record_get(m, "branch_id"), branch) == 0 &&
		    keep(record_get(m, "party_role"))) {
			if (first)
				out = xasprintf("%llu", (unsigned long long)ids[i]);
			count++;
		}
		record_free(m);
	}
	free(ids);
	if (!first)
		out = xasprintf("%zu", count);
	return out;
}

static bool
ledger_is_secretary(const char *role)
{
	return role != NULL && strcmp(role, "secretary") == 0;
}

static char *
ledger_expected(struct ledger *lg, const char *type, const char *branch,
    const char *group)
{
	if (ledger_text(type) == NULL)
		return NULL;
	if (strcmp(type, "general") == 0 || strcmp(type, "lecture") == 0)
		return ledger_members(lg, "branch_id", branch);
	if (strcmp(type, "committee") == 0)
		return ledger_members_where(lg, branch, ledger_committee_role,
		    false);
	if (strcmp(type, "group") == 0) {
		/* A 直属党小组 holds its 党小组会 as itself: its members are
		 * those whose 所属党支部 it is. */
		char *gtype = NULL;
		uint64_t gid;
		bool direct;

		if (ledger_text(group) != NULL && util_parse_id(group, &gid))
			gtype = ledger_field_of(lg, "org", gid, "type");
		direct = gtype != NULL && strcmp(gtype, "direct_group") == 0;
		free(gtype);
		return ledger_members(lg, direct ? "branch_id" : "group_id",
		    group);
	}
	return NULL;
}

/* The value an auto field's function gives for record r of form f, or
 * NULL when it gives nothing (then the field keeps what was typed). */
static char *
ledger_auto(struct ledger *lg, const struct form *f,
    const struct form_field *ff, const struct record *r,
    const struct ledger_parent *par)
{
	const char *fn = ff->auto_fn, *v;
	char *const *a = ff->auto_args;
	size_t na = ff->nauto_args;
	const struct form_field *rf;
	struct period p;
	struct date d;
	char buf[32], kind[64];
	uint64_t id;

	if (fn == NULL)
		return NULL;
	v = na > 0 ? ledger_text(record_get(r, a[0])) : NULL;
	if (strcmp(fn, "period_due") == 0 && na == 1) {
		if (v == NULL || model_period_parse(v, &p, NULL) != CX_OK)
			return NULL;
		model_period_due(&p, &d);
		date_format(&d, buf);
		return xstrdup(buf);
	}
	if (strcmp(fn, "period_of") == 0 && na == 1) {
		if (v == NULL || date_parse(v, &d, NULL) != CX_OK)
			return NULL;
		model_period_of(&d, &p);
		model_period_code(&p, buf);
		return xstrdup(buf);
	}
	if (strcmp(fn, "initial") == 0 && na == 1) {
		const char *cur = ledger_text(record_get(r, ff->id));

		return ledger_dup(cur != NULL ? cur : v);
	}
	if (strcmp(fn, "from") == 0 && na == 2) {
		rf = form_field_find(f, a[0]);
		if (v == NULL || rf == NULL || rf->type != FT_REF ||
		    !util_parse_id(v, &id))
			return NULL;
		return ledger_field_of(lg, rf->ref_kind, id, a[1]);
	}
	if (strcmp(fn, "parent") == 0 && na == 2) {
		if (par != NULL && strcmp(par->link, a[0]) == 0) {
			if (form_field_find(par->f, a[1]) == NULL)
				return NULL;
			return ledger_dup(record_get(par->rec, a[1]));
		}
		if (!ledger_parse_link(v, kind, sizeof kind, &id))
			return NULL;
		return ledger_field_of(lg, kind, id, a[1]);
	}
	if (strcmp(fn, "linkkind") == 0 && na == 1) {
		if (par != NULL && strcmp(par->link, a[0]) == 0)
			return xstrdup(par->f->kind);
		if (!ledger_parse_link(v, kind, sizeof kind, &id))
			return NULL;
		return xstrdup(kind);
	}
	if (strcmp(fn, "secretary") == 0 && na == 1)
		return ledger_members_where(lg, v, ledger_is_secretary, true);
	if (strcmp(fn, "members") == 0 && na == 1)
		return ledger_members(lg, "branch_id", v);
	if (strcmp(fn, "meeting_expected") == 0 && na == 3)
		return ledger_expected(lg, v, record_get(r, a[1]),
		    record_get(r, a[2]));
	return NULL;
}

/* Fills the top-level auto fields in field order (so "initial period"
 * sees a period derived just before it). */
static void
ledger_derive_fields(struct ledger *lg, const struct form *f,
    struct record *r, const struct ledger_parent *par)
{
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		char *v;

		if (ff->auto_fn == NULL || ff->type == FT_ROWS)
			continue;
		v = ledger_auto(lg, f, ff, r, par);
		if (v != NULL)
			record_set_take(r, ff->id, v);
	}
}

/* A record filed in a locked period keeps the auto values it was filed
 * with: the roster may change, the filed numbers may not. */
static void
ledger_keep_autos(const struct form *f, struct record *r,
    const struct record *old)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].auto_fn != NULL &&
		    f->fields[i].type != FT_ROWS)
			record_set(r, f->fields[i].id,
			    record_get(old, f->fields[i].id));
}

/* Computed fields are shown, never stored. */
static void
ledger_strip_computed(const struct form *f, struct record *r)
{
	size_t i, j, k;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ff->compute != NULL) {
			record_remove(r, ff->id);
			continue;
		}
		if (ff->type != FT_ROWS || ff->store_kind != NULL)
			continue;
		for (j = 0; j < record_nrows(r, ff->id); j++)
			for (k = 0; k < ff->nsub; k++)
				if (ff->sub[k].compute != NULL)
					record_remove(record_row(r, ff->id, j),
					    ff->sub[k].id);
	}
}

/* Defaults of a new record; a period "current" is the period the user
 * works in, which need not be today's. */
static void
ledger_apply_defaults(struct ledger *lg, const struct form *f,
    struct record *r)
{
	struct period p;
	char code[16];
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ff->type == FT_PERIOD && ff->def != NULL &&
		    strcmp(ff->def, "current") == 0 &&
		    ledger_text(record_get(r, ff->id)) == NULL) {
			ledger_current_period(lg, &p);
			model_period_code(&p, code);
			record_set(r, ff->id, code);
		}
	}
	form_apply_defaults(f, r, &lg->ctx.today);
}

/* ------------------------------------------------------------------ */
/* Stored rows                                                         */
/* ------------------------------------------------------------------ */

static long long
ledger_seq(const struct record *r)
{
	const char *s = ledger_text(record_get(r, "seq"));
	char *end;
	long long v;

	if (s == NULL)
		return LLONG_MAX;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : LLONG_MAX;
}

static int
ledger_child_cmp(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a;
	const struct record *y = *(struct record *const *)b;
	long long sx = ledger_seq(x), sy = ledger_seq(y);

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The child records of owner (kind f, id) held by rows field ff, in row
 * order (seq, then id). */
static int
ledger_children(struct ledger *lg, const struct form *f,
    const struct form_field *ff, uint64_t id, struct record ***out,
    size_t *n, char **errp)
{
	const struct form *cf = ledger_store_form(lg, ff);
	uint64_t *ids = NULL;
	size_t nids = 0, i;
	char *link;
	int r;

	*out = NULL;
	*n = 0;
	if (cf == NULL || id == 0)
		return CX_OK;
	if (!store_field_indexed(lg->st, cf, ff->store_field)) {
		return err_set(errp, "程序内部错误：%s的字段“%s”没有索引，找不到"
		    "%s的各行。", cf->label, ff->store_field, ff->label);
	}
	link = ledger_link_value(f, id);
	r = store_find(lg->st, cf, ff->store_field, link, &ids, &nids, errp);
	free(link);
	if (r != CX_OK)
		return CX_ERR;
	*out = xcalloc(nids + 1, sizeof **out);
	for (i = 0; i < nids; i++) {
		struct record *c = NULL;

		r = store_get(lg->st, cf, ids[i], &c, errp);
		if (r == CX_NOTFOUND)
			continue;
		if (r != CX_OK) {
			while (*n > 0)
				record_free((*out)[--*n]);
			free(*out);
			*out = NULL;
			free(ids);
			return CX_ERR;
		}
		(*out)[(*n)++] = c;
	}
	free(ids);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, ledger_child_cmp);
	return CX_OK;
}

static void
ledger_free_children(struct record **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		record_free(v[i]);
	free(v);
}

/* Puts the children's columns into rec's rows field ff, one row each,
 * with "_id". */
static void
ledger_fill_rows(const struct form_field *ff, struct record *rec,
    struct record *const *children, size_t n)
{
	size_t i, j;

	record_remove(rec, ff->id);
	for (i = 0; i < n; i++) {
		struct record *row = record_new();

		for (j = 0; j < ledger_ncolumns(ff); j++) {
			const char *col = ledger_column(ff, j);
			const char *v = record_get(children[i], col);

			if (v != NULL)
				record_set(row, col, v);
		}
		record_set_take(row, "_id", xasprintf("%llu",
		    (unsigned long long)children[i]->id));
		record_append_row(rec, ff->id, row);
	}
}

int
ledger_get(struct ledger *lg, const struct form *f, uint64_t id,
    struct record **out, char **errp)
{
	struct record *rec, **ch;
	size_t i, n;
	int r;

	*out = NULL;
	if ((r = store_get(lg->st, f, id, &rec, errp)) != CX_OK)
		return r;
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ledger_store_form(lg, ff) == NULL)
			continue;
		if (ledger_children(lg, f, ff, id, &ch, &n, errp) != CX_OK) {
			record_free(rec);
			return CX_ERR;
		}
		ledger_fill_rows(ff, rec, ch, n);
		ledger_free_children(ch, n);
	}
	*out = rec;
	return CX_OK;
}

/* The child record row i of owner's rows field ff stands for: the
 * stored child old (or a new record with its defaults) with the row's
 * columns, its place (seq) and its link to the owner, auto fields
 * derived with the owner in hand. */
static struct record *
ledger_child_build(struct ledger *lg, const struct form *f,
    const struct form_field *ff, const struct form *cf,
    const struct record *owner, const struct record *row, size_t i,
    const struct record *old)
{
	struct ledger_parent par;
	struct record *c = old != NULL ? record_copy(old) : record_new();
	size_t j;

	for (j = 0; j < ledger_ncolumns(ff); j++) {
		const char *col = ledger_column(ff, j);
		const struct form_field *cff = form_field_find(cf, col);
		const struct rvalue *v = record_find(row, col);

		/* An auto column is copied too: when its function gives
		 * nothing it is typed like any field. */
		if (cff == NULL || cff->compute != NULL ||
		    cff->type == FT_ROWS || (v != NULL && v->is_rows))
			continue;
		record_set(c, col, v != NULL ? ledger_text(v->text) : NULL);
	}
	if (old == NULL)
		ledger_apply_defaults(lg, cf, c);
	if (form_field_find(cf, "seq") != NULL)
		record_set_take(c, "seq", xasprintf("%zu", i + 1));
	if (owner->id != 0)
		record_set_take(c, ff->store_field, ledger_link_value(f,
		    owner->id));
	c->id = old != NULL ? old->id : 0;
	par.link = ff->store_field;
	par.f = f;
	par.rec = owner;
	ledger_derive_fields(lg, cf, c, &par);
	if (old != NULL && ledger_rec_locked(lg, cf, old))
		ledger_keep_autos(cf, c, old);
	ledger_strip_computed(cf, c);
	return c;
}

/* Shows the child's derived columns in its row. */
static void
ledger_row_show(const struct form_field *ff, const struct form *cf,
    struct record *row, const struct record *child)
{
	size_t j;

	for (j = 0; j < ledger_ncolumns(ff); j++) {
		const char *col = ledger_column(ff, j);
		const struct form_field *cff = form_field_find(cf, col);

		if (cff != NULL && cff->auto_fn != NULL)
			record_set(row, col, record_get(child, col));
	}
}

/* The stored child a row's "_id" names among children, or NULL. */
static struct record *
ledger_row_child(const struct record *row, struct record **children,
    size_t n, size_t *idx)
{
	uint64_t id;
	size_t i;

	if (!util_parse_id(record_get(row, "_id") != NULL ?
	    record_get(row, "_id") : "", &id))
		return NULL;
	for (i = 0; i < n; i++)
		if (children[i]->id == id) {
			*idx = i;
			return children[i];
		}
	return NULL;
}

/* Derives rec's auto fields (kept as filed when the stored version is
 * in a locked period) and its stored rows' auto columns. */
static void
ledger_derive_all(struct ledger *lg, const struct form *f,
    struct record *rec, const struct record *old)
{
	size_t i, j;

	ledger_derive_fields(lg, f, rec, NULL);
	if (old != NULL && ledger_rec_locked(lg, f, old))
		ledger_keep_autos(f, rec, old);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		const struct form *cf = ledger_store_form(lg, ff);

		if (cf == NULL)
			continue;
		for (j = 0; j < record_nrows(rec, ff->id); j++) {
			struct record *row = record_row(rec, ff->id, j);
			struct record *oc = NULL, *c;
			uint64_t cid;

			if (rec->id != 0 && util_parse_id(record_get(row,
			    "_id") != NULL ? record_get(row, "_id") : "", &cid) &&
			    store_get(lg->st, cf, cid, &oc, NULL) != CX_OK)
				oc = NULL;
			c = ledger_child_build(lg, f, ff, cf, rec, row, j, oc);
			ledger_row_show(ff, cf, row, c);
			record_free(c);
			record_free(oc);
		}
	}
}

void
ledger_derive(struct ledger *lg, const struct form *f, struct record *rec)
{
	struct record *old = NULL;

	model_today(&lg->ctx.today);
	if (rec->id != 0 && store_get(lg->st, f, rec->id, &old, NULL) != CX_OK)
		old = NULL;
	ledger_derive_all(lg, f, rec, old);
	record_free(old);
}

/* ------------------------------------------------------------------ */
/* Comparing                                                           */
/* ------------------------------------------------------------------ */

static bool
ledger_value_empty(const struct rvalue *v)
{
	return v == NULL || (v->is_rows ? v->nrows == 0 :
	    ledger_text(v->text) == NULL);
}

static bool
ledger_value_same(const struct rvalue *a, const struct rvalue *b)
{
	if (ledger_value_empty(a) || ledger_value_empty(b))
		return ledger_value_empty(a) && ledger_value_empty(b);
	return record_value_equal(a, b);
}

/* Whether a and b differ in any value but the store's own ("_...").
 * With lock, only fields a locked period protects count: not those
 * marked annotation, nor derived ones (kept as filed). */
static bool
ledger_differs(const struct record *a, const struct record *b,
    const struct form *f, bool lock)
{
	int pass;
	size_t i;

	for (pass = 0; pass < 2; pass++) {
		const struct record *x = pass == 0 ? a : b;
		const struct record *y = pass == 0 ? b : a;

		for (i = 0; i < x->n; i++) {
			const char *id = x->v[i].id;
			const struct form_field *ff;

			if (id[0] == '_' || (pass == 1 &&
			    record_find(a, id) != NULL))
				continue;
			/* Rows kept as records are compared record by
			 * record, not here. */
			if (lock && (ff = form_field_find(f, id)) != NULL &&
			    (ff->annotation || form_field_derived(ff) ||
			    ff->store_kind != NULL))
				continue;
			if (!ledger_value_same(&x->v[i], record_find(y, id)))
				return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Lock checks                                                         */
/* ------------------------------------------------------------------ */

enum ledger_lockwhat { LK_NEW, LK_MOVE, LK_CHANGE, LK_DELETE, LK_RESTORE };

static int
ledger_lock_refuse(const struct form *f, const struct period *p,
    enum ledger_lockwhat what, const char *where, char **errp)
{
	char label[32], code[16];
	struct buf b;
	size_t i;
	int r;

	model_period_label(p, label);
	model_period_code(p, code);
	switch (what) {
	case LK_NEW:
		return err_set(errp, "%s%s已经备案锁定，不能再新增记录。"
		    LEDGER_UNLOCK_HINT, where, label, code);
	case LK_MOVE:
		return err_set(errp, "%s%s已经备案锁定，不能把记录改到这个周期。"
		    LEDGER_UNLOCK_HINT, where, label, code);
	case LK_DELETE:
		return err_set(errp, "%s%s已经备案锁定，不能删除其中的记录。"
		    LEDGER_UNLOCK_HINT, where, label, code);
	case LK_RESTORE:
		return err_set(errp, "%s%s已经备案锁定，不能把记录恢复到这个周期。"
		    LEDGER_UNLOCK_HINT, where, label, code);
	case LK_CHANGE:
		break;
	}
	buf_init(&b);
	for (i = 0; i < f->nfields; i++) {
		if (!f->fields[i].annotation)
			continue;
		if (b.len > 0)
			buf_addstr(&b, "、");
		buf_addstr(&b, f->fields[i].label);
	}
	if (b.len > 0) {
		r = err_set(errp, "%s%s已经备案锁定，只能修改标注为“可补充”的内容"
		    "（%s）。" LEDGER_UNLOCK_HINT, where, label, b.s, code);
	} else {
		r = err_set(errp, "%s%s已经备案锁定，不能修改。"
		    LEDGER_UNLOCK_HINT, where, label, code);
	}
	buf_free(&b);
	return r;
}

/* Refuses a write that a locked period forbids.  old is the stored
 * version (NULL: new record), rec what would be stored (NULL: delete). */
static int
ledger_lock_check(struct ledger *lg, const struct form *f,
    const struct record *old, const struct record *rec, const char *where,
    char **errp)
{
	struct period po, pn;
	bool has_old = old != NULL && ledger_period_of(f, old, &po);
	bool has_new = rec != NULL && ledger_period_of(f, rec, &pn);

	if (has_new && (!has_old || po.year != pn.year || po.half != pn.half) &&
	    ledger_locked(lg, &pn))
		return ledger_lock_refuse(f, &pn, old == NULL ? LK_NEW : LK_MOVE,
		    where, errp);
	if (!has_old || !ledger_locked(lg, &po))
		return CX_OK;
	if (rec == NULL)
		return ledger_lock_refuse(f, &po, LK_DELETE, where, errp);
	if (ledger_differs(old, rec, f, true))
		return ledger_lock_refuse(f, &po, LK_CHANGE, where, errp);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */
/* ------------------------------------------------------------------ */

/* One child record of a save. */
struct ledger_child {
	const struct form_field	*ff;	/* the owner's rows field */
	const struct form	*cf;
	size_t			 row;	/* LEDGER_NO_ROW: removed */
	struct record		*old;	/* stored version, or NULL (new) */
	struct record		*rec;	/* to store; NULL when removed */
	bool			 changed;
};

struct ledger_plan {
	struct ledger_child	*ch;
	size_t			 nch, chcap;
	struct record	       **keep;	/* loaded children, freed at the end */
	size_t			 nkeep, keepcap;
	struct store_op		*ops;
	size_t			 nops, opcap;
};

static void
ledger_plan_free(struct ledger_plan *pl)
{
	size_t i;

	for (i = 0; i < pl->nch; i++)
		record_free(pl->ch[i].rec);
	free(pl->ch);
	for (i = 0; i < pl->nkeep; i++)
		record_free(pl->keep[i]);
	free(pl->keep);
	free(pl->ops);
}

static struct store_op *
ledger_plan_op(struct ledger_plan *pl, enum store_op_kind kind,
    const struct form *f)
{
	struct store_op *op;

	pl->ops = xgrow(pl->ops, &pl->opcap, pl->nops + 1, sizeof *pl->ops);
	op = &pl->ops[pl->nops++];
	memset(op, 0, sizeof *op);
	op->op = kind;
	op->f = f;
	return op;
}

static struct ledger_child *
ledger_plan_child(struct ledger_plan *pl)
{
	struct ledger_child *c;

	pl->ch = xgrow(pl->ch, &pl->chcap, pl->nch + 1, sizeof *pl->ch);
	c = &pl->ch[pl->nch++];
	memset(c, 0, sizeof *c);
	return c;
}

/* Plans the children of one stored-rows field: each row is matched with
 * the child its "_id" names (a new owner's rows, and a second row with
 * the same "_id", are new children); children no row names are
 * removed. */
static int
ledger_plan_rows(struct ledger *lg, const struct form *f,
    const struct form_field *ff, struct record *rec, struct record *own,
    struct ledger_plan *pl, char **errp)
{
	const struct form *cf = ledger_store_form(lg, ff);
	struct record **ch;
	bool *used;
	size_t n, i, k, nrows = record_nrows(rec, ff->id);

	if (ledger_children(lg, f, ff, rec->id, &ch, &n, errp) != CX_OK)
		return CX_ERR;
	pl->keep = xgrow(pl->keep, &pl->keepcap, pl->nkeep + n + 1,
	    sizeof *pl->keep);
	for (i = 0; i < n; i++)
		pl->keep[pl->nkeep++] = ch[i];
	used = xcalloc(n + 1, sizeof *used);
	for (i = 0; i < nrows; i++) {
		struct record *row = record_row(rec, ff->id, i);
		struct record *old = NULL;
		struct ledger_child *c;
		uint64_t cid;

		if (rec->id != 0 && util_parse_id(record_get(row, "_id") != NULL ?
		    record_get(row, "_id") : "", &cid)) {
			old = ledger_row_child(row, ch, n, &k);
			if (old == NULL) {
				err_set(errp, "%s第%zu行对应的%s记录（编号 %llu）已经不存在"
				    "（可能已被删除）。请重新打开这条记录后再修改。",
				    ff->label, i + 1, cf->label,
				    (unsigned long long)cid);
				free(used);
				free(ch);
				return CX_ERR;
			}
			if (used[k])
				old = NULL;	/* a copied row: a new child */
			else
				used[k] = true;
		}
		c = ledger_plan_child(pl);
		c->ff = ff;
		c->cf = cf;
		c->row = i;
		c->old = old;
		c->rec = ledger_child_build(lg, f, ff, cf, own, row, i, old);
		c->changed = old == NULL || ledger_differs(old, c->rec, cf,
		    false);
		ledger_row_show(ff, cf, row, c->rec);
	}
	for (k = 0; k < n; k++) {
		struct ledger_child *c;

		if (used[k])
			continue;
		c = ledger_plan_child(pl);
		c->ff = ff;
		c->cf = cf;
		c->row = LEDGER_NO_ROW;
		c->old = ch[k];
		c->changed = true;
	}
	free(used);
	free(ch);
	return CX_OK;
}

/* Whether a child's field is derived from its owner through link. */
static bool
ledger_from_owner(const struct form_field *ff, const char *link)
{
	return ff->auto_fn != NULL && ff->nauto_args >= 1 &&
	    (strcmp(ff->auto_fn, "parent") == 0 ||
	    strcmp(ff->auto_fn, "linkkind") == 0) &&
	    strcmp(ff->auto_args[0], link) == 0;
}

/* Adds a child's problems to the owner's, naming the row:
 * "内容：必须填写。" becomes "承诺事项第2行“内容”：必须填写。", the same
 * text the owner's own check of that column gives (so it is said once).
 * While a new owner has no id, its children's link is not set yet:
 * problems about that field are left out, as are problems of fields
 * copied from the owner. */
static void
ledger_child_problems(const struct ledger_child *c, bool owner_new,
    const struct strlist *in, struct strlist *out)
{
	const struct form_field *link = form_field_find(c->cf,
	    c->ff->store_field);
	size_t i, j;

	for (i = 0; i < in->n; i++) {
		const char *m = in->v[i], *sep = strstr(m, "：");
		char *head = sep != NULL ? xstrndup(m, (size_t)(sep - m)) : NULL;
		char *s;

		if (owner_new && head != NULL && link != NULL &&
		    strcmp(head, link->label) == 0) {
			free(head);
			continue;
		}
		for (j = 0; head != NULL && j < c->cf->nfields; j++)
			if (strcmp(head, c->cf->fields[j].label) == 0)
				break;
		if (head != NULL && j < c->cf->nfields &&
		    ledger_from_owner(&c->cf->fields[j], c->ff->store_field)) {
			/* A copy of the owner's field: the owner's own
			 * check says it. */
			free(head);
			continue;
		}
		if (head != NULL && j < c->cf->nfields)
			s = xasprintf("%s第%zu行“%s”%s", c->ff->label, c->row + 1,
			    head, sep);
		else
			s = xasprintf("%s第%zu行：%s", c->ff->label, c->row + 1, m);
		free(head);
		for (j = 0; j < out->n; j++)
			if (strcmp(out->v[j], s) == 0)
				break;
		if (j < out->n)
			free(s);
		else
			strlist_take(out, s);
	}
}

static void
ledger_validate(struct ledger *lg, const struct form *f,
    const struct record *r, struct strlist *problems)
{
	form_validate_ctx(f, r, &lg->ctx, ledger_lookup, lg, problems);
	model_check(lg->fs, f->kind, r, ledger_lookup, lg, problems);
}

/* The old version of a signed owner as a person saw it: with its rows. */
static struct record *
ledger_old_full(struct ledger *lg, const struct form *f,
    const struct record *old, const struct ledger_plan *pl)
{
	struct record *h = record_copy(old), **v;
	size_t i, j, n;

	h->id = old->id;
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ledger_store_form(lg, ff) == NULL)
			continue;
		v = xcalloc(pl->nch + 1, sizeof *v);
		for (j = n = 0; j < pl->nch; j++)
			if (pl->ch[j].ff == ff && pl->ch[j].old != NULL)
				v[n++] = pl->ch[j].old;
		if (n > 1)
			qsort(v, n, sizeof *v, ledger_child_cmp);
		ledger_fill_rows(ff, h, v, n);
		free(v);
	}
	return h;
}

static bool
ledger_signed(const struct form *f, const struct record *old)
{
	return old != NULL && f->sign_field != NULL &&
	    ledger_text(record_get(old, f->sign_field)) != NULL;
}

/* rec shows what was stored as stored: its id, form version and the
 * store's own fields. */
static void
ledger_took(struct record *rec, const struct record *stored)
{
	static const char *const kept[] = { "_created", "_modified", "_gid",
	    "_rev", "_revs", "_frevs" };
	size_t i;

	rec->id = stored->id;
	rec->form_version = stored->form_version;
	for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
		record_set(rec, kept[i], record_get(stored, kept[i]));
}

int
ledger_save(struct ledger *lg, const struct form *f, struct record *rec,
    struct strlist *problems, char **errp)
{
	struct strlist local, *pl_out = problems != NULL ? problems : &local;
	struct ledger_plan pl;
	struct record *old = NULL, *own = NULL, *hist = NULL;
	bool owner_changed, any_changed, put_owner;
	size_t i, before, nprob, owner_op = 0;
	int r = CX_ERR;

	strlist_init(&local);
	memset(&pl, 0, sizeof pl);
	before = pl_out->n;
	model_today(&lg->ctx.today);
	if (rec->id != 0) {
		r = store_get(lg->st, f, rec->id, &old, errp);
		if (r == CX_NOTFOUND) {
			err_set(errp, "这条%s记录（编号 %llu）已经不存在（可能已被"
			    "删除），没有保存。", f->label,
			    (unsigned long long)rec->id);
		}
		if (r != CX_OK) {
			r = CX_ERR;
			goto out;
		}
		r = CX_ERR;
		if (!util_same(record_get(rec, "_rev"),
		    record_get(old, "_rev"))) {
			const char *when = record_get(old, "_modified");
			char *what = store_changed_since(f, old,
			    record_get(rec, "_rev"));

			err_set(errp, "这条%s记录（编号 %llu）在你读取之后已被修改"
			    "（%s%s），为了不覆盖那次修改，这次没有保存。请重新打开"
			    "这条记录，核对后再修改。", f->label,
			    (unsigned long long)rec->id, when != NULL ? when :
			    "修改时间不详", what);
			free(what);
			r = CX_CONFLICT;
			goto out;
		}
	}
	ledger_derive_fields(lg, f, rec, NULL);
	if (old != NULL && ledger_rec_locked(lg, f, old))
		ledger_keep_autos(f, rec, old);

	/* What the owner's record stores: no rows that are records, no
	 * computed values. */
	own = record_copy(rec);
	own->id = rec->id;
	for (i = 0; i < f->nfields; i++)
		if (ledger_store_form(lg, &f->fields[i]) != NULL)
			record_remove(own, f->fields[i].id);
	ledger_strip_computed(f, own);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ledger_store_form(lg, ff) != NULL &&
		    ledger_plan_rows(lg, f, ff, rec, own, &pl, errp) != CX_OK)
			goto out;
	}

	/* The lock first: a filed record need not be made valid. */
	if (ledger_lock_check(lg, f, old, own, "", errp) != CX_OK)
		goto out;
	for (i = 0; i < pl.nch; i++) {
		struct ledger_child *c = &pl.ch[i];
		char *where;
		int lr;

		if (!c->changed)
			continue;
		where = c->row == LEDGER_NO_ROW ? xstrdup("") :
		    xasprintf("%s第%zu行：", c->ff->label, c->row + 1);
		lr = ledger_lock_check(lg, c->cf, c->old, c->rec, where, errp);
		free(where);
		if (lr != CX_OK)
			goto out;
	}

	ledger_validate(lg, f, rec, pl_out);
	for (i = 0; i < pl.nch; i++) {
		struct ledger_child *c = &pl.ch[i];
		struct strlist cp;

		if (!c->changed || c->rec == NULL)
			continue;
		strlist_init(&cp);
		ledger_validate(lg, c->cf, c->rec, &cp);
		ledger_child_problems(c, rec->id == 0, &cp, pl_out);
		strlist_free(&cp);
	}
	nprob = pl_out->n - before;
	if (nprob > 0) {
		err_set(errp, "有 %zu 处需要修改。", nprob);
		goto out;
	}

	owner_changed = old == NULL || ledger_differs(old, own, f, false);
	any_changed = owner_changed;
	for (i = 0; i < pl.nch; i++)
		any_changed = any_changed || pl.ch[i].changed;
	if (!any_changed) {
		r = CX_OK;
		goto out;
	}

	/* The operations: the owner's old version and the owner first, so
	 * that new children can take its id. */
	put_owner = owner_changed;
	if (ledger_signed(f, old)) {
		hist = ledger_old_full(lg, f, old, &pl);
		ledger_plan_op(&pl, STORE_OP_HISTORY, f)->rec = hist;
		put_owner = true;
	}
	if (put_owner) {
		owner_op = pl.nops;
		ledger_plan_op(&pl, STORE_OP_PUT, f)->rec = own;
	}
	for (i = 0; i < pl.nch; i++) {
		struct ledger_child *c = &pl.ch[i];
		struct store_op *op;

		if (!c->changed)
			continue;
		if (c->rec == NULL) {
			ledger_plan_op(&pl, STORE_OP_DELETE, c->cf)->id =
			    c->old->id;
			continue;
		}
		if (ledger_signed(c->cf, c->old))
			ledger_plan_op(&pl, STORE_OP_HISTORY, c->cf)->rec = c->old;
		op = ledger_plan_op(&pl, STORE_OP_PUT, c->cf);
		op->rec = c->rec;
		if (rec->id == 0) {
			op->link_field = c->ff->store_field;
			op->link_op = owner_op;
		}
	}
	if ((r = store_apply(lg->st, pl.ops, pl.nops, errp)) != CX_OK) {
		if (r != CX_CONFLICT)
			r = CX_ERR;
		goto out;
	}

	/* rec now shows what was stored. */
	if (put_owner)
		ledger_took(rec, own);
	for (i = 0; i < pl.nch; i++) {
		struct ledger_child *c = &pl.ch[i];

		if (c->rec != NULL)
			record_set_take(record_row(rec, c->ff->id, c->row), "_id",
			    xasprintf("%llu", (unsigned long long)c->rec->id));
	}
	r = CX_OK;
out:
	record_free(hist);
	record_free(own);
	record_free(old);
	ledger_plan_free(&pl);
	strlist_free(&local);
	return r;
}

/* Many new records at once (a spreadsheet import): each is derived,
 * checked against the lock and validated as ledger_save does, and only
 * when none has a problem are all written, by one store_apply. */
int
ledger_add_many(struct ledger *lg, const struct form *f,
    struct record **recs, size_t n, bool write, struct strlist *problems,
    char **errp)
{
	struct record **own = xcalloc(n + 1, sizeof *own);
	struct store_op *ops = NULL;
	size_t i, j, nbad = 0;
	int r = CX_ERR;

	model_today(&lg->ctx.today);
	for (i = 0; i < n; i++) {
		size_t before = problems[i].n;
		char *lerr = NULL;

		recs[i]->id = 0;
		ledger_derive_fields(lg, f, recs[i], NULL);
		own[i] = record_copy(recs[i]);
		own[i]->id = 0;
		for (j = 0; j < f->nfields; j++)
			if (ledger_store_form(lg, &f->fields[j]) != NULL)
				record_remove(own[i], f->fields[j].id);
		ledger_strip_computed(f, own[i]);
		if (ledger_lock_check(lg, f, NULL, own[i], "", &lerr) != CX_OK)
			strlist_take(&problems[i], lerr != NULL ? lerr :
			    xstrdup("所在周期已锁定。"));
		else
			ledger_validate(lg, f, recs[i], &problems[i]);
		if (problems[i].n > before)
			nbad++;
	}
	if (nbad > 0) {
		err_set(errp, "有 %zu 条记录需要修改。", nbad);
		goto out;
	}
	if (!write || n == 0) {
		r = CX_OK;
		goto out;
	}
	ops = xcalloc(n, sizeof *ops);
	for (i = 0; i < n; i++) {
		ops[i].op = STORE_OP_PUT;
		ops[i].f = f;
		ops[i].rec = own[i];
	}
	if ((r = store_apply(lg->st, ops, n, errp)) != CX_OK) {
		if (r != CX_CONFLICT)
			r = CX_ERR;
		goto out;
	}
	for (i = 0; i < n; i++)
		ledger_took(recs[i], own[i]);
	r = CX_OK;
out:
	for (i = 0; i < n; i++)
		record_free(own[i]);
	free(own);
	free(ops);
	return r;
}

int
ledger_delete(struct ledger *lg, const struct form *f, uint64_t id,
    char **errp)
{
	struct ledger_plan pl;
	struct record *old = NULL, **ch;
	size_t i, j, n;
	int r;

	if ((r = store_get(lg->st, f, id, &old, errp)) != CX_OK)
		return r;
	memset(&pl, 0, sizeof pl);
	r = CX_ERR;
	if (ledger_lock_check(lg, f, old, NULL, "", errp) != CX_OK)
		goto out;
	ledger_plan_op(&pl, STORE_OP_DELETE, f)->id = id;
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		const struct form *cf = ledger_store_form(lg, ff);

		if (cf == NULL)
			continue;
		if (ledger_children(lg, f, ff, id, &ch, &n, errp) != CX_OK)
			goto out;
		for (j = 0; j < n; j++) {
			if (ledger_lock_check(lg, cf, ch[j], NULL, "", errp) !=
			    CX_OK) {
				ledger_free_children(ch, n);
				goto out;
			}
			ledger_plan_op(&pl, STORE_OP_DELETE, cf)->id = ch[j]->id;
		}
		ledger_free_children(ch, n);
	}
	r = store_apply(lg->st, pl.ops, pl.nops, errp);
out:
	record_free(old);
	ledger_plan_free(&pl);
	return r;
}

/* What ledger_restore finds in the recycle bin: the owner and the
 * stored rows (child records) whose link names it. */
struct ledger_bin {
	struct ledger		 *lg;
	const struct form	 *f;
	uint64_t		  id;
	char			 *link;		/* "KIND:ID" of the owner */
	struct record		 *owner;	/* a copy, or NULL */
	struct ledger_bin_row {
		const struct form	*f;
		struct record		*rec;
	}			 *rows;
	size_t			  n, cap;
};

static int
ledger_bin_fn(void *arg, const struct form *f, const struct record *r)
{
	struct ledger_bin *b = arg;
	size_t i;

	if (strcmp(f->kind, b->f->kind) == 0 && r->id == b->id) {
		record_free(b->owner);
		b->owner = record_copy(r);
		b->owner->id = r->id;
		return 0;
	}
	for (i = 0; i < b->f->nfields; i++) {
		const struct form_field *ff = &b->f->fields[i];
		const struct form *cf = ledger_store_form(b->lg, ff);
		const char *v;

		if (cf == NULL || strcmp(cf->kind, f->kind) != 0 ||
		    (v = record_get(r, ff->store_field)) == NULL ||
		    strcmp(v, b->link) != 0)
			continue;
		b->rows = xgrow(b->rows, &b->cap, b->n + 1, sizeof *b->rows);
		b->rows[b->n].f = f;
		b->rows[b->n].rec = record_copy(r);
		b->rows[b->n].rec->id = r->id;
		b->n++;
		break;
	}
	return 0;
}

int
ledger_restore(struct ledger *lg, const struct form *f, uint64_t id,
    char **errp)
{
	struct ledger_bin b;
	struct ledger_plan pl;
	struct period p;
	const char *when, *rw;
	size_t i;
	int r = CX_ERR;

	memset(&b, 0, sizeof b);
	memset(&pl, 0, sizeof pl);
	b.lg = lg;
	b.f = f;
	b.id = id;
	b.link = ledger_link_value(f, id);
	if (store_trash_foreach(lg->st, ledger_bin_fn, &b, errp) != CX_OK)
		goto out;
	if (b.owner == NULL) {
		err_set(errp, "回收站里没有编号为 %llu 的%s记录（可能已经恢复）。",
		    (unsigned long long)id, f->label);
		r = CX_NOTFOUND;
		goto out;
	}
	if (ledger_period_of(f, b.owner, &p) && ledger_locked(lg, &p)) {
		ledger_lock_refuse(f, &p, LK_RESTORE, "", errp);
		goto out;
	}
	ledger_plan_op(&pl, STORE_OP_RESTORE, f)->id = id;
	/* The rows deleted with it carry the same deletion time; rows
	 * removed from it earlier stay in the bin. */
	when = ledger_text(record_get(b.owner, "_deleted"));
	for (i = 0; i < b.n && when != NULL; i++) {
		rw = ledger_text(record_get(b.rows[i].rec, "_deleted"));
		if (rw == NULL || strcmp(rw, when) != 0)
			continue;
		if (ledger_period_of(b.rows[i].f, b.rows[i].rec, &p) &&
		    ledger_locked(lg, &p)) {
			ledger_lock_refuse(b.rows[i].f, &p, LK_RESTORE, "", errp);
			goto out;
		}
		ledger_plan_op(&pl, STORE_OP_RESTORE, b.rows[i].f)->id =
		    b.rows[i].rec->id;
	}
	r = store_apply(lg->st, pl.ops, pl.nops, errp);
out:
	for (i = 0; i < b.n; i++)
		record_free(b.rows[i].rec);
	free(b.rows);
	record_free(b.owner);
	free(b.link);
	ledger_plan_free(&pl);
	return r;
}

/* ------------------------------------------------------------------ */
/* New cycle                                                           */
/* ------------------------------------------------------------------ */

struct ledger_carry {
	const char	 *from;		/* period code */
	struct record	**recs;
	size_t		  n, cap;
};

static int
ledger_carry_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct ledger_carry *c = arg;
	const char *cur = ledger_text(record_get(rec, "current_period"));
	struct record *copy;

	if (cur == NULL)
		cur = ledger_text(record_get(rec, "period"));
	if (cur == NULL || strcmp(cur, c->from) != 0)
		return 0;
	if (f->closed_field != NULL && ledger_holds(record_get(rec,
	    f->closed_field), f->closed_values, f->nclosed))
		return 0;
	copy = record_copy(rec);
	copy->id = rec->id;
	c->recs = xgrow(c->recs, &c->cap, c->n + 1, sizeof *c->recs);
	c->recs[c->n++] = copy;
	return 0;
}

int
ledger_new_cycle(struct ledger *lg, const struct period *from,
    const struct period *next, size_t *carried, char **errp)
{
	struct ledger_plan pl;
	struct ledger_carry c;
	char fcode[16], ncode[16];
	size_t i, j, start;
	int r = CX_ERR;

	*carried = 0;
	memset(&pl, 0, sizeof pl);
	memset(&c, 0, sizeof c);
	model_period_code(from, fcode);
	model_period_code(next, ncode);
	c.from = fcode;
	for (i = 0; i < lg->fs->n; i++) {
		const struct form *f = lg->fs->forms[i];

		if (form_field_find(f, "current_period") == NULL)
			continue;
		start = c.n;
		if (store_foreach(lg->st, f, ledger_carry_fn, &c, errp) != CX_OK)
			goto out;
		for (j = start; j < c.n; j++) {
			struct record *h;

			if (ledger_signed(f, c.recs[j])) {
				h = record_copy(c.recs[j]);
				h->id = c.recs[j]->id;
				pl.keep = xgrow(pl.keep, &pl.keepcap, pl.nkeep + 1,
				    sizeof *pl.keep);
				pl.keep[pl.nkeep++] = h;
				ledger_plan_op(&pl, STORE_OP_HISTORY, f)->rec = h;
			}
			record_set(c.recs[j], "current_period", ncode);
			ledger_plan_op(&pl, STORE_OP_PUT, f)->rec = c.recs[j];
		}
	}
	if (store_apply(lg->st, pl.ops, pl.nops, errp) != CX_OK)
		goto out;
	*carried = c.n;
	r = ledger_set_current_period(lg, next, errp);
out:
	for (i = 0; i < c.n; i++)
		record_free(c.recs[i]);
	free(c.recs);
	ledger_plan_free(&pl);
	return r;
}

/* ------------------------------------------------------------------ */
/* Record sets                                                         */
/* ------------------------------------------------------------------ */

struct ledger_collect {
	struct ledger_set	*set;
	const char		*field;	/* NULL: every record */
	const char		*value;
};

static int
ledger_collect_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct ledger_collect *c = arg;
	const char *v;

	(void)f;
	if (c->field != NULL && ((v = record_get(rec, c->field)) == NULL ||
	    strcmp(v, c->value) != 0))
		return 0;
	c->set->v = xgrow(c->set->v, &c->set->cap, c->set->n + 1,
	    sizeof *c->set->v);
	c->set->v[c->set->n++] = record_copy(rec);
	return 0;
}

int
ledger_set_load(struct ledger *lg, struct ledger_set *set, const char *kind,
    const char *field, const char *value, char **errp)
{
	const struct form *f = formset_find(lg->fs, kind);
	uint64_t *ids = NULL;
	size_t n = 0, i;

	memset(set, 0, sizeof *set);
	if (f == NULL || (field != NULL && form_field_find(f, field) == NULL))
		return CX_OK;
	set->f = f;
	if (field == NULL || !store_field_indexed(lg->st, f, field)) {
		struct ledger_collect c = { set, field, value };

		return store_foreach(lg->st, f, ledger_collect_fn, &c, errp);
	}
	if (store_find(lg->st, f, field, value, &ids, &n, errp) != CX_OK)
		return CX_ERR;
	set->v = xcalloc(n ? n : 1, sizeof *set->v);
	set->cap = n ? n : 1;
	for (i = 0; i < n; i++) {
		struct record *r = NULL;
		int rc = store_get(lg->st, f, ids[i], &r, errp);

		if (rc == CX_NOTFOUND)
			continue;
		if (rc != CX_OK) {
			free(ids);
			return CX_ERR;
		}
		set->v[set->n++] = r;
	}
	free(ids);
	return CX_OK;
}

void
ledger_set_free(struct ledger_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		record_free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof *set);
}

/* ------------------------------------------------------------------ */
/* 三会一课 requirements                                                */
/* ------------------------------------------------------------------ */

const struct ledger_meeting_type ledger_meeting_types[LEDGER_NMEETING_TYPES] = {
	{ "general", "freq_general", 2, "支部党员大会" },
	{ "committee", "freq_committee", 6, "支部委员会" },
	{ "group", "freq_group", 6, "党小组会" },
	{ "lecture", "freq_lecture", 2, "党课" }
};

long
ledger_meetings_required(const struct ledger *lg, size_t t, bool direct,
    size_t ngroups)
{
	long req = ledger_setting_long(lg, ledger_meeting_types[t].setting,
	    ledger_meeting_types[t].def);

	if (direct && (t == 0 || t == 1))
		return -1;
	if (!direct && t == 2) {
		if (ngroups == 0)
			return -1;
		req *= (long)ngroups;
	}
	return req;
}

long
ledger_meetings_so_far(const struct ledger *lg, const struct period *p,
    long required)
{
	struct date first, last;
	long d0, d1, today;

	model_period_range(p, &first, &last);
	d0 = date_to_days(&first);
	d1 = date_to_days(&last);
	today = date_to_days(&lg->ctx.today);
	if (today > d1)
		return required;
	if (today <= d0)
		return 0;
	return required * (today - d0) / (d1 - d0 + 1);
}

bool
ledger_closed(const struct form *f, const struct record *r)
{
	const char *v;
	size_t i;

	if (f == NULL || f->closed_field == NULL)
		return false;
	v = record_get(r, f->closed_field);
	for (i = 0; v != NULL && i < f->nclosed; i++)
		if (strcmp(v, f->closed_values[i]) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ arrivals */

int
ledger_arrival(struct ledger *lg, uint64_t org_id, const struct period *p,
    struct ledger_arrival *out, char **errp)
{
	struct exchange_arrival a;
	struct period ap;
	char code[16], label[32], *err = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	rc = exchange_arrival_get(lg->st, lg->fs, org_id, &a, &err);
	if (rc == CX_NOTFOUND) {
		free(err);
		out->status = xstrdup("未报送");
		out->line = xstrdup(out->status);
		return CX_OK;
	}
	if (rc != CX_OK) {
		if (errp != NULL)
			*errp = err;
		else
			free(err);
		return CX_ERR;
	}
	model_period_code(p, code);
	if (strcmp(a.period, "all") == 0) {
		struct date first, last;
		char end[11];
		const char *made = *a.created != '\0' ? a.created : a.when;

		/* A package of every period files a period only once that
		 * period is over. */
		model_period_range(p, &first, &last);
		snprintf(end, sizeof end, "%04d-%02d-%02d", last.y,
		    last.m, last.d);
		out->filed = strncmp(made, end, 10) > 0;
		out->period = xstrdup("全部周期");
	} else if (model_period_parse(a.period, &ap, NULL) == CX_OK) {
		model_period_label(&ap, label);
		out->filed = strcmp(a.period, code) == 0;
		out->period = xstrdup(label);
	} else
		out->period = xstrdup(a.period);
	out->when = a.when;
	out->file = a.file;
	free(a.period);
	free(a.created);
	out->status = xstrdup(out->filed ? "已报送" : "未报送");
	/* The day is enough on a screen line; the 总表 has the time. */
	out->line = out->filed ?
	    xasprintf("已报送 %.10s（%s）", out->when, out->period) :
	    xasprintf("未报送（最近收到 %.10s，%s）", out->when, out->period);
	return CX_OK;
}

void
ledger_arrival_free(struct ledger_arrival *a)
{
	free(a->status);
	free(a->when);
	free(a->period);
	free(a->file);
	free(a->line);
	memset(a, 0, sizeof *a);
}
