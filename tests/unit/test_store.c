/* test_store.c: the LMDB store, its marker file, indexes, recycle bin,
 * map growth, damage detection and read-only use; store_apply and
 * history. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lmdb.h>

#include "codec.h"
#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

#define NOW1	"2024-03-01 09:30:00"
#define NOW2	"2024-03-02 10:00:00"
#define RO_MSG	"数据目录是只读的（例如 U 盘的写保护开关已打开），不能修改。" \
	"请关闭写保护或把数据复制到可写的位置。"

static char tmproot[64];

/* ------------------------------------------------------------------ */
/* Forms built by hand (formdef.c is not needed)                       */
/* ------------------------------------------------------------------ */

static struct form_field member_fields[6];
static struct form_field member_sub[1];
static struct form member_form;
static struct form_field org_fields[2];
static struct form org_form;
static struct form_field extra_fields[1];
static struct form extra_form;
static struct form *forms2[2], *forms3[3];
static struct formset fs2, fs3;

static void
field(struct form_field *f, const char *id, const char *label,
    enum field_type type, bool index, bool unique)
{
	memset(f, 0, sizeof *f);
	f->id = (char *)id;
	f->label = (char *)label;
	f->type = type;
	f->index = index;
	f->unique = unique;
}

static void
setup_forms(void)
{
	field(&member_fields[0], "name", "姓名", FT_TEXT, true, false);
	field(&member_fields[1], "idno", "身份证号", FT_TEXT, false, true);
	field(&member_fields[2], "branch", "所在支部", FT_REF, false, false);
	member_fields[2].ref_kind = "org";
	field(&member_fields[3], "note", "备注", FT_LONGTEXT, false, false);
	field(&member_fields[4], "items", "承诺事项", FT_ROWS, true, false);
	field(&member_sub[0], "content", "内容", FT_TEXT, true, false);
	member_fields[4].sub = member_sub;
	member_fields[4].nsub = 1;
	field(&member_fields[5], "gender", "性别", FT_ENUM, false, false);
	member_form.kind = "member";
	member_form.label = "党员";
	member_form.version = 1;
	member_form.title = "name";
	member_form.fields = member_fields;
	member_form.nfields = 6;

	field(&org_fields[0], "name", "名称", FT_TEXT, false, true);
	field(&org_fields[1], "type", "类型", FT_ENUM, true, false);
	org_form.kind = "org";
	org_form.label = "党组织";
	org_form.version = 2;
	org_form.title = "name";
	org_form.fields = org_fields;
	org_form.nfields = 2;

	field(&extra_fields[0], "title", "题目", FT_TEXT, true, false);
	extra_form.kind = "extra";
	extra_form.label = "附加";
	extra_form.version = 1;
	extra_form.title = "title";
	extra_form.fields = extra_fields;
	extra_form.nfields = 1;

	forms2[0] = &org_form;
	forms2[1] = &member_form;
	fs2.forms = forms2;
	fs2.n = 2;
	forms3[0] = &org_form;
	forms3[1] = &member_form;
	forms3[2] = &extra_form;
	fs3.forms = forms3;
	fs3.n = 3;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", tmproot, name);
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

/* The sorted names in a directory, joined by commas ("-" when it does
 * not exist). */
static char *
list_dir(const char *path)
{
	struct strlist l;
	struct buf b;
	DIR *d = opendir(path);
	struct dirent *de;
	size_t i, j;

	if (d == NULL)
		return xstrdup("-");
	strlist_init(&l);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strlist_add(&l, de->d_name);
	closedir(d);
	for (i = 1; i < l.n; i++)
		for (j = i; j > 0 && strcmp(l.v[j - 1], l.v[j]) > 0; j--) {
			char *t = l.v[j];
			l.v[j] = l.v[j - 1];
			l.v[j - 1] = t;
		}
	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < l.n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_addstr(&b, l.v[i]);
	}
	strlist_free(&l);
	return buf_take(&b);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static struct record *
member(const char *name, const char *idno, const char *branch)
{
	struct record *r = record_new();

	record_set(r, "name", name);
	if (idno != NULL)
		record_set(r, "idno", idno);
	if (branch != NULL)
		record_set(r, "branch", branch);
	record_set(r, "gender", "m");
	return r;
}

struct collect {
	uint64_t	ids[64];
	size_t		n;
	size_t		stop_after;	/* 0 = never */
	const struct form *f;
	char		deleted[32];
};

static int
collect_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct collect *c = arg;
	const char *d = record_get(rec, "_deleted");

	if (c->n < 64)
		c->ids[c->n] = rec->id;
	c->n++;
	c->f = f;
	snprintf(c->deleted, sizeof c->deleted, "%s", d ? d : "");
	return c->stop_after != 0 && c->n >= c->stop_after;
}

/* "1,2,3" for the ids collected. */
static char *
ids_text(const uint64_t *ids, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < n && i < 64; i++)
		buf_addf(&b, "%s%llu", i ? "," : "", (unsigned long long)ids[i]);
	return buf_take(&b);
}

static char *
scan_text(struct store *st, uint64_t from, int dir, size_t max)
{
	struct collect c;
	char *err = NULL;

	memset(&c, 0, sizeof c);
	if (store_scan(st, &member_form, from, dir, max, collect_fn, &c,
	    &err) != CX_OK) {
		free(err);
		return xstrdup("error");
	}
	return ids_text(c.ids, c.n);
}

static char *
find_text(struct store *st, const struct form *f, const char *field,
    const char *value)
{
	uint64_t *ids;
	size_t n;
	char *err = NULL, *s;

	if (store_find(st, f, field, value, &ids, &n, &err) != CX_OK) {
		s = xasprintf("error: %s", err);
		free(err);
		return s;
	}
	s = ids_text(ids, n);
	free(ids);
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
check_text(struct store *st)
{
	struct strlist dmg;
	struct buf b;
	char *err = NULL;
	size_t i;

	strlist_init(&dmg);
	if (store_check(st, &dmg, &err) != CX_OK) {
		char *s = xasprintf("error: %s", err);

		free(err);
		strlist_free(&dmg);
		return s;
	}
	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < dmg.n; i++) {
		if (i > 0)
			buf_addc(&b, '\n');
		buf_addstr(&b, dmg.v[i]);
	}
	strlist_free(&dmg);
	return buf_take(&b);
}

#define IS_STR_FREE(expr, want, ...) do {				\
	char *s_ = (expr);						\
	is_str(s_, want, __VA_ARGS__);					\
	free(s_);							\
} while (0)

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static bool
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Equal but for the revision the store gives every change. */
static bool
same_but_rev(const struct record *a, const struct record *b)
{
	struct record *x = record_copy(a), *y = record_copy(b);
	bool eq;

	record_remove(x, "_rev");
	record_remove(x, "_revs");
	record_remove(y, "_rev");
	record_remove(y, "_revs");
	eq = record_equal(x, y);
	record_free(x);
	record_free(y);
	return eq;
}

/* The raw bytes stored for a record, "" when none. */
static char *
raw_of(const char *dir, const char *kind, uint64_t id)
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_dbi dbi;
	MDB_val k, v;
	unsigned char kb[8];
	char *name = xasprintf("rec:%s", kind), *out = xstrdup("");

	util_put_be64(kb, id);
	k.mv_data = kb;
	k.mv_size = 8;
	if (mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 256) == 0 &&
	    mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK, 0) == 0 &&
	    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0 &&
	    mdb_dbi_open(txn, name, 0, &dbi) == 0 &&
	    mdb_get(txn, dbi, &k, &v) == 0) {
		free(out);
		out = xmalloc(v.mv_size * 2 + 1);
		for (size_t i = 0; i < v.mv_size; i++)
			sprintf(out + 2 * i, "%02x",
			    ((unsigned char *)v.mv_data)[i]);
	}
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
	free(name);
	return out;
}

/* Identity and revisions: a random origin per directory, a global id
 * per record that a change keeps, a new revision per change, refusal of
 * a save made from a stale copy, and saves that change nothing write
 * nothing. */
/* Which revision changed which field ("_frevs"), and a merge revision
 * descending from two concurrent ones. */
static void
test_field_revs(void)
{
	char *dir = path_in("frevs"), *err = NULL, mark[STORE_FIELD_REV_MAX];
	struct store *st = NULL;
	struct record *a, *b = NULL, *m;
	char *r2 = NULL, *r3 = NULL;

	setenv("CXZY_NOW", NOW1, 1);
	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(false, "frevs: create");
		goto out;
	}
	a = member("钱二", NULL, "一支部");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "frevs: put");
	ok(record_get(a, "_frevs") == NULL, "a new record has no field revisions");
	ok(!store_field_rev(a, "name", mark, sizeof mark),
	    "a field unchanged since creation has none");
	record_set(a, "post", "科员");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "frevs: change post");
	r2 = xstrdup(record_get(a, "_rev"));
	ok(store_field_rev(a, "post", mark, sizeof mark) &&
	    strcmp(mark, r2) == 0, "the changed field carries the revision");
	ok(!store_field_rev(a, "name", mark, sizeof mark),
	    "the others still have none");
	record_set(a, "note", "备注");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "frevs: change note");
	r3 = xstrdup(record_get(a, "_rev"));
	{
		char *want = xasprintf("note=%s post=%s", r3, r2);

		is_str(record_get(a, "_frevs"), want,
		    "_frevs lists the changed fields, sorted");
		free(want);
	}
	ok(store_field_rev(a, "post", mark, sizeof mark) &&
	    strcmp(mark, r2) == 0, "post keeps the revision that changed it");
	ok(store_field_rev(a, "note", mark, sizeof mark) &&
	    strcmp(mark, r3) == 0, "note gets the new one");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "frevs: no-op save");
	is_str(record_get(a, "_rev"), r3, "a save that changes nothing keeps them");

	/* Two concurrent copies merged. */
	b = record_copy(a);
	m = record_copy(a);
	record_set(b, "_rev", "4-00000000000000aa");
	record_set(b, "_revs", r3);
	record_set(m, "_rev", "5-00000000000000bb");
	record_set(m, "_revs", "4-00000000000000cc 3-0000000000000001");
	store_merge_rev(&member_form, m, a->id, b, m);
	ok(strncmp(record_get(m, "_rev"), "6-", 2) == 0,
	    "the merge counts on from the larger generation");
	{
		const char *revs = record_get(m, "_revs");

		ok(revs != NULL && strncmp(revs, "5-00000000000000bb "
		    "4-00000000000000aa ", 38) == 0,
		    "both revisions are its ancestors");
		ok(revs != NULL && strstr(revs, r3) != NULL &&
		    strstr(revs, "4-00000000000000cc") != NULL,
		    "and their ancestors");
	}
	record_free(m);
	record_free(b);
	record_free(a);
out:
	free(r2);
	free(r3);
	free(err);
	store_close(st);
	free(dir);
}

static void
test_identity(void)
{
	char *dir = path_in("ident"), *dir2 = path_in("ident2"), *err = NULL;
	char origin[UTIL_TOKEN_LEN + 1], *gid, *raw1, *raw2;
	struct store *st = NULL, *st2 = NULL;
	struct record *a, *x = NULL, *y = NULL;
	uint64_t id = 0;
	const char *r1;

	setenv("CXZY_NOW", NOW1, 1);
	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK ||
	    store_open(dir2, &fs2, STORE_CREATE, NULL, &st2, &err) != CX_OK) {
		ok(false, "identity: create");
		goto out;
	}
	ok(util_is_token(store_origin(st)), "origin is 32 hex digits");
	ok(strcmp(store_origin(st), store_origin(st2)) != 0,
	    "two directories have different origins");
	memcpy(origin, store_origin(st), sizeof origin);

	a = member("赵一", NULL, "一支部");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "identity: put");
	ok(record_get(a, "_gid") != NULL && util_is_token(record_get(a, "_gid")),
	    "a new record gets a random global id");
	is_str(record_get(a, "_rev") != NULL ? "set" : NULL, "set",
	    "and a revision");
	ok(record_get(a, "_rev") != NULL && strncmp(record_get(a, "_rev"),
	    "1-", 2) == 0, "generation 1");
	gid = xstrdup(record_get(a, "_gid") ? record_get(a, "_gid") : "");
	is_int(store_find_gid(st, &member_form, gid, &id, &err), CX_OK,
	    "found by global id");
	ok(id == a->id, "to its local id");
	is_int(store_find_gid(st2, &member_form, gid, &id, &err), CX_NOTFOUND,
	    "not in the other directory");

	/* Two copies read at the same revision: the first save wins, the
	 * second is refused and writes nothing. */
	store_get(st, &member_form, a->id, &x, NULL);
	store_get(st, &member_form, a->id, &y, NULL);
	if (x == NULL || y == NULL) {
		ok(false, "identity: read");
		goto out2;
	}
	r1 = record_get(a, "_rev");
	record_set(x, "post", "科员");
	is_int(store_put(st, &member_form, x, &err), CX_OK, "first writer");
	ok(strncmp(record_get(x, "_rev"), "2-", 2) == 0, "generation 2");
	is_str(record_get(x, "_revs"), r1, "the old revision is its ancestor");
	is_str(record_get(x, "_gid"), gid, "a change keeps the global id");
	record_set(y, "note", "另一处的修改");
	free(err);
	err = NULL;
	is_int(store_put(st, &member_form, y, &err), CX_CONFLICT,
	    "second writer from a stale copy: conflict");
	ok(err != NULL && strstr(err, "在读取之后已被修改") != NULL,
	    "the message says so");
	is_str(record_get(y, "_rev"), r1, "the refused record keeps its revision");
	record_free(y);
	y = NULL;
	store_get(st, &member_form, a->id, &y, NULL);
	is_str(y != NULL ? record_get(y, "post") : NULL, "科员",
	    "first change kept");
	is_str(y != NULL ? record_get(y, "note") : NULL, NULL,
	    "second change not written");

	/* A save that changes nothing leaves the bytes as they were. */
	raw1 = raw_of(dir, "member", a->id);
	setenv("CXZY_NOW", NOW2, 1);
	is_int(store_put(st, &member_form, y, &err), CX_OK, "no-op save");
	raw2 = raw_of(dir, "member", a->id);
	ok(*raw1 != '\0' && strcmp(raw1, raw2) == 0,
	    "no-op save: stored bytes identical");
	is_str(record_get(y, "_modified"), NOW1, "no-op save: time unchanged");
	free(raw1);
	free(raw2);

	/* An old record (no global id) keeps an implicit one. */
	{
		struct record *old = record_new();
		char *want, *g;

		old->id = 77;
		g = store_record_gid(st, old);
		want = xasprintf("%s-77", origin);
		is_str(g, want, "implicit global id of an old record");
		is_int(store_find_gid(st, &member_form, want, &id, &err), CX_OK,
		    "implicit id found");
		ok(id == 77, "implicit id maps to its local id");
		free(want);
		free(g);
		record_free(old);
	}
	IS_STR_FREE(check_text(st), "", "identity: check clean");

	/* The origin survives reopening. */
	store_close(st);
	st = NULL;
	is_int(store_open(dir, &fs2, STORE_READONLY, NULL, &st, &err), CX_OK,
	    "identity: reopen read-only");
	is_str(st != NULL ? store_origin(st) : NULL, origin, "same origin");
