"""Evaluations at each stage, built through the services as staff would: a small work
evaluation of a few units, scored by a handful of deputies."""

import datetime

from congress.models import Attendance, Meeting, Member, Unit
from congress.services import voting
from congress.services.voting import Voter
from evaluations.models import Campaign, PlanEntry, Subject, SurveyTeam, TermPlan
from evaluations.services import investigation, meeting, planning
from tests.factories import (
    UNIT_NAMES_27,
    DeputyFactory,
    MeetingFactory,
    MemberFactory,
    TermFactory,
    UnitFactory,
)

YEAR = 2026
S, U = "satisfied", "unsatisfied"
CHECKLIST_NOTES = "调研组听取汇报，查阅2025年以来台账资料，走访服务对象12人次。"


def units(n: int) -> list[Unit]:
    return [UnitFactory(name=name, sort_order=i) for i, name in enumerate(UNIT_NAMES_27[:n])]


def approved_plan(term, unit_list, *, year=YEAR) -> TermPlan:
    plan = TermPlan.objects.create(term=term, title=f"县第{term.number}届人大常委会部门工作评议规划")
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, unit=u, year=year, deadline=datetime.date(year, 10, 31)) for u in unit_list
    )
    return planning.approve_plan(plan, accept_uncovered=True)


def directors_meeting(term) -> Meeting:
    leaders = [
        MemberFactory(deputy__term=term, position=Member.Position.DIRECTOR),
        MemberFactory(deputy__term=term, position=Member.Position.VICE_DIRECTOR),
        MemberFactory(deputy__term=term, position=Member.Position.VICE_DIRECTOR),
    ]
    meeting = MeetingFactory(term=term, kind=Meeting.Kind.DIRECTORS, title="县人大常委会第六十一次主任会议")
    Attendance.objects.bulk_create(Attendance(meeting=meeting, deputy=m.deputy) for m in leaders)
    return meeting


def finish_investigation(campaign: Campaign, directors: Meeting) -> None:
    """A survey team led by a vice-director ticks every checklist point and reports on each subject."""
    leader = Member.objects.filter(term=campaign.term, position=Member.Position.VICE_DIRECTOR).first()
    team = SurveyTeam.objects.create(campaign=campaign, name="第一评议调研组", leader=leader)
    for subject in Subject.objects.filter(campaign=campaign):
        subject.team = team
        subject.save(update_fields=["team"])
        for item in subject.checklist.all():
            investigation.tick_checklist(item, notes=CHECKLIST_NOTES)
        investigation.submit_survey_report(
            subject, summary=f"{subject.label}依法履职总体较好，存在问题需整改。", meeting=directors
        )


def work_campaign_in_meeting(n_units=3, n_voters=5, *, year=YEAR, **campaign_fields):
    """A work evaluation whose satisfaction poll is open, with ``n_voters`` attending deputies
    scoring (the electorate is the meeting's attendance). Returns (campaign, poll, voters)."""
    term = TermFactory()
    unit_list = units(n_units)
    approved_plan(term, unit_list, year=year)
    directors = directors_meeting(term)
    campaign = planning.create_campaign(year=year, kind=Campaign.Kind.WORK, term=term)
    if campaign_fields:
        Campaign.objects.filter(pk=campaign.pk).update(**campaign_fields)
        campaign.refresh_from_db()
    investigation.take_planned_units(campaign)
    finish_investigation(campaign, directors)
    hall = MeetingFactory(term=term, kind=Meeting.Kind.EVALUATION, title=f"{year}年度部门工作评议大会")
    voters = [DeputyFactory(term=term) for _ in range(n_voters)]
    Attendance.objects.bulk_create(Attendance(meeting=hall, deputy=d) for d in voters)
    campaign.refresh_from_db()
    Campaign.objects.filter(pk=campaign.pk).update(electorate="attendees")
    campaign.refresh_from_db()
    poll = meeting.start_meeting(campaign, hall)
    voting.open_poll(poll)
    campaign.refresh_from_db()
    return campaign, poll, voters


def vote(poll, voters, rows) -> None:
    """Each voter fills the sheet with the levels of one row, in sheet order ("" = blank)."""
    items = list(poll.items.order_by("sort_order"))
    for voter, levels in zip(voters, rows, strict=True):
        voting.cast_ballot(
            poll, Voter(deputy=voter), {str(i.pk): lv for i, lv in zip(items, levels, strict=True)}, items=items
        )
