"""Rectification (整改): itemized opinions drafted, approved and delivered (which starts the
clocks), the unit's plan and reports item by item, the staff's review that accepts or returns
each item, and the escalations: interviews (约谈) and inquiry motions (质询案)."""

import datetime
from calendar import monthrange

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Meeting, Member, Official
from congress.services import audit
from evaluations.models import (
    Campaign,
    InquiryMotion,
    Interview,
    Opinion,
    Rectification,
    Subject,
    Submission,
    SubmissionItem,
)

from . import EvaluationError
from .planning import require_stage

MIN_INQUIRY_COSIGNERS = 3  # 监督法: a county standing committee needs three or more members


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day ``months`` later (the last day of a shorter month): 31 Jan + 1 = 28/29 Feb."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def _rectification(pk: int) -> Rectification:
    return Rectification.objects.select_for_update().get(pk=pk)


def _require(rectification: Rectification, *statuses: str) -> None:
    if rectification.status not in statuses:
        raise EvaluationError(
            _("This step is not possible while the rectification is “%(status)s”.")
            % {"status": rectification.get_status_display()}
        )


def open_rectification(
    *, source_ref: str, title: str, unit, plan_months: int = 1, report_months: int = 2, by=None
) -> Rectification:
    """Open a rectification for itemized opinions that do not come from an evaluation (the
    committee's deliberation opinions, say): the one mechanism every itemized opinion goes
    through. ``source_ref`` ("app.model:pk") names where the opinions come from; the unit's
    liaison commission and leader follow it."""
    if not source_ref or Rectification.objects.filter(source_ref=source_ref).exists():
        raise EvaluationError(_("These opinions already have their rectification."))
    if report_months <= plan_months:
        raise EvaluationError(_("The report is due after the plan."))
    rectification = Rectification.objects.create(
        source_ref=source_ref,
        title=title,
        unit=unit,
        commission=unit.liaison_commission,
        leader=unit.liaison_leader,
        plan_months=plan_months,
        report_months=report_months,
    )
    audit.record(rectification, "open_rectification", actor=by, source=source_ref)
    return rectification


def add_item(rectification: Rectification, *, finding: str, action: str, target: str = "", deadline=None, by=None):
    """Add one itemized opinion (finding, action required, target, deadline) while the opinions
    are being drafted."""
    finding, action = (finding or "").strip(), (action or "").strip()
    if not finding or not action:
        raise EvaluationError(_("An opinion states the finding and the action required."))
    with transaction.atomic():
        rectification = _rectification(rectification.pk)
        _require(rectification, Rectification.Status.DRAFTING)
        opinion = Opinion.objects.create(
            rectification=rectification,
            finding=finding,
            action=action,
            target=(target or "").strip(),
            deadline=deadline,
            sort_order=rectification.opinions.count(),
        )
        audit.record(rectification, "add_opinion", actor=by, opinion=opinion.pk)
    return opinion


