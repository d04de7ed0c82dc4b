/* test_report.c: printed report layout, pagination and encodings. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "report.h"
#include "tap.h"
#include "text.h"

static const struct report_col dues_cols[] = {
	{ "序号", 4, TEXT_RIGHT },
	{ "姓名", 10, TEXT_LEFT },
	{ "应交金额（元）", 14, TEXT_RIGHT }
};

/* Splits s into lines at LF (dropping a CR before it) and pages at FF. */
struct lines {
	char	**v;
	size_t	 *page;
	size_t	  n;
};

static void
lines_split(const char *s, size_t len, struct lines *L)
{
	size_t i, start = 0, page = 1, cap = 0, end;

	memset(L, 0, sizeof *L);
	for (i = 0; i < len; i++) {
		if (s[i] == '\f' && i == start) {
			page++;
			start = i + 1;
			continue;
		}
		if (s[i] != '\n')
			continue;
		end = i;
		if (end > start && s[end - 1] == '\r')
			end--;
		L->v = xgrow(L->v, &cap, L->n + 1, sizeof *L->v);
		L->page = xrealloc(L->page, cap * sizeof *L->page);
		L->v[L->n] = xstrndup(s + start, end - start);
		L->page[L->n] = page;
		L->n++;
		start = i + 1;
	}
}

static void
lines_free(struct lines *L)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		free(L->v[i]);
	free(L->v);
	free(L->page);
}

static size_t
count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Every box character (U+2500..257F) starts at an even column. */
static bool
box_even(const char *line)
{
	size_t col = 0;
	uint32_t uc;

	while (*line != '\0') {
		line += text_utf8_decode(line, &uc);
		if (uc >= 0x2500 && uc <= 0x257f && col % 2 != 0)
			return false;
		col += text_char_width(uc, TEXT_PRINT);
	}
	return true;
}

static struct report *
dues_report(const struct report_opts *o, const struct report_col *cols)
{
	struct report *r;
	const char *row1[] = { "1", "张三", "12.50" };
	const char *row2[] = { "2", "欧阳明月", "120.00" };

	r = report_new(o);
	report_title(r, "党费收缴情况表");
	report_header(r, "填报单位", "第一党支部");
	report_header(r, "周期", "2024年第一季度");
	report_table_begin(r, 3, cols);
	report_table_row(r, row1);
	report_table_row(r, row2);
	report_table_end(r);
	report_signature(r, "书记（签名）：____________    年    月    日");
	return r;
}

