#!/bin/sh
# Branches and the 机关党委 exchange packages (docs/exchange.md): a branch
# directory made from the 机关党委's package, filing back, the return
# package, ownership, field-by-field merging, conflicts both ways, a
# locked period holding a package, repeated, older and misdirected
# packages, and two copies of one branch directory.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
mkdir stick || exit 99
"$CXZY" demo jg >/dev/null || exit 99

# --- The 机关党委 prepares a branch's package; the branch starts from it.
golden exchange-package-committee 0 \
    "$CXZY" --data jg package --branch 办公室党支部 -o stick
P1=stick/下发-办公室党支部-全部-20261127-1000.cxzy
[ -f "$P1" ] && pass "package named after direction, branch, period, time" ||
    fail "package named after direction, branch, period, time"
golden exchange-init-from 0 "$CXZY" init zb --from "$P1"
golden exchange-branch-orgs 0 "$CXZY" --data zb list org
expect "branch directory: its members only" 0 "共 9 条" \
    "$CXZY" --data zb list member
"$CXZY" --data jg package --branch 机关服务中心党支部 -o stick >/dev/null || exit 99
"$CXZY" init fw --from stick/下发-机关服务中心党支部-全部-20261127-1000.cxzy >/dev/null ||
    exit 99

# A branch package cannot make a branch directory, a package cannot go
# into the wrong directory, and nothing changes.
fp=$(fingerprint jg)
"$CXZY" --data jg export "$T/all.cxa" >/dev/null || exit 99
expect "init --from needs a 机关党委 package" 1 "不是机关党委发给党支部的报送包" \
    "$CXZY" init x --from "$T/all.cxa"
[ ! -e x ] && pass "no directory made" || fail "no directory made"
expect "own package" 1 "这个报送包是本机自己制作的" \
    "$CXZY" --data jg import "$P1"
expect "another branch's package" 1 "这个报送包是发给党支部“办公室党支部”的，不是本支部的" \
    "$CXZY" --data fw import "$P1"
expect "package needs --branch in the 机关党委 directory" 1 "请写明为哪个党支部制作报送包" \
    "$CXZY" --data jg package -o stick
expect "a branch directory knows only its own branch" 1 "没有名为“机关服务中心党支部”的党支部或直属党小组" \
    "$CXZY" --data zb package --branch 机关服务中心党支部 -o stick
[ "$(fingerprint jg)" = "$fp" ] && pass "refusals changed nothing" ||
    fail "refusals changed nothing"

# --- The branch fills in and files.  What the branch owns is taken;
# what the 机关党委 owns is listed and left alone.
export CXZY_NOW="2026-11-28 09:00:00"
"$CXZY" --data zb set member 2 职务/岗位=科员 >/dev/null || exit 99
"$CXZY" --data zb set org 2 备注=支部自己改的 >/dev/null || exit 99
"$CXZY" --data zb package -o stick >/dev/null || exit 99
B1=stick/报送-办公室党支部-全部-20261128-0900.cxzy
export CXZY_NOW="2026-11-28 10:00:00"
fp=$(fingerprint jg)
# (An ASCII name, so that the same command runs in a GB18030 locale.)
cp "$B1" b1.cxzy || exit 99
golden exchange-file-dry 0 "$CXZY" --data jg import b1.cxzy --dry-run
golden_gb exchange-file-dry 0 "$CXZY" --data jg import b1.cxzy --dry-run
[ "$(fingerprint jg)" = "$fp" ] && pass "dry run changed nothing" ||
    fail "dry run changed nothing"
golden exchange-file 0 "$CXZY" --data jg import "$B1" --verbose
expect "taken: the branch's field" 0 "职务/岗位： 科员" \
    "$CXZY" --data jg show member 2
if "$CXZY" --data jg show org 2 | grep -q 支部自己改的; then
	fail "not taken: the 机关党委's field"
else
	pass "not taken: the 机关党委's field"
fi
fp=$(fingerprint jg)
expect "the same package again changes nothing" 0 \
    "新增 0 条，更新 0 条，未变 143 条" "$CXZY" --data jg import "$B1"
"$CXZY" --data jg export "$T/a1.cxa" >/dev/null &&
    "$CXZY" --data jg import "$B1" >/dev/null &&
    "$CXZY" --data jg export "$T/a2.cxa" >/dev/null
same_bytes "a repeated package writes nothing" "$T/a2.cxa" "$T/a1.cxa"

