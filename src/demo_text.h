/* demo_text.h: the Chinese wording of the demo office's annexes.
 *
 * Only demo.c reads these.  The content follows the notice's setting, a
 * city 人防办 whose 处室 each form a 党支部: 指挥通信, 工程建设与管理,
 * 人防法制建设, 宣传教育 and the offices serving them.  Enum values are
 * written as the options' Chinese labels (or codes); demo.c looks them up
 * in the forms, so a renamed option fails loudly instead of storing junk. */
#ifndef CXZY_DEMO_TEXT_H
#define CXZY_DEMO_TEXT_H

#include <stddef.h>

/* One pledge item: 附件一/二 columns, and what happened to it. */
struct demo_pledge_text {
	const char	*kind;		/* 服务承诺 or 实事承诺 */
	const char	*content;
	const char	*target;
	const char	*measures;
	const char	*five;		/* 五个好 / 五带头 labels joined by 、 */
	const char	*unmet;		/* why it was not kept, or NULL */
};

/* A problem found by a review, an evaluation or an inspection. */
struct demo_issue_text {
	const char	*issue;
	const char	*measures;
	const char	*evidence;	/* what proved it fixed */
};

/* One 党支部 (or the 直属党小组) and its work. */
struct demo_theme {
	const char			*unit;		/* "办公室" */
	const char			*work;		/* its main business */
	const char			*location;	/* where it meets */
	/* [0], [1] for the earlier half-year, [2], [3] for the later. */
	struct demo_pledge_text		 service[4];
	struct demo_pledge_text		 fact[4];
	/* Members' pledges about their own posts. */
	struct demo_pledge_text		 member[6];
	struct demo_issue_text		 issues[4];
	const char			*strengths[2];	/* by half-year */
	const char			*lecture[2];	/* 党课 titles */
};

#define DEMO_NTHEMES 8
extern const struct demo_theme demo_themes[DEMO_NTHEMES];

/* Pledges any member can make (学习, 志愿服务 ...). */
extern const struct demo_pledge_text demo_common_pledges[];
extern const size_t demo_ncommon_pledges;

/* Leaders who review their 联系点 (附件四): fictional names. */
struct demo_leader {
	const char	*name;
	const char	*title;
};
extern const struct demo_leader demo_leaders[4];

/* Sentences for reviews and evaluations; demo.c picks among them. */
extern const char *const demo_self_evals[];
extern const size_t demo_nself_evals;
extern const char *const demo_member_strengths[];
extern const size_t demo_nmember_strengths;
extern const char *const demo_member_problems[];
extern const size_t demo_nmember_problems;
extern const char *const demo_member_directions[];
extern const size_t demo_nmember_directions;
extern const char *const demo_member_aspects[5][3];
extern const struct demo_issue_text demo_member_issues[];
extern const size_t demo_nmember_issues;
extern const char *const demo_org_problems[];
extern const size_t demo_norg_problems;
extern const char *const demo_org_directions[];
extern const size_t demo_norg_directions;
extern const char *const demo_sec_strengths[];
extern const size_t demo_nsec_strengths;
extern const char *const demo_sec_problems[];
extern const size_t demo_nsec_problems;
extern const char *const demo_sec_directions[];
extern const size_t demo_nsec_directions;
extern const char *const demo_aspect_1[];
extern const size_t demo_naspect_1;
extern const char *const demo_aspect_6[];
extern const size_t demo_naspect_6;
extern const struct demo_issue_text demo_mass_issues[];
extern const size_t demo_nmass_issues;

/* Progress notes of a pledge or a rectification, by stage. */
extern const char *const demo_progress_start[];
extern const size_t demo_nprogress_start;
extern const char *const demo_progress_mid[];
extern const size_t demo_nprogress_mid;
extern const char *const demo_assessments[];
extern const size_t demo_nassessments;

/* 三会一课. */
extern const char *const demo_committee_topics[6][2];	/* title, agenda */
extern const char *const demo_group_topics[6][2];
extern const char *const demo_meeting_remarks[];
extern const size_t demo_nmeeting_remarks;
extern const char *const demo_lecture_handouts[];
extern const size_t demo_nlecture_handouts;

/* Inspections by the 机关党委 (整改通知书). */
struct demo_notice_text {
	const char			*situation;
	const struct demo_issue_text	 issues[2];
	const char			*requirements;
	const char			*report;
	const char			*recheck;
};
extern const struct demo_notice_text demo_notices[3];

#endif
