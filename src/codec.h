/* codec.h: the stored form of a record, and checksums.
 *
 * A stored record is self-describing and keyed by field id, so a form may
 * gain or lose fields without breaking what is already stored:
 *
 *   "CXR"            3 bytes magic
 *   format           1 byte, CODEC_FORMAT (1)
 *   form_version     varint
 *   nvalues          varint
 *   per value:       varint id length, id bytes,
 *                    1 byte tag (0 = text, 1 = rows),
 *                    text:  varint length, bytes
 *                    rows:  varint count, each row encoded as a nested
 *                           value list (nvalues, values), no magic
 *   crc32            4 bytes little-endian, CRC-32 (IEEE) of all the
 *                    bytes before it
 *
 * Varints are unsigned LEB128.  The record id is not stored in the value;
 * it is the LMDB key.
 */
#ifndef CXZY_CODEC_H
#define CXZY_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "util.h"

#define CODEC_FORMAT 1

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()); pass 0 to start. */
uint32_t codec_crc32(uint32_t crc, const void *p, size_t n);

/* Appends the encoding of r to out. */
void codec_encode(const struct record *r, struct buf *out);

/* Decodes data[0..len).  Verifies the checksum first.  On damage returns
 * CX_ERR with a message such as "记录校验和不符（数据已损坏）" or
 * "记录格式无法识别". */
int codec_decode(const void *data, size_t len, struct record **out,
    char **errp);

/* Wraps an arbitrary small value (meta, index entries) with a CRC-32
 * trailer, and checks/unwraps it.  codec_unseal returns the payload length
 * or -1 when the checksum does not match. */
void codec_seal(const void *p, size_t n, struct buf *out);
long codec_unseal(const void *p, size_t n);

#endif
