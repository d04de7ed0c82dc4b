/* csvimport.c: records from a spreadsheet (see csvimport.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "csvimport.h"
#include "model.h"
#include "store.h"
#include "text.h"

/* A heading as compared: trimmed, and without the "*" or "＊" that
 * templates put after required columns. */
static char *
csvimport_norm(const char *heading)
{
	char *t = text_trim(heading), *u;
	size_t n = strlen(t);

	if (n >= 3 && strcmp(t + n - 3, "＊") == 0)
		t[n - 3] = '\0';
	else if (n >= 1 && t[n - 1] == '*')
		t[n - 1] = '\0';
	u = text_trim(t);
	free(t);
	return u;
}

static bool
csvimport_importable(const struct form_field *ff)
{
	return ff->type != FT_ROWS && !form_field_derived(ff);
}

/* Labels first, then ids (any case), then aliases: a label is what a
 * person wrote, and parse_check_aliases keeps aliases unambiguous. */
const struct form_field *
csvimport_match(const struct form *f, const char *heading, bool *importable)
{
	const struct form_field *found = NULL;
	char *h = csvimport_norm(heading);
	size_t i, k;

	for (i = 0; found == NULL && i < f->nfields; i++)
		if (strcmp(f->fields[i].label, h) == 0)
			found = &f->fields[i];
	for (i = 0; found == NULL && i < f->nfields; i++)
		if (*h != '\0' && strcasecmp(f->fields[i].id, h) == 0)
			found = &f->fields[i];
	for (i = 0; found == NULL && i < f->nfields; i++)
		for (k = 0; k < f->fields[i].naliases; k++)
			if (strcmp(f->fields[i].aliases[k], h) == 0) {
				found = &f->fields[i];
				break;
			}
	free(h);
	if (importable != NULL)
		*importable = found != NULL && csvimport_importable(found);
	return found;
}

char *
csvimport_headings(const struct form *f)
{
	struct buf b;
	size_t i, k;

	buf_init(&b);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (!csvimport_importable(ff))
			continue;
		buf_addf(&b, "%s%s", b.len ? "、" : "", ff->label);
		for (k = 0; k < ff->naliases; k++)
			buf_addf(&b, "%s%s", k ? " " : "（或 ", ff->aliases[k]);
		if (ff->naliases > 0)
			buf_addf(&b, "）");
	}
	return b.s != NULL ? buf_take(&b) : xstrdup("");
}

static bool
csvimport_row_empty(const struct csv_row *row)
{
	size_t i;

	for (i = 0; i < row->ncells; i++) {
		char *t = text_trim(row->cells[i]);
		bool empty = *t == '\0';

		free(t);
		if (!empty)
			return false;
	}
	return true;
}

/* Maps each column to a field (NULL: skipped).  Fails, naming the
 * columns, on unknown headings (unless ignore_unknown), on headings of
 * fields the program fills, and on two columns for one field. */
static int
csvimport_columns(const struct form *f, const struct csv_row *head,
    struct csvimport *ci, const struct form_field ***cols, char **errp)
{
	const struct form_field **v = xcalloc(head->ncells + 1, sizeof *v);
	struct buf unknown, derived;
	size_t i, j, nunknown = 0;
	int rc = CX_ERR;

	buf_init(&unknown);
	buf_init(&derived);
	for (i = 0; i < head->ncells; i++) {
		char *h = csvimport_norm(head->cells[i]);
		bool ok;
		const struct form_field *ff = csvimport_match(f, h, &ok);

		if (*h == '\0') {
			free(h);
			continue;	/* checked per row: data needs a heading */
		}
		if (ff == NULL) {
			buf_addf(&unknown, "%s“%s”", unknown.len ? "、" : "", h);
			nunknown++;
		} else if (!ok)
			buf_addf(&derived, "%s“%s”", derived.len ? "、" : "", h);
		else {
			for (j = 0; j < i; j++)
				if (v[j] == ff) {
					err_set(errp, "第 %zu 列“%s”和第 %zu 列“%s”"
					    "都是“%s”，只能有一列。", j + 1,
					    head->cells[j], i + 1, h, ff->label);
					free(h);
					goto out;
				}
			v[i] = ff;
		}
		free(h);
	}
	if (derived.len > 0 && !ci->ignore_unknown) {
		err_set(errp, "%s由程序填写或计算，或是多行表格，不能从表格导入。"
		    "请删去这些列，或加 --ignore-unknown 跳过。", derived.s);
		goto out;
	}
	if (nunknown > 0 && !ci->ignore_unknown) {
		char *names = csvimport_headings(f);

		err_set(errp, "%s没有这%s列：%s。可用的列名：%s。请改正列名，或加 "
		    "--ignore-unknown 跳过这些列。", f->label, nunknown > 1 ?
		    "些" : "", unknown.s, names);
		free(names);
		goto out;
	}
	if (unknown.len > 0)
		strlist_addf(&ci->notes, "跳过了%s不认识的列：%s。", f->label,
		    unknown.s);
	if (derived.len > 0)
		strlist_addf(&ci->notes, "跳过了由程序填写的列：%s。", derived.s);
	*cols = v;
	v = NULL;
	rc = CX_OK;
out:
	free(v);
	buf_free(&unknown);
	buf_free(&derived);
	return rc;
}

