/* test_text.c: UTF-8, widths, truncation, padding, wrapping, normalising. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "text.h"
#include "util.h"

static bool have_utf8_locale;

static void
test_utf8(void)
{
	static const struct {
		const char	*s;
		size_t		 len;
		size_t		 bad;
		const char	*what;
	} cases[] = {
		{ "", 0, (size_t)-1, "empty" },
		{ "abc", 3, (size_t)-1, "ASCII" },
		{ "张三", 6, (size_t)-1, "Hanzi" },
		{ "\xf0\xa0\x80\xbe", 4, (size_t)-1, "U+2003E" },
		{ "\xf4\x8f\xbf\xbf", 4, (size_t)-1, "U+10FFFF" },
		{ "\xed\x9f\xbf", 3, (size_t)-1, "U+D7FF" },
		{ "\xee\x80\x80", 3, (size_t)-1, "U+E000" },
		{ "abc\xc0\x80", 5, 3, "overlong C0 80" },
		{ "\xc1\xbf", 2, 0, "overlong C1 BF" },
		{ "\xe0\x9f\xbf", 3, 0, "overlong 3-byte" },
		{ "\xf0\x8f\xbf\xbf", 4, 0, "overlong 4-byte" },
		{ "\xed\xa0\x80", 3, 0, "surrogate ED A0 80" },
		{ "a\xed\xbf\xbf", 4, 1, "surrogate ED BF BF" },
		{ "\xf4\x90\x80\x80", 4, 0, "above U+10FFFF" },
		{ "\xf5\x80\x80\x80", 4, 0, "F5 lead byte" },
		{ "x\xe4\xb8", 3, 1, "truncated E4 B8" },
		{ "\xe4\xb8" "a", 3, 0, "E4 B8 then ASCII" },
		{ "\x80", 1, 0, "lone continuation" },
		{ "\xff", 1, 0, "FF" },
		{ "张三", 5, 3, "cut by len" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		is_int(text_utf8_invalid(cases[i].s, cases[i].len), cases[i].bad,
		    "utf8_invalid: %s", cases[i].what);
		ok(text_utf8_valid(cases[i].s, cases[i].len) ==
		    (cases[i].bad == (size_t)-1), "utf8_valid: %s",
		    cases[i].what);
	}
}

static void
test_codec(void)
{
	static const uint32_t ucs[] = {
		0x41, 0x7f, 0x80, 0x7ff, 0x800, 0x5f20, 0xffff, 0x10000,
		0x2003e, 0x10ffff
	};
	static const int lens[] = { 1, 1, 2, 2, 3, 3, 3, 4, 4, 4 };
	char buf[5];
	uint32_t uc;
	size_t i;
	int n, bad = 0;

	for (i = 0; i < sizeof ucs / sizeof ucs[0]; i++) {
		memset(buf, 0, sizeof buf);
		n = text_utf8_encode(ucs[i], buf);
		if (n != lens[i] || !text_utf8_valid(buf, n) ||
		    text_utf8_decode(buf, &uc) != n || uc != ucs[i]) {
			printf("# round trip failed for U+%04X\n",
			    (unsigned)ucs[i]);
			bad++;
		}
	}
	is_int(bad, 0, "encode/decode round trip, 1 to 4 bytes");

	memset(buf, 0, sizeof buf);
	is_int(text_utf8_encode(0x2003e, buf), 4, "encode U+2003E length");
	is_str(buf, "𠀾", "encode U+2003E bytes");
	is_int(text_utf8_decode("𠀾x", &uc), 4, "decode 𠀾 length");
	is_int(uc, 0x2003e, "decode 𠀾 code point");
	is_int(text_utf8_decode("张", &uc), 3, "decode 张 length");
	is_int(uc, 0x5f20, "decode 张 code point");
	is_int(text_utf8_decode("\xe4\xb8", &uc), 1,
	    "decode truncated sequence consumes one byte");
	is_int(uc, 0xfffd, "decode truncated sequence gives U+FFFD");
	is_int(text_char_count("张三abc𠀾"), 6, "char_count");
	is_int(text_char_count(""), 0, "char_count empty");
}

static void
test_width(void)
{
	static const char *const ambiguous[] = { "“", "○", "①", "·", "—" };
	size_t i;

	is_int(text_width("张三", TEXT_SCREEN), 4, "张三 screen width");
	is_int(text_width("张三", TEXT_PRINT), 4, "张三 print width");
	is_int(text_width("ab", TEXT_SCREEN), 2, "ab screen width");
	is_int(text_width("ab", TEXT_PRINT), 2, "ab print width");
	is_int(text_width("𠀾", TEXT_SCREEN), 2, "𠀾 screen width");
	is_int(text_width("𠀾", TEXT_PRINT), 2, "𠀾 print width");
	is_int(text_width("", TEXT_SCREEN), 0, "empty width");
	for (i = 0; i < sizeof ambiguous / sizeof ambiguous[0]; i++)
		is_int(text_width(ambiguous[i], TEXT_PRINT), 2,
		    "%s print width is 2", ambiguous[i]);
	is_int(text_char_width(0x301, TEXT_PRINT), 2,
	    "combining mark print width is 2");
	is_int(text_char_width('A', TEXT_PRINT), 1, "ASCII print width");

	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL) {
		printf("# skip: locale zh_CN.UTF-8 not available\n");
	} else {
		have_utf8_locale = true;
		for (i = 0; i < sizeof ambiguous / sizeof ambiguous[0]; i++)
			is_int(text_width(ambiguous[i], TEXT_SCREEN), 1,
			    "zh_CN.UTF-8: %s screen width is 1", ambiguous[i]);
		is_int(text_char_width(0x301, TEXT_SCREEN), 0,
		    "zh_CN.UTF-8: combining acute is 0");
		is_int(text_width("e\xcc\x81", TEXT_SCREEN), 1,
		    "zh_CN.UTF-8: e + combining acute is 1");
		is_int(text_char_width(0x1, TEXT_SCREEN), 1,
		    "zh_CN.UTF-8: control character counts 1");
		is_int(text_width("张三", TEXT_SCREEN), 4,
		    "zh_CN.UTF-8: 张三 is 4");
		is_int(text_width("𠀾", TEXT_SCREEN), 2,
		    "zh_CN.UTF-8: 𠀾 is 2");
	}
	if (setlocale(LC_ALL, "zh_CN.GB18030") == NULL) {
		printf("# skip: locale zh_CN.GB18030 not available\n");
	} else {
		for (i = 0; i < sizeof ambiguous / sizeof ambiguous[0]; i++)
			is_int(text_width(ambiguous[i], TEXT_SCREEN), 2,
			    "zh_CN.GB18030: %s screen width is 2",
			    ambiguous[i]);
		is_int(text_width("张三ab", TEXT_SCREEN), 6,
		    "zh_CN.GB18030: 张三ab is 6");
		is_int(text_width("𠀾", TEXT_SCREEN), 2,
		    "zh_CN.GB18030: 𠀾 is 2");
		is_int(text_char_width(0x1f600, TEXT_SCREEN), 2,
		    "zh_CN.GB18030: emoji rejected by wcwidth counts 2");
	}
	/* The rest of the tests assume the UTF-8 locale. */
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
}

