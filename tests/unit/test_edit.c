/* test_edit.c: the single-line editor model and its layout. */
#include "config.h"

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "edit.h"
#include "tap.h"
#include "text.h"
#include "util.h"

/* Twenty distinct Hanzi. */
static const char twenty[] =
    "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸";

static char *
text_of(const struct edit *e)
{
	return edit_get_utf8(e);
}

/* Checks the text (as UTF-8) and the cursor index; frees nothing the
 * caller owns. */
static void
check_text(const struct edit *e, const char *want, size_t cursor,
    const char *what)
{
	char *s = text_of(e);

	is_str(s, want, "%s: text", what);
	is_int(e->cursor, cursor, "%s: cursor", what);
	free(s);
}

/* Width of out measured with wcwidth() itself, and whether any character
 * crosses column `cols`. */
static int
out_width(const wchar_t *out, int cols, int *straddle)
{
	int col = 0, w;

	*straddle = 0;
	for (; *out != L'\0'; out++) {
		w = wcwidth(*out);
		if (w < 0)
			w = 99;
		if (col < cols && col + w > cols)
			*straddle = 1;
		col += w;
	}
	return col;
}

/* Lays e out in cols columns and returns what is drawn as UTF-8. */
static char *
layout_str(struct edit *e, int cols, struct edit_view *v)
{
	wchar_t out[64];

	edit_layout(e, cols, out, v);
	return edit_wcs_to_utf8(out, wcslen(out));
}

static void
check_layout(struct edit *e, int cols, const char *want, int col,
    bool left, bool right, const char *what)
{
	struct edit_view v;
	char *s;

	s = layout_str(e, cols, &v);
	is_str(s, want, "%s: drawn", what);
	is_int(v.cursor_col, col, "%s: cursor column", what);
	ok(v.more_left == left, "%s: more_left is %d", what, left);
	ok(v.more_right == right, "%s: more_right is %d", what, right);
	free(s);
}

static void
test_typing(void)
{
	struct edit e;
	char *s;

	edit_init(&e, 0);
	ok(!e.dirty, "new editor is clean");
	ok(edit_insert(&e, L'a'), "type a");
	ok(edit_insert(&e, L'b'), "type b");
	ok(edit_insert(&e, 0x5f20), "type 张");
	ok(edit_insert(&e, 0x2003e), "type U+2003E");
	check_text(&e, "ab张\xf0\xa0\x80\xbe", 4, "typed");
	is_int(e.len, 4, "four characters");
	ok(e.dirty, "typing makes it dirty");

	ok(edit_left(&e), "left");
	is_int(e.cursor, 3, "left moves one character (over U+2003E)");
	ok(edit_left(&e), "left again");
	is_int(e.cursor, 2, "left moves one character (over nothing wide)");
	ok(edit_insert(&e, L'x'), "insert in the middle");
	check_text(&e, "abx张\xf0\xa0\x80\xbe", 3, "inserted in the middle");
	ok(edit_right(&e), "right");
	is_int(e.cursor, 4, "right moves over 张 in one step");

	ok(edit_home(&e), "home");
	is_int(e.cursor, 0, "home goes to 0");
	ok(!edit_home(&e), "home at home does not move");
	ok(!edit_left(&e), "left at the start does not move");
	ok(!edit_backspace(&e), "backspace at the start does nothing");
	ok(edit_delete(&e), "delete at the start");
	check_text(&e, "bx张\xf0\xa0\x80\xbe", 0, "deleted the first");
	ok(edit_end(&e), "end");
	is_int(e.cursor, 4, "end goes after the last character");
	ok(!edit_right(&e), "right at the end does not move");
	ok(!edit_delete(&e), "delete at the end does nothing");
	ok(edit_backspace(&e), "backspace at the end");
	check_text(&e, "bx张", 3, "backspaced U+2003E");
	ok(edit_left(&e), "left");
	ok(edit_backspace(&e), "backspace in the middle");
	check_text(&e, "b张", 1, "backspaced x");
	ok(edit_delete(&e), "delete in the middle");
	check_text(&e, "b", 1, "deleted 张");

	s = edit_get_utf8(&e);
	is_str(s, "b", "get_utf8");
	free(s);
	edit_free(&e);
}

