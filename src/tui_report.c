/* tui_report.c: the 报表 screen.
 *
 * Lists everything printable (rollup.h): each annex as its paper form,
 * the roll-ups, the 备案报告 and each kind's 名册, with the period (F9)
 * and the branch (F6) to print for.  Enter asks for the encoding, builds
 * the printout and opens a preview: rendered in UTF-8 with the printed
 * page length, scrolled line by line and, for landscape reports wider
 * than the screen, 10 columns at a time sideways.  Form feeds show as a
 * dim separator line.  F2 saves the printout in the chosen encoding with
 * CRLF line ends to the data directory's reports/ folder; F5 saves it
 * and hands the file to the print command ($CXZY_PRINT_COMMAND, else the
 * print_command setting, else lp from CUPS).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exchange.h"
#include "model.h"
#include "report.h"
#include "rollup.h"
#include "sheet.h"
#include "tui.h"
#include "tui_curses.h"
#include "tui_picker.h"

#define PREVIEW_HSTEP	10
#define PREVIEW_FF	"-- 换页 --"

static const char *const report_enc_names[] = { "GB18030", "UTF-8", "GBK" };
static const enum report_encoding report_encs[] = {
	REPORT_GB18030, REPORT_UTF8, REPORT_GBK
};

struct preview_line {
	char	*text;
	bool	 ff;		/* a page separator */
	size_t	 page;		/* 1-based */
};

struct preview {
	const struct printout	*po;
	struct period		 period;
	char			*branch;	/* stored org id, or NULL */
	enum report_encoding	 enc;
	char			*title;
	struct preview_line	*lines;
	size_t			 n, cap;
	size_t			 top, page_h;
	size_t			 left, maxw;
	size_t			 npages;
};

struct rmenu {
	struct printouts	 pl;
	size_t			 sel, top;
	struct period		 period;
	char			*branch;	/* stored org id, or NULL: all */
	char			*branch_name;
	bool			 branch_fixed;	/* a branch directory: its own */
};

static const struct tui_screen_ops preview_ops;
static const struct tui_screen_ops rmenu_ops;

static const enum tui_action preview_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_LEFT, TA_RIGHT,
	TA_SAVE, TA_PRINT, TA_BACK, TA_NONE
};

static const enum tui_action rmenu_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_ENTER,
	TA_PERIOD, TA_FILTER, TA_BACK, TA_NONE
};

/* Builds the printout of the preview with opts. */
static int
preview_build(struct tui *t, const struct preview *pv,
    const struct report_opts *ro, struct buf *out, size_t *pages,
    char **errp)
{
	struct sheet_doc *doc = NULL;
	int rc;

	rc = printout_build(&t->lg, pv->po, pv->po->period ? &pv->period :
	    NULL, pv->branch, ro, false, &doc, errp);
	if (rc != CX_OK)
		return CX_ERR;
	rc = sheet_doc_render(doc, out, errp);
	if (rc == CX_OK && pages != NULL)
		*pages = doc->pages;
	sheet_doc_free(doc);
	return rc;
}

/* ------------------------------------------------------------ preview */

static void
preview_add(struct preview *pv, const char *s, size_t len, bool ff,
    size_t page)
{
	struct preview_line *l;

	pv->lines = xgrow(pv->lines, &pv->cap, pv->n + 1, sizeof *pv->lines);
	l = &pv->lines[pv->n++];
	l->text = xstrndup(s, len);
	l->ff = ff;
	l->page = page;
	if (!ff) {
		size_t w = text_width(l->text, TEXT_SCREEN);

		if (w > pv->maxw)
			pv->maxw = w;
	}
}

/* Splits the rendered UTF-8 text into lines; an FF starts a new page. */
static void
preview_split(struct preview *pv, const char *s, size_t len)
{
	size_t page = 1, i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '\f') {
			if (i > start)
				preview_add(pv, s + start, i - start, false,
				    page);
			if (i < len) {
				preview_add(pv, PREVIEW_FF, strlen(PREVIEW_FF),
				    true, page);
				page++;
			}
			start = i + 1;
		} else if (s[i] == '\n') {
			preview_add(pv, s + start, i - start, false, page);
			start = i + 1;
		}
	}
}

