/* tui_menu.c: the main menu and its submenus.
 *
 * Items come from forms/: each form's `menu` group becomes one numbered
 * item (a group of several forms opens a submenu), so the annexes added
 * later appear without code changes.  The fixed items 报表, 数据维护,
 * 帮助 and 退出 follow.  Digits choose an item directly. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tui.h"
#include "tui_curses.h"

enum menu_kind {
	MI_WORKBENCH,	/* 工作台 */
	MI_FORM,	/* open the browse list of a form */
	MI_GROUP,	/* open a submenu of forms */
	MI_REPORTS,
	MI_MAINT,
	MI_TRASH,
	MI_CHECK,
	MI_BACKUP,
	MI_RECOVER,
	MI_NEWCYCLE,	/* 开始新周期 */
	MI_LOCK,	/* 备案锁定 / 解除锁定 of the current period */
	MI_EXCHANGE,	/* 报送/接收 */
	MI_HELP,
	MI_QUIT,
	MI_BACK
};

struct menu_item {
	enum menu_kind		 kind;
	char			*label;
	const struct form	*form;
	char			*group;		/* MI_GROUP */
};

struct menu {
	char			*title;
	struct menu_item	*items;
	size_t			 n, cap;
	size_t			 sel;
	bool			 from_zero;	/* main menu: 0 工作台, 1 ... */
};

static const struct tui_screen_ops tui_menu_ops;

static const enum tui_action menu_actions[] = {
	TA_PERIOD, TA_UP, TA_DOWN, TA_HOME, TA_END, TA_ENTER, TA_BACK, TA_NONE
};

static void
menu_add(struct menu *m, enum menu_kind kind, const char *label,
    const struct form *f, const char *group)
{
	struct menu_item *it;

	m->items = xgrow(m->items, &m->cap, m->n + 1, sizeof *m->items);
	it = &m->items[m->n++];
	it->kind = kind;
	it->label = xstrdup(label);
	it->form = f;
	it->group = group ? xstrdup(group) : NULL;
}

static char *
menu_heading(struct tui *t, void *self)
{
	struct menu *m = self;

	(void)t;
	return xstrdup(m->title);
}

static void
menu_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct menu *m = self;
	int x = w / 2 - 16, i;

	if (x < 2)
		x = 2;
	for (i = 0; i < (int)m->n && i < h - 2; i++) {
		/* The lock item says what it would do now. */
		char *label = m->items[i].kind == MI_LOCK ?
		    tui_cycle_lock_label(t) : xstrdup(m->items[i].label);
		char *line = i < 10 ? xasprintf(" %d  %s", m->from_zero ? i :
		    (i + 1) % 10, label) : xasprintf("    %s", label);
		bool sel = (size_t)i == m->sel;

		tui_put_pad(t, y + 1 + i, x, line, 32, TEXT_LEFT,
		    sel ? tui_attr_select(t) : (int)A_NORMAL);
		free(line);
		free(label);
	}
	tui_put(t, y + h - 1, 2, "按数字键直接进入，或用上下箭头选择后按回车。",
	    w - 4, tui_attr_dim(t));
}

static void menu_open_group(struct tui *t, const char *group);

