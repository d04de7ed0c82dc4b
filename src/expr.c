/* expr.c: the expression language of form checks and computed fields.
 *
 * A recursive-descent parser builds a small tree; the binder checks names
 * against the form once it is complete; the evaluator walks the tree for
 * one record.  Values never own memory: strings point into the record,
 * the expression or the settings, so evaluation allocates nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "formdef.h"
#include "record.h"
#include "text.h"
#include "util.h"

#define EXPR_DEPTH_MAX	64	/* nesting while parsing */
#define EXPR_EVAL_MAX	16	/* computed fields naming computed fields */
#define EXPR_DAYS_MAX	100000.0 /* days added to a date (about 270 years) */

enum expr_op {
	OP_NUM, OP_STR, OP_NAME, OP_TODAY, OP_TRUE, OP_FALSE, OP_CALL,
	OP_NEG, OP_NOT, OP_AND, OP_OR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV
};

enum expr_fn {
	FN_COUNT, FN_SUM, FN_HAS, FN_IF, FN_MIN, FN_MAX, FN_START, FN_END,
	FN_SETTING
};

static const char *const fn_names[] = {
	"count", "sum", "has", "if", "min", "max", "start", "end", "setting"
};

struct expr {
	enum expr_op	  op;
	int		  col;		/* 1-based character column */
	double		  num;		/* OP_NUM */
	char		 *str;		/* OP_STR text, OP_NAME name */
	enum expr_fn	  fn;		/* OP_CALL */
	struct expr	**args;		/* operands or call arguments */
	size_t		  nargs;
};

/* ------------------------------------------------------------------ */
/* Lexer                                                                */
/* ------------------------------------------------------------------ */

enum tok_type { T_END, T_NUM, T_STR, T_IDENT, T_SYM };

struct lexer {
	const char	*text;
	size_t		 pos;		/* byte offset of the next token */
	enum tok_type	 type;
	size_t		 start;		/* byte offset of this token */
	size_t		 len;
	double		 num;
	char		**errp;
	int		 depth;
};

static const char *const symbols[] = {
	"!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ","
};

