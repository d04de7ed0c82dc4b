/* test_archive.c: the text archive: exact bytes, round trips of tricky
 * values, parser errors with line numbers, and the import rules. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "codec.h"
#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "tap.h"

#define NOW1	"2024-03-01 09:30:00"
#define NOW2	"2024-03-02 10:00:00"
#define NOW3	"2024-03-03 11:00:00"

static char tmproot[64];
static int ndirs;

static const char note_form[] =
    "form note\nlabel 笔记\ntitle title\norder 10\n"
    "field title\n  label 标题\n  type text 50\n  required\n  unique\n"
    "field body\n  label 正文\n  type longtext\n"
    "field items\n  label 事项\n  type rows\n"
    "  field what\n    label 内容\n    type longtext\n  end\n";

static struct formset *
load_forms(void)
{
	struct formset *fs = NULL;
	char *dir = xasprintf("%s/forms", tmproot), *path, *err = NULL;
	FILE *fp;

	mkdir(dir, 0700);
	path = xasprintf("%s/note.form", dir);
	fp = fopen(path, "w");
	fputs(note_form, fp);
	fclose(fp);
	if (formset_load_dir(dir, &fs, &err) != CX_OK)
		printf("# forms: %s\n", err);
	free(err);
	free(path);
	free(dir);
	return fs;
}

static struct store *
new_store(const struct formset *fs)
{
	struct store *st = NULL;
	char *dir = xasprintf("%s/d%d", tmproot, ndirs++), *err = NULL;

	if (store_open(dir, fs, STORE_CREATE, NULL, &st, &err) != CX_OK)
		printf("# open: %s\n", err);
	free(err);
	free(dir);
	return st;
}

static char *
export_text(struct store *st, const struct formset *fs, size_t *n)
{
	char *s = NULL, *err = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	if (archive_export(st, fs, fp, n, &err) != CX_OK)
		printf("# export: %s\n", err);
	fclose(fp);
	free(err);
	return s;
}

static int
put(struct store *st, const struct formset *fs, struct record *r)
{
	char *err = NULL;
	int rc = store_put(st, formset_find(fs, "note"), r, &err);

	if (rc != CX_OK)
		printf("# put: %s\n", err);
	free(err);
	return rc;
}

static struct record *
tricky_record(void)
{
	struct record *r = record_new(), *row;

	/* Values that need every escape the format has, in fields the form
	 * defines (an import refuses fields it does not know). */
	record_set(r, "title", "=#甲 \\x41\\");
	record_set(r, "body", "第一行 = 值 # 不是注释\n\n"
	    "@record x 1 1\n+ 加号 \\n 反斜杠 𠀾  \n  前导空格");
	row = record_add_row(r, "items");
	record_set(row, "what", "第一行\n第二行");
	row = record_add_row(r, "items");
	(void)row;		/* an empty row */
	row = record_add_row(r, "items");
	record_set(row, "what", "\\s = 值 制表");
	return r;
}

/* The "@form" block the writer makes of a form file (docs/archive.md
 * §3.1), checksum included. */
static char *
form_block(const char *name, const char *text)
{
	struct buf b;
	const char *p;
	bool line_start = true;

	buf_init(&b);
	buf_addf(&b, "@form %s\n+", name);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n') {
			buf_addstr(&b, p[1] != '\0' ? "\\n\n+" : "\\n");
			line_start = true;
			continue;
		}
		if (*p == ' ' && (line_start || p[1] == '\n' || p[1] == '\0'))
			buf_addstr(&b, "\\s");
		else
			buf_addc(&b, *p);
		line_start = false;
	}
	buf_addc(&b, '\n');
	buf_addf(&b, "@crc %08lx\n", (unsigned long)codec_crc32(0, b.s, b.len));
	return buf_take(&b);
}

static void
test_exact_bytes(const struct formset *fs)
{
	static const char tmpl[] =
	    "cxzy-archive 2\n"
	    "program=" PACKAGE_VERSION "\n"
	    "created=2024-03-01 09:30:00\n"
	    "unit=\\s演示 单位\\s\n"
	    "data-format=1\n"
	    "origin=%s\n"
	    "\n"
	    "%s"
	    "\n"
	    "@record note 1 1\n"
	    "_created=2024-03-01 09:30:00\n"
	    "_modified=2024-03-01 09:30:00\n"
	    "_gid=%s\n"
	    "_rev=%s\n"
	    "title=学习\n"
	    "body=一\\n\n"
	    "+\\s二\\s\n"
	    "@rows items\n"
	    "@row 1\n"
	    "what=x=y#z\n"
	    "@endrows items\n"
	    "@crc %%s\n"
	    "\n"
	    "@end 1 %%s\n";
	struct store *st = new_store(fs);
	char *want, *fb = form_block("note.form", note_form);
	struct record *r = record_new(), *row;
	char *got, *block, *wantfull, crc[9], fcrc[9], *err = NULL;
	const char *b0, *b1;
	size_t n = 0;

	store_meta_set(st, "unit", " 演示 单位 ", &err);
	record_set(r, "title", "学习");
	record_set(r, "body", "一\n 二 ");
	row = record_add_row(r, "items");
	record_set(row, "what", "x=y#z");
	put(st, fs, r);
	got = export_text(st, fs, &n);
	is_int(n, 1, "exact: one record");
	want = xasprintf(tmpl, store_origin(st), fb, record_get(r, "_gid"),
	    record_get(r, "_rev"));
	free(fb);
	/* Checksums computed from the expected text itself. */
	b0 = strstr(want, "@record");
	b1 = strstr(b0, "@crc");
	block = xstrndup(b0, (size_t)(b1 - b0));
	snprintf(crc, sizeof crc, "%08lx", (unsigned long)codec_crc32(0, block,
	    strlen(block)));
	wantfull = xasprintf(want, crc, "%s");
	snprintf(fcrc, sizeof fcrc, "%08lx", (unsigned long)codec_crc32(0,
	    wantfull, (size_t)(strstr(wantfull, "\n@end ") + 1 - wantfull)));
	free(block);
	block = xasprintf(wantfull, fcrc);
	is_str(got, block, "exact bytes of a small export");
	free(want);
	free(block);
	free(wantfull);
	free(got);
	record_free(r);
	store_close(st);
}