def add_opinion(subject: Subject, *, finding: str, action: str, target: str = "", deadline=None, by=None) -> Opinion:
    """Add an itemized opinion on a subject whose result is decided; the first one opens the
    subject's rectification, paired with its unit's liaison commission and leader."""
    if not (finding or "").strip() or not (action or "").strip():
        raise EvaluationError(_("An opinion states the finding and the action required."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=subject.campaign_id)
        require_stage(campaign, Campaign.Stage.VERDICT)
        rectification, _created = Rectification.objects.get_or_create(
            subject=subject,
            defaults={
                "title": _("Rectification of %(subject)s") % {"subject": subject.label},
                "unit": subject.unit,
                "commission": subject.unit.liaison_commission,
                "leader": subject.unit.liaison_leader,
                "plan_months": campaign.plan_months,
                "report_months": max(campaign.report_months, campaign.plan_months + 1),
            },
        )
        return add_item(rectification, finding=finding, action=action, target=target, deadline=deadline, by=by)


def approve_opinions(rectification: Rectification, *, meeting: Meeting, by=None) -> Rectification:
    """The director's meeting approves the itemized opinions."""
    if meeting.kind != Meeting.Kind.DIRECTORS:
        raise EvaluationError(_("Opinions are approved by the director's meeting."))
    with transaction.atomic():
        rectification = _rectification(rectification.pk)
        _require(rectification, Rectification.Status.DRAFTING)
        if not rectification.opinions.exists():
            raise EvaluationError(_("There are no opinions to approve."))
        rectification.status = Rectification.Status.APPROVED
        rectification.approved_at = timezone.now()
        rectification.save(update_fields=["status", "approved_at"])
        audit.record(rectification, "approve_opinions", actor=by, meeting=meeting.pk)
    return rectification


def deliver_opinions(rectification: Rectification, *, by=None) -> Rectification:
    """Deliver the approved opinions to the unit (向被评议单位交办). Delivery starts the clocks:
    the plan is due ``plan_months`` later, the report ``report_months`` later; an item without
    its own deadline takes the report's. The unit's liaisons are told at once."""
    with transaction.atomic():
        rectification = _rectification(rectification.pk)
        _require(rectification, Rectification.Status.APPROVED)
        now = timezone.now()
        rectification.status = Rectification.Status.DELIVERED
        rectification.delivered_at = now
        rectification.plan_due_at = add_months(now, rectification.plan_months)
        rectification.report_due_at = add_months(now, rectification.report_months)
        rectification.save(update_fields=["status", "delivered_at", "plan_due_at", "report_due_at"])
        rectification.opinions.filter(deadline__isnull=True).update(
            deadline=timezone.localdate(rectification.report_due_at)
        )
        audit.record(rectification, "deliver_opinions", actor=by, plan_due=str(rectification.plan_due_at))
        transaction.on_commit(lambda: _tell_liaisons(rectification.pk))
    return rectification


def tell_liaisons_again(rectification: Rectification, *, by) -> None:
    """Send the delivery notice again, to the unit's liaisons as they are now (a liaison added
    after the opinions went to a unit that had none)."""
    _require(rectification, Rectification.Status.DELIVERED, Rectification.Status.CLOSED)
    audit.record(rectification, "tell_liaisons_again", actor=by)
    transaction.on_commit(lambda: _tell_liaisons(rectification.pk))


def _tell_liaisons(rectification_pk: int) -> None:
    from congress.models import Notice

    from .. import selectors

    rectification = Rectification.objects.select_related("unit").get(pk=rectification_pk)
    due = timezone.localtime(rectification.plan_due_at).date()
    Notice.objects.bulk_create(
        Notice(
            recipient_id=user_id,
            title=_("Opinions delivered: %(title)s") % {"title": rectification.title},
            body=_("Submit the rectification plan by %(date)s.") % {"date": due},
            url=f"/unit/rectification/{rectification.pk}/",
        )
        for user_id in selectors.liaison_ids(rectification.unit_id)
    )


def _require_liaison(rectification: Rectification, user) -> None:
    if user is None or getattr(user, "unit_id", None) != rectification.unit_id:
        raise EvaluationError(_("Only the unit's own liaison submits its rectification."))


def submit_plan(rectification: Rectification, *, by, signed_off_by: str, measures: dict, summary="", file=None):
    """The unit's rectification plan (整改计划): measures for every opinion, signed off by the
    head of the unit. One plan under review at a time; a returned plan is submitted again."""
    _require_liaison(rectification, by)
    return _submit(rectification, Submission.Kind.PLAN, by, signed_off_by, summary, file, measures)


def submit_report(rectification: Rectification, *, by, signed_off_by: str, progress: dict, summary="", file=None):
    """A rectification report (整改报告) on the open items: what was done, how far (0-100 %),
    with evidence. Needs the accepted plan."""
    _require_liaison(rectification, by)
    return _submit(rectification, Submission.Kind.REPORT, by, signed_off_by, summary, file, progress)


def _submit(rectification, kind, by, signed_off_by, summary, file, entries: dict) -> Submission:
    signed_off_by = (signed_off_by or "").strip()
    if not signed_off_by:
        raise EvaluationError(_("The head of the unit must sign off."))
    with transaction.atomic():
        rectification = _rectification(rectification.pk)
        _require(rectification, Rectification.Status.DELIVERED)
        submissions = rectification.submissions.all()
        if submissions.filter(kind=kind, status=Submission.Status.SUBMITTED).exists():
            raise EvaluationError(_("A submission of this kind is already under review."))
        plan_accepted = submissions.filter(kind=Submission.Kind.PLAN, status=Submission.Status.ACCEPTED).exists()
        if kind == Submission.Kind.PLAN and plan_accepted:
            raise EvaluationError(_("The plan has been accepted already; submit rectification reports now."))
        if kind == Submission.Kind.REPORT and not plan_accepted:
            raise EvaluationError(_("The rectification plan must be accepted before a report."))
        opinions = list(rectification.opinions.exclude(state=Opinion.State.DONE))
        rows = []
        for opinion in opinions:
            entry = entries.get(opinion.pk) or entries.get(str(opinion.pk))
            text, percent, evidence = _entry(entry)
            if not text:
                raise EvaluationError(
                    _("Say what is done about item %(n)s: %(finding)s")
                    % {"n": opinion.sort_order + 1, "finding": opinion.finding[:40]}
                )
            if kind == Submission.Kind.REPORT and not 0 <= percent <= 100:
                raise EvaluationError(_("Progress is a percentage from 0 to 100."))
            rows.append((opinion, text, percent, evidence))
        submission = Submission.objects.create(
            rectification=rectification,
            kind=kind,
            signed_off_by=signed_off_by,
            summary=(summary or "").strip(),
            file=file or "",
            submitted_by=by,
        )
        SubmissionItem.objects.bulk_create(
            SubmissionItem(submission=submission, opinion=o, text=t, progress=p, evidence=e or "")
            for o, t, p, e in rows
        )
        if kind == Submission.Kind.REPORT:
            for opinion, _text, percent, _e in rows:
                opinion.state = Opinion.State.REPORTED
                opinion.progress = percent
            Opinion.objects.bulk_update([r[0] for r in rows], ["state", "progress"])
        audit.record(rectification, f"submit_{kind}", actor=by, items=len(rows))
    return submission


def _entry(entry) -> tuple[str, int, object]:
    if isinstance(entry, dict):
        return (entry.get("text") or "").strip(), int(entry.get("progress") or 0), entry.get("evidence")
    return (entry or "").strip(), 0, None


def review_submission(submission: Submission, *, by, returned: dict | None = None, comment: str = "") -> Submission:
    """Staff accept a plan or report, or return some items with a comment each (``returned``
    maps opinion ids to the comment). A returned plan is submitted again; a returned report item
    is reopened; an accepted report item at 100 % is done. When every item is done, the
    rectification is closed."""
    returned = {int(k): (v or "").strip() for k, v in (returned or {}).items()}
    if any(not v for v in returned.values()):
        raise EvaluationError(_("Say why each returned item is returned."))
    with transaction.atomic():
        rectification = _rectification(submission.rectification_id)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Submission.Status.SUBMITTED:
            raise EvaluationError(_("This submission has been reviewed already."))
        items = list(submission.items.select_related("opinion"))
        if set(returned) - {i.opinion_id for i in items}:
            raise EvaluationError(_("Only items of this submission can be returned."))
        now = timezone.now()
        opinions = []
        for item in items:
            opinion = item.opinion
            if item.opinion_id in returned:
                item.decision, item.comment = SubmissionItem.Decision.RETURNED, returned[item.opinion_id]
                opinion.state = Opinion.State.RETURNED if submission.kind == Submission.Kind.REPORT else opinion.state
            else:
                item.decision = SubmissionItem.Decision.ACCEPTED
                if submission.kind == Submission.Kind.PLAN:
                    opinion.state = Opinion.State.PLANNED
                elif item.progress >= 100:
                    opinion.state, opinion.done_at = Opinion.State.DONE, now
                else:
                    opinion.state = Opinion.State.PLANNED
            opinions.append(opinion)
        SubmissionItem.objects.bulk_update(items, ["decision", "comment"])
        Opinion.objects.bulk_update(opinions, ["state", "done_at"])
        submission.status = Submission.Status.RETURNED if returned else Submission.Status.ACCEPTED
        submission.reviewed_at, submission.reviewed_by, submission.comment = now, by, (comment or "").strip()
        submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "comment"])
        if not rectification.opinions.exclude(state=Opinion.State.DONE).exists():
            rectification.status, rectification.closed_at = Rectification.Status.CLOSED, now
            rectification.save(update_fields=["status", "closed_at"])
        audit.record(
            rectification, f"review_{submission.kind}", actor=by, submission=submission.pk, returned=list(returned)
        )
    return submission