out2:
	record_free(a);
	record_free(x);
	record_free(y);
	free(gid);
out:
	if (st != NULL)
		store_close(st);
	if (st2 != NULL)
		store_close(st2);
	free(err);
	free(dir);
	free(dir2);
}

static void
test_create_and_basics(void)
{
	char *dir = path_in("data"), *marker, *text = NULL, *err = NULL;
	char *want, *v = NULL;
	struct store *st = NULL;
	struct record *a, *b, *c, *got = NULL, *o;
	struct collect col;
	size_t i;

	setenv("CXZY_NOW", NOW1, 1);
	is_int(store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err), CX_OK,
	    "create a new data directory");
	is_str(err, NULL, "no message");
	if (st == NULL) {
		free(dir);
		free(err);
		return;
	}
	ok(!store_readonly(st), "writable");
	is_str(store_dir(st), dir, "store_dir");
	is_int(store_mapsize(st), 16 * 1024 * 1024, "default map is 16 MiB");
	IS_STR_FREE(list_dir(dir), "cxzy.marker,data.mdb,lock.mdb",
	    "marker and LMDB files created, nothing else");

	marker = xasprintf("%s/cxzy.marker", dir);
	util_read_file(marker, &text, NULL, NULL);
	want = xasprintf("cxzy data directory\nprogram %s\nformat %d\n"
	    "lmdb %d.%d.%d\npagesize %ld\nwordsize %d\nbyteorder little\n"
	    "created %s\n", PACKAGE_VERSION, STORE_FORMAT, MDB_VERSION_MAJOR,
	    MDB_VERSION_MINOR, MDB_VERSION_PATCH, sysconf(_SC_PAGESIZE),
	    (int)(8 * sizeof(void *)), NOW1);
	is_str(text, want, "marker contents");
	free(want);
	free(text);
	free(marker);

	is_int(store_meta_get(st, "format", &v, &err), CX_OK, "meta format");
	is_str(v, "1", "meta format is 1");
	free(v);
	store_meta_get(st, "created", &v, NULL);
	is_str(v, NOW1, "meta created");
	free(v);
	is_int(store_meta_get(st, "unit", &v, &err), CX_NOTFOUND,
	    "absent meta key is CX_NOTFOUND");
	ok(v == NULL && err == NULL, "no value and no message");
	is_int(store_meta_set(st, "unit", "某某机关党委", &err), CX_OK, "meta set");
	store_meta_get(st, "unit", &v, NULL);
	is_str(v, "某某机关党委", "meta get after set");
	free(v);

	/* Organisations, referenced by members. */
	o = record_new();
	record_set(o, "name", "第一党支部");
	record_set(o, "type", "branch");
	is_int(store_put(st, &org_form, o, &err), CX_OK, "put org");
	is_int(o->id, 1, "org id 1");
	is_int(o->form_version, 2, "form_version set from the form");
	record_free(o);
	o = record_new();
	record_set(o, "name", "第二党支部");
	record_set(o, "type", "branch");
	store_put(st, &org_form, o, NULL);
	is_int(o->id, 2, "org id 2 (own sequence per kind)");
	record_free(o);

	a = member("张三", "110101199001011234", "1");
	b = member("李四", "110101199202022345", "1");
	c = member("王五", "", "2");
	record_add_row(a, "items");
	record_set(record_row(a, "items", 0), "content", "带头学习");
	is_int(store_put(st, &member_form, a, &err), CX_OK, "put first member");
	is_str(err, NULL, "no message");
	is_int(store_put(st, &member_form, b, &err), CX_OK, "put second");
	is_int(store_put(st, &member_form, c, &err), CX_OK, "put third");
	is_int(a->id, 1, "ids given out: 1");
	is_int(b->id, 2, "ids given out: 2");
	is_int(c->id, 3, "ids given out: 3");
	is_str(record_get(a, "_created"), NOW1, "_created set");
	is_str(record_get(a, "_modified"), NOW1, "_modified set");
	is_int(a->form_version, 1, "form_version set");
	store_meta_get(st, "seq:member", &v, NULL);
	is_str(v, "3", "seq:member is 3");
	free(v);

	is_int(store_get(st, &member_form, 2, &got, &err), CX_OK, "get 2");
	if (got != NULL) {
		is_int(got->id, 2, "got id 2");
		is_str(record_get(got, "name"), "李四", "got name");
		is_str(record_get(got, "branch"), "1", "got ref");
		is_int(got->form_version, 1, "got form_version");
		ok(record_equal(got, b), "stored record equals what was put");
		record_free(got);
	}
	got = (struct record *)1;
	is_int(store_get(st, &member_form, 99, &got, &err), CX_NOTFOUND,
	    "get a missing id");
	ok(got == NULL && err == NULL, "nothing returned, no message");
	is_int(store_get(st, &member_form, 0, &got, &err), CX_NOTFOUND,
	    "get id 0");

	/* Update: the index entry moves. */
	IS_STR_FREE(find_text(st, &member_form, "name", "李四"), "2",
	    "find by name before update");
	setenv("CXZY_NOW", NOW2, 1);
	record_set(b, "name", "李四光");
	record_remove(b, "_created");
	is_int(store_put(st, &member_form, b, &err), CX_OK, "update 2");
	is_int(b->id, 2, "id unchanged by update");
	is_str(record_get(b, "_created"), NOW1, "_created kept from stored copy");
	is_str(record_get(b, "_modified"), NOW2, "_modified updated");
	IS_STR_FREE(find_text(st, &member_form, "name", "李四"), "",
	    "old value no longer found");
	IS_STR_FREE(find_text(st, &member_form, "name", "李四光"), "2",
	    "new value found");
	IS_STR_FREE(find_text(st, &member_form, "branch", "1"), "1,2",
	    "find by ref field");
	IS_STR_FREE(find_text(st, &member_form, "branch", "2"), "3",
	    "find by ref field (other value)");
	IS_STR_FREE(find_text(st, &member_form, "idno", ""), "",
	    "empty values are not indexed");
	IS_STR_FREE(find_text(st, &member_form, "note", "x"),
	    "error: 程序内部错误：党员记录的字段“note”没有索引，不能按它查找。",
	    "find by a field without index");
	IS_STR_FREE(find_text(st, &member_form, "items", "带头学习"),
	    "error: 程序内部错误：党员记录的字段“items”没有索引，不能按它查找。",
	    "rows fields are not indexed");
	IS_STR_FREE(find_text(st, &org_form, "name", "第二党支部"), "2",
	    "find by unique field");
	IS_STR_FREE(find_text(st, &org_form, "type", "branch"), "1,2",
	    "find by enum index");
	is_int(count_of(st, &member_form), 3, "count members");
	is_int(count_of(st, &org_form), 2, "count orgs");

	/* More records in one transaction for scanning. */
	{
		struct record *m[7];

		for (i = 0; i < 7; i++) {
			char name[32];

			snprintf(name, sizeof name, "成员%zu", i + 4);
			m[i] = member(name, NULL, "2");
		}
		is_int(store_put_many(st, &member_form, m, 7, &err), CX_OK,
		    "put_many 7");
		is_int(m[0]->id, 4, "put_many first id");
		is_int(m[6]->id, 10, "put_many last id");
		for (i = 0; i < 7; i++)
			record_free(m[i]);
	}
	memset(&col, 0, sizeof col);
	is_int(store_foreach(st, &member_form, collect_fn, &col, &err), CX_OK,
	    "foreach");
	IS_STR_FREE(ids_text(col.ids, col.n), "1,2,3,4,5,6,7,8,9,10",
	    "foreach in id order");
	ok(col.f == &member_form, "foreach passes the form");
	memset(&col, 0, sizeof col);
	col.stop_after = 2;
	store_foreach(st, &member_form, collect_fn, &col, NULL);
	is_int(col.n, 2, "callback can stop the iteration");

	IS_STR_FREE(scan_text(st, 0, 1, 3), "1,2,3", "scan forward from start");
	IS_STR_FREE(scan_text(st, 3, 1, 3), "4,5,6", "scan forward after 3");
	IS_STR_FREE(scan_text(st, 9, 1, 5), "10", "scan forward near end");
	IS_STR_FREE(scan_text(st, 10, 1, 5), "", "scan forward after last");
	IS_STR_FREE(scan_text(st, 0, -1, 3), "10,9,8", "scan backward from end");
	IS_STR_FREE(scan_text(st, 5, -1, 10), "4,3,2,1", "scan backward before 5");
	IS_STR_FREE(scan_text(st, 1, -1, 10), "", "scan backward before first");
	IS_STR_FREE(scan_text(st, 100, -1, 2), "10,9",
	    "scan backward from beyond the end");
	IS_STR_FREE(scan_text(st, 0, 1, 0), "1,2,3,4,5,6,7,8,9,10",
	    "max 0 means no limit");

	/* Delete to the recycle bin and restore. */
	is_int(store_delete(st, &member_form, 2, &err), CX_OK, "delete 2");
	is_str(err, NULL, "no message");
	is_int(store_get(st, &member_form, 2, &got, NULL), CX_NOTFOUND,
	    "deleted record is gone");
	is_int(count_of(st, &member_form), 9, "count after delete");
	IS_STR_FREE(find_text(st, &member_form, "name", "李四光"), "",
	    "index entry removed");
	IS_STR_FREE(find_text(st, &member_form, "branch", "1"), "1",
	    "ref index entry removed");
	memset(&col, 0, sizeof col);
	is_int(store_trash_foreach(st, collect_fn, &col, &err), CX_OK,
	    "trash_foreach");
	IS_STR_FREE(ids_text(col.ids, col.n), "2", "recycle bin holds 2");
	ok(col.f == &member_form, "trash passes the record's form");
	is_str(col.deleted, NOW2, "_deleted set in the bin");
	is_int(store_delete(st, &member_form, 2, &err), CX_NOTFOUND,
	    "deleting again finds nothing");
	is_int(store_delete(st, &member_form, 999, &err), CX_NOTFOUND,
	    "deleting a missing id");
	is_str(err, NULL, "no message for CX_NOTFOUND");

	is_int(store_restore(st, &member_form, 2, &err), CX_OK, "restore 2");
	got = NULL;
	is_int(store_get(st, &member_form, 2, &got, NULL), CX_OK, "restored");
	ok(got != NULL && record_get(got, "_deleted") == NULL,
	    "_deleted removed on restore");
	ok(got != NULL && same_but_rev(got, b), "restored record is unchanged");
	ok(got != NULL && !same(record_get(got, "_rev"), record_get(b, "_rev")),
	    "deletion and restore give new revisions");
	record_free(got);
	IS_STR_FREE(find_text(st, &member_form, "name", "李四光"), "2",
	    "index entry back");
	IS_STR_FREE(find_text(st, &member_form, "branch", "1"), "1,2",
	    "ref index entry back");
	memset(&col, 0, sizeof col);
	store_trash_foreach(st, collect_fn, &col, NULL);
	is_int(col.n, 0, "recycle bin empty");
	is_int(store_restore(st, &member_form, 2, &err), CX_NOTFOUND,
	    "restoring again finds nothing");

	/* Unique fields. */
	{
		struct record *d = member("赵六", "110101199001011234", NULL);
		struct record *e1, *e2, *pair[2];

		err = NULL;
		is_int(store_put(st, &member_form, d, &err), CX_ERR,
		    "unique violation");
		is_str(err, "“身份证号”为“110101199001011234”的记录已经存在（编号1）。",
		    "unique message");
		free(err);
		err = NULL;
		is_int(d->id, 0, "no id given out");
		is_int(count_of(st, &member_form), 10, "nothing stored");
		store_meta_get(st, "seq:member", &v, NULL);
		is_str(v, "10", "sequence unchanged");
		free(v);
		IS_STR_FREE(find_text(st, &member_form, "name", "赵六"), "",
		    "no index entry left behind");

		/* An update that would take another record's value. */
		record_set(c, "idno", "110101199202022345");
		is_int(store_put(st, &member_form, c, &err), CX_ERR,
		    "update into a unique value");
		is_str(err, "“身份证号”为“110101199202022345”的记录已经存在（编号2）。",
		    "unique message on update");
		free(err);
		err = NULL;
		store_get(st, &member_form, 3, &got, NULL);
		is_str(got ? record_get(got, "idno") : NULL, "",
		    "record 3 unchanged");
		record_free(got);
		/* Keeping its own value is fine. */
		record_set(a, "note", "更新备注");
		is_int(store_put(st, &member_form, a, &err), CX_OK,
		    "update keeping own unique value");

		/* Two new records with the same value in one batch. */
		e1 = member("甲", "X-1", NULL);
		e2 = member("乙", "X-1", NULL);
		pair[0] = e1;
		pair[1] = e2;
		is_int(store_put_many(st, &member_form, pair, 2, &err), CX_ERR,
		    "duplicate inside one batch");
		is_str(err, "“身份证号”为“X-1”的记录已经存在（编号11）。",
		    "batch message names the first");
		free(err);
		err = NULL;
		is_int(count_of(st, &member_form), 10, "none of the batch stored");
		ok(e1->id == 0 && e2->id == 0, "no ids given out");
		record_free(e1);
		record_free(e2);

		/* Restore blocked by a value taken while in the bin. */
		is_int(store_delete(st, &member_form, 1, &err), CX_OK, "delete 1");
		is_int(store_put(st, &member_form, d, &err), CX_OK,
		    "its value is free now");
		is_int(d->id, 11, "new id 11");
		is_int(store_restore(st, &member_form, 1, &err), CX_ERR,
		    "restore blocked");
		is_str(err, "无法恢复回收站中的党员记录（编号 1）：“身份证号”为"
		    "“110101199001011234”的记录已经存在（编号11）。"
		    "请先修改或删除那条记录。", "restore message");
		free(err);
		err = NULL;
		memset(&col, 0, sizeof col);
		store_trash_foreach(st, collect_fn, &col, NULL);
		IS_STR_FREE(ids_text(col.ids, col.n), "1", "still in the bin");
		record_set(d, "idno", "110101199001019999");
		store_put(st, &member_form, d, NULL);
		is_int(store_restore(st, &member_form, 1, &err), CX_OK,
		    "restore after the conflict is gone");
		IS_STR_FREE(find_text(st, &member_form, "idno",
		    "110101199001011234"), "1", "unique index back");
		record_free(d);
	}

	/* Long values: keys are cut, look-ups still exact. */
	{
		struct buf l1, l2;
		struct record *x, *y, *z;

		buf_init(&l1);
		for (i = 0; i < 150; i++)
			buf_addstr(&l1, "长");
		buf_init(&l2);
		buf_addstr(&l2, l1.s);
		buf_addstr(&l1, "甲");
		buf_addstr(&l2, "乙");
		x = member(l1.s, l1.s, NULL);
		y = member(l2.s, l2.s, NULL);
		z = member("丙", l1.s, NULL);
		is_int(store_put(st, &member_form, x, &err), CX_OK, "long value 1");
		is_int(store_put(st, &member_form, y, &err), CX_OK,
		    "long value 2 sharing the first 400 bytes is unique");
		want = xasprintf("%llu", (unsigned long long)x->id);
		IS_STR_FREE(find_text(st, &member_form, "name", l1.s), want,
		    "find long value 1");
		free(want);
		want = xasprintf("%llu", (unsigned long long)y->id);
		IS_STR_FREE(find_text(st, &member_form, "name", l2.s), want,
		    "find long value 2");
		free(want);
		is_int(store_put(st, &member_form, z, &err), CX_ERR,
		    "long duplicate caught");
		want = xasprintf("“身份证号”为“%s”的记录已经存在（编号%llu）。",
		    l1.s, (unsigned long long)x->id);
		is_str(err, want, "long duplicate message");
		free(want);
		free(err);
		err = NULL;
		record_free(x);
		record_free(y);
		record_free(z);
		buf_free(&l1);
		buf_free(&l2);
	}

	IS_STR_FREE(check_text(st), "", "store_check finds nothing");
	store_close(st);
	st = NULL;

	/* Persistence. */
	is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK, "reopen");
	if (st != NULL) {
		is_int(count_of(st, &member_form), 13, "count after reopen");
		store_get(st, &member_form, 2, &got, NULL);
		ok(got != NULL && same_but_rev(got, b), "record 2 after reopen");
		record_free(got);
		store_meta_get(st, "unit", &v, NULL);
		is_str(v, "某某机关党委", "meta after reopen");
		free(v);
		IS_STR_FREE(find_text(st, &member_form, "name", "李四光"), "2",
		    "index after reopen");
		got = member("新人", NULL, NULL);
		store_put(st, &member_form, got, NULL);
		is_int(got->id, 14, "ids continue after reopen");
		record_free(got);
		IS_STR_FREE(check_text(st), "", "check after reopen");
		store_close(st);
	}
	if (access("/usr/bin/mdb_stat", X_OK) == 0) {
		char *cmd = xasprintf("/usr/bin/mdb_stat -a '%s' >/dev/null 2>&1",
		    dir);

		is_int(system(cmd), 0, "mdb_stat -a reads the environment");
		free(cmd);
	} else
		ok(1, "# SKIP mdb_stat not installed");

	record_free(a);
	record_free(b);
	record_free(c);
	free(dir);
}

