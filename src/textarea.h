/* textarea.h: the model of a multi-line text field, without curses.
 *
 * Used for long texts (简历, 奖惩情况, 会议内容 ...).  The text is wchar_t
 * with '\n' between paragraphs; the cursor is a character index (a '\n'
 * counts as one character, also against maxlen).  Characters are
 * accepted, drawn and measured as in edit.h.
 *
 * Visual lines.  Each paragraph is wrapped on its own to the width cols:
 * - Greedily: a line takes characters while their width fits in cols.
 *   Any two characters may be split, including the letters of an ASCII
 *   word (this is an editor, not a typesetter); spaces are kept where
 *   they are, so a line may start with one.  A character is never split.
 * - Chinese rules (禁则): if the next line would start with a
 *   text_no_line_start() character (，。」 ...), or this line would end
 *   with a text_no_line_end() character (（「《 ...), or the break would
 *   separate a combining mark from its base or split —— or ……, the break
 *   moves left, pulling characters down to the next line, as far as
 *   needed.  Every line keeps at least one character; if no acceptable
 *   break exists the greedy one is used.
 * - An empty paragraph is one empty line.  A paragraph whose last line is
 *   exactly cols wide gets one more, empty, line, where the cursor at the
 *   end of that paragraph is shown (so the cursor never needs column
 *   cols).
 * A cursor index at the end of a wrapped line is shown at the start of
 * the next line.  End and vertical moves on a wrapped line therefore stop
 * on its last character, not after it (as nano does).
 *
 * Vertical moves, home/end of line and paging need the width and height:
 * they use those of the last textarea_layout() or textarea_set_size();
 * before either, lines are not wrapped and the height is one line.
 */
#ifndef CXZY_TEXTAREA_H
#define CXZY_TEXTAREA_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* One visual line: characters [start, end) of the text, not counting the
 * '\n' that may follow. */
struct textarea_line {
	size_t	 start;
	size_t	 end;
	bool	 last;		/* the last visual line of its paragraph */
};

struct textarea {
	wchar_t	*text;		/* not NUL-terminated */
	size_t	 len;
	size_t	 cap;
	size_t	 cursor;	/* 0..len */
	size_t	 top;		/* first visual line shown */
	size_t	 maxlen;	/* most characters, '\n' included; 0: no limit */
	bool	 dirty;		/* the text changed since textarea_set_utf8() */
	int	 goal_col;	/* column kept by vertical moves, or -1 */
	int	 cols;		/* size for moves; 0: no wrapping */
	int	 rows;

	/* Visual lines, rebuilt by every function that needs them. */
	struct textarea_line *lines;
	size_t	 nlines;
	size_t	 linecap;
};

/* What textarea_layout() drew, besides the text itself. */
struct textarea_view {
	int	 cursor_row;	/* 0..rows-1 */
	int	 cursor_col;	/* 0..cols-1 */
	size_t	 top;		/* first visual line shown */
	size_t	 nlines;	/* visual lines in all */
	bool	 more_above;
	bool	 more_below;
};

/* Starts an empty text area holding at most maxlen characters (0 for no
 * limit). */
void textarea_init(struct textarea *ta, size_t maxlen);
void textarea_free(struct textarea *ta);

/* Replaces the text with UTF-8 s (NULL is empty) as it is, putting the
 * cursor and the view at the start and clearing dirty.  Returns CX_ERR
 * with a message in *errp, changing nothing, when s is not valid UTF-8;
 * else CX_OK. */
int textarea_set_utf8(struct textarea *ta, const char *s, char **errp);
/* Returns the text as a newly allocated UTF-8 string. */
char *textarea_get_utf8(const struct textarea *ta);

/* Sets the size used by moves before the next textarea_layout(). */
void textarea_set_size(struct textarea *ta, int cols, int rows);

/* Inserts c at the cursor; '\n' starts a new paragraph.  Returns false,
 * changing nothing, when c may not be stored (edit_char_ok(), apart from
 * '\n' which is allowed) or the text is full; else true. */
bool textarea_insert(struct textarea *ta, wchar_t c);
/* Pastes text: CR LF, CR and the other line breaks of
 * edit_char_is_break() become '\n', a tab becomes a space, and other
 * characters that may not be stored are dropped.  Stops when the text is
 * full.  Returns the number of characters stored and sets *cut (when not
 * NULL) to whether some were left out because of maxlen. */
size_t textarea_insert_wcs(struct textarea *ta, const wchar_t *s, size_t n,
    bool *cut);
/* Like textarea_insert_wcs() for NUL-terminated UTF-8; invalid bytes are
 * dropped. */
size_t textarea_insert_utf8(struct textarea *ta, const char *s, bool *cut);

/* Deletes the character before / at the cursor (a '\n' joins two
 * paragraphs).  Return true when the text changed. */
bool textarea_backspace(struct textarea *ta);
bool textarea_delete(struct textarea *ta);

/* Moves by one character, crossing line ends. */
bool textarea_left(struct textarea *ta);
bool textarea_right(struct textarea *ta);
/* Moves to the previous / next visual line, to the character boundary at
 * or left of the goal column.  The goal column is the cursor's column
 * when a run of vertical moves (up, down, page up, page down) starts and
 * is kept until another operation.  Return false, not moving, on the
 * first / last visual line (the front end may then leave the field). */
bool textarea_up(struct textarea *ta);
bool textarea_down(struct textarea *ta);
/* Moves by `rows` visual lines (at least 1), or to the first / last line
 * when fewer remain, scrolling the view by as much; on the first / last
 * line, moves to the start / end of the text.  Return true when the
 * cursor moved. */
bool textarea_page_up(struct textarea *ta);
bool textarea_page_down(struct textarea *ta);
/* Start / end of the cursor's visual line. */
bool textarea_line_home(struct textarea *ta);
bool textarea_line_end(struct textarea *ta);
/* Start / end of the whole text (Ctrl+Home, Ctrl+End). */
bool textarea_text_home(struct textarea *ta);
bool textarea_text_end(struct textarea *ta);

/* Number of visual lines at width cols (cols < 1 means no wrapping).
 * Never 0: an empty text is one line. */
size_t textarea_nlines(struct textarea *ta, int cols);

/* Lays the text out in cols x rows (both >= 1; otherwise nothing is
 * written and -1 returned) and remembers that size for moves.  Scrolls
 * the fewest lines that bring the cursor's line into view, and never
 * leaves empty rows at the bottom while lines are hidden above.  out must
 * have room for rows * (cols + 1) wide characters: row r is the
 * NUL-terminated string at out + r * (cols + 1), exactly cols columns wide
 * after padding with spaces (rows past the text are all spaces).  Fills
 * *v when not NULL and returns 0. */
int textarea_layout(struct textarea *ta, int cols, int rows, wchar_t *out,
    struct textarea_view *v);

#endif
