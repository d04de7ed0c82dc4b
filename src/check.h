/* check.h: the full data check, run in a child process.
 *
 * LMDB 0.9 does not detect damage to its own file: a damaged page is
 * mostly read back as altered data, and sometimes crashes the reading
 * process inside liblmdb.  So the check runs in a child process that
 * opens the data directory on its own, read-only:
 *
 *   1. it walks every entry of every named database in the environment
 *      (the ones the forms know and any others), and the free-page list,
 *      with cursors, touching every key and value byte, so that every
 *      reachable page is read; entries must come in order and their
 *      number must match what LMDB keeps;
 *   2. it runs store_check (checksums, decoding, indexes, bin, meta);
 *   3. it writes its findings to a pipe, one line each.
 *
 * The parent only reads the pipe, with a time limit, and reaps the child.
 * A child that dies from a signal, exits abnormally or runs out of time
 * means the data file is seriously damaged: the parent says so in
 * Chinese and goes on.  The child never touches the parent's open store
 * (LMDB forbids using an environment across fork()) and leaves with
 * _exit().
 *
 * Two ways to run it: check_run blocks (for `cxzy check`);
 * check_start / check_poll / check_finish let the full-screen program
 * go on handling keys meanwhile.
 */
#ifndef CXZY_CHECK_H
#define CXZY_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "formdef.h"
#include "util.h"

/* A generous limit: a million records check in well under a minute. */
#define CHECK_TIMEOUT_MS	(10 * 60 * 1000)

enum check_verdict {
	CHECK_CLEAN,		/* nothing wrong found */
	CHECK_DAMAGED,		/* damage lists the problems */
	CHECK_FAILED		/* could not check: error says why (the
				 * directory is missing, not cxzy's, ...) */
};

struct check_result {
	enum check_verdict	 verdict;
	/* One Chinese line per problem, e.g. "党员 编号 12：校验和不符". */
	struct strlist		 damage;
	char			*error;		/* CHECK_FAILED */
	/* Records of each form of fs, in fs's order; counts is NULL when
	 * the store could not be opened. */
	size_t			*counts;
	size_t			 ncounts;
	/* The child died: from signal (0 if it exited abnormally or was
	 * stopped at the time limit). */
	bool			 crashed;
	int			 signal;
	bool			 timed_out;
};

struct check;

/* Starts checking the data directory dir, whose records are described by
 * fs (which must outlive the check), in a child process.  timeout_ms 0
 * means no limit.  CX_ERR with a message when no child could be
 * started. */
int check_start(const char *dir, const struct formset *fs, int timeout_ms,
    struct check **out, char **errp);
/* Reads what the child has written so far, without blocking, and stops
 * it when its time is up.  Returns true once the check is over; then
 * call check_finish (which does not block). */
bool check_poll(struct check *ck);
/* Waits until the check is over (at most its time limit), fills *res
 * (free it with check_result_free) and frees ck. */
void check_finish(struct check *ck, struct check_result *res);
/* Stops a running check and frees it. */
void check_cancel(struct check *ck);

/* check_start and check_finish; a child that cannot be started gives
 * CHECK_FAILED. */
void check_run(const char *dir, const struct formset *fs, int timeout_ms,
    struct check_result *res);

void check_result_free(struct check_result *res);

#endif
