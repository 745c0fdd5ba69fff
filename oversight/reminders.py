"""The supervision calendar's deadline for the reminder engine: a planned activity whose day has
passed without a record reminds the committee staff who keep the calendar, the liaison
commission paired with the unit and the responsible leader, once (the engine's log keys it by
activity, kind and due date)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import selectors
from congress.models import Role, User
from congress.services.reminders import DeadlineSource, Message

from .models import Activity


def _keepers(batch) -> dict[int, list]:
    seats = selectors.commission_people(a.commission_id for a in batch)
    leaders = selectors.member_people(a.leader_id for a in batch)
    staff = list(User.objects.filter(groups__name=Role.STAFF, is_active=True).values_list("pk", flat=True))
    result = {}
    for activity in batch:
        people = [*staff, *seats.get(activity.commission_id, [])]
        if activity.leader_id in leaders:
            people.append(leaders[activity.leader_id])
        result[activity.pk] = people  # the engine merges a deputy named twice into one person
    return result


def _overdue(activity: Activity) -> Message:
    return Message(
        title=_("Not recorded: %(title)s, planned for %(day)s")
        % {"title": activity.title, "day": date_format(activity.planned_on, "DATE_FORMAT")},
        body=_("Record it as held, with the participants and findings, or cancel it with the reason."),
        url=f"/admin/oversight/activity/{activity.pk}/change/",
    )


SOURCES = [
    DeadlineSource(
        kind="oversight.activity.overdue",
        label=gettext_lazy("Planned supervision activity not recorded"),
        model=Activity,
        due_field="due_at",
        recipients=_keepers,
        message=_overdue,
        queryset=lambda: Activity.objects.filter(status=Activity.Status.PLANNED).select_related("unit"),
    )
]
