/* edit.c: the model of a single-line text field, without curses. */
#include "config.h"

/* wcwidth() is an X/Open function; glibc declares it only when asked. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <unictype.h>

#include "edit.h"
#include "text.h"
#include "util.h"

/*
 * Helpers shared with textarea.c.
 */

bool
edit_char_ok(wchar_t wc)
{
	uint32_t c = (uint32_t)wc;

	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return false;
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	/* Private Use: GB18030-2005 and -2022 map these differently. */
	if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000)
		return false;
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return false;
	if (c == 0x2028 || c == 0x2029)
		return false;
	/* Invisible format characters (U+200B, U+FEFF, bidi controls) make
	 * equal-looking names compare unequal. */
	if (uc_is_general_category(c, UC_CATEGORY_Cf))
		return false;
	return true;
}

bool
edit_char_is_break(wchar_t c)
{
	return c == L'\n' || c == L'\r' || c == L'\v' || c == L'\f' ||
	    c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* The width is text_char_width()'s, so layout agrees with the rest of the
 * program; what wcwidth() rejects is drawn as a stand-in of that width,
 * since curses would otherwise draw it with some other width. */
int
edit_cell(wchar_t c, wchar_t *draw)
{
	int w;

	w = text_char_width((uint32_t)c, TEXT_SCREEN);
	if (w == 0)
		*draw = L'\0';
	else if (wcwidth(c) != w)
		*draw = w == 2 ? 0xff1f : L'?';
	else
		*draw = c;
	return w;
}

int
edit_utf8_to_wcs(const char *s, wchar_t **out, size_t *n, char **errp)
{
	wchar_t *w;
	size_t len, bad, i;
	uint32_t uc;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if ((bad = text_utf8_invalid(s, len)) != (size_t)-1) {
		return err_set(errp, "文本不是有效的 UTF-8 编码（第 %zu 字节有误）",
		    bad + 1);
	}
	w = xmalloc((text_char_count(s) + 1) * sizeof *w);
	for (i = 0; *s != '\0'; i++) {
		s += text_utf8_decode(s, &uc);
		w[i] = (wchar_t)uc;
	}
	w[i] = L'\0';
	*out = w;
	*n = i;
	return CX_OK;
}

char *
edit_wcs_to_utf8(const wchar_t *s, size_t n)
{
	struct buf b;
	char tmp[4];
	size_t i;
	int k;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		k = text_utf8_encode((uint32_t)s[i], tmp);
		buf_add(&b, tmp, k);
	}
	return buf_take(&b);
}

/*
 * Text changes.
 */

void
edit_init(struct edit *e, size_t maxlen)
{
	memset(e, 0, sizeof *e);
	e->maxlen = maxlen;
}

void
edit_free(struct edit *e)
{
	free(e->text);
	e->text = NULL;
	e->len = e->cap = e->cursor = e->scroll = 0;
}

int
edit_set_utf8(struct edit *e, const char *s, char **errp)
{
	wchar_t *w;
	size_t n;

	if (edit_utf8_to_wcs(s, &w, &n, errp) != CX_OK)
		return CX_ERR;
	free(e->text);
	e->text = w;
	e->len = n;
	e->cap = n + 1;
	e->cursor = e->scroll = 0;
	e->dirty = false;
	return CX_OK;
}

char *
edit_get_utf8(const struct edit *e)
{
	return edit_wcs_to_utf8(e->text, e->len);
}

/* Removes characters [from, to). */
static bool
remove_range(struct edit *e, size_t from, size_t to)
{
	if (from >= to)
		return false;
	memmove(e->text + from, e->text + to, (e->len - to) * sizeof *e->text);
	e->len -= to - from;
	if (e->cursor >= to)
		e->cursor -= to - from;
	else if (e->cursor > from)
		e->cursor = from;
	e->dirty = true;
	return true;
}

static wchar_t
to_halfwidth(wchar_t c)
{
	if (c >= 0xff01 && c <= 0xff5e)
		return c - 0xfee0;
	if (c == 0x3000)
		return L' ';
	return c;
}

