/* expr.h: the small expression language of form checks and computed
 * fields (docs/forms.md §14).
 *
 *   expr    := or
 *   or      := and { "or" and }
 *   and     := not { "and" not }
 *   not     := [ "not" ] cmp
 *   cmp     := sum [ ( "=" | "!=" | "<" | "<=" | ">" | ">=" ) sum ]
 *   sum     := prod { ( "+" | "-" ) prod }
 *   prod    := unary { ( "*" | "/" ) unary }
 *   unary   := [ "-" ] atom
 *   atom    := NUMBER | "STRING" | IDENT | IDENT "(" [ expr { "," expr } ] ")"
 *            | "(" expr ")"
 *
 * Values are numbers, strings, dates (compared and subtracted as days),
 * booleans, or unknown.  A field reads as its type says: int → number,
 * date → date, period → string "2026H2", bool → boolean, anything else →
 * its stored text (enum code).  An empty field is unknown; so is any
 * operation on an unknown value, and a division by zero.  "and" and "or"
 * follow three-valued logic (false and unknown = false, true or unknown =
 * true).
 *
 * In a row (a rows block's check or computed column) a name is looked up
 * among the row's fields first, then the record's.  Rows fields are only
 * valid as the first argument of count() and sum().
 *
 * Functions:
 *   today                     today's date (a name, not a call)
 *   count(ROWS)               number of rows
 *   count(ROWS, FIELD, "C"...) rows whose FIELD is one of the codes
 *                             (for multienum: contains one of them)
 *   sum(ROWS, FIELD)          sum of an int field over the rows (empty = 0)
 *   has(X)                    true when X is not empty (never unknown)
 *   if(C, A, B)               A when C is true, B when false, else unknown
 *   min(A, B), max(A, B)
 *   start(P), end(P)          first and last day of period P
 *   setting("NAME")           a setting (forms/settings.form) as its type
 *                             says, its default when not set
 */
#ifndef CXZY_EXPR_H
#define CXZY_EXPR_H

#include <stdbool.h>

#include "formdef.h"

enum expr_kind { EV_UNKNOWN, EV_NUM, EV_STR, EV_DATE, EV_BOOL };

struct expr_val {
	enum expr_kind	 kind;
	double		 num;		/* EV_NUM */
	long		 days;		/* EV_DATE: days since 1970-01-01 */
	bool		 b;		/* EV_BOOL */
	const char	*str;		/* EV_STR: borrowed from the record,
					 * the expression or the settings */
};

/* Parses text.  Messages are Chinese and name the column:
 * "第5个字符：缺少右括号。" */
int expr_parse(const char *text, struct expr **out, char **errp);
void expr_free(struct expr *e);

/* Checks every name against the fields (row context: row fields first,
 * then the record's fields; rowf NULL at top level) and every setting
 * name against the settings form (may be NULL: then any name is allowed).
 * Message: "未知的字段“xx”。" */
int expr_bind(const struct expr *e, const struct form *f,
    const struct form_field *rowf, const struct form *settings,
    char **errp);

/* Calls fn once for each field reference in e, resolved as evaluation
 * resolves it: rowf is the row scope e is evaluated in (NULL at top
 * level), and fn receives the field and the row scope its own value is
 * computed in (NULL: the record's).  count(ROWS, FIELD, ...) and
 * sum(ROWS, FIELD) name FIELD in the scope of ROWS; count(ROWS) names
 * no field; unknown names are skipped.  Used to find cycles among
 * computed fields. */
void expr_refs(const struct expr *e, const struct form *f,
    const struct form_field *rowf,
    void (*fn)(void *arg, const struct form_field *ff,
    const struct form_field *scope), void *arg);

/* Evaluates e for record rec of form f; for a row, row is the row record
 * and rowf the rows field (else both NULL).  settings is the settings
 * form, for types and defaults (may be NULL). */
void expr_eval(const struct expr *e, const struct form *f,
    const struct record *rec, const struct form_field *rowf,
    const struct record *row, const struct form *settings,
    const struct form_ctx *ctx, struct expr_val *out);

#endif
