/* test_textarea.c: the multi-line text area model, wrapping and layout. */
#include "config.h"

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "edit.h"
#include "tap.h"
#include "textarea.h"
#include "util.h"

#define MAXCOLS	40
#define MAXROWS	20

static const char report[] =
    "中国共产党第二十次全国代表大会，是在全党全国各族人民迈上全面建设"
    "社会主义现代化国家新征程的关键时刻召开的一次十分重要的大会。";

/* The visual lines at width cols, joined with '|' (as UTF-8). */
static char *
lines_str(struct textarea *ta, int cols)
{
	struct buf b;
	char *s;
	size_t i, n;

	n = textarea_nlines(ta, cols);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, '|');
		s = edit_wcs_to_utf8(ta->text + ta->lines[i].start,
		    ta->lines[i].end - ta->lines[i].start);
		buf_addstr(&b, s);
		free(s);
	}
	return buf_take(&b);
}

static void
check_wrap(const char *text, int cols, const char *want, const char *what)
{
	struct textarea ta;
	char *s;

	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, text, NULL);
	s = lines_str(&ta, cols);
	is_str(s, want, "wrap %s", what);
	free(s);
	textarea_free(&ta);
}

/* Width of a drawn row measured with wcwidth(), 99 per undrawable. */
static int
row_width(const wchar_t *row)
{
	int col = 0, w;

	for (; *row != L'\0'; row++) {
		w = wcwidth(*row);
		col += w < 0 ? 99 : w;
	}
	return col;
}

/* Lays out and checks every row is exactly cols wide; returns the
 * number of bad rows. */
static int
layout_check(struct textarea *ta, int cols, int rows, wchar_t *out,
    struct textarea_view *v)
{
	int r, bad = 0;

	textarea_layout(ta, cols, rows, out, v);
	for (r = 0; r < rows; r++) {
		if (row_width(out + r * (cols + 1)) != cols)
			bad++;
	}
	if (v->cursor_row < 0 || v->cursor_row >= rows ||
	    v->cursor_col < 0 || v->cursor_col >= cols)
		bad++;
	return bad;
}

static char *
row_str(const wchar_t *out, int cols, int r)
{
	const wchar_t *row = out + r * (cols + 1);

	return edit_wcs_to_utf8(row, wcslen(row));
}

static void
test_wrap(void)
{
	struct textarea ta;
	char *s;
	size_t i, n;
	int bad = 0, cols;

	check_wrap(report, 10,
	    "中国共产党|第二十次全|国代表大|会，是在全|党全国各族|人民迈上全|"
	    "面建设社会|主义现代化|国家新征程|的关键时刻|召开的一次|十分重要的|"
	    "大会。", "report at 10: 会 pulled down so ， does not start a line");
	check_wrap("一二三四五。六七", 10, "一二三四|五。六七",
	    "。 never starts a line");
	check_wrap("一二三四五。」六", 10, "一二三四|五。」六",
	    "。」 both pulled with 五");
	check_wrap("一二三四（五六", 10, "一二三四|（五六",
	    "（ never ends a line");
	check_wrap("一二三四a——五", 10, "一二三四a|——五", "—— kept whole");
	check_wrap("。。。。。。。", 10, "。。。。。|。。",
	    "no acceptable break: greedy");
	check_wrap("一二三四五六七八九十甲乙丙丁戊", 10,
	    "一二三四五|六七八九十|甲乙丙丁戊|",
	    "a full last line gets an empty line for the cursor");
	check_wrap("abcdefghijkl", 5, "abcde|fghij|kl", "ASCII split anywhere");
	check_wrap("ab张三丰", 5, "ab张|三丰", "a Hanzi never split");
	check_wrap("第一段\n\n第三段\n", 10, "第一段||第三段|",
	    "paragraphs and empty lines");
	check_wrap("", 10, "", "empty text is one empty line");
	check_wrap("张三", 1, "张|三|", "a Hanzi wider than the line");
	check_wrap("一二三四五六七八九十甲乙丙", 0, "一二三四五六七八九十甲乙丙",
	    "no width: no wrapping");

	/* No line of the report starts with ， or 。 at any width where a
	 * line holds two Hanzi (at 2 and 3 columns it cannot be avoided). */
	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, report, NULL);
	for (cols = 4; cols <= 30; cols++) {
		n = textarea_nlines(&ta, cols);
		for (i = 0; i < n; i++) {
			const struct textarea_line *ln = &ta.lines[i];

			if (ln->start < ln->end &&
			    (ta.text[ln->start] == 0xff0c ||
			    ta.text[ln->start] == 0x3002))
				bad++;
			if (i > 0 && ln->start != ta.lines[i - 1].end &&
			    ln->start != ta.lines[i - 1].end + 1)
				bad++;
		}
	}
	is_int(bad, 0, "widths 4..30: no line starts with ，or 。, no gaps");
	s = textarea_get_utf8(&ta);
	is_str(s, report, "wrapping leaves the text alone");
	free(s);
	textarea_free(&ta);
}

