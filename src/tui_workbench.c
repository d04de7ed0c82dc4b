/* tui_workbench.c: 工作台, the period selector and the cycle commands.
 *
 * The 工作台 is the first screen after start.  It shows the current
 * period, its filing deadline and the days left, then per 党支部 what
 * workbench_build() found missing or late, one line each under the
 * branch's name.  Enter opens the place where an item is fixed (an
 * existing record, or a new one with what the program knows filled in);
 * when that form closes the list is built again, so fixed items leave it.
 *
 * F9 (here and in the menus) chooses the current period; 数据维护 offers
 * 开始新周期 and 备案锁定 / 解除锁定, which live here too since they are
 * about the same thing: the half-year being worked on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "tui_curses.h"
#include "tui_picker.h"
#include "workbench.h"

/* One line of the list: a branch heading or an item. */
struct wb_line {
	bool	 heading;
	size_t	 item;		/* index in wb.items (heading: its first) */
	size_t	 count;		/* heading: items of this branch */
};

struct wbscreen {
	struct workbench wb;
	bool		 built;		/* wb holds a list */
	char		*err;		/* why it could not be built */
	bool		 no_branches;	/* nothing to check yet */
	struct wb_line	*lines;
	size_t		 nlines, cap;
	size_t		 sel;		/* line of the chosen item */
	size_t		 top;		/* first line shown */
	size_t		 page;		/* list lines shown last time */
};

static const enum tui_action wb_actions[] = {
	TA_PERIOD, TA_BACK, TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END,
	TA_ENTER, TA_NONE
};

static const char wb_about[] =
    "工作台列出当前周期（标题栏上的半年）各党支部还缺的材料和已经逾期的"
    "事项：没有党支部或党员公开承诺书（附件一、附件二），没有领导点评、"
    "书记点评或群众评议（附件四、附件五、附件六），过了完成时限还没有兑现的"
    "承诺事项（附件三），过了整改时限还没有销号的整改事项，等待复验的整改"
    "通知书，次数还不够的三会一课，以及没有讲义的党课。\n"
    "选中一项按回车，打开要补的那条记录，或新建一份（能确定的栏目已经填好）；"
    "保存后回到工作台，补齐的项目自动消失。\n"
    "备案截止日期：上半年为当年 7月15日，下半年为次年 1月15日。"
    "按 F9 换周期，按 Esc 进入主菜单。";

/* ------------------------------------------------------------ building */

static bool
wb_is_item(const struct wbscreen *s, size_t line)
{
	return line < s->nlines && !s->lines[line].heading;
}

/* The ordinal of the chosen item among all items (0 when none). */
static size_t
wb_sel_ordinal(const struct wbscreen *s)
{
	return wb_is_item(s, s->sel) ? s->lines[s->sel].item : 0;
}

static void
wb_line_add(struct wbscreen *s, bool heading, size_t item)
{
	struct wb_line *l;

	s->lines = xgrow(s->lines, &s->cap, s->nlines + 1, sizeof *s->lines);
	l = &s->lines[s->nlines++];
	l->heading = heading;
	l->item = item;
	l->count = 0;
}

static int
wb_count_branches(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	(void)f;
	(void)key;
	(void)rec;
	*(bool *)arg = true;
	return 1;
}

/* Whether the data has a 党支部 or 直属党小组 at all: without one an empty
 * list means "nothing entered yet", not "everything there". */
static bool
wb_has_branches(struct tui *t)
{
	const struct form *forg = formset_find(t->fs, "org");
	static const char *const types[] = { "branch", "direct_group" };
	bool found = false;
	size_t i;
	char *err = NULL;

	if (forg == NULL || !store_field_indexed(t->st, forg, "type"))
		return true;
	for (i = 0; i < 2 && !found; i++) {
		if (store_index_scan(t->st, forg, "type", types[i], 0,
		    STORE_SCAN_EXACT, 1, 1, wb_count_branches, &found,
		    &err) != CX_OK) {
			free(err);
			return true;
		}
	}
	return found;
}

