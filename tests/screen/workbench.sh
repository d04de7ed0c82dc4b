#!/bin/sh
# The 工作台 in a real terminal: the first screen after start, with the
# filing deadline and what is missing per branch; Enter opens where an
# item is fixed and, once that record is saved, the item leaves the list;
# F9 changes the period (title bar and 工作台); 开始新周期 and 备案锁定 /
# 解除锁定 from 数据维护, and a locked period refusing changes; in
# zh_CN.UTF-8 and zh_CN.GB18030.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

D="$T/demo"

# line N: line N of the screen.
line() { capture | sed -n "$1p"; }
# todo_count: the number in the heading "工作台  … 待办 N 项".
todo_count() { line 2 | sed -n 's/.*待办 \([0-9]*\) 项.*/\1/p'; }
# downs_to TEXT: how many Down presses lead from the first item to the
# first line on screen holding TEXT (items are indented by 4 columns,
# branch headings by 1); empty when TEXT is not on screen.
downs_to() {
	capture | sed -n '6,21p' | awk -v pat="$1" '
	    index($0, pat) { print n + 0; exit } /^    / { n++ }'
}

for loc in utf8 gb18030; do
	rm -rf "$D"
	"$CXZY" demo "$D" >/dev/null || { fail "$loc: demo"; continue; }

	# First screen: the 工作台 of today's period (CXZY_NOW 2026-11-27).
	screen_start $loc 80 24 --data demo
	wait_for "$loc: the 工作台 comes first" "工作台  2026年下半年  待办" ||
	    continue
	wait_for "$loc: days left to the filing deadline" \
	    "距 2027年1月15日 备案截止还有 49 天"
	# One golden per locale: quotation marks in the items (“”) are wide
	# in zh_CN.GB18030, so the lines are cut at different places.
	screen_is "$loc: the 工作台 screen" "workbench-$loc-80x24"
	line 6 | grep -q '^ 办公室党支部（[0-9][0-9]* 项）  未报送 *$' &&
	    pass "$loc: a branch heading with its count and its package" ||
	    fail "$loc: a branch heading with its count and its package: $(line 6)"
	send F1
	wait_for "$loc: help says what the 工作台 is for" "工作台列出当前周期"
	wait_for "$loc: help lists F9 from the key table" "选择当前工作的周期"
	send Escape
	wait_gone "$loc: Esc leaves help" "本屏可用的按键"

	# A member without 附件二.  Enter opens a new 党员公开承诺书 with the
	# member and the period filled in.
	n=$(downs_to "没有党员公开承诺书（附件二）")
	[ -n "$n" ] && pass "$loc: a member without 附件二 is listed" ||
	    { fail "$loc: a member without 附件二 is listed"; continue; }
	item=$(capture | sed -n '6,21p' | grep -F "没有党员公开承诺书（附件二）" |
	    head -1 | sed 's/^ *//')
	name=${item%% *}
	while [ "$n" -gt 0 ]; do send Down; n=$((n - 1)); done
	wait_for "$loc: the status line says what Enter does" \
	    "回车新建一份党员公开承诺书（附件二）"
	before=$(todo_count)
	send Enter
	wait_for "$loc: Enter opens a new 附件二" "新建党员公开承诺书（附件二）"
	wait_for "$loc: the member is filled in" "*承诺人          $name"
	wait_for "$loc: the period is filled in" "*承诺周期        2026年下半年"
	# Down to the first row of the table: 承诺周期, 承诺形式, 口头承诺原因.
	send Tab Tab Tab Tab
	wait_for "$loc: in the table" "承诺事项第 1 行「类别」"
	typ "服务"
	wait_for "$loc: the kind picker" "服务承诺"
	send Enter
	send Tab
	typ "为群众办实事"
	send Tab
	typ "10件"
	send Tab
	typ "每月走访"
	send Tab
	typ "2026-12-20"
	send Tab
	wait_for "$loc: the table is filled" "2026-12-20"
	send F2
	wait_for "$loc: saved" "已保存（新记录编号"
	send Escape
	wait_for "$loc: back on the 工作台" "工作台  2026年下半年  待办"
	wait_gone "$loc: the fixed item left the list" "$item"
	[ "$(todo_count)" -eq $((before - 1)) ] &&
	    pass "$loc: one item less ($before, now $(todo_count))" ||
	    fail "$loc: one item less ($before, now $(todo_count))"
	wait_for "$loc: the next item is chosen" "回车"

	# F9: another period; the title bar and the 工作台 follow.
	send F9
	wait_for "$loc: F9 opens the periods" "选择周期"
	wait_for "$loc: up to the next period" "2027年上半年"
	send Down Enter
	wait_for "$loc: the 工作台 shows the chosen period" "工作台  2027年上半年"
	wait_for "$loc: with its deadline" "距 2027年7月15日 备案截止还有 230 天"
	line 1 | grep -qF "演示市人防办机关党委  2027年上半年" &&
	    pass "$loc: the title bar shows it" ||
	    fail "$loc: the title bar shows it: $(line 1)"
	send F9
	wait_for "$loc: F9 again" "选择周期"
	send Up Enter
	wait_for "$loc: back to 2026年下半年" "工作台  2026年下半年"

	# 数据维护 > 开始新周期: what it does, then how many were carried.
	send Escape
	wait_for "$loc: Esc goes to the menu" "0  工作台"
	send "$(menu_digit 数据维护)"
	wait_for "$loc: 数据维护" "开始新周期"
	wait_for "$loc: the lock item names the period" "备案锁定（2026年下半年）"
	send "$(menu_digit 开始新周期)"
	wait_for "$loc: new cycle says what it does" \
	    "把当前周期从 2026年下半年 改为 2027年上半年"
	send 2
	wait_for "$loc: cancelled" "没有开始新周期，当前周期仍是 2026年下半年"
	send "$(menu_digit 开始新周期)"
	wait_for "$loc: asked again" "把当前周期从 2026年下半年"
	send 1
	wait_for "$loc: new cycle done" "已开始 2027年上半年"
	wait_for "$loc: and says how many were carried" "从 2026年下半年 转入"
	carried=$(capture | sed -n 's/.*转入 \([0-9]*\) 项.*/\1/p' | head -1)
	send Enter
	wait_for "$loc: the title bar has the new period" "机关党委  2027年上半年"
	wait_for "$loc: the lock item follows" "备案锁定（2027年上半年）"

	# 备案锁定: explained, then a new record in the period is refused.
	send "$(menu_digit 备案锁定)"
	wait_for "$loc: lock explains annotations" "只接受批注"
	send 1
	wait_for "$loc: locked" "已锁定 2027年上半年"
	wait_for "$loc: the item now unlocks" "解除锁定（2027年上半年）"
	send Escape
	wait_for "$loc: main menu" "0  工作台"
	send 0
	wait_for "$loc: the 工作台 says locked" "已备案锁定"
	send Enter
	wait_for "$loc: a form opens" "新建"
	send F2
	wait_for "$loc: saving in a locked period is refused" "已经备案锁定"
	send Escape
	wait_for "$loc: back on the 工作台 again" "工作台  2027年上半年"
	send Escape
	wait_for "$loc: menu once more" "0  工作台"
	send "$(menu_digit 数据维护)"
	wait_for "$loc: 数据维护 again" "解除锁定（2027年上半年）"
	send "$(menu_digit 解除锁定)"
	wait_for "$loc: unlock asks" "解除 2027年上半年 的备案锁定"
	send 1
	wait_for "$loc: unlocked" "已解除 2027年上半年 的锁定"
	send C-q
	wait_exit "$loc: quit" 0

	# The period chosen stays for the next start.
	screen_start $loc 80 24 --data demo
	wait_for "$loc: reopened on the new period" "工作台  2027年上半年" ||
	    continue
	send C-q
	wait_exit "$loc: quit again" 0
	expect "$loc: the 附件二 is stored" 0 "$name" \
	    "$CXZY" --data "$D" list member_pledge
	expect "$loc: its pledge was carried into 2027年上半年" 0 "为群众办实事" \
	    "$CXZY" --data "$D" list pledge_ledger current_period=2027H1
	# Every unfinished item, and only those, moved on.
	n1=$("$CXZY" --data "$D" list pledge_ledger current_period=2027H1 |
	    sed -n 's/^共 \([0-9]*\) 条.*/\1/p')
	n2=$("$CXZY" --data "$D" list rectification current_period=2027H1 |
	    sed -n 's/^共 \([0-9]*\) 条.*/\1/p')
	[ "${carried:-x}" = $((${n1:-0} + ${n2:-0})) ] &&
	    pass "$loc: the count said ($carried) is what moved" ||
	    fail "$loc: the count said (${carried:-?}) is what moved ($n1 + $n2)"