static char *
render(struct report *r, size_t *len, char **errp)
{
	struct buf b;

	buf_init(&b);
	if (report_render(r, &b, errp) != CX_OK) {
		buf_free(&b);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return buf_take(&b);
}

static const char ascii_expect[] =
"                                 党费收缴情况表\n"
"填报单位：第一党支部                    周期：2024年第一季度\n"
"\n"
"+------+------------+----------------+\n"
"| 序号 |    姓名    | 应交金额（元） |\n"
"+------+------------+----------------+\n"
"|    1 | 张三       |          12.50 |\n"
"+------+------------+----------------+\n"
"|    2 | 欧阳明月   |         120.00 |\n"
"+------+------------+----------------+\n"
"\n"
"书记（签名）：____________    年    月    日\n"
"\n"
"\n"
"                                第 1 页 共 1 页\n";

static void
test_ascii_exact(void)
{
	struct report_opts o;
	struct report *r;
	char *s, *err = NULL;

	report_opts_init(&o);
	o.page_lines = 16;
	r = dues_report(&o, dues_cols);
	s = render(r, NULL, &err);
	is_str(s, ascii_expect, "small table, 80 columns, UTF-8, ASCII borders");
	is_int(report_page_count(r), 1, "one page");
	ok(s != NULL && strstr(s, "|          12.50 |\n") != NULL &&
	    strstr(s, "|         120.00 |\n") != NULL,
	    "amounts are right-aligned");
	free(s);
	free(err);
	report_free(r);
}

static const char box_expect[] =
"                                 党费收缴情况表\n"
"填报单位：第一党支部                    周期：2024年第一季度\n"
"\n"
"┌───┬─────────────────┬────────────────┐\n"
"│ 序号 │               姓名               │         应交金额（元）         │\n"
"├───┼─────────────────┼────────────────┤\n"
"│     1│张三                              │                           12.50│\n"
"├───┼─────────────────┼────────────────┤\n"
"│     2│欧阳明月                          │                          120.00│\n"
"└───┴─────────────────┴────────────────┘\n";

static void
test_box(void)
{
	/* 2 + (8+2) + (36+2) + (34+2) = 86 asked: 72 columns of content
	 * for 78 asked become 6, 32, 30, then the 4 left over by rounding
	 * go to 姓名 and 金额: 6, 34, 32, exactly 80. */
	static const struct report_col cols[] = {
		{ "序号", 7, TEXT_RIGHT },	/* rounded up to 8 */
		{ "姓名", 36, TEXT_LEFT },
		{ "应交金额（元）", 34, TEXT_RIGHT }
	};
	struct report_opts o;
	struct report *r;
	struct lines L;
	char *s, *err = NULL;
	size_t len, i, ntable = 0, bad_w = 0, bad_even = 0, over = 0;

	report_opts_init(&o);
	o.page_lines = 16;
	o.border = REPORT_BORDER_BOX;
	r = dues_report(&o, cols);
	s = render(r, &len, &err);
	ok(s != NULL, "box drawing renders");
	if (s == NULL) {
		printf("# %s\n", err);
		free(err);
		report_free(r);
		return;
	}
	ok(strncmp(s, box_expect, strlen(box_expect)) == 0,
	    "box table laid out in 2-column units, shrunk to 80 columns");
	lines_split(s, len, &L);
	for (i = 0; i < L.n; i++) {
		if (text_width(L.v[i], TEXT_PRINT) > 80)
			over++;
		if (strstr(L.v[i], "│") == NULL && strstr(L.v[i], "─") == NULL)
			continue;
		ntable++;
		if (text_width(L.v[i], TEXT_PRINT) != 80)
			bad_w++;
		if (!box_even(L.v[i]))
			bad_even++;
	}
	is_int(ntable, 7, "seven box lines");
	is_int(bad_w, 0, "every box line is exactly the page width");
	is_int(bad_even, 0, "every box character starts at an even column");
	is_int(over, 0, "no line is wider than the page");
	ok(strstr(s, "+") == NULL && strstr(s, "|") == NULL,
	    "no ASCII border characters mixed in");
	lines_free(&L);
	free(s);
	report_free(r);
}

/* Cuts the cell contents of column col out of ASCII table lines. */
static void
test_wrap(void)
{
	static const struct report_col cols[] = {
		{ "事项", 10, TEXT_LEFT },
		{ "说明", 12, TEXT_LEFT }
	};
	const char *text = "学习教育，“三会一课”（支部党员大会）。整改落实，"
	    "《党章》学习！问题清单（第一批）、整改台账……已完成。";
	const char *row[2];
	struct report *r;
	struct lines L;
	struct buf joined;
	char *s, *err = NULL, *cell, *p, *q;
	size_t len, i, pieces = 0, bad_start = 0, bad_end = 0;
	uint32_t uc, last;

	r = report_new(NULL);
	report_table_begin(r, 2, cols);
	row[0] = "整改";
	row[1] = text;
	report_table_row(r, row);
	report_table_end(r);
	s = render(r, &len, &err);
	ok(s != NULL, "a long Chinese cell renders");
	if (s == NULL) {
		free(err);
		report_free(r);
		return;
	}
	lines_split(s, len, &L);
	buf_init(&joined);
	for (i = 3; i < L.n && L.v[i][0] == '|'; i++) {
		/* "| 整改       | <cell>       |" */
		p = strchr(L.v[i] + 1, '|');
		q = strchr(p + 1, '|');
		cell = xstrndup(p + 2, q - p - 3);
		p = text_trim(cell);
		if (*p != '\0') {
			pieces++;
			buf_addstr(&joined, p);
			text_utf8_decode(p, &uc);
			if (text_no_line_start(uc))
				bad_start++;
			for (q = p, last = 0; *q != '\0'; )
				q += text_utf8_decode(q, &last);
			if (text_no_line_end(last))
				bad_end++;
			if (text_width(cell, TEXT_PRINT) != 12)
				bad_end += 100;
		}
		free(p);
		free(cell);
	}
	ok(pieces >= 6, "the cell wraps over several lines (%zu)", pieces);
	is_str(joined.s, text, "nothing lost in wrapping");
	is_int(bad_start, 0, "no line starts with closing punctuation");
	is_int(bad_end, 0, "no line ends with opening punctuation");
	ok(strstr(s, "……") != NULL, "…… is never split");
	buf_free(&joined);
	lines_free(&L);
	free(s);
	report_free(r);
}

/* 30 rows of two lines each: 20-line pages hold 3 rows each after the
 * page header and the table header. */
static void
test_pages(void)
{
	static const struct report_col cols[] = {
		{ "序号", 6, TEXT_RIGHT },
		{ "内容", 20, TEXT_LEFT }
	};
	struct report_opts o;
	struct report *r;
	struct lines L;
	char *s, *err = NULL, num[16], text[128], head[64], tail[64];
	const char *row[2];
	size_t len, i, j, n, hp, tp, split = 0, lines_on[8] = { 0 };
	size_t titles = 0, theads = 0;

	report_opts_init(&o);
	o.page_lines = 20;
	r = report_new(&o);
	report_title(r, "整改台账");
	report_header(r, "填报单位", "第一党支部");
	report_table_begin(r, 2, cols);
	for (i = 1; i <= 8; i++) {
		snprintf(num, sizeof num, "%zu", i);
		snprintf(text, sizeof text, "头%zu整改措施落实到人到岗，尾%zu", i, i);
		row[0] = num;
		row[1] = text;
		report_table_row(r, row);
	}
	report_table_end(r);
	s = render(r, &len, &err);
	ok(s != NULL, "paginated report renders");
	if (s == NULL) {
		printf("# %s\n", err);
		free(err);
		report_free(r);
		return;
	}
	is_int(report_page_count(r), 3, "three pages");
	is_int(count_str(s, "\f"), 2, "FF between pages, not after the last");
	ok(strstr(s, "第 1 页 共 3 页\n\f") != NULL &&
	    strstr(s, "第 2 页 共 3 页\n\f") != NULL &&
	    strstr(s, "第 3 页 共 3 页\n") != NULL &&
	    s[len - 1] == '\n', "footers 第 N 页 共 3 页 end each page");
	lines_split(s, len, &L);
	for (i = 0; i < L.n; i++) {
		if (L.page[i] < 8)
			lines_on[L.page[i]]++;
		if (strstr(L.v[i], "整改台账") != NULL &&
		    (i == 0 || L.page[i - 1] != L.page[i]))
			titles++;
		if (strstr(L.v[i], "|  序号  |") != NULL)
			theads++;
	}
	is_int(titles, 3, "the title opens every page");
	is_int(theads, 3, "the table header repeats on every page");
	ok(lines_on[1] == 19 && lines_on[2] == 19 && lines_on[3] == 19,
	    "every page is page_lines - 1 lines (%zu %zu %zu)",
	    lines_on[1], lines_on[2], lines_on[3]);
	for (i = 1; i <= 8; i++) {
		snprintf(head, sizeof head, "头%zu整", i);
		snprintf(tail, sizeof tail, "尾%zu ", i);
		hp = tp = 0;
		for (j = 0; j < L.n; j++) {
			if (strstr(L.v[j], head) != NULL)
				hp = L.page[j];
			if (strstr(L.v[j], tail) != NULL)
				tp = L.page[j];
		}
		if (hp == 0 || hp != tp)
			split++;
	}
	is_int(split, 0, "no row is split across pages");
	for (n = 0, i = 0; i < L.n; i++) {
		if (L.page[i] == 1 && L.v[i][0] == '|' &&
		    strstr(L.v[i], "序号") == NULL)
			n++;
	}
	is_int(n, 6, "page 1 holds three two-line rows");
	lines_free(&L);
	free(s);
	report_free(r);
}

static void
test_crlf_bom(void)
{
	struct report_opts o;
	struct report *r;
	char *s, *err = NULL;
	size_t len, i, bare = 0, crlf = 0;

	report_opts_init(&o);
	o.eol = REPORT_EOL_CRLF;
	o.page_lines = 16;
	r = dues_report(&o, dues_cols);
	s = render(r, &len, &err);
	ok(s != NULL, "CRLF report renders");
	for (i = 0; s != NULL && i < len; i++) {
		if (s[i] != '\n')
			continue;
		if (i > 0 && s[i - 1] == '\r')
			crlf++;
		else
			bare++;
	}
	is_int(bare, 0, "no bare LF");
	is_int(crlf, 15, "every line ends with CRLF");
	ok(s != NULL && len > 2 && s[len - 2] == '\r' && s[len - 1] == '\n',
	    "the last line too");
	ok(s != NULL && memcmp(s, "\xef\xbb\xbf", 3) != 0, "no BOM by default");
	free(s);
	report_free(r);

	o.bom = true;
	r = dues_report(&o, dues_cols);
	s = render(r, &len, &err);
	ok(s != NULL && memcmp(s, "\xef\xbb\xbf", 3) == 0 &&
	    memcmp(s + 3, " ", 1) == 0, "UTF-8 BOM when asked");
	free(s);
	report_free(r);

	o.encoding = REPORT_GB18030;
	r = dues_report(&o, dues_cols);
	s = render(r, &len, &err);
	ok(s != NULL && (unsigned char)s[0] == ' ' &&
	    (unsigned char)s[0] != 0xef && (unsigned char)s[0] != 0x84,
	    "never a BOM in GB18030");
	free(s);
	report_free(r);
}

static void
test_gb(void)
{
	struct report_opts o;
	struct report *r;
	struct buf back;
	char *u, *g, *err = NULL, num[16];
	const char *row[3];
	size_t ulen, glen, i;

	report_opts_init(&o);
	o.page_lines = 20;
	o.eol = REPORT_EOL_CRLF;
	r = dues_report(&o, dues_cols);
	report_paragraph(r, "生僻字𠀾与破折号——及€符号、省略号……");
	u = render(r, &ulen, &err);
	report_free(r);
	o.encoding = REPORT_GB18030;
	r = dues_report(&o, dues_cols);
	report_paragraph(r, "生僻字𠀾与破折号——及€符号、省略号……");
	g = render(r, &glen, &err);
	report_free(r);
	ok(u != NULL && g != NULL, "UTF-8 and GB18030 renders");
	buf_init(&back);
	ok(g != NULL && conv_convert("UTF-8", "GB18030", g, glen, NULL, &back,
	    NULL, &err) == CX_OK, "GB18030 output decodes");
	ok(u != NULL && back.len == ulen && memcmp(back.s, u, ulen) == 0,
	    "GB18030 decodes back to the UTF-8 output byte for byte");
	ok(g != NULL && strstr(g, "\xd5\xc5\xc8\xfd") != NULL,
	    "张三 is in GB18030 bytes");
	buf_free(&back);
	free(u);
	free(g);

	/* 𠀾 only on page 3. */
	o.encoding = REPORT_GBK;
	r = report_new(&o);
	report_title(r, "名册");
	report_table_begin(r, 3, dues_cols);
	for (i = 1; i <= 16; i++) {
		snprintf(num, sizeof num, "%zu", i);
		row[0] = num;
		row[1] = i == 15 ? "王𠀾" : "李四";
		row[2] = "1.00";
		report_table_row(r, row);
	}
	report_table_end(r);
	{
		struct buf out;

		buf_init(&out);
		ok(report_render(r, &out, &err) == CX_ERR,
		    "GBK refuses a character it cannot encode");
		is_int(out.len, 0, "and writes nothing");
		ok(err != NULL && strstr(err,
		    "以下字符无法用 GBK 打印：𠀾（第 3 页）") != NULL,
		    "the message lists 𠀾 and its page");
		if (err != NULL)
			printf("# %s\n", err);
		free(err);
		err = NULL;
		buf_free(&out);
	}
	report_free(r);

	r = dues_report(&o, dues_cols);
	g = render(r, &glen, &err);
	ok(g != NULL && strstr(g, "\xd5\xc5\xc8\xfd") != NULL,
	    "GBK output when every character is in GBK");
	free(g);
	report_free(r);
}

/* A deterministic generator, so a failure can be reproduced. */
static uint32_t rng_state = 20240601;

static uint32_t
rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) & 0xffffff;
}