struct notecheck {
	size_t	n;
	size_t	bad;
};

static int
notecheck_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct notecheck *nc = arg;
	const char *note = record_get(rec, "note");
	char head[32];

	(void)f;
	snprintf(head, sizeof head, "第%llu条", (unsigned long long)rec->id);
	if (note == NULL || strncmp(note, head, strlen(head)) != 0 ||
	    strlen(note) < 2000)
		nc->bad++;
	nc->n++;
	return 0;
}

static struct record *
big_member(size_t i)
{
	struct record *r = record_new();
	struct buf b;
	char name[32];

	snprintf(name, sizeof name, "成员%zu", i);
	record_set(r, "name", name);
	buf_init(&b);
	buf_addf(&b, "第%zu条", i);
	while (b.len < 2000)
		buf_addstr(&b, "认真学习党的理论，");
	record_set_take(r, "note", buf_take(&b));
	return r;
}

static void
test_map_growth(void)
{
	char *dir = path_in("grow"), *err = NULL;
	struct store_options opts = { 64 * 1024, 0 };
	struct store *st = NULL;
	struct notecheck nc = { 0, 0 };
	struct record *batch[500];
	size_t i, j, failed = 0;

	is_int(store_open(dir, &fs2, STORE_CREATE, &opts, &st, &err), CX_OK,
	    "open with a 64 KiB map");
	if (st == NULL)
		goto out;
	is_int(store_mapsize(st), 64 * 1024, "map starts at 64 KiB");
	for (i = 1; i <= 1000; i++) {
		struct record *r = big_member(i);

		if (store_put(st, &member_form, r, &err) != CX_OK)
			failed++;
		record_free(r);
	}
	is_int(failed, 0, "1000 single puts of 2 KB");
	for (j = 0; j < 4; j++) {
		for (i = 0; i < 500; i++)
			batch[i] = big_member(1001 + j * 500 + i);
		if (store_put_many(st, &member_form, batch, 500, &err) != CX_OK)
			failed++;
		for (i = 0; i < 500; i++)
			record_free(batch[i]);
	}
	is_int(failed, 0, "2000 more in batches of 500");
	is_str(err, NULL, "no message");
	ok(store_mapsize(st) >= 8 * 1024 * 1024, "map grew to %zu bytes",
	    store_mapsize(st));
	ok(store_mapsize(st) % (64 * 1024) == 0, "map a multiple of 64 KiB");
	is_int(count_of(st, &member_form), 3000, "3000 records");
	store_foreach(st, &member_form, notecheck_fn, &nc, NULL);
	is_int(nc.n, 3000, "all read back");
	is_int(nc.bad, 0, "all intact");
	IS_STR_FREE(find_text(st, &member_form, "name", "成员2999"), "2999",
	    "index works after growth");
	store_close(st);
	st = NULL;

	/* Reopening with a smaller request keeps the grown size. */
	is_int(store_open(dir, &fs2, 0, &opts, &st, &err), CX_OK, "reopen");
	if (st != NULL) {
		ok(store_mapsize(st) >= 6 * 1024 * 1024,
		    "stored map size adopted (%zu)", store_mapsize(st));
		store_close(st);
		st = NULL;
	}

	/* A cap. */
	remove_tree(dir);
	opts.max_mapsize = 1024 * 1024;
	is_int(store_open(dir, &fs2, STORE_CREATE, &opts, &st, &err), CX_OK,
	    "open with a 1 MiB cap");
	if (st == NULL)
		goto out;
	for (i = 1; i <= 2000; i++) {
		struct record *r = big_member(i);

		if (store_put(st, &member_form, r, &err) != CX_OK) {
			is_int(r->id, 0, "failed put gives no id");
			record_free(r);
			break;
		}
		record_free(r);
	}
	ok(i > 100 && i < 2000, "cap reached after %zu records", i - 1);
	is_str(err, "数据已达到允许的上限（1 MiB），刚才的修改没有保存。"
	    "请把数据目录复制到空间更大的磁盘上再使用。", "cap message");
	free(err);
	err = NULL;
	is_int(count_of(st, &member_form), i - 1, "stored before the cap");
	is_int(store_mapsize(st), 1024 * 1024, "map at the cap");
	IS_STR_FREE(check_text(st), "", "consistent at the cap");
	store_close(st);
out:
	free(err);
	free(dir);
}

/* Flips one byte of every occurrence of needle in a file. */
static int
corrupt_file(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len, nlen = strlen(needle), i;
	int hits = 0;
	FILE *f;

	if (util_read_file(path, &data, &len, NULL) != CX_OK)
		return 0;
	for (i = 0; i + nlen <= len; i++) {
		if (memcmp(data + i, needle, nlen) == 0) {
			data[i + nlen / 2] ^= 0x01;
			hits++;
		}
	}
	f = fopen(path, "r+b");
	if (f != NULL) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
	free(data);
	return hits;
}

static void
test_damage(void)
{
	char *dir = path_in("damage"), *err = NULL, *mdb;
	struct store *st = NULL;
	struct record *r, *got = NULL;
	struct collect col;

	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open for damage test: %s", err);
		goto out;
	}
	r = member("孙七", "D-1", NULL);
	record_set(r, "note", "UNIQUE-MARKER-7f3a9c");
	store_put(st, &member_form, r, NULL);
	record_free(r);
	r = member("周八", "D-2", NULL);
	store_put(st, &member_form, r, NULL);
	record_free(r);
	store_close(st);
	st = NULL;

	mdb = xasprintf("%s/data.mdb", dir);
	ok(corrupt_file(mdb, "UNIQUE-MARKER-7f3a9c") >= 1,
	    "flipped a byte inside record 1 in data.mdb");
	free(mdb);

	is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK,
	    "reopen a damaged store");
	if (st == NULL)
		goto out;
	is_int(store_get(st, &member_form, 1, &got, &err), CX_ERR,
	    "get of the damaged record fails");
	ok(got == NULL, "no record returned");
	is_str(err, "党员记录（编号 1）已损坏：校验和不符。请运行“cxzy check”"
	    "查看损坏情况，并从备份恢复。", "damage message");
	free(err);
	err = NULL;
	is_int(store_get(st, &member_form, 2, &got, &err), CX_OK,
	    "the other record reads");
	record_free(got);
	memset(&col, 0, sizeof col);
	is_int(store_foreach(st, &member_form, collect_fn, &col, &err), CX_ERR,
	    "foreach stops at the damage");
	is_str(err, "党员记录（编号 1）已损坏：校验和不符。请运行“cxzy check”"
	    "查看损坏情况，并从备份恢复。", "foreach damage message");
	free(err);
	err = NULL;
	IS_STR_FREE(check_text(st), "党员 编号 1：校验和不符",
	    "store_check reports it");
	is_int(store_delete(st, &member_form, 1, &err), CX_ERR,
	    "a damaged record cannot be moved to the bin");
	free(err);
	err = NULL;

	/* Writing a good copy over it repairs it, stale index entries
	 * included. */
	r = member("孙七七", "D-1b", NULL);
	r->id = 1;
	is_int(store_put(st, &member_form, r, &err), CX_OK, "overwrite damage");
	record_free(r);
	IS_STR_FREE(find_text(st, &member_form, "name", "孙七"), "",
	    "stale index entry purged");
	IS_STR_FREE(find_text(st, &member_form, "idno", "D-1"), "",
	    "stale unique entry purged");
	IS_STR_FREE(check_text(st), "", "clean after the repair");
	store_close(st);
out:
	free(err);
	free(dir);
}

static void
test_readonly(void)
{
	char *dir = path_in("data"), *err = NULL, *before, *after;
	struct store *st = NULL;
	struct record *r, *got = NULL;
	struct collect col;
	char *v = NULL;

	before = list_dir(dir);
	is_int(store_open(dir, &fs3, STORE_READONLY, NULL, &st, &err), CX_OK,
	    "open read-only");
	if (st == NULL)
		goto out;
	ok(store_readonly(st), "store_readonly");
	is_int(store_get(st, &member_form, 2, &got, &err), CX_OK, "get works");
	is_str(got ? record_get(got, "name") : NULL, "李四光", "value read");
	record_free(got);
	is_int(count_of(st, &member_form), 14, "count works");
	IS_STR_FREE(find_text(st, &member_form, "name", "李四光"), "2",
	    "find works");
	store_meta_get(st, "unit", &v, NULL);
	is_str(v, "某某机关党委", "meta works");
	free(v);
	is_int(count_of(st, &extra_form), 0, "a kind without a database is empty");
	is_int(store_get(st, &extra_form, 1, &got, &err), CX_NOTFOUND,
	    "get of a kind without a database");
	IS_STR_FREE(find_text(st, &extra_form, "title", "x"), "",
	    "find in a kind without a database");
	memset(&col, 0, sizeof col);
	is_int(store_foreach(st, &extra_form, collect_fn, &col, &err), CX_OK,
	    "foreach of a kind without a database");
	is_int(col.n, 0, "nothing");

	r = member("钱九", NULL, NULL);
	is_int(store_put(st, &member_form, r, &err), CX_ERR, "put refused");
	is_str(err, RO_MSG, "read-only message for put");
	free(err);
	err = NULL;
	is_int(store_delete(st, &member_form, 2, &err), CX_ERR, "delete refused");
	is_str(err, RO_MSG, "read-only message for delete");
	free(err);
	err = NULL;
	is_int(store_meta_set(st, "unit", "x", &err), CX_ERR, "meta_set refused");
	is_str(err, RO_MSG, "read-only message for meta_set");
	free(err);
	err = NULL;
	IS_STR_FREE(check_text(st), "", "check works read-only");
	store_close(st);
	st = NULL;
	after = list_dir(dir);
	is_str(after, before, "read-only open created no files");
	free(after);

	if (geteuid() != 0) {
		chmod(dir, 0555);
		is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK,
		    "open a directory without write permission");
		if (st != NULL) {
			ok(store_readonly(st), "opened read-only by itself");
			is_int(store_get(st, &member_form, 2, &got, &err), CX_OK,
			    "reads work");
			record_free(got);
			is_int(store_put(st, &member_form, r, &err), CX_ERR,
			    "put refused");
			is_str(err, RO_MSG, "read-only message");
			free(err);
			err = NULL;
			store_close(st);
		}
		chmod(dir, 0755);
	} else {
		ok(1, "# SKIP running as root: chmod does not stop writes");
		ok(1, "# SKIP");
		ok(1, "# SKIP");
		ok(1, "# SKIP");
		ok(1, "# SKIP");
	}
	record_free(r);
	free(before);
