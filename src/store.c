/* store.c: the data directory, an LMDB environment (see store.h and
 * docs/storage.md). */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#ifdef HAVE_SYS_VFS_H
#include <sys/vfs.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>

#include "codec.h"
#include "formdef.h"
#include "record.h"
#include "store.h"
#include "util.h"

#define STORE_MIB		((size_t)1024 * 1024)
#define STORE_MAP_DEFAULT	(16 * STORE_MIB)
/* Page sizes go up to 64 KiB (ARM64, LoongArch); keep map sizes a
 * multiple of the largest. */
#define STORE_MAP_ALIGN		((size_t)64 * 1024)
#define STORE_FAT_CAP		(1024 * STORE_MIB)
#define STORE_MAXDBS		256
#define STORE_MARKER_MAX	65536
#define STORE_MARKER_HEAD	"cxzy data directory"
#define STORE_SEAL_ID		12	/* 8-byte id and crc32 */
/* A revision is "GENERATION-TOKEN" with this many hex digits of token,
 * and a record keeps this many ancestors (enough for two desks that do
 * not exchange for a year; beyond, a change reads as a conflict, never
 * as newer). */
#define STORE_REV_TOKEN		16
#define STORE_REVS_MAX		32
/* Free space below which a failed write is taken for a full disk. */
#define STORE_LOW_SPACE		STORE_MIB

/* statfs f_type of file systems without sparse files or with a 4 GiB
 * file limit. */
#define STORE_FS_VFAT		0x4d44UL
#define STORE_FS_EXFAT		0x2011BAB0UL
#define STORE_FS_FUSEBLK	0x65735546UL

#define STORE_MSG_CHECK		"请运行“cxzy check”查看损坏情况，并从备份恢复。"

struct store_index {
	const struct form_field	*ff;
	char			*name;		/* idx:KIND:FIELD */
	MDB_dbi			 dbi;
	bool			 open;
};

struct store_kind {
	const struct form	*f;
	char			*name;		/* rec:KIND */
	MDB_dbi			 dbi;
	bool			 open;
	struct store_index	*idx;
	size_t			 nidx;
};

struct store {
	char			*dir;
	const struct formset	*fs;
	MDB_env			*env;
	bool			 readonly;
	bool			 fs_capped;	/* FAT-like file system */
	size_t			 maxmap;
	MDB_dbi			 meta, trash, hist, gid;
	bool			 meta_open, trash_open, hist_open, gid_open;
	char			 origin[UTIL_TOKEN_LEN + 1];
	struct store_kind	*kinds;
	size_t			 nkinds;
	MDB_txn			*rtxn;		/* cached read transaction */
	int			 rdepth;
};

/* A write transaction's work.  Returns CX_OK to commit; otherwise the
 * transaction is aborted and, when *mdbrc is set, that LMDB error decides
 * what happens (MDB_MAP_FULL: grow and redo), else the return value (with
 * its message) is passed on. */
typedef int (*store_txn_fn)(struct store *st, MDB_txn *txn, void *arg,
    int *mdbrc, char **errp);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static size_t
store_round_up(size_t n)
{
	if (n < STORE_MAP_ALIGN)
		return STORE_MAP_ALIGN;
	if (n > SIZE_MAX - STORE_MAP_ALIGN)
		return SIZE_MAX - SIZE_MAX % STORE_MAP_ALIGN;
	return (n + STORE_MAP_ALIGN - 1) / STORE_MAP_ALIGN * STORE_MAP_ALIGN;
}

static size_t
store_round_down(size_t n)
{
	if (n < STORE_MAP_ALIGN)
		return STORE_MAP_ALIGN;
	return n / STORE_MAP_ALIGN * STORE_MAP_ALIGN;
}

static bool
store_little_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* The current local time as "YYYY-MM-DD HH:MM:SS"; CXZY_NOW overrides it
 * so that tests and golden files are deterministic. */
