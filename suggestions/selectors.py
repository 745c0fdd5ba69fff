"""Reads of the suggestions: what a deputy may see (only what they signed), what a unit may see
(only what was assigned to it), related suggestions at intake, and the statistics per unit and
year (the public reads only published years). Lists cost a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from congress import public_cache

from . import similarity
from .models import (
    Assignment,
    ContactLog,
    Cosigner,
    Feedback,
    RelatedProposal,
    Reply,
    Suggestion,
    SuggestionLink,
    YearStatistics,
)

S = Suggestion.Status

# --- the deputy -----------------------------------------------------------------------


def signed_by(deputy) -> Q:
    """Suggestions the deputy leads or co-signed (confirmed)."""
    confirmed = Cosigner.objects.filter(suggestion=OuterRef("pk"), deputy=deputy, status=Cosigner.Status.CONFIRMED)
    return Q(lead_deputy=deputy) | Q(Exists(confirmed))


def for_deputy(deputy):
    """The deputy's own suggestions (led or co-signed), newest first (one query)."""
    lead_units = Assignment.objects.filter(role=Assignment.Role.LEAD, status=Assignment.Status.ACTIVE).select_related(
        "unit"
    )
    return (
        Suggestion.objects.filter(signed_by(deputy))
        .select_related("lead_deputy", "category", "session")
        .prefetch_related(Prefetch("assignments", queryset=lead_units, to_attr="lead_assignments"))
        .order_by("-created_at", "-pk")
    )


def cosign_requests(deputy) -> list[Suggestion]:
    """Suggestions waiting for this deputy to confirm or decline co-signing."""
    return list(
        Suggestion.objects.filter(
            status=S.COSIGNING, cosigners__deputy=deputy, cosigners__status=Cosigner.Status.INVITED
        ).select_related("lead_deputy")
    )


def deputy_may_see(deputy, suggestion: Suggestion) -> bool:
    """The lead deputy and the co-signers (also one still asked to confirm)."""
    return (
        suggestion.lead_deputy_id == deputy.pk
        or suggestion.cosigners.filter(deputy=deputy).exclude(status=Cosigner.Status.DECLINED).exists()
    )


def deputy_todo_count(user) -> int:
    """Co-sign requests and replies waiting for this deputy's rating."""
    from congress.permissions import deputy_of

    deputy = deputy_of(user)
    if deputy is None:
        return 0
    requests = Cosigner.objects.filter(
        deputy=deputy, status=Cosigner.Status.INVITED, suggestion__status=S.COSIGNING
    ).count()
    to_rate = Suggestion.objects.filter(lead_deputy=deputy, status=S.REPLIED).count()
    return requests + to_rate


def ratings_late(now=None):
    """Suggestions replied to whose lead deputy has not rated the reply by the day the rating
    was due (the rating reminder's date, ``Reply.rate_remind_at``): the office asks the deputy
    for the 征询意见表. The staff workbench's count and the list it opens (one query)."""
    now = now or timezone.now()
    late = Reply.objects.filter(suggestion=OuterRef("pk"), rate_remind_at__lt=now, feedback__isnull=True)
    return Suggestion.objects.filter(status=S.REPLIED).filter(Exists(late))


def ratings_late_count(user=None) -> int:
    return ratings_late().count()


def latest_reply(suggestion: Suggestion) -> Reply | None:
    return suggestion.replies.select_related("feedback").order_by("-replied_at", "-pk").first()


def history(suggestion: Suggestion) -> dict:
    """Everything a deputy or the office reads about one suggestion: signers, assignments by
    round, replies with their ratings, contacts, supervision (a fixed number of queries)."""
    replies = list(suggestion.replies.select_related("assignment__unit").order_by("replied_at", "pk"))
    feedback = {f.reply_id: f for f in Feedback.objects.filter(reply__suggestion=suggestion)}
    for reply in replies:
        reply.rating = feedback.get(reply.pk)
    assignments = list(suggestion.assignments.select_related("unit").order_by("-round", "role", "pk"))
    return {
        "suggestion": suggestion,
        "cosigners": list(suggestion.cosigners.select_related("deputy")),
        "attachments": list(suggestion.attachments.all()),
        "assignments": assignments,
        "current": [a for a in assignments if a.status == Assignment.Status.ACTIVE],
        "replies": replies,
        "latest": replies[-1] if replies else None,
        "contacts": list(
            ContactLog.objects.filter(assignment__suggestion=suggestion)
            .select_related("assignment__unit")
            .order_by("happened_on", "pk")
        ),
        "activities": list(suggestion.activities.order_by("happened_on", "pk")),
    }


