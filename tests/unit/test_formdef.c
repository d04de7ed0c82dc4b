/* test_formdef.c: the form file parser, input normalisation, validation,
 * defaults and display. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "record.h"
#include "util.h"
#include "tap.h"

#define TEN "一二三四五六七八九十"

static const char *testdata;

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *
data_path(const char *rel)
{
	return xasprintf("%s/%s", testdata, rel);
}

/* Parses text that should fail; returns the message (caller frees). */
static char *
parse_err(const char *text)
{
	struct form *f = NULL;
	char *err = NULL;

	if (form_parse("t.form", text, strlen(text), &f, &err) == CX_OK) {
		form_free(f);
		return xstrdup("(parsed)");
	}
	ok(f == NULL, "no form on error");
	return err != NULL ? err : xstrdup("(no message)");
}

static void
check_parse_err(const char *text, const char *want, const char *what)
{
	char *got = parse_err(text);

	is_str(got, want, "parse error: %s", what);
	free(got);
}

/* Normalises input for one field; returns the value or "ERR:" + message. */
static char *
input(const struct form_field *f, const char *in)
{
	char *out = NULL, *err = NULL, *s;

	if (form_input_value(f, in, &out, &err) != CX_OK) {
		s = xasprintf("ERR:%s", err != NULL ? err : "(no message)");
		free(err);
		ok(out == NULL, "no value on error");
		return s;
	}
	ok(err == NULL, "no message on success");
	return out;
}

static void
check_input(const struct form_field *f, const char *in, const char *want)
{
	char *got = input(f, in);

	is_str(got, want, "%s: input \"%s\"", f->id, in);
	free(got);
}

/* ------------------------------------------------------------------ */

static void
test_type_names(void)
{
	static const char *want[] = { "文本", "长文本", "日期", "年月", "整数",
	    "单选", "多选", "是否", "引用", "多行表格" };
	int t;

	for (t = FT_TEXT; t <= FT_ROWS; t++)
		is_str(form_type_name((enum field_type)t), want[t],
		    "type name %d", t);
}

static void
test_parse_good(const struct form *f)
{
	const struct form_field *fl, *sub;
	const struct form_option *o;

	is_str(f->kind, "pledge", "kind");
	is_str(f->label, "党员公开承诺书", "form label");
	is_int(f->version, 3, "version");
	is_str(f->title, "name", "title");
	is_int(f->order, 30, "order");
	ok(strstr(f->path, "set/pledge.form") != NULL, "path kept");
	is_int(f->nfields, 13, "field count");
	is_str(f->fields[0].id, "name", "first field");
	is_str(f->fields[12].id, "remark", "last field");

	fl = form_field_find(f, "name");
	ok(fl != NULL, "name found");
	is_str(fl->label, "姓名", "name label");
	is_int(fl->type, FT_TEXT, "name type");
	is_int(fl->maxlen, 20, "name maxlen");
	ok(fl->required && fl->unique && fl->index, "name flags");
	is_int(fl->list_width, 10, "name list width");
	is_int(fl->print_width, 12, "name print width");
	is_str(fl->help, "承诺人的姓名。", "name help");
	ok(fl->def == NULL, "name no default");
	is_int(fl->line, 9, "name line");

	fl = form_field_find(f, "gender");
	is_int(fl->type, FT_ENUM, "gender type");
	is_int(fl->nopts, 2, "gender options");
	is_str(fl->opts[1].code, "f", "option code");
	is_str(fl->opts[1].label, "女", "option label");
	is_str(fl->def, "f", "enum default stored as its code");
	ok(!fl->required && !fl->index && !fl->unique, "gender flags");
	is_int(fl->list_width, 0, "list width defaults to 0");
	ok(fl->help == NULL, "no help");
	o = form_option_find(fl, "m");
	ok(o != NULL && strcmp(o->label, "男") == 0, "option by code");
	o = form_option_find(fl, "女");
	ok(o != NULL && strcmp(o->code, "f") == 0, "option by label");
	ok(form_option_find(fl, "x") == NULL, "no such option");

	fl = form_field_find(f, "year");
	is_int(fl->type, FT_INT, "year type");
	is_int(fl->min, 2000, "year min");
	is_int(fl->max, 2099, "year max");
	ok(fl->required && fl->index && !fl->unique, "year flags");

	fl = form_field_find(f, "signed_on");
	is_int(fl->type, FT_DATE, "date type");
	is_str(fl->def, "today", "today default");
	is_int(form_field_find(f, "birth")->type, FT_MONTH, "month type");

	fl = form_field_find(f, "channels");
	is_int(fl->type, FT_MULTIENUM, "multienum type");
	is_int(fl->nopts, 5, "multienum options");
	is_str(fl->opts[4].code, "other", "bare option code");
	is_str(fl->opts[4].label, "other", "label defaults to code");

	fl = form_field_find(f, "oral");
	is_int(fl->type, FT_BOOL, "bool type");
	is_str(fl->def, "0", "bool default canonical");

	fl = form_field_find(f, "branch_id");
	is_int(fl->type, FT_REF, "ref type");
	is_str(fl->ref_kind, "org", "ref kind");
	is_str(fl->where_field, "type", "where field");
	is_int(fl->nwhere, 2, "where codes");
	is_str(fl->where_values[1], "direct_group", "where code");

	is_int(form_field_find(f, "preamble")->maxlen, 2000,
	    "longtext default max");
	is_int(form_field_find(f, "note")->maxlen, 50, "longtext max");

	fl = form_field_find(f, "items");
	is_int(fl->type, FT_ROWS, "rows type");
	is_int(fl->min_rows, 1, "min rows");
	is_int(fl->max_rows, 5, "max rows");
	is_int(fl->print_width, 0, "rows print width");
	is_int(fl->nsub, 3, "sub-field count");
	sub = form_subfield_find(fl, "content");
	ok(sub != NULL, "sub-field found");
	is_str(sub->label, "内容", "sub-field label");
	is_int(sub->maxlen, 200, "sub-field max");
	ok(sub->required, "sub-field required");
	is_int(sub->print_width, 40, "sub-field print width");
	is_int(sub->line, 83, "sub-field line");
	sub = form_subfield_find(fl, "kind");
	is_int(sub->nopts, 2, "sub-field options");
	ok(form_subfield_find(fl, "name") == NULL, "sub-fields are separate");
	ok(form_field_find(f, "content") == NULL, "sub-field not top level");
	is_str(f->fields[12].label, "审核意见", "field after end");
	ok(form_field_find(f, NULL) == NULL, "NULL id");
}

