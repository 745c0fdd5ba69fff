"""The evaluation services: the verdict rule at its boundaries, the carry-over of failures to
next year, and every step refused, with a clear message and nothing written, when taken out of
turn."""

import datetime

import pytest
from auditlog.models import LogEntry

from congress.models import Meeting
from congress.services import voting
from evaluations import selectors
from evaluations.models import Campaign, Candidate, ChecklistItem, PlanEntry, Result, Subject, TermPlan, Topic
from evaluations.services import EvaluationError, investigation, meeting, planning, topics
from tests.evaluations.factories import YEAR, directors_meeting, units, vote, work_campaign_in_meeting
from tests.factories import MeetingFactory, OfficialFactory, TermFactory, UnitFactory

pytestmark = pytest.mark.django_db

S, F, B, U = "satisfied", "fairly", "basic", "unsatisfied"


def decided(rows, **campaign_fields):
    campaign, poll, voters = work_campaign_in_meeting(n_units=len(rows[0]), n_voters=len(rows), **campaign_fields)
    vote(poll, voters, rows)
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    return {r.subject.label: r for r in selectors.results(campaign)}, campaign


class TestVerdictRule:
    def test_exactly_half_satisfied_is_not_more_than_half(self):
        # Unit 1: 2 of 4 valid ballots satisfied → fails. Unit 2: 3 of 4 → passes.
        results, campaign = decided([(S, S), (B, F), (U, B), (U, U)])
        first, second = (results[s.label] for s in campaign.subjects.order_by("sort_order"))
        assert (first.valid, first.counts[S] + first.counts[B]) == (4, 2)
        assert first.verdict == Result.Verdict.FAIL
        assert str(first.rate) == "0.5000"
        assert second.verdict == Result.Verdict.PASS
        assert str(second.rate) == "0.7500"

    def test_reaching_the_threshold_passes_when_the_rule_says_so(self):
        results, campaign = decided([(S,), (B,), (U,), (U,)], pass_strictly=False)
        (only,) = results.values()
        assert only.verdict == Result.Verdict.PASS

    def test_blank_ballots_are_not_valid_votes(self):
        # Two of five leave the unit blank; 2 of the 3 valid ballots are satisfied → passes.
        results, _ = decided([(S,), (F,), (U,), ("",), ("",)])
        (only,) = results.values()
        assert (only.valid, only.blank) == (3, 2)
        assert only.verdict == Result.Verdict.PASS

    def test_all_blank_gives_no_verdict_and_no_rank(self):
        results, campaign = decided([("", S), ("", U), ("", S)])
        blank, scored = (results[s.label] for s in campaign.subjects.order_by("sort_order"))
        assert blank.verdict == Result.Verdict.NONE
        assert (blank.valid, blank.blank, blank.rate, blank.score, blank.rank) == (0, 3, None, None, None)
        assert scored.verdict == Result.Verdict.PASS
        assert scored.rank == 1

    def test_all_unsatisfied_fails_with_a_zero_score(self):
        results, _ = decided([(U, S), (U, S), (U, F)])
        failed = min(results.values(), key=lambda r: r.score)
        assert failed.verdict == Result.Verdict.FAIL
        assert str(failed.rate) == "0.0000"
        assert str(failed.score) == "0.00"
        assert failed.rank == 2

    def test_three_level_ballots_use_their_own_weights(self):
        results, _ = decided([(S,), ("basic",), (U,)], levels=Campaign.Levels.THREE)
        (only,) = results.values()
        assert set(only.counts) == {"satisfied", "basic", "unsatisfied"}
        assert str(only.score) == "56.67"  # (100 + 70 + 0) / 3


class TestNextYear:
    def test_a_failed_official_is_on_next_years_candidate_list(self):
        term = TermFactory()
        official = OfficialFactory(name="王建国", unit=UnitFactory(name="县交通运输局"), position="局长")
        passed_official = OfficialFactory(name="李秀英", unit=UnitFactory(name="县民政局"), position="局长")
        last = planning.create_campaign(year=YEAR - 1, kind="duty", term=term)
        for i, o in enumerate([official, passed_official]):
            s = topics.create_subject(last, unit=o.unit, official=o, order=i)
            Result.objects.create(
                subject=s,
                poll=_frozen_poll(term),
                counts={S: 1, U: 3} if o == official else {S: 4, U: 0},
                valid=4,
                blank=0,
                verdict=Result.Verdict.FAIL if o == official else Result.Verdict.PASS,
            )
        this = planning.create_campaign(year=YEAR, kind="duty", term=term)
        (candidate,) = selectors.candidate_list(this)
        assert candidate.official == official
        assert candidate.carried_over is True
        assert candidate.previous_subject.campaign == last
        assert "2025" in candidate.reason

    def test_a_failed_unit_is_evaluated_again_next_year_even_if_not_planned(self):
        term = TermFactory()
        planned, failed = units(2)
        plan = TermPlan.objects.create(term=term, title="规划")
        PlanEntry.objects.create(plan=plan, unit=failed, year=YEAR - 1)
        PlanEntry.objects.create(plan=plan, unit=planned, year=YEAR)
        planning.approve_plan(plan)
        last = planning.create_campaign(year=YEAR - 1, kind="work", term=term)
        (subject,) = investigation.take_planned_units(last)
        Result.objects.create(
            subject=subject, poll=_frozen_poll(term), counts={U: 5}, valid=5, blank=0, verdict=Result.Verdict.FAIL
        )
        this = planning.create_campaign(year=YEAR, kind="work", term=term)
        subjects = investigation.take_planned_units(this)
        assert [(s.unit, s.carried_over) for s in subjects] == [(planned, False), (failed, True)]


