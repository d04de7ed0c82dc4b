/* test_backup.c: store_copy, and backups: create and check, list, find,
 * rotation, restore round trip, refusal of damaged backups and of data in
 * use, temporary directories that are never written over. */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "demo.h"
#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

#define NOW	"2026-11-27 10:00:00"
#define MARK	"BACKUP-DAMAGE-MARKER-5d1e"

static char tmproot[64];
static struct formset *fs;

static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", tmproot, name);
}

static bool
exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat sb;
	bool yes = lstat(p, &sb) == 0;

	free(p);
	return yes;
}

static void
rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", path);
	free(cmd);
}

/* Names in dir starting with prefix. */
static size_t
count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static char *
read_text(const char *path)
{
	char *s = NULL;
	size_t n;

	if (util_read_file(path, &s, &n, NULL) != CX_OK)
		return NULL;
	return s;
}

static size_t
count_of(struct store *st, const char *kind)
{
	size_t n = 0;

	if (store_count(st, formset_find(fs, kind), &n, NULL) != CX_OK)
		return (size_t)-1;
	return n;
}

/* The count of kind in a backup's counts, -1 when it has none: the
 * counts follow the forms, whatever kinds they define. */
static long
kind_count(const struct backup_count *c, size_t n, const char *kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].kind, kind) == 0)
			return (long)c[i].n;
	return -1;
}

