/* cli.c: the command-line front end.
 *
 * A thin layer over the core: it converts arguments from the locale's
 * encoding to UTF-8, finds the data directory and the form definitions,
 * runs one command, and converts what it prints back to the locale's
 * encoding.  Records typed here pass exactly the validation the entry
 * screen uses (form_input_value, form_validate, model_check). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <lmdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "backup.h"
#include "check.h"
#include "archive.h"
#include "cli.h"
#include "conv.h"
#include "csvimport.h"
#include "date.h"
#include "demo.h"
#include "exchange.h"
#include "formcopy.h"
#include "formdef.h"
#include "ledger.h"
#include "model.h"
#include "report.h"
#include "rollup.h"
#include "roster.h"
#include "sheet.h"
#include "store.h"
#include "text.h"
#include "tui.h"
#include "util.h"
#include "workbench.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_DAMAGE = 3
};

struct cli {
	const char		*datadir;
	bool			 ascii;
	struct formset		*fs;
	/* The program's forms ($CXZY_FORMS or next to the binary), what a
	 * new directory copies; and the directory fs was loaded from: the
	 * data directory's copy when it has one. */
	char			*program_forms;
	char			*forms_dir;
	struct store		*st;
	/* Loads and saves records with their stored rows, auto fields,
	 * the period lock and history: set up once the store is open. */
	struct ledger		 lg;
	bool			 lg_ready;
	/* A small cache for references shown in lists. */
	struct cli_cached {
		const char	*kind;
		uint64_t	 id;
		struct record	*rec;
	}			*cache;
	size_t			 ncache, cachecap;
	/* The first damaged record a reference led to: what was printed
	 * shows it as 无法读取, and the command fails. */
	char			*lookup_err;
};

enum cli_needs {
	NEEDS_NOTHING,
	NEEDS_FORMS,
	NEEDS_STORE
};

struct cli_command {
	const char	*name;
	const char	*args;
	const char	*summary;
	int		 min_args;
	int		 max_args;	/* -1 = any */
	enum cli_needs	 needs;
	int		(*run)(struct cli *, int, char **);
};

/* Output in the locale's encoding.  Every message passes here, and most
 * quote stored text: control characters and bidi overrides in it are
 * escaped (text_safe) so that a record cannot drive the terminal.  Text
 * laid out in columns is escaped before it is measured (cli_safe). */
static bool cli_warned_escape;

static void CX_PRINTF(2, 3)
cli_write(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *s, *safe, *t;
	size_t n, nesc;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	safe = text_safe(s, true);
	t = conv_to_locale_n(safe, &n, &nesc);
	fwrite(t, 1, n, fp);
	free(t);
	free(safe);
	free(s);
	if (nesc > 0 && !cli_warned_escape) {
		/* Once: what the [U+…] in the output means. */
		cli_warned_escape = true;
		fflush(fp);
		cli_write(stderr, "cxzy: 终端的编码（%s）显示不了有些字（例如生僻字），"
		    "已写成 [U+编码] 的形式；改用 GB18030 或 UTF-8 的终端可以正常"
		    "显示。\n", conv_locale_codeset());
	}
}

/* Replaces the allocated *s by its escaped form, so that padding and
 * wrapping measure what will be printed.  Returns the new string. */
static char *
cli_safe(char **s, bool multiline)
{
	char *t = text_safe(*s, multiline);

	free(*s);
	*s = t;
	return t;
}

#define cli_print(...) cli_write(stdout, __VA_ARGS__)

static void CX_PRINTF(1, 2)
cli_error(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	cli_write(stderr, "cxzy: %s\n", s);
	free(s);
}

/* Prints an error message from the core and frees it. */
static int
cli_fail(char *err)
{
	cli_error("%s", err ? err : "未知错误。");
	free(err);
	return EXIT_FAIL;
}

static int
cli_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct cli *c = arg;
	const struct form *f = formset_find(c->fs, kind);
	int rc;

	if (f == NULL)
		return CX_NOTFOUND;
	rc = store_get(c->st, f, id, out, errp);
	if (rc == CX_ERR && c->lookup_err == NULL)
		c->lookup_err = xstrdup(errp != NULL && *errp != NULL ? *errp :
		    "引用的记录无法读取。");
	return rc;
}

/* Fails a command whose output showed a reference as 无法读取. */
static int
cli_lookup_status(struct cli *c, int rc)
{
	if (rc != EXIT_OK || c->lookup_err == NULL)
		return rc;
	cli_error("%s", c->lookup_err);
	return EXIT_FAIL;
}

/* Like cli_lookup, but remembers what it found, for listing many records
 * that point at the same few others. */
static int
cli_lookup_cached(void *arg, const char *kind, uint64_t id,
    struct record **out, char **errp)
{
	struct cli *c = arg;
	size_t i;
	int rc;

	for (i = 0; i < c->ncache; i++) {
		if (c->cache[i].id == id && strcmp(c->cache[i].kind, kind) == 0) {
			*out = record_copy(c->cache[i].rec);
			return CX_OK;
		}
	}
	rc = cli_lookup(arg, kind, id, out, errp);
	if (rc == CX_OK && c->ncache < 4096) {
		c->cache = xgrow(c->cache, &c->cachecap, c->ncache + 1,
		    sizeof *c->cache);
		c->cache[c->ncache].kind = formset_find(c->fs, kind)->kind;
		c->cache[c->ncache].id = id;
		c->cache[c->ncache].rec = record_copy(*out);
		c->ncache++;
	}
	return rc;
}

/* Finds where the form definitions are: $CXZY_FORMS, the forms/ directory
 * next to an uninstalled binary, or the installed directory. */
static char *
cli_forms_dir(void)
{
	const char *env = getenv("CXZY_FORMS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash, *cand;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			/* Uninstalled (src/../forms) or installed somewhere
			 * other than the configured prefix (bin/../share). */
			static const char *const rel[] = { "../forms",
			    "../share/" PACKAGE "/forms" };
			size_t i;

			*slash = '\0';
			for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				char *probe;
				int found;

				cand = xasprintf("%s/%s", exe, rel[i]);
				probe = xasprintf("%s/org.form", cand);
				found = access(probe, R_OK) == 0;
				free(probe);
				if (found)
					return cand;
				free(cand);
			}
		}
	}
	return xstrdup(CXZY_FORMSDIR);
}

/* Loads the forms: the data directory's own copy when it has one, so
 * that every cxzy shows a directory the same forms; the program's for a
 * directory without a copy and for the commands that make a new one. */
static int
cli_load_forms(struct cli *c, const struct cli_command *cmd)
{
	char *err = NULL, *own = NULL;

	c->program_forms = cli_forms_dir();
	if (cmd == NULL || (strcmp(cmd->name, "init") != 0 &&
	    strcmp(cmd->name, "demo") != 0))
		own = formcopy_dir(c->datadir);
	c->forms_dir = own != NULL ? own : xstrdup(c->program_forms);
	if (formset_load_dir(c->forms_dir, &c->fs, &err) != CX_OK ||
	    sheet_check_set(c->fs, &err) != CX_OK) {
		cli_error("无法读取表单定义（%s）：%s", c->forms_dir, err);
		free(err);
		return CX_ERR;
	}
	return CX_OK;
}

/* A directory made before data directories kept their forms gets the
 * program's forms at its first writable open; when that cannot be
 * written (a full or protected stick) the program's forms simply go on
 * serving, so nothing is said either way. */
static void
cli_keep_forms(struct cli *c)
{
	char *err = NULL;

	if (c->st == NULL || store_readonly(c->st))
		return;
	(void)formcopy_ensure(c->datadir, c->program_forms, &err);
	free(err);
}

static int
cli_data_exists(struct cli *c)
{
	struct stat sb;

	if (stat(c->datadir, &sb) != 0) {
		cli_error("数据目录“%s”不存在。请用 --data 指定数据目录，或设置环境变量"
		    " CXZY_DATA；新建用“cxzy init 目录 单位名称”，想先试用，可以运行"
		    "“cxzy demo 目录名”创建演示数据。",
		    c->datadir);
		return CX_ERR;
	}
	return CX_OK;
}

static int
cli_open_store(struct cli *c)
{
	char *err = NULL;

	if (cli_data_exists(c) != CX_OK)
		return CX_ERR;
	if (store_open(c->datadir, c->fs, 0, NULL, &c->st, &err) != CX_OK) {
		cli_fail(err);
		return CX_ERR;
	}
	cli_keep_forms(c);
	return CX_OK;
}

/* The ledger over the open store, set up on first use (it reads the
 * settings). */
static struct ledger *
cli_ledger(struct cli *c)
{
	if (!c->lg_ready) {
		ledger_init(&c->lg, c->st, c->fs);
		c->lg_ready = true;
	}
	return &c->lg;
}

/* Finds a record kind by its id (member) or its Chinese name (党员). */
static const struct form *
cli_kind(struct cli *c, const char *name)
{
	struct buf b;
	size_t i;

	for (i = 0; i < c->fs->n; i++)
		if (strcmp(c->fs->forms[i]->kind, name) == 0 ||
		    strcmp(c->fs->forms[i]->label, name) == 0)
			return c->fs->forms[i];
	/* "党支部公开承诺书（附件一）" may be typed as either part. */
	for (i = 0; i < c->fs->n; i++) {
		const char *l = c->fs->forms[i]->label, *paren = strstr(l, "（");
		size_t n = strlen(name);

		if (paren == NULL || n == 0)
			continue;
		if (((size_t)(paren - l) == n && strncmp(l, name, n) == 0) ||
		    (strncmp(paren + strlen("（"), name, n) == 0 &&
		    strcmp(paren + strlen("（") + n, "）") == 0))
			return c->fs->forms[i];
	}
	buf_init(&b);
	for (i = 0; i < c->fs->n; i++)
		buf_addf(&b, "%s%s（%s）", i ? "、" : "",
		    c->fs->forms[i]->label, c->fs->forms[i]->kind);
	cli_error("没有“%s”这种记录。可用的有：%s。", name, b.s ? b.s : "");
	buf_free(&b);
	return NULL;
}

static const struct form_field *
cli_field(const struct form_field *fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].id, name) == 0 ||
		    strcmp(fields[i].label, name) == 0)
			return &fields[i];
	return NULL;
}

static char *
cli_field_names(const struct form_field *fields, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s（%s）", i ? "、" : "", fields[i].label,
		    fields[i].id);
	return buf_take(&b);
}

static bool
cli_where_ok(const struct form_field *f, const struct record *target)
{
	const char *v;
	size_t i;

	if (f->where_field == NULL)
		return true;
	v = record_get(target, f->where_field);
	for (i = 0; v != NULL && i < f->nwhere; i++)
		if (strcmp(v, f->where_values[i]) == 0)
			return true;
	return false;
}

/* A reference may be typed as a record number or as the title of the
 * record it points to ("办公室党支部"); the program knows the rest. */
static int
cli_resolve_ref(struct cli *c, const struct form_field *f, const char *input,
    char **out, char **errp)
{
	const struct form *tf = formset_find(c->fs, f->ref_kind);
	const struct form_field *tt;
	uint64_t *ids = NULL, chosen = 0;
	size_t n = 0, i, nok = 0;
	char *trimmed;
	int rc;

	if (form_input_value(f, input, out, NULL) == CX_OK)
		return CX_OK;
	trimmed = text_trim(input);
	tt = tf && tf->title ? form_field_find(tf, tf->title) : NULL;
	if (tt == NULL) {
		free(trimmed);
		return form_input_value(f, input, out, errp);
	}
	rc = store_find(c->st, tf, tt->id, trimmed, &ids, &n, errp);
	if (rc == CX_ERR) {
		free(trimmed);
		return CX_ERR;
	}
	for (i = 0; i < n; i++) {
		struct record *r = NULL;

		if (store_get(c->st, tf, ids[i], &r, NULL) == CX_OK &&
		    cli_where_ok(f, r)) {
			chosen = ids[i];
			nok++;
		}
		record_free(r);
	}
	if (nok == 1) {
		*out = xasprintf("%llu", (unsigned long long)chosen);
		rc = CX_OK;
	} else if (nok == 0) {
		rc = err_set(errp, "%s：找不到%s“%s”。请填写名称或编号。",
		    f->label, tf->label, trimmed);
	} else {
		struct buf b;

		buf_init(&b);
		for (i = 0; i < n; i++)
			buf_addf(&b, "%s%llu", i ? "、" : "",
			    (unsigned long long)ids[i]);
		rc = err_set(errp, "%s：有 %zu 个%s叫“%s”（编号 %s），请改用编号。",
		    f->label, nok, tf->label, trimmed, b.s);
		buf_free(&b);
	}
	free(ids);
	free(trimmed);
	return rc;
}

static int
cli_input(struct cli *c, const struct form_field *f, const char *value,
    char **out, char **errp)
{
	if (f->type == FT_REF && c->st != NULL)
		return cli_resolve_ref(c, f, value, out, errp);
	return form_input_value(f, value, out, errp);
}

/* Applies one FIELD=VALUE (or ROWS.N.FIELD=VALUE) argument to r.  Field
 * names may be ids or Chinese labels; row numbers start at 1. */
