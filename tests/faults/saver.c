/* saver.c: a driver for the fault tests (tests/faults/kill9.sh,
 * stalelock.sh).  It uses the core library exactly as the program does.
 *
 *   saver save DIR BRANCH   stores valid member records in a loop, one by
 *                           one and in batches of four (store_put_many),
 *                           and prints "ID NAME" for each record only
 *                           after the store said CX_OK.  Runs until
 *                           killed, or for at most 60 seconds.
 *   saver verify DIR FILE   reads such lines and checks that every record
 *                           is there with that name.
 *   saver hold DIR          opens DIR, starts reading (a read transaction
 *                           with a reader slot in lock.mdb), prints
 *                           "holding" and waits to be killed.
 *
 * Forms come from CXZY_FORMS.  Exit status 0, or 1 with a message. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formdef.h"
#include "model.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define SAVER_BATCH	4
#define SAVER_SECONDS	60

struct saver {
	struct formset		*fs;
	const struct form	*member;
	struct store		*st;
};

static void
saver_die(const char *what, char *err)
{
	fprintf(stderr, "saver: %s: %s\n", what, err != NULL ? err : "?");
	free(err);
	exit(1);
}

static void
saver_open(struct saver *s, const char *dir)
{
	const char *forms = getenv("CXZY_FORMS");
	char *err = NULL;

	if (forms == NULL)
		saver_die("CXZY_FORMS", xstrdup("not set"));
	if (formset_load_dir(forms, &s->fs, &err) != CX_OK)
		saver_die(forms, err);
	if ((s->member = formset_find(s->fs, "member")) == NULL)
		saver_die(forms, xstrdup("no member form"));
	if (store_open(dir, s->fs, 0, NULL, &s->st, &err) != CX_OK)
		saver_die(dir, err);
}

static int
saver_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct saver *s = arg;
	const struct form *f = formset_find(s->fs, kind);

	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(s->st, f, id, out, errp);
}

/* A member record as `cxzy add` would build it: typed values made
 * canonical by the form, then validated by the same rules. */
static struct record *
saver_member(struct saver *s, const char *name, const char *branch)
{
	static const char *const input[][2] = {
		{ "gender", "男" },
		{ "birth", "1980-01" },
		{ "joined", "2005-07-01" },
		{ "post", "科员" },
		{ "note", "断电测试：保存过程中被强行结束。" }
	};
	const struct form_field *ff;
	struct record *r = record_new();
	struct strlist problems;
	struct date today;
	char *v, *err = NULL;
	size_t i;

	model_today(&today);
	form_apply_defaults(s->member, r, &today);
	record_set(r, "name", name);
	record_set(r, "branch_id", branch);
	for (i = 0; i < sizeof input / sizeof input[0]; i++) {
		if ((ff = form_field_find(s->member, input[i][0])) == NULL)
			saver_die(input[i][0], xstrdup("no such field"));
		if (form_input_value(ff, input[i][1], &v, &err) != CX_OK)
			saver_die(input[i][0], err);
		record_set_take(r, input[i][0], v);
	}
	strlist_init(&problems);
	if (form_validate(s->member, r, saver_lookup, s, &problems) > 0 ||
	    model_check(s->fs, "member", r, saver_lookup, s, &problems) > 0)
		saver_die("invalid record", xstrdup(problems.v[0]));
	strlist_free(&problems);
	return r;
}

static int
saver_save(const char *dir, const char *branch)
{
	struct record *recs[SAVER_BATCH];
	struct saver s;
	char name[32], *err = NULL;
	time_t start = time(NULL);
	unsigned long seq = 0;
	size_t n, i, round;

	saver_open(&s, dir);
	for (round = 0; time(NULL) - start < SAVER_SECONDS; round++) {
		/* Every third round is a batch, so that kills hit both
		 * store_put and store_put_many. */
		n = round % 3 == 2 ? SAVER_BATCH : 1;
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof name, "断电%ld-%lu", (long)getpid(),
			    ++seq);
			recs[i] = saver_member(&s, name, branch);
		}
		if ((n == 1 ? store_put(s.st, s.member, recs[0], &err) :
		    store_put_many(s.st, s.member, recs, n, &err)) != CX_OK)
			saver_die("save", err);
		for (i = 0; i < n; i++) {
			printf("%llu %s\n", (unsigned long long)recs[i]->id,
			    record_get(recs[i], "name"));
			record_free(recs[i]);
		}
		fflush(stdout);
	}
	store_close(s.st);
	formset_free(s.fs);
	return 0;
}

static int
saver_verify(const char *dir, const char *file)
{
	struct saver s;
	struct record *r;
	unsigned long long id;
	char line[256], name[128], *err = NULL;
	const char *got;
	size_t n = 0, bad = 0;
	FILE *fp;
	int rc;

	saver_open(&s, dir);
	if ((fp = fopen(file, "r")) == NULL) {
		perror(file);
		return 1;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		/* A kill can cut the last line; it was never acknowledged. */
		if (strchr(line, '\n') == NULL)
			break;
		if (sscanf(line, "%llu %127s", &id, name) != 2) {
			fprintf(stderr, "saver: bad line: %s", line);
			bad++;
			continue;
		}
		n++;
		rc = store_get(s.st, s.member, id, &r, &err);
		if (rc != CX_OK) {
			fprintf(stderr, "saver: acknowledged record %llu (%s) "
			    "lost: %s\n", id, name, err != NULL ? err : "absent");
			free(err);
			err = NULL;
			bad++;
			continue;
		}
		got = record_get(r, "name");
		if (got == NULL || strcmp(got, name) != 0 ||
		    record_get(r, "note") == NULL) {
			fprintf(stderr, "saver: record %llu is %s, want %s\n", id,
			    got != NULL ? got : "(no name)", name);
			bad++;
		}
		record_free(r);
	}
	fclose(fp);
	store_close(s.st);
	formset_free(s.fs);
	printf("%zu acknowledged, %zu bad\n", n, bad);
	return bad > 0;
}

static int
saver_stop(void *arg, const struct form *f, const struct record *rec)
{
	(void)arg;
	(void)f;
	(void)rec;
	printf("holding\n");
	fflush(stdout);
	for (;;)
		pause();
	return 1;
}

static int
saver_hold(const char *dir)
{
	struct saver s;
	char *err = NULL;

	saver_open(&s, dir);
	if (store_foreach(s.st, s.member, saver_stop, NULL, &err) != CX_OK)
		saver_die("read", err);
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "save") == 0)
		return saver_save(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "verify") == 0)
		return saver_verify(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "hold") == 0)
		return saver_hold(argv[2]);
	fprintf(stderr, "usage: saver save DIR BRANCH | verify DIR FILE | "
	    "hold DIR\n");
	return 2;
}
