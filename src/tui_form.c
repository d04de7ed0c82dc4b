/* tui_form.c: the entry form, generated from a form definition.
 *
 * Every field of the form is a row: the gutter (a '!' when the field has a
 * problem, a '*' when it must be filled in), the Chinese label, and the
 * widget for its type:
 *
 *   text, date, month, int        a line editor (struct edit; date, month
 *                                 and int turn full-width digits into ASCII)
 *   longtext                      a text area a few rows high (struct
 *                                 textarea); Enter starts a new line
 *   enum, multienum, bool, ref    the chosen value, changed in the picker:
 *                                 Enter, F5 or typing a character opens it
 *   rows                          a grid, one line per row and one column
 *                                 per sub-field; its cells use the same
 *                                 widgets (a long text opens a box over the
 *                                 grid while it is edited)
 *
 * A reference's picker lists the records of the referenced kind that
 * satisfy `where` and that the model rules accept with the fields above
 * it (the 党小组 of the chosen 党支部); a kind of more than
 * FORM_PICK_ALL_MAX records is searched instead by the prefix of its
 * title on the title's index, a batch at a time.  A reference that must
 * be filled and has exactly one possible record is filled in by itself.
 *
 * What the user types is kept as typed.  Leaving a field runs
 * form_input_value() on it: a problem is shown in the status line and next
 * to the field, and the text stays for the user to fix.  Saving checks
 * every field the way the command line does (form_input_value, then
 * form_validate and model_check on the whole record), marks every field
 * with a problem and moves to the first.  Nothing is written until the
 * record is valid.  Pasted text arrives as keys; an Enter with more
 * input right behind it is a line break of the paste, not "next field".
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edit.h"
#include "textarea.h"
#include "tui.h"
#include "tui_curses.h"
#include "tui_picker.h"

/* References to a kind with at most this many records are all loaded
 * into the picker; larger kinds are searched by the prefix of their
 * title as the user types. */
#ifndef FORM_PICK_ALL_MAX
#define FORM_PICK_ALL_MAX	2000
#endif
/* Index entries a large-kind search passes per batch before it gives
 * the user what it found (when `where` rejects most records). */
#define FORM_SCAN_LIMIT		20000
#define FORM_AREA_ROWS		4
#define FORM_LABEL_MAX		16

#define FORM_READONLY_MSG \
	"数据目录是只读的（例如 U 盘打开了写保护），只能查看，不能修改。"

enum cell_kind {
	CK_EDIT,	/* text, date, month, int */
	CK_AREA,	/* longtext */
	CK_CHOICE	/* enum, multienum, bool, ref */
};

/* One value being edited: a top-level field or a cell of a grid. */
struct cell {
	const struct form_field	*ff;
	enum cell_kind		 kind;
	struct edit		 ed;
	struct textarea		 ta;
	char			*value;		/* CK_CHOICE: stored text or "" */
	char			*shown;		/* CK_CHOICE: how value reads */
	char			*err;		/* problem, or NULL */
};

/* One row of a grid.  base is the stored row: values of sub-fields the
 * form no longer has are kept when the row is saved again. */
struct entry_row {
	struct record	*base;
	struct cell	*cells;		/* one per sub-field */
};

struct entry_item {
	const struct form_field	*ff;
	struct cell		 c;		/* all but FT_ROWS */
	struct entry_row		*rows;		/* FT_ROWS */
	size_t			 nrows, rowcap;
	char			*err;		/* FT_ROWS: of the table */
	int			 y, h;		/* lines, from entry_layout() */
};

struct entry {
	const struct form	*f;
	struct record		*orig;		/* as stored, or new */
	struct entry_item		*items;
	size_t			 n;
	size_t			 cur;		/* focused field */
	size_t			 row, col;	/* focused cell of a grid */
	int			 scroll;	/* first line shown */
	int			 page;		/* lines shown last time */
	int			 total;		/* lines in all */
	bool			 readonly;
	bool			 changed;	/* something was edited */
	bool			 overwrite;
	/* Where the open picker's choice goes. */
	size_t			 pick_cur, pick_row, pick_col;
	int			 focus_y, focus_x;	/* the focused widget */
	char			*help;
	enum tui_action		 acts[32];
};

static const struct tui_screen_ops entry_ops;

/* ------------------------------------------------------------ cells */

static enum cell_kind
cell_kind_of(const struct form_field *ff)
{
	switch (ff->type) {
	case FT_LONGTEXT:
		return CK_AREA;
	case FT_ENUM:
	case FT_MULTIENUM:
	case FT_BOOL:
	case FT_REF:
		return CK_CHOICE;
	default:
		return CK_EDIT;
	}
}

static void
cell_set_choice(struct tui *t, struct cell *c, const char *value)
{
	free(c->value);
	free(c->shown);
	c->value = xstrdup(value ? value : "");
	c->shown = form_value_display(t->fs, c->ff, c->value, tui_lookup, t);
}

static void
cell_init(struct tui *t, struct cell *c, const struct form_field *ff,
    const char *text)
{
	char *err = NULL;

	memset(c, 0, sizeof *c);
	c->ff = ff;
	c->kind = cell_kind_of(ff);
	switch (c->kind) {
	case CK_EDIT:
		edit_init(&c->ed, ff->type == FT_TEXT ? ff->maxlen : 24);
		c->ed.halfwidth = ff->type != FT_TEXT;
		if (edit_set_utf8(&c->ed, text, &err) != CX_OK)
			free(err);
		break;
	case CK_AREA:
		textarea_init(&c->ta, ff->maxlen);
		if (textarea_set_utf8(&c->ta, text, &err) != CX_OK)
			free(err);
		break;
	case CK_CHOICE:
		cell_set_choice(t, c, text);
		break;
	}
}

static void
cell_free(struct cell *c)
{
	if (c->ff == NULL)
		return;
	if (c->kind == CK_EDIT)
		edit_free(&c->ed);
	else if (c->kind == CK_AREA)
		textarea_free(&c->ta);
	free(c->value);
	free(c->shown);
	free(c->err);
	memset(c, 0, sizeof *c);
}

/* The text as the user typed it (the stored text for a choice). */
static char *
cell_text(const struct cell *c)
{
	switch (c->kind) {
	case CK_EDIT:
		return edit_get_utf8(&c->ed);
	case CK_AREA:
		return textarea_get_utf8(&c->ta);
	default:
		return xstrdup(c->value ? c->value : "");
	}
}

static void
cell_set_err(struct cell *c, const char *err)
{
	free(c->err);
	c->err = err ? xstrdup(err) : NULL;
}

static void
entry_row_init(struct tui *t, struct entry_row *fr,
    const struct form_field *rows, const struct record *base)
{
	size_t j;

	fr->base = base ? record_copy(base) : record_new();
	fr->cells = xcalloc(rows->nsub ? rows->nsub : 1, sizeof *fr->cells);
	for (j = 0; j < rows->nsub; j++)
		cell_init(t, &fr->cells[j], &rows->sub[j],
		    record_get(fr->base, rows->sub[j].id));
}

static void
entry_row_free(struct entry_row *fr, size_t nsub)
{
	size_t j;

	for (j = 0; j < nsub; j++)
		cell_free(&fr->cells[j]);
	free(fr->cells);
	record_free(fr->base);
}

static void
entry_items_free(struct entry *fm)
{
	size_t i, k;

	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];

		cell_free(&it->c);
		for (k = 0; k < it->nrows; k++)
			entry_row_free(&it->rows[k], it->ff->nsub);
		free(it->rows);
		free(it->err);
	}
	free(fm->items);
	fm->items = NULL;
	fm->n = 0;
}

/* The focused cell, or NULL on a grid without rows. */
static struct cell *
entry_cell_at(struct entry *fm, size_t cur, size_t row, size_t col)
{
	struct entry_item *it;

	if (cur >= fm->n)
		return NULL;
	it = &fm->items[cur];
	if (it->ff->type != FT_ROWS)
		return &it->c;
	if (row >= it->nrows || col >= it->ff->nsub)
		return NULL;
	return &it->rows[row].cells[col];
}

static struct cell *
entry_cell(struct entry *fm)
{
	return entry_cell_at(fm, fm->cur, fm->row, fm->col);
}

static bool
entry_in_grid(const struct entry *fm)
{
	return fm->items[fm->cur].ff->type == FT_ROWS;
}

/* (Re)builds the cells from r, which the form takes as its stored
 * state.  The focus stays where it was when it still exists. */
static void
entry_load(struct tui *t, struct entry *fm, struct record *r)
{
	const struct form *f = fm->f;
	size_t i, k;

	entry_items_free(fm);
	if (fm->orig != r)
		record_free(fm->orig);
	fm->orig = r;
	fm->n = f->nfields;
	fm->items = xcalloc(fm->n ? fm->n : 1, sizeof *fm->items);
	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];

		it->ff = &f->fields[i];
		if (it->ff->type != FT_ROWS) {
			cell_init(t, &it->c, it->ff, record_get(r, it->ff->id));
			continue;
		}
		it->nrows = record_nrows(r, it->ff->id);
		it->rowcap = it->nrows;
		it->rows = xcalloc(it->nrows ? it->nrows : 1, sizeof *it->rows);
		for (k = 0; k < it->nrows; k++)
			entry_row_init(t, &it->rows[k], it->ff,
			    record_row(r, it->ff->id, k));
	}
	if (fm->cur >= fm->n)
		fm->cur = fm->n ? fm->n - 1 : 0;
	if (fm->n > 0 && entry_in_grid(fm)) {
		struct entry_item *it = &fm->items[fm->cur];

		if (fm->row >= it->nrows)
			fm->row = it->nrows ? it->nrows - 1 : 0;
		if (fm->col >= it->ff->nsub)
			fm->col = 0;
	}
}

/* ------------------------------------------------------- validation */

/* "承诺事项第2行“内容”": how form_validate names a cell, so that messages
 * about the same cell read the same whichever check found them. */
static char *
entry_cell_name(const struct entry_item *it, size_t row, size_t col)
{
	return xasprintf("%s第%zu行“%s”", it->ff->label, row + 1,
	    it->ff->sub[col].label);
}

/* Runs form_input_value on a cell.  Returns NULL and the canonical text
 * in *canon, or the message (named as form_validate names the field). */