static void
random_cell(struct buf *b)
{
	static const char *parts[] = {
		"党", "支部", "委员会", "，", "。", "（", "）", "《党章》", "𠀾",
		"𡘙", "——", "……", "a", "abc", "12345", "3.50", " ", "2024年",
		"“学习”", "、", "！", "ｘ", "€", "阿卜杜拉·买买提", "\n"
	};
	size_t n = rng() % 12, i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_addstr(b, parts[rng() % (sizeof parts / sizeof parts[0])]);
}

static void
test_random(size_t width, enum report_border border)
{
	static const struct report_col cols[] = {
		{ "序号", 4, TEXT_RIGHT },
		{ "姓名", 9, TEXT_LEFT },
		{ "内容", 30, TEXT_LEFT },
		{ "金额", 11, TEXT_RIGHT },
		{ "备注", 40, TEXT_LEFT }
	};
	struct report_opts o;
	struct report *r;
	struct lines L;
	struct buf cells[5];
	const char *row[5];
	char *s, *err = NULL;
	size_t len, i, j, over = 0, odd = 0;

	report_opts_init(&o);
	o.width = width;
	o.border = border;
	r = report_new(&o);
	report_title(r, "随机测试表𠀾（第一批）");
	report_header(r, "填报单位", "测试支部𡘙");
	report_header(r, "周期", "2024");
	report_table_begin(r, 5, cols);
	for (j = 0; j < 5; j++)
		buf_init(&cells[j]);
	for (i = 0; i < 300; i++) {
		for (j = 0; j < 5; j++) {
			random_cell(&cells[j]);
			row[j] = cells[j].s;
		}
		report_table_row(r, row);
	}
	report_table_end(r);
	report_paragraph(r, "说明：本表由程序随机生成，用于检查每一行的打印宽度。");
	report_signature(r, "书记（签名）：____________    年    月    日");
	for (j = 0; j < 5; j++)
		buf_free(&cells[j]);
	s = render(r, &len, &err);
	ok(s != NULL, "300 random rows render at %zu columns (%s)", width,
	    border == REPORT_BORDER_BOX ? "box" : "ASCII");
	if (s == NULL) {
		printf("# %s\n", err);
		free(err);
		report_free(r);
		return;
	}
	lines_split(s, len, &L);
	for (i = 0; i < L.n; i++) {
		if (text_width(L.v[i], TEXT_PRINT) > width)
			over++;
		if (border == REPORT_BORDER_BOX && !box_even(L.v[i]))
			odd++;
	}
	is_int(over, 0, "no line wider than %zu columns (%zu lines, %zu pages)",
	    width, L.n, report_page_count(r));
	if (border == REPORT_BORDER_BOX)
		is_int(odd, 0, "box characters at even columns");
	lines_free(&L);
	free(s);
	report_free(r);
}