static void
test_kill(void)
{
	struct edit e;

	edit_init(&e, 0);
	ok(edit_set_utf8(&e, "张三丰李四", NULL) == CX_OK, "set");
	e.cursor = 2;
	ok(edit_kill_line(&e), "Ctrl+U in the middle");
	check_text(&e, "丰李四", 0, "Ctrl+U kills to the start");
	ok(!edit_kill_line(&e), "Ctrl+U at the start does nothing");
	e.cursor = 1;
	ok(edit_kill_to_end(&e), "Ctrl+K");
	check_text(&e, "丰", 1, "Ctrl+K kills to the end");
	ok(!edit_kill_to_end(&e), "Ctrl+K at the end does nothing");
	ok(edit_clear(&e), "clear");
	check_text(&e, "", 0, "cleared");
	ok(!edit_clear(&e), "clearing empty text does nothing");
	edit_free(&e);
}

static void
test_words(void)
{
	struct edit e;

	edit_init(&e, 0);
	edit_set_utf8(&e, "abc 张三，李四", NULL);
	ok(edit_word_right(&e), "word right");
	is_int(e.cursor, 3, "end of abc");
	edit_word_right(&e);
	is_int(e.cursor, 6, "end of 张三");
	edit_word_right(&e);
	is_int(e.cursor, 7, "after ，");
	edit_word_right(&e);
	is_int(e.cursor, 9, "end of 李四");
	ok(!edit_word_right(&e), "word right at the end does not move");
	edit_word_left(&e);
	is_int(e.cursor, 7, "start of 李四");
	edit_word_left(&e);
	is_int(e.cursor, 6, "start of ，");
	edit_word_left(&e);
	is_int(e.cursor, 4, "start of 张三");
	edit_word_left(&e);
	is_int(e.cursor, 0, "start of abc");
	ok(!edit_word_left(&e), "word left at the start does not move");
	edit_free(&e);
}

static void
test_overwrite(void)
{
	struct edit e;

	edit_init(&e, 4);
	edit_set_utf8(&e, "张三丰", NULL);
	ok(edit_toggle_overwrite(&e), "overwrite on");
	ok(edit_insert(&e, L'a'), "overwrite 张");
	check_text(&e, "a三丰", 1, "overwrote the first");
	ok(edit_insert(&e, 0x674e), "overwrite 三 with 李");
	check_text(&e, "a李丰", 2, "overwrote the second");
	edit_end(&e);
	ok(edit_insert(&e, L'b'), "overwrite at the end appends");
	check_text(&e, "a李丰b", 4, "appended");
	ok(!edit_insert(&e, L'c'), "full: appending refused");
	check_text(&e, "a李丰b", 4, "unchanged when full");
	edit_home(&e);
	ok(edit_insert(&e, L'z'), "full: overwriting still works");
	check_text(&e, "z李丰b", 1, "overwrote when full");
	ok(!edit_toggle_overwrite(&e), "overwrite off");
	ok(!edit_insert(&e, L'y'), "full: inserting refused");
	check_text(&e, "z李丰b", 1, "insert mode: unchanged when full");
	edit_free(&e);
}

static void
test_maxlen_paste(void)
{
	struct edit e;
	bool cut;
	size_t n;
	char *s;

	edit_init(&e, 3);
	ok(edit_insert(&e, 0x4e00), "maxlen 3: 1");
	ok(edit_insert(&e, 0x4e8c), "maxlen 3: 2");
	ok(edit_insert(&e, 0x2003e), "maxlen 3: 3 (non-BMP counts one)");
	e.dirty = false;
	ok(!edit_insert(&e, L'x'), "maxlen 3: 4th refused");
	check_text(&e, "一二\xf0\xa0\x80\xbe", 3, "maxlen 3: unchanged");
	ok(!e.dirty, "refusal leaves it clean");
	edit_free(&e);

	edit_init(&e, 5);
	edit_set_utf8(&e, "ab", NULL);
	e.cursor = 1;
	n = edit_insert_utf8(&e, "一二三四五", &cut);
	is_int(n, 3, "paste into maxlen 5 stores 3");
	ok(cut, "paste reports the cut");
	check_text(&e, "a一二三b", 4, "paste cut at maxlen");
	n = edit_insert_utf8(&e, "x", &cut);
	is_int(n, 0, "paste into a full editor stores nothing");
	ok(cut, "and reports the cut");
	edit_free(&e);

	edit_init(&e, 0);
	n = edit_insert_utf8(&e, "\n张三\r\n李四\t\t王五\r\n\n", &cut);
	s = edit_get_utf8(&e);
	is_str(s, "张三 李四 王五", "paste: inner line breaks become one "
	    "space, outer ones dropped");
	free(s);
	is_int(n, 8, "paste with newlines stores 8");
	ok(!cut, "nothing cut");
	edit_free(&e);

	edit_init(&e, 0);
	n = edit_insert_utf8(&e, "a\x07" "b\xee\x80\x80" "c\xe2\x80\x8b" "d\xff"
	    "e\xef\xbb\xbf" "f", &cut);
	s = edit_get_utf8(&e);
	is_str(s, "abcdef", "paste drops BEL, PUA, ZWSP, bad bytes and BOM");
	free(s);
	is_int(n, 6, "paste counted 6");
	ok(!cut, "dropping is not cutting");
	edit_free(&e);

	edit_init(&e, 0);
	n = edit_insert_utf8(&e, "\n\t\n", &cut);
	is_int(n, 0, "paste of only line breaks stores nothing");
	is_int(e.len, 0, "still empty");
	edit_free(&e);

	/* The gap space counts against maxlen too. */
	edit_init(&e, 3);
	n = edit_insert_utf8(&e, "ab\ncd", &cut);
	check_text(&e, "ab ", 3, "gap space stored before the cut");
	is_int(n, 3, "three stored");
	ok(cut, "cd cut");
	edit_free(&e);
}

