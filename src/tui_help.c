/* tui_help.c: the help screen (F1 or ?).
 *
 * Shows what the screen it was opened from is for (its "about" text),
 * the help line of the focused field, and the keys of that screen, read
 * from the key table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "tui.h"
#include "tui_curses.h"

struct help {
	struct strlist	lines;
	size_t		top;
};

static const enum tui_action help_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_BACK, TA_ENTER, TA_NONE
};

static char *
help_heading(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return xstrdup("帮助（按 Esc 返回）");
}

static void
help_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct help *hp = self;
	int i;

	for (i = 0; i < h && hp->top + (size_t)i < hp->lines.n; i++)
		tui_put(t, y + i, 2, hp->lines.v[hp->top + (size_t)i], w - 4,
		    A_NORMAL);
}

static enum tui_result
help_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct help *hp = self;
	size_t page = (size_t)(t->rows - 4);

	(void)wc;
	switch (a) {
	case TA_UP:
		if (hp->top > 0)
			hp->top--;
		break;
	case TA_DOWN:
		if (hp->top + page < hp->lines.n)
			hp->top++;
		break;
	case TA_PGUP:
		hp->top = hp->top > page ? hp->top - page : 0;
		break;
	case TA_PGDN:
		if (hp->top + 2 * page < hp->lines.n)
			hp->top += page;
		else if (hp->lines.n > page)
			hp->top = hp->lines.n - page;
		break;
	case TA_BACK:
	case TA_ENTER:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static void
help_free(void *self)
{
	struct help *hp = self;

	strlist_free(&hp->lines);
	free(hp);
}

static const struct tui_screen_ops help_ops = {
	.name = "help",
	.action_list = help_actions,
	.heading = help_heading,
	.draw = help_draw,
	.key = help_key,
	.free = help_free,
};

/* One line per key: the keys padded to a column, then what they do. */
static void
help_add_key(struct help *hp, enum tui_action a)
{
	const struct tui_key *k = tui_key_info(a);
	char *keys = edit_wcs_to_utf8(k->keys, wcslen(k->keys));
	char *desc = edit_wcs_to_utf8(k->help, wcslen(k->help));
	char *pad = text_pad(keys, 20, TEXT_LEFT, TEXT_SCREEN);

	strlist_addf(&hp->lines, "%s%s", pad, desc);
	free(pad);
	free(keys);
	free(desc);
}

void
tui_help_open(struct tui *t, const enum tui_action *actions,
    const char *field_help)
{
	static const enum tui_action globals[] = { TA_HELP, TA_QUIT,
	    TA_REDRAW, TA_NONE };
	struct help *hp = xcalloc(1, sizeof *hp);
	const enum tui_action *a;
	const char *about;
	size_t n, k;

	strlist_init(&hp->lines);
	about = t->depth > 0 ? t->stack[t->depth - 1].ops->about : NULL;
	if (about != NULL) {
		/* Wrapped to the window as it is now. */
		char **lines = text_wrap(about, (size_t)(t->cols > 10 ?
		    t->cols - 6 : 4), TEXT_SCREEN, &n);

		for (k = 0; k < n; k++)
			strlist_add(&hp->lines, lines[k]);
		text_lines_free(lines);
		strlist_add(&hp->lines, "");
	}
	if (field_help != NULL && *field_help != '\0') {
		strlist_add(&hp->lines, "当前栏目：");
		strlist_addf(&hp->lines, "  %s", field_help);
		strlist_add(&hp->lines, "");
	}
	strlist_add(&hp->lines, "本屏可用的按键：");
	for (a = actions; *a != TA_NONE; a++)
		if (*a != TA_HELP && *a != TA_QUIT && *a != TA_CHAR)
			help_add_key(hp, *a);
	for (a = globals; *a != TA_NONE; a++)
		help_add_key(hp, *a);
	strlist_add(&hp->lines, "");
	strlist_add(&hp->lines, "修改只有在保存（F2）之后才写入数据；没保存就离开时，程序会先问您。");
	strlist_add(&hp->lines, "删除的记录进入回收站（主菜单的「数据维护」），可以恢复。");
	if (store_readonly(t->st))
		strlist_add(&hp->lines, "数据目录是只读的：只能查看，不能修改。");
	tui_push(t, &help_ops, hp);
}
