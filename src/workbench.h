/* workbench.h: 工作台, what is missing or late in a period, per branch.
 *
 * Built from the records alone (no screen): the full-screen program shows
 * it as its first screen, "cxzy todo" prints it.  Each item says where it
 * is fixed: an existing record to open, or a new record of a kind with
 * some fields already filled in.
 *
 * Items, per 党支部 / 直属党小组 (org types branch and direct_group):
 *   WB_NO_BRANCH_PLEDGE   no 附件一 for the period
 *   WB_NO_MEMBER_PLEDGE   a member without 附件二 (one item per member)
 *   WB_NO_MEMBER_REVIEW   a member without 附件五 (one item per member)
 *   WB_NO_LEADER_REVIEW   branch / secretary not reviewed (附件四)
 *   WB_NO_MASS_EVAL       no 附件六
 *   WB_PLEDGE_OVERDUE     a 附件三 item past its 完成时限, not finished
 *   WB_RECTIFY_OVERDUE    a 整改台账 item past its 整改时限, not closed
 *   WB_NOTICE_RECHECK     a 整改通知书 awaiting 复验
 *   WB_MEETINGS_SHORT     fewer meetings of a type than required so far
 *   WB_LECTURE_NO_NOTES   a 党课 without 讲义
 *
 * In a 机关党委 directory it also lists every branch with what arrived
 * of its packages (ledger_arrival()): whether the package of the period
 * came in, and when.
 */
#ifndef CXZY_WORKBENCH_H
#define CXZY_WORKBENCH_H

#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "model.h"
#include "record.h"

enum wb_what {
	WB_NO_BRANCH_PLEDGE,
	WB_NO_MEMBER_PLEDGE,
	WB_NO_MEMBER_REVIEW,
	WB_NO_LEADER_REVIEW,
	WB_NO_MASS_EVAL,
	WB_PLEDGE_OVERDUE,
	WB_RECTIFY_OVERDUE,
	WB_NOTICE_RECHECK,
	WB_MEETINGS_SHORT,
	WB_LECTURE_NO_NOTES
};

struct wb_item {
	enum wb_what	 what;
	uint64_t	 branch_id;
	char		*branch;	/* branch name */
	char		*text;		/* one line of Chinese, without the
					 * branch name: "张三没有党员公开承诺书" */
	const char	*kind;		/* where it is fixed: a kind ... */
	uint64_t	 id;		/* ... and a record, or 0: a new one */
	struct record	*prefill;	/* new record: fields filled in */
};

/* A branch and its package (机关党委 directory only). */
struct wb_branch {
	uint64_t		 id;
	char			*name;
	struct ledger_arrival	 arrival;
};

struct workbench {
	struct period	 period;
	struct date	 due;		/* filing deadline */
	long		 days_left;	/* from today; negative when late */
	struct wb_item	*items;		/* by branch (org order), then what */
	size_t		 n;
	struct wb_branch *branches;	/* org order; none in a branch
					 * directory */
	size_t		 nbranches;
	size_t		 nfiled;	/* branches whose package arrived */
};

int workbench_build(struct ledger *lg, const struct period *p,
    struct workbench *out, char **errp);
void workbench_free(struct workbench *wb);

#endif
