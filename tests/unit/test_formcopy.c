/* test_formcopy.c: a data directory's copy of its forms: the diff lines,
 * snapshots and replacements, an interrupted swap, the check for data an
 * upgrade would drop, and forms carried by archives (hostile ones
 * included). */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "codec.h"
#include "formcopy.h"
#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

static char tmproot[64];

static const char note_v1[] =
    "# 笔记\n"
    "form note\nlabel 笔记\ntitle title\n"
    "field title\n  label 标题\n  type text 50\n  required\n"
    "field kind\n  label 类别\n  type enum\n  option a 甲\n  option b 乙\n"
    "field body\n  label 正文\n  type longtext\n"
    "field items\n  label 事项\n  type rows\n"
    "  field what\n    label 内容\n    type text 20\n"
    "  field who\n    label 责任人\n    type text 20\n  end\n";

/* Version 2: a new label, a field dropped, one added, options changed, a
 * sub-field dropped, a check added. */
static const char note_v2[] =
    "form note\nlabel 学习笔记\nversion 2\ntitle title\n"
    "check has(title)\nmessage 要有标题。\n"
    "field title\n  label 题目\n  type text 80\n  required\n"
    "field kind\n  label 类别\n  type enum\n  option a 甲类\n  option c 丙\n"
    "field place\n  label 地点\n  type text 20\n"
    "field items\n  label 事项\n  type rows\n"
    "  field what\n    label 内容\n    type text 20\n  end\n";

static const char task_form[] =
    "form task\nlabel 任务\nfield name\n  label 名称\n  type text 10\n";

static void
put_file(const char *dir, const char *name, const char *text)
{
	char *p = util_path(dir, name);
	FILE *fp;

	mkdir(dir, 0700);
	fp = fopen(p, "w");
	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	free(p);
}

static char *
make_dir(const char *name)
{
	char *d = util_path(tmproot, name);

	mkdir(d, 0700);
	return d;
}

static struct formset *
load(const char *dir)
{
	struct formset *fs = NULL;
	char *err = NULL;

	if (formset_load_dir(dir, &fs, &err) != CX_OK)
		printf("# load %s: %s\n", dir, err);
	free(err);
	return fs;
}

static bool
has_line(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	printf("# missing: %s\n", s);
	return false;
}

static void
test_diff(void)
{
	char *d1 = make_dir("v1"), *d2 = make_dir("v2");
	struct formset *a, *b;
	struct strlist ch;

	put_file(d1, "note.form", note_v1);
	put_file(d2, "note.form", note_v2);
	put_file(d2, "task.form", task_form);
	a = load(d1);
	b = load(d2);
	strlist_init(&ch);
	is_int(formcopy_diff(a, a, &ch), 0, "diff: a set against itself");
	is_int(formcopy_diff(a, b, &ch), 10, "diff: number of changes");
	ok(has_line(&ch, "笔记（note）：名称改了：笔记 → 学习笔记"), "diff: form label");
	ok(has_line(&ch, "笔记（note）：版本号 1 → 2"), "diff: version");
	ok(has_line(&ch, "笔记（note）：字段“标题”（title）名称改了：标题 → 题目"),
	    "diff: field label");
	ok(has_line(&ch, "笔记（note）：字段“标题”（title）类型改了："
	    "文本（最多 50 字） → 文本（最多 80 字）"), "diff: text length");
	ok(has_line(&ch, "笔记（note）：字段“类别”（kind）可选项改了："
	    "a 的名称 甲 → 甲类；新增 c（丙）；删除 b（乙）"), "diff: options");
	ok(has_line(&ch, "笔记（note）：字段新增：地点（place）"), "diff: field added");
	ok(has_line(&ch, "笔记（note）：字段删除：正文（body）"), "diff: field removed");
	ok(has_line(&ch, "笔记（note）：字段删除：事项·责任人（items.who）"),
	    "diff: sub-field removed");
	ok(has_line(&ch, "笔记（note）：检查规则改了"), "diff: form check");
	ok(has_line(&ch, "表单新增：任务（task）"), "diff: form added");
	strlist_free(&ch);
	strlist_init(&ch);
	formcopy_diff(b, a, &ch);
	ok(has_line(&ch, "表单删除：任务（task）"), "diff: form removed");
	ok(has_line(&ch, "学习笔记（note）：字段新增：事项·责任人（items.who）"),
	    "diff: sub-field added");
	strlist_free(&ch);
	formset_free(a);
	formset_free(b);
	free(d1);
	free(d2);
}

static bool
same_dirs(const char *x, const char *y)
{
	struct formcopy_files a, b;
	char *err = NULL;
	bool same;

	if (formcopy_read(x, &a, &err) != CX_OK) {
		printf("# %s\n", err);
		free(err);
		return false;
	}
	if (formcopy_read(y, &b, &err) != CX_OK) {
		printf("# %s\n", err);
		free(err);
		formcopy_files_free(&a);
		return false;
	}
	same = formcopy_files_equal(&a, &b);
	formcopy_files_free(&a);
	formcopy_files_free(&b);
	return same;
}