# --- the unit -------------------------------------------------------------------------


# The one definition of what waits for a unit on an assignment it holds: signing for it while
# the suggestion is still to be handled, the lead unit's reply (again after 不满意, or once a B
# reply's matter is solved), a co-unit's views. The home's count and the 待办理 list both use it.
AWAITS_SIGNATURE = Q(
    status=Assignment.Status.ACTIVE, signed_at__isnull=True, suggestion__status__in=[S.ASSIGNED, S.REHANDLING]
)
UNIT_AWAITING_HANDLING = AWAITS_SIGNATURE | Q(status=Assignment.Status.ACTIVE) & (
    Q(role=Assignment.Role.LEAD, suggestion__status__in=[S.ASSIGNED, S.REHANDLING, S.IN_PROGRESS])
    | Q(role=Assignment.Role.CO, views_sent_at__isnull=True, suggestion__status=S.ASSIGNED)
)


def for_unit(unit, *, status: str = ""):
    """The unit's assignments (of every round it took part in), newest first (one query);
    ``status="open"``: only those waiting for the unit (待办理). Each says whether it still
    awaits the unit's signature (``to_sign``)."""
    assignments = (
        Assignment.objects.filter(unit=unit)
        .exclude(status=Assignment.Status.CLOSED, returned_at__isnull=True, signed_at__isnull=True)
        .select_related("suggestion__lead_deputy", "suggestion__category", "suggestion__session")
        .annotate(to_sign=ExpressionWrapper(AWAITS_SIGNATURE, output_field=BooleanField()))
        .order_by("-assigned_at", "-pk")
    )
    if status == "open":
        assignments = assignments.filter(UNIT_AWAITING_HANDLING)
    return assignments


def awaits_signature(assignment: Assignment) -> bool:
    """Whether the unit is still to sign for this assignment (never once it is replied or closed)."""
    return (
        assignment.status == Assignment.Status.ACTIVE
        and assignment.signed_at is None
        and assignment.suggestion.status in (S.ASSIGNED, S.REHANDLING)
    )


def _led(year: int, unit_ids=None):
    """The lead assignments (主办) of ``year``'s accepted suggestions, not returned."""
    assignments = Assignment.objects.filter(
        role=Assignment.Role.LEAD, suggestion__session__year=year, suggestion__number__isnull=False
    ).exclude(status=Assignment.Status.RETURNED)
    if unit_ids is not None:
        assignments = assignments.filter(unit_id__in=unit_ids)
    return assignments


def led_by_units(year: int, unit_ids=None) -> dict[int, list[Suggestion]]:
    """The accepted suggestions of ``year``'s session that each unit leads (主办), for pages that
    show a unit's whole year (one query). Only number, title and handling status are meant to be
    shown beyond the office: the deputies' names stay here."""
    assignments = _led(year, unit_ids).select_related("suggestion").order_by("suggestion__number", "pk")
    led: dict[int, list[Suggestion]] = {}
    for assignment in assignments:
        led.setdefault(assignment.unit_id, []).append(assignment.suggestion)
    return led


def led_counts(year: int, unit_ids=None) -> dict[int, int]:
    """How many of ``year``'s suggestions each unit leads: the count of ``led_by_units``, counted
    in the database (one query, one row per unit)."""
    return dict(_led(year, unit_ids).values_list("unit_id").annotate(n=Count("pk")).order_by())


def unit_assignment(unit, suggestion_pk: int) -> Assignment | None:
    """The unit's latest assignment of a suggestion; None when it was never assigned to it."""
    return (
        Assignment.objects.filter(unit=unit, suggestion_id=suggestion_pk)
        .select_related("suggestion__lead_deputy", "suggestion__session", "unit")
        .order_by("-round")
        .first()
    )


def unit_todo_count(user) -> int:
    """How many suggestions wait for the liaison's unit: the rows of its 待办理 list."""
    if not user.is_authenticated or user.unit_id is None:
        return 0
    return Assignment.objects.filter(unit_id=user.unit_id).filter(UNIT_AWAITING_HANDLING).count()


