#!/bin/sh
# Printed lists (名册): exact bytes in UTF-8, GB18030 decoding back to the
# UTF-8 bytes through iconv, GBK refusing what it cannot print, CRLF,
# BOM, page breaks and repeated headers, and no line wider than the page.
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

golden report-list 0 "$CXZY" --data "$D" report --list
golden report-org 0 "$CXZY" --data "$D" report org --encoding utf-8
golden report-member-branch 0 "$CXZY" --data "$D" report member \
    --branch 办公室党支部 --encoding utf-8 --lines 20

# GB18030 output decodes back to the UTF-8 report byte for byte.
run 0 "$CXZY" --data "$D" report member --branch 办公室党支部 --encoding gb18030 --lines 20 &&
    iconv -f GB18030 -t UTF-8 "$T/out" >"$T/gb.txt" &&
    same_bytes "GB18030 report decodes to the UTF-8 report" "$T/gb.txt" "$GOLDEN/report-member-branch.out"
# The whole roster in GB18030 holds 𠀾 (four bytes in GB18030).
run 0 "$CXZY" --data "$D" report member --encoding gb18030 &&
    iconv -f GB18030 -t UTF-8 "$T/out" | grep -q '林𠀾' &&
    pass "GB18030 prints a character outside the BMP" || fail "GB18030 prints a character outside the BMP"
# GBK cannot hold 𠀾: say which character and where, print nothing.
expect "GBK refuses 𠀾 and names it" 1 "以下字符无法用 GBK 打印：𠀾（第 1 页）" \
    "$CXZY" --data "$D" report member --encoding gbk
[ ! -s "$T/out" ] && pass "GBK refusal prints nothing" || fail "GBK refusal prints nothing"
run 0 "$CXZY" --data "$D" report member --branch 办公室党支部 --encoding gbk &&
    pass "GBK works when every character fits" || fail "GBK works when every character fits"

# CRLF and BOM.
run 0 "$CXZY" --data "$D" report org --encoding utf-8 --crlf
lf=$(tr -cd '\n' <"$T/out" | wc -c)
crlf=$(grep -c "$(printf '\r')\$" "$T/out")
[ "$lf" -gt 0 ] && [ "$lf" -eq "$crlf" ] && pass "--crlf ends every line with CR LF" ||
    fail "--crlf ends every line with CR LF ($crlf of $lf)"
run 0 "$CXZY" --data "$D" report org --encoding utf-8 --bom
[ "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" = efbbbf ] &&
    pass "--bom starts with the UTF-8 BOM" || fail "--bom starts with the UTF-8 BOM"
run 0 "$CXZY" --data "$D" report org --encoding gb18030 --bom
[ "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" != efbbbf ] &&
    pass "GB18030 never gets a BOM" || fail "GB18030 never gets a BOM"

# Layout rules, checked on the golden files: print width (ASCII 1, else
# 2) never beyond the page, one page header and footer per page, FF
# between pages, and no table cell line starting or ending with a
# character the line-breaking rules forbid there.
check_layout() {
	/usr/bin/env python3 - "$1" "$2" <<'PY'
import sys
path, width = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
pages = text.split("\f")
bad = []
for n, page in enumerate(pages, 1):
    lines = page.split("\n")
    if n > 1 and lines and lines[0] == "":
        lines = lines[1:]
    for l in lines:
        w = sum(1 if ord(ch) < 0x80 else 2 for ch in l)
        if w > width:
            bad.append("page %d: line %d wide: %s" % (n, w, l))
        for cell in l.split("|")[1:-1]:
            s = cell.strip()
            if s and s[0] in "，。、；：？！）」』》":
                bad.append("page %d: cell starts with %s" % (n, s[0]))
            if s and s[-1] in "（「『《":
                bad.append("page %d: cell ends with %s" % (n, s[-1]))
    footer = "第 %d 页 共 %d 页" % (n, len(pages))
    if not any(l.strip() == footer for l in lines):
        bad.append("page %d: no footer %s" % (n, footer))
    if sum(1 for l in lines if l.strip() == "党员名册" or l.strip() == "党组织名册") != 1:
        bad.append("page %d: page header not repeated" % n)
    rows = [l for l in lines if l.startswith("|") and not l.startswith("| 序号 |")]
    if rows and not any(l.startswith("| 序号 |") for l in lines):
        bad.append("page %d: table header not repeated" % n)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
for g in report-org:136 report-member-branch:136; do
	f=${g%:*} w=${g#*:}
	if out=$(check_layout "$GOLDEN/$f.out" "$w"); then
		pass "$f: layout rules hold"
	else
		fail "$f: layout rules hold"
		echo "$out" | head -10 | sed 's/^/# /'
	fi
done
pages=$(grep -c '^ *第 [0-9]* 页 共 [0-9]* 页$' "$GOLDEN/report-member-branch.out")
ffs=$(tr -cd '\f' <"$GOLDEN/report-member-branch.out" | wc -c)
[ "$pages" -ge 2 ] && [ "$ffs" -eq $((pages - 1)) ] &&
    pass "a form feed between pages ($pages pages)" || fail "a form feed between pages ($pages pages, $ffs FF)"

# Saving to a file; bad options.
expect "-o saves the report" 0 "已把党组织名册（1 页）保存到" \
    "$CXZY" --data "$D" report org -o "$T/org.txt"
[ -s "$T/org.txt" ] && pass "the file is there" || fail "the file is there"
expect "unknown encoding" 2 "不认识的编码“latin1”" "$CXZY" --data "$D" report org --encoding latin1
expect "a width too small" 2 "宽度应是 40 以上" "$CXZY" --data "$D" report org --width 20
expect "a list has no period" 2 "不分周期" "$CXZY" --data "$D" report member --period 2026H2
expect "unknown kind" 1 "没有“党费”这种报表" "$CXZY" --data "$D" report 党费
finish