static size_t
count_in(const char *dir, const char *kind)
{
	struct store *st = NULL;
	size_t n;

	if (store_open(dir, fs, STORE_READONLY, NULL, &st, NULL) != CX_OK)
		return (size_t)-1;
	n = count_of(st, kind);
	store_close(st);
	return n;
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

static bool
same_file(const char *a, const char *b)
{
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	bool same;

	if (util_read_file(a, &x, &nx, NULL) != CX_OK ||
	    util_read_file(b, &y, &ny, NULL) != CX_OK) {
		free(x);
		return false;
	}
	same = nx == ny && memcmp(x, y, nx) == 0;
	free(x);
	free(y);
	return same;
}

static int
copy_file(const char *from, const char *to)
{
	char *cmd = xasprintf("cp '%s' '%s'", from, to);
	int r = system(cmd);

	free(cmd);
	return r;
}

/* A demo data directory with one extra member whose name marks its bytes
 * in data.mdb. */
static char *
make_data(const char *name)
{
	char *dir = path_in(name), *err = NULL;
	struct store *st = NULL;
	struct record *r;

	if (demo_create(dir, fs, &err) != CX_OK) {
		ok(0, "demo %s: %s", name, err);
		free(err);
		return dir;
	}
	if (store_open(dir, fs, 0, NULL, &st, &err) != CX_OK) {
		ok(0, "open %s: %s", name, err);
		free(err);
		return dir;
	}
	r = record_new();
	record_set(r, "name", MARK);
	if (store_put(st, formset_find(fs, "member"), r, &err) != CX_OK) {
		ok(0, "put: %s", err);
		free(err);
	}
	record_free(r);
	store_close(st);
	return dir;
}

static void
test_copy(void)
{
	char *data = make_data("copysrc"), *dst = path_in("copydst");
	char *full = path_in("copyfull"), *err = NULL, *p;
	struct store *st = NULL;
	FILE *f;

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open source");
	mkdir(dst, 0777);
	is_int(store_copy(st, dst, &err), CX_OK, "store_copy into an empty dir");
	ok(exists(dst, "data.mdb") && exists(dst, STORE_MARKER),
	    "the copy has data.mdb and the marker");
	ok(!exists(dst, "lock.mdb"), "and no lock file");
	is_int(count_in(dst, "member"), count_of(st, "member"),
	    "the copy holds every member");

	/* LMDB opens the target with O_EXCL: never write into a used dir. */
	mkdir(full, 0777);
	p = xasprintf("%s/data.mdb", full);
	f = fopen(p, "w");
	if (f != NULL) {
		fputs("precious", f);
		fclose(f);
	}
	is_int(store_copy(st, full, &err), CX_ERR,
	    "store_copy refuses a directory that is not empty");
	ok(err != NULL && strstr(err, "不是空的") != NULL,
	    "and says so: %s", err ? err : "");
	free(err);
	err = NULL;
	{
		char *s = read_text(p);

		is_str(s, "precious", "the file there is untouched");
		free(s);
	}
	free(p);
	p = path_in("nosuchdir");
	is_int(store_copy(st, p, &err), CX_ERR, "a missing dir is refused");
	free(err);
	free(p);
	store_close(st);
	free(full);
	free(dst);
	free(data);
}

static void
test_create_list(void)
{
	char *data = make_data("src"), *root = path_in("bk"), *err = NULL;
	char *unit, *slug, *unitdir, *p, *s;
	struct store *st = NULL;
	struct backup b1, b2;
	struct backup_list l;
	struct stat sb;

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open data");
	unit = backup_unit_name(st, fs);
	ok(*unit != '\0', "the unit has a name: %s", unit);
	slug = backup_unit_slug(unit);
	ok(strlen(slug) == 13 && strncmp(slug, "unit-", 5) == 0,
	    "the unit directory is ASCII: %s", slug);
	unitdir = xasprintf("%s/%s", root, slug);

	/* A temporary directory left by an interrupted backup an hour ago,
	 * with a data.mdb in it: copying there would fail with EEXIST. */
	mkdir(root, 0777);
	mkdir(unitdir, 0777);
	p = xasprintf("%s/.tmp-stale1", unitdir);
	mkdir(p, 0777);
	s = xasprintf("%s/data.mdb", p);
	{
		FILE *f = fopen(s, "w");

		if (f != NULL)
			fclose(f);
	}
	{
		struct timeval tv[2];

		gettimeofday(&tv[0], NULL);
		tv[0].tv_sec -= 7200;
		tv[1] = tv[0];
		utimes(p, tv);
	}
	free(s);
	free(p);

	is_int(backup_create(st, fs, root, 0, &b1, &err), CX_OK,
	    "backup_create%s%s", err ? ": " : "", err ? err : "");
	s = xasprintf("%s/20261127-100000", unitdir);
	is_str(b1.path, s, "named by the local time under the unit");
	free(s);
	is_str(b1.time, NOW, "time from INFO.txt");
	is_str(b1.unit, unit, "unit from UNIT.txt");
	is_int(b1.ncounts, fs->n, "a count per kind");
	ok(kind_count(b1.counts, b1.ncounts, "member") ==
	    (long)count_of(st, "member") && count_of(st, "member") > 0,
	    "the member count equals the source's");
	ok(exists(b1.path, "data.mdb") && exists(b1.path, STORE_MARKER) &&
	    exists(b1.path, BACKUP_INFO), "data.mdb, marker and INFO.txt");
	ok(!exists(b1.path, "lock.mdb"), "no lock file in the backup");
	ok(!exists(unitdir, ".tmp-stale1"), "a stale temporary dir is gone");
	is_int(count_prefix(unitdir, ".tmp-"), 0, "no temporary dir is left");
	s = xasprintf("%s/%s", unitdir, BACKUP_UNIT);
	p = read_text(s);
	free(s);
	s = xasprintf("%s\n", unit);
	is_str(p, s, "UNIT.txt holds the unit's real name");
	free(s);
	free(p);
	s = xasprintf("%s/%s", b1.path, BACKUP_INFO);
	p = read_text(s);
	ok(p != NULL && strstr(p, "time " NOW "\n") != NULL &&
	    strstr(p, "program " PACKAGE_VERSION "\n") != NULL &&
	    strstr(p, "count member ") != NULL && strstr(p, "source /") != NULL,
	    "INFO.txt: time, program, source, counts");
	free(p);
	free(s);
	is_int(backup_verify(b1.path, fs, NULL, NULL, &err), CX_OK,
	    "the backup verifies");
	ok(!exists(b1.path, "lock.mdb"), "verifying leaves no lock file");

	/* Same second again: a suffix, never over the first. */
	is_int(backup_create(st, fs, root, 0, &b2, &err), CX_OK,
	    "a second backup in the same second");
	s = xasprintf("%s/20261127-100000-2", unitdir);
	is_str(b2.path, s, "gets the suffix -2");
	free(s);
	ok(stat(b1.path, &sb) == 0, "the first is still there");

	is_int(backup_list(root, &l, &err), CX_OK, "backup_list");
	is_int(l.n, 2, "lists two backups");
	if (l.n == 2) {
		is_str(l.v[0].name, "20261127-100000-2", "newest first");
		is_str(l.v[1].name, "20261127-100000", "then the older");
		ok(l.v[0].ncounts == fs->n &&
		    kind_count(l.v[0].counts, l.v[0].ncounts, "member") ==
		    kind_count(b1.counts, b1.ncounts, "member"),
		    "counts read from INFO.txt");
		is_str(l.v[0].slug, slug, "with the unit directory");
	}
	backup_list_free(&l);
	p = path_in("nobackups");
	is_int(backup_list(p, &l, &err), CX_OK, "a missing root lists fine");
	is_int(l.n, 0, "as empty");
	backup_list_free(&l);
	free(p);

	/* Finding by name and by path. */
	{
		struct backup f;

		is_int(backup_find(root, "20261127-100000", NULL, &f, &err),
		    CX_OK, "find by name");
		is_str(f.path, b1.path, "the right one");
		backup_free(&f);
		is_int(backup_find(root, b2.path, NULL, &f, &err), CX_OK,
		    "find by path");
		is_str(f.name, "20261127-100000-2", "the right one");
		backup_free(&f);
		is_int(backup_find(root, "20990101-000000", NULL, &f, &err),
		    CX_ERR, "an unknown name");
		ok(err != NULL && strstr(err, "cxzy backups") != NULL,
		    "says how to list them");
		free(err);
		err = NULL;
	}

	/* A second root (a second stick). */
	p = path_in("stick2/backups");
	{
		struct backup b3;

		is_int(backup_create(st, fs, p, 0, &b3, &err), CX_OK,
		    "a second root is made when missing");
		ok(b3.path != NULL && strncmp(b3.path, p, strlen(p)) == 0 &&
		    strstr(b3.path, slug) != NULL, "the copy is under it");
		backup_free(&b3);
	}
	free(p);

	backup_free(&b1);
	backup_free(&b2);
	store_close(st);
	free(unitdir);
	free(slug);
	free(unit);
	free(root);
	free(data);
}

/* A backup-shaped directory with a data.mdb and an INFO.txt. */
static void
fake_backup(const char *unitdir, const char *name)
{
	char *dir = xasprintf("%s/%s", unitdir, name), *p;
	FILE *f;

	mkdir(dir, 0777);
	p = xasprintf("%s/data.mdb", dir);
	f = fopen(p, "w");
	if (f != NULL)
		fclose(f);
	free(p);
	p = xasprintf("%s/%s", dir, BACKUP_INFO);
	f = fopen(p, "w");
	if (f != NULL) {
		fprintf(f, "cxzy backup\ntime x\ncount member 1 党员\n");
		fclose(f);
	}
	free(p);
	free(dir);
}

static void
test_rotate(void)
{
	static const char *const names[] = {
		/* newest 10: kept */
		"20261127-100000-3", "20261127-100000-2", "20261127-100000",
		"20261126-090000", "20261125-090000", "20261120-090000",
		"20261115-090000", "20261110-090000", "20261105-090000",
		"20261101-090000",
		/* older: the newest of each month stays */
		"20261030-090000", "20261020-090000", "20261001-090000",
		"20260915-090000", "20260901-090000",
		"20250131-235959", "20250101-000000",
	};
	static const char *const gone[] = {
		"20261020-090000", "20261001-090000", "20260901-090000",
		"20250101-000000",
	};
	char *unitdir = path_in("rot/unit-00000000"), *err = NULL, *p;
	size_t i, removed = 99;
	FILE *f;

	p = path_in("rot");
	mkdir(p, 0777);
	free(p);
	mkdir(unitdir, 0777);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		fake_backup(unitdir, names[i]);
	/* Not ours: a name that is no backup's, and a backup-named dir
	 * holding a file a backup never has. */
	p = xasprintf("%s/notes", unitdir);
	mkdir(p, 0777);
	free(p);
	fake_backup(unitdir, "20250102-000000");
	p = xasprintf("%s/20250102-000000/keep.me", unitdir);
	f = fopen(p, "w");
	if (f != NULL)
		fclose(f);
	free(p);
	/* A young temporary dir may be another cxzy's backup in progress. */
	p = xasprintf("%s/.tmp-young1", unitdir);
	mkdir(p, 0777);
	free(p);

	is_int(backup_rotate(unitdir, 10, &removed, &err), CX_OK,
	    "backup_rotate");
	is_int(removed, sizeof gone / sizeof gone[0], "removed four");
	for (i = 0; i < sizeof gone / sizeof gone[0]; i++)
		ok(!exists(unitdir, gone[i]), "%s removed", gone[i]);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t j;
		bool g = false;

		for (j = 0; j < sizeof gone / sizeof gone[0]; j++)
			if (strcmp(gone[j], names[i]) == 0)
				g = true;
		if (!g)
			ok(exists(unitdir, names[i]), "%s kept", names[i]);
	}
	ok(exists(unitdir, "notes"), "a foreign directory stays");
	ok(exists(unitdir, "20250102-000000/keep.me"),
	    "a backup-named directory with other files stays, files too");
	ok(exists(unitdir, ".tmp-young1"), "a young temporary dir stays");
	is_int(backup_rotate(unitdir, 10, &removed, &err), CX_OK,
	    "rotating again");
	is_int(removed, 0, "removes nothing more");
	free(unitdir);
}