static void
test_truncate_pad(void)
{
	char *s;
	size_t w;

	s = text_truncate("张三丰", 5, TEXT_SCREEN, &w);
	is_str(s, "张三", "truncate 张三丰 to 5 never splits");
	is_int(w, 4, "truncate 张三丰 to 5 width");
	free(s);
	s = text_truncate("张三丰", 6, TEXT_SCREEN, &w);
	is_str(s, "张三丰", "truncate to exact width");
	is_int(w, 6, "truncate to exact width: width");
	free(s);
	s = text_truncate("ab张", 3, TEXT_PRINT, &w);
	is_str(s, "ab", "truncate ab张 to 3");
	is_int(w, 2, "truncate ab张 to 3 width");
	free(s);
	s = text_truncate("张三", 0, TEXT_SCREEN, NULL);
	is_str(s, "", "truncate to 0");
	free(s);
	s = text_truncate("“张”", 4, TEXT_PRINT, &w);
	is_str(s, "“张", "print truncate counts “ as 2");
	is_int(w, 4, "print truncate width");
	free(s);
	if (have_utf8_locale) {
		s = text_truncate("e\xcc\x81x", 1, TEXT_SCREEN, &w);
		is_str(s, "e\xcc\x81", "truncate keeps the combining mark");
		is_int(w, 1, "truncate with combining mark width");
		free(s);
	}

	s = text_pad("张三", 5, TEXT_LEFT, TEXT_SCREEN);
	is_str(s, "张三 ", "pad left");
	free(s);
	s = text_pad("张三", 5, TEXT_RIGHT, TEXT_SCREEN);
	is_str(s, " 张三", "pad right");
	free(s);
	s = text_pad("张三", 7, TEXT_CENTER, TEXT_SCREEN);
	is_str(s, " 张三  ", "pad center, odd leftover goes right");
	free(s);
	s = text_pad("张三丰", 5, TEXT_LEFT, TEXT_SCREEN);
	is_str(s, "张三 ", "pad: 2-column char in last column becomes space");
	free(s);
	s = text_pad("张三丰", 5, TEXT_RIGHT, TEXT_SCREEN);
	is_str(s, " 张三", "pad right after truncation");
	free(s);
	s = text_pad("ab", 2, TEXT_CENTER, TEXT_SCREEN);
	is_str(s, "ab", "pad to exact width");
	free(s);
	s = text_pad("", 3, TEXT_LEFT, TEXT_SCREEN);
	is_str(s, "   ", "pad empty");
	free(s);
	s = text_pad("“张”", 7, TEXT_LEFT, TEXT_PRINT);
	is_str(s, "“张” ", "pad in print mode");
	is_int(text_width(s, TEXT_PRINT), 7, "pad in print mode width");
	free(s);
	if (have_utf8_locale) {
		s = text_pad("“张”", 7, TEXT_LEFT, TEXT_SCREEN);
		is_str(s, "“张”   ", "pad in screen mode, zh_CN.UTF-8");
		free(s);
	}
}

