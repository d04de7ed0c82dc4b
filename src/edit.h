/* edit.h: the model of a single-line text field, without curses.
 *
 * libform cannot edit Chinese (it draws past a field's edge and returns
 * junk), so the front end uses this instead.  The text is kept as
 * wchar_t (glibc's wchar_t is UCS-4 in every locale), the cursor is a
 * character index, and edit_layout() says exactly what to draw in a field
 * `cols` columns wide: a 2-column character is never put in the last
 * column (that column becomes a space), and the field scrolls by columns
 * to keep the cursor visible.  Widths follow the current locale through
 * text_char_width(..., TEXT_SCREEN), so East Asian Ambiguous characters
 * such as “ are 1 column in zh_CN.UTF-8 and 2 in zh_CN.GB18030.
 *
 * Characters that are never stored (edit_char_ok() is false) are refused
 * when typed or pasted: control characters, Private Use Area characters
 * (GB18030 versions disagree on them), noncharacters, surrogates, and
 * invisible format characters such as U+200B and U+FEFF.  Text loaded
 * with edit_set_utf8() is kept as it is; edit_layout() draws what the
 * locale cannot display as '?' or '？' of the same width, and does not
 * draw zero-width characters (combining marks) at all.
 *
 * The struct's fields may be read by the front end; change them only
 * through the functions below, except `halfwidth` and `dirty`, which the
 * caller sets and clears itself.
 */
#ifndef CXZY_EDIT_H
#define CXZY_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct edit {
	wchar_t	*text;		/* not NUL-terminated */
	size_t	 len;		/* characters in text */
	size_t	 cap;
	size_t	 cursor;	/* 0..len; the character the cursor is on */
	size_t	 scroll;	/* first character shown; kept by edit_layout() */
	size_t	 maxlen;	/* most characters the user may type; 0: no limit */
	bool	 overwrite;	/* typing replaces the character at the cursor */
	bool	 halfwidth;	/* typed ＡＢ１２ and U+3000 become AB12 and ' ' */
	bool	 dirty;		/* the text changed since edit_set_utf8() */
};

/* What edit_layout() drew, besides the text itself. */
struct edit_view {
	int	 cursor_col;	/* 0..cols-1 */
	bool	 more_left;	/* text is hidden left of the field */
	bool	 more_right;	/* text is hidden right of the field */
	size_t	 nchars;	/* characters written to out, before the NUL */
};

/* Starts an empty editor that accepts at most maxlen characters (0 for no
 * limit).  Nothing is allocated until text is added. */
void edit_init(struct edit *e, size_t maxlen);
/* Frees the text; the editor may be reused after edit_init(). */
void edit_free(struct edit *e);

/* Replaces the text with the UTF-8 string s (NULL is empty), puts the
 * cursor and the scroll at the start and clears dirty (overwrite, a mode
 * of the user's, and halfwidth are left as they are).  The
 * text is taken as it is, even when longer than maxlen or holding
 * characters that could not be typed.  Invalid UTF-8 is refused: returns
 * CX_ERR with a message in *errp and leaves the editor unchanged;
 * otherwise returns CX_OK. */
int edit_set_utf8(struct edit *e, const char *s, char **errp);
/* Returns the text as a newly allocated UTF-8 string. */
char *edit_get_utf8(const struct edit *e);

/* Types one character at the cursor, after turning full-width forms into
 * ASCII when halfwidth is set.  In overwrite mode the character at the
 * cursor is replaced (at the end of the text it is appended).  Returns
 * false, changing nothing, when the character may not be stored
 * (edit_char_ok()) or the text already has maxlen characters and nothing
 * would be replaced; true when the character was stored. */
bool edit_insert(struct edit *e, wchar_t c);
/* Pastes text, character by character as edit_insert() types, until the
 * text is full.  A run of line breaks and tabs (CR, LF, CR LF, VT, FF,
 * TAB, U+0085, U+2028, U+2029) becomes one space, except that runs at the
 * start and end of the pasted text are dropped.  Other characters that
 * may not be stored are dropped.  Returns the number of characters
 * stored, and sets *cut (when not NULL) to whether some of the text was
 * left out because maxlen was reached. */
size_t edit_insert_wcs(struct edit *e, const wchar_t *s, size_t n,
    bool *cut);