static void
store_now(char out[20])
{
	const char *env = getenv("CXZY_NOW");
	const char *pat = "dddd-dd-dd dd:dd:dd";
	struct tm tm;
	time_t t;
	size_t i;

	if (env != NULL && strlen(env) == 19) {
		for (i = 0; i < 19; i++) {
			if (pat[i] == 'd' ? (env[i] < '0' || env[i] > '9') :
			    env[i] != pat[i])
				break;
		}
		if (i == 19) {
			memcpy(out, env, 20);
			return;
		}
	}
	t = time(NULL);
	localtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Index keys are the value's bytes, cut to STORE_INDEX_KEY_MAX without
 * splitting a UTF-8 character. */
static size_t
store_cut(const char *s, size_t n)
{
	if (n <= STORE_INDEX_KEY_MAX)
		return n;
	n = STORE_INDEX_KEY_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* The sealed id stored as index data: same bytes as codec_seal() of the
 * big-endian id, written here without an allocation. */
static void
store_seal_id(unsigned char out[STORE_SEAL_ID], uint64_t id)
{
	uint32_t crc;

	util_put_be64(out, id);
	crc = codec_crc32(0, out, 8);
	out[8] = (unsigned char)(crc & 0xff);
	out[9] = (unsigned char)((crc >> 8) & 0xff);
	out[10] = (unsigned char)((crc >> 16) & 0xff);
	out[11] = (unsigned char)((crc >> 24) & 0xff);
}

/* Returns the id of sealed index data, or 0 when it is damaged. */
static uint64_t
store_unseal_id(const MDB_val *v)
{
	if (v->mv_size != STORE_SEAL_ID || codec_unseal(v->mv_data,
	    v->mv_size) != 8)
		return 0;
	return util_get_be64(v->mv_data);
}

/* A printable copy of possibly damaged key bytes (NULs dropped). */
static char *
store_show(const void *p, size_t n)
{
	const char *s = p;
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++)
		if (s[i] != '\0')
			buf_addc(&b, s[i]);
	return buf_take(&b);
}

/* Turns an LMDB or errno code into a message saying what happened and
 * what to do, with LMDB's own text in parentheses. */
static int
store_mdb_err(struct store *st, int rc, char **errp)
{
	const char *what;

	switch (rc) {
	case ENOSPC:
		what = "U 盘空间已满，刚才的修改没有保存。请删除不需要的文件后再试。";
		break;
	case EIO:
	case MDB_PANIC:
		what = "无法读写数据（U 盘可能已被拔出）。刚才的修改没有保存，"
		    "之前保存的数据不受影响。请重新插好 U 盘后重新打开程序。";
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		what = "没有权限读写数据目录中的文件。请检查 U 盘是否写保护，"
		    "或把数据复制到可写的位置。";
		break;
	case ENOMEM:
		what = "内存不足，无法打开或修改数据。请关闭其他程序后再试。";
		break;
	case EAGAIN:
	case EBUSY:
		what = "数据目录正被另一个程序使用。请关闭它后再试。";
		break;
	case MDB_MAP_FULL:
		what = "数据已达到允许的上限，刚才的修改没有保存。"
		    "请把数据目录复制到空间更大的磁盘上再使用。";
		break;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_CURSOR_FULL:
	case MDB_BAD_TXN:
		/* LMDB found its own structure broken (a cursor stack too
		 * deep means a cycle of pages; a transaction goes bad after
		 * such an error). */
		what = "数据文件已损坏，读出的内容不可信。请运行“cxzy check”查看"
		    "损坏情况，必要时从备份恢复。";
		break;
	case MDB_INVALID:
		what = "数据文件（data.mdb）无法识别：它可能已损坏，或是用不兼容的 "
		    "LMDB 版本写的。请从备份恢复。";
		break;
	case MDB_VERSION_MISMATCH:
		what = "数据目录的锁文件（lock.mdb）是另一个 LMDB 版本建立的。"
		    "请关闭其他正在使用该数据的程序后再试。";
		break;
	case MDB_INCOMPATIBLE:
		what = "数据文件中的数据库类型与本程序预期的不符，数据可能已损坏"
		    "或来自其他程序。请从备份恢复。";
		break;
	case MDB_MAP_RESIZED:
		what = "数据文件刚被另一个程序扩大了。请重新打开程序。";
		break;
	case MDB_READERS_FULL:
		what = "同时读取数据的程序太多。请关闭其他正在使用该数据的 cxzy "
		    "后再试。";
		break;
	case MDB_DBS_FULL:
		what = "表单和索引太多，超过了数据目录能容纳的数据库个数。"
		    "请联系技术人员。";
		break;
	case MDB_TXN_FULL:
	case MDB_TLS_FULL:
		what = "一次修改的数据太多，没有保存。请分批进行。";
		break;
	case MDB_KEYEXIST:
	case MDB_NOTFOUND:
	case MDB_PAGE_FULL:
	case MDB_BAD_RSLOT:
	case MDB_BAD_VALSIZE:
	case MDB_BAD_DBI:
		what = "程序内部错误，刚才的修改没有保存。请把这条信息告诉技术人员。";
		break;
	default:
		what = "读写数据时出错，刚才的修改没有保存。请检查 U 盘后再试。";
		break;
	}
	(void)st;
	return err_set(errp, "%s（%s）", what, mdb_strerror(rc));
}

static struct store_kind *
store_kind_of(struct store *st, const struct form *f, char **errp)
{
	size_t i;

	if (f == NULL) {
		err_set(errp, "程序内部错误：没有给出记录类型。");
		return NULL;
	}
	for (i = 0; i < st->nkinds; i++)
		if (st->kinds[i].f == f)
			return &st->kinds[i];
	for (i = 0; i < st->nkinds; i++)
		if (strcmp(st->kinds[i].f->kind, f->kind) == 0)
			return &st->kinds[i];
	err_set(errp, "程序内部错误：记录类型“%s”不在打开数据目录时给出的表单中。",
	    f->kind);
	return NULL;
}

static const struct form *
store_form_of_kind(const struct store *st, const char *kind, size_t n,
    struct store_kind **kp)
{
	size_t i;

	for (i = 0; i < st->nkinds; i++) {
		const char *k = st->kinds[i].f->kind;

		if (strlen(k) == n && memcmp(k, kind, n) == 0) {
			if (kp != NULL)
				*kp = &st->kinds[i];
			return st->kinds[i].f;
		}
	}
	return NULL;
}

/* Why a stored value does not decode: the checksum or the layout. */
static const char *
store_damage_cause(const MDB_val *v)
{
	return codec_unseal(v->mv_data, v->mv_size) < 0 ? "校验和不符" :
	    "格式无法识别";
}

/* Decodes a stored record, turning damage into a message naming it. */
static int
store_decode(const struct form *f, uint64_t id, const MDB_val *v,
    const char *where, struct record **out, char **errp)
{
	if (codec_decode(v->mv_data, v->mv_size, out, NULL) != CX_OK) {
		return err_set(errp, "%s%s记录（编号 %llu）已损坏：%s。"
		    STORE_MSG_CHECK, where, f->label, (unsigned long long)id,
		    store_damage_cause(v));
	}
	(*out)->id = id;
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

static void
store_drop_rtxn(struct store *st)
{
	if (st->rtxn != NULL && st->rdepth == 0) {
		mdb_txn_abort(st->rtxn);
		st->rtxn = NULL;
	}
}

/* Read transactions nest (a callback of store_foreach may call
 * store_get) and share one cached handle, renewed per outermost use. */
static int
store_read_begin(struct store *st, MDB_txn **txn, char **errp)
{
	int rc, tries;

	if (st->rdepth > 0) {
		st->rdepth++;
		*txn = st->rtxn;
		return CX_OK;
	}
	for (tries = 0; ; tries++) {
		if (st->rtxn != NULL)
			rc = mdb_txn_renew(st->rtxn);
		else
			rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &st->rtxn);
		if (rc == MDB_MAP_RESIZED && tries < 4) {
			/* Another process grew the map: adopt its size. */
			if (st->rtxn != NULL) {
				mdb_txn_abort(st->rtxn);
				st->rtxn = NULL;
			}
			mdb_env_set_mapsize(st->env, 0);
			continue;
		}
		break;
	}
	if (rc != 0) {
		if (st->rtxn != NULL) {
			mdb_txn_abort(st->rtxn);
			st->rtxn = NULL;
		}
		return store_mdb_err(st, rc, errp);
	}
	st->rdepth = 1;
	*txn = st->rtxn;
	return CX_OK;
}

static void
store_read_end(struct store *st)
{
	if (st->rdepth > 0 && --st->rdepth == 0)
		mdb_txn_reset(st->rtxn);
}

static size_t
store_cur_mapsize(const struct store *st)
{
	MDB_envinfo info;

	if (mdb_env_info(st->env, &info) != 0)
		return 0;
	return info.me_mapsize;
}

/* A map size for a message: "1 GiB", "256 MiB", "640 KiB". */
static void
store_size_text(char *out, size_t len, size_t n)
{
	if (n >= 1024 * STORE_MIB && n % (1024 * STORE_MIB) == 0)
		snprintf(out, len, "%zu GiB", n / (1024 * STORE_MIB));
	else if (n >= STORE_MIB && n % STORE_MIB == 0)
		snprintf(out, len, "%zu MiB", n / STORE_MIB);
	else
		snprintf(out, len, "%zu KiB", n / 1024);
}

/* Doubles the map, up to the cap.  Returns false at the cap. */
static bool
store_grow(struct store *st, char **errp)
{
	size_t cur = store_cur_mapsize(st), next;
	char cap[32];
	int rc;

	if (cur >= st->maxmap) {
		store_size_text(cap, sizeof cap, st->maxmap);
		if (st->fs_capped) {
			err_set(errp, "数据已达到该 U 盘文件系统允许的上限（%s），"
			    "刚才的修改没有保存。请把数据目录复制到 NTFS 格式的 U 盘"
			    "或电脑硬盘上再使用。", cap);
		} else {
			err_set(errp, "数据已达到允许的上限（%s），刚才的修改没有"
			    "保存。请把数据目录复制到空间更大的磁盘上再使用。", cap);
		}
		return false;
	}
	next = cur > st->maxmap / 2 ? st->maxmap : store_round_up(cur * 2);
	if (next > st->maxmap)
		next = st->maxmap;
	store_drop_rtxn(st);
	rc = mdb_env_set_mapsize(st->env, next);
	if (rc != 0) {
		store_mdb_err(st, rc, errp);
		return false;
	}
	return true;
}

/* Whether the file system of the data directory is (nearly) full.  A
 * full disk often shows up as a short write, which LMDB reports as EIO,
 * and the user must not be told that the stick was pulled out. */
static bool
store_space_low(const struct store *st)
{
	struct statvfs sv;

	if (statvfs(st->dir, &sv) != 0)
		return false;
	return (uintmax_t)sv.f_bavail * sv.f_frsize < STORE_LOW_SPACE;
}

/* Runs fn in a write transaction.  A full map is grown and the whole of
 * fn redone, so fn must not change anything outside the transaction that
 * a second run would get wrong. */
static int
store_write(struct store *st, store_txn_fn fn, void *arg, char **errp)
{
	MDB_txn *txn;
	int rc, r, mdbrc, resized = 0;

	if (st->readonly)
		return err_set(errp, STORE_MSG_READONLY);
	if (st->rdepth > 0)
		return err_set(errp, "程序内部错误：在遍历记录的过程中不能修改数据。");
	store_drop_rtxn(st);
	for (;;) {
		rc = mdb_txn_begin(st->env, NULL, 0, &txn);
		if (rc == MDB_MAP_RESIZED && resized++ < 4) {
			mdb_env_set_mapsize(st->env, 0);
			continue;
		}
		if (rc != 0)
			return store_mdb_err(st, rc, errp);
		mdbrc = 0;
		r = fn(st, txn, arg, &mdbrc, errp);
		if (r == CX_OK && mdbrc == 0) {
			mdbrc = mdb_txn_commit(txn);
			if (mdbrc == 0)
				return CX_OK;
		} else {
			mdb_txn_abort(txn);
			if (mdbrc == 0)
				return r;
		}
		if (mdbrc == EIO && store_space_low(st))
			mdbrc = ENOSPC;
		if (mdbrc != MDB_MAP_FULL)
			return store_mdb_err(st, mdbrc, errp);
		if (!store_grow(st, errp))
			return CX_ERR;
	}
}

/* ------------------------------------------------------------------ */
/* Meta                                                                */
/* ------------------------------------------------------------------ */

static int
store_meta_read(struct store *st, MDB_txn *txn, const char *key,
    char **out, char **errp)
{
	MDB_val k, v;
	long n;
	int rc;

	*out = NULL;
	if (!st->meta_open)
		return CX_NOTFOUND;
	k.mv_data = (void *)key;
	k.mv_size = strlen(key);
	rc = mdb_get(txn, st->meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return CX_NOTFOUND;
	if (rc != 0)
		return store_mdb_err(st, rc, errp);
	n = codec_unseal(v.mv_data, v.mv_size);
	if (n < 0) {
		return err_set(errp, "数据目录中的设置“%s”已损坏（校验和不符）。"
		    STORE_MSG_CHECK, key);
	}
	*out = xstrndup(v.mv_data, (size_t)n);
	return CX_OK;
}

static int
store_meta_write(struct store *st, MDB_txn *txn, const char *key,
    const char *value, int *mdbrc)
{
	struct buf b;
	MDB_val k, v;

	buf_init(&b);
	codec_seal(value, strlen(value), &b);
	k.mv_data = (void *)key;
	k.mv_size = strlen(key);
	v.mv_data = b.s;
	v.mv_size = b.len;
	*mdbrc = mdb_put(txn, st->meta, &k, &v, 0);
	buf_free(&b);
	return *mdbrc == 0 ? CX_OK : CX_ERR;
}

static bool
store_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

int
store_meta_get(struct store *st, const char *key, char **out, char **errp)
{
	MDB_txn *txn;
	int r;

	*out = NULL;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	r = store_meta_read(st, txn, key, out, errp);
	store_read_end(st);
	return r;
}

struct store_meta_arg {
	const char	*key;
	const char	*value;
};

static int
store_meta_set_cb(struct store *st, MDB_txn *txn, void *arg, int *mdbrc,
    char **errp)
{
	struct store_meta_arg *a = arg;

	(void)errp;
	return store_meta_write(st, txn, a->key, a->value, mdbrc);
}

int
store_meta_set(struct store *st, const char *key, const char *value,
    char **errp)
{
	struct store_meta_arg a;

	if (*key == '\0' || strlen(key) > 400)
		return err_set(errp, "程序内部错误：设置名“%s”无效。", key);
	a.key = key;
	a.value = value;
	return store_write(st, store_meta_set_cb, &a, errp);
}

/* store_adopt: the origin and meta values of the directory an archive
 * came from, for an empty store. */
struct store_adopt_arg {
	const char	*origin;
	const char	*const *meta;	/* key, value, ..., NULL */
};

static int
store_adopt_cb(struct store *st, MDB_txn *txn, void *arg, int *mdbrc,
    char **errp)
{
	struct store_adopt_arg *a = arg;
	MDB_stat ms;
	size_t i;

	for (i = 0; i < st->nkinds; i++)
		if (st->kinds[i].open && mdb_stat(txn, st->kinds[i].dbi,
		    &ms) == 0 && ms.ms_entries > 0)
			return err_set(errp, "数据目录里已经有记录。");
	if (mdb_stat(txn, st->trash, &ms) == 0 && ms.ms_entries > 0)
		return err_set(errp, "数据目录的回收站里已经有记录。");
	if (store_meta_write(st, txn, "origin", a->origin, mdbrc) != CX_OK)
		return CX_ERR;
	for (i = 0; a->meta != NULL && a->meta[i] != NULL; i += 2)
		if (store_meta_write(st, txn, a->meta[i], a->meta[i + 1],
		    mdbrc) != CX_OK)
			return CX_ERR;
	return CX_OK;
}

int
store_adopt(struct store *st, const char *origin, const char *const *meta,
    char **errp)
{
	struct store_adopt_arg a;

	if (!util_is_token(origin))
		return err_set(errp, "来源目录的标识“%s”写法不对。", origin);
	a.origin = origin;
	a.meta = meta;
	if (store_write(st, store_adopt_cb, &a, errp) != CX_OK)
		return CX_ERR;
	memcpy(st->origin, origin, UTIL_TOKEN_LEN + 1);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* The marker file                                                     */
/* ------------------------------------------------------------------ */

static char *
store_marker_text(void)
{
	char now[20];

	store_now(now);
	return xasprintf("%s\n"
	    "program %s\n"
	    "format %d\n"
	    "lmdb %d.%d.%d\n"
	    "pagesize %ld\n"
	    "wordsize %d\n"
	    "byteorder %s\n"
	    "created %s\n",
	    STORE_MARKER_HEAD, PACKAGE_VERSION, STORE_FORMAT,
	    MDB_VERSION_MAJOR, MDB_VERSION_MINOR, MDB_VERSION_PATCH,
	    sysconf(_SC_PAGESIZE), (int)(8 * sizeof(void *)),
	    store_little_endian() ? "little" : "big", now);
}

static int
store_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes the marker so that it is either absent or complete: a temporary
 * file, flushed, renamed over, and the directory flushed. */
static int
store_marker_write(const char *dir, char **errp)
{
	char *text = store_marker_text();
	char *tmp = util_path(dir, STORE_MARKER ".tmp");
	char *path = util_path(dir, STORE_MARKER);
	int fd, e, r = CX_ERR;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto fail;
	if (store_write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto fail;
	}
	fd = open(dir, O_RDONLY);
	if (fd >= 0) {
		fsync(fd);	/* not supported everywhere; best effort */
		close(fd);
	}
	r = CX_OK;
	goto out;

fail:
	if (errno == ENOSPC) {
		err_set(errp, "U 盘空间已满，无法在“%s”建立数据目录。"
		    "请删除不需要的文件后再试。", dir);
	} else {
		err_set(errp, "无法在“%s”写入 %s：%s。请检查 U 盘是否写保护、"
		    "目录是否可写。", dir, STORE_MARKER, util_strerror(errno));
	}
out:
	free(text);
	free(tmp);
	free(path);
	return r;
}

static int
store_marker_garbled(const char *dir, const char *why, char **errp)
{
	return err_set(errp, "数据目录“%s”中的 %s 已损坏或无法识别（%s）。"
	    "请从备份恢复数据目录。", dir, STORE_MARKER, why);
}

/* Checks the marker before LMDB is opened, so that a PC whose LMDB or
 * architecture cannot read the data says so in words. */
static int
store_marker_check(const char *dir, const char *path, char **errp)
{
	char *text = NULL, *line, *next, *val;
	int fmt = -1, maj = -1, min = -1, pat = -1, word = -1, order = -1;
	int myword = (int)(8 * sizeof(void *)), r = CX_ERR, fd;
	bool first = true;
	struct stat sb;
	size_t len;
	char *why = NULL;

	if (stat(path, &sb) == 0 && sb.st_size > STORE_MARKER_MAX)
		return store_marker_garbled(dir, "文件过大", errp);
	if ((fd = open(path, O_RDONLY)) < 0 ||
	    util_read_file(path, &text, &len, NULL) != CX_OK) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return err_set(errp, "无法读取数据目录“%s”中的 %s：%s。"
		    "请检查文件权限，或把数据复制到本机后再打开。", dir,
		    STORE_MARKER, util_strerror(e));
	}
	close(fd);
	if (strlen(text) != len) {
		r = store_marker_garbled(dir, "含有非文本内容", errp);
		goto out;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		char *key;
		size_t n;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (first) {
			if (strcmp(line, STORE_MARKER_HEAD) != 0) {
				r = store_marker_garbled(dir, "第一行不对", errp);
				goto out;
			}
			first = false;
			continue;
		}
		key = line;
		val = strchr(line, ' ');
		if (val == NULL)
			continue;
		*val++ = '\0';
		if (strcmp(key, "format") == 0) {
			char *end;
			long v = strtol(val, &end, 10);

			if (*end == '\0' && end != val && v >= 0 && v < INT_MAX)
				fmt = (int)v;
		} else if (strcmp(key, "lmdb") == 0) {
			char c;

			if (sscanf(val, "%d.%d.%d%c", &maj, &min, &pat, &c) != 3)
				maj = min = pat = -1;
		} else if (strcmp(key, "wordsize") == 0) {
			if (strcmp(val, "32") == 0 || strcmp(val, "64") == 0)
				word = atoi(val);
		} else if (strcmp(key, "byteorder") == 0) {
			if (strcmp(val, "little") == 0)
				order = 1;
			else if (strcmp(val, "big") == 0)
				order = 0;
		}
	}
	if (first)
		why = "文件是空的";
	else if (fmt < 0)
		why = "缺少“format”一行";
	else if (maj < 0)
		why = "缺少“lmdb”一行";
	else if (word < 0)
		why = "缺少“wordsize”一行";
	else if (order < 0)
		why = "缺少“byteorder”一行";
	if (why != NULL) {
		r = store_marker_garbled(dir, why, errp);
		goto out;
	}

	if (fmt > STORE_FORMAT) {
		err_set(errp, "数据目录“%s”是较新版本的 cxzy 建立的（数据格式 %d），"
		    "本程序（cxzy %s）只能读取数据格式 %d。请使用较新版本的 cxzy。",
		    dir, fmt, PACKAGE_VERSION, STORE_FORMAT);
		goto out;
	}
	if (maj != MDB_VERSION_MAJOR || min != MDB_VERSION_MINOR) {
		err_set(errp, "数据目录“%s”是用 LMDB %d.%d.%d 写的，本程序使用的 "
		    "LMDB %d.%d.%d 不能读取这种格式。请在使用 LMDB %d.%d 的电脑上"
		    "用 cxzy 导出数据，再在这里导入。", dir, maj, min, pat,
		    MDB_VERSION_MAJOR, MDB_VERSION_MINOR, MDB_VERSION_PATCH,
		    maj, min);
		goto out;
	}
	if (word != myword) {
		err_set(errp, "数据目录“%s”是在 %d 位系统上建立的，本程序是 %d 位的，"
		    "数据文件不能在两者之间直接使用。请在原来的电脑上用 cxzy "
		    "导出数据，再在这里导入。", dir, word, myword);
		goto out;
	}
	if ((order == 1) != store_little_endian()) {
		err_set(errp, "数据目录“%s”是在字节序为 %s 的电脑上建立的，本程序"
		    "所在的电脑是 %s，数据文件不能在两者之间直接使用。请在原来的"
		    "电脑上用 cxzy 导出数据，再在这里导入。", dir,
		    order ? "little-endian" : "big-endian",
		    store_little_endian() ? "little-endian" : "big-endian");
		goto out;
	}
	r = CX_OK;
out:
	free(text);
	return r;
}

/* Whether dir holds nothing at all.  -1 when it cannot be read. */
static int
store_dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* Looks at the directory before LMDB touches it: it must exist (or be
 * created), carry our marker (or be empty and be initialised), and the
 * marker must describe data this build can read. */
static int
store_prepare_dir(const char *dir, int flags, bool *readonly, bool *nolock,
    char **errp)
{
	struct stat sb;
	char *marker;
	int empty, r;

	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT) {
			return err_set(errp, "无法访问数据目录“%s”：%s。请检查 U 盘"
			    "是否已插好、目录权限是否正确。", dir, util_strerror(errno));
		}
		if (!(flags & STORE_CREATE)) {
			return err_set(errp, "数据目录“%s”不存在。请检查 U 盘是否已"
			    "插好，或用 --data 指定数据目录。", dir);
		}
		if (flags & STORE_READONLY)
			return err_set(errp, STORE_MSG_READONLY);
		if (mkdir(dir, 0777) != 0) {
			return err_set(errp, "无法建立数据目录“%s”：%s。请检查上级"
			    "目录是否存在、是否可写。", dir, util_strerror(errno));
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		return err_set(errp, "“%s”不是目录。请用 --data 指定数据目录。",
		    dir);
	}

	/* Without write access LMDB cannot keep its reader table, so locking
	 * is off; a read-only open by choice keeps it, so that a cxzy writing
	 * at the same time does not reuse pages this one is reading. */
	*nolock = access(dir, W_OK) != 0 ||
	    !util_path_writable(dir, "data.mdb") ||
	    !util_path_writable(dir, "lock.mdb");
	*readonly = *nolock || (flags & STORE_READONLY);

	marker = util_path(dir, STORE_MARKER);
	if (access(marker, F_OK) == 0) {
		r = store_marker_check(dir, marker, errp);
		free(marker);
		return r;
	}
	free(marker);

	if (util_path_exists(dir, "data.mdb")) {
		return err_set(errp, "“%s”不是 cxzy 的数据目录（缺少 %s）。如果这是"
		    "别的程序的数据，请另选一个目录；如果确是 cxzy 的数据，请从"
		    "备份恢复。", dir, STORE_MARKER);
	}
	empty = store_dir_empty(dir);
	if (empty < 0) {
		return err_set(errp, "无法读取数据目录“%s”：%s。请检查目录权限。",
		    dir, util_strerror(errno));
	}
	if (!empty) {
		return err_set(errp, "目录“%s”里已有别的文件，不是 cxzy 的数据目录"
		    "（缺少 %s）。为免弄乱这些文件，cxzy 不会在这里建立数据。"
		    "请另选一个空目录。", dir, STORE_MARKER);
	}
	if (!(flags & STORE_CREATE)) {
		return err_set(errp, "数据目录“%s”是空的，还没有 cxzy 的数据。"
		    "请先建立数据目录，或用 --data 指定已有的数据目录。", dir);
	}
	if (*readonly)
		return err_set(errp, STORE_MSG_READONLY);
	return store_marker_write(dir, errp);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static bool
store_ff_indexed(const struct form_field *ff)
{
	return ff->type != FT_ROWS && (ff->index || ff->unique ||
	    ff->type == FT_REF || ff->type == FT_LINK);
}

static void
store_setup_kinds(struct store *st)
{
	size_t i, j;

	st->nkinds = st->fs != NULL ? st->fs->n : 0;
	st->kinds = xcalloc(st->nkinds, sizeof *st->kinds);
	for (i = 0; i < st->nkinds; i++) {
		struct store_kind *k = &st->kinds[i];
		const struct form *f = st->fs->forms[i];

		k->f = f;
		k->name = xasprintf("rec:%s", f->kind);
		k->idx = xcalloc(f->nfields, sizeof *k->idx);
		for (j = 0; j < f->nfields; j++) {
			const struct form_field *ff = &f->fields[j];

			if (!store_ff_indexed(ff))
				continue;
			k->idx[k->nidx].ff = ff;
			k->idx[k->nidx].name = xasprintf("idx:%s:%s", f->kind,
			    ff->id);
			k->nidx++;
		}
	}
}

static void
store_close_dbs(struct store *st)
{
	size_t i, j;

	st->meta_open = st->trash_open = st->hist_open = false;
	st->gid_open = false;
	for (i = 0; i < st->nkinds; i++) {
		st->kinds[i].open = false;
		for (j = 0; j < st->kinds[i].nidx; j++)
			st->kinds[i].idx[j].open = false;
	}
}

static int
store_index_put(MDB_txn *txn, struct store_index *ix, const char *value,
    uint64_t id, int *mdbrc)
{
	unsigned char seal[STORE_SEAL_ID];
	size_t n = strlen(value);
	MDB_val k, v;
	int rc;

	if (n == 0)
		return CX_OK;
	store_seal_id(seal, id);
	k.mv_data = (void *)value;
	k.mv_size = store_cut(value, n);
	v.mv_data = seal;
	v.mv_size = sizeof seal;
	rc = mdb_put(txn, ix->dbi, &k, &v, MDB_NODUPDATA);
	if (rc != 0 && rc != MDB_KEYEXIST) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

static int
store_index_del(MDB_txn *txn, struct store_index *ix, const char *value,
    uint64_t id, int *mdbrc)
{
	unsigned char seal[STORE_SEAL_ID];
	size_t n = strlen(value);
	MDB_val k, v;
	int rc;

	if (n == 0)
		return CX_OK;
	store_seal_id(seal, id);
	k.mv_data = (void *)value;
	k.mv_size = store_cut(value, n);
	v.mv_data = seal;
	v.mv_size = sizeof seal;
	rc = mdb_del(txn, ix->dbi, &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

/* Fills a newly created index from the records already stored (a field
 * that gained "index" in its form). */
static int
store_index_build(MDB_txn *txn, struct store_kind *k, struct store_index *ix,
    int *mdbrc)
{
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST;

	rc = mdb_cursor_open(txn, k->dbi, &cur);
	if (rc != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		struct record *r;
		const char *value;

		op = MDB_NEXT;
		if (key.mv_size != 8 ||
		    codec_decode(val.mv_data, val.mv_size, &r, NULL) != CX_OK)
			continue;	/* damage: store_check reports it */
		value = record_get(r, ix->ff->id);
		if (value != NULL && store_index_put(txn, ix, value,
		    util_get_be64(key.mv_data), mdbrc) != CX_OK) {
			record_free(r);
			mdb_cursor_close(cur);
			return CX_ERR;
		}
		record_free(r);
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

static int
store_check_format(struct store *st, MDB_txn *txn, bool *present,
    char **errp)
{
	char *s;
	uint64_t v;
	int r;

	*present = false;
	r = store_meta_read(st, txn, "format", &s, errp);
	if (r == CX_NOTFOUND)
		return CX_OK;
	if (r != CX_OK)
		return CX_ERR;
	*present = true;
	if (!store_parse_u64(s, &v)) {
		err_set(errp, "数据目录中的设置“format”的值“%s”无法识别。"
		    STORE_MSG_CHECK, s);
		free(s);
		return CX_ERR;
	}
	free(s);
	if (v > STORE_FORMAT) {
		return err_set(errp, "数据目录“%s”是较新版本的 cxzy 建立的（数据格式 "
		    "%llu），本程序（cxzy %s）只能读取数据格式 %d。请使用较新版本"
		    "的 cxzy。", st->dir, (unsigned long long)v, PACKAGE_VERSION,
		    STORE_FORMAT);
	}
	return CX_OK;
}

/* A kind that has given out ids must still have its records' database.
 * When the entry naming it is damaged, LMDB would create an empty one
 * (or a read-only open would show the kind as empty). */
static int
store_kind_lost(struct store *st, MDB_txn *txn, struct store_kind *k,
    char **errp)
{
	char *key = xasprintf("seq:%s", k->f->kind), *v = NULL;
	int r;

	r = st->meta_open ? store_meta_read(st, txn, key, &v, NULL) :
	    CX_NOTFOUND;
	free(key);
	free(v);
	if (r != CX_OK)
		return CX_OK;
	return err_set(errp, "数据文件已损坏：找不到%s记录的数据库（%s），可是"
	    "已经有过%s记录。请运行“cxzy check”查看损坏情况，必要时从备份恢复。",
	    k->f->label, k->name, k->f->label);
}

static void store_gid_key(struct buf *b, const char *kind, const char *gid);

/* A data directory written before directories had an origin gets one
 * derived from its creation time and unit, so that every copy of it
 * made before this version opened it agrees on it (and so on the global
 * ids of its old records). */
static void
store_origin_derive(struct store *st, MDB_txn *txn, char out[UTIL_TOKEN_LEN + 1])
{
	static const char salt[4] = { 'c', 'x', 'z', 'y' };
	char *created = NULL, *unit = NULL;
	struct buf b;
	int i;

	if (st->meta_open) {
		store_meta_read(st, txn, "created", &created, NULL);
		store_meta_read(st, txn, "unit", &unit, NULL);
	}
	buf_init(&b);
	buf_addf(&b, "%s|%s", created != NULL ? created : "",
	    unit != NULL ? unit : "");
	for (i = 0; i < 4; i++) {
		uint32_t crc = codec_crc32(0, &salt[i], 1);

		crc = codec_crc32(crc, b.s, b.len);
		snprintf(out + 8 * i, 9, "%08x", (unsigned)crc);
	}
	buf_free(&b);
	free(created);
	free(unit);
}

/* Reads the directory's origin (meta "origin"), making one for a new
 * directory (random) or an old one (derived); mdbrc NULL: read-only,
 * nothing is written. */
static int
store_origin_setup(struct store *st, MDB_txn *txn, bool fresh, int *mdbrc,
    char **errp)
{
	char *v = NULL;
	int r;

	r = st->meta_open ? store_meta_read(st, txn, "origin", &v, errp) :
	    CX_NOTFOUND;
	if (r == CX_ERR)
		return CX_ERR;
	if (r == CX_OK) {
		if (!util_is_token(v)) {
			err_set(errp, "数据目录中的设置“origin”的值“%s”无法识别。"
			    STORE_MSG_CHECK, v);
			free(v);
			return CX_ERR;
		}
		memcpy(st->origin, v, UTIL_TOKEN_LEN + 1);
		free(v);
		return CX_OK;
	}
	if (fresh) {
		char now[20];
		struct buf b;

		static unsigned made;
		const char *base = strrchr(st->dir, '/');

		store_now(now);
		buf_init(&b);
		/* The count tells apart directories one process makes in
		 * the same second, the directory's name those that processes
		 * with the same secret make (tests, CXZY_RANDOM_SEED); a real
		 * secret differs per process anyway. */
		buf_addf(&b, "origin|%s|%u|%s", now, made++, base != NULL ?
		    base + 1 : st->dir);
		util_token(st->origin, b.s, b.len);
		buf_free(&b);
	} else
		store_origin_derive(st, txn, st->origin);
	if (mdbrc == NULL)
		return CX_OK;
	return store_meta_write(st, txn, "origin", st->origin, mdbrc);
}

/* Opens (creating) every database of the formset, builds indexes that are
 * new, and records the format of a new data directory. */
static int
store_open_cb(struct store *st, MDB_txn *txn, void *arg, int *mdbrc,
    char **errp)
{
	unsigned dupflags = MDB_DUPSORT | MDB_DUPFIXED;
	char now[20];
	bool present;
	size_t i, j;
	int rc;

	(void)arg;
	store_close_dbs(st);
	if ((rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &st->meta)) != 0)
		goto fail;
	st->meta_open = true;
	if ((rc = mdb_dbi_open(txn, "trash", MDB_CREATE, &st->trash)) != 0)
		goto fail;
	st->trash_open = true;
	if ((rc = mdb_dbi_open(txn, "hist", MDB_CREATE, &st->hist)) != 0)
		goto fail;
	st->hist_open = true;
	if ((rc = mdb_dbi_open(txn, "gid", MDB_CREATE, &st->gid)) != 0)
		goto fail;
	st->gid_open = true;
	for (i = 0; i < st->nkinds; i++) {
		struct store_kind *k = &st->kinds[i];

		rc = mdb_dbi_open(txn, k->name, 0, &k->dbi);
		if (rc == MDB_NOTFOUND) {
			if (store_kind_lost(st, txn, k, errp) != CX_OK)
				return CX_ERR;
			rc = mdb_dbi_open(txn, k->name, MDB_CREATE, &k->dbi);
		}
		if (rc != 0)
			goto fail;
		k->open = true;
		for (j = 0; j < k->nidx; j++) {
			struct store_index *ix = &k->idx[j];

			rc = mdb_dbi_open(txn, ix->name, dupflags, &ix->dbi);
			if (rc == MDB_NOTFOUND) {
				rc = mdb_dbi_open(txn, ix->name,
				    dupflags | MDB_CREATE, &ix->dbi);
				if (rc != 0)
					goto fail;
				ix->open = true;
				if (store_index_build(txn, k, ix, mdbrc) != CX_OK)
					return CX_ERR;
				continue;
			}
			if (rc != 0)
				goto fail;
			ix->open = true;
		}
	}
	if (store_check_format(st, txn, &present, errp) != CX_OK)
		return CX_ERR;
	if (!present) {
		char fmt[16];

		snprintf(fmt, sizeof fmt, "%d", STORE_FORMAT);
		store_now(now);
		if (store_meta_write(st, txn, "format", fmt, mdbrc) != CX_OK ||
		    store_meta_write(st, txn, "created", now, mdbrc) != CX_OK)
			return CX_ERR;
	}
	return store_origin_setup(st, txn, !present, mdbrc, errp);

fail:
	*mdbrc = rc;
	return CX_ERR;
}

/* Read-only: open what exists; a kind without a database reads as
 * empty. */
static int
store_open_ro(struct store *st, char **errp)
{
	unsigned dupflags = MDB_DUPSORT | MDB_DUPFIXED;
	MDB_txn *txn;
	bool present;
	size_t i, j;
	int rc;

	store_close_dbs(st);
	rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn);
	if (rc != 0)
		return store_mdb_err(st, rc, errp);
	rc = mdb_dbi_open(txn, "meta", 0, &st->meta);
	st->meta_open = rc == 0;
	if (rc == 0 || rc == MDB_NOTFOUND) {
		rc = mdb_dbi_open(txn, "trash", 0, &st->trash);
		st->trash_open = rc == 0;
	}
	if (rc == 0 || rc == MDB_NOTFOUND) {
		rc = mdb_dbi_open(txn, "hist", 0, &st->hist);
		st->hist_open = rc == 0;
	}
	if (rc == 0 || rc == MDB_NOTFOUND) {
		rc = mdb_dbi_open(txn, "gid", 0, &st->gid);
		st->gid_open = rc == 0;
	}
	for (i = 0; i < st->nkinds && (rc == 0 || rc == MDB_NOTFOUND); i++) {
		struct store_kind *k = &st->kinds[i];

		rc = mdb_dbi_open(txn, k->name, 0, &k->dbi);
		k->open = rc == 0;
		if (rc == MDB_NOTFOUND &&
		    store_kind_lost(st, txn, k, errp) != CX_OK) {
			mdb_txn_abort(txn);
			store_close_dbs(st);
			return CX_ERR;
		}
		for (j = 0; j < k->nidx && (rc == 0 || rc == MDB_NOTFOUND); j++) {
			rc = mdb_dbi_open(txn, k->idx[j].name, dupflags,
			    &k->idx[j].dbi);
			k->idx[j].open = rc == 0;
		}
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		store_close_dbs(st);
		return store_mdb_err(st, rc, errp);
	}
	if (store_check_format(st, txn, &present, errp) != CX_OK ||
	    store_origin_setup(st, txn, false, NULL, errp) != CX_OK) {
		mdb_txn_abort(txn);
		store_close_dbs(st);
		return CX_ERR;
	}
	/* Committing a read transaction keeps its database handles. */
	rc = mdb_txn_commit(txn);
	if (rc != 0) {
		store_close_dbs(st);
		return store_mdb_err(st, rc, errp);
	}
	return CX_OK;
}

/* The largest map this file system takes: FAT and exFAT have no sparse
 * files, and FAT32 stops at 4 GiB per file. */
static size_t
store_fs_cap(const char *dir, bool *capped)
{
	*capped = false;
#if defined(HAVE_STATFS) && defined(HAVE_SYS_VFS_H)
	{
		struct statfs sf;

		if (statfs(dir, &sf) == 0) {
			unsigned long type = (unsigned long)sf.f_type;

			if (type == STORE_FS_VFAT || type == STORE_FS_EXFAT ||
			    type == STORE_FS_FUSEBLK) {
				*capped = true;
				return STORE_FAT_CAP;
			}
		}
	}
#else
	(void)dir;
#endif
	if (sizeof(size_t) >= 8)
		return (size_t)(UINT64_C(1) << 40);
	return STORE_FAT_CAP;
}

void
store_close(struct store *st)
{
	size_t i, j;

	if (st == NULL)
		return;
	if (st->rtxn != NULL)
		mdb_txn_abort(st->rtxn);
	if (st->env != NULL)
		mdb_env_close(st->env);
	for (i = 0; i < st->nkinds; i++) {
		for (j = 0; j < st->kinds[i].nidx; j++)
			free(st->kinds[i].idx[j].name);
		free(st->kinds[i].idx);
		free(st->kinds[i].name);
	}
	free(st->kinds);
	free(st->dir);
	free(st);
}

int
store_open(const char *dir, const struct formset *fs, int flags,
    const struct store_options *opts, struct store **out, char **errp)
{
	struct store *st;
	struct stat sb;
	char *data;
	size_t want, ndbs, i;
	bool readonly = false, nolock = false;
	unsigned envflags;
	int rc, dead;

	*out = NULL;
	if (store_prepare_dir(dir, flags, &readonly, &nolock, errp) != CX_OK)
		return CX_ERR;

	st = xcalloc(1, sizeof *st);
	st->dir = xstrdup(dir);
	st->fs = fs;
	st->readonly = readonly;
	st->maxmap = store_fs_cap(dir, &st->fs_capped);
	if (opts != NULL && opts->max_mapsize != 0) {
		st->maxmap = store_round_down(opts->max_mapsize);
		st->fs_capped = false;
	}
	store_setup_kinds(st);

	want = opts != NULL && opts->initial_mapsize != 0 ?
	    opts->initial_mapsize : STORE_MAP_DEFAULT;
	want = store_round_up(want);
	if (want > st->maxmap)
		want = st->maxmap;
	data = util_path(dir, "data.mdb");
	if (stat(data, &sb) == 0 && (uintmax_t)sb.st_size > want)
		want = store_round_up((size_t)sb.st_size);
	free(data);

	ndbs = 3;
	for (i = 0; i < st->nkinds; i++)
		ndbs += 1 + st->kinds[i].nidx;
	if (ndbs < STORE_MAXDBS)
		ndbs = STORE_MAXDBS;

	if ((rc = mdb_env_create(&st->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(st->env, (MDB_dbi)ndbs)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, want)) != 0)
		goto fail;
	envflags = (readonly ? MDB_RDONLY : 0) | (nolock ? MDB_NOLOCK : 0);
	rc = mdb_env_open(st->env, dir, envflags, 0666);
	if (rc == ENOENT && readonly) {
		err_set(errp, "数据目录“%s”中有 %s，却没有数据文件 data.mdb；"
		    "以只读方式打开时无法建立它。请从备份恢复，或关闭写保护后"
		    "再打开。", dir, STORE_MARKER);
		store_close(st);
		return CX_ERR;
	}
	if (rc != 0)
		goto fail;
	if (!nolock)
		mdb_reader_check(st->env, &dead);

	/* A size set earlier is stored in the file: adopt it when it is
	 * larger than what we asked for. */
	if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0)
		goto fail;
	if (store_cur_mapsize(st) < want &&
	    (rc = mdb_env_set_mapsize(st->env, want)) != 0)
		goto fail;

	if (readonly) {
		if (store_open_ro(st, errp) != CX_OK) {
			store_close(st);
			return CX_ERR;
		}
	} else if (store_write(st, store_open_cb, NULL, errp) != CX_OK) {
		store_close(st);
		return CX_ERR;
	}
	*out = st;
	return CX_OK;

fail:
	if (store_fs_refuses(rc)) {
		char *m = store_fs_refusal(dir);

		err_set(errp, "%s", m);
		free(m);
	} else {
		store_mdb_err(st, rc, errp);
		err_prefix(errp, "无法打开数据目录“%s”：", dir);
	}
	store_close(st);
	return CX_ERR;
}

bool
store_fs_refuses(int rc)
{
	return rc == EPERM || rc == ENOSYS || rc == EOPNOTSUPP ||
	    rc == ENODEV;
}

char *
store_fs_refusal(const char *dir)
{
	struct statfs sf;
	const char *kind = "";

	if (statfs(dir, &sf) == 0) {
		if ((unsigned long)sf.f_type == 0x65735546UL)
			kind = "（FUSE 驱动）";
		else if ((unsigned long)sf.f_type == 0x4d44UL)
			kind = "（FAT）";
	}
	return xasprintf("数据目录“%s”所在的文件系统%s不支持本程序的数据库需要的"
	    "操作（把文件映射到内存、给文件加锁），所以打不开。这不是数据损坏，"
	    "数据没有改动。请把整个数据目录复制到本机硬盘上使用；或者让系统用"
	    "自带的 FAT/exFAT 驱动挂载 U 盘（不要用 FUSE 驱动），再打开。",
	    dir, kind);
}

/* Says why writing a copy to dir failed; the copy's side (a full or
 * write-protected disk) needs other advice than the store's own. */
static int
store_copy_err(struct store *st, const char *dir, int rc, char **errp)
{
	switch (rc) {
	case ENOSPC:
		return err_set(errp, "“%s”所在的磁盘空间已满，数据没有复制完。"
		    "请删除不需要的文件后再试。", dir);
	case EACCES:
	case EPERM:
	case EROFS:
		return err_set(errp, "无法在“%s”写入数据（%s）。请检查目录权限，"
		    "或 U 盘是否打开了写保护。", dir, util_strerror(rc));
	case EIO:
		return err_set(errp, "写入“%s”时出错（%s），U 盘或磁盘可能已被拔出"
		    "或已损坏。请检查后再试。", dir, util_strerror(rc));
	default:
		store_mdb_err(st, rc, errp);
		err_prefix(errp, "无法把数据复制到“%s”：", dir);
		return CX_ERR;
	}
}

int
store_copy(struct store *st, const char *dir, char **errp)
{
	char *data;
	int empty, rc, fd;

	if (st->rdepth > 0)
		return err_set(errp, "程序内部错误：读取数据的过程中不能复制数据。");
	empty = store_dir_empty(dir);
	if (empty < 0) {
		return err_set(errp, "无法读取目录“%s”：%s。请检查它是否存在、"
		    "是否可以读写。", dir, util_strerror(errno));
	}
	if (!empty) {
		return err_set(errp, "目录“%s”不是空的，不能把数据复制进去"
		    "（不会覆盖已有的文件）。请换一个空目录。", dir);
	}
	/* LMDB allows one read transaction per thread: the copy needs the
	 * slot the cached one holds. */
	store_drop_rtxn(st);
	data = util_path(dir, "data.mdb");
	rc = mdb_env_copy2(st->env, dir, MDB_CP_COMPACT);
	if (rc == 0) {
		/* mdb_env_copy2 does not flush; a copy that is not on the
		 * device yet is no backup. */
		fd = open(data, O_RDONLY);
		if (fd < 0 || fsync(fd) != 0)
			rc = errno;
		if (fd >= 0 && close(fd) != 0 && rc == 0)
			rc = errno;
	}
	if (rc != 0) {
		store_copy_err(st, dir, rc, errp);
		if (rc != EEXIST)	/* never someone else's file */
			unlink(data);
		free(data);
		return CX_ERR;
	}
	/* The marker write also flushes the directory. */
	if (store_marker_write(dir, errp) != CX_OK) {
		unlink(data);
		free(data);
		return CX_ERR;
	}
	free(data);
	return CX_OK;
}

const char *
store_origin(const struct store *st)
{
	return st->origin;
}

char *
store_record_gid(const struct store *st, const struct record *rec)
{
	const char *g = record_get(rec, "_gid");

	if (g != NULL)
		return xstrdup(g);
	return xasprintf("%s-%llu", st->origin, (unsigned long long)rec->id);
}

int
store_find_gid(struct store *st, const struct form *f, const char *gid,
    uint64_t *id, char **errp)
{
	size_t olen = strlen(st->origin);
	struct store_kind *k;
	struct buf kb;
	MDB_txn *txn;
	MDB_val key, val;
	int rc, r;

	*id = 0;
	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	r = CX_NOTFOUND;
	if (st->gid_open) {
		buf_init(&kb);
		store_gid_key(&kb, k->f->kind, gid);
		key.mv_data = kb.s;
		key.mv_size = kb.len;
		rc = mdb_get(txn, st->gid, &key, &val);
		if (rc == 0) {
			if ((*id = store_unseal_id(&val)) != 0)
				r = CX_OK;
			else
				r = err_set(errp, "%s记录全局编号“%s”的索引已损坏。"
				    STORE_MSG_CHECK, k->f->label, gid);
		} else if (rc != MDB_NOTFOUND)
			r = store_mdb_err(st, rc, errp);
		buf_free(&kb);
	}
	/* Records written here before global ids: "ORIGIN-ID". */
	if (r == CX_NOTFOUND && strncmp(gid, st->origin, olen) == 0 &&
	    gid[olen] == '-' && util_parse_id(gid + olen + 1, id) &&
	    gid[olen + 1] != ' ')
		r = CX_OK;
	store_read_end(st);
	return r;
}

int
store_probe(const char *dir, char **errp)
{
	bool readonly, nolock;

	return store_prepare_dir(dir, STORE_READONLY, &readonly, &nolock, errp);
}

bool
store_readonly(const struct store *st)
{
	return st->readonly;
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

size_t
store_mapsize(const struct store *st)
{
	return store_cur_mapsize(st);
}

int
store_bulk(struct store *st, bool on, char **errp)
{
	int rc;

	if (st->readonly)
		return CX_OK;
	if ((rc = mdb_env_set_flags(st->env, MDB_NOSYNC, on ? 1 : 0)) != 0)
		return store_mdb_err(st, rc, errp);
	if (!on && (rc = mdb_env_sync(st->env, 1)) != 0)
		return store_mdb_err(st, rc, errp);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Writing records                                                     */
/* ------------------------------------------------------------------ */

static int
store_get_raw(MDB_txn *txn, MDB_dbi dbi, uint64_t id, MDB_val *val,
    int *mdbrc)
{
	unsigned char kb[8];
	MDB_val key;
	int rc;

	util_put_be64(kb, id);
	key.mv_data = kb;
	key.mv_size = sizeof kb;
	rc = mdb_get(txn, dbi, &key, val);
	if (rc == MDB_NOTFOUND)
		return CX_NOTFOUND;
	if (rc != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

/* Whether another record than id holds value in a unique field.  Keys
 * are cut, so a long value is compared with the record itself. */
static int
store_unique_check(MDB_txn *txn, struct store_kind *k, struct store_index *ix,
    const char *value, uint64_t id, int *mdbrc, char **errp)
{
	size_t n = strlen(value);
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_SET_KEY, r = CX_OK;

	if (n == 0)
		return CX_OK;
	rc = mdb_cursor_open(txn, ix->dbi, &cur);
	if (rc != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	key.mv_data = (void *)value;
	key.mv_size = store_cut(value, n);
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		uint64_t other = store_unseal_id(&val);

		op = MDB_NEXT_DUP;
		if (other == 0 || other == id)
			continue;
		if (n > STORE_INDEX_KEY_MAX) {
			MDB_val rv;
			struct record *orec;
			const char *ov;
			bool same;

			if (store_get_raw(txn, k->dbi, other, &rv, mdbrc) != CX_OK) {
				if (*mdbrc != 0) {
					r = CX_ERR;
					break;
				}
				continue;
			}
			if (codec_decode(rv.mv_data, rv.mv_size, &orec, NULL) !=
			    CX_OK)
				continue;
			ov = record_get(orec, ix->ff->id);
			same = ov != NULL && strcmp(ov, value) == 0;
			record_free(orec);
			if (!same)
				continue;
		}
		err_set(errp, "“%s”为“%s”的记录已经存在（编号%llu）。",
		    ix->ff->label, value, (unsigned long long)other);
		r = CX_ERR;
		break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		r = CX_ERR;
	}
	mdb_cursor_close(cur);
	return r;
}

/* Removes every entry pointing at id from an index; used when the old
 * copy of a record is damaged and its values are unknown. */
static int
store_index_purge(MDB_txn *txn, struct store_index *ix, uint64_t id,
    int *mdbrc)
{
	unsigned char seal[STORE_SEAL_ID];
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST;

	store_seal_id(seal, id);
	rc = mdb_cursor_open(txn, ix->dbi, &cur);
	if (rc != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		op = MDB_NEXT;
		/* After a delete, MDB_NEXT yields the entry that followed. */
		if (val.mv_size == sizeof seal &&
		    memcmp(val.mv_data, seal, sizeof seal) == 0 &&
		    (rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

/* Last id given out for a kind.  When the counter is missing or damaged,
 * the largest id in use (records and recycle bin) stands in. */
static int
store_seq_read(struct store *st, MDB_txn *txn, struct store_kind *k,
    uint64_t *seq, int *mdbrc)
{
	char *key = xasprintf("seq:%s", k->f->kind), *s = NULL;
	MDB_cursor *cur;
	MDB_val kv, v;
	size_t klen = strlen(k->f->kind);
	int rc, op;

	*seq = 0;
	if (store_meta_read(st, txn, key, &s, NULL) == CX_OK &&
	    store_parse_u64(s, seq)) {
		free(s);
		free(key);
		return CX_OK;
	}
	free(s);
	free(key);
	if ((rc = mdb_cursor_open(txn, k->dbi, &cur)) != 0)
		goto fail;
	rc = mdb_cursor_get(cur, &kv, &v, MDB_LAST);
	if (rc == 0 && kv.mv_size == 8)
		*seq = util_get_be64(kv.mv_data);
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	if ((rc = mdb_cursor_open(txn, st->trash, &cur)) != 0)
		goto fail;
	kv.mv_data = k->f->kind;
	kv.mv_size = klen + 1;	/* the kind and its NUL */
	for (op = MDB_SET_RANGE; (rc = mdb_cursor_get(cur, &kv, &v, op)) == 0;
	    op = MDB_NEXT) {
		const char *kb = kv.mv_data;

		if (kv.mv_size < klen + 1 || memcmp(kb, k->f->kind, klen) != 0 ||
		    kb[klen] != '\0')
			break;
		if (kv.mv_size == klen + 9 && util_get_be64((const unsigned
		    char *)kb + klen + 1) > *seq)
			*seq = util_get_be64((const unsigned char *)kb + klen + 1);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	return CX_OK;
fail:
	*mdbrc = rc;
	return CX_ERR;
}

static int
store_seq_write(struct store *st, MDB_txn *txn, struct store_kind *k,
    uint64_t seq, int *mdbrc)
{
	char *key = xasprintf("seq:%s", k->f->kind);
	char val[24];
	int r;

	snprintf(val, sizeof val, "%llu", (unsigned long long)seq);
	r = store_meta_write(st, txn, key, val, mdbrc);
	free(key);
	return r;
}

/* What the record writes of one transaction share: the time, an encoding
 * buffer and each kind's id counter, read when first needed and written
 * back once at the end. */
struct store_batch {
	const char	*now;
	bool		 load;		/* store_load: records as given */
	struct buf	 enc;
	uint64_t	*seq;		/* per kind of st: last id given out */
	uint64_t	*seq0;		/* as read */
	bool		*seq_read;
};

static void
store_batch_init(struct store *st, struct store_batch *b, const char *now)
{
	b->now = now;
	buf_init(&b->enc);
	b->seq = xcalloc(st->nkinds + 1, sizeof *b->seq);
	b->seq0 = xcalloc(st->nkinds + 1, sizeof *b->seq0);
	b->seq_read = xcalloc(st->nkinds + 1, sizeof *b->seq_read);
}

/* Forgets the counters: a transaction redone after the map grew reads
 * them again. */
static void
store_batch_reset(struct store *st, struct store_batch *b)
{
	memset(b->seq_read, 0, (st->nkinds + 1) * sizeof *b->seq_read);
}

static void
store_batch_free(struct store_batch *b)
{
	buf_free(&b->enc);
	free(b->seq);
	free(b->seq0);
	free(b->seq_read);
}

/* The id a put uses: a new one (rec->id 0) or rec->id, which raises the
 * counter when it is beyond it. */
static int
store_batch_id(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, const struct record *rec, uint64_t *id,
    bool *fresh, int *mdbrc)
{
	size_t i = (size_t)(k - st->kinds);

	if (!b->seq_read[i]) {
		if (store_seq_read(st, txn, k, &b->seq[i], mdbrc) != CX_OK)
			return CX_ERR;
		b->seq0[i] = b->seq[i];
		b->seq_read[i] = true;
	}
	*fresh = rec->id == 0;
	if (*fresh)
		*id = ++b->seq[i];
	else {
		*id = rec->id;
		if (*id > b->seq[i])
			b->seq[i] = *id;
	}
	return CX_OK;
}

static int
store_batch_finish(struct store *st, MDB_txn *txn, struct store_batch *b,
    int *mdbrc)
{
	size_t i;

	for (i = 0; i < st->nkinds; i++)
		if (b->seq_read[i] && b->seq[i] != b->seq0[i] &&
		    store_seq_write(st, txn, &st->kinds[i], b->seq[i],
		    mdbrc) != CX_OK)
			return CX_ERR;
	return CX_OK;
}

bool
store_rev_in(const char *rev, const char *list)
{
	size_t n = strlen(rev);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ' ');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (len == n && memcmp(p, rev, n) == 0)
			return true;
		p = e != NULL ? e + 1 : NULL;
	}
	return false;
}

/* ---- Which revision changed which field ("_frevs") ---------------- */

/* "_frevs" lists, for every top-level field changed after the record was
 * created, the revision that last changed it: "FIELD=REV" pairs, space-
 * separated, sorted by field.  A field not listed has not changed since
 * the record was created, which every copy of the record has seen.  An
 * import merges two copies that changed concurrently field by field with
 * it (docs/exchange.md). */

bool
store_field_rev(const struct record *r, const char *field, char *out,
    size_t outsz)
{
	const char *p = record_get(r, "_frevs");
	size_t fl = strlen(field);

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ' ');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (len > fl + 1 && memcmp(p, field, fl) == 0 && p[fl] == '=') {
			size_t rl = len - fl - 1;

			if (rl >= outsz)
				return false;
			memcpy(out, p + fl + 1, rl);
			out[rl] = '\0';
			return true;
		}
		p = e != NULL ? e + 1 : NULL;
	}
	return false;
}

char *
store_changed_since(const struct form *f, const struct record *now,
    const char *since)
{
	char mark[STORE_FIELD_REV_MAX];
	const char *cur = record_get(now, "_rev");
	const char *anc = record_get(now, "_revs");
	struct buf newer, b;
	size_t i, n = 0;

	/* The revisions now has that are newer than since: its own and its
	 * ancestors up to since. */
	buf_init(&newer);
	buf_init(&b);
	if (cur != NULL && !util_same(cur, since)) {
		const char *p = anc;

		buf_addstr(&newer, cur);
		while (p != NULL && *p != '\0') {
			const char *e = strchr(p, ' ');
			size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

			if (since != NULL && len == strlen(since) &&
			    memcmp(p, since, len) == 0)
				break;
			buf_addc(&newer, ' ');
			buf_add(&newer, p, len);
			p = e != NULL ? e + 1 : NULL;
		}
	}
	for (i = 0; newer.len > 0 && i < f->nfields && n < 8; i++) {
		const struct form_field *ff = &f->fields[i];

		if (!store_field_rev(now, ff->id, mark, sizeof mark) ||
		    !store_rev_in(mark, newer.s))
			continue;
		buf_addf(&b, "%s“%s”", n++ == 0 ? "，改了" : "", ff->label);
	}
	buf_free(&newer);
	if (b.s == NULL)
		buf_addstr(&b, "");
	return buf_take(&b);
}

static int
store_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
store_set_field_revs(struct record *rec, char **pairs, size_t n)
{
	struct buf b;
	size_t i;

	if (n == 0) {
		record_remove(rec, "_frevs");
		return;
	}
	qsort(pairs, n, sizeof *pairs, store_cmp_str);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_addstr(&b, pairs[i]);
	}
	record_set_take(rec, "_frevs", buf_take(&b));
}

/* Sets rec's "_frevs" after a change from old (NULL: a new record) to
 * rec made revision rev: the fields whose value changed get rev, the
 * others keep old's. */
static void
store_field_revs(struct record *rec, const struct record *old,
    const char *rev)
{
	char **pairs = NULL, mark[STORE_FIELD_REV_MAX];
	size_t i, n = 0, cap = 0;

	record_remove(rec, "_frevs");
	if (old == NULL || rev == NULL)
		return;
	for (i = 0; i < rec->n + old->n; i++) {
		const struct rvalue *v = i < rec->n ? &rec->v[i] :
		    &old->v[i - rec->n];
		const struct rvalue *o;

		if (v->id[0] == '_' || (i >= rec->n &&
		    record_find(rec, v->id) != NULL))
			continue;
		o = i < rec->n ? record_find(old, v->id) : NULL;
		pairs = xgrow(pairs, &cap, n + 1, sizeof *pairs);
		if (o == NULL || !record_value_equal(v, o))
			pairs[n++] = xasprintf("%s=%s", v->id, rev);
		else if (store_field_rev(old, v->id, mark, sizeof mark))
			pairs[n++] = xasprintf("%s=%s", v->id, mark);
	}
	store_set_field_revs(rec, pairs, n);
	for (i = 0; i < n; i++)
		free(pairs[i]);
	free(pairs);
}

/* ------------------------------------------------------------------ */
/* Global ids and revisions                                            */
/* ------------------------------------------------------------------ */

/* The generation of a revision "G-TOKEN" (0 for none). */
static unsigned long
store_rev_gen(const char *rev)
{
	unsigned long g = 0;

	if (rev == NULL)
		return 0;
	for (; *rev >= '0' && *rev <= '9' && g < 100000000UL; rev++)
		g = g * 10 + (unsigned long)(*rev - '0');
	return g;
}

/* Gives rec its next revision: generation one more than prev's, a token
 * over the kind, id, generation and content (so that equal revisions
 * mean equal records, whatever PC made them), and prev added in front
 * of the ancestors ("_revs", newest first, at most STORE_REVS_MAX). */
static void
store_next_rev(const char *kind, struct record *rec, uint64_t id,
    const char *prev, const char *prev_ancestors, struct buf *scratch)
{
	char tok[UTIL_TOKEN_LEN + 1];
	unsigned long gen = store_rev_gen(prev) + 1;
	struct buf anc;
	size_t n = 0;
	const char *p;

	const char *fr = record_get(rec, "_frevs");
	char *frevs = fr != NULL ? xstrdup(fr) : NULL;

	/* The token covers the content, not the bookkeeping of which
	 * revision changed which field. */
	record_remove(rec, "_rev");
	record_remove(rec, "_revs");
	record_remove(rec, "_frevs");
	buf_reset(scratch);
	codec_encode(rec, scratch);
	buf_addf(scratch, "|rev|%s|%llu|%lu", kind,
	    (unsigned long long)id, gen);
	util_token(tok, scratch->s, scratch->len);
	tok[STORE_REV_TOKEN] = '\0';
	if (frevs != NULL)
		record_set_take(rec, "_frevs", frevs);
	record_set_take(rec, "_rev", xasprintf("%lu-%s", gen, tok));
	if (prev == NULL)
		return;
	buf_init(&anc);
	buf_addstr(&anc, prev);
	for (p = prev_ancestors; p != NULL && *p != '\0' &&
	    ++n < STORE_REVS_MAX; ) {
		const char *e = strchr(p, ' ');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		buf_addc(&anc, ' ');
		buf_add(&anc, p, len);
		p = e != NULL ? e + 1 : NULL;
	}
	record_set_take(rec, "_revs", buf_take(&anc));
}

/* Appends rev to the space-separated list b unless it is there. */
static void
store_rev_add(struct buf *b, const char *rev, size_t len, size_t *n)
{
	char *one = xstrndup(rev, len);

	if (*one != '\0' && *n < STORE_REVS_MAX &&
	    !store_rev_in(one, b->s)) {
		if (b->len > 0)
			buf_addc(b, ' ');
		buf_addstr(b, one);
		(*n)++;
	}
	free(one);
}

void
store_merge_rev(const struct form *f, struct record *merged, uint64_t id,
    const struct record *local, const struct record *incoming)
{
	const char *lr = record_get(local, "_rev");
	const char *ir = record_get(incoming, "_rev");
	const char *lists[2];
	const char *first, *second;
	struct buf anc, scratch;
	size_t n = 0;
	char *prev, *sp;

	/* The revision with the larger generation first, so that the new
	 * one counts on from it; then the other; then the two ancestor
	 * lists taken in turn, each revision once. */
	if (store_rev_gen(ir) > store_rev_gen(lr)) {
		first = ir;
		second = lr;
		lists[0] = record_get(incoming, "_revs");
		lists[1] = record_get(local, "_revs");
	} else {
		first = lr;
		second = ir;
		lists[0] = record_get(local, "_revs");
		lists[1] = record_get(incoming, "_revs");
	}
	buf_init(&anc);
	buf_init(&scratch);
	if (first != NULL)
		store_rev_add(&anc, first, strlen(first), &n);
	if (second != NULL)
		store_rev_add(&anc, second, strlen(second), &n);
	while ((lists[0] != NULL && *lists[0] != '\0') ||
	    (lists[1] != NULL && *lists[1] != '\0')) {
		size_t j;

		for (j = 0; j < 2; j++) {
			const char *p = lists[j], *e;

			if (p == NULL || *p == '\0')
				continue;
			e = strchr(p, ' ');
			store_rev_add(&anc, p, e != NULL ? (size_t)(e - p) :
			    strlen(p), &n);
			lists[j] = e != NULL ? e + 1 : NULL;
		}
	}
	prev = anc.len > 0 ? xstrdup(anc.s) : NULL;
	sp = prev != NULL ? strchr(prev, ' ') : NULL;
	if (sp != NULL)
		*sp++ = '\0';
	store_next_rev(f->kind, merged, id, prev, sp, &scratch);
	free(prev);
	buf_free(&anc);
	buf_free(&scratch);
}

/* Gives rec (as stored) its next revision in place. */
static void
store_renew_rev(struct store_kind *k, struct record *rec, uint64_t id,
    struct buf *scratch)
{
	const char *p = record_get(rec, "_rev"), *a = record_get(rec, "_revs");
	char *prev = p != NULL ? xstrdup(p) : NULL;
	char *anc = a != NULL ? xstrdup(a) : NULL;

	store_next_rev(k->f->kind, rec, id, prev, anc, scratch);
	free(prev);
	free(anc);
}

/* The gid database's key of a global id: KIND NUL GID. */
static void
store_gid_key(struct buf *b, const char *kind, const char *gid)
{
	buf_reset(b);
	buf_add(b, kind, strlen(kind) + 1);
	buf_addstr(b, gid);
}

/* Drops every global id of kind k that names record id: a damaged
 * record overwritten by a good copy leaves no stale entry behind. */
static int
store_gid_purge(struct store *st, MDB_txn *txn, struct store_kind *k,
    uint64_t id, int *mdbrc)
{
	size_t kl = strlen(k->f->kind) + 1;
	MDB_cursor *cur;
	MDB_val key, val;
	int rc;

	if (!st->gid_open)
		return CX_OK;
	if ((rc = mdb_cursor_open(txn, st->gid, &cur)) != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	key.mv_data = (void *)k->f->kind;
	key.mv_size = kl;
	rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
	while (rc == 0 && key.mv_size >= kl &&
	    memcmp(key.mv_data, k->f->kind, kl) == 0) {
		if (store_unseal_id(&val) == id &&
		    (rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

/* Maps the global id of rec (when it has one written out) to id.  A
 * global id another record of the kind holds is refused. */
static int
store_gid_put(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, const struct record *rec, uint64_t id,
    int *mdbrc, char **errp)
{
	const char *gid = record_get(rec, "_gid");
	unsigned char sid[STORE_SEAL_ID];
	struct buf kb;
	MDB_val key, val;
	int rc;

	(void)b;
	if (gid == NULL || !st->gid_open)
		return CX_OK;
	buf_init(&kb);
	store_gid_key(&kb, k->f->kind, gid);
	key.mv_data = kb.s;
	key.mv_size = kb.len;
	store_seal_id(sid, id);
	val.mv_data = sid;
	val.mv_size = sizeof sid;
	rc = mdb_put(txn, st->gid, &key, &val, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST) {
		uint64_t other = store_unseal_id(&val);

		if (other != id && other != 0) {
			buf_free(&kb);
			return err_set(errp, "%s记录（编号 %llu）的全局编号“%s”已属于"
			    "本机编号 %llu 的记录。", k->f->label,
			    (unsigned long long)id, gid,
			    (unsigned long long)other);
		}
		val.mv_data = sid;
		val.mv_size = sizeof sid;
		rc = other == id ? 0 : mdb_put(txn, st->gid, &key, &val, 0);
	}
	buf_free(&kb);
	if (rc != 0) {
		*mdbrc = rc;
		return CX_ERR;
	}
	return CX_OK;
}

/* What a local save does to the store's fields of rec before it is
 * written: keeps the global id (a new record gets a new one; an old
 * record written before global ids gets its implicit one, see
 * store_record_gid), and gives it its next revision.  rec's other
 * values are the caller's. */
static void
store_stamp(struct store *st, struct store_kind *k, struct record *rec,
    const struct record *old, uint64_t id, struct buf *scratch)
{
	const char *ogid = old != NULL ? record_get(old, "_gid") : NULL;
	char tok[UTIL_TOKEN_LEN + 1];

	if (ogid != NULL)
		record_set(rec, "_gid", ogid);
	else if (old != NULL)
		record_set_take(rec, "_gid", xasprintf("%s-%llu", st->origin,
		    (unsigned long long)id));
	else {
		record_remove(rec, "_gid");
		record_remove(rec, "_rev");
		record_remove(rec, "_revs");
		buf_reset(scratch);
		codec_encode(rec, scratch);
		buf_addf(scratch, "|gid|%s|%llu|%s", k->f->kind,
		    (unsigned long long)id, st->origin);
		util_token(tok, scratch->s, scratch->len);
		record_set(rec, "_gid", tok);
	}
	store_next_rev(k->f->kind, rec, id,
	    old != NULL ? record_get(old, "_rev") : NULL,
	    old != NULL ? record_get(old, "_revs") : NULL, scratch);
	store_field_revs(rec, old, record_get(rec, "_rev"));
}

/* Whether rec says nothing old does not, store-kept times and revisions
 * aside: such a save is not made.  rec gets old's store fields. */
static bool
store_unchanged(struct record *rec, const struct record *old)
{
	static const char *const keep[] = { "_created", "_modified", "_rev",
	    "_revs", "_gid", "_frevs" };
	char *mine[6];
	size_t i;
	bool same;

	for (i = 0; i < 6; i++) {
		const char *v = record_get(rec, keep[i]);

		mine[i] = v != NULL ? xstrdup(v) : NULL;
		record_set(rec, keep[i], record_get(old, keep[i]));
	}
	same = record_equal(rec, old);
	for (i = 0; i < 6; i++) {
		if (!same)
			record_set(rec, keep[i], mine[i]);
		free(mine[i]);
	}
	return same;
}

/* Stores one record with the given id, replacing an older copy and moving
 * its index entries.  A local save (not b->load) of an existing record
 * must carry the revision it was read at (expect, NULL for a record
 * that had none): otherwise somebody changed it meanwhile and the save
 * is refused with CX_CONFLICT. */
static int
store_put_one(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, struct record *rec, uint64_t id, bool fresh,
    const char *expect, int *mdbrc, char **errp)
{
	struct record *old = NULL;
	unsigned char kb[8];
	MDB_val key, val;
	bool damaged = false;
	size_t j;
	int rc, r;

	(void)st;
	util_put_be64(kb, id);
	key.mv_data = kb;
	key.mv_size = sizeof kb;
	if (!fresh) {
		r = store_get_raw(txn, k->dbi, id, &val, mdbrc);
		if (r == CX_ERR)
			return CX_ERR;
		if (r == CX_OK && codec_decode(val.mv_data, val.mv_size, &old,
		    NULL) != CX_OK)
			damaged = true;
	}
	if (!b->load && old != NULL && !damaged) {
		const char *cur = record_get(old, "_rev");

		if (!util_same(expect, cur)) {
			const char *when = record_get(old, "_modified");
			char *what = store_changed_since(k->f, old, expect);

			err_set(errp, "这条%s记录（编号 %llu）在读取之后已被修改"
			    "（%s%s），为了不覆盖那次修改，这次没有保存。请重新打开"
			    "这条记录，核对后再修改。", k->f->label,
			    (unsigned long long)id, when != NULL ? when :
			    "修改时间不详", what);
			free(what);
			record_free(old);
			return CX_CONFLICT;
		}
		if (store_unchanged(rec, old)) {
			record_free(old);
			return CX_OK;
		}
	}
	if (record_find(rec, "_created") == NULL) {
		const char *c = old != NULL ? record_get(old, "_created") : NULL;

		record_set(rec, "_created", c != NULL ? c : b->now);
	}
	if (!b->load)
		store_stamp(st, k, rec, damaged ? NULL : old, id, &b->enc);
	if (damaged && store_gid_purge(st, txn, k, id, mdbrc) != CX_OK)
		goto fail;
	if ((old == NULL || damaged || !util_same(record_get(old, "_gid"),
	    record_get(rec, "_gid"))) && store_gid_put(st, txn, b, k, rec, id,
	    mdbrc, errp) != CX_OK)
		goto fail;

	for (j = 0; j < k->nidx; j++) {
		struct store_index *ix = &k->idx[j];
		const char *nv = record_get(rec, ix->ff->id);

		if (ix->ff->unique && nv != NULL && store_unique_check(txn, k,
		    ix, nv, id, mdbrc, errp) != CX_OK)
			goto fail;
	}
	for (j = 0; j < k->nidx; j++) {
		struct store_index *ix = &k->idx[j];
		const char *nv = record_get(rec, ix->ff->id);
		const char *ov = old != NULL ? record_get(old, ix->ff->id) : NULL;

		if (damaged) {
			if (store_index_purge(txn, ix, id, mdbrc) != CX_OK)
				goto fail;
		} else if (ov != NULL && (nv == NULL || strcmp(ov, nv) != 0)) {
			if (store_index_del(txn, ix, ov, id, mdbrc) != CX_OK)
				goto fail;
		}
		if (nv != NULL && store_index_put(txn, ix, nv, id, mdbrc) != CX_OK)
			goto fail;
	}

	buf_reset(&b->enc);
	codec_encode(rec, &b->enc);
	val.mv_data = b->enc.s;
	val.mv_size = b->enc.len;
	if (fresh) {
		/* New ids are ascending: appending skips the page search. */
		rc = mdb_put(txn, k->dbi, &key, &val, MDB_APPEND);
		if (rc == MDB_KEYEXIST)
			rc = mdb_put(txn, k->dbi, &key, &val, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST) {
			err_set(errp, "%s记录的编号 %llu 已被占用，编号计数器可能已损坏。"
			    STORE_MSG_CHECK, k->f->label, (unsigned long long)id);
			goto fail;
		}
	} else
		rc = mdb_put(txn, k->dbi, &key, &val, 0);
	if (rc != 0) {
		*mdbrc = rc;
		goto fail;
	}
	record_free(old);
	return CX_OK;
fail:
	record_free(old);
	return CX_ERR;
}

static void
store_trash_key(struct buf *b, const char *kind, uint64_t id)
{
	unsigned char kb[8];

	util_put_be64(kb, id);
	buf_add(b, kind, strlen(kind) + 1);
	buf_add(b, kb, sizeof kb);
}

/* Moves one record to the recycle bin, removing its index entries.
 * CX_NOTFOUND (no message) when there is no such record. */
static int
store_delete_one(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, uint64_t id, int *mdbrc, char **errp)
{
	struct record *rec;
	struct buf tk;
	unsigned char kb[8];
	MDB_val key, val;
	size_t j;
	int r;

	r = store_get_raw(txn, k->dbi, id, &val, mdbrc);
	if (r != CX_OK)
		return r;
	if (store_decode(k->f, id, &val, "", &rec, errp) != CX_OK)
		return CX_ERR;
	record_set(rec, "_deleted", b->now);
	if (record_get(rec, "_gid") == NULL)
		record_set_take(rec, "_gid", xasprintf("%s-%llu", st->origin,
		    (unsigned long long)id));
	/* A deletion is a change that travels: a new revision. */
	store_renew_rev(k, rec, id, &b->enc);

	buf_init(&tk);
	store_trash_key(&tk, k->f->kind, id);
	buf_reset(&b->enc);
	codec_encode(rec, &b->enc);
	key.mv_data = tk.s;
	key.mv_size = tk.len;
	val.mv_data = b->enc.s;
	val.mv_size = b->enc.len;
	r = CX_ERR;
	if ((*mdbrc = mdb_put(txn, st->trash, &key, &val, 0)) != 0)
		goto out;
	for (j = 0; j < k->nidx; j++) {
		const char *v = record_get(rec, k->idx[j].ff->id);

		if (v != NULL && store_index_del(txn, &k->idx[j], v, id,
		    mdbrc) != CX_OK)
			goto out;
	}
	util_put_be64(kb, id);
	key.mv_data = kb;
	key.mv_size = sizeof kb;
	if ((*mdbrc = mdb_del(txn, k->dbi, &key, NULL)) != 0)
		goto out;
	r = CX_OK;
out:
	record_free(rec);
	buf_free(&tk);
	return r;
}

static void
store_put_be32(unsigned char out[4], uint32_t v)
{
	out[0] = (unsigned char)(v >> 24);
	out[1] = (unsigned char)(v >> 16);
	out[2] = (unsigned char)(v >> 8);
	out[3] = (unsigned char)v;
}

static uint32_t
store_get_be32(const unsigned char in[4])
{
	return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
	    (uint32_t)in[2] << 8 | (uint32_t)in[3];
}

/* "KIND NUL id(8)", the part of a history key shared by the versions of
 * one record; the 4-byte version follows. */
static void
store_hist_prefix(struct buf *b, const char *kind, uint64_t id)
{
	store_trash_key(b, kind, id);
}

/* Keeps rec as the next old version of its record: one more than the
 * last version stored (a cursor seek past the record's versions and one
 * step back). */
static int
store_hist_one(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, const struct record *rec, int *mdbrc,
    char **errp)
{
	unsigned char vb[4];
	struct buf key;
	MDB_cursor *cur;
	MDB_val kv, v;
	uint32_t version = 1;
	size_t plen;
	int rc, r = CX_ERR;

	buf_init(&key);
	store_hist_prefix(&key, k->f->kind, rec->id);
	plen = key.len;
	store_put_be32(vb, UINT32_MAX);
	buf_add(&key, vb, sizeof vb);
	if ((rc = mdb_cursor_open(txn, st->hist, &cur)) != 0) {
		*mdbrc = rc;
		goto out;
	}
	kv.mv_data = key.s;
	kv.mv_size = key.len;
	rc = mdb_cursor_get(cur, &kv, &v, MDB_SET_RANGE);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &kv, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &kv, &v, MDB_LAST);
	if (rc == 0 && kv.mv_size == plen + 4 &&
	    memcmp(kv.mv_data, key.s, plen) == 0)
		version = store_get_be32((const unsigned char *)kv.mv_data +
		    plen) + 1;
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		*mdbrc = rc;
		goto out;
	}
	if (version == UINT32_MAX || version == 0) {
		err_set(errp, "%s记录（编号 %llu）的历史版本太多，无法再保存。",
		    k->f->label, (unsigned long long)rec->id);
		goto out;
	}
	key.len = plen;
	store_put_be32(vb, version);
	buf_add(&key, vb, sizeof vb);
	buf_reset(&b->enc);
	codec_encode(rec, &b->enc);
	kv.mv_data = key.s;
	kv.mv_size = key.len;
	v.mv_data = b->enc.s;
	v.mv_size = b->enc.len;
	if ((*mdbrc = mdb_put(txn, st->hist, &kv, &v, MDB_NOOVERWRITE)) != 0)
		goto out;
	r = CX_OK;
out:
	buf_free(&key);
	return r;
}

/* Brings record id of kind k back from the recycle bin with its index
 * entries; the id counter is raised through the batch when the id lies
 * beyond it.  CX_NOTFOUND (no message) when it is not in the bin. */
static int
store_restore_one(struct store *st, MDB_txn *txn, struct store_batch *b,
    struct store_kind *k, uint64_t id, int *mdbrc, char **errp)
{
	struct record *rec;
	struct buf tk, enc;
	unsigned char kb[8];
	MDB_val key, val;
	size_t j, ki = (size_t)(k - st->kinds);
	int r;

	buf_init(&tk);
	buf_init(&enc);
	store_trash_key(&tk, k->f->kind, id);
	key.mv_data = tk.s;
	key.mv_size = tk.len;
	r = mdb_get(txn, st->trash, &key, &val);
	if (r != 0) {
		buf_free(&tk);
		if (r == MDB_NOTFOUND)
			return CX_NOTFOUND;
		*mdbrc = r;
		return CX_ERR;
	}
	if (store_decode(k->f, id, &val, "回收站中的", &rec, errp) != CX_OK) {
		buf_free(&tk);
		return CX_ERR;
	}
	r = CX_ERR;
	switch (store_get_raw(txn, k->dbi, id, &val, mdbrc)) {
	case CX_OK:
		err_set(errp, "无法恢复回收站中的%s记录（编号 %llu）：已经有同一编号的"
		    "记录。", k->f->label, (unsigned long long)id);
		goto out;
	case CX_ERR:
		goto out;
	}
	for (j = 0; j < k->nidx; j++) {
		struct store_index *ix = &k->idx[j];
		const char *v = record_get(rec, ix->ff->id);

		if (ix->ff->unique && v != NULL && store_unique_check(txn, k, ix,
		    v, id, mdbrc, errp) != CX_OK) {
			if (*mdbrc == 0) {
				err_prefix(errp, "无法恢复回收站中的%s记录（编号 %llu）：",
				    k->f->label, (unsigned long long)id);
				if (errp != NULL) {
					char *m = xasprintf("%s请先修改或删除那条记录。",
					    *errp);

					free(*errp);
					*errp = m;
				}
			}
			goto out;
		}
	}
	record_remove(rec, "_deleted");
	store_renew_rev(k, rec, id, &enc);
	buf_reset(&enc);
	codec_encode(rec, &enc);
	util_put_be64(kb, id);
	key.mv_data = kb;
	key.mv_size = sizeof kb;
	val.mv_data = enc.s;
	val.mv_size = enc.len;
	if ((*mdbrc = mdb_put(txn, k->dbi, &key, &val, MDB_NOOVERWRITE)) != 0)
		goto out;
	for (j = 0; j < k->nidx; j++) {
		const char *v = record_get(rec, k->idx[j].ff->id);

		if (v != NULL && store_index_put(txn, &k->idx[j], v, id,
		    mdbrc) != CX_OK)
			goto out;
	}
	key.mv_data = tk.s;
	key.mv_size = tk.len;
	if ((*mdbrc = mdb_del(txn, st->trash, &key, NULL)) != 0)
		goto out;
	if (!b->seq_read[ki]) {
		if (store_seq_read(st, txn, k, &b->seq[ki], mdbrc) != CX_OK)
			goto out;
		b->seq0[ki] = b->seq[ki];
		b->seq_read[ki] = true;
	}
	if (b->seq[ki] < id)
		b->seq[ki] = id;
	r = CX_OK;
out:
	record_free(rec);
	buf_free(&tk);
	buf_free(&enc);
	return r;
}

struct store_apply_arg {
	struct store_op		 *ops;
	size_t			  n;
	struct store_kind	**kinds;	/* per op */
	uint64_t		 *ids;		/* PUT: id used, for rec->id */
	char			**expect;	/* PUT: _rev as read, or NULL */
	char			**expect_anc;	/* PUT: _revs as read */
	bool			  quiet;	/* store_delete: a missing
						 * record is CX_NOTFOUND */
	struct store_batch	  b;
};

static int
store_apply_cb(struct store *st, MDB_txn *txn, void *arg, int *mdbrc,
    char **errp)
{
	struct store_apply_arg *a = arg;
	size_t i;
	int r;

	store_batch_reset(st, &a->b);
	for (i = 0; i < a->n; i++) {
		struct store_op *op = &a->ops[i];
		struct store_kind *k = a->kinds[i];
		uint64_t id;
		bool fresh;

		switch (op->op) {
		case STORE_OP_PUT:
			if (op->link_field != NULL) {
				record_set_take(op->rec, op->link_field,
				    xasprintf("%s:%llu",
				    a->kinds[op->link_op]->f->kind,
				    (unsigned long long)a->ids[op->link_op]));
			}
			if (store_batch_id(st, txn, &a->b, k, op->rec, &id,
			    &fresh, mdbrc) != CX_OK)
				return CX_ERR;
			a->ids[i] = id;
			record_set(op->rec, "_rev", a->expect[i]);
			record_set(op->rec, "_revs", a->expect_anc[i]);
			r = store_put_one(st, txn, &a->b, k, op->rec, id, fresh,
			    a->expect[i], mdbrc, errp);
			if (r != CX_OK)
				return r == CX_CONFLICT ? r : CX_ERR;
			break;
		case STORE_OP_DELETE:
			r = store_delete_one(st, txn, &a->b, k, op->id, mdbrc,
			    errp);
			if (r == CX_NOTFOUND && !a->quiet) {
				return err_set(errp, "要删除的%s记录（编号 %llu）"
				    "已经不存在（可能已被删除），没有保存任何修改。",
				    k->f->label, (unsigned long long)op->id);
			}
			if (r != CX_OK)
				return r;
			break;
		case STORE_OP_HISTORY:
			if (store_hist_one(st, txn, &a->b, k, op->rec, mdbrc,
			    errp) != CX_OK)
				return CX_ERR;
			break;
		case STORE_OP_RESTORE:
			r = store_restore_one(st, txn, &a->b, k, op->id, mdbrc,
			    errp);
			if (r == CX_NOTFOUND && !a->quiet) {
				return err_set(errp, "要恢复的%s记录（编号 %llu）"
				    "不在回收站中（可能已经恢复），没有保存任何修改。",
				    k->f->label, (unsigned long long)op->id);
			}
			if (r != CX_OK)
				return r;
			break;
		}
	}
	return store_batch_finish(st, txn, &a->b, mdbrc);
}

/* Checks what the ops ask for before a transaction starts: these are
 * programming errors, said as such. */
static int
store_apply_prepare(struct store *st, struct store_op *ops, size_t n,
    struct store_kind **kinds, char **errp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct store_op *op = &ops[i];

		if ((kinds[i] = store_kind_of(st, op->f, errp)) == NULL)
			return CX_ERR;
		switch (op->op) {
		case STORE_OP_PUT:
			if (op->rec == NULL)
				break;
			if (op->link_field != NULL &&
			    (op->link_op >= i || ops[op->link_op].op !=
			    STORE_OP_PUT)) {
				return err_set(errp, "程序内部错误：第 %zu 项修改的"
				    "上级不是它之前保存的记录。", i + 1);
			}
			continue;
		case STORE_OP_DELETE:
		case STORE_OP_RESTORE:
			if (op->id != 0)
				continue;
			break;
		case STORE_OP_HISTORY:
			if (op->rec != NULL && op->rec->id != 0)
				continue;
			break;
		default:
			break;
		}
		return err_set(errp, "程序内部错误：第 %zu 项修改不完整。", i + 1);
	}
	return CX_OK;
}

static int
store_apply_run(struct store *st, struct store_op *ops, size_t n,
    bool quiet, char **errp)
{
	struct store_apply_arg a;
	char now[20], **links;
	size_t i;
	int r;

	if (n == 0)
		return CX_OK;
	memset(&a, 0, sizeof a);
	a.kinds = xcalloc(n, sizeof *a.kinds);
	if (store_apply_prepare(st, ops, n, a.kinds, errp) != CX_OK) {
		free(a.kinds);
		return CX_ERR;
	}
	if (st->readonly) {
		free(a.kinds);
		return err_set(errp, STORE_MSG_READONLY);
	}
	store_now(now);
	links = xcalloc(n, sizeof *links);
	for (i = 0; i < n; i++) {
		if (ops[i].op != STORE_OP_PUT)
			continue;
		record_set(ops[i].rec, "_modified", now);
		ops[i].rec->form_version = ops[i].f->version;
		if (ops[i].link_field != NULL &&
		    record_get(ops[i].rec, ops[i].link_field) != NULL)
			links[i] = xstrdup(record_get(ops[i].rec,
			    ops[i].link_field));
	}
	a.ops = ops;
	a.n = n;
	a.ids = xcalloc(n, sizeof *a.ids);
	a.expect = xcalloc(n, sizeof *a.expect);
	a.expect_anc = xcalloc(n, sizeof *a.expect_anc);
	for (i = 0; i < n; i++) {
		const char *v;

		if (ops[i].op != STORE_OP_PUT)
			continue;
		if ((v = record_get(ops[i].rec, "_rev")) != NULL)
			a.expect[i] = xstrdup(v);
		if ((v = record_get(ops[i].rec, "_revs")) != NULL)
			a.expect_anc[i] = xstrdup(v);
	}
	a.quiet = quiet;
	store_batch_init(st, &a.b, now);
	r = store_write(st, store_apply_cb, &a, errp);
	for (i = 0; i < n; i++) {
		if (ops[i].op != STORE_OP_PUT)
			continue;
		if (r == CX_OK)
			ops[i].rec->id = a.ids[i];
		else {
			if (ops[i].link_field != NULL)
				record_set(ops[i].rec, ops[i].link_field,
				    links[i]);
			record_set(ops[i].rec, "_rev", a.expect[i]);
			record_set(ops[i].rec, "_revs", a.expect_anc[i]);
		}
		free(links[i]);
		free(a.expect[i]);
		free(a.expect_anc[i]);
	}
	free(links);
	free(a.expect);
	free(a.expect_anc);
	free(a.ids);
	free(a.kinds);
	store_batch_free(&a.b);
	return r;
}

int
store_apply(struct store *st, struct store_op *ops, size_t n, char **errp)
{
	return store_apply_run(st, ops, n, false, errp);
}

int
store_put_many(struct store *st, const struct form *f,
    struct record **recs, size_t n, char **errp)
{
	struct store_op *ops;
	size_t i;
	int r;

	if (store_kind_of(st, f, errp) == NULL)
		return CX_ERR;
	if (n == 0)
		return CX_OK;
	ops = xcalloc(n, sizeof *ops);
	for (i = 0; i < n; i++) {
		ops[i].op = STORE_OP_PUT;
		ops[i].f = f;
		ops[i].rec = recs[i];
	}
	r = store_apply_run(st, ops, n, false, errp);
	free(ops);
	return r;
}

int
store_put(struct store *st, const struct form *f, struct record *rec,
    char **errp)
{
	return store_put_many(st, f, &rec, 1, errp);
}

/*
 * Runs one delete or restore of record ID of form F as its own
 * transaction; id 0 names no record.
 */
static int
store_move_one(struct store *st, enum store_op_kind kind,
    const struct form *f, uint64_t id, char **errp)
{
	struct store_op op;

	memset(&op, 0, sizeof op);
	op.op = kind;
	op.f = f;
	op.id = id;
	if (id == 0)
		return store_kind_of(st, f, errp) == NULL ? CX_ERR :
		    CX_NOTFOUND;
	return store_apply_run(st, &op, 1, true, errp);
}

int
store_delete(struct store *st, const struct form *f, uint64_t id,
    char **errp)
{
	return store_move_one(st, STORE_OP_DELETE, f, id, errp);
}

/* ------------------------------------------------------------------ */
/* History                                                             */
/* ------------------------------------------------------------------ */

int
store_history(struct store *st, const struct form *f, uint64_t id,
    store_hist_fn fn, void *arg, char **errp)
{
	struct store_kind *k;
	struct buf pre;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_SET_RANGE, r = CX_OK;

	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if (!st->hist_open || id == 0)
		return CX_OK;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	rc = mdb_cursor_open(txn, st->hist, &cur);
	if (rc != 0) {
		store_read_end(st);
		return store_mdb_err(st, rc, errp);
	}
	buf_init(&pre);
	store_hist_prefix(&pre, k->f->kind, id);
	key.mv_data = pre.s;
	key.mv_size = pre.len;
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		struct record *rec;
		unsigned version;
		int stop;

		op = MDB_NEXT;
		if (key.mv_size < pre.len ||
		    memcmp(key.mv_data, pre.s, pre.len) != 0)
			break;
		if (key.mv_size != pre.len + 4)
			continue;	/* store_check reports it */
		version = store_get_be32((const unsigned char *)key.mv_data +
		    pre.len);
		if (codec_decode(val.mv_data, val.mv_size, &rec, NULL) !=
		    CX_OK) {
			r = err_set(errp, "%s记录（编号 %llu）的第 %u 个历史版本已"
			    "损坏：%s。" STORE_MSG_CHECK, k->f->label,
			    (unsigned long long)id, version,
			    store_damage_cause(&val));
			break;
		}
		rec->id = id;
		stop = fn(arg, version, rec);
		record_free(rec);
		if (stop)
			break;
	}
	if (r == CX_OK && rc != 0 && rc != MDB_NOTFOUND)
		r = store_mdb_err(st, rc, errp);
	buf_free(&pre);
	mdb_cursor_close(cur);
	store_read_end(st);
	return r;
}

/* ------------------------------------------------------------------ */
/* Recycle bin                                                         */
/* ------------------------------------------------------------------ */

int
store_restore(struct store *st, const struct form *f, uint64_t id,
    char **errp)
{
	return store_move_one(st, STORE_OP_RESTORE, f, id, errp);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

int
store_get(struct store *st, const struct form *f, uint64_t id,
    struct record **out, char **errp)
{
	struct store_kind *k;
	MDB_txn *txn;
	MDB_val val;
	int r, mdbrc = 0;

	*out = NULL;
	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if (!k->open || id == 0)
		return CX_NOTFOUND;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	r = store_get_raw(txn, k->dbi, id, &val, &mdbrc);
	if (r == CX_OK)
		r = store_decode(k->f, id, &val, "", out, errp);
	else if (r == CX_ERR)
		store_mdb_err(st, mdbrc, errp);
	store_read_end(st);
	return r;
}

/* Walks a kind from a start position in one direction, calling fn with
 * each decoded record. */
static int
store_walk(struct store *st, struct store_kind *k, uint64_t from, int dir,
    size_t max, store_each_fn fn, void *arg, char **errp)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	unsigned char kb[8];
	size_t done = 0;
	uint64_t id, last = 0, seq = UINT64_MAX;
	char *seqkey, *v;
	int rc, op, r = CX_OK;

	if (!k->open)
		return CX_OK;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	/* LMDB does not check its keys, and a record's checksum does not
	 * cover its key: a damaged id shows as ids out of order or beyond
	 * the last one given out. */
	seqkey = xasprintf("seq:%s", k->f->kind);
	if (store_meta_read(st, txn, seqkey, &v, NULL) == CX_OK) {
		if (!store_parse_u64(v, &seq))
			seq = UINT64_MAX;
		free(v);
	}
	free(seqkey);
	rc = mdb_cursor_open(txn, k->dbi, &cur);
	if (rc != 0) {
		store_read_end(st);
		return store_mdb_err(st, rc, errp);
	}
	if (dir >= 0) {
		if (from == 0) {
			rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
		} else if (from == UINT64_MAX) {
			rc = MDB_NOTFOUND;
		} else {
			util_put_be64(kb, from + 1);
			key.mv_data = kb;
			key.mv_size = sizeof kb;
			rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
		}
		op = MDB_NEXT;
	} else {
		if (from == 0) {
			rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
		} else {
			/* The first key >= from, then one back. */
			util_put_be64(kb, from);
			key.mv_data = kb;
			key.mv_size = sizeof kb;
			rc = mdb_cursor_get(cur, &key, &val, MDB_SET_RANGE);
			if (rc == 0)
				rc = mdb_cursor_get(cur, &key, &val, MDB_PREV);
			else if (rc == MDB_NOTFOUND)
				rc = mdb_cursor_get(cur, &key, &val, MDB_LAST);
		}
		op = MDB_PREV;
	}
	for (; rc == 0; rc = mdb_cursor_get(cur, &key, &val, op)) {
		struct record *rec;
		int stop;

		if (max != 0 && done >= max)
			break;
		if (key.mv_size != 8) {
			r = err_set(errp, "%s记录中有一个键长度不对（%zu 字节）的条目。"
			    STORE_MSG_CHECK, k->f->label, key.mv_size);
			break;
		}
		id = util_get_be64(key.mv_data);
		if (id == 0 || id > seq || (done > 0 && (op == MDB_NEXT ?
		    id <= last : id >= last))) {
			r = err_set(errp, "%s记录的编号已损坏（编号 %llu 不应出现在"
			    "这里）。" STORE_MSG_CHECK, k->f->label,
			    (unsigned long long)id);
			break;
		}
		last = id;
		if (store_decode(k->f, id, &val, "", &rec, errp) != CX_OK) {
			r = CX_ERR;
			break;
		}
		stop = fn(arg, k->f, rec);
		record_free(rec);
		done++;
		if (stop)
			break;
	}
	if (r == CX_OK && rc != 0 && rc != MDB_NOTFOUND)
		r = store_mdb_err(st, rc, errp);
	/* A whole walk must meet as many records as the database says it
	 * holds: a damaged page can end a walk early without an error. */
	if (r == CX_OK && rc == MDB_NOTFOUND && from == 0 && max == 0) {
		MDB_stat ms;

		if (mdb_stat(txn, k->dbi, &ms) == 0 && ms.ms_entries != done)
			r = err_set(errp, "%s记录应有 %zu 条，只读到 %zu 条，"
			    "数据可能已损坏。" STORE_MSG_CHECK, k->f->label,
			    (size_t)ms.ms_entries, done);
	}
	mdb_cursor_close(cur);
	store_read_end(st);
	return r;
}

int
store_foreach(struct store *st, const struct form *f, store_each_fn fn,
    void *arg, char **errp)
{
	struct store_kind *k;

	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	return store_walk(st, k, 0, 1, 0, fn, arg, errp);
}

int
store_scan(struct store *st, const struct form *f, uint64_t from_id,
    int dir, size_t max, store_each_fn fn, void *arg, char **errp)
{
	struct store_kind *k;

	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	return store_walk(st, k, from_id, dir, max, fn, arg, errp);
}

int
store_trash_foreach(struct store *st, store_each_fn fn, void *arg,
    char **errp)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST, r = CX_OK;

	if (!st->trash_open)
		return CX_OK;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	rc = mdb_cursor_open(txn, st->trash, &cur);
	if (rc != 0) {
		store_read_end(st);
		return store_mdb_err(st, rc, errp);
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		const char *kb = key.mv_data;
		const char *nul = memchr(kb, '\0', key.mv_size);
		const struct form *f;
		struct record *rec;
		size_t klen;
		int stop;

		op = MDB_NEXT;
		if (nul == NULL)
			continue;	/* store_check reports it */
		klen = (size_t)(nul - kb);
		if (key.mv_size != klen + 9)
			continue;
		f = store_form_of_kind(st, kb, klen, NULL);
		if (f == NULL)
			continue;	/* a kind no longer in the forms */
		if (store_decode(f, util_get_be64((const unsigned char *)kb +
		    klen + 1), &val, "回收站中的", &rec, errp) != CX_OK) {
			r = CX_ERR;
			break;
		}
		stop = fn(arg, f, rec);
		record_free(rec);
		if (stop)
			break;
	}
	if (r == CX_OK && rc != 0 && rc != MDB_NOTFOUND)
		r = store_mdb_err(st, rc, errp);
	mdb_cursor_close(cur);
	store_read_end(st);
	return r;
}

/* The index of a field, or NULL with a message saying the field cannot
 * be used to `what` (a programming error: callers check
 * store_field_indexed). */
static struct store_index *
store_index_named(struct store_kind *k, const char *field, const char *what,
    char **errp)
{
	size_t j;

	for (j = 0; j < k->nidx; j++)
		if (strcmp(k->idx[j].ff->id, field) == 0)
			return &k->idx[j];
	err_set(errp, "程序内部错误：%s记录的字段“%s”没有索引，不能按它%s。",
	    k->f->label, field, what);
	return NULL;
}

int
store_find(struct store *st, const struct form *f, const char *field,
    const char *value, uint64_t **ids, size_t *n, char **errp)
{
	struct store_kind *k;
	struct store_index *ix;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	size_t len = strlen(value), cap = 0;
	int rc, op = MDB_SET_KEY, r = CX_OK;

	*ids = NULL;
	*n = 0;
	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if ((ix = store_index_named(k, field, "查找", errp)) == NULL)
		return CX_ERR;
	if (len == 0 || !ix->open)
		return CX_OK;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	rc = mdb_cursor_open(txn, ix->dbi, &cur);
	if (rc != 0) {
		store_read_end(st);
		return store_mdb_err(st, rc, errp);
	}
	key.mv_data = (void *)value;
	key.mv_size = store_cut(value, len);
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		uint64_t id = store_unseal_id(&val);

		op = MDB_NEXT_DUP;
		if (id == 0) {
			char *show = store_show(key.mv_data, key.mv_size);

			r = err_set(errp, "%s记录“%s”的索引已损坏（条目“%s”校验和"
			    "不符）。" STORE_MSG_CHECK, k->f->label,
			    ix->ff->label, show);
			free(show);
			break;
		}
		if (len > STORE_INDEX_KEY_MAX) {
			/* The key was cut: check the record's whole value. */
			int mdbrc = 0;
			struct record *rec;
			MDB_val rv;
			const char *v;
			bool same;

			if (store_get_raw(txn, k->dbi, id, &rv, &mdbrc) != CX_OK)
				continue;
			if (codec_decode(rv.mv_data, rv.mv_size, &rec, NULL) !=
			    CX_OK)
				continue;
			v = record_get(rec, ix->ff->id);
			same = v != NULL && strcmp(v, value) == 0;
			record_free(rec);
			if (!same)
				continue;
		}
		*ids = xgrow(*ids, &cap, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = id;
	}
	if (r == CX_OK && rc != 0 && rc != MDB_NOTFOUND)
		r = store_mdb_err(st, rc, errp);
	mdb_cursor_close(cur);
	store_read_end(st);
	if (r != CX_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return r;
}

int
store_count(struct store *st, const struct form *f, size_t *n, char **errp)
{
	struct store_kind *k;
	MDB_txn *txn;
	MDB_stat ms;
	int rc;

	*n = 0;
	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if (!k->open)
		return CX_OK;
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	rc = mdb_stat(txn, k->dbi, &ms);
	store_read_end(st);
	if (rc != 0)
		return store_mdb_err(st, rc, errp);
	*n = ms.ms_entries;
	return CX_OK;
}

bool
store_field_indexed(const struct store *st, const struct form *f,
    const char *field)
{
	const struct store_kind *k = NULL;
	size_t i, j;

	if (f == NULL || field == NULL)
		return false;
	for (i = 0; i < st->nkinds && k == NULL; i++)
		if (st->kinds[i].f == f)
			k = &st->kinds[i];
	for (i = 0; i < st->nkinds && k == NULL; i++)
		if (strcmp(st->kinds[i].f->kind, f->kind) == 0)
			k = &st->kinds[i];
	if (k == NULL)
		return false;
	for (j = 0; j < k->nidx; j++)
		if (strcmp(k->idx[j].ff->id, field) == 0)
			return true;
	return false;
}

static bool
store_key_eq(const MDB_val *a, const MDB_val *b)
{
	return a->mv_size == b->mv_size &&
	    memcmp(a->mv_data, b->mv_data, a->mv_size) == 0;
}

static bool
store_key_has_prefix(const MDB_val *key, const MDB_val *prefix)
{
	return key->mv_size >= prefix->mv_size &&
	    memcmp(key->mv_data, prefix->mv_data, prefix->mv_size) == 0;
}

/* Moves to the first entry whose key is greater than kv.  LMDB refuses
 * empty keys, and no stored key is empty, so "" lies before them all. */
static int
store_seek_after_key(MDB_cursor *cur, const MDB_val *kv, MDB_val *key,
    MDB_val *val)
{
	int rc;

	if (kv->mv_size == 0)
		return mdb_cursor_get(cur, key, val, MDB_FIRST);
	*key = *kv;
	rc = mdb_cursor_get(cur, key, val, MDB_SET_RANGE);
	if (rc == 0 && store_key_eq(key, kv))
		rc = mdb_cursor_get(cur, key, val, MDB_NEXT_NODUP);
	return rc;
}

/* Moves to the first entry after every key that starts with kv: the
 * first key >= kv's successor (kv without trailing 0xff bytes, its last
 * byte raised by one).  MDB_NOTFOUND when there is none. */
static int
store_seek_after_prefix(MDB_cursor *cur, const MDB_val *kv, MDB_val *key,
    MDB_val *val)
{
	unsigned char next[STORE_INDEX_KEY_MAX];
	size_t n = kv->mv_size;

	memcpy(next, kv->mv_data, n);
	while (n > 0 && next[n - 1] == 0xff)
		n--;
	if (n == 0)
		return MDB_NOTFOUND;
	next[n - 1]++;
	key->mv_data = next;
	key->mv_size = n;
	return mdb_cursor_get(cur, key, val, MDB_SET_RANGE);
}

/* Moves to the first entry >= (kv, id): within key kv the first id >= id
 * (MDB_GET_BOTH_RANGE on the big-endian id, which sorts the sealed data),
 * else the first later key. */
static int
store_seek_ge(MDB_cursor *cur, const MDB_val *kv, uint64_t id, MDB_val *key,
    MDB_val *val)
{
	unsigned char probe[STORE_SEAL_ID];
	int rc;

	if (kv->mv_size == 0)
		return mdb_cursor_get(cur, key, val, MDB_FIRST);
	*key = *kv;
	if (id <= 1)
		return mdb_cursor_get(cur, key, val, MDB_SET_RANGE);
	/* The smallest sealed value of id: its 8 bytes and a zero crc. */
	memset(probe, 0, sizeof probe);
	util_put_be64(probe, id);
	val->mv_data = probe;
	val->mv_size = sizeof probe;
	rc = mdb_cursor_get(cur, key, val, MDB_GET_BOTH_RANGE);
	if (rc == 0) {
		/* key and val may still point at kv and the probe: read the
		 * entry itself. */
		return mdb_cursor_get(cur, key, val, MDB_GET_CURRENT);
	}
	if (rc != MDB_NOTFOUND)
		return rc;
	return store_seek_after_key(cur, kv, key, val);
}

/* Puts the cursor on the first entry a walk visits (see
 * store_index_scan in store.h): forward, the first entry after (kv, id);
 * backward, one step back from the first entry at or after (kv, id). */
static int
store_seek_start(MDB_cursor *cur, const MDB_val *kv, uint64_t id, int flags,
    int dir, MDB_val *key, MDB_val *val)
{
	int rc;

	if (kv == NULL)
		return mdb_cursor_get(cur, key, val, dir < 0 ? MDB_LAST :
		    MDB_FIRST);
	if (id == STORE_ID_END) {
		if (flags & STORE_SCAN_PREFIX)
			rc = store_seek_after_prefix(cur, kv, key, val);
		else
			rc = store_seek_after_key(cur, kv, key, val);
	} else
		rc = store_seek_ge(cur, kv, dir < 0 ? id : id + 1, key, val);
	if (dir >= 0)
		return rc;
	if (rc == 0)
		return mdb_cursor_get(cur, key, val, MDB_PREV);
	if (rc == MDB_NOTFOUND)
		return mdb_cursor_get(cur, key, val, MDB_LAST);
	return rc;
}

/* An index entry's message for a damaged index. */
static int
store_index_damaged(struct store_kind *k, struct store_index *ix,
    const MDB_val *key, const char *why, uint64_t id, char **errp)
{
	char *show = store_show(key->mv_data, key->mv_size);

	if (id != 0) {
		err_set(errp, "%s记录“%s”的索引已损坏（条目“%s”指向的记录 编号 "
		    "%llu 不存在）。" STORE_MSG_CHECK, k->f->label, ix->ff->label,
		    show, (unsigned long long)id);
	} else {
		err_set(errp, "%s记录“%s”的索引已损坏（条目“%s”%s）。"
		    STORE_MSG_CHECK, k->f->label, ix->ff->label, show, why);
	}
	free(show);
	return CX_ERR;
}

/* Walks index entries from a position, one cursor seek and then one
 * step per entry, so a page costs O(log n + max) whatever the size of
 * the kind.  The filters stop at the first key outside their range; only
 * a value longer than the key limit needs the records compared. */
int
store_index_scan(struct store *st, const struct form *f, const char *field,
    const char *value, uint64_t id, int flags, int dir, size_t max,
    store_index_fn fn, void *arg, char **errp)
{
	struct store_kind *k;
	struct store_index *ix;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val kv, key, val, rv;
	struct buf kb;
	size_t vlen = 0, done = 0;
	bool exact = (flags & STORE_SCAN_EXACT) != 0;
	bool prefix = (flags & STORE_SCAN_PREFIX) != 0;
	int rc, op, r = CX_OK, mdbrc;

	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if ((ix = store_index_named(k, field, "排列", errp)) == NULL)
		return CX_ERR;
	if (exact && prefix) {
		return err_set(errp, "程序内部错误：STORE_SCAN_EXACT 和 "
		    "STORE_SCAN_PREFIX 不能同时使用。");
	}
	if ((exact || prefix) && value == NULL) {
		return err_set(errp, "程序内部错误：按%s记录的字段“%s”筛选时"
		    "没有给出值。", k->f->label, ix->ff->label);
	}
	if (!k->open || !ix->open)
		return CX_OK;
	if (value != NULL) {
		vlen = strlen(value);
		kv.mv_data = (void *)value;
		kv.mv_size = store_cut(value, vlen);
	}
	/* Empty values are not indexed: nothing holds "". */
	if (exact && vlen == 0)
		return CX_OK;

	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	rc = mdb_cursor_open(txn, ix->dbi, &cur);
	if (rc != 0) {
		store_read_end(st);
		return store_mdb_err(st, rc, errp);
	}
	buf_init(&kb);
	if (dir < 0)
		op = exact ? MDB_PREV_DUP : MDB_PREV;
	else
		op = exact ? MDB_NEXT_DUP : MDB_NEXT;
	rc = store_seek_start(cur, value != NULL ? &kv : NULL, id, flags, dir,
	    &key, &val);
	for (; rc == 0; rc = mdb_cursor_get(cur, &key, &val, op)) {
		struct record *rec;
		uint64_t rid;
		int stop;

		if ((exact && !store_key_eq(&key, &kv)) ||
		    (prefix && !store_key_has_prefix(&key, &kv)))
			break;
		if ((rid = store_unseal_id(&val)) == 0) {
			r = store_index_damaged(k, ix, &key, "校验和不符", 0,
			    errp);
			break;
		}
		mdbrc = 0;
		r = store_get_raw(txn, k->dbi, rid, &rv, &mdbrc);
		if (r == CX_NOTFOUND) {
			r = store_index_damaged(k, ix, &key, NULL, rid, errp);
			break;
		}
		if (r != CX_OK) {
			r = store_mdb_err(st, mdbrc, errp);
			break;
		}
		if ((r = store_decode(k->f, rid, &rv, "", &rec, errp)) != CX_OK)
			break;
		if ((exact || prefix) && vlen > STORE_INDEX_KEY_MAX) {
			/* The key was cut: match the record's whole value. */
			const char *v = record_get(rec, ix->ff->id);

			if (v == NULL || (exact ? strcmp(v, value) != 0 :
			    strncmp(v, value, vlen) != 0)) {
				record_free(rec);
				continue;
			}
		}
		buf_reset(&kb);
		buf_add(&kb, key.mv_data, key.mv_size);
		stop = fn(arg, k->f, kb.s, rec);
		record_free(rec);
		if (stop || (max != 0 && ++done >= max))
			break;
	}
	if (r == CX_OK && rc != 0 && rc != MDB_NOTFOUND)
		r = store_mdb_err(st, rc, errp);
	buf_free(&kb);
	mdb_cursor_close(cur);
	store_read_end(st);
	return r;
}

int
store_index_count(struct store *st, const struct form *f, const char *field,
    const char *value, size_t *n, char **errp)
{
	struct store_kind *k;
	struct store_index *ix;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	MDB_stat ms;
	size_t len;
	uint64_t *ids;
	int rc;

	*n = 0;
	if ((k = store_kind_of(st, f, errp)) == NULL)
		return CX_ERR;
	if ((ix = store_index_named(k, field, "计数", errp)) == NULL)
		return CX_ERR;
	if (!k->open || !ix->open)
		return CX_OK;
	len = value != NULL ? strlen(value) : 0;
	if (value != NULL && len == 0)
		return CX_OK;
	if (len > STORE_INDEX_KEY_MAX) {
		/* Cut keys may be shared: count what store_find finds. */
		if (store_find(st, f, field, value, &ids, n, errp) != CX_OK)
			return CX_ERR;
		free(ids);
		return CX_OK;
	}
	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	if (value == NULL) {
		rc = mdb_stat(txn, ix->dbi, &ms);
		if (rc == 0)
			*n = ms.ms_entries;
	} else if ((rc = mdb_cursor_open(txn, ix->dbi, &cur)) == 0) {
		key.mv_data = (void *)value;
		key.mv_size = len;
		rc = mdb_cursor_get(cur, &key, &val, MDB_SET_KEY);
		if (rc == 0)
			rc = mdb_cursor_count(cur, n);
		else if (rc == MDB_NOTFOUND)
			rc = 0;
		mdb_cursor_close(cur);
	}
	store_read_end(st);
	if (rc != 0) {
		*n = 0;
		return store_mdb_err(st, rc, errp);
	}
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Checking                                                            */
/* ------------------------------------------------------------------ */

struct store_maxid {
	const char	*kind;
	uint64_t	 max;
};

static void
store_check_walk_err(struct strlist *damage, const char *what, int rc)
{
	strlist_addf(damage, "%s：无法读完（%s），数据文件结构可能已损坏", what,
	    mdb_strerror(rc));
}

/* Every record of a kind decodes and has its index entries. */
static void
store_check_records(MDB_txn *txn, struct store_kind *k, uint64_t *maxid,
    struct strlist *damage)
{
	const char *label = k->f->label;
	MDB_cursor *cur, **icur;
	MDB_val key, val, ik, iv;
	unsigned char seal[STORE_SEAL_ID];
	int rc, op = MDB_FIRST;
	size_t j;

	if ((rc = mdb_cursor_open(txn, k->dbi, &cur)) != 0) {
		store_check_walk_err(damage, label, rc);
		return;
	}
	icur = xcalloc(k->nidx, sizeof *icur);
	for (j = 0; j < k->nidx; j++)
		if (k->idx[j].open && mdb_cursor_open(txn, k->idx[j].dbi,
		    &icur[j]) != 0)
			icur[j] = NULL;
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		struct record *rec;
		uint64_t id;

		op = MDB_NEXT;
		if (key.mv_size != 8) {
			strlist_addf(damage, "%s：有一个键长度不对（%zu 字节）的条目",
			    label, key.mv_size);
			continue;
		}
		id = util_get_be64(key.mv_data);
		if (id > *maxid)
			*maxid = id;
		if (codec_decode(val.mv_data, val.mv_size, &rec, NULL) != CX_OK) {
			strlist_addf(damage, "%s 编号 %llu：%s", label,
			    (unsigned long long)id, store_damage_cause(&val));
			continue;
		}
		store_seal_id(seal, id);
		for (j = 0; j < k->nidx; j++) {
			const char *v = record_get(rec, k->idx[j].ff->id);
			int irc = MDB_NOTFOUND;

			if (v == NULL || *v == '\0')
				continue;
			if (icur[j] != NULL) {
				ik.mv_data = (void *)v;
				ik.mv_size = store_cut(v, strlen(v));
				iv.mv_data = seal;
				iv.mv_size = sizeof seal;
				irc = mdb_cursor_get(icur[j], &ik, &iv, MDB_GET_BOTH);
			}
			if (irc != 0) {
				strlist_addf(damage, "%s 编号 %llu：缺少“%s”的索引条目",
				    label, (unsigned long long)id,
				    k->idx[j].ff->label);
			}
		}
		record_free(rec);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, label, rc);
	for (j = 0; j < k->nidx; j++)
		if (icur[j] != NULL)
			mdb_cursor_close(icur[j]);
	free(icur);
	mdb_cursor_close(cur);
}

/* Every index entry is sealed, points at a record that exists and holds
 * the value; a unique index has one record per value. */
static void
store_check_index(MDB_txn *txn, struct store_kind *k, struct store_index *ix,
    struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val, rv;
	char *what = xasprintf("索引 %s/%s", k->f->label, ix->ff->label);
	int rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(txn, ix->dbi, &cur)) != 0) {
		store_check_walk_err(damage, what, rc);
		free(what);
		return;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		char *show = store_show(key.mv_data, key.mv_size);
		uint64_t id = store_unseal_id(&val);
		struct record *rec;
		const char *v;
		int mdbrc = 0, r;

		op = MDB_NEXT;
		if (id == 0) {
			strlist_addf(damage, "%s：条目“%s”校验和不符", what, show);
			free(show);
			continue;
		}
		r = store_get_raw(txn, k->dbi, id, &rv, &mdbrc);
		if (r == CX_NOTFOUND) {
			strlist_addf(damage, "%s：条目“%s”指向的记录 编号 %llu 不存在",
			    what, show, (unsigned long long)id);
		} else if (r == CX_OK && codec_decode(rv.mv_data, rv.mv_size,
		    &rec, NULL) == CX_OK) {
			v = record_get(rec, ix->ff->id);
			if (v == NULL || store_cut(v, strlen(v)) != key.mv_size ||
			    memcmp(v, key.mv_data, key.mv_size) != 0) {
				strlist_addf(damage, "%s：条目“%s”与记录 编号 %llu "
				    "中的值不符", what, show, (unsigned long long)id);
			}
			record_free(rec);
		}
		free(show);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, what, rc);
	mdb_cursor_close(cur);
	free(what);
}

/* Counts the records under one key of a unique index that really hold
 * the same value: a key near the length limit may be a cut of several
 * different long values. */
static size_t
store_check_same(MDB_txn *txn, struct store_kind *k, struct store_index *ix,
    MDB_cursor *cur, size_t ndup)
{
	struct strlist vals;
	MDB_val key, val, rv;
	size_t i, j, most = 1, same;
	int rc, mdbrc = 0;

	strlist_init(&vals);
	rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST_DUP);
	for (i = 0; rc == 0 && i < ndup; i++) {
		uint64_t id = store_unseal_id(&val);
		struct record *rec;
		const char *v;

		if (id != 0 && store_get_raw(txn, k->dbi, id, &rv, &mdbrc) ==
		    CX_OK && codec_decode(rv.mv_data, rv.mv_size, &rec,
		    NULL) == CX_OK) {
			v = record_get(rec, ix->ff->id);
			strlist_add(&vals, v != NULL ? v : "");
			record_free(rec);
		}
		rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT_DUP);
	}
	for (i = 0; i < vals.n; i++) {
		same = 1;
		for (j = i + 1; j < vals.n; j++)
			if (strcmp(vals.v[i], vals.v[j]) == 0)
				same++;
		if (same > most)
			most = same;
	}
	strlist_free(&vals);
	return most;
}

static void
store_check_unique(MDB_txn *txn, struct store_kind *k, struct store_index *ix,
    struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST;
	size_t ndup;

	if (!ix->ff->unique || mdb_cursor_open(txn, ix->dbi, &cur) != 0)
		return;
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		op = MDB_NEXT_NODUP;
		if (mdb_cursor_count(cur, &ndup) != 0 || ndup < 2)
			continue;
		if (key.mv_size + 4 > STORE_INDEX_KEY_MAX)
			ndup = store_check_same(txn, k, ix, cur, ndup);
		if (ndup > 1) {
			char *show = store_show(key.mv_data, key.mv_size);

			strlist_addf(damage, "索引 %s/%s：“%s”应当唯一，却有 %zu 条"
			    "记录", k->f->label, ix->ff->label, show, ndup);
			free(show);
		}
	}
	mdb_cursor_close(cur);
}

static void
store_check_trash(struct store *st, MDB_txn *txn, struct store_maxid *mx,
    struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(txn, st->trash, &cur)) != 0) {
		store_check_walk_err(damage, "回收站", rc);
		return;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		const char *kb = key.mv_data;
		const char *nul = memchr(kb, '\0', key.mv_size);
		struct store_kind *k;
		struct record *rec;
		const struct form *f;
		uint64_t id;
		size_t klen;

		op = MDB_NEXT;
		klen = nul != NULL ? (size_t)(nul - kb) : 0;
		if (nul == NULL || klen == 0 || key.mv_size != klen + 9) {
			strlist_addf(damage, "回收站：有一个键格式不对的条目");
			continue;
		}
		f = store_form_of_kind(st, kb, klen, &k);
		if (f == NULL)
			continue;	/* a kind no longer in the forms */
		id = util_get_be64((const unsigned char *)kb + klen + 1);
		if (id > mx[k - st->kinds].max)
			mx[k - st->kinds].max = id;
		if (codec_decode(val.mv_data, val.mv_size, &rec, NULL) != CX_OK) {
			strlist_addf(damage, "回收站：%s 编号 %llu：%s", f->label,
			    (unsigned long long)id, store_damage_cause(&val));
			continue;
		}
		record_free(rec);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, "回收站", rc);
	mdb_cursor_close(cur);
}

/* Every old version of a record has a well-formed key and decodes. */
static void
store_check_hist(struct store *st, MDB_txn *txn, struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val;
	int rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(txn, st->hist, &cur)) != 0) {
		store_check_walk_err(damage, "历史版本", rc);
		return;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		const char *kb = key.mv_data;
		const char *nul = memchr(kb, '\0', key.mv_size);
		const unsigned char *ub = key.mv_data;
		const struct form *f;
		struct record *rec;
		size_t klen;

		op = MDB_NEXT;
		klen = nul != NULL ? (size_t)(nul - kb) : 0;
		if (nul == NULL || klen == 0 || key.mv_size != klen + 13) {
			strlist_addf(damage, "历史版本：有一个键格式不对的条目");
			continue;
		}
		f = store_form_of_kind(st, kb, klen, NULL);
		if (f == NULL)
			continue;	/* a kind no longer in the forms */
		if (codec_decode(val.mv_data, val.mv_size, &rec, NULL) != CX_OK) {
			strlist_addf(damage, "历史版本：%s 编号 %llu 第 %u 版：%s",
			    f->label, (unsigned long long)util_get_be64(ub +
			    klen + 1), (unsigned)store_get_be32(ub + klen + 9),
			    store_damage_cause(&val));
			continue;
		}
		record_free(rec);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, "历史版本", rc);
	mdb_cursor_close(cur);
}

