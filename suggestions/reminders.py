"""The suggestions' deadline sources for the reminder engine. Every reminder is keyed by its
object, its kind and the due date it is about, so it goes out once; a new due date (an
approved extension, a re-handling after 不满意) brings one new reminder, never a repeat.

- the unit, a configurable number of days before its reply (lead unit) or views (co-unit) are due;
- the unit and the office, when the reply or the views are late;
- the lead deputy, when a reply has waited a while without a rating;
- the unit (monthly status, half-year report) or the office and the supervising leader
  (quarterly check, yearly assessment) a few days before each 五个一 step of a key suggestion.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.selectors import deputy_ref, unit_liaisons
from congress.services.reminders import DeadlineSource, Message

from .models import Assignment, Feedback, Reply, Suggestion, TrackingItem
from .services import deputy_url, office_url, staff_ids, unit_url

TRACKING_LEAD = timedelta(days=3)


def _day(when) -> str:
    return timezone.localtime(when).date().isoformat()


def _active_with_deadline():
    now = timezone.now()
    return Assignment.objects.filter(status=Assignment.Status.ACTIVE).filter(
        Q(role=Assignment.Role.LEAD, due_at__gt=now)
        | Q(role=Assignment.Role.CO, views_sent_at__isnull=True, views_due_at__gt=now)
    )


def _unit_recipients(batch) -> dict[int, list[int]]:
    liaisons = unit_liaisons(a.unit_id for a in batch)
    return {a.pk: liaisons.get(a.unit_id, []) for a in batch}


def _unit_and_office(batch) -> dict[int, list[int]]:
    office = staff_ids()
    return {pk: [*ids, *office] for pk, ids in _unit_recipients(batch).items()}


def _due_soon_message(a: Assignment) -> Message:
    if a.is_lead:
        title = _("Reply due on %(date)s: %(title)s") % {"date": _day(a.due_at), "title": a.suggestion.title}
    else:
        title = _("Views to the lead unit due on %(date)s: %(title)s") % {
            "date": _day(a.views_due_at),
            "title": a.suggestion.title,
        }
    return Message(title=title, url=unit_url(a.suggestion))


def _overdue_message(a: Assignment, what: str) -> Message:
    due = a.due_at if what == "reply" else a.views_due_at
    if what == "reply":
        title = _("Reply overdue (due %(date)s): %(unit)s, %(title)s")
    else:
        title = _("Co-unit views overdue (due %(date)s): %(unit)s, %(title)s")
    return Message(
        title=title % {"date": _day(due), "unit": a.unit.name, "title": a.suggestion.title},
        url=unit_url(a.suggestion),
    )


def _select(qs):
    return qs.select_related("suggestion", "unit")


DUE_SOON = DeadlineSource(
    kind="suggestions.assignment.due_soon",
    label=gettext_lazy("Suggestion: reply or views due soon"),
    model=Assignment,
    due_field="remind_at",
    recipients=_unit_recipients,
    message=_due_soon_message,
    queryset=lambda: _select(_active_with_deadline().filter(remind_at__isnull=False)),
)
REPLY_OVERDUE = DeadlineSource(
    kind="suggestions.assignment.reply_overdue",
    label=gettext_lazy("Suggestion: reply overdue"),
    model=Assignment,
    due_field="due_at",
    recipients=_unit_and_office,
    message=lambda a: _overdue_message(a, "reply"),
    queryset=lambda: _select(
        Assignment.objects.filter(status=Assignment.Status.ACTIVE, role=Assignment.Role.LEAD, due_at__isnull=False)
    ),
)
VIEWS_OVERDUE = DeadlineSource(
    kind="suggestions.assignment.views_overdue",
    label=gettext_lazy("Suggestion: co-unit views overdue"),
    model=Assignment,
    due_field="views_due_at",
    recipients=_unit_and_office,
    message=lambda a: _overdue_message(a, "views"),
    queryset=lambda: _select(
        Assignment.objects.filter(
            status=Assignment.Status.ACTIVE,
            role=Assignment.Role.CO,
            views_sent_at__isnull=True,
            views_due_at__isnull=False,
        )
    ),
)


def _unrated():
    return (
        Reply.objects.filter(suggestion__status=Suggestion.Status.REPLIED, rate_remind_at__isnull=False)
        .filter(~Exists(Feedback.objects.filter(reply=OuterRef("pk"))))
        .select_related("suggestion__lead_deputy")
    )


UNRATED = DeadlineSource(
    kind="suggestions.reply.unrated",
    label=gettext_lazy("Suggestion: reply not yet rated by the deputy"),
    model=Reply,
    due_field="rate_remind_at",
    # The lead deputy, login or not: a deputy without one is reached by SMS with a personal link.
    recipients=lambda batch: {r.pk: [deputy_ref(r.suggestion.lead_deputy_id)] for r in batch},
    message=lambda r: Message(
        title=_("Please rate the reply to your suggestion: %(title)s") % {"title": r.suggestion.title},
        body=_("The reply came on %(date)s; tell the committee whether you are satisfied.")
        % {"date": _day(r.replied_at)},
        url=deputy_url(r.suggestion),
    ),
    queryset=_unrated,
)


def _tracking_recipients(batch) -> dict[int, list[int]]:
    leads = dict(
        Assignment.objects.filter(
            suggestion_id__in=[i.key.suggestion_id for i in batch],
            role=Assignment.Role.LEAD,
            status=Assignment.Status.ACTIVE,
        ).values_list("suggestion_id", "unit_id")
    )
    liaisons = unit_liaisons(leads.values())
    office = staff_ids()
    result = {}
    for item in batch:
        if item.kind in TrackingItem.UNIT_KINDS:
            result[item.pk] = liaisons.get(leads.get(item.key.suggestion_id), [])
        else:
            result[item.pk] = [*office, deputy_ref(item.key.supervisor.deputy_id)]
    return result


def _tracking_message(item: TrackingItem) -> Message:
    suggestion = item.key.suggestion
    url = unit_url(suggestion) if item.kind in TrackingItem.UNIT_KINDS else office_url(suggestion)
    return Message(
        title=_("Key suggestion, %(step)s due on %(date)s: %(title)s")
        % {"step": item.get_kind_display(), "date": _day(item.due_at), "title": suggestion.title},
        url=url,
    )


TRACKING = DeadlineSource(
    kind="suggestions.tracking.due_soon",
    label=gettext_lazy("Key suggestion: step due soon"),
    model=TrackingItem,
    due_field="due_at",
    lead=TRACKING_LEAD,
    window=TRACKING_LEAD,
    recipients=_tracking_recipients,
    message=_tracking_message,
    queryset=lambda: TrackingItem.objects.filter(done_at__isnull=True).select_related(
        "key__suggestion", "key__supervisor__deputy"
    ),
)

SOURCES = [DUE_SOON, REPLY_OVERDUE, VIEWS_OVERDUE, UNRATED, TRACKING]