static void
test_edit_ops(void)
{
	struct textarea ta;
	char *s, *err = NULL;
	bool cut;
	size_t n;

	textarea_init(&ta, 0);
	ok(!ta.dirty, "new area is clean");
	ok(textarea_insert(&ta, 0x5f20), "type 张");
	ok(textarea_insert(&ta, L'\n'), "Enter inserts a newline");
	ok(textarea_insert(&ta, 0x2003e), "type U+2003E");
	ok(!textarea_insert(&ta, L'\r'), "CR refused");
	ok(!textarea_insert(&ta, L'\t'), "tab refused");
	ok(!textarea_insert(&ta, 0xe000), "PUA refused");
	ok(!textarea_insert(&ta, 0x200b), "ZWSP refused");
	s = textarea_get_utf8(&ta);
	is_str(s, "张\n\xf0\xa0\x80\xbe", "typed text");
	free(s);
	is_int(ta.cursor, 3, "cursor after typing");
	ok(ta.dirty, "dirty after typing");

	ok(textarea_left(&ta), "left");
	ok(textarea_left(&ta), "left over the newline");
	is_int(ta.cursor, 1, "cursor before the newline");
	ok(textarea_right(&ta), "right over the newline");
	is_int(ta.cursor, 2, "cursor at the start of the second paragraph");
	ok(textarea_backspace(&ta), "backspace the newline");
	s = textarea_get_utf8(&ta);
	is_str(s, "张\xf0\xa0\x80\xbe", "paragraphs joined");
	free(s);
	is_int(ta.cursor, 1, "cursor where the newline was");
	ok(textarea_delete(&ta), "delete");
	ok(!textarea_delete(&ta), "delete at the end does nothing");
	ok(textarea_text_home(&ta), "Ctrl+Home");
	ok(!textarea_backspace(&ta), "backspace at the start does nothing");
	ok(!textarea_left(&ta), "left at the start does not move");
	ok(textarea_text_end(&ta), "Ctrl+End");
	ok(!textarea_right(&ta), "right at the end does not move");

	/* Paste: CR LF and CR become LF, tab a space, BEL dropped. */
	textarea_set_utf8(&ta, "", NULL);
	n = textarea_insert_utf8(&ta, "一\r\n二\r三\n\t四\x07\xff" "五", &cut);
	s = textarea_get_utf8(&ta);
	is_str(s, "一\n二\n三\n 四五", "paste normalises line breaks");
	free(s);
	is_int(n, 9, "paste stored 9");
	ok(!cut, "paste not cut");
	textarea_free(&ta);

	textarea_init(&ta, 5);
	n = textarea_insert_utf8(&ta, "ab\r\ncdef", &cut);
	is_int(n, 5, "maxlen 5: paste stores 5 (the newline counts)");
	ok(cut, "maxlen 5: cut reported");
	s = textarea_get_utf8(&ta);
	is_str(s, "ab\ncd", "maxlen 5: text");
	free(s);
	ok(!textarea_insert(&ta, L'x'), "maxlen 5: typing refused");
	ok(!textarea_insert(&ta, L'\n'), "maxlen 5: Enter refused");
	ok(textarea_backspace(&ta), "maxlen 5: backspace");
	ok(textarea_insert(&ta, L'\n'), "maxlen 5: Enter after backspace");
	textarea_free(&ta);

	textarea_init(&ta, 0);
	ok(textarea_set_utf8(&ta, "第一行\n\n“第三行”\n", NULL) == CX_OK,
	    "set");
	ok(!ta.dirty, "clean after set");
	s = textarea_get_utf8(&ta);
	is_str(s, "第一行\n\n“第三行”\n", "round trip");
	free(s);
	ok(textarea_set_utf8(&ta, "bad\xc0\x80", &err) == CX_ERR,
	    "invalid UTF-8 refused");
	ok(err != NULL, "with a message");
	free(err);
	s = textarea_get_utf8(&ta);
	is_str(s, "第一行\n\n“第三行”\n", "failed set leaves the text");
	free(s);
	textarea_free(&ta);
}