/* The 1-based column (in characters) of byte offset off. */
static int
lex_col(const struct lexer *lx, size_t off)
{
	size_t i;
	int col = 1;

	for (i = 0; i < off && lx->text[i] != '\0'; i++)
		if (((unsigned char)lx->text[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static int lex_error(struct lexer *lx, size_t off, const char *fmt, ...)
    CX_PRINTF(3, 4);

static int
lex_error(struct lexer *lx, size_t off, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	err_set(lx->errp, "第%d个字符：%s", lex_col(lx, off), msg);
	free(msg);
	return CX_ERR;
}

static bool
lex_is_ident(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/* Reads the next token; the ideographic space counts as blank. */
static int
lex_next(struct lexer *lx)
{
	const char *s = lx->text;
	size_t p = lx->pos, i;
	uint32_t uc;
	int n;

	for (;;) {
		if (s[p] == ' ' || s[p] == '\t')
			p++;
		else if (strncmp(s + p, "\xe3\x80\x80", 3) == 0)
			p += 3;
		else
			break;
	}
	lx->start = p;
	if (s[p] == '\0') {
		lx->type = T_END;
		lx->len = 0;
		lx->pos = p;
		return CX_OK;
	}
	if (s[p] >= '0' && s[p] <= '9') {
		size_t q = p;
		double v = 0, scale = 1;

		while (s[q] >= '0' && s[q] <= '9')
			v = v * 10 + (s[q++] - '0');
		if (s[q] == '.') {
			q++;
			if (s[q] < '0' || s[q] > '9')
				return lex_error(lx, p, "数字写得不完整"
				    "（小数点后面要有数字）。");
			while (s[q] >= '0' && s[q] <= '9') {
				scale /= 10;
				v += (s[q++] - '0') * scale;
			}
		}
		if (lex_is_ident(s[q], false))
			return lex_error(lx, p, "数字后面不能紧跟字母。");
		lx->type = T_NUM;
		lx->num = v;
		lx->len = q - p;
		lx->pos = q;
		return CX_OK;
	}
	if (lex_is_ident(s[p], true)) {
		size_t q = p;

		while (lex_is_ident(s[q], false))
			q++;
		lx->type = T_IDENT;
		lx->len = q - p;
		lx->pos = q;
		return CX_OK;
	}
	if (s[p] == '"') {
		const char *e = strchr(s + p + 1, '"');

		if (e == NULL)
			return lex_error(lx, p, "字符串缺少右引号。");
		lx->type = T_STR;
		lx->len = (size_t)(e - (s + p)) + 1;
		lx->pos = p + lx->len;
		return CX_OK;
	}
	for (i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		size_t l = strlen(symbols[i]);

		if (strncmp(s + p, symbols[i], l) == 0) {
			lx->type = T_SYM;
			lx->len = l;
			lx->pos = p + l;
			return CX_OK;
		}
	}
	n = text_utf8_decode(s + p, &uc);
	if (n <= 0)
		n = 1;
	{
		char *bad = xstrndup(s + p, (size_t)n);
		int rc;

		rc = lex_error(lx, p, "不认识的符号“%s”。", bad);
		free(bad);
		return rc;
	}
}

static bool
lex_is(const struct lexer *lx, const char *sym)
{
	return (lx->type == T_SYM || lx->type == T_IDENT) &&
	    lx->len == strlen(sym) &&
	    strncmp(lx->text + lx->start, sym, lx->len) == 0;
}

/* ------------------------------------------------------------------ */
/* Parser                                                               */
/* ------------------------------------------------------------------ */

void
expr_free(struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nargs; i++)
		expr_free(e->args[i]);
	free(e->args);
	free(e->str);
	free(e);
}

static struct expr *
node_new(enum expr_op op, const struct lexer *lx)
{
	struct expr *e = xcalloc(1, sizeof *e);

	e->op = op;
	e->col = lex_col(lx, lx->start);
	return e;
}

static void
node_add(struct expr *e, struct expr *arg)
{
	e->args = xrealloc(e->args, (e->nargs + 1) * sizeof *e->args);
	e->args[e->nargs++] = arg;
}

static struct expr *
node_binary(enum expr_op op, int col, struct expr *l, struct expr *r)
{
	struct expr *e = xcalloc(1, sizeof *e);

	e->op = op;
	e->col = col;
	node_add(e, l);
	node_add(e, r);
	return e;
}

static int parse_or(struct lexer *lx, struct expr **out);

/* What the current token reads as in a message. */
static char *
lex_text(const struct lexer *lx)
{
	if (lx->type == T_END)
		return xstrdup("");
	return xstrndup(lx->text + lx->start, lx->len);
}

static int
parse_expect_operand(struct lexer *lx)
{
	char *t;
	int rc;

	if (lx->type == T_END)
		return lex_error(lx, lx->start, "表达式不完整，缺少数值或"
		    "字段名。");
	t = lex_text(lx);
	rc = lex_error(lx, lx->start, "这里应是数值、字段名或“(”，不应是"
	    "“%s”。", t);
	free(t);
	return rc;
}

/* Checks the shape of a call's arguments, which does not depend on the
 * form: how many, and which must be names or quoted strings. */
static int
parse_call_shape(struct lexer *lx, struct expr *e, size_t off)
{
	size_t n = e->nargs, i;

	switch (e->fn) {
	case FN_COUNT:
		if ((n != 1 && n < 3) || e->args[0]->op != OP_NAME ||
		    (n >= 3 && e->args[1]->op != OP_NAME))
			return lex_error(lx, off, "count() 的参数应是表格，或"
			    "表格、字段和至少一个带引号的代码，例如 count(items, "
			    "kind, \"fact\")。");
		for (i = 2; i < n; i++)
			if (e->args[i]->op != OP_STR)
				return lex_error(lx, off, "count() 的代码要"
				    "带引号，例如 \"fact\"。");
		break;
	case FN_SUM:
		if (n != 2 || e->args[0]->op != OP_NAME ||
		    e->args[1]->op != OP_NAME)
			return lex_error(lx, off, "sum() 的参数应是表格和字段，"
			    "例如 sum(votes, yes)。");
		break;
	case FN_HAS:
	case FN_START:
	case FN_END:
		if (n != 1)
			return lex_error(lx, off, "%s() 要有 1 个参数。",
			    fn_names[e->fn]);
		break;
	case FN_MIN:
	case FN_MAX:
		if (n != 2)
			return lex_error(lx, off, "%s() 要有 2 个参数。",
			    fn_names[e->fn]);
		break;
	case FN_IF:
		if (n != 3)
			return lex_error(lx, off, "if() 要有 3 个参数：条件、"
			    "成立时的值、不成立时的值。");
		break;
	case FN_SETTING:
		if (n != 1 || e->args[0]->op != OP_STR)
			return lex_error(lx, off, "setting() 的参数应是带引号的"
			    "设置名，例如 setting(\"min_fact_pledges\")。");
		break;
	}
	return CX_OK;
}

static int
parse_call(struct lexer *lx, struct expr *e, size_t name_off)
{
	struct expr *arg;

	if (lex_next(lx) != CX_OK)	/* past "(" */
		return CX_ERR;
	if (!lex_is(lx, ")")) {
		for (;;) {
			arg = NULL;
			if (parse_or(lx, &arg) != CX_OK) {
				expr_free(arg);
				return CX_ERR;
			}
			node_add(e, arg);
			if (!lex_is(lx, ","))
				break;
			if (lex_next(lx) != CX_OK)
				return CX_ERR;
		}
	}
	if (!lex_is(lx, ")"))
		return lex_error(lx, lx->start, "缺少右括号。");
	if (parse_call_shape(lx, e, name_off) != CX_OK)
		return CX_ERR;
	return lex_next(lx);
}

static int
parse_atom(struct lexer *lx, struct expr **out)
{
	struct expr *e;
	size_t i, off;

	*out = NULL;
	if (lx->type == T_NUM) {
		e = node_new(OP_NUM, lx);
		e->num = lx->num;
		*out = e;
		return lex_next(lx);
	}
	if (lx->type == T_STR) {
		e = node_new(OP_STR, lx);
		e->str = xstrndup(lx->text + lx->start + 1, lx->len - 2);
		*out = e;
		return lex_next(lx);
	}
	if (lex_is(lx, "(")) {
		off = lx->start;
		if (lex_next(lx) != CX_OK || parse_or(lx, out) != CX_OK)
			return CX_ERR;
		if (!lex_is(lx, ")"))
			return lex_error(lx, lx->start, "缺少右括号"
			    "（与第%d个字符的左括号配对）。", lex_col(lx, off));
		return lex_next(lx);
	}
	if (lx->type != T_IDENT || lex_is(lx, "and") || lex_is(lx, "or") ||
	    lex_is(lx, "not"))
		return parse_expect_operand(lx);

	off = lx->start;
	e = node_new(OP_NAME, lx);
	e->str = xstrndup(lx->text + lx->start, lx->len);
	*out = e;
	if (lex_next(lx) != CX_OK)
		return CX_ERR;
	if (lex_is(lx, "(")) {
		for (i = 0; i < sizeof fn_names / sizeof fn_names[0]; i++)
			if (strcmp(e->str, fn_names[i]) == 0)
				break;
		if (i == sizeof fn_names / sizeof fn_names[0])
			return lex_error(lx, off, "未知的函数“%s”。可用的函数："
			    "count、sum、has、if、min、max、start、end、"
			    "setting。", e->str);
		e->op = OP_CALL;
		e->fn = (enum expr_fn)i;
		return parse_call(lx, e, off);
	}
	if (strcmp(e->str, "today") == 0)
		e->op = OP_TODAY;
	else if (strcmp(e->str, "true") == 0)
		e->op = OP_TRUE;
	else if (strcmp(e->str, "false") == 0)
		e->op = OP_FALSE;
	return CX_OK;
}

/* A node with one operand slot, filled by the caller. */
static struct expr *
node_unary(enum expr_op op, const struct lexer *lx)
{
	struct expr *e = node_new(op, lx);

	e->args = xcalloc(1, sizeof *e->args);
	e->nargs = 1;
	return e;
}

static int
parse_unary(struct lexer *lx, struct expr **out)
{
	struct expr *e;

	*out = NULL;
	if (++lx->depth > EXPR_DEPTH_MAX)
		return lex_error(lx, lx->start, "括号或运算嵌套太深。");
	if (lex_is(lx, "-")) {
		e = node_unary(OP_NEG, lx);
		*out = e;
		if (lex_next(lx) != CX_OK ||
		    parse_unary(lx, &e->args[0]) != CX_OK)
			return CX_ERR;
	} else if (parse_atom(lx, out) != CX_OK)
		return CX_ERR;
	lx->depth--;
	return CX_OK;
}

/* One level of left-associative binary operators. */
struct binlevel {
	const char	*sym[2];
	enum expr_op	 op[2];
	int		(*next)(struct lexer *, struct expr **);
};

static int
parse_binary(struct lexer *lx, const struct binlevel *lv, struct expr **out)
{
	struct expr *r;
	int i, col, rc;

	if (lv->next(lx, out) != CX_OK)
		return CX_ERR;
	for (;;) {
		for (i = 0; i < 2 && lv->sym[i] != NULL; i++)
			if (lex_is(lx, lv->sym[i]))
				break;
		if (i == 2 || lv->sym[i] == NULL)
			return CX_OK;
		col = lex_col(lx, lx->start);
		if (lex_next(lx) != CX_OK)
			return CX_ERR;
		r = NULL;
		rc = lv->next(lx, &r);
		*out = node_binary(lv->op[i], col, *out, r);
		if (rc != CX_OK)
			return CX_ERR;
	}
}

static int
parse_prod(struct lexer *lx, struct expr **out)
{
	static const struct binlevel lv = { { "*", "/" },
	    { OP_MUL, OP_DIV }, parse_unary };

	return parse_binary(lx, &lv, out);
}

static int
parse_sum(struct lexer *lx, struct expr **out)
{
	static const struct binlevel lv = { { "+", "-" },
	    { OP_ADD, OP_SUB }, parse_prod };

	return parse_binary(lx, &lv, out);
}

static int
parse_cmp(struct lexer *lx, struct expr **out)
{
	static const char *const syms[] = { "=", "!=", "<", "<=", ">", ">=" };
	static const enum expr_op ops[] = { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT,
	    OP_GE };
	struct expr *r = NULL;
	size_t i;
	int col, rc;

	if (parse_sum(lx, out) != CX_OK)
		return CX_ERR;
	for (i = 0; i < sizeof syms / sizeof syms[0]; i++)
		if (lx->type == T_SYM && lex_is(lx, syms[i]))
			break;
	if (i == sizeof syms / sizeof syms[0])
		return CX_OK;
	col = lex_col(lx, lx->start);
	if (lex_next(lx) != CX_OK)
		return CX_ERR;
	rc = parse_sum(lx, &r);
	*out = node_binary(ops[i], col, *out, r);
	return rc;
}

static int
parse_not(struct lexer *lx, struct expr **out)
{
	struct expr *e;

	*out = NULL;
	if (lx->type != T_IDENT || !lex_is(lx, "not"))
		return parse_cmp(lx, out);
	if (++lx->depth > EXPR_DEPTH_MAX)
		return lex_error(lx, lx->start, "括号或运算嵌套太深。");
	e = node_unary(OP_NOT, lx);
	*out = e;
	if (lex_next(lx) != CX_OK || parse_cmp(lx, &e->args[0]) != CX_OK)
		return CX_ERR;
	lx->depth--;
	return CX_OK;
}

static int
parse_and(struct lexer *lx, struct expr **out)
{
	static const struct binlevel lv = { { "and", NULL },
	    { OP_AND, OP_AND }, parse_not };

	return parse_binary(lx, &lv, out);
}

static int
parse_or(struct lexer *lx, struct expr **out)
{
	static const struct binlevel lv = { { "or", NULL },
	    { OP_OR, OP_OR }, parse_and };
	int rc;

	if (++lx->depth > EXPR_DEPTH_MAX) {
		*out = NULL;
		return lex_error(lx, lx->start, "括号或运算嵌套太深。");
	}
	rc = parse_binary(lx, &lv, out);
	if (rc == CX_OK)
		lx->depth--;
	return rc;
}

int
expr_parse(const char *text, struct expr **out, char **errp)
{
	struct lexer lx;
	struct expr *e = NULL;
	char *t;

	*out = NULL;
	memset(&lx, 0, sizeof lx);
	lx.text = text != NULL ? text : "";
	lx.errp = errp;
	if (lex_next(&lx) != CX_OK)
		return CX_ERR;
	if (parse_or(&lx, &e) != CX_OK) {
		expr_free(e);
		return CX_ERR;
	}
	if (lx.type != T_END) {
		t = lex_text(&lx);
		if (lex_is(&lx, ")"))
			lex_error(&lx, lx.start, "多余的右括号。");
		else
			lex_error(&lx, lx.start, "多余的“%s”（是否漏写了运算"
			    "符？）。", t);
		free(t);
		expr_free(e);
		return CX_ERR;
	}
	*out = e;
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Names                                                                */
/* ------------------------------------------------------------------ */

/* Finds a name: in a row, among the row's fields (for stored rows every
 * field of the stored kind, as a row is a whole record of it), then
 * among the record's.  *in_row tells which. */
static const struct form_field *
expr_scope_find(const struct form *f, const struct form_field *rowf,
    const char *name, bool *in_row)
{
	const struct form_field *ff;

	*in_row = false;
	if (rowf != NULL) {
		*in_row = true;
		if ((ff = form_subfield_find(rowf, name)) != NULL)
			return ff;
		if (rowf->store_form != NULL &&
		    (ff = form_field_find(rowf->store_form, name)) != NULL)
			return ff;
		*in_row = false;
	}
	return f != NULL ? form_field_find(f, name) : NULL;
}

/* The sub-field FIELD of rows field ROWS (count, sum). */
static const struct form_field *
expr_rows_field(const struct form_field *rows, const char *name)
{
	const struct form_field *ff = form_subfield_find(rows, name);

	if (ff == NULL && rows->store_form != NULL)
		ff = form_field_find(rows->store_form, name);
	return ff;
}

/* ------------------------------------------------------------------ */
/* Binder                                                               */
/* ------------------------------------------------------------------ */

static int
bind_rows_arg(const struct expr *e, const struct form *f, char **errp,
    const struct form_field **rows)
{
	const struct form_field *ff;

	ff = f != NULL ? form_field_find(f, e->str) : NULL;
	if (ff == NULL)
		return err_set(errp, "未知的字段“%s”。", e->str);
	if (ff->type != FT_ROWS)
		return err_set(errp, "“%s”不是多行表格，不能用在 count() 或 "
		    "sum() 里。", e->str);
	*rows = ff;
	return CX_OK;
}

int
expr_bind(const struct expr *e, const struct form *f,
    const struct form_field *rowf, const struct form *settings, char **errp)
{
	const struct form_field *ff, *rows = NULL;
	bool in_row;
	size_t i;

	if (e == NULL)
		return CX_OK;
	switch (e->op) {
	case OP_NAME:
		ff = expr_scope_find(f, rowf, e->str, &in_row);
		if (ff == NULL)
			return err_set(errp, "未知的字段“%s”。", e->str);
		if (ff->type == FT_ROWS)
			return err_set(errp, "多行表格“%s”只能用作 count() 或 "
			    "sum() 的第一个参数。", e->str);
		return CX_OK;
	case OP_CALL:
		if (e->fn == FN_COUNT || e->fn == FN_SUM) {
			if (bind_rows_arg(e->args[0], f, errp, &rows) != CX_OK)
				return CX_ERR;
			/* Stored rows get their columns when the whole set
			 * is loaded; until then their fields are unknown. */
			if (e->nargs < 2 || (rows->store_kind != NULL &&
			    rows->store_form == NULL))
				return CX_OK;
			ff = expr_rows_field(rows, e->args[1]->str);
			if (ff == NULL)
				return err_set(errp, "多行表格“%s”没有字段"
				    "“%s”。", rows->id, e->args[1]->str);
			return CX_OK;
		}
		if (e->fn == FN_SETTING) {
			if (settings != NULL &&
			    form_field_find(settings, e->args[0]->str) == NULL)
				return err_set(errp, "未知的设置“%s”。",
				    e->args[0]->str);
			return CX_OK;
		}
		break;
	default:
		break;
	}
	for (i = 0; i < e->nargs; i++)
		if (expr_bind(e->args[i], f, rowf, settings, errp) != CX_OK)
			return CX_ERR;
	return CX_OK;
}

void
expr_refs(const struct expr *e, const struct form *f,
    const struct form_field *rowf,
    void (*fn)(void *arg, const struct form_field *ff,
    const struct form_field *scope), void *arg)
{
	const struct form_field *ff, *rows;
	bool in_row;
	size_t i;

	if (e == NULL)
		return;
	switch (e->op) {
	case OP_NAME:
		ff = expr_scope_find(f, rowf, e->str, &in_row);
		if (ff != NULL && ff->type != FT_ROWS)
			fn(arg, ff, in_row ? rowf : NULL);
		return;
	case OP_CALL:
		if (e->fn == FN_SETTING)
			return;
		if (e->fn == FN_COUNT || e->fn == FN_SUM) {
			/* As eval_rows: ROWS is always the record's. */
			rows = f != NULL ? form_field_find(f, e->args[0]->str) :
			    NULL;
			if (e->nargs < 2 || rows == NULL ||
			    rows->type != FT_ROWS)
				return;
			ff = expr_rows_field(rows, e->args[1]->str);
			if (ff != NULL)
				fn(arg, ff, rows);
			return;
		}
		break;
	default:
		break;
	}
	for (i = 0; i < e->nargs; i++)
		expr_refs(e->args[i], f, rowf, fn, arg);
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */
/* ------------------------------------------------------------------ */

struct eval {
	const struct form	*f;
	const struct record	*rec;
	const struct form_field	*rowf;
	const struct record	*row;
	const struct form	*settings;
	const struct form_ctx	*ctx;
	int			 depth;
};

static void eval_node(const struct expr *e, const struct eval *ev,
    struct expr_val *out);

static void
val_unknown(struct expr_val *v)
{
	memset(v, 0, sizeof *v);
	v->kind = EV_UNKNOWN;
}

static void
val_num(struct expr_val *v, double n)
{
	val_unknown(v);
	v->kind = EV_NUM;
	v->num = n;
}

static void
val_bool(struct expr_val *v, bool b)
{
	val_unknown(v);
	v->kind = EV_BOOL;
	v->b = b;
}

static void
val_date(struct expr_val *v, long days)
{
	val_unknown(v);
	v->kind = EV_DATE;
	v->days = days;
}

/* An integer as stored ("-12"); false for anything else. */
static bool
expr_parse_int(const char *s, double *out)
{
	const char *p = s;
	double v = 0;

	if (*p == '-')
		p++;
	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = *s == '-' ? -v : v;
	return true;
}

/* A stored date "YYYY-MM-DD" as a day number. */
static bool
expr_parse_date(const char *s, long *days)
{
	struct date d;

	if (strlen(s) != 10 || date_parse(s, &d, NULL) != CX_OK)
		return false;
	*days = date_to_days(&d);
	return true;
}

/* A stored period "2026H2": its first and last days. */
static bool
expr_period_range(const char *s, long *first, long *last)
{
	struct date a, b;
	int y = 0, i;

	if (strlen(s) != 6 || s[4] != 'H' || (s[5] != '1' && s[5] != '2'))
		return false;
	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		y = y * 10 + (s[i] - '0');
	}
	a.y = b.y = y;
	a.d = 1;
	if (s[5] == '1') {
		a.m = 1;
		b.m = 6;
		b.d = 30;
	} else {
		a.m = 7;
		b.m = 12;
		b.d = 31;
	}
	*first = date_to_days(&a);
	*last = date_to_days(&b);
	return true;
}

/* A stored text read as its field's type says. */
static void
read_text(const struct form_field *ff, const char *text, struct expr_val *v)
{
	double n;
	long days;

	val_unknown(v);
	if (text == NULL || text[0] == '\0')
		return;
	switch (ff != NULL ? ff->type : FT_TEXT) {
	case FT_INT:
		if (expr_parse_int(text, &n))
			val_num(v, n);
		return;
	case FT_DATE:
		if (expr_parse_date(text, &days))
			val_date(v, days);
		return;
	case FT_BOOL:
		if (strcmp(text, "1") == 0)
			val_bool(v, true);
		else if (strcmp(text, "0") == 0)
			val_bool(v, false);
		return;
	default:
		if (ff == NULL && expr_parse_int(text, &n)) {
			val_num(v, n);
			return;
		}
		v->kind = EV_STR;
		v->str = text;
		return;
	}
}

/* The value of a field: stored, or computed when the field has an
 * expression (evaluated in the record, or in the same row). */
static void
eval_field(const struct form_field *ff, bool in_row, const struct eval *ev,
    struct expr_val *out)
{
	const struct record *r = in_row ? ev->row : ev->rec;

	val_unknown(out);
	if (ff == NULL)
		return;
	if (ff->compute_expr != NULL) {
		struct eval sub = *ev;

		if (ev->depth >= EXPR_EVAL_MAX)
			return;
		sub.depth++;
		if (!in_row) {
			sub.rowf = NULL;
			sub.row = NULL;
		}
		eval_node(ff->compute_expr, &sub, out);
		return;
	}
	if (r == NULL)
		return;
	read_text(ff, record_get(r, ff->id), out);
}

/* True, false or unknown (-1). */
static int
val_truth(const struct expr_val *v)
{
	switch (v->kind) {
	case EV_BOOL:
		return v->b ? 1 : 0;
	case EV_NUM:
		return v->num != 0 ? 1 : 0;
	default:
		return -1;
	}
}

/* Brings two values to a common kind for comparison: a bool next to a
 * number counts as 1 or 0, a string next to a date is parsed as one. */
static void
val_coerce(struct expr_val *a, struct expr_val *b)
{
	long days;

	if (a->kind == EV_BOOL && b->kind == EV_NUM)
		val_num(a, a->b ? 1 : 0);
	else if (b->kind == EV_BOOL && a->kind == EV_NUM)
		val_num(b, b->b ? 1 : 0);
	else if (a->kind == EV_DATE && b->kind == EV_STR &&
	    expr_parse_date(b->str, &days))
		val_date(b, days);
	else if (b->kind == EV_DATE && a->kind == EV_STR &&
	    expr_parse_date(a->str, &days))
		val_date(a, days);
}

static void
eval_compare(enum expr_op op, struct expr_val *a, struct expr_val *b,
    struct expr_val *out)
{
	int c;

	if (a->kind == EV_UNKNOWN || b->kind == EV_UNKNOWN) {
		val_unknown(out);
		return;
	}
	val_coerce(a, b);
	if (a->kind != b->kind) {
		if (op == OP_EQ || op == OP_NE)
			val_bool(out, op == OP_NE);
		else
			val_unknown(out);
		return;
	}
	switch (a->kind) {
	case EV_NUM:
		c = a->num < b->num ? -1 : a->num > b->num ? 1 : 0;
		break;
	case EV_DATE:
		c = a->days < b->days ? -1 : a->days > b->days ? 1 : 0;
		break;
	case EV_STR:
		c = strcmp(a->str, b->str);
		break;
	case EV_BOOL:
		if (op != OP_EQ && op != OP_NE) {
			val_unknown(out);
			return;
		}
		c = a->b == b->b ? 0 : 1;
		break;
	default:
		val_unknown(out);
		return;
	}
	switch (op) {
	case OP_EQ:
		val_bool(out, c == 0);
		break;
	case OP_NE:
		val_bool(out, c != 0);
		break;
	case OP_LT:
		val_bool(out, c < 0);
		break;
	case OP_LE:
		val_bool(out, c <= 0);
		break;
	case OP_GT:
		val_bool(out, c > 0);
		break;
	default:
		val_bool(out, c >= 0);
		break;
	}
}

/* A number of days that can be added to a date. */
static bool
expr_days_ok(double n)
{
	return n > -EXPR_DAYS_MAX && n < EXPR_DAYS_MAX;
}

static void
eval_arith(enum expr_op op, struct expr_val *a, struct expr_val *b,
    struct expr_val *out)
{
	val_unknown(out);
	if (a->kind == EV_BOOL)
		val_num(a, a->b ? 1 : 0);
	if (b->kind == EV_BOOL)
		val_num(b, b->b ? 1 : 0);
	if (a->kind == EV_NUM && b->kind == EV_NUM) {
		switch (op) {
		case OP_ADD:
			val_num(out, a->num + b->num);
			break;
		case OP_SUB:
			val_num(out, a->num - b->num);
			break;
		case OP_MUL:
			val_num(out, a->num * b->num);
			break;
		default:
			if (b->num != 0)
				val_num(out, a->num / b->num);
			break;
		}
		return;
	}
	/* Dates: date - date = days; date ± days = date (whole days, and
	 * only within a few centuries, so that no conversion overflows). */
	if (a->kind == EV_DATE && b->kind == EV_DATE && op == OP_SUB)
		val_num(out, (double)(a->days - b->days));
	else if (a->kind == EV_DATE && b->kind == EV_NUM &&
	    (op == OP_ADD || op == OP_SUB) && expr_days_ok(b->num))
		val_date(out, a->days + (op == OP_ADD ? 1 : -1) *
		    (long)b->num);
	else if (a->kind == EV_NUM && b->kind == EV_DATE && op == OP_ADD &&
	    expr_days_ok(a->num))
		val_date(out, b->days + (long)a->num);
}

/* True when the stored value (one code, or codes joined by ",") holds
 * one of the codes given as arguments from index first on. */
static bool
eval_codes_match(const char *v, const struct expr *call, size_t first)
{
	const char *p, *e;
	size_t i, n;

	for (p = v; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		for (i = first; i < call->nargs; i++)
			if (strlen(call->args[i]->str) == n &&
			    strncmp(p, call->args[i]->str, n) == 0)
				return true;
	}
	return false;
}

static void
eval_rows(const struct expr *e, const struct eval *ev, struct expr_val *out)
{
	const struct form_field *rows, *ff = NULL;
	const struct rvalue *rv;
	struct eval sub = *ev;
	struct expr_val v;
	double total = 0;
	size_t i;
	const char *text;

	val_unknown(out);
	rows = ev->f != NULL ? form_field_find(ev->f, e->args[0]->str) : NULL;
	if (rows == NULL || rows->type != FT_ROWS)
		return;
	rv = ev->rec != NULL ? record_find(ev->rec, rows->id) : NULL;
	if (e->nargs >= 2) {
		ff = expr_rows_field(rows, e->args[1]->str);
		if (ff == NULL)
			return;
	}
	sub.rowf = rows;
	for (i = 0; rv != NULL && rv->is_rows && i < rv->nrows; i++) {
		if (e->fn == FN_COUNT && e->nargs == 1) {
			total++;
			continue;
		}
		sub.row = rv->rows[i];
		if (e->fn == FN_COUNT) {
			text = ff->compute_expr == NULL ?
			    record_get(rv->rows[i], ff->id) : NULL;
			if (text != NULL && eval_codes_match(text, e, 2))
				total++;
			continue;
		}
		eval_field(ff, true, &sub, &v);
		if (v.kind == EV_BOOL)
			total += v.b ? 1 : 0;
		else if (v.kind == EV_NUM)
			total += v.num;
	}
	val_num(out, total);
}

static void
eval_setting(const struct expr *e, const struct eval *ev,
    struct expr_val *out)
{
	const char *name = e->args[0]->str, *text = NULL;
	const struct form_field *ff;

	ff = ev->settings != NULL ? form_field_find(ev->settings, name) :
	    NULL;
	if (ev->ctx != NULL && ev->ctx->setting != NULL)
		text = ev->ctx->setting(ev->ctx->arg, name);
	if ((text == NULL || text[0] == '\0') && ff != NULL)
		text = ff->def;
	read_text(ff, text, out);
}

static void
eval_call(const struct expr *e, const struct eval *ev, struct expr_val *out)
{
	struct expr_val a, b;
	long first, last;
	int t;

	val_unknown(out);
	switch (e->fn) {
	case FN_COUNT:
	case FN_SUM:
		eval_rows(e, ev, out);
		return;
	case FN_HAS:
		eval_node(e->args[0], ev, &a);
		val_bool(out, a.kind != EV_UNKNOWN);
		return;
	case FN_IF:
		eval_node(e->args[0], ev, &a);
		t = val_truth(&a);
		if (t >= 0)
			eval_node(e->args[t ? 1 : 2], ev, out);
		return;
	case FN_MIN:
	case FN_MAX:
		eval_node(e->args[0], ev, &a);
		eval_node(e->args[1], ev, &b);
		if (a.kind == EV_BOOL)
			val_num(&a, a.b ? 1 : 0);
		if (b.kind == EV_BOOL)
			val_num(&b, b.b ? 1 : 0);
		if (a.kind == EV_NUM && b.kind == EV_NUM)
			val_num(out, (e->fn == FN_MIN) == (a.num < b.num) ?
			    a.num : b.num);
		else if (a.kind == EV_DATE && b.kind == EV_DATE)
			val_date(out, (e->fn == FN_MIN) == (a.days < b.days) ?
			    a.days : b.days);
		return;
	case FN_START:
	case FN_END:
		eval_node(e->args[0], ev, &a);
		if (a.kind == EV_STR &&
		    expr_period_range(a.str, &first, &last))
			val_date(out, e->fn == FN_START ? first : last);
		return;
	case FN_SETTING:
		eval_setting(e, ev, out);
		return;
	}
}

static void
eval_node(const struct expr *e, const struct eval *ev, struct expr_val *out)
{
	struct expr_val a, b;
	const struct form_field *ff;
	bool in_row;
	int ta, tb;

	val_unknown(out);
	switch (e->op) {
	case OP_NUM:
		val_num(out, e->num);
		return;
	case OP_STR:
		out->kind = EV_STR;
		out->str = e->str;
		return;
	case OP_TRUE:
	case OP_FALSE:
		val_bool(out, e->op == OP_TRUE);
		return;
	case OP_TODAY:
		if (ev->ctx != NULL && date_valid(&ev->ctx->today))
			val_date(out, date_to_days(&ev->ctx->today));
		return;
	case OP_NAME:
		ff = expr_scope_find(ev->f, ev->rowf, e->str, &in_row);
		if (ff != NULL && ff->type != FT_ROWS)
			eval_field(ff, in_row, ev, out);
		return;
	case OP_CALL:
		eval_call(e, ev, out);
		return;
	case OP_NEG:
		eval_node(e->args[0], ev, &a);
		if (a.kind == EV_NUM)
			val_num(out, -a.num);
		return;
	case OP_NOT:
		eval_node(e->args[0], ev, &a);
		ta = val_truth(&a);
		if (ta >= 0)
			val_bool(out, ta == 0);
		return;
	case OP_AND:
	case OP_OR:
		eval_node(e->args[0], ev, &a);
		eval_node(e->args[1], ev, &b);
		ta = val_truth(&a);
		tb = val_truth(&b);
		if (e->op == OP_AND) {
			if (ta == 0 || tb == 0)
				val_bool(out, false);
			else if (ta == 1 && tb == 1)
				val_bool(out, true);
		} else {
			if (ta == 1 || tb == 1)
				val_bool(out, true);
			else if (ta == 0 && tb == 0)
				val_bool(out, false);
		}
		return;
	case OP_EQ:
	case OP_NE:
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		eval_node(e->args[0], ev, &a);
		eval_node(e->args[1], ev, &b);
		eval_compare(e->op, &a, &b, out);
		return;
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
		eval_node(e->args[0], ev, &a);
		eval_node(e->args[1], ev, &b);
		eval_arith(e->op, &a, &b, out);
		return;
	}
}

void
expr_eval(const struct expr *e, const struct form *f,
    const struct record *rec, const struct form_field *rowf,
    const struct record *row, const struct form *settings,
    const struct form_ctx *ctx, struct expr_val *out)
{
	struct eval ev;

	val_unknown(out);
	if (e == NULL)
		return;
	ev.f = f;
	ev.rec = rec;
	ev.rowf = row != NULL ? rowf : NULL;
	ev.row = ev.rowf != NULL ? row : NULL;
	ev.settings = settings;
	ev.ctx = ctx;
	ev.depth = 0;
	eval_node(e, &ev, out);
}