/*
 * Streaming: rows from a source, bytes to a sink.
 */

/* Rows kept in memory, handed out by a report_source; counts its calls
 * and can be told to fail or to change between passes. */
struct rows {
	char	**cell;		/* nrows * ncols */
	size_t	  nrows;
	size_t	  ncols;
	size_t	  next;
	size_t	  rewinds;
	size_t	  fail_at;	/* fail on this row (1-based), 0 never */
	size_t	  grow_after;	/* after this many rewinds, one more row */
};

static int
rows_rewind(void *arg, char **errp)
{
	struct rows *R = arg;

	(void)errp;
	R->next = 0;
	R->rewinds++;
	return CX_OK;
}

static int
rows_next(void *arg, const char **cells, char **errp)
{
	struct rows *R = arg;
	size_t n = R->nrows, j;

	if (R->grow_after > 0 && R->rewinds > R->grow_after)
		n++;
	if (R->next >= n)
		return CX_NOTFOUND;
	if (R->fail_at > 0 && R->next + 1 == R->fail_at)
		return err_set(errp, "数据库读取失败（测试）。");
	for (j = 0; j < R->ncols; j++)
		cells[j] = R->cell[(R->next % R->nrows) * R->ncols + j];
	R->next++;
	return CX_OK;
}

static void
rows_free(struct rows *R)
{
	size_t i;

	for (i = 0; i < R->nrows * R->ncols; i++)
		free(R->cell[i]);
	free(R->cell);
}

