/* model.h: organisations, members and half-year periods.
 *
 * The record kinds themselves are described in forms/ (org.form,
 * member.form); this module holds the few rules that tie records together
 * and the calendar of the 创先争优 cycle:
 *
 * - An office has one 机关党委 (org type "committee").  Its 党支部 ("branch")
 *   and 直属党小组 ("direct_group") sit directly under it; a 党小组 ("group")
 *   sits under a 党支部.
 * - A member belongs to a 党支部 or 直属党小组, and optionally to one of
 *   that branch's 党小组.
 * - Work is organised in half-years.  上半年 (H1) is filed with the 机关党委
 *   by 7月15日 of the same year, 下半年 (H2) by 1月15日 of the next year.
 */
#ifndef CXZY_MODEL_H
#define CXZY_MODEL_H

#include <stdbool.h>
#include <time.h>

#include "date.h"
#include "formdef.h"
#include "record.h"
#include "util.h"

#define MODEL_FILING_DAY 15

struct period {
	int	year;
	int	half;		/* 1 = 上半年, 2 = 下半年 */
};

/* The period a date falls in. */
void model_period_of(const struct date *d, struct period *out);
/* The filing deadline of a period. */
void model_period_due(const struct period *p, struct date *out);
/* "2026年下半年". */
void model_period_label(const struct period *p, char out[32]);
/* "2026H2". */
void model_period_code(const struct period *p, char out[16]);
/* Accepts "2026H2", "2026h2", "2026-2", "2026年下半年", "2026年上半年",
 * full-width digits too. */
int model_period_parse(const char *s, struct period *out, char **errp);
void model_period_next(struct period *p);
void model_period_prev(struct period *p);
/* First and last day of a period. */
void model_period_range(const struct period *p, struct date *first,
    struct date *last);

/* The current time: time(NULL), or CXZY_NOW ("YYYY-MM-DD HH:MM:SS" or
 * "YYYY-MM-DD") when set, so that tests are reproducible. */
time_t model_now(void);
void model_today(struct date *out);
/* "YYYY-MM-DD HH:MM:SS" in local time. */
void model_now_string(char out[20]);

/* Checks the rules that tie an org or member record to others (see top).
 * Appends Chinese messages to problems; returns how many.  Other kinds
 * have no model rules yet and return 0. */
size_t model_check(const struct formset *fs, const char *kind,
    const struct record *r, form_lookup_fn lookup, void *arg,
    struct strlist *problems);

#endif
