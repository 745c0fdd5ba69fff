"""Every write of the suggestions' handling, named as the committee names the step: a deputy
drafts, submits and rates; co-signers confirm; the office accepts (立案) or declines, assigns
(交办), approves extensions, chooses key suggestions and records its supervision; a unit signs
for what it receives, returns a misassignment, logs contacts, sends co-unit views and replies.

Each service locks the suggestion, checks its state, writes in one transaction with an audit
entry and the notices it owes people, and refuses a wrong state or bad input with a clear
message in Chinese, writing nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import public_cache
from congress.models import Deputy, Notice, Role, Unit, User
from congress.services import audit

from . import similarity
from .models import (
    Assignment,
    Category,
    CongressSession,
    ContactLog,
    Cosigner,
    Feedback,
    KeySuggestion,
    RelatedProposal,
    Reply,
    Suggestion,
    SuggestionLink,
    SupervisionActivity,
    TrackingItem,
    YearStatistics,
    add_months,
)

S = Suggestion.Status
TITLE_MAX = 100
TEXT_MIN = 20
TEXT_MAX = 8000
MAX_COSIGNERS = 30
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class SuggestionError(Exception):
    """A suggestion action refused; the message tells the person why, in Chinese."""


# --- helpers ---------------------------------------------------------------------------


def _record(target, verb: str, **kwargs):
    """Audit the action, and forget the public figures it may change once it commits."""
    public_cache.forget("suggestions")
    return audit.record(target, verb, **kwargs)


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().select_related("session").get(pk=suggestion.pk)


def _lock_assignment(assignment: Assignment) -> tuple[Assignment, Suggestion]:
    suggestion = _lock(assignment.suggestion)
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    return assignment, suggestion


def _refuse_unless(suggestion: Suggestion, statuses, message: str) -> None:
    if suggestion.status not in statuses:
        raise SuggestionError(
            _("%(message)s (This suggestion is now: %(status)s.)")
            % {"message": message, "status": suggestion.get_status_display()}
        )


def _text(value: str, *, label: str, required: bool = True, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SuggestionError(_("Please fill in the %(label)s.") % {"label": label})
    if len(value) > max_length:
        raise SuggestionError(
            _("The %(label)s is too long: at most %(limit)d characters.") % {"label": label, "limit": max_length}
        )
    return value


def _notify(user_ids, title: str, body: str = "", url: str = "") -> None:
    Notice.objects.bulk_create(
        Notice(recipient_id=uid, title=title[:200], body=body, url=url) for uid in sorted(set(user_ids))
    )


def liaison_ids(unit_ids) -> list[int]:
    from congress.selectors import unit_liaisons

    return [uid for ids in unit_liaisons(unit_ids).values() for uid in ids]


def staff_ids() -> list[int]:
    return list(User.objects.filter(is_active=True, groups__name=Role.STAFF).values_list("pk", flat=True))


def signer_ids(suggestion: Suggestion) -> list[int]:
    """The logins of the lead deputy and of every co-signer who confirmed."""
    ids = [suggestion.lead_deputy.user_id]
    ids += Cosigner.objects.filter(suggestion=suggestion, status=Cosigner.Status.CONFIRMED).values_list(
        "deputy__user_id", flat=True
    )
    return [i for i in ids if i]


def deputy_url(suggestion) -> str:
    return reverse("suggestions:m_detail", args=[suggestion.pk])


def unit_url(suggestion) -> str:
    return reverse("suggestions:unit_detail", args=[suggestion.pk])


def office_url(suggestion) -> str:
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def _check_liaison(assignment: Assignment, by) -> None:
    """Unit actions are the unit's own: a liaison of another unit is refused (staff may act)."""
    if by is None or by.is_staff:
        return
    if by.unit_id != assignment.unit_id:
        raise SuggestionError(_("This suggestion was not assigned to your unit."))


def current_session() -> CongressSession | None:
    return CongressSession.objects.filter(is_current=True).select_related("term").first()


# --- the deputy's side: draft, submit, co-sign ------------------------------------------


