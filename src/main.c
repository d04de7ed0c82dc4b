/* main.c: entry point of cxzy. */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	/* A locale that is not installed leaves the C locale, where Chinese
	 * cannot be shown; C.UTF-8 is the best fallback (pitfalls 1.2). */
	if (setlocale(LC_ALL, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "ANSI_X3.4-1968") == 0) {
		if (setlocale(LC_ALL, "C.UTF-8") != NULL)
			fprintf(stderr, "cxzy: 当前语言环境不可用或不支持中文，"
			    "改用 C.UTF-8。请安装 zh_CN.UTF-8 语言环境。\n");
	}
	return cli_main(argc, argv);
}
