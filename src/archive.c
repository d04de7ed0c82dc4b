/* archive.c: the portable text archive, its reader and the import (see
 * archive.h and docs/archive.md). */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "exchange.h"
#include "codec.h"
#include "formcopy.h"
#include "formdef.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define ARCHIVE_KIND_MAX	64
#define ARCHIVE_STDIN_MAX	((size_t)1 << 30)

/* Store-owned values, written first in this order. */
static const char *const archive_sys_ids[] = { "_created", "_modified",
    "_deleted", "_gid", "_rev", "_revs", "_frevs" };
#define ARCHIVE_NSYS (sizeof archive_sys_ids / sizeof archive_sys_ids[0])

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void
archive_hex_byte(struct buf *b, unsigned char c)
{
	buf_addf(b, "\\x%02X", c);
}

/* Appends s escaped.  Values may break their line after an escaped
 * newline and go on in a "+" line, which keeps long text readable and
 * diffs small; keys never break and also escape "=", spaces and a
 * leading "@", "+" or "#", so that a key line cannot look like anything
 * else.  A space that would begin or end a physical line is written \s,
 * so that editors that trim lines cannot change a value. */
static void
archive_put_escaped(struct buf *b, const char *s, size_t len, bool key)
{
	size_t i = 0;
	bool line_start = true;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80) {
			uint32_t uc;
			char tmp[5];
			size_t k, n = len - i < 4 ? len - i : 4;
			int m;

			memcpy(tmp, s + i, n);
			tmp[n] = '\0';
			m = text_utf8_decode(tmp, &uc);
			for (k = 0; k < (size_t)m && tmp[k] != '\0'; k++)
				;
			if (m == 1 || k != (size_t)m) {
				archive_hex_byte(b, c);
				i++;
			} else {
				buf_add(b, s + i, (size_t)m);
				i += (size_t)m;
			}
			line_start = false;
			continue;
		}
		switch (c) {
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			if (!key && i + 1 < len) {
				buf_addstr(b, "\n+");
				i++;
				line_start = true;
				continue;
			}
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case ' ':
			if (key || line_start || i + 1 == len ||
			    s[i + 1] == '\n')
				buf_addstr(b, "\\s");
			else
				buf_addc(b, ' ');
			break;
		case '=':
			if (key)
				archive_hex_byte(b, c);
			else
				buf_addc(b, '=');
			break;
		case '@': case '+': case '#':
			if (key && i == 0)
				archive_hex_byte(b, c);
			else
				buf_addc(b, (char)c);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				archive_hex_byte(b, c);
			else
				buf_addc(b, (char)c);
			break;
		}
		line_start = false;
		i++;
	}
}

static void archive_put_values(struct buf *b, const struct record *r,
    const struct form_field *fields, size_t nfields, bool top, int depth);

static void
archive_put_value(struct buf *b, const struct rvalue *v,
    const struct form_field *ff, int depth)
{
	size_t j;

	if (!v->is_rows) {
		archive_put_escaped(b, v->id, strlen(v->id), true);
		buf_addc(b, '=');
		archive_put_escaped(b, v->text, strlen(v->text), false);
		buf_addc(b, '\n');
		return;
	}
	buf_addstr(b, "@rows ");
	archive_put_escaped(b, v->id, strlen(v->id), true);
	buf_addc(b, '\n');
	for (j = 0; j < v->nrows; j++) {
		buf_addf(b, "@row %zu\n", j + 1);
		archive_put_values(b, v->rows[j],
		    ff != NULL && ff->type == FT_ROWS ? ff->sub : NULL,
		    ff != NULL && ff->type == FT_ROWS ? ff->nsub : 0, false,
		    depth + 1);
	}
	buf_addstr(b, "@endrows ");
	archive_put_escaped(b, v->id, strlen(v->id), true);
	buf_addc(b, '\n');
}

static int
archive_cmp_ids(const void *a, const void *b)
{
	const struct rvalue *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

/* Values in a stable order, so that an unchanged record always reads the
 * same: the store's times, the form's fields in the form's order, then
 * any other values by id. */
static void
archive_put_values(struct buf *b, const struct record *r,
    const struct form_field *fields, size_t nfields, bool top, int depth)
{
	const struct rvalue **rest;
	bool *done;
	size_t i, nrest = 0;

	if (r->n == 0)
		return;
	done = xcalloc(r->n, sizeof *done);
	for (i = 0; top && i < ARCHIVE_NSYS; i++) {
		const struct rvalue *v = record_find(r, archive_sys_ids[i]);

		if (v != NULL) {
			archive_put_value(b, v, NULL, depth);
			done[v - r->v] = true;
		}
	}
	for (i = 0; i < nfields; i++) {
		const struct rvalue *v = record_find(r, fields[i].id);

		if (v != NULL && !done[v - r->v]) {
			archive_put_value(b, v, &fields[i], depth);
			done[v - r->v] = true;
		}
	}
	rest = xcalloc(r->n, sizeof *rest);
	for (i = 0; i < r->n; i++)
		if (!done[i])
			rest[nrest++] = &r->v[i];
	qsort(rest, nrest, sizeof *rest, archive_cmp_ids);
	for (i = 0; i < nrest; i++)
		archive_put_value(b, rest[i], NULL, depth);
	free(rest);
	free(done);
}

/* Appends one record's block, its checksum line included. */
static void
archive_put_block(struct buf *b, const struct form *f,
    const struct record *r, bool trash)
{
	size_t start = b->len;

	buf_addf(b, "@%s %s %llu %u\n", trash ? "trash" : "record", f->kind,
	    (unsigned long long)r->id, r->form_version);
	archive_put_values(b, r, f->fields, f->nfields, true, 0);
	buf_addf(b, "@crc %08lx\n", (unsigned long)codec_crc32(0,
	    b->s + start, b->len - start));
}

struct archive_writer {
	struct store	*st;
	FILE		*fp;
	uint32_t	 crc;
	size_t		 n;
	struct buf	 b;
	bool		 failed;
	const struct archive_package *pkg;	/* or NULL: everything */
	size_t		 done;			/* records looked at */
	const struct form *f;			/* of the "@old" blocks */
	uint64_t	 id;
};

static void
archive_emit(struct archive_writer *w)
{
	w->crc = codec_crc32(w->crc, w->b.s, w->b.len);
	if (w->b.len > 0 && fwrite(w->b.s, 1, w->b.len, w->fp) != w->b.len)
		w->failed = true;
	buf_reset(&w->b);
}

static const char *
archive_str(const struct record *r, const char *id)
{
	const char *s = r != NULL ? record_get(r, id) : NULL;

	return s != NULL ? s : "";
}

/* The branch (local org id) a record belongs to, 0 for none (the
 * 机关党委 itself, the settings): an org is its own branch (a 党小组 its
 * parent's); other kinds name theirs in "branch_id". */
uint64_t
archive_branch_of(const struct form *f, const struct record *r)
{
	const char *type, *v;
	uint64_t id;

	if (strcmp(f->kind, "org") == 0) {
		type = archive_str(r, "type");
		if (strcmp(type, "branch") == 0 ||
		    strcmp(type, "direct_group") == 0)
			return r->id;
		if (strcmp(type, "group") != 0)
			return 0;
		v = record_get(r, "parent_id");
	} else
		v = record_get(r, "branch_id");
	return v != NULL && util_parse_id(v, &id) ? id : 0;
}

/* Whether a record of f is in period code: its "current_period" (items
 * carried forward) or its "period"; a kind with neither always is. */
static bool
archive_in_period(const struct form *f, const struct record *r,
    const char *code)
{
	bool has = false;

	if (form_field_find(f, "current_period") != NULL) {
		has = true;
		if (strcmp(archive_str(r, "current_period"), code) == 0)
			return true;
	}
	if (form_field_find(f, "period") != NULL) {
		has = true;
		if (strcmp(archive_str(r, "period"), code) == 0)
			return true;
	}
	return !has;
}

static bool
archive_package_wants(const struct archive_package *pkg,
    const struct form *f, const struct record *r)
{
	bool committee = strcmp(pkg->scope, "committee") == 0;

	if (pkg->period != NULL && !archive_in_period(f, r, pkg->period))
		return false;
	if (strcmp(f->kind, "settings") == 0)
		return committee;
	if (strcmp(f->kind, "org") == 0 &&
	    strcmp(archive_str(r, "type"), "committee") == 0)
		return committee;
	return archive_branch_of(f, r) == pkg->branch_org;
}

/* One "@old" block: version version of the record being written. */
static int
archive_export_old(void *arg, unsigned version, const struct record *old)
{
	struct archive_writer *w = arg;
	size_t start = w->b.len;

	buf_addf(&w->b, "@old %s %llu %u\n", w->f->kind,
	    (unsigned long long)w->id, version);
	archive_put_values(&w->b, old, w->f->fields, w->f->nfields, true, 0);
	buf_addf(&w->b, "@crc %08lx\n", (unsigned long)codec_crc32(0,
	    w->b.s + start, w->b.len - start));
	return 0;
}

static int
archive_export_one(struct archive_writer *w, const struct form *f,
    const struct record *r, bool trash)
{
	struct record *copy = NULL;

	w->done++;
	if (w->pkg != NULL && w->pkg->progress != NULL)
		w->pkg->progress(w->pkg->progress_arg, w->done);
	if (w->pkg != NULL && !archive_package_wants(w->pkg, f, r))
		return 0;
	/* A record written before global ids travels with its implicit
	 * one, so that every export names it the same. */
	if (record_get(r, "_gid") == NULL) {
		copy = record_copy(r);
		copy->id = r->id;
		copy->form_version = r->form_version;
		record_set_take(copy, "_gid", store_record_gid(w->st, r));
		r = copy;
	}
	buf_addc(&w->b, '\n');
	archive_put_block(&w->b, f, r, trash);
	w->n++;
	/* A signed record's old versions travel with it. */
	if (f->sign_field != NULL) {
		w->f = f;
		w->id = r->id;
		if (store_history(w->st, f, r->id, archive_export_old, w,
		    NULL) == CX_ERR)
			w->failed = true;
	}
	record_free(copy);
	archive_emit(w);
	return w->failed;
}

static int
archive_export_rec(void *arg, const struct form *f, const struct record *r)
{
	return archive_export_one(arg, f, r, false);
}

static int
archive_export_trash(void *arg, const struct form *f, const struct record *r)
{
	return archive_export_one(arg, f, r, true);
}

static int
archive_cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the "@form" blocks: each form file of fs, byte for byte, sorted
 * by file name, so that a directory made from the archive uses the same
 * forms (docs/archive.md §3.1). */
static int
archive_put_forms(struct archive_writer *w, const struct formset *fs,
    char **errp)
{
	char **paths = xcalloc(fs->n ? fs->n : 1, sizeof *paths);
	size_t i;
	int r = CX_OK;

	for (i = 0; i < fs->n; i++)
		paths[i] = fs->forms[i]->path;
	qsort(paths, fs->n, sizeof *paths, archive_cmp_strp);
	for (i = 0; i < fs->n && r == CX_OK && !w->failed; i++) {
		const char *slash = strrchr(paths[i], '/');
		const char *name = slash ? slash + 1 : paths[i];
		char *text = NULL;
		size_t len = 0, start;

		if (!formcopy_name_ok(name)) {
			r = err_set(errp, "表单文件名“%s”不合规定（只能含字母、数字、"
			    "“_”“.”“-”，以 .form 结尾），无法写入导出文件。", name);
			break;
		}
		if (util_read_file(paths[i], &text, &len, errp) != CX_OK) {
			r = CX_ERR;
			break;
		}
		buf_addc(&w->b, '\n');
		start = w->b.len;
		buf_addf(&w->b, "@form %s\n+", name);
		archive_put_escaped(&w->b, text, len, false);
		buf_addc(&w->b, '\n');
		buf_addf(&w->b, "@crc %08lx\n", (unsigned long)codec_crc32(0,
		    w->b.s + start, w->b.len - start));
		free(text);
		archive_emit(w);
	}
	free(paths);
	return r;
}

static int
archive_find_unit(void *arg, const struct form *f, const struct record *r)
{
	char **unit = arg;
	const char *t = record_get(r, "type"), *name = record_get(r, "name");

	(void)f;
	if (t != NULL && strcmp(t, "committee") == 0 && name != NULL) {
		*unit = xstrdup(name);
		return 1;
	}
	return 0;
}

int
archive_export(struct store *st, const struct formset *fs, FILE *fp,
    size_t *nrecords, char **errp)
{
	return archive_export_package(st, fs, NULL, fp, nrecords, errp);
}

int
archive_export_package(struct store *st, const struct formset *fs,
    const struct archive_package *pkg, FILE *fp, size_t *nrecords,
    char **errp)
{
	struct archive_writer w;
	const struct form *forg = formset_find(fs, "org");
	char now[20], *unit = NULL;
	size_t i;
	int r = CX_ERR;

	memset(&w, 0, sizeof w);
	w.st = st;
	w.fp = fp;
	w.pkg = pkg;
	buf_init(&w.b);
	if (store_snapshot_begin(st, errp) != CX_OK)
		return CX_ERR;
	if (store_meta_get(st, "unit", &unit, NULL) != CX_OK || *unit == '\0') {
		free(unit);
		unit = NULL;
		if (forg != NULL && store_foreach(st, forg, archive_find_unit,
		    &unit, errp) != CX_OK)
			goto out;
	}
	model_now_string(now);
	buf_addf(&w.b, "%s %d\nprogram=", ARCHIVE_MAGIC, ARCHIVE_VERSION);
	archive_put_escaped(&w.b, PACKAGE_VERSION, strlen(PACKAGE_VERSION),
	    false);
	buf_addf(&w.b, "\ncreated=%s\nunit=", now);
	if (unit != NULL)
		archive_put_escaped(&w.b, unit, strlen(unit), false);
	buf_addf(&w.b, "\ndata-format=%d\norigin=%s\n", STORE_FORMAT,
	    store_origin(st));
	if (pkg == NULL && exchange_is_branch(st)) {
		char *b = NULL;

		if (store_meta_get(st, "branch", &b, NULL) == CX_OK)
			buf_addf(&w.b, "directory=branch\ndirectory-branch=%s\n",
			    b);
		free(b);
	}
	if (pkg != NULL) {
		buf_addf(&w.b, "scope=%s\nbranch=%s\nbranch-name=", pkg->scope,
		    pkg->branch_gid);
		archive_put_escaped(&w.b, pkg->branch_name,
		    strlen(pkg->branch_name), false);
		buf_addf(&w.b, "\nperiod=%s\n", pkg->period != NULL ?
		    pkg->period : "all");
		if (strcmp(pkg->scope, "committee") == 0) {
			char *cp = NULL;

			if (store_meta_get(st, "period", &cp, NULL) == CX_OK &&
			    *cp != '\0')
				buf_addf(&w.b, "current-period=%s\n", cp);
			free(cp);
		}
	}
	archive_emit(&w);
	if (archive_put_forms(&w, fs, errp) != CX_OK)
		goto out;
	for (i = 0; i < fs->n && !w.failed; i++)
		if (store_foreach(st, fs->forms[i], archive_export_rec, &w,
		    errp) != CX_OK)
			goto out;
	if (!w.failed && store_trash_foreach(st, archive_export_trash, &w,
	    errp) != CX_OK)
		goto out;
	if (!w.failed) {
		/* The trailer's checksum covers everything before it, the
		 * blank line included. */
		buf_addc(&w.b, '\n');
		archive_emit(&w);
		buf_addf(&w.b, "@end %zu %08lx\n", w.n, (unsigned long)w.crc);
		archive_emit(&w);
		if (fflush(fp) != 0 || ferror(fp))
			w.failed = true;
	}
	if (w.failed) {
		err_set(errp, "无法写入导出文件：%s。", util_strerror(errno));
		goto out;
	}
	if (nrecords != NULL)
		*nrecords = w.n;
	r = CX_OK;
out:
	store_snapshot_end(st);
	free(unit);
	buf_free(&w.b);
	return r;
}

/* fsync of the directory that holds path, so that a rename is durable
 * (FAT on USB flash keeps no order otherwise). */
static void
archive_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") : slash == path ?
	    xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	util_sync_dir(dir);
	free(dir);
}

