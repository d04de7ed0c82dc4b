/* tui_keys.h: the key table.
 *
 * Every action the full-screen program knows has one entry: a name, the
 * keys that trigger it, the short label shown in the function-key bar and
 * a sentence for the help screen.  Dispatch, the bar and the help screen
 * all read this one table (tui_keys.c). */
#ifndef CXZY_TUI_KEYS_H
#define CXZY_TUI_KEYS_H

#include <stdbool.h>
#include <wchar.h>

enum tui_action {
	TA_NONE,
	TA_CHAR,		/* a printable character to insert */
	TA_HELP,
	TA_SAVE,
	TA_NEW,
	TA_FIND,
	TA_PICK,		/* open the chooser of an enum or reference field */
	TA_FILTER,
	TA_ROW_ADD,
	TA_DELETE,
	TA_ROW_UP,
	TA_ROW_DOWN,
	TA_BACK,
	TA_QUIT,
	TA_UP,
	TA_DOWN,
	TA_LEFT,
	TA_RIGHT,
	TA_PGUP,
	TA_PGDN,
	TA_HOME,
	TA_END,
	TA_NEXT,		/* next field: Tab */
	TA_PREV,		/* previous field: Shift-Tab */
	TA_ENTER,
	TA_BACKSPACE,
	TA_DELCHAR,
	TA_KILL,		/* Ctrl+U: delete to the start of the field */
	TA_KILL_END,		/* Ctrl+K: delete to the end of the field */
	TA_INSERT,		/* toggle insert/overwrite */
	TA_RESTORE,
	TA_PRINT,		/* print a report */
	TA_REDRAW,		/* Ctrl+L */
	TA_RESIZE,
	TA_OPEN,		/* open the record behind a table row or a link */
	TA_HISTORY,		/* old versions of a signed record */
	TA_PERIOD,		/* choose the period to work in */
	TA_PACKAGE,		/* make a package (报送/接收) */
	TA_APPLY,		/* take a previewed package (报送/接收) */
	TA_COUNT
};

/* What kind of screen is reading keys.  In text entry, printable
 * characters are always text: '?' and '/' are typed, not commands. */
enum tui_keymode {
	TK_LIST,
	TK_TEXT
};

struct tui_key {
	enum tui_action	 action;
	const char	*name;		/* identifier, e.g. "save" */
	const wchar_t	*keys;		/* how the help shows the keys: L"F2 或 Ctrl+S" */
	const wchar_t	*bar_key;	/* in the bar, e.g. L"F2"; NULL = not in bar */
	const wchar_t	*label;		/* in the bar, e.g. L"保存" */
	const wchar_t	*help;		/* one sentence for the help screen */
};

/* Resolves keys whose codes terminfo assigns at run time (Ctrl+arrows).
 * Call after initscr(). */
void tui_keys_init(void);

/* The entry for an action (never NULL for a valid action). */
const struct tui_key *tui_key_info(enum tui_action a);

/* Maps what get_wch() returned to an action.  is_code is true when it
 * returned KEY_CODE_YES.  The same key may serve different actions on
 * different screens (F5 chooses in a form and restores in the recycle
 * bin), so only actions in `allowed` (ended by TA_NONE) are considered,
 * plus the global ones: help, quit, redraw and resize.  For TA_CHAR the
 * character is stored in *wc. */
enum tui_action tui_key_action(bool is_code, unsigned long key,
    enum tui_keymode mode, const enum tui_action *allowed, wchar_t *wc);

/* Whether a is in the TA_NONE-terminated list. */
bool tui_action_in(enum tui_action a, const enum tui_action *list);

/* A readable name for a raw key (for CXZY_TRACE). */
void tui_key_name(bool is_code, unsigned long key, char *out, size_t len);

#endif