static void
test_vertical(void)
{
	struct textarea ta;
	wchar_t out[MAXROWS * (MAXCOLS + 1)];
	struct textarea_view v;

	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, "一二三四五\n短\n六七八九十", NULL);
	textarea_layout(&ta, 20, 5, out, &v);
	ta.cursor = 4;			/* on 五, column 8 */
	ok(textarea_down(&ta), "down");
	is_int(ta.cursor, 7, "down to the end of the short line");
	textarea_layout(&ta, 20, 5, out, &v);
	is_int(v.cursor_row, 1, "row 1");
	is_int(v.cursor_col, 2, "column 2");
	ok(textarea_down(&ta), "down again");
	is_int(ta.cursor, 12, "goal column 8 kept: on 十");
	ok(!textarea_down(&ta), "down on the last line does not move");
	is_int(ta.cursor, 12, "still on 十");
	ok(textarea_up(&ta), "up");
	ok(textarea_up(&ta), "up");
	is_int(ta.cursor, 4, "back on 五");
	ok(!textarea_up(&ta), "up on the first line does not move");

	ok(textarea_down(&ta), "down");
	ok(textarea_left(&ta), "left resets the goal");
	is_int(ta.cursor, 6, "on 短");
	ok(textarea_down(&ta), "down");
	is_int(ta.cursor, 8, "new goal 0: on 六");

	/* Wide characters: the column lands on a character boundary. */
	textarea_set_utf8(&ta, "abcde\n张三丰\nxyz", NULL);
	ta.cursor = 3;			/* column 3 */
	ok(textarea_down(&ta), "down into Hanzi");
	is_int(ta.cursor, 7, "column 3 lands on 三 (column 2)");
	ok(textarea_down(&ta), "down again");
	is_int(ta.cursor, 13, "goal 3 kept: end of xyz");
	ok(textarea_up(&ta), "up");
	ok(textarea_up(&ta), "up");
	is_int(ta.cursor, 3, "goal 3 kept: back on d");

	/* Wrapped lines: the end of a wrapped line belongs to the next. */
	textarea_set_utf8(&ta, "一二三四五六七八九十甲乙丙丁戊", NULL);
	textarea_set_size(&ta, 10, 2);
	ta.cursor = 5;
	ok(textarea_line_end(&ta), "end of a wrapped visual line");
	is_int(ta.cursor, 9, "stops on its last character");
	ok(textarea_line_home(&ta), "home of the visual line");
	is_int(ta.cursor, 5, "start of the visual line");
	ok(!textarea_line_home(&ta), "home again does not move");
	ta.cursor = 4;
	ok(textarea_down(&ta), "down from 五 (column 8)");
	is_int(ta.cursor, 9, "on 十 (column 8)");
	ok(textarea_down(&ta), "down to the full last line");
	is_int(ta.cursor, 14, "on 戊");
	ok(textarea_down(&ta), "down to the cursor line after it");
	is_int(ta.cursor, 15, "end of the text");
	ok(!textarea_down(&ta), "no further");
	textarea_layout(&ta, 10, 2, out, &v);
	is_int(v.cursor_row, 1, "end of text: last row");
	is_int(v.cursor_col, 0, "end of text: column 0 of the empty line");
	is_int(v.nlines, 4, "4 visual lines");
	is_int(v.top, 2, "scrolled to show it");
	ok(v.more_above && !v.more_below, "more above only");

	/* Without a size, a paragraph is one line. */
	textarea_free(&ta);
	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, "一二三四五六七八九十甲乙丙丁戊\n子", NULL);
	ta.cursor = 14;
	ok(textarea_down(&ta), "down without a size");
	is_int(ta.cursor, 17, "end of 子");
	textarea_free(&ta);
}

