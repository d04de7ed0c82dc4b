/* codec.c: the stored form of a record (see codec.h), and CRC-32. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "record.h"
#include "util.h"

#define CODEC_MAGIC		"CXR"
#define CODEC_HEADER		4	/* magic and format byte */
#define CODEC_TRAILER		4	/* crc32 */
#define CODEC_TAG_TEXT		0
#define CODEC_TAG_ROWS		1
/* Rows nest value lists; forms use one level, the limit only protects the
 * stack from crafted input. */
#define CODEC_MAX_DEPTH		8
/* The smallest encoded value: id length, one id byte, tag, length. */
#define CODEC_MIN_VALUE		4

#define CODEC_ERR_CRC		"记录校验和不符（数据已损坏）"
#define CODEC_ERR_FORMAT	"记录格式无法识别"

/* The table for the reflected polynomial 0xEDB88320, as zlib uses. */
static const uint32_t codec_crc_table[256] = {
	0x00000000U, 0x77073096U, 0xee0e612cU, 0x990951baU,
	0x076dc419U, 0x706af48fU, 0xe963a535U, 0x9e6495a3U,
	0x0edb8832U, 0x79dcb8a4U, 0xe0d5e91eU, 0x97d2d988U,
	0x09b64c2bU, 0x7eb17cbdU, 0xe7b82d07U, 0x90bf1d91U,
	0x1db71064U, 0x6ab020f2U, 0xf3b97148U, 0x84be41deU,
	0x1adad47dU, 0x6ddde4ebU, 0xf4d4b551U, 0x83d385c7U,
	0x136c9856U, 0x646ba8c0U, 0xfd62f97aU, 0x8a65c9ecU,
	0x14015c4fU, 0x63066cd9U, 0xfa0f3d63U, 0x8d080df5U,
	0x3b6e20c8U, 0x4c69105eU, 0xd56041e4U, 0xa2677172U,
	0x3c03e4d1U, 0x4b04d447U, 0xd20d85fdU, 0xa50ab56bU,
	0x35b5a8faU, 0x42b2986cU, 0xdbbbc9d6U, 0xacbcf940U,
	0x32d86ce3U, 0x45df5c75U, 0xdcd60dcfU, 0xabd13d59U,
	0x26d930acU, 0x51de003aU, 0xc8d75180U, 0xbfd06116U,
	0x21b4f4b5U, 0x56b3c423U, 0xcfba9599U, 0xb8bda50fU,
	0x2802b89eU, 0x5f058808U, 0xc60cd9b2U, 0xb10be924U,
	0x2f6f7c87U, 0x58684c11U, 0xc1611dabU, 0xb6662d3dU,
	0x76dc4190U, 0x01db7106U, 0x98d220bcU, 0xefd5102aU,
	0x71b18589U, 0x06b6b51fU, 0x9fbfe4a5U, 0xe8b8d433U,
	0x7807c9a2U, 0x0f00f934U, 0x9609a88eU, 0xe10e9818U,
	0x7f6a0dbbU, 0x086d3d2dU, 0x91646c97U, 0xe6635c01U,
	0x6b6b51f4U, 0x1c6c6162U, 0x856530d8U, 0xf262004eU,
	0x6c0695edU, 0x1b01a57bU, 0x8208f4c1U, 0xf50fc457U,
	0x65b0d9c6U, 0x12b7e950U, 0x8bbeb8eaU, 0xfcb9887cU,
	0x62dd1ddfU, 0x15da2d49U, 0x8cd37cf3U, 0xfbd44c65U,
	0x4db26158U, 0x3ab551ceU, 0xa3bc0074U, 0xd4bb30e2U,
	0x4adfa541U, 0x3dd895d7U, 0xa4d1c46dU, 0xd3d6f4fbU,
	0x4369e96aU, 0x346ed9fcU, 0xad678846U, 0xda60b8d0U,
	0x44042d73U, 0x33031de5U, 0xaa0a4c5fU, 0xdd0d7cc9U,
	0x5005713cU, 0x270241aaU, 0xbe0b1010U, 0xc90c2086U,
	0x5768b525U, 0x206f85b3U, 0xb966d409U, 0xce61e49fU,
	0x5edef90eU, 0x29d9c998U, 0xb0d09822U, 0xc7d7a8b4U,
	0x59b33d17U, 0x2eb40d81U, 0xb7bd5c3bU, 0xc0ba6cadU,
	0xedb88320U, 0x9abfb3b6U, 0x03b6e20cU, 0x74b1d29aU,
	0xead54739U, 0x9dd277afU, 0x04db2615U, 0x73dc1683U,
	0xe3630b12U, 0x94643b84U, 0x0d6d6a3eU, 0x7a6a5aa8U,
	0xe40ecf0bU, 0x9309ff9dU, 0x0a00ae27U, 0x7d079eb1U,
	0xf00f9344U, 0x8708a3d2U, 0x1e01f268U, 0x6906c2feU,
	0xf762575dU, 0x806567cbU, 0x196c3671U, 0x6e6b06e7U,
	0xfed41b76U, 0x89d32be0U, 0x10da7a5aU, 0x67dd4accU,
	0xf9b9df6fU, 0x8ebeeff9U, 0x17b7be43U, 0x60b08ed5U,
	0xd6d6a3e8U, 0xa1d1937eU, 0x38d8c2c4U, 0x4fdff252U,
	0xd1bb67f1U, 0xa6bc5767U, 0x3fb506ddU, 0x48b2364bU,
	0xd80d2bdaU, 0xaf0a1b4cU, 0x36034af6U, 0x41047a60U,
	0xdf60efc3U, 0xa867df55U, 0x316e8eefU, 0x4669be79U,
	0xcb61b38cU, 0xbc66831aU, 0x256fd2a0U, 0x5268e236U,
	0xcc0c7795U, 0xbb0b4703U, 0x220216b9U, 0x5505262fU,
	0xc5ba3bbeU, 0xb2bd0b28U, 0x2bb45a92U, 0x5cb36a04U,
	0xc2d7ffa7U, 0xb5d0cf31U, 0x2cd99e8bU, 0x5bdeae1dU,
	0x9b64c2b0U, 0xec63f226U, 0x756aa39cU, 0x026d930aU,
	0x9c0906a9U, 0xeb0e363fU, 0x72076785U, 0x05005713U,
	0x95bf4a82U, 0xe2b87a14U, 0x7bb12baeU, 0x0cb61b38U,
	0x92d28e9bU, 0xe5d5be0dU, 0x7cdcefb7U, 0x0bdbdf21U,
	0x86d3d2d4U, 0xf1d4e242U, 0x68ddb3f8U, 0x1fda836eU,
	0x81be16cdU, 0xf6b9265bU, 0x6fb077e1U, 0x18b74777U,
	0x88085ae6U, 0xff0f6a70U, 0x66063bcaU, 0x11010b5cU,
	0x8f659effU, 0xf862ae69U, 0x616bffd3U, 0x166ccf45U,
	0xa00ae278U, 0xd70dd2eeU, 0x4e048354U, 0x3903b3c2U,
	0xa7672661U, 0xd06016f7U, 0x4969474dU, 0x3e6e77dbU,
	0xaed16a4aU, 0xd9d65adcU, 0x40df0b66U, 0x37d83bf0U,
	0xa9bcae53U, 0xdebb9ec5U, 0x47b2cf7fU, 0x30b5ffe9U,
	0xbdbdf21cU, 0xcabac28aU, 0x53b39330U, 0x24b4a3a6U,
	0xbad03605U, 0xcdd70693U, 0x54de5729U, 0x23d967bfU,
	0xb3667a2eU, 0xc4614ab8U, 0x5d681b02U, 0x2a6f2b94U,
	0xb40bbe37U, 0xc30c8ea1U, 0x5a05df1bU, 0x2d02ef8dU,
};