static void
test_refused(void)
{
	static const wchar_t bad[] = {
		0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9f,
		0xe000, 0xe78d, 0xf8ff, 0xf0000, 0x10fffd, 0xd800,
		0x110000, 0xfffe, 0xffff, 0xfdd0, 0x200b, 0x200d, 0x202e,
		0xfeff, 0x00ad, 0x2028, 0x2029
	};
	static const wchar_t good[] = {
		L' ', L'~', 0xa0, 0x3000, 0x3002, 0x5f20, 0x2003e, 0xf900,
		0xff01, 0x201c, 0x1f600, 0x301, 0xfffd
	};
	struct edit e;
	size_t i;

	edit_init(&e, 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ok(!edit_insert(&e, bad[i]), "U+%04lX refused",
		    (unsigned long)bad[i]);
	}
	is_int(e.len, 0, "nothing stored");
	ok(!e.dirty, "still clean");
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		ok(edit_insert(&e, good[i]), "U+%04lX accepted",
		    (unsigned long)good[i]);
	}
	is_int(e.len, sizeof good / sizeof good[0], "all stored");
	ok(!edit_insert(&e, (wchar_t)-1), "negative wchar_t refused");
	edit_free(&e);
}

static void
test_halfwidth(void)
{
	struct edit e;
	size_t n;

	edit_init(&e, 0);
	ok(edit_insert(&e, 0xff11), "type １ without the flag");
	check_text(&e, "１", 1, "full-width kept without the flag");
	edit_free(&e);

	edit_init(&e, 0);
	e.halfwidth = true;
	ok(edit_insert(&e, 0xff11), "type １");
	ok(edit_insert(&e, 0xff12), "type ２");
	check_text(&e, "12", 2, "１２ became 12");
	ok(edit_insert(&e, 0x3000), "type U+3000");
	ok(edit_insert(&e, 0xff21), "type Ａ");
	check_text(&e, "12 A", 4, "U+3000 became a space, Ａ became A");
	edit_clear(&e);
	n = edit_insert_utf8(&e, "２０２０－１２－２１", NULL);
	is_int(n, 10, "pasted date");
	check_text(&e, "2020-12-21", 10, "pasted full-width date converted");
	edit_free(&e);
}

static void
test_utf8(void)
{
	static const char *const texts[] = {
		"", "abc", "张三丰", "\xf0\xa0\x80\xbe", "“张三” 100%，（党支部）",
		"e\xcc\x81", "\xef\xbf\xbd"
	};
	struct edit e;
	char *s, *err = NULL;
	size_t i;

	edit_init(&e, 2);
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		ok(edit_set_utf8(&e, texts[i], NULL) == CX_OK, "set %zu", i);
		s = edit_get_utf8(&e);
		is_str(s, texts[i], "round trip %zu", i);
		free(s);
		is_int(e.cursor, 0, "cursor at the start after set %zu", i);
		ok(!e.dirty, "clean after set %zu", i);
	}
	ok(edit_set_utf8(&e, "张三丰", NULL) == CX_OK,
	    "set longer than maxlen keeps it all");
	is_int(e.len, 3, "3 characters although maxlen is 2");
	ok(!edit_insert(&e, L'x'), "but typing is refused");
	ok(edit_set_utf8(&e, "ok\xff", &err) == CX_ERR, "invalid UTF-8 refused");
	ok(err != NULL && strstr(err, "UTF-8") != NULL, "with a message");
	free(err);
	err = NULL;
	ok(edit_set_utf8(&e, "\xed\xa0\x80", &err) == CX_ERR,
	    "surrogate refused");
	free(err);
	ok(edit_set_utf8(&e, "\xe5\xbc", NULL) == CX_ERR,
	    "truncated sequence refused");
	s = edit_get_utf8(&e);
	is_str(s, "张三丰", "failed set leaves the text alone");
	free(s);
	ok(edit_set_utf8(&e, NULL, NULL) == CX_OK, "set NULL");
	is_int(e.len, 0, "NULL is empty");
	s = edit_get_utf8(&e);
	is_str(s, "", "empty get");
	free(s);
	edit_free(&e);
}

