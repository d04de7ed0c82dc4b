/* tui_browse.c: the browse list of one record kind.
 *
 * The list shows one page of records in one of three orders ("views"):
 * by 编号 (id order, store_scan), by an indexed field such as 姓名 (index
 * order, store_index_scan), or only the records of one 党支部 (a filter:
 * STORE_SCAN_EXACT on the reference's index, id order).
 *
 * No position is ever counted.  The window holds just the rows on screen,
 * each with its place in the order, (key, id); every key moves by
 * walking the store from such an anchor: one seek and at most a page or
 * two of records, so a key costs the same with 60 members or a million.
 * Whether the window touches either end of the list is learnt on the way
 * (each walk asks for one row more than it shows), which gives the
 * 第一页/最后一页 hints for free.  The heading's count comes from
 * store_count or store_index_count, both O(1) or O(log n).
 *
 * A kind with a period field ("current_period", else "period") opens on
 * the records of the period the user works in (ledger_current_period);
 * F6 changes the period, the 党支部 or both: the second filter is then
 * checked on each record of the first one's walk (a period or a branch
 * holds few records, so this stays cheap).  Computed columns (compute
 * with a list width) are worked out for each row shown.
 *
 * Incremental search (F4, / or simply typing) looks in one text column
 * at a time (Tab changes it).  An indexed field switches the list to that
 * field's order and jumps to the first value starting with the typed
 * text; any other field, or any field while a filter is on, is searched
 * forward from the selection for a value containing the text, examining
 * at most BROWSE_SEARCH_BUDGET records per key; the search then goes on
 * in steps of the same size between keys (the idle op), so a key never
 * waits for more than one step however long the list.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "tui.h"
#include "tui_curses.h"

#define BROWSE_MIN_COL		4	/* text columns are not narrowed further */
#define BROWSE_SEARCH_BUDGET	500	/* records one search step may examine (about 1 ms) */
#define BROWSE_SEARCH_MAX	40	/* characters in the search line */
#define BROWSE_TITLES		64	/* cached titles of referenced records */
#define BROWSE_CHOICES_MAX	500	/* filter values offered per kind */

enum browse_mode {
	BM_LIST,
	BM_SEARCH,
	BM_CHOOSE
};

struct browse_col {
	const struct form_field	*ff;	/* NULL: the 编号 column */
	const char		*label;
	int			 want;	/* width asked for by the form */
	bool			 text;	/* may be narrowed to fit */
};

struct browse_row {
	uint64_t	 id;
	char		*key;	/* index key in index order, else NULL */
	char		*title;
	char	       **cells;	/* one per column */
};

/* A place in the view's order (see store_index_scan): key is ignored in
 * id order and in a filtered view. */
struct browse_pos {
	const char	*key;
	uint64_t	 id;
};

struct browse;

/* A kind of filter.  Every kind narrows the list to the records whose
 * indexed field holds one value, paged through that field's index in id
 * order; kinds differ in which field they use and how the values to
 * choose from are found (browse_filter_kinds: 党支部, then 周期). */
struct browse_filter_kind {
	/* The field of the form this kind filters on, or NULL. */
	const struct form_field	*(*field)(struct tui *t, const struct form *f);
	/* Adds the values one may choose to the chooser. */
	void			 (*values)(struct tui *t, struct browse *b,
				    const struct browse_filter_kind *kind,
				    const struct form_field *ff);
};

struct browse_filter {
	const struct browse_filter_kind	*kind;	/* NULL: no filter */
	const struct form_field		*ff;
	char				*value;
	char				*label;	/* "所属党支部：办公室党支部" */
};

struct browse_view {
	const struct form_field	*order;		/* NULL: id order */
	struct browse_filter	 filter;	/* when set, order is NULL */
	/* A second filter of another kind, checked on each record of the
	 * first one's walk; set only together with filter. */
	struct browse_filter	 also;
};

enum browse_choice_kind {
	BC_ORDER,	/* no filter, in the order of field (NULL: 编号) */
	BC_FILTER
};

struct browse_choice {
	enum browse_choice_kind		 kind;
	char				*label;
	const struct form_field		*order;
	const struct browse_filter_kind	*fkind;
	const struct form_field		*ff;
	char				*value;		/* NULL: drop fkind's filter */
	char				*vlabel;
};

enum browse_search_state {
	BS_NONE,
	BS_FOUND,
	BS_MORE,	/* the budget ran out: Enter goes on */
	BS_END,		/* reached the end without finding: Enter wraps */
	BS_ABSENT	/* nowhere in the whole list */
};

enum browse_search_how {
	SR_EXTEND,	/* the text grew: from the selection, inclusive */
	SR_RESTART,	/* the text shrank or the column changed: from the origin */
	SR_NEXT,	/* F4: after the selection */
	SR_MORE,	/* Enter after the budget ran out */
	SR_WRAP		/* Enter after reaching the end */
};

struct browse_search {
	struct edit			 ed;
	size_t				 col;	/* index into cols */
	/* Where the search started, to return to on Esc. */
	const struct form_field		*origin_order;
	char				*origin_key;
	uint64_t			 origin_id;
	size_t				 origin_off;
	bool				 origin_empty;
	enum browse_search_state	 state;
	bool				 from_start;	/* this chain began at the top */
	size_t				 examined;	/* records read by this chain */
	char				*more_key;	/* last record examined */
	uint64_t			 more_id;
	char				*msg;
	bool				 msg_error;
};

struct browse_title {
	const char	*kind;
	uint64_t	 id;
	char		*text;
};

struct browse {
	const struct form	*f;
	struct browse_col	*cols;
	size_t			 ncols;
	/* A computed column may count rows stored as records of their own
	 * (附件一's 承诺事项): such rows are read with the record. */
	bool			 load_rows;
	struct browse_view	 view;
	/* The window: the rows on screen. */
	struct browse_row	*rows;
	size_t			 nrows;
	size_t			 sel;
	size_t			 page;
	bool			 at_first;	/* rows[0] is the first of the list */
	bool			 at_last;	/* rows[nrows-1] is the last */
	size_t			 count;
	enum browse_mode	 mode;
	struct browse_search	 search;
	struct browse_choice	*choices;
	size_t			 nchoices, choices_cap, choice_sel, choice_top;
	struct browse_title	 titles[BROWSE_TITLES];
	size_t			 next_title;
	bool			 new_pending;	/* F3 was pressed */
	uint64_t		 last_id;	/* largest id at F3 */
};

/* Collects rows from a walk, or searches through one. */
struct browse_walk {
	struct tui		*t;
	struct browse		*b;
	bool			 keyed;		/* keep the index key of each row */
	struct browse_row	*rows;
	size_t			 n, cap;
	const char		*needle;	/* searching: the text */
	const char		*field;
	bool			 found;
	size_t			 seen;
	struct buf		 lastkey;
	uint64_t		 lastid;
	/* With a second filter the walk itself stops after limit rows (or,
	 * searching, limit records seen); otherwise the store does. */
	size_t			 limit;
};

static const enum tui_action browse_list_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_ENTER, TA_NEW,
	TA_FIND, TA_FILTER, TA_DELETE, TA_BACK, TA_NONE
};
static const enum tui_action browse_search_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_FIND, TA_NEXT, TA_PREV, TA_ENTER,
	TA_LEFT, TA_RIGHT, TA_HOME, TA_END, TA_BACKSPACE, TA_DELCHAR, TA_KILL,
	TA_KILL_END, TA_BACK, TA_NONE
};
static const enum tui_action browse_choose_actions[] = {
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_HOME, TA_END, TA_ENTER, TA_BACK,
	TA_NONE
};

/* ------------------------------------------------------------- cells */

/* Frees what n rows hold, not the array. */
static void
browse_rows_clear(struct browse *b, struct browse_row *rows, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < b->ncols; j++)
			free(rows[i].cells[j]);
		free(rows[i].cells);
		free(rows[i].key);
		free(rows[i].title);
	}
}

static void
browse_rows_free(struct browse *b, struct browse_row *rows, size_t n)
{
	browse_rows_clear(b, rows, n);
	free(rows);
}

static void
browse_titles_clear(struct browse *b)
{
	size_t i;

	for (i = 0; i < BROWSE_TITLES; i++) {
		free(b->titles[i].text);
		b->titles[i].text = NULL;
		b->titles[i].kind = NULL;
	}
	b->next_title = 0;
}

