"""A reminder batch writes each table with one statement: the log rows (returning those this
scan inserted, so nothing is read back), the outbox rows and the notices; a reminder another
scan already logged is neither logged nor queued again."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Delivery, Notice, Reminder, ReminderLog
from congress.services import reminders
from tests.factories import DeputyFactory, TermFactory, UserFactory


def make_reminders(count, users=(), deputies=()):
    made = []
    for n in range(count):
        reminder = Reminder.objects.create(
            title=f"请于本周五前交回述职问题调查问卷（第{n + 1}批）",
            body="县人大常委会办公室",
            url="/m/",
            remind_at=timezone.now() - timedelta(minutes=5 + n),
        )
        reminder.recipients.set(users)
        reminder.deputies.set(deputies)
        made.append(reminder)
    return made


def statements(queries, verb: str, table: str) -> list[str]:
    """The statements that ``verb`` (INSERT, SELECT) ``table`` itself, not in a subquery."""
    pattern = re.compile(rf'^\s*{verb}\b[^()]*?\b(?:INTO|FROM)\s+"?{table}"?[\s(]', re.IGNORECASE)
    return [q["sql"] for q in queries if pattern.search(q["sql"])]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 40])
def test_a_batch_writes_each_table_once_whatever_its_size(count):
    term = TermFactory()
    staff = [UserFactory(username=f"staff{i}", email=f"staff{i}@renda.example.cn") for i in range(2)]
    deputy = DeputyFactory(term=term, name="王秀兰", phone="13902317759")
    make_reminders(count, users=staff, deputies=[deputy])

    with CaptureQueriesContext(connection) as captured:
        assert reminders.scan() == 2 * count  # the two logins' notices

    queries = captured.captured_queries
    assert len(statements(queries, "INSERT", "congress_reminderlog")) == 1
    assert len(statements(queries, "INSERT", "congress_delivery")) == 1
    assert len(statements(queries, "INSERT", "congress_notice")) == 1
    assert statements(queries, "SELECT", "congress_reminderlog") == []  # no reading back
    assert ReminderLog.objects.count() == count
    # Each login: in-app and email; the deputy without a login: SMS.
    assert Delivery.objects.count() == count * (2 * 2 + 1)
    assert Notice.objects.filter(reminder__isnull=False).count() == 2 * count
    assert set(Notice.objects.values_list("reminder__object_id", flat=True)) == {r.pk for r in Reminder.objects.all()}


@pytest.mark.django_db
def test_the_log_rows_name_the_reminder_its_kind_due_date_and_scan():
    [reminder] = make_reminders(1, users=[UserFactory(username="staff", email="staff@renda.example.cn")])

    reminders.scan()

    log = ReminderLog.objects.get()
    assert log.target == reminder
    assert log.kind == "congress.reminder"
    assert log.due_at == reminder.remind_at
    assert isinstance(log.scan, uuid.UUID)
    assert log.sent_at is not None
    notice = Notice.objects.get()
    assert notice.reminder == log and notice.title == reminder.title
    assert {d.reminder_id for d in Delivery.objects.all()} == {log.pk}


@pytest.mark.django_db
def test_a_reminder_another_scan_logged_is_not_queued_again_and_the_rest_of_the_batch_is():
    user = UserFactory(username="staff", email="staff@renda.example.cn")
    first, second, third = make_reminders(3, users=[user])
    # Another scan logged the second one between this scan's select and its insert: the insert
    # skips it and returns only the other two.
    source = next(s for s in reminders.sources() if s.kind == "congress.reminder")
    batch = list(source.pending(timezone.now()))
    ReminderLog.objects.create(
        content_type=ContentType.objects.get_for_model(Reminder),
        object_id=second.pk,
        kind="congress.reminder",
        due_at=second.remind_at,
        scan=uuid.uuid4(),
    )

    assert reminders._send_batch(source, batch) == 2

    assert sorted(Notice.objects.values_list("title", flat=True)) == sorted([first.title, third.title])
    assert not Delivery.objects.filter(reminder__object_id=second.pk).exists()
    assert ReminderLog.objects.count() == 3


@pytest.mark.django_db
def test_scan_queries_do_not_grow_with_the_batch(django_assert_num_queries, settings):
    settings.REMINDER_BATCH_SIZE = 500
    user = UserFactory(username="staff", email="staff@renda.example.cn")
    make_reminders(5, users=[user])
    with CaptureQueriesContext(connection) as small:
        reminders.scan()
    Notice.objects.all().delete()
    Delivery.objects.all().delete()
    ReminderLog.objects.all().delete()
    make_reminders(60, users=[user])
    with django_assert_num_queries(len(small.captured_queries)):
        assert reminders.scan() == 65
