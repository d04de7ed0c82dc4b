/* text.c: UTF-8 text, display width, padding, truncation and wrapping. */
#include "config.h"

/* wcwidth() is an X/Open function; glibc declares it only when asked. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <unictype.h>
#include <unistr.h>
#include <unilbrk.h>

#include "text.h"
#include "util.h"

/*
 * UTF-8.
 */

/* Shared by validation, decoding and the report engine so that all
 * agree. */
int
text_utf8_seq(const char *s, size_t avail, uint32_t *ucp)
{
	ucs4_t uc;
	int n;

	if (avail == 0)
		return 0;
	/* libunistring follows the standard: no overlong forms, no
	 * surrogates, nothing above U+10FFFF. */
	n = u8_mbtoucr(&uc, (const uint8_t *)s, avail);
	if (n <= 0)
		return 0;
	*ucp = uc;
	return n;
}

size_t
text_utf8_invalid(const char *s, size_t len)
{
	const uint8_t *bad = u8_check((const uint8_t *)s, len);

	return bad == NULL ? (size_t)-1 : (size_t)(bad - (const uint8_t *)s);
}

bool
text_utf8_valid(const char *s, size_t len)
{
	return u8_check((const uint8_t *)s, len) == NULL;
}

/* Callers promise valid UTF-8, but a bad byte must not make us read past
 * the terminating NUL: it decodes as U+FFFD, one byte long.  The NUL
 * itself fails the continuation-byte test, so this never overreads. */
int
text_utf8_decode(const char *s, uint32_t *uc)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t avail;
	int n;

	/* Only look at bytes up to a NUL, at most four. */
	for (avail = 0; avail < 4 && p[avail] != '\0'; avail++)
		;
	if (avail == 0) {
		*uc = 0;
		return 1;
	}
	if ((n = text_utf8_seq(s, avail, uc)) == 0) {
		*uc = 0xfffd;
		return 1;
	}
	return n;
}

int
text_utf8_encode(uint32_t uc, char out[4])
{
	int n;

	if (uc > 0x10ffff || (uc >= 0xd800 && uc <= 0xdfff))
		uc = 0xfffd;
	n = u8_uctomb((uint8_t *)out, uc, 4);
	return n > 0 ? n : 0;
}

size_t
text_char_count(const char *s)
{
	size_t n = 0;
	uint32_t uc;

	while (*s != '\0') {
		s += text_utf8_decode(s, &uc);
		n++;
	}
	return n;
}

/*
 * Width.
 */

/* Screen width follows the locale (so ambiguous characters match what
 * ncursesw will draw); print width follows GB18030 byte cells. */
int
text_char_width(uint32_t uc, enum text_width_mode mode)
{
	int w;

	if (mode == TEXT_PRINT)
		return uc < 0x80 ? 1 : 2;
	w = wcwidth((wchar_t)uc);
	if (w < 0)
		return uc >= 0x1100 ? 2 : 1;
	return w > 2 ? 2 : w;
}

size_t
text_width(const char *s, enum text_width_mode mode)
{
	size_t w = 0;
	uint32_t uc;

	while (*s != '\0') {
		s += text_utf8_decode(s, &uc);
		w += text_char_width(uc, mode);
	}
	return w;
}

char *
text_truncate(const char *s, size_t cols, enum text_width_mode mode,
    size_t *width_out)
{
	const char *p = s;
	size_t w = 0;
	uint32_t uc;
	int n, cw;

	while (*p != '\0') {
		n = text_utf8_decode(p, &uc);
		cw = text_char_width(uc, mode);
		if (w + cw > cols)
			break;
		w += cw;
		p += n;
	}
	if (width_out != NULL)
		*width_out = w;
	return xstrndup(s, p - s);
}

/* Truncating first means a 2-column character that would straddle the
 * edge is dropped, and the padding fills its column with a space. */
char *
text_pad(const char *s, size_t cols, enum text_align align,
    enum text_width_mode mode)
{
	char *t, *out;
	size_t w, pad, left, right, len;

