/* formdef.c: form definitions (the .form files) and record validation.
 *
 * The file format is specified in docs/forms.md.  A form file is read line
 * by line into struct form; the rest of the program never looks at the
 * text again.  Every message a person can see is in simplified Chinese;
 * parser messages have the shape "PATH:LINE: message".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "expr.h"
#include "formdef.h"
#include "record.h"
#include "text.h"
#include "util.h"

#define FORM_ID_MAX		64
#define FORM_TEXT_MAX		100000
#define FORM_LONGTEXT_DEFAULT	2000
#define FORM_WIDTH_MAX		200
#define FORM_VERSION_MAX	1000000
#define FORM_ORDER_MAX		1000000
#define FORM_ROWS_MAX		100000
#define FORM_DISPLAY_DEPTH	3

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static const char *const type_keywords[] = {
	"text", "longtext", "date", "month", "int",
	"enum", "multienum", "bool", "ref", "rows",
	"period", "time", "link"
};

static const char *const type_names[] = {
	"文本", "长文本", "日期", "年月", "整数",
	"单选", "多选", "是否", "引用", "多行表格",
	"周期", "时间", "关联"
};

/* The derivation functions of "auto" (implemented in ledger.c) and how
 * many field ids each takes. */
static const struct {
	const char	*name;
	size_t		 nargs;
} auto_fns[] = {
	{ "period_due", 1 }, { "period_of", 1 }, { "initial", 1 },
	{ "from", 2 }, { "parent", 2 }, { "linkkind", 1 },
	{ "secretary", 1 }, { "members", 1 }, { "meeting_expected", 3 }
};

const char *
form_type_name(enum field_type t)
{
	if ((size_t)t >= sizeof type_names / sizeof type_names[0])
		return "未知";
	return type_names[t];
}

/* An identifier of a form or field: [a-z][a-z0-9_]*, at most 64 bytes. */
static bool
form_id_valid(const char *s)
{
	size_t i;

	if (s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 1; s[i] != '\0'; i++) {
		if ((s[i] < 'a' || s[i] > 'z') && (s[i] < '0' || s[i] > '9') &&
		    s[i] != '_')
			return false;
	}
	return i <= FORM_ID_MAX;
}

/* Parses an ASCII decimal integer with an optional leading '-' and
 * nothing else around it.  Fails on overflow. */
static bool
form_parse_ll(const char *s, long long *out)
{
	bool neg = false;
	unsigned long long v = 0, lim;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s == '\0')
		return false;
	lim = (unsigned long long)LLONG_MAX + (neg ? 1 : 0);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (lim - (unsigned long long)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	return true;
}

/* Like form_parse_ll, within lo..hi. */
static bool
form_parse_range(const char *s, long long lo, long long hi, long long *out)
{
	long long v;

	if (!form_parse_ll(s, &v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool
form_is_enum(enum field_type t)
{
	return t == FT_ENUM || t == FT_MULTIENUM;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                              */
/* ------------------------------------------------------------------ */

static void
form_checks_free(struct form_check *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].text);
		expr_free(c[i].expr);
		free(c[i].message);
	}
	free(c);
}

static void
form_field_clear(struct form_field *f)
{
	size_t i;

	strv_free(f->link_kinds, f->nlink_kinds);
	free(f->store_kind);
	free(f->store_field);
	strv_free(f->columns, f->ncolumns);
	free(f->req_if_field);
	strv_free(f->req_if_values, f->nreq_if);
	strv_free(f->aliases, f->naliases);
	free(f->auto_fn);
	strv_free(f->auto_args, f->nauto_args);
	free(f->compute);
	expr_free(f->compute_expr);
	free(f->flag_text);
	form_checks_free(f->checks, f->nchecks);
	free(f->id);
	free(f->label);
	free(f->def);
	free(f->help);
	for (i = 0; i < f->nopts; i++) {
		free(f->opts[i].code);
		free(f->opts[i].label);
	}
	free(f->opts);
	free(f->ref_kind);
	free(f->where_field);
	for (i = 0; i < f->nwhere; i++)
		free(f->where_values[i]);
	free(f->where_values);
	for (i = 0; i < f->nsub; i++)
		form_field_clear(&f->sub[i]);
	free(f->sub);
}

void
form_free(struct form *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->kind);
	free(f->label);
	free(f->title);
	free(f->menu);
	free(f->path);
	for (i = 0; i < f->nfields; i++)
		form_field_clear(&f->fields[i]);
	free(f->fields);
	form_checks_free(f->checks, f->nchecks);
	free(f->sign_field);
	free(f->closed_field);
	strv_free(f->closed_values, f->nclosed);
	free(f->sheet);
	free(f);
}

/* ------------------------------------------------------------------ */
/* Look-ups                                                             */
/* ------------------------------------------------------------------ */

static const struct form_field *
form_fields_find(const struct form_field *v, size_t n, const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

enum form_owner
form_field_owner(const struct form *f, const char *id)
{
	const struct form_field *ff = form_field_find(f, id);

	return ff != NULL && ff->owner_set ? ff->owner : f->owner;
}

const struct form_field *
form_field_find(const struct form *f, const char *id)
{
	return form_fields_find(f->fields, f->nfields, id);
}

const struct form_field *
form_subfield_find(const struct form_field *rows, const char *id)
{
	return form_fields_find(rows->sub, rows->nsub, id);
}

/* The option with exactly this code: what a stored value names. */
static const struct form_option *
form_option_code(const struct form_field *f, const char *code)
{
	size_t i;

	for (i = 0; i < f->nopts; i++)
		if (strcmp(f->opts[i].code, code) == 0)
			return &f->opts[i];
	return NULL;
}

const struct form_option *
form_option_find(const struct form_field *f, const char *code_or_label)
{
	const struct form_option *o;
	size_t i;

	if (code_or_label == NULL)
		return NULL;
	if ((o = form_option_code(f, code_or_label)) != NULL)
		return o;
	for (i = 0; i < f->nopts; i++)
		if (strcmp(f->opts[i].label, code_or_label) == 0)
			return &f->opts[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Input normalisation                                                  */
/* ------------------------------------------------------------------ */

/* Characters that cannot be printed or converted reliably: the Private
 * Use Areas (GB18030-2005 and -2022 map some of them differently, see
 * pitfalls 3.1). */
static bool
form_is_pua(uint32_t uc)
{
	return (uc >= 0xe000 && uc <= 0xf8ff) || uc >= 0xf0000;
}

static bool
form_is_control(uint32_t uc)
{
	return uc < 0x20 || (uc >= 0x7f && uc <= 0x9f);
}

/* Multi-enum separators: , ， 、 ; ； and white space (U+3000 too). */
static bool
form_is_separator(uint32_t uc)
{
	return uc == ',' || uc == 0xff0c || uc == 0x3001 || uc == ';' ||
	    uc == 0xff1b || uc == ' ' || uc == '\t' || uc == '\n' ||
	    uc == '\r' || uc == 0x3000;
}

/* An option code is stored as it is written, but what a person types is
 * trimmed first (text_trim drops \t..\r and U+3000): a code holding such
 * characters could be chosen by its label and never typed back. */
static bool
form_code_clean(const char *s)
{
	uint32_t uc;

	while (*s != '\0') {
		s += text_utf8_decode(s, &uc);
		if (form_is_control(uc) || uc == 0x3000)
			return false;
	}
	return true;
}

static bool
form_has_separator(const char *s)
{
	uint32_t uc;

	while (*s != '\0') {
		s += text_utf8_decode(s, &uc);
		if (form_is_separator(uc))
			return true;
	}
	return false;
}

/* Text and long text: trimmed, one line (text) or \n line ends
 * (longtext), no control or private-use characters, at most maxlen
 * characters. */
static int
form_input_text(const struct form_field *f, const char *name, const char *in,
    char **out, char **errp)
{
	struct buf b;
	const char *p;
	char *s;
	uint32_t uc;
	size_t n;

	/* Normalise line ends before trimming so "\r" never survives. */
	buf_init(&b);
	buf_addstr(&b, "");
	for (p = in; *p != '\0'; p++) {
		if (*p == '\r') {
			buf_addc(&b, '\n');
			if (p[1] == '\n')
				p++;
		} else
			buf_addc(&b, *p);
	}
	s = text_trim(b.s);
	buf_free(&b);

	for (p = s; *p != '\0'; p += n) {
		n = (size_t)text_utf8_decode(p, &uc);
		if (uc == '\n' && f->type == FT_LONGTEXT)
			continue;
		if (uc == '\n') {
			free(s);
			return err_set(errp, "%s：只能填写一行，不能换行。",
			    name);
		}
		if (form_is_control(uc)) {
			free(s);
			return err_set(errp, "%s：含有控制字符（U+%04X），"
			    "请删除后重新填写。", name, (unsigned)uc);
		}
		if (form_is_pua(uc)) {
			free(s);
			return err_set(errp, "%s：含有私用区字符（U+%04X），"
			    "打印和转换编码时无法正确显示，请改用标准字符。",
			    name, (unsigned)uc);
		}
	}
	n = text_char_count(s);
	if (f->maxlen > 0 && n > f->maxlen) {
		free(s);
		return err_set(errp, "%s：不能超过 %zu 个字（现有 %zu 个字）。",
		    name, f->maxlen, n);
	}
	*out = s;
	return CX_OK;
}

/* Returns a trimmed half-width copy: what numbers, dates and codes are
 * compared in. */
static char *
form_halfwidth_trim(const char *s)
{
	char *hw = text_to_halfwidth(s), *t;

	t = text_trim(hw);
	free(hw);
	return t;
}

static int
form_input_date(const struct form_field *f, const char *name, const char *in,
    char **out, char **errp)
{
	struct date d;
	char buf[11], *s;
	int rc;

	s = form_halfwidth_trim(in);
	if (f->type == FT_DATE)
		rc = date_parse(s, &d, errp);
	else
		rc = date_parse_month(s, &d, errp);
	free(s);
	if (rc != CX_OK) {
		err_prefix(errp, "%s：", name);
		return CX_ERR;
	}
	date_format(&d, buf);
	*out = xstrdup(buf);
	return CX_OK;
}

static int
form_input_int(const struct form_field *f, const char *name, const char *in,
    char **out, char **errp)
{
	long long v;
	char *s;
	bool good;

	s = form_halfwidth_trim(in);
	good = form_parse_range(s, f->min, f->max, &v);
	free(s);
	if (!good)
		return err_set(errp, "%s：应是 %lld 到 %lld 之间的整数。", name,
		    f->min, f->max);
	*out = xasprintf("%lld", v);
	return CX_OK;
}

/* Matches one choice typed by a person: code, then label, then the same
 * after half-width conversion, then the code ignoring ASCII case. */
static const struct form_option *
form_option_match(const struct form_field *f, const char *in)
{
	const struct form_option *o;
	char *hw;
	size_t i;

	if ((o = form_option_find(f, in)) != NULL)
		return o;
	hw = form_halfwidth_trim(in);
	o = form_option_find(f, hw);
	for (i = 0; o == NULL && i < f->nopts; i++)
		if (strcasecmp(f->opts[i].code, hw) == 0)
			o = &f->opts[i];
	free(hw);
	return o;
}

static int
form_bad_option(const struct form_field *f, const char *name, const char *in,
    char **errp)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < f->nopts; i++) {
		if (i > 0)
			buf_addstr(&b, "、");
		buf_addstr(&b, f->opts[i].label);
	}
	err_set(errp, "%s：“%s”不是可选项。可选：%s。", name, in, b.s);
	buf_free(&b);
	return CX_ERR;
}

static int
form_input_enum(const struct form_field *f, const char *name, const char *in,
    char **out, char **errp)
{
	const struct form_option *o = form_option_match(f, in);

	if (o == NULL)
		return form_bad_option(f, name, in, errp);
	*out = xstrdup(o->code);
	return CX_OK;
}

/* Splits on the separators, matches every piece, and writes the chosen
 * codes once each, in the order of the options. */
static int
form_input_multienum(const struct form_field *f, const char *name,
    const char *in, char **out, char **errp)
{
	bool *chosen;
	const struct form_option *o;
	const char *p, *start;
	struct buf b;
	uint32_t uc;
	size_t i;
	int n;

	chosen = xcalloc(f->nopts + 1, sizeof *chosen);
	for (p = in; *p != '\0';) {
		start = p;
		while (*p != '\0') {
			n = text_utf8_decode(p, &uc);
			if (form_is_separator(uc))
				break;
			p += n;
		}
		if (p > start) {
			char *piece = xstrndup(start, (size_t)(p - start));

			o = form_option_match(f, piece);
			if (o == NULL) {
				form_bad_option(f, name, piece, errp);
				free(piece);
				free(chosen);
				return CX_ERR;
			}
			free(piece);
			chosen[o - f->opts] = true;
		}
		if (*p != '\0')
			p += text_utf8_decode(p, &uc);
	}
	buf_init(&b);
	buf_addstr(&b, "");
	for (i = 0; i < f->nopts; i++) {
		if (!chosen[i])
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_addstr(&b, f->opts[i].code);
	}
	free(chosen);
	*out = buf_take(&b);
	return CX_OK;
}

static int
form_input_bool(const char *name, const char *in, char **out, char **errp)
{
	static const char *const yes[] = { "是", "1", "y", "yes", "true", "√" };
	static const char *const no[] = { "否", "0", "n", "no", "false", "×" };
	char *s = form_halfwidth_trim(in);
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			free(s);
			*out = xstrdup("1");
			return CX_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			free(s);
			*out = xstrdup("0");
			return CX_OK;
		}
	}
	free(s);
	return err_set(errp, "%s：请填写“是”或“否”。", name);
}

static int
form_input_ref(const char *name, const char *in, char **out, char **errp)
{
	char *s = form_halfwidth_trim(in);
	uint64_t id;
	bool good;

	good = util_parse_id(s, &id);
	free(s);
	if (!good)
		return err_set(errp, "%s：请填写记录编号。", name);
	*out = xasprintf("%llu", (unsigned long long)id);
	return CX_OK;
}

/* Reads a half-year as people write it (already half-width and
 * trimmed): 2026H2, 2026h2, 2026-2, 2026年下半年, 2026下半年, 2026年H2.
 * Years run from 1900 to 2099 like dates. */
