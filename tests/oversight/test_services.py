"""Year-round supervision: a unit's year (commitments, a monthly visit missed and reminded once,
a quarterly inquiry, a half-year report, the year-end evaluation showing all of it), deliberation
opinions tracked through the evaluations' one rectification mechanism, and bad input refused
with nothing written."""

import datetime
import zoneinfo

import pytest
import time_machine

from congress.models import Notice, ReminderLog
from congress.services import reminders
from evaluations import selectors as evaluation_selectors
from evaluations.models import Opinion, Rectification, Submission
from evaluations.services import rectification as rect
from oversight import selectors, services
from oversight.models import Activity, Commitment, CommitmentUpdate, Deliberation
from oversight.services import OversightError
from tests.concurrency import at_once
from tests.factories import DeputyFactory, UnitFactory, liaison_for
from tests.oversight.builders import directors_meeting, paired_unit, standing_session

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2027


def at(month, day, hour=10):
    return time_machine.travel(datetime.datetime(YEAR, month, day, hour, 0, tzinfo=TZ), tick=False)


def overdue_titles(user):
    return list(
        Notice.objects.filter(recipient=user, reminder__kind="oversight.activity.overdue").values_list(
            "title", flat=True
        )
    )


def refused(call, message):
    with pytest.raises(OversightError) as caught:
        call()
    assert message in str(caught.value)


