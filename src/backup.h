/* backup.h: rotated, verified copies of the data directory.
 *
 * Cheap USB sticks lose data when they are pulled or wear out, so cxzy
 * copies the data to the local disk whenever the full-screen program
 * ends, and on demand.  Layout of a backup root (see docs/storage.md):
 *
 *   ROOT/unit-1a2b3c4d/           one directory per 机关党委; the name is
 *                                 ASCII (FAT sticks): "unit-" and the
 *                                 CRC-32 of the unit's name in hex
 *     UNIT.txt                    the unit's real name (UTF-8)
 *     20261127-100000/            one backup, named by its local time;
 *                                 "-2", "-3" ... when the name is taken,
 *                                 and after the newest backup whenever
 *                                 the clock is not past it
 *       cxzy.marker, data.mdb     a compact copy (store_copy)
 *       INFO.txt                  time, source, program, counts per kind
 *     .tmp-XXXXXX/                a backup being written
 *
 * A backup is written into a temporary directory, flushed, opened again
 * and checked (store_check; the record count of every kind must equal the
 * source's) and only then renamed into place, so a directory with a
 * backup's name always holds a complete, checked copy.
 *
 * The root is $CXZY_BACKUP_DIR, else $XDG_DATA_HOME/cxzy/backups, else
 * ~/.local/share/cxzy/backups.  Callers may write a second copy to another
 * root (a second stick).
 */
#ifndef CXZY_BACKUP_H
#define CXZY_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "formdef.h"
#include "store.h"
#include "util.h"

#define BACKUP_KEEP		10	/* newest backups kept by rotation */
#define BACKUP_INFO		"INFO.txt"
#define BACKUP_UNIT		"UNIT.txt"
#define BACKUP_BEFORE_RESTORE	"data.mdb.before-restore-"

/* Records of one kind in a data directory or backup. */
struct backup_count {
	char	*kind;		/* "member" */
	char	*label;		/* "党员" */
	size_t	 n;
};

struct backup {
	char			*path;		/* the backup's directory */
	char			*name;		/* "20261127-100000", maybe "-2" */
	char			*slug;		/* "unit-1a2b3c4d", or "" */
	char			*unit;		/* the 机关党委's name, or "" */
	char			*time;		/* "2026-11-27 10:00:00", or "" */
	char			*source;	/* data directory copied */
	char			*program;	/* version that wrote it */
	struct backup_count	*counts;
	size_t			 ncounts;
	bool			 info_ok;	/* INFO.txt was read */
	size_t			 removed;	/* backup_create: rotated away */
	bool			 clock_behind;	/* backup_create: the clock was
						 * before the newest backup, so
						 * the name follows that one's */
};

struct backup_list {
	struct backup	*v;
	size_t		 n, cap;
};

/* The default backup root (see top), newly allocated.  NULL with a
 * message when neither CXZY_BACKUP_DIR, XDG_DATA_HOME nor HOME is set. */
char *backup_default_root(char **errp);

/* The 机关党委's name (the org record of type committee), "" when there is
 * none or it cannot be read. */
char *backup_unit_name(struct store *st, const struct formset *fs);
/* "unit-" and 8 hex digits of the CRC-32 of unit: an ASCII directory
 * name for any unit name. */
char *backup_unit_slug(const char *unit);

/* Counts the records of every kind of fs.  *out is allocated. */
int backup_store_counts(struct store *st, const struct formset *fs,
    struct backup_count **out, size_t *n, char **errp);
/* "党组织 13 条、党员 66 条" (newly allocated). */
char *backup_counts_text(const struct backup_count *c, size_t n);
void backup_counts_free(struct backup_count *c, size_t n);

/* Makes a backup of st under root (created when missing): copy to a
 * temporary directory, flush, check, rename into place as
 * root/SLUG/YYYYMMDD-HHMMSS (model_now, local time), then rotate with
 * keep (0 = BACKUP_KEEP).  Names only ever grow: when the time is not
 * after the newest backup's name (a frozen clock, a clock set back), the
 * new backup takes that name with the next "-N" (out->clock_behind set
 * when the clock is before it), so it never takes the name of one that
 * rotation removed, and it is never the one rotation removes.  Fills
 * *out (free with backup_free).  When the copy fails its check nothing
 * is renamed and nothing rotated: the data itself may be damaged, and
 * older backups must stay.  Whenever it fails, what it made is removed
 * again: the temporary directory, and the unit directory (with its
 * UNIT.txt) and root when this call made them. */
int backup_create(struct store *st, const struct formset *fs,
    const char *root, size_t keep, struct backup *out, char **errp);

/* Deletes old backups in a unit directory, keeping the newest keep ones
 * and the newest of every calendar month.  Only directories named like a
 * backup are touched, and only the files a backup holds are removed (a
 * directory holding anything else stays).  Temporary directories left by
 * an interrupted backup more than an hour ago are removed too.  *removed
 * (may be NULL) tells how many backups went. */
int backup_rotate(const char *unitdir, size_t keep, size_t *removed,
    char **errp);

/* Every backup under root, of every unit, newest first, with what
 * INFO.txt and UNIT.txt say.  A missing root is an empty list. */
int backup_list(const char *root, struct backup_list *out, char **errp);
void backup_list_free(struct backup_list *l);

/* Reads what a backup directory says about itself (INFO.txt and the
 * unit directory's UNIT.txt).  A directory without INFO.txt is still
 * accepted when it holds data.mdb (info_ok is then false).  CX_ERR when
 * path is no backup. */
int backup_load(const char *path, struct backup *out, char **errp);

/* Finds a backup by its name ("20261127-100000") under root, or takes
 * name as a path when it names a directory.  When several units have a
 * backup of that name, the one of prefer_slug (may be NULL) wins; else
 * the message lists them. */
int backup_find(const char *root, const char *name, const char *prefer_slug,
    struct backup *out, char **errp);

void backup_free(struct backup *b);

/* Opens the backup at path read-only, runs store_check and counts its
 * records (*counts allocated; may be NULL).  CX_ERR with a message when
 * it cannot be opened or any damage is found. */
int backup_verify(const char *path, const struct formset *fs,
    struct backup_count **counts, size_t *ncounts, char **errp);

/* Replaces the data in datadir with the backup at path.  The backup is
 * verified first.  Its data.mdb is copied to a temporary file in datadir
 * and flushed; the current data.mdb is kept as
 * data.mdb.before-restore-YYYYMMDD-HHMMSS (its name in *saved_as, NULL
 * when there was none; may be NULL) and the copy renamed into place; the
 * directory is flushed and a stale lock.mdb removed.  datadir always
 * holds a complete data.mdb.  Refused when datadir is read-only, is not a
 * cxzy data directory, or another process has the data open (this
 * process's own open store does not count: close or quit it afterwards,
 * it still shows the old data). */
int backup_restore(const char *path, const struct formset *fs,
    const char *datadir, char **saved_as, char **errp);

#endif
