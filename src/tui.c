/* tui.c: the frame, the main loop, drawing helpers and dialogs. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "check.h"
#include "conv.h"
#include "edit.h"
#include "tui.h"
#include "tui_curses.h"

/* Precomputed terminal reset for the fatal-signal handler, which may only
 * call async-signal-safe functions. */
static char tui_reset_seq[256];
static size_t tui_reset_len;

static void
tui_fatal_signal(int sig)
{
	static const char msg[] = "\r\ncxzy: 程序遇到严重错误，已退出。"
	    "已经保存的数据不受影响；请重新打开程序。\r\n";

	(void)sig;
	if (tui_reset_len > 0)
		(void)!write(STDOUT_FILENO, tui_reset_seq, tui_reset_len);
	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	_exit(70);
}

static void
tui_reset_add(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (tui_reset_len + n < sizeof tui_reset_seq) {
		memcpy(tui_reset_seq + tui_reset_len, s, n);
		tui_reset_len += n;
	}
}

static void
tui_install_fatal(void)
{
	struct sigaction sa;

	tui_reset_add("sgr0");
	tui_reset_add("cnorm");
	tui_reset_add("rmkx");
	tui_reset_add("rmcup");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* ------------------------------------------------------------ drawing */

enum {
	TUI_PAIR_TITLE = 1,
	TUI_PAIR_SELECT,
	TUI_PAIR_ERROR,
	TUI_PAIR_FIELD
};

int
tui_attr_title(const struct tui *t)
{
	return t->color ? (int)(COLOR_PAIR(TUI_PAIR_TITLE) | A_BOLD) :
	    (int)A_REVERSE;
}

int
tui_attr_select(const struct tui *t)
{
	return t->color ? (int)COLOR_PAIR(TUI_PAIR_SELECT) : (int)A_REVERSE;
}

int
tui_attr_error(const struct tui *t)
{
	return t->color ? (int)(COLOR_PAIR(TUI_PAIR_ERROR) | A_BOLD) :
	    (int)A_BOLD;
}

int
tui_attr_dim(const struct tui *t)
{
	(void)t;
	return (int)A_DIM;
}

int
tui_attr_field(const struct tui *t)
{
	return t->color ? (int)COLOR_PAIR(TUI_PAIR_FIELD) : (int)A_UNDERLINE;
}

int
tui_put_wcs(struct tui *t, int y, int x, const wchar_t *s, int cols,
    int attr)
{
	wchar_t cell[2];
	int used = 0, w;

	(void)t;
	if (cols <= 0)
		return 0;
	attrset(attr);
	move(y, x);
	for (; *s != L'\0'; s++) {
		w = edit_cell(*s, &cell[0]);
		if (used + w > cols)
			break;
		if (w == 0 && used == 0)
			continue;
		cell[1] = L'\0';
		addnwstr(cell, 1);
		used += w;
	}
	attrset(A_NORMAL);
	return used;
}

/* UTF-8 to wide characters; invalid bytes (which the core never stores)
 * become U+FFFD rather than stopping the drawing. */
static wchar_t *
tui_wcs(const char *s)
{
	wchar_t *w = xcalloc(strlen(s) + 1, sizeof *w);
	size_t i = 0;
	uint32_t uc;

	while (*s != '\0') {
		s += text_utf8_decode(s, &uc);
		w[i++] = (wchar_t)uc;
	}
	w[i] = L'\0';
	return w;
}

/* Stored text reaches the screen through here.  edit_cell() already
 * draws a control character as '?' and skips zero-width ones, so a bidi
 * override vanished without a trace (and U+061C, one column wide in a
 * GB18030 locale, reached the terminal).  Such characters and invalid
 * bytes are drawn as the escapes the command line prints (text_safe). */
int
tui_put(struct tui *t, int y, int x, const char *s, int cols, int attr)
{
	char *safe = NULL;
	wchar_t *w;
	int used;

	if (s == NULL)
		s = "";
	if (!text_is_safe(s, false))
		s = safe = text_safe(s, false);
	w = tui_wcs(s);
	used = tui_put_wcs(t, y, x, w, cols, attr);
	free(w);
	free(safe);
	return used;
}

void
tui_fill(struct tui *t, int y, int x, int cols, int attr)
{
	(void)t;
	if (cols <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', cols);
	attrset(A_NORMAL);
}

int
tui_put_pad(struct tui *t, int y, int x, const char *s, int cols,
    enum text_align align, int attr)
{
	size_t width;
	char *cut, *safe;
	int left = 0, used;

	if (cols <= 0)
		return 0;
	/* Escaped before measuring, as tui_put() will draw it. */
	safe = text_safe(s ? s : "", false);
	cut = text_truncate(safe, (size_t)cols, TEXT_SCREEN, &width);
	free(safe);
	if (align == TEXT_RIGHT)
		left = cols - (int)width;
	else if (align == TEXT_CENTER)
		left = (cols - (int)width) / 2;
	tui_fill(t, y, x, cols, attr);
	used = tui_put(t, y, x + left, cut, cols - left, attr);
	free(cut);
	(void)used;
	return cols;
}

void
tui_hline(struct tui *t, int y, int x, int w)
{
	attrset(A_NORMAL);
	if (t->opt.ascii)
		mvhline(y, x, '-', w);
	else
		mvhline(y, x, ACS_HLINE, w);
}

/* A box edge drawn over one half of a wide character leaves curses'
 * idea of the screen out of step with the terminal; blank such a
 * character first.  Walks the row from the left, since only the first
 * half of a wide character can be read back. */
static void
tui_unsplit(int y, int col)
{
	int x = 0, cw;

	if (col <= 0 || col >= COLS)
		return;
	while (x < col) {
		cchar_t cc;
		wchar_t wch[CCHARW_MAX + 1];
		attr_t a;
		short pair;

		cw = 1;
		if (mvin_wch(y, x, &cc) == OK &&
		    getcchar(&cc, wch, &a, &pair, NULL) != ERR &&
		    wch[0] != L'\0' &&
		    text_char_width((uint32_t)wch[0], TEXT_SCREEN) == 2)
			cw = 2;
		if (x + cw > col) {
			mvaddstr(y, x, "  ");
			return;
		}
		x += cw;
	}
}

void
tui_box(struct tui *t, int y, int x, int h, int w)
{
	chtype hl = t->opt.ascii ? '-' : ACS_HLINE;
	chtype vl = t->opt.ascii ? '|' : ACS_VLINE;
	int i;

	for (i = 0; i < h; i++) {
		tui_unsplit(y + i, x);
		tui_unsplit(y + i, x + w);
	}
	attrset(A_NORMAL);
	for (i = 1; i < h - 1; i++) {
		mvhline(y + i, x + 1, ' ', w - 2);
		mvaddch(y + i, x, vl);
		mvaddch(y + i, x + w - 1, vl);
	}
	mvhline(y, x + 1, hl, w - 2);
	mvhline(y + h - 1, x + 1, hl, w - 2);
	mvaddch(y, x, t->opt.ascii ? '+' : ACS_ULCORNER);
	mvaddch(y, x + w - 1, t->opt.ascii ? '+' : ACS_URCORNER);
	mvaddch(y + h - 1, x, t->opt.ascii ? '+' : ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, t->opt.ascii ? '+' : ACS_LRCORNER);
}

void
tui_cursor(struct tui *t, int y, int x)
{
	t->cur_y = y;
	t->cur_x = x;
	t->cur_on = true;
}

/* ------------------------------------------------------------- status */

static void
tui_set_status(struct tui *t, enum tui_status_kind kind, char *msg)
{
	free(t->status);
	t->status = msg;
	t->status_kind = kind;
}

void
tui_info(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_set_status(t, TS_INFO, xvasprintf(fmt, ap));
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_set_status(t, TS_ERROR, xvasprintf(fmt, ap));
	va_end(ap);
}

void
tui_error_take(struct tui *t, char *msg)
{
	tui_set_status(t, TS_ERROR, msg ? msg : xstrdup("发生未知错误。"));
}

/* -------------------------------------------------------------- frame */

static const enum tui_action tui_no_actions[] = { TA_NONE };

/* The keys of a screen: its fixed list or what its actions() says. */
static const enum tui_action *
tui_screen_actions(struct tui *t, const struct tui_screen_ops *ops,
    void *self)
{
	return ops->actions != NULL ? ops->actions(t, self) : ops->action_list;
}

static const enum tui_action *
tui_top_actions(struct tui *t)
{
	if (t->depth == 0)
		return tui_no_actions;
	return tui_screen_actions(t, t->stack[t->depth - 1].ops,
	    t->stack[t->depth - 1].self);
}

static void
tui_draw_title(struct tui *t)
{
	char label[32], *dir, *line;
	size_t dw;

	model_period_label(&t->period, label);
	line = xasprintf(" 创先争优台账  %s  %s  数据：", t->unit, label);
	tui_fill(t, 0, 0, t->cols, tui_attr_title(t));
	dw = text_width(line, TEXT_SCREEN);
	tui_put(t, 0, 0, line, t->cols, tui_attr_title(t));
	/* The directory is cut from the left: its end tells most. */
	dir = xasprintf("%s%s ", t->datadir,
	    store_readonly(t->st) ? " [只读]" : "");
	if ((int)dw < t->cols) {
		int room = t->cols - (int)dw;
		size_t w = text_width(dir, TEXT_SCREEN);
		const char *p = dir;

		while (w > (size_t)room && *p != '\0') {
			uint32_t uc;
			int k = text_utf8_decode(p, &uc);

			w -= (size_t)text_char_width(uc, TEXT_SCREEN);
			p += k;
		}
		tui_put(t, 0, (int)dw, p, room, tui_attr_title(t));
	}
	free(dir);
	free(line);
}

static void
tui_draw_bar(struct tui *t)
{
	const enum tui_action *acts = tui_top_actions(t);
	static const enum tui_action always[] = { TA_HELP, TA_QUIT, TA_NONE };
	int x = 0, pass;

	tui_fill(t, t->rows - 1, 0, t->cols, A_NORMAL);
	/* Help first, then the screen's keys, then quit. */
	for (pass = 0; pass < 3; pass++) {
		const enum tui_action *a = pass == 1 ? acts : always;

		for (; *a != TA_NONE; a++) {
			const struct tui_key *k = tui_key_info(*a);
			int need;

			if ((pass == 0 && *a != TA_HELP) ||
			    (pass == 2 && *a != TA_QUIT) ||
			    (pass == 1 && (*a == TA_HELP || *a == TA_QUIT)) ||
			    k->bar_key == NULL)
				continue;
			need = (int)wcslen(k->bar_key) +
			    (int)wcswidth(k->label, 16) + 1;
			if (x + need > t->cols)
				break;
			x += tui_put_wcs(t, t->rows - 1, x, k->bar_key, 4,
			    A_BOLD);
			x += tui_put_wcs(t, t->rows - 1, x, k->label, 8,
			    tui_attr_title(t));
			x += 1;
		}
	}
}

static void
tui_draw_status(struct tui *t)
{
	const char *msg = t->status;
	int attr = t->status_kind == TS_ERROR ? tui_attr_error(t) : (int)A_NORMAL;

	tui_fill(t, t->rows - 2, 0, t->cols, A_NORMAL);
	if (msg == NULL && t->depth > 0 &&
	    t->stack[t->depth - 1].ops->help_line != NULL) {
		msg = t->stack[t->depth - 1].ops->help_line(t,
		    t->stack[t->depth - 1].self);
		attr = tui_attr_dim(t);
	}
	if (msg != NULL) {
		char *one = xstrdup(msg), *p;

		/* One line only: the status line never wraps. */
		for (p = one; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		tui_put(t, t->rows - 2, 1, one, t->cols - 2, attr);
		free(one);
	}
}

static void
tui_draw_too_small(struct tui *t)
{
	char *now = xasprintf("请把窗口放大到至少 %d 列、%d 行（现在 %d 列、%d 行）。",
	    TUI_MIN_COLS, TUI_MIN_ROWS, t->cols, t->rows);
	int y = t->rows / 2 - 1;

	erase();
	tui_put_pad(t, y < 0 ? 0 : y, 0, "窗口太小", t->cols, TEXT_CENTER,
	    A_BOLD);
	if (y + 1 < t->rows)
		tui_put_pad(t, y + 1, 0, now, t->cols, TEXT_CENTER, A_NORMAL);
	if (y + 2 < t->rows)
		tui_put_pad(t, y + 2, 0, "窗口放大后自动恢复；按 Ctrl+Q 退出。",
		    t->cols, TEXT_CENTER, A_NORMAL);
	free(now);
	move(0, 0);
}

/* Draws the whole screen into curses' buffer (not yet to the terminal). */
static void
tui_draw(struct tui *t)
{
	char *heading;
	int top = t->depth - 1;

	t->cur_on = false;
	if (t->too_small) {
		tui_draw_too_small(t);
		return;
	}
	erase();
	tui_draw_title(t);
	if (top >= 0) {
		heading = t->stack[top].ops->heading(t, t->stack[top].self);
		tui_put(t, 1, 1, heading, t->cols - 2, A_BOLD);
		free(heading);
		t->stack[top].ops->draw(t, t->stack[top].self, 2, t->rows - 4,
		    t->cols);
	}
	tui_draw_status(t);
	tui_draw_bar(t);
	if (t->cur_on) {
		curs_set(1);
		move(t->cur_y, t->cur_x);
	} else {
		curs_set(0);
		move(t->rows - 1, t->cols - 1);
	}
}

static void
tui_update_size(struct tui *t)
{
	t->rows = LINES;
	t->cols = COLS;
	t->too_small = t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
}

/* --------------------------------------------------------------- input */

struct tui_key_event {
	enum tui_action	action;
	wchar_t		wc;
	bool		timeout;	/* no key came while polling */
	char		name[32];
};

/* The data check started with the program runs in a child process
 * (check.h); the key loop polls it every TUI_CHECK_TICK_MS while waiting
 * for a key, so no key waits for it.  A finished check's result waits in
 * tui_bgresult until the frame can show it. */
#define TUI_CHECK_TICK_MS	100
static struct check *tui_bgcheck;
static struct check_result tui_bgresult;
static bool tui_bgdone;

/* Reads one key.  The time the frame spends on it (from the moment the
 * key arrives until the screen is updated) is traced by the caller. */
static void
tui_read_key(struct tui *t, enum tui_keymode mode,
    const enum tui_action *allowed, struct tui_key_event *ev)
{
	wint_t wc = 0;
	int rc;
	bool ticking;

	ev->timeout = false;
	for (;;) {
		ticking = tui_bgcheck != NULL && !t->busy;
		timeout(t->busy ? 0 : ticking ? TUI_CHECK_TICK_MS : -1);
		errno = 0;
		rc = get_wch(&wc);
		if (rc != ERR)
			break;
		if (tui_bgcheck != NULL && check_poll(tui_bgcheck)) {
			check_finish(tui_bgcheck, &tui_bgresult);
			tui_bgcheck = NULL;
			tui_bgdone = true;
			if (!t->busy) {
				/* Back to the frame, which shows the result. */
				ev->action = TA_NONE;
				strcpy(ev->name, "(idle)");
				return;
			}
		}
		if (t->busy || (!ticking && errno != EINTR))
			break;
	}
	if (rc == ERR) {
		ev->action = TA_NONE;
		ev->timeout = t->busy;
		strcpy(ev->name, t->busy ? "(idle)" : "ERR");
		return;
	}
	tui_key_name(rc == KEY_CODE_YES, (unsigned long)wc, ev->name,
	    sizeof ev->name);
	ev->wc = 0;
	ev->action = tui_key_action(rc == KEY_CODE_YES, (unsigned long)wc,
	    mode, allowed, &ev->wc);
}

static double
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
tui_trace(struct tui *t, const char *where, const char *key, double t0)
{
	if (t->trace == NULL)
		return;
	fprintf(t->trace, "%s\t%s\t%.3f\n", where, key, tui_now_ms() - t0);
	fflush(t->trace);
}

/* -------------------------------------------------------------- dialogs */

int
tui_choose(struct tui *t, const char *title, const char *message,
    const char *const *buttons, int nbuttons, int def)
{
	static const enum tui_action acts[] = { TA_LEFT, TA_RIGHT, TA_NEXT,
	    TA_PREV, TA_ENTER, TA_BACK, TA_NONE };
	int sel = def, i;

	/* A dialog waits for its answer; background work waits too. */
	t->busy = false;
	for (;;) {
		struct tui_key_event ev;
		char **lines;
		size_t n, k;
		int w, h, y, x, bx, bw = 0;
		double t0;

		tui_draw(t);
		if (!t->too_small) {
			w = t->cols - 10 < 60 ? t->cols - 10 : 60;
			lines = text_wrap(message, (size_t)(w - 4), TEXT_SCREEN,
			    &n);
			h = (int)n + 6;
			y = (t->rows - h) / 2;
			x = (t->cols - w) / 2;
			tui_box(t, y, x, h, w);
			tui_put(t, y, x + 2, title, w - 4, A_BOLD);
			for (k = 0; k < n && (int)k < t->rows - 8; k++)
				tui_put(t, y + 2 + (int)k, x + 2, lines[k], w - 4,
				    A_NORMAL);
			text_lines_free(lines);
			for (i = 0; i < nbuttons; i++)
				bw += (int)text_width(buttons[i], TEXT_SCREEN) + 8;
			bx = x + (w - bw) / 2;
			for (i = 0; i < nbuttons; i++) {
				char *b = xasprintf("[%d %s]", i + 1, buttons[i]);

				bx += tui_put(t, y + h - 2, bx, b, w,
				    i == sel ? tui_attr_select(t) : (int)A_NORMAL) + 4;
				free(b);
			}
			curs_set(0);
		}
		refresh();
		tui_read_key(t, TK_LIST, acts, &ev);
		t0 = tui_now_ms();
		switch (ev.action) {
		case TA_RESIZE:
			tui_update_size(t);
			break;
		case TA_LEFT:
		case TA_PREV:
			sel = (sel + nbuttons - 1) % nbuttons;
			break;
		case TA_RIGHT:
		case TA_NEXT:
			sel = (sel + 1) % nbuttons;
			break;
		case TA_ENTER:
			tui_trace(t, "dialog", ev.name, t0);
			return sel;
		case TA_BACK:
		case TA_QUIT:
			tui_trace(t, "dialog", ev.name, t0);
			return -1;
		case TA_CHAR:
			if (ev.wc >= L'1' && ev.wc < L'1' + nbuttons) {
				tui_trace(t, "dialog", ev.name, t0);
				return (int)(ev.wc - L'1');
			}
			break;
		default:
			break;
		}
		tui_trace(t, "dialog", ev.name, t0);
	}
}

bool
tui_confirm(struct tui *t, const char *message)
{
	static const char *const yn[] = { "是", "否" };

	return tui_choose(t, "请确认", message, yn, 2, 1) == 0;
}

void
tui_message(struct tui *t, const char *title, const char *message)
{
	static const char *const ok[] = { "知道了" };

	(void)tui_choose(t, title, message, ok, 1, 0);
}

void
tui_message_take(struct tui *t, const char *title, char *message)
{
	tui_message(t, title, message != NULL ? message : "发生未知错误。");
	free(message);
}

/* ---------------------------------------------------------- the stack */

void
tui_push(struct tui *t, const struct tui_screen_ops *ops, void *self)
{
	if (t->depth >= TUI_MAX_DEPTH) {
		tui_error(t, "打开的画面太多了，请先按 Esc 返回几层。");
		ops->free(self);
		return;
	}
	t->stack[t->depth].ops = ops;
	t->stack[t->depth].self = self;
	t->depth++;
}

static void
tui_pop(struct tui *t)
{
	if (t->depth == 0)
		return;
	t->depth--;
	t->stack[t->depth].ops->free(t->stack[t->depth].self);
	if (t->depth > 0 && t->stack[t->depth - 1].ops->resume != NULL)
		t->stack[t->depth - 1].ops->resume(t,
		    t->stack[t->depth - 1].self);
}

/* Ctrl+Q: every open screen may object (unsaved changes), top first. */
static void
tui_quit(struct tui *t)
{
	while (t->depth > 0) {
		int top = t->depth - 1;

		if (t->stack[top].ops->leave != NULL &&
		    !t->stack[top].ops->leave(t, t->stack[top].self))
			return;
		tui_pop(t);
	}
}

int
tui_lookup(void *arg, const char *kind, uint64_t id, struct record **out,
    char **errp)
{
	struct tui *t = arg;
	const struct form *f = formset_find(t->fs, kind);

	if (f == NULL)
		return CX_NOTFOUND;
	return store_get(t->st, f, id, out, errp);
}

static int
tui_find_unit(void *arg, const struct form *f, const struct record *r)
{
	struct tui *t = arg;
	const char *type = record_get(r, "type");

	(void)f;
	if (type != NULL && strcmp(type, "committee") == 0) {
		free(t->unit);
		t->unit = xstrdup(record_get(r, "name") ? record_get(r, "name") :
		    "");
		return 1;
	}
	return 0;
}

static void
tui_init_colors(struct tui *t)
{
	t->color = false;
	/* NO_COLOR counts only when set to something (no-color.org). */
	if (!has_colors() || (getenv("NO_COLOR") != NULL &&
	    *getenv("NO_COLOR") != '\0'))
		return;
	if (start_color() != OK)
		return;
	use_default_colors();
	init_pair(TUI_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(TUI_PAIR_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(TUI_PAIR_ERROR, COLOR_RED, -1);
	init_pair(TUI_PAIR_FIELD, -1, -1);
	t->color = true;
}

/* Prints a line after endwin() in the locale's encoding. */
static void
tui_say(FILE *fp, const char *s)
{
	size_t n;
	char *t = conv_to_locale(s, &n);

	fwrite(t, 1, n, fp);
	free(t);
}

/* Every clean exit leaves a backup on the local disk (pitfalls: cheap
 * sticks ignore flushes).  A failure is reported but the exit status
 * stays: the data itself is saved. */
static void
tui_exit_backup(struct tui *t)
{
	struct backup b;
	char *root, *err = NULL, *msg;

	if (t->restored || store_readonly(t->st))
		return;
	root = backup_default_root(&err);
	if (root != NULL && backup_create(t->st, t->fs, root, 0, &b,
	    &err) == CX_OK) {
		char *counts = backup_counts_text(b.counts, b.ncounts);

		msg = xasprintf("已自动备份数据到“%s”（%s）。\n%s", b.path,
		    counts, b.clock_behind ? "注意：电脑的时间早于已有的最新备份，"
		    "这份备份接着它命名。请检查电脑的日期和时间。\n" : "");
		tui_say(stdout, msg);
		free(msg);
		free(counts);
		backup_free(&b);
	} else {
		msg = xasprintf("cxzy: 退出时自动备份没有完成：%s\n"
		    "数据本身已经保存在数据目录里，不受影响。可以稍后用"
		    "“cxzy backup”再备份。\n", err ? err : "未知错误。");
		tui_say(stderr, msg);
		free(msg);
	}
	free(err);
	free(root);
}

/* Shows what the background check found, when it found damage: what is
 * damaged and the two ways out.  A clean result says nothing. */
static void
tui_check_report(struct tui *t)
{
	struct check_result *r = &tui_bgresult;
	struct buf b;
	size_t i;

	tui_bgdone = false;
	if (r->verdict == CHECK_DAMAGED) {
		buf_init(&b);
		buf_addf(&b, "打开数据时的检查发现数据文件已损坏（%zu 处问题）：\n",
		    r->damage.n);
		for (i = 0; i < r->damage.n && i < 5; i++)
			buf_addf(&b, "%s\n", r->damage.v[i]);
		if (r->damage.n > 5)
			buf_addf(&b, "（共 %zu 处，用 cxzy check 命令查看全部）\n",
			    r->damage.n);
		buf_addstr(&b, "\n显示的数据可能不对，请不要继续修改。可以：\n"
		    "1. 恢复最新的备份：数据维护中的「从备份恢复」，或退出后运行 "
		    "cxzy backups 查看、cxzy recover 名称 恢复；\n"
		    "2. 导出还能读出的记录：退出后运行 cxzy export 文件名。");
		tui_message(t, "数据已损坏", b.s);
		buf_free(&b);
		tui_error(t, "数据文件已损坏，请恢复备份或导出还能读出的记录。");
	}
	check_result_free(r);
	tui_draw(t);
	refresh();
}

int
tui_main(const char *datadir, const struct formset *fs, struct store *st,
    const struct tui_options *opt)
{
	struct tui t;
	const struct form *forg = formset_find(fs, "org");
	const char *trace = getenv("CXZY_TRACE");
	SCREEN *scr;
	double t0;

	memset(&t, 0, sizeof t);
	t.datadir = datadir;
	t.fs = fs;
	t.st = st;
	ledger_init(&t.lg, st, fs);
	if (opt != NULL)
		t.opt = *opt;
	t.unit = xstrdup("（尚未设置机关党委）");
	if (forg != NULL)
		(void)store_foreach(st, forg, tui_find_unit, &t, NULL);
	/* The period the user chose last (F9, 开始新周期), else today's. */
	ledger_current_period(&t.lg, &t.period);
	if (trace != NULL && *trace != '\0') {
		t.trace = fopen(trace, "w");
		if (t.trace == NULL) {
			fprintf(stderr, "cxzy: 无法写入跟踪文件“%s”：%s\n", trace,
			    util_strerror(errno));
			free(t.unit);
			ledger_fini(&t.lg);
			return 1;
		}
	}
	t0 = tui_now_ms();
	/* newterm, not initscr: initscr prints ncurses' English message and
	 * exits on a terminal type it does not know. */
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		const char *term = getenv("TERM");
		char *m = xasprintf("cxzy: 不认识这个终端类型（TERM=%s），无法打开全屏"
		    "界面。请在终端的设置里选 xterm 一类的类型，或先运行 "
		    "export TERM=xterm-256color 再试；也可以使用命令行（cxzy --help）。"
		    "\n", term != NULL && *term != '\0' ? term : "（未设置）");

		tui_say(stderr, m);
		free(m);
		free(t.unit);
		ledger_fini(&t.lg);
		return 1;
	}
	set_term(scr);
	tui_install_fatal();
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(50);
	tui_keys_init();
	tui_init_colors(&t);
	tui_update_size(&t);
	tui_menu_open(&t);
	/* The 工作台 comes first; Esc leaves it for the menu below. */
	tui_workbench_open(&t);
	/* LMDB cannot tell a damaged file: check it in the background. */
	if (check_start(datadir, fs, CHECK_TIMEOUT_MS, &tui_bgcheck, NULL) !=
	    CX_OK)
		tui_bgcheck = NULL;
	if (store_readonly(st))
		tui_info(&t, "数据目录是只读的（例如 U 盘打开了写保护），只能查看，不能修改。");
	tui_draw(&t);
	refresh();
	tui_trace(&t, "start", "-", t0);

	while (t.depth > 0) {
		int top = t.depth - 1;
		const struct tui_screen_ops *ops = t.stack[top].ops;
		void *self = t.stack[top].self;
		enum tui_keymode mode = ops->keymode ? ops->keymode(&t, self) :
		    TK_LIST;
		struct tui_key_event ev;
		enum tui_result res = TR_STAY;

		if (tui_bgdone) {
			tui_check_report(&t);
			continue;
		}
		tui_read_key(&t, mode, tui_screen_actions(&t, ops, self), &ev);
		t0 = tui_now_ms();
		if (ev.timeout) {
			/* No key: one step of the screen's background work. */
			t.busy = ops->idle != NULL && !t.too_small &&
			    ops->idle(&t, self);
			tui_draw(&t);
			refresh();
			tui_trace(&t, ops->name, ev.name, t0);
			continue;
		}
		if (ev.action != TA_NONE && ev.action != TA_RESIZE) {
			free(t.status);
			t.status = NULL;
		}
		switch (ev.action) {
		case TA_RESIZE:
			tui_update_size(&t);
			break;
		case TA_QUIT:
			tui_quit(&t);
			break;
		case TA_REDRAW:
			clearok(curscr, TRUE);
			break;
		case TA_NONE:
			break;
		case TA_HELP:
			if (!t.too_small && strcmp(ops->name, "help") != 0)
				tui_help_open(&t, tui_screen_actions(&t, ops,
				    self),
				    ops->help_line ? ops->help_line(&t, self) :
				    NULL);
			break;
		default:
			if (!t.too_small)
				res = ops->key(&t, self, ev.action, ev.wc);
			break;
		}
		if (res == TR_POP && t.depth > 0 && t.stack[t.depth - 1].self == self)
			tui_pop(&t);
		else if (res == TR_QUIT)
			tui_quit(&t);
		if (t.depth > 0) {
			/* Give a screen with background work a chance to go on
			 * once no key is waiting. */
			t.busy = t.stack[t.depth - 1].ops->idle != NULL;
			tui_draw(&t);
			refresh();
		}
		tui_trace(&t, ops->name, ev.name, t0);
	}
	endwin();
	delscreen(scr);
	check_cancel(tui_bgcheck);
	tui_bgcheck = NULL;
	if (tui_bgdone)
		check_result_free(&tui_bgresult);
	tui_bgdone = false;
	if (t.trace != NULL)
		fclose(t.trace);
	free(t.status);
	free(t.unit);
	ledger_fini(&t.lg);
	tui_exit_backup(&t);
	return 0;
}
