#!/bin/sh
# exchange.sh: times the 机关党委 merging N branch packages, each with
# `cxzy import` as a whole process, against sqlite3 applying the same
# records (see bench/README.md, "Exchange benchmark").
#
#   sh bench/exchange.sh [PATH/cxzy [PATH/gen_exchange]] [N ...]
#
# N defaults to "50 100 200".  CXZY_BENCH_DIR picks where the directories
# go (default /tmp), KEEP=1 keeps them.  The clock is pinned (CXZY_NOW),
# so every run makes the same records; only the machine changes the
# figures.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cxzy=src/cxzy
gen=bench/gen_exchange
[ -x "$cxzy" ] || cxzy=$here/../src/cxzy
[ -x "$gen" ] || gen=$here/gen_exchange
case ${1:-} in */*) cxzy=$1; shift ;; esac
case ${1:-} in */*) gen=$1; shift ;; esac
ns=${*:-50 100 200}
dir=${CXZY_BENCH_DIR:-/tmp}
period=2026H2
CXZY_NOW='2026-11-27 10:00:00'
CXZY_FORMS=${CXZY_FORMS:-$here/../forms}
export CXZY_NOW CXZY_FORMS

for p in "$cxzy" "$gen" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		# shellcheck disable=SC1111  # Chinese quotation marks
		echo "找不到“$p”。请先运行 make src/cxzy bench/gen_exchange。" >&2
		exit 1
	fi
done
have_sqlite=1
command -v sqlite3 >/dev/null 2>&1 || have_sqlite=0

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "host:    $(uname -srm)"
if [ -r /proc/cpuinfo ]; then
	echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(grep -c '^processor' /proc/cpuinfo) threads)"
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "lmdb:    $(pkg-config --modversion lmdb 2>/dev/null || echo unknown)"
if [ $have_sqlite = 1 ]; then
	echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
else
	echo "sqlite3: not installed (sudo apt-get install sqlite3); its half is skipped"
fi
echo "dir:     $dir ($(stat -f -c %T "$dir" 2>/dev/null || echo unknown))"
echo

