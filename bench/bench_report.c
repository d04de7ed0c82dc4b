/* bench_report.c: printing a 附件三 ledger of a million rows.
 *
 * Generates N 承诺、践诺台账 rows (default 1,000,000), each a fixed function
 * of its number (its long texts picked from pools of phrases made at
 * start), and prints them with the report engine's streaming path
 * (report_write) as a GB18030 report, landscape 136 columns by 66 lines.
 * The rows come from a row source: generated on the fly in memory, or read
 * back through store_scan() from an LMDB store they were first written to.
 * See bench/README.md and bench/report.sh, which also prints the same rows
 * with the sqlite3 command line for comparison.
 *
 *   bench_report csv N                  the rows as CSV on stdout
 *   bench_report report N FILE [mem|store] [ascii|box] [utf8|gb18030]
 *
 * CXZY_BENCH_DIR chooses where the temporary store is made (default /tmp).
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
#include "report.h"
#include "store.h"
#include "util.h"

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])
#define NCOLS		7
#define INSERT_BATCH	10000
#define SCAN_BATCH	1024

static const char *numerals[] = {
	"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八",
	"十九", "二十",
};
static const char *surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"欧阳", "司马",
};
static const char *given[] = {
	"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊",
	"军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞",
	"平", "刚", "桂", "兰", "华", "建", "国", "红", "文", "辉",
	"玉", "海", "云", "峰", "志", "鹏", "宇", "浩", "凯", "𠀾",
};
/* Words of 具体承诺事项; every character is a Hanzi. */
static const char *content_words[] = {
	"组织", "党员", "群众", "开展", "学习", "教育", "推进", "整改",
	"落实", "完成", "问题", "清单", "销号", "服务", "走访", "慰问",
	"困难", "职工", "解决", "实事", "办理", "窗口", "业务", "提速",
	"压缩", "时限", "建立", "台账", "定期", "通报", "进展", "志愿",
	"活动", "社区", "结对", "帮扶", "培训", "骨干", "规范", "流程",
	"提高", "效率", "优化", "环境", "宣传", "政策", "调研", "报告",
	"档案", "整理", "公开", "承诺", "事项", "每月", "每季度", "全年",
	"不少于", "一次", "三件", "五项", "基层", "党支部", "联系点", "老党员",
	"青年", "读书", "分享", "会议", "制度", "质量", "安全", "检查",
	"隐患", "排查", "节能", "绿色", "机关", "食堂", "办公", "用房",
	"车辆", "管理", "信息", "系统", "上线", "运行", "专题", "讲座",
	"党课", "廉政", "警示", "谈心", "谈话", "数字化",
};
static const char *measure_words[] = {
	"成立", "工作", "专班", "明确", "责任人", "制定", "方案", "倒排",
	"工期", "挂图", "作战", "每周", "调度", "督促", "检查", "通报",
	"情况", "建立", "台账", "跟踪", "问效", "邀请", "群众", "评议",
	"结果", "公示", "分解", "任务", "到人", "到岗",
};
static const char *statuses[] = {
	"已完成", "已完成", "已完成", "推进中", "推进中", "未开始",
	"未兑现（已说明）",
};
static const char *remarks[] = {
	"逾期", "已向群众说明", "群众满意", "延期至下半年",
};

static const struct report_col ledger_cols[NCOLS] = {
	{ "序号", 6, TEXT_RIGHT },
	{ "承诺单位或承诺人", 16, TEXT_LEFT },
	{ "具体承诺事项", 36, TEXT_LEFT },
	{ "践诺措施", 24, TEXT_LEFT },
	{ "完成时限", 14, TEXT_LEFT },
	{ "完成情况", 10, TEXT_LEFT },
	{ "备注", 8, TEXT_LEFT },
};
static const char *ledger_ids[NCOLS] = {
	"seq", "owner", "content", "measures", "due_date", "status", "remarks"
};

/* One row's cells, in fixed buffers: generating allocates nothing. */
struct ledger_row {
	char		 seq[24];
	char		 owner[64];
	const char	*content;
	const char	*measures;
	char		 due[32];
	const char	*status;
	const char	*remark;
	const char	*cells[NCOLS];
};

