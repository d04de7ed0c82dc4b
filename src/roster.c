/* roster.c: the printed 名册 of a kind of record. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "record.h"
#include "roster.h"

struct roster_cache {
	const char	*kind;
	uint64_t	 id;
	struct record	*rec;
};

struct roster {
	struct store		 *st;
	const struct formset	 *fs;
	struct report		 *r;
	const struct form_field	**cols;
	size_t			  ncols;
	const struct form_field	 *filter;
	const char		 *filter_value;
	size_t			  n;
	struct roster_cache	 *cache;
	size_t			  ncache, cachecap;
};

/* Looks a referenced record up, remembering what it found: a roster
 * points at the same few branches many times. */
static int
roster_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct roster *ro = arg;
	const struct form *f = formset_find(ro->fs, kind);
	size_t i;
	int rc;

	if (f == NULL)
		return CX_NOTFOUND;
	for (i = 0; i < ro->ncache; i++) {
		if (ro->cache[i].id == id && ro->cache[i].kind == f->kind) {
			*out = record_copy(ro->cache[i].rec);
			return CX_OK;
		}
	}
	rc = store_get(ro->st, f, id, out, errp);
	if (rc == CX_OK && ro->ncache < 4096) {
		ro->cache = xgrow(ro->cache, &ro->cachecap, ro->ncache + 1,
		    sizeof *ro->cache);
		ro->cache[ro->ncache].kind = f->kind;
		ro->cache[ro->ncache].id = id;
		ro->cache[ro->ncache].rec = record_copy(*out);
		ro->ncache++;
	}
	return rc;
}

static int
roster_row(void *arg, const struct form *f, const struct record *rec)
{
	struct roster *ro = arg;
	char **cells;
	size_t i;

	(void)f;
	if (ro->filter != NULL) {
		const char *v = record_get(rec, ro->filter->id);

		if (v == NULL || strcmp(v, ro->filter_value) != 0)
			return 0;
	}
	cells = xcalloc(ro->ncols + 1, sizeof *cells);
	cells[0] = xasprintf("%zu", ++ro->n);
	for (i = 0; i < ro->ncols; i++) {
		const char *v = record_get(rec, ro->cols[i]->id);

		cells[i + 1] = form_value_display(ro->fs, ro->cols[i],
		    v ? v : "", roster_lookup, ro);
	}
	report_table_row(ro->r, (const char *const *)cells);
	for (i = 0; i <= ro->ncols; i++)
		free(cells[i]);
	free(cells);
	return 0;
}

static int
roster_unit(void *arg, const struct form *f, const struct record *r)
{
	char **unit = arg;
	const char *t = record_get(r, "type");

	(void)f;
	if (t != NULL && strcmp(t, "committee") == 0) {
		*unit = xstrdup(record_get(r, "name") ? record_get(r, "name") : "");
		return 1;
	}
	return 0;
}

const struct form_field *
roster_branch_field(const struct form *f)
{
	size_t i, k;

	for (i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];

		if (ff->type != FT_REF || strcmp(ff->ref_kind, "org") != 0)
			continue;
		for (k = 0; k < ff->nwhere; k++)
			if (strcmp(ff->where_values[k], "branch") == 0)
				return ff;
	}
	return NULL;
}

int
roster_build(struct store *st, const struct formset *fs,
    const struct form *f, const char *branch, const struct report_opts *opts,
    bool width_given, struct report **out, char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	struct roster ro;
	struct report_opts o;
	struct report_col *cols;
	struct date today;
	char datebuf[32], *unit = NULL, *title, *total;
	size_t i;
	int rc = CX_ERR;

	*out = NULL;
	memset(&ro, 0, sizeof ro);
	ro.st = st;
	ro.fs = fs;
	if (opts != NULL)
		o = *opts;
	else
		report_opts_init(&o);
	if (branch != NULL) {
		ro.filter = roster_branch_field(f);
		if (ro.filter == NULL) {
			*errp = xasprintf("%s名册不能按党支部分开打印。", f->label);
			return CX_ERR;
		}
		ro.filter_value = branch;
	}
	if (forg != NULL &&
	    store_foreach(st, forg, roster_unit, &unit, errp) != CX_OK)
		return CX_ERR;
	title = xasprintf("%s名册", f->label);
	model_today(&today);
	date_format_cn(&today, datebuf);
	/* A roster of one branch names it in the header, not in a column. */
	ro.cols = xcalloc(f->nfields, sizeof *ro.cols);
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].print_width > 0 && f->fields[i].type != FT_ROWS &&
		    &f->fields[i] != ro.filter)
			ro.cols[ro.ncols++] = &f->fields[i];
	/* Without a given width, a table too wide for A4 portrait (80
	 * columns) goes landscape (136) rather than being squeezed. */
	if (!width_given) {
		size_t natural = 1 + 4 + 3;

		for (i = 0; i < ro.ncols; i++)
			natural += (size_t)ro.cols[i]->print_width + 3;
		if (natural > 80)
			o.width = 136;
	}
	ro.r = report_new(&o);
	if (unit != NULL && *unit != '\0')
		report_title(ro.r, unit);
	report_title(ro.r, title);
	if (ro.filter != NULL) {
		char *bname = form_value_display(fs, ro.filter, branch,
		    roster_lookup, &ro);

		report_header(ro.r, "填报单位", bname);
		free(bname);
	} else
		report_header(ro.r, "填报单位", unit && *unit ? unit : "");
	report_header(ro.r, "打印日期", datebuf);
	cols = xcalloc(ro.ncols + 1, sizeof *cols);
	cols[0].label = "序号";
	cols[0].width = 4;
	cols[0].align = TEXT_RIGHT;
	for (i = 0; i < ro.ncols; i++) {
		cols[i + 1].label = ro.cols[i]->label;
		cols[i + 1].width = (size_t)ro.cols[i]->print_width;
		cols[i + 1].align = ro.cols[i]->type == FT_INT ? TEXT_RIGHT :
		    TEXT_LEFT;
	}
	report_table_begin(ro.r, ro.ncols + 1, cols);
	if (store_foreach(st, f, roster_row, &ro, errp) != CX_OK) {
		report_free(ro.r);
		goto out;
	}
	report_table_end(ro.r);
	total = xasprintf("共 %zu 条。", ro.n);
	report_paragraph(ro.r, total);
	free(total);
	report_signature(ro.r, "填表人（签名）：____________    "
	    "审核人（签名）：____________");
	report_signature(ro.r, "                                        "
	    "年    月    日");
	*out = ro.r;
	rc = CX_OK;
out:
	for (i = 0; i < ro.ncache; i++)
		record_free(ro.cache[i].rec);
	free(ro.cache);
	free(cols);
	free(ro.cols);
	free(title);
	free(unit);
	return rc;
}