done

# A lock on a period refuses changes from the command line too.
screen_start utf8 80 24 --data demo
wait_for "lock 2027年上半年 again" "工作台  2027年上半年" || finish
send Escape
wait_for "menu" "0  工作台"
send "$(menu_digit 数据维护)"
wait_for "数据维护" "备案锁定（2027年上半年）"
send "$(menu_digit 备案锁定)"
wait_for "lock asks" "只接受批注"
send 1
wait_for "locked" "已锁定 2027年上半年"
send C-q
wait_exit "quit" 0
"$CXZY" --data "$D" add member_pledge member_id=2 period=2027H1 \
    items.1.kind=service items.1.content=x items.1.target=y \
    items.1.measures=z items.1.due_date=2027-03-01 >"$T/out" 2>&1 &&
    fail "a new record in a locked period is refused" ||
    { grep -qF "已经备案锁定" "$T/out" &&
      pass "a new record in a locked period is refused" ||
      fail "a new record in a locked period is refused: $(cat "$T/out")"; }

# Nothing entered yet: the 工作台 says what to do first.
"$CXZY" init "$T/empty" 测试机关党委 >/dev/null || fail "init"
screen_start utf8 80 24 --data empty
wait_for "an empty data directory: enter branches first" "还没有党支部"
send C-q
wait_exit "quit the empty one" 0
no_stderr "nothing on stderr"
finish
