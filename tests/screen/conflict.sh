#!/bin/sh
# Two writers of one record: a member opened in the entry form is
# changed meanwhile on the command line (`cxzy set`).  F2 then saves
# nothing and says what the other change touched; 重新载入 puts the
# fresh record on screen with the fields typed in the form kept, and the
# next F2 stores both changes (and a second save from the same form is
# no conflict); 取消 leaves the typed text alone; a field both changed
# keeps what was typed.  In zh_CN.UTF-8 and zh_CN.GB18030, with the
# dialog and the reloaded form compared whole.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

# open_member LOC: from the start to the form of 林𠀾 (编号 17), with
# the focus on 职务/岗位 (the sixth field), its text cleared.
open_member() {
	to_menu "$1"
	wait_for "$1: menu" "1  组织与党员" || return 1
	send 1
	wait_for "$1: group" "2  党员"
	send 2
	wait_for "$1: list" "共 66 条"
	send /
	typ "林𠀾"
	wait_for "$1: search by name" "查找姓名：林𠀾"
	send Enter
	wait_gone "$1: Enter ends the search" "查找姓名："
	send Enter
	wait_for "$1: Enter opens the record" "党员：林𠀾（编号 17）" || return 1
	send Tab Tab Tab Tab Tab
	wait_for "$1: on 职务/岗位" "行政职务或工作岗位"
	send C-u
	wait_gone "$1: the old text is gone" "四级主任科员"
}

# stored NAME WANT...: `cxzy show member 17` has every WANT line.
stored() {
	name=$1
	shift
	"$CXZY" --data "$D" show member 17 >"$T/show" 2>&1
	for want in "$@"; do
		if grep -qF -- "$want" "$T/show"; then
			pass "$name: stored $want"
		else
			fail "$name: stored $want"
			sed 's/^/# /' "$T/show"
		fi
	done
}

for loc in utf8 gb18030; do
	# Relative for the program (run in $T), so that the title bar
	# shows the same directory every time.
	D="$T/demo-$loc"
	"$CXZY" demo "$D" >/dev/null || { fail "demo"; continue; }

	# The other writer changes other fields: both changes are kept.
	screen_start $loc 80 24 --data "demo-$loc"
	open_member "$loc" || continue
	typ "支部宣传员"
	wait_for "$loc: typed" "支部宣传员"
	expect "$loc: meanwhile cxzy set changes the record" 0 "" \
	    "$CXZY" --data "$D" set member 17 party_role=propaganda note=调任宣传委员
	send F2
	wait_for "$loc: F2 finds the other change" "这条记录已被别人修改"
	screen_is "$loc: the conflict dialog" "conflict-dialog-$loc"
	send Enter
	wait_for "$loc: reloaded, asks to check" "已载入对方的修改，并保留了你改动的栏目"
	screen_is "$loc: the form shows both changes, unsaved" "conflict-merged-$loc"
	stored "$loc: nothing of the form saved yet" "职务/岗位： 四级主任科员" \
	    "党内职务：  宣传委员"
	send F2
	wait_for "$loc: the next F2 saves" "已保存。"
	stored "$loc: both changes" "职务/岗位： 支部宣传员" \
	    "党内职务：  宣传委员" "备注：      调任宣传委员"
	# A second save from the same form is no conflict.
	send C-u
	typ "支部组织员"
	wait_for "$loc: typed again" "支部组织员"
	send F2
	wait_for "$loc: saved again, no conflict" "已保存。"
	stored "$loc: the second save" "职务/岗位： 支部组织员" \
	    "党内职务：  宣传委员"
	send C-q
	wait_exit "$loc: quit" 0

	# The same field changed on both sides; 取消 first.
	screen_start $loc 80 24 --data "demo-$loc"
	open_member "$loc" || continue
	typ "组织干事"
	wait_for "$loc: typed" "组织干事"
	expect "$loc: meanwhile the same field is set" 0 "" \
	    "$CXZY" --data "$D" set member 17 post=综合科科长 note=第二次
	send F2
	wait_for "$loc: the dialog names the field changed by both" \
	    "两边都改了「职务/岗位」"
	wait_for "$loc: with the other value" "职务/岗位：综合科科长"
	send 2
	wait_gone "$loc: 取消 closes the dialog" "这条记录已被别人修改"
	wait_for "$loc: 取消 says nothing was saved" "没有保存。录入表保持你填的内容"
	wait_for "$loc: the typed text is still there" "组织干事"
	stored "$loc: after 取消" "职务/岗位： 综合科科长" "备注：      第二次"
	send F2
	wait_for "$loc: F2 asks again" "这条记录已被别人修改"
	send Enter
	wait_for "$loc: reloaded, names the field changed by both" \
	    "「职务/岗位」两边都改了，保留的是你填的"
	wait_for "$loc: the other change is shown" "第二次"
	wait_for "$loc: the typed value is kept" "组织干事"
	send F2
	wait_for "$loc: saved" "已保存。"
	send C-q
	wait_exit "$loc: quit again" 0
	stored "$loc: typed value and the other change" \
	    "职务/岗位： 组织干事" "备注：      第二次" "党内职务：  宣传委员"
	expect "$loc: the store is intact" 0 "未发现问题" "$CXZY" --data "$D" check
done
no_stderr "nothing on stderr"
finish
