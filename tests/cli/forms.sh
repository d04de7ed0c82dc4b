#!/bin/sh
# Forms travel with the data: init copies the program's forms into the
# data directory, a changed program form changes nothing there until an
# explicit upgrade (previewed with --dry-run), an upgrade that would lose
# data or forms that do not load are refused, older directories get a
# copy at their first writable open, and exports carry the forms.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
ORIG=orig
cp -R "$CXZY_FORMS" "$ORIG" || exit 99

# same_forms NAME DIR WANT_DIR: the *.form files of two directories are
# the same names with the same bytes.
same_forms() {
	if [ "$(cd "$2" && ls *.form)" = "$(cd "$3" && ls *.form)" ] &&
	    diff -r "$2" "$3" >/dev/null; then
		pass "$1"
	else
		fail "$1"
		diff -r "$3" "$2" | head -20 | sed 's/^/# /'
	fi
}

run 0 "$CXZY" init d 测试党委 || fail "init"
same_forms "init copies the program's forms" d/forms "$ORIG"
golden forms-list 0 "$CXZY" --data d forms
golden_gb forms-list 0 "$CXZY" --data d forms
run 0 "$CXZY" --data d add org name=第一党支部 type=branch parent_id=1 || fail "add a branch"
run 0 "$CXZY" --data d add member 姓名=张三 性别=男 出生年月=1980-05 \
    入党时间=2005-07-01 所属党支部=2 "备注=负责资料" || fail "add a member"

# The program's forms change: the member form gets another name, a new
# field and a new version.  The data directory keeps its own.
P=prog
cp -R "$ORIG" "$P" || exit 99
sed -e 's/^label 党员$/label 党员名册/' -e 's/^version 1$/version 2/' \
    -e 's/^field note$/field email\n  label 电子邮箱\n  type text 60\n\nfield note/' \
    "$ORIG/member.form" >"$P/member.form" || exit 99
grep -q '^field email$' "$P/member.form" || fail "test setup: email field"
export CXZY_FORMS="$P"
run 0 "$CXZY" --data d kinds && grep -q '^member  *党员  ' "$T/out" &&
    pass "a changed program form does not change the directory's forms" ||
    fail "a changed program form does not change the directory's forms"
golden forms-differ 0 "$CXZY" --data d forms
golden forms-dry-run 0 "$CXZY" --data d forms upgrade --dry-run
same_forms "dry run changes nothing" d/forms "$ORIG"

# The same stick on a PC whose cxzy has other forms: same forms.
CXZY_FORMS="$ORIG" run 0 "$CXZY" --data d show member 1 && cp "$T/out" "$T/show-orig"
run 0 "$CXZY" --data d show member 1 &&
    same_bytes "another program's forms: the record shows the same" "$T/out" "$T/show-orig"

golden forms-upgrade 0 "$CXZY" --data d forms upgrade
same_forms "upgrade replaces the copy" d/forms "$P"
[ ! -e d/forms.new ] && [ ! -e d/forms.old ] && pass "upgrade: nothing left over" ||
    fail "upgrade: nothing left over"
expect "after the upgrade: the new field" 0 "电子邮箱：" "$CXZY" --data d show member 1
expect "upgrade again: no change" 0 "表单没有变化" "$CXZY" --data d forms upgrade
expect "forms: the program's are the same" 0 "程序自带的表单与此相同。" "$CXZY" --data d forms

# An upgrade that drops a field holding data is refused, nothing changed.
Q=drop
cp -R "$P" "$Q" || exit 99
awk '/^field note$/ { skip = 1; next } /^(field|sheet)/ { skip = 0 } !skip' \
    "$P/member.form" >"$Q/member.form" || exit 99
golden forms-refused 1 "$CXZY" --data d forms upgrade --from "$Q"
same_forms "refused upgrade changes nothing" d/forms "$P"
expect "refused also in a dry run" 1 "新的表单会丢掉已有的数据" \
    "$CXZY" --data d forms upgrade --from "$Q" --dry-run
# Emptied, the field holds nothing: the same upgrade goes through.
run 0 "$CXZY" --data d set member 1 备注= || fail "clear the note"
expect "upgrade once the field is empty" 0 "字段删除：备注（note）" \
    "$CXZY" --data d forms upgrade --from "$Q"
same_forms "upgrade --from DIR" d/forms "$Q"

# Forms that do not load are refused.
B=broken
cp -R "$Q" "$B" && printf 'field x\n' >>"$B/org.form" || exit 99
expect "forms that do not load are refused" 1 "缺少“label”" \
    "$CXZY" --data d forms upgrade --from "$B"
same_forms "broken forms change nothing" d/forms "$Q"
expect "unknown upgrade option" 2 "不认识的参数" "$CXZY" --data d forms upgrade --force

# A directory made by an earlier version (no copy) gets the program's
# forms at its first writable open, silently.
export CXZY_FORMS="$ORIG"
run 0 "$CXZY" init old 旧党委 || fail "init old"
rm -rf old/forms
run 0 "$CXZY" --data old list org && cp "$T/out" "$T/list-old"
same_bytes "first open of an old directory: output unchanged" "$T/err" /dev/null
same_forms "first open of an old directory: forms copied" old/forms "$ORIG"

# Exports carry the directory's forms, byte for byte (also when the
# program's forms differ).
run 0 "$CXZY" --data d export d.cxa || fail "export"
n=$(grep -c '^@form ' d.cxa)
[ "$n" -eq "$(ls "$Q"/*.form | wc -l)" ] && pass "export: one @form block per form file" ||
    fail "export: one @form block per form file ($n)"
# unform FILE NAME: the text of NAME's block, unescaped.
unform() {
	awk -v name="$2" '
	$0 == "@form " name { on = 1; next }
	on && /^@crc / { exit }
	on {
		s = substr($0, 2); out = ""
		while ((i = index(s, "\\")) > 0) {
			out = out substr(s, 1, i - 1); c = substr(s, i + 1, 1)
			if (c == "n") out = out "\n"
			else if (c == "s") out = out " "
			else if (c == "\\") out = out "\\"
			else if (c == "t") out = out "\t"
			else out = out "?"
			s = substr(s, i + 2)
		}
		printf "%s", out s
	}' "$1"
}
ok_all=1
for f in "$Q"/*.form; do
	b=$(basename "$f")
	unform d.cxa "$b" >"$T/unformed"
	cmp -s "$T/unformed" "$f" || { ok_all=0; echo "# differs: $b"; }
done
[ "$ok_all" = 1 ] && pass "export: the forms round trip byte for byte" ||
    fail "export: the forms round trip byte for byte"
# Importing an ordinary archive never changes the forms.
run 0 "$CXZY" init e 测试党委乙 || fail "init e"
run 0 "$CXZY" --data e import d.cxa || fail "import into e"
same_forms "import leaves the forms alone" e/forms "$ORIG"
# A directory the import creates gets the program's forms.
run 0 "$CXZY" --data new import d.cxa || fail "import into a new directory"
same_forms "import into a new directory: the program's forms" new/forms "$ORIG"
run 0 "$CXZY" --data new export new.cxa &&
    [ "$(grep -c '^@form ' new.cxa)" -eq "$(ls "$ORIG"/*.form | wc -l)" ] &&
    pass "re-export carries the new directory's forms" ||
    fail "re-export carries the new directory's forms"

finish
