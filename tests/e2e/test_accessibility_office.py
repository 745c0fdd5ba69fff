"""The back office and the hall's screen, for each demo role that uses them, in Chromium on
the demo county: axe-core (WCAG 2.0/2.1 A and AA, the same rules as the phone surfaces'
test, tests/e2e/test_accessibility.py) finds nothing.

- The back office at 1366x768, for the administrator, the committee's staff and a leader: one
  page of each kind each of them reaches by following links from the workbench
  (tests/e2e/pages.py ``office_pages``): every model's list, its add form and one record's change
  form, each page of the office's own (set-up, rosters, panels, ledgers, sheets), a record's
  history and a delete confirmation.
- The hall's screen at 1920x1080 in each state the projector shows: before any poll, while
  voting, counting, and the announced tally (the chart drawn).

Screenshots in test-artifacts/e2e/test_accessibility_office_*.png."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from congress.models import Poll, User
from congress.services import voting
from congress.views.screen import screen_url
from tests.e2e.conftest import ARTIFACTS, _context
from tests.e2e.pages import office_pages
from tests.e2e.test_accessibility import AXE, RUN_AXE, county  # noqa: F401  (the demo county fixture)
from tests.factories import MeetingFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

OFFICE_ROLES = ["admin", "staff", "leader"]
DESKTOP = {
    "viewport": {"width": 1366, "height": 768},
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    # axe-core is put into the page as a script; the pages' CSP (rightly) forbids that.
    "bypass_csp": True,
}
SLOW_PAGE_MS = 120_000
HALL = {**DESKTOP, "viewport": {"width": 1920, "height": 1080}}


def shot_name(role: str, path: str) -> str:
    return f"test_accessibility_office_{role}_" + (re.sub(r"[^\w]+", "_", path).strip("_") or "home") + ".png"


def axe(page) -> list[str]:
    page.add_script_tag(content=AXE)
    return page.evaluate(RUN_AXE)


def check_office(page, base: str, role: str, seen: set[str]) -> tuple[list[str], list[str], list[str]]:
    """Open one page of each kind of the back office ``role`` reaches (in the browser, following
    links from its home) and run axe-core on it, unless an earlier role's check covered that
    page (``seen``, shared between roles). A page differs between roles only by its side menu
    (the models each may see) and its buttons, drawn by the same templates: every role's home is
    checked, and of the rest what the administrator, who sees everything, has not already
    covered (tests/test_scanner.py sends each role's requests across the back office and fails
    on a server error).
    The pages opened, those checked, and axe-core's findings."""
    failures: list[str] = []
    checked: list[str] = []

    def fetch(path):
        if path != "/admin/" and path in seen:
            return 0, "", ""  # covered by an earlier role: not opened again
        try:
            response = page.goto(base + path)
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):  # a file to download, not a page
                return 0, "", ""
            raise
        content_type = response.headers.get("content-type", "")
        if response.status >= 500:
            failures.append(f"{role} {path}: answered {response.status}")
        if response.status != 200 or not content_type.startswith("text/html"):
            return response.status, content_type, ""
        seen.add(path)
        failures.extend(f"{role} {path}: {v}" for v in axe(page))
        page.screenshot(path=str(ARTIFACTS / shot_name(role, path)))
        checked.append(path)
        return response.status, content_type, page.content()

    return office_pages(fetch), checked, failures


def test_every_back_office_page_and_the_hall_screen_pass_axe(live_server, county, request, browser):  # noqa: F811
    failures: list[str] = []
    seen: set[str] = set()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for role in OFFICE_ROLES:
        client = Client()
        client.force_login(User.objects.get(username=role))
        for context in _context(request, browser, **DESKTOP):
            host = urlsplit(live_server.url).hostname
            context.add_cookies(
                [{"name": k, "value": v.value, "domain": host, "path": "/"} for k, v in client.cookies.items()]
            )
            page = context.new_page()
            # A sheet of personal QR codes (one per deputy, 800) takes long to draw.
            page.set_default_navigation_timeout(SLOW_PAGE_MS)
            pages, checked, found = check_office(page, live_server.url, role, seen)
        assert pages[0] == "/admin/", f"{role}: {pages}"  # the role's own workbench
        if role == OFFICE_ROLES[0]:  # the lists and forms of every model
            assert sum(p.endswith("/change/") for p in pages) >= 10, pages
        print(f"{role}: {len(pages)} kinds of page, {len(checked)} checked", flush=True)
        failures += found
    failures += hall_screen(live_server, request, browser)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def hall_screen(live_server, request, browser) -> list[str]:
    """axe-core's findings on the hall's screen in each of its states."""
    announced = Poll.objects.get(status=Poll.Status.ANNOUNCED)
    opened = Poll.objects.get(status=Poll.Status.OPEN)
    term = opened.meeting.term  # its standing committee's members vote
    waiting = MeetingFactory(term=term, title="县人大常委会第三十三次会议")
    closed = MeetingFactory(term=term, title="县人大常委会第三十四次会议")
    counting = voting.create_poll(
        closed,
        title="关于县水利局工作的满意度测评",
        kind=Poll.Kind.SATISFACTION,
        items=["县水利局"],
        electorate=Poll.Electorate.MEMBERS,
    )
    voting.close_poll(voting.open_poll(counting))
    states = [
        ("waiting", waiting.pk, ".screen-waiting"),
        ("voting", opened.meeting_id, ".screen-progress[data-status=open]"),
        ("counting", closed.pk, ".screen-progress[data-status=closed]"),
        ("announced", announced.meeting_id, "#screen-chart svg"),
    ]
    assert len({meeting for _, meeting, _ in states}) == len(states)
    failures: list[str] = []
    for context in _context(request, browser, **HALL):
        page = context.new_page()
        for state, meeting, shown in states:
            page.goto(live_server.url + screen_url(meeting))
            page.locator(shown).wait_for()
            failures += [f"screen {state}: {v}" for v in axe(page)]
            page.screenshot(path=str(ARTIFACTS / f"test_accessibility_office_screen_{state}.png"))
    return failures
