/* textarea.c: the model of a multi-line text field, without curses. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "edit.h"
#include "text.h"
#include "textarea.h"
#include "util.h"

void
textarea_init(struct textarea *ta, size_t maxlen)
{
	memset(ta, 0, sizeof *ta);
	ta->maxlen = maxlen;
	ta->goal_col = -1;
}

void
textarea_free(struct textarea *ta)
{
	free(ta->text);
	free(ta->lines);
	ta->text = NULL;
	ta->lines = NULL;
	ta->len = ta->cap = ta->cursor = ta->top = 0;
	ta->nlines = ta->linecap = 0;
}

int
textarea_set_utf8(struct textarea *ta, const char *s, char **errp)
{
	wchar_t *w;
	size_t n;

	if (edit_utf8_to_wcs(s, &w, &n, errp) != CX_OK)
		return CX_ERR;
	free(ta->text);
	ta->text = w;
	ta->len = n;
	ta->cap = n + 1;
	ta->cursor = ta->top = 0;
	ta->goal_col = -1;
	ta->dirty = false;
	return CX_OK;
}

char *
textarea_get_utf8(const struct textarea *ta)
{
	return edit_wcs_to_utf8(ta->text, ta->len);
}

void
textarea_set_size(struct textarea *ta, int cols, int rows)
{
	ta->cols = cols < 0 ? 0 : cols;
	ta->rows = rows < 1 ? 1 : rows;
}

/*
 * Visual lines.
 */

static int
cell_width(wchar_t c)
{
	wchar_t d;

	return edit_cell(c, &d);
}

static void
add_line(struct textarea *ta, size_t start, size_t end, bool last)
{
	struct textarea_line *ln;

	ta->lines = xgrow(ta->lines, &ta->linecap, ta->nlines + 1,
	    sizeof *ta->lines);
	ln = &ta->lines[ta->nlines++];
	ln->start = start;
	ln->end = end;
	ln->last = last;
}

/* Whether a line may not break before t[b] (b > 0). */
static bool
bad_break(const wchar_t *t, size_t b)
{
	if (text_no_line_start((uint32_t)t[b]) ||
	    text_no_line_end((uint32_t)t[b - 1]))
		return true;
	if (cell_width(t[b]) == 0)
		return true;
	if (t[b] == t[b - 1] && (t[b] == 0x2014 || t[b] == 0x2026))
		return true;
	return false;
}

/* Wraps the text as textarea.h describes into ta->lines. */
static void
build_lines(struct textarea *ta, int cols)
{
	const wchar_t *t = ta->text;
	size_t width, ps, pe, s, e, b, w;

	width = cols < 1 ? SIZE_MAX / 4 : (size_t)cols;
	ta->nlines = 0;
	for (ps = 0;; ps = pe + 1) {
		for (pe = ps; pe < ta->len && t[pe] != L'\n'; pe++)
			;
		s = ps;
		for (;;) {
			e = s;
			w = 0;
			while (e < pe && w + cell_width(t[e]) <= width)
				w += cell_width(t[e++]);
			if (e == s && e < pe)	/* wider than the line */
				w += cell_width(t[e++]);
			if (e == pe)
				break;
			b = e;
			while (b > s + 1 && bad_break(t, b))
				b--;
			if (bad_break(t, b))
				b = e;
			add_line(ta, s, b, false);
			s = b;
		}
		if (w >= width && pe > s) {
			add_line(ta, s, pe, false);
			add_line(ta, pe, pe, true);
		} else
			add_line(ta, s, pe, true);
		if (pe >= ta->len)
			break;
	}
}

/* The visual line showing character index c: the last line starting at
 * or before c. */