/* Every global id names a record of its kind, live or in the bin, that
 * carries that global id. */
static void
store_check_gid(struct store *st, MDB_txn *txn, struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val, rv;
	struct buf tk;
	int rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(txn, st->gid, &cur)) != 0) {
		store_check_walk_err(damage, "全局编号", rc);
		return;
	}
	buf_init(&tk);
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		const char *kb = key.mv_data;
		const char *nul = memchr(kb, '\0', key.mv_size);
		struct store_kind *k = NULL;
		struct record *rec = NULL;
		const char *g;
		uint64_t id;
		size_t klen;
		char *gid;
		int gr, mrc = 0;

		op = MDB_NEXT;
		klen = nul != NULL ? (size_t)(nul - kb) : 0;
		if (nul == NULL || klen == 0 || key.mv_size == klen + 1) {
			strlist_addf(damage, "全局编号：有一个键格式不对的条目");
			continue;
		}
		if (store_form_of_kind(st, kb, klen, &k) == NULL || !k->open)
			continue;	/* a kind no longer in the forms */
		gid = store_show(kb + klen + 1, key.mv_size - klen - 1);
		if ((id = store_unseal_id(&val)) == 0) {
			strlist_addf(damage, "全局编号：%s“%s”的记录编号已损坏",
			    k->f->label, gid);
			free(gid);
			continue;
		}
		gr = store_get_raw(txn, k->dbi, id, &rv, &mrc);
		if (gr == CX_NOTFOUND && st->trash_open) {
			buf_reset(&tk);
			store_trash_key(&tk, k->f->kind, id);
			key.mv_data = tk.s;
			key.mv_size = tk.len;
			gr = mdb_get(txn, st->trash, &key, &rv) == 0 ? CX_OK :
			    CX_NOTFOUND;
		}
		if (gr != CX_OK)
			strlist_addf(damage, "全局编号：%s“%s”指向的编号 %llu 没有"
			    "记录", k->f->label, gid, (unsigned long long)id);
		else if (codec_decode(rv.mv_data, rv.mv_size, &rec,
		    NULL) == CX_OK && ((g = record_get(rec, "_gid")) == NULL ||
		    strcmp(g, gid) != 0))
			strlist_addf(damage, "全局编号：%s“%s”指向的编号 %llu 是"
			    "另一条记录", k->f->label, gid, (unsigned long long)id);
		record_free(rec);
		free(gid);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, "全局编号", rc);
	mdb_cursor_close(cur);
	buf_free(&tk);
}

