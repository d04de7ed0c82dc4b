#!/bin/sh
# The annexes in a real terminal, in zh_CN.UTF-8 and zh_CN.GB18030: each
# of 附件一 to 附件六, a 整改台账 item, a 整改通知书 and a 三会一课 record
# filled in once through the entry forms with Chinese text; what the
# program works out shown as it is typed (书记 and 在册党员数 of a
# 党支部, 满意率 and 得分 of an evaluation, 实到人数 of a meeting); a
# 附件一 item opened from the 附件三 ledger list and finished; the
# problems ledger_save finds (应到人数 = 实到 + 缺席); and after each save
# the record read back with `cxzy show` or `cxzy list`.  Also: lists
# open on the current period and F6 changes it; the help screen shows
# F6 打开 and F9 历史版本; a signed record changed keeps its old version
# (F9); an item of a locked period takes only its annotations.  Exact
# screens of the 附件一 and 附件六 forms.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

# The helpers' own variables start with "_": sh has no local variables,
# and the test's loops must keep theirs.

# key KEY...: sends each key and waits until the program has handled it
# (one more line in the trace), so that the next key meets the screen
# this one made.
key() {
	for _k in "$@"; do
		_n=$(wc -l <"$T/trace" 2>/dev/null || echo 0)
		send "$_k"
		_i=0
		while [ $_i -lt "$WAIT_STEPS" ]; do
			_m=$(wc -l <"$T/trace" 2>/dev/null || echo 0)
			[ "$_m" -gt "$_n" ] && break
			sleep 0.02
			_i=$((_i + 1))
		done
	done
}

# ty TEXT: types TEXT and waits until every character was handled.
ty() {
	_n=$(wc -l <"$T/trace" 2>/dev/null || echo 0)
	_len=$(printf '%s' "$1" | wc -m)
	typ "$1"
	_i=0
	while [ $_i -lt "$WAIT_STEPS" ]; do
		_m=$(wc -l <"$T/trace" 2>/dev/null || echo 0)
		[ "$_m" -ge $((_n + _len)) ] && break
		sleep 0.02
		_i=$((_i + 1))
	done
}

# status_line: the line above the key bar (messages, else the focused
# field's help).
status_line() { capture | sed -n 23p; }

# tab_to NAME TEXT [KEY]: Tab (or KEY) until the focused field's help
# says TEXT.
tab_to() {
	_j=0
	while [ $_j -lt 40 ]; do
		if status_line | grep -qF -- "$2"; then
			pass "$1"
			return 0
		fi
		key "${3:-Tab}"
		_j=$((_j + 1))
	done
	fail "$1 (no field whose help says: $2)"
	capture | sed 's/^/# | /'
	return 1
}

# pick NAME TEXT: types TEXT into the choice under the cursor (which
# opens its list, filtered) and takes the first match.
pick() {
	ty "$2"
	wait_for "$1: the list opens" "共 " || return 1
	key Enter
}

# saved NAME: waits for "已保存（新记录编号 N）" and sets ID to N.
saved() {
	ID=
	wait_for "$1: saved" "已保存（新记录编号" || return 1
	ID=$(capture | sed -n 's/.*已保存（新记录编号 \([0-9]*\)）.*/\1/p' | head -1)
	[ -n "$ID" ]
}

# check NAME TEXT: in a list of several choices, types TEXT to find one,
# checks it with Space and confirms with Enter.
check() {
	ty "$2"
	wait_for "$1: the list opens" "已勾选" || return 1
	key Space Enter
}

# stored NAME KIND ID WANT...: `cxzy show KIND ID` has every WANT
# ("标签：值", the spaces after the colon left out).
stored() {
	_name=$1
	"$CXZY" --data "$D" show "$2" "$3" 2>&1 |
	    sed 's/^ *//; s/： */：/' >"$T/show"
	shift 3
	for _want in "$@"; do
		if grep -qF -- "$_want" "$T/show"; then
			pass "$_name: stored $_want"
		else
			fail "$_name: stored $_want"
			sed 's/^/# /' "$T/show"
		fi
	done
}

