/* record.c: one record in memory. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"

struct record *
record_new(void)
{
	return xcalloc(1, sizeof(struct record));
}

static void
record_value_clear(struct rvalue *v)
{
	size_t i;

	free(v->text);
	v->text = NULL;
	for (i = 0; i < v->nrows; i++)
		record_free(v->rows[i]);
	free(v->rows);
	v->rows = NULL;
	v->nrows = v->rowcap = 0;
	v->is_rows = false;
}

void
record_free(struct record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		record_value_clear(&r->v[i]);
		free(r->v[i].id);
	}
	free(r->v);
	free(r);
}

struct record *
record_copy(const struct record *r)
{
	struct record *c = record_new();
	size_t i, j;

	c->id = r->id;
	c->form_version = r->form_version;
	for (i = 0; i < r->n; i++) {
		const struct rvalue *v = &r->v[i];

		if (!v->is_rows) {
			record_set(c, v->id, v->text);
			continue;
		}
		for (j = 0; j < v->nrows; j++)
			record_append_row(c, v->id, record_copy(v->rows[j]));
		if (v->nrows == 0) {
			/* Keep an explicitly empty rows value. */
			struct rvalue *nv;

			c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
			nv = &c->v[c->n++];
			memset(nv, 0, sizeof *nv);
			nv->id = xstrdup(v->id);
			nv->is_rows = true;
		}
	}
	return c;
}

struct rvalue *
record_find(const struct record *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

const char *
record_get(const struct record *r, const char *id)
{
	struct rvalue *v = record_find(r, id);

	if (v == NULL || v->is_rows)
		return NULL;
	return v->text;
}

bool
record_is(const struct record *r, const char *id, const char *value)
{
	const char *v = record_get(r, id);

	return v != NULL && value != NULL && strcmp(v, value) == 0;
}

bool
record_filled(const struct record *r, const char *id)
{
	const char *v = record_get(r, id);

	return v != NULL && *v != '\0';
}

static struct rvalue *
record_slot(struct record *r, const char *id)
{
	struct rvalue *v = record_find(r, id);

	if (v != NULL) {
		record_value_clear(v);
		return v;
	}
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	v = &r->v[r->n++];
	memset(v, 0, sizeof *v);
	v->id = xstrdup(id);
	return v;
}

void
record_set_take(struct record *r, const char *id, char *text)
{
	if (text == NULL) {
		record_remove(r, id);
		return;
	}
	record_slot(r, id)->text = text;
}

void
record_set(struct record *r, const char *id, const char *text)
{
	record_set_take(r, id, text ? xstrdup(text) : NULL);
}

void
record_remove(struct record *r, const char *id)
{
	struct rvalue *v = record_find(r, id);
	size_t i;

	if (v == NULL)
		return;
	i = (size_t)(v - r->v);
	record_value_clear(v);
	free(v->id);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof *r->v);
	r->n--;
}

static struct rvalue *
record_rows_value(struct record *r, const char *id)
{
	struct rvalue *v = record_find(r, id);

	if (v != NULL && v->is_rows)
		return v;
	v = record_slot(r, id);
	v->is_rows = true;
	return v;
}

void
record_append_row(struct record *r, const char *id, struct record *row)
{
	struct rvalue *v = record_rows_value(r, id);

	v->rows = xgrow(v->rows, &v->rowcap, v->nrows + 1, sizeof *v->rows);
	v->rows[v->nrows++] = row;
}

struct record *
record_add_row(struct record *r, const char *id)
{
	struct record *row = record_new();

	record_append_row(r, id, row);
	return row;
}

size_t
record_nrows(const struct record *r, const char *id)
{
	struct rvalue *v = record_find(r, id);

	return (v != NULL && v->is_rows) ? v->nrows : 0;
}

struct record *
record_row(const struct record *r, const char *id, size_t i)
{
	struct rvalue *v = record_find(r, id);

	if (v == NULL || !v->is_rows || i >= v->nrows)
		return NULL;
	return v->rows[i];
}

bool
record_remove_row(struct record *r, const char *id, size_t i)
{
	struct rvalue *v = record_find(r, id);

	if (v == NULL || !v->is_rows || i >= v->nrows)
		return false;
	record_free(v->rows[i]);
	memmove(&v->rows[i], &v->rows[i + 1],
	    (v->nrows - i - 1) * sizeof *v->rows);
	v->nrows--;
	return true;
}

bool
record_move_row(struct record *r, const char *id, size_t i, size_t j)
{
	struct rvalue *v = record_find(r, id);
	struct record *row;

	if (v == NULL || !v->is_rows || i >= v->nrows || j >= v->nrows)
		return false;
	row = v->rows[i];
	if (i < j)
		memmove(&v->rows[i], &v->rows[i + 1], (j - i) * sizeof *v->rows);
	else if (j < i)
		memmove(&v->rows[j + 1], &v->rows[j], (i - j) * sizeof *v->rows);
	v->rows[j] = row;
	return true;
}

bool
record_value_equal(const struct rvalue *a, const struct rvalue *b)
{
	size_t i;

	if (a->is_rows != b->is_rows)
		return false;
	if (!a->is_rows)
		return strcmp(a->text, b->text) == 0;
	if (a->nrows != b->nrows)
		return false;
	for (i = 0; i < a->nrows; i++)
		if (!record_equal(a->rows[i], b->rows[i]))
			return false;
	return true;
}

bool
record_equal(const struct record *a, const struct record *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct rvalue *bv = record_find(b, a->v[i].id);

		if (bv == NULL || !record_value_equal(&a->v[i], bv))
			return false;
	}
	return true;
}
