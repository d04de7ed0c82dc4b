#!/bin/sh
# report.sh: the 附件三 ledger printed by cxzy and by sqlite3 | iconv.
#
#   sh bench/report.sh PATH/TO/bench_report [N...]
#
# For each N (default 10000 100000 1000000) it prints the same N ledger
# rows three ways and times each as a whole process:
#
#   cxzy mem     bench_report: rows made on the fly, report_write() to a
#                GB18030 file (136 columns, 66 lines)
#   cxzy store   the same rows first written to an LMDB store (not timed),
#                then read back with store_scan() (STORE=0 skips it)
#   sqlite3      the same rows as CSV, .import'ed into a database (not
#                timed), then
#                sqlite3 db ".mode column" "select * from ledger" |
#                iconv -f UTF-8 -t GB18030 > file
#
# Each is run REPEAT times (default 3) and the fastest run is shown.
# CXZY_BENCH_DIR picks the directory for the files (default /tmp); a
# million rows need about 1.5 GB there.  KEEP=1 keeps them.
set -eu

bin=${1:?"用法：sh bench/report.sh bench_report的路径 [行数...]"}
shift
sizes=${*:-"10000 100000 1000000"}
parent=${CXZY_BENCH_DIR:-/tmp}
repeat=${REPEAT:-3}
store=${STORE:-1}

if [ ! -x "$bin" ]; then
	echo "找不到可执行的基准程序“$bin”。请先运行 make bench/bench_report。" >&2
	exit 1
fi
if [ ! -x /usr/bin/time ]; then
	echo "需要 GNU time（/usr/bin/time）来计时。请安装：sudo apt-get install time" >&2
	exit 1
fi
have_sqlite=1
if ! command -v sqlite3 >/dev/null 2>&1; then
	have_sqlite=0
	echo "注意：没有找到 sqlite3 命令行程序，跳过 sqlite3 的对比。" >&2
	echo "      安装方法：sudo apt-get install sqlite3" >&2
fi
if ! command -v iconv >/dev/null 2>&1; then
	have_sqlite=0
	echo "注意：没有找到 iconv 命令，跳过 sqlite3 的对比（它属于 libc-bin）。" >&2
fi

dir=$(mktemp -d "$parent/cxzy-bench-report-XXXXXX")
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "文件保留在 $dir"
	else
		rm -rf "$dir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "host:    $(uname -srm)"
if [ -r /proc/cpuinfo ]; then
	echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(grep -c '^processor' /proc/cpuinfo) threads)"
fi
if [ -r /proc/loadavg ]; then
	echo "load:    $(cut -d ' ' -f 1-3 /proc/loadavg)"
fi
if [ "$have_sqlite" = 1 ]; then
	echo "sqlite3: $(sqlite3 --version | cut -d ' ' -f 1)"
fi
echo "dir:     $dir ($(stat -f -c %T "$dir" 2>/dev/null || echo unknown))"
echo "repeat:  $repeat (the fastest run is shown)"
echo

