/* rollup.h: the printed reports of a period, and the list of all of them.
 *
 * Besides the paper forms of each record (sheet.h) and the 名册 of each
 * kind (roster.h), a period has its roll-ups, computed from the records
 * alone (nothing is typed twice):
 *
 *   承诺践诺统计  附件三 per branch: items, 服务/实事, done, overdue,
 *                 completion rate, member pledge coverage; overdue and
 *                 unkept items listed
 *   群众评议汇总  附件六 per branch: votes, 满意率, 满意度 and score,
 *                 warnings; then per item across branches
 *   整改情况      整改台账 per branch and by source: open, overdue,
 *                 awaiting 验收, completion rate; 整改通知书 and 复验
 *   三会一课统计  meetings held against the settings per branch and type,
 *                 attendance, 党课 without 讲义, unsigned records
 *   备案报告      the semi-annual filing package: a cover page, the
 *                 contents, an overview of every annex per branch, then
 *                 the four roll-ups above, each from a new page.  For
 *                 one branch (--branch, or always in a branch
 *                 directory) it is the branch's own: addressed to the
 *                 机关党委, signed by its 书记 (组长 of a 直属党小组),
 *                 its roll-ups, then its annex sheets, the pages
 *                 numbered straight through
 *
 * printout_list() names everything `cxzy report` and the 报表 screen
 * can print; printout_build() makes one of them.
 */
#ifndef CXZY_ROLLUP_H
#define CXZY_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger.h"
#include "model.h"
#include "report.h"
#include "sheet.h"

enum printout_what {
	PRINT_SHEET,		/* a kind's paper forms */
	PRINT_ROLLUP,		/* a roll-up of the period */
	PRINT_PACKAGE,		/* 备案报告 */
	PRINT_ROSTER		/* a kind's 名册 */
};

enum rollup_which {
	ROLLUP_PLEDGES,		/* 承诺践诺统计 */
	ROLLUP_MASS_EVAL,	/* 群众评议汇总 */
	ROLLUP_RECTIFY,		/* 整改情况 */
	ROLLUP_MEETINGS,	/* 三会一课统计 */
	ROLLUP_OVERVIEW,	/* 备案情况总表 (in the package) */
	ROLLUP_COUNT
};

struct printout {
	enum printout_what	 what;
	char			*name;		/* what to type: "branch_pledge",
						 * "承诺践诺统计", "名册:member" */
	char			*title;		/* Chinese: "党支部公开承诺书（附件一）" */
	char			*about;		/* one line: what it holds */
	char			*file;		/* ASCII, for file names: "member",
						 * "pledges", "filing" */
	const struct form	*f;		/* sheet, roster */
	enum rollup_which	 which;		/* rollup */
	bool			 period;	/* takes --period */
	bool			 branch;	/* takes --branch */
};

struct printouts {
	struct printout	*v;
	size_t		 n;
};

/* Everything that can be printed with the forms of fs: the kinds with a
 * sheet (in form order), the roll-ups, 备案报告, then the 名册 of every
 * kind.  A kind without a sheet is also found by its plain name (its
 * 名册). */
void printout_list(const struct formset *fs, struct printouts *out);
void printouts_free(struct printouts *p);

/* Finds a printout by name: its name, a kind's id or label (its sheets,
 * or its 名册 when it has none), "名册:" followed by a kind's id or
 * label.  NULL when nothing matches. */
const struct printout *printout_find(const struct printouts *p,
    const struct formset *fs, const char *name);

/* Makes a printout for period p (NULL: the current period) and branch
 * (a stored org id, or NULL: all).  opts gives the encoding, line ends
 * and border; its width is used only when width_given (else each report
 * picks 80 or 136).  CX_NOTFOUND with a message when there is nothing to
 * print; CX_ERR on errors. */
int printout_build(struct ledger *lg, const struct printout *po,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp);

/* A roll-up as a report of its own, or appended to the package. */
int rollup_build(struct ledger *lg, enum rollup_which which,
    const struct period *p, const char *branch,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp);
int rollup_package(struct ledger *lg, const struct period *p,
    const struct report_opts *opts, bool width_given,
    struct sheet_doc **out, char **errp);

/* The branch a 备案报告 is for.  In a 机关党委 directory: branch itself
 * (a stored org id, or NULL: the whole unit's report); in a branch
 * directory: the directory's own branch (exchange_branch_org), and a
 * branch other than that is refused.  *id is allocated (or NULL). */
int rollup_filing_branch(struct ledger *lg, const char *branch, char **id,
    char **errp);

#endif
