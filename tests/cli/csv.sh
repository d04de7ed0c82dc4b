#!/bin/sh
# Import from spreadsheets (import --csv): GB18030, UTF-8 with a BOM,
# headings by label, id and alias, refused rows as 文件:行号：问题 with
# the store unchanged, dry runs, unknown columns, unique values.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
"$CXZY" demo demo >/dev/null || exit 99

# A roster as Chinese Excel saves it: GB18030, CRLF, headings the
# program knows under other names (名字, 出生日期, 入党日期, 所在支部,
# 职务, 类别), dates in several forms, a quoted cell with a comma and a
# line break, an empty row.
cat >roster.txt <<'CSV'
名字,性别,出生日期,入党日期,所在支部,职务,党内职务,类别,备注
韩梅,女,1986-04-12,2012年7月1日,办公室党支部,一级主任科员,党员,正式党员,"调入，原单位：
市规划局"
李雷,男,1990.05,2019/06/30,指挥通信处党支部,科员,,预备党员,
,,,,,,,,
林𠀾生,男,198811,20150701,办公室党支部,"科长,兼管档案",组织委员,正式党员,"说""生僻字""的名字"
CSV
sed 's/$/\r/' roster.txt | iconv -f UTF-8 -t GB18030 >名册.csv || exit 99
if iconv -f UTF-8 -t UTF-8 名册.csv >/dev/null 2>&1; then
	echo "# the fixture should not be valid UTF-8"; exit 99
fi
cp -r demo demo-gb
# Arguments in a GB18030 locale are GB18030 too: ASCII ones there.
cp 名册.csv roster.csv

fp=$(fingerprint demo)
golden csv-dry 0 "$CXZY" --data demo import --csv 党员 名册.csv --dry-run
if [ "$(fingerprint demo)" = "$fp" ]; then pass "dry run: nothing written"; else fail "dry run: nothing written"; fi
golden_gb csv-dry 0 "$CXZY" --data demo import --csv member roster.csv --dry-run

golden csv-gb 0 "$CXZY" --data demo import --csv 党员 名册.csv
golden csv-gb-show 0 "$CXZY" --data demo show member 67
run 0 "$CXZY" --data demo show member 69 &&
    if grep -q "说\"生僻字\"的名字" "$T/out" && grep -q "科长,兼管档案" "$T/out"; then
	pass "quoted cells: doubled quotes and commas"
    else fail "quoted cells: doubled quotes and commas"; fi
expect "imported: 李雷 in the list" 0 "李雷" "$CXZY" --data demo list member 所属党支部=指挥通信处党支部
expect "check after the import" 0 "未发现问题" "$CXZY" --data demo check
# The same run in a GB18030 locale: the same records, messages in GB18030.
golden_gb csv-gb 0 "$CXZY" --data demo-gb import --csv member roster.csv

# UTF-8 with a BOM (WPS, "CSV UTF-8"), headings by label and by id.
printf '\357\273\277姓名,gender,出生年月,入党时间,所属党支部,党员类别\r\n周明,男,1979-02,2001-07-01,办公室党支部,正式党员\r\n' >bom.csv
golden csv-bom 0 "$CXZY" --data demo import --csv 党员 bom.csv --verbose

# Bad rows: every problem with its line, nothing written.
cat >bad.csv <<'CSV'
姓名,性别,出生年月,入党时间,所属党支部,党员类别
王五,男,1980-13,2005-07-01,办公室党支部,正式党员
赵六,男,1980-05,2005-07-01,不存在的党支部,正式党员
欧阳一二三四五六七八九十一二三四五六七八九十一,女,1980-05,2005-07-01,办公室党支部,正式党员
钱七,男女,1980-05,2005-07-01,办公室党支部,正式

孙八,男,1980-05,2005-07-01,办公室党支部,正式党员
周九,,1980-05,,办公室党支部,正式党员
CSV
fp=$(fingerprint demo)
golden csv-bad 1 "$CXZY" --data demo import --csv 党员 bad.csv
if [ "$(fingerprint demo)" = "$fp" ]; then pass "bad rows: nothing written"; else fail "bad rows: nothing written"; fi
golden csv-bad-dry 1 "$CXZY" --data demo import --csv 党员 bad.csv --dry-run

# Unknown columns: refused with the accepted headings, or skipped.
printf '姓名,性别,出生年月,入党时间,所属党支部,手机号码,学历\n吴刚,男,1970-01,1995-07-01,办公室党支部,13800000000,本科\n' >extra.csv
golden csv-unknown 1 "$CXZY" --data demo import --csv 党员 extra.csv
if [ "$(fingerprint demo)" = "$fp" ]; then pass "unknown columns: nothing written"; else fail "unknown columns: nothing written"; fi
golden csv-ignore 0 "$CXZY" --data demo import --csv 党员 extra.csv --ignore-unknown

# A unique value (党组织 名称) may not repeat, in the file or the store.
printf '名称,类型,上级组织\n新设党支部,党支部,演示市人防办机关党委\n新设党支部,党支部,演示市人防办机关党委\n办公室党支部,党支部,演示市人防办机关党委\n' >org.csv
fp=$(fingerprint demo)
golden csv-unique 1 "$CXZY" --data demo import --csv 党组织 org.csv
if [ "$(fingerprint demo)" = "$fp" ]; then pass "unique: nothing written"; else fail "unique: nothing written"; fi

# Files that are not usable at all.
printf '姓名\n"张三\n' >open.csv
expect "unclosed quote" 1 "open.csv：第 2 行：引号没有配对" "$CXZY" --data demo import --csv 党员 open.csv
printf '\377\376a\n' >badbytes.csv
expect "neither UTF-8 nor GB18030" 1 "既不是 UTF-8 也不是 GB18030" "$CXZY" --data demo import --csv 党员 badbytes.csv
printf '姓名,姓名\n张三,张三\n' >twice.csv
expect "a field in two columns" 1 "都是“姓名”，只能有一列" "$CXZY" --data demo import --csv 党员 twice.csv
printf '姓名,性别\n' >head.csv
expect "headings only" 1 "只有列名，没有要导入的数据" "$CXZY" --data demo import --csv 党员 head.csv
expect "unknown kind" 1 "没有“花名册”这种记录" "$CXZY" --data demo import --csv 花名册 head.csv
expect "missing file" 1 "nosuch.csv" "$CXZY" --data demo import --csv 党员 nosuch.csv
expect "--csv without a file" 2 "cxzy import --csv 种类 文件" "$CXZY" --data demo import --csv 党员
expect "--csv with --pending" 2 "不能和 --pending" "$CXZY" --data demo import --csv 党员 head.csv --pending
expect "--ignore-unknown needs --csv" 2 "cxzy import --csv 种类 文件" "$CXZY" --data demo import head.csv --ignore-unknown
expect "standard input" 0 "试运行，数据没有改动：将导入 1 条党员记录" sh -c "'$CXZY' --data demo import --csv 党员 - --dry-run <bom.csv"
if [ "$(fingerprint demo)" = "$fp" ]; then pass "refused files: nothing written"; else fail "refused files: nothing written"; fi

finish
