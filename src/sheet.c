/* sheet.c: a record printed as its paper form (docs/forms.md §18). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "record.h"
#include "sheet.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define SHEET_SEQ_WIDTH		4
#define SHEET_BOX_MIN_LINES	3
#define SHEET_BLANK_DATE	"    年    月    日"
#define SHEET_BLANK_LINE	"____________"

enum sheet_op {
	OP_TITLE, OP_HEADER, OP_PARA, OP_CENTER, OP_RIGHT, OP_TABLE, OP_LIST,
	OP_BOX, OP_SIGN, OP_SIGNRIGHT, OP_CUT, OP_PAGE
};

/* A table column: "#" (序号), or one or more fields joined by "+" (every
 * value, one per line) or "|" (the first that has a value). */
struct sheet_col {
	bool		  seq;
	char		**ids;
	size_t		  nids;
	bool		  alt;
	size_t		  width;	/* 0: the field's print width */
	char		 *label;	/* NULL: the first field's label */
};

struct sheet_item {
	enum sheet_op		 op;
	int			 line;
	char			*cond;		/* "if FIELD": only when filled */
	char			*label;		/* header, box */
	char			*text;		/* a template */
	char			*rows;		/* table, list */
	struct sheet_col	*cols;
	size_t			 ncols;
};

struct sheet {
	const struct form	*f;
	char			*about;
	size_t			 width;		/* 0: 80 */
	char			**per;
	size_t			 nper;
	char			**sort;
	size_t			 nsort;
	struct sheet_item	*items;
	size_t			 n, cap;
};

static const char *const sheet_kw[] = {
	"title", "header", "para", "center", "right", "table", "list", "box",
	"sign", "signright", "cut", "page"
};

/* ------------------------------------------------------------ parsing */

struct sparse {
	const struct form	*f;
	struct sheet		*sh;
	int			 line;
	char			**errp;
	int			 seen[4];	/* about width per sort */
};

static int
sp_error(struct sparse *P, const char *fmt, ...) CX_PRINTF(2, 3);

static int
sp_error(struct sparse *P, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	err_set(P->errp, "%s:%d: 打印版式：%s", P->f->path ? P->f->path :
	    P->f->kind, P->line, msg);
	free(msg);
	return CX_ERR;
}

/* Splits s at ASCII blanks. */
static char **
sp_split(const char *s, size_t *n)
{
	char **v = NULL, *copy = xstrdup(s), *tok, *save = NULL;
	size_t cap = 0;

	*n = 0;
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return v;
}

static bool
sp_special(const char *id)
{
	return strcmp(id, "_unit") == 0 || strcmp(id, "_today") == 0 ||
	    strcmp(id, "_period") == 0 || strcmp(id, "_due") == 0;
}

/* Checks the {field} and {field:format} references of a template. */
static int
sp_template(struct sparse *P, const char *t)
{
	const char *p = t, *close, *colon;
	char *name, *mod;
	const struct form_field *ff;
	int rc = CX_OK;

	while ((p = strchr(p, '{')) != NULL) {
		close = strchr(p, '}');
		if (close == NULL)
			return sp_error(P, "“{”没有配对的“}”。");
		name = xstrndup(p + 1, (size_t)(close - p - 1));
		mod = NULL;
		if ((colon = strchr(name, ':')) != NULL) {
			mod = xstrdup(colon + 1);
			name[colon - name] = '\0';
		}
		ff = form_field_find(P->f, name);
		if (!sp_special(name) && ff == NULL)
			rc = sp_error(P, "字段“%s”不存在（写在“{%s}”里）。", name,
			    name);
		else if (mod != NULL && strcmp(mod, "date") != 0 &&
		    strcmp(mod, "check") != 0 && strcmp(mod, "line") != 0)
			rc = sp_error(P, "不认识的格式“%s”，可用：date（日期写成"
			    "“2026年7月5日”，未填时留出“年 月 日”）、check（列出"
			    "选项并勾选）、line（未填时留出横线）。", mod);
		else if (mod != NULL && strcmp(mod, "date") == 0 &&
		    (ff == NULL || ff->type != FT_DATE) &&
		    strcmp(name, "_today") != 0 && strcmp(name, "_due") != 0)
			rc = sp_error(P, "“{%s:date}”只能用在日期字段上。", name);
		else if (mod != NULL && strcmp(mod, "check") == 0 &&
		    (ff == NULL || (ff->type != FT_ENUM &&
		    ff->type != FT_MULTIENUM && ff->type != FT_BOOL)))
			rc = sp_error(P, "“{%s:check}”只能用在单选、多选或"
			    "是否字段上。", name);
		free(name);
		free(mod);
		if (rc != CX_OK)
			return rc;
		p = close + 1;
	}
	return CX_OK;
}

/* The field a column id names in the rows a table prints. */
static const struct form_field *
sheet_col_field(const struct form *f, const struct form_field *rows,
    const char *id, const struct form **owner)
{
	*owner = f;
	if (rows == NULL)
		return form_field_find(f, id);
	if (rows->store_form != NULL) {
		*owner = rows->store_form;
		return form_field_find(rows->store_form, id);
	}
	return form_subfield_find(rows, id);
}

/* "records" in a "per" sheet, else a rows field of the form. */
static int
sp_rows(struct sparse *P, const char *id, const struct form_field **rows)
{
	const struct form_field *ff;

	*rows = NULL;
	if (strcmp(id, "records") == 0) {
		if (P->sh->nper == 0)
			return sp_error(P, "“records”只能用在写了“per”的版式里"
			    "（一页列出一组记录）。");
		return CX_OK;
	}
	ff = form_field_find(P->f, id);
	if (ff == NULL)
		return sp_error(P, "字段“%s”不存在。", id);
	if (ff->type != FT_ROWS)
		return sp_error(P, "“%s”不是多行表格。", id);
	*rows = ff;
	return CX_OK;
}