static void
store_check_meta(struct store *st, MDB_txn *txn, struct store_maxid *mx,
    struct strlist *damage)
{
	MDB_cursor *cur;
	MDB_val key, val;
	bool format = false;
	int rc, op = MDB_FIRST;
	size_t i;

	if ((rc = mdb_cursor_open(txn, st->meta, &cur)) != 0) {
		store_check_walk_err(damage, "meta", rc);
		return;
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		char *k = store_show(key.mv_data, key.mv_size);
		long n = codec_unseal(val.mv_data, val.mv_size);

		op = MDB_NEXT;
		if (n < 0) {
			strlist_addf(damage, "meta：“%s”校验和不符", k);
		} else {
			char *v = xstrndup(val.mv_data, (size_t)n);
			uint64_t u;

			if (strcmp(k, "format") == 0) {
				format = true;
				if (!store_parse_u64(v, &u)) {
					strlist_addf(damage, "meta：“format”的值“%s”"
					    "无法识别", v);
				}
			} else if (strncmp(k, "seq:", 4) == 0) {
				for (i = 0; i < st->nkinds; i++)
					if (strcmp(st->kinds[i].f->kind, k + 4) == 0)
						break;
				if (!store_parse_u64(v, &u)) {
					strlist_addf(damage, "meta：“%s”的值“%s”不是数字",
					    k, v);
				} else if (i < st->nkinds && u < mx[i].max) {
					strlist_addf(damage, "meta：“%s”为 %llu，小于已用的"
					    "最大编号 %llu", k, (unsigned long long)u,
					    (unsigned long long)mx[i].max);
				}
			}
			free(v);
		}
		free(k);
	}
	if (rc != MDB_NOTFOUND)
		store_check_walk_err(damage, "meta", rc);
	mdb_cursor_close(cur);
	if (!format)
		strlist_addf(damage, "meta：缺少“format”");
}

