/* bench_store.c: how the store behaves with a large roster.
 *
 * Generates N member-sized records (default 1,000,000) through the core
 * API in a temporary data directory and reports insert rate, file size,
 * open time, look-ups by id and by index, a full scan and memory use.
 * The records are a deterministic function of their number, so runs are
 * comparable.  See bench/README.md.
 *
 *   bench_store [N]
 *
 * CXZY_BENCH_DIR chooses where the temporary data directory is made
 * (default /tmp), e.g. a mounted USB stick.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define BATCH		10000
#define GETS		100000
#define FINDS		10000

static const char *surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
	"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
	"姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
	"熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
};
static const char *given[] = {
	"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊",
	"军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞",
	"平", "刚", "桂", "兰", "华", "建", "国", "红", "文", "辉",
	"玉", "海", "云", "峰", "志", "鹏", "宇", "浩", "凯", "俊",
	"晨", "欣", "怡", "佳", "琳", "雪", "梅", "丹", "波", "斌",
	"鑫", "毅", "宁", "婷", "慧", "颖", "健", "飞", "帆", "凤",
	"𠀾", "龙", "春", "秋", "冬", "东", "南", "北", "金", "银",
	"荣", "昌", "德", "忠", "诚", "信", "仁", "义", "礼", "智",
};
static const char *posts[] = {
	"办公室综合科科员", "人事处副处长一职", "财务科会计岗位人员", "后勤保障中心主任",
	"指挥通信处工程师", "宣传教育处干事员", "法规处副主任科员", "工程建设管理处",
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static struct form_field fields[10];
static struct form member_form;
static struct form *forms[1];
static struct formset fs;

static void
field(struct form_field *f, const char *id, const char *label,
    enum field_type type, bool index)
{
	memset(f, 0, sizeof *f);
	f->id = (char *)id;
	f->label = (char *)label;
	f->type = type;
	f->index = index;
}

/* The shape of the roster's member form: ten fields, an index on the
 * name; references are always indexed by the store. */
static void
setup_form(void)
{
	field(&fields[0], "name", "姓名", FT_TEXT, true);
	field(&fields[1], "gender", "性别", FT_ENUM, false);
	field(&fields[2], "birth", "出生年月", FT_MONTH, false);
	field(&fields[3], "joined", "入党时间", FT_DATE, false);
	field(&fields[4], "status", "党员类别", FT_ENUM, false);
	field(&fields[5], "post", "工作岗位", FT_TEXT, false);
	field(&fields[6], "branch", "所在支部", FT_REF, true);
	fields[6].ref_kind = "org";
	field(&fields[7], "group", "所在党小组", FT_REF, false);
	fields[7].ref_kind = "org";
	field(&fields[8], "role", "党内职务", FT_ENUM, false);
	field(&fields[9], "phone", "联系电话", FT_TEXT, false);
	member_form.kind = "member";
	member_form.label = "党员";
	member_form.version = 1;
	member_form.title = "name";
	member_form.fields = fields;
	member_form.nfields = 10;
	forms[0] = &member_form;
	fs.forms = forms;
	fs.n = 1;
}