class TestAUnitsYear:
    def test_the_whole_year_and_the_year_end_evaluation_shows_it(self):
        p = paired_unit()
        with at(1, 5):
            planned = services.plan_year(p.unit, year=YEAR, by=p.staff)
            assert services.plan_year(p.unit, year=YEAR) == []  # planning again adds nothing
            school = services.add_commitment(
                p.unit,
                year=YEAR,
                kind=Commitment.Kind.LIVELIHOOD,
                title="农村饮水安全巩固提升",
                target="新增受益人口2.3万人",
                due_on=datetime.date(YEAR, 10, 31),
                by=p.staff,
            )
            dike = services.add_commitment(
                p.unit,
                year=YEAR,
                kind=Commitment.Kind.KEY_PROJECT,
                title="清河堤防加固工程",
                due_on=datetime.date(YEAR, 5, 31),
            )
        kinds = [a.kind for a in planned]
        assert (kinds.count("visit"), kinds.count("inquiry"), kinds.count("report"), kinds.count("evaluation")) == (
            12,
            4,
            2,
            1,
        )
        january_visit = Activity.objects.get(unit=p.unit, kind="visit", planned_on=datetime.date(YEAR, 1, 15))
        assert january_visit.commission == p.unit.liaison_commission and january_visit.leader == p.leader_member

        # January's visit is missed: the day after, the commission and the leader are reminded, once.
        with at(1, 15, 20):
            reminders.scan()
        assert overdue_titles(p.chair) == []  # still the planned day
        with at(1, 16, 9):
            reminders.scan()
            reminders.scan()
        assert len(overdue_titles(p.chair)) == 1 and len(overdue_titles(p.leader)) == 1
        assert "未记录" in overdue_titles(p.chair)[0] and "-01-15" in overdue_titles(p.chair)[0]
        assert len(overdue_titles(p.staff)) == 1 and overdue_titles(p.liaison) == []
        with at(1, 20):
            reminders.scan()
        assert ReminderLog.objects.filter(kind="oversight.activity.overdue").count() == 1

        # February's visit and the first quarter's inquiry are held and recorded.
        deputy = DeputyFactory(name="王秀英")
        with at(2, 21):
            for kind, day in (("visit", 15), ("inquiry", 20)):
                services.record_activity(
                    Activity.objects.get(unit=p.unit, kind=kind, planned_on=datetime.date(YEAR, 2, day)),
                    held_on=datetime.date(YEAR, 2, day),
                    findings="实地查看了清河堤防加固工程现场，工程进度滞后约两周。"
                    if kind == "visit"
                    else "询问了农村饮水工程建设进度。",
                    follow_up="督促加快施工进度。",
                    members=[p.chair_member],
                    deputies=[deputy],
                    by=p.staff,
                )
            reminders.scan()
        assert ReminderLog.objects.filter(kind="oversight.activity.overdue").count() == 1  # held ones are not reminded

        # The unit reports progress; the commission checks the item reported done.
        with at(5, 20):
            services.update_progress(dike, by=p.liaison, progress=60, text="完成堤身加固3.2公里。")
            services.update_progress(dike, by=p.liaison, progress=100, text="主体工程完工。")
            dike.refresh_from_db()
            assert dike.state == Commitment.State.REPORTED
            services.check_commitment(dike, by=p.chair, confirmed=False, comment="护坡工程尚未完工")
            dike.refresh_from_db()
            assert (dike.state, dike.progress) == (Commitment.State.UNDERWAY, 90)
            services.update_progress(dike, by=p.liaison, progress=100, text="护坡工程完工，已通过验收。")
            services.check_commitment(dike, by=p.chair, confirmed=True)
        dike.refresh_from_db()
        assert dike.state == Commitment.State.DONE and dike.updates.count() == 3

        # The half-year special report is heard.
        with at(6, 28):
            services.record_activity(
                Activity.objects.get(unit=p.unit, kind="report", planned_on=datetime.date(YEAR, 6, 25)),
                held_on=datetime.date(YEAR, 6, 25),
                findings="听取县水利局上半年工作专题报告，农村饮水工程受益人口达1.6万人。",
                members=[p.chair_member, p.leader_member],
                by=p.staff,
            )

        # The year-end evaluation of the unit shows everything recorded this year.
        with at(12, 18):
            record = selectors.unit_year(p.unit, YEAR)
        assert [c.title for c in record.commitments] == ["清河堤防加固工程", "农村饮水安全巩固提升"]
        assert record.commitments_done == 1
        assert [a.planned_on.month for a in record.visits] == [2]
        assert len(record.inquiries_held) == 1 and len(record.special_reports) == 1
        assert datetime.date(YEAR, 1, 15) in [a.planned_on for a in record.overdue]
        assert school.title in [c.title for c in record.commitments]

    def test_the_year_end_evaluation_page_shows_the_record(self, client):
        p = paired_unit()
        with at(3, 1):
            services.plan_year(p.unit, year=YEAR)
            services.add_commitment(p.unit, year=YEAR, kind="commitment", title="12345热线工单按期办结率100%")
            services.record_activity(
                Activity.objects.get(unit=p.unit, kind="visit", planned_on=datetime.date(YEAR, 2, 15)),
                held_on=datetime.date(YEAR, 2, 15),
                findings="查阅热线工单台账，按期办结率98%。",
                members=[p.chair_member],
                by=p.staff,
            )
        evaluation = Activity.objects.get(unit=p.unit, kind="evaluation")
        with at(12, 21):
            client.force_login(p.staff)
            response = client.get(f"/admin/oversight/activity/{evaluation.pk}/change/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "县水利局" in page and "12345热线工单按期办结率100%" in page
        assert "查阅热线工单台账，按期办结率98%。" in page and p.chair_member.deputy.name in page


class TestCommitments:
    def test_a_liaison_updates_only_their_own_units_items(self):
        p = paired_unit()
        other = liaison_for(UnitFactory(name="县交通运输局"), username="jiaotong")
        item = services.add_commitment(p.unit, year=YEAR, kind="livelihood", title="农村饮水安全巩固提升")
        refused(lambda: services.update_progress(item, by=other, progress=50, text="推进中"), "只有本单位的联络员")
        refused(lambda: services.update_progress(item, by=p.staff, progress=50, text="推进中"), "只有本单位的联络员")
        assert not CommitmentUpdate.objects.exists()

    def test_bad_progress_is_refused_and_nothing_is_written(self):
        p = paired_unit()
        item = services.add_commitment(p.unit, year=YEAR, kind="livelihood", title="农村饮水安全巩固提升")
        refused(lambda: services.update_progress(item, by=p.liaison, progress=150, text="超额完成"), "0到100")
        refused(lambda: services.update_progress(item, by=p.liaison, progress="半", text="推进中"), "0到100")
        refused(lambda: services.update_progress(item, by=p.liaison, progress=50, text="  "), "请说明")
        item.refresh_from_db()
        assert item.progress == 0 and not CommitmentUpdate.objects.exists()

    def test_an_item_being_checked_is_not_changed_and_only_reported_items_are_checked(self):
        p = paired_unit()
        item = services.add_commitment(p.unit, year=YEAR, kind="key_work", title="河长制工作")
        refused(lambda: services.check_commitment(item, by=p.chair, confirmed=True), "只有单位报告已完成")
        services.update_progress(item, by=p.liaison, progress=100, text="完成")
        refused(lambda: services.update_progress(item, by=p.liaison, progress=80, text="回退"), "正在由委员会核查")
        refused(lambda: services.check_commitment(item, by=p.chair, confirmed=False), "请说明")

    def test_the_same_item_twice_is_refused(self):
        p = paired_unit()
        services.add_commitment(p.unit, year=YEAR, kind="livelihood", title="农村饮水安全巩固提升")
        refused(
            lambda: services.add_commitment(p.unit, year=YEAR, kind="livelihood", title="农村饮水安全巩固提升"),
            "已有此事项",
        )


class TestCalendar:
    def test_recording_needs_the_date_findings_and_people_and_never_the_future(self):
        p = paired_unit()
        with at(3, 1):
            services.plan_year(p.unit, year=YEAR)
            visit = Activity.objects.get(unit=p.unit, kind="visit", planned_on=datetime.date(YEAR, 2, 15))
            refused(
                lambda: services.record_activity(
                    visit, held_on=datetime.date(YEAR, 2, 15), findings="", members=[p.chair_member]
                ),
                "请记录",
            )
            refused(
                lambda: services.record_activity(
                    visit, held_on=datetime.date(YEAR, 3, 9), findings="调研", members=[p.chair_member]
                ),
                "不能登记为已开展",
            )
            refused(
                lambda: services.record_activity(visit, held_on=datetime.date(YEAR, 2, 15), findings="调研"), "至少"
            )
            services.cancel_activity(visit, reason="防汛紧急任务，改期至3月")
            refused(lambda: services.cancel_activity(visit, reason="重复"), "只有计划中的活动")
        visit.refresh_from_db()
        assert visit.status == Activity.Status.CANCELLED and visit.held_on is None
        with at(3, 2):
            reminders.scan()
        assert not ReminderLog.objects.filter(object_id=visit.pk, kind="oversight.activity.overdue").exists()

    @pytest.mark.django_db(transaction=True)
    def test_two_scans_at_the_same_time_remind_a_missed_visit_once(self, postgres_only):
        p = paired_unit()
        with at(1, 2):
            services.plan_year(p.unit, year=YEAR)
        at_once(lambda: reminders.scan(now=datetime.datetime(YEAR, 1, 16, 9, 0, tzinfo=TZ)), 3)
        assert len(overdue_titles(p.chair)) == 1 and len(overdue_titles(p.leader)) == 1


class TestSpecialInquiry:
    def test_questions_answers_and_follow_up(self):
        p = paired_unit()
        other = UnitFactory(name="县财政局")
        session = standing_session()
        inquiry = services.plan_special_inquiry(
            topic="农村饮水安全", planned_on=datetime.date(YEAR, 6, 26), units=[p.unit, other], meeting=session
        )
        refused(lambda: services.hold_special_inquiry(inquiry, held_on=datetime.date(YEAR, 6, 26)), "请先记录")
        services.record_inquiry_question(
            inquiry,
            asked_by=p.chair_member.deputy,
            question="农村饮水工程水质检测是否全覆盖？",
            unit=p.unit,
            answered_by="县水利局局长",
            answer="全县集中供水工程水质检测已实现全覆盖。",
        )
        refused(
            lambda: services.record_inquiry_question(
                inquiry, asked_by=p.chair_member.deputy, question="问", unit=UnitFactory(name="县统计局")
            ),
            "不是本次询问的对象",
        )
        services.hold_special_inquiry(inquiry, held_on=datetime.date(YEAR, 6, 26), follow_up="年底听取落实情况报告")
        record = selectors.unit_year(p.unit, YEAR)
        assert [i.topic for i in record.inquiries] == ["农村饮水安全"]
        assert [q.answer for q in record.inquiries[0].questions.all()] == ["全县集中供水工程水质检测已实现全覆盖。"]
        refused(
            lambda: services.plan_special_inquiry(
                topic="教育", planned_on=datetime.date(YEAR, 7, 1), units=[p.unit], meeting=directors_meeting()
            ),
            "常委会会议",
        )


class TestDeliberationOpinions:
    def test_tracked_through_the_one_rectification_mechanism_and_published_when_decided(
        self, django_capture_on_commit_callbacks
    ):
        p = paired_unit(name="县教育局", commission="教育科学文化卫生委员会")
        deliberation = services.record_deliberation(
            meeting=standing_session(),
            report_title="县人民政府关于义务教育优质均衡发展工作情况的报告",
            unit=p.unit,
            deliberated_on=datetime.date(YEAR, 6, 26),
            by=p.staff,
        )
        rectification = deliberation.rectification
        assert rectification.source_ref == f"oversight.deliberation:{deliberation.pk}"
        assert rectification.subject is None and rectification.commission == p.unit.liaison_commission
        services.add_deliberation_opinion(
            deliberation, finding="城乡学校办学条件差距较大", action="制定薄弱学校改造计划", target="改造8所"
        )
        services.add_deliberation_opinion(deliberation, finding="课后服务质量不高", action="丰富课后服务内容")
        refused(lambda: services.publish_deliberation(deliberation), "只有已交办")
        rect.approve_opinions(rectification, meeting=directors_meeting())
        with at(7, 1), django_capture_on_commit_callbacks(execute=True):
            rect.deliver_opinions(rectification)
        rectification.refresh_from_db()
        assert rectification.plan_due_at.date() == datetime.date(YEAR, 8, 1)
        refused(
            lambda: services.add_deliberation_opinion(deliberation, finding="追加", action="追加"), "不能进行此操作"
        )

        # The body concerned sees it in its portal and the committee in its ledger, like any opinion.
        assert [r.pk for r in evaluation_selectors.rectifications_of_unit(p.unit.pk)] == [rectification.pk]
        assert {o.finding for o in evaluation_selectors.ledger()} == {"城乡学校办学条件差距较大", "课后服务质量不高"}
        assert Notice.objects.filter(recipient=p.liaison, title__contains="审议意见").exists()

        # Its reply (plan, then report) and the committee's review of the result.
        measures = {o.pk: "制定计划" for o in rectification.opinions.all()}
        plan = rect.submit_plan(rectification, by=p.liaison, signed_off_by="李建国", measures=measures)
        rect.review_submission(plan, by=p.staff)
        first, second = rectification.opinions.order_by("sort_order")
        report = rect.submit_report(
            rectification,
            by=p.liaison,
            signed_off_by="李建国",
            progress={
                first.pk: {"text": "已改造8所", "progress": 100},
                second.pk: {"text": "已开设课程", "progress": 100},
            },
        )
        rect.review_submission(report, by=p.staff, returned={second.pk: "缺少家长满意度调查"})
        assert Submission.objects.get(pk=report.pk).status == Submission.Status.RETURNED
        assert dict(rectification.opinions.values_list("finding", "state")) == {
            "城乡学校办学条件差距较大": Opinion.State.DONE,
            "课后服务质量不高": Opinion.State.RETURNED,
        }

        # Unpublished, it is nowhere public; published, it is.
        assert selectors.published_deliberations() == []
        services.publish_deliberation(deliberation, by=p.staff)
        assert [d.pk for d in selectors.published_deliberations(unit=p.unit)] == [deliberation.pk]
        assert selectors.unit_year(p.unit, YEAR).deliberations[0].pk == deliberation.pk

    def test_only_a_standing_committee_session_deliberates(self):
        p = paired_unit()
        refused(
            lambda: services.record_deliberation(
                meeting=directors_meeting(), report_title="报告", unit=p.unit, deliberated_on=datetime.date(YEAR, 6, 1)
            ),
            "常委会会议",
        )
        assert not Deliberation.objects.exists() and not Rectification.objects.exists()


class TestYearInNumbers:
    def test_the_figures_count_what_was_held_and_done(self):
        p = paired_unit()
        with at(7, 1):
            services.plan_year(p.unit, year=YEAR)
            for month in (1, 2, 3):
                services.record_activity(
                    Activity.objects.get(unit=p.unit, kind="visit", planned_on=datetime.date(YEAR, month, 15)),
                    held_on=datetime.date(YEAR, month, 15),
                    findings="调研",
                    members=[p.chair_member],
                )
            item = services.add_commitment(p.unit, year=YEAR, kind="commitment", title="承诺一")
            services.add_commitment(p.unit, year=YEAR, kind="commitment", title="承诺二")
            services.update_progress(item, by=p.liaison, progress=100, text="完成")
            services.check_commitment(item, by=p.chair, confirmed=True)
            numbers = selectors.year_in_numbers(YEAR)
        assert (numbers.visits, numbers.commitments, numbers.commitments_done) == (3, 2, 1)
        assert numbers.commitments_done_rate == 50
        assert numbers.activities_overdue == 6  # 6 visits, 2 inquiries and a report before July, less 3 held