int
archive_export_file(struct store *st, const struct formset *fs,
    const char *path, bool force, size_t *nrecords, char **errp)
{
	return archive_export_package_file(st, fs, NULL, path, force,
	    nrecords, errp);
}

int
archive_export_package_file(struct store *st, const struct formset *fs,
    const struct archive_package *pkg, const char *path, bool force,
    size_t *nrecords, char **errp)
{
	struct stat sb;
	char *tmp;
	FILE *fp;
	int fd, r;

	if (!force && lstat(path, &sb) == 0)
		return err_set(errp, "文件“%s”已经存在，没有覆盖。请换一个文件名，"
		    "或加上 --force 覆盖它。", path);
	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		err_set(errp, "无法创建导出文件“%s”：%s。", path, util_strerror(errno));
		free(tmp);
		return CX_ERR;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		err_set(errp, "无法创建导出文件“%s”：%s。", path, util_strerror(errno));
		close(fd);
		goto fail;
	}
	r = archive_export_package(st, fs, pkg, fp, nrecords, errp);
	if (r == CX_OK && (fflush(fp) != 0 || fsync(fd) != 0)) {
		err_set(errp, "无法写入导出文件“%s”：%s。", path, util_strerror(errno));
		r = CX_ERR;
	}
	if (fclose(fp) != 0 && r == CX_OK) {
		err_set(errp, "无法写入导出文件“%s”：%s。", path, util_strerror(errno));
		r = CX_ERR;
	}
	if (r != CX_OK)
		goto fail;
	if (rename(tmp, path) != 0) {
		err_set(errp, "无法写入导出文件“%s”：%s。", path, util_strerror(errno));
		goto fail;
	}
	archive_sync_dir(path);
	free(tmp);
	return CX_OK;
fail:
	unlink(tmp);
	free(tmp);
	return CX_ERR;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

struct archive_parser {
	const char	*name;
	unsigned long	 line;
	struct archive	*a;
	char		**errp;
};

static int CX_PRINTF(2, 3)
archive_fail(struct archive_parser *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	err_set(p->errp, "%s:%lu: %s", p->name, p->line, s);
	free(s);
	return CX_ERR;
}

static int
archive_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes archive_put_escaped for s[0..len), appending to out. */
static int
archive_unescape(struct archive_parser *p, const char *s, size_t len,
    struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int h, l;

		if (s[i] != '\\') {
			buf_addc(out, s[i]);
			continue;
		}
		if (++i == len)
			return archive_fail(p, "行尾有不完整的转义“\\”。");
		switch (s[i]) {
		case '\\': buf_addc(out, '\\'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 's': buf_addc(out, ' '); break;
		case 'x':
			if (i + 2 >= len || (h = archive_hexval(s[i + 1])) < 0 ||
			    (l = archive_hexval(s[i + 2])) < 0)
				return archive_fail(p, "转义“\\x”后面应是两位十六进制数。");
			if (h == 0 && l == 0)
				return archive_fail(p, "不能含有 NUL 字符（\\x00）。");
			buf_addc(out, (char)(h * 16 + l));
			i += 2;
			break;
		default:
			if ((unsigned char)s[i] < 0x80)
				return archive_fail(p, "无法识别的转义“\\%c”。", s[i]);
			return archive_fail(p, "无法识别的转义。");
		}
	}
	return CX_OK;
}

/* A strict decimal: digits only, no leading zero, no overflow. */
static bool
archive_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20 || (s[0] == '0' && len > 1))
		return false;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool
archive_parse_crc(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (len != 8)
		return false;
	for (i = 0; i < len; i++) {
		int h = archive_hexval(s[i]);

		if (h < 0 || (s[i] >= 'A' && s[i] <= 'F'))
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return true;
}

static bool
archive_kind_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > ARCHIVE_KIND_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Splits "WORD REST" at the first space into the word (w, wl) and the
 * rest (r, rl; empty when there is no space). */
static void
archive_split(const char *s, size_t len, const char **w, size_t *wl,
    const char **r, size_t *rl)
{
	const char *sp = memchr(s, ' ', len);

	*w = s;
	*wl = sp ? (size_t)(sp - s) : len;
	*r = sp ? sp + 1 : s + len;
	*rl = sp ? len - *wl - 1 : 0;
}

/* One open level of a record block: the record values go into, and the
 * rows value it belongs to (NULL at the top). */
struct archive_level {
	struct record	*rec;
	struct rvalue	*rows;		/* rows value being filled, or NULL */
	char		*rows_id;
};

struct archive_block {
	struct archive_level	 lv[ARCHIVE_MAX_DEPTH + 2];
	int			 depth;		/* index of the innermost level */
	struct rvalue		*last;		/* last text value, for "+" */
	struct record		*last_rec;
	size_t			 crc_start;	/* offset in the line text */
	uint32_t		 crc;
};

static int
archive_header_line(struct archive_parser *p, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	char **slot = NULL;
	struct buf v;
	size_t kl, i;

	if (eq == NULL)
		return archive_fail(p, "文件头的这一行应写成“名称=值”。");
	kl = (size_t)(eq - s);
	for (i = 0; i < kl; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return archive_fail(p, "文件头的名称只能含小写字母、数字和“-”。");
	if (kl == 0)
		return archive_fail(p, "文件头的这一行缺少名称。");
	if (kl == 7 && memcmp(s, "program", 7) == 0)
		slot = &p->a->program;
	else if (kl == 7 && memcmp(s, "created", 7) == 0)
		slot = &p->a->created;
	else if (kl == 4 && memcmp(s, "unit", 4) == 0)
		slot = &p->a->unit;
	else if (kl == 11 && memcmp(s, "data-format", 11) == 0)
		slot = &p->a->data_format;
	else if (kl == 6 && memcmp(s, "origin", 6) == 0)
		slot = &p->a->origin;
	else if (kl == 5 && memcmp(s, "scope", 5) == 0)
		slot = &p->a->scope;
	else if (kl == 9 && memcmp(s, "directory", 9) == 0)
		slot = &p->a->dir_scope;
	else if (kl == 16 && memcmp(s, "directory-branch", 16) == 0)
		slot = &p->a->dir_branch;
	else if (kl == 6 && memcmp(s, "branch", 6) == 0)
		slot = &p->a->branch;
	else if (kl == 11 && memcmp(s, "branch-name", 11) == 0)
		slot = &p->a->branch_name;
	else if (kl == 6 && memcmp(s, "period", 6) == 0)
		slot = &p->a->period;
	else if (kl == 14 && memcmp(s, "current-period", 14) == 0)
		slot = &p->a->current_period;
	else
		return CX_OK;	/* added by a later version: ignored */
	if (*slot != NULL)
		return archive_fail(p, "文件头的“%.*s”重复。", (int)kl, s);
	buf_init(&v);
	if (archive_unescape(p, eq + 1, len - kl - 1, &v) != CX_OK) {
		buf_free(&v);
		return CX_ERR;
	}
	*slot = buf_take(&v);
	return CX_OK;
}

/* "@old KIND ID VERSION": an old version of the record just read. */
static int
archive_begin_old(struct archive_parser *p, struct archive_block *bl,
    const char *s, size_t len)
{
	const char *w, *r, *w2, *r2, *w3, *r3;
	size_t wl, rl, wl2, rl2, wl3, rl3;
	struct archive_item *it;
	struct record *rec;
	uint64_t id, v;

	archive_split(s, len, &w, &wl, &r, &rl);
	archive_split(r, rl, &w2, &wl2, &r2, &rl2);
	archive_split(r2, rl2, &w3, &wl3, &r3, &rl3);
	(void)rl3;
	if (wl == 0 || wl2 == 0 || wl3 == 0 || r3 != w3 + wl3 ||
	    !archive_parse_u64(w2, wl2, &id) ||
	    !archive_parse_u64(w3, wl3, &v) || v == 0)
		return archive_fail(p, "应写成“@old 种类 编号 版本号”。");
	it = p->a->n > 0 ? &p->a->items[p->a->n - 1] : NULL;
	if (it == NULL || it->rec->id != id || strlen(it->kind) != wl ||
	    memcmp(it->kind, w, wl) != 0)
		return archive_fail(p, "旧版本应紧跟在它所属的记录后面。");
	if (v != it->nhist + 1 || v > 10000)
		return archive_fail(p, "旧版本的版本号应从 1 起依次排列。");
	rec = record_new();
	rec->id = id;
	rec->form_version = it->rec->form_version;
	it->hist = xgrow(it->hist, &it->histcap, it->nhist + 1,
	    sizeof *it->hist);
	it->hist[it->nhist++] = rec;
	memset(bl->lv, 0, sizeof bl->lv);
	bl->depth = 0;
	bl->lv[0].rec = rec;
	bl->last = NULL;
	bl->last_rec = NULL;
	return CX_OK;
}

static int
archive_begin_block(struct archive_parser *p, struct archive_block *bl,
    const char *s, size_t len, bool trash)
{
	const char *w, *r, *w2, *r2, *w3, *r3;
	size_t wl, rl, wl2, rl2, wl3, rl3;

	(void)rl3;
	struct archive_item *it;
	uint64_t id, fv;

	archive_split(s, len, &w, &wl, &r, &rl);
	archive_split(r, rl, &w2, &wl2, &r2, &rl2);
	archive_split(r2, rl2, &w3, &wl3, &r3, &rl3);
	if (wl == 0 || wl2 == 0 || wl3 == 0 || r3 != w3 + wl3)
		return archive_fail(p, "应写成“@%s 种类 编号 表单版本”。",
		    trash ? "trash" : "record");
	if (!archive_kind_ok(w, wl))
		return archive_fail(p, "记录种类“%.*s”写法不对。", (int)(wl > 64 ?
		    0 : wl), w);
	if (!archive_parse_u64(w2, wl2, &id) || id == 0)
		return archive_fail(p, "记录编号应是正整数。");
	if (id > ARCHIVE_ID_MAX)
		return archive_fail(p, "记录编号 %llu 超出范围（最大 %llu），"
		    "文件可能损坏或被改动过。", (unsigned long long)id,
		    (unsigned long long)ARCHIVE_ID_MAX);
	if (!archive_parse_u64(w3, wl3, &fv) || fv > UINT_MAX)
		return archive_fail(p, "表单版本应是非负整数。");
	p->a->items = xgrow(p->a->items, &p->a->cap, p->a->n + 1,
	    sizeof *p->a->items);
	it = &p->a->items[p->a->n++];
	memset(it, 0, sizeof *it);
	it->kind = xstrndup(w, wl);
	it->trash = trash;
	it->rec = record_new();
	it->rec->id = id;
	it->rec->form_version = (unsigned)fv;
	it->line = p->line;
	memset(bl->lv, 0, sizeof bl->lv);
	bl->depth = 0;
	bl->lv[0].rec = it->rec;
	bl->last = NULL;
	bl->last_rec = NULL;
	return CX_OK;
}

/* Reads a key (escaped) from s[0..len) into a new string. */
static int
archive_key(struct archive_parser *p, const char *s, size_t len, char **out)
{
	struct buf k;

	if (len == 0)
		return archive_fail(p, "缺少字段名。");
	buf_init(&k);
	if (archive_unescape(p, s, len, &k) != CX_OK) {
		buf_free(&k);
		return CX_ERR;
	}
	*out = buf_take(&k);
	return CX_OK;
}

/* One line inside a record block (not its @crc). */
static int
archive_block_line(struct archive_parser *p, struct archive_block *bl,
    const char *s, size_t len)
{
	struct archive_level *lv = &bl->lv[bl->depth];
	const char *w, *r;
	size_t wl, rl;
	char *key;

	if (len == 0)
		return archive_fail(p, "记录中间不能有空行。");
	if (s[0] == '+') {
		struct buf v;

		if (bl->last == NULL || bl->last_rec != lv->rec)
			return archive_fail(p, "以“+”开头的续行前面应是一个字段值。");
		buf_init(&v);
		buf_addstr(&v, bl->last->text);
		if (archive_unescape(p, s + 1, len - 1, &v) != CX_OK) {
			buf_free(&v);
			return CX_ERR;
		}
		free(bl->last->text);
		bl->last->text = buf_take(&v);
		return CX_OK;
	}
	bl->last = NULL;
	if (s[0] != '@') {
		const char *eq = memchr(s, '=', len);
		struct buf v;

		if (lv->rec == NULL)
			return archive_fail(p, "多行表格的值应写在“@row 行号”之后。");
		if (eq == NULL)
			return archive_fail(p, "应写成“字段=值”。");
		if (archive_key(p, s, (size_t)(eq - s), &key) != CX_OK)
			return CX_ERR;
		if (record_find(lv->rec, key) != NULL) {
			archive_fail(p, "字段“%s”重复。", key);
			free(key);
			return CX_ERR;
		}
		buf_init(&v);
		if (archive_unescape(p, eq + 1, len - (size_t)(eq - s) - 1,
		    &v) != CX_OK) {
			free(key);
			buf_free(&v);
			return CX_ERR;
		}
		record_set_take(lv->rec, key, buf_take(&v));
		bl->last = record_find(lv->rec, key);
		bl->last_rec = lv->rec;
		free(key);
		return CX_OK;
	}
	archive_split(s, len, &w, &wl, &r, &rl);
	if (wl == 5 && memcmp(w, "@rows", 5) == 0) {
		struct rvalue *rv;

		if (lv->rec == NULL)
			return archive_fail(p, "多行表格的值应写在“@row 行号”之后。");
		if (bl->depth + 1 >= ARCHIVE_MAX_DEPTH)
			return archive_fail(p, "多行表格嵌套太深（最多 %d 层）。",
			    ARCHIVE_MAX_DEPTH);
		if (archive_key(p, r, rl, &key) != CX_OK)
			return CX_ERR;
		if (record_find(lv->rec, key) != NULL) {
			archive_fail(p, "字段“%s”重复。", key);
			free(key);
			return CX_ERR;
		}
		/* An empty row list stays a rows value. */
		record_append_row(lv->rec, key, record_new());
		rv = record_find(lv->rec, key);
		record_remove_row(lv->rec, key, 0);
		bl->depth++;
		bl->lv[bl->depth].rec = NULL;
		bl->lv[bl->depth].rows = rv;
		bl->lv[bl->depth].rows_id = key;
		return CX_OK;
	}
	if (wl == 4 && memcmp(w, "@row", 4) == 0) {
		uint64_t no;

		if (bl->depth == 0)
			return archive_fail(p, "“@row”前面缺少“@rows 字段”。");
		if (!archive_parse_u64(r, rl, &no) || no != lv->rows->nrows + 1)
			return archive_fail(p, "行号应是 %zu。", lv->rows->nrows + 1);
		lv->rows->rows = xgrow(lv->rows->rows, &lv->rows->rowcap,
		    lv->rows->nrows + 1, sizeof *lv->rows->rows);
		lv->rec = record_new();
		lv->rows->rows[lv->rows->nrows++] = lv->rec;
		return CX_OK;
	}
	if (wl == 8 && memcmp(w, "@endrows", 8) == 0) {
		bool same;

		if (bl->depth == 0)
			return archive_fail(p, "多余的“@endrows”：前面没有未结束的“@rows”。");
		if (archive_key(p, r, rl, &key) != CX_OK)
			return CX_ERR;
		same = strcmp(key, lv->rows_id) == 0;
		free(key);
		if (!same)
			return archive_fail(p, "“@endrows”应是“%s”的结束。",
			    lv->rows_id);
		free(lv->rows_id);
		memset(lv, 0, sizeof *lv);
		bl->depth--;
		return CX_OK;
	}
	return archive_fail(p, "记录中不认识的一行（以“@”开头的只能是 @rows、@row、"
	    "@endrows、@crc）。");
}

static void
archive_block_drop(struct archive_block *bl)
{
	int i;

	for (i = 1; i <= bl->depth; i++)
		free(bl->lv[i].rows_id);
	bl->depth = 0;
}

static int
archive_cmp_items(const void *a, const void *b)
{
	const struct archive_item *x = *(const struct archive_item *const *)a;
	const struct archive_item *y = *(const struct archive_item *const *)b;
	int c = strcmp(x->kind, y->kind);

	if (c != 0)
		return c;
	if (x->rec->id != y->rec->id)
		return x->rec->id < y->rec->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* A kind and id may appear once: in the records or in the bin. */
static int
archive_check_dups(struct archive_parser *p)
{
	struct archive_item **v;
	size_t i;
	int r = CX_OK;

	if (p->a->n < 2)
		return CX_OK;
	v = xcalloc(p->a->n, sizeof *v);
	for (i = 0; i < p->a->n; i++)
		v[i] = &p->a->items[i];
	qsort(v, p->a->n, sizeof *v, archive_cmp_items);
	for (i = 1; i < p->a->n; i++) {
		if (strcmp(v[i]->kind, v[i - 1]->kind) == 0 &&
		    v[i]->rec->id == v[i - 1]->rec->id) {
			p->line = v[i]->line;
			r = archive_fail(p, "%s 编号 %llu 的记录重复（第 %lu 行已有）。",
			    v[i]->kind, (unsigned long long)v[i]->rec->id,
			    v[i - 1]->line);
			break;
		}
	}
	free(v);
	return r;
}

/* Seconds since the epoch of a local time "YYYY-MM-DD HH:MM:SS", or -1
 * when it is not one. */
static long long
archive_time(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, se, n = 0;
	time_t t;

	if (s == NULL || strlen(s) != 19 || sscanf(s,
	    "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
	    n != 19 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 59 || y < 1900)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)
		return -1;
	return (long long)t;
}

static bool
archive_sys_known(const char *id)
{
	size_t i;

	for (i = 0; i < ARCHIVE_NSYS; i++)
		if (strcmp(id, archive_sys_ids[i]) == 0)
			return true;
	return false;
}

/* A revision "GENERATION-HEX". */
static bool
archive_rev_ok(const char *s, size_t len)
{
	size_t i = 0, h;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i > 9 || i >= len || s[i] != '-')
		return false;
	for (h = ++i; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i - h >= 8 && i - h <= 32;
}

/* A global id: a token, or "ORIGIN-ID" for a record written before
 * global ids. */
static bool
archive_gid_ok(const char *s)
{
	uint64_t id;

	if (strlen(s) == UTIL_TOKEN_LEN)
		return util_is_token(s);
	if (strlen(s) <= UTIL_TOKEN_LEN + 1 || s[UTIL_TOKEN_LEN] != '-')
		return false;
	{
		char head[UTIL_TOKEN_LEN + 1];

		memcpy(head, s, UTIL_TOKEN_LEN);
		head[UTIL_TOKEN_LEN] = '\0';
		return util_is_token(head) && s[UTIL_TOKEN_LEN + 1] != ' ' &&
		    util_parse_id(s + UTIL_TOKEN_LEN + 1, &id) &&
		    id <= ARCHIVE_ID_MAX;
	}
}

/* Values of one record (and its rows): text that typed input could hold
 * (valid UTF-8, no control characters but line breaks), and store fields
 * the program knows, well formed. */
static int
archive_vet_values(struct archive_parser *p, const struct record *r,
    long long now, int depth)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		const struct rvalue *v = &r->v[i];
		const unsigned char *t;

		if (v->id[0] == '_' && (depth > 0 ? strcmp(v->id, "_id") != 0 :
		    !archive_sys_known(v->id)))
			return archive_fail(p, "“%s”不是 cxzy 使用的字段，文件可能被"
			    "改动过。", v->id);
		if (v->is_rows) {
			for (j = 0; j < v->nrows; j++)
				if (archive_vet_values(p, v->rows[j], now,
				    depth + 1) != CX_OK)
					return CX_ERR;
			continue;
		}
		if (text_utf8_invalid(v->text, strlen(v->text)) != (size_t)-1)
			return archive_fail(p, "字段“%s”的值不是有效的 UTF-8 文字。",
			    v->id);
		for (t = (const unsigned char *)v->text; *t != '\0'; t++) {
			if ((*t < 0x20 && *t != '\n') || *t == 0x7f ||
			    (*t == 0xc2 && t[1] >= 0x80 && t[1] <= 0x9f))
				return archive_fail(p, "字段“%s”的值含有控制字符"
				    "（不能手工录入的字符），文件可能被改动过。",
				    v->id);
		}
		if (depth > 0)
			continue;
		if (strcmp(v->id, "_created") == 0 ||
		    strcmp(v->id, "_modified") == 0 ||
		    strcmp(v->id, "_deleted") == 0) {
			long long t2 = archive_time(v->text);

			if (t2 < 0)
				return archive_fail(p, "字段“%s”的值“%s”不是"
				    "“年-月-日 时:分:秒”形式的时间。", v->id,
				    v->text);
			if (t2 > now + 86400)
				return archive_fail(p, "字段“%s”的时间 %s 晚于现在，"
				    "文件可能被改动过（或导出它的电脑时钟不对）。",
				    v->id, v->text);
		} else if (strcmp(v->id, "_gid") == 0) {
			if (!archive_gid_ok(v->text))
				return archive_fail(p, "全局编号“%s”写法不对。",
				    v->text);
		} else if (strcmp(v->id, "_rev") == 0) {
			if (!archive_rev_ok(v->text, strlen(v->text)))
				return archive_fail(p, "版本“%s”写法不对。", v->text);
		} else if (strcmp(v->id, "_revs") == 0) {
			const char *q = v->text, *e;
			size_t nrev = 0;

			for (; *q != '\0'; q = *e ? e + 1 : e) {
				e = strchr(q, ' ');
				if (e == NULL)
					e = q + strlen(q);
				if (!archive_rev_ok(q, (size_t)(e - q)) ||
				    ++nrev > 64)
					return archive_fail(p, "版本记录“_revs”写法"
					    "不对。");
			}
		} else if (strcmp(v->id, "_frevs") == 0) {
			const char *q = v->text, *e, *eq;
			size_t npair = 0;

			for (; *q != '\0'; q = *e ? e + 1 : e) {
				e = strchr(q, ' ');
				if (e == NULL)
					e = q + strlen(q);
				eq = memchr(q, '=', (size_t)(e - q));
				if (eq == NULL || eq == q ||
				    !archive_kind_ok(q, (size_t)(eq - q)) ||
				    !archive_rev_ok(eq + 1, (size_t)(e - eq - 1)) ||
				    ++npair > 1000)
					return archive_fail(p, "字段版本“_frevs”"
					    "写法不对。");
			}
		}
	}
	return CX_OK;
}

/* Checks every record the way typed input is checked, before anything is
 * compared with the store. */
static int
archive_vet(struct archive_parser *p)
{
	char now[20];
	long long t;
	size_t i;

	model_now_string(now);
	t = archive_time(now);
	for (i = 0; i < p->a->n; i++) {
		const struct archive_item *it = &p->a->items[i];

		p->line = it->line;
		if (p->a->version >= 2 && record_get(it->rec, "_gid") == NULL)
			return archive_fail(p, "%s 编号 %llu 的记录缺少全局编号"
			    "（_gid）。", it->kind, (unsigned long long)it->rec->id);
		if (archive_vet_values(p, it->rec, t, 0) != CX_OK)
			return CX_ERR;
		{
			size_t h;

			for (h = 0; h < it->nhist; h++)
				if (archive_vet_values(p, it->hist[h], t, 0) !=
				    CX_OK)
					return CX_ERR;
		}
	}
	if (p->a->origin != NULL && !util_is_token(p->a->origin)) {
		p->line = 1;
		return archive_fail(p, "文件头的“origin”写法不对。");
	}
	if (p->a->dir_scope != NULL && (strcmp(p->a->dir_scope, "branch") != 0 ||
	    p->a->dir_branch == NULL || !archive_gid_ok(p->a->dir_branch))) {
		p->line = 1;
		return archive_fail(p, "文件头的“directory”写法不对。");
	}
	if (p->a->current_period != NULL) {
		struct period cp;

		if (model_period_parse(p->a->current_period, &cp, NULL) != CX_OK) {
			p->line = 1;
			return archive_fail(p, "文件头的“current-period”写法不对。");
		}
	}
	if (p->a->scope != NULL) {
		struct period per;
		const char *pe = p->a->period;

		p->line = 1;
		if (strcmp(p->a->scope, "branch") != 0 &&
		    strcmp(p->a->scope, "committee") != 0)
			return archive_fail(p, "文件头的“scope”应是 branch 或 "
			    "committee。");
		if (p->a->origin == NULL || p->a->branch == NULL ||
		    !archive_gid_ok(p->a->branch) || p->a->branch_name == NULL ||
		    pe == NULL || (strcmp(pe, "all") != 0 &&
		    model_period_parse(pe, &per, NULL) != CX_OK))
			return archive_fail(p, "报送包的文件头不完整"
			    "（origin、branch、branch-name、period）。");
	}
	return CX_OK;
}

/* "@form NAME": starts a form file's block (format 2, before any
 * record). */
static int
archive_begin_form(struct archive_parser *p, const char *s, size_t len)
{
	struct archive *a = p->a;
	struct archive_form *af;
	char *name;
	size_t i;

	if (a->version < 2)
		return archive_fail(p, "格式版本 1 的导出文件里不能有表单（@form）。");
	if (a->n > 0)
		return archive_fail(p, "表单（@form）应写在全部记录之前。");
	if (len == 0 || len > FORMCOPY_NAME_MAX)
		return archive_fail(p, "应写成“@form 文件名”。");
	name = xstrndup(s, len);
	if (!formcopy_name_ok(name)) {
		archive_fail(p, "表单文件名“%s”不合规定（只能含字母、数字、“_”“.”“-”，"
		    "以 .form 结尾）。", name);
		free(name);
		return CX_ERR;
	}
	for (i = 0; i < a->nforms; i++) {
		if (strcmp(a->forms[i].name, name) == 0) {
			archive_fail(p, "表单文件“%s”重复（第 %lu 行已有）。", name,
			    a->forms[i].line);
			free(name);
			return CX_ERR;
		}
	}
	if (a->nforms >= FORMCOPY_MAX_FILES) {
		free(name);
		return archive_fail(p, "表单文件太多（最多 %d 个）。",
		    FORMCOPY_MAX_FILES);
	}
	a->forms = xgrow(a->forms, &a->formcap, a->nforms + 1,
	    sizeof *a->forms);
	af = &a->forms[a->nforms++];
	memset(af, 0, sizeof *af);
	af->name = name;
	af->line = p->line;
	return CX_OK;
}

/* One "+" line of a form file's text, appended to text. */
static int
archive_form_line(struct archive_parser *p, struct buf *text, bool first,
    const char *s, size_t len)
{
	if (len == 0 || s[0] != '+')
		return archive_fail(p, "表单文件的每一行应以“+”开头（或是结束它的“@crc”）。");
	/* One way only to write a text: a line breaks after each "\n". */
	if (!first && (text->len == 0 || text->s[text->len - 1] != '\n'))
		return archive_fail(p, "表单文件的上一行应以“\\n”结束。");
	if (archive_unescape(p, s + 1, len - 1, text) != CX_OK)
		return CX_ERR;
	if (text->len > FORMCOPY_MAX_SIZE)
		return archive_fail(p, "表单文件太大（最大 %zu 字节）。",
		    FORMCOPY_MAX_SIZE);
	return CX_OK;
}

static int
archive_cmp_forms(const void *a, const void *b)
{
	return strcmp(((const struct archive_form *)a)->name,
	    ((const struct archive_form *)b)->name);
}

int
archive_parse(const char *name, const char *data, size_t len,
    struct archive **out, char **errp)
{
	struct archive_parser p;
	struct archive_block bl;
	struct archive *a;
	enum { HEAD, BODY, BLOCK, FORM, DONE } state = HEAD;
	struct buf formtext;
	bool formfirst = false;
	uint32_t filecrc = 0;
	size_t pos = 0;
	int r = CX_ERR;

	*out = NULL;
	a = xcalloc(1, sizeof *a);
	memset(&p, 0, sizeof p);
	memset(&bl, 0, sizeof bl);
	p.name = name;
	p.a = a;
	p.errp = errp;
	buf_init(&formtext);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		size_t bad;

		pos += n + (nl != NULL);
		p.line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if ((bad = text_utf8_invalid(s, n)) != (size_t)-1) {
			archive_fail(&p, "含有无法识别的字符（编码不是 UTF-8）。");
			goto out;
		}
		for (bad = 0; bad < n; bad++)
			if ((unsigned char)s[bad] < 0x20 || s[bad] == 0x7f)
				break;
		if (bad < n) {
			archive_fail(&p, "含有控制字符（应写成转义形式）。");
			goto out;
		}
		if (state == DONE) {
			archive_fail(&p, "结尾行“@end”之后不应再有内容。");
			goto out;
		}
		if (p.line == 1) {
			uint64_t v;
			size_t ml = strlen(ARCHIVE_MAGIC);

			if (n <= ml || memcmp(s, ARCHIVE_MAGIC, ml) != 0 ||
			    s[ml] != ' ') {
				archive_fail(&p, "这不是 cxzy 的导出文件（第一行应是“%s %d”）。",
				    ARCHIVE_MAGIC, ARCHIVE_VERSION);
				goto out;
			}
			if (!archive_parse_u64(s + ml + 1, n - ml - 1, &v)) {
				archive_fail(&p, "格式版本应是正整数。");
				goto out;
			}
			a->version = (unsigned)(v < 3 ? v : 0);
			if (v != 1 && v != ARCHIVE_VERSION) {
				archive_fail(&p, "导出文件的格式版本是 %llu，本程序只能读取版本 %d。"
				    "请用更新版本的 cxzy 导入。", (unsigned long long)v,
				    ARCHIVE_VERSION);
				goto out;
			}
		} else if (state == HEAD && n > 0 && s[0] != '@') {
			if (archive_header_line(&p, s, n) != CX_OK)
				goto out;
		} else if (state == HEAD || state == BODY) {
			const char *w, *rest;
			size_t wl, rl;

			state = BODY;
			if (n == 0)
				goto next;
			archive_split(s, n, &w, &wl, &rest, &rl);
			if (wl == 7 && memcmp(w, "@record", 7) == 0) {
				if (archive_begin_block(&p, &bl, rest, rl, false) !=
				    CX_OK)
					goto out;
				bl.crc = 0;
				state = BLOCK;
			} else if (wl == 6 && memcmp(w, "@trash", 6) == 0) {
				if (archive_begin_block(&p, &bl, rest, rl, true) !=
				    CX_OK)
					goto out;
				bl.crc = 0;
				state = BLOCK;
			} else if (wl == 4 && memcmp(w, "@old", 4) == 0) {
				if (archive_begin_old(&p, &bl, rest, rl) != CX_OK)
					goto out;
				bl.crc = 0;
				state = BLOCK;
			} else if (wl == 5 && memcmp(w, "@form", 5) == 0) {
				if (archive_begin_form(&p, rest, rl) != CX_OK)
					goto out;
				buf_reset(&formtext);
				formfirst = true;
				bl.crc = 0;
				state = FORM;
			} else if (wl == 4 && memcmp(w, "@end", 4) == 0) {
				const char *w2, *r2;
				size_t wl2, rl2;
				uint64_t cnt;
				uint32_t want;

				archive_split(rest, rl, &w2, &wl2, &r2, &rl2);
				if (!archive_parse_u64(w2, wl2, &cnt) ||
				    !archive_parse_crc(r2, rl2, &want)) {
					archive_fail(&p, "结尾行应写成“@end 记录数 校验和”。");
					goto out;
				}
				if (cnt != a->n) {
					archive_fail(&p, "结尾行写着 %llu 条记录，文件里实际有 %zu 条。"
					    "文件可能不完整或被改动过。",
					    (unsigned long long)cnt, a->n);
					goto out;
				}
				if (want != filecrc) {
					archive_fail(&p, "整个文件的校验和不符（应为 %08lx，"
					    "实为 %08lx）。文件可能损坏或被改动过。",
					    (unsigned long)want, (unsigned long)filecrc);
					goto out;
				}
				state = DONE;
				continue;
			} else {
				archive_fail(&p, "此处应是“@record”、“@trash”或结尾行“@end”。");
				goto out;
			}
		} else if (state == FORM) {
			struct archive_form *af = &a->forms[a->nforms - 1];

			if (n >= 5 && memcmp(s, "@crc ", 5) == 0) {
				uint32_t want;

				if (!archive_parse_crc(s + 5, n - 5, &want)) {
					archive_fail(&p, "校验和应是 8 位小写十六进制数。");
					goto out;
				}
				if (formfirst) {
					archive_fail(&p, "表单文件“%s”没有内容（缺少以“+”开头的行）。",
					    af->name);
					goto out;
				}
				if (want != bl.crc) {
					archive_fail(&p, "表单文件“%s”的校验和不符（应为 %08lx，"
					    "实为 %08lx）。它可能损坏或被改动过。", af->name,
					    (unsigned long)want, (unsigned long)bl.crc);
					goto out;
				}
				if (text_utf8_invalid(formtext.s ? formtext.s : "",
				    formtext.len) != (size_t)-1) {
					archive_fail(&p, "表单文件“%s”含有无法识别的字符"
					    "（编码不是 UTF-8）。", af->name);
					goto out;
				}
				af->len = formtext.len;
				af->text = buf_take(&formtext);
				state = BODY;
			} else {
				if (archive_form_line(&p, &formtext, formfirst, s, n) !=
				    CX_OK)
					goto out;
				formfirst = false;
			}
		} else {
			/* state == BLOCK */
			if (n >= 5 && memcmp(s, "@crc ", 5) == 0) {
				uint32_t want;

				if (!archive_parse_crc(s + 5, n - 5, &want)) {
					archive_fail(&p, "校验和应是 8 位小写十六进制数。");
					goto out;
				}
				if (bl.depth != 0) {
					archive_fail(&p, "多行表格“%s”缺少“@endrows”。",
					    bl.lv[bl.depth].rows_id);
					goto out;
				}
				if (want != bl.crc) {
					archive_fail(&p, "%s 编号 %llu 的记录校验和不符（应为 %08lx，"
					    "实为 %08lx）。这条记录可能损坏或被改动过。",
					    a->items[a->n - 1].kind, (unsigned long long)
					    a->items[a->n - 1].rec->id, (unsigned long)want,
					    (unsigned long)bl.crc);
					goto out;
				}
				state = BODY;
			} else if (archive_block_line(&p, &bl, s, n) != CX_OK)
				goto out;
		}
next:
		if (state == BLOCK || state == FORM) {
			bl.crc = codec_crc32(bl.crc, s, n);
			bl.crc = codec_crc32(bl.crc, "\n", 1);
		}
		filecrc = codec_crc32(filecrc, s, n);
		filecrc = codec_crc32(filecrc, "\n", 1);
	}
	if (p.line == 0) {
		p.line = 1;
		archive_fail(&p, "文件是空的，不是 cxzy 的导出文件。");
		goto out;
	}
	if (state == FORM) {
		archive_fail(&p, "文件不完整：表单文件“%s”没有结束（缺少“@crc”），"
		    "文件可能在复制时被截断。", a->forms[a->nforms - 1].name);
		goto out;
	}
	if (state == BLOCK) {
		archive_fail(&p, "文件不完整：%s 编号 %llu 的记录没有结束（缺少“@crc”），"
		    "文件可能在复制时被截断。", a->items[a->n - 1].kind,
		    (unsigned long long)a->items[a->n - 1].rec->id);
		goto out;
	}
	if (state != DONE) {
		archive_fail(&p, "文件不完整：缺少结尾行“@end”，文件可能在复制时被截断。");
		goto out;
	}
	if (archive_check_dups(&p) != CX_OK || archive_vet(&p) != CX_OK)
		goto out;
	if (a->nforms > 1)
		qsort(a->forms, a->nforms, sizeof *a->forms, archive_cmp_forms);
	if (a->program == NULL)
		a->program = xstrdup("");
	if (a->created == NULL)
		a->created = xstrdup("");
	if (a->unit == NULL)
		a->unit = xstrdup("");
	if (a->data_format == NULL)
		a->data_format = xstrdup("");
	*out = a;
	a = NULL;
	r = CX_OK;
out:
	archive_block_drop(&bl);
	buf_free(&formtext);
	archive_free(a);
	return r;
}