static void
test_round_trip(const struct formset *fs)
{
	struct store *a = new_store(fs), *b = new_store(fs);
	const struct form *f = formset_find(fs, "note");
	struct archive *ar = NULL;
	struct archive_report rep;
	struct record *r = tricky_record(), *r2 = record_new(), *got = NULL;
	char *text, *text2, *err = NULL;
	size_t n;

	put(a, fs, r);
	record_set(r2, "title", "删掉的");
	put(a, fs, r2);
	ok(store_delete(a, f, r2->id, &err) == CX_OK, "delete into the bin");
	text = export_text(a, fs, &n);
	is_int(n, 2, "two records exported (one from the bin)");
	ok(strstr(text, "@trash note 2 1\n") != NULL, "bin record as @trash");
	ok(archive_parse("t", text, strlen(text), &ar, &err) == CX_OK,
	    "parses its own export");
	if (err)
		printf("# %s\n", err);
	if (ar == NULL) {
		free(text);
		return;
	}
	is_int(ar->n, 2, "two items");
	ok(record_equal(ar->items[0].rec, r), "tricky values read back equal");
	ok(ar->items[1].trash, "second is from the bin");
	is_str(ar->unit, "", "no unit");
	ok(archive_import(b, fs, ar, false, &rep, &err) == CX_OK, "import");
	is_int(rep.count[ARCHIVE_ADDED], 2, "both added");
	if (rep.n > 0 && rep.v[0].problems.n > 0)
		printf("# %s\n", rep.v[0].problems.v[0]);
	archive_report_free(&rep);
	ok(store_get(b, f, 1, &got, &err) == CX_OK && record_equal(got, r),
	    "stored copy equals the original, times included");
	record_free(got);
	got = NULL;
	ok(store_get(b, f, 2, &got, &err) == CX_NOTFOUND, "bin record not live");
	text2 = export_text(b, fs, &n);
	{
		/* Another directory, another origin in the header (and so
		 * another file checksum): the records are byte-identical. */
		const char *p1 = strstr(text, "\n\n@"), *p2 = strstr(text2, "\n\n@");
		const char *e1 = strstr(text, "\n@end"), *e2 = strstr(text2, "\n@end");

		ok(p1 != NULL && p2 != NULL && e1 != NULL && e2 != NULL &&
		    e1 - p1 == e2 - p2 && memcmp(p1, p2, (size_t)(e1 - p1)) == 0,
		    "export of the import: the same record blocks");
	}
	/* CRLF and a BOM are accepted. */
	{
		struct buf crlf;
		struct archive *a2 = NULL;
		const char *p;

		buf_init(&crlf);
		buf_addstr(&crlf, "\xEF\xBB\xBF");
		for (p = text; *p; p++) {
			if (*p == '\n')
				buf_addc(&crlf, '\r');
			buf_addc(&crlf, *p);
		}
		ok(archive_parse("t", crlf.s, crlf.len, &a2, &err) == CX_OK,
		    "CRLF and BOM accepted");
		ok(a2 != NULL && record_equal(a2->items[0].rec, r),
		    "CRLF copy reads the same values");
		archive_free(a2);
		buf_free(&crlf);
	}
	free(text2);
	free(text);
	archive_free(ar);
	record_free(r);
	record_free(r2);
	free(err);
	store_close(a);
	store_close(b);
}

/* Parses text and checks the message. */
static void
bad(const char *text, const char *want, const char *what)
{
	struct archive *a = NULL;
	char *err = NULL;
	int rc = archive_parse("x.cxa", text, strlen(text), &a, &err);

	ok(rc == CX_ERR && a == NULL && err != NULL && strstr(err, want) != NULL,
	    "%s", what);
	if (err == NULL || strstr(err, want) == NULL)
		printf("#   got \"%s\"\n#   want \"%s\"\n", err ? err : "(null)",
		    want);
	free(err);
	archive_free(a);
}

/* A valid archive with one block whose lines are given. */
static char *
make_archive(const char *block)
{
	char crc[9];
	struct buf b;
	char *s;

	snprintf(crc, sizeof crc, "%08lx", (unsigned long)codec_crc32(0, block,
	    strlen(block)));
	buf_init(&b);
	buf_addf(&b, "cxzy-archive 1\nprogram=t\n\n%s@crc %s\n\n", block, crc);
	buf_addf(&b, "@end 1 %08lx\n", (unsigned long)codec_crc32(0, b.s,
	    b.len));
	s = buf_take(&b);
	return s;
}

