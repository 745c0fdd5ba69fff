"""Reads of the evaluations: plan coverage, topic ranking, the campaign dashboard and results.
Every list here is read in a fixed number of queries, however many subjects or topics."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import formats
from congress.models import Unit
from congress.text import SimilarityIndex

from .models import (
    Campaign,
    Candidate,
    ChecklistItem,
    ContentItem,
    Phase,
    PlanEntry,
    Question,
    Result,
    Subject,
    SurveyReport,
    TermPlan,
    Topic,
)

# Short topic titles, compared with the project's one likeness (congress.text; titles naming no
# place score at most 1 / SAME_PLACE_BOOST): the parking rewordings of the walk and the demo county
# score 0.07–0.29 with one another, different topics under 0.05 (农村饮水安全 and 农村自来水经常停水,
# the closest; tests/evaluations/test_near_duplicates.py).
NEAR_DUPLICATE_THRESHOLD = 0.06


def uncovered_units(plan: TermPlan) -> list[Unit]:
    """Active units the term plan never evaluates (一届任期全覆盖 not met)."""
    planned = PlanEntry.objects.filter(plan=plan, unit=OuterRef("pk"))
    return list(Unit.objects.filter(active=True).filter(~Exists(planned)).order_by("sort_order", "pk"))


def plan_by_year(plan: TermPlan) -> dict[int, list[PlanEntry]]:
    """The plan's entries grouped by year, for the plan table."""
    years: dict[int, list[PlanEntry]] = {}
    for entry in plan.entries.select_related("unit", "commission", "leader__deputy").order_by(
        "year", "unit__sort_order", "unit_id"
    ):
        years.setdefault(entry.year, []).append(entry)
    return years


def plan_year_shown(years, asked: str | None, today: datetime.date | None = None) -> int:
    """The year of a term plan whose rows are edited on its page (one year at a time: a term's
    thirty rows of lists at once are too heavy a page). The year asked for when it is a year;
    otherwise this year if the plan has rows in it, else the next year it has rows in, else its
    last year; this year for a plan with no rows yet."""
    if asked and asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    this_year = (today or timezone.localdate()).year
    years = sorted(years)
    coming = [y for y in years if y >= this_year]
    if coming:
        return coming[0]
    return years[-1] if years else this_year


def ranked_topics(campaign: Campaign):
    """Current (unmerged) topics, ranked by how many deputies and citizens raised them and from
    how many groups: deputies count once each, each citizen's response once, each symposium
    once; groups are deputy groups and sectors."""
    return (
        Topic.objects.filter(campaign=campaign, merged_into=None)
        .select_related("unit")
        .annotate(
            deputies=Count("mentions__deputy", distinct=True),
            citizens=Count("mentions__response", distinct=True, filter=Q(mentions__source="public")),
            symposiums=Count("mentions__symposium", distinct=True),
            groups=Count("mentions__group", distinct=True),
            sectors=Count("mentions__sector", distinct=True, filter=~Q(mentions__sector="")),
            merged_count=Count("merged", distinct=True),
        )
        .order_by("-deputies", "-citizens", "-symposiums", "-groups", "pk")
    )


def topic_rows(campaign: Campaign) -> list[Topic]:
    """Ranked topics with their rank, supporter count and group count filled in."""
    rows = list(ranked_topics(campaign))
    rows.sort(key=lambda t: (-(t.deputies + t.citizens + t.symposiums), -(t.groups + t.sectors), t.pk))
    for position, topic in enumerate(rows, start=1):
        topic.rank = position
        topic.supporters = topic.deputies + topic.citizens + topic.symposiums
        topic.group_count = topic.groups + topic.sectors
    return rows


def near_duplicate_topics(campaign: Campaign, *, threshold: float = NEAR_DUPLICATE_THRESHOLD):
    """Pairs of current topics worded alike (compared by characters), for staff to merge."""
    topics = {t.pk: t for t in Topic.objects.filter(campaign=campaign, merged_into=None)}
    index = SimilarityIndex((pk, t.title) for pk, t in topics.items())
    return [(topics[a], topics[b], score) for a, b, score in index.pairs(threshold=threshold)]


def candidate_list(campaign: Campaign) -> list[Candidate]:
    return list(
        Candidate.objects.filter(campaign=campaign)
        .select_related("official", "unit", "previous_subject__campaign")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("pk")))
    )


