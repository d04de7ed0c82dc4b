#!/bin/sh
# Stale lock files: a lock.mdb left behind by another PC (copied from
# another data directory, garbage, of another size, empty), or by a
# process that was killed while it was reading, must not stop the data
# from opening: lists work, check is clean, and adding works.
# (A write-protected stick, where lock.mdb cannot be written at all, is
# tests/cli/readonly.sh.)
. "$CXZY_TESTDATA/lib.sh"
: "${CXZY_SAVER:?CXZY_SAVER must name the driver tests/faults/saver}"

B="$T/base"
"$CXZY" demo "$B" >/dev/null || { fail "demo"; finish; }
"$CXZY" demo "$T/other" >/dev/null || { fail "demo"; finish; }
"$CXZY" --data "$T/other" list member >/dev/null

# opens NAME DIR: the data in DIR opens normally.
opens() {
	expect "$1: list works" 0 "共 66 条" "$CXZY" --data "$2" list member
	expect "$1: check clean" 0 "未发现问题" "$CXZY" --data "$2" check
	expect "$1: add works" 0 "已添加党员" "$CXZY" --data "$2" add member \
	    姓名=锁测试 性别=男 出生年月=1980-01 入党时间=2005-07-01 所属党支部=2
}

# fresh NAME: a copy of the base data directory, in $D.
fresh() {
	D="$T/$1"
	cp -R "$B" "$D"
}

fresh copied
cp "$T/other/lock.mdb" "$D/lock.mdb"
opens "lock.mdb of another data directory" "$D"

fresh garbage
size=$(wc -c <"$B/lock.mdb")
dd if=/dev/urandom of="$D/lock.mdb" bs="$size" count=1 2>/dev/null
opens "lock.mdb of random bytes" "$D"

fresh small
dd if=/dev/urandom of="$D/lock.mdb" bs=100 count=1 2>/dev/null
opens "lock.mdb of 100 random bytes" "$D"

fresh large
dd if=/dev/urandom of="$D/lock.mdb" bs=1024 count=1024 2>/dev/null
opens "lock.mdb of 1 MiB of random bytes" "$D"

fresh empty
: >"$D/lock.mdb"
opens "empty lock.mdb" "$D"

fresh missing
rm -f "$D/lock.mdb"
opens "no lock.mdb" "$D"

# hold DIR: starts a reader that keeps a read transaction open; its pid
# is in $holder.
nhold=0
hold() {
	nhold=$((nhold + 1))
	h="$T/hold.$nhold"
	: >"$h"
	"$CXZY_SAVER" hold "$1" >"$h" 2>&1 &
	holder=$!
	n=0
	until grep -q holding "$h" || [ "$n" -ge 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	grep -q holding "$h"
}

# A reader killed in the middle leaves its slot in lock.mdb.
fresh dead
if hold "$D"; then
	kill -9 "$holder"
	{ wait "$holder"; } 2>/dev/null
	opens "lock.mdb of a killed reader" "$D"
else
	fail "a reader starts"
	kill -9 "$holder" 2>/dev/null
fi

# The same while another process keeps the data open, so that the lock
# table is not rebuilt: the dead reader's slot must be cleared
# (mdb_reader_check), or it would pin old pages and the file would only
# grow.
fresh deadshared
if hold "$D" && live=$holder && hold "$D"; then
	dead=$holder
	kill -9 "$dead"
	{ wait "$dead"; } 2>/dev/null
	# readers DIR PID: whether PID holds a slot in DIR's lock.mdb.
	readers() {
		mdb_stat -r "$1" >"$T/readers" 2>&1
		awk -v p="$2" '$1 == p { found = 1 } END { exit !found }' "$T/readers"
	}
	if ! command -v mdb_stat >/dev/null 2>&1; then
		echo "# skip: mdb_stat not installed"
		opens "a killed reader beside a live one" "$D"
	elif readers "$D" "$dead"; then
		opens "a killed reader beside a live one" "$D"
		readers "$D" "$dead" && fail "the killed reader's slot was cleared" ||
		    pass "the killed reader's slot was cleared"
		readers "$D" "$live" && pass "the live reader's slot was kept" ||
		    fail "the live reader's slot was kept"
	else
		fail "the killed reader left a slot behind"
		sed 's/^/# /' "$T/readers"
	fi
	kill -9 "$live"
	{ wait "$live"; } 2>/dev/null
else
	fail "two readers start"
fi
finish
