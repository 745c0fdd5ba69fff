"""Meetings: the roll taken from the roster (点名)."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Attendance, Deputy
from congress.services import audit


class RollError(Exception):
    """A roll that cannot be recorded; the message says why, in Chinese."""


def take_roll(meeting, roll: dict[int, tuple[str, str]], *, by) -> int:
    """Record who came to a meeting, from the roster at once: ``roll`` maps each deputy's id to
    (status, reason). Everyone not marked otherwise is present; one who is absent or on leave
    says why. Rows already on the meeting are updated, the others added, in one statement; the
    electorate of a poll opened later is drawn from it. Returns the number recorded."""
    statuses = set(Attendance.Status.values)
    rows = []
    for deputy_id, (status, reason) in roll.items():
        reason = (reason or "").strip()
        if status not in statuses:
            raise RollError(_("Unknown attendance status."))
        if status in (Attendance.Status.ABSENT, Attendance.Status.ON_LEAVE) and not reason:
            name = Deputy.objects.filter(pk=deputy_id).values_list("name", flat=True).first() or deputy_id
            raise RollError(_("Say why %(name)s is absent or on leave.") % {"name": name})
        rows.append(Attendance(meeting=meeting, deputy_id=deputy_id, status=status, reason=reason[:200]))
    if not rows:
        raise RollError(_("Nobody on the roll."))
    known = set(Deputy.objects.filter(pk__in=roll, term_id=meeting.term_id).values_list("pk", flat=True))
    if known != set(roll):
        raise RollError(_("The roll names someone who is not a deputy of this term."))
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["meeting", "deputy"],
            update_fields=["status", "reason"],
        )
        counts = {s: sum(1 for r in rows if r.status == s) for s in statuses}
        audit.record(meeting, "take_roll", actor=by, **counts)
    return len(rows)