def save_draft(
    deputy: Deputy,
    *,
    title: str,
    text: str,
    category: Category | None = None,
    cosigners=(),
    suggestion: Suggestion | None = None,
) -> Suggestion:
    """Keep the deputy's draft (new, or an edit of their own draft) with the co-signers they
    mean to ask. Nothing is sent to anyone until the deputy submits."""
    title = _text(title, label=_("title"), max_length=TITLE_MAX)
    text = _text(text, label=_("text"), required=False, max_length=TEXT_MAX)
    cosigners = list({d.pk: d for d in cosigners}.values())
    if any(d.pk == deputy.pk for d in cosigners):
        raise SuggestionError(_("You lead this suggestion; you cannot also co-sign it."))
    if len(cosigners) > MAX_COSIGNERS:
        raise SuggestionError(_("At most %(n)d co-signers.") % {"n": MAX_COSIGNERS})
    if any(not d.active for d in cosigners):
        raise SuggestionError(_("A co-signer is no longer a serving deputy."))
    if category is not None and not category.active:
        raise SuggestionError(_("Choose one of the listed categories."))
    with transaction.atomic():
        if suggestion is None:
            session = current_session()
            if session is None:
                raise SuggestionError(_("The office has not opened a congress session for suggestions yet."))
            suggestion = Suggestion.objects.create(
                session=session, lead_deputy=deputy, title=title, text=text, category=category
            )
        else:
            suggestion = _lock(suggestion)
            if suggestion.lead_deputy_id != deputy.pk:
                raise SuggestionError(_("Only the lead deputy can change this suggestion."))
            _refuse_unless(suggestion, [S.DRAFT], _("Only a draft can be changed."))
            suggestion.title, suggestion.text, suggestion.category = title, text, category
            suggestion.save(update_fields=["title", "text", "category", "updated_at"])
        keep = {d.pk for d in cosigners}
        suggestion.cosigners.exclude(deputy_id__in=keep).delete()
        have = set(suggestion.cosigners.values_list("deputy_id", flat=True))
        Cosigner.objects.bulk_create(Cosigner(suggestion=suggestion, deputy=d) for d in cosigners if d.pk not in have)
    return suggestion


def add_attachment(suggestion: Suggestion, *, deputy: Deputy, upload) -> None:
    """Attach a file to the deputy's draft."""
    from .models import Attachment

    if upload.size > MAX_ATTACHMENT_BYTES:
        raise SuggestionError(_("An attachment is at most 10 MB."))
    with transaction.atomic():
        suggestion = _lock(suggestion)
        if suggestion.lead_deputy_id != deputy.pk:
            raise SuggestionError(_("Only the lead deputy can change this suggestion."))
        _refuse_unless(suggestion, [S.DRAFT], _("Only a draft can be changed."))
        Attachment.objects.create(suggestion=suggestion, file=upload, name=upload.name[:200])


def submit_suggestion(suggestion: Suggestion, *, deputy: Deputy) -> Suggestion:
    """The lead deputy submits the draft: filed under the current congress session (during the
    session, or between sessions); the co-signers are asked to confirm on their own phones,
    and it reaches the office once none is left to answer."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        if suggestion.lead_deputy_id != deputy.pk:
            raise SuggestionError(_("Only the lead deputy can submit this suggestion."))
        _refuse_unless(suggestion, [S.DRAFT], _("Only a draft can be submitted."))
        if len(suggestion.text.strip()) < TEXT_MIN:
            raise SuggestionError(
                _("Please describe the matter and what you suggest (at least %(n)d characters).") % {"n": TEXT_MIN}
            )
        if suggestion.category_id is None:
            raise SuggestionError(_("Please choose a category."))
        session = current_session()
        if session is None:
            raise SuggestionError(_("The office has not opened a congress session for suggestions yet."))
        suggestion.session = session
        suggestion.between_sessions = not session.during(timezone.localdate())
        invited = list(suggestion.cosigners.select_related("deputy"))
        suggestion.status = S.COSIGNING if invited else S.SUBMITTED
        suggestion.submitted_at = None if invited else timezone.now()
        suggestion.save(update_fields=["session", "between_sessions", "status", "submitted_at", "updated_at"])
        _record(suggestion, "submit_suggestion", actor=deputy.user, cosigners=len(invited))
        # Its text is final now: the earlier suggestions on the same matter are found once,
        # here, and wait on its page as proposals.
        similarity.index_suggestion(suggestion)
        if invited:
            _notify(
                [c.deputy.user_id for c in invited if c.deputy.user_id],
                _("%(name)s asks you to co-sign a suggestion") % {"name": deputy.name},
                _("“%(title)s”. Please confirm or decline on your phone.") % {"title": suggestion.title},
                deputy_url(suggestion),
            )
        else:
            _notify(
                staff_ids(), _("New suggestion: %(title)s") % {"title": suggestion.title}, url=office_url(suggestion)
            )
    return suggestion


def respond_to_cosign(suggestion: Suggestion, *, deputy: Deputy, confirm: bool) -> Suggestion:
    """A co-signer confirms (附议) or declines on their own phone. When nobody is left to
    answer, the suggestion goes to the office."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        row = Cosigner.objects.select_for_update().filter(suggestion=suggestion, deputy=deputy).first()
        if row is None:
            raise SuggestionError(_("You were not asked to co-sign this suggestion."))
        _refuse_unless(suggestion, [S.COSIGNING], _("This suggestion is no longer waiting for co-signers."))
        if row.status != Cosigner.Status.INVITED:
            raise SuggestionError(_("You have already answered this request."))
        row.status = Cosigner.Status.CONFIRMED if confirm else Cosigner.Status.DECLINED
        row.responded_at = timezone.now()
        row.save(update_fields=["status", "responded_at"])
        _record(suggestion, "confirm_cosign" if confirm else "decline_cosign", actor=deputy.user)
        verb = _("co-signed") if confirm else _("declined to co-sign")
        _notify(
            [suggestion.lead_deputy.user_id] if suggestion.lead_deputy.user_id else [],
            _("%(name)s %(verb)s your suggestion") % {"name": deputy.name, "verb": verb},
            suggestion.title,
            deputy_url(suggestion),
        )
        _finish_cosigning_if_done(suggestion)
    return suggestion