/* (Re)builds the list for the current period, keeping the choice on the
 * same position, so that after an item was fixed the next one is
 * chosen. */
static void
wb_build(struct tui *t, struct wbscreen *s)
{
	size_t keep = wb_sel_ordinal(s), i, head = 0;
	char *err = NULL;

	if (s->built)
		workbench_free(&s->wb);
	memset(&s->wb, 0, sizeof s->wb);
	free(s->err);
	s->err = NULL;
	s->nlines = 0;
	s->built = workbench_build(&t->lg, &t->period, &s->wb, &err) == CX_OK;
	if (!s->built) {
		s->err = err != NULL ? err : xstrdup("发生未知错误。");
		memset(&s->wb, 0, sizeof s->wb);
		s->sel = s->top = 0;
		return;
	}
	free(err);
	s->no_branches = s->wb.n == 0 && !wb_has_branches(t);
	for (i = 0; i < s->wb.n; i++) {
		const struct wb_item *it = &s->wb.items[i];

		if (i == 0 || it->branch_id != s->wb.items[i - 1].branch_id) {
			head = s->nlines;
			wb_line_add(s, true, i);
		}
		s->lines[head].count++;
		wb_line_add(s, false, i);
	}
	if (keep >= s->wb.n)
		keep = s->wb.n > 0 ? s->wb.n - 1 : 0;
	s->sel = 0;
	for (i = 0; i < s->nlines; i++)
		if (!s->lines[i].heading && s->lines[i].item == keep) {
			s->sel = i;
			break;
		}
	if (s->top >= s->nlines)
		s->top = 0;
}

/* ------------------------------------------------------------- drawing */

/* What arrived of a branch's packages (机关党委 directory), or NULL. */
static const struct ledger_arrival *
wb_arrival(const struct wbscreen *s, uint64_t branch_id)
{
	size_t i;

	for (i = 0; i < s->wb.nbranches; i++)
		if (s->wb.branches[i].id == branch_id)
			return &s->wb.branches[i].arrival;
	return NULL;
}

static char *
wb_heading(struct tui *t, void *self)
{
	struct wbscreen *s = self;
	char label[32];

	model_period_label(&t->period, label);
	if (!s->built)
		return xasprintf("工作台  %s", label);
	if (s->wb.n == 0)
		return xasprintf("工作台  %s  没有待办事项", label);
	return xasprintf("工作台  %s  待办 %zu 项", label, s->wb.n);
}

/* "距 2027年1月15日 备案截止还有 49 天", or how late it is. */
static char *
wb_deadline_text(const struct workbench *wb, bool *late)
{
	char due[32];

	date_format_cn(&wb->due, due);
	*late = wb->days_left < 0;
	if (wb->days_left > 0)
		return xasprintf("距 %s 备案截止还有 %ld 天", due,
		    wb->days_left);
	if (wb->days_left == 0)
		return xasprintf("今天（%s）是备案截止日", due);
	return xasprintf("已超过备案截止日期 %ld 天（%s）", -wb->days_left,
	    due);
}

/* Keeps the chosen line in view, with its branch heading when the item
 * is the branch's first. */
static void
wb_scroll(struct wbscreen *s)
{
	size_t page = s->page > 0 ? s->page : 1, want = s->sel;

	if (want > 0 && s->lines[want - 1].heading)
		want--;
	if (want < s->top)
		s->top = want;
	if (s->sel >= s->top + page)
		s->top = s->sel - page + 1;
	if (s->nlines <= page)
		s->top = 0;
}

