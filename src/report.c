/* report.c: laying out and encoding printed reports.
 *
 * One layout engine serves report_render() and report_write().  It goes
 * over the blocks in passes: a measuring pass counts each page's lines to
 * learn the page count, an emitting pass builds each page's lines and
 * hands the finished page to a page function (which collects, writes or
 * checks it).  The engine holds the page being filled and the row being
 * laid out, never the whole report; only report_render(), which returns
 * the whole report, collects it.
 *
 * report_render() is the plain path: every cell goes through text_wrap()
 * and text_pad(), and the whole text through one iconv conversion.
 * report_write() is the fast one, for reports of a million rows:
 * - each cell is checked, cleaned, measured and (when writing) encoded in
 *   one sweep, and copied only when a control character must go;
 * - a paragraph that fits on its line, or a run of Hanzi and of the
 *   punctuation that never starts a line, is wrapped in place with
 *   text_wrap()'s result; only other paragraphs go through text_wrap();
 * - lines are built straight into the page body, in reused buffers: no
 *   allocation per row once the first pages are out;
 * - each distinct character goes through iconv once and its bytes are
 *   remembered (GB18030 and GBK are stateless), and the body is built in
 *   the output encoding, so a page goes out as it is.
 * The unit tests check that both paths give the same bytes.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "report.h"
#include "text.h"
#include "util.h"

#ifndef ICONV_CONST
#define ICONV_CONST
#endif

#define REPORT_MIN_WIDTH	40
#define REPORT_MIN_COL		4
#define REPORT_NONE		SIZE_MAX
#define REPORT_MAX_BAD_CHARS	10
#define REPORT_MAX_BAD_PAGES	5
#define REPORT_CHUNK		65536	/* bytes handed to a sink at once */

enum block_kind {
	BLOCK_ROW,
	BLOCK_TABLE_END,
	BLOCK_PARAGRAPH,
	BLOCK_SIGNATURE,
	BLOCK_SOURCE,		/* a whole table read from a row source */
	BLOCK_PAGE_BREAK
};

struct report_table {
	size_t			 ncols;
	struct report_col	*cols;		/* labels owned */
	size_t			*w;		/* laid-out content widths */
	size_t			 nrows;		/* by report_table_row() */
	struct report_source	 src;		/* .next NULL: not a source */
	size_t			 srows;		/* source rows when measured */
	struct strlist		 head;		/* laid-out header lines */
	char			*rule[3];	/* top, between rows, bottom */
	size_t			 rulelen;	/* bytes, the same for all 3 */
	/* report_write(): the same in the output encoding. */
	struct strlist		 ehead;
	char			*erule[3];
	size_t			 erulelen;
};

struct report_block {
	enum block_kind		 kind;
	size_t			 table;		/* BLOCK_ROW, BLOCK_TABLE_END */
	char			**cells;	/* BLOCK_ROW: ncols strings */
	char			*text;		/* paragraph, signature */
};

struct report {
	struct report_opts	 opts;
	struct strlist		 titles;
	struct strlist		 headers;	/* "label：value" */
	struct report_table	*tables;
	size_t			 ntables;
	size_t			 tcap;
	struct report_block	*blocks;
	size_t			 nblocks;
	size_t			 bcap;
	bool			 in_table;
	char			*err;		/* first misuse, if any */
	size_t			 npages;
	size_t			 page_before;	/* report_number_pages() */
	size_t			 page_total;
};

void
report_opts_init(struct report_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->width = 80;
	opts->page_lines = 66;
	opts->border = REPORT_BORDER_ASCII;
	opts->encoding = REPORT_UTF8;
	opts->bom = false;
	opts->eol = REPORT_EOL_LF;
	opts->formfeed = true;
}

struct report *
report_new(const struct report_opts *opts)
{
	struct report *r;

	r = xcalloc(1, sizeof *r);
	if (opts != NULL)
		r->opts = *opts;
	else
		report_opts_init(&r->opts);
	if (r->opts.width == 0)
		r->opts.width = 80;
	if (r->opts.page_lines == 0)
		r->opts.page_lines = 66;
	strlist_init(&r->titles);
	strlist_init(&r->headers);
	return r;
}

void
report_free(struct report *r)
{
	struct report_table *t;
	struct report_block *b;
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nblocks; i++) {
		b = &r->blocks[i];
		if (b->cells != NULL) {
			for (j = 0; j < r->tables[b->table].ncols; j++)
				free(b->cells[j]);
			free(b->cells);
		}
		free(b->text);
	}
	free(r->blocks);
	for (i = 0; i < r->ntables; i++) {
		t = &r->tables[i];
		for (j = 0; j < t->ncols; j++)
			free((char *)t->cols[j].label);
		free(t->cols);
		free(t->w);
		strlist_free(&t->head);
		strlist_free(&t->ehead);
		for (j = 0; j < 3; j++) {
			free(t->rule[j]);
			free(t->erule[j]);
		}
	}
	free(r->tables);
	strlist_free(&r->titles);
	strlist_free(&r->headers);
	free(r->err);
	free(r);
}

/* Only the first misuse is kept: later ones are usually its echoes. */
static void
report_misuse(struct report *r, const char *msg)
{
	if (r->err == NULL)
		r->err = xstrdup(msg);
}

/* Control characters would move the print head behind the layout's back
 * (a tab, a stray CR or FF), so they become spaces; "\n" is kept where a
 * forced break makes sense.  Invalid UTF-8 is refused, as every width
 * computation assumes valid text.  Copies s (NULL: "") into b, reusing
 * its memory; false when s is not valid UTF-8 (b is then ""). */
static bool
cell_clean(struct buf *b, const char *s, bool keep_nl)
{
	unsigned char c;
	size_t len, i;

	buf_reset(b);
	if (s == NULL) {
		buf_add(b, "", 0);
		return true;
	}
	len = strlen(s);
	if (text_utf8_invalid(s, len) != (size_t)-1) {
		buf_add(b, "", 0);
		return false;
	}
	b->s = xgrow(b->s, &b->cap, len + 1, 1);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c < 0x20 && (c != '\n' || !keep_nl)) || c == 0x7f)
			c = ' ';
		b->s[i] = (char)c;
	}
	b->s[len] = '\0';
	b->len = len;
	return true;
}

static char *
report_clean(struct report *r, const char *s, bool keep_nl)
{
	struct buf b;

	buf_init(&b);
	if (!cell_clean(&b, s, keep_nl))
		report_misuse(r, "报表文字含有无法识别的字符（不是有效的 UTF-8 编码）。");
	return buf_take(&b);
}

