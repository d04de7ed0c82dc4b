#!/bin/sh
# The manual page cxzy(1) and --help cannot drift apart: every command
# and option --help lists is in the page, every command the page lists is
# in --help, and the page renders.
. "$CXZY_TESTDATA/lib.sh"

MAN="$CXZY_TESTDATA/../docs/cxzy.1"
[ -f "$MAN" ] || { fail "docs/cxzy.1 exists"; finish; }

run 0 "$CXZY" --help || fail "--help"
# The commands --help lists: the first word of each line after 命令：.
sed -n '/^命令：/,/^$/p' "$T/out" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p; s/^  \([a-z][a-z]*\)$/\1/p' |
    sort -u >"$T/help.cmds"
echo help >>"$T/help.cmds"
sort -u -o "$T/help.cmds" "$T/help.cmds"
# The commands the page lists: ".B NAME" after ".TP" in its 命令 section.
sed -n '/^\.SH 命令/,/^\.SH /p' "$MAN" | awk '
	prev == ".TP" && $1 == ".B" { print $2 }
	{ prev = $0 }' | sort -u >"$T/man.cmds"
[ "$(wc -l <"$T/help.cmds")" -ge 20 ] && pass "--help lists the commands" ||
    fail "--help lists the commands"
if cmp -s "$T/help.cmds" "$T/man.cmds"; then
	pass "the page and --help list the same commands"
else
	fail "the page and --help list the same commands"
	diff "$T/help.cmds" "$T/man.cmds" | sed 's/^/# /'
fi
# Every option of --help is in the page (roff writes "-" as "\-").
for o in $(sed -n '/^选项：/,/^$/p' "$T/out" | grep -o -- '--*[a-zA-Z][a-z]*'); do
	r=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
	if grep -q -- "$r" "$MAN"; then
		pass "option $o in the page"
	else
		fail "option $o in the page"
	fi
done
# It renders: man -l, or groff when man is missing.
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$MAN" >"$T/page" 2>"$T/err"
	st=$?
elif command -v groff >/dev/null 2>&1; then
	groff -k -man -Tutf8 "$MAN" >"$T/page" 2>"$T/err"
	st=$?
else
	echo "# neither man nor groff: rendering not tried"
	st=skip
fi
if [ "$st" != skip ]; then
	if [ "$st" -eq 0 ] && grep -q "创先争优台账" "$T/page" &&
	    ! grep -q "error" "$T/err"; then
		pass "the page renders"
	else
		fail "the page renders"
		head -5 "$T/err" | sed 's/^/# /'
	fi
fi
finish