static char *
cell_problem(const struct entry_item *it, const struct cell *c, size_t row,
    size_t col, char **canon)
{
	char *text = cell_text(c), *err = NULL, *named;
	const char *rest;
	size_t n;
	int rc;

	rc = form_input_value(c->ff, text, canon, &err);
	free(text);
	if (rc == CX_OK)
		return NULL;
	*canon = NULL;
	if (err == NULL)
		err = xasprintf("%s：填写有误。", c->ff->label);
	if (it->ff->type != FT_ROWS)
		return err;
	rest = err;
	n = strlen(c->ff->label);
	if (strncmp(err, c->ff->label, n) == 0 &&
	    strncmp(err + n, "：", strlen("：")) == 0)
		rest = err + n + strlen("：");
	named = entry_cell_name(it, row, col);
	text = xasprintf("%s：%s", named, rest);
	free(named);
	free(err);
	return text;
}

static void
entry_set_value(struct record *r, const char *id, char *canon)
{
	if (canon == NULL || *canon == '\0') {
		record_remove(r, id);
		free(canon);
	} else
		record_set_take(r, id, canon);
}

/* Builds the record the screen shows on a copy of the stored one (which
 * keeps values of fields the form no longer defines).  A cell whose text
 * is not accepted is left out; with mark it gets its message, and the
 * message is appended to problems (when not NULL).  Returns the number of
 * such cells. */
static size_t
entry_build(struct entry *fm, bool mark, struct record **out,
    struct strlist *problems)
{
	struct record *r = record_copy(fm->orig);
	size_t i, k, j, bad = 0;
	char *canon, *err;

	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		const struct form_field *ff = it->ff;

		if (ff->type != FT_ROWS) {
			err = cell_problem(it, &it->c, 0, 0, &canon);
			if (err != NULL) {
				bad++;
				if (mark)
					cell_set_err(&it->c, err);
				record_remove(r, ff->id);
				if (problems != NULL)
					strlist_take(problems, err);
				else
					free(err);
			} else
				entry_set_value(r, ff->id, canon);
			continue;
		}
		record_remove(r, ff->id);
		for (k = 0; k < it->nrows; k++) {
			struct record *row = record_copy(it->rows[k].base);

			for (j = 0; j < ff->nsub; j++) {
				struct cell *c = &it->rows[k].cells[j];

				err = cell_problem(it, c, k, j, &canon);
				if (err != NULL) {
					bad++;
					if (mark)
						cell_set_err(c, err);
					record_remove(row, ff->sub[j].id);
					if (problems != NULL)
						strlist_take(problems, err);
					else
						free(err);
				} else
					entry_set_value(row, ff->sub[j].id,
					    canon);
			}
			record_append_row(r, ff->id, row);
		}
		if (it->nrows == 0 && record_find(fm->orig, ff->id) != NULL) {
			/* Keep an explicitly empty table as it was stored. */
			record_add_row(r, ff->id);
			record_remove_row(r, ff->id, 0);
		}
	}
	*out = r;
	return bad;
}

/* Finds the field (and the cell) a problem message is about, from the
 * way the core names fields: "姓名：…", "承诺事项第2行“内容”：…",
 * "承诺事项：…" or, from the store, "“名称”为“…”的记录已经存在".  The
 * longest matching label wins. */
static bool
entry_locate(const struct entry *fm, const char *msg, size_t *item,
    size_t *row, size_t *col, bool *is_cell)
{
	const char *colon = "：", *lq = "“", *rq = "”";
	size_t i, best = 0;
	bool found = false;

	for (i = 0; i < fm->n; i++) {
		const struct form_field *ff = fm->items[i].ff;
		size_t n = strlen(ff->label), j;
		const char *p = msg;
		bool quoted = false;

		if (strncmp(p, lq, strlen(lq)) == 0 &&
		    strncmp(p + strlen(lq), ff->label, n) == 0 &&
		    strncmp(p + strlen(lq) + n, rq, strlen(rq)) == 0) {
			quoted = true;
			p += strlen(lq) + n + strlen(rq);
		} else if (strncmp(p, ff->label, n) == 0)
			p += n;
		else
			continue;
		if (n <= best && found)
			continue;
		if (quoted || strncmp(p, colon, strlen(colon)) == 0) {
			best = n;
			found = true;
			*item = i;
			*is_cell = false;
			*row = *col = 0;
			continue;
		}
		if (ff->type == FT_ROWS &&
		    strncmp(p, "第", strlen("第")) == 0) {
			char *end;
			unsigned long rn;

			p += strlen("第");
			rn = strtoul(p, &end, 10);
			if (end == p || rn == 0 ||
			    strncmp(end, "行", strlen("行")) != 0)
				continue;
			p = end + strlen("行");
			best = n;
			found = true;
			*item = i;
			*row = (size_t)rn - 1;
			*col = 0;
			*is_cell = false;
			if (strncmp(p, lq, strlen(lq)) != 0)
				continue;
			p += strlen(lq);
			for (j = 0; j < ff->nsub; j++) {
				size_t sn = strlen(ff->sub[j].label);

				if (strncmp(p, ff->sub[j].label, sn) == 0 &&
				    strncmp(p + sn, rq, strlen(rq)) == 0) {
					*col = j;
					*is_cell = true;
					break;
				}
			}
		}
	}
	return found;
}

/* The message without the field's name in front, for showing beside
 * the field whose name is right there. */
static const char *
entry_msg_rest(const char *msg)
{
	const char *p = strstr(msg, "：");

	if (p == NULL || p - msg > 80)
		return msg;
	return p + strlen("：");
}

/* Marks the field a whole-record problem is about.  Returns false when a
 * problem was already marked there (by the field's own input check),
 * true otherwise. */
static bool
entry_mark(struct entry *fm, const char *msg)
{
	size_t item, row, col;
	bool is_cell;
	struct entry_item *it;
	struct cell *c;

	if (!entry_locate(fm, msg, &item, &row, &col, &is_cell))
		return true;
	it = &fm->items[item];
	if (it->ff->type != FT_ROWS)
		c = &it->c;
	else if (is_cell && row < it->nrows)
		c = &it->rows[row].cells[col];
	else {
		if (it->err == NULL)
			it->err = xstrdup(msg);
		return true;
	}
	if (c->err != NULL)
		return false;
	c->err = xstrdup(msg);
	return true;
}

static void
entry_clear_errors(struct entry *fm)
{
	size_t i, k, j;

	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];

		cell_set_err(&it->c, NULL);
		free(it->err);
		it->err = NULL;
		for (k = 0; k < it->nrows; k++)
			for (j = 0; j < it->ff->nsub; j++)
				cell_set_err(&it->rows[k].cells[j], NULL);
	}
}

/* Whether there are changes worth asking about: something was edited,
 * and the result differs from what is stored. */
static bool
entry_dirty(struct entry *fm)
{
	struct record *r;
	bool dirty;

	if (!fm->changed || fm->readonly)
		return false;
	if (entry_build(fm, false, &r, NULL) > 0)
		dirty = true;
	else
		dirty = !record_equal(r, fm->orig);
	record_free(r);
	return dirty;
}

/* ------------------------------------------------------------ focus */

/* Checks the cell being left: a problem goes to the status line and
 * beside the field; accepted text is shown in its canonical form (a
 * date typed as 2005年7月1日 reads 2005-07-01), so the user sees how it
 * was understood. */
static bool
entry_check_cell(struct tui *t, struct entry *fm, size_t cur, size_t row,
    size_t col)
{
	struct cell *c = entry_cell_at(fm, cur, row, col);
	char *canon = NULL, *err, *text;

	if (c == NULL || c->kind == CK_CHOICE || fm->readonly)
		return true;
	err = cell_problem(&fm->items[cur], c, row, col, &canon);
	if (err != NULL) {
		cell_set_err(c, err);
		tui_error(t, "%s", err);
		free(err);
		return false;
	}
	cell_set_err(c, NULL);
	if (c->kind == CK_EDIT) {
		text = edit_get_utf8(&c->ed);
		if (strcmp(text, canon) != 0) {
			bool dirty = c->ed.dirty;

			(void)edit_set_utf8(&c->ed, canon, NULL);
			c->ed.dirty = dirty;
		}
		free(text);
	}
	free(canon);
	return true;
}

/* Entering a field puts the cursor after its text, ready to add to it
 * or to correct its end with Backspace. */
static void
cell_cursor_end(struct cell *c)
{
	if (c != NULL && c->kind == CK_EDIT)
		edit_end(&c->ed);
	else if (c != NULL && c->kind == CK_AREA)
		textarea_text_end(&c->ta);
}

/* Moves the focus, checking the cell left behind. */
static void
entry_focus(struct tui *t, struct entry *fm, size_t cur, size_t row,
    size_t col)
{
	struct cell *c;
	bool ok = true;

	if (cur == fm->cur && row == fm->row && col == fm->col)
		return;
	ok = entry_check_cell(t, fm, fm->cur, fm->row, fm->col);
	fm->cur = cur;
	fm->row = row;
	fm->col = col;
	c = entry_cell(fm);
	cell_cursor_end(c);
	if (ok && c != NULL && c->err != NULL)
		tui_error(t, "%s", c->err);
	else if (ok && c == NULL && fm->items[cur].err != NULL)
		tui_error(t, "%s", fm->items[cur].err);
}

/* Enters field i from above (dir > 0) or below; from below, a grid is
 * entered on its last row (and with last_cell on its last cell). */
static void
entry_enter_item(struct tui *t, struct entry *fm, long i, int dir,
    bool last_cell)
{
	struct entry_item *it;
	size_t row = 0, col = 0;

	if (i < 0) {
		entry_check_cell(t, fm, fm->cur, fm->row, fm->col);
		if (t->status == NULL)
			tui_info(t, "已是第一栏。");
		return;
	}
	if ((size_t)i >= fm->n) {
		if (entry_check_cell(t, fm, fm->cur, fm->row, fm->col))
			tui_info(t, "已是最后一栏。填好后按 F2 保存。");
		return;
	}
	it = &fm->items[i];
	if (it->ff->type == FT_ROWS && dir < 0 && it->nrows > 0) {
		row = it->nrows - 1;
		col = last_cell ? it->ff->nsub - 1 : 0;
	}
	entry_focus(t, fm, (size_t)i, row, col);
}

/* Tab, Enter: the next cell of a grid, else the next field. */
static void
entry_step(struct tui *t, struct entry *fm, int dir)
{
	struct entry_item *it = &fm->items[fm->cur];

	if (it->ff->type == FT_ROWS && it->nrows > 0) {
		long idx = (long)(fm->row * it->ff->nsub + fm->col) + dir;

		if (idx >= 0 && idx < (long)(it->nrows * it->ff->nsub)) {
			entry_focus(t, fm, fm->cur, (size_t)idx / it->ff->nsub,
			    (size_t)idx % it->ff->nsub);
			return;
		}
	}
	entry_enter_item(t, fm, (long)fm->cur + dir, dir, true);
}