int
store_check(struct store *st, struct strlist *damage, char **errp)
{
	struct store_maxid *mx;
	MDB_txn *txn;
	size_t i, j;

	if (store_read_begin(st, &txn, errp) != CX_OK)
		return CX_ERR;
	mx = xcalloc(st->nkinds, sizeof *mx);
	for (i = 0; i < st->nkinds; i++) {
		struct store_kind *k = &st->kinds[i];

		mx[i].kind = k->f->kind;
		if (!k->open)
			continue;
		store_check_records(txn, k, &mx[i].max, damage);
		for (j = 0; j < k->nidx; j++) {
			if (!k->idx[j].open)
				continue;
			store_check_index(txn, k, &k->idx[j], damage);
			store_check_unique(txn, k, &k->idx[j], damage);
		}
	}
	if (st->trash_open)
		store_check_trash(st, txn, mx, damage);
	if (st->hist_open)
		store_check_hist(st, txn, damage);
	if (st->gid_open)
		store_check_gid(st, txn, damage);
	if (st->meta_open)
		store_check_meta(st, txn, mx, damage);
	else
		strlist_addf(damage, "meta：缺少“format”");
	free(mx);
	store_read_end(st);
	return CX_OK;
}

/* ------------------------------------------------------------------ */
/* Snapshots and loading (export and import)                           */
/* ------------------------------------------------------------------ */