def _count(queryset):
    """A per-subject count as a subquery (joins of several lists would multiply rows)."""
    counted = queryset.filter(subject=OuterRef("pk")).order_by().values("subject").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def subject_rows(campaign: Campaign):
    """The campaign's subjects with where each stands: checklist points done, its own content
    items, whether the survey report is in, questions asked, and its result."""
    report_in = SurveyReport.objects.filter(subject=OuterRef("pk"), submitted_at__isnull=False)
    return (
        Subject.objects.filter(campaign=campaign)
        .select_related("unit", "official", "team__leader__deputy")
        .annotate(
            checklist_done=_count(ChecklistItem.objects.filter(done=True)),
            checklist_total=_count(ChecklistItem.objects.all()),
            own_items=_count(ContentItem.objects.all()),
            question_count=_count(Question.objects.all()),
            topic_count=_count(Subject.topics.through.objects.all()),
            report_in=Exists(report_in),
        )
        .prefetch_related(Prefetch("results", queryset=Result.objects.order_by("round")))
        .order_by("sort_order", "pk")
    )


@dataclass
class PhaseState:
    """One row of a campaign's stage table: a phase of its timetable (with dates), or a stage of
    the work that has no phase of its own (a duty evaluation's topic collection and choice of
    reporters), and where it stands: done, current, coming, or overdue (late and not done)."""

    kind: str  # a Phase.Kind or a Campaign.Stage
    name: str
    state: str  # done / current / coming / overdue
    phase: Phase | None = None

    @property
    def label(self) -> str:
        return {
            "done": _("Done"),
            "current": _("Under way"),
            "overdue": _("Late"),
            "coming": _("Upcoming"),
        }[self.state]


@dataclass
class Dashboard:
    campaign: Campaign
    phases: list[PhaseState]
    subjects: list
    late: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


STAGE_ORDER = list(Campaign.Stage.values)
# The stage of the work during which each phase of the timetable runs. Units examine
# themselves (自查自纠) before the investigation in a work evaluation; in a duty evaluation only
# once the reporters are chosen.
PHASE_STAGE = {
    Campaign.Kind.WORK: {
        Phase.Kind.PUBLICITY: Campaign.Stage.PLANNING,
        Phase.Kind.SELF_REVIEW: Campaign.Stage.PLANNING,
        Phase.Kind.INVESTIGATION: Campaign.Stage.INVESTIGATION,
        Phase.Kind.DELIBERATION: Campaign.Stage.MEETING,
        Phase.Kind.RECTIFICATION: Campaign.Stage.VERDICT,
    },
    Campaign.Kind.DUTY: {
        Phase.Kind.PUBLICITY: Campaign.Stage.PLANNING,
        Phase.Kind.SELF_REVIEW: Campaign.Stage.INVESTIGATION,
        Phase.Kind.INVESTIGATION: Campaign.Stage.INVESTIGATION,
        Phase.Kind.DELIBERATION: Campaign.Stage.MEETING,
        Phase.Kind.RECTIFICATION: Campaign.Stage.VERDICT,
    },
}
# Stages of a duty evaluation that the timetable has no phase for: shown in their place.
STAGES_WITHOUT_PHASE = {Campaign.Kind.DUTY: [Campaign.Stage.TOPICS, Campaign.Stage.CANDIDATES], Campaign.Kind.WORK: []}


def _rectification_done(campaign: Campaign) -> tuple[bool, bool]:
    """Whether the campaign's rectification is over (every delivered rectification closed, and
    at least one delivered), and whether any of it is late (a plan or report past its due time
    with items still open)."""
    from .models import Opinion, Rectification

    rects = Rectification.objects.filter(subject__campaign=campaign)
    now = timezone.now()
    figures = rects.aggregate(
        delivered=Count("pk", filter=Q(status__in=[Rectification.Status.DELIVERED, Rectification.Status.CLOSED])),
        open=Count("pk", filter=~Q(status=Rectification.Status.CLOSED)),
    )
    late = (
        Opinion.objects.filter(
            rectification__in=rects.filter(status=Rectification.Status.DELIVERED), state=Opinion.State.OPEN
        )
        .filter(rectification__plan_due_at__lt=now)
        .exists()
        or Opinion.objects.filter(
            rectification__in=rects.filter(status=Rectification.Status.DELIVERED), rectification__report_due_at__lt=now
        )
        .exclude(state=Opinion.State.DONE)
        .exists()
    )
    return bool(figures["delivered"]) and not figures["open"], late


