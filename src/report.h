/* report.h: laying out and encoding printed reports.
 *
 * A report is built in memory as a sequence of blocks (title lines, a
 * key/value header grid, tables, paragraphs, signature lines), then
 * rendered to the bytes a printer or an editor receives.  All widths are
 * print columns (TEXT_PRINT: ASCII 1, every other character 2).
 *
 * Page layout.  Every page is page_lines - 1 lines followed by a page
 * separator: a form feed (FF) when formfeed is set, else one empty line
 * (no separator after the last page).  Keeping the page one line short of
 * the form length means the FF always arrives while the printer is still
 * on the page, so it never ejects an extra blank sheet.  A page is:
 *
 *   title lines (centred, wrapped), the header grid, an empty line   (page
 *   body: table segments, paragraph lines, signature lines      header,
 *   padding with empty lines                                     repeated)
 *   an empty line and the footer "第 N 页 共 M 页" (centred)
 *
 * The page header repeats on every page, and so does a table's header
 * when the table continues onto a new page.  A table row is never split
 * across pages unless it is taller than a whole page.  Layout runs in two
 * passes: pagination, then rendering (which knows the page count M).
 *
 * Tables.  Each cell is wrapped to its column width by text_wrap()
 * (Chinese line-breaking rules) and padded with ASCII spaces; rows are
 * separated by rules.  With ASCII borders a line is
 *   "|" + for each column " " cell " |"      width 1 + sum(w + 3)
 * and with GB2312 box drawing (each box character is 2 columns on paper)
 *   "│" + for each column cell "│"           width 2 + sum(w + 2)
 * where in box mode every column width is even (odd widths are rounded up),
 * so every box character starts at an even column and nothing mixes.
 * Column widths below 4 are raised to 4.  When the table does not fit the
 * page width, the content widths are shrunk proportionally,
 *   w' = max(4, floor(w * avail / sum(w)))   (box mode: rounded down to even)
 * where avail is the page width less the borders; the columns left over
 * by rounding down go back, one unit (2 columns in box mode) at a time, to
 * the column that lost the most, so a shrunk table fills the page width
 * exactly.  If the minimum of 4 still leaves it too wide, the widest
 * columns lose one unit at a time; if every column is at 4 and the table
 * still does not fit, rendering fails.
 *
 * Output lines have no trailing spaces and no line is wider than the page
 * width (the renderer checks it).  Control characters in the text
 * (tabs, CR, FF...) become spaces; "\n" forces a line break in cells and
 * paragraphs.
 *
 * Streaming.  A table's rows may come from a row source instead of
 * report_table_row(), and report_write() hands the bytes to a sink as the
 * pages are made.  The report then holds one row, one page and at most
 * 64 KiB waiting for the sink, whatever the number of rows: a
 * 1,000,000-row ledger prints in the memory of a one-page one.  The rows
 * are read in passes: the first measures each row's height to count the
 * pages (the footer needs M) and checks that every character can be
 * encoded; the second writes the pages.
 * When a character cannot be encoded, a third pass finds the pages to
 * name in the message; nothing has been written by then.  The output is
 * byte for byte the output report_render() gives for the same rows.
 */
#ifndef CXZY_REPORT_H
#define CXZY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "text.h"
#include "util.h"

enum report_border {
	REPORT_BORDER_ASCII,	/* + - |, the default */
	REPORT_BORDER_BOX	/* GB2312 ┌─┬┐│├┼┤└┴┘ in 2-column units */
};

enum report_encoding {
	REPORT_UTF8,
	REPORT_GB18030,
	REPORT_GBK
};

enum report_eol {
	REPORT_EOL_LF,
	REPORT_EOL_CRLF
};

struct report_opts {
	size_t			width;		/* columns, >= 40; 0 means 80 */
	size_t			page_lines;	/* form length; 0 means 66 */
	enum report_border	border;
	enum report_encoding	encoding;
	bool			bom;		/* UTF-8 only; ignored for GB */
	enum report_eol		eol;
	bool			formfeed;	/* FF between pages */
};

/* A table column: a header label, a width in print columns and the
 * alignment of its cells (numbers: TEXT_RIGHT).  Header labels are
 * always centred. */
struct report_col {
	const char		*label;
	size_t			 width;
	enum text_align		 align;
};

struct report;

/* Fills opts with the defaults: 80 columns, 66 lines, ASCII borders,
 * UTF-8 without a BOM, LF line ends, FF between pages. */
void report_opts_init(struct report_opts *opts);

