/* test_csv.c: the CSV reader, encoding detection and heading matching
 * of spreadsheet imports (csv.h, csvimport.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csvimport.h"
#include "formdef.h"
#include "tap.h"

/* The cells of t as "a|b/c|d" (rows by "/", cells by "|"), each row
 * prefixed with its line number: "1:a|b/3:c". */
static char *
flat(const struct csv_table *t)
{
	struct buf b;
	size_t i, j;

	buf_init(&b);
	for (i = 0; i < t->n; i++) {
		buf_addf(&b, "%s%d:", i ? "/" : "", t->rows[i].line);
		for (j = 0; j < t->rows[i].ncells; j++)
			buf_addf(&b, "%s%s", j ? "|" : "", t->rows[i].cells[j]);
	}
	return b.s != NULL ? buf_take(&b) : xstrdup("");
}

static void
check_parse(const char *in, const char *want, const char *what)
{
	struct csv_table t;
	char *err = NULL, *got;

	if (csv_parse(in, strlen(in), &t, &err) != CX_OK) {
		got = xasprintf("ERR:%s", err);
		free(err);
	} else {
		got = flat(&t);
		csv_free(&t);
	}
	is_str(got, want, "parse: %s", what);
	free(got);
}

static void
test_parse(void)
{
	check_parse("", "", "empty input: no rows");
	check_parse("a,b,c\n", "1:a|b|c", "one row, final LF adds nothing");
	check_parse("a,b\r\nc,d\r\n", "1:a|b/2:c|d", "CRLF");
	check_parse("a,b\nc,d", "1:a|b/2:c|d", "no final line break");
	check_parse("a\rb\r", "1:a/2:b", "lone CR ends a record");
	check_parse("a,,\n", "1:a||", "empty cells kept");
	check_parse("a\n\nb\n", "1:a/2:/3:b", "an empty line is a record");
	check_parse("\"x,y\",z\n", "1:x,y|z", "comma inside quotes");
	check_parse("\"say \"\"hi\"\"\"\n", "1:say \"hi\"", "doubled quotes");
	check_parse("\"two\r\nlines\",b\r\nc\r\n", "1:two\r\nlines|b/3:c",
	    "a line break inside quotes counts a line");
	check_parse("\"\",x\n", "1:|x", "empty quoted cell");
	check_parse("ab\"c\n", "1:ab\"c", "a quote inside an unquoted cell");
	check_parse("张三,男\n", "1:张三|男", "UTF-8 passes through");
	check_parse("a\n\"x\"y\n", "ERR:第 2 行：引号括起的内容后面应是逗号或"
	    "行尾，却是“y”。", "text after a closing quote");
	check_parse("a\n\"open\nb\n", "ERR:第 2 行：引号没有配对（从这里开始的"
	    "引号到文件末尾也没有结束）。", "a quote that never closes");
}

static void
check_decode(const char *in, size_t len, const char *want,
    const char *want_enc, const char *what)
{
	const char *enc = NULL;
	char *out = NULL, *err = NULL;
	size_t n = 0;

	if (csv_decode(in, len, &out, &n, &enc, &err) != CX_OK) {
		ok(want == NULL, "decode: %s: refused", what);
		if (want == NULL)
			ok(err != NULL && strstr(err, want_enc) != NULL,
			    "decode: %s: message", what);
		free(err);
		return;
	}
	is_str(out, want, "decode: %s", what);
	is_str(enc, want_enc, "decode: %s: encoding", what);
	is_int(n, strlen(want), "decode: %s: length", what);
	free(out);
}

static void
test_decode(void)
{
	check_decode("姓名,性别\n", strlen("姓名,性别\n"), "姓名,性别\n",
	    "UTF-8", "UTF-8");
	check_decode("\xef\xbb\xbf姓名\n", strlen("\xef\xbb\xbf姓名\n"),
	    "姓名\n", "UTF-8 BOM", "BOM dropped");
	/* 张三 in GB18030 is D5C5 C8FD: not valid UTF-8. */
	check_decode("\xd5\xc5\xc8\xfd,1\n", 7, "张三,1\n", "GB18030",
	    "GB18030");
	check_decode("\x81\x30\x81", 3, NULL, "既不是 UTF-8 也不是 GB18030",
	    "a truncated GB18030 sequence");
	check_decode("\xef\xbb\xbf\xd5\xc5", 5, NULL, "不是有效的 UTF-8",
	    "a BOM before GB18030 bytes");
	check_decode("a\0b", 3, NULL, "空字节", "NUL bytes");
}

static const char member_form[] =
    "form member\nlabel 党员\ntitle name\n"
    "field name\n  label 姓名\n  alias 名字\n  type text 20\n  required\n"
    "field post\n  label 职务/岗位\n  alias 职务 岗位 职务岗位\n"
    "  type text 30\n"
    "field score\n  label 得分\n  type int 0 100\n  compute 1 + 1\n"
    "field note\n  label 备注\n  type longtext\n";

static void
check_match(const struct form *f, const char *heading, const char *want,
    bool want_importable)
{
	bool imp = !want_importable;
	const struct form_field *ff = csvimport_match(f, heading, &imp);

	is_str(ff ? ff->id : NULL, want, "heading “%s”", heading);
	if (want != NULL)
		ok(imp == want_importable, "heading “%s”: importable %d",
		    heading, want_importable);
}

static void
test_match(void)
{
	struct form *f = NULL;
	char *err = NULL, *s;

	ok(form_parse("m.form", member_form, strlen(member_form), &f,
	    &err) == CX_OK, "form with aliases parses");
	if (f == NULL) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_int(f->fields[1].naliases, 3, "three aliases kept");
	is_str(f->fields[1].aliases[2], "职务岗位", "in order");
	check_match(f, "姓名", "name", true);
	check_match(f, "名字", "name", true);
	check_match(f, " 姓名 ", "name", true);
	check_match(f, "　姓名＊", "name", true);
	check_match(f, "姓名*", "name", true);
	check_match(f, "NAME", "name", true);
	check_match(f, "name", "name", true);
	check_match(f, "职务/岗位", "post", true);
	check_match(f, "岗位", "post", true);
	check_match(f, "职务岗位", "post", true);
	check_match(f, "得分", "score", false);
	check_match(f, "姓 名", NULL, false);
	check_match(f, "", NULL, false);
	s = csvimport_headings(f);
	is_str(s, "姓名（或 名字）、职务/岗位（或 职务 岗位 职务岗位）、备注",
	    "accepted headings, computed ones left out");
	free(s);
	form_free(f);
}

int
main(void)
{
	test_parse();
	test_decode();
	test_match();
	return tap_done();
}