int
archive_read_file(const char *path, struct archive **out, char **errp)
{
	char *data = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		struct buf b;
		char chunk[65536];
		size_t n;

		buf_init(&b);
		while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
			if (b.len + n > ARCHIVE_STDIN_MAX) {
				buf_free(&b);
				return err_set(errp, "标准输入的内容太大。");
			}
			buf_add(&b, chunk, n);
		}
		if (ferror(stdin)) {
			buf_free(&b);
			return err_set(errp, "无法读取标准输入：%s。", util_strerror(errno));
		}
		len = b.len;
		data = buf_take(&b);
		r = archive_parse("（标准输入）", data, len, out, errp);
	} else {
		if (util_read_file(path, &data, &len, errp) != CX_OK)
			return CX_ERR;
		r = archive_parse(path, data, len, out, errp);
	}
	free(data);
	return r;
}

void
archive_free(struct archive *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		size_t h;

		free(a->items[i].kind);
		record_free(a->items[i].rec);
		for (h = 0; h < a->items[i].nhist; h++)
			record_free(a->items[i].hist[h]);
		free(a->items[i].hist);
	}
	free(a->items);
	for (i = 0; i < a->nforms; i++) {
		free(a->forms[i].name);
		free(a->forms[i].text);
	}
	free(a->forms);
	free(a->program);
	free(a->created);
	free(a->unit);
	free(a->data_format);
	free(a->origin);
	free(a->scope);
	free(a->branch);
	free(a->current_period);
	free(a->dir_scope);
	free(a->dir_branch);
	free(a->branch_name);
	free(a->period);
	free(a);
}

