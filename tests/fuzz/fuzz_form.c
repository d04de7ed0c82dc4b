/* fuzz_form.c: libFuzzer target for the form file parser.
 *
 * Parses the input as one form file.  A form that parses is then put to
 * work the way the program uses it: every field normalises a few inputs
 * taken from the form itself (its default, help line, labels and option
 * codes), a record built from them is validated, defaults are applied
 * and values are displayed.  When the input holds several files
 * separated by a line "%%", they are also loaded as a form set from a
 * private directory, which runs the set-level checks (unique kinds,
 * references and "where").
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "formdef.h"
#include "record.h"
#include "util.h"

#define FUZZ_SEP	"\n%%\n"
#define FUZZ_MAXFILES	4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_dir;

/* A lookup that finds every id: the record it returns names itself
 * after the id, so display follows references one level. */
static int
fuzz_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	const struct form *f = arg;
	struct record *r;
	char *s;

	(void)kind;
	(void)errp;
	if (id % 3 == 0)
		return CX_NOTFOUND;
	r = record_new();
	s = xasprintf("%llu", (unsigned long long)id);
	if (f != NULL && f->title != NULL)
		record_set(r, f->title, s);
	free(s);
	*out = r;
	return CX_OK;
}

/* Feeds one input to a field; keeps the canonical value in r when it is
 * accepted.  The result must be accepted again unchanged. */
static void
fuzz_input(const struct form *f, const struct form_field *fl,
    const char *in, struct record *r)
{
	char *out = NULL, *out2 = NULL, *err = NULL;
	char *disp;

	if (fl->type == FT_ROWS || in == NULL)
		return;
	if (form_input_value(fl, in, &out, &err) != CX_OK) {
		if (err == NULL)
			abort();	/* failure without a message */
		free(err);
		return;
	}
	if (out == NULL)
		abort();
	/* The canonical form is a fixed point, except a reference typed by
	 * name (it becomes an id only through the store). */
	if (fl->type != FT_REF &&
	    (form_input_value(fl, out, &out2, &err) != CX_OK ||
	    strcmp(out, out2) != 0)) {
		fprintf(stderr, "not a fixed point: field %s, \"%s\" -> "
		    "\"%s\" -> \"%s\" (%s)\n", fl->id, in, out,
		    out2 != NULL ? out2 : "(error)", err != NULL ? err : "");
		abort();
	}
	free(out2);
	disp = form_value_display(NULL, fl, out, fuzz_lookup, (void *)f);
	free(disp);
	if (r != NULL)
		record_set_take(r, fl->id, out);
	else
		free(out);
}

static void
fuzz_fields(const struct form *f, const struct form_field *fields,
    size_t n, struct record *r)
{
	const struct form_field *fl;
	struct record *row;
	size_t i, j;

	for (i = 0; i < n; i++) {
		fl = &fields[i];
		if (fl->type == FT_ROWS) {
			row = record_add_row(r, fl->id);
			fuzz_fields(f, fl->sub, fl->nsub, row);
			record_add_row(r, fl->id);	/* an empty row */
			continue;
		}
		fuzz_input(f, fl, fl->help, NULL);
		fuzz_input(f, fl, fl->label, NULL);
		for (j = 0; j < fl->nopts; j++) {
			fuzz_input(f, fl, fl->opts[j].label, NULL);
			fuzz_input(f, fl, fl->opts[j].code, r);
		}
		for (j = 0; j < fl->nwhere; j++)
			fuzz_input(f, fl, fl->where_values[j], NULL);
		fuzz_input(f, fl, fl->def, r);
		if (form_field_find(f, fl->id) == NULL &&
		    fields == f->fields)
			abort();	/* a field that cannot be found */
	}
}

/* Runs the checks and every computed field, at the top level and in
 * each row. */
static void
fuzz_compute(const struct form *f, const struct record *r,
    const struct date *today)
{
	const struct form_field *fl;
	struct strlist problems;
	struct form_ctx ctx;
	size_t i, j, k;

	memset(&ctx, 0, sizeof ctx);
	ctx.today = *today;
	strlist_init(&problems);
	if (form_validate_ctx(f, r, &ctx, fuzz_lookup, (void *)f, &problems) >
	    problems.n)
		abort();
	strlist_free(&problems);
	for (i = 0; i < f->nfields; i++) {
		fl = &f->fields[i];
		free(form_compute(fl, f, r, NULL, &ctx));
		for (j = 0; j < fl->nsub; j++)
			for (k = 0; k < record_nrows(r, fl->id); k++)
				free(form_compute(&fl->sub[j], f,
				    record_row(r, fl->id, k), r, &ctx));
	}
}

