#!/bin/sh
# 数据维护 → 报送/接收: the 机关党委 makes a package for a branch (picking
# the branch, the period and the directory); the branch directory made
# from it makes its own package on the screen; the 机关党委 receives it
# with a preview (Esc changes nothing), then F2; wrong files are
# explained and change nothing; a package for a locked period is held
# and taken again from pending/ after unlocking.  In zh_CN.UTF-8 and
# zh_CN.GB18030 at 80x24.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

D="$T/demo"
B="$T/zb"
PKG_DOWN="stick/下发-办公室党支部-2026H2-20261127-1000.cxzy"
PKG_UP="stick/报送-办公室党支部-全部-20261127-1000.cxzy"

# The branch's own commands run with another secret, as on another PC
# (directories made with the same secret at the same time would share
# their origin, and a package would look like one's own).
branch() { CXZY_RANDOM_SEED=cxzy-tests-branch "$CXZY" --data "$B" "$@"; }

# to_exchange LOC: from the start to the 报送/接收 screen.
to_exchange() {
	to_menu "$1" || return 1
	wait_for "$1: main menu" "8  数据维护" || return 1
	send 8
	wait_for "$1: 数据维护 lists 报送/接收" "7  报送/接收" || return 1
	send 7
	wait_for "$1: the 报送/接收 screen" "2  接收报送包"
}

