/* backup.c: rotated, verified copies of the data directory (see
 * backup.h and docs/storage.md). */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "codec.h"
#include "model.h"
#include "store.h"
#include "util.h"

#define BACKUP_TMP_PREFIX	".tmp-"
#define BACKUP_RESTORE_TMP	"data.mdb.restore-tmp"
#define BACKUP_INFO_HEAD	"cxzy backup"
#define BACKUP_STALE_SECS	3600
#define BACKUP_MAX_SUFFIX	999

/* The files a backup directory may hold; nothing else is ever deleted. */
static const char *const backup_files[] = {
	"data.mdb", "lock.mdb", STORE_MARKER, STORE_MARKER ".tmp",
	BACKUP_INFO, BACKUP_INFO ".tmp"
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static bool
backup_exists(const char *dir, const char *name)
{
	char *p = util_path(dir, name);
	struct stat sb;
	bool yes = lstat(p, &sb) == 0;

	free(p);
	return yes;
}

static bool
backup_is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* mkdir -p; errno on -1.  *created (may be NULL) is the outermost
 * directory this call made (newly allocated), NULL when all were there:
 * what to remove again when the backup fails. */
static int
backup_mkdirs(const char *path, char **created)
{
	char *p = xstrdup(path), *s;
	int r = 0;

	if (created != NULL)
		*created = NULL;
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) == 0) {
				if (created != NULL && *created == NULL)
					*created = xstrdup(p);
			} else if (errno != EEXIST) {
				r = -1;
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (r == 0 && !backup_is_dir(path)) {
		errno = ENOTDIR;
		r = -1;
	}
	free(p);
	return r;
}

/* Undoes backup_mkdirs after a failed backup: UNIT.txt (written by the
 * same call into the new unit directory), then each directory from path
 * up to created, as long as it is empty.  errno is kept. */
static void
backup_unmake_dirs(const char *path, const char *created)
{
	char *p, *q, *unit;
	size_t n = strlen(created);
	int e = errno;

	unit = util_path(path, BACKUP_UNIT);
	(void)unlink(unit);
	free(unit);
	unit = xasprintf("%s/%s.tmp", path, BACKUP_UNIT);
	(void)unlink(unit);
	free(unit);
	p = xstrdup(path);
	while (strlen(p) >= n && rmdir(p) == 0 && strlen(p) > n) {
		q = strrchr(p, '/');
		if (q == NULL || q == p)
			break;
		*q = '\0';
	}
	free(p);
	errno = e;
}

/* Removes a backup (or temporary) directory: only the files a backup
 * holds, then the directory itself, which fails when anything else is
 * in it.  Returns 0 when it is gone. */
static int
backup_remove_dir(const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof backup_files / sizeof backup_files[0]; i++) {
		char *p = util_path(dir, backup_files[i]);

		(void)unlink(p);
		free(p);
	}
	return rmdir(dir);
}