# An older package after a newer one: said so, nothing changes.
export CXZY_NOW="2026-11-28 11:00:00"
"$CXZY" --data zb set member 2 职务/岗位=副科长 >/dev/null || exit 99
"$CXZY" --data zb package -o stick >/dev/null || exit 99
B2=stick/报送-办公室党支部-全部-20261128-1100.cxzy
"$CXZY" --data jg import "$B2" >/dev/null || fail "newer package"
expect "older package after a newer one" 0 "较旧 1 条（本机的更新，未改动）" \
    "$CXZY" --data jg import "$B1"
expect "older package: the newer value stays" 0 "职务/岗位： 副科长" \
    "$CXZY" --data jg show member 2

# --- The 机关党委 rechecks a notice; the branch reports at the same time:
# different fields of one record merge, both ways.
export CXZY_NOW="2026-11-29 09:00:00"
"$CXZY" --data jg set rectification_notice 3 复验日期=2026-11-29 复验人=曾学军 \
    复验结果=通过 >/dev/null || exit 99
"$CXZY" --data fw set rectification_notice 3 签收人=任洋同志 >/dev/null || exit 99
"$CXZY" --data jg package --branch 机关服务中心党支部 -o stick >/dev/null || exit 99
"$CXZY" --data fw package -o stick >/dev/null || exit 99
expect "branch receives the recheck: merged" 0 "合并 1 条" \
    "$CXZY" --data fw import stick/下发-机关服务中心党支部-全部-20261129-0900.cxzy
expect "merged: the 机关党委's recheck" 0 "复验结果：    通过" \
    "$CXZY" --data fw show rectification_notice 3
expect "merged: the branch's receipt" 0 "签收人：      任洋同志" \
    "$CXZY" --data fw show rectification_notice 3
expect "机关党委 receives the receipt: merged" 0 "合并 1 条" \
    "$CXZY" --data jg import stick/报送-机关服务中心党支部-全部-20261129-0900.cxzy
"$CXZY" --data jg show rectification_notice 3 >"$T/jg3" || exit 99
"$CXZY" --data fw show rectification_notice 3 >"$T/fw3" || exit 99
grep -v '创建' "$T/jg3" >"$T/jg3.v"
grep -v '创建' "$T/fw3" >"$T/fw3.v"
same_bytes "both sides hold the same notice" "$T/fw3.v" "$T/jg3.v"
# Once each has the other's merge, the next round is quiet.
export CXZY_NOW="2026-11-29 10:00:00"
"$CXZY" --data fw package -o stick >/dev/null || exit 99
if run 0 "$CXZY" --data jg import stick/报送-机关服务中心党支部-全部-20261129-1000.cxzy &&
    grep -q "新增 0 条，更新 0 条，未变" "$T/out" && ! grep -q 合并 "$T/out"; then
	pass "after the merges the records agree"
else
	fail "after the merges the records agree"
	sed 's/^/# /' "$T/out"
fi

# --- Conflicts, both ways: the same field changed on both sides.
export CXZY_NOW="2026-11-30 09:00:00"
"$CXZY" --data jg set member 3 备注=机关党委填的 >/dev/null || exit 99
"$CXZY" --data zb set member 3 备注=支部填的 >/dev/null || exit 99
"$CXZY" --data zb package -o stick >/dev/null || exit 99
"$CXZY" --data jg package --branch 办公室党支部 -o stick >/dev/null || exit 99
fp=$(fingerprint jg)
cp stick/报送-办公室党支部-全部-20261130-0900.cxzy b4.cxzy || exit 99
golden exchange-conflict 4 "$CXZY" --data jg import b4.cxzy
golden_gb exchange-conflict 4 "$CXZY" --data jg import b4.cxzy
expect "conflict: the local value stays (机关党委)" 0 "机关党委填的" \
    "$CXZY" --data jg show member 3
expect "conflict at the branch too" 4 "“备注”：本机为“支部填的”，对方为“机关党委填的”，两边都改过。" \
    "$CXZY" --data zb import stick/下发-办公室党支部-全部-20261130-0900.cxzy
expect "conflict: the local value stays (branch)" 0 "支部填的" \
    "$CXZY" --data zb show member 3
# Settled by making the two the same: the next package is quiet.
"$CXZY" --data jg set member 3 备注=支部填的 >/dev/null || exit 99
expect "settled conflict" 0 "冲突 0 条" \
    "$CXZY" --data jg import stick/报送-办公室党支部-全部-20261130-0900.cxzy