out:
	free(err);
	free(dir);
}

/* Opens dir expecting failure; checks the message and that the directory
 * listing did not change. */
static void
refuse(const char *dir, int flags, const char *want, const char *what)
{
	struct store *st = NULL;
	char *err = NULL, *before = list_dir(dir), *after;

	is_int(store_open(dir, &fs2, flags, NULL, &st, &err), CX_ERR, "%s", what);
	ok(st == NULL, "%s: no store", what);
	is_str(err, want, "%s: message", what);
	after = list_dir(dir);
	is_str(after, before, "%s: nothing created or changed", what);
	free(after);
	free(before);
	free(err);
	store_close(st);
}

static char *
good_marker(const char *replace_key, const char *value)
{
	const char *keys[] = { "program", "format", "lmdb", "pagesize",
	    "wordsize", "byteorder", "created" };
	char *vals[7];
	struct buf b;
	size_t i;

	vals[0] = xstrdup(PACKAGE_VERSION);
	vals[1] = xasprintf("%d", STORE_FORMAT);
	vals[2] = xasprintf("%d.%d.%d", MDB_VERSION_MAJOR, MDB_VERSION_MINOR,
	    MDB_VERSION_PATCH);
	vals[3] = xasprintf("%ld", sysconf(_SC_PAGESIZE));
	vals[4] = xasprintf("%d", (int)(8 * sizeof(void *)));
	vals[5] = xstrdup("little");
	vals[6] = xstrdup(NOW1);
	buf_init(&b);
	buf_addstr(&b, "cxzy data directory\n");
	for (i = 0; i < 7; i++) {
		if (replace_key != NULL && strcmp(keys[i], replace_key) == 0) {
			if (value != NULL)
				buf_addf(&b, "%s %s\n", keys[i], value);
		} else
			buf_addf(&b, "%s %s\n", keys[i], vals[i]);
		free(vals[i]);
	}
	return buf_take(&b);
}

static void
marker_case(const char *name, const char *key, const char *value,
    const char *want_fmt)
{
	char *dir = path_in(name), *marker, *text, *want;

	mkdir(dir, 0755);
	marker = xasprintf("%s/cxzy.marker", dir);
	text = good_marker(key, value);
	write_file(marker, text);
	want = xasprintf(want_fmt, dir);
	refuse(dir, STORE_CREATE, want, name);
	free(want);
	free(text);
	free(marker);
	free(dir);
}

static void
test_markers(void)
{
	char *dir, *want, *p;
	struct store *st = NULL;
	char *err = NULL;

	dir = path_in("missing");
	want = xasprintf("数据目录“%s”不存在。请检查 U 盘是否已插好，或用 --data "
	    "指定数据目录。", dir);
	refuse(dir, 0, want, "missing directory");
	free(want);
	free(dir);

	dir = path_in("foreign");
	mkdir(dir, 0755);
	p = xasprintf("%s/hello.txt", dir);
	write_file(p, "你好\n");
	free(p);
	want = xasprintf("目录“%s”里已有别的文件，不是 cxzy 的数据目录（缺少 "
	    "cxzy.marker）。为免弄乱这些文件，cxzy 不会在这里建立数据。"
	    "请另选一个空目录。", dir);
	refuse(dir, STORE_CREATE, want, "non-empty foreign directory");
	free(want);
	free(dir);

	dir = path_in("lmdbonly");
	mkdir(dir, 0755);
	p = xasprintf("%s/data.mdb", dir);
	write_file(p, "");
	free(p);
	want = xasprintf("“%s”不是 cxzy 的数据目录（缺少 cxzy.marker）。如果这是"
	    "别的程序的数据，请另选一个目录；如果确是 cxzy 的数据，请从备份"
	    "恢复。", dir);
	refuse(dir, STORE_CREATE, want, "data.mdb without marker");
	free(want);
	free(dir);

	dir = path_in("empty");
	mkdir(dir, 0755);
	want = xasprintf("数据目录“%s”是空的，还没有 cxzy 的数据。请先建立数据"
	    "目录，或用 --data 指定已有的数据目录。", dir);
	refuse(dir, 0, want, "empty directory without STORE_CREATE");
	free(want);
	free(dir);

	p = xasprintf("数据目录“%%s”是较新版本的 cxzy 建立的（数据格式 99），"
	    "本程序（cxzy %s）只能读取数据格式 %d。请使用较新版本的 cxzy。",
	    PACKAGE_VERSION, STORE_FORMAT);
	marker_case("format99", "format", "99", p);
	free(p);
	p = xasprintf("数据目录“%%s”是用 LMDB 1.0.0 写的，本程序使用的 LMDB "
	    "%d.%d.%d 不能读取这种格式。请在使用 LMDB 1.0 的电脑上用 cxzy "
	    "导出数据，再在这里导入。", MDB_VERSION_MAJOR, MDB_VERSION_MINOR,
	    MDB_VERSION_PATCH);
	marker_case("lmdb10", "lmdb", "1.0.0", p);
	free(p);
	marker_case("word32", "wordsize", "32", "数据目录“%s”是在 32 位系统上"
	    "建立的，本程序是 64 位的，数据文件不能在两者之间直接使用。请在原来"
	    "的电脑上用 cxzy 导出数据，再在这里导入。");
	marker_case("bigendian", "byteorder", "big", "数据目录“%s”是在字节序为 "
	    "big-endian 的电脑上建立的，本程序所在的电脑是 little-endian，数据"
	    "文件不能在两者之间直接使用。请在原来的电脑上用 cxzy 导出数据，再在"
	    "这里导入。");
	marker_case("noformat", "format", NULL, "数据目录“%s”中的 cxzy.marker "
	    "已损坏或无法识别（缺少“format”一行）。请从备份恢复数据目录。");

	dir = path_in("garbled");
	mkdir(dir, 0755);
	p = xasprintf("%s/cxzy.marker", dir);
	write_file(p, "\x89PNG garbage\n");
	free(p);
	want = xasprintf("数据目录“%s”中的 cxzy.marker 已损坏或无法识别（第一行"
	    "不对）。请从备份恢复数据目录。", dir);
	refuse(dir, STORE_CREATE, want, "garbled marker");
	free(want);
	free(dir);

	/* A different page size is fine: LMDB keeps it in the file. */
	dir = path_in("pagesize");
	mkdir(dir, 0755);
	p = xasprintf("%s/cxzy.marker", dir);
	want = good_marker("pagesize", "65536");
	write_file(p, want);
	free(want);
	free(p);
	is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK,
	    "a marker with another page size opens");
	store_close(st);
	st = NULL;
	free(err);
	err = NULL;
	free(dir);

	/* A newer format recorded in meta. */
	dir = path_in("metafmt");
	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, NULL) == CX_OK) {
		store_meta_set(st, "format", "2", NULL);
		store_close(st);
		st = NULL;
		want = xasprintf("数据目录“%s”是较新版本的 cxzy 建立的（数据格式 2），"
		    "本程序（cxzy %s）只能读取数据格式 %d。请使用较新版本的 cxzy。",
		    dir, PACKAGE_VERSION, STORE_FORMAT);
		refuse(dir, 0, want, "meta format 2");
		free(want);
	}
	free(dir);

	/* Not a directory. */
	dir = path_in("plainfile");
	write_file(dir, "x");
	want = xasprintf("“%s”不是目录。请用 --data 指定数据目录。", dir);
	is_int(store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err), CX_ERR,
	    "a plain file");
	is_str(err, want, "plain file message");
	free(want);
	free(err);
	free(dir);
}

/* A field that gains an index gets it filled from the stored records. */
static void
test_new_index(void)
{
	char *dir = path_in("newidx"), *err = NULL;
	struct store *st = NULL;
	struct record *r;
	size_t i;

	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open: %s", err);
		goto out;
	}
	for (i = 0; i < 5; i++) {
		r = member(i % 2 ? "单" : "双", NULL, NULL);
		record_set(r, "note", i % 2 ? "odd" : "even");
		store_put(st, &member_form, r, NULL);
		record_free(r);
	}
	store_close(st);
	st = NULL;

	member_fields[3].index = true;
	is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK,
	    "reopen with a new index");
	if (st != NULL) {
		IS_STR_FREE(find_text(st, &member_form, "note", "even"), "1,3,5",
		    "new index filled from stored records");
		IS_STR_FREE(check_text(st), "", "check is clean");
		/* An explicit id (as an import gives) moves the sequence. */
		r = member("导入", NULL, NULL);
		r->id = 50;
		is_int(store_put(st, &member_form, r, &err), CX_OK,
		    "put with an explicit id");
		record_free(r);
		r = member("新", NULL, NULL);
		store_put(st, &member_form, r, NULL);
		is_int(r->id, 51, "next id follows the explicit one");
		record_free(r);
		IS_STR_FREE(scan_text(st, 0, -1, 3), "51,50,5",
		    "scan over the gap");
		store_close(st);
	}
	member_fields[3].index = false;
out:
	free(err);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* Index scans                                                         */
/* ------------------------------------------------------------------ */

#define IS_STR_FREE2(expr, want, ...) do {				\
	char *g2_ = (expr), *w2_ = (want);				\
	is_str(g2_, w2_, __VA_ARGS__);					\
	free(g2_);							\
	free(w2_);							\
} while (0)

/* What a walk saw: "key#id" joined by commas. */
struct iwalk {
	struct buf	 text;
	size_t		 n;
	char		*last_key;
	uint64_t	 last_id;
	const char	*field;
	size_t		 badkey;	/* key differs from the record's value */
	size_t		 stop_after;	/* 0 = never */
	struct store	*st;		/* set: read each record again */
	size_t		 nested_ok;
};

static void
iwalk_init(struct iwalk *w, const char *field)
{
	memset(w, 0, sizeof *w);
	buf_init(&w->text);
	buf_add(&w->text, "", 0);
	w->field = field;
}

static int
iwalk_fn(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	struct iwalk *w = arg;
	const char *v = record_get(rec, w->field);

	(void)f;
	buf_addf(&w->text, "%s%s#%llu", w->n ? "," : "", key,
	    (unsigned long long)rec->id);
	w->n++;
	free(w->last_key);
	w->last_key = xstrdup(key);
	w->last_id = rec->id;
	if (v == NULL || strncmp(v, key, strlen(key)) != 0 ||
	    (strlen(v) <= STORE_INDEX_KEY_MAX && strcmp(v, key) != 0))
		w->badkey++;
	if (w->st != NULL) {
		struct record *again = NULL;

		if (store_get(w->st, f, rec->id, &again, NULL) == CX_OK &&
		    record_equal(again, rec))
			w->nested_ok++;
		record_free(again);
	}
	return w->stop_after != 0 && w->n >= w->stop_after;
}

static void
iwalk_free(struct iwalk *w)
{
	buf_free(&w->text);
	free(w->last_key);
}

/* One store_index_scan on member_form, as text ("error: …" on failure). */
static char *
iscan_text(struct store *st, const char *field, const char *value,
    uint64_t id, int flags, int dir, size_t max)
{
	struct iwalk w;
	char *err = NULL, *s;

	iwalk_init(&w, field);
	if (store_index_scan(st, &member_form, field, value, id, flags, dir,
	    max, iwalk_fn, &w, &err) != CX_OK) {
		s = xasprintf("error: %s", err);
		free(err);
		iwalk_free(&w);
		return s;
	}
	if (w.badkey != 0)
		s = xstrdup("key differs from the record");
	else
		s = buf_take(&w.text);
	iwalk_free(&w);
	return s;
}

/* Pages through an index the way a list does: each page starts from the
 * last row of the one before.  Returns everything seen and the number of
 * calls in *calls. */
static char *
page_all(struct store *st, const char *field, const char *value,
    uint64_t id, int flags, int dir, size_t max, size_t *calls)
{
	struct iwalk w;
	struct buf all;
	char *pos = value != NULL ? xstrdup(value) : NULL;
	size_t got;

	buf_init(&all);
	buf_add(&all, "", 0);
	*calls = 0;
	for (;;) {
		iwalk_init(&w, field);
		if (store_index_scan(st, &member_form, field, pos, id, flags,
		    dir, max, iwalk_fn, &w, NULL) != CX_OK) {
			iwalk_free(&w);
			buf_free(&all);
			free(pos);
			return xstrdup("error");
		}
		(*calls)++;
		got = w.n;
		if (got > 0) {
			buf_addf(&all, "%s%s", all.len ? "," : "", w.text.s);
			if (!(flags & STORE_SCAN_EXACT)) {
				free(pos);
				pos = xstrdup(w.last_key);
			}
			id = w.last_id;
		}
		iwalk_free(&w);
		if (got < max || *calls > 10000)
			break;
	}
	free(pos);
	return buf_take(&all);
}

/* The model of the roster: what the index should hold. */
struct ment {
	char		*name;
	char		 branch[4];
	uint64_t	 id;
	bool		 live;
};

