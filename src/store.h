/* store.h: the data directory, an LMDB environment.
 *
 * Layout of a data directory (see docs/storage.md):
 *   cxzy.marker   ASCII text: program version, data format, LMDB version,
 *                 page size, word size, byte order.  Read and checked
 *                 before LMDB is opened, so a PC that cannot read the data
 *                 says so in plain words.
 *   data.mdb, lock.mdb   the LMDB environment.
 *
 * Named databases inside it:
 *   meta             key → sealed value: "format", "unit", "created",
 *                    "seq:KIND" (last id given out)
 *   rec:KIND         8-byte big-endian id → codec-encoded record
 *   idx:KIND:FIELD   value bytes (at most STORE_INDEX_KEY_MAX, cut at a
 *                    character boundary) → sealed 8-byte id, MDB_DUPSORT.
 *                    One per field marked index or unique, and per ref
 *                    field, at top level.
 *   trash            KIND NUL id(8) → codec-encoded record (with
 *                    _deleted set); the recycle bin.
 *
 * Every write happens in one short write transaction that also updates the
 * indexes.  On MDB_MAP_FULL the transaction is aborted, the map doubled
 * (capped on FAT/exFAT/fuseblk file systems) and the work redone.  A
 * directory the user cannot write is opened read-only (MDB_RDONLY |
 * MDB_NOLOCK) and writes fail with a message saying so.
 */
#ifndef CXZY_STORE_H
#define CXZY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formdef.h"
#include "record.h"
#include "util.h"

#define STORE_FORMAT		1
#define STORE_MARKER		"cxzy.marker"
#define STORE_INDEX_KEY_MAX	400

struct store;

enum {
	STORE_CREATE = 1 << 0,		/* create the directory if missing or empty */
	STORE_READONLY = 1 << 1		/* open read-only even if writable */
};

struct store_options {
	size_t	initial_mapsize;	/* bytes, 0 = default (16 MiB) */
	size_t	max_mapsize;		/* bytes, 0 = by file system */
};

/* Opens (or with STORE_CREATE creates) the data directory dir for the
 * kinds in fs.  The store keeps a pointer to fs, which must outlive it.
 * Messages explain in Chinese what is wrong and what to do: a missing
 * directory, a directory that is not cxzy's, data written by a build that
 * cannot be read here, a damaged environment. */
int store_open(const char *dir, const struct formset *fs, int flags,
    const struct store_options *opts, struct store **out, char **errp);
void store_close(struct store *st);

bool store_readonly(const struct store *st);
const char *store_dir(const struct store *st);
/* Current map size in bytes. */
size_t store_mapsize(const struct store *st);

/* Meta values (UTF-8 strings). */
int store_meta_get(struct store *st, const char *key, char **out,
    char **errp);	/* CX_NOTFOUND when absent */
int store_meta_set(struct store *st, const char *key, const char *value,
    char **errp);

/* Stores a record.  When rec->id is 0 a new id is given out and written
 * back.  Sets _created (new) and _modified, and rec->form_version.
 * Indexes are updated in the same transaction; a unique field whose value
 * another record holds fails with "“编号”为“X”的记录已经存在（编号N）。".
 * Does not validate: callers run form_validate first. */
int store_put(struct store *st, const struct form *f, struct record *rec,
    char **errp);
/* The same for many records in one transaction (used by demo, import and
 * benchmarks).  Either all are stored or none. */
int store_put_many(struct store *st, const struct form *f,
    struct record **recs, size_t n, char **errp);

/* Reads a record.  Returns CX_NOTFOUND when there is none with this id;
 * CX_ERR when it is damaged (checksum mismatch). */
int store_get(struct store *st, const struct form *f, uint64_t id,
    struct record **out, char **errp);

/* Moves a record to the recycle bin (removing its index entries), and
 * back. */
int store_delete(struct store *st, const struct form *f, uint64_t id,
    char **errp);
int store_restore(struct store *st, const struct form *f, uint64_t id,
    char **errp);

/* Callback for iteration: return non-zero to stop.  rec is only valid
 * during the call. */
typedef int (*store_each_fn)(void *arg, const struct form *f,
    const struct record *rec);

/* Every record of a kind in id order.  A damaged record stops the
 * iteration with CX_ERR and a message naming its id. */
int store_foreach(struct store *st, const struct form *f, store_each_fn fn,
    void *arg, char **errp);
/* Up to max records in id order starting after from_id (forward, dir > 0)
 * or before from_id (backward, dir < 0, from_id 0 = from the end). */
int store_scan(struct store *st, const struct form *f, uint64_t from_id,
    int dir, size_t max, store_each_fn fn, void *arg, char **errp);
/* Records in the recycle bin, of every kind. */
int store_trash_foreach(struct store *st, store_each_fn fn, void *arg,
    char **errp);

/* Ids of the records whose field (indexed) holds exactly value, in id
 * order.  *ids is allocated (NULL when none). */
int store_find(struct store *st, const struct form *f, const char *field,
    const char *value, uint64_t **ids, size_t *n, char **errp);

/* Number of records of a kind (constant time). */
int store_count(struct store *st, const struct form *f, size_t *n,
    char **errp);

/* Verifies every record (checksum, decoding, key), every index entry
 * (checksum, the record exists and holds the value) and that every record
 * has its index entries, the recycle bin and meta.  Appends one Chinese
 * line per problem to damage.  Returns CX_OK when the walk completed
 * (damage->n tells whether anything was found), CX_ERR when it could not
 * run. */
int store_check(struct store *st, struct strlist *damage, char **errp);

#endif
