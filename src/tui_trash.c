/* tui_trash.c: the recycle bin.
 *
 * Lists the deleted records of every kind (store_trash_foreach), the most
 * recently deleted first, and puts the selected one back with F5 after
 * asking.  The bin only holds what people deleted one by one, so it is
 * small and read whole; it is read again after each restore.  A record
 * whose table rows are records of their own (附件一's 承诺事项) went to
 * the bin with them (ledger_delete) and comes back with them: the rows
 * deleted at the same time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "tui_curses.h"

#define TRASH_KIND_W	10
#define TRASH_ID_W	8
#define TRASH_TIME_W	19

struct trash_item {
	const struct form	*f;
	uint64_t		 id;
	char			*title;
	char			*deleted;	/* "YYYY-MM-DD HH:MM:SS" */
	char			*kind;		/* "附件一", "党员" */
};

struct trash {
	struct tui		*t;
	struct trash_item	*items;
	size_t			 n, cap;
	size_t			 sel, top;
	size_t			 page;
};

static const enum tui_action trash_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_RESTORE, TA_BACK,
	TA_NONE
};

static void
trash_clear(struct trash *tr)
{
	size_t i;

	for (i = 0; i < tr->n; i++) {
		free(tr->items[i].title);
		free(tr->items[i].deleted);
		free(tr->items[i].kind);
	}
	free(tr->items);
	tr->items = NULL;
	tr->n = tr->cap = 0;
}

static int
trash_add(void *arg, const struct form *f, const struct record *rec)
{
	struct trash *tr = arg;
	struct trash_item *it;
	const struct form_field *tt = f->title != NULL ?
	    form_field_find(f, f->title) : NULL;
	const char *title = tt != NULL ? record_get(rec, tt->id) : NULL;
	const char *when = record_get(rec, "_deleted");

	tr->items = xgrow(tr->items, &tr->cap, tr->n + 1, sizeof *tr->items);
	it = &tr->items[tr->n++];
	it->f = f;
	it->id = rec->id;
	it->kind = tui_kind_short(f);
	if (title == NULL)
		it->title = xstrdup("");
	else if (tt->type == FT_TEXT)
		it->title = xstrdup(title);
	else if (tt->type == FT_LINK)
		it->title = tui_link_display(tr->t, title);
	else
		it->title = form_value_display(tr->t->fs, tt, title, tui_lookup,
		    tr->t);
	it->deleted = xstrdup(when != NULL ? when : "");
	return 0;
}

/* Most recently deleted first; then by kind and id, so that the order
 * is stable. */
static int
trash_cmp(const void *a, const void *b)
{
	const struct trash_item *x = a, *y = b;
	int c = strcmp(y->deleted, x->deleted);

	if (c != 0)
		return c;
	if ((c = strcmp(x->f->kind, y->f->kind)) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
trash_load(struct tui *t, struct trash *tr)
{
	char *err = NULL;

	trash_clear(tr);
	if (store_trash_foreach(t->st, trash_add, tr, &err) != CX_OK)
		tui_error_take(t, err);
	if (tr->n > 1)
		qsort(tr->items, tr->n, sizeof *tr->items, trash_cmp);
	if (tr->sel >= tr->n)
		tr->sel = tr->n > 0 ? tr->n - 1 : 0;
}

/* How many rows of record id are stored as records of other kinds: after
 * a restore, the rows that came back with it. */
static size_t
trash_count_rows(struct tui *t, const struct form *f, uint64_t id)
{
	struct record *r = NULL;
	size_t i, n = 0;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_ROWS &&
		    f->fields[i].store_form != NULL)
			break;
	if (i == f->nfields || ledger_get(&t->lg, f, id, &r, NULL) != CX_OK)
		return 0;
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_ROWS &&
		    f->fields[i].store_form != NULL)
			n += record_nrows(r, f->fields[i].id);
	record_free(r);
	return n;
}

static char *
trash_heading(struct tui *t, void *self)
{
	struct trash *tr = self;

	(void)t;
	return xasprintf("回收站  共 %zu 条", tr->n);
}