/* Walks the cursor over every position of a 5-column field holding
 * 张三丰, both ways, and checks what is drawn each time. */
static void
test_layout_narrow(void)
{
	struct edit e;
	struct edit_view v;
	wchar_t out[16];
	int pass, w, straddle, col, cw, bad = 0;
	size_t i;

	edit_init(&e, 0);
	edit_set_utf8(&e, "张三丰", NULL);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i <= 3; i++) {
			e.cursor = pass == 0 ? i : 3 - i;
			col = edit_layout(&e, 5, out, &v);
			w = out_width(out, 5, &straddle);
			cw = e.cursor < e.len ? wcwidth(e.text[e.cursor]) : 1;
			if (w != 5 || straddle || col < 0 || col > 4 ||
			    col + cw > 5 || col != v.cursor_col) {
				bad++;
				printf("# cursor %zu: width %d, col %d\n",
				    e.cursor, w, col);
			}
		}
	}
	is_int(bad, 0, "5 columns, 张三丰: always exactly 5 columns drawn, "
	    "cursor inside, nothing straddles");

	e.cursor = 0;
	check_layout(&e, 5, "张三 ", 0, false, true, "张三丰 at 0");
	e.cursor = 1;
	check_layout(&e, 5, "张三 ", 2, false, true, "张三丰 at 1");
	e.cursor = 2;
	check_layout(&e, 5, "三丰 ", 2, true, false, "张三丰 at 2");
	e.cursor = 3;
	check_layout(&e, 5, "三丰 ", 4, true, false, "张三丰 at end");
	e.cursor = 0;
	check_layout(&e, 5, "张三 ", 0, false, true, "张三丰 back at 0");

	edit_set_utf8(&e, "ab张三丰", NULL);
	edit_end(&e);
	check_layout(&e, 4, "丰  ", 2, true, false, "4 columns, at end");
	edit_layout(&e, 4, out, &v);
	is_int(v.nchars, 3, "nchars counts drawn characters and padding");

	/* A field narrower than a Hanzi still draws one column. */
	e.cursor = 2;
	check_layout(&e, 1, " ", 0, true, true, "1 column on a Hanzi");
	e.cursor = 0;
	check_layout(&e, 1, "a", 0, false, true, "1 column on a");
	col = edit_layout(&e, 0, out, &v);
	ok(col == 0 && out[0] == L'\0', "0 columns draws nothing");

	edit_set_utf8(&e, "", NULL);
	check_layout(&e, 3, "   ", 0, false, false, "empty text");
	edit_set_utf8(&e, "\xf0\xa0\x80\xbe" "a", NULL);
	check_layout(&e, 3, "\xf0\xa0\x80\xbe" "a", 0, false, false,
	    "U+2003E is 2 columns");
	edit_end(&e);
	check_layout(&e, 3, "a  ", 1, true, false, "U+2003E scrolled out");
	edit_free(&e);
}

