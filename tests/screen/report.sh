#!/bin/sh
# The 报表 screen: choosing a printout (附件二, the members' paper forms
# of the current period) and an encoding, the preview, saving to
# reports/ (GB18030, CRLF) and printing through a print command; the
# period (F9) and branch (F6) choices; in zh_CN.UTF-8 and zh_CN.GB18030
# at 80x24.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

for loc in utf8 gb18030; do
	rm -rf "$D/reports" "$T/printed"
	# A command with a redirection: it goes through the shell.
	CXZY_PRINT_COMMAND="cat >$T/printed"
	export CXZY_PRINT_COMMAND
	screen_start $loc 80 24 --data demo
	to_menu "$loc"
	wait_for "$loc: main menu" "7  报表" || continue
	send 7
	wait_for "$loc: 报表 lists the paper forms" "2  党员公开承诺书（附件二）"
	wait_for "$loc: with the period" "周期：2026年下半年"
	send 2
	wait_for "$loc: asks for the encoding" "GB18030"
	send Enter
	wait_for "$loc: the preview shows the title" "党员公开承诺书（附件二）（2026年下半年）预览"
	wait_for "$loc: and the page" "第 1 页 共"
	wait_for "$loc: the first member's form" "姓名：司马振华"
	send PageDown
	wait_gone "$loc: PgDn moves on" "姓名：司马振华"
	send PageDown PageDown
	wait_for "$loc: a form feed shows as a line" "-- 换页 --"
	send F2
	wait_for "$loc: F2 says where it saved" "已把党员公开承诺书（附件二）（2026年下半年）保存到"
	f=$(ls "$D"/reports/member_pledge-2026H2-*.txt 2>/dev/null | head -1)
	[ -n "$f" ] && pass "$loc: a file in reports/" ||
	    fail "$loc: a file in reports/"
	iconv -f GB18030 -t UTF-8 "$f" >"$T/report.txt" 2>/dev/null &&
	    grep -q '林𠀾' "$T/report.txt" && pass "$loc: saved in GB18030" ||
	    fail "$loc: saved in GB18030"
	if tr -d '\f' <"$f" | grep -qv "$(printf '\r')\$"; then
		fail "$loc: every line ends with CRLF"
	else
		pass "$loc: every line ends with CRLF"
	fi
	send F5
	wait_for "$loc: F5 prints" "已把报表交给打印机"
	cmp -s "$T/printed" "$f" && pass "$loc: the printed file is the saved one" ||
	    fail "$loc: the printed file is the saved one"
	# Back in the list: F9 chooses the period, F6 the branch.
	send Escape
	wait_for "$loc: back in the list" "2  党员公开承诺书（附件二）"
	send F9
	wait_for "$loc: F9 lists periods" "2026年上半年"
	send Up Enter
	wait_for "$loc: the period changes" "周期：2026年上半年"
	send F6
	wait_for "$loc: F6 lists branches" "财务审计处党支部"
	typ 财务审计
	send Enter
	wait_for "$loc: the branch changes" "党支部：财务审计处党支部"
	send 1
	wait_for "$loc: encoding for 附件一" "GB18030"
	send Enter
	wait_for "$loc: 附件一 of that branch and period" "中共财务审计处党支部公开承诺书"
	wait_for "$loc: of that period" "（2026年上半年）"
	send Escape Escape C-q
	wait_exit "$loc: quits" 0
	unset CXZY_PRINT_COMMAND
	if command -v lp >/dev/null 2>&1; then
		echo "# skip: lp is installed, cannot test a missing print command"
	else
		screen_start $loc 80 24 --data demo
		to_menu "$loc"
		wait_for "$loc: main menu again" "7  报表" || continue
		send 7
		wait_for "$loc: 报表 again" "2  党员公开承诺书（附件二）"
		send 2
		wait_for "$loc: encoding again" "GB18030"
		send Enter
		wait_for "$loc: preview again" "第 1 页 共"
		send F5
		wait_for "$loc: without lp it says so" "没有找到打印命令 lp"
		send Enter
		send Escape Escape C-q
		wait_exit "$loc: quits again" 0
	fi
done
no_stderr "nothing on stderr"
finish
