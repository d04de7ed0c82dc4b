/* check.c: the full data check in a child process (see check.h). */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>

#include "check.h"
#include "formdef.h"
#include "store.h"
#include "util.h"

#define CHECK_MAXDBS		4096
#define CHECK_MAP_ALIGN		((size_t)64 * 1024)
#define CHECK_MAP_MIN		((size_t)16 * 1024 * 1024)
#define CHECK_BROKEN		"，数据文件的结构已损坏"

struct check {
	pid_t			 pid;
	int			 fd;		/* read end; -1 after EOF */
	int			 timeout_ms;
	double			 deadline;	/* monotonic ms; 0 = none */
	bool			 finished;	/* the child said "K" */
	bool			 reaped;
	int			 status;	/* from waitpid */
	struct buf		 in;		/* bytes of an unfinished line */
	struct check_result	 res;
};

static double
check_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

/* What the child has found, and where it writes it. */
struct check_child {
	int			 fd;
	const char		*dir;
	const struct formset	*fs;
	struct strlist		 names;		/* named databases seen */
	volatile unsigned	 sum;		/* keeps the reads from being
						 * optimised away */
};

static void
check_write(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(1);	/* the parent is gone */
		s += w;
		n -= (size_t)w;
	}
}

/* Sends one line "TAG\ttext"; backslashes and line breaks in text are
 * escaped. */
static void
check_send(struct check_child *c, char tag, const char *text)
{
	struct buf b;

	buf_init(&b);
	buf_addc(&b, tag);
	if (text != NULL) {
		buf_addc(&b, '\t');
		for (; *text != '\0'; text++) {
			if (*text == '\\')
				buf_addstr(&b, "\\\\");
			else if (*text == '\n')
				buf_addstr(&b, "\\n");
			else
				buf_addc(&b, *text);
		}
	}
	buf_addc(&b, '\n');
	check_write(c->fd, b.s, b.len);
	buf_free(&b);
}

static void CX_PRINTF(2, 3)
check_damage(struct check_child *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	check_send(c, 'D', s);
	free(s);
}

/* A database's name for people: "党员记录（rec:member）". */
static char *
check_db_label(const struct formset *fs, const char *name)
{
	const struct form *f;
	const char *colon;
	char *kind;

	if (name == NULL)
		return xstrdup("数据库目录");
	if (strcmp(name, "meta") == 0)
		return xstrdup("设置（meta）");
	if (strcmp(name, "trash") == 0)
		return xstrdup("回收站（trash）");
	if (strcmp(name, "hist") == 0)
		return xstrdup("历史版本（hist）");
	if (strncmp(name, "rec:", 4) == 0 &&
	    (f = formset_find(fs, name + 4)) != NULL)
		return xasprintf("%s记录（%s）", f->label, name);
	if (strncmp(name, "idx:", 4) == 0 &&
	    (colon = strchr(name + 4, ':')) != NULL) {
		kind = xstrndup(name + 4, (size_t)(colon - name - 4));
		f = formset_find(fs, kind);
		free(kind);
		if (f != NULL) {
			const struct form_field *ff = form_field_find(f,
			    colon + 1);

			if (ff != NULL)
				return xasprintf("索引 %s/%s（%s）", f->label,
				    ff->label, name);
		}
	}
	return xasprintf("数据库“%s”", name);
}

/* Shows bytes that should be a name: printable ASCII as is, others as
 * \xNN. */
static char *
check_show_bytes(const MDB_val *v)
{
	const unsigned char *p = v->mv_data;
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < v->mv_size && i < 64; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			buf_addc(&b, (char)p[i]);
		else
			buf_addf(&b, "\\x%02x", p[i]);
	}
	return buf_take(&b);
}

static unsigned
check_touch(const MDB_val *v)
{
	const unsigned char *p = v->mv_data;
	unsigned s = 0;
	size_t i;

	/* One byte per 64 is enough to fault in every page. */
	for (i = 0; i < v->mv_size; i += 64)
		s += p[i];
	if (v->mv_size > 0)
		s += p[v->mv_size - 1];
	return s;
}

/* The free-page list: key a transaction id, value a count and that many
 * page numbers, all below the last page in use.  LMDB reuses the pages it
 * lists, so a damaged list would damage live data at the next write. */
