"""Staff run an evaluation meeting in the back office: start it from the campaign's dashboard,
record a deputy's question and the answer, open the satisfaction poll, close and announce it,
while the hall's screen shows the count and then the tally; then decide the results."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress.models import Meeting
from congress.services import voting
from congress.views.screen import screen_url
from evaluations.models import Campaign, PlanEntry, Result, TermPlan
from evaluations.services import investigation, planning
from tests import factories
from tests.e2e.conftest import assert_no_horizontal_scroll, url_re, watch_errors
from tests.e2e.test_voting import press, sheet_of
from tests.evaluations.factories import approved_plan, directors_meeting, finish_investigation, units

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SCREEN_WAIT_MS = 5_000


def campaign_ready_for_its_meeting():
    term = factories.TermFactory()
    factories.UserFactory(username="evalstaff", roles=["staff"])
    unit_list = units(4)
    approved_plan(term, unit_list)
    campaign = planning.create_campaign(year=2026, kind=Campaign.Kind.WORK, term=term)
    Campaign.objects.filter(pk=campaign.pk).update(electorate="codes")
    investigation.take_planned_units(campaign)
    finish_investigation(campaign, directors_meeting(term))
    hall = factories.MeetingFactory(
        term=term, kind=Meeting.Kind.EVALUATION, title="2026年度部门工作评议大会", place="县人民会堂"
    )
    codes = voting.issue_voter_codes(hall, 3)
    return Campaign.objects.get(pk=campaign.pk), hall, unit_list, codes


def test_staff_run_the_evaluation_meeting_and_the_screen_shows_the_results(live_server, desktop, screenshot):
    campaign, hall, unit_list, codes = campaign_ready_for_its_meeting()
    dashboard = reverse("admin:evaluations_campaign_dashboard", args=[campaign.pk])
    page = desktop.new_page()
    errors = watch_errors(page)
    page.goto(live_server.url + dashboard)
    page.fill("#id_username", "evalstaff")
    page.fill("#id_password", "Renda-2026")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(url_re(live_server, dashboard))
    expect(page.locator("#subjects tbody tr")).to_have_count(4)
    expect(page.locator("#subjects")).to_contain_text("9/9")
    screenshot(page, "dashboard")

    # Start the meeting: the satisfaction ballot is drawn up with one line per unit.
    page.select_option("#step-buttons select[name=meeting]", str(hall.pk))
    with page.expect_navigation():
        page.locator("#step-buttons button.default").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.stage == Campaign.Stage.MEETING
    poll = campaign.satisfaction_poll

    # Record a question put to the first reporter, and the answer.
    page.goto(live_server.url + reverse("admin:evaluations_campaign_meeting", args=[campaign.pk]))
    first = campaign.subjects.order_by("sort_order").first()
    page.select_option("#id_subject", str(first.pk))
    page.fill("#id_asker_name", "王秀兰（列席群众）")
    page.fill("#id_text", "学校周边交通拥堵，今年有什么具体措施？")
    page.fill("#id_answer", "今年将增设上下学临时停车区3处，安排交警定时疏导。")
    with page.expect_navigation():
        page.locator("#question-form [type=submit]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(f"#subject-{first.pk} .questions")).to_contain_text("学校周边交通拥堵")
    screenshot(page, "meeting")

    # The hall's screen, open on the projector.
    screen = desktop.new_page()
    screen_errors = watch_errors(screen)
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.goto(live_server.url + screen_url(hall.pk))

    # Open the poll from its page, linked from the meeting page.
    with page.expect_navigation():
        page.locator("#poll-link").click()
    press(page, "poll-open")
    state = screen.locator("#screen-state")
    expect(state.locator(".screen-progress[data-status=open]")).to_be_visible(timeout=SCREEN_WAIT_MS)
    # Deputies score on their phones with the voting codes handed out at the door.
    poll.refresh_from_db()
    voting.cast_ballot(
        poll, voting.Voter(code=codes[0]), sheet_of(poll, {0: "satisfied", 1: "fairly", 2: "unsatisfied", 3: "basic"})
    )
    voting.cast_ballot(
        poll,
        voting.Voter(code=codes[1]),
        sheet_of(poll, {0: "satisfied", 1: "satisfied", 2: "unsatisfied", 3: "unsatisfied"}),
    )
    expect(state).to_contain_text("2", timeout=SCREEN_WAIT_MS)
    expect(state.locator(".screen-table")).to_have_count(0)  # no tally while voting
    screenshot(screen, "screen-counting")

    press(page, "poll-close")
    press(page, "poll-announce")
    expect(state.locator(".screen-table")).to_be_visible(timeout=SCREEN_WAIT_MS)
    table = state.locator(".screen-table").inner_text()
    for unit in unit_list:
        assert unit.name in table
    screenshot(screen, "screen-announced")

    # Back on the meeting page: decide the results, then read them.
    page.goto(live_server.url + reverse("admin:evaluations_campaign_meeting", args=[campaign.pk]))
    with page.expect_navigation():
        page.locator("#meeting-poll button.default").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(live_server.url + reverse("admin:evaluations_campaign_results", args=[campaign.pk]))
    rows = page.locator("table.evaluation-results tbody tr")
    expect(rows).to_have_count(4)
    assert unit_list[0].name in rows.nth(0).inner_text()  # 2 × 满意: first
    # 不满意 twice fails; one 基本满意 and one 不满意 is exactly half, which is not more than half.
    failed = page.locator("tr.verdict-fail")
    expect(failed).to_have_count(2)
    assert {unit_list[2].name, unit_list[3].name} <= set(" ".join(failed.all_inner_texts()).split())
    screenshot(page, "results")
    assert Result.objects.filter(subject__campaign=campaign).count() == 4
    assert errors == [] and screen_errors == []


def test_the_term_plan_fits_an_office_laptop(live_server, browser, request, screenshot):
    """The term plan of 27 units with its rows table, on a 1366x768 laptop: nothing is cut off
    on the right (the bulk form's units, the rows' unit, commission, leader and deadline)."""
    term = factories.TermFactory()
    factories.UserFactory(username="evalstaff", roles=["staff"])
    unit_list = units(27)
    for name in ("财政经济工作委员会", "教育科学文化卫生工作委员会", "社会建设工作委员会", "农业与农村工作委员会"):
        factories.CommissionFactory(name=name)
    for _ in range(3):
        factories.MemberFactory(deputy__term=term)
    plan = TermPlan.objects.create(term=term, title=f"县第{term.number}届人大常委会部门工作评议规划")
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, unit=u, year=2026 + n % 3, deadline=datetime.date(2026 + n % 3, 10, 31))
        for n, u in enumerate(unit_list[:20])
    )
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors = watch_errors(page)
    change = reverse("admin:evaluations_termplan_change", args=[plan.pk])
    page.goto(live_server.url + change)
    page.fill("#id_username", "evalstaff")
    page.fill("#id_password", "Renda-2026")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(url_re(live_server, change))
    expect(page.locator("#plan-coverage")).to_contain_text(unit_list[-1].name)
    screenshot(page)
    assert_no_horizontal_scroll(page)
    # Each row's last field (the deadline, its 今天 and calendar on one line) and its delete box
    # are inside the window and inside the table's own box (which would scroll, not the page).
    table = page.locator("#entries-group table").bounding_box()
    right = min(1366, table["x"] + table["width"])
    for selector in ("input[name$='-deadline']", ".field-deadline .datetimeshortcuts", "input[name$='-DELETE']"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] + box["width"] <= right, f"{selector} ends at {box['x'] + box['width']}px"
    shortcut = page.locator(".field-deadline .datetimeshortcuts").first.bounding_box()
    assert shortcut["height"] < 40, "the deadline's shortcuts wrap"
    scroll = page.locator("#entries-group fieldset, #entries-group .tabular").first
    assert scroll.evaluate("el => el.scrollWidth <= el.clientWidth"), "the rows table scrolls sideways"
    assert errors == []
    context.close()
