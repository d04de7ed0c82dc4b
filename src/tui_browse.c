/* tui_browse.c: placeholder until the browse list lands. */
#include "config.h"
#include "tui.h"
void
tui_browse_open(struct tui *t, const struct form *f)
{
	tui_info(t, "%s的浏览列表尚在开发中。", f->label);
}
