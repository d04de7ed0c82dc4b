/* csv.h: a strict reader of comma-separated values (RFC 4180).
 *
 * What Excel, WPS and LibreOffice write when a sheet is saved as CSV:
 * fields separated by commas, records by CR LF or LF (a lone CR also
 * ends a record); a field that starts with a double quote runs to the
 * next lone double quote, may hold commas and line breaks, and writes
 * a double quote as two.  A quote inside an unquoted field is kept as
 * it is.  Refused, with the line where it happens: text after a closing
 * quote other than a comma or the end of the line, and a quoted field
 * that never closes.
 *
 * The reader works on text already decoded to UTF-8 (csv_decode does
 * that): it never looks inside multi-byte characters, since commas,
 * quotes, CR and LF are single bytes in UTF-8.
 *
 * Why not Debian's libcsv: the whole reader is one small state machine,
 * while the library would be one more run-time package that an offline
 * install has to carry along (not checked: whether Kylin/UOS bases ship
 * it), and it reports neither
 * the line a record starts on nor a quote that never closes in the words
 * this program needs for 文件:行号：问题. */
#ifndef CXZY_CSV_H
#define CXZY_CSV_H

#include <stddef.h>

/* One record: its fields as written (quotes removed, nothing trimmed)
 * and the line of the file it starts on (1 = the first line). */
struct csv_row {
	char	**cells;
	size_t	  ncells;
	int	  line;
};

struct csv_table {
	struct csv_row	*rows;
	size_t		 n, cap;
};

/* Reads len bytes of UTF-8 text into t (zeroed first).  A final line
 * break adds no empty record; a line with nothing on it is a record of
 * one empty field.  CX_OK, or CX_ERR with "第 N 行：…" in *errp (t is
 * then empty). */
int csv_parse(const char *text, size_t len, struct csv_table *t,
    char **errp);
void csv_free(struct csv_table *t);

/* Turns the bytes of a spreadsheet's CSV file into UTF-8: a UTF-8 byte
 * order mark is dropped ("UTF-8 BOM"), text that is valid UTF-8 stays
 * ("UTF-8"), anything else is read as GB18030 ("GB18030", which
 * includes GBK and GB2312, what Chinese Excel writes).  *encoding (when
 * not NULL) names what was found.  CX_ERR when the bytes are neither. */
int csv_decode(const char *bytes, size_t len, char **out, size_t *outlen,
    const char **encoding, char **errp);

#endif
