"""A suggestion through every path of its handling, and every step refused from a wrong state
with a clear message and nothing written."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from congress.models import Notice
from suggestions import services
from suggestions.models import Assignment, Feedback, Reply, Suggestion, SupervisionActivity, TrackingItem, add_months
from tests.factories import MemberFactory, UnitFactory, deputy_with_login, liaison_for
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def titles(user) -> list[str]:
    return list(Notice.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_a_suggestion_through_every_path_to_the_follow_up_review():
    lead = deputy_with_login(name="黄伟红")
    cosigner = deputy_with_login(name="梁远球")
    office = f.staff_user()
    wrong_unit, right_unit, co_unit = (UnitFactory(name=n) for n in ("县住房和城乡建设局", "县水利局", "县财政局"))
    wrong_liaison, liaison, co_liaison = (liaison_for(u) for u in (wrong_unit, right_unit, co_unit))

    # The deputy drafts with a co-signer; nothing is sent until submitted.
    suggestion = f.draft(lead, cosigners=[cosigner])
    assert suggestion.status == S.DRAFT and not Notice.objects.exists()
    services.submit_suggestion(suggestion, deputy=lead)
    suggestion.refresh_from_db()
    assert suggestion.status == S.COSIGNING and not suggestion.between_sessions
    assert titles(cosigner.user) == ["黄伟红邀请您附议一件建议"]

    # The co-signer confirms on their own phone: it reaches the office.
    services.respond_to_cosign(suggestion, deputy=cosigner, confirm=True)
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED and suggestion.submitted_at
    assert "新建议：关于尽快建设南冲电排站的建议" in titles(office)

    # Intake: accepted (立案), numbered 1 in the session.
    services.accept_suggestion(suggestion, by=office)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.number, suggestion.code) == (S.ACCEPTED, 1, "第1号")

    # Assigned to the wrong unit, which returns it within 10 days; the office reassigns.
    services.assign_suggestion(suggestion, lead_unit=wrong_unit, by=office)
    first = Assignment.objects.get(suggestion=suggestion, unit=wrong_unit)
    assert first.due_at == add_months(first.assigned_at, 3)
    assert first.return_due_at == first.assigned_at + timedelta(days=10)
    with time_machine.travel(first.assigned_at + timedelta(days=9)):
        services.return_assignment(first, reason="排涝设施建设属水利部门职责", by=wrong_liaison)
    suggestion.refresh_from_db()
    first.refresh_from_db()
    assert suggestion.status == S.RETURNED and first.status == Assignment.Status.RETURNED and first.due_at is None
    assert "县住房和城乡建设局退回了一件交办不当的建议" in titles(office)

    lead_row, co_row = services.assign_suggestion(suggestion, lead_unit=right_unit, co_units=[co_unit], by=office)
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED and (lead_row.round, co_row.round) == (2, 2)
    assert co_row.views_due_at == add_months(co_row.assigned_at, 1) and co_row.due_at is None

    # The units sign, the co-unit sends its views, the lead unit talks with the deputy.
    services.sign_for(lead_row, by=liaison)
    services.sign_for(co_row, by=co_liaison)
    services.send_views(co_row, text="县财政局将统筹安排电排站建设资金。", by=co_liaison)
    assert "县财政局已向主办单位提交会办意见" in titles(liaison)
    services.log_contact(
        lead_row, stage="before", way="visit", happened_on=timezone.localdate(), summary="登门听取代表意见", by=liaison
    )

    # Extended: the reply is due 6 months after assignment.
    services.request_extension(lead_row, reason="需编制可行性研究报告并申请专项资金", by=liaison)
    services.decide_extension(lead_row, approve=True, by=office)
    lead_row.refresh_from_db()
    assert lead_row.extension == Assignment.Extension.APPROVED
    assert lead_row.due_at == add_months(lead_row.assigned_at, 6)

    # Replied B (being solved), then A once solved; both deputies are told.
    b = services.reply_suggestion(
        lead_row, category="B", text="南冲电排站已列入明年水利建设计划。", letter=f.letter(), by=liaison
    )
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED and b.on_time
    assert "县水利局答复了您的建议（B）" in titles(cosigner.user)
    a = services.reply_suggestion(
        lead_row, category="A", text="南冲电排站已建成投入使用。", letter=f.letter(), by=liaison
    )
    assert Reply.objects.get(pk=b.pk).rate_remind_at is None  # overtaken: only the A reply waits for rating

    # Rated 不满意: back to the unit, due in 1 month.
    services.rate_reply(a, deputy=lead, rating="unsatisfied", comment="配套河道尚未疏浚，仍有水浸")
    suggestion.refresh_from_db()
    lead_row.refresh_from_db()
    assert suggestion.status == S.REHANDLING and suggestion.ever_unsatisfied
    assert abs(lead_row.due_at - add_months(Feedback.objects.get(reply=a).rated_at, 1)) < timedelta(seconds=1)
    assert titles(liaison)[-1] == "代表不满意：请重新办理“关于尽快建设南冲电排站的建议”"

    # Re-handled, rated 满意: completed.
    again = services.reply_suggestion(
        lead_row, category="A", text="南冲河道已全线疏浚，汛期未再水浸。", letter=f.letter(), by=liaison
    )
    assert again.is_rehandle
    services.rate_reply(again, deputy=lead, rating="satisfied", comment="")
    suggestion.refresh_from_db()
    assert suggestion.status == S.COMPLETED and suggestion.completed_at and suggestion.followup_due

    # 回头看: the follow-up review passes.
    review = services.review_suggestion(
        suggestion, passed=True, findings="现场查看，电排站运行正常", happened_on=timezone.localdate(), by=office
    )
    suggestion.refresh_from_db()
    assert review.kind == SupervisionActivity.Kind.FOLLOW_UP and review.passed
    assert suggestion.reviewed_at and not suggestion.followup_due


def test_declined_and_converted_to_a_letter_with_a_reason_the_deputy_sees():
    suggestion = f.submitted(title="关于调整本人工作岗位的建议")
    office = f.staff_user()
    services.decline_suggestion(suggestion, by=office, reason="属个人事项，已转有关部门作来信处理")
    suggestion.refresh_from_db()
    assert suggestion.status == S.DECLINED and suggestion.number is None
    assert suggestion.decline_reason == "属个人事项，已转有关部门作来信处理"
    assert titles(suggestion.lead_deputy.user) == ["您的建议未予立案，已转作来信处理"]
    with pytest.raises(services.SuggestionError, match="只有已立案或被退回的建议才能交办"):
        services.assign_suggestion(suggestion, lead_unit=UnitFactory(), by=office)


def test_numbers_per_session_during_and_between_sessions():
    office = f.staff_user()
    one, two = f.accepted(by=office), f.accepted(by=office, title="关于增设城关镇公交站点的建议")
    session = one.session
    session.starts_on = session.ends_on = timezone.localdate() - timedelta(days=30)
    session.save()
    recess = f.accepted(by=office, title="关于修缮石门乡中心小学校舍的建议")
    assert (one.code, two.code, recess.code) == ("第1号", "第2号", "闭会第1号")


def test_a_failed_follow_up_review_sends_it_back_and_a_key_suggestion_is_tracked():
    office = f.staff_user()
    suggestion, lead_row, liaison = f.assigned(by=office)
    leader = MemberFactory(position="vice_director")
    key = services.designate_key(
        suggestion, supervisor=leader, decided_on=timezone.localdate(), handler="副县长 陈志强", by=office
    )
    counts = {kind: key.tracking.filter(kind=kind).count() for kind in TrackingItem.Kind.values}
    assert counts == {"monthly": 12, "quarterly": 4, "half_year": 2, "yearly": 1}
    monthly = key.tracking.get(kind="monthly", period=1)
    services.record_tracking(monthly, text="已完成选址和初步设计", by=liaison)
    with pytest.raises(services.SuggestionError, match="由常委会记录"):
        services.record_tracking(key.tracking.get(kind="quarterly", period=1), text="检查", by=liaison)
    reply = services.reply_suggestion(lead_row, category="A", text="已建成。", letter=f.letter(), by=liaison)
    services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="basic")
    services.review_suggestion(
        suggestion, passed=False, findings="暗访发现泵站未通电", happened_on=timezone.localdate(), by=office
    )
    suggestion.refresh_from_db()
    assert suggestion.status == S.REHANDLING and suggestion.reviewed_at is None
    lead_row.refresh_from_db()
    assert lead_row.due_at is not None


def test_satisfied_with_a_b_reply_stays_open_until_solved():
    suggestion, lead_row, liaison = f.assigned()
    b = services.reply_suggestion(lead_row, category="B", text="已列入计划。", letter=f.letter(), by=liaison)
    services.rate_reply(b, deputy=suggestion.lead_deputy, rating="satisfied")
    suggestion.refresh_from_db()
    assert suggestion.status == S.IN_PROGRESS
    a = services.reply_suggestion(lead_row, category="A", text="已解决。", letter=f.letter(), by=liaison)
    services.rate_reply(a, deputy=suggestion.lead_deputy, rating="satisfied")
    suggestion.refresh_from_db()
    assert suggestion.status == S.COMPLETED


# --- refusals from a wrong state --------------------------------------------------------


def _refused(call, message):
    before = (Suggestion.objects.values_list("pk", "status").order_by("pk")[::1], Reply.objects.count())
    with pytest.raises(services.SuggestionError) as excinfo:
        call()
    assert message in str(excinfo.value)
    assert (Suggestion.objects.values_list("pk", "status").order_by("pk")[::1], Reply.objects.count()) == before


def test_wrong_states_are_refused_with_a_clear_message_and_nothing_written():
    office = f.staff_user()
    draft = f.draft()
    _refused(
        lambda: services.accept_suggestion(draft, by=office), "只有已提交的建议才能立案。（该建议当前状态：草稿。）"
    )
    _refused(lambda: services.decline_suggestion(draft, by=office, reason="重复"), "只有已提交的建议才能不予立案")
    _refused(lambda: services.decline_suggestion(draft, by=office, reason="  "), "请填写向代表说明的理由")
    _refused(
        lambda: services.assign_suggestion(draft, lead_unit=UnitFactory(), by=office),
        "只有已立案或被退回的建议才能交办",
    )

    submitted = f.submitted(title="关于增设城关镇公交站点的建议")
    _refused(lambda: services.submit_suggestion(submitted, deputy=submitted.lead_deputy), "只有草稿才能提交")
    other = deputy_with_login(name="刘淑珍")
    _refused(lambda: services.respond_to_cosign(submitted, deputy=other, confirm=True), "未邀请您附议该建议")

    suggestion, lead_row, liaison = f.assigned()
    stranger = liaison_for(UnitFactory(name="县民政局"))
    _refused(
        lambda: services.reply_suggestion(lead_row, category="A", text="x", letter=f.letter(), by=stranger),
        "该建议未交由贵单位办理",
    )
    _refused(lambda: services.decide_extension(lead_row, approve=True, by=office), "没有待审批的延期申请")
    _refused(
        lambda: services.reply_suggestion(lead_row, category="E", text="x", letter=f.letter(), by=liaison),
        "请选择答复类别：A、B、C或D",
    )
    _refused(
        lambda: services.reply_suggestion(lead_row, category="A", text="已解决", letter=None, by=liaison),
        "请上传加盖公章的答复函",
    )
    services.request_extension(lead_row, reason="情况复杂", by=liaison)
    _refused(lambda: services.request_extension(lead_row, reason="再次申请", by=liaison), "已申请过延期（已申请）")
    with time_machine.travel(lead_row.return_due_at + timedelta(minutes=1)):
        _refused(
            lambda: services.return_assignment(lead_row, reason="非本单位职责", by=liaison),
            "退回交办不当建议的期限已于",
        )

    reply = services.reply_suggestion(lead_row, category="A", text="已解决。", letter=f.letter(), by=liaison)
    _refused(
        lambda: services.reply_suggestion(lead_row, category="A", text="再答复", letter=f.letter(), by=liaison),
        "答复正等待代表评价",
    )
    _refused(lambda: services.return_assignment(lead_row, reason="非本单位职责", by=liaison), "建议答复后不能再退回")
    _refused(lambda: services.rate_reply(reply, deputy=other, rating="satisfied"), "答复由领衔代表评价")
    _refused(
        lambda: services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="unsatisfied"), "请说明不满意的原因"
    )
    _refused(
        lambda: services.review_suggestion(
            suggestion, passed=True, findings="现场查看", happened_on=timezone.localdate(), by=office
        ),
        "只有已办结的建议才进行“回头看”",
    )
    services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="satisfied")
    _refused(lambda: services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="basic"), "没有等待您评价的答复")
    _refused(
        lambda: services.review_suggestion(
            suggestion, passed=True, findings="现场查看", happened_on=timezone.localdate(), by=office
        ),
        "“回头看”针对重点建议和代表曾评价为不满意的建议",
    )
    _refused(
        lambda: services.record_activity(
            draft, kind="inspection", happened_on=timezone.localdate(), findings="督查", by=office
        ),
        "督办记录只适用于办理中或已办结的建议",
    )
    _refused(
        lambda: services.log_contact(
            lead_row,
            stage="after",
            way="phone",
            happened_on=timezone.localdate() + datetime.timedelta(days=1),
            summary="电话回访",
            by=liaison,
        ),
        "联系日期不能晚于今天",
    )


def test_a_cosigner_answers_once_and_the_lead_may_send_it_on_without_waiting():
    lead, one, two = (deputy_with_login(name=n) for n in ("陈志刚", "刘淑珍", "杨国强"))
    suggestion = f.draft(lead, cosigners=[one, two])
    services.submit_suggestion(suggestion, deputy=lead)
    services.respond_to_cosign(suggestion, deputy=one, confirm=False)
    _refused(lambda: services.respond_to_cosign(suggestion, deputy=one, confirm=True), "您已答复过该附议邀请")
    services.stop_waiting_for_cosigners(suggestion, deputy=lead)
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED
    assert list(suggestion.cosigners.values_list("deputy__name", "status")) == [("刘淑珍", "declined")]


def test_no_suggestion_without_an_open_session_and_the_lead_cannot_cosign():
    deputy = deputy_with_login()
    with pytest.raises(services.SuggestionError, match="常委会办公室尚未设置接收建议的大会会次"):
        services.save_draft(deputy, title="关于整治城区占道经营的建议", text="")
    f.current_session()
    with pytest.raises(services.SuggestionError, match="您是领衔代表，不能同时附议"):
        services.save_draft(deputy, title="关于整治城区占道经营的建议", text="", cosigners=[deputy])
    suggestion = services.save_draft(deputy, title="关于整治城区占道经营的建议", text="太短")
    with pytest.raises(services.SuggestionError, match="请说明情况和建议（至少20个字）"):
        services.submit_suggestion(suggestion, deputy=deputy)
    assert Suggestion.objects.get().status == S.DRAFT
