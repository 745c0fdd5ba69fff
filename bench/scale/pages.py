"""bench/scale: every page of every surface for each role, with Django's test Client (run under
Django by bench/scale/run.py).

The pages are found by following links from each surface's home, as the role sees it (the
link parser of tests/e2e/pages.py), one page per address shape: digits stand for any id, so
one suggestion's change page stands for all of them and a list's ``?page=2`` for its pages.
Left out: downloads (exports, files, QR images: measured as exports), the log-out, and the back
office's delete confirmations (Django's own collector, not a page of the committee's work).
"""

import re
import statistics
import time
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.e2e.pages import _Links

ROLES = {
    "public": (None, ["/", "/board/"]),
    "deputy": ("deputy", ["/m/"]),
    "member": ("member", ["/m/"]),
    "liaison": ("liaison", ["/unit/"]),
    "staff": ("staff", ["/admin/"]),
    "leader": ("leader", ["/admin/"]),
    "admin": ("admin", ["/admin/"]),
}
SURFACE = {"public": "/", "deputy": "/m/", "member": "/m/", "liaison": "/unit/"}
NOT_PAGES = re.compile(
    r"^/(files|accounts|healthz|metrics|static|media|favicon\.ico)(/|$)|/logout/|/delete/|/export/?$|\.(svg|png|xlsx|pdf|docx|mp4|csv)$"
    r"|^/column/\d+/\d+/[^/]+/$|/qr"
)
LIMIT = 400


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def on_surface(role: str, path: str) -> bool:
    if NOT_PAGES.search(path):
        return False
    if role in ("staff", "leader", "admin"):
        return path.startswith(("/admin/", "/screen/"))
    if SURFACE[role] == "/":
        return not path.startswith(("/admin/", "/m/", "/unit/", "/screen/"))
    return path.startswith(SURFACE[role])


def client_for(role: str) -> Client:
    from congress.models import User

    client = Client(raise_request_exception=False)
    username = ROLES[role][0]
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def starts(role: str) -> list[str]:
    from congress.models import Meeting
    from congress.views.screen import screen_url

    found = list(ROLES[role][1])
    if role in ("staff", "admin"):
        meeting = Meeting.objects.filter(polls__isnull=False).order_by("-starts_at").first()
        if meeting:
            found.append(screen_url(meeting.pk))
    return found


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def get(client: Client, url: str) -> tuple[int, str, bytes, float, int]:
    counter = Counter()
    t0 = time.perf_counter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    took = time.perf_counter() - t0
    return response.status_code, response.get("Content-Type", ""), body, took, counter.n


def crawl(role: str, client: Client) -> list[tuple[str, float]]:
    """The role's pages (address, the first fetch's time: cold caches) in the order found."""
    queue = starts(role)
    seen, found = set(), []
    while queue and len(found) < LIMIT:
        url = queue.pop(0)
        key = shape(urlsplit(url).path)
        if key in seen:
            continue
        seen.add(key)
        status, content_type, body, took, _n = get(client, url)
        if status >= 500:
            found.append((url, took))  # measured and reported as an error
            continue
        if status != 200 or not content_type.startswith("text/html"):
            continue
        found.append((url, took))
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.hrefs:
            parts = urlsplit(urljoin("http://testserver" + url, href))
            if parts.netloc != "testserver" or not on_surface(role, parts.path):
                continue
            if shape(parts.path) not in seen:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def measure(paths: list[tuple[str, str]], *, rounds: int = 3, cold: dict | None = None, say=print) -> list[dict]:
    """Each (role, path): ``rounds`` GETs, the median time and the queries of the last."""
    clients: dict[str, Client] = {}
    rows = []
    for role, path in paths:
        client = clients.get(role) or clients.setdefault(role, client_for(role))
        times, queries, status, size = [], [], 0, 0
        for _ in range(rounds):
            status, _ct, body, took, n = get(client, path)
            times.append(took)
            queries.append(n)
            size = len(body)
        rows.append(
            {
                "role": role,
                "path": path,
                "status": status,
                "ms": 1000 * statistics.median(times),
                "cold_ms": 1000 * (cold or {}).get((role, path), float("nan")),
                "queries": queries[-1],
                "queries_rounds": queries,
                "kb": size / 1024,
            }
        )
    return rows


def measure_all(*, rounds: int = 3, only: str = "", say=print) -> list[dict]:
    paths, cold = [], {}
    for role in ROLES:
        found = crawl(role, client_for(role))
        say(f"  {role}: {len(found)} pages")
        for url, took in found:
            if only in url:
                paths.append((role, url))
                cold[(role, url)] = took
    return measure(paths, rounds=rounds, cold=cold, say=say)


def exports() -> list[tuple[str, str]]:
    """Every download the back office offers as a workbook: (name, address)."""
    from congress.models import Poll
    from congress.services import imports
    from evaluations.models import Campaign
    from surveys.models import Survey

    found = []

    def add(name, url_name, query="", **kwargs):
        try:
            found.append((name, reverse(url_name, kwargs=kwargs) + query))
        except NoReverseMatch:
            found.append((name, f"(no address: {url_name})"))

    for kind in imports.ROSTERS:
        add(f"roster {kind}", "admin:roster_export", kind=kind)
    poll = Poll.objects.filter(results__isnull=False).order_by("-pk").first()
    if poll:
        add("poll results", "admin:congress_poll_export", pk=poll.pk)
    campaign = Campaign.objects.filter(satisfaction_poll__isnull=False).order_by("-year").first()
    if campaign:
        add("evaluation results", "admin:evaluations_campaign_export", pk=campaign.pk)
    add("rectification ledger", "admin:evaluations_rectification_ledger", "?format=xlsx")
    add("year in numbers", "admin:oversight_activity_year", "?format=xlsx")
    from django.utils import timezone

    year = timezone.localdate().year
    add("suggestions (this year)", "admin:suggestions_suggestion_export", f"?year={year}")
    add("suggestions (last year)", "admin:suggestions_suggestion_export", f"?year={year - 1}")
    survey = Survey.objects.order_by("-pk").first()
    if survey:
        add("questionnaire responses", "admin:surveys_survey_export", pk=survey.pk)
    return found