# listed NAME KIND WANT...: `cxzy list KIND` has every WANT.
listed() {
	_name=$1
	"$CXZY" --data "$D" list "$2" >"$T/list" 2>&1
	shift 2
	for _want in "$@"; do
		if grep -qF -- "$_want" "$T/list"; then
			pass "$_name: listed $_want"
		else
			fail "$_name: listed $_want"
			sed 's/^/# /' "$T/list"
		fi
	done
}

# open_list NAME GROUP ITEM HEADING: from the main menu to a list.
open_list() {
	key "$2"
	[ -n "$3" ] && key "$3"
	wait_for "$1: the list" "$4"
}

# back_to_menu: Esc until the main menu shows.
back_to_menu() {
	_j=0
	while [ $_j -lt 6 ]; do
		capture | sed -n 2p | grep -q '^ 主菜单' && return 0
		key Escape
		_j=$((_j + 1))
	done
	fail "back to the main menu"
	capture | sed 's/^/# | /'
}

for loc in utf8 gb18030; do
	# The same directory name in both locales: it shows in the title.
	D="$T/demo"
	rm -rf "$D"
	"$CXZY" demo "$D" >/dev/null || { fail "demo"; continue; }
	screen_start $loc 80 24 --data demo
	to_menu "$loc" || continue
	wait_for "$loc: main menu" "2  承诺践诺" || continue

	# ---------------------------------------------------- 附件一
	N="$loc 附件一"
	open_list "$N" 2 1 "党支部公开承诺书（附件一）  承诺周期：2026年下半年"
	key F3
	wait_for "$N: a new form, in the list's period" "2026年下半年"
	key Tab
	pick "$N" "办公"
	wait_for "$N: the secretary follows from the branch" "司马振华"
	wait_for "$N: and the number of members" "（自动）"
	tab_to "$N: on the preamble" "承诺书开头的一段话"
	key C-u
	ty "按照五个好的要求，结合本支部实际，现作出如下公开承诺："
	key Tab
	wait_for "$N: on the first item" "承诺事项第 1 行「类别」"
	pick "$N" "服务"
	key Tab
	ty "为群众办实事"
	key Tab
	ty "办结10件"
	key Tab
	ty "分步实施"
	key Tab
	pick "$N" "司马"
	ty "2026-12-20"
	key F7
	wait_for "$N: a second row" "（表格，2 行）"
	pick "$N" "实事"
	key Tab
	ty "维修警报设施"
	key Tab
	ty "3处"
	key Tab
	ty "11月完成"
	key Tab
	pick "$N" "姜艳"
	ty "2026-11-30"
	key F2
	saved "$N"
	screen_is "$N: the form" "annex1-80x24"
	stored "$N" branch_pledge "$ID" "党支部：办公室党支部" \
	    "承诺周期：2026年下半年" "支部书记：司马振华" "在册党员数：9" \
	    "备案期限：2027-01-15" "具体承诺事项：为群众办实事" \
	    "具体承诺事项：维修警报设施" "责任人：姜艳静" \
	    "承诺总述：按照五个好的要求，结合本支部实际，现作出如下公开承诺："
	listed "$N: items in 附件三" pledge_ledger "为群众办实事" "维修警报设施"
	# The help screen lists the keys of this form from the key table.
	key F1
	wait_for "$N: help shows F6" "打开表格当前行或关联栏目对应的记录"
	wait_for "$N: and F9" "列出已签字记录以前的各个版本"
	key Escape
	# Signed, then changed: the version before the change is kept.
	tab_to "$N: on 签署日期" "支部书记签名、党支部盖章的日期"
	ty "2026-11-25"
	key F2
	wait_for "$N: signed" "已保存。"
	key Tab
	pick "$N" "同意"
	tab_to "$N: on 审核日期" "机关党委作出审核结论的日期"
	wait_for "$N: 审核日期 is now required" "*审核日期"
	ty "2026-11-26"
	key F2
	wait_for "$N: changed after signing" "已保存。"
	key F9
	wait_for "$N: F9 lists the old versions" "第 1 版"
	key Enter
	wait_for "$N: an old version, read-only" "（第 1 版，"
	wait_for "$N: as it was" "以前的版本：只能查看"
	key Escape
	wait_gone "$N: back in the record" "（第 1 版，"
	back_to_menu

	# ---------------------------------------------------- 附件三
	# The item typed in 附件一 is the ledger's record: found in the
	# 附件三 list of the period, opened, finished.
	N="$loc 附件三"
	open_list "$N" 2 3 "承诺、践诺台账（附件三）  所在周期：2026年下半年"
	wait_for "$N: the computed column is listed" "逾期"
	key End
	wait_for "$N: the new items are listed" "维修警报设"
	key Enter
	wait_for "$N: the item opens" "附件一：办公室党支部 2026年下半年"
	tab_to "$N: on 完成情况" "践诺进度"
	pick "$N" "已完成"
	wait_for "$N: 完成日期 is now required" "*完成日期"
	ty "2026-11-20"
	key F2
	wait_for "$N: saved" "已保存。"
	ITEM=$("$CXZY" --data "$D" list pledge_ledger | grep -F 维修警报设施 |
	    awk '{print $1}')
	stored "$N" pledge_ledger "$ITEM" "完成情况：已完成" \
	    "完成日期：2026-11-20" "所属承诺书：党支部公开承诺书（附件一）：办公室党支部" \
	    "所在周期：2026年下半年" "承诺单位：办公室党支部"
	# A locked period: its items open with only the annotations open.
	key Escape
	"$CXZY" --data "$D" lock 2026H1 >/dev/null 2>&1 || fail "$N: lock 2026H1"
	key F6
	wait_for "$N: F6 offers the periods" "所在周期：2026年上半年"
	# The current period is chosen; the one before it is next.
	key Down Enter
	wait_for "$N: the list of 2026年上半年" "所在周期：2026年上半年  共"
	key Enter
	wait_for "$N: a locked item says why" "2026年上半年已备案锁定：只能修改「评价」「备注」"
	# The focus starts on 评价, the first field still open.
	key C-u
	ty "按期完成"
	key F2
	wait_for "$N: the annotation is saved" "已保存。"
	key Tab
	wait_for "$N: Tab goes to the next one, 备注" "其他需要说明的情况"
	key Escape
	ITEM=$(capture | sed -n 4p | awk '{print $1}')
	stored "$N: locked" pledge_ledger "$ITEM" "评价：按期完成" \
	    "所在周期：2026年上半年"
	back_to_menu

	# ---------------------------------------------------- 附件二
	N="$loc 附件二"
	open_list "$N" 2 2 "党员公开承诺书（附件二）  承诺周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建党员公开承诺书"
	pick "$N" "许淼"
	wait_for "$N: the branch follows from the member" "办公室党支部"
	tab_to "$N: on the first item" "承诺事项第 1 行「类别」"
	pick "$N" "服务"
	check "$N" "服务群众"
	ty "帮扶困难党员2户"
	key Tab
	ty "每月走访1次"
	key Tab
	ty "结对联系"
	key Tab
	ty "2026-12-31"
	key F2
	saved "$N"
	stored "$N" member_pledge "$ID" "承诺人：许淼婷" "所在党支部：办公室党支部" \
	    "承诺周期：2026年下半年" "承诺形式：书面" \
	    "具体承诺事项：帮扶困难党员2户" "对照五带头：带头服务群众"
	listed "$N: the item in 附件三" pledge_ledger "帮扶困难党员2户"
	back_to_menu

	# ---------------------------------------------------- 附件四
	N="$loc 附件四"
	open_list "$N" 3 1 "领导点评登记表（附件四）  点评周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建领导点评登记表"
	key Tab
	pick "$N" "指挥"
	wait_for "$N: the secretary follows from the branch" "郭勇"
	ty "王建国"
	key Tab
	ty "机关党委书记"
	key Tab
	ty "2026-11-10"
	key Tab
	pick "$N" "集中"
	tab_to "$N: on 主要成绩" "党组织本半年的主要成绩"
	ty "按时完成警报试鸣"
	key Tab
	ty "承诺量化不够"
	key Tab
	ty "加强督办"
	key Tab
	ty "带头承诺践诺"
	key Tab
	ty "督促检查不够"
	key Tab
	ty "每月检查一次"
	key Tab
	for v in 20 6 2 0; do
		key C-u
		ty "$v"
		key Tab
	done
	wait_for "$N: 满意率 is worked out" "71.4%"
	wait_for "$N: and 测评得分" "9.00"
	tab_to "$N: on 整改事项" "点评中指出、需要整改的问题"
	key F7
	ty "督办台账不全"
	key Tab
	ty "12月前补齐"
	key Tab
	pick "$N" "田宇"
	ty "2026-12-15"
	tab_to "$N: on 填表人" "填写本表的人"
	ty "李干事"
	key F2
	saved "$N"
	stored "$N" leader_review "$ID" "被点评党组织：指挥通信处党支部" \
	    "书记：郭勇" "点评方式：集中点评" "满意率：71.4%" "测评得分：9.00" \
	    "存在问题：督办台账不全"
	listed "$N: the issue in 整改台账" rectification "督办台账不全"
	back_to_menu

	# ---------------------------------------------------- 附件五
	N="$loc 附件五"
	open_list "$N" 3 2 "书记点评党员登记表（附件五）  点评周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建书记点评党员登记表"
	pick "$N" "田宇"
	wait_for "$N: the post follows from the member" "驾驶员"
	tab_to "$N: on 点评人" "一般是本支部书记"
	pick "$N" "郭勇"
	ty "2026-11-12"
	key Tab
	pick "$N" "个别"
	tab_to "$N: on 党员自评" "党员本人对照"
	ty "按时完成保障任务"
	tab_to "$N: on 主要优点" "这名党员的主要优点"
	ty "工作认真"
	key Tab
	ty "学习不够"
	key Tab
	ty "每月读书一本"
	tab_to "$N: on 点评人签名" "点评人在登记表上签名"
	ty "2026-11-12"
	key F2
	saved "$N"
	stored "$N" secretary_review "$ID" "被点评党员：田宇轩" \
	    "职务/岗位：驾驶员" "所在党支部：指挥通信处党支部" "点评人：郭勇" \
	    "党员自评：按时完成保障任务" "存在不足：学习不够"
	back_to_menu

	# ---------------------------------------------------- 附件六
	N="$loc 附件六"
	open_list "$N" 3 3 "群众评议统计表（附件六）  评议周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建群众评议统计表"
	pick "$N" "办公"
	wait_for "$N: the number of members follows" "9      （自动）"
	tab_to "$N: on 评议日期" "组织评议的日期"
	ty "2026-11-18"
	key Tab
	check "$N" "会议测评"
	key Tab
	for v in 8 20 28 28 27 5; do
		ty "$v"
		key Tab
	done
	wait_for "$N: 参评人数合计" "28     （自动）"
	# A new 附件六 lists the notice's five items already; only the
	# tallies are typed.  The cursor is on the first row's 评议项目.
	wait_for "$N: the five items are listed" "5  党组织和党员队伍建设"
	first_row=1
	for row in "20 5 1 1" "18 6 2 1" "15 8 3 1" "12 9 4 2" "10 5 4 8"; do
		[ $first_row = 1 ] || key Tab
		first_row=0
		for v in $row; do
			key Tab C-u
			ty "$v"
		done
	done
	wait_for "$N: 满意率 of a row" "74.1%"
	wait_for "$N: a low one is flagged" "需整改"
	# The fields' help has “”, whose width a GB18030 terminal and tmux
	# see differently: the exact screen is taken with another message.
	key Insert Insert
	wait_for "$N: insert mode again" "插入方式"
	screen_is "$N: the form" "annex6-80x24"
	tab_to "$N: on 反映问题" "评议中群众反映的问题"
	ty "1"
	key Tab F7
	ty "办事效率不高"
	key Tab
	ty "推行限时办结"
	key Tab
	pick "$N" "姜艳"
	ty "2026-12-31"
	tab_to "$N: on 填表人" "填写本表的人的姓名"
	ty "曹静"
	key F2
	saved "$N"
	stored "$N" mass_eval "$ID" "填报单位：办公室党支部" "党员总数：9" \
	    "参评人数合计：28" "有效票数：27" "满意率：74.1%" "得分：6.33" \
	    "预警：需整改"
	listed "$N: the issue in 整改台账" rectification "办事效率不高"
	back_to_menu

	# ---------------------------------------------------- 整改台账
	N="$loc 整改台账"
	open_list "$N" 4 1 "整改台账  所在周期：2026年下半年"
	key End
	wait_for "$N: the issues of 附件四 and 附件六 are listed" "办事效率不高"
	wait_for "$N: each with its branch" "督办台账不全"
	key F3
	wait_for "$N: a new form" "新建整改台账"
	key Tab
	pick "$N" "宣传"
	tab_to "$N: on 问题来源" "有来源记录时程序自动填写"
	pick "$N" "自查"
	ty "活动室制度未上墙"
	key Tab
	ty "11月底前上墙"
	key Tab
	pick "$N" "潘建"
	ty "2026-12-10"
	key F2
	saved "$N"
	stored "$N" rectification "$ID" "问题来源：自查" \
	    "党支部：宣传教育处党支部" "存在问题：活动室制度未上墙" \
	    "责任人：潘建国" "整改时限：2026-12-10" "状态：未启动"
	back_to_menu

	# ---------------------------------------------------- 整改通知书
	N="$loc 整改通知书"
	open_list "$N" 4 2 "整改通知书  所属周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建整改通知书"
	ty "2026-009"
	tab_to "$N: on 受文党支部" "接受检查、需要整改的党支部"
	pick "$N" "工程建设"
	tab_to "$N: on 检查日期" "机关党委检查的日期"
	ty "2026-11-05"
	key Tab
	pick "$N" "不定期"
	ty "抽查三会一课记录"
	key Tab
	ty "党课缺少讲义"
	key Tab
	ty "补齐讲义"
	key Tab
	ty "2026-12-20"
	tab_to "$N: on 签发人" "签发通知书的机关党委负责人"
	ty "王建国"
	key F2
	saved "$N"
	stored "$N" rectification_notice "$ID" "编号：2026-009" \
	    "受文党支部：工程建设管理处党支部" "检查方式：不定期抽查" \
	    "整改期限：2026-12-20" "存在问题：党课缺少讲义"
	back_to_menu
	open_list "$N: in 整改台账" 4 1 "整改台账  所在周期：2026年下半年"
	key End
	wait_for "$N: its issue is in 整改台账" "党课缺少讲义"
	listed "$N" rectification "党课缺少讲义"
	back_to_menu

	# ---------------------------------------------------- 三会一课
	N="$loc 三会一课"
	open_list "$N" 5 "" "三会一课记录  所属周期：2026年下半年"
	key F3
	wait_for "$N: a new form" "新建三会一课记录"
	pick "$N" "指挥"
	pick "$N" "支部委员"
	tab_to "$N: on 会议主题" "这次会议或党课的主题"
	ty "研究承诺践诺推进"
	key Tab C-u
	ty "2026-11-20"
	key Tab
	ty "9:30"
	key Tab
	ty "11:00"
	key Tab
	ty "三楼党员活动室"
	key Tab
	pick "$N" "郭勇"
	pick "$N" "田宇"
	tab_to "$N: on 出席名单" "到会的党员"
	wait_for "$N: 应到人数 follows (the committee)" "4      （自动）"
	pick "$N" "郭勇"
	for m in 田宇 崔磊; do
		key Up F7
		pick "$N" "$m"
	done
	wait_for "$N: 实到人数 counts them" "3      （自动）"
	tab_to "$N: on 议题" "会议讨论的事项"
	ty "通报承诺事项进度"
	key Tab
	ty "郭勇：抓紧推进"
	key F2
	wait_for "$N: 应到 = 实到 + 缺席 is checked" "应到人数必须等于实到人数加缺席人数"
	tab_to "$N: back on 缺席人员" "应到而没有到会的党员" BTab
	key F7
	pick "$N" "高磊"
	pick "$N" "公差"
	pick "$N" "是"
	key F2
	saved "$N"
	stored "$N" meeting "$ID" "会议类型：支部委员会" "应到人数：4" \
	    "实到人数：3" "开始时间：09:30" "所属周期：2026年下半年" \
	    "会议主题：研究承诺践诺推进"
	back_to_menu

	no_stderr "$loc: nothing on stderr so far"
	key C-q
	wait_exit "$loc: quits" 0
done
no_stderr "nothing on stderr"
finish