def stop_waiting_for_cosigners(suggestion: Suggestion, *, deputy: Deputy) -> Suggestion:
    """The lead deputy sends the suggestion on without the co-signers who have not answered."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        if suggestion.lead_deputy_id != deputy.pk:
            raise SuggestionError(_("Only the lead deputy can submit this suggestion."))
        _refuse_unless(suggestion, [S.COSIGNING], _("This suggestion is no longer waiting for co-signers."))
        suggestion.cosigners.filter(status=Cosigner.Status.INVITED).delete()
        _record(suggestion, "stop_waiting_for_cosigners", actor=deputy.user)
        _finish_cosigning_if_done(suggestion)
    return suggestion


def _finish_cosigning_if_done(suggestion: Suggestion) -> None:
    if suggestion.cosigners.filter(status=Cosigner.Status.INVITED).exists():
        return
    suggestion.status = S.SUBMITTED
    suggestion.submitted_at = timezone.now()
    suggestion.save(update_fields=["status", "submitted_at", "updated_at"])
    _notify(staff_ids(), _("New suggestion: %(title)s") % {"title": suggestion.title}, url=office_url(suggestion))


# --- the office: intake, related suggestions, assignment --------------------------------


def accept_suggestion(suggestion: Suggestion, *, by, category: Category | None = None) -> Suggestion:
    """Intake: accept the suggestion (立案). It takes the next number of its congress session
    (during the session and between sessions are numbered separately)."""
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(suggestion, [S.SUBMITTED], _("Only a submitted suggestion can be accepted."))
        category = category or suggestion.category
        if category is None:
            raise SuggestionError(_("Please choose a category."))
        # The session row serializes numbering: two clerks accepting at once get two numbers.
        CongressSession.objects.select_for_update().get(pk=suggestion.session_id)
        last = Suggestion.objects.filter(
            session_id=suggestion.session_id, between_sessions=suggestion.between_sessions
        ).aggregate(n=Max("number"))["n"]
        suggestion.number = (last or 0) + 1
        suggestion.category = category
        suggestion.status = S.ACCEPTED
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["number", "category", "status", "decided_at", "updated_at"])
        _record(suggestion, "accept_suggestion", actor=by, number=suggestion.number)
        _notify(
            signer_ids(suggestion),
            _("Your suggestion was accepted: %(code)s") % {"code": suggestion.code},
            suggestion.title,
            deputy_url(suggestion),
        )
    return suggestion


def decline_suggestion(suggestion: Suggestion, *, by, reason: str) -> Suggestion:
    """Intake: do not accept the suggestion as such; it is converted to a letter (转来信) and
    the deputy sees the reason."""
    reason = _text(reason, label=_("reason the deputy will see"), max_length=1000)
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(suggestion, [S.SUBMITTED], _("Only a submitted suggestion can be declined."))
        suggestion.status = S.DECLINED
        suggestion.decline_reason = reason
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["status", "decline_reason", "decided_at", "updated_at"])
        _record(suggestion, "decline_suggestion", actor=by)
        _notify(
            signer_ids(suggestion),
            _("Your suggestion was not accepted and was converted to a letter"),
            _("“%(title)s”: %(reason)s") % {"title": suggestion.title, "reason": reason},
            deputy_url(suggestion),
        )
    return suggestion


def link_suggestions(suggestion: Suggestion, other: Suggestion, *, by) -> SuggestionLink:
    """Link two suggestions on the same matter, so it is read as one history across years
    (and terms). A proposal of the pair counts as confirmed."""
    if suggestion.pk == other.pk:
        raise SuggestionError(_("A suggestion cannot be linked to itself."))
    earlier, later = sorted((suggestion, other), key=lambda s: s.pk)
    with transaction.atomic():
        link, created = SuggestionLink.objects.get_or_create(earlier=earlier, later=later, defaults={"linked_by": by})
        _decide_pair(earlier.pk, later.pk, RelatedProposal.Status.CONFIRMED, by)
        if created:
            _record(suggestion, "link_suggestions", actor=by, other=other.pk)
    return link


def unlink_suggestions(suggestion: Suggestion, other: Suggestion, *, by) -> None:
    """Undo a link made by mistake: the two are not the same matter, and the pair is not
    proposed again."""
    earlier, later = sorted((suggestion.pk, other.pk))
    with transaction.atomic():
        if SuggestionLink.objects.filter(earlier_id=earlier, later_id=later).delete()[0]:
            _decide_pair(earlier, later, RelatedProposal.Status.DISMISSED, by)
            _record(suggestion, "unlink_suggestions", actor=by, other=other.pk)


def _decide_pair(earlier: int, later: int, status: str, by) -> None:
    RelatedProposal.objects.filter(earlier_id=earlier, later_id=later).update(
        status=status, decided_by=by, decided_at=timezone.now()
    )


def _lock_proposal(proposal: RelatedProposal, suggestion: Suggestion) -> RelatedProposal:
    proposal = RelatedProposal.objects.select_for_update().select_related("earlier", "later").get(pk=proposal.pk)
    if suggestion.pk not in (proposal.earlier_id, proposal.later_id):
        raise SuggestionError(_("This proposal is about other suggestions."))
    if proposal.status != RelatedProposal.Status.PROPOSED:
        raise SuggestionError(
            _("This proposal was already decided: %(status)s.") % {"status": proposal.get_status_display()}
        )
    return proposal


def confirm_related(proposal: RelatedProposal, *, suggestion: Suggestion, by) -> SuggestionLink:
    """The office confirms a proposal: the two suggestions are on the same matter and are read
    as one history from now on (linked). Decided once: refused when already decided."""
    with transaction.atomic():
        proposal = _lock_proposal(proposal, suggestion)
        proposal.status = RelatedProposal.Status.CONFIRMED
        proposal.decided_by, proposal.decided_at = by, timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        link, _created = SuggestionLink.objects.get_or_create(
            earlier=proposal.earlier, later=proposal.later, defaults={"linked_by": by}
        )
        other = proposal.earlier if proposal.later_id == suggestion.pk else proposal.later
        _record(suggestion, "confirm_related", actor=by, other=other.pk, score=proposal.score)
    return link


def dismiss_related(proposal: RelatedProposal, *, suggestion: Suggestion, by) -> RelatedProposal:
    """The office dismisses a proposal: not the same matter. The pair is never proposed
    again, even when the index is rebuilt."""
    with transaction.atomic():
        proposal = _lock_proposal(proposal, suggestion)
        proposal.status = RelatedProposal.Status.DISMISSED
        proposal.decided_by, proposal.decided_at = by, timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        other = proposal.earlier if proposal.later_id == suggestion.pk else proposal.later
        _record(suggestion, "dismiss_related", actor=by, other=other.pk, score=proposal.score)
    return proposal


def assign_suggestion(suggestion: Suggestion, *, lead_unit: Unit, co_units=(), by) -> list[Assignment]:
    """Assign (交办) to a lead unit and co-units, starting the clocks: the reply is due after
    the session's reply period (3 months), co-units' views to the lead unit after theirs
    (1 month), and a unit may return a misassignment within the return period (10 days). A
    suggestion returned by its lead unit is assigned again in a new round."""
    co_units = list({u.pk: u for u in co_units}.values())
    if any(u.pk == lead_unit.pk for u in co_units):
        raise SuggestionError(_("The lead unit cannot also be a co-unit."))
    if not lead_unit.active or any(not u.active for u in co_units):
        raise SuggestionError(_("Choose units that are still in the list of units."))
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(
            suggestion, [S.ACCEPTED, S.RETURNED], _("Only an accepted or returned suggestion can be assigned.")
        )
        rules = suggestion.session
        now = timezone.now()
        round_ = (suggestion.assignments.aggregate(n=Max("round"))["n"] or 0) + 1
        suggestion.assignments.filter(status=Assignment.Status.ACTIVE).update(
            status=Assignment.Status.CLOSED, due_at=None, views_due_at=None, remind_at=None
        )
        common = {
            "suggestion": suggestion,
            "round": round_,
            "assigned_at": now,
            "assigned_by": by,
            "return_due_at": now + timedelta(days=rules.return_days),
        }
        rows = [Assignment(unit=lead_unit, role=Assignment.Role.LEAD, **common)]
        rows += [Assignment(unit=u, role=Assignment.Role.CO, **common) for u in co_units]
        for row in rows:
            months = rules.reply_months if row.is_lead else rules.co_unit_months
            row.set_due(add_months(now, months), rules.remind_days)
        Assignment.objects.bulk_create(rows)
        suggestion.status = S.ASSIGNED
        suggestion.save(update_fields=["status", "updated_at"])
        _record(suggestion, "assign_suggestion", actor=by, round=round_, lead=lead_unit.pk, co=[u.pk for u in co_units])
        _notify(
            liaison_ids([lead_unit.pk, *[u.pk for u in co_units]]),
            _("Suggestion assigned to your unit: %(title)s") % {"title": suggestion.title},
            _("Please sign for it; if it is not your unit's matter, return it within %(days)d days.")
            % {"days": rules.return_days},
            unit_url(suggestion),
        )
        _notify(
            signer_ids(suggestion),
            _("Your suggestion was assigned to %(unit)s") % {"unit": lead_unit.name},
            suggestion.title,
            deputy_url(suggestion),
        )
    return rows


# --- the unit's side ---------------------------------------------------------------------


def sign_for(assignment: Assignment, *, by) -> Assignment:
    """The unit signs for (签收) a suggestion assigned to it."""
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("This assignment is no longer with your unit."))
        if assignment.signed_at:
            raise SuggestionError(_("Your unit has already signed for this suggestion."))
        if suggestion.status not in (Suggestion.Status.ASSIGNED, Suggestion.Status.REHANDLING):
            raise SuggestionError(_("This suggestion is no longer waiting to be signed for."))
        assignment.signed_at = timezone.now()
        assignment.save(update_fields=["signed_at"])
        _record(suggestion, "sign_for", actor=by, unit=assignment.unit_id)
    return assignment


def return_assignment(assignment: Assignment, *, reason: str, by) -> Assignment:
    """A unit that believes it is the wrong one returns the suggestion, with a reason, within
    the return period. A lead unit's return ends the round: the office reassigns it."""
    reason = _text(reason, label=_("reason for returning"), max_length=1000)
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("This assignment is no longer with your unit."))
        _refuse_unless(suggestion, [S.ASSIGNED], _("A suggestion can only be returned before it is replied to."))
        now = timezone.now()
        if now > assignment.return_due_at:
            raise SuggestionError(
                _("The period for returning a misassigned suggestion ended on %(date)s; please handle it.")
                % {"date": timezone.localtime(assignment.return_due_at).date().isoformat()}
            )
        assignment.status = Assignment.Status.RETURNED
        assignment.returned_at = now
        assignment.return_reason = reason
        assignment.set_due(None, 0)
        assignment.save(update_fields=["status", "returned_at", "return_reason", "due_at", "views_due_at", "remind_at"])
        if assignment.is_lead:
            suggestion.assignments.filter(round=assignment.round, status=Assignment.Status.ACTIVE).update(
                status=Assignment.Status.CLOSED, views_due_at=None, remind_at=None
            )
            suggestion.status = S.RETURNED
            suggestion.save(update_fields=["status", "updated_at"])
        _record(suggestion, "return_assignment", actor=by, unit=assignment.unit_id, reason=reason)
        _notify(
            staff_ids(),
            _("%(unit)s returned a suggestion as misassigned") % {"unit": assignment.unit.name},
            _("“%(title)s”: %(reason)s") % {"title": suggestion.title, "reason": reason},
            office_url(suggestion),
        )
    return assignment