static struct report_block *
report_add_block(struct report *r, enum block_kind kind)
{
	struct report_block *b;

	r->blocks = xgrow(r->blocks, &r->bcap, r->nblocks + 1, sizeof *b);
	b = &r->blocks[r->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->table = REPORT_NONE;
	return b;
}

void
report_title(struct report *r, const char *text)
{
	strlist_take(&r->titles, report_clean(r, text, true));
}

void
report_header(struct report *r, const char *label, const char *value)
{
	char *l, *v;

	l = report_clean(r, label, false);
	v = report_clean(r, value, false);
	strlist_addf(&r->headers, "%s：%s", l, v);
	free(l);
	free(v);
}

static struct report_table *
report_add_table(struct report *r, size_t ncols,
    const struct report_col *cols)
{
	struct report_table *t;
	size_t i;

	if (r->in_table) {
		report_misuse(r, "程序错误：上一个表格尚未结束。");
		report_table_end(r);
	}
	if (ncols == 0 || cols == NULL) {
		report_misuse(r, "程序错误：表格没有列。");
		return NULL;
	}
	r->tables = xgrow(r->tables, &r->tcap, r->ntables + 1, sizeof *t);
	t = &r->tables[r->ntables++];
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->cols = xcalloc(ncols, sizeof *t->cols);
	t->w = xcalloc(ncols, sizeof *t->w);
	strlist_init(&t->head);
	for (i = 0; i < ncols; i++) {
		t->cols[i] = cols[i];
		t->cols[i].label = report_clean(r, cols[i].label, true);
	}
	return t;
}

void
report_table_begin(struct report *r, size_t ncols,
    const struct report_col *cols)
{
	if (report_add_table(r, ncols, cols) != NULL)
		r->in_table = true;
}

void
report_table_source(struct report *r, size_t ncols,
    const struct report_col *cols, const struct report_source *src)
{
	struct report_table *t;
	struct report_block *b;

	if (src == NULL || src->next == NULL) {
		report_misuse(r, "程序错误：表格没有数据来源。");
		return;
	}
	if ((t = report_add_table(r, ncols, cols)) == NULL)
		return;
	t->src = *src;
	b = report_add_block(r, BLOCK_SOURCE);
	b->table = r->ntables - 1;
}

void
report_table_row(struct report *r, const char *const *cells)
{
	struct report_table *t;
	struct report_block *b;
	size_t i;

	if (!r->in_table) {
		report_misuse(r, "程序错误：表格行不在表格之内。");
		return;
	}
	t = &r->tables[r->ntables - 1];
	b = report_add_block(r, BLOCK_ROW);
	b->table = r->ntables - 1;
	b->cells = xcalloc(t->ncols, sizeof *b->cells);
	for (i = 0; i < t->ncols; i++)
		b->cells[i] = report_clean(r, cells != NULL ? cells[i] : NULL,
		    true);
	t->nrows++;
}

void
report_table_end(struct report *r)
{
	struct report_block *b;

	if (!r->in_table) {
		report_misuse(r, "程序错误：没有要结束的表格。");
		return;
	}
	b = report_add_block(r, BLOCK_TABLE_END);
	b->table = r->ntables - 1;
	r->in_table = false;
}

void
report_paragraph(struct report *r, const char *text)
{
	struct report_block *b;

	if (r->in_table)
		report_misuse(r, "程序错误：表格尚未结束。");
	b = report_add_block(r, BLOCK_PARAGRAPH);
	b->text = report_clean(r, text, true);
}

void
report_signature(struct report *r, const char *text)
{
	struct report_block *b;

	if (r->in_table)
		report_misuse(r, "程序错误：表格尚未结束。");
	b = report_add_block(r, BLOCK_SIGNATURE);
	b->text = report_clean(r, text, false);
}

void
report_page_break(struct report *r)
{
	if (r->in_table)
		report_misuse(r, "程序错误：表格尚未结束。");
	report_add_block(r, BLOCK_PAGE_BREAK);
}

void
report_number_pages(struct report *r, size_t before, size_t total)
{
	r->page_before = before;
	r->page_total = total;
}

size_t
report_page_count(const struct report *r)
{
	return r->npages;
}

/*
 * Column widths and table lines.
 */

/* See report.h for the rule.  Widths are clamped to the page first so the
 * proportional step cannot overflow. */
static int
report_table_widths(const struct report_opts *o, struct report_table *t,
    char **errp)
{
	bool box = o->border == REPORT_BORDER_BOX;
	size_t unit = box ? 2 : 1, n = t->ncols, over, avail, sum, i, j, w;
	size_t *want;

	over = box ? 2 + 2 * n : 1 + 3 * n;
	if (n > o->width || over + REPORT_MIN_COL * n > o->width)
		return err_set(errp, "表格共 %zu 列，在 %zu 列宽的纸上排不下"
		    "（每列至少 %d 列宽）。", n, o->width, REPORT_MIN_COL);
	avail = o->width - over;
	sum = 0;
	for (i = 0; i < n; i++) {
		w = t->cols[i].width;
		if (w < REPORT_MIN_COL)
			w = REPORT_MIN_COL;
		if (w > o->width)
			w = o->width;
		if (box && w % 2 != 0)
			w++;
		t->w[i] = w;
		sum += w;
	}
	if (sum <= avail)
		return CX_OK;
	want = xcalloc(n, sizeof *want);
	for (i = 0; i < n; i++) {
		want[i] = t->w[i];
		w = t->w[i] * avail / sum;
		w -= w % unit;
		t->w[i] = w < REPORT_MIN_COL ? REPORT_MIN_COL : w;
	}
	/* Rounding down leaves a few columns over: give them back, a unit
	 * at a time, to the column that lost the most, so that a shrunk
	 * table fills the page exactly. */
	for (;;) {
		for (sum = 0, i = 0; i < n; i++)
			sum += t->w[i];
		if (sum + unit > avail)
			break;
		for (j = 0, i = 1; i < n; i++) {
			if (want[i] - t->w[i] > want[j] - t->w[j])
				j = i;
		}
		if (t->w[j] >= want[j])
			break;
		t->w[j] += unit;
	}
	free(want);
	for (;;) {
		for (sum = 0, i = 0; i < n; i++)
			sum += t->w[i];
		if (sum <= avail)
			break;
		for (j = 0, i = 1; i < n; i++) {
			if (t->w[i] > t->w[j])
				j = i;
		}
		/* Cannot happen: over + 4n <= width was checked above. */
		if (t->w[j] <= REPORT_MIN_COL)
			return err_set(errp, "表格在 %zu 列宽的纸上排不下。",
			    o->width);
		t->w[j] -= unit;
	}
	return CX_OK;
}

/* kind: 0 top, 1 between rows, 2 bottom. */
static char *
report_table_rule(const struct report_opts *o, const struct report_table *t,
    int kind)
{
	static const char *box[3][3] = {
		{ "┌", "┬", "┐" }, { "├", "┼", "┤" }, { "└", "┴", "┘" }
	};
	struct buf b;
	size_t i, k;

	buf_init(&b);
	if (o->border != REPORT_BORDER_BOX) {
		buf_addc(&b, '+');
		for (i = 0; i < t->ncols; i++) {
			for (k = 0; k < t->w[i] + 2; k++)
				buf_addc(&b, '-');
			buf_addc(&b, '+');
		}
		return buf_take(&b);
	}
	buf_addstr(&b, box[kind][0]);
	for (i = 0; i < t->ncols; i++) {
		for (k = 0; k < t->w[i] / 2; k++)
			buf_addstr(&b, "─");
		buf_addstr(&b, box[kind][i + 1 < t->ncols ? 1 : 2]);
	}
	return buf_take(&b);
}

/* Wraps each cell to its column and lays the cells side by side; short
 * cells are padded with empty lines.  Appends the lines to out. */
static void
report_table_lines(const struct report_opts *o, const struct report_table *t,
    const char *const *cells, bool header, struct strlist *out)
{
	bool box = o->border == REPORT_BORDER_BOX;
	const char *vbar = box ? "│" : "|";
	char ***wrapped, *p;
	size_t *nl, h = 1, i, k;
	enum text_align align;
	struct buf b;

	wrapped = xcalloc(t->ncols, sizeof *wrapped);
	nl = xcalloc(t->ncols, sizeof *nl);
	for (i = 0; i < t->ncols; i++) {
		wrapped[i] = text_wrap(cells[i], t->w[i], TEXT_PRINT, &nl[i]);
		if (nl[i] > h)
			h = nl[i];
	}
	buf_init(&b);
	for (k = 0; k < h; k++) {
		buf_reset(&b);
		buf_addstr(&b, vbar);
		for (i = 0; i < t->ncols; i++) {
			align = header ? TEXT_CENTER : t->cols[i].align;
			p = text_pad(k < nl[i] ? wrapped[i][k] : "", t->w[i],
			    align, TEXT_PRINT);
			if (!box)
				buf_addc(&b, ' ');
			buf_addstr(&b, p);
			if (!box)
				buf_addc(&b, ' ');
			buf_addstr(&b, vbar);
			free(p);
		}
		strlist_add(out, b.s);
	}
	buf_free(&b);
	for (i = 0; i < t->ncols; i++)
		text_lines_free(wrapped[i]);
	free(wrapped);
	free(nl);
}


/*
 * The page header.
 */

static void
report_wrap_into(struct strlist *out, const char *s, size_t width,
    enum text_align align)
{
	char **v;
	size_t i;

	v = text_wrap(s, width, TEXT_PRINT, NULL);
	for (i = 0; v[i] != NULL; i++) {
		if (align == TEXT_LEFT)
			strlist_add(out, v[i]);
		else
			strlist_take(out, text_pad(v[i], width, align,
			    TEXT_PRINT));
	}
	text_lines_free(v);
}

/* Titles centred, then the header grid: two entries to a line when each
 * fits in half the width (with a 2-column gap), else one, wrapped. */
static void
report_page_head(struct report *r, struct strlist *head)
{
	size_t W = r->opts.width, half = W / 2, i;
	char *p;

	for (i = 0; i < r->titles.n; i++)
		report_wrap_into(head, r->titles.v[i], W, TEXT_CENTER);
	for (i = 0; i < r->headers.n; i++) {
		if (i + 1 < r->headers.n &&
		    text_width(r->headers.v[i], TEXT_PRINT) + 2 <= half &&
		    text_width(r->headers.v[i + 1], TEXT_PRINT) <= W - half) {
			p = text_pad(r->headers.v[i], half, TEXT_LEFT,
			    TEXT_PRINT);
			strlist_addf(head, "%s%s", p, r->headers.v[i + 1]);
			free(p);
			i++;
		} else
			report_wrap_into(head, r->headers.v[i], W, TEXT_LEFT);
	}
	if (head->n > 0)
		strlist_add(head, "");
}


/*
 * Lines kept end to end in one buffer, reused from page to page, each
 * followed by eol (a page's body is then ready to go out as it is).
 */

struct lines {
	struct buf	 b;
	size_t		*off;		/* where line i starts in b */
	size_t		 n;
	size_t		 cap;
	const char	*eol;		/* "" for a row's lines */
	size_t		 eollen;
};

static void
lines_reset(struct lines *L)
{
	buf_reset(&L->b);
	L->n = 0;
}

static void
lines_free(struct lines *L)
{
	buf_free(&L->b);
	free(L->off);
	L->off = NULL;
	L->n = L->cap = 0;
}

/* Room for a line of up to len bytes; lines_commit() adds it. */
static char *
lines_reserve(struct lines *L, size_t len)
{
	L->b.s = xgrow(L->b.s, &L->b.cap, L->b.len + len + L->eollen + 1, 1);
	return L->b.s + L->b.len;
}

static void
lines_commit(struct lines *L, size_t len)
{
	L->off = xgrow(L->off, &L->cap, L->n + 1, sizeof *L->off);
	L->off[L->n++] = L->b.len;
	L->b.len += len;
	memcpy(L->b.s + L->b.len, L->eol, L->eollen);
	L->b.len += L->eollen;
	L->b.s[L->b.len] = '\0';
}

/* s must not point into L. */
static void
lines_add(struct lines *L, const char *s, size_t len)
{
	memcpy(lines_reserve(L, len), s, len);
	lines_commit(L, len);
}

/* Line i, without its eol. */
static char *
lines_get(const struct lines *L, size_t i, size_t *len)
{
	*len = (i + 1 < L->n ? L->off[i + 1] : L->b.len) - L->off[i] -
	    L->eollen;
	return L->b.s + L->off[i];
}

/* Print width of valid UTF-8: ASCII 1, any other character 2. */
static size_t
print_width(const char *s, size_t len)
{
	size_t w = 0, i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80)
			w++;
		else if (c >= 0xc0)
			w += 2;
	}
	return w;
}