	t = text_truncate(s, cols, mode, &w);
	pad = cols - w;
	switch (align) {
	case TEXT_RIGHT:
		left = pad;
		break;
	case TEXT_CENTER:
		left = pad / 2;
		break;
	default:
		left = 0;
		break;
	}
	right = pad - left;
	len = strlen(t);
	out = xmalloc(left + len + right + 1);
	memset(out, ' ', left);
	memcpy(out + left, t, len);
	memset(out + left + len, ' ', right);
	out[left + len + right] = '\0';
	free(t);
	return out;
}

/*
 * Line-breaking rules (禁则), after GB/T 15834-2011 and W3C clreq.
 */

static const uint32_t no_start_chars[] = {
	/* ASCII. */
	',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
	0x00b7,	/* · middle dot, as in 阿卜杜拉·买买提 */
	0x2019,	/* ’ */
	0x201d,	/* ” */
	0x2025,	/* ‥ */
	0x2026,	/* … */
	0x2030,	/* ‰ */
	0x2103,	/* ℃ */
	0x3001,	/* 、 */
	0x3002,	/* 。 */
	0x3009,	/* 〉 */
	0x300b,	/* 》 */
	0x300d,	/* 」 */
	0x300f,	/* 』 */
	0x3011,	/* 】 */
	0x3015,	/* 〕 */
	0x3017,	/* 〗 */
	0x3019,	/* 〙 */
	0x301b,	/* 〛 */
	0x301e,	/* 〞 */
	0x301f,	/* 〟 */
	0x30fb,	/* ・ */
	0xff01,	/* ！ */
	0xff05,	/* ％ */
	0xff09,	/* ） */
	0xff0c,	/* ， */
	0xff0e,	/* ． */
	0xff1a,	/* ： */
	0xff1b,	/* ； */
	0xff1f,	/* ？ */
	0xff3d,	/* ］ */
	0xff5d,	/* ｝ */
};

static const uint32_t no_end_chars[] = {
	'(', '[', '{',
	0x2018,	/* ‘ */
	0x201c,	/* “ */
	0x3008,	/* 〈 */
	0x300a,	/* 《 */
	0x300c,	/* 「 */
	0x300e,	/* 『 */
	0x3010,	/* 【 */
	0x3014,	/* 〔 */
	0x3016,	/* 〖 */
	0x3018,	/* 〘 */
	0x301a,	/* 〚 */
	0x301d,	/* 〝 */
	0xff08,	/* （ */
	0xff3b,	/* ［ */
	0xff5b,	/* ｛ */
};

static bool
in_set(uint32_t uc, const uint32_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (set[i] == uc)
			return true;
	}
	return false;
}

bool
text_no_line_start(uint32_t uc)
{
	return in_set(uc, no_start_chars,
	    sizeof no_start_chars / sizeof no_start_chars[0]);
}

bool
text_no_line_end(uint32_t uc)
{
	return in_set(uc, no_end_chars,
	    sizeof no_end_chars / sizeof no_end_chars[0]);
}

/*
 * Wrapping.
 */

struct wchar_info {
	size_t		off;	/* byte offset in the paragraph */
	uint32_t	uc;
	int		w;
};

static bool
is_ascii_alnum(uint32_t uc)
{
	return (uc >= '0' && uc <= '9') || (uc >= 'a' && uc <= 'z') ||
	    (uc >= 'A' && uc <= 'Z');
}

/* ——, …… and the like are one unit in Chinese and are never split. */
static bool
is_paired(uint32_t a, uint32_t b)
{
	return a == b && (a == 0x2014 || a == 0x2026 || a == 0x2e3a);
}

static bool
is_cjk(uint32_t uc)
{
	return uc >= 0x2e80;
}

/* Is a break just before c[i] forbidden by our own rules?  Used both to
 * veto UAX #14 opportunities and to place forced splits. */