static void
test_parse_defaults(void)
{
	const char *text =
	    "\xef\xbb\xbf# BOM, CRLF, blank lines and indentation\r\n"
	    "form t\r\n"
	    "\r\n"
	    "\t label 测试\r\n"
	    "field a\r\n"
	    "  label A #1\r\n"
	    "  type rows\r\n"
	    "  field b\r\n"
	    "    label B\r\n"
	    "    type bool\r\n"
	    "  end\r\n";
	struct form *f = NULL;
	char *err = NULL;

	ok(form_parse("t.form", text, strlen(text), &f, &err) == CX_OK,
	    "BOM and CRLF accepted");
	is_str(err, NULL, "no message");
	free(err);
	if (f == NULL)
		return;
	is_int(f->version, 1, "version defaults to 1");
	is_int(f->order, 100, "order defaults to 100");
	ok(f->title == NULL, "no title");
	is_str(f->label, "测试", "label trimmed");
	is_str(f->fields[0].label, "A #1", "# inside a line is text");
	is_int(f->fields[0].min_rows, 0, "rows min defaults to 0");
	is_int(f->fields[0].max_rows, 0, "rows max defaults to 0");
	is_int(f->fields[0].sub[0].line, 8, "line numbers count CRLF lines");
	form_free(f);
}

#define HDR "form t\nlabel 测试\n"

