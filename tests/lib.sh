# tests/lib.sh: helpers for the command-line tests (sourced, POSIX sh).
#
# Environment (set by `make check`, see Makefile.am):
#   CXZY           the program under test
#   CXZY_FORMS     the form definitions
#   CXZY_TESTDATA  the tests/ directory of the source tree
# Set CXZY_REGEN=1 to rewrite golden files from the current output (then
# read every changed file before committing it).

set -u
: "${CXZY:?CXZY must name the program under test}"
: "${CXZY_FORMS:?CXZY_FORMS must name the forms directory}"
: "${CXZY_TESTDATA:?CXZY_TESTDATA must name the tests directory}"
export CXZY_FORMS
unset CXZY_DATA
# A fixed clock makes timestamps and the current period reproducible.
export CXZY_NOW="2026-11-27 10:00:00"
# Global ids and revisions from a fixed secret, so that the same steps
# give the same bytes (src/util.h, util_token).
export CXZY_RANDOM_SEED=cxzy-tests
export TZ=Asia/Shanghai
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
GOLDEN="$CXZY_TESTDATA/golden"

T=$(mktemp -d "${TMPDIR:-/tmp}/cxzy-test.XXXXXX") || exit 99
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
# Backups (cxzy backup, and every exit of the full-screen program) stay
# inside the test's directory, never in the tester's home.
export CXZY_BACKUP_DIR="$T/backups"
npass=0
nfail=0

pass() { npass=$((npass + 1)); echo "ok - $1"; }
fail() { nfail=$((nfail + 1)); echo "not ok - $1"; }

# finish: prints the summary line and exits with automake's status.
finish() {
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
	exit $?
}

# run STATUS CMD...: runs CMD, keeping stdout in $T/out and stderr in
# $T/err, and checks the exit status.
run() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		return 0
	fi
	echo "# exit status $got, want $want: $*"
	sed 's/^/# stderr: /' "$T/err" | head -20
	return 1
}

# same_bytes NAME FILE EXPECTED_FILE: compares two files byte for byte.
same_bytes() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff -u "$3" "$2" | head -40 | sed 's/^/# /'
	fi
}

# golden NAME STATUS CMD...: runs CMD in zh_CN.UTF-8 and compares stdout
# with golden/NAME.out and stderr with golden/NAME.err (empty if absent).
golden() {
	name=$1 st=$2
	shift 2
	if ! run "$st" "$@"; then
		fail "$name: exit status"
		return
	fi
	if [ "${CXZY_REGEN:-}" = 1 ]; then
		cp "$T/out" "$GOLDEN/$name.out"
		if [ -s "$T/err" ]; then cp "$T/err" "$GOLDEN/$name.err"; fi
	fi
	same_bytes "$name: stdout" "$T/out" "$GOLDEN/$name.out"
	if [ -f "$GOLDEN/$name.err" ]; then
		same_bytes "$name: stderr" "$T/err" "$GOLDEN/$name.err"
	else
		same_bytes "$name: stderr empty" "$T/err" /dev/null
	fi
}

# golden_gb NAME STATUS CMD...: runs CMD in zh_CN.GB18030 and compares its
# output with golden/NAME.out and .err converted to GB18030 with iconv.
golden_gb() {
	name=$1 st=$2
	shift 2
	if ! LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 run "$st" "$@"; then
		fail "$name (GB18030): exit status"
		return
	fi
	iconv -f UTF-8 -t GB18030 "$GOLDEN/$name.out" >"$T/want" ||
	    { fail "$name: iconv"; return; }
	same_bytes "$name (GB18030): stdout" "$T/out" "$T/want"
	if [ -f "$GOLDEN/$name.err" ]; then
		iconv -f UTF-8 -t GB18030 "$GOLDEN/$name.err" >"$T/want"
		same_bytes "$name (GB18030): stderr" "$T/err" "$T/want"
	fi
}

# expect NAME STATUS 'TEXT' CMD...: runs CMD and checks the exit status
# and that stdout+stderr contain TEXT.
expect() {
	name=$1 st=$2 text=$3
	shift 3
	if run "$st" "$@" && cat "$T/out" "$T/err" | LC_ALL=C grep -qF -- "$text"; then
		pass "$name"
	else
		fail "$name"
		echo "# wanted: $text"
		cat "$T/out" "$T/err" | head -20 | sed 's/^/# got: /'
	fi
}

# fingerprint DIR: a digest of what the store holds, to prove that a
# failed command changed nothing.
fingerprint() {
	cksum "$1/data.mdb" | cut -d' ' -f1,2
}