static bool
check_free_entry(const MDB_val *key, const MDB_val *val, size_t last_pg)
{
	const unsigned char *p = val->mv_data;
	size_t n, pg, i;

	if (key->mv_size != sizeof(size_t) || val->mv_size < sizeof(size_t) ||
	    val->mv_size % sizeof(size_t) != 0)
		return false;
	memcpy(&n, p, sizeof n);
	if (n != val->mv_size / sizeof(size_t) - 1)
		return false;
	for (i = 1; i <= n; i++) {
		memcpy(&pg, p + i * sizeof pg, sizeof pg);
		if (pg < 2 || pg > last_pg)
			return false;
	}
	return true;
}

/* Walks one database from first to last entry.  Returns false when the
 * walk could not be completed. */
static bool
check_walk_db(struct check_child *c, MDB_txn *txn, MDB_dbi dbi,
    const char *label, size_t last_pg)
{
	MDB_cursor *cur;
	MDB_val key, val, pkey, pval;
	MDB_stat ms;
	unsigned flags = 0;
	bool dup, disorder = false, badfree = false;
	size_t n = 0;
	int rc, op = MDB_FIRST, cmp;

	mdb_dbi_flags(txn, dbi, &flags);
	dup = (flags & MDB_DUPSORT) != 0;
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0) {
		check_damage(c, "%s：无法读取（%s）" CHECK_BROKEN, label,
		    mdb_strerror(rc));
		return false;
	}
	memset(&pkey, 0, sizeof pkey);
	memset(&pval, 0, sizeof pval);
	while ((rc = mdb_cursor_get(cur, &key, &val, op)) == 0) {
		op = MDB_NEXT;
		c->sum += check_touch(&key) + check_touch(&val);
		if (n > 0 && !disorder) {
			cmp = mdb_cmp(txn, dbi, &pkey, &key);
			if (cmp > 0 || (cmp == 0 && (!dup ||
			    mdb_dcmp(txn, dbi, &pval, &val) >= 0))) {
				check_damage(c, "%s：第 %zu 条的顺序不对"
				    CHECK_BROKEN, label, n + 1);
				disorder = true;
			}
		}
		if (dbi == 0 && !badfree && !check_free_entry(&key, &val,
		    last_pg)) {
			check_damage(c, "%s：第 %zu 条不对" CHECK_BROKEN, label,
			    n + 1);
			badfree = true;
		}
		pkey = key;
		pval = val;
		n++;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND) {
		check_damage(c, "%s：读到第 %zu 条后无法读下去（%s）" CHECK_BROKEN,
		    label, n, mdb_strerror(rc));
		return false;
	}
	if ((rc = mdb_stat(txn, dbi, &ms)) == 0 && ms.ms_entries != n) {
		check_damage(c, "%s：记着 %zu 条，实际读出 %zu 条" CHECK_BROKEN,
		    label, ms.ms_entries, n);
	}
	return true;
}

static bool
check_writable(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool yes = access(p, F_OK) != 0 || access(p, W_OK) == 0;

	free(p);
	return yes;
}

