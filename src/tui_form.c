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
 *   period, time                  a line editor; a period reads "2026年下半年"
 *                                 and F5 offers the periods around now
 *   link                          the linked record ("附件一：办公室党支部
 *                                 2026年上半年"); Enter or F6 opens it
 *
 * What the program knows is never asked for.  An auto field shows what
 * ledger_derive() makes of the record as it stands on screen (redone
 * whenever a value changes and the focus moves), read-only and marked
 * （自动）; when its function gives nothing it is typed like any field.
 * Computed fields and computed columns of tables (form_compute) follow
 * every key.  required_if marks a field with * only while its condition
 * holds.
 *
 * Records are loaded and saved through the ledger (ledger_get,
 * ledger_save): a table whose rows are records of their own ("store")
 * saves them with the record, and F6 opens the record of the current row
 * in its own form.  A record of a locked period opens with only its
 * annotation fields editable; F9 lists the old versions of a signed
 * record.
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
 * ledger_save, which validates the whole record), marks every field
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
#define FORM_VERSION_MSG \
	"这是以前的版本，只能查看，不能修改。"

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
	bool			 derived;	/* filled in by the program */
	bool			 req;		/* must be filled in (now) */
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
	const char		*ro_msg;	/* why, when readonly */
	bool			 locked;	/* a period filed and locked */
	char			*lock_msg;
	unsigned		 version;	/* an old version shown, or 0 */
	char			*version_time;
	bool			 changed;	/* something was edited */
	bool			 need_calc;	/* computed values are stale */
	bool			 need_derive;	/* auto values are stale */
	bool			 overwrite;
	/* Where the open picker's choice goes. */
	size_t			 pick_cur, pick_row, pick_col;
	unsigned		 pending_version;	/* to show once the
							 * picker is gone */
	bool			 child_open;	/* a linked record's form is
						 * above this one */
	int			 focus_y, focus_x;	/* the focused widget */
	char			*help;
	enum tui_action		 acts[40];
};

static const struct tui_screen_ops entry_ops;

static void entry_refresh(struct tui *t, struct entry *fm, bool derive);
static void entry_open_linked(struct tui *t, struct entry *fm);
static void entry_history(struct tui *t, struct entry *fm);

/* ------------------------------------------------------------ cells */

static enum cell_kind
cell_kind_of(const struct form_field *ff)
{
	if (ff->compute != NULL)
		return CK_EDIT;
	switch (ff->type) {
	case FT_LONGTEXT:
		return CK_AREA;
	case FT_ENUM:
	case FT_MULTIENUM:
	case FT_BOOL:
	case FT_REF:
	case FT_LINK:
		return CK_CHOICE;
	default:
		return CK_EDIT;
	}
}

/* Links and the recycle bin name a kind in few columns; the annexes
 * carry their number in brackets at the end of their label. */
char *
tui_kind_short(const struct form *f)
{
	const char *open = strstr(f->label, "（");
	size_t n = strlen(f->label), cl = strlen("）");

	if (open != NULL && n > cl && strcmp(f->label + n - cl, "）") == 0 &&
	    open + strlen("（") < f->label + n - cl)
		return xstrndup(open + strlen("（"),
		    (size_t)(f->label + n - cl - open - strlen("（")));
	return xstrdup(f->label);
}

/* Splits a link value "KIND:ID". */
static const struct form *
entry_link_parse(struct tui *t, const char *value, uint64_t *id)
{
	const char *colon = value ? strchr(value, ':') : NULL;
	char *kind;
	const struct form *f;

	if (colon == NULL || !util_parse_id(colon + 1, id))
		return NULL;
	kind = xstrndup(value, (size_t)(colon - value));
	f = formset_find(t->fs, kind);
	free(kind);
	return f;
}

/* How a linked record reads: "附件一：办公室党支部 2026年上半年". */
static char *
entry_link_record(struct tui *t, const struct form *f, const struct record *r)
{
	const struct form_field *tt = f->title ?
	    form_field_find(f, f->title) : NULL;
	const char *tv = tt ? record_get(r, tt->id) : NULL;
	const char *pv = record_get(r, "period");
	char *kind = tui_kind_short(f), *title, *s;
	struct period p;
	char plabel[32];

	if (tv != NULL && *tv != '\0')
		title = tt->type == FT_TEXT ? xstrdup(tv) :
		    form_value_display(t->fs, tt, tv, tui_lookup, t);
	else
		title = xasprintf("编号 %llu", (unsigned long long)r->id);
	if (pv != NULL && model_period_parse(pv, &p, NULL) == CX_OK) {
		model_period_label(&p, plabel);
		s = xasprintf("%s：%s %s", kind, title, plabel);
	} else
		s = xasprintf("%s：%s", kind, title);
	free(kind);
	free(title);
	return s;
}

char *
tui_link_display(struct tui *t, const char *value)
{
	const struct form *f;
	struct record *r = NULL;
	uint64_t id;
	char *s, *kind, *err = NULL;
	int rc;

	if (value == NULL || *value == '\0')
		return xstrdup("");
	f = entry_link_parse(t, value, &id);
	if (f == NULL)
		return xstrdup(value);
	rc = store_get(t->st, f, id, &r, &err);
	free(err);
	if (rc != CX_OK) {
		kind = tui_kind_short(f);
		s = xasprintf("%s：（编号 %llu，已不存在）", kind,
		    (unsigned long long)id);
		free(kind);
		return s;
	}
	s = entry_link_record(t, f, r);
	record_free(r);
	return s;
}

static void
cell_set_choice(struct tui *t, struct cell *c, const char *value)
{
	free(c->value);
	free(c->shown);
	c->value = xstrdup(value ? value : "");
	if (c->ff->type == FT_LINK)
		c->shown = tui_link_display(t, c->value);
	else
		c->shown = form_value_display(t->fs, c->ff, c->value,
		    tui_lookup, t);
}

/* What a line editor shows for a stored value: a period as people write
 * it ("2026年下半年"), anything else as stored. */
static char *
cell_edit_text(const struct form_field *ff, const char *stored)
{
	struct period p;
	char label[32];

	if (ff->type == FT_PERIOD && stored != NULL && *stored != '\0' &&
	    ff->compute == NULL &&
	    model_period_parse(stored, &p, NULL) == CX_OK) {
		model_period_label(&p, label);
		return xstrdup(label);
	}
	return xstrdup(stored ? stored : "");
}

/* Puts a stored value into a cell, whatever its kind. */
static void
cell_set_value(struct tui *t, struct cell *c, const char *text)
{
	char *err = NULL, *shown;

	switch (c->kind) {
	case CK_EDIT:
		shown = cell_edit_text(c->ff, text);
		if (edit_set_utf8(&c->ed, shown, &err) != CX_OK)
			free(err);
		free(shown);
		break;
	case CK_AREA:
		if (textarea_set_utf8(&c->ta, text, &err) != CX_OK)
			free(err);
		break;
	case CK_CHOICE:
		cell_set_choice(t, c, text);
		break;
	}
}

