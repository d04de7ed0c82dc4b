#!/bin/sh
# The frame in a real terminal: main menu, hotkeys, help, 窗口太小 and
# recovery on resize, quitting; at 80x24 and 120x40, in zh_CN.UTF-8 and
# zh_CN.GB18030.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

for loc in utf8 gb18030; do
	for size in 80x24 120x40; do
		c=${size%x*} r=${size#*x}
		screen_start $loc "$c" "$r" --data demo
		wait_for "$loc $size: main menu" "1  组织与党员" || continue
		screen_is "$loc $size: main menu screen" "menu-$size"
		send 1
		wait_for "$loc $size: hotkey 1 opens the group" "2  党员"
		send F1
		wait_for "$loc $size: F1 opens help" "本屏可用的按键"
		send Escape
		wait_for "$loc $size: Esc leaves help" "3  返回主菜单"
		send Escape
		wait_for "$loc $size: Esc back to the main menu" "5  退出"
		tm resize-window -t s -x 60 -y 20
		wait_for "$loc $size: a small window says so" "窗口太小"
		wait_for "$loc $size: and tells the size" "现在 60 列、20 行"
		tm resize-window -t s -x "$c" -y "$r"
		wait_for "$loc $size: recovers when it grows" "1  组织与党员"
		send C-q
		wait_exit "$loc $size: Ctrl+Q quits with status 0" 0
	done
done

# '?' opens help from a list; digits beyond the menu do nothing.
screen_start utf8 80 24 --data demo
wait_for "main menu again" "1  组织与党员"
send '?'
wait_for "? opens help" "本屏可用的按键"
send Escape
send 9
sleep 0.3
wait_for "a digit with no item changes nothing" "1  组织与党员"
# The 退出 item quits too.
send 5
wait_exit "menu item 退出 quits" 0

# Too small already at start: the message, then recovery.
screen_start utf8 70 20 --data demo
wait_for "starting in a small window says 窗口太小" "窗口太小"
tm resize-window -t s -x 80 -y 24
wait_for "and recovers" "1  组织与党员"
send C-q
wait_exit "quit" 0
no_stderr "nothing on stderr"
finish