/* ------------------------------------------------------------------ */
/* Import                                                              */
/* ------------------------------------------------------------------ */

/* A record of the local recycle bin. */
struct archive_local {
	const char	*kind;
	uint64_t	 id;
	struct record	*rec;
};

/* An archive record that is to be added or updated. */
struct archive_plan {
	const char	*kind;
	uint64_t	 id;
	size_t		 k;		/* index in the archive */
};

/* What the import knows while it decides. */
struct archive_ctx {
	struct store			*st;
	const struct formset		*fs;
	struct archive			*a;
	const struct archive_opts	*o;
	struct record			**locals;	/* per item: the
							 * copy here, kept
							 * as history */
	uint64_t			*matched;	/* per item: joined
							 * to this id here */
	struct archive_local		*bin;		/* sorted by kind, id */
	size_t				 nbin, bincap;
	struct archive_report		*rep;
	struct archive_plan		*planned;	/* sorted by kind, id */
	size_t				 nplanned;
	bool				*fresh;		/* per item: new id here */
	char				**expect;	/* per item: local _rev */
};

static int
archive_cmp_local(const void *a, const void *b)
{
	const struct archive_local *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
archive_collect_bin(void *arg, const struct form *f, const struct record *r)
{
	struct archive_ctx *c = arg;

	c->bin = xgrow(c->bin, &c->bincap, c->nbin + 1, sizeof *c->bin);
	c->bin[c->nbin].kind = f->kind;
	c->bin[c->nbin].id = r->id;
	c->bin[c->nbin].rec = record_copy(r);
	c->bin[c->nbin].rec->id = r->id;
	c->nbin++;
	return 0;
}

static const struct record *
archive_bin_find(const struct archive_ctx *c, const char *kind, uint64_t id)
{
	struct archive_local key, *hit;

	if (c->nbin == 0)
		return NULL;
	key.kind = kind;
	key.id = id;
	hit = bsearch(&key, c->bin, c->nbin, sizeof *c->bin, archive_cmp_local);
	return hit != NULL ? hit->rec : NULL;
}

static int
archive_cmp_plan(const void *a, const void *b)
{
	const struct archive_plan *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* An added or updated record of the archive, unless it was rejected. */
static const struct archive_item *
archive_planned_find(const struct archive_ctx *c, const char *kind,
    uint64_t id)
{
	struct archive_plan key, *hit;

	if (c->nplanned == 0)
		return NULL;
	key.kind = kind;
	key.id = id;
	hit = bsearch(&key, c->planned, c->nplanned, sizeof *c->planned,
	    archive_cmp_plan);
	if (hit == NULL || c->rep->v[hit->k].outcome == ARCHIVE_REJECTED)
		return NULL;
	return &c->a->items[hit->k];
}

/* References are checked against the data as it will be after the
 * import: the archive's added and updated records, then the records
 * here, then the recycle bin here (a record in the bin still exists: it
 * can be restored, and the record pointing at it was valid when stored). */
static int
archive_lookup(void *arg, const char *kind, uint64_t id,
    struct record **out, char **errp)
{
	struct archive_ctx *c = arg;
	const struct archive_item *it = archive_planned_find(c, kind, id);
	const struct form *f;
	const struct record *b;
	int rc;

	*out = NULL;
	if (it != NULL) {
		*out = record_copy(it->rec);
		return CX_OK;
	}
	if ((f = formset_find(c->fs, kind)) == NULL)
		return CX_NOTFOUND;
	rc = store_get(c->st, f, id, out, errp);
	if (rc != CX_NOTFOUND)
		return rc;
	if ((b = archive_bin_find(c, kind, id)) != NULL) {
		*out = record_copy(b);
		return CX_OK;
	}
	return CX_NOTFOUND;
}

/* When a copy last changed: its _modified, or _deleted when later. */
static const char *
archive_changed(const struct record *r)
{
	const char *m = archive_str(r, "_modified");
	const char *d = archive_str(r, "_deleted");

	return strcmp(d, m) > 0 ? d : m;
}

/* Values whose field the form does not have (a record must hold only
 * what its form can show and check).  Appends one problem per field;
 * returns whether there was any. */
static bool
archive_unknown_fields(const struct form *f, const struct record *r,
    struct strlist *problems)
{
	size_t i, j, k;

	for (i = 0; i < r->n; i++) {
		const struct rvalue *v = &r->v[i];
		const struct form_field *ff;

		if (v->id[0] == '_')
			continue;
		if ((ff = form_field_find(f, v->id)) == NULL) {
			strlist_addf(problems, "“%s”不是表单“%s”里的字段。",
			    v->id, f->label);
			continue;
		}
		if (!v->is_rows)
			continue;
		for (j = 0; j < v->nrows; j++) {
			const struct record *row = v->rows[j];

			for (k = 0; k < row->n; k++)
				if (row->v[k].id[0] != '_' &&
				    form_subfield_find(ff, row->v[k].id) == NULL)
					strlist_addf(problems, "“%s”第%zu行的“%s”"
					    "不是表单里的栏目。", ff->label, j + 1,
					    row->v[k].id);
		}
	}
	return problems->n > 0;
}

/* The period code of r when that period is locked here (meta
 * "lock:CODE", see ledger.h), else NULL. */
static const char *
archive_locked(struct archive_ctx *c, const struct form *f,
    const struct record *r)
{
	static const char *const fields[] = { "current_period", "period" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *code = record_get(r, fields[i]);
		char *key, *v = NULL;
		bool locked;

		if (code == NULL || *code == '\0' ||
		    form_field_find(f, fields[i]) == NULL)
			continue;
		key = xasprintf("lock:%s", code);
		/* Unlocking leaves the key with an empty value. */
		locked = store_meta_get(c->st, key, &v, NULL) == CX_OK &&
		    *v != '\0';
		free(key);
		free(v);
		if (locked)
			return code;
		/* A carried-forward item is in its current period only. */
		break;
	}
	return NULL;
}

/* Copies field id of from into to (removing it when from lacks it). */
static void
archive_copy_value(struct record *to, const struct record *from,
    const char *id)
{
	const struct rvalue *v = record_find(from, id);
	size_t i;

	record_remove(to, id);
	if (v == NULL)
		return;
	if (!v->is_rows) {
		record_set(to, id, v->text);
		return;
	}
	record_add_row(to, id);
	record_remove_row(to, id, 0);
	for (i = 0; i < v->nrows; i++)
		record_append_row(to, id, record_copy(v->rows[i]));
}

/* A value as one line for a message: at most 40 columns. */
static char *
archive_value_text(const struct record *r, const char *id)
{
	const struct rvalue *v = record_find(r, id);
	char *s, *t;

	if (v == NULL || (!v->is_rows && *v->text == '\0'))
		return xstrdup("（空）");
	if (v->is_rows)
		return xasprintf("（%zu 行）", v->nrows);
	s = text_safe(v->text, false);
	if (text_width(s, TEXT_PRINT) > 40) {
		t = text_truncate(s, 38, TEXT_PRINT, NULL);
		free(s);
		s = xasprintf("%s…", t);
		free(t);
	}
	return s;
}

/* "REV REVS": the revision of a copy and its ancestors. */
static char *
archive_chain(const struct record *r)
{
	return xasprintf("%s %s", archive_str(r, "_rev"), archive_str(r,
	    "_revs"));
}

/* Merges the archive's copy of a record known here, field by field:
 * a field changed on one side only (its field revision is one the other
 * copy has seen) takes that side's value; changed on both, it is a
 * conflict.  With ownership, a change the sender does not own is not
 * taken.  Sets the outcome: UPDATED (the archive's copy as it is),
 * MERGED (it->rec replaced by the merge), UNCHANGED, IGNORED or
 * CONFLICT, with a line per field in res->problems. */
static void
archive_merge(struct archive_ctx *c, size_t k, const struct form *f,
    const struct record *local, bool local_trash)
{
	struct archive_item *it = &c->a->items[k];
	struct archive_result *res = &c->rep->v[k];
	const struct record *in = it->rec;
	const struct archive_opts *o = c->o;
	const char *lr = record_get(local, "_rev");
	bool inc_desc = lr != NULL && store_rev_in(lr, record_get(in, "_revs"));
	char *chain_in = archive_chain(in), *chain_lo = archive_chain(local);
	char lf[STORE_FIELD_REV_MAX], inf[STORE_FIELD_REV_MAX];
	char **pairs = NULL, **mine = NULL;
	size_t i, npairs = 0, cap = 0, nmine = 0, minecap = 0;
	size_t ntaken = 0, nignored = 0, nconf = 0;
	bool trash = local_trash;
	struct record *m = record_copy(local);

	m->id = in->id;
	m->form_version = in->form_version > local->form_version ?
	    in->form_version : local->form_version;
	for (i = 0; i < local->n + in->n; i++) {
		const struct rvalue *v = i < local->n ? &local->v[i] :
		    &in->v[i - local->n];
		const struct rvalue *lv, *iv;
		const struct form_field *ff;
		bool has_l, has_i, local_seen, inc_seen;
		enum form_owner owner;
		char *a, *b;

		if (v->id[0] == '_' || (i >= local->n &&
		    record_find(local, v->id) != NULL))
			continue;
		lv = record_find(local, v->id);
		iv = record_find(in, v->id);
		has_l = store_field_rev(local, v->id, lf, sizeof lf);
		has_i = store_field_rev(in, v->id, inf, sizeof inf);
		if (lv != NULL && iv != NULL ? record_value_equal(lv, iv) :
		    lv == iv) {
			if (has_l) {
				pairs = xgrow(pairs, &cap, npairs + 1,
				    sizeof *pairs);
				pairs[npairs++] = xasprintf("%s=%s", v->id, lf);
			}
			continue;
		}
		if (!has_l && !has_i) {
			/* No field history (records from before it, or
			 * matched ones): the whole record decides. */
			local_seen = inc_desc;
			inc_seen = false;
		} else {
			local_seen = !has_l || store_rev_in(lf, chain_in);
			inc_seen = !has_i || store_rev_in(inf, chain_lo);
		}
		ff = form_field_find(f, v->id);
		owner = form_field_owner(f, v->id);
		if (local_seen && !inc_seen) {
			if (o->ownership && owner != FORM_OWNER_BOTH &&
			    owner != o->sender) {
				b = archive_value_text(in, v->id);
				strlist_addf(&res->problems, "“%s”：对方改为“%s”，"
				    "这一项由%s填写，未采用。", ff != NULL ?
				    ff->label : v->id, b,
				    owner == FORM_OWNER_COMMITTEE ? "机关党委" :
				    "党支部");
				free(b);
				nignored++;
				mine = xgrow(mine, &minecap, nmine + 1,
				    sizeof *mine);
				mine[nmine++] = v->id;
				continue;
			}
			archive_copy_value(m, in, v->id);
			ntaken++;
			if (has_i) {
				pairs = xgrow(pairs, &cap, npairs + 1,
				    sizeof *pairs);
				pairs[npairs++] = xasprintf("%s=%s", v->id, inf);
			}
			continue;
		}
		if (inc_seen && !local_seen) {
			if (has_l) {
				pairs = xgrow(pairs, &cap, npairs + 1,
				    sizeof *pairs);
				pairs[npairs++] = xasprintf("%s=%s", v->id, lf);
			}
			continue;
		}
		a = archive_value_text(local, v->id);
		b = archive_value_text(in, v->id);
		strlist_addf(&res->problems, "“%s”：本机为“%s”，对方为“%s”，两边"
		    "都改过。", ff != NULL ? ff->label : v->id, a, b);
		free(a);
		free(b);
		nconf++;
	}
	if (local_trash != it->trash) {
		bool kind_ok = !o->ownership || f->owner == FORM_OWNER_BOTH ||
		    f->owner == o->sender;

		if (!inc_desc) {
			strlist_addf(&res->problems, "一边删除了这条记录，另一边"
			    "修改了它。");
			nconf++;
		} else if (!kind_ok) {
			strlist_addf(&res->problems, "对方%s了这条记录；这种记录由"
			    "%s增删，未采用。", it->trash ? "删除" : "恢复",
			    f->owner == FORM_OWNER_COMMITTEE ? "机关党委" :
			    "党支部");
			nignored++;
		} else {
			trash = it->trash;
			ntaken++;
		}
	}
	if (nconf > 0) {
		res->outcome = ARCHIVE_CONFLICT;
		res->both_changed = true;
	} else if (ntaken == 0)
		res->outcome = nignored > 0 ? ARCHIVE_IGNORED :
		    ARCHIVE_UNCHANGED;
	else if (inc_desc && nignored == 0)
		res->outcome = ARCHIVE_UPDATED;
	else {
		char now[20];

		res->outcome = ARCHIVE_MERGED;
		model_now_string(now);
		record_set(m, trash ? "_deleted" : "_modified", now);
		if (!trash)
			record_remove(m, "_deleted");
		store_merge_rev(f, m, m->id, local, in);
		/* What the sender may not change keeps the value here, as
		 * of the merge: the sender takes it back next time. */
		for (i = 0; i < nmine; i++) {
			pairs = xgrow(pairs, &cap, npairs + 1, sizeof *pairs);
			pairs[npairs++] = xasprintf("%s=%s", mine[i],
			    record_get(m, "_rev"));
		}
		store_set_field_revs(m, pairs, npairs);
		record_free(it->rec);
		it->rec = m;
		it->trash = trash;
		m = NULL;
	}
	for (i = 0; i < npairs; i++)
		free(pairs[i]);
	free(pairs);
	free(mine);
	record_free(m);
	free(chain_in);
	free(chain_lo);
}

/* ---- Joining a branch that started on its own ------------------ */

struct archive_join_find {
	const char	*field;		/* "parent_id" or "branch_id" */
	char		 id[24];	/* its value */
	const char	*name;
	const char	*birth;		/* members; NULL: any */
	uint64_t	*ids;
	size_t		 n, cap;
	size_t		 nname;		/* same name, any 出生年月 */
	char		*other_birth;
};

static int
archive_join_each(void *arg, const struct form *f, const struct record *r)
{
	struct archive_join_find *jf = arg;

	(void)f;
	if (strcmp(archive_str(r, jf->field), jf->id) != 0 ||
	    strcmp(archive_str(r, "name"), jf->name) != 0)
		return 0;
	jf->nname++;
	if (jf->birth != NULL && strcmp(archive_str(r, "birth"),
	    jf->birth) != 0) {
		free(jf->other_birth);
		jf->other_birth = xstrdup(archive_str(r, "birth"));
		return 0;
	}
	jf->ids = xgrow(jf->ids, &jf->cap, jf->n + 1, sizeof *jf->ids);
	jf->ids[jf->n++] = r->id;
	return 0;
}

/* Runs archive_join_each over the records of f whose jf->field is
 * jf->id, found through that field's index (the branch's members, or
 * its 党小组), not over every record. */
static int
archive_join_find(struct archive_ctx *c, const struct form *f,
    struct archive_join_find *jf, char **errp)
{
	uint64_t *ids = NULL;
	size_t n = 0, i;
	int r;

	if ((r = store_find(c->st, f, jf->field, jf->id, &ids, &n, errp)) ==
	    CX_ERR)
		return CX_ERR;
	for (i = 0; i < n; i++) {
		struct record *rec = NULL;

		if ((r = store_get(c->st, f, ids[i], &rec, errp)) == CX_ERR)
			break;
		if (r == CX_OK)
			archive_join_each(jf, f, rec);
		record_free(rec);
		r = CX_OK;
	}
	free(ids);
	return r == CX_ERR ? CX_ERR : CX_OK;
}

/* Gives item k the global id of record id of f here, so that the import
 * takes it (and what refers to it) for that record. */
static void
archive_join_to(struct archive_ctx *c, size_t k, const struct form *f,
    uint64_t id)
{
	struct record *here = NULL;

	if (store_get(c->st, f, id, &here, NULL) != CX_OK)
		return;
	record_set_take(c->a->items[k].rec, "_gid",
	    store_record_gid(c->st, here));
	c->matched[k] = id;
	record_free(here);
}

static int
archive_join(struct archive_ctx *c, char **errp)
{
	const struct form *forg = formset_find(c->fs, "org");
	const struct form *fmem = formset_find(c->fs, "member");
	struct archive *a = c->a;
	struct record *branch = NULL;
	struct strlist problems;
	uint64_t abranch = 0, committee = 0;
	const char *bname;
	char aid[24];
	size_t i;
	int r = CX_ERR;

	if (forg == NULL || fmem == NULL)
		return err_set(errp, "表单定义中缺少党组织或党员。");
	if (a->version < 2)
		return err_set(errp, "这个导出文件是旧格式（格式 1），不能用来"
		    "加入；请在党支部的电脑上用新版 cxzy 重新导出。");
	if (store_get(c->st, forg, c->o->join_org, &branch, errp) != CX_OK)
		return CX_ERR;
	bname = archive_str(branch, "name");
	strlist_init(&problems);
	if (!util_parse_id(archive_str(branch, "parent_id"), &committee))
		committee = 0;
	/* The branch itself and its 机关党委. */
	for (i = 0; i < a->n; i++) {
		const struct record *rec = a->items[i].rec;

		if (a->items[i].trash || strcmp(a->items[i].kind, "org") != 0)
			continue;
		if (strcmp(archive_str(rec, "name"), bname) == 0 &&
		    (record_is(rec, "type", "branch") ||
		    record_is(rec, "type", "direct_group"))) {
			abranch = rec->id;
			archive_join_to(c, i, forg, branch->id);
		} else if (record_is(rec, "type", "committee") && committee != 0)
			archive_join_to(c, i, forg, committee);
	}
	if (abranch == 0) {
		err_set(errp, "导入文件里没有名为“%s”的党支部或直属党小组，"
		    "无法加入。", bname);
		goto out;
	}
	snprintf(aid, sizeof aid, "%llu", (unsigned long long)abranch);
	/* Its 党小组 and members. */
	for (i = 0; i < a->n; i++) {
		const struct record *rec = a->items[i].rec;
		struct archive_join_find jf;
		bool group = strcmp(a->items[i].kind, "org") == 0 &&
		    record_is(rec, "type", "group");
		bool member = strcmp(a->items[i].kind, "member") == 0;

		if (a->items[i].trash || (!group && !member) ||
		    strcmp(archive_str(rec, group ? "parent_id" : "branch_id"),
		    aid) != 0)
			continue;
		memset(&jf, 0, sizeof jf);
		jf.field = group ? "parent_id" : "branch_id";
		snprintf(jf.id, sizeof jf.id, "%llu",
		    (unsigned long long)branch->id);
		jf.name = archive_str(rec, "name");
		jf.birth = member ? archive_str(rec, "birth") : NULL;
		if (archive_join_find(c, group ? forg : fmem, &jf,
		    errp) != CX_OK) {
			free(jf.ids);
			free(jf.other_birth);
			goto out;
		}
		if (jf.n == 1)
			archive_join_to(c, i, group ? forg : fmem, jf.ids[0]);
		else if (jf.n > 1)
			strlist_addf(&problems, "%s“%s”：本机有 %zu 条同样的记录，"
			    "无法确定是哪一条。", group ? "党小组" : "党员",
			    jf.name, jf.n);
		else if (group)
			strlist_addf(&problems, "党小组“%s”：本机的“%s”下没有这个"
			    "党小组，请先在本机建立。", jf.name, bname);
		else if (jf.nname > 0)
			strlist_addf(&problems, "党员“%s”：导入文件里出生年月是"
			    "“%s”，本机同名党员的是“%s”，请核对后改成一致。",
			    jf.name, jf.birth, jf.other_birth ? jf.other_birth :
			    "");
		free(jf.ids);
		free(jf.other_birth);
	}
	if (problems.n > 0) {
		struct buf b;

		buf_init(&b);
		buf_addf(&b, "有 %zu 处无法对应，没有加入，数据没有改动：",
		    problems.n);
		for (i = 0; i < problems.n; i++)
			buf_addf(&b, "\n  %s", problems.v[i]);
		err_set(errp, "%s", b.s);
		buf_free(&b);
		goto out;
	}
	r = CX_OK;
out:
	strlist_free(&problems);
	record_free(branch);
	return r;
}

/* Decides the outcome of one archive item against the store. */
static int
archive_decide(struct archive_ctx *c, size_t k, char **errp)
{
	struct archive_item *it = &c->a->items[k];
	struct archive_result *res = &c->rep->v[k];
	const struct form *f = formset_find(c->fs, it->kind);
	struct record *live = NULL;
	const struct record *local;
	bool local_trash;
	int rc;

	res->kind = it->kind;
	res->id = it->rec->id;
	res->trash = it->trash;
	strlist_init(&res->problems);
	if (f == NULL) {
		res->label = it->kind;
		res->title = xstrdup("");
		res->outcome = ARCHIVE_UNKNOWN;
		return CX_OK;
	}
	res->label = f->label;
	res->title = xstrdup(f->title ? archive_str(it->rec, f->title) : "");
	if (c->matched != NULL && c->matched[k] != 0) {
		res->outcome = ARCHIVE_MATCHED;
		res->matched_id = c->matched[k];
		return CX_OK;
	}
	if (archive_unknown_fields(f, it->rec, &res->problems)) {
		res->outcome = ARCHIVE_REJECTED;
		return CX_OK;
	}
	rc = store_get(c->st, f, it->rec->id, &live, errp);
	if (rc == CX_ERR)
		return CX_ERR;
	local = live;
	local_trash = false;
	if (local == NULL) {
		local = archive_bin_find(c, f->kind, it->rec->id);
		local_trash = true;
	}
	if (local != NULL && record_get(local, "_rev") != NULL)
		c->expect[k] = xstrdup(record_get(local, "_rev"));
	if (local == NULL) {
		res->outcome = ARCHIVE_ADDED;
	} else if (c->a->version >= 2) {
		const char *lr = record_get(local, "_rev");
		const char *ar = record_get(it->rec, "_rev");

		if (util_same(lr, ar) && local_trash == it->trash &&
		    (lr != NULL || record_equal(local, it->rec)))
			res->outcome = ARCHIVE_UNCHANGED;
		else if (ar != NULL && lr == NULL && !c->o->ownership)
			res->outcome = ARCHIVE_UPDATED;
		else if (lr != NULL && (ar == NULL ||
		    store_rev_in(ar, record_get(local, "_revs"))))
			res->outcome = ARCHIVE_OLDER;
		else
			archive_merge(c, k, f, local, local_trash);
	} else if (strcmp(archive_str(local, "_created"),
	    archive_str(it->rec, "_created")) != 0) {
		res->outcome = ARCHIVE_CONFLICT;
		res->other_record = true;
	} else if (local_trash == it->trash && record_equal(local, it->rec)) {
		res->outcome = ARCHIVE_UNCHANGED;
	} else if (strcmp(archive_changed(it->rec), archive_changed(local)) > 0) {
		res->outcome = ARCHIVE_UPDATED;
	} else
		res->outcome = ARCHIVE_CONFLICT;
	if (c->o->branch_org != 0 && res->outcome != ARCHIVE_UNCHANGED &&
	    res->outcome != ARCHIVE_OLDER &&
	    archive_branch_of(f, it->rec) != c->o->branch_org) {
		strlist_free(&res->problems);
		strlist_init(&res->problems);
		strlist_addf(&res->problems, "这条记录不属于报送的党支部，未采用。");
		res->outcome = ARCHIVE_IGNORED;
	} else if (res->outcome == ARCHIVE_ADDED && c->o->ownership &&
	    f->owner != FORM_OWNER_BOTH && f->owner != c->o->sender) {
		strlist_addf(&res->problems, "%s由%s填写，对方新增的未采用。",
		    f->label, f->owner == FORM_OWNER_COMMITTEE ? "机关党委" :
		    "党支部");
		res->outcome = ARCHIVE_IGNORED;
	}
	if (local != NULL && !local_trash && f->sign_field != NULL &&
	    record_filled(local, f->sign_field) &&
	    (res->outcome == ARCHIVE_UPDATED || res->outcome == ARCHIVE_MERGED)) {
		/* A signed record keeps the version it replaces. */
		c->locals[k] = record_copy(local);
		c->locals[k]->id = local->id;
		c->locals[k]->form_version = local->form_version;
	}
	if (res->outcome == ARCHIVE_ADDED || res->outcome == ARCHIVE_UPDATED ||
	    res->outcome == ARCHIVE_MERGED) {
		size_t i, j, had = res->problems.n;

		/* A unique value (a name ...) that another record here holds:
		 * the same thing entered on both sides, for a person to
		 * settle. */
		for (i = 0; i < f->nfields; i++) {
			const struct form_field *ff = &f->fields[i];
			const char *v = record_get(it->rec, ff->id);
			uint64_t *ids = NULL;
			size_t n = 0;

			if (!ff->unique || v == NULL || *v == '\0' ||
			    store_find(c->st, f, ff->id, v, &ids, &n,
			    NULL) != CX_OK)
				continue;
			for (j = 0; j < n; j++)
				if (ids[j] != it->rec->id) {
					strlist_addf(&res->problems, "本机已有“%s”为"
					    "“%s”的另一条记录（编号 %llu）。",
					    ff->label, v, (unsigned long long)ids[j]);
					break;
				}
			free(ids);
		}
		if (res->problems.n > had) {
			res->outcome = ARCHIVE_CONFLICT;
			res->duplicate = true;
		}
	}
	if (res->outcome == ARCHIVE_ADDED || res->outcome == ARCHIVE_UPDATED ||
	    res->outcome == ARCHIVE_MERGED) {
		const char *code = archive_locked(c, f, it->rec);

		if (code == NULL && local != NULL)
			code = archive_locked(c, f, local);
		if (code != NULL) {
			struct period per;
			char label[32];

			if (model_period_parse(code, &per, NULL) == CX_OK)
				model_period_label(&per, label);
			else
				snprintf(label, sizeof label, "%s", code);
			strlist_addf(&res->problems, "%s已备案锁定%s。", label,
			    c->o->hold_locked ? "，整个报送包暂存待处理" :
			    "，没有导入");
			res->outcome = c->o->hold_locked ? ARCHIVE_HELD :
			    ARCHIVE_REJECTED;
		}
	}
	if (res->outcome == ARCHIVE_CONFLICT) {
		res->local_modified = xstrdup(res->other_record ?
		    archive_str(local, "_created") : archive_changed(local));
		res->archive_modified = xstrdup(res->other_record ?
		    archive_str(it->rec, "_created") : archive_changed(it->rec));
	}
	record_free(live);
	return CX_OK;
}

/* ---- Rows stored as records ("store KIND FIELD") ------------------ */

/* The child records an owner's rows field holds after the import, as
 * ledger_get would see them: the archive's added and updated copies,
 * and the copies here that the archive does not replace; for an owner
 * in the recycle bin, those in the bin. */
struct archive_children {
	const struct record	**v;
	size_t			  n, cap;
};

static void
archive_children_add(struct archive_children *ch, const struct record *r)
{
	ch->v = xgrow(ch->v, &ch->cap, ch->n + 1, sizeof *ch->v);
	ch->v[ch->n++] = r;
}

static long long
archive_seq(const struct record *r)
{
	const char *s = record_get(r, "seq");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return LLONG_MAX;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : LLONG_MAX;
}

/* Row order: the children's seq, then id (as ledger_get). */
static int
archive_cmp_child(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a;
	const struct record *y = *(const struct record *const *)b;
	long long sx = archive_seq(x), sy = archive_seq(y);

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool
archive_links(const struct record *r, const char *field, const char *link)
{
	const char *v = record_get(r, field);

	return v != NULL && strcmp(v, link) == 0;
}

/* Fills ch with the children of kind cf whose field lf is link. */
static int
archive_children_of(struct archive_ctx *c, const struct form *cf,
    const char *lf, const char *link, bool trash, struct archive_children *ch,
    struct record ***keep, size_t *nkeep, size_t *keepcap)
{
	size_t lo = 0, hi = c->nplanned, i, n = 0;
	uint64_t *ids = NULL;

	/* The archive's added and updated copies of that kind. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->planned[mid].kind, cf->kind) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < c->nplanned &&
	    strcmp(c->planned[i].kind, cf->kind) == 0; i++) {
		const struct archive_item *it = &c->a->items[c->planned[i].k];

		if (c->rep->v[c->planned[i].k].outcome != ARCHIVE_REJECTED &&
		    it->trash == trash && archive_links(it->rec, lf, link))
			archive_children_add(ch, it->rec);
	}
	/* The copies here that the archive leaves as they are. */
	if (trash) {
		for (i = 0; i < c->nbin; i++)
			if (strcmp(c->bin[i].kind, cf->kind) == 0 &&
			    archive_planned_find(c, cf->kind, c->bin[i].id) ==
			    NULL && archive_links(c->bin[i].rec, lf, link))
				archive_children_add(ch, c->bin[i].rec);
		return CX_OK;
	}
	if (!store_field_indexed(c->st, cf, lf) ||
	    store_find(c->st, cf, lf, link, &ids, &n, NULL) != CX_OK)
		return CX_OK;
	for (i = 0; i < n; i++) {
		struct record *r = NULL;

		if (archive_planned_find(c, cf->kind, ids[i]) != NULL ||
		    store_get(c->st, cf, ids[i], &r, NULL) != CX_OK)
			continue;
		*keep = xgrow(*keep, keepcap, *nkeep + 1, sizeof **keep);
		(*keep)[(*nkeep)++] = r;
		archive_children_add(ch, r);
	}
	free(ids);
	return CX_OK;
}

/* A copy of owner rec of f with its stored rows filled in from the
 * children present after the import, or NULL when f has none. */
static struct record *
archive_with_rows(struct archive_ctx *c, const struct form *f,
    const struct archive_item *it)
{
	struct record *full = NULL, **keep = NULL;
	size_t i, j, r, nkeep = 0, keepcap = 0;
	char *link = NULL;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		const struct form *cf;
		struct archive_children ch;

		if (ff->type != FT_ROWS || ff->store_kind == NULL ||
		    ff->store_field == NULL ||
		    (cf = formset_find(c->fs, ff->store_kind)) == NULL)
			continue;
		if (full == NULL) {
			full = record_copy(it->rec);
			full->id = it->rec->id;
			link = xasprintf("%s:%llu", f->kind,
			    (unsigned long long)it->rec->id);
		}
		memset(&ch, 0, sizeof ch);
		archive_children_of(c, cf, ff->store_field, link, it->trash, &ch,
		    &keep, &nkeep, &keepcap);
		if (ch.n > 1)
			qsort(ch.v, ch.n, sizeof *ch.v, archive_cmp_child);
		record_remove(full, ff->id);
		for (r = 0; r < ch.n; r++) {
			struct record *row = record_new();
			size_t ncol = ff->ncolumns > 0 ? ff->ncolumns : ff->nsub;

			for (j = 0; j < ncol; j++) {
				const char *col = ff->ncolumns > 0 ?
				    ff->columns[j] : ff->sub[j].id;
				const char *v = record_get(ch.v[r], col);

				if (v != NULL)
					record_set(row, col, v);
			}
			record_set_take(row, "_id", xasprintf("%llu",
			    (unsigned long long)ch.v[r]->id));
			record_append_row(full, ff->id, row);
		}
		free(ch.v);
	}
	for (i = 0; i < nkeep; i++)
		record_free(keep[i]);
	free(keep);
	free(link);
	return full;
}

/* Settings for the checks: those of the data as it will be after the
 * import (settings record 1). */
struct archive_settings {
	struct record	*rec;
};

static const char *
archive_setting(void *arg, const char *name)
{
	struct archive_settings *s = arg;
	const char *v = s->rec != NULL ? record_get(s->rec, name) : NULL;

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Validates the planned records until no more are rejected: rejecting
 * one can break a record that points at it, or leave an owner short of
 * the rows it keeps as records. */
static void
archive_validate(struct archive_ctx *c)
{
	struct archive_settings set;
	struct form_ctx ctx;
	bool again = true;
	size_t i;

	memset(&set, 0, sizeof set);
	memset(&ctx, 0, sizeof ctx);
	model_today(&ctx.today);
	ctx.setting = archive_setting;
	ctx.arg = &set;
	if (formset_find(c->fs, "settings") != NULL &&
	    archive_lookup(c, "settings", 1, &set.rec, NULL) != CX_OK)
		set.rec = NULL;
	while (again) {
		again = false;
		for (i = 0; i < c->nplanned; i++) {
			size_t k = c->planned[i].k;
			const struct archive_item *it = &c->a->items[k];
			struct archive_result *res = &c->rep->v[k];
			const struct form *f = formset_find(c->fs, it->kind);
			struct record *full;
			const struct record *r;
			struct strlist pr;

			if (res->outcome == ARCHIVE_REJECTED)
				continue;
			strlist_init(&pr);
			full = archive_with_rows(c, f, it);
			r = full != NULL ? full : it->rec;
			form_validate_ctx(f, r, &ctx, archive_lookup, c, &pr);
			model_check(c->fs, f->kind, r, archive_lookup, c, &pr);
			record_free(full);
			if (pr.n > 0) {
				c->rep->count[res->outcome]--;
				c->rep->count[ARCHIVE_REJECTED]++;
				res->outcome = ARCHIVE_REJECTED;
				strlist_free(&res->problems);
				res->problems = pr;
				again = true;
			} else
				strlist_free(&pr);
		}
	}
	record_free(set.rec);
}

/* ---- Global ids: the archive's records under their ids here ------- */

struct archive_map {
	const char	*kind;
	uint64_t	 from, to;
};

static int
archive_cmp_map(const void *a, const void *b)
{
	const struct archive_map *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	if (c != 0)
		return c;
	return x->from < y->from ? -1 : x->from > y->from;
}

static const struct archive_map *
archive_map_find(const struct archive_map *m, size_t n, const char *kind,
    uint64_t from)
{
	struct archive_map key;

	key.kind = kind;
	key.from = from;
	return n > 0 ? bsearch(&key, m, n, sizeof *m, archive_cmp_map) : NULL;
}

/* Rewrites the references in r (fields of ff[0..nf)) from the archive's
 * ids to the ids here. */
static void
archive_map_refs(struct record *r, const struct form_field *ff, size_t nf,
    const struct archive_map *m, size_t nm)
{
	const struct archive_map *hit;
	size_t i, j;
	uint64_t id;

	for (i = 0; i < nf; i++) {
		const struct form_field *f = &ff[i];
		const char *v;

		if (f->type == FT_ROWS && f->nsub > 0 && f->store_kind == NULL) {
			for (j = 0; j < record_nrows(r, f->id); j++)
				archive_map_refs(record_row(r, f->id, j), f->sub,
				    f->nsub, m, nm);
			continue;
		}
		if ((v = record_get(r, f->id)) == NULL || *v == '\0')
			continue;
		if (f->type == FT_REF && f->ref_kind != NULL &&
		    util_parse_id(v, &id) &&
		    (hit = archive_map_find(m, nm, f->ref_kind, id)) != NULL)
			record_set_take(r, f->id, xasprintf("%llu",
			    (unsigned long long)hit->to));
		else if (f->type == FT_LINK) {
			const char *colon = strchr(v, ':');
			char *kind;

			if (colon == NULL || !util_parse_id(colon + 1, &id))
				continue;
			kind = xstrndup(v, (size_t)(colon - v));
			if ((hit = archive_map_find(m, nm, kind, id)) != NULL)
				record_set_take(r, f->id, xasprintf("%s:%llu",
				    kind, (unsigned long long)hit->to));
			free(kind);
		}
	}
}

/* An archive of format 2 names each record by its global id: a record
 * known here takes its id here; one new here keeps the archive's id when
 * that is free here, else gets the next free one.  References follow.
 * Marks which items take an id nobody holds here (c->fresh). */
static int
archive_localize(struct archive_ctx *c, struct archive *a, char **errp)
{
	struct archive_map *m, *claim = NULL;
	uint64_t *next;
	size_t i, j, nm = 0, nclaim = 0;
	int r = CX_ERR;

	if (a->version < 2 || a->n == 0)
		return CX_OK;
	m = xcalloc(a->n, sizeof *m);
	next = xcalloc(c->fs->n, sizeof *next);
	/* Known records first. */
	for (i = 0; i < a->n; i++) {
		struct archive_item *it = &a->items[i];
		const struct form *f = formset_find(c->fs, it->kind);
		uint64_t id;
		int fr;

		m[i].kind = it->kind;
		m[i].from = it->rec->id;
		if (f == NULL)
			continue;
		fr = store_find_gid(c->st, f, record_get(it->rec, "_gid"), &id,
		    errp);
		if (fr == CX_ERR)
			goto out;
		if (fr == CX_OK)
			m[i].to = id;
	}
	/* The ids here that known records hold, and each kind's first
	 * free id above everything. */
	for (j = 0; j < c->fs->n; j++) {
		const struct form *f = c->fs->forms[j];
		char *key = xasprintf("seq:%s", f->kind), *v = NULL;

		if (store_meta_get(c->st, key, &v, NULL) == CX_OK)
			util_parse_id(v, &next[j]);
		free(key);
		free(v);
		for (i = 0; i < a->n; i++)
			if (strcmp(a->items[i].kind, f->kind) == 0 &&
			    m[i].to > next[j])
				next[j] = m[i].to;
	}
	/* The ids known records take here, sorted for look-up (as
	 * "from", to share the comparison). */
	claim = xcalloc(a->n, sizeof *claim);
	for (i = 0; i < a->n; i++)
		if (m[i].to != 0) {
			claim[nclaim].kind = m[i].kind;
			claim[nclaim++].from = m[i].to;
		}
	if (nclaim > 1)
		qsort(claim, nclaim, sizeof *claim, archive_cmp_map);
	for (i = 0; i < a->n; i++) {
		struct archive_item *it = &a->items[i];
		const struct form *f = formset_find(c->fs, it->kind);
		struct record *here = NULL;
		bool taken = false;
		int gr;

		if (f == NULL || m[i].to != 0)
			continue;
		gr = store_get(c->st, f, it->rec->id, &here, NULL);
		record_free(here);
		taken = gr != CX_NOTFOUND ||
		    archive_bin_find(c, f->kind, it->rec->id) != NULL;
		if (!taken && nclaim > 0) {
			struct archive_map key;

			key.kind = it->kind;
			key.from = it->rec->id;
			taken = bsearch(&key, claim, nclaim, sizeof *claim,
			    archive_cmp_map) != NULL;
		}
		for (j = 0; j < c->fs->n; j++)
			if (c->fs->forms[j] == f)
				break;
		if (!taken) {
			m[i].to = it->rec->id;
			if (m[i].to > next[j])
				next[j] = m[i].to;
		}
		c->fresh[i] = true;
	}
	for (i = 0; i < a->n; i++) {
		const struct form *f = formset_find(c->fs, a->items[i].kind);

		if (f == NULL || m[i].to != 0)
			continue;
		for (j = 0; j < c->fs->n; j++)
			if (c->fs->forms[j] == f)
				break;
		m[i].to = ++next[j];
	}
	nm = a->n;
	qsort(m, nm, sizeof *m, archive_cmp_map);
	for (i = 0; i < a->n; i++) {
		struct archive_item *it = &a->items[i];
		const struct form *f = formset_find(c->fs, it->kind);
		const struct archive_map *hit;

		if (f == NULL)
			continue;
		hit = archive_map_find(m, nm, it->kind, it->rec->id);
		archive_map_refs(it->rec, f->fields, f->nfields, m, nm);
		if (hit != NULL && hit->to != 0)
			it->rec->id = hit->to;
		for (j = 0; j < it->nhist; j++) {
			archive_map_refs(it->hist[j], f->fields, f->nfields, m,
			    nm);
			it->hist[j]->id = it->rec->id;
		}
	}
	r = CX_OK;
out:
	free(claim);
	free(m);
	free(next);
	return r;
}

static int
archive_hist_rev(void *arg, unsigned version, const struct record *rec)
{
	const char *r = record_get(rec, "_rev");

	(void)version;
	if (r != NULL)
		strlist_add(arg, r);
	return 0;
}

/* The archive's old versions of item k that the record here does not
 * keep yet (by revision), to be kept with it. */
static int
archive_old_versions(struct archive_ctx *c, size_t k,
    struct store_load_item *li, char **errp)
{
	const struct archive_item *it = &c->a->items[k];
	const struct record **more;
	struct strlist have;
	size_t h, j, n = 0;

	strlist_init(&have);
	if (c->rep->v[k].outcome != ARCHIVE_ADDED && store_history(c->st, li->f,
	    it->rec->id, archive_hist_rev, &have, errp) == CX_ERR) {
		strlist_free(&have);
		return CX_ERR;
	}
	if (c->locals[k] != NULL && record_get(c->locals[k], "_rev") != NULL)
		strlist_add(&have, record_get(c->locals[k], "_rev"));
	more = xcalloc(it->nhist, sizeof *more);
	for (h = 0; h < it->nhist; h++) {
		const char *r = record_get(it->hist[h], "_rev");
		bool dup = false;

		for (j = 0; r != NULL && j < have.n && !dup; j++)
			dup = strcmp(have.v[j], r) == 0;
		if (!dup)
			more[n++] = it->hist[h];
	}
	li->more_history = more;
	li->nmore_history = n;
	strlist_free(&have);
	return CX_OK;
}

int
archive_import(struct store *st, const struct formset *fs,
    struct archive *a, bool dry_run, struct archive_report *rep,
    char **errp)
{
	struct archive_opts o;

	memset(&o, 0, sizeof o);
	o.dry_run = dry_run;
	return archive_import_with(st, fs, a, &o, rep, errp);
}

int
archive_import_with(struct store *st, const struct formset *fs,
    struct archive *a, const struct archive_opts *o,
    struct archive_report *rep, char **errp)
{
	bool dry_run = o->dry_run;
	struct archive_ctx c;
	struct store_load_item *items = NULL;
	size_t i, n = 0;
	int r = CX_ERR;

	memset(rep, 0, sizeof *rep);
	memset(&c, 0, sizeof c);
	c.st = st;
	c.fs = fs;
	c.a = a;
	c.o = o;
	c.rep = rep;
	if (!dry_run && store_readonly(st))
		return err_set(errp, "数据目录是只读的（例如 U 盘的写保护开关已打开），"
		    "不能导入。请关闭写保护或把数据复制到可写的位置。");
	if (store_trash_foreach(st, archive_collect_bin, &c, errp) != CX_OK)
		goto out;
	if (c.nbin > 1)
		qsort(c.bin, c.nbin, sizeof *c.bin, archive_cmp_local);
	c.fresh = xcalloc(a->n ? a->n : 1, sizeof *c.fresh);
	c.locals = xcalloc(a->n ? a->n : 1, sizeof *c.locals);
	c.expect = xcalloc(a->n ? a->n : 1, sizeof *c.expect);
	c.matched = xcalloc(a->n ? a->n : 1, sizeof *c.matched);
	if (o->join_org != 0 && archive_join(&c, errp) != CX_OK)
		goto out;
	if (archive_localize(&c, a, errp) != CX_OK)
		goto out;
	rep->v = xcalloc(a->n ? a->n : 1, sizeof *rep->v);
	for (i = 0; i < a->n; i++) {
		rep->n++;
		if (o->progress != NULL && i > 0 && i % 1000 == 0)
			o->progress(o->progress_arg, i);
		if (archive_decide(&c, i, errp) != CX_OK)
			goto out;
		rep->count[rep->v[i].outcome]++;
	}
	c.planned = xcalloc(a->n ? a->n : 1, sizeof *c.planned);
	for (i = 0; i < a->n; i++)
		if (rep->v[i].outcome == ARCHIVE_ADDED ||
		    rep->v[i].outcome == ARCHIVE_UPDATED ||
		    rep->v[i].outcome == ARCHIVE_MERGED) {
			c.planned[c.nplanned].kind = a->items[i].kind;
			c.planned[c.nplanned].id = a->items[i].rec->id;
			c.planned[c.nplanned].k = i;
			c.nplanned++;
		}
	qsort(c.planned, c.nplanned, sizeof *c.planned, archive_cmp_plan);
	archive_validate(&c);
	items = xcalloc(c.nplanned ? c.nplanned : 1, sizeof *items);
	for (i = 0; i < a->n; i++) {
		if (rep->v[i].outcome != ARCHIVE_ADDED &&
		    rep->v[i].outcome != ARCHIVE_UPDATED &&
		    rep->v[i].outcome != ARCHIVE_MERGED)
			continue;
		items[n].f = formset_find(fs, a->items[i].kind);
		items[n].rec = a->items[i].rec;
		items[n].trash = a->items[i].trash;
		items[n].check = true;
		items[n].fresh = c.fresh[i] ||
		    rep->v[i].outcome == ARCHIVE_ADDED;
		items[n].expect = c.expect[i];
		items[n].history = c.locals[i];
		if (a->items[i].nhist > 0 && archive_old_versions(&c, i,
		    &items[n], errp) != CX_OK)
			goto out;
		n++;
	}
	if (rep->count[ARCHIVE_HELD] > 0) {
		rep->held = true;
		dry_run = true;
	}
	if (!dry_run) {
		int lr = store_load(st, items, n, errp);

		if (lr != CX_OK) {
			if (lr != CX_CONFLICT)
				err_prefix(errp, "导入失败，数据没有任何改动：");
			goto out;
		}
		rep->applied = true;
	}
	r = CX_OK;
out:
	for (i = 0; i < c.nbin; i++)
		record_free(c.bin[i].rec);
	for (i = 0; c.expect != NULL && i < a->n; i++)
		free(c.expect[i]);
	for (i = 0; items != NULL && i < n; i++)
		free((void *)items[i].more_history);
	for (i = 0; c.locals != NULL && i < a->n; i++)
		record_free(c.locals[i]);
	free(c.locals);
	free(c.matched);
	free(c.expect);
	free(c.fresh);
	free(c.bin);
	free(c.planned);
	free(items);
	return r;
}

void
archive_report_free(struct archive_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].title);
		free(rep->v[i].local_modified);
		free(rep->v[i].archive_modified);
		strlist_free(&rep->v[i].problems);
	}
	free(rep->v);
	memset(rep, 0, sizeof *rep);
}