static bool
form_period_parse(const char *s, int *year, int *half)
{
	static const char *const words[][3] = {
		{ "H1", "h1", "上半年" }, { "H2", "h2", "下半年" }
	};
	const char *p;
	int y = 0, i, j;

	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		y = y * 10 + (s[i] - '0');
	}
	if (y < 1900 || y > 2099)
		return false;
	p = s + 4;
	if (*p == '-') {
		if ((p[1] != '1' && p[1] != '2') || p[2] != '\0')
			return false;
		*year = y;
		*half = p[1] - '0';
		return true;
	}
	p += strspn(p, " ");
	if (strncmp(p, "年", strlen("年")) == 0)
		p += strlen("年");
	p += strspn(p, " ");
	for (i = 0; i < 2; i++)
		for (j = 0; j < 3; j++)
			if (strcmp(p, words[i][j]) == 0) {
				*year = y;
				*half = i + 1;
				return true;
			}
	return false;
}

static int
form_input_period(const char *name, const char *in, char **out, char **errp)
{
	char *s = form_halfwidth_trim(in);
	int y, h;

	if (!form_period_parse(s, &y, &h)) {
		err_set(errp, "%s：“%s”不是有效的周期。请写成 2026H2 或 "
		    "2026年下半年（年份 1900 到 2099）。", name, s);
		free(s);
		return CX_ERR;
	}
	free(s);
	*out = xasprintf("%04dH%d", y, h);
	return CX_OK;
}

/* A time of day: H:MM or HH:MM (full-width digits and colon too),
 * 0:00 to 23:59. */
static int
form_input_time(const char *name, const char *in, char **out, char **errp)
{
	char *s = form_halfwidth_trim(in);
	const char *p = s;
	int h = 0, m, n = 0;

	while (*p >= '0' && *p <= '9' && n < 3) {
		h = h * 10 + (*p++ - '0');
		n++;
	}
	if (n < 1 || n > 2 || *p != ':' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9' || p[3] != '\0' || h > 23 ||
	    (m = (p[1] - '0') * 10 + (p[2] - '0')) > 59) {
		err_set(errp, "%s：“%s”不是有效的时间。请按 09:30 的格式填写"
		    "（0:00 到 23:59）。", name, s);
		free(s);
		return CX_ERR;
	}
	free(s);
	*out = xasprintf("%02d:%02d", h, m);
	return CX_OK;
}

/* A link: "KIND:ID" with KIND one of the field's kinds. */
static int
form_input_link(const struct form_field *f, const char *name,
    const char *in, char **out, char **errp)
{
	char *s = form_halfwidth_trim(in), *colon;
	struct buf b;
	uint64_t id;
	size_t i;

	colon = strchr(s, ':');
	if (colon != NULL) {
		*colon = '\0';
		for (i = 0; i < f->nlink_kinds; i++)
			if (strcmp(s, f->link_kinds[i]) == 0)
				break;
		if (i < f->nlink_kinds && util_parse_id(colon + 1, &id)) {
			*out = xasprintf("%s:%llu", s, (unsigned long long)id);
			free(s);
			return CX_OK;
		}
	}
	free(s);
	buf_init(&b);
	for (i = 0; i < f->nlink_kinds; i++) {
		if (i > 0)
			buf_addstr(&b, "、");
		buf_addstr(&b, f->link_kinds[i]);
	}
	err_set(errp, "%s：应写成“表单名:编号”，表单名可以是%s，例如“%s:1”。",
	    name, b.s != NULL ? b.s : "", f->nlink_kinds > 0 ?
	    f->link_kinds[0] : "form");
	buf_free(&b);
	return CX_ERR;
}

/* form_input_value with the name messages start with: the label, or
 * "承诺事项第2行“内容”" for a sub-field. */
static int
form_input_named(const struct form_field *f, const char *name,
    const char *input, char **out, char **errp)
{
	char *t;
	int rc;

	*out = NULL;
	if (input == NULL)
		input = "";
	if (!text_utf8_valid(input, strlen(input)))
		return err_set(errp, "%s：含有无法识别的字符"
		    "（编码不是 UTF-8）。", name);
	if (f->type == FT_ROWS)
		return err_set(errp, "%s：多行表格要逐行填写，"
		    "不能直接填一个值。", name);
	t = text_trim(input);
	if (*t == '\0') {
		*out = t;
		return CX_OK;
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		rc = form_input_text(f, name, input, out, errp);
		break;
	case FT_DATE:
	case FT_MONTH:
		rc = form_input_date(f, name, t, out, errp);
		break;
	case FT_INT:
		rc = form_input_int(f, name, t, out, errp);
		break;
	case FT_ENUM:
		rc = form_input_enum(f, name, t, out, errp);
		break;
	case FT_MULTIENUM:
		rc = form_input_multienum(f, name, t, out, errp);
		break;
	case FT_BOOL:
		rc = form_input_bool(name, t, out, errp);
		break;
	case FT_REF:
		rc = form_input_ref(name, t, out, errp);
		break;
	case FT_PERIOD:
		rc = form_input_period(name, t, out, errp);
		break;
	case FT_TIME:
		rc = form_input_time(name, t, out, errp);
		break;
	case FT_LINK:
		rc = form_input_link(f, name, t, out, errp);
		break;
	default:
		rc = err_set(errp, "%s：未知的字段类型。", name);
		break;
	}
	free(t);
	return rc;
}

int
form_input_value(const struct form_field *f, const char *input, char **out,
    char **errp)
{
	return form_input_named(f, f->label, input, out, errp);
}

/* ------------------------------------------------------------------ */
/* The parser                                                           */
/* ------------------------------------------------------------------ */

enum form_kw {
	KW_FORM, KW_LABEL, KW_VERSION, KW_TITLE, KW_ORDER, KW_MENU,
	KW_FIELD, KW_END,
	KW_TYPE, KW_REQUIRED, KW_INDEX, KW_UNIQUE, KW_DEFAULT, KW_HELP,
	KW_LIST, KW_PRINT, KW_OPTION, KW_WHERE,
	KW_STORE, KW_COLUMNS, KW_REQUIRED_IF, KW_ANNOTATION, KW_AUTO,
	KW_COMPUTE, KW_FORMAT, KW_ALIAS,
	/* form level in the header, field level after "field" */
	KW_OWNER,
	/* form level, allowed anywhere (check: per row inside rows) */
	KW_CHECK, KW_MESSAGE, KW_SIGN, KW_CLOSED,
	KW_COUNT
};

static const char *const kw_names[KW_COUNT] = {
	"form", "label", "version", "title", "order", "menu",
	"field", "end",
	"type", "required", "index", "unique", "default", "help",
	"list", "print", "option", "where",
	"store", "columns", "required_if", "annotation", "auto",
	"compute", "format", "alias",
	"owner",
	"check", "message", "sign", "closed"
};

/* Parse state of one field: the line of each keyword seen (0 = none), to
 * catch duplicates and to point at the right line for checks that can
 * only be made once the whole field has been read. */
struct field_state {
	int	kwline[KW_COUNT];
};

/* A field attribute checked once the whole form is known (it names other
 * fields), with the line to report.  sub is (size_t)-1 for a top-level
 * field. */
struct deferred {
	size_t		top;
	size_t		sub;
	enum form_kw	kw;
	int		line;
};

/* A growable array of fields: the top level, or the rows being read. */
struct field_vec {
	struct form_field	*v;
	size_t			 n;
	size_t			 cap;
};

enum parse_where {
	IN_HEADER,	/* before the first field */
	IN_FIELD,	/* in a top-level field */
	IN_SUB,		/* in a sub-field of an open rows field */
	AFTER_END	/* after "end", before the next top-level field */
};

struct parser {
	const char		*path;
	int			 line;
	char			**errp;
	struct form		*form;
	int			 formkw[KW_COUNT];
	int			 title_line;
	enum parse_where	 where;
	struct field_vec	 top;
	struct field_state	 topst;
	struct field_vec	 sub;
	struct field_state	 subst;
	bool			 rows_open;	/* current top field is rows */
	struct form_check	*pending;	/* check awaiting its message */
	struct deferred		*defer;
	size_t			 ndefer;
	size_t			 defercap;
	char			**args;
	size_t			 nargs;
	size_t			 argcap;
	const char		*rest;		/* the line after the keyword */
	bool			 in_sheet;	/* inside "sheet" ... "end" */
	struct buf		 sheet;
};

static int
parse_verror(struct parser *p, int line, const char *fmt, va_list ap)
    CX_PRINTF(3, 0);
static int
parse_error(struct parser *p, int line, const char *fmt, ...) CX_PRINTF(3, 4);
static int
parse_here(struct parser *p, const char *fmt, ...) CX_PRINTF(2, 3);

/* Every parser message: "PATH:LINE: message". */
static int
parse_verror(struct parser *p, int line, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);

	err_set(p->errp, "%s:%d: %s", p->path, line, msg);
	free(msg);
	return CX_ERR;
}

static int
parse_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_verror(p, line, fmt, ap);
	va_end(ap);
	return CX_ERR;
}

/* parse_error at the line being read. */
static int
parse_here(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_verror(p, p->line, fmt, ap);
	va_end(ap);
	return CX_ERR;
}

/* what is "表单名" or "字段名". */
static int
parse_check_id(struct parser *p, const char *what, const char *id)
{
	if (form_id_valid(id))
		return CX_OK;
	return parse_here(p, "%s“%s”不合规：只能用小写字母、数字和下划线，"
	    "并以小写字母开头。", what, id);
}

static int
parse_no_args(struct parser *p, const char *kw)
{
	if (p->nargs > 0)
		return parse_here(p, "“%s”后面不应有内容（多了“%s”）。",
		    kw, p->args[0]);
	return CX_OK;
}

static int
parse_one_arg(struct parser *p, const char *kw, const char *what)
{
	if (p->nargs == 0)
		return parse_here(p, "“%s”后面缺少%s。", kw, what);
	if (p->nargs > 1)
		return parse_here(p, "“%s”后面只能有一项，多了“%s”。",
		    kw, p->args[1]);
	return CX_OK;
}

static int
parse_rest(struct parser *p, const char *kw, const char *what)
{
	if (*p->rest == '\0')
		return parse_here(p, "“%s”后面缺少%s。", kw, what);
	return CX_OK;
}

/* Records that kw was used on this line; a second use is an error. */
static int
parse_once(struct parser *p, int *kwline, enum form_kw kw)
{
	if (kwline[kw] != 0)
		return parse_here(p, "“%s”重复（第 %d 行已写过）。",
		    kw_names[kw], kwline[kw]);
	kwline[kw] = p->line;
	return CX_OK;
}

static int
parse_header_kw(struct parser *p, enum form_kw kw)
{
	struct form *f = p->form;
	long long v;

	if (parse_once(p, p->formkw, kw) != CX_OK)
		return CX_ERR;
	switch (kw) {
	case KW_FORM:
		if (parse_one_arg(p, "form", "表单名") != CX_OK)
			return CX_ERR;
		if (parse_check_id(p, "表单名", p->args[0]) != CX_OK)
			return CX_ERR;
		f->kind = xstrdup(p->args[0]);
		break;
	case KW_LABEL:
		if (parse_rest(p, "label", "中文名称") != CX_OK)
			return CX_ERR;
		f->label = xstrdup(p->rest);
		break;
	case KW_VERSION:
		if (parse_one_arg(p, "version", "版本号") != CX_OK)
			return CX_ERR;
		if (!form_parse_range(p->args[0], 1, FORM_VERSION_MAX, &v))
			return parse_here(p, "版本号应是正整数，"
			    "现为“%s”。", p->args[0]);
		f->version = (unsigned)v;
		break;
	case KW_TITLE:
		if (parse_one_arg(p, "title", "字段名") != CX_OK)
			return CX_ERR;
		f->title = xstrdup(p->args[0]);
		p->title_line = p->line;
		break;
	case KW_ORDER:
		if (parse_one_arg(p, "order", "顺序号") != CX_OK)
			return CX_ERR;
		if (!form_parse_range(p->args[0], -FORM_ORDER_MAX,
		    FORM_ORDER_MAX, &v))
			return parse_here(p, "顺序号应是整数，"
			    "现为“%s”。", p->args[0]);
		f->order = (int)v;
		break;
	case KW_MENU:
		if (parse_rest(p, "menu", "菜单分组名称") != CX_OK)
			return CX_ERR;
		f->menu = xstrdup(p->rest);
		break;
	default:
		break;
	}
	return CX_OK;
}

static int
parse_type(struct parser *p, struct form_field *fl, bool is_sub)
{
	const char *t;
	long long a, b;
	size_t i;

	if (p->nargs == 0)
		return parse_here(p, "“type”后面缺少类型。");
	t = p->args[0];
	for (i = 0; i < sizeof type_keywords / sizeof type_keywords[0]; i++)
		if (strcmp(t, type_keywords[i]) == 0)
			break;
	if (i == sizeof type_keywords / sizeof type_keywords[0])
		return parse_here(p, "未知的类型“%s”。可用的类型：text、"
		    "longtext、date、month、int、enum、multienum、bool、ref、"
		    "rows、period、time、link。", t);
	fl->type = (enum field_type)i;

	switch (fl->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		if (p->nargs > 2)
			return parse_here(p, "“type %s”后面只能写最大字数，"
			    "多了“%s”。", t, p->args[2]);
		if (p->nargs < 2) {
			if (fl->type == FT_TEXT)
				return parse_here(p, "文本类型要写最大"
				    "字数，例如“type text 20”。");
			fl->maxlen = FORM_LONGTEXT_DEFAULT;
			break;
		}
		if (!form_parse_range(p->args[1], 1, FORM_TEXT_MAX, &a))
			return parse_here(p, "最大字数应是 1 到 %d 之间"
			    "的整数，现为“%s”。", FORM_TEXT_MAX, p->args[1]);
		fl->maxlen = (size_t)a;
		break;
	case FT_INT:
		if (p->nargs != 3)
			return parse_here(p, "整数类型要写最小值和最大值，"
			    "例如“type int 0 100”。");
		if (!form_parse_ll(p->args[1], &a))
			return parse_here(p, "最小值“%s”不是整数。",
			    p->args[1]);
		if (!form_parse_ll(p->args[2], &b))
			return parse_here(p, "最大值“%s”不是整数。",
			    p->args[2]);
		if (a > b)
			return parse_here(p, "整数范围有误：最小值 %lld "
			    "大于最大值 %lld。", a, b);
		fl->min = a;
		fl->max = b;
		break;
	case FT_REF:
		if (p->nargs != 2)
			return parse_here(p, "引用类型要写所引用的表单名，"
			    "例如“type ref org”。");
		if (parse_check_id(p, "表单名", p->args[1]) != CX_OK)
			return CX_ERR;
		fl->ref_kind = xstrdup(p->args[1]);
		break;
	case FT_ROWS:
		if (is_sub)
			return parse_here(p, "多行表格里不能再套多行表格"
			    "（是否漏写了“end”？）。");
		if (p->nargs > 3)
			return parse_here(p, "“type rows”后面最多写最少"
			    "行数和最多行数，多了“%s”。", p->args[3]);
		a = b = 0;
		if (p->nargs >= 2 && !form_parse_range(p->args[1], 0,
		    FORM_ROWS_MAX, &a))
			return parse_here(p, "最少行数应是 0 到 %d 之间"
			    "的整数，现为“%s”。", FORM_ROWS_MAX, p->args[1]);
		if (p->nargs >= 3 && !form_parse_range(p->args[2], 0,
		    FORM_ROWS_MAX, &b))
			return parse_here(p, "最多行数应是 0 到 %d 之间"
			    "的整数（0 表示不限），现为“%s”。", FORM_ROWS_MAX,
			    p->args[2]);
		if (b != 0 && b < a)
			return parse_here(p, "行数范围有误：最少 %lld 行"
			    "多于最多 %lld 行。", a, b);
		fl->min_rows = (size_t)a;
		fl->max_rows = (size_t)b;
		/* Stored rows take their columns from another form: no
		 * block of sub-fields follows. */
		p->rows_open = fl->store_kind == NULL;
		break;
	case FT_LINK:
		if (p->nargs < 2)
			return parse_here(p, "关联类型要写可关联的表单名，"
			    "例如“type link branch_pledge member_pledge”。");
		for (i = 1; i < p->nargs; i++) {
			size_t j;

			if (parse_check_id(p, "表单名", p->args[i]) != CX_OK)
				return CX_ERR;
			for (j = 1; j < i; j++)
				if (strcmp(p->args[j], p->args[i]) == 0)
					return parse_here(p, "关联的表单“%s”"
					    "重复。", p->args[i]);
		}
		fl->nlink_kinds = p->nargs - 1;
		fl->link_kinds = xcalloc(fl->nlink_kinds,
		    sizeof *fl->link_kinds);
		for (i = 1; i < p->nargs; i++)
			fl->link_kinds[i - 1] = xstrdup(p->args[i]);
		break;
	default:
		if (p->nargs > 1)
			return parse_here(p, "“type %s”后面不应有内容"
			    "（多了“%s”）。", t, p->args[1]);
		break;
	}
	return CX_OK;
}