/* Number of backup-named directories in dir. */
static size_t
count_backups(const char *dir)
{
	struct backup_list l;
	char *err = NULL;
	size_t n;

	if (backup_list(dir, &l, &err) != CX_OK) {
		free(err);
		return 0;
	}
	n = l.n;
	backup_list_free(&l);
	return n;
}

/* A frozen clock (and one set back) must not make a backup take the name
 * of one rotation removed: it sorted among the oldest and was removed
 * at once ("找不到备份…"). */
static void
test_clock(void)
{
	char *data = make_data("csrc"), *root = path_in("cbk"), *err = NULL;
	char *unit, *slug, *unitdir, *want;
	struct store *st = NULL;
	struct strlist seen;
	struct backup b;
	size_t i, j;
	bool unique = true, all_there = true, newest_first = true;

	setenv("CXZY_NOW", "2026-12-07 00:00:00", 1);
	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open data");
	unit = backup_unit_name(st, fs);
	slug = backup_unit_slug(unit);
	unitdir = xasprintf("%s/%s", root, slug);
	strlist_init(&seen);
	for (i = 0; i < 14; i++) {
		struct backup_list l;

		if (backup_create(st, fs, root, 0, &b, &err) != CX_OK) {
			ok(0, "frozen clock: backup %zu: %s", i + 1, err);
			free(err);
			err = NULL;
			all_there = false;
			continue;
		}
		for (j = 0; j < seen.n; j++)
			if (strcmp(seen.v[j], b.name) == 0)
				unique = false;
		strlist_add(&seen, b.name);
		if (!exists(unitdir, b.name) || b.clock_behind)
			all_there = false;
		if (backup_list(root, &l, NULL) != CX_OK || l.n == 0 ||
		    strcmp(l.v[0].name, b.name) != 0)
			newest_first = false;
		backup_list_free(&l);
		backup_free(&b);
	}
	ok(unique, "frozen clock: 14 backups, 14 different names");
	ok(all_there, "each new backup survives its rotation");
	ok(newest_first, "and is listed first");
	is_str(seen.n > 0 ? seen.v[seen.n - 1] : "", "20261207-000000-14",
	    "the suffixes go on counting");
	is_int(count_backups(root), BACKUP_KEEP, "rotation keeps %d",
	    BACKUP_KEEP);
	ok(!exists(unitdir, "20261207-000000"), "the first one was rotated "
	    "away, and its name was not taken again");

	/* The clock set back by a month: named after the newest. */
	setenv("CXZY_NOW", "2026-11-01 08:00:00", 1);
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK,
	    "clock set back: backup");
	is_str(b.name, "20261207-000000-15", "named after the newest");
	ok(b.clock_behind, "and says the clock is behind");
	is_str(b.time, "2026-11-01 08:00:00", "INFO.txt has the clock's time");
	ok(exists(unitdir, "20261207-000000-15"), "it is kept");
	backup_free(&b);

	/* The clock right again: named by the time. */
	setenv("CXZY_NOW", "2026-12-08 09:00:00", 1);
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK,
	    "clock right again: backup");
	is_str(b.name, "20261208-090000", "named by the time");
	ok(!b.clock_behind, "nothing to say");
	backup_free(&b);

	/* Suffixes run out: the next second after the newest. */
	fake_backup(unitdir, "20261231-235959-999");
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK,
	    "after a -999: backup");
	is_str(b.name, "20270101-000000", "the next second");
	ok(b.clock_behind, "the clock is behind that one too");
	backup_free(&b);

	want = xasprintf("%s/%s", unitdir, "20261208-090000");
	ok(exists(want, BACKUP_INFO), "the earlier ones stay");
	free(want);
	setenv("CXZY_NOW", NOW, 1);
	strlist_free(&seen);
	store_close(st);
	free(unitdir);
	free(slug);
	free(unit);
	free(root);
	free(data);
}