def mark_done_by_unit(opinion: Opinion, *, by) -> Opinion:
    """The unit declares an item done on its own. Refused for a returned or late item: those
    close only when staff accept a report on them."""
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().select_related("rectification").get(pk=opinion.pk)
        _require_liaison(opinion.rectification, by)
        _require(opinion.rectification, Rectification.Status.DELIVERED)
        late = opinion.deadline is not None and opinion.deadline < timezone.localdate()
        if opinion.state == Opinion.State.RETURNED or late:
            raise EvaluationError(
                _("This item is returned or late: it is closed only when the committee accepts a report on it.")
            )
        if opinion.state != Opinion.State.PLANNED:
            raise EvaluationError(_("Only an item of the accepted plan can be marked done."))
        opinion.state, opinion.progress, opinion.done_at = Opinion.State.DONE, 100, timezone.now()
        opinion.save(update_fields=["state", "progress", "done_at"])
        audit.record(opinion.rectification, "mark_done_by_unit", actor=by, opinion=opinion.pk)
    return opinion


def record_interview(
    rectification: Rectification,
    *,
    held_on,
    reason: str,
    record: str,
    official: Official | None = None,
    led_by: Member | None = None,
    by=None,
) -> Interview:
    """Record an interview (约谈) of the head of a unit that rectifies poorly."""
    reason, record = (reason or "").strip(), (record or "").strip()
    if not reason or not record:
        raise EvaluationError(_("An interview states its reason and what was said."))
    with transaction.atomic():
        rectification = _rectification(rectification.pk)
        _require(rectification, Rectification.Status.DELIVERED, Rectification.Status.CLOSED)
        interview = Interview.objects.create(
            rectification=rectification,
            held_on=held_on,
            reason=reason,
            record=record,
            official=official or rectification.unit.officials.filter(active=True, is_head=True).first(),
            led_by=led_by or rectification.leader,
        )
        audit.record(rectification, "record_interview", actor=by, interview=interview.pk)
    return interview


