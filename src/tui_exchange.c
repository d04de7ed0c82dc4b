/* tui_exchange.c: 报送/接收 (数据维护), the packages that branches and
 * the 机关党委 carry to each other on a USB stick.
 *
 * The 报送/接收 screen offers to make a package, to take one and, when
 * packages wait in DATADIR/pending, to take those again.  Making one asks
 * for the branch (a 机关党委 directory; a branch directory makes its
 * own), the period (F9; all by default) and where to write it (the last
 * directory used, else the data directory's parent), then calls
 * exchange_package with a progress line and says what it wrote.  Taking
 * one asks for a file or a directory (whose *.cxzy files are listed
 * newest first), runs exchange_import_file as a dry run and shows its
 * text as a preview; F2 takes it for real, Esc leaves the data as it
 * was.  Every rule lives in exchange.c, shared with `cxzy package` and
 * `cxzy import`; this file only asks and shows.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "edit.h"
#include "exchange.h"
#include "tui.h"
#include "tui_curses.h"
#include "tui_picker.h"

/* The meta value that remembers the directory last used (a stick). */
#define XC_META_DIR	"exchange_dir"
#define XC_LABEL_W	10
#define XC_PATH_MAX	1000

/* ------------------------------------------------------------ helpers */

/* The name of org record id, or its number. */
static char *
xc_org_name(struct tui *t, uint64_t id)
{
	const struct form *forg = formset_find(t->fs, "org");
	struct record *r = NULL;
	char *name;

	if (forg != NULL && store_get(t->st, forg, id, &r, NULL) == CX_OK &&
	    record_get(r, "name") != NULL && *record_get(r, "name") != '\0')
		name = xstrdup(record_get(r, "name"));
	else
		name = xasprintf("编号 %llu", (unsigned long long)id);
	record_free(r);
	return name;
}

/* The directory to offer: the one last used, else the data directory's
 * parent (where a stick's other files are). */
static char *
xc_default_dir(struct tui *t)
{
	char *v = NULL, *real, *slash;
	size_t n;

	if (store_meta_get(t->st, XC_META_DIR, &v, NULL) == CX_OK &&
	    v != NULL && *v != '\0')
		return v;
	free(v);
	real = realpath(store_dir(t->st), NULL);
	if (real == NULL)
		real = xstrdup(store_dir(t->st));
	n = strlen(real);
	while (n > 1 && real[n - 1] == '/')
		real[--n] = '\0';
	slash = strrchr(real, '/');
	if (slash == real)
		real[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else {
		free(real);
		real = xstrdup(".");
	}
	return real;
}

/* Remembers dir for next time; a read-only directory just forgets. */
static void
xc_remember(struct tui *t, const char *dir)
{
	char *real;

	if (store_readonly(t->st) || dir == NULL || *dir == '\0')
		return;
	real = realpath(dir, NULL);
	(void)store_meta_set(t->st, XC_META_DIR, real != NULL ? real : dir,
	    NULL);
	free(real);
}

/* The directory part of path ("." for a bare name). */
static char *
xc_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The text of an edit field without the white space around it. */
static char *
xc_edit_text(const struct edit *e)
{
	char *s = edit_get_utf8(e), *trimmed = text_trim(s);

	free(s);
	return trimmed;
}

/* Handles the editing keys of a one-line field; false for other keys. */
static bool
xc_edit_key(struct tui *t, struct edit *e, enum tui_action a, wchar_t wc)
{
	switch (a) {
	case TA_LEFT:
		edit_left(e);
		return true;
	case TA_RIGHT:
		edit_right(e);
		return true;
	case TA_HOME:
		edit_home(e);
		return true;
	case TA_END:
		edit_end(e);
		return true;
	case TA_BACKSPACE:
		edit_backspace(e);
		return true;
	case TA_DELCHAR:
		edit_delete(e);
		return true;
	case TA_KILL:
		edit_kill_line(e);
		return true;
	case TA_KILL_END:
		edit_kill_to_end(e);
		return true;
	case TA_INSERT:
		edit_toggle_overwrite(e);
		return true;
	case TA_CHAR:
		if (!edit_insert(e, wc) && e->maxlen > 0 && e->len >= e->maxlen)
			tui_error(t, "路径最多 %d 个字。", XC_PATH_MAX);
		return true;
	default:
		return false;
	}
}

/* Draws the field at (y, x), cols wide, and places the cursor when it
 * has the focus. */
static void
xc_edit_draw(struct tui *t, struct edit *e, int y, int x, int cols,
    bool focus)
{
	wchar_t *line;
	int cur;

	if (cols < 1)
		return;
	line = xcalloc((size_t)cols + 1, sizeof *line);
	cur = edit_layout(e, cols, line, NULL);
	tui_put_wcs(t, y, x, line, cols, tui_attr_field(t) | (int)A_UNDERLINE);
	free(line);
	if (focus)
		tui_cursor(t, y, x + cur);
}

/* Draws s wrapped to w columns from row y, at most h rows; returns the
 * rows used. */
static int
xc_draw_wrapped(struct tui *t, int y, int x, int w, int h, const char *s,
    int attr)
{
	char **lines;
	size_t n, i;

	if (w < 2 || h <= 0)
		return 0;
	lines = text_wrap(s, (size_t)w, TEXT_SCREEN, &n);
	for (i = 0; i < n && (int)i < h; i++)
		tui_put(t, y + (int)i, x, lines[i], w, attr);
	text_lines_free(lines);
	return (int)(n < (size_t)h ? n : (size_t)h);
}

/* The progress of a package being written, on the status line. */
static void
xc_progress(void *arg, size_t done)
{
	struct tui *t = arg;
	char *msg;

	if (done % 200 != 0 || t->too_small)
		return;
	msg = xasprintf("正在制作报送包……已处理 %zu 条记录", done);
	tui_put_pad(t, t->rows - 2, 0, msg, t->cols, TEXT_LEFT, A_BOLD);
	free(msg);
	refresh();
}

/* ------------------------------------------------------------ preview */

/* The preview of a package (a dry run) and, after F2, what happened. */
struct xview {
	char		*file;
	bool		 pending;	/* a package held in DATADIR/pending */
	bool		 done;		/* F2 was pressed: the result shows */
	bool		 held;		/* the result: held again */
	char		*summary;	/* drawn first, in bold */
	char		*text;		/* exchange_import_text */
	char	       **lines;		/* summary and text wrapped */
	size_t		 n, nsummary;
	int		 wrap_w;
	size_t		 top, page;
};

static const enum tui_action xview_actions_preview[] = {
	TA_APPLY, TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_BACK,
	TA_NONE
};
static const enum tui_action xview_actions_done[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_BACK, TA_NONE
};

static void
xview_lines_free(struct xview *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->lines[i]);
	free(v->lines);
	v->lines = NULL;
	v->n = v->nsummary = 0;
	v->wrap_w = 0;
}

