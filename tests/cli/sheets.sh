#!/bin/sh
# Printed forms and roll-ups (cxzy report): every annex as its paper
# form, the roll-ups and the 备案报告 from the demo data, compared with
# golden files in UTF-8 and in GB18030 (which must decode through iconv
# to the UTF-8 bytes), and every golden file checked by tests/layout.awk
# (page width, page length, page numbers, repeated page and table
# headers, line-breaking rules).
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

# NAME WIDTH LINES ARGS...: the golden file in UTF-8 and GB18030, the
# GB18030 output decoded back, and the layout rules.
sheet() {
	name=$1 width=$2 lines=$3
	shift 3
	golden "$name" 0 "$CXZY" --data "$D" report "$@"
	# In a GB18030 locale the arguments are typed in GB18030 too.
	n=$#
	for a in "$@"; do
		set -- "$@" "$(printf '%s' "$a" | iconv -f UTF-8 -t GB18030)"
	done
	shift "$n"
	golden_gb "$name" 0 "$CXZY" --data "$D" report "$@"
	if iconv -f GB18030 -t UTF-8 "$T/out" >"$T/back" 2>/dev/null; then
		same_bytes "$name: GB18030 decodes to the UTF-8 golden" "$T/back" \
		    "$GOLDEN/$name.out"
	else
		fail "$name: GB18030 decodes to the UTF-8 golden"
	fi
	if out=$(LC_ALL=C awk -v width="$width" -v lines="$lines" \
	    -v through="${through:-0}" \
	    -f "$CXZY_TESTDATA/layout.awk" "$GOLDEN/$name.out"); then
		pass "$name: layout rules hold"
	else
		fail "$name: layout rules hold"
		echo "$out" | head -10 | sed 's/^/# /'
	fi
	pages=$(grep -c '^ *第 [0-9]* 页 共 [0-9]* 页$' "$GOLDEN/$name.out")
	ffs=$(tr -cd '\f' <"$GOLDEN/$name.out" | wc -c)
	[ "$pages" -ge 1 ] && [ "$ffs" -eq $((pages - 1)) ] &&
	    pass "$name: $pages pages, $ffs form feeds" ||
	    fail "$name: $pages pages, $ffs form feeds"
}

# The paper forms, one branch (or one period) each to keep them small.
sheet sheet-branch-pledge 80 66 branch_pledge --branch 办公室党支部 --period 2026H2
sheet sheet-member-pledge 80 66 附件二 --branch 政策法规处党支部
sheet sheet-pledge-ledger 136 66 pledge_ledger --branch 办公室党支部
sheet sheet-leader-review 80 66 leader_review --branch 办公室党支部
sheet sheet-secretary-review 80 66 secretary_review --branch 离退休干部直属党小组
sheet sheet-mass-eval 136 66 mass_eval --branch 办公室党支部
sheet sheet-rectification 136 66 整改台账 --branch 机关服务中心党支部
sheet sheet-notice 80 66 rectification_notice --period 2026H1
sheet sheet-meeting 80 66 meeting --branch 财务审计处党支部
# Short pages: boxes and tables go on to the next page under the same
# page header, and the box borders in GB2312 line drawing.
sheet sheet-leader-review-short 80 30 leader_review --branch 办公室党支部 --lines 30 --box

# The roll-ups and the filing package.
sheet rollup-pledges 136 66 承诺践诺统计
sheet rollup-pledges-branch 136 66 承诺践诺统计 --branch 工程建设管理处党支部
sheet rollup-mass-eval 136 66 群众评议汇总
sheet rollup-rectify 136 66 整改情况
sheet rollup-meetings 136 66 三会一课统计
sheet rollup-overview 136 66 备案情况总表
sheet package 136 66 备案报告
# A branch's own 备案报告 (a 直属党小组: its 组长 signs); its annex sheets
# follow the roll-ups, the pages numbered straight through.
through=1
sheet package-branch 136 66 备案报告 --branch 离退休干部直属党小组
through=0

# Figures the roll-ups must get right (from the demo data).
g="$GOLDEN/rollup-pledges.out"
grep -q '| *1 | 办公室党支部 *| *20 | *10 | *10 | *16 | *20 | *8 | *0 | *1 | *40.0% | *8/9 | *88.9% |' "$g" &&
    pass "承诺践诺统计: 办公室党支部 20 items, 8 done, 1 overdue, 8/9 members" ||
    fail "承诺践诺统计: 办公室党支部 20 items, 8 done, 1 overdue, 8/9 members"
grep -q '| *| 合计 *| *121 | *58 | *63 | *96 | *121 | *53 | *0 | *5 | *43.8% | *48/66 | *72.7% |' "$g" &&
    pass "承诺践诺统计: totals" || fail "承诺践诺统计: totals"
