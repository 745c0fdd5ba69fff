"""The pages issue 22 named, in a real browser at a phone's size (390x844) and a desktop's
(1920x1080), on the demo county: the liaison's portal (home counts, 待办理, rectification,
commitments), the campaign dashboards' stage tables, the results, the hall's screen with an
announced tally, the empty board of last year, and a liaison opening a ballot's address.
Screenshots in test-artifacts/e2e/test_one_truth_<size>_<page>.png, looked at."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress import demo
from congress.models import Poll
from congress.views.screen import screen_url
from evaluations.models import Campaign
from tests.e2e.conftest import ARTIFACTS, _context, assert_no_horizontal_scroll, watch_errors

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1920, "height": 1080}}


@pytest.fixture(params=list(SIZES))
def sized(request, browser):
    size = request.param
    options = {"viewport": SIZES[size], "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
    if size == "phone":
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    for context in _context(request, browser, **options):
        yield size, context


@pytest.fixture
def county():
    assert demo.load_demo()
    demo.load_extensions()


def shot(page, size: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"test_one_truth_{size}_{name}.png"), full_page=True)


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.locator("main form [type=submit], form [type=submit]").first.click()
    page.wait_for_load_state()


def number(text: str) -> int:
    found = re.search(r"(\d+)", text)
    return int(found.group(1)) if found else 0


def test_the_liaisons_portal_says_the_same_on_home_and_lists(live_server, county, sized):
    size, context = sized
    page = context.new_page()
    errors = watch_errors(page)
    log_in(page, live_server, "liaison")
    page.goto(live_server.url + reverse("unit:home"))
    shown = number(page.locator(".unit-tile-suggestions .card-text").inner_text())
    attention = number(page.locator(".unit-tile-commitments .card-text").inner_text())
    shot(page, size, "portal_home")

    page.locator(".unit-tile-suggestions").click()
    expect(page.locator("h1")).to_contain_text("代表建议")
    rows = page.locator("table.sg-unit-list tbody tr:has(a)")
    expect(rows).to_have_count(shown)
    shot(page, size, "portal_todo")
    page.goto(live_server.url + reverse("suggestions:unit_list") + "?show=all")
    for row in page.locator("table.sg-unit-list tbody tr").all():
        if "已办结" in row.inner_text() or "待评价" in row.inner_text():
            assert "待签收" not in row.inner_text()
    shot(page, size, "portal_all_suggestions")

    page.goto(live_server.url + reverse("oversight:unit_commitments"))
    expect(page.locator(".oc-attention")).to_have_count(attention)
    if attention:
        expect(page.locator(".oc-summary")).not_to_contain_text("各事项均已按时更新")
    shot(page, size, "portal_commitments")

    page.goto(live_server.url + reverse("evaluations:unit_rectifications"))
    page.locator(".rect-unit-list a").last.click()
    expect(page.locator(".rect-state").first).to_have_text(
        re.compile("待报计划|计划已报|计划已退回|整改中|已整改|已销号")
    )
    shot(page, size, "portal_rectification")

    # A liaison following a ballot's address is told this login cannot vote (it looped).
    poll = Poll.objects.order_by("pk").first()
    page.goto(live_server.url + reverse("m:ballot", args=[poll.pk]))
    expect(page.locator("main")).to_contain_text("此账号不能在此投票")
    shot(page, size, "ballot_refused")
    if size == "phone":
        assert_no_horizontal_scroll(page)
    errors = [e for e in errors if " 403 " not in f" {e.split()[0]} " and "/m/polls/" not in e]
    assert not errors, errors


def test_dashboards_results_screen_and_board(live_server, county, sized):
    size, context = sized
    page = context.new_page()
    log_in(page, live_server, "staff")
    for campaign in Campaign.objects.order_by("year", "kind"):
        page.goto(live_server.url + reverse("admin:evaluations_campaign_dashboard", args=[campaign.pk]))
        table = page.locator("#phases")
        expect(table).to_contain_text("进行中" if campaign.stage != "investigation" else "已逾期")
        if campaign.year < 2026 or campaign.stage == Campaign.Stage.VERDICT:
            expect(table.locator("tr.phase-done")).to_have_count(4)
        if campaign.kind == Campaign.Kind.DUTY:
            expect(table).to_contain_text("征集述职问题")
        shot(page, size, f"dashboard_{campaign.year}_{campaign.kind}")

    decided = Campaign.objects.get(stage=Campaign.Stage.VERDICT)
    page.goto(live_server.url + reverse("admin:evaluations_campaign_results", args=[decided.pk]))
    expect(page.locator(".evaluation-results")).to_contain_text("未通过")
    expect(page.locator(".evaluation-results")).to_contain_text(re.compile(r"\d+\.\d\d%"))
    shot(page, size, "results")

    poll = Poll.objects.get(pk=decided.satisfaction_poll_id)
    page.goto(live_server.url + screen_url(poll.meeting_id))
    ranks = [t.strip() for t in page.locator(".screen-table tbody tr td:first-child").all_inner_texts()]
    numbers = [int(r) for r in ranks if r.isdigit()]
    assert numbers == sorted(numbers), ranks
    expect(page.locator(".screen-table")).to_contain_text("通过")
    expect(page.locator(".screen-table")).not_to_contain_text("合格")
    shot(page, size, "screen")

    page.goto(live_server.url + reverse("oversight:board") + f"?year={decided.year}")
    expect(page.locator(".board-empty")).to_be_visible()
    expect(page.locator(".board-table")).to_have_count(0)
    shot(page, size, "board_empty_year")