def stage_table(campaign: Campaign, *, today: datetime.date | None = None) -> list[PhaseState]:
    """The campaign's stages in the order the work goes, each derived from the campaign's
    progress: a stage the campaign has moved past is done, the one it is at is current (overdue
    once its phase's end has passed), the rest are coming. Rectification, the last, is done when
    every rectification is closed, and overdue only when a plan or report is late."""
    today = today or timezone.localdate()
    at = STAGE_ORDER.index(campaign.stage)
    rows: list[tuple[int, int, PhaseState]] = []
    for phase in campaign.phases.all():
        stage = PHASE_STAGE[campaign.kind][phase.kind]
        rows.append(
            (STAGE_ORDER.index(stage), phase.sort_order, PhaseState(phase.kind, phase.get_kind_display(), "", phase))
        )
    for stage in STAGES_WITHOUT_PHASE[campaign.kind]:
        rows.append((STAGE_ORDER.index(stage), -1, PhaseState(stage, Campaign.Stage(stage).label, "")))
    rows.sort(key=lambda row: (row[0], row[1]))
    for position, _order, row in rows:
        phase = row.phase
        if position < at or (phase is not None and phase.completed_on):
            row.state = "done"
        elif position > at:
            row.state = "coming"
        elif phase is not None and phase.kind == Phase.Kind.RECTIFICATION:
            done, late = _rectification_done(campaign)
            row.state = "done" if done else "overdue" if late else "current"
        elif phase is not None and phase.ends_on < today:
            row.state = "overdue"
        else:
            row.state = "current"
    return [row for _p, _o, row in rows]


NEXT_STEP = {
    Campaign.Stage.PLANNING: {
        Campaign.Kind.DUTY: gettext_lazy(
            "Start collecting topics: attach the questionnaires and record the symposiums."
        ),
        Campaign.Kind.WORK: gettext_lazy("Take the units the term plan schedules for this year as subjects."),
    },
    Campaign.Stage.TOPICS: gettext_lazy(
        "Merge and rank the topics, propose candidates, and put them to the director's meeting."
    ),
    Campaign.Stage.CANDIDATES: gettext_lazy("Close the director's meeting's ballot, then confirm the subjects."),
    Campaign.Stage.INVESTIGATION: gettext_lazy(
        "Complete each subject's checklist and submit the survey reports, then start the meeting."
    ),
    Campaign.Stage.MEETING: gettext_lazy(
        "Record the questions, run the satisfaction poll, close it, then decide the results."
    ),
    Campaign.Stage.VERDICT: gettext_lazy(
        "Send the results to the party committee and a feedback letter to each subject."
    ),
}


def dashboard(campaign: Campaign, *, today: datetime.date | None = None) -> Dashboard:
    """Where each phase and each subject stands, what is late and what comes next."""
    today = today or timezone.localdate()
    phases = stage_table(campaign, today=today)
    subjects = list(subject_rows(campaign))
    late = [
        _("Phase “%(phase)s” was due on %(date)s.") % {"phase": s.name, "date": formats.date_text(s.phase.ends_on)}
        for s in phases
        if s.state == "overdue" and s.phase is not None
    ]
    investigation = next((s for s in phases if s.kind == Phase.Kind.INVESTIGATION), None)
    if investigation and investigation.state == "overdue":
        late += [_("No survey report yet on %(subject)s.") % {"subject": s.label} for s in subjects if not s.report_in]
    step = NEXT_STEP[campaign.stage]
    steps = [str(step[campaign.kind] if isinstance(step, dict) else step)]
    upcoming = next((s.phase for s in phases if s.state == "coming" and s.phase is not None), None)
    if upcoming:
        steps.append(
            _("Next phase: “%(phase)s”, from %(date)s.")
            % {"phase": upcoming.get_kind_display(), "date": formats.date_text(upcoming.starts_on)}
        )
    verdicts = [r.verdict for s in subjects for r in s.results.all() if r.round == Result.Round.EVALUATION]
    counts = {
        "subjects": len(subjects),
        "reports_in": sum(1 for s in subjects if s.report_in),
        "checklists_done": sum(1 for s in subjects if s.checklist_total and s.checklist_done == s.checklist_total),
        "passed": verdicts.count(Result.Verdict.PASS),
        "failed": verdicts.count(Result.Verdict.FAIL),
    }
    return Dashboard(campaign=campaign, phases=phases, subjects=subjects, late=late, next_steps=steps, counts=counts)


def results(campaign: Campaign, *, round: str = Result.Round.EVALUATION) -> list[Result]:
    """The campaign's results, best first (unranked subjects last)."""
    rows = list(
        Result.objects.filter(subject__campaign=campaign, round=round).select_related(
            "subject__unit", "subject__official", "poll"
        )
    )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.subject.sort_order))
    return rows


def result_levels(campaign: Campaign, *, round: str = Result.Round.EVALUATION) -> list[dict]:
    """The levels of the campaign's satisfaction ballot (or its re-evaluation's), in sheet order."""
    from congress.selectors import current_run

    poll = current_run(campaign.reevaluation_poll if round == Result.Round.REEVALUATION else campaign.satisfaction_poll)
    return poll.levels if poll else []


def checklist(subject: Subject) -> list[ChecklistItem]:
    return list(subject.checklist.prefetch_related("evidence"))


# --- rectification ------------------------------------------------------------------------


def liaison_ids(unit_id: int) -> list[int]:
    """The logins of a unit's liaisons: the one definition (``congress.selectors.unit_liaisons``),
    which the delivery's notice and the page's warning both use."""
    from congress.selectors import unit_liaisons

    return unit_liaisons([unit_id]).get(unit_id, [])


def rectifications_of_unit(unit_id: int):
    """A unit's delivered rectifications, for its liaisons in the unit portal (nothing of any
    other unit, nothing still being drafted)."""
    from .models import Opinion, Rectification

    return (
        Rectification.objects.filter(
            unit_id=unit_id, status__in=[Rectification.Status.DELIVERED, Rectification.Status.CLOSED]
        )
        .select_related("subject__campaign")
        .annotate(
            open_items=Count("opinions", filter=~Q(opinions__state=Opinion.State.DONE)),
            returned_items=Count("opinions", filter=Q(opinions__state=Opinion.State.RETURNED)),
        )
        .order_by("-delivered_at", "-pk")
    )


def ledger_items(*, commission_id: int | None = None, unit_id: int | None = None, include_done: bool = False):
    """The rectification ledger (整改台账) as a query, ordered in the database as the ledger reads
    (late items first, then by deadline), for a page of it or a streamed export: every item of
    every delivered rectification with who is responsible. A commission follows its units.
    ``ledger_rows`` marks the items read with their lateness and the committee's latest word."""
    from .models import Opinion, Rectification, SubmissionItem

    # The committee's latest word on each item: a returned item carries its reason in the ledger.
    latest = (
        SubmissionItem.objects.filter(opinion=OuterRef("pk"))
        .exclude(decision=SubmissionItem.Decision.PENDING)
        .order_by("-submission__submitted_at", "-pk")
    )
    today = timezone.localdate()
    items = (
        Opinion.objects.filter(rectification__status__in=[Rectification.Status.DELIVERED, Rectification.Status.CLOSED])
        .annotate(
            last_decision=Subquery(latest.values("decision")[:1]),
            last_comment=Subquery(latest.values("comment")[:1]),
            on_time=Case(When(_late_item(today), then=Value(0)), default=Value(1)),
        )
        .select_related(
            "rectification__unit",
            "rectification__commission",
            "rectification__leader__deputy",
            "rectification__subject__campaign",
        )
    )
    if not include_done:
        items = items.exclude(state=Opinion.State.DONE)
    if commission_id:
        items = items.filter(rectification__commission_id=commission_id)
    if unit_id:
        items = items.filter(rectification__unit_id=unit_id)
    return items.order_by(
        "on_time",
        F("deadline").asc(nulls_first=True),
        "rectification__unit__sort_order",
        "rectification_id",
        "sort_order",
        "pk",
    )


def _late_item(today: datetime.date) -> Q:
    """An item is late when it is not done and its deadline has passed."""
    from .models import Opinion

    return ~Q(state=Opinion.State.DONE) & Q(deadline__lt=today)


def ledger_rows(items):
    """Mark each item of the ledger read (an iterable) with ``late``, ``days_late`` and the
    comment it was returned with; yields them in the order given."""
    from .models import Opinion

    today = timezone.localdate()
    for item in items:
        item.late = item.state != Opinion.State.DONE and item.deadline is not None and item.deadline < today
        item.days_late = (today - item.deadline).days if item.late else 0
        item.returned_comment = (
            item.last_comment if item.state != Opinion.State.DONE and item.last_decision == "returned" else ""
        )
        yield item


