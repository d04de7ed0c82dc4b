#!/bin/sh
# The annexes from the command line: list, show and add for every kind,
# bad input per kind (Chinese message, exit status 1, nothing stored),
# stored rows becoming records, the 工作台 (todo), the period lock,
# history of a signed record and the new cycle.
. "$CXZY_TESTDATA/lib.sh"

D="$T/d"
x() { "$CXZY" --data "$D" "$@"; }

# A small office: two 党支部 (the first with one 党小组) and four members.
setup_ok=true
x init "$D" 测试机关党委 >/dev/null || setup_ok=false
x add org name=一支部 type=branch parent_id=1 >/dev/null || setup_ok=false
x add org name=二支部 type=branch parent_id=1 >/dev/null || setup_ok=false
x add org name=一支部第一党小组 type=group parent_id=一支部 >/dev/null || setup_ok=false
x add member name=张三 gender=m birth=1975-03 joined=2000-07-01 branch_id=一支部 \
    group_id=一支部第一党小组 party_role=secretary post=处长 >/dev/null || setup_ok=false
x add member name=李四 gender=f birth=1985-05 joined=2010-07-01 branch_id=一支部 \
    group_id=一支部第一党小组 post=科员 >/dev/null || setup_ok=false
x add member name=王五 gender=m birth=1990-01 joined=2015-07-01 branch_id=二支部 \
    party_role=secretary post=副处长 >/dev/null || setup_ok=false
x add member name=赵六 gender=m birth=1970-12 joined=1995-07-01 branch_id=二支部 \
    post=调研员 >/dev/null || setup_ok=false
if $setup_ok; then pass "setup: orgs and members"; else fail "setup"; finish; fi

unchanged() {
	if [ "$(fingerprint "$D")" = "$before" ]; then
		pass "$1: nothing stored"
	else
		fail "$1: nothing stored"
	fi
}

# bad NAME 'MESSAGE' ARGS...: a refused command, exit status 1, the
# message on stderr, the data unchanged.
bad() {
	name=$1 text=$2
	shift 2
	before=$(fingerprint "$D")
	expect "$name" 1 "$text" x "$@"
	unchanged "$name"
}

# The 工作台 before anything is entered.
golden annex-todo-empty 0 x todo

# ------------------------------------------------------------ 附件一
golden annex-add-branch-pledge 0 x add branch_pledge period=2026H2 branch_id=一支部 \
    signed_on=2026-07-10 \
    items.1.kind=服务承诺 items.1.content=为群众办理证件提供上门服务 \
    items.1.target=全年上门20次 items.1.measures=每月排班 \
    items.1.responsible_id=张三 items.1.due_date=2026-09-30 \
    items.2.kind=实事承诺 items.2.content=维修活动室 \
    items.2.target=12月底前完工 items.2.measures=申请经费，组织施工 \
    items.2.responsible_id=李四 items.2.due_date=2026-12-31
golden annex-show-branch-pledge 0 x show branch_pledge 1
golden_gb annex-show-branch-pledge 0 x show branch_pledge 1
golden annex-list-branch-pledge 0 x list branch_pledge
bad "附件一 needs a 服务承诺" "承诺事项中至少要有 1 条「服务承诺」。" \
    add 附件一 branch_id=二支部 items.1.kind=fact items.1.content=修路 \
    items.1.target=一条 items.1.measures=施工 items.1.responsible_id=王五 \
    items.1.due_date=2026-12-01
bad "附件一 item outside the period" "完成时限必须在承诺周期之内" \
    add 附件一 branch_id=二支部 items.1.kind=service items.1.content=值班 \
    items.1.target=全年 items.1.measures=排班 items.1.responsible_id=王五 \
    items.1.due_date=2027-03-01 items.2.kind=fact items.2.content=修路 \
    items.2.target=一条 items.2.measures=施工 items.2.responsible_id=王五 \
    items.2.due_date=2026-12-01
bad "附件一 without items" "承诺事项" add 党支部公开承诺书 branch_id=二支部

