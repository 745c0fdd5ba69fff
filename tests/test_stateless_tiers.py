"""The tiers are stateless: two web processes (gunicorn, the compose command line), two Celery
workers and one beat on one PostgreSQL and one Redis (broker and cache in separate databases),
as production runs them. A deputy logs in on one web and is known on the other (sessions and
the cache are shared); the same ballot sent twenty times to both webs at once is counted once;
a due reminder scanned by beat every second and taken by either worker reaches each recipient
exactly once.

Runs where PostgreSQL and Redis are (CI: DATABASE_URL and REDIS_URL); the database is its own,
made and dropped here."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent

FILL = r"""
import json
from datetime import timedelta
from django.utils import timezone
from congress.models import Reminder
from congress.services import voting
from tests.factories import UserFactory, meeting_with_attendees

meeting, deputies = meeting_with_attendees(1, with_logins=True)
deputy = deputies[0]
deputy.user.set_password("Renda#2026tiers")
deputy.user.save()
poll = voting.open_poll(voting.create_poll(meeting, title="满意度测评", kind="satisfaction", items=["县教育局", "县水利局"]))
users = [UserFactory(email=f"tier{i}@renda.example.cn") for i in range(3)]
reminder = Reminder.objects.create(
    title="请于本周五前交回述职问题调查问卷", body="县人大常委会办公室", remind_at=timezone.now() - timedelta(minutes=1)
)
reminder.recipients.set(users)
print("JSON" + json.dumps({
    "username": deputy.user.username, "password": "Renda#2026tiers", "poll": poll.pk,
    "items": list(poll.items.values_list("pk", flat=True)), "reminder": reminder.pk,
    "users": [u.pk for u in users],
}))
"""

CHECK = r"""
import json
from congress.models import Ballot, Notice, Participation, ReminderLog
print("JSON" + json.dumps({
    "participations": Participation.objects.count(),
    "ballots": Ballot.objects.filter(filled=True).count(),
    "notices": sorted(Notice.objects.values_list("recipient_id", flat=True)),
    "logs": ReminderLog.objects.count(),
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def servers() -> tuple[str, str] | None:
    """The PostgreSQL server and the Redis of CI (DATABASE_URL, REDIS_URL), or None."""
    database, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis_url.startswith("redis"):
        return None
    return urlunsplit(urlsplit(database)._replace(path="/postgres")), redis_url


def admin(server: str, sql: str) -> None:
    import psycopg

    conn = psycopg.connect(server, autocommit=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


class Web:
    """A browser's view of one web process: its port, and the cookies it was given."""

    def __init__(self, port: int, cookies: dict):
        self.port, self.cookies = port, cookies

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "renda.example.cn", "X-Forwarded-Proto": "https", "Referer": "https://renda.example.cn/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = urlencode(body, doseq=True) if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, dict(response.headers), text


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def tiers(tmp_path_factory):
    found = servers()
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the stateless-tiers check needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
        pytest.skip("needs PostgreSQL and Redis: DATABASE_URL=postgres://… REDIS_URL=redis://…")
    server, redis_url = found
    root = tmp_path_factory.mktemp("tiers")
    name = f"congress_tiers_{uuid.uuid4().hex[:8]}"
    redis_base = redis_url.rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "tiers-test-" + "s" * 50,
        "DATABASE_URL": urlunsplit(urlsplit(server)._replace(path=f"/{name}")),
        # Broker and cache apart, as in docker-compose.yml.
        "REDIS_URL": f"{redis_base}/11",
        "CACHE_URL": f"{redis_base}/12",
        "ALLOWED_HOSTS": "renda.example.cn",
        "CSRF_TRUSTED_ORIGINS": "https://renda.example.cn",
        "BEHIND_PROXY": "true",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(root / "var"),
        "MEDIA_ROOT": str(root / "media"),
        "EMAIL_URL": "consolemail://",
        "REMINDER_SCAN_SECONDS": "1",
        "CELERY_BEAT_SCHEDULE_FILE": str(root / "celerybeat-schedule"),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    import redis

    for db in (11, 12):
        redis.Redis.from_url(f"{redis_base}/{db}").flushdb()
    admin(server, f"CREATE DATABASE {name}")
    processes: list[subprocess.Popen] = []
    run = {"cwd": BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 600, "check": False}
    try:
        done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)  # noqa: S603
        assert done.returncode == 0, done.stderr[-3000:]
        # DEBUG off serves hashed static names from the manifest, as the image's build makes it.
        done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], **run)  # noqa: S603
        assert done.returncode == 0, done.stderr[-3000:]
        done = subprocess.run([sys.executable, "manage.py", "shell", "-c", FILL], **run)  # noqa: S603
        assert done.returncode == 0, done.stderr[-3000:]
        data = json.loads(done.stdout.split("JSON", 1)[1])

        web_cmd = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["web"][
            "command"
        ]
        ports = [free_port(), free_port()]
        logs = root / "logs"
        logs.mkdir()

        def start(label: str, command: list[str]) -> None:
            out = (logs / f"{label}.log").open("w")
            processes.append(
                subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
            )

        for i, port in enumerate(ports):
            args = [a for a in web_cmd[1:] if not a.startswith(("--bind", "--workers"))]
            start(f"web{i}", [sys.executable, "-m", "gunicorn", *args, f"--bind=127.0.0.1:{port}", "--workers=1"])
        celery = [sys.executable, "-m", "celery", "-A", "congress"]
        for i in range(2):
            start(f"worker{i}", [*celery, "worker", "--loglevel=INFO", "--concurrency=1", f"--hostname=tier{i}@%h"])
        start("beat", [*celery, "beat", "--loglevel=INFO", f"--schedule={env['CELERY_BEAT_SCHEDULE_FILE']}"])
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, (logs / "web0.log").read_text()[-3000:]
                    time.sleep(0.3)
        yield {**data, "ports": ports, "run": run, "logs": logs, "cache_url": env["CACHE_URL"]}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def state(tiers) -> dict:
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", CHECK], **tiers["run"])  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.split("JSON", 1)[1])


def test_a_login_on_one_web_holds_on_the_other_and_one_ballot_counts_once(tiers):
    a_port, b_port = tiers["ports"]
    a = Web(a_port, {})
    status, _headers, page = a.request("GET", "/accounts/login/")
    assert status == 200
    status, headers, _page = a.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf_token(page), "username": tiers["username"], "password": tiers["password"]},
    )
    assert status == 302, "logged in on web A"
    b = Web(b_port, dict(a.cookies))  # the same browser, its next request landing on web B
    ballot = f"/m/polls/{tiers['poll']}/"
    status, _headers, page = b.request("GET", ballot)
    assert status == 200 and "县教育局" in page, "web B knows the session web A made"

    import redis

    assert redis.Redis.from_url(tiers["cache_url"]).dbsize() > 0, "the cache is the shared Redis"

    form = {"csrfmiddlewaretoken": csrf_token(page), "confirm": "1"}
    form.update({f"item-{pk}": "satisfied" for pk in tiers["items"]})
    statuses = []
    lock = threading.Lock()

    def send(port: int) -> None:
        status, headers, _ = Web(port, dict(a.cookies)).request("POST", ballot, form)
        with lock:
            statuses.append((status, headers.get("Location", "")))

    threads = [threading.Thread(target=send, args=(tiers["ports"][i % 2],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status == 302 and "received" in location for status, location in statuses), statuses
    assert sum(1 for _s, location in statuses if "again=1" not in location) == 1, "one taken as the vote"
    now = state(tiers)
    assert now["participations"] == 1 and now["ballots"] == 1


def test_a_due_reminder_reaches_each_recipient_once_with_two_workers(tiers):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = state(tiers)
        if len(now["notices"]) >= len(tiers["users"]):
            break
        time.sleep(1)
    time.sleep(5)  # several more scans by beat, taken by either worker
    now = state(tiers)
    assert now["notices"] == sorted(tiers["users"]), (tiers["logs"] / "beat.log").read_text()[-2000:]
    assert now["logs"] >= 1
    scans = sum((tiers["logs"] / f"worker{i}.log").read_text().count("scan_reminders") for i in range(2))
    assert scans >= 4, "beat kept scanning while this was checked"