def request_extension(assignment: Assignment, *, reason: str, by) -> Assignment:
    """The lead unit asks the office for the longer reply period of a complex suggestion."""
    reason = _text(reason, label=_("reason for extension"), max_length=1000)
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if not assignment.is_lead or assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("Only the lead unit handling the suggestion can ask for an extension."))
        _refuse_unless(suggestion, [S.ASSIGNED], _("An extension can only be asked for before the first reply."))
        if assignment.extension:
            raise SuggestionError(
                _("An extension was already asked for (%(state)s).") % {"state": assignment.get_extension_display()}
            )
        assignment.extension = Assignment.Extension.REQUESTED
        assignment.extension_reason = reason
        assignment.save(update_fields=["extension", "extension_reason"])
        _record(suggestion, "request_extension", actor=by, reason=reason)
        _notify(
            staff_ids(),
            _("%(unit)s asks for an extension") % {"unit": assignment.unit.name},
            _("“%(title)s”: %(reason)s") % {"title": suggestion.title, "reason": reason},
            office_url(suggestion),
        )
    return assignment


def decide_extension(assignment: Assignment, *, approve: bool, by) -> Assignment:
    """The office approves the extension (the reply becomes due after the extended period,
    counted from the assignment: 6 months) or refuses it (the due date stays)."""
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        if assignment.extension != Assignment.Extension.REQUESTED or assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("There is no extension request waiting for a decision."))
        _refuse_unless(suggestion, [S.ASSIGNED], _("An extension can only be granted before the first reply."))
        fields = ["extension"]
        if approve:
            assignment.extension = Assignment.Extension.APPROVED
            rules = suggestion.session
            assignment.set_due(add_months(assignment.assigned_at, rules.extended_months), rules.remind_days)
            fields += ["due_at", "remind_at"]
        else:
            assignment.extension = Assignment.Extension.REFUSED
        assignment.save(update_fields=fields)
        _record(suggestion, "decide_extension", actor=by, approved=approve)
        if approve:
            title = _("Extension approved: reply by %(date)s") % {
                "date": timezone.localtime(assignment.due_at).date().isoformat()
            }
        else:
            title = _("Extension refused: the reply is still due on %(date)s") % {
                "date": timezone.localtime(assignment.due_at).date().isoformat()
            }
        _notify(liaison_ids([assignment.unit_id]), title, suggestion.title, unit_url(suggestion))
    return assignment


