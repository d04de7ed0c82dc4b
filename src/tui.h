/* tui.h: the full-screen front end.
 *
 * The screen is a frame and a stack of screens:
 *
 *   row 0            title bar: program, unit, period, data directory, 只读
 *   row 1            the current screen's heading
 *   rows 2..LINES-3  the work area, drawn by the screen on top of the stack
 *   row LINES-2      status line: messages and errors, in Chinese
 *   row LINES-1      function-key bar, built from the key table
 *
 * Each screen (menu, browse list, entry form, help, recycle bin) lives in
 * its own file and is a small set of functions behind struct tui_screen.
 * Below 80x24 the frame shows 窗口太小 instead, and recovers on resize.
 * All text handed to the drawing helpers is UTF-8; they convert to wide
 * characters and measure with the locale's wcwidth(), never splitting a
 * wide character at an edge.
 */
#ifndef CXZY_TUI_H
#define CXZY_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "formdef.h"
#include "ledger.h"
#include "model.h"
#include "store.h"
#include "text.h"
#include "tui_keys.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_ROWS	24
#define TUI_MAX_DEPTH	16

struct tui;

/* What a screen's key handler asks the frame to do next. */
enum tui_result {
	TR_STAY,	/* redraw and keep going */
	TR_POP,		/* close this screen */
	TR_QUIT		/* leave the program (after asking every screen) */
};

struct tui_screen_ops {
	const char	*name;		/* for traces: "menu", "browse", ... */
	/* The keys this screen uses (TA_NONE-terminated); they make up the
	 * function-key bar and the help screen.  A screen whose keys never
	 * change leaves this NULL and names its list in action_list. */
	const enum tui_action *(*actions)(struct tui *t, void *self);
	const enum tui_action *action_list;
	/* TK_TEXT while the cursor is in a text field. */
	enum tui_keymode (*keymode)(struct tui *t, void *self);
	/* Heading shown on row 1 (UTF-8, newly allocated). */
	char		*(*heading)(struct tui *t, void *self);
	/* Draws the work area: rows y .. y+h-1, columns 0 .. w-1.  Calls
	 * tui_cursor() to place the terminal cursor (for input methods). */
	void		 (*draw)(struct tui *t, void *self, int y, int h, int w);
	/* Handles one action; wc is the character for TA_CHAR. */
	enum tui_result	 (*key)(struct tui *t, void *self, enum tui_action a,
			    wchar_t wc);
	/* Called before the screen is closed by Esc or Ctrl+Q: may ask
	 * 保存/放弃/取消.  Returns false to stay.  NULL = always leave. */
	bool		 (*leave)(struct tui *t, void *self);
	/* The help line of the focused item, or NULL (UTF-8, static or owned
	 * by the screen). */
	const char	*(*help_line)(struct tui *t, void *self);
	/* Called when a screen above it closed, e.g. to reload a list after
	 * a record was saved.  May be NULL. */
	void		 (*resume)(struct tui *t, void *self);
	/* Does one bounded step of background work, such as searching on
	 * through a long list, and returns true while more remains.  While
	 * it does, the frame polls for keys between steps, so a key never
	 * waits longer than one step.  May be NULL. */
	bool		 (*idle)(struct tui *t, void *self);
	void		 (*free)(void *self);
	/* What this screen is for, a few sentences for the help screen
	 * (UTF-8), or NULL. */
	const char	*about;
};

struct tui_options {
	bool	ascii;		/* ASCII borders instead of line drawing */
};

enum tui_status_kind {
	TS_INFO,
	TS_ERROR
};

struct tui {
	const char		*datadir;
	const struct formset	*fs;
	struct store		*st;
	struct ledger		 lg;		/* every load and save of records */
	struct tui_options	 opt;
	char			*unit;		/* the 机关党委's name */
	struct period		 period;	/* ledger's current period (F9) */
	int			 rows, cols;
	bool			 too_small;
	bool			 color;
	char			*status;
	enum tui_status_kind	 status_kind;
	struct {
		const struct tui_screen_ops	*ops;
		void				*self;
	}			 stack[TUI_MAX_DEPTH];
	int			 depth;
	int			 cur_y, cur_x;	/* cursor requested by draw */
	bool			 cur_on;
	FILE			*trace;
	bool			 busy;		/* the top screen has idle work */
	bool			 quitting;
	bool			 restored;	/* data replaced: no exit backup */
};

/* Runs the full-screen program until the user quits.  Returns the exit
 * status.  The terminal is always restored, also on a fatal error. */
int tui_main(const char *datadir, const struct formset *fs,
    struct store *st, const struct tui_options *opt);

