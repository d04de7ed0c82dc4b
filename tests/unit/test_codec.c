/* test_codec.c: the stored form of records, CRC-32 and sealed values. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "formdef.h"
#include "record.h"
#include "util.h"
#include "tap.h"

/* Appends the CRC trailer to hand-made bytes, as codec_encode does. */
static void
add_crc(struct buf *b)
{
	uint32_t crc = codec_crc32(0, b->s, b->len);
	unsigned char t[4];

	t[0] = crc & 0xff;
	t[1] = (crc >> 8) & 0xff;
	t[2] = (crc >> 16) & 0xff;
	t[3] = (crc >> 24) & 0xff;
	buf_add(b, t, 4);
}

/* Decodes hand-made bytes (CRC added) and returns the status; *msg gets
 * the message. */
static int
decode_crafted(const void *p, size_t n, char **msg)
{
	struct buf b;
	struct record *r = NULL;
	int rc;

	buf_init(&b);
	buf_add(&b, p, n);
	add_crc(&b);
	*msg = NULL;
	rc = codec_decode(b.s, b.len, &r, msg);
	record_free(r);
	buf_free(&b);
	return rc;
}

static struct record *
sample_record(void)
{
	struct record *r = record_new(), *row;

	r->form_version = 3;
	record_set(r, "name", "张三");
	record_set(r, "note", "");
	record_set(r, "rare", "生僻字𠀾和𠮷");
	row = record_add_row(r, "items");
	record_set(row, "content", "第一项");
	record_set(row, "due", "2021-01-15");
	row = record_add_row(r, "items");
	record_set(row, "content", "第二项");
	record_set(row, "due", "");
	row = record_add_row(r, "items");
	record_set(row, "content", "𠀾");
	/* A row holding rows of its own. */
	row = record_add_row(row, "sub");
	record_set(row, "x", "1");
	/* An explicitly empty rows value. */
	record_add_row(r, "empty");
	record_remove_row(r, "empty", 0);
	return r;
}

static void
test_crc(void)
{
	uint32_t c;

	is_int(codec_crc32(0, "123456789", 9), 0xCBF43926u,
	    "CRC-32 check value of \"123456789\"");
	c = codec_crc32(0, "1234", 4);
	is_int(codec_crc32(c, "56789", 5), 0xCBF43926u,
	    "CRC-32 can be computed in pieces");
	is_int(codec_crc32(0, "", 0), 0, "CRC-32 of nothing is 0");
	is_int(codec_crc32(0, "The quick brown fox jumps over the lazy dog", 43),
	    0x414FA339u, "CRC-32 of the fox sentence");
}

static void
test_exact_bytes(void)
{
	static const unsigned char want[] = {
		'C', 'X', 'R', 1,	/* magic, format */
		2,			/* form_version */
		2,			/* nvalues */
		1, 'a', 0, 1, 'b',	/* a = "b" */
		1, 'r', 1, 1,		/* r: rows, 1 row */
		1, 1, 'x', 0, 0,	/* row: x = "" */
	};
	struct record *r = record_new(), *row;
	struct buf b;
	uint32_t crc;

	r->form_version = 2;
	record_set(r, "a", "b");
	row = record_add_row(r, "r");
	record_set(row, "x", "");
	buf_init(&b);
	codec_encode(r, &b);
	is_int(b.len, sizeof want + 4, "encoded length");
	ok(b.len == sizeof want + 4 && memcmp(b.s, want, sizeof want) == 0,
	    "encoded bytes follow codec.h");
	crc = codec_crc32(0, want, sizeof want);
	ok(b.len == sizeof want + 4 &&
	    (unsigned char)b.s[sizeof want] == (crc & 0xff) &&
	    (unsigned char)b.s[sizeof want + 3] == (crc >> 24),
	    "trailer is the little-endian CRC-32 of the bytes before it");
	buf_free(&b);

	/* A varint of more than one byte. */
	r->form_version = 300;
	buf_init(&b);
	codec_encode(r, &b);
	ok((unsigned char)b.s[4] == 0xac && (unsigned char)b.s[5] == 0x02,
	    "form_version 300 is LEB128 ac 02");
	buf_free(&b);
	record_free(r);
}

