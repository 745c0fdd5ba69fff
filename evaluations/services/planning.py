"""Planning: the term plan (评议规划表), the year's campaign and its phases (年度时间安排表)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Term
from congress.services import audit
from evaluations import selectors
from evaluations.models import Campaign, Candidate, ContentItem, Phase, PlanEntry, Result, TermPlan

from . import EvaluationError

# (phase, first month, last month) of a year's campaign; staff move the dates as they need.
DEFAULT_PHASES = [
    (Phase.Kind.PUBLICITY, 3, 3),
    (Phase.Kind.SELF_REVIEW, 4, 4),
    (Phase.Kind.INVESTIGATION, 5, 7),
    (Phase.Kind.DELIBERATION, 8, 9),
    (Phase.Kind.RECTIFICATION, 10, 12),
]

# The nine common items every subject is evaluated on (9+2+N, seed 004).
COMMON_CONTENT = [
    "法治政府建设",
    "政府工作报告任务落实",
    "县委县政府重点工作推进",
    "人大代表建议办理",
    "人大常委会审议意见落实",
    "依法行政和规范执法",
    "优化营商环境和服务效能",
    "党风廉政和作风建设",
    "群众诉求和12345热线办理",
]


def require_stage(campaign: Campaign, *stages: str) -> None:
    """Refuse a step taken out of turn, naming the stage it belongs to and the current one."""
    if campaign.stage not in stages:
        raise EvaluationError(
            _("This step belongs to the stage “%(expected)s”; the evaluation is at “%(stage)s”.")
            % {
                "expected": "、".join(str(Campaign.Stage(s).label) for s in stages),
                "stage": campaign.get_stage_display(),
            }
        )


def locked(campaign: Campaign) -> Campaign:
    """Re-read the campaign under a row lock, so two staff pressing the same button act once."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def schedule_units(plan: TermPlan, units, *, year: int, deadline: datetime.date | None = None, by) -> int:
    """Put many units on one year of the term plan at once (评议规划表: one row per unit and
    year), with the date they must be done by. A unit already on that year keeps its row; an
    approved plan is not changed. Returns how many rows were added."""
    if not 2000 <= year <= 2100:
        raise EvaluationError(_("Give the year, such as 2026."))
    with transaction.atomic():
        plan = TermPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != TermPlan.Status.DRAFT:
            raise EvaluationError(_("This plan is already approved."))
        present = set(PlanEntry.objects.filter(plan=plan, year=year).values_list("unit_id", flat=True))
        added = PlanEntry.objects.bulk_create(
            PlanEntry(plan=plan, unit=unit, year=year, deadline=deadline) for unit in units if unit.pk not in present
        )
        if added:
            audit.record(plan, "schedule_units", actor=by, year=year, units=[e.unit_id for e in added])
    return len(added)


def approve_plan(plan: TermPlan, *, by=None, accept_uncovered: bool = False) -> TermPlan:
    """Approve the term plan. If it leaves units uncovered in the term (一届任期全覆盖 not met),
    refuse with their names unless staff confirm that they approve it anyway."""
    with transaction.atomic():
        plan = TermPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != TermPlan.Status.DRAFT:
            raise EvaluationError(_("This plan is already approved."))
        if not plan.entries.exists():
            raise EvaluationError(_("The plan has no entries yet."))
        uncovered = selectors.uncovered_units(plan)
        if uncovered and not accept_uncovered:
            names = "、".join(u.name for u in uncovered[:10])
            raise EvaluationError(
                _("%(count)s units are not evaluated in this term: %(names)s. Confirm to approve the plan anyway.")
                % {"count": len(uncovered), "names": names + ("……" if len(uncovered) > 10 else "")}
            )
        plan.status = TermPlan.Status.APPROVED
        plan.approved_at = timezone.now()
        plan.approved_by = by if by is not None and by.is_authenticated else None
        plan.uncovered_when_approved = len(uncovered)
        plan.save(update_fields=["status", "approved_at", "approved_by", "uncovered_when_approved"])
        audit.record(plan, "approve_plan", actor=by, uncovered=[u.name for u in uncovered])
    return plan


def create_campaign(*, year: int, kind: str, title: str = "", term: Term | None = None, by=None) -> Campaign:
    """Open a year's evaluation of one kind, with the default phases and the nine common content
    items. A duty evaluation starts with last year's failed subjects already on its candidate
    list (列为下一年度述职评议对象)."""
    if kind not in Campaign.Kind.values:
        raise EvaluationError(_("Unknown kind of evaluation."))
    term = term or Term.objects.filter(is_current=True).first()
    if term is None:
        raise EvaluationError(_("There is no current term."))
    if Campaign.objects.filter(year=year, kind=kind).exists():
        raise EvaluationError(
            _("A %(kind)s for %(year)s already exists.") % {"kind": Campaign.Kind(kind).label, "year": year}
        )
    title = title.strip() or _("%(year)s %(kind)s") % {"year": year, "kind": Campaign.Kind(kind).label}
    with transaction.atomic():
        campaign = Campaign.objects.create(term=term, year=year, kind=kind, title=title)
        Phase.objects.bulk_create(
            Phase(
                campaign=campaign,
                kind=phase,
                starts_on=datetime.date(year, first, 1),
                ends_on=_month_end(year, last),
                sort_order=i,
            )
            for i, (phase, first, last) in enumerate(DEFAULT_PHASES)
        )
        ContentItem.objects.bulk_create(
            ContentItem(campaign=campaign, kind=ContentItem.Kind.COMMON, title=t, sort_order=i)
            for i, t in enumerate(COMMON_CONTENT)
        )
        carried = _carry_over_candidates(campaign) if kind == Campaign.Kind.DUTY else 0
        audit.record(campaign, "create_campaign", actor=by, carried_over=carried)
    return campaign


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def failed_last_year(campaign: Campaign):
    """The subjects of last year's evaluation of the same kind whose verdict was fail."""
    return (
        Result.objects.filter(
            round=Result.Round.EVALUATION,
            verdict=Result.Verdict.FAIL,
            subject__campaign__year=campaign.year - 1,
            subject__campaign__kind=campaign.kind,
        )
        .select_related("subject__unit", "subject__official")
        .order_by("subject__sort_order")
    )


def _carry_over_candidates(campaign: Campaign) -> int:
    made = 0
    for i, result in enumerate(failed_last_year(campaign)):
        subject = result.subject
        # The person is listed again while in office; otherwise whoever heads the unit now.
        official = subject.official
        if official is not None and not official.active:
            official = subject.unit.officials.filter(active=True, is_head=True).first()
        Candidate.objects.create(
            campaign=campaign,
            official=official,
            unit=subject.unit,
            reason=_("Failed the %(year)s evaluation.") % {"year": campaign.year - 1},
            carried_over=True,
            previous_subject=subject,
            sort_order=i,
        )
        made += 1
    return made


def complete_phase(phase: Phase, *, on: datetime.date | None = None, by=None) -> Phase:
    """Mark a phase of the campaign done (on a date, today by default)."""
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=phase.pk)
        if phase.completed_on is not None:
            raise EvaluationError(_("This phase is already marked done."))
        phase.completed_on = on or timezone.localdate()
        phase.save(update_fields=["completed_on"])
        audit.record(phase.campaign, "complete_phase", actor=by, phase=phase.kind)
    return phase
