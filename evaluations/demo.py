"""Demo evaluations for the demo county, loaded after it (``manage.py load_demo``): the term's
plan evaluating every unit this year, this year's work evaluation of all 27 units in its
investigation, and this year's duty evaluation collecting topics with an open questionnaire (so
a newcomer sees one at once, by its 评议码 or a deputy's link), and a poll of the coming standing
committee session drawn up, ready to open. Built through the services, as staff would;
idempotent (nothing is done when a campaign of this year exists)."""

import datetime

from django.db import transaction
from django.utils import timezone

from congress.models import Member, Term, Unit

from .models import Campaign, PlanEntry, Subject, SurveyTeam, Symposium, TermPlan
from .services import investigation, planning, topics

SYMPOSIUM_NOTES = [
    ("城关镇", "县城停车难、停车位不足\n老旧小区改造进度慢\n学校周边交通拥堵"),
    ("石桥镇", "农村饮水安全保障不足\n乡村道路养护不到位\n县城停车难问题"),
    (None, "营商环境还需优化，审批环节多\n企业融资难\n县城停车难"),
]


def load_evaluations_demo(*, stdout=None) -> bool:
    term = Term.objects.filter(is_current=True).first()
    year = timezone.localdate().year
    if term is None or Campaign.objects.filter(year=year).exists():
        return False
    with transaction.atomic():
        plan = _plan(term, year)
        _last_year(term, plan, year - 1)
        work = planning.create_campaign(year=year, kind=Campaign.Kind.WORK, term=term)
        investigation.take_planned_units(work)
        _teams(work, term)
        duty = planning.create_campaign(year=year, kind=Campaign.Kind.DUTY, term=term)
        topics.start_topic_collection(duty)
        _symposiums(duty, year)
        topics.harvest_topics(duty)
        _topic_questionnaire(duty, year)
        _poll_ready_to_open(term, year)
    if stdout is not None:
        stdout.write(
            f"  评议：{year - 1}年度部门工作评议（已测评，整改中）、{year}年度部门工作评议（27个单位，调查阶段）、"
            f"{year}年度述职评议（征集述职问题，问卷征集中）；常委会会议表决待开始"
        )
    return True


def _plan(term: Term, year: int) -> TermPlan:
    plan = TermPlan.objects.create(term=term, title=f"县第{term.number}届人大常委会部门工作评议规划表")
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "pk"))
    PlanEntry.objects.bulk_create(
        PlanEntry(
            plan=plan,
            unit=u,
            year=year,
            commission=u.liaison_commission,
            leader=u.liaison_leader,
            deadline=datetime.date(year, 10, 31),
        )
        for u in units
    )
    planning.approve_plan(plan)
    return plan


LAST_YEAR_UNITS = ["县教育局", "县卫生健康局", "县住房和城乡建设局", "县市场监督管理局", "县水利局", "县民政局"]
LAST_YEAR_OPINIONS = [
    ("城区学校大班额问题仍然突出", "制定化解大班额三年行动计划", "2年内大班额比例降至5%以下"),
    ("农村学校教师结构性缺编", "会同编办核增编制，推进县管校聘", "年内补充紧缺学科教师30名"),
    ("校舍维修资金拨付滞后", "建立维修资金直拨机制", "资金拨付不超过30天"),
]