int
store_snapshot_begin(struct store *st, char **errp)
{
	MDB_txn *txn;

	return store_read_begin(st, &txn, errp);
}

void
store_snapshot_end(struct store *st)
{
	store_read_end(st);
}

struct store_load_arg {
	const struct store_load_item	*items;
	size_t				 n;
	struct store_kind		**kinds;	/* per item */
	uint64_t			*maxid;		/* per kind of st */
	char				 now[20];
};

/* Takes the live copy of a record out of its kind, with its index
 * entries (a damaged copy's entries are found by id). */
static int
store_load_unlive(MDB_txn *txn, struct store_kind *k, uint64_t id,
    int *mdbrc)
{
	struct record *old = NULL;
	unsigned char kb[8];
	MDB_val key, val;
	size_t j;
	int r;

	r = store_get_raw(txn, k->dbi, id, &val, mdbrc);
	if (r != CX_OK)
		return r == CX_NOTFOUND ? CX_OK : CX_ERR;
	if (codec_decode(val.mv_data, val.mv_size, &old, NULL) != CX_OK)
		old = NULL;
	for (j = 0; j < k->nidx; j++) {
		const char *v = old != NULL ? record_get(old, k->idx[j].ff->id) :
		    NULL;

		if (old == NULL)
			r = store_index_purge(txn, &k->idx[j], id, mdbrc);
		else if (v != NULL)
			r = store_index_del(txn, &k->idx[j], v, id, mdbrc);
		if (r != CX_OK) {
			record_free(old);
			return CX_ERR;
		}
	}
	record_free(old);
	util_put_be64(kb, id);
	key.mv_data = kb;
	key.mv_size = sizeof kb;
	if ((*mdbrc = mdb_del(txn, k->dbi, &key, NULL)) != 0)
		return CX_ERR;
	return CX_OK;
}

