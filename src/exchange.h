/* exchange.h: branches and the 机关党委 exchanging packages.
 *
 * A data directory is either a 机关党委 directory (the whole unit; the
 * default, and every directory made before packages existed) or a branch
 * directory (one 党支部 or 直属党小组), made from a package the 机关党委
 * prepared (cxzy init DIR --from FILE).  The meta values that say so:
 *
 *   scope            "branch" in a branch directory; absent (or
 *                    "committee") in a 机关党委 directory
 *   branch           in a branch directory: the global id (_gid) of the
 *                    branch's org record
 *   arrival:GID      in a 机关党委 directory: the latest package received
 *                    from the branch whose org record has global id GID,
 *                    "YYYY-MM-DD HH:MM:SS<TAB>PERIOD<TAB>FILE<TAB>MADE"
 *                    (PERIOD a code such as 2026H2, or "all"; FILE the
 *                    package's file name, without directories; MADE when
 *                    the package was made).  A package no newer than the
 *                    one recorded (an old or repeated one) leaves it.
 *
 * See docs/exchange.md for the yearly calendar and who owns what.
 */
#ifndef CXZY_EXCHANGE_H
#define CXZY_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "archive.h"
#include "formdef.h"
#include "model.h"
#include "store.h"
#include "util.h"

/* Whether st is a branch directory. */
bool exchange_is_branch(struct store *st);

/* In a branch directory: the local id of the branch's org record.
 * CX_NOTFOUND (with a message) in a 机关党委 directory or when the record
 * is missing. */
int exchange_branch_org(struct store *st, const struct formset *fs,
    uint64_t *org_id, char **errp);

/* The latest package received from the branch with org id org_id.
 * CX_NOTFOUND when none arrived yet.  Free with exchange_arrival_free. */
struct exchange_arrival {
	char	*when;		/* "YYYY-MM-DD HH:MM:SS" */
	char	*period;	/* "2026H2" or "all" */
	char	*file;
	char	*created;	/* when the package was made ("" if unknown) */
};
int exchange_arrival_get(struct store *st, const struct formset *fs,
    uint64_t org_id, struct exchange_arrival *out, char **errp);
/* Records an arrival (in the 机关党委 directory). */
int exchange_arrival_set(struct store *st, const struct formset *fs,
    uint64_t org_id, const struct exchange_arrival *a, char **errp);
void exchange_arrival_free(struct exchange_arrival *a);

/* The org record (local id) of the 党支部 or 直属党小组 named name. */
int exchange_find_branch(struct store *st, const struct formset *fs,
    const char *name, uint64_t *org_id, char **errp);

/* Makes a package (docs/exchange.md).  In a branch directory: the
 * branch's records for filing (branch_org 0 or the branch's own); in a
 * 机关党委 directory: everything branch branch_org needs.  period NULL:
 * all periods.  out is a file, or a directory (a USB stick) where a file
 * named after the direction, the branch, the period and the time is
 * made ("报送-办公室党支部-2026H2-20260710-0930.cxzy"); an existing file
 * is refused unless force.  progress as in struct archive_package. */
struct exchange_package_out {
	char	*path;		/* the file written */
	char	*branch_name;
	size_t	 n;		/* records written */
	bool	 to_committee;	/* a branch's package for the 机关党委 */
};
int exchange_package(struct store *st, const struct formset *fs,
    uint64_t branch_org, const struct period *period, const char *out,
    bool force, void (*progress)(void *, size_t), void *progress_arg,
    struct exchange_package_out *po, char **errp);
void exchange_package_out_free(struct exchange_package_out *po);

/* Imports a file, an export archive or a package, as `cxzy import`
 * does: a package with the ownership rules (archive_package_opts); a
 * package that would change a locked period is held (a copy kept in
 * DATADIR/pending, hold_error says when that failed); a branch's package
 * taken records its arrival.  Fails (nothing changed) when the file
 * cannot be read or is the wrong package here. */
struct exchange_import {
	struct archive		*a;
	struct archive_report	 rep;
	bool			 package;
	char			*held_at;	/* the copy in pending/, or NULL */
	char			*hold_error;	/* or NULL */
};
int exchange_import_file(struct store *st, const struct formset *fs,
    const char *file, bool dry_run, struct exchange_import *x, char **errp);
/* The same, calling progress now and then (see struct archive_opts). */
int exchange_import_file_with(struct store *st, const struct formset *fs,
    const char *file, bool dry_run, void (*progress)(void *, size_t),
    void *progress_arg, struct exchange_import *x, char **errp);
/* Joins a branch that kept its ledger on its own: file is an export of
 * its directory, branch the name of the branch here (docs/exchange.md,
 * struct archive_opts join_org).  Only in a 机关党委 directory. */
int exchange_join_file(struct store *st, const struct formset *fs,
    const char *file, const char *branch, bool dry_run,
    struct exchange_import *x, char **errp);
/* What the import did, as text: the file's description, the report
 * (the summary, or every record when verbose) and what to do next. */
char *exchange_import_text(const struct exchange_import *x,
    const char *file, bool verbose);
void exchange_import_free(struct exchange_import *x);

/* The packages held in DATADIR/pending, sorted by name. */
void exchange_pending_list(struct store *st, struct strlist *files);
/* The file name part of a path. */
const char *exchange_basename(const char *path);

#endif