struct sink {
	struct buf	out;
	size_t		calls;
	size_t		biggest;
	bool		fail;
};

static int
sink_fn(void *arg, const char *p, size_t n, char **errp)
{
	struct sink *k = arg;

	k->calls++;
	if (n > k->biggest)
		k->biggest = n;
	if (k->fail)
		return err_set(errp, "磁盘已满（测试）。");
	buf_add(&k->out, p, n);
	return CX_OK;
}

/* Cells for the comparisons: long Hanzi runs with the punctuation of the
 * fast path, mixed text for text_wrap(), numbers, spaces, newlines. */
static void
stream_cell(struct buf *b, size_t col)
{
	static const char *hanzi[] = {
		"组织", "党员", "开展", "学习", "教育", "整改", "落实", "服务",
		"群众", "，", "。", "、", "；", "！", "？", "：", "龥", "丂",
		"（", "）", "（一）"
	};
	size_t n, i;

	buf_reset(b);
	buf_addstr(b, "");
	switch (col % 4) {
	case 0:
		buf_addf(b, "%u", rng() % 100000);
		break;
	case 1:
		n = rng() % 30;
		for (i = 0; i < n; i++)
			buf_addstr(b, hanzi[rng() % (sizeof hanzi /
			    sizeof hanzi[0])]);
		if (rng() % 5 == 0)
			buf_addstr(b, "   ");
		break;
	case 2:
		random_cell(b);
		break;
	default:
		random_cell(b);
		if (rng() % 3 == 0)
			buf_addstr(b, "\t（第一批）\r整改");
		break;
	}
}

/* The same random table rendered in memory by report_render() and
 * streamed from a source by report_write(): byte for byte the same. */