static void
test_parse_errors(void)
{
	char *got;

	check_parse_err(HDR "field a\n  label A\n  type text 5\n  foo bar\n",
	    "t.form:6: 未知的属性“foo”。", "unknown keyword");
	check_parse_err(HDR "field a\n  label A\nfield b\n  label B\n"
	    "  type bool\n",
	    "t.form:3: 字段“a”缺少“type”。", "field without type");
	check_parse_err(HDR "field a\n  type bool\n",
	    "t.form:3: 字段“a”缺少“label”。", "field without label");
	check_parse_err(HDR "field a\n  label A\n  type texts 5\n",
	    "t.form:5: 未知的类型“texts”。可用的类型：text、longtext、date、"
	    "month、int、enum、multienum、bool、ref、rows。", "bad type");
	check_parse_err(HDR "field a\n  label A\n  type int 10 5\n",
	    "t.form:5: 整数范围有误：最小值 10 大于最大值 5。",
	    "bad int range");
	check_parse_err(HDR "field a\n  label A\n  type int 10\n",
	    "t.form:5: 整数类型要写最小值和最大值，例如“type int 0 100”。",
	    "int without max");
	check_parse_err(HDR "field a\n  label A\n  type int 1 x\n",
	    "t.form:5: 最大值“x”不是整数。", "int max not a number");
	check_parse_err(HDR "field a\n  label A\n  type text\n",
	    "t.form:5: 文本类型要写最大字数，例如“type text 20”。",
	    "text without max");
	check_parse_err(HDR "field a\n  label A\n  type text 0\n",
	    "t.form:5: 最大字数应是 1 到 100000 之间的整数，现为“0”。",
	    "text max 0");
	check_parse_err(HDR "field a\n  label A\n  type bool\n"
	    "field b\n  label B\n  type bool\nfield a\n  label C\n"
	    "  type bool\n",
	    "t.form:9: 字段“a”重复（第 3 行已定义）。", "duplicate field id");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  option x\n",
	    "t.form:6: 只有单选（enum）和多选（multienum）字段才能有“option”。",
	    "option on a text field");
	check_parse_err(HDR "field a\n  label A\n  type enum\n",
	    "t.form:3: 字段“a”是单选，至少需要一个“option”。",
	    "enum without options");
	check_parse_err(HDR "field a\n  label A\n  type enum\n  option x 甲\n"
	    "  option x 乙\n",
	    "t.form:7: 选项代码“x”重复。", "duplicate option code");
	check_parse_err(HDR "field a\n  label A\n  type enum\n  option x,y\n",
	    "t.form:6: 选项代码“x,y”不能含有逗号。", "comma in code");
	/* Found by fuzz_form: a code with \v could be chosen by its label
	 * but never typed back, as input is trimmed. */
	check_parse_err(HDR "field a\n  label A\n  type enum\n  option \vx 甲\n",
	    "t.form:6: 选项代码“\vx”不能含有控制字符或全角空格。",
	    "control character in code");
	check_parse_err(HDR "field a\n  label A\n  type enum\n"
	    "  option x\xe3\x80\x80 甲\n",
	    "t.form:6: 选项代码“x\xe3\x80\x80”不能含有控制字符或全角空格。",
	    "ideographic space in code");
	check_parse_err(HDR "field a\n  label A\n  type multienum\n"
	    "  option x 甲、乙\n",
	    "t.form:3: 多选字段“a”的选项“x 甲、乙”含有分隔符（逗号、顿号、"
	    "分号或空格），填写时无法区分。", "separator in a multienum label");
	check_parse_err(HDR "field a\n  label A\n  type bool\nend\n",
	    "t.form:6: 多余的“end”：前面没有未结束的多行表格（type rows）。",
	    "end without rows");
	check_parse_err(HDR "field a\n  label A\n  type rows 1\n"
	    "  field b\n    label B\n    type bool\n",
	    "t.form:3: 多行表格“a”缺少“end”。", "unclosed rows");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field b\n    label B\n    type rows\n  end\n",
	    "t.form:8: 多行表格里不能再套多行表格（是否漏写了“end”？）。",
	    "nested rows");
	check_parse_err(HDR "field a\n  label A\n  type rows\nend\n",
	    "t.form:6: 多行表格“a”没有定义任何字段。", "rows without fields");
	check_parse_err(HDR "field a\n  label A\n  type rows 3 2\n",
	    "t.form:5: 行数范围有误：最少 3 行多于最多 2 行。",
	    "bad rows range");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  field b\n"
	    "    label B\n    type bool\n  end\n  help 说明\n",
	    "t.form:10: “end”之后应是新的“field”，“help”应写在“end”之前。",
	    "attribute after end");
	check_parse_err(HDR "field a\n  label \xe6\xb5\x8b\xff\n",
	    "t.form:4: 含有无法识别的字符（编码不是 UTF-8），请把文件另存为 "
	    "UTF-8 编码。", "invalid UTF-8");
	check_parse_err(HDR "field a\n  label A\n  type int 0 10\n"
	    "  default 50\n",
	    "t.form:6: 默认值有误：A：应是 0 到 10 之间的整数。",
	    "default that fails validation");
	check_parse_err(HDR "field a\n  label A\n  type enum\n"
	    "  default 丙\n  option x 甲\n",
	    "t.form:6: 默认值有误：A：“丙”不是可选项。可选：甲。",
	    "enum default checked after all options");
	check_parse_err("form t\nlabel 测试\ntitle nosuch\nfield a\n"
	    "  label A\n  type bool\n",
	    "t.form:3: “title”指定的字段“nosuch”不存在。",
	    "title naming a missing field");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  label B\n",
	    "t.form:6: “label”重复（第 4 行已写过）。", "duplicate keyword");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  required\n  required\n",
	    "t.form:7: “required”重复（第 6 行已写过）。", "duplicate flag");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  required yes\n",
	    "t.form:6: “required”后面不应有内容（多了“yes”）。",
	    "flag with an argument");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  where type x\n",
	    "t.form:6: 只有引用（ref）字段才能有“where”。", "where on text");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  field b\n"
	    "    label B\n    type bool\n    index\n  end\n",
	    "t.form:9: 多行表格里的字段不能设“index”。", "index in rows");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  list x\n",
	    "t.form:6: “list”的宽度应是 0 到 200 之间的整数，现为“x”。",
	    "bad list width");
	check_parse_err(HDR "field A\n",
	    "t.form:3: 字段名“A”不合规：只能用小写字母、数字和下划线，"
	    "并以小写字母开头。", "bad field id");
	check_parse_err(HDR "type bool\n",
	    "t.form:3: “type”是字段的属性，应写在“field”之后。",
	    "field keyword in the header");
	check_parse_err(HDR "field a\n  label A\n  type bool\n  order 3\n",
	    "t.form:6: “order”是表单的属性，应写在第一个“field”之前。",
	    "form keyword in a field");
	check_parse_err("label 测试\nfield a\n",
	    "t.form:2: 缺少“form”（表单名），应写在第一个“field”之前。",
	    "missing form");
	check_parse_err("form t\nfield a\n",
	    "t.form:2: 缺少“label”（表单的中文名称），"
	    "应写在第一个“field”之前。",
	    "missing label");
	check_parse_err(HDR "version 0\n",
	    "t.form:3: 版本号应是正整数，现为“0”。", "bad version");
	check_parse_err(HDR "# only a comment\n",
	    "t.form:3: 表单“t”没有定义任何字段。", "no fields");
	check_parse_err("",
	    "t.form:1: 缺少“form”（表单名），应写在第一个“field”之前。",
	    "empty file");

	/* Through a file, the path in the message is the path given. */
	{
		struct form *f = NULL;
		char *err = NULL, *path = data_path("forms/nosuch.form");
		char *want = xasprintf("无法打开文件“%s”：%s", path,
		    strerror(ENOENT));

		ok(form_load_file(path, &f, &err) == CX_ERR, "missing file");
		is_str(err, want, "missing file message");
		free(err);
		free(want);
		free(path);
	}
	got = parse_err(HDR "field a\n  label A\n  type ref Org\n");
	is_str(got, "t.form:5: 表单名“Org”不合规：只能用小写字母、数字和"
	    "下划线，并以小写字母开头。", "parse error: bad ref kind");
	free(got);
}