static void
test_errors(void)
{
	struct archive *a = NULL;
	char *good = make_archive("@record note 3 1\ntitle=a\n"), *t, *err = NULL;
	size_t i, len = strlen(good);

	ok(archive_parse("x.cxa", good, len, &a, &err) == CX_OK, "good parses");
	archive_free(a);
	bad("", "x.cxa:1: 文件是空的", "empty file");
	bad("hello\n", "x.cxa:1: 这不是 cxzy 的导出文件", "not an archive");
	bad("cxzy-archive 3\n", "x.cxa:1: 导出文件的格式版本是 3", "future version");
	/* What typed input could never hold, and forged store fields: the
	 * whole file is refused. */
	t = make_archive("@record note 3 1\ntitle=a\\x1B]0;owned\\x07\n");
	bad(t, "x.cxa:4: 字段“title”的值含有控制字符", "control characters");
	free(t);
	t = make_archive("@record note 3 1\ntitle=\\xFF\\xC3(\n");
	bad(t, "x.cxa:4: 字段“title”的值不是有效的 UTF-8 文字", "bytes not UTF-8");
	free(t);
	t = make_archive("@record note 3 1\n_owner=x\ntitle=a\n");
	bad(t, "x.cxa:4: “_owner”不是 cxzy 使用的字段", "unknown store field");
	free(t);
	t = make_archive("@record note 18446744073709551615 1\ntitle=a\n");
	bad(t, "x.cxa:4: 记录编号 18446744073709551615 超出范围", "huge id");
	free(t);
	t = make_archive("@record note 3 1\n_modified=2999-01-01 00:00:00\ntitle=a\n");
	bad(t, "x.cxa:4: 字段“_modified”的时间 2999-01-01 00:00:00 晚于现在",
	    "time in the future");
	free(t);
	t = make_archive("@record note 3 1\n_modified=昨天\ntitle=a\n");
	bad(t, "不是“年-月-日 时:分:秒”形式的时间", "time that is not one");
	free(t);
	t = make_archive("@record note 3 1\n_rev=abc\ntitle=a\n");
	bad(t, "版本“abc”写法不对", "forged revision");
	free(t);
	bad("cxzy-archive 1\nprogram=t\n", "x.cxa:2: 文件不完整：缺少结尾行",
	    "truncated: no trailer");
	t = xstrndup(good, (size_t)(strstr(good, "@crc") - good));
	bad(t, "x.cxa:5: 文件不完整：note 编号 3 的记录没有结束", "truncated in a block");
	free(t);
	/* Every cut shorter than the whole file fails cleanly. */
	for (i = 0; i + 1 < len; i++) {
		a = NULL;
		if (archive_parse("x", good, i, &a, &err) == CX_OK) {
			ok(0, "cut at %zu parsed", i);
			break;
		}
		free(err);
		err = NULL;
	}
	ok(i + 1 == len, "every truncation is an error");
	t = xstrdup(good);
	*strstr(t, "title=a") = 'T';
	bad(t, "x.cxa:6: note 编号 3 的记录校验和不符", "block checksum");
	free(t);
	t = xstrdup(good);
	strstr(t, "@end 1")[5] = '2';
	bad(t, "x.cxa:8: 结尾行写着 2 条记录", "record count");
	free(t);
	t = xstrdup(good);
	strstr(t, "program=t")[8] = 'u';
	bad(t, "x.cxa:8: 整个文件的校验和不符", "file checksum");
	free(t);
	t = make_archive("@record note 3 1\ntitle=a\\q\n");
	bad(t, "x.cxa:5: 无法识别的转义“\\q”", "bad escape");
	free(t);
	t = make_archive("@record note 3 1\ntitle=a\\x0\n");
	bad(t, "x.cxa:5: 转义“\\x”后面", "short hex escape");
	free(t);
	t = make_archive("@record note 3 1\ntitle=\\x00\n");
	bad(t, "x.cxa:5: 不能含有 NUL", "NUL escape");
	free(t);
	t = make_archive("@record note 0 1\n");
	bad(t, "x.cxa:4: 记录编号应是正整数", "id 0");
	free(t);
	t = make_archive("@record Note 3 1\n");
	bad(t, "x.cxa:4: 记录种类“Note”写法不对", "bad kind");
	free(t);
	t = make_archive("@record note 3 1\ntitle=a\ntitle=b\n");
	bad(t, "x.cxa:6: 字段“title”重复", "duplicate key");
	free(t);
	t = make_archive("@record note 3 1\n@rows r\n@row 2\n");
	bad(t, "x.cxa:6: 行号应是 1", "row number");
	free(t);
	t = make_archive("@record note 3 1\n@rows r\n@row 1\n");
	bad(t, "“r”缺少“@endrows”", "unclosed rows");
	free(t);
	t = make_archive("@record note 3 1\n+x\n");
	bad(t, "x.cxa:5: 以“+”开头的续行", "orphan continuation");
	free(t);
	t = make_archive("@record note 3 1\n\n");
	bad(t, "x.cxa:5: 记录中间不能有空行", "blank line in a block");
	free(t);
	t = make_archive("@record note 3 1\n@rows a\n@row 1\n@rows b\n@row 1\n"
	    "@rows c\n@row 1\n@rows d\n@row 1\n@rows e\n@row 1\n@rows f\n@row 1\n"
	    "@rows g\n@row 1\n@rows h\n");
	bad(t, "嵌套太深", "nesting limit");
	free(t);
	bad("cxzy-archive 1\n\n@record note 1 1\n\xff\n", "x.cxa:4: 含有无法识别的字符",
	    "invalid UTF-8");
	bad("cxzy-archive 1\n\nfoo\n", "x.cxa:3: 此处应是", "garbage between blocks");
	t = xasprintf("%sextra\n", good);
	bad(t, "x.cxa:9: 结尾行“@end”之后不应再有内容", "text after the trailer");
	free(t);
	/* The same record twice. */
	{
		const char *blk = "@record note 3 1\ntitle=a\n";
		char crc[9];
		struct buf b;

		snprintf(crc, sizeof crc, "%08lx", (unsigned long)codec_crc32(0,
		    blk, strlen(blk)));
		buf_init(&b);
		buf_addf(&b, "cxzy-archive 1\n\n%s@crc %s\n%s@crc %s\n", blk, crc,
		    blk, crc);
		buf_addf(&b, "@end 2 %08lx\n", (unsigned long)codec_crc32(0, b.s,
		    b.len));
		bad(b.s, "x.cxa:6: note 编号 3 的记录重复（第 3 行已有）", "duplicate id");
		buf_free(&b);
	}
	/* Random bytes and mutations never crash (the fuzzer goes further). */
	srand(7);
	for (i = 0; i < 20000; i++) {
		char *m = xstrdup(good);
		size_t k, flips = 1 + (size_t)rand() % 4;

		for (k = 0; k < flips; k++)
			m[(size_t)rand() % len] = (char)(rand() & 0xff);
		a = NULL;
		if (archive_parse("m", m, len, &a, &err) == CX_OK)
			archive_free(a);
		free(err);
		err = NULL;
		free(m);
	}
	ok(1, "20000 mutated archives parsed or refused without crashing");
	free(good);
}