/* Up, Down: a row of a grid (same column), else a field. */
static void
entry_vert(struct tui *t, struct entry *fm, int dir)
{
	struct entry_item *it = &fm->items[fm->cur];

	if (it->ff->type == FT_ROWS && it->nrows > 0) {
		long r = (long)fm->row + dir;

		if (r >= 0 && r < (long)it->nrows) {
			entry_focus(t, fm, fm->cur, (size_t)r, fm->col);
			return;
		}
	}
	entry_enter_item(t, fm, (long)fm->cur + dir, dir, false);
}

/* PgUp, PgDn: about a screenful of fields (or of grid rows). */
static void
entry_page(struct tui *t, struct entry *fm, int dir)
{
	struct entry_item *it = &fm->items[fm->cur];
	int page = fm->page > 2 ? fm->page - 1 : 1;
	long i;

	if (it->ff->type == FT_ROWS && it->nrows > 0) {
		long r = (long)fm->row + dir * page;

		if (r < 0)
			r = 0;
		if (r >= (long)it->nrows)
			r = (long)it->nrows - 1;
		if ((size_t)r != fm->row) {
			entry_focus(t, fm, fm->cur, (size_t)r, fm->col);
			return;
		}
	}
	for (i = (long)fm->cur + dir; i >= 0 && i < (long)fm->n; i += dir) {
		int d = fm->items[i].y - it->y;

		if (d * dir >= page)
			break;
	}
	if (i < 0)
		i = 0;
	if (i >= (long)fm->n)
		i = (long)fm->n - 1;
	if ((size_t)i == fm->cur) {
		tui_info(t, dir < 0 ? "已是第一栏。" : "已是最后一栏。");
		return;
	}
	entry_enter_item(t, fm, i, dir, false);
}

/* ----------------------------------------------------------- layout */

static int
entry_label_width(const struct entry *fm)
{
	size_t i;
	int w = 4;

	for (i = 0; i < fm->n; i++) {
		int lw = (int)text_width(fm->items[i].ff->label, TEXT_SCREEN);

		if (lw > w)
			w = lw;
	}
	return w > FORM_LABEL_MAX ? FORM_LABEL_MAX : w;
}

static int
entry_area_rows(int view)
{
	return view < 14 ? 2 : view < 18 ? 3 : FORM_AREA_ROWS;
}

/* Gives every field its lines; returns the total. */
static int
entry_layout(struct entry *fm, int view)
{
	size_t i;
	int y = 0;

	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];

		it->y = y;
		if (it->ff->type == FT_ROWS)
			it->h = 2 + (it->nrows > 0 ? (int)it->nrows : 1);
		else if (it->ff->type == FT_LONGTEXT)
			it->h = entry_area_rows(view);
		else
			it->h = 1;
		y += it->h;
	}
	return y;
}

/* Columns a widget wants, at most avail. */
static int
entry_widget_width(const struct entry_item *it, int avail)
{
	const struct form_field *ff = it->ff;
	int want = avail;
	size_t i;

	switch (ff->type) {
	case FT_TEXT:
		if (ff->maxlen > 0 && ff->maxlen < 200)
			want = (int)ff->maxlen * 2 + 1;
		break;
	case FT_DATE:
		want = 16;
		break;
	case FT_MONTH:
		want = 12;
		break;
	case FT_INT:
		want = 12;
		break;
	case FT_BOOL:
		want = 10;
		break;
	case FT_ENUM:
	case FT_MULTIENUM:
		want = 4;
		for (i = 0; i < ff->nopts; i++) {
			int lw = (int)text_width(ff->opts[i].label,
			    TEXT_SCREEN);

			if (ff->type == FT_ENUM && lw + 2 > want)
				want = lw + 2;
			else if (ff->type == FT_MULTIENUM)
				want += lw + 2;
		}
		if (want < 12)
			want = 12;
		break;
	case FT_REF:
		want = 36;
		break;
	default:
		break;
	}
	if (it->c.kind == CK_CHOICE && it->c.shown != NULL) {
		int sw = (int)text_width(it->c.shown, TEXT_SCREEN) + 2;

		if (sw > want)
			want = sw;
	}
	return want < avail ? want : avail;
}

/* Column widths of a grid: each sub-field's list (or print) width, equal
 * shares of what is left for those without, scaled to fit. */
static void
entry_grid_widths(const struct form_field *ff, int avail, int *cw)
{
	size_t j, nzero = 0, widest = 0;
	int sum = 0;

	avail -= (int)ff->nsub;		/* a space before each column */
	for (j = 0; j < ff->nsub; j++) {
		const struct form_field *s = &ff->sub[j];

		cw[j] = s->list_width > 0 ? s->list_width :
		    s->print_width > 0 ? s->print_width : 0;
		if (cw[j] == 0)
			nzero++;
		sum += cw[j];
	}
	if (nzero > 0) {
		int share = (avail - sum) / (int)nzero;

		if (share < 8)
			share = 8;
		for (j = 0; j < ff->nsub; j++)
			if (cw[j] == 0) {
				cw[j] = share;
				sum += share;
			}
	}
	if (sum > avail && sum > 0) {
		int s2 = 0;

		for (j = 0; j < ff->nsub; j++) {
			cw[j] = cw[j] * avail / sum;
			if (cw[j] < 4)
				cw[j] = 4;
			s2 += cw[j];
		}
		sum = s2;
		while (sum > avail) {
			size_t big = 0;

			for (j = 1; j < ff->nsub; j++)
				if (cw[j] > cw[big])
					big = j;
			if (cw[big] <= 2)
				break;
			cw[big]--;
			sum--;
		}
	}
	for (j = 1; j < ff->nsub; j++)
		if (cw[j] > cw[widest])
			widest = j;
	if (sum < avail && ff->nsub > 0)
		cw[widest] += avail - sum;
}

/* Keeps the focused part in view: the whole field when it fits. */
static void
entry_scroll_to_focus(struct entry *fm, int view)
{
	struct entry_item *it = &fm->items[fm->cur];
	int top = it->y, bot = it->y + it->h;

	if (it->h > view && it->ff->type == FT_ROWS && it->nrows > 0) {
		top = it->y + 2 + (int)fm->row;
		bot = top + 1;
		if (fm->row == 0)
			top = it->y;
	}
	if (bot - top > view)
		bot = top + view;
	if (top < fm->scroll)
		fm->scroll = top;
	if (bot > fm->scroll + view)
		fm->scroll = bot - view;
	if (fm->scroll > fm->total - view)
		fm->scroll = fm->total - view;
	if (fm->scroll < 0)
		fm->scroll = 0;
}

/* ---------------------------------------------------------- drawing */

struct entry_paint {
	struct tui	*t;
	struct entry	*fm;
	int		 y0;		/* screen line of the work area */
	int		 view;		/* lines for fields */
	int		 w;
	int		 labelw;
	int		 wx;		/* widget column */
	/* The long-text cell of a grid being edited, drawn last. */
	bool		 overlay;
	int		 ov_line, ov_x, ov_w;
	struct cell	*ov_cell;
};

/* Screen line of a form line, or -1 when it is scrolled out of view. */
static int
entry_line(const struct entry_paint *d, int line)
{
	line -= d->fm->scroll;
	if (line < 0 || line >= d->view)
		return -1;
	return d->y0 + line;
}

static int
entry_widget_attr(const struct entry_paint *d, bool focused)
{
	if (focused)
		return tui_attr_select(d->t);
	return tui_attr_field(d->t) | (int)A_UNDERLINE;
}

/* Gutter and label of a field at screen line sy. */
static void
entry_draw_label(const struct entry_paint *d, int sy,
    const struct form_field *ff, bool bad, bool focused)
{
	struct tui *t = d->t;

	if (bad)
		tui_put(t, sy, 0, "!", 1, tui_attr_error(t));
	if (ff->required)
		tui_put(t, sy, 1, "*", 1, A_BOLD);
	tui_put(t, sy, 2, ff->label, d->labelw, focused ? (int)A_BOLD :
	    (int)A_NORMAL);
}

/* A line editor, a choice or a one-line view of a long text, in cols
 * columns at (sy, x).  Places the cursor when focused. */
