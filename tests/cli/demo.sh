#!/bin/sh
# The demo office's annexes: both half-years filled through the ledger,
# records per kind and half-year (golden), dates inside their periods, the
# 工作台 of today's half-year, the same bytes on every run, and other
# dates the demo may be made for.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
KINDS="branch_pledge member_pledge pledge_ledger leader_review secretary_review
mass_eval rectification rectification_notice meeting"

# count DIR KIND FIELD=VALUE: the number of records list finds.
count() {
	"$CXZY" --data "$1" list "$2" "$3" | tail -n 1 | sed 's/（.*//' |
	    tr -dc 0-9
}

# counts DIR P1 P2: records of each kind in two half-years, and the items
# carried into P2 (current_period P2, period P1).
counts() {
	for k in $KINDS; do
		for p in "$2" "$3"; do
			printf '%s period=%s %s\n' "$k" "$p" "$(count "$1" "$k" "period=$p")"
		done
	done
	for k in pledge_ledger rectification; do
		printf '%s current_period=%s %s\n' "$k" "$3" \
		    "$(count "$1" "$k" "current_period=$3")"
	done
}

# dates_inside ARCHIVE: every date of a record with a period lies in
# that period, or up to the end of its current_period for items carried
# forward (filing_due is the deadline after the period, by definition).
# Prints the offending lines.
dates_inside() {
	awk '
	function first(p) { return substr(p, 1, 4) (substr(p, 6, 1) == "1" ? "-01-01" : "-07-01") }
	function last(p) { return substr(p, 1, 4) (substr(p, 6, 1) == "1" ? "-06-30" : "-12-31") }
	/^@record / { kind = $2; id = $3; per = ""; cur = ""; n = 0; next }
	/^period=/ { per = substr($0, 8) }
	/^current_period=/ { cur = substr($0, 16) }
	/^[a-z_]+=[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ {
		split($0, kv, "=")
		if (kv[1] != "filing_due") { n++; key[n] = kv[1]; val[n] = kv[2] }
	}
	/^@crc / {
		if (per == "") next
		end = cur != "" ? cur : per
		for (i = 1; i <= n; i++)
			if (val[i] < first(per) || val[i] > last(end))
				print kind, id, per, key[i] "=" val[i]
	}' "$1"
}

run 0 "$CXZY" demo demo && pass "demo: created" || fail "demo: created"
expect "demo: check finds nothing wrong" 0 "未发现问题" "$CXZY" --data demo check

# Every annex kind has records in both half-years; the counts are golden.
counts demo 2026H1 2026H2 >"$T/counts"
if [ "${CXZY_REGEN:-}" = 1 ]; then cp "$T/counts" "$GOLDEN/demo-counts.out"; fi
same_bytes "demo: records per kind and half-year" "$T/counts" "$GOLDEN/demo-counts.out"
n=$(awk '$1 !~ /current_period/ && !($3 > 0)' "$T/counts" | wc -l)
[ "$n" -eq 0 ] && pass "demo: every kind has records in both half-years" ||
    fail "demo: every kind has records in both half-years ($n empty)"

# The earlier half-year was moved on with 新周期: two open items carried.
expect "demo: today's half-year is current" 0 "2026年下半年" "$CXZY" --data demo period
for k in pledge_ledger rectification; do
	c=$(grep "^$k current_period=2026H2 " "$T/counts" | cut -d' ' -f3)
	p=$(grep "^$k period=2026H2 " "$T/counts" | cut -d' ' -f3)
	[ "$((c - p))" -eq 1 ] && pass "demo: one $k item carried forward" ||
	    fail "demo: one $k item carried forward ($c - $p)"
done

# Dates fall inside their half-years.
run 0 "$CXZY" --data demo export "$T/a.cxa" || fail "demo: export"
dates_inside "$T/a.cxa" >"$T/bad-dates"
[ ! -s "$T/bad-dates" ] && pass "demo: every date inside its half-year" ||
    { fail "demo: every date inside its half-year"; head -5 "$T/bad-dates" | sed 's/^/# /'; }

# Today's 工作台 has something of every kind to show; the earlier
# half-year has no missing annex, no overdue item and no open 复验.
run 0 "$CXZY" --data demo todo || fail "demo: todo runs"
for what in 附件一 附件二 附件四 附件五 附件六 已过完成时限 已过整改时限 复验 讲义 本半年应开; do
	grep -q "$what" "$T/out" && pass "demo: 工作台 shows $what" ||
	    fail "demo: 工作台 shows $what"
done
run 0 "$CXZY" --data demo todo --period 2026H1 || fail "demo: todo 2026H1 runs"
if grep -E '附件|已过|复验|讲义' "$T/out" >"$T/h1"; then
	fail "demo: the earlier half-year is complete"
	head -5 "$T/h1" | sed 's/^/# /'
else
	pass "demo: the earlier half-year is complete"
fi

# The same date gives the same bytes (a directory of the same name: under
# the tests' fixed secret the name tells directories' origins apart).
mkdir "$T/again" || exit 99
run 0 "$CXZY" demo "$T/again/demo" || fail "demo: second run"
run 0 "$CXZY" --data "$T/again/demo" export "$T/b.cxa" &&
    same_bytes "demo: two runs export the same bytes" "$T/b.cxa" "$T/a.cxa"

# Other dates: the first and last day of a half-year, a leap day.  The
# demo fills the half-year before too; everything validates and stays
# inside its period.
for now in "2027-01-01 08:00:00" "2026-06-30 18:00:00" "2028-02-29 09:30:00" "2026-07-02 09:00:00"; do
	d="demo-$(echo "$now" | cut -c1-10)"
	if CXZY_NOW="$now" run 0 "$CXZY" demo "$d" &&
	    CXZY_NOW="$now" run 0 "$CXZY" --data "$d" check &&
	    CXZY_NOW="$now" run 0 "$CXZY" --data "$d" export "$T/$d.cxa"; then
		dates_inside "$T/$d.cxa" >"$T/bad-dates"
		[ ! -s "$T/bad-dates" ] && pass "demo for $now: valid, dates inside" ||
		    { fail "demo for $now: dates inside"; head -5 "$T/bad-dates" | sed 's/^/# /'; }
	else
		fail "demo for $now"
	fi
done

# A record the forms refuse fails the demo loudly, naming it.
# (Three 实事承诺 at least, where the demo's 附件一 have two.)
mkdir "$T/forms-strict" && cp "$CXZY_FORMS"/*.form "$T/forms-strict/" &&
    sed 's/^  default 1$/  default 3/' "$CXZY_FORMS/settings.form" \
    >"$T/forms-strict/settings.form" || exit 99
grep -q '^  default 3$' "$T/forms-strict/settings.form" || fail "strict forms: min_fact_pledges changed"
CXZY_FORMS="$T/forms-strict" expect "demo: a refused record fails the demo" 1 \
    "演示数据有误（党支部公开承诺书（附件一），办公室）" "$CXZY" demo strict
# Forms without the annexes: the roster alone, as before.
mkdir "$T/forms-roster" && cp "$CXZY_FORMS/org.form" "$CXZY_FORMS/member.form" "$T/forms-roster/" || exit 99
CXZY_FORMS="$T/forms-roster" run 0 "$CXZY" demo roster &&
    CXZY_FORMS="$T/forms-roster" expect "demo: roster only without annex forms" 0 \
    "检查完毕：党组织 13 条、党员 66 条，" "$CXZY" --data roster check ||
    fail "demo: roster only without annex forms"

finish