static int
parse_option(struct parser *p, struct form_field *fl)
{
	const char *code, *label;
	size_t i;

	if (p->nargs == 0)
		return parse_here(p, "“option”后面缺少选项代码。");
	code = p->args[0];
	if (strchr(code, ',') != NULL)
		return parse_here(p, "选项代码“%s”不能含有逗号。", code);
	if (!form_code_clean(code))
		return parse_here(p, "选项代码“%s”不能含有控制字符或全角空格。",
		    code);
	/* The label is the rest of the line after the code. */
	label = p->rest + strlen(code);
	label += strspn(label, " \t");
	if (*label == '\0')
		label = code;
	for (i = 0; i < fl->nopts; i++) {
		if (strcmp(fl->opts[i].code, code) == 0)
			return parse_here(p, "选项代码“%s”重复。", code);
		if (strcmp(fl->opts[i].label, label) == 0)
			return parse_here(p, "选项名称“%s”重复。",
			    label);
	}
	fl->opts = xrealloc(fl->opts, (fl->nopts + 1) * sizeof *fl->opts);
	fl->opts[fl->nopts].code = xstrdup(code);
	fl->opts[fl->nopts].label = xstrdup(label);
	fl->nopts++;
	return CX_OK;
}

static int
parse_where_kw(struct parser *p, struct form_field *fl)
{
	size_t i;

	if (p->nargs < 2)
		return parse_here(p, "“where”要写字段名和至少一个选项"
		    "代码，例如“where type branch”。");
	if (parse_check_id(p, "字段名", p->args[0]) != CX_OK)
		return CX_ERR;
	fl->where_field = xstrdup(p->args[0]);
	fl->nwhere = p->nargs - 1;
	fl->where_values = xcalloc(fl->nwhere, sizeof *fl->where_values);
	for (i = 0; i < fl->nwhere; i++)
		fl->where_values[i] = xstrdup(p->args[i + 1]);
	return CX_OK;
}

/* A copy of the arguments from index first on. */
static char **
parse_copy_args(struct parser *p, size_t first, size_t *n)
{
	char **v;
	size_t i;

	*n = p->nargs - first;
	v = xcalloc(*n + 1, sizeof *v);
	for (i = first; i < p->nargs; i++)
		v[i - first] = xstrdup(p->args[i]);
	return v;
}

static int
parse_store_kw(struct parser *p, struct form_field *fl, bool is_sub)
{
	if (is_sub)
		return parse_here(p, "多行表格里的字段不能设“store”。");
	if (p->nargs != 2)
		return parse_here(p, "“store”要写表单名和关联字段名，"
		    "例如“store pledge_ledger pledge”。");
	if (parse_check_id(p, "表单名", p->args[0]) != CX_OK ||
	    parse_check_id(p, "字段名", p->args[1]) != CX_OK)
		return CX_ERR;
	fl->store_kind = xstrdup(p->args[0]);
	fl->store_field = xstrdup(p->args[1]);
	/* "type rows" may have come first and opened a block. */
	p->rows_open = false;
	return CX_OK;
}

static int
parse_columns_kw(struct parser *p, struct form_field *fl)
{
	size_t i, j;

	if (p->nargs == 0)
		return parse_here(p, "“columns”后面缺少字段名。");
	for (i = 0; i < p->nargs; i++) {
		if (parse_check_id(p, "字段名", p->args[i]) != CX_OK)
			return CX_ERR;
		for (j = 0; j < i; j++)
			if (strcmp(p->args[i], p->args[j]) == 0)
				return parse_here(p, "“columns”里的字段“%s”"
				    "重复。", p->args[i]);
	}
	fl->columns = parse_copy_args(p, 0, &fl->ncolumns);
	return CX_OK;
}

static int
parse_auto_kw(struct parser *p, struct form_field *fl, bool is_sub)
{
	size_t i;

	if (is_sub)
		return parse_here(p, "多行表格里的字段不能设“auto”。");
	if (p->nargs == 0)
		return parse_here(p, "“auto”后面缺少函数名。");
	for (i = 0; i < sizeof auto_fns / sizeof auto_fns[0]; i++)
		if (strcmp(p->args[0], auto_fns[i].name) == 0)
			break;
	if (i == sizeof auto_fns / sizeof auto_fns[0])
		return parse_here(p, "未知的自动取值函数“%s”。可用的函数："
		    "period_due、period_of、initial、from、parent、linkkind、"
		    "secretary、members、meeting_expected。", p->args[0]);
	if (p->nargs - 1 != auto_fns[i].nargs)
		return parse_here(p, "“auto %s”后面要写 %zu 个字段名"
		    "（现有 %zu 个）。", p->args[0], auto_fns[i].nargs,
		    p->nargs - 1);
	for (i = 1; i < p->nargs; i++)
		if (parse_check_id(p, "字段名", p->args[i]) != CX_OK)
			return CX_ERR;
	fl->auto_fn = xstrdup(p->args[0]);
	fl->auto_args = parse_copy_args(p, 1, &fl->nauto_args);
	return CX_OK;
}

static int
parse_compute_kw(struct parser *p, struct form_field *fl)
{
	char *err = NULL;

	if (parse_rest(p, "compute", "计算式") != CX_OK)
		return CX_ERR;
	if (expr_parse(p->rest, &fl->compute_expr, &err) != CX_OK) {
		parse_here(p, "计算式有误：%s", err);
		free(err);
		return CX_ERR;
	}
	fl->compute = xstrdup(p->rest);
	return CX_OK;
}

static int
parse_format_kw(struct parser *p, struct form_field *fl)
{
	static const char *const names[] = { "int", "percent", "decimal" };
	static const enum field_format fmts[] = { FMT_INT, FMT_PERCENT,
	    FMT_DECIMAL };
	const char *text;
	size_t i;

	if (p->nargs == 0)
		return parse_here(p, "“format”后面缺少格式：int、percent、"
		    "decimal 或 flag 文字。");
	if (strcmp(p->args[0], "flag") == 0) {
		text = p->rest + strlen("flag");
		text += strspn(text, " \t");
		if (*text == '\0')
			return parse_here(p, "“format flag”后面要写条件成立时"
			    "显示的文字，例如“format flag 逾期”。");
		fl->format = FMT_FLAG;
		fl->flag_text = xstrdup(text);
		return CX_OK;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(p->args[0], names[i]) == 0)
			break;
	if (i == sizeof names / sizeof names[0])
		return parse_here(p, "未知的格式“%s”。可用的格式：int、"
		    "percent、decimal、flag。", p->args[0]);
	if (p->nargs > 1)
		return parse_here(p, "“format %s”后面不应有内容（多了“%s”）。",
		    p->args[0], p->args[1]);
	fl->format = fmts[i];
	return CX_OK;
}

/* check EXPR: form level, except inside a top-level field, where it is
 * kept with the field until the field is finished (a rows field keeps
 * it as a per-row check, any other gives it to the form). */
static int
parse_check_kw(struct parser *p, enum form_kw kw)
{
	struct form_check **v;
	struct expr *e = NULL;
	size_t *n;
	char *err = NULL;

	if (kw == KW_MESSAGE) {
		if (p->pending == NULL)
			return parse_here(p, "“message”前面没有“check”。");
		if (parse_rest(p, "message", "提示文字") != CX_OK)
			return CX_ERR;
		p->pending->message = xstrdup(p->rest);
		p->pending = NULL;
		return CX_OK;
	}
	if (parse_rest(p, "check", "条件") != CX_OK)
		return CX_ERR;
	if (expr_parse(p->rest, &e, &err) != CX_OK) {
		parse_here(p, "检查条件有误：%s", err);
		free(err);
		return CX_ERR;
	}
	if (p->where == IN_FIELD || p->where == IN_SUB) {
		v = &p->top.v[p->top.n - 1].checks;
		n = &p->top.v[p->top.n - 1].nchecks;
	} else {
		v = &p->form->checks;
		n = &p->form->nchecks;
	}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].text = xstrdup(p->rest);
	(*v)[*n].expr = e;
	(*v)[*n].line = p->line;
	p->pending = &(*v)[(*n)++];
	return CX_OK;
}

/* sign FIELD, closed FIELD CODE...: form attributes that may be written
 * anywhere; the fields they name are checked at the end. */
static int
parse_form_extra(struct parser *p, enum form_kw kw)
{
	struct form *f = p->form;

	if (parse_once(p, p->formkw, kw) != CX_OK)
		return CX_ERR;
	if (kw == KW_SIGN) {
		if (parse_one_arg(p, "sign", "字段名") != CX_OK ||
		    parse_check_id(p, "字段名", p->args[0]) != CX_OK)
			return CX_ERR;
		f->sign_field = xstrdup(p->args[0]);
		return CX_OK;
	}
	if (p->nargs < 2)
		return parse_here(p, "“closed”要写字段名和至少一个选项代码，"
		    "例如“closed status done”。");
	if (parse_check_id(p, "字段名", p->args[0]) != CX_OK)
		return CX_ERR;
	f->closed_field = xstrdup(p->args[0]);
	f->closed_values = parse_copy_args(p, 1, &f->nclosed);
	return CX_OK;
}

/* owner committee|branch|both: in the header, who owns the records of
 * the form (adds and deletes them); after "field", who fills that field
 * (docs/forms.md, docs/exchange.md). */
static int
parse_owner(struct parser *p)
{
	static const char *const names[] = { "both", "committee", "branch" };
	enum form_owner o;

	if (p->where == IN_SUB || p->where == AFTER_END)
		return parse_here(p, "“owner”只能写在表单开头或顶层字段里，"
		    "不能写在多行表格的栏目里。");
	if (parse_once(p, p->where == IN_HEADER ? p->formkw :
	    p->topst.kwline, KW_OWNER) != CX_OK)
		return CX_ERR;
	if (parse_one_arg(p, "owner", "归属") != CX_OK)
		return CX_ERR;
	for (o = FORM_OWNER_BOTH; o <= FORM_OWNER_BRANCH; o++)
		if (strcmp(p->args[0], names[o]) == 0)
			break;
	if (o > FORM_OWNER_BRANCH)
		return parse_here(p, "“owner”应是 committee（机关党委）、branch"
		    "（党支部）或 both（双方），现为“%s”。", p->args[0]);
	if (p->where == IN_HEADER)
		p->form->owner = o;
	else {
		p->top.v[p->top.n - 1].owner = o;
		p->top.v[p->top.n - 1].owner_set = true;
	}
	return CX_OK;
}

/* "alias NAME...": other headings a spreadsheet column of this field may
 * carry (csvimport.h).  Names have no blanks; clashes with other fields'
 * names are checked once the whole form is read (parse_check_aliases). */
static int
parse_alias_kw(struct parser *p, struct form_field *fl)
{
	size_t i, j;

	if (p->nargs == 0)
		return parse_here(p, "“alias”后面要写至少一个别名，例如"
		    "“alias 名字”。");
	for (i = 0; i < p->nargs; i++) {
		if (strcmp(p->args[i], fl->id) == 0 ||
		    (fl->label != NULL && strcmp(p->args[i], fl->label) == 0))
			return parse_here(p, "别名“%s”就是这个字段自己的名称，"
			    "不用再写。", p->args[i]);
		for (j = 0; j < i; j++)
			if (strcmp(p->args[i], p->args[j]) == 0)
				return parse_here(p, "别名“%s”重复。",
				    p->args[i]);
	}
	fl->aliases = parse_copy_args(p, 0, &fl->naliases);
	return CX_OK;
}