static void
entry_draw_cell(struct entry_paint *d, struct cell *c, int sy, int x, int cols,
    bool focused, bool in_grid)
{
	struct tui *t = d->t;
	int attr;
	char *s, *p;

	if (focused) {
		d->fm->focus_y = sy;
		d->fm->focus_x = x;
	}
	if (in_grid)
		attr = focused ? tui_attr_select(t) : c->err != NULL ?
		    tui_attr_error(t) : (int)A_NORMAL;
	else
		attr = entry_widget_attr(d, focused);
	if (c->kind == CK_EDIT && focused && !d->fm->readonly) {
		wchar_t *buf = xcalloc((size_t)cols + 1, sizeof *buf);
		struct edit_view ev;
		int cur = edit_layout(&c->ed, cols, buf, &ev);

		tui_put_wcs(t, sy, x, buf, cols, attr);
		free(buf);
		tui_cursor(t, sy, x + cur);
		return;
	}
	if (c->kind == CK_CHOICE)
		s = xstrdup(c->shown);
	else
		s = cell_text(c);
	for (p = s; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	if (in_grid && !focused && c->err != NULL && *s == '\0') {
		/* An empty cell with a problem must still be seen. */
		free(s);
		s = xstrdup(cols >= 8 ? "（有误）" : "！");
	}
	tui_put_pad(t, sy, x, s, cols, TEXT_LEFT, attr);
	free(s);
	if (focused && c->kind == CK_CHOICE && *c->value == '\0' &&
	    !d->fm->readonly && cols > 12)
		tui_put(t, sy, x + 1, "按回车选择", cols - 2,
		    attr | (int)A_DIM);
	if (focused)
		tui_cursor(t, sy, x);
}

/* The message of a problem beside a field, when there is room. */
static void
entry_draw_err(const struct entry_paint *d, int sy, int x, const char *err)
{
	if (err == NULL || x >= d->w - 4)
		return;
	tui_put(d->t, sy, x, entry_msg_rest(err), d->w - x - 1,
	    tui_attr_error(d->t));
}

static void
entry_draw_area(struct entry_paint *d, struct entry_item *it, bool focused)
{
	struct tui *t = d->t;
	struct textarea_view tv;
	int cols = d->w - d->wx - 1, rows = it->h, r, sy;
	wchar_t *buf;

	if (cols < 2)
		return;
	buf = xcalloc((size_t)rows * (size_t)(cols + 1), sizeof *buf);
	textarea_layout(&it->c.ta, cols, rows, buf, &tv);
	for (r = 0; r < rows; r++) {
		sy = entry_line(d, it->y + r);
		if (sy < 0)
			continue;
		tui_put_wcs(t, sy, d->wx, buf + (size_t)r * (size_t)(cols + 1),
		    cols, entry_widget_attr(d, focused));
		if (r == 0)
			entry_draw_label(d, sy, it->ff, it->c.err != NULL,
			    focused);
		else if (r == 1 && it->c.err != NULL)
			tui_put(t, sy, 2, "（有误）", d->labelw, tui_attr_error(t));
		if (r == rows - 1 && tv.more_below)
			tui_put(t, sy, 2, "（下面还有）", d->labelw, tui_attr_dim(t));
		else if (r == rows - 1 && tv.more_above && rows > 1)
			tui_put(t, sy, 2, "（上面还有）", d->labelw, tui_attr_dim(t));
		if (focused && r == tv.cursor_row && !d->fm->readonly)
			tui_cursor(t, sy, d->wx + tv.cursor_col);
		else if (focused && r == 0 && d->fm->readonly)
			tui_cursor(t, sy, d->wx);
	}
	free(buf);
}

static bool
entry_grid_bad(const struct entry_item *it)
{
	size_t k, j;

	if (it->err != NULL)
		return true;
	for (k = 0; k < it->nrows; k++)
		for (j = 0; j < it->ff->nsub; j++)
			if (it->rows[k].cells[j].err != NULL)
				return true;
	return false;
}

static void
entry_draw_grid(struct entry_paint *d, struct entry_item *it, bool focused)
{
	struct tui *t = d->t;
	const struct form_field *ff = it->ff;
	int *cw = xcalloc(ff->nsub ? ff->nsub : 1, sizeof *cw);
	int gx = 2, numw = 4, sy, x;
	size_t k, j;
	char *s;

	entry_grid_widths(ff, d->w - gx - numw - 1, cw);
	sy = entry_line(d, it->y);
	if (sy >= 0) {
		entry_draw_label(d, sy, ff, entry_grid_bad(it), focused);
		x = 2 + (int)text_width(ff->label, TEXT_SCREEN);
		if (x > 2 + d->labelw)
			x = 2 + d->labelw;
		s = xasprintf("（表格，%zu 行）", it->nrows);
		x += tui_put(t, sy, x, s, d->w - x - 1, tui_attr_dim(t));
		free(s);
		if (it->err != NULL)
			entry_draw_err(d, sy, x + 1, it->err);
	}
	sy = entry_line(d, it->y + 1);
	if (sy >= 0) {
		tui_put(t, sy, gx, "序号", numw, tui_attr_dim(t));
		x = gx + numw;
		for (j = 0; j < ff->nsub; j++) {
			s = xasprintf("%s%s", ff->sub[j].required ? "*" : "",
			    ff->sub[j].label);
			tui_put_pad(t, sy, x + 1, s, cw[j], TEXT_LEFT, A_BOLD);
			free(s);
			x += cw[j] + 1;
		}
	}
	if (it->nrows == 0) {
		sy = entry_line(d, it->y + 2);
		if (sy >= 0) {
			int attr = focused ? tui_attr_select(t) :
			    tui_attr_dim(t);

			tui_put_pad(t, sy, gx + numw + 1,
			    "（还没有内容，按 F7 添加一行）", 32, TEXT_LEFT, attr);
			if (focused)
				tui_cursor(t, sy, gx + numw + 1);
		}
	}
	for (k = 0; k < it->nrows; k++) {
		bool currow = focused && k == d->fm->row;

		sy = entry_line(d, it->y + 2 + (int)k);
		if (sy < 0)
			continue;
		s = xasprintf("%zu", k + 1);
		tui_put_pad(t, sy, gx, s, numw - 1, TEXT_RIGHT,
		    currow ? (int)A_BOLD : tui_attr_dim(t));
		free(s);
		x = gx + numw;
		for (j = 0; j < ff->nsub; j++) {
			struct cell *c = &it->rows[k].cells[j];
			bool fc = currow && j == d->fm->col;

			if (fc && c->kind == CK_AREA && !d->fm->readonly) {
				d->overlay = true;
				d->ov_line = sy;
				d->ov_x = x + 1;
				d->ov_w = cw[j];
				d->ov_cell = c;
			}
			entry_draw_cell(d, c, sy, x + 1, cw[j], fc, true);
			x += cw[j] + 1;
		}
	}
	free(cw);
}

/* A long-text cell of a grid is edited in a box over the grid, below
 * its row when there is room, else above. */
static void
entry_draw_overlay(struct entry_paint *d)
{
	struct tui *t = d->t;
	struct cell *c = d->ov_cell;
	struct textarea_view tv;
	int rows = FORM_AREA_ROWS, bw, bh, bx, by, r;
	wchar_t *buf;
	char *title;

	bw = d->ov_w + 2 < 52 ? 52 : d->ov_w + 2;
	if (bw > d->w - 2)
		bw = d->w - 2;
	bh = rows + 2;
	bx = d->ov_x - 1;
	if (bx + bw > d->w - 1)
		bx = d->w - 1 - bw;
	if (bx < 0)
		bx = 0;
	by = d->ov_line + 1;
	if (by + bh > d->y0 + d->view)
		by = d->ov_line - bh;
	if (by < d->y0)
		by = d->y0;
	tui_box(t, by, bx, bh, bw);
	title = xasprintf(" %s（回车换行，Tab 结束） ", c->ff->label);
	tui_put(t, by, bx + 2, title, bw - 4, A_BOLD);
	free(title);
	buf = xcalloc((size_t)rows * (size_t)(bw - 1), sizeof *buf);
	textarea_layout(&c->ta, bw - 2, rows, buf, &tv);
	for (r = 0; r < rows; r++)
		tui_put_wcs(t, by + 1 + r, bx + 1, buf + (size_t)r *
		    (size_t)(bw - 1), bw - 2, A_NORMAL);
	free(buf);
	tui_cursor(t, by + 1 + tv.cursor_row, bx + 1 + tv.cursor_col);
}

/* The last line of the work area: what the keys do here. */
static void
entry_draw_hints(struct entry_paint *d, int sy)
{
	struct entry *fm = d->fm;
	struct cell *c = entry_cell(fm);
	const char *hint;
	char *right;
	int rw;

	if (fm->readonly)
		hint = "只读：只能查看，不能修改。上下箭头查看各栏，Esc 返回。";
	else if (entry_in_grid(fm) && (c == NULL || c->kind != CK_AREA))
		hint = "* 为必填。表格：F7 加一行，F8 删除当前行，Shift+上下箭头 移动行。";
	else if (c != NULL && c->kind == CK_AREA)
		hint = "* 为必填。可以写多行：回车换行，Tab 到下一栏，F2 保存。";
	else if (c != NULL && c->kind == CK_CHOICE &&
	    c->ff->type == FT_MULTIENUM)
		hint = "* 为必填。回车或 F5 打开列表，空格勾选多项；Delete 清空。";
	else if (c != NULL && c->kind == CK_CHOICE)
		hint = "* 为必填。回车或 F5 打开列表，直接打字可查找；Delete 清空。";
	else
		hint = "* 为必填。回车或 Tab 到下一栏，F2 保存，Esc 返回。";
	right = xasprintf("%s%s%s", fm->overwrite && !fm->readonly ?
	    " 改写" : "", fm->scroll > 0 ? " 上面还有" : "",
	    fm->scroll + d->view < fm->total ? " 下面还有" : "");
	rw = (int)text_width(right, TEXT_SCREEN);
	tui_put(d->t, sy, 1, hint, d->w - rw - 3, tui_attr_dim(d->t));
	if (rw > 0)
		tui_put(d->t, sy, d->w - rw - 1, right, rw, A_BOLD);
	free(right);
}

static void
entry_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct entry *fm = self;
	struct entry_paint d;
	size_t i;

	memset(&d, 0, sizeof d);
	d.t = t;
	d.fm = fm;
	d.y0 = y;
	d.view = h - 1;
	d.w = w;
	d.labelw = entry_label_width(fm);
	d.wx = 2 + d.labelw + 2;
	fm->page = d.view;
	fm->total = entry_layout(fm, d.view);
	if (fm->n == 0) {
		tui_put(t, y, 2, "这张表没有栏目。", w - 4, A_NORMAL);
		return;
	}
	entry_scroll_to_focus(fm, d.view);
	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		bool focused = i == fm->cur;
		int sy, ww;

		if (it->y + it->h <= fm->scroll || it->y >= fm->scroll + d.view)
			continue;
		if (it->ff->type == FT_ROWS) {
			entry_draw_grid(&d, it, focused);
			continue;
		}
		if (it->ff->type == FT_LONGTEXT) {
			entry_draw_area(&d, it, focused);
			continue;
		}
		sy = entry_line(&d, it->y);
		if (sy < 0)
			continue;
		entry_draw_label(&d, sy, it->ff, it->c.err != NULL, focused);
		ww = entry_widget_width(it, w - d.wx - 1);
		entry_draw_cell(&d, &it->c, sy, d.wx, ww, focused, false);
		entry_draw_err(&d, sy, d.wx + ww + 2, it->c.err);
	}
	if (d.overlay)
		entry_draw_overlay(&d);
	entry_draw_hints(&d, y + h - 1);
}

/* ----------------------------------------------------------- pickers */

static bool
entry_where_ok(const struct form_field *ff, const struct record *r)
{
	const char *v, *p, *e;
	size_t i;

	if (ff->where_field == NULL)
		return true;
	v = record_get(r, ff->where_field);
	if (v == NULL)
		return false;
	for (p = v; ; p = e + 1) {
		size_t n = strcspn(p, ",");

		e = p + n;
		for (i = 0; i < ff->nwhere; i++)
			if (strlen(ff->where_values[i]) == n &&
			    strncmp(p, ff->where_values[i], n) == 0)
				return true;
		if (*e == '\0')
			return false;
	}
}

/* How a candidate record reads in the picker: its title, and as a note
 * what `where` looked at (党支部, 党小组 ...) or its number. */
static void
entry_ref_item(struct tui *t, const struct form_field *ff,
    const struct form *tf, const struct record *r,
    struct tui_picker_list *out)
{
	const struct form_field *tt = tf->title ?
	    form_field_find(tf, tf->title) : NULL;
	const struct form_field *wf = ff->where_field ?
	    form_field_find(tf, ff->where_field) : NULL;
	const char *title = tt ? record_get(r, tt->id) : NULL;
	char code[24], *label, *note;