static void
archive_report_name(struct buf *b, const struct archive_result *res)
{
	char *label = text_safe(res->label, false);

	buf_addf(b, "%s%s", res->trash ? "回收站中的" : "", label);
	free(label);
	if (*res->title != '\0') {
		char *title = text_safe(res->title, false);

		buf_addf(b, "“%s”", title);
		free(title);
	}
	buf_addf(b, "（编号 %llu）", (unsigned long long)res->id);
}

/* The report quotes text from the archive file, which may hold anything:
 * each piece is escaped on its own line (text_safe) so that it cannot
 * start a line of its own that looks like the report's. */
static char *
archive_report_lines(const struct archive_report *rep, bool all)
{
	static const char *const verbs[ARCHIVE_NOUTCOMES] = { "新增", "更新",
	    "未变", "冲突", "较旧", "拒绝", "跳过", "合并", "未采用", "暂存",
	    "对应" };
	struct buf b;
	size_t i, j;

	buf_init(&b);
	for (i = 0; i < rep->n; i++) {
		const struct archive_result *res = &rep->v[i];

		if (res->outcome == ARCHIVE_UNCHANGED || (!all &&
		    (res->outcome == ARCHIVE_ADDED ||
		    res->outcome == ARCHIVE_UPDATED ||
		    res->outcome == ARCHIVE_OLDER ||
		    res->outcome == ARCHIVE_MERGED)))
			continue;
		buf_addf(&b, "%s  ", verbs[res->outcome]);
		archive_report_name(&b, res);
		switch (res->outcome) {
		case ARCHIVE_CONFLICT:
			if (res->duplicate)
				buf_addstr(&b, "：和本机的另一条记录重复，没有导入，"
				    "保留本机的：");
			else if (res->other_record)
				buf_addf(&b, "：本机这个编号是另一条记录（本机的创建于 %s，"
				    "导入文件里的创建于 %s），保留本机的。",
				    *res->local_modified ? res->local_modified : "（未知）",
				    *res->archive_modified ? res->archive_modified :
				    "（未知）");
			else
				buf_addf(&b, "：本机的修改于 %s，导入文件里的修改于 %s，"
				    "%s保留本机的。",
				    *res->local_modified ? res->local_modified : "（未知）",
				    *res->archive_modified ? res->archive_modified :
				    "（未知）", res->both_changed ||
				    strcmp(res->local_modified,
				    res->archive_modified) == 0 ?
				    "两边都改过，" : "本机的较新，");
			break;
		case ARCHIVE_OLDER:
			buf_addstr(&b, "：本机已有更新的版本（导入文件里的是它以前的"
			    "样子），保留本机的。");
			break;
		case ARCHIVE_REJECTED:
			buf_addstr(&b, "：不符合表单要求，没有导入：");
			break;
		case ARCHIVE_MERGED:
			buf_addstr(&b, "：两边改的是不同的内容，已合并。");
			break;
		case ARCHIVE_IGNORED:
		case ARCHIVE_HELD:
			buf_addstr(&b, "：");
			break;
		case ARCHIVE_MATCHED:
			buf_addf(&b, "：就是本机的编号 %llu，保留本机的。",
			    (unsigned long long)res->matched_id);
			break;
		case ARCHIVE_UNKNOWN: {
			char *kind = text_safe(res->kind, false);

			buf_addf(&b, "：本机的表单里没有“%s”这种记录。", kind);
			free(kind);
			break;
		}
		default:
			break;
		}
		buf_addc(&b, '\n');
		for (j = 0; j < res->problems.n; j++) {
			char *p = text_safe(res->problems.v[j], false);

			buf_addf(&b, "    %s\n", p);
			free(p);
		}
	}
	buf_addf(&b, "%s：新增 %zu 条，更新 %zu 条，", rep->applied ? "已导入" :
	    rep->held ? "已暂存，数据没有改动" : "试运行，数据没有改动",
	    rep->count[ARCHIVE_ADDED], rep->count[ARCHIVE_UPDATED]);
	if (rep->count[ARCHIVE_MERGED] > 0)
		buf_addf(&b, "合并 %zu 条，", rep->count[ARCHIVE_MERGED]);
	buf_addf(&b, "未变 %zu 条，冲突 %zu 条，",
	    rep->count[ARCHIVE_UNCHANGED], rep->count[ARCHIVE_CONFLICT]);
	if (rep->count[ARCHIVE_IGNORED] > 0)
		buf_addf(&b, "未采用 %zu 条，", rep->count[ARCHIVE_IGNORED]);
	if (rep->count[ARCHIVE_HELD] > 0)
		buf_addf(&b, "涉及已锁定周期 %zu 条，", rep->count[ARCHIVE_HELD]);
	if (rep->count[ARCHIVE_MATCHED] > 0)
		buf_addf(&b, "对应本机 %zu 条，", rep->count[ARCHIVE_MATCHED]);
	if (rep->count[ARCHIVE_OLDER] > 0)
		buf_addf(&b, "较旧 %zu 条（本机的更新，未改动），",
		    rep->count[ARCHIVE_OLDER]);
	buf_addf(&b, "拒绝 %zu 条，跳过 %zu 条。\n",
	    rep->count[ARCHIVE_REJECTED], rep->count[ARCHIVE_UNKNOWN]);
	return buf_take(&b);
}