static void
backup_local_time(time_t now, struct tm *tm)
{
	if (localtime_r(&now, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

/* "20261127-100000". */
static void
backup_stamp(time_t now, char out[16])
{
	struct tm tm;

	backup_local_time(now, &tm);
	if (strftime(out, 16, "%Y%m%d-%H%M%S", &tm) == 0)
		strcpy(out, "00000000-000000");
}

/* Whether s is a backup's name: YYYYMMDD-HHMMSS, optionally "-N".  The
 * suffix (1 when there is none) goes to *suffix. */
static bool
backup_is_name(const char *s, unsigned *suffix)
{
	size_t i;
	unsigned n = 0;

	for (i = 0; i < 15; i++) {
		if (i == 8 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	}
	if (s[15] == '\0') {
		if (suffix != NULL)
			*suffix = 1;
		return true;
	}
	if (s[15] != '-' || s[16] == '\0' || s[16] == '0')
		return false;
	for (i = 16; s[i] != '\0'; i++) {
		if (!isdigit((unsigned char)s[i]) || i > 19)
			return false;
		n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (suffix != NULL)
		*suffix = n;
	return true;
}

static bool
backup_is_slug(const char *s)
{
	size_t i;

	if (strncmp(s, "unit-", 5) != 0)
		return false;
	for (i = 5; i < 13; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return s[13] == '\0';
}

/* The last path component (newly allocated), ignoring trailing '/'. */
static char *
backup_basename(const char *path)
{
	size_t n = strlen(path);
	const char *s;

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (s = path + n; s > path && s[-1] != '/'; s--)
		;
	return xstrndup(s, (size_t)(path + n - s));
}

/* The directory holding path (newly allocated). */
static char *
backup_dirname(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		return xstrdup(".");
	return xstrndup(path, n);
}

/* Text for a one-line "key value" file: no line breaks. */
static char *
backup_one_line(const char *s)
{
	char *t = xstrdup(s), *p;

	for (p = t; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return t;
}

/* ------------------------------------------------------------------ */
/* Roots, units and counts                                             */
/* ------------------------------------------------------------------ */

char *
backup_default_root(char **errp)
{
	const char *env = getenv("CXZY_BACKUP_DIR");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	/* The XDG rules say to ignore a relative path. */
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/cxzy/backups", xdg);
	if (home != NULL && *home != '\0')
		return xasprintf("%s/.local/share/cxzy/backups", home);
	err_set(errp, "不知道把备份放在哪里：环境变量 HOME 没有设置。"
	    "请用环境变量 CXZY_BACKUP_DIR 指定备份目录。");
	return NULL;
}

static int
backup_unit_cb(void *arg, const struct form *f, const struct record *r)
{
	char **unit = arg;
	const char *type = record_get(r, "type");
	const char *name = record_get(r, "name");

	(void)f;
	if (type != NULL && strcmp(type, "committee") == 0 && name != NULL) {
		free(*unit);
		*unit = xstrdup(name);
		return 1;
	}
	return 0;
}

char *
backup_unit_name(struct store *st, const struct formset *fs)
{
	const struct form *forg = formset_find(fs, "org");
	char *unit = NULL;

	/* Damaged data is still worth a backup: the name is only a label. */
	if (forg != NULL)
		(void)store_foreach(st, forg, backup_unit_cb, &unit, NULL);
	return unit != NULL ? unit : xstrdup("");
}

char *
backup_unit_slug(const char *unit)
{
	return xasprintf("unit-%08lx",
	    (unsigned long)codec_crc32(0, unit, strlen(unit)));
}

int
backup_store_counts(struct store *st, const struct formset *fs,
    struct backup_count **out, size_t *n, char **errp)
{
	struct backup_count *c = xcalloc(fs->n + 1, sizeof *c);
	size_t i;

	for (i = 0; i < fs->n; i++) {
		c[i].kind = xstrdup(fs->forms[i]->kind);
		c[i].label = xstrdup(fs->forms[i]->label);
		if (store_count(st, fs->forms[i], &c[i].n, errp) != CX_OK) {
			backup_counts_free(c, i + 1);
			*out = NULL;
			*n = 0;
			return CX_ERR;
		}
	}
	*out = c;
	*n = fs->n;
	return CX_OK;
}

char *
backup_counts_text(const struct backup_count *c, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s %zu 条", i ? "、" : "", c[i].label, c[i].n);
	if (n == 0)
		buf_addstr(&b, "（记录数不详）");
	return buf_take(&b);
}

void
backup_counts_free(struct backup_count *c, size_t n)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(c[i].kind);
		free(c[i].label);
	}
	free(c);
}

void
backup_free(struct backup *b)
{
	if (b == NULL)
		return;
	free(b->path);
	free(b->name);
	free(b->slug);
	free(b->unit);
	free(b->time);
	free(b->source);
	free(b->program);
	backup_counts_free(b->counts, b->ncounts);
	memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------ */
/* Verifying                                                           */
/* ------------------------------------------------------------------ */

int
backup_verify(const char *path, const struct formset *fs,
    struct backup_count **counts, size_t *ncounts, char **errp)
{
	struct store *st = NULL;
	struct strlist damage;
	struct backup_count *c = NULL;
	size_t nc = 0;
	bool had_lock = backup_exists(path, "lock.mdb");
	int r = CX_ERR;

	if (counts != NULL)
		*counts = NULL;
	if (ncounts != NULL)
		*ncounts = 0;
	strlist_init(&damage);
	if (store_open(path, fs, STORE_READONLY, NULL, &st, errp) != CX_OK) {
		err_prefix(errp, "备份“%s”无法打开：", path);
		goto out;
	}
	if (store_check(st, &damage, errp) != CX_OK) {
		err_prefix(errp, "无法检查备份“%s”：", path);
		goto out;
	}
	if (damage.n > 0) {
		err_set(errp, "备份“%s”已损坏，检查发现 %zu 处问题（%s%s）。",
		    path, damage.n, damage.v[0], damage.n > 1 ? "等" : "");
		goto out;
	}
	if (backup_store_counts(st, fs, &c, &nc, errp) != CX_OK)
		goto out;
	if (counts != NULL) {
		*counts = c;
		*ncounts = nc;
		c = NULL;
	}
	r = CX_OK;
out:
	backup_counts_free(c, nc);
	strlist_free(&damage);
	store_close(st);
	/* A read-only open of a writable directory makes a lock file; a
	 * backup holds only its data. */
	if (!had_lock) {
		char *lock = util_path(path, "lock.mdb");

		(void)unlink(lock);
		free(lock);
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* Reading a backup's description                                      */
/* ------------------------------------------------------------------ */

static void
backup_add_count(struct backup *b, const char *kind, size_t n,
    const char *label)
{
	b->counts = xrealloc(b->counts, (b->ncounts + 1) * sizeof *b->counts);
	b->counts[b->ncounts].kind = xstrdup(kind);
	b->counts[b->ncounts].label = xstrdup(*label != '\0' ? label : kind);
	b->counts[b->ncounts].n = n;
	b->ncounts++;
}

/* Parses INFO.txt; unknown keys are ignored, so later versions may add
 * lines. */
static bool
backup_parse_info(struct backup *b, char *text)
{
	char *line, *next;

	if (strncmp(text, BACKUP_INFO_HEAD "\n", sizeof BACKUP_INFO_HEAD) != 0)
		return false;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		char *sp, *val;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		sp = strchr(line, ' ');
		if (sp == NULL)
			continue;
		*sp = '\0';
		val = sp + 1;
		if (strcmp(line, "time") == 0) {
			free(b->time);
			b->time = xstrdup(val);
		} else if (strcmp(line, "source") == 0) {
			free(b->source);
			b->source = xstrdup(val);
		} else if (strcmp(line, "program") == 0) {
			free(b->program);
			b->program = xstrdup(val);
		} else if (strcmp(line, "unit") == 0) {
			free(b->unit);
			b->unit = xstrdup(val);
		} else if (strcmp(line, "count") == 0) {
			/* count KIND N LABEL */
			char *kind = val, *num = strchr(kind, ' '), *label, *end;
			unsigned long long n;

			if (num == NULL)
				continue;
			*num++ = '\0';
			label = strchr(num, ' ');
			if (label != NULL)
				*label++ = '\0';
			errno = 0;
			n = strtoull(num, &end, 10);
			if (errno != 0 || end == num || *end != '\0')
				continue;
			backup_add_count(b, kind, (size_t)n, label ? label : "");
		}
	}
	return true;
}

/* "2026-11-27 10:00:00" from a backup's name. */
static char *
backup_time_of_name(const char *name)
{
	return xasprintf("%.4s-%.2s-%.2s %.2s:%.2s:%.2s", name, name + 4,
	    name + 6, name + 9, name + 11, name + 13);
}

int
backup_load(const char *path, struct backup *out, char **errp)
{
	char *info = util_path(path, BACKUP_INFO), *text = NULL;
	char *parent = backup_dirname(path), *slug = backup_basename(parent);
	size_t len;

	memset(out, 0, sizeof *out);
	if (!backup_is_dir(path)) {
		free(info);
		free(parent);
		free(slug);
		return err_set(errp, "找不到备份“%s”。请用“cxzy backups”查看有哪些"
		    "备份。", path);
	}
	out->path = xstrdup(path);
	out->name = backup_basename(path);
	if (util_read_file(info, &text, &len, NULL) == CX_OK &&
	    strlen(text) == len)
		out->info_ok = backup_parse_info(out, text);
	free(text);
	free(info);
	if (!out->info_ok) {
		backup_counts_free(out->counts, out->ncounts);
		out->counts = NULL;
		out->ncounts = 0;
		if (!backup_exists(path, "data.mdb")) {
			free(parent);
			free(slug);
			err_set(errp, "“%s”不是 cxzy 的备份（里面没有 data.mdb）。"
			    "请用“cxzy backups”查看有哪些备份。", path);
			backup_free(out);
			return CX_ERR;
		}
	}
	if (backup_is_slug(slug)) {
		char *unit = util_path(parent, BACKUP_UNIT);

		out->slug = slug;
		slug = NULL;
		text = NULL;
		if (util_read_file(unit, &text, &len, NULL) == CX_OK &&
		    strlen(text) == len) {
			text[strcspn(text, "\r\n")] = '\0';
			if (*text != '\0') {
				free(out->unit);
				out->unit = text;
				text = NULL;
			}
		}
		free(text);
		free(unit);
	} else
		out->slug = xstrdup("");
	if (out->time == NULL)
		out->time = backup_is_name(out->name, NULL) ?
		    backup_time_of_name(out->name) : xstrdup("");
	if (out->unit == NULL)
		out->unit = xstrdup("");
	if (out->source == NULL)
		out->source = xstrdup("");
	if (out->program == NULL)
		out->program = xstrdup("");
	free(parent);
	free(slug);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Listing and finding                                                 */
/* ------------------------------------------------------------------ */

/* Newest first: by the name's time stamp, then its suffix; then by
 * unit, so that the order is stable. */
static int
backup_cmp(const void *a, const void *b)
{
	const struct backup *x = a, *y = b;
	unsigned sx = 1, sy = 1;
	int c = strncmp(y->name, x->name, 15);

	if (c != 0)
		return c;
	(void)backup_is_name(x->name, &sx);
	(void)backup_is_name(y->name, &sy);
	if (sx != sy)
		return sx < sy ? 1 : -1;
	return strcmp(x->slug, y->slug);
}

static void
backup_list_unit(const char *unitdir, struct backup_list *out)
{
	DIR *d = opendir(unitdir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct backup b;
		char *p;

		if (!backup_is_name(de->d_name, NULL))
			continue;
		p = util_path(unitdir, de->d_name);
		if (backup_load(p, &b, NULL) == CX_OK) {
			out->v = xgrow(out->v, &out->cap, out->n + 1,
			    sizeof *out->v);
			out->v[out->n++] = b;
		}
		free(p);
	}
	closedir(d);
}

int
backup_list(const char *root, struct backup_list *out, char **errp)
{
	DIR *d;
	struct dirent *de;

	memset(out, 0, sizeof *out);
	d = opendir(root);
	if (d == NULL) {
		if (errno == ENOENT)
			return CX_OK;
		return err_set(errp, "无法读取备份目录“%s”：%s。请检查目录权限。",
		    root, util_strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (!backup_is_slug(de->d_name))
			continue;
		p = util_path(root, de->d_name);
		backup_list_unit(p, out);
		free(p);
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, backup_cmp);
	return CX_OK;
}

void
backup_list_free(struct backup_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		backup_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
backup_find(const char *root, const char *name, const char *prefer_slug,
    struct backup *out, char **errp)
{
	struct backup_list l;
	size_t i, found = 0, pick = 0, preferred = 0, ppick = 0;

	memset(out, 0, sizeof *out);
	if (strchr(name, '/') != NULL || !backup_is_name(name, NULL))
		return backup_load(name, out, errp);
	if (root == NULL)
		return err_set(errp, "找不到备份“%s”：不知道备份目录在哪里。"
		    "请写出备份的完整路径。", name);
	if (backup_list(root, &l, errp) != CX_OK)
		return CX_ERR;
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].name, name) != 0)
			continue;
		found++;
		pick = i;
		if (prefer_slug != NULL && strcmp(l.v[i].slug, prefer_slug) == 0) {
			preferred++;
			ppick = i;
		}
	}
	if (found > 1 && preferred == 1) {
		found = 1;
		pick = ppick;
	}
	if (found == 1) {
		*out = l.v[pick];
		memset(&l.v[pick], 0, sizeof l.v[pick]);
		backup_list_free(&l);
		return CX_OK;
	}
	if (found == 0) {
		backup_list_free(&l);
		if (backup_is_dir(name))
			return backup_load(name, out, errp);
		return err_set(errp, "备份目录“%s”里没有名为“%s”的备份。"
		    "请用“cxzy backups”查看有哪些备份。", root, name);
	} else {
		struct buf b;

		buf_init(&b);
		for (i = 0; i < l.n; i++)
			if (strcmp(l.v[i].name, name) == 0)
				buf_addf(&b, "%s%s", b.len ? "、" : "", l.v[i].path);
		err_set(errp, "有 %zu 份备份都叫“%s”（%s）。请写出完整路径。",
		    found, name, b.s);
		buf_free(&b);
		backup_list_free(&l);
		return CX_ERR;
	}
}

/* ------------------------------------------------------------------ */
/* Rotation                                                            */
/* ------------------------------------------------------------------ */

static int
backup_name_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	unsigned sx = 1, sy = 1;
	int c = strncmp(y, x, 15);

	if (c != 0)
		return c;
	(void)backup_is_name(x, &sx);
	(void)backup_is_name(y, &sy);
	return sx < sy ? 1 : sx > sy ? -1 : 0;
}

/* backup_rotate, never removing the backup named spare (may be NULL):
 * the one just made, whatever the names around it say. */
static int
backup_rotate_sparing(const char *unitdir, size_t keep, const char *spare,
    size_t *removed, char **errp)
{
	struct strlist names;
	DIR *d;
	struct dirent *de;
	time_t now = time(NULL);
	size_t i, j, gone = 0;

	if (removed != NULL)
		*removed = 0;
	if (keep == 0)
		keep = BACKUP_KEEP;
	d = opendir(unitdir);
	if (d == NULL)
		return err_set(errp, "无法读取备份目录“%s”：%s。", unitdir,
		    util_strerror(errno));
	strlist_init(&names);
	while ((de = readdir(d)) != NULL) {
		char *p;
		struct stat sb;

		if (backup_is_name(de->d_name, NULL)) {
			p = util_path(unitdir, de->d_name);
			if (backup_is_dir(p))
				strlist_add(&names, de->d_name);
			free(p);
		} else if (strncmp(de->d_name, BACKUP_TMP_PREFIX,
		    strlen(BACKUP_TMP_PREFIX)) == 0) {
			/* Left by an interrupted backup; a young one may be
			 * another cxzy's backup in progress. */
			p = util_path(unitdir, de->d_name);
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) &&
			    now - sb.st_mtime > BACKUP_STALE_SECS)
				(void)backup_remove_dir(p);
			free(p);
		}
	}
	closedir(d);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, backup_name_cmp);
	for (i = keep; i < names.n; i++) {
		bool newest_of_month = true;
		char *p;

		/* Sorted newest first: the first of its YYYYMM is the one a
		 * month keeps. */
		for (j = 0; j < i; j++)
			if (strncmp(names.v[j], names.v[i], 6) == 0)
				newest_of_month = false;
		if (newest_of_month || (spare != NULL &&
		    strcmp(names.v[i], spare) == 0))
			continue;
		p = util_path(unitdir, names.v[i]);
		if (backup_remove_dir(p) == 0)
			gone++;
		free(p);
	}
	strlist_free(&names);
	if (gone > 0)
		util_sync_dir(unitdir);
	if (removed != NULL)
		*removed = gone;
	return CX_OK;
}

int
backup_rotate(const char *unitdir, size_t keep, size_t *removed,
    char **errp)
{
	return backup_rotate_sparing(unitdir, keep, NULL, removed, errp);
}

/* ------------------------------------------------------------------ */
/* Creating                                                            */
/* ------------------------------------------------------------------ */

static char *
backup_info_text(const char *when, const char *source, const char *unit,
    const struct backup_count *c, size_t n)
{
	struct buf b;
	char *s;
	size_t i;

	buf_init(&b);
	buf_addf(&b, "%s\ntime %s\n", BACKUP_INFO_HEAD, when);
	s = backup_one_line(source);
	buf_addf(&b, "source %s\nprogram %s\n", s, PACKAGE_VERSION);
	free(s);
	s = backup_one_line(unit);
	buf_addf(&b, "unit %s\n", s);
	free(s);
	for (i = 0; i < n; i++)
		buf_addf(&b, "count %s %zu %s\n", c[i].kind, c[i].n, c[i].label);
	return buf_take(&b);
}

/* Compares the copy's counts with the source's. */
static int
backup_same_counts(const struct backup_count *a, const struct backup_count *b,
    size_t n, char **errp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i].n != b[i].n) {
			return err_set(errp, "复制出的数据与原数据的记录数不一致"
			    "（%s：原有 %zu 条，副本 %zu 条），这次没有备份。可能有"
			    "另一个程序正在修改数据，请稍后再试。", a[i].label,
			    a[i].n, b[i].n);
		}
	}
	return CX_OK;
}

