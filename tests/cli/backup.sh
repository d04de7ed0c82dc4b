#!/bin/sh
# Backups from the command line: cxzy backup (and a second copy), the
# backups listing, recover with --yes, and refusals that change nothing
# (no confirmation, unknown name, damaged backup, read-only data).
. "$CXZY_TESTDATA/lib.sh"

B="$CXZY_BACKUP_DIR"
D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }

expect "backups: none yet" 0 "这里还没有备份" "$CXZY" --data "$D" backups
expect "backup" 0 "已备份到“$B/unit-" "$CXZY" --data "$D" backup
grep -qF "/20261127-100000”（党组织 13 条、党员 66 条、" "$T/out" &&
    pass "backup: named by the time, with the counts" ||
    fail "backup: named by the time, with the counts"
u=$(cd "$B" && ls)
case $u in
unit-????????) pass "unit directory is ASCII ($u)" ;;
*) fail "unit directory is ASCII ($u)" ;;
esac
[ "$(cat "$B/$u/UNIT.txt")" = "演示市人防办机关党委" ] &&
    pass "UNIT.txt names the unit" || fail "UNIT.txt names the unit"
grep -q "^count member 66 党员$" "$B/$u/20261127-100000/INFO.txt" &&
    pass "INFO.txt has the counts" || fail "INFO.txt has the counts"
[ -f "$B/$u/20261127-100000/data.mdb" ] && [ ! -f "$B/$u/20261127-100000/lock.mdb" ] &&
    pass "the backup holds data.mdb, no lock file" ||
    fail "the backup holds data.mdb, no lock file"
expect "backup with a second root" 0 "已备份到“$T/stick2/$u/20261127-100000”" \
    "$CXZY" --data "$D" backup "$T/stick2"
grep -qF "已备份到“$B/$u/20261127-100000-2”" "$T/out" &&
    pass "the same second again gets -2" || fail "the same second again gets -2"

# The listing, byte for byte, in UTF-8 and GB18030.
cat >"$T/want" <<EOF
备份目录：$B
单位：演示市人防办机关党委
  名称                备份时间             记录
  20261127-100000-2   2026-11-27 10:00:00  党组织 13 条、党员 66 条、党支部公开承诺书（附件一） 14 条、党员公开承诺书（附件二） 114 条、承诺、践诺台账（附件三） 284 条、领导点评登记表（附件四） 15 条、书记点评党员登记表（附件五） 112 条、群众评议统计表（附件六） 15 条、整改台账 50 条、整改通知书 3 条、三会一课记录 196 条、系统设置 0 条
  20261127-100000     2026-11-27 10:00:00  党组织 13 条、党员 66 条、党支部公开承诺书（附件一） 14 条、党员公开承诺书（附件二） 114 条、承诺、践诺台账（附件三） 284 条、领导点评登记表（附件四） 15 条、书记点评党员登记表（附件五） 112 条、群众评议统计表（附件六） 15 条、整改台账 50 条、整改通知书 3 条、三会一课记录 196 条、系统设置 0 条
共 2 份备份。恢复其中一份：cxzy recover 名称
EOF
run 0 "$CXZY" --data "$D" backups && same_bytes "backups listing" "$T/out" "$T/want" ||
    fail "backups: exit status"
iconv -f UTF-8 -t GB18030 "$T/want" >"$T/want.gb"
LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 run 0 "$CXZY" --data "$D" backups &&
    same_bytes "backups listing (GB18030)" "$T/out" "$T/want.gb" ||
    fail "backups (GB18030): exit status"
expect "backups of another root" 0 "备份目录：$T/stick2" "$CXZY" backups "$T/stick2"

# Change the data after the backup.
run 0 "$CXZY" --data "$D" delete member 5 || fail "delete member 5"
run 0 "$CXZY" --data "$D" add member 姓名=备份后新增 性别=男 出生年月=1990-01 \
    入党时间=2015-07-01 所属党支部=办公室党支部 || fail "add a member"
before=$(fingerprint "$D")

# Refusals change nothing.
expect "recover without --yes and no terminal is refused" 1 "请在命令后加上 --yes" \
    "$CXZY" --data "$D" recover 20261127-100000 </dev/null
grep -qF "备份中的记录：党组织 13 条、党员 66 条" "$T/out" &&
    grep -qF "现在的记录：  党组织 13 条、党员 66 条" "$T/out" &&
    pass "it previews both counts first" || fail "it previews both counts first"
[ "$(fingerprint "$D")" = "$before" ] && pass "data unchanged" || fail "data unchanged"
expect "recover an unknown name" 1 "没有名为“20990101-000000”的备份" \
    "$CXZY" --data "$D" recover 20990101-000000 --yes
[ "$(fingerprint "$D")" = "$before" ] && pass "data unchanged" || fail "data unchanged"
expect "recover needs a name" 2 "用法" "$CXZY" --data "$D" recover
expect "recover: too many names" 2 "用法" "$CXZY" --data "$D" recover a b

# A damaged backup: flip a byte inside a record in its data.mdb.
D2="$T/marked"
"$CXZY" demo "$D2" >/dev/null
run 0 "$CXZY" --data "$D2" add member 姓名=CLIMARKBACKUP 性别=男 出生年月=1990-01 \
    入党时间=2015-07-01 所属党支部=办公室党支部 || fail "add the marked member"
