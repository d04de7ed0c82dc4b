/* test_expr.c: the expression language of checks and computed fields:
 * parsing (with the column of each error), binding names to a form, and
 * evaluation with three-valued logic, dates, rows and settings. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "formdef.h"
#include "record.h"
#include "util.h"
#include "tap.h"

static const char form_text[] =
    "form t\n"
    "label 测试\n"
    "field n\n  label 数\n  type int -1000 1000\n"
    "field m\n  label 另一个数\n  type int -1000 1000\n"
    "field d1\n  label 日期一\n  type date\n"
    "field d2\n  label 日期二\n  type date\n"
    "field period\n  label 周期\n  type period\n"
    "field flag\n  label 标志\n  type bool\n"
    "field status\n  label 状态\n  type enum\n  option todo 未开始\n"
    "  option done 已完成\n"
    "field t1\n  label 开始\n  type time\n"
    "field t2\n  label 结束\n  type time\n"
    "field cap\n  label 上限\n  type int 0 100\n"
    "field qty\n  label 顶层数量\n  type int 0 100\n"
    "field note\n  label 备注\n  type text 20\n"
    "field items\n  label 事项\n  type rows\n"
    "  field kind\n    label 类别\n    type enum\n    option service 服务\n"
    "    option fact 实事\n"
    "  field tags\n    label 标签\n    type multienum\n    option a 甲\n"
    "    option b 乙\n"
    "  field qty\n    label 数量\n    type int 0 100\n"
    "  field twice\n    label 双倍\n    compute qty * 2\n"
    "  end\n"
    "field total\n  label 合计\n  compute sum(items, qty)\n"
    "field doubled\n  label 双倍合计\n  compute sum(items, twice)\n"
    "field ratio\n  label 比例\n  compute total / 24\n";

static const char settings_text[] =
    "form settings\n"
    "label 设置\n"
    "field min_fact\n  label 实事承诺最少条数\n  type int 0 100\n"
    "  default 1\n"
    "field formula\n  label 满意率口径\n  type enum\n"
    "  option broad 三项合计\n  option strict 仅满意\n  default broad\n"
    "field cmd\n  label 打印命令\n  type text 20\n";

static struct form *form, *settings;
static struct record *rec;
static struct form_ctx ctx;

/* Settings as stored: only min_fact is set, to 3. */
static const char *
fake_setting(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "min_fact") == 0)
		return "3";
	if (strcmp(name, "cmd") == 0)
		return "";
	return NULL;
}

/* A value as text: "unknown", "num:7", "bool:true", "date:2026-01-05",
 * "str:done". */
static char *
val_text(const struct expr_val *v)
{
	struct date d;
	char buf[11];

	switch (v->kind) {
	case EV_NUM:
		return xasprintf("num:%g", v->num);
	case EV_BOOL:
		return xstrdup(v->b ? "bool:true" : "bool:false");
	case EV_DATE:
		date_from_days(v->days, &d);
		date_format(&d, buf);
		return xasprintf("date:%s", buf);
	case EV_STR:
		return xasprintf("str:%s", v->str);
	default:
		return xstrdup("unknown");
	}
}

/* Parses, binds and evaluates text; a failure gives "ERR:" + message. */
static char *
eval_in(const char *text, const struct form_field *rowf,
    const struct record *row, const struct form *sf,
    const struct form_ctx *c)
{
	struct expr *e = NULL;
	struct expr_val v;
	char *err = NULL, *s;

	if (expr_parse(text, &e, &err) != CX_OK) {
		ok(e == NULL, "no tree on error: %s", text);
		s = xasprintf("ERR:%s", err != NULL ? err : "(no message)");
		free(err);
		return s;
	}
	if (expr_bind(e, form, rowf, sf, &err) != CX_OK) {
		s = xasprintf("ERR:%s", err != NULL ? err : "(no message)");
		free(err);
		expr_free(e);
		return s;
	}
	expr_eval(e, form, rec, rowf, row, sf, c, &v);
	s = val_text(&v);
	expr_free(e);
	return s;
}

static void
check_eval(const char *text, const char *want)
{
	char *got = eval_in(text, NULL, NULL, settings, &ctx);

	is_str(got, want, "eval %s", text);
	free(got);
}

static void
check_row(const char *text, size_t i, const char *want)
{
	const struct form_field *rowf = form_field_find(form, "items");
	char *got = eval_in(text, rowf, record_row(rec, "items", i), settings,
	    &ctx);

	is_str(got, want, "row %zu: %s", i + 1, text);
	free(got);
}

