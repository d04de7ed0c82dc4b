#!/bin/sh
# run.sh: runs the store benchmark the same way every time.
#
#   sh bench/run.sh PATH/TO/bench_store [N]
#
# N is the number of member records (default 1000000).  The records are a
# fixed function of their number and timestamps are pinned, so only the
# machine and the file system change the figures.  CXZY_BENCH_DIR picks
# the directory the temporary data directory is made in (default /tmp);
# point it at a mounted USB stick to measure the stick.
set -eu

bin=${1:?"用法：sh bench/run.sh bench_store的路径 [记录数]"}
n=${2:-1000000}
dir=${CXZY_BENCH_DIR:-/tmp}

if [ ! -x "$bin" ]; then
	echo "找不到可执行的基准程序“$bin”。请先运行 make bench/bench_store。" >&2
	exit 1
fi

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "host:    $(uname -srm)"
if [ -r /proc/cpuinfo ]; then
	echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(grep -c '^processor' /proc/cpuinfo) threads)"
fi
echo "lmdb:    $(pkg-config --modversion lmdb 2>/dev/null || echo unknown)"
echo "dir:     $dir ($(stat -f -c %T "$dir" 2>/dev/null || echo unknown))"
echo

CXZY_BENCH_DIR=$dir
export CXZY_BENCH_DIR
exec "$bin" "$n"
