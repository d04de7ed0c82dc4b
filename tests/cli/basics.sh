#!/bin/sh
# Command-line behaviour: demo, add/set/delete/restore, check, data
# directory resolution, LMDB tools reading the directory.
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
expect "demo creates a data directory" 0 "已在“$D”创建演示数据" "$CXZY" demo "$D"
[ -f "$D/cxzy.marker" ] && [ -f "$D/data.mdb" ] && pass "marker and data.mdb exist" || fail "marker and data.mdb exist"
expect "demo refuses an existing data directory" 1 "已经是一个 cxzy 数据目录" "$CXZY" demo "$D"

# At least six branches and sixty members, with a non-BMP name.
run 0 "$CXZY" --data "$D" list org 类型=党支部 &&
    n=$(tail -n 1 "$T/out" | sed 's/（.*//' | tr -dc 0-9) && [ "$n" -ge 6 ] &&
    pass "demo has at least six branches ($n)" || fail "demo has at least six branches"
run 0 "$CXZY" --data "$D" list member &&
    n=$(tail -n 1 "$T/out" | tr -dc 0-9) && [ "$n" -ge 60 ] &&
    pass "demo has at least sixty members ($n)" || fail "demo has at least sixty members"
grep -q '𠀾' "$T/out" && pass "a member's name has a non-BMP character" || fail "non-BMP name"
# Names vary: at least 50 distinct names among the members.
n=$(sed '1d;$d' "$T/out" | awk '{print $2}' | sort -u | wc -l)
[ "$n" -ge 50 ] && pass "member names vary ($n distinct)" || fail "member names vary ($n)"

# Data directory: --data, then $CXZY_DATA, then ./cxzy-data.
expect "CXZY_DATA is used" 0 "共 66 条" env CXZY_DATA="$D" "$CXZY" list member
mkdir -p "$T/cwd" && cp -R "$D" "$T/cwd/cxzy-data"
expect "./cxzy-data is the default" 0 "共 66 条" sh -c "cd '$T/cwd' && '$CXZY' list member"
expect "--data wins over CXZY_DATA" 0 "共 66 条" env CXZY_DATA="$T/nowhere" "$CXZY" --data "$D" list member

# Add, show, set, delete, restore.
expect "add a member" 0 "已添加党员“欧阳𠀾”（编号 67）。" \
    "$CXZY" --data "$D" add member 姓名=欧阳𠀾 性别=女 出生年月=1990年3月 \
    入党时间=2015.07.01 所属党支部=办公室党支部 所属党小组=办公室第一党小组 职务/岗位=科员
expect "the new member reads back" 0 "姓名：      欧阳𠀾" "$CXZY" --data "$D" show member 67
expect "date typed as 2015.07.01 is stored canonically" 0 "入党时间：  2015-07-01" "$CXZY" --data "$D" show member 67
expect "set changes a field" 0 "已修改党员“欧阳𠀾”（编号 67）。" "$CXZY" --data "$D" set member 67 post=副科长
expect "the change reads back" 0 "职务/岗位： 副科长" "$CXZY" --data "$D" show member 67
expect "find by index after set" 0 "共 1 条（全部 67 条）" "$CXZY" --data "$D" list member 职务/岗位=副科长
expect "delete moves to the recycle bin" 0 "已把党员“欧阳𠀾”（编号 67）移入回收站" "$CXZY" --data "$D" delete member 67
expect "deleted record is gone" 1 "没有编号为 67 的党员记录。" "$CXZY" --data "$D" show member 67
expect "the recycle bin lists it" 0 "欧阳𠀾" "$CXZY" --data "$D" trash
expect "restore brings it back" 0 "已从回收站恢复党员“欧阳𠀾”（编号 67）。" "$CXZY" --data "$D" restore member 67
expect "restored record reads back" 0 "姓名：      欧阳𠀾" "$CXZY" --data "$D" show member 67
expect "recycle bin is empty again" 0 "回收站共 0 条" "$CXZY" --data "$D" trash
expect "ids keep counting after restore" 0 "（编号 68）" "$CXZY" --data "$D" add member 姓名=赵六 性别=男 出生年月=198001 入党时间=20100701 所属党支部=2

# A unique field refuses a second record with the same value.
before=$(fingerprint "$D")
expect "unique name of an org" 1 "办公室党支部" "$CXZY" --data "$D" add org 名称=办公室党支部 类型=党支部 上级组织=1
[ "$(fingerprint "$D")" = "$before" ] && pass "refused add changed nothing" || fail "refused add changed nothing"