static int
parse_field_kw(struct parser *p, enum form_kw kw)
{
	bool is_sub = p->where == IN_SUB;
	struct form_field *fl = is_sub ? &p->sub.v[p->sub.n - 1] :
	    &p->top.v[p->top.n - 1];
	struct field_state *st = is_sub ? &p->subst : &p->topst;
	long long v;

	if (kw != KW_OPTION && parse_once(p, st->kwline, kw) != CX_OK)
		return CX_ERR;
	if (kw == KW_OPTION && st->kwline[kw] == 0)
		st->kwline[kw] = p->line;

	switch (kw) {
	case KW_LABEL:
		if (parse_rest(p, "label", "中文名称") != CX_OK)
			return CX_ERR;
		fl->label = xstrdup(p->rest);
		break;
	case KW_TYPE:
		return parse_type(p, fl, is_sub);
	case KW_REQUIRED:
		fl->required = true;
		return parse_no_args(p, "required");
	case KW_INDEX:
		fl->index = true;
		return parse_no_args(p, "index");
	case KW_UNIQUE:
		fl->unique = fl->index = true;
		return parse_no_args(p, "unique");
	case KW_DEFAULT:
		if (parse_rest(p, "default", "默认值") != CX_OK)
			return CX_ERR;
		fl->def = xstrdup(p->rest);
		break;
	case KW_HELP:
		if (parse_rest(p, "help", "帮助文字") != CX_OK)
			return CX_ERR;
		fl->help = xstrdup(p->rest);
		break;
	case KW_LIST:
	case KW_PRINT:
		if (parse_one_arg(p, kw_names[kw], "宽度") != CX_OK)
			return CX_ERR;
		if (!form_parse_range(p->args[0], 0, FORM_WIDTH_MAX, &v))
			return parse_here(p, "“%s”的宽度应是 0 到 %d "
			    "之间的整数，现为“%s”。", kw_names[kw],
			    FORM_WIDTH_MAX, p->args[0]);
		if (kw == KW_LIST)
			fl->list_width = (int)v;
		else
			fl->print_width = (int)v;
		break;
	case KW_OPTION:
		return parse_option(p, fl);
	case KW_WHERE:
		return parse_where_kw(p, fl);
	case KW_STORE:
		return parse_store_kw(p, fl, is_sub);
	case KW_COLUMNS:
		return parse_columns_kw(p, fl);
	case KW_REQUIRED_IF:
		if (p->nargs < 2)
			return parse_here(p, "“required_if”要写字段名和至少一个"
			    "代码，例如“required_if status done”。");
		if (parse_check_id(p, "字段名", p->args[0]) != CX_OK)
			return CX_ERR;
		fl->req_if_field = xstrdup(p->args[0]);
		fl->req_if_values = parse_copy_args(p, 1, &fl->nreq_if);
		break;
	case KW_ANNOTATION:
		fl->annotation = true;
		return parse_no_args(p, "annotation");
	case KW_AUTO:
		return parse_auto_kw(p, fl, is_sub);
	case KW_COMPUTE:
		return parse_compute_kw(p, fl);
	case KW_FORMAT:
		return parse_format_kw(p, fl);
	case KW_ALIAS:
		return parse_alias_kw(p, fl);
	default:
		break;
	}
	return CX_OK;
}

static void
parse_defer(struct parser *p, enum form_kw kw, int line, bool is_sub)
{
	struct deferred *d;

	p->defer = xgrow(p->defer, &p->defercap, p->ndefer + 1,
	    sizeof *p->defer);
	d = &p->defer[p->ndefer++];
	d->top = p->top.n - 1;
	d->sub = is_sub ? p->sub.n - 1 : (size_t)-1;
	d->kw = kw;
	d->line = line;
}

/* The keywords added for the annexes: what goes together, once the
 * field has been read.  Names of other fields wait for the whole form
 * (parse_defer). */
static int
parse_finish_extra(struct parser *p, struct form_field *fl,
    const struct field_state *st, bool is_sub)
{
	static const enum form_kw not_computed[] = { KW_REQUIRED,
	    KW_REQUIRED_IF, KW_DEFAULT, KW_INDEX, KW_UNIQUE, KW_AUTO,
	    KW_WHERE };
	const int *kl = st->kwline;
	struct form *f = p->form;
	size_t i;

	if (fl->compute != NULL) {
		if (kl[KW_TYPE] == 0) {
			fl->type = FT_TEXT;
			fl->maxlen = 0;
		}
		if (fl->type == FT_ROWS)
			return parse_error(p, kl[KW_COMPUTE], "计算字段"
			    "（compute）不能是多行表格。");
		for (i = 0; i < sizeof not_computed / sizeof not_computed[0];
		    i++)
			if (kl[not_computed[i]] != 0)
				return parse_error(p, kl[not_computed[i]],
				    "计算字段（compute）不能设“%s”。",
				    kw_names[not_computed[i]]);
	}
	if (kl[KW_FORMAT] != 0 && fl->compute == NULL)
		return parse_error(p, kl[KW_FORMAT], "只有计算字段（compute）"
		    "才能有“format”。");
	if (fl->auto_fn != NULL && fl->type == FT_ROWS)
		return parse_error(p, kl[KW_AUTO], "多行表格不能设“auto”。");
	if (kl[KW_REQUIRED_IF] != 0 && fl->type == FT_ROWS)
		return parse_error(p, kl[KW_REQUIRED_IF], "多行表格不能设"
		    "“required_if”。");
	if (kl[KW_STORE] != 0 && fl->type != FT_ROWS)
		return parse_error(p, kl[KW_STORE], "只有多行表格（type rows）"
		    "才能有“store”。");
	if (kl[KW_COLUMNS] != 0 && kl[KW_STORE] == 0)
		return parse_error(p, kl[KW_COLUMNS], "“columns”要和“store”"
		    "一起用。");
	if (kl[KW_STORE] != 0 && kl[KW_COLUMNS] == 0)
		return parse_error(p, kl[KW_STORE], "“store”之后要用“columns”"
		    "列出表格里显示的字段。");
	if (fl->store_kind != NULL) {
		for (i = 0; i < fl->ncolumns; i++)
			if (strcmp(fl->columns[i], fl->store_field) == 0)
				return parse_error(p, kl[KW_COLUMNS], "“columns”"
				    "里不能有关联字段“%s”本身。",
				    fl->store_field);
	}
	/* Children find their parent through a link: always indexed. */
	if (fl->type == FT_LINK && !is_sub)
		fl->index = true;
	/* A check written in a field that is not a table is the form's. */
	if (!is_sub && fl->type != FT_ROWS && fl->nchecks > 0) {
		f->checks = xrealloc(f->checks, (f->nchecks + fl->nchecks) *
		    sizeof *f->checks);
		memcpy(&f->checks[f->nchecks], fl->checks,
		    fl->nchecks * sizeof *fl->checks);
		f->nchecks += fl->nchecks;
		free(fl->checks);
		fl->checks = NULL;
		fl->nchecks = 0;
	}
	if (kl[KW_REQUIRED_IF] != 0)
		parse_defer(p, KW_REQUIRED_IF, kl[KW_REQUIRED_IF], is_sub);
	if (kl[KW_AUTO] != 0)
		parse_defer(p, KW_AUTO, kl[KW_AUTO], is_sub);
	if (kl[KW_COMPUTE] != 0)
		parse_defer(p, KW_COMPUTE, kl[KW_COMPUTE], is_sub);
	return CX_OK;
}

/* Checks what can only be checked once the whole field has been read. */
static int parse_rows_default(struct parser *p,
    const struct form_field *fl, int line);

static int
parse_finish_field(struct parser *p, struct form_field *fl,
    struct field_state *st, bool is_sub)
{
	const int *kl = st->kwline;
	char *canon = NULL, *err = NULL;
	size_t i;

	if (fl->label == NULL)
		return parse_error(p, fl->line, "字段“%s”缺少“label”。",
		    fl->id);
	if (kl[KW_TYPE] == 0 && fl->compute == NULL)
		return parse_error(p, fl->line, "字段“%s”缺少“type”。", fl->id);
	if (parse_finish_extra(p, fl, st, is_sub) != CX_OK)
		return CX_ERR;
	if (kl[KW_OPTION] != 0 && !form_is_enum(fl->type))
		return parse_error(p, kl[KW_OPTION], "只有单选（enum）和多选"
		    "（multienum）字段才能有“option”。");
	if (form_is_enum(fl->type) && fl->nopts == 0)
		return parse_error(p, fl->line, "字段“%s”是%s，至少需要一个"
		    "“option”。", fl->id, form_type_name(fl->type));
	if (fl->type == FT_MULTIENUM) {
		for (i = 0; i < fl->nopts; i++) {
			if (form_has_separator(fl->opts[i].code) ||
			    form_has_separator(fl->opts[i].label))
				return parse_error(p, fl->line, "多选字段“%s”的"
				    "选项“%s %s”含有分隔符（逗号、顿号、分号或"
				    "空格），填写时无法区分。", fl->id,
				    fl->opts[i].code, fl->opts[i].label);
		}
	}
	if (kl[KW_WHERE] != 0 && fl->type != FT_REF)
		return parse_error(p, kl[KW_WHERE], "只有引用（ref）字段才能有"
		    "“where”。");
	if (fl->type == FT_ROWS || is_sub) {
		enum form_kw bad = kl[KW_INDEX] ? KW_INDEX : KW_UNIQUE;

		if (kl[bad] != 0)
			return parse_error(p, kl[bad], "%s不能设“%s”。",
			    is_sub ? "多行表格里的字段" : "多行表格",
			    kw_names[bad]);
	}
	if (fl->def != NULL && fl->type == FT_ROWS)
		return parse_rows_default(p, fl, kl[KW_DEFAULT]);
	if (fl->def != NULL && !(strcmp(fl->def, "today") == 0 &&
	    (fl->type == FT_DATE || fl->type == FT_MONTH)) &&
	    !(strcmp(fl->def, "current") == 0 && fl->type == FT_PERIOD)) {
		if (form_input_value(fl, fl->def, &canon, &err) != CX_OK) {
			parse_error(p, kl[KW_DEFAULT], "默认值有误：%s", err);
			free(err);
			return CX_ERR;
		}
		free(fl->def);
		fl->def = canon;
	}
	return CX_OK;
}

/* "default FIELD CODE..." on a rows table: a new record starts with one
 * row per CODE, its enum sub-field FIELD set to it (e.g. the five
 * evaluation items of 附件六).  Only for tables defined in the form. */
static int
parse_rows_default(struct parser *p, const struct form_field *fl, int line)
{
	const struct form_field *sf = NULL;
	char *copy, *tok, *save = NULL;
	size_t i, n = 0;
	int rc = CX_OK;

	if (fl->store_kind != NULL)
		return parse_error(p, line, "保存为其他记录的多行表格不能设默认"
		    "行。");
	copy = xstrdup(fl->def);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL && rc == CX_OK;
	    tok = strtok_r(NULL, " \t", &save), n++) {
		if (n == 0) {
			for (i = 0; i < fl->nsub; i++)
				if (strcmp(fl->sub[i].id, tok) == 0)
					sf = &fl->sub[i];
			if (sf == NULL || sf->type != FT_ENUM)
				rc = parse_error(p, line, "多行表格的默认值应写成"
				    "“default 单选字段 选项代码...”：表格里没有单选"
				    "字段“%s”。", tok);
			continue;
		}
		for (i = 0; i < sf->nopts; i++)
			if (strcmp(sf->opts[i].code, tok) == 0)
				break;
		if (i == sf->nopts)
			rc = parse_error(p, line, "默认行的选项“%s”不是字段“%s”"
			    "的选项代码。", tok, sf->id);
	}
	if (rc == CX_OK && n < 2)
		rc = parse_error(p, line, "多行表格的默认值应写成“default 单选"
		    "字段 选项代码...”，至少一个选项。");
	free(copy);
	return rc;
}

static int
parse_new_field(struct parser *p, struct field_vec *vec,
    struct field_state *st, const char *what)
{
	struct form_field *fl;
	size_t i;

	if (parse_one_arg(p, "field", "字段名") != CX_OK)
		return CX_ERR;
	if (parse_check_id(p, "字段名", p->args[0]) != CX_OK)
		return CX_ERR;
	for (i = 0; i < vec->n; i++)
		if (strcmp(vec->v[i].id, p->args[0]) == 0)
			return parse_here(p, "%s“%s”重复（第 %d 行已"
			    "定义）。", what, p->args[0], vec->v[i].line);
	vec->v = xgrow(vec->v, &vec->cap, vec->n + 1, sizeof *vec->v);
	fl = &vec->v[vec->n++];
	memset(fl, 0, sizeof *fl);
	fl->id = xstrdup(p->args[0]);
	fl->line = p->line;
	memset(st, 0, sizeof *st);
	return CX_OK;
}

/* Checks the header once the first field (or the end) is reached. */
static int
parse_finish_header(struct parser *p)
{
	if (p->form->kind == NULL)
		return parse_here(p, "缺少“form”（表单名），应写在第一个"
		    "“field”之前。");
	if (p->form->label == NULL)
		return parse_here(p, "缺少“label”（表单的中文名称），"
		    "应写在第一个“field”之前。");
	return CX_OK;
}

/* Moves the sub-fields read so far into the open rows field. */
static int
parse_close_rows(struct parser *p)
{
	struct form_field *rows = &p->top.v[p->top.n - 1];

	if (p->where == IN_SUB &&
	    parse_finish_field(p, &p->sub.v[p->sub.n - 1], &p->subst,
	    true) != CX_OK)
		return CX_ERR;
	if (p->sub.n == 0)
		return parse_here(p, "多行表格“%s”没有定义任何字段。",
		    rows->id);
	rows->sub = p->sub.v;
	rows->nsub = p->sub.n;
	memset(&p->sub, 0, sizeof p->sub);
	p->rows_open = false;
	return parse_finish_field(p, rows, &p->topst, false);
}

static int
parse_kw_field(struct parser *p)
{
	switch (p->where) {
	case IN_HEADER:
		if (parse_finish_header(p) != CX_OK)
			return CX_ERR;
		break;
	case IN_FIELD:
		if (p->rows_open) {
			if (parse_new_field(p, &p->sub, &p->subst,
			    "表格里的字段") != CX_OK)
				return CX_ERR;
			p->where = IN_SUB;
			return CX_OK;
		}
		if (parse_finish_field(p, &p->top.v[p->top.n - 1], &p->topst,
		    false) != CX_OK)
			return CX_ERR;
		break;
	case IN_SUB:
		if (parse_finish_field(p, &p->sub.v[p->sub.n - 1], &p->subst,
		    true) != CX_OK)
			return CX_ERR;
		return parse_new_field(p, &p->sub, &p->subst, "表格里的字段");
	case AFTER_END:
		break;
	}
	if (parse_new_field(p, &p->top, &p->topst, "字段") != CX_OK)
		return CX_ERR;
	p->where = IN_FIELD;
	return CX_OK;
}