/* Checks the invariants every wrap must keep and returns how many were
 * broken: widths, 禁则 away from paragraph edges, and that the lines are
 * the input with only newlines and spaces at soft breaks removed. */
static int
wrap_check(const char *in, size_t cols, enum text_width_mode mode,
    char **lines, size_t n)
{
	const char *p = in;
	size_t i, len;
	int bad = 0;
	bool para_start = true, para_end;
	uint32_t first, last, uc;
	const char *q;

	for (i = 0; i < n; i++) {
		len = strlen(lines[i]);
		if (text_width(lines[i], mode) > cols) {
			printf("#   line %zu \"%s\" wider than %zu\n", i,
			    lines[i], cols);
			bad++;
		}
		if (!para_start)
			while (*p == ' ')
				p++;
		if (strncmp(p, lines[i], len) != 0) {
			printf("#   line %zu \"%s\" does not match input at "
			    "\"%s\"\n", i, lines[i], p);
			return bad + 1;
		}
		p += len;
		q = p;
		while (*q == ' ')
			q++;
		para_end = *q == '\0' || *q == '\n' || *q == '\r';
		if (para_end)
			p = q;
		first = last = 0;
		for (q = lines[i]; *q != '\0'; q += text_utf8_decode(q, &uc)) {
			text_utf8_decode(q, &uc);
			if (q == lines[i])
				first = uc;
			last = uc;
		}
		if (!para_start && text_no_line_start(first)) {
			printf("#   line %zu \"%s\" starts with a no-start char\n",
			    i, lines[i]);
			bad++;
		}
		if (!para_end && text_no_line_end(last)) {
			printf("#   line %zu \"%s\" ends with a no-end char\n",
			    i, lines[i]);
			bad++;
		}
		if (!para_end && last == ' ') {
			printf("#   line %zu \"%s\" ends with a space\n", i,
			    lines[i]);
			bad++;
		}
		if (para_end) {
			if (*p == '\r')
				p++;
			if (*p == '\n')
				p++;
			para_start = true;
		} else
			para_start = false;
	}
	if (*p != '\0') {
		printf("#   input left over: \"%s\"\n", p);
		bad++;
	}
	return bad;
}

/* Wraps, checks the invariants, and compares with the expected lines
 * (a NULL-terminated list). */
static void
wrap_is(const char *in, size_t cols, enum text_width_mode mode,
    const char *const *want, const char *what)
{
	char **lines;
	size_t n, i, nwant;
	int same;

	lines = text_wrap(in, cols, mode, &n);
	for (nwant = 0; want[nwant] != NULL; nwant++)
		;
	same = n == nwant && lines[n] == NULL;
	for (i = 0; same && i < n; i++)
		same = strcmp(lines[i], want[i]) == 0;
	if (!ok(same, "wrap %s", what)) {
		for (i = 0; i < n; i++)
			printf("#   got  [%s]\n", lines[i]);
		for (i = 0; i < nwant; i++)
			printf("#   want [%s]\n", want[i]);
	}
	is_int(wrap_check(in, cols, mode, lines, n), 0,
	    "wrap %s: invariants", what);
	text_lines_free(lines);
}