# ------------------------------------------------------------ 附件二
golden annex-add-member-pledge 0 x add member_pledge member_id=李四 signed_on=2026-07-12 \
    items.1.kind=service items.1.content=每周整理一次党建档案 \
    items.1.target=档案齐全 items.1.measures=每周五下午整理 items.1.due_date=2026-08-31
golden annex-show-member-pledge 0 x show member_pledge 1
golden annex-list-member-pledge 0 x list member_pledge
bad "附件二 signed after its period" "承诺人签名日期不能晚于承诺周期的结束日期。" \
    add 附件二 member_id=赵六 period=2026H1 signed_on=2026-07-12 \
    items.1.kind=service items.1.content=值班 items.1.target=全年 \
    items.1.measures=排班 items.1.due_date=2026-06-30
bad "附件二 oral without a reason" "口头承诺原因：承诺形式为“口头”时必须填写。" \
    add 附件二 member_id=赵六 form=oral \
    items.1.kind=service items.1.content=值班 items.1.target=全年 \
    items.1.measures=排班 items.1.due_date=2026-12-30

# ------------------------------------------------------------ 附件三
golden annex-list-pledge-ledger 0 x list pledge_ledger
expect "附件三 item 3 belongs to 李四's 附件二" 0 "承诺人：" x show pledge_ledger 3
grep -q "承诺人： *李四" "$T/out" && pass "附件三 member from the pledge" || fail "附件三 member from the pledge"
grep -q "逾期： *逾期" "$T/out" && pass "附件三 shows the computed 逾期" || fail "附件三 逾期 shown"
bad "附件三 done without a date" "完成日期：完成情况为“已完成”时必须填写。" set pledge_ledger 1 status=done
bad "附件三 finished in the future" "完成日期不能晚于今天。" \
    set pledge_ledger 1 status=done completed_on=2026-12-01
golden annex-set-pledge-ledger 0 x set pledge_ledger 1 status=done completed_on=2026-09-28 \
    progress.1.date=2026-08-01 progress.1.text=完成12次上门服务
golden annex-show-pledge-ledger 0 x show pledge_ledger 1

# ------------------------------------------------------------ 附件四
golden annex-add-leader-review 0 x add leader_review branch_id=一支部 \
    reviewer_name=刘主任 reviewer_title=办党组成员 review_date=2026-11-20 \
    review_mode=集中点评 org_strengths=承诺事项落实较好 org_problems=学习不够系统 \
    org_directions=加强学习 sec_strengths=带头作用明显 sec_problems=调研不够 \
    sec_directions=多深入基层 votes_s=8 votes_fs=2 votes_bs=1 votes_ns=1 \
    filled_by=王秘书 filled_on=2026-11-21 \
    rectify.1.issue=学习不够系统 rectify.1.measures=制定学习计划 \
    rectify.1.responsible_id=张三 rectify.1.deadline=2026-12-31
golden annex-show-leader-review 0 x show leader_review 1
golden annex-list-leader-review 0 x list leader_review
bad "附件四 outside its period" "点评时间必须在所选周期之内。" \
    add leader_review branch_id=二支部 reviewer_name=刘主任 reviewer_title=办党组成员 \
    review_date=2026-05-20 review_mode=central org_strengths=好 org_problems=无 \
    org_directions=继续 sec_strengths=好 sec_problems=无 sec_directions=继续 \
    filled_by=王秘书 filled_on=2026-11-21

# ------------------------------------------------------------ 附件五
golden annex-add-secretary-review 0 x add secretary_review member_id=李四 reviewer_id=张三 \
    review_date=2026-11-15 review_mode=single occasion=一对一 self_eval=完成了承诺 \
    strengths=工作认真 problems=经验不足 directions=多向老同志学习 \
    reviewer_sign_on=2026-11-15 member_sign_on=2026-11-16
golden annex-show-secretary-review 0 x show secretary_review 1
golden annex-list-secretary-review 0 x list secretary_review
bad "附件五 reviewing oneself" "点评人不能是被点评党员本人。" \
    add secretary_review member_id=张三 reviewer_id=张三 review_date=2026-11-15 \
    review_mode=single self_eval=完成 strengths=好 problems=无 directions=继续 \
    reviewer_sign_on=2026-11-15

