"""The reminder engine: the one mechanism every deadline in the system uses.

A *deadline source* declares which objects are due and when (a model, its due-date field, how
long before or after the due date to remind, who is reminded and with what words). Apps
register their sources in ``AppConfig.ready``. ``scan`` runs on the beat schedule: for each
source it reads a batch of objects whose reminder time has come and that have no ReminderLog
row yet, then in one transaction inserts the log rows (the unique key object + kind + due date
makes a second, concurrent scan insert nothing), creates a Notice for each recipient of the
rows this scan inserted who has a login, and writes the outbox rows (services.outbox: one per
person and channel, SMS and email included) in the same transaction; the delivery task is
asked for with ``on_commit``, and the beat's sweep delivers if that request is lost. If a
worker dies mid-batch the transaction rolls back and the next scan sends that batch; nothing
is queued twice. Queries per batch are constant, each table written with one statement:
select, recipients (the source's own bulk query), insert the log returning the rows this scan
inserted, people (two), insert outbox rows, insert notices.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from congress import selectors
from congress.models import Delivery, Notice, Reminder, ReminderLog
from congress.services import outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    url: str = ""
    urgent: bool = False  # sent by SMS at night too


HORIZON = timedelta(days=60)  # a reminder this late is not sent any more (see DeadlineSource)


@dataclass(frozen=True)
class DeadlineSource:
    """Declares one kind of reminder about one kind of object.

    ``due_field`` names a DateTimeField (indexed) holding the due date. The reminder fires at
    ``due - lead`` (a negative lead reminds after the due date, e.g. "overdue by 7 days") and,
    when ``window`` is set, is no longer sent once ``window`` has passed after that moment
    (a "due soon" reminder is pointless once the item is late). ``queryset`` narrows the model
    to objects still open; ``recipients`` maps a batch of objects, in bulk, to the people
    concerned: a login's id, or ``selectors.deputy_ref(id)`` for a deputy (login or not);
    ``message`` gives the words of one reminder. ``label`` names the kind for staff (the
    back office's log of reminders sent).

    A source without a ``window`` is bounded by ``HORIZON``: a reminder whose moment passed
    more than that ago is not sent any more. The scan runs every few minutes, so only a system
    stopped for that long misses one, and a stale reminder would mislead; the bound lets a scan
    read only what can still be due (a range of the due date's index), not every past row.
    """

    kind: str
    label: str
    model: type[models.Model]
    due_field: str
    recipients: Callable[[list], dict[int, Iterable[int]]]
    message: Callable[[models.Model], Message]
    lead: timedelta = timedelta(0)
    window: timedelta | None = None
    queryset: Callable[[], models.QuerySet] | None = None

    def pending(self, now: datetime) -> models.QuerySet:
        """Objects whose reminder time has come and which have not been reminded yet."""
        qs = self.queryset() if self.queryset else self.model._default_manager.all()
        window = self.window if self.window is not None else HORIZON
        lookups = {f"{self.due_field}__lte": now + self.lead, f"{self.due_field}__gt": now + self.lead - window}
        sent = ReminderLog.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            kind=self.kind,
            due_at=OuterRef(self.due_field),
        )
        return qs.filter(**lookups).filter(~Exists(sent)).order_by(self.due_field, "pk")


_sources: dict[str, DeadlineSource] = {}


def register(source: DeadlineSource) -> None:
    """Add a deadline source; apps call this from ``AppConfig.ready``."""
    _sources[source.kind] = source


def sources() -> list[DeadlineSource]:
    return list(_sources.values())


def label_of(kind: str) -> str:
    """What staff call a kind of reminder; the code itself for a kind no longer registered."""
    source = _sources.get(kind)
    return str(source.label) if source else kind


def scan(now: datetime | None = None, *, batch_size: int | None = None) -> int:
    """Send every reminder whose time has come, each exactly once. Returns notices created."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    created = 0
    for source in sources():
        while True:
            batch = list(source.pending(now)[:batch_size])
            if not batch:
                break
            created += _send_batch(source, batch)
            if len(batch) < batch_size:
                break
    return created


def _log_rows(source: DeadlineSource, batch: list, content_type: ContentType, now: datetime) -> list[ReminderLog]:
    """Insert the batch's log rows and return those this scan inserted, in one statement:
    ``ON CONFLICT DO NOTHING RETURNING`` gives back only the rows no other scan had written
    (the unique key object + kind + due date), so nothing is read back afterwards."""
    opts = ReminderLog._meta
    fields = [opts.get_field(name) for name in ("content_type", "kind", "sent_at", "scan", "object_id", "due_at")]
    shared = [  # the same for every row of the batch
        field.get_db_prep_value(value, connection)
        for field, value in zip(fields[:4], (content_type.pk, source.kind, now, uuid.uuid4()), strict=True)
    ]
    object_id, due_at = fields[4:]
    rows = [
        (
            object_id.get_db_prep_value(obj.pk, connection),
            due_at.get_db_prep_value(getattr(obj, source.due_field), connection),
        )
        for obj in batch
    ]
    quote = connection.ops.quote_name
    insert = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    returning = f"ON CONFLICT DO NOTHING RETURNING {quote(opts.pk.column)}, {quote(object_id.column)}"
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows as two arrays: the statement's text is the same for any batch, so
            # PostgreSQL plans it once (a VALUES list of 500 rows is parsed and planned each time).
            rows_sql = "SELECT %s, %s, %s, %s, o, d FROM UNNEST(%s::bigint[], %s::timestamptz[]) AS r (o, d)"
            cursor.execute(
                f"{insert} {rows_sql} {returning}",  # noqa: S608 (names from the model's options)
                [*shared, [r[0] for r in rows], [r[1] for r in rows]],
            )
            found = cursor.fetchall()
        else:  # SQLite: a VALUES list, in chunks of what one statement takes
            size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                cursor.execute(
                    f"{insert} VALUES {', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(chunk))} {returning}",
                    [value for row in chunk for value in (*shared, *row)],
                )
                found += cursor.fetchall()
    return [ReminderLog(id=pk, object_id=pk_of_object, kind=source.kind) for pk, pk_of_object in found]


def _send_batch(source: DeadlineSource, batch: list) -> int:
    content_type = ContentType.objects.get_for_model(source.model)
    recipients = source.recipients(batch)
    by_id = {obj.pk: obj for obj in batch}
    now = timezone.now()
    with transaction.atomic():
        mine = _log_rows(source, batch, content_type, now)
        people = selectors.people(ref for log in mine for ref in recipients.get(log.object_id, ()))
        notices, rows = [], []
        for log in mine:
            # One person once, however many ways the source named them (login and roster entry).
            concerned = {}
            for ref in recipients.get(log.object_id, ()):
                person = people.get(ref)
                if person is not None:
                    concerned.setdefault(person.key, person)
            more_notices, more_rows = outbox.queue(
                log, source.message(by_id[log.object_id]), list(concerned.values()), now=now
            )
            notices += more_notices
            rows += more_rows
        # The log rows are this transaction's own (no other scan can see them, let alone have
        # queued for them), and queue() gives one row per person and channel: a plain insert,
        # without the conflict check on every row and index that ON CONFLICT costs.
        Delivery.objects.bulk_create(rows)
        Notice.objects.bulk_create(notices)
        if mine:
            transaction.on_commit(outbox.enqueue)
    if len(mine) < len(batch):
        logger.info(
            "reminders %s: %d of %d already sent by another scan", source.kind, len(batch) - len(mine), len(batch)
        )
    return len(notices)


# --- the institution's own deadline sources -------------------------------------------


def _reminder_recipients(batch: list) -> dict[int, list]:
    """The logins and the deputies staff chose (two queries)."""
    ids = [r.pk for r in batch]
    result: dict[int, list] = {}
    for reminder_id, user_id in Reminder.recipients.through.objects.filter(reminder_id__in=ids).values_list(
        "reminder_id", "user_id"
    ):
        result.setdefault(reminder_id, []).append(user_id)
    for reminder_id, deputy_id in Reminder.deputies.through.objects.filter(reminder_id__in=ids).values_list(
        "reminder_id", "deputy_id"
    ):
        result.setdefault(reminder_id, []).append(selectors.deputy_ref(deputy_id))
    return result


def _meeting_recipients(batch: list) -> dict[int, list]:
    """Every invited deputy not on leave, login or not (one query)."""
    from congress.models import Attendance

    result: dict[int, list[int]] = {}
    rows = (
        Attendance.objects.filter(meeting_id__in=[m.pk for m in batch])
        .exclude(status=Attendance.Status.ON_LEAVE)
        .values_list("meeting_id", "deputy_id")
    )
    for meeting_id, deputy_id in rows:
        result.setdefault(meeting_id, []).append(selectors.deputy_ref(deputy_id))
    return result


def _meeting_message(meeting) -> Message:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    return Message(
        title=_("Meeting tomorrow: %(title)s") % {"title": meeting.title},
        body=_("%(title)s starts at %(when)s, %(place)s.")
        % {"title": meeting.title, "when": when, "place": meeting.place},
        url="/m/",
    )


def register_builtin_sources() -> None:
    from congress.models import Meeting

    register(
        DeadlineSource(
            kind="congress.reminder",
            label=gettext_lazy("Reminder set by staff"),
            model=Reminder,
            due_field="remind_at",
            recipients=_reminder_recipients,
            message=lambda r: Message(r.title, r.body, r.url, urgent=r.urgent),
        )
    )
    register(
        DeadlineSource(
            kind="congress.meeting.upcoming",
            label=gettext_lazy("Meeting tomorrow"),
            model=Meeting,
            due_field="starts_at",
            lead=timedelta(days=1),
            window=timedelta(days=1),
            recipients=_meeting_recipients,
            message=_meeting_message,
        )
    )
