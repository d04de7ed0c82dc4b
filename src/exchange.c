/* exchange.c: branches and the 机关党委 exchanging packages. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exchange.h"
#include "text.h"
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
	if ((t1 = strchr(t2 + 1, '\t')) != NULL) {
		out->file = xstrndup(t2 + 1, (size_t)(t1 - t2 - 1));
		out->created = xstrdup(t1 + 1);
	} else {
		out->file = xstrdup(t2 + 1);
		out->created = xstrdup("");
	}
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
	v = xasprintf("%s\t%s\t%s\t%s", a->when, a->period, a->file,
	    a->created != NULL ? a->created : "");
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
	free(a->created);
	memset(a, 0, sizeof *a);
}

int
exchange_find_branch(struct store *st, const struct formset *fs,
    const char *name, uint64_t *org_id, char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	uint64_t *ids = NULL;
	size_t n = 0, i;

	if (forg == NULL)
		return err_set(errp, "表单定义中缺少党组织（org）。");
	if (store_find(st, forg, "name", name, &ids, &n, errp) == CX_ERR)
		return CX_ERR;
	for (i = 0; i < n; i++) {
		struct record *r = NULL;
		bool ok;

		if (store_get(st, forg, ids[i], &r, NULL) != CX_OK)
			continue;
		ok = record_is(r, "type", "branch") ||
		    record_is(r, "type", "direct_group");
		record_free(r);
		if (ok) {
			*org_id = ids[i];
			free(ids);
			return CX_OK;
		}
	}
	free(ids);
	return err_set(errp, "没有名为“%s”的党支部或直属党小组。", name);
}

const char *
exchange_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* Characters a FAT file name cannot hold become "_". */
static void
exchange_fat_name(char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("/\\:*?\"<>|", *s) != NULL || (unsigned char)*s < 0x20)
			*s = '_';
}

int
exchange_package(struct store *st, const struct formset *fs,
    uint64_t branch_org, const struct period *period, const char *out,
    bool force, void (*progress)(void *, size_t), void *progress_arg,
    struct exchange_package_out *po, char **errp)
{
	const struct form *forg = formset_find(fs, "org");
	struct archive_package pkg;
	struct record *org = NULL;
	struct stat sb;
	char code[16], *gid = NULL;
	bool branch_dir = exchange_is_branch(st);
	uint64_t mine = 0;
	int rc = CX_ERR;

	memset(po, 0, sizeof *po);
	if (forg == NULL)
		return err_set(errp, "表单定义中缺少党组织（org）。");
	if (branch_dir) {
		if (exchange_branch_org(st, fs, &mine, errp) != CX_OK)
			return CX_ERR;
		if (branch_org != 0 && branch_org != mine)
			return err_set(errp, "这是党支部的数据目录，只能为本支部制作"
			    "报送包。");
		branch_org = mine;
	} else if (branch_org == 0)
		return err_set(errp, "这是机关党委的数据目录：请写明为哪个党支部"
		    "制作报送包（--branch 党支部）。");
	if (store_get(st, forg, branch_org, &org, errp) != CX_OK)
		return CX_ERR;
	if (!record_is(org, "type", "branch") &&
	    !record_is(org, "type", "direct_group")) {
		err_set(errp, "“%s”不是党支部或直属党小组。",
		    record_get(org, "name") ? record_get(org, "name") : "");
		goto out;
	}
	gid = store_record_gid(st, org);
	memset(&pkg, 0, sizeof pkg);
	pkg.scope = branch_dir ? "branch" : "committee";
	pkg.branch_org = branch_org;
	pkg.branch_gid = gid;
	pkg.branch_name = record_get(org, "name") ? record_get(org, "name") : "";
	if (period != NULL) {
		model_period_code(period, code);
		pkg.period = code;
	}
	pkg.progress = progress;
	pkg.progress_arg = progress_arg;
	po->branch_name = xstrdup(pkg.branch_name);
	po->to_committee = branch_dir;
	/* A directory (the stick) gets a file named after the branch, the
	 * period and the time. */
	if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char now[20], *name;

		model_now_string(now);
		name = xasprintf("%s-%s-%s-%.4s%.2s%.2s-%.2s%.2s.cxzy",
		    branch_dir ? "报送" : "下发", pkg.branch_name,
		    period != NULL ? code : "全部", now, now + 5, now + 8,
		    now + 11, now + 14);
		exchange_fat_name(name);
		po->path = xasprintf("%s%s%s", out,
		    out[strlen(out) - 1] == '/' ? "" : "/", name);
		free(name);
	} else
		po->path = xstrdup(out);
	rc = archive_export_package_file(st, fs, &pkg, po->path, force,
	    &po->n, errp);