#define L(...) ((const char *const []){ __VA_ARGS__, NULL })

static void
test_wrap(void)
{
	wrap_is("一二三四五六七八九十一二", 10, TEXT_SCREEN,
	    L("一二三四五", "六七八九十", "一二"), "plain Hanzi at 10");
	wrap_is("一二三四五六七八九十一二", 9, TEXT_SCREEN,
	    L("一二三四", "五六七八", "九十一二"),
	    "plain Hanzi at odd width 9");
	wrap_is("一二三四五。六七八九十", 10, TEXT_SCREEN,
	    L("一二三四", "五。六七八", "九十"),
	    "。 at the start of line 2 pulls 五 down");
	wrap_is("一二三四五，”六七", 10, TEXT_PRINT,
	    L("一二三四", "五，”六七"),
	    "two closing marks pull one character down");
	wrap_is("一二三四（五六七八九十", 10, TEXT_SCREEN,
	    L("一二三四", "（五六七八", "九十"),
	    "（ at line end moves down");
	wrap_is("一二三四《五六》七八", 10, TEXT_PRINT,
	    L("一二三四", "《五六》七", "八"), "《 at line end moves down");
	wrap_is("abcdefghijklmnopqrstuvwxyz", 10, TEXT_SCREEN,
	    L("abcdefghij", "klmnopqrst", "uvwxyz"),
	    "ASCII word longer than the line");
	wrap_is("abcdefghij。xyz", 10, TEXT_SCREEN,
	    L("abcdefghi", "j。xyz"),
	    "forced split before 。 pulls the letter down");
	wrap_is("abcdefghi(jklmn", 10, TEXT_SCREEN,
	    L("abcdefghi", "(jklmn"),
	    "forced split never leaves ( at line end");
	wrap_is("abcdefghi……xy", 10, TEXT_PRINT,
	    L("abcdefgh", "i……xy"),
	    "forced split never splits …… nor starts a line with it");
	wrap_is("会议时间为20201221日", 12, TEXT_SCREEN,
	    L("会议时间为", "20201221日"), "digit run kept whole");
	wrap_is("hello world foo bar", 11, TEXT_SCREEN,
	    L("hello world", "foo bar"), "space dropped at break");
	wrap_is("ab   cdefgh", 5, TEXT_SCREEN, L("ab", "cdefg", "h"),
	    "run of spaces dropped at break");
	wrap_is("一二\n三四五六七八", 6, TEXT_SCREEN,
	    L("一二", "三四五", "六七八"), "newline forces a break");
	wrap_is("一\n\n二\n", 6, TEXT_SCREEN, L("一", "", "二", ""),
	    "empty lines kept");
	wrap_is("𠀾𠀾𠀾𠀾𠀾𠀾", 5, TEXT_SCREEN, L("𠀾𠀾", "𠀾𠀾", "𠀾𠀾"),
	    "non-BMP characters");
	wrap_is("", 10, TEXT_SCREEN, L(""), "empty string");
	wrap_is("一二三——四五", 8, TEXT_PRINT, L("一二三", "——四五"),
	    "—— not split");
	wrap_is("一二三……四五", 8, TEXT_PRINT, L("一二", "三……四", "五"),
	    "…… not split and not at line start");
	wrap_is("他说“好的”我们走吧", 8, TEXT_PRINT,
	    L("他说“好", "的”我们", "走吧"),
	    "print mode counts “” as 2 columns");
	wrap_is("他说“好的”我们走吧", 8, TEXT_SCREEN,
	    L("他说“好", "的”我们", "走吧"),
	    "screen mode, “ is 1 column here");
	wrap_is("一二三四五六七八九十", 2, TEXT_SCREEN,
	    L("一", "二", "三", "四", "五", "六", "七", "八", "九", "十"),
	    "width 2");

	if (have_utf8_locale) {
		wrap_is("一二三四“五六”七八", 9, TEXT_SCREEN,
		    L("一二三四", "“五六”七", "八"),
		    "zh_CN.UTF-8: “ at line end moves down");
	}
}

