/* util.c: allocation, buffers, string lists and error messages. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

static void
util_oom(size_t n)
{
	fprintf(stderr, "cxzy: 内存不足（申请 %zu 字节失败），程序无法继续。"
	    "已保存的数据不受影响。\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		util_oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		util_oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		util_oom(n);
	return q;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / size)
		util_oom(SIZE_MAX);
	*cap = ncap;
	return xrealloc(p, ncap * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return xstrdup("?");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int
err_set(char **errp, const char *fmt, ...)
{
	va_list ap;

	if (errp == NULL)
		return CX_ERR;
	free(*errp);
	va_start(ap, fmt);
	*errp = xvasprintf(fmt, ap);
	va_end(ap);
	return CX_ERR;
}

void
err_prefix(char **errp, const char *fmt, ...)
{
	va_list ap;
	char *pre, *msg;

	if (errp == NULL)
		return;
	va_start(ap, fmt);
	pre = xvasprintf(fmt, ap);
	va_end(ap);
	msg = xasprintf("%s%s", pre, *errp ? *errp : "");
	free(pre);
	free(*errp);
	*errp = msg;
}

void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	buf_addstr(b, p);
	free(p);
}

char *
buf_take(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	buf_init(b);
	return s;
}

void
strlist_init(struct strlist *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void
strlist_free(struct strlist *l)
{
	strv_free(l->v, l->n);
	strlist_init(l);
}

void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
strlist_take(struct strlist *l, char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_take(l, xstrdup(s));
}

void
strlist_addf(struct strlist *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strlist_take(l, xvasprintf(fmt, ap));
	va_end(ap);
}

char *
util_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

bool
util_path_exists(const char *dir, const char *name)
{
	char *p = util_path(dir, name);
	struct stat sb;
	bool yes = stat(p, &sb) == 0;

	free(p);
	return yes;
}

bool
util_path_writable(const char *dir, const char *name)
{
	char *p = util_path(dir, name);
	bool yes = access(p, F_OK) != 0 || access(p, W_OK) == 0;

	free(p);
	return yes;
}

int
util_read_file(const char *path, char **out, size_t *len, char **errp)
{
	FILE *f;
	struct buf b;
	char chunk[8192];
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL)
		return err_set(errp, "无法打开文件“%s”：%s", path, util_strerror(errno));
	buf_init(&b);
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		buf_free(&b);
		return err_set(errp, "读取文件“%s”失败：%s", path, util_strerror(e));
	}
	fclose(f);
	if (len != NULL)
		*len = b.len;
	*out = buf_take(&b);
	return CX_OK;
}

void
util_put_be64(unsigned char out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t
util_get_be64(const unsigned char in[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | in[i];
	return v;
}

bool
util_same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

bool
util_parse_id(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	bool any = false;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		any = true;
	}
	while (*s == ' ')
		s++;
	if (!any || *s != '\0' || v == 0)
		return false;
	*out = v;
	return true;
}

/* The per-process secret of util_token. */
static uint64_t util_secret[2];
static bool util_secret_set;

static uint64_t
util_mix64(uint64_t z)
{
	/* splitmix64's finaliser: every input bit affects every output
	 * bit. */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
util_secret_init(void)
{
	const char *seed = getenv("CXZY_RANDOM_SEED");
	unsigned char b[16];
	size_t got = 0;
	int i;

	util_secret_set = true;
	if (seed != NULL && *seed != '\0') {
		uint64_t h = 0xcbf29ce484222325ULL;

		for (; *seed != '\0'; seed++)
			h = (h ^ (unsigned char)*seed) * 0x100000001b3ULL;
		util_secret[0] = util_mix64(h);
		util_secret[1] = util_mix64(h ^ 0x9e3779b97f4a7c15ULL);
		return;
	}
#ifdef HAVE_GETRANDOM
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
#endif
	if (got < sizeof b) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		got = 0;
		while (fd >= 0 && got < sizeof b) {
			ssize_t n = read(fd, b + got, sizeof b - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (fd >= 0)
			close(fd);
	}
	if (got < sizeof b) {
		/* No random source at all: the time and process make the
		 * secret unique enough for one PC. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		util_secret[0] = util_mix64((uint64_t)ts.tv_sec ^
		    ((uint64_t)getpid() << 32));
		util_secret[1] = util_mix64((uint64_t)ts.tv_nsec ^
		    util_secret[0]);
		return;
	}
	for (i = 0; i < 8; i++) {
		util_secret[0] = (util_secret[0] << 8) | b[i];
		util_secret[1] = (util_secret[1] << 8) | b[8 + i];
	}
}

void
util_token(char out[UTIL_TOKEN_LEN + 1], const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h[2];
	size_t i;
	int j;

	if (!util_secret_set)
		util_secret_init();
	/* Two FNV-1a lanes over secret and data, each finished with the
	 * 64-bit mixer: not cryptographic, but with a random secret no two
	 * tokens of different data or different processes meet. */
	h[0] = 0xcbf29ce484222325ULL ^ util_secret[0];
	h[1] = 0x84222325cbf29ce4ULL ^ util_secret[1];
	for (i = 0; i < n; i++) {
		h[0] = (h[0] ^ p[i]) * 0x100000001b3ULL;
		h[1] = (h[1] ^ p[i]) * 0x100000001b3ULL;
		h[1] ^= h[0] >> 29;
	}
	h[0] = util_mix64(h[0] ^ util_mix64(h[1] + n));
	h[1] = util_mix64(h[1] ^ util_mix64(h[0] ^ util_secret[0]));
	for (j = 0; j < 2; j++)
		snprintf(out + 16 * j, 17, "%016llx", (unsigned long long)h[j]);
}

bool
util_is_token(const char *s)
{
	size_t i;

	for (i = 0; i < UTIL_TOKEN_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return s[i] == '\0';
}

const char *
util_strerror(int e)
{
	switch (e) {
	case ENOENT:
		return "文件或目录不存在";
	case EACCES:
		return "没有权限";
	case EPERM:
		return "操作不允许";
	case EROFS:
		return "只读文件系统（U 盘可能打开了写保护）";
	case ENOSPC:
		return "磁盘空间不足";
	case EDQUOT:
		return "超出磁盘配额";
	case EIO:
		return "读写出错（设备可能已拔出或损坏）";
	case EEXIST:
		return "文件已存在";
	case ENOTDIR:
		return "不是目录";
	case EISDIR:
		return "是一个目录";
	case ENOTEMPTY:
		return "目录不是空的";
	case EBUSY:
		return "设备或文件正忙";
	case ENOMEM:
		return "内存不足";
	case EMFILE:
	case ENFILE:
		return "打开的文件太多";
	case ENAMETOOLONG:
		return "文件名太长";
	case EFBIG:
		return "文件太大";
	case ENODEV:
	case ENXIO:
		return "设备不存在（可能已拔出）";
	case EINVAL:
		return "参数无效";
	case EXDEV:
		return "不能跨文件系统移动";
	case ELOOP:
		return "符号链接太多";
	case EAGAIN:
		return "资源暂时不可用";
	default:
		return strerror(e);
	}
}

int
util_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

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

void
util_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
util_write_file(const char *dir, const char *name, const void *data,
    size_t len)
{
	char *tmp = xasprintf("%s/%s.tmp", dir, name);
	char *path = util_path(dir, name);
	int fd, e, r = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		goto out;
	if (util_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto out;
	}
	util_sync_dir(dir);
	r = 0;
out:
	free(tmp);
	free(path);
	return r;
}