static int
parse_line(struct parser *p, char *s)
{
	enum form_kw kw;
	char *kwend, *a, *tok, *save = NULL;
	size_t i;

	s += strspn(s, " \t");
	if (*s == '\0' || *s == '#')
		return CX_OK;
	/* Trailing blanks never belong to a value. */
	i = strlen(s);
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		s[--i] = '\0';

	kwend = s + strcspn(s, " \t");
	p->rest = kwend + strspn(kwend, " \t");
	for (kw = 0; kw < KW_COUNT; kw++)
		if ((size_t)(kwend - s) == strlen(kw_names[kw]) &&
		    strncmp(s, kw_names[kw], (size_t)(kwend - s)) == 0)
			break;
	if (kw == KW_COUNT) {
		*kwend = '\0';
		return parse_here(p, "未知的属性“%s”。", s);
	}

	/* Split the arguments of a copy, keeping rest intact. */
	p->nargs = 0;
	a = xstrdup(p->rest);
	for (tok = strtok_r(a, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		p->args = xgrow(p->args, &p->argcap, p->nargs + 1,
		    sizeof *p->args);
		p->args[p->nargs++] = xstrdup(tok);
	}
	free(a);

	if (p->pending != NULL && kw != KW_MESSAGE)
		return parse_error(p, p->pending->line, "“check”之后应紧跟"
		    "“message”（条件不成立时显示的提示）。");
	if (kw == KW_CHECK || kw == KW_MESSAGE)
		return parse_check_kw(p, kw);
	if (kw == KW_SIGN || kw == KW_CLOSED)
		return parse_form_extra(p, kw);
	if (kw == KW_FIELD)
		return parse_kw_field(p);
	if (kw == KW_END) {
		if (parse_no_args(p, "end") != CX_OK)
			return CX_ERR;
		/* Stored rows have no sub-fields; an "end" may still close
		 * them, after their per-row checks. */
		if (p->where == IN_FIELD && !p->rows_open &&
		    p->top.v[p->top.n - 1].store_kind != NULL) {
			if (parse_finish_field(p, &p->top.v[p->top.n - 1],
			    &p->topst, false) != CX_OK)
				return CX_ERR;
			p->where = AFTER_END;
			return CX_OK;
		}
		if (!p->rows_open)
			return parse_here(p, "多余的“end”：前面没有"
			    "未结束的多行表格（type rows）。");
		if (parse_close_rows(p) != CX_OK)
			return CX_ERR;
		p->where = AFTER_END;
		return CX_OK;
	}
	if (kw == KW_OWNER)
		return parse_owner(p);
	if (p->where == IN_HEADER) {
		if (kw > KW_MENU)
			return parse_here(p, "“%s”是字段的属性，应写在"
			    "“field”之后。", kw_names[kw]);
		return parse_header_kw(p, kw);
	}
	if (p->where == AFTER_END)
		return parse_here(p, "“end”之后应是新的“field”，"
		    "“%s”应写在“end”之前。", kw_names[kw]);
	if (kw != KW_LABEL && kw <= KW_MENU)
		return parse_here(p, "“%s”是表单的属性，应写在第一个"
		    "“field”之前。", kw_names[kw]);
	return parse_field_kw(p, kw);
}

/* The "sheet" block belongs to sheet.c: its lines are kept as they are
 * (only "end" is looked for) so that this parser never has to know that
 * language.  Sets *kept when line is part of the block. */
static int
parse_sheet_line(struct parser *p, const char *line, bool *kept)
{
	const char *s = line + strspn(line, " \t");
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*kept = false;
	if (p->in_sheet) {
		*kept = true;
		if (n == 3 && memcmp(s, "end", 3) == 0) {
			p->in_sheet = false;
			p->form->sheet = xstrndup(p->sheet.s ? p->sheet.s : "",
			    p->sheet.len);
			return CX_OK;
		}
		buf_add(&p->sheet, line, strlen(line));
		buf_addc(&p->sheet, '\n');
		return CX_OK;
	}
	if (n < 5 || memcmp(s, "sheet", 5) != 0 ||
	    (n > 5 && s[5] != ' ' && s[5] != '\t'))
		return CX_OK;
	*kept = true;
	if (n > 5)
		return parse_here(p, "“sheet”后面不应有内容，打印版式写在"
		    "“sheet”与“end”之间的各行里。");
	if (p->form->sheet_line != 0)
		return parse_here(p, "“sheet”重复（第 %d 行已写过）。",
		    p->form->sheet_line);
	if (p->pending != NULL)
		return parse_error(p, p->pending->line, "“check”之后应紧跟"
		    "“message”（条件不成立时显示的提示）。");
	p->form->sheet_line = p->line;
	p->in_sheet = true;
	return CX_OK;
}

static void
parser_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nargs; i++)
		free(p->args[i]);
	free(p->args);
	for (i = 0; i < p->top.n; i++)
		form_field_clear(&p->top.v[i]);
	free(p->top.v);
	for (i = 0; i < p->sub.n; i++)
		form_field_clear(&p->sub.v[i]);
	free(p->sub.v);
	free(p->defer);
	buf_free(&p->sheet);
	form_free(p->form);
}

static void
parser_clear_args(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nargs; i++)
		free(p->args[i]);
	p->nargs = 0;
}

/* A field named by another field's attribute: in a row, the row's
 * fields come first. */
static const struct form_field *
parse_scope_find(const struct form *f, const struct form_field *rows,
    const char *id)
{
	const struct form_field *ff = NULL;

	if (rows != NULL)
		ff = form_subfield_find(rows, id);
	return ff != NULL ? ff : form_field_find(f, id);
}

/* The codes of "required_if" or "closed" against the field they name. */
static int
parse_check_codes(struct parser *p, int line, const struct form_field *t,
    char *const *codes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (form_is_enum(t->type) &&
		    form_option_code(t, codes[i]) == NULL)
			return parse_error(p, line, "字段“%s”没有选项代码“%s”。",
			    t->id, codes[i]);
		if (t->type == FT_BOOL && strcmp(codes[i], "1") != 0 &&
		    strcmp(codes[i], "0") != 0)
			return parse_error(p, line, "字段“%s”是“是否”字段，"
			    "代码只能写 1（是）或 0（否）。", t->id);
	}
	return CX_OK;
}

/* The field types the arguments of each auto function must have
 * (FT_COUNT_ANY: any but rows; FT_COUNT_OTHER: a field of another
 * form, checked by formset_load_dir). */
#define AUTO_ANY	(-1)
#define AUTO_OTHER	(-2)

static int
parse_auto_arg_type(const char *fn, size_t i)
{
	if (strcmp(fn, "period_due") == 0)
		return FT_PERIOD;
	if (strcmp(fn, "period_of") == 0)
		return FT_DATE;
	if (strcmp(fn, "from") == 0)
		return i == 0 ? FT_REF : AUTO_OTHER;
	if (strcmp(fn, "parent") == 0)
		return i == 0 ? FT_LINK : AUTO_OTHER;
	if (strcmp(fn, "linkkind") == 0)
		return FT_LINK;
	if (strcmp(fn, "secretary") == 0 || strcmp(fn, "members") == 0)
		return FT_REF;
	return AUTO_ANY;
}

static int
parse_resolve_auto(struct parser *p, const struct deferred *d,
    const struct form_field *fl)
{
	const struct form_field *t;
	size_t i;
	int want;

	for (i = 0; i < fl->nauto_args; i++) {
		want = parse_auto_arg_type(fl->auto_fn, i);
		if (want == AUTO_OTHER)
			continue;
		t = form_field_find(p->form, fl->auto_args[i]);
		if (t == NULL)
			return parse_error(p, d->line, "“auto %s”用到的字段“%s”"
			    "不存在。", fl->auto_fn, fl->auto_args[i]);
		if (t == fl)
			return parse_error(p, d->line, "“auto %s”不能用字段"
			    "“%s”自己。", fl->auto_fn, fl->id);
		if (t->type == FT_ROWS)
			return parse_error(p, d->line, "“auto %s”用到的字段“%s”"
			    "是多行表格。", fl->auto_fn, t->id);
		if (want != AUTO_ANY && t->type != (enum field_type)want)
			return parse_error(p, d->line, "“auto %s”用到的字段“%s”"
			    "应是%s字段（现为%s）。", fl->auto_fn, t->id,
			    form_type_name((enum field_type)want),
			    form_type_name(t->type));
	}
	return CX_OK;
}

static int
parse_resolve(struct parser *p, const struct deferred *d)
{
	struct form *f = p->form;
	const struct form_field *top = &f->fields[d->top], *rows, *fl, *t;
	char *err = NULL;

	rows = d->sub == (size_t)-1 ? NULL : top;
	fl = rows != NULL ? &top->sub[d->sub] : top;
	switch (d->kw) {
	case KW_REQUIRED_IF:
		t = parse_scope_find(f, rows, fl->req_if_field);
		if (t == NULL)
			return parse_error(p, d->line, "“required_if”指定的字段"
			    "“%s”不存在。", fl->req_if_field);
		if (t == fl)
			return parse_error(p, d->line, "“required_if”不能指定"
			    "字段“%s”自己。", fl->id);
		if (t->type == FT_ROWS)
			return parse_error(p, d->line, "“required_if”指定的字段"
			    "“%s”是多行表格。", t->id);
		return parse_check_codes(p, d->line, t, fl->req_if_values,
		    fl->nreq_if);
	case KW_AUTO:
		return parse_resolve_auto(p, d, fl);
	case KW_COMPUTE:
		if (expr_bind(fl->compute_expr, f, rows, NULL, &err) !=
		    CX_OK) {
			parse_error(p, d->line, "计算式有误：%s", err);
			free(err);
			return CX_ERR;
		}
		return CX_OK;
	default:
		return CX_OK;
	}
}

static int
parse_bind_checks(struct parser *p, const struct form_check *c, size_t n,
    const struct form_field *rows)
{
	char *err = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (expr_bind(c[i].expr, p->form, rows, NULL, &err) == CX_OK)
			continue;
		parse_error(p, c[i].line, "检查条件有误：%s", err);
		free(err);
		return CX_ERR;
	}
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Cycles among derived fields                                          */
/* ------------------------------------------------------------------ */

/* A derived field (compute or auto) in the row scope its value is
 * computed in: the same column is one node per table it appears in. */
struct cyc_node {
	const struct form_field	*ff;
	const struct form_field	*rowf;		/* NULL: the record's */
	enum { CYC_NEW, CYC_OPEN, CYC_DONE } state;
};

struct cyc_graph {
	const struct form	*f;
	struct cyc_node		*v;
	size_t			 n, cap;
	size_t			*path;		/* the open nodes, in order */
	size_t			 npath, pathcap;
	size_t			*next;		/* edges being collected */
	size_t			 nnext, nextcap;
	size_t			 cycle;		/* index in path where the
						 * cycle starts */
};

static size_t
cyc_node(struct cyc_graph *g, const struct form_field *ff,
    const struct form_field *rowf)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->v[i].ff == ff && g->v[i].rowf == rowf)
			return i;
	g->v = xgrow(g->v, &g->cap, g->n + 1, sizeof *g->v);
	g->v[g->n].ff = ff;
	g->v[g->n].rowf = rowf;
	g->v[g->n].state = CYC_NEW;
	return g->n++;
}

/* An edge to a field that is itself derived (a stored field ends every
 * chain). */
static void
cyc_edge(void *arg, const struct form_field *ff,
    const struct form_field *rowf)
{
	struct cyc_graph *g = arg;

	if (ff->compute_expr == NULL && ff->auto_fn == NULL)
		return;
	g->next = xgrow(g->next, &g->nextcap, g->nnext + 1,
	    sizeof *g->next);
	g->next[g->nnext++] = cyc_node(g, ff, rowf);
}

/* The fields an auto function reads: its arguments, except those that
 * name a field of another form. */
static void
cyc_auto_edges(struct cyc_graph *g, const struct form_field *fl,
    const struct form_field *rowf)
{
	const struct form_field *t, *scope;
	size_t i;

	for (i = 0; i < fl->nauto_args; i++) {
		if (parse_auto_arg_type(fl->auto_fn, i) == AUTO_OTHER)
			continue;
		t = NULL;
		scope = rowf;
		if (rowf != NULL) {
			t = form_subfield_find(rowf, fl->auto_args[i]);
			if (t == NULL && rowf->store_form != NULL)
				t = form_field_find(rowf->store_form,
				    fl->auto_args[i]);
		}
		if (t == NULL) {
			t = form_field_find(g->f, fl->auto_args[i]);
			scope = NULL;
		}
		if (t != NULL)
			cyc_edge(g, t, scope);
	}
}

/* Depth-first search from node i; true when a cycle was found (then
 * g->path[g->cycle..] holds it). */
static bool
cyc_visit(struct cyc_graph *g, size_t i)
{
	const struct form_field *ff = g->v[i].ff, *rowf = g->v[i].rowf;
	size_t *next, n, k, j;

	g->v[i].state = CYC_OPEN;
	g->path = xgrow(g->path, &g->pathcap, g->npath + 1,
	    sizeof *g->path);
	g->path[g->npath++] = i;
	g->nnext = 0;
	if (ff->compute_expr != NULL)
		expr_refs(ff->compute_expr, g->f, rowf, cyc_edge, g);
	else if (ff->auto_fn != NULL)
		cyc_auto_edges(g, ff, rowf);
	/* The edges are copied: visiting them collects others. */
	n = g->nnext;
	next = xmalloc((n + 1) * sizeof *next);
	if (n > 0)
		memcpy(next, g->next, n * sizeof *next);
	for (k = 0; k < n; k++) {
		j = next[k];
		if (g->v[j].state == CYC_OPEN) {
			for (g->cycle = 0; g->path[g->cycle] != j; g->cycle++)
				;
			free(next);
			return true;
		}
		if (g->v[j].state == CYC_NEW && cyc_visit(g, j)) {
			free(next);
			return true;
		}
	}
	free(next);
	g->v[i].state = CYC_DONE;
	g->npath--;
	return false;
}

/* Looks for a cycle among the derived fields of f: a computed field
 * whose value needs its own value would only be cut by the evaluator's
 * depth limit, after exponential work.  Returns NULL, or the message
 * (Chinese, without "PATH:LINE: ") and in *first and *first_rowf the
 * field where the cycle is reported. */
static char *
form_find_cycle(const struct form *f, const struct form_field **first,
    const struct form_field **first_rowf)
{
	struct cyc_graph g;
	const struct form_field *fl, *a;
	struct buf b;
	bool found = false, has_auto = false;
	size_t i, k;

	memset(&g, 0, sizeof g);
	g.f = f;
	for (i = 0; i < f->nfields; i++) {
		fl = &f->fields[i];
		if (fl->compute_expr != NULL || fl->auto_fn != NULL)
			cyc_node(&g, fl, NULL);
		for (k = 0; k < fl->nsub; k++)
			if (fl->sub[k].compute_expr != NULL ||
			    fl->sub[k].auto_fn != NULL)
				cyc_node(&g, &fl->sub[k], fl);
	}
	for (i = 0; i < g.n && !found; i++)
		if (g.v[i].state == CYC_NEW)
			found = cyc_visit(&g, i);
	if (!found) {
		free(g.v);
		free(g.path);
		free(g.next);
		return NULL;
	}
	buf_init(&b);
	a = g.v[g.path[g.cycle]].ff;
	*first = a;
	*first_rowf = g.v[g.path[g.cycle]].rowf;
	for (i = g.cycle; i < g.npath; i++)
		if (g.v[g.path[i]].ff->auto_fn != NULL)
			has_auto = true;
	if (g.npath - g.cycle == 1 && a->compute_expr != NULL)
		buf_addf(&b, "字段 %s 的计算公式引用了它自己：", a->id);
	else if (g.npath - g.cycle == 1)
		buf_addf(&b, "字段 %s 的自动取值（auto）用到了它自己：",
		    a->id);
	else if (has_auto)
		buf_addstr(&b, "自动取值（auto）和计算公式循环引用：");
	else
		buf_addstr(&b, "计算公式循环引用：");
	for (i = g.cycle; i < g.npath; i++)
		buf_addf(&b, "%s → ", g.v[g.path[i]].ff->id);
	buf_addf(&b, "%s。", a->id);
	free(g.v);
	free(g.path);
	free(g.next);
	return buf_take(&b);
}

