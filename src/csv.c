/* csv.c: reading spreadsheets saved as CSV (see csv.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "csv.h"
#include "text.h"
#include "util.h"

/* Appends the finished field in cell to row. */
static void
csv_end_cell(struct csv_row *row, struct buf *cell, size_t *cap)
{
	row->cells = xgrow(row->cells, cap, row->ncells + 1,
	    sizeof *row->cells);
	row->cells[row->ncells++] = xstrndup(cell->s ? cell->s : "",
	    cell->len);
	cell->len = 0;
}

static void
csv_end_row(struct csv_table *t, struct csv_row *row)
{
	t->rows = xgrow(t->rows, &t->cap, t->n + 1, sizeof *t->rows);
	t->rows[t->n++] = *row;
	memset(row, 0, sizeof *row);
}

/* A small state machine over the bytes: at the start of a field, inside
 * an unquoted one, inside a quoted one, or just after its closing quote. */
int
csv_parse(const char *text, size_t len, struct csv_table *t, char **errp)
{
	enum { START, PLAIN, QUOTED, CLOSED } state = START;
	struct csv_row row;
	struct buf cell;
	size_t i, cap = 0;
	int line = 1, qline = 0;
	bool in_row = false;

	memset(t, 0, sizeof *t);
	memset(&row, 0, sizeof row);
	buf_init(&cell);
	for (i = 0; i < len; i++) {
		char ch = text[i];
		bool eol = ch == '\n' || ch == '\r';

		if (!in_row) {
			in_row = true;
			row.line = line;
			cap = 0;
		}
		if (state == QUOTED) {
			if (ch == '"' && i + 1 < len && text[i + 1] == '"') {
				buf_addc(&cell, '"');
				i++;
			} else if (ch == '"')
				state = CLOSED;
			else {
				if (ch == '\n' || (ch == '\r' && (i + 1 >= len ||
				    text[i + 1] != '\n')))
					line++;
				buf_addc(&cell, ch);
			}
			continue;
		}
		if (ch == ',') {
			csv_end_cell(&row, &cell, &cap);
			state = START;
		} else if (eol) {
			if (ch == '\r' && i + 1 < len && text[i + 1] == '\n')
				i++;
			csv_end_cell(&row, &cell, &cap);
			csv_end_row(t, &row);
			in_row = false;
			state = START;
			line++;
		} else if (state == CLOSED) {
			err_set(errp, "第 %d 行：引号括起的内容后面应是逗号或行尾，"
			    "却是“%c”。", line, ch >= 0x20 && ch < 0x7f ? ch :
			    '?');
			goto fail;
		} else if (ch == '"' && state == START) {
			state = QUOTED;
			qline = line;
		} else {
			buf_addc(&cell, ch);
			state = PLAIN;
		}
	}
	if (state == QUOTED) {
		err_set(errp, "第 %d 行：引号没有配对（从这里开始的引号到文件末尾"
		    "也没有结束）。", qline);
		goto fail;
	}
	if (in_row) {
		csv_end_cell(&row, &cell, &cap);
		csv_end_row(t, &row);
	}
	buf_free(&cell);
	return CX_OK;
fail:
	buf_free(&cell);
	strv_free(row.cells, row.ncells);
	csv_free(t);
	return CX_ERR;
}

void
csv_free(struct csv_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		strv_free(t->rows[i].cells, t->rows[i].ncells);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

int
csv_decode(const char *bytes, size_t len, char **out, size_t *outlen,
    const char **encoding, char **errp)
{
	struct buf b;
	char *err = NULL;

	if (memchr(bytes, '\0', len) != NULL)
		return err_set(errp, "文件里有空字节，不是文本文件（是不是把 .xlsx "
		    "表格直接拿来了？请在表格软件里另存为 CSV）。");
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0) {
		if (!text_utf8_valid(bytes + 3, len - 3))
			return err_set(errp, "文件开头标明是 UTF-8，但第 %zu 个字节"
			    "起不是有效的 UTF-8。", text_utf8_invalid(bytes + 3,
			    len - 3) + 4);
		*out = xstrndup(bytes + 3, len - 3);
		*outlen = len - 3;
		if (encoding != NULL)
			*encoding = "UTF-8 BOM";
		return CX_OK;
	}
	if (text_utf8_valid(bytes, len)) {
		*out = xstrndup(bytes, len);
		*outlen = len;
		if (encoding != NULL)
			*encoding = "UTF-8";
		return CX_OK;
	}
	buf_init(&b);
	if (conv_convert("UTF-8", "GB18030", bytes, len, "?", &b, NULL,
	    &err) != CX_OK) {
		buf_free(&b);
		free(err);
		return err_set(errp, "文件既不是 UTF-8 也不是 GB18030（GBK）编码的"
		    "文字，读不出来。请在表格软件里另存为“CSV UTF-8（逗号分隔）”"
		    "再导入。");
	}
	*outlen = b.len;
	*out = b.s != NULL ? buf_take(&b) : xstrdup("");
	if (encoding != NULL)
		*encoding = "GB18030";
	return CX_OK;
}
