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
 *                    and link field, at top level.
 *   hist             KIND NUL id(8) version(4) → codec-encoded record:
 *                    the old versions of signed records
 *   trash            KIND NUL id(8) → codec-encoded record (with
 *                    _deleted set); the recycle bin.
 *   gid              KIND NUL global id → sealed 8-byte id, for every
 *                    record (live or in the bin) whose _gid is written
 *                    out.
 *
 * Identity and revisions (docs/storage.md, docs/exchange.md).  Every
 * data directory has an origin (meta "origin", 32 hex digits, random at
 * creation).  Every record has a global id "_gid" that stays the same in
 * every directory it travels to, while the short id (编号) is local: a
 * new record gets a random one; a record written before global ids
 * existed has the implicit "ORIGIN-ID" (store_record_gid), written out
 * at its next change.  Every change (save, deletion, restore) gives the
 * record a new revision "_rev" = "GENERATION-TOKEN" and keeps the
 * revisions before it in "_revs" (newest first, a bounded number): one
 * copy descends from another when the other's revision is its own or
 * among its ancestors; otherwise the two changed concurrently.
 *
 * No lost updates.  A record read, changed and passed back to
 * store_put / store_apply carries the _rev it was read at; when the
 * stored record has another revision by the time the write transaction
 * runs, somebody else changed it: nothing is written and the call
 * returns CX_CONFLICT with a message.  A save that changes nothing but
 * the store's own fields writes nothing (the stored bytes stay as they
 * were) and gives rec the stored _modified and _rev.
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
/* What every write to a read-only data directory answers. */
#define STORE_MSG_READONLY	"数据目录是只读的（例如 U 盘的写保护开关已打开），" \
	"不能修改。请关闭写保护或把数据复制到可写的位置。"

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
/* Whether an error from opening the database (errno) means the file
 * system cannot hold it (it cannot map or lock files: a FUSE FAT driver)
 * rather than damaged data; then store_fs_refusal says so in Chinese
 * and what to do.  Newly allocated. */
bool store_fs_refuses(int rc);
char *store_fs_refusal(const char *dir);
/* Makes the checks store_open makes before LMDB touches dir (it exists
 * and carries a marker this build can read), changing nothing.  Tells a
 * wrong directory from a damaged data file. */
int store_probe(const char *dir, char **errp);

/* Writes a compact copy of the environment (mdb_env_copy2 with
 * MDB_CP_COMPACT, a consistent snapshot of the last commit) and a fresh
 * marker into dir, which must exist and be empty: LMDB creates the copy's
 * data.mdb with O_EXCL and fails with EEXIST over an old one.  The copy
 * and the directory are flushed to the device before it returns.  Works
 * on a read-only store too.  Must not be called from inside an iteration.
 * On failure a partial data.mdb is removed. */
int store_copy(struct store *st, const char *dir, char **errp);

bool store_readonly(const struct store *st);
/* Makes an empty store the same directory as the one an archive came
 * from (moving a directory through an export): takes its origin and the
 * meta values in meta (key, value, ..., NULL).  Refused when the store
 * holds any record. */
int store_adopt(struct store *st, const char *origin,
    const char *const *meta, char **errp);
/* The directory's origin: 32 hex digits. */
const char *store_origin(const struct store *st);
/* The global id of rec, a record of this store: its _gid, or for a
 * record written before global ids its implicit "ORIGIN-ID".  Newly
 * allocated. */
char *store_record_gid(const struct store *st, const struct record *rec);
/* The local id of the record of kind f (live or in the recycle bin)
 * whose global id is gid.  CX_NOTFOUND when there is none.  The record
 * itself may still have to be read. */
int store_find_gid(struct store *st, const struct form *f, const char *gid,
    uint64_t *id, char **errp);
const char *store_dir(const struct store *st);

/* Whether revision rev is among the space-separated revisions list
 * (NULL: none). */
bool store_rev_in(const char *rev, const char *list);
/* Field revisions (docs/exchange.md): the revision that last changed
 * top-level field of r, copied to out; false when the field has not
 * changed since r was created (or out is too small). */
#define STORE_FIELD_REV_MAX	48
bool store_field_rev(const struct record *r, const char *field, char *out,
    size_t outsz);
/* "，改了“职务/岗位”“备注”": the fields of now (as stored) changed
 * after revision since, for a message; "" when none can be told. */
char *store_changed_since(const struct form *f, const struct record *now,
    const char *since);
/* Sets r's "_frevs" from n "FIELD=REV" strings (sorted in place). */
void store_set_field_revs(struct record *r, char **pairs, size_t n);
/* Gives merged, the merge of two concurrent copies local and incoming
 * of a record of f with local id id, a revision that descends from
 * both: generation one more than the larger, ancestors local's and
 * incoming's revisions and then theirs, interleaved. */
