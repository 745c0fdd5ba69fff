"""Every write of year-round supervision: commitments and their progress, the supervision
calendar, special inquiries and deliberation opinions. Each service checks the state, changes it
in one transaction and writes an audit entry."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import public_cache
from congress.models import Deputy, Meeting, Unit
from congress.services import audit
from evaluations.models import Rectification
from evaluations.services import EvaluationError
from evaluations.services import rectification as rect

from .models import Activity, Commitment, CommitmentUpdate, Deliberation, InquiryQuestion, SpecialInquiry


class OversightError(Exception):
    """A supervision step refused; the message tells the user why, in Chinese."""


# --- commitments ---------------------------------------------------------------------------


def _record(target, verb: str, **kwargs):
    """Audit the action, and forget the public figures it may change once it commits."""
    public_cache.forget("oversight")
    return audit.record(target, verb, **kwargs)


def add_commitment(
    unit: Unit, *, year: int, kind: str, title: str, detail="", target="", due_on=None, by=None
) -> Commitment:
    """Post a commitment (or key work, key project, livelihood matter) of a unit for the year."""
    title = (title or "").strip()
    if not title:
        raise OversightError(_("A commitment needs a title."))
    if kind not in Commitment.Kind.values:
        raise OversightError(_("Unknown kind of commitment."))
    with transaction.atomic():
        if Commitment.objects.filter(unit=unit, year=year, kind=kind, title=title).exists():
            raise OversightError(_("%(unit)s already has this item for %(year)s.") % {"unit": unit.name, "year": year})
        commitment = Commitment.objects.create(
            unit=unit,
            year=year,
            kind=kind,
            title=title,
            detail=detail,
            target=target,
            due_on=due_on,
            sort_order=Commitment.objects.filter(unit=unit, year=year, kind=kind).count(),
        )
        _record(commitment, "add_commitment", actor=by)
    return commitment


def _lock(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


def update_progress(commitment: Commitment, *, by, progress, text: str, evidence=None) -> Commitment:
    """The unit's liaison reports progress on one of the unit's commitments. Reporting 100%
    hands the item to the paired commission to check; it is not done until checked."""
    if by is None or getattr(by, "unit_id", None) != commitment.unit_id:
        raise OversightError(_("Only the unit's own liaison can report its progress."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        raise OversightError(_("Progress is a whole number from 0 to 100."))
    text = (text or "").strip()
    if not text:
        raise OversightError(_("Say what was done."))
    with transaction.atomic():
        commitment = _lock(commitment)
        if commitment.state != Commitment.State.UNDERWAY:
            raise OversightError(_("This item is with the commission and cannot be changed now."))
        update = CommitmentUpdate.objects.create(
            commitment=commitment, progress=progress, text=text, evidence=evidence or "", by=by
        )
        commitment.progress, commitment.progress_note = progress, text
        commitment.updated_at = update.at
        commitment.state = Commitment.State.REPORTED if progress == 100 else Commitment.State.UNDERWAY
        commitment.save(update_fields=["progress", "progress_note", "updated_at", "state"])
        _record(commitment, "update_progress", actor=by, progress=progress)
    return commitment


def check_commitment(commitment: Commitment, *, by, confirmed: bool, comment: str = "") -> Commitment:
    """The liaison commission checks an item the unit reported done: confirmed, it is done; not
    confirmed, it goes back to the unit with the commission's comment."""
    comment = (comment or "").strip()
    if not confirmed and not comment:
        raise OversightError(_("Say why the item is not confirmed as done."))
    with transaction.atomic():
        commitment = _lock(commitment)
        if commitment.state != Commitment.State.REPORTED:
            raise OversightError(_("Only an item the unit reported done can be checked."))
        commitment.check_comment = comment
        commitment.checked_at = timezone.now()
        if confirmed:
            commitment.state = Commitment.State.DONE
        else:
            commitment.state, commitment.progress = Commitment.State.UNDERWAY, 90
        commitment.save(update_fields=["state", "progress", "check_comment", "checked_at"])
        _record(commitment, "check_commitment", actor=by, confirmed=confirmed)
    return commitment