static void
test_paging(void)
{
	struct textarea ta;
	wchar_t out[MAXROWS * (MAXCOLS + 1)];
	struct textarea_view v;
	char *s;
	int bad, i;

	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10", NULL);
	bad = layout_check(&ta, 10, 3, out, &v);
	is_int(bad, 0, "rows exactly 10 columns");
	is_int(v.nlines, 10, "10 lines");
	ok(!v.more_above && v.more_below, "more below only");
	ok(textarea_page_down(&ta), "page down");
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(ta.cursor, 6, "cursor on 4");
	is_int(v.top, 3, "view moved 3 lines");
	is_int(v.cursor_row, 0, "cursor at the top row");
	s = row_str(out, 10, 0);
	is_str(s, "4         ", "row 0 padded");
	free(s);
	textarea_page_down(&ta);
	textarea_page_down(&ta);
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(ta.cursor, 18, "cursor on 10");
	is_int(v.top, 7, "view stops at the last page");
	is_int(v.cursor_row, 2, "cursor at the bottom row");
	ok(textarea_page_down(&ta), "page down on the last line");
	is_int(ta.cursor, 20, "goes to the end of the text");
	ok(!textarea_page_down(&ta), "then nothing");
	ok(textarea_page_up(&ta), "page up");
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(ta.cursor, 13, "goal column 2 (from 10): after 7");
	is_int(v.top, 4, "view moved up 3 lines");
	is_int(v.cursor_row, 2, "cursor row 2");
	textarea_page_up(&ta);
	textarea_page_up(&ta);
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(ta.cursor, 1, "page up twice: after 1");
	is_int(v.top, 0, "at the top");
	ok(textarea_page_up(&ta), "page up on the first line");
	is_int(ta.cursor, 0, "goes to the start of the text");
	ok(!textarea_page_up(&ta), "then nothing");

	/* Deleting the last lines does not leave blank rows below. */
	textarea_text_end(&ta);
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(v.top, 7, "end: top 7");
	for (i = 0; i < 7; i++)
		textarea_backspace(&ta);
	s = textarea_get_utf8(&ta);
	is_str(s, "1\n2\n3\n4\n5\n6\n7", "deleted 8, 9 and 10");
	free(s);
	textarea_layout(&ta, 10, 3, out, &v);
	is_int(v.top, 4, "view pulled back to the last page");
	is_int(v.cursor_row, 2, "cursor on the bottom row");
	textarea_free(&ta);
}