void store_merge_rev(const struct form *f, struct record *merged,
    uint64_t id, const struct record *local, const struct record *incoming);
/* Current map size in bytes. */
size_t store_mapsize(const struct store *st);
/* Bulk mode, for filling a directory nobody uses yet (cxzy demo): while
 * on, commits are not flushed to the device one by one (MDB_NOSYNC), so
 * hundreds of small transactions do not cost a flush each on a USB
 * stick.  Turning it off flushes everything once; a crash while it is
 * on may lose the directory being filled, never older data. */
int store_bulk(struct store *st, bool on, char **errp);

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

/* Several writes of any kinds in one write transaction, in order:
 * either all happen or none.  STORE_OP_PUT works as store_put (rec->id
 * set when new, only on success); STORE_OP_DELETE as store_delete (by
 * id; a record that is not there fails the whole with a message);
 * STORE_OP_HISTORY keeps rec (as given, with its id) as the next old
 * version of that record in the "hist" database; STORE_OP_RESTORE brings
 * record id back from the recycle bin as store_restore does (a record
 * that is not in the bin fails the whole with a message).
 *
 * A PUT may name its parent: when link_field is not NULL, the text field
 * link_field of rec is set to "KIND:ID" of the record that the earlier
 * PUT ops[link_op] stores, so that a new owner and its new child records
 * are written together (on failure the field gets its old value back).
 * Zero the struct (or use designated initializers) for the other ops. */
enum store_op_kind { STORE_OP_PUT, STORE_OP_DELETE, STORE_OP_HISTORY,
	STORE_OP_RESTORE };
struct store_op {
	enum store_op_kind	 op;
	const struct form	*f;
	struct record		*rec;	/* PUT, HISTORY */
	uint64_t		 id;	/* DELETE, RESTORE */
	const char		*link_field;	/* PUT: or NULL */
	size_t			 link_op;	/* PUT with link_field */
};
int store_apply(struct store *st, struct store_op *ops, size_t n,
    char **errp);

/* Old versions of a record, oldest first (version 1, 2, ...): each is
 * the record as it was before a change, with its _modified time. */
typedef int (*store_hist_fn)(void *arg, unsigned version,
    const struct record *rec);
int store_history(struct store *st, const struct form *f, uint64_t id,
    store_hist_fn fn, void *arg, char **errp);

/* Reads a record.  Returns CX_NOTFOUND when there is none with this id;
 * CX_ERR when it is damaged (checksum mismatch). */
int store_get(struct store *st, const struct form *f, uint64_t id,
    struct record **out, char **errp);

/* Moves a record to the recycle bin (removing its index entries), and
 * back.  Both return CX_NOTFOUND (no message) when the record is not
 * there. */
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

/* Whether the store keeps an index on field of kind f (a top-level field
 * marked index or unique, or a ref or link field).  Only such fields can be
 * passed to store_index_scan, store_index_count and store_find. */
bool store_field_indexed(const struct store *st, const struct form *f,
    const char *field);