static bool
break_forbidden(const struct wchar_info *c, size_t i)
{
	size_t j;

	if (text_no_line_start(c[i].uc))
		return true;
	/* The line would end with the last character before any spaces,
	 * which are dropped at the break. */
	for (j = i; j > 0 && c[j - 1].uc == ' '; j--)
		;
	if (j > 0 && text_no_line_end(c[j - 1].uc))
		return true;
	if (is_paired(c[i - 1].uc, c[i].uc))
		return true;
	if (uc_is_general_category(c[i].uc, UC_CATEGORY_M))
		return true;
	return false;
}

/* Break opportunities before each character of one paragraph: UAX #14
 * from libunistring, then our overrides.  brk[i] means "may break before
 * c[i]"; brk[0] is unused. */
static bool *
wrap_breaks(const char *s, size_t n, const struct wchar_info *c, size_t nc)
{
	char *p;
	bool *brk;
	size_t i;
	uint32_t a, b;

	p = xmalloc(n);
	u8_possible_linebreaks((const uint8_t *)s, n, "UTF-8", p);
	brk = xcalloc(nc + 1, sizeof *brk);
	for (i = 1; i < nc; i++) {
		a = c[i - 1].uc;
		b = c[i].uc;
		brk[i] = p[c[i].off] == UC_BREAK_POSSIBLE ||
		    p[c[i - 1].off] == UC_BREAK_MANDATORY;
		/*
		 * UAX #14 (Unicode 14) glues quotation marks to both
		 * neighbours.  Between Chinese characters “ opens and ”
		 * closes, so allow a break before “‘ and after ”’ there
		 * (as Unicode 15.1 LB19a does); the 禁则 below still apply.
		 */
		if (!brk[i] && b != ' ' &&
		    (((b == 0x201c || b == 0x2018) && is_cjk(a)) ||
		    ((a == 0x201d || a == 0x2019) && is_cjk(b))))
			brk[i] = true;
		if (brk[i] && break_forbidden(c, i))
			brk[i] = false;
		if (is_ascii_alnum(a) && is_ascii_alnum(b))
			brk[i] = false;
	}
	free(p);
	return brk;
}

static void
wrap_emit(struct strlist *out, const char *s, size_t from, size_t to)
{
	while (to > from && s[to - 1] == ' ')
		to--;
	strlist_take(out, xstrndup(s + from, to - from));
}

/* Greedy fill of one paragraph (no newlines): take the last permitted
 * break that fits; if none fits, split at the column limit and step back
 * over any 禁则 violation. */
static void
wrap_paragraph(struct strlist *out, const char *s, size_t n, size_t cols,
    enum text_width_mode mode)
{
	struct wchar_info *c;
	bool *brk, nonspace;
	size_t nc, i, start, best, b, w, pend;
	uint32_t uc;
	int len;

	if (n == 0) {
		strlist_add(out, "");
		return;
	}
	c = xmalloc((n + 1) * sizeof *c);
	for (nc = 0, i = 0; i < n; nc++) {
		len = text_utf8_decode(s + i, &uc);
		c[nc].off = i;
		c[nc].uc = uc;
		c[nc].w = text_char_width(uc, mode);
		i += len;
	}
	c[nc].off = n;
	c[nc].uc = 0;
	c[nc].w = 0;
	brk = wrap_breaks(s, n, c, nc);

	start = 0;
	for (;;) {
		w = pend = 0;
		best = start;
		nonspace = false;
		for (i = start; i < nc; i++) {
			if (i > start && nonspace && brk[i])
				best = i;
			if (c[i].uc == ' ') {
				pend += c[i].w;
				continue;
			}
			if (w + pend + c[i].w > cols)
				break;
			w += pend + c[i].w;
			pend = 0;
			nonspace = true;
		}
		if (i == nc) {
			wrap_emit(out, s, c[start].off, n);
			break;
		}
		if (best > start)
			b = best;
		else {
			/* Forced split inside an unbreakable run. */
			b = i;
			while (b > start + 1 && break_forbidden(c, b))
				b--;
			if (break_forbidden(c, b))
				b = i;
			if (b <= start)
				b = start + 1;
		}
		wrap_emit(out, s, c[start].off, c[b].off);
		/* Spaces at the break are dropped. */
		for (start = b; start < nc && c[start].uc == ' '; start++)
			;
		if (start == nc)
			break;
	}
	free(brk);
	free(c);
}