static struct archive *
parse_export(struct store *st, const struct formset *fs)
{
	struct archive *a = NULL;
	char *text = export_text(st, fs, NULL), *err = NULL;

	if (archive_parse("t", text, strlen(text), &a, &err) != CX_OK)
		printf("# %s\n", err);
	free(err);
	free(text);
	return a;
}

static char *
fingerprint(struct store *st, const struct formset *fs)
{
	char *t = export_text(st, fs, NULL), *p;

	/* Everything but the header's time. */
	p = xstrdup(strstr(t, "\n\n") ? strstr(t, "\n\n") : t);
	free(t);
	return p;
}

static void
test_import_rules(const struct formset *fs)
{
	const struct form *f = formset_find(fs, "note");
	struct store *src = new_store(fs), *dst;
	struct archive *a;
	struct archive_report rep;
	struct record *r, *got = NULL;
	char *err = NULL, *before, *after, *text;
	int i;

	setenv("CXZY_NOW", NOW1, 1);
	for (i = 1; i <= 3; i++) {
		r = record_new();
		record_set(r, "title", i == 1 ? "一" : i == 2 ? "二" : "三");
		put(src, fs, r);
		record_free(r);
	}
	a = parse_export(src, fs);
	dst = new_store(fs);
	ok(archive_import(dst, fs, a, false, &rep, &err) == CX_OK, "first import");
	is_int(rep.count[ARCHIVE_ADDED], 3, "3 added");
	archive_report_free(&rep);
	ok(archive_import(dst, fs, a, false, &rep, &err) == CX_OK, "re-import");
	is_int(rep.count[ARCHIVE_UNCHANGED], 3, "3 unchanged");
	archive_report_free(&rep);
	archive_free(a);

	/* Source edits 1 later: update.  Target edits 2 later: conflict. */
	setenv("CXZY_NOW", NOW2, 1);
	store_get(src, f, 1, &r, &err);
	record_set(r, "body", "源改");
	put(src, fs, r);
	record_free(r);
	store_get(src, f, 2, &r, &err);
	record_set(r, "body", "源也改");
	put(src, fs, r);
	record_free(r);
	setenv("CXZY_NOW", NOW3, 1);
	store_get(dst, f, 2, &r, &err);
	record_set(r, "body", "本机改");
	put(dst, fs, r);
	record_free(r);
	/* Both changed at the same time: a conflict too. */
	setenv("CXZY_NOW", NOW2, 1);
	store_get(dst, f, 3, &r, &err);
	record_set(r, "body", "本机同时改");
	put(dst, fs, r);
	record_free(r);
	store_get(src, f, 3, &r, &err);
	record_set(r, "body", "源同时改");
	put(src, fs, r);
	record_free(r);
	/* A new record in the source, and a record whose id is taken here by
	 * another record. */
	r = record_new();
	record_set(r, "title", "四");
	put(src, fs, r);
	record_free(r);
	setenv("CXZY_NOW", NOW3, 1);
	r = record_new();
	record_set(r, "title", "本机五");
	put(dst, fs, r);	/* id 4 here */
	record_free(r);
	a = parse_export(src, fs);

	before = fingerprint(dst, fs);
	ok(archive_import(dst, fs, a, true, &rep, &err) == CX_OK, "dry run");
	after = fingerprint(dst, fs);
	is_str(after, before, "dry run changes nothing");
	free(after);
	is_int(rep.count[ARCHIVE_UPDATED], 1, "dry: 1 update");
	is_int(rep.count[ARCHIVE_CONFLICT], 2, "dry: 2 conflicts");
	is_int(rep.count[ARCHIVE_ADDED], 1, "dry: 1 added");
	ok(!rep.applied, "dry: not applied");
	text = archive_report_text(&rep);
	ok(strstr(text, "更新  笔记“一”（编号 1）\n") != NULL, "report: update line");
	/* Revisions, not clocks: the copy here changed later, but both
	 * changed since they last met. */
	ok(strstr(text, "冲突  笔记“二”（编号 2）：本机的修改于 " NOW3
	    "，导入文件里的修改于 " NOW2 "，两边都改过，保留本机的。\n") != NULL,
	    "report: conflict line, both changed, here later");
	ok(strstr(text, "冲突  笔记“三”（编号 3）：本机的修改于 " NOW2
	    "，导入文件里的修改于 " NOW2 "，两边都改过，保留本机的。\n") != NULL,
	    "report: conflict line, both changed");
	/* Another record under the same id here: the archive's gets the
	 * next free id. */
	ok(strstr(text, "新增  笔记“四”（编号 5）") != NULL,
	    "report: a new record whose id is taken here gets the next one");
	ok(strstr(text, "试运行，数据没有改动：新增 1 条，更新 1 条，未变 0 条，冲突 2 条") !=
	    NULL, "report: summary");
	if (strstr(text, "冲突  笔记") == NULL)
		printf("%s", text);
	free(text);
	archive_report_free(&rep);

	ok(archive_import(dst, fs, a, false, &rep, &err) == CX_OK, "import");
	ok(rep.applied, "applied");
	archive_report_free(&rep);
	store_get(dst, f, 1, &got, &err);
	is_str(record_get(got, "body"), "源改", "newer archive copy updated");
	is_str(record_get(got, "_modified"), NOW2, "its _modified kept");
	record_free(got);
	store_get(dst, f, 2, &got, &err);
	is_str(record_get(got, "body"), "本机改", "newer local copy kept");
	record_free(got);
	store_get(dst, f, 4, &got, &err);
	is_str(record_get(got, "title"), "本机五", "other record's id kept");
	record_free(got);
	got = NULL;
	store_get(dst, f, 5, &got, &err);
	is_str(got != NULL ? record_get(got, "title") : NULL, "四",
	    "the archive's record under its new id");
	record_free(got);
	free(before);
	archive_free(a);

	/* Unknown kinds are skipped; invalid records rejected, and a
	 * record pointing at nothing... here: a missing required title. */
	{
		const char *blk1 = "@record task 1 1\nx=1\n";
		const char *blk2 = "@record note 9 1\nbody=无标题\n";
		char c1[9], c2[9];
		struct buf b;

		snprintf(c1, sizeof c1, "%08lx", (unsigned long)codec_crc32(0,
		    blk1, strlen(blk1)));
		snprintf(c2, sizeof c2, "%08lx", (unsigned long)codec_crc32(0,
		    blk2, strlen(blk2)));
		buf_init(&b);
		buf_addf(&b, "cxzy-archive 1\n\n%s@crc %s\n%s@crc %s\n", blk1, c1,
		    blk2, c2);
		buf_addf(&b, "@end 2 %08lx\n", (unsigned long)codec_crc32(0, b.s,
		    b.len));
		a = NULL;
		ok(archive_parse("t", b.s, b.len, &a, &err) == CX_OK,
		    "archive with an unknown kind parses");
		buf_free(&b);
		before = fingerprint(dst, fs);
		ok(archive_import(dst, fs, a, false, &rep, &err) == CX_OK,
		    "import with unknown and invalid");
		is_int(rep.count[ARCHIVE_UNKNOWN], 1, "unknown kind skipped");
		is_int(rep.count[ARCHIVE_REJECTED], 1, "invalid record rejected");
		text = archive_report_text(&rep);
		ok(strstr(text, "拒绝  笔记（编号 9）：不符合表单要求，没有导入：\n"
		    "    标题：必须填写。\n") != NULL, "report: rejected with reason");
		ok(strstr(text, "跳过  task（编号 1）：本机的表单里没有“task”这种记录。")
		    != NULL, "report: unknown kind");
		free(text);
		after = fingerprint(dst, fs);
		is_str(after, before, "nothing written for them");
		free(after);
		free(before);
		archive_report_free(&rep);
		archive_free(a);
	}

	/* A unique value entered on both sides: that record is a conflict,
	 * the rest is imported. */
	{
		struct store *s3 = new_store(fs);

		setenv("CXZY_NOW", NOW1, 1);
		r = record_new();
		record_set(r, "title", "新的");
		put(s3, fs, r);
		record_free(r);
		r = record_new();
		record_set(r, "title", "一");
		put(s3, fs, r);
		record_free(r);
		a = parse_export(s3, fs);	/* ids 1 "新的" and 2 "一" */
		store_close(s3);
	}
	{
		struct store *s4 = new_store(fs);

		r = record_new();
		record_set(r, "title", "一");
		r->id = 0;
		put(s4, fs, r);		/* id 1 "一": clashes with 2 */
		record_free(r);
		ok(archive_import(s4, fs, a, false, &rep, &err) == CX_OK,
		    "unique clash: import runs");
		is_int(rep.count[ARCHIVE_CONFLICT], 1, "unique clash: a conflict");
		is_int(rep.count[ARCHIVE_ADDED], 1, "unique clash: the other added");
		text = archive_report_text(&rep);
		ok(strstr(text, "冲突  笔记“一”（编号 2）：和本机的另一条记录重复，"
		    "没有导入，保留本机的：\n    本机已有“标题”为“一”的另一条记录"
		    "（编号 1）。\n") != NULL, "unique clash: report");
		free(text);
		got = NULL;
		store_get(s4, f, 3, &got, &err);
		is_str(got != NULL ? record_get(got, "title") : NULL, "新的",
		    "unique clash: the other record under the next free id");
		record_free(got);
		archive_report_free(&rep);
		archive_free(a);
		store_close(s4);
	}
	free(err);
	store_close(src);
	store_close(dst);
}