grep -q '| *4 | 政策法规处党 | 未评议 ' "$GOLDEN/rollup-mass-eval.out" &&
    pass "群众评议汇总: a branch without 附件六" || fail "群众评议汇总: a branch without 附件六"
grep -q '| *1 | 办公室党支部 | 2026-10-22 | *24 | *107 | *23 | *11 | *1 | *74.3% | *97.9% | *9.07 |' \
    "$GOLDEN/rollup-mass-eval.out" &&
    pass "群众评议汇总: rates and score" || fail "群众评议汇总: rates and score"
grep -q '| *| 合计 *| *20 | *4 | *14 | *2 | *0 | *4 | *0.0% |' "$GOLDEN/rollup-rectify.out" &&
    pass "整改情况: totals by status, overdue" || fail "整改情况: totals by status, overdue"
grep -q '2026-003 .*已报告，等待复验' "$GOLDEN/rollup-rectify.out" &&
    pass "整改情况: a notice awaiting 复验" || fail "整改情况: a notice awaiting 复验"
grep -q '| *6 | 财务审计处党支 | *1/2 | *3/6 | *— | *1/2 | .* 支部委员会 *|' "$GOLDEN/rollup-meetings.out" &&
    pass "三会一课统计: held/required and what is short" ||
    fail "三会一课统计: held/required and what is short"
grep -q '一、备案情况总表 \.*  *3$' "$GOLDEN/package.out" &&
    grep -q '五、“三会一课”开展情况 \.*  *8$' "$GOLDEN/package.out" &&
    pass "备案报告: the contents give each section's page" ||
    fail "备案报告: the contents give each section's page"
# The contents are right: each heading is on the page the contents say.
awk 'BEGIN { RS = "\f" } /\n *四、整改落实情况\n/ { print NR }' "$GOLDEN/package.out" |
    grep -qx 6 && pass "备案报告: 四、整改落实情况 is on page 6" ||
    fail "备案报告: 四、整改落实情况 is on page 6"

# The branch's 备案报告: addressed to the 机关党委, signed by the 组长,
# nothing of another branch, and each part on the page the contents say
# (where a new page header starts).
g="$GOLDEN/package-branch.out"
grep -q '^ *报送单位：离退休干部直属党小组$' "$g" &&
    grep -q '^ *报送对象：演示市人防办机关党委$' "$g" &&
    grep -q '^ *组　　长：徐涛明$' "$g" &&
    pass "branch 备案报告: the cover" || fail "branch 备案报告: the cover"
grep -q '^离退休干部直属党小组（盖章） *组长 徐涛明（签名）：____________$' "$g" &&
    pass "branch 备案报告: the 组长 signs" || fail "branch 备案报告: the 组长 signs"
! grep -q '办公室党支部\|财务审计处党支部\|机关党委（盖章）' "$g" &&
    pass "branch 备案报告: only the branch" || fail "branch 备案报告: only the branch"
grep -q '十三、整改通知书 \.*    无$' "$g" &&
    pass "branch 备案报告: an annex with no record says 无" ||
    fail "branch 备案报告: an annex with no record says 无"
contents_ok() {
	LC_ALL=C awk 'BEGIN { RS = "\f" }
	    NR == 2 { n = split($0, L, "\n")
		for (i = 1; i <= n; i++)
		    if (L[i] ~ /^ *(六|七|八|九|十).* \.+ +[0-9]+$/) {
			k = split(L[i], W, " "); want[W[k] + 0] = 1; nw++ } }
	    { split($0, L, "\n"); if (NR > 1 && L[1] != prev) starts[NR] = 1
	      prev = L[1] }
	    END { for (p in want) if (!(p in starts)) bad++
		for (p in starts) if (!(p in want)) bad++
		exit bad > 0 || nw < 5 }' "$1"
}
sed 's/^\( *十一、群众评议统计表.* \)\([0-9]\)/\1 1\2/' "$g" >"$T/bad.txt"
if contents_ok "$g" && ! contents_ok "$T/bad.txt"; then
	pass "branch 备案报告: the contents give each annex's first page"
else
	fail "branch 备案报告: the contents give each annex's first page"
fi

# The checker itself catches what it is there to catch.
bad() {
	sed "$2" "$GOLDEN/$3.out" >"$T/bad.txt"
	if LC_ALL=C awk -v width="$4" -v lines=66 -f "$CXZY_TESTDATA/layout.awk" \
	    "$T/bad.txt" >"$T/bad.log"; then
		fail "checker catches $1"
	elif grep -q "$5" "$T/bad.log"; then
		pass "checker catches $1"
	else
		fail "checker catches $1"
		sed 's/^/# /' "$T/bad.log" | head -5
	fi
}
bad "a line too wide" 's/欢迎党员群众监督。/欢迎党员群众监督。xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/' \
    sheet-branch-pledge 80 'columns wide'