static void
cell_init(struct tui *t, struct cell *c, const struct form_field *ff,
    const char *text)
{
	memset(c, 0, sizeof *c);
	c->ff = ff;
	c->kind = cell_kind_of(ff);
	c->req = ff->required;
	switch (c->kind) {
	case CK_EDIT:
		edit_init(&c->ed, ff->type == FT_TEXT && ff->compute == NULL ?
		    ff->maxlen : 24);
		c->ed.halfwidth = ff->type != FT_TEXT && ff->type != FT_PERIOD;
		break;
	case CK_AREA:
		textarea_init(&c->ta, ff->maxlen);
		break;
	case CK_CHOICE:
		break;
	}
	cell_set_value(t, c, text);
	c->derived = ff->compute != NULL;
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

/* Whether the user may change cell c of item it: not in a read-only
 * view, not what the program fills in, and in a locked period only
 * annotation fields. */
static bool
entry_cell_editable(const struct entry *fm, const struct entry_item *it,
    const struct cell *c)
{
	if (fm->readonly || c->derived)
		return false;
	if (fm->locked && !it->ff->annotation && !c->ff->annotation)
		return false;
	return true;
}

/* Whether rows may be added to, removed from or moved in table it. */
static bool
entry_rows_editable(const struct entry *fm, const struct entry_item *it)
{
	return !fm->readonly && (!fm->locked || it->ff->annotation);
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
	entry_refresh(t, fm, true);
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
	char *text, *err = NULL, *named;
	const char *rest;
	size_t n;
	int rc;

	if (c->ff->compute != NULL) {
		/* Shown, never stored. */
		*canon = NULL;
		return NULL;
	}
	text = cell_text(c);
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

/* Something the user did changed a value: what the program works out
 * from the values is stale. */
static void
entry_touch(struct entry *fm)
{
	fm->changed = true;
	fm->need_calc = true;
	fm->need_derive = true;
}

/* Whether the required_if condition of ff holds: its field (looked up
 * in the row first, then in the record) holds one of the codes; a
 * multi-enum holding any of them counts. */
static bool
entry_req_if(const struct form_field *ff, const struct record *row,
    const struct record *rec)
{
	const char *v = NULL, *p, *e;
	size_t i;

	if (ff->req_if_field == NULL)
		return false;
	if (row != NULL)
		v = record_get(row, ff->req_if_field);
	if (v == NULL && rec != NULL)
		v = record_get(rec, ff->req_if_field);
	if (v == NULL || *v == '\0')
		return false;
	for (p = v; ; p = e + 1) {
		e = p + strcspn(p, ",");
		for (i = 0; i < ff->nreq_if; i++)
			if (strlen(ff->req_if_values[i]) == (size_t)(e - p) &&
			    strncmp(p, ff->req_if_values[i],
			    (size_t)(e - p)) == 0)
				return true;
		if (*e == '\0')
			return false;
	}
}

/* Works out again what the program fills in, from the record as the
 * screen shows it: with derive, the auto fields (ledger_derive, which
 * may read other records; an auto field is read-only exactly when its
 * function gives a value for the record with that field empty);
 * always the computed fields and columns and which fields required_if
 * makes required.  A read-only or locked record shows its auto values
 * as stored. */
static void
entry_refresh(struct tui *t, struct entry *fm, bool derive)
{
	const struct form_ctx *ctx = &t->lg.ctx;
	struct record *draft, *probe;
	bool run = derive && !fm->readonly && !fm->locked;
	size_t i, k, j;
	char *v;

	(void)entry_build(fm, false, &draft, NULL);
	for (i = 0; run && i < fm->n; i++) {
		const struct form_field *ff = fm->items[i].ff;
		const char *dv;

		if (ff->auto_fn == NULL || ff->type == FT_ROWS)
			continue;
		/* Whether the function gives a value for this field when
		 * it is empty, the others as they are. */
		probe = record_copy(draft);
		record_remove(probe, ff->id);
		ledger_derive(&t->lg, fm->f, probe);
		dv = record_get(probe, ff->id);
		fm->items[i].c.derived = dv != NULL && *dv != '\0';
		record_free(probe);
	}
	if (run)
		ledger_derive(&t->lg, fm->f, draft);
	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		const struct form_field *ff = it->ff;
		const char *dv;

		if (ff->type == FT_ROWS)
			continue;
		if (ff->auto_fn != NULL && run) {
			if (it->c.derived) {
				/* Compared as shown, so that a period is
				 * not set (and its editor reset) again. */
				dv = record_get(draft, ff->id);
				v = cell_text(&it->c);
				if (it->c.kind == CK_EDIT) {
					char *want = cell_edit_text(ff, dv);

					if (strcmp(v, want) != 0)
						cell_set_value(t, &it->c, dv);
					free(want);
				} else if (strcmp(v, dv ? dv : "") != 0)
					cell_set_value(t, &it->c, dv);
				free(v);
			}
		} else if (ff->auto_fn != NULL && (fm->readonly || fm->locked)) {
			/* Shown as stored. */
			dv = record_get(draft, ff->id);
			it->c.derived = dv != NULL && *dv != '\0';
		}
		if (ff->compute != NULL) {
			v = form_compute(ff, fm->f, draft, NULL, ctx);
			cell_set_value(t, &it->c, v);
			free(v);
		}
		it->c.req = ff->required || entry_req_if(ff, NULL, draft);
	}
	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		const struct form_field *ff = it->ff;

		if (ff->type != FT_ROWS)
			continue;
		for (k = 0; k < it->nrows; k++) {
			const struct record *row = record_row(draft, ff->id, k);

			for (j = 0; j < ff->nsub; j++) {
				struct cell *c = &it->rows[k].cells[j];
				const struct form_field *sf = &ff->sub[j];

				if (sf->compute != NULL && row != NULL) {
					v = form_compute(sf, fm->f, row, draft,
					    ctx);
					cell_set_value(t, c, v);
					free(v);
				}
				c->req = sf->required ||
				    entry_req_if(sf, row, draft);
			}
		}
	}
	record_free(draft);
	fm->need_calc = false;
	if (derive)
		fm->need_derive = false;
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

	if (c == NULL || c->kind == CK_CHOICE ||
	    !entry_cell_editable(fm, &fm->items[cur], c))
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
		char *shown = cell_edit_text(c->ff, canon);

		text = edit_get_utf8(&c->ed);
		if (strcmp(text, shown) != 0) {
			bool dirty = c->ed.dirty;

			(void)edit_set_utf8(&c->ed, shown, NULL);
			c->ed.dirty = dirty;
		}
		free(text);
		free(shown);
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
	if (fm->need_derive)
		entry_refresh(t, fm, true);
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
		if (fm->need_derive)
			entry_refresh(t, fm, true);
		if (t->status == NULL)
			tui_info(t, "已是第一栏。");
		return;
	}
	if ((size_t)i >= fm->n) {
		bool ok = entry_check_cell(t, fm, fm->cur, fm->row, fm->col);

		if (fm->need_derive)
			entry_refresh(t, fm, true);
		if (ok)
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

/* One place further in form order (every cell of a grid, or the grid
 * itself when it has no rows); false past either end. */
static bool
entry_pos_next(const struct entry *fm, size_t *cur, size_t *row, size_t *col,
    int dir)
{
	const struct entry_item *it = &fm->items[*cur];
	long i;

	if (it->ff->type == FT_ROWS && it->nrows > 0) {
		long idx = (long)(*row * it->ff->nsub + *col) + dir;

		if (idx >= 0 && idx < (long)(it->nrows * it->ff->nsub)) {
			*row = (size_t)idx / it->ff->nsub;
			*col = (size_t)idx % it->ff->nsub;
			return true;
		}
	}
	i = (long)*cur + dir;
	if (i < 0 || i >= (long)fm->n)
		return false;
	*cur = (size_t)i;
	it = &fm->items[i];
	*row = *col = 0;
	if (it->ff->type == FT_ROWS && dir < 0 && it->nrows > 0) {
		*row = it->nrows - 1;
		*col = it->ff->nsub - 1;
	}
	return true;
}

/* Tab, Enter: the next cell of a grid, else the next field, passing
 * over what cannot be typed (what the program fills in, and in a
 * locked period all but the annotation fields). */
static void
entry_step(struct tui *t, struct entry *fm, int dir)
{
	size_t cur = fm->cur, row = fm->row, col = fm->col;

	/* What the cell left behind decides (a 党支部 chosen makes its
	 * 书记 the program's to fill) comes first. */
	(void)entry_check_cell(t, fm, fm->cur, fm->row, fm->col);
	if (fm->need_derive)
		entry_refresh(t, fm, true);
	for (;;) {
		const struct entry_item *it;
		const struct cell *c;

		if (!entry_pos_next(fm, &cur, &row, &col, dir)) {
			entry_enter_item(t, fm, dir < 0 ? -1 : (long)fm->n, dir,
			    true);
			return;
		}
		it = &fm->items[cur];
		c = entry_cell_at(fm, cur, row, col);
		if (fm->readonly || (c == NULL ? entry_rows_editable(fm, it) :
		    entry_cell_editable(fm, it, c)))
			break;
	}
	entry_focus(t, fm, cur, row, col);
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
	case FT_PERIOD:
		want = 16;
		break;
	case FT_TIME:
		want = 8;
		break;
	case FT_LINK:
		want = 40;
		break;
	default:
		break;
	}
	if (ff->compute != NULL) {
		char *v = cell_text(&it->c);

		want = (int)text_width(v, TEXT_SCREEN) + 2;
		if (want < 8)
			want = 8;
		free(v);
	}
	if (it->c.kind == CK_CHOICE && it->c.shown != NULL) {
		int sw = (int)text_width(it->c.shown, TEXT_SCREEN) + 2;

		if (sw > want)
			want = sw;
	}
	if (it->c.derived && it->c.kind != CK_AREA) {
		/* Not typed: as wide as what it shows. */
		char *v = it->c.kind == CK_CHOICE ? xstrdup(it->c.shown) :
		    cell_text(&it->c);

		want = (int)text_width(v, TEXT_SCREEN) + 2;
		if (want < 6)
			want = 6;
		free(v);
	}
	return want < avail ? want : avail;
}