/* The line of a field's "compute" or "auto" (else of the field). */
static int
parse_derive_line(const struct parser *p, const struct form_field *ff)
{
	const struct form *f = p->form;
	const struct deferred *d;
	const struct form_field *fl;
	size_t i;

	for (i = 0; i < p->ndefer; i++) {
		d = &p->defer[i];
		if (d->kw != KW_COMPUTE && d->kw != KW_AUTO)
			continue;
		fl = &f->fields[d->top];
		if (d->sub != (size_t)-1)
			fl = &fl->sub[d->sub];
		if (fl == ff)
			return d->line;
	}
	return ff->line;
}

static int
parse_check_cycles(struct parser *p)
{
	const struct form_field *ff, *rowf;
	char *msg;
	int rc;

	if ((msg = form_find_cycle(p->form, &ff, &rowf)) == NULL)
		return CX_OK;
	rc = parse_error(p, parse_derive_line(p, ff), "%s", msg);
	free(msg);
	return rc;
}

/* What names other fields, once the form is complete: required_if,
 * auto, compute, checks (except those of stored rows, whose columns
 * formset_load_dir brings), sign and closed. */
static int
parse_finish_form(struct parser *p)
{
	struct form *f = p->form;
	const struct form_field *t;
	size_t i;

	for (i = 0; i < p->ndefer; i++)
		if (parse_resolve(p, &p->defer[i]) != CX_OK)
			return CX_ERR;
	if (parse_check_cycles(p) != CX_OK ||
	    parse_bind_checks(p, f->checks, f->nchecks, NULL) != CX_OK)
		return CX_ERR;
	for (i = 0; i < f->nfields; i++) {
		t = &f->fields[i];
		if (t->type == FT_ROWS && t->store_kind == NULL &&
		    parse_bind_checks(p, t->checks, t->nchecks, t) != CX_OK)
			return CX_ERR;
	}
	if (f->sign_field != NULL) {
		t = form_field_find(f, f->sign_field);
		if (t == NULL)
			return parse_error(p, p->formkw[KW_SIGN], "“sign”指定的"
			    "字段“%s”不存在。", f->sign_field);
		if (t->type != FT_DATE)
			return parse_error(p, p->formkw[KW_SIGN], "“sign”指定的"
			    "字段“%s”应是日期字段（现为%s）。", t->id,
			    form_type_name(t->type));
	}
	if (f->closed_field != NULL) {
		t = form_field_find(f, f->closed_field);
		if (t == NULL)
			return parse_error(p, p->formkw[KW_CLOSED], "“closed”指定"
			    "的字段“%s”不存在。", f->closed_field);
		if (t->type != FT_ENUM)
			return parse_error(p, p->formkw[KW_CLOSED], "“closed”指定"
			    "的字段“%s”应是单选字段（现为%s）。", t->id,
			    form_type_name(t->type));
		return parse_check_codes(p, p->formkw[KW_CLOSED], t,
		    f->closed_values, f->nclosed);
	}
	return CX_OK;
}

/* An alias must name one field only: no other field may have it as its
 * id, label or alias, or a spreadsheet heading would be ambiguous. */
static int
parse_check_aliases(struct parser *p)
{
	const struct form *f = p->form;
	size_t i, j, k, m;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *a = &f->fields[i];

		for (k = 0; k < a->naliases; k++) {
			for (j = 0; j < f->nfields; j++) {
				const struct form_field *b = &f->fields[j];

				if (j == i)
					continue;
				if (strcmp(a->aliases[k], b->id) == 0 ||
				    strcmp(a->aliases[k], b->label) == 0)
					return parse_error(p, a->line, "字段“%s”"
					    "的别名“%s”是字段“%s”的名称。", a->id,
					    a->aliases[k], b->id);
				for (m = 0; m < b->naliases; m++)
					if (strcmp(a->aliases[k],
					    b->aliases[m]) == 0)
						return parse_error(p, a->line,
						    "别名“%s”同时写在字段“%s”"
						    "和“%s”里。", a->aliases[k],
						    a->id, b->id);
			}
		}
	}
	return CX_OK;
}

/* Checks the end of the file and moves the fields into the form. */
static int
parse_finish(struct parser *p)
{
	const struct form_field *t;

	if (p->line == 0)
		p->line = 1;	/* an empty file */
	if (p->pending != NULL)
		return parse_error(p, p->pending->line, "“check”之后应紧跟"
		    "“message”（条件不成立时显示的提示）。");
	switch (p->where) {
	case IN_HEADER:
		if (parse_finish_header(p) != CX_OK)
			return CX_ERR;
		return parse_here(p, "表单“%s”没有定义任何字段。",
		    p->form->kind);
	case IN_FIELD:
	case IN_SUB:
		if (p->rows_open) {
			const struct form_field *rows = &p->top.v[p->top.n - 1];

			return parse_error(p, rows->line, "多行表格“%s”缺少"
			    "“end”。", rows->id);
		}
		if (parse_finish_field(p, &p->top.v[p->top.n - 1], &p->topst,
		    false) != CX_OK)
			return CX_ERR;
		break;
	case AFTER_END:
		break;
	}
	p->form->fields = p->top.v;
	p->form->nfields = p->top.n;
	memset(&p->top, 0, sizeof p->top);
	if (parse_check_aliases(p) != CX_OK)
		return CX_ERR;
	if (p->form->title != NULL) {
		t = form_field_find(p->form, p->form->title);
		if (t == NULL)
			return parse_error(p, p->title_line, "“title”指定的字段"
			    "“%s”不存在。", p->form->title);
		if (t->type == FT_ROWS)
			return parse_error(p, p->title_line, "“title”指定的字段"
			    "“%s”是多行表格，不能作为标题。", p->form->title);
	}
	return parse_finish_form(p);
}

/* Reads the file line by line; each line is checked for valid UTF-8
 * before anything else so that messages can quote it safely. */
int
form_parse(const char *path, const char *text, size_t len, struct form **out,
    char **errp)
{
	struct parser p;
	const char *s = text, *end = text + len, *nl;
	char *line;
	size_t n;
	bool kept;
	int rc = CX_OK;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.path = path;
	p.errp = errp;
	p.form = xcalloc(1, sizeof *p.form);
	p.form->version = 1;
	p.form->order = 100;
	p.form->path = xstrdup(path);

	/* A BOM, as Windows Notepad writes, is not part of the first line. */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (rc == CX_OK && s < end) {
		p.line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl != NULL ? nl : end) - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n) != NULL || !text_utf8_valid(s, n)) {
			rc = parse_error(&p, p.line, "含有无法识别的字符"
			    "（编码不是 UTF-8），请把文件另存为 UTF-8 编码。");
			break;
		}
		line = xstrndup(s, n);
		rc = parse_sheet_line(&p, line, &kept);
		if (rc == CX_OK && !kept)
			rc = parse_line(&p, line);
		free(line);
		parser_clear_args(&p);
		s = nl != NULL ? nl + 1 : end;
	}
	if (rc == CX_OK && p.in_sheet)
		rc = parse_error(&p, p.form->sheet_line, "打印版式“sheet”缺少"
		    "“end”。");
	if (rc == CX_OK)
		rc = parse_finish(&p);
	if (rc == CX_OK) {
		*out = p.form;
		p.form = NULL;
	}
	parser_free(&p);
	return rc;
}

int
form_load_file(const char *path, struct form **out, char **errp)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (util_read_file(path, &text, &len, errp) != CX_OK)
		return CX_ERR;
	rc = form_parse(path, text, len, out, errp);
	free(text);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Form sets                                                            */
/* ------------------------------------------------------------------ */

void
formset_free(struct formset *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n; i++)
		form_free(fs->forms[i]);
	free(fs->forms);
	free(fs);
}

struct form *
formset_find(const struct formset *fs, const char *kind)
{
	size_t i;

	if (kind == NULL)
		return NULL;
	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->forms[i]->kind, kind) == 0)
			return fs->forms[i];
	return NULL;
}

static int
formset_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
formset_cmp_forms(const void *a, const void *b)
{
	const struct form *fa = *(struct form *const *)a;
	const struct form *fb = *(struct form *const *)b;

	if (fa->order != fb->order)
		return fa->order < fb->order ? -1 : 1;
	return strcmp(fa->kind, fb->kind);
}

/* Checks one ref field against the set: the kind exists, and "where"
 * names a field of it (and, for a choice field, its options). */
static int
formset_check_ref(const struct formset *fs, const struct form *f,
    struct form_field *fl, char **errp)
{
	const struct form *target;
	const struct form_field *wf;
	size_t i;

	if (fl->type != FT_REF)
		return CX_OK;
	target = formset_find(fs, fl->ref_kind);
	if (target == NULL)
		return err_set(errp, "%s:%d: 引用的表单“%s”不存在。", f->path,
		    fl->line, fl->ref_kind);
	fl->ref_form = target;
	if (fl->where_field == NULL)
		return CX_OK;
	wf = form_field_find(target, fl->where_field);
	if (wf == NULL)
		return err_set(errp, "%s:%d: 表单“%s”（%s）没有字段“%s”。",
		    f->path, fl->line, target->kind, target->label,
		    fl->where_field);
	if (wf->type == FT_ROWS)
		return err_set(errp, "%s:%d: 表单“%s”的字段“%s”是多行表格，"
		    "不能用在“where”里。", f->path, fl->line, target->kind,
		    wf->id);
	if (!form_is_enum(wf->type))
		return CX_OK;
	for (i = 0; i < fl->nwhere; i++) {
		if (form_option_code(wf, fl->where_values[i]) == NULL)
			return err_set(errp, "%s:%d: 表单“%s”的字段“%s”没有选项"
			    "代码“%s”。", f->path, fl->line, target->kind,
			    wf->id, fl->where_values[i]);
	}
	return CX_OK;
}

/* Every kind a link field may name must be in the set. */
static int
formset_check_link(const struct formset *fs, const struct form *f,
    const struct form_field *fl, char **errp)
{
	size_t i;

	if (fl->type != FT_LINK)
		return CX_OK;
	for (i = 0; i < fl->nlink_kinds; i++)
		if (formset_find(fs, fl->link_kinds[i]) == NULL)
			return err_set(errp, "%s:%d: 关联的表单“%s”不存在。",
			    f->path, fl->line, fl->link_kinds[i]);
	return CX_OK;
}

static char *
form_strdup0(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char **
form_strv_copy(char *const *v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof *c);
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* A deep copy of a field that is not a table (a column of stored rows).
 * The copy has no index: only top-level fields have one. */
static void
form_field_copy(struct form_field *dst, const struct form_field *src)
{
	size_t i;

	*dst = *src;
	dst->id = xstrdup(src->id);
	dst->label = xstrdup(src->label);
	dst->def = form_strdup0(src->def);
	dst->help = form_strdup0(src->help);
	dst->opts = xcalloc(src->nopts + 1, sizeof *dst->opts);
	for (i = 0; i < src->nopts; i++) {
		dst->opts[i].code = xstrdup(src->opts[i].code);
		dst->opts[i].label = xstrdup(src->opts[i].label);
	}
	dst->ref_kind = form_strdup0(src->ref_kind);
	dst->where_field = form_strdup0(src->where_field);
	dst->where_values = form_strv_copy(src->where_values, src->nwhere);
	dst->sub = NULL;
	dst->nsub = 0;
	dst->index = dst->unique = false;
	dst->link_kinds = form_strv_copy(src->link_kinds, src->nlink_kinds);
	dst->store_kind = NULL;
	dst->store_form = NULL;
	dst->store_field = NULL;
	dst->columns = NULL;
	dst->ncolumns = 0;
	dst->req_if_field = form_strdup0(src->req_if_field);
	dst->req_if_values = form_strv_copy(src->req_if_values,
	    src->nreq_if);
	dst->aliases = form_strv_copy(src->aliases, src->naliases);
	dst->auto_fn = form_strdup0(src->auto_fn);
	dst->auto_args = form_strv_copy(src->auto_args, src->nauto_args);
	dst->compute = form_strdup0(src->compute);
	dst->compute_expr = NULL;
	if (src->compute != NULL &&
	    expr_parse(src->compute, &dst->compute_expr, NULL) != CX_OK)
		dst->compute_expr = NULL;	/* parsed once already */
	dst->flag_text = form_strdup0(src->flag_text);
	dst->checks = NULL;
	dst->nchecks = 0;
}

/* "store KIND FIELD" + "columns": KIND exists, its FIELD links to this
 * form's kind, and the columns are its fields, copied into sub. */
static int
formset_resolve_store(const struct formset *fs, const struct form *f,
    struct form_field *fl, char **errp)
{
	const struct form *target;
	const struct form_field *lf, *cf;
	size_t i;

	if (fl->type != FT_ROWS || fl->store_kind == NULL)
		return CX_OK;
	target = formset_find(fs, fl->store_kind);
	if (target == NULL)
		return err_set(errp, "%s:%d: 多行表格“%s”要存放的表单“%s”"
		    "不存在。", f->path, fl->line, fl->id, fl->store_kind);
	lf = form_field_find(target, fl->store_field);
	if (lf == NULL)
		return err_set(errp, "%s:%d: 表单“%s”（%s）没有字段“%s”。",
		    f->path, fl->line, target->kind, target->label,
		    fl->store_field);
	for (i = 0; lf->type == FT_LINK && i < lf->nlink_kinds; i++)
		if (strcmp(lf->link_kinds[i], f->kind) == 0)
			break;
	if (lf->type != FT_LINK || i == lf->nlink_kinds)
		return err_set(errp, "%s:%d: 表单“%s”的字段“%s”应是能关联到"
		    "“%s”的关联（link）字段。", f->path, fl->line,
		    target->kind, lf->id, f->kind);
	for (i = 0; i < fl->ncolumns; i++) {
		cf = form_field_find(target, fl->columns[i]);
		if (cf == NULL)
			return err_set(errp, "%s:%d: 表单“%s”（%s）没有字段"
			    "“%s”。", f->path, fl->line, target->kind,
			    target->label, fl->columns[i]);
		if (cf->type == FT_ROWS)
			return err_set(errp, "%s:%d: 表单“%s”的字段“%s”是多行"
			    "表格，不能作为“columns”。", f->path, fl->line,
			    target->kind, cf->id);
	}
	fl->sub = xcalloc(fl->ncolumns, sizeof *fl->sub);
	for (i = 0; i < fl->ncolumns; i++) {
		form_field_copy(&fl->sub[i],
		    form_field_find(target, fl->columns[i]));
		fl->nsub++;
	}
	fl->store_form = target;
	return CX_OK;
}

/* The FIELD of "auto from REF FIELD" and "auto parent LINK FIELD" is a
 * field of another form: of the referenced one, or of at least one of
 * the linked ones (the others give nothing). */
static int
formset_check_auto(const struct formset *fs, const struct form *f,
    const struct form_field *fl, char **errp)
{
	const struct form_field *src;
	const struct form *t;
	struct buf b;
	size_t i;

	if (fl->auto_fn == NULL || fl->nauto_args != 2)
		return CX_OK;
	src = form_field_find(f, fl->auto_args[0]);
	if (src == NULL)
		return CX_OK;
	if (strcmp(fl->auto_fn, "from") == 0 && src->ref_form != NULL) {
		if (form_field_find(src->ref_form, fl->auto_args[1]) == NULL)
			return err_set(errp, "%s:%d: “auto from”：表单“%s”（%s）"
			    "没有字段“%s”。", f->path, fl->line,
			    src->ref_form->kind, src->ref_form->label,
			    fl->auto_args[1]);
		return CX_OK;
	}
	if (strcmp(fl->auto_fn, "parent") != 0)
		return CX_OK;
	for (i = 0; i < src->nlink_kinds; i++) {
		t = formset_find(fs, src->link_kinds[i]);
		if (t != NULL && form_field_find(t, fl->auto_args[1]) != NULL)
			return CX_OK;
	}
	buf_init(&b);
	for (i = 0; i < src->nlink_kinds; i++) {
		if (i > 0)
			buf_addstr(&b, "、");
		buf_addstr(&b, src->link_kinds[i]);
	}
	err_set(errp, "%s:%d: “auto parent”：可关联的表单（%s）都没有字段"
	    "“%s”。", f->path, fl->line, b.s != NULL ? b.s : "",
	    fl->auto_args[1]);
	buf_free(&b);
	return CX_ERR;
}

static int
formset_bind_checks(const struct form *f, const struct form_check *c,
    size_t n, const struct form_field *rows, char **errp)
{
	char *err = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (expr_bind(c[i].expr, f, rows, f->settings, &err) == CX_OK)
			continue;
		err_set(errp, "%s:%d: 检查条件有误：%s", f->path, c[i].line,
		    err);
		free(err);
		return CX_ERR;
	}
	return CX_OK;
}