static void
check_parse_err(const char *text, const char *want)
{
	struct expr *e = NULL;
	char *err = NULL;

	ok(expr_parse(text, &e, &err) == CX_ERR, "parse fails: %s", text);
	is_str(err, want, "parse message: %s", text);
	ok(e == NULL, "no tree: %s", text);
	free(err);
	expr_free(e);
}

static void
check_bind_err(const char *text, const struct form_field *rowf,
    const struct form *sf, const char *want)
{
	struct expr *e = NULL;
	char *err = NULL;

	ok(expr_parse(text, &e, &err) == CX_OK, "parses: %s", text);
	free(err);
	err = NULL;
	ok(expr_bind(e, form, rowf, sf, &err) == CX_ERR, "bind fails: %s",
	    text);
	is_str(err, want, "bind message: %s", text);
	free(err);
	expr_free(e);
}

static struct form *
parse_form(const char *path, const char *text)
{
	struct form *f = NULL;
	char *err = NULL;

	ok(form_parse(path, text, strlen(text), &f, &err) == CX_OK,
	    "%s parses", path);
	is_str(err, NULL, "%s: no message", path);
	free(err);
	return f;
}

static void
add_item(const char *kind, const char *tags, const char *qty)
{
	struct record *row = record_add_row(rec, "items");

	if (kind != NULL)
		record_set(row, "kind", kind);
	if (tags != NULL)
		record_set(row, "tags", tags);
	if (qty != NULL)
		record_set(row, "qty", qty);
}

/* ------------------------------------------------------------------ */

static void
test_parse_errors(void)
{
	char deep[400];
	size_t i;

	check_parse_err("(n + 1",
	    "第7个字符：缺少右括号（与第1个字符的左括号配对）。");
	check_parse_err("n +",
	    "第4个字符：表达式不完整，缺少数值或字段名。");
	check_parse_err("",
	    "第1个字符：表达式不完整，缺少数值或字段名。");
	check_parse_err("n # 1", "第3个字符：不认识的符号“#”。");
	check_parse_err("状态 = 1", "第1个字符：不认识的符号“状”。");
	check_parse_err("n = \"abc", "第5个字符：字符串缺少右引号。");
	check_parse_err("foo(1)", "第1个字符：未知的函数“foo”。可用的函数："
	    "count、sum、has、if、min、max、start、end、setting。");
	check_parse_err("today() = 1", "第1个字符：未知的函数“today”。可用的"
	    "函数：count、sum、has、if、min、max、start、end、setting。");
	check_parse_err("1 + min(1)", "第5个字符：min() 要有 2 个参数。");
	check_parse_err("max(1, 2, 3)", "第1个字符：max() 要有 2 个参数。");
	check_parse_err("has()", "第1个字符：has() 要有 1 个参数。");
	check_parse_err("if(flag, 1)", "第1个字符：if() 要有 3 个参数：条件、"
	    "成立时的值、不成立时的值。");
	check_parse_err("count(items, kind)", "第1个字符：count() 的参数应是"
	    "表格，或表格、字段和至少一个带引号的代码，例如 count(items, kind, "
	    "\"fact\")。");
	check_parse_err("count(1)", "第1个字符：count() 的参数应是表格，或"
	    "表格、字段和至少一个带引号的代码，例如 count(items, kind, "
	    "\"fact\")。");
	check_parse_err("count(items, kind, fact)",
	    "第1个字符：count() 的代码要带引号，例如 \"fact\"。");
	check_parse_err("sum(items)", "第1个字符：sum() 的参数应是表格和字段，"
	    "例如 sum(votes, yes)。");
	check_parse_err("setting(min_fact)", "第1个字符：setting() 的参数应是"
	    "带引号的设置名，例如 setting(\"min_fact_pledges\")。");
	check_parse_err("n m", "第3个字符：多余的“m”（是否漏写了运算符？）。");
	check_parse_err("n)", "第2个字符：多余的右括号。");
	check_parse_err("n < m < 3",
	    "第7个字符：多余的“<”（是否漏写了运算符？）。");
	check_parse_err("1. + 2",
	    "第1个字符：数字写得不完整（小数点后面要有数字）。");
	check_parse_err("2x", "第1个字符：数字后面不能紧跟字母。");
	check_parse_err("n and or m",
	    "第7个字符：这里应是数值、字段名或“(”，不应是“or”。");
	check_parse_err("not not flag",
	    "第5个字符：这里应是数值、字段名或“(”，不应是“not”。");
	/* Columns count characters, not bytes. */
	check_parse_err("\"中文\" = )",
	    "第8个字符：这里应是数值、字段名或“(”，不应是“)”。");
	check_parse_err("note = \"甲乙\" 丙", "第13个字符：不认识的符号“丙”。");
	check_parse_err("min(1, 2", "第9个字符：缺少右括号。");
	/* A broken argument is freed with the call (found by fuzz_form). */
	check_parse_err("has(n- or m)",
	    "第8个字符：这里应是数值、字段名或“(”，不应是“or”。");
	check_parse_err("min(1 + (2 *, 3)",
	    "第13个字符：这里应是数值、字段名或“(”，不应是“,”。");
	check_parse_err("n == 1",
	    "第4个字符：这里应是数值、字段名或“(”，不应是“=”。");
	for (i = 0; i < 150; i++)
		deep[i] = '(';
	deep[i++] = '1';
	while (i < 301)
		deep[i++] = ')';
	deep[i] = '\0';
	{
		struct expr *e = NULL;
		char *err = NULL;

		ok(expr_parse(deep, &e, &err) == CX_ERR, "deep nesting fails");
		ok(err != NULL && strstr(err, "嵌套太深") != NULL,
		    "deep nesting message: %s", err ? err : "(null)");
		free(err);
		ok(expr_parse("((((((((((1))))))))))", &e, NULL) == CX_OK,
		    "ten levels are fine");
		expr_free(e);
		ok(expr_parse("- - - 1", &e, NULL) == CX_OK,
		    "repeated minus");
		expr_free(e);
	}
}