static struct ment *model;
static size_t nmodel;
static struct ment **sorted;	/* live entries with a name, (name, id) */
static size_t nsorted;

static int
ment_cmp(const void *a, const void *b)
{
	const struct ment *x = *(const struct ment *const *)a;
	const struct ment *y = *(const struct ment *const *)b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
model_sort(void)
{
	size_t i;

	free(sorted);
	sorted = xcalloc(nmodel + 1, sizeof *sorted);
	nsorted = 0;
	for (i = 0; i < nmodel; i++)
		if (model[i].live && model[i].name[0] != '\0')
			sorted[nsorted++] = &model[i];
	qsort(sorted, nsorted, sizeof *sorted, ment_cmp);
}

static bool
starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Whether e lies after the position (v, id) in index order, as store.h
 * defines it. */
static bool
model_after(const struct ment *e, const char *v, uint64_t id, int flags)
{
	int c = strcmp(e->name, v);

	if (id == STORE_ID_END) {
		if (flags & STORE_SCAN_PREFIX)
			return c > 0 && !starts_with(e->name, v);
		return c > 0;
	}
	return c > 0 || (c == 0 && e->id > id);
}

static bool
model_before(const struct ment *e, const char *v, uint64_t id, int flags)
{
	int c = strcmp(e->name, v);

	if (id == STORE_ID_END) {
		if (flags & STORE_SCAN_PREFIX)
			return c < 0 || starts_with(e->name, v);
		return c <= 0;
	}
	return c < 0 || (c == 0 && e->id < id);
}

/* The oracle: a linear walk over the sorted model by the rules in
 * store.h.  field "name" or "branch". */
static char *
model_scan(const char *field, const char *value, uint64_t id, int flags,
    int dir, size_t max)
{
	struct ment **v = sorted, **bysort = NULL;
	struct buf b;
	size_t i, n = 0, cnt = nsorted;

	if (strcmp(field, "branch") == 0) {
		/* Re-key the model by branch. */
		bysort = xcalloc(nmodel + 1, sizeof *bysort);
		cnt = 0;
		for (i = 0; i < nmodel; i++) {
			if (!model[i].live || model[i].branch[0] == '\0')
				continue;
			bysort[cnt] = xmalloc(sizeof **bysort);
			*bysort[cnt] = model[i];
			bysort[cnt]->name = model[i].branch;
			cnt++;
		}
		qsort(bysort, cnt, sizeof *bysort, ment_cmp);
		v = bysort;
	}
	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < cnt; i++) {
		const struct ment *e = v[dir < 0 ? cnt - 1 - i : i];

		if (value != NULL && !(dir < 0 ? model_before(e, value, id,
		    flags) : model_after(e, value, id, flags)))
			continue;
		if (((flags & STORE_SCAN_EXACT) && strcmp(e->name, value) != 0) ||
		    ((flags & STORE_SCAN_PREFIX) && !starts_with(e->name, value)))
			break;
		buf_addf(&b, "%s%s#%llu", n ? "," : "", e->name,
		    (unsigned long long)e->id);
		if (max != 0 && ++n >= max)
			break;
		n += max == 0;
	}
	if (bysort != NULL) {
		for (i = 0; i < cnt; i++)
			free(bysort[i]);
		free(bysort);
	}
	return buf_take(&b);
}

/* "key#id" of sorted entries [from, to) in the given direction. */
static char *
model_range(size_t from, size_t to, int dir)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = from; i < to; i++) {
		const struct ment *e = sorted[dir < 0 ? to - 1 - (i - from) : i];

		buf_addf(&b, "%s%s#%llu", i > from ? "," : "", e->name,
		    (unsigned long long)e->id);
	}
	return buf_take(&b);
}

static size_t
model_find(const char *name)
{
	size_t i;

	for (i = 0; i < nsorted; i++)
		if (strcmp(sorted[i]->name, name) == 0)
			return i;
	return nsorted;
}

static const char *roster_names[] = {
	"张三", "张三丰", "张伟", "李四", "李四光", "王五", "张三", "张",
	"张三三", "李", "赵六", "张三丰", "张三", "王", "李四"
};

/* Name of roster record i (1-based): shared prefixes, repeats, a few
 * unique names and a few empty ones. */
static char *
roster_name(size_t i)
{
	size_t nn = sizeof roster_names / sizeof roster_names[0];
	const char *base = roster_names[(i * 7 + i / 13) % nn];

	if (i % 50 == 7)
		return xstrdup("");
	if (i % 97 == 0)
		return xasprintf("独%zu", i);
	if (i % 5 == 0)
		return xasprintf("%s%zu", base, i % 17);
	return xstrdup(base);
}

static char *
index_count_text(struct store *st, const char *field, const char *value)
{
	char *err = NULL, *s;
	size_t n = 12345;

	if (store_index_count(st, &member_form, field, value, &n,
	    &err) != CX_OK) {
		s = xasprintf("error: %s", err);
		free(err);
		return s;
	}
	return xasprintf("%zu", n);
}

static size_t
find_count(struct store *st, const char *field, const char *value)
{
	uint64_t *ids = NULL;
	size_t n = 99999;

	store_find(st, &member_form, field, value, &ids, &n, NULL);
	free(ids);
	return n;
}

/* Random positions against the oracle: keys and ids of entries, their
 * neighbours, ids 0 and STORE_ID_END, prefixes, deleted records. */
static void
index_oracle(struct store *st, const char *what)
{
	static const char *probes[] = {
		"张", "张三", "张二", "李", "李三", "王五", "赵", "独", "",
		"\xef\xbf\xbf", "1", "4", "7", "8", "0", "张三丰1"
	};
	const char *fields[] = { "name", "branch" };
	size_t t, bad = 0, total = 0, i;
	unsigned seed = 12345;

	for (t = 0; t < 1500; t++) {
		const char *field = fields[t % 2];
		const char *value;
		char *got, *want, buf8[8];
		uint64_t id;
		int flags, dir;
		size_t max;

		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % nmodel;
		switch ((seed >> 4) % 4) {
		case 0:
			value = probes[(seed >> 12) % (sizeof probes /
			    sizeof probes[0])];
			break;
		case 1:
			value = NULL;
			break;
		default:
			value = strcmp(field, "name") == 0 ? model[i].name :
			    model[i].branch;
			break;
		}
		if (value != NULL && strcmp(field, "branch") == 0 &&
		    value[0] != '\0' && value == model[i].branch) {
			snprintf(buf8, sizeof buf8, "%s", model[i].branch);
			value = buf8;
		}
		switch ((seed >> 16) % 6) {
		case 0:
			id = 0;
			break;
		case 1:
			id = STORE_ID_END;
			break;
		case 2:
			id = model[i].id + 1;
			break;
		case 3:
			id = model[i].id > 0 ? model[i].id - 1 : 0;
			break;
		default:
			id = model[i].id;
			break;
		}
		flags = (seed >> 20) % 3;	/* 0, EXACT, PREFIX */
		if (value == NULL)
			flags = 0;
		dir = (seed >> 22) % 2 ? 1 : -1;
		max = (seed >> 23) % 4 == 0 ? 0 : 1 + (seed >> 25) % 9;
		got = iscan_text(st, field, value, id, flags, dir, max);
		want = model_scan(field, value, id, flags, dir, max);
		total++;
		if (strcmp(got, want) != 0) {
			if (bad++ < 3) {
				printf("# %s (%s, %llu, flags %d, dir %d, max %zu)\n"
				    "#   got  %.300s\n#   want %.300s\n", field,
				    value ? value : "NULL", (unsigned long long)id,
				    flags, dir, max, got, want);
			}
		}
		free(got);
		free(want);
	}
	ok(bad == 0, "%s: %zu random scans agree with the model (%zu differ)",
	    what, total, bad);
}