static size_t
line_of(const struct textarea *ta, size_t c)
{
	size_t lo = 0, hi = ta->nlines, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (ta->lines[mid].start <= c)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Column of character index c on visual line l. */
static int
col_of(const struct textarea *ta, size_t l, size_t c)
{
	size_t i;
	int col = 0;

	for (i = ta->lines[l].start; i < c; i++)
		col += cell_width(ta->text[i]);
	return col;
}

/* The index on visual line l at the character boundary at or left of
 * column goal.  A wrapped line's end belongs to the next line, so the
 * cursor stops on its last character. */
static size_t
pos_at_col(const struct textarea *ta, size_t l, int goal)
{
	const struct textarea_line *ln = &ta->lines[l];
	size_t p = ln->start, limit;
	int col = 0, cw;

	limit = ln->last ? ln->end : ln->end - 1;
	while (p < limit) {
		cw = cell_width(ta->text[p]);
		if (col + cw > goal)
			break;
		col += cw;
		p++;
	}
	/* Don't stop between a character and its combining marks. */
	while (p > ln->start && p < ln->end && cell_width(ta->text[p]) == 0)
		p--;
	return p;
}

size_t
textarea_nlines(struct textarea *ta, int cols)
{
	build_lines(ta, cols);
	return ta->nlines;
}

/*
 * Text changes.
 */

static void
remove_at(struct textarea *ta, size_t at)
{
	memmove(ta->text + at, ta->text + at + 1,
	    (ta->len - at - 1) * sizeof *ta->text);
	ta->len--;
	ta->dirty = true;
}

/* Stores a character already known to be acceptable. */
static bool
put_char(struct textarea *ta, wchar_t c)
{
	if (ta->maxlen != 0 && ta->len >= ta->maxlen)
		return false;
	ta->text = xgrow(ta->text, &ta->cap, ta->len + 1, sizeof *ta->text);
	memmove(ta->text + ta->cursor + 1, ta->text + ta->cursor,
	    (ta->len - ta->cursor) * sizeof *ta->text);
	ta->text[ta->cursor++] = c;
	ta->len++;
	ta->dirty = true;
	return true;
}

bool
textarea_insert(struct textarea *ta, wchar_t c)
{
	ta->goal_col = -1;
	if (c != L'\n' && !edit_char_ok(c))
		return false;
	return put_char(ta, c);
}

size_t
textarea_insert_wcs(struct textarea *ta, const wchar_t *s, size_t n,
    bool *cut)
{
	size_t i, count = 0;
	wchar_t c;

	ta->goal_col = -1;
	if (cut != NULL)
		*cut = false;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == L'\r' && i + 1 < n && s[i + 1] == L'\n')
			continue;
		if (edit_char_is_break(c))
			c = L'\n';
		else if (c == L'\t')
			c = L' ';
		else if (!edit_char_ok(c))
			continue;
		if (!put_char(ta, c)) {
			if (cut != NULL)
				*cut = true;
			break;
		}
		count++;
	}
	return count;
}

size_t
textarea_insert_utf8(struct textarea *ta, const char *s, bool *cut)
{
	size_t n, count;
	wchar_t *w = edit_paste_to_wcs(s, &n);

	count = textarea_insert_wcs(ta, w, n, cut);
	free(w);
	return count;
}

bool
textarea_backspace(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor == 0)
		return false;
	remove_at(ta, --ta->cursor);
	return true;
}

bool
textarea_delete(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor >= ta->len)
		return false;
	remove_at(ta, ta->cursor);
	return true;
}

/*
 * Cursor movement.
 */

bool
textarea_left(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor == 0)
		return false;
	ta->cursor--;
	return true;
}

bool
textarea_right(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor >= ta->len)
		return false;
	ta->cursor++;
	return true;
}

bool
textarea_text_home(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor == 0)
		return false;
	ta->cursor = 0;
	return true;
}

bool
textarea_text_end(struct textarea *ta)
{
	ta->goal_col = -1;
	if (ta->cursor == ta->len)
		return false;
	ta->cursor = ta->len;
	return true;
}

bool
textarea_line_home(struct textarea *ta)
{
	size_t l;

	ta->goal_col = -1;
	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	if (ta->cursor == ta->lines[l].start)
		return false;
	ta->cursor = ta->lines[l].start;
	return true;
}

bool
textarea_line_end(struct textarea *ta)
{
	size_t l, p;

	ta->goal_col = -1;
	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	p = pos_at_col(ta, l, INT_MAX);
	if (ta->cursor == p)
		return false;
	ta->cursor = p;
	return true;
}