static int
sp_col(struct sparse *P, const struct form_field *rows, const char *spec,
    struct sheet_col *c)
{
	const struct form_field *ff;
	const struct form *owner;
	char *s = xstrdup(spec), *eq, *colon, *tok, *save = NULL;
	uint64_t w;
	int rc = CX_OK;

	memset(c, 0, sizeof *c);
	/* The width may also close the spec: "content=承诺事项:22". */
	if ((colon = strrchr(s, ':')) != NULL && colon[1] != '\0' &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    strchr(s, '=') != NULL && colon > strchr(s, '=')) {
		*colon = '\0';
		if (!util_parse_id(colon + 1, &w) || w < 2 || w > 200)
			rc = sp_error(P, "列“%s”的宽度应是 2 到 200 之间的列数。",
			    spec);
		c->width = (size_t)w;
	}
	if ((eq = strchr(s, '=')) != NULL) {
		*eq = '\0';
		if (eq[1] == '\0')
			rc = sp_error(P, "列“%s”的“=”后面缺少列名。", spec);
		c->label = xstrdup(eq + 1);
	}
	if (rc == CX_OK && (colon = strchr(s, ':')) != NULL && c->width == 0) {
		*colon = '\0';
		if (!util_parse_id(colon + 1, &w) || w < 2 || w > 200)
			rc = sp_error(P, "列“%s”的宽度应是 2 到 200 之间的列数。",
			    spec);
		c->width = (size_t)w;
	}
	if (rc == CX_OK && strcmp(s, "#") == 0) {
		c->seq = true;
		free(s);
		return CX_OK;
	}
	c->alt = strchr(s, '|') != NULL;
	if (rc == CX_OK && c->alt && strchr(s, '+') != NULL)
		rc = sp_error(P, "列“%s”里“+”和“|”不能混用。", spec);
	for (tok = strtok_r(s, "+|", &save); rc == CX_OK && tok != NULL;
	    tok = strtok_r(NULL, "+|", &save)) {
		ff = sheet_col_field(P->f, rows, tok, &owner);
		if (ff == NULL && rows != NULL)
			rc = sp_error(P, "多行表格“%s”没有字段“%s”。", rows->id,
			    tok);
		else if (ff == NULL)
			rc = sp_error(P, "字段“%s”不存在。", tok);
		c->ids = xrealloc(c->ids, (c->nids + 1) * sizeof *c->ids);
		c->ids[c->nids++] = xstrdup(tok);
	}
	if (rc == CX_OK && c->nids == 0)
		rc = sp_error(P, "列“%s”没有写字段名。", spec);
	free(s);
	return rc;
}

static void
sheet_item_clear(struct sheet_item *it)
{
	size_t i;

	free(it->cond);
	free(it->label);
	free(it->text);
	free(it->rows);
	for (i = 0; i < it->ncols; i++) {
		strv_free(it->cols[i].ids, it->cols[i].nids);
		free(it->cols[i].label);
	}
	free(it->cols);
}

void
sheet_free(struct sheet *sh)
{
	size_t i;

	if (sh == NULL)
		return;
	for (i = 0; i < sh->n; i++)
		sheet_item_clear(&sh->items[i]);
	free(sh->items);
	free(sh->about);
	strv_free(sh->per, sh->nper);
	strv_free(sh->sort, sh->nsort);
	free(sh);
}

static int
sp_fields(struct sparse *P, const char *kw, const char *rest, char ***v,
    size_t *n)
{
	size_t i;

	*v = sp_split(rest, n);
	if (*n == 0)
		return sp_error(P, "“%s”后面缺少字段名。", kw);
	for (i = 0; i < *n; i++) {
		const struct form_field *ff = form_field_find(P->f, (*v)[i]);

		if (ff == NULL)
			return sp_error(P, "字段“%s”不存在。", (*v)[i]);
		if (ff->type == FT_ROWS || ff->compute != NULL)
			return sp_error(P, "“%s”不能按“%s”（多行表格或计算字段）"
			    "排列或分组。", kw, ff->id);
	}
	return CX_OK;
}

/* Once-only sheet settings: about, width, per, sort. */
static int
sp_setting(struct sparse *P, int which, const char *kw, const char *rest)
{
	uint64_t w;

	if (P->seen[which] != 0)
		return sp_error(P, "“%s”重复（第 %d 行已写过）。", kw,
		    P->seen[which]);
	P->seen[which] = P->line;
	switch (which) {
	case 0:
		if (*rest == '\0')
			return sp_error(P, "“about”后面缺少说明文字。");
		P->sh->about = xstrdup(rest);
		return CX_OK;
	case 1:
		if (!util_parse_id(rest, &w) || w < 40 || w > 1000)
			return sp_error(P, "纸宽应是 40 到 1000 之间的列数（常用 "
			    "80 或 136），现为“%s”。", rest);
		P->sh->width = (size_t)w;
		return CX_OK;
	case 2:
		if (P->sh->n > 0)
			return sp_error(P, "“per”要写在版式的最前面。");
		return sp_fields(P, kw, rest, &P->sh->per, &P->sh->nper);
	default:
		return sp_fields(P, kw, rest, &P->sh->sort, &P->sh->nsort);
	}
}

