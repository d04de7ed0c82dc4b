/* failio.c: an LD_PRELOAD shim that makes one write, flush or truncate
 * of the data directory fail, to prove that a failed save loses nothing.
 *
 * Counted calls: write, pwrite, pwrite64, writev, pwritev, fsync,
 * fdatasync and ftruncate on a descriptor opened under FAILIO_DIR, every
 * msync, and every open of a file under FAILIO_DIR for writing.
 * Descriptors are followed from open to close, so output on stdout and
 * stderr and files elsewhere (backups on the local disk) never count.
 *
 * Environment:
 *   FAILIO_DIR     the data directory (absolute, or relative to the
 *                  working directory); unset: every descriptor above 2
 *   FAILIO_AT      fail the N-th counted call (1-based)
 *   FAILIO_WHILE   fail every counted call while this file exists (for
 *                  screen tests: create it, press F2, remove it)
 *   FAILIO_ERRNO   EIO (default) or ENOSPC
 *   FAILIO_AFTER   1: make the call, then report the error anyway, like
 *                  a device that fails after taking the data
 *   FAILIO_STICKY  1: once a call has failed, every later counted call
 *                  fails too, without reaching the disk, as on a stick
 *                  that has been pulled
 *   FAILIO_NOOPEN  1: opens are neither counted nor failed (a full disk
 *                  still opens existing files)
 *   FAILIO_LOG     append "N call [FAIL]" for each counted call, so that
 *                  a test can measure how many calls a save makes
 *   FAILIO_MMAP    1: mmap of a file under FAILIO_DIR fails with EPERM,
 *                  as on a file system that cannot map files
 *
 * Built by `make check-faults` with $(CC) -shared -fPIC; never linked
 * into the program.  Single-threaded use only, as cxzy is. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAILIO_MAXFD	4096

/* Looks up the next definition of a function once. */
#define FAILIO_REAL(var, name) do {					\
	if ((var) == NULL)						\
		*(void **)&(var) = dlsym(RTLD_NEXT, (name));		\
} while (0)

static bool	 failio_ready;
static char	 failio_dir[2 * PATH_MAX + 2];
static size_t	 failio_dirlen;
static long	 failio_at;
static char	*failio_while;
static int	 failio_errno = EIO;
static bool	 failio_after;
static bool	 failio_sticky;
static bool	 failio_noopen;
static bool	 failio_failed;
static bool	 failio_perform;	/* make the call that fails */
static char	*failio_log;
static long	 failio_n;
static bool	 failio_tracked[FAILIO_MAXFD];

static int	(*real_open)(const char *, int, ...);
static int	(*real_close)(int);
static ssize_t	(*real_write)(int, const void *, size_t);

static void
failio_init(void)
{
	const char *s;
	char cwd[PATH_MAX];

	if (failio_ready)
		return;
	failio_ready = true;
	FAILIO_REAL(real_open, "open");
	FAILIO_REAL(real_close, "close");
	FAILIO_REAL(real_write, "write");
	if ((s = getenv("FAILIO_DIR")) != NULL && *s != '\0') {
		if (*s == '/' || getcwd(cwd, sizeof cwd) == NULL)
			snprintf(failio_dir, sizeof failio_dir, "%s", s);
		else
			snprintf(failio_dir, sizeof failio_dir, "%s/%s", cwd, s);
		failio_dirlen = strlen(failio_dir);
		while (failio_dirlen > 1 && failio_dir[failio_dirlen - 1] == '/')
			failio_dir[--failio_dirlen] = '\0';
	}
	if ((s = getenv("FAILIO_AT")) != NULL)
		failio_at = strtol(s, NULL, 10);
	if ((s = getenv("FAILIO_WHILE")) != NULL && *s != '\0')
		failio_while = strdup(s);
	if ((s = getenv("FAILIO_ERRNO")) != NULL && strcmp(s, "ENOSPC") == 0)
		failio_errno = ENOSPC;
	if ((s = getenv("FAILIO_AFTER")) != NULL && strcmp(s, "1") == 0)
		failio_after = true;
	if ((s = getenv("FAILIO_STICKY")) != NULL && strcmp(s, "1") == 0)
		failio_sticky = true;
	if ((s = getenv("FAILIO_NOOPEN")) != NULL && strcmp(s, "1") == 0)
		failio_noopen = true;
	if ((s = getenv("FAILIO_LOG")) != NULL && *s != '\0')
		failio_log = strdup(s);
}

