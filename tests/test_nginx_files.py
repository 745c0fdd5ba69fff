"""The production shape serves files: nginx from Debian's package, with deploy/nginx.conf, in
front of gunicorn started with docker-compose.yml's own command line and production settings
(DEBUG off, MEDIA_ACCEL_REDIRECT). A unit's reply letter downloads for the deputies it answers
and for staff, and is refused to anyone else, anonymous included; /media/ and the internal
location answer nothing.

The county's database here is its own SQLite file, migrated and filled by manage.py in a
subprocess, so this runs the same way whichever database the rest of the suite uses."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

FILL = r"""
import json
from django.test import Client
from django.urls import reverse
from suggestions import services
from suggestions.models import Reply
from tests import files as samples
from tests.factories import UnitFactory, UserFactory, deputy_with_login, liaison_for
from tests.suggestions import factories as f

lead, cosigner = deputy_with_login(name="陈志刚"), deputy_with_login(name="刘淑珍")
suggestion = f.draft(lead, cosigners=[cosigner])
services.submit_suggestion(suggestion, deputy=lead)
services.respond_to_cosign(suggestion, deputy=cosigner, confirm=True)
office = f.staff_user()
services.accept_suggestion(suggestion, by=office)
unit = UnitFactory(name="县水利局")
liaison = liaison_for(unit)
row = services.assign_suggestion(suggestion, lead_unit=unit, by=office)[0]
services.sign_for(row, by=liaison)
letter = samples.upload("关于城关镇排水问题的答复函.pdf")
reply = services.reply_suggestion(row, category="A", text="排水管网已改造完成。", letter=letter, by=liaison)
people = {
    "lead": lead.user,
    "cosigner": cosigner.user,
    "unit": liaison,
    "staff": office,
    "other_deputy": deputy_with_login(name="王建华").user,
    "other_unit": liaison_for(UnitFactory(name="县民政局")),
}
sessions = {}
for who, user in people.items():
    client = Client()
    client.force_login(user)
    sessions[who] = client.cookies["sessionid"].value
print("JSON" + json.dumps({"url": reply.letter.url, "name": reply.letter.name, "sessions": sessions}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listens on {port}:\n{log.read_text(errors='replace')[-3000:]}")


def nginx_conf(root: Path, web_port: int, port: int, media: Path) -> Path:
    """deploy/nginx.conf as the nginx image includes it (conf.d inside http {}), pointed at
    the local gunicorn and the local media folder."""
    site = (BASE_DIR / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    replacements = {
        "server web:8000;": f"server 127.0.0.1:{web_port};",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "/var/cache/nginx/public": str(root / "cache"),
        "alias /var/lib/congress/media/;": f"alias {media}/;",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx.conf no longer holds {old!r}"
        site = site.replace(old, new)
    for sub in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / sub).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = root / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/nginx-error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        f"  access_log {root}/nginx-access.log;\n"
        f"  client_body_temp_path {root}/body;\n  proxy_temp_path {root}/proxy;\n"
        f"  fastcgi_temp_path {root}/fastcgi;\n  uwsgi_temp_path {root}/uwsgi;\n  scgi_temp_path {root}/scgi;\n"
        f"{site}\n}}\n",
        encoding="utf-8",
    )
    return conf


def gunicorn_command(web_port: int) -> list[str]:
    """web's command in docker-compose.yml, bound to a local port with two workers."""
    command = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["web"][
        "command"
    ]
    assert command[0] == "gunicorn"
    args = [a for a in command[1:] if not a.startswith(("--bind", "--workers"))]
    return [sys.executable, "-m", "gunicorn", *args, f"--bind=127.0.0.1:{web_port}", "--workers=2"]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    if not Path(NGINX).exists():
        message = "nginx is missing: install Debian's nginx (scripts/test does, as root)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("production")
    media = root / "media"
    media.mkdir()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "nginx-test-" + "k" * 50,
        "DATABASE_URL": f"sqlite:///{root}/county.sqlite3",
        "ALLOWED_HOSTS": "renda.example.cn,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://renda.example.cn",
        "SITE_URL": "https://renda.example.cn",
        "BEHIND_PROXY": "true",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(media),
        "MEDIA_ACCEL_REDIRECT": "/protected-media/",
        "VAR_DIR": str(root / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_SETTINGS_MODULE": "congress.settings",
    }
    env.pop("REDIS_URL", None)  # its own county: local cache, filesystem broker
    env["CELERY_BROKER_URL"] = f"filesystem://{root}/broker"
    manage = [sys.executable, "manage.py"]
    run = {"cwd": BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 600}
    migrated = subprocess.run([*manage, "migrate", "--noinput", "--skip-checks"], **run, check=False)  # noqa: S603
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    filled = subprocess.run([*manage, "shell", "-c", FILL], **run, check=False)  # noqa: S603
    assert filled.returncode == 0, filled.stderr[-3000:]
    data = json.loads(filled.stdout.split("JSON", 1)[1])
    data["bytes"] = (media / data["name"]).read_bytes()

    web_port, port = free_port(), free_port()
    web_log, nginx_log = root / "gunicorn.log", root / "nginx.log"
    with web_log.open("w") as web_out, nginx_log.open("w") as nginx_out:
        web = subprocess.Popen(  # noqa: S603 (our own command line)
            gunicorn_command(web_port), cwd=BASE_DIR, env=env, stdout=web_out, stderr=subprocess.STDOUT
        )
        nginx = subprocess.Popen(  # noqa: S603
            [NGINX, "-p", str(root), "-c", str(nginx_conf(root, web_port, port, media))],
            stdout=nginx_out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(web_port, web, web_log)
            wait_for(port, nginx, nginx_log)
            yield {**data, "port": port, "web_port": web_port}
        finally:
            for process in (nginx, web):
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def get(production, path: str, who: str | None = None, port: int | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port or production["port"], timeout=30)
    headers = {"Host": "renda.example.cn", "X-Forwarded-Proto": "https"}
    if who:
        headers["Cookie"] = f"sessionid={production['sessions'][who]}"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_the_reply_letter_downloads_for_the_deputies_it_answers_and_staff(production):
    for who in ("lead", "cosigner", "unit", "staff"):
        status, headers, body = get(production, production["url"], who)
        assert status == 200, who
        assert body == production["bytes"], who
        assert headers["content-type"] == "application/pdf"
        assert "filename*=utf-8''" in headers["content-disposition"].lower()
        assert headers["cache-control"] == "private, no-store"
        assert "x-accel-redirect" not in headers  # nginx took it and sent the bytes


def test_anyone_else_is_refused_anonymous_included(production):
    for who in ("other_deputy", "other_unit"):
        status, _headers, body = get(production, production["url"], who)
        assert status == 403, who
        assert production["bytes"] not in body
    status, headers, body = get(production, production["url"])
    assert status == 302 and "/accounts/login/" in headers["location"]
    assert production["bytes"] not in body


def test_nothing_is_reachable_by_its_path(production):
    name = quote(production["name"])
    for path in ("/media/" + name, "/protected-media/" + name):
        status, _headers, body = get(production, path, "staff")
        assert status == 404, path
        assert production["bytes"] not in body


def test_the_same_request_path_without_nginx_hands_over_nothing_itself(production):
    """Straight to gunicorn, Django answers with the redirect for nginx and no bytes."""
    status, headers, body = get(production, production["url"], "lead", port=production["web_port"])
    assert status == 200 and body == b""
    assert headers["x-accel-redirect"].startswith("/protected-media/suggestions/replies/")