static void
test_stream_same(void)
{
	static const struct report_col cols[] = {
		{ "序号", 5, TEXT_RIGHT },
		{ "具体承诺事项", 31, TEXT_LEFT },
		{ "说明", 14, TEXT_CENTER },
		{ "金额", 9, TEXT_RIGHT },
		{ "完成情况", 12, TEXT_CENTER },
		{ "备注", 20, TEXT_LEFT }
	};
	static const size_t widths[] = { 80, 136, 97 };
	struct report_opts o;
	struct report *r1, *r2, *r3;
	struct rows R;
	struct report_source src = { rows_rewind, rows_next, &R };
	struct sink k;
	struct buf cell, plain, viasrc;
	const char *row[6];
	char *err = NULL;
	size_t round, i, j, same = 0, rounds = 18, pages = 0, bigrows = 0;
	int rc1, rc2, rc3;

	buf_init(&cell);
	for (round = 0; round < rounds; round++) {
		report_opts_init(&o);
		o.width = widths[round % 3];
		o.border = round % 2 ? REPORT_BORDER_BOX : REPORT_BORDER_ASCII;
		o.eol = round / 3 % 2 ? REPORT_EOL_CRLF : REPORT_EOL_LF;
		o.formfeed = round % 4 != 3;
		o.encoding = round / 2 % 3 == 0 ? REPORT_GB18030 :
		    round / 2 % 3 == 1 ? REPORT_UTF8 : REPORT_GBK;
		o.bom = round % 5 == 1;
		o.page_lines = 30 + rng() % 40;
		memset(&R, 0, sizeof R);
		R.ncols = 6;
		R.nrows = 100 + rng() % 300;
		R.cell = xcalloc(R.nrows * R.ncols, sizeof *R.cell);
		r1 = report_new(&o);
		r2 = report_new(&o);
		r3 = report_new(&o);
		for (j = 0; j < 3; j++) {
			struct report *r = j == 0 ? r1 : j == 1 ? r2 : r3;

			report_title(r, "承诺、践诺台账");
			report_header(r, "填报单位", "机关第一党支部");
			report_header(r, "填报日期", "2024年6月30日");
			report_paragraph(r, "说明：本表由程序随机生成。");
		}
		report_table_begin(r1, 6, cols);
		for (i = 0; i < R.nrows; i++) {
			for (j = 0; j < 6; j++) {
				stream_cell(&cell, j);
				/* No 𠀾 in GBK rounds: they must succeed. */
				if (o.encoding == REPORT_GBK &&
				    (strstr(cell.s, "𠀾") || strstr(cell.s,
				    "𡘙") || strstr(cell.s, "€"))) {
					buf_reset(&cell);
					buf_addstr(&cell, "党");
				}
				R.cell[i * 6 + j] = xstrdup(cell.s);
				row[j] = R.cell[i * 6 + j];
			}
			report_table_row(r1, row);
		}
		report_table_end(r1);
		report_table_source(r2, 6, cols, &src);
		report_table_source(r3, 6, cols, &src);
		for (j = 0; j < 3; j++) {
			struct report *r = j == 0 ? r1 : j == 1 ? r2 : r3;

			if (round % 3 == 1)
				report_page_break(r);
			report_paragraph(r, "共计若干条。");
			report_signature(r, "支部书记（签名）：____________");
			report_signature(r, "        年    月    日");
		}
		buf_init(&plain);
		buf_init(&viasrc);
		memset(&k, 0, sizeof k);
		buf_init(&k.out);
		rc1 = report_render(r1, &plain, &err);
		if (rc1 != CX_OK)
			printf("# %s\n", err);
		rc2 = report_write(r2, sink_fn, &k, &err);
		if (rc2 != CX_OK)
			printf("# %s\n", err);
		rc3 = report_render(r3, &viasrc, &err);
		if (rc1 == CX_OK && rc2 == CX_OK && rc3 == CX_OK &&
		    plain.len == k.out.len &&
		    memcmp(plain.s, k.out.s, plain.len) == 0 &&
		    viasrc.len == plain.len &&
		    memcmp(viasrc.s, plain.s, plain.len) == 0 &&
		    report_page_count(r1) == report_page_count(r2))
			same++;
		else
			printf("# round %zu differs (%zu and %zu bytes)\n",
			    round, plain.len, k.out.len);
		pages += report_page_count(r2);
		bigrows += R.nrows;
		free(err);
		err = NULL;
		buf_free(&plain);
		buf_free(&viasrc);
		buf_free(&k.out);
		report_free(r1);
		report_free(r2);
		report_free(r3);
		rows_free(&R);
	}
	buf_free(&cell);
	is_int(same, rounds, "streamed and in-memory reports are the same bytes "
	    "(%zu rounds, %zu rows, %zu pages; box, CRLF, GB18030, GBK)",
	    rounds, bigrows, pages);
}

static struct report *
stream_report(const struct report_opts *o, struct rows *R, size_t nrows,
    const char *special, size_t special_row)
{
	struct report_source src = { rows_rewind, rows_next, R };
	struct report *r;
	char num[32];
	size_t i;

	memset(R, 0, sizeof *R);
	R->ncols = 3;
	R->nrows = nrows;
	R->cell = xcalloc(nrows * 3, sizeof *R->cell);
	for (i = 0; i < nrows; i++) {
		snprintf(num, sizeof num, "%zu", i + 1);
		R->cell[i * 3] = xstrdup(num);
		R->cell[i * 3 + 1] = xstrdup(i + 1 == special_row ? special :
		    "李四");
		R->cell[i * 3 + 2] = xstrdup("1.00");
	}
	r = report_new(o);
	report_title(r, "名册");
	report_table_source(r, 3, dues_cols, &src);
	return r;
}