	snprintf(code, sizeof code, "%llu", (unsigned long long)r->id);
	if (title != NULL && *title != '\0')
		label = tt->type == FT_TEXT ? xstrdup(title) :
		    form_value_display(t->fs, tt, title, tui_lookup, t);
	else
		label = xasprintf("（编号 %s）", code);
	if (wf != NULL && record_get(r, wf->id) != NULL)
		note = form_value_display(t->fs, wf, record_get(r, wf->id),
		    NULL, NULL);
	else {
		/* People share names: what they belong to tells them
		 * apart (the first reference the record holds). */
		const struct form_field *rf = NULL;
		char *d;
		size_t i;

		for (i = 0; i < tf->nfields && rf == NULL; i++)
			if (tf->fields[i].type == FT_REF &&
			    record_get(r, tf->fields[i].id) != NULL)
				rf = &tf->fields[i];
		if (rf == NULL)
			note = xasprintf("编号 %s", code);
		else {
			d = form_value_display(t->fs, rf,
			    record_get(r, rf->id), tui_lookup, t);
			note = xasprintf("%s  编号 %s", d, code);
			free(d);
		}
	}
	tui_picker_list_add(out, code, label, note);
	free(label);
	free(note);
}

struct entry_ref_all {
	struct tui		*t;
	const struct form_field	*ff;
	struct tui_picker_list	*out;
};

static int
entry_ref_all_cb(void *arg, const struct form *f, const struct record *r)
{
	struct entry_ref_all *ra = arg;

	if (entry_where_ok(ra->ff, r))
		entry_ref_item(ra->t, ra->ff, f, r, ra->out);
	return 0;
}

/* The model's problems (model_check) with the record as the form shows
 * it and field `item` set to id ("" = empty). */
static void
entry_model_problems(struct tui *t, struct entry *fm, struct record *draft,
    size_t item, const char *id, struct strlist *probs)
{
	record_set(draft, fm->items[item].ff->id, *id ? id : NULL);
	strlist_init(probs);
	model_check(t->fs, fm->f->kind, draft, tui_lookup, t, probs);
}

/* Whether the model's rules want field `item` filled in: they object
 * to it being empty. */
static bool
entry_model_needs(struct tui *t, struct entry *fm, struct record *draft,
    size_t item)
{
	struct strlist probs;
	size_t i, where, row, col;
	bool is_cell, need = false;

	entry_model_problems(t, fm, draft, item, "", &probs);
	for (i = 0; i < probs.n; i++)
		if (entry_locate(fm, probs.v[i], &where, &row, &col,
		    &is_cell) && where == item)
			need = true;
	strlist_free(&probs);
	return need;
}

/* Whether choosing id for field `item` brings a problem the record does
 * not have with the field empty, wherever the rules report it (a
 * 党支部 that is not the chosen 党小组's is reported at the 党小组). */
static bool
entry_model_rejects(struct tui *t, struct entry *fm, struct record *draft,
    size_t item, const char *id, const struct strlist *base)
{
	struct strlist probs;
	size_t i, j;
	bool bad = false;

	entry_model_problems(t, fm, draft, item, id, &probs);
	for (i = 0; i < probs.n && !bad; i++) {
		bad = true;
		for (j = 0; j < base->n; j++)
			if (strcmp(probs.v[i], base->v[j]) == 0)
				bad = false;
	}
	strlist_free(&probs);
	return bad;
}

/* Every candidate of a reference to a small kind: the records that
 * satisfy `where` and, for a top-level field, that the model rules accept
 * together with what the form holds now (a 党小组 of the chosen 党支部).
 * With !whole only the fields above this one count, so that a choice
 * made further down never hides the candidates of one above it (a wrong
 * 党小组 must not keep the user from changing the 党支部).  When the rules
 * would leave nothing, every `where` candidate is given.  Returns CX_OK
 * or CX_ERR with a message. */
static int
entry_ref_candidates(struct tui *t, struct entry *fm, size_t item,
    const struct form_field *ff, bool whole, struct tui_picker_list *out,
    char **errp)
{
	const struct form *tf = ff->ref_form ? ff->ref_form :
	    formset_find(t->fs, ff->ref_kind);
	struct entry_ref_all ra = { t, ff, NULL };
	struct tui_picker_list all;
	struct strlist base;
	struct record *draft;
	size_t i;

	if (tf == NULL)
		return err_set(errp, "找不到「%s」引用的记录种类。", ff->label);
	tui_picker_list_init(&all);
	ra.out = &all;
	if (store_foreach(t->st, tf, entry_ref_all_cb, &ra, errp) != CX_OK) {
		tui_picker_list_clear(&all);
		return CX_ERR;
	}
	if (fm->items[item].ff != ff || all.n == 0) {
		*out = all;
		return CX_OK;
	}
	(void)entry_build(fm, false, &draft, NULL);
	for (i = item + 1; !whole && i < fm->n; i++)
		record_remove(draft, fm->items[i].ff->id);
	entry_model_problems(t, fm, draft, item, "", &base);
	for (i = 0; i < all.n; i++)
		if (!entry_model_rejects(t, fm, draft, item, all.v[i].code,
		    &base))
			tui_picker_list_add(out, all.v[i].code, all.v[i].label,
			    all.v[i].note);
	strlist_free(&base);
	record_free(draft);
	if (out->n == 0)
		*out = all;
	else
		tui_picker_list_clear(&all);
	return CX_OK;
}

/* A reference to a large kind: searched by the prefix of the title on
 * its index, a batch at a time. */
struct entry_ref_src {
	struct tui		*t;
	const struct form	*tf;
	const struct form_field	*ff;
	const char		*title;		/* title field id */
	bool			 indexed;
	char			*prefix;
	char			*key;		/* last index key passed */
	uint64_t		 id;		/* last id passed */
	bool			 started, ended;
	/* The batch being filled. */
	struct tui_picker_list	*out;
	size_t			 max, added, seen;
	bool			 full;
};

static int
entry_ref_take(struct entry_ref_src *rs, const struct record *r)
{
	if (entry_where_ok(rs->ff, r)) {
		entry_ref_item(rs->t, rs->ff, rs->tf, r, rs->out);
		rs->added++;
	}
	rs->seen++;
	if (rs->added >= rs->max || rs->seen >= FORM_SCAN_LIMIT) {
		rs->full = true;
		return 1;
	}
	return 0;
}

static int
entry_ref_index_cb(void *arg, const struct form *f, const char *key,
    const struct record *r)
{
	struct entry_ref_src *rs = arg;

	(void)f;
	if (*rs->prefix != '\0' &&
	    strncmp(key, rs->prefix, strlen(rs->prefix)) != 0) {
		rs->ended = true;
		return 1;
	}
	free(rs->key);
	rs->key = xstrdup(key);
	rs->id = r->id;
	return entry_ref_take(rs, r);
}

/* Without an index on the title: id order, matching anywhere. */
static int
entry_ref_scan_cb(void *arg, const struct form *f, const struct record *r)
{
	struct entry_ref_src *rs = arg;
	const char *title = record_get(r, rs->title);

	(void)f;
	rs->id = r->id;
	if (!tui_picker_match(title ? title : "", rs->prefix)) {
		if (++rs->seen >= FORM_SCAN_LIMIT) {
			rs->full = true;
			return 1;
		}
		return 0;
	}
	return entry_ref_take(rs, r);
}

static int
entry_ref_fetch(void *arg, const char *filter, bool restart, size_t max,
    struct tui_picker_list *out, bool *more, char **errp)
{
	struct entry_ref_src *rs = arg;
	int rc;

	if (restart) {
		free(rs->prefix);
		rs->prefix = text_trim(filter);
		free(rs->key);
		rs->key = NULL;
		rs->id = 0;
		rs->started = rs->ended = false;
	}
	*more = false;
	if (rs->ended)
		return CX_OK;
	rs->out = out;
	rs->max = max;
	rs->added = rs->seen = 0;
	rs->full = false;
	if (!rs->indexed)
		rc = store_scan(rs->t->st, rs->tf, rs->id, 1, 0,
		    entry_ref_scan_cb, rs, errp);
	else if (rs->started)
		rc = store_index_scan(rs->t->st, rs->tf, rs->title, rs->key,
		    rs->id, 0, 1, 0, entry_ref_index_cb, rs, errp);
	else if (*rs->prefix != '\0')
		rc = store_index_scan(rs->t->st, rs->tf, rs->title, rs->prefix,
		    0, STORE_SCAN_PREFIX, 1, 0, entry_ref_index_cb, rs, errp);
	else
		rc = store_index_scan(rs->t->st, rs->tf, rs->title, NULL, 0, 0,
		    1, 0, entry_ref_index_cb, rs, errp);
	rs->started = true;
	if (rc != CX_OK)
		return CX_ERR;
	if (!rs->full)
		rs->ended = true;
	*more = !rs->ended;
	return CX_OK;
}

static void
entry_ref_src_free(void *arg)
{
	struct entry_ref_src *rs = arg;

	free(rs->prefix);
	free(rs->key);
	free(rs);
}

static void entry_fill_obvious(struct tui *t, struct entry *fm,
    bool baseline);

/* The picker said what was chosen: store it in the cell it was opened
 * for, and move on as Enter does. */
static void
entry_picked(struct tui *t, void *arg, const struct strlist *codes)
{
	struct entry *fm = arg;
	struct cell *c;
	struct buf b;
	char *canon = NULL, *err = NULL;
	size_t i;

	if (codes == NULL)
		return;
	c = entry_cell_at(fm, fm->pick_cur, fm->pick_row, fm->pick_col);
	if (c == NULL)
		return;
	buf_init(&b);
	buf_addstr(&b, "");
	for (i = 0; i < codes->n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_addstr(&b, codes->v[i]);
	}
	if (form_input_value(c->ff, b.s, &canon, &err) != CX_OK) {
		tui_error_take(t, err);
		buf_free(&b);
		return;
	}
	buf_free(&b);
	if (strcmp(canon, c->value) != 0) {
		cell_set_choice(t, c, canon);
		fm->changed = true;
	}
	free(canon);
	cell_set_err(c, NULL);
	entry_step(t, fm, 1);
	if (c->ff->type == FT_REF || c->ff->type == FT_ENUM)
		entry_fill_obvious(t, fm, false);
}

/* Opens the picker for the focused choice cell; filter is what the user
 * started typing, or NULL. */
