#!/bin/sh
# Golden tests: exact output bytes of the command line, in zh_CN.UTF-8 and
# (converted with iconv) in zh_CN.GB18030.
. "$CXZY_TESTDATA/lib.sh"

D="$T/demo"
golden demo 0 sh -c "cd '$T' && '$CXZY' demo demo"
golden help 0 "$CXZY" --help
golden kinds 0 "$CXZY" kinds
golden overview 0 sh -c "cd '$T' && '$CXZY' --data demo"
golden list-org 0 "$CXZY" --data "$D" list org
golden list-member 0 "$CXZY" --data "$D" list member
golden list-member-branch 0 "$CXZY" --data "$D" list member 所属党支部=办公室党支部
golden show-org 0 "$CXZY" --data "$D" show org 3
golden show-member 0 "$CXZY" --data "$D" show member 17
golden_gb help 0 "$CXZY" --help
golden_gb list-org 0 "$CXZY" --data "$D" list org
# Arguments typed in a GB18030 terminal arrive as GB18030 bytes.
gb() { printf '%s' "$1" | iconv -f UTF-8 -t GB18030; }
golden_gb list-member-branch 0 "$CXZY" --data "$D" list member "$(gb 所属党支部=办公室党支部)"
golden_gb show-member 0 "$CXZY" --data "$D" show member 17
golden_gb bad-date 1 "$CXZY" --data "$D" add member "$(gb 姓名=张三)" "$(gb 性别=男)" \
    "$(gb 出生年月=1980-01)" "$(gb 入党时间=2020-13-01)" "$(gb 所属党支部=2)"
golden add-member 0 "$CXZY" --data "$D" add 党员 name=王𠀾𠀾 gender=f birth=１９９５年１２月 \
    joined=２０２０年７月１日 branch_id=工程建设管理处党支部 group_id=工程二组党小组 \
    post=工程师 party_role=组织委员 "note=负责党建资料整理。
兼任团支部书记。"
golden show-added 0 "$CXZY" --data "$D" show member 67
golden bad-date 1 "$CXZY" --data "$D" add member 姓名=张三 性别=男 出生年月=1980-01 \
    入党时间=2020-13-01 所属党支部=2
golden bad-many 1 "$CXZY" --data "$D" add member 姓名=张三 性别=男 出生年月=1980-13 \
    入党时间=明天 所属党支部=2 党员类别=党员
golden check 0 "$CXZY" --data "$D" check

finish