/* The narrowest a grid column may get: what a date or a choice needs
 * to be read whole, the label (up to 9 columns) for the rest. */
static int
entry_col_min(const struct form_field *s)
{
	int lw = (int)text_width(s->label, TEXT_SCREEN) + (s->required ? 1 : 0);
	int m = lw < 9 ? lw : 9;	/* "*" and four Hanzi */
	size_t i;

	if (s->compute != NULL) {
		switch (s->format) {
		case FMT_PERCENT:
			return 6;	/* "100.0%" */
		case FMT_DECIMAL:
			return 5;
		case FMT_FLAG:
			m = s->flag_text != NULL ?
			    (int)text_width(s->flag_text, TEXT_SCREEN) : 4;
			return m > 4 ? m : 4;
		default:
			return 5;
		}
	}
	switch (s->type) {
	case FT_DATE:
		return 11;	/* with the cursor after it */
	case FT_MONTH:
		return 8;
	case FT_TIME:
		return 6;
	case FT_PERIOD:
		return 12;
	case FT_ENUM:
		for (i = 0; i < s->nopts; i++) {
			int ow = (int)text_width(s->opts[i].label, TEXT_SCREEN);

			if (ow > m)
				m = ow < 12 ? ow : 12;
		}
		return m;
	case FT_INT:
		return 5;
	case FT_BOOL:
		return 4;
	case FT_REF:
		return 8;
	default:
		return m > 6 ? m : 6;
	}
}

/* Whether a column gives up room when there is too little: all but
 * dates, times and periods, each down to what entry_col_min keeps
 * readable (numbers may lose their headings' ends). */
static bool
entry_col_flexible(const struct form_field *s)
{
	return s->compute != NULL || (s->type != FT_DATE &&
	    s->type != FT_MONTH && s->type != FT_TIME && s->type != FT_PERIOD);
}

/* Column widths of a grid: each sub-field's list (or print) width, or
 * its minimum.  When that is too wide the flexible columns give up what
 * they have above their minimum, in proportion; when it is still too
 * wide everything is scaled.  Room left over goes to the widest
 * column. */
