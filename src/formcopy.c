/* formcopy.c: the copy of the form definitions a data directory keeps
 * (see formcopy.h for the rules). */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "formcopy.h"
#include "record.h"
#include "sheet.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define FORMCOPY_NEW	"forms.new"
#define FORMCOPY_OLD	"forms.old"

bool
formcopy_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n <= 5 || n > FORMCOPY_NAME_MAX || name[0] == '.' ||
	    strcmp(name + n - 5, ".form") != 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static bool
formcopy_is_dir(const char *dir, const char *name)
{
	char *p = util_path(dir, name);
	struct stat sb;
	bool is = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);

	free(p);
	return is;
}

char *
formcopy_dir(const char *datadir)
{
	if (formcopy_is_dir(datadir, FORMCOPY_DIR))
		return util_path(datadir, FORMCOPY_DIR);
	/* forms.old exists only once forms.new is complete. */
	if (formcopy_is_dir(datadir, FORMCOPY_OLD) &&
	    formcopy_is_dir(datadir, FORMCOPY_NEW))
		return util_path(datadir, FORMCOPY_NEW);
	return NULL;
}

/* ------------------------------------------------------------ file sets */

void
formcopy_files_free(struct formcopy_files *ff)
{
	size_t i;

	for (i = 0; i < ff->n; i++) {
		free(ff->v[i].name);
		free(ff->v[i].text);
	}
	free(ff->v);
	memset(ff, 0, sizeof *ff);
}

int
formcopy_files_add(struct formcopy_files *ff, const char *name,
    const char *text, size_t len, char **errp)
{
	size_t i, at;

	if (!formcopy_name_ok(name))
		return err_set(errp, "表单文件名“%s”不合规定（只能含字母、数字、"
		    "“_”“.”“-”，以 .form 结尾）。", name);
	if (ff->n >= FORMCOPY_MAX_FILES)
		return err_set(errp, "表单文件太多（最多 %d 个）。",
		    FORMCOPY_MAX_FILES);
	if (len > FORMCOPY_MAX_SIZE)
		return err_set(errp, "表单文件“%s”太大（最大 %zu 字节）。", name,
		    FORMCOPY_MAX_SIZE);
	for (at = 0; at < ff->n; at++) {
		int c = strcmp(ff->v[at].name, name);

		if (c == 0)
			return err_set(errp, "表单文件“%s”重复。", name);
		if (c > 0)
			break;
	}
	ff->v = xgrow(ff->v, &ff->cap, ff->n + 1, sizeof *ff->v);
	for (i = ff->n; i > at; i--)
		ff->v[i] = ff->v[i - 1];
	ff->v[at].name = xstrdup(name);
	ff->v[at].text = xmalloc(len + 1);
	if (len > 0)
		memcpy(ff->v[at].text, text, len);
	ff->v[at].text[len] = '\0';
	ff->v[at].len = len;
	ff->n++;
	return CX_OK;
}

int
formcopy_read(const char *dir, struct formcopy_files *out, char **errp)
{
	DIR *d;
	struct dirent *de;
	int r = CX_OK;

	memset(out, 0, sizeof *out);
	if ((d = opendir(dir)) == NULL)
		return err_set(errp, "无法读取表单目录“%s”：%s。", dir,
		    util_strerror(errno));
	while (r == CX_OK && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char *path, *text = NULL;
		size_t len = 0;

		/* The files formset_load_dir reads. */
		if (de->d_name[0] == '.' || n <= 5 ||
		    strcmp(de->d_name + n - 5, ".form") != 0)
			continue;
		path = util_path(dir, de->d_name);
		r = util_read_file(path, &text, &len, errp);
		free(path);
		if (r == CX_OK)
			r = formcopy_files_add(out, de->d_name, text, len, errp);
		free(text);
	}
	closedir(d);
	if (r != CX_OK)
		formcopy_files_free(out);
	return r;
}

