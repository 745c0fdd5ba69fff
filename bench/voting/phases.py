"""Where the time of one phone vote goes, measured in-process: no gunicorn, no HTTP, one
thread, votes one after another. Run by run.py --phases (or by hand, with the environment
run.py gives its subprocesses); prints a table in CPU milliseconds per request of this process
(Django's side; PostgreSQL's CPU is not in it), the median of the votes.

Each line is the same confirm POST through Django's WSGI handler under a different setting,
changed here only (override_settings), never in the project: which middleware runs, where
sessions live, whether connections are health-checked. Then the vote's parts alone: the view
without the middleware, and cast_ballot alone.
"""

import html
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

from congress.models import Poll  # noqa: E402
from congress.services import voting  # noqa: E402
from congress.views.voting import CODE_COOKIE, CODE_SALT, ballot  # noqa: E402
from tests.factories import UNIT_NAMES_27, MeetingFactory, TermFactory  # noqa: E402

N = int(os.environ.get("PHASES_VOTES", "500"))
HOST = "127.0.0.1"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
NEEDED = [  # the middleware this path cannot do without
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def open_poll(n: int):
    meeting = MeetingFactory(term=TermFactory(), title="phases")
    codes = voting.issue_voter_codes(meeting, n)
    poll = voting.create_poll(
        meeting, title="phases", kind=Poll.Kind.SATISFACTION, items=UNIT_NAMES_27, electorate=Poll.Electorate.CODES
    )
    return voting.open_poll(poll), codes


def call(handler, method, path, cookies, body=b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": HOST,
        "HTTP_HOST": HOST,
        "HTTP_ORIGIN": f"http://{HOST}",
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = headers

    content = b"".join(handler(environ, start_response))
    for name, value in seen["headers"]:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return seen["status"], content


def timed(fn, n):
    cpu, wall = [], []
    for i in range(n):
        c0, w0 = time.process_time(), time.perf_counter()
        fn(i)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def phones_ready(handler, n: int):
    """A poll open to ``n`` voting codes, and each phone having scanned its code and opened the
    sheet: (poll, the sheet's path, [(cookies, the confirm POST's body)])."""
    poll, codes = open_poll(n)
    items = list(poll.items.values_list("pk", flat=True))
    sheet = f"/m/polls/{poll.pk}/"
    voters = []
    for code in codes:
        cookies = {}
        call(handler, "GET", f"/m/v/{code}/", cookies)
        _, page = call(handler, "GET", sheet, cookies)
        found = TOKEN_RE.search(page.decode())
        if found is None:
            raise SystemExit(f"the sheet has no form: {page[:500]!r}")
        filled = urlencode([("csrfmiddlewaretoken", found.group(1)), *[(f"item-{pk}", "fairly") for pk in items]])
        _, review = call(handler, "POST", sheet, cookies, filled.encode())  # the review page's form
        hidden = [(name, html.unescape(value)) for name, value in HIDDEN_RE.findall(review.decode())]
        body = urlencode([*hidden, ("confirm", "1")])
        voters.append((cookies, body.encode()))
    return poll, sheet, voters


def http_variant(label, overrides, health_checks=True):
    """Confirm POSTs through the WSGI handler: each voter's first (accepted) and second
    (refused: already voted) tap."""
    with override_settings(**overrides):
        connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
        handler = WSGIHandler()
        poll, sheet, voters = phones_ready(handler, N)

        def post(i):
            status, _ = call(handler, "POST", sheet, dict(voters[i][0]), voters[i][1])
            assert status == 302, status

        accepted = timed(post, N)
        refused = timed(post, N)
        connection.settings_dict["CONN_HEALTH_CHECKS"] = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False)
        assert poll.participations.count() == N
    return label, accepted, refused


def view_only():
    """The view function alone (no middleware): a request object carrying the session."""
    poll, codes = open_poll(N)
    items = list(poll.items.values_list("pk", flat=True))
    packed = voting.pack_choices(poll.levels, {str(pk): "fairly" for pk in items})
    data = urlencode([("ballot", packed), ("confirm", "1")])  # as the review page sends it
    factory = RequestFactory()

    class Session(dict):
        modified = False

    def post(i):
        request = factory.post(f"/m/polls/{poll.pk}/", data, content_type="application/x-www-form-urlencoded")
        request.session = Session()
        held = {"code": codes[i], "meeting": poll.meeting_id, "title": "", "at": int(time.time())}
        request.COOKIES[CODE_COOKIE] = signing.dumps(held, salt=CODE_SALT, compress=True)
        request._dont_enforce_csrf_checks = True
        request._messages = _NoMessages()
        response = ballot(request, poll.pk)
        assert response.status_code == 302, response.status_code

    return timed(post, N), timed(post, N)


class _NoMessages(list):
    level = 0

    def add(self, *args, **kwargs):
        self.append(args)


def cast_only():
    poll, codes = open_poll(N)
    choices = {str(pk): "fairly" for pk in poll.items.values_list("pk", flat=True)}
    return timed(lambda i: voting.cast_ballot(poll, voting.Voter(code=codes[i]), choices), N)


def main():
    middleware = list(settings.MIDDLEWARE)
    lean = [m for m in middleware if m in NEEDED or m.endswith("SecurityMiddleware") or m.endswith("CommonMiddleware")]
    variants = [
        ("as configured", {}, True),
        ("CONN_HEALTH_CHECKS off", {}, False),
        ("sessions in the cache (Redis)", {"SESSION_ENGINE": "django.contrib.sessions.backends.cache"}, True),
        ("signed-cookie sessions", {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}, True),
        ("without auditlog, axes, htmx, CSP, whitenoise, locale, xframe middleware", {"MIDDLEWARE": lean}, True),
        (
            "all three of the above (lean middleware, cookie sessions, no health check)",
            {"MIDDLEWARE": lean, "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
            False,
        ),
        ("as configured, again (how much the figures wander)", {}, True),
    ]
    print(f"median CPU ms per request in this process (wall ms in brackets), {N} sequential votes each, one thread")
    print(f"{'':76} {'accepted':>16} {'refused (2nd)':>16}")
    for label, overrides, health in variants:
        label, (ac, aw), (rc, rw) = http_variant(label, overrides, health)
        print(f"{label:76} {ac:7.2f} ({aw:5.2f}) {rc:8.2f} ({rw:5.2f})")
    (vc, vw), (vrc, vrw) = view_only()
    print(f"{'the view alone (no middleware, session in memory)':76} {vc:7.2f} ({vw:5.2f}) {vrc:8.2f} ({vrw:5.2f})")
    cc, cw = cast_only()
    print(f"{'cast_ballot() alone (the service: its statements)':76} {cc:7.2f} ({cw:5.2f})")


if __name__ == "__main__":
    main()