# --- A package for a locked period is held, then taken after unlocking.
export CXZY_NOW="2026-12-01 09:00:00"
"$CXZY" --data jg lock 2026H2 >/dev/null || exit 99
"$CXZY" --data zb set meeting 175 地点=支部会议室 >/dev/null || exit 99
"$CXZY" --data zb package --period 2026H2 -o stick >/dev/null || exit 99
B3=stick/报送-办公室党支部-2026H2-20261201-0900.cxzy
fp=$(fingerprint jg)
golden exchange-held 4 "$CXZY" --data jg import "$B3"
[ "$(fingerprint jg)" = "$fp" ] && pass "held: nothing written" ||
    fail "held: nothing written"
[ -f jg/pending/报送-办公室党支部-2026H2-20261201-0900.cxzy ] &&
    pass "held: a copy waits in pending/" || fail "held: a copy waits in pending/"
expect "still held while locked" 4 "涉及已锁定周期 1 条" \
    "$CXZY" --data jg import --pending
"$CXZY" --data jg unlock 2026H2 >/dev/null || exit 99
expect "taken after unlocking" 0 "已从待处理中移除" \
    "$CXZY" --data jg import --pending
expect "the change arrived" 0 "支部会议室" "$CXZY" --data jg show meeting 175
[ ! -e jg/pending/报送-办公室党支部-2026H2-20261201-0900.cxzy ] &&
    pass "pending emptied" || fail "pending emptied"
expect "nothing pending" 0 "没有暂存待处理的报送包" \
    "$CXZY" --data jg import --pending

# --- A signed record replaced by a package keeps its old version.
expect "signed meeting: its old version kept" 0 "1" \
    sh -c "'$CXZY' --data jg history meeting 175"

# --- Two copies of one branch directory: different fields merge, the
# same field conflicts.
export CXZY_NOW="2026-12-02 09:00:00"
cp -r zb zb2 || exit 99
rm -f zb2/lock.mdb
"$CXZY" --data zb set member 4 职务/岗位=一号机 >/dev/null || exit 99
"$CXZY" --data zb2 set member 4 备注=二号机 >/dev/null || exit 99
"$CXZY" --data zb package -o "$T/c1.cxzy" >/dev/null || exit 99
export CXZY_NOW="2026-12-02 10:00:00"
"$CXZY" --data zb2 package -o "$T/c2.cxzy" >/dev/null || exit 99
"$CXZY" --data jg import "$T/c1.cxzy" >/dev/null || fail "first copy"
expect "second copy: merged with the first" 0 "合并 1 条" \
    "$CXZY" --data jg import "$T/c2.cxzy"
"$CXZY" --data jg show member 4 >"$T/m4" || exit 99
grep -q 一号机 "$T/m4" && grep -q 二号机 "$T/m4" &&
    pass "both copies' changes kept" || fail "both copies' changes kept"

# --- A branch that kept its ledger on its own joins later: its 机关党委,
# branch and members are matched by name (members also by 出生年月),
# shown with --dry-run, and a doubtful match stops the join.
export CXZY_NOW="2026-12-03 09:00:00"
"$CXZY" init zz 演示市人防办机关党委 >/dev/null || exit 99
"$CXZY" --data zz add org name=宣传教育处党支部 type=branch parent_id=1 >/dev/null || exit 99
"$CXZY" --data zz add member name=崔平丽 gender=f birth=1969-04 joined=1992-06-16 \
    branch_id=宣传教育处党支部 >/dev/null || exit 99
"$CXZY" --data zz add member name=新同志 gender=f birth=1999-04 joined=2022-06-16 \
    branch_id=宣传教育处党支部 >/dev/null || exit 99
"$CXZY" --data zz export zz1.cxa >/dev/null || exit 99
fp=$(fingerprint jg)
golden exchange-join-refused 1 "$CXZY" --data jg import zz1.cxa --join 宣传教育处党支部 --dry-run
expect "join refused without --dry-run too" 1 "没有加入，数据没有改动" \
    "$CXZY" --data jg import zz1.cxa --join 宣传教育处党支部
[ "$(fingerprint jg)" = "$fp" ] && pass "refused join changed nothing" ||
    fail "refused join changed nothing"
