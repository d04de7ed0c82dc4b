/* csvimport.h: adding records of one kind from a spreadsheet saved as
 * CSV (cxzy import --csv 种类 文件).
 *
 * The rules this module guarantees:
 *
 * - The file may be UTF-8, UTF-8 with a byte order mark or GB18030
 *   (csv_decode); quoting as RFC 4180 (csv.h).
 * - The first line that is not empty holds the column headings.  A
 *   heading names a field by its label, its id or one of its aliases
 *   ("alias" in the form, docs/forms.md), blanks around it and a trailing
 *   "*" (a template's "required" mark) ignored.  Fields the program fills
 *   (auto, compute) and multi-line tables cannot be imported.  Headings
 *   that name nothing refuse the whole file, listing them and the
 *   accepted headings, unless ignore_unknown is set: then those columns
 *   are skipped and listed in notes.
 * - Every row starts with the form's defaults (a "current" period is the
 *   period the user works in), and each non-empty cell goes through the
 *   caller's input function: the same one typed input uses, so that
 *   references accept names and choices accept their labels.
 * - Rows with nothing in them are skipped.  Every other row becomes a
 *   new record, validated as ledger_save does (ledger_add_many); a
 *   unique value may not repeat within the file or match a stored record.
 * - All or nothing: any problem in any row and nothing is written; each
 *   problem is listed as "文件:行号：问题", the line being where the row
 *   starts in the file (the heading line is line 1 in a file that starts
 *   with it).  With no problem, all rows are written in one transaction,
 *   or, for a dry run, nothing is.
 */
#ifndef CXZY_CSVIMPORT_H
#define CXZY_CSVIMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "formdef.h"
#include "ledger.h"
#include "record.h"
#include "util.h"

/* Turns what a cell holds into the stored text of field ff, as typed
 * input does (cli_input); "" for nothing.  CX_OK or CX_ERR with a
 * message that names the field. */
typedef int (*csvimport_input_fn)(void *arg, const struct form_field *ff,
    const char *value, char **out, char **errp);

struct csvimport {
	/* Set by the caller (zero the rest). */
	const char		*name;		/* the file, in messages */
	bool			 dry_run;
	bool			 ignore_unknown;
	csvimport_input_fn	 input;
	void			*input_arg;

	/* Filled by csvimport_run. */
	const char		*encoding;	/* "UTF-8", "UTF-8 BOM", "GB18030" */
	struct strlist		 problems;	/* "文件:行号：问题" */
	struct strlist		 notes;		/* columns skipped */
	struct record		**recs;		/* added (or would be), with ids
						 * unless a dry run */
	int			*lines;		/* where each rec came from */
	size_t			 nrecs;
	size_t			 nempty;	/* empty rows skipped */
};

/* The field a column heading names, or NULL.  *importable (when not
 * NULL) says whether the field can be filled from a spreadsheet (not
 * computed, auto or a multi-line table). */
const struct form_field *csvimport_match(const struct form *f,
    const char *heading, bool *importable);
/* The headings f accepts, for messages: "姓名（或 名字）、性别、…". */
char *csvimport_headings(const struct form *f);

/* Reads len bytes of a CSV file and adds its rows as records of f (see
 * the rules above).  CX_OK: all rows were added (or, for a dry run,
 * would be).  CX_ERR: nothing was written; either the file as a whole is
 * refused (encoding, quoting, headings: *errp says why) or some rows
 * are (ci->problems lists them, *errp "有 N 处问题，…").  Free ci with
 * csvimport_free in both cases. */
int csvimport_run(struct ledger *lg, const struct form *f, const char *bytes,
    size_t len, struct csvimport *ci, char **errp);
void csvimport_free(struct csvimport *ci);

#endif