static size_t
rstrip_len(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return len;
}

/* Length of the UTF-8 sequence led by c, and its code point (the text
 * was validated when it entered the report). */
static inline int
utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static inline uint32_t
utf8_get(const unsigned char *p, int n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	case 3:
		return ((uint32_t)(p[0] & 0x0f) << 12) |
		    ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
	default:
		return ((uint32_t)(p[0] & 0x07) << 18) |
		    ((uint32_t)(p[1] & 0x3f) << 12) |
		    ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
	}
}

/*
 * Encoding.
 */

#define ENC_BAD		0xff

/* A conversion from UTF-8.  iconv converts each character of the Basic
 * Multilingual Plane once and its bytes are remembered: GB18030 and GBK
 * are stateless, so a character's bytes never depend on its neighbours,
 * and converting a page is then a table look-up per character. */
struct encoder {
	const char	*name;		/* NULL: UTF-8, nothing to convert */
	iconv_t		 cd;
	unsigned char	(*bytes)[4];	/* by code point */
	unsigned char	*len;		/* 0 not known yet, 1..4, ENC_BAD */
	uint64_t	*good;		/* bit uc: known to be encodable (8 KiB,
					 * for the check of every character) */
};

static int
enc_open(struct encoder *e, enum report_encoding encoding, char **errp)
{
	memset(e, 0, sizeof *e);
	e->cd = (iconv_t)-1;
	switch (encoding) {
	case REPORT_GB18030:
		e->name = "GB18030";
		break;
	case REPORT_GBK:
		e->name = "GBK";
		break;
	default:
		return CX_OK;
	}
	e->cd = iconv_open(e->name, "UTF-8");
	if (e->cd == (iconv_t)-1)
		return err_set(errp, "本机不支持从 UTF-8 到 %s 的编码转换（%s）。",
		    e->name, util_strerror(errno));
	e->bytes = xcalloc(0x10000, sizeof *e->bytes);
	e->len = xcalloc(0x10000, 1);
	e->good = xcalloc(0x10000 / 64, sizeof *e->good);
	return CX_OK;
}

static void
enc_close(struct encoder *e)
{
	if (e->cd != (iconv_t)-1)
		iconv_close(e->cd);
	free(e->bytes);
	free(e->len);
	free(e->good);
	memset(e, 0, sizeof *e);
	e->cd = (iconv_t)-1;
}

/* Converts one character.  An irreversible conversion counts as a
 * failure: the printer would show something else.  Returns the number of
 * bytes in out, 0 when the target cannot encode it. */
static size_t
enc_iconv(struct encoder *e, const char *s, size_t n, unsigned char out[8])
{
	ICONV_CONST char *ip = (ICONV_CONST char *)s;
	char *op = (char *)out;
	size_t il = n, ol = 8, rc;

	iconv(e->cd, NULL, NULL, NULL, NULL);
	rc = iconv(e->cd, &ip, &il, &op, &ol);
	if (rc != 0 || il != 0)
		return 0;
	return (size_t)(op - (char *)out);
}

/* The bytes of character s[0..n), code point uc: stores them in out
 * (room for 8) and returns their number, or 0 when there are none. */
static size_t
enc_char(struct encoder *e, const char *s, size_t n, uint32_t uc,
    unsigned char *out)
{
	unsigned char tmp[8];
	size_t k;

	if (uc < 0x10000 && e->len[uc] != 0) {
		if (e->len[uc] == ENC_BAD)
			return 0;
		memcpy(out, e->bytes[uc], 4);
		return e->len[uc];
	}
	k = enc_iconv(e, s, n, tmp);
	if (uc < 0x10000 && k <= 4) {
		e->len[uc] = k == 0 ? ENC_BAD : (unsigned char)k;
		memcpy(e->bytes[uc], tmp, k);
		if (k != 0)
			e->good[uc >> 6] |= (uint64_t)1 << (uc & 63);
	}
	memcpy(out, tmp, k);
	return k;
}

/* Writes s[0..len) in the target encoding at o, which has room for
 * 2 * len + 8 bytes (a character of n >= 2 bytes becomes at most
 * 4 <= 2n).  ASCII is the same in GB18030 and GBK and is copied as it
 * is.  Returns the end, or NULL with *bad at a character the target
 * cannot encode.  The two bytes after the end may be overwritten. */
static char *
enc_into(struct encoder *e, const char *s, size_t len, char *out,
    const char **bad)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	unsigned char *o = (unsigned char *)out;
	size_t k;
	uint32_t uc;
	int n;

	while (p < end) {
		if (*p < 0x80) {
			uint64_t v;

			/* Eight bytes at a time while they are ASCII. */
			while (end - p >= 8) {
				memcpy(&v, p, 8);
				if ((v & 0x8080808080808080ULL) != 0)
					break;
				memcpy(o, &v, 8);
				o += 8;
				p += 8;
			}
			while (p < end && *p < 0x80)
				*o++ = *p++;
			continue;
		}
		if ((*p & 0xf0) == 0xe0) {
			n = 3;
			uc = (uint32_t)(p[0] & 0x0f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		} else {
			n = utf8_len(*p);
			uc = utf8_get(p, n);
		}
		if (uc < 0x10000 && (e->good[uc >> 6] >> (uc & 63) & 1)) {
			/* The common case, inline. */
			memcpy(o, e->bytes[uc], 4);
			o += e->len[uc];
		} else if ((k = enc_char(e, (const char *)p, (size_t)n, uc,
		    o)) != 0)
			o += k;
		else {
			*bad = (const char *)p;
			return NULL;
		}
		p += n;
	}
	return (char *)o;
}

/* After the check, a character that cannot be encoded means a bug, or
 * rows that changed between the passes. */
static int
enc_error(const struct encoder *e, const char *bad, char **errp)
{
	return err_set(errp, "内部错误：报表中的字符“%.*s”无法用 %s 编码。",
	    utf8_len((unsigned char)*bad), bad, e->name);
}

/* Appends s[0..len) in the target encoding to out. */
static int
enc_text(struct encoder *e, const char *s, size_t len, struct buf *out,
    char **errp)
{
	const char *bad;
	char *o;

	out->s = xgrow(out->s, &out->cap, out->len + 2 * len + 8, 1);
	if ((o = enc_into(e, s, len, out->s + out->len, &bad)) == NULL)
		return enc_error(e, bad, errp);
	out->len = (size_t)(o - out->s);
	out->s[out->len] = '\0';
	return CX_OK;
}

/* Characters a report cannot encode, with the pages they are on. */
struct report_bad {
	char		ch[5];
	size_t		last;		/* last page listed */
	size_t		npages;
	struct buf	pages;		/* "1、3" */
};

struct badlist {
	struct report_bad	*v;
	size_t			 n;
	size_t			 cap;
};

/* Notes the characters of page's text s[0..len) that e cannot encode. */
static void
bad_scan(struct badlist *B, struct encoder *e, const char *s, size_t len,
    size_t page)
{
	unsigned char out[8];
	struct report_bad *b;
	size_t i, j;
	int n;

	for (i = 0; i < len; i += n) {
		n = 1;
		if ((unsigned char)s[i] < 0x80)
			continue;
		n = utf8_len((unsigned char)s[i]);
		if (enc_char(e, s + i, n,
		    utf8_get((const unsigned char *)s + i, n), out) != 0)
			continue;
		for (j = 0; j < B->n; j++) {
			if (memcmp(B->v[j].ch, s + i, n) == 0 &&
			    B->v[j].ch[n] == '\0')
				break;
		}
		if (j == B->n) {
			B->v = xgrow(B->v, &B->cap, B->n + 1, sizeof *B->v);
			memset(&B->v[B->n], 0, sizeof *B->v);
			memcpy(B->v[B->n].ch, s + i, n);
			buf_init(&B->v[B->n].pages);
			B->n++;
		}
		b = &B->v[j];
		if (b->last == page)
			continue;
		b->last = page;
		if (b->npages < REPORT_MAX_BAD_PAGES)
			buf_addf(&b->pages, "%s%zu", b->npages > 0 ? "、" : "",
			    page);
		else if (b->npages == REPORT_MAX_BAD_PAGES)
			buf_addstr(&b->pages, "等");
		b->npages++;
	}
}

