#!/bin/sh
# The program under TERM=xterm-256color, tmux-256color and linux, in both
# locales; and a read-only data directory on screen.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

"$CXZY" demo "$T/demo" >/dev/null || { fail "demo"; finish; }

for term in xterm-256color tmux-256color linux; do
	for loc in utf8 gb18030; do
		SCREEN_TERM=$term
		screen_start $loc 80 24 --data demo
		to_menu "$term $loc"
		wait_for "$term $loc: main menu" "1  组织与党员" || continue
		# tmux encodes function keys for its own terminal type, which the
		# linux console's terminfo does not know; digits, arrows, Enter,
		# Esc and control keys are the same everywhere.
		send 1
		wait_for "$term $loc: digit" "2  党员"
		send Down Enter
		wait_for "$term $loc: arrow and Enter open the list" "共 66 条"
		send Down Down
		send Escape
		wait_for "$term $loc: Esc goes back" "3  返回主菜单"
		send C-q
		wait_exit "$term $loc: Ctrl+Q quits" 0
	done
done
SCREEN_TERM=

# A terminal type the system does not know: a Chinese message saying what
# to do (not ncurses' English "Error opening terminal"), exit status 1.
for loc in utf8 gb18030; do
	: >"$T/stderr"
	SCREEN_TERM=nosuchterm-cxzy
	screen_start $loc 80 24 --data demo
	wait_exit "unknown TERM $loc: exits 1" 1
	if [ $loc = gb18030 ]; then
		iconv -f GB18030 -t UTF-8 "$T/stderr" >"$T/stderr.u" || fail "iconv"
	else
		cp "$T/stderr" "$T/stderr.u"
	fi
	if grep -q "不认识这个终端类型（TERM=nosuchterm-cxzy）" "$T/stderr.u" &&
	    ! grep -q "Error opening terminal" "$T/stderr.u"; then
		pass "unknown TERM $loc: said in Chinese"
	else
		fail "unknown TERM $loc: said in Chinese"
		sed 's/^/# /' "$T/stderr.u"
	fi
done
SCREEN_TERM=

# A data directory the user cannot write: viewing works, editing is
# refused with an explanation.  root ignores file modes, so run as nobody.
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		mkdir "$T/bin"
		cp "$CXZY" "$T/bin/cxzy"
		cp -R "$CXZY_FORMS" "$T/bin/forms"
		CXZY="$T/bin/cxzy"
		CXZY_FORMS="$T/bin/forms"
		chmod -R a+rX "$T"
		chmod a+w "$T"
		as_user=yes
	else
		echo "# skip: running as root without setpriv"
		finish
	fi
fi
chmod 0555 "$T/demo"
if [ -n "${as_user:-}" ]; then
	screen_start_as() {
		screen_start "$@"
		# screen_start wrote run.sh; run it again as nobody.
		tm kill-server 2>/dev/null
		SOCK_N=$((SOCK_N + 1))
		SOCK="$SOCK_BASE-$SOCK_N"
		touch "$T/stderr" "$T/trace" "$T/status"
		chmod a+rw "$T/run.sh" "$T/stderr" "$T/trace" "$T/status"
		tm -f "$T/tmux.conf" new-session -d -s s -c "$T" -x 80 -y 24 \
		    "setpriv --reuid=65534 --regid=65534 --clear-groups sh '$T/run.sh'"
	}
else
	screen_start_as() { screen_start "$@"; }
fi
screen_start_as utf8 80 24 --data demo
wait_for "read-only: the title bar says so" "demo [只读]"
wait_for "read-only: the status line explains" "数据目录是只读的"
to_menu "read-only"
send 1 2
wait_for "read-only: the list opens" "共 66 条"
send F3
wait_for "read-only: F3 is refused with a reason" "只读"
send Enter
wait_for "read-only: a record opens for viewing" "编号 1"
send C-q
chmod 0755 "$T/demo"
finish
