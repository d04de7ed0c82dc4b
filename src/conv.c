/* conv.c: iconv at the edges. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conv.h"
#include "text.h"

#ifndef ICONV_CONST
#define ICONV_CONST
#endif

const char *
conv_locale_codeset(void)
{
	const char *cs = nl_langinfo(CODESET);

	return (cs != NULL && *cs != '\0') ? cs : "ANSI_X3.4-1968";
}

bool
conv_codeset_is_utf8(const char *cs)
{
	return strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0;
}

/* iconv does the work; we add what it lacks: replacement of characters the
 * target cannot take (skipping exactly one source character) and a clear
 * message for input that is invalid in the source encoding. */
int
conv_convert(const char *to, const char *from, const char *in, size_t len,
    const char *repl, struct buf *out, size_t *nrepl, char **errp)
{
	iconv_t cd;
	char chunk[4096];
	ICONV_CONST char *ip = (ICONV_CONST char *)in;
	size_t il = len, count = 0;
	bool from_utf8 = conv_codeset_is_utf8(from);

	if (from_utf8 && !text_utf8_valid(in, len))
		return err_set(errp, "文字含有无法识别的字符（不是有效的 UTF-8 编码，"
		    "位置：第 %zu 字节）。", text_utf8_invalid(in, len) + 1);
	cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return err_set(errp, "本机不支持从 %s 到 %s 的编码转换（%s）。",
		    from, to, util_strerror(errno));
	for (;;) {
		char *op = chunk;
		size_t ol = sizeof chunk;
		size_t r = il > 0 ? iconv(cd, &ip, &il, &op, &ol) :
		    iconv(cd, NULL, NULL, &op, &ol);
		int e = errno;

		buf_add(out, chunk, (size_t)(op - chunk));
		if (r != (size_t)-1) {
			if (il == 0)
				break;
			continue;
		}
		if (e == E2BIG)
			continue;
		if (e == EILSEQ && from_utf8 && repl != NULL) {
			/* The target cannot encode this character. */
			uint32_t uc;
			int n = text_utf8_decode(ip, &uc);

			if (repl == conv_escape) {
				char esc[16];

				snprintf(esc, sizeof esc, "[U+%04lX]",
				    (unsigned long)uc);
				/* The escape is ASCII in every target we
				 * use. */
				buf_addstr(out, esc);
			} else
				buf_addstr(out, repl);
			ip += n;
			il -= (size_t)n;
			count++;
			continue;
		}
		iconv_close(cd);
		return err_set(errp, "文字含有 %s 编码下无法识别的字符（位置：第 %zu 字节）。",
		    from, (size_t)(ip - in) + 1);
	}
	iconv_close(cd);
	if (nrepl != NULL)
		*nrepl = count;
	return CX_OK;
}

int
conv_from_locale(const char *in, char **out, char **errp)
{
	const char *cs = conv_locale_codeset();
	struct buf b;

	buf_init(&b);
	if (conv_codeset_is_utf8(cs) || strcmp(cs, "ANSI_X3.4-1968") == 0) {
		if (!text_utf8_valid(in, strlen(in)))
			return err_set(errp, "输入含有无法识别的字符（不是有效的 UTF-8 编码）。"
			    "请检查终端的编码设置。");
		*out = xstrdup(in);
		return CX_OK;
	}
	if (conv_convert("UTF-8", cs, in, strlen(in), NULL, &b, NULL,
	    NULL) != CX_OK) {
		buf_free(&b);
		return err_set(errp, "输入含有当前语言环境（%s）下无法识别的字符。"
		    "请检查终端的编码设置。", cs);
	}
	*out = buf_take(&b);
	return CX_OK;
}

const char conv_escape[] = "[U+]";

char *
conv_to_locale(const char *utf8, size_t *outlen)
{
	return conv_to_locale_n(utf8, outlen, NULL);
}

char *
conv_to_locale_n(const char *utf8, size_t *outlen, size_t *nesc)
{
	const char *cs = conv_locale_codeset();
	struct buf b;

	buf_init(&b);
	if (nesc != NULL)
		*nesc = 0;
	if (conv_codeset_is_utf8(cs) || strcmp(cs, "ANSI_X3.4-1968") == 0 ||
	    conv_convert(cs, "UTF-8", utf8, strlen(utf8), conv_escape, &b,
	    nesc, NULL) != CX_OK) {
		buf_reset(&b);
		buf_addstr(&b, utf8);
	}
	if (outlen != NULL)
		*outlen = b.len;
	return buf_take(&b);
}
