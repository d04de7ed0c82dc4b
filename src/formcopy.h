/* formcopy.h: the copy of the form definitions a data directory keeps.
 *
 * A data directory carries the forms its records were entered under, in
 * DATADIR/forms/ (each *.form file byte for byte), so that the same USB
 * stick opened by another cxzy version shows the same forms.  The copy is
 * written when a directory is made (init, demo), at the first writable
 * open of a directory made before copies existed, and replaced only by an
 * explicit upgrade (cxzy forms upgrade) after a preview of what changes.
 *
 * The rules this module keeps:
 *
 * - A copy is replaced as a whole: the new files go into DATADIR/forms.new,
 *   each flushed to the device, and must load (formset_load_dir and
 *   sheet_check_set) before the directories are swapped by two renames
 *   (forms -> forms.old, forms.new -> forms).  An interruption between the
 *   two leaves a complete forms.new next to forms.old, which
 *   formcopy_dir() reads and formcopy_repair() puts in place.  Nothing
 *   here depends on a file system with more than rename and fsync (the
 *   directory may be on a FAT stick).
 * - Writers of one data directory take an exclusive flock(2) on the
 *   directory itself while they write, so two programs opening an old
 *   directory at once do not interleave their copies.
 * - Files are named [A-Za-z0-9_.-]+.form, not starting with "."; other
 *   names are never written (they may come from a hostile archive).
 *
 * No curses; functions return CX_OK or CX_ERR with a Chinese message and
 * never exit.
 */
#ifndef CXZY_FORMCOPY_H
#define CXZY_FORMCOPY_H

#include <stdbool.h>
#include <stddef.h>

#include "formdef.h"
#include "util.h"

struct archive;		/* archive.h */
struct store;		/* store.h */

#define FORMCOPY_DIR		"forms"
/* Limits for copies that arrive from outside (archives). */
#define FORMCOPY_MAX_FILES	256
#define FORMCOPY_MAX_SIZE	((size_t)1 << 20)	/* bytes per file */
#define FORMCOPY_NAME_MAX	100

/* One form file: its name (no directory) and its bytes. */
struct formcopy_file {
	char	*name;
	char	*text;		/* NUL-terminated, len bytes before it */
	size_t	 len;
};

/* The *.form files of a directory, sorted by name. */
struct formcopy_files {
	struct formcopy_file	*v;
	size_t			 n;
	size_t			 cap;
};

/* Whether name may be the name of a copied form file. */
bool formcopy_name_ok(const char *name);

/* The forms directory datadir uses: DATADIR/forms when it exists (or, after
 * an interrupted upgrade, the complete DATADIR/forms.new), else NULL (the
 * directory has no copy yet: the program's forms serve).  Changes
 * nothing.  Newly allocated. */
char *formcopy_dir(const char *datadir);

/* Reads every *.form file of dir (the files formset_load_dir reads).
 * Fails when dir cannot be read or a file is larger than
 * FORMCOPY_MAX_SIZE.  Free with formcopy_files_free. */
int formcopy_read(const char *dir, struct formcopy_files *out, char **errp);
void formcopy_files_free(struct formcopy_files *ff);
/* Adds a file (copied) to ff, keeping it sorted.  Fails on a bad or
 * repeated name. */
int formcopy_files_add(struct formcopy_files *ff, const char *name,
    const char *text, size_t len, char **errp);
/* Whether the two sets hold the same names with the same bytes. */
bool formcopy_files_equal(const struct formcopy_files *a,
    const struct formcopy_files *b);

/* Writes files as datadir's copy, replacing the one there (see the rules
 * above).  The files must load as a form set; if not, nothing changes
 * and the message names the file and line.  datadir must exist. */
int formcopy_write(const char *datadir, const struct formcopy_files *files,
    char **errp);

/* Copies the forms of from_dir as datadir's copy (init, demo, and the
 * first writable open of an older directory). */
int formcopy_snapshot(const char *datadir, const char *from_dir,
    char **errp);

/* At a writable open: finishes an interrupted replacement, then, when
 * datadir has no copy, snapshots from_dir.  Returns CX_OK when datadir
 * has a copy afterwards; the caller may ignore a failure (a read-only
 * stick) and go on with the program's forms. */
int formcopy_ensure(const char *datadir, const char *from_dir, char **errp);

/* Finishes or cleans up an interrupted replacement (forms.new, forms.old
 * left by a crash).  Needs a writable datadir. */
int formcopy_repair(const char *datadir, char **errp);

/* Appends to changes one Chinese line per difference that matters between
 * the form sets from and to, e.g.
 *   表单新增：电子档案（doc）
 *   党员（member）：字段删除：联系电话（phone）
 *   党员（member）：字段“性别”（gender）可选项改了：新增 x；删除 y
 *   党员（member）：检查规则改了
 *   党员（member）：版本号 1 → 2
 * in the order of to's forms, removed forms last.  Returns the number of
 * lines added (0: the sets describe the same forms, though their text may
 * differ in comments or layout). */
size_t formcopy_diff(const struct formset *from, const struct formset *to,
    struct strlist *changes);

/* Whether replacing the forms from by to would drop a form or a stored
 * field that holds data in some record of st (recycle bin included).  st
 * must be open with from.  Appends one Chinese line per such form or
 * field to problems and returns their number, or (size_t)-1 with *errp
 * when a record cannot be read. */
size_t formcopy_check_data(struct store *st, const struct formset *from,
    const struct formset *to, struct strlist *problems, char **errp);

/* Writes the forms an archive carries as datadir's copy (for a directory
 * made from a package: call it after the store has been created, since
 * store_open refuses a non-empty directory without a marker).  Returns
 * CX_NOTFOUND, changing nothing, when the archive carries no forms. */
int formcopy_from_archive(const char *datadir, const struct archive *a,
    char **errp);

#endif