static int
sp_line(struct sparse *P, char *s)
{
	struct sheet_item *it;
	const struct form_field *rows = NULL;
	char *kwend, *rest, **args = NULL, *cond = NULL;
	size_t k, nargs = 0, i;
	int rc = CX_OK;

	kwend = s + strcspn(s, " \t");
	rest = kwend + strspn(kwend, " \t");
	if (*kwend != '\0')
		*kwend = '\0';
	/* "if FIELD ITEM": the item only when FIELD has a value. */
	if (strcmp(s, "if") == 0) {
		k = strcspn(rest, " \t");
		cond = xstrndup(rest, k);
		if (*cond == '\0' || form_field_find(P->f, cond) == NULL) {
			rc = *cond == '\0' ? sp_error(P, "“if”后面缺少字段名。") :
			    sp_error(P, "字段“%s”不存在。", cond);
			free(cond);
			return rc;
		}
		s = rest + k;
		s += strspn(s, " \t");
		kwend = s + strcspn(s, " \t");
		rest = kwend + strspn(kwend, " \t");
		if (*kwend != '\0')
			*kwend = '\0';
		if (*s == '\0' || strcmp(s, "if") == 0 ||
		    strcmp(s, "about") == 0 || strcmp(s, "width") == 0 ||
		    strcmp(s, "per") == 0 || strcmp(s, "sort") == 0) {
			free(cond);
			return sp_error(P, "“if 字段”后面应是 title、para、table"
			    "等版式内容。");
		}
	}
	if (strcmp(s, "about") == 0)
		return sp_setting(P, 0, s, rest);
	if (strcmp(s, "width") == 0)
		return sp_setting(P, 1, s, rest);
	if (strcmp(s, "per") == 0)
		return sp_setting(P, 2, s, rest);
	if (strcmp(s, "sort") == 0)
		return sp_setting(P, 3, s, rest);
	for (k = 0; k < sizeof sheet_kw / sizeof sheet_kw[0]; k++)
		if (strcmp(s, sheet_kw[k]) == 0)
			break;
	if (k == sizeof sheet_kw / sizeof sheet_kw[0]) {
		free(cond);
		return sp_error(P, "未知的关键字“%s”。可用：about、width、per、"
		    "sort、if、title、header、para、center、right、table、list、"
		    "box、sign、signright、cut、page。", s);
	}
	P->sh->items = xgrow(P->sh->items, &P->sh->cap, P->sh->n + 1,
	    sizeof *P->sh->items);
	it = &P->sh->items[P->sh->n++];
	memset(it, 0, sizeof *it);
	it->cond = cond;
	it->op = (enum sheet_op)k;
	it->line = P->line;
	switch (it->op) {
	case OP_PAGE:
		if (*rest != '\0')
			return sp_error(P, "“page”后面不应有内容。");
		return CX_OK;
	case OP_CUT:
		it->text = xstrdup(rest);
		return sp_template(P, rest);
	case OP_HEADER:
	case OP_BOX:
		if (*rest == '\0')
			return sp_error(P, "“%s”后面缺少标签。", s);
		k = strcspn(rest, " \t");
		it->label = xstrndup(rest, k);
		rest += k;
		rest += strspn(rest, " \t");
		it->text = xstrdup(rest);
		if (strchr(it->label, '{') != NULL)
			return sp_error(P, "标签“%s”里不能引用字段。", it->label);
		return sp_template(P, rest);
	case OP_TABLE:
	case OP_LIST:
		args = sp_split(rest, &nargs);
		if (nargs < 2)
			rc = sp_error(P, "“%s”后面应写多行表格名和至少一列，"
			    "例如“%s items # content”。", s, s);
		if (rc == CX_OK)
			rc = sp_rows(P, args[0], &rows);
		if (rc == CX_OK && it->op == OP_LIST && nargs != 2)
			rc = sp_error(P, "“list”后面应是多行表格名和一列。");
		if (rc == CX_OK)
			it->rows = xstrdup(args[0]);
		for (i = 1; rc == CX_OK && i < nargs; i++) {
			it->cols = xrealloc(it->cols, (it->ncols + 1) *
			    sizeof *it->cols);
			rc = sp_col(P, rows, args[i], &it->cols[it->ncols++]);
		}
		strv_free(args, nargs);
		return rc;
	default:
		if (*rest == '\0' && it->op != OP_SIGN &&
		    it->op != OP_SIGNRIGHT)
			return sp_error(P, "“%s”后面缺少文字。", s);
		it->text = xstrdup(rest);
		return sp_template(P, rest);
	}
}

int
sheet_parse(const struct form *f, struct sheet **out, char **errp)
{
	struct sparse P;
	const char *s, *nl;
	char *line, *t;
	size_t n;
	int rc = CX_OK;

	*out = NULL;
	memset(&P, 0, sizeof P);
	P.f = f;
	P.errp = errp;
	P.sh = xcalloc(1, sizeof *P.sh);
	P.sh->f = f;
	P.line = f->sheet_line;
	for (s = f->sheet ? f->sheet : ""; rc == CX_OK && *s != '\0';
	    s = nl ? nl + 1 : s + n) {
		P.line++;
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		line = xstrndup(s, n);
		t = line + strspn(line, " \t");
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
		if (*t != '\0' && *t != '#')
			rc = sp_line(&P, t);
		free(line);
		n = nl ? 0 : strlen(s);
	}
	if (rc == CX_OK && P.sh->n == 0) {
		P.line = f->sheet_line;
		rc = sp_error(&P, "“sheet”与“end”之间没有任何内容。");
	}
	if (rc != CX_OK) {
		sheet_free(P.sh);
		return CX_ERR;
	}
	*out = P.sh;
	return CX_OK;
}

int
sheet_check_set(const struct formset *fs, char **errp)
{
	struct sheet *sh;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (fs->forms[i]->sheet_line == 0)
			continue;
		if (sheet_parse(fs->forms[i], &sh, errp) != CX_OK)
			return CX_ERR;
		sheet_free(sh);
	}
	return CX_OK;
}

const char *
sheet_about(const struct sheet *sh)
{
	return sh->about;
}