static void
entry_grid_widths(const struct form_field *ff, int avail, int *cw)
{
	size_t j, widest = 0;
	int *mn = xcalloc(ff->nsub ? ff->nsub : 1, sizeof *mn);
	int sum = 0, extra = 0, over;

	avail -= (int)ff->nsub;		/* a space before each column */
	for (j = 0; j < ff->nsub; j++) {
		const struct form_field *s = &ff->sub[j];

		mn[j] = entry_col_min(s);
		cw[j] = s->list_width > 0 ? s->list_width :
		    s->print_width > 0 ? s->print_width : mn[j];
		if (cw[j] < mn[j])
			cw[j] = mn[j];
		if (!entry_col_flexible(s))
			mn[j] = cw[j];
		sum += cw[j];
		extra += cw[j] - mn[j];
	}
	over = sum - avail;
	if (over > 0 && extra > 0) {
		int keep = extra > over ? extra - over : 0, s2 = 0;

		for (j = 0; j < ff->nsub; j++) {
			cw[j] = mn[j] + (int)((long)(cw[j] - mn[j]) * keep /
			    extra);
			s2 += cw[j];
		}
		sum = s2;
	}
	if (sum > avail && sum > 0) {
		int s2 = 0;

		for (j = 0; j < ff->nsub; j++) {
			cw[j] = cw[j] * avail / sum;
			if (cw[j] < 2)
				cw[j] = 2;
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
	free(mn);
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
    const struct form_field *ff, bool bad, bool focused, bool req)
{
	struct tui *t = d->t;

	if (bad)
		tui_put(t, sy, 0, "!", 1, tui_attr_error(t));
	if (req)
		tui_put(t, sy, 1, "*", 1, A_BOLD);
	tui_put(t, sy, 2, ff->label, d->labelw, focused ? (int)A_BOLD :
	    (int)A_NORMAL);
}

/* A line editor, a choice or a one-line view of a long text, in cols
 * columns at (sy, x).  Places the cursor when focused. */
static void
entry_draw_cell(struct entry_paint *d, struct cell *c, int sy, int x, int cols,
    bool focused, bool in_grid, bool editable)
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
	else if (c->derived && !focused)
		attr = A_NORMAL;
	else
		attr = entry_widget_attr(d, focused);
	if (c->kind == CK_EDIT && focused && editable) {
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
	    editable && cols > 12)
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
	bool editable = entry_cell_editable(d->fm, it, &it->c);

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
			    focused, it->c.req && !it->c.derived);
		else if (r == 1 && it->c.err != NULL)
			tui_put(t, sy, 2, "（有误）", d->labelw, tui_attr_error(t));
		if (r == rows - 1 && tv.more_below)
			tui_put(t, sy, 2, "（下面还有）", d->labelw, tui_attr_dim(t));
		else if (r == rows - 1 && tv.more_above && rows > 1)
			tui_put(t, sy, 2, "（上面还有）", d->labelw, tui_attr_dim(t));
		if (focused && r == tv.cursor_row && editable)
			tui_cursor(t, sy, d->wx + tv.cursor_col);
		else if (focused && r == 0 && !editable)
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
		entry_draw_label(d, sy, ff, entry_grid_bad(it), focused,
		    ff->required);
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

			if (fc && c->kind == CK_AREA &&
			    entry_cell_editable(d->fm, it, c)) {
				d->overlay = true;
				d->ov_line = sy;
				d->ov_x = x + 1;
				d->ov_w = cw[j];
				d->ov_cell = c;
			}
			entry_draw_cell(d, c, sy, x + 1, cw[j], fc, true,
			    entry_cell_editable(d->fm, it, c));
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

	if (fm->version > 0)
		hint = "以前的版本：只能查看。上下箭头查看各栏，Esc 返回。";
	else if (fm->readonly)
		hint = "只读：只能查看，不能修改。上下箭头查看各栏，Esc 返回。";
	else if (c != NULL && c->ff->type == FT_LINK && *c->value != '\0')
		hint = "回车或 F6 打开所属的记录。";
	else if (c != NULL && c->derived)
		hint = "这一栏由程序自动填写，不用输入。Tab 到下一栏，F2 保存。";
	else if (fm->locked && (c == NULL ||
	    !entry_cell_editable(fm, &fm->items[fm->cur], c)))
		hint = fm->lock_msg;
	else if (entry_in_grid(fm) && fm->items[fm->cur].ff->store_form &&
	    (c == NULL || c->kind != CK_AREA))
		hint = "* 为必填。表格：F7 加行，F8 删除行，F6 打开这一行的记录。";
	else if (entry_in_grid(fm) && (c == NULL || c->kind != CK_AREA))
		hint = "* 为必填。表格：F7 加一行，F8 删除当前行，Shift+上下箭头 移动行。";
	else if (c != NULL && c->kind == CK_AREA)
		hint = "* 为必填。可以写多行：回车换行，Tab 到下一栏，F2 保存。";
	else if (c != NULL && c->kind == CK_CHOICE &&
	    c->ff->type == FT_MULTIENUM)
		hint = "* 为必填。回车或 F5 打开列表，空格勾选多项；Delete 清空。";
	else if (c != NULL && c->kind == CK_CHOICE)
		hint = "* 为必填。回车或 F5 打开列表，直接打字可查找；Delete 清空。";
	else if (c != NULL && c->ff->type == FT_PERIOD)
		hint = "* 为必填。可写 2026H2 或 2026年下半年，F5 从列表选择。";
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
	if (fm->need_calc)
		entry_refresh(t, fm, false);
	fm->total = entry_layout(fm, d.view);
	if (fm->n == 0) {
		tui_put(t, y, 2, "这张表没有栏目。", w - 4, A_NORMAL);
		return;
	}
	entry_scroll_to_focus(fm, d.view);
	for (i = 0; i < fm->n; i++) {
		struct entry_item *it = &fm->items[i];
		bool focused = i == fm->cur;
		int sy, ww, mx;

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
		entry_draw_label(&d, sy, it->ff, it->c.err != NULL, focused,
		    it->c.req && !it->c.derived);
		ww = entry_widget_width(it, w - d.wx - 1);
		entry_draw_cell(&d, &it->c, sy, d.wx, ww, focused, false,
		    entry_cell_editable(fm, it, &it->c));
		mx = d.wx + ww + 2;
		if (it->c.derived && mx < w - 8) {
			mx--;
			mx += tui_put(t, sy, mx, "（自动）", w - mx - 1,
			    tui_attr_dim(t)) + 1;
		}
		entry_draw_err(&d, sy, mx, it->c.err);
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
	if (c->kind == CK_EDIT) {
		/* A period chosen from the list. */
		char *was = cell_text(c), *shown = cell_edit_text(c->ff, canon);

		if (strcmp(was, shown) != 0) {
			cell_set_value(t, c, canon);
			entry_touch(fm);
		}
		free(was);
		free(shown);
	} else if (strcmp(canon, c->value) != 0) {
		cell_set_choice(t, c, canon);
		entry_touch(fm);
	}
	free(canon);
	cell_set_err(c, NULL);
	entry_step(t, fm, 1);
	if (c->ff->type == FT_REF || c->ff->type == FT_ENUM)
		entry_fill_obvious(t, fm, false);
	if (fm->need_derive)
		entry_refresh(t, fm, true);
}

/* The periods offered for a period field: two years back to the next
 * half-year, around the period the user works in, newest first. */
static void
entry_period_items(struct tui *t, struct tui_picker_list *items)
{
	struct period p, cur;
	char code[16], label[32];
	int i;

	ledger_current_period(&t->lg, &cur);
	p = cur;
	model_period_next(&p);
	for (i = 0; i < 6; i++) {
		model_period_code(&p, code);
		model_period_label(&p, label);
		tui_picker_list_add(items, code, label,
		    p.year == cur.year && p.half == cur.half ? "当前周期" : NULL);
		model_period_prev(&p);
	}
}

struct entry_link_all {
	struct tui		*t;
	struct tui_picker_list	*out;
	size_t			 n;
};

static int
entry_link_all_cb(void *arg, const struct form *f, const struct record *r)
{
	struct entry_link_all *la = arg;
	char code[64], *label;

	snprintf(code, sizeof code, "%s:%llu", f->kind,
	    (unsigned long long)r->id);
	label = entry_link_record(la->t, f, r);
	tui_picker_list_add(la->out, code, label, NULL);
	free(label);
	return ++la->n >= FORM_PICK_ALL_MAX;
}

/* The records a link may name: of each of its kinds, newest first, at
 * most FORM_PICK_ALL_MAX of each. */
static int
entry_link_items(struct tui *t, const struct form_field *ff,
    struct tui_picker_list *items, char **errp)
{
	struct entry_link_all la;
	size_t k;

	for (k = 0; k < ff->nlink_kinds; k++) {
		const struct form *lf = formset_find(t->fs, ff->link_kinds[k]);

		if (lf == NULL)
			continue;
		la.t = t;
		la.out = items;
		la.n = 0;
		if (store_scan(t->st, lf, 0, -1, FORM_PICK_ALL_MAX,
		    entry_link_all_cb, &la, errp) != CX_OK)
			return CX_ERR;
	}
	return CX_OK;
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

	if (c == NULL || (c->kind != CK_CHOICE && c->ff->type != FT_PERIOD))
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
	} else if (c->kind == CK_EDIT) {
		char *text = cell_text(c), *canon = NULL, *err2 = NULL;

		if (form_input_value(ff, text, &canon, &err2) == CX_OK)
			strlist_add(&sel, canon);
		free(err2);
		free(canon);
		free(text);
	} else
		strlist_add(&sel, c->value);
	switch (ff->type) {
	case FT_PERIOD:
		entry_period_items(t, &items);
		break;
	case FT_LINK:
		if (entry_link_items(t, ff, &items, &err) != CX_OK) {
			tui_error_take(t, err);
			goto out;
		}
		if (items.n == 0) {
			tui_error(t, "还没有可以选择的记录。");
			goto out;
		}
		break;
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
	sp.none_label = c->req || sp.multi ? NULL : "（不填，留空）";
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

		if (ff->type != FT_REF || *it->c.value != '\0' ||
		    !entry_cell_editable(fm, it, &it->c))
			continue;
		tf = ff->ref_form ? ff->ref_form : formset_find(t->fs,
		    ff->ref_kind);
		if (tf == NULL ||
		    store_count(t->st, tf, &count, &err) != CX_OK ||
		    count > FORM_PICK_ALL_MAX) {
			free(err);
			continue;
		}
		needed = it->c.req;
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
				entry_touch(fm);
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

/* ------------------------------------------------------- conflicts */

/* A save can find that someone else (another computer, `cxzy set`)
 * changed the record after this form read it: ledger_save then writes
 * nothing and returns CX_CONFLICT.  The form keeps what the user typed,
 * says which fields the other change touched, and can read the record
 * again with the user's own changes put back on top. */

static bool
entry_value_empty(const struct rvalue *v)
{
	return v == NULL || (v->is_rows ? v->nrows == 0 :
	    v->text == NULL || *v->text == '\0');
}

static bool entry_value_same(const struct rvalue *a, const struct rvalue *b);

/* Whether two records (rows) hold the same values, leaving out the
 * store's own ("_id", "_modified", "_rev" ...). */
static bool
entry_record_same(const struct record *a, const struct record *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].id[0] != '_' &&
		    !entry_value_same(&a->v[i], record_find(b, a->v[i].id)))
			return false;
	for (i = 0; i < b->n; i++)
		if (b->v[i].id[0] != '_' && record_find(a, b->v[i].id) == NULL &&
		    !entry_value_empty(&b->v[i]))
			return false;
	return true;
}

/* Whether two values read the same to the user: an absent value and an
 * empty one do, and so do rows that differ only in the store's values. */
static bool
entry_value_same(const struct rvalue *a, const struct rvalue *b)
{
	size_t k;

	if (entry_value_empty(a) || entry_value_empty(b))
		return entry_value_empty(a) && entry_value_empty(b);
	if (a->is_rows != b->is_rows)
		return false;
	if (!a->is_rows)
		return strcmp(a->text, b->text) == 0;
	if (a->nrows != b->nrows)
		return false;
	for (k = 0; k < a->nrows; k++)
		if (!entry_record_same(a->rows[k], b->rows[k]))
			return false;
	return true;
}

static bool
entry_field_same(const struct record *a, const struct record *b,
    const char *id)
{
	return entry_value_same(record_find(a, id), record_find(b, id));
}

/* Whether the user may have typed field i (the program fills in auto
 * and computed fields, so a difference there is not the user's). */
static bool
entry_field_typed(const struct entry *fm, size_t i)
{
	const struct entry_item *it = &fm->items[i];

	if (it->ff->compute != NULL)
		return false;
	if (it->ff->type == FT_ROWS)
		return entry_rows_editable(fm, it);
	return entry_cell_editable(fm, it, &it->c);
}

/* Puts the value id of from (or its absence) into to. */
static void
entry_value_copy(struct record *to, const struct record *from,
    const char *id)
{
	const struct rvalue *v = record_find(from, id);
	size_t k;

	record_remove(to, id);
	if (v == NULL)
		return;
	if (!v->is_rows) {
		record_set(to, id, v->text);
		return;
	}
	/* An explicitly empty table stays one, as entry_build keeps it. */
	record_add_row(to, id);
	record_remove_row(to, id, 0);
	for (k = 0; k < v->nrows; k++)
		record_append_row(to, id, record_copy(v->rows[k]));
}

/* The row of table id in r whose stored record is rid, or NULL. */
static const struct record *
entry_row_by_id(const struct record *r, const char *id, const char *rid)
{
	size_t k;

	for (k = 0; rid != NULL && k < record_nrows(r, id); k++)
		if (record_is(record_row(r, id, k), "_id", rid))
			return record_row(r, id, k);
	return NULL;
}