static void
test_snapshot(void)
{
	char *data = make_dir("data"), *v1 = util_path(tmproot, "v1");
	char *v2 = util_path(tmproot, "v2"), *bad = make_dir("bad");
	char *err = NULL, *dir, *p, *q;

	/* CRLF and a comment: copied byte for byte. */
	put_file(v1, "extra.form", "form extra\r\nlabel 其他\r\nfield x\r\n  label 甲\r\n  type date\r\n");
	ok(formcopy_dir(data) == NULL, "snapshot: no copy yet");
	ok(formcopy_snapshot(data, v1, &err) == CX_OK, "snapshot: written");
	if (err != NULL)
		printf("# %s\n", err);
	dir = formcopy_dir(data);
	p = util_path(data, "forms");
	is_str(dir, p, "snapshot: the directory uses DATADIR/forms");
	ok(same_dirs(p, v1), "snapshot: byte for byte");
	free(dir);

	/* Forms that do not load replace nothing. */
	put_file(bad, "note.form", "form note\nlabel\n");
	ok(formcopy_snapshot(data, bad, &err) == CX_ERR && err != NULL &&
	    strstr(err, "note.form:2:") != NULL, "bad forms refused, naming the line");
	free(err);
	err = NULL;
	ok(same_dirs(p, v1), "refused: copy unchanged");
	ok(!util_path_exists(data, "forms.new"), "refused: nothing left over");

	/* Replacement. */
	ok(formcopy_snapshot(data, v2, &err) == CX_OK, "replaced");
	ok(same_dirs(p, v2), "replaced: the new files");
	ok(!util_path_exists(data, "forms.old"), "replaced: old copy removed");

	/* Interrupted between the renames: forms.old and a complete
	 * forms.new, no forms. */
	q = util_path(data, "forms.old");
	ok(rename(p, q) == 0, "simulate: forms -> forms.old");
	free(q);
	q = util_path(data, "forms.new");
	put_file(q, "note.form", note_v1);
	dir = formcopy_dir(data);
	is_str(dir, q, "interrupted: the complete forms.new is read");
	free(dir);
	ok(formcopy_ensure(data, v2, &err) == CX_OK, "ensure repairs");
	ok(util_path_exists(data, "forms") && !util_path_exists(data,
	    "forms.new") && !util_path_exists(data, "forms.old"),
	    "repaired: forms.new put in place, forms.old removed");
	free(q);
	q = util_path(data, "forms/note.form");
	{
		char *text = NULL;
		size_t len = 0;

		ok(util_read_file(q, &text, &len, &err) == CX_OK &&
		    strcmp(text, note_v1) == 0, "repaired: the new copy kept");
		free(text);
	}
	/* A half-written forms.new beside a good copy is dropped. */
	free(q);
	q = util_path(data, "forms.new");
	put_file(q, "note.form", "form no");
	ok(formcopy_ensure(data, v2, &err) == CX_OK &&
	    !util_path_exists(data, "forms.new"), "stale forms.new removed");
	free(q);
	free(p);
	free(data);
	free(v1);
	free(v2);
	free(bad);
}

static void
test_check_data(void)
{
	char *d1 = util_path(tmproot, "v1"), *d2 = util_path(tmproot, "v2");
	char *sd = util_path(tmproot, "store"), *err = NULL;
	struct formset *a, *b;
	struct store *st = NULL;
	struct strlist pr;
	struct record *r, *row;

	/* v1 now also has extra.form (test_snapshot). */
	a = load(d1);
	b = load(d2);
	if (store_open(sd, a, STORE_CREATE, NULL, &st, &err) != CX_OK) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	strlist_init(&pr);
	is_int(formcopy_check_data(st, a, b, &pr, &err), 0,
	    "no records: nothing to lose");
	r = record_new();
	record_set(r, "title", "甲");
	record_set(r, "body", "");		/* empty: nothing lost */
	row = record_add_row(r, "items");
	record_set(row, "who", "张三");
	ok(store_put(st, formset_find(a, "note"), r, &err) == CX_OK, "put");
	record_free(r);
	r = record_new();
	record_set(r, "title", "乙");
	record_set(r, "body", "有内容");
	ok(store_put(st, formset_find(a, "note"), r, &err) == CX_OK, "put");
	ok(store_delete(st, formset_find(a, "note"), r->id, &err) == CX_OK,
	    "into the bin");
	record_free(r);
	is_int(formcopy_check_data(st, a, b, &pr, &err), 2,
	    "a field and a sub-field hold data");
	ok(has_line(&pr, "笔记（note）的字段“正文”（body）在 1 条记录里有内容，"
	    "新的表单里没有这个字段。"), "dropped field in the bin counts");
	ok(has_line(&pr, "笔记（note）的字段“事项·责任人”（items.who）在 1 条"
	    "记录里有内容，新的表单里没有这个字段。"), "dropped sub-field");
	strlist_free(&pr);
	store_close(st);
	formset_free(a);
	formset_free(b);
	free(d1);
	free(d2);
	free(sd);
}

/* An archive text with one form block over the given "+" lines (crc
 * computed unless crc is given), then no records. */