def co_unit_views(suggestion: Suggestion, round_: int) -> list[Assignment]:
    return list(
        suggestion.assignments.filter(round=round_, role=Assignment.Role.CO).select_related("unit").order_by("pk")
    )


# --- the office -----------------------------------------------------------------------


@dataclass
class MatterYear:
    """One suggestion in a matter's history, as the timeline shows it: the year, who raised it,
    the unit that handled it, the reply's category and the deputy's rating; ``proposal`` and
    ``score`` when it is only proposed (not yet confirmed by the office)."""

    suggestion: Suggestion
    deputies: list[str]
    unit: str = ""
    reply: Reply | None = None
    rating: str = ""
    proposal: int | None = None
    score: float | None = None
    current: bool = False

    @property
    def year(self) -> int:
        return self.suggestion.session.year


def matter_history(suggestion: Suggestion, *, limit: int = similarity.LIMIT) -> dict:
    """A suggestion's whole history on its matter: ``chain``, the suggestions linked to it (one
    history across years and terms, the links followed both ways), itself included, oldest
    first; and ``proposed``, the suggestions the likeness proposes and the office has not
    decided yet, most alike first (at most ``limit``). Read from the stored links and proposals:
    a fixed number of queries (one more per step of a chain's links), whatever the number of
    suggestions."""
    chain_ids = linked_ids(suggestion) | {suggestion.pk}
    proposals = list(
        RelatedProposal.objects.filter(
            Q(earlier_id=suggestion.pk) | Q(later_id=suggestion.pk), status=RelatedProposal.Status.PROPOSED
        )
        .exclude(earlier_id__in=chain_ids - {suggestion.pk})
        .exclude(later_id__in=chain_ids - {suggestion.pk})
        .order_by("-score", "pk")
        .values_list("pk", "earlier_id", "later_id", "score")[:limit]
    )
    proposed = {(early if late == suggestion.pk else late): (pk, score) for pk, early, late, score in proposals}
    rows = _matter_years(chain_ids | set(proposed))
    chain = sorted((rows[pk] for pk in chain_ids if pk in rows), key=lambda r: (r.year, r.suggestion.pk))
    for row in chain:
        row.current = row.suggestion.pk == suggestion.pk
    listed = []
    for pk, (proposal, score) in proposed.items():
        if pk in rows:
            rows[pk].proposal, rows[pk].score = proposal, score
            listed.append(rows[pk])
    listed.sort(key=lambda r: (-r.score, r.suggestion.pk))
    return {"chain": chain, "proposed": listed, "years": len({r.year for r in chain})}


def _matter_years(ids) -> dict[int, MatterYear]:
    """The timeline's facts of each suggestion (four queries)."""
    confirmed = Cosigner.objects.filter(status=Cosigner.Status.CONFIRMED).select_related("deputy").order_by("pk")
    leads = (
        Assignment.objects.filter(role=Assignment.Role.LEAD)
        .exclude(status=Assignment.Status.RETURNED)
        .select_related("unit")
        .order_by("-round", "-pk")
    )
    replies = Reply.objects.select_related("feedback").order_by("-replied_at", "-pk")
    found = (
        Suggestion.objects.filter(pk__in=list(ids))
        .select_related("session", "lead_deputy", "category")
        .prefetch_related(
            Prefetch("cosigners", queryset=confirmed, to_attr="confirmed_cosigners"),
            Prefetch("assignments", queryset=leads, to_attr="lead_rounds"),
            Prefetch("replies", queryset=replies, to_attr="replies_newest_first"),
        )
    )
    rows = {}
    for s in found:
        reply = s.replies_newest_first[0] if s.replies_newest_first else None
        feedback = getattr(reply, "feedback", None) if reply else None
        rows[s.pk] = MatterYear(
            suggestion=s,
            deputies=[s.lead_deputy.name] + [c.deputy.name for c in s.confirmed_cosigners],
            unit=s.lead_rounds[0].unit.name if s.lead_rounds else "",
            reply=reply,
            rating=feedback.get_rating_display() if feedback else "",
        )
    return rows


def linked_ids(suggestion: Suggestion) -> set[int]:
    """Every suggestion in the same history as this one (links followed both ways)."""
    seen, frontier = {suggestion.pk}, {suggestion.pk}
    while frontier:
        pairs = SuggestionLink.objects.filter(Q(earlier_id__in=frontier) | Q(later_id__in=frontier)).values_list(
            "earlier_id", "later_id"
        )
        found = {pk for pair in pairs for pk in pair} - seen
        seen |= found
        frontier = found
    return seen - {suggestion.pk}