static void
test_layout_scroll(void)
{
	struct edit e;
	struct edit_view v;
	wchar_t out[16];
	const char *p;
	uint32_t uc;
	int w, straddle, bad = 0;
	size_t i;

	edit_init(&e, 0);
	for (p = twenty; *p != '\0';) {
		p += text_utf8_decode(p, &uc);
		edit_insert(&e, (wchar_t)uc);
		edit_layout(&e, 10, out, &v);
		w = out_width(out, 10, &straddle);
		if (w != 10 || straddle || v.cursor_col > 9 ||
		    v.cursor_col != (int)(2 * (e.cursor - e.scroll)))
			bad++;
	}
	is_int(bad, 0, "typing 20 Hanzi in 10 columns: always 10 columns, "
	    "cursor visible");
	is_int(e.scroll, 16, "typed 20: scrolled so the last 4 Hanzi show");
	check_layout(&e, 10, "庚辛壬癸  ", 8, true, false, "typed 20");

	edit_home(&e);
	check_layout(&e, 10, "一二三四五", 0, false, true, "home");
	is_int(e.scroll, 0, "home scrolls back to 0");

	edit_end(&e);
	check_layout(&e, 10, "庚辛壬癸  ", 8, true, false, "end");
	for (i = 0; i < 4; i++)
		edit_left(&e);
	check_layout(&e, 10, "庚辛壬癸  ", 0, true, false,
	    "left to the first shown");
	edit_left(&e);
	check_layout(&e, 10, "戊己庚辛壬", 2, true, true,
	    "left past the left edge shows one Hanzi of context");
	is_int(e.scroll, 14, "scroll 14");
	for (i = 0; i < 3; i++)
		edit_right(&e);
	check_layout(&e, 10, "戊己庚辛壬", 8, true, true,
	    "right to the last shown does not scroll");
	edit_right(&e);
	check_layout(&e, 10, "己庚辛壬癸", 8, true, false,
	    "right onto a hidden last Hanzi");

	edit_home(&e);
	edit_layout(&e, 10, out, NULL);
	for (i = 0; i < 5; i++)
		edit_right(&e);
	check_layout(&e, 10, "三四五六七", 6, true, true,
	    "right past the right edge keeps one Hanzi of context");

	edit_end(&e);
	edit_layout(&e, 10, out, NULL);
	edit_backspace(&e);
	edit_backspace(&e);
	check_layout(&e, 10, "戊己庚辛  ", 8, true, false,
	    "after deleting at the end the field fills up again");
	edit_kill_line(&e);
	check_layout(&e, 10, "          ", 0, false, false,
	    "after Ctrl+U at the end");
	edit_free(&e);
}

/* Cases whose widths depend on the locale; aw is the width of “. */
static void
test_layout_ambiguous(const char *loc, int aw)
{
	struct edit e;
	struct edit_view v;
	wchar_t out[32];
	char *s;
	int straddle, w;

	edit_init(&e, 0);
	edit_set_utf8(&e, "““““““", NULL);
	s = layout_str(&e, 4, &v);
	is_str(s, aw == 1 ? "““““" : "““", "%s: “ x6 in 4 columns", loc);
	free(s);
	is_int(v.nchars, 4 / aw, "%s: %d characters drawn", loc, 4 / aw);
	ok(v.more_right, "%s: more right", loc);
	edit_layout(&e, 4, out, &v);
	is_int(out_width(out, 4, &straddle), 4, "%s: wcwidth total 4", loc);

	edit_set_utf8(&e, "张“", NULL);
	s = layout_str(&e, 4, &v);
	is_str(s, aw == 1 ? "张“ " : "张“", "%s: 张“ in 4 columns", loc);
	free(s);

	edit_set_utf8(&e, "a“张”", NULL);
	edit_end(&e);
	w = edit_layout(&e, 20, out, &v);
	is_int(w, 3 + 2 * aw, "%s: cursor after a“张”", loc);
	e.cursor = 2;
	w = edit_layout(&e, 20, out, &v);
	is_int(w, 1 + aw, "%s: cursor on 张", loc);

	/* A field of 3 columns: in GB18030 a“ is 3 columns, so the cursor
	 * on 张 must scroll. */
	e.scroll = 0;
	e.cursor = 2;
	w = edit_layout(&e, 3, out, &v);
	is_int(out_width(out, 3, &straddle), 3, "%s: 3 columns drawn", loc);
	ok(!straddle, "%s: nothing straddles", loc);
	ok(w + 2 <= 3, "%s: 张 under the cursor fully shown", loc);

	edit_set_utf8(&e, "a\tb\xf0\x9f\x98\x80", NULL);
	s = layout_str(&e, 5, &v);
	is_str(s, aw == 1 ? "a?b\xf0\x9f\x98\x80" : "a?b？",
	    "%s: tab and emoji drawn as the locale can", loc);
	free(s);
	edit_free(&e);
}

int
main(void)
{
	test_typing();
	test_kill();
	test_words();
	test_overwrite();
	test_maxlen_paste();
	test_refused();
	test_halfwidth();
	test_utf8();
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL) {
		printf("# skip: locale zh_CN.UTF-8 not available\n");
	} else {
		test_layout_narrow();
		test_layout_scroll();
		test_layout_ambiguous("zh_CN.UTF-8", 1);
	}
	if (setlocale(LC_ALL, "zh_CN.GB18030") == NULL)
		printf("# skip: locale zh_CN.GB18030 not available\n");
	else
		test_layout_ambiguous("zh_CN.GB18030", 2);
	return tap_done();
}