static void
entry_pick(struct tui *t, struct entry *fm, const char *filter)
{
	struct cell *c = entry_cell(fm);
	const struct form_field *ff;
	struct tui_picker_spec sp;
	struct tui_picker_list items;
	struct strlist sel;
	char *title, *err = NULL;
	size_t i, count = 0;

	if (c == NULL || c->kind != CK_CHOICE)
		return;
	ff = c->ff;
	memset(&sp, 0, sizeof sp);
	tui_picker_list_init(&items);
	strlist_init(&sel);
	if (ff->type == FT_MULTIENUM) {
		const char *p, *e;

		for (p = c->value; *p != '\0'; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			if (e > p) {
				char *code = xstrndup(p, (size_t)(e - p));

				strlist_take(&sel, code);
			}
		}
	} else
		strlist_add(&sel, c->value);
	switch (ff->type) {
	case FT_ENUM:
	case FT_MULTIENUM:
		for (i = 0; i < ff->nopts; i++)
			tui_picker_list_add(&items, ff->opts[i].code,
			    ff->opts[i].label, NULL);
		break;
	case FT_BOOL:
		tui_picker_list_add(&items, "1", "是", NULL);
		tui_picker_list_add(&items, "0", "否", NULL);
		break;
	case FT_REF: {
		const struct form *tf = ff->ref_form ? ff->ref_form :
		    formset_find(t->fs, ff->ref_kind);

		if (tf == NULL ||
		    store_count(t->st, tf, &count, &err) != CX_OK) {
			tui_error_take(t, err ? err :
			    xasprintf("找不到「%s」引用的记录种类。", ff->label));
			goto out;
		}
		if (count <= FORM_PICK_ALL_MAX) {
			if (entry_ref_candidates(t, fm, fm->cur, ff, false,
			    &items, &err) != CX_OK) {
				tui_error_take(t, err);
				goto out;
			}
		} else {
			struct entry_ref_src *rs = xcalloc(1, sizeof *rs);

			rs->t = t;
			rs->tf = tf;
			rs->ff = ff;
			rs->title = tf->title;
			rs->indexed = tf->title != NULL &&
			    store_field_indexed(t->st, tf, tf->title);
			rs->prefix = xstrdup("");
			sp.fetch = entry_ref_fetch;
			sp.fetch_arg = rs;
			sp.fetch_free = entry_ref_src_free;
			if (rs->indexed)
				sp.help = "可选的记录很多：请输入名称的开头几个字查找，"
				    "上下箭头选中后按回车；Esc 取消。";
		}
		break;
	}
	default:
		goto out;
	}
	if (entry_in_grid(fm))
		title = xasprintf("选择%s第%zu行的%s",
		    fm->items[fm->cur].ff->label, fm->row + 1, ff->label);
	else
		title = xasprintf("选择%s", ff->label);
	sp.title = title;
	sp.multi = ff->type == FT_MULTIENUM;
	sp.items = sp.fetch ? NULL : &items;
	sp.filter = filter;
	sp.selected = &sel;
	sp.none_label = ff->required || sp.multi ? NULL : "（不填，留空）";
	sp.done = entry_picked;
	sp.done_arg = fm;
	sp.anchor_y = fm->focus_y;
	sp.anchor_x = fm->focus_x;
	fm->pick_cur = fm->cur;
	fm->pick_row = fm->row;
	fm->pick_col = fm->col;
	tui_picker_open(t, &sp);
	free(title);
out:
	tui_picker_list_clear(&items);
	strlist_free(&sel);
}

/* No question the program can answer itself: an empty reference that
 * must be filled (by the form or by the model rules) and has exactly one
 * possible record is filled in, on a new record (baseline: as if it had
 * been there all along) and after every choice (a 党小组 tells its
 * 党支部). */
static void
entry_fill_obvious(struct tui *t, struct entry *fm, bool baseline)
{
	struct buf filled;
	size_t i, count;

	buf_init(&filled);

	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		const struct form_field *ff = it->ff;
		const struct form *tf;
		struct tui_picker_list cand;
		struct record *draft;
		char *err = NULL;
		bool needed;

		if (ff->type != FT_REF || *it->c.value != '\0')
			continue;
		tf = ff->ref_form ? ff->ref_form : formset_find(t->fs,
		    ff->ref_kind);
		if (tf == NULL ||
		    store_count(t->st, tf, &count, &err) != CX_OK ||
		    count > FORM_PICK_ALL_MAX) {
			free(err);
			continue;
		}
		needed = ff->required;
		if (!needed) {
			(void)entry_build(fm, false, &draft, NULL);
			needed = entry_model_needs(t, fm, draft, i);
			record_free(draft);
		}
		if (!needed)
			continue;
		tui_picker_list_init(&cand);
		if (entry_ref_candidates(t, fm, i, ff, true, &cand, &err) ==
		    CX_OK &&
		    cand.n == 1) {
			cell_set_choice(t, &it->c, cand.v[0].code);
			if (baseline)
				record_set(fm->orig, ff->id, cand.v[0].code);
			else {
				fm->changed = true;
				buf_addf(&filled, "%s%s「%s」",
				    filled.len ? "，" : "", ff->label,
				    it->c.shown);
			}
		}
		free(err);
		tui_picker_list_clear(&cand);
	}
	if (filled.len > 0)
		tui_info(t, "已按所选内容自动填上%s。", filled.s);
	buf_free(&filled);
}

/* ------------------------------------------------------------ saving */

/* The frame's dialogs draw their box over this screen and can cut a
 * wide character in half at its edges, which leaves curses' picture of
 * the terminal wrong; repaint everything once the dialog is gone. */
static int
entry_choose(struct tui *t, const char *title, const char *msg,
    const char *const *buttons, int n, int def)
{
	int choice = tui_choose(t, title, msg, buttons, n, def);

	clearok(curscr, TRUE);
	return choice;
}

static bool
entry_confirm(struct tui *t, const char *msg)
{
	bool yes = tui_confirm(t, msg);

	clearok(curscr, TRUE);
	return yes;
}

/* The first cell (or table) with a problem, in form order; NULL when
 * none is marked. */
static const char *
entry_first_problem(const struct entry *fm, size_t *item, size_t *row,
    size_t *col)
{
	size_t i, k, j;

	for (i = 0; i < fm->n; i++) {
		const struct entry_item *it = &fm->items[i];

		*item = i;
		*row = *col = 0;
		if (it->c.err != NULL)
			return it->c.err;
		for (k = 0; k < it->nrows; k++)
			for (j = 0; j < it->ff->nsub; j++)
				if (it->rows[k].cells[j].err != NULL) {
					*row = k;
					*col = j;
					return it->rows[k].cells[j].err;
				}
		if (it->err != NULL)
			return it->err;
	}
	return NULL;
}

/* Checks everything as `cxzy add` / `cxzy set` do and stores the record
 * when it is valid.  Returns true when saved. */
static bool
entry_save(struct tui *t, struct entry *fm)
{
	struct strlist problems, more;
	struct record *r;
	char *err = NULL;
	size_t i, first_item = 0, first_row = 0, first_col = 0;
	const char *first = NULL;
	bool isnew = fm->orig->id == 0;

	if (fm->readonly) {
		tui_error(t, "%s", FORM_READONLY_MSG);
		return false;
	}
	entry_clear_errors(fm);
	strlist_init(&problems);
	strlist_init(&more);
	(void)entry_build(fm, true, &r, &problems);
	/* The whole-record checks run also when some fields were not
	 * accepted, so that every problem shows at once; a problem about
	 * a field already marked is its echo and is dropped. */
	form_validate(fm->f, r, tui_lookup, t, &more);
	model_check(t->fs, fm->f->kind, r, tui_lookup, t, &more);
	for (i = 0; i < more.n; i++)
		if (entry_mark(fm, more.v[i])) {
			strlist_take(&problems, more.v[i]);
			more.v[i] = NULL;
		}
	strlist_free(&more);
	if (problems.n == 0 && store_put(t->st, fm->f, r, &err) != CX_OK) {
		entry_mark(fm, err);
		strlist_take(&problems, err);
	}
	if (problems.n > 0) {
		first = entry_first_problem(fm, &first_item, &first_row,
		    &first_col);
		if (first != NULL) {
			fm->cur = first_item;
			fm->row = first_row;
			fm->col = first_col;
		} else
			first = problems.v[0];
		if (problems.n == 1)
			tui_error(t, "没有保存：%s", first);
		else
			tui_error(t, "没有保存，共 %zu 处问题（栏目前标有 !）：%s",
			    problems.n, first);
		strlist_free(&problems);
		record_free(r);
		return false;
	}
	strlist_free(&problems);
	fm->changed = false;
	entry_load(t, fm, r);
	cell_cursor_end(entry_cell(fm));
	if (isnew)
		tui_info(t, "已保存（新记录编号 %llu）。",
		    (unsigned long long)r->id);
	else
		tui_info(t, "已保存。");
	return true;
}

/* Esc and Ctrl+Q: unsaved changes are saved, dropped or kept on screen,
 * as the user says. */
static bool
entry_leave(struct tui *t, void *self)
{
	static const char *const buttons[] = { "保存", "放弃", "取消" };
	struct entry *fm = self;
	char *msg;
	int choice;

	if (!entry_dirty(fm))
		return true;
	msg = xasprintf("这条%s记录的修改还没有保存。\n"
	    "选「取消」可以回到录入表继续填写。", fm->f->label);
	choice = entry_choose(t, "尚未保存", msg, buttons, 3, 0);
	free(msg);
	if (choice == 0)
		return entry_save(t, fm);
	return choice == 1;
}

/* ------------------------------------------------------------- rows */

static void
entry_row_add(struct tui *t, struct entry *fm)
{
	struct entry_item *it = &fm->items[fm->cur];
	const struct form_field *ff = it->ff;
	struct record *tmp;
	struct date today;
	size_t at;

	if (ff->type != FT_ROWS) {
		tui_error(t, "F7 用于在表格中加行，请先把光标移到表格里。");
		return;
	}
	if (ff->max_rows != 0 && it->nrows >= ff->max_rows) {
		tui_error(t, "%s最多只能有 %zu 行。", ff->label, ff->max_rows);
		return;
	}
	if (!entry_check_cell(t, fm, fm->cur, fm->row, fm->col))
		return;
	/* A new row gets the sub-fields' defaults. */
	tmp = record_new();
	record_add_row(tmp, ff->id);
	model_today(&today);
	form_apply_defaults(fm->f, tmp, &today);
	at = it->nrows == 0 ? 0 : fm->row + 1;
	it->rows = xgrow(it->rows, &it->rowcap, it->nrows + 1,
	    sizeof *it->rows);
	memmove(&it->rows[at + 1], &it->rows[at],
	    (it->nrows - at) * sizeof *it->rows);
	entry_row_init(t, &it->rows[at], ff, record_row(tmp, ff->id, 0));
	it->nrows++;
	record_free(tmp);
	free(it->err);
	it->err = NULL;
	fm->row = at;
	fm->col = 0;
	fm->changed = true;
	tui_info(t, "已在%s加了第 %zu 行。", ff->label, at + 1);
}