def send_views(assignment: Assignment, *, text: str, by) -> Assignment:
    """A co-unit sends its views (会办意见) to the lead unit."""
    text = _text(text, label=_("views"), max_length=4000)
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if assignment.is_lead or assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("Only a co-unit handling the suggestion sends views to the lead unit."))
        if assignment.views_sent_at:
            raise SuggestionError(_("Your unit has already sent its views."))
        assignment.views, assignment.views_sent_at = text, timezone.now()
        assignment.save(update_fields=["views", "views_sent_at"])
        _record(suggestion, "send_views", actor=by, unit=assignment.unit_id)
        lead = suggestion.assignments.filter(round=assignment.round, role=Assignment.Role.LEAD).first()
        if lead:
            _notify(
                liaison_ids([lead.unit_id]),
                _("%(unit)s sent its views on a suggestion") % {"unit": assignment.unit.name},
                suggestion.title,
                unit_url(suggestion),
            )
    return assignment


def log_contact(assignment: Assignment, *, stage: str, way: str, happened_on: date, summary: str, by) -> ContactLog:
    """The unit records a contact with the deputy: before, during or after handling."""
    summary = _text(summary, label=_("summary"), max_length=2000)
    if stage not in ContactLog.Stage.values or way not in ContactLog.Way.values:
        raise SuggestionError(_("Choose the stage and the way of the contact from the list."))
    if happened_on is None or happened_on > timezone.localdate():
        raise SuggestionError(_("The date of the contact cannot be in the future."))
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("This assignment is no longer with your unit."))
        if happened_on < timezone.localtime(assignment.assigned_at).date():
            raise SuggestionError(_("The date of the contact is before the suggestion was assigned."))
        log = ContactLog.objects.create(
            assignment=assignment, stage=stage, way=way, happened_on=happened_on, summary=summary, logged_by=by
        )
        _record(suggestion, "log_contact", actor=by, stage=stage)
    return log