static void
test_layout(void)
{
	struct textarea ta;
	wchar_t out[MAXROWS * (MAXCOLS + 1)];
	struct textarea_view v;
	char *s;
	int bad = 0, r;
	size_t c;

	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, report, NULL);
	ok(textarea_nlines(&ta, 10) == 13, "13 visual lines at 10");

	/* Every cursor position, rows 3: visible and rows exact. */
	for (c = 0; c <= ta.len; c++) {
		ta.cursor = c;
		bad += layout_check(&ta, 10, 3, out, &v);
	}
	is_int(bad, 0, "every cursor position: visible, rows 10 wide");
	textarea_text_end(&ta);
	bad = layout_check(&ta, 10, 3, out, &v);
	is_int(bad, 0, "end: rows exact");
	is_int(v.top, 10, "end: top line 10");
	is_int(v.cursor_row, 2, "end: row 2");
	is_int(v.cursor_col, 6, "end: after 大会。");
	s = row_str(out, 10, 2);
	is_str(s, "大会。    ", "last row padded to 10 columns");
	free(s);
	s = row_str(out, 10, 0);
	is_str(s, "召开的一次", "row 0");
	free(s);

	textarea_text_home(&ta);
	layout_check(&ta, 10, 3, out, &v);
	is_int(v.top, 0, "home: top 0");
	ok(v.cursor_row == 0 && v.cursor_col == 0, "home: 0,0");
	s = row_str(out, 10, 2);
	is_str(s, "国代表大  ", "row with a pulled-down 会 is padded");
	free(s);

	/* Odd width: a Hanzi never straddles, rows still exact. */
	bad = 0;
	for (c = 0; c <= ta.len; c += 7) {
		ta.cursor = c;
		bad += layout_check(&ta, 9, 4, out, &v);
	}
	is_int(bad, 0, "width 9: rows exactly 9 columns");

	/* Rows past the text are blank. */
	textarea_set_utf8(&ta, "短", NULL);
	layout_check(&ta, 4, 3, out, &v);
	for (r = 0; r < 3; r++) {
		s = row_str(out, 4, r);
		is_str(s, r == 0 ? "短  " : "    ", "short text row %d", r);
		free(s);
	}
	ok(textarea_layout(&ta, 0, 3, out, &v) == -1, "0 columns refused");
	textarea_layout(&ta, 1, 2, out, &v);
	s = row_str(out, 1, 0);
	is_str(s, " ", "1 column: a Hanzi is not drawn half");
	free(s);
	ok(v.cursor_col == 0 && v.cursor_row == 0, "1 column: cursor 0,0");

	/* Undrawable characters loaded from elsewhere keep the width. */
	textarea_set_utf8(&ta, "a\tb\xee\x80\x80", NULL);
	bad = layout_check(&ta, 6, 1, out, &v);
	is_int(bad, 0, "tab and PUA: row exact");
	textarea_free(&ta);
}

/* ○ is East Asian Ambiguous: 1 column in zh_CN.UTF-8, 2 in GB18030. */
static void
test_ambiguous(const char *loc, int aw)
{
	struct textarea ta;
	wchar_t out[MAXROWS * (MAXCOLS + 1)];
	struct textarea_view v;
	char *s;

	textarea_init(&ta, 0);
	textarea_set_utf8(&ta, "○○○○○○", NULL);
	s = lines_str(&ta, 10);
	is_str(s, aw == 1 ? "○○○○○○" : "○○○○○|○", "%s: ○ x6 at 10", loc);
	free(s);
	textarea_text_end(&ta);
	is_int(layout_check(&ta, 10, 2, out, &v), 0, "%s: rows exact", loc);
	is_int(v.cursor_col, aw == 1 ? 6 : 2, "%s: cursor column", loc);
	textarea_free(&ta);
}

int
main(void)
{
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL) {
		printf("# skip: locale zh_CN.UTF-8 not available\n");
		ok(1, "skipped");
		return tap_done();
	}
	test_wrap();
	test_edit_ops();
	test_vertical();
	test_paging();
	test_layout();
	test_ambiguous("zh_CN.UTF-8", 1);
	if (setlocale(LC_ALL, "zh_CN.GB18030") == NULL)
		printf("# skip: locale zh_CN.GB18030 not available\n");
	else
		test_ambiguous("zh_CN.GB18030", 2);
	return tap_done();
}
