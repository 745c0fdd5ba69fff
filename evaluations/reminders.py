"""The rectification's deadlines for the reminder engine. Each deadline escalates in order: the
unit's liaisons a week before it; the liaisons and the liaison commission when it passes; the
responsible leader when it is a month late. The engine's log keys each reminder by
rectification, kind and due date, so each goes out exactly once."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import selectors
from congress.services.reminders import DeadlineSource, Message

from .models import Rectification, Submission

SOON = timedelta(days=7)
BADLY_LATE = timedelta(days=30)


def _awaiting(kind: str):
    def queryset():
        handed_in = Submission.objects.filter(
            rectification=OuterRef("pk"),
            kind=kind,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
        )
        return (
            Rectification.objects.filter(status=Rectification.Status.DELIVERED)
            .filter(~Exists(handed_in))
            .select_related("unit")  # the message names the unit: one query per batch, not per row
            .only("pk", "title", "unit__name", "unit_id", "commission_id", "leader_id", "plan_due_at", "report_due_at")
        )

    return queryset


def _liaisons(batch) -> dict[int, list[int]]:
    """The unit's liaisons (the liaison role only, not every login of the unit)."""
    by_unit = selectors.unit_liaisons(r.unit_id for r in batch)
    return {r.pk: by_unit.get(r.unit_id, []) for r in batch}


def _liaisons_and_commission(batch) -> dict[int, list]:
    result = _liaisons(batch)
    seats = selectors.commission_people(r.commission_id for r in batch)
    return {r.pk: result[r.pk] + seats.get(r.commission_id, []) for r in batch}


def _leader(batch) -> dict[int, list]:
    people = selectors.member_people(r.leader_id for r in batch)
    return {r.pk: [people[r.leader_id]] if r.leader_id in people else [] for r in batch}


def _message(kind: str, stage: str):
    def message(rectification: Rectification) -> Message:
        due = rectification.plan_due_at if kind == "plan" else rectification.report_due_at
        what = _("the rectification plan") if kind == "plan" else _("the rectification report")
        when = date_format(timezone.localtime(due), "DATE_FORMAT")
        titles = {
            "soon": _("Due on %(when)s: %(what)s of %(unit)s"),
            "late": _("Late since %(when)s: %(what)s of %(unit)s"),
            "badly_late": _("A month late: %(what)s of %(unit)s, due on %(when)s"),
        }
        words = {"when": when, "what": what, "unit": rectification.unit.name}
        return Message(
            title=titles[stage] % words,
            body=_("%(title)s. Submit it in the unit portal, signed off by the head of the unit.")
            % {"title": rectification.title},
            url=f"/unit/rectification/{rectification.pk}/",
        )

    return message


LABELS = {
    ("plan", "soon"): gettext_lazy("Rectification plan due soon"),
    ("plan", "late"): gettext_lazy("Rectification plan late"),
    ("plan", "badly_late"): gettext_lazy("Rectification plan a month late"),
    ("report", "soon"): gettext_lazy("Rectification report due soon"),
    ("report", "late"): gettext_lazy("Rectification report late"),
    ("report", "badly_late"): gettext_lazy("Rectification report a month late"),
}


def _sources():
    for kind, field in (("plan", "plan_due_at"), ("report", "report_due_at")):
        yield DeadlineSource(
            kind=f"evaluations.rectification.{kind}.soon",
            label=LABELS[kind, "soon"],
            model=Rectification,
            due_field=field,
            lead=SOON,
            window=SOON,
            recipients=_liaisons,
            message=_message(kind, "soon"),
            queryset=_awaiting(kind),
        )
        yield DeadlineSource(
            kind=f"evaluations.rectification.{kind}.late",
            label=LABELS[kind, "late"],
            model=Rectification,
            due_field=field,
            window=BADLY_LATE,
            recipients=_liaisons_and_commission,
            message=_message(kind, "late"),
            queryset=_awaiting(kind),
        )
        yield DeadlineSource(
            kind=f"evaluations.rectification.{kind}.badly_late",
            label=LABELS[kind, "badly_late"],
            model=Rectification,
            due_field=field,
            lead=-BADLY_LATE,
            recipients=_leader,
            message=_message(kind, "badly_late"),
            queryset=_awaiting(kind),
        )


SOURCES = list(_sources())
