/* formdef.h: form definitions (the files in forms/) and record validation.
 *
 * One plain-text file per record kind describes every field once; the
 * entry screen, validation, storage (indexes) and printed layout all read
 * it.  The file format is specified in docs/forms.md.  In short:
 *
 *   # comment
 *   form member            kind id: [a-z][a-z0-9_]*
 *   label 党员名册          Chinese name of the kind
 *   version 1              bumped when fields change meaning
 *   title name             field that names a record (in lists, references)
 *   order 20               position in menus (ascending)
 *   menu 组织与党员         main-menu group; forms sharing one form a submenu
 *
 *   field name             field id: [a-z][a-z0-9_]*
 *     label 姓名
 *     type text 20         text MAXCHARS | longtext [MAXCHARS] | date |
 *                          month | int MIN MAX | enum | multienum | bool |
 *                          ref KIND | rows [MINROWS [MAXROWS]]
 *     required             flag
 *     index                flag: keep an index on this field
 *     unique               flag: at most one record per value (implies index)
 *     default VALUE        "today" for date fields
 *     help 一行帮助文字
 *     list WIDTH           list column width in screen columns (0 = none)
 *     print WIDTH          printed column width in print columns (0 = none)
 *     option CODE [LABEL]  enum and multienum choices; LABEL defaults to CODE
 *     where FIELD CODE...  ref only: the referenced record's FIELD must hold
 *                          one of the CODEs
 *   field items
 *     type rows 1
 *     field content ...    sub-fields of each row
 *     end                  closes the rows field
 *
 * Added for the annexes (docs/forms.md §13–§17):
 *
 *   type period            half-year, stored "2026H2"; default "current"
 *   type time              time of day, stored "HH:MM"
 *   type link KIND...      a record of one of the KINDs, stored "KIND:ID";
 *                          always indexed (children find their parent)
 *   type rows [MIN [MAX]]  with "store KIND FIELD" instead of a field
 *     store KIND FIELD     block: each row IS a record of KIND whose link
 *     columns ID...        field FIELD names this record; the columns are
 *                          fields of KIND shown (and typed) in this table
 *   required_if FIELD CODE...  required when FIELD holds one of CODEs
 *   annotation             flag: may still change in a locked period
 *   auto FN ARG...         filled in by the program on every save (and
 *                          shown, never typed); FN is one of the derivation
 *                          functions listed in docs/forms.md §15
 *   compute EXPR           derived, never stored: shown and printed
 *   format FMT [TEXT]      how a computed value reads: int | percent |
 *                          decimal | flag TEXT (TEXT when true, else empty)
 *   alias NAME...          other column headings a spreadsheet may use
 *                          for the field (cxzy import --csv)
 *   check EXPR             (form level, or inside a rows block for each row)
 *   message 中文           the message when the preceding check is false
 *   closed FIELD CODE...   form level: records whose FIELD holds one of
 *                          the CODEs are finished
 *   sign FIELD             form level: once FIELD is filled the record is
 *                          signed, and each later change keeps the old
 *                          version (store history)
 *   sheet ... end          the printed form (docs/forms.md §18): kept as
 *                          text in struct form for sheet.c
 *
 * Leading white space is ignored; the parser reports errors as
 * "PATH:LINE: message" in Chinese.
 */
#ifndef CXZY_FORMDEF_H
#define CXZY_FORMDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "record.h"
#include "util.h"

enum field_type {
	FT_TEXT,
	FT_LONGTEXT,
	FT_DATE,
	FT_MONTH,
	FT_INT,
	FT_ENUM,
	FT_MULTIENUM,
	FT_BOOL,
	FT_REF,
	FT_ROWS,
	FT_PERIOD,	/* "2026H2" */
	FT_TIME,	/* "HH:MM" */
	FT_LINK		/* "KIND:ID" */
};

enum field_format {
	FMT_NONE,	/* stored fields: as the type says */
	FMT_INT,	/* "12" */
	FMT_PERCENT,	/* "85.7%" (one decimal) */
	FMT_DECIMAL,	/* "8.65" (two decimals) */
	FMT_FLAG	/* flag_text when true, "" otherwise */
};