/* Wraps the summary and the text to w columns. */
static void
xview_wrap(struct xview *v, int w)
{
	char **a, **b;
	size_t na, nb, i;

	if (w < 2)
		w = 2;
	if (v->wrap_w == w)
		return;
	xview_lines_free(v);
	a = text_wrap(v->summary, (size_t)w, TEXT_SCREEN, &na);
	b = text_wrap(v->text, (size_t)w, TEXT_SCREEN, &nb);
	v->lines = xcalloc(na + nb + 1, sizeof *v->lines);
	for (i = 0; i < na; i++)
		v->lines[v->n++] = xstrdup(a[i]);
	v->nsummary = v->n;
	v->lines[v->n++] = xstrdup("");
	for (i = 0; i < nb; i++)
		v->lines[v->n++] = xstrdup(b[i]);
	text_lines_free(a);
	text_lines_free(b);
	v->wrap_w = w;
}

/* "新增 2 条、更新 1 条" from the outcomes that change records; "" when
 * none does. */
static void
xview_counts(struct buf *b, const size_t *c)
{
	static const struct {
		int		 outcome;
		const char	*label;
	} parts[] = {
		{ ARCHIVE_ADDED, "新增" },
		{ ARCHIVE_UPDATED, "更新" },
		{ ARCHIVE_MERGED, "合并" },
	};
	size_t i;
	bool first = true;

	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (c[parts[i].outcome] == 0)
			continue;
		buf_addf(b, "%s%s %zu 条", first ? "" : "、", parts[i].label,
		    c[parts[i].outcome]);
		first = false;
	}
}

/* Takes the results of exchange_import_file (dry run or not). */
static void
xview_set(struct tui *t, struct xview *v, const struct exchange_import *x,
    const char *extra)
{
	const size_t *c = x->rep.count;
	size_t changes = c[ARCHIVE_ADDED] + c[ARCHIVE_UPDATED] +
	    c[ARCHIVE_MERGED];
	size_t left = c[ARCHIVE_CONFLICT] + c[ARCHIVE_REJECTED] +
	    c[ARCHIVE_UNKNOWN];
	char *text = exchange_import_text(x, v->file, true);
	struct buf b;

	buf_init(&b);
	if (!v->done) {
		if (x->rep.held)
			buf_addstr(&b, "这个报送包要修改已经备案锁定的周期，现在不能"
			    "接收。按 F2 把它暂存到数据目录的 pending 文件夹（数据"
			    "不会改动）；解除那个周期的锁定以后，在「报送/接收」里"
			    "选「重新接收暂存的报送包」。按 Esc 取消。");
		else {
			if (changes == 0)
				buf_addstr(&b, "预览：接收这个报送包不会改动任何记录，"
				    "本机已经有其中的全部内容。");
			else {
				buf_addstr(&b, "预览：接收后将");
				xview_counts(&b, c);
				buf_addstr(&b, "记录（下面逐条列出）。");
			}
			if (left > 0)
				buf_addf(&b, "另有 %zu 条不会导入（冲突、拒绝或跳过，"
				    "见下面），这些记录在本机保持原样。", left);
			buf_addstr(&b, "数据还没有改动：按 F2 接收，按 Esc 取消。");
		}
		if (store_readonly(t->st))
			buf_addstr(&b, "\n注意：数据目录是只读的（例如 U 盘的写保护"
			    "开关已打开），只能预览，不能接收。");
	} else if (x->rep.held) {
		buf_addstr(&b, "数据没有改动。这个报送包要修改已经备案锁定的周期，");
		if (x->held_at != NULL)
			buf_addf(&b, "已暂存到“%s”。", x->held_at);
		else
			buf_addstr(&b, "但没有暂存成功。");
		buf_addstr(&b, "先在「数据维护」里解除锁定，再回到「报送/接收」选"
		    "「重新接收暂存的报送包」。");
	} else {
		if (changes == 0)
			buf_addstr(&b, "已接收，没有记录需要改动。");
		else {
			buf_addstr(&b, "已接收：");
			xview_counts(&b, c);
			buf_addstr(&b, "记录。");
		}
		if (left > 0)
			buf_addf(&b, "有 %zu 条没有导入（冲突、拒绝或跳过，见下面），"
			    "这些记录在本机保持原样。", left);
	}
	if (v->done && x->hold_error != NULL)
		buf_addf(&b, "\n%s", x->hold_error);
	if (extra != NULL)
		buf_addf(&b, "\n%s", extra);
	if (v->done)
		buf_addstr(&b, "\n按 Esc 返回。");
	free(v->summary);
	v->summary = text_safe(b.s != NULL ? b.s : "", true);
	buf_free(&b);
	free(v->text);
	v->text = text_safe(text, true);
	free(text);
	v->held = x->rep.held;
	v->top = 0;
	v->wrap_w = 0;
}