bool
formcopy_files_equal(const struct formcopy_files *a,
    const struct formcopy_files *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0 ||
		    a->v[i].len != b->v[i].len ||
		    memcmp(a->v[i].text, b->v[i].text, a->v[i].len) != 0)
			return false;
	return true;
}

/* -------------------------------------------------------------- writing */

/* Removes dir and the files in it (a copy holds nothing else).  Missing
 * is fine. */
static int
formcopy_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = util_path(dir, de->d_name);
		(void)unlink(p);
		free(p);
	}
	closedir(d);
	return rmdir(dir) == 0 || errno == ENOENT ? 0 : -1;
}

/* The data directory's lock for writers of its copy: an flock on the
 * directory itself, so no file is added.  -1 when it cannot be had (the
 * caller goes on: the renames below are still all-or-nothing). */
static int
formcopy_lock(const char *datadir)
{
	int fd = open(datadir, O_RDONLY);

	if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void
formcopy_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

static int
formcopy_repair_locked(const char *datadir, char **errp)
{
	char *cur = util_path(datadir, FORMCOPY_DIR);
	char *nw = util_path(datadir, FORMCOPY_NEW);
	char *old = util_path(datadir, FORMCOPY_OLD);
	int r = CX_OK;

	if (!formcopy_is_dir(datadir, FORMCOPY_DIR)) {
		if (formcopy_is_dir(datadir, FORMCOPY_OLD) &&
		    formcopy_is_dir(datadir, FORMCOPY_NEW)) {
			/* Interrupted between the two renames: the new copy
			 * is complete. */
			if (rename(nw, cur) != 0)
				r = err_set(errp, "无法完成表单的更换（%s）：%s。", cur,
				    util_strerror(errno));
			else
				util_sync_dir(datadir);
		} else if (formcopy_is_dir(datadir, FORMCOPY_OLD)) {
			if (rename(old, cur) != 0)
				r = err_set(errp, "无法恢复表单副本（%s）：%s。", cur,
				    util_strerror(errno));
			else
				util_sync_dir(datadir);
		}
	}
	if (r == CX_OK) {
		/* Leftovers: a copy being written when the program stopped,
		 * and the copy a finished swap replaced. */
		(void)formcopy_remove_dir(nw);
		(void)formcopy_remove_dir(old);
	}
	free(cur);
	free(nw);
	free(old);
	return r;
}

int
formcopy_repair(const char *datadir, char **errp)
{
	int fd = formcopy_lock(datadir), r;

	r = formcopy_repair_locked(datadir, errp);
	formcopy_unlock(fd);
	return r;
}

/* Writes the files into dir (which must not exist), each flushed. */
static int
formcopy_put_files(const char *dir, const struct formcopy_files *files,
    char **errp)
{
	size_t i;

	if (mkdir(dir, 0777) != 0)
		return err_set(errp, "无法建立表单目录“%s”：%s。", dir,
		    util_strerror(errno));
	for (i = 0; i < files->n; i++) {
		char *p;
		int fd;

		if (!formcopy_name_ok(files->v[i].name))
			return err_set(errp, "表单文件名“%s”不合规定。",
			    files->v[i].name);
		p = util_path(dir, files->v[i].name);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 || util_write_all(fd, files->v[i].text,
		    files->v[i].len) != 0 || fsync(fd) != 0) {
			err_set(errp, "无法写入表单文件“%s”：%s。", p,
			    util_strerror(errno));
			if (fd >= 0)
				close(fd);
			free(p);
			return CX_ERR;
		}
		if (close(fd) != 0) {
			err_set(errp, "无法写入表单文件“%s”：%s。", p,
			    util_strerror(errno));
			free(p);
			return CX_ERR;
		}
		free(p);
	}
	util_sync_dir(dir);
	return CX_OK;
}

/* Whether the forms in dir load as a set the program can use. */
static int
formcopy_loads(const char *dir, char **errp)
{
	struct formset *fs = NULL;
	int r;

	r = formset_load_dir(dir, &fs, errp);
	if (r == CX_OK)
		r = sheet_check_set(fs, errp);
	formset_free(fs);
	return r;
}

