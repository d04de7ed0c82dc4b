/* tui_trash.c: placeholder until the recycle bin screen lands. */
#include "config.h"
#include "tui.h"
void
tui_trash_open(struct tui *t)
{
	tui_info(t, "回收站画面尚在开发中。");
}