/* Whether the store still is as the import planned it (see
 * store_load_item). */
static int
store_load_still(struct store *st, MDB_txn *txn, struct store_kind *k,
    MDB_val *tkey, const struct store_load_item *it, int *mdbrc,
    char **errp)
{
	struct record *cur = NULL;
	MDB_val val;
	bool there;
	int r, rc;

	r = store_get_raw(txn, k->dbi, it->rec->id, &val, mdbrc);
	if (r == CX_ERR)
		return CX_ERR;
	if (r == CX_NOTFOUND) {
		rc = mdb_get(txn, st->trash, tkey, &val);
		if (rc != 0 && rc != MDB_NOTFOUND) {
			*mdbrc = rc;
			return CX_ERR;
		}
		r = rc == 0 ? CX_OK : CX_NOTFOUND;
	}
	there = r == CX_OK;
	if (there && codec_decode(val.mv_data, val.mv_size, &cur, NULL) !=
	    CX_OK)
		cur = NULL;
	if (it->fresh ? there : !there || !util_same(cur != NULL ?
	    record_get(cur, "_rev") : NULL, it->expect)) {
		record_free(cur);
		err_set(errp, "导入期间%s记录（编号 %llu）被其他程序修改了，"
		    "为了不覆盖那次修改，导入没有进行。请重新导入。", k->f->label,
		    (unsigned long long)it->rec->id);
		return CX_CONFLICT;
	}
	record_free(cur);
	return CX_OK;
}