static const enum tui_action *
xview_actions(struct tui *t, void *self)
{
	struct xview *v = self;

	(void)t;
	return v->done ? xview_actions_done : xview_actions_preview;
}

static char *
xview_heading(struct tui *t, void *self)
{
	struct xview *v = self;

	(void)t;
	if (!v->done)
		return xstrdup("接收报送包：预览（数据还没有改动）");
	return xstrdup(v->held ? "接收报送包：已暂存，数据没有改动" :
	    "接收报送包：已接收");
}

static void
xview_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct xview *v = self;
	size_t i, rows;

	xview_wrap(v, w - 2);
	rows = h > 2 ? (size_t)(h - 1) : 1;
	v->page = rows;
	if (v->top + rows > v->n)
		v->top = v->n > rows ? v->n - rows : 0;
	for (i = 0; i < rows && v->top + i < v->n; i++)
		tui_put(t, y + (int)i, 1, v->lines[v->top + i], w - 2,
		    v->top + i < v->nsummary ? A_BOLD : (int)A_NORMAL);
	if (v->top + rows < v->n) {
		char *more = xasprintf("-- 下面还有 %zu 行，按 PgDn 往下看 --",
		    v->n - v->top - rows);

		tui_put_pad(t, y + h - 1, 0, more, w, TEXT_CENTER,
		    tui_attr_dim(t));
		free(more);
	}
}

/* F2: takes the package for real. */
static void
xview_apply(struct tui *t, struct xview *v)
{
	struct exchange_import x;
	char *err = NULL, *extra = NULL;

	if (store_readonly(t->st)) {
		tui_message(t, "不能接收", STORE_MSG_READONLY);
		return;
	}
	if (exchange_import_file(t->st, t->fs, v->file, false, &x, &err) !=
	    CX_OK) {
		tui_message_take(t, "没有接收", err);
		return;
	}
	v->done = true;
	if (v->pending && !x.rep.held) {
		/* Taken: it waits no longer (as `cxzy import --pending`). */
		if (unlink(v->file) == 0)
			extra = xasprintf("已从暂存中移除“%s”。",
			    exchange_basename(v->file));
		else
			extra = xasprintf("无法从暂存中移除“%s”：%s。",
			    v->file, util_strerror(errno));
	} else if (!v->pending && !x.rep.held) {
		/* Only a package taken changes anything, the directory
		 * remembered for next time included. */
		char *dir = xc_dirname(v->file);

		xc_remember(t, dir);
		free(dir);
	}
	xview_set(t, v, &x, extra);
	free(extra);
	exchange_import_free(&x);
	/* The package may bring new settings. */
	ledger_reload(&t->lg);
	tui_info(t, "%s", v->held ? "报送包已暂存，数据没有改动。" :
	    "报送包已接收。");
}

static enum tui_result
xview_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct xview *v = self;
	size_t page = v->page > 0 ? v->page : 1;
	size_t last = v->n > page ? v->n - page : 0;

	(void)wc;
	switch (a) {
	case TA_UP:
		if (v->top > 0)
			v->top--;
		break;
	case TA_DOWN:
		if (v->top < last)
			v->top++;
		break;
	case TA_PGUP:
		v->top = v->top > page ? v->top - page : 0;
		break;
	case TA_PGDN:
		v->top = v->top + page < last ? v->top + page : last;
		break;
	case TA_HOME:
		v->top = 0;
		break;
	case TA_END:
		v->top = last;
		break;
	case TA_APPLY:
		if (!v->done)
			xview_apply(t, v);
		break;
	case TA_BACK:
		if (!v->done)
			tui_info(t, "没有接收，数据没有改动。");
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
xview_help_line(struct tui *t, void *self)
{
	struct xview *v = self;

	(void)t;
	if (v->done)
		return "上下箭头、PgUp、PgDn 翻看；Esc 返回。";
	return v->held ? "F2 暂存这个报送包，Esc 取消（数据不会改动）。" :
	    "F2 接收这个报送包，Esc 取消（数据不会改动）；PgUp、PgDn 翻看。";
}

static void
xview_free(void *self)
{
	struct xview *v = self;

	xview_lines_free(v);
	free(v->summary);
	free(v->text);
	free(v->file);
	free(v);
}

static const struct tui_screen_ops xview_ops = {
	.name = "exchange-preview",
	.actions = xview_actions,
	.heading = xview_heading,
	.draw = xview_draw,
	.key = xview_key,
	.help_line = xview_help_line,
	.free = xview_free,
	.about = "接收报送包的预览：最上面是概要，下面是报送包的说明和接收后"
	    "每条记录会有的变化（新增、更新、合并；冲突、拒绝和跳过的记录不会"
	    "导入，在本机保持原样）。预览时数据还没有改动：按 F2 接收，按 Esc "
	    "取消。报送包要修改已经备案锁定的周期时不能接收，按 F2 把它暂存到"
	    "数据目录的 pending 文件夹，解除锁定后在「报送/接收」里选「重新接收"
	    "暂存的报送包」。",
};

/* Runs the dry run and opens the preview; a file that is no package
 * for this directory is explained and nothing changes. */
static void
xview_open(struct tui *t, const char *file, bool pending)
{
	struct exchange_import x;
	struct xview *v;
	char *err = NULL;

	tui_put_pad(t, t->rows - 2, 0, "正在读取报送包，请稍候。", t->cols,
	    TEXT_LEFT, A_BOLD);
	refresh();
	if (exchange_import_file(t->st, t->fs, file, true, &x, &err) != CX_OK) {
		tui_message_take(t, "不能接收", err);
		return;
	}
	v = xcalloc(1, sizeof *v);
	v->file = xstrdup(file);
	v->pending = pending;
	xview_set(t, v, &x, NULL);
	exchange_import_free(&x);
	tui_push(t, &xview_ops, v);
}

/* ------------------------------------------------------ choosing a file */

struct xfile {
	char	*path;
	char	*name;
	time_t	 mtime;
};

static int
xfile_cmp(const void *a, const void *b)
{
	const struct xfile *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(y->name, x->name);
}

/* Lists the packages (*.cxzy) in dir into items, newest first.
 * Returns how many. */
static size_t
xc_list_packages(const char *dir, struct tui_picker_list *items)
{
	struct xfile *v = NULL;
	size_t n = 0, cap = 0, i, len;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *path;

		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcasecmp(de->d_name + len - 5, ".cxzy") != 0)
			continue;
		path = util_path(dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].path = path;
		v[n].name = xstrdup(de->d_name);
		v[n].mtime = sb.st_mtime;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof *v, xfile_cmp);
	for (i = 0; i < n; i++) {
		struct tm tm;
		char when[32];

		localtime_r(&v[i].mtime, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		tui_picker_list_add(items, v[i].path, v[i].name, when);
		free(v[i].path);
		free(v[i].name);
	}
	free(v);
	return n;
}