static void
check_set_err(const char *dir, const char *want_fmt, const char *what)
{
	struct formset *fs = NULL;
	char *err = NULL, *path = data_path(dir), *want;

	want = xasprintf(want_fmt, path, path, path);
	ok(formset_load_dir(path, &fs, &err) == CX_ERR && fs == NULL,
	    "%s fails", what);
	is_str(err, want, "%s message", what);
	free(err);
	free(want);
	free(path);
}

static void
test_formset_errors(void)
{
	check_set_err("forms/dupkind",
	    "%s/b.form: 表单名“org”已在 %s/a.form 中定义。", "duplicate kind");
	check_set_err("forms/badref",
	    "%s/task.form:11: 引用的表单“person”不存在。", "unknown ref kind");
	check_set_err("forms/badwhere",
	    "%s/member.form:8: 表单“org”（党组织）没有字段“kind”。",
	    "unknown where field");
	check_set_err("forms/badcode",
	    "%s/member.form:8: 表单“org”的字段“type”没有选项代码“group”。",
	    "unknown where code");
	check_set_err("forms/empty",
	    "表单目录“%s”里没有任何 .form 文件。", "no forms");
	{
		char *want = xasprintf("无法读取表单目录“%%s”：%s",
		    strerror(ENOENT));

		check_set_err("forms/nosuch", want, "missing directory");
		free(want);
	}
}

/* ------------------------------------------------------------------ */

static void
test_input(const struct form *f)
{
	const struct form_field *name = form_field_find(f, "name");
	const struct form_field *fl;
	struct form_field rows;
	char *got;

	check_input(name, "  张三　", "张三");
	check_input(name, "", "");
	check_input(name, " \t　", "");
	check_input(name, NULL, "");
	check_input(name, TEN TEN, TEN TEN);
	check_input(name, TEN TEN "一二三四五",
	    "ERR:姓名：不能超过 20 个字（现有 25 个字）。");
	check_input(name, "𠀾𠀾", "𠀾𠀾");
	check_input(name, "张\xff",
	    "ERR:姓名：含有无法识别的字符（编码不是 UTF-8）。");
	check_input(name, "张\n三", "ERR:姓名：只能填写一行，不能换行。");
	check_input(name, "张\t三",
	    "ERR:姓名：含有控制字符（U+0009），请删除后重新填写。");
	check_input(name, "张\x07",
	    "ERR:姓名：含有控制字符（U+0007），请删除后重新填写。");
	check_input(name, "张\xee\x80\x80",
	    "ERR:姓名：含有私用区字符（U+E000），打印和转换编码时无法正确显示，"
	    "请改用标准字符。");
	check_input(name, "\xef\xa3\xbf",
	    "ERR:姓名：含有私用区字符（U+F8FF），打印和转换编码时无法正确显示，"
	    "请改用标准字符。");
	check_input(name, "\xee\x80",
	    "ERR:姓名：含有无法识别的字符（编码不是 UTF-8）。");

	fl = form_field_find(f, "note");
	check_input(fl, " 第一行\r\n第二行\r第三行\n ",
	    "第一行\n第二行\n第三行");
	check_input(fl, "甲\x01",
	    "ERR:备注：含有控制字符（U+0001），请删除后重新填写。");
	check_input(fl, TEN TEN TEN TEN TEN "\n", TEN TEN TEN TEN TEN);
	check_input(fl, TEN TEN TEN TEN TEN "\n一",
	    "ERR:备注：不能超过 50 个字（现有 52 个字）。");

	fl = form_field_find(f, "signed_on");
	check_input(fl, "2020-12-21", "2020-12-21");
	check_input(fl, " ２０２０年１２月２１日 ", "2020-12-21");
	check_input(fl, "2020.1.5", "2020-01-05");
	check_input(fl, "20201221", "2020-12-21");
	check_input(fl, "2020-13-01",
	    "ERR:签名日期：“2020-13-01”不是有效日期：月份应在 1 到 12 之间。"
	    "请按 2020-12-21 的格式填写。");

	fl = form_field_find(f, "birth");
	check_input(fl, "1980年5月", "1980-05");
	check_input(fl, "１９８０．０５", "1980-05");
	check_input(fl, "20201221", "2020-12");
	got = input(fl, "1980-13");
	ok(has_prefix(got, "ERR:出生年月：“1980-13”"),
	    "bad month named by label: %s", got);
	free(got);

	fl = form_field_find(f, "year");
	check_input(fl, "2024", "2024");
	check_input(fl, "２０２４", "2024");
	check_input(fl, " 02024 ", "2024");
	check_input(fl, "1999", "ERR:年度：应是 2000 到 2099 之间的整数。");
	check_input(fl, "20x4", "ERR:年度：应是 2000 到 2099 之间的整数。");
	check_input(fl, "2024.0", "ERR:年度：应是 2000 到 2099 之间的整数。");
	check_input(fl, "99999999999999999999",
	    "ERR:年度：应是 2000 到 2099 之间的整数。");

	fl = form_field_find(f, "gender");
	check_input(fl, "f", "f");
	check_input(fl, "女", "f");
	check_input(fl, " 男 ", "m");
	check_input(fl, "Ｆ", "f");
	check_input(fl, "X", "ERR:性别：“X”不是可选项。可选：男、女。");
	fl = form_field_find(f, "half");
	check_input(fl, "Ｈ１", "H1");
	check_input(fl, "h2", "H2");
	check_input(fl, "下半年", "H2");

	fl = form_field_find(f, "channels");
	check_input(fl, "会议、网络，paper；net board",
	    "net,board,paper,meeting");
	check_input(fl, "other,other", "other");
	check_input(fl, "明白纸;会议 ,", "paper,meeting");
	check_input(fl, "、", "");
	check_input(fl, "网络、电视",
	    "ERR:公开方式：“电视”不是可选项。"
	    "可选：网络、党务公开栏、明白纸、会议、other。");

	fl = form_field_find(f, "oral");
	check_input(fl, "是", "1");
	check_input(fl, "YES", "1");
	check_input(fl, "True", "1");
	check_input(fl, "√", "1");
	check_input(fl, "１", "1");
	check_input(fl, "否", "0");
	check_input(fl, "n", "0");
	check_input(fl, "×", "0");
	check_input(fl, "也许", "ERR:口头承诺：请填写“是”或“否”。");

	fl = form_field_find(f, "branch_id");
	check_input(fl, "12", "12");
	check_input(fl, "１２", "12");
	check_input(fl, " 007 ", "7");
	check_input(fl, "0", "ERR:所属党支部：请填写记录编号。");
	check_input(fl, "机关第一党支部", "ERR:所属党支部：请填写记录编号。");
	check_input(fl, "-3", "ERR:所属党支部：请填写记录编号。");

	fl = form_field_find(f, "items");
	check_input(fl, "x",
	    "ERR:承诺事项：多行表格要逐行填写，不能直接填一个值。");

	/* A field built by hand: text limited to 3 characters. */
	memset(&rows, 0, sizeof rows);
	rows.id = "t";
	rows.label = "代码";
	rows.type = FT_TEXT;
	rows.maxlen = 3;
	check_input(&rows, "abcd",
	    "ERR:代码：不能超过 3 个字（现有 4 个字）。");
}