/* A 附件一-like owner whose rows are records of their own (store task
 * plan), at least one. */
static const char plan_form[] =
    "form plan\nlabel 承诺书\ntitle name\norder 10\n"
    "field name\n  label 名称\n  type text 20\n  required\n"
    "field items\n  label 承诺事项\n  type rows 1\n  store task plan\n"
    "  columns what\n";
static const char task_form[] =
    "form task\nlabel 台账\ntitle what\norder 20\n"
    "field plan\n  label 承诺书\n  type link plan\n  required\n"
    "field seq\n  label 序号\n  type int 1 99\n"
    "field what\n  label 内容\n  type text 20\n  required\n";

static struct formset *
load_plan_forms(void)
{
	struct formset *fs = NULL;
	char *dir = xasprintf("%s/forms2", tmproot), *path, *err = NULL;
	FILE *fp;

	mkdir(dir, 0700);
	path = xasprintf("%s/plan.form", dir);
	fp = fopen(path, "w");
	fputs(plan_form, fp);
	fclose(fp);
	free(path);
	path = xasprintf("%s/task.form", dir);
	fp = fopen(path, "w");
	fputs(task_form, fp);
	fclose(fp);
	if (formset_load_dir(dir, &fs, &err) != CX_OK)
		printf("# forms: %s\n", err);
	free(err);
	free(path);
	free(dir);
	return fs;
}