/* Where a picker's choice waits until the picker has closed: the
 * screen below opens the preview from its resume callback. */
static void
xc_chosen_done(struct tui *t, void *arg, const struct strlist *codes)
{
	char **chosen = arg;

	(void)t;
	if (codes != NULL && codes->n > 0 && *codes->v[0] != '\0') {
		free(*chosen);
		*chosen = xstrdup(codes->v[0]);
	}
}

/* --------------------------------------------------------- take a file */

struct xtake {
	struct edit	 path;
	char		*chosen;	/* from the picker, opened on resume */
};

static const enum tui_action xtake_actions[] = {
	TA_ENTER, TA_BACK, TA_LEFT, TA_RIGHT, TA_HOME, TA_END, TA_BACKSPACE,
	TA_DELCHAR, TA_KILL, TA_KILL_END, TA_INSERT, TA_NONE
};

static enum tui_keymode
xtake_keymode(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return TK_TEXT;
}

static char *
xtake_heading(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return xstrdup("接收报送包");
}

static void
xtake_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct xtake *s = self;
	int row = y + 1;

	tui_put(t, row++, 2, "报送包文件，或报送包所在的目录（例如 U 盘）：", w - 4,
	    A_NORMAL);
	xc_edit_draw(t, &s->path, row, 2, w - 4, true);
	row += 2;
	xc_draw_wrapped(t, row, 2, w - 4, h - (row - y), "写好后按回车。写的是"
	    "目录时，列出其中的报送包（扩展名 .cxzy，最新的在前）供选择。"
	    "接收前先预览会有哪些变化，数据不会改动；在预览里按 F2 才接收。"
	    "U 盘一般在 /media/用户名/ 下面。", tui_attr_dim(t));
}

static void
xtake_go(struct tui *t, struct xtake *s)
{
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct stat sb;
	char *p = xc_edit_text(&s->path), *msg;

	if (*p == '\0') {
		tui_error(t, "请写出报送包文件或所在的目录。");
		free(p);
		return;
	}
	if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		/* A file, or nothing: the core says what is wrong. */
		xview_open(t, p, false);
		free(p);
		return;
	}
	tui_picker_list_init(&items);
	if (xc_list_packages(p, &items) == 0) {
		msg = xasprintf("目录“%s”里没有报送包（扩展名为 .cxzy 的文件）。"
		    "请检查 U 盘是否插好、目录是否写对，或写出报送包的完整文件名。",
		    p);
		tui_message(t, "没有报送包", msg);
		free(msg);
	} else {
		memset(&sp, 0, sizeof sp);
		sp.title = "选择要接收的报送包";
		sp.help = "最新的在前。选中后按回车先预览（数据不会改动），"
		    "Esc 返回。";
		sp.items = &items;
		sp.done = xc_chosen_done;
		sp.done_arg = &s->chosen;
		tui_picker_open(t, &sp);
	}
	tui_picker_list_clear(&items);
	free(p);
}

