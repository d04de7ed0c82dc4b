/* tui_curses.h: the one place that chooses the curses header.
 *
 * cxzy needs the wide-character ncurses (ncursesw): get_wch, add_wch and
 * friends.  pkg-config's flags define NCURSES_WIDECHAR through
 * _XOPEN_SOURCE; the library-search fallback in configure.ac defines it
 * directly.  Only the tui_*.c files include this header; the core never
 * does. */
#ifndef CXZY_TUI_CURSES_H
#define CXZY_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if defined(HAVE_NCURSESW_CURSES_H)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#endif