/* A 64-bit mix (splitmix64): row i's values derive from it. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Exactly nhanzi Hanzi of words, with "，" or "、" after one word in
 * eight and sometimes a closing "。".  Each 64-bit mix picks five words
 * (12 bits each) and their punctuation. */
static unsigned char content_len[NELEM(content_words)];
static unsigned char measure_len[NELEM(measure_words)];

static char *
phrase(char *out, const char *limit, uint64_t h, const char **words,
    const unsigned char *wlen, size_t nwords, size_t nhanzi)
{
	size_t got = 0, wl, take, k = 5, j;
	uint64_t bits = 0;
	const char *w;

	while (got < nhanzi) {
		if (k == 5) {
			h = mix(h);
			bits = h;
			k = 0;
		}
		j = (bits & 0xff) % nwords;
		w = words[j];
		wl = wlen[j];
		take = wl < nhanzi - got ? wl : nhanzi - got;
		if (out + 3 * take + 8 >= limit)
			break;
		memcpy(out, w, 3 * take);
		out += 3 * take;
		got += take;
		if (got < nhanzi && ((bits >> 8) & 7) == 0) {
			memcpy(out, (bits >> 11) & 1 ? "，" : "、", 3);
			out += 3;
		}
		bits >>= 12;
		k++;
	}
	if ((h >> 63) == 0) {
		memcpy(out, "。", 3);
		out += 3;
	}
	*out = '\0';
	return out;
}

/* Row texts are picked from pools of PHRASES phrases made at start, so
 * that the row source costs little next to the report: sqlite3 reads
 * its rows from a file, it does not make them up. */
#define PHRASES		1024
static char *contents[PHRASES];
static char *measures[PHRASES];

static void
words_init(void)
{
	char buf[256];
	size_t i;

	for (i = 0; i < NELEM(content_words); i++)
		content_len[i] = (unsigned char)(strlen(content_words[i]) / 3);
	for (i = 0; i < NELEM(measure_words); i++)
		measure_len[i] = (unsigned char)(strlen(measure_words[i]) / 3);
	for (i = 0; i < PHRASES; i++) {
		uint64_t h = mix(i + 1000003);

		phrase(buf, buf + sizeof buf, h, content_words, content_len,
		    NELEM(content_words), 10 + (h >> 32) % 31);
		contents[i] = xstrdup(buf);
		phrase(buf, buf + sizeof buf, h + 1, measure_words,
		    measure_len, NELEM(measure_words), 6 + (h >> 40) % 19);
		measures[i] = xstrdup(buf);
	}
}

static void
words_free(void)
{
	size_t i;

	for (i = 0; i < PHRASES; i++) {
		free(contents[i]);
		free(measures[i]);
	}
}

/* Appends the decimal digits of v; returns the new end (no NUL). */
static char *
put_num(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*out++ = tmp[--n];
	return out;
}

static char *
put_str(char *out, const char *s)
{
	size_t n = strlen(s);

	memcpy(out, s, n);
	return out + n;
}

static void
ledger_row(uint64_t i, struct ledger_row *row)
{
	uint64_t h = mix(i);

	char *p;

	*put_num(row->seq, i) = '\0';
	p = row->owner;
	if (h % 3 == 0) {
		p = put_str(p, "机关第");
		p = put_str(p, numerals[(h >> 8) % NELEM(numerals)]);
		p = put_str(p, "党支部");
	} else {
		p = put_str(p, surnames[(h >> 8) % NELEM(surnames)]);
		p = put_str(p, given[(h >> 16) % NELEM(given)]);
		if ((h >> 24) % 3 != 0)
			p = put_str(p, given[(h >> 28) % NELEM(given)]);
	}
	*p = '\0';
	row->content = contents[(h >> 32) % PHRASES];
	row->measures = measures[(h >> 13) % PHRASES];
	p = put_str(row->due, "2024年");
	p = put_num(p, 1 + (h >> 45) % 12);
	p = put_str(p, "月");
	p = put_num(p, 1 + (h >> 50) % 28);
	p = put_str(p, "日");
	*p = '\0';
	row->status = statuses[(h >> 55) % NELEM(statuses)];
	row->remark = (h >> 58) % 10 < 7 ? "" :
	    remarks[(h >> 60) % NELEM(remarks)];
	row->cells[0] = row->seq;
	row->cells[1] = row->owner;
	row->cells[2] = row->content;
	row->cells[3] = row->measures;
	row->cells[4] = row->due;
	row->cells[5] = row->status;
	row->cells[6] = row->remark;
}