/* A new record of f with the defaults a typed one starts with. */
static struct record *
csvimport_new_record(struct ledger *lg, const struct form *f)
{
	struct record *r = record_new();
	struct date today;

	model_today(&today);
	form_apply_defaults(f, r, &today);
	ledger_default_periods(lg, f, r);
	return r;
}

/* Fills r from one row; problems go to pl. */
static void
csvimport_fill(struct csvimport *ci, const struct form_field **cols,
    size_t ncols, const struct csv_row *row, struct record *r,
    struct strlist *pl)
{
	size_t i;

	for (i = 0; i < row->ncells; i++) {
		char *val = NULL, *err = NULL, *t = text_trim(row->cells[i]);
		const struct form_field *ff = i < ncols ? cols[i] : NULL;

		if (*t == '\0' || (ff == NULL && ci->ignore_unknown)) {
			free(t);
			continue;
		}
		if (ff == NULL) {
			strlist_addf(pl, "第 %zu 列没有列名，不知道“%s”该填到哪里"
			    "（可加 --ignore-unknown 跳过）。", i + 1, t);
			free(t);
			continue;
		}
		free(t);
		if (ci->input(ci->input_arg, ff, row->cells[i], &val, &err) !=
		    CX_OK) {
			strlist_take(pl, err != NULL ? err :
			    xasprintf("%s：填写有误。", ff->label));
			continue;
		}
		if (*val == '\0') {
			record_remove(r, ff->id);
			free(val);
		} else
			record_set_take(r, ff->id, val);
	}
}

/* A unique field's value may appear once: in the file and in the store. */
static void
csvimport_unique(struct ledger *lg, const struct form *f,
    struct csvimport *ci, struct strlist *pls)
{
	size_t i, j, k;

	for (k = 0; k < f->nfields; k++) {
		const struct form_field *ff = &f->fields[k];

		if (!ff->unique)
			continue;
		for (i = 0; i < ci->nrecs; i++) {
			const char *v = record_get(ci->recs[i], ff->id);
			uint64_t *ids = NULL;
			size_t n = 0;

			if (v == NULL || *v == '\0')
				continue;
			for (j = 0; j < i; j++)
				if (util_same(v, record_get(ci->recs[j], ff->id)))
					break;
			if (j < i) {
				strlist_addf(&pls[i], "%s“%s”和第 %d 行重复。",
				    ff->label, v, ci->lines[j]);
				continue;
			}
			if (store_find(lg->st, f, ff->id, v, &ids, &n, NULL) ==
			    CX_OK && n > 0)
				strlist_addf(&pls[i], "已有%s为“%s”的%s记录（编号 "
				    "%llu）。", ff->label, v, f->label,
				    (unsigned long long)ids[0]);
			free(ids);
		}
	}
}

/* Some rows had cells refused: the others are still validated (nothing
 * is written), so that one run lists every problem of the file. */
static void
csvimport_check_rest(struct ledger *lg, const struct form *f,
    struct csvimport *ci, struct strlist *pls)
{
	struct record **recs = xcalloc(ci->nrecs, sizeof *recs);
	struct strlist *sub = xcalloc(ci->nrecs, sizeof *sub);
	size_t *at = xcalloc(ci->nrecs, sizeof *at);
	size_t i, n = 0;
	char *err = NULL;

	for (i = 0; i < ci->nrecs; i++)
		if (pls[i].n == 0) {
			recs[n] = ci->recs[i];
			strlist_init(&sub[n]);
			at[n++] = i;
		}
	(void)ledger_add_many(lg, f, recs, n, false, sub, &err);
	free(err);
	for (i = 0; i < n; i++)
		pls[at[i]] = sub[i];	/* was empty: nothing to free */
	free(sub);
	free(at);
	free(recs);
}