/* Printers hold GB2312/GBK fonts, and iconv would print '?' for what GBK
 * lacks, so the user is told which characters to fix, and on which
 * pages.  CX_ERR with the message when there are any. */
static int
bad_message(const struct badlist *B, const char *enc, char **errp)
{
	struct buf m;
	size_t j;

	if (B->n == 0)
		return CX_OK;
	buf_init(&m);
	buf_addf(&m, "以下字符无法用 %s 打印：", enc);
	for (j = 0; j < B->n && j < REPORT_MAX_BAD_CHARS; j++)
		buf_addf(&m, "%s%s（第 %s 页）", j > 0 ? "、" : "",
		    B->v[j].ch, B->v[j].pages.s);
	if (B->n > REPORT_MAX_BAD_CHARS)
		buf_addf(&m, "等 %zu 个字符", B->n);
	buf_addstr(&m, "。请修改这些文字，或改用其他编码输出。");
	err_set(errp, "%s", m.s);
	buf_free(&m);
	return CX_ERR;
}

static void
bad_free(struct badlist *B)
{
	size_t j;

	for (j = 0; j < B->n; j++)
		buf_free(&B->v[j].pages);
	free(B->v);
	memset(B, 0, sizeof *B);
}

/*
 * The layout engine.
 */

/* One line of a wrapped cell: bytes off..off+len of the cell's text (or
 * of its text_wrap() lines when alt), w columns wide; when the body is
 * encoded, bytes goff..goff+glen of the cell's encoded text (goff
 * REPORT_NONE: not there, encode the line). */
struct cell_seg {
	size_t		off;
	size_t		len;
	size_t		w;
	size_t		goff;
	size_t		glen;
	bool		alt;
};

struct cell {
	const char	*src;		/* the cleaned cell: the caller's text
					 * as it is, or text when it had to
					 * be cleaned */
	struct buf	 text;
	struct buf	 gb;		/* encoding: the cell, encoded */
	struct buf	 alt;		/* lines from text_wrap(), end to end */
	struct cell_seg	*seg;
	size_t		 nseg;
	size_t		 segcap;
};

struct render;
/* Takes the page just finished (page R->npages): its separator, header,
 * body, padding and footer, in UTF-8 or, once R->encode is set, in the
 * output encoding. */
typedef int (*render_page_fn)(struct render *R, const char *s, size_t len,
    char **errp);

struct render {
	struct report	*r;
	bool		 fast;		/* report_write()'s paths */
	bool		 emit;		/* this pass builds lines */
	bool		 check;		/* this pass checks the encoding */
	bool		 bad;		/* ... and found a character */
	bool		 encode;	/* the body is built encoded */
	size_t		 cap;		/* body lines per page */
	size_t		 npages;	/* pages finished in this pass */
	size_t		 total;		/* pages, from the measuring pass */
	size_t		 n;		/* body lines on this page */
	size_t		 open;		/* table open on this page */
	size_t		 rule;		/* body line of its last rule */
	size_t		 row_no;	/* of the source being read */
	const char	*eol;
	char		 vbar[8];	/* the table border "|" or "│" */
	struct lines	 body;		/* emitting: this page, from its
					 * separator to its footer (and when
					 * writing, the pages before it that
					 * wait for the sink) */
	bool		 begun;		/* this page's header is in body */
	size_t		 page_off;	/* where this page starts in body */
	bool		 keep;		/* pages wait in body for the sink */
	bool		 bom;		/* a BOM goes before the first page */
	struct lines	 row;		/* emitting, plain path: a row */
	struct strlist	 head;		/* the page header */
	struct buf	 headtext;	/* the same with line ends */
	render_page_fn	 page_fn;
	struct encoder	 enc;
	struct badlist	 badl;
	/* report_render(): the whole text, and where each page starts. */
	struct buf	 all;
	size_t		*pstart;
	size_t		 pcap;
	/* report_write(): the sink. */
	report_write_fn	 sink;
	void		*sink_arg;
	/* The row being laid out. */
	struct cell	*cells;
	const char	**srccells;	/* filled by a source */
	const char	**clean;	/* cleaned cells (plain path) */
	size_t		 ncells;
	struct buf	 tmp;		/* a paragraph for text_wrap() */
	struct strlist	 tl;		/* lines of a block or plain row */
};

static void
render_init(struct render *R, struct report *r, bool fast)
{
	memset(R, 0, sizeof *R);
	R->r = r;
	R->fast = fast;
	R->open = REPORT_NONE;
	R->eol = r->opts.eol == REPORT_EOL_CRLF ? "\r\n" : "\n";
	strcpy(R->vbar, r->opts.border == REPORT_BORDER_BOX ? "│" : "|");
	R->body.eol = R->eol;
	R->body.eollen = strlen(R->eol);
	R->row.eol = "";
	R->enc.cd = (iconv_t)-1;
	strlist_init(&R->head);
	strlist_init(&R->tl);
}

static void
render_free(struct render *R)
{
	size_t i;

	lines_free(&R->body);
	lines_free(&R->row);
	strlist_free(&R->head);
	strlist_free(&R->tl);
	buf_free(&R->headtext);
	buf_free(&R->all);
	buf_free(&R->tmp);
	free(R->pstart);
	enc_close(&R->enc);
	bad_free(&R->badl);
	for (i = 0; i < R->ncells; i++) {
		buf_free(&R->cells[i].text);
		buf_free(&R->cells[i].gb);
		buf_free(&R->cells[i].alt);
		free(R->cells[i].seg);
	}
	free(R->cells);
	free(R->srccells);
	free(R->clean);
}

/* In a checking pass: notes whether some character of s cannot be
 * encoded (bad_scan() later says which, and where). */
static void
render_check(struct render *R, const char *s, size_t len)
{
	unsigned char out[8];
	size_t i;
	int n;

	if (!R->check)
		return;
	for (i = 0; i < len; i += n) {
		n = 1;
		if ((unsigned char)s[i] < 0x80)
			continue;
		n = utf8_len((unsigned char)s[i]);
		if (enc_char(&R->enc, s + i, n,
		    utf8_get((const unsigned char *)s + i, n), out) == 0)
			R->bad = true;
	}
}

/* The width check is the renderer's last line of defence: layout bugs
 * must show up in tests (assert) and never as a silently clipped line on
 * paper (the error in a release build). */
static int
render_width_ok(const struct render *R, const char *s, size_t len,
    size_t page, char **errp)
{
	size_t w = print_width(s, len);

	assert(w <= R->r->opts.width);
	if (w > R->r->opts.width)
		return err_set(errp, "内部错误：第 %zu 页有一行宽 %zu 列，"
		    "超出纸宽 %zu 列。", page, w, R->r->opts.width);
	return CX_OK;
}

/* Emitting: page number page starts with its separator (none before the
 * first) and the page header, put in before its first line. */
static void
body_begin(struct render *R, size_t page)
{
	const struct report_opts *o = &R->r->opts;

	if (R->begun)
		return;
	if (R->bom) {
		buf_add(&R->body.b, "\xef\xbb\xbf", 3);
		R->bom = false;
	}
	R->page_off = R->body.b.len;
	if (page > 1) {
		if (o->formfeed)
			buf_add(&R->body.b, "\f", 1);
		else
			buf_addstr(&R->body.b, R->eol);
	}
	buf_add(&R->body.b, R->headtext.s, R->headtext.len);
	R->begun = true;
}

/* A body line whose width is known to fit (table rules, headers and the
 * fast path's rows; s NULL when measuring). */
static void
body_add_raw(struct render *R, const char *s, size_t len)
{
	R->n++;
	if (R->emit) {
		body_begin(R, R->npages + 1);
		lines_add(&R->body, s, len);
	}
}

/* Any other body line: trailing spaces go, the width is checked. */
static int
body_add(struct render *R, const char *s, size_t len, char **errp)
{
	R->n++;
	if (!R->emit) {
		render_check(R, s, len);
		return CX_OK;
	}
	len = rstrip_len(s, len);
	if (render_width_ok(R, s, len, R->npages + 1, errp) != CX_OK)
		return CX_ERR;
	body_begin(R, R->npages + 1);
	if (R->encode) {
		const char *bad;
		char *p = lines_reserve(&R->body, 2 * len + 8), *q;

		if ((q = enc_into(&R->enc, s, len, p, &bad)) == NULL)
			return enc_error(&R->enc, bad, errp);
		lines_commit(&R->body, (size_t)(q - p));
	} else
		lines_add(&R->body, s, len);
	return CX_OK;
}

/* A table's rule k and header line i, as the body is built. */
static void
table_rule(const struct render *R, const struct report_table *t, int k,
    const char **s, size_t *len)
{
	*s = R->encode ? t->erule[k] : t->rule[k];
	*len = R->encode ? t->erulelen : t->rulelen;
}