static void
entry_row_delete(struct tui *t, struct entry *fm)
{
	struct entry_item *it = &fm->items[fm->cur];
	char *q;

	if (it->nrows == 0) {
		tui_error(t, "%s里还没有行。要删除整条记录，请先把光标移出表格。",
		    it->ff->label);
		return;
	}
	q = xasprintf("删除%s的第 %zu 行吗？", it->ff->label, fm->row + 1);
	if (!entry_confirm(t, q)) {
		free(q);
		return;
	}
	free(q);
	entry_row_free(&it->rows[fm->row], it->ff->nsub);
	memmove(&it->rows[fm->row], &it->rows[fm->row + 1],
	    (it->nrows - fm->row - 1) * sizeof *it->rows);
	it->nrows--;
	if (fm->row >= it->nrows && fm->row > 0)
		fm->row--;
	fm->col = 0;
	fm->changed = true;
	tui_info(t, "已删除这一行（保存后生效）。");
}

static void
entry_row_move(struct tui *t, struct entry *fm, int dir)
{
	struct entry_item *it = &fm->items[fm->cur];
	struct entry_row tmp;
	long to;

	if (it->ff->type != FT_ROWS || it->nrows == 0) {
		tui_error(t, "Shift+上下箭头用于移动表格中的行。");
		return;
	}
	to = (long)fm->row + dir;
	if (to < 0 || to >= (long)it->nrows) {
		tui_info(t, dir < 0 ? "已是第一行。" : "已是最后一行。");
		return;
	}
	tmp = it->rows[fm->row];
	it->rows[fm->row] = it->rows[to];
	it->rows[to] = tmp;
	fm->row = (size_t)to;
	fm->changed = true;
}

/* F8 outside a table: the record goes to the recycle bin. */
static enum tui_result
entry_delete_record(struct tui *t, struct entry *fm)
{
	char *title, *q, *err = NULL;
	const struct form_field *tt = fm->f->title ?
	    form_field_find(fm->f, fm->f->title) : NULL;

	if (fm->orig->id == 0) {
		tui_info(t, "这条记录还没有保存过，不用删除。"
		    "不要了就按 Esc，选「放弃」。");
		return TR_STAY;
	}
	title = tt && record_get(fm->orig, tt->id) ?
	    form_value_display(t->fs, tt, record_get(fm->orig, tt->id),
	    tui_lookup, t) : xasprintf("编号 %llu",
	    (unsigned long long)fm->orig->id);
	q = xasprintf("把%s「%s」移入回收站吗？\n以后可以在「数据维护」的回收站里恢复。",
	    fm->f->label, title);
	if (!entry_confirm(t, q)) {
		free(q);
		free(title);
		return TR_STAY;
	}
	free(q);
	if (store_delete(t->st, fm->f, fm->orig->id, &err) != CX_OK) {
		tui_error_take(t, err);
		free(title);
		return TR_STAY;
	}
	tui_info(t, "已把%s「%s」移入回收站。", fm->f->label, title);
	free(title);
	return TR_POP;
}

/* -------------------------------------------------------------- keys */

static bool
entry_refuse(struct tui *t, struct entry *fm)
{
	if (!fm->readonly)
		return false;
	tui_error(t, "%s", FORM_READONLY_MSG);
	return true;
}

/* Pasted text arrives as keys.  An Enter with a printable character
 * already waiting right behind it is a line break inside pasted text,
 * not the user moving to the next field: returns true and that
 * character in *next.  Anything else that was waiting (an arrow key) is
 * pushed back for the main loop. */
static bool
entry_paste_follows(wchar_t *next)
{
	struct pollfd pfd;
	wint_t wc = 0;
	int rc;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & POLLIN) == 0)
		return false;
	nodelay(stdscr, TRUE);
	rc = get_wch(&wc);
	nodelay(stdscr, FALSE);
	if (rc == OK && wc >= 0x20 && wc != 0x7f &&
	    !(wc >= 0x80 && wc < 0xa0)) {
		*next = (wchar_t)wc;
		return true;
	}
	if (rc == KEY_CODE_YES)
		ungetch((int)wc);
	else if (rc == OK)
		unget_wch((wchar_t)wc);
	return false;
}

static void
entry_refused_char(struct tui *t, const struct form_field *ff, bool full,
    size_t maxlen)
{
	if (full)
		tui_error(t, "%s最多 %zu 个字。", ff->label, maxlen);
	else
		tui_error(t, "这个字符不能录入（控制字符、私用区字符等）。");
}

static void
entry_key_edit(struct tui *t, struct entry *fm, struct cell *c,
    enum tui_action a, wchar_t wc)
{
	struct edit *e = &c->ed;
	wchar_t next;
	bool ch = false;

	switch (a) {
	case TA_CHAR:
		if (entry_refuse(t, fm))
			return;
		e->overwrite = fm->overwrite;
		if (edit_insert(e, wc))
			ch = true;
		else
			entry_refused_char(t, c->ff, e->maxlen > 0 &&
			    e->len >= e->maxlen, e->maxlen);
		break;
	case TA_ENTER:
		if (!fm->readonly && entry_paste_follows(&next)) {
			/* A line break becomes a space, as edit_insert_wcs
			 * pastes it. */
			e->overwrite = fm->overwrite;
			if (e->cursor > 0 && e->text[e->cursor - 1] != L' ' &&
			    next != L' ')
				ch |= edit_insert(e, L' ');
			ch |= edit_insert(e, next);
			break;
		}
		entry_step(t, fm, 1);
		break;
	case TA_BACKSPACE:
		if (!entry_refuse(t, fm))
			ch = edit_backspace(e);
		break;
	case TA_DELCHAR:
		if (!entry_refuse(t, fm))
			ch = edit_delete(e);
		break;
	case TA_KILL:
		if (!entry_refuse(t, fm))
			ch = edit_kill_line(e);
		break;
	case TA_KILL_END:
		if (!entry_refuse(t, fm))
			ch = edit_kill_to_end(e);
		break;
	case TA_LEFT:
		if (!edit_left(e) && entry_in_grid(fm) && fm->col > 0)
			entry_step(t, fm, -1);
		break;
	case TA_RIGHT:
		if (!edit_right(e) && entry_in_grid(fm) &&
		    fm->col + 1 < fm->items[fm->cur].ff->nsub)
			entry_step(t, fm, 1);
		break;
	case TA_HOME:
		edit_home(e);
		break;
	case TA_END:
		edit_end(e);
		break;
	case TA_UP:
		entry_vert(t, fm, -1);
		break;
	case TA_DOWN:
		entry_vert(t, fm, 1);
		break;
	case TA_PGUP:
		entry_page(t, fm, -1);
		break;
	case TA_PGDN:
		entry_page(t, fm, 1);
		break;
	default:
		break;
	}
	if (ch)
		fm->changed = true;
}

static void
entry_key_area(struct tui *t, struct entry *fm, struct cell *c,
    enum tui_action a, wchar_t wc)
{
	struct textarea *ta = &c->ta;
	bool ch = false;

	switch (a) {
	case TA_CHAR:
		if (entry_refuse(t, fm))
			return;
		if (!edit_char_ok(wc)) {
			entry_refused_char(t, c->ff, false, 0);
			break;
		}
		if (fm->overwrite && ta->cursor < ta->len &&
		    ta->text[ta->cursor] != L'\n')
			ch = textarea_delete(ta);
		if (textarea_insert(ta, wc))
			ch = true;
		else
			entry_refused_char(t, c->ff, true, ta->maxlen);
		break;
	case TA_ENTER:
		if (entry_refuse(t, fm))
			return;
		if (textarea_insert(ta, L'\n'))
			ch = true;
		else
			entry_refused_char(t, c->ff, true, ta->maxlen);
		break;
	case TA_BACKSPACE:
		if (!entry_refuse(t, fm))
			ch = textarea_backspace(ta);
		break;
	case TA_DELCHAR:
		if (!entry_refuse(t, fm))
			ch = textarea_delete(ta);
		break;
	case TA_KILL:
		/* To the start of the paragraph, as Ctrl+U does in a line. */
		if (entry_refuse(t, fm))
			return;
		while (ta->cursor > 0 && ta->text[ta->cursor - 1] != L'\n')
			ch |= textarea_backspace(ta);
		break;
	case TA_KILL_END:
		if (entry_refuse(t, fm))
			return;
		while (ta->cursor < ta->len && ta->text[ta->cursor] != L'\n')
			ch |= textarea_delete(ta);
		break;
	case TA_LEFT:
		textarea_left(ta);
		break;
	case TA_RIGHT:
		textarea_right(ta);
		break;
	case TA_HOME:
		textarea_line_home(ta);
		break;
	case TA_END:
		textarea_line_end(ta);
		break;
	case TA_UP:
		if (!textarea_up(ta))
			entry_vert(t, fm, -1);
		break;
	case TA_DOWN:
		if (!textarea_down(ta))
			entry_vert(t, fm, 1);
		break;
	case TA_PGUP:
		if (!textarea_page_up(ta))
			entry_page(t, fm, -1);
		break;
	case TA_PGDN:
		if (!textarea_page_down(ta))
			entry_page(t, fm, 1);
		break;
	default:
		break;
	}
	if (ch)
		fm->changed = true;
}

static void
entry_key_choice(struct tui *t, struct entry *fm, struct cell *c,
    enum tui_action a, wchar_t wc)
{
	char s[8];

	switch (a) {
	case TA_ENTER:
		if (fm->readonly)
			entry_step(t, fm, 1);
		else
			entry_pick(t, fm, NULL);
		break;
	case TA_CHAR:
		if (entry_refuse(t, fm))
			return;
		if (wc == L' ' || c->ff->type == FT_MULTIENUM) {
			entry_pick(t, fm, NULL);
			break;
		}
		s[text_utf8_encode((uint32_t)wc, s)] = '\0';
		entry_pick(t, fm, s);
		break;
	case TA_BACKSPACE:
	case TA_DELCHAR:
	case TA_KILL:
	case TA_KILL_END:
		if (entry_refuse(t, fm))
			return;
		if (*c->value != '\0') {
			cell_set_choice(t, c, "");
			fm->changed = true;
			tui_info(t, "已清空%s。", c->ff->label);
		}
		break;
	case TA_LEFT:
		if (entry_in_grid(fm) && fm->col > 0)
			entry_step(t, fm, -1);
		break;
	case TA_RIGHT:
		if (entry_in_grid(fm) &&
		    fm->col + 1 < fm->items[fm->cur].ff->nsub)
			entry_step(t, fm, 1);
		break;
	case TA_UP:
		entry_vert(t, fm, -1);
		break;
	case TA_DOWN:
		entry_vert(t, fm, 1);
		break;
	case TA_PGUP:
		entry_page(t, fm, -1);
		break;
	case TA_PGDN:
		entry_page(t, fm, 1);
		break;
	default:
		break;
	}
}