def linked_history(suggestion: Suggestion) -> list[Suggestion]:
    """The matter's history: the linked suggestions, oldest first."""
    return list(
        Suggestion.objects.filter(pk__in=linked_ids(suggestion))
        .select_related("session", "lead_deputy")
        .order_by("session__year", "pk")
    )


@dataclass
class RepeatedMatter:
    """A matter of ``year`` asked in earlier years too (confirmed links): for the year's
    statistics and the director's meeting, which may make it a key suggestion (重点建议)."""

    suggestion: Suggestion
    history: list[MatterYear]

    @property
    def years(self) -> list[int]:
        return sorted({row.year for row in self.history})

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(row.unit for row in self.history if row.unit))

    @property
    def earlier(self) -> list[MatterYear]:
        return [row for row in self.history if row.suggestion.pk != self.suggestion.pk]


def repeated_matters(year: int) -> list[RepeatedMatter]:
    """The suggestions of ``year``'s session whose matter was asked in earlier years too (the
    office confirmed the links), longest history first, each with its history up to that year.
    A fixed number of queries (one more per step of the longest chain of links); only the
    suggestions with links are read, however many the year has."""
    own = Suggestion.objects.filter(session__year=year).exclude(status__in=[S.DRAFT, S.COSIGNING]).values("pk")
    parent: dict[int, int] = {}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    # The first step reads the links of the year's suggestions through a subquery; each
    # further step only the suggestions reached by the step before.
    links = SuggestionLink.objects.filter(Q(earlier_id__in=own) | Q(later_id__in=own))
    seen: set[int] = set()
    while True:
        frontier = set()
        for a, b in links.values_list("earlier_id", "later_id"):
            for pk in (a, b):
                if pk not in parent:
                    parent[pk] = pk
                    frontier.add(pk)
            parent[root(a)] = root(b)
        frontier -= seen
        if not frontier:
            break
        seen |= frontier
        links = SuggestionLink.objects.filter(Q(earlier_id__in=frontier) | Q(later_id__in=frontier))
    if not parent:
        return []
    groups: dict[int, list[int]] = {}
    for pk in parent:
        groups.setdefault(root(pk), []).append(pk)
    rows = _matter_years(set(parent))
    found = []
    for pk in sorted(rows):
        if rows[pk].year != year or rows[pk].suggestion.status in (S.DRAFT, S.COSIGNING):
            continue
        history = sorted(
            (rows[m] for m in groups[root(pk)] if m in rows and rows[m].year <= year),
            key=lambda r: (r.year, r.suggestion.pk),
        )
        if any(r.year < year for r in history):
            found.append(RepeatedMatter(rows[pk].suggestion, history))
    found.sort(key=lambda m: (-len(m.years), m.suggestion.pk))
    return found


# --- statistics -------------------------------------------------------------------------


