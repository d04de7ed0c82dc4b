#!/bin/sh
# Failed writes and flushes: the LD_PRELOAD shim failio.so fails the N-th
# write, pwrite, writev, fdatasync, fsync, ftruncate or open of the data
# directory that `cxzy add` makes, for every N, in four ways:
#   EIO          the call fails and nothing reaches the disk
#   ENOSPC       the same, as a full disk
#   EIO-after    the data reaches the disk, then the call reports EIO
#   EIO-pulled   the same, and every later call fails too (stick pulled)
# Each time `cxzy add` must exit 1 with a plain Chinese message and no
# crash; afterwards the data checks clean and holds either the old state
# or the new record complete, and the same add without the shim works.
. "$CXZY_TESTDATA/lib.sh"
: "${CXZY_FAILIO:?CXZY_FAILIO must name the shim tests/faults/failio.so}"

# A sanitizer build wants its runtime first among preloaded libraries.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

B="$T/base"
"$CXZY" demo "$B" >/dev/null || { fail "demo"; finish; }
# The old state, as a reader sees it (data.mdb itself may differ: pages
# written before the failure lie in free space).
"$CXZY" --data "$B" list member >"$T/old" 2>&1
NOTE="写入失败测试：这条备注必须完整保存。"

# add DIR NAME: the save under test.
add() {
	"$CXZY" --data "$1" add member 姓名="$2" 性别=男 出生年月=1980-01 \
	    入党时间=2005-07-01 所属党支部=2 职务/岗位=科员 备注="$NOTE"
}

# How many counted calls one add makes.
cp -R "$B" "$T/d"
FAILIO_DIR="$T/d" FAILIO_LOG="$T/calls" LD_PRELOAD="$CXZY_FAILIO" \
    add "$T/d" 测量 >/dev/null 2>&1
K=$(wc -l <"$T/calls" 2>/dev/null || echo 0)
K=$((K + 0))
echo "# one add makes $K counted calls:" $(cut -d' ' -f2 "$T/calls")
[ "$K" -ge 5 ] && pass "the shim sees the save's I/O ($K calls)" ||
    { fail "the shim sees the save's I/O ($K calls)"; finish; }

newer=0
for mode in EIO ENOSPC EIO-after EIO-pulled; do
	case $mode in
	EIO)		e=EIO after=0 sticky=0 want="无法读写数据（U 盘可能已被拔出）" ;;
	ENOSPC)		e=ENOSPC after=0 sticky=0 want="空间已满" ;;
	EIO-after)	e=EIO after=1 sticky=0 want="无法读写数据（U 盘可能已被拔出）" ;;
	EIO-pulled)	e=EIO after=1 sticky=1 want="无法读写数据（U 盘可能已被拔出）" ;;
	esac
	nbad=0
	n=1
	while [ "$n" -le "$K" ]; do
		D="$T/d$n"
		rm -rf "$D"
		cp -R "$B" "$D"
		name="失败$n"
		why=
		FAILIO_DIR="$D" FAILIO_AT=$n FAILIO_ERRNO=$e FAILIO_AFTER=$after \
		    FAILIO_STICKY=$sticky LD_PRELOAD="$CXZY_FAILIO" \
		    add "$D" "$name" >"$T/out" 2>"$T/err"
		st=$?
		if [ "$st" -ne 1 ]; then
			why="exit status $st, want 1"
		elif ! LC_ALL=C grep -qF "$want" "$T/err"; then
			why="message: $(cat "$T/err")"
		elif ! "$CXZY" --data "$D" check >"$T/check" 2>&1; then
			why="check: $(cat "$T/check")"
		else
			"$CXZY" --data "$D" list member 姓名="$name" >"$T/list" 2>&1
			last=$(tail -n 1 "$T/list")
			case $last in
			"共 0 条（全部 66 条）")
				"$CXZY" --data "$D" list member >"$T/now" 2>&1
				cmp -s "$T/now" "$T/old" ||
				    why="the old records changed" ;;
			"共 1 条（全部 67 条）")
				# The new record was stored after all: it
				# must be whole.
				newer=$((newer + 1))
				"$CXZY" --data "$D" show member 67 >"$T/show" 2>&1 &&
				    grep -qF "$name" "$T/show" &&
				    grep -qF "$NOTE" "$T/show" &&
				    grep -qF "科员" "$T/show" ||
				    why="half a record: $(cat "$T/show")" ;;
			*)	why="neither the old nor the new state: $last" ;;
			esac
		fi
		if [ -z "$why" ]; then
			add "$D" "$name" >"$T/out" 2>"$T/err" &&
			    "$CXZY" --data "$D" check >"$T/check" 2>&1 ||
			    why="retry without the shim: $(cat "$T/err" "$T/check")"
		fi
		if [ -n "$why" ]; then
			nbad=$((nbad + 1))
			echo "# $mode at call $n ($(sed -n "${n}p" "$T/calls")): $why" | head -5
		fi
		rm -rf "$D"
		n=$((n + 1))
	done
	[ "$nbad" -eq 0 ] && pass "$mode at each of $K calls: exit 1, message, nothing lost" ||
	    fail "$mode: $nbad of $K calls"
done
echo "# the new record was complete on disk after $newer failed adds"
finish