static enum tui_result
xtake_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct xtake *s = self;

	if (xc_edit_key(t, &s->path, a, wc))
		return TR_STAY;
	switch (a) {
	case TA_ENTER:
		xtake_go(t, s);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static void
xtake_resume(struct tui *t, void *self)
{
	struct xtake *s = self;
	char *file = s->chosen;

	if (file == NULL)
		return;
	s->chosen = NULL;
	xview_open(t, file, false);
	free(file);
}

static const char *
xtake_help_line(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return "写出文件或目录后按回车；Ctrl+U 清除光标前的文字；Esc 返回。";
}

static void
xtake_free(void *self)
{
	struct xtake *s = self;

	edit_free(&s->path);
	free(s->chosen);
	free(s);
}

static const struct tui_screen_ops xtake_ops = {
	.name = "exchange-take",
	.action_list = xtake_actions,
	.keymode = xtake_keymode,
	.heading = xtake_heading,
	.draw = xtake_draw,
	.key = xtake_key,
	.help_line = xtake_help_line,
	.resume = xtake_resume,
	.free = xtake_free,
	.about = "接收报送包：写出报送包文件（.cxzy）的位置，或它所在的目录"
	    "（例如 U 盘），按回车。写目录时列出其中的报送包，最新的在前。"
	    "选定后先预览：列出接收后会新增、更新、合并哪些记录，数据还不会"
	    "改动；在预览里按 F2 才接收，按 Esc 取消。不是报送包的文件、发给"
	    "别的党支部的报送包会说明原因，数据不会改动。",
};

static void
xtake_open(struct tui *t)
{
	struct xtake *s = xcalloc(1, sizeof *s);
	char *dir = xc_default_dir(t);

	edit_init(&s->path, XC_PATH_MAX);
	edit_set_utf8(&s->path, dir, NULL);
	edit_end(&s->path);
	free(dir);
	tui_push(t, &xtake_ops, s);
}

/* ------------------------------------------------------ make a package */

enum { XM_BRANCH, XM_PERIOD, XM_DIR, XM_NFIELDS };

struct xmake {
	bool		 branch;	/* a branch directory: its own */
	uint64_t	 org;		/* the branch (0: not chosen yet) */
	char		*org_name;
	bool		 all;		/* all periods */
	struct period	 period;
	struct edit	 dir;
	int		 focus;
};

static const enum tui_action xmake_actions_committee[] = {
	TA_PACKAGE, TA_PICK, TA_PERIOD, TA_UP, TA_DOWN, TA_NEXT, TA_PREV,
	TA_ENTER, TA_BACK, TA_LEFT, TA_RIGHT, TA_HOME, TA_END, TA_BACKSPACE,
	TA_DELCHAR, TA_KILL, TA_KILL_END, TA_INSERT, TA_NONE
};
static const enum tui_action xmake_actions_branch[] = {
	TA_PACKAGE, TA_PERIOD, TA_UP, TA_DOWN, TA_NEXT, TA_PREV, TA_ENTER,
	TA_BACK, TA_LEFT, TA_RIGHT, TA_HOME, TA_END, TA_BACKSPACE, TA_DELCHAR,
	TA_KILL, TA_KILL_END, TA_INSERT, TA_NONE
};

static const enum tui_action *
xmake_actions(struct tui *t, void *self)
{
	struct xmake *m = self;

	(void)t;
	return m->branch ? xmake_actions_branch : xmake_actions_committee;
}

static enum tui_keymode
xmake_keymode(struct tui *t, void *self)
{
	struct xmake *m = self;

	(void)t;
	return m->focus == XM_DIR ? TK_TEXT : TK_LIST;
}

static char *
xmake_heading(struct tui *t, void *self)
{
	struct xmake *m = self;

	(void)t;
	return xstrdup(m->branch ? "制作报送包（报送机关党委）" :
	    "制作报送包（发给党支部）");
}

static void
xmake_draw(struct tui *t, void *self, int y, int h, int w)
{
	static const char *const labels[XM_NFIELDS] = { "党支部：", "周期：",
	    "保存到：" };
	struct xmake *m = self;
	int x = 2 + XC_LABEL_W, i, row;
	char label[32], *v;

	for (i = 0; i < XM_NFIELDS; i++) {
		row = y + 1 + 2 * i;
		tui_put_pad(t, row, 2, labels[i], XC_LABEL_W, TEXT_LEFT,
		    i == m->focus ? tui_attr_select(t) : (int)A_BOLD);
		switch (i) {
		case XM_BRANCH:
			if (m->branch)
				v = xasprintf("%s（本支部）", m->org_name);
			else if (m->org == 0)
				v = xstrdup("（请选择，F5 或回车）");
			else
				v = xasprintf("%s", m->org_name);
			tui_put(t, row, x, v, w - x - 2, m->org == 0 &&
			    !m->branch ? tui_attr_dim(t) : (int)A_NORMAL);
			free(v);
			break;
		case XM_PERIOD:
			if (m->all)
				snprintf(label, sizeof label, "全部周期");
			else
				model_period_label(&m->period, label);
			v = xasprintf("%s   （F9 换周期）", label);
			tui_put(t, row, x, v, w - x - 2, A_NORMAL);
			free(v);
			break;
		case XM_DIR:
			xc_edit_draw(t, &m->dir, row, x, w - x - 2,
			    m->focus == XM_DIR);
			break;
		}
	}
	row = y + 1 + 2 * XM_NFIELDS;
	row += 1 + xc_draw_wrapped(t, row, 2, w - 4, h - (row - y), m->branch ?
	    "报送包里是本支部的台账（选一个半年时只有那个半年的记录），"
	    "交给机关党委备案。" :
	    "报送包里是这个党支部要用的全部内容（单位设置、本支部的组织和"
	    "党员、各项记录；选一个半年时只有那个半年的记录），交给党支部。",
	    tui_attr_dim(t));
	xc_draw_wrapped(t, row, 2, w - 4, h - (row - y),
	    "「保存到」写一个目录（例如 U 盘 /media/用户名/U盘名）时，文件名由"
	    "程序按党支部、周期和时间取好；也可以写完整的文件名。按 F2 制作。",
	    tui_attr_dim(t));
}

static void
xmake_branch_done(struct tui *t, void *arg, const struct strlist *codes)
{
	struct xmake *m = arg;
	uint64_t id;

	if (codes == NULL || codes->n == 0 ||
	    !util_parse_id(codes->v[0], &id))
		return;
	m->org = id;
	free(m->org_name);
	m->org_name = xc_org_name(t, id);
}

static int
xmake_branch_cb(void *arg, const struct form *f, const struct record *r)
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
	    id, strcmp(type, "direct_group") == 0 ? "直属党小组" : NULL);
	return 0;
}