int
formcopy_write(const char *datadir, const struct formcopy_files *files,
    char **errp)
{
	char *cur = util_path(datadir, FORMCOPY_DIR);
	char *nw = util_path(datadir, FORMCOPY_NEW);
	char *old = util_path(datadir, FORMCOPY_OLD);
	bool had;
	int fd, r = CX_ERR;

	if (files->n == 0) {
		err_set(errp, "没有任何表单文件。");
		goto out0;
	}
	fd = formcopy_lock(datadir);
	if (formcopy_repair_locked(datadir, errp) != CX_OK)
		goto out;
	if (formcopy_put_files(nw, files, errp) != CX_OK ||
	    formcopy_loads(nw, errp) != CX_OK) {
		(void)formcopy_remove_dir(nw);
		goto out;
	}
	had = formcopy_is_dir(datadir, FORMCOPY_DIR);
	if (had && rename(cur, old) != 0) {
		err_set(errp, "无法更换表单副本（%s）：%s。", cur, util_strerror(errno));
		(void)formcopy_remove_dir(nw);
		goto out;
	}
	if (rename(nw, cur) != 0) {
		err_set(errp, "无法更换表单副本（%s）：%s。", cur, util_strerror(errno));
		if (had)
			(void)rename(old, cur);
		(void)formcopy_remove_dir(nw);
		goto out;
	}
	util_sync_dir(datadir);
	if (had)
		(void)formcopy_remove_dir(old);
	r = CX_OK;
out:
	formcopy_unlock(fd);
out0:
	free(cur);
	free(nw);
	free(old);
	return r;
}

int
formcopy_snapshot(const char *datadir, const char *from_dir, char **errp)
{
	struct formcopy_files ff;
	int r;

	if (formcopy_read(from_dir, &ff, errp) != CX_OK)
		return CX_ERR;
	r = formcopy_write(datadir, &ff, errp);
	formcopy_files_free(&ff);
	return r;
}

int
formcopy_ensure(const char *datadir, const char *from_dir, char **errp)
{
	if (formcopy_repair(datadir, errp) != CX_OK)
		return CX_ERR;
	if (formcopy_is_dir(datadir, FORMCOPY_DIR))
		return CX_OK;
	return formcopy_snapshot(datadir, from_dir, errp);
}

int
formcopy_from_archive(const char *datadir, const struct archive *a,
    char **errp)
{
	struct formcopy_files ff;
	size_t i;
	int r = CX_OK;

	if (a->nforms == 0)
		return CX_NOTFOUND;
	memset(&ff, 0, sizeof ff);
	for (i = 0; i < a->nforms && r == CX_OK; i++)
		r = formcopy_files_add(&ff, a->forms[i].name, a->forms[i].text,
		    a->forms[i].len, errp);
	if (r == CX_OK)
		r = formcopy_write(datadir, &ff, errp);
	if (r != CX_OK)
		err_prefix(errp, "导出文件里的表单不能使用：");
	formcopy_files_free(&ff);
	return r;
}

/* ------------------------------------------------------------ the diff */

static bool
formcopy_strv_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!util_same(a[i], b[i]))
			return false;
	return true;
}

static bool
formcopy_checks_equal(const struct form_check *a, size_t na,
    const struct form_check *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!util_same(a[i].text, b[i].text) ||
		    !util_same(a[i].message, b[i].message))
			return false;
	return true;
}

static const struct form_option *
formcopy_opt(const struct form_field *f, const char *code)
{
	size_t i;

	for (i = 0; i < f->nopts; i++)
		if (strcmp(f->opts[i].code, code) == 0)
			return &f->opts[i];
	return NULL;
}