static void
trash_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct trash *tr = self;
	int title_w = w - 2 - TRASH_KIND_W - TRASH_ID_W - TRASH_TIME_W - 3;
	size_t i;

	tr->page = h > 2 ? (size_t)(h - 1) : 1;
	if (tr->sel < tr->top)
		tr->top = tr->sel;
	if (tr->sel >= tr->top + tr->page)
		tr->top = tr->sel - tr->page + 1;
	if (tr->n == 0) {
		tui_put_pad(t, y + h / 2 - 1, 0, "回收站是空的。", w, TEXT_CENTER,
		    A_NORMAL);
		tui_put_pad(t, y + h / 2, 0, "删除的记录会放在这里，需要时可以恢复。",
		    w, TEXT_CENTER, tui_attr_dim(t));
		return;
	}
	tui_put_pad(t, y, 1, "类别", TRASH_KIND_W, TEXT_LEFT, A_BOLD);
	tui_put_pad(t, y, 2 + TRASH_KIND_W, "编号", TRASH_ID_W, TEXT_RIGHT,
	    A_BOLD);
	tui_put_pad(t, y, 3 + TRASH_KIND_W + TRASH_ID_W, "名称", title_w,
	    TEXT_LEFT, A_BOLD);
	tui_put_pad(t, y, 4 + TRASH_KIND_W + TRASH_ID_W + title_w, "删除时间",
	    TRASH_TIME_W, TEXT_LEFT, A_BOLD);
	for (i = 0; i < tr->page && tr->top + i < tr->n; i++) {
		const struct trash_item *it = &tr->items[tr->top + i];
		int ry = y + 1 + (int)i, x = 1;
		int attr = tr->top + i == tr->sel ? tui_attr_select(t) :
		    (int)A_NORMAL;
		char id[24];

		if (tr->top + i == tr->sel)
			tui_fill(t, ry, 0, w, attr);
		snprintf(id, sizeof id, "%llu", (unsigned long long)it->id);
		x += tui_put_pad(t, ry, x, it->kind, TRASH_KIND_W, TEXT_LEFT,
		    attr) + 1;
		x += tui_put_pad(t, ry, x, id, TRASH_ID_W, TEXT_RIGHT, attr) + 1;
		x += tui_put_pad(t, ry, x, it->title, title_w, TEXT_LEFT,
		    attr) + 1;
		tui_put_pad(t, ry, x, it->deleted, TRASH_TIME_W, TEXT_LEFT, attr);
	}
}

static void
trash_restore(struct tui *t, struct trash *tr)
{
	const struct trash_item *it;
	char *msg, *name, *err = NULL;
	const struct form *f;
	uint64_t id;
	size_t nrows;

	if (store_readonly(t->st)) {
		tui_error(t, "数据目录是只读的，不能恢复记录。");
		return;
	}
	if (tr->n == 0) {
		tui_info(t, "回收站是空的，没有可恢复的记录。");
		return;
	}
	it = &tr->items[tr->sel];
	f = it->f;
	id = it->id;
	name = *it->title != '\0' ? xasprintf("「%s」", it->title) :
	    xstrdup("");
	msg = xasprintf("把%s%s（编号 %llu）从回收站恢复吗？", f->label, name,
	    (unsigned long long)id);
	if (!tui_confirm(t, msg)) {
		free(msg);
		free(name);
		return;
	}
	free(msg);
	/* The owner and the rows deleted with it come back together, in
	 * one transaction, unless the period is locked. */
	if (ledger_restore(&t->lg, f, id, &err) != CX_OK) {
		/* The reason (the id or a unique value is taken) is too long
		 * for the status line. */
		tui_message_take(t, "无法恢复", err);
	} else {
		nrows = trash_count_rows(t, f, id);
		trash_load(t, tr);
		if (nrows > 0)
			tui_info(t, "已恢复%s%s（编号 %llu）和它的 %zu 条表格记录。",
			    f->label, name, (unsigned long long)id, nrows);
		else
			tui_info(t, "已恢复%s%s（编号 %llu）。", f->label, name,
			    (unsigned long long)id);
	}
	free(name);
}

static enum tui_result
trash_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct trash *tr = self;
	size_t page = tr->page > 0 ? tr->page : 1;

	(void)wc;
	switch (a) {
	case TA_UP:
		if (tr->sel > 0)
			tr->sel--;
		break;
	case TA_DOWN:
		if (tr->sel + 1 < tr->n)
			tr->sel++;
		break;
	case TA_PGUP:
		tr->sel = tr->sel > page ? tr->sel - page : 0;
		break;
	case TA_PGDN:
		if (tr->n > 0)
			tr->sel = tr->sel + page < tr->n ? tr->sel + page :
			    tr->n - 1;
		break;
	case TA_HOME:
		tr->sel = 0;
		break;
	case TA_END:
		tr->sel = tr->n > 0 ? tr->n - 1 : 0;
		break;
	case TA_RESTORE:
		trash_restore(t, tr);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
trash_help_line(struct tui *t, void *self)
{
	struct trash *tr = self;

	(void)t;
	return tr->n > 0 ? "选中要恢复的记录后按 F5；Esc 返回。" :
	    "Esc 返回。";
}

static void
trash_resume(struct tui *t, void *self)
{
	trash_load(t, self);
}

static void
trash_free(void *self)
{
	struct trash *tr = self;

	trash_clear(tr);
	free(tr);
}

static const struct tui_screen_ops trash_ops = {
	.name = "trash",
	.action_list = trash_actions,
	.heading = trash_heading,
	.draw = trash_draw,
	.key = trash_key,
	.help_line = trash_help_line,
	.resume = trash_resume,
	.free = trash_free,
};

void
tui_trash_open(struct tui *t)
{
	struct trash *tr = xcalloc(1, sizeof *tr);

	tr->t = t;
	tr->page = t->rows > 6 ? (size_t)(t->rows - 5) : 1;
	trash_load(t, tr);
	tui_push(t, &trash_ops, tr);
}