/* Whether path (relative to dirfd) lies in the data directory. */
static bool
failio_under(int dirfd, const char *path)
{
	char base[PATH_MAX], full[2 * PATH_MAX + 2], link[64];
	ssize_t n;

	if (failio_dirlen == 0)
		return true;
	if (*path == '/')
		snprintf(full, sizeof full, "%s", path);
	else {
		if (dirfd == AT_FDCWD) {
			if (getcwd(base, sizeof base) == NULL)
				return false;
		} else {
			snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
			if ((n = readlink(link, base, sizeof base - 1)) < 0)
				return false;
			base[n] = '\0';
		}
		snprintf(full, sizeof full, "%s/%s", base, path);
	}
	return strncmp(full, failio_dir, failio_dirlen) == 0 &&
	    (full[failio_dirlen] == '\0' || full[failio_dirlen] == '/');
}

/* Counts a call; returns the errno to fail it with, or 0.  When it fails
 * one, failio_perform says whether to make the call all the same. */
static int
failio_count(const char *what)
{
	char line[96];
	bool fail;
	int fd, len;

	failio_n++;
	fail = (failio_at > 0 && failio_n == failio_at) ||
	    (failio_while != NULL && access(failio_while, F_OK) == 0) ||
	    (failio_sticky && failio_failed);
	/* Only the first failure of a pulled stick reaches the disk. */
	failio_perform = fail && failio_after &&
	    !(failio_sticky && failio_failed);
	failio_failed |= fail;
	if (failio_log != NULL) {
		len = snprintf(line, sizeof line, "%ld %s%s\n", failio_n, what,
		    fail ? " FAIL" : "");
		fd = real_open(failio_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			/* A lost log line only spoils the count. */
			(void)!real_write(fd, line, (size_t)len);
			real_close(fd);
		}
	}
	return fail ? failio_errno : 0;
}

/* A call on fd: counted when fd belongs to the data directory. */
static int
failio_fd(int fd, const char *what)
{
	failio_init();
	if (fd < 0 || fd >= FAILIO_MAXFD)
		return 0;
	if (failio_dirlen == 0 ? fd <= 2 : !failio_tracked[fd])
		return 0;
	return failio_count(what);
}

/* Before an open: fails it when it writes into the data directory and
 * its turn has come. */
static int
failio_open_before(int dirfd, const char *path, int flags, const char *what)
{
	failio_init();
	if (failio_noopen || (flags & (O_WRONLY | O_RDWR | O_CREAT)) == 0 ||
	    !failio_under(dirfd, path))
		return 0;
	return failio_count(what);
}

/* After an open: follows the descriptor; an open whose error comes
 * after the call is closed again. */
static int
failio_open_after(int fd, int dirfd, const char *path, int e)
{
	if (fd < 0)
		return fd;
	if (e != 0) {
		real_close(fd);
		errno = e;
		return -1;
	}
	if (fd < FAILIO_MAXFD)
		failio_tracked[fd] = failio_dirlen > 0 &&
		    failio_under(dirfd, path);
	return fd;
}

/* The common shape of an open wrapper. */
#define FAILIO_OPEN(dirfd, path, flags, what, call) do {		\
	int e_ = failio_open_before((dirfd), (path), (flags), (what));	\
	int fd_;							\
									\
	if (e_ != 0 && !failio_perform) {				\
		errno = e_;						\
		return -1;						\
	}								\
	fd_ = (call);							\
	return failio_open_after(fd_, (dirfd), (path), e_);		\
} while (0)

/* The common shape of a wrapper of a call on a descriptor. */
#define FAILIO_CALL(type, fd, what, call) do {				\
	int e_ = failio_fd((fd), (what));				\
	type r_;							\
									\
	if (e_ != 0 && !failio_perform) {				\
		errno = e_;						\
		return -1;						\
	}								\
	r_ = (call);							\
	if (e_ != 0 && r_ >= 0) {					\
		errno = e_;						\
		return -1;						\
	}								\
	return r_;							\
} while (0)