/* Writes UNIT.txt unless it already names the unit. */
static int
backup_write_unit(const char *unitdir, const char *unit)
{
	char *path = util_path(unitdir, BACKUP_UNIT), *old = NULL;
	char *text = xasprintf("%s\n", *unit != '\0' ? unit : "（尚未设置机关党委）");
	size_t len;
	int r = 0;

	if (util_read_file(path, &old, &len, NULL) != CX_OK ||
	    strcmp(old, text) != 0)
		r = util_write_file(unitdir, BACKUP_UNIT, text, strlen(text));
	free(old);
	free(text);
	free(path);
	return r;
}

/* The newest backup's name in unitdir into newest ("" when none). */
static void
backup_newest(const char *unitdir, char newest[32])
{
	DIR *d = opendir(unitdir);
	struct dirent *de;
	const char *name, *cur = newest;

	newest[0] = '\0';
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		name = de->d_name;
		if (!backup_is_name(name, NULL) || strlen(name) >= 32)
			continue;
		if (newest[0] == '\0' || backup_name_cmp(&name, &cur) < 0)
			strcpy(newest, name);
	}
	closedir(d);
}

/* The stamp one second after a backup's name (local time). */
static void
backup_stamp_after(const char *name, char out[16])
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(name, "%4d%2d%2d-%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		strcpy(out, "99991231-235959");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_sec += 1;
	tm.tm_isdst = -1;
	backup_stamp(mktime(&tm), out);
}