def reply_suggestion(assignment: Assignment, *, category: str, text: str, letter, by) -> Reply:
    """The lead unit replies (答复) with a category and the signed reply letter; the reply goes
    to every deputy who signed. A, C and D wait for the deputy's rating; B (being solved)
    stays open: the unit replies again when it is solved."""
    text = _text(text, label=_("reply"), max_length=8000)
    if category not in Reply.Category.values:
        raise SuggestionError(_("Choose the reply category: A, B, C or D."))
    if not letter:
        raise SuggestionError(_("Attach the signed reply letter."))
    with transaction.atomic():
        assignment, suggestion = _lock_assignment(assignment)
        _check_liaison(assignment, by)
        if not assignment.is_lead or assignment.status != Assignment.Status.ACTIVE:
            raise SuggestionError(_("Only the lead unit replies to the suggestion."))
        latest = suggestion.replies.order_by("-replied_at", "-pk").first()
        open_b = suggestion.status == S.REPLIED and latest is not None and latest.category == Reply.Category.B
        if suggestion.status == S.REPLIED and not open_b:
            raise SuggestionError(_("The reply is waiting for the deputy's rating."))
        _refuse_unless(
            suggestion,
            [S.ASSIGNED, S.REHANDLING, S.IN_PROGRESS, S.REPLIED],
            _("The suggestion is not waiting for a reply."),
        )
        now = timezone.now()
        reply = Reply.objects.create(
            suggestion=suggestion,
            assignment=assignment,
            category=category,
            text=text,
            letter=letter,
            is_rehandle=suggestion.status == S.REHANDLING,
            on_time=assignment.due_at is None or now <= assignment.due_at,
            replied_at=now,
            replied_by=by,
            rate_remind_at=now + timedelta(days=suggestion.session.rate_remind_days),
        )
        if open_b and latest.rate_remind_at and not Feedback.objects.filter(reply=latest).exists():
            # The B reply is overtaken: the deputy rates the new one instead.
            Reply.objects.filter(pk=latest.pk).update(rate_remind_at=None)
        assignment.set_due(None, 0)
        assignment.save(update_fields=["due_at", "remind_at"])
        suggestion.status = S.REPLIED
        suggestion.save(update_fields=["status", "updated_at"])
        _record(suggestion, "reply_suggestion", actor=by, category=category, reply=reply.pk)
        _notify(
            signer_ids(suggestion),
            _("%(unit)s replied to your suggestion (%(category)s)")
            % {"unit": assignment.unit.name, "category": category},
            _("“%(title)s”. Please read the reply and rate it.") % {"title": suggestion.title},
            deputy_url(suggestion),
        )
    return reply


def _set_rehandle_due(lead: Assignment, rules: CongressSession) -> None:
    lead.set_due(add_months(timezone.now(), rules.rehandle_months), rules.remind_days)
    Assignment.objects.filter(pk=lead.pk).update(due_at=lead.due_at, remind_at=lead.remind_at)


# --- the deputy rates the reply --------------------------------------------------------


