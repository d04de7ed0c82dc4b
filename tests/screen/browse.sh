#!/bin/sh
# The member list in a real terminal: reached by hotkeys, searched, a
# record edited and saved, deleted to the recycle bin and restored, then
# the program quit and reopened; exact screens at 80x24 and 120x40, in
# zh_CN.UTF-8 and zh_CN.GB18030.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

for loc in utf8 gb18030; do
	rm -rf "$T/demo"
	"$CXZY" demo "$T/demo" >/dev/null || { fail "demo"; continue; }
	for size in 80x24 120x40; do
		c=${size%x*} r=${size#*x}
		screen_start $loc "$c" "$r" --data demo
		to_menu "$loc"
		wait_for "$loc $size: main menu" "1  组织与党员" || continue
		send 1
		wait_for "$loc $size: group" "2  党员"
		send 2
		wait_for "$loc $size: hotkeys 1 2 reach the member list" "共 66 条"
		screen_is "$loc $size: the member list" "members-$size"
		send End
		wait_for "$loc $size: End shows the last page" "最后一页"
		send Home
		wait_for "$loc $size: Home shows the first page" "第一页"
		send C-q
		wait_exit "$loc $size: quit" 0
	done

	# Search, edit, save.
	screen_start $loc 80 24 --data demo
	to_menu "$loc"
	wait_for "$loc: menu" "1  组织与党员" || continue
	send 1
	wait_for "$loc: group" "2  党员"
	send 2
	wait_for "$loc: list" "共 66 条"
	send /
	typ "林𠀾"
	wait_for "$loc: search by name" "查找姓名：林𠀾"
	wait_for "$loc: the list jumps to the name" "按姓名排列"
	send Enter
	wait_gone "$loc: Enter ends the search" "查找姓名："
	send Enter
	wait_for "$loc: Enter opens the record" "党员：林𠀾（编号 17）"
	# 职务/岗位 is the sixth field.
	send Tab Tab Tab Tab Tab
	wait_for "$loc: on 职务/岗位" "行政职务或工作岗位"
	send C-u
	typ "支部宣传员"
	wait_for "$loc: typed" "支部宣传员"
	# A window made too small and grown again loses nothing typed.
	tm resize-window -t s -x 60 -y 20
	wait_for "$loc: too small while editing" "窗口太小"
	tm resize-window -t s -x 80 -y 24
	wait_for "$loc: typed text survives the resize" "支部宣传员"
	send F2
	wait_for "$loc: saved" "已保存"
	send Escape
	wait_for "$loc: back in the list, showing the change" "支部宣传"

	# Delete to the recycle bin, then restore it from 数据维护.
	send F8
	wait_for "$loc: delete asks first" "移入回收站吗"
	send 1
	wait_for "$loc: deleted" "已把党员「林𠀾」（编号 17）移入回收站"
	wait_for "$loc: the count drops" "共 65 条"
	send Escape
	wait_for "$loc: back in the group" "3  返回主菜单"
	send Escape
	wait_for "$loc: main menu" "数据维护"
	send "$(menu_digit 数据维护)"
	wait_for "$loc: maintenance menu" "回收站"
	send 1
	wait_for "$loc: the recycle bin lists it" "林𠀾"
	send F5
	wait_for "$loc: restore asks first" "从回收站恢复吗"
	send 1
	wait_for "$loc: restored" "已恢复党员「林𠀾」（编号 17）"
	wait_for "$loc: the bin is empty" "回收站  共 0 条"
	send C-q
	wait_exit "$loc: quit" 0

	# Reopen: the change is there.
	screen_start $loc 80 24 --data demo
	to_menu "$loc"
	wait_for "$loc: reopened" "1  组织与党员"
	send 1
	send 2
	wait_for "$loc: list after reopening" "共 66 条"
	wait_for "$loc: the edited member is listed" "17 林𠀾"
	send C-q
	wait_exit "$loc: quit again" 0
	expect "$loc: cxzy show has the edit" 0 "职务/岗位： 支部宣传员" \
	    "$CXZY" --data "$T/demo" show member 17
	expect "$loc: and the store is intact" 0 "未发现问题" "$CXZY" --data "$T/demo" check
done
no_stderr "nothing on stderr"
finish
