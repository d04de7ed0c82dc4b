#!/bin/sh
# Bad input gets a clear Chinese message, a non-zero exit status, and
# leaves the data unchanged.
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }
before=$(fingerprint "$D")

unchanged() {
	if [ "$(fingerprint "$D")" = "$before" ]; then
		pass "$1: data unchanged"
	else
		fail "$1: data unchanged"
	fi
}

ok_member="姓名=张三 性别=男 出生年月=1980-01 入党时间=2005-07-01 所属党支部=办公室党支部"

# shellcheck disable=SC2086
expect "wrong date" 1 "入党时间：“2020-13-01”不是有效日期：月份应在 1 到 12 之间" \
    "$CXZY" --data "$D" add member $ok_member 入党时间=2020-13-01
unchanged "wrong date"
# shellcheck disable=SC2086
expect "29 February of a common year" 1 "2021年2月只有 28 天" \
    "$CXZY" --data "$D" add member $ok_member 入党时间=2021年2月29日
unchanged "29 February"
# shellcheck disable=SC2086
expect "overlong text" 1 "姓名：不能超过 20 个字（现有 21 个字）。" \
    "$CXZY" --data "$D" add member $ok_member 姓名=一二三四五六七八九十一二三四五六七八九十一
unchanged "overlong text"
bad=$(printf '\377\376')
# shellcheck disable=SC2086
expect "invalid UTF-8 in an argument" 2 "不是有效的 UTF-8 编码" \
    "$CXZY" --data "$D" add member $ok_member "职务/岗位=$bad"
unchanged "invalid UTF-8"
expect "invalid GB18030 in a GB18030 locale" 2 "$(printf '\312\344\310\353')" \
    env LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 "$CXZY" --data "$D" add member "$(printf '\325')"
unchanged "invalid GB18030"
# shellcheck disable=SC2086
expect "unknown field" 1 "党员没有“年龄”这个字段。可用的字段：姓名（name）" \
    "$CXZY" --data "$D" add member $ok_member 年龄=30
unchanged "unknown field"
# shellcheck disable=SC2086
expect "not a choice" 1 "性别：“未知”不是可选项。可选：男、女。" \
    "$CXZY" --data "$D" add member $ok_member 性别=未知
unchanged "not a choice"
expect "missing required fields are all listed" 1 "无法添加，共 4 处问题，没有保存：" \
    "$CXZY" --data "$D" add member 姓名=张三
expect "each missing field is named" 1 "出生年月：必须填写。" \
    "$CXZY" --data "$D" add member 姓名=张三
unchanged "missing fields"
# shellcheck disable=SC2086
expect "reference to nothing" 1 "所属党支部：找不到党组织“不存在党支部”" \
    "$CXZY" --data "$D" add member $ok_member 所属党支部=不存在党支部
# shellcheck disable=SC2086
expect "reference to the wrong kind of org" 1 "所属党支部：所选记录的“类型”应为" \
    "$CXZY" --data "$D" add member $ok_member 所属党支部=1
unchanged "references"
expect "no such assignment syntax" 1 "的写法不对，应写成 字段=值" \
    "$CXZY" --data "$D" add member 张三
expect "unknown kind" 1 "没有“党费”这种记录。可用的有：党组织（org）、党员（member）、党支部公开承诺书（附件一）（branch_pledge）、党员公开承诺书（附件二）（member_pledge）、承诺、践诺台账（附件三）（pledge_ledger）、领导点评登记表（附件四）（leader_review）、书记点评党员登记表（附件五）（secretary_review）、群众评议统计表（附件六）（mass_eval）、整改台账（rectification）、整改通知书（rectification_notice）、三会一课记录（meeting）、系统设置（settings）。" \
    "$CXZY" --data "$D" list 党费
expect "bad id" 1 "“abc”不是有效的编号" "$CXZY" --data "$D" show member abc
expect "id that does not exist" 1 "没有编号为 999 的党员记录。" "$CXZY" --data "$D" set member 999 姓名=李四
unchanged "bad ids"

# Data directories that are missing, foreign, or from another build.
expect "missing data directory" 1 "数据目录“$T/none”不存在。请用 --data 指定数据目录" \
    "$CXZY" --data "$T/none" list member
expect "missing default data directory" 1 "数据目录“./cxzy-data”不存在" \
    sh -c "cd '$T' && '$CXZY' list member"
mkdir "$T/foreign" && echo "hello" >"$T/foreign/notes.txt"
expect "a foreign directory" 1 "不是 cxzy 的数据目录" "$CXZY" --data "$T/foreign" list member
[ ! -e "$T/foreign/data.mdb" ] && [ ! -e "$T/foreign/cxzy.marker" ] &&
    pass "nothing was created in the foreign directory" || fail "nothing was created in the foreign directory"
mkdir "$T/nomarker" && cp "$D/data.mdb" "$T/nomarker/"
expect "LMDB data without a marker" 1 "缺少 cxzy.marker" "$CXZY" --data "$T/nomarker" list member
cp -R "$D" "$T/newer"
sed 's/^format .*/format 99/' "$D/cxzy.marker" >"$T/newer/cxzy.marker"
expect "data from a newer cxzy" 1 "较新" "$CXZY" --data "$T/newer" list member
cp -R "$D" "$T/lmdb1"
sed 's/^lmdb .*/lmdb 1.0.0/' "$D/cxzy.marker" >"$T/lmdb1/cxzy.marker"
expect "data from LMDB 1.0" 1 "1.0" "$CXZY" --data "$T/lmdb1" list member
cp -R "$D" "$T/w32"
sed 's/^wordsize .*/wordsize 32/' "$D/cxzy.marker" >"$T/w32/cxzy.marker"
expect "data from a 32-bit build" 1 "32" "$CXZY" --data "$T/w32" list member
unchanged "foreign directories"

# Stored text never drives the terminal: a bidi override (U+202E) that
# typed input accepts is printed as a visible escape, never as itself.
cp -R "$D" "$T/bidi"
rlo=$(printf '\342\200\256')
# shellcheck disable=SC2086
expect "a name with U+202E is stored" 0 "已添加党员“王[U+202E]五”" \
    "$CXZY" --data "$T/bidi" add member $ok_member "姓名=王${rlo}五" "备注=甲${rlo}乙"
id=$(sed -n 's/.*（编号 \([0-9]*\)）.*/\1/p' "$T/out")
no_rlo() {
	if LC_ALL=C grep -q "$rlo" "$T/out" "$T/err"; then
		fail "$1: no raw U+202E"
	else
		pass "$1: no raw U+202E"
	fi
}
expect "show escapes U+202E" 0 "姓名：      王[U+202E]五" \
    "$CXZY" --data "$T/bidi" show member "$id"
LC_ALL=C grep -qF "备注：      甲[U+202E]乙" "$T/out" &&
    pass "show escapes U+202E in a note" || fail "show escapes U+202E in a note"
no_rlo "show"
expect "list escapes U+202E" 0 "王[U+202E]" \
    "$CXZY" --data "$T/bidi" list member
no_rlo "list"
expect "history escapes U+202E" 0 "党员“王[U+202E]五”（编号 $id）的修改记录" \
    "$CXZY" --data "$T/bidi" history member "$id"
no_rlo "history"
expect "GB18030 show escapes U+202E" 0 "[U+202E]" \
    env LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 "$CXZY" --data "$T/bidi" show member "$id"
"$CXZY" --data "$T/bidi" delete member "$id" >/dev/null 2>&1
expect "trash escapes U+202E" 0 "王[U+202E]五" "$CXZY" --data "$T/bidi" trash
no_rlo "trash"
finish