def ledger(*, commission_id: int | None = None, unit_id: int | None = None, include_done: bool = False):
    """The whole rectification ledger, late items first (for the few pages of one unit's or the
    published progress; a page of the office's ledger reads ``ledger_items`` by pages)."""
    return list(ledger_rows(ledger_items(commission_id=commission_id, unit_id=unit_id, include_done=include_done)))


LEDGER_VIEWS = ("late", "week")


def ledger_view(view: str = "", **filters):
    """The ledger as the workbench links to it, as a query (``ledger_items``): ``late`` (overdue
    items), ``week`` (open items due within seven days and not yet late), or everything open.
    The workbench's counts are the counts of these queries, counted in the database."""
    items = ledger_items(**filters)
    if view == "late":
        return items.filter(on_time=0)
    if view == "week":
        soon = timezone.localdate() + datetime.timedelta(days=7)
        return items.filter(on_time=1, deadline__isnull=False, deadline__lte=soon)
    return items


def overdue_count(user) -> int:
    return ledger_view("late").count()


def due_this_week_count(user) -> int:
    return ledger_view("week").count()


def awaiting_review():
    """Plans and reports handed in by units and not yet reviewed (待审核)."""
    from .models import Rectification, Submission

    return Rectification.objects.filter(submissions__status=Submission.Status.SUBMITTED).distinct()


def awaiting_review_count(user) -> int:
    return awaiting_review().count()


IN_PROGRESS = [s for s in Campaign.Stage.values if s != Campaign.Stage.VERDICT]


def campaigns_in_progress_count(user) -> int:
    """Evaluations not yet at their results (the campaign list filtered by these stages shows them)."""
    return Campaign.objects.filter(stage__in=IN_PROGRESS).count()


def previous_rectification(subject: Subject):
    """Last year's opinions on the same unit (or official) and how they were rectified, for this
    year's subject page (整改情况反映在次年评议报告中)."""
    from .models import Rectification

    found = Rectification.objects.filter(
        subject__campaign__year=subject.campaign.year - 1, subject__campaign__kind=subject.campaign.kind
    )
    found = found.filter(subject__official=subject.official) if subject.official_id else found.filter(unit=subject.unit)
    return found.prefetch_related("opinions", "interviews").first()


def failed_twice(campaign: Campaign) -> list[Subject]:
    """Subjects that failed this year after failing last year: flagged for an inquiry motion (质询案)
    and a personnel recommendation to the party committee."""
    return list(
        Subject.objects.filter(
            campaign=campaign,
            carried_over=True,
            results__round=Result.Round.EVALUATION,
            results__verdict=Result.Verdict.FAIL,
        ).select_related("unit", "official")
    )


# --- the unit portal's rectification ------------------------------------------------------

ATTENTION_DAYS = 7  # an item due within a week stands out on the unit's home


def unit_rectification_query(unit_id: int):
    """The unit's delivered rectifications for its list (a query, to be read a page at a time),
    with open, returned and late items; ``mark_unit_rectifications`` says whether the plan or the
    report of each row read is late."""
    from .models import Opinion, Submission

    today = timezone.localdate()
    handed_in = Submission.objects.filter(
        rectification=OuterRef("pk"), status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED]
    )
    return rectifications_of_unit(unit_id).annotate(
        late_items=Count("opinions", filter=~Q(opinions__state=Opinion.State.DONE) & Q(opinions__deadline__lt=today)),
        plan_in=Exists(handed_in.filter(kind=Submission.Kind.PLAN)),
        report_in=Exists(handed_in.filter(kind=Submission.Kind.REPORT)),
    )


def mark_unit_rectifications(rows) -> list:
    """Whether each rectification's plan or report is late (neither under review nor accepted by
    its due time while items are open)."""
    now = timezone.now()
    rows = list(rows)
    for row in rows:
        row.plan_late = not row.plan_in and row.plan_due_at < now and row.open_items > 0
        row.report_late = not row.report_in and row.report_due_at < now and row.open_items > 0
    return rows


def unit_rectification_rows(unit_id: int) -> list:
    """The unit's delivered rectifications for its list, every one of them, marked."""
    return mark_unit_rectifications(unit_rectification_query(unit_id))


def unit_rectification(unit_id: int, pk: int):
    """One of the unit's delivered rectifications, or None (another unit's, or undelivered)."""
    return rectifications_of_unit(unit_id).filter(pk=pk).first()