static int
cli_assign(struct cli *c, const struct form *f, struct record *r,
    const char *arg, char **errp)
{
	const char *eq = strchr(arg, '=');
	char *name, *dot, *val = NULL;
	const struct form_field *ff;
	int rc = CX_ERR;

	if (eq == NULL || eq == arg)
		return err_set(errp, "“%s”的写法不对，应写成 字段=值，例如 姓名=张三。",
		    arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	dot = strchr(name, '.');
	if (dot != NULL)
		*dot++ = '\0';
	ff = cli_field(f->fields, f->nfields, name);
	if (ff == NULL) {
		char *names = cli_field_names(f->fields, f->nfields);

		err_set(errp, "%s没有“%s”这个字段。可用的字段：%s。", f->label,
		    name, names);
		free(names);
		goto out;
	}
	if (ff->type == FT_ROWS) {
		const struct form_field *sf;
		char *num = dot, *sub = dot ? strchr(dot, '.') : NULL;
		uint64_t rowno;
		struct record *row;

		if (sub != NULL)
			*sub++ = '\0';
		if (num == NULL || sub == NULL || !util_parse_id(num, &rowno)) {
			err_set(errp, "%s是多行表格，应写成 %s.行号.字段=值，例如 %s.1.%s=…。",
			    ff->label, ff->id, ff->id,
			    ff->nsub ? ff->sub[0].id : "x");
			goto out;
		}
		sf = cli_field(ff->sub, ff->nsub, sub);
		if (sf == NULL) {
			char *names = cli_field_names(ff->sub, ff->nsub);

			err_set(errp, "%s没有“%s”这一列。可用的列：%s。", ff->label,
			    sub, names);
			free(names);
			goto out;
		}
		if (rowno > record_nrows(r, ff->id) + 1) {
			err_set(errp, "%s：第 %llu 行前面还缺行，请从第 %zu 行填起。",
			    ff->label, (unsigned long long)rowno,
			    record_nrows(r, ff->id) + 1);
			goto out;
		}
		if (cli_input(c, sf, eq + 1, &val, errp) != CX_OK) {
			err_prefix(errp, "%s第%llu行：", ff->label,
			    (unsigned long long)rowno);
			goto out;
		}
		if (rowno > record_nrows(r, ff->id)) {
			size_t k;

			/* A new row starts with its columns' defaults, as
			 * on the entry screen. */
			row = record_add_row(r, ff->id);
			for (k = 0; k < ff->nsub; k++)
				if (ff->sub[k].def != NULL &&
				    !form_field_derived(&ff->sub[k]) &&
				    strcmp(ff->sub[k].def, "today") != 0)
					record_set(row, ff->sub[k].id,
					    ff->sub[k].def);
		} else
			row = record_row(r, ff->id, (size_t)rowno - 1);
		record_set_take(row, sf->id, *val ? val : NULL);
		if (*val == '\0')
			free(val);
		val = NULL;
		rc = CX_OK;
		goto out;
	}
	if (dot != NULL) {
		err_set(errp, "%s不是多行表格，请写成 %s=值。", ff->label, ff->id);
		goto out;
	}
	if (cli_input(c, ff, eq + 1, &val, errp) != CX_OK)
		goto out;
	if (*val == '\0') {
		record_remove(r, ff->id);
		free(val);
	} else
		record_set_take(r, ff->id, val);
	val = NULL;
	rc = CX_OK;
out:
	free(name);
	return rc;
}

/* Applies every assignment, then validates and saves the whole record
 * through the ledger (stored rows, auto fields, the period lock, history).
 * Prints all problems at once; returns CX_OK only when the record was
 * stored, and then nothing else is left to do. */
static int
cli_fill(struct cli *c, const struct form *f, struct record *r, int argc,
    char **argv, const char *what)
{
	struct strlist problems;
	char *err = NULL;
	size_t i;
	int k;

	strlist_init(&problems);
	for (k = 0; k < argc; k++) {
		if (cli_assign(c, f, r, argv[k], &err) != CX_OK)
			strlist_take(&problems, err);
		err = NULL;
	}
	if (problems.n == 0 &&
	    ledger_save(cli_ledger(c), f, r, &problems, &err) == CX_OK) {
		strlist_free(&problems);
		return CX_OK;
	}
	if (problems.n == 0) {
		/* Refused as a whole: a locked period, a unique value, a
		 * read-only directory. */
		strlist_free(&problems);
		cli_fail(err);
		return CX_ERR;
	}
	free(err);
	cli_error("%s，共 %zu 处问题，没有保存：", what, problems.n);
	for (i = 0; i < problems.n; i++)
		cli_write(stderr, "  %s\n", problems.v[i]);
	strlist_free(&problems);
	return CX_ERR;
}

/* How a record is named in messages: its title field as a person reads
 * it (a reference shows the record it names), escaped for the terminal
 * on one line since callers pad it. */
static char *
cli_title(struct cli *c, const struct form *f, const struct record *r)
{
	const struct form_field *tf = f->title ? form_field_find(f, f->title) :
	    NULL;
	const char *t = tf ? record_get(r, tf->id) : NULL;
	char *d;

	if (t == NULL || *t == '\0')
		return xstrdup("");
	d = form_value_display(c->fs, tf, t, cli_lookup_cached, c);
	return cli_safe(&d, false);
}

static int
cli_parse_id(const char *s, uint64_t *id)
{
	char *h = text_to_halfwidth(s);
	bool ok = util_parse_id(h, id);

	free(h);
	if (!ok)
		cli_error("“%s”不是有效的编号。编号是正整数，可用“cxzy list”查看。", s);
	return ok ? CX_OK : CX_ERR;
}

static int
cli_get(struct cli *c, const struct form *f, uint64_t id, struct record **r)
{
	char *err = NULL;
	int rc = ledger_get(cli_ledger(c), f, id, r, &err);

	if (rc == CX_NOTFOUND) {
		cli_error("没有编号为 %llu 的%s记录。", (unsigned long long)id,
		    f->label);
		return CX_ERR;
	}
	if (rc != CX_OK) {
		cli_fail(err);
		return CX_ERR;
	}
	return CX_OK;
}

/* ---------------------------------------------------------------- list */

struct cli_list {
	struct cli		 *c;
	const struct form_field	**cols;
	size_t			  ncols;
	int			  idwidth;
	const struct form_field	 *filter;
	const char		 *filter_value;
	size_t			  shown;
	bool			  full;	/* computed columns read stored rows */
};

static void
cli_list_cell(const char *s, int width, enum text_align align, bool last,
    struct buf *line)
{
	char *p = text_pad(s, (size_t)width, align, TEXT_SCREEN);

	buf_addstr(line, p);
	free(p);
	if (!last)
		buf_addstr(line, "  ");
}

static void
cli_list_emit(struct buf *line)
{
	while (line->len > 0 && line->s[line->len - 1] == ' ')
		line->s[--line->len] = '\0';
	cli_print("%s\n", line->s);
	buf_reset(line);
}

static int
cli_list_row(void *arg, const struct form *f, const struct record *r)
{
	struct cli_list *l = arg;
	struct record *full = NULL;
	struct buf line;
	char idbuf[24];
	size_t i;

	if (l->filter != NULL) {
		const char *v = record_get(r, l->filter->id);

		if (v == NULL || strcmp(v, l->filter_value) != 0)
			return 0;
	}
	/* Computed columns see the record as show does, with its stored
	 * rows loaded (e.g. the number of 承诺事项). */
	if (l->full && ledger_get(cli_ledger(l->c), f, r->id, &full,
	    NULL) == CX_OK)
		r = full;
	buf_init(&line);
	snprintf(idbuf, sizeof idbuf, "%llu", (unsigned long long)r->id);
	cli_list_cell(idbuf, l->idwidth, TEXT_RIGHT, l->ncols == 0, &line);
	for (i = 0; i < l->ncols; i++) {
		const char *v = record_get(r, l->cols[i]->id);
		char *d = l->cols[i]->compute != NULL ?
		    form_compute(l->cols[i], f, r, NULL,
		    &cli_ledger(l->c)->ctx) :
		    form_value_display(l->c->fs, l->cols[i], v ? v : "",
		    cli_lookup_cached, l->c);

		cli_list_cell(cli_safe(&d, false), l->cols[i]->list_width,
		    l->cols[i]->type == FT_INT ? TEXT_RIGHT : TEXT_LEFT,
		    i + 1 == l->ncols, &line);
		free(d);
	}
	cli_list_emit(&line);
	buf_free(&line);
	record_free(full);
	l->shown++;
	return 0;
}

static int
cli_cmd_list(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct cli_list l;
	struct buf line;
	char *err = NULL, *val = NULL;
	size_t i, total = 0;
	int rc;

	if (f == NULL)
		return EXIT_FAIL;
	memset(&l, 0, sizeof l);
	l.c = c;
	l.cols = xcalloc(f->nfields, sizeof *l.cols);
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].list_width > 0 && f->fields[i].type != FT_ROWS)
			l.cols[l.ncols++] = &f->fields[i];
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_ROWS &&
		    f->fields[i].store_kind != NULL)
			l.full = true;
	if (l.full) {
		l.full = false;
		for (i = 0; i < l.ncols; i++)
			if (l.cols[i]->compute != NULL)
				l.full = true;
	}
	if (argc > 1) {
		const char *eq = strchr(argv[1], '=');
		char *name = eq ? xstrndup(argv[1], (size_t)(eq - argv[1])) : NULL;

		l.filter = name ? cli_field(f->fields, f->nfields, name) : NULL;
		if (l.filter == NULL || l.filter->type == FT_ROWS) {
			cli_error("筛选条件“%s”不对，应写成 字段=值，例如 所属党支部=办公室党支部。",
			    argv[1]);
			free(name);
			free(l.cols);
			return EXIT_USAGE;
		}
		free(name);
		if (cli_input(c, l.filter, eq + 1, &val, &err) != CX_OK) {
			free(l.cols);
			return cli_fail(err);
		}
		l.filter_value = val;
	}
	if (store_count(c->st, f, &total, &err) != CX_OK) {
		free(l.cols);
		free(val);
		return cli_fail(err);
	}
	l.idwidth = 4;
	buf_init(&line);
	cli_list_cell("编号", l.idwidth, TEXT_RIGHT, l.ncols == 0, &line);
	for (i = 0; i < l.ncols; i++)
		cli_list_cell(l.cols[i]->label, l.cols[i]->list_width,
		    l.cols[i]->type == FT_INT ? TEXT_RIGHT : TEXT_LEFT,
		    i + 1 == l.ncols, &line);
	cli_list_emit(&line);
	buf_free(&line);
	rc = store_foreach(c->st, f, cli_list_row, &l, &err);
	if (rc != CX_OK) {
		free(l.cols);
		free(val);
		return cli_fail(err);
	}
	if (l.filter != NULL)
		cli_print("共 %zu 条（全部 %zu 条）\n", l.shown, total);
	else
		cli_print("共 %zu 条\n", l.shown);
	free(l.cols);
	free(val);
	return cli_lookup_status(c, EXIT_OK);
}

/* ---------------------------------------------------------------- show */

static int
cli_label_width(const struct form_field *fields, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (text_width(fields[i].label, TEXT_SCREEN) > w)
			w = text_width(fields[i].label, TEXT_SCREEN);
	return (int)w;
}

/* Shows fields of r (a record of f, or a row of parent).  Computed
 * fields are shown as the entry screen shows them. */
static void
cli_show_fields(struct cli *c, const struct form *f,
    const struct form_field *fields, size_t n, const struct record *r,
    const struct record *parent, const char *indent)
{
	int lw = cli_label_width(fields, n);
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct form_field *ff = &fields[i];
		char *colon = xasprintf("%s：", ff->label);
		char *label = text_pad(colon, (size_t)lw + 2, TEXT_LEFT,
		    TEXT_SCREEN);

		if (ff->type == FT_ROWS) {
			size_t nr = record_nrows(r, ff->id);
			const struct form *sf = ff->store_form;

			if (ff->store_kind != NULL && sf == NULL)
				sf = formset_find(c->fs, ff->store_kind);
			cli_print("%s%s%s\n", indent, nr ? colon : label,
			    nr ? "" : "（无）");
			for (j = 0; j < nr; j++) {
				const struct record *row = record_row(r, ff->id, j);
				const char *rid = record_get(row, "_id");
				char *sub = xasprintf("%s    ", indent);

				/* A stored row is a record of its own kind. */
				if (sf != NULL && rid != NULL)
					cli_print("%s  第%zu行：%s 编号 %s\n", indent,
					    j + 1, sf->label, rid);
				else
					cli_print("%s  第%zu行\n", indent, j + 1);
				cli_show_fields(c, f, ff->sub, ff->nsub, row, r, sub);
				free(sub);
			}
		} else {
			const char *v = record_get(r, ff->id);
			char *d = ff->compute != NULL ?
			    form_compute(ff, f, r, parent, &cli_ledger(c)->ctx) :
			    form_value_display(c->fs, ff, v ? v : "", cli_lookup, c);
			char **lines = text_wrap(cli_safe(&d, true), 1000,
			    TEXT_SCREEN, NULL);
			char *pad = xasprintf("%s%*s", indent, lw + 2, "");

			/* Long text keeps its own line breaks, indented. */
			cli_print("%s%s%s\n", indent, lines[0][0] ? label :
			    ff->label, lines[0][0] ? lines[0] : "：");
			for (j = 1; lines[j] != NULL; j++)
				cli_print("%s%s\n", pad, lines[j]);
			text_lines_free(lines);
			free(pad);
			free(d);
		}
		free(label);
		free(colon);
	}
}

static void
cli_show_times(const struct record *r)
{
	const char *created = record_get(r, "_created");
	const char *modified = record_get(r, "_modified");

	if (created != NULL)
		cli_print("  （%s 创建", created);
	if (modified != NULL)
		cli_print("%s%s 修改", created ? "，" : "  （", modified);
	if (created != NULL || modified != NULL)
		cli_print("）\n");
}

/* One old version of a record, found by store_history. */
struct cli_version {
	unsigned	 want;
	unsigned	 count;
	struct record	*rec;
};

