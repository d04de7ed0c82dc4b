/* tap.h: a very small test harness for the unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what" (TAP), and
 * tap_done() prints "N passed, N failed" and returns the exit status
 * automake expects (0 pass, 1 fail).
 *
 *   int main(void) { ok(1 + 1 == 2, "adds"); is_str(a, "x", "name");
 *                    return tap_done(); }
 */
#ifndef CXZY_TAP_H
#define CXZY_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int
tap_check(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);	\
	if (!tap_check(tap_g_ == tap_w_, __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got %lld, want %lld\n", tap_g_, tap_w_);	\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	int tap_c_ = (tap_g_ == NULL && tap_w_ == NULL) ||		\
	    (tap_g_ != NULL && tap_w_ != NULL && strcmp(tap_g_, tap_w_) == 0); \
	if (!tap_check(tap_c_, __FILE__, __LINE__, __VA_ARGS__))	\
		printf("#   got  \"%s\"\n#   want \"%s\"\n",		\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)"); \
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("%d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif
