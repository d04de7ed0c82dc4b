/* test_formdef.c: the form file parser, input normalisation, validation,
 * defaults and display. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	    "单选", "多选", "是否", "引用", "多行表格", "周期", "时间", "关联" };
	int t;

	for (t = FT_TEXT; t <= FT_LINK; t++)
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
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias\n",
	    "t.form:6: “alias”后面要写至少一个别名，例如“alias 名字”。",
	    "alias without a name");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias B B\n",
	    "t.form:6: 别名“B”重复。", "alias repeated");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias A\n",
	    "t.form:6: 别名“A”就是这个字段自己的名称，不用再写。",
	    "alias equal to the label");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias B\n"
	    "field b\n  label B\n  type text 5\n",
	    "t.form:3: 字段“a”的别名“B”是字段“b”的名称。",
	    "alias equal to another field's label");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias X\n"
	    "field b\n  label B\n  type text 5\n  alias Y X\n",
	    "t.form:3: 别名“X”同时写在字段“a”和“b”里。",
	    "alias on two fields");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  alias X\n"
	    "  alias Y\n",
	    "t.form:7: “alias”重复（第 6 行已写过）。", "alias twice");
	check_parse_err(HDR "field a\n  label A\nfield b\n  label B\n"
	    "  type bool\n",
	    "t.form:3: 字段“a”缺少“type”。", "field without type");
	check_parse_err(HDR "field a\n  type bool\n",
	    "t.form:3: 字段“a”缺少“label”。", "field without label");
	check_parse_err(HDR "field a\n  label A\n  type texts 5\n",
	    "t.form:5: 未知的类型“texts”。可用的类型：text、longtext、date、"
	    "month、int、enum、multienum、bool、ref、rows、period、time、"
	    "link。", "bad type");
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
		    util_strerror(ENOENT));

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
		    util_strerror(ENOENT));

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

/* Removes dir and the files in its subdirectories (one level). */
static void
rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *path;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			rm_tree(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}
/* ------------------------------------------------------------------ */
/* The keywords added for the annexes (docs/forms.md §13–§17)          */
/* ------------------------------------------------------------------ */

static void
test_parse_new_errors(void)
{
	check_parse_err(HDR "field a\n  label A\n  type link\n",
	    "t.form:5: 关联类型要写可关联的表单名，例如“type link "
	    "branch_pledge member_pledge”。", "link without kinds");
	check_parse_err(HDR "field a\n  label A\n  type link x y x\n",
	    "t.form:5: 关联的表单“x”重复。", "link kind twice");
	check_parse_err(HDR "field a\n  label A\n  type link X\n",
	    "t.form:5: 表单名“X”不合规：只能用小写字母、数字和下划线，"
	    "并以小写字母开头。", "bad link kind");
	check_parse_err(HDR "field a\n  label A\n  type period 2\n",
	    "t.form:5: “type period”后面不应有内容（多了“2”）。",
	    "period with an argument");
	check_parse_err(HDR "field a\n  label A\n  type period\n"
	    "  default 2026H3\n",
	    "t.form:6: 默认值有误：A：“2026H3”不是有效的周期。请写成 2026H2 或 "
	    "2026年下半年（年份 1900 到 2099）。", "bad period default");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  default current\n",
	    "t.form:6: 默认值有误：A：“current”不是日期。请按 2020-12-21、"
	    "2020.12.21、2020/12/21、20201221 或 2020年12月21日 的格式填写。",
	    "current on a date");

	/* store and columns */
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  store k f\n  columns x\n",
	    "t.form:6: 只有多行表格（type rows）才能有“store”。",
	    "store on text");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  columns x\n"
	    "  field b\n    label B\n    type bool\n  end\n",
	    "t.form:6: “columns”要和“store”一起用。", "columns without store");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  store k f\n",
	    "t.form:6: “store”之后要用“columns”列出表格里显示的字段。",
	    "store without columns");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  store k\n",
	    "t.form:6: “store”要写表单名和关联字段名，例如“store pledge_ledger "
	    "pledge”。", "store with one argument");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  store k f\n"
	    "  columns x y x\n",
	    "t.form:7: “columns”里的字段“x”重复。", "column twice");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  store k f\n"
	    "  columns x f\n",
	    "t.form:7: “columns”里不能有关联字段“f”本身。", "link as column");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field b\n    label B\n    type bool\n    store k f\n  end\n",
	    "t.form:9: 多行表格里的字段不能设“store”。", "store in a row");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  store k f\n"
	    "  columns x\n  field b\n    label B\n    type bool\n  end\n",
	    "t.form:11: 多余的“end”：前面没有未结束的多行表格（type rows）。",
	    "stored rows take no sub-fields");

	/* required_if */
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  required_if s\n",
	    "t.form:6: “required_if”要写字段名和至少一个代码，例如"
	    "“required_if status done”。", "required_if without codes");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  required_if s done\n",
	    "t.form:6: “required_if”指定的字段“s”不存在。",
	    "required_if naming nothing");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  required_if s gone\nfield s\n  label S\n  type enum\n"
	    "  option done 完成\n",
	    "t.form:6: 字段“s”没有选项代码“gone”。", "required_if bad code");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  required_if b yes\nfield b\n  label B\n  type bool\n",
	    "t.form:6: 字段“b”是“是否”字段，代码只能写 1（是）或 0（否）。",
	    "required_if bool code");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  required_if a x\n",
	    "t.form:6: “required_if”不能指定字段“a”自己。", "required_if self");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  required_if b 1\n  field b\n    label B\n    type bool\n  end\n",
	    "t.form:6: 多行表格不能设“required_if”。", "required_if on rows");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  annotation yes\n",
	    "t.form:6: “annotation”后面不应有内容（多了“yes”）。",
	    "annotation with an argument");

	/* auto */
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  auto guess\n",
	    "t.form:6: 未知的自动取值函数“guess”。可用的函数：period_due、"
	    "period_of、initial、from、parent、linkkind、secretary、members、"
	    "meeting_expected。", "unknown auto function");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  auto from b\n",
	    "t.form:6: “auto from”后面要写 2 个字段名（现有 1 个）。",
	    "auto arity");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n  auto\n",
	    "t.form:6: “auto”后面缺少函数名。", "auto alone");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  auto period_due p\n",
	    "t.form:6: “auto period_due”用到的字段“p”不存在。",
	    "auto naming nothing");
	check_parse_err(HDR "field a\n  label A\n  type date\n"
	    "  auto period_due p\nfield p\n  label P\n  type date\n",
	    "t.form:6: “auto period_due”用到的字段“p”应是周期字段（现为日期）。",
	    "auto argument type");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  auto parent r x\nfield r\n  label R\n  type ref org\n",
	    "t.form:6: “auto parent”用到的字段“r”应是关联字段（现为引用）。",
	    "auto parent on a ref");
	check_parse_err(HDR "field a\n  label A\n  type text 5\n"
	    "  auto initial a\n",
	    "t.form:6: “auto initial”不能用字段“a”自己。", "auto self");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field b\n    label B\n    type text 5\n    auto initial c\n"
	    "  end\n",
	    "t.form:9: 多行表格里的字段不能设“auto”。", "auto in a row");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  auto initial c\n  field b\n    label B\n    type bool\n  end\n",
	    "t.form:6: 多行表格不能设“auto”。", "auto on rows");

	/* compute and format */
	check_parse_err(HDR "field a\n  label A\n  compute 1 +\n",
	    "t.form:5: 计算式有误：第4个字符：表达式不完整，缺少数值或字段名。",
	    "compute syntax");
	check_parse_err(HDR "field a\n  label A\n  compute b + 1\n",
	    "t.form:5: 计算式有误：未知的字段“b”。", "compute unknown name");
	check_parse_err(HDR "field a\n  label A\n  compute 1\n  required\n",
	    "t.form:6: 计算字段（compute）不能设“required”。",
	    "required computed");
	check_parse_err(HDR "field a\n  label A\n  default 1\n  compute 1\n",
	    "t.form:5: 计算字段（compute）不能设“default”。",
	    "computed default");
	check_parse_err(HDR "field a\n  label A\n  type rows\n  compute 1\n"
	    "  field b\n    label B\n    type bool\n  end\n",
	    "t.form:6: 计算字段（compute）不能是多行表格。", "computed rows");
	check_parse_err(HDR "field a\n  label A\n  type int 0 5\n"
	    "  format int\n",
	    "t.form:6: 只有计算字段（compute）才能有“format”。",
	    "format without compute");
	check_parse_err(HDR "field a\n  label A\n  compute 1\n  format money\n",
	    "t.form:6: 未知的格式“money”。可用的格式：int、percent、decimal、"
	    "flag。", "unknown format");
	check_parse_err(HDR "field a\n  label A\n  compute 1\n  format flag\n",
	    "t.form:6: “format flag”后面要写条件成立时显示的文字，例如"
	    "“format flag 逾期”。", "flag without text");
	check_parse_err(HDR "field a\n  label A\n  compute 1\n"
	    "  format int 2\n",
	    "t.form:6: “format int”后面不应有内容（多了“2”）。",
	    "format with extra");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field b\n    label B\n    compute c * 2\n  end\n",
	    "t.form:8: 计算式有误：未知的字段“c”。", "row compute unknown");

	/* check and message */
	check_parse_err(HDR "check (1\nmessage 错\nfield a\n  label A\n"
	    "  type bool\n",
	    "t.form:3: 检查条件有误：第3个字符：缺少右括号（与第1个字符的"
	    "左括号配对）。", "check syntax");
	check_parse_err(HDR "check 1 = 1\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “check”之后应紧跟“message”（条件不成立时显示的提示）。",
	    "check without message");
	check_parse_err(HDR "field a\n  label A\n  type bool\n"
	    "check a = 1\n",
	    "t.form:6: “check”之后应紧跟“message”（条件不成立时显示的提示）。",
	    "check at the end without message");
	check_parse_err(HDR "message 错\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “message”前面没有“check”。", "message alone");
	check_parse_err(HDR "check a = 1\nmessage 错\nmessage 又错\n"
	    "field a\n  label A\n  type bool\n",
	    "t.form:5: “message”前面没有“check”。", "two messages");
	check_parse_err(HDR "check b = 1\nmessage 错\nfield a\n  label A\n"
	    "  type bool\n",
	    "t.form:3: 检查条件有误：未知的字段“b”。", "check unknown name");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field b\n    label B\n    type int 0 9\n"
	    "  check b < c\n  message 错\n  end\n",
	    "t.form:9: 检查条件有误：未知的字段“c”。", "row check unknown name");
	check_parse_err(HDR "check\n",
	    "t.form:3: “check”后面缺少条件。", "empty check");

	/* sign and closed */
	check_parse_err(HDR "sign s\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “sign”指定的字段“s”不存在。", "sign naming nothing");
	check_parse_err(HDR "sign a\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “sign”指定的字段“a”应是日期字段（现为是否）。",
	    "sign on a bool");
	check_parse_err(HDR "sign a\nsign a\nfield a\n  label A\n  type date\n",
	    "t.form:4: “sign”重复（第 3 行已写过）。", "sign twice");
	check_parse_err(HDR "field a\n  label A\n  type text 5\nclosed a x\n",
	    "t.form:6: “closed”指定的字段“a”应是单选字段（现为文本）。",
	    "closed on text");
	check_parse_err(HDR "field a\n  label A\n  type enum\n  option x\n"
	    "closed a y\n",
	    "t.form:7: 字段“a”没有选项代码“y”。", "closed bad code");
	check_parse_err(HDR "closed a\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “closed”要写字段名和至少一个选项代码，例如"
	    "“closed status done”。", "closed without codes");
	check_parse_err(HDR "closed s done\nfield a\n  label A\n  type bool\n",
	    "t.form:3: “closed”指定的字段“s”不存在。", "closed naming nothing");
}

static const char new_form[] =
    "form n\n"
    "label 新写法\n"
    "sign signed_on\n"
    "check has(a) or not has(b)\n"
    "message 填了乙就要填甲。\n"
    "field a\n  label 甲\n  type int 0 100\n"
    "  check a <= 50\n  message 甲不能超过 50。\n"
    "field b\n  label 乙\n  type int 0 100\n"
    "field p\n  label 周期\n  type period\n  default current\n  index\n"
    "field t\n  label 时间\n  type time\n"
    "field l\n  label 来源\n  type link org member\n"
    "field s\n  label 状态\n  type enum\n  option todo 未开始\n"
    "  option done 已完成\n  option unmet 未兑现\n"
    "field done_on\n  label 完成时间\n  type date\n"
    "  required_if s done\n"
    "field why\n  label 未兑现原因\n  type text 20\n"
    "  required_if s unmet\n  annotation\n"
    "field due\n  label 期限\n  type date\n  auto period_due p\n  required\n"
    "field signed_on\n  label 签署日期\n  type date\n"
    "field ratio\n  label 比例\n  compute a / b\n  format percent\n"
    "field late\n  label 逾期\n  compute due < today\n  format flag 已逾期\n"
    "field rows\n  label 表格\n  type rows\n"
    "  check x <= a\n  message 每行的数不能超过甲。\n"
    "  field x\n    label 数\n    type int 0 100\n"
    "  field y\n    label 是否\n    type bool\n"
    "  field z\n    label 说明\n    type text 20\n    required_if y 1\n"
    "  field twice\n    label 两倍\n    compute x * 2\n    format int\n"
    "  end\n"
    "check not has(signed_on) or signed_on <= end(p)\n"
    "message 签署日期不能晚于周期结束。\n"
    "closed s done unmet\n";

static void
test_parse_new_good(void)
{
	const struct form_field *fl, *rows;
	struct form *f = NULL;
	char *err = NULL;

	ok(form_parse("n.form", new_form, strlen(new_form), &f, &err) ==
	    CX_OK, "new keywords parse");
	is_str(err, NULL, "no message");
	free(err);
	if (f == NULL)
		return;
	is_str(f->sign_field, "signed_on", "sign");
	is_str(f->closed_field, "s", "closed field");
	is_int(f->nclosed, 2, "closed codes");
	is_str(f->closed_values[1], "unmet", "closed code");
	ok(f->settings == NULL, "no settings outside a set");
	/* Checks at the top, in a plain field and at the end are the
	 * form's, in file order; the rows' own check is per row. */
	is_int(f->nchecks, 3, "form checks");
	is_str(f->checks[0].message, "填了乙就要填甲。", "first check");
	is_str(f->checks[1].text, "a <= 50", "check in a field");
	is_int(f->checks[1].line, 9, "check line");
	is_str(f->checks[2].message, "签署日期不能晚于周期结束。",
	    "check after end");
	ok(f->checks[0].expr != NULL, "check parsed");
	is_int(form_field_find(f, "a")->nchecks, 0, "plain field keeps none");

	fl = form_field_find(f, "p");
	is_int(fl->type, FT_PERIOD, "period type");
	is_str(fl->def, "current", "current default kept");
	ok(fl->index, "period index");
	is_int(form_field_find(f, "t")->type, FT_TIME, "time type");
	fl = form_field_find(f, "l");
	is_int(fl->type, FT_LINK, "link type");
	is_int(fl->nlink_kinds, 2, "link kinds");
	is_str(fl->link_kinds[1], "member", "link kind");
	ok(fl->index, "links are always indexed");
	fl = form_field_find(f, "why");
	is_str(fl->req_if_field, "s", "required_if field");
	is_int(fl->nreq_if, 1, "required_if codes");
	is_str(fl->req_if_values[0], "unmet", "required_if code");
	ok(fl->annotation, "annotation");
	ok(!form_field_find(f, "done_on")->annotation, "no annotation");
	fl = form_field_find(f, "due");
	is_str(fl->auto_fn, "period_due", "auto function");
	is_int(fl->nauto_args, 1, "auto arguments");
	is_str(fl->auto_args[0], "p", "auto argument");
	ok(form_field_derived(fl), "auto is derived");
	fl = form_field_find(f, "ratio");
	is_str(fl->compute, "a / b", "compute text");
	ok(fl->compute_expr != NULL, "compute parsed");
	is_int(fl->format, FMT_PERCENT, "percent");
	is_int(fl->type, FT_TEXT, "computed fields need no type");
	ok(form_field_derived(fl), "compute is derived");
	ok(!form_field_derived(form_field_find(f, "a")), "typed field");
	ok(!form_field_derived(NULL), "NULL is not derived");
	fl = form_field_find(f, "late");
	is_int(fl->format, FMT_FLAG, "flag");
	is_str(fl->flag_text, "已逾期", "flag text");
	rows = form_field_find(f, "rows");
	is_int(rows->nchecks, 1, "row checks");
	is_str(rows->checks[0].message, "每行的数不能超过甲。", "row message");
	is_int(rows->nsub, 4, "row fields");
	is_int(form_subfield_find(rows, "twice")->format, FMT_INT,
	    "computed row field");
	ok(rows->store_kind == NULL, "plain rows");
	form_free(f);

	/* Stored rows: "store" before or after "type", with or without
	 * "end"; the columns are copied only by formset_load_dir. */
	{
		static const char *const texts[] = {
		    HDR "field a\n  label A\n  type rows 1 3\n  store k f\n"
		    "  columns x y\nfield b\n  label B\n  type bool\n",
		    HDR "field a\n  label A\n  store k f\n  type rows 1 3\n"
		    "  columns x y\n  check has(x)\n  message 要填 x。\n  end\n"
		    "field b\n  label B\n  type bool\n",
		};
		size_t i;

		for (i = 0; i < 2; i++) {
			f = NULL;
			ok(form_parse("s.form", texts[i], strlen(texts[i]), &f,
			    &err) == CX_OK, "stored rows parse (%zu)", i);
			is_str(err, NULL, "no message");
			free(err);
			err = NULL;
			if (f == NULL)
				continue;
			fl = form_field_find(f, "a");
			is_str(fl->store_kind, "k", "store kind");
			is_str(fl->store_field, "f", "store field");
			is_int(fl->ncolumns, 2, "columns");
			is_str(fl->columns[1], "y", "column");
			is_int(fl->nsub, 0, "no columns yet");
			is_int(fl->max_rows, 3, "rows range");
			is_int(fl->nchecks, i, "per-row checks");
			is_int(f->nfields, 2, "next field read");
			form_free(f);
		}
	}
}

static void
test_input_new(void)
{
	struct form_field fl;
	static char *kinds[] = { "branch_pledge", "member_pledge" };

	memset(&fl, 0, sizeof fl);
	fl.id = "period";
	fl.label = "周期";
	fl.type = FT_PERIOD;
	check_input(&fl, "2026H2", "2026H2");
	check_input(&fl, "2026h1", "2026H1");
	check_input(&fl, " 2026-2 ", "2026H2");
	check_input(&fl, "2026年上半年", "2026H1");
	check_input(&fl, "2026年下半年", "2026H2");
	check_input(&fl, "2026下半年", "2026H2");
	check_input(&fl, "２０２６年下半年", "2026H2");
	check_input(&fl, "２０２６Ｈ１", "2026H1");
	check_input(&fl, "2026 H2", "2026H2");
	check_input(&fl, "", "");
	check_input(&fl, "2026H3",
	    "ERR:周期：“2026H3”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");
	check_input(&fl, "2026-3",
	    "ERR:周期：“2026-3”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");
	check_input(&fl, "1899H2",
	    "ERR:周期：“1899H2”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");
	check_input(&fl, "26H2",
	    "ERR:周期：“26H2”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");
	check_input(&fl, "2026年",
	    "ERR:周期：“2026年”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");
	check_input(&fl, "2026H2x",
	    "ERR:周期：“2026H2x”不是有效的周期。请写成 2026H2 或 2026年下半年"
	    "（年份 1900 到 2099）。");

	fl.id = "start";
	fl.label = "开始时间";
	fl.type = FT_TIME;
	check_input(&fl, "9:30", "09:30");
	check_input(&fl, "09:30", "09:30");
	check_input(&fl, "９：３０", "09:30");
	check_input(&fl, "0:00", "00:00");
	check_input(&fl, "23:59", "23:59");
	check_input(&fl, " 14:05　", "14:05");
	check_input(&fl, "24:00",
	    "ERR:开始时间：“24:00”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");
	check_input(&fl, "9:60",
	    "ERR:开始时间：“9:60”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");
	check_input(&fl, "9:5",
	    "ERR:开始时间：“9:5”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");
	check_input(&fl, "930",
	    "ERR:开始时间：“930”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");
	check_input(&fl, "009:30",
	    "ERR:开始时间：“009:30”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");
	check_input(&fl, "9:30am",
	    "ERR:开始时间：“9:30am”不是有效的时间。请按 09:30 的格式填写"
	    "（0:00 到 23:59）。");

	fl.id = "pledge";
	fl.label = "所属承诺书";
	fl.type = FT_LINK;
	fl.link_kinds = kinds;
	fl.nlink_kinds = 2;
	check_input(&fl, "branch_pledge:12", "branch_pledge:12");
	check_input(&fl, "member_pledge:007", "member_pledge:7");
	check_input(&fl, "member_pledge：１２", "member_pledge:12");
	check_input(&fl, "org:12",
	    "ERR:所属承诺书：应写成“表单名:编号”，表单名可以是branch_pledge、"
	    "member_pledge，例如“branch_pledge:1”。");
	check_input(&fl, "12",
	    "ERR:所属承诺书：应写成“表单名:编号”，表单名可以是branch_pledge、"
	    "member_pledge，例如“branch_pledge:1”。");
	check_input(&fl, "branch_pledge:0",
	    "ERR:所属承诺书：应写成“表单名:编号”，表单名可以是branch_pledge、"
	    "member_pledge，例如“branch_pledge:1”。");
	check_input(&fl, "branch_pledge:",
	    "ERR:所属承诺书：应写成“表单名:编号”，表单名可以是branch_pledge、"
	    "member_pledge，例如“branch_pledge:1”。");
}

/* ------------------------------------------------------------------ */

static char tmproot[64];

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	ok(fp != NULL, "create %s", name);
	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	free(path);
}

static const char set_settings[] =
    "form settings\nlabel 设置\norder 900\n"
    "field min_fact\n  label 实事承诺最少条数\n  type int 0 20\n"
    "  default 1\n"
    "field formula\n  label 满意率口径\n  type enum\n"
    "  option broad 三项合计\n  option strict 仅满意\n  default broad\n";

static const char set_owner[] =
    "form owner\nlabel 承诺书\ntitle name\norder 10\n"
    "check count(items, kind, \"fact\") >= setting(\"min_fact\")\n"
    "message 实事承诺太少。\n"
    "sign signed_on\n"
    "field name\n  label 名称\n  type text 20\n"
    "field period\n  label 周期\n  type period\n  default current\n"
    "  index\n"
    "field signed_on\n  label 签署日期\n  type date\n"
    "field items\n  label 承诺事项\n  type rows 1\n"
    "  store child owner_ref\n"
    "  columns kind content due_date overdue\n"
    "  check has(content) or kind = \"service\"\n"
    "  message 实事承诺要写内容。\n"
    "  end\n"
    "field total\n  label 事项数\n  compute count(items)\n  format int\n";

static const char set_child[] =
    "form child\nlabel 台账\ntitle content\norder 20\n"
    "closed status done\n"
    "field owner_ref\n  label 所属承诺书\n  type link owner other\n"
    "  required\n"
    "field period\n  label 周期\n  type period\n"
    "  auto parent owner_ref period\n  required\n"
    "field kind\n  label 类别\n  type enum\n  option service 服务承诺\n"
    "  option fact 实事承诺\n  required\n"
    "field content\n  label 内容\n  type text 50\n"
    "field due_date\n  label 完成时限\n  type date\n"
    "field status\n  label 状态\n  type enum\n  option todo 未开始\n"
    "  option done 已完成\n  default todo\n"
    "field completed_on\n  label 完成时间\n  type date\n"
    "  required_if status done\n"
    "field overdue\n  label 逾期\n"
    "  compute has(due_date) and due_date < today and status != \"done\"\n"
    "  format flag 逾期\n"
    "field remarks\n  label 备注\n  type text 50\n  annotation\n";

static const char set_other[] =
    "form other\nlabel 其他\ntitle x\norder 30\n"
    "field x\n  label 甲\n  type text 5\n";

/* Writes the four good files, with one of them replaced by text (NULL:
 * none), into a fresh directory; returns the directory. */
static char *
make_set(const char *name, const char *text)
{
	static int seq;
	char *dir = xasprintf("%s/set%d", tmproot, ++seq);

	if (mkdir(dir, 0700) != 0)
		ok(0, "mkdir %s", dir);
	write_file(dir, "settings.form", strcmp(name, "settings.form") == 0 ?
	    text : set_settings);
	write_file(dir, "owner.form", strcmp(name, "owner.form") == 0 ?
	    text : set_owner);
	write_file(dir, "child.form", strcmp(name, "child.form") == 0 ?
	    text : set_child);
	write_file(dir, "other.form", strcmp(name, "other.form") == 0 ?
	    text : set_other);
	return dir;
}

/* Loads the set with one file replaced; "%s" in want is the dir. */
static void
check_bad_set(const char *name, const char *text, const char *want_fmt,
    const char *what)
{
	struct formset *fs = NULL;
	char *dir = make_set(name, text), *err = NULL, *want;

	want = xasprintf(want_fmt, dir);
	ok(formset_load_dir(dir, &fs, &err) == CX_ERR && fs == NULL,
	    "%s fails", what);
	is_str(err, want, "%s", what);
	free(err);
	free(want);
	free(dir);
}

static char *
replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);

	if (p == NULL)
		return xstrdup(s);
	return xasprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static void
test_set_errors(void)
{
	char *s, *t;

	t = replace(set_owner, "store child owner_ref", "store nosuch x");
	check_bad_set("owner.form", t, "%s/owner.form:19: 多行表格“items”要存放"
	    "的表单“nosuch”不存在。", "store kind missing");
	free(t);
	t = replace(set_owner, "store child owner_ref", "store child nosuch");
	check_bad_set("owner.form", t, "%s/owner.form:19: 表单“child”（台账）"
	    "没有字段“nosuch”。", "store field missing");
	free(t);
	t = replace(set_owner, "store child owner_ref", "store child remarks");
	check_bad_set("owner.form", t, "%s/owner.form:19: 表单“child”的字段"
	    "“remarks”应是能关联到“owner”的关联（link）字段。",
	    "store field not a link");
	free(t);
	s = replace(set_child, "type link owner other", "type link other");
	t = replace(s, "auto parent owner_ref period", "auto parent owner_ref x");
	free(s);
	check_bad_set("child.form", t, "%s/owner.form:19: 表单“child”的字段"
	    "“owner_ref”应是能关联到“owner”的关联（link）字段。",
	    "store link elsewhere");
	free(t);
	t = replace(set_owner, "columns kind", "columns nosuch kind");
	check_bad_set("owner.form", t, "%s/owner.form:19: 表单“child”（台账）"
	    "没有字段“nosuch”。", "column missing");
	free(t);
	t = replace(set_child, "type link owner other", "type link owner gone");
	check_bad_set("child.form", t, "%s/child.form:6: 关联的表单“gone”"
	    "不存在。", "link kind missing");
	free(t);
	t = replace(set_child, "auto parent owner_ref period",
	    "auto parent owner_ref nosuch");
	check_bad_set("child.form", t, "%s/child.form:10: “auto parent”：可关联"
	    "的表单（owner、other）都没有字段“nosuch”。", "auto parent field");
	free(t);
	t = replace(set_other, "field x\n",
	    "field r\n  label 承诺书\n  type ref owner\n"
	    "field y\n  label 乙\n  type text 5\n  auto from r nosuch\n"
	    "field x\n");
	check_bad_set("other.form", t, "%s/other.form:8: “auto from”：表单"
	    "“owner”（承诺书）没有字段“nosuch”。", "auto from field");
	free(t);
	t = replace(set_owner, "setting(\"min_fact\")", "setting(\"nosuch\")");
	check_bad_set("owner.form", t, "%s/owner.form:5: 检查条件有误：未知的"
	    "设置“nosuch”。", "unknown setting");
	free(t);
	t = replace(set_owner, "has(content)", "has(nosuch)");
	check_bad_set("owner.form", t, "%s/owner.form:24: 检查条件有误：未知的"
	    "字段“nosuch”。", "stored row check");
	free(t);
}

/* A fake store for links: owner 3 is named 甲承诺书, owner 13 cannot be
 * read, anything else does not exist. */
static int
link_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct record *r;

	(void)arg;
	*out = NULL;
	if (strcmp(kind, "owner") != 0)
		return CX_NOTFOUND;
	if (id == 13)
		return err_set(errp, "数据库出错。");
	if (id != 3)
		return CX_NOTFOUND;
	r = record_new();
	r->id = id;
	record_set(r, "name", "甲承诺书");
	*out = r;
	return CX_OK;
}

static const char *
set_value(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "min_fact") == 0 ? "2" : NULL;
}

static struct record *
child_row(struct record *owner, const char *kind, const char *content,
    const char *due, const char *status)
{
	struct record *row = record_add_row(owner, "items");

	record_set(row, "owner_ref", "owner:3");
	if (kind != NULL)
		record_set(row, "kind", kind);
	if (content != NULL)
		record_set(row, "content", content);
	if (due != NULL)
		record_set(row, "due_date", due);
	if (status != NULL)
		record_set(row, "status", status);
	return row;
}

static void
test_set_good(void)
{
	struct formset *fs = NULL;
	const struct form *owner, *child, *settings;
	const struct form_field *items, *col;
	struct form_ctx ctx;
	struct strlist p;
	struct record *r, *row;
	char *dir = make_set("", NULL), *err = NULL, *s;
	size_t n;

	ok(formset_load_dir(dir, &fs, &err) == CX_OK, "set with stored rows");
	is_str(err, NULL, "no message");
	free(err);
	free(dir);
	if (fs == NULL)
		return;
	owner = formset_find(fs, "owner");
	child = formset_find(fs, "child");
	settings = formset_find(fs, "settings");
	ok(owner->settings == settings && child->settings == settings,
	    "every form knows the settings");
	items = form_field_find(owner, "items");
	ok(items->store_form == child, "store form resolved");
	is_int(items->nsub, 4, "columns copied");
	col = form_subfield_find(items, "kind");
	ok(col != NULL && col != form_field_find(child, "kind"),
	    "a copy, not the child's own");
	is_int(col->nopts, 2, "options copied");
	is_str(col->opts[1].label, "实事承诺", "option label copied");
	ok(col->required, "required copied");
	col = form_subfield_find(items, "overdue");
	ok(col->compute_expr != NULL && col->format == FMT_FLAG,
	    "computed column copied");
	ok(form_field_find(child, "owner_ref")->index, "link indexed");
	ok(form_field_find(child, "period")->auto_fn != NULL, "auto kept");

	memset(&ctx, 0, sizeof ctx);
	ctx.today.y = 2026;
	ctx.today.m = 9;
	ctx.today.d = 1;
	ctx.setting = set_value;

	/* One fact without content, one service; settings ask for 2 facts. */
	r = record_new();
	record_set(r, "name", "甲承诺书");
	record_set(r, "period", "2026H2");
	row = child_row(r, "fact", NULL, "2026-08-01", "todo");
	child_row(r, "service", NULL, "2026-12-01", NULL);
	row = child_row(r, NULL, "走访", NULL, NULL);
	strlist_init(&p);
	n = form_validate_ctx(owner, r, &ctx, link_lookup, NULL, &p);
	{
		static const char *const want[] = {
			"承诺事项第1行：实事承诺要写内容。",
			"承诺事项第3行“类别”：必须填写。",
			"实事承诺太少。",
		};
		check_problems(&p, want, 3, "stored rows");
		is_int(n, 3, "count");
	}
	strlist_free(&p);

	/* The computed column sees the whole child record and today. */
	s = form_compute(form_subfield_find(items, "overdue"), owner,
	    record_row(r, "items", 0), r, &ctx);
	is_str(s, "逾期", "overdue row");
	free(s);
	s = form_compute(form_subfield_find(items, "overdue"), owner,
	    record_row(r, "items", 1), r, &ctx);
	is_str(s, "", "not yet due");
	free(s);
	s = form_compute(form_field_find(owner, "total"), owner, r, NULL,
	    &ctx);
	is_str(s, "3", "count of stored rows");
	free(s);
	/* The child's own field on the child record. */
	s = form_compute(form_field_find(child, "overdue"), child,
	    record_row(r, "items", 0), NULL, &ctx);
	is_str(s, "逾期", "overdue on the child");
	free(s);
	record_set(record_row(r, "items", 0), "status", "done");
	s = form_compute(form_field_find(child, "overdue"), child,
	    record_row(r, "items", 0), NULL, &ctx);
	is_str(s, "", "done is never overdue");
	free(s);

	/* Default settings: one fact is enough. */
	ctx.setting = NULL;
	record_set(record_row(r, "items", 0), "content", "修路");
	record_set(record_row(r, "items", 2), "kind", "service");
	n = form_validate_ctx(owner, r, &ctx, link_lookup, NULL, &p);
	is_int(n, 0, "good with default settings");
	strlist_free(&p);

	/* The child alone: required_if, auto never required. */
	row = record_copy(record_row(r, "items", 0));
	n = form_validate_ctx(child, row, &ctx, link_lookup, NULL, &p);
	{
		static const char *const want[] = {
			"完成时间：状态为“已完成”时必须填写。",
		};
		check_problems(&p, want, 1, "required_if");
		is_int(n, 1, "one problem");
	}
	strlist_free(&p);
	record_set(row, "completed_on", "2026-08-30");
	record_set(row, "overdue", "stored but never checked");
	n = form_validate(child, row, link_lookup, NULL, &p);
	is_int(n, 0, "completed");
	strlist_free(&p);
	record_free(row);

	/* Display of links and periods. */
	col = form_field_find(child, "owner_ref");
	s = form_value_display(fs, col, "owner:3", link_lookup, NULL);
	is_str(s, "承诺书：甲承诺书", "link display");
	free(s);
	s = form_value_display(fs, col, "owner:4", link_lookup, NULL);
	is_str(s, "承诺书：（编号4，已不存在）", "link to nothing");
	free(s);
	s = form_value_display(fs, col, "owner:13", link_lookup, NULL);
	is_str(s, "承诺书：（编号13，无法读取）", "unreadable link");
	free(s);
	s = form_value_display(fs, col, "other:5", link_lookup, NULL);
	is_str(s, "其他：（编号5，已不存在）", "other kind");
	free(s);
	s = form_value_display(fs, col, "owner:3", NULL, NULL);
	is_str(s, "承诺书：（编号3）", "link without lookup");
	free(s);
	s = form_value_display(NULL, col, "owner:3", NULL, NULL);
	is_str(s, "owner：（编号3）", "link without a set");
	free(s);
	s = form_value_display(fs, col, "garbage", link_lookup, NULL);
	is_str(s, "garbage", "not a link");
	free(s);
	s = form_value_display(fs, form_field_find(owner, "period"), "2026H2",
	    NULL, NULL);
	is_str(s, "2026年下半年", "period display");
	free(s);
	s = form_value_display(fs, form_field_find(owner, "period"), "2025H1",
	    NULL, NULL);
	is_str(s, "2025年上半年", "first half");
	free(s);

	record_free(r);
	formset_free(fs);
}

static void
test_validate_new(void)
{
	struct form *f = NULL;
	struct form_ctx ctx;
	struct strlist p;
	struct record *r, *row;
	char *err = NULL;
	size_t n;

	ok(form_parse("n.form", new_form, strlen(new_form), &f, &err) ==
	    CX_OK, "parses");
	free(err);
	if (f == NULL)
		return;
	memset(&ctx, 0, sizeof ctx);
	ctx.today.y = 2026;
	ctx.today.m = 11;
	ctx.today.d = 27;

	r = record_new();
	record_set(r, "a", "60");
	record_set(r, "s", "unmet");
	record_set(r, "p", "2026H1");
	record_set(r, "t", "9:30");
	record_set(r, "signed_on", "2026-07-01");
	row = record_add_row(r, "rows");
	record_set(row, "x", "70");
	record_set(row, "y", "1");
	row = record_add_row(r, "rows");
	record_set(row, "x", "10");
	record_set(row, "twice", "999");
	strlist_init(&p);
	n = form_validate_ctx(f, r, &ctx, NULL, NULL, &p);
	{
		static const char *const want[] = {
			"时间：“9:30”不是规范的存储格式（应为“09:30”）。",
			"未兑现原因：状态为“未兑现”时必须填写。",
			"表格第1行“说明”：是否为“是”时必须填写。",
			"表格第1行：每行的数不能超过甲。",
			"甲不能超过 50。",
			"签署日期不能晚于周期结束。",
		};
		check_problems(&p, want, 6, "new rules");
		is_int(n, 6, "count");
	}
	strlist_free(&p);

	/* Unknown passes: with a and p empty, neither the row check nor
	 * the period check can say false. */
	record_remove(r, "a");
	record_remove(r, "p");
	record_set(r, "t", "09:30");
	record_set(r, "why", "天气原因");
	record_set(record_row(r, "rows", 0), "z", "说明");
	n = form_validate_ctx(f, r, &ctx, NULL, NULL, &p);
	is_int(n, 0, "unknown values pass: %s", p.n > 0 ? p.v[0] : "");
	strlist_free(&p);
	/* Without a context only the fields are checked. */
	record_set(r, "a", "90");
	n = form_validate_ctx(f, r, NULL, NULL, NULL, &p);
	is_int(n, 0, "no checks without a context");
	strlist_free(&p);
	n = form_validate(f, r, NULL, NULL, &p);
	is_int(n, 1, "form_validate runs the checks");
	is_str(p.n > 0 ? p.v[0] : NULL, "甲不能超过 50。", "check message");
	strlist_free(&p);
	/* b filled, a empty: the first check is false. */
	record_remove(r, "a");
	record_set(r, "b", "5");
	n = form_validate_ctx(f, r, &ctx, NULL, NULL, &p);
	is_int(n, 1, "has()");
	is_str(p.n > 0 ? p.v[0] : NULL, "填了乙就要填甲。", "has() message");
	strlist_free(&p);
	record_free(r);

	/* Defaults: period "current" is the period of the given day. */
	r = record_new();
	{
		struct date d = { 2024, 6, 30 };

		form_apply_defaults(f, r, &d);
		is_str(record_get(r, "p"), "2024H1", "current period, H1");
		record_set(r, "p", "");
		d.m = 7;
		d.d = 1;
		form_apply_defaults(f, r, &d);
		is_str(record_get(r, "p"), "2024H2", "current period, H2");
		record_set(r, "p", "2020H1");
		form_apply_defaults(f, r, &d);
		is_str(record_get(r, "p"), "2020H1", "value kept");
	}
	record_free(r);
	form_free(f);
}

static const char compute_form[] =
    "form c\nlabel 计算\n"
    "field a\n  label 甲\n  type int -100 100\n"
    "field b\n  label 乙\n  type int -100 100\n"
    "field d\n  label 日\n  type date\n"
    "field pct\n  label 百分比\n  compute a / b\n  format percent\n"
    "field dec\n  label 小数\n  compute a / b\n  format decimal\n"
    "field whole\n  label 整数\n  compute a / b\n  format int\n"
    "field plain\n  label 原样\n  compute a / b\n"
    "field sum\n  label 和\n  compute a + b\n"
    "field flag\n  label 标记\n  compute a > b\n  format flag 偏高\n"
    "field yes\n  label 是否偏高\n  compute a > b\n"
    "field next\n  label 次日\n  compute d + 1\n"
    "field lvl\n  label 等次\n  type enum\n  option good 好\n"
    "  option bad 差\n  compute if(a > b, \"good\", \"bad\")\n"
    "field word\n  label 文字\n  compute if(a > b, \"高\", \"低\")\n"
    "field rows\n  label 表\n  type rows\n"
    "  field n\n    label 数\n    type int 0 100\n"
    "  field share\n    label 占比\n    compute n / sum(rows, n)\n"
    "    format percent\n"
    "  end\n";

static void
check_compute(const struct form *f, const struct record *r,
    const char *id, const char *want)
{
	struct form_ctx ctx;
	char *got;

	memset(&ctx, 0, sizeof ctx);
	got = form_compute(form_field_find(f, id), f, r, NULL, &ctx);
	is_str(got, want, "compute %s", id);
	free(got);
}

static void
test_compute(void)
{
	struct form *f = NULL;
	struct record *r;
	struct form_ctx ctx;
	char *err = NULL, *s;

	ok(form_parse("c.form", compute_form, strlen(compute_form), &f,
	    &err) == CX_OK, "compute form parses");
	is_str(err, NULL, "no message");
	free(err);
	if (f == NULL)
		return;
	r = record_new();
	check_compute(f, r, "pct", "");
	check_compute(f, r, "flag", "");
	check_compute(f, r, "yes", "");
	record_set(r, "a", "6");
	record_set(r, "b", "7");
	record_set(r, "d", "2026-02-28");
	check_compute(f, r, "pct", "85.7%");
	check_compute(f, r, "dec", "0.86");
	check_compute(f, r, "whole", "1");
	check_compute(f, r, "plain", "0.86");
	check_compute(f, r, "sum", "13");
	check_compute(f, r, "flag", "");
	check_compute(f, r, "yes", "否");
	check_compute(f, r, "next", "2026-03-01");
	check_compute(f, r, "lvl", "差");
	check_compute(f, r, "word", "低");
	record_set(r, "a", "8");
	check_compute(f, r, "flag", "偏高");
	check_compute(f, r, "yes", "是");
	check_compute(f, r, "lvl", "好");
	check_compute(f, r, "word", "高");
	check_compute(f, r, "pct", "114.3%");
	record_set(r, "a", "-1");
	record_set(r, "b", "100");
	check_compute(f, r, "whole", "0");
	check_compute(f, r, "dec", "-0.01");
	check_compute(f, r, "pct", "-1.0%");
	record_set(r, "b", "0");
	check_compute(f, r, "pct", "");
	check_compute(f, r, "sum", "-1");

	/* A computed row field: the row, with the record as parent. */
	record_set(record_add_row(r, "rows"), "n", "1");
	record_set(record_add_row(r, "rows"), "n", "3");
	memset(&ctx, 0, sizeof ctx);
	s = form_compute(form_subfield_find(form_field_find(f, "rows"),
	    "share"), f, record_row(r, "rows", 1), r, &ctx);
	is_str(s, "75.0%", "row computed with its record");
	free(s);
	s = form_compute(form_field_find(f, "a"), f, r, NULL, &ctx);
	is_str(s, "", "not a computed field");
	free(s);
	s = form_compute(NULL, f, r, NULL, &ctx);
	is_str(s, "", "no field");
	free(s);
	record_free(r);
	form_free(f);
}