/* Step 1: every page LMDB can reach, with an environment of our own. */
static void
check_child_walk(struct check_child *c)
{
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_cursor *cur;
	MDB_envinfo info;
	MDB_stat est;
	MDB_dbi main, dbi;
	MDB_val key, val;
	struct stat sb;
	size_t map = CHECK_MAP_MIN, i, psize = 0;
	char *path, *label;
	bool nolock;
	int rc;

	path = xasprintf("%s/data.mdb", c->dir);
	if (stat(path, &sb) == 0 && (uintmax_t)sb.st_size > map)
		map = ((size_t)sb.st_size + CHECK_MAP_ALIGN - 1) /
		    CHECK_MAP_ALIGN * CHECK_MAP_ALIGN;
	free(path);
	/* As store_open: without write access there is no reader table;
	 * with it, a writer cannot reuse the pages read here meanwhile. */
	nolock = access(c->dir, W_OK) != 0 ||
	    !check_writable(c->dir, "data.mdb") ||
	    !check_writable(c->dir, "lock.mdb");
	if ((rc = mdb_env_create(&env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(env, CHECK_MAXDBS)) != 0 ||
	    (rc = mdb_env_set_mapsize(env, map)) != 0 ||
	    (rc = mdb_env_open(env, c->dir, MDB_RDONLY |
	    (nolock ? MDB_NOLOCK : 0), 0666)) != 0) {
		if (store_fs_refuses(rc)) {
			char *m = store_fs_refusal(c->dir);

			check_send(c, 'E', m);
			free(m);
		} else
			check_damage(c, "数据文件无法打开（%s）" CHECK_BROKEN,
			    mdb_strerror(rc));
		goto done;
	}
	if (mdb_env_info(env, &info) == 0 && mdb_env_stat(env, &est) == 0) {
		psize = est.ms_psize;
		path = xasprintf("%s/data.mdb", c->dir);
		if (stat(path, &sb) == 0 && (uintmax_t)sb.st_size <
		    ((uintmax_t)info.me_last_pgno + 1) * psize) {
			check_damage(c, "数据文件比它记着的短（%jd 字节，应至少 "
			    "%ju 字节），可能没有写完或被截断" CHECK_BROKEN,
			    (intmax_t)sb.st_size,
			    ((uintmax_t)info.me_last_pgno + 1) * psize);
		}
		free(path);
	} else
		info.me_last_pgno = (size_t)-1;
	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, NULL, 0, &main)) != 0) {
		check_damage(c, "数据文件无法读取（%s）" CHECK_BROKEN,
		    mdb_strerror(rc));
		goto done;
	}
	(void)check_walk_db(c, txn, 0, "空闲页列表", info.me_last_pgno);
	if (!check_walk_db(c, txn, main, "数据库目录", info.me_last_pgno))
		goto done;

	/* The names of the named databases. */
	if ((rc = mdb_cursor_open(txn, main, &cur)) != 0)
		goto done;
	for (rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) {
		if (key.mv_size == 0 || memchr(key.mv_data, '\0',
		    key.mv_size) != NULL) {
			char *show = check_show_bytes(&key);

			check_damage(c, "数据库目录：有一个名称不对的条目“%s”"
			    CHECK_BROKEN, show);
			free(show);
			continue;
		}
		strlist_take(&c->names, xstrndup(key.mv_data, key.mv_size));
	}
	mdb_cursor_close(cur);

	for (i = 0; i < c->names.n; i++) {
		label = check_db_label(c->fs, c->names.v[i]);
		rc = mdb_dbi_open(txn, c->names.v[i], 0, &dbi);
		if (rc == MDB_DBS_FULL) {
			check_damage(c, "数据库目录：条目太多（超过 %d 个）"
			    CHECK_BROKEN, CHECK_MAXDBS);
			free(label);
			break;
		}
		if (rc != 0) {
			check_damage(c, "%s：无法打开（%s）" CHECK_BROKEN, label,
			    mdb_strerror(rc));
		} else
			(void)check_walk_db(c, txn, dbi, label,
			    info.me_last_pgno);
		free(label);
	}

done:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
}

static bool
check_has_name(const struct check_child *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->names.n; i++)
		if (strcmp(c->names.v[i], name) == 0)
			return true;
	return false;
}

/* Step 2: the store's own check, and the record counts. */
static void
check_child_store(struct check_child *c)
{
	struct store *st;
	struct strlist damage;
	char *err = NULL, *seq, *name, *v;
	size_t i, n;

	if (store_open(c->dir, c->fs, STORE_READONLY, NULL, &st, &err) !=
	    CX_OK) {
		check_damage(c, "无法打开数据：%s", err != NULL ? err : "");
		free(err);
		return;
	}
	strlist_init(&damage);
	if (store_check(st, &damage, &err) != CX_OK) {
		check_damage(c, "无法检查：%s", err != NULL ? err : "");
		free(err);
		err = NULL;
	}
	for (i = 0; i < damage.n; i++)
		check_send(c, 'D', damage.v[i]);
	strlist_free(&damage);

	for (i = 0; i < c->fs->n; i++) {
		const struct form *f = c->fs->forms[i];
		char line[64];

		/* Ids were given out, yet the records' database is gone: its
		 * entry in the database directory was damaged (a read-only
		 * open would show the kind as empty). */
		name = xasprintf("rec:%s", f->kind);
		seq = xasprintf("seq:%s", f->kind);
		if (c->names.n > 0 && !check_has_name(c, name) &&
		    store_meta_get(st, seq, &v, NULL) == CX_OK) {
			if (strcmp(v, "0") != 0) {
				check_damage(c, "%s记录的数据库（%s）不见了，但"
				    "已经编过号（%s 为 %s）" CHECK_BROKEN,
				    f->label, name, seq, v);
			}
			free(v);
		}
		free(seq);
		free(name);
		if (store_count(st, f, &n, NULL) != CX_OK)
			n = 0;
		snprintf(line, sizeof line, "%zu\t%zu", i, n);
		check_send(c, 'N', line);
	}
	store_close(st);
}