/* Like edit_insert_wcs() for a NUL-terminated UTF-8 string; bytes that
 * are not valid UTF-8 are dropped one at a time. */
size_t edit_insert_utf8(struct edit *e, const char *s, bool *cut);

/* Deletion.  Each returns true when the text changed. */
/* Deletes the character before the cursor. */
bool edit_backspace(struct edit *e);
/* Deletes the character at the cursor. */
bool edit_delete(struct edit *e);
/* Ctrl+U, as in readline and bash: deletes from the start of the text to
 * the cursor. */
bool edit_kill_line(struct edit *e);
/* Ctrl+K: deletes from the cursor to the end of the text. */
bool edit_kill_to_end(struct edit *e);
/* Deletes all of the text. */
bool edit_clear(struct edit *e);

/* Cursor movement by character, word and to either end.  A word is a run
 * of ASCII letters and digits, a run of punctuation, or a run of other
 * non-space characters (so a Chinese clause is one word).  Each returns
 * true when the cursor moved. */
bool edit_left(struct edit *e);
bool edit_right(struct edit *e);
bool edit_word_left(struct edit *e);
bool edit_word_right(struct edit *e);
bool edit_home(struct edit *e);
bool edit_end(struct edit *e);

/* Switches between insert and overwrite mode; returns the new mode (true
 * for overwrite). */
bool edit_toggle_overwrite(struct edit *e);

/* Lays the text out in a field cols columns wide (cols >= 1).  First the
 * scroll is adjusted so that the cursor, and the whole character under
 * it, are visible: when the cursor went left of the view the view moves
 * so that about cols/4 columns of text show left of it; when it went
 * right, so that it sits near the right edge with up to cols/4 columns
 * of the following text; and when everything from an earlier scroll
 * position to the end of the text fits, the view moves back left so
 * that the field shows as much text as it can.  A cursor at the end of the
 * text needs one column after the last character.  Then out (room for
 * cols + 1 wide characters) receives the characters to draw, padded with
 * spaces and NUL-terminated, whose widths add up to exactly cols.  A
 * 2-column character that would straddle the right edge is replaced by a
 * space.  Fills *v when not NULL and returns the cursor's column
 * (0..cols-1).  With cols < 1 out becomes "" and 0 is returned. */
int edit_layout(struct edit *e, int cols, wchar_t *out, struct edit_view *v);

/*
 * Helpers shared with textarea.c.
 */

/* Whether c may be stored by typing or pasting: false for control
 * characters (C0, DEL, C1), surrogates, values above U+10FFFF, Private Use
 * Area characters (U+E000..F8FF and planes 15 and 16), noncharacters
 * (U+FDD0..FDEF, U+xxFFFE, U+xxFFFF), format characters (general category
 * Cf: U+00AD, U+200B..200F, U+202A..202E, U+2060..206F, U+FEFF, ...) and
 * the separators U+2028 and U+2029. */
bool edit_char_ok(wchar_t c);
/* Whether c is a line break: CR, LF, VT, FF, U+0085, U+2028 or U+2029.
 * Pasting turns these into a space (edit) or a newline (textarea). */
bool edit_char_is_break(wchar_t c);
/* Screen width of c (0, 1 or 2, from text_char_width(c, TEXT_SCREEN)) and
 * in *draw the character to draw for it: c itself, '?' or '？' (U+FF1F)
 * when the locale cannot display c, or L'\0' when c is zero-width and is
 * not drawn. */
int edit_cell(wchar_t c, wchar_t *draw);
/* Decodes UTF-8 (NULL is empty) into a newly allocated wide string of *n
 * characters (NUL-terminated).  Returns CX_ERR with a message in *errp,
 * and leaves *out and *n alone, when s is not valid UTF-8; else CX_OK. */
int edit_utf8_to_wcs(const char *s, wchar_t **out, size_t *n, char **errp);
/* Decodes pasted text leniently: bytes that are not valid UTF-8 are
 * dropped (the caller's filters drop what may not be stored).  Returns a
 * newly allocated, NUL-terminated wide string and its length in *n. */
wchar_t *edit_paste_to_wcs(const char *s, size_t *n);
/* Encodes n wide characters as a newly allocated UTF-8 string. */
char *edit_wcs_to_utf8(const wchar_t *s, size_t n);

#endif