/* Stores a character already known to be acceptable. */
static bool
put_char(struct edit *e, wchar_t c)
{
	if (e->overwrite && e->cursor < e->len) {
		e->text[e->cursor++] = c;
		e->dirty = true;
		return true;
	}
	if (e->maxlen != 0 && e->len >= e->maxlen)
		return false;
	e->text = xgrow(e->text, &e->cap, e->len + 1, sizeof *e->text);
	memmove(e->text + e->cursor + 1, e->text + e->cursor,
	    (e->len - e->cursor) * sizeof *e->text);
	e->text[e->cursor++] = c;
	e->len++;
	e->dirty = true;
	return true;
}

bool
edit_insert(struct edit *e, wchar_t c)
{
	if (e->halfwidth)
		c = to_halfwidth(c);
	if (!edit_char_ok(c))
		return false;
	return put_char(e, c);
}

/* Line breaks inside a pasted one-line value are almost always from
 * copying a few lines of a document: keep the words apart with one space,
 * but leave out the breaks around the whole paste. */
size_t
edit_insert_wcs(struct edit *e, const wchar_t *s, size_t n, bool *cut)
{
	size_t i, count = 0;
	bool started = false, gap = false;
	wchar_t c;

	if (cut != NULL)
		*cut = false;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == L'\t' || edit_char_is_break(c)) {
			gap = started;
			continue;
		}
		if (e->halfwidth)
			c = to_halfwidth(c);
		if (!edit_char_ok(c))
			continue;
		if (gap) {
			if (!put_char(e, L' '))
				goto full;
			count++;
			gap = false;
		}
		if (!put_char(e, c))
			goto full;
		count++;
		started = true;
	}
	return count;

full:
	if (cut != NULL)
		*cut = true;
	return count;
}

wchar_t *
edit_paste_to_wcs(const char *s, size_t *n)
{
	wchar_t *w;
	uint32_t uc;
	int k;

	if (s == NULL)
		s = "";
	w = xmalloc((strlen(s) + 1) * sizeof *w);
	*n = 0;
	while (*s != '\0') {
		k = text_utf8_decode(s, &uc);
		/* A bad byte decodes as a one-byte U+FFFD; a real U+FFFD
		 * takes three. */
		if (uc != 0xfffd || k != 1)
			w[(*n)++] = (wchar_t)uc;
		s += k;
	}
	w[*n] = L'\0';
	return w;
}

size_t
edit_insert_utf8(struct edit *e, const char *s, bool *cut)
{
	size_t n, count;
	wchar_t *w = edit_paste_to_wcs(s, &n);

	count = edit_insert_wcs(e, w, n, cut);
	free(w);
	return count;
}

bool
edit_backspace(struct edit *e)
{
	if (e->cursor == 0)
		return false;
	return remove_range(e, e->cursor - 1, e->cursor);
}

bool
edit_delete(struct edit *e)
{
	if (e->cursor >= e->len)
		return false;
	return remove_range(e, e->cursor, e->cursor + 1);
}

bool
edit_kill_line(struct edit *e)
{
	return remove_range(e, 0, e->cursor);
}

bool
edit_kill_to_end(struct edit *e)
{
	return remove_range(e, e->cursor, e->len);
}

bool
edit_clear(struct edit *e)
{
	return remove_range(e, 0, e->len);
}

bool
edit_toggle_overwrite(struct edit *e)
{
	e->overwrite = !e->overwrite;
	return e->overwrite;
}

/*
 * Cursor movement.
 */

bool
edit_left(struct edit *e)
{
	if (e->cursor == 0)
		return false;
	e->cursor--;
	return true;
}

bool
edit_right(struct edit *e)
{
	if (e->cursor >= e->len)
		return false;
	e->cursor++;
	return true;
}

bool
edit_home(struct edit *e)
{
	if (e->cursor == 0)
		return false;
	e->cursor = 0;
	return true;
}

bool
edit_end(struct edit *e)
{
	if (e->cursor == e->len)
		return false;
	e->cursor = e->len;
	return true;
}

enum { WORD_SPACE, WORD_ALNUM, WORD_PUNCT, WORD_OTHER };

static int
word_class(wchar_t c)
{
	if (c == L' ' || c == 0x3000)
		return WORD_SPACE;
	if ((c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'z') ||
	    (c >= L'A' && c <= L'Z'))
		return WORD_ALNUM;
	if (uc_is_general_category((uint32_t)c, UC_CATEGORY_P) ||
	    uc_is_general_category((uint32_t)c, UC_CATEGORY_S))
		return WORD_PUNCT;
	return WORD_OTHER;
}