out:
	if (rc != CX_OK)
		exchange_package_out_free(po);
	free(gid);
	record_free(org);
	return rc;
}

void
exchange_package_out_free(struct exchange_package_out *po)
{
	free(po->path);
	free(po->branch_name);
	memset(po, 0, sizeof *po);
}

/* Keeps a copy of a held package in DATADIR/pending, written safely. */
static int
exchange_hold(struct store *st, const char *file, char **where, char **errp)
{
	char *dir = xasprintf("%s/pending", store_dir(st)), *data = NULL;
	const char *name = exchange_basename(file);
	size_t len = 0;
	int r = CX_ERR;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		err_set(errp, "无法建立目录“%s”：%s。", dir, util_strerror(errno));
	else if (util_read_file(file, &data, &len, errp) != CX_OK)
		err_prefix(errp, "无法暂存报送包：");
	else if (util_write_file(dir, name, data, len) != 0)
		err_set(errp, "无法暂存报送包“%s”：%s。", file,
		    util_strerror(errno));
	else {
		*where = util_path(dir, name);
		r = CX_OK;
	}
	free(data);
	free(dir);
	return r;
}

static int
exchange_count_one(void *arg, const struct form *f, const struct record *r)
{
	(void)f;
	(void)r;
	(*(size_t *)arg)++;
	return 1;
}

/* Records that a branch's package arrived, unless the one recorded is
 * as new or newer (an old or repeated package changes nothing). */
static void
exchange_arrived(struct store *st, const struct formset *fs, uint64_t org,
    struct exchange_import *x, const char *period, const char *file)
{
	struct exchange_arrival arr, last;
	char now[20], *err = NULL;
	bool newer = true;

	if (exchange_arrival_get(st, fs, org, &last, NULL) == CX_OK) {
		newer = *last.created == '\0' ||
		    strcmp(x->a->created, last.created) > 0;
		exchange_arrival_free(&last);
	}
	if (!newer)
		return;
	model_now_string(now);
	arr.when = now;
	arr.period = (char *)period;
	arr.file = (char *)exchange_basename(file);
	arr.created = x->a->created;
	if (exchange_arrival_set(st, fs, org, &arr, &err) != CX_OK) {
		free(x->hold_error);
		x->hold_error = xasprintf("记录报送时间时出错：%s", err);
		free(err);
	}
}

/* Whether st holds no record at all (the recycle bin included). */
static bool
exchange_store_empty(struct store *st, const struct formset *fs)
{
	size_t i, n;

	for (i = 0; i < fs->n; i++)
		if (store_count(st, fs->forms[i], &n, NULL) != CX_OK || n > 0)
			return false;
	n = 0;
	if (store_trash_foreach(st, exchange_count_one, &n, NULL) != CX_OK ||
	    n > 0)
		return false;
	return true;
}

int
exchange_import_file(struct store *st, const struct formset *fs,
    const char *file, bool dry_run, struct exchange_import *x, char **errp)
{
	return exchange_import_file_with(st, fs, file, dry_run, NULL, NULL, x,
	    errp);
}

int
exchange_import_file_with(struct store *st, const struct formset *fs,
    const char *file, bool dry_run, void (*progress)(void *, size_t),
    void *progress_arg, struct exchange_import *x, char **errp)
{
	struct archive_opts o;
	char *err = NULL;

	memset(x, 0, sizeof *x);
	if (archive_read_file(file, &x->a, &err) != CX_OK) {
		err_set(errp, "无法导入，数据没有任何改动：%s", err);
		free(err);
		return CX_ERR;
	}
	x->package = x->a->scope != NULL;
	if (archive_package_opts(st, fs, x->a, dry_run, &o, &err) != CX_OK) {
		err_set(errp, "没有接收，数据没有任何改动：%s", err);
		free(err);
		exchange_import_free(x);
		return CX_ERR;
	}
	o.progress = progress;
	o.progress_arg = progress_arg;
	/* An ordinary archive into an empty directory moves the directory
	 * (to another LMDB, another PC): it stays the same directory. */
	if (!dry_run && !x->package && x->a->origin != NULL &&
	    exchange_store_empty(st, fs)) {
		const char *meta[] = { "scope", x->a->dir_scope, "branch",
		    x->a->dir_branch, NULL };

		if (store_adopt(st, x->a->origin, x->a->dir_scope != NULL ?
		    meta : NULL, errp) != CX_OK) {
			exchange_import_free(x);
			return CX_ERR;
		}
	}
	if (archive_import_with(st, fs, x->a, &o, &x->rep, errp) != CX_OK) {
		exchange_import_free(x);
		return CX_ERR;
	}
	if (x->rep.held && !dry_run &&
	    exchange_hold(st, file, &x->held_at, &err) != CX_OK)
		x->hold_error = err;
	if (x->rep.applied && o.branch_org != 0)
		exchange_arrived(st, fs, o.branch_org, x, x->a->period, file);
	return CX_OK;
}

