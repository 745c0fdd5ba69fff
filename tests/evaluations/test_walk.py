"""Whole evaluations on the demo county, as the committee runs them: a duty evaluation from the
questionnaires to the feedback letters, and a work evaluation of all 27 units, ranked."""

import datetime
import io
import itertools

import pytest
from openpyxl import load_workbook

from congress import demo
from congress.models import Deputy, Meeting, Member, Official, Poll, PollResult, Term, Unit
from congress.services import voting
from congress.services.voting import Voter
from evaluations import selectors
from evaluations.models import Campaign, Candidate, PlanEntry, Result, SurveyTeam, Symposium, TermPlan
from evaluations.services import investigation, meeting, planning, topics
from surveys.models import Survey
from surveys.services import submit_response
from tests.evaluations.factories import CHECKLIST_NOTES
from tests.factories import UserFactory
from tests.surveys.factories import answer_sheet, topic_survey

pytestmark = pytest.mark.django_db

PARKING_REWORDED = ["县城停车难，停车位严重不足", "城区停车位严重不足，停车难", "县城停车难、乱停车现象严重"]


@pytest.fixture
def county():
    demo.load_demo()
    return Term.objects.get(is_current=True)


def run_poll(poll, voters, choose):
    """Every voter fills the whole sheet; ``choose(voter_index, item)`` gives the level code."""
    voting.open_poll(poll)
    items = list(poll.items.order_by("sort_order"))
    eligible = {v.deputy_id for v in poll.voters.all()}
    for i, deputy in enumerate(d for d in voters if d.pk in eligible):
        voting.cast_ballot(poll, Voter(deputy=deputy), {str(it.pk): choose(i, it) for it in items}, items=items)
    voting.close_poll(poll)
    return voting.announce_poll(poll)