def _frozen_poll(term):
    return voting.create_poll(MeetingFactory(term=term), title="测评", kind="satisfaction", items=["甲"])


class TestPlan:
    def test_approval_warns_about_uncovered_units_and_writes_nothing(self):
        term = TermFactory()
        covered, *uncovered = units(4)
        plan = TermPlan.objects.create(term=term, title="评议规划")
        PlanEntry.objects.create(plan=plan, unit=covered, year=YEAR)
        with pytest.raises(EvaluationError, match="3个单位本届任期内未安排评议") as refused:
            planning.approve_plan(plan)
        assert uncovered[0].name in str(refused.value)
        plan.refresh_from_db()
        assert plan.status == TermPlan.Status.DRAFT
        planning.approve_plan(plan, accept_uncovered=True)
        plan.refresh_from_db()
        assert (plan.status, plan.uncovered_when_approved) == ("approved", 3)
        with pytest.raises(EvaluationError, match="已经批准"):
            planning.approve_plan(plan)

    def test_a_year_has_one_campaign_of_each_kind(self):
        TermFactory()
        planning.create_campaign(year=YEAR, kind="work")
        with pytest.raises(EvaluationError, match="已经存在"):
            planning.create_campaign(year=YEAR, kind="work")
        planning.create_campaign(year=YEAR, kind="duty")

    def test_a_campaign_starts_with_its_phases_and_nine_common_items(self):
        TermFactory()
        campaign = planning.create_campaign(year=YEAR, kind="work")
        assert [p.kind for p in campaign.phases.all()] == [
            "publicity",
            "self_review",
            "investigation",
            "deliberation",
            "rectification",
        ]
        assert campaign.phases.get(kind="rectification").ends_on == datetime.date(YEAR, 12, 31)
        assert campaign.content_items.filter(kind="common").count() == 9
        assert campaign.title == "2026年度部门工作评议"


