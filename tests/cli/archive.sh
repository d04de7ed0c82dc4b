#!/bin/sh
# Export and import: exact bytes of the demo's archive, moving it into new
# and existing data directories, conflicts, dry runs and damaged files.
. "$CXZY_TESTDATA/lib.sh"

cd "$T" || exit 99
"$CXZY" demo demo >/dev/null || exit 99
A=demo.cxa

golden export 0 "$CXZY" --data demo export "$A"
if [ "${CXZY_REGEN:-}" = 1 ]; then cp "$A" "$GOLDEN/export-demo.cxa"; fi
same_bytes "export: archive bytes" "$A" "$GOLDEN/export-demo.cxa"
run 0 "$CXZY" --data demo export - && same_bytes "export -: same bytes on stdout" "$T/out" "$A"
LC_ALL=zh_CN.GB18030 LANG=zh_CN.GB18030 run 0 "$CXZY" --data demo export - &&
    same_bytes "export - in GB18030: the archive stays UTF-8" "$T/out" "$A"
expect "export: refuses to overwrite" 1 "已经存在，没有覆盖" "$CXZY" --data demo export "$A"
same_bytes "export: refused file untouched" "$A" "$GOLDEN/export-demo.cxa"
expect "export --force overwrites" 0 "已把 882 条记录" "$CXZY" --data demo export "$A" --force
expect "export: unknown option" 2 "不认识的参数" "$CXZY" --data demo export "$A" --forse
if ls "$T" | grep -q tmp; then fail "export: no temporary file left"; else pass "export: no temporary file left"; fi

"$CXZY" --data demo list member >"$T/list-demo" || exit 99

# Into a directory that does not exist yet: a new one, everything added.
expect "import into a new directory" 0 "已导入：新增 882 条，更新 0 条，未变 0 条，冲突 0 条" \
    "$CXZY" --data new import "$A"
run 0 "$CXZY" --data new list member && same_bytes "new: member list identical" "$T/out" "$T/list-demo"
run 0 "$CXZY" --data new export - && same_bytes "new: exports the same bytes" "$T/out" "$A"
expect "re-import: all unchanged" 0 "已导入：新增 0 条，更新 0 条，未变 882 条，冲突 0 条" \
    "$CXZY" --data new import "$A"
expect "new: check clean" 0 "未发现问题" "$CXZY" --data new check

# Into a directory made by init: its own 机关党委 (another record, with
# another global id) holds id 1 and the name; the archive's is listed
# as a duplicate and nothing that needs it is imported.
CXZY_NOW="2026-11-20 08:00:00" "$CXZY" init fresh 演示市人防办机关党委 >/dev/null || exit 99
expect "import into an init directory: the 机关党委 entered twice" 4 \
    "冲突  党组织“演示市人防办机关党委”（编号 2）：和本机的另一条记录重复，没有导入，保留本机的：
    本机已有“名称”为“演示市人防办机关党委”的另一条记录（编号 1）。" \
    "$CXZY" --data fresh import "$A"
expect "init directory: records needing it are refused" 4 "拒绝" \
    "$CXZY" --data fresh import "$A" --dry-run

# The bin travels too.
CXZY_NOW="2026-11-27 11:00:00" "$CXZY" --data demo delete member 5 >/dev/null || exit 99
"$CXZY" --data demo export "$T/bin.cxa" >/dev/null || exit 99
expect "import: bin record moves to the bin" 0 "更新  回收站中的党员“徐堃”（编号 5）" \
    "$CXZY" --data new import --verbose "$T/bin.cxa"
expect "import: bin listed" 0 "徐堃" "$CXZY" --data new trash

# A record edited here after the archive was made: the archive's copy is
# its ancestor, so it is older, whatever the clocks say; nothing changes.
CXZY_NOW="2026-11-28 09:00:00" "$CXZY" --data new set member 17 职务/岗位=本机修改 >/dev/null || exit 99
fp=$(fingerprint new)
expect "older archive: listed as older" 0 \
    "较旧  党员“林𠀾”（编号 17）：本机已有更新的版本（导入文件里的是它以前的样子），保留本机的。" \
    "$CXZY" --data new import --verbose "$A"
if [ "$(fingerprint new)" = "$fp" ]; then pass "older: nothing changed"; else fail "older: nothing changed"; fi
expect "older: record kept" 0 "本机修改" "$CXZY" --data new show member 17

# A newer archive: dry run lists the update and writes nothing.
CXZY_NOW="2026-11-29 09:00:00" "$CXZY" --data demo set member 18 职务/岗位=源修改 >/dev/null || exit 99
"$CXZY" --data demo export "$T/newer.cxa" >/dev/null || exit 99
fp=$(fingerprint new)
export CXZY_NOW="2026-11-29 09:00:00"
expect "dry run: update shown" 0 "更新  党员“程一鸣”（编号 18）" \
    "$CXZY" --data new import "$T/newer.cxa" --dry-run --verbose
expect "dry run: summary" 0 "试运行，数据没有改动：新增 0 条，更新 1 条" \
    "$CXZY" --data new import --dry-run "$T/newer.cxa"
if [ "$(fingerprint new)" = "$fp" ]; then pass "dry run: nothing changed"; else fail "dry run: nothing changed"; fi
expect "import: update applied" 0 "已导入：新增 0 条，更新 1 条" \
    "$CXZY" --data new import "$T/newer.cxa"
expect "import: updated record" 0 "源修改" "$CXZY" --data new show member 18

# Damaged archives: a clear message, and nothing changes.
fp=$(fingerprint new)
head -n 500 "$A" >"$T/cut.cxa"
expect "truncated archive" 1 "cut.cxa:500: 文件不完整" "$CXZY" --data new import "$T/cut.cxa"
sed 's/^name=唐堃$/name=唐坤/' "$A" >"$T/edited.cxa"
expect "edited archive: checksum" 1 "的记录校验和不符" "$CXZY" --data new import "$T/edited.cxa"
sed '1s/2$/9/' "$A" >"$T/future.cxa"
expect "future format version" 1 "future.cxa:1: 导出文件的格式版本是 9" "$CXZY" --data new import "$T/future.cxa"
printf 'garbage\n' >"$T/junk.cxa"
expect "not an archive" 1 "junk.cxa:1: 这不是 cxzy 的导出文件" "$CXZY" --data new import "$T/junk.cxa"
if [ "$(fingerprint new)" = "$fp" ]; then pass "damaged archives: nothing changed"; else fail "damaged archives: nothing changed"; fi
# CRLF line ends (a copy through a Windows editor) still import.
sed 's/$/\r/' "$A" >"$T/crlf.cxa"
expect "CRLF archive imports" 0 "未变" "$CXZY" --data new import "$T/crlf.cxa" --dry-run
expect "import: missing file" 1 "nosuch.cxa" "$CXZY" --data new import "$T/nosuch.cxa"
expect "import: standard input" 0 "未变 879 条，冲突 0 条，较旧 3 条" sh -c "'$CXZY' --data new import - --dry-run <'$A'"

finish