static void
xmake_branch(struct tui *t, struct xmake *m, const char *filter)
{
	const struct form *forg = formset_find(t->fs, "org");
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct strlist sel;
	char *err = NULL, id[24];

	if (m->branch || forg == NULL)
		return;
	tui_picker_list_init(&items);
	if (store_foreach(t->st, forg, xmake_branch_cb, &items, &err) !=
	    CX_OK) {
		tui_message_take(t, "无法读取党组织", err);
		tui_picker_list_clear(&items);
		return;
	}
	strlist_init(&sel);
	if (m->org != 0) {
		snprintf(id, sizeof id, "%llu", (unsigned long long)m->org);
		strlist_add(&sel, id);
	}
	memset(&sp, 0, sizeof sp);
	sp.title = "为哪个党支部制作报送包";
	sp.items = &items;
	sp.selected = &sel;
	sp.filter = filter;
	sp.done = xmake_branch_done;
	sp.done_arg = m;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

static void
xmake_period_done(struct tui *t, void *arg, const struct strlist *codes)
{
	struct xmake *m = arg;
	struct period p;

	(void)t;
	if (codes == NULL || codes->n == 0)
		return;
	if (*codes->v[0] == '\0') {
		m->all = true;
		return;
	}
	if (model_period_parse(codes->v[0], &p, NULL) == CX_OK) {
		m->period = p;
		m->all = false;
	}
}

/* The half-years from two years back to the next one, or all. */
static void
xmake_period(struct tui *t, struct xmake *m)
{
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct strlist sel;
	struct period p = t->period, end = t->period;
	char code[16], label[32];
	int i;

	for (i = 0; i < 4; i++)
		model_period_prev(&p);
	model_period_next(&end);
	tui_picker_list_init(&items);
	for (;; model_period_next(&p)) {
		bool cur = p.year == t->period.year && p.half == t->period.half;
		bool locked = ledger_locked(&t->lg, &p);

		model_period_code(&p, code);
		model_period_label(&p, label);
		tui_picker_list_add(&items, code, label, cur ? (locked ?
		    "当前，已锁定" : "当前") : locked ? "已锁定" : NULL);
		if (p.year == end.year && p.half == end.half)
			break;
	}
	strlist_init(&sel);
	if (m->all)
		strlist_add(&sel, "");
	else {
		model_period_code(&m->period, code);
		strlist_add(&sel, code);
	}
	memset(&sp, 0, sizeof sp);
	sp.title = "报送包包括哪个周期";
	sp.help = "选「全部周期」或一个半年，按回车；Esc 不变。";
	sp.items = &items;
	sp.selected = &sel;
	sp.none_label = "全部周期";
	sp.done = xmake_period_done;
	sp.done_arg = m;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

/* F2: writes the package and says what to do with it. */
static void
xmake_run(struct tui *t, struct xmake *m)
{
	struct exchange_package_out po;
	struct stat sb;
	char *out, *err = NULL, *msg, *dir, label[32];
	bool force = false;

	if (!m->branch && m->org == 0) {
		m->focus = XM_BRANCH;
		tui_error(t, "请先选择为哪个党支部制作报送包（F5）。");
		return;
	}
	out = xc_edit_text(&m->dir);
	if (*out == '\0') {
		m->focus = XM_DIR;
		tui_error(t, "请在「保存到」写出目录（例如 U 盘）或文件名。");
		free(out);
		return;
	}
	/* A file named by the user may be replaced, after asking; in a
	 * directory the core names the file and never replaces one. */
	if (lstat(out, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		static const char *const buttons[] = { "覆盖", "取消" };

		msg = xasprintf("文件“%s”已经存在。用新的报送包覆盖它吗？", out);
		force = tui_choose(t, "文件已经存在", msg, buttons, 2, 1) == 0;
		free(msg);
		if (!force) {
			tui_info(t, "没有制作报送包。");
			free(out);
			return;
		}
	}
	tui_put_pad(t, t->rows - 2, 0, "正在制作报送包，请稍候。", t->cols,
	    TEXT_LEFT, A_BOLD);
	refresh();
	if (exchange_package(t->st, t->fs, m->branch ? 0 : m->org,
	    m->all ? NULL : &m->period, out, force, xc_progress, t, &po,
	    &err) != CX_OK) {
		tui_message_take(t, "没有制作报送包", err);
		free(out);
		return;
	}
	dir = stat(out, &sb) == 0 && S_ISDIR(sb.st_mode) ? xstrdup(out) :
	    xc_dirname(po.path);
	xc_remember(t, dir);
	free(dir);
	if (m->all)
		snprintf(label, sizeof label, "全部周期");
	else
		model_period_label(&m->period, label);
	msg = xasprintf("报送包已写到：\n%s\n党支部“%s”，%s，共 %zu 条记录。\n%s",
	    po.path, po.branch_name, label, po.n, po.to_committee ?
	    "请把这个文件交给机关党委，机关党委在「数据维护」的「报送/接收」"
	    "里选「接收报送包」接收。用 U 盘带去时，先在电脑上「安全删除」U 盘"
	    "再拔出。" :
	    "请把这个文件交给党支部：第一次建台账用“cxzy init 目录 --from "
	    "文件”，已有台账的在「数据维护」的「报送/接收」里选「接收报送包」"
	    "接收。用 U 盘带去时，先「安全删除」U 盘再拔出。");
	tui_message(t, "已制作报送包", msg);
	free(msg);
	exchange_package_out_free(&po);
	free(out);
}

static enum tui_result
xmake_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct xmake *m = self;
	int first = m->branch ? XM_PERIOD : XM_BRANCH;

	if (m->focus == XM_DIR && a != TA_ENTER &&
	    xc_edit_key(t, &m->dir, a, wc))
		return TR_STAY;
	switch (a) {
	case TA_UP:
	case TA_PREV:
		if (m->focus > first)
			m->focus--;
		break;
	case TA_DOWN:
	case TA_NEXT:
		if (m->focus + 1 < XM_NFIELDS)
			m->focus++;
		break;
	case TA_HOME:
		m->focus = first;
		break;
	case TA_END:
		m->focus = XM_DIR;
		break;
	case TA_ENTER:
		if (m->focus == XM_BRANCH)
			xmake_branch(t, m, NULL);
		else if (m->focus == XM_PERIOD)
			xmake_period(t, m);
		else
			xmake_run(t, m);
		break;
	case TA_PICK:
		xmake_branch(t, m, NULL);
		break;
	case TA_PERIOD:
		xmake_period(t, m);
		break;
	case TA_PACKAGE:
		xmake_run(t, m);
		break;
	case TA_CHAR:
		/* Typing on the branch opens the list, filtered. */
		if (m->focus == XM_BRANCH) {
			char *s = edit_wcs_to_utf8(&wc, 1);

			xmake_branch(t, m, s);
			free(s);
		}
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
xmake_help_line(struct tui *t, void *self)
{
	struct xmake *m = self;

	(void)t;
	switch (m->focus) {
	case XM_BRANCH:
		return "回车或 F5 选择党支部（输入文字可缩小范围）；F2 制作。";
	case XM_PERIOD:
		return "回车或 F9 选择周期：全部周期，或一个半年；F2 制作。";
	default:
		return "写出目录（例如 U 盘）或文件名；F2 或回车制作，Esc 返回。";
	}
}

static void
xmake_free(void *self)
{
	struct xmake *m = self;

	edit_free(&m->dir);
	free(m->org_name);
	free(m);
}

static const struct tui_screen_ops xmake_ops = {
	.name = "exchange-make",
	.actions = xmake_actions,
	.keymode = xmake_keymode,
	.heading = xmake_heading,
	.draw = xmake_draw,
	.key = xmake_key,
	.help_line = xmake_help_line,
	.free = xmake_free,
	.about = "制作报送包：党支部的台账为本支部制作，交给机关党委；机关党委"
	    "的台账为选定的党支部（或直属党小组）制作，交给党支部。上下箭头或 "
	    "Tab 换栏目；党支部按回车或 F5 选择；周期按回车或 F9 选择（全部周期"
	    "或一个半年）；「保存到」写目录（例如 U 盘）或完整的文件名，默认是"
	    "上次用过的目录。按 F2 制作，完成后说明文件放在哪里、有多少条记录、"
	    "接下来怎么做。同名的文件已经存在时不会覆盖。",
};

static void
xmake_open(struct tui *t)
{
	struct xmake *m = xcalloc(1, sizeof *m);
	char *dir, *err = NULL;

	m->branch = exchange_is_branch(t->st);
	if (m->branch) {
		if (exchange_branch_org(t->st, t->fs, &m->org, &err) != CX_OK) {
			tui_message_take(t, "不能制作报送包", err);
			free(m);
			return;
		}
		m->org_name = xc_org_name(t, m->org);
		m->focus = XM_PERIOD;
	}
	m->all = true;
	m->period = t->period;
	edit_init(&m->dir, XC_PATH_MAX);
	dir = xc_default_dir(t);
	edit_set_utf8(&m->dir, dir, NULL);
	edit_end(&m->dir);
	free(dir);
	tui_push(t, &xmake_ops, m);
}

/* ---------------------------------------------------------------- hub */

enum xh_item {
	XH_MAKE,
	XH_TAKE,
	XH_PENDING,
	XH_BACK
};

struct xhub {
	bool		 branch;
	char		*branch_name;	/* a branch directory's branch */
	struct strlist	 pending;
	enum xh_item	 items[4];
	size_t		 n, sel;
	char		*chosen;	/* a pending package from the picker */
};

static const enum tui_action xhub_actions[] = {
	TA_UP, TA_DOWN, TA_HOME, TA_END, TA_ENTER, TA_BACK, TA_NONE
};

static void
xhub_load(struct xhub *h, struct tui *t)
{
	strlist_free(&h->pending);
	strlist_init(&h->pending);
	exchange_pending_list(t->st, &h->pending);
	h->n = 0;
	h->items[h->n++] = XH_MAKE;
	h->items[h->n++] = XH_TAKE;
	if (h->pending.n > 0)
		h->items[h->n++] = XH_PENDING;
	h->items[h->n++] = XH_BACK;
	if (h->sel >= h->n)
		h->sel = h->n - 1;
}

static char *
xhub_label(const struct xhub *h, enum xh_item it)
{
	switch (it) {
	case XH_MAKE:
		return xstrdup(h->branch ? "制作报送包（报送机关党委）" :
		    "制作报送包（发给党支部）");
	case XH_TAKE:
		return xstrdup(h->branch ? "接收报送包（机关党委发来的）" :
		    "接收报送包（党支部交来的）");
	case XH_PENDING:
		return xasprintf("重新接收暂存的报送包（%zu 个）", h->pending.n);
	case XH_BACK:
		break;
	}
	return xstrdup("返回");
}

static char *
xhub_heading(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return xstrdup("报送/接收");
}

static void
xhub_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct xhub *hb = self;
	int x = w / 2 - 18, row;
	size_t i;
	char *intro;

	if (x < 2)
		x = 2;
	intro = hb->branch ? xasprintf("这是党支部“%s”的台账：把本支部的材料"
	    "做成报送包交给机关党委，机关党委发来的报送包在这里接收。",
	    hb->branch_name) : xstrdup("这是机关党委的台账：为各党支部制作"
	    "报送包，接收党支部交来的报送包。");
	row = y + 1 + xc_draw_wrapped(t, y + 1, 2, w - 4, 3, intro, A_NORMAL);
	free(intro);
	row++;
	for (i = 0; i < hb->n && row < y + h - 1; i++, row++) {
		char *label = xhub_label(hb, hb->items[i]);
		char *line = xasprintf(" %zu  %s", i + 1, label);

		tui_put_pad(t, row, x, line, 36, TEXT_LEFT, i == hb->sel ?
		    tui_attr_select(t) : (int)A_NORMAL);
		free(line);
		free(label);
	}
	if (hb->pending.n > 0 && row + 1 < y + h - 1)
		xc_draw_wrapped(t, row + 1, 2, w - 4, y + h - 1 - (row + 1),
		    "有报送包因为要修改已经备案锁定的周期而暂存着。解除锁定以后"
		    "选「重新接收暂存的报送包」。", tui_attr_dim(t));
}

static void
xhub_pending(struct tui *t, struct xhub *h)
{
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	size_t i;

	if (h->pending.n == 0)
		return;
	if (h->pending.n == 1) {
		xview_open(t, h->pending.v[0], true);
		return;
	}
	tui_picker_list_init(&items);
	for (i = 0; i < h->pending.n; i++)
		tui_picker_list_add(&items, h->pending.v[i],
		    exchange_basename(h->pending.v[i]), NULL);
	memset(&sp, 0, sizeof sp);
	sp.title = "选择暂存的报送包";
	sp.help = "选中后按回车先预览（数据不会改动），Esc 返回。";
	sp.items = &items;
	sp.done = xc_chosen_done;
	sp.done_arg = &h->chosen;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
}

static enum tui_result
xhub_activate(struct tui *t, struct xhub *h)
{
	switch (h->items[h->sel]) {
	case XH_MAKE:
		xmake_open(t);
		break;
	case XH_TAKE:
		xtake_open(t);
		break;
	case XH_PENDING:
		xhub_pending(t, h);
		break;
	case XH_BACK:
		return TR_POP;
	}
	return TR_STAY;
}

static enum tui_result
xhub_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct xhub *h = self;

	switch (a) {
	case TA_UP:
		h->sel = h->sel > 0 ? h->sel - 1 : h->n - 1;
		break;
	case TA_DOWN:
		h->sel = h->sel + 1 < h->n ? h->sel + 1 : 0;
		break;
	case TA_HOME:
		h->sel = 0;
		break;
	case TA_END:
		h->sel = h->n - 1;
		break;
	case TA_ENTER:
		return xhub_activate(t, h);
	case TA_CHAR:
		if (wc >= L'1' && wc <= L'9' && (size_t)(wc - L'1') < h->n) {
			h->sel = (size_t)(wc - L'1');
			return xhub_activate(t, h);
		}
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static void
xhub_resume(struct tui *t, void *self)
{
	struct xhub *h = self;
	char *file = h->chosen;

	xhub_load(h, t);
	if (file == NULL)
		return;
	h->chosen = NULL;
	xview_open(t, file, true);
	free(file);
}

static const char *
xhub_help_line(struct tui *t, void *self)
{
	struct xhub *h = self;

	(void)t;
	switch (h->items[h->sel]) {
	case XH_MAKE:
		return h->branch ? "把本支部的台账做成报送包（例如写到 U 盘），"
		    "交给机关党委。" : "为一个党支部制作报送包（例如写到 U 盘）。";
	case XH_TAKE:
		return "选一个报送包，先预览会有哪些变化，确认后接收。";
	case XH_PENDING:
		return "锁定的周期解锁以后，再接收当时暂存起来的报送包。";
	case XH_BACK:
		break;
	}
	return "回到数据维护。";
}

static void
xhub_free(void *self)
{
	struct xhub *h = self;

	strlist_free(&h->pending);
	free(h->branch_name);
	free(h->chosen);
	free(h);
}

static const struct tui_screen_ops xhub_ops = {
	.name = "exchange",
	.action_list = xhub_actions,
	.heading = xhub_heading,
	.draw = xhub_draw,
	.key = xhub_key,
	.help_line = xhub_help_line,
	.resume = xhub_resume,
	.free = xhub_free,
	.about = "报送/接收：党支部和机关党委用报送包（.cxzy 文件，一般用 U 盘"
	    "带）交换台账。机关党委为每个党支部制作报送包发下去，党支部第一次用"
	    "它建台账（cxzy init 目录 --from 文件），以后接收；党支部把本支部的"
	    "台账做成报送包交给机关党委备案。接收前先预览，确认后才写入；报送包"
	    "要修改已经备案锁定的周期时暂存起来，解锁后再接收。按数字键或上下"
	    "箭头选择后按回车。",
};

void
tui_exchange_open(struct tui *t)
{
	struct xhub *h = xcalloc(1, sizeof *h);
	uint64_t org;

	h->branch = exchange_is_branch(t->st);
	if (h->branch) {
		if (exchange_branch_org(t->st, t->fs, &org, NULL) == CX_OK)
			h->branch_name = xc_org_name(t, org);
		else
			h->branch_name = xstrdup("（不详）");
	}
	strlist_init(&h->pending);
	xhub_load(h, t);
	tui_push(t, &xhub_ops, h);
}
