"""Every page of the phone surfaces, for each demo role, in Chromium at 390x844 on the demo
county: axe-core (WCAG 2.0/2.1 A and AA, tests/e2e/vendor/axe.min.js from the npm registry,
built by frontend/build.mjs) finds nothing, every tap target that is not a link inside a
sentence is at least 44x44 px, and with the phone's text at 200 % the ballot and the
questionnaire keep at least 60 % of the screen for their content. The pages are found by
following links (tests/e2e/pages.py), the same ones bench/pages/run.py weighs. Screenshots in
test-artifacts/e2e/test_accessibility_*.png."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from congress import demo
from congress.models import Meeting, Poll, User
from congress.services import voting
from tests.e2e.conftest import ARTIFACTS, MIN_TAP_PX, _context
from tests.e2e.pages import crawl
from tests.surveys.factories import topic_survey

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
# The roles of the phone surfaces and where each starts: a visitor on the public site, the
# deputy and the member on the deputy pages, the liaison on the unit portal.
ROLES = [("visitor", "/"), ("deputy", "/m/"), ("member", "/m/"), ("liaison", "/unit/")]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    # axe-core is put into the page as a script; the pages' CSP (rightly) forbids that.
    "bypass_csp": True,
}

RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at `
    + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""

# Visible tap targets smaller than 44x44 px. Exempt, as WCAG 2.5.5 has it: a link inside a
# sentence (inline, with other text around it); a radio or check box that is hidden behind its
# label (Bootstrap's .btn-check), where the label is the target.
SMALL_TARGETS = """(min) => {
  const out = [];
  for (const el of document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]")) {
    if (el.matches(".btn-check")) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width <= 1 || box.height <= 1) continue;
    const parentText = (el.parentElement?.textContent || "").trim().length;
    if (style.display === "inline" && parentText > el.textContent.trim().length) continue;
    let target = box;
    if (el.matches("input[type=checkbox], input[type=radio]") && el.labels.length) {
      // The input and its label make one target.
      const label = el.labels[0].getBoundingClientRect();
      const top = Math.min(box.top, label.top), left = Math.min(box.left, label.left);
      target = {width: Math.max(box.right, label.right) - left, height: Math.max(box.bottom, label.bottom) - top};
    }
    if (target.width < min - 0.5 || target.height < min - 0.5) {
      const name = (el.textContent || el.value || el.name || el.id || "").trim().slice(0, 20);
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${name}" `
        + `${Math.round(target.width)}x${Math.round(target.height)}`);
    }
  }
  return out;
}"""

# The share of the screen that fixed and stuck bars cover, with the page scrolled halfway.
COVERED = """() => {
  window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2);
  let covered = 0;
  for (const el of document.querySelectorAll("body *")) {
    const position = getComputedStyle(el).position;
    if (position !== "fixed" && position !== "sticky") continue;
    let inside = false;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (["fixed", "sticky"].includes(getComputedStyle(a).position)) { inside = true; break; }
    }
    if (inside) continue;
    const box = el.getBoundingClientRect();
    if (position === "sticky") {
      // A sticky bar covers content only while it is stuck to an edge of the screen.
      const stuck = Math.abs(box.top - parseFloat(getComputedStyle(el).top || "NaN")) < 1
        || Math.abs(innerHeight - box.bottom - parseFloat(getComputedStyle(el).bottom || "NaN")) < 1;
      if (!stuck) continue;
    }
    covered += Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0));
  }
  return covered / innerHeight;
}"""


@pytest.fixture
def county():
    """The demo county, with a poll open to the standing committee's members and a
    questionnaire open to deputies, so that the ballot and the questionnaire are among the pages."""
    assert demo.load_demo()
    demo.load_extensions()
    meeting = Meeting.objects.order_by("pk").first()
    poll = voting.create_poll(
        meeting,
        title="关于县教育局整改情况的满意度测评",
        kind=Poll.Kind.SATISFACTION,
        items=["县教育局", "县卫生健康局", "县民政局", "县财政局", "县水利局", "县交通运输局"],
        electorate=Poll.Electorate.MEMBERS,
    )
    voting.open_poll(poll)
    topic_survey()


def pages_of(role: str, start: str) -> tuple[list[str], list[dict]]:
    """The role's pages (found with Django's test client) and the session cookie for the browser."""
    client = Client()
    if role != "visitor":
        client.force_login(User.objects.get(username=role))

    def fetch(path):
        response = client.get(path)
        return response.status_code, response.get("Content-Type", ""), response.content.decode(errors="replace")

    cookies = [{"name": k, "value": v.value, "domain": "localhost", "path": "/"} for k, v in client.cookies.items()]
    return crawl(fetch, start), cookies


def shot_name(role: str, path: str) -> str:
    return f"test_accessibility_{role}_" + (re.sub(r"[^\w]+", "_", path).strip("_") or "home") + ".png"


def test_every_page_of_every_phone_surface_passes_axe_and_has_44px_targets(live_server, county, request, browser):
    failures: list[str] = []
    checked = 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for role, start in ROLES:
        paths, cookies = pages_of(role, start)
        assert len(paths) >= 3, f"{role}: only {paths} found from {start}"
        for context in _context(request, browser, **PHONE):
            context.add_cookies([{**c, "domain": urlsplit(live_server.url).hostname} for c in cookies])
            page = context.new_page()
            for path in paths:
                page.goto(live_server.url + path)
                page.add_script_tag(content=AXE)
                failures += [f"{role} {path}: {v}" for v in page.evaluate(RUN_AXE)]
                failures += [f"{role} {path}: tap target {t}" for t in page.evaluate(SMALL_TARGETS, MIN_TAP_PX)]
                page.screenshot(path=str(ARTIFACTS / shot_name(role, path)))
                checked += 1
    assert checked >= 20
    assert not failures, f"{len(failures)} problems on {checked} pages:\n" + "\n".join(failures)


def test_text_at_200_percent_leaves_the_ballot_and_questionnaire_on_screen(live_server, county, request, browser):
    for role, kind in (("member", "polls"), ("deputy", "surveys")):
        paths, cookies = pages_of(role, "/m/")
        forms = [p for p in paths if re.match(rf"^/m/{kind}/\d+/$", p)]
        assert forms, f"{role}: no open {kind} among {paths}"
        check_at_200_percent(request, browser, live_server, forms, cookies)


def check_at_200_percent(request, browser, live_server, forms, cookies):
    for context in _context(request, browser, **PHONE):
        context.add_cookies([{**c, "domain": urlsplit(live_server.url).hostname} for c in cookies])
        page = context.new_page()
        # The phone's text size at 200 %: the browser's default font size doubled (what a
        # browser's text-size setting changes), through the DevTools protocol.
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        for path in forms:
            page.goto(live_server.url + path)
            assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
            covered = page.evaluate(COVERED)
            page.screenshot(path=str(ARTIFACTS / shot_name("deputy_200pc", path)))
            assert covered <= 0.4, f"{path}: bars cover {covered:.0%} of the screen at 200 % text"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways at 200 % text ({width}px)"
