"""Findings that do not go away: deadlines from delivery, reminders that escalate in order and
go out once, plans and reports reviewed item by item, and the escalations."""

import datetime
import zoneinfo

import pytest
import time_machine

from congress.models import CommissionSeat, Meeting, Member, Notice, ReminderLog
from congress.services import accounts, reminders, voting
from evaluations import selectors
from evaluations.models import Campaign, InquiryMotion, Opinion, PlanEntry, Rectification, Submission, TermPlan
from evaluations.services import EvaluationError, investigation, meeting, planning
from evaluations.services import rectification as rect
from tests.concurrency import at_once
from tests.evaluations.factories import S, U, finish_investigation, vote, work_campaign_in_meeting
from tests.factories import CommissionFactory, MemberFactory, UnitFactory, liaison_for

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DELIVERY = datetime.datetime(2026, 10, 31, 10, 0, tzinfo=TZ)

FINDINGS = [
    ("城区学校大班额问题突出", "制定化解大班额三年计划", "2027年秋季学期前大班额比例降至5%以下"),
    ("校舍维修资金拨付滞后", "建立维修资金直拨机制", "资金到位时间不超过30天"),
    ("教师编制长期不足", "会同编办核增编制", ""),
]


def delivered(n_units=1, *, report_months=2):
    """A decided work evaluation whose first subject's opinions are delivered at DELIVERY, with a
    liaison, a liaison commission member and a responsible leader who have logins."""
    campaign, poll, voters = work_campaign_in_meeting(n_units=n_units, n_voters=2, report_months=report_months)
    vote(poll, voters, [[U] * n_units, [S] * n_units])
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    subject = campaign.subjects.order_by("sort_order").first()
    unit = subject.unit
    unit.liaison_commission = CommissionFactory(name="教育科学文化卫生委员会")
    leader = Member.objects.filter(position=Member.Position.VICE_DIRECTOR).first()
    accounts.ensure_deputy_user(leader.deputy)
    unit.liaison_leader = leader
    unit.save()
    chair = MemberFactory()
    accounts.ensure_deputy_user(chair.deputy)
    CommissionSeat.objects.create(commission=unit.liaison_commission, deputy=chair.deputy, role="chair")
    liaison = liaison_for(unit, username=f"liaison{unit.pk}")
    for finding, action, target in FINDINGS:
        rect.add_opinion(subject, finding=finding, action=action, target=target)
    rectification = Rectification.objects.get(subject=subject)
    rect.approve_opinions(rectification, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
    with time_machine.travel(DELIVERY, tick=False):
        rect.deliver_opinions(rectification)
    rectification.refresh_from_db()
    leader_user = Member.objects.get(pk=leader.pk).deputy.user
    chair_user = Member.objects.get(pk=chair.pk).deputy.user
    return rectification, liaison, leader_user, chair_user


def titles(user):
    """The rectification reminders a person has received (meeting reminders aside)."""
    notices = Notice.objects.filter(recipient=user, reminder__kind__startswith="evaluations.rectification")
    return sorted(notices.values_list("title", flat=True))


def plan_measures(rectification):
    return {o.pk: f"措施：{o.action}" for o in rectification.opinions.all()}


class TestDeadlines:
    def test_plan_and_report_deadlines_follow_delivery(self):
        rectification, *_ = delivered()
        assert rectification.delivered_at == DELIVERY
        assert rectification.plan_due_at == datetime.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
        assert rectification.report_due_at == datetime.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)
        assert {o.deadline for o in rectification.opinions.all()} == {datetime.date(2026, 12, 31)}

    def test_a_three_month_report_and_the_end_of_a_short_month(self):
        rectification, *_ = delivered(report_months=3)
        assert rectification.report_due_at.date() == datetime.date(2027, 1, 31)
        assert rect.add_months(datetime.datetime(2027, 1, 31, tzinfo=TZ), 1).date() == datetime.date(2027, 2, 28)

    def test_reminders_escalate_in_order_and_go_out_once(self):
        # A three-month report, so that the plan's month-late reminder comes before the report is due.
        rectification, liaison, leader, chair = delivered(report_months=3)
        plan_due = rectification.plan_due_at
        with time_machine.travel(plan_due - datetime.timedelta(days=8), tick=False):
            reminders.scan()
        assert titles(liaison) == []
        with time_machine.travel(plan_due - datetime.timedelta(days=6), tick=False):
            reminders.scan()
            reminders.scan()
        assert len(titles(liaison)) == 1 and "到期" in titles(liaison)[0]
        assert titles(chair) == [] and titles(leader) == []
        with time_machine.travel(plan_due + datetime.timedelta(hours=1), tick=False):
            reminders.scan()
            reminders.scan()
        assert len(titles(liaison)) == 2 and any("逾期" in t for t in titles(liaison))
        assert len(titles(chair)) == 1 and titles(leader) == []
        with time_machine.travel(plan_due + datetime.timedelta(days=31), tick=False):
            reminders.scan()
            reminders.scan()
        assert len(titles(leader)) == 1 and "逾期一个月" in titles(leader)[0]
        assert len(titles(liaison)) == 2 and len(titles(chair)) == 1
        kinds = set(ReminderLog.objects.filter(kind__startswith="evaluations.").values_list("kind", flat=True))
        assert kinds == {
            "evaluations.rectification.plan.soon",
            "evaluations.rectification.plan.late",
            "evaluations.rectification.plan.badly_late",
        }

    def test_a_plan_handed_in_stops_the_plan_reminders(self):
        rectification, liaison, *_ = delivered()
        with time_machine.travel(DELIVERY + datetime.timedelta(days=3), tick=False):
            rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification))
        with time_machine.travel(rectification.plan_due_at + datetime.timedelta(days=40), tick=False):
            reminders.scan()
        assert not ReminderLog.objects.filter(kind__startswith="evaluations.rectification.plan").exists()

    @pytest.mark.django_db(transaction=True)
    def test_two_scans_at_the_same_time_send_each_reminder_once(self, postgres_only):
        rectification, liaison, _leader, chair = delivered()
        at_once(lambda: reminders.scan(now=rectification.plan_due_at + datetime.timedelta(hours=1)), 3)
        assert len(titles(liaison)) == 1 and len(titles(chair)) == 1
        assert ReminderLog.objects.filter(kind="evaluations.rectification.plan.late").count() == 1