# Runs "$@" REPEAT times under GNU time; prints the fastest run as
# "wall user+sys maxrss_kib", and keeps its standard output in $dir/last.
timed() {
	best=
	k=0
	while [ "$k" -lt "$repeat" ]; do
		/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" >"$dir/out.$k"
		line=$(awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$dir/time")
		wall=${line%% *}
		if [ -z "$best" ] || awk "BEGIN { exit !($wall < ${best%% *}) }"; then
			best=$line
			mv "$dir/out.$k" "$dir/last"
		else
			rm -f "$dir/out.$k"
		fi
		k=$((k + 1))
	done
	echo "$best"
}

# The engine's own figures from bench_report's output.
field() {
	sed -n "s/^$1  *\([0-9.]*\).*/\1/p" "$dir/last"
}

printf '%-9s %-12s %8s %9s %9s %10s %9s\n' rows run "wall s" "cpu s" \
    "RSS MiB" "heap MiB" "output MB"
printf '%-9s %-12s %8s %9s %9s %10s %9s\n' --------- ------------ \
    -------- --------- --------- ---------- ---------
for n in $sizes; do
	# shellcheck disable=SC2046  # three words: wall, cpu, RSS
	set -- $(timed "$bin" report "$n" "$dir/cxzy.txt" mem)
	cw=$1
	heap=$(awk -v b="$(field 'heap before report')" \
	    -v p="$(field 'heap peak during report')" \
	    'BEGIN { printf "%.2f", p - b }')
	if ! iconv -f GB18030 -t UTF-8 "$dir/cxzy.txt" >/dev/null; then
		echo "cxzy 的输出不是有效的 GB18030。" >&2
		exit 1
	fi
	printf '%-9s %-12s %8s %9s %9.1f %10s %9.1f\n' "$n" "cxzy mem" \
	    "$1" "$2" "$(echo "$3" | awk '{ print $1 / 1024 }')" "$heap" \
	    "$(wc -c <"$dir/cxzy.txt" | awk '{ print $1 / 1e6 }')"

	if [ "$store" = 1 ]; then
		# Filling the store is not timed: report wall and cpu are
		# bench_report's own figures for the report alone.
		# shellcheck disable=SC2046
		set -- $(timed "$bin" report "$n" "$dir/store.txt" store)
		heap=$(awk -v b="$(field 'heap before report')" \
		    -v p="$(field 'heap peak during report')" \
		    'BEGIN { printf "%.2f", p - b }')
		if ! cmp -s "$dir/cxzy.txt" "$dir/store.txt"; then
			echo "从 LMDB 读出的报表与内存生成的不同。" >&2
			exit 1
		fi
		printf '%-9s %-12s %8s %9s %9.1f %10s %9s\n' "$n" \
		    "cxzy store" "$(field 'report wall')" \
		    "$(field 'report user+sys')" \
		    "$(echo "$3" | awk '{ print $1 / 1024 }')" "$heap" "same"
		rm -f "$dir/store.txt"
	fi

	if [ "$have_sqlite" = 1 ]; then
		"$bin" csv "$n" >"$dir/rows.csv"
		rm -f "$dir/ledger.db"
		sqlite3 "$dir/ledger.db" \
		    'CREATE TABLE ledger("序号" INTEGER, "承诺单位或承诺人" TEXT,
		    "具体承诺事项" TEXT, "践诺措施" TEXT, "完成时限" TEXT,
		    "完成情况" TEXT, "备注" TEXT);' \
		    ".import --csv $dir/rows.csv ledger"
		rm -f "$dir/rows.csv"
		# shellcheck disable=SC2046
		set -- $(timed sh -c "sqlite3 '$dir/ledger.db' '.mode column' \
		    'select * from ledger' |
		    iconv -f UTF-8 -t GB18030 >'$dir/sqlite.txt'")
		sw=$1
		printf '%-9s %-12s %8s %9s %9.1f %10s %9.1f\n' "$n" \
		    "sqlite3" "$1" "$2" "$(echo "$3" | awk '{ print $1 / 1024 }')" \
		    "-" "$(wc -c <"$dir/sqlite.txt" | awk '{ print $1 / 1e6 }')"
		printf '%-9s %-12s %8s\n' "$n" "cxzy/sqlite" \
		    "$(awk -v a="$cw" -v b="$sw" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
		rm -f "$dir/ledger.db" "$dir/sqlite.txt"
	fi
	rm -f "$dir/cxzy.txt"
done
echo
echo "wall and cpu (user+sys) are whole processes under GNU time, except"
echo "cxzy store: the report alone, as measured inside bench_report."
echo "RSS is the largest process (sqlite3 or iconv for the pipe); heap is"
echo "how much malloc'd memory grew during the report (glibc mallinfo2)."
