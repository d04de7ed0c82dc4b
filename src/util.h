/* util.h: allocation, growable buffers, string lists and error messages.
 *
 * Conventions used by every core module:
 * - Functions that can fail return CX_OK (0) on success and CX_ERR (-1) on
 *   failure, and then store a newly allocated message in simplified Chinese
 *   in *errp (when errp is not NULL).  The caller frees it.
 * - Look-ups that may find nothing return CX_NOTFOUND (1) without a message.
 * - The core never exits the process.  The one exception is memory
 *   exhaustion, which is not recoverable: the x* allocators print a message
 *   and abort().  Committed data is safe in LMDB even then.
 */
#ifndef CXZY_UTIL_H
#define CXZY_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CX_CONFLICT: a save found the record changed by someone else since it
 * was read; nothing was written (see store.h, "Revisions"). */
enum { CX_OK = 0, CX_ERR = -1, CX_NOTFOUND = 1, CX_CONFLICT = 2 };

#if defined(__GNUC__)
#define CX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CX_PRINTF(f, a)
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` elements of `size` bytes;
 * *cap is updated.  Returns the (possibly moved) array. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) CX_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) CX_PRINTF(1, 0);

/* Replaces *errp (freeing any old message) with a formatted message.
 * Does nothing when errp is NULL.  Always returns CX_ERR so that callers
 * can write `return err_set(errp, "...")`. */
int err_set(char **errp, const char *fmt, ...) CX_PRINTF(2, 3);
/* A system error in Chinese, whatever locale data is installed: the
 * common errors a data directory on a USB stick meets have their own
 * text; others fall back to strerror(). */
const char *util_strerror(int e);
/* Prefixes the message in *errp with a formatted prefix. */
void err_prefix(char **errp, const char *fmt, ...) CX_PRINTF(2, 3);

/* A growable byte buffer, always NUL-terminated after its contents. */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addstr(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) CX_PRINTF(2, 3);
/* Returns the contents (never NULL) and leaves the buffer empty. */
char *buf_take(struct buf *b);

/* A list of owned strings. */
struct strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};
void strlist_init(struct strlist *l);
void strlist_free(struct strlist *l);
/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Appends s, taking ownership. */
void strlist_take(struct strlist *l, char *s);
void strlist_addf(struct strlist *l, const char *fmt, ...) CX_PRINTF(2, 3);
/* Frees the n strings of v, then v. */
void strv_free(char **v, size_t n);

/* "dir/name", newly allocated. */
char *util_path(const char *dir, const char *name);
/* Whether dir/name exists (following symbolic links). */
bool util_path_exists(const char *dir, const char *name);
/* Whether dir/name is missing or may be written by this user. */
bool util_path_writable(const char *dir, const char *name);

/* Reads a whole file into a NUL-terminated buffer. */
int util_read_file(const char *path, char **out, size_t *len, char **errp);
/* write(2) until all n bytes are written (EINTR retried); -1 with errno. */
int util_write_all(int fd, const void *p, size_t n);
/* Flushes directory dir so that a rename in it is on the device; not every
 * file system supports it, so this is best effort. */
void util_sync_dir(const char *dir);
/* Writes dir/name so that it is either complete or absent: a temporary
 * file, flushed, renamed over, the directory flushed.  -1 with errno. */
int util_write_file(const char *dir, const char *name, const void *data,
    size_t len);

/* Big-endian 64-bit helpers, used for record keys so that byte order
 * equals numeric order. */
void util_put_be64(unsigned char out[8], uint64_t v);
uint64_t util_get_be64(const unsigned char in[8]);

/* Identifiers that must never repeat across data directories and PCs
 * (a directory's origin, a record's global id, a revision): 32 lowercase
 * hex digits, a 128-bit hash of a per-process secret and data.  The
 * secret comes from getrandom(2) (or /dev/urandom); when the environment
 * variable CXZY_RANDOM_SEED is set (tests), from it, so that the same
 * data gives the same token.  Callers pass data that differs for every
 * token they need (kind, id, generation, content checksum). */
#define UTIL_TOKEN_LEN	32
void util_token(char out[UTIL_TOKEN_LEN + 1], const void *data, size_t n);
/* Whether s is exactly UTIL_TOKEN_LEN lowercase hex digits. */
bool util_is_token(const char *s);

/* Whether a and b are both NULL or equal strings. */
bool util_same(const char *a, const char *b);

/* Parses a positive decimal id; returns false unless the whole string is
 * digits (after optional surrounding spaces) and the value is > 0. */
bool util_parse_id(const char *s, uint64_t *out);

#endif