struct expr;		/* expr.h */

/* A check: expr must not be false (an unknown value, e.g. from an empty
 * field, passes: emptiness is what "required" is for). */
struct form_check {
	char		*text;		/* the expression as written */
	struct expr	*expr;
	char		*message;	/* Chinese */
	int		 line;
};

struct form_option {
	char	*code;
	char	*label;
};

/* Who owns a record kind or a field when a branch and the 机关党委
 * exchange packages ("owner" in a form; docs/exchange.md). */
enum form_owner {
	FORM_OWNER_BOTH,		/* either side (the default) */
	FORM_OWNER_COMMITTEE,		/* the 机关党委 */
	FORM_OWNER_BRANCH		/* the 党支部 or 直属党小组 */
};

struct form_field {
	char			*id;
	char			*label;
	enum field_type		 type;
	bool			 required;
	bool			 index;
	bool			 unique;
	char			*def;		/* default, or NULL */
	char			*help;		/* or NULL */
	size_t			 maxlen;	/* characters, text and longtext */
	long long		 min, max;	/* int range */
	struct form_option	*opts;		/* enum, multienum */
	size_t			 nopts;
	char			*ref_kind;	/* ref */
	const struct form	*ref_form;	/* ref: set by formset_load_dir */
	char			*where_field;	/* ref, or NULL */
	char		       **where_values;
	size_t			 nwhere;
	struct form_field	*sub;		/* rows */
	size_t			 nsub;
	size_t			 min_rows, max_rows;	/* max 0 = no limit */
	int			 list_width;
	int			 print_width;
	int			 line;		/* where it was defined */

	/* FT_LINK: the kinds it may name. */
	char		       **link_kinds;
	size_t			 nlink_kinds;
	/* FT_ROWS with "store": rows are records of store_kind whose
	 * FT_LINK field store_field names the owner.  sub/nsub are then deep
	 * copies of the columns' definitions in store_form, made by
	 * formset_load_dir. */
	char			*store_kind;
	const struct form	*store_form;
	char			*store_field;
	char		       **columns;
	size_t			 ncolumns;
	/* required_if */
	char			*req_if_field;
	char		       **req_if_values;
	size_t			 nreq_if;
	bool			 annotation;
	enum form_owner		 owner;		/* when owner_set, else the
						 * form's */
	bool			 owner_set;
	/* auto: function name and arguments (field ids). */
	char			*auto_fn;
	char		       **auto_args;
	size_t			 nauto_args;
	/* compute */
	char			*compute;	/* the expression as written */
	struct expr		*compute_expr;
	enum field_format	 format;
	char			*flag_text;
	/* alias NAME...: other headings for the field's spreadsheet column
	 * (cxzy import --csv); the id and the label are always accepted */
	char		       **aliases;
	size_t			 naliases;
	/* checks inside a rows block, for each row */
	struct form_check	*checks;
	size_t			 nchecks;
};

struct form {
	char			*kind;
	char			*label;
	unsigned		 version;
	char			*title;		/* title field id */
	int			 order;
	char			*menu;		/* menu group, or NULL (own item) */
	char			*path;
	struct form_field	*fields;
	size_t			 nfields;
	struct form_check	*checks;	/* form-level checks */
	size_t			 nchecks;
	char			*sign_field;	/* or NULL */
	enum form_owner		 owner;		/* adds and deletes records */
	/* "closed FIELD CODE...": a record whose FIELD holds one of the
	 * CODEs is finished (not overdue, not carried forward). */
	char			*closed_field;
	char		       **closed_values;
	size_t			 nclosed;
	const struct form	*settings;	/* the set's "settings" form, or
						 * NULL: set by formset_load_dir */
	/* "sheet" ... "end": how a record prints as its paper form.  Not
	 * parsed here: the lines between the two are kept as written (joined
	 * by "\n", comments included) for sheet.c (docs/forms.md §18).
	 * sheet_line is the line of "sheet" (0: no sheet). */
	char			*sheet;
	int			 sheet_line;
};