static void
test_bind(void)
{
	const struct form_field *items = form_field_find(form, "items");

	check_bind_err("nosuch + 1", NULL, settings, "未知的字段“nosuch”。");
	check_bind_err("kind = \"fact\"", NULL, settings,
	    "未知的字段“kind”。");
	check_bind_err("items > 1", NULL, settings,
	    "多行表格“items”只能用作 count() 或 sum() 的第一个参数。");
	check_bind_err("count(note) > 1", NULL, settings,
	    "“note”不是多行表格，不能用在 count() 或 sum() 里。");
	check_bind_err("count(nosuch) > 1", NULL, settings,
	    "未知的字段“nosuch”。");
	check_bind_err("sum(items, status) > 1", NULL, settings,
	    "多行表格“items”没有字段“status”。");
	check_bind_err("setting(\"nosuch\") = 1", NULL, settings,
	    "未知的设置“nosuch”。");
	check_bind_err("has(nosuch)", items, settings, "未知的字段“nosuch”。");
	check_bind_err("if(flag, 1, missing)", NULL, settings,
	    "未知的字段“missing”。");

	/* Without a settings form any setting name passes; in a row the
	 * row's fields and the record's are both known. */
	{
		struct expr *e = NULL;
		char *err = NULL;

		ok(expr_parse("setting(\"nosuch\") = 1 and kind = \"fact\" and "
		    "cap > 1 and count(items) > 0", &e, &err) == CX_OK,
		    "parses");
		ok(expr_bind(e, form, items, NULL, &err) == CX_OK,
		    "binds in a row without settings");
		is_str(err, NULL, "no message");
		free(err);
		expr_free(e);
	}
}

static void
test_numbers(void)
{
	check_eval("1 + 2 * 3", "num:7");
	check_eval("(1 + 2) * 3", "num:9");
	check_eval("10 - 4 - 3", "num:3");
	check_eval("8 / 4 / 2", "num:1");
	check_eval("7 / 2", "num:3.5");
	check_eval("-2 * 3", "num:-6");
	check_eval("2 - -3", "num:5");
	check_eval("- (1 + 2)", "num:-3");
	check_eval("0.5 + 0.25", "num:0.75");
	check_eval("n", "num:12");
	check_eval("n * 2 + m", "num:19");
	check_eval("n / m", "num:-2.4");
	check_eval("1 / 0", "unknown");
	check_eval("n / (m - m)", "unknown");
	check_eval("flag + 1", "num:2");
	check_eval("\"a\" + 1", "unknown");
	check_eval("-\"a\"", "unknown");
	check_eval("min(n, m)", "num:-5");
	check_eval("max(n, m)", "num:12");
	check_eval("min(n, cap)", "unknown");
	check_eval("max(flag, 0)", "num:1");
}

