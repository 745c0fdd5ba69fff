"""The embedded default really runs: a Celery worker and beat on the filesystem broker, with
SQLite, deliver a past-due reminder to its recipient's notices within one beat interval."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BEAT_SECONDS = 2


def manage(env, *args, timeout=120):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        DEBUG="true",
        REMINDER_SCAN_SECONDS=str(BEAT_SECONDS),
        DJANGO_SETTINGS_MODULE="congress.settings",
    )
    return env


def test_worker_and_beat_deliver_a_past_due_reminder(embedded_env, tmp_path):
    manage(embedded_env, "migrate", "--noinput", "-v", "0")
    manage(
        embedded_env,
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone;"
        "from congress.models import User, Reminder;"
        "u = User.objects.create(username='zhaolei', last_name='赵磊');"
        "r = Reminder.objects.create(title='请于今天下班前报送整改计划', remind_at=timezone.now() - timedelta(minutes=1));"
        "r.recipients.add(u)",
    )
    celery = [sys.executable, "-m", "celery", "-A", "congress"]
    log = open(tmp_path / "celery.log", "w")  # noqa: SIM115 - closed in finally
    procs = [
        subprocess.Popen(  # noqa: S603
            [*celery, "worker", "--pool=solo", "--loglevel=INFO"], cwd=ROOT, env=embedded_env, stdout=log, stderr=log
        ),
        subprocess.Popen(  # noqa: S603
            [*celery, "beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}"],
            cwd=ROOT,
            env=embedded_env,
            stdout=log,
            stderr=log,
        ),
    ]
    count = "0"
    try:
        deadline = time.monotonic() + 60  # start-up of two processes, then one beat interval
        while time.monotonic() < deadline:
            out = manage(
                embedded_env,
                "shell",
                "-c",
                "from congress.models import Notice; print(Notice.objects.filter(recipient__username='zhaolei').count())",
            )
            count = out.stdout.strip().splitlines()[-1]
            if count != "0":
                break
            time.sleep(1)
        time.sleep(BEAT_SECONDS * 2)  # let beat fire again: the same reminder must not repeat
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
        log.close()
    assert count == "1", (tmp_path / "celery.log").read_text()[-3000:]
    # The scan keeps running every interval, and the reminder is still sent once.
    out = manage(embedded_env, "shell", "-c", "from congress.models import Notice; print(Notice.objects.count())")
    assert out.stdout.strip().splitlines()[-1] == "1"