char *
archive_report_text(const struct archive_report *rep)
{
	return archive_report_lines(rep, true);
}

char *
archive_report_summary(const struct archive_report *rep)
{
	return archive_report_lines(rep, false);
}

int
archive_package_opts(struct store *st, const struct formset *fs,
    const struct archive *a, bool dry_run, struct archive_opts *o,
    char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	char *name, *mine = NULL;
	uint64_t org = 0;
	int rc = CX_ERR;

	memset(o, 0, sizeof o[0]);
	o->dry_run = dry_run;
	if (a->scope == NULL)
		return CX_OK;
	if (forg == NULL)
		return err_set(errp, "表单定义中缺少党组织（org）。");
	name = text_safe(a->branch_name, false);
	if (a->origin != NULL && strcmp(a->origin, store_origin(st)) == 0) {
		err_set(errp, "这个报送包是本机自己制作的，不用接收。");
		goto out;
	}
	if (strcmp(a->scope, "branch") == 0) {
		if (exchange_is_branch(st)) {
			err_set(errp, "这是党支部“%s”报送给机关党委的报送包，应在机关"
			    "党委的电脑上接收；本机是党支部的数据目录。", name);
			goto out;
		}
		if (store_find_gid(st, forg, a->branch, &org, NULL) != CX_OK) {
			err_set(errp, "本机没有党支部“%s”（报送包里的党组织不是本机"
			    "发出的）。如果这个党支部的台账是自己建立的，请先按 "
			    "docs/exchange.md 的“加入”一节把它并入。", name);
			goto out;
		}
		o->sender = FORM_OWNER_BRANCH;
		o->branch_org = org;
	} else {
		if (!exchange_is_branch(st)) {
			err_set(errp, "这是机关党委发给党支部“%s”的报送包，应在党支部"
			    "的数据目录里接收；要为这个党支部新建数据目录，请用"
			    "“cxzy init 目录 --from 文件”。", name);
			goto out;
		}
		if (store_meta_get(st, "branch", &mine, NULL) != CX_OK ||
		    strcmp(mine, a->branch) != 0) {
			err_set(errp, "这个报送包是发给党支部“%s”的，不是本支部的。",
			    name);
			goto out;
		}
		o->sender = FORM_OWNER_COMMITTEE;
	}
	o->ownership = true;
	o->hold_locked = true;
	rc = CX_OK;
out:
	free(mine);
	free(name);
	return rc;
}
