"""The outbox under real concurrency, on PostgreSQL: two beats scanning and delivering at the
same moment, and a worker process killed in the middle of a delivery. Each test makes its own
people and its own stand-in provider, and closes its threads and connections."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from congress.models import Delivery, Reminder, ReminderLog
from congress.services import outbox, reminders
from tests.concurrency import at_once
from tests.congress.fake_tencent import FakeTencent
from tests.factories import DeputyFactory, TermFactory, deputy_with_login

pytestmark = pytest.mark.django_db(transaction=True)


def reminder_for(deputies, *, title: str, urgent: bool = True) -> Reminder:
    # Urgent: the SMS go whatever the hour the test runs at.
    reminder = Reminder.objects.create(
        title=title, url="/m/", urgent=urgent, remind_at=timezone.now() - timedelta(minutes=1)
    )
    reminder.deputies.set(deputies)
    return reminder


def test_two_beats_scanning_and_delivering_at_once_send_each_message_once(postgres_only, settings):
    term = TermFactory()
    no_login = [DeputyFactory(term=term) for _ in range(24)]
    with_login = [deputy_with_login(term=term, email=f"d{i}@qh.example.cn") for i in range(6)]
    people = no_login + with_login
    for n in range(8):
        reminder_for(people[n * 3 : n * 3 + 9], title=f"第{n}项视察活动")
    expected = {(n, d.pk) for n in range(8) for d in people[n * 3 : n * 3 + 9]}

    with FakeTencent() as fake:
        settings.SMS_URL = fake.url()

        def beat():
            reminders.scan()  # its delivery task runs after its commit, in this thread
            return outbox.deliver_due()

        at_once(beat, 4)

        sms_rows = Delivery.objects.filter(channel="sms")
        assert sms_rows.count() == len(expected)
        assert set(sms_rows.values_list("status", flat=True)) == {"sent"}
        keys = [a["SessionContext"] for a in fake.accepted]
        assert len(keys) == len(set(keys)) == len(expected)  # the provider got each message once
    assert ReminderLog.objects.count() == 8
    emails = [m.to[0] for m in mail.outbox]
    assert len(emails) == Delivery.objects.filter(channel="email").count()
    assert len({(m.subject, m.to[0]) for m in mail.outbox}) == len(emails)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_worker_killed_mid_delivery_sends_each_message_once(postgres_only, settings, tmp_path):
    """``send_reminders`` runs in its own process and is killed (SIGKILL) while the provider
    holds its third message; after its claim runs out the next pass sends the rest, and every
    message reaches the provider exactly once."""
    term = TermFactory()
    deputies = [DeputyFactory(term=term) for _ in range(6)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(outbox, "enqueue", lambda: None)  # the rows wait for the worker process
        reminder_for(deputies, title="请参加代表小组活动")
        reminders.scan()
    assert Delivery.objects.filter(status="queued").count() == 6

    with FakeTencent() as fake:
        settings.SMS_URL = fake.url()  # this process's passes and the worker's: the same provider
        fake.hang_on = 3
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SMS_URL": fake.url(),
            "VAR_DIR": str(tmp_path),
            "OUTBOX_BATCH_SIZE": "10",
        }
        env.pop("REDIS_URL", None)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders", "--no-scan"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert fake.hanging.wait(timeout=60), "the worker never reached its third message"
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        fake.release.set()
        time.sleep(0.2)

        statuses = sorted(Delivery.objects.values_list("status", flat=True))
        assert statuses == ["sending"] * 4 + ["sent"] * 2  # two recorded, four still claimed
        assert outbox.deliver_due()["sent"] == 0  # the dead worker's claim still holds

        later = timezone.now() + timedelta(seconds=django_settings.OUTBOX_CLAIM_SECONDS + 5)
        with time_machine.travel(later, tick=False):
            assert outbox.deliver_due()["sent"] == 4

        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
        phones = [a["phone"] for a in fake.accepted]
        assert sorted(phones) == sorted(d.phone for d in deputies)  # each once