static void
test_index_scan(void)
{
	char *dir = path_in("iscan"), *err = NULL, *s, *want, *fwd, *back;
	struct store *st = NULL;
	struct record **recs;
	struct iwalk w;
	size_t i, calls, n, mid, pos;
	const size_t N = 800;
	uint64_t id;

	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open: %s", err);
		goto out;
	}
	model = xcalloc(N, sizeof *model);
	nmodel = N;
	recs = xcalloc(N, sizeof *recs);
	for (i = 0; i < N; i++) {
		struct ment *m = &model[i];

		m->name = roster_name(i + 1);
		/* Half in branch 1, enough for LMDB to keep its ids in a
		 * sub-database of their own; the rest over 2…7. */
		snprintf(m->branch, sizeof m->branch, "%zu",
		    i % 2 == 0 ? (size_t)1 : (i / 2) % 6 + 2);
		m->live = true;
		recs[i] = member(m->name, NULL, m->branch);
	}
	is_int(store_put_many(st, &member_form, recs, N, &err), CX_OK,
	    "put %zu roster records", N);
	for (i = 0; i < N; i++) {
		model[i].id = recs[i]->id;
		record_free(recs[i]);
	}
	free(recs);
	model_sort();
	is_int(model[0].id, 1, "ids 1…");
	is_int(nsorted, N - 16, "16 of them have an empty name");

	/* Which fields have indexes. */
	ok(store_field_indexed(st, &member_form, "name"), "name is indexed");
	ok(store_field_indexed(st, &member_form, "idno"), "unique is indexed");
	ok(store_field_indexed(st, &member_form, "branch"), "ref is indexed");
	ok(!store_field_indexed(st, &member_form, "note"), "note is not");
	ok(!store_field_indexed(st, &member_form, "items"), "rows are not");
	ok(!store_field_indexed(st, &member_form, "nosuch"), "unknown is not");
	ok(store_field_indexed(st, &org_form, "type"), "org type is indexed");
	ok(!store_field_indexed(st, &extra_form, "title"),
	    "a kind outside the store's forms has no index");

	/* The whole index, forward and back, in pages of 7. */
	want = model_range(0, nsorted, 1);
	fwd = page_all(st, "name", NULL, 0, 0, 1, 7, &calls);
	is_str(fwd, want, "paging forward visits every entry once, in "
	    "(key, id) order");
	is_int(calls, nsorted / 7 + 1, "in %zu calls", nsorted / 7 + 1);
	free(want);
	want = model_range(0, nsorted, -1);
	back = page_all(st, "name", NULL, 0, 0, -1, 7, &calls);
	is_str(back, want, "paging backward gives the exact reverse");
	free(want);
	free(fwd);
	free(back);
	IS_STR_FREE2(iscan_text(st, "name", NULL, 0, 0, 1, 0), model_range(0,
	    nsorted, 1), "max 0: no limit");
	IS_STR_FREE2(iscan_text(st, "name", NULL, 777, 0, 1, 1),
	    model_range(0, 1, 1), "value NULL forward: the very first entry, "
	    "id ignored");
	s = model_range(nsorted - 1, nsorted, 1);
	IS_STR_FREE(iscan_text(st, "name", NULL, 777, 0, -1, 1), s,
	    "value NULL backward: the very last entry");
	free(s);
	IS_STR_FREE(index_count_text(st, "name", NULL), "784",
	    "index_count NULL: entries in the index");
	IS_STR_FREE(index_count_text(st, "branch", NULL), "800",
	    "index_count NULL on branch");

	/* Resuming from a row in the middle, also after it was deleted. */
	mid = nsorted / 2;
	id = sorted[mid]->id;
	s = xstrdup(sorted[mid]->name);
	want = model_range(mid + 1, mid + 6, 1);
	IS_STR_FREE(iscan_text(st, "name", s, id, 0, 1, 5), want,
	    "forward from (%s, %llu) in the middle", s, (unsigned long long)id);
	free(want);
	want = model_range(mid - 5, mid, -1);
	IS_STR_FREE(iscan_text(st, "name", s, id, 0, -1, 5), want,
	    "backward from the same row");
	free(want);
	is_int(store_delete(st, &member_form, id, &err), CX_OK,
	    "delete that record");
	model[id - 1].live = false;
	want = model_range(mid + 1, mid + 6, 1);
	IS_STR_FREE(iscan_text(st, "name", s, id, 0, 1, 5), want,
	    "forward from the deleted row goes on where it was");
	free(want);
	want = model_range(mid - 5, mid, -1);
	IS_STR_FREE(iscan_text(st, "name", s, id, 0, -1, 5), want,
	    "backward from the deleted row");
	free(want);
	free(s);
	model_sort();

	/* A row whose key was unique: the key is gone altogether. */
	pos = model_find("独194");
	ok(pos < nsorted && sorted[pos]->id == 194, "独194 is a unique key");
	want = model_range(pos + 1, pos + 4, 1);
	is_int(store_delete(st, &member_form, 194, &err), CX_OK, "delete 194");
	model[193].live = false;
	IS_STR_FREE(iscan_text(st, "name", "独194", 194, 0, 1, 3), want,
	    "forward from a key no longer in the index");
	free(want);
	want = model_range(pos - 3, pos, -1);
	IS_STR_FREE(iscan_text(st, "name", "独194", 194, 0, -1, 3), want,
	    "backward from a key no longer in the index");
	free(want);
	model_sort();

	/* Deleted rows and a changed row vanish from a full walk. */
	want = model_range(0, nsorted, 1);
	fwd = page_all(st, "name", NULL, 0, 0, 1, 11, &calls);
	is_str(fwd, want, "full walk after deletes");
	free(fwd);
	free(want);

	/* EXACT: one branch in id order, paged. */
	{
		uint64_t *ids;
		struct buf b;

		store_find(st, &member_form, "branch", "5", &ids, &n, NULL);
		ok(n > 50, "branch 5 has %zu members", n);
		buf_init(&b);
		buf_add(&b, "", 0);
		for (i = 0; i < n; i++)
			buf_addf(&b, "%s5#%llu", i ? "," : "",
			    (unsigned long long)ids[i]);
		fwd = page_all(st, "branch", "5", 0, STORE_SCAN_EXACT, 1, 3,
		    &calls);
		is_str(fwd, b.s, "EXACT forward in pages of 3: branch 5 in id "
		    "order");
		is_int(calls, n / 3 + 1, "in %zu calls", n / 3 + 1);
		free(fwd);
		back = page_all(st, "branch", "5", STORE_ID_END,
		    STORE_SCAN_EXACT, -1, 3, &calls);
		want = model_scan("branch", "5", STORE_ID_END, STORE_SCAN_EXACT,
		    -1, 0);
		is_str(back, want, "EXACT backward from End: the reverse");
		free(want);
		free(back);
		want = xasprintf("5#%llu,5#%llu", (unsigned long long)ids[11],
		    (unsigned long long)ids[12]);
		IS_STR_FREE(iscan_text(st, "branch", "5", ids[10],
		    STORE_SCAN_EXACT, 1, 2), want, "EXACT forward from an id");
		free(want);
		want = xasprintf("5#%llu,5#%llu", (unsigned long long)ids[9],
		    (unsigned long long)ids[8]);
		IS_STR_FREE(iscan_text(st, "branch", "5", ids[10],
		    STORE_SCAN_EXACT, -1, 2), want, "EXACT backward from an id");
		free(want);
		want = xasprintf("5#%llu", (unsigned long long)ids[n - 1]);
		IS_STR_FREE(iscan_text(st, "branch", "5", ids[n - 1] - 1,
		    STORE_SCAN_EXACT, 1, 5), want,
		    "EXACT stops at the end of the value");
		free(want);
		IS_STR_FREE(iscan_text(st, "branch", "5", 0, STORE_SCAN_EXACT,
		    -1, 5), "", "EXACT backward from id 0: nothing");
		IS_STR_FREE(iscan_text(st, "branch", "9", 0, STORE_SCAN_EXACT,
		    1, 5), "", "EXACT with an absent value: nothing");
		IS_STR_FREE(iscan_text(st, "branch", "", 0, STORE_SCAN_EXACT,
		    1, 5), "", "EXACT with an empty value: nothing");
		buf_free(&b);
		free(ids);

		/* Branch 1 keeps its ids in a sub-database. */
		store_find(st, &member_form, "branch", "1", &ids, &n, NULL);
		is_int(n, 399, "branch 1: 399 members");
		fwd = page_all(st, "branch", "1", 0, STORE_SCAN_EXACT, 1, 20,
		    &calls);
		want = model_scan("branch", "1", 0, STORE_SCAN_EXACT, 1, 0);
		is_str(fwd, want, "EXACT over a big duplicate set");
		free(want);
		free(fwd);
		want = xasprintf("1#%llu", (unsigned long long)ids[200]);
		IS_STR_FREE(iscan_text(st, "branch", "1", ids[199] + 1,
		    STORE_SCAN_EXACT, 1, 1), want,
		    "id between two entries: the next one");
		free(want);
		want = xasprintf("1#%llu", (unsigned long long)ids[199]);
		IS_STR_FREE(iscan_text(st, "branch", "1", ids[200] - 1,
		    STORE_SCAN_EXACT, -1, 1), want,
		    "id between two entries, backward: the one before");
		free(want);
		free(ids);
	}

	/* Counts agree with store_find. */
	{
		const char *vals[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
		const char *names[] = { "张三", "张三丰", "张", "李四", "独97",
		    "独194", "nobody" };
		size_t bad = 0;

		for (i = 0; i < 8; i++) {
			s = index_count_text(st, "branch", vals[i]);
			want = xasprintf("%zu", find_count(st, "branch", vals[i]));
			bad += strcmp(s, want) != 0;
			free(s);
			free(want);
		}
		is_int(bad, 0, "index_count per branch equals store_find");
		bad = 0;
		for (i = 0; i < 7; i++) {
			s = index_count_text(st, "name", names[i]);
			want = xasprintf("%zu", find_count(st, "name", names[i]));
			bad += strcmp(s, want) != 0;
			free(s);
			free(want);
		}
		is_int(bad, 0, "index_count per name equals store_find");
		IS_STR_FREE(index_count_text(st, "name", "独97"), "1",
		    "index_count of a unique name");
		IS_STR_FREE(index_count_text(st, "name", "独194"), "0",
		    "index_count of a deleted name");
		IS_STR_FREE(index_count_text(st, "name", ""), "0",
		    "index_count of the empty value");
		IS_STR_FREE(index_count_text(st, "branch", NULL), "798",
		    "index_count NULL after two deletes");
	}

	/* PREFIX. */
	{
		struct buf b;
		size_t first = nsorted, m = 0;

		buf_init(&b);
		buf_add(&b, "", 0);
		for (i = 0; i < nsorted; i++) {
			if (!starts_with(sorted[i]->name, "张三"))
				continue;
			if (first == nsorted)
				first = i;
			buf_addf(&b, "%s%s#%llu", m++ ? "," : "", sorted[i]->name,
			    (unsigned long long)sorted[i]->id);
		}
		ok(m > 100, "%zu entries start with 张三", m);
		IS_STR_FREE2(iscan_text(st, "name", "张三", 0, STORE_SCAN_PREFIX,
		    1, 0), xstrdup(b.s), "PREFIX 张三: exactly the 张三… entries");
		IS_STR_FREE2(iscan_text(st, "name", "张三", STORE_ID_END,
		    STORE_SCAN_PREFIX, -1, 0), model_range(first, first + m, -1),
		    "PREFIX backward from End: the reverse");
		IS_STR_FREE2(iscan_text(st, "name", "张三", 0, STORE_SCAN_PREFIX,
		    1, 4), model_range(first, first + 4, 1),
		    "PREFIX with max 4: the first four");
		IS_STR_FREE(iscan_text(st, "name", "张三", STORE_ID_END,
		    STORE_SCAN_PREFIX, 1, 4), "",
		    "PREFIX forward from End: nothing");
		IS_STR_FREE(iscan_text(st, "name", "张二", 0, STORE_SCAN_PREFIX,
		    1, 4), "", "PREFIX without a match: nothing");
		IS_STR_FREE2(iscan_text(st, "name", "", STORE_ID_END,
		    STORE_SCAN_PREFIX, -1, 2), model_range(nsorted - 2, nsorted,
		    -1), "PREFIX \"\" backward from End: the last entries");
		buf_free(&b);
	}

	/* Jumping to typed text (MDB_SET_RANGE). */
	pos = model_find("张伟");
	IS_STR_FREE2(iscan_text(st, "name", "张二", 0, 0, 1, 1),
	    model_range(pos, pos + 1, 1),
	    "张二 (absent; after every 张三…) lands on the first 张伟");
	IS_STR_FREE2(iscan_text(st, "name", "张二", 0, 0, -1, 1),
	    model_range(pos - 1, pos, 1),
	    "and backward from it: the last entry before it");
	ok(starts_with(sorted[pos - 1]->name, "张三"),
	    "which is a 张三… entry (%s)", sorted[pos - 1]->name);
	pos = model_find("李四");
	IS_STR_FREE2(iscan_text(st, "name", "李三", 0, 0, 1, 1),
	    model_range(pos, pos + 1, 1), "李三 lands on the first 李四");
	pos = model_find("李");
	IS_STR_FREE2(iscan_text(st, "name", "李", 0, 0, 1, 2),
	    model_range(pos, pos + 2, 1), "李 (present) lands on its first id");
	IS_STR_FREE2(iscan_text(st, "name", "李", STORE_ID_END, 0, -1, 1),
	    model_range(pos + find_count(st, "name", "李") - 1,
	    pos + find_count(st, "name", "李"), 1),
	    "(李, END) backward: the last 李");
	IS_STR_FREE(iscan_text(st, "name", "\xef\xbf\xbf", 0, 0, 1, 3), "",
	    "past the last key: nothing forward");
	IS_STR_FREE2(iscan_text(st, "name", "\xef\xbf\xbf", 0, 0, -1, 1),
	    model_range(nsorted - 1, nsorted, 1),
	    "past the last key, backward: the last entry");
	IS_STR_FREE2(iscan_text(st, "name", "", 0, 0, 1, 1),
	    model_range(0, 1, 1), "\"\" forward: the first entry");
	IS_STR_FREE(iscan_text(st, "name", "", 0, 0, -1, 1), "",
	    "\"\" backward: nothing");

	/* The callback stops; it may read; errors. */
	iwalk_init(&w, "name");
	w.stop_after = 3;
	w.st = st;
	is_int(store_index_scan(st, &member_form, "name", NULL, 0, 0, 1, 10,
	    iwalk_fn, &w, &err), CX_OK, "scan with a stopping callback");
	is_int(w.n, 3, "the callback stopped it after 3");
	is_int(w.nested_ok, 3, "store_get inside the callback sees the record");
	iwalk_free(&w);
	IS_STR_FREE(iscan_text(st, "note", NULL, 0, 0, 1, 10),
	    "error: 程序内部错误：党员记录的字段“note”没有索引，不能按它排列。",
	    "scan of a field without an index");
	IS_STR_FREE(index_count_text(st, "items", "x"),
	    "error: 程序内部错误：党员记录的字段“items”没有索引，不能按它计数。",
	    "count of a field without an index");
	IS_STR_FREE(iscan_text(st, "branch", NULL, 0, STORE_SCAN_EXACT, 1, 10),
	    "error: 程序内部错误：按党员记录的字段“所在支部”筛选时没有给出值。",
	    "a filter without a value");
	IS_STR_FREE(iscan_text(st, "branch", "1", 0, STORE_SCAN_EXACT |
	    STORE_SCAN_PREFIX, 1, 10), "error: 程序内部错误：STORE_SCAN_EXACT "
	    "和 STORE_SCAN_PREFIX 不能同时使用。", "both filters");

	/* Long values: keys are cut, filters compare whole values. */
	{
		struct buf l1, l2, pre;
		struct record *x, *y;
		char *kx;

		buf_init(&l1);
		for (i = 0; i < 140; i++)
			buf_addstr(&l1, "长");
		buf_init(&pre);
		buf_addstr(&pre, l1.s);
		buf_addstr(&pre, "甲");		/* 423 bytes */
		buf_init(&l2);
		buf_addstr(&l2, pre.s);
		buf_addstr(&l1, "乙乙");
		buf_addstr(&l2, "丙");
		x = member(l1.s, NULL, NULL);
		y = member(l2.s, NULL, NULL);
		store_put(st, &member_form, x, NULL);
		store_put(st, &member_form, y, NULL);
		kx = xstrndup(l1.s, 399);	/* 133 characters */
		want = xasprintf("%s#%llu", kx, (unsigned long long)y->id);
		IS_STR_FREE(iscan_text(st, "name", l2.s, 0, STORE_SCAN_EXACT, 1,
		    0), want, "EXACT with a long value: only its record, with "
		    "the cut key");
		free(want);
		want = xasprintf("%s#%llu", kx, (unsigned long long)x->id);
		IS_STR_FREE(iscan_text(st, "name", l1.s, STORE_ID_END,
		    STORE_SCAN_EXACT, -1, 0), want, "and the other one");
		free(want);
		want = xasprintf("%s#%llu", kx, (unsigned long long)y->id);
		IS_STR_FREE(iscan_text(st, "name", pre.s, 0, STORE_SCAN_PREFIX,
		    1, 0), want, "PREFIX with a long value");
		free(want);
		want = xasprintf("%s#%llu,%s#%llu", kx,
		    (unsigned long long)x->id, kx, (unsigned long long)y->id);
		IS_STR_FREE(iscan_text(st, "name", kx, 0, 0, 1, 2), want,
		    "unfiltered: both under the cut key, in id order");
		free(want);
		IS_STR_FREE(index_count_text(st, "name", l1.s), "1",
		    "index_count of a long value");
		IS_STR_FREE(index_count_text(st, "name", kx), "2",
		    "index_count of the cut key");
		store_delete(st, &member_form, x->id, NULL);
		store_delete(st, &member_form, y->id, NULL);
		record_free(x);
		record_free(y);
		free(kx);
		buf_free(&l1);
		buf_free(&l2);
		buf_free(&pre);
	}

	index_oracle(st, "roster");
	/* Update a few names and delete more, then compare again. */
	for (i = 3; i < N; i += 37) {
		struct record *r = NULL;

		if (!model[i].live || store_get(st, &member_form, model[i].id,
		    &r, NULL) != CX_OK)
			continue;
		if (i % 2) {
			free(model[i].name);
			model[i].name = xasprintf("张三%zu", i);
			record_set(r, "name", model[i].name);
			store_put(st, &member_form, r, NULL);
		} else {
			store_delete(st, &member_form, model[i].id, NULL);
			model[i].live = false;
		}
		record_free(r);
	}
	model_sort();
	index_oracle(st, "after changes");
	IS_STR_FREE(check_text(st), "", "store_check is clean");
	store_close(st);
	st = NULL;

	/* A kind without a database reads as empty. */
	s = path_in("data");
	if (store_open(s, &fs3, STORE_READONLY, NULL, &st, &err) == CX_OK) {
		iwalk_init(&w, "title");
		is_int(store_index_scan(st, &extra_form, "title", NULL, 0, 0, 1,
		    0, iwalk_fn, &w, &err), CX_OK,
		    "scan of a kind without a database");
		is_int(w.n, 0, "nothing");
		iwalk_free(&w);
		n = 7;
		is_int(store_index_count(st, &extra_form, "title", NULL, &n,
		    &err), CX_OK, "count of a kind without a database");
		is_int(n, 0, "zero");
		store_close(st);
		st = NULL;
	} else
		ok(0, "open read-only: %s", err);
	free(s);

	for (i = 0; i < nmodel; i++)
		free(model[i].name);
	free(model);
	free(sorted);
	model = NULL;
	sorted = NULL;
out:
	free(err);
	free(dir);
}