static void
table_head(const struct render *R, const struct report_table *t, size_t i,
    const char **s, size_t *len)
{
	*s = R->encode ? t->ehead.v[i] : t->head.v[i];
	*len = strlen(*s);
}

/* The last rule of the open table becomes its bottom rule (as long as
 * the others, in UTF-8 and in GB). */
static void
layout_close_table(struct render *R)
{
	const struct report_table *t;
	const char *bottom;
	size_t len, blen;
	char *s;

	if (R->open == REPORT_NONE)
		return;
	if (R->emit) {
		t = &R->r->tables[R->open];
		s = lines_get(&R->body, R->rule, &len);
		table_rule(R, t, 2, &bottom, &blen);
		assert(len == blen);
		memcpy(s, bottom, blen);
	}
	R->open = REPORT_NONE;
}

/* Each page is the page header, its body, padding, an empty line and
 * the footer, page_lines - 1 lines in all, after the page separator.
 * The page goes to the page function; then, unless it is to wait there
 * for the sink, it leaves the body. */
static int
render_page(struct render *R, char **errp)
{
	const struct report_opts *o = &R->r->opts;
	size_t p = R->npages, len, i;
	char *line, *foot;
	int rc;

	if (p > R->total)
		return err_set(errp, "报表数据在排版期间发生了变化（页数与第一遍"
		    "不同），请重新打印。");
	/* Like the width check: an overfull page is a layout bug. */
	assert(R->body.n <= R->cap);
	if (R->body.n > R->cap)
		return err_set(errp, "内部错误：第 %zu 页排了 %zu 行，"
		    "超出每页 %zu 行。", p, R->body.n, R->cap);
	body_begin(R, p);
	for (i = R->body.n; i <= R->cap; i++)
		buf_addstr(&R->body.b, R->eol);
	line = xasprintf("第 %zu 页 共 %zu 页", R->r->page_before + p,
	    R->r->page_total > 0 ? R->r->page_total : R->total);
	foot = text_pad(line, o->width, TEXT_CENTER, TEXT_PRINT);
	len = rstrip_len(foot, strlen(foot));
	rc = render_width_ok(R, foot, len, p, errp);
	if (rc == CX_OK && R->encode)
		rc = enc_text(&R->enc, foot, len, &R->body.b, errp);
	else if (rc == CX_OK)
		buf_add(&R->body.b, foot, len);
	buf_addstr(&R->body.b, R->eol);
	free(foot);
	free(line);
	if (rc == CX_OK)
		rc = R->page_fn(R, R->body.b.s + R->page_off,
		    R->body.b.len - R->page_off, errp);
	R->body.n = 0;
	R->begun = false;
	if (!R->keep)
		lines_reset(&R->body);
	return rc;
}

static int
layout_new_page(struct render *R, char **errp)
{
	layout_close_table(R);
	R->npages++;
	R->n = 0;
	return R->emit ? render_page(R, errp) : CX_OK;
}

static void
layout_rule(struct render *R, const struct report_table *t)
{
	const char *s;
	size_t len;

	table_rule(R, t, 1, &s, &len);
	body_add_raw(R, s, len);
	R->rule = R->n - 1;
}

/* The top rule, the header lines and the rule under them. */
static void
layout_open_table(struct render *R, size_t ti)
{
	const struct report_table *t = &R->r->tables[ti];
	const char *s;
	size_t i, len;

	layout_close_table(R);
	table_rule(R, t, 0, &s, &len);
	body_add_raw(R, s, len);
	for (i = 0; i < t->head.n; i++) {
		table_head(R, t, i, &s, &len);
		body_add_raw(R, s, len);
	}
	layout_rule(R, t);
	R->open = ti;
}

static int row_fast_line(struct render *, const struct report_table *,
    size_t, char **);

/* Line i of the row: built from the wrapped cells on the fast path,
 * from R->row on the plain one. */
static int
layout_row_line(struct render *R, const struct report_table *t, size_t i,
    char **errp)
{
	size_t len;
	const char *s;

	if (!R->emit) {
		R->n++;
		return CX_OK;
	}
	if (R->fast) {
		R->n++;
		return row_fast_line(R, t, i, errp);
	}
	s = lines_get(&R->row, i, &len);
	return body_add(R, s, len, errp);
}

/* A row of h lines costs its lines plus the rule under it, and the table
 * header too when the table is not yet open on this page.  A row that
 * cannot fit on any page is split, each piece closed by a rule. */
static int
layout_row(struct render *R, size_t ti, size_t h, char **errp)
{
	const struct report_table *t = &R->r->tables[ti];
	size_t th = t->head.n + 2, need, i, k;

	if (h + 1 + th <= R->cap) {
		need = h + 1 + (R->open == ti ? 0 : th);
		if (R->n > 0 && R->n + need > R->cap &&
		    layout_new_page(R, errp) != CX_OK)
			return CX_ERR;
		if (R->open != ti)
			layout_open_table(R, ti);
		for (i = 0; i < h; i++) {
			if (layout_row_line(R, t, i, errp) != CX_OK)
				return CX_ERR;
		}
	} else {
		i = 0;
		for (;;) {
			if (R->open != ti) {
				if (R->n + th + 2 > R->cap &&
				    layout_new_page(R, errp) != CX_OK)
					return CX_ERR;
				layout_open_table(R, ti);
			} else if (R->n + 2 > R->cap) {
				if (layout_new_page(R, errp) != CX_OK)
					return CX_ERR;
				continue;
			}
			k = R->cap - R->n - 1;
			if (k > h - i)
				k = h - i;
			for (; k > 0; k--, i++) {
				if (layout_row_line(R, t, i, errp) != CX_OK)
					return CX_ERR;
			}
			if (i == h)
				break;
			layout_rule(R, t);
			if (layout_new_page(R, errp) != CX_OK)
				return CX_ERR;
		}
	}
	layout_rule(R, t);
	return CX_OK;
}

/* Plain lines; keep asks for them on one page when they fit on one. */
static int
layout_lines(struct render *R, const struct strlist *lines, bool keep,
    char **errp)
{
	size_t i;

	layout_close_table(R);
	if (keep && lines->n <= R->cap && R->n + lines->n > R->cap &&
	    layout_new_page(R, errp) != CX_OK)
		return CX_ERR;
	for (i = 0; i < lines->n; i++) {
		if (R->n >= R->cap && layout_new_page(R, errp) != CX_OK)
			return CX_ERR;
		if (body_add(R, lines->v[i], strlen(lines->v[i]), errp) !=
		    CX_OK)
			return CX_ERR;
	}
	return CX_OK;
}

/* An empty line between blocks, never at the top of a page. */
static int
layout_space(struct render *R, char **errp)
{
	layout_close_table(R);
	if (R->n > 0 && R->n < R->cap)
		return body_add(R, "", 0, errp);
	return CX_OK;
}

/*
 * Cells on the fast path.
 */

static void
cell_seg_add(struct cell *c, size_t off, size_t len, size_t w, bool alt,
    size_t goff, size_t glen)
{
	struct cell_seg *g;

	if (c->nseg == c->segcap)
		c->seg = xgrow(c->seg, &c->segcap, c->nseg + 1,
		    sizeof *c->seg);
	g = &c->seg[c->nseg++];
	g->off = off;
	g->len = len;
	g->w = w;
	g->alt = alt;
	g->goff = goff;
	g->glen = glen;
}

/* Hanzi (U+4E00..U+9FA5, class ID in UAX #14), the full-width
 * parentheses （） and the punctuation that never starts a line
 * (、。！，：；？).  Each is 3 bytes of UTF-8 and 2 columns.  Among them
 * text_wrap() (UAX #14 and the 禁则 of text.c) allows a break exactly
 * before a Hanzi or a （ that does not follow a （, whatever else
 * precedes: never before ） and the punctuation, never after （. */
static inline bool
is_hanzi_run_char(uint32_t uc)
{
	return (uc >= 0x4e00 && uc <= 0x9fa5) || uc == 0x3001 ||
	    uc == 0x3002 || uc == 0xff01 || uc == 0xff08 || uc == 0xff09 ||
	    uc == 0xff0c || uc == 0xff1a || uc == 0xff1b || uc == 0xff1f;
}

/* Is the character at s + 3 * j of such a run （ ? */
#define RUN_OPEN_AT(s, j) ((s)[3 * (j)] == 0xef && \
	(s)[3 * (j) + 1] == 0xbc && (s)[3 * (j) + 2] == 0x88)
/* May the run s break before its character j (j > 0)?  Only the Hanzi
 * have lead bytes 0xe4..0xe9 among those characters. */
#define RUN_BREAK_AT(s, j) ((((s)[3 * (j)] >= 0xe4 && \
	(s)[3 * (j)] <= 0xe9) || RUN_OPEN_AT(s, j)) && !RUN_OPEN_AT(s, (j) - 1))

