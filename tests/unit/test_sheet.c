/* test_sheet.c: the "sheet" block of a form file (docs/forms.md §18):
 * what the form parser keeps, and what sheet_parse() accepts and
 * refuses, with the line it names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "sheet.h"
#include "tap.h"

#define HEAD \
	"form t\n"			/* 1 */ \
	"label 测试\n"			/* 2 */ \
	"field name\n"			/* 3 */ \
	"  label 名称\n"		/* 4 */ \
	"  type text 20\n"		/* 5 */ \
	"field day\n"			/* 6 */ \
	"  label 日期\n"		/* 7 */ \
	"  type date\n"			/* 8 */ \
	"field ok\n"			/* 9 */ \
	"  label 结果\n"		/* 10 */ \
	"  type enum\n"			/* 11 */ \
	"  option y 同意\n"		/* 12 */ \
	"  option n 不同意\n"		/* 13 */ \
	"field items\n"			/* 14 */ \
	"  label 事项\n"		/* 15 */ \
	"  type rows\n"			/* 16 */ \
	"  field what\n"		/* 17 */ \
	"    label 内容\n"		/* 18 */ \
	"    type text 50\n"		/* 19 */ \
	"  end\n"			/* 20 */

static struct form *
parse(const char *text, char **err)
{
	struct form *f = NULL;

	*err = NULL;
	if (form_parse("t.form", text, strlen(text), &f, err) != CX_OK)
		return NULL;
	return f;
}

/* The message sheet_parse() gives for a sheet body ("" when it
 * parses). */
static char *
sheet_error(const char *body)
{
	char *text = NULL, *err = NULL;
	struct form *f;
	struct sheet *sh = NULL;

	text = malloc(strlen(HEAD) + strlen(body) + 32);
	strcpy(text, HEAD);
	strcat(text, "sheet\n");	/* line 21 */
	strcat(text, body);
	strcat(text, "end\n");
	f = parse(text, &err);
	free(text);
	if (f == NULL)
		return err;
	if (sheet_parse(f, &sh, &err) == CX_OK) {
		sheet_free(sh);
		form_free(f);
		return strdup("");
	}
	form_free(f);
	return err;
}

static void
expect_error(const char *body, const char *want, const char *what)
{
	char *err = sheet_error(body);

	is_str(err, want, "%s", what);
	free(err);
}