bad "a line starting with ，" 's/^公开方式/，公开方式/' sheet-branch-pledge 80 'starts with'
bad "a cell line ending with （" 's/| 服务承诺 |/| 服务（   |/' sheet-branch-pledge 80 'ends with'
bad "wrong page numbers" 's/第 2 页 共 4 页/第 3 页 共 4 页/' sheet-pledge-ledger 136 'numbered'
bad "a page too long" '0,/^$/s/^$/\n/' sheet-branch-pledge 80 'has 66 lines'
# The page header of page 2 changed, then the header of the table going
# on at the top of page 2 relabelled (the lines stay as many).
awk 'BEGIN { RS = "\f"; ORS = "" } NR > 1 { printf "\f" }
    NR == 2 { sub(/填报日期：2026年11月27日/, "填报日期：2026年11月28日") } { print }' \
    "$GOLDEN/sheet-pledge-ledger.out" >"$T/bad.txt"
LC_ALL=C awk -v width=136 -v lines=66 -f "$CXZY_TESTDATA/layout.awk" "$T/bad.txt" >"$T/bad.log"
grep -q 'page 2: page header not repeated' "$T/bad.log" && ! grep -q 'lines, want' "$T/bad.log" &&
    pass "checker catches a page header not repeated" ||
    fail "checker catches a page header not repeated"
# The header of the table going on at the top of page 2 relabelled.
awk 'BEGIN { RS = "\f"; ORS = "" } NR > 1 { printf "\f" }
    NR == 2 { sub(/\| 序号 \|/, "| 编号 |") } { print }' \
    "$GOLDEN/rollup-rectify.out" >"$T/bad.txt"
if LC_ALL=C awk -v width=136 -v lines=66 -f "$CXZY_TESTDATA/layout.awk" \
    "$T/bad.txt" >"$T/bad.log"; then
	fail "checker catches a table header not repeated"
else
	grep -q 'table header not repeated' "$T/bad.log" && ! grep -q 'lines, want' "$T/bad.log" &&
	    pass "checker catches a table header not repeated" ||
	    fail "checker catches a table header not repeated"
fi

# Options and errors.
expect "--period of a period with nothing" 1 "2030年上半年没有办公室党支部的党支部公开承诺书（附件一）" \
    "$CXZY" --data "$D" report 附件一 --branch 办公室党支部 --period 2030H1
expect "a branch's 备案报告 is signed by its 书记" 0 \
    "办公室党支部（盖章）              书记 司马振华（签名）：____________" \
    "$CXZY" --data "$D" report 备案报告 --branch 办公室党支部
expect "--branch must name a 党支部 or 直属党小组" 1 "找不到党组织“办公室第一党小组”" \
    "$CXZY" --data "$D" report 备案报告 --branch 办公室第一党小组
expect "a bad period" 2 "不是有效的周期" "$CXZY" --data "$D" report 承诺践诺统计 --period 2026H3
expect "unknown report" 1 "没有“党费”这种报表" "$CXZY" --data "$D" report 党费
expect "-o saves the printout" 0 "已把党支部公开承诺书（附件一）（6 页）保存到" \
    "$CXZY" --data "$D" report 附件一 -o "$T/bp.txt"
run 0 "$CXZY" --data "$D" report 名册:branch_pledge --encoding utf-8 &&
    grep -q '党支部公开承诺书（附件一）名册' "$T/out" &&
    pass "名册:KIND prints the roster of a kind with a sheet" ||
    fail "名册:KIND prints the roster of a kind with a sheet"
run 0 "$CXZY" --data "$D" report branch_pledge --roster --encoding utf-8 &&
    grep -q '党支部公开承诺书（附件一）名册' "$T/out" &&
    pass "--roster prints the roster" || fail "--roster prints the roster"
# GBK: the forms and the roll-ups only use characters GBK has.
run 0 "$CXZY" --data "$D" report 备案报告 --encoding gbk &&
    iconv -f GBK -t UTF-8 "$T/out" | cmp -s - "$GOLDEN/package.out" &&
    pass "备案报告 in GBK" || fail "备案报告 in GBK"
# CRLF: every line, and the separators between printouts stay form feeds.
run 0 "$CXZY" --data "$D" report rectification_notice --period 2026H1 --encoding utf-8 --crlf
tr -d '\r' <"$T/out" | cmp -s - "$GOLDEN/sheet-notice.out" &&
    pass "--crlf: the same report with CR LF" || fail "--crlf: the same report with CR LF"
# A BOM only at the start, however many printouts.
run 0 "$CXZY" --data "$D" report rectification_notice --period 2026H1 --encoding utf-8 --bom
[ "$(LC_ALL=C grep -a -c "$(printf '\357\273\277')" "$T/out")" -eq 1 ] &&
    pass "--bom: one BOM for the whole printout" || fail "--bom: one BOM for the whole printout"
finish
