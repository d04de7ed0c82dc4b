#!/bin/sh
# A stick whose file system cannot hold the database (a FUSE FAT driver
# that cannot map files: mmap fails with EPERM, simulated with failio's
# FAILIO_MMAP): opening, listing and checking say that the file system is
# the problem and what to do, never that the data is damaged, and the
# data stays as it was.
. "$CXZY_TESTDATA/lib.sh"
: "${CXZY_FAILIO:?CXZY_FAILIO must name the shim tests/faults/failio.so}"
# The shim comes before the sanitizer's runtime (an ASan build).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

D="$T/stick"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }
fp=$(fingerprint "$D")

nommap() {
	FAILIO_DIR="$D" FAILIO_MMAP=1 LD_PRELOAD="$CXZY_FAILIO" "$CXZY" --data "$D" "$@"
}

expect "list: the file system is named as the problem" 1 \
    "所在的文件系统不支持本程序的数据库需要的操作" nommap list member
expect "list: not damage" 1 "这不是数据损坏，数据没有改动" nommap list member
expect "list: what to do" 1 "请把整个数据目录复制到本机硬盘上使用" nommap list member
expect "check: the file system, exit 1 (not 3, damage)" 1 \
    "这不是数据损坏" nommap check
if grep -q "数据已损坏" "$T/out" "$T/err"; then
	fail "check: never says the data is damaged"
else
	pass "check: never says the data is damaged"
fi
expect "add: refused the same way" 1 "这不是数据损坏" nommap add member \
    姓名=测试 性别=男 出生年月=1980-01 入党时间=2005-07-01 所属党支部=2
[ "$(fingerprint "$D")" = "$fp" ] && pass "the data is unchanged" ||
    fail "the data is unchanged"
expect "on a file system that can, it opens" 0 "未发现问题" \
    "$CXZY" --data "$D" check
finish