/* Like readline's forward-word: over spaces, then to the end of the next
 * word. */
bool
edit_word_right(struct edit *e)
{
	size_t i = e->cursor;
	int cls;

	while (i < e->len && word_class(e->text[i]) == WORD_SPACE)
		i++;
	if (i < e->len) {
		cls = word_class(e->text[i]);
		while (i < e->len && word_class(e->text[i]) == cls)
			i++;
	}
	if (i == e->cursor)
		return false;
	e->cursor = i;
	return true;
}

/* Back over spaces, then to the start of the word before them. */
bool
edit_word_left(struct edit *e)
{
	size_t i = e->cursor;
	int cls;

	while (i > 0 && word_class(e->text[i - 1]) == WORD_SPACE)
		i--;
	if (i > 0) {
		cls = word_class(e->text[i - 1]);
		while (i > 0 && word_class(e->text[i - 1]) == cls)
			i--;
	}
	if (i == e->cursor)
		return false;
	e->cursor = i;
	return true;
}

/*
 * Layout.
 */

static int
cell_width(wchar_t c)
{
	wchar_t d;

	return edit_cell(c, &d);
}

/* Columns taken by characters [from, to). */
static size_t
span_width(const struct edit *e, size_t from, size_t to)
{
	size_t w = 0;

	for (; from < to; from++)
		w += cell_width(e->text[from]);
	return w;
}

/* Moves e->scroll as edit_layout() describes in edit.h. */
static void
adjust_scroll(struct edit *e, size_t cols)
{
	size_t ctx = cols / 4, cell, after, w, s, i, cw;

	if (e->cursor > e->len)
		e->cursor = e->len;
	if (e->scroll > e->cursor) {
		s = e->cursor;
		w = 0;
		while (s > 0 && w + cell_width(e->text[s - 1]) <= ctx)
			w += cell_width(e->text[--s]);
		e->scroll = s;
	}

	cell = e->cursor < e->len ? (size_t)cell_width(e->text[e->cursor]) : 1;
	if (cell == 0)
		cell = 1;
	if (cell > cols)
		cell = cols;
	if (span_width(e, e->scroll, e->cursor) + cell > cols) {
		after = 0;
		for (i = e->cursor + 1; i < e->len; i++) {
			cw = cell_width(e->text[i]);
			if (after + cw > ctx)
				break;
			after += cw;
		}
		if (cell + after > cols)
			after = 0;
		s = e->cursor;
		w = 0;
		while (s > 0 &&
		    w + cell_width(e->text[s - 1]) + cell + after <= cols)
			w += cell_width(e->text[--s]);
		e->scroll = s;
	}

	/* Don't leave the field half empty after deleting at the end. */
	if (e->scroll > 0) {
		w = span_width(e, e->scroll, e->len) + 1;
		while (e->scroll > 0 &&
		    w + cell_width(e->text[e->scroll - 1]) <= cols)
			w += cell_width(e->text[--e->scroll]);
	}
}

int
edit_layout(struct edit *e, int cols, wchar_t *out, struct edit_view *v)
{
	struct edit_view tmp;
	size_t i, n = 0, col = 0, ucols;
	wchar_t d;
	int cw;

	if (v == NULL)
		v = &tmp;
	memset(v, 0, sizeof *v);
	out[0] = L'\0';
	if (cols < 1)
		return 0;
	ucols = (size_t)cols;
	adjust_scroll(e, ucols);

	for (i = e->scroll; i < e->len; i++) {
		cw = edit_cell(e->text[i], &d);
		if (cw == 0)
			continue;
		if (col + cw > ucols)
			break;
		out[n++] = d;
		col += cw;
	}
	v->more_right = i < e->len;
	while (col < ucols) {
		out[n++] = L' ';
		col++;
	}
	out[n] = L'\0';

	v->nchars = n;
	v->more_left = e->scroll > 0;
	col = span_width(e, e->scroll, e->cursor);
	if (col >= ucols)
		col = ucols - 1;	/* only when a wide character meets cols 1 */
	v->cursor_col = (int)col;
	return v->cursor_col;
}