/* Random text from a mixed alphabet; every wrap must keep the
 * invariants.  Punctuation is never doubled up so that the 禁则 can
 * always be met at these widths. */
static void
test_wrap_random(void)
{
	static const char *const plain[] = {
		"张", "三", "支", "部", "会", "𠀾", "a", "b", "c", "x", "1", "2",
		"9", " ", "①", "○"
	};
	static const char *const punct[] = {
		"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》",
		"”", "’", "】", "〉", "…", "%", ",", ".", ";", ":", "?", "!",
		")", "（", "「", "『", "《", "“", "‘", "【", "〈", "(", "——",
		"……", "\n"
	};
	struct buf b;
	char **lines;
	size_t n, cols, len, k;
	int round, bad = 0, fails = 0;
	enum text_width_mode mode;
	unsigned int seed = 12345;

	buf_init(&b);
	for (round = 0; round < 3000; round++) {
		buf_reset(&b);
		len = rand_r(&seed) % 60;
		for (k = 0; k < len; k++) {
			buf_addstr(&b, plain[rand_r(&seed) %
			    (sizeof plain / sizeof plain[0])]);
			if (rand_r(&seed) % 3 == 0) {
				buf_addstr(&b, plain[rand_r(&seed) % 5]);
				buf_addstr(&b, punct[rand_r(&seed) %
				    (sizeof punct / sizeof punct[0])]);
				buf_addstr(&b, plain[rand_r(&seed) % 5]);
			}
		}
		cols = 8 + rand_r(&seed) % 30;
		mode = rand_r(&seed) % 2 ? TEXT_PRINT : TEXT_SCREEN;
		lines = text_wrap(b.s, cols, mode, &n);
		bad = wrap_check(b.s, cols, mode, lines, n);
		if (bad != 0 && fails++ < 5)
			printf("# failing input (%zu cols, %s): \"%s\"\n", cols,
			    mode == TEXT_PRINT ? "print" : "screen", b.s);
		text_lines_free(lines);
	}
	buf_free(&b);
	is_int(fails, 0, "3000 random wraps keep every invariant");
}

static void
test_breaks(void)
{
	static const char *const starts[] = {
		"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》",
		"”", "’", "】", "〉", "…", "%", ",", ".", ";", ":", "?", "!",
		")"
	};
	static const char *const ends[] = {
		"（", "「", "『", "《", "“", "‘", "【", "〈", "("
	};
	uint32_t uc;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		text_utf8_decode(starts[i], &uc);
		if (!text_no_line_start(uc) || text_no_line_end(uc)) {
			printf("# %s misclassified\n", starts[i]);
			bad++;
		}
	}
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		text_utf8_decode(ends[i], &uc);
		if (!text_no_line_end(uc) || text_no_line_start(uc)) {
			printf("# %s misclassified\n", ends[i]);
			bad++;
		}
	}
	is_int(bad, 0, "no-start and no-end sets");
	ok(!text_no_line_start(0x5f20) && !text_no_line_end(0x5f20),
	    "张 has no restriction");
	ok(!text_no_line_start('a') && !text_no_line_end('a'),
	    "a has no restriction");
}

static void
test_normalise(void)
{
	char *s;

	s = text_to_halfwidth("２０２０年１２月");
	is_str(s, "2020年12月", "halfwidth digits");
	free(s);
	s = text_to_halfwidth("ＡＢ　ｚ！～");
	is_str(s, "AB z!~", "halfwidth letters, U+3000, ends of range");
	free(s);
	s = text_to_halfwidth("张三。，");
	is_str(s, "张三。,", "halfwidth: ， becomes , and 。 stays");
	free(s);
	s = text_to_halfwidth("a\xffz");
	is_str(s, "a\xffz", "halfwidth copies invalid bytes through");
	free(s);

	s = text_trim("\xe3\x80\x80 张三\t\xe3\x80\x80\n");
	is_str(s, "张三", "trim ASCII space and U+3000");
	free(s);
	s = text_trim("张\xe3\x80\x80三");
	is_str(s, "张\xe3\x80\x80三", "trim keeps inner U+3000");
	free(s);
	s = text_trim(" \xe3\x80\x80 ");
	is_str(s, "", "trim all white space");
	free(s);
	s = text_trim("");
	is_str(s, "", "trim empty");
	free(s);
	s = text_trim("\xe3\x80");
	is_str(s, "\xe3\x80", "trim leaves a truncated sequence alone");
	free(s);
}