static char *
preview_heading(struct tui *t, void *self)
{
	struct preview *pv = self;
	size_t page = pv->n > 0 ? pv->lines[pv->top].page : 1;

	(void)t;
	return xasprintf("%s预览（%s）  第 %zu 页 共 %zu 页", pv->title,
	    report_enc_names[pv->enc == REPORT_GB18030 ? 0 :
	    pv->enc == REPORT_UTF8 ? 1 : 2], page, pv->npages);
}

/* Draws text from screen column `left` on, clipped to w columns. */
static void
preview_put(struct tui *t, int y, const char *s, size_t left, int w)
{
	struct buf b;
	size_t col = 0;
	uint32_t uc;

	buf_init(&b);
	while (*s != '\0') {
		int n = text_utf8_decode(s, &uc);
		int cw = text_char_width(uc, TEXT_SCREEN);

		if (col >= left)
			buf_add(&b, s, (size_t)n);
		else if (col + (size_t)cw > left)
			buf_addc(&b, ' ');	/* half of a wide character */
		col += (size_t)cw;
		s += n;
	}
	buf_addc(&b, '\0');
	tui_put(t, y, 0, b.s, w, A_NORMAL);
	buf_free(&b);
}

static void
preview_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct preview *pv = self;
	size_t i;

	pv->page_h = h > 1 ? (size_t)h : 1;
	for (i = 0; i < pv->page_h && pv->top + i < pv->n; i++) {
		const struct preview_line *l = &pv->lines[pv->top + i];

		if (l->ff)
			tui_put_pad(t, y + (int)i, 0, PREVIEW_FF, w, TEXT_CENTER,
			    tui_attr_dim(t));
		else
			preview_put(t, y + (int)i, l->text, pv->left, w);
	}
}

/* Writes b to path through a temporary file. */
static int
preview_write(const char *path, const struct buf *b, char **errp)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *fp;
	int ok;

	fp = fopen(tmp, "wb");
	if (fp == NULL) {
		*errp = xasprintf("无法写入“%s”：%s。报表没有保存。", tmp,
		    util_strerror(errno));
		free(tmp);
		return CX_ERR;
	}
	ok = fwrite(b->s ? b->s : "", 1, b->len, fp) == b->len &&
	    fflush(fp) == 0 && fsync(fileno(fp)) == 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		*errp = xasprintf("无法写入“%s”：%s。报表没有保存。", path,
		    util_strerror(errno));
		unlink(tmp);
		free(tmp);
		return CX_ERR;
	}
	free(tmp);
	return CX_OK;
}

/* Renders in the chosen encoding with CRLF and saves to reports/.
 * Returns the path, or NULL after showing why not. */
static char *
preview_save(struct tui *t, struct preview *pv)
{
	struct report_opts ro;
	struct buf out;
	struct tm tm;
	time_t now;
	char stamp[32], code[16], *dir, *path, *err = NULL;

	if (store_readonly(t->st)) {
		tui_message(t, "无法保存", STORE_MSG_READONLY);
		return NULL;
	}
	report_opts_init(&ro);
	ro.encoding = pv->enc;
	ro.eol = REPORT_EOL_CRLF;
	buf_init(&out);
	if (preview_build(t, pv, &ro, &out, NULL, &err) != CX_OK) {
		tui_message_take(t, "无法保存", err);
		buf_free(&out);
		return NULL;
	}
	dir = xasprintf("%s/reports", t->datadir);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		err = xasprintf("无法建立文件夹“%s”：%s。报表没有保存。", dir,
		    util_strerror(errno));
		tui_message_take(t, "无法保存", err);
		free(dir);
		buf_free(&out);
		return NULL;
	}
	now = model_now();
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	model_period_code(&pv->period, code);
	if (pv->po->period)
		path = xasprintf("%s/%s-%s-%s.txt", dir, pv->po->file, code,
		    stamp);
	else
		path = xasprintf("%s/%s-%s.txt", dir, pv->po->file, stamp);
	free(dir);
	if (preview_write(path, &out, &err) != CX_OK) {
		tui_message_take(t, "无法保存", err);
		free(path);
		path = NULL;
	}
	buf_free(&out);
	return path;
}