static void
check_child_main(int fd, const char *dir, const struct formset *fs)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	    SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE };
	struct check_child c;
	char *err = NULL;
	size_t i;
	int null;

	/* The parent's handlers (the full-screen program's resets the
	 * terminal) must not run here: a crash is the message. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	/* Whatever liblmdb or a sanitizer prints must not reach the
	 * parent's screen. */
	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	memset(&c, 0, sizeof c);
	c.fd = fd;
	c.dir = dir;
	c.fs = fs;
	strlist_init(&c.names);
	if (store_probe(dir, &err) != CX_OK) {
		check_send(&c, 'E', err);
		check_send(&c, 'K', NULL);
		_exit(0);
	}
	check_child_walk(&c);
	check_child_store(&c);
	check_send(&c, 'K', NULL);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

static char *
check_unescape(const char *s)
{
	struct buf b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] == 'n') {
			buf_addc(&b, '\n');
			s++;
		} else if (*s == '\\' && s[1] == '\\') {
			buf_addc(&b, '\\');
			s++;
		} else
			buf_addc(&b, *s);
	}
	return buf_take(&b);
}

static void
check_line(struct check *ck, char *line)
{
	struct check_result *r = &ck->res;
	const char *text = line[0] != '\0' && line[1] == '\t' ? line + 2 : "";
	unsigned long long i, n;

	switch (line[0]) {
	case 'D':
		strlist_take(&r->damage, check_unescape(text));
		break;
	case 'E':
		free(r->error);
		r->error = check_unescape(text);
		break;
	case 'N':
		if (sscanf(text, "%llu\t%llu", &i, &n) == 2 &&
		    i < r->ncounts) {
			if (r->counts == NULL)
				r->counts = xcalloc(r->ncounts, sizeof *r->counts);
			r->counts[i] = (size_t)n;
		}
		break;
	case 'K':
		ck->finished = true;
		break;
	default:
		break;
	}
}

/* Reads what is there; at end of file closes the pipe. */
static void
check_read(struct check *ck)
{
	char chunk[4096], *nl;
	ssize_t got;
	size_t used;

	while (ck->fd >= 0) {
		got = read(ck->fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (got <= 0) {
			close(ck->fd);
			ck->fd = -1;
			break;
		}
		buf_add(&ck->in, chunk, (size_t)got);
	}
	used = 0;
	while (ck->in.len > used &&
	    (nl = memchr(ck->in.s + used, '\n', ck->in.len - used)) != NULL) {
		*nl = '\0';
		check_line(ck, ck->in.s + used);
		used = (size_t)(nl - ck->in.s) + 1;
	}
	if (used > 0) {
		memmove(ck->in.s, ck->in.s + used, ck->in.len - used);
		ck->in.len -= used;
		ck->in.s[ck->in.len] = '\0';
	}
}

static void
check_reap(struct check *ck, bool wait)
{
	pid_t r;

	if (ck->reaped)
		return;
	do
		r = waitpid(ck->pid, &ck->status, wait ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == ck->pid)
		ck->reaped = true;
	else if (r < 0) {
		/* Reaped elsewhere (SIGCHLD ignored): judge by the pipe. */
		ck->reaped = true;
		ck->status = 0;
	}
}

static void
check_kill(struct check *ck)
{
	if (!ck->reaped) {
		kill(ck->pid, SIGKILL);
		check_reap(ck, true);
	}
	if (ck->fd >= 0) {
		close(ck->fd);
		ck->fd = -1;
	}
}

int
check_start(const char *dir, const struct formset *fs, int timeout_ms,
    struct check **out, char **errp)
{
	struct check *ck;
	int p[2];
	pid_t pid;

	*out = NULL;
	if (pipe(p) != 0) {
		return err_set(errp, "无法开始检查数据：%s。请关闭其他程序后再试。",
		    util_strerror(errno));
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return err_set(errp, "无法开始检查数据：%s。请关闭其他程序后再试。",
		    util_strerror(errno));
	}
	if (pid == 0) {
		close(p[0]);
		check_child_main(p[1], dir, fs);
		_exit(1);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	ck = xcalloc(1, sizeof *ck);
	ck->pid = pid;
	ck->fd = p[0];
	ck->timeout_ms = timeout_ms;
	ck->deadline = timeout_ms > 0 ? check_now_ms() + timeout_ms : 0;
	buf_init(&ck->in);
	strlist_init(&ck->res.damage);
	ck->res.ncounts = fs->n;
	*out = ck;
	return CX_OK;
}

bool
check_poll(struct check *ck)
{
	check_read(ck);
	if (ck->fd < 0)
		check_reap(ck, false);
	if (ck->fd < 0 && ck->reaped)
		return true;
	if (ck->deadline > 0 && check_now_ms() >= ck->deadline) {
		ck->res.timed_out = true;
		check_kill(ck);
		return true;
	}
	return false;
}

static const char *
check_signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV，非法访问内存";
	case SIGBUS:
		return "SIGBUS，总线错误";
	case SIGABRT:
		return "SIGABRT，程序中止";
	case SIGFPE:
		return "SIGFPE，算术错误";
	case SIGILL:
		return "SIGILL，非法指令";
	case SIGKILL:
		return "SIGKILL，被强行结束";
	default:
		return NULL;
	}
}

