/* report.c: laying out and encoding printed reports. */
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

#define REPORT_MIN_WIDTH	40
#define REPORT_MIN_COL		4
#define REPORT_NONE		SIZE_MAX
#define REPORT_MAX_BAD_CHARS	10
#define REPORT_MAX_BAD_PAGES	5

enum block_kind {
	BLOCK_ROW,
	BLOCK_TABLE_END,
	BLOCK_PARAGRAPH,
	BLOCK_SIGNATURE
};

struct report_table {
	size_t			 ncols;
	struct report_col	*cols;		/* labels owned */
	size_t			*w;		/* laid-out content widths */
	size_t			 nrows;
	struct strlist		 head;		/* laid-out header lines */
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
};

/* Pagination state: the finished pages and the one being filled. */
struct layout {
	struct report	*r;
	size_t		 width;
	size_t		 cap;		/* body lines per page */
	struct strlist	*pages;
	size_t		 npages;
	size_t		 pcap;
	struct strlist	 cur;
	size_t		 open;		/* table open on this page */
	size_t		 rule;		/* index in cur of its last rule */
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
 * computation assumes valid text. */
static char *
report_clean(struct report *r, const char *s, bool keep_nl)
{
	char *t;
	size_t i;

	if (s == NULL)
		return xstrdup("");
	if (!text_utf8_valid(s, strlen(s))) {
		report_misuse(r, "报表文字含有无法识别的字符（不是有效的 UTF-8 编码）。");
		return xstrdup("");
	}
	t = xstrdup(s);
	for (i = 0; t[i] != '\0'; i++) {
		if (t[i] == '\n' && keep_nl)
			continue;
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			t[i] = ' ';
	}
	return t;
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

void
report_table_begin(struct report *r, size_t ncols,
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
		return;
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
	r->in_table = true;
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
 * Pagination.
 */

static void
layout_close_table(struct layout *L)
{
	if (L->open == REPORT_NONE)
		return;
	free(L->cur.v[L->rule]);
	L->cur.v[L->rule] = report_table_rule(&L->r->opts,
	    &L->r->tables[L->open], 2);
	L->open = REPORT_NONE;
}

static void
layout_new_page(struct layout *L)
{
	layout_close_table(L);
	L->pages = xgrow(L->pages, &L->pcap, L->npages + 1, sizeof *L->pages);
	L->pages[L->npages++] = L->cur;
	strlist_init(&L->cur);
}

/* The top rule, the header lines and the rule under them. */
static void
layout_open_table(struct layout *L, size_t ti)
{
	struct report_table *t = &L->r->tables[ti];
	size_t i;

	layout_close_table(L);
	strlist_take(&L->cur, report_table_rule(&L->r->opts, t, 0));
	for (i = 0; i < t->head.n; i++)
		strlist_add(&L->cur, t->head.v[i]);
	strlist_take(&L->cur, report_table_rule(&L->r->opts, t, 1));
	L->rule = L->cur.n - 1;
	L->open = ti;
}

/* A row costs its lines plus the rule under it, and the table header too
 * when the table is not yet open on this page.  A row that cannot fit on
 * any page is split, each piece closed by a rule. */
static void
layout_row(struct layout *L, size_t ti, struct strlist *lines)
{
	struct report_table *t = &L->r->tables[ti];
	size_t th = t->head.n + 2, need, i, k;

	if (lines->n + 1 + th <= L->cap) {
		need = lines->n + 1 + (L->open == ti ? 0 : th);
		if (L->cur.n > 0 && L->cur.n + need > L->cap)
			layout_new_page(L);
		if (L->open != ti)
			layout_open_table(L, ti);
		for (i = 0; i < lines->n; i++)
			strlist_add(&L->cur, lines->v[i]);
	} else {
		i = 0;
		for (;;) {
			if (L->open != ti) {
				if (L->cur.n + th + 2 > L->cap)
					layout_new_page(L);
				layout_open_table(L, ti);
			} else if (L->cur.n + 2 > L->cap) {
				layout_new_page(L);
				continue;
			}
			k = L->cap - L->cur.n - 1;
			if (k > lines->n - i)
				k = lines->n - i;
			for (; k > 0; k--, i++)
				strlist_add(&L->cur, lines->v[i]);
			if (i == lines->n)
				break;
			strlist_take(&L->cur, report_table_rule(&L->r->opts,
			    t, 1));
			L->rule = L->cur.n - 1;
			layout_new_page(L);
		}
	}
	strlist_take(&L->cur, report_table_rule(&L->r->opts, t, 1));
	L->rule = L->cur.n - 1;
}

/* Plain lines; keep asks for them on one page when they fit on one. */
static void
layout_lines(struct layout *L, struct strlist *lines, bool keep)
{
	size_t i;

	layout_close_table(L);
	if (keep && lines->n <= L->cap && L->cur.n + lines->n > L->cap)
		layout_new_page(L);
	for (i = 0; i < lines->n; i++) {
		if (L->cur.n >= L->cap)
			layout_new_page(L);
		strlist_add(&L->cur, lines->v[i]);
	}
}

/* An empty line between blocks, never at the top of a page. */
static void
layout_space(struct layout *L)
{
	layout_close_table(L);
	if (L->cur.n > 0 && L->cur.n < L->cap)
		strlist_add(&L->cur, "");
}

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

static void
layout_free(struct layout *L)
{
	size_t i;

	for (i = 0; i < L->npages; i++)
		strlist_free(&L->pages[i]);
	free(L->pages);
	strlist_free(&L->cur);
}

/* First pass: the page header, column widths, then every block placed on
 * pages.  The page count is known only at the end. */
static int
report_paginate(struct report *r, struct strlist *head, struct layout *L,
    char **errp)
{
	const struct report_opts *o = &r->opts;
	struct report_block *b;
	struct report_table *t;
	struct strlist lines;
	const char **labels;
	size_t i, j;

	if (r->err != NULL)
		return err_set(errp, "%s", r->err);
	if (r->in_table)
		return err_set(errp, "程序错误：表格尚未结束。");
	if (o->width < REPORT_MIN_WIDTH)
		return err_set(errp, "纸宽至少 %d 列（现为 %zu 列）。",
		    REPORT_MIN_WIDTH, o->width);
	report_page_head(r, head);
	/* Header, the body, an empty line, the footer, the separator. */
	if (o->page_lines < head->n + 4)
		return err_set(errp, "页长 %zu 行太短，排不下页眉和页脚。",
		    o->page_lines);
	L->cap = o->page_lines - 3 - head->n;
	for (i = 0; i < r->ntables; i++) {
		t = &r->tables[i];
		if (report_table_widths(o, t, errp) != CX_OK)
			return CX_ERR;
		strlist_free(&t->head);
		strlist_init(&t->head);
		labels = xcalloc(t->ncols, sizeof *labels);
		for (j = 0; j < t->ncols; j++)
			labels[j] = t->cols[j].label;
		report_table_lines(o, t, labels, true, &t->head);
		free(labels);
		if (t->head.n + 4 > L->cap)
			return err_set(errp, "页长 %zu 行太短，排不下表头。",
			    o->page_lines);
	}
	strlist_init(&lines);
	for (i = 0; i < r->nblocks; i++) {
		b = &r->blocks[i];
		strlist_free(&lines);
		strlist_init(&lines);
		switch (b->kind) {
		case BLOCK_ROW:
			if (i == 0 || r->blocks[i - 1].kind != BLOCK_ROW ||
			    r->blocks[i - 1].table != b->table)
				layout_space(L);
			report_table_lines(o, &r->tables[b->table],
			    (const char *const *)b->cells, false, &lines);
			layout_row(L, b->table, &lines);
			break;
		case BLOCK_TABLE_END:
			t = &r->tables[b->table];
			if (t->nrows == 0) {
				/* Only a header: keep it whole. */
				layout_space(L);
				if (L->cur.n + t->head.n + 2 > L->cap)
					layout_new_page(L);
				layout_open_table(L, b->table);
			}
			layout_close_table(L);
			break;
		case BLOCK_PARAGRAPH:
			layout_space(L);
			report_wrap_into(&lines, b->text, o->width, TEXT_LEFT);
			layout_lines(L, &lines, false);
			break;
		case BLOCK_SIGNATURE:
			if (i == 0 || r->blocks[i - 1].kind != BLOCK_SIGNATURE)
				layout_space(L);
			report_wrap_into(&lines, b->text, o->width, TEXT_LEFT);
			layout_lines(L, &lines, true);
			break;
		}
	}
	strlist_free(&lines);
	if (L->cur.n > 0 || L->npages == 0)
		layout_new_page(L);
	return CX_OK;
}

/*
 * Rendering.
 */

static void
report_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

/* Adds one output line.  The width check is the renderer's last line of
 * defence: layout bugs must show up in tests (assert) and never as a
 * silently clipped line on paper (the error in a release build). */
static int
report_emit(const struct report_opts *o, const char *line, size_t page,
    struct buf *u, char **errp)
{
	char *t;
	size_t w;

	t = xstrdup(line);
	report_rstrip(t);
	w = text_width(t, TEXT_PRINT);
	assert(w <= o->width);
	if (w > o->width) {
		free(t);
		return err_set(errp, "内部错误：第 %zu 页有一行宽 %zu 列，"
		    "超出纸宽 %zu 列。", page, w, o->width);
	}
	buf_addstr(u, t);
	buf_addstr(u, o->eol == REPORT_EOL_CRLF ? "\r\n" : "\n");
	free(t);
	return CX_OK;
}

/* Second pass: each page is the page header, its body, padding, an
 * empty line and the footer, page_lines - 1 lines in all, then the page
 * separator.  pstart[p] records where page p starts in u, so encoding
 * errors can name the page. */
static int
report_compose(struct report *r, const struct strlist *head,
    const struct layout *L, struct buf *u, size_t *pstart, char **errp)
{
	const struct report_opts *o = &r->opts;
	const struct strlist *body;
	char *foot, *line;
	size_t p, i;
	int rc;

	for (p = 0; p < L->npages; p++) {
		if (p > 0)
			buf_addstr(u, o->formfeed ? "\f" :
			    o->eol == REPORT_EOL_CRLF ? "\r\n" : "\n");
		pstart[p] = u->len;
		body = &L->pages[p];
		/* Like the width check: an overfull page is a layout bug. */
		assert(body->n <= L->cap);
		if (body->n > L->cap)
			return err_set(errp, "内部错误：第 %zu 页排了 %zu 行，"
			    "超出每页 %zu 行。", p + 1, body->n, L->cap);
		for (i = 0; i < head->n; i++) {
			if (report_emit(o, head->v[i], p + 1, u, errp) != CX_OK)
				return CX_ERR;
		}
		for (i = 0; i < L->cap; i++) {
			line = i < body->n ? body->v[i] : "";
			if (report_emit(o, line, p + 1, u, errp) != CX_OK)
				return CX_ERR;
		}
		if (report_emit(o, "", p + 1, u, errp) != CX_OK)
			return CX_ERR;
		line = xasprintf("第 %zu 页 共 %zu 页", p + 1, L->npages);
		foot = text_pad(line, o->width, TEXT_CENTER, TEXT_PRINT);
		rc = report_emit(o, foot, p + 1, u, errp);
		free(foot);
		free(line);
		if (rc != CX_OK)
			return CX_ERR;
	}
	pstart[L->npages] = u->len;
	return CX_OK;
}

/* Can cd encode this one character exactly?  Irreversible conversions
 * count as failures: the printer would show something else. */
static bool
report_encodable(iconv_t cd, const char *s, size_t n)
{
	char outb[16], *op = outb;
	ICONV_CONST char *ip = (ICONV_CONST char *)s;
	size_t il = n, ol = sizeof outb, rc;

	iconv(cd, NULL, NULL, NULL, NULL);
	rc = iconv(cd, &ip, &il, &op, &ol);
	return rc == 0 && il == 0;
}

struct report_bad {
	char		ch[5];
	size_t		last;		/* last page listed */
	size_t		npages;
	struct buf	pages;		/* "1、3" */
};

/* Printers hold GB2312/GBK fonts, and iconv would print '?' for what GBK
 * lacks, so every character is checked before anything is converted and
 * the user is told which ones to fix, and on which pages. */
static int
report_check_encodable(const char *enc, const struct buf *u,
    const size_t *pstart, size_t npages, char **errp)
{
	struct report_bad *bad = NULL;
	size_t nbad = 0, bcap = 0, p, i, j;
	struct buf m;
	iconv_t cd;
	uint32_t uc;
	int n;

	cd = iconv_open(enc, "UTF-8");
	if (cd == (iconv_t)-1)
		return err_set(errp, "本机不支持从 UTF-8 到 %s 的编码转换（%s）。",
		    enc, strerror(errno));
	for (p = 0; p < npages; p++) {
		for (i = pstart[p]; i < pstart[p + 1]; i += n) {
			n = 1;
			if ((unsigned char)u->s[i] < 0x80)
				continue;
			n = text_utf8_decode(u->s + i, &uc);
			if (report_encodable(cd, u->s + i, n))
				continue;
			for (j = 0; j < nbad; j++) {
				if (memcmp(bad[j].ch, u->s + i, n) == 0 &&
				    bad[j].ch[n] == '\0')
					break;
			}
			if (j == nbad) {
				bad = xgrow(bad, &bcap, nbad + 1, sizeof *bad);
				memset(&bad[nbad], 0, sizeof *bad);
				memcpy(bad[nbad].ch, u->s + i, n);
				buf_init(&bad[nbad].pages);
				nbad++;
			}
			if (bad[j].last == p + 1)
				continue;
			bad[j].last = p + 1;
			if (bad[j].npages < REPORT_MAX_BAD_PAGES)
				buf_addf(&bad[j].pages, "%s%zu",
				    bad[j].npages > 0 ? "、" : "", p + 1);
			else if (bad[j].npages == REPORT_MAX_BAD_PAGES)
				buf_addstr(&bad[j].pages, "等");
			bad[j].npages++;
		}
	}
	iconv_close(cd);
	if (nbad == 0)
		return CX_OK;
	buf_init(&m);
	buf_addf(&m, "以下字符无法用 %s 打印：", enc);
	for (j = 0; j < nbad && j < REPORT_MAX_BAD_CHARS; j++)
		buf_addf(&m, "%s%s（第 %s 页）", j > 0 ? "、" : "",
		    bad[j].ch, bad[j].pages.s);
	if (nbad > REPORT_MAX_BAD_CHARS)
		buf_addf(&m, "等 %zu 个字符", nbad);
	buf_addstr(&m, "。请修改这些文字，或改用其他编码输出。");
	err_set(errp, "%s", m.s);
	buf_free(&m);
	for (j = 0; j < nbad; j++)
		buf_free(&bad[j].pages);
	free(bad);
	return CX_ERR;
}

int
report_render(struct report *r, struct buf *out, char **errp)
{
	const char *enc = NULL;
	struct strlist head;
	struct layout L;
	struct buf u, g;
	size_t *pstart = NULL;
	int rc = CX_ERR;

	strlist_init(&head);
	memset(&L, 0, sizeof L);
	L.r = r;
	L.width = r->opts.width;
	L.open = REPORT_NONE;
	strlist_init(&L.cur);
	buf_init(&u);
	buf_init(&g);
	if (report_paginate(r, &head, &L, errp) != CX_OK)
		goto out;
	pstart = xcalloc(L.npages + 1, sizeof *pstart);
	if (report_compose(r, &head, &L, &u, pstart, errp) != CX_OK)
		goto out;
	switch (r->opts.encoding) {
	case REPORT_GB18030:
		enc = "GB18030";
		break;
	case REPORT_GBK:
		enc = "GBK";
		break;
	default:
		break;
	}
	if (enc == NULL) {
		if (r->opts.bom)
			buf_add(out, "\xef\xbb\xbf", 3);
		buf_add(out, u.s, u.len);
	} else {
		if (report_check_encodable(enc, &u, pstart, L.npages,
		    errp) != CX_OK)
			goto out;
		if (conv_convert(enc, "UTF-8", u.s, u.len, NULL, &g, NULL,
		    errp) != CX_OK)
			goto out;
		buf_add(out, g.s, g.len);
	}
	r->npages = L.npages;
	rc = CX_OK;
out:
	free(pstart);
	buf_free(&u);
	buf_free(&g);
	layout_free(&L);
	strlist_free(&head);
	return rc;
}