static void
wb_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct wbscreen *s = self;
	char *line;
	bool late;
	int list_y = y + 3, list_h = h - 4, i;

	if (!s->built) {
		tui_put(t, y + 1, 2, "无法列出待办事项：", w - 4, A_BOLD);
		tui_put(t, y + 2, 2, s->err, w - 4, tui_attr_error(t));
		tui_put(t, y + h - 1, 2, "按 Esc 进入主菜单。", w - 4,
		    tui_attr_dim(t));
		return;
	}
	/* The period itself is in the title bar and the heading. */
	line = wb_deadline_text(&s->wb, &late);
	i = tui_put(t, y, 2, line, w - 4, late ? tui_attr_error(t) :
	    (int)A_BOLD);
	free(line);
	if (ledger_locked(&t->lg, &t->period))
		tui_put(t, y, 2 + i + 2, "（已备案锁定，只能补充批注）", w - 6 - i,
		    tui_attr_dim(t));
	if (s->wb.n == 0) {
		const char *msg = s->no_branches ?
		    "还没有党支部：请先在「组织与党员」中录入党组织和党员。" :
		    "本周期各项材料齐全";

		tui_put_pad(t, y + h / 2 - 1, 0, msg, w, TEXT_CENTER, A_BOLD);
		tui_put_pad(t, y + h / 2, 0, "按 F9 查看其他周期，按 Esc 进入主菜单。",
		    w, TEXT_CENTER, tui_attr_dim(t));
		if (s->wb.nbranches > 0) {
			line = xasprintf("本期报送包收到 %zu/%zu 个",
			    s->wb.nfiled, s->wb.nbranches);
			tui_put_pad(t, y + h / 2 + 1, 0, line, w, TEXT_CENTER,
			    tui_attr_dim(t));
			free(line);
		}
		return;
	}
	{
		size_t branches = 0, k;

		for (k = 0; k < s->nlines; k++)
			if (s->lines[k].heading)
				branches++;
		if (s->wb.nbranches > 0)
			line = xasprintf("%zu 个党组织共有 %zu 项待办，本期报送包"
			    "收到 %zu/%zu 个。选中一项按回车去补。", branches,
			    s->wb.n, s->wb.nfiled, s->wb.nbranches);
		else
			line = xasprintf("%zu 个党组织共有 %zu 项待办。选中一项按回车"
			    "去补；补好保存后这里自动更新。", branches, s->wb.n);
		tui_put(t, y + 1, 2, line, w - 4, tui_attr_dim(t));
		free(line);
	}
	tui_hline(t, y + 2, 0, w);
	s->page = list_h > 0 ? (size_t)list_h : 1;
	wb_scroll(s);
	for (i = 0; i < list_h && s->top + (size_t)i < s->nlines; i++) {
		const struct wb_line *l = &s->lines[s->top + (size_t)i];
		const struct wb_item *it = &s->wb.items[l->item];
		int ry = list_y + i;

		if (l->heading) {
			int used = tui_put(t, ry, 1, it->branch ? it->branch :
			    "（不属于党支部）", w - 2, A_BOLD);

			const struct ledger_arrival *a = wb_arrival(s,
			    it->branch_id);

			line = xasprintf("（%zu 项）", l->count);
			used += tui_put(t, ry, 1 + used, line, w - 2 - used,
			    A_BOLD);
			free(line);
			if (a != NULL && w - 2 - used > 2)
				tui_put(t, ry, 3 + used, a->line, w - 4 - used,
				    a->filed ? (int)A_NORMAL : tui_attr_dim(t));
		} else if (s->top + (size_t)i == s->sel) {
			tui_fill(t, ry, 0, w, tui_attr_select(t));
			tui_put(t, ry, 4, it->text, w - 5, tui_attr_select(t));
		} else
			tui_put(t, ry, 4, it->text, w - 5, A_NORMAL);
	}
	if (s->nlines > s->page) {
		line = xasprintf("第 %zu/%zu 项  PgUp/PgDn 翻页",
		    s->lines[s->sel].item + 1, s->wb.n);
		tui_put_pad(t, y + h - 1, 0, line, w - 1, TEXT_RIGHT,
		    tui_attr_dim(t));
		free(line);
	}
}

/* ---------------------------------------------------------------- keys */

/* The item line n items away from the chosen one (dir -1 or +1),
 * staying put at either end. */
static size_t
wb_step(const struct wbscreen *s, size_t from, int dir, size_t n)
{
	size_t at = from, i = from;

	while (n > 0) {
		if (dir < 0 ? i == 0 : i + 1 >= s->nlines)
			break;
		i = dir < 0 ? i - 1 : i + 1;
		if (wb_is_item(s, i)) {
			at = i;
			n--;
		}
	}
	return at;
}

