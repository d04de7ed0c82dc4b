#!/bin/sh
# The entry form in a real terminal: a new member typed in (Chinese,
# full-width digits, Chinese dates), pickers opened by typing and by
# Enter, inline problems, saving, the 保存/放弃/取消 question, and the
# saved record read back with `cxzy show`; in zh_CN.UTF-8 and
# zh_CN.GB18030.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

for loc in utf8 gb18030; do
	D="$T/demo-$loc"
	"$CXZY" demo "$D" >/dev/null || { fail "demo"; continue; }
	screen_start $loc 80 24 --data "$D"
	to_menu "$loc"
	wait_for "$loc: main menu" "1  组织与党员" || continue
	send 1
	wait_for "$loc: group" "2  党员"
	send 2
	wait_for "$loc: member list" "司马振华"
	send F3
	wait_for "$loc: F3 opens a new form" "新建党员"
	wait_for "$loc: the status line shows the field's help" "必填。党员的姓名"

	# Saving an empty form marks every missing field.
	send F2
	wait_for "$loc: an empty form is not saved" "没有保存，共 5 处问题"

	typ "欧阳𠀾"
	wait_for "$loc: Chinese is typed" "欧阳𠀾"
	send Tab
	typ "女"
	wait_for "$loc: typing opens the picker, filtered" "选择性别"
	send Enter
	wait_gone "$loc: Enter chooses" "选择性别"
	typ "1985年3月"
	send Tab
	wait_for "$loc: a month is shown as understood" "1985-03"
	typ "２０１０x"
	send Tab
	wait_for "$loc: a bad date is explained when leaving" "不是"
	send BTab
	send BSpace
	typ "．７．１"
	send Tab
	wait_for "$loc: full-width digits are accepted" "2010-07-01"
	send Tab
	typ "科员"
	send Tab
	wait_for "$loc: on the branch, still marked" "所属党支部：必须填写"
	send Enter
	wait_for "$loc: Enter opens the reference picker" "选择所属党支部"
	typ "宣传"
	wait_for "$loc: the picker filters" "共 1 项"
	send Enter
	wait_for "$loc: chosen" "宣传教育处党支部"
	send C-s
	wait_for "$loc: saved with its number" "已保存（新记录编号 67）"
	wait_for "$loc: the heading shows it" "党员：欧阳𠀾（编号 67）"

	# Unsaved changes are asked about; 放弃 drops them.
	send Up
	send Up
	typ "改"
	send Escape
	wait_for "$loc: leaving asks" "尚未保存"
	send 2
	wait_for "$loc: back in the list" "F3新建"
	send C-q
	wait_exit "$loc: quits" 0

	"$CXZY" --data "$D" show member 67 >"$T/show" 2>&1
	for want in "姓名：      欧阳𠀾" "性别：      女" "出生年月：  1985-03" \
	    "入党时间：  2010-07-01" "职务/岗位： 科员" \
	    "所属党支部：宣传教育处党支部" "党员类别：  正式党员" \
	    "党内职务：  党员"; do
		if grep -qF -- "$want" "$T/show"; then
			pass "$loc: stored $want"
		else
			fail "$loc: stored $want"
			sed 's/^/# /' "$T/show"
		fi
	done
done
no_stderr "nothing on stderr"
finish