static void
test_logic(void)
{
	check_eval("1 + 1 = 2", "bool:true");
	check_eval("1 != 1", "bool:false");
	check_eval("n >= 12 and n <= 12", "bool:true");
	check_eval("n > 12", "bool:false");
	check_eval("m < 0", "bool:true");
	check_eval("not 1 = 2", "bool:true");
	check_eval("not n < 20 or n = 12", "bool:true");
	check_eval("1 = 2 and 1 = 1 or 1 = 1", "bool:true");
	check_eval("1 = 1 or 1 = 1 and 1 = 2", "bool:true");
	check_eval("(1 = 1 or 1 = 1) and 1 = 2", "bool:false");
	check_eval("not (1 = 1 and 1 = 2)", "bool:true");
	check_eval("true and not false", "bool:true");
	check_eval("flag", "bool:true");
	check_eval("flag = 1", "bool:true");
	check_eval("flag = true", "bool:true");
	check_eval("flag = 0", "bool:false");
	check_eval("flag < true", "unknown");
	check_eval("n and 1", "bool:true");	/* non-zero numbers */
	check_eval("0 or 0", "bool:false");
	check_eval("not 0", "bool:true");
	check_eval("not note", "unknown");	/* strings have no truth */

	/* Three-valued logic: cap is empty. */
	check_eval("cap", "unknown");
	check_eval("cap + 1", "unknown");
	check_eval("cap = 1", "unknown");
	check_eval("cap != 1", "unknown");
	check_eval("not cap = 1", "unknown");
	check_eval("cap = 1 and 1 = 2", "bool:false");
	check_eval("1 = 2 and cap = 1", "bool:false");
	check_eval("cap = 1 and 1 = 1", "unknown");
	check_eval("cap = 1 or 1 = 1", "bool:true");
	check_eval("1 = 1 or cap = 1", "bool:true");
	check_eval("cap = 1 or 1 = 2", "unknown");
	check_eval("has(cap)", "bool:false");
	check_eval("has(cap + 1)", "bool:false");
	check_eval("has(n)", "bool:true");
	check_eval("has(note)", "bool:true");
	check_eval("not has(cap) or cap > 3", "bool:true");
	check_eval("if(flag, 1, 2)", "num:1");
	check_eval("if(n > 100, 1, 2)", "num:2");
	check_eval("if(cap > 1, 1, 2)", "unknown");
	check_eval("if(flag, cap, 2)", "unknown");
	check_eval("if(1 = 2, cap, 2)", "num:2");
}

static void
test_strings_and_times(void)
{
	check_eval("status", "str:done");
	check_eval("status = \"done\"", "bool:true");
	check_eval("status != \"todo\"", "bool:true");
	check_eval("status = \"已完成\"", "bool:false");	/* codes, not labels */
	check_eval("note = \"走访群众\"", "bool:true");
	check_eval("t2 > t1", "bool:true");
	check_eval("t1 >= t2", "bool:false");
	check_eval("t1", "str:09:30");
	check_eval("period", "str:2026H2");
	check_eval("period = \"2026H2\"", "bool:true");
	check_eval("n = \"12\"", "bool:false");	/* kinds differ */
	check_eval("n != \"12\"", "bool:true");
	check_eval("n < \"12\"", "unknown");
	check_eval("\"b\" > \"a\"", "bool:true");
}

static void
test_dates(void)
{
	check_eval("d1", "date:2026-01-05");
	check_eval("d2 - d1", "num:31");
	check_eval("d1 - d2", "num:-31");
	check_eval("d1 + 30", "date:2026-02-04");
	check_eval("30 + d1", "date:2026-02-04");
	check_eval("d1 - 5", "date:2025-12-31");
	check_eval("d1 + d2", "unknown");
	check_eval("d1 + 1000000", "unknown");	/* out of the calendar */
	check_eval("d1 + 0.5", "date:2026-01-05");
	check_eval("d1 * 2", "unknown");
	check_eval("d1 < d2", "bool:true");
	check_eval("d1 = \"2026-01-05\"", "bool:true");
	check_eval("\"2026-02-05\" = d2", "bool:true");
	check_eval("d1 < \"not a date\"", "unknown");
	check_eval("d1 = \"not a date\"", "bool:false");
	check_eval("today", "date:2026-11-27");
	check_eval("today - d2", "num:295");
	check_eval("start(period)", "date:2026-07-01");
	check_eval("end(period)", "date:2026-12-31");
	check_eval("start(\"2026H1\")", "date:2026-01-01");
	check_eval("end(\"2024H1\")", "date:2024-06-30");
	check_eval("end(\"2026H3\")", "unknown");
	check_eval("start(n)", "unknown");
	check_eval("d1 >= start(period) and d1 <= end(period)", "bool:false");
	check_eval("min(d1, d2)", "date:2026-01-05");
	check_eval("max(d1, d2)", "date:2026-02-05");
	check_eval("min(d1, n)", "unknown");

	/* Without a context there is no today. */
	{
		char *got = eval_in("today", NULL, NULL, settings, NULL);

		is_str(got, "unknown", "no today without a context");
		free(got);
	}
}

