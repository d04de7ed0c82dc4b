/* exchange.c: branches and the 机关党委 exchanging packages. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "exchange.h"
#include "util.h"

bool
exchange_is_branch(struct store *st)
{
	char *v = NULL;
	bool branch;

	branch = store_meta_get(st, "scope", &v, NULL) == CX_OK &&
	    strcmp(v, "branch") == 0;
	free(v);
	return branch;
}

int
exchange_branch_org(struct store *st, const struct formset *fs,
    uint64_t *org_id, char **errp)
{
	const struct form *f = formset_find(fs, "org");
	char *gid = NULL;
	int rc;

	if (!exchange_is_branch(st)) {
		err_set(errp, "这是机关党委的数据目录，不是党支部的。");
		return CX_NOTFOUND;
	}
	if (f == NULL || store_meta_get(st, "branch", &gid, NULL) != CX_OK) {
		err_set(errp, "数据目录没有记下本支部是哪个党组织，"
		    "请用机关党委制作的报送包重新建立。");
		return CX_NOTFOUND;
	}
	rc = store_find_gid(st, f, gid, org_id, errp);
	if (rc == CX_NOTFOUND)
		err_set(errp, "本支部的党组织记录不在数据目录里，请用机关党委"
		    "制作的报送包重新接收。");
	free(gid);
	return rc;
}

/* The meta key of a branch's arrival: "arrival:" and its org's gid. */
static int
exchange_arrival_key(struct store *st, const struct formset *fs,
    uint64_t org_id, char **key, char **errp)
{
	const struct form *f = formset_find(fs, "org");
	struct record *r = NULL;
	char *gid;
	int rc;

	if (f == NULL)
		return err_set(errp, "表单里没有党组织。");
	if ((rc = store_get(st, f, org_id, &r, errp)) != CX_OK)
		return rc;
	gid = store_record_gid(st, r);
	*key = xasprintf("arrival:%s", gid);
	free(gid);
	record_free(r);
	return CX_OK;
}

int
exchange_arrival_get(struct store *st, const struct formset *fs,
    uint64_t org_id, struct exchange_arrival *out, char **errp)
{
	char *key = NULL, *v = NULL, *t1, *t2;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = exchange_arrival_key(st, fs, org_id, &key, errp)) != CX_OK)
		return rc;
	rc = store_meta_get(st, key, &v, errp);
	free(key);
	if (rc != CX_OK)
		return rc;
	if ((t1 = strchr(v, '\t')) == NULL ||
	    (t2 = strchr(t1 + 1, '\t')) == NULL) {
		free(v);
		return CX_NOTFOUND;
	}
	out->when = xstrndup(v, (size_t)(t1 - v));
	out->period = xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));
	out->file = xstrdup(t2 + 1);
	free(v);
	return CX_OK;
}

int
exchange_arrival_set(struct store *st, const struct formset *fs,
    uint64_t org_id, const struct exchange_arrival *a, char **errp)
{
	char *key = NULL, *v;
	int rc;

	if ((rc = exchange_arrival_key(st, fs, org_id, &key, errp)) != CX_OK)
		return rc;
	v = xasprintf("%s\t%s\t%s", a->when, a->period, a->file);
	rc = store_meta_set(st, key, v, errp);
	free(v);
	free(key);
	return rc;
}

void
exchange_arrival_free(struct exchange_arrival *a)
{
	free(a->when);
	free(a->period);
	free(a->file);
	memset(a, 0, sizeof *a);
}
