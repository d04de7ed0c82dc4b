/* fuzz_codec.c: libFuzzer target for the record decoder.
 *
 * Each input is decoded twice: as it is, which mostly exercises the
 * checksum, and with its last four bytes replaced by the right CRC-32,
 * so that mutations reach the structure behind the checksum.  Any record
 * that decodes must encode to bytes that decode to an equal record, and
 * encoding that record again must give the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "record.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_round_trip(const struct record *r)
{
	struct record *r2 = NULL;
	struct buf b1, b2;
	char *err = NULL;

	buf_init(&b1);
	buf_init(&b2);
	codec_encode(r, &b1);
	if (codec_decode(b1.s, b1.len, &r2, &err) != CX_OK) {
		fprintf(stderr, "re-encoded record does not decode: %s\n", err);
		abort();
	}
	if (!record_equal(r, r2) || r2->form_version != r->form_version) {
		fprintf(stderr, "re-encoded record differs\n");
		abort();
	}
	codec_encode(r2, &b2);
	if (b1.len != b2.len || memcmp(b1.s, b2.s, b1.len) != 0) {
		fprintf(stderr, "encoding is not stable\n");
		abort();
	}
	if (codec_unseal(b1.s, b1.len) != (long)b1.len - 4)
		abort();
	record_free(r2);
	buf_free(&b1);
	buf_free(&b2);
}

static void
fuzz_decode(const void *data, size_t size)
{
	struct record *r = NULL, *copy;
	char *err = NULL;

	if (codec_decode(data, size, &r, &err) != CX_OK) {
		if (r != NULL || err == NULL)
			abort();
		free(err);
		return;
	}
	if (r == NULL || err != NULL)
		abort();
	fuzz_round_trip(r);
	copy = record_copy(r);
	if (!record_equal(r, copy))
		abort();
	record_free(copy);
	record_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *fixed;
	uint32_t crc;
	long n;

	fuzz_decode(data, size);
	n = codec_unseal(data, size);
	if (n >= 0 && (size_t)n + 4 != size)
		abort();

	if (size < 4)
		return 0;
	/* The same bytes with a checksum that matches. */
	fixed = xmalloc(size);
	memcpy(fixed, data, size - 4);
	crc = codec_crc32(0, data, size - 4);
	fixed[size - 4] = (unsigned char)(crc & 0xff);
	fixed[size - 3] = (unsigned char)((crc >> 8) & 0xff);
	fixed[size - 2] = (unsigned char)((crc >> 16) & 0xff);
	fixed[size - 1] = (unsigned char)((crc >> 24) & 0xff);
	fuzz_decode(fixed, size);
	if (codec_unseal(fixed, size) != (long)size - 4)
		abort();
	free(fixed);
	return 0;
}
