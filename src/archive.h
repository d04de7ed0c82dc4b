/* archive.h: the portable text archive (export and import).
 *
 * An archive holds every record of a data directory, the recycle bin
 * included, as UTF-8 text that any cxzy can read whatever LMDB it links:
 * it is how data moves between LMDB 0.9 and 1.0, between machines, and
 * back from a damaged stick.  The format is in docs/archive.md:
 *
 *   cxzy-archive 2                       format line
 *   program=0.1.0                        header (key=value)
 *   created=2026-11-27 10:00:00
 *   unit=演示市人防办机关党委
 *   data-format=1
 *                                        blank line between blocks
 *   @form member.form                    a form file of the directory,
 *   +form member\n                       its text escaped as values are,
 *   +label 党员\n                         every line starting "+"
 *   @crc 0a1b2c3d                        CRC-32 of the block's lines
 *
 *   @record member 17 1                  kind, id, form version
 *   _created=2026-11-27 10:00:00         values, escaped (\\ \n \r \t
 *   note=第一行\n                         \s \xHH); a value's line break
 *   +第二行                               goes on in a "+" line
 *   @rows items                          a rows value ...
 *   @row 1                               ... and its rows
 *   content=…
 *   @endrows items
 *   @crc 0a1b2c3d                        CRC-32 of the block's lines
 *
 *   @trash member 5 1                    a record in the recycle bin
 *   …
 *   @end 80 89abcdef                     record count, CRC-32 of all
 *                                        lines before this one
 *
 * The reader is strict: anything malformed, a checksum that does not
 * match, an unknown format version or a missing trailer is an error
 * "NAME:LINE: 中文说明".  It never crashes on arbitrary bytes and uses
 * memory proportional to its input.
 */
#ifndef CXZY_ARCHIVE_H
#define CXZY_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define ARCHIVE_VERSION		2
/* The largest id an archive may carry (the store's ids never come near;
 * a bigger one is a damaged or forged file). */
#define ARCHIVE_ID_MAX		((uint64_t)1000000000000ULL)
#define ARCHIVE_MAGIC		"cxzy-archive"
/* Rows inside rows, as deep as the codec allows. */
#define ARCHIVE_MAX_DEPTH	8

/* One record read from an archive. */
struct archive_item {
	char		*kind;
	bool		 trash;		/* from the recycle bin */
	struct record	*rec;		/* rec->id and rec->form_version set */
	unsigned long	 line;		/* line of its @record / @trash */
	/* The old versions a signed record keeps (store_history), oldest
	 * first, from the "@old" blocks after it. */
	struct record	**hist;
	size_t		  nhist, histcap;
};

/* A form file an archive carries ("@form NAME" blocks, format 2): the
 * forms of the data directory it was exported from, byte for byte. */
struct archive_form {
	char		*name;		/* e.g. "member.form" */
	char		*text;		/* NUL-terminated, len bytes before it */
	size_t		 len;
	unsigned long	 line;		/* line of its @form */
};

struct archive {
	char			*program;	/* header values, "" if absent */
	char			*created;
	char			*unit;
	char			*data_format;
	char			*origin;	/* version 2: the sender's */
	/* A package (docs/exchange.md): scope "branch" (a branch filing
	 * with the 机关党委) or "committee" (the 机关党委 to one branch);
	 * NULL in an ordinary archive.  branch: the global id of the
	 * branch's org record; period: "2026H2" or "all". */
	char			*scope;
	char			*branch;
	/* An ordinary archive of a branch directory: "branch" and the
	 * branch's global id (its meta "scope" and "branch"), else NULL. */
	char			*dir_scope;
	char			*dir_branch;
	char			*branch_name;
	char			*period;
	/* A 机关党委 package: the 机关党委's current period, or NULL. */
	char			*current_period;
	unsigned		 version;	/* format version, 1 or 2 */
	struct archive_item	*items;
	size_t			 n;
	size_t			 cap;
	struct archive_form	*forms;		/* sorted by name; none in
						 * older archives */
	size_t			 nforms;
	size_t			 formcap;
};

