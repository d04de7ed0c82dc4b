/* tui_backup.c: 立即备份 and 从备份恢复 (数据维护).
 *
 * 立即备份 runs backup_create and says where the copy went.  从备份恢复
 * lists the backups under the backup root, newest first, with their
 * record counts; Enter checks the chosen one, shows what it and the
 * current data hold, asks, restores, and then ends the program: the open
 * store still maps the replaced file, and reopening from scratch is the
 * simple safe way to show the restored data.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "tui.h"
#include "tui_curses.h"

#define BK_TIME_W	19
#define BK_UNIT_W	20

struct bkscreen {
	char			*root;
	struct backup_list	 list;
	bool			 units;		/* more than one unit: show it */
	size_t			 sel, top;
	size_t			 page;
};

static const enum tui_action bk_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_ENTER, TA_BACK,
	TA_NONE
};

void
tui_backup_now(struct tui *t)
{
	struct backup b;
	char *root, *err = NULL, *counts, *msg;

	root = backup_default_root(&err);
	if (root == NULL || backup_create(t->st, t->fs, root, 0, &b,
	    &err) != CX_OK) {
		tui_message_take(t, "备份没有完成", err);
		free(root);
		return;
	}
	counts = backup_counts_text(b.counts, b.ncounts);
	msg = xasprintf("已备份到：\n%s\n内容：%s。\n%s以后每次正常退出程序时也会"
	    "自动备份。", b.path, counts, b.clock_behind ? "注意：电脑的时间早于"
	    "已有的最新备份，这份备份接着它命名。请检查电脑的日期和时间。\n" : "");
	tui_message(t, "立即备份", msg);
	free(msg);
	free(counts);
	backup_free(&b);
	free(root);
}

static void
bk_load(struct tui *t, struct bkscreen *s)
{
	char *err = NULL;
	size_t i;

	backup_list_free(&s->list);
	if (backup_list(s->root, &s->list, &err) != CX_OK)
		tui_error_take(t, err);
	s->units = false;
	for (i = 1; i < s->list.n; i++)
		if (strcmp(s->list.v[i].slug, s->list.v[0].slug) != 0)
			s->units = true;
	if (s->sel >= s->list.n)
		s->sel = s->list.n > 0 ? s->list.n - 1 : 0;
}

static char *
bk_heading(struct tui *t, void *self)
{
	struct bkscreen *s = self;

	(void)t;
	return xasprintf("从备份恢复  共 %zu 份", s->list.n);
}

static void
bk_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct bkscreen *s = self;
	int unit_w = s->units ? BK_UNIT_W : 0;
	int counts_w = w - 2 - BK_TIME_W - 2 - (unit_w ? unit_w + 2 : 0);
	size_t i;

	s->page = h > 3 ? (size_t)(h - 2) : 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + s->page)
		s->top = s->sel - s->page + 1;
	if (s->list.n == 0) {
		tui_put_pad(t, y + h / 2 - 1, 0, "还没有备份。", w, TEXT_CENTER,
		    A_NORMAL);
		tui_put_pad(t, y + h / 2, 0, "在「数据维护」里选「立即备份」；"
		    "每次正常退出程序时也会自动备份。", w, TEXT_CENTER,
		    tui_attr_dim(t));
		return;
	}
	tui_put_pad(t, y, 1, "备份时间", BK_TIME_W, TEXT_LEFT, A_BOLD);
	if (unit_w)
		tui_put_pad(t, y, 3 + BK_TIME_W, "单位", unit_w, TEXT_LEFT,
		    A_BOLD);
	tui_put_pad(t, y, 3 + BK_TIME_W + (unit_w ? unit_w + 2 : 0), "记录数",
	    counts_w, TEXT_LEFT, A_BOLD);
	for (i = 0; i < s->page && s->top + i < s->list.n; i++) {
		const struct backup *b = &s->list.v[s->top + i];
		int ry = y + 1 + (int)i, x = 1;
		int attr = s->top + i == s->sel ? tui_attr_select(t) :
		    (int)A_NORMAL;
		char *counts = backup_counts_text(b->counts, b->ncounts);

		if (s->top + i == s->sel)
			tui_fill(t, ry, 0, w, attr);
		x += tui_put_pad(t, ry, x, *b->time ? b->time : b->name,
		    BK_TIME_W, TEXT_LEFT, attr) + 2;
		if (unit_w)
			x += tui_put_pad(t, ry, x, *b->unit ? b->unit : "（不详）",
			    unit_w, TEXT_LEFT, attr) + 2;
		tui_put_pad(t, ry, x, counts, counts_w, TEXT_LEFT, attr);
		free(counts);
	}
	tui_put(t, y + h - 1, 1, s->root, w - 2, tui_attr_dim(t));
}