/* Ordered index walks, for lists that page through a million records
 * without counting or reading whole tables.
 *
 * An index holds one entry (key, id) per record with a non-empty value in
 * the field: key is the value's bytes, cut to STORE_INDEX_KEY_MAX at a
 * character boundary.  Entries are ordered by key bytes (as strcmp), then
 * by id.  Records whose field is empty have no entry and never appear.
 *
 * Position.  value and id name a place in that order, P = (v, id), where
 * v is value cut like a stored key.  Id 0 lies before every entry of key
 * v and STORE_ID_END after every entry of key v.
 *   dir > 0: entries strictly after P, ascending;
 *   dir < 0: entries strictly before P, descending.
 * value NULL: from the first entry (dir > 0) or the last (dir < 0); id
 * is ignored.
 * So, for a list showing rows (k1, i1) … (kN, iN):
 *   next page      (kN, iN, dir > 0)     previous page  (k1, i1, dir < 0)
 *   Home           (NULL, dir > 0)       End            (NULL, dir < 0)
 *   typed text t   (t, 0, dir > 0): the first entry with key >= t, and
 *                  (t, 0, dir < 0): the last entry with key < t.
 * A row's record may have been deleted or changed meanwhile: P need not
 * be an entry, and paging goes on from where it would be.
 *
 * Filters (flags; value must not be NULL):
 *   STORE_SCAN_EXACT   only entries whose key is v, i.e. the records
 *                      holding value, in id order.  Page with (value, id
 *                      of the row); Home (value, 0, dir > 0), End
 *                      (value, STORE_ID_END, dir < 0).  A value longer
 *                      than STORE_INDEX_KEY_MAX is checked against each
 *                      record's whole field (as store_find does).
 *   STORE_SCAN_PREFIX  only entries whose key starts with v; the walk
 *                      stops at the first key that does not.  Here
 *                      STORE_ID_END lies after every entry whose key
 *                      starts with v, so (value, STORE_ID_END, dir < 0)
 *                      walks back from the last match; (value, 0,
 *                      dir > 0) walks on from the first.  To page from a
 *                      row (k, i) of such a list, walk without a flag
 *                      from (k, i) and stop when fn sees a key that does
 *                      not start with the prefix.  A value longer than
 *                      STORE_INDEX_KEY_MAX is checked against the field.
 *
 * fn gets the key as stored (NUL-terminated; for a long value the cut
 * key, so pass it back as is to page) and the record, both valid only
 * during the call; non-zero stops the walk.  max is the most calls of fn
 * (0 = no limit).  A call costs one O(log n) seek plus one step and one
 * record read per entry passed to fn.
 *
 * Errors (CX_ERR): a field without an index or a filter without a value
 * (programming errors); a damaged record ("党员记录（编号 N）已损坏：…");
 * an index entry that is damaged or whose record is missing ("党员记录
 * “姓名”的索引已损坏（…）。请运行“cxzy check”…"): the store never leaves
 * such entries itself, so the list shows the message rather than
 * silently hiding records.  Entries already passed to fn stay passed.
 * A kind or index without a database (a read-only store opened with
 * newer forms) walks as empty. */
#define STORE_ID_END		UINT64_MAX

enum {
	STORE_SCAN_EXACT = 1 << 0,
	STORE_SCAN_PREFIX = 1 << 1
};

typedef int (*store_index_fn)(void *arg, const struct form *f,
    const char *key, const struct record *rec);

int store_index_scan(struct store *st, const struct form *f,
    const char *field, const char *value, uint64_t id, int flags, int dir,
    size_t max, store_index_fn fn, void *arg, char **errp);

/* Number of records whose indexed field holds exactly value, in
 * O(log n) (for a value longer than STORE_INDEX_KEY_MAX, each record
 * sharing the cut key is read and compared).  value NULL: the number of
 * entries in the index, i.e. the records whose field is not empty, which
 * is the length of an unfiltered store_index_scan list (constant time).
 * An empty value counts 0: empty values are not indexed. */
int store_index_count(struct store *st, const struct form *f,
    const char *field, const char *value, size_t *n, char **errp);

/* Verifies every record (checksum, decoding, key), every index entry
 * (checksum, the record exists and holds the value) and that every record
 * has its index entries, the recycle bin and meta.  Appends one Chinese
 * line per problem to damage.  Returns CX_OK when the walk completed
 * (damage->n tells whether anything was found), CX_ERR when it could not
 * run. */
int store_check(struct store *st, struct strlist *damage, char **errp);

/* Holds one read snapshot: until the matching store_snapshot_end, every
 * read (store_get, store_foreach, store_trash_foreach, store_meta_get ...)
 * sees the same data, as inside a store_foreach callback, and writes are
 * refused.  Used by the export so that an archive is consistent.  Calls
 * nest. */
int store_snapshot_begin(struct store *st, char **errp);
void store_snapshot_end(struct store *st);

/* One record for store_load: rec is stored with rec->id (> 0), its
 * form_version and every value exactly as given (_created, _modified and
 * _deleted are not touched), live (trash false) or in the recycle bin. */
struct store_load_item {
	const struct form	*f;
	const struct record	*rec;
	bool			 trash;
	/* With check: the load was planned from a reading of the store,
	 * and is refused (CX_CONFLICT, nothing written) when the store
	 * changed meanwhile: a fresh item's id must still be free (live
	 * and in the bin), another item's record must still be at
	 * revision expect (NULL: none). */
	bool			 check;
	bool			 fresh;
	const char		*expect;
	/* Not NULL: kept as the next old version of the record (its id
	 * set) before it is replaced, as a signed record's is. */
	const struct record	*history;
	/* Old versions to keep as well, after history (ids set). */
	const struct record	*const *more_history;
	size_t			 nmore_history;
};

/* Stores records as they are, in one write transaction: the import of an
 * archive.  Any copy of the same kind and id, live or in the bin, is
 * replaced (its index entries go); index entries and the id counters are
 * updated, and unique fields are checked as store_put does.  Either all
 * items are stored or none. */
int store_load(struct store *st, const struct store_load_item *items,
    size_t n, char **errp);

#endif