static void
put_kind(struct store *st, const struct formset *fs, const char *kind,
    struct record *r)
{
	char *err = NULL;

	if (store_put(st, formset_find(fs, kind), r, &err) != CX_OK)
		printf("# put %s: %s\n", kind, err);
	free(err);
	record_free(r);
}

static struct record *
task_rec(const char *plan, const char *what, const char *seq)
{
	struct record *r = record_new();

	record_set(r, "plan", plan);
	if (what != NULL)
		record_set(r, "what", what);
	record_set(r, "seq", seq);
	return r;
}

/* Keeps only the items of a whose kind is keep (NULL: all) and, when
 * drop_id is not 0, drops that id of kind drop_kind. */
static void
archive_keep(struct archive *a, const char *keep, const char *drop_kind,
    uint64_t drop_id)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++) {
		struct archive_item *it = &a->items[i];

		if ((keep != NULL && strcmp(it->kind, keep) != 0) ||
		    (drop_id != 0 && strcmp(it->kind, drop_kind) == 0 &&
		    it->rec->id == drop_id)) {
			free(it->kind);
			record_free(it->rec);
			continue;
		}
		a->items[n++] = *it;
	}
	a->n = n;
}

static const char *
problems_of(const struct archive_report *rep, const char *kind, uint64_t id)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(rep->v[i].kind, kind) == 0 && rep->v[i].id == id)
			return rep->v[i].problems.n > 0 ?
			    rep->v[i].problems.v[0] : "";
	return "(absent)";
}

/* Rows kept as records travel as records of their own kind: the owner
 * is checked with the children present after the import. */
static void
test_import_stored_rows(void)
{
	struct formset *fs = load_plan_forms();
	struct store *src, *dst;
	struct archive *a;
	struct archive_report rep;
	struct record *r;
	char *err = NULL;

	if (fs == NULL) {
		ok(0, "plan forms load");
		return;
	}
	setenv("CXZY_NOW", NOW1, 1);
	src = new_store(fs);
	r = record_new();
	record_set(r, "name", "一支部");
	put_kind(src, fs, "plan", r);		/* plan 1 */
	put_kind(src, fs, "task", task_rec("plan:1", "修路", "2"));
	put_kind(src, fs, "task", task_rec("plan:1", "值班", "1"));
	r = record_new();
	record_set(r, "name", "二支部");
	put_kind(src, fs, "plan", r);		/* plan 2, deleted below */
	put_kind(src, fs, "task", task_rec("plan:2", "植树", "1"));
	store_delete(src, formset_find(fs, "plan"), 2, NULL);
	store_delete(src, formset_find(fs, "task"), 3, NULL);

	/* Everything: added, the owner in use and the one in the bin. */
	a = parse_export(src, fs);
	dst = new_store(fs);
	ok(archive_import(dst, fs, a, false, &rep, &err) == CX_OK,
	    "import owners with stored rows");
	is_int(rep.count[ARCHIVE_ADDED], 5, "all 5 added");
	is_int(rep.count[ARCHIVE_REJECTED], 0, "none rejected");
	is_str(problems_of(&rep, "plan", 1), "", "plan 1 accepted");
	is_str(problems_of(&rep, "plan", 2), "",
	    "plan 2 in the bin, with its row in the bin, accepted");
	archive_report_free(&rep);
	archive_free(a);

	/* The owner alone, its rows already here: accepted. */
	setenv("CXZY_NOW", NOW2, 1);
	store_get(src, formset_find(fs, "plan"), 1, &r, NULL);
	record_set(r, "name", "一支部（改）");
	put_kind(src, fs, "plan", r);
	a = parse_export(src, fs);
	archive_keep(a, "plan", NULL, 0);
	ok(archive_import(dst, fs, a, true, &rep, &err) == CX_OK,
	    "dry run: the owner alone");
	is_int(rep.count[ARCHIVE_UPDATED], 1, "updated: its rows are here");
	is_int(rep.count[ARCHIVE_REJECTED], 0, "not rejected");
	archive_report_free(&rep);
	archive_free(a);

	/* The owner alone into a store without its rows: rejected. */
	{
		struct store *empty = new_store(fs);

		a = parse_export(src, fs);
		archive_keep(a, "plan", NULL, 0);
		ok(archive_import(empty, fs, a, true, &rep, &err) == CX_OK,
		    "dry run: the owner without rows");
		is_int(rep.count[ARCHIVE_REJECTED], 2,
		    "rejected, the one in the bin too");
		is_str(problems_of(&rep, "plan", 1), "承诺事项：至少需要 1 行。",
		    "says the rows are missing");
		archive_report_free(&rep);
		archive_free(a);
		store_close(empty);
	}

	/* A rejected row leaves its owner short: both rejected. */
	{
		struct store *s2 = new_store(fs), *empty = new_store(fs);

		r = record_new();
		record_set(r, "name", "三支部");
		put_kind(s2, fs, "plan", r);
		put_kind(s2, fs, "task", task_rec("plan:1", NULL, "1"));
		a = parse_export(s2, fs);
		ok(archive_import(empty, fs, a, true, &rep, &err) == CX_OK,
		    "dry run: an invalid row");
		is_int(rep.count[ARCHIVE_REJECTED], 2, "row and owner rejected");
		is_str(problems_of(&rep, "task", 1), "内容：必须填写。",
		    "the row's problem");
		is_str(problems_of(&rep, "plan", 1),
		    "承诺事项第1行“内容”：必须填写。", "the owner's problem");
		archive_report_free(&rep);
		archive_free(a);
		store_close(s2);
		store_close(empty);
	}
	free(err);
	store_close(src);
	store_close(dst);
	formset_free(fs);
}