static int
store_load_cb(struct store *st, MDB_txn *txn, void *arg, int *mdbrc,
    char **errp)
{
	struct store_load_arg *a = arg;
	struct store_batch b;
	struct buf tk;
	MDB_val key, val;
	size_t i;
	int r = CX_ERR, rc;

	store_batch_init(st, &b, a->now);
	b.load = true;
	buf_init(&tk);
	memset(a->maxid, 0, st->nkinds * sizeof *a->maxid);
	for (i = 0; i < a->n; i++) {
		const struct store_load_item *it = &a->items[i];
		struct store_kind *k = a->kinds[i];
		uint64_t id = it->rec->id;

		if (id > a->maxid[k - st->kinds])
			a->maxid[k - st->kinds] = id;
		buf_reset(&tk);
		store_trash_key(&tk, k->f->kind, id);
		key.mv_data = tk.s;
		key.mv_size = tk.len;
		if (it->check && (r = store_load_still(st, txn, k, &key, it,
		    mdbrc, errp)) != CX_OK)
			goto out;
		r = CX_ERR;
		if (it->history != NULL && store_hist_one(st, txn, &b, k,
		    it->history, mdbrc, errp) != CX_OK)
			goto out;
		{
			size_t h;

			for (h = 0; h < it->nmore_history; h++)
				if (store_hist_one(st, txn, &b, k,
				    it->more_history[h], mdbrc, errp) != CX_OK)
					goto out;
		}
		rc = mdb_del(txn, st->trash, &key, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND) {
			*mdbrc = rc;
			goto out;
		}
		if (!it->trash) {
			struct record *copy = record_copy(it->rec);
			int pr;

			copy->id = id;
			copy->form_version = it->rec->form_version;
			pr = store_put_one(st, txn, &b, k, copy, id, false,
			    NULL, mdbrc, errp);
			record_free(copy);
			if (pr != CX_OK) {
				if (*mdbrc == 0)
					err_prefix(errp, "%s记录（编号 %llu）：",
					    k->f->label, (unsigned long long)id);
				goto out;
			}
			continue;
		}
		if (store_load_unlive(txn, k, id, mdbrc) != CX_OK ||
		    store_gid_put(st, txn, &b, k, it->rec, id, mdbrc,
		    errp) != CX_OK)
			goto out;
		buf_reset(&b.enc);
		codec_encode(it->rec, &b.enc);
		val.mv_data = b.enc.s;
		val.mv_size = b.enc.len;
		if ((*mdbrc = mdb_put(txn, st->trash, &key, &val, 0)) != 0)
			goto out;
	}
	for (i = 0; i < st->nkinds; i++) {
		char *key, *v = NULL;
		uint64_t seq = 0;
		bool known;

		if (a->maxid[i] == 0)
			continue;
		/* A kind with no counter yet gets one: store_seq_read's
		 * stand-in (the largest id in use) already sees the records
		 * just put, and the import's own id planning reads the
		 * counter alone (archive_localize). */
		key = xasprintf("seq:%s", st->kinds[i].f->kind);
		known = store_meta_read(st, txn, key, &v, NULL) == CX_OK &&
		    store_parse_u64(v, &seq);
		free(key);
		free(v);
		if (!known && store_seq_read(st, txn, &st->kinds[i], &seq,
		    mdbrc) != CX_OK)
			goto out;
		if (a->maxid[i] > seq)
			seq = a->maxid[i];
		else if (known)
			continue;
		if (store_seq_write(st, txn, &st->kinds[i], seq, mdbrc) != CX_OK)
			goto out;
	}
	r = CX_OK;
out:
	store_batch_free(&b);
	buf_free(&tk);
	return r;
}

int
store_load(struct store *st, const struct store_load_item *items, size_t n,
    char **errp)
{
	struct store_load_arg a;
	size_t i;
	int r;

	if (n == 0)
		return CX_OK;
	if (st->readonly)
		return err_set(errp, STORE_MSG_READONLY);
	memset(&a, 0, sizeof a);
	a.kinds = xcalloc(n, sizeof *a.kinds);
	for (i = 0; i < n; i++) {
		if ((a.kinds[i] = store_kind_of(st, items[i].f, errp)) == NULL) {
			free(a.kinds);
			return CX_ERR;
		}
		if (items[i].rec->id == 0) {
			free(a.kinds);
			return err_set(errp, "程序内部错误：导入的记录没有编号。");
		}
	}
	a.items = items;
	a.n = n;
	a.maxid = xcalloc(st->nkinds, sizeof *a.maxid);
	store_now(a.now);
	r = store_write(st, store_load_cb, &a, errp);
	free(a.kinds);
	free(a.maxid);
	return r;
}