int
csvimport_run(struct ledger *lg, const struct form *f, const char *bytes,
    size_t len, struct csvimport *ci, char **errp)
{
	const struct form_field **cols = NULL;
	struct strlist *pls = NULL;
	struct csv_table t;
	char *text = NULL, *err = NULL;
	size_t textlen, i, j, head, nbad = 0, nprob = 0, ncols;
	int rc = CX_ERR;

	strlist_init(&ci->problems);
	strlist_init(&ci->notes);
	memset(&t, 0, sizeof t);
	if (csv_decode(bytes, len, &text, &textlen, &ci->encoding,
	    &err) != CX_OK) {
		err_set(errp, "%s：%s", ci->name, err);
		free(err);
		return CX_ERR;
	}
	if (csv_parse(text, textlen, &t, &err) != CX_OK) {
		err_set(errp, "%s：%s", ci->name, err);
		free(err);
		err = NULL;
		goto out;
	}
	for (head = 0; head < t.n && csvimport_row_empty(&t.rows[head]);
	    head++)
		;
	if (head == t.n) {
		err_set(errp, "%s：文件是空的，没有列名，也没有数据。", ci->name);
		goto out;
	}
	if (csvimport_columns(f, &t.rows[head], ci, &cols, &err) != CX_OK) {
		err_set(errp, "%s:%d：%s", ci->name, t.rows[head].line, err);
		free(err);
		err = NULL;
		goto out;
	}
	ncols = t.rows[head].ncells;

	ci->recs = xcalloc(t.n + 1, sizeof *ci->recs);
	ci->lines = xcalloc(t.n + 1, sizeof *ci->lines);
	pls = xcalloc(t.n + 1, sizeof *pls);
	for (i = head + 1; i < t.n; i++) {
		if (csvimport_row_empty(&t.rows[i])) {
			ci->nempty++;
			continue;
		}
		j = ci->nrecs++;
		strlist_init(&pls[j]);
		ci->lines[j] = t.rows[i].line;
		ci->recs[j] = csvimport_new_record(lg, f);
		csvimport_fill(ci, cols, ncols, &t.rows[i], ci->recs[j],
		    &pls[j]);
	}
	if (ci->nrecs == 0) {
		err_set(errp, "%s：只有列名，没有要导入的数据。", ci->name);
		goto out;
	}
	csvimport_unique(lg, f, ci, pls);
	/* Rows whose cells were refused are not validated: a message about
	 * a required field the refused cell was meant to fill would only
	 * repeat the problem. */
	for (j = 0; j < ci->nrecs; j++)
		if (pls[j].n > 0)
			nbad++;
	if (nbad == 0) {
		rc = ledger_add_many(lg, f, ci->recs, ci->nrecs, !ci->dry_run,
		    pls, &err);
		if (rc == CX_OK)
			goto out;
		for (j = 0; j < ci->nrecs; j++)
			if (pls[j].n > 0)
				nbad++;
		if (nbad == 0) {
			/* Refused as a whole: a unique value taken meanwhile,
			 * a read-only directory. */
			err_set(errp, "%s：%s", ci->name, err != NULL ? err :
			    "无法写入。");
			rc = CX_ERR;
			goto out;
		}
	}
	if (nbad > 0 && nbad < ci->nrecs)
		csvimport_check_rest(lg, f, ci, pls);
	nbad = 0;
	for (j = 0; j < ci->nrecs; j++)
		if (pls[j].n > 0)
			nbad++;
	for (j = 0; j < ci->nrecs; j++)
		for (i = 0; i < pls[j].n; i++) {
			strlist_addf(&ci->problems, "%s:%d：%s", ci->name,
			    ci->lines[j], pls[j].v[i]);
			nprob++;
		}
	err_set(errp, "%s：%zu 行有问题（共 %zu 处），没有导入任何记录。",
	    ci->name, nbad, nprob);
	rc = CX_ERR;
out:
	free(err);
	if (pls != NULL)
		for (j = 0; j < ci->nrecs; j++)
			strlist_free(&pls[j]);
	free(pls);
	free(cols);
	csv_free(&t);
	free(text);
	return rc;
}

void
csvimport_free(struct csvimport *ci)
{
	size_t i;

	for (i = 0; i < ci->nrecs; i++)
		record_free(ci->recs[i]);
	free(ci->recs);
	free(ci->lines);
	ci->recs = NULL;
	ci->lines = NULL;
	ci->nrecs = 0;
	strlist_free(&ci->problems);
	strlist_free(&ci->notes);
}
