/* tui_picker.c: a searchable list to choose one item or several. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "tui.h"
#include "tui_curses.h"
#include "tui_picker.h"

/* Items a fetch source is asked for at a time. */
#define PICKER_BATCH	200
/* Most characters in the filter line. */
#define PICKER_FILTER_MAX	40

struct picker {
	char			*title;
	char			*help;
	bool			 multi;
	bool			 fetching;	/* items come from fetch */
	tui_picker_fetch_fn	 fetch;
	void			*fetch_arg;
	void			(*fetch_free)(void *);
	bool			 more;		/* fetch may give more */
	char			*fetch_err;
	char			*none_label;
	/* Static items (with the none item first), or what fetch gave. */
	struct tui_picker_list	 items;
	/* The items that match the filter, as indexes into items. */
	size_t			*view;
	size_t			 nview, viewcap;
	size_t			 sel, top;
	int			 rows;		/* list rows of the last draw */
	int			 anchor_y, anchor_x;
	struct edit		 filter;
	char			*filter_text;	/* the view was built for it */
	struct strlist		 checked;
	tui_picker_done_fn	 done;
	void			*done_arg;
};

static const enum tui_action picker_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_ENTER, TA_BACK,
	TA_LEFT, TA_RIGHT, TA_BACKSPACE, TA_DELCHAR, TA_KILL, TA_KILL_END,
	TA_NEXT, TA_PREV, TA_INSERT, TA_NONE
};

/* ------------------------------------------------------------ lists */

void
tui_picker_list_init(struct tui_picker_list *l)
{
	memset(l, 0, sizeof *l);
}

void
tui_picker_list_add(struct tui_picker_list *l, const char *code,
    const char *label, const char *note)
{
	struct tui_picker_item *it;

	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	it = &l->v[l->n++];
	it->code = xstrdup(code ? code : "");
	it->label = xstrdup(label ? label : "");
	it->note = note ? xstrdup(note) : NULL;
}

void
tui_picker_list_clear(struct tui_picker_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].label);
		free(l->v[i].note);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Folds what should not matter when matching: full-width forms (an
 * input method in full-width mode) and ASCII case. */