work=$(mktemp -d "$dir/cxzy-exchange-XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
nmax=0
for n in $ns; do [ "$n" -gt "$nmax" ] && nmax=$n; done

# The archive text of records as SQL: one row per record (kind, global
# id, local id, the record's lines), INSERT OR REPLACE in one
# transaction.  Records in the recycle bin are left out.
to_sql() {
	awk -v q="'" '
	function esc(s) { gsub(q, q q, s); return s }
	BEGIN { print "BEGIN;" }
	/^@record / { inrec = 1; kind = $2; id = $3; body = $0; gid = ""; next }
	inrec && /^_gid=/ { gid = substr($0, 6) }
	inrec && /^@crc / {
		printf "INSERT OR REPLACE INTO records VALUES(%s%s%s,%s%s%s,%s,%s%s%s);\n",
		    q, kind, q, q, gid, q, id, q, esc(body), q
		inrec = 0; next
	}
	inrec { body = body "\n" $0 }
	END { print "COMMIT;" }' "$1"
}

# ------------------------------------------------------------------
# Preparation (not timed): the full 机关党委 directory, one branch
# directory per branch made from its package, the branch's changes, its
# package for 2026H2 and the same records as SQL.
# ------------------------------------------------------------------
t0=$(date +%s)
"$cxzy" demo "$work/demo" >/dev/null
cp -a "$work/demo" "$work/full"
"$gen" "$work/full" "$nmax" >"$work/branches" 2>/dev/null
mkdir "$work/pkg"
i=0
while IFS= read -r name; do
	i=$((i + 1))
	b=$work/br
	rm -rf "$b"
	"$cxzy" --data "$work/full" package --branch "$name" -o "$work/c.pkg" --force >/dev/null
	"$cxzy" init "$b" --from "$work/c.pkg" >/dev/null
	# Between two filings the branch records two more meetings, and
	# edits a member's post and the place of its latest meeting.
	"$gen" "$b" meetings 2
	m=$("$cxzy" --data "$b" list member | awk 'NR == 2 { print $1 }')
	"$cxzy" --data "$b" set member "$m" 职务/岗位=调研员$i >/dev/null
	m=$("$cxzy" --data "$b" list meeting | awk '$1 ~ /^[0-9]+$/ { id = $1 } END { print id }')
	"$cxzy" --data "$b" set meeting "$m" location=机关二楼会议室$i >/dev/null
	"$cxzy" --data "$b" package --period $period -o "$work/pkg/$i.pkg" >/dev/null
	[ $have_sqlite = 0 ] || to_sql "$work/pkg/$i.pkg" >"$work/pkg/$i.sql"
done <"$work/branches"
rm -rf "$work/br" "$work/c.pkg"
echo "prepared $nmax branch packages in $(($(date +%s) - t0)) s"
echo

printf '%5s %-8s %7s %8s %9s %9s %9s %8s %10s\n' N run records "total s" "mean ms" \
    "first10 ms" "last10 ms" "RSS MiB" "records/s"

# ------------------------------------------------------------------
# The timed part: for each N, a base 机关党委 directory with N branches
# (and the demo's 8) and an SQLite database of the same records; each
# package is imported by cxzy and then applied by sqlite3, alternately.
# ------------------------------------------------------------------
for n in $ns; do
	base=$work/base$n
	rm -rf "$base"
	cp -a "$work/demo" "$base"
	"$gen" "$base" "$n" base >/dev/null 2>&1
	# cp and gen_exchange leave the new directory's pages dirty in the
	# page cache; without this the first import's fdatasync would write
	# them all.
	sync
	if [ $have_sqlite = 1 ]; then
		rm -f "$work/base.db"
		"$cxzy" --data "$base" export "$work/base.txt" --force >/dev/null
		{
			echo "CREATE TABLE records(kind TEXT NOT NULL, gid TEXT PRIMARY KEY, id INTEGER NOT NULL, body TEXT NOT NULL);"
			echo "CREATE INDEX records_kind_id ON records(kind, id);"
			to_sql "$work/base.txt"
		} | sqlite3 "$work/base.db"
	fi
	: >"$work/times.cxzy"
	: >"$work/times.sqlite"
	records=0
	i=1
	while [ $i -le "$n" ]; do
		p=$work/pkg/$i.pkg
		records=$((records + $(grep -c '^@record ' "$p")))
		/usr/bin/time -o "$work/t" -f '%e %M' \
		    "$cxzy" --data "$base" import "$p" >"$work/out" 2>&1 ||
		    { cat "$work/out" >&2; exit 1; }
		grep -q '拒绝 0 条' "$work/out" ||
		    { echo "package $i: not all records taken:" >&2; cat "$work/out" >&2; exit 1; }
		cat "$work/t" >>"$work/times.cxzy"
		if [ $have_sqlite = 1 ]; then
			/usr/bin/time -o "$work/t" -f '%e %M' \
			    sqlite3 "$work/base.db" <"$work/pkg/$i.sql"
			cat "$work/t" >>"$work/times.sqlite"
		fi
		i=$((i + 1))
	done
	for run in cxzy sqlite; do
		[ -s "$work/times.$run" ] || continue
		awk -v n="$n" -v run="$run" -v rec="$records" '
		{ t[NR] = $1; s += $1; if ($2 > m) m = $2 }
		END {
			k = NR < 10 ? NR : 10
			for (i = 1; i <= k; i++) { f += t[i]; l += t[NR - k + i] }
			printf "%5d %-8s %7d %8.2f %9.1f %9.1f %9.1f %8.1f %10.0f\n",
			    n, (run == "sqlite" ? "sqlite3" : run), rec, s,
			    1000 * s / NR, 1000 * f / k, 1000 * l / k, m / 1024,
			    (s > 0 ? rec / s : 0)
		}' "$work/times.$run"
	done
	"$cxzy" --data "$base" check >/dev/null
	rm -rf "$base"
done