static int
cli_version_find(void *arg, unsigned version, const struct record *rec)
{
	struct cli_version *v = arg;

	v->count++;
	if (version == v->want && v->rec == NULL)
		v->rec = record_copy(rec);
	return 0;
}

static int
cli_cmd_show(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct record *r = NULL;
	uint64_t id, ver = 0;

	if (argc == 3 || (argc == 4 && strcmp(argv[2], "--version") != 0)) {
		cli_error("命令 show 的参数不对。用法：cxzy show 种类 编号 "
		    "[--version 版本号]");
		return EXIT_USAGE;
	}
	if (argc == 4) {
		char *h = text_to_halfwidth(argv[3]);
		bool ok = util_parse_id(h, &ver) && ver <= UINT_MAX;

		free(h);
		if (!ok) {
			cli_error("“%s”不是有效的版本号。版本号是正整数，可用“cxzy history"
			    " %s %s”查看。", argv[3], argv[0], argv[1]);
			return EXIT_USAGE;
		}
	}
	if (f == NULL || cli_parse_id(argv[1], &id) != CX_OK)
		return EXIT_FAIL;
	if (cli_get(c, f, id, &r) != CX_OK)
		return EXIT_FAIL;
	if (ver > 0) {
		struct cli_version v;
		char *err = NULL;

		memset(&v, 0, sizeof v);
		v.want = (unsigned)ver;
		if (store_history(c->st, f, id, cli_version_find, &v,
		    &err) != CX_OK) {
			record_free(r);
			return cli_fail(err);
		}
		if (v.rec == NULL) {
			cli_error("%s（编号 %llu）没有第 %llu 版。%s", f->label,
			    (unsigned long long)id, (unsigned long long)ver,
			    v.count ? "用“cxzy history”查看有哪些版本。" :
			    "这条记录没有保留过旧版本。");
			record_free(r);
			return EXIT_FAIL;
		}
		record_free(r);
		r = v.rec;
		cli_print("%s 编号 %llu 第 %llu 版（共 %u 个旧版本；这是后来被修改"
		    "之前的内容）\n", f->label, (unsigned long long)id,
		    (unsigned long long)ver, v.count);
	} else
		cli_print("%s 编号 %llu\n", f->label, (unsigned long long)id);
	cli_show_fields(c, f, f->fields, f->nfields, r, NULL, "  ");
	cli_show_times(r);
	record_free(r);
	return cli_lookup_status(c, EXIT_OK);
}

/* ------------------------------------------------------------- history */

struct cli_hist_list {
	struct cli	*c;
	unsigned	 n;
};

static int
cli_hist_row(void *arg, unsigned version, const struct record *rec)
{
	struct cli_hist_list *h = arg;
	const char *m = record_get(rec, "_modified");

	cli_print("  第 %u 版  %s 保存\n", version, m ? m : "（时间不详）");
	h->n++;
	return 0;
}

/* The old versions kept of a signed record. */
static int
cli_cmd_history(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct cli_hist_list h;
	struct record *r = NULL;
	char *err = NULL, *title;
	const char *m;
	uint64_t id;

	(void)argc;
	if (f == NULL || cli_parse_id(argv[1], &id) != CX_OK)
		return EXIT_FAIL;
	if (cli_get(c, f, id, &r) != CX_OK)
		return EXIT_FAIL;
	title = cli_title(c, f, r);
	cli_print("%s“%s”（编号 %llu）的修改记录：\n", f->label, title,
	    (unsigned long long)id);
	free(title);
	memset(&h, 0, sizeof h);
	h.c = c;
	if (store_history(c->st, f, id, cli_hist_row, &h, &err) != CX_OK) {
		record_free(r);
		return cli_fail(err);
	}
	m = record_get(r, "_modified");
	cli_print("  当前版本  %s 保存\n", m ? m : "（时间不详）");
	if (h.n == 0)
		cli_print("没有保留旧版本。%s\n", f->sign_field != NULL ?
		    "签署以后的每次修改都会保留修改前的版本。" :
		    "这种记录不保留旧版本。");
	else
		cli_print("共 %u 个旧版本。查看某一版：cxzy show %s %llu --version 版本号\n",
		    h.n, f->kind, (unsigned long long)id);
	record_free(r);
	return EXIT_OK;
}

/* ------------------------------------------------------- add, set, ... */

/* Says what was stored, and where the rows stored as records went. */
static void
cli_report_saved(struct cli *c, const struct form *f, const struct record *r,
    const char *verb)
{
	char *title = cli_title(c, f, r);
	size_t i, j;

	cli_print("已%s%s“%s”（编号 %llu）。\n", verb, f->label, title,
	    (unsigned long long)r->id);
	free(title);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		const struct form *sf = ff->store_form;
		size_t nr = record_nrows(r, ff->id);
		struct buf ids;

		if (ff->type != FT_ROWS || ff->store_kind == NULL || nr == 0)
			continue;
		if (sf == NULL)
			sf = formset_find(c->fs, ff->store_kind);
		buf_init(&ids);
		for (j = 0; j < nr; j++) {
			const char *rid = record_get(record_row(r, ff->id, j),
			    "_id");

			buf_addf(&ids, "%s%s", j ? "、" : "", rid ? rid : "?");
		}
		cli_print("%s %zu 行，即%s编号 %s。\n", ff->label, nr,
		    sf ? sf->label : ff->store_kind, ids.s);
		buf_free(&ids);
	}
}

static int
cli_cmd_add(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct record *r;
	struct date today;
	int rc;

	if (f == NULL)
		return EXIT_FAIL;
	r = record_new();
	model_today(&today);
	form_apply_defaults(f, r, &today);
	ledger_default_periods(cli_ledger(c), f, r);
	if (cli_fill(c, f, r, argc - 1, argv + 1, "无法添加") != CX_OK)
		rc = EXIT_FAIL;
	else {
		cli_report_saved(c, f, r, "添加");
		rc = EXIT_OK;
	}
	record_free(r);
	return rc;
}

static int
cli_cmd_set(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct record *r = NULL;
	uint64_t id;
	int rc;

	if (f == NULL || cli_parse_id(argv[1], &id) != CX_OK)
		return EXIT_FAIL;
	if (cli_get(c, f, id, &r) != CX_OK)
		return EXIT_FAIL;
	if (cli_fill(c, f, r, argc - 2, argv + 2, "无法修改") != CX_OK)
		rc = EXIT_FAIL;
	else {
		cli_report_saved(c, f, r, "修改");
		rc = EXIT_OK;
	}
	record_free(r);
	return rc;
}

static int
cli_cmd_delete(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct record *r = NULL;
	char *err = NULL, *title;
	uint64_t id;

	(void)argc;
	if (f == NULL || cli_parse_id(argv[1], &id) != CX_OK)
		return EXIT_FAIL;
	if (cli_get(c, f, id, &r) != CX_OK)
		return EXIT_FAIL;
	if (ledger_delete(cli_ledger(c), f, id, &err) != CX_OK) {
		record_free(r);
		return cli_fail(err);
	}
	title = cli_title(c, f, r);
	cli_print("已把%s“%s”（编号 %llu）移入回收站。需要时可用“cxzy restore %s %llu”恢复。\n",
	    f->label, title, (unsigned long long)id, f->kind,
	    (unsigned long long)id);
	free(title);
	record_free(r);
	return EXIT_OK;
}

/* A record deleted with its stored rows comes back with them (see
 * ledger_restore). */
static int
cli_cmd_restore(struct cli *c, int argc, char **argv)
{
	const struct form *f = cli_kind(c, argv[0]);
	struct record *r = NULL;
	char *err = NULL, *title;
	size_t i, back = 0;
	uint64_t id;

	(void)argc;
	if (f == NULL || cli_parse_id(argv[1], &id) != CX_OK)
		return EXIT_FAIL;
	if (ledger_restore(cli_ledger(c), f, id, &err) != CX_OK)
		return cli_fail(err);
	if (cli_get(c, f, id, &r) != CX_OK)
		return EXIT_FAIL;
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_ROWS &&
		    f->fields[i].store_kind != NULL)
			back += record_nrows(r, f->fields[i].id);
	title = cli_title(c, f, r);
	cli_print("已从回收站恢复%s“%s”（编号 %llu）", f->label,
	    title, (unsigned long long)id);
	if (back > 0)
		cli_print("和它的 %zu 行记录", back);
	cli_print("。\n");
	free(title);
	record_free(r);
	return EXIT_OK;
}

struct cli_trash {
	struct cli	*c;
	size_t		 n;
};

static int
cli_trash_row(void *arg, const struct form *f, const struct record *r)
{
	struct cli_trash *t = arg;
	const char *when = record_get(r, "_deleted");
	char *kind = text_pad(f->label, 8, TEXT_LEFT, TEXT_SCREEN);
	char *name = cli_title(t->c, f, r);
	char *title = text_pad(name, 24, TEXT_LEFT, TEXT_SCREEN);

	cli_print("%s  %4llu  %s  %s\n", kind, (unsigned long long)r->id,
	    title, when ? when : "");
	free(kind);
	free(name);
	free(title);
	t->n++;
	return 0;
}

static int
cli_cmd_trash(struct cli *c, int argc, char **argv)
{
	struct cli_trash t;
	char *err = NULL;

	(void)argc;
	(void)argv;
	t.c = c;
	t.n = 0;
	cli_print("种类      编号  名称                      删除时间\n");
	if (store_trash_foreach(c->st, cli_trash_row, &t, &err) != CX_OK)
		return cli_fail(err);
	cli_print("回收站共 %zu 条\n", t.n);
	return EXIT_OK;
}

/* The check reads the data in a child process (check.h), and this one
 * never opens it: damage that crashes LMDB cannot crash the command. */
static int
cli_cmd_check(struct cli *c, int argc, char **argv)
{
	struct check_result res;
	struct buf counts;
	char *err;
	size_t i;

	(void)argc;
	(void)argv;
	if (cli_data_exists(c) != CX_OK)
		return EXIT_FAIL;
	check_run(c->datadir, c->fs, CHECK_TIMEOUT_MS, &res);
	if (res.verdict == CHECK_FAILED) {
		err = res.error;
		res.error = NULL;
		check_result_free(&res);
		return cli_fail(err);
	}
	if (res.verdict == CHECK_DAMAGED) {
		cli_print("检查发现 %zu 处问题：\n", res.damage.n);
		for (i = 0; i < res.damage.n; i++)
			cli_print("  %s\n", res.damage.v[i]);
		cli_print("数据已损坏。请不要继续修改，先把整个数据目录复制保存，再从备份恢复。\n");
		check_result_free(&res);
		return EXIT_DAMAGE;
	}
	buf_init(&counts);
	for (i = 0; i < c->fs->n; i++) {
		buf_addf(&counts, "%s%s %zu 条", i ? "、" : "",
		    c->fs->forms[i]->label, res.counts != NULL &&
		    i < res.ncounts ? res.counts[i] : 0);
	}
	check_result_free(&res);
	cli_print("检查完毕：%s，校验和与索引全部正确，未发现问题。\n", counts.s);
	buf_free(&counts);
	return EXIT_OK;
}

/* The widest kind id and label of the forms, in screen columns, so that
 * listings of kinds never cut one off. */
static void
cli_kind_widths(const struct formset *fs, size_t *kindw, size_t *labelw)
{
	size_t i, w;

	*kindw = *labelw = 0;
	for (i = 0; i < fs->n; i++) {
		w = text_width(fs->forms[i]->kind, TEXT_SCREEN);
		if (w > *kindw)
			*kindw = w;
		w = text_width(fs->forms[i]->label, TEXT_SCREEN);
		if (w > *labelw)
			*labelw = w;
	}
}

static int
cli_cmd_kinds(struct cli *c, int argc, char **argv)
{
	size_t i, kindw, labelw;

	(void)argc;
	(void)argv;
	cli_kind_widths(c->fs, &kindw, &labelw);
	for (i = 0; i < c->fs->n; i++) {
		char *label = text_pad(c->fs->forms[i]->label, labelw,
		    TEXT_LEFT, TEXT_SCREEN);
		char *kind = text_pad(c->fs->forms[i]->kind, kindw, TEXT_LEFT,
		    TEXT_SCREEN);

		cli_print("%s  %s  %zu 个字段\n", kind, label,
		    c->fs->forms[i]->nfields);
		free(label);
		free(kind);
	}
	return EXIT_OK;
}

/* init and demo make new directories; they never add to existing data. */
static bool
cli_dir_in_use(const char *dir)
{
	char *marker = xasprintf("%s/%s", dir, STORE_MARKER);
	bool used = access(marker, F_OK) == 0;

	free(marker);
	if (used)
		cli_error("“%s”已经是一个 cxzy 数据目录，不能在其中再新建。请换一个目录名。",
		    dir);
	return used;
}

static int
cli_cmd_demo(struct cli *c, int argc, char **argv)
{
	char *err = NULL;

	(void)argc;
	if (cli_dir_in_use(argv[0]))
		return EXIT_FAIL;
	if (demo_create(argv[0], c->fs, &err) != CX_OK ||
	    formcopy_snapshot(argv[0], c->forms_dir, &err) != CX_OK)
		return cli_fail(err);
	cli_print("已在“%s”创建演示数据。查看：cxzy --data %s list member\n",
	    argv[0], argv[0]);
	return EXIT_OK;
}