/* Damage met during an index walk is reported, not skipped. */
static void
test_index_damage(void)
{
	char *dir = path_in("idamage"), *err = NULL, *mdb;
	struct store *st = NULL;
	struct record *r;
	struct iwalk w;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val key;
	unsigned char kb[8];
	int rc;

	if (store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open: %s", err);
		goto out;
	}
	r = member("甲", NULL, "1");
	store_put(st, &member_form, r, NULL);
	record_free(r);
	r = member("乙", NULL, "1");
	record_set(r, "note", "INDEX-DAMAGE-MARKER-51c2");
	store_put(st, &member_form, r, NULL);
	record_free(r);
	r = member("丙", NULL, "1");
	store_put(st, &member_form, r, NULL);
	record_free(r);
	store_close(st);
	st = NULL;

	/* Remove record 3 behind the store's back: its index entries stay. */
	rc = mdb_env_create(&env);
	if (rc == 0)
		mdb_env_set_maxdbs(env, 16);
	if (rc == 0 && (rc = mdb_env_open(env, dir, 0, 0644)) == 0) {
		if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
			if ((rc = mdb_dbi_open(txn, "rec:member", 0, &dbi)) == 0) {
				util_put_be64(kb, 3);
				key.mv_data = kb;
				key.mv_size = 8;
				rc = mdb_del(txn, dbi, &key, NULL);
			}
			if (rc == 0)
				rc = mdb_txn_commit(txn);
			else
				mdb_txn_abort(txn);
		}
	}
	mdb_env_close(env);
	is_int(rc, 0, "record 3 removed with LMDB directly");
	mdb = xasprintf("%s/data.mdb", dir);
	ok(corrupt_file(mdb, "INDEX-DAMAGE-MARKER-51c2") >= 1,
	    "flipped a byte inside record 2");
	free(mdb);

	if (store_open(dir, &fs2, 0, NULL, &st, &err) != CX_OK) {
		ok(0, "reopen: %s", err);
		goto out;
	}
	{
		char *t = check_text(st);

		ok(strstr(t, "全局编号：党员") != NULL && strstr(t,
		    "指向的编号 3 没有记录") != NULL,
		    "check: the global id of the removed record is reported");
		free(t);
	}
	/* Key order: 丙 (U+4E19) < 乙 (U+4E59) < 甲 (U+7532). */
	iwalk_init(&w, "name");
	is_int(store_index_scan(st, &member_form, "name", NULL, 0, 0, 1, 0,
	    iwalk_fn, &w, &err), CX_ERR, "an entry without its record stops "
	    "the walk");
	is_int(w.n, 0, "at once");
	is_str(err, "党员记录“姓名”的索引已损坏（条目“丙”指向的记录 编号 3 "
	    "不存在）。请运行“cxzy check”查看损坏情况，并从备份恢复。",
	    "missing record message");
	free(err);
	err = NULL;
	iwalk_free(&w);

	iwalk_init(&w, "name");
	is_int(store_index_scan(st, &member_form, "name", NULL, 0, 0, -1, 0,
	    iwalk_fn, &w, &err), CX_ERR, "a damaged record stops the walk");
	is_str(w.text.s, "甲#1", "after the entries before it");
	is_str(err, "党员记录（编号 2）已损坏：校验和不符。请运行“cxzy check”"
	    "查看损坏情况，并从备份恢复。", "damage message");
	free(err);
	err = NULL;
	iwalk_free(&w);

	IS_STR_FREE(iscan_text(st, "branch", "1", 0, STORE_SCAN_EXACT, 1, 1),
	    "1#1", "a page that stops before the damage is fine");
	IS_STR_FREE(iscan_text(st, "name", "甲", 0, STORE_SCAN_EXACT, 1, 0),
	    "甲#1", "as is a filter that does not reach it");
	IS_STR_FREE(index_count_text(st, "branch", "1"), "3",
	    "index_count counts entries, damaged or not");
	store_close(st);
out:
	free(err);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* store_apply and history                                             */
/* ------------------------------------------------------------------ */

static struct form_field task_fields[3];
static struct form task_form;
static struct form *forms4[3];
static struct formset fs4;
static char *task_link_kinds[] = { "org", "member" };

static void
setup_task_form(void)
{
	field(&task_fields[0], "owner", "所属", FT_LINK, false, false);
	task_fields[0].link_kinds = task_link_kinds;
	task_fields[0].nlink_kinds = 2;
	field(&task_fields[1], "title", "事项", FT_TEXT, false, false);
	field(&task_fields[2], "code", "代码", FT_TEXT, false, true);
	task_form.kind = "task";
	task_form.label = "事项";
	task_form.version = 3;
	task_form.title = "title";
	task_form.fields = task_fields;
	task_form.nfields = 3;
	forms4[0] = &org_form;
	forms4[1] = &member_form;
	forms4[2] = &task_form;
	fs4.forms = forms4;
	fs4.n = 3;
}

static struct record *
task(const char *title, const char *code)
{
	struct record *r = record_new();

	record_set(r, "title", title);
	if (code != NULL)
		record_set(r, "code", code);
	return r;
}

static struct record *
org(const char *name)
{
	struct record *r = record_new();

	record_set(r, "name", name);
	record_set(r, "type", "branch");
	return r;
}

static struct store_op
op_put(const struct form *f, struct record *rec)
{
	struct store_op op;

	memset(&op, 0, sizeof op);
	op.op = STORE_OP_PUT;
	op.f = f;
	op.rec = rec;
	return op;
}

static struct store_op
op_put_link(const struct form *f, struct record *rec, const char *field,
    size_t parent)
{
	struct store_op op = op_put(f, rec);

	op.link_field = field;
	op.link_op = parent;
	return op;
}

static struct store_op
op_del(const struct form *f, uint64_t id)
{
	struct store_op op;

	memset(&op, 0, sizeof op);
	op.op = STORE_OP_DELETE;
	op.f = f;
	op.id = id;
	return op;
}

static struct store_op
op_hist(const struct form *f, struct record *rec)
{
	struct store_op op;

	memset(&op, 0, sizeof op);
	op.op = STORE_OP_HISTORY;
	op.f = f;
	op.rec = rec;
	return op;
}

/* "1:甲@T1,2:乙@T2": version, field and _modified of each old version. */
struct histcol {
	const char	*field;
	size_t		 stop_after;
	size_t		 n;
	struct buf	 b;
	uint64_t	 id;
};

static int
hist_fn(void *arg, unsigned version, const struct record *rec)
{
	struct histcol *h = arg;
	const char *v = record_get(rec, h->field);
	const char *m = record_get(rec, "_modified");

	if (h->n > 0)
		buf_addc(&h->b, ',');
	buf_addf(&h->b, "%u:%s@%s", version, v ? v : "", m ? m : "");
	h->id = rec->id;
	h->n++;
	return h->stop_after != 0 && h->n >= h->stop_after;
}

static char *
hist_text(struct store *st, const struct form *f, uint64_t id,
    const char *field, size_t stop_after)
{
	struct histcol h;
	char *err = NULL;

	memset(&h, 0, sizeof h);
	h.field = field;
	h.stop_after = stop_after;
	buf_init(&h.b);
	buf_add(&h.b, "", 0);
	if (store_history(st, f, id, hist_fn, &h, &err) != CX_OK) {
		char *s = xasprintf("error: %s", err);

		free(err);
		buf_free(&h.b);
		return s;
	}
	if (h.n > 0 && h.id != id) {
		buf_free(&h.b);
		return xstrdup("wrong id");
	}
	return buf_take(&h.b);
}

static char *
meta_text(struct store *st, const char *key)
{
	char *v = NULL;

	if (store_meta_get(st, key, &v, NULL) != CX_OK)
		return xstrdup("-");
	return v;
}