/* Screen stack. */
void tui_push(struct tui *t, const struct tui_screen_ops *ops, void *self);

/* Status line (UTF-8).  Cleared by the next key. */
void tui_info(struct tui *t, const char *fmt, ...) CX_PRINTF(2, 3);
void tui_error(struct tui *t, const char *fmt, ...) CX_PRINTF(2, 3);
/* Shows a core error message and frees it. */
void tui_error_take(struct tui *t, char *msg);

/* Drawing (UTF-8 in).  Each writes at most cols columns starting at
 * (y, x) and returns the columns used.  tui_put_pad pads with spaces to
 * exactly cols. */
int tui_put(struct tui *t, int y, int x, const char *s, int cols, int attr);
int tui_put_pad(struct tui *t, int y, int x, const char *s, int cols,
    enum text_align align, int attr);
int tui_put_wcs(struct tui *t, int y, int x, const wchar_t *s, int cols,
    int attr);
void tui_fill(struct tui *t, int y, int x, int cols, int attr);
void tui_box(struct tui *t, int y, int x, int h, int w);
void tui_hline(struct tui *t, int y, int x, int w);
/* Places the terminal cursor after drawing (for input methods). */
void tui_cursor(struct tui *t, int y, int x);

/* Attributes. */
int tui_attr_title(const struct tui *t);
int tui_attr_select(const struct tui *t);
int tui_attr_error(const struct tui *t);
int tui_attr_dim(const struct tui *t);
int tui_attr_field(const struct tui *t);

/* Modal dialogs with their own key loop.  tui_choose shows a message and
 * buttons (UTF-8 labels); returns the chosen index, or -1 for Esc.
 * tui_confirm asks a yes/no question (default: no). */
int tui_choose(struct tui *t, const char *title, const char *message,
    const char *const *buttons, int nbuttons, int def);
bool tui_confirm(struct tui *t, const char *message);
/* Shows a message until a key is pressed. */
void tui_message(struct tui *t, const char *title, const char *message);
/* tui_message of a core error message (NULL: 发生未知错误), then frees it. */
void tui_message_take(struct tui *t, const char *title, char *message);

/* How a link value "KIND:ID" reads: "附件一：办公室党支部 2026年上半年"
 * (tui_form.c).  Newly allocated. */
char *tui_link_display(struct tui *t, const char *value);
/* The short name of a kind: "附件一" from "党支部公开承诺书（附件一）",
 * else the whole label.  Newly allocated. */
char *tui_kind_short(const struct form *f);

/* Reference lookup for form_validate and form_value_display. */
int tui_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp);

/* Screens. */
void tui_menu_open(struct tui *t);
void tui_help_open(struct tui *t, const enum tui_action *actions,
    const char *field_help);
void tui_browse_open(struct tui *t, const struct form *f);
/* Opens the entry form for a new record (id 0) or an existing one. */
void tui_form_open(struct tui *t, const struct form *f, uint64_t id);
/* Opens the entry form for a new record with the fields of prefill
 * (top-level values only) already filled in. */
void tui_form_open_prefill(struct tui *t, const struct form *f,
    const struct record *prefill);
void tui_trash_open(struct tui *t);
/* 数据维护: makes a backup now and says where; lists the backups and
 * restores a chosen one (then asks the frame to quit, since the open
 * store still shows the old data). */
void tui_backup_now(struct tui *t);
void tui_backup_restore_open(struct tui *t);
/* 数据维护 → 报送/接收: makes a package for the 机关党委 or a branch,
 * takes one after a preview, and takes held ones again (tui_exchange.c,
 * over exchange.h). */
void tui_exchange_open(struct tui *t);
/* 报表: chooses a 名册 and an encoding, previews, saves and prints it. */
void tui_report_open(struct tui *t);
/* 工作台: what is missing or late in the current period, per branch;
 * Enter opens the record where an item is fixed (tui_workbench.c). */
void tui_workbench_open(struct tui *t);
/* F9: chooses the current period from those with records up to the
 * next one; stores it (ledger_set_current_period) and shows it. */
void tui_period_choose(struct tui *t);
/* 数据维护: 开始新周期 and 备案锁定 / 解除锁定 of the current period,
 * each after a confirmation that says what it does. */
void tui_cycle_new(struct tui *t);
void tui_cycle_lock(struct tui *t);
/* The label of the lock item: "备案锁定（2026年下半年）" or
 * "解除锁定（...）", as the current period is. Newly allocated. */
char *tui_cycle_lock_label(struct tui *t);

#endif