static enum tui_result
menu_activate(struct tui *t, struct menu *m)
{
	struct menu_item *it = &m->items[m->sel];
	struct check_result res;

	switch (it->kind) {
	case MI_WORKBENCH:
		tui_workbench_open(t);
		break;
	case MI_FORM:
		tui_browse_open(t, it->form);
		break;
	case MI_GROUP:
		menu_open_group(t, it->group);
		break;
	case MI_REPORTS:
		tui_report_open(t);
		break;
	case MI_MAINT: {
		struct menu *sub = xcalloc(1, sizeof *sub);

		sub->title = xstrdup("数据维护");
		menu_add(sub, MI_TRASH, "回收站（恢复删除的记录）", NULL, NULL);
		menu_add(sub, MI_CHECK, "检查数据是否完好", NULL, NULL);
		menu_add(sub, MI_BACKUP, "立即备份", NULL, NULL);
		menu_add(sub, MI_RECOVER, "从备份恢复", NULL, NULL);
		menu_add(sub, MI_NEWCYCLE, "开始新周期", NULL, NULL);
		menu_add(sub, MI_LOCK, "备案锁定", NULL, NULL);
		menu_add(sub, MI_EXCHANGE, "报送/接收", NULL, NULL);
		menu_add(sub, MI_BACK, "返回主菜单", NULL, NULL);
		tui_push(t, &tui_menu_ops, sub);
		break;
	}
	case MI_TRASH:
		tui_trash_open(t);
		break;
	case MI_CHECK:
		/* In a child process (check.h): a damaged file that crashes
		 * LMDB must not take the program with it. */
		tui_put_pad(t, t->rows - 2, 0, "正在检查数据，请稍候。", t->cols,
		    TEXT_LEFT, A_NORMAL);
		refresh();
		check_run(store_dir(t->st), t->fs, CHECK_TIMEOUT_MS, &res);
		if (res.verdict == CHECK_FAILED)
			tui_error(t, "%s", res.error != NULL ? res.error : "");
		else if (res.verdict == CHECK_CLEAN)
			tui_message(t, "检查数据", "检查完毕：全部记录的校验和与索引都正确，"
			    "未发现问题。");
		else {
			struct buf b;
			size_t i;

			buf_init(&b);
			buf_addf(&b, "发现 %zu 处问题：\n", res.damage.n);
			for (i = 0; i < res.damage.n && i < 8; i++)
				buf_addf(&b, "%s\n", res.damage.v[i]);
			if (res.damage.n > 8)
				buf_addf(&b, "（共 %zu 处，用 cxzy check 命令查看全部）\n",
				    res.damage.n);
			buf_addstr(&b, "请不要继续修改。可以用数据维护中的「从备份恢复」"
			    "恢复最新的备份，或退出后用 cxzy export 导出还能读出的记录。");
			tui_message(t, "数据已损坏", b.s);
			buf_free(&b);
		}
		check_result_free(&res);
		break;
	case MI_BACKUP:
		tui_backup_now(t);
		break;
	case MI_RECOVER:
		tui_backup_restore_open(t);
		break;
	case MI_NEWCYCLE:
		tui_cycle_new(t);
		break;
	case MI_LOCK:
		tui_cycle_lock(t);
		break;
	case MI_EXCHANGE:
		tui_exchange_open(t);
		break;
	case MI_HELP:
		tui_help_open(t, menu_actions, NULL);
		break;
	case MI_QUIT:
		return TR_QUIT;
	case MI_BACK:
		return TR_POP;
	}
	return TR_STAY;
}