/* A 64-bit mix (splitmix64): record i's values derive from it. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
name_of(uint64_t i, char *out, size_t len)
{
	uint64_t h = mix(i * 2 + 1);

	snprintf(out, len, "%s%s%s", surnames[h % NELEM(surnames)],
	    given[(h >> 8) % NELEM(given)],
	    (h >> 16) % 3 == 0 ? "" : given[(h >> 24) % NELEM(given)]);
}

static struct record *
make_member(uint64_t i)
{
	struct record *r = record_new();
	uint64_t h = mix(i);
	char s[64];

	name_of(i, s, sizeof s);
	record_set(r, "name", s);
	record_set(r, "gender", h & 1 ? "m" : "f");
	snprintf(s, sizeof s, "%04d-%02d", 1940 + (int)(h >> 1) % 65,
	    1 + (int)(h >> 8) % 12);
	record_set(r, "birth", s);
	snprintf(s, sizeof s, "%04d-%02d-%02d", 1970 + (int)(h >> 12) % 54,
	    1 + (int)(h >> 18) % 12, 1 + (int)(h >> 22) % 28);
	record_set(r, "joined", s);
	record_set(r, "status", (h >> 27) % 10 == 0 ? "probationary" : "full");
	record_set(r, "post", posts[(h >> 30) % NELEM(posts)]);
	snprintf(s, sizeof s, "%d", 1 + (int)((h >> 33) % 200));
	record_set(r, "branch", s);
	snprintf(s, sizeof s, "%d", 201 + (int)((h >> 41) % 800));
	record_set(r, "group", s);
	record_set(r, "role", (h >> 50) % 20 == 0 ? "secretary" : "member");
	snprintf(s, sizeof s, "13%09llu",
	    (unsigned long long)((h >> 20) % 1000000000ULL));
	record_set(r, "phone", s);
	return r;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t heap_peak;

/* Bytes in use by malloc now; the peak is kept across samples.  Memory
 * mapped by LMDB is not malloc'd and does not count here. */
static size_t
heap_sample(void)
{
	size_t used = 0;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || \
    (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();

	used = mi.uordblks + mi.hblkhd;
#endif
	if (used > heap_peak)
		heap_peak = used;
	return used;
}

static long
maxrss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		remove_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

struct scan {
	size_t	n;
	size_t	bytes;
};

static int
scan_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct scan *s = arg;
	const char *name = record_get(rec, "name");

	(void)f;
	s->n++;
	if (name != NULL)
		s->bytes += strlen(name);
	return 0;
}

static void
row(const char *what, const char *value, const char *unit)
{
	printf("%-34s %16s  %s\n", what, value, unit);
}

static void
rowf(const char *what, double v, const char *fmt, const char *unit)
{
	char s[64];

	snprintf(s, sizeof s, fmt, v);
	row(what, s, unit);
}

