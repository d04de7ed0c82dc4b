/* conv.h: converting text at the edges (terminal, arguments, reports).
 *
 * Inside cxzy all text is UTF-8.  What the user types on the command line
 * and what is printed to the terminal is in the locale's encoding (UTF-8
 * or GB18030); reports are written in UTF-8 or GB18030.  This module does
 * the conversions with iconv, handling partial input and characters the
 * target cannot encode.
 */
#ifndef CXZY_CONV_H
#define CXZY_CONV_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The locale's character set, e.g. "UTF-8" or "GB18030" (after
 * setlocale()). */
const char *conv_locale_codeset(void);
bool conv_codeset_is_utf8(const char *codeset);

/* Converts len bytes of in from one encoding to another, appending to out.
 * Characters the target cannot encode become repl (e.g. "?"; conv_escape:
 * "[U+2003E]", visible and unambiguous) and are counted in *nrepl (when
 * not NULL).  Input that is not valid in the
 * source encoding fails with a Chinese message naming the byte offset. */
int conv_convert(const char *to, const char *from, const char *in,
    size_t len, const char *repl, struct buf *out, size_t *nrepl,
    char **errp);

/* Converts a NUL-terminated string in the locale's encoding to UTF-8.
 * Invalid input fails with "…含有当前语言环境（GB18030）下无法识别的字符。". */
int conv_from_locale(const char *in, char **out, char **errp);
extern const char conv_escape[];
/* Converts UTF-8 to the locale's encoding; characters it cannot encode
 * (GBK has no 𠀾) are written "[U+2003E]".  Never fails: on a conversion
 * error the UTF-8 is returned. */
char *conv_to_locale(const char *utf8, size_t *outlen);
/* The same, counting the characters written escaped in *nesc. */
char *conv_to_locale_n(const char *utf8, size_t *outlen, size_t *nesc);

#endif