/* ------------------------------------------------------------------ */

/* A fake store: org 5 is a 党小组, org 7 a 党支部, org 13 cannot be read;
 * anything else does not exist. */
static int lookups;

static int
fake_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct record *r;

	(void)arg;
	lookups++;
	*out = NULL;
	if (strcmp(kind, "org") != 0)
		return CX_NOTFOUND;
	if (id == 13)
		return err_set(errp, "数据库出错。");
	if (id != 5 && id != 7)
		return CX_NOTFOUND;
	r = record_new();
	r->id = id;
	record_set(r, "name", id == 5 ? "第五党小组" : "机关第一党支部");
	record_set(r, "type", id == 5 ? "group" : "branch");
	*out = r;
	return CX_OK;
}

static void
add_item(struct record *r, const char *kind, const char *content)
{
	struct record *row = record_add_row(r, "items");

	if (kind != NULL)
		record_set(row, "kind", kind);
	if (content != NULL)
		record_set(row, "content", content);
}

static void
check_problems(const struct strlist *got, const char *const *want,
    size_t nwant, const char *what)
{
	size_t i;

	is_int(got->n, nwant, "%s: problem count", what);
	for (i = 0; i < nwant; i++)
		is_str(i < got->n ? got->v[i] : NULL, want[i],
		    "%s: problem %zu", what, i + 1);
}

/* The date module words its own reason; the form puts the field's label
 * in front of it. */
static char *
date_message(const char *label, const char *in)
{
	struct date d;
	char *err = NULL, *msg;

	ok(date_parse(in, &d, &err) == CX_ERR, "date \"%s\" is bad", in);
	msg = xasprintf("%s：%s", label, err ? err : "");
	free(err);
	return msg;
}