def file_inquiry_motion(
    *,
    unit,
    title: str,
    questions: str,
    cosigners,
    subject: Subject | None = None,
    personnel_recommendation="",
    by=None,
) -> InquiryMotion:
    """File an inquiry motion (质询案). At county level it needs at least three members of the
    standing committee co-signing (监督法); it names the body questioned and the questions."""
    title, questions = (title or "").strip(), (questions or "").strip()
    if not title or not questions:
        raise EvaluationError(_("An inquiry motion names its subject and the questions put."))
    signers = {m.pk: m for m in cosigners if m.active}
    if len(signers) < MIN_INQUIRY_COSIGNERS:
        raise EvaluationError(
            _("An inquiry motion needs at least %(min)s members of the standing committee co-signing; it has %(n)s.")
            % {"min": MIN_INQUIRY_COSIGNERS, "n": len(signers)}
        )
    with transaction.atomic():
        motion = InquiryMotion.objects.create(
            subject=subject,
            unit=unit,
            title=title,
            questions=questions,
            personnel_recommendation=(personnel_recommendation or "").strip(),
        )
        motion.cosigners.set(signers.values())
        audit.record(motion, "file_inquiry_motion", actor=by, cosigners=sorted(signers))
    return motion


def decide_inquiry_motion(motion: InquiryMotion, *, mode: str, meeting: Meeting, by=None) -> InquiryMotion:
    """The director's meeting decides whether the motion is answered orally at a session or in writing."""
    if mode not in InquiryMotion.Mode.values:
        raise EvaluationError(_("Choose an oral or a written answer."))
    if meeting.kind != Meeting.Kind.DIRECTORS:
        raise EvaluationError(_("The director's meeting decides how an inquiry motion is answered."))
    with transaction.atomic():
        motion = InquiryMotion.objects.select_for_update().get(pk=motion.pk)
        if motion.status != InquiryMotion.Status.FILED:
            raise EvaluationError(_("This inquiry motion has been decided already."))
        motion.status, motion.mode, motion.decided_by = InquiryMotion.Status.DECIDED, mode, meeting
        motion.save(update_fields=["status", "mode", "decided_by"])
        audit.record(motion, "decide_inquiry_motion", actor=by, mode=mode)
    return motion


def record_inquiry_answer(motion: InquiryMotion, *, answer: str, by=None) -> InquiryMotion:
    """Record the answer the body questioned gave."""
    answer = (answer or "").strip()
    if not answer:
        raise EvaluationError(_("Write down the answer given."))
    with transaction.atomic():
        motion = InquiryMotion.objects.select_for_update().get(pk=motion.pk)
        if motion.status != InquiryMotion.Status.DECIDED:
            raise EvaluationError(_("The director's meeting must first decide how the motion is answered."))
        motion.status, motion.answer, motion.answered_at = InquiryMotion.Status.ANSWERED, answer, timezone.now()
        motion.save(update_fields=["status", "answer", "answered_at"])
        audit.record(motion, "record_inquiry_answer", actor=by)
    return motion
