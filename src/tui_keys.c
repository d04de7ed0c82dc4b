/* tui_keys.c: the key table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui_curses.h"
#include "tui_keys.h"

#define CTRL(c) ((c) & 0x1f)

enum {
	KC_END,		/* ends a key list */
	KC_CODE,	/* a KEY_* code from get_wch() == KEY_CODE_YES */
	KC_CTRL,	/* a control character: a command in every mode */
	KC_PRINT,	/* a printable character: a command only in lists */
	KC_DYN		/* a code looked up in terminfo at start-up */
};

struct tui_keycode {
	int		 kind;
	unsigned long	 key;
};

struct tui_binding {
	struct tui_key		info;
	struct tui_keycode	codes[5];
};

/* Codes of extended keys, found in terminfo by tui_keys_init(). */
static unsigned long tui_dyn_codes[2];
static const char *tui_dyn_names[2] = { "kUP5", "kDN5" };

static const struct tui_binding tui_bindings[] = {
	{ { TA_HELP, "help", L"F1 或 ?", L"F1", L"帮助",
	    L"显示本屏可用的按键和当前栏目的说明。" },
	  { { KC_CODE, KEY_F(1) }, { KC_PRINT, '?' } } },
	{ { TA_SAVE, "save", L"F2 或 Ctrl+S", L"F2", L"保存",
	    L"保存正在填写的记录。" },
	  { { KC_CODE, KEY_F(2) }, { KC_CTRL, CTRL('s') } } },
	{ { TA_NEW, "new", L"F3 或 Ctrl+N", L"F3", L"新建",
	    L"新建一条记录。" },
	  { { KC_CODE, KEY_F(3) }, { KC_CTRL, CTRL('n') } } },
	{ { TA_FIND, "find", L"F4 或 /", L"F4", L"查找",
	    L"按输入的文字查找，边输入边定位；回车结束，Esc 取消。" },
	  { { KC_CODE, KEY_F(4) }, { KC_PRINT, '/' } } },
	{ { TA_PICK, "pick", L"F5", L"F5", L"选择",
	    L"打开可选项列表，输入文字可缩小范围。" },
	  { { KC_CODE, KEY_F(5) } } },
	{ { TA_RESTORE, "restore", L"F5", L"F5", L"恢复",
	    L"把选中的记录从回收站恢复。" },
	  { { KC_CODE, KEY_F(5) } } },
	{ { TA_PRINT, "print", L"F5", L"F5", L"打印",
	    L"保存报表后交给打印机（lp 或 CXZY_PRINT_COMMAND 指定的命令）。" },
	  { { KC_CODE, KEY_F(5) } } },
	{ { TA_FILTER, "filter", L"F6", L"F6", L"筛选",
	    L"只看某个周期或某个党支部的记录，或换一种排列；选「全部」取消筛选。" },
	  { { KC_CODE, KEY_F(6) } } },
	{ { TA_OPEN, "open", L"F6", L"F6", L"打开",
	    L"打开表格当前行或关联栏目对应的记录（例如承诺事项的践诺台账），"
	    L"在它自己的录入表中查看和填写。" },
	  { { KC_CODE, KEY_F(6) } } },
	{ { TA_HISTORY, "history", L"F9", L"F9", L"历史版本",
	    L"列出已签字记录以前的各个版本和修改时间，回车查看其中一个（只读）。" },
	  { { KC_CODE, KEY_F(9) } } },
	{ { TA_PERIOD, "period", L"F9", L"F9", L"周期",
	    L"选择当前工作的周期（半年），标题栏和工作台随之改变。" },
	  { { KC_CODE, KEY_F(9) } } },
	{ { TA_PACKAGE, "package", L"F2 或 Ctrl+S", L"F2", L"制作",
	    L"制作报送包，写到「保存到」的目录或文件。" },
	  { { KC_CODE, KEY_F(2) }, { KC_CTRL, CTRL('s') } } },
	{ { TA_APPLY, "apply", L"F2 或 Ctrl+S", L"F2", L"接收",
	    L"接收预览过的报送包，写入数据。" },
	  { { KC_CODE, KEY_F(2) }, { KC_CTRL, CTRL('s') } } },
	{ { TA_ROW_ADD, "row-add", L"F7", L"F7", L"加行",
	    L"在表格中当前行的下面插入一行。" },
	  { { KC_CODE, KEY_F(7) } } },
	{ { TA_DELETE, "delete", L"F8 或 Ctrl+D", L"F8", L"删除",
	    L"删除（记录移入回收站，可以恢复；表格中删除当前行）。删除前会先确认。" },
	  { { KC_CODE, KEY_F(8) }, { KC_CTRL, CTRL('d') } } },
	{ { TA_ROW_UP, "row-up", L"Shift+上箭头 或 Ctrl+上箭头", NULL, L"上移",
	    L"把表格的当前行向上移一行。" },
	  { { KC_CODE, KEY_SR }, { KC_DYN, 0 } } },
	{ { TA_ROW_DOWN, "row-down", L"Shift+下箭头 或 Ctrl+下箭头", NULL, L"下移",
	    L"把表格的当前行向下移一行。" },
	  { { KC_CODE, KEY_SF }, { KC_DYN, 1 } } },
	{ { TA_BACK, "back", L"Esc 或 F10", L"F10", L"返回",
	    L"回到上一屏；有没保存的修改时先询问。" },
	  { { KC_CODE, KEY_F(10) }, { KC_CTRL, 27 } } },
	{ { TA_QUIT, "quit", L"Ctrl+Q", L"^Q", L"退出",
	    L"退出程序；有没保存的修改时先询问。" },
	  { { KC_CTRL, CTRL('q') } } },
	{ { TA_UP, "up", L"上箭头", NULL, NULL, L"上移一行或上一个栏目。" },
	  { { KC_CODE, KEY_UP } } },
	{ { TA_DOWN, "down", L"下箭头", NULL, NULL, L"下移一行或下一个栏目。" },
	  { { KC_CODE, KEY_DOWN } } },
	{ { TA_LEFT, "left", L"左箭头", NULL, NULL, L"光标左移一个字。" },
	  { { KC_CODE, KEY_LEFT } } },
	{ { TA_RIGHT, "right", L"右箭头", NULL, NULL, L"光标右移一个字。" },
	  { { KC_CODE, KEY_RIGHT } } },
	{ { TA_PGUP, "page-up", L"PgUp", NULL, NULL, L"上翻一页。" },
	  { { KC_CODE, KEY_PPAGE } } },
	{ { TA_PGDN, "page-down", L"PgDn", NULL, NULL, L"下翻一页。" },
	  { { KC_CODE, KEY_NPAGE } } },
	{ { TA_HOME, "home", L"Home", NULL, NULL,
	    L"到开头（列表的第一条，或栏目文字的开头）。" },
	  { { KC_CODE, KEY_HOME }, { KC_CODE, KEY_A1 }, { KC_CTRL, CTRL('a') } } },
	{ { TA_END, "end", L"End", NULL, NULL,
	    L"到末尾（列表的最后一条，或栏目文字的末尾）。" },
	  { { KC_CODE, KEY_END }, { KC_CODE, KEY_C1 }, { KC_CTRL, CTRL('e') } } },
	{ { TA_NEXT, "next", L"Tab", NULL, NULL, L"到下一个栏目。" },
	  { { KC_CTRL, '\t' } } },
	{ { TA_PREV, "prev", L"Shift+Tab", NULL, NULL, L"到上一个栏目。" },
	  { { KC_CODE, KEY_BTAB } } },
	{ { TA_ENTER, "enter", L"回车", NULL, NULL,
	    L"确定；在录入表中到下一个栏目。" },
	  { { KC_CTRL, '\r' }, { KC_CTRL, '\n' }, { KC_CODE, KEY_ENTER } } },
	{ { TA_BACKSPACE, "backspace", L"Backspace", NULL, NULL,
	    L"删除光标前的一个字。" },
	  { { KC_CODE, KEY_BACKSPACE }, { KC_CTRL, 127 }, { KC_CTRL, CTRL('h') } } },
	{ { TA_DELCHAR, "delete-char", L"Delete", NULL, NULL,
	    L"删除光标处的一个字。" },
	  { { KC_CODE, KEY_DC } } },
	{ { TA_KILL, "kill", L"Ctrl+U", NULL, NULL,
	    L"删除从栏目开头到光标的文字。" },
	  { { KC_CTRL, CTRL('u') } } },
	{ { TA_KILL_END, "kill-end", L"Ctrl+K", NULL, NULL,
	    L"删除从光标到栏目末尾的文字。" },
	  { { KC_CTRL, CTRL('k') } } },
	{ { TA_INSERT, "insert", L"Insert", NULL, NULL,
	    L"切换插入和改写方式。" },
	  { { KC_CODE, KEY_IC } } },
	{ { TA_REDRAW, "redraw", L"Ctrl+L", NULL, NULL, L"重画整个屏幕。" },
	  { { KC_CTRL, CTRL('l') } } },
};
#define TUI_NBINDINGS (sizeof tui_bindings / sizeof tui_bindings[0])