/* Writes the files of the forms in fs (each form's path, byte for byte,
 * sorted by file name), then every record of every kind in fs (in the
 * forms' order, then by id) and the recycle bin to fp, all read in one
 * snapshot.  The header's
 * unit is the meta value "unit", or else the name of the 机关党委 (org of
 * type committee).  *nrecords (may be NULL) gets the number of records
 * written.  Fails with a message when a record cannot be read or fp
 * cannot be written. */
int archive_export(struct store *st, const struct formset *fs, FILE *fp,
    size_t *nrecords, char **errp);

/* A package (docs/exchange.md): the records one side sends the other.
 * scope "committee": the 机关党委's package for one branch (the 机关党委's
 * org record, the settings and every record of the branch); "branch": a
 * branch's records for filing.  period (a code such as "2026H2", or
 * NULL for all) keeps only records of that period (kinds without one
 * always go).  progress, when set, is called with the number of records
 * looked at so far. */
struct archive_package {
	const char	*scope;
	uint64_t	 branch_org;	/* local id of the branch's org */
	const char	*branch_gid;
	const char	*branch_name;
	const char	*period;
	void		(*progress)(void *arg, size_t done);
	void		*progress_arg;
};
int archive_export_package(struct store *st, const struct formset *fs,
    const struct archive_package *pkg, FILE *fp, size_t *nrecords,
    char **errp);
/* archive_export_file for a package (pkg NULL: everything). */
int archive_export_package_file(struct store *st, const struct formset *fs,
    const struct archive_package *pkg, const char *path, bool force,
    size_t *nrecords, char **errp);
/* The branch (local org id) a record belongs to; 0: the whole unit. */
uint64_t archive_branch_of(const struct form *f, const struct record *r);

/* Exports to the file path safely: a temporary file in the same
 * directory, flushed to disk, then renamed over path.  Refuses an
 * existing path unless force. */
int archive_export_file(struct store *st, const struct formset *fs,
    const char *path, bool force, size_t *nrecords, char **errp);

/* Parses an archive held in data[0..len).  name is used in messages
 * ("NAME:LINE: ...").  A UTF-8 BOM and CRLF line ends are accepted. */
int archive_parse(const char *name, const char *data, size_t len,
    struct archive **out, char **errp);
/* Reads and parses a file ("-" = standard input). */
int archive_read_file(const char *path, struct archive **out, char **errp);
void archive_free(struct archive *a);

/* What importing one record did (or, in a dry run, would do). */
enum archive_outcome {
	ARCHIVE_ADDED,		/* not here: added with its own id */
	ARCHIVE_UPDATED,	/* the archive's copy is newer: replaced */
	ARCHIVE_UNCHANGED,	/* identical here */
	ARCHIVE_CONFLICT,	/* both changed since they last met, or
				 * the id belongs to another record:
				 * left alone */
	ARCHIVE_OLDER,		/* here is newer (the archive's copy is
				 * an ancestor): left alone */
	ARCHIVE_REJECTED,	/* fails form_validate / model_check */
	ARCHIVE_UNKNOWN,	/* a kind the forms do not know: skipped */
	ARCHIVE_MERGED,		/* both changed other fields: merged */
	ARCHIVE_IGNORED,	/* a package's change its sender does not
				 * own, or of another branch: not taken */
	ARCHIVE_HELD,		/* would change a locked period: the
				 * package is held, nothing written */
	ARCHIVE_MATCHED,	/* joining: the same org or member as one
				 * here (matched_id), which stays as it is */
	ARCHIVE_NOUTCOMES
};

struct archive_result {
	enum archive_outcome	 outcome;
	const char		*kind;		/* the archive's */
	const char		*label;		/* the form's, or the kind */
	uint64_t		 id;
	bool			 trash;		/* the archive's copy is in the bin */
	char			*title;		/* "" when none */
	char			*local_modified;	/* conflicts */
	char			*archive_modified;
	bool			 other_record;	/* conflict: different _created */
	bool			 both_changed;	/* conflict: concurrent revisions */
	bool			 duplicate;	/* conflict: a unique value another
						 * record here holds (problems) */
	uint64_t		 matched_id;	/* matched: the record here */
	struct strlist		 problems;	/* rejected, conflicts (one line
						 * per field), ignored, held */
};