static int
formset_bind_compute(const struct form *f, const struct form_field *fl,
    const struct form_field *rows, char **errp)
{
	char *err = NULL;

	if (fl->compute_expr == NULL ||
	    expr_bind(fl->compute_expr, f, rows, f->settings, &err) == CX_OK)
		return CX_OK;
	err_set(errp, "%s:%d: 计算式有误：%s", f->path, fl->line, err);
	free(err);
	return CX_ERR;
}

/* Cycles again, now that stored rows have their columns (a column's
 * own line is in another file: the table's line is reported). */
static int
formset_check_cycles(const struct form *f, char **errp)
{
	const struct form_field *ff, *rowf;
	char *msg;
	int line;

	if ((msg = form_find_cycle(f, &ff, &rowf)) == NULL)
		return CX_OK;
	line = rowf != NULL && rowf->store_kind != NULL ? rowf->line :
	    ff->line;
	err_set(errp, "%s:%d: %s", f->path, line, msg);
	free(msg);
	return CX_ERR;
}

/* Binds every expression again, now that stored rows have their columns
 * and setting() names can be checked against the settings form. */
static int
formset_bind(const struct form *f, char **errp)
{
	const struct form_field *fl;
	size_t j, k;

	if (formset_bind_checks(f, f->checks, f->nchecks, NULL, errp) !=
	    CX_OK)
		return CX_ERR;
	for (j = 0; j < f->nfields; j++) {
		fl = &f->fields[j];
		if (formset_bind_compute(f, fl, NULL, errp) != CX_OK ||
		    formset_bind_checks(f, fl->checks, fl->nchecks, fl,
		    errp) != CX_OK)
			return CX_ERR;
		for (k = 0; k < fl->nsub; k++)
			if (formset_bind_compute(f, &fl->sub[k], fl, errp) !=
			    CX_OK)
				return CX_ERR;
	}
	return formset_check_cycles(f, errp);
}

static int
formset_check(const struct formset *fs, char **errp)
{
	struct form *f;
	struct form_field *fl;
	const struct form *settings = formset_find(fs, "settings");
	size_t i, j, k;

	for (i = 0; i < fs->n; i++) {
		f = fs->forms[i];
		f->settings = settings;
		for (j = 0; j < f->nfields; j++) {
			fl = &f->fields[j];
			if (formset_check_ref(fs, f, fl, errp) != CX_OK ||
			    formset_check_link(fs, f, fl, errp) != CX_OK)
				return CX_ERR;
			for (k = 0; k < fl->nsub; k++)
				if (formset_check_ref(fs, f, &fl->sub[k],
				    errp) != CX_OK ||
				    formset_check_link(fs, f, &fl->sub[k],
				    errp) != CX_OK)
					return CX_ERR;
		}
	}
	/* Columns are copied once every ref knows its form. */
	for (i = 0; i < fs->n; i++) {
		f = fs->forms[i];
		for (j = 0; j < f->nfields; j++) {
			fl = &f->fields[j];
			if (formset_resolve_store(fs, f, fl, errp) != CX_OK ||
			    formset_check_auto(fs, f, fl, errp) != CX_OK)
				return CX_ERR;
		}
	}
	for (i = 0; i < fs->n; i++)
		if (formset_bind(fs->forms[i], errp) != CX_OK)
			return CX_ERR;
	return CX_OK;
}

/* Lists the *.form files of dir, sorted by name so that loading (and
 * the first error reported) does not depend on the directory order. */
static int
formset_list_dir(const char *dir, struct strlist *names, char **errp)
{
	DIR *d;
	struct dirent *de;
	size_t n;

	d = opendir(dir);
	if (d == NULL)
		return err_set(errp, "无法读取表单目录“%s”：%s", dir,
		    util_strerror(errno));
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= 5 ||
		    strcmp(de->d_name + n - 5, ".form") != 0)
			continue;
		strlist_add(names, de->d_name);
	}
	closedir(d);
	if (names->n > 0)
		qsort(names->v, names->n, sizeof *names->v, formset_cmp_names);
	return CX_OK;
}