int
main(void)
{
	struct form *f;
	char *err = NULL;

	/* The parser keeps the lines between "sheet" and "end". */
	f = parse(HEAD "sheet\n  title {name}\n  # note\n  end\n", &err);
	ok(f != NULL, "a form with a sheet parses");
	if (f != NULL) {
		is_int(f->sheet_line, 21, "sheet_line is the line of \"sheet\"");
		is_str(f->sheet, "  title {name}\n  # note\n",
		    "the block is kept as written");
		is_int(f->nfields, 4, "the fields are all there");
		form_free(f);
	}
	f = parse(HEAD, &err);
	ok(f != NULL && f->sheet == NULL && f->sheet_line == 0,
	    "no sheet: nothing kept");
	form_free(f);
	f = parse(HEAD "sheet\n  title x\n", &err);
	is_str(err, "t.form:21: 打印版式“sheet”缺少“end”。", "sheet without end");
	free(err);
	form_free(f);
	f = parse(HEAD "sheet\n  title x\nend\nsheet\nend\n", &err);
	is_str(err, "t.form:24: “sheet”重复（第 21 行已写过）。", "two sheets");
	free(err);
	form_free(f);
	f = parse(HEAD "sheet portrait\nend\n", &err);
	is_str(err, "t.form:21: “sheet”后面不应有内容，打印版式写在“sheet”与“end”"
	    "之间的各行里。", "sheet with arguments");
	free(err);
	form_free(f);

	/* What sheet_parse() accepts. */
	expect_error("  about 说明\n  width 136\n  sort day name\n"
	    "  title 标题{name}\n  header 日期 {day:date}\n"
	    "  para 　　{name}\\n第二行\n  center 回　执\n  right 编号：{name}\n"
	    "  table items # what:30=事项内容\n  list items what\n"
	    "  box 意见 {ok:check}\\n{name:line}\n  sign 签名：\n"
	    "  signright {_today}\n  cut 沿此线剪开\n  page\n"
	    "  if items table items # what\n", "", "every keyword");
	expect_error("  per name\n  table records # name day=日期:10\n", "",
	    "records in a per sheet");

	/* What it refuses, and where. */
	expect_error("  title x\n  heading y\n",
	    "t.form:23: 打印版式：未知的关键字“heading”。可用：about、width、per、"
	    "sort、if、title、header、para、center、right、table、list、box、"
	    "sign、signright、cut、page。", "unknown keyword");
	expect_error("  para {nmae}\n",
	    "t.form:22: 打印版式：字段“nmae”不存在（写在“{nmae}”里）。",
	    "unknown field in a text");
	expect_error("  para {name:bold}\n",
	    "t.form:22: 打印版式：不认识的格式“bold”，可用：date（日期写成"
	    "“2026年7月5日”，未填时留出“年 月 日”）、check（列出选项并勾选）、"
	    "line（未填时留出横线）。", "unknown format");
	expect_error("  para {name:date}\n",
	    "t.form:22: 打印版式：“{name:date}”只能用在日期字段上。",
	    "date format on text");
	expect_error("  para {day:check}\n",
	    "t.form:22: 打印版式：“{day:check}”只能用在单选、多选或是否字段上。",
	    "check format on a date");
	expect_error("  para {name\n",
	    "t.form:22: 打印版式：“{”没有配对的“}”。", "unclosed brace");
	expect_error("  table name # name\n",
	    "t.form:22: 打印版式：“name”不是多行表格。", "table of a non-rows field");
	expect_error("  table items # wat\n",
	    "t.form:22: 打印版式：多行表格“items”没有字段“wat”。",
	    "unknown column");
	expect_error("  table records # name\n",
	    "t.form:22: 打印版式：“records”只能用在写了“per”的版式里（一页列出一组"
	    "记录）。", "records without per");
	expect_error("  table items\n",
	    "t.form:22: 打印版式：“table”后面应写多行表格名和至少一列，例如“table "
	    "items # content”。", "table without columns");
	expect_error("  table items what:1\n",
	    "t.form:22: 打印版式：列“what:1”的宽度应是 2 到 200 之间的列数。",
	    "column too narrow");
	expect_error("  table items what+name|day\n",
	    "t.form:22: 打印版式：列“what+name|day”里“+”和“|”不能混用。",
	    "+ and | mixed");
	expect_error("  title x\n  per name\n",
	    "t.form:23: 打印版式：“per”要写在版式的最前面。", "per after items");
	expect_error("  width 30\n",
	    "t.form:22: 打印版式：纸宽应是 40 到 1000 之间的列数（常用 80 或 136），"
	    "现为“30”。", "width too small");
	expect_error("  width 80\n  width 136\n",
	    "t.form:23: 打印版式：“width”重复（第 22 行已写过）。", "width twice");
	expect_error("  sort items\n",
	    "t.form:22: 打印版式：“sort”不能按“items”（多行表格或计算字段）排列或"
	    "分组。", "sort by rows");
	expect_error("  if nothing para x\n",
	    "t.form:22: 打印版式：字段“nothing”不存在。", "if with unknown field");
	expect_error("  header {name} x\n",
	    "t.form:22: 打印版式：标签“{name}”里不能引用字段。", "field in a label");
	expect_error("  page 2\n", "t.form:22: 打印版式：“page”后面不应有内容。",
	    "page with argument");
	expect_error("  # only a comment\n",
	    "t.form:21: 打印版式：“sheet”与“end”之间没有任何内容。", "empty sheet");
	return tap_done();
}