static void
test_round_trip(void)
{
	struct record *r = sample_record(), *d = NULL, *row;
	struct buf b, b2;
	struct rvalue *v;
	char *msg = NULL;

	buf_init(&b);
	codec_encode(r, &b);
	is_int(codec_decode(b.s, b.len, &d, &msg), CX_OK, "sample decodes");
	is_str(msg, NULL, "no message on success");
	if (d == NULL) {
		buf_free(&b);
		record_free(r);
		return;
	}
	ok(record_equal(r, d), "decoded record equals the original");
	is_int(d->form_version, 3, "form_version kept");
	is_int(d->id, 0, "id is not stored in the value");
	is_str(record_get(d, "name"), "张三", "text value");
	is_str(record_get(d, "note"), "", "empty text stays empty, not absent");
	is_str(record_get(d, "rare"), "生僻字𠀾和𠮷", "non-BMP characters");
	is_int(record_nrows(d, "items"), 3, "three rows");
	is_str(record_get(record_row(d, "items", 0), "content"), "第一项",
	    "row 1 content");
	is_str(record_get(record_row(d, "items", 1), "due"), "",
	    "row 2 empty text");
	row = record_row(d, "items", 2);
	is_str(row ? record_get(row, "content") : NULL, "𠀾", "row 3 content");
	is_str(row && record_row(row, "sub", 0) ?
	    record_get(record_row(row, "sub", 0), "x") : NULL, "1",
	    "rows nested in a row");
	v = record_find(d, "empty");
	ok(v != NULL && v->is_rows && v->nrows == 0,
	    "explicitly empty rows value is kept");
	is_int(d->n, r->n, "same number of values");

	buf_init(&b2);
	codec_encode(d, &b2);
	ok(b.len == b2.len && memcmp(b.s, b2.s, b.len) == 0,
	    "re-encoding gives the same bytes");
	buf_free(&b2);

	/* An empty record. */
	record_free(d);
	d = NULL;
	record_free(r);
	r = record_new();
	buf_reset(&b);
	codec_encode(r, &b);
	is_int(b.len, 10, "empty record is 10 bytes");
	is_int(codec_decode(b.s, b.len, &d, NULL), CX_OK, "empty record decodes");
	ok(d != NULL && d->n == 0 && d->form_version == 0, "empty record is empty");
	record_free(d);
	record_free(r);
	buf_free(&b);
}

/* A record written with one shape of a form stays readable with the next:
 * values are keyed by field id, not by position. */
static void
test_versions(void)
{
	static struct form_field v1_fields[2], v2_fields[2];
	static struct form v1, v2;
	struct record *r = record_new(), *d = NULL, *d2 = NULL;
	struct buf b;
	size_t i, extras = 0;

	v1_fields[0].id = "a";
	v1_fields[0].label = "甲";
	v1_fields[1].id = "b";
	v1_fields[1].label = "乙";
	v1.kind = "t";
	v1.version = 1;
	v1.fields = v1_fields;
	v1.nfields = 2;
	v2_fields[0].id = "a";
	v2_fields[0].label = "甲";
	v2_fields[1].id = "c";
	v2_fields[1].label = "丙";
	v2.kind = "t";
	v2.version = 2;
	v2.fields = v2_fields;
	v2.nfields = 2;

	r->form_version = v1.version;
	for (i = 0; i < v1.nfields; i++)
		record_set(r, v1.fields[i].id, v1.fields[i].label);
	buf_init(&b);
	codec_encode(r, &b);
	is_int(codec_decode(b.s, b.len, &d, NULL), CX_OK, "v1 record decodes");
	if (d == NULL) {
		buf_free(&b);
		record_free(r);
		return;
	}
	is_int(d->form_version, 1, "form_version says it was written with v1");
	is_str(record_get(d, v2.fields[0].id), "甲", "v2 field a has its value");
	is_str(record_get(d, v2.fields[1].id), NULL, "v2 field c is absent");
	for (i = 0; i < d->n; i++) {
		size_t j;
		bool known = false;

		for (j = 0; j < v2.nfields; j++)
			if (strcmp(d->v[i].id, v2.fields[j].id) == 0)
				known = true;
		if (!known)
			extras++;
	}
	is_int(extras, 1, "one value that v2 does not define");
	is_str(record_get(d, "b"), "乙", "b is kept as an extra value");

	/* Edited and stored with v2: b survives, c is added. */
	record_set(d, "c", "丙");
	d->form_version = v2.version;
	buf_reset(&b);
	codec_encode(d, &b);
	is_int(codec_decode(b.s, b.len, &d2, NULL), CX_OK, "v2 record decodes");
	ok(d2 != NULL && d2->form_version == 2 &&
	    strcmp(record_get(d2, "a"), "甲") == 0 &&
	    strcmp(record_get(d2, "b"), "乙") == 0 &&
	    strcmp(record_get(d2, "c"), "丙") == 0,
	    "after a v2 write: a, b (extra) and c");
	record_free(d2);
	record_free(d);
	record_free(r);
	buf_free(&b);
}

