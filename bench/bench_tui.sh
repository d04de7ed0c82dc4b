#!/bin/sh
# bench_tui.sh: how long the full-screen program takes for each key over a
# very large roster.
#
#   sh bench/bench_tui.sh [PATH/TO/cxzy [PATH/TO/gen_members]]
#
# Builds nothing.  Without arguments the programs are looked for in the
# current directory (a build tree: src/cxzy, bench/gen_members), then next
# to this script.  Environment:
#   N               members to generate (default 1000000)
#   CXZY_BENCH_DIR  where the data directory is made (default /tmp); it is
#                   kept and reused by later runs (cxzy-bench-tui-N)
#   CXZY_FORMS      the forms directory (default: forms/ beside this script)
#   KEEP_TRACE      a file to copy the raw trace to
#   COLD=1          do not read the data file into the page cache first
#
# The script generates the data directory once, runs cxzy in a private
# detached tmux (80x24) with CXZY_TRACE, types a scripted session of more
# than 1,000 keys, and sends each key only after the previous one shows up
# in the trace, so no key waits behind another and every screen update is
# really drawn.  Then it prints p50, p99 and the maximum per key and per
# part of the session, and the time to the first screen.  See
# bench/README.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
n=${N:-1000000}
basedir=${CXZY_BENCH_DIR:-/tmp}