/* Whether dir exists and is an empty directory. */
static bool
cli_dir_empty(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool empty = d != NULL;

	if (d == NULL)
		return false;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

/* init DIR --from PACKAGE: a branch directory made from the package the
 * 机关党委 prepared for it. */
static int
cli_init_from(struct cli *c, const char *dir, const char *file)
{
	struct archive_report rep;
	struct archive *a = NULL;
	char *err = NULL, *name;
	int rc = EXIT_FAIL, fr;

	memset(&rep, 0, sizeof rep);
	if (archive_read_file(file, &a, &err) != CX_OK) {
		cli_error("无法读取报送包，没有建立数据目录：%s", err);
		free(err);
		return EXIT_FAIL;
	}
	if (a->scope == NULL || strcmp(a->scope, "committee") != 0) {
		cli_error("“%s”不是机关党委发给党支部的报送包，不能用来建立党支部的"
		    "数据目录（机关党委用“cxzy package --branch 党支部 -o 文件”"
		    "制作）。", file);
		archive_free(a);
		return EXIT_FAIL;
	}
	if (cli_dir_in_use(dir) || (access(dir, F_OK) == 0 &&
	    !cli_dir_empty(dir))) {
		cli_error("“%s”已经存在且不是空目录，没有改动它。请换一个目录名。",
		    dir);
		archive_free(a);
		return EXIT_FAIL;
	}
	name = text_safe(a->branch_name, false);
	/* The branch works under the 机关党委's forms, which the package
	 * carries (the program's when it carries none). */
	if (store_open(dir, c->fs, STORE_CREATE, NULL, &c->st, &err) != CX_OK) {
		cli_error("没有建成党支部的数据目录：%s", err);
		free(err);
		goto out;
	}
	fr = formcopy_from_archive(dir, a, &err);
	if (fr == CX_NOTFOUND)
		fr = formcopy_snapshot(dir, c->forms_dir, &err);
	if (fr == CX_OK) {
		char *own = formcopy_dir(dir);
		struct formset *pfs = NULL;

		if (own == NULL || formset_load_dir(own, &pfs, &err) != CX_OK ||
		    sheet_check_set(pfs, &err) != CX_OK)
			fr = CX_ERR;
		free(own);
		if (fr == CX_OK) {
			store_close(c->st);
			c->st = NULL;
			formset_free(c->fs);
			c->fs = pfs;
			if (store_open(dir, c->fs, 0, NULL, &c->st, &err) != CX_OK)
				fr = CX_ERR;
		} else
			formset_free(pfs);
	}
	if (fr != CX_OK) {
		cli_error("没有建成党支部的数据目录（报送包里的表单无法使用）：%s",
		    err);
		free(err);
		goto out;
	}
	if (store_meta_set(c->st, "scope", "branch", &err) != CX_OK ||
	    store_meta_set(c->st, "branch", a->branch, &err) != CX_OK ||
	    (*a->unit != '\0' && store_meta_set(c->st, "unit", a->unit,
	    &err) != CX_OK) ||
	    (a->current_period != NULL && store_meta_set(c->st, "period",
	    a->current_period, &err) != CX_OK) ||
	    archive_import(c->st, c->fs, a, false, &rep, &err) != CX_OK) {
		cli_error("没有建成党支部的数据目录：%s", err);
		free(err);
		goto out;
	}
	if (rep.count[ARCHIVE_REJECTED] + rep.count[ARCHIVE_CONFLICT] +
	    rep.count[ARCHIVE_UNKNOWN] > 0) {
		char *text = archive_report_summary(&rep);

		cli_print("%s", text);
		free(text);
	}
	cli_print("已按报送包建立党支部“%s”的数据目录“%s”，共 %zu 条记录。\n"
	    "以后机关党委再发来的报送包用“cxzy --data %s import 文件”接收。\n",
	    name, dir, rep.count[ARCHIVE_ADDED], dir);
	rc = EXIT_OK;
out:
	free(name);
	archive_report_free(&rep);
	archive_free(a);
	return rc;
}

static int
cli_cmd_init(struct cli *c, int argc, char **argv)
{
	const struct form *forg = formset_find(c->fs, "org");
	struct record *r;
	char *err = NULL;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--from") == 0)
		return cli_init_from(c, argv[0], argv[2]);
	if (argc != 2 || argv[1][0] == '-') {
		cli_error("用法：cxzy init 目录 单位名称，或 cxzy init 目录 --from "
		    "报送包。");
		return EXIT_USAGE;
	}
	if (forg == NULL)
		return cli_fail(xstrdup("表单定义中缺少党组织（org）。"));
	if (cli_dir_in_use(argv[0]))
		return EXIT_FAIL;
	if (store_open(argv[0], c->fs, STORE_CREATE, NULL, &c->st, &err) != CX_OK)
		return cli_fail(err);
	/* The forms travel with the data from the first day. */
	if (formcopy_snapshot(argv[0], c->forms_dir, &err) != CX_OK)
		return cli_fail(err);
	r = record_new();
	record_set(r, "type", "committee");
	{
		char *assign = xasprintf("name=%s", argv[1]);

		rc = cli_fill(c, forg, r, 1, &assign, "无法创建");
		free(assign);
	}
	if (rc == CX_OK) {
		cli_report_saved(c, forg, r, "创建");
		rc = EXIT_OK;
	} else
		rc = EXIT_FAIL;
	record_free(r);
	if (rc == EXIT_OK)
		cli_print("数据目录“%s”已建好。\n", argv[0]);
	return rc;
}

/* ------------------------------------------------------------- forms */

/* Loads a form set as the program would use it; message on failure. */
static int
cli_forms_load(const char *dir, struct formset **fs, char **errp)
{
	*fs = NULL;
	if (formset_load_dir(dir, fs, errp) != CX_OK)
		return CX_ERR;
	if (sheet_check_set(*fs, errp) != CX_OK) {
		formset_free(*fs);
		*fs = NULL;
		return CX_ERR;
	}
	return CX_OK;
}

/* cxzy forms: the data directory's forms, and whether the program's
 * differ. */
static int
cli_forms_list(struct cli *c)
{
	struct formcopy_files mine, prog;
	struct formset *pfs = NULL;
	struct strlist changes;
	char *own = formcopy_dir(c->datadir), *err = NULL;
	size_t i, kindw, labelw;

	if (own != NULL)
		cli_print("本数据目录的表单（%s，%zu 种）：\n", own, c->fs->n);
	else
		cli_print("本数据目录还没有自己的表单副本（目录是只读的），现在用的是"
		    "程序自带的表单（%zu 种）：\n", c->fs->n);
	free(own);
	cli_kind_widths(c->fs, &kindw, &labelw);
	for (i = 0; i < c->fs->n; i++) {
		char *label = text_pad(c->fs->forms[i]->label, labelw,
		    TEXT_LEFT, TEXT_SCREEN);
		char *kind = text_pad(c->fs->forms[i]->kind, kindw, TEXT_LEFT,
		    TEXT_SCREEN);

		cli_print("  %s  %s  版本 %u\n", kind, label,
		    c->fs->forms[i]->version);
		free(label);
		free(kind);
	}
	if (strcmp(c->forms_dir, c->program_forms) == 0)
		return EXIT_OK;
	if (formcopy_read(c->forms_dir, &mine, &err) != CX_OK)
		return cli_fail(err);
	if (formcopy_read(c->program_forms, &prog, &err) != CX_OK) {
		formcopy_files_free(&mine);
		cli_print("程序自带的表单无法读取：%s\n", err);
		free(err);
		return EXIT_OK;
	}
	if (formcopy_files_equal(&mine, &prog))
		cli_print("程序自带的表单与此相同。\n");
	else if (cli_forms_load(c->program_forms, &pfs, &err) != CX_OK) {
		cli_print("程序自带的表单与此不同，但无法读取：%s\n", err);
		free(err);
	} else {
		strlist_init(&changes);
		if (formcopy_diff(c->fs, pfs, &changes) == 0)
			cli_print("程序自带的表单与此只有注释或排版不同，不影响数据。\n");
		else
			cli_print("程序自带的表单与此不同（%zu 处改动）。运行“cxzy forms "
			    "upgrade --dry-run”查看，“cxzy forms upgrade”换用程序自带"
			    "的表单。\n", changes.n);
		strlist_free(&changes);
		formset_free(pfs);
	}
	formcopy_files_free(&mine);
	formcopy_files_free(&prog);
	return EXIT_OK;
}

/* cxzy forms upgrade [--dry-run] [--from DIR]: replaces the directory's
 * forms after showing exactly what changes; refuses forms that do not
 * load and forms that would drop a form or field holding data. */
/* Removes a directory made by cli_forms_unpack (two levels of files). */
static void
cli_rm_unpacked(const char *dir)
{
	static const char *const subs[] = { "forms", "forms.new", "forms.old",
	    "" };
	size_t i;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		char *d = *subs[i] != '\0' ? xasprintf("%s/%s", dir, subs[i]) :
		    xstrdup(dir);
		DIR *dp = opendir(d);
		struct dirent *de;

		while (dp != NULL && (de = readdir(dp)) != NULL) {
			char *f;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			f = xasprintf("%s/%s", d, de->d_name);
			unlink(f);
			free(f);
		}
		if (dp != NULL)
			closedir(dp);
		rmdir(d);
		free(d);
	}
}

/* Writes the forms an archive carries into a new temporary directory
 * (its forms/ subdirectory), for forms upgrade --from FILE. */
static int
cli_forms_unpack(const char *file, char **dir)
{
	struct archive *a = NULL;
	const char *tmp = getenv("TMPDIR");
	char *err = NULL;
	int r;

	if (archive_read_file(file, &a, &err) != CX_OK) {
		cli_error("没有升级，表单没有任何改动：%s", err);
		free(err);
		return CX_ERR;
	}
	*dir = xasprintf("%s/cxzy-forms.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if (mkdtemp(*dir) == NULL) {
		cli_error("没有升级：无法建立临时目录：%s。", util_strerror(errno));
		free(*dir);
		*dir = NULL;
		archive_free(a);
		return CX_ERR;
	}
	r = formcopy_from_archive(*dir, a, &err);
	archive_free(a);
	if (r != CX_OK) {
		if (r == CX_NOTFOUND)
			cli_error("没有升级：“%s”里没有表单。", file);
		else
			cli_error("没有升级，表单没有任何改动：%s", err);
		free(err);
		cli_rm_unpacked(*dir);
		free(*dir);
		*dir = NULL;
		return CX_ERR;
	}
	return CX_OK;
}

static int
cli_forms_upgrade(struct cli *c, int argc, char **argv)
{
	struct formcopy_files mine, next;
	struct strlist changes, problems;
	struct formset *nfs = NULL;
	const char *from = c->program_forms, *shown = NULL;
	char *err = NULL, *unpacked = NULL, *unpacked_forms = NULL;
	bool dry = false;
	size_t i, nprob;
	int k, rc = EXIT_FAIL;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[k], "--from") == 0 && k + 1 < argc)
			from = argv[++k];
		else {
			cli_error("不认识的参数“%s”。用法：cxzy forms upgrade "
			    "[--dry-run] [--from 目录]", argv[k]);
			return EXIT_USAGE;
		}
	}
	if (!dry && store_readonly(c->st)) {
		cli_error("没有升级：%s", STORE_MSG_READONLY);
		return EXIT_FAIL;
	}
	/* A package (or an export) brings the forms it was made under. */
	{
		struct stat sb;

		if (stat(from, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (cli_forms_unpack(from, &unpacked) != CX_OK)
				return EXIT_FAIL;
			shown = from;
			from = unpacked_forms = xasprintf("%s/forms", unpacked);
		}
	}
	if (cli_forms_load(from, &nfs, &err) != CX_OK) {
		cli_error("没有升级，表单没有任何改动：新的表单（%s）无法使用：%s", from,
		    err);
		free(err);
		return EXIT_FAIL;
	}
	if (formcopy_read(c->forms_dir, &mine, &err) != CX_OK) {
		formset_free(nfs);
		return cli_fail(err);
	}
	if (formcopy_read(from, &next, &err) != CX_OK) {
		formcopy_files_free(&mine);
		formset_free(nfs);
		return cli_fail(err);
	}
	strlist_init(&changes);
	strlist_init(&problems);
	if (formcopy_files_equal(&mine, &next)) {
		cli_print("表单没有变化：本数据目录的表单与“%s”里的相同。\n", from);
		rc = EXIT_OK;
		goto out;
	}
	cli_print("从“%s”升级表单%s\n", shown != NULL ? shown : from, dry ?
	    "（试运行 --dry-run：只列出会有的变化，不修改表单）" : "");
	if (formcopy_diff(c->fs, nfs, &changes) == 0)
		cli_print("只有注释或排版不同，不影响数据。\n");
	else {
		cli_print("改动（%zu 处）：\n", changes.n);
		for (i = 0; i < changes.n; i++)
			cli_print("  %s\n", changes.v[i]);
	}
	nprob = formcopy_check_data(c->st, c->fs, nfs, &problems, &err);
	if (nprob == (size_t)-1) {
		cli_fail(err);
		goto out;
	}
	if (nprob > 0) {
		cli_error("没有升级，表单没有任何改动：新的表单会丢掉已有的数据：");
		for (i = 0; i < problems.n; i++)
			cli_write(stderr, "  %s\n", problems.v[i]);
		cli_write(stderr, "请在新的表单里保留这些表单和字段，或先删除这些内容，"
		    "再升级。\n");
		goto out;
	}
	if (dry) {
		cli_print("试运行：表单没有改动。确认无误后运行“cxzy forms upgrade%s%s”"
		    "（不加 --dry-run）。\n", from != c->program_forms ?
		    " --from " : "", from != c->program_forms ? (shown != NULL ?
		    shown : from) : "");
		rc = EXIT_OK;
		goto out;
	}
	if (formcopy_write(c->datadir, &next, &err) != CX_OK) {
		cli_error("没有升级，表单没有任何改动：%s", err);
		free(err);
		goto out;
	}
	cli_print("已换用新的表单。\n");
	rc = EXIT_OK;
out:
	strlist_free(&changes);
	strlist_free(&problems);
	formcopy_files_free(&mine);
	formcopy_files_free(&next);
	formset_free(nfs);
	if (unpacked != NULL)
		cli_rm_unpacked(unpacked);
	free(unpacked);
	free(unpacked_forms);
	return rc;
}