char **
text_wrap(const char *s, size_t cols, enum text_width_mode mode,
    size_t *nlines)
{
	struct strlist out;
	const char *p, *nl;
	size_t len;

	/* A 2-column character must always fit on a line by itself. */
	if (cols < 2)
		cols = 2;
	strlist_init(&out);
	p = s;
	for (;;) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		wrap_paragraph(&out, p, len, cols, mode);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (nlines != NULL)
		*nlines = out.n;
	strlist_take(&out, NULL);
	return out.v;
}

void
text_lines_free(char **lines)
{
	size_t i;

	if (lines == NULL)
		return;
	for (i = 0; lines[i] != NULL; i++)
		free(lines[i]);
	free(lines);
}

/*
 * Normalisation.
 */

/*
 * Escaping for the terminal.
 */

/* The bidirectional controls are Unicode's Bidi_Control property; they are
 * listed here rather than taken from libunistring so that an older copy
 * of its tables (before Unicode 6.3 added U+061C and U+2066..U+2069)
 * cannot let one through. */
bool
text_char_unsafe(uint32_t uc, bool multiline)
{
	if (uc < 0x20)
		return !(multiline && uc == '\n');
	if (uc >= 0x7f && uc <= 0x9f)
		return true;
	return uc == 0x061c || uc == 0x200e || uc == 0x200f ||
	    (uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069);
}

bool
text_is_safe(const char *s, bool multiline)
{
	size_t len = strlen(s), i = 0;
	uint32_t uc;
	int n;

	while (i < len) {
		n = text_utf8_seq(s + i, len - i, &uc);
		if (n == 0 || text_char_unsafe(uc, multiline))
			return false;
		i += (size_t)n;
	}
	return true;
}

/* Stored text can come from an imported archive or a pasted value; an
 * escape sequence in it would drive the terminal (set its title, clear
 * the screen) and a bidi override would make it show other text than is
 * stored.  Escapes keep such text visible and readable instead. */
char *
text_safe(const char *s, bool multiline)
{
	size_t len, i = 0;
	struct buf b;
	uint32_t uc;
	int n;

	if (text_is_safe(s, multiline))
		return xstrdup(s);
	len = strlen(s);
	buf_init(&b);
	while (i < len) {
		n = text_utf8_seq(s + i, len - i, &uc);
		if (n == 0) {
			buf_addf(&b, "[0x%02X]", (unsigned)(unsigned char)s[i]);
			n = 1;
		} else if (text_char_unsafe(uc, multiline))
			buf_addf(&b, "[U+%04X]", (unsigned)uc);
		else
			buf_add(&b, s + i, (size_t)n);
		i += (size_t)n;
	}
	return buf_take(&b);
}

/* Input methods in full-width mode type １２３ and ideographic spaces;
 * numbers, dates and identifiers want ASCII.  Invalid bytes are copied
 * through unchanged. */
char *
text_to_halfwidth(const char *s)
{
	struct buf b;
	uint32_t uc;
	int n;

	buf_init(&b);
	while (*s != '\0') {
		n = text_utf8_decode(s, &uc);
		if (uc >= 0xff01 && uc <= 0xff5e)
			buf_addc(&b, (char)(uc - 0xfee0));
		else if (uc == 0x3000)
			buf_addc(&b, ' ');
		else
			buf_add(&b, s, n);
		s += n;
	}
	return buf_take(&b);
}

static size_t
space_len(const char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (strncmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

char *
text_trim(const char *s)
{
	size_t n, len;

	while ((n = space_len(s)) != 0)
		s += n;
	len = strlen(s);
	for (;;) {
		if (len > 0 && (s[len - 1] == ' ' ||
		    (s[len - 1] >= '\t' && s[len - 1] <= '\r')))
			len--;
		else if (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
			len -= 3;
		else
			break;
	}
	return xstrndup(s, len);
}