class TestReview:
    def test_a_returned_report_reopens_its_item_and_the_rest_close(self):
        rectification, liaison, *_ = delivered()
        plan = rect.submit_plan(
            rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification)
        )
        with pytest.raises(EvaluationError, match="已有一份同类材料正在审核"):
            rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification))
        rect.review_submission(plan, by=None)
        assert set(rectification.opinions.values_list("state", flat=True)) == {Opinion.State.PLANNED}
        first, second, third = rectification.opinions.all()
        report = rect.submit_report(
            rectification,
            by=liaison,
            signed_off_by="张卫国",
            progress={
                first.pk: {"text": "已新建教学楼一栋，大班额比例降至4%", "progress": 100},
                second.pk: {"text": "直拨机制已建立", "progress": 100},
                third.pk: {"text": "已与编办沟通", "progress": 40},
            },
        )
        rect.review_submission(report, by=None, returned={second.pk: "未提供资金拨付凭证"})
        states = dict(rectification.opinions.values_list("pk", "state"))
        assert states == {first.pk: "done", second.pk: "returned", third.pk: "planned"}
        report.refresh_from_db()
        assert report.status == Submission.Status.RETURNED
        assert report.items.get(opinion=second).comment == "未提供资金拨付凭证"
        rectification.refresh_from_db()
        assert rectification.status == Rectification.Status.DELIVERED
        # The reopened item and the unfinished one are reported again, and accepted: closed.
        again = rect.submit_report(
            rectification,
            by=liaison,
            signed_off_by="张卫国",
            progress={
                second.pk: {"text": "补充拨付凭证", "progress": 100},
                third.pk: {"text": "核增编制20名", "progress": 100},
            },
        )
        rect.review_submission(again, by=None)
        rectification.refresh_from_db()
        assert rectification.status == Rectification.Status.CLOSED

    def test_a_returned_or_late_item_cannot_be_marked_done_by_the_unit_alone(self):
        rectification, liaison, *_ = delivered()
        rect.review_submission(
            rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification)),
            by=None,
        )
        first, second, third = rectification.opinions.all()
        report = rect.submit_report(
            rectification,
            by=liaison,
            signed_off_by="张卫国",
            progress={o.pk: {"text": "推进中", "progress": 50} for o in (first, second, third)},
        )
        rect.review_submission(report, by=None, returned={first.pk: "进度说明不实"})
        with pytest.raises(EvaluationError, match="已被退回或已逾期"):
            rect.mark_done_by_unit(first, by=liaison)
        past_deadline = datetime.datetime(2027, 1, 5, 9, 0, tzinfo=TZ)  # the items were due on 31 Dec
        with time_machine.travel(past_deadline, tick=False), pytest.raises(EvaluationError, match="已被退回或已逾期"):
            rect.mark_done_by_unit(second, by=liaison)
        rect.mark_done_by_unit(third, by=liaison)  # on time and not returned: the unit may close it
        states = dict(rectification.opinions.values_list("pk", "state"))
        assert states == {first.pk: "returned", second.pk: "planned", third.pk: "done"}

    def test_another_units_liaison_cannot_submit(self):
        rectification, _liaison, *_ = delivered()
        stranger = liaison_for(username="liaison-other")
        with pytest.raises(EvaluationError, match="只有本单位联络员"):
            rect.submit_plan(rectification, by=stranger, signed_off_by="李四", measures=plan_measures(rectification))
        assert not Submission.objects.exists()

    def test_a_plan_needs_every_item_and_the_heads_signature(self):
        rectification, liaison, *_ = delivered()
        measures = plan_measures(rectification)
        with pytest.raises(EvaluationError, match="须经单位主要负责人签字"):
            rect.submit_plan(rectification, by=liaison, signed_off_by=" ", measures=measures)
        measures.pop(next(iter(measures)))
        with pytest.raises(EvaluationError, match="请说明第1项"):
            rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=measures)
        assert not Submission.objects.exists()