static enum tui_result
entry_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct entry *fm = self;
	struct cell *c;

	if (fm->n == 0)
		return a == TA_BACK ? TR_POP : TR_STAY;
	c = entry_cell(fm);
	switch (a) {
	case TA_SAVE:
		entry_save(t, fm);
		return TR_STAY;
	case TA_BACK:
		return entry_leave(t, fm) ? TR_POP : TR_STAY;
	case TA_DELETE:
		if (entry_refuse(t, fm))
			return TR_STAY;
		if (entry_in_grid(fm)) {
			entry_row_delete(t, fm);
			return TR_STAY;
		}
		return entry_delete_record(t, fm);
	case TA_ROW_ADD:
		if (!entry_refuse(t, fm))
			entry_row_add(t, fm);
		return TR_STAY;
	case TA_ROW_UP:
	case TA_ROW_DOWN:
		if (!entry_refuse(t, fm))
			entry_row_move(t, fm, a == TA_ROW_UP ? -1 : 1);
		return TR_STAY;
	case TA_NEXT:
		entry_step(t, fm, 1);
		return TR_STAY;
	case TA_PREV:
		entry_step(t, fm, -1);
		return TR_STAY;
	case TA_INSERT:
		if (entry_refuse(t, fm))
			return TR_STAY;
		fm->overwrite = !fm->overwrite;
		tui_info(t, fm->overwrite ?
		    "改写方式：输入的字替换光标处的字。再按 Insert 回到插入方式。" :
		    "插入方式：输入的字插在光标处。");
		return TR_STAY;
	case TA_PICK:
		if (c != NULL && c->kind == CK_CHOICE) {
			if (!entry_refuse(t, fm))
				entry_pick(t, fm, NULL);
		} else if (c != NULL)
			tui_info(t, "%s直接输入，不用选择。F5 用于有可选项的栏目。",
			    c->ff->label);
		return TR_STAY;
	default:
		break;
	}
	if (c == NULL) {
		/* A grid without rows. */
		switch (a) {
		case TA_UP:
			entry_vert(t, fm, -1);
			break;
		case TA_DOWN:
			entry_vert(t, fm, 1);
			break;
		case TA_ENTER:
			entry_step(t, fm, 1);
			break;
		case TA_PGUP:
			entry_page(t, fm, -1);
			break;
		case TA_PGDN:
			entry_page(t, fm, 1);
			break;
		case TA_CHAR:
			if (!entry_refuse(t, fm))
				tui_info(t, "%s里还没有行，按 F7 添加一行。",
				    fm->items[fm->cur].ff->label);
			break;
		default:
			break;
		}
		return TR_STAY;
	}
	switch (c->kind) {
	case CK_EDIT:
		entry_key_edit(t, fm, c, a, wc);
		break;
	case CK_AREA:
		entry_key_area(t, fm, c, a, wc);
		break;
	case CK_CHOICE:
		entry_key_choice(t, fm, c, a, wc);
		break;
	}
	return TR_STAY;
}

/* ------------------------------------------------------------ frame */

static const enum tui_action *
entry_get_actions(struct tui *t, void *self)
{
	(void)t;
	return ((struct entry *)self)->acts;
}

static enum tui_keymode
entry_keymode(struct tui *t, void *self)
{
	struct entry *fm = self;
	struct cell *c = fm->n ? entry_cell(fm) : NULL;

	(void)t;
	if (fm->readonly || c == NULL || c->kind == CK_CHOICE)
		return TK_LIST;
	return TK_TEXT;
}

static char *
entry_heading(struct tui *t, void *self)
{
	struct entry *fm = self;
	const struct form_field *tt = fm->f->title ?
	    form_field_find(fm->f, fm->f->title) : NULL;
	const char *tv = tt ? record_get(fm->orig, tt->id) : NULL;
	char *title, *s;

	if (fm->orig->id == 0)
		return xasprintf("新建%s%s", fm->f->label,
		    fm->changed ? "（未保存）" : "");
	title = tv && *tv ? form_value_display(t->fs, tt, tv, tui_lookup, t) :
	    xstrdup("");
	if (fm->readonly)
		s = xasprintf("查看%s：%s（编号 %llu，只读）", fm->f->label, title,
		    (unsigned long long)fm->orig->id);
	else
		s = xasprintf("%s：%s（编号 %llu）%s", fm->f->label, title,
		    (unsigned long long)fm->orig->id,
		    fm->changed ? "（有修改，未保存）" : "");
	free(title);
	return s;
}

/* The status line when nothing else is said: the focused field's help,
 * with 必填 in front when it must be filled in. */
static const char *
entry_help_line(struct tui *t, void *self)
{
	struct entry *fm = self;
	struct cell *c;
	const struct form_field *ff;
	char *dflt = NULL, *where = NULL;

	(void)t;
	if (fm->n == 0)
		return NULL;
	c = entry_cell(fm);
	ff = c ? c->ff : fm->items[fm->cur].ff;
	if (ff->help == NULL) {
		switch (ff->type) {
		case FT_TEXT:
			dflt = ff->maxlen ? xasprintf("最多 %zu 个字。", ff->maxlen) :
			    xstrdup("");
			break;
		case FT_LONGTEXT:
			dflt = ff->maxlen ? xasprintf("可以写多行，最多 %zu 个字。",
			    ff->maxlen) : xstrdup("可以写多行。");
			break;
		case FT_DATE:
			dflt = xstrdup("日期，可写成 2005-07-01、2005.07.01、"
			    "20050701 或 2005年7月1日。");
			break;
		case FT_MONTH:
			dflt = xstrdup("年月，可写成 1980-05 或 1980年5月。");
			break;
		case FT_INT:
			dflt = xasprintf("%lld 到 %lld 之间的整数。", ff->min,
			    ff->max);
			break;
		case FT_ENUM:
		case FT_BOOL:
			dflt = xstrdup("从列表中选择一项。");
			break;
		case FT_MULTIENUM:
			dflt = xstrdup("从列表中选择，可以选多项。");
			break;
		case FT_REF:
			dflt = xasprintf("从%s中选择。", ff->ref_form ?
			    ff->ref_form->label : ff->ref_kind);
			break;
		case FT_ROWS:
			dflt = xstrdup("表格，每行一项；按 F7 加行。");
			break;
		}
	}
	if (c != NULL && entry_in_grid(fm))
		where = xasprintf("%s第 %zu 行「%s」：",
		    fm->items[fm->cur].ff->label, fm->row + 1, ff->label);
	free(fm->help);
	fm->help = xasprintf("%s%s%s", where ? where : "",
	    ff->required ? "* 必填。" : "", ff->help ? ff->help : dflt);
	free(dflt);
	free(where);
	return fm->help;
}

static void
entry_free(void *self)
{
	struct entry *fm = self;

	entry_items_free(fm);
	record_free(fm->orig);
	free(fm->help);
	free(fm);
}

static const struct tui_screen_ops entry_ops = {
	.name = "form",
	.actions = entry_get_actions,
	.keymode = entry_keymode,
	.heading = entry_heading,
	.draw = entry_draw,
	.key = entry_key,
	.leave = entry_leave,
	.help_line = entry_help_line,
	.free = entry_free,
};

/* The keys of this form: the table keys only when it has a table, F5
 * only when something can be chosen, no editing keys when read-only. */
static void
entry_set_actions(struct entry *fm)
{
	bool rows = false, choice = false;
	size_t i, j, n = 0;

	for (i = 0; i < fm->f->nfields; i++) {
		const struct form_field *ff = &fm->f->fields[i];

		if (ff->type == FT_ROWS) {
			rows = true;
			for (j = 0; j < ff->nsub; j++)
				if (cell_kind_of(&ff->sub[j]) == CK_CHOICE)
					choice = true;
		} else if (cell_kind_of(ff) == CK_CHOICE)
			choice = true;
	}
	/* Read-only: the bar offers no key that would only be refused. */
	if (fm->readonly)
		rows = choice = false;
	else
		fm->acts[n++] = TA_SAVE;
	if (choice)
		fm->acts[n++] = TA_PICK;
	if (rows)
		fm->acts[n++] = TA_ROW_ADD;
	if (!fm->readonly)
		fm->acts[n++] = TA_DELETE;
	if (rows) {
		fm->acts[n++] = TA_ROW_UP;
		fm->acts[n++] = TA_ROW_DOWN;
	}
	fm->acts[n++] = TA_BACK;
	fm->acts[n++] = TA_NEXT;
	fm->acts[n++] = TA_PREV;
	fm->acts[n++] = TA_ENTER;
	fm->acts[n++] = TA_UP;
	fm->acts[n++] = TA_DOWN;
	fm->acts[n++] = TA_LEFT;
	fm->acts[n++] = TA_RIGHT;
	fm->acts[n++] = TA_PGUP;
	fm->acts[n++] = TA_PGDN;
	fm->acts[n++] = TA_HOME;
	fm->acts[n++] = TA_END;
	fm->acts[n++] = TA_BACKSPACE;
	fm->acts[n++] = TA_DELCHAR;
	fm->acts[n++] = TA_KILL;
	fm->acts[n++] = TA_KILL_END;
	fm->acts[n++] = TA_INSERT;
	fm->acts[n] = TA_NONE;
}

void
tui_form_open(struct tui *t, const struct form *f, uint64_t id)
{
	struct entry *fm;
	struct record *r = NULL;
	char *err = NULL;
	size_t i, k;

	if (id != 0) {
		int rc = store_get(t->st, f, id, &r, &err);

		if (rc == CX_NOTFOUND) {
			tui_error(t, "没有编号为 %llu 的%s记录（可能已经删除）。",
			    (unsigned long long)id, f->label);
			return;
		}
		if (rc != CX_OK) {
			tui_error_take(t, err);
			return;
		}
	} else {
		struct date today;

		r = record_new();
		model_today(&today);
		/* A table that needs rows starts with them, ready to fill. */
		for (i = 0; i < f->nfields; i++) {
			const struct form_field *ff = &f->fields[i];
			size_t min = ff->min_rows;

			if (ff->type != FT_ROWS)
				continue;
			if (ff->required && min == 0)
				min = 1;
			for (k = 0; k < min; k++)
				record_add_row(r, ff->id);
		}
		form_apply_defaults(f, r, &today);
	}
	fm = xcalloc(1, sizeof *fm);
	fm->f = f;
	fm->readonly = store_readonly(t->st);
	entry_set_actions(fm);
	entry_load(t, fm, r);
	cell_cursor_end(entry_cell(fm));
	if (id == 0 && !fm->readonly)
		entry_fill_obvious(t, fm, true);
	if (fm->readonly)
		tui_info(t, "%s", FORM_READONLY_MSG);
	tui_push(t, &entry_ops, fm);
}