/* Wraps the paragraph text[a..e) of c (no "\n"), whose text up to its
 * last non-space text[a..end) is w columns wide (and gb[ga..gend) once
 * encoded, ga REPORT_NONE when it is not), to cols as text_wrap()
 * does.  A paragraph that fits is one line without its trailing spaces;
 * a run of Hanzi and punctuation (run) breaks at the last break that fits
 * (text_wrap()'s greedy fill; when there is none it splits where the line
 * is full, as text_wrap() does when every break there is forbidden);
 * anything else is left to text_wrap(). */
static void
wrap_para_fast(struct render *R, struct cell *c, size_t a, size_t end,
    size_t e, size_t w, bool run, size_t cols, size_t ga, size_t gend)
{
	const unsigned char *s;
	size_t nc, k, start, b, i, nl, lw;
	bool two;
	char **v;

	if (w <= cols) {
		cell_seg_add(c, a, end - a, w, false, ga, gend - ga);
		return;
	}
	if (run) {
		/* Trailing spaces never start a line of their own. */
		s = (const unsigned char *)c->src + a;
		nc = (end - a) / 3;
		k = cols / 2;
		start = 0;
		/* In GB18030 and GBK every character of such a run is two
		 * bytes, so its lines are easy to find in the encoding. */
		two = ga != REPORT_NONE && gend - ga == 2 * nc;
		while (nc - start > k) {
			for (b = start + k; b > start && !RUN_BREAK_AT(s, b);
			    b--)
				;
			if (b == start)
				b = start + k;
			cell_seg_add(c, a + 3 * start, 3 * (b - start),
			    2 * (b - start), false,
			    two ? ga + 2 * start : REPORT_NONE,
			    2 * (b - start));
			start = b;
		}
		cell_seg_add(c, a + 3 * start, 3 * (nc - start),
		    2 * (nc - start), false,
		    two ? ga + 2 * start : REPORT_NONE, 2 * (nc - start));
		return;
	}
	buf_reset(&R->tmp);
	buf_add(&R->tmp, c->src + a, e - a);
	v = text_wrap(R->tmp.s, cols, TEXT_PRINT, &nl);
	for (i = 0; i < nl; i++) {
		/* text_pad() would cut a line that did not fit. */
		lw = text_width(v[i], TEXT_PRINT);
		if (lw > cols) {
			char *cut = text_truncate(v[i], cols, TEXT_PRINT, &lw);

			free(v[i]);
			v[i] = cut;
		}
		cell_seg_add(c, c->alt.len, strlen(v[i]), lw, true,
		    REPORT_NONE, 0);
		buf_addstr(&c->alt, v[i]);
	}
	text_lines_free(v);
}

/* In one sweep over cell s: checks that it is UTF-8, cleans it as
 * cell_clean() does (copying it only when it has a control character to
 * replace: else c->src is s itself, valid while the row is laid out),
 * measures each paragraph, checks each character (in a checking pass) or
 * encodes the cell into c->gb (when the body is encoded), then wraps the
 * paragraphs to cols.  False when s is not valid UTF-8.  Always inlined
 * into cell_wrap_fast(), once for each pass, with check and encode
 * constants: the loop of each pass carries only its own work. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool
cell_sweep(struct render *R, struct cell *c, const char *s, size_t cols,
    const bool check, const bool encode)
{
	const unsigned char *restrict p =
	    (const unsigned char *)(s != NULL ? s : "");
	const uint64_t *good = R->enc.good;
	const unsigned char (*bytes)[4] = (const unsigned char (*)[4])
	    R->enc.bytes;
	const unsigned char *blen = R->enc.len;
	size_t len = strlen((const char *)p), i = 0, j, a = 0, end = 0, w = 0,
	    pend = 0, ga = REPORT_NONE, gend = 0, k;
	unsigned char *restrict d = NULL, *restrict g = NULL, *g0 = NULL, ch,
	    b1, b2;
	bool run = true;
	uint32_t uc;
	int n;

	c->nseg = 0;
	c->src = (const char *)p;
	buf_reset(&c->alt);
	if (encode) {
		/* Each character at most doubles (see enc_into()). */
		c->gb.s = xgrow(c->gb.s, &c->gb.cap, 2 * len + 8, 1);
		g = g0 = (unsigned char *)c->gb.s;
		ga = 0;
	}
	while (i < len) {
		ch = p[i];
		if ((unsigned)(ch - 0xe1) <= 0xef - 0xe1 && ch != 0xed) {
			/* A run of three-byte characters (every Hanzi), the
			 * common case.  With these lead bytes two
			 * continuation bytes make a valid character (0xe0
			 * may start an overlong form, 0xed a surrogate).
			 * The NUL after the text stops the reads; what is
			 * not valid is left to the general case below. */
			j = i;
			do {
				if (((b1 = p[j + 1]) & 0xc0) != 0x80 ||
				    ((b2 = p[j + 2]) & 0xc0) != 0x80)
					break;
				uc = (uint32_t)(ch & 0x0f) << 12 |
				    (uint32_t)(b1 & 0x3f) << 6 | (b2 & 0x3f);
				/* A Hanzi keeps a run going. */
				if (uc - 0x4e00 > 0x9fa5 - 0x4e00 && run)
					run = is_hanzi_run_char(uc);
				if (check && !(good[uc >> 6] >> (uc & 63) & 1))
					render_check(R, (const char *)p + j, 3);
				if (g != NULL) {
					if (good[uc >> 6] >> (uc & 63) & 1) {
						memcpy(g, bytes[uc], 4);
						g += blen[uc];
					} else if ((k = enc_char(&R->enc,
					    (const char *)p + j, 3, uc,
					    g)) != 0)
						g += k;
					else
						g = NULL;
				}
				j += 3;
				ch = p[j];
			} while ((unsigned)(ch - 0xe1) <= 0xef - 0xe1 &&
			    ch != 0xed);
			if (j > i) {
				if (pend > 0)
					run = false;
				if (d != NULL)
					memcpy(d + i, p + i, j - i);
				w += pend + 2 * ((j - i) / 3);
				pend = 0;
				i = end = j;
				if (g != NULL)
					gend = (size_t)(g - g0);
				continue;
			}
		}
		if (ch >= 0x80) {
			if ((n = text_utf8_seq((const char *)p + i, len - i,
			    &uc)) == 0)
				return false;
			if (d != NULL)
				memcpy(d + i, p + i, (size_t)n);
			if (pend > 0)
				run = false;
			w += pend + 2;
			pend = 0;
			if (run)
				run = is_hanzi_run_char(uc);
			if (check && (uc > 0xffff ||
			    !(good[uc >> 6] >> (uc & 63) & 1)))
				render_check(R, (const char *)p + i, (size_t)n);
			if (g != NULL) {
				if ((k = enc_char(&R->enc, (const char *)p + i,
				    (size_t)n, uc, g)) != 0)
					gend = (size_t)((g += k) - g0);
				else
					g = NULL;
			}
			i += (size_t)n;
			end = i;
			continue;
		}
		if (ch == '\n') {
			if (d != NULL)
				d[i] = '\n';
			wrap_para_fast(R, c, a, end, i, w, run, cols,
			    g != NULL ? ga : REPORT_NONE, gend);
			a = end = ++i;
			w = pend = 0;
			run = true;
			if (g != NULL) {
				*g++ = '\n';
				ga = gend = (size_t)(g - g0);
			}
			continue;
		}
		if ((ch < 0x20 || ch == 0x7f) && d == NULL) {
			/* From here on the cell is a cleaned copy; what
			 * came before is the same in both. */
			c->text.s = xgrow(c->text.s, &c->text.cap, len + 1, 1);
			c->text.len = len;
			d = (unsigned char *)c->text.s;
			memcpy(d, p, i);
			d[len] = '\0';
			c->src = c->text.s;
		}
		if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		if (d != NULL)
			d[i] = ch;
		if (g != NULL)
			*g++ = ch;
		i++;
		if (ch == ' ') {
			pend++;
			continue;
		}
		w += pend + 1;
		pend = 0;
		end = i;
		if (g != NULL)
			gend = (size_t)(g - g0);
		run = false;
	}
	wrap_para_fast(R, c, a, end, len, w, run, cols,
	    g != NULL ? ga : REPORT_NONE, gend);
	return true;
}

static bool
cell_wrap_fast(struct render *R, struct cell *c, const char *s, size_t cols)
{
	if (R->check)
		return cell_sweep(R, c, s, cols, true, false);
	if (R->encode)
		return cell_sweep(R, c, s, cols, false, true);
	return cell_sweep(R, c, s, cols, false, false);
}

static int
render_bad_utf8(struct render *R, char **errp)
{
	return err_set(errp, "报表文字含有无法识别的字符（不是有效的 UTF-8 编码，"
	    "表格第 %zu 行）。", R->row_no);
}

/* The fast path's row: each cell cleaned and wrapped in place.  Returns
 * the height, 0 on error; row_fast_line() builds the lines. */
static size_t
row_fast(struct render *R, const struct report_table *t,
    const char *const *cells, char **errp)
{
	size_t h = 1, i;

	for (i = 0; i < t->ncols; i++) {
		if (!cell_wrap_fast(R, &R->cells[i], cells[i], t->w[i])) {
			render_bad_utf8(R, errp);
			return 0;
		}
		if (R->cells[i].nseg > h)
			h = R->cells[i].nseg;
	}
	return h;
}

