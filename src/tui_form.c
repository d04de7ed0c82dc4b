/* tui_form.c: placeholder until the entry form lands. */
#include "config.h"
#include "tui.h"
void
tui_form_open(struct tui *t, const struct form *f, uint64_t id)
{
	(void)id;
	tui_info(t, "%s的录入表尚在开发中。", f->label);
}