static void
wb_open_item(struct tui *t, struct wbscreen *s)
{
	const struct wb_item *it;
	const struct form *f;

	if (!wb_is_item(s, s->sel))
		return;
	it = &s->wb.items[s->lines[s->sel].item];
	f = it->kind != NULL ? formset_find(t->fs, it->kind) : NULL;
	if (f == NULL) {
		tui_error(t, "找不到“%s”的表单定义（forms 目录里缺少 %s.form），"
		    "无法打开。", it->kind ? it->kind : "", it->kind ? it->kind :
		    "");
		return;
	}
	if (it->id != 0)
		tui_form_open(t, f, it->id);
	else
		tui_form_open_prefill(t, f, it->prefill);
}

static enum tui_result
wb_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct wbscreen *s = self;
	size_t page = s->page > 1 ? s->page - 1 : 1;

	(void)wc;
	switch (a) {
	case TA_UP:
		s->sel = wb_step(s, s->sel, -1, 1);
		break;
	case TA_DOWN:
		s->sel = wb_step(s, s->sel, 1, 1);
		break;
	case TA_PGUP:
		s->sel = wb_step(s, s->sel, -1, page);
		break;
	case TA_PGDN:
		s->sel = wb_step(s, s->sel, 1, page);
		break;
	case TA_HOME:
		s->sel = wb_step(s, 0, 1, 1);
		s->top = 0;
		break;
	case TA_END:
		s->sel = wb_step(s, s->nlines > 0 ? s->nlines - 1 : 0, -1, 0);
		if (!wb_is_item(s, s->sel))
			s->sel = wb_step(s, s->sel, -1, 1);
		break;
	case TA_ENTER:
		wb_open_item(t, s);
		break;
	case TA_PERIOD:
		tui_period_choose(t);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

static const char *
wb_help_line(struct tui *t, void *self)
{
	struct wbscreen *s = self;
	const struct wb_item *it;
	static char buf[256];
	const struct form *f;

	if (!s->built || !wb_is_item(s, s->sel))
		return "工作台：F9 换周期，Esc 进入主菜单。";
	it = &s->wb.items[s->lines[s->sel].item];
	f = it->kind != NULL ? formset_find(t->fs, it->kind) : NULL;
	if (f == NULL)
		return NULL;
	if (it->id != 0)
		snprintf(buf, sizeof buf, "回车打开这条%s记录，补好后按 F2 保存。",
		    f->label);
	else
		snprintf(buf, sizeof buf, "回车新建一份%s，能确定的栏目已经填好，"
		    "填完按 F2 保存。", f->label);
	return buf;
}

/* After a form closed (or the period changed): build again. */
static void
wb_resume(struct tui *t, void *self)
{
	wb_build(t, self);
}

static void
wb_free(void *self)
{
	struct wbscreen *s = self;

	if (s->built)
		workbench_free(&s->wb);
	free(s->lines);
	free(s->err);
	free(s);
}

static const struct tui_screen_ops wb_ops = {
	.name = "workbench",
	.action_list = wb_actions,
	.heading = wb_heading,
	.draw = wb_draw,
	.key = wb_key,
	.help_line = wb_help_line,
	.resume = wb_resume,
	.free = wb_free,
	.about = wb_about,
};

void
tui_workbench_open(struct tui *t)
{
	struct wbscreen *s = xcalloc(1, sizeof *s);

	s->page = t->rows > 8 ? (size_t)(t->rows - 8) : 1;
	wb_build(t, s);
	tui_push(t, &wb_ops, s);
}

/* ------------------------------------------------------ period chooser */

struct period_bound {
	char	key[16];
	bool	found;
};

static int
period_bound_cb(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	struct period_bound *b = arg;

	(void)f;
	(void)rec;
	snprintf(b->key, sizeof b->key, "%s", key);
	b->found = true;
	return 1;
}

static int
period_cmp(const struct period *a, const struct period *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->half < b->half ? -1 : a->half > b->half;
}

/* Widens [lo, hi] by the first (dir > 0) or last (dir < 0) period of
 * every kind that indexes one.  The index keys ("2026H2") sort as the
 * periods do, so one step of each index is enough. */
static void
period_range_widen(struct tui *t, struct period *lo, struct period *hi)
{
	size_t i;
	int dir;

	for (i = 0; i < t->fs->n; i++) {
		const struct form *f = t->fs->forms[i];
		const struct form_field *ff = form_field_find(f, "period");

		if (ff == NULL || ff->type != FT_PERIOD ||
		    !store_field_indexed(t->st, f, "period"))
			continue;
		for (dir = 1; dir >= -1; dir -= 2) {
			struct period_bound b = { "", false };
			struct period p;
			char *err = NULL;

			if (store_index_scan(t->st, f, "period", NULL, 0, 0, dir,
			    1, period_bound_cb, &b, &err) != CX_OK) {
				free(err);
				continue;
			}
			if (!b.found || model_period_parse(b.key, &p, &err) !=
			    CX_OK) {
				free(err);
				continue;
			}
			if (period_cmp(&p, lo) < 0)
				*lo = p;
			if (period_cmp(&p, hi) > 0)
				*hi = p;
		}
	}
}

static void
period_done(struct tui *t, void *arg, const struct strlist *codes)
{
	struct period p;
	char label[32], *err = NULL;

	(void)arg;
	if (codes == NULL || codes->n == 0)
		return;
	if (model_period_parse(codes->v[0], &p, &err) != CX_OK) {
		tui_error_take(t, err);
		return;
	}
	model_period_label(&p, label);
	if (period_cmp(&p, &t->period) == 0) {
		tui_info(t, "当前周期仍是 %s。", label);
		return;
	}
	if (ledger_set_current_period(&t->lg, &p, &err) != CX_OK) {
		if (!store_readonly(t->st)) {
			tui_error_take(t, err);
			return;
		}
		/* Looking at another period needs no write: only the choice
		 * is not kept for the next start. */
		free(err);
		t->period = p;
		tui_info(t, "当前周期改为 %s（数据目录只读，下次打开时不保留）。",
		    label);
		return;
	}
	t->period = p;
	tui_info(t, "当前周期改为 %s。", label);
}

void
tui_period_choose(struct tui *t)
{
	struct tui_picker_list items;
	struct tui_picker_spec sp;
	struct strlist sel;
	struct period lo, hi, today_p, p;
	struct date today;
	char code[16], cur[16], label[32];

	model_today(&today);
	model_period_of(&today, &today_p);
	lo = hi = t->period;
	if (period_cmp(&today_p, &lo) < 0)
		lo = today_p;
	if (period_cmp(&today_p, &hi) > 0)
		hi = today_p;
	period_range_widen(t, &lo, &hi);
	model_period_next(&hi);
	tui_picker_list_init(&items);
	for (p = lo; period_cmp(&p, &hi) <= 0; model_period_next(&p)) {
		const char *note = NULL;
		bool locked = ledger_locked(&t->lg, &p);

		model_period_code(&p, code);
		model_period_label(&p, label);
		if (period_cmp(&p, &t->period) == 0)
			note = locked ? "当前，已锁定" : "当前";
		else if (locked)
			note = "已锁定";
		else if (period_cmp(&p, &today_p) == 0)
			note = "今天所在";
		tui_picker_list_add(&items, code, label, note);
	}
	model_period_code(&t->period, cur);
	strlist_init(&sel);
	strlist_add(&sel, cur);
	memset(&sp, 0, sizeof sp);
	sp.title = "选择周期";
	sp.help = "选中一个半年按回车，工作台和标题栏改为这个周期；Esc 不变。";
	sp.items = &items;
	sp.selected = &sel;
	sp.done = period_done;
	tui_picker_open(t, &sp);
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

/* -------------------------------------------------------------- cycle */

void
tui_cycle_new(struct tui *t)
{
	static const char *const buttons[] = { "开始新周期", "取消" };
	struct period from = t->period, next = t->period;
	char lfrom[32], lnext[32], *msg, *err = NULL;
	size_t carried = 0;

	model_period_next(&next);
	model_period_label(&from, lfrom);
	model_period_label(&next, lnext);
	if (store_readonly(t->st)) {
		tui_message(t, "开始新周期", STORE_MSG_READONLY);
		return;
	}
	msg = xasprintf("把当前周期从 %s 改为 %s。\n"
	    "%s 还没有兑现的承诺事项（附件三）和还没有销号的整改事项转入 %s "
	    "继续跟踪：仍是原来那一条记录，不复制，进展接着记。已经完成的留在 %s。\n"
	    "%s 的记录不会改动，也不会删除。%s 备案后，可以按 F9 选回这个周期，"
	    "再在「数据维护」里锁定。", lfrom, lnext, lfrom, lnext, lfrom, lfrom,
	    lfrom);
	if (tui_choose(t, "开始新周期", msg, buttons, 2, 1) != 0) {
		free(msg);
		tui_info(t, "没有开始新周期，当前周期仍是 %s。", lfrom);
		return;
	}
	free(msg);
	if (ledger_new_cycle(&t->lg, &from, &next, &carried, &err) != CX_OK) {
		tui_message_take(t, "没有开始新周期", err);
		return;
	}
	t->period = next;
	if (carried > 0)
		msg = xasprintf("已开始 %s，当前周期改为 %s。\n从 %s 转入 %zu 项"
		    "没有完成的事项，在 %s 的工作台和台账里继续跟踪。", lnext, lnext,
		    lfrom, carried, lnext);
	else
		msg = xasprintf("已开始 %s，当前周期改为 %s。\n%s 没有需要转入的"
		    "未完成事项。", lnext, lnext, lfrom);
	tui_message(t, "开始新周期", msg);
	free(msg);
}

char *
tui_cycle_lock_label(struct tui *t)
{
	char label[32];

	model_period_label(&t->period, label);
	return xasprintf("%s（%s）", ledger_locked(&t->lg, &t->period) ?
	    "解除锁定" : "备案锁定", label);
}

void
tui_cycle_lock(struct tui *t)
{
	static const char *const lock_buttons[] = { "锁定", "取消" };
	static const char *const unlock_buttons[] = { "解除锁定", "取消" };
	bool locked = ledger_locked(&t->lg, &t->period);
	char label[32], *msg, *err = NULL;
	int choice;

	model_period_label(&t->period, label);
	if (store_readonly(t->st)) {
		tui_message(t, locked ? "解除锁定" : "备案锁定",
		    STORE_MSG_READONLY);
		return;
	}
	if (!locked) {
		msg = xasprintf("备案锁定 %s。\n"
		    "锁定后，这个周期的记录只接受批注：只能补充标为批注的栏目"
		    "（如跟踪情况、备注），其他栏目不能再修改，也不能在这个周期"
		    "新建记录。\n材料报送机关党委备案后再锁定；需要改正时可以在这里"
		    "解除锁定。", label);
		choice = tui_choose(t, "备案锁定", msg, lock_buttons, 2, 1);
	} else {
		msg = xasprintf("解除 %s 的备案锁定。\n"
		    "解除后这个周期的记录又可以修改和新建。改正后请重新报送"
		    "备案，再锁定。", label);
		choice = tui_choose(t, "解除锁定", msg, unlock_buttons, 2, 1);
	}
	free(msg);
	if (choice != 0) {
		tui_info(t, "%s 的锁定没有改变。", label);
		return;
	}
	if (ledger_lock(&t->lg, &t->period, !locked, &err) != CX_OK) {
		tui_message_take(t, locked ? "没有解除锁定" : "没有锁定", err);
		return;
	}
	if (!locked)
		tui_info(t, "已锁定 %s：这个周期的记录只能补充批注。", label);
	else
		tui_info(t, "已解除 %s 的锁定，可以修改了。", label);
}