/* Checks, previews, asks and restores.  TR_QUIT after a restore. */
static enum tui_result
bk_restore(struct tui *t, struct bkscreen *s)
{
	static const char *const buttons[] = { "恢复", "取消" };
	const struct backup *b;
	struct backup_count *bc = NULL, *cc = NULL;
	size_t nbc = 0, ncc = 0;
	char *err = NULL, *msg, *btext, *ctext, *saved = NULL;
	enum tui_result res = TR_STAY;

	if (s->list.n == 0) {
		tui_info(t, "还没有备份，无法恢复。");
		return TR_STAY;
	}
	if (store_readonly(t->st)) {
		tui_message(t, "无法恢复", STORE_MSG_READONLY);
		return TR_STAY;
	}
	b = &s->list.v[s->sel];
	if (backup_verify(b->path, t->fs, &bc, &nbc, &err) != CX_OK) {
		msg = xasprintf("%s请换一份备份。现有数据没有改动。", err);
		tui_message(t, "这份备份不能用", msg);
		free(msg);
		free(err);
		return TR_STAY;
	}
	if (backup_store_counts(t->st, t->fs, &cc, &ncc, &err) != CX_OK) {
		free(err);
		err = NULL;
	}
	btext = backup_counts_text(bc, nbc);
	ctext = cc != NULL ? backup_counts_text(cc, ncc) : xstrdup("无法读取");
	msg = xasprintf("用 %s 的备份替换现在的数据吗？\n备份：%s\n现在：%s\n"
	    "现在的数据文件会改名保留在数据目录里。恢复后程序将关闭，"
	    "请再打开 cxzy。", b->time, btext, ctext);
	free(btext);
	free(ctext);
	if (tui_choose(t, "从备份恢复", msg, buttons, 2, 1) != 0) {
		tui_info(t, "没有恢复，数据没有改动。");
		goto out;
	}
	if (backup_restore(b->path, t->fs, t->datadir, &saved, &err) != CX_OK) {
		tui_message_take(t, "无法恢复", err);
		goto out;
	}
	free(msg);
	msg = xasprintf("数据已从 %s 的备份恢复。%s%s%s程序现在将关闭，请再打开 "
	    "cxzy 查看恢复的数据。", b->time,
	    saved != NULL ? "原来的数据文件保存为「" : "",
	    saved != NULL ? saved : "", saved != NULL ? "」。" : "");
	tui_message(t, "已恢复", msg);
	t->restored = true;
	res = TR_QUIT;
out:
	free(msg);
	free(saved);
	backup_counts_free(bc, nbc);
	backup_counts_free(cc, ncc);
	return res;
}

static enum tui_result
bk_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct bkscreen *s = self;
	size_t page = s->page > 0 ? s->page : 1;

	(void)wc;
	switch (a) {
	case TA_UP:
		if (s->sel > 0)
			s->sel--;
		break;
	case TA_DOWN:
		if (s->sel + 1 < s->list.n)
			s->sel++;
		break;
	case TA_PGUP:
		s->sel = s->sel > page ? s->sel - page : 0;
		break;
	case TA_PGDN:
		if (s->list.n > 0)
			s->sel = s->sel + page < s->list.n ? s->sel + page :
			    s->list.n - 1;
		break;
	case TA_HOME:
		s->sel = 0;
		break;
	case TA_END:
		s->sel = s->list.n > 0 ? s->list.n - 1 : 0;
		break;
	case TA_ENTER:
		return bk_restore(t, s);
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
bk_help_line(struct tui *t, void *self)
{
	struct bkscreen *s = self;

	(void)t;
	return s->list.n > 0 ? "选中一份备份后按回车，确认后恢复；Esc 返回。" :
	    "Esc 返回。";
}

static void
bk_free(void *self)
{
	struct bkscreen *s = self;

	backup_list_free(&s->list);
	free(s->root);
	free(s);
}

static const struct tui_screen_ops bk_ops = {
	.name = "backups",
	.action_list = bk_actions,
	.heading = bk_heading,
	.draw = bk_draw,
	.key = bk_key,
	.help_line = bk_help_line,
	.free = bk_free,
};

void
tui_backup_restore_open(struct tui *t)
{
	struct bkscreen *s;
	char *err = NULL, *root = backup_default_root(&err);

	if (root == NULL) {
		tui_message_take(t, "从备份恢复", err);
		return;
	}
	s = xcalloc(1, sizeof *s);
	s->root = root;
	s->page = t->rows > 6 ? (size_t)(t->rows - 6) : 1;
	bk_load(t, s);
	tui_push(t, &bk_ops, s);
}