static void
rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	if (system(cmd) != 0)
		printf("# could not remove %s\n", path);
	free(cmd);
}

/* ---- Field-by-field merging and ownership (packages) ------------- */

static const char owned_form[] =
    "form item\nlabel 事项\ntitle name\norder 10\nowner branch\n"
    "field name\n  label 名称\n  type text 20\n  required\n"
    "field a\n  label 甲\n  type text 20\n"
    "field b\n  label 乙\n  owner committee\n  type text 20\n"
    "field c\n  label 丙\n  owner both\n  type text 20\n";

static struct formset *
load_owned_forms(void)
{
	struct formset *fs = NULL;
	char *dir = xasprintf("%s/forms3", tmproot), *path, *err = NULL;
	FILE *fp;

	mkdir(dir, 0700);
	path = xasprintf("%s/item.form", dir);
	fp = fopen(path, "w");
	fputs(owned_form, fp);
	fclose(fp);
	if (formset_load_dir(dir, &fs, &err) != CX_OK)
		printf("# forms: %s\n", err);
	free(err);
	free(path);
	free(dir);
	return fs;
}

static void
set_item(struct store *st, const struct form *f, uint64_t id,
    const char *field, const char *value)
{
	struct record *r = NULL;
	char *err = NULL;

	if (store_get(st, f, id, &r, &err) != CX_OK ||
	    (record_set(r, field, value), store_put(st, f, r, &err)) != CX_OK)
		printf("# set %s: %s\n", field, err);
	free(err);
	record_free(r);
}

static const char *
item_value(struct store *st, const struct form *f, uint64_t id,
    const char *field, char buf[64])
{
	struct record *r = NULL;
	const char *v;

	buf[0] = '\0';
	if (store_get(st, f, id, &r, NULL) == CX_OK &&
	    (v = record_get(r, field)) != NULL)
		snprintf(buf, 64, "%s", v);
	record_free(r);
	return buf;
}