@dataclass
class RectificationPage:
    """What the unit's liaison sees of one rectification: the items with their latest response
    and the staff's comment, the submissions with their items, and what may be handed in now."""

    rectification: object
    opinions: list
    submissions: list
    plan_accepted: bool
    plan_under_review: bool
    report_under_review: bool

    @property
    def open_opinions(self) -> list:
        return [o for o in self.opinions if o.state != "done"]

    @property
    def can_plan(self) -> bool:
        return self.rectification.status == "delivered" and not (self.plan_accepted or self.plan_under_review)

    @property
    def can_report(self) -> bool:
        return (
            self.rectification.status == "delivered"
            and self.plan_accepted
            and not self.report_under_review
            and bool(self.open_opinions)
        )

    def last_plan_measures(self) -> dict:
        """The measures of the latest plan per item, to start a returned plan again from."""
        plans = [s for s in self.submissions if s.kind == "plan"]
        return {i.opinion_id: i.text for i in plans[-1].items.all()} if plans else {}


def rectification_page(rectification) -> RectificationPage:
    """The unit's view of one rectification in a fixed number of queries (items, submissions and
    their items), however many items and submissions there are."""
    from .models import Opinion, Submission, SubmissionItem

    today = timezone.localdate()
    opinions = list(rectification.opinions.order_by("sort_order", "pk"))
    by_pk = {o.pk: o for o in opinions}
    submissions = list(
        rectification.submissions.order_by("submitted_at", "pk").prefetch_related(
            Prefetch("items", queryset=SubmissionItem.objects.order_by("opinion__sort_order", "opinion_id"))
        )
    )
    for opinion in opinions:
        opinion.number = opinion.sort_order + 1
        opinion.late = opinion.state != Opinion.State.DONE and opinion.deadline is not None and opinion.deadline < today
        opinion.latest = None
    for submission in submissions:
        for item in submission.items.all():
            item.item_opinion = by_pk.get(item.opinion_id)
            if item.item_opinion is not None:
                item.item_opinion.latest = item
    for opinion in opinions:
        latest = opinion.latest
        opinion.staff_comment = (
            latest.comment if latest is not None and latest.decision == SubmissionItem.Decision.RETURNED else ""
        )
    S, K = Submission.Status, Submission.Kind
    plan_accepted = any(s.kind == K.PLAN and s.status == S.ACCEPTED for s in submissions)
    for opinion in opinions:
        # Items of a partly returned plan are "planned" too; the page offers the button only once
        # the whole plan is accepted, and never on a late item (the service refuses those).
        opinion.can_mark_done = (
            plan_accepted
            and rectification.status == "delivered"
            and opinion.state == Opinion.State.PLANNED
            and not opinion.late
        )
    return RectificationPage(
        rectification=rectification,
        opinions=opinions,
        submissions=submissions,
        plan_accepted=plan_accepted,
        plan_under_review=any(s.kind == K.PLAN and s.status == S.SUBMITTED for s in submissions),
        report_under_review=any(s.kind == K.REPORT and s.status == S.SUBMITTED for s in submissions),
    )


def unit_attention_items(unit_id: int):
    """Open items of the unit that need the unit now: returned ones, ones due within a week or
    late, and items awaiting a plan due within a week (unless a plan is under review). Items
    reported and under review wait for the staff, not the unit. Listed atop the unit's
    rectification page, and counted on the portal's home."""
    from .models import Opinion, Rectification, Submission

    soon = timezone.localdate() + datetime.timedelta(days=ATTENTION_DAYS)
    plan_under_review = Submission.objects.filter(
        rectification=OuterRef("rectification"), kind=Submission.Kind.PLAN, status=Submission.Status.SUBMITTED
    )
    state = Opinion.State
    within_a_week = timezone.now() + datetime.timedelta(days=ATTENTION_DAYS)
    return (
        Opinion.objects.filter(
            rectification__unit_id=unit_id,
            rectification__status=Rectification.Status.DELIVERED,
            state__in=[state.OPEN, state.PLANNED, state.RETURNED],
        )
        .filter(
            Q(state=state.RETURNED)
            | Q(deadline__lte=soon)
            | (Q(state=state.OPEN, rectification__plan_due_at__lte=within_a_week) & ~Exists(plan_under_review))
        )
        .select_related("rectification")
        .order_by("deadline", "rectification_id", "sort_order")
    )


def unit_attention_count(user) -> int:
    """The portal home's count: the rows of ``unit_attention_items``. One query."""
    if not user.is_authenticated or getattr(user, "unit_id", None) is None:
        return 0
    return unit_attention_items(user.unit_id).count()