# ------------------------------------------------------------ 附件六
me_rows="org_rows.1.item=o1 org_rows.1.n_s=8 org_rows.1.n_fs=2 org_rows.1.n_bs=1
org_rows.2.item=o2 org_rows.2.n_s=5 org_rows.2.n_fs=3 org_rows.2.n_bs=1 org_rows.2.n_ns=2
org_rows.3.item=o3 org_rows.3.n_s=9 org_rows.3.n_fs=1
org_rows.4.item=o4 org_rows.4.n_s=7 org_rows.4.n_fs=2 org_rows.4.n_ns=1
org_rows.5.item=o5 org_rows.5.n_s=10"
# shellcheck disable=SC2086
golden annex-add-mass-eval 0 x add mass_eval branch_id=二支部 eval_date=2026-11-10 \
    eval_method=会议测评 participants_party=2 participants_mass=10 issued=12 \
    returned=12 valid=11 suggestions_count=3 issues_count=1 filled_by=赵六 \
    filled_on=2026-11-11 $me_rows \
    member_rows.1.member_id=王五 member_rows.1.n_s=9 member_rows.1.n_fs=2 \
    rectify.1.issue=承诺践诺情况满意率偏低 rectify.1.deadline=2026-12-20
golden annex-show-mass-eval 0 x show mass_eval 1
golden annex-list-mass-eval 0 x list mass_eval
# shellcheck disable=SC2086
bad "附件六 more valid votes than returned" "有效票数不能多于收回票数。" \
    add mass_eval branch_id=一支部 eval_date=2026-11-10 eval_method=meeting \
    participants_party=2 participants_mass=10 issued=12 returned=10 valid=11 \
    suggestions_count=0 issues_count=0 filled_by=张三 $me_rows
bad "附件六 row votes over valid" "四个等次的票数之和不能多于有效票数。" \
    add mass_eval branch_id=一支部 eval_date=2026-11-10 eval_method=meeting \
    participants_party=2 participants_mass=10 issued=12 returned=12 valid=5 \
    suggestions_count=0 issues_count=0 filled_by=张三 \
    org_rows.1.item=o1 org_rows.1.n_s=6 org_rows.2.item=o2 org_rows.3.item=o3 \
    org_rows.4.item=o4 org_rows.5.item=o5

# ------------------------------------------------------------ 整改
golden annex-add-rectification-notice 0 x add rectification_notice notice_no=2026-01 \
    branch_id=二支部 inspected_on=2026-09-01 inspection_type=定期检查 \
    situation=检查了三会一课记录 issues.1.issue=三会一课记录不全 \
    issues.2.issue=党费收缴台账未及时更新 requirements=限期补齐 \
    deadline=2026-10-31 issued_on=2026-09-02 issuer=机关党委
golden annex-show-rectification-notice 0 x show rectification_notice 1
golden annex-list-rectification-notice 0 x list rectification_notice
bad "整改通知书 deadline before issue" "整改期限必须晚于签发日期。" \
    add rectification_notice notice_no=2026-02 branch_id=一支部 inspected_on=2026-09-01 \
    inspection_type=spot situation=抽查 issues.1.issue=问题 requirements=整改 \
    deadline=2026-09-01 issued_on=2026-09-02 issuer=机关党委
bad "整改通知书 number used twice" "2026-01" \
    add rectification_notice notice_no=2026-01 branch_id=一支部 inspected_on=2026-09-01 \
    inspection_type=spot situation=抽查 issues.1.issue=问题 requirements=整改 \
    deadline=2026-10-01 issued_on=2026-09-02 issuer=机关党委
# The notice's issues are 整改台账 records with its deadline and branch.
golden annex-list-rectification 0 x list rectification
golden annex-add-rectification 0 x add rectification source=自查 branch_id=一支部 \
    issue=会议记录字迹潦草 deadline=2026-12-15