static void
test_merge_ownership(void)
{
	struct formset *fs = load_owned_forms();
	const struct form *f = fs != NULL ? formset_find(fs, "item") : NULL;
	struct store *branch, *committee;
	struct archive_opts o;
	struct archive_report rep;
	struct archive *a;
	struct record *r;
	char *err = NULL, *before, *after, v[64];

	if (f == NULL) {
		ok(false, "merge: forms");
		return;
	}
	setenv("CXZY_NOW", NOW1, 1);
	branch = new_store(fs);
	committee = new_store(fs);
	r = record_new();
	record_set(r, "name", "一");
	record_set(r, "a", "甲0");
	record_set(r, "b", "乙0");
	record_set(r, "c", "丙0");
	put_kind(branch, fs, "item", r);
	a = parse_export(branch, fs);
	ok(archive_import(committee, fs, a, false, &rep, &err) == CX_OK,
	    "merge: the same record on both sides");
	archive_report_free(&rep);
	archive_free(a);

	/* The branch changes its field and the 机关党委's; the 机关党委
	 * changes a shared one. */
	setenv("CXZY_NOW", NOW2, 1);
	set_item(branch, f, 1, "a", "甲1");
	set_item(branch, f, 1, "b", "乙1");
	set_item(committee, f, 1, "c", "丙1");
	memset(&o, 0, sizeof o);
	o.ownership = true;
	o.sender = FORM_OWNER_BRANCH;
	a = parse_export(branch, fs);
	ok(archive_import_with(committee, fs, a, &o, &rep, &err) == CX_OK,
	    "merge: import");
	is_int(rep.count[ARCHIVE_MERGED], 1, "merge: merged");
	if (rep.count[ARCHIVE_MERGED] != 1) {
		char *t = archive_report_text(&rep);

		printf("# %s\n", t);
		free(t);
	}
	is_int(rep.n > 0 ? (int)rep.v[0].problems.n : -1, 1,
	    "merge: one change not taken");
	ok(rep.n > 0 && rep.v[0].problems.n > 0 && strstr(rep.v[0].problems.v[0],
	    "“乙”：对方改为“乙1”，这一项由机关党委填写，未采用。") != NULL,
	    "merge: the change not taken is named");
	archive_report_free(&rep);
	is_str(item_value(committee, f, 1, "a", v), "甲1",
	    "merge: the branch's field taken");
	is_str(item_value(committee, f, 1, "b", v), "乙0",
	    "merge: the 机关党委's field kept");
	is_str(item_value(committee, f, 1, "c", v), "丙1",
	    "merge: the local change kept");
	archive_free(a);

	/* The merge descends from both: the same package again is older. */
	a = parse_export(branch, fs);
	ok(archive_import_with(committee, fs, a, &o, &rep, &err) == CX_OK,
	    "merge: again");
	is_int(rep.count[ARCHIVE_OLDER], 1, "merge: the package is older now");
	archive_report_free(&rep);
	archive_free(a);

	/* The way back: the branch takes the 机关党委's merge, its own "乙"
	 * goes back to the 机关党委's value, and the shared change arrives. */
	memset(&o, 0, sizeof o);
	o.ownership = true;
	o.sender = FORM_OWNER_COMMITTEE;
	a = parse_export(committee, fs);
	ok(archive_import_with(branch, fs, a, &o, &rep, &err) == CX_OK,
	    "merge: back to the branch");
	is_int(rep.count[ARCHIVE_UPDATED], 1, "merge: the branch is updated");
	archive_report_free(&rep);
	archive_free(a);
	is_str(item_value(branch, f, 1, "b", v), "乙0",
	    "merge: the owner's value wins back");
	is_str(item_value(branch, f, 1, "c", v), "丙1",
	    "merge: the shared change arrives");

	/* Both change the same field: a conflict, listed, nothing written. */
	setenv("CXZY_NOW", NOW3, 1);
	set_item(branch, f, 1, "c", "丙-支部");
	set_item(committee, f, 1, "c", "丙-机关");
	memset(&o, 0, sizeof o);
	o.ownership = true;
	o.sender = FORM_OWNER_BRANCH;
	a = parse_export(branch, fs);
	before = fingerprint(committee, fs);
	ok(archive_import_with(committee, fs, a, &o, &rep, &err) == CX_OK,
	    "conflict: import");
	after = fingerprint(committee, fs);
	is_int(rep.count[ARCHIVE_CONFLICT], 1, "conflict: one");
	ok(rep.n > 0 && rep.v[0].problems.n == 1 && strstr(rep.v[0].problems.v[0],
	    "“丙”：本机为“丙-机关”，对方为“丙-支部”，两边都改过。") != NULL,
	    "conflict: both values named");
	is_str(after, before, "conflict: nothing written");
	free(before);
	free(after);
	archive_report_free(&rep);
	archive_free(a);

	/* A record of a kind the sender does not own is not taken. */
	memset(&o, 0, sizeof o);
	o.ownership = true;
	o.sender = FORM_OWNER_COMMITTEE;
	r = record_new();
	record_set(r, "name", "机关新建");
	put_kind(committee, fs, "item", r);
	a = parse_export(committee, fs);
	ok(archive_import_with(branch, fs, a, &o, &rep, &err) == CX_OK,
	    "ownership: import");
	is_int(rep.count[ARCHIVE_IGNORED], 1, "ownership: a new record not "
	    "owned by the sender is not taken");
	is_int(rep.count[ARCHIVE_ADDED], 0, "ownership: nothing added");
	archive_report_free(&rep);
	archive_free(a);

	free(err);
	store_close(branch);
	store_close(committee);
	formset_free(fs);
}

/* A package's header is checked like the rest. */
static void
test_package_header(void)
{
	static const char *const heads[] = {
		"scope=bogus\nbranch=0123456789abcdef0123456789abcdef\n"
		"branch-name=x\nperiod=all\n",
		"scope=branch\nbranch-name=x\nperiod=all\n",
		"scope=branch\nbranch=0123456789abcdef0123456789abcdef\n"
		"branch-name=x\nperiod=2026H9\n",
		"directory=branch\n",
	};
	static const char *const want[] = {
		"文件头的“scope”应是 branch 或 committee。",
		"报送包的文件头不完整",
		"报送包的文件头不完整",
		"文件头的“directory”写法不对。",
	};
	size_t i;

	for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		struct buf b;
		char *s;

		buf_init(&b);
		buf_addf(&b, "cxzy-archive 2\nprogram=t\n"
		    "origin=00112233445566778899aabbccddeeff\n%s\n", heads[i]);
		buf_addf(&b, "@end 0 %08lx\n", (unsigned long)codec_crc32(0,
		    b.s, b.len));
		s = buf_take(&b);
		bad(s, want[i], "package header refused");
		free(s);
	}
}

int
main(void)
{
	struct formset *fs;

	setenv("CXZY_NOW", NOW1, 1);
	setenv("TZ", "UTC", 1);
	snprintf(tmproot, sizeof tmproot, "/tmp/cxzy-archive.XXXXXX");
	if (mkdtemp(tmproot) == NULL)
		return 99;
	fs = load_forms();
	if (fs == NULL)
		return 99;
	test_exact_bytes(fs);
	test_round_trip(fs);
	test_errors();
	test_import_rules(fs);
	test_import_stored_rows();
	test_merge_ownership();
	test_package_header();
	formset_free(fs);
	rm_rf(tmproot);
	return tap_done();
}