static void
test_validate(const struct formset *fs)
{
	const struct form *f = formset_find(fs, "pledge");
	struct strlist p;
	struct record *r;
	size_t n;

	/* A record with a problem in nearly every field. */
	r = record_new();
	record_set(r, "name", "");
	record_set(r, "gender", "x");
	record_set(r, "year", "1999");
	record_set(r, "half", "上半年");
	record_set(r, "signed_on", "2020-02-30");
	record_set(r, "channels", "net,net");
	record_set(r, "oral", "1");
	record_set(r, "branch_id", "99");
	add_item(r, "service", "走访困难群众");
	add_item(r, "gift", NULL);
	add_item(r, "deed", "整修\n道路");
	record_add_row(record_row(r, "items", 0), "kind");
	record_add_row(r, "remark");
	record_set(r, "obsolete", "kept, not checked");
	record_set(r, "_created", "2024-01-01 08:00:00");
	strlist_init(&p);
	lookups = 0;
	n = form_validate(f, r, fake_lookup, NULL, &p);
	{
		char *dmsg = date_message("签名日期", "2020-02-30");
		const char *const want[] = {
			"姓名：必须填写。",
			"性别：“x”不是可选项。可选：男、女。",
			"年度：应是 2000 到 2099 之间的整数。",
			"半年：“上半年”不是规范的存储格式（应为“H1”）。",
			dmsg,
			"公开方式：“net,net”不是规范的存储格式（应为“net”）。",
			"所属党支部：编号为 99 的记录不存在。",
			"承诺事项第1行“类别”：存储的值类型不对（应是单选，"
			    "不是多行表格）。",
			"承诺事项第2行“类别”：“gift”不是可选项。"
			    "可选：服务承诺、实事承诺。",
			"承诺事项第2行“内容”：必须填写。",
			"承诺事项第3行“内容”：只能填写一行，不能换行。",
			"审核意见：存储的值类型不对"
			    "（应是文本，不是多行表格）。",
		};

		is_int(n, sizeof want / sizeof want[0], "returns the count");
		check_problems(&p, want, sizeof want / sizeof want[0],
		    "many problems");
		ok(has_prefix(dmsg, "签名日期：“2020-02-30”不是有效日期："),
		    "date message names the field: %s", dmsg);
		free(dmsg);
	}
	is_int(lookups, 1, "one lookup");
	strlist_free(&p);

	/* where: org 5 is a 党小组, not a 党支部; rows count; lookup error. */
	record_set(r, "branch_id", "5");
	n = form_validate(f, r, NULL, NULL, &p);
	ok(n > 0, "problems without lookup");
	strlist_free(&p);
	record_free(r);

	r = record_new();
	record_set(r, "name", "张三");
	record_set(r, "year", "2024");
	record_set(r, "branch_id", "5");
	record_set(r, "items", NULL);
	n = form_validate(f, r, fake_lookup, NULL, &p);
	{
		static const char *const want[] = {
			"所属党支部：所选记录的“类型”应为党支部、直属党小组。",
			"承诺事项：至少需要 1 行。",
		};
		check_problems(&p, want, 2, "where and too few rows");
		is_int(n, 2, "two problems");
	}
	strlist_free(&p);

	record_set(r, "branch_id", "13");
	record_set(r, "items", "some text");
	n = form_validate(f, r, fake_lookup, NULL, &p);
	{
		static const char *const want[] = {
			"所属党支部：无法读取编号为 13 的记录：数据库出错。",
			"承诺事项：存储的值类型不对（应是多行表格）。",
		};
		check_problems(&p, want, 2, "lookup error and text for rows");
		is_int(n, 2, "two problems");
	}
	strlist_free(&p);

	record_set(r, "branch_id", "7");
	record_remove(r, "items");
	for (n = 0; n < 6; n++)
		add_item(r, "deed", "植树");
	n = form_validate(f, r, fake_lookup, NULL, &p);
	{
		static const char *const want[] = {
			"承诺事项：最多只能有 5 行（现有 6 行）。",
		};
		check_problems(&p, want, 1, "too many rows");
	}
	strlist_free(&p);

	record_remove_row(r, "items", 0);
	record_set(r, "channels", "board,other");
	record_set(r, "note", "第一行\n第二行");
	record_set(r, "signed_on", "2024-03-05");
	record_set(r, "birth", "1980-05");
	n = form_validate(f, r, fake_lookup, NULL, &p);
	is_int(n, 0, "a good record has no problems");
	is_int(p.n, 0, "no messages");
	strlist_free(&p);
	record_free(r);
}

/* Without its set, a form still names the where field, by id. */
static void
test_validate_alone(void)
{
	struct form *f = NULL;
	struct strlist p;
	struct record *r;
	char *err = NULL, *path = data_path("forms/set/member.form");

	ok(form_load_file(path, &f, &err) == CX_OK, "member loads alone");
	free(path);
	free(err);
	if (f == NULL)
		return;
	r = record_new();
	record_set(r, "branch_id", "5");
	strlist_init(&p);
	is_int(form_validate(f, r, fake_lookup, NULL, &p), 1, "one problem");
	is_str(p.n > 0 ? p.v[0] : NULL,
	    "所属党支部：所选记录的“type”应为branch。", "where message by id");
	strlist_free(&p);
	record_free(r);
	form_free(f);
}