/* Whether prog is an executable file in a directory of $PATH. */
static bool
preview_on_path(const char *prog)
{
	const char *p = getenv("PATH"), *e;
	bool found = false;

	if (p == NULL)
		return false;
	while (!found) {
		char *cand;

		e = strchr(p, ':');
		cand = xasprintf("%.*s/%s", (int)(e ? e - p : (ptrdiff_t)strlen(p)),
		    p, prog);
		found = access(cand, X_OK) == 0;
		free(cand);
		if (e == NULL)
			break;
		p = e + 1;
	}
	return found;
}

/* Runs argv plus file, with its output collected in out.  Returns the
 * exit status, or -1 if it could not be started. */
static int
preview_run(char **argv, struct buf *out)
{
	int pfd[2], st;
	pid_t pid;
	char chunk[512];
	ssize_t n;

	if (pipe(pfd) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out->len < 4096)
			buf_add(out, chunk, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
preview_print(struct tui *t, struct preview *pv)
{
	const char *env = getenv("CXZY_PRINT_COMMAND");
	char *cmd, *path, *msg, *script, *argv[6];
	struct buf out;
	int rc;

	const char *set = t->lg.ctx.setting != NULL ?
	    t->lg.ctx.setting(t->lg.ctx.arg, "print_command") : NULL;

	if (env != NULL && *env != '\0')
		cmd = xstrdup(env);
	else if (set != NULL && *set != '\0' && strcmp(set, "lp") != 0)
		cmd = xstrdup(set);
	else if (preview_on_path("lp"))
		cmd = xstrdup("lp");
	else
		cmd = NULL;
	if ((path = preview_save(t, pv)) == NULL) {
		free(cmd);
		return;
	}
	if (cmd == NULL) {
		msg = xasprintf("没有找到打印命令 lp（由 CUPS 打印系统提供），"
		    "无法直接打印。报表已保存到“%s”，可以复制到能打印的电脑上打印；"
		    "也可以用环境变量 CXZY_PRINT_COMMAND 指定打印命令。", path);
		tui_message(t, "无法打印", msg);
		free(msg);
		free(path);
		return;
	}
	if (cmd[strspn(cmd, " \t")] == '\0') {
		tui_message(t, "无法打印", "环境变量 CXZY_PRINT_COMMAND 是空的。");
		free(cmd);
		free(path);
		return;
	}
	/* The command goes through the shell (so that "lp -d 打印机" and
	 * "cat >文件" both work); the file is its last argument, passed
	 * as "$1" so that no file name is ever read as shell text. */
	script = xasprintf("%s \"$1\"", cmd);
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = "cxzy-print";
	argv[4] = path;
	argv[5] = NULL;
	buf_init(&out);
	rc = preview_run(argv, &out);
	buf_addc(&out, '\0');
	if (rc == 0)
		tui_info(t, "已把报表交给打印机（%s），文件保存在“%s”。", cmd,
		    path);
	else {
		if (rc < 0)
			msg = xasprintf("无法运行打印命令“%s”。报表已保存到“%s”。",
			    cmd, path);
		else
			msg = xasprintf("打印命令“%s”失败（退出码 %d）：%s\n"
			    "报表已保存到“%s”。", cmd, rc,
			    text_utf8_valid(out.s, strlen(out.s)) ? out.s : "",
			    path);
		tui_message(t, "打印没有完成", msg);
		free(msg);
	}
	buf_free(&out);
	free(script);
	free(cmd);
	free(path);
}

static enum tui_result
preview_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct preview *pv = self;
	size_t page = pv->page_h > 0 ? pv->page_h : 1;
	size_t last = pv->n > page ? pv->n - page : 0;
	char *path;

	(void)wc;
	switch (a) {
	case TA_UP:
		if (pv->top > 0)
			pv->top--;
		break;
	case TA_DOWN:
		if (pv->top < last)
			pv->top++;
		break;
	case TA_PGUP:
		pv->top = pv->top > page ? pv->top - page : 0;
		break;
	case TA_PGDN:
		pv->top = pv->top + page < last ? pv->top + page : last;
		break;
	case TA_HOME:
		pv->top = 0;
		pv->left = 0;
		break;
	case TA_END:
		pv->top = last;
		break;
	case TA_LEFT:
		pv->left = pv->left > PREVIEW_HSTEP ? pv->left - PREVIEW_HSTEP :
		    0;
		break;
	case TA_RIGHT:
		if (pv->left + (size_t)t->cols < pv->maxw)
			pv->left += PREVIEW_HSTEP;
		break;
	case TA_SAVE:
		if ((path = preview_save(t, pv)) != NULL) {
			tui_info(t, "已把%s保存到“%s”。", pv->title, path);
			free(path);
		}
		break;
	case TA_PRINT:
		preview_print(t, pv);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
preview_help_line(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return "F2 保存到数据目录的 reports 文件夹，F5 打印；左右箭头横向移动；"
	    "Esc 返回。";
}

static void
preview_free(void *self)
{
	struct preview *pv = self;
	size_t i;

	for (i = 0; i < pv->n; i++)
		free(pv->lines[i].text);
	free(pv->lines);
	free(pv->title);
	free(pv->branch);
	free(pv);
}

static const struct tui_screen_ops preview_ops = {
	.name = "report-preview",
	.action_list = preview_actions,
	.heading = preview_heading,
	.draw = preview_draw,
	.key = preview_key,
	.help_line = preview_help_line,
	.free = preview_free,
};

static void
preview_open(struct tui *t, const struct rmenu *m, const struct printout *po,
    enum report_encoding enc)
{
	struct preview *pv;
	struct report_opts ro;
	struct buf out;
	char *err = NULL, label[32];
	size_t pages = 0;

	pv = xcalloc(1, sizeof *pv);
	pv->po = po;
	pv->period = m->period;
	pv->branch = m->branch && po->branch ? xstrdup(m->branch) : NULL;
	pv->enc = enc;
	report_opts_init(&ro);
	ro.encoding = REPORT_UTF8;
	ro.page_lines = 66;
	buf_init(&out);
	if (preview_build(t, pv, &ro, &out, &pages, &err) != CX_OK) {
		tui_message_take(t, "无法生成报表", err);
		buf_free(&out);
		free(pv->branch);
		free(pv);
		return;
	}
	model_period_label(&pv->period, label);
	pv->title = po->period ? xasprintf("%s（%s）", po->title, label) :
	    xstrdup(po->title);
	pv->npages = pages;
	preview_split(pv, out.s ? out.s : "", out.len);
	buf_free(&out);
	pv->page_h = t->rows > 6 ? (size_t)(t->rows - 4) : 1;
	tui_push(t, &preview_ops, pv);
}

/* --------------------------------------------------------------- menu */

static char *
rmenu_heading(struct tui *t, void *self)
{
	struct rmenu *m = self;
	char label[32];

	(void)t;
	model_period_label(&m->period, label);
	return xasprintf("报表  周期：%s  党支部：%s", label,
	    m->branch_name ? m->branch_name : "全部");
}

/* The list, one printout to a line, a blank line between the groups
 * (paper forms, roll-ups and 备案报告, 名册); scrolled to keep the
 * selection in view.  The first nine have number keys. */
static void
rmenu_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct rmenu *m = self;
	size_t i, rows = h > 2 ? (size_t)(h - 2) : 1;
	int line = 1;

	if (m->sel < m->top)
		m->top = m->sel;
	while (m->sel >= m->top + rows)
		m->top++;
	/* Keep the top so that a group gap does not push the selection
	 * off the screen. */
	for (;;) {
		size_t used = 0;

		for (i = m->top; i <= m->sel && i < m->pl.n; i++)
			used += 1 + (i > m->top && m->pl.v[i].what !=
			    m->pl.v[i - 1].what && !(m->pl.v[i].what ==
			    PRINT_PACKAGE && m->pl.v[i - 1].what == PRINT_ROLLUP));
		if (used <= rows || m->top >= m->sel)
			break;
		m->top++;
	}
	for (i = m->top; i < m->pl.n && line < h - 1; i++) {
		const struct printout *po = &m->pl.v[i];
		char *label, key[8];
		int attr = i == m->sel ? tui_attr_select(t) : (int)A_NORMAL;

		if (i > m->top && po->what != m->pl.v[i - 1].what &&
		    !(po->what == PRINT_PACKAGE &&
		    m->pl.v[i - 1].what == PRINT_ROLLUP))
			line++;
		if (line >= h - 1)
			break;
		if (i < 9)
			snprintf(key, sizeof key, "%zu", i + 1);
		else
			key[0] = '\0';
		label = xasprintf("%2s  %s", key, po->title);
		tui_put_pad(t, y + line, 2, label, w - 4 > 0 ? w - 4 : 1,
		    TEXT_LEFT, attr);
		free(label);
		line++;
	}
}

static void
rmenu_choose(struct tui *t, struct rmenu *m)
{
	const struct printout *po;
	const char *buttons[3];
	char *msg;
	int k;

	if (m->sel >= m->pl.n)
		return;
	po = &m->pl.v[m->sel];
	if (m->branch != NULL && !po->branch) {
		msg = xasprintf("%s不能按党支部分开打印，将包括全部党支部。",
		    po->title);
		tui_info(t, "%s", msg);
		free(msg);
	}
	buttons[0] = report_enc_names[0];
	buttons[1] = report_enc_names[1];
	buttons[2] = report_enc_names[2];
	msg = xasprintf("%s用哪种编码保存和打印？针式打印机一般用 GB18030。",
	    po->title);
	k = tui_choose(t, "选择编码", msg, buttons, 3, 0);
	free(msg);
	if (k < 0)
		return;
	preview_open(t, m, po, report_encs[k]);
}

static void
rmenu_period_done(struct tui *t, void *arg, const struct strlist *codes)
{
	struct rmenu *m = arg;
	struct period p;
	char *err = NULL;

	(void)t;
	if (codes == NULL || codes->n == 0)
		return;
	if (model_period_parse(codes->v[0], &p, &err) == CX_OK)
		m->period = p;
	free(err);
}

/* The periods around the current one: two years back, one ahead. */
static void
rmenu_period(struct tui *t, struct rmenu *m)
{
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct strlist sel;
	struct period p = t->period, end = t->period;
	char code[16], label[32], cur[16];
	int i;

	for (i = 0; i < 4; i++)
		model_period_prev(&p);
	model_period_next(&end);
	tui_picker_list_init(&items);
	for (;; model_period_next(&p)) {
		model_period_code(&p, code);
		model_period_label(&p, label);
		tui_picker_list_add(&items, code, label,
		    p.year == t->period.year && p.half == t->period.half ?
		    "当前" : NULL);
		if (p.year == end.year && p.half == end.half)
			break;
	}
	model_period_code(&m->period, cur);
	strlist_init(&sel);
	strlist_add(&sel, cur);
	memset(&sp, 0, sizeof sp);
	sp.title = "选择报表的周期";
	sp.items = &items;
	sp.selected = &sel;
	sp.done = rmenu_period_done;
	sp.done_arg = m;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

static int
rmenu_branch_cb(void *arg, const struct form *f, const struct record *r)
{
	struct tui_picker_list *items = arg;
	const char *type = record_get(r, "type"), *name = record_get(r, "name");
	char id[24];

	(void)f;
	if (type == NULL || (strcmp(type, "branch") != 0 &&
	    strcmp(type, "direct_group") != 0))
		return 0;
	snprintf(id, sizeof id, "%llu", (unsigned long long)r->id);
	tui_picker_list_add(items, id, name != NULL && *name != '\0' ? name :
	    id, NULL);
	return 0;
}

static void
rmenu_branch_done(struct tui *t, void *arg, const struct strlist *codes)
{
	struct rmenu *m = arg;
	const struct form *forg = formset_find(t->fs, "org");
	struct record *r = NULL;
	uint64_t id;

	if (codes == NULL || codes->n == 0)
		return;
	free(m->branch);
	free(m->branch_name);
	m->branch = NULL;
	m->branch_name = NULL;
	if (*codes->v[0] == '\0' || !util_parse_id(codes->v[0], &id))
		return;
	m->branch = xstrdup(codes->v[0]);
	if (forg != NULL && store_get(t->st, forg, id, &r, NULL) == CX_OK &&
	    record_get(r, "name") != NULL)
		m->branch_name = xstrdup(record_get(r, "name"));
	else
		m->branch_name = xstrdup(codes->v[0]);
	record_free(r);
}

static void
rmenu_branch(struct tui *t, struct rmenu *m)
{
	const struct form *forg = formset_find(t->fs, "org");
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct strlist sel;
	char *err = NULL;

	if (forg == NULL)
		return;
	tui_picker_list_init(&items);
	if (store_foreach(t->st, forg, rmenu_branch_cb, &items, &err) !=
	    CX_OK) {
		tui_message(t, "无法读取党组织", err != NULL ? err : "");
		free(err);
		tui_picker_list_clear(&items);
		return;
	}
	strlist_init(&sel);
	if (m->branch != NULL)
		strlist_add(&sel, m->branch);
	memset(&sp, 0, sizeof sp);
	sp.title = "选择要打印的党支部";
	sp.items = &items;
	sp.selected = &sel;
	sp.none_label = "全部党支部";
	sp.done = rmenu_branch_done;
	sp.done_arg = m;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

static enum tui_result
rmenu_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct rmenu *m = self;
	size_t n = m->pl.n;

	switch (a) {
	case TA_UP:
		if (m->sel > 0)
			m->sel--;
		break;
	case TA_DOWN:
		if (m->sel + 1 < n)
			m->sel++;
		break;
	case TA_PGUP:
		m->sel = m->sel > 10 ? m->sel - 10 : 0;
		break;
	case TA_PGDN:
		m->sel = m->sel + 10 < n ? m->sel + 10 : (n > 0 ? n - 1 : 0);
		break;
	case TA_HOME:
		m->sel = 0;
		break;
	case TA_END:
		m->sel = n > 0 ? n - 1 : 0;
		break;
	case TA_CHAR:
		if (wc >= L'1' && wc <= L'9' && (size_t)(wc - L'1') < n) {
			m->sel = (size_t)(wc - L'1');
			rmenu_choose(t, m);
		}
		break;
	case TA_ENTER:
		rmenu_choose(t, m);
		break;
	case TA_PERIOD:
		rmenu_period(t, m);
		break;
	case TA_FILTER:
		if (m->branch_fixed)
			tui_info(t, "这是%s的数据目录，报表只包括本支部。",
			    m->branch_name);
		else
			rmenu_branch(t, m);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
rmenu_help_line(struct tui *t, void *self)
{
	struct rmenu *m = self;

	(void)t;
	if (m->sel < m->pl.n && *m->pl.v[m->sel].about != '\0')
		return m->pl.v[m->sel].about;
	return "选中要打印的报表后按回车，选择编码后先预览；F9 换周期，F6 选党支部。";
}

static void
rmenu_free(void *self)
{
	struct rmenu *m = self;

	printouts_free(&m->pl);
	free(m->branch);
	free(m->branch_name);
	free(m);
}

static const struct tui_screen_ops rmenu_ops = {
	.name = "reports",
	.action_list = rmenu_actions,
	.heading = rmenu_heading,
	.draw = rmenu_draw,
	.key = rmenu_key,
	.help_line = rmenu_help_line,
	.free = rmenu_free,
	.about = "报表：每种附件按纸质表格打印（一个党支部、一名党员或一次会议"
	    "一份），各项统计表和半年备案报告，以及每种记录的名册。F9 选择周期，"
	    "F6 选择党支部（不选为全部），回车选择编码后预览，预览里 F2 保存、"
	    "F5 打印。",
};

/* In a branch directory everything is about its own branch: F6 stays
 * on it, and the 备案报告 is the branch's own. */
static void
rmenu_own_branch(struct tui *t, struct rmenu *m)
{
	const struct form *forg = formset_find(t->fs, "org");
	struct record *r = NULL;
	uint64_t id;
	char *err = NULL;

	if (!exchange_is_branch(t->st) || forg == NULL)
		return;
	if (exchange_branch_org(t->st, t->fs, &id, &err) != CX_OK) {
		free(err);
		return;
	}
	m->branch = xasprintf("%llu", (unsigned long long)id);
	if (store_get(t->st, forg, id, &r, NULL) == CX_OK &&
	    record_filled(r, "name"))
		m->branch_name = xstrdup(record_get(r, "name"));
	else
		m->branch_name = xstrdup(m->branch);
	record_free(r);
	m->branch_fixed = true;
}

void
tui_report_open(struct tui *t)
{
	struct rmenu *m = xcalloc(1, sizeof *m);

	printout_list(t->fs, &m->pl);
	m->period = t->period;
	rmenu_own_branch(t, m);
	tui_push(t, &rmenu_ops, m);
}