def test_a_whole_duty_evaluation(county, client):
    staff = UserFactory(username="evalstaff", roles=["staff"])
    year = timezone_year()
    campaign = planning.create_campaign(year=year, kind=Campaign.Kind.DUTY, by=staff)
    topics.start_topic_collection(campaign, by=staff)

    # Questionnaires: county deputies pick topics and write their own; citizens answer the public one.
    for_deputies = topic_survey(title=f"{year}年度述职评议问题调查问卷")
    for_public = topic_survey(audience=Survey.Audience.PUBLIC, title=f"{year}年度述职评议问题群众问卷")
    topics.attach_survey(campaign, for_deputies, by=staff)
    topics.attach_survey(campaign, for_public, by=staff)
    deputies = list(Deputy.objects.filter(level=Deputy.Level.COUNTY, active=True).order_by("pk")[:24])
    for i, deputy in enumerate(deputies):
        picks = ("城区停车难问题", "农村饮水安全") if i % 3 else ("义务教育优质均衡发展", "城区停车难问题")
        text = PARKING_REWORDED[i % 3] if i < 6 else ""
        submit_response(for_deputies, answer_sheet(for_deputies, topics=picks, text=text), deputy=deputy)
    for i in range(8):
        submit_response(
            for_public,
            answer_sheet(
                for_public, topics=("农村饮水安全", "基层医疗服务能力"), text="农村自来水经常停水" if i < 2 else ""
            ),
            name=f"群众{i}",
        )
    group = deputies[0].group
    Symposium.objects.create(
        campaign=campaign,
        held_on=datetime.date(year, 3, 12),
        group=group,
        participants=11,
        notes="1. 县城停车难问题\n2. 农村饮水安全保障不足\n3. 乡镇卫生院缺医生",
    )
    Symposium.objects.create(
        campaign=campaign, held_on=datetime.date(year, 3, 15), sector="企业界", notes="营商环境优化\n城区停车难问题"
    )
    harvested = topics.harvest_topics(campaign, by=staff)
    assert harvested > 0
    assert topics.harvest_topics(campaign, by=staff) == 0  # harvesting again adds nothing

    # Near-duplicates are proposed: every rewording of the parking topic is paired with another
    # parking topic, and nothing pairs parking with drinking water.
    parking = next(t for t in selectors.topic_rows(campaign) if t.title == "城区停车难问题")
    rewordings = [t for t in selectors.topic_rows(campaign) if "停车" in t.title and t != parking]
    assert len(rewordings) == 4  # three written by deputies, one noted at a symposium
    pairs = [(a.title, b.title) for a, b, _ in selectors.near_duplicate_topics(campaign)]
    for r in rewordings:
        assert any(r.title in pair and all("停车" in t for t in pair) for pair in pairs), r.title
    assert not any(("停车" in a) != ("停车" in b) for a, b in pairs)
    assert ("农村饮水安全", "农村饮水安全保障不足") in pairs
    topics.merge_topics(parking, rewordings, title="县城停车难、停车位不足", by=staff)
    ranked = selectors.topic_rows(campaign)
    top = ranked[0]
    assert top.title == "县城停车难、停车位不足"
    assert top.deputies == 24 and top.symposiums == 2 and top.sectors == 1
    water = next(t for t in ranked if t.title == "农村饮水安全")
    assert water.citizens == 8 and water.rank == 2

    # Candidates: the heads of the units the top topics concern.
    housing, water_unit, education = (
        Official.objects.get(unit__name=name, is_head=True, active=True)
        for name in ["县住房和城乡建设局", "县水利局", "县教育局"]
    )
    edu_topic = next(t for t in ranked if t.title == "义务教育优质均衡发展")
    for official, topic in [(housing, top), (water_unit, water), (education, edu_topic)]:
        topics.propose_candidate(campaign, official=official, topics=[topic], reason="代表和群众反映集中", by=staff)

    # The director's meeting decides by secret ballot: the education bureau head is not chosen.
    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    ballot = topics.put_candidates_to_ballot(campaign, directors, by=staff)
    leaders = [m.deputy for m in Member.objects.filter(term=county).exclude(position="member")]
    run_poll(ballot, leaders, lambda i, item: "no" if "教育" in item.label else "yes")
    subjects = topics.confirm_subjects(campaign, by=staff)
    assert [s.official for s in subjects] == [housing, water_unit]
    assert list(subjects[0].topics.all()) == [top]
    assert Candidate.objects.get(official=education).status == Candidate.Status.REJECTED

    # Survey teams, led by vice-directors, complete the checklists and report.
    vice = list(Member.objects.filter(term=county, position=Member.Position.VICE_DIRECTOR))
    for subject, leader in zip(subjects, itertools.cycle(vice), strict=False):
        team = SurveyTeam.objects.create(campaign=campaign, name=f"{subject.unit.short_name}评议调研组", leader=leader)
        team.deputies.set(deputies[:3])
        subject.team = team
        subject.save()
        for item in subject.checklist.all():
            investigation.tick_checklist(item, notes=CHECKLIST_NOTES, by=staff)
        investigation.add_content_item(subject, kind="specific", title="城区停车设施建设", by=staff)
        investigation.submit_survey_report(
            subject, summary="调研组共走访群众86人次，形成调研报告。", meeting=directors, by=staff
        )

    # The meeting: questions, then the satisfaction poll scored by the members present.
    session = Meeting.objects.get(kind=Meeting.Kind.STANDING)
    poll = meeting.start_meeting(campaign, session, by=staff)
    meeting.record_question(
        subjects[0],
        text="县城停车位缺口有多大？今年计划新增多少个？",
        asker=deputies[1],
        answer="今年计划新增公共停车位2000个，年底前完成。",
        by=staff,
    )
    members = [m.deputy for m in Member.objects.filter(term=county)]
    # Housing: every member satisfied. Water: two in three unsatisfied → fails.
    run_poll(poll, members, lambda i, item: "satisfied" if "住房" in item.label or i % 3 == 0 else "unsatisfied")
    results = meeting.decide_results(campaign, by=staff)
    by_subject = {r.subject: r for r in results}
    assert by_subject[subjects[0]].verdict == Result.Verdict.PASS and by_subject[subjects[0]].rank == 1
    assert by_subject[subjects[1]].verdict == Result.Verdict.FAIL and by_subject[subjects[1]].rank == 2
    check_counts_match_the_poll(poll)

    # Documents: the Excel table, the report to the party committee and each feedback letter.
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(documents(client, campaign, "export").content)).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    assert table[1][:2] == ("排名", "评议对象")
    assert table[2][1].startswith("县住房和城乡建设局局长") and table[2][-1] == "通过"
    assert table[3][-1] == "未通过"
    report = documents(client, campaign, "report").content.decode()
    assert "县委" in report and housing.name in report
    letters = documents(client, campaign, "letters").content.decode()
    assert letters.count("满意度测评结果反馈") == 2 and "列为下一年度" in letters

    # Next year the failed head of the water bureau is on the list already.
    following = planning.create_campaign(year=year + 1, kind=Campaign.Kind.DUTY, by=staff)
    (carried,) = selectors.candidate_list(following)
    assert carried.official == water_unit and carried.carried_over