/* "可选项改了：新增 x（名称）；删除 y；z 名称 甲 → 乙；次序" */
static void
formcopy_diff_options(const struct form_field *a, const struct form_field *b,
    const char *prefix, struct strlist *changes)
{
	struct buf d;
	size_t i;
	bool order = a->nopts == b->nopts;

	buf_init(&d);
	for (i = 0; i < b->nopts; i++) {
		const struct form_option *o = formcopy_opt(a, b->opts[i].code);

		if (o == NULL)
			buf_addf(&d, "%s新增 %s（%s）", d.len ? "；" : "",
			    b->opts[i].code, b->opts[i].label);
		else if (strcmp(o->label, b->opts[i].label) != 0)
			buf_addf(&d, "%s%s 的名称 %s → %s", d.len ? "；" : "",
			    b->opts[i].code, o->label, b->opts[i].label);
		if (order && strcmp(a->opts[i].code, b->opts[i].code) != 0)
			order = false;
	}
	for (i = 0; i < a->nopts; i++)
		if (formcopy_opt(b, a->opts[i].code) == NULL)
			buf_addf(&d, "%s删除 %s（%s）", d.len ? "；" : "",
			    a->opts[i].code, a->opts[i].label);
	if (d.len == 0 && !order)
		buf_addstr(&d, "次序改了");
	if (d.len > 0)
		strlist_addf(changes, "%s可选项改了：%s", prefix, d.s);
	buf_free(&d);
}

/* "类型" as the .form file writes it, with its size or range. */
static char *
formcopy_type_text(const struct form_field *f)
{
	const char *t = form_type_name(f->type);

	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		return xasprintf("%s（最多 %zu 字）", t, f->maxlen);
	case FT_INT:
		return xasprintf("%s（%lld 到 %lld）", t, f->min, f->max);
	case FT_REF:
		return xasprintf("%s（%s）", t, f->ref_kind ? f->ref_kind : "");
	case FT_ROWS:
		if (f->max_rows > 0)
			return xasprintf("%s（%zu 到 %zu 行）", t, f->min_rows,
			    f->max_rows);
		return xasprintf("%s（至少 %zu 行）", t, f->min_rows);
	case FT_LINK: {
		struct buf b;
		size_t i;

		buf_init(&b);
		buf_addf(&b, "%s（", t);
		for (i = 0; i < f->nlink_kinds; i++)
			buf_addf(&b, "%s%s", i ? "、" : "", f->link_kinds[i]);
		buf_addstr(&b, "）");
		return buf_take(&b);
	}
	default:
		return xstrdup(t);
	}
}

static void formcopy_diff_fields(const struct form_field *a, size_t na,
    const struct form_field *b, size_t nb, const char *prefix,
    const struct form_field *parent, struct strlist *changes);

