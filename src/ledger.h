/* ledger.h: how a record is loaded and saved with everything tied to it.
 *
 * Every front end loads and saves records through here, never through
 * store_put directly, so that the rules below hold whatever screen or
 * command made the change:
 *
 * - Rows stored as records ("store KIND FIELD" in a form): loading fills
 *   the rows field from the child records (ordered by their "seq" field,
 *   then id); each row carries the child's id in the value "_id".
 *   Saving writes the owner and every child in one transaction: new rows
 *   become new child records (defaults applied), changed rows update only
 *   the columns the owner shows, removed rows go to the recycle bin.  The
 *   children's own fields (status, progress ...) are never touched by the
 *   owner's screen.
 * - auto fields are filled on every save (docs/forms.md §15), for the
 *   owner and for each child.
 * - The whole record is validated (form_validate_ctx + model_check) and
 *   nothing is written when there is a problem.
 * - A period that was filed and locked accepts changes only to fields
 *   marked "annotation"; new records in it are refused.  A record is in
 *   the period of its "current_period" field when the form has one (items
 *   carried forward), else of its "period" field.
 * - A signed record (form "sign FIELD", FIELD filled) keeps its previous
 *   version in the store history when it changes.
 */
#ifndef CXZY_LEDGER_H
#define CXZY_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "formdef.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "util.h"

struct ledger {
	struct store		*st;
	const struct formset	*fs;
	struct form_ctx		 ctx;	/* today + settings from the store */
	struct record		*settings;	/* cached, or NULL */
};

/* Sets up ctx (today from model_today, settings read from the store). */
void ledger_init(struct ledger *lg, struct store *st,
    const struct formset *fs);
void ledger_fini(struct ledger *lg);
/* Re-reads the settings after they changed. */
void ledger_reload(struct ledger *lg);
/* The value of an integer setting: the stored one, else the default
 * written in forms/settings.form, else fallback (also when the value is
 * not a whole number >= 0). */
long ledger_setting_long(const struct ledger *lg, const char *name,
    long fallback);

/* A form_lookup_fn over the store (arg: the struct ledger). */
int ledger_lookup(void *arg, const char *kind, uint64_t id,
    struct record **out, char **errp);

/* Loads a record with its stored rows filled in. */
int ledger_get(struct ledger *lg, const struct form *f, uint64_t id,
    struct record **out, char **errp);

/* Sets every period field of f whose default is "current" to the
 * period the user works in (ledger_current_period), in a new record. */
void ledger_default_periods(struct ledger *lg, const struct form *f,
    struct record *rec);

/* Fills auto fields of rec (and of its stored rows) in place, without
 * saving: for screens that show them while typing. */
void ledger_derive(struct ledger *lg, const struct form *f,
    struct record *rec);

/* Validates and saves rec (new when rec->id is 0, then rec->id is set),
 * with its stored rows, auto fields, the period lock and history.  On
 * validation failure returns CX_ERR and appends the messages to problems
 * (when not NULL; *errp then says "有 N 处需要修改。").  rec is updated
 * with what was stored (auto values, children's _id). */
int ledger_save(struct ledger *lg, const struct form *f, struct record *rec,
    struct strlist *problems, char **errp);

/* Adds n new records of f (a spreadsheet import) all or nothing: each is
 * derived, checked against the period lock and validated as ledger_save
 * does, its problems appended to problems[i] (an array of n lists).
 * When any record has a problem nothing is written and CX_ERR is
 * returned with *errp "有 N 条记录需要修改。".  Otherwise, when write is
 * true, all are stored in one transaction (a unique value taken fails the
 * whole with the store's message) and each recs[i]->id is set; when write
 * is false nothing is written (a dry run).  Stored rows ("store KIND
 * FIELD") are not written: such a form's rows stay empty. */
int ledger_add_many(struct ledger *lg, const struct form *f,
    struct record **recs, size_t n, bool write, struct strlist *problems,
    char **errp);

/* Moves a record to the recycle bin with its stored rows. */
int ledger_delete(struct ledger *lg, const struct form *f, uint64_t id,
    char **errp);