/*
 * Measuring.
 */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static size_t heap_peak;

/* Bytes in use by malloc now (glibc mallinfo2); the peak is kept.
 * Sampled by the source every 4096 rows and by the sink on every
 * piece it writes. */
static void
heap_sample(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || \
    (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();
	size_t used = mi.uordblks + mi.hblkhd;

	if (used > heap_peak)
		heap_peak = used;
#endif
}

static long
maxrss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

/*
 * Row sources.
 */

struct gen_source {
	uint64_t		n;
	uint64_t		next;
	struct ledger_row	row;
};

static int
gen_rewind(void *arg, char **errp)
{
	struct gen_source *g = arg;

	(void)errp;
	g->next = 0;
	return CX_OK;
}

static int
gen_next(void *arg, const char **cells, char **errp)
{
	struct gen_source *g = arg;

	(void)errp;
	if (g->next == g->n)
		return CX_NOTFOUND;
	ledger_row(++g->next, &g->row);
	memcpy(cells, g->row.cells, sizeof g->row.cells);
	if (g->next % 4096 == 0)
		heap_sample();
	return CX_OK;
}

/* Reads the store SCAN_BATCH records at a time; their cells are copied
 * into one reused arena, since a record lives only during the callback. */
struct store_source {
	struct store		*st;
	const struct form	*f;
	uint64_t		 last;		/* id of the last record read */
	bool			 done;
	struct buf		 arena;
	size_t			 off[SCAN_BATCH][NCOLS];
	size_t			 n;		/* records in the batch */
	size_t			 i;		/* next one to hand out */
	size_t			 rows;
};

static int
store_batch_fn(void *arg, const struct form *f, const struct record *rec)
{
	struct store_source *s = arg;
	const char *v;
	size_t j;

	(void)f;
	for (j = 0; j < NCOLS; j++) {
		v = record_get(rec, ledger_ids[j]);
		s->off[s->n][j] = s->arena.len;
		buf_add(&s->arena, v != NULL ? v : "", v != NULL ?
		    strlen(v) + 1 : 1);
	}
	s->last = rec->id;
	s->n++;
	return 0;
}

static int
store_rewind(void *arg, char **errp)
{
	struct store_source *s = arg;

	(void)errp;
	s->last = 0;
	s->done = false;
	s->n = s->i = 0;
	s->rows = 0;
	return CX_OK;
}

static int
store_next(void *arg, const char **cells, char **errp)
{
	struct store_source *s = arg;
	size_t j;

	if (s->i == s->n) {
		if (s->done)
			return CX_NOTFOUND;
		buf_reset(&s->arena);
		s->n = s->i = 0;
		if (store_scan(s->st, s->f, s->last, 1, SCAN_BATCH,
		    store_batch_fn, s, errp) != CX_OK)
			return CX_ERR;
		if (s->n < SCAN_BATCH)
			s->done = true;
		if (s->n == 0)
			return CX_NOTFOUND;
	}
	for (j = 0; j < NCOLS; j++)
		cells[j] = s->arena.s + s->off[s->i][j];
	s->i++;
	if (++s->rows % 4096 == 0)
		heap_sample();
	return CX_OK;
}

/*
 * The store.
 */

static struct form_field fields[NCOLS];
static struct form ledger_form;
static struct form *forms[1];
static struct formset fs;

static void
setup_form(void)
{
	size_t j;

	for (j = 0; j < NCOLS; j++) {
		memset(&fields[j], 0, sizeof fields[j]);
		fields[j].id = (char *)ledger_ids[j];
		fields[j].label = (char *)ledger_cols[j].label;
		fields[j].type = j == 0 ? FT_INT : FT_TEXT;
	}
	ledger_form.kind = "pledge_ledger";
	ledger_form.label = "承诺、践诺台账";
	ledger_form.version = 1;
	ledger_form.title = "content";
	ledger_form.fields = fields;
	ledger_form.nfields = NCOLS;
	forms[0] = &ledger_form;
	fs.forms = forms;
	fs.n = 1;
}

static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char *p;

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		remove_tree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

static int
fill_store(struct store *st, uint64_t n, char **errp)
{
	struct record **batch = xcalloc(INSERT_BATCH, sizeof *batch);
	struct ledger_row row;
	uint64_t i;
	size_t j, k, m;
	int rc = CX_OK;

	for (i = 0; i < n && rc == CX_OK; i += m) {
		m = n - i < INSERT_BATCH ? (size_t)(n - i) : INSERT_BATCH;
		for (j = 0; j < m; j++) {
			ledger_row(i + j + 1, &row);
			batch[j] = record_new();
			for (k = 0; k < NCOLS; k++)
				record_set(batch[j], ledger_ids[k],
				    row.cells[k]);
		}
		rc = store_put_many(st, &ledger_form, batch, m, errp);
		for (j = 0; j < m; j++)
			record_free(batch[j]);
	}
	free(batch);
	return rc;
}

/*
 * The two modes.
 */

static void
csv_field(const char *s, FILE *fp)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

static int
write_csv(uint64_t n)
{
	struct ledger_row row;
	uint64_t i;
	size_t j;

	for (i = 1; i <= n; i++) {
		ledger_row(i, &row);
		fputs(row.seq, stdout);
		for (j = 1; j < NCOLS; j++) {
			putchar(',');
			csv_field(row.cells[j], stdout);
		}
		putchar('\n');
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

struct file_sink {
	FILE	*fp;
	size_t	 bytes;
};

static int
file_sink(void *arg, const char *p, size_t n, char **errp)
{
	struct file_sink *k = arg;

	heap_sample();
	if (fwrite(p, 1, n, k->fp) != n)
		return err_set(errp, "写入报表失败。");
	k->bytes += n;
	return CX_OK;
}

static void
usage(void)
{
	fprintf(stderr, "用法：bench_report csv 行数\n"
	    "      bench_report report 行数 输出文件 [mem|store] [ascii|box] "
	    "[gb18030|utf8]\n");
}

int
main(int argc, char **argv)
{
	const char *parent = getenv("CXZY_BENCH_DIR"), *path, *kind = "mem";
	char root[4096], *dir = NULL, *err = NULL, *end, total[64];
	struct report_opts o;
	struct report *r = NULL;
	struct report_source src;
	struct gen_source gen;
	struct store_source ss;
	struct store *st = NULL;
	struct file_sink k = { NULL, 0 };
	double t0, c0, t_fill = 0, t_report, c_report;
	size_t heap_before;
	uint64_t n;
	int i, rc = 1;

	if (argc < 3) {
		usage();
		return 2;
	}
	n = strtoull(argv[2], &end, 10);
	if (*end != '\0' || n == 0) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "csv") == 0) {
		words_init();
		rc = write_csv(n);
		words_free();
		return rc;
	}
	if (strcmp(argv[1], "report") != 0 || argc < 4) {
		usage();
		return 2;
	}
	path = argv[3];
	report_opts_init(&o);
	o.width = 136;
	o.page_lines = 66;
	o.encoding = REPORT_GB18030;
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "mem") == 0 ||
		    strcmp(argv[i], "store") == 0)
			kind = argv[i];
		else if (strcmp(argv[i], "box") == 0)
			o.border = REPORT_BORDER_BOX;
		else if (strcmp(argv[i], "ascii") == 0)
			o.border = REPORT_BORDER_ASCII;
		else if (strcmp(argv[i], "utf8") == 0)
			o.encoding = REPORT_UTF8;
		else if (strcmp(argv[i], "gb18030") == 0)
			o.encoding = REPORT_GB18030;
		else {
			usage();
			return 2;
		}
	}

	words_init();
	memset(&src, 0, sizeof src);
	memset(&ss, 0, sizeof ss);
	if (strcmp(kind, "store") == 0) {
		if (parent == NULL || *parent == '\0')
			parent = "/tmp";
		snprintf(root, sizeof root, "%s/cxzy-bench-report-XXXXXX",
		    parent);
		if (mkdtemp(root) == NULL) {
			fprintf(stderr, "无法在“%s”建立临时目录。\n", parent);
			return 1;
		}
		dir = xasprintf("%s/data", root);
		setenv("CXZY_NOW", "2024-01-01 08:00:00", 1);
		setup_form();
		if (store_open(dir, &fs, STORE_CREATE, NULL, &st,
		    &err) != CX_OK)
			goto fail;
		t0 = now_s();
		if (fill_store(st, n, &err) != CX_OK)
			goto fail;
		t_fill = now_s() - t0;
		ss.st = st;
		ss.f = &ledger_form;
		buf_init(&ss.arena);
		src.rewind = store_rewind;
		src.next = store_next;
		src.arg = &ss;
	} else {
		memset(&gen, 0, sizeof gen);
		gen.n = n;
		src.rewind = gen_rewind;
		src.next = gen_next;
		src.arg = &gen;
	}

	if ((k.fp = fopen(path, "wb")) == NULL) {
		err = xasprintf("无法写入“%s”。", path);
		goto fail;
	}
	heap_peak = 0;
	heap_sample();
	heap_before = heap_peak;
	t0 = now_s();
	c0 = cpu_s();
	r = report_new(&o);
	report_title(r, "机关第一党支部承诺、践诺台账（2024年上半年）");
	report_header(r, "填报单位（盖章）", "机关第一党支部");
	report_header(r, "填报人", "王伟");
	report_header(r, "填报日期", "2024年6月30日");
	report_table_source(r, NCOLS, ledger_cols, &src);
	snprintf(total, sizeof total, "共 %llu 项承诺。",
	    (unsigned long long)n);
	report_paragraph(r, total);
	report_signature(r, "支部书记（签名）：____________    年    月    日");
	if (report_write(r, file_sink, &k, &err) != CX_OK)
		goto fail;
	if (fclose(k.fp) != 0) {
		k.fp = NULL;
		err = xstrdup("写入报表失败。");
		goto fail;
	}
	k.fp = NULL;
	t_report = now_s() - t0;
	c_report = cpu_s() - c0;
	heap_sample();

	printf("cxzy report benchmark: %llu ledger rows from %s, %s, %s, "
	    "%zu x %zu\n", (unsigned long long)n,
	    st != NULL ? "the LMDB store (store_scan)" :
	    "a generator (in memory)",
	    o.encoding == REPORT_GB18030 ? "GB18030" : "UTF-8",
	    o.border == REPORT_BORDER_BOX ? "box borders" : "ASCII borders",
	    o.width, o.page_lines);
	if (st != NULL)
		printf("%-28s %14.2f  s (not counted below)\n",
		    "store fill", t_fill);
	printf("%-28s %14zu\n", "pages", report_page_count(r));
	printf("%-28s %14.1f  MiB\n", "output",
	    (double)k.bytes / (1024.0 * 1024.0));
	printf("%-28s %14.2f  s\n", "report wall", t_report);
	printf("%-28s %14.2f  s\n", "report user+sys", c_report);
	printf("%-28s %14.0f  rows/s\n", "rate", (double)n / t_report);
	printf("%-28s %14.2f  MiB (mallinfo2)\n", "heap before report",
	    (double)heap_before / (1024.0 * 1024.0));
	printf("%-28s %14.2f  MiB (mallinfo2)\n", "heap peak during report",
	    (double)heap_peak / (1024.0 * 1024.0));
	printf("%-28s %14.1f  MiB\n", "max RSS",
	    (double)maxrss_kib() / 1024.0);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench_report: %s\n", err != NULL ? err : "失败");
out:
	if (k.fp != NULL)
		fclose(k.fp);
	report_free(r);
	free(err);
	buf_free(&ss.arena);
	if (st != NULL)
		store_close(st);
	if (dir != NULL) {
		remove_tree(root);
		free(dir);
	}
	words_free();
	return rc;
}