static void
test_damage(void)
{
	struct record *r = sample_record(), *d;
	struct buf b;
	unsigned char *copy;
	size_t i, undetected = 0, leaked = 0, wrongmsg = 0, accepted = 0;
	char *msg;

	buf_init(&b);
	codec_encode(r, &b);
	copy = xmalloc(b.len);
	for (i = 0; i < b.len; i++) {
		memcpy(copy, b.s, b.len);
		copy[i] ^= 0xff;
		d = NULL;
		msg = NULL;
		if (codec_decode(copy, b.len, &d, &msg) != CX_ERR)
			undetected++;
		if (d != NULL)
			leaked++;
		if (msg == NULL || strcmp(msg, "记录校验和不符（数据已损坏）") != 0)
			wrongmsg++;
		record_free(d);
		free(msg);
	}
	is_int(undetected, 0, "every one of %zu byte flips is detected", b.len);
	is_int(leaked, 0, "no record returned for a flipped byte");
	is_int(wrongmsg, 0, "every flip reports the checksum message");

	for (i = 0; i < b.len; i++) {
		d = NULL;
		if (codec_decode(b.s, i, &d, NULL) == CX_OK)
			accepted++;
		record_free(d);
	}
	is_int(accepted, 0, "all %zu truncations fail", b.len);
	msg = NULL;
	is_int(codec_decode(NULL, 0, &d, &msg), CX_ERR, "nothing at all fails");
	is_str(msg, "记录格式无法识别", "message for nothing at all");
	free(msg);

	free(copy);
	buf_free(&b);
	record_free(r);
}

static void
test_crafted(void)
{
	/* Valid CRC, bogus contents: the parser must refuse each. */
	static const unsigned char huge_text[] = {
		'C', 'X', 'R', 1, 1, 1, 1, 'a', 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 'x'
	};
	static const unsigned char huge_count[] = {
		'C', 'X', 'R', 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 'a', 0, 0
	};
	static const unsigned char huge_rows[] = {
		'C', 'X', 'R', 1, 1, 1, 1, 'r', 1, 0xff, 0xff, 0xff, 0x7f, 0
	};
	static const unsigned char long_varint[] = {
		'C', 'X', 'R', 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0x01, 0
	};
	static const unsigned char big_version[] = {
		'C', 'X', 'R', 1, 0xff, 0xff, 0xff, 0xff, 0x7f, 0
	};
	static const unsigned char nul_text[] = {
		'C', 'X', 'R', 1, 1, 1, 1, 'a', 0, 3, 'x', 0, 'y'
	};
	static const unsigned char dup_id[] = {
		'C', 'X', 'R', 1, 1, 2, 1, 'a', 0, 0, 1, 'a', 0, 0
	};
	static const unsigned char bad_tag[] = {
		'C', 'X', 'R', 1, 1, 1, 1, 'a', 7, 0
	};
	static const unsigned char empty_id[] = {
		'C', 'X', 'R', 1, 1, 1, 0, 0, 1, 'x'
	};
	static const unsigned char trailing[] = {
		'C', 'X', 'R', 1, 1, 0, 'z'
	};
	static const unsigned char bad_magic[] = {
		'C', 'X', 'Q', 1, 1, 0
	};
	static const unsigned char newer[] = {
		'C', 'X', 'R', 2, 1, 0
	};
	static const unsigned char good[] = {
		'C', 'X', 'R', 1, 7, 1, 1, 'a', 0, 2, 'h', 'i'
	};
	unsigned char deep[256];
	size_t n = 0;
	int i;
	char *msg;

	is_int(decode_crafted(good, sizeof good, &msg), CX_OK,
	    "a hand-made record decodes");
	free(msg);

#define REFUSE(arr, what) do {						\
	is_int(decode_crafted(arr, sizeof arr, &msg), CX_ERR, what);	\
	is_str(msg, "记录格式无法识别", what " (message)");		\
	free(msg);							\
} while (0)
	REFUSE(huge_text, "text length beyond the data");
	REFUSE(huge_count, "value count beyond the data");
	REFUSE(huge_rows, "row count beyond the data");
	REFUSE(long_varint, "varint longer than 64 bits");
	REFUSE(big_version, "form_version beyond unsigned");
	REFUSE(nul_text, "NUL inside a text");
	REFUSE(dup_id, "the same id twice");
	REFUSE(bad_tag, "unknown value tag");
	REFUSE(empty_id, "empty value id");
	REFUSE(trailing, "bytes after the values");
	REFUSE(bad_magic, "wrong magic");
#undef REFUSE

	is_int(decode_crafted(newer, sizeof newer, &msg), CX_ERR,
	    "a newer record format");
	is_str(msg, "记录格式无法识别（记录格式 2，本程序只认识 1）。"
	    "请使用较新版本的 cxzy。", "newer format message");
	free(msg);

	/* Rows nested deeper than any form uses. */
	memcpy(deep, "CXR\001\001", 5);
	n = 5;
	for (i = 0; i < 40; i++) {
		deep[n++] = 1;		/* nvalues */
		deep[n++] = 1;		/* id length */
		deep[n++] = 'r';
		deep[n++] = 1;		/* rows */
		deep[n++] = 1;		/* one row */
	}
	deep[n++] = 0;			/* the innermost row is empty */
	is_int(decode_crafted(deep, n, &msg), CX_ERR, "nesting 40 deep");
	free(msg);
}

/* Random mutations with a recomputed CRC exercise the parser itself:
 * nothing may crash, and whatever decodes must re-encode and decode to
 * the same record. */
static void
test_fuzz(void)
{
	struct record *r = sample_record(), *d, *d2;
	struct buf b, m, e;
	uint32_t seed = 12345;
	int i, j, decoded = 0, mismatch = 0;

	buf_init(&b);
	buf_init(&m);
	buf_init(&e);
	codec_encode(r, &b);
	for (i = 0; i < 20000; i++) {
		int flips;

		buf_reset(&m);
		buf_add(&m, b.s, b.len - 4);
		seed = seed * 1103515245u + 12345u;
		flips = 1 + (int)((seed >> 16) % 4);
		for (j = 0; j < flips; j++) {
			seed = seed * 1103515245u + 12345u;
			m.s[4 + (seed >> 8) % (m.len - 4)] = (char)(seed >> 24);
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 8 == 0)
			m.len -= (seed >> 4) % (m.len - 4);	/* and cut */
		add_crc(&m);
		d = NULL;
		if (codec_decode(m.s, m.len, &d, NULL) != CX_OK)
			continue;
		decoded++;
		buf_reset(&e);
		codec_encode(d, &e);
		d2 = NULL;
		if (codec_decode(e.s, e.len, &d2, NULL) != CX_OK ||
		    !record_equal(d, d2) || d->form_version != d2->form_version)
			mismatch++;
		record_free(d2);
		record_free(d);
	}
	ok(1, "20000 mutated records did not crash the decoder "
	    "(%d decoded)", decoded);
	is_int(mismatch, 0, "whatever decodes round-trips");
	buf_free(&b);
	buf_free(&m);
	buf_free(&e);
	record_free(r);
}

static void
test_seal(void)
{
	struct buf b;
	char *copy;

	buf_init(&b);
	codec_seal("abc", 3, &b);
	is_int(b.len, 7, "sealed length is payload + 4");
	ok(memcmp(b.s, "abc", 3) == 0, "payload comes first");
	is_int(codec_unseal(b.s, b.len), 3, "unseal gives the payload length");
	copy = xmalloc(b.len);
	memcpy(copy, b.s, b.len);
	copy[1] ^= 1;
	is_int(codec_unseal(copy, b.len), -1, "a flipped payload bit is caught");
	memcpy(copy, b.s, b.len);
	copy[6] ^= 0x80;
	is_int(codec_unseal(copy, b.len), -1, "a flipped trailer bit is caught");
	is_int(codec_unseal(b.s, 3), -1, "shorter than a trailer");
	is_int(codec_unseal(b.s, 6), -1, "truncated");
	free(copy);

	buf_reset(&b);
	codec_seal("", 0, &b);
	is_int(b.len, 4, "sealed nothing is 4 bytes");
	is_int(codec_unseal(b.s, b.len), 0, "unseal nothing");
	buf_free(&b);
}

int
main(void)
{
	test_crc();
	test_exact_bytes();
	test_round_trip();
	test_versions();
	test_damage();
	test_crafted();
	test_fuzz();
	test_seal();
	return tap_done();
}