uint32_t
codec_crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *s = p;

	crc = ~crc;
	while (n-- > 0)
		crc = codec_crc_table[(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void
codec_put_le32(unsigned char out[4], uint32_t v)
{
	out[0] = (unsigned char)(v & 0xff);
	out[1] = (unsigned char)((v >> 8) & 0xff);
	out[2] = (unsigned char)((v >> 16) & 0xff);
	out[3] = (unsigned char)((v >> 24) & 0xff);
}

static uint32_t
codec_get_le32(const unsigned char in[4])
{
	return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
	    (uint32_t)in[3] << 24;
}

static void
codec_put_varint(struct buf *out, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			b[n] |= 0x80;
		n++;
	} while (v != 0);
	buf_add(out, b, n);
}

static void
codec_put_bytes(struct buf *out, const char *s, size_t n)
{
	codec_put_varint(out, n);
	buf_add(out, s, n);
}

static void codec_encode_values(const struct record *r, struct buf *out);

static void
codec_encode_value(const struct rvalue *v, struct buf *out)
{
	size_t i;

	codec_put_bytes(out, v->id, strlen(v->id));
	if (!v->is_rows) {
		const char *text = v->text != NULL ? v->text : "";

		buf_addc(out, CODEC_TAG_TEXT);
		codec_put_bytes(out, text, strlen(text));
		return;
	}
	buf_addc(out, CODEC_TAG_ROWS);
	codec_put_varint(out, v->nrows);
	for (i = 0; i < v->nrows; i++)
		codec_encode_values(v->rows[i], out);
}

static void
codec_encode_values(const struct record *r, struct buf *out)
{
	size_t i;

	codec_put_varint(out, r->n);
	for (i = 0; i < r->n; i++)
		codec_encode_value(&r->v[i], out);
}

void
codec_encode(const struct record *r, struct buf *out)
{
	size_t start = out->len;
	unsigned char crc[4];

	buf_add(out, CODEC_MAGIC, 3);
	buf_addc(out, CODEC_FORMAT);
	codec_put_varint(out, r->form_version);
	codec_encode_values(r, out);
	codec_put_le32(crc, codec_crc32(0, out->s + start, out->len - start));
	buf_add(out, crc, sizeof crc);
}

/* A cursor over the bytes being decoded; every read checks the end. */
struct codec_in {
	const unsigned char	*p;
	const unsigned char	*end;
};

static size_t
codec_left(const struct codec_in *in)
{
	return (size_t)(in->end - in->p);
}

static bool
codec_get_varint(struct codec_in *in, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char b;

	for (;;) {
		if (in->p >= in->end || shift > 63)
			return false;
		b = *in->p++;
		if (shift == 63 && (b & 0x7e) != 0)
			return false;	/* more than 64 bits */
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			break;
		shift += 7;
	}
	*out = v;
	return true;
}

/* Reads a length-prefixed string, refusing lengths beyond the remaining
 * bytes and embedded NULs (the in-memory form is a C string). */
static bool
codec_get_string(struct codec_in *in, char **out)
{
	uint64_t n;

	if (!codec_get_varint(in, &n) || n > codec_left(in))
		return false;
	if (n > 0 && memchr(in->p, '\0', (size_t)n) != NULL)
		return false;
	*out = xstrndup((const char *)in->p, (size_t)n);
	in->p += n;
	return true;
}

static bool codec_decode_values(struct codec_in *in, struct record *r,
    int depth);

static bool
codec_decode_value(struct codec_in *in, struct record *r, int depth)
{
	struct rvalue *v;
	uint64_t count, i;
	unsigned char tag;
	char *id;
	size_t j;

	if (!codec_get_string(in, &id))
		return false;
	if (*id == '\0' || in->p >= in->end) {
		free(id);
		return false;
	}
	for (j = 0; j < r->n; j++) {
		if (strcmp(r->v[j].id, id) == 0) {
			free(id);	/* the same id twice */
			return false;
		}
	}
	tag = *in->p++;
	if (tag != CODEC_TAG_TEXT && tag != CODEC_TAG_ROWS) {
		free(id);
		return false;
	}

	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	v = &r->v[r->n++];
	memset(v, 0, sizeof *v);
	v->id = id;
	if (tag == CODEC_TAG_TEXT)
		return codec_get_string(in, &v->text);

	v->is_rows = true;
	if (depth >= CODEC_MAX_DEPTH || !codec_get_varint(in, &count))
		return false;
	/* Each row takes at least one byte (its value count). */
	if (count > codec_left(in))
		return false;
	for (i = 0; i < count; i++) {
		struct record *row = record_new();

		v->rows = xgrow(v->rows, &v->rowcap, v->nrows + 1,
		    sizeof *v->rows);
		v->rows[v->nrows++] = row;
		if (!codec_decode_values(in, row, depth + 1))
			return false;
	}
	return true;
}

static bool
codec_decode_values(struct codec_in *in, struct record *r, int depth)
{
	uint64_t n, i;

	if (!codec_get_varint(in, &n) || n > codec_left(in) / CODEC_MIN_VALUE)
		return false;
	for (i = 0; i < n; i++)
		if (!codec_decode_value(in, r, depth))
			return false;
	return true;
}

int
codec_decode(const void *data, size_t len, struct record **out,
    char **errp)
{
	const unsigned char *p = data;
	struct codec_in in;
	struct record *r;
	uint64_t version;

	*out = NULL;
	if (len < CODEC_HEADER + CODEC_TRAILER)
		return err_set(errp, CODEC_ERR_FORMAT);
	if (codec_crc32(0, p, len - CODEC_TRAILER) !=
	    codec_get_le32(p + len - CODEC_TRAILER))
		return err_set(errp, CODEC_ERR_CRC);
	if (memcmp(p, CODEC_MAGIC, 3) != 0)
		return err_set(errp, CODEC_ERR_FORMAT);
	if (p[3] != CODEC_FORMAT) {
		return err_set(errp, CODEC_ERR_FORMAT "（记录格式 %u，本程序只认识 "
		    "%d）。请使用较新版本的 cxzy。", (unsigned)p[3], CODEC_FORMAT);
	}

	in.p = p + CODEC_HEADER;
	in.end = p + len - CODEC_TRAILER;
	r = record_new();
	if (!codec_get_varint(&in, &version) || version > UINT_MAX ||
	    !codec_decode_values(&in, r, 0) || in.p != in.end) {
		record_free(r);
		return err_set(errp, CODEC_ERR_FORMAT);
	}
	r->form_version = (unsigned)version;
	*out = r;
	return CX_OK;
}

void
codec_seal(const void *p, size_t n, struct buf *out)
{
	unsigned char crc[4];

	buf_add(out, p, n);
	codec_put_le32(crc, codec_crc32(0, p, n));
	buf_add(out, crc, sizeof crc);
}

long
codec_unseal(const void *p, size_t n)
{
	const unsigned char *s = p;

	if (n < CODEC_TRAILER || n - CODEC_TRAILER > LONG_MAX)
		return -1;
	if (codec_crc32(0, s, n - CODEC_TRAILER) !=
	    codec_get_le32(s + n - CODEC_TRAILER))
		return -1;
	return (long)(n - CODEC_TRAILER);
}