# --- the supervision calendar ----------------------------------------------------------------


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _standard_year(year: int) -> list[tuple[str, datetime.date, str]]:
    """月月有调研视察、季季有询问约见、半年有专题报告、年终有工作评议."""
    plan = [
        (Activity.Kind.VISIT, datetime.date(year, month, 15), _("Research visit, month %(n)s"))
        for month in range(1, 13)
    ]
    plan += [
        (Activity.Kind.INQUIRY, datetime.date(year, 3 * quarter - 1, 20), _("Inquiry, quarter %(n)s"))
        for quarter in range(1, 5)
    ]
    plan += [
        (Activity.Kind.SPECIAL_REPORT, datetime.date(year, 6, 25), _("Special report, first half")),
        (Activity.Kind.SPECIAL_REPORT, datetime.date(year, 12, 10), _("Special report, second half")),
        (Activity.Kind.EVALUATION, datetime.date(year, 12, 20), _("Year-end evaluation")),
    ]
    counters: dict[str, int] = {}
    rows = []
    for kind, day, label in plan:
        counters[kind] = counters.get(kind, 0) + 1
        rows.append((kind, day, label % {"n": counters[kind]} if "%(n)s" in label else label))
    return rows


def plan_year(unit: Unit, *, year: int, by=None) -> list[Activity]:
    """Plan a unit's year of supervision at the seed's rhythm: a research visit each month, an
    inquiry or appointment each quarter, a special report each half year and the year-end
    evaluation. Activities already planned are kept; the missing ones are added."""
    with transaction.atomic():
        existing = set(Activity.objects.filter(unit=unit, year=year).values_list("kind", "planned_on"))
        new = [
            Activity(
                unit=unit,
                year=year,
                kind=kind,
                title=f"{unit.short_name or unit.name}：{label}",
                planned_on=day,
                due_at=_end_of_day(day),
                commission_id=unit.liaison_commission_id,
                leader_id=unit.liaison_leader_id,
            )
            for kind, day, label in _standard_year(year)
            if (kind, day) not in existing
        ]
        Activity.objects.bulk_create(new)
        _record(unit, "plan_supervision_year", actor=by, year=year, added=len(new))
    return new


def plan_activity(unit: Unit, *, kind: str, planned_on: datetime.date, title: str, by=None) -> Activity:
    """Plan one more activity on a unit."""
    title = (title or "").strip()
    if kind not in Activity.Kind.values or not title or planned_on is None:
        raise OversightError(_("An activity needs its kind, a title and a date."))
    with transaction.atomic():
        if Activity.objects.filter(unit=unit, kind=kind, planned_on=planned_on).exists():
            raise OversightError(_("This activity is already planned for that day."))
        activity = Activity.objects.create(
            unit=unit,
            year=planned_on.year,
            kind=kind,
            title=title,
            planned_on=planned_on,
            due_at=_end_of_day(planned_on),
            commission_id=unit.liaison_commission_id,
            leader_id=unit.liaison_leader_id,
        )
        _record(activity, "plan_activity", actor=by)
    return activity


