# tests/screen/lib.sh: drive the real program in a private, detached tmux.
#
# Each test starts cxzy in its own tmux server (a private socket), at a
# fixed size, types with send-keys (Chinese included) and compares
# capture-pane -p with expected screens.  In zh_CN.GB18030 the program
# runs under gbrelay, which converts between the program's GB18030 and
# tmux's UTF-8.  Sourced after tests/lib.sh.

command -v tmux >/dev/null 2>&1 || { echo "# skip: tmux not installed"; exit 77; }
SCREEN_GOLDEN="$CXZY_TESTDATA/screen/golden"
GBRELAY="$CXZY_TESTDATA/screen/gbrelay"
SOCK_BASE="cxzy-test-$$"
SOCK_N=0
SOCK="$SOCK_BASE-0"
# Sanitizer builds are several times slower.
WAIT_STEPS=${CXZY_SCREEN_WAIT:-150}
printf 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 0\n' >"$T/tmux.conf"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

tm() { tmux -L "$SOCK" "$@"; }

# screen_start LOCALE COLS ROWS ARGS...: starts cxzy ARGS in a new session.
# LOCALE is utf8 or gb18030.
screen_start() {
	loc=$1 cols=$2 rows=$3
	shift 3
	# Every start gets a new server: reusing a socket races with the
	# previous server's exit.
	tm kill-server 2>/dev/null
	SOCK_N=$((SOCK_N + 1))
	SOCK="$SOCK_BASE-$SOCK_N"
	case $loc in
	utf8) lang=zh_CN.UTF-8 ;;
	gb18030) lang=zh_CN.GB18030 ;;
	esac
	# A script runs the program so that its stderr (sanitizer reports
	# included) goes to a file, not onto the screen under test.
	{
		echo "export LANG=$lang LC_ALL=$lang TERM=${SCREEN_TERM:-tmux-256color}"
		echo "export CXZY_FORMS='$CXZY_FORMS' CXZY_NOW='$CXZY_NOW' TZ='$TZ'"
		echo "export CXZY_BACKUP_DIR='$CXZY_BACKUP_DIR'"
		echo "export CXZY_TRACE='${CXZY_TRACE:-$T/trace}'"
		[ -n "${CXZY_PRINT_COMMAND:-}" ] &&
		    echo "export CXZY_PRINT_COMMAND='$CXZY_PRINT_COMMAND'"
		printf "'%s'" "$CXZY"
		for a in "$@"; do printf " '%s'" "$a"; done
		printf " 2>>'%s'\n" "$T/stderr"
		# The exit status goes to a file: tmux 3.3 now and then fails
		# to notice that a pane's process has ended.
		printf 'echo $? >"%s"\n' "$T/status"
	} >"$T/run.sh"
	rm -f "$T/status"
	if [ "$loc" = gb18030 ]; then
		cmd="'$GBRELAY' -- sh '$T/run.sh'"
	else
		cmd="sh '$T/run.sh'"
	fi
	tm -f "$T/tmux.conf" new-session -d -s s -c "$T" -x "$cols" -y "$rows" "$cmd"
}

capture() { tm capture-pane -p -t s 2>/dev/null; }

# menu_digit LABEL: the digit shown in front of LABEL in the menu on
# screen (the main menu grows with the forms, so tests look it up).
menu_digit() { capture | sed -n "s/.* \([0-9]\)  $1.*/\1/p" | head -1; }

# to_menu NAME: the program starts on the 工作台; waits for it (its
# heading on the second line) and presses Esc to reach the main menu.
to_menu() {
	i=0
	while [ $i -lt "$WAIT_STEPS" ]; do
		if capture | sed -n 2p | grep -q '^ 工作台'; then
			send Escape
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1: the 工作台 comes first"
	capture | sed 's/^/# | /'
	return 1
}

# send KEY...: tmux key names (Enter, Escape, F2, C-s, Down, BSpace ...).
send() { tm send-keys -t s "$@"; }
# typ TEXT: types TEXT literally (Chinese included).
typ() { tm send-keys -t s -l "$1"; }

# wait_for NAME TEXT: polls the screen until TEXT appears.
wait_for() {
	i=0
	while [ $i -lt "$WAIT_STEPS" ]; do
		if capture | grep -qF -- "$2"; then
			pass "$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1 (waited for: $2)"
	capture | sed 's/^/# | /'
	return 1
}

# wait_gone NAME TEXT: polls until TEXT is no longer on the screen.
wait_gone() {
	i=0
	while [ $i -lt "$WAIT_STEPS" ]; do
		if ! capture | grep -qF -- "$2"; then
			pass "$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1 (still there: $2)"
	capture | sed 's/^/# | /'
	return 1
}

# screen_is NAME GOLDEN: the whole screen equals golden/GOLDEN.txt.  The
# terminal may still be receiving the update, so it polls until the
# screen matches, and shows the difference if it never does.
screen_is() {
	if [ "${CXZY_REGEN:-}" = 1 ]; then
		sleep 0.5
		capture >"$SCREEN_GOLDEN/$2.txt"
	fi
	i=0
	while [ $i -lt "$WAIT_STEPS" ]; do
		capture >"$T/screen"
		if cmp -s "$T/screen" "$SCREEN_GOLDEN/$2.txt"; then
			pass "$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	same_bytes "$1" "$T/screen" "$SCREEN_GOLDEN/$2.txt"
}

# wait_exit NAME STATUS: waits for the program to end with STATUS.
wait_exit() {
	i=0
	while [ $i -lt "$WAIT_STEPS" ]; do
		if [ -s "$T/status" ]; then
			st=$(cat "$T/status")
			if [ "$st" = "$2" ]; then pass "$1"; else fail "$1 (exit status $st)"; fi
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1 (still running)"
	sed 's/^/# trace: /' "${CXZY_TRACE:-$T/trace}" | tail -8
	capture | sed 's/^/# | /'
	return 1
}

# no_stderr NAME: the program wrote nothing to stderr (sanitizer reports
# included).
no_stderr() {
	if [ -s "$T/stderr" ]; then
		fail "$1"
		sed 's/^/# stderr: /' "$T/stderr" | head -20
	else
		pass "$1"
	fi
}