/* A backup that fails half way (the disk full: here a file size limit,
 * which root cannot bypass) leaves nothing it made behind. */
static int
create_limited(struct store *st, const char *root, rlim_t limit,
    char **errp)
{
	struct backup b;
	struct rlimit old, lim;
	int r;

	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = limit;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	r = backup_create(st, fs, root, 0, &b, errp);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	if (r == CX_OK)
		backup_free(&b);
	return r;
}

static void
test_failed_create(void)
{
	char *data = make_data("fsrc"), *err = NULL, *root, *top, *unitdir;
	char *unit, *slug;
	struct store *st = NULL;
	struct backup b;

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open data");
	unit = backup_unit_name(st, fs);
	slug = backup_unit_slug(unit);

	/* Nothing there yet: no write at all succeeds. */
	top = path_in("full1");
	root = xasprintf("%s/backups", top);
	is_int(create_limited(st, root, 0, &err), CX_ERR,
	    "a backup that cannot write UNIT.txt fails");
	ok(err != NULL && strstr(err, BACKUP_UNIT) != NULL, "saying so: %s",
	    err ? err : "");
	free(err);
	err = NULL;
	ok(!exists(tmproot, "full1"), "the root it made is gone");
	free(root);
	free(top);

	/* The root exists; the copy itself fails. */
	root = path_in("full2");
	mkdir(root, 0777);
	unitdir = xasprintf("%s/%s", root, slug);
	is_int(create_limited(st, root, 8192, &err), CX_ERR,
	    "a backup whose copy cannot be written fails");
	free(err);
	err = NULL;
	ok(!exists(root, slug), "the unit directory it made is gone");
	ok(exists(tmproot, "full2"), "the root that was there stays");

	/* A unit directory with a backup in it: only the attempt goes. */
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK,
	    "a good backup");
	is_int(create_limited(st, root, 8192, &err), CX_ERR,
	    "then one that fails");
	free(err);
	err = NULL;
	ok(exists(unitdir, b.name) && exists(unitdir, BACKUP_UNIT),
	    "the earlier backup and UNIT.txt stay");
	is_int(count_prefix(unitdir, ".tmp-"), 0, "no temporary dir is left");
	is_int(count_backups(root), 1, "and no new backup");
	backup_free(&b);

	store_close(st);
	free(unitdir);
	free(root);
	free(slug);
	free(unit);
	free(data);
}