static int
cli_cmd_forms(struct cli *c, int argc, char **argv)
{
	if (argc == 0)
		return cli_forms_list(c);
	if (strcmp(argv[0], "upgrade") == 0)
		return cli_forms_upgrade(c, argc - 1, argv + 1);
	cli_error("不认识的参数“%s”。用法：cxzy forms [upgrade [--dry-run] "
	    "[--from 目录]]", argv[0]);
	return EXIT_USAGE;
}

/* ------------------------------------------------------ export, import */

/* Some records were not imported (conflicts, rejected, unknown kinds). */
#define EXIT_CONFLICT	4

/* Splits the arguments of export and import into the file and one
 * allowed option. */
static int
cli_file_args(int argc, char **argv, const char *opt, const char **file,
    bool *flag)
{
	int k;

	*file = NULL;
	*flag = false;
	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], opt) == 0)
			*flag = true;
		else if (*file == NULL && (argv[k][0] != '-' ||
		    strcmp(argv[k], "-") == 0))
			*file = argv[k];
		else {
			cli_error("不认识的参数“%s”。请运行“cxzy --help”查看用法。",
			    argv[k]);
			return CX_ERR;
		}
	}
	if (*file == NULL) {
		cli_error("请写出文件名（写“-”表示标准输出或标准输入）。");
		return CX_ERR;
	}
	return CX_OK;
}

static int
cli_cmd_export(struct cli *c, int argc, char **argv)
{
	const char *file;
	char *err = NULL;
	size_t n = 0;
	bool force;

	if (cli_file_args(argc, argv, "--force", &file, &force) != CX_OK)
		return EXIT_USAGE;
	/* The archive is always UTF-8, whatever the locale. */
	if (strcmp(file, "-") == 0) {
		if (archive_export(c->st, c->fs, stdout, &n, &err) != CX_OK)
			return cli_fail(err);
		return EXIT_OK;
	}
	if (archive_export_file(c->st, c->fs, file, force, &n, &err) != CX_OK)
		return cli_fail(err);
	cli_print("已把 %zu 条记录（含回收站）导出到“%s”。\n", n, file);
	return EXIT_OK;
}

/* One progress line on a terminal; nothing otherwise. */
static void
cli_progress(void *arg, size_t done)
{
	const char *what = arg;

	if (done % 1000 != 0 || !isatty(STDERR_FILENO))
		return;
	cli_write(stderr, "\r%s……已处理 %zu 条记录", what, done);
	fflush(stderr);
}

static void
cli_progress_end(void)
{
	if (isatty(STDERR_FILENO)) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

/* Whether the forms an archive carries differ from the directory's. */
static bool
cli_forms_differ(struct cli *c, const struct archive *a)
{
	struct formcopy_files mine;
	size_t i, j;
	bool differ = false;

	if (a->nforms == 0 || formcopy_read(c->forms_dir, &mine, NULL) != CX_OK)
		return false;
	if (mine.n != a->nforms)
		differ = true;
	for (i = 0; i < a->nforms && !differ; i++) {
		for (j = 0; j < mine.n; j++)
			if (strcmp(mine.v[j].name, a->forms[i].name) == 0)
				break;
		differ = j == mine.n || mine.v[j].len != a->forms[i].len ||
		    memcmp(mine.v[j].text, a->forms[i].text, a->forms[i].len) != 0;
	}
	formcopy_files_free(&mine);
	return differ;
}

/* Imports one file: an archive or a package.  Returns the exit status;
 * *held tells whether the package was held. */
static int
cli_import_one(struct cli *c, const char *file, bool dry, bool verbose,
    bool *held)
{
	struct exchange_import x;
	char *err = NULL, *text;
	int rc;

	*held = false;
	if (exchange_import_file_with(c->st, c->fs, file, dry, cli_progress,
	    "正在比较记录", &x, &err) != CX_OK) {
		cli_progress_end();
		cli_error("%s", err);
		free(err);
		return EXIT_FAIL;
	}
	cli_progress_end();
	text = exchange_import_text(&x, file, verbose);
	cli_print("%s", text);
	free(text);
	if (x.package && cli_forms_differ(c, x.a))
		cli_print("这个报送包使用的表单和本机的不同。要换用它的表单，先运行"
		    "“cxzy forms upgrade --dry-run --from %s”查看改动。\n", file);
	if (x.hold_error != NULL)
		cli_error("%s", x.hold_error);
	*held = x.rep.held;
	rc = x.rep.held || x.rep.count[ARCHIVE_CONFLICT] +
	    x.rep.count[ARCHIVE_REJECTED] + x.rep.count[ARCHIVE_UNKNOWN] > 0 ?
	    EXIT_CONFLICT : EXIT_OK;
	exchange_import_free(&x);
	return rc;
}

/* import FILE --join BRANCH: a branch that kept its ledger on its own. */
static int
cli_join(struct cli *c, const char *file, const char *branch, bool dry,
    bool verbose)
{
	struct exchange_import x;
	char *err = NULL, *text;
	int rc;

	if (exchange_join_file(c->st, c->fs, file, branch, dry, &x,
	    &err) != CX_OK) {
		cli_error("%s", err);
		free(err);
		return EXIT_FAIL;
	}
	text = exchange_import_text(&x, file, verbose);
	cli_print("%s", text);
	free(text);
	if (x.hold_error != NULL)
		cli_error("%s", x.hold_error);
	rc = x.rep.held || x.rep.count[ARCHIVE_CONFLICT] +
	    x.rep.count[ARCHIVE_REJECTED] + x.rep.count[ARCHIVE_UNKNOWN] > 0 ?
	    EXIT_CONFLICT : EXIT_OK;
	exchange_import_free(&x);
	return rc;
}

/* import --pending: the packages held in DATADIR/pending, again. */
static int
cli_import_pending(struct cli *c, bool dry, bool verbose)
{
	struct strlist files;
	size_t i;
	int rc = EXIT_OK;

	strlist_init(&files);
	exchange_pending_list(c->st, &files);
	if (files.n == 0)
		cli_print("没有暂存待处理的报送包。\n");
	for (i = 0; i < files.n; i++) {
		bool held = false;
		int r;

		/* A package held again stays; one taken is removed. */
		r = cli_import_one(c, files.v[i], dry, verbose, &held);
		if (!dry && !held && r != EXIT_FAIL) {
			unlink(files.v[i]);
			cli_print("已从待处理中移除“%s”。\n",
			    exchange_basename(files.v[i]));
		}
		if (r != EXIT_OK && rc == EXIT_OK)
			rc = r;
	}
	strlist_free(&files);
	return rc;
}

/* The input function of a spreadsheet import: a cell is typed input. */
static int
cli_csv_input(void *arg, const struct form_field *ff, const char *value,
    char **out, char **errp)
{
	return cli_input(arg, ff, value, out, errp);
}

/* import --csv KIND FILE: the rows of a spreadsheet as new records, all
 * or none (csvimport.h). */
static int
cli_import_csv(struct cli *c, const char *kind, const char *file, bool dry,
    bool verbose, bool ignore_unknown)
{
	const struct form *f = cli_kind(c, kind);
	struct csvimport ci;
	char *bytes = NULL, *err = NULL;
	size_t len = 0, i;
	int rc;

	if (f == NULL)
		return EXIT_FAIL;
	if (util_read_file(strcmp(file, "-") == 0 ? "/dev/stdin" : file,
	    &bytes, &len, &err) != CX_OK)
		return cli_fail(err);
	memset(&ci, 0, sizeof ci);
	ci.name = file;
	ci.dry_run = dry;
	ci.ignore_unknown = ignore_unknown;
	ci.input = cli_csv_input;
	ci.input_arg = c;
	rc = csvimport_run(cli_ledger(c), f, bytes, len, &ci, &err);
	free(bytes);
	for (i = 0; i < ci.notes.n; i++)
		cli_print("注意：%s\n", ci.notes.v[i]);
	if (rc != CX_OK) {
		for (i = 0; i < ci.problems.n; i++)
			cli_write(stderr, "%s\n", ci.problems.v[i]);
		csvimport_free(&ci);
		return cli_fail(err);
	}
	for (i = 0; (dry || verbose) && i < ci.nrecs; i++) {
		char *title = cli_title(c, f, ci.recs[i]);

		if (dry)
			cli_print("新增  第 %d 行：%s“%s”\n", ci.lines[i], f->label,
			    title);
		else
			cli_print("新增  第 %d 行：%s“%s”（编号 %llu）\n",
			    ci.lines[i], f->label, title,
			    (unsigned long long)ci.recs[i]->id);
		free(title);
	}
	if (dry)
		cli_print("试运行，数据没有改动：将导入 %zu 条%s记录（文件编码 %s）。\n",
		    ci.nrecs, f->label, ci.encoding);
	else if (ci.nrecs > 1)
		cli_print("已导入 %zu 条%s记录（编号 %llu–%llu，文件编码 %s）。\n",
		    ci.nrecs, f->label, (unsigned long long)ci.recs[0]->id,
		    (unsigned long long)ci.recs[ci.nrecs - 1]->id, ci.encoding);
	else
		cli_print("已导入 %zu 条%s记录（编号 %llu，文件编码 %s）。\n",
		    ci.nrecs, f->label, (unsigned long long)ci.recs[0]->id,
		    ci.encoding);
	csvimport_free(&ci);
	return cli_lookup_status(c, EXIT_OK);
}

static int
cli_cmd_import(struct cli *c, int argc, char **argv)
{
	const char *file = NULL, *join = NULL, *csv = NULL;
	bool dry = false, verbose = false, pending = false, held;
	bool ignore_unknown = false;
	char *err = NULL;
	int k;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[k], "--verbose") == 0 ||
		    strcmp(argv[k], "-v") == 0)
			verbose = true;
		else if (strcmp(argv[k], "--pending") == 0)
			pending = true;
		else if (strcmp(argv[k], "--join") == 0 && k + 1 < argc)
			join = argv[++k];
		else if (strcmp(argv[k], "--csv") == 0 && k + 1 < argc)
			csv = argv[++k];
		else if (strcmp(argv[k], "--ignore-unknown") == 0)
			ignore_unknown = true;
		else if (file == NULL && (argv[k][0] != '-' ||
		    strcmp(argv[k], "-") == 0))
			file = argv[k];
		else {
			cli_error("不认识的参数“%s”。请运行“cxzy --help”查看用法。",
			    argv[k]);
			return EXIT_USAGE;
		}
	}
	if (csv != NULL || ignore_unknown) {
		if (csv == NULL || file == NULL || pending || join != NULL) {
			cli_error("从表格导入写成“cxzy import --csv 种类 文件”"
			    "（可加 --dry-run、--ignore-unknown），不能和 --pending、"
			    "--join 一起用。");
			return EXIT_USAGE;
		}
		if (cli_open_store(c) != CX_OK)
			return EXIT_FAIL;
		return cli_import_csv(c, csv, file, dry, verbose,
		    ignore_unknown);
	}
	if ((file == NULL) == !pending) {
		cli_error("请写出要导入的文件名（写“-”表示标准输入），"
		    "或用 --pending 重新接收暂存的报送包。");
		return EXIT_USAGE;
	}
	/* Importing into a directory that does not exist yet, or an empty
	 * one, makes a new one: the way to move data to another LMDB
	 * version. */
	if (!dry && !pending && ((access(c->datadir, F_OK) != 0 &&
	    errno == ENOENT) || cli_dir_empty(c->datadir))) {
		if (store_open(c->datadir, c->fs, STORE_CREATE, NULL, &c->st,
		    &err) != CX_OK)
			return cli_fail(err);
		cli_keep_forms(c);
		cli_print("已新建数据目录“%s”。\n", c->datadir);
	} else if (cli_open_store(c) != CX_OK)
		return EXIT_FAIL;
	if (pending)
		return cli_import_pending(c, dry, verbose);
	if (join != NULL)
		return cli_join(c, file, join, dry, verbose);
	return cli_import_one(c, file, dry, verbose, &held);
}

static int
cli_cmd_package(struct cli *c, int argc, char **argv)
{
	const char *bname = NULL, *pname = NULL, *out = NULL;
	struct exchange_package_out po;
	struct period per;
	char *err = NULL;
	bool force = false;
	uint64_t id = 0;
	int k;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--branch") == 0 && k + 1 < argc)
			bname = argv[++k];
		else if (strcmp(argv[k], "--period") == 0 && k + 1 < argc)
			pname = argv[++k];
		else if ((strcmp(argv[k], "-o") == 0 ||
		    strcmp(argv[k], "--output") == 0) && k + 1 < argc)
			out = argv[++k];
		else if (strcmp(argv[k], "--force") == 0)
			force = true;
		else {
			cli_error("不认识的参数“%s”。用法：cxzy package [--branch "
			    "党支部] [--period 2026H2] -o 文件或目录", argv[k]);
			return EXIT_USAGE;
		}
	}
	if (out == NULL) {
		cli_error("请用 -o 写出报送包保存到哪里（文件名，或 U 盘上的目录）。");
		return EXIT_USAGE;
	}
	if (pname != NULL && model_period_parse(pname, &per, &err) != CX_OK)
		return cli_fail(err);
	if (bname != NULL && exchange_find_branch(c->st, c->fs, bname, &id,
	    &err) != CX_OK)
		return cli_fail(err);
	if (exchange_package(c->st, c->fs, id, pname != NULL ? &per : NULL,
	    out, force, cli_progress, "正在制作报送包", &po, &err) != CX_OK) {
		cli_progress_end();
		return cli_fail(err);
	}
	cli_progress_end();
	cli_print("已制作报送包“%s”：党支部“%s”，%s，共 %zu 条记录。\n", po.path,
	    po.branch_name, pname != NULL ? pname : "全部周期", po.n);
	cli_print(po.to_committee ? "请把它交给机关党委，用“cxzy import 文件”接收。\n" :
	    "请把它交给党支部：新建台账用“cxzy init 目录 --from 文件”，"
	    "已有台账用“cxzy import 文件”接收。\n");
	exchange_package_out_free(&po);
	return EXIT_OK;
}