/* Returns a new, empty report using a copy of opts (NULL: defaults).
 * Options are checked by report_render(). */
struct report *report_new(const struct report_opts *opts);
void report_free(struct report *r);

/* The building functions copy their arguments.  They never fail at once:
 * a misuse (a row outside a table, invalid UTF-8, ...) is remembered and
 * makes report_render() fail with its message. */

/* Adds a title line to the page header (centred, on every page). */
void report_title(struct report *r, const char *text);
/* Adds "label：value" to the header grid under the titles (two entries
 * to a line when they fit in half the width each). */
void report_header(struct report *r, const char *label, const char *value);
/* Starts a table of ncols columns (copied).  Rows follow, then
 * report_table_end(). */
void report_table_begin(struct report *r, size_t ncols,
    const struct report_col *cols);
/* Adds a row of ncols cells (NULL cells are empty). */
void report_table_row(struct report *r, const char *const *cells);
void report_table_end(struct report *r);
/* Where a streamed table's rows come from.  The source is read once for
 * each pass of report_render() or report_write() (two, or three when GBK
 * refuses a character), and must give the same rows every time: rewind()
 * goes back before the first row and is called before each pass (it may
 * be NULL when next() starts over by itself after the last row); next()
 * stores the next row's ncols cells in cells[0..ncols) (a NULL cell, or
 * one left unset, is empty) and returns CX_OK, or CX_NOTFOUND after the
 * last row, or CX_ERR with a message in *errp, which stops the report.
 * The cells must stay valid until the following call. */
struct report_source {
	int	(*rewind)(void *arg, char **errp);
	int	(*next)(void *arg, const char **cells, char **errp);
	void	*arg;
};

/* Adds a whole table of ncols columns (copied) whose rows come from src
 * (copied; src->arg must live until the report is rendered).  Cells are
 * cleaned like report_table_row()'s; a cell that is not valid UTF-8 makes
 * the report fail. */
void report_table_source(struct report *r, size_t ncols,
    const struct report_col *cols, const struct report_source *src);

/* Adds a paragraph wrapped to the page width; its lines may fall on
 * different pages. */
void report_paragraph(struct report *r, const char *text);
/* Adds a signature line, e.g. "书记（签名）：____________    年    月    日".
 * A run of signature lines is preceded by an empty line; a signature
 * line is never split across pages. */
void report_signature(struct report *r, const char *text);

/* Starts a new page (nothing when the page is still empty): the next
 * block goes to the top of the body of a fresh page. */
void report_page_break(struct report *r);

/* Lays the report out and appends its bytes to out: the BOM when asked
 * (UTF-8 only), lines ended by LF or CRLF, pages separated as described
 * above, converted to the output encoding.  For GBK every character is
 * checked first, and characters GBK cannot encode make it fail with
 * "以下字符无法用 GBK 打印：𠀾（第 3 页）"; GB18030 output fails the same
 * way only if the local iconv cannot encode a character.  Returns CX_OK,
 * or CX_ERR with a message in *errp and out unchanged.  May be called
 * more than once. */
int report_render(struct report *r, struct buf *out, char **errp);

/* A sink for report_write(): takes n bytes; returns CX_OK, or CX_ERR
 * with a message in *errp, which stops the report. */
typedef int (*report_write_fn)(void *arg, const char *p, size_t n,
    char **errp);

/* Lays the report out and writes the bytes report_render() would give
 * to fn, in pieces of 64 KiB or a little more (the last one smaller).
 * Everything that makes a report fail (a misuse, a layout that does not
 * fit, invalid UTF-8 in a cell, a character the encoding cannot take, a
 * source error in the first pass) fails before the first byte is
 * written.  Once writing has started it
 * can still fail on an error of the sink or the source, or when the
 * source gives other rows than in the first pass ("报表数据在排版期间发生了
 * 变化"); what was written is then incomplete and should be discarded.
 * Returns CX_OK or CX_ERR with a message in *errp. */
int report_write(struct report *r, report_write_fn fn, void *arg,
    char **errp);

/* report_write() to a stdio stream (not flushed or closed). */
int report_write_file(struct report *r, FILE *fp, char **errp);

/* Numbers the pages as part of a longer document: the footer of page N
 * reads "第 before+N 页 共 total 页" (total 0: the report's own count).
 * Layout does not change: the footer is one centred line either way. */
void report_number_pages(struct report *r, size_t before, size_t total);

/* The number of pages of the last successful report_render() or
 * report_write(). */
size_t report_page_count(const struct report *r);

#endif