/* The name a new backup starts from: its time stamp, unless that is not
 * after the newest backup's (a frozen clock, a clock set back).  Rotation
 * keeps the newest and removes the oldest, so a name that sorted before
 * the newest could be one rotation removed already, and would be removed
 * again at once.  Then the new backup goes right after the newest: its
 * stamp with the next suffix (the next second when the suffixes run
 * out).  *behind tells whether the clock is before the newest backup. */
static void
backup_next_name(const char *unitdir, char stamp[16], unsigned *suffix,
    bool *behind)
{
	char newest[32];
	unsigned k = 1;

	*suffix = 1;
	*behind = false;
	backup_newest(unitdir, newest);
	if (newest[0] == '\0' || strncmp(stamp, newest, 15) > 0)
		return;
	*behind = strncmp(stamp, newest, 15) < 0;
	(void)backup_is_name(newest, &k);
	if (k < BACKUP_MAX_SUFFIX) {
		memcpy(stamp, newest, 15);
		stamp[15] = '\0';
		*suffix = k + 1;
	} else
		backup_stamp_after(newest, stamp);
}

/* A directory name for the backup that is not taken yet, from suffix
 * first on; rename() then refuses (ENOTEMPTY/EEXIST) if another backup
 * got there first. */
static int
backup_place(const char *tmp, const char *unitdir, const char *stamp,
    unsigned first, char **final, char **errp)
{
	unsigned k;

	for (k = first; k <= BACKUP_MAX_SUFFIX; k++) {
		char *p = k == 1 ? xasprintf("%s/%s", unitdir, stamp) :
		    xasprintf("%s/%s-%u", unitdir, stamp, k);
		struct stat sb;

		if (lstat(p, &sb) == 0) {
			free(p);
			continue;
		}
		if (rename(tmp, p) == 0) {
			*final = p;
			return CX_OK;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			err_set(errp, "无法在“%s”保存备份：%s。请检查磁盘空间和目录"
			    "权限。", unitdir, util_strerror(errno));
			free(p);
			return CX_ERR;
		}
		free(p);
	}
	return err_set(errp, "“%s”里同一时刻的备份太多了，请稍后再试。", unitdir);
}