def _last_year(term: Term, plan: TermPlan, year: int) -> None:
    """Last year's work evaluation of six units, decided: the education bureau failed and is
    rectifying (its plan is in, its report is due), so the ledger and the unit portal have work."""
    from congress.models import Meeting, Poll
    from congress.services import voting
    from congress.services.voting import Voter

    from .services import meeting
    from .services import rectification as rect

    units = list(Unit.objects.filter(name__in=LAST_YEAR_UNITS).order_by("sort_order"))
    PlanEntry.objects.bulk_create(PlanEntry(plan=plan, unit=u, year=year) for u in units)
    campaign = planning.create_campaign(year=year, kind=Campaign.Kind.WORK, term=term)
    Campaign.objects.filter(pk=campaign.pk).update(electorate=Poll.Electorate.MEMBERS)
    campaign.refresh_from_db()
    investigation.take_planned_units(campaign)
    directors = Meeting.objects.filter(term=term, kind=Meeting.Kind.DIRECTORS).first()
    hall = Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING).first()
    for subject in Subject.objects.filter(campaign=campaign):
        for item in subject.checklist.all():
            investigation.tick_checklist(item, notes="已完成。", on=datetime.date(year, 6, 30))
        investigation.submit_survey_report(subject, summary="调研组形成调研报告。", meeting=directors)
    poll = meeting.start_meeting(campaign, hall)
    voting.open_poll(poll)
    items = list(poll.items.order_by("sort_order"))
    levels = ["satisfied", "fairly", "basic", "unsatisfied"]
    for i, voter in enumerate(poll.voters.select_related("deputy")):
        sheet = {}
        for item in items:
            # The education bureau: mostly 不满意; the others mostly satisfied.
            failing = item.label == "县教育局"
            sheet[str(item.pk)] = "unsatisfied" if failing and i % 3 else levels[(i + item.sort_order) % 3]
        voting.cast_ballot(poll, Voter(deputy=voter.deputy), sheet, items=items)
    voting.close_poll(poll)
    voting.announce_poll(poll)
    meeting.decide_results(campaign)
    failed = Subject.objects.get(campaign=campaign, unit__name="县教育局")
    for finding, action, target in LAST_YEAR_OPINIONS:
        rect.add_opinion(failed, finding=finding, action=action, target=target)
    rectification = failed.rectification
    rect.approve_opinions(rectification, meeting=directors)
    rect.deliver_opinions(rectification)


def _teams(campaign: Campaign, term: Term) -> None:
    """One survey team per vice-director, sharing the subjects; the first team has started."""
    leaders = list(Member.objects.filter(term=term, position=Member.Position.VICE_DIRECTOR, active=True))
    if not leaders:
        return
    teams = [
        SurveyTeam.objects.create(campaign=campaign, name=f"第{'一二三四五六'[i]}评议调研组", leader=leader)
        for i, leader in enumerate(leaders[:6])
    ]
    subjects = list(Subject.objects.filter(campaign=campaign).order_by("sort_order"))
    for i, subject in enumerate(subjects):
        subject.team = teams[i % len(teams)]
    Subject.objects.bulk_update(subjects, ["team"])
    for item in subjects[0].checklist.all()[:5]:
        investigation.tick_checklist(item, notes="调研组听取汇报，查阅台账，走访服务对象。")


def _symposiums(campaign: Campaign, year: int) -> None:
    from congress.models import DeputyGroup

    for i, (township, notes) in enumerate(SYMPOSIUM_NOTES):
        group = DeputyGroup.objects.filter(township=township).first() if township else None
        Symposium.objects.create(
            campaign=campaign,
            held_on=datetime.date(year, 3, 10 + i),
            group=group,
            sector="" if group else "企业界",
            participants=12,
            notes=notes,
        )


def _topic_questionnaire(campaign: Campaign, year: int) -> None:
    """The duty evaluation's questionnaire to the public (述职评议问题征集), open for a month."""
    from surveys import services as surveys
    from surveys.models import Choice, Question, Survey

    now = timezone.now()
    survey = Survey.objects.create(
        title=f"{year}年度述职评议问题征集问卷",
        intro="请结合您办事和生活中的感受，提出希望述职人员重点回应的问题。",
        audience=Survey.Audience.PUBLIC,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    single = Question.objects.create(
        survey=survey, kind=Question.Kind.SINGLE, text="您对县政府组成部门的总体工作是否满意？", sort_order=1
    )
    for i, label in enumerate(["满意", "较满意", "基本满意", "不满意"]):
        Choice.objects.create(question=single, label=label, sort_order=i)
    Question.objects.create(
        survey=survey, kind=Question.Kind.TEXT, text="您希望述职人员重点回应哪些问题？", sort_order=2
    )
    surveys.open_survey(survey)
    topics.attach_survey(campaign, survey)


def _poll_ready_to_open(term: Term, year: int) -> None:
    """A vote of the coming standing committee session, drawn up and not yet opened (表决)."""
    from congress.models import Meeting, Poll
    from congress.services import voting

    session = Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING).order_by("-starts_at").first()
    if session is None:
        return
    voting.create_poll(
        session,
        title=f"关于{year}年度部门工作评议实施方案的决定（草案）",
        kind=Poll.Kind.APPROVAL,
        items=[f"关于{year}年度部门工作评议实施方案的决定（草案）"],
        electorate=Poll.Electorate.MEMBERS,
    )