/* Turns how the child ended into the verdict. */
static void
check_judge(struct check *ck)
{
	struct check_result *r = &ck->res;
	const char *name;

	if (r->timed_out) {
		strlist_addf(&r->damage, "检查在 %d 秒内没有完成，已停止：读取数据"
		    "文件时陷入了循环，数据文件可能已严重损坏", ck->timeout_ms / 1000);
	} else if (WIFSIGNALED(ck->status)) {
		r->crashed = true;
		r->signal = WTERMSIG(ck->status);
		name = check_signal_name(r->signal);
		if (name != NULL) {
			strlist_addf(&r->damage, "读取数据文件时程序崩溃（信号 %s）："
			    "数据文件已严重损坏", name);
		} else {
			strlist_addf(&r->damage, "读取数据文件时程序崩溃（信号 %d）："
			    "数据文件已严重损坏", r->signal);
		}
	} else if (!ck->finished || (WIFEXITED(ck->status) &&
	    WEXITSTATUS(ck->status) != 0)) {
		r->crashed = true;
		strlist_addf(&r->damage, "读取数据文件时程序异常退出（退出状态 %d）："
		    "数据文件可能已严重损坏", WIFEXITED(ck->status) ?
		    WEXITSTATUS(ck->status) : -1);
	}
	if (r->error != NULL && !r->crashed && !r->timed_out)
		r->verdict = CHECK_FAILED;
	else if (r->damage.n > 0)
		r->verdict = CHECK_DAMAGED;
	else
		r->verdict = CHECK_CLEAN;
}

void
check_finish(struct check *ck, struct check_result *res)
{
	struct pollfd pfd;
	double left;
	int ms;

	while (!check_poll(ck)) {
		if (ck->fd < 0) {
			/* The pipe is closed: the child is ending. */
			check_reap(ck, true);
			continue;
		}
		ms = -1;
		if (ck->deadline > 0) {
			left = ck->deadline - check_now_ms();
			ms = left < 0 ? 0 : (int)left + 1;
		}
		pfd.fd = ck->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		(void)poll(&pfd, 1, ms);
	}
	check_judge(ck);
	*res = ck->res;
	buf_free(&ck->in);
	free(ck);
}

void
check_cancel(struct check *ck)
{
	if (ck == NULL)
		return;
	check_kill(ck);
	ck->res.timed_out = false;
	check_result_free(&ck->res);
	buf_free(&ck->in);
	free(ck);
}

void
check_run(const char *dir, const struct formset *fs, int timeout_ms,
    struct check_result *res)
{
	struct check *ck;
	char *err = NULL;

	if (check_start(dir, fs, timeout_ms, &ck, &err) != CX_OK) {
		memset(res, 0, sizeof *res);
		strlist_init(&res->damage);
		res->verdict = CHECK_FAILED;
		res->error = err;
		return;
	}
	check_finish(ck, res);
}

void
check_result_free(struct check_result *res)
{
	strlist_free(&res->damage);
	free(res->error);
	free(res->counts);
	memset(res, 0, sizeof *res);
}