static void
test_rows(void)
{
	check_eval("count(items)", "num:4");
	check_eval("count(items, kind, \"fact\")", "num:2");
	check_eval("count(items, kind, \"fact\", \"service\")", "num:3");
	check_eval("count(items, kind, \"gift\")", "num:0");
	check_eval("count(items, tags, \"a\")", "num:2");
	check_eval("count(items, tags, \"b\")", "num:2");
	check_eval("count(items, tags, \"a\", \"b\")", "num:3");
	check_eval("sum(items, qty)", "num:12");
	check_eval("sum(items, twice)", "num:24");
	check_eval("count(items, kind, \"fact\") >= setting(\"min_fact\")",
	    "bool:false");

	/* Computed fields that name computed fields (a cycle is refused
	 * when the form is read: tests/unit/test_formdef.c). */
	check_eval("total", "num:12");
	check_eval("doubled", "num:24");
	check_eval("ratio", "num:0.5");

	/* In a row: the row's fields first, then the record's. */
	check_row("qty", 0, "num:5");
	check_row("qty <= cap", 0, "unknown");
	check_row("qty <= n", 0, "bool:true");
	check_row("qty", 1, "unknown");	/* not the record's qty */
	check_eval("qty", "num:99");
	check_row("twice", 2, "num:14");
	check_row("kind = \"fact\"", 2, "bool:true");
	check_row("count(items)", 2, "num:4");
	check_row("qty * 100 / total", 2, "num:58.3333");
	check_row("has(kind)", 3, "bool:false");

	/* No rows at all. */
	{
		struct record *saved = rec;
		char *got;

		rec = record_new();
		got = eval_in("count(items) + sum(items, qty)", NULL, NULL,
		    settings, &ctx);
		is_str(got, "num:0", "no rows count as 0");
		free(got);
		got = eval_in("count(items, kind, \"fact\")", NULL, NULL,
		    settings, &ctx);
		is_str(got, "num:0", "no rows match");
		free(got);
		got = eval_in("total", NULL, NULL, settings, &ctx);
		is_str(got, "num:0", "empty sum is 0");
		free(got);
		record_free(rec);
		rec = saved;
	}
}

static void
test_settings(void)
{
	struct form_ctx none = ctx;
	char *got;

	/* Stored "3" for min_fact; formula not stored: its default. */
	check_eval("setting(\"min_fact\")", "num:3");
	check_eval("setting(\"formula\")", "str:broad");
	check_eval("setting(\"formula\") = \"strict\"", "bool:false");
	check_eval("setting(\"cmd\")", "unknown");
	check_eval("if(setting(\"formula\") = \"strict\", 1, 3) * 2", "num:6");

	/* No setting function: defaults. */
	none.setting = NULL;
	got = eval_in("setting(\"min_fact\")", NULL, NULL, settings, &none);
	is_str(got, "num:1", "default setting");
	free(got);

	/* No settings form: the stored text, a number when it is one. */
	got = eval_in("setting(\"min_fact\")", NULL, NULL, NULL, &ctx);
	is_str(got, "num:3", "setting without a settings form");
	free(got);
	got = eval_in("setting(\"formula\")", NULL, NULL, NULL, &ctx);
	is_str(got, "unknown", "unset setting without a settings form");
	free(got);
}

int
main(void)
{
	form = parse_form("t.form", form_text);
	settings = parse_form("settings.form", settings_text);
	if (form == NULL || settings == NULL)
		return tap_done();

	memset(&ctx, 0, sizeof ctx);
	ctx.today.y = 2026;
	ctx.today.m = 11;
	ctx.today.d = 27;
	ctx.setting = fake_setting;

	rec = record_new();
	record_set(rec, "n", "12");
	record_set(rec, "m", "-5");
	record_set(rec, "d1", "2026-01-05");
	record_set(rec, "d2", "2026-02-05");
	record_set(rec, "period", "2026H2");
	record_set(rec, "flag", "1");
	record_set(rec, "status", "done");
	record_set(rec, "t1", "09:30");
	record_set(rec, "t2", "10:15");
	record_set(rec, "cap", "");
	record_set(rec, "note", "走访群众");
	record_set(rec, "qty", "99");
	add_item("service", "a", "5");
	add_item("fact", "a,b", NULL);
	add_item("fact", "b", "7");
	add_item(NULL, NULL, "0");

	test_parse_errors();
	test_bind();
	test_numbers();
	test_logic();
	test_strings_and_times();
	test_dates();
	test_rows();
	test_settings();

	record_free(rec);
	form_free(form);
	form_free(settings);
	return tap_done();
}