/* The title of a referenced record.  A page shows the same few 党支部 over
 * and over; a small cache keeps drawing a page from reading each of them
 * once per row. */
static char *
browse_ref_title(struct tui *t, struct browse *b, const struct form_field *ff,
    const char *value)
{
	struct browse_title *bt;
	uint64_t id;
	size_t i;

	if (!util_parse_id(value, &id))
		return form_value_display(t->fs, ff, value, tui_lookup, t);
	for (i = 0; i < BROWSE_TITLES; i++) {
		bt = &b->titles[i];
		if (bt->text != NULL && bt->id == id &&
		    strcmp(bt->kind, ff->ref_kind) == 0)
			return xstrdup(bt->text);
	}
	bt = &b->titles[b->next_title];
	b->next_title = (b->next_title + 1) % BROWSE_TITLES;
	free(bt->text);
	bt->kind = ff->ref_kind;
	bt->id = id;
	bt->text = form_value_display(t->fs, ff, value, tui_lookup, t);
	return xstrdup(bt->text);
}

/* What a cell shows: one line, however the value was typed. */
static char *
browse_cell(struct tui *t, struct browse *b, const struct form_field *ff,
    const char *value)
{
	char *s, *p;

	struct period pd;
	char label[32];

	if (value == NULL || *value == '\0')
		return xstrdup("");
	if (ff->type == FT_REF)
		s = browse_ref_title(t, b, ff, value);
	else if (ff->type == FT_LINK)
		s = tui_link_display(t, value);
	else if (ff->type == FT_PERIOD &&
	    model_period_parse(value, &pd, NULL) == CX_OK) {
		model_period_label(&pd, label);
		s = xstrdup(label);
	} else
		s = form_value_display(t->fs, ff, value, NULL, NULL);
	for (p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return s;
}

static void
browse_row_add(struct browse_walk *w, const char *key,
    const struct record *rec)
{
	struct browse *b = w->b;
	struct browse_row *r;
	struct record *full = NULL;
	const struct form_field *tt;
	const char *title;
	char *err = NULL;
	size_t j;

	if (b->load_rows && ledger_get(&w->t->lg, b->f, rec->id, &full,
	    &err) != CX_OK) {
		free(err);
		full = NULL;
	}
	w->rows = xgrow(w->rows, &w->cap, w->n + 1, sizeof *w->rows);
	r = &w->rows[w->n++];
	r->id = rec->id;
	r->key = w->keyed && key != NULL ? xstrdup(key) : NULL;
	title = b->f->title != NULL ? record_get(rec, b->f->title) : NULL;
	tt = b->f->title != NULL ? form_field_find(b->f, b->f->title) : NULL;
	/* A title that names another record reads as that record's name. */
	r->title = title != NULL && tt != NULL && tt->type != FT_TEXT ?
	    browse_cell(w->t, b, tt, title) : xstrdup(title != NULL ? title :
	    "");
	r->cells = xcalloc(b->ncols, sizeof *r->cells);
	for (j = 0; j < b->ncols; j++) {
		const struct form_field *ff = b->cols[j].ff;

		if (ff == NULL)
			r->cells[j] = xasprintf("%llu",
			    (unsigned long long)rec->id);
		else if (ff->compute != NULL)
			r->cells[j] = form_compute(ff, b->f, full ? full : rec,
			    NULL, &w->t->lg.ctx);
		else
			r->cells[j] = browse_cell(w->t, b, ff,
			    record_get(rec, ff->id));
	}
	record_free(full);
}

/* ------------------------------------------------------------- walks */

/* Whether hay contains needle, ASCII letters matched without case. */
static bool
browse_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return true;
	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++) {
			unsigned char a = (unsigned char)hay[i];
			unsigned char c = (unsigned char)needle[i];

			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a - 'A' + 'a');
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (a != c)
				break;
		}
		if (i == n)
			return true;
	}
	return false;
}

/* Whether a record passes a filter. */
static bool
browse_filter_ok(const struct browse_filter *fl, const struct record *rec)
{
	const char *s;

	if (fl->kind == NULL)
		return true;
	s = record_get(rec, fl->ff->id);
	return s != NULL && strcmp(s, fl->value) == 0;
}

static int
browse_walk_one(struct browse_walk *w, const char *key,
    const struct record *rec)
{
	bool ok = browse_filter_ok(&w->b->view.also, rec);

	if (w->needle != NULL) {
		const char *v = record_get(rec, w->field);

		w->seen++;
		buf_reset(&w->lastkey);
		buf_addstr(&w->lastkey, key != NULL ? key : "");
		w->lastid = rec->id;
		if (ok && v != NULL && browse_contains(v, w->needle)) {
			w->found = true;
			browse_row_add(w, key, rec);
			return 1;
		}
		return w->limit > 0 && w->seen >= w->limit;
	}
	if (ok)
		browse_row_add(w, key, rec);
	return w->limit > 0 && w->n >= w->limit;
}

static int
browse_scan_cb(void *arg, const struct form *f, const struct record *rec)
{
	(void)f;
	return browse_walk_one(arg, NULL, rec);
}

static int
browse_index_cb(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	(void)f;
	return browse_walk_one(arg, key, rec);
}

static void
browse_walk_init(struct browse_walk *w, struct tui *t, struct browse *b)
{
	memset(w, 0, sizeof *w);
	w->t = t;
	w->b = b;
	w->keyed = b->view.filter.kind == NULL && b->view.order != NULL;
	buf_init(&w->lastkey);
}

static void
browse_walk_free(struct browse_walk *w)
{
	browse_rows_free(w->b, w->rows, w->n);
	w->rows = NULL;
	w->n = 0;
	buf_free(&w->lastkey);
}

/* Walks the view from pos: strictly after it (dir > 0) or strictly
 * before it (dir < 0), or from the first or last entry when pos is NULL;
 * at most max entries.  One seek, then one step per entry. */
static int
browse_walk(struct browse *b, struct tui *t, const struct browse_pos *pos,
    int dir, size_t max, struct browse_walk *w, char **errp)
{
	const struct browse_view *v = &b->view;

	if (v->also.kind != NULL) {
		/* Records the second filter drops do not count. */
		w->limit = max;
		max = 0;
	}
	if (v->filter.kind != NULL) {
		uint64_t id = pos != NULL ? pos->id : dir > 0 ? 0 :
		    STORE_ID_END;

		return store_index_scan(t->st, b->f, v->filter.ff->id,
		    v->filter.value, id, STORE_SCAN_EXACT, dir, max,
		    browse_index_cb, w, errp);
	}
	if (v->order != NULL) {
		/* An empty key lies before every entry. */
		return store_index_scan(t->st, b->f, v->order->id,
		    pos == NULL ? NULL : pos->key != NULL ? pos->key : "",
		    pos != NULL ? pos->id : 0, 0, dir, max, browse_index_cb, w,
		    errp);
	}
	if (pos == NULL)
		return store_scan(t->st, b->f, 0, dir, max, browse_scan_cb, w,
		    errp);
	if (pos->id == 0 && dir < 0)
		return CX_OK;	/* nothing lies before id 0 */
	if (pos->id == STORE_ID_END && dir > 0)
		return CX_OK;
	return store_scan(t->st, b->f, pos->id, dir, max, browse_scan_cb, w,
	    errp);
}

/* Fills the window so that the first entry at or after pos sits on
 * screen row off (off may be page: the page before pos), or as near to
 * it as the ends of the list allow; with pos NULL, the first page (edge
 * > 0) or the last (edge < 0).  Returns the index of that entry in the
 * window (or of the last row when nothing lies at or after pos).  At most
 * two walks of page + 1 entries.  On error the window is left as it was
 * and the message shown. */