for loc in utf8 gb18030; do
	rm -rf "$D" "$B" "$T/stick" "$T/stick2"
	mkdir "$T/stick" "$T/stick2"
	"$CXZY" demo "$D" >/dev/null || { fail "$loc: demo"; continue; }

	# The 机关党委 makes a package for 办公室党支部, 2026年下半年.
	screen_start $loc 80 24 --data demo
	to_exchange "$loc" || continue
	screen_is "$loc: 报送/接收 in a 机关党委 directory" exchange-menu-$loc
	send 1
	wait_for "$loc: make asks for the branch" "党支部：  （请选择，F5 或回车）"
	send F2
	wait_for "$loc: F2 without a branch says so" "请先选择为哪个党支部制作报送包"
	send Enter
	wait_for "$loc: Enter lists the branches" "离退休干部直属党小组"
	typ 办公室
	send Enter
	wait_for "$loc: the branch is chosen" "党支部：  办公室党支部"
	send F9
	wait_for "$loc: F9 lists the periods" "报送包包括哪个周期"
	typ 2026年下
	send Enter
	wait_for "$loc: the period is chosen" "周期：    2026年下半年"
	send Tab Tab C-u
	typ stick
	screen_is "$loc: the make screen" exchange-make-$loc
	send F2
	wait_for "$loc: F2 makes the package" "已制作报送包"
	wait_for "$loc: and says where" "$PKG_DOWN"
	wait_for "$loc: and how many records" "2026年下半年，共 75 条记录"
	[ -s "$T/$PKG_DOWN" ] && pass "$loc: the package is on the stick" ||
	    fail "$loc: the package is on the stick"
	send Enter
	wait_gone "$loc: the message closes" "已制作报送包"
	send F2
	wait_for "$loc: an existing file is not overwritten" "已经存在，没有覆盖"
	send Enter
	# A file named by hand may be replaced, after asking.
	send C-u
	typ "$PKG_DOWN"
	send F2
	wait_for "$loc: replacing a named file asks" "用新的报送包覆盖它吗"
	send 2
	wait_for "$loc: and may be declined" "没有制作报送包。"
	# A place that cannot be written: explained, nothing made.
	echo junk >"$T/stick/junk.txt"
	send C-u
	typ stick/junk.txt/x.cxzy
	send F2
	wait_for "$loc: an unwritable place is explained" "没有制作报送包"
	send Enter
	send Escape Escape Escape Escape C-q
	wait_exit "$loc: quits after making" 0

	# The branch starts from it and changes a member and a meeting.
	branch init "$B" --from "$T/$PKG_DOWN" >/dev/null 2>&1 ||
	    { fail "$loc: init --from"; continue; }
	branch set member 2 职务/岗位=科员 >/dev/null
	mtg=$(branch list meeting | awk 'NR == 2 { print $1 }')
	branch set meeting "$mtg" 地点=机关四楼会议室 >/dev/null

	# The branch makes its package on the screen.
	screen_start $loc 80 24 --data zb
	to_exchange "$loc" || continue
	wait_for "$loc: a branch directory says whose" "这是党支部“办公室党支部”的台账"
	send 1
	wait_for "$loc: a branch makes its own" "办公室党支部（本支部）"
	send Tab C-u
	typ stick
	send F2
	wait_for "$loc: the branch's package is made" "$PKG_UP"
	wait_for "$loc: for the 机关党委" "请把这个文件交给机关党委"
	send Enter Escape Escape Escape Escape C-q
	wait_exit "$loc: the branch quits" 0
	# The same, for a period that the 机关党委 has locked.
	mv "$T/$PKG_UP" "$T/stick2/"
	"$CXZY" --data "$D" lock 2026H2 >/dev/null

	# The 机关党委 receives: wrong files first, then a held package.
	locked=$(fingerprint "$D")
	screen_start $loc 80 24 --data demo
	to_exchange "$loc" || continue
	send 2
	wait_for "$loc: take asks for a file" "报送包文件，或报送包所在的目录"
	send C-u
	typ nothere.cxzy
	send Enter
	wait_for "$loc: a missing file is explained" "不能接收"
	send Enter
	send C-u
	typ stick/junk.txt
	send Enter
	wait_for "$loc: not a package is explained" "数据没有任何改动"
	send Enter
	send C-u
	typ "$PKG_DOWN"
	send Enter
	wait_for "$loc: one's own package is refused" "这个报送包是本机自己制作的"
	send Enter
	send C-u
	typ stick2
	send Enter
	wait_for "$loc: a directory lists its packages" "选择要接收的报送包"
	send Enter
	wait_for "$loc: a locked period is explained" "要修改已经备案锁定的周期"
	send F2
	wait_for "$loc: F2 holds it" "已暂存到"
	[ "$(fingerprint "$D")" = "$locked" ] &&
	    pass "$loc: wrong files and holding changed nothing" ||
	    fail "$loc: wrong files and holding changed nothing"
	[ -n "$(ls "$D/pending" 2>/dev/null)" ] && pass "$loc: held in pending/" ||
	    fail "$loc: held in pending/"
	send Escape Escape
	wait_for "$loc: 报送/接收 offers the held one" "3  重新接收暂存的报送包（1 个）"
	# Unlock (数据维护 item 6), then take it again.
	send Escape
	wait_for "$loc: back in 数据维护" "6  解除锁定"
	send 6
	wait_for "$loc: unlock asks" "解除 2026年下半年 的备案锁定"
	send 1
	wait_for "$loc: unlocked" "6  备案锁定"
	send 7
	wait_for "$loc: 报送/接收 again" "3  重新接收暂存的报送包（1 个）"
	send 3
	wait_for "$loc: the preview of the held package" "接收报送包：预览（数据还没有改动）"
	screen_is "$loc: the preview" exchange-preview-$loc
	send Escape
	wait_for "$loc: Esc takes nothing" "没有接收，数据没有改动。"
	"$CXZY" --data "$D" show member 2 | grep -q '职务/岗位： *科员' &&
	    fail "$loc: Esc wrote nothing" || pass "$loc: Esc wrote nothing"
	send 3
	wait_for "$loc: the preview again" "接收报送包：预览（数据还没有改动）"
	send F2
	wait_for "$loc: F2 takes it" "接收报送包：已接收"
	wait_for "$loc: and removes it from pending/" "已从暂存中移除"
	screen_is "$loc: the result" exchange-applied-$loc
	send Escape
	wait_gone "$loc: nothing held any more" "重新接收暂存的报送包"
	send Escape Escape Escape C-q
	wait_exit "$loc: quits after taking" 0
	"$CXZY" --data "$D" show member 2 | grep -q '职务/岗位： *科员' &&
	    pass "$loc: the member changed" || fail "$loc: the member changed"
	"$CXZY" --data "$D" show meeting "$mtg" | grep -q '机关四楼会议室' &&
	    pass "$loc: the meeting changed" || fail "$loc: the meeting changed"
	[ -z "$(ls "$D/pending" 2>/dev/null)" ] && pass "$loc: pending/ is empty" ||
	    fail "$loc: pending/ is empty"
done
no_stderr "nothing on stderr"
finish
