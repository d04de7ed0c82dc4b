/* tui_picker.h: a searchable list to choose one item or several.
 *
 * The picker is a screen pushed on top of the current one and drawn as a
 * box over it: a filter line (struct edit, so Chinese input works and the
 * cursor stays where an input method expects it), the matching items,
 * and a count.  Up/Down/PgUp/PgDn/Home/End move, typing filters, Enter
 * chooses, Esc cancels.  With `multi` Space checks and unchecks items and
 * Enter confirms the checked set.
 *
 * Items come either from a list given at open time (filtered here by
 * substring of the label, ignoring ASCII case and full-width forms) or
 * from a fetch callback that is asked again whenever the filter changes
 * and for more items when the user scrolls past the last one loaded;
 * that is how a reference to a kind with a million records stays fast.
 *
 * The picker knows nothing about forms: the entry form uses it for enum,
 * bool and reference fields, the browse list may use it for its filter.
 * Strings are UTF-8.
 */
#ifndef CXZY_TUI_PICKER_H
#define CXZY_TUI_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct tui;

struct tui_picker_item {
	char	*code;		/* what the caller gets back; "" = none */
	char	*label;		/* what is shown and filtered */
	char	*note;		/* shown dimmed at the right, or NULL */
};

struct tui_picker_list {
	struct tui_picker_item	*v;
	size_t			 n;
	size_t			 cap;
};

void tui_picker_list_init(struct tui_picker_list *l);
/* Appends copies of the strings (note may be NULL). */
void tui_picker_list_add(struct tui_picker_list *l, const char *code,
    const char *label, const char *note);
/* Frees the items; the list stays usable (empty). */
void tui_picker_list_clear(struct tui_picker_list *l);

/* A source of items for large sets.  With restart, begins a new search
 * for filter (the user's text, UTF-8, possibly ""); otherwise continues
 * after the items it gave since the last restart.  Appends at most max
 * items to out and sets *more to whether any may follow.  Returns CX_OK,
 * or CX_ERR with a message in *errp. */
typedef int (*tui_picker_fetch_fn)(void *arg, const char *filter,
    bool restart, size_t max, struct tui_picker_list *out, bool *more,
    char **errp);

/* Called once when the picker closes: codes holds the chosen code (one)
 * or the checked codes (multi, in list order; possibly none), or is NULL
 * when the user cancelled.  The picker is still on the stack during the
 * call and is closed right after it. */
typedef void (*tui_picker_done_fn)(struct tui *t, void *arg,
    const struct strlist *codes);

struct tui_picker_spec {
	const char		*title;		/* "选择所属党支部" */
	const char		*help;		/* status line, NULL: default */
	bool			 multi;
	/* Either items (copied) ... */
	const struct tui_picker_list *items;
	/* ... or a fetch callback; fetch_free (may be NULL) is called with
	 * fetch_arg when the picker closes, whatever happened. */
	tui_picker_fetch_fn	 fetch;
	void			*fetch_arg;
	void			(*fetch_free)(void *arg);
	const char		*filter;	/* initial filter, or NULL */
	/* Codes chosen now: the first is highlighted, and with multi all
	 * start checked.  May be NULL. */
	const struct strlist	*selected;
	/* When not NULL, a first item with code "" and this label lets the
	 * user choose nothing (shown while the filter is empty). */
	const char		*none_label;
	tui_picker_done_fn	 done;
	void			*done_arg;
	/* The screen position of what the choice is for (a form field):
	 * the box opens below it, or above it when there is no room.
	 * anchor_y 0 centres the box. */
	int			 anchor_y, anchor_x;
};

/* Pushes the picker on the screen stack. */
void tui_picker_open(struct tui *t, const struct tui_picker_spec *spec);


/* Whether label contains filter the way the picker filters a list:
 * ASCII case and full-width forms are ignored, "" matches everything. */
bool tui_picker_match(const char *label, const char *filter);

#endif