/* A table whose rows are records of their own, changed in the form
 * (mine) and maybe by the other writer (fresh), both from orig: merged
 * row by row, by the stored record each row is.  A row the user changed
 * gets the user's values in the columns the user changed and the fresh
 * values (and revision) in the rest; rows only the other writer added
 * come after the user's; a row the other writer removed stays removed
 * unless the user changed it (then it comes back as a new row).
 * Returns true when both changed the same cell differently, or one
 * changed a row the other removed. */
static bool
entry_merge_rows(const struct form_field *ff, const struct record *orig,
    const struct record *mine, const struct record *fresh,
    struct record *merged)
{
	const char *id = ff->id;
	bool overlap = false;
	size_t k, j, i;

	record_remove(merged, id);
	record_add_row(merged, id);
	record_remove_row(merged, id, 0);
	for (k = 0; k < record_nrows(mine, id); k++) {
		const struct record *m = record_row(mine, id, k);
		const char *rid = record_get(m, "_id");
		const struct record *o = entry_row_by_id(orig, id, rid);
		const struct record *fr = entry_row_by_id(fresh, id, rid);
		struct record *row;

		if (o == NULL) {
			/* A row the user added. */
			record_append_row(merged, id, record_copy(m));
			continue;
		}
		if (fr == NULL) {
			/* Removed by the other writer. */
			if (entry_record_same(m, o))
				continue;
			overlap = true;
			row = record_copy(m);
			for (i = row->n; i-- > 0; )
				if (row->v[i].id[0] == '_')
					record_remove(row, row->v[i].id);
			record_append_row(merged, id, row);
			continue;
		}
		row = record_copy(fr);
		for (j = 0; j < ff->nsub; j++) {
			const char *sid = ff->sub[j].id;

			if (ff->sub[j].compute != NULL ||
			    entry_field_same(o, m, sid))
				continue;
			if (!entry_field_same(o, fr, sid) &&
			    !entry_field_same(m, fr, sid))
				overlap = true;
			entry_value_copy(row, m, sid);
		}
		record_append_row(merged, id, row);
	}
	for (k = 0; k < record_nrows(fresh, id); k++) {
		const struct record *fr = record_row(fresh, id, k);
		const char *rid = record_get(fr, "_id");
		const struct record *o = entry_row_by_id(orig, id, rid);

		if (rid == NULL)
			continue;
		if (o == NULL && entry_row_by_id(mine, id, rid) == NULL)
			record_append_row(merged, id, record_copy(fr));
		else if (o != NULL && entry_row_by_id(mine, id, rid) == NULL &&
		    !entry_record_same(o, fr))
			overlap = true;	/* the user removed a row changed */
	}
	return overlap;
}

/* Puts the user's change of field ff (mine against orig), if any, into
 * merged, a copy of the fresh record.  Returns true when the other
 * writer changed the same value to something else. */
static bool
entry_merge_field(const struct form_field *ff, const struct record *orig,
    const struct record *mine, const struct record *fresh,
    struct record *merged)
{
	if (entry_field_same(orig, mine, ff->id))
		return false;
	if (ff->type == FT_ROWS && ff->store_form != NULL)
		return entry_merge_rows(ff, orig, mine, fresh, merged);
	entry_value_copy(merged, mine, ff->id);
	return !entry_field_same(orig, fresh, ff->id) &&
	    !entry_field_same(mine, fresh, ff->id);
}

/* How a value of field ff reads in the conflict dialog: one line, cut
 * to a width that fits the dialog. */