golden annex-show-rectification 0 x show rectification 5
bad "整改 closed without evidence" "佐证材料：状态为“已销号”时必须填写。" \
    set rectification 5 status=closed
bad "整改 closed in the future" "销号日期不能晚于今天。" \
    set rectification 5 status=closed measures=重新誊写 responsible_id=张三 \
    evidence=新记录本 verifier=刘主任 closed_on=2026-12-01
golden annex-set-rectification 0 x set rectification 5 status=closed measures=重新誊写 \
    responsible_id=张三 evidence=新记录本 verifier=刘主任 closed_on=2026-11-20

# ------------------------------------------------------------ 三会一课
if x kinds | grep -q '^meeting '; then
	golden annex-add-meeting 0 x add meeting branch_id=一支部 meeting_type=党课 \
	    title=学习党章 lecturer=张三 lecture_title=学习党章 date=2026-09-10 \
	    start_time=09:00 end_time=10:30 location=会议室 host_id=张三 \
	    recorder_id=李四 agenda=学习党章 minutes=张三同志讲授党课。 \
	    attendees.1.member_id=张三 attendees.2.member_id=李四
	golden annex-show-meeting 0 x show meeting 1
	golden annex-list-meeting 0 x list meeting
	bad "meeting ends before it starts" "结束时间必须晚于开始时间。" \
	    add meeting branch_id=一支部 meeting_type=committee title=支委会 \
	    date=2026-09-11 start_time=10:00 end_time=09:00 location=会议室 \
	    host_id=张三 recorder_id=李四 agenda=研究工作 minutes=研究了工作。 \
	    attendees.1.member_id=张三
	bad "a 党小组会 needs its 党小组" "党小组：会议类型为“党小组会”时必须填写。" \
	    add meeting branch_id=一支部 meeting_type=group title=小组学习 \
	    date=2026-09-12 start_time=09:00 end_time=10:00 location=会议室 \
	    host_id=张三 recorder_id=李四 agenda=学习 minutes=学习了文件。 \
	    attendees.1.member_id=张三 attendees.2.member_id=李四
else
	echo "# skip: no meeting form yet"
fi

# ------------------------------------------------------------ 工作台
golden annex-todo 0 x todo
golden_gb annex-todo 0 x todo
# Fixing one item: the overdue 附件二 item of 李四 is done.
x set pledge_ledger 3 status=done completed_on=2026-08-30 >/dev/null &&
    pass "附件二 item finished" || fail "附件二 item finished"
golden annex-todo-fixed 0 x todo
expect "todo of another period" 0 "工作台：2026年上半年（2026H1），备案截止 2026年7月15日，已超过 135 天" \
    x todo --period 2026H1
expect "todo: a bad period" 2 "不是有效的周期" x todo --period 2026H3
expect "todo: usage" 2 "用法：cxzy todo [--period 2026H2]" x todo 2026H2

# ------------------------------------------------------------ recycle bin
expect "delete a 附件二" 0 "已把党员公开承诺书（附件二）“李四”（编号 1）移入回收站" \
    x delete member_pledge 1
expect "its item went along" 0 "回收站共 2 条" x trash
expect "the item is gone from 附件三" 0 "共 2 条" x list pledge_ledger
expect "restore brings the item back" 0 "已从回收站恢复党员公开承诺书（附件二）“李四”（编号 1）和它的 1 行记录。" \
    x restore member_pledge 1
expect "the recycle bin is empty" 0 "回收站共 0 条" x trash
expect "the item is back in 附件三" 0 "共 3 条" x list pledge_ledger

# ------------------------------------------------------------ lock
golden annex-period 0 x period
golden annex-lock 0 x lock 2026H2
bad "a locked period refuses a change" "2026年下半年已经备案锁定，只能修改" \
    set pledge_ledger 2 status=doing
bad "a locked period refuses a deletion" "2026年下半年已经备案锁定，不能删除其中的记录。如需修改，请先解除锁定：全屏程序中选“数据维护 → 解除锁定”，命令行用“cxzy unlock 2026H2”。" \
    delete member_pledge 1