static void
fuzz_use_form(const struct form *f)
{
	const struct date today = { 2026, 11, 27 };
	struct strlist problems;
	struct record *r;
	size_t n;

	if (f->kind == NULL || f->label == NULL || f->nfields == 0)
		abort();
	r = record_new();
	fuzz_fields(f, f->fields, f->nfields, r);
	strlist_init(&problems);
	n = form_validate(f, r, fuzz_lookup, (void *)f, &problems);
	if (n > problems.n)
		abort();
	strlist_free(&problems);
	form_apply_defaults(f, r, &today);
	strlist_init(&problems);
	form_validate(f, r, NULL, NULL, &problems);
	strlist_free(&problems);
	fuzz_compute(f, r, &today);
	record_free(r);
}

/* Writes the parts to fresh files in fuzz_dir and loads them as a set. */
static void
fuzz_formset(const char *const *part, const size_t *len, size_t nparts)
{
	struct formset *fs = NULL;
	char *err = NULL, *path;
	size_t i;
	FILE *fp;

	for (i = 0; i < FUZZ_MAXFILES; i++) {
		path = xasprintf("%s/%c.form", fuzz_dir, (int)('a' + i));
		if (i < nparts) {
			if ((fp = fopen(path, "wb")) == NULL)
				abort();
			if (len[i] > 0 && fwrite(part[i], 1, len[i], fp) != len[i])
				abort();
			fclose(fp);
		} else
			unlink(path);
		free(path);
	}
	if (formset_load_dir(fuzz_dir, &fs, &err) == CX_OK) {
		for (i = 0; i < fs->n; i++) {
			if (formset_find(fs, fs->forms[i]->kind) != fs->forms[i])
				abort();	/* kinds are unique */
			fuzz_use_form(fs->forms[i]);
		}
		formset_free(fs);
	} else if (err == NULL)
		abort();
	free(err);
}

/* Removes the private directory when the fuzzer exits. */
static void
fuzz_cleanup(void)
{
	char *path;
	int i;

	for (i = 0; i < FUZZ_MAXFILES; i++) {
		path = xasprintf("%s/%c.form", fuzz_dir, 'a' + i);
		unlink(path);
		free(path);
	}
	rmdir(fuzz_dir);
	free(fuzz_dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *p, *q;
	const char *part[FUZZ_MAXFILES];
	size_t len[FUZZ_MAXFILES], nparts = 0;
	struct form *f = NULL;
	char *err = NULL;

	if (fuzz_dir == NULL) {
		char tmpl[] = "/tmp/fuzz_form.XXXXXX";
		const char *shm = "/dev/shm/fuzz_form.XXXXXX";
		char *t = xstrdup(access("/dev/shm", W_OK) == 0 ? shm : tmpl);

		if (mkdtemp(t) == NULL)
			abort();
		fuzz_dir = t;
		atexit(fuzz_cleanup);
	}

	if (form_parse("fuzz.form", text, size, &f, &err) == CX_OK) {
		if (f == NULL || err != NULL)
			abort();
		fuzz_use_form(f);
		form_free(f);
	} else {
		if (f != NULL || err == NULL ||
		    strncmp(err, "fuzz.form:", 10) != 0)
			abort();	/* every message names the file */
		free(err);
	}

	/* Several files: "%%" lines separate them. */
	for (p = text; p < end && nparts < FUZZ_MAXFILES; p = q + 4) {
		for (q = p; q + 4 <= end && memcmp(q, FUZZ_SEP, 4) != 0; q++)
			;
		if (q + 4 > end)
			q = end;
		part[nparts] = p;
		len[nparts++] = (size_t)(q - p) + (q < end ? 1 : 0);
		if (q == end)
			break;
	}
	if (nparts > 1)
		fuzz_formset(part, len, nparts);
	return 0;
}