def rate_reply(reply: Reply, *, deputy: Deputy, rating: str, comment: str = "") -> Feedback:
    """The lead deputy rates the latest reply (征询意见表). 不满意 (with a reason) sends the
    suggestion back to the lead unit for re-handling within the re-handling period (1 month);
    satisfied with an A, C or D reply completes it (办结); satisfied with a B reply leaves it
    open until the unit reports it solved."""
    comment = (comment or "").strip()
    if rating not in Feedback.Rating.values:
        raise SuggestionError(_("Choose 满意, 基本满意 or 不满意."))
    if rating == Feedback.Rating.UNSATISFIED and not comment:
        raise SuggestionError(_("Please say why you are not satisfied, so the unit knows what to re-handle."))
    if len(comment) > 2000:
        raise SuggestionError(_("The comment is too long: at most 2000 characters."))
    with transaction.atomic():
        suggestion = _lock(reply.suggestion)
        if suggestion.lead_deputy_id != deputy.pk:
            raise SuggestionError(_("The lead deputy rates the reply."))
        _refuse_unless(suggestion, [S.REPLIED], _("There is no reply waiting for your rating."))
        latest = suggestion.replies.order_by("-replied_at", "-pk").first()
        if latest.pk != reply.pk:
            raise SuggestionError(_("A newer reply has come; please rate that one."))
        if Feedback.objects.filter(reply=reply).exists():
            raise SuggestionError(_("You have already rated this reply."))
        feedback = Feedback.objects.create(reply=reply, deputy=deputy, rating=rating, comment=comment)
        lead = reply.assignment
        now = timezone.now()
        fields = ["status", "updated_at"]
        if rating == Feedback.Rating.UNSATISFIED:
            suggestion.status = S.REHANDLING
            suggestion.ever_unsatisfied = True
            fields.append("ever_unsatisfied")
            _set_rehandle_due(lead, suggestion.session)
            _notify(
                [*liaison_ids([lead.unit_id]), *staff_ids()],
                _("The deputy is not satisfied: please re-handle “%(title)s”") % {"title": suggestion.title},
                comment,
                unit_url(suggestion),
            )
        elif reply.category == Reply.Category.B:
            suggestion.status = S.IN_PROGRESS
        else:
            suggestion.status = S.COMPLETED
            suggestion.completed_at = now
            fields.append("completed_at")
        suggestion.save(update_fields=fields)
        _record(suggestion, "rate_reply", actor=deputy.user, rating=rating, reply=reply.pk)
    return feedback


# --- key suggestions and supervision ---------------------------------------------------

TRACKING_PLAN = [
    (TrackingItem.Kind.MONTHLY, 1, 12),
    (TrackingItem.Kind.QUARTERLY, 3, 4),
    (TrackingItem.Kind.HALF_YEAR, 6, 2),
    (TrackingItem.Kind.YEARLY, 12, 1),
]


def designate_key(
    suggestion: Suggestion, *, supervisor, decided_on: date, by, commission=None, handler: str = ""
) -> KeySuggestion:
    """The director's meeting chooses a key suggestion (重点建议): a committee leader leads its
    supervision (领衔督办), a government leader may lead the handling (领办), and the 五个一
    tracking steps of the coming year are scheduled, each due and reminded."""
    handler = _text(handler, label=_("government leader handling it"), required=False, max_length=50)
    if supervisor is None or not supervisor.is_leader:
        raise SuggestionError(_("The supervision is led by the director, a vice-director or the secretary-general."))
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(
            suggestion,
            [S.ACCEPTED, S.RETURNED, *Suggestion.HANDLING],
            _("Only an accepted suggestion not yet completed can be made a key suggestion."),
        )
        if suggestion.is_key:
            raise SuggestionError(_("This is already a key suggestion."))
        key = KeySuggestion.objects.create(
            suggestion=suggestion, decided_on=decided_on, supervisor=supervisor, commission=commission, handler=handler
        )
        start = timezone.make_aware(datetime.combine(decided_on, time(9)))
        TrackingItem.objects.bulk_create(
            TrackingItem(key=key, kind=kind, period=n, due_at=add_months(start, step * n))
            for kind, step, count in TRACKING_PLAN
            for n in range(1, count + 1)
        )
        suggestion.is_key = True
        suggestion.save(update_fields=["is_key", "updated_at"])
        _record(suggestion, "designate_key", actor=by, supervisor=supervisor.pk)
    return key


def record_tracking(item: TrackingItem, *, text: str, by) -> TrackingItem:
    """Record one 五个一 step of a key suggestion: the unit's monthly status or half-year
    report, the committee's quarterly check or yearly assessment."""
    text = _text(text, label=_("content"), max_length=4000)
    with transaction.atomic():
        suggestion = _lock(item.key.suggestion)
        item = TrackingItem.objects.select_for_update().get(pk=item.pk)
        if item.done_at:
            raise SuggestionError(_("This tracking step is already recorded."))
        if item.kind in TrackingItem.UNIT_KINDS and by is not None and not by.is_staff:
            lead = suggestion.assignments.filter(role=Assignment.Role.LEAD, status=Assignment.Status.ACTIVE).first()
            if lead is None or lead.unit_id != by.unit_id:
                raise SuggestionError(_("This suggestion was not assigned to your unit."))
        elif item.kind not in TrackingItem.UNIT_KINDS and (by is None or not by.is_staff):
            raise SuggestionError(_("The committee records its checks and assessments."))
        item.text, item.done_at, item.done_by = text, timezone.now(), by
        item.save(update_fields=["text", "done_at", "done_by"])
        _record(suggestion, "record_tracking", actor=by, kind=item.kind, period=item.period)
    return item