static void
test_restore(void)
{
	char *data = make_data("rsrc"), *root = path_in("rbk"), *err = NULL;
	char *saved = NULL, *p, *q;
	const struct form *fm = formset_find(fs, "member");
	struct store *st = NULL;
	struct backup b;
	size_t nmem, norg;
	struct record *r;

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open data");
	nmem = count_of(st, "member");
	norg = count_of(st, "org");
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK,
	    "backup before the changes");
	/* Change the data after the backup. */
	is_int(store_delete(st, fm, 1, &err), CX_OK, "delete member 1");
	r = record_new();
	record_set(r, "name", "备份之后添加");
	is_int(store_put(st, fm, r, &err), CX_OK, "add a member");
	record_free(r);
	store_close(st);
	st = NULL;
	is_int(count_in(data, "member"), nmem, "one out, one in");

	is_int(backup_restore(b.path, fs, data, &saved, &err), CX_OK,
	    "backup_restore%s%s", err ? ": " : "", err ? err : "");
	ok(saved != NULL && strstr(saved, BACKUP_BEFORE_RESTORE
	    "20261127-100000") != NULL, "the old data.mdb is kept: %s",
	    saved ? saved : "(null)");
	ok(saved != NULL && access(saved, F_OK) == 0, "and exists");
	ok(!exists(data, "data.mdb.restore-tmp"), "no temporary file left");
	ok(!exists(data, "lock.mdb"), "the stale lock file is gone");
	p = xasprintf("%s/data.mdb", data);
	q = xasprintf("%s/data.mdb", b.path);
	ok(same_file(p, q), "data.mdb is the backup's");
	free(p);
	free(q);

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK,
	    "the restored data opens");
	if (st != NULL) {
		struct record *got = NULL;
		uint64_t *ids = NULL;
		size_t n = 0;
		struct strlist damage;

		is_int(count_of(st, "member"), nmem, "member count as backed up");
		is_int(count_of(st, "org"), norg, "org count as backed up");
		is_int(store_get(st, fm, 1, &got, &err), CX_OK,
		    "member 1 is back");
		record_free(got);
		is_int(store_find(st, fm, "name", "备份之后添加", &ids, &n, &err),
		    CX_OK, "find the later member");
		is_int(n, 0, "the member added after the backup is gone");
		free(ids);
		strlist_init(&damage);
		ok(store_check(st, &damage, &err) == CX_OK && damage.n == 0,
		    "the restored data checks clean");
		strlist_free(&damage);
		store_close(st);
	}
	free(saved);
	saved = NULL;

	/* Restoring twice in the same second keeps both old files. */
	is_int(backup_restore(b.path, fs, data, &saved, &err), CX_OK,
	    "restore again");
	ok(saved != NULL && strstr(saved, "20261127-100000-2") != NULL,
	    "the second old file gets a suffix");
	is_int(count_prefix(data, BACKUP_BEFORE_RESTORE), 2, "two kept files");
	free(saved);
	saved = NULL;

	/* Into an empty (new) directory: the stick was replaced. */
	p = path_in("newstick");
	is_int(backup_restore(b.path, fs, p, &saved, &err), CX_OK,
	    "restore into a missing directory");
	ok(saved == NULL, "nothing to keep there");
	is_int(count_in(p, "member"), nmem, "and it opens with the members");
	free(p);

	/* A foreign directory is never written into. */
	p = path_in("foreign");
	mkdir(p, 0777);
	q = xasprintf("%s/letter.txt", p);
	{
		FILE *f = fopen(q, "w");

		if (f != NULL)
			fclose(f);
	}
	is_int(backup_restore(b.path, fs, p, &saved, &err), CX_ERR,
	    "a foreign directory is refused");
	ok(!exists(p, "data.mdb"), "and gets no data.mdb");
	free(err);
	err = NULL;
	free(q);
	free(p);

	backup_free(&b);
	free(root);
	free(data);
}