struct archive_report {
	struct archive_result	*v;		/* in archive order */
	size_t			 n;
	size_t			 count[ARCHIVE_NOUTCOMES];
	bool			 applied;	/* written (not a dry run) */
	bool			 held;		/* a package held: nothing written */
};

/* How an import runs.  For a package (a->scope set) archive_import_opts
 * fills in the owner and branch from the store and the package. */
struct archive_opts {
	bool		 dry_run;
	/* Changes are taken only where the sender owns the kind (adds,
	 * deletes) or the field (form "owner"). */
	bool		 ownership;
	enum form_owner	 sender;
	/* Not 0: only records of this branch (local org id) may change. */
	uint64_t	 branch_org;
	/* A change in a locked period holds the whole import (HELD);
	 * otherwise such a record is rejected. */
	bool		 hold_locked;
	/* Joining a branch that kept its ledger on its own (an ordinary
	 * archive of its directory): the local org id of the branch.  Its
	 * 机关党委, the branch and its 党小组 are matched to the org records
	 * here by type and name, its members to the branch's members here
	 * by name and 出生年月; a match that is not exactly one record is
	 * an error listing every such case, and nothing is written.  The
	 * matched records stay as they are here; the others come in as the
	 * branch's, under ownership. */
	uint64_t	 join_org;
	/* Called now and then with the number of records compared. */
	void		(*progress)(void *arg, size_t done);
	void		*progress_arg;
};

/* Imports the records of a into st (see docs/archive.md for the rules).
 *
 * Format 2 archives name every record by its global id (_gid) and carry
 * its revision (_rev, _revs): a record unknown here is added (with the
 * archive's id when it is free here, else the next free one; references
 * in the archive follow, and a's items are rewritten to the ids here);
 * a known one is unchanged (same revision), updated (the archive's copy
 * descends from the one here), older (the copy here descends from the
 * archive's) or a conflict (both changed since they last met: the copy
 * here stays).  Format 1 archives are matched by id: absent → added
 * with the same id; identical → unchanged; the archive's copy newer
 * (_modified, or _deleted for the bin) → updated; otherwise, or when the
 * id is held by a record with a different _created, a conflict.
 *
 * A record with a field its form lacks is rejected.  Added and updated
 * records are checked with form_validate and model_check against the
 * data as it will be after the import; a record that fails is rejected
 * and not written.  All writes go in one transaction, which is refused
 * (CX_CONFLICT) when the store changed since the import read it, so a
 * failure leaves the store unchanged.  With dry_run nothing is written.
 * The report lists every record of a; free it with archive_report_free.
 * Returns CX_ERR only when the import could not run or could not be
 * written. */
int archive_import(struct store *st, const struct formset *fs,
    struct archive *a, bool dry_run, struct archive_report *report,
    char **errp);
/* The same with options (see struct archive_opts). */
int archive_import_with(struct store *st, const struct formset *fs,
    struct archive *a, const struct archive_opts *o,
    struct archive_report *report, char **errp);
/* The options a package a calls for in st: a branch's package only in a
 * 机关党委 directory that knows the branch (ownership: the branch's,
 * only that branch's records, locked periods hold it); a 机关党委's
 * package only in that branch's directory.  An ordinary archive: no
 * ownership.  Fails with a message when a is the wrong package here. */
int archive_package_opts(struct store *st, const struct formset *fs,
    const struct archive *a, bool dry_run, struct archive_opts *o,
    char **errp);
void archive_report_free(struct archive_report *report);

/* The report as Chinese text, one line per added, updated, conflicting,
 * rejected or skipped record, and a summary line.  Text taken from the
 * archive is escaped with text_safe(), one line each.  Newly allocated. */
char *archive_report_text(const struct archive_report *report);
/* The same without the records that were added, updated, merged,
 * unchanged or older: conflicts, rejections, changes not taken, the
 * held package, and the summary line. */
char *archive_report_summary(const struct archive_report *report);

#endif