static const char *
sheet_period_field(const struct form *f)
{
	const struct form_field *ff = form_field_find(f, "current_period");

	if (ff != NULL && ff->type == FT_PERIOD)
		return "current_period";
	ff = form_field_find(f, "period");
	return ff != NULL && ff->type == FT_PERIOD ? "period" : NULL;
}

bool
sheet_has_period(const struct form *f)
{
	return sheet_period_field(f) != NULL;
}

bool
sheet_has_branch(const struct form *f)
{
	const struct form_field *ff = form_field_find(f, "branch_id");

	return ff != NULL && ff->type == FT_REF;
}

/* ------------------------------------------------------------ sheet_doc */

struct sheet_doc *
sheet_doc_new(const char *title, const struct report_opts *opts)
{
	struct sheet_doc *d = xcalloc(1, sizeof *d);
	struct report_opts o;

	if (opts == NULL) {
		report_opts_init(&o);
		opts = &o;
	}
	d->title = xstrdup(title ? title : "");
	d->formfeed = opts->formfeed;
	d->crlf = opts->eol == REPORT_EOL_CRLF;
	return d;
}

void
sheet_doc_add(struct sheet_doc *d, struct report *r)
{
	d->reports = xrealloc(d->reports, (d->n + 1) * sizeof *d->reports);
	d->reports[d->n++] = r;
}

void
sheet_doc_free(struct sheet_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		report_free(d->reports[i]);
	free(d->reports);
	free(d->title);
	free(d);
}

int
sheet_doc_render(struct sheet_doc *d, struct buf *out, char **errp)
{
	struct buf all, one;
	size_t i, pages = 0;
	int rc = CX_OK;

	buf_init(&all);
	buf_init(&one);
	for (i = 0; i < d->n && rc == CX_OK; i++) {
		buf_reset(&one);
		rc = report_render(d->reports[i], &one, errp);
		if (rc != CX_OK) {
			if (d->n > 1)
				err_prefix(errp, "第 %zu 份：", i + 1);
			break;
		}
		/* Between two reports, what comes between two pages: a form
		 * feed, or an empty line.  The BOM only opens the file. */
		if (i > 0) {
			const char *sep = "\f";
			unsigned char *s = (unsigned char *)one.s;
			size_t skip = 0;

			if (one.len >= 3 && s[0] == 0xef && s[1] == 0xbb &&
			    s[2] == 0xbf)
				skip = 3;
			if (!d->formfeed)
				sep = d->crlf ? "\r\n" : "\n";
			buf_addstr(&all, sep);
			buf_add(&all, one.s + skip, one.len - skip);
		} else
			buf_add(&all, one.s ? one.s : "", one.len);
		pages += report_page_count(d->reports[i]);
	}
	if (rc == CX_OK) {
		buf_add(out, all.s ? all.s : "", all.len);
		d->pages = pages;
	}
	buf_free(&all);
	buf_free(&one);
	return rc;
}

/* ------------------------------------------------------------ building */

struct sbuild {
	struct ledger		*lg;
	const struct form	*f;
	const struct sheet	*sh;
	const struct record	*rec;		/* the record, or a group's first */
	struct record		**group;	/* "per": the group's records */
	size_t			 ngroup;
	struct report		*r;
	size_t			 width;
	char			*unit;
	char			 period[32];	/* "2026年下半年" */
	char			 today[32];
	char			 due[32];
	/* A stored row's own record, read when a column is not in the row. */
	struct record		*child;
};

char *
sheet_unit_name(struct ledger *lg)
{
	const struct form *forg = formset_find(lg->fs, "org");
	uint64_t *ids = NULL;
	size_t n = 0, i;
	char *name = NULL;

	if (forg == NULL || !store_field_indexed(lg->st, forg, "type") ||
	    store_find(lg->st, forg, "type", "committee", &ids, &n, NULL) !=
	    CX_OK)
		return xstrdup("");
	for (i = 0; i < n && name == NULL; i++) {
		struct record *r = NULL;

		if (store_get(lg->st, forg, ids[i], &r, NULL) != CX_OK)
			continue;
		if (record_get(r, "name") != NULL)
			name = xstrdup(record_get(r, "name"));
		record_free(r);
	}
	free(ids);
	return name != NULL ? name : xstrdup("");
}

static bool
sb_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

static char *sb_rows_text(struct sbuild *S, const struct form *f,
    const struct form_field *ff, const struct record *rec,
    const char *rowsep);

/* How the value of field ff of rec reads on paper (parent: the record a
 * row belongs to, for computed fields in rows). */
static char *
sb_display(struct sbuild *S, const struct form *f,
    const struct form_field *ff, const struct record *rec,
    const struct record *parent, const char *rowsep)
{
	const char *v;

	if (ff->compute != NULL)
		return form_compute(ff, f, rec, parent, &S->lg->ctx);
	if (ff->type == FT_ROWS)
		return sb_rows_text(S, f, ff, rec, rowsep);
	v = record_get(rec, ff->id);
	if (sb_empty(v))
		return xstrdup("");
	return form_value_display(S->lg->fs, ff, v, ledger_lookup, S->lg);
}

/* A rows field as text: each row's values, the first then the others in
 * brackets ("张三（病假，已请假）"), or separated by spaces when the row
 * starts with a date ("2026-09-01 完成初稿"); a true 是否 value reads as
 * its label, a false one not at all. */