# Model rules: a group of another branch, an org under the wrong parent.
expect "member's group must belong to the branch" 1 "所属党小组：“办公室第一党小组”不属于所选的党支部。" \
    "$CXZY" --data "$D" add member 姓名=钱七 性别=男 出生年月=198001 入党时间=20100701 所属党支部=指挥通信处党支部 所属党小组=办公室第一党小组
expect "a group must sit under a branch" 1 "上级组织：党小组的上级应是党支部。" \
    "$CXZY" --data "$D" add org 名称=新党小组 类型=党小组 上级组织=1

# check: clean, then after damage.
expect "check finds nothing wrong" 0 "未发现问题" "$CXZY" --data "$D" check
if command -v mdb_stat >/dev/null 2>&1; then
	run 0 mdb_stat -a "$D" && grep -q 'rec:member' "$T/out" &&
	    pass "mdb_stat -a reads the data directory" || fail "mdb_stat -a reads the data directory"
else
	echo "# skip: mdb_stat not installed"
fi

cp -R "$D" "$T/bad"
# Damage one member record: change one byte of its name inside data.mdb.
# LMDB copies pages on write, so old copies of the record may lie in free
# pages too; damage every copy so that the live one is surely hit.
offs=$(grep -boa '欧阳𠀾' "$T/bad/data.mdb" | cut -d: -f1)
if [ -n "$offs" ]; then
	for off in $offs; do
		printf '\377' | dd of="$T/bad/data.mdb" bs=1 seek="$off" conv=notrunc 2>/dev/null
	done
	expect "check reports damage with exit status 3" 3 "党员 编号 67" "$CXZY" --data "$T/bad" check
	expect "reading the damaged record fails clearly" 1 "已损坏" "$CXZY" --data "$T/bad" show member 67
else
	fail "could not find the record to damage"
fi

# Help and version, GNU style.
expect "--help" 0 "用法：cxzy [选项] [命令 [参数...]]" "$CXZY" --help
expect "--version" 0 "cxzy（创先争优台账）" "$CXZY" --version
expect "--version: the licence" 0 "许可证：ISC" "$CXZY" --version
expect "unknown option" 2 "不认识的选项“--bogus”" "$CXZY" --bogus
expect "unknown command" 2 "不认识的命令“frobnicate”" "$CXZY" --data "$D" frobnicate
expect "wrong number of arguments" 2 "命令 show 的参数不对" "$CXZY" --data "$D" show member
expect "no command shows the overview" 0 "党员：68 名" "$CXZY" --data "$D"
# A GBK terminal cannot show 𠀾: it is written visibly escaped, and the
# user is told once why; GB18030 shows it.
"$CXZY" demo "$T/gbkdemo" >/dev/null || exit 99
LANG=zh_CN.GBK LC_ALL=zh_CN.GBK "$CXZY" --data "$T/gbkdemo" list member >"$T/gbk.out" 2>"$T/gbk.err"
if iconv -f GBK -t UTF-8 "$T/gbk.out" | grep -q "林\[U+2003E\]"; then
	pass "GBK: an unencodable character is shown escaped"
else
	fail "GBK: an unencodable character is shown escaped"
fi
n=$(iconv -f GBK -t UTF-8 "$T/gbk.err" | grep -c "显示不了有些字")
[ "$n" = 1 ] && pass "GBK: said once" || fail "GBK: said once (got $n)"
LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 "$CXZY" --data "$T/gbkdemo" list member >"$T/gb.out" 2>"$T/gb.err"
if iconv -f GB18030 -t UTF-8 "$T/gb.out" | grep -q "林𠀾" && [ ! -s "$T/gb.err" ]; then
	pass "GB18030 shows every character"
else
	fail "GB18030 shows every character"
fi
# help: for all, for one command, before any data directory is needed.
expect "help" 0 "用法：cxzy [选项]" "$CXZY" help
expect "help CMD" 0 "用法：cxzy [-d 数据目录] list 种类" "$CXZY" help list
expect "CMD --help needs no data" 0 "列出某种记录" "$CXZY" --data "$T/none" list --help
expect "help: an unknown command" 2 "不认识的命令“nosuch”" "$CXZY" help nosuch
# --name=value is --name value.
expect "--period=2026H2" 0 "工作台：2026年下半年" "$CXZY" --data "$D" todo --period=2026H2
expect "a bad period is a usage error" 2 "不是有效的周期" "$CXZY" --data "$D" todo --period=2026H3
finish