/* ------------------------------------------------------------ overview */

struct cli_overview {
	size_t	bytype[4];
};

static int
cli_overview_org(void *arg, const struct form *f, const struct record *r)
{
	struct cli_overview *o = arg;
	static const char *types[] = { "committee", "branch", "direct_group",
	    "group" };
	const char *t = record_get(r, "type");
	size_t i;

	(void)f;
	for (i = 0; t != NULL && i < 4; i++)
		if (strcmp(t, types[i]) == 0)
			o->bytype[i]++;
	return 0;
}

static int
cli_overview_unit(void *arg, const struct form *f, const struct record *r)
{
	char **unit = arg;
	const char *t = record_get(r, "type");

	(void)f;
	if (t != NULL && strcmp(t, "committee") == 0) {
		*unit = xstrdup(record_get(r, "name") ? record_get(r, "name") : "");
		return 1;
	}
	return 0;
}

/* Until the full-screen program exists, `cxzy` alone shows what the data
 * directory holds and where the filing deadline stands. */
static int
cli_overview(struct cli *c)
{
	const struct form *forg = formset_find(c->fs, "org");
	const struct form *fmem = formset_find(c->fs, "member");
	struct cli_overview o;
	struct period p;
	struct date today, due;
	char label[32], duebuf[32], *unit = NULL, *err = NULL;
	size_t nmem = 0;

	memset(&o, 0, sizeof o);
	if (forg != NULL &&
	    (store_foreach(c->st, forg, cli_overview_unit, &unit, &err) != CX_OK ||
	    store_foreach(c->st, forg, cli_overview_org, &o, &err) != CX_OK))
		return cli_fail(err);
	if (fmem != NULL && store_count(c->st, fmem, &nmem, &err) != CX_OK)
		return cli_fail(err);
	model_today(&today);
	model_period_of(&today, &p);
	model_period_label(&p, label);
	model_period_due(&p, &due);
	date_format_cn(&due, duebuf);
	cli_print("创先争优台账 cxzy %s\n", PACKAGE_VERSION);
	cli_print("单位：%s\n", unit && *unit ? unit : "（尚未设置机关党委）");
	cli_print("数据目录：%s%s\n", c->datadir,
	    store_readonly(c->st) ? "（只读）" : "");
	cli_print("当前周期：%s，备案截止 %s（还有 %ld 天）\n", label, duebuf,
	    date_to_days(&due) - date_to_days(&today));
	cli_print("党组织：党支部 %zu 个，直属党小组 %zu 个，党小组 %zu 个\n",
	    o.bytype[1], o.bytype[2], o.bytype[3]);
	cli_print("党员：%zu 名\n", nmem);
	cli_print("（不在终端里运行，只显示概况；在终端里运行 cxzy 打开全屏界面。"
	    "命令见 cxzy --help。）\n");
	free(unit);
	return EXIT_OK;
}

/* ------------------------------------------------------------- backups */

static int
cli_backup_to(struct cli *c, const char *root)
{
	struct backup b;
	char *err = NULL, *counts;

	if (backup_create(c->st, c->fs, root, 0, &b, &err) != CX_OK) {
		cli_error("没有备份到“%s”：%s", root, err);
		free(err);
		return EXIT_FAIL;
	}
	counts = backup_counts_text(b.counts, b.ncounts);
	cli_print("已备份到“%s”（%s）。\n", b.path, counts);
	if (b.clock_behind)
		cli_print("注意：电脑的时间（%s）早于已有的最新备份，这份备份接着"
		    "最新备份命名为“%s”，排在最前。请检查电脑的日期和时间。\n",
		    b.time, b.name);
	if (b.removed > 0)
		cli_print("按保留规则（最近 %d 份，另加每月最后一份）删除了 %zu 份"
		    "较早的备份。\n", BACKUP_KEEP, b.removed);
	free(counts);
	backup_free(&b);
	return EXIT_OK;
}

/* A backup to the local disk, and a second copy to another directory
 * (a second stick) when one is named. */
static int
cli_cmd_backup(struct cli *c, int argc, char **argv)
{
	char *root, *err = NULL;
	int rc = EXIT_OK;

	root = backup_default_root(&err);
	if (root == NULL)
		rc = cli_fail(err);
	else if (cli_backup_to(c, root) != EXIT_OK)
		rc = EXIT_FAIL;
	if (argc > 0 && cli_backup_to(c, argv[0]) != EXIT_OK)
		rc = EXIT_FAIL;
	free(root);
	return rc;
}

static int
cli_cmd_backups(struct cli *c, int argc, char **argv)
{
	struct backup_list l;
	char *root, *err = NULL;
	size_t i, j;

	(void)c;
	root = argc > 0 ? xstrdup(argv[0]) : backup_default_root(&err);
	if (root == NULL)
		return cli_fail(err);
	if (backup_list(root, &l, &err) != CX_OK) {
		free(root);
		return cli_fail(err);
	}
	cli_print("备份目录：%s\n", root);
	if (l.n == 0) {
		cli_print("这里还没有备份。运行“cxzy backup”可以立即备份；全屏界面"
		    "每次正常退出时也会自动备份。\n");
		free(root);
		return EXIT_OK;
	}
	/* One block per unit, in the order of each unit's newest backup. */
	for (i = 0; i < l.n; i++) {
		bool seen = false;

		for (j = 0; j < i; j++)
			if (strcmp(l.v[j].slug, l.v[i].slug) == 0)
				seen = true;
		if (seen)
			continue;
		cli_print("单位：%s\n  名称                备份时间             记录\n",
		    *l.v[i].unit ? l.v[i].unit : "（不详）");
		for (j = i; j < l.n; j++) {
			char *name, *counts;

			if (strcmp(l.v[j].slug, l.v[i].slug) != 0)
				continue;
			name = text_pad(l.v[j].name, 18, TEXT_LEFT, TEXT_SCREEN);
			counts = backup_counts_text(l.v[j].counts,
			    l.v[j].ncounts);
			cli_print("  %s  %-19s  %s\n", name, l.v[j].time, counts);
			free(counts);
			free(name);
		}
	}
	cli_print("共 %zu 份备份。恢复其中一份：cxzy recover 名称\n", l.n);
	backup_list_free(&l);
	free(root);
	return EXIT_OK;
}

/* Asks on the terminal; anything but y (or 是) cancels. */
static bool
cli_confirm(const char *question)
{
	char line[256], *u = NULL;
	bool yes = false;

	cli_print("%s", question);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	if (conv_from_locale(line, &u, NULL) == CX_OK) {
		char *t = text_trim(u);

		yes = strcmp(t, "y") == 0 || strcmp(t, "Y") == 0 ||
		    strcmp(t, "yes") == 0 || strcmp(t, "是") == 0;
		free(t);
	}
	free(u);
	return yes;
}

/* Restoring replaces the data, so it shows what the backup and the data
 * hold and asks first; --yes answers for scripts. */
static int
cli_cmd_recover(struct cli *c, int argc, char **argv)
{
	const char *name = NULL;
	struct backup b;
	struct backup_count *bc = NULL, *cc = NULL;
	struct store *cur = NULL;
	char *root, *err = NULL, *slug = NULL, *text, *saved = NULL;
	size_t nbc = 0, ncc = 0;
	bool yes = false;
	int i, rc = EXIT_FAIL;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
			yes = true;
		else if (name == NULL)
			name = argv[i];
		else {
			cli_error("命令 recover 的参数不对。用法：cxzy recover 备份名称或路径"
			    " [--yes]");
			return EXIT_USAGE;
		}
	}
	if (name == NULL) {
		cli_error("请写出要恢复的备份名称或路径。用“cxzy backups”查看有哪些"
		    "备份。");
		return EXIT_USAGE;
	}
	/* What the data holds now, if it can still be read. */
	if (store_open(c->datadir, c->fs, STORE_READONLY, NULL, &cur,
	    &err) == CX_OK) {
		char *unit = backup_unit_name(cur, c->fs);

		slug = backup_unit_slug(unit);
		free(unit);
		if (backup_store_counts(cur, c->fs, &cc, &ncc, NULL) != CX_OK)
			ncc = 0;
		store_close(cur);
	}
	root = backup_default_root(NULL);
	if (backup_find(root, name, slug, &b, &err) != CX_OK) {
		free(root);
		free(slug);
		backup_counts_free(cc, ncc);
		return cli_fail(err);
	}
	free(root);
	free(slug);
	if (backup_verify(b.path, c->fs, &bc, &nbc, &err) != CX_OK) {
		cli_error("不能用这份备份恢复：%s请换一份备份（“cxzy backups”列出"
		    "全部），现有数据没有改动。", err);
		free(err);
		goto out;
	}
	cli_print("备份：%s（%s）\n", b.path, *b.time ? b.time : "时间不详");
	text = backup_counts_text(bc, nbc);
	cli_print("备份中的记录：%s\n", text);
	free(text);
	if (cc != NULL) {
		text = backup_counts_text(cc, ncc);
		cli_print("现在的记录：  %s\n", text);
		free(text);
	} else {
		cli_print("现在的记录：  无法读取（%s）\n", err ? err : "");
	}
	free(err);
	err = NULL;
	cli_print("恢复会用这份备份替换数据目录“%s”中的数据；现在的数据文件会"
	    "改名保留在数据目录里。\n", c->datadir);
	if (!yes && !isatty(STDIN_FILENO)) {
		cli_error("没有恢复：恢复会替换现有数据，需要确认。不在终端里运行时，"
		    "请在命令后加上 --yes，例如“cxzy recover %s --yes”。", name);
		goto out;
	}
	if (!yes && !cli_confirm("确定要恢复吗？输入 y 后按回车确认，直接按回车"
	    "取消：")) {
		cli_print("已取消，数据没有改动。\n");
		goto out;
	}
	if (backup_restore(b.path, c->fs, c->datadir, &saved, &err) != CX_OK) {
		cli_fail(err);
		goto out;
	}
	cli_print("已从备份恢复数据。");
	if (saved != NULL)
		cli_print("原来的数据文件改名保存为“%s”，确认恢复无误后可以删除它。",
		    saved);
	cli_print("\n");
	rc = EXIT_OK;
out:
	free(saved);
	backup_counts_free(bc, nbc);
	backup_counts_free(cc, ncc);
	backup_free(&b);
	return rc;
}

/* -------------------------------------------------------------- report */

/* Everything printable (rollup.h): each kind's paper forms (sheet.c),
 * the roll-ups, the 备案报告 and each kind's 名册 (roster.c). */

static int
cli_report_write(const char *path, const struct buf *b)
{
	char *tmp;
	FILE *fp;
	int ok;

	if (path == NULL) {
		fwrite(b->s ? b->s : "", 1, b->len, stdout);
		return fflush(stdout) == 0 ? CX_OK : CX_ERR;
	}
	tmp = xasprintf("%s.tmp", path);
	fp = fopen(tmp, "wb");
	if (fp == NULL) {
		cli_error("无法写入“%s”：%s", tmp, util_strerror(errno));
		free(tmp);
		return CX_ERR;
	}
	ok = fwrite(b->s ? b->s : "", 1, b->len, fp) == b->len &&
	    fflush(fp) == 0 && fsync(fileno(fp)) == 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		cli_error("无法写入“%s”：%s。报表没有保存。", path,
		    util_strerror(errno));
		unlink(tmp);
		free(tmp);
		return CX_ERR;
	}
	free(tmp);
	return CX_OK;
}

static int cli_period_arg(const char *s, struct period *p);

/* Whether a branch field takes 直属党小组 too (an annex's branch_id does,
 * an org's 上级组织 does not). */
static bool
cli_report_takes_direct(const struct form_field *bf)
{
	size_t k;

	for (k = 0; k < bf->nwhere; k++)
		if (strcmp(bf->where_values[k], "direct_group") == 0)
			return true;
	return false;
}

/* The branch field to resolve a --branch name with: the printout's own,
 * else (the roll-ups span kinds) the first of any form that takes a
 * 直属党小组 as well, else the first of any form. */
static const struct form_field *
cli_report_branch_field(struct cli *c, const struct printout *po)
{
	const struct form_field *bf, *first = NULL;
	size_t i;

	if (po->f != NULL && (bf = roster_branch_field(po->f)) != NULL)
		return bf;
	for (i = 0; i < c->fs->n; i++)
		if ((bf = roster_branch_field(c->fs->forms[i])) != NULL) {
			if (cli_report_takes_direct(bf))
				return bf;
			if (first == NULL)
				first = bf;
		}
	return first;
}

static void
cli_report_list(const struct printouts *pl)
{
	size_t i, nw = 0, tw = 0, w;

	for (i = 0; i < pl->n; i++) {
		if ((w = text_width(pl->v[i].name, TEXT_SCREEN)) > nw)
			nw = w;
		if ((w = text_width(pl->v[i].title, TEXT_SCREEN)) > tw)
			tw = w;
	}
	for (i = 0; i < pl->n; i++) {
		char *name = text_pad(pl->v[i].name, nw, TEXT_LEFT, TEXT_SCREEN);
		char *title = text_pad(pl->v[i].title, tw, TEXT_LEFT,
		    TEXT_SCREEN);

		if (i > 0 && pl->v[i].what != pl->v[i - 1].what &&
		    !(pl->v[i].what == PRINT_PACKAGE &&
		    pl->v[i - 1].what == PRINT_ROLLUP))
			cli_print("\n");
		cli_print("%s  %s  %s\n", name, title, pl->v[i].about);
		free(name);
		free(title);
	}
}