static mode_t
failio_mode(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = failio_mode(flags, ap);
	va_end(ap);
	failio_init();
	FAILIO_OPEN(AT_FDCWD, path, flags, "open",
	    real_open(path, flags, mode));
}

int
open64(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = failio_mode(flags, ap);
	va_end(ap);
	FAILIO_REAL(real, "open64");
	FAILIO_OPEN(AT_FDCWD, path, flags, "open64", real(path, flags, mode));
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = failio_mode(flags, ap);
	va_end(ap);
	FAILIO_REAL(real, "openat");
	FAILIO_OPEN(dirfd, path, flags, "openat",
	    real(dirfd, path, flags, mode));
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = failio_mode(flags, ap);
	va_end(ap);
	FAILIO_REAL(real, "openat64");
	FAILIO_OPEN(dirfd, path, flags, "openat64",
	    real(dirfd, path, flags, mode));
}

int
close(int fd)
{
	failio_init();
	if (fd >= 0 && fd < FAILIO_MAXFD)
		failio_tracked[fd] = false;
	return real_close(fd);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	FAILIO_CALL(ssize_t, fd, "write", real_write(fd, buf, n));
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	FAILIO_REAL(real, "pwrite");
	FAILIO_CALL(ssize_t, fd, "pwrite", real(fd, buf, n, off));
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off64_t);

	FAILIO_REAL(real, "pwrite64");
	FAILIO_CALL(ssize_t, fd, "pwrite64", real(fd, buf, n, off));
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	FAILIO_REAL(real, "writev");
	FAILIO_CALL(ssize_t, fd, "writev", real(fd, iov, n));
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	static ssize_t (*real)(int, const struct iovec *, int, off_t);

	FAILIO_REAL(real, "pwritev");
	FAILIO_CALL(ssize_t, fd, "pwritev", real(fd, iov, n, off));
}

int
fsync(int fd)
{
	static int (*real)(int);

	FAILIO_REAL(real, "fsync");
	FAILIO_CALL(int, fd, "fsync", real(fd));
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	FAILIO_REAL(real, "fdatasync");
	FAILIO_CALL(int, fd, "fdatasync", real(fd));
}

int
ftruncate(int fd, off_t len)
{
	static int (*real)(int, off_t);

	FAILIO_REAL(real, "ftruncate");
	FAILIO_CALL(int, fd, "ftruncate", real(fd, len));
}

/* msync has no descriptor: every call counts (cxzy maps nothing but the
 * data file, and LMDB syncs it with msync only under MDB_WRITEMAP). */
int
msync(void *addr, size_t len, int flags)
{
	static int (*real)(void *, size_t, int);
	int e, r;

	FAILIO_REAL(real, "msync");
	failio_init();
	e = failio_count("msync");
	if (e != 0 && !failio_perform) {
		errno = e;
		return -1;
	}
	r = real(addr, len, flags);
	if (e != 0 && r == 0) {
		errno = e;
		return -1;
	}
	return r;
}

/* FAILIO_MMAP=1: a file system that cannot map files (a FUSE FAT
 * driver): every mmap of a file under FAILIO_DIR fails with EPERM.  Not
 * counted. */
static bool
failio_no_mmap(int fd)
{
	const char *s = getenv("FAILIO_MMAP");
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (s == NULL || strcmp(s, "1") != 0 || fd < 0)
		return false;
	failio_init();
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return false;
	path[n] = '\0';
	return failio_under(AT_FDCWD, path);
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);

	FAILIO_REAL(real, "mmap");
	if (failio_no_mmap(fd)) {
		errno = EPERM;
		return MAP_FAILED;
	}
	return real(addr, len, prot, flags, fd, off);
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off64_t);

	FAILIO_REAL(real, "mmap64");
	if (failio_no_mmap(fd)) {
		errno = EPERM;
		return MAP_FAILED;
	}
	return real(addr, len, prot, flags, fd, off);
}