static char *
picker_fold(const char *s)
{
	char *h = text_to_halfwidth(s), *p;

	for (p = h; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return h;
}

bool
tui_picker_match(const char *label, const char *filter)
{
	char *l, *f;
	bool ok;

	if (filter == NULL || *filter == '\0')
		return true;
	l = picker_fold(label);
	f = picker_fold(filter);
	ok = strstr(l, f) != NULL;
	free(l);
	free(f);
	return ok;
}

/* ------------------------------------------------------------ state */

static bool
picker_is_checked(const struct picker *p, const char *code)
{
	size_t i;

	for (i = 0; i < p->checked.n; i++)
		if (strcmp(p->checked.v[i], code) == 0)
			return true;
	return false;
}

static void
picker_toggle(struct picker *p, const char *code)
{
	size_t i;

	for (i = 0; i < p->checked.n; i++) {
		if (strcmp(p->checked.v[i], code) == 0) {
			free(p->checked.v[i]);
			memmove(&p->checked.v[i], &p->checked.v[i + 1],
			    (p->checked.n - i - 1) * sizeof *p->checked.v);
			p->checked.n--;
			return;
		}
	}
	strlist_add(&p->checked, code);
}

static const struct tui_picker_item *
picker_item(const struct picker *p, size_t i)
{
	return &p->items.v[p->view[i]];
}

static void
picker_view_add(struct picker *p, size_t idx)
{
	p->view = xgrow(p->view, &p->viewcap, p->nview + 1, sizeof *p->view);
	p->view[p->nview++] = idx;
}

/* Asks the source for the next batch and appends it to the view. */
static void
picker_fetch_more(struct picker *p, bool restart)
{
	char *err = NULL;
	size_t before, i;
	bool more = false;

	if (restart) {
		tui_picker_list_clear(&p->items);
		p->nview = 0;
		free(p->fetch_err);
		p->fetch_err = NULL;
		if (p->none_label != NULL && *p->filter_text == '\0') {
			tui_picker_list_add(&p->items, "", p->none_label, NULL);
			picker_view_add(p, 0);
		}
	} else if (!p->more)
		return;
	before = p->items.n;
	if (p->fetch(p->fetch_arg, p->filter_text, restart, PICKER_BATCH,
	    &p->items, &more, &err) != CX_OK) {
		free(p->fetch_err);
		p->fetch_err = err ? err : xstrdup("无法读取可选项。");
		more = false;
	}
	p->more = more;
	for (i = before; i < p->items.n; i++)
		picker_view_add(p, i);
}

/* Rebuilds the view for the current filter text, keeping the highlighted
 * item when it still matches. */
static void
picker_refilter(struct picker *p)
{
	char *keep = NULL;
	size_t i;

	if (p->sel < p->nview)
		keep = xstrdup(picker_item(p, p->sel)->code);
	free(p->filter_text);
	p->filter_text = edit_get_utf8(&p->filter);
	if (p->fetching)
		picker_fetch_more(p, true);
	else {
		p->nview = 0;
		for (i = 0; i < p->items.n; i++) {
			const struct tui_picker_item *it = &p->items.v[i];

			if (p->none_label != NULL && i == 0) {
				if (*p->filter_text == '\0')
					picker_view_add(p, i);
				continue;
			}
			if (tui_picker_match(it->label, p->filter_text))
				picker_view_add(p, i);
		}
	}
	p->sel = 0;
	p->top = 0;
	for (i = 0; keep != NULL && i < p->nview; i++) {
		if (strcmp(picker_item(p, i)->code, keep) == 0) {
			p->sel = i;
			break;
		}
	}
	free(keep);
}

/* Moves the highlight to i (clamped), loading more items from a fetch
 * source when the move goes past the last one loaded. */
static void
picker_move(struct picker *p, long i)
{
	while (p->fetching && p->more && i >= (long)p->nview)
		picker_fetch_more(p, false);
	if (i >= (long)p->nview)
		i = (long)p->nview - 1;
	if (i < 0)
		i = 0;
	p->sel = (size_t)i;
}

/* ---------------------------------------------------------- drawing */

/* Draws the screen below, so that the picker reads as a box over the
 * field it belongs to. */
static void
picker_draw_below(struct tui *t, void *self, int y, int h, int w)
{
	int top = t->depth - 1;

	if (top >= 1 && t->stack[top].self == self &&
	    t->stack[top - 1].ops->draw != NULL)
		t->stack[top - 1].ops->draw(t, t->stack[top - 1].self, y, h, w);
}

static int
picker_width(struct tui *t, struct picker *p, int w)
{
	size_t i, need = text_width(p->title, TEXT_SCREEN) + 6;

	(void)t;
	for (i = 0; i < p->items.n && i < 2000; i++) {
		size_t iw = text_width(p->items.v[i].label, TEXT_SCREEN) + 6;

		if (p->items.v[i].note != NULL)
			iw += text_width(p->items.v[i].note, TEXT_SCREEN) + 2;
		if (p->multi)
			iw += 4;
		if (iw > need)
			need = iw;
	}
	if (p->fetching && need < 56)
		need = 56;
	if (need < 40)
		need = 40;
	if ((int)need > w - 4)
		need = (size_t)(w - 4);
	return (int)need;
}

static void
picker_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct picker *p = self;
	wchar_t *line;
	struct edit_view ev;
	int bw, bh, bx, by, rows, iw, i, cur, fx;
	char *info;

	picker_draw_below(t, self, y, h, w);
	bw = picker_width(t, p, w);
	if (p->fetching)
		rows = h - 6;
	else
		rows = (int)p->items.n < 3 ? 3 : (int)p->items.n;
	if (rows > h - 6)
		rows = h - 6;
	if (rows < 1)
		rows = 1;
	bh = rows + 5;
	by = y + (h - bh) / 2;
	bx = (w - bw) / 2;
	if (p->anchor_y > 0) {
		int below = y + h - (p->anchor_y + 1), above = p->anchor_y - y;

		int most = below > above ? below : above;

		if (bh > below && bh > above && most >= 8) {
			/* Fewer rows, next to the field rather than over it. */
			bh = most;
			rows = bh - 5;
		}
		if (bh <= below)
			by = p->anchor_y + 1;
		else if (bh <= above)
			by = p->anchor_y - bh;
		bx = p->anchor_x - 1;
		if (bx + bw > w)
			bx = w - bw;
		if (bx < 0)
			bx = 0;
	}
	p->rows = rows;
	iw = bw - 2;
	tui_box(t, by, bx, bh, bw);
	{
		char *title = xasprintf(" %s ", p->title);

		tui_put(t, by, bx + 2, title, bw - 4, A_BOLD);
		free(title);
	}

	/* The filter line. */
	fx = bx + 2 + tui_put(t, by + 1, bx + 2, "查找：", 6, A_NORMAL);
	line = xcalloc((size_t)bw + 1, sizeof *line);
	cur = edit_layout(&p->filter, bx + bw - 2 - fx, line, &ev);
	tui_put_wcs(t, by + 1, fx, line, bx + bw - 2 - fx,
	    tui_attr_field(t) | (int)A_UNDERLINE);
	free(line);
	tui_hline(t, by + 2, bx + 1, bw - 2);

	/* Keep the highlight in view. */
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	for (i = 0; i < rows; i++) {
		size_t k = p->top + (size_t)i;
		const struct tui_picker_item *it;
		int attr, x = bx + 1, room = iw, nw = 0;

		if (k >= p->nview)
			break;
		it = picker_item(p, k);
		attr = k == p->sel ? tui_attr_select(t) : (int)A_NORMAL;
		tui_fill(t, by + 3 + i, x, iw, attr);
		x += 1;
		room -= 2;
		if (p->multi && *it->code != '\0') {
			tui_put(t, by + 3 + i, x,
			    picker_is_checked(p, it->code) ? "[x]" : "[ ]", 3,
			    attr);
			x += 4;
			room -= 4;
		}
		if (it->note != NULL) {
			int lw = (int)text_width(it->label, TEXT_SCREEN);

			/* The label keeps at least a third of the line. */
			if (lw > room / 3)
				lw = room / 3;
			nw = (int)text_width(it->note, TEXT_SCREEN);
			if (nw > room - lw - 2)
				nw = room - lw - 2;
			tui_put_pad(t, by + 3 + i, x + room - nw, it->note, nw,
			    TEXT_RIGHT, k == p->sel ? attr : tui_attr_dim(t));
			nw += 2;
		}
		tui_put(t, by + 3 + i, x, it->label, room - nw, attr);
	}
	if (p->fetch_err != NULL)
		info = xstrdup(p->fetch_err);
	else if (p->nview == 0)
		info = xstrdup(*p->filter_text ? "没有符合的项，请改一改查找的文字。" :
		    "没有可选的项。");
	else if (p->more)
		info = xasprintf("已列出 %zu 项，往下翻还有；"
		    "输入文字可缩小范围", p->nview);
	else if (p->nview > (size_t)rows)
		info = xasprintf("第 %zu 项，共 %zu 项", p->sel + 1, p->nview);
	else
		info = xasprintf("共 %zu 项", p->nview);
	if (p->multi) {
		char *s = xasprintf("%s；已勾选 %zu 项", info, p->checked.n);

		free(info);
		info = s;
	}
	tui_put(t, by + bh - 2, bx + 2, info, bw - 4,
	    p->fetch_err ? tui_attr_error(t) : tui_attr_dim(t));
	free(info);
	tui_cursor(t, by + 1, fx + cur);
}