/* Brings record id of f back from the recycle bin together with the
 * stored rows deleted with it (same deletion time; rows removed from it
 * earlier stay in the bin), all in one transaction.  Refused (CX_ERR)
 * when the record or one of those rows is in a locked period, or when a
 * unique value or the id is taken meanwhile; then nothing comes back.
 * CX_NOTFOUND, with a message, when the record is not in the bin. */
int ledger_restore(struct ledger *lg, const struct form *f, uint64_t id,
    char **errp);

/* The period lock (meta "lock:2026H1" = time of locking). */
bool ledger_locked(struct ledger *lg, const struct period *p);
int ledger_lock(struct ledger *lg, const struct period *p, bool lock,
    char **errp);

/* 新周期: makes next the current period (meta "period") and carries
 * forward every record of a form with a "current_period" field whose
 * current_period is from and whose "status" is not one of the form's
 * closed statuses (options listed by the form's "closed" setting, see
 * docs/forms.md §17): their current_period becomes next.  The records
 * stay the same records (no copies).  *carried counts them. */
int ledger_new_cycle(struct ledger *lg, const struct period *from,
    const struct period *next, size_t *carried, char **errp);

/* The period the user works in: meta "period", else today's. */
void ledger_current_period(struct ledger *lg, struct period *out);
int ledger_set_current_period(struct ledger *lg, const struct period *p,
    char **errp);

/* The four types of 三会一课 meeting (meeting_type codes, in this order)
 * with the setting that says how many a half-year wants, its default
 * and the label to use when the forms lack the option. */
#define LEDGER_NMEETING_TYPES	4
struct ledger_meeting_type {
	const char	*type;
	const char	*setting;
	long		 def;
	const char	*label;
};
extern const struct ledger_meeting_type
    ledger_meeting_types[LEDGER_NMEETING_TYPES];

/* Meetings of type t (index into ledger_meeting_types) a branch must
 * hold in the half-year (the setting; 党小组会 once per group), or -1
 * when the type does not apply: a 直属党小组 (direct) has no 党员大会 or
 * 委员会, a 党支部 without 党小组 has no 党小组会. */
long ledger_meetings_required(const struct ledger *lg, size_t t,
    bool direct, size_t ngroups);
/* How many of required are due by today in period p: the whole ones
 * among required * elapsed / days (rounded down, so that a meeting
 * falls due only once its share of the half-year has passed); all of
 * them once the period is over, none before it starts. */
long ledger_meetings_so_far(const struct ledger *lg, const struct period *p,
    long required);

/* Whether r is finished by its form's "closed" setting (f NULL: no). */
bool ledger_closed(const struct form *f, const struct record *r);

/* Records of one kind read into memory, for the reports. */
struct ledger_set {
	const struct form	 *f;	/* NULL: the forms lack the kind */
	struct record		**v;
	size_t			  n, cap;
};

/* Reads the records of kind whose field holds value (field NULL: all of
 * them) into set: through the index when the field has one, else by
 * walking the kind.  A kind the forms do not define, or one without
 * field, gives an empty set.  On failure set keeps what was read: free
 * it with ledger_set_free all the same. */
int ledger_set_load(struct ledger *lg, struct ledger_set *set,
    const char *kind, const char *field, const char *value, char **errp);
void ledger_set_free(struct ledger_set *set);

/* What a 机关党委 directory knows of a branch's package for period p
 * (exchange.h), as the 工作台 and the 备案情况总表 show it.  filed: a
 * package of period p, or of all periods, arrived.  status is "已报送"
 * or "未报送"; when ("2026-07-10 09:30:00"), period ("2026年上半年",
 * "全部周期") and file are the latest package's, or NULL when none
 * arrived; line is one line for a screen: "已报送 2026-07-10（2026年
 * 上半年）", "未报送", or "未报送（最近收到 2026-01-12，2025年下半年）". */
struct ledger_arrival {
	bool	 filed;
	char	*status;
	char	*when;
	char	*period;
	char	*file;
	char	*line;
};
/* CX_OK with out filled (also when nothing arrived); CX_ERR when the
 * store cannot be read.  Free with ledger_arrival_free. */
int ledger_arrival(struct ledger *lg, uint64_t org_id,
    const struct period *p, struct ledger_arrival *out, char **errp);
void ledger_arrival_free(struct ledger_arrival *a);

#endif
