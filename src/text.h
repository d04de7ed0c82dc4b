/* text.h: UTF-8 text, display width, padding, truncation and wrapping.
 *
 * Everything in memory is UTF-8.  Widths are display columns, never bytes
 * or code points.  Two width rules exist:
 *
 * TEXT_SCREEN  the current locale's rule (glibc wcwidth(); glibc's wchar_t
 *              is UCS-4 in every locale).  East Asian Ambiguous characters
 *              are 1 column in zh_CN.UTF-8 and 2 in zh_CN.GB18030.
 *              Characters wcwidth() rejects count as 2 columns when they
 *              are at or above U+1100, otherwise 1 (the screen shows a
 *              replacement for them).  Combining marks count 0.
 * TEXT_PRINT   GB18030 byte cells, used for every printed report whatever
 *              its encoding: ASCII (U+0000..U+007F) is 1 column, every other
 *              character is 2.  This is how dot-matrix and office printers
 *              fed GB18030 lay text out.
 */
#ifndef CXZY_TEXT_H
#define CXZY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_width_mode {
	TEXT_SCREEN,
	TEXT_PRINT
};

enum text_align {
	TEXT_LEFT,
	TEXT_RIGHT,
	TEXT_CENTER
};

/* Returns the byte offset of the first invalid UTF-8 sequence in s[0..len),
 * or (size_t)-1 when all of it is valid.  Overlong forms, surrogates
 * (U+D800..DFFF), code points above U+10FFFF and truncated sequences are
 * invalid. */
size_t text_utf8_invalid(const char *s, size_t len);
bool text_utf8_valid(const char *s, size_t len);
/* The character at s (at most avail bytes) by those rules: stores its
 * code point and returns its byte length (1..4), or returns 0 when it
 * is not valid (or avail is 0). */
int text_utf8_seq(const char *s, size_t avail, uint32_t *uc);

/* Decodes the character at s, which must be valid UTF-8 and not at the
 * terminating NUL.  Stores the code point and returns its byte length. */
int text_utf8_decode(const char *s, uint32_t *uc);
/* Encodes uc into out; returns the byte length (1..4). */
int text_utf8_encode(uint32_t uc, char out[4]);
/* Number of characters (code points) in a valid UTF-8 string. */
size_t text_char_count(const char *s);

/* Column width of one character under the given rule (0, 1 or 2). */
int text_char_width(uint32_t uc, enum text_width_mode mode);
/* Column width of a valid UTF-8 string. */
size_t text_width(const char *s, enum text_width_mode mode);

/* Returns a newly allocated copy of the longest prefix of s whose width is
 * at most cols.  A character is never split.  When width_out is not NULL
 * the prefix's width is stored there. */
char *text_truncate(const char *s, size_t cols, enum text_width_mode mode,
    size_t *width_out);

/* Returns s truncated to cols and padded with ASCII spaces to exactly cols
 * columns, aligned as asked.  If a 2-column character does not fit in the
 * last column, that column becomes a space. */
char *text_pad(const char *s, size_t cols, enum text_align align,
    enum text_width_mode mode);

/* Chinese line-breaking rules (禁则).  A line never starts with a
 * character for which text_no_line_start() is true (，。、；：？！）」』》 and
 * the other closing punctuation listed in text.c), and never ends with one
 * for which text_no_line_end() is true (（「『《 and other opening
 * punctuation). */
bool text_no_line_start(uint32_t uc);
bool text_no_line_end(uint32_t uc);

/* Wraps s into lines at most cols columns wide (cols >= 2).  Breaks follow
 * UAX #14 (libunistring) plus the rules above; runs of digits and ASCII
 * words are kept whole unless longer than a line.  Newlines in s force a
 * break.  Trailing spaces at a break are dropped.  Returns a
 * NULL-terminated vector of newly allocated lines (at least one line, ""
 * for an empty string) and stores the count in *nlines when not NULL. */
char **text_wrap(const char *s, size_t cols, enum text_width_mode mode,
    size_t *nlines);
void text_lines_free(char **lines);

/* Whether uc must not reach a terminal as is: C0 controls (except '\n'
 * when multiline is true; '\t' is always unsafe), DEL, C1 controls
 * (U+0080..U+009F) and the bidirectional controls U+061C, U+200E, U+200F,
 * U+202A..U+202E and U+2066..U+2069, which can reorder what follows. */
bool text_char_unsafe(uint32_t uc, bool multiline);
/* Whether s needs no escaping by text_safe(): valid UTF-8 without any
 * character text_char_unsafe() rejects. */
bool text_is_safe(const char *s, bool multiline);
/* Returns a newly allocated copy of s fit to print on a terminal: every
 * character text_char_unsafe() rejects becomes a visible escape
 * "[U+001B]" (at least four upper-case hex digits) and every byte that
 * is not part of valid UTF-8 becomes "[0xFF]".  Everything else (CJK,
 * characters beyond the BMP) is kept.  The result is valid UTF-8 and
 * text_safe() leaves it unchanged, so escaping twice is harmless. */
char *text_safe(const char *s, bool multiline);

/* Returns a newly allocated copy with full-width ASCII forms (U+FF01..FF5E)
 * turned into their ASCII equivalents and the ideographic space U+3000
 * into an ASCII space.  Used for numbers, dates and identifiers, where an
 * input method in full-width mode types １２３. */
char *text_to_halfwidth(const char *s);

/* Returns a newly allocated copy without leading and trailing white space
 * (ASCII white space and U+3000). */
char *text_trim(const char *s);

#endif