/* One escaped result of text_safe(), freed here. */
static void
safe_is(const char *in, bool multiline, const char *want, const char *what)
{
	char *s = text_safe(in, multiline);

	is_str(s, want, "safe: %s", what);
	ok(text_is_safe(s, multiline), "safe: %s: result is safe", what);
	free(s);
}

static void
test_safe(void)
{
	static const uint32_t bidi[] = { 0x061c, 0x200e, 0x200f, 0x202a,
	    0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069 };
	char in[8], want[16], *s;
	const char *plain = "张三 abc 𠀾，（一）\n第二行";
	size_t i;
	uint32_t uc;

	/* Fast path: nothing to escape gives an equal, separate copy. */
	ok(text_is_safe(plain, true), "safe: plain multi-line text is safe");
	s = text_safe(plain, true);
	is_str(s, plain, "safe: plain text unchanged");
	ok(s != plain, "safe: plain text is copied");
	free(s);
	safe_is("", false, "", "empty");
	safe_is("𠀾\xf0\xa0\x80\xbe", false, "𠀾𠀾", "non-BMP kept");
	safe_is("\xe2\x80\x8b\xe3\x80\x80", false, "\xe2\x80\x8b\xe3\x80\x80",
	    "zero-width space and U+3000 kept");

	/* C0 controls, DEL and C1 controls. */
	safe_is("a\x1b]0;title\x07z", false, "a[U+001B]]0;title[U+0007]z",
	    "ESC and BEL");
	safe_is("\x01\x1f\x7f", false, "[U+0001][U+001F][U+007F]",
	    "C0 ends and DEL");
	safe_is("\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0", false,
	    "[U+0080][U+009B][U+009F]\xc2\xa0", "C1 controls, NBSP kept");
	safe_is("a\tb", true, "a[U+0009]b", "tab escaped even multi-line");
	safe_is("a\r\nb", true, "a[U+000D]\nb", "CR escaped, LF kept");

	/* Multi-line on and off. */
	safe_is("一\n二", true, "一\n二", "newline kept when multi-line");
	safe_is("一\n二", false, "一[U+000A]二", "newline escaped otherwise");
	ok(!text_is_safe("一\n二", false), "safe: newline unsafe on one line");

	/* Every bidirectional control. */
	for (i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		int n = text_utf8_encode(bidi[i], in);

		in[n] = '\0';
		snprintf(want, sizeof want, "[U+%04X]", (unsigned)bidi[i]);
		safe_is(in, false, want, want);
	}
	safe_is("\xe2\x80\xae" "abc", true, "[U+202E]abc", "RLO before text");
	ok(!text_char_unsafe(0x2029, false) && !text_char_unsafe(0x2065,
	    false) && !text_char_unsafe(0x202f, false) &&
	    !text_char_unsafe(0x200d, false), "safe: neighbours kept");

	/* Bytes that are not valid UTF-8. */
	safe_is("a\xffz", false, "a[0xFF]z", "0xFF");
	safe_is("\xc0\xaf", false, "[0xC0][0xAF]", "overlong");
	safe_is("\xed\xa0\x80", false, "[0xED][0xA0][0x80]", "surrogate");
	safe_is("张\xe4\xb8", false, "张[0xE4][0xB8]", "truncated at end");
	safe_is("\xe4\xb8" "张", false, "[0xE4][0xB8]张", "truncated in text");
	safe_is("\xf4\x90\x80\x80", false, "[0xF4][0x90][0x80][0x80]",
	    "above U+10FFFF");

	/* Escaping twice changes nothing more. */
	s = text_safe("\x1b\xe2\x80\xae\xff", false);
	safe_is(s, false, "[U+001B][U+202E][0xFF]", "idempotent");
	free(s);

	/* Nothing else below U+10000 is escaped. */
	for (uc = 0x20, i = 0; uc < 0x10000; uc++)
		if ((uc < 0x7f || uc > 0x9f) && (uc < 0xd800 || uc > 0xdfff) &&
		    text_char_unsafe(uc, false))
			i++;
	is_int(i, 12, "safe: only the 12 bidi controls above U+009F");
}

int
main(void)
{
	test_utf8();
	test_codec();
	test_width();
	test_truncate_pad();
	test_breaks();
	test_wrap();
	test_wrap_random();
	test_normalise();
	test_safe();
	return tap_done();
}