bad "a locked period refuses a new record" "2026年下半年已经备案锁定，不能再新增记录" \
    add secretary_review member_id=张三 \
    reviewer_id=王五 review_date=2026-11-15 review_mode=single self_eval=完成 \
    strengths=好 problems=无 directions=继续 reviewer_sign_on=2026-11-15
expect "a locked period takes annotations" 0 "已修改" \
    x set pledge_ledger 2 assessment=进展顺利
expect "annotation stored" 0 "进展顺利" x show pledge_ledger 2
golden annex-period-locked 0 x period
golden annex-unlock 0 x unlock 2026H2
expect "unlocked: changes again" 0 "已修改" x set pledge_ledger 2 status=doing
# Restore honours the lock too; it brings the rows back in one go.
x delete member_pledge 1 >/dev/null && x lock 2026H2 >/dev/null &&
    pass "delete, then lock" || fail "delete, then lock"
bad "a locked period refuses a restore" "2026年下半年已经备案锁定，不能把记录恢复到这个周期。如需修改，请先解除锁定：全屏程序中选“数据维护 → 解除锁定”，命令行用“cxzy unlock 2026H2”。" \
    restore member_pledge 1
x unlock 2026H2 >/dev/null && pass "unlock again" || fail "unlock again"
expect "restore after unlocking" 0 "已从回收站恢复党员公开承诺书（附件二）“李四”（编号 1）和它的 1 行记录。" \
    x restore member_pledge 1
expect "restore: not in the bin" 1 "回收站里没有编号为 1 的党员公开承诺书（附件二）记录（可能已经恢复）。" \
    x restore member_pledge 1

# ------------------------------------------------------------ history
golden annex-history-none 0 x history member_pledge 1
x set branch_pledge 1 preamble=修改后的承诺总述 >/dev/null &&
    pass "edit a signed 附件一" || fail "edit a signed 附件一"
golden annex-history 0 x history branch_pledge 1
expect "the old version keeps the old text" 0 "为深入开展创先争优活动" \
    x show branch_pledge 1 --version 1
expect "the current version has the new text" 0 "修改后的承诺总述" \
    x show branch_pledge 1
expect "no such version" 1 "没有第 5 版" x show branch_pledge 1 --version 5
expect "show: a bad version" 2 "不是有效的版本号" x show branch_pledge 1 --version x

# ------------------------------------------------------------ cycle
golden annex-cycle 0 x cycle
expect "the new period is current" 0 "当前周期：2027年上半年（2027H1）" x period
expect "carried items are listed in the new period" 0 "共 1 条（全部 3 条）" \
    x list pledge_ledger current_period=2027H1
expect "carried rectification items too, not the closed one" 0 "共 4 条（全部 5 条）" \
    x list rectification current_period=2027H1
expect "period can be set back" 0 "当前周期已设为 2026年下半年（2026H2）" x period 2026H2
expect "period: a bad value" 2 "不是有效的周期" x period 明年

# ------------------------------------------------------------ 直属党小组
# A 直属党小组 holds its 党小组会 as itself: every member whose 所属党支部
# it is is expected.
x add org name=离退休直属党小组 type=direct_group parent_id=1 >/dev/null &&
    x add member name=钱七 gender=m birth=1950-01 joined=1975-07-01 \
    branch_id=离退休直属党小组 party_role=secretary >/dev/null &&
    x add member name=孙八 gender=f birth=1952-02 joined=1978-07-01 \
    branch_id=离退休直属党小组 >/dev/null &&
    pass "a direct group with two members" || fail "a direct group with two members"
expect "a direct group records a 党小组会" 0 "已添加" \
    x add meeting branch_id=离退休直属党小组 meeting_type=党小组会 \
    group_id=离退休直属党小组 title=学习交流 date=2026-11-12 start_time=09:00 \
    end_time=10:00 location=老干部活动室 host_id=钱七 recorder_id=孙八 \
    agenda=学习 minutes=学习了文件。 attendees.1.member_id=钱七 \
    attendees.2.member_id=孙八
expect "its expected count is its members" 0 "应到人数：      2" \
    x show meeting 2

finish