def record_activity(
    suggestion: Suggestion, *, kind: str, happened_on: date, findings: str, by, participants=""
) -> SupervisionActivity:
    """Record an inspection, an unannounced visit (暗访) or a face-to-face meeting of deputy,
    unit and office (三方对质, 三个面对面)."""
    findings = _text(findings, label=_("findings"), max_length=4000)
    participants = _text(participants, label=_("participants"), required=False, max_length=300)
    if kind not in SupervisionActivity.Kind.values or kind == SupervisionActivity.Kind.FOLLOW_UP:
        raise SuggestionError(_("Choose an inspection, an unannounced visit or a face-to-face meeting."))
    if happened_on is None or happened_on > timezone.localdate():
        raise SuggestionError(_("The date cannot be in the future."))
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(
            suggestion,
            [*Suggestion.HANDLING, S.COMPLETED],
            _("Supervision is recorded on suggestions being handled or completed."),
        )
        activity = SupervisionActivity.objects.create(
            suggestion=suggestion,
            kind=kind,
            happened_on=happened_on,
            participants=participants,
            findings=findings,
            recorded_by=by,
        )
        _record(suggestion, "record_activity", actor=by, kind=kind)
    return activity


def review_suggestion(
    suggestion: Suggestion, *, passed: bool, findings: str, happened_on: date, by, participants=""
) -> SupervisionActivity:
    """The follow-up review after completion (回头看, 二次验收), due for key suggestions and for
    any the deputy once rated 不满意. A review that does not pass sends the suggestion back to
    the lead unit for re-handling."""
    findings = _text(findings, label=_("findings"), max_length=4000)
    if happened_on is None or happened_on > timezone.localdate():
        raise SuggestionError(_("The date cannot be in the future."))
    with transaction.atomic():
        suggestion = _lock(suggestion)
        _refuse_unless(suggestion, [S.COMPLETED], _("Only a completed suggestion gets a follow-up review."))
        if not (suggestion.is_key or suggestion.ever_unsatisfied):
            raise SuggestionError(
                _("A follow-up review is for key suggestions and those the deputy once rated 不满意.")
            )
        if suggestion.reviewed_at:
            raise SuggestionError(_("The follow-up review is already recorded."))
        activity = SupervisionActivity.objects.create(
            suggestion=suggestion,
            kind=SupervisionActivity.Kind.FOLLOW_UP,
            happened_on=happened_on,
            participants=participants,
            findings=findings,
            passed=passed,
            recorded_by=by,
        )
        fields = ["updated_at"]
        if passed:
            suggestion.reviewed_at = timezone.now()
            fields.append("reviewed_at")
        else:
            lead = suggestion.assignments.filter(role=Assignment.Role.LEAD, status=Assignment.Status.ACTIVE).first()
            suggestion.status = S.REHANDLING
            suggestion.completed_at = None
            fields += ["status", "completed_at"]
            _set_rehandle_due(lead, suggestion.session)
            _notify(
                liaison_ids([lead.unit_id]),
                _("Follow-up review not passed: please re-handle “%(title)s”") % {"title": suggestion.title},
                findings,
                unit_url(suggestion),
            )
        suggestion.save(update_fields=fields)
        _record(suggestion, "review_suggestion", actor=by, passed=passed)
    return activity


# --- statistics --------------------------------------------------------------------------


def publish_statistics(year: int, *, by) -> YearStatistics:
    """Publish a year's handling statistics per unit to the public site."""
    with transaction.atomic():
        stats, _created = YearStatistics.objects.select_for_update().get_or_create(year=year)
        if stats.published:
            raise SuggestionError(_("The statistics of %(year)d are already published.") % {"year": year})
        if not Suggestion.objects.filter(session__year=year, number__isnull=False).exists():
            raise SuggestionError(_("There are no accepted suggestions in %(year)d to publish.") % {"year": year})
        stats.published_at, stats.published_by = timezone.now(), by
        stats.save(update_fields=["published_at", "published_by"])
        _record(stats, "publish_statistics", actor=by)
    return stats


def withdraw_statistics(year: int, *, by) -> YearStatistics:
    """Take a year's statistics off the public site."""
    with transaction.atomic():
        stats = YearStatistics.objects.select_for_update().filter(year=year).first()
        if stats is None or not stats.published:
            raise SuggestionError(_("The statistics of %(year)d are not published.") % {"year": year})
        stats.published_at = stats.published_by = None
        stats.save(update_fields=["published_at", "published_by"])
        _record(stats, "withdraw_statistics", actor=by)
    return stats
