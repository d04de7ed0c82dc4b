#!/bin/sh
# Random damage to data.mdb.  LMDB 0.9 does not detect it: a flipped byte
# mostly reads back as altered data, and sometimes crashes the reader.
# For each case a copy of one demo's data.mdb gets 1-8 bytes flipped at
# random offsets (fixed seed, so every run sees the same cases), and then:
#   - `cxzy check` exits 3 with a Chinese damage message, or exits 0 and
#     then list and show print exactly what they printed before (the flip
#     landed in unused space); it never dies from a signal;
#   - `cxzy list member` never dies from a signal, and either prints
#     exactly the original, or fails with a message, or differs only in
#     references it marks as 已不存在 (the referenced record cannot be
#     found any more: LMDB's search went astray on a damaged key).
# CXZY_DAMAGE_CASES (default 300) and CXZY_DAMAGE_SEED change the run.
. "$CXZY_TESTDATA/lib.sh"

cases=${CXZY_DAMAGE_CASES:-300}
seed=${CXZY_DAMAGE_SEED:-20261127}
# Under valgrind (make check-valgrind) every run is slow.
if [ -n "${REAL_CXZY:-}" ] && [ -z "${CXZY_DAMAGE_CASES:-}" ]; then
	cases=20
fi

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }
# One more transaction, so that the file has free pages and two live
# meta pages, as a data directory in use does.
"$CXZY" --data "$D" set member 5 post=副科长 >/dev/null ||
    { fail "set"; finish; }

# The views compared; each gets its expected output from the good copy.
views="list member|list org|show member 17|show member 66|show org 3|trash"
view() {
	# shellcheck disable=SC2086
	"$CXZY" --data "$1" $2
}
i=0
IFS_SAVE=$IFS
IFS='|'
for v in $views; do
	IFS=$IFS_SAVE
	view "$D" "$v" >"$T/want.$i" 2>&1 || { fail "view $v"; finish; }
	i=$((i + 1))
	IFS='|'
done
IFS=$IFS_SAVE
nviews=$i
run 0 "$CXZY" --data "$D" check && pass "the demo checks clean" ||
    fail "the demo checks clean"

size=$(wc -c <"$D/data.mdb")
# The plan: one line per case, "off:byte off:byte ...", each byte the
# original XOR a non-zero mask, from awk's generator with a fixed seed.
od -An -v -tu1 "$D/data.mdb" | awk -v seed="$seed" -v cases="$cases" \
    -v size="$size" '
function xor(a, b,    r, bit) {
	r = 0
	for (bit = 1; bit < 256; bit *= 2)
		if ((int(a / bit) % 2) != (int(b / bit) % 2))
			r += bit
	return r
}
{ for (i = 1; i <= NF; i++) byte[n++] = $i }
END {
	srand(seed)
	for (c = 0; c < cases; c++) {
		k = 1 + int(rand() * 8)
		line = ""
		for (j = 0; j < k; j++) {
			off = int(rand() * size)
			mask = 1 + int(rand() * 255)
			line = line " " off ":" xor(byte[off], mask)
		}
		print substr(line, 2)
	}
}' >"$T/plan" || { fail "plan"; finish; }

mkdir "$T/bad"
cp "$D/cxzy.marker" "$T/bad/"
n=0 ndamage=0 nclean=0 ncrash=0 nlistsame=0 nlistfail=0 nlistmarked=0 bad=0
while read -r flips; do
	n=$((n + 1))
	rm -f "$T/bad/lock.mdb"
	cp "$D/data.mdb" "$T/bad/data.mdb"
	for f in $flips; do
		off=${f%%:*}
		val=${f#*:}
		# shellcheck disable=SC2059
		printf "\\$(printf %o "$val")" |
		    dd of="$T/bad/data.mdb" bs=1 seek="$off" conv=notrunc 2>/dev/null
	done
	"$CXZY" --data "$T/bad" check >"$T/out" 2>"$T/err"
	st=$?
	case $st in
	3)
		if grep -q '数据已损坏' "$T/out"; then
			ndamage=$((ndamage + 1))
			grep -q '崩溃\|异常退出\|没有完成' "$T/out" &&
			    ncrash=$((ncrash + 1))
		else
			bad=$((bad + 1))
			echo "# case $n ($flips): exit 3 without a damage message"
		fi
		;;
	0)
		nclean=$((nclean + 1))
		i=0
		IFS='|'
		for v in $views; do
			IFS=$IFS_SAVE
			view "$T/bad" "$v" >"$T/got" 2>&1
			if ! cmp -s "$T/got" "$T/want.$i"; then
				bad=$((bad + 1))
				echo "# case $n ($flips): check found nothing, but \"$v\" differs"
				diff "$T/want.$i" "$T/got" | head -6 | sed 's/^/#   /'
			fi
			i=$((i + 1))
			IFS='|'
		done
		IFS=$IFS_SAVE
		;;
	*)
		bad=$((bad + 1))
		echo "# case $n ($flips): check exited with status $st"
		sed 's/^/#   /' "$T/out" "$T/err" | head -6
		;;
	esac

	"$CXZY" --data "$T/bad" list member >"$T/got" 2>"$T/err"
	st=$?
	if [ "$st" -ge 128 ]; then
		bad=$((bad + 1))
		echo "# case $n ($flips): list member died with status $st"
	elif [ "$st" -eq 0 ] && cmp -s "$T/got" "$T/want.0"; then
		nlistsame=$((nlistsame + 1))
	elif [ "$st" -ne 0 ] && [ -s "$T/err" ]; then
		nlistfail=$((nlistfail + 1))
	elif [ "$st" -eq 0 ] && [ "$(wc -l <"$T/got")" -eq "$(wc -l <"$T/want.0")" ] &&
	    ! diff "$T/want.0" "$T/got" | grep '^>' | grep -v '已不存在）' | grep -q .; then
		# A reference whose record can no longer be found is shown
		# as such, not as data.
		nlistmarked=$((nlistmarked + 1))
	else
		bad=$((bad + 1))
		echo "# case $n ($flips): list member exited $st with altered output"
		diff "$T/want.0" "$T/got" | head -6 | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$T/err" | head -3
	fi
done <"$T/plan"

echo "# $n cases ($nviews views each): check found damage in $ndamage" \
    "(the reader crashed in $ncrash), found nothing in $nclean;" \
    "list member printed the original in $nlistsame, failed with a" \
    "message in $nlistfail, marked missing references in $nlistmarked;" \
    "$bad wrong"
[ "$n" -eq "$cases" ] && pass "$n damaged copies were tried" ||
    fail "only $n of $cases damaged copies were tried"
[ "$bad" -eq 0 ] && pass "no crash and no altered data shown as valid" ||
    fail "$bad wrong outcomes"
finish