static const struct form_field *
formcopy_field(const struct form_field *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* What a field's stored values mean: a computed field stores nothing,
 * rows kept as records of their own store nothing in the owner. */
static bool
formcopy_stored(const struct form_field *f)
{
	return f->compute == NULL && f->store_kind == NULL;
}

static void
formcopy_diff_field(const struct form_field *a, const struct form_field *b,
    const char *prefix, const struct form_field *parent,
    struct strlist *changes)
{
	char *name, *p, *ta, *tb;
	struct buf other;

	name = parent ? xasprintf("字段“%s·%s”（%s.%s）", parent->label,
	    a->label, parent->id, a->id) : xasprintf("字段“%s”（%s）", a->label, a->id);
	p = xasprintf("%s%s", prefix, name);
	if (strcmp(a->label, b->label) != 0)
		strlist_addf(changes, "%s名称改了：%s → %s", p, a->label,
		    b->label);
	ta = formcopy_type_text(a);
	tb = formcopy_type_text(b);
	if (strcmp(ta, tb) != 0)
		strlist_addf(changes, "%s类型改了：%s → %s", p, ta, tb);
	free(ta);
	free(tb);
	if (a->required != b->required)
		strlist_addf(changes, "%s必填改了：%s → %s", p,
		    a->required ? "必填" : "可不填", b->required ? "必填" :
		    "可不填");
	if (a->nopts > 0 || b->nopts > 0)
		formcopy_diff_options(a, b, p, changes);
	if (!util_same(a->req_if_field, b->req_if_field) ||
	    !formcopy_strv_equal(a->req_if_values, a->nreq_if,
	    b->req_if_values, b->nreq_if) ||
	    !formcopy_checks_equal(a->checks, a->nchecks, b->checks,
	    b->nchecks) ||
	    !util_same(a->where_field, b->where_field) ||
	    !formcopy_strv_equal(a->where_values, a->nwhere, b->where_values,
	    b->nwhere))
		strlist_addf(changes, "%s检查规则改了", p);
	if (!util_same(a->compute, b->compute) || a->format != b->format ||
	    !util_same(a->flag_text, b->flag_text))
		strlist_addf(changes, "%s计算公式改了", p);
	if (!util_same(a->auto_fn, b->auto_fn) ||
	    !formcopy_strv_equal(a->auto_args, a->nauto_args, b->auto_args,
	    b->nauto_args))
		strlist_addf(changes, "%s自动取值改了", p);
	buf_init(&other);
	if (!util_same(a->def, b->def))
		buf_addf(&other, "%s默认值", other.len ? "、" : "");
	if (!util_same(a->help, b->help))
		buf_addf(&other, "%s帮助文字", other.len ? "、" : "");
	if (a->list_width != b->list_width || a->print_width != b->print_width)
		buf_addf(&other, "%s列宽", other.len ? "、" : "");
	if (a->index != b->index || a->unique != b->unique)
		buf_addf(&other, "%s索引", other.len ? "、" : "");
	if (a->annotation != b->annotation)
		buf_addf(&other, "%s批注", other.len ? "、" : "");
	if (!formcopy_strv_equal(a->aliases, a->naliases, b->aliases,
	    b->naliases))
		buf_addf(&other, "%s别名", other.len ? "、" : "");
	if (!util_same(a->store_kind, b->store_kind) ||
	    !util_same(a->store_field, b->store_field) ||
	    !formcopy_strv_equal(a->columns, a->ncolumns, b->columns,
	    b->ncolumns))
		buf_addf(&other, "%s表格的存放", other.len ? "、" : "");
	if (other.len > 0)
		strlist_addf(changes, "%s改了：%s", p, other.s);
	buf_free(&other);
	/* Sub-fields of stored rows are copies of another form's fields:
	 * that form's own diff reports them. */
	if (a->type == FT_ROWS && b->type == FT_ROWS && a->store_kind == NULL &&
	    b->store_kind == NULL)
		formcopy_diff_fields(a->sub, a->nsub, b->sub, b->nsub, prefix,
		    a, changes);
	free(p);
	free(name);
}

static void
formcopy_diff_fields(const struct form_field *a, size_t na,
    const struct form_field *b, size_t nb, const char *prefix,
    const struct form_field *parent, struct strlist *changes)
{
	size_t i;

	for (i = 0; i < nb; i++) {
		const struct form_field *o = formcopy_field(a, na, b[i].id);

		if (o != NULL)
			formcopy_diff_field(o, &b[i], prefix, parent, changes);
		else if (parent != NULL)
			strlist_addf(changes, "%s字段新增：%s·%s（%s.%s）", prefix,
			    parent->label, b[i].label, parent->id, b[i].id);
		else
			strlist_addf(changes, "%s字段新增：%s（%s）", prefix,
			    b[i].label, b[i].id);
	}
	for (i = 0; i < na; i++) {
		if (formcopy_field(b, nb, a[i].id) != NULL)
			continue;
		if (parent != NULL)
			strlist_addf(changes, "%s字段删除：%s·%s（%s.%s）", prefix,
			    parent->label, a[i].label, parent->id, a[i].id);
		else
			strlist_addf(changes, "%s字段删除：%s（%s）", prefix,
			    a[i].label, a[i].id);
	}
}

static void
formcopy_diff_form(const struct form *a, const struct form *b,
    struct strlist *changes)
{
	char *p = xasprintf("%s（%s）：", a->label, a->kind);
	struct buf other;

	if (strcmp(a->label, b->label) != 0)
		strlist_addf(changes, "%s名称改了：%s → %s", p, a->label,
		    b->label);
	if (a->version != b->version)
		strlist_addf(changes, "%s版本号 %u → %u", p, a->version,
		    b->version);
	formcopy_diff_fields(a->fields, a->nfields, b->fields, b->nfields, p,
	    NULL, changes);
	if (!formcopy_checks_equal(a->checks, a->nchecks, b->checks,
	    b->nchecks))
		strlist_addf(changes, "%s检查规则改了", p);
	if (!util_same(a->sheet, b->sheet))
		strlist_addf(changes, "%s打印版式改了", p);
	buf_init(&other);
	if (!util_same(a->title, b->title))
		buf_addf(&other, "%s标题字段", other.len ? "、" : "");
	if (a->order != b->order || !util_same(a->menu, b->menu))
		buf_addf(&other, "%s菜单位置", other.len ? "、" : "");
	if (!util_same(a->sign_field, b->sign_field))
		buf_addf(&other, "%s签署字段", other.len ? "、" : "");
	if (!util_same(a->closed_field, b->closed_field) ||
	    !formcopy_strv_equal(a->closed_values, a->nclosed,
	    b->closed_values, b->nclosed))
		buf_addf(&other, "%s办结条件", other.len ? "、" : "");
	if (other.len > 0)
		strlist_addf(changes, "%s改了：%s", p, other.s);
	buf_free(&other);
	free(p);
}

size_t
formcopy_diff(const struct formset *from, const struct formset *to,
    struct strlist *changes)
{
	size_t i, n0 = changes->n;

	for (i = 0; i < to->n; i++) {
		const struct form *o = formset_find(from, to->forms[i]->kind);

		if (o == NULL)
			strlist_addf(changes, "表单新增：%s（%s）",
			    to->forms[i]->label, to->forms[i]->kind);
		else
			formcopy_diff_form(o, to->forms[i], changes);
	}
	for (i = 0; i < from->n; i++)
		if (formset_find(to, from->forms[i]->kind) == NULL)
			strlist_addf(changes, "表单删除：%s（%s）",
			    from->forms[i]->label, from->forms[i]->kind);
	return changes->n - n0;
}

/* ------------------------------------------------- data the change drops */

/* A stored field the new forms drop: top level (row NULL), or a sub-field
 * of a rows field both keep. */
struct formcopy_drop {
	const struct form_field	*rows;
	const struct form_field	*field;
	size_t			 nrecords;
};

struct formcopy_scan {
	const struct form	*form;
	struct formcopy_drop	*drops;
	size_t			 ndrops;
	size_t			 nrecords;	/* a dropped form's records */
	bool			 whole;		/* the form is dropped */
};

static bool
formcopy_drop_holds(const struct formcopy_drop *d, const struct record *r)
{
	size_t i, n;

	if (d->rows == NULL)
		return record_filled(r, d->field->id);
	n = record_nrows(r, d->rows->id);
	for (i = 0; i < n; i++)
		if (record_filled(record_row(r, d->rows->id, i), d->field->id))
			return true;
	return false;
}

static int
formcopy_scan_rec(void *arg, const struct form *f, const struct record *r)
{
	struct formcopy_scan *s = arg;
	size_t i;

	if (f != s->form)
		return 0;
	s->nrecords++;
	for (i = 0; i < s->ndrops; i++)
		if (formcopy_drop_holds(&s->drops[i], r))
			s->drops[i].nrecords++;
	return 0;
}

static void
formcopy_add_drop(struct formcopy_scan *s, size_t *cap,
    const struct form_field *rows, const struct form_field *f)
{
	s->drops = xgrow(s->drops, cap, s->ndrops + 1, sizeof *s->drops);
	s->drops[s->ndrops].rows = rows;
	s->drops[s->ndrops].field = f;
	s->drops[s->ndrops].nrecords = 0;
	s->ndrops++;
}

/* The stored fields of a that b drops (or turns into computed ones). */
static void
formcopy_find_drops(struct formcopy_scan *s, const struct form *a,
    const struct form *b)
{
	size_t i, j, cap = 0;

	for (i = 0; i < a->nfields; i++) {
		const struct form_field *fa = &a->fields[i], *fb;

		if (!formcopy_stored(fa))
			continue;
		fb = formcopy_field(b->fields, b->nfields, fa->id);
		if (fb == NULL || fb->compute != NULL) {
			formcopy_add_drop(s, &cap, NULL, fa);
			continue;
		}
		if (fa->type != FT_ROWS || fb->type != FT_ROWS ||
		    fb->store_kind != NULL)
			continue;
		for (j = 0; j < fa->nsub; j++) {
			const struct form_field *sa = &fa->sub[j], *sb;

			if (sa->compute != NULL)
				continue;
			sb = formcopy_field(fb->sub, fb->nsub, sa->id);
			if (sb == NULL || sb->compute != NULL)
				formcopy_add_drop(s, &cap, fa, sa);
		}
	}
}

size_t
formcopy_check_data(struct store *st, const struct formset *from,
    const struct formset *to, struct strlist *problems, char **errp)
{
	struct formcopy_scan *scans;
	size_t i, j, n0 = problems->n;
	bool any = false;

	scans = xcalloc(from->n ? from->n : 1, sizeof *scans);
	for (i = 0; i < from->n; i++) {
		const struct form *b = formset_find(to, from->forms[i]->kind);

		scans[i].form = from->forms[i];
		if (b == NULL)
			scans[i].whole = true;
		else
			formcopy_find_drops(&scans[i], from->forms[i], b);
		if (scans[i].whole || scans[i].ndrops > 0) {
			any = true;
			if (store_foreach(st, from->forms[i], formcopy_scan_rec,
			    &scans[i], errp) != CX_OK)
				goto fail;
		}
	}
	for (i = 0; any && i < from->n; i++) {
		if (!scans[i].whole && scans[i].ndrops == 0)
			continue;
		/* The recycle bin holds every kind: one pass per kind that
		 * loses something keeps the counting simple. */
		if (store_trash_foreach(st, formcopy_scan_rec, &scans[i],
		    errp) != CX_OK)
			goto fail;
	}
	for (i = 0; i < from->n; i++) {
		const struct form *f = scans[i].form;

		if (scans[i].whole && scans[i].nrecords > 0)
			strlist_addf(problems, "%s（%s）有 %zu 条记录（含回收站），"
			    "新的表单里没有这种记录。", f->label, f->kind,
			    scans[i].nrecords);
		for (j = 0; !scans[i].whole && j < scans[i].ndrops; j++) {
			const struct formcopy_drop *d = &scans[i].drops[j];

			if (d->nrecords == 0)
				continue;
			if (d->rows != NULL)
				strlist_addf(problems, "%s（%s）的字段“%s·%s”（%s.%s）"
				    "在 %zu 条记录里有内容，新的表单里没有这个字段。",
				    f->label, f->kind, d->rows->label,
				    d->field->label, d->rows->id, d->field->id,
				    d->nrecords);
			else
				strlist_addf(problems, "%s（%s）的字段“%s”（%s）"
				    "在 %zu 条记录里有内容，新的表单里没有这个字段。",
				    f->label, f->kind, d->field->label,
				    d->field->id, d->nrecords);
		}
	}
	for (i = 0; i < from->n; i++)
		free(scans[i].drops);
	free(scans);
	return problems->n - n0;
fail:
	for (i = 0; i < from->n; i++)
		free(scans[i].drops);
	free(scans);
	return (size_t)-1;
}
