#!/bin/sh
# A data directory the user cannot write (a write-protected stick) opens
# read-only: reading works, changes are refused with an explanation, and
# nothing changes.
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
"$CXZY" demo "$D" >/dev/null || { fail "demo"; finish; }
before=$(fingerprint "$D")

# root ignores file modes, so run the program as an ordinary user.  The
# build tree may not be readable by that user, so copy what it needs.
as_user=
if [ "$(id -u)" -eq 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "# skip: running as root without setpriv"
		finish
	fi
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir "$T/bin"
	cp "$CXZY" "$T/bin/cxzy"
	# Under `make check-valgrind` $CXZY is tests/valgrind-wrap.sh, which
	# runs $REAL_CXZY: copy that too.
	if [ -n "${REAL_CXZY:-}" ]; then
		cp "$REAL_CXZY" "$T/bin/cxzy.real"
		REAL_CXZY="$T/bin/cxzy.real"
		export REAL_CXZY
	fi
	cp -R "$CXZY_FORMS" "$T/bin/forms"
	chmod -R a+rX "$T"
	CXZY="$T/bin/cxzy"
	CXZY_FORMS="$T/bin/forms"
fi
chmod a+r "$D"/*
chmod 0555 "$D"

# shellcheck disable=SC2086
expect "reading a read-only directory works" 0 "共 66 条" $as_user "$CXZY" --data "$D" list member
# shellcheck disable=SC2086
expect "the overview marks it read-only" 0 "（只读）" $as_user "$CXZY" --data "$D"
# shellcheck disable=SC2086
expect "adding is refused" 1 "数据目录是只读的" \
    $as_user "$CXZY" --data "$D" add member 姓名=张三 性别=男 出生年月=1980-01 入党时间=2005-07-01 所属党支部=2
# shellcheck disable=SC2086
expect "deleting is refused" 1 "数据目录是只读的" $as_user "$CXZY" --data "$D" delete member 1
# shellcheck disable=SC2086
expect "check works read-only" 0 "未发现问题" $as_user "$CXZY" --data "$D" check
[ "$(fingerprint "$D")" = "$before" ] && pass "data unchanged" || fail "data unchanged"
chmod 0755 "$D"
finish
