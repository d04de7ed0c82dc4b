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
		to_menu "$loc"
		wait_for "$loc $size: main menu" "1  组织与党员" || continue
		screen_is "$loc $size: main menu screen" "menu-$size"
		send 1
		wait_for "$loc $size: hotkey 1 opens the group" "2  党员"
		send F1
		wait_for "$loc $size: F1 opens help" "本屏可用的按键"
		send Escape
		wait_for "$loc $size: Esc leaves help" "3  返回主菜单"
		send Escape
		wait_for "$loc $size: Esc back to the main menu" "0  工作台"
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
to_menu "utf8"
wait_for "main menu again" "1  组织与党员"
send '?'
wait_for "? opens help" "本屏可用的按键"
send Escape
send 1
wait_for "a submenu" "3  返回主菜单"
send 9
sleep 0.3
wait_for "a digit with no item changes nothing" "3  返回主菜单"
send Escape
# The 退出 item quits too.
wait_for "the main menu ends with 退出" "退出"
send End Enter
wait_exit "menu item 退出 quits" 0

# Too small already at start: the message, then recovery.
screen_start utf8 70 20 --data demo
wait_for "starting in a small window says 窗口太小" "窗口太小"
tm resize-window -t s -x 80 -y 24
to_menu "recovered"
wait_for "and recovers" "1  组织与党员"
send C-q
wait_exit "quit" 0
# Backups: every clean exit makes one; 数据维护 makes one on demand and
# restores one, after which the program ends.
ls -d "$CXZY_BACKUP_DIR"/unit-*/20261127-100000 >/dev/null 2>&1 &&
    pass "a clean exit made a backup" || fail "a clean exit made a backup"
nbackups() { ls -d "$CXZY_BACKUP_DIR"/unit-*/2026* 2>/dev/null | wc -l; }
screen_start utf8 80 24 --data demo
to_menu "utf8"
wait_for "menu for backups" "数据维护"
send "$(menu_digit 数据维护)"
wait_for "数据维护 offers backups" "4  从备份恢复"
send 3
wait_for "立即备份 says where" "已备份到"
n1=$(nbackups)
send Enter
send 4
wait_for "the list of backups" "从备份恢复  共"
wait_for "shows their counts" "党组织 13 条、党员 66 条"
send Enter
wait_for "a preview asks first" "替换现在的数据吗"
send 1
wait_for "restored; says the program closes" "程序现在将关闭"
send Enter
wait_exit "it quits after restoring" 0
[ "$(nbackups)" -eq "$n1" ] && pass "no exit backup after a restore" ||
    fail "no exit backup after a restore"
ls "$D"/data.mdb.before-restore-* >/dev/null 2>&1 &&
    pass "the old data.mdb is kept" || fail "the old data.mdb is kept"
no_stderr "nothing on stderr"
finish