int
exchange_join_file(struct store *st, const struct formset *fs,
    const char *file, const char *branch, bool dry_run,
    struct exchange_import *x, char **errp)
{
	struct archive_opts o;
	uint64_t org;
	char *err = NULL;

	memset(x, 0, sizeof *x);
	if (exchange_is_branch(st))
		return err_set(errp, "这是党支部的数据目录；加入要在机关党委的"
		    "数据目录里进行。");
	if (exchange_find_branch(st, fs, branch, &org, errp) != CX_OK)
		return CX_ERR;
	if (archive_read_file(file, &x->a, &err) != CX_OK) {
		err_set(errp, "无法导入，数据没有任何改动：%s", err);
		free(err);
		return CX_ERR;
	}
	if (x->a->scope != NULL) {
		exchange_import_free(x);
		return err_set(errp, "加入要用党支部数据目录的导出文件（cxzy export），"
		    "这是一个报送包，请直接用“cxzy import 文件”接收。");
	}
	memset(&o, 0, sizeof o);
	o.dry_run = dry_run;
	o.ownership = true;
	o.sender = FORM_OWNER_BRANCH;
	o.branch_org = org;
	o.hold_locked = true;
	o.join_org = org;
	if (archive_import_with(st, fs, x->a, &o, &x->rep, errp) != CX_OK) {
		exchange_import_free(x);
		return CX_ERR;
	}
	if (x->rep.held && !dry_run &&
	    exchange_hold(st, file, &x->held_at, &err) != CX_OK)
		x->hold_error = err;
	if (x->rep.applied)
		exchange_arrived(st, fs, org, x, "all", file);
	return CX_OK;
}

char *
exchange_import_text(const struct exchange_import *x, const char *file,
    bool verbose)
{
	const struct archive *a = x->a;
	char *text, *f = text_safe(file, false);
	struct buf b;

	buf_init(&b);
	if (x->package) {
		char *name = text_safe(a->branch_name, false);
		struct period per;
		char label[32];

		if (strcmp(a->period, "all") != 0 &&
		    model_period_parse(a->period, &per, NULL) == CX_OK)
			model_period_label(&per, label);
		else
			snprintf(label, sizeof label, "全部周期");
		buf_addf(&b, "报送包：%s（%s，党支部“%s”，%s，%s 制作，共 %zu 条"
		    "记录）\n", f, strcmp(a->scope, "branch") == 0 ?
		    "党支部报送机关党委" : "机关党委发给党支部", name, label,
		    a->created, a->n);
		free(name);
	} else {
		char *unit = text_safe(*a->unit ? a->unit : "（未写明）", false);
		char *prog = text_safe(*a->program ? a->program : "?", false);

		buf_addf(&b, "导入文件：%s（cxzy %s 于 %s 导出，单位：%s，共 %zu 条"
		    "记录）\n", f, prog, *a->created ? a->created : "?", unit,
		    a->n);
		free(unit);
		free(prog);
	}
	free(f);
	if (!x->rep.applied && !x->rep.held)
		buf_addstr(&b, "试运行：只列出会有的变化，不修改数据。\n");
	text = verbose ? archive_report_text(&x->rep) :
	    archive_report_summary(&x->rep);
	buf_addstr(&b, text);
	free(text);
	if (x->rep.held && x->held_at != NULL) {
		char *w = text_safe(x->held_at, false);

		buf_addf(&b, "报送包已暂存到“%s”。解锁有关周期后，运行"
		    "“cxzy import --pending”再接收。\n", w);
		free(w);
	} else if (!x->rep.held && x->rep.count[ARCHIVE_CONFLICT] +
	    x->rep.count[ARCHIVE_REJECTED] + x->rep.count[ARCHIVE_UNKNOWN] > 0)
		buf_addstr(&b, "有记录没有导入（见上面的冲突、拒绝或跳过），"
		    "这些记录在本机保持原样。\n");
	return buf_take(&b);
}

void
exchange_import_free(struct exchange_import *x)
{
	archive_free(x->a);
	archive_report_free(&x->rep);
	free(x->held_at);
	free(x->hold_error);
	memset(x, 0, sizeof *x);
}

static int
exchange_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
exchange_pending_list(struct store *st, struct strlist *files)
{
	char *dir = xasprintf("%s/pending", store_dir(st));
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    strstr(de->d_name, ".tmp") == NULL)
				strlist_addf(files, "%s/%s", dir, de->d_name);
		closedir(d);
	}
	if (files->n > 1)
		qsort(files->v, files->n, sizeof *files->v, exchange_cmp_str);
	free(dir);
}