def record_activity(
    activity: Activity,
    *,
    held_on: datetime.date,
    findings: str,
    follow_up: str = "",
    members=(),
    deputies=(),
    by=None,
) -> Activity:
    """Record a planned activity as held: its date, who took part (members and deputies), what
    was found and what follows. A held activity stops its reminder."""
    findings = (findings or "").strip()
    if held_on is None or not findings:
        raise OversightError(_("Record the date the activity was held and what it found."))
    if held_on > timezone.localdate():
        raise OversightError(_("An activity cannot be recorded as held in the future."))
    if not members and not deputies:
        raise OversightError(_("Record at least one member or deputy who took part."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != Activity.Status.PLANNED:
            raise OversightError(_("Only a planned activity can be recorded."))
        activity.status, activity.held_on = Activity.Status.HELD, held_on
        activity.findings, activity.follow_up = findings, (follow_up or "").strip()
        activity.save(update_fields=["status", "held_on", "findings", "follow_up"])
        activity.members.set(members)
        activity.deputies.set(deputies)
        _record(activity, "record_activity", actor=by, held_on=str(held_on))
    return activity


def cancel_activity(activity: Activity, *, reason: str, by=None) -> Activity:
    """Cancel a planned activity, with the reason kept."""
    reason = (reason or "").strip()
    if not reason:
        raise OversightError(_("Say why the activity is cancelled."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != Activity.Status.PLANNED:
            raise OversightError(_("Only a planned activity can be cancelled."))
        activity.status, activity.cancel_reason = Activity.Status.CANCELLED, reason
        activity.save(update_fields=["status", "cancel_reason"])
        _record(activity, "cancel_activity", actor=by, reason=reason)
    return activity


# --- special inquiries ---------------------------------------------------------------------


def plan_special_inquiry(
    *, topic: str, planned_on: datetime.date, units, meeting: Meeting | None = None, by=None
) -> SpecialInquiry:
    """Plan a special inquiry (专题询问) on one topic, naming the units whose officials answer."""
    topic, units = (topic or "").strip(), list(units)
    if not topic or planned_on is None or not units:
        raise OversightError(_("A special inquiry needs a topic, a date and the units questioned."))
    if meeting is not None and meeting.kind != Meeting.Kind.STANDING:
        raise OversightError(_("A special inquiry is held at a standing committee session."))
    with transaction.atomic():
        inquiry = SpecialInquiry.objects.create(
            year=planned_on.year, topic=topic, planned_on=planned_on, meeting=meeting
        )
        inquiry.units.set(units)
        _record(inquiry, "plan_special_inquiry", actor=by)
    return inquiry


def record_inquiry_question(
    inquiry: SpecialInquiry, *, asked_by: Deputy, question: str, unit=None, answered_by="", answer="", by=None
) -> InquiryQuestion:
    """Record a question put at the special inquiry and the official's answer."""
    question = (question or "").strip()
    if not question:
        raise OversightError(_("Write the question."))
    if unit is not None and not inquiry.units.filter(pk=unit.pk).exists():
        raise OversightError(_("That unit is not questioned at this inquiry."))
    with transaction.atomic():
        row = InquiryQuestion.objects.create(
            inquiry=inquiry,
            asked_by=asked_by,
            question=question,
            unit=unit,
            answered_by=(answered_by or "").strip(),
            answer=(answer or "").strip(),
            sort_order=inquiry.questions.count(),
        )
        _record(inquiry, "record_inquiry_question", actor=by, question=row.pk)
    return row


def hold_special_inquiry(inquiry: SpecialInquiry, *, held_on: datetime.date, follow_up: str = "", by=None):
    """Mark the special inquiry held, with the follow-up the committee decided."""
    with transaction.atomic():
        inquiry = SpecialInquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status != SpecialInquiry.Status.PLANNED:
            raise OversightError(_("This special inquiry is already recorded as held."))
        if not inquiry.questions.exists():
            raise OversightError(_("Record the questions and answers first."))
        inquiry.status, inquiry.held_on = SpecialInquiry.Status.HELD, held_on
        inquiry.follow_up = (follow_up or inquiry.follow_up).strip()
        inquiry.save(update_fields=["status", "held_on", "follow_up"])
        _record(inquiry, "hold_special_inquiry", actor=by)
    return inquiry


# --- deliberation opinions -------------------------------------------------------------------


def _evaluation_error(error: EvaluationError) -> OversightError:
    return OversightError(str(error))


def record_deliberation(
    *, meeting: Meeting, report_title: str, unit: Unit, deliberated_on: datetime.date, report_months: int = 2, by=None
) -> Deliberation:
    """Record that a standing committee session deliberated a report; its opinions to the body
    concerned are then drafted item by item in the shared rectification mechanism."""
    report_title = (report_title or "").strip()
    if meeting.kind != Meeting.Kind.STANDING:
        raise OversightError(_("Reports are deliberated at a standing committee session."))
    if not report_title or deliberated_on is None:
        raise OversightError(_("Name the report deliberated and the day."))
    with transaction.atomic():
        # The rectification's source names the deliberation, whose id comes after it.
        rectification = rect.open_rectification(
            source_ref=f"oversight.deliberation:new:{uuid.uuid4().hex}",
            title=_("Deliberation opinions on %(report)s") % {"report": report_title},
            unit=unit,
            plan_months=1,
            report_months=report_months,
            by=by,
        )
        deliberation = Deliberation.objects.create(
            meeting=meeting,
            report_title=report_title,
            unit=unit,
            deliberated_on=deliberated_on,
            rectification=rectification,
        )
        rectification.source_ref = f"oversight.deliberation:{deliberation.pk}"
        rectification.save(update_fields=["source_ref"])
        _record(deliberation, "record_deliberation", actor=by)
    return deliberation


def add_deliberation_opinion(
    deliberation: Deliberation, *, finding: str, action: str, target="", deadline=None, by=None
):
    """Add one itemized deliberation opinion."""
    try:
        return rect.add_item(
            deliberation.rectification, finding=finding, action=action, target=target, deadline=deadline, by=by
        )
    except EvaluationError as error:
        raise _evaluation_error(error) from error


def publish_deliberation(deliberation: Deliberation, *, by=None) -> Deliberation:
    """Publish the deliberation opinions and their handling, as the committee decided (公开).
    Only opinions already delivered to the body concerned can be published."""
    with transaction.atomic():
        deliberation = Deliberation.objects.select_for_update().select_related("rectification").get(pk=deliberation.pk)
        if deliberation.rectification.status not in (Rectification.Status.DELIVERED, Rectification.Status.CLOSED):
            raise OversightError(_("Only opinions delivered to the body concerned can be published."))
        if deliberation.published_at is None:
            deliberation.published_at = timezone.now()
            deliberation.save(update_fields=["published_at"])
            _record(deliberation, "publish_deliberation", actor=by)
    return deliberation
