/* fuzz_date.c: libFuzzer target for dates and text layout.
 *
 * The whole input, as a C string, goes to date_parse(),
 * date_parse_month(), text_to_halfwidth() and text_trim().  A date that
 * parses must be valid and must parse again from its canonical form.
 * When the input is valid UTF-8, its first two bytes also choose a width
 * and a width rule for text_wrap(), text_truncate() and text_pad() on
 * the rest, and the results are checked: no line is wider than asked,
 * and wrapping loses no characters but spaces and line ends.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Screen widths follow the locale, as in the program. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static void
fuzz_date(const char *s, bool want_day)
{
	struct date d, d2;
	char *err = NULL, canon[11], cn[32];
	int rc;

	rc = want_day ? date_parse(s, &d, &err) : date_parse_month(s, &d, &err);
	if (rc != CX_OK) {
		if (err == NULL || !text_utf8_valid(err, strlen(err)))
			abort();
		free(err);
		return;
	}
	if (err != NULL || !date_valid(&d) || (want_day ? d.d == 0 : d.d != 0))
		abort();
	date_format(&d, canon);
	date_format_cn(&d, cn);
	rc = want_day ? date_parse(canon, &d2, &err) :
	    date_parse_month(canon, &d2, &err);
	if (rc != CX_OK || date_cmp(&d, &d2) != 0) {
		fprintf(stderr, "\"%s\" -> %s does not parse back\n", s, canon);
		abort();
	}
	rc = want_day ? date_parse(cn, &d2, &err) :
	    date_parse_month(cn, &d2, &err);
	if (rc != CX_OK || date_cmp(&d, &d2) != 0) {
		fprintf(stderr, "\"%s\" -> %s does not parse back\n", s, cn);
		abort();
	}
	if (want_day) {
		date_from_days(date_to_days(&d), &d2);
		if (date_cmp(&d, &d2) != 0)
			abort();
	}
}

/* The characters of s without spaces and line ends, for comparing what
 * wrapping kept. */
static char *
fuzz_squeeze(const char *s)
{
	char *t = xmalloc(strlen(s) + 1), *q = t;

	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r')
			*q++ = *s;
	*q = '\0';
	return t;
}

static void
fuzz_layout(const char *s, size_t cols, enum text_width_mode mode)
{
	struct buf all;
	char **lines, *t, *a, *b;
	size_t n, i, w;

	lines = text_wrap(s, cols, mode, &n);
	if (lines == NULL || n == 0 || lines[n] != NULL)
		abort();
	buf_init(&all);
	for (i = 0; i < n; i++) {
		w = text_width(lines[i], mode);
		if (w > (cols < 2 ? 2 : cols)) {
			fprintf(stderr, "line %zu is %zu columns, want at most "
			    "%zu\n", i, w, cols);
			abort();
		}
		buf_addstr(&all, lines[i]);
	}
	a = fuzz_squeeze(s);
	b = fuzz_squeeze(all.s != NULL ? all.s : "");
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "wrapping changed the text\n");
		abort();
	}
	free(a);
	free(b);
	buf_free(&all);
	text_lines_free(lines);

	t = text_truncate(s, cols, mode, &w);
	if (w > cols || text_width(t, mode) != w ||
	    strncmp(t, s, strlen(t)) != 0)
		abort();
	free(t);
	t = text_pad(s, cols, (enum text_align)(cols % 3), mode);
	if (text_width(t, mode) != cols)
		abort();
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *h, *t;
	size_t cols;

	s = xstrndup((const char *)data, size);
	fuzz_date(s, true);
	fuzz_date(s, false);
	h = text_to_halfwidth(s);
	t = text_trim(h);
	if (strlen(h) > strlen(s) || strlen(t) > strlen(h))
		abort();
	free(t);
	free(h);
	t = text_trim(s);
	free(t);

	if (strlen(s) >= 2 && text_utf8_valid(s + 2, strlen(s + 2))) {
		cols = data[0] % 64;
		fuzz_layout(s + 2, cols,
		    (data[1] & 1) ? TEXT_PRINT : TEXT_SCREEN);
	}
	free(s);
	return 0;
}
