/* test_conv.c: encoding conversion at the edges. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "conv.h"
#include "util.h"
#include "tap.h"

int
main(void)
{
	struct buf b;
	size_t nrepl = 0;
	char *err = NULL, *s;

	buf_init(&b);
	ok(conv_convert("GB18030", "UTF-8", "张三", strlen("张三"), "?", &b,
	    &nrepl, &err) == CX_OK, "UTF-8 to GB18030");
	ok(b.len == 4 && memcmp(b.s, "\xd5\xc5\xc8\xfd", 4) == 0,
	    "张三 is D5C5 C8FD in GB18030");
	buf_reset(&b);
	ok(conv_convert("GB18030", "UTF-8", "𠀾", strlen("𠀾"), "?", &b,
	    &nrepl, &err) == CX_OK && b.len == 4 && nrepl == 0,
	    "a non-BMP character takes four GB18030 bytes");
	buf_reset(&b);
	ok(conv_convert("GB2312", "UTF-8", "张𠀾三", strlen("张𠀾三"), "?", &b,
	    &nrepl, &err) == CX_OK, "GB2312 with an unencodable character");
	ok(b.len == 5 && memcmp(b.s, "\xd5\xc5?\xc8\xfd", 5) == 0,
	    "the unencodable character becomes the replacement");
	is_int(nrepl, 1, "and is counted");
	buf_reset(&b);
	ok(conv_convert("UTF-8", "GB18030", "\xd5\xc5\xc8\xfd", 4, NULL, &b,
	    NULL, &err) == CX_OK, "GB18030 to UTF-8");
	is_str(b.s, "张三", "decoded");
	buf_reset(&b);
	ok(conv_convert("UTF-8", "GB18030", "\xd5\xc5\xc8", 3, NULL, &b,
	    NULL, &err) == CX_ERR, "a truncated GB18030 sequence is refused");
	is_str(err, "文字含有 GB18030 编码下无法识别的字符（位置：第 3 字节）。",
	    "message names the byte");
	free(err);
	err = NULL;
	buf_reset(&b);
	ok(conv_convert("GB18030", "UTF-8", "a\xff", 2, "?", &b, NULL,
	    &err) == CX_ERR, "invalid UTF-8 is refused");
	is_str(err, "文字含有无法识别的字符（不是有效的 UTF-8 编码，位置：第 2 字节）。",
	    "invalid UTF-8 message");
	free(err);
	err = NULL;
	buf_free(&b);

	if (setlocale(LC_ALL, "zh_CN.GB18030") != NULL) {
		is_str(conv_locale_codeset(), "GB18030", "GB18030 locale codeset");
		ok(conv_from_locale("\xd5\xc5\xc8\xfd", &s, &err) == CX_OK,
		    "argument from a GB18030 locale");
		is_str(s, "张三", "argument converted to UTF-8");
		free(s);
		ok(conv_from_locale("\xd5", &s, &err) == CX_ERR,
		    "broken GB18030 argument is refused");
		is_str(err, "输入含有当前语言环境（GB18030）下无法识别的字符。"
		    "请检查终端的编码设置。", "broken argument message");
		free(err);
		err = NULL;
		s = conv_to_locale("张三", &nrepl);
		ok(nrepl == 4 && memcmp(s, "\xd5\xc5\xc8\xfd", 4) == 0,
		    "output converted to GB18030");
		free(s);
	} else
		printf("# skip: zh_CN.GB18030 locale not installed\n");
	if (setlocale(LC_ALL, "zh_CN.UTF-8") != NULL) {
		ok(conv_codeset_is_utf8(conv_locale_codeset()), "UTF-8 locale");
		ok(conv_from_locale("\xe5\xbc", &s, &err) == CX_ERR,
		    "broken UTF-8 argument is refused");
		free(err);
	} else
		printf("# skip: zh_CN.UTF-8 locale not installed\n");
	/* Characters GBK lacks are written visibly, counted. */
	{
		struct buf b, u;
		size_t nrep = 0;
		char *err = NULL;

		buf_init(&b);
		buf_init(&u);
		ok(conv_convert("GBK", "UTF-8", "林𠀾", strlen("林𠀾"),
		    conv_escape, &b, &nrep, &err) == CX_OK, "GBK: converts");
		is_int((int)nrep, 1, "GBK: one character escaped");
		ok(conv_convert("UTF-8", "GBK", b.s, b.len, NULL, &u, NULL,
		    &err) == CX_OK, "GBK: back");
		buf_addc(&u, '\0');
		is_str(u.s, "林[U+2003E]", "GBK: written [U+2003E]");
		buf_free(&b);
		buf_free(&u);
		free(err);
	}
	/* System errors in Chinese whatever locale data is installed. */
	setlocale(LC_ALL, "C");
	is_str(util_strerror(ENOSPC), "磁盘空间不足", "ENOSPC in Chinese");
	is_str(util_strerror(EROFS), "只读文件系统（U 盘可能打开了写保护）",
	    "EROFS in Chinese");
	is_str(util_strerror(ENOENT), "文件或目录不存在", "ENOENT in Chinese");
	is_str(util_strerror(EACCES), "没有权限", "EACCES in Chinese");
	is_str(util_strerror(EIO), "读写出错（设备可能已拔出或损坏）",
	    "EIO in Chinese");
	return tap_done();
}