/* ------------------------------------------------------------- keys */

static void
picker_finish(struct tui *t, struct picker *p, bool ok)
{
	struct strlist codes;
	size_t i;

	if (p->done == NULL)
		return;
	if (!ok) {
		p->done(t, p->done_arg, NULL);
		p->done = NULL;
		return;
	}
	strlist_init(&codes);
	if (!p->multi)
		strlist_add(&codes, picker_item(p, p->sel)->code);
	else if (p->fetching) {
		for (i = 0; i < p->checked.n; i++)
			strlist_add(&codes, p->checked.v[i]);
	} else {
		/* In the order of the list, not of the clicks. */
		for (i = 0; i < p->items.n; i++)
			if (*p->items.v[i].code != '\0' &&
			    picker_is_checked(p, p->items.v[i].code))
				strlist_add(&codes, p->items.v[i].code);
	}
	p->done(t, p->done_arg, &codes);
	p->done = NULL;
	strlist_free(&codes);
}

static enum tui_result
picker_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct picker *p = self;
	long page = p->rows > 1 ? p->rows - 1 : 1;
	bool changed = false;

	switch (a) {
	case TA_UP:
	case TA_PREV:
		picker_move(p, (long)p->sel - 1);
		break;
	case TA_DOWN:
	case TA_NEXT:
		picker_move(p, (long)p->sel + 1);
		break;
	case TA_PGUP:
		picker_move(p, (long)p->sel - page);
		break;
	case TA_PGDN:
		picker_move(p, (long)p->sel + page);
		break;
	case TA_HOME:
		picker_move(p, 0);
		break;
	case TA_END:
		if (p->fetching && p->more) {
			/* A million records: no End, only paging on. */
			picker_move(p, (long)p->nview + PICKER_BATCH - 1);
			tui_info(t, "可选项很多，已多列出一批；输入文字查找更快。");
		} else
			picker_move(p, (long)p->nview - 1);
		break;
	case TA_LEFT:
		edit_left(&p->filter);
		break;
	case TA_RIGHT:
		edit_right(&p->filter);
		break;
	case TA_BACKSPACE:
		changed = edit_backspace(&p->filter);
		break;
	case TA_DELCHAR:
		changed = edit_delete(&p->filter);
		break;
	case TA_KILL:
		changed = edit_kill_line(&p->filter);
		break;
	case TA_KILL_END:
		changed = edit_kill_to_end(&p->filter);
		break;
	case TA_INSERT:
		edit_toggle_overwrite(&p->filter);
		break;
	case TA_CHAR:
		if (p->multi && wc == L' ') {
			if (p->sel < p->nview &&
			    *picker_item(p, p->sel)->code != '\0')
				picker_toggle(p, picker_item(p, p->sel)->code);
			break;
		}
		if (edit_insert(&p->filter, wc))
			changed = true;
		else if (p->filter.len >= p->filter.maxlen)
			tui_error(t, "查找的文字最多 %d 个字。", PICKER_FILTER_MAX);
		break;
	case TA_ENTER:
		if (!p->multi && p->sel >= p->nview) {
			tui_error(t, "没有可选的项。可以改一改查找的文字，或按 Esc 返回。");
			break;
		}
		picker_finish(t, p, true);
		return TR_POP;
	case TA_BACK:
		picker_finish(t, p, false);
		return TR_POP;
	default:
		break;
	}
	if (changed)
		picker_refilter(p);
	return TR_STAY;
}

