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
 *                    "YYYY-MM-DD HH:MM:SS<TAB>PERIOD<TAB>FILE" (PERIOD a
 *                    code such as 2026H2, or "all"; FILE the package's
 *                    file name, without directories)
 *
 * See docs/exchange.md for the yearly calendar and who owns what.
 */
#ifndef CXZY_EXCHANGE_H
#define CXZY_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "formdef.h"
#include "store.h"

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
};
int exchange_arrival_get(struct store *st, const struct formset *fs,
    uint64_t org_id, struct exchange_arrival *out, char **errp);
/* Records an arrival (in the 机关党委 directory). */
int exchange_arrival_set(struct store *st, const struct formset *fs,
    uint64_t org_id, const struct exchange_arrival *a, char **errp);
void exchange_arrival_free(struct exchange_arrival *a);

#endif