/* Line k of the row row_fast() wrapped, straight into the page body:
 * each cell's line padded as text_pad() would, between the borders, and
 * encoded when the body is.  The line is first all spaces, then the
 * borders and texts go in place. */
static int
row_fast_line(struct render *R, const struct report_table *t, size_t k,
    char **errp)
{
	bool box = R->r->opts.border == REPORT_BORDER_BOX;
	const char *vbar = R->vbar, *bad;
	size_t vl = strlen(vbar), i, need, pad, left;
	const struct cell_seg *g;
	const struct cell *c;
	char *p, *q, *e;

	/* Bytes: every column's width in spaces, plus its text's bytes
	 * (at most twice as many once encoded), plus the borders. */
	need = vl;
	for (i = 0; i < t->ncols; i++) {
		need += t->w[i] + (box ? 0 : 2) + vl;
		if (k < R->cells[i].nseg)
			need += 2 * R->cells[i].seg[k].len;
	}
	body_begin(R, R->npages + 1);
	p = lines_reserve(&R->body, need);
	memset(p, ' ', need);
	memcpy(p, vbar, vl);
	q = p + vl;
	for (i = 0; i < t->ncols; i++) {
		c = &R->cells[i];
		if (!box)
			q++;
		if (k < c->nseg) {
			g = &c->seg[k];
			pad = t->w[i] - g->w;
			left = t->cols[i].align == TEXT_RIGHT ? pad :
			    t->cols[i].align == TEXT_CENTER ? pad / 2 : 0;
			if (!R->encode) {
				memcpy(q + left, (g->alt ? c->alt.s : c->src) +
				    g->off, g->len);
				e = q + left + g->len;
			} else if (g->goff != REPORT_NONE) {
				memcpy(q + left, c->gb.s + g->goff, g->glen);
				e = q + left + g->glen;
			} else if ((e = enc_into(&R->enc, (g->alt ? c->alt.s :
			    c->src) + g->off, g->len, q + left, &bad)) == NULL)
				return enc_error(&R->enc, bad, errp);
			/* enc_into() may leave two bytes of junk after the
			 * text: the padding and the borders cover them. */
			memset(e, ' ', pad - left);
			q = e + pad - left;
		} else
			q += t->w[i];
		if (!box)
			*q++ = ' ';
		memcpy(q, vbar, vl);
		q += vl;
	}
	assert((size_t)(q - p) <= need);
	lines_commit(&R->body, (size_t)(q - p));
	return CX_OK;
}

/* report_write(): from here on the body is built in the output
 * encoding, so the pages go out as they are: the page header and each
 * table's rules and header lines are encoded once. */
static int
render_encode_fixed(struct render *R, char **errp)
{
	struct report_table *t;
	struct buf b;
	size_t i, j;

	if (R->enc.name == NULL)
		return CX_OK;
	buf_init(&b);
	if (enc_text(&R->enc, R->headtext.s, R->headtext.len, &b,
	    errp) != CX_OK)
		goto fail;
	buf_free(&R->headtext);
	R->headtext = b;
	buf_init(&b);
	if (enc_text(&R->enc, R->vbar, strlen(R->vbar), &b, errp) != CX_OK)
		goto fail;
	if (b.len >= sizeof R->vbar) {
		err_set(errp, "内部错误：表格边框的编码太长。");
		goto fail;
	}
	memcpy(R->vbar, b.s, b.len + 1);
	for (i = 0; i < R->r->ntables; i++) {
		t = &R->r->tables[i];
		for (j = 0; j < 3; j++) {
			buf_reset(&b);
			if (enc_text(&R->enc, t->rule[j], t->rulelen, &b,
			    errp) != CX_OK)
				goto fail;
			free(t->erule[j]);
			t->erule[j] = buf_take(&b);
		}
		t->erulelen = strlen(t->erule[1]);
		strlist_free(&t->ehead);
		for (j = 0; j < t->head.n; j++) {
			buf_reset(&b);
			if (enc_text(&R->enc, t->head.v[j],
			    strlen(t->head.v[j]), &b, errp) != CX_OK)
				goto fail;
			strlist_take(&t->ehead, buf_take(&b));
		}
	}
	buf_free(&b);
	R->encode = true;
	return CX_OK;
fail:
	buf_free(&b);
	return CX_ERR;
}

/* The plain path's row: report_table_lines() on the cleaned cells. */
static size_t
row_plain(struct render *R, const struct report_table *t,
    const char *const *cells, char **errp)
{
	size_t i, h;

	for (i = 0; i < t->ncols; i++) {
		if (!cell_clean(&R->cells[i].text, cells[i], true)) {
			render_bad_utf8(R, errp);
			return 0;
		}
		R->clean[i] = R->cells[i].text.s;
	}
	strlist_free(&R->tl);
	report_table_lines(&R->r->opts, t, R->clean, false, &R->tl);
	h = R->tl.n;
	if (R->emit) {
		lines_reset(&R->row);
		for (i = 0; i < h; i++)
			lines_add(&R->row, R->tl.v[i], strlen(R->tl.v[i]));
	}
	strlist_free(&R->tl);
	return h;
}

static int
render_row(struct render *R, size_t ti, const char *const *cells,
    bool first, char **errp)
{
	const struct report_table *t = &R->r->tables[ti];
	size_t h;

	if (first && layout_space(R, errp) != CX_OK)
		return CX_ERR;
	h = R->fast ? row_fast(R, t, cells, errp) :
	    row_plain(R, t, cells, errp);
	if (h == 0)
		return CX_ERR;
	return layout_row(R, ti, h, errp);
}

/* The end of a table with nrows rows; one without rows is its header,
 * kept whole. */
static int
render_table_end(struct render *R, size_t ti, size_t nrows, char **errp)
{
	const struct report_table *t = &R->r->tables[ti];

	if (nrows == 0) {
		if (layout_space(R, errp) != CX_OK)
			return CX_ERR;
		if (R->n + t->head.n + 2 > R->cap &&
		    layout_new_page(R, errp) != CX_OK)
			return CX_ERR;
		layout_open_table(R, ti);
	}
	layout_close_table(R);
	return CX_OK;
}

static int
render_source(struct render *R, size_t ti, char **errp)
{
	struct report_table *t = &R->r->tables[ti];
	size_t n = 0;
	int rc;

	R->row_no = 0;
	if (t->src.rewind != NULL &&
	    t->src.rewind(t->src.arg, errp) != CX_OK)
		goto fail;
	for (;;) {
		memset(R->srccells, 0, t->ncols * sizeof *R->srccells);
		rc = t->src.next(t->src.arg, R->srccells, errp);
		if (rc == CX_NOTFOUND)
			break;
		if (rc != CX_OK)
			goto fail;
		R->row_no = ++n;
		if (render_row(R, ti, R->srccells, n == 1, errp) != CX_OK)
			return CX_ERR;
	}
	if (!R->emit)
		t->srows = n;
	else if (n != t->srows)
		return err_set(errp, "报表数据在排版期间发生了变化（第一遍 %zu 行，"
		    "这一遍 %zu 行），请重新打印。", t->srows, n);
	return render_table_end(R, ti, n, errp);
fail:
	if (errp != NULL && *errp == NULL)
		err_set(errp, "读取报表数据失败。");
	return CX_ERR;
}

/* One pass over every block; emit asks for the lines and pages. */
static int
render_pass(struct render *R, bool emit, char **errp)
{
	struct report *r = R->r;
	const struct report_block *b, *prev;
	size_t i;
	int rc = CX_OK;

	R->emit = emit;
	R->npages = 0;
	R->n = 0;
	R->open = REPORT_NONE;
	R->begun = false;
	lines_reset(&R->body);
	for (i = 0; i < r->nblocks && rc == CX_OK; i++) {
		b = &r->blocks[i];
		prev = i > 0 ? &r->blocks[i - 1] : NULL;
		strlist_free(&R->tl);
		switch (b->kind) {
		case BLOCK_ROW:
			rc = render_row(R, b->table,
			    (const char *const *)b->cells, prev == NULL ||
			    prev->kind != BLOCK_ROW || prev->table != b->table,
			    errp);
			break;
		case BLOCK_TABLE_END:
			rc = render_table_end(R, b->table,
			    r->tables[b->table].nrows, errp);
			break;
		case BLOCK_SOURCE:
			rc = render_source(R, b->table, errp);
			break;
		case BLOCK_PARAGRAPH:
			if ((rc = layout_space(R, errp)) != CX_OK)
				break;
			report_wrap_into(&R->tl, b->text, r->opts.width,
			    TEXT_LEFT);
			rc = layout_lines(R, &R->tl, false, errp);
			break;
		case BLOCK_SIGNATURE:
			if ((prev == NULL || prev->kind != BLOCK_SIGNATURE) &&
			    (rc = layout_space(R, errp)) != CX_OK)
				break;
			report_wrap_into(&R->tl, b->text, r->opts.width,
			    TEXT_LEFT);
			rc = layout_lines(R, &R->tl, true, errp);
			break;
		case BLOCK_PAGE_BREAK:
			layout_close_table(R);
			if (R->n > 0)
				rc = layout_new_page(R, errp);
			break;
		}
	}
	strlist_free(&R->tl);
	if (rc != CX_OK)
		return CX_ERR;
	if (R->n > 0 || R->npages == 0)
		return layout_new_page(R, errp);
	return CX_OK;
}