int
formset_load_dir(const char *dir, struct formset **out, char **errp)
{
	struct formset *fs;
	struct strlist names;
	struct form *f;
	char *path;
	size_t i, j;

	*out = NULL;
	strlist_init(&names);
	if (formset_list_dir(dir, &names, errp) != CX_OK)
		return CX_ERR;
	if (names.n == 0) {
		strlist_free(&names);
		return err_set(errp, "表单目录“%s”里没有任何 .form 文件。",
		    dir);
	}
	fs = xcalloc(1, sizeof *fs);
	fs->forms = xcalloc(names.n, sizeof *fs->forms);
	for (i = 0; i < names.n; i++) {
		path = xasprintf("%s/%s", dir, names.v[i]);
		if (form_load_file(path, &f, errp) != CX_OK) {
			free(path);
			goto fail;
		}
		free(path);
		for (j = 0; j < fs->n; j++) {
			if (strcmp(fs->forms[j]->kind, f->kind) == 0) {
				err_set(errp, "%s: 表单名“%s”已在 %s 中定义。",
				    f->path, f->kind, fs->forms[j]->path);
				form_free(f);
				goto fail;
			}
		}
		fs->forms[fs->n++] = f;
	}
	if (formset_check(fs, errp) != CX_OK)
		goto fail;
	qsort(fs->forms, fs->n, sizeof *fs->forms, formset_cmp_forms);
	strlist_free(&names);
	*out = fs;
	return CX_OK;

fail:
	strlist_free(&names);
	formset_free(fs);
	return CX_ERR;
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

/* True when the stored value v (a single code, or codes joined by ","
 * for a multi-enum) holds one of the codes. */
static bool
form_where_match(const char *v, char *const *codes, size_t ncodes)
{
	const char *p, *e;
	size_t i;

	if (v == NULL)
		return false;
	for (i = 0; i < ncodes; i++)
		if (strcmp(v, codes[i]) == 0)
			return true;
	for (p = v; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		for (i = 0; i < ncodes; i++)
			if (strlen(codes[i]) == (size_t)(e - p) &&
			    strncmp(p, codes[i], (size_t)(e - p)) == 0)
				return true;
	}
	return false;
}

/* "所属党支部：所选记录的“类型”应为党支部、直属党小组。", with the
 * referenced form's labels when its set is known. */
static void
form_where_problem(const struct form_field *fl,
    const char *name, struct strlist *problems)
{
	const struct form *target = fl->ref_form;
	const struct form_field *wf = NULL;
	const struct form_option *o;
	struct buf b;
	size_t i;

	if (target != NULL)
		wf = form_field_find(target, fl->where_field);
	buf_init(&b);
	for (i = 0; i < fl->nwhere; i++) {
		if (i > 0)
			buf_addstr(&b, "、");
		o = wf != NULL ? form_option_code(wf, fl->where_values[i]) :
		    NULL;
		buf_addstr(&b, o != NULL ? o->label : fl->where_values[i]);
	}
	strlist_addf(problems, "%s：所选记录的“%s”应为%s。", name,
	    wf != NULL ? wf->label : fl->where_field, b.s);
	buf_free(&b);
}

/* Checks that a stored reference points at an existing record that
 * satisfies "where". */
static size_t
form_validate_ref(const struct form_field *fl,
    const char *name, const char *value, form_lookup_fn lookup, void *arg,
    struct strlist *problems)
{
	struct record *target = NULL;
	char *err = NULL;
	uint64_t id;
	size_t n = 0;
	int rc;

	if (lookup == NULL || !util_parse_id(value, &id))
		return 0;
	rc = lookup(arg, fl->ref_kind, id, &target, &err);
	if (rc == CX_NOTFOUND) {
		strlist_addf(problems, "%s：编号为 %s 的记录不存在。", name,
		    value);
		n = 1;
	} else if (rc != CX_OK) {
		strlist_addf(problems, "%s：无法读取编号为 %s 的记录：%s", name,
		    value, err != NULL ? err : "未知错误。");
		n = 1;
	} else if (target == NULL) {
		strlist_addf(problems, "%s：编号为 %s 的记录不存在。", name,
		    value);
		n = 1;
	} else if (fl->where_field != NULL && !form_where_match(
	    record_get(target, fl->where_field), fl->where_values,
	    fl->nwhere)) {
		form_where_problem(fl, name, problems);
		n = 1;
	}
	record_free(target);
	free(err);
	return n;
}

/* What validating one record needs at every level. */
struct vctx {
	const struct form	*f;
	const struct record	*rec;		/* the whole record */
	const struct form_ctx	*ctx;
	form_lookup_fn		 lookup;
	void			*arg;
	struct strlist		*problems;
};

static size_t form_validate_fields(const struct vctx *vc,
    const struct form_field *fields, size_t nfields, const char *prefix,
    const struct record *r, const struct form_field *rowf);

/* A check fails when its value is false (or a zero number); unknown
 * passes. */
static bool
form_check_fails(const struct expr_val *v)
{
	return (v->kind == EV_BOOL && !v->b) ||
	    (v->kind == EV_NUM && v->num == 0);
}

static size_t
form_validate_rows(const struct vctx *vc, const struct form_field *fl,
    const char *name, const struct rvalue *v)
{
	size_t nrows = v != NULL ? v->nrows : 0, min, i, j, n = 0;
	struct expr_val val;
	char *prefix;

	min = fl->min_rows;
	if (fl->required && min == 0)
		min = 1;
	if (nrows < min) {
		strlist_addf(vc->problems, "%s：至少需要 %zu 行。", name, min);
		n++;
	}
	if (fl->max_rows != 0 && nrows > fl->max_rows) {
		strlist_addf(vc->problems, "%s：最多只能有 %zu 行（现有 %zu "
		    "行）。", name, fl->max_rows, nrows);
		n++;
	}
	for (i = 0; i < nrows; i++) {
		prefix = xasprintf("%s第%zu行", name, i + 1);
		n += form_validate_fields(vc, fl->sub, fl->nsub, prefix,
		    v->rows[i], fl);
		for (j = 0; vc->ctx != NULL && j < fl->nchecks; j++) {
			expr_eval(fl->checks[j].expr, vc->f, vc->rec, fl,
			    v->rows[i], vc->f->settings, vc->ctx, &val);
			if (!form_check_fails(&val))
				continue;
			strlist_addf(vc->problems, "%s：%s", prefix,
			    fl->checks[j].message != NULL ?
			    fl->checks[j].message : fl->checks[j].text);
			n++;
		}
		free(prefix);
	}
	return n;
}

/* When fl's "required_if" holds for this record (or row), the reason in
 * words, e.g. 完成情况为“已完成”; else NULL.  In a row the row's fields
 * come first. */
static char *
form_required_if_reason(const struct vctx *vc, const struct form_field *fl,
    const struct form_field *rowf, const struct record *r)
{
	const struct form_field *t = NULL;
	const char *v;
	bool in_row = false;
	char *shown, *reason;

	if (rowf != NULL) {
		t = form_subfield_find(rowf, fl->req_if_field);
		if (t == NULL && rowf->store_form != NULL)
			t = form_field_find(rowf->store_form,
			    fl->req_if_field);
		in_row = t != NULL;
	}
	if (t == NULL)
		t = form_field_find(vc->f, fl->req_if_field);
	if (t == NULL)
		return NULL;
	v = record_get(in_row ? r : vc->rec, t->id);
	if (v == NULL || v[0] == '\0' ||
	    !form_where_match(v, fl->req_if_values, fl->nreq_if))
		return NULL;
	shown = form_value_display(NULL, t, v, NULL, NULL);
	reason = xasprintf("%s为“%s”", t->label, shown);
	free(shown);
	return reason;
}

/* Validates the fields of a record or of one row.  prefix is NULL at the
 * top level (messages start with the label) or "承诺事项第2行" in a row
 * (messages start with 承诺事项第2行“内容”); rowf is then the rows
 * field.  Computed fields are never stored and so never checked; auto
 * fields are never "required". */
static size_t
form_validate_fields(const struct vctx *vc, const struct form_field *fields,
    size_t nfields, const char *prefix, const struct record *r,
    const struct form_field *rowf)
{
	const struct form_field *fl;
	const struct rvalue *v;
	char *name, *canon, *err, *reason;
	size_t i, n = 0;

	for (i = 0; i < nfields; i++) {
		fl = &fields[i];
		if (fl->compute != NULL)
			continue;
		v = record_find(r, fl->id);
		name = prefix == NULL ? xstrdup(fl->label) :
		    xasprintf("%s“%s”", prefix, fl->label);
		if (fl->type == FT_ROWS) {
			if (v != NULL && !v->is_rows) {
				strlist_addf(vc->problems, "%s：存储的值类型"
				    "不对（应是多行表格）。", name);
				n++;
			} else
				n += form_validate_rows(vc, fl, name, v);
			free(name);
			continue;
		}
		if (v != NULL && v->is_rows) {
			strlist_addf(vc->problems, "%s：存储的值类型不对（应是"
			    "%s，不是多行表格）。", name,
			    form_type_name(fl->type));
			n++;
			free(name);
			continue;
		}
		if (v == NULL || v->text == NULL || v->text[0] == '\0') {
			if (fl->required && fl->auto_fn == NULL) {
				strlist_addf(vc->problems, "%s：必须填写。",
				    name);
				n++;
			} else if (fl->req_if_field != NULL &&
			    fl->auto_fn == NULL && (reason =
			    form_required_if_reason(vc, fl, rowf, r)) != NULL) {
				strlist_addf(vc->problems, "%s：%s时必须填写。",
				    name, reason);
				free(reason);
				n++;
			}
			free(name);
			continue;
		}
		canon = err = NULL;
		if (form_input_named(fl, name, v->text, &canon, &err) !=
		    CX_OK) {
			strlist_take(vc->problems, err);
			n++;
		} else if (strcmp(canon, v->text) != 0) {
			strlist_addf(vc->problems, "%s：“%s”不是规范的存储格式"
			    "（应为“%s”）。", name, v->text, canon);
			n++;
		} else if (fl->type == FT_REF)
			n += form_validate_ref(fl, name, canon, vc->lookup,
			    vc->arg, vc->problems);
		free(canon);
		free(name);
	}
	return n;
}

size_t
form_validate_ctx(const struct form *f, const struct record *r,
    const struct form_ctx *ctx, form_lookup_fn lookup, void *arg,
    struct strlist *problems)
{
	struct vctx vc;
	struct expr_val val;
	size_t i, n;

	vc.f = f;
	vc.rec = r;
	vc.ctx = ctx;
	vc.lookup = lookup;
	vc.arg = arg;
	vc.problems = problems;
	n = form_validate_fields(&vc, f->fields, f->nfields, NULL, r, NULL);
	for (i = 0; ctx != NULL && i < f->nchecks; i++) {
		expr_eval(f->checks[i].expr, f, r, NULL, NULL, f->settings,
		    ctx, &val);
		if (!form_check_fails(&val))
			continue;
		strlist_add(problems, f->checks[i].message != NULL ?
		    f->checks[i].message : f->checks[i].text);
		n++;
	}
	return n;
}

/* Today by the system clock, or CXZY_NOW ("YYYY-MM-DD...") when set, as
 * model_today() reads it (model.c sits above this module). */
static void
form_today(struct date *out)
{
	const char *s = getenv("CXZY_NOW");
	struct tm tm;
	time_t t;
	char buf[11];

	if (s != NULL && strlen(s) >= 10) {
		memcpy(buf, s, 10);
		buf[10] = '\0';
		if (date_parse(buf, out, NULL) == CX_OK)
			return;
	}
	t = time(NULL);
	if (localtime_r(&t, &tm) == NULL) {
		out->y = 2000;
		out->m = out->d = 1;
		return;
	}
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
}

size_t
form_validate(const struct form *f, const struct record *r,
    form_lookup_fn lookup, void *arg, struct strlist *problems)
{
	struct form_ctx ctx;

	memset(&ctx, 0, sizeof ctx);
	form_today(&ctx.today);
	return form_validate_ctx(f, r, &ctx, lookup, arg, problems);
}

/* ------------------------------------------------------------------ */
/* Computed fields                                                      */
/* ------------------------------------------------------------------ */

bool
form_field_derived(const struct form_field *ff)
{
	return ff != NULL && (ff->auto_fn != NULL || ff->compute != NULL);
}

/* The rows field of f whose sub-fields hold ff, or NULL. */
static const struct form_field *
form_rows_of(const struct form *f, const struct form_field *ff)
{
	size_t i, j;

	for (i = 0; i < f->nfields; i++)
		for (j = 0; j < f->fields[i].nsub; j++)
			if (&f->fields[i].sub[j] == ff)
				return &f->fields[i];
	return NULL;
}

/* A number as a format says; rounding half away from zero, and never
 * "-0". */
static char *
form_format_num(double v, enum field_format fmt)
{
	char buf[64];

	switch (fmt) {
	case FMT_PERCENT:
		snprintf(buf, sizeof buf, "%.1f%%", v * 100);
		break;
	case FMT_DECIMAL:
		snprintf(buf, sizeof buf, "%.2f", v);
		break;
	case FMT_INT:
		snprintf(buf, sizeof buf, "%.0f", v);
		break;
	default:
		if (v == (double)(long long)v && v > -1e15 && v < 1e15)
			snprintf(buf, sizeof buf, "%lld", (long long)v);
		else
			snprintf(buf, sizeof buf, "%.2f", v);
		break;
	}
	if (strncmp(buf, "-0", 2) == 0 && strspn(buf + 1, "0.%") ==
	    strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return xstrdup(buf);
}

char *
form_compute(const struct form_field *ff, const struct form *f,
    const struct record *r, const struct record *parent,
    const struct form_ctx *ctx)
{
	const struct form_field *rowf = NULL;
	struct expr_val v;
	char buf[11];
	struct date d;

	if (ff == NULL || ff->compute_expr == NULL || f == NULL)
		return xstrdup("");
	if (parent != NULL)
		rowf = form_rows_of(f, ff);
	if (rowf != NULL)
		expr_eval(ff->compute_expr, f, parent, rowf, r, f->settings,
		    ctx, &v);
	else
		expr_eval(ff->compute_expr, f, parent != NULL ? parent : r,
		    NULL, NULL, f->settings, ctx, &v);
	if (ff->format == FMT_FLAG) {
		bool on = (v.kind == EV_BOOL && v.b) ||
		    (v.kind == EV_NUM && v.num != 0);

		return xstrdup(on && ff->flag_text != NULL ? ff->flag_text :
		    "");
	}
	switch (v.kind) {
	case EV_NUM:
		return form_format_num(v.num, ff->format);
	case EV_BOOL:
		if (ff->format != FMT_NONE)
			return form_format_num(v.b ? 1 : 0, ff->format);
		return xstrdup(v.b ? "是" : "否");
	case EV_DATE:
		date_from_days(v.days, &d);
		date_format(&d, buf);
		return xstrdup(buf);
	case EV_STR:
		if (ff->type == FT_ENUM || ff->type == FT_MULTIENUM ||
		    ff->type == FT_PERIOD)
			return form_value_display(NULL, ff, v.str, NULL, NULL);
		return xstrdup(v.str);
	default:
		return xstrdup("");
	}
}

/* ------------------------------------------------------------------ */
/* Defaults and display                                                 */
/* ------------------------------------------------------------------ */

/* The preset rows of a rows table ("default FIELD CODE..."), checked by
 * parse_rows_default. */
static void
form_default_rows(const struct form_field *fl, struct record *r)
{
	char *copy, *tok, *field = NULL, *save = NULL;
	struct record *row;

	copy = xstrdup(fl->def);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (field == NULL) {
			field = tok;
			continue;
		}
		row = record_add_row(r, fl->id);
		record_set(row, field, tok);
	}
	free(copy);
}

/* Empty text counts as no value: form_validate treats it as missing. */
static void
form_defaults_fields(const struct form_field *fields, size_t nfields,
    struct record *r, const struct date *today)
{
	const struct form_field *fl;
	struct rvalue *v;
	char buf[11];
	size_t i, j;

	for (i = 0; i < nfields; i++) {
		fl = &fields[i];
		v = record_find(r, fl->id);
		if (fl->type == FT_ROWS) {
			if (v == NULL && fl->def != NULL)
				form_default_rows(fl, r);
			v = record_find(r, fl->id);
			if (v != NULL && v->is_rows)
				for (j = 0; j < v->nrows; j++)
					form_defaults_fields(fl->sub, fl->nsub,
					    v->rows[j], today);
			continue;
		}
		if (fl->def == NULL || (v != NULL && (v->is_rows ||
		    (v->text != NULL && v->text[0] != '\0'))))
			continue;
		if (strcmp(fl->def, "today") == 0 &&
		    (fl->type == FT_DATE || fl->type == FT_MONTH)) {
			struct date d = *today;

			if (fl->type == FT_MONTH)
				d.d = 0;
			date_format(&d, buf);
			record_set(r, fl->id, buf);
		} else if (strcmp(fl->def, "current") == 0 &&
		    fl->type == FT_PERIOD) {
			record_set_take(r, fl->id, xasprintf("%04dH%d",
			    today->y, today->m <= 6 ? 1 : 2));
		} else
			record_set(r, fl->id, fl->def);
	}
}

void
form_apply_defaults(const struct form *f, struct record *r,
    const struct date *today)
{
	form_defaults_fields(f->fields, f->nfields, r, today);
}

static char *form_display(const struct formset *fs,
    const struct form_field *f, const char *text, form_lookup_fn lookup,
    void *arg, int depth);

/* A reference reads as the title of the record it points at.  depth
 * stops titles that are themselves references from going round a
 * cycle. */
static char *
form_display_ref(const struct formset *fs, const struct form_field *f,
    const char *text, form_lookup_fn lookup, void *arg, int depth)
{
	const struct form *target;
	const struct form_field *tf;
	struct record *rec = NULL;
	const char *title;
	char *err = NULL, *s;
	uint64_t id;
	int rc;

	if (!util_parse_id(text, &id))
		return xstrdup(text);
	if (lookup == NULL || depth >= FORM_DISPLAY_DEPTH)
		return xasprintf("（编号%s）", text);
	rc = lookup(arg, f->ref_kind, id, &rec, &err);
	free(err);
	if (rc == CX_NOTFOUND)
		return xasprintf("（编号%s，已不存在）", text);
	if (rc != CX_OK)
		return xasprintf("（编号%s，无法读取）", text);
	target = fs != NULL ? formset_find(fs, f->ref_kind) : NULL;
	tf = target != NULL ? form_field_find(target, target->title) : NULL;
	title = tf != NULL ? record_get(rec, tf->id) : NULL;
	if (title != NULL && title[0] != '\0')
		s = form_display(fs, tf, title, lookup, arg, depth + 1);
	else
		s = xasprintf("（编号%s）", text);
	record_free(rec);
	return s;
}

/* A link reads as the kind's label and the linked record's title:
 * "党支部公开承诺书：机关第一党支部". */
static char *
form_display_link(const struct formset *fs, const char *text,
    form_lookup_fn lookup, void *arg, int depth)
{
	const struct form *target;
	const struct form_field *tf;
	struct record *rec = NULL;
	const char *title, *colon = strchr(text, ':');
	char *kind, *err = NULL, *shown, *s;
	uint64_t id;
	int rc;

	if (colon == NULL || !util_parse_id(colon + 1, &id))
		return xstrdup(text);
	kind = xstrndup(text, (size_t)(colon - text));
	target = fs != NULL ? formset_find(fs, kind) : NULL;
	if (lookup == NULL || depth >= FORM_DISPLAY_DEPTH) {
		s = xasprintf("%s：（编号%s）", target != NULL ? target->label :
		    kind, colon + 1);
		free(kind);
		return s;
	}
	rc = lookup(arg, kind, id, &rec, &err);
	free(err);
	if (rc == CX_NOTFOUND || (rc == CX_OK && rec == NULL))
		shown = xasprintf("（编号%s，已不存在）", colon + 1);
	else if (rc != CX_OK)
		shown = xasprintf("（编号%s，无法读取）", colon + 1);
	else {
		tf = target != NULL ? form_field_find(target, target->title) :
		    NULL;
		title = tf != NULL ? record_get(rec, tf->id) : NULL;
		if (title != NULL && title[0] != '\0')
			shown = form_display(fs, tf, title, lookup, arg,
			    depth + 1);
		else
			shown = xasprintf("（编号%s）", colon + 1);
	}
	s = xasprintf("%s：%s", target != NULL ? target->label : kind, shown);
	free(shown);
	free(kind);
	record_free(rec);
	return s;
}

static char *
form_display(const struct formset *fs, const struct form_field *f,
    const char *text, form_lookup_fn lookup, void *arg, int depth)
{
	const struct form_option *o;
	const char *p, *e;
	struct buf b;

	if (text == NULL || text[0] == '\0')
		return xstrdup("");
	switch (f->type) {
	case FT_ENUM:
		o = form_option_code(f, text);
		return xstrdup(o != NULL ? o->label : text);
	case FT_MULTIENUM:
		buf_init(&b);
		buf_addstr(&b, "");
		for (p = text; *p != '\0'; p = *e ? e + 1 : e) {
			char *code;

			e = p + strcspn(p, ",");
			if (e == p)
				continue;
			code = xstrndup(p, (size_t)(e - p));
			o = form_option_code(f, code);
			if (b.len > 0)
				buf_addstr(&b, "、");
			buf_addstr(&b, o != NULL ? o->label : code);
			free(code);
		}
		return buf_take(&b);
	case FT_BOOL:
		if (strcmp(text, "1") == 0)
			return xstrdup("是");
		if (strcmp(text, "0") == 0)
			return xstrdup("否");
		return xstrdup(text);
	case FT_REF:
		return form_display_ref(fs, f, text, lookup, arg, depth);
	case FT_LINK:
		return form_display_link(fs, text, lookup, arg, depth);
	case FT_PERIOD: {
		int y, h;

		if (!form_period_parse(text, &y, &h))
			return xstrdup(text);
		return xasprintf("%d年%s", y, h == 1 ? "上半年" : "下半年");
	}
	default:
		return xstrdup(text);
	}
}

char *
form_value_display(const struct formset *fs, const struct form_field *f,
    const char *text, form_lookup_fn lookup, void *arg)
{
	return form_display(fs, f, text, lookup, arg, 0);
}