static char *
sb_rows_text(struct sbuild *S, const struct form *f,
    const struct form_field *ff, const struct record *rec,
    const char *rowsep)
{
	struct buf b;
	size_t i, j, n = record_nrows(rec, ff->id), nv;
	bool any_print = false;

	buf_init(&b);
	buf_addstr(&b, "");
	for (j = 0; j < ff->nsub; j++)
		if (ff->sub[j].print_width > 0)
			any_print = true;
	for (i = 0; i < n; i++) {
		const struct record *row = record_row(rec, ff->id, i);
		bool dated = ff->nsub > 0 && ff->sub[0].type == FT_DATE;

		if (i > 0)
			buf_addstr(&b, rowsep);
		for (j = 0, nv = 0; j < ff->nsub; j++) {
			const struct form_field *sf = &ff->sub[j];
			char *v;

			if (any_print && sf->print_width == 0)
				continue;
			if (sf->type == FT_BOOL) {
				const char *t = record_get(row, sf->id);

				v = xstrdup(t != NULL && strcmp(t, "1") == 0 ?
				    sf->label : "");
			} else
				v = sb_display(S, f, sf, row, rec, "、");
			if (*v != '\0') {
				if (nv > 0 && dated)
					buf_addstr(&b, " ");
				else if (nv > 0)
					buf_addstr(&b, nv == 1 ? "（" : "，");
				buf_addstr(&b, v);
				nv++;
			}
			free(v);
		}
		if (nv > 1 && !dated)
			buf_addstr(&b, "）");
	}
	return buf_take(&b);
}

/* "■同意  □退回修改": every option, the chosen ones marked. */
static char *
sb_check(const struct form_field *ff, const char *v)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addstr(&b, "");
	if (ff->type == FT_BOOL) {
		buf_addf(&b, "%s是  %s否", v && strcmp(v, "1") == 0 ? "■" : "□",
		    v && strcmp(v, "0") == 0 ? "■" : "□");
		return buf_take(&b);
	}
	for (i = 0; i < ff->nopts; i++) {
		bool on = false;

		if (v != NULL && ff->type == FT_MULTIENUM) {
			const char *p = v;
			size_t len = strlen(ff->opts[i].code);

			while (p != NULL && !on) {
				on = strncmp(p, ff->opts[i].code, len) == 0 &&
				    (p[len] == ',' || p[len] == '\0');
				p = strchr(p, ',');
				if (p != NULL)
					p++;
			}
		} else if (v != NULL)
			on = strcmp(v, ff->opts[i].code) == 0;
		buf_addf(&b, "%s%s%s", i > 0 ? "  " : "", on ? "■" : "□",
		    ff->opts[i].label);
	}
	return buf_take(&b);
}

/* The text a reference {name:mod} stands for; *filled says whether it
 * has a value (a blank date or line does not). */
static char *
sb_ref(struct sbuild *S, const char *name, const char *mod, bool *filled)
{
	const struct form_field *ff;
	const char *v = NULL;
	char *s;
	struct date d;
	char buf[32];

	*filled = true;
	if (strcmp(name, "_unit") == 0)
		return xstrdup(S->unit);
	if (strcmp(name, "_period") == 0)
		return xstrdup(S->period);
	if (strcmp(name, "_today") == 0)
		return xstrdup(S->today);
	if (strcmp(name, "_due") == 0)
		return xstrdup(S->due);
	ff = form_field_find(S->f, name);
	if (ff == NULL) {
		*filled = false;
		return xstrdup("");
	}
	if (ff->compute == NULL && ff->type != FT_ROWS)
		v = record_get(S->rec, ff->id);
	/* date, check and line print a blank to fill in by hand: they
	 * count as something to print. */
	if (mod != NULL && strcmp(mod, "date") == 0) {
		if (sb_empty(v) || date_parse(v, &d, NULL) != CX_OK)
			return xstrdup(SHEET_BLANK_DATE);
		date_format_cn(&d, buf);
		return xstrdup(buf);
	}
	if (mod != NULL && strcmp(mod, "check") == 0)
		return sb_check(ff, v);
	s = sb_display(S, S->f, ff, S->rec, NULL, "、");
	if (*s == '\0' && mod != NULL && strcmp(mod, "line") == 0) {
		free(s);
		return xstrdup(SHEET_BLANK_LINE);
	}
	if (*s == '\0')
		*filled = false;
	return s;
}

/* Expands a template: {field} and {field:mod} by their text, "\n" by a
 * line break.  *refs counts the references, *filled those with a
 * value. */
static char *
sb_expand(struct sbuild *S, const char *t, size_t *refs, size_t *filled)
{
	struct buf b;
	const char *p = t, *close;
	char *name, *mod, *v;
	bool got;

	buf_init(&b);
	buf_addstr(&b, "");
	*refs = *filled = 0;
	while (*p != '\0') {
		if (p[0] == '\\' && p[1] == 'n') {
			buf_addc(&b, '\n');
			p += 2;
			continue;
		}
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_addc(&b, *p++);
			continue;
		}
		name = xstrndup(p + 1, (size_t)(close - p - 1));
		mod = strchr(name, ':');
		if (mod != NULL)
			*mod++ = '\0';
		v = sb_ref(S, name, mod, &got);
		buf_addstr(&b, v);
		(*refs)++;
		if (got)
			(*filled)++;
		free(v);
		free(name);
		p = close + 1;
	}
	return buf_take(&b);
}

/* A template that names fields and finds none of them filled has
 * nothing to say: NULL. */