"$CXZY" --data zz set member 1 birth=1969-03 >/dev/null || exit 99
"$CXZY" --data zz export zz2.cxa >/dev/null || exit 99
golden exchange-join-dry 0 "$CXZY" --data jg import zz2.cxa --join 宣传教育处党支部 --dry-run
[ "$(fingerprint jg)" = "$fp" ] && pass "join dry run changed nothing" ||
    fail "join dry run changed nothing"
expect "join" 0 "新增 1 条" "$CXZY" --data jg import zz2.cxa --join 宣传教育处党支部
expect "joined: the new member is the branch's" 0 "新同志" \
    "$CXZY" --data jg list member
expect "join again: all matched" 0 "新增 0 条，更新 0 条，未变 0 条，冲突 0 条，对应本机 4 条" \
    "$CXZY" --data jg import zz2.cxa --join 宣传教育处党支部
expect "join needs an existing branch" 1 "没有名为“无此支部”的党支部或直属党小组" \
    "$CXZY" --data jg import zz2.cxa --join 无此支部
"$CXZY" --data jg package --branch 宣传教育处党支部 -o "$T/xj.cxzy" >/dev/null || exit 99
expect "the joined branch continues from a 机关党委 package" 0 "已按报送包建立党支部“宣传教育处党支部”" \
    "$CXZY" init xj --from "$T/xj.cxzy"
expect "with its new member" 0 "新同志" "$CXZY" --data xj list member

# --- Moving a branch directory through an export (another PC, another
# LMDB) keeps it the same branch directory.
"$CXZY" --data zb export "$T/zb.cxa" >/dev/null || exit 99
mkdir moved || exit 99	# an existing empty directory (a new stick)
"$CXZY" --data moved import "$T/zb.cxa" >/dev/null || fail "moved: import"
expect "moved branch directory still files as the branch" 0 "请把它交给机关党委" \
    "$CXZY" --data moved package -o "$T/moved.cxzy"
"$CXZY" --data moved export "$T/moved.cxa" >/dev/null || exit 99
same_bytes "moved: the same directory, byte for byte" "$T/moved.cxa" "$T/zb.cxa"
"$CXZY" --data zb history meeting 175 >"$T/h.zb" 2>&1
"$CXZY" --data moved history meeting 175 >"$T/h.moved" 2>&1
if grep -q "第 1 版" "$T/h.zb"; then
	same_bytes "moved: a signed record's old versions come along" \
	    "$T/h.moved" "$T/h.zb"
else
	fail "moved: the branch kept an old version to compare"
fi

# --- A branch directory starts in the 机关党委's current period.
"$CXZY" --data jg period 2026H1 >/dev/null || exit 99
"$CXZY" --data jg package --branch 办公室党支部 -o "$T/cp.cxzy" >/dev/null || exit 99
"$CXZY" init cp --from "$T/cp.cxzy" >/dev/null || exit 99
expect "init --from takes the current period" 0 "当前周期：2026年上半年（2026H1）" \
    "$CXZY" --data cp period

# --- A field the 机关党委 adds reaches the branch with its package, by an
# explicit, previewed upgrade.
cp -r jg/forms newforms || exit 99
printf '\nfield phone\n  label 联系电话\n  owner committee\n  type text 20\n' >>newforms/member.form
"$CXZY" --data jg forms upgrade --from newforms >/dev/null || exit 99
"$CXZY" --data jg set member 2 phone=12345 >/dev/null || exit 99
"$CXZY" --data jg package --branch 办公室党支部 -o "$T/nf.cxzy" >/dev/null || exit 99
expect "a package under other forms: told to upgrade" 4 "这个报送包使用的表单和本机的不同" \
    "$CXZY" --data zb import "$T/nf.cxzy"
expect "the record is not lost: listed, nothing stored" 4 "“phone”不是表单“党员”里的字段" \
    "$CXZY" --data zb import "$T/nf.cxzy" --dry-run
expect "forms upgrade --from a package: preview" 0 "党员（member）：字段新增：联系电话（phone）" \
    "$CXZY" --data zb forms upgrade --dry-run --from "$T/nf.cxzy"
expect "forms upgrade --from a package" 0 "已换用新的表单" \
    "$CXZY" --data zb forms upgrade --from "$T/nf.cxzy"
expect "then the package is taken" 0 "更新 1 条" "$CXZY" --data zb import "$T/nf.cxzy"
expect "with the new field" 0 "12345" "$CXZY" --data zb show member 2

finish