static void
test_refusals(void)
{
	char *data = make_data("dsrc"), *root = path_in("dbk"), *err = NULL;
	char *mdb, *before, *now;
	struct store *st = NULL;
	struct backup b;
	int fds[2];
	pid_t pid = -1;

	ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "open data");
	is_int(backup_create(st, fs, root, 0, &b, &err), CX_OK, "backup");
	store_close(st);

	/* Damage a record inside the backup. */
	mdb = xasprintf("%s/data.mdb", b.path);
	ok(corrupt_file(mdb, MARK) >= 1, "flipped a byte of a record in the "
	    "backup's data.mdb");
	is_int(backup_verify(b.path, fs, NULL, NULL, &err), CX_ERR,
	    "a damaged backup fails verification");
	ok(err != NULL && strstr(err, "已损坏") != NULL, "saying it is damaged: %s",
	    err ? err : "");
	free(err);
	err = NULL;
	before = xasprintf("%s/data.mdb", data);
	now = xasprintf("%s/before.copy", tmproot);
	copy_file(before, now);
	is_int(backup_restore(b.path, fs, data, NULL, &err), CX_ERR,
	    "restoring a damaged backup is refused");
	ok(err != NULL && strstr(err, "现有数据没有改动") != NULL,
	    "saying the data is unchanged");
	free(err);
	err = NULL;
	ok(same_file(before, now), "data.mdb is unchanged");
	is_int(count_prefix(data, BACKUP_BEFORE_RESTORE), 0,
	    "nothing was renamed");
	free(mdb);

	/* Data another process has open is refused. */
	{
		struct backup g;

		ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "reopen");
		is_int(backup_create(st, fs, root, 0, &g, &err), CX_OK,
		    "a good backup");
		store_close(st);
		st = NULL;
		if (pipe(fds) == 0 && (pid = fork()) == 0) {
			struct store *cs = NULL;
			char c = 'x';

			close(fds[0]);
			if (store_open(data, fs, 0, NULL, &cs, NULL) != CX_OK)
				c = 'e';
			if (write(fds[1], &c, 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		} else if (pid > 0) {
			char c = 0;

			close(fds[1]);
			ok(read(fds[0], &c, 1) == 1 && c == 'x',
			    "another process opened the data");
			is_int(backup_restore(g.path, fs, data, NULL, &err),
			    CX_ERR, "restore while it is open is refused");
			ok(err != NULL && strstr(err, "另一个程序") != NULL,
			    "saying another program has it open: %s",
			    err ? err : "");
			free(err);
			err = NULL;
			ok(same_file(before, now), "data.mdb is unchanged");
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
			close(fds[0]);
			is_int(backup_restore(g.path, fs, data, NULL, &err),
			    CX_OK, "after it ended, restore works");
		}
		backup_free(&g);
	}

	/* A read-only data directory (file modes mean nothing to root). */
	if (geteuid() != 0) {
		struct backup g;

		ok(store_open(data, fs, 0, NULL, &st, &err) == CX_OK, "reopen");
		is_int(backup_create(st, fs, root, 0, &g, &err), CX_OK,
		    "a backup");
		store_close(st);
		chmod(data, 0555);
		is_int(backup_restore(g.path, fs, data, NULL, &err), CX_ERR,
		    "a read-only data directory is refused");
		is_str(err, STORE_MSG_READONLY, "with the store's message");
		free(err);
		err = NULL;
		chmod(data, 0755);
		backup_free(&g);
	} else
		ok(1, "# skip read-only test as root");

	backup_free(&b);
	free(before);
	free(now);
	free(root);
	free(data);
}