/* ------------------------------------------------------------ frame */

static enum tui_keymode
picker_keymode(struct tui *t, void *self)
{
	(void)t;
	(void)self;
	return TK_TEXT;
}

/* The heading of the screen below stays, so the user keeps the context
 * (which record is being filled in). */
static char *
picker_heading(struct tui *t, void *self)
{
	int top = t->depth - 1;

	if (top >= 1 && t->stack[top].self == self &&
	    t->stack[top - 1].ops->heading != NULL)
		return t->stack[top - 1].ops->heading(t,
		    t->stack[top - 1].self);
	return xstrdup(((struct picker *)self)->title);
}

static const char *
picker_help_line(struct tui *t, void *self)
{
	struct picker *p = self;

	(void)t;
	if (p->help != NULL)
		return p->help;
	return p->multi ?
	    "按空格勾选或取消，回车确定；输入文字可缩小范围，Esc 取消。" :
	    "用上下箭头选中后按回车；输入文字可缩小范围，Esc 取消。";
}

static void
picker_free(void *self)
{
	struct picker *p = self;

	if (p->fetch_free != NULL)
		p->fetch_free(p->fetch_arg);
	tui_picker_list_clear(&p->items);
	free(p->view);
	edit_free(&p->filter);
	strlist_free(&p->checked);
	free(p->filter_text);
	free(p->fetch_err);
	free(p->none_label);
	free(p->title);
	free(p->help);
	free(p);
}

static const struct tui_screen_ops picker_ops = {
	.name = "picker",
	.action_list = picker_actions,
	.keymode = picker_keymode,
	.heading = picker_heading,
	.draw = picker_draw,
	.key = picker_key,
	.help_line = picker_help_line,
	.free = picker_free,
};

void
tui_picker_open(struct tui *t, const struct tui_picker_spec *spec)
{
	struct picker *p = xcalloc(1, sizeof *p);
	size_t i;

	p->title = xstrdup(spec->title ? spec->title : "请选择");
	p->help = spec->help ? xstrdup(spec->help) : NULL;
	p->multi = spec->multi;
	p->none_label = spec->none_label ? xstrdup(spec->none_label) : NULL;
	p->done = spec->done;
	p->done_arg = spec->done_arg;
	p->anchor_y = spec->anchor_y;
	p->anchor_x = spec->anchor_x;
	p->fetching = spec->fetch != NULL;
	p->fetch = spec->fetch;
	p->fetch_arg = spec->fetch_arg;
	p->fetch_free = spec->fetch_free;
	strlist_init(&p->checked);
	edit_init(&p->filter, PICKER_FILTER_MAX);
	if (spec->filter != NULL)
		edit_insert_utf8(&p->filter, spec->filter, NULL);
	tui_picker_list_init(&p->items);
	if (!p->fetching) {
		if (p->none_label != NULL)
			tui_picker_list_add(&p->items, "", p->none_label, NULL);
		for (i = 0; spec->items != NULL && i < spec->items->n; i++)
			tui_picker_list_add(&p->items, spec->items->v[i].code,
			    spec->items->v[i].label, spec->items->v[i].note);
	}
	if (spec->selected != NULL && p->multi)
		for (i = 0; i < spec->selected->n; i++)
			if (*spec->selected->v[i] != '\0' &&
			    !picker_is_checked(p, spec->selected->v[i]))
				strlist_add(&p->checked, spec->selected->v[i]);
	picker_refilter(p);
	/* Highlight the current choice. */
	if (spec->selected != NULL && spec->selected->n > 0) {
		for (i = 0; i < p->nview; i++) {
			if (strcmp(picker_item(p, i)->code,
			    spec->selected->v[0]) == 0) {
				p->sel = i;
				break;
			}
		}
	}
	p->rows = 10;
	tui_push(t, &picker_ops, p);
}