static const struct tui_key tui_key_none = { TA_NONE, "none", L"", NULL,
    NULL, L"" };

void
tui_keys_init(void)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		char *s = tigetstr((char *)tui_dyn_names[i]);
		int code = 0;

		if (s != NULL && s != (char *)-1)
			code = key_defined(s);
		tui_dyn_codes[i] = code > 0 ? (unsigned long)code : 0;
	}
}

const struct tui_key *
tui_key_info(enum tui_action a)
{
	size_t i;

	for (i = 0; i < TUI_NBINDINGS; i++)
		if (tui_bindings[i].info.action == a)
			return &tui_bindings[i].info;
	return &tui_key_none;
}

bool
tui_action_in(enum tui_action a, const enum tui_action *list)
{
	for (; list != NULL && *list != TA_NONE; list++)
		if (*list == a)
			return true;
	return false;
}

static bool
tui_key_global(enum tui_action a)
{
	return a == TA_HELP || a == TA_QUIT || a == TA_REDRAW;
}

static bool
tui_key_matches(const struct tui_keycode *kc, bool is_code,
    unsigned long key, enum tui_keymode mode)
{
	switch (kc->kind) {
	case KC_CODE:
		return is_code && kc->key == key;
	case KC_DYN:
		return is_code && tui_dyn_codes[kc->key] != 0 &&
		    tui_dyn_codes[kc->key] == key;
	case KC_CTRL:
		return !is_code && kc->key == key;
	case KC_PRINT:
		return !is_code && mode == TK_LIST && kc->key == key;
	}
	return false;
}