static void
test_defaults(const struct form *f)
{
	struct date today = { 2024, 3, 5 };
	struct record *r = record_new();

	record_set(r, "oral", "1");
	record_set(r, "gender", "");
	record_add_row(r, "items");
	record_set(record_add_row(r, "items"), "due", "2024-12-31");
	form_apply_defaults(f, r, &today);
	is_str(record_get(r, "signed_on"), "2024-03-05", "today default");
	is_str(record_get(r, "gender"), "f", "empty value gets the default");
	is_str(record_get(r, "oral"), "1", "existing value kept");
	ok(record_get(r, "name") == NULL, "no default, no value");
	is_str(record_get(record_row(r, "items", 0), "due"), "2024-03-05",
	    "default in a row");
	is_str(record_get(record_row(r, "items", 1), "due"), "2024-12-31",
	    "value in a row kept");
	ok(record_get(record_row(r, "items", 0), "kind") == NULL,
	    "no default in a row");
	record_free(r);
}

static void
check_display(const struct formset *fs, const struct form *f, const char *id,
    const char *text, const char *want)
{
	char *got = form_value_display(fs, form_field_find(f, id), text,
	    fake_lookup, NULL);

	is_str(got, want, "display %s \"%s\"", id, text ? text : "(null)");
	free(got);
}

static void
test_display(const struct formset *fs)
{
	const struct form *f = formset_find(fs, "pledge");
	char *s;

	check_display(fs, f, "gender", "f", "女");
	check_display(fs, f, "gender", "gone", "gone");
	check_display(fs, f, "channels", "net,paper,other",
	    "网络、明白纸、other");
	check_display(fs, f, "channels", "net,gone", "网络、gone");
	check_display(fs, f, "oral", "1", "是");
	check_display(fs, f, "oral", "0", "否");
	check_display(fs, f, "branch_id", "7", "机关第一党支部");
	check_display(fs, f, "branch_id", "99", "（编号99，已不存在）");
	check_display(fs, f, "branch_id", "13", "（编号13，无法读取）");
	check_display(fs, f, "branch_id", "", "");
	check_display(fs, f, "name", "张三", "张三");
	check_display(fs, f, "name", NULL, "");
	check_display(fs, f, "signed_on", "2024-03-05", "2024-03-05");
	s = form_value_display(fs, form_field_find(f, "branch_id"), "7", NULL,
	    NULL);
	is_str(s, "（编号7）", "ref without lookup");
	free(s);
	/* Any ref field: org's own parent reads as the parent's name. */
	s = form_value_display(fs, form_field_find(formset_find(fs, "org"),
	    "parent_id"), "5", fake_lookup, NULL);
	is_str(s, "第五党小组", "ref display via the title field");
	free(s);
}

static void
test_formset(void)
{
	struct formset *fs = NULL;
	char *err = NULL, *dir = data_path("forms/set");

	ok(formset_load_dir(dir, &fs, &err) == CX_OK, "set loads");
	is_str(err, NULL, "no message");
	free(err);
	free(dir);
	if (fs == NULL)
		return;
	is_int(fs->n, 3, "three forms");
	is_str(fs->forms[0]->kind, "org", "sorted by order");
	is_str(fs->forms[1]->kind, "member", "then by kind");
	is_str(fs->forms[2]->kind, "pledge", "then by kind");
	ok(formset_find(fs, "member") == fs->forms[1], "find");
	ok(formset_find(fs, "nosuch") == NULL, "find nothing");

	test_parse_good(formset_find(fs, "pledge"));
	test_input(formset_find(fs, "pledge"));
	test_validate(fs);
	test_defaults(formset_find(fs, "pledge"));
	test_display(fs);
	formset_free(fs);
}

/* The forms the program ships must load. */
static void
test_shipped_forms(void)
{
	const char *dir = getenv("CXZY_FORMS");
	struct formset *fs = NULL;
	char *err = NULL;

	if (dir == NULL || *dir == '\0')
		dir = "forms";
	ok(formset_load_dir(dir, &fs, &err) == CX_OK, "%s loads", dir);
	is_str(err, NULL, "no message for %s", dir);
	ok(fs != NULL && formset_find(fs, "org") != NULL &&
	    formset_find(fs, "member") != NULL, "org and member forms");
	free(err);
	formset_free(fs);
}

int
main(void)
{
	testdata = getenv("CXZY_TESTDATA");
	if (testdata == NULL || *testdata == '\0')
		testdata = "tests";

	test_type_names();
	test_parse_defaults();
	test_parse_errors();
	test_formset_errors();
	test_formset();
	test_validate_alone();
	test_shipped_forms();
	return tap_done();
}
