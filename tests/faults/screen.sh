#!/bin/sh
# A failed save on screen: a member is typed into the entry form, the
# stick "is pulled" (the shim fails every write of the data directory
# while a file exists), F2 shows the plain message and the typed text
# stays on the form; once the stick "is back", F2 saves it.
. "$CXZY_TESTDATA/lib.sh"
. "$CXZY_TESTDATA/screen/lib.sh"
: "${CXZY_FAILIO:?CXZY_FAILIO must name the shim tests/faults/failio.so}"

D="$T/data"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

# The program under the shim, through a wrapper, so that neither tmux
# nor the shell has it preloaded.
cat >"$T/cxzy-failio" <<EOF
#!/bin/sh
ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0" \\
FAILIO_DIR='$D' FAILIO_WHILE='$T/pulled' LD_PRELOAD='$CXZY_FAILIO' \\
    exec '$CXZY' "\$@"
EOF
chmod +x "$T/cxzy-failio"
real_cxzy=$CXZY
CXZY="$T/cxzy-failio"

screen_start utf8 80 24 --data "$D"
to_menu "start" || finish
wait_for "main menu" "1  组织与党员" || finish
send 1
wait_for "group" "2  党员"
send 2
wait_for "member list" "司马振华"
send F3
wait_for "F3 opens a new form" "新建党员"
typ "欧阳𠀾"
send Tab
typ "女"
wait_for "the gender picker" "选择性别"
send Enter
typ "1985年3月"
send Tab
typ "2010.7.1"
send Tab
send Tab
typ "科员"
send Tab
send Enter
wait_for "the branch picker" "选择所属党支部"
typ "宣传"
wait_for "the picker filters" "共 1 项"
send Enter
wait_for "the branch is chosen" "宣传教育处党支部"

: >"$T/pulled"
send F2
wait_for "F2 with the stick pulled says so" "无法读写数据"
for want in "欧阳𠀾" "1985-03" "2010-07-01" "科员" "宣传教育处党支部"; do
	wait_for "the typed $want is still there" "$want"
done
run 0 "$real_cxzy" --data "$D" list member 姓名=欧阳𠀾 &&
    grep -qF "共 0 条" "$T/out" && pass "nothing was stored" ||
    fail "nothing was stored"

rm -f "$T/pulled"
send F2
wait_for "F2 with the stick back saves" "已保存（新记录编号 67）"
send C-q
wait_exit "quits" 0
CXZY=$real_cxzy
expect "the record reads back" 0 "所属党支部：宣传教育处党支部" "$CXZY" --data "$D" show member 67
expect "check clean" 0 "未发现问题" "$CXZY" --data "$D" check
no_stderr "nothing on stderr"
finish