static size_t
browse_load(struct tui *t, struct browse *b, const struct browse_pos *pos,
    int edge, size_t off)
{
	struct browse_walk after, before;
	struct browse_pos start;
	struct browse_row *rows;
	size_t page = b->page, need, nb, na, i, target;
	char *err = NULL;

	browse_walk_init(&after, t, b);
	browse_walk_init(&before, t, b);
	if (off > page)
		off = page;
	if (pos == NULL) {
		if (edge >= 0 && browse_walk(b, t, NULL, 1, page + 1, &after,
		    &err) != CX_OK)
			goto fail;
		if (edge < 0 && browse_walk(b, t, NULL, -1, page + 1, &before,
		    &err) != CX_OK)
			goto fail;
		need = edge < 0 ? page : 0;
	} else {
		/* Entries after (key, id - 1) are those at or after pos. */
		start.key = pos->key;
		start.id = pos->id > 0 ? pos->id - 1 : 0;
		if (browse_walk(b, t, &start, 1, page + 1, &after, &err) !=
		    CX_OK)
			goto fail;
		need = off;
		if (after.n < page - off)
			need = page - after.n;
		if (browse_walk(b, t, pos, -1, need + 1, &before, &err) !=
		    CX_OK)
			goto fail;
	}
	nb = before.n < need ? before.n : need;
	na = after.n < page - nb ? after.n : page - nb;
	rows = xcalloc(nb + na + 1, sizeof *rows);
	for (i = 0; i < nb; i++)
		rows[i] = before.rows[nb - 1 - i];
	for (i = 0; i < na; i++)
		rows[nb + i] = after.rows[i];
	/* Each walk asked for one entry more than it may show: when that
	 * one did not come, the window reaches the end. */
	b->at_first = before.n <= need;
	b->at_last = after.n <= na;
	/* The rows not shown are freed; the ones moved are not. */
	browse_rows_clear(b, before.rows + nb, before.n - nb);
	browse_rows_clear(b, after.rows + na, after.n - na);
	free(before.rows);
	free(after.rows);
	buf_free(&before.lastkey);
	buf_free(&after.lastkey);

	browse_rows_free(b, b->rows, b->nrows);
	b->rows = rows;
	b->nrows = nb + na;
	target = na > 0 ? nb : nb > 0 ? nb - 1 : 0;
	return target;

fail:
	browse_walk_free(&before);
	browse_walk_free(&after);
	tui_error_take(t, err);
	return b->sel < b->nrows ? b->sel : 0;
}

/* Loads the window around the entry at or after (key, id); the key is
 * copied first because it usually points into the window being
 * replaced. */
static size_t
browse_load_at(struct tui *t, struct browse *b, const char *key, uint64_t id,
    size_t off)
{
	struct browse_pos pos;
	char *k = key != NULL ? xstrdup(key) : NULL;
	size_t target;

	pos.key = k;
	pos.id = id;
	target = browse_load(t, b, &pos, 0, off);
	free(k);
	return target;
}

/* ------------------------------------------------------------ counts */

static int
browse_last_cb(void *arg, const struct form *f, const struct record *rec)
{
	(void)f;
	*(uint64_t *)arg = rec->id;
	return 1;
}

/* The largest id of the kind: one seek from the end. */
static uint64_t
browse_last_id(struct tui *t, struct browse *b)
{
	uint64_t id = 0;
	char *err = NULL;

	if (store_scan(t->st, b->f, 0, -1, 1, browse_last_cb, &id, &err) !=
	    CX_OK) {
		free(err);
		return 0;
	}
	return id;
}

static int
browse_count_cb(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	struct browse *b = arg;

	(void)f;
	(void)key;
	if (browse_filter_ok(&b->view.also, rec))
		b->count++;
	return 0;
}

/* The heading's count and the width of the 编号 column, from the store's
 * counters and one seek: never by walking the list, except with two
 * filters, when the records of the first are read (a period's or a
 * branch's). */
static void
browse_count(struct tui *t, struct browse *b)
{
	const struct browse_view *v = &b->view;
	uint64_t last;
	char *err = NULL;
	int rc, digits;

	b->count = 0;
	if (v->also.kind != NULL)
		rc = store_index_scan(t->st, b->f, v->filter.ff->id,
		    v->filter.value, 0, STORE_SCAN_EXACT, 1, 0,
		    browse_count_cb, b, &err);
	else if (v->filter.kind != NULL)
		rc = store_index_count(t->st, b->f, v->filter.ff->id,
		    v->filter.value, &b->count, &err);
	else if (v->order != NULL)
		rc = store_index_count(t->st, b->f, v->order->id, NULL,
		    &b->count, &err);
	else
		rc = store_count(t->st, b->f, &b->count, &err);
	if (rc != CX_OK)
		tui_error_take(t, err);
	last = browse_last_id(t, b);
	for (digits = 1; last >= 10; last /= 10)
		digits++;
	b->cols[0].want = digits > 4 ? digits : 4;
}

/* Whether a record belongs in the current view. */
static bool
browse_in_view(const struct browse *b, const struct record *rec)
{
	const struct browse_view *v = &b->view;
	const char *s;

	if (v->filter.kind != NULL)
		return browse_filter_ok(&v->filter, rec) &&
		    browse_filter_ok(&v->also, rec);
	if (v->order != NULL) {
		s = record_get(rec, v->order->id);
		return s != NULL && *s != '\0';
	}
	return true;
}

/* The window again around the selected record, after a screen above
 * closed, a deletion or a resize.  The record may have been changed (a
 * new name moves it in name order: follow it), deleted or moved out of
 * the filter (the next record takes its place).  After F3 the newest
 * record, if one was added, is selected instead. */
static void
browse_reload(struct tui *t, struct browse *b)
{
	const struct form_field *of = b->view.filter.kind == NULL ?
	    b->view.order : NULL;
	struct record *rec = NULL;
	char *key = NULL, *err = NULL;
	uint64_t id = 0, newest;
	size_t off = b->sel;
	bool anchored = false;

	browse_count(t, b);
	if (b->new_pending) {
		b->new_pending = false;
		newest = browse_last_id(t, b);
		if (newest > b->last_id && store_get(t->st, b->f, newest, &rec,
		    &err) == CX_OK && browse_in_view(b, rec)) {
			id = newest;
			anchored = true;
		}
	}
	if (!anchored && b->nrows > 0) {
		const struct browse_row *r = &b->rows[b->sel];

		record_free(rec);
		rec = NULL;
		id = r->id;
		key = r->key != NULL ? xstrdup(r->key) : NULL;
		if (store_get(t->st, b->f, id, &rec, &err) == CX_OK &&
		    browse_in_view(b, rec))
			anchored = true;
	}
	free(err);
	if (anchored && of != NULL) {
		free(key);
		key = xstrdup(record_get(rec, of->id));
	}
	record_free(rec);
	if (id == 0)
		b->sel = browse_load(t, b, NULL, 1, 0);
	else
		b->sel = browse_load_at(t, b, key, id, off);
	free(key);
}

/* ------------------------------------------------------------ moving */

/* Arrows, pages, Home and End.  Within the window only the selection
 * moves; past its edges the window is walked from its first or last
 * row. */