/* Before the passes: the options, the page header, column widths, each
 * table's header lines and rules. */
static int
render_prepare(struct render *R, char **errp)
{
	struct report *r = R->r;
	const struct report_opts *o = &r->opts;
	struct report_table *t;
	const char **labels;
	size_t i, j, len, maxcols = 0;
	char *foot;

	if (r->err != NULL)
		return err_set(errp, "%s", r->err);
	if (r->in_table)
		return err_set(errp, "程序错误：表格尚未结束。");
	if (o->width < REPORT_MIN_WIDTH)
		return err_set(errp, "纸宽至少 %d 列（现为 %zu 列）。",
		    REPORT_MIN_WIDTH, o->width);
	report_page_head(r, &R->head);
	/* Header, the body, an empty line, the footer, the separator. */
	if (o->page_lines < R->head.n + 4)
		return err_set(errp, "页长 %zu 行太短，排不下页眉和页脚。",
		    o->page_lines);
	R->cap = o->page_lines - 3 - R->head.n;
	for (i = 0; i < R->head.n; i++) {
		len = rstrip_len(R->head.v[i], strlen(R->head.v[i]));
		if (render_width_ok(R, R->head.v[i], len, 1, errp) != CX_OK)
			return CX_ERR;
		render_check(R, R->head.v[i], len);
		buf_add(&R->headtext, R->head.v[i], len);
		buf_addstr(&R->headtext, R->eol);
	}
	foot = xasprintf("第 %zu 页 共 %zu 页", (size_t)1, (size_t)1);
	render_check(R, foot, strlen(foot));
	free(foot);
	for (i = 0; i < r->ntables; i++) {
		t = &r->tables[i];
		if (report_table_widths(o, t, errp) != CX_OK)
			return CX_ERR;
		strlist_free(&t->head);
		labels = xcalloc(t->ncols, sizeof *labels);
		for (j = 0; j < t->ncols; j++)
			labels[j] = t->cols[j].label;
		report_table_lines(o, t, labels, true, &t->head);
		free(labels);
		if (t->head.n + 4 > R->cap)
			return err_set(errp, "页长 %zu 行太短，排不下表头。",
			    o->page_lines);
		for (j = 0; j < 3; j++) {
			free(t->rule[j]);
			t->rule[j] = report_table_rule(o, t, (int)j);
		}
		t->rulelen = strlen(t->rule[1]);
		assert(strlen(t->rule[0]) == t->rulelen &&
		    strlen(t->rule[2]) == t->rulelen);
		/* Rows on the fast path are as wide as the rules. */
		if (render_width_ok(R, t->rule[1], t->rulelen, 1, errp) !=
		    CX_OK)
			return CX_ERR;
		render_check(R, t->rule[0], t->rulelen);
		render_check(R, t->rule[1], t->rulelen);
		render_check(R, t->rule[2], t->rulelen);
		for (j = 0; j < t->head.n; j++) {
			len = rstrip_len(t->head.v[j], strlen(t->head.v[j]));
			t->head.v[j][len] = '\0';
			if (render_width_ok(R, t->head.v[j], len, 1, errp) !=
			    CX_OK)
				return CX_ERR;
			render_check(R, t->head.v[j], len);
		}
		if (t->ncols > maxcols)
			maxcols = t->ncols;
	}
	R->ncells = maxcols;
	R->cells = xcalloc(maxcols + 1, sizeof *R->cells);
	R->srccells = xcalloc(maxcols + 1, sizeof *R->srccells);
	R->clean = xcalloc(maxcols + 1, sizeof *R->clean);
	return CX_OK;
}

/*
 * The page functions and the two ways out.
 */

/* report_render(): keep the page, and where it starts. */
static int
page_collect(struct render *R, const char *s, size_t len, char **errp)
{
	(void)errp;
	R->pstart = xgrow(R->pstart, &R->pcap, R->npages + 1,
	    sizeof *R->pstart);
	R->pstart[R->npages - 1] = R->all.len;
	buf_add(&R->all, s, len);
	return CX_OK;
}

/* report_write() after a character failed the check: find its pages. */
static int
page_diagnose(struct render *R, const char *s, size_t len, char **errp)
{
	(void)errp;
	bad_scan(&R->badl, &R->enc, s, len, R->npages);
	return CX_OK;
}

/* report_write(): hands what waits in the body to the sink. */
static int
render_flush(struct render *R, char **errp)
{
	int rc = CX_OK;

	if (R->body.b.len > 0) {
		rc = R->sink(R->sink_arg, R->body.b.s, R->body.b.len, errp);
		if (rc != CX_OK && errp != NULL && *errp == NULL)
			err_set(errp, "写入报表失败。");
		lines_reset(&R->body);
	}
	return rc;
}

/* report_write(): the page is already in the output encoding (and a
 * UTF-8 BOM before the first one); pages wait in the body until there
 * are enough for a large write. */
static int
page_write(struct render *R, const char *s, size_t len, char **errp)
{
	(void)s;
	(void)len;
	if (R->body.b.len >= REPORT_CHUNK)
		return render_flush(R, errp);
	return CX_OK;
}

int
report_render(struct report *r, struct buf *out, char **errp)
{
	struct render R;
	struct buf g;
	size_t p;
	int rc = CX_ERR;

	render_init(&R, r, false);
	buf_init(&g);
	if (render_prepare(&R, errp) != CX_OK ||
	    render_pass(&R, false, errp) != CX_OK)
		goto out;
	R.total = R.npages;
	R.page_fn = page_collect;
	if (render_pass(&R, true, errp) != CX_OK)
		goto out;
	if (R.npages != R.total) {
		err_set(errp, "报表数据在排版期间发生了变化（页数与第一遍不同），"
		    "请重新打印。");
		goto out;
	}
	R.pstart = xgrow(R.pstart, &R.pcap, R.total + 1, sizeof *R.pstart);
	R.pstart[R.total] = R.all.len;
	if (enc_open(&R.enc, r->opts.encoding, errp) != CX_OK)
		goto out;
	if (R.enc.name == NULL) {
		if (r->opts.bom)
			buf_add(out, "\xef\xbb\xbf", 3);
		buf_add(out, R.all.s, R.all.len);
	} else {
		/* Every character is checked before anything is converted. */
		for (p = 0; p < R.total; p++)
			bad_scan(&R.badl, &R.enc, R.all.s + R.pstart[p],
			    R.pstart[p + 1] - R.pstart[p], p + 1);
		if (bad_message(&R.badl, R.enc.name, errp) != CX_OK)
			goto out;
		if (conv_convert(R.enc.name, "UTF-8", R.all.s, R.all.len, NULL,
		    &g, NULL, errp) != CX_OK)
			goto out;
		buf_add(out, g.s, g.len);
	}
	r->npages = R.total;
	rc = CX_OK;
out:
	buf_free(&g);
	render_free(&R);
	return rc;
}

int
report_write(struct report *r, report_write_fn fn, void *arg, char **errp)
{
	struct render R;
	int rc = CX_ERR;

	render_init(&R, r, true);
	R.sink = fn;
	R.sink_arg = arg;
	if (enc_open(&R.enc, r->opts.encoding, errp) != CX_OK)
		goto out;
	/* The first pass measures and checks; nothing is written until
	 * it is known that everything can be. */
	R.check = R.enc.name != NULL;
	if (render_prepare(&R, errp) != CX_OK ||
	    render_pass(&R, false, errp) != CX_OK)
		goto out;
	R.check = false;
	R.total = R.npages;
	if (R.bad) {
		R.page_fn = page_diagnose;
		if (render_pass(&R, true, errp) != CX_OK ||
		    bad_message(&R.badl, R.enc.name, errp) != CX_OK)
			goto out;
	}
	R.page_fn = page_write;
	R.keep = true;
	R.bom = R.enc.name == NULL && r->opts.bom;
	if (render_encode_fixed(&R, errp) != CX_OK ||
	    render_pass(&R, true, errp) != CX_OK)
		goto out;
	if (R.npages != R.total) {
		err_set(errp, "报表数据在排版期间发生了变化（页数与第一遍不同），"
		    "请重新打印。");
		goto out;
	}
	if (render_flush(&R, errp) != CX_OK)
		goto out;
	r->npages = R.total;
	rc = CX_OK;
out:
	render_free(&R);
	return rc;
}

static int
report_file_sink(void *arg, const char *p, size_t n, char **errp)
{
	FILE *fp = arg;

	if (fwrite(p, 1, n, fp) != n)
		return err_set(errp, "写入报表失败（%s）。", util_strerror(errno));
	return CX_OK;
}

int
report_write_file(struct report *r, FILE *fp, char **errp)
{
	return report_write(r, report_file_sink, fp, errp);
}
