"""Investigating (调查): work evaluations take the year's planned units as subjects; survey
teams tick the 一听取三核查五征求 checklist of each subject and submit their report to the
director's meeting."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Meeting
from congress.services import audit
from evaluations.models import Campaign, ChecklistItem, ContentItem, PlanEntry, Subject, SurveyReport, TermPlan

from . import EvaluationError
from .planning import failed_last_year, locked, require_stage
from .topics import create_subject


def take_planned_units(campaign: Campaign, *, by=None) -> list[Subject]:
    """A work evaluation's subjects: every unit the approved term plan schedules for this year,
    and every unit that failed last year's work evaluation (listed again)."""
    with transaction.atomic():
        campaign = locked(campaign)
        if campaign.kind != Campaign.Kind.WORK:
            raise EvaluationError(_("Only a work evaluation takes its subjects from the term plan."))
        require_stage(campaign, Campaign.Stage.PLANNING)
        plan = TermPlan.objects.filter(term=campaign.term).first()
        if plan is None or plan.status != TermPlan.Status.APPROVED:
            raise EvaluationError(_("The term's evaluation plan must be approved first."))
        units = [
            e.unit
            for e in PlanEntry.objects.filter(plan=plan, year=campaign.year, unit__active=True).select_related("unit")
        ]
        planned = {u.pk for u in units}
        failed = [r.subject.unit for r in failed_last_year(campaign)]
        carried = [u for u in failed if u.pk not in planned]
        if not units and not carried:
            raise EvaluationError(_("The plan schedules no unit for %(year)s.") % {"year": campaign.year})
        failed_ids = {u.pk for u in failed}
        subjects = [
            create_subject(campaign, unit=u, carried_over=u.pk in failed_ids, order=i) for i, u in enumerate(units)
        ]
        subjects += [
            create_subject(campaign, unit=u, carried_over=True, order=len(units) + i) for i, u in enumerate(carried)
        ]
        campaign.stage = Campaign.Stage.INVESTIGATION
        campaign.save(update_fields=["stage"])
        audit.record(campaign, "take_planned_units", actor=by, subjects=len(subjects), carried_over=len(carried))
    return subjects


def _open_subject(subject: Subject) -> Campaign:
    campaign = locked(subject.campaign)
    require_stage(campaign, Campaign.Stage.INVESTIGATION)
    if SurveyReport.objects.filter(subject=subject, submitted_at__isnull=False).exists():
        raise EvaluationError(
            _("The survey report on %(subject)s has been submitted; its investigation is closed.")
            % {"subject": subject.label}
        )
    return campaign


def tick_checklist(item: ChecklistItem, *, notes: str, on: datetime.date | None = None, by=None) -> ChecklistItem:
    """Record a checklist point as done, with what was found (notes are required: a tick with
    nothing behind it proves nothing)."""
    notes = (notes or "").strip()
    if not notes:
        raise EvaluationError(_("Write down what was heard, verified or consulted."))
    with transaction.atomic():
        _open_subject(item.subject)
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        item.done = True
        item.notes = notes
        item.done_on = on or timezone.localdate()
        item.save(update_fields=["done", "notes", "done_on"])
        audit.record(item.subject, "tick_checklist", actor=by, point=item.point)
    return item


def tick_checklist_points(
    subject: Subject, notes: dict[int, str], *, on: datetime.date | None = None, by
) -> list[ChecklistItem]:
    """Record several checklist points of a subject as done at once (a survey team's day of
    hearing, verifying and consulting), each with what was found: ``notes`` maps each point's id
    to its notes. A point without notes refuses the whole batch, naming it; nothing half-done."""
    with transaction.atomic():
        _open_subject(subject)
        items = list(
            ChecklistItem.objects.select_for_update().filter(subject=subject, pk__in=list(notes)).order_by("sort_order")
        )
        if len(items) != len(notes):
            raise EvaluationError(_("A checklist point ticked is not one of this subject's."))
        bare = [i.get_point_display() for i in items if not (notes[i.pk] or "").strip()]
        if bare:
            raise EvaluationError(
                _("Write down what was heard, verified or consulted for: %(points)s.") % {"points": "、".join(bare)}
            )
        day = on or timezone.localdate()
        for item in items:
            item.done, item.notes, item.done_on = True, notes[item.pk].strip(), day
        ChecklistItem.objects.bulk_update(items, ["done", "notes", "done_on"])
        audit.record(subject, "tick_checklist", actor=by, points=[i.point for i in items])
    return items


def add_content_item(subject: Subject, *, kind: str, title: str, by=None) -> ContentItem:
    """Add one of a subject's own content items: a specific item (at most two) or a task."""
    title = (title or "").strip()
    if not title:
        raise EvaluationError(_("Give the content item a title."))
    if kind not in (ContentItem.Kind.SPECIFIC, ContentItem.Kind.TASK):
        raise EvaluationError(_("A subject's own items are specific items or tasks."))
    with transaction.atomic():
        _open_subject(subject)
        own = ContentItem.objects.filter(subject=subject, kind=kind)
        if kind == ContentItem.Kind.SPECIFIC and own.count() >= 2:
            raise EvaluationError(_("A subject has two specific items (9+2+N)."))
        item = ContentItem.objects.create(
            campaign=subject.campaign, subject=subject, kind=kind, title=title, sort_order=own.count()
        )
        audit.record(subject, "add_content_item", actor=by, kind=kind)
    return item


def submit_survey_report(subject: Subject, *, summary: str, meeting: Meeting, file=None, by=None) -> SurveyReport:
    """Submit the survey team's report on a subject to the director's meeting. The checklist
    must be complete: every point heard, verified or consulted."""
    summary = (summary or "").strip()
    if not summary:
        raise EvaluationError(_("The survey report needs a summary."))
    if meeting.kind != Meeting.Kind.DIRECTORS:
        raise EvaluationError(_("Survey reports are submitted to the director's meeting."))
    with transaction.atomic():
        _open_subject(subject)
        missing = [i.get_point_display() for i in subject.checklist.filter(done=False)]
        if missing:
            raise EvaluationError(
                _("The checklist of %(subject)s is not complete: %(points)s.")
                % {"subject": subject.label, "points": "、".join(str(p) for p in missing)}
            )
        report, _created = SurveyReport.objects.get_or_create(subject=subject, defaults={"summary": summary})
        report.summary = summary
        if file is not None:
            report.file = file
        report.submitted_at = timezone.now()
        report.submitted_to = meeting
        report.save()
        audit.record(subject, "submit_survey_report", actor=by, meeting=meeting.pk)
    return report