static char *
archive_with(const char *version, const char *block, const char *crc)
{
	struct buf b;
	char c[9];
	size_t start;

	buf_init(&b);
	buf_addf(&b, "cxzy-archive %s\nprogram=t\n\n", version);
	start = b.len;
	buf_addstr(&b, block);
	snprintf(c, sizeof c, "%08lx", (unsigned long)codec_crc32(0,
	    b.s + start, b.len - start));
	buf_addf(&b, "@crc %s\n\n", crc ? crc : c);
	buf_addf(&b, "@end 0 %08lx\n", (unsigned long)codec_crc32(0, b.s,
	    b.len));
	return buf_take(&b);
}

static void
bad(const char *version, const char *block, const char *crc,
    const char *want, const char *what)
{
	char *text = archive_with(version, block, crc), *err = NULL;
	struct archive *a = NULL;

	ok(archive_parse("x.cxa", text, strlen(text), &a, &err) == CX_ERR &&
	    err != NULL && strstr(err, want) != NULL, "hostile: %s", what);
	if (err == NULL || strstr(err, want) == NULL)
		printf("# got %s\n", err ? err : "(ok)");
	archive_free(a);
	free(err);
	free(text);
}

static void
test_archive_forms(void)
{
	char *d1 = util_path(tmproot, "v1"), *sd = util_path(tmproot, "st2");
	char *nd = make_dir("fromarchive"), *text = NULL, *err = NULL, *p;
	struct formset *a = load(d1);
	struct store *st = NULL;
	struct archive *ar = NULL;
	size_t len = 0, n;
	FILE *fp;

	if (a == NULL || store_open(sd, a, STORE_CREATE, NULL, &st, &err) !=
	    CX_OK)
		return;
	fp = open_memstream(&text, &len);
	ok(archive_export(st, a, fp, &n, &err) == CX_OK, "export with forms");
	fclose(fp);
	ok(strstr(text, "\n@form extra.form\n+form extra\\r\\n\n"
	    "+label 其他\\r\\n\n+field x\\r\\n\n+\\s label 甲\\r\\n\n"
	    "+\\s type date\\r\\n\n@crc ") != NULL, "CRLF form escaped, line by line");
	ok(archive_parse("t", text, len, &ar, &err) == CX_OK, "parsed");
	if (ar != NULL) {
		is_int(ar->nforms, 2, "two forms carried");
		is_str(ar->forms[1].name, "note.form", "sorted by name");
		is_str(ar->forms[1].text, note_v1, "text byte for byte");
		ok(formcopy_from_archive(nd, ar, &err) == CX_OK,
		    "formcopy_from_archive");
		p = util_path(nd, "forms");
		ok(same_dirs(p, d1), "the archive's forms are the copy");
		free(p);
	}
	archive_free(ar);
	ar = NULL;
	/* An archive without forms changes nothing. */
	{
		const char *plain = "cxzy-archive 2\n\n";
		struct buf b;

		buf_init(&b);
		buf_addstr(&b, plain);
		buf_addf(&b, "@end 0 %08lx\n", (unsigned long)codec_crc32(0,
		    plain, strlen(plain)));
		ok(archive_parse("t", b.s, b.len, &ar, &err) == CX_OK &&
		    ar->nforms == 0, "archive without forms reads");
		ok(ar != NULL && formcopy_from_archive(nd, ar, &err) ==
		    CX_NOTFOUND, "no forms: CX_NOTFOUND");
		archive_free(ar);
		buf_free(&b);
	}
	bad("2", "@form x.form\n+form x\\n\n", "00000000", "x.cxa:6: 表单文件“x.form”的校验和不符",
	    "checksum");
	bad("1", "@form x.form\n+a\n", NULL, "x.cxa:4: 格式版本 1", "format 1");
	bad("2", "@form ../x.form\n+a\n", NULL, "文件名“../x.form”不合规定", "path in name");
	bad("2", "@form x.txt\n+a\n", NULL, "不合规定", "not .form");
	bad("2", "@form x.form\n+\\xFF\n", NULL, "编码不是 UTF-8", "invalid UTF-8");
	bad("2", "@form x.form\n+a\n+b\n", NULL, "x.cxa:6: 表单文件的上一行应以",
	    "continuation without a line break");
	bad("2", "@form x.form\nform x\n", NULL, "应以“+”开头", "line without +");
	bad("2", "@form x.form\n", NULL, "没有内容", "empty block");
	free(text);
	store_close(st);
	formset_free(a);
	free(d1);
	free(sd);
	free(nd);
}

static void
rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	if (system(cmd) != 0)
		printf("# could not remove %s\n", path);
	free(cmd);
}

int
main(void)
{
	setenv("CXZY_NOW", "2024-03-01 09:30:00", 1);
	setenv("TZ", "UTC", 1);
	snprintf(tmproot, sizeof tmproot, "/tmp/cxzy-formcopy.XXXXXX");
	if (mkdtemp(tmproot) == NULL)
		return 99;
	test_diff();
	test_snapshot();
	test_check_data();
	test_archive_forms();
	rm_rf(tmproot);
	return tap_done();
}