int
main(int argc, char **argv)
{
	const char *parent = getenv("CXZY_BENCH_DIR");
	char root[4096], *dir, *err = NULL, *mdb;
	struct store *st = NULL;
	struct record **batch;
	struct stat sb;
	struct scan sc = { 0, 0 };
	uint64_t n = 1000000, i, seed = 42;
	size_t j, k, found = 0, heap_insert, heap_read;
	double t0, t_insert, t_close, t_open, t_get, t_find, t_scan;
	int r = 1;

	if (argc > 1) {
		char *end;

		n = strtoull(argv[1], &end, 10);
		if (*end != '\0' || n == 0) {
			fprintf(stderr, "用法：bench_store [记录数]\n");
			return 2;
		}
	}
	if (parent == NULL || *parent == '\0')
		parent = "/tmp";
	snprintf(root, sizeof root, "%s/cxzy-bench-XXXXXX", parent);
	if (mkdtemp(root) == NULL) {
		fprintf(stderr, "无法在“%s”建立临时目录。\n", parent);
		return 1;
	}
	dir = xasprintf("%s/data", root);
	setenv("CXZY_NOW", "2024-01-01 08:00:00", 1);
	setup_form();
	heap_sample();

	if (store_open(dir, &fs, STORE_CREATE, NULL, &st, &err) != CX_OK)
		goto fail;

	/* Insert. */
	batch = xcalloc(BATCH, sizeof *batch);
	t0 = now_s();
	for (i = 0; i < n; i += BATCH) {
		size_t m = n - i < BATCH ? (size_t)(n - i) : BATCH;

		for (j = 0; j < m; j++)
			batch[j] = make_member(i + j + 1);
		heap_sample();
		if (store_put_many(st, &member_form, batch, m, &err) != CX_OK)
			goto fail;
		for (j = 0; j < m; j++)
			record_free(batch[j]);
	}
	t_insert = now_s() - t0;
	free(batch);
	heap_insert = heap_peak;

	/* Close and reopen. */
	t0 = now_s();
	store_close(st);
	st = NULL;
	t_close = now_s() - t0;
	mdb = xasprintf("%s/data.mdb", dir);
	if (stat(mdb, &sb) != 0)
		sb.st_size = 0;
	free(mdb);
	t0 = now_s();
	if (store_open(dir, &fs, 0, NULL, &st, &err) != CX_OK)
		goto fail;
	t_open = now_s() - t0;
	heap_peak = 0;
	heap_sample();

	/* Look-ups by id. */
	t0 = now_s();
	for (k = 0; k < GETS; k++) {
		struct record *rec;

		seed = mix(seed);
		if (store_get(st, &member_form, 1 + seed % n, &rec, &err) !=
		    CX_OK)
			goto fail;
		record_free(rec);
	}
	t_get = now_s() - t0;
	heap_sample();

	/* Look-ups by the name index. */
	t0 = now_s();
	for (k = 0; k < FINDS; k++) {
		uint64_t *ids;
		size_t nids;
		char name[64];

		seed = mix(seed);
		name_of(1 + seed % n, name, sizeof name);
		if (store_find(st, &member_form, "name", name, &ids, &nids,
		    &err) != CX_OK)
			goto fail;
		found += nids;
		free(ids);
	}
	t_find = now_s() - t0;
	heap_sample();

	/* Full scan. */
	t0 = now_s();
	if (store_foreach(st, &member_form, scan_fn, &sc, &err) != CX_OK)
		goto fail;
	t_scan = now_s() - t0;
	heap_sample();
	heap_read = heap_peak;

	printf("cxzy store benchmark: %llu member records, batches of %d\n",
	    (unsigned long long)n, BATCH);
	printf("%-34s %16s  %s\n", "measure", "value", "unit");
	printf("%-34s %16s  %s\n", "----------------------------------",
	    "----------------", "----");
	rowf("insert total", t_insert, "%.2f", "s");
	rowf("insert rate", (double)n / t_insert, "%.0f", "records/s");
	rowf("data.mdb size", (double)sb.st_size / (1024.0 * 1024.0), "%.1f",
	    "MiB");
	rowf("bytes per record (file)", (double)sb.st_size / (double)n,
	    "%.0f", "B");
	rowf("map size", (double)store_mapsize(st) / (1024.0 * 1024.0),
	    "%.0f", "MiB");
	rowf("close", t_close * 1e3, "%.1f", "ms");
	rowf("open", t_open * 1e3, "%.1f", "ms");
	rowf("get by id (100000 random)", t_get * 1e6 / GETS, "%.2f",
	    "us mean");
	rowf("find by name (10000 random)", t_find * 1e6 / FINDS, "%.2f",
	    "us mean");
	rowf("  ids per find", (double)found / FINDS, "%.1f", "mean");
	rowf("full scan (store_foreach)", t_scan, "%.2f", "s");
	rowf("  scan rate", (double)sc.n / t_scan, "%.0f", "records/s");
	rowf("heap peak, insert phase", (double)heap_insert / (1024.0 * 1024.0),
	    "%.1f", "MiB (mallinfo2)");
	rowf("heap peak, read phases", (double)heap_read / (1024.0 * 1024.0),
	    "%.1f", "MiB (mallinfo2)");
	rowf("max RSS", (double)maxrss_kib() / 1024.0, "%.1f",
	    "MiB (incl. mapped pages)");
	if (sc.n != n) {
		fprintf(stderr, "扫描到 %zu 条记录，应为 %llu 条。\n", sc.n,
		    (unsigned long long)n);
		goto out;
	}
	r = 0;
	goto out;

fail:
	fprintf(stderr, "bench_store: %s\n", err ? err : "失败");
out:
	free(err);
	store_close(st);
	remove_tree(root);
	free(dir);
	return r;
}