static char *
sb_expand_opt(struct sbuild *S, const char *t)
{
	size_t refs, filled;
	char *s = sb_expand(S, t, &refs, &filled);

	if (refs > 0 && filled == 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* Lines wrapped to width - indent, each padded as align asks (the first
 * prefixed by lead, the others by as many spaces), joined by "\n": a
 * paragraph the engine keeps as it is. */
static char *
sb_shape(const char *s, size_t width, enum text_align align,
    const char *lead)
{
	size_t lw = lead ? text_width(lead, TEXT_PRINT) : 0, i, n;
	char **v = text_wrap(s, width - lw, TEXT_PRINT, &n);
	struct buf b;

	buf_init(&b);
	buf_addstr(&b, "");
	for (i = 0; i < n; i++) {
		char *p = align == TEXT_LEFT ? xstrdup(v[i]) :
		    text_pad(v[i], width - lw, align, TEXT_PRINT);

		if (i > 0)
			buf_addc(&b, '\n');
		if (i == 0 && lw > 0)
			buf_addstr(&b, lead);
		else if (lw > 0)
			buf_addf(&b, "%*s", (int)lw, "");
		buf_addstr(&b, p);
		free(p);
	}
	text_lines_free(v);
	return buf_take(&b);
}

/* ----- tables */

static bool
sb_right(const struct form_field *ff)
{
	return ff->type == FT_INT || (ff->compute != NULL &&
	    (ff->format == FMT_INT || ff->format == FMT_PERCENT ||
	    ff->format == FMT_DECIMAL));
}

/* The value of field id for row i of the table: a row of a rows field
 * (rows != NULL) of S->rec, or the group's record i. */
static char *
sb_cell_value(struct sbuild *S, const struct form_field *rows,
    const struct record *row, const char *id)
{
	const struct form *owner;
	const struct form_field *ff = sheet_col_field(S->f, rows, id, &owner);
	uint64_t cid;

	if (ff == NULL)
		return xstrdup("");
	if (rows == NULL)
		return sb_display(S, S->f, ff, row, NULL, "\n");
	if (rows->store_form == NULL)
		return sb_display(S, S->f, ff, row, S->rec, "\n");
	/* A stored row holds the table's columns; anything else is read
	 * from the row's own record. */
	if (ff->compute == NULL && ff->type != FT_ROWS &&
	    record_find(row, id) != NULL)
		return sb_display(S, owner, ff, row, NULL, "\n");
	if (S->child == NULL) {
		const char *sid = record_get(row, "_id");

		if (sid == NULL || !util_parse_id(sid, &cid) ||
		    store_get(S->lg->st, owner, cid, &S->child, NULL) != CX_OK) {
			S->child = NULL;
			return xstrdup("");
		}
	}
	return sb_display(S, owner, ff, S->child, NULL, "\n");
}

static char *
sb_cell(struct sbuild *S, const struct form_field *rows,
    const struct record *row, const struct sheet_col *c, size_t i)
{
	struct buf b;
	size_t k, nv = 0;

	if (c->seq)
		return xasprintf("%zu", i + 1);
	buf_init(&b);
	buf_addstr(&b, "");
	for (k = 0; k < c->nids; k++) {
		char *v = sb_cell_value(S, rows, row, c->ids[k]);

		if (*v != '\0' && (!c->alt || nv == 0)) {
			if (nv++ > 0)
				buf_addc(&b, '\n');
			buf_addstr(&b, v);
		}
		free(v);
	}
	return buf_take(&b);
}

static void
sb_table(struct sbuild *S, const struct sheet_item *it)
{
	const struct form_field *rows = NULL, *ff;
	const struct form *owner;
	struct report_col *cols;
	char **cells;
	size_t i, j, n;

	if (strcmp(it->rows, "records") != 0)
		rows = form_field_find(S->f, it->rows);
	cols = xcalloc(it->ncols, sizeof *cols);
	for (j = 0; j < it->ncols; j++) {
		const struct sheet_col *c = &it->cols[j];

		if (c->seq) {
			cols[j].label = c->label ? c->label : "序号";
			cols[j].width = c->width ? c->width : SHEET_SEQ_WIDTH;
			cols[j].align = TEXT_RIGHT;
			continue;
		}
		ff = sheet_col_field(S->f, rows, c->ids[0], &owner);
		cols[j].label = c->label ? c->label : ff->label;
		cols[j].width = c->width;
		for (i = 0; cols[j].width == 0 && i < c->nids; i++) {
			ff = sheet_col_field(S->f, rows, c->ids[i], &owner);
			if (ff != NULL && (size_t)ff->print_width > cols[j].width)
				cols[j].width = (size_t)ff->print_width;
		}
		if (cols[j].width == 0)
			cols[j].width = text_width(cols[j].label, TEXT_PRINT);
		ff = sheet_col_field(S->f, rows, c->ids[0], &owner);
		cols[j].align = c->nids == 1 && ff != NULL && sb_right(ff) ?
		    TEXT_RIGHT : TEXT_LEFT;
	}
	report_table_begin(S->r, it->ncols, cols);
	n = rows != NULL ? record_nrows(S->rec, rows->id) : S->ngroup;
	cells = xcalloc(it->ncols, sizeof *cells);
	for (i = 0; i < n; i++) {
		const struct record *row = rows != NULL ?
		    record_row(S->rec, rows->id, i) : S->group[i];

		for (j = 0; j < it->ncols; j++)
			cells[j] = sb_cell(S, rows, row, &it->cols[j], i);
		report_table_row(S->r, (const char *const *)cells);
		for (j = 0; j < it->ncols; j++)
			free(cells[j]);
		record_free(S->child);
		S->child = NULL;
	}
	free(cells);
	free(cols);
	report_table_end(S->r);
}

/* Numbered paragraphs, one per row: "1. 文字", continued lines
 * indented under the text. */
static void
sb_list(struct sbuild *S, const struct sheet_item *it)
{
	const struct form_field *rows = NULL;
	size_t i, n;
	struct buf b;

	if (strcmp(it->rows, "records") != 0)
		rows = form_field_find(S->f, it->rows);
	n = rows != NULL ? record_nrows(S->rec, rows->id) : S->ngroup;
	if (n == 0)
		return;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		const struct record *row = rows != NULL ?
		    record_row(S->rec, rows->id, i) : S->group[i];
		char *v = sb_cell(S, rows, row, &it->cols[0], i);
		char *lead = xasprintf("%zu. ", i + 1);
		char *p = sb_shape(v, S->width, TEXT_LEFT, lead);

		if (i > 0)
			buf_addc(&b, '\n');
		buf_addstr(&b, p);
		free(p);
		free(lead);
		free(v);
		record_free(S->child);
		S->child = NULL;
	}
	report_paragraph(S->r, b.s);
	buf_free(&b);
}

/* A box: a one-column table headed by the label, as wide as the page,
 * with at least a few lines to write in.  Each line of the text that
 * names only empty fields is left out. */
static void
sb_box(struct sbuild *S, const struct sheet_item *it)
{
	struct report_col col;
	struct buf b;
	const char *p = it->text, *e;
	char *line, *v;
	size_t nl = 0;

	buf_init(&b);
	buf_addstr(&b, "");
	while (*p != '\0') {
		e = strstr(p, "\\n");
		line = xstrndup(p, e ? (size_t)(e - p) : strlen(p));
		v = sb_expand_opt(S, line);
		if (v != NULL) {
			if (nl++ > 0)
				buf_addc(&b, '\n');
			buf_addstr(&b, v);
			free(v);
		}
		free(line);
		p = e ? e + 2 : p + strlen(p);
	}
	for (nl = 1, p = b.s; (p = strchr(p, '\n')) != NULL; p++)
		nl++;
	for (; nl < SHEET_BOX_MIN_LINES; nl++)
		buf_addc(&b, '\n');
	col.label = it->label;
	col.width = S->width - 4;
	col.align = TEXT_LEFT;
	report_table_begin(S->r, 1, &col);
	{
		const char *cell = b.s;

		report_table_row(S->r, &cell);
	}
	report_table_end(S->r);
	buf_free(&b);
}

/* "------------ 沿此线剪开 ------------" across the page. */
static void
sb_cut(struct sbuild *S, const struct sheet_item *it)
{
	size_t refs, filled, tw, left, right;
	char *t = sb_expand(S, it->text, &refs, &filled);

	tw = *t != '\0' ? text_width(t, TEXT_PRINT) + 2 : 0;
	if (tw + 8 > S->width) {
		free(t);
		t = xstrdup("");
		tw = 0;
	}
	left = (S->width - tw) / 2;
	right = S->width - tw - left;
	{
		struct buf b;
		size_t i;

		buf_init(&b);
		for (i = 0; i < left; i++)
			buf_addc(&b, '-');
		if (tw > 0)
			buf_addf(&b, " %s ", t);
		for (i = 0; i < right; i++)
			buf_addc(&b, '-');
		report_paragraph(S->r, b.s);
		buf_free(&b);
	}
	free(t);
}

/* Whether field id of the record has a value (rows: a row; computed:
 * a non-empty result). */
static bool
sb_filled(struct sbuild *S, const char *id)
{
	const struct form_field *ff = form_field_find(S->f, id);
	char *v;
	bool yes;

	if (ff == NULL)
		return false;
	if (ff->type == FT_ROWS)
		return record_nrows(S->rec, id) > 0;
	if (ff->compute == NULL)
		return !sb_empty(record_get(S->rec, id));
	v = form_compute(ff, S->f, S->rec, NULL, &S->lg->ctx);
	yes = *v != '\0';
	free(v);
	return yes;
}

static void
sb_items(struct sbuild *S)
{
	const struct sheet *sh = S->sh;
	size_t i, refs, filled;
	char *v, *p;

	for (i = 0; i < sh->n; i++) {
		const struct sheet_item *it = &sh->items[i];

		if (it->cond != NULL && !sb_filled(S, it->cond))
			continue;
		switch (it->op) {
		case OP_TITLE:
			v = sb_expand(S, it->text, &refs, &filled);
			report_title(S->r, v);
			free(v);
			break;
		case OP_HEADER:
			v = sb_expand(S, it->text, &refs, &filled);
			report_header(S->r, it->label, v);
			free(v);
			break;
		case OP_PARA:
		case OP_CENTER:
		case OP_RIGHT:
			if ((v = sb_expand_opt(S, it->text)) == NULL)
				break;
			if (it->op == OP_PARA)
				report_paragraph(S->r, v);
			else {
				p = sb_shape(v, S->width, it->op == OP_CENTER ?
				    TEXT_CENTER : TEXT_RIGHT, NULL);
				report_paragraph(S->r, p);
				free(p);
			}
			free(v);
			break;
		case OP_SIGN:
		case OP_SIGNRIGHT:
			v = sb_expand(S, it->text, &refs, &filled);
			if (it->op == OP_SIGNRIGHT) {
				/* Flush right, short of the edge by a margin. */
				p = sb_shape(v, S->width - 4, TEXT_RIGHT, NULL);
				free(v);
				v = p;
			}
			report_signature(S->r, v);
			free(v);
			break;
		case OP_TABLE:
			sb_table(S, it);
			break;
		case OP_LIST:
			sb_list(S, it);
			break;
		case OP_BOX:
			sb_box(S, it);
			break;
		case OP_CUT:
			sb_cut(S, it);
			break;
		case OP_PAGE:
			report_page_break(S->r);
			break;
		}
	}
}

/* ----- choosing the records */

/* The sheet qsort() compares by (sheet_build() is not reentrant in this
 * one respect; the front ends build one printout at a time). */
static const struct sheet *sb_sort_sheet;

/* Values in natural order: runs of digits compare as numbers, so that
 * ids, "branch_pledge:9" and "branch_pledge:10" sort as people expect. */
static int
sb_cmp_value(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	while (*a != '\0' && *b != '\0') {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			size_t na, nb;
			int c;

			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			na = strspn(a, "0123456789");
			nb = strspn(b, "0123456789");
			if (na != nb)
				return na < nb ? -1 : 1;
			if ((c = memcmp(a, b, na)) != 0)
				return c < 0 ? -1 : 1;
			a += na;
			b += nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a != '\0' ? 1 : *b != '\0' ? -1 : 0;
}

static int
sb_cmp(const void *pa, const void *pb)
{
	const struct record *a = *(struct record *const *)pa;
	const struct record *b = *(struct record *const *)pb;
	const struct sheet *sh = sb_sort_sheet;
	size_t i;
	int c;

	for (i = 0; i < sh->nper; i++)
		if ((c = sb_cmp_value(record_get(a, sh->per[i]),
		    record_get(b, sh->per[i]))) != 0)
			return c;
	for (i = 0; i < sh->nsort; i++)
		if ((c = sb_cmp_value(record_get(a, sh->sort[i]),
		    record_get(b, sh->sort[i]))) != 0)
			return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

static bool
sb_same_group(const struct sheet *sh, const struct record *a,
    const struct record *b)
{
	size_t i;

	for (i = 0; i < sh->nper; i++)
		if (sb_cmp_value(record_get(a, sh->per[i]),
		    record_get(b, sh->per[i])) != 0)
			return false;
	return true;
}

struct sb_collect {
	const char	*pfield, *pvalue, *branch;
	struct record	**v;
	size_t		 n, cap;
};

static int
sb_collect(void *arg, const struct form *f, const struct record *rec)
{
	struct sb_collect *c = arg;
	const char *v;

	(void)f;
	if (c->pfield != NULL && ((v = record_get(rec, c->pfield)) == NULL ||
	    strcmp(v, c->pvalue) != 0))
		return 0;
	if (c->branch != NULL && ((v = record_get(rec, "branch_id")) == NULL ||
	    strcmp(v, c->branch) != 0))
		return 0;
	c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = record_copy(rec);
	return 0;
}

/* The records of f in the period and branch, sorted. */
static int
sb_select(struct ledger *lg, const struct form *f, const char *pcode,
    const char *branch, struct sb_collect *c, char **errp)
{
	uint64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	memset(c, 0, sizeof *c);
	c->pfield = sheet_period_field(f);
	c->pvalue = pcode;
	c->branch = branch;
	if (c->pfield == NULL || !store_field_indexed(lg->st, f, c->pfield))
		return store_foreach(lg->st, f, sb_collect, c, errp);
	if (store_find(lg->st, f, c->pfield, pcode, &ids, &n, errp) != CX_OK)
		return CX_ERR;
	for (i = 0; i < n; i++) {
		struct record *r = NULL;

		rc = store_get(lg->st, f, ids[i], &r, errp);
		if (rc == CX_NOTFOUND)
			continue;
		if (rc != CX_OK) {
			free(ids);
			return CX_ERR;
		}
		sb_collect(c, f, r);
		record_free(r);
	}
	free(ids);
	return CX_OK;
}

int
sheet_build(struct ledger *lg, const struct form *f,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp)
{
	struct sheet *sh = NULL;
	struct sbuild S;
	struct sb_collect c;
	struct report_opts o;
	struct period per;
	struct date today, due;
	char code[16];
	size_t i, j;
	int rc = CX_ERR;

	*out = NULL;
	memset(&c, 0, sizeof c);
	if (f->sheet_line == 0)
		return err_set(errp, "%s没有打印版式（表单文件里没有“sheet”）。",
		    f->label);
	if (branch != NULL && !sheet_has_branch(f))
		return err_set(errp, "%s不能按党支部分开打印。", f->label);
	if (sheet_parse(f, &sh, errp) != CX_OK)
		return CX_ERR;
	if (p != NULL)
		per = *p;
	else
		ledger_current_period(lg, &per);
	model_period_code(&per, code);
	memset(&S, 0, sizeof S);
	S.lg = lg;
	S.f = f;
	S.sh = sh;
	S.unit = sheet_unit_name(lg);
	model_period_label(&per, S.period);
	model_today(&today);
	date_format_cn(&today, S.today);
	model_period_due(&per, &due);
	date_format_cn(&due, S.due);
	if (opts != NULL)
		o = *opts;
	else
		report_opts_init(&o);
	if (!width_given)
		o.width = sh->width ? sh->width : 80;
	S.width = o.width;
	if (sb_select(lg, f, code, branch, &c, errp) != CX_OK)
		goto out;
	if (c.n == 0) {
		char *bname = NULL;

		if (branch != NULL) {
			const struct form_field *bf = form_field_find(f,
			    "branch_id");

			bname = form_value_display(lg->fs, bf, branch,
			    ledger_lookup, lg);
		}
		err_set(errp, "%s没有%s%s%s。", sheet_has_period(f) ?
		    S.period : "", bname ? bname : "", bname ? "的" : "",
		    f->label);
		free(bname);
		rc = CX_NOTFOUND;
		goto out;
	}
	sb_sort_sheet = sh;
	qsort(c.v, c.n, sizeof *c.v, sb_cmp);
	*out = sheet_doc_new(f->label, &o);
	for (i = 0; i < c.n; i = j) {
		struct record *full = NULL;

		for (j = i + 1; sh->nper > 0 && j < c.n &&
		    sb_same_group(sh, c.v[i], c.v[j]); j++)
			;
		if (sh->nper == 0) {
			if (ledger_get(lg, f, c.v[i]->id, &full, errp) != CX_OK)
				goto fail;
			S.rec = full;
		} else {
			S.rec = c.v[i];
			S.group = c.v + i;
			S.ngroup = j - i;
		}
		S.r = report_new(&o);
		sb_items(&S);
		sheet_doc_add(*out, S.r);
		S.r = NULL;
		record_free(full);
	}
	rc = CX_OK;
	goto out;
fail:
	sheet_doc_free(*out);
	*out = NULL;
out:
	for (i = 0; i < c.n; i++)
		record_free(c.v[i]);
	free(c.v);
	free(S.unit);
	sheet_free(sh);
	return rc;
}