static void
test_annex_features(void)
{
	snprintf(tmproot, sizeof tmproot, "/tmp/cxzy-formdef.XXXXXX");
	if (mkdtemp(tmproot) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	test_parse_new_errors();
	test_parse_new_good();
	test_input_new();
	test_set_errors();
	test_set_good();
	test_validate_new();
	test_compute();
	rm_tree(tmproot);
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

/* "default FIELD CODE..." on a rows table: preset rows for new records. */
static void
test_rows_default(void)
{
	const char *text = HDR "field items\n  label 项目\n  type rows 0 6\n"
	    "  default item o2 o1\n  field item\n    label 项目名\n"
	    "    type enum\n    option o1 甲\n    option o2 乙\n"
	    "  field n\n    label 票数\n    type int 0 99\n    default 0\n"
	    "end\n";
	struct form *f = NULL;
	struct record *r;
	struct date today = { 2026, 11, 27 };
	char *err = NULL;

	ok(form_parse("t.form", text, strlen(text), &f, &err) == CX_OK,
	    "rows default parses: %s", err != NULL ? err : "");
	free(err);
	if (f == NULL)
		return;
	r = record_new();
	form_apply_defaults(f, r, &today);
	is_int((long long)record_nrows(r, "items"), 2, "one row per code");
	is_str(record_get(record_row(r, "items", 0), "item"), "o2",
	    "rows in the order written");
	is_str(record_get(record_row(r, "items", 1), "item"), "o1",
	    "second row");
	is_str(record_get(record_row(r, "items", 1), "n"), "0",
	    "preset rows get their sub-field defaults");
	/* A record that already has rows (even none) keeps them. */
	record_remove_row(r, "items", 0);
	form_apply_defaults(f, r, &today);
	is_int((long long)record_nrows(r, "items"), 1,
	    "existing rows are not preset again");
	record_free(r);
	form_free(f);

	check_parse_err(HDR "field items\n  label 项目\n  type rows\n"
	    "  default x o1\n  field item\n    label 项目名\n    type enum\n"
	    "    option o1 甲\nend\n",
	    "t.form:6: 多行表格的默认值应写成“default 单选字段 选项代码...”："
	    "表格里没有单选字段“x”。", "rows default names no enum");
	check_parse_err(HDR "field items\n  label 项目\n  type rows\n"
	    "  default item o9\n  field item\n    label 项目名\n    type enum\n"
	    "    option o1 甲\nend\n",
	    "t.form:6: 默认行的选项“o9”不是字段“item”的选项代码。",
	    "rows default with an unknown code");
	check_parse_err(HDR "field items\n  label 项目\n  type rows\n"
	    "  default item\n  field item\n    label 项目名\n    type enum\n"
	    "    option o1 甲\nend\n",
	    "t.form:6: 多行表格的默认值应写成“default 单选字段 选项代码...”，"
	    "至少一个选项。", "rows default without codes");
}

/* Computed and auto fields whose values need themselves are refused when
 * the form is read: evaluation would only stop at its depth limit, after
 * exponential work (a fuzzer found a column "n / sum(rows, n)"). */
static void
test_compute_cycles(void)
{
	static const char dag[] = HDR
	    "field a\n  label A\n  type int 0 99\n"
	    "field b\n  label B\n  compute a * 2\n"
	    "field c\n  label C\n  compute a + b\n"
	    "field items\n  label 明细\n  type rows\n"
	    "  field x\n    label X\n    type int 0 99\n"
	    "  field y\n    label Y\n    compute x * 2\n"
	    "  field z\n    label Z\n    compute y + total\n"
	    "  field n\n    label N\n    type int 0 99\n"
	    "  end\n"
	    "field total\n  label 合计\n  compute sum(items, y) + c\n"
	    "field n\n  label 件数\n  compute sum(items, n)\n"
	    "field share\n  label 占比\n  compute n / sum(items, n)\n";
	struct form *f = NULL;
	char *err = NULL;

	check_parse_err(HDR "field a\n  label A\n  compute a + 1\n",
	    "t.form:5: 字段 a 的计算公式引用了它自己：a → a。",
	    "compute naming itself");
	check_parse_err(HDR "field a\n  label A\n  compute b\n"
	    "field b\n  label B\n  compute a + 1\n",
	    "t.form:5: 计算公式循环引用：a → b → a。", "two-field cycle");
	check_parse_err(HDR "field x\n  label X\n  type int 0 9\n"
	    "field a\n  label A\n  compute x + b\n"
	    "field b\n  label B\n  compute if(has(x), c, 0)\n"
	    "field c\n  label C\n  compute max(a, 1)\n",
	    "t.form:8: 计算公式循环引用：a → b → c → a。",
	    "three-field cycle");
	/* The fuzzer's form: a column that sums itself over the rows. */
	check_parse_err(HDR "field rows\n  label 明细\n  type rows\n"
	    "  field n\n    label N\n    type int 0 9\n"
	    "    compute n / sum(rows, n)\n  end\n",
	    "t.form:9: 字段 n 的计算公式引用了它自己：n → n。",
	    "column through its own sum");
	check_parse_err(HDR "field rows\n  label 明细\n  type rows\n"
	    "  field n\n    label N\n    compute sum(rows, n) + 1\n  end\n",
	    "t.form:8: 字段 n 的计算公式引用了它自己：n → n。",
	    "column only through its sum");
	/* A top-level field through a column: total → share → total. */
	check_parse_err(HDR "field total\n  label 合计\n"
	    "  compute sum(items, share)\n"
	    "field items\n  label 明细\n  type rows\n"
	    "  field k\n    label K\n    type int 0 9\n"
	    "  field share\n    label 占比\n    compute k / total\n  end\n",
	    "t.form:5: 计算公式循环引用：total → share → total。",
	    "top-level field and column");
	/* In a row a name is the column's before the record's. */
	check_parse_err(HDR "field n\n  label N\n  type int 0 9\n"
	    "field items\n  label 明细\n  type rows\n"
	    "  field n\n    label N\n    compute n * 2\n  end\n",
	    "t.form:11: 字段 n 的计算公式引用了它自己：n → n。",
	    "column shadowing a field");
	/* auto arguments are references too. */
	check_parse_err(HDR "field a\n  label A\n  type int 0 9\n"
	    "  auto initial b\n"
	    "field b\n  label B\n  type int 0 9\n  auto initial a\n",
	    "t.form:6: 自动取值（auto）和计算公式循环引用：a → b → a。",
	    "auto cycle");
	check_parse_err(HDR "field a\n  label A\n  type int 0 9\n"
	    "  auto initial b\n"
	    "field b\n  label B\n  compute a + 1\n",
	    "t.form:6: 自动取值（auto）和计算公式循环引用：a → b → a。",
	    "auto and compute cycle");

	ok(form_parse("t.form", dag, strlen(dag), &f, &err) == CX_OK,
	    "a form without cycles parses: %s", err != NULL ? err : "");
	ok(f != NULL && form_field_find(f, "share") != NULL,
	    "its fields are there");
	form_free(f);
	free(err);
}

/* owner: form level in the header, field level after "field". */
static void
test_owner(void)
{
	struct form *f = NULL;
	char *err = NULL;
	const char *text = HDR "owner branch\nfield a\n  label A\n"
	    "  type text 5\n  owner committee\nfield b\n  label B\n"
	    "  type text 5\n";

	ok(form_parse("t.form", text, strlen(text), &f, &err) == CX_OK,
	    "owner parses");
	if (f != NULL) {
		ok(f->owner == FORM_OWNER_BRANCH, "form owner");
		ok(form_field_owner(f, "a") == FORM_OWNER_COMMITTEE,
		    "field owner overrides");
		ok(form_field_owner(f, "b") == FORM_OWNER_BRANCH,
		    "field owner defaults to the form's");
		form_free(f);
	}
	free(err);
	check_parse_err(HDR "owner others\n", "t.form:3: “owner”应是 "
	    "committee（机关党委）、branch（党支部）或 both（双方），"
	    "现为“others”。", "unknown owner");
	check_parse_err(HDR "owner branch\nowner both\n",
	    "t.form:4: “owner”重复（第 3 行已写过）。", "owner twice");
	check_parse_err(HDR "field a\n  label A\n  type rows\n"
	    "  field x\n    label X\n    type text 5\n    owner branch\n"
	    "  end\n", "t.form:9: “owner”只能写在表单开头或顶层字段里，"
	    "不能写在多行表格的栏目里。", "owner in rows");
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
	test_rows_default();
	test_formset_errors();
	test_formset();
	test_validate_alone();
	test_annex_features();
	test_compute_cycles();
	test_shipped_forms();
	test_owner();
	return tap_done();
}
