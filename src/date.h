/* date.h: calendar dates and year-months as users type them.
 *
 * Accepted date input (after text_to_halfwidth() and trimming):
 *   2020-12-21  2020.12.21  2020/12/21  20201221  2020年12月21日
 * Month and day may have one digit in the separated forms (2020-1-5,
 * 2020年1月5日).  Years run from 1900 to 2099.  The canonical form is
 * "YYYY-MM-DD".
 *
 * Accepted year-month input (出生年月):
 *   2020-12  2020.12  2020/12  202012  2020年12月
 * and any full date (the day is dropped).  The canonical form is "YYYY-MM".
 */
#ifndef CXZY_DATE_H
#define CXZY_DATE_H

#include <stdbool.h>

struct date {
	int	y;
	int	m;
	int	d;	/* 0 for a year-month */
};

/* Parses a date.  On failure returns CX_ERR and a message such as
 * “2020-13-01”不是有效日期：月份应在 1 到 12 之间。请按 2020-12-21 的格式填写。 */
int date_parse(const char *in, struct date *out, char **errp);
/* Parses a year-month; out->d is 0. */
int date_parse_month(const char *in, struct date *out, char **errp);

bool date_valid(const struct date *d);
int date_days_in_month(int y, int m);
/* Negative, zero or positive like strcmp. */
int date_cmp(const struct date *a, const struct date *b);

/* Writes "YYYY-MM-DD" (or "YYYY-MM" when d->d is 0) into out. */
void date_format(const struct date *d, char out[11]);
/* Writes "YYYY年M月D日" (or "YYYY年M月") into out. */
void date_format_cn(const struct date *d, char out[32]);

/* Days since 1970-01-01 (may be negative), and back. */
long date_to_days(const struct date *d);
void date_from_days(long days, struct date *out);

#endif