static void
test_slug(void)
{
	char *a = backup_unit_slug("某某局机关党委");
	char *b = backup_unit_slug("某某局机关党委 ");
	char *c = backup_unit_slug("");
	size_t i;
	bool ascii = true;

	for (i = 0; a[i] != '\0'; i++)
		if ((unsigned char)a[i] >= 0x80)
			ascii = false;
	ok(ascii && strlen(a) == 13, "slug is ASCII: %s", a);
	ok(strcmp(a, b) != 0, "different names, different slugs");
	is_str(c, "unit-00000000", "no unit");
	free(a);
	free(b);
	free(c);
}

static void
test_root(void)
{
	char *r, *err = NULL;
	char *saved = getenv("CXZY_BACKUP_DIR") ?
	    xstrdup(getenv("CXZY_BACKUP_DIR")) : NULL;

	setenv("CXZY_BACKUP_DIR", "/x/bk", 1);
	r = backup_default_root(&err);
	is_str(r, "/x/bk", "CXZY_BACKUP_DIR wins");
	free(r);
	unsetenv("CXZY_BACKUP_DIR");
	setenv("XDG_DATA_HOME", "/x/share", 1);
	r = backup_default_root(&err);
	is_str(r, "/x/share/cxzy/backups", "then XDG_DATA_HOME");
	free(r);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	r = backup_default_root(&err);
	is_str(r, "/home/u/.local/share/cxzy/backups", "then HOME");
	free(r);
	unsetenv("HOME");
	r = backup_default_root(&err);
	ok(r == NULL && err != NULL && strstr(err, "CXZY_BACKUP_DIR") != NULL,
	    "without HOME it says to set CXZY_BACKUP_DIR");
	free(err);
	if (saved != NULL)
		setenv("CXZY_BACKUP_DIR", saved, 1);
	free(saved);
}

int
main(void)
{
	const char *forms = getenv("CXZY_FORMS");
	char *err = NULL;

	setenv("CXZY_NOW", NOW, 1);
	setenv("TZ", "Asia/Shanghai", 1);
	if (forms == NULL)
		forms = "forms";
	if (formset_load_dir(forms, &fs, &err) != CX_OK) {
		printf("Bail out! forms in %s: %s\n", forms, err);
		return 1;
	}
	snprintf(tmproot, sizeof tmproot, "%s", "/tmp/cxzy-backup.XXXXXX");
	if (mkdtemp(tmproot) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_slug();
	test_root();
	test_copy();
	test_create_list();
	test_rotate();
	test_clock();
	test_failed_create();
	test_restore();
	test_refusals();
	rm_rf(tmproot);
	formset_free(fs);
	return tap_done();
}
