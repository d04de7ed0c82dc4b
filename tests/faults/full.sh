#!/bin/sh
# A full stick: `cxzy add` on a small tmpfs until it fails.  The failure
# must say in plain Chinese that the stick is full (not that it was
# pulled out), exit 1, and lose nothing: the data checks clean and every
# record acknowledged before is there.  After a file is deleted the same
# add works.  Sizes 512 and 300 KiB: the disk fills up in different
# places of a commit, at 300 KiB as a short write, which LMDB reports as
# EIO.
# Without root or mount, the shim stands in for the full disk (every
# write fails with ENOSPC).
. "$CXZY_TESTDATA/lib.sh"

S="$T/stick"
mkdir "$S"
real=0
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k cxzy-full "$S" 2>/dev/null; then
	umount "$S"
	trap 'umount "$S" 2>/dev/null; rm -rf "$T"' EXIT
	real=1
else
	: "${CXZY_FAILIO:?CXZY_FAILIO must name the shim tests/faults/failio.so}"
	echo "# not root or no mount: the ENOSPC shim stands in for a full stick"
fi

add() {
	"$CXZY" --data "$D" add member 姓名="$1" 性别=女 出生年月=1985-06 \
	    入党时间=2010-07-01 所属党支部=2 职务/岗位=科员 \
	    备注="U 盘写满测试：这条备注占一些空间，让 U 盘更快写满。"
}

# add_full NAME: the same once the stick is full (with the shim, after
# 20 records every write fails with ENOSPC).
add_full() {
	if [ "$real" -eq 1 ]; then
		add "$1"
		return
	fi
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    FAILIO_DIR="$D" FAILIO_WHILE="$D" FAILIO_NOOPEN=1 \
	    FAILIO_ERRNO=ENOSPC LD_PRELOAD="$CXZY_FAILIO" add "$1"
}

# fill SIZE: fills a stick of SIZE (or, with the shim, a directory).
fill() {
	if [ "$real" -eq 1 ]; then
		mount -t tmpfs -o size="$1" cxzy-full "$S" ||
		    { fail "mount $1"; return; }
		echo "# a $1 tmpfs"
	fi
	D="$S/data"
	# Not the demo: with its two half-years of annexes it alone is
	# bigger than these sticks.
	{ "$CXZY" init "$D" 演示市人防办机关党委 &&
	    "$CXZY" --data "$D" add org name=办公室党支部 type=branch parent_id=1
	} >/dev/null || { fail "$1: init"; return; }
	# Other files on the stick, one of which the user deletes at the end.
	if [ "$real" -eq 1 ]; then
		dd if=/dev/zero of="$S/photo.jpg" bs=1024 count=64 2>/dev/null
	fi

	: >"$T/acked"
	i=0 st=0
	while [ "$i" -lt 20000 ]; do
		i=$((i + 1))
		if [ "$real" -eq 0 ] && [ "$i" -gt 20 ]; then
			add_full "满$i" >"$T/out" 2>"$T/err"
		else
			add "满$i" >"$T/out" 2>"$T/err"
		fi
		st=$?
		[ "$st" -eq 0 ] || break
		echo "满$i" >>"$T/acked"
	done
	n=$(wc -l <"$T/acked")
	echo "# $n records fitted; add $i ended with status $st:"
	sed 's/^/# /' "$T/err"
	[ "$st" -eq 1 ] && pass "$1: the add on a full stick exits 1" ||
	    fail "$1: the add on a full stick exits 1 (status $st)"
	if grep -q '空间已满\|空间不足' "$T/err" && ! grep -q '拔出' "$T/err"; then
		pass "$1: the message says the stick is full"
	else
		fail "$1: the message says the stick is full"
	fi

	expect "$1: check clean on the full stick" 0 "未发现问题" "$CXZY" --data "$D" check
	run 0 "$CXZY" --data "$D" list member
	missing=0
	while read -r name; do
		grep -qF " $name " "$T/out" || missing=$((missing + 1))
	done <"$T/acked"
	[ "$missing" -eq 0 ] && pass "$1: all $n records added before are there" ||
	    fail "$1: $missing of $n acknowledged records missing"
	grep -qF " 满$i " "$T/out" && fail "$1: the failed record is not there" ||
	    pass "$1: the failed record is not there"
	expect "$1: a second try on the full stick fails the same way" 1 "空间" add_full "满$i"

	if [ "$real" -eq 1 ]; then
		rm -f "$S/photo.jpg"
		expect "$1: after deleting a file the add works" 0 "已添加党员“满$i”" add "满$i"
		expect "$1: check clean afterwards" 0 "未发现问题" "$CXZY" --data "$D" check
		umount "$S"
	fi
}

if [ "$real" -eq 1 ]; then
	for size in 512k 300k; do
		fill "$size"
	done
else
	fill shim
fi

# A backup to a full stick (the shim, always: every place a backup
# writes).  It either fails and leaves the stick as it was (no
# temporary directory, no empty unit-… directory, not even the backup
# directory it made), or succeeds with a complete backup.
: "${CXZY_FAILIO:?CXZY_FAILIO must name the shim tests/faults/failio.so}"
G="$T/gooddata"
"$CXZY" init "$G" 演示市人防办机关党委 >/dev/null || fail "backup: init"
K2="$T/stick3"
mkdir "$K2"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    FAILIO_DIR="$K2" FAILIO_LOG="$T/bcalls" LD_PRELOAD="$CXZY_FAILIO" \
    "$CXZY" --data "$G" backup "$K2/backups" >/dev/null 2>&1
N=$(wc -l <"$T/bcalls" 2>/dev/null || echo 0)
N=$((N + 0))
rm -rf "$K2/backups"
echo "# one backup makes $N counted calls on the stick"
[ "$N" -ge 3 ] && pass "backup: the shim sees its I/O ($N calls)" ||
    fail "backup: the shim sees its I/O ($N calls)"
bad=0
n=0
while [ "$n" -lt "$N" ]; do
	n=$((n + 1))
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    FAILIO_DIR="$K2" FAILIO_AT=$n FAILIO_ERRNO=ENOSPC \
	    LD_PRELOAD="$CXZY_FAILIO" \
	    "$CXZY" --data "$G" backup "$K2/backups" >"$T/out" 2>"$T/err"
	st=$?
	if [ "$st" -eq 1 ]; then
		left=$(find "$K2" -mindepth 1 | head -n 3)
		if [ -n "$left" ] || ! grep -q "空间" "$T/err"; then
			echo "# call $n: left $left"
			sed 's/^/# /' "$T/err"
			bad=$((bad + 1))
		fi
	elif [ "$st" -eq 0 ]; then
		ls -d "$K2"/backups/unit-*/2026* >/dev/null 2>&1 ||
		    { echo "# call $n: success without a backup"; bad=$((bad + 1)); }
	else
		echo "# call $n: status $st"
		bad=$((bad + 1))
	fi
	rm -rf "$K2/backups"
done
[ "$bad" -eq 0 ] && pass "backup: a failed backup leaves nothing behind ($N places)" ||
    fail "backup: $bad of $N failed backups left something behind"
finish