find_prog() {
	for p in "$@"; do
		if [ -x "$p" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

cxzy=${1:-$(find_prog ./src/cxzy "$here/../src/cxzy" || true)}
gen=${2:-$(find_prog ./bench/gen_members "$here/gen_members" || true)}
if [ -z "$cxzy" ] || [ ! -x "$cxzy" ]; then
	echo "找不到 cxzy。请给出路径：sh bench/bench_tui.sh 路径/cxzy 路径/gen_members" >&2
	exit 1
fi
if [ -z "$gen" ] || [ ! -x "$gen" ]; then
	echo "找不到 gen_members。请先运行 make bench/gen_members，或给出路径。" >&2
	exit 1
fi
if ! command -v tmux >/dev/null 2>&1; then
	echo "需要 tmux。" >&2
	exit 1
fi
: "${CXZY_FORMS:=$here/../forms}"
export CXZY_FORMS

loc=zh_CN.UTF-8
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	loc=C.UTF-8
fi
term=tmux-256color
if ! infocmp "$term" >/dev/null 2>&1; then
	term=screen-256color
fi

data=$basedir/cxzy-bench-tui-$n
if [ ! -f "$data.done" ]; then
	rm -rf "$data"
	echo "生成 $n 名党员的数据目录 $data ..." >&2
	"$gen" "$data" "$n" >&2
	: > "$data.done"
fi

# Unless COLD=1, read the data file once so that the figures are those
# of a warm page cache (on a USB stick the first pages read cost far more).
if [ "${COLD:-0}" != 1 ]; then
	cat "$data/data.mdb" > /dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cxzy-bench-tui.XXXXXX")
trace=$work/trace
sent=$work/sent
sock=cxzy-bench-$$
T="tmux -L $sock"
cleanup() {
	$T kill-server 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

now_ms() {
	date +%s%N | awk '{ printf "%.3f", $1 / 1e6 }'
}

lines() {
	if [ -f "$trace" ]; then
		# Background steps (a search going on between keys) are
		# traced as "(idle)"; they are not keys.
		grep -cv "	(idle)	" "$trace"
	else
		echo 0
	fi
}

# Waits until the trace has $1 lines (one per key, plus the start line).
wait_lines() {
	_tries=0
	while [ "$(lines)" -lt "$1" ]; do
		_tries=$((_tries + 1))
		if [ $_tries -gt 20000 ]; then
			echo "cxzy 没有在 20 秒内处理完第 $(( $1 - 1 )) 个键。" >&2
			tail -n 3 "$trace" >&2 || true
			$T capture-pane -p -t b >&2 || true
			exit 1
		fi
		sleep 0.001
	done
}

count=0
# key PART KEY...: sends each key (tmux key names) and waits for it.
key() {
	_part=$1
	shift
	for _k in "$@"; do
		$T send-keys -t b "$_k"
		count=$((count + 1))
		printf '%s\n' "$_part" >> "$sent"
		wait_lines $((count + 1))
	done
}
# text PART STRING: types a string one character at a time.
text() {
	_part=$1
	for _c in $(printf '%s\n' "$2" | LC_ALL=C.UTF-8 sed 's/./& /g'); do
		$T send-keys -t b -l "$_c"
		count=$((count + 1))
		printf '%s\n' "$_part" >> "$sent"
		wait_lines $((count + 1))
	done
}
repeat() {
	_times=$1
	shift
	_r=0
	while [ $_r -lt "$_times" ]; do
		key "$@"
		_r=$((_r + 1))
	done
}
last_screen() {
	grep -v "	(idle)	" "$trace" | tail -n 1 | cut -f 1
}

# Enter opens the record in the entry form; Esc comes back.  While the
# form is not there yet Enter only shows a message and Esc leaves the
# list, which is then opened again.
open_and_back() {
	key open Enter
	key open Escape
	if [ "$(last_screen)" = browse ]; then
		key open 2
	fi
}

t0=$(now_ms)
$T -f /dev/null new-session -d -s b -x 80 -y 24 \
    "env LANG=$loc LC_ALL=$loc TERM=$term CXZY_TRACE='$trace' '$cxzy' --data '$data' 2>'$work/stderr'"
wait_lines 1
t1=$(now_ms)

# The member list: 组织与党员, then 党员.
key open 1 2

# Paging and moving in 编号 order.
repeat 3 move Down Down Down Down Down Down Down Down Down Down \
    Down Down Down Down Down Down Down Down Down Down
repeat 40 page NPage
repeat 40 page PPage
key move End
repeat 25 move Up
repeat 30 page PPage
key move Home
repeat 25 page NPage
repeat 40 move Down

# Incremental search by name (indexed): the list goes to name order.
for name in 王建国 李明 张伟 刘洋 陈静 杨帆 赵磊 黄丽 周杰 吴敏 \
    欧阳 司马振 林𠀾 徐涛 孙丽 马超 朱红 胡斌 郭靖 何平; do
	key search-name F4
	text search-name "$name"
	key search-name BSpace
	key search-name Enter
	repeat 5 page NPage
	repeat 5 move Down
	repeat 3 page PPage
done
key search-name /
text search-name 冯
key search-name Escape

# Moving in name order.
key move Home
repeat 30 page NPage
key move End
repeat 30 page PPage
repeat 20 move Up

# Filter by 党支部: the F6 list, then paging through one branch.
for pick in 3 4 5 9; do	# 全部 x2, then the 党支部 in turn
	key filter F6 Home
	repeat "$pick" filter Down
	key filter Enter
	repeat 20 page NPage
	key move End
	repeat 10 page PPage
	repeat 10 move Up
	key move Home
done
key filter F6 Home Enter

# Search by contents (职务/岗位, not indexed): at most a fixed number of
# records per key.  科员 is found at once; 局长 is nowhere, so each key
# examines the whole budget.
key search-contents F4 Tab
text search-contents 科员
key search-contents F4 F4 Enter
key search-contents F4
text search-contents 局长
key search-contents Enter Enter Escape
key search-contents F4 Tab Escape

# Opening records and coming back.
opened=0
while [ $opened -lt 10 ]; do
	repeat 3 move Down
	open_and_back
	opened=$((opened + 1))
done

# Fill up to at least 1,000 keys with more paging.
while [ $count -lt 1000 ]; do
	key page NPage
	key move Down
done
key move End Home

$T send-keys -t b C-q
wait_lines $((count + 2))
t2=$(now_ms)

if [ -n "${KEEP_TRACE:-}" ]; then
	cp "$trace" "$KEEP_TRACE"
fi
if [ -s "$work/stderr" ]; then
	echo "cxzy 的错误输出：" >&2
	cat "$work/stderr" >&2
fi

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "host:    $(uname -srm)"
if [ -r /proc/cpuinfo ]; then
	echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
fi
echo "data:    $data ($n members, $(du -sm "$data" | cut -f 1) MiB, $( [ "${COLD:-0}" = 1 ] && echo "cache as found" || echo "read into the page cache first"))"
echo "program: $cxzy"
echo "keys:    $count, session $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s"
echo

# Pairs trace line i+1 with the part of the session key i was sent in.
awk -F '\t' -v sent="$sent" -v t0="$t0" -v t1="$t1" '
function pct(arr, k, p,   i, j, v, tmp, m) {
	m = cnt[k]
	for (i = 1; i <= m; i++)
		tmp[i] = arr[k, i]
	# insertion sort: at most a few thousand values
	for (i = 2; i <= m; i++) {
		v = tmp[i]
		for (j = i - 1; j >= 1 && tmp[j] > v; j--)
			tmp[j + 1] = tmp[j]
		tmp[j + 1] = v
	}
	i = int(p * m + 0.999999)
	if (i < 1) i = 1
	if (i > m) i = m
	return tmp[i]
}
function add(k, v) {
	if (!(k in cnt)) order[++norder] = k
	cnt[k]++
	val[k, cnt[k]] = v
	if (v > mx[k]) mx[k] = v
}
function row(k) {
	printf "%-24s %6d %8.3f %8.3f %8.3f\n", k, cnt[k], pct(val, k, 0.5),
	    pct(val, k, 0.99), mx[k]
}
NR == 1 { start = $3; next }
$2 == "(idle)" { add("background search step", $3 + 0); next }
{
	if ((getline part < sent) <= 0) part = "quit"
	name = $2
	if (name ~ /^U\+/ || (length(name) == 1 && name != "/"))
		name = "character"
	add("key " name, $3 + 0)
	add("part " part, $3 + 0)
	add("all keys", $3 + 0)
	if ($3 + 0 > 2) slow++
}
END {
	printf "%-24s %6s %8s %8s %8s\n", "key / part (ms)", "count", "p50", "p99", "max"
	for (i = 1; i <= norder; i++)
		if (order[i] ~ /^key /) row(order[i])
	print ""
	for (i = 1; i <= norder; i++)
		if (order[i] ~ /^part /) row(order[i])
	print ""
	row("all keys")
	if ("background search step" in cnt) row("background search step")
	printf "keys over 2 ms: %d\n", slow
	print ""
	printf "start to first screen (trace, from initscr): %.3f ms\n", start
	printf "launch to first screen (tmux, process, store open, forms): %.0f ms\n", t1 - t0
}' "$trace"
