/* roster.h: the printed 名册 of a kind of record.
 *
 * A roster lists every record of a kind; its columns are the fields with
 * a print width in the form, so the paper layout comes from forms/ like
 * everything else.  Shared by `cxzy report` and the 报表 screen.
 */
#ifndef CXZY_ROSTER_H
#define CXZY_ROSTER_H

#include <stdbool.h>

#include "formdef.h"
#include "report.h"
#include "store.h"

/* The field a roster may be limited to one branch by: a top-level
 * reference to an org restricted to branches, or NULL. */
const struct form_field *roster_branch_field(const struct form *f);

/* Builds the roster of form f: titles (the unit, "<label>名册"), the
 * header grid, a numbered table of the fields with a print width, the
 * total and the signature lines.  branch is a stored branch value to
 * limit the roster to (f must have a roster_branch_field), or NULL.
 * Unless width_given, a table too wide for 80 columns goes landscape
 * (136).  Returns CX_OK and a report in *out for report_render(), or
 * CX_ERR with a message in *errp. */
int roster_build(struct store *st, const struct formset *fs,
    const struct form *f, const char *branch, const struct report_opts *opts,
    bool width_given, struct report **out, char **errp);

#endif