class TestEscalation:
    def test_an_inquiry_motion_needs_three_cosigners(self):
        rectification, *_ = delivered()
        members = [MemberFactory() for _ in range(3)]
        kwargs = {
            "unit": rectification.unit,
            "title": "关于县教育局整改不力的质询案",
            "questions": "一、大班额问题为何两年未解决？",
        }
        with pytest.raises(EvaluationError, match="至少需要3名常委会组成人员联名"):
            rect.file_inquiry_motion(cosigners=members[:2], **kwargs)
        assert not InquiryMotion.objects.exists()
        motion = rect.file_inquiry_motion(cosigners=members, **kwargs)
        assert motion.cosigners.count() == 3
        with pytest.raises(EvaluationError, match="主任会议须先决定"):
            rect.record_inquiry_answer(motion, answer="答复")
        rect.decide_inquiry_motion(motion, mode="oral", meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
        rect.record_inquiry_answer(motion, answer="县教育局局长在常委会会议上作了口头答复。")
        motion.refresh_from_db()
        assert (motion.status, motion.mode) == ("answered", "oral")

    def test_an_interview_is_recorded_with_the_head_summoned(self):
        rectification, *_ = delivered()
        interview = rect.record_interview(
            rectification,
            held_on=datetime.date(2027, 1, 10),
            reason="整改不力",
            record="约谈记录：限期一个月整改到位。",
        )
        assert interview.official == rectification.unit.officials.filter(is_head=True).first()
        assert interview.led_by == rectification.leader

    def test_a_subject_failing_twice_running_is_flagged(self):
        rectification, *_ = delivered(n_units=2)  # both units fail: one 满意, one 不满意 each
        campaign = rectification.subject.campaign
        assert selectors.failed_twice(campaign) == []  # a first failure lists it for next year only
        plan = TermPlan.objects.get(term=campaign.term)
        PlanEntry.objects.create(plan=plan, unit=UnitFactory(name="县统计局"), year=campaign.year + 1)
        following = planning.create_campaign(year=campaign.year + 1, kind="work", term=campaign.term)
        subjects = investigation.take_planned_units(following)
        assert [s.carried_over for s in subjects] == [False, True, True]
        finish_investigation(following, Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
        Campaign.objects.filter(pk=following.pk).update(electorate="attendees")
        following.refresh_from_db()
        poll = meeting.start_meeting(following, campaign.meeting)
        voting.open_poll(poll)
        voters = [a.deputy for a in campaign.meeting.attendance.select_related("deputy")]
        vote(poll, voters, [[S, U, S], [S, U, S]])  # the first carried unit fails again
        voting.close_poll(poll)
        meeting.decide_results(following)
        assert selectors.failed_twice(following) == [subjects[1]]


class TestReevaluation:
    def test_the_rectification_is_scored_again(self):
        rectification, *_ = delivered(n_units=2)
        campaign = rectification.subject.campaign
        with pytest.raises(EvaluationError, match="没有需要确定结果的再测评"):
            meeting.decide_reevaluation(campaign)
        poll = meeting.start_reevaluation(campaign, campaign.meeting)
        assert [i.label for i in poll.items.all()] == [rectification.subject.label]  # only delivered ones
        with pytest.raises(EvaluationError, match="再测评票已经生成"):
            meeting.start_reevaluation(campaign, campaign.meeting)
        voting.open_poll(poll)
        voters = [a.deputy for a in campaign.meeting.attendance.select_related("deputy")]
        vote(poll, voters, [[S], [S]])
        with pytest.raises(EvaluationError, match="请先关闭并计票"):
            meeting.decide_reevaluation(campaign)
        voting.close_poll(poll)
        (result,) = meeting.decide_reevaluation(campaign)
        assert (result.round, result.verdict, result.subject) == ("reevaluation", "pass", rectification.subject)
        first = rectification.subject.results.get(round="evaluation")
        assert first.verdict == "fail"  # the first verdict stands; the re-evaluation is its own round


class TestRemindersAtScale:
    def test_a_batch_of_rectification_reminders_costs_the_same_queries_for_1_or_7_units(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        rectification, liaison, leader, chair = delivered()
        late = rectification.plan_due_at + datetime.timedelta(hours=1)

        def scan_queries(now):
            with CaptureQueriesContext(connection) as captured:
                reminders.scan(now=now)
            return len(captured)

        reminders.scan(now=DELIVERY)  # nothing due yet: the content types are known
        one = scan_queries(late)
        assert len(titles(liaison)) == 1
        ReminderLog.objects.all().delete()
        Notice.objects.all().delete()
        for n in range(6):  # six more units, each with its liaison, late with the same plan
            unit = UnitFactory(name=f"县第{n}局", liaison_commission=rectification.unit.liaison_commission)
            liaison_for(unit, username=f"more{n}")
            Rectification.objects.create(
                title=f"县第{n}局整改",
                unit=unit,
                commission=rectification.commission,
                leader=rectification.leader,
                status=Rectification.Status.DELIVERED,
                delivered_at=rectification.delivered_at,
                plan_due_at=rectification.plan_due_at,
                report_due_at=rectification.report_due_at,
            )
        seven = scan_queries(late)
        assert seven == one
        assert Notice.objects.filter(title__contains="县第5局").exists()  # the message names the unit

    def test_a_source_reads_only_what_can_still_be_due(self):
        rectification, liaison, leader, chair = delivered()
        # Long after every deadline and its window, nothing of this rectification is read or sent.
        reminders.scan(now=rectification.report_due_at + reminders.HORIZON + datetime.timedelta(days=31))
        assert ReminderLog.objects.filter(kind__startswith="evaluations.").count() == 0
        for source in reminders.sources():
            sql = str(source.pending(DELIVERY).query)
            assert sql.count(f'"{source.due_field}" >') == 1 or sql.count(f'."{source.due_field}" >') == 1
