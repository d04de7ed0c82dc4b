#!/bin/sh
# kill -9 during saves: a driver stores member records in a loop and
# prints each id only after the store acknowledged it; it is killed with
# SIGKILL after a random short delay, FAULT_ITER times (default 200; the
# benchmark runs 1000) on one data directory, which starts afresh every
# 50 kills so that checking stays quick.  After every kill the data must
# check clean and every acknowledged record must be there, whole.
# FAULT_SEED repeats a run's delays.
. "$CXZY_TESTDATA/lib.sh"
: "${CXZY_SAVER:?CXZY_SAVER must name the driver tests/faults/saver}"

iter=${FAULT_ITER:-200}
seed=${FAULT_SEED:-$(date +%s)}
echo "# $iter iterations, FAULT_SEED=$seed"

B="$T/base"
"$CXZY" demo "$B" >/dev/null || { fail "demo"; finish; }
D="$T/data"
branch=2

# Delays up to 100 ms: a save takes a few ms, so kills land in opening,
# in the middle of a transaction, in the commit's writes and flushes, and
# between saves.
awk -v n="$iter" -v seed="$seed" 'BEGIN { srand(seed)
    for (i = 0; i < n; i++) printf "%.3f\n", rand() * 0.1 }' >"$T/delays"

i=0 bad=0 nacked=0
while read -r delay; do
	if [ $((i % 50)) -eq 0 ]; then
		# All acknowledged records of the last round are still there.
		if [ "$i" -gt 0 ] && ! "$CXZY_SAVER" verify "$D" "$T/acked" >"$T/verify" 2>&1; then
			echo "# after $i kills: acknowledged records lost"
			sed 's/^/# /' "$T/verify" | head -20
			bad=$((bad + 1))
			break
		fi
		rm -rf "$D"
		cp -R "$B" "$D"
		: >"$T/acked"
	fi
	i=$((i + 1))
	"$CXZY_SAVER" save "$D" "$branch" >"$T/now" 2>"$T/saver.err" &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	# The braces keep the shell's "Killed" notice out of the log.
	{ wait "$pid"; } 2>/dev/null
	st=$?
	if [ "$st" -ne 137 ]; then
		echo "# iteration $i: the driver ended with status $st, not by the kill"
		sed 's/^/# /' "$T/saver.err"
		bad=$((bad + 1))
		break
	fi
	# A line cut by the kill was never acknowledged.
	if [ -s "$T/now" ] && [ "$(tail -c 1 "$T/now" | wc -l)" -eq 0 ]; then
		sed '$d' "$T/now" >"$T/now.whole"
		mv "$T/now.whole" "$T/now"
	fi
	if ! "$CXZY" --data "$D" check >"$T/check" 2>&1; then
		echo "# iteration $i (delay $delay s): check is not clean"
		sed 's/^/# /' "$T/check" | head -20
		bad=$((bad + 1))
		break
	fi
	if ! "$CXZY_SAVER" verify "$D" "$T/now" >"$T/verify" 2>&1; then
		echo "# iteration $i (delay $delay s): acknowledged records lost"
		sed 's/^/# /' "$T/verify" | head -20
		bad=$((bad + 1))
		break
	fi
	nacked=$((nacked + $(wc -l <"$T/now")))
	cat "$T/now" >>"$T/acked"
done <"$T/delays"
[ "$bad" -eq 0 ] && pass "$i kills: check clean after each" ||
    fail "kill -9 during saves (FAULT_SEED=$seed)"

# Nothing acknowledged earlier in the round went missing later.
run 0 "$CXZY_SAVER" verify "$D" "$T/acked" &&
    pass "all $nacked acknowledged records were there after every round" ||
    { fail "acknowledged records present at the end"; sed 's/^/# /' "$T/err" | head; }
[ "$nacked" -gt 0 ] && pass "saves were acknowledged between kills" ||
    fail "no save was ever acknowledged: the delays are too short"
expect "check clean at the end" 0 "未发现问题" "$CXZY" --data "$D" check
expect "a normal add works afterwards" 0 "已添加党员" "$CXZY" --data "$D" add member \
    姓名=张三 性别=男 出生年月=1980-01 入党时间=2005-07-01 所属党支部=$branch
finish
