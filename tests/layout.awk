# tests/layout.awk: checks the layout rules of a printed report (UTF-8).
#
#   LC_ALL=C awk -v width=80 -v lines=66 -f tests/layout.awk FILE
#
# Prints one line per problem and exits 1 when there is any:
#   - no line wider than `width` print columns (ASCII 1, any other
#     character 2: the GB18030 byte width);
#   - every page (pages are separated by form feeds) has exactly
#     lines - 1 lines, the last of them "第 N 页 共 M 页" (centred);
#   - the numbers run 1..M within each printout and printouts follow one
#     another (a new one starts at 1 only after page M of M);
#   - every page after the first of a printout starts with the same page
#     header (the lines before the first empty line) as the one before
#     (with -v through=1, for a document whose parts are numbered
#     straight through, such as a branch's 备案报告, a part may start
#     with a header of its own);
#   - a numbered table that goes on from one page to the next repeats its
#     header there (the rows above its first row equal the last table
#     header of the page before);
#   - Chinese line-breaking rules: no line, and no table cell line,
#     starts with ，。、；：？！）」』》 or ends with （「『《.
# Runs in the C locale and counts bytes: a UTF-8 lead byte is 2 columns,
# a continuation byte none.
BEGIN {
	RS = "\f"
	if (width == "") width = 80
	if (lines == "") lines = 66
	for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i
	nstart = split("， 。 、 ； ： ？ ！ ） 」 』 》", nostart, " ")
	nend = split("（ 「 『 《", noend, " ")
	bad = 0
	page = 0
	prevn = 0
	prevm = 0
}

function problem(msg) {
	printf "%s: page %d: %s\n", FILENAME, page, msg
	bad++
}

function pwidth(s,    w, i, c) {
	w = 0
	for (i = 1; i <= length(s); i++) {
		c = ord[substr(s, i, 1)]
		if (c < 128) w++
		else if (c >= 192) w += 2
	}
	return w
}

function trim(s) {
	for (;;) {
		if (substr(s, 1, 1) == " ") s = substr(s, 2)
		else if (substr(s, 1, 3) == "　") s = substr(s, 4)
		else break
	}
	for (;;) {
		if (substr(s, length(s), 1) == " ") s = substr(s, 1, length(s) - 1)
		else if (length(s) >= 3 && substr(s, length(s) - 2) == "　")
			s = substr(s, 1, length(s) - 3)
		else break
	}
	return s
}

function breaks(s, where,    k, ch) {
	s = trim(s)
	if (s == "") return
	for (k = 1; k <= nstart; k++) {
		ch = nostart[k]
		if (substr(s, 1, length(ch)) == ch)
			problem(where " starts with " ch ": " s)
	}
	for (k = 1; k <= nend; k++) {
		ch = noend[k]
		if (length(s) >= length(ch) && substr(s, length(s) - length(ch) + 1) == ch)
			problem(where " ends with " ch ": " s)
	}
}

function is_rule(s) {
	return substr(s, 1, 1) == "+" || substr(s, 1, 3) == "┌" ||
	    substr(s, 1, 3) == "├" || substr(s, 1, 3) == "└"
}

function is_row(s) {
	return substr(s, 1, 1) == "|" || substr(s, 1, 3) == "│"
}

# The first cell of a table row, trimmed.
function first_cell(s,    a, n) {
	if (substr(s, 1, 1) == "|") n = split(s, a, "|")
	else n = split(s, a, "│")
	return n >= 2 ? trim(a[2]) : ""
}

{
	page++
	n = split($0, L, "\n")
	# A page is lines - 1 lines, each ended by a line feed (so split
	# gives one more, empty, field).
	if (L[n] != "") problem("does not end with a line feed")
	else n--
	if (n != lines - 1) problem("has " n " lines, want " (lines - 1))
	for (i = 1; i <= n; i++) {
		if (index(L[i], "\r") > 0) sub(/\r$/, "", L[i])
		if (pwidth(L[i]) > width)
			problem("line " i " is " pwidth(L[i]) " columns wide: " L[i])
		if (is_rule(L[i])) continue
		if (is_row(L[i])) {
			sep = substr(L[i], 1, 1) == "|" ? "|" : "│"
			nc = split(L[i], C, sep)
			for (k = 2; k < nc; k++) breaks(C[k], "line " i " cell")
		} else
			breaks(L[i], "line " i)
	}
	# The footer.
	last = n
	while (last > 0 && L[last] == "") last--
	foot = trim(L[last])
	if (foot !~ /^第 [0-9]+ 页 共 [0-9]+ 页$/) {
		problem("no footer (last line: " L[last] ")")
		next
	}
	split(foot, F, " ")
	pn = F[2] + 0
	pm = F[5] + 0
	if (pn == 1) {
		if (prevn != prevm) problem("printout ended on page " prevn " of " prevm)
	} else if (pn != prevn + 1 || pm != prevm)
		problem("numbered " pn "/" pm " after " prevn "/" prevm)
	if (pn > pm) problem("page " pn " of " pm)
	# The page header: the lines before the first empty one.
	head = ""
	for (h = 1; h <= n && L[h] != ""; h++) head = head L[h] "\n"
	if (pn > 1 && head != prevhead && !through)
		problem("page header not repeated:\n" head "--- page before:\n" prevhead)
	# The first table on this page, when it continues a numbered one.
	for (i = h; i <= n && !is_rule(L[i]); i++)
		if (L[i] != "") break
	if (pn > 1 && i <= n && is_rule(L[i])) {
		th = L[i] "\n"
		for (j = i + 1; j <= n && is_row(L[j]); j++) th = th L[j] "\n"
		if (j <= n) th = th L[j] "\n"
		fc = first_cell(L[j + 1])
		if (fc ~ /^[0-9]+$/ && fc + 0 > 1 && fc + 0 == lastseq + 1 &&
		    th != lasthead)
			problem("table header not repeated:\n" th "--- last header before:\n" lasthead)
	}
	# Remember the last table header and the last row number.
	for (i = h; i <= n; i++) {
		if (!is_rule(L[i]) || (i > 1 && (is_row(L[i - 1]) || is_rule(L[i - 1]))))
			continue
		th = L[i] "\n"
		for (j = i + 1; j <= n && is_row(L[j]); j++) th = th L[j] "\n"
		if (j <= n) th = th L[j] "\n"
		lasthead = th
	}
	for (i = h; i <= n; i++)
		if (is_row(L[i]) && first_cell(L[i]) ~ /^[0-9]+$/)
			lastseq = first_cell(L[i]) + 0
	prevhead = head
	prevn = pn
	prevm = pm
}

END {
	if (page == 0) {
		print FILENAME ": empty"
		exit 1
	}
	if (prevn != prevm) {
		printf "%s: last page is %d of %d\n", FILENAME, prevn, prevm
		bad++
	}
	exit bad > 0 ? 1 : 0
}