static char *
entry_conflict_value(struct tui *t, const struct form_field *ff,
    const struct record *r)
{
	const char *v = record_get(r, ff->id);
	char *s, *cut, *p;
	size_t w;

	if (ff->type == FT_ROWS)
		return xasprintf("（表格有改动，现有 %zu 行）",
		    record_nrows(r, ff->id));
	if (v == NULL || *v == '\0')
		return xstrdup("（空）");
	if (ff->type == FT_LINK)
		s = tui_link_display(t, v);
	else
		s = form_value_display(t->fs, ff, v, tui_lookup, t);
	for (p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	cut = text_truncate(s, 36, TEXT_SCREEN, &w);
	if (strlen(cut) < strlen(s)) {
		p = xasprintf("%s等", cut);
		free(cut);
		cut = p;
	}
	free(s);
	return cut;
}

/* Fields listed one by one in the dialog; more are counted. */
#define FORM_CONFLICT_LIST	6

/* The record was changed by someone else since the form read it (err:
 * the ledger's message, taken).  mine is the record as typed.  Asks
 * whether to read it again keeping the user's changes; does so, or
 * leaves the form as it is. */
static void
entry_conflict(struct tui *t, struct entry *fm, const struct record *mine,
    char *err)
{
	static const char *const buttons[] = {
		"重新载入，保留我的修改", "取消"
	};
	struct record *fresh = NULL, *merged;
	struct buf msg, both;
	char *gerr = NULL, *v;
	const char *when;
	size_t i, ntheirs = 0, nboth = 0;
	int choice;

	if (ledger_get(&t->lg, fm->f, fm->orig->id, &fresh, &gerr) != CX_OK) {
		/* Deleted meanwhile, or the store failed: nothing to load;
		 * the typed values stay on screen. */
		tui_message_take(t, "没有保存", err);
		clearok(curscr, TRUE);
		tui_error(t, "没有保存：%s", gerr != NULL ? gerr :
		    "这条记录现在读不出来。");
		free(gerr);
		return;
	}
	free(err);
	buf_init(&msg);
	buf_init(&both);
	when = record_get(fresh, "_modified");
	buf_addf(&msg, "你打开这条%s记录之后，别人（另一台电脑或命令行）"
	    "修改并保存了它%s%s%s。你的修改没有保存，录入表里的内容都还在。\n"
	    "对方改动的栏目：\n", fm->f->label, when ? "（" : "",
	    when ? when : "", when ? "）" : "");
	/* The fresh record with the fields the user changed put back. */
	merged = record_copy(fresh);
	for (i = 0; i < fm->n; i++) {
		const struct form_field *ff = fm->items[i].ff;

		if (entry_field_typed(fm, i) &&
		    entry_merge_field(ff, fm->orig, mine, fresh, merged))
			buf_addf(&both, "%s「%s」", nboth++ ? "、" : "",
			    ff->label);
		if (ff->compute != NULL ||
		    entry_field_same(fm->orig, fresh, ff->id) ||
		    ntheirs++ >= FORM_CONFLICT_LIST)
			continue;
		v = entry_conflict_value(t, ff, fresh);
		buf_addf(&msg, "  %s：%s\n", ff->label, v);
		free(v);
	}
	if (ntheirs == 0)
		buf_addstr(&msg, "  （不是这张表上的栏目）\n");
	else if (ntheirs > FORM_CONFLICT_LIST)
		buf_addf(&msg, "  另有 %zu 个栏目\n",
		    ntheirs - FORM_CONFLICT_LIST);
	if (nboth > 0)
		buf_addf(&msg, "两边都改了%s：重新载入后保留你填的内容。\n",
		    both.s);
	buf_addstr(&msg, "重新载入后请检查，再按 F2 保存。");
	choice = entry_choose(t, "这条记录已被别人修改", msg.s, buttons, 2, 0);
	buf_free(&msg);
	if (choice != 0) {
		buf_free(&both);
		record_free(merged);
		record_free(fresh);
		tui_info(t, "没有保存。录入表保持你填的内容；按 F2 保存时会再提示。");
		return;
	}

	/* The cells show the merged values; the form's stored state is the
	 * fresh record (its revision included), so the changes stay unsaved
	 * and the next save is measured against it. */
	entry_load(t, fm, merged);
	fm->orig = fresh;
	record_free(merged);
	fm->changed = true;
	cell_cursor_end(entry_cell(fm));
	if (nboth > 0)
		tui_info(t, "已载入对方的修改；%s两边都改了，保留的是你填的。"
		    "请检查后按 F2 保存。", both.s);
	else
		tui_info(t, "已载入对方的修改，并保留了你改动的栏目；"
		    "请检查后按 F2 保存。");
	buf_free(&both);
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
	int rc;

	if (fm->readonly) {
		tui_error(t, "%s", fm->ro_msg);
		return false;
	}
	entry_clear_errors(fm);
	strlist_init(&problems);
	strlist_init(&more);
	if (entry_build(fm, true, &r, &problems) > 0) {
		/* The whole-record checks run also when some fields were
		 * not accepted, so that every problem shows at once; a
		 * problem about a field already marked is its echo and is
		 * dropped. */
		form_validate_ctx(fm->f, r, &t->lg.ctx, ledger_lookup, &t->lg,
		    &more);
		model_check(t->fs, fm->f->kind, r, ledger_lookup, &t->lg,
		    &more);
	} else if ((rc = ledger_save(&t->lg, fm->f, r, &more, &err)) ==
	    CX_CONFLICT) {
		/* Someone else saved this record meanwhile. */
		strlist_free(&more);
		strlist_free(&problems);
		entry_conflict(t, fm, r, err);
		record_free(r);
		return false;
	} else if (rc != CX_OK && more.n == 0) {
		/* Not a problem of a field: the store, the period lock. */
		entry_mark(fm, err ? err : "保存失败。");
		strlist_take(&problems, err ? err : xstrdup("保存失败。"));
		err = NULL;
	}
	free(err);
	for (i = 0; i < more.n; i++)
		if (entry_mark(fm, more.v[i])) {
			strlist_take(&problems, more.v[i]);
			more.v[i] = NULL;
		}
	strlist_free(&more);
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
	entry_touch(fm);
	tui_info(t, "已在%s加了第 %zu 行。", ff->label, at + 1);
}

static void
entry_row_delete(struct tui *t, struct entry *fm)
{
	struct entry_item *it = &fm->items[fm->cur];
	char *q;
	bool stored;

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
	stored = record_get(it->rows[fm->row].base, "_id") != NULL;
	entry_row_free(&it->rows[fm->row], it->ff->nsub);
	memmove(&it->rows[fm->row], &it->rows[fm->row + 1],
	    (it->nrows - fm->row - 1) * sizeof *it->rows);
	it->nrows--;
	if (fm->row >= it->nrows && fm->row > 0)
		fm->row--;
	fm->col = 0;
	entry_touch(fm);
	if (stored && it->ff->store_form != NULL)
		tui_info(t, "已删除这一行（保存后生效，它的%s记录移入回收站）。",
		    it->ff->store_form->label);
	else
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
	entry_touch(fm);
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
	if (ledger_delete(&t->lg, fm->f, fm->orig->id, &err) != CX_OK) {
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
	tui_error(t, "%s", fm->ro_msg);
	return true;
}

/* The same for a change to the focused cell c: also refused when the
 * program fills it in or the period is locked. */
static bool
entry_refuse_cell(struct tui *t, struct entry *fm, const struct cell *c)
{
	const struct entry_item *it = &fm->items[fm->cur];

	if (entry_refuse(t, fm))
		return true;
	if (c->derived) {
		tui_error(t, "「%s」由程序自动%s，不用填写。", c->ff->label,
		    c->ff->compute != NULL ? "计算" : "填写");
		return true;
	}
	if (!entry_cell_editable(fm, it, c)) {
		tui_error(t, "%s", fm->lock_msg);
		return true;
	}
	return false;
}

/* The same for adding, removing or moving rows of the focused table. */
static bool
entry_refuse_rows(struct tui *t, struct entry *fm)
{
	if (entry_refuse(t, fm))
		return true;
	if (!entry_rows_editable(fm, &fm->items[fm->cur])) {
		tui_error(t, "%s", fm->lock_msg);
		return true;
	}
	return false;
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
		if (entry_refuse_cell(t, fm, c))
			return;
		e->overwrite = fm->overwrite;
		if (edit_insert(e, wc))
			ch = true;
		else
			entry_refused_char(t, c->ff, e->maxlen > 0 &&
			    e->len >= e->maxlen, e->maxlen);
		break;
	case TA_ENTER:
		if (entry_cell_editable(fm, &fm->items[fm->cur], c) &&
		    entry_paste_follows(&next)) {
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
		if (!entry_refuse_cell(t, fm, c))
			ch = edit_backspace(e);
		break;
	case TA_DELCHAR:
		if (!entry_refuse_cell(t, fm, c))
			ch = edit_delete(e);
		break;
	case TA_KILL:
		if (!entry_refuse_cell(t, fm, c))
			ch = edit_kill_line(e);
		break;
	case TA_KILL_END:
		if (!entry_refuse_cell(t, fm, c))
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
		entry_touch(fm);
}

static void
entry_key_area(struct tui *t, struct entry *fm, struct cell *c,
    enum tui_action a, wchar_t wc)
{
	struct textarea *ta = &c->ta;
	bool ch = false;

	switch (a) {
	case TA_CHAR:
		if (entry_refuse_cell(t, fm, c))
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
		if (entry_refuse_cell(t, fm, c))
			return;
		if (textarea_insert(ta, L'\n'))
			ch = true;
		else
			entry_refused_char(t, c->ff, true, ta->maxlen);
		break;
	case TA_BACKSPACE:
		if (!entry_refuse_cell(t, fm, c))
			ch = textarea_backspace(ta);
		break;
	case TA_DELCHAR:
		if (!entry_refuse_cell(t, fm, c))
			ch = textarea_delete(ta);
		break;
	case TA_KILL:
		/* To the start of the paragraph, as Ctrl+U does in a line. */
		if (entry_refuse_cell(t, fm, c))
			return;
		while (ta->cursor > 0 && ta->text[ta->cursor - 1] != L'\n')
			ch |= textarea_backspace(ta);
		break;
	case TA_KILL_END:
		if (entry_refuse_cell(t, fm, c))
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
		entry_touch(fm);
}

static void
entry_key_choice(struct tui *t, struct entry *fm, struct cell *c,
    enum tui_action a, wchar_t wc)
{
	char s[8];

	switch (a) {
	case TA_ENTER:
		if (c->ff->type == FT_LINK && *c->value != '\0')
			entry_open_linked(t, fm);
		else if (!entry_cell_editable(fm, &fm->items[fm->cur], c))
			entry_step(t, fm, 1);
		else
			entry_pick(t, fm, NULL);
		break;
	case TA_CHAR:
		if (entry_refuse_cell(t, fm, c))
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
		if (entry_refuse_cell(t, fm, c))
			return;
		if (*c->value != '\0') {
			cell_set_choice(t, c, "");
			entry_touch(fm);
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
		if (entry_in_grid(fm)) {
			if (!entry_refuse_rows(t, fm))
				entry_row_delete(t, fm);
			return TR_STAY;
		}
		if (entry_refuse(t, fm))
			return TR_STAY;
		if (fm->locked) {
			tui_error(t, "%s", fm->lock_msg);
			return TR_STAY;
		}
		return entry_delete_record(t, fm);
	case TA_ROW_ADD:
		if (!entry_in_grid(fm))
			tui_error(t, "F7 用于在表格中加行，请先把光标移到表格里。");
		else if (!entry_refuse_rows(t, fm))
			entry_row_add(t, fm);
		return TR_STAY;
	case TA_ROW_UP:
	case TA_ROW_DOWN:
		if (!entry_in_grid(fm) || !entry_refuse_rows(t, fm))
			entry_row_move(t, fm, a == TA_ROW_UP ? -1 : 1);
		return TR_STAY;
	case TA_OPEN:
		entry_open_linked(t, fm);
		return TR_STAY;
	case TA_HISTORY:
		entry_history(t, fm);
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
		if (c != NULL && (c->kind == CK_CHOICE || (c->kind == CK_EDIT &&
		    c->ff->type == FT_PERIOD && c->ff->compute == NULL))) {
			if (!entry_refuse_cell(t, fm, c))
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
			if (!entry_refuse_rows(t, fm))
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
	if (c == NULL || c->kind == CK_CHOICE ||
	    !entry_cell_editable(fm, &fm->items[fm->cur], c))
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
	if (fm->version > 0)
		s = xasprintf("%s：%s（第 %u 版，%s%s只读）", fm->f->label,
		    title, fm->version, fm->version_time ? fm->version_time :
		    "", fm->version_time ? " 保存，" : "");
	else if (fm->readonly)
		s = xasprintf("查看%s：%s（编号 %llu，只读）", fm->f->label, title,
		    (unsigned long long)fm->orig->id);
	else if (fm->locked)
		s = xasprintf("%s：%s（编号 %llu，已锁定）%s", fm->f->label,
		    title, (unsigned long long)fm->orig->id,
		    fm->changed ? "（有修改，未保存）" : "");
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
	const char *req = "";

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
		case FT_PERIOD:
			dflt = xstrdup("半年，可写成 2026H2 或 2026年下半年，"
			    "按 F5 从列表选择。");
			break;
		case FT_TIME:
			dflt = xstrdup("时间，可写成 9:30 或 09:30。");
			break;
		case FT_LINK:
			dflt = xstrdup("所属的记录；按回车或 F6 打开它。");
			break;
		}
	}
	if (c != NULL && entry_in_grid(fm))
		where = xasprintf("%s第 %zu 行「%s」：",
		    fm->items[fm->cur].ff->label, fm->row + 1, ff->label);
	if (c != NULL && c->derived)
		req = c->ff->compute != NULL ? "自动计算。" : "自动填写。";
	else if (c != NULL ? c->req : ff->required)
		req = "* 必填。";
	free(fm->help);
	fm->help = xasprintf("%s%s%s", where ? where : "", req,
	    ff->help ? ff->help : dflt);
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
	free(fm->lock_msg);
	free(fm->version_time);
	free(fm);
}

/* ------------------------------------------------- linked records */

/* Opens the form of another record from this one, unless it is open
 * already further down (two forms of one record would overwrite each
 * other's changes). */
static void
entry_open_record(struct tui *t, struct entry *fm, const struct form *f,
    uint64_t id)
{
	int i;

	for (i = 0; i < t->depth; i++) {
		const struct entry *o;

		if (t->stack[i].ops != &entry_ops)
			continue;
		o = t->stack[i].self;
		if (o->f == f && o->orig->id == id && o->version == 0) {
			tui_info(t, "这条%s记录已经打开了（在下面一层），"
			    "按 Esc 回去就能看到。", f->label);
			return;
		}
	}
	fm->child_open = true;
	tui_form_open(t, f, id);
}

/* F6, and Enter on a link: the record of the current row of a table of
 * stored rows (an unsaved row is saved first), or the linked record. */
static void
entry_open_linked(struct tui *t, struct entry *fm)
{
	struct entry_item *it = &fm->items[fm->cur];
	const struct form *lf;
	const char *idtext;
	uint64_t id;

	if (it->ff->type == FT_LINK) {
		lf = entry_link_parse(t, it->c.value, &id);
		if (lf == NULL)
			tui_info(t, "「%s」还没有填写。", it->ff->label);
		else
			entry_open_record(t, fm, lf, id);
		return;
	}
	if (it->ff->type != FT_ROWS || it->ff->store_form == NULL) {
		tui_info(t, "F6 用于打开承诺事项等表格中一行的记录，"
		    "或所属的记录。");
		return;
	}
	if (it->nrows == 0) {
		tui_info(t, "%s里还没有行。", it->ff->label);
		return;
	}
	idtext = record_get(it->rows[fm->row].base, "_id");
	if (idtext == NULL || entry_dirty(fm)) {
		if (fm->readonly) {
			tui_error(t, "这一行没有单独的记录。");
			return;
		}
		if (!entry_confirm(t, "这一行的修改还没有保存。\n"
		    "先保存整条记录，再打开这一行吗？"))
			return;
		if (!entry_save(t, fm))
			return;
		it = &fm->items[fm->cur];
		if (!entry_in_grid(fm) || fm->row >= it->nrows)
			return;
		idtext = record_get(it->rows[fm->row].base, "_id");
	}
	if (idtext == NULL || !util_parse_id(idtext, &id)) {
		tui_error(t, "这一行还没有对应的%s记录。",
		    it->ff->store_form->label);
		return;
	}
	entry_open_record(t, fm, it->ff->store_form, id);
}

/* --------------------------------------------------------- history */

struct entry_hist {
	struct tui_picker_list	*items;
	unsigned		 want;		/* fetch: this version */
	struct record		*found;
	char			*when;
};

static int
entry_hist_list_cb(void *arg, unsigned version, const struct record *rec)
{
	struct entry_hist *h = arg;
	const char *when = record_get(rec, "_modified");
	char code[16], *label, *note;

	snprintf(code, sizeof code, "%u", version);
	label = xasprintf("第 %u 版", version);
	note = xasprintf("保存于 %s", when ? when : "（时间不详）");
	tui_picker_list_add(h->items, code, label, note);
	free(label);
	free(note);
	return 0;
}

static int
entry_hist_get_cb(void *arg, unsigned version, const struct record *rec)
{
	struct entry_hist *h = arg;
	const char *when = record_get(rec, "_modified");

	if (version != h->want)
		return 0;
	h->found = record_copy(rec);
	h->when = when ? xstrdup(when) : NULL;
	return 1;
}

static void
entry_history_picked(struct tui *t, void *arg, const struct strlist *codes)
{
	struct entry *fm = arg;
	unsigned long v;

	(void)t;
	if (codes == NULL || codes->n == 0)
		return;
	v = strtoul(codes->v[0], NULL, 10);
	/* The version opens once the picker has closed (resume). */
	fm->pending_version = v > 0 && v < 1000000 ? (unsigned)v : 0;
}

/* F9: the old versions of a signed record, newest first. */
static void
entry_history(struct tui *t, struct entry *fm)
{
	struct tui_picker_list items, rev;
	struct tui_picker_spec sp;
	struct entry_hist h;
	char *err = NULL, *title;
	size_t i;

	if (fm->f->sign_field == NULL) {
		tui_info(t, "%s不用签字，没有历史版本。", fm->f->label);
		return;
	}
	if (fm->orig->id == 0) {
		tui_info(t, "这条记录还没有保存过，没有历史版本。");
		return;
	}
	tui_picker_list_init(&items);
	tui_picker_list_init(&rev);
	memset(&h, 0, sizeof h);
	h.items = &items;
	if (store_history(t->st, fm->f, fm->orig->id, entry_hist_list_cb, &h,
	    &err) != CX_OK) {
		tui_error_take(t, err);
		tui_picker_list_clear(&items);
		return;
	}
	if (items.n == 0) {
		const struct form_field *sf = form_field_find(fm->f,
		    fm->f->sign_field);

		tui_info(t, "还没有历史版本：填写「%s」（签字）以后，每次修改"
		    "都会保留修改前的版本。", sf ? sf->label : fm->f->sign_field);
		tui_picker_list_clear(&items);
		return;
	}
	for (i = items.n; i > 0; i--)
		tui_picker_list_add(&rev, items.v[i - 1].code,
		    items.v[i - 1].label, items.v[i - 1].note);
	tui_picker_list_clear(&items);
	memset(&sp, 0, sizeof sp);
	title = xasprintf("历史版本（共 %zu 个）", rev.n);
	sp.title = title;
	sp.help = "选一个版本按回车查看（只读）；Esc 取消。";
	sp.items = &rev;
	sp.done = entry_history_picked;
	sp.done_arg = fm;
	tui_picker_open(t, &sp);
	free(title);
	tui_picker_list_clear(&rev);
}

static struct entry *entry_create(struct tui *t, const struct form *f,
    struct record *r, unsigned version, const char *when);

/* Shows version v of the record, read-only. */
static void
entry_show_version(struct tui *t, struct entry *fm, unsigned v)
{
	struct entry_hist h;
	struct entry *vf;
	char *err = NULL;

	memset(&h, 0, sizeof h);
	h.want = v;
	if (store_history(t->st, fm->f, fm->orig->id, entry_hist_get_cb, &h,
	    &err) != CX_OK) {
		record_free(h.found);
		free(h.when);
		tui_error_take(t, err);
		return;
	}
	if (h.found == NULL) {
		tui_error(t, "找不到第 %u 版。", v);
		return;
	}
	h.found->id = fm->orig->id;
	vf = entry_create(t, fm->f, h.found, v, h.when);
	free(h.when);
	tui_info(t, "这是第 %u 版，修改以前的样子，只能查看。", v);
	tui_push(t, &entry_ops, vf);
}

/* Back from a screen above: a chosen old version opens now; after a
 * linked record's form closed, the record is read again (the row of a
 * table may have changed there) unless there are unsaved changes. */
static void
entry_resume(struct tui *t, void *self)
{
	struct entry *fm = self;
	struct record *r = NULL;
	char *err = NULL;

	if (fm->pending_version > 0) {
		unsigned v = fm->pending_version;

		fm->pending_version = 0;
		entry_show_version(t, fm, v);
		return;
	}
	if (!fm->child_open)
		return;
	fm->child_open = false;
	if (fm->orig->id == 0 || fm->version > 0 || entry_dirty(fm))
		return;
	if (ledger_get(&t->lg, fm->f, fm->orig->id, &r, &err) != CX_OK) {
		free(err);
		return;
	}
	fm->changed = false;
	entry_load(t, fm, r);
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
	.resume = entry_resume,
	.free = entry_free,
	.about = "录入表：每个栏目一行，带 * 的必须填写。灰色标「自动」的栏目"
	    "由程序按其他栏目和名册自动填写或计算，不用输入。承诺事项等表格的"
	    "每一行是一条单独的台账记录，按 F6 打开它填写进展和完成情况。"
	    "所在周期已备案锁定时只能修改评价、备注等栏目。已签字的记录每次"
	    "修改都保留修改前的版本，按 F9 查看。"
	    "打开之后别人（另一台电脑或命令行）也改了这条记录时，按 F2 不会"
	    "覆盖对方的修改：程序列出对方改了哪些栏目，可以重新载入对方的修改并"
	    "保留你改动的栏目，检查后再按 F2 保存。",
};

/* The keys of this form: the table keys only when it has a table, F5
 * only when something can be chosen, no editing keys when read-only;
 * F6 when a table's rows or a link lead to other records, F9 for a
 * record that is signed. */
static void
entry_set_actions(struct entry *fm)
{
	bool rows = false, choice = false, open = false;
	size_t i, j, n = 0;

	for (i = 0; i < fm->f->nfields; i++) {
		const struct form_field *ff = &fm->f->fields[i];

		if (ff->type == FT_ROWS) {
			rows = true;
			if (ff->store_form != NULL)
				open = true;
			for (j = 0; j < ff->nsub; j++)
				if (cell_kind_of(&ff->sub[j]) == CK_CHOICE)
					choice = true;
		} else if (ff->type == FT_LINK) {
			open = true;
			choice = true;
		} else if (cell_kind_of(ff) == CK_CHOICE ||
		    (ff->type == FT_PERIOD && ff->compute == NULL))
			choice = true;
	}
	/* Read-only: the bar offers no key that would only be refused. */
	if (fm->readonly)
		rows = choice = false;
	else
		fm->acts[n++] = TA_SAVE;
	if (choice)
		fm->acts[n++] = TA_PICK;
	if (open)
		fm->acts[n++] = TA_OPEN;
	if (rows)
		fm->acts[n++] = TA_ROW_ADD;
	if (!fm->readonly)
		fm->acts[n++] = TA_DELETE;
	if (fm->f->sign_field != NULL && fm->version == 0)
		fm->acts[n++] = TA_HISTORY;
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

/* The focus starts on the first place the user can type in (a meeting's
 * period follows from its date). */
static void
entry_first_editable(struct entry *fm)
{
	size_t cur = 0, row = 0, col = 0;

	if (fm->readonly || fm->n == 0)
		return;
	for (;;) {
		const struct entry_item *it = &fm->items[cur];
		const struct cell *c = entry_cell_at(fm, cur, row, col);

		if (c == NULL ? entry_rows_editable(fm, it) :
		    entry_cell_editable(fm, it, c))
			break;
		if (!entry_pos_next(fm, &cur, &row, &col, 1))
			return;
	}
	fm->cur = cur;
	fm->row = row;
	fm->col = col;
}

/* A record of a period filed and locked opens with only its annotation
 * fields editable (none: read-only), and says so. */
static void
entry_check_lock(struct tui *t, struct entry *fm, const struct record *r)
{
	const char *pv = NULL;
	struct period p;
	char label[32];
	struct buf b;
	size_t i, n = 0;

	if (form_field_find(fm->f, "current_period") != NULL)
		pv = record_get(r, "current_period");
	if ((pv == NULL || *pv == '\0') &&
	    form_field_find(fm->f, "period") != NULL)
		pv = record_get(r, "period");
	if (pv == NULL || model_period_parse(pv, &p, NULL) != CX_OK ||
	    !ledger_locked(&t->lg, &p))
		return;
	model_period_label(&p, label);
	buf_init(&b);
	buf_addf(&b, "%s已备案锁定：", label);
	for (i = 0; i < fm->f->nfields; i++)
		if (fm->f->fields[i].annotation) {
			buf_addf(&b, "%s「%s」", n == 0 ? "只能修改" : "",
			    fm->f->fields[i].label);
			n++;
		}
	buf_addstr(&b, n > 0 ? "。" : "只能查看，不能修改。");
	fm->locked = true;
	fm->lock_msg = buf_take(&b);
	if (n == 0) {
		fm->readonly = true;
		fm->ro_msg = fm->lock_msg;
	}
}

/* The entry screen for r (taken); version > 0 shows an old version. */
static struct entry *
entry_create(struct tui *t, const struct form *f, struct record *r,
    unsigned version, const char *when)
{
	struct entry *fm = xcalloc(1, sizeof *fm);

	fm->f = f;
	fm->readonly = store_readonly(t->st) || version > 0;
	fm->ro_msg = version > 0 ? FORM_VERSION_MSG : FORM_READONLY_MSG;
	fm->version = version;
	fm->version_time = when ? xstrdup(when) : NULL;
	if (r->id != 0 && version == 0)
		entry_check_lock(t, fm, r);
	entry_set_actions(fm);
	entry_load(t, fm, r);
	entry_first_editable(fm);
	cell_cursor_end(entry_cell(fm));
	return fm;
}

/* A new record: the rows a table needs, the defaults, and the period
 * the user works in for "default current". */
static struct record *
entry_new_record(struct tui *t, const struct form *f)
{
	struct record *r = record_new();
	struct date today;
	size_t i, k;

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
	ledger_default_periods(&t->lg, f, r);
	return r;
}

void
tui_form_open(struct tui *t, const struct form *f, uint64_t id)
{
	struct entry *fm;
	struct record *r = NULL;
	char *err = NULL;

	if (id != 0) {
		int rc = ledger_get(&t->lg, f, id, &r, &err);

		if (rc == CX_NOTFOUND) {
			free(err);
			tui_error(t, "没有编号为 %llu 的%s记录（可能已经删除）。",
			    (unsigned long long)id, f->label);
			return;
		}
		if (rc != CX_OK) {
			tui_error_take(t, err);
			return;
		}
	} else
		r = entry_new_record(t, f);
	fm = entry_create(t, f, r, 0, NULL);
	if (id == 0 && !fm->readonly)
		entry_fill_obvious(t, fm, true);
	if (fm->readonly && fm->locked)
		tui_info(t, "%s", fm->lock_msg);
	else if (fm->readonly)
		tui_info(t, "%s", FORM_READONLY_MSG);
	else if (fm->locked)
		tui_info(t, "%s", fm->lock_msg);
	tui_push(t, &entry_ops, fm);
}

/* The 工作台's "新建" items: a new record with what the program already
 * knows (branch, member, period ...) filled in, as if it had been there
 * from the start, so leaving without typing asks nothing. */
void
tui_form_open_prefill(struct tui *t, const struct form *f,
    const struct record *prefill)
{
	struct record *r = entry_new_record(t, f);
	struct entry *fm;
	size_t i;

	for (i = 0; prefill != NULL && i < prefill->n; i++)
		if (!prefill->v[i].is_rows && prefill->v[i].text != NULL &&
		    form_field_find(f, prefill->v[i].id) != NULL)
			record_set(r, prefill->v[i].id, prefill->v[i].text);
	/* Values that follow from the prefilled ones (secretary, number
	 * of members ...) are part of the starting point too. */
	ledger_derive(&t->lg, f, r);
	fm = entry_create(t, f, r, 0, NULL);
	if (fm->readonly)
		tui_info(t, "%s", FORM_READONLY_MSG);
	else
		entry_fill_obvious(t, fm, true);
	tui_push(t, &entry_ops, fm);
}