class TestRefusedOutOfTurn:
    """Each step from the wrong stage is refused with a message naming both stages, and the
    campaign is left as it was."""

    def refused(self, campaign, call, message="评议目前处于"):
        before = (Campaign.objects.get(pk=campaign.pk).stage, LogEntry.objects.count(), Subject.objects.count())
        with pytest.raises(EvaluationError, match=message):
            call()
        after = (Campaign.objects.get(pk=campaign.pk).stage, LogEntry.objects.count(), Subject.objects.count())
        assert after == before

    def test_duty_steps_before_their_stage(self):
        term = TermFactory()
        campaign = planning.create_campaign(year=YEAR, kind="duty", term=term)
        directors = directors_meeting(term)
        official, other = OfficialFactory(), OfficialFactory()
        hall = MeetingFactory(term=term)
        self.refused(campaign, lambda: topics.harvest_topics(campaign))
        self.refused(campaign, lambda: topics.put_candidates_to_ballot(campaign, directors))
        self.refused(campaign, lambda: topics.confirm_subjects(campaign))
        self.refused(campaign, lambda: meeting.start_meeting(campaign, hall))
        self.refused(campaign, lambda: meeting.decide_results(campaign))
        self.refused(campaign, lambda: investigation.take_planned_units(campaign), "只有部门工作评议")
        topics.start_topic_collection(campaign)
        self.refused(campaign, lambda: topics.start_topic_collection(campaign))
        topics.propose_candidate(campaign, official=official)
        self.refused(campaign, lambda: topics.confirm_subjects(campaign))
        self.refused(campaign, lambda: topics.propose_candidate(campaign, official=official), "已在候选名单中")
        topics.put_candidates_to_ballot(campaign, directors)
        self.refused(campaign, lambda: topics.propose_candidate(campaign, official=other))
        self.refused(campaign, lambda: topics.harvest_topics(campaign))
        self.refused(campaign, lambda: topics.confirm_subjects(campaign), "必须先关闭并计票")

    def test_work_steps_before_their_stage(self):
        term = TermFactory()
        campaign = planning.create_campaign(year=YEAR, kind="work", term=term)
        self.refused(campaign, lambda: topics.start_topic_collection(campaign), "只有述职评议")
        self.refused(campaign, lambda: investigation.take_planned_units(campaign), "评议规划必须先经批准")
        approved_units = units(2)
        from tests.evaluations.factories import approved_plan

        approved_plan(term, approved_units)
        subjects = investigation.take_planned_units(campaign)
        self.refused(campaign, lambda: investigation.take_planned_units(campaign))
        hall = MeetingFactory(term=term, kind=Meeting.Kind.EVALUATION)
        self.refused(campaign, lambda: meeting.start_meeting(campaign, hall), "尚未提交调研报告")
        self.refused(campaign, lambda: meeting.record_question(subjects[0], text="问", asker_name="张三"))
        directors = directors_meeting(term)
        self.refused(
            campaign,
            lambda: investigation.submit_survey_report(subjects[0], summary="报告", meeting=directors),
            "清单尚未完成",
        )

    def test_the_meeting_waits_for_the_poll_and_decides_once(self):
        campaign, poll, voters = work_campaign_in_meeting(n_units=2, n_voters=3)
        self.refused(campaign, lambda: meeting.decide_results(campaign), "请先关闭并计票")
        vote(poll, voters, [(S, S), (S, U), (U, U)])
        voting.close_poll(poll)
        meeting.decide_results(campaign)
        self.refused(campaign, lambda: meeting.decide_results(campaign))
        subject = campaign.subjects.first()
        self.refused(campaign, lambda: meeting.record_question(subject, text="问", asker_name="张三"))
        item = ChecklistItem.objects.filter(subject=subject).first()
        self.refused(campaign, lambda: investigation.tick_checklist(item, notes="补充"))

    def test_a_voided_satisfaction_poll_is_followed_to_its_rerun(self):
        campaign, poll, voters = work_campaign_in_meeting(n_units=1, n_voters=2)
        poll = voting.void_poll(poll, reason="选票格式有误")
        rerun = voting.rerun_poll(poll)
        voting.open_poll(rerun)
        vote(rerun, voters, [(S,), (S,)])
        voting.close_poll(rerun)
        (result,) = meeting.decide_results(campaign)
        assert result.poll == rerun
        assert result.verdict == Result.Verdict.PASS

    def test_bad_input_is_refused(self):
        campaign, poll, _ = work_campaign_in_meeting(n_units=1, n_voters=1)
        subject = campaign.subjects.get()
        with pytest.raises(EvaluationError, match="请记录询问内容"):
            meeting.record_question(subject, text="  ", asker_name="张三")
        with pytest.raises(EvaluationError, match="请注明提问人"):
            meeting.record_question(subject, text="县城停车难何时解决？")
        assert not subject.questions.exists()


class TestTopics:
    def test_merging_keeps_every_mention_and_refuses_a_topic_merged_twice(self):
        TermFactory()
        campaign = planning.create_campaign(year=YEAR, kind="duty")
        topics.start_topic_collection(campaign)
        a, b, c = (
            Topic.objects.create(campaign=campaign, title=t) for t in ["县城停车难", "城区停车位不足", "农村饮水安全"]
        )
        topics.merge_topics(a, [b], title="县城停车难、停车位不足")
        b.refresh_from_db()
        assert b.merged_into == a
        with pytest.raises(EvaluationError, match="已经并入"):
            topics.merge_topics(c, [b])
        with pytest.raises(EvaluationError, match="至少选择一个"):
            topics.merge_topics(a, [a])
        assert Candidate.objects.count() == 0


class TestOpinionQuestionnaires:
    def test_a_back_to_back_questionnaire_is_attached_to_its_subject_only(self):
        from surveys.models import Survey
        from tests.surveys.factories import topic_survey

        campaign, _poll, _voters = work_campaign_in_meeting(n_units=2, n_voters=1)
        first, second = campaign.subjects.order_by("sort_order")
        survey = topic_survey(audience=Survey.Audience.PUBLIC, title="县教育局服务对象背靠背意见征询")
        link = topics.attach_survey(campaign, survey, purpose="opinion", subject=first)
        survey.refresh_from_db()
        assert (link.subject, survey.ref) == (first, f"evaluations.subject:{first.pk}")
        assert list(second.surveys.all()) == []
        with pytest.raises(EvaluationError, match="已用于一项评议"):
            topics.attach_survey(campaign, survey, purpose="opinion", subject=second)
        with pytest.raises(EvaluationError, match="请指明征求意见所针对的本次评议对象"):
            topics.attach_survey(campaign, topic_survey(title="另一问卷"), purpose="opinion")