static void
test_stream_errors(void)
{
	struct report_opts o;
	struct report *r, *m;
	struct rows R, M;
	struct sink k;
	struct buf b;
	char *err = NULL, *err2 = NULL;
	FILE *fp;
	long flen;
	int rc;

	report_opts_init(&o);
	o.page_lines = 20;
	o.encoding = REPORT_GBK;

	/* 𠀾 on page 3, as in test_gb(): the same message, nothing
	 * written, and a third pass to find the page. */
	r = stream_report(&o, &R, 16, "王𠀾", 15);
	memset(&k, 0, sizeof k);
	ok(report_write(r, sink_fn, &k, &err) == CX_ERR,
	    "streaming GBK refuses a character it cannot encode");
	is_int(k.calls, 0, "and writes nothing");
	is_int(R.rewinds, 2, "the source was read for measuring and to find "
	    "the page");
	m = stream_report(&o, &M, 16, "王𠀾", 15);
	buf_init(&b);
	ok(report_render(m, &b, &err2) == CX_ERR && err != NULL &&
	    err2 != NULL && strcmp(err, err2) == 0 && strstr(err,
	    "以下字符无法用 GBK 打印：𠀾（第 3 页）") != NULL,
	    "the message is report_render()'s, naming 𠀾 and page 3");
	if (err != NULL)
		printf("# %s\n", err);
	free(err);
	free(err2);
	err = err2 = NULL;
	buf_free(&b);
	report_free(r);
	report_free(m);
	rows_free(&R);
	rows_free(&M);

	/* Two passes when all is well. */
	o.encoding = REPORT_GB18030;
	r = stream_report(&o, &R, 40, "李四", 0);
	memset(&k, 0, sizeof k);
	rc = report_write(r, sink_fn, &k, &err);
	ok(rc == CX_OK && report_page_count(r) == 7 && R.rewinds == 2,
	    "40 rows stream in two passes over the source, 7 pages (%zu)",
	    report_page_count(r));
	ok(k.out.len > 0 && strstr(k.out.s, "\xb5\xda 7 \xd2\xb3 \xb9\xb2 7 "
	    "\xd2\xb3") != NULL, "in GB18030, with 第 7 页 共 7 页");
	buf_free(&k.out);

	/* The sink's error stops the report. */
	memset(&k, 0, sizeof k);
	k.fail = true;
	ok(report_write(r, sink_fn, &k, &err) == CX_ERR && err != NULL &&
	    strstr(err, "磁盘已满") != NULL, "a sink error is passed on");
	free(err);
	err = NULL;

	/* A source error in the first pass: nothing written. */
	memset(&k, 0, sizeof k);
	R.fail_at = 30;
	R.rewinds = 0;
	ok(report_write(r, sink_fn, &k, &err) == CX_ERR && k.calls == 0 &&
	    err != NULL && strstr(err, "数据库读取失败") != NULL,
	    "a source error fails before anything is written");
	free(err);
	err = NULL;
	R.fail_at = 0;

	/* Rows that change between the passes are noticed. */
	memset(&k, 0, sizeof k);
	R.rewinds = 0;
	R.grow_after = 1;
	ok(report_write(r, sink_fn, &k, &err) == CX_ERR && err != NULL &&
	    strstr(err, "发生了变化") != NULL,
	    "a source that changes between passes fails");
	free(err);
	err = NULL;
	buf_free(&k.out);
	R.grow_after = 0;

	/* To a stdio stream. */
	fp = tmpfile();
	ok(fp != NULL && report_write_file(r, fp, &err) == CX_OK,
	    "report_write_file");
	buf_init(&b);
	ok(report_render(r, &b, &err) == CX_OK, "report_render of a source");
	flen = fp != NULL ? ftell(fp) : -1;
	if (fp != NULL && flen == (long)b.len) {
		char *got = xmalloc(b.len + 1);

		rewind(fp);
		ok(fread(got, 1, b.len, fp) == b.len &&
		    memcmp(got, b.s, b.len) == 0,
		    "the file holds report_render()'s bytes");
		free(got);
	} else
		ok(0, "the file holds report_render()'s bytes (%ld, %zu)",
		    flen, b.len);
	if (fp != NULL)
		fclose(fp);
	buf_free(&b);
	report_free(r);
	rows_free(&R);

	/* Invalid UTF-8 in a cell. */
	r = stream_report(&o, &R, 10, "坏\xff", 7);
	memset(&k, 0, sizeof k);
	ok(report_write(r, sink_fn, &k, &err) == CX_ERR && k.calls == 0 &&
	    err != NULL && strstr(err, "表格第 7 行") != NULL,
	    "invalid UTF-8 in a source cell names its row, nothing written");
	free(err);
	err = NULL;
	report_free(r);
	rows_free(&R);

	/* Many pages go out in pieces of about 64 KiB. */
	o.page_lines = 66;
	r = stream_report(&o, &R, 5000, "李四", 0);
	memset(&k, 0, sizeof k);
	rc = report_write(r, sink_fn, &k, &err);
	ok(rc == CX_OK && k.calls > 1 && k.biggest < 65536 + 16384,
	    "5000 rows: %zu bytes in %zu pieces, the biggest %zu",
	    k.out.len, k.calls, k.biggest);
	buf_free(&k.out);
	report_free(r);
	rows_free(&R);

	/* No table at all, in GB18030 and with a UTF-8 BOM. */
	for (rc = 0; rc < 2; rc++) {
		struct buf plain;
		char *e1 = NULL, *e2 = NULL;

		report_opts_init(&o);
		o.encoding = rc == 0 ? REPORT_GB18030 : REPORT_UTF8;
		o.bom = true;
		o.formfeed = false;
		r = report_new(&o);
		report_title(r, "说明");
		report_paragraph(r, "本周期无承诺事项。𠀾");
		buf_init(&plain);
		memset(&k, 0, sizeof k);
		ok(report_render(r, &plain, &e1) == CX_OK &&
		    report_write(r, sink_fn, &k, &e2) == CX_OK &&
		    plain.len == k.out.len &&
		    memcmp(plain.s, k.out.s, plain.len) == 0,
		    "a report without a table streams the same bytes (%s)",
		    rc == 0 ? "GB18030" : "UTF-8 with BOM");
		free(e1);
		free(e2);
		buf_free(&plain);
		buf_free(&k.out);
		report_free(r);
	}
	report_opts_init(&o);
	o.encoding = REPORT_GB18030;

	/* A source table without rows is its header. */
	r = stream_report(&o, &R, 0, "", 0);
	memset(&k, 0, sizeof k);
	ok(report_write(r, sink_fn, &k, &err) == CX_OK &&
	    strstr(k.out.s, "\xd0\xf2\xba\xc5") != NULL &&
	    report_page_count(r) == 1, "a source without rows: the header");
	buf_free(&k.out);
	report_free(r);
	rows_free(&R);
}