static enum tui_result
menu_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct menu *m = self;

	switch (a) {
	case TA_UP:
		m->sel = m->sel > 0 ? m->sel - 1 : m->n - 1;
		break;
	case TA_DOWN:
		m->sel = m->sel + 1 < m->n ? m->sel + 1 : 0;
		break;
	case TA_HOME:
		m->sel = 0;
		break;
	case TA_END:
		m->sel = m->n - 1;
		break;
	case TA_ENTER:
		return menu_activate(t, m);
	case TA_BACK:
		return TR_POP;
	case TA_PERIOD:
		tui_period_choose(t);
		break;
	case TA_CHAR:
		if (wc >= L'0' && wc <= L'9') {
			size_t i = m->from_zero ? (size_t)(wc - L'0') :
			    wc == L'0' ? 9 : (size_t)(wc - L'1');

			if (i < m->n) {
				m->sel = i;
				return menu_activate(t, m);
			}
		}
		break;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
menu_help_line(struct tui *t, void *self)
{
	struct menu *m = self;

	(void)t;
	switch (m->items[m->sel].kind) {
	case MI_WORKBENCH:
		return "本周期各党支部还缺的材料和逾期事项，回车直接去补。";
	case MI_FORM:
		return "查看、查找、新建和修改这类记录。";
	case MI_GROUP:
		return "打开下一级菜单。";
	case MI_REPORTS:
		return "预览、保存和打印各种名册。";
	case MI_MAINT:
		return "回收站、数据检查、备份与恢复、新周期、备案锁定和报送/接收。";
	case MI_TRASH:
		return "查看删除的记录，选中后按 F5 恢复。";
	case MI_CHECK:
		return "逐条核对校验和与索引，发现损坏时列出。";
	case MI_BACKUP:
		return "把数据复制一份到本机（退出程序时也会自动备份）。";
	case MI_RECOVER:
		return "查看备份的时间和记录数，选一份恢复。";
	case MI_NEWCYCLE:
		return "进入下一个半年，没完成的承诺和整改事项转入新周期（先确认）。";
	case MI_LOCK:
		return "备案后锁定当前周期，锁定后只能补充批注（先确认）。";
	case MI_EXCHANGE:
		return "制作报送包交给机关党委或党支部，预览后接收报送包。";
	case MI_HELP:
		return "按键说明。";
	case MI_QUIT:
		return "退出程序（Ctrl+Q 也可以）。";
	case MI_BACK:
		return "回到上一级菜单。";
	}
	return NULL;
}

static void
menu_free(void *self)
{
	struct menu *m = self;
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->items[i].label);
		free(m->items[i].group);
	}
	free(m->items);
	free(m->title);
	free(m);
}

static const struct tui_screen_ops tui_menu_ops = {
	.name = "menu",
	.action_list = menu_actions,
	.heading = menu_heading,
	.draw = menu_draw,
	.key = menu_key,
	.help_line = menu_help_line,
	.free = menu_free,
};

static void
menu_open_group(struct tui *t, const char *group)
{
	struct menu *m = xcalloc(1, sizeof *m);
	size_t i;

	m->title = xstrdup(group);
	for (i = 0; i < t->fs->n; i++) {
		const struct form *f = t->fs->forms[i];

		if (f->menu != NULL && strcmp(f->menu, group) == 0)
			menu_add(m, MI_FORM, f->label, f, NULL);
	}
	menu_add(m, MI_BACK, "返回主菜单", NULL, NULL);
	tui_push(t, &tui_menu_ops, m);
}

void
tui_menu_open(struct tui *t)
{
	struct menu *m = xcalloc(1, sizeof *m);
	size_t i, j;

	m->title = xstrdup("主菜单");
	m->from_zero = true;
	menu_add(m, MI_WORKBENCH, "工作台", NULL, NULL);
	for (i = 0; i < t->fs->n; i++) {
		const struct form *f = t->fs->forms[i];
		bool seen = false;
		size_t members = 0;

		if (f->menu == NULL) {
			menu_add(m, MI_FORM, f->label, f, NULL);
			continue;
		}
		for (j = 0; j < m->n; j++)
			if (m->items[j].group != NULL &&
			    strcmp(m->items[j].group, f->menu) == 0)
				seen = true;
		if (seen)
			continue;
		for (j = 0; j < t->fs->n; j++)
			if (t->fs->forms[j]->menu != NULL &&
			    strcmp(t->fs->forms[j]->menu, f->menu) == 0)
				members++;
		if (members == 1)
			menu_add(m, MI_FORM, f->label, f, NULL);
		else
			menu_add(m, MI_GROUP, f->menu, NULL, f->menu);
	}
	menu_add(m, MI_REPORTS, "报表", NULL, NULL);
	menu_add(m, MI_MAINT, "数据维护", NULL, NULL);
	menu_add(m, MI_HELP, "帮助", NULL, NULL);
	menu_add(m, MI_QUIT, "退出", NULL, NULL);
	tui_push(t, &tui_menu_ops, m);
}
