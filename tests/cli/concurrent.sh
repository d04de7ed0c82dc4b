#!/bin/sh
# No lost updates: two command-line writers change the same record at
# the same moment, over and over.  Every change that was acknowledged
# (exit 0, 已修改) must be in the record afterwards; a refused one exits 1
# with a message saying the record changed meanwhile, and writes nothing.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
"$CXZY" demo d >/dev/null || exit 99
# Real time here: the test is about two processes racing, not about
# stable output.
unset CXZY_NOW

rounds=40
# Under valgrind (make check-valgrind) every process is slow: fewer
# rounds still race, and keep the run short.
case ${REAL_CXZY:-} in ?*) rounds=4 ;; esac
lost=0
refused=0
unnamed=0
bad=0
i=1
while [ "$i" -le "$rounds" ]; do
	"$CXZY" --data d set member 7 职务/岗位=甲$i >"$T/a.out" 2>"$T/a.err" &
	pa=$!
	"$CXZY" --data d set member 7 备注=乙$i >"$T/b.out" 2>"$T/b.err" &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	"$CXZY" --data d show member 7 >"$T/show" 2>&1 || exit 99
	for w in a b; do
		if [ $w = a ]; then rc=$ra; want="职务/岗位： 甲$i"; else rc=$rb; want="备注：      乙$i"; fi
		case $rc in
		0)
			grep -q "$want" "$T/show" || lost=$((lost + 1)) ;;
		1)
			refused=$((refused + 1))
			# The message names what the other writer changed.
			if [ $w = a ]; then other="改了“备注”"; else other="改了“职务/岗位”"; fi
			if grep -q "在你读取之后已被修改\|在读取之后已被修改" "$T/$w.err"; then
				grep -q "$other" "$T/$w.err" || unnamed=$((unnamed + 1))
			else
				bad=$((bad + 1)); cat "$T/$w.err"
			fi ;;
		*)
			bad=$((bad + 1)); cat "$T/$w.err" ;;
		esac
	done
	i=$((i + 1))
done
echo "# $rounds rounds, $refused refused with a message, $lost acknowledged changes lost"
if [ "$lost" -eq 0 ]; then pass "concurrent set: no acknowledged change lost"; else fail "concurrent set: $lost acknowledged changes lost"; fi
if [ "$bad" -eq 0 ]; then pass "concurrent set: every refusal says why"; else fail "concurrent set: $bad unclear failures"; fi
if [ "$unnamed" -eq 0 ]; then pass "concurrent set: every refusal names the field the other changed"; else fail "concurrent set: $unnamed refusals did not name the other change"; fi
expect "concurrent set: data still checks clean" 0 "未发现问题" "$CXZY" --data d check

finish