@dataclass
class UnitStats:
    unit_id: int
    unit: str
    received: int = 0
    replied: int = 0
    on_time: int = 0
    completed: int = 0
    categories: Counter = field(default_factory=Counter)
    rated: int = 0
    satisfied: int = 0  # 满意 or 基本满意
    score: float = 0.0

    @staticmethod
    def rate(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.rate(self.on_time, self.received)

    @property
    def completion_rate(self) -> float:
        return self.rate(self.completed, self.received)

    @property
    def satisfaction_rate(self) -> float:
        return self.rate(self.satisfied, self.rated)

    def share(self, category: str) -> float:
        return self.rate(self.categories[category], self.replied)

    @property
    def shares(self) -> list[tuple[str, float]]:
        return [(c, self.share(c)) for c in "ABCD"]


def unit_statistics(year: int) -> list[UnitStats]:
    """Per lead unit, for the suggestions of ``year``'s congress session: received, replied on
    time (the first reply by its due date), completed (办结率), the A/B/C/D shares of the latest
    replies, the satisfaction rate (满意 and 基本满意 among the rated latest replies), and the
    assessment score with the year's weights. Counted by the database: two queries, whatever
    the number of suggestions."""
    weights = YearStatistics.objects.filter(year=year).first() or YearStatistics(year=year)
    replies = Reply.objects.filter(assignment=OuterRef("pk"))
    latest = replies.order_by("-replied_at", "-pk")
    counts = (
        Assignment.objects.filter(
            role=Assignment.Role.LEAD, suggestion__session__year=year, suggestion__number__isnull=False
        )
        .exclude(status=Assignment.Status.RETURNED)
        .annotate(
            first_on_time=Subquery(replies.order_by("replied_at", "pk").values("on_time")[:1]),
            latest_category=Subquery(latest.values("category")[:1]),
            latest_rating=Subquery(latest.filter(feedback__isnull=False).values("feedback__rating")[:1]),
        )
        .values("unit_id", "unit__name")
        .annotate(
            received=Count("pk"),
            replied=Count("pk", filter=Q(latest_category__isnull=False)),
            on_time=Count("pk", filter=Q(first_on_time=True)),
            completed=Count("pk", filter=Q(suggestion__status=S.COMPLETED)),
            rated=Count("pk", filter=Q(latest_rating__isnull=False)),
            satisfied=Count("pk", filter=Q(latest_rating__in=[Feedback.Rating.SATISFIED, Feedback.Rating.BASIC])),
            **{f"category_{c}": Count("pk", filter=Q(latest_category=c)) for c in Reply.Category.values},
        )
        .order_by()
    )
    rows = []
    for found in counts:
        row = UnitStats(
            found["unit_id"],
            found["unit__name"],
            received=found["received"],
            replied=found["replied"],
            on_time=found["on_time"],
            completed=found["completed"],
            categories=Counter({c: n for c in Reply.Category.values if (n := found[f"category_{c}"])}),
            rated=found["rated"],
            satisfied=found["satisfied"],
        )
        row.score = round(
            (
                weights.weight_on_time * row.on_time_rate
                + weights.weight_completed * row.completion_rate
                + weights.weight_satisfied * row.satisfaction_rate
            )
            / max(weights.weight_on_time + weights.weight_completed + weights.weight_satisfied, 1),
            1,
        )
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.score, r.unit))


def published_years() -> list[int]:
    return list(
        YearStatistics.objects.filter(published_at__isnull=False).order_by("-year").values_list("year", flat=True)
    )


def published_repeats(year: int) -> list[RepeatedMatter] | None:
    """A published year's matters asked again, for the public: None unless published."""
    if not YearStatistics.objects.filter(year=year, published_at__isnull=False).exists():
        return None
    return repeated_matters(year)


def published_statistics(year: int) -> list[UnitStats] | None:
    """A year's statistics for the public: None unless the office published them."""
    if not YearStatistics.objects.filter(year=year, published_at__isnull=False).exists():
        return None
    return unit_statistics(year)


def public_years() -> list[int]:
    """``published_years`` for the public site, cached until a suggestion service next commits."""
    return public_cache.cached(("suggestions",), "suggestions:years", published_years)


def public_year(year: int) -> tuple[list[UnitStats], list[RepeatedMatter]] | None:
    """A published year's statistics and matters asked again for the public site (None unless
    published), cached until a suggestion service next commits: no query once computed."""

    def compute():
        rows = published_statistics(year)
        return None if rows is None else (rows, repeated_matters(year))

    return public_cache.cached(("suggestions",), f"suggestions:year:{year}", compute)


def office_board() -> dict:
    """The office's suggestion board: how many wait at each step, and what is late."""
    now = timezone.now()
    counts = Counter(dict(Suggestion.objects.values_list("status").annotate(n=Count("pk")).order_by()))
    late = (
        Assignment.objects.filter(status=Assignment.Status.ACTIVE)
        .filter(
            Q(role=Assignment.Role.LEAD, due_at__lt=now)
            | Q(role=Assignment.Role.CO, views_sent_at__isnull=True, views_due_at__lt=now)
        )
        .select_related("suggestion", "unit")
        .order_by("due_at", "views_due_at")[:50]
    )
    extensions = Assignment.objects.filter(
        status=Assignment.Status.ACTIVE, extension=Assignment.Extension.REQUESTED
    ).select_related("suggestion", "unit")
    followups = Suggestion.objects.filter(status=S.COMPLETED, reviewed_at__isnull=True).filter(
        Q(is_key=True) | Q(ever_unsatisfied=True)
    )
    return {
        "counts": [(value, label, counts.get(value, 0)) for value, label in S.choices],
        "late": list(late),
        "extensions": list(extensions),
        "followups": list(followups.select_related("session")[:50]),
    }