static void
browse_move(struct tui *t, struct browse *b, enum tui_action a)
{
	const struct browse_row *r;
	size_t keep = b->sel, target;

	if (a == TA_HOME) {
		b->sel = browse_load(t, b, NULL, 1, 0);
		return;
	}
	if (a == TA_END) {
		b->sel = browse_load(t, b, NULL, -1, 0);
		return;
	}
	if (b->nrows == 0)
		return;
	switch (a) {
	case TA_DOWN:
		if (b->sel + 1 < b->nrows)
			b->sel++;
		else if (!b->at_last) {
			r = &b->rows[b->nrows - 1];
			b->sel = browse_load_at(t, b, r->key, r->id + 1,
			    b->page - 1);
		}
		break;
	case TA_UP:
		if (b->sel > 0)
			b->sel--;
		else if (!b->at_first) {
			r = &b->rows[0];
			target = browse_load_at(t, b, r->key, r->id, 1);
			b->sel = target > 0 ? target - 1 : 0;
		}
		break;
	case TA_PGDN:
		if (b->at_last) {
			b->sel = b->nrows - 1;
			break;
		}
		r = &b->rows[b->nrows - 1];
		(void)browse_load_at(t, b, r->key, r->id + 1, 0);
		b->sel = keep < b->nrows ? keep : b->nrows - 1;
		break;
	case TA_PGUP:
		if (b->at_first) {
			b->sel = 0;
			break;
		}
		r = &b->rows[0];
		(void)browse_load_at(t, b, r->key, r->id, b->page);
		b->sel = keep < b->nrows ? keep : b->nrows - 1;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ search */

static bool
browse_col_searchable(const struct browse_col *c)
{
	return c->ff != NULL && c->ff->compute == NULL &&
	    (c->ff->type == FT_TEXT || c->ff->type == FT_LONGTEXT);
}

/* Whether the search in column c jumps through an index (by prefix) or
 * reads records one by one (by contents).  A filtered view is in id
 * order, so it is always searched by contents. */
static bool
browse_search_by_index(struct tui *t, const struct browse *b,
    const struct browse_col *c)
{
	return b->view.filter.kind == NULL &&
	    store_field_indexed(t->st, b->f, c->ff->id);
}

static void
browse_search_msg(struct browse *b, bool error, char *msg)
{
	free(b->search.msg);
	b->search.msg = msg;
	b->search.msg_error = error;
}

static void
browse_search_begin(struct tui *t, struct browse *b)
{
	struct browse_search *s = &b->search;

	if (s->col >= b->ncols || !browse_col_searchable(&b->cols[s->col])) {
		tui_error(t, "这个列表没有可以查找的文字栏目。");
		return;
	}
	edit_clear(&s->ed);
	s->origin_order = b->view.order;
	free(s->origin_key);
	s->origin_key = NULL;
	s->origin_empty = b->nrows == 0;
	if (!s->origin_empty) {
		const struct browse_row *r = &b->rows[b->sel];

		s->origin_key = r->key != NULL ? xstrdup(r->key) : NULL;
		s->origin_id = r->id;
		s->origin_off = b->sel;
	}
	s->state = BS_NONE;
	s->from_start = false;
	browse_search_msg(b, false, NULL);
	b->mode = BM_SEARCH;
}

/* Back to the order and the record the search started from. */
static void
browse_search_origin(struct tui *t, struct browse *b)
{
	struct browse_search *s = &b->search;

	if (b->view.order != s->origin_order) {
		b->view.order = s->origin_order;
		browse_count(t, b);
	}
	if (s->origin_empty)
		b->sel = browse_load(t, b, NULL, 1, 0);
	else
		b->sel = browse_load_at(t, b, s->origin_key, s->origin_id,
		    s->origin_off);
}

static bool
browse_has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* An indexed field: the list in that field's order, at the first value
 * that starts with the text (or where it would be). */
static void
browse_search_prefix(struct tui *t, struct browse *b,
    const struct browse_col *c, const char *text, enum browse_search_how how)
{
	struct browse_search *s = &b->search;
	const struct browse_row *r;
	size_t off = b->sel;

	if (b->view.order != c->ff) {
		b->view.order = c->ff;
		browse_count(t, b);
		b->sel = browse_load_at(t, b, text, 0, off);
	} else if (how == SR_NEXT && b->nrows > 0) {
		char *key;
		uint64_t id;

		r = &b->rows[b->sel];
		key = r->key != NULL ? xstrdup(r->key) : NULL;
		id = r->id;
		b->sel = browse_load_at(t, b, key, id + 1, off);
		r = b->nrows > 0 ? &b->rows[b->sel] : NULL;
		if (r == NULL || !browse_has_prefix(r->key, text)) {
			/* No next one: stay on the last match. */
			b->sel = browse_load_at(t, b, key, id, off);
			browse_search_msg(b, true, xasprintf("后面没有以「%s」"
			    "开头的%s了。", text, c->label));
			free(key);
			return;
		}
		free(key);
	} else
		b->sel = browse_load_at(t, b, text, 0, off);
	r = b->nrows > 0 ? &b->rows[b->sel] : NULL;
	if (r != NULL && browse_has_prefix(r->key, text))
		s->state = BS_FOUND;
	else {
		s->state = BS_NONE;
		browse_search_msg(b, true, xasprintf("没有以「%s」开头的%s。",
		    text, c->label));
	}
}

/* Any other field: forward in the list's order for a value containing
 * the text, examining at most BROWSE_SEARCH_BUDGET records, so a key
 * costs no more in a bigger list; Enter goes on from where it stopped. */
static void
browse_search_contains(struct tui *t, struct browse *b,
    const struct browse_col *c, const char *text, enum browse_search_how how)
{
	struct browse_search *s = &b->search;
	struct browse_walk w;
	struct browse_pos pos, *pp = &pos;
	const struct browse_row *r;
	char *err = NULL;

	if (how == SR_RESTART && b->view.order != s->origin_order)
		browse_search_origin(t, b);
	/* A longer text cannot match where a shorter one did not. */
	if (how == SR_EXTEND && s->state == BS_MORE)
		how = SR_MORE;
	if ((how == SR_EXTEND || how == SR_NEXT) && s->state == BS_END) {
		if (how == SR_EXTEND) {
			browse_search_msg(b, true, xstrdup("查到末尾未找到，"
			    "按回车从头查找。"));
			return;
		}
		how = SR_WRAP;
	}
	if (s->state == BS_ABSENT && how != SR_RESTART) {
		browse_search_msg(b, true, xasprintf("整个列表中没有「%s」。",
		    text));
		return;
	}
	if (how == SR_NEXT && s->state == BS_MORE)
		how = SR_MORE;

	r = b->nrows > 0 ? &b->rows[b->sel] : NULL;
	switch (how) {
	case SR_EXTEND:
		if (r == NULL) {
			pp = NULL;
			s->from_start = true;
			break;
		}
		pos.key = r->key;
		pos.id = r->id > 0 ? r->id - 1 : 0;
		s->from_start = false;
		break;
	case SR_RESTART:
		if (s->origin_empty) {
			pp = NULL;
			s->from_start = true;
			break;
		}
		pos.key = s->origin_key;
		pos.id = s->origin_id > 0 ? s->origin_id - 1 : 0;
		s->from_start = false;
		break;
	case SR_NEXT:
		if (r == NULL)
			return;
		pos.key = r->key;
		pos.id = r->id;
		s->from_start = false;
		break;
	case SR_MORE:
		pos.key = s->more_key;
		pos.id = s->more_id;
		break;
	case SR_WRAP:
		pp = NULL;
		s->from_start = true;
		break;
	}

	if (how != SR_MORE)
		s->examined = 0;
	browse_walk_init(&w, t, b);
	w.needle = text;
	w.field = c->ff->id;
	if (browse_walk(b, t, pp, 1, BROWSE_SEARCH_BUDGET, &w, &err) !=
	    CX_OK) {
		browse_walk_free(&w);
		tui_error_take(t, err);
		return;
	}
	if (w.found) {
		r = &w.rows[0];
		b->sel = browse_load_at(t, b, r->key, r->id, b->sel);
		s->state = BS_FOUND;
	} else if (w.seen >= BROWSE_SEARCH_BUDGET) {
		s->examined += w.seen;
		free(s->more_key);
		s->more_key = w.keyed ? xstrdup(w.lastkey.s != NULL ?
		    w.lastkey.s : "") : NULL;
		s->more_id = w.lastid;
		s->state = BS_MORE;
		browse_search_msg(b, false, xasprintf("正在查找，已查 %zu 条；"
		    "按 Esc 停止。", s->examined));
	} else if (s->from_start) {
		s->state = BS_ABSENT;
		browse_search_msg(b, true, xasprintf("整个列表中没有「%s」。",
		    text));
	} else {
		s->state = BS_END;
		browse_search_msg(b, true, xstrdup("查到末尾未找到，按回车从头"
		    "查找。"));
	}
	browse_walk_free(&w);
}

static void
browse_search_run(struct tui *t, struct browse *b, enum browse_search_how how)
{
	struct browse_search *s = &b->search;
	const struct browse_col *c = &b->cols[s->col];
	char *text = edit_get_utf8(&s->ed);

	browse_search_msg(b, false, NULL);
	if (how == SR_RESTART)
		s->state = BS_NONE;
	if (*text == '\0') {
		browse_search_origin(t, b);
		s->state = BS_NONE;
	} else if (browse_search_by_index(t, b, c))
		browse_search_prefix(t, b, c, text, how);
	else
		browse_search_contains(t, b, c, text, how);
	free(text);
}

/* Tab and Shift+Tab: the next searchable column. */
static void
browse_search_cycle(struct tui *t, struct browse *b, int dir)
{
	struct browse_search *s = &b->search;
	size_t j, n = b->ncols;

	for (j = 1; j < n; j++) {
		size_t k = dir > 0 ? (s->col + j) % n : (s->col + n - j) % n;

		if (browse_col_searchable(&b->cols[k])) {
			s->col = k;
			break;
		}
	}
	if (b->search.ed.len > 0)
		browse_search_run(t, b, SR_RESTART);
	else
		browse_search_msg(b, false, NULL);
}

static enum tui_result browse_list_key(struct tui *t, struct browse *b,
    enum tui_action a, wchar_t wc);

static enum tui_result
browse_search_key(struct tui *t, struct browse *b, enum tui_action a,
    wchar_t wc)
{
	struct browse_search *s = &b->search;

	switch (a) {
	case TA_CHAR:
		if (edit_insert(&s->ed, wc))
			browse_search_run(t, b, SR_EXTEND);
		break;
	case TA_BACKSPACE:
		if (edit_backspace(&s->ed))
			browse_search_run(t, b, SR_RESTART);
		break;
	case TA_DELCHAR:
		if (edit_delete(&s->ed))
			browse_search_run(t, b, SR_RESTART);
		break;
	case TA_KILL:
		if (edit_kill_line(&s->ed))
			browse_search_run(t, b, SR_RESTART);
		break;
	case TA_KILL_END:
		if (edit_kill_to_end(&s->ed))
			browse_search_run(t, b, SR_RESTART);
		break;
	case TA_LEFT:
		(void)edit_left(&s->ed);
		break;
	case TA_RIGHT:
		(void)edit_right(&s->ed);
		break;
	case TA_HOME:
		(void)edit_home(&s->ed);
		break;
	case TA_END:
		(void)edit_end(&s->ed);
		break;
	case TA_NEXT:
	case TA_PREV:
		browse_search_cycle(t, b, a == TA_NEXT ? 1 : -1);
		break;
	case TA_FIND:
		if (s->ed.len > 0)
			browse_search_run(t, b, SR_NEXT);
		break;
	case TA_ENTER:
		if (s->state == BS_MORE)
			browse_search_run(t, b, SR_MORE);
		else if (s->state == BS_END)
			browse_search_run(t, b, SR_WRAP);
		else
			b->mode = BM_LIST;
		break;
	case TA_BACK:
		browse_search_origin(t, b);
		b->mode = BM_LIST;
		break;
	case TA_UP:
	case TA_DOWN:
	case TA_PGUP:
	case TA_PGDN:
		/* Moving ends the search where it is. */
		b->mode = BM_LIST;
		return browse_list_key(t, b, a, wc);
	default:
		break;
	}
	return TR_STAY;
}

/* ----------------------------------------------------------- filters */

static void
browse_filter_clear(struct browse_filter *fl)
{
	free(fl->value);
	free(fl->label);
	memset(fl, 0, sizeof *fl);
}

static void
browse_choices_free(struct browse *b)
{
	size_t i;

	for (i = 0; i < b->nchoices; i++) {
		free(b->choices[i].label);
		free(b->choices[i].value);
		free(b->choices[i].vlabel);
	}
	free(b->choices);
	b->choices = NULL;
	b->nchoices = b->choices_cap = 0;
}

static struct browse_choice *
browse_choice_add(struct browse *b, enum browse_choice_kind kind, char *label)
{
	struct browse_choice *c;

	b->choices = xgrow(b->choices, &b->choices_cap, b->nchoices + 1,
	    sizeof *b->choices);
	c = &b->choices[b->nchoices++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->label = label;
	return c;
}

/* The reference to a 党支部: a ref to org limited to types including
 * branch (member.branch_id; org.parent_id). */
static const struct form_field *
browse_branch_field(struct tui *t, const struct form *f)
{
	size_t i, j;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ff->type != FT_REF || ff->ref_kind == NULL ||
		    strcmp(ff->ref_kind, "org") != 0 || ff->where_field == NULL ||
		    strcmp(ff->where_field, "type") != 0 ||
		    !store_field_indexed(t->st, f, ff->id))
			continue;
		for (j = 0; j < ff->nwhere; j++)
			if (strcmp(ff->where_values[j], "branch") == 0)
				return ff;
	}
	return NULL;
}

struct browse_values {
	struct browse			*b;
	const struct browse_filter_kind	*kind;
	const struct form_field		*ff;
	const struct form		*rf;
	const char			*where;	/* checked here, or NULL */
	size_t				 n;
};

static int
browse_values_cb(void *arg, const struct form *f, const struct record *rec)
{
	struct browse_values *v = arg;
	struct browse_choice *c;
	const char *title, *type;
	char *label;

	(void)f;
	if (v->where != NULL) {
		type = record_get(rec, v->ff->where_field);
		if (type == NULL || strcmp(type, v->where) != 0)
			return 0;
	}
	title = v->rf->title != NULL ? record_get(rec, v->rf->title) : NULL;
	label = title != NULL && *title != '\0' ? xstrdup(title) :
	    xasprintf("编号 %llu", (unsigned long long)rec->id);
	c = browse_choice_add(v->b, BC_FILTER, label);
	c->fkind = v->kind;
	c->ff = v->ff;
	c->value = xasprintf("%llu", (unsigned long long)rec->id);
	c->vlabel = xasprintf("%s：%s", v->ff->label, label);
	return ++v->n >= BROWSE_CHOICES_MAX;
}

static int
browse_values_index_cb(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	(void)key;
	return browse_values_cb(arg, f, rec);
}

/* The organisations one may pick, by the field's `where` types in the
 * order the form lists them: through the type index when there is one;
 * organisations are few, so a bounded walk otherwise. */
static void
browse_branch_values(struct tui *t, struct browse *b,
    const struct browse_filter_kind *kind, const struct form_field *ff)
{
	struct browse_values v;
	char *err = NULL;
	size_t j;
	int rc;

	memset(&v, 0, sizeof v);
	v.b = b;
	v.kind = kind;
	v.ff = ff;
	v.rf = ff->ref_form != NULL ? ff->ref_form :
	    formset_find(t->fs, ff->ref_kind);
	if (v.rf == NULL)
		return;
	for (j = 0; j < ff->nwhere && v.n < BROWSE_CHOICES_MAX; j++) {
		if (store_field_indexed(t->st, v.rf, ff->where_field)) {
			v.where = NULL;
			rc = store_index_scan(t->st, v.rf, ff->where_field,
			    ff->where_values[j], 0, STORE_SCAN_EXACT, 1,
			    BROWSE_CHOICES_MAX, browse_values_index_cb, &v, &err);
		} else {
			v.where = ff->where_values[j];
			rc = store_scan(t->st, v.rf, 0, 1, 20 * BROWSE_CHOICES_MAX,
			    browse_values_cb, &v, &err);
		}
		if (rc != CX_OK) {
			tui_error_take(t, err);
			return;
		}
	}
}

/* The period of a record: "current_period" (items carried forward to
 * later periods) when the kind has one, else "period"; indexed. */
static const struct form_field *
browse_period_field(struct tui *t, const struct form *f)
{
	static const char *const ids[] = { "current_period", "period" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct form_field *ff = form_field_find(f, ids[i]);

		if (ff != NULL && ff->type == FT_PERIOD &&
		    store_field_indexed(t->st, f, ff->id))
			return ff;
	}
	return NULL;
}

static int
browse_key_cb(void *arg, const struct form *f, const char *key,
    const struct record *rec)
{
	(void)f;
	(void)rec;
	*(char **)arg = xstrdup(key);
	return 1;
}

static void
browse_period_choice(struct browse *b, const struct browse_filter_kind *kind,
    const struct form_field *ff, const char *code, bool current)
{
	struct browse_choice *c;
	struct period p;
	char label[32];

	if (model_period_parse(code, &p, NULL) != CX_OK)
		return;
	model_period_label(&p, label);
	c = browse_choice_add(b, BC_FILTER, xasprintf("%s：%s%s", ff->label,
	    label, current ? "（当前周期）" : ""));
	c->fkind = kind;
	c->ff = ff;
	c->value = xstrdup(code);
	c->vlabel = xasprintf("%s：%s", ff->label, label);
}

/* The periods that hold records (one seek each: the next key after the
 * last one found), newest first, and the current period; then 全部. */
static void
browse_period_values(struct tui *t, struct browse *b,
    const struct browse_filter_kind *kind, const struct form_field *ff)
{
	struct strlist codes;
	struct period cur;
	char curcode[16], *key = NULL, *err = NULL;
	struct browse_choice *c;
	size_t i;

	strlist_init(&codes);
	ledger_current_period(&t->lg, &cur);
	model_period_code(&cur, curcode);
	while (codes.n < BROWSE_CHOICES_MAX) {
		char *next = NULL;

		if (store_index_scan(t->st, b->f, ff->id, key, STORE_ID_END, 0,
		    1, 1, browse_key_cb, &next, &err) != CX_OK) {
			tui_error_take(t, err);
			break;
		}
		if (next == NULL)
			break;
		strlist_add(&codes, next);
		free(key);
		key = next;
	}
	free(key);
	/* Newest first: later periods (plans for the next half-year), the
	 * current one (also when it has no records yet), earlier ones. */
	for (i = codes.n; i > 0; i--)
		if (strcmp(codes.v[i - 1], curcode) > 0)
			browse_period_choice(b, kind, ff, codes.v[i - 1], false);
	browse_period_choice(b, kind, ff, curcode, true);
	for (i = codes.n; i > 0; i--)
		if (strcmp(codes.v[i - 1], curcode) < 0)
			browse_period_choice(b, kind, ff, codes.v[i - 1], false);
	strlist_free(&codes);
	c = browse_choice_add(b, BC_FILTER, xasprintf("%s：全部", ff->label));
	c->fkind = kind;
	c->ff = ff;
}

static const struct browse_filter_kind browse_filter_kinds[] = {
	{ browse_branch_field, browse_branch_values },
	{ browse_period_field, browse_period_values },
};
static const size_t browse_nfilter_kinds =
    sizeof browse_filter_kinds / sizeof browse_filter_kinds[0];

static size_t
browse_kind_index(const struct browse_filter_kind *kind)
{
	size_t k;

	for (k = 0; k < browse_nfilter_kinds; k++)
		if (&browse_filter_kinds[k] == kind)
			return k;
	return browse_nfilter_kinds;
}

/* Sets the filter of one kind to value (NULL: drops it), keeping the
 * other kind's.  With two, the first kind in browse_filter_kinds is
 * walked and the second checked on each record. */
static void
browse_view_set(struct browse *b, const struct browse_filter_kind *kind,
    const struct form_field *ff, const char *value, const char *label)
{
	struct browse_view *v = &b->view;
	struct browse_filter keep[2], add;
	size_t n = 0;

	memset(keep, 0, sizeof keep);
	if (v->filter.kind != NULL && v->filter.kind != kind)
		keep[n++] = v->filter;
	else
		browse_filter_clear(&v->filter);
	if (v->also.kind != NULL && v->also.kind != kind)
		keep[n++] = v->also;
	else
		browse_filter_clear(&v->also);
	memset(&v->filter, 0, sizeof v->filter);
	memset(&v->also, 0, sizeof v->also);
	if (value != NULL) {
		add.kind = kind;
		add.ff = ff;
		add.value = xstrdup(value);
		add.label = xstrdup(label);
		keep[n++] = add;
	}
	if (n == 2 && browse_kind_index(keep[1].kind) <
	    browse_kind_index(keep[0].kind)) {
		add = keep[0];
		keep[0] = keep[1];
		keep[1] = add;
	}
	if (n > 0)
		v->filter = keep[0];
	if (n > 1)
		v->also = keep[1];
	v->order = NULL;
}

/* F6: a list of views to choose from: everything in 编号 order or in the
 * order of an indexed text column, or one value of each filter kind
 * (with two kinds, each also offers 全部, keeping the other). */
static void
browse_choose_begin(struct tui *t, struct browse *b)
{
	const struct browse_view *v = &b->view;
	struct browse_choice *c;
	size_t i, k, nkinds = 0;

	browse_choices_free(b);
	(void)browse_choice_add(b, BC_ORDER, xstrdup("全部（按编号排列）"));
	for (i = 1; i < b->ncols; i++) {
		const struct form_field *ff = b->cols[i].ff;

		if (ff->type == FT_TEXT && ff->compute == NULL &&
		    store_field_indexed(t->st, b->f, ff->id)) {
			c = browse_choice_add(b, BC_ORDER,
			    xasprintf("全部（按%s排列）", ff->label));
			c->order = ff;
		}
	}
	for (k = 0; k < browse_nfilter_kinds; k++)
		if (browse_filter_kinds[k].field(t, b->f) != NULL)
			nkinds++;
	for (k = 0; k < browse_nfilter_kinds; k++) {
		const struct form_field *ff =
		    browse_filter_kinds[k].field(t, b->f);

		if (ff == NULL)
			continue;
		browse_filter_kinds[k].values(t, b, &browse_filter_kinds[k],
		    ff);
		if (nkinds > 1 && browse_filter_kinds[k].values !=
		    browse_period_values) {
			c = browse_choice_add(b, BC_FILTER,
			    xasprintf("%s：全部", ff->label));
			c->fkind = &browse_filter_kinds[k];
			c->ff = ff;
		}
	}
	if (b->nchoices <= 1) {
		browse_choices_free(b);
		tui_info(t, "%s列表没有可以筛选的项目。", b->f->label);
		return;
	}
	b->choice_sel = 0;
	for (i = 0; i < b->nchoices; i++) {
		c = &b->choices[i];
		if ((c->kind == BC_ORDER && v->filter.kind == NULL &&
		    c->order == v->order) ||
		    (c->kind == BC_FILTER && c->value != NULL &&
		    ((v->filter.kind != NULL && c->ff == v->filter.ff &&
		    strcmp(c->value, v->filter.value) == 0) ||
		    (v->also.kind != NULL && c->ff == v->also.ff &&
		    strcmp(c->value, v->also.value) == 0)))) {
			b->choice_sel = i;
			break;
		}
	}
	b->choice_top = 0;
	b->mode = BM_CHOOSE;
}

static void
browse_choose_apply(struct tui *t, struct browse *b)
{
	const struct browse_choice *c = &b->choices[b->choice_sel];
	struct browse_view *v = &b->view;

	if (c->kind == BC_ORDER) {
		browse_filter_clear(&v->filter);
		browse_filter_clear(&v->also);
		v->order = c->order;
	} else
		browse_view_set(b, c->fkind, c->ff, c->value, c->vlabel);
	/* The window's rows belong to the old view: start afresh. */
	browse_rows_free(b, b->rows, b->nrows);
	b->rows = NULL;
	b->nrows = 0;
	browse_count(t, b);
	b->sel = browse_load(t, b, NULL, 1, 0);
}

static size_t
browse_choose_page(const struct tui *t)
{
	int h = t->rows - 4 - 4;

	return h > 1 ? (size_t)h : 1;
}

static enum tui_result
browse_choose_key(struct tui *t, struct browse *b, enum tui_action a)
{
	size_t page = browse_choose_page(t), n = b->nchoices;

	switch (a) {
	case TA_UP:
		if (b->choice_sel > 0)
			b->choice_sel--;
		break;
	case TA_DOWN:
		if (b->choice_sel + 1 < n)
			b->choice_sel++;
		break;
	case TA_PGUP:
		b->choice_sel = b->choice_sel > page ? b->choice_sel - page : 0;
		break;
	case TA_PGDN:
		b->choice_sel = b->choice_sel + page < n ?
		    b->choice_sel + page : n - 1;
		break;
	case TA_HOME:
		b->choice_sel = 0;
		break;
	case TA_END:
		b->choice_sel = n - 1;
		break;
	case TA_ENTER:
		browse_choose_apply(t, b);
		browse_choices_free(b);
		b->mode = BM_LIST;
		break;
	case TA_BACK:
		browse_choices_free(b);
		b->mode = BM_LIST;
		break;
	default:
		break;
	}
	return TR_STAY;
}

/* Starts in the period the user works in, when the kind has periods. */
static void
browse_default_view(struct tui *t, struct browse *b)
{
	const struct form_field *ff = browse_period_field(t, b->f);
	struct period cur;
	char code[16], label[32], *vlabel;
	size_t k;

	if (ff == NULL)
		return;
	for (k = 0; k < browse_nfilter_kinds; k++)
		if (browse_filter_kinds[k].field == browse_period_field)
			break;
	ledger_current_period(&t->lg, &cur);
	model_period_code(&cur, code);
	model_period_label(&cur, label);
	vlabel = xasprintf("%s：%s", ff->label, label);
	browse_view_set(b, &browse_filter_kinds[k], ff, code, vlabel);
	free(vlabel);
}

/* F3: a new record; in a list of one period, of that period. */
static void
browse_new(struct tui *t, struct browse *b)
{
	const struct browse_filter *fl[2] = { &b->view.filter, &b->view.also };
	struct record *pre = NULL;
	size_t i;

	for (i = 0; i < 2; i++)
		if (fl[i]->kind != NULL && fl[i]->ff->type == FT_PERIOD &&
		    fl[i]->ff->auto_fn == NULL) {
			pre = record_new();
			record_set(pre, fl[i]->ff->id, fl[i]->value);
		}
	if (pre == NULL)
		tui_form_open(t, b->f, 0);
	else
		tui_form_open_prefill(t, b->f, pre);
	record_free(pre);
}

/* -------------------------------------------------------- list keys */

static void
browse_delete(struct tui *t, struct browse *b)
{
	const struct browse_row *r;
	char *msg, *name, *err = NULL;
	uint64_t id;

	if (store_readonly(t->st)) {
		tui_error(t, "数据目录是只读的，不能删除记录。");
		return;
	}
	if (b->nrows == 0) {
		tui_error(t, "列表是空的，没有可删除的记录。");
		return;
	}
	r = &b->rows[b->sel];
	id = r->id;
	name = *r->title != '\0' ? xasprintf("「%s」", r->title) :
	    xstrdup("");
	msg = xasprintf("把%s%s（编号 %llu）移入回收站吗？\n移入回收站的记录可以在"
	    "主菜单「数据维护」的回收站中恢复。", b->f->label, name,
	    (unsigned long long)id);
	if (!tui_confirm(t, msg)) {
		free(msg);
		free(name);
		return;
	}
	free(msg);
	if (ledger_delete(&t->lg, b->f, id, &err) != CX_OK) {
		tui_message_take(t, "无法删除", err);
		free(name);
		return;
	}
	browse_reload(t, b);
	tui_info(t, "已把%s%s（编号 %llu）移入回收站。", b->f->label, name,
	    (unsigned long long)id);
	free(name);
}

static enum tui_result
browse_list_key(struct tui *t, struct browse *b, enum tui_action a,
    wchar_t wc)
{
	switch (a) {
	case TA_UP:
	case TA_DOWN:
	case TA_PGUP:
	case TA_PGDN:
	case TA_HOME:
	case TA_END:
		browse_move(t, b, a);
		break;
	case TA_ENTER:
		if (b->nrows == 0)
			tui_info(t, "列表是空的。按 F3 新建一条记录。");
		else
			tui_form_open(t, b->f, b->rows[b->sel].id);
		break;
	case TA_NEW:
		if (store_readonly(t->st)) {
			tui_error(t, "数据目录是只读的，不能新建记录。");
			break;
		}
		b->new_pending = true;
		b->last_id = browse_last_id(t, b);
		browse_new(t, b);
		break;
	case TA_FIND:
		browse_search_begin(t, b);
		break;
	case TA_CHAR:
		/* Typing in the list starts a search with what was typed. */
		browse_search_begin(t, b);
		if (b->mode == BM_SEARCH && edit_insert(&b->search.ed, wc))
			browse_search_run(t, b, SR_EXTEND);
		break;
	case TA_FILTER:
		browse_choose_begin(t, b);
		break;
	case TA_DELETE:
		browse_delete(t, b);
		break;
	case TA_BACK:
		return TR_POP;
	default:
		break;
	}
	return TR_STAY;
}

/* ----------------------------------------------------------- drawing */

/* Column widths for a work area w columns wide: the form's widths when
 * they fit; else the widest text columns are narrowed first, one column
 * at a time, down to BROWSE_MIN_COL; then columns are dropped from the
 * right (width 0), computed ones last, since they say what the program
 * found (逾期, 需整改), and the room they leave is given back.  Returns
 * the number of columns, shown or not. */
static size_t
browse_layout(const struct browse *b, int w, int *width)
{
	int avail = w - 2, total = 0;
	size_t n = b->ncols, j, best, shown;

	for (j = 0; j < n; j++) {
		width[j] = b->cols[j].want;
		total += width[j];
	}
	total += (int)n - 1;
	while (total > avail) {
		best = n;
		for (j = 0; j < n; j++)
			if (b->cols[j].text && width[j] > BROWSE_MIN_COL &&
			    (best == n || width[j] > width[best]))
				best = j;
		if (best == n)
			break;
		width[best]--;
		total--;
	}
	if (total <= avail)
		return n;
	for (shown = n; total > avail && shown > 1; shown--) {
		best = 0;
		for (j = n; j > 1; j--)
			if (width[j - 1] > 0 && (b->cols[j - 1].ff == NULL ||
			    b->cols[j - 1].ff->compute == NULL)) {
				best = j - 1;
				break;
			}
		if (best == 0)
			for (j = n; j > 1 && best == 0; j--)
				if (width[j - 1] > 0)
					best = j - 1;
		if (best == 0)
			break;
		total -= width[best] + 1;
		width[best] = 0;
	}
	for (;;) {
		best = n;
		for (j = 0; j < n; j++)
			if (width[j] > 0 && width[j] < b->cols[j].want &&
			    (best == n || width[j] < width[best]))
				best = j;
		if (best == n || total >= avail)
			break;
		width[best]++;
		total++;
	}
	return n;
}

static enum text_align
browse_align(const struct browse_col *c)
{
	if (c->ff != NULL && c->ff->compute != NULL)
		return c->ff->format == FMT_INT || c->ff->format ==
		    FMT_PERCENT || c->ff->format == FMT_DECIMAL ? TEXT_RIGHT :
		    TEXT_LEFT;
	return c->ff == NULL || c->ff->type == FT_INT ? TEXT_RIGHT : TEXT_LEFT;
}

static void
browse_draw_empty(struct tui *t, struct browse *b, int y, int w)
{
	char *line;

	if (b->view.also.kind != NULL)
		line = xasprintf("「%s」「%s」中没有%s记录。",
		    b->view.filter.label, b->view.also.label, b->f->label);
	else if (b->view.filter.kind != NULL)
		line = xasprintf("「%s」中没有%s记录。", b->view.filter.label,
		    b->f->label);
	else
		line = xasprintf("还没有%s记录。", b->f->label);
	tui_put_pad(t, y, 0, line, w, TEXT_CENTER, A_NORMAL);
	free(line);
	if (store_readonly(t->st))
		line = xstrdup("数据目录是只读的，不能新建记录。");
	else if (b->view.filter.kind != NULL)
		line = xstrdup("按 F3 新建一条记录，或按 F6 改变筛选。");
	else
		line = xstrdup("按 F3 新建一条记录。");
	tui_put_pad(t, y + 1, 0, line, w, TEXT_CENTER, tui_attr_dim(t));
	free(line);
}

static void
browse_draw_search(struct tui *t, struct browse *b, int y, int w)
{
	struct browse_search *s = &b->search;
	const struct browse_col *c = &b->cols[s->col];
	struct edit_view ev;
	wchar_t field[24];
	char *label;
	int x = 1, fw = 20, cur;

	label = xasprintf("查找%s：", c->label);
	x += tui_put(t, y, x, label, w - x, A_BOLD);
	free(label);
	cur = edit_layout(&s->ed, fw, field, &ev);
	tui_put_wcs(t, y, x, field, fw, tui_attr_field(t));
	tui_cursor(t, y, x + cur);
	x += fw + 2;
	if (s->msg != NULL)
		tui_put(t, y, x, s->msg, w - x - 1, s->msg_error ?
		    tui_attr_error(t) : (int)A_NORMAL);
}

static void
browse_draw_choose(struct tui *t, struct browse *b, int y, int h, int w)
{
	size_t page = browse_choose_page(t), i;
	int bw = w - 8 < 50 ? w - 8 : 50, bh, by, bx;
	char *title;

	if (page > b->nchoices)
		page = b->nchoices;
	if ((int)page > h - 2)
		page = h > 3 ? (size_t)(h - 2) : 1;
	if (b->choice_sel < b->choice_top)
		b->choice_top = b->choice_sel;
	if (b->choice_sel >= b->choice_top + page)
		b->choice_top = b->choice_sel - page + 1;
	bh = (int)page + 2;
	by = y + (h - bh) / 2;
	bx = (w - bw) / 2;
	tui_box(t, by, bx, bh, bw);
	title = xstrdup(" 筛选：选一项后按回车 ");
	tui_put(t, by, bx + 2, title, bw - 4, A_BOLD);
	free(title);
	for (i = 0; i < page && b->choice_top + i < b->nchoices; i++) {
		size_t k = b->choice_top + i;

		tui_put_pad(t, by + 1 + (int)i, bx + 1, b->choices[k].label,
		    bw - 2, TEXT_LEFT, k == b->choice_sel ? tui_attr_select(t) :
		    (int)A_NORMAL);
	}
}

static void
browse_draw(struct tui *t, void *self, int y, int h, int w)
{
	struct browse *b = self;
	size_t page = h > 3 ? (size_t)(h - 2) : 1, n, j, r;
	int *width, x;

	if (page != b->page) {
		/* The window changed size: load it again around the
		 * selection. */
		b->page = page;
		browse_reload(t, b);
	}
	width = xcalloc(b->ncols, sizeof *width);
	n = browse_layout(b, w, width);
	x = 1;
	for (j = 0; j < n; j++) {
		if (width[j] == 0)
			continue;
		tui_put_pad(t, y, x, b->cols[j].label, width[j],
		    browse_align(&b->cols[j]), A_BOLD);
		x += width[j] + 1;
	}
	if (b->nrows == 0)
		browse_draw_empty(t, b, y + h / 2 - 1, w);
	for (r = 0; r < b->nrows; r++) {
		int ry = y + 1 + (int)r;
		int attr = r == b->sel ? tui_attr_select(t) : (int)A_NORMAL;

		if (r == b->sel)
			tui_fill(t, ry, 0, w, attr);
		x = 1;
		for (j = 0; j < n; j++) {
			if (width[j] == 0)
				continue;
			tui_put_pad(t, ry, x, b->rows[r].cells[j], width[j],
			    browse_align(&b->cols[j]), attr);
			x += width[j] + 1;
		}
	}
	free(width);
	if (b->mode == BM_SEARCH)
		browse_draw_search(t, b, y + h - 1, w);
	else if (b->mode == BM_CHOOSE)
		browse_draw_choose(t, b, y, h, w);
}

/* ------------------------------------------------------------ screen */

static const enum tui_action *
browse_actions(struct tui *t, void *self)
{
	struct browse *b = self;

	(void)t;
	switch (b->mode) {
	case BM_SEARCH:
		return browse_search_actions;
	case BM_CHOOSE:
		return browse_choose_actions;
	default:
		return browse_list_actions;
	}
}

static enum tui_keymode
browse_keymode(struct tui *t, void *self)
{
	struct browse *b = self;

	(void)t;
	return b->mode == BM_SEARCH ? TK_TEXT : TK_LIST;
}

static char *
browse_heading(struct tui *t, void *self)
{
	struct browse *b = self;
	struct buf h;

	(void)t;
	buf_init(&h);
	buf_addstr(&h, b->f->label);
	if (b->view.filter.kind != NULL)
		buf_addf(&h, "  %s", b->view.filter.label);
	if (b->view.also.kind != NULL)
		buf_addf(&h, "  %s", b->view.also.label);
	else if (b->view.order != NULL)
		buf_addf(&h, "  按%s排列", b->view.order->label);
	buf_addf(&h, "  共 %zu 条", b->count);
	if (b->nrows > 0 && !(b->at_first && b->at_last)) {
		if (b->at_first)
			buf_addstr(&h, "  第一页");
		else if (b->at_last)
			buf_addstr(&h, "  最后一页");
	}
	return buf_take(&h);
}

static enum tui_result
browse_key(struct tui *t, void *self, enum tui_action a, wchar_t wc)
{
	struct browse *b = self;

	switch (b->mode) {
	case BM_SEARCH:
		return browse_search_key(t, b, a, wc);
	case BM_CHOOSE:
		return browse_choose_key(t, b, a);
	default:
		return browse_list_key(t, b, a, wc);
	}
}

static const char *
browse_help_line(struct tui *t, void *self)
{
	struct browse *b = self;
	size_t j, n = 0;

	(void)t;
	switch (b->mode) {
	case BM_SEARCH:
		for (j = 0; j < b->ncols; j++)
			if (browse_col_searchable(&b->cols[j]))
				n++;
		return n > 1 ? "输入文字即查找；Tab 换查找的栏目；F4 找下一个；"
		    "回车结束，Esc 取消。" : "输入文字即查找；F4 找下一个；"
		    "回车结束，Esc 取消。";
	case BM_CHOOSE:
		return "用上下箭头选择，回车确定，Esc 取消。";
	default:
		return "回车打开；F3 新建；F4 或 / 查找（也可直接输入文字）；"
		    "F6 筛选；F8 删除。";
	}
}

static void
browse_resume(struct tui *t, void *self)
{
	struct browse *b = self;

	/* A title shown in the list may have been edited meanwhile. */
	browse_titles_clear(b);
	browse_reload(t, b);
}

static void
browse_free(void *self)
{
	struct browse *b = self;

	browse_rows_free(b, b->rows, b->nrows);
	browse_choices_free(b);
	browse_titles_clear(b);
	browse_filter_clear(&b->view.filter);
	browse_filter_clear(&b->view.also);
	edit_free(&b->search.ed);
	free(b->search.origin_key);
	free(b->search.more_key);
	free(b->search.msg);
	free(b->cols);
	free(b);
}

/* Searching a column without an index goes on between keys, one bounded
 * step at a time. */
static bool
browse_idle(struct tui *t, void *self)
{
	struct browse *b = self;

	if (b->mode != BM_SEARCH || b->search.state != BS_MORE)
		return false;
	browse_search_run(t, b, SR_MORE);
	return b->mode == BM_SEARCH && b->search.state == BS_MORE;
}

static const struct tui_screen_ops browse_ops = {
	.name = "browse",
	.actions = browse_actions,
	.keymode = browse_keymode,
	.heading = browse_heading,
	.draw = browse_draw,
	.key = browse_key,
	.help_line = browse_help_line,
	.resume = browse_resume,
	.idle = browse_idle,
	.free = browse_free,
};

void
tui_browse_open(struct tui *t, const struct form *f)
{
	struct browse *b = xcalloc(1, sizeof *b);
	size_t i, n = 1;

	b->f = f;
	b->cols = xcalloc(f->nfields + 1, sizeof *b->cols);
	b->cols[0].label = "编号";
	b->cols[0].want = 4;
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		struct browse_col *c;

		if (ff->list_width <= 0 || ff->type == FT_ROWS)
			continue;
		c = &b->cols[n++];
		c->ff = ff;
		c->label = ff->label;
		c->want = ff->list_width;
		c->text = (ff->type == FT_TEXT && ff->compute == NULL) ||
		    ff->type == FT_LONGTEXT || ff->type == FT_REF ||
		    ff->type == FT_MULTIENUM || ff->type == FT_LINK;
	}
	b->ncols = n;
	for (i = 1; i < n; i++)
		if (b->cols[i].ff->compute != NULL)
			b->load_rows = true;
	if (b->load_rows) {
		b->load_rows = false;
		for (i = 0; i < f->nfields; i++)
			if (f->fields[i].type == FT_ROWS &&
			    f->fields[i].store_form != NULL)
				b->load_rows = true;
	}
	/* Search the title column first, else the first text column. */
	b->search.col = b->ncols;
	for (i = 1; i < b->ncols; i++) {
		if (!browse_col_searchable(&b->cols[i]))
			continue;
		if (b->search.col == b->ncols ||
		    (f->title != NULL && strcmp(b->cols[i].ff->id, f->title) == 0))
			b->search.col = i;
	}
	edit_init(&b->search.ed, BROWSE_SEARCH_MAX);
	b->page = t->rows > 7 ? (size_t)(t->rows - 6) : 1;
	browse_default_view(t, b);
	browse_count(t, b);
	b->sel = browse_load(t, b, NULL, 1, 0);
	tui_push(t, &browse_ops, b);
}
