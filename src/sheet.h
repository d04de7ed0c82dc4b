/* sheet.h: a record printed as its paper form.
 *
 * Each annex form may end with a "sheet" ... "end" block (docs/forms.md
 * §18) that says how one record prints: title lines, a header grid, the
 * paragraphs, tables, boxes and signature lines of the paper form, with
 * {field} standing for a field's value.  formdef.c keeps the block's
 * lines as text (struct form: sheet, sheet_line); this module parses them
 * and lays the records out with the report engine (report.h), so adding
 * a line to a printed form is an edit to forms/ only.
 *
 * A printout is a list of reports (struct sheet_doc): one per record (or
 * per group of records, "per FIELD"), each starting on a new page and
 * numbered on its own ("第 1 页 共 2 页"), as the paper forms are signed
 * and filed one by one.  Roll-ups and the 备案报告 are sheet_docs of one
 * report (rollup.h).
 */
#ifndef CXZY_SHEET_H
#define CXZY_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "formdef.h"
#include "ledger.h"
#include "model.h"
#include "report.h"

struct sheet;

/* Parses the sheet block of f (which must have one: f->sheet_line != 0).
 * Field names are checked against f, its rows and the forms its stored
 * rows live in (so call it on a loaded formset).  Errors read
 * "PATH:LINE: message" like the form parser's. */
int sheet_parse(const struct form *f, struct sheet **out, char **errp);
void sheet_free(struct sheet *sh);

/* Parses every sheet of the set: the first error, or CX_OK. */
int sheet_check_set(const struct formset *fs, char **errp);

/* The sheet's "about" line (a Chinese description), or NULL. */
const char *sheet_about(const struct sheet *sh);

/* Whether records of f go to paper by period ("period" or
 * "current_period" field) and by branch ("branch_id"). */
bool sheet_has_period(const struct form *f);
bool sheet_has_branch(const struct form *f);

/* Reports printed together: pages of each report are numbered on their
 * own; between two reports comes the same separator as between pages. */
struct sheet_doc {
	struct report	**reports;
	size_t		  n;
	char		 *title;	/* what it is: "党员公开承诺书（附件二）" */
	size_t		  pages;	/* after sheet_doc_render() */
	bool		  formfeed;	/* from the options: the separator */
	bool		  crlf;
};

/* A new, empty printout; opts (NULL: defaults) gives the separator
 * between reports. */
struct sheet_doc *sheet_doc_new(const char *title,
    const struct report_opts *opts);
void sheet_doc_add(struct sheet_doc *d, struct report *r);
void sheet_doc_free(struct sheet_doc *d);
/* Renders every report (a BOM, when asked, only at the very start) and
 * appends the bytes to out.  Returns CX_OK, or CX_ERR with a message
 * (out unchanged). */
int sheet_doc_render(struct sheet_doc *d, struct buf *out, char **errp);

/* The unit (the committee org's name) and friends, for titles. */
char *sheet_unit_name(struct ledger *lg);

/* Builds the sheets of kind f for period p (NULL: the current period),
 * limited to branch (a stored org id, or NULL: every branch): one report
 * per record, or per group with "per".  Records are read with their
 * stored rows (ledger_get).  The paper width is the sheet's ("width",
 * else 80) unless width_given.  CX_NOTFOUND with a message when no
 * record matches; CX_ERR on errors. */
int sheet_build(struct ledger *lg, const struct form *f,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp);

#endif
