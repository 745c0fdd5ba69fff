"""The reminder engine: each due reminder reaches its recipients exactly once."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from congress.models import Attendance, Meeting, Notice, Reminder, ReminderLog
from congress.services import reminders
from tests.concurrency import at_once
from tests.factories import DeputyFactory, TermFactory, UserFactory, deputy_with_login


def make_reminder(recipients, *, minutes_ago=5, title="请于本周五前交回述职问题调查问卷"):
    reminder = Reminder.objects.create(
        title=title, body="县人大常委会办公室", remind_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    reminder.recipients.set(recipients)
    return reminder


@pytest.mark.django_db(transaction=True)
def test_past_due_reminder_reaches_recipients_notices_and_email():
    users = [UserFactory(email=f"u{i}@renda.example.cn") for i in range(3)]
    make_reminder(users)

    assert reminders.scan() == 3

    for user in users:
        notice = Notice.objects.get(recipient=user)
        assert notice.title == "请于本周五前交回述职问题调查问卷"
        assert notice.emailed_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


@pytest.mark.django_db
def test_future_reminder_is_not_sent_yet():
    user = UserFactory()
    Reminder.objects.create(title="下周的提醒", remind_at=timezone.now() + timedelta(hours=1)).recipients.add(user)

    assert reminders.scan() == 0
    assert not Notice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_scanning_twice_sends_once():
    user = UserFactory(email="a@renda.example.cn")
    make_reminder([user])

    reminders.scan()
    reminders.scan()

    assert Notice.objects.filter(recipient=user).count() == 1
    assert ReminderLog.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_moving_the_due_date_reminds_again():
    """The key includes the due date: a postponed deadline is a new reminder."""
    user = UserFactory()
    reminder = make_reminder([user])
    reminders.scan()
    reminder.remind_at = timezone.now() - timedelta(minutes=1)
    reminder.save()
    reminders.scan()
    assert Notice.objects.filter(recipient=user).count() == 2


@pytest.mark.django_db
def test_scan_queries_are_constant_per_batch(django_assert_max_num_queries, settings):
    settings.REMINDER_BATCH_SIZE = 1000
    reminders.scan()  # nothing due yet: reads each source's content type once, as a running worker has
    users = [UserFactory() for _ in range(5)]
    for i in range(40):
        make_reminder(users[: 1 + i % 5], title=f"提醒{i}")
    # One select per registered source (each app adds its own); for the source with work, recipients
    # + insert logs + read back + insert notices (+ the transaction's few), nothing per row.
    with django_assert_max_num_queries(len(reminders.sources()) + 10):
        created = reminders.scan()
    assert created == sum(1 + i % 5 for i in range(40))


@pytest.mark.django_db
def test_batches_cover_everything(settings):
    settings.REMINDER_BATCH_SIZE = 7
    user = UserFactory()
    for i in range(30):
        make_reminder([user], title=f"提醒{i}")
    assert reminders.scan() == 30
    assert Notice.objects.filter(recipient=user).count() == 30


@pytest.mark.django_db
def test_failed_batch_writes_nothing_and_next_scan_sends(monkeypatch):
    """A worker dying mid-batch leaves no half-sent reminder behind."""
    user = UserFactory()
    make_reminder([user])
    original = Notice.objects.bulk_create

    def boom(*args, **kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(Notice.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        reminders.scan()
    assert not ReminderLog.objects.exists()

    monkeypatch.setattr(Notice.objects, "bulk_create", original)
    assert reminders.scan() == 1


@pytest.mark.django_db
def test_meeting_attendees_are_reminded_the_day_before():
    term = TermFactory()
    coming = deputy_with_login(term=term)
    on_leave = deputy_with_login(term=term)
    no_login = DeputyFactory(term=term)
    meeting = Meeting.objects.create(
        term=term,
        kind=Meeting.Kind.STANDING,
        title="县人大常委会第二十次会议",
        place="机关三楼会议室",
        starts_at=timezone.now() + timedelta(hours=20),
    )
    Attendance.objects.create(meeting=meeting, deputy=coming)
    Attendance.objects.create(meeting=meeting, deputy=on_leave, status=Attendance.Status.ON_LEAVE)
    Attendance.objects.create(meeting=meeting, deputy=no_login)

    reminders.scan()

    notices = Notice.objects.all()
    assert [n.recipient_id for n in notices] == [coming.user_id]
    assert "县人大常委会第二十次会议" in notices[0].title


@pytest.mark.django_db
def test_meeting_long_past_is_not_reminded():
    term = TermFactory()
    deputy = deputy_with_login(term=term)
    meeting = Meeting.objects.create(
        term=term, kind=Meeting.Kind.STANDING, title="上月的会议", starts_at=timezone.now() - timedelta(days=20)
    )
    Attendance.objects.create(meeting=meeting, deputy=deputy)
    assert reminders.scan() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_send_each_reminder_exactly_once(postgres_only):
    """Two workers scanning the same due reminders at the same moment, on PostgreSQL."""
    users = [UserFactory(email=f"c{i}@renda.example.cn") for i in range(20)]
    for i in range(50):
        make_reminder(users[i % 20 : i % 20 + 3], title=f"并发提醒{i}")
    expected = sum(len(users[i % 20 : i % 20 + 3]) for i in range(50))

    results = at_once(reminders.scan, 4)

    assert sum(results) == expected
    assert Notice.objects.count() == expected
    assert ReminderLog.objects.count() == 50
    assert len(mail.outbox) == expected
    pairs = list(Notice.objects.values_list("recipient_id", "reminder__object_id"))
    assert len(pairs) == len(set(pairs))


@pytest.mark.django_db
def test_staff_read_the_log_of_reminders_sent_in_chinese(client, django_assert_max_num_queries):
    """The back office's log says what each reminder was by name, not by its code, and filters
    by the kinds of object actually reminded of, not by every table of the system."""
    users = [UserFactory() for _ in range(3)]
    for n in range(5):
        make_reminder(users, title=f"第{n}次提醒")
    reminders.scan()
    assert ReminderLog.objects.count() == 5
    client.force_login(UserFactory(username="staff1", roles=["staff"]))
    url = reverse("admin:congress_reminderlog_changelist")
    with django_assert_max_num_queries(13):  # + what was reminded of, one query per kind of object
        page = client.get(url).content.decode()
    assert re.findall(r'class="field-kind_label"><a [^>]*>([^<]*)</a>', page) == ["工作人员设置的提醒"] * 5
    assert ">congress.reminder<" not in page
    assert "整改报告逾期一个月" in page  # a kind staff can filter by
    assert "access attempt" not in page and "访问尝试" not in page  # a table nobody is reminded of
    assert client.get(url, {"kind": "congress.meeting.upcoming"}).context["cl"].result_count == 0
    assert client.get(url, {"kind": "congress.reminder"}).context["cl"].result_count == 5


@pytest.mark.django_db
def test_the_list_of_users_heads_its_name_column_in_chinese(client):
    client.force_login(UserFactory(username="staff1", roles=["staff"], is_superuser=True))
    page = client.get(reverse("admin:congress_user_changelist")).content.decode()
    assert "GET FULL NAME" not in page.upper() and "姓名" in page


@pytest.mark.django_db
def test_one_reminder_sent_reads_by_its_name_too(client):
    make_reminder([UserFactory()])
    reminders.scan()
    client.force_login(UserFactory(username="staff1", roles=["staff"]))
    log = ReminderLog.objects.get()
    page = client.get(reverse("admin:congress_reminderlog_change", args=[log.pk])).content.decode()
    assert "工作人员设置的提醒" in page and "congress.reminder" not in page
