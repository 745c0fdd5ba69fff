"""Reads of year-round supervision: the public board (公示栏) of all units and of one unit, the
liaison's commitments, a unit's whole year for its year-end evaluation, and the year in numbers.
Every page here is read in a fixed number of queries, however many units and items."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, Sum
from django.utils import timezone

from congress import public_cache
from congress.models import Unit
from evaluations.models import Opinion, Rectification, Result, Subject
from suggestions import selectors as suggestion_selectors

from .models import Activity, Commitment, Deliberation, InquiryQuestion, SpecialInquiry

STALE_DAYS = 30  # a commitment not updated for a month waits for the liaison


def this_year() -> int:
    return timezone.localdate().year


def _late(commitment: Commitment, today: datetime.date) -> bool:
    return commitment.state != Commitment.State.DONE and commitment.due_on is not None and commitment.due_on < today


# --- the public board -------------------------------------------------------------------------


@dataclass
class BoardUnit:
    unit: Unit
    total: int = 0
    done: int = 0
    late: int = 0
    progress: int = 0  # mean progress of the unit's items, in percent
    visits_held: int = 0
    activities_held: int = 0
    activities_planned: int = 0
    suggestions: int = 0

    @property
    def done_rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def board(year: int) -> list[BoardUnit]:
    """The overview of every active unit for the hall's board and the website: how many items
    it committed to, how many are done or late, its mean progress, and the supervision held on
    it so far. Four queries."""
    today = timezone.localdate()
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "pk"))
    rows = {u.pk: BoardUnit(unit=u) for u in units}
    done = Q(state=Commitment.State.DONE)
    for item in (
        Commitment.objects.filter(year=year, unit__active=True)
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=done),
            late=Count("pk", filter=~done & Q(due_on__lt=today)),
            progress=Sum("progress"),
        )
        .order_by()
    ):
        row = rows[item["unit_id"]]
        row.total, row.done, row.late = item["total"], item["done"], item["late"]
        row.progress = round(item["progress"] / row.total) if row.total else 0
    for item in (
        Activity.objects.filter(year=year, unit__active=True)
        .values("unit_id")
        .annotate(
            held=Count("pk", filter=Q(status=Activity.Status.HELD)),
            visits=Count("pk", filter=Q(status=Activity.Status.HELD, kind=Activity.Kind.VISIT)),
            planned=Count("pk", filter=~Q(status=Activity.Status.CANCELLED)),
        )
        .order_by()
    ):
        row = rows[item["unit_id"]]
        row.activities_held, row.visits_held, row.activities_planned = item["held"], item["visits"], item["planned"]
    for unit_id, count in suggestion_selectors.led_counts(year, list(rows)).items():
        rows[unit_id].suggestions = count
    return list(rows.values())


def public_board(year: int) -> list[BoardUnit]:
    """``board`` for the public site and the hall, cached until a supervision or suggestion
    service next commits (or the day changes: lateness is counted against today)."""
    return public_cache.cached(("oversight", "suggestions"), f"oversight:board:{year}", lambda: board(year))


def board_totals(rows: list[BoardUnit]) -> dict:
    total = sum(r.total for r in rows)
    done = sum(r.done for r in rows)
    return {
        "units": len(rows),
        "total": total,
        "done": done,
        "late": sum(r.late for r in rows),
        "done_rate": round(100 * done / total) if total else 0,
    }


@dataclass
class UnitBoard:
    unit: Unit
    year: int
    groups: list[tuple[str, list[Commitment]]] = field(default_factory=list)
    held: list[Activity] = field(default_factory=list)
    upcoming: list[Activity] = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    deliberations: list[Deliberation] = field(default_factory=list)


def unit_board(unit: Unit, year: int) -> UnitBoard:
    """One unit's board: its commitments by kind with progress, the supervision held on it this
    year and what is planned next, the suggestions it leads, and the deliberation opinions the
    committee published about it (only published ones). Five queries."""
    today = timezone.localdate()
    result = UnitBoard(unit=unit, year=year)
    by_kind: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in Commitment.objects.filter(unit=unit, year=year).order_by("kind", "sort_order", "pk"):
        commitment.late = _late(commitment, today)
        by_kind[commitment.kind].append(commitment)
    result.groups = [(label, by_kind[kind]) for kind, label in Commitment.Kind.choices if by_kind.get(kind)]
    activities = list(Activity.objects.filter(unit=unit, year=year).exclude(status=Activity.Status.CANCELLED))
    result.held = sorted((a for a in activities if a.status == Activity.Status.HELD), key=lambda a: a.held_on)
    result.upcoming = [a for a in activities if a.status == Activity.Status.PLANNED and a.planned_on >= today][:3]
    result.suggestions = suggestion_selectors.led_by_units(year, [unit.pk]).get(unit.pk, [])
    result.deliberations = published_deliberations(unit=unit, year=year)
    return result


def published_deliberations(
    *, unit: Unit | None = None, year: int | None = None, pk: int | None = None
) -> list[Deliberation]:
    """Deliberation opinions the committee published, with their items and how far each is
    handled (two queries)."""
    found = Deliberation.objects.filter(published_at__isnull=False).select_related("rectification", "unit", "meeting")
    if unit is not None:
        found = found.filter(unit=unit)
    if year is not None:
        found = found.filter(deliberated_on__year=year)
    if pk is not None:
        found = found.filter(pk=pk)
    return list(
        found.prefetch_related(Prefetch("rectification__opinions", queryset=Opinion.objects.order_by("sort_order")))
    )


def published_deliberation(pk: int) -> Deliberation | None:
    """One published deliberation; None for a draft or an unknown one (the public gets a 404)."""
    return next(iter(published_deliberations(pk=pk)), None)


# --- the unit portal ----------------------------------------------------------------------------


def _commitment_flags() -> dict[str, Q]:
    """The one definition of what makes a unit's commitment stand out for its liaison: late
    (past its due date and not done), waiting for an update (under way and not reported for a
    month), returned by the commission (under way with its comment), being checked."""
    today = timezone.localdate()
    stale = timezone.now() - datetime.timedelta(days=STALE_DAYS)
    underway = Q(state=Commitment.State.UNDERWAY)
    flags = {
        "late": ~Q(state=Commitment.State.DONE) & Q(due_on__lt=today),
        "needs_update": underway & (Q(updated_at__isnull=True) | Q(updated_at__lt=stale)),
        "returned": underway & ~Q(check_comment=""),
        "being_checked": Q(state=Commitment.State.REPORTED),
    }
    flags["attention"] = flags["late"] | flags["needs_update"] | flags["returned"]
    return flags


def unit_commitments(unit_id: int, year: int) -> list[Commitment]:
    """The liaison's own unit's items for the year, each with its flags (``late``,
    ``needs_update``, ``returned``, ``being_checked``, ``attention``) (two queries)."""
    flags = {name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in _commitment_flags().items()}
    return list(
        Commitment.objects.filter(unit_id=unit_id, year=year)
        .annotate(**flags)
        .prefetch_related("updates")
        .order_by("kind", "sort_order", "pk")
    )


@dataclass(frozen=True)
class CommitmentSummary:
    """How many of a unit's commitments of the year are late, wait for an update, were returned
    or are being checked; ``attention`` counts the items that are any of the first three."""

    late: int = 0
    needs_update: int = 0
    returned: int = 0
    being_checked: int = 0
    attention: int = 0


def unit_commitment_summary(unit_id: int, year: int) -> CommitmentSummary:
    """The counts above the unit's commitments page and on the portal's home (one query)."""
    counts = Commitment.objects.filter(unit_id=unit_id, year=year).aggregate(
        **{name: Count("pk", filter=q) for name, q in _commitment_flags().items()}
    )
    return CommitmentSummary(**counts)


def unit_commitment(unit_id: int, pk: int) -> Commitment | None:
    """One of the unit's items; None for another unit's (the liaison gets a 404)."""
    return Commitment.objects.filter(unit_id=unit_id, pk=pk).first()


def unit_commitment_todo_count(user) -> int:
    """The portal home's count: the unit's items of the year that need attention, as its
    commitments page counts them."""
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        return 0
    return unit_commitment_summary(unit_id, this_year()).attention


# --- the back office ------------------------------------------------------------------------


@dataclass
class UnitYear:
    unit: Unit
    year: int
    commitments: list[Commitment]
    activities: list[Activity]
    inquiries: list[SpecialInquiry]
    deliberations: list[Deliberation]
    rectifications: list[Rectification]
    suggestions: list
    suggestion_stats: object
    results: list[Result]

    def held(self, kind: str) -> list[Activity]:
        return [a for a in self.activities if a.kind == kind and a.status == Activity.Status.HELD]

    @property
    def visits(self):
        return self.held(Activity.Kind.VISIT)

    @property
    def inquiries_held(self):
        return self.held(Activity.Kind.INQUIRY)

    @property
    def special_reports(self):
        return self.held(Activity.Kind.SPECIAL_REPORT)

    @property
    def overdue(self):
        return [a for a in self.activities if a.overdue]

    @property
    def commitments_done(self) -> int:
        return sum(c.state == Commitment.State.DONE for c in self.commitments)


def unit_year(unit: Unit, year: int) -> UnitYear:
    """Everything recorded about a unit this year, for its year-end evaluation (年终工作评议):
    its commitments and their progress, every supervision activity held or missed, the special
    inquiries and deliberation opinions that concerned it, its rectifications, the suggestions it
    led and how it handled them, and any evaluation result. A fixed number of queries."""
    today = timezone.localdate()
    commitments = list(Commitment.objects.filter(unit=unit, year=year).order_by("kind", "sort_order", "pk"))
    for commitment in commitments:
        commitment.late = _late(commitment, today)
    activities = list(
        Activity.objects.filter(unit=unit, year=year)
        .prefetch_related("members__deputy", "deputies")
        .order_by("planned_on", "pk")
    )
    for activity in activities:
        activity.overdue = activity.status == Activity.Status.PLANNED and activity.planned_on < today
    inquiries = list(
        SpecialInquiry.objects.filter(units=unit, year=year).prefetch_related(
            Prefetch(
                "questions",
                queryset=InquiryQuestion.objects.filter(Q(unit=unit) | Q(unit__isnull=True)).select_related("asked_by"),
            )
        )
    )
    deliberations = list(
        Deliberation.objects.filter(unit=unit, deliberated_on__year=year)
        .select_related("rectification", "meeting")
        .prefetch_related(Prefetch("rectification__opinions", queryset=Opinion.objects.order_by("sort_order")))
    )
    rectifications = list(
        Rectification.objects.filter(unit=unit, subject__isnull=False)
        .filter(Q(delivered_at__year=year) | Q(status=Rectification.Status.DELIVERED))
        .select_related("subject__campaign")
        .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.order_by("sort_order")))
    )
    stats = next((row for row in suggestion_selectors.unit_statistics(year) if row.unit_id == unit.pk), None)
    results = list(
        Result.objects.filter(subject__unit=unit, subject__campaign__year=year).select_related("subject__campaign")
    )
    return UnitYear(
        unit=unit,
        year=year,
        commitments=commitments,
        activities=activities,
        inquiries=inquiries,
        deliberations=deliberations,
        rectifications=rectifications,
        suggestions=suggestion_selectors.led_by_units(year, [unit.pk]).get(unit.pk, []),
        suggestion_stats=stats,
        results=results,
    )


@dataclass
class YearInNumbers:
    year: int
    visits: int
    inquiries: int
    special_reports: int
    evaluations_held: int
    activities_planned: int
    activities_overdue: int
    special_inquiries: int
    inquiry_questions: int
    units_evaluated: int
    commitments: int
    commitments_done: int
    deliberations: int
    deliberation_items: int
    deliberation_items_done: int
    suggestions: int
    per_unit: list = field(default_factory=list)

    @property
    def commitments_done_rate(self) -> int:
        return round(100 * self.commitments_done / self.commitments) if self.commitments else 0


def year_in_numbers(year: int) -> YearInNumbers:
    """The year's supervision in figures, the kind seed 002 reports for 2019: visits, inquiries,
    special reports, units evaluated, commitments done, deliberation opinions and suggestions;
    with the same figures per unit. A fixed number of queries."""
    today = timezone.localdate()
    held = Q(status=Activity.Status.HELD)
    activity = Activity.objects.filter(year=year).aggregate(
        visits=Count("pk", filter=held & Q(kind=Activity.Kind.VISIT)),
        inquiries=Count("pk", filter=held & Q(kind=Activity.Kind.INQUIRY)),
        reports=Count("pk", filter=held & Q(kind=Activity.Kind.SPECIAL_REPORT)),
        evaluations=Count("pk", filter=held & Q(kind=Activity.Kind.EVALUATION)),
        planned=Count("pk", filter=~Q(status=Activity.Status.CANCELLED)),
        overdue=Count("pk", filter=Q(status=Activity.Status.PLANNED, planned_on__lt=today)),
    )
    inquiries = SpecialInquiry.objects.filter(year=year, status=SpecialInquiry.Status.HELD).aggregate(
        n=Count("pk", distinct=True), q=Count("questions", distinct=True)
    )
    commitments = Commitment.objects.filter(year=year).aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(state=Commitment.State.DONE))
    )
    deliberation = Opinion.objects.filter(rectification__deliberation__deliberated_on__year=year).aggregate(
        n=Count("rectification", distinct=True), items=Count("pk"), done=Count("pk", filter=Q(state=Opinion.State.DONE))
    )
    evaluated = (
        Subject.objects.filter(campaign__year=year, results__round=Result.Round.EVALUATION)
        .values("unit_id")
        .distinct()
        .count()
    )
    rows = board(year)
    return YearInNumbers(
        year=year,
        visits=activity["visits"],
        inquiries=activity["inquiries"],
        special_reports=activity["reports"],
        evaluations_held=activity["evaluations"],
        activities_planned=activity["planned"],
        activities_overdue=activity["overdue"],
        special_inquiries=inquiries["n"],
        inquiry_questions=inquiries["q"],
        units_evaluated=evaluated,
        commitments=commitments["n"],
        commitments_done=commitments["done"],
        deliberations=deliberation["n"],
        deliberation_items=deliberation["items"],
        deliberation_items_done=deliberation["done"],
        suggestions=sum(r.suggestions for r in rows),
        per_unit=rows,
    )