static int
cli_cmd_report(struct cli *c, int argc, char **argv)
{
	struct printouts pl;
	const struct printout *po;
	const struct form_field *bf;
	struct sheet_doc *doc = NULL;
	struct report_opts ro;
	struct period per;
	struct buf out;
	char *err = NULL, *val = NULL, *name = NULL;
	const char *path = NULL, *branch = NULL, *period = NULL;
	bool width_given = false, roster = false;
	int k, rc = EXIT_FAIL, brc;

	printout_list(c->fs, &pl);
	if (strcmp(argv[0], "--list") == 0) {
		cli_report_list(&pl);
		printouts_free(&pl);
		return EXIT_OK;
	}
	report_opts_init(&ro);
	ro.encoding = conv_codeset_is_utf8(conv_locale_codeset()) ?
	    REPORT_UTF8 : REPORT_GB18030;
	for (k = 1; k < argc; k++) {
		const char *a = argv[k], *next = k + 1 < argc ? argv[k + 1] : NULL;

		if (strcmp(a, "--crlf") == 0)
			ro.eol = REPORT_EOL_CRLF;
		else if (strcmp(a, "--bom") == 0)
			ro.bom = true;
		else if (strcmp(a, "--box") == 0)
			ro.border = REPORT_BORDER_BOX;
		else if (strcmp(a, "--no-formfeed") == 0)
			ro.formfeed = false;
		else if (strcmp(a, "--roster") == 0)
			roster = true;
		else if (next != NULL && strcmp(a, "--encoding") == 0) {
			k++;
			if (strcasecmp(next, "utf-8") == 0 ||
			    strcasecmp(next, "utf8") == 0)
				ro.encoding = REPORT_UTF8;
			else if (strcasecmp(next, "gb18030") == 0)
				ro.encoding = REPORT_GB18030;
			else if (strcasecmp(next, "gbk") == 0)
				ro.encoding = REPORT_GBK;
			else {
				cli_error("不认识的编码“%s”。可用：gb18030、gbk、utf-8。",
				    next);
				goto usage;
			}
		} else if (next != NULL && (strcmp(a, "--width") == 0 ||
		    strcmp(a, "--lines") == 0)) {
			uint64_t v;

			k++;
			if (!util_parse_id(next, &v) || v > 1000 ||
			    (a[2] == 'w' && v < 40) || (a[2] == 'l' && v < 10)) {
				cli_error("“%s %s”不对：宽度应是 40 以上的列数（常用 80 或 136），"
				    "页长应是 10 以上的行数（常用 66）。", a, next);
				goto usage;
			}
			if (a[2] == 'w') {
				ro.width = (size_t)v;
				width_given = true;
			}
			else
				ro.page_lines = (size_t)v;
		} else if (next != NULL && strcmp(a, "--branch") == 0)
			branch = argv[++k];
		else if (next != NULL && strcmp(a, "-o") == 0)
			path = argv[++k];
		else if (next != NULL && strcmp(a, "--period") == 0)
			period = argv[++k];
		else {
			cli_error("报表选项“%s”不对。用法：cxzy report 报表 [--period 2026H2] "
			    "[--branch 党支部] [--encoding gb18030|gbk|utf-8] "
			    "[--width 80|136] [--lines 66] [--box] [--crlf] [--bom] "
			    "[--roster] [-o 文件]；cxzy report --list 列出可以打印的报表。",
			    a);
			goto usage;
		}
	}
	name = roster && strncmp(argv[0], "名册:", strlen("名册:")) != 0 ?
	    xasprintf("名册:%s", argv[0]) : xstrdup(argv[0]);
	if ((po = printout_find(&pl, c->fs, name)) == NULL) {
		cli_error("没有“%s”这种报表。用 cxzy report --list 查看可以打印的报表"
		    "（种类可写英文名或中文名，如 branch_pledge 或 附件一）。",
		    argv[0]);
		goto out;
	}
	if (period != NULL && !po->period) {
		cli_error("%s列出全部记录，不分周期；请去掉 --period。", po->title);
		goto usage;
	}
	if (branch != NULL && !po->branch) {
		cli_error("%s不能按党支部分开打印；请去掉 --branch。", po->title);
		goto usage;
	}
	if (period != NULL && cli_period_arg(period, &per) != CX_OK)
		goto usage;
	if (cli_open_store(c) != CX_OK)
		goto out;
	if (branch != NULL) {
		bf = cli_report_branch_field(c, po);
		if (bf == NULL) {
			cli_error("%s不能按党支部分开打印。", po->title);
			goto usage;
		}
		if (cli_input(c, bf, branch, &val, &err) != CX_OK) {
			rc = cli_fail(err);
			goto out;
		}
	}
	brc = printout_build(cli_ledger(c), po, period != NULL ? &per : NULL,
	    val, &ro, width_given, &doc, &err);
	if (brc != CX_OK) {
		rc = cli_fail(err);
		goto out;
	}
	buf_init(&out);
	if (sheet_doc_render(doc, &out, &err) != CX_OK) {
		buf_free(&out);
		rc = cli_fail(err);
		goto out;
	}
	rc = cli_report_write(path, &out) == CX_OK ? EXIT_OK : EXIT_FAIL;
	if (rc == EXIT_OK && path != NULL)
		cli_write(stderr, "已把%s（%zu 页）保存到“%s”。\n", doc->title,
		    doc->pages, path);
	buf_free(&out);
	goto out;
usage:
	rc = EXIT_USAGE;
out:
	sheet_doc_free(doc);
	printouts_free(&pl);
	free(name);
	free(val);
	return rc;
}

/* ------------------------------------------------- 工作台 and the cycle */

/* "2026年下半年（2026H2）" */
static void
cli_period_name(const struct period *p, char out[64])
{
	char label[32], code[16];

	model_period_label(p, label);
	model_period_code(p, code);
	snprintf(out, 64, "%s（%s）", label, code);
}

static int
cli_period_arg(const char *s, struct period *p)
{
	char *err = NULL;

	if (model_period_parse(s, p, &err) != CX_OK) {
		cli_fail(err);
		return CX_ERR;
	}
	return CX_OK;
}

static void
cli_print_due(const struct period *p, const struct date *today)
{
	struct date due;
	char duebuf[32];
	long left;

	model_period_due(p, &due);
	date_format_cn(&due, duebuf);
	left = date_to_days(&due) - date_to_days(today);
	if (left > 0)
		cli_print("备案截止 %s，还有 %ld 天", duebuf, left);
	else if (left == 0)
		cli_print("备案截止 %s，就是今天", duebuf);
	else
		cli_print("备案截止 %s，已超过 %ld 天", duebuf, -left);
}

/* In a 机关党委 directory: which branches' packages of the period came
 * in, one line each, the names padded to one column. */
static void
cli_todo_arrivals(const struct workbench *wb)
{
	size_t i, nw = 0, w;

	if (wb->nbranches == 0)
		return;
	for (i = 0; i < wb->nbranches; i++)
		if ((w = text_width(wb->branches[i].name, TEXT_SCREEN)) > nw)
			nw = w;
	cli_print("\n报送情况（收到本期报送包的 %zu 个，共 %zu 个）\n",
	    wb->nfiled, wb->nbranches);
	for (i = 0; i < wb->nbranches; i++) {
		char *name = text_pad(wb->branches[i].name, nw, TEXT_LEFT,
		    TEXT_SCREEN);

		cli_print("  %s  %s\n", name, wb->branches[i].arrival.line);
		free(name);
	}
}

/* What is missing or late, per branch (workbench.h). */
static int
cli_cmd_todo(struct cli *c, int argc, char **argv)
{
	struct ledger *lg = cli_ledger(c);
	struct workbench wb;
	struct period p;
	char *err = NULL, name[64];
	size_t i, j, nbranch = 0;

	if (argc == 1 || (argc == 2 && strcmp(argv[0], "--period") != 0)) {
		cli_error("命令 todo 的参数不对。用法：cxzy todo [--period 2026H2]");
		return EXIT_USAGE;
	}
	if (argc == 2) {
		if (cli_period_arg(argv[1], &p) != CX_OK)
			return EXIT_USAGE;
	} else
		ledger_current_period(lg, &p);
	if (workbench_build(lg, &p, &wb, &err) != CX_OK)
		return cli_fail(err);
	cli_period_name(&wb.period, name);
	cli_print("工作台：%s，", name);
	cli_print_due(&wb.period, &lg->ctx.today);
	cli_print("%s\n", ledger_locked(lg, &wb.period) ? "（已锁定）" : "");
	cli_todo_arrivals(&wb);
	for (i = 0; i < wb.n; i = j) {
		for (j = i; j < wb.n && wb.items[j].branch_id ==
		    wb.items[i].branch_id; j++)
			;
		cli_print("\n%s（%zu 项）\n", wb.items[i].branch, j - i);
		nbranch++;
		for (; i < j; i++) {
			const struct wb_item *it = &wb.items[i];

			if (it->id != 0)
				cli_print("  %s（见 %s %llu）\n", it->text, it->kind,
				    (unsigned long long)it->id);
			else
				cli_print("  %s\n", it->text);
		}
	}
	if (wb.n == 0)
		cli_print("没有待办事项。\n");
	else
		cli_print("\n共 %zu 项待办，涉及 %zu 个党组织。\n", wb.n, nbranch);
	workbench_free(&wb);
	return EXIT_OK;
}

/* Shows or sets the period the user works in. */
static int
cli_cmd_period(struct cli *c, int argc, char **argv)
{
	struct ledger *lg = cli_ledger(c);
	struct period p;
	char *err = NULL, name[64];

	if (argc == 1) {
		if (cli_period_arg(argv[0], &p) != CX_OK)
			return EXIT_USAGE;
		if (ledger_set_current_period(lg, &p, &err) != CX_OK)
			return cli_fail(err);
		cli_period_name(&p, name);
		cli_print("当前周期已设为 %s。\n", name);
		return EXIT_OK;
	}
	ledger_current_period(lg, &p);
	cli_period_name(&p, name);
	cli_print("当前周期：%s，", name);
	cli_print_due(&p, &lg->ctx.today);
	cli_print("%s\n", ledger_locked(lg, &p) ?
	    "。这个周期已锁定，只能填写批注栏目。" : "");
	return EXIT_OK;
}

/* 新周期: the next half-year becomes current and what is unfinished
 * comes along. */
static int
cli_cmd_cycle(struct cli *c, int argc, char **argv)
{
	struct ledger *lg = cli_ledger(c);
	struct period from, next;
	struct buf counts;
	char *err = NULL, fname[64], nname[64], ncode[16];
	size_t carried = 0, i, k;

	(void)argc;
	(void)argv;
	ledger_current_period(lg, &from);
	next = from;
	model_period_next(&next);
	if (ledger_new_cycle(lg, &from, &next, &carried, &err) != CX_OK)
		return cli_fail(err);
	cli_period_name(&from, fname);
	cli_period_name(&next, nname);
	model_period_code(&next, ncode);
	/* By kind: records now in the new period that were made in an
	 * earlier one. */
	buf_init(&counts);
	for (i = 0; i < c->fs->n; i++) {
		const struct form *f = c->fs->forms[i];
		uint64_t *ids = NULL;
		size_t n = 0, moved = 0;

		if (form_field_find(f, "current_period") == NULL ||
		    !store_field_indexed(c->st, f, "current_period"))
			continue;
		if (store_find(c->st, f, "current_period", ncode, &ids, &n,
		    &err) != CX_OK) {
			buf_free(&counts);
			return cli_fail(err);
		}
		for (k = 0; k < n; k++) {
			struct record *r = NULL;
			const char *per;

			if (store_get(c->st, f, ids[k], &r, NULL) != CX_OK)
				continue;
			per = record_get(r, "period");
			if (per != NULL && strcmp(per, ncode) != 0)
				moved++;
			record_free(r);
		}
		free(ids);
		if (moved > 0)
			buf_addf(&counts, "%s%s %zu 条", counts.len ? "，" : "",
			    f->label, moved);
	}
	cli_print("已进入新周期 %s。\n", nname);
	cli_print("从 %s带入未完成的事项 %zu 条%s%s。\n", fname, carried,
	    counts.len ? "：" : "", counts.len ? counts.s : "");
	buf_free(&counts);
	return EXIT_OK;
}

static int
cli_lock_cmd(struct cli *c, const char *arg, bool lock)
{
	struct ledger *lg = cli_ledger(c);
	struct period p;
	char *err = NULL, name[64];

	if (cli_period_arg(arg, &p) != CX_OK)
		return EXIT_USAGE;
	if (ledger_lock(lg, &p, lock, &err) != CX_OK)
		return cli_fail(err);
	cli_period_name(&p, name);
	if (lock)
		cli_print("已锁定 %s：这个周期的记录不能再添加，已有记录只能填写"
		    "评价、备注等批注栏目。需要更正时用“cxzy unlock”解锁。\n", name);
	else
		cli_print("已解锁 %s，这个周期的记录又可以修改了。\n", name);
	return EXIT_OK;
}

static int
cli_cmd_lock(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return cli_lock_cmd(c, argv[0], true);
}

static int
cli_cmd_unlock(struct cli *c, int argc, char **argv)
{
	(void)argc;
	return cli_lock_cmd(c, argv[0], false);
}

/* ------------------------------------------------------------- driver */