/* What checks and computed fields need besides the record: today's date
 * and the settings (the single "settings" record; see docs/forms.md §16).
 * setting() returns the stored text of a setting, or NULL for the
 * default written in forms/settings.form. */
struct form_ctx {
	struct date	  today;
	const char	*(*setting)(void *arg, const char *name);
	void		 *arg;
};

struct formset {
	struct form	**forms;	/* sorted by order, then kind */
	size_t		  n;
};

/* Parses the text of one form file.  path is used in messages only. */
int form_parse(const char *path, const char *text, size_t len,
    struct form **out, char **errp);
int form_load_file(const char *path, struct form **out, char **errp);
void form_free(struct form *f);

/* Loads every *.form file in dir.  Checks that kinds are unique and that
 * every ref names a kind in the set.  Fails on the first error. */
int formset_load_dir(const char *dir, struct formset **out, char **errp);
void formset_free(struct formset *fs);
struct form *formset_find(const struct formset *fs, const char *kind);

const struct form_field *form_field_find(const struct form *f, const char *id);
/* Who fills field id of f: the field's "owner", else the form's. */
enum form_owner form_field_owner(const struct form *f, const char *id);
/* Same, among the sub-fields of a rows field. */
const struct form_field *form_subfield_find(const struct form_field *rows,
    const char *id);
/* Finds an option by code, or else by label. */
const struct form_option *form_option_find(const struct form_field *f,
    const char *code_or_label);
const char *form_type_name(enum field_type t);	/* Chinese, e.g. "日期" */

/* Turns what a user typed into the canonical stored text (see record.h):
 * trims, converts full-width digits for dates and numbers, parses dates,
 * matches enum codes or labels, checks length and range.  An empty input
 * gives "" (emptiness is checked by form_validate).  Not for FT_ROWS.
 * Messages name the field: "姓名：不能超过 20 个字（现有 25 个字）。" */
int form_input_value(const struct form_field *f, const char *input,
    char **out, char **errp);

/* Looks up a referenced record.  Returns CX_OK and a record the caller
 * frees, CX_NOTFOUND, or CX_ERR with a message. */
typedef int (*form_lookup_fn)(void *arg, const char *kind, uint64_t id,
    struct record **out, char **errp);

/* Checks a whole record and appends one message per problem to problems,
 * each naming the field's Chinese label (and the row for sub-fields:
 * "承诺事项第2行“内容”：必须填写。").  lookup may be NULL, then references
 * are not checked.  Returns the number of problems found. */
size_t form_validate(const struct form *f, const struct record *r,
    form_lookup_fn lookup, void *arg, struct strlist *problems);
/* The same, also running required_if, the rows' checks and the form's
 * checks with ctx (form_validate uses today's date and default
 * settings). */
size_t form_validate_ctx(const struct form *f, const struct record *r,
    const struct form_ctx *ctx, form_lookup_fn lookup, void *arg,
    struct strlist *problems);

/* True for fields that are never typed: auto and compute. */
bool form_field_derived(const struct form_field *ff);
/* The text of a computed field for record r (row: the row record, with
 * parent the record; top level: parent NULL), formatted as the field's
 * format says; "" when unknown.  Newly allocated. */
char *form_compute(const struct form_field *ff, const struct form *f,
    const struct record *r, const struct record *parent,
    const struct form_ctx *ctx);

/* Sets the default of every field that has one and no value yet.
 * "today" becomes the given date. */
void form_apply_defaults(const struct form *f, struct record *r,
    const struct date *today);

/* Returns how a stored value reads to a person: an enum's label, a
 * multi-enum's labels joined by "、", 是/否 for a bool, the referenced
 * record's title for a ref (or "（编号N，已不存在）"), the text itself
 * otherwise.  Newly allocated. */
char *form_value_display(const struct formset *fs, const struct form_field *f,
    const char *text, form_lookup_fn lookup, void *arg);

#endif