static void
test_edges(void)
{
	static const struct report_col wide[] = {
		{ "甲", 60, TEXT_LEFT }, { "乙", 60, TEXT_LEFT },
		{ "丙", 2, TEXT_LEFT }
	};
	struct report_col many[20];
	struct report_opts o;
	struct report *r;
	struct lines L;
	struct buf big;
	char *s, *err = NULL;
	const char *row[3];
	size_t len, i, over = 0;

	buf_init(&big);
	/* Shrunk proportionally: 1 + 3*3 = 10 of borders, 70 left;
	 * 60*70/124 = 33, 33, and 4 for the 2 raised to 4. */
	r = report_new(NULL);
	report_table_begin(r, 3, wide);
	row[0] = "a";
	row[1] = "b";
	row[2] = "c";
	report_table_row(r, row);
	report_table_end(r);
	s = render(r, &len, &err);
	ok(s != NULL && strstr(s, "+-----------------------------------+"
	    "-----------------------------------+------+\n") != NULL,
	    "too-wide columns shrink proportionally, never below 4");
	free(s);
	report_free(r);

	for (i = 0; i < 20; i++) {
		many[i].label = "列";
		many[i].width = 4;
		many[i].align = TEXT_LEFT;
	}
	r = report_new(NULL);
	report_table_begin(r, 20, many);
	report_table_end(r);
	ok(report_render(r, &big, &err) == CX_ERR && err != NULL &&
	    strstr(err, "排不下") != NULL, "too many columns is an error");
	free(err);
	err = NULL;
	report_free(r);

	/* A row taller than a page is split. */
	report_opts_init(&o);
	o.page_lines = 20;
	r = report_new(&o);
	report_table_begin(r, 3, dues_cols);
	buf_reset(&big);
	for (i = 0; i < 40; i++)
		buf_addf(&big, "第%zu行\n", i);
	row[0] = "1";
	row[1] = big.s;
	row[2] = "2";
	report_table_row(r, row);
	report_table_end(r);
	s = render(r, &len, &err);
	ok(s != NULL && report_page_count(r) == 4,
	    "a row taller than a page splits over pages");
	if (s != NULL) {
		lines_split(s, len, &L);
		for (i = 0; i < L.n; i++)
			if (text_width(L.v[i], TEXT_PRINT) > 80)
				over++;
		is_int(over, 0, "and stays within the width");
		ok(strstr(s, "第39行") != NULL, "nothing lost");
		lines_free(&L);
	}
	free(s);
	report_free(r);

	/* The same in box drawing: every page's piece is closed by └┴┘. */
	o.border = REPORT_BORDER_BOX;
	r = report_new(&o);
	report_table_begin(r, 3, dues_cols);
	report_table_row(r, row);
	report_table_end(r);
	s = render(r, &len, &err);
	ok(s != NULL && report_page_count(r) == 4 &&
	    count_str(s, "└") == 4 && count_str(s, "┌") == 4 &&
	    count_str(s, "├") == 4, "each piece of a split row is boxed");
	free(s);
	buf_free(&big);
	report_free(r);

	r = report_new(NULL);
	report_table_row(r, row);
	buf_reset(&big);
	ok(report_render(r, &big, &err) == CX_ERR && err != NULL &&
	    strstr(err, "程序错误") != NULL, "a row outside a table fails");
	free(err);
	err = NULL;
	report_free(r);

	r = report_new(NULL);
	report_paragraph(r, "a\xff");
	ok(report_render(r, &big, &err) == CX_ERR,
	    "invalid UTF-8 fails at render");
	free(err);
	err = NULL;
	report_free(r);

	report_opts_init(&o);
	o.width = 39;
	r = report_new(&o);
	report_paragraph(r, "x");
	buf_reset(&big);
	ok(report_render(r, &big, &err) == CX_ERR && big.len == 0,
	    "a page narrower than 40 columns is refused");
	free(err);
	err = NULL;
	report_free(r);

	r = report_new(NULL);
	report_paragraph(r, "制表符\t与换页\f都变成空格");
	s = render(r, &len, &err);
	ok(s != NULL && strstr(s, "制表符 与换页 都变成空格\n") != NULL,
	    "control characters become spaces");
	free(s);
	report_free(r);
	buf_free(&big);
}

int
main(void)
{
	test_ascii_exact();
	test_box();
	test_wrap();
	test_pages();
	test_crlf_bom();
	test_gb();
	test_random(80, REPORT_BORDER_ASCII);
	test_random(80, REPORT_BORDER_BOX);
	test_random(136, REPORT_BORDER_ASCII);
	test_random(136, REPORT_BORDER_BOX);
	test_edges();
	test_stream_same();
	test_stream_errors();
	return tap_done();
}
