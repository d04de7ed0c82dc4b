/* record.h: one record in memory, a set of values keyed by field id.
 *
 * A value is either text (the canonical UTF-8 form the form layer
 * produces: "2020-12-21" for a date, "42" for an integer, an option code
 * for an enum, codes joined by "," for a multi-enum, "1"/"0" for a bool,
 * a decimal record id for a reference) or a list of rows, each row itself
 * a record without an id.
 *
 * Values whose id starts with "_" are kept by the store, not by forms:
 * _created and _modified (local time "YYYY-MM-DD HH:MM:SS").
 * A record keeps values for ids its form no longer defines, so that a
 * field removed from a form and later restored loses nothing.
 */
#ifndef CXZY_RECORD_H
#define CXZY_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct record;

struct rvalue {
	char		 *id;
	char		 *text;		/* NULL for rows */
	bool		  is_rows;
	struct record	**rows;
	size_t		  nrows;
	size_t		  rowcap;
};

struct record {
	uint64_t	 id;		/* 0 until stored */
	unsigned	 form_version;	/* version of the form it was written with */
	struct rvalue	*v;
	size_t		 n;
	size_t		 cap;
};

struct record *record_new(void);
void record_free(struct record *r);
struct record *record_copy(const struct record *r);

/* Returns the value with this id, or NULL. */
struct rvalue *record_find(const struct record *r, const char *id);
/* Returns the text value, or NULL when absent or a rows value. */
const char *record_get(const struct record *r, const char *id);
/* Whether the text value id is there and equals value (NULL: never). */
bool record_is(const struct record *r, const char *id, const char *value);
/* Whether the text value id is there and not empty. */
bool record_filled(const struct record *r, const char *id);
/* Sets a text value (copied).  NULL removes the value. */
void record_set(struct record *r, const char *id, const char *text);
/* Like record_set, taking ownership of text. */
void record_set_take(struct record *r, const char *id, char *text);
void record_remove(struct record *r, const char *id);

/* Rows: appends an empty row under id (creating the rows value) and
 * returns it; the record owns it. */
struct record *record_add_row(struct record *r, const char *id);
/* Appends an existing row, taking ownership. */
void record_append_row(struct record *r, const char *id, struct record *row);
size_t record_nrows(const struct record *r, const char *id);
struct record *record_row(const struct record *r, const char *id, size_t i);
/* Removes row i; returns false when out of range. */
bool record_remove_row(struct record *r, const char *id, size_t i);
/* Moves row i to position j; returns false when out of range. */
bool record_move_row(struct record *r, const char *id, size_t i, size_t j);

/* Deep equality of values (order of values does not matter; row order
 * does).  Ids and form versions are not compared. */
bool record_equal(const struct record *a, const struct record *b);
/* Deep equality of two values (ids not compared). */
bool record_value_equal(const struct rvalue *a, const struct rvalue *b);

#endif