enum tui_action
tui_key_action(bool is_code, unsigned long key, enum tui_keymode mode,
    const enum tui_action *allowed, wchar_t *wc)
{
	size_t i, k;

	if (is_code && key == KEY_RESIZE)
		return TA_RESIZE;
	for (i = 0; i < TUI_NBINDINGS; i++) {
		const struct tui_binding *b = &tui_bindings[i];

		if (!tui_key_global(b->info.action) &&
		    !tui_action_in(b->info.action, allowed))
			continue;
		for (k = 0; k < 5 && b->codes[k].kind != KC_END; k++)
			if (tui_key_matches(&b->codes[k], is_code, key, mode))
				return b->info.action;
	}
	if (!is_code && key >= 0x20 && key != 0x7f && !(key >= 0x80 &&
	    key < 0xa0)) {
		*wc = (wchar_t)key;
		return TA_CHAR;
	}
	return TA_NONE;
}

void
tui_key_name(bool is_code, unsigned long key, char *out, size_t len)
{
	if (is_code) {
		const char *n = keyname((int)key);

		snprintf(out, len, "%s", n ? n : "?");
	} else if (key < 0x20 || key == 0x7f)
		snprintf(out, len, "^%c", (int)(key == 0x7f ? '?' : key + '@'));
	else if (key < 0x80)
		snprintf(out, len, "%c", (int)key);
	else
		snprintf(out, len, "U+%04lX", key);
}