/* Moves the cursor to visual line `to` at the goal column, starting the
 * goal column from the cursor's if this is the first vertical move. */
static void
move_to_line(struct textarea *ta, size_t from, size_t to)
{
	if (ta->goal_col < 0)
		ta->goal_col = col_of(ta, from, ta->cursor);
	ta->cursor = pos_at_col(ta, to, ta->goal_col);
}

bool
textarea_up(struct textarea *ta)
{
	size_t l;

	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	if (l == 0)
		return false;
	move_to_line(ta, l, l - 1);
	return true;
}

bool
textarea_down(struct textarea *ta)
{
	size_t l;

	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	if (l + 1 >= ta->nlines)
		return false;
	move_to_line(ta, l, l + 1);
	return true;
}

static size_t
page_rows(const struct textarea *ta)
{
	return ta->rows < 1 ? 1 : (size_t)ta->rows;
}

bool
textarea_page_up(struct textarea *ta)
{
	size_t l, to, rows = page_rows(ta);

	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	if (l == 0)
		return textarea_text_home(ta);
	to = l > rows ? l - rows : 0;
	ta->top = ta->top > l - to ? ta->top - (l - to) : 0;
	move_to_line(ta, l, to);
	return true;
}

bool
textarea_page_down(struct textarea *ta)
{
	size_t l, to, maxtop, rows = page_rows(ta);

	build_lines(ta, ta->cols);
	l = line_of(ta, ta->cursor);
	if (l + 1 >= ta->nlines)
		return textarea_text_end(ta);
	to = l + rows < ta->nlines ? l + rows : ta->nlines - 1;
	maxtop = ta->nlines > rows ? ta->nlines - rows : 0;
	ta->top += to - l;
	if (ta->top > maxtop)
		ta->top = maxtop;
	move_to_line(ta, l, to);
	return true;
}

/*
 * Layout.
 */

/* Writes visual line l (or nothing, for a row past the text) as exactly
 * cols columns into out, NUL-terminated. */
static void
draw_line(const struct textarea *ta, const struct textarea_line *ln,
    size_t cols, wchar_t *out)
{
	size_t i, n = 0, col = 0;
	wchar_t d;
	int cw;

	if (ln != NULL) {
		for (i = ln->start; i < ln->end; i++) {
			cw = edit_cell(ta->text[i], &d);
			if (cw == 0)
				continue;
			if (col + cw > cols)
				break;
			out[n++] = d;
			col += cw;
		}
	}
	while (col < cols) {
		out[n++] = L' ';
		col++;
	}
	out[n] = L'\0';
}

int
textarea_layout(struct textarea *ta, int cols, int rows, wchar_t *out,
    struct textarea_view *v)
{
	struct textarea_view tmp;
	size_t l, r, urows, ucols;
	int col;

	if (v == NULL)
		v = &tmp;
	memset(v, 0, sizeof *v);
	if (cols < 1 || rows < 1)
		return -1;
	textarea_set_size(ta, cols, rows);
	ucols = (size_t)cols;
	urows = (size_t)rows;
	if (ta->cursor > ta->len)
		ta->cursor = ta->len;
	build_lines(ta, cols);
	l = line_of(ta, ta->cursor);

	if (ta->top > l)
		ta->top = l;
	if (l >= ta->top + urows)
		ta->top = l - urows + 1;
	if (ta->nlines <= urows)
		ta->top = 0;
	else if (ta->top > ta->nlines - urows)
		ta->top = ta->nlines - urows;

	for (r = 0; r < urows; r++) {
		draw_line(ta, ta->top + r < ta->nlines ?
		    &ta->lines[ta->top + r] : NULL, ucols,
		    out + r * (ucols + 1));
	}

	col = col_of(ta, l, ta->cursor);
	if (col >= cols)
		col = cols - 1;	/* only when a wide character meets cols 1 */
	v->cursor_row = (int)(l - ta->top);
	v->cursor_col = col;
	v->top = ta->top;
	v->nlines = ta->nlines;
	v->more_above = ta->top > 0;
	v->more_below = ta->top + urows < ta->nlines;
	return 0;
}
