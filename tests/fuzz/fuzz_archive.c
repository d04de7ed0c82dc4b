/* fuzz_archive.c: libFuzzer target for the text archive reader.
 *
 * Each input is parsed twice: as it is, and with every "@crc" line and
 * the "@end" line rewritten to the right count and checksums, so that
 * mutations reach the record syntax behind the checksums.  A parse that
 * succeeds must give records that the codec can store and read back
 * equal, with no (kind, id) twice; a parse that fails must say where.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "codec.h"
#include "record.h"
#include "util.h"

#define FUZZ_NAME	"fuzz.cxa"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_item(const struct archive *a, size_t i)
{
	const struct archive_item *it = &a->items[i];
	struct record *r2 = NULL;
	struct buf b;
	char *err = NULL;
	size_t j;

	if (it->kind == NULL || it->rec == NULL || it->rec->id == 0)
		abort();
	for (j = 0; j < i; j++) {
		if (strcmp(a->items[j].kind, it->kind) == 0 &&
		    a->items[j].rec->id == it->rec->id) {
			fprintf(stderr, "%s %llu twice\n", it->kind,
			    (unsigned long long)it->rec->id);
			abort();
		}
	}
	/* Whatever the reader accepts must be storable. */
	buf_init(&b);
	codec_encode(it->rec, &b);
	if (codec_decode(b.s, b.len, &r2, &err) != CX_OK) {
		fprintf(stderr, "%s %llu does not round-trip: %s\n", it->kind,
		    (unsigned long long)it->rec->id, err);
		abort();
	}
	if (!record_equal(it->rec, r2))
		abort();
	record_free(r2);
	buf_free(&b);
}

static void
fuzz_parse(const char *data, size_t size)
{
	struct archive *a = NULL;
	char *err = NULL;
	size_t i;

	if (archive_parse(FUZZ_NAME, data, size, &a, &err) != CX_OK) {
		if (a != NULL || err == NULL ||
		    strncmp(err, FUZZ_NAME ":", strlen(FUZZ_NAME ":")) != 0) {
			fprintf(stderr, "bad failure: %s\n",
			    err != NULL ? err : "(no message)");
			abort();
		}
		free(err);
		return;
	}
	if (a == NULL || err != NULL)
		abort();
	for (i = 0; i < a->n; i++)
		fuzz_check_item(a, i);
	archive_free(a);
}

/* Rewrites the checksums (and the record count) that a writer would
 * have put there.  Lines end in LF in the result; a BOM is dropped. */
static void
fuzz_fix_sums(const char *s, size_t size, struct buf *out)
{
	const char *end = s + size, *nl;
	size_t n, block = 0, nblocks = 0;
	bool in_block = false;
	char line[64];

	if (size >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl != NULL ? nl : end) - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if ((n >= 8 && memcmp(s, "@record ", 8) == 0) ||
		    (n >= 7 && memcmp(s, "@trash ", 7) == 0)) {
			in_block = true;
			block = out->len;
			nblocks++;
		}
		if (in_block && n >= 5 && memcmp(s, "@crc ", 5) == 0) {
			snprintf(line, sizeof line, "@crc %08lx",
			    (unsigned long)codec_crc32(0, out->s + block,
			    out->len - block));
			buf_addstr(out, line);
			in_block = false;
		} else if (n >= 5 && memcmp(s, "@end ", 5) == 0) {
			snprintf(line, sizeof line, "@end %zu %08lx", nblocks,
			    (unsigned long)codec_crc32(0, out->s, out->len));
			buf_addstr(out, line);
		} else
			buf_add(out, s, n);
		buf_addc(out, '\n');
		s = nl != NULL ? nl + 1 : end;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf fixed;

	fuzz_parse((const char *)data, size);
	buf_init(&fixed);
	buf_addstr(&fixed, "");
	fuzz_fix_sums((const char *)data, size, &fixed);
	fuzz_parse(fixed.s, fixed.len);
	buf_free(&fixed);
	return 0;
}