static void
test_apply(void)
{
	char *dir = path_in("apply"), *err = NULL, *mdb;
	struct store *st = NULL;
	struct record *o1, *m1, *t1, *t2, *o2, *t3, *o3, *got = NULL, *old;
	struct store_op ops[8];
	struct collect col;

	setenv("CXZY_NOW", NOW1, 1);
	if (store_open(dir, &fs4, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open for apply test: %s", err);
		goto out;
	}
	is_int(store_apply(st, ops, 0, &err), CX_OK, "nothing to apply");

	/* New records of three kinds, children linked to new parents. */
	o1 = org("第一党支部");
	m1 = member("张三", "A-1", "1");
	t1 = task("带头学习", "T-1");
	t2 = task("结对帮扶", "T-2");
	ops[0] = op_put(&org_form, o1);
	ops[1] = op_put(&member_form, m1);
	ops[2] = op_put_link(&task_form, t1, "owner", 0);
	ops[3] = op_put_link(&task_form, t2, "owner", 1);
	is_int(store_apply(st, ops, 4, &err), CX_OK, "apply four puts");
	is_str(err, NULL, "no message");
	is_int(o1->id, 1, "org got id 1");
	is_int(m1->id, 1, "member got id 1 (own counter)");
	is_int(t1->id, 1, "task got id 1");
	is_int(t2->id, 2, "second task got id 2");
	is_str(record_get(t1, "owner"), "org:1", "link to the new org");
	is_str(record_get(t2, "owner"), "member:1", "link to the new member");
	is_str(record_get(t2, "_created"), NOW1, "_created set");
	is_str(record_get(t2, "_modified"), NOW1, "_modified set");
	is_int(t2->form_version, 3, "form_version set");
	IS_STR_FREE(find_text(st, &task_form, "owner", "org:1"), "1",
	    "link field indexed: children found by parent");
	IS_STR_FREE(find_text(st, &task_form, "owner", "member:1"), "2",
	    "second child found");
	IS_STR_FREE(find_text(st, &member_form, "branch", "1"), "1",
	    "member's ref indexed");
	IS_STR_FREE(meta_text(st, "seq:task"), "2", "seq:task is 2");
	IS_STR_FREE(meta_text(st, "seq:org"), "1", "seq:org is 1");
	is_int(store_get(st, &task_form, 1, &got, &err), CX_OK, "get task 1");
	if (got != NULL) {
		ok(record_equal(got, t1), "task 1 stored as given");
		record_free(got);
		got = NULL;
	}

	/* Update, keep the old version, delete: one transaction. */
	setenv("CXZY_NOW", NOW2, 1);
	store_get(st, &member_form, 1, &old, NULL);
	record_set(m1, "name", "张三丰");
	t3 = task("新的事项", NULL);
	ops[0] = op_hist(&member_form, old);
	ops[1] = op_put(&member_form, m1);
	ops[2] = op_del(&task_form, 2);
	ops[3] = op_put_link(&task_form, t3, "owner", 1);
	is_int(store_apply(st, ops, 4, &err), CX_OK,
	    "apply history, update, delete and put");
	is_str(err, NULL, "no message");
	is_int(t3->id, 3, "new task id 3");
	is_str(record_get(t3, "owner"), "member:1",
	    "link to an existing record's id");
	is_str(record_get(m1, "_created"), NOW1, "_created kept");
	is_str(record_get(m1, "_modified"), NOW2, "_modified updated");
	IS_STR_FREE(find_text(st, &member_form, "name", "张三丰"), "1",
	    "index moved with the update");
	IS_STR_FREE(find_text(st, &member_form, "name", "张三"), "",
	    "old index entry gone");
	IS_STR_FREE(find_text(st, &task_form, "owner", "member:1"), "3",
	    "deleted child out of the link index, new one in");
	IS_STR_FREE(find_text(st, &task_form, "code", "T-2"), "",
	    "deleted child out of the unique index");
	memset(&col, 0, sizeof col);
	store_trash_foreach(st, collect_fn, &col, NULL);
	IS_STR_FREE(ids_text(col.ids, col.n), "2", "task 2 in the bin");
	ok(col.f == &task_form, "of kind task");
	is_str(col.deleted, NOW2, "_deleted set");
	IS_STR_FREE(hist_text(st, &member_form, 1, "name", 0), "1:张三@" NOW1,
	    "old version kept as version 1");
	record_free(old);

	/* A failing op undoes everything before it. */
	o2 = org("第二党支部");
	t3->id = 0;
	record_remove(t3, "_created");
	o3 = org("第一党支部");	/* unique clash with org 1 */
	store_get(st, &member_form, 1, &old, NULL);
	ops[0] = op_put(&org_form, o2);
	ops[1] = op_put_link(&task_form, t3, "owner", 0);
	ops[2] = op_hist(&member_form, old);
	ops[3] = op_del(&task_form, 1);
	ops[4] = op_put(&org_form, o3);
	is_int(store_apply(st, ops, 5, &err), CX_ERR, "clash fails the apply");
	is_str(err, "“名称”为“第一党支部”的记录已经存在（编号1）。",
	    "store_put's unique message");
	free(err);
	err = NULL;
	is_int(o2->id, 0, "no id given to the first put");
	is_int(t3->id, 0, "nor to the child");
	is_str(record_get(t3, "owner"), "member:1",
	    "the child's link field has its old value back");
	is_int(count_of(st, &org_form), 1, "no org written");
	is_int(count_of(st, &task_form), 2, "task 1 not deleted");
	IS_STR_FREE(find_text(st, &org_form, "name", "第二党支部"), "",
	    "no index entry left");
	IS_STR_FREE(find_text(st, &task_form, "owner", "org:2"), "",
	    "no child link left");
	IS_STR_FREE(meta_text(st, "seq:org"), "1", "seq:org unchanged");
	IS_STR_FREE(meta_text(st, "seq:task"), "3", "seq:task unchanged");
	IS_STR_FREE(hist_text(st, &member_form, 1, "name", 0), "1:张三@" NOW1,
	    "no history version added");
	memset(&col, 0, sizeof col);
	store_trash_foreach(st, collect_fn, &col, NULL);
	IS_STR_FREE(ids_text(col.ids, col.n), "2", "bin unchanged");

	/* A record that is gone fails the apply with a message. */
	ops[0] = op_put(&org_form, o2);
	ops[1] = op_del(&task_form, 2);
	is_int(store_apply(st, ops, 2, &err), CX_ERR,
	    "deleting a record in the bin fails");
	is_str(err, "要删除的事项记录（编号 2）已经不存在（可能已被删除），"
	    "没有保存任何修改。", "message names it");
	free(err);
	err = NULL;
	is_int(count_of(st, &org_form), 1, "and nothing was written");

	/* Programming errors are refused before a transaction. */
	ops[0] = op_put_link(&task_form, t3, "owner", 0);
	is_int(store_apply(st, ops, 1, &err), CX_ERR, "link to itself");
	is_str(err, "程序内部错误：第 1 项修改的上级不是它之前保存的记录。",
	    "internal error message");
	free(err);
	err = NULL;
	ops[0] = op_hist(&member_form, o2);
	is_int(store_apply(st, ops, 1, &err), CX_ERR, "history without id");
	is_str(err, "程序内部错误：第 1 项修改不完整。", "incomplete op");
	free(err);
	err = NULL;

	/* store_delete keeps its own answers. */
	is_int(store_delete(st, &task_form, 2, &err), CX_NOTFOUND,
	    "store_delete of a record in the bin");
	is_str(err, NULL, "no message");
	is_int(store_delete(st, &task_form, 0, &err), CX_NOTFOUND,
	    "store_delete of id 0");

	/* The same ops succeed once the clash is gone. */
	record_set(o3, "name", "第三党支部");
	ops[0] = op_put(&org_form, o2);
	ops[1] = op_put_link(&task_form, t3, "owner", 0);
	ops[2] = op_hist(&member_form, old);
	ops[3] = op_del(&task_form, 1);
	ops[4] = op_put(&org_form, o3);
	is_int(store_apply(st, ops, 5, &err), CX_OK, "retry succeeds");
	is_int(o2->id, 2, "org 2");
	is_int(o3->id, 3, "org 3");
	is_int(t3->id, 4, "task 4");
	is_str(record_get(t3, "owner"), "org:2", "linked to org 2");
	IS_STR_FREE(hist_text(st, &member_form, 1, "name", 0),
	    "1:张三@" NOW1 ",2:张三丰@" NOW2, "two versions, in order");
	record_free(old);
	IS_STR_FREE(check_text(st), "", "store_check is clean");

	/* Deleting a record keeps its history; restoring finds it again. */
	is_int(store_delete(st, &member_form, 1, &err), CX_OK,
	    "delete member 1");
	IS_STR_FREE(hist_text(st, &member_form, 1, "name", 0),
	    "1:张三@" NOW1 ",2:张三丰@" NOW2, "history kept in the bin");
	is_int(store_restore(st, &member_form, 1, &err), CX_OK, "restore");
	IS_STR_FREE(hist_text(st, &member_form, 1, "name", 0),
	    "1:张三@" NOW1 ",2:张三丰@" NOW2, "history after the restore");

	/* Restores in an apply: all or nothing, with the other ops. */
	{
		size_t tasks = count_of(st, &task_form);
		struct store_op rs[3];
		struct record *t5 = task("恢复后新建", NULL);

		memset(rs, 0, sizeof rs);
		rs[0].op = STORE_OP_RESTORE;
		rs[0].f = &task_form;
		rs[0].id = 1;
		rs[1] = rs[0];
		rs[1].id = 99;
		is_int(store_apply(st, rs, 2, &err), CX_ERR,
		    "restoring a record not in the bin fails");
		is_str(err, "要恢复的事项记录（编号 99）不在回收站中（可能已经恢复），"
		    "没有保存任何修改。", "message names it");
		free(err);
		err = NULL;
		is_int(count_of(st, &task_form), tasks, "task 1 not restored");
		rs[1].id = 2;
		rs[2] = op_put(&task_form, t5);
		is_int(store_apply(st, rs, 3, &err), CX_OK,
		    "two restores and a put");
		is_int(count_of(st, &task_form), tasks + 3, "all three there");
		is_int(t5->id, 5, "the new id follows the counter");
		IS_STR_FREE(find_text(st, &task_form, "code", "T-2"), "2",
		    "restored unique value indexed");
		memset(&col, 0, sizeof col);
		store_trash_foreach(st, collect_fn, &col, NULL);
		is_int(col.n, 0, "bin empty");
		rs[0].id = 0;
		is_int(store_apply(st, rs, 1, &err), CX_ERR, "restore of id 0");
		is_str(err, "程序内部错误：第 1 项修改不完整。", "incomplete op");
		free(err);
		err = NULL;
		record_free(t5);
		IS_STR_FREE(check_text(st), "", "store_check is clean");
	}

	/* Read-only stores refuse. */
	store_close(st);
	st = NULL;
	if (store_open(dir, &fs4, STORE_READONLY, NULL, &st, &err) == CX_OK) {
		ops[0] = op_put(&org_form, o2);
		is_int(store_apply(st, ops, 1, &err), CX_ERR,
		    "apply on a read-only store");
		is_str(err, RO_MSG, "read-only message");
		free(err);
		err = NULL;
		IS_STR_FREE(hist_text(st, &member_form, 1, "name", 1),
		    "1:张三@" NOW1, "history reads on a read-only store");
		store_close(st);
		st = NULL;
	}

	/* Damage in an old version: store_history and store_check say so. */
	store_open(dir, &fs4, 0, NULL, &st, &err);
	if (st != NULL) {
		store_get(st, &task_form, 4, &old, NULL);
		record_set(old, "title", "HIST-MARKER-5b1e0d");
		ops[0] = op_hist(&task_form, old);
		is_int(store_apply(st, ops, 1, &err), CX_OK, "history of task 4");
		record_free(old);
		store_close(st);
		st = NULL;
	}
	mdb = xasprintf("%s/data.mdb", dir);
	ok(corrupt_file(mdb, "HIST-MARKER-5b1e0d") >= 1,
	    "flipped a byte of the old version");
	free(mdb);
	store_open(dir, &fs4, 0, NULL, &st, &err);
	if (st != NULL) {
		IS_STR_FREE(hist_text(st, &task_form, 4, "title", 0),
		    "error: 事项记录（编号 4）的第 1 个历史版本已损坏：校验和不符。"
		    "请运行“cxzy check”查看损坏情况，并从备份恢复。",
		    "store_history reports the damage");
		IS_STR_FREE(check_text(st), "历史版本：事项 编号 4 第 1 版：校验和不符",
		    "store_check reports the damage");
		is_int(store_get(st, &task_form, 4, &got, &err), CX_OK,
		    "the live record is intact");
		record_free(got);
		store_close(st);
		st = NULL;
	}

	record_free(o1);
	record_free(m1);
	record_free(t1);
	record_free(t2);
	record_free(t3);
	record_free(o2);
	record_free(o3);
out:
	free(err);
	free(dir);
}

/* Versions of many records side by side, in one apply and in several:
 * numbered per record, read back oldest first. */
static void
test_history_order(void)
{
	char *dir = path_in("hist"), *err = NULL;
	struct store *st = NULL;
	struct store_op ops[6];
	struct record *r[3];
	size_t i;
	char note[32];

	if (store_open(dir, &fs4, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		ok(0, "open for history test: %s", err);
		goto out;
	}
	IS_STR_FREE(hist_text(st, &member_form, 1, "note", 0), "",
	    "no history yet");
	/* Ids 1, 256 and 257: keys differ in the last id byte and in
	 * others. */
	for (i = 0; i < 3; i++) {
		r[i] = member("某", NULL, NULL);
		r[i]->id = i == 0 ? 1 : 255 + i;
	}
	for (i = 0; i < 3; i++) {
		snprintf(note, sizeof note, "a%zu", i);
		record_set(r[i], "note", note);
		ops[i] = op_hist(&member_form, r[i]);
	}
	for (i = 0; i < 3; i++) {
		snprintf(note, sizeof note, "b%zu", i);
		/* Two versions of each record in one apply. */
		ops[3 + i] = op_hist(&member_form, record_copy(r[i]));
		ops[3 + i].rec->id = r[i]->id;
		record_set(ops[3 + i].rec, "note", note);
	}
	is_int(store_apply(st, ops, 6, &err), CX_OK, "six versions at once");
	for (i = 3; i < 6; i++)
		record_free(ops[i].rec);
	for (i = 0; i < 3; i++) {
		snprintf(note, sizeof note, "c%zu", i);
		record_set(r[i], "note", note);
		ops[0] = op_hist(&member_form, r[i]);
		store_apply(st, ops, 1, NULL);
	}
	IS_STR_FREE(hist_text(st, &member_form, 1, "note", 0),
	    "1:a0@,2:b0@,3:c0@", "record 1: three versions in order");
	IS_STR_FREE(hist_text(st, &member_form, 256, "note", 0),
	    "1:a1@,2:b1@,3:c1@", "record 256");
	IS_STR_FREE(hist_text(st, &member_form, 257, "note", 0),
	    "1:a2@,2:b2@,3:c2@", "record 257");
	IS_STR_FREE(hist_text(st, &member_form, 2, "note", 0), "",
	    "record 2 has none");
	IS_STR_FREE(hist_text(st, &org_form, 1, "note", 0), "",
	    "another kind with the same id has none");
	IS_STR_FREE(hist_text(st, &member_form, 256, "note", 2),
	    "1:a1@,2:b1@", "a callback stops the walk");
	IS_STR_FREE(check_text(st), "", "clean");
	for (i = 0; i < 3; i++)
		record_free(r[i]);
	store_close(st);
out:
	free(err);
	free(dir);
}

/* One apply larger than the map: it grows and the whole is redone,
 * links and new ids included. */
static void
test_apply_growth(void)
{
	char *dir = path_in("applygrow"), *err = NULL;
	struct store_options opts = { 64 * 1024, 0 };
	struct store *st = NULL;
	struct notecheck nc = { 0, 0 };
	struct store_op *ops;
	struct record *o, *h, *t;
	size_t i, n = 1 + 300 + 200 + 1;
	char title[32];

	is_int(store_open(dir, &fs4, STORE_CREATE, &opts, &st, &err), CX_OK,
	    "open with a 64 KiB map");
	if (st == NULL)
		goto out;
	ops = xcalloc(n, sizeof *ops);
	o = org("增长党支部");
	ops[0] = op_put(&org_form, o);
	for (i = 1; i <= 300; i++)
		ops[i] = op_put(&member_form, big_member(i));
	for (i = 0; i < 200; i++) {
		h = big_member(1);
		h->id = 1;
		snprintf(title, sizeof title, "v%zu", i + 1);
		record_set(h, "name", title);
		ops[301 + i] = op_hist(&member_form, h);
	}
	t = task("最后的事项", NULL);
	ops[n - 1] = op_put_link(&task_form, t, "owner", 0);
	is_int(store_apply(st, ops, n, &err), CX_OK, "apply of %zu ops", n);
	is_str(err, NULL, "no message");
	ok(store_mapsize(st) >= 1024 * 1024, "map grew to %zu bytes",
	    store_mapsize(st));
	is_int(o->id, 1, "org id 1 after the redo");
	is_int(ops[300].rec->id, 300, "last member id 300 after the redo");
	is_str(record_get(t, "owner"), "org:1", "link right after the redo");
	IS_STR_FREE(meta_text(st, "seq:member"), "300", "seq:member is 300");
	is_int(count_of(st, &member_form), 300, "300 members");
	store_foreach(st, &member_form, notecheck_fn, &nc, NULL);
	is_int(nc.bad, 0, "all intact");
	{
		char *s = hist_text(st, &member_form, 1, "name", 0);
		const char *last = strrchr(s, ',');

		ok(strncmp(s, "1:v1@", 5) == 0, "first version v1");
		ok(last != NULL && strncmp(last, ",200:v200@", 10) == 0,
		    "200th version v200");
		free(s);
	}
	IS_STR_FREE(check_text(st), "", "clean after growth");
	for (i = 0; i < n; i++)
		record_free(ops[i].rec);
	free(ops);
	store_close(st);
out:
	free(err);
	free(dir);
}

/* Bulk mode (cxzy demo): commits go on without a flush each; turning it
 * off flushes, and everything is there after reopening.  A read-only
 * store ignores it. */
static void
test_bulk(void)
{
	char *dir = path_in("bulk"), *err = NULL;
	struct store *st = NULL;
	char name[32];
	bool all = true;
	size_t i;

	is_int(store_open(dir, &fs2, STORE_CREATE, NULL, &st, &err), CX_OK,
	    "bulk: create");
	if (st == NULL)
		goto out;
	is_int(store_bulk(st, true, &err), CX_OK, "bulk: on");
	for (i = 0; i < 200; i++) {
		struct record *r;

		snprintf(name, sizeof name, "批量%zu", i + 1);
		r = member(name, NULL, "一支部");
		all = all && store_put(st, &member_form, r, &err) == CX_OK;
		record_free(r);
	}
	ok(all, "bulk: 200 puts");
	is_int(store_bulk(st, false, &err), CX_OK, "bulk: off flushes");
	is_str(err, NULL, "bulk: no message");
	store_close(st);
	st = NULL;
	is_int(store_open(dir, &fs2, 0, NULL, &st, &err), CX_OK,
	    "bulk: reopen");
	if (st == NULL)
		goto out;
	is_int(count_of(st, &member_form), 200, "bulk: 200 members stored");
	IS_STR_FREE(check_text(st), "", "bulk: check clean");
	store_close(st);
	st = NULL;
	is_int(store_open(dir, &fs2, STORE_READONLY, NULL, &st, &err), CX_OK,
	    "bulk: open read-only");
	if (st == NULL)
		goto out;
	is_int(store_bulk(st, true, &err), CX_OK, "bulk: read-only ignores it");
	store_close(st);
out:
	free(err);
	free(dir);
}

int
main(void)
{
	strcpy(tmproot, "/tmp/cxzy-test-XXXXXX");
	if (mkdtemp(tmproot) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setup_forms();
	test_create_and_basics();
	test_map_growth();
	test_damage();
	test_readonly();
	test_markers();
	test_new_index();
	test_index_scan();
	test_index_damage();
	setup_task_form();
	test_apply();
	test_history_order();
	test_apply_growth();
	test_bulk();
	test_identity();
	test_field_revs();
	remove_tree(tmproot);
	return tap_done();
}