int
backup_create(struct store *st, const struct formset *fs, const char *root,
    size_t keep, struct backup *out, char **errp)
{
	char *unit = backup_unit_name(st, fs), *slug = backup_unit_slug(unit);
	char *unitdir = util_path(root, slug), *tmp = NULL, *final = NULL;
	char *src_abs = NULL, *info = NULL, *err2 = NULL, *created = NULL;
	struct backup_count *src = NULL, *cpy = NULL;
	size_t nsrc = 0, ncpy = 0, removed = 0;
	struct store *bst = NULL;
	struct strlist damage;
	char stamp[16], when[20];
	time_t now = model_now();
	unsigned suffix;
	bool behind;
	int r = CX_ERR;

	memset(out, 0, sizeof *out);
	strlist_init(&damage);
	if (backup_mkdirs(unitdir, &created) != 0) {
		err_set(errp, "无法建立备份目录“%s”：%s。请检查磁盘空间和目录权限，"
		    "或用环境变量 CXZY_BACKUP_DIR 指定别的备份目录。", unitdir,
		    util_strerror(errno));
		goto out;
	}
	if (backup_write_unit(unitdir, unit) != 0) {
		err_set(errp, "无法在备份目录“%s”写入 %s：%s。请检查磁盘空间和目录"
		    "权限。", unitdir, BACKUP_UNIT, util_strerror(errno));
		goto out;
	}
	tmp = xasprintf("%s/%sXXXXXX", unitdir, BACKUP_TMP_PREFIX);
	if (mkdtemp(tmp) == NULL) {
		err_set(errp, "无法在备份目录“%s”建立临时目录：%s。请检查磁盘空间"
		    "和目录权限。", unitdir, util_strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (backup_store_counts(st, fs, &src, &nsrc, errp) != CX_OK)
		goto out;
	if (store_copy(st, tmp, errp) != CX_OK)
		goto out;

	/* Check the copy as a restore would: what cannot be read back is
	 * no backup. */
	if (store_open(tmp, fs, STORE_READONLY, NULL, &bst, errp) != CX_OK) {
		err_prefix(errp, "复制出的数据无法打开，这次没有备份：");
		goto out;
	}
	if (store_check(bst, &damage, errp) != CX_OK) {
		err_prefix(errp, "无法检查复制出的数据，这次没有备份：");
		goto out;
	}
	if (damage.n > 0) {
		err_set(errp, "复制出的数据检查未通过（%s%s），这次没有备份，原有的"
		    "备份都保留着。当前数据可能已损坏，请运行“cxzy check”检查。",
		    damage.v[0], damage.n > 1 ? "等" : "");
		goto out;
	}
	if (backup_store_counts(bst, fs, &cpy, &ncpy, errp) != CX_OK ||
	    backup_same_counts(src, cpy, nsrc, errp) != CX_OK)
		goto out;
	store_close(bst);
	bst = NULL;
	{
		char *lock = util_path(tmp, "lock.mdb");

		(void)unlink(lock);
		free(lock);
	}

	backup_stamp(now, stamp);
	{
		struct tm tm;

		backup_local_time(now, &tm);
		if (strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			strcpy(when, "0000-00-00 00:00:00");
	}
	src_abs = realpath(store_dir(st), NULL);
	info = backup_info_text(when, src_abs ? src_abs : store_dir(st), unit,
	    src, nsrc);
	if (util_write_file(tmp, BACKUP_INFO, info, strlen(info)) != 0) {
		err_set(errp, "无法在“%s”写入 %s：%s。请检查磁盘空间。", tmp,
		    BACKUP_INFO, util_strerror(errno));
		goto out;
	}
	backup_next_name(unitdir, stamp, &suffix, &behind);
	if (backup_place(tmp, unitdir, stamp, suffix, &final, errp) != CX_OK)
		goto out;
	free(tmp);
	tmp = NULL;
	util_sync_dir(unitdir);

	/* A failed rotation leaves extra copies; the backup itself is
	 * fine. */
	if (backup_rotate_sparing(unitdir, keep, strrchr(final, '/') + 1,
	    &removed, &err2) != CX_OK)
		free(err2);
	if (backup_load(final, out, errp) != CX_OK)
		goto out;
	out->removed = removed;
	out->clock_behind = behind;
	r = CX_OK;
out:
	if (bst != NULL)
		store_close(bst);
	if (tmp != NULL)
		(void)backup_remove_dir(tmp);
	/* Nothing of a failed backup stays: not an empty unit directory
	 * (nor the root) that this call made. */
	if (r != CX_OK && final == NULL && created != NULL)
		backup_unmake_dirs(unitdir, created);
	free(created);
	strlist_free(&damage);
	backup_counts_free(src, nsrc);
	backup_counts_free(cpy, ncpy);
	free(src_abs);
	free(info);
	free(final);
	free(tmp);
	free(unitdir);
	free(slug);
	free(unit);
	return r;
}

/* ------------------------------------------------------------------ */
/* Restoring                                                           */
/* ------------------------------------------------------------------ */

/* Whether another process has the LMDB environment in dir open: LMDB
 * holds an fcntl lock on the first byte of lock.mdb while it does.  This
 * process's own locks never conflict (and closing the descriptor drops
 * them, which is why restoring ends the program). */
static bool
backup_env_in_use(const char *dir, long *pid)
{
	char *lock = util_path(dir, "lock.mdb");
	struct flock fl;
	bool used = false;
	int fd = open(lock, O_RDWR);

	free(lock);
	if (fd < 0)
		return false;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 1;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
		used = true;
		*pid = (long)fl.l_pid;
	}
	close(fd);
	return used;
}

/* Copies a file and flushes the copy.  errno on -1; the copy is removed
 * then. */
static int
backup_copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out, e;
	ssize_t n;

	in = open(from, O_RDONLY);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	for (;;) {
		n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (util_write_all(out, buf, (size_t)n) != 0) {
			n = -1;
			break;
		}
	}
	if (n < 0 || fsync(out) != 0) {
		e = errno;
		close(in);
		close(out);
		unlink(to);
		errno = e;
		return -1;
	}
	close(in);
	if (close(out) != 0) {
		e = errno;
		unlink(to);
		errno = e;
		return -1;
	}
	return 0;
}

/* Checks that datadir may be replaced: it exists (or can be made), can
 * be written, and is ours or empty. */
static int
backup_check_target(const char *datadir, char **errp)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	bool other = false;

	if (stat(datadir, &sb) != 0) {
		if (errno != ENOENT || mkdir(datadir, 0777) != 0)
			return err_set(errp, "无法建立数据目录“%s”：%s。请检查 U 盘"
			    "是否已插好、上级目录是否存在。", datadir,
			    util_strerror(errno));
		return CX_OK;
	}
	if (!S_ISDIR(sb.st_mode))
		return err_set(errp, "“%s”不是目录。请用 --data 指定数据目录。",
		    datadir);
	if (access(datadir, W_OK) != 0 || !util_path_writable(datadir, "data.mdb"))
		return err_set(errp, STORE_MSG_READONLY);
	if (backup_exists(datadir, STORE_MARKER) ||
	    backup_exists(datadir, "data.mdb"))
		return CX_OK;
	d = opendir(datadir);
	if (d == NULL)
		return err_set(errp, "无法读取数据目录“%s”：%s。请检查目录权限。",
		    datadir, util_strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			other = true;
	closedir(d);
	if (other)
		return err_set(errp, "目录“%s”里已有别的文件，不是 cxzy 的数据目录"
		    "（缺少 %s）。为免弄乱这些文件，不会把备份恢复到这里。请另选"
		    "一个空目录。", datadir, STORE_MARKER);
	return CX_OK;
}

int
backup_restore(const char *path, const struct formset *fs,
    const char *datadir, char **saved_as, char **errp)
{
	char *tmp = NULL, *data = NULL, *before = NULL, *from = NULL;
	char *marker = NULL, *lock = NULL;
	char stamp[16];
	long pid = 0;
	unsigned k;
	int r = CX_ERR;

	if (saved_as != NULL)
		*saved_as = NULL;
	if (backup_verify(path, fs, NULL, NULL, errp) != CX_OK) {
		err_prefix(errp, "没有恢复，现有数据没有改动。");
		return CX_ERR;
	}
	if (backup_check_target(datadir, errp) != CX_OK)
		return CX_ERR;
	if (backup_env_in_use(datadir, &pid)) {
		return err_set(errp, "数据正被另一个程序（进程号 %ld）打开，没有恢复。"
		    "请先关闭所有正在使用这份数据的 cxzy，再恢复。", pid);
	}

	from = util_path(path, "data.mdb");
	tmp = util_path(datadir, BACKUP_RESTORE_TMP);
	data = util_path(datadir, "data.mdb");
	if (backup_copy_file(from, tmp) != 0) {
		if (errno == ENOSPC)
			err_set(errp, "数据目录“%s”所在的 U 盘空间不够，没有恢复，现有"
			    "数据没有改动。请删除不需要的文件后再试。", datadir);
		else
			err_set(errp, "无法把备份复制到数据目录“%s”：%s。没有恢复，现有"
			    "数据没有改动。请检查 U 盘后再试。", datadir,
			    util_strerror(errno));
		goto out;
	}

	if (backup_exists(datadir, "data.mdb")) {
		backup_stamp(model_now(), stamp);
		for (k = 1; k <= BACKUP_MAX_SUFFIX; k++) {
			free(before);
			before = k == 1 ?
			    xasprintf("%s/%s%s", datadir, BACKUP_BEFORE_RESTORE,
			    stamp) :
			    xasprintf("%s/%s%s-%u", datadir, BACKUP_BEFORE_RESTORE,
			    stamp, k);
			if (access(before, F_OK) != 0)
				break;
		}
		/* A hard link keeps data.mdb in place until the rename
		 * replaces it atomically; FAT has no links, and there the
		 * gap between the two renames is as short as it gets. */
		if (link(data, before) == 0) {
			if (rename(tmp, data) != 0) {
				err_set(errp, "无法替换数据文件：%s。没有恢复，现有数据"
				    "没有改动。", util_strerror(errno));
				(void)unlink(before);
				goto out;
			}
		} else {
			if (rename(data, before) != 0) {
				err_set(errp, "无法保留现有的数据文件：%s。没有恢复，现有"
				    "数据没有改动。", util_strerror(errno));
				goto out;
			}
			if (rename(tmp, data) != 0) {
				int e = errno;

				(void)rename(before, data);
				err_set(errp, "无法替换数据文件：%s。没有恢复，现有数据"
				    "没有改动。", util_strerror(e));
				goto out;
			}
		}
	} else if (rename(tmp, data) != 0) {
		err_set(errp, "无法在“%s”放入恢复的数据文件：%s。", datadir,
		    util_strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;

	/* The marker must describe the data.mdb now in place; the
	 * backup's was written with it. */
	marker = util_path(path, STORE_MARKER);
	{
		char *text = NULL;
		size_t len;

		if (util_read_file(marker, &text, &len, NULL) == CX_OK)
			(void)util_write_file(datadir, STORE_MARKER, text,
			    strlen(text));
		free(text);
	}
	/* The reader table belonged to the old file. */
	lock = util_path(datadir, "lock.mdb");
	(void)unlink(lock);
	util_sync_dir(datadir);
	if (!backup_exists(datadir, STORE_MARKER)) {
		err_set(errp, "数据已从备份恢复，但无法写入 %s。请把备份里的 %s "
		    "复制到数据目录“%s”。", STORE_MARKER, STORE_MARKER, datadir);
		goto out;
	}
	if (saved_as != NULL && before != NULL) {
		*saved_as = before;
		before = NULL;
	}
	r = CX_OK;
out:
	if (tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	free(data);
	free(before);
	free(from);
	free(marker);
	free(lock);
	return r;
}