CXZY_BACKUP_DIR="$T/bk2" run 0 "$CXZY" --data "$D2" backup || fail "backup of marked data"
bad=$(ls -d "$T"/bk2/unit-*/20261127-100000)
off=$(grep -obUaF CLIMARKBACKUP "$bad/data.mdb" | head -n 1 | cut -d: -f1)
if [ -n "$off" ]; then
	printf 'X' | dd of="$bad/data.mdb" bs=1 seek=$((off + 4)) conv=notrunc 2>/dev/null
	expect "a damaged backup is refused" 1 "已损坏" \
	    "$CXZY" --data "$D" recover "$bad" --yes
	grep -qF "现有数据没有改动" "$T/err" && pass "saying the data is unchanged" ||
	    fail "saying the data is unchanged"
	[ "$(fingerprint "$D")" = "$before" ] && pass "data unchanged" || fail "data unchanged"
else
	fail "found the marked record in data.mdb"
fi

# A frozen clock: more backups than are kept, each with a name of its own
# that survives its rotation (a name rotation had freed used to be taken
# again, sort among the oldest and be removed at once).
names=
ok=1
i=0
while [ "$i" -lt 12 ]; do
	i=$((i + 1))
	if ! run 0 env CXZY_BACKUP_DIR="$T/bk3" "$CXZY" --data "$D2" backup; then
		ok=0
		sed 's/^/# /' "$T/err"
		break
	fi
	p=$(sed -n 's/^已备份到“\(.*\)”（.*$/\1/p' "$T/out")
	[ -n "$p" ] && [ -f "$p/data.mdb" ] || ok=0
	n=${p##*/}
	case " $names " in *" $n "*) ok=0 ;; esac
	names="$names $n"
done
[ "$ok" -eq 1 ] && pass "frozen clock: 12 backups, each kept, 12 names" ||
    fail "frozen clock: 12 backups, each kept, 12 names ($names)"
[ "$n" = "20261127-100000-12" ] && pass "the last is -12" ||
    fail "the last is -12 ($n)"
[ "$(ls -d "$T"/bk3/unit-*/2026* | wc -l)" -eq 10 ] &&
    pass "rotation keeps 10" || fail "rotation keeps 10"
expect "clock set back" 0 "已备份到“$T/bk3/$u/20261127-100000-13”" \
    env CXZY_NOW="2026-11-01 08:00:00" CXZY_BACKUP_DIR="$T/bk3" \
    "$CXZY" --data "$D2" backup
grep -qF "注意：电脑的时间（2026-11-01 08:00:00）早于已有的最新备份" "$T/out" &&
    pass "says the clock is behind" || fail "says the clock is behind"
[ -f "$T/bk3/$u/20261127-100000-13/data.mdb" ] && pass "and keeps it" ||
    fail "and keeps it"

# Recover with --yes: back to the backed-up state.
expect "recover --yes" 0 "已从备份恢复数据。原来的数据文件改名保存为“$D/data.mdb.before-restore-20261127-100000”" \
    "$CXZY" --data "$D" recover 20261127-100000 --yes
[ -f "$D/data.mdb.before-restore-20261127-100000" ] && [ ! -f "$D/lock.mdb" ] &&
    pass "old data.mdb kept, stale lock gone" || fail "old data.mdb kept, stale lock gone"
expect "member 5 is back" 0 "党员 编号 5" "$CXZY" --data "$D" show member 5
expect "the member added later is gone" 0 "共 66 条" "$CXZY" --data "$D" list member
expect "restored data checks clean" 0 "未发现问题" "$CXZY" --data "$D" check
expect "recover by path" 0 "已从备份恢复数据" \
    "$CXZY" --data "$D" recover "$T/stick2/$u/20261127-100000" --yes

# A read-only data directory is refused with the store's message.
R="$T/ro"
cp -R "$D" "$R"
rm -f "$R"/data.mdb.before-restore-*
as_user=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
		mkdir "$T/bin"
		cp "$CXZY" "$T/bin/cxzy"
		if [ -n "${REAL_CXZY:-}" ]; then
			cp "$REAL_CXZY" "$T/bin/cxzy.real"
			REAL_CXZY="$T/bin/cxzy.real"
			export REAL_CXZY
		fi
		cp -R "$CXZY_FORMS" "$T/bin/forms"
		chmod -R a+rX "$T"
		CXZY="$T/bin/cxzy"
		CXZY_FORMS="$T/bin/forms"
	else
		R=
		echo "# skip: read-only test as root without setpriv"
	fi
fi
if [ -n "$R" ]; then
	chmod -R a-w "$R"
	before=$(fingerprint "$R")
	expect "recover into a read-only directory is refused" 1 \
	    "数据目录是只读的（例如 U 盘的写保护开关已打开），不能修改。" \
	    $as_user "$CXZY" --data "$R" recover 20261127-100000 --yes
	[ "$(fingerprint "$R")" = "$before" ] && pass "data unchanged" || fail "data unchanged"
	ls "$R" | grep -q restore && fail "no file left behind" || pass "no file left behind"
fi
finish