static const struct cli_command cli_commands[] = {
	{ "list", "种类 [字段=值]", "列出某种记录，可按一个字段筛选", 1, 2,
	    NEEDS_STORE, cli_cmd_list },
	{ "show", "种类 编号 [--version N]", "显示一条记录的全部内容（或它的第 N 个旧版本）",
	    2, 4, NEEDS_STORE, cli_cmd_show },
	{ "history", "种类 编号", "列出一条已签署记录保留的旧版本", 2, 2,
	    NEEDS_STORE, cli_cmd_history },
	{ "add", "种类 字段=值 ...", "添加一条记录（与录入界面同样校验）", 1, -1,
	    NEEDS_STORE, cli_cmd_add },
	{ "set", "种类 编号 字段=值 ...", "修改一条记录", 3, -1, NEEDS_STORE,
	    cli_cmd_set },
	{ "delete", "种类 编号", "把一条记录移入回收站", 2, 2, NEEDS_STORE,
	    cli_cmd_delete },
	{ "restore", "种类 编号", "从回收站恢复一条记录", 2, 2, NEEDS_STORE,
	    cli_cmd_restore },
	{ "trash", "", "列出回收站里的记录", 0, 0, NEEDS_STORE, cli_cmd_trash },
	{ "todo", "[--period 2026H2]", "工作台：各党支部缺少或逾期的事项", 0, 2,
	    NEEDS_STORE, cli_cmd_todo },
	{ "period", "[2026H2]", "显示或设置当前周期", 0, 1, NEEDS_STORE,
	    cli_cmd_period },
	{ "cycle", "", "开始新周期：未完成的承诺和整改事项带入下一个半年", 0, 0,
	    NEEDS_STORE, cli_cmd_cycle },
	{ "lock", "周期", "备案后锁定一个周期（只能再填批注）", 1, 1, NEEDS_STORE,
	    cli_cmd_lock },
	{ "unlock", "周期", "解锁一个周期", 1, 1, NEEDS_STORE, cli_cmd_unlock },
	{ "check", "", "检查全部记录、校验和与索引", 0, 0, NEEDS_FORMS,
	    cli_cmd_check },
	{ "export", "文件 [--force]", "把全部记录（含回收站）导出为文本文件", 1, 2,
	    NEEDS_STORE, cli_cmd_export },
	{ "import", "文件 [选项]", "导入导出文件或报送包（--dry-run 只预览，--verbose 逐条列出，--pending 重收暂存的包），或从表格导入（--csv 种类）",
	    0, 6, NEEDS_FORMS, cli_cmd_import },
	{ "package", "-o 文件或目录 [选项]", "制作报送包（--branch 党支部 --period 2026H2）：党支部报送机关党委，或机关党委发给党支部",
	    2, 7, NEEDS_STORE, cli_cmd_package },
	{ "report", "报表 [选项]", "打印报表：附件、统计表、备案报告、名册（--list 列出全部，选项见 docs/cli.md）",
	    1, -1, NEEDS_FORMS, cli_cmd_report },
	{ "kinds", "", "列出可用的记录种类", 0, 0, NEEDS_FORMS, cli_cmd_kinds },
	{ "forms", "[upgrade [选项]]",
	    "列出本数据目录的表单；upgrade [--dry-run] [--from 目录] 换用程序自带（或指定目录）的表单，先列出改动",
	    0, 4, NEEDS_STORE, cli_cmd_forms },
	{ "init", "目录 单位名称", "新建一个空的数据目录（目录 --from 报送包：新建党支部的）",
	    2, 3, NEEDS_FORMS, cli_cmd_init },
	{ "demo", "目录", "新建一个含演示数据的数据目录", 1, 1, NEEDS_FORMS,
	    cli_cmd_demo },
	{ "backup", "[目录]", "立即备份（给出目录时再备份一份到那里）", 0, 1,
	    NEEDS_STORE, cli_cmd_backup },
	{ "backups", "[目录]", "列出备份的时间和记录数", 0, 1, NEEDS_FORMS,
	    cli_cmd_backups },
	{ "recover", "名称或路径 [--yes]", "从备份恢复数据（先显示记录数再确认）",
	    1, 2, NEEDS_FORMS, cli_cmd_recover },
};
#define CLI_NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

static void
cli_usage(FILE *fp)
{
	size_t i;

	cli_write(fp, "用法：cxzy [选项] [命令 [参数...]]\n"
	    "创先争优台账：党支部公开承诺、践诺、点评、评议、整改和“三会一课”记录。\n"
	    "不带命令时打开全屏界面。\n\n选项：\n"
	    "  -d, --data 目录   数据目录（默认取环境变量 CXZY_DATA，再默认 ./cxzy-data）\n"
	    "  -a, --ascii       全屏界面用 ASCII 字符画边框（终端显示线条乱时使用）\n"
	    "  -h, --help        显示本帮助并退出\n"
	    "  -V, --version     显示版本信息并退出\n\n命令：\n");
	for (i = 0; i < CLI_NCOMMANDS; i++) {
		char *head = xasprintf("%s %s", cli_commands[i].name,
		    cli_commands[i].args);
		char *p = text_pad(head, 30, TEXT_LEFT, TEXT_SCREEN);

		cli_write(fp, "  %s %s\n", p, cli_commands[i].summary);
		free(p);
		free(head);
	}
	cli_write(fp, "\n种类可写英文名或中文名（member 或 党员），字段也一样（name=张三 或 姓名=张三）。\n"
	    "引用其他记录的字段可填编号或名称，例如 所属党支部=办公室党支部。\n"
	    "多行表格写成 字段.行号.列=值，例如 items.1.content=…。\n"
	    "周期写成 2026H2 或 2026年下半年。\n\n"
	    "退出状态：0 成功，1 失败，2 用法错误，3 检查发现数据损坏，\n"
	    "4 导入时有记录因冲突等原因没有导入。\n");
}

/* LMDB 0.9 does not detect damage to its file, and reading a damaged
 * page can crash inside liblmdb.  Then say what to do instead of dying
 * silently; only write() and _exit() are safe here.  The full-screen
 * program installs its own handler, which also resets the terminal. */
static char cli_crash_msg[512];
static size_t cli_crash_len;

static void
cli_crash(int sig)
{
	(void)sig;
	(void)!write(STDERR_FILENO, cli_crash_msg, cli_crash_len);
	_exit(EXIT_FAIL);
}

static void
cli_install_crash(void)
{
	struct sigaction sa;
	char *s;
	size_t n;

	s = conv_to_locale("cxzy: 程序读取数据时崩溃，数据文件可能已损坏。"
	    "请运行“cxzy check”检查，必要时从备份恢复。\n", &n);
	if (n < sizeof cli_crash_msg) {
		memcpy(cli_crash_msg, s, n);
		cli_crash_len = n;
	}
	free(s);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_crash;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* liblmdb's own assertions abort on some damaged pages. */
	sigaction(SIGABRT, &sa, NULL);
}

static void
cli_cleanup(struct cli *c)
{
	size_t i;

	for (i = 0; i < c->ncache; i++)
		record_free(c->cache[i].rec);
	free(c->cache);
	free(c->lookup_err);
	if (c->lg_ready)
		ledger_fini(&c->lg);
	if (c->st != NULL)
		store_close(c->st);
	if (c->fs != NULL)
		formset_free(c->fs);
	free(c->program_forms);
	free(c->forms_dir);
}

/* One command's usage. */
static void
cli_command_usage(FILE *fp, const struct cli_command *cmd)
{
	cli_write(fp, "用法：cxzy [-d 数据目录] %s %s\n  %s\n"
	    "完整说明见 docs/cli.md（安装后在 /usr/share/doc/cxzy/）。\n",
	    cmd->name, cmd->args, cmd->summary);
}

/* cxzy help [CMD]. */
static int
cli_help(const char *name)
{
	size_t k;

	if (name == NULL) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	for (k = 0; k < CLI_NCOMMANDS; k++)
		if (strcmp(cli_commands[k].name, name) == 0) {
			cli_command_usage(stdout, &cli_commands[k]);
			return EXIT_OK;
		}
	cli_error("不认识的命令“%s”。请运行“cxzy help”查看全部命令。", name);
	return EXIT_USAGE;
}

/* Whether a command's arguments ask for its help (before a "--"). */
static bool
cli_wants_help(int argc, char **argv)
{
	int k;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--") == 0)
			return false;
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
			return true;
	}
	return false;
}

/* Splits every "--name=value" from index from on into "--name" "value"
 * (args is reallocated; argc grows). */
static void
cli_split_eq(char ***args, int *argc, int from)
{
	char **v = *args;
	int i, n = *argc, extra = 0;

	for (i = from; i < n; i++)
		if (strncmp(v[i], "--", 2) == 0 && v[i][2] != '\0' &&
		    strchr(v[i], '=') != NULL)
			extra++;
	if (extra == 0)
		return;
	v = xrealloc(v, ((size_t)n + (size_t)extra + 1) * sizeof *v);
	for (i = from; i < n; i++) {
		char *eq;

		if (strncmp(v[i], "--", 2) != 0 || v[i][2] == '\0' ||
		    (eq = strchr(v[i], '=')) == NULL)
			continue;
		memmove(&v[i + 2], &v[i + 1], ((size_t)n - (size_t)i - 1 + 1) *
		    sizeof *v);
		v[i + 1] = xstrdup(eq + 1);
		*eq = '\0';
		n++;
		i++;
	}
	v[n] = NULL;
	*args = v;
	*argc = n;
}

int
cli_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "ascii", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = NULL;
	struct cli c;
	char **args, *err = NULL, *datadir = NULL;
	int i, opt, nargs, rc;
	size_t k;

	memset(&c, 0, sizeof c);
	cli_install_crash();
	/* Everything past this point is UTF-8. */
	args = xcalloc((size_t)argc + 1, sizeof *args);
	for (i = 0; i < argc; i++) {
		if (conv_from_locale(argv[i], &args[i], &err) != CX_OK) {
			cli_error("第 %d 个参数：%s", i, err);
			free(err);
			for (i--; i >= 0; i--)
				free(args[i]);
			free(args);
			return EXIT_USAGE;
		}
	}
	opterr = 0;
	rc = EXIT_OK;
	while ((opt = getopt_long(argc, args, "+ad:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			c.ascii = true;
			break;
		case 'd':
			datadir = args[optind - 1];
			break;
		case 'h':
			cli_usage(stdout);
			goto done;
		case 'V':
			cli_print("cxzy（创先争优台账）%s\n"
			    "数据格式 %d；LMDB %d.%d.%d\n"
			    "Copyright (C) 2026 cxzy 的作者们\n"
			    "许可证：ISC（见 LICENSE）。这是自由软件，可以自由使用、"
			    "修改和再发布；\n不提供任何担保，在法律允许的范围内。\n",
			    PACKAGE_VERSION, STORE_FORMAT, MDB_VERSION_MAJOR,
			    MDB_VERSION_MINOR, MDB_VERSION_PATCH);
			goto done;
		default:
			if (optopt == 'd')
				cli_error("选项 --data 后面需要写数据目录。");
			else
				cli_error("不认识的选项“%s”。请运行“cxzy --help”查看用法。",
				    args[optind - 1]);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (datadir == NULL)
		datadir = getenv("CXZY_DATA");
	if (datadir == NULL || *datadir == '\0')
		datadir = "./cxzy-data";
	c.datadir = datadir;
	nargs = argc - optind;
	/* "--name=value" after the command is "--name value", as
	 * getopt_long takes it. */
	if (nargs > 1)
		cli_split_eq(&args, &argc, optind + 1);
	nargs = argc - optind;
	if (nargs > 0 && strcmp(args[optind], "help") == 0) {
		rc = cli_help(nargs > 1 ? args[optind + 1] : NULL);
		goto done;
	}
	if (nargs > 0) {
		for (k = 0; k < CLI_NCOMMANDS; k++)
			if (strcmp(cli_commands[k].name, args[optind]) == 0)
				cmd = &cli_commands[k];
		if (cmd != NULL && cli_wants_help(nargs - 1, args + optind + 1)) {
			cli_command_usage(stdout, cmd);
			rc = EXIT_OK;
			goto done;
		}
		if (cmd == NULL) {
			cli_error("不认识的命令“%s”。请运行“cxzy --help”查看用法。",
			    args[optind]);
			rc = EXIT_USAGE;
			goto done;
		}
		nargs--;
		if (nargs < cmd->min_args ||
		    (cmd->max_args >= 0 && nargs > cmd->max_args)) {
			cli_error("命令 %s 的参数不对。用法：cxzy %s %s", cmd->name,
			    cmd->name, cmd->args);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (cli_load_forms(&c, cmd) != CX_OK) {
		rc = EXIT_FAIL;
		goto done;
	}
	if ((cmd == NULL || cmd->needs == NEEDS_STORE) &&
	    cli_open_store(&c) != CX_OK) {
		rc = EXIT_FAIL;
		goto done;
	}
	if (cmd == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		struct tui_options topt;

		memset(&topt, 0, sizeof topt);
		/* Line drawing is unreliable outside UTF-8 (GB18030 terminals
		 * and relays show the raw alternate-charset letters). */
		topt.ascii = c.ascii || (getenv("CXZY_ASCII") != NULL &&
		    *getenv("CXZY_ASCII") != '\0') ||
		    !conv_codeset_is_utf8(conv_locale_codeset());
		rc = tui_main(c.datadir, c.fs, c.st, &topt);
	} else if (cmd == NULL)
		rc = cli_overview(&c);
	else
		rc = cmd->run(&c, nargs, args + optind + 1);
done:
	fflush(stdout);
	cli_cleanup(&c);
	for (i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	return rc;
}