def test_a_whole_work_evaluation_of_all_27_units(county, client):
    staff = UserFactory(username="evalstaff", roles=["staff"])
    year = timezone_year()
    units = list(Unit.objects.filter(active=True).order_by("sort_order"))
    assert len(units) == 27
    plan = TermPlan.objects.create(term=county, title="县第十七届人大常委会部门工作评议规划")
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, unit=u, year=year, commission=u.liaison_commission, leader=u.liaison_leader) for u in units
    )
    planning.approve_plan(plan, by=staff)  # every unit covered: no confirmation needed
    campaign = planning.create_campaign(year=year, kind=Campaign.Kind.WORK, by=staff)
    subjects = investigation.take_planned_units(campaign, by=staff)
    assert len(subjects) == 27
    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    for subject in subjects:
        for item in subject.checklist.all():
            investigation.tick_checklist(item, notes=CHECKLIST_NOTES, by=staff)
        investigation.submit_survey_report(subject, summary="总体较好。", meeting=directors, by=staff)
    session = Meeting.objects.get(kind=Meeting.Kind.STANDING)
    poll = meeting.start_meeting(campaign, session, by=staff)
    assert poll.items.count() == 27
    members = [m.deputy for m in Member.objects.filter(term=county)]
    levels = ["satisfied", "fairly", "basic", "unsatisfied"]

    def choose(i, item):
        # Later units on the sheet get worse marks; the last three mostly 不满意.
        position = item.sort_order
        if position >= 24:
            return "unsatisfied" if i % 4 else "satisfied"
        return levels[(i + position // 8) % 3]

    run_poll(poll, members, choose)
    results = meeting.decide_results(campaign, by=staff)
    ranked = selectors.results(campaign)
    assert len(ranked) == 27
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    assert all(r.score >= s.score for r, s in itertools.pairwise(ranked))
    failed = [r.subject.unit.name for r in results if r.verdict == Result.Verdict.FAIL]
    assert failed == [u.name for u in units[24:]]
    check_counts_match_the_poll(poll)
    client.force_login(staff)
    page = client.get(f"/admin/evaluations/campaign/{campaign.pk}/results/")
    assert page.status_code == 200
    assert page.content.decode().count("verdict-fail") == 3


def check_counts_match_the_poll(poll):
    poll.refresh_from_db()
    assert poll.status in (Poll.Status.CLOSED, Poll.Status.ANNOUNCED)
    for result in Result.objects.filter(poll=poll):
        tally = PollResult.objects.get(poll=poll, group="all", item__ref=result.subject.ref)
        assert result.counts == tally.counts
        assert result.valid + result.blank == tally.ballots == poll.participations.count()


def documents(client, campaign, name):
    response = client.get(
        f"/admin/evaluations/campaign/{campaign.pk}/" + {"export": "results.xlsx"}.get(name, name + "/")
    )
    assert response.status_code == 200
    return response


def timezone_year():
    from django.utils import timezone

    return timezone.localdate().year
