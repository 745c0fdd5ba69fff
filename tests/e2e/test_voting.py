"""Secret voting in a real browser: a deputy scores 27 units on one phone sheet with a voting
code, the hall's screen counts the ballots and then shows the announced tally, and staff run
the poll from the back office.

The project's own strings are English msgids until the Chinese catalogue is compiled, so these
tests assert on data (unit names, level labels, counts) and on element ids and classes."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from congress.models import Ballot, Committee, Participation, Poll
from congress.services import voting
from congress.views.screen import screen_url
from tests import factories
from tests.e2e.conftest import ARTIFACTS, MIN_TAP_PX, assert_no_horizontal_scroll, url_re, watch_errors
from tests.factories import UNIT_NAMES_27

# The live server sees only committed data: transactional tests.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TITLE = "县直单位2025年度工作评议"  # no level label ("满意" …) inside, so "received" can be checked
LEVEL_LABELS = [level["label"] for level in voting.SATISFACTION_4]
LEVEL_CODES = [level["code"] for level in voting.SATISFACTION_4]
LEFT_EMPTY = {6, 19}  # sheet positions (0-based) the deputy leaves blank
SCREEN_WAIT_MS = 5_000  # the screen polls every 1.5 s from a fragment cached for 1 s


@pytest.fixture
def view_shot(request):
    """``view_shot(page, "step")``: what the screen shows now (the viewport, not the full page),
    saved as test-artifacts/e2e/<test name>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(page, step: str):
        page.screenshot(path=str(ARTIFACTS / f"{base}-{step}.png"))

    return take


def code_poll(meeting, items=UNIT_NAMES_27):
    poll = voting.create_poll(
        meeting, title=TITLE, kind=Poll.Kind.SATISFACTION, items=list(items), electorate=Poll.Electorate.CODES
    )
    return voting.open_poll(poll)


def sheet_of(poll, pattern: dict[int, str]) -> dict[str, str]:
    """Choices by sheet position -> level code, as the service takes them."""
    items = list(poll.items.order_by("sort_order"))
    return {str(items[i].pk): code for i, code in pattern.items()}


def status_label(status) -> str:
    """A poll status as the (zh-hans) pages render it, whichever catalogue is compiled."""
    with translation.override("zh-hans"):
        return str(Poll.Status(status).label)


def test_a_deputy_with_a_voting_code_scores_27_units_on_one_sheet(live_server, phone, screenshot, view_shot):
    meeting = factories.MeetingFactory()
    codes = voting.issue_voter_codes(meeting, 3)
    poll = code_poll(meeting)
    items = list(poll.items.order_by("sort_order"))
    assert [i.label for i in items] == UNIT_NAMES_27
    ballot_path = reverse("m:ballot", args=[poll.pk])
    page = phone.new_page()
    errors = watch_errors(page)

    # The QR code on the slip holds /m/v/<code>/: it leads straight to the open polls.
    page.goto(live_server.url + reverse("m:code_login", args=[codes[0]]))
    page.wait_for_url(url_re(live_server, reverse("m:polls")))
    entry = page.locator(f'.m-polls a[href="{ballot_path}"]')
    expect(entry).to_contain_text(TITLE)
    assert_no_horizontal_scroll(page)
    screenshot(page, "polls")

    entry.tap()
    page.wait_for_url(url_re(live_server, ballot_path))
    sheet = page.locator("form.ballot-sheet")
    assert sheet.locator("fieldset.ballot-item").count() == 27
    legends = sheet.locator(".ballot-item-label").all_inner_texts()
    for legend, name in zip(legends, UNIT_NAMES_27, strict=True):
        assert name in legend
    # Large tap targets: every level of every unit.
    labels = sheet.locator("label.ballot-level")
    assert labels.count() == 27 * len(LEVEL_CODES)
    assert set(labels.all_inner_texts()) == set(LEVEL_LABELS)
    heights = labels.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert min(heights) >= MIN_TAP_PX, f"a level button is only {min(heights)}px tall"
    assert_no_horizontal_scroll(page)
    view_shot(page, "sheet-top")

    chosen = {}
    for n, item in enumerate(items):
        if n in LEFT_EMPTY:
            continue
        code = LEVEL_CODES[n % len(LEVEL_CODES)]
        page.locator(f'label[for="item-{item.pk}-{code}"]').tap()
        chosen[n] = code
        if n == 13:
            page.locator(f"#item-{item.pk}-{code}").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -window.innerHeight / 3)")
            view_shot(page, "sheet-middle")
    for n, item in enumerate(items):
        for code in LEVEL_CODES:
            assert page.locator(f"#item-{item.pk}-{code}").is_checked() == (chosen.get(n) == code)
    view_shot(page, "sheet-bottom")

    # Review: every unit with its level, the two blanks announced; nothing is cast yet.
    sheet.locator("button[type=submit]").tap()
    review = page.locator("ol.ballot-review")
    expect(review).to_be_visible()
    rows = review.locator("li")
    assert rows.count() == 27
    labels_by_code = dict(zip(LEVEL_CODES, LEVEL_LABELS, strict=True))
    for n, name in enumerate(UNIT_NAMES_27):
        row = rows.nth(n)
        assert row.locator("span").inner_text() == name
        if n in LEFT_EMPTY:
            assert "text-body-secondary" in row.locator("strong").get_attribute("class")
        else:
            assert row.locator("strong").inner_text() == labels_by_code[chosen[n]]
    warning = page.locator("main .alert-warning")
    expect(warning).to_be_visible()
    assert str(len(LEFT_EMPTY)) in warning.inner_text()
    assert not Participation.objects.filter(poll=poll).exists()
    assert_no_horizontal_scroll(page)
    screenshot(page, "review")

    # Submitted with a nervous double tap: the page says "received", never what the ballot said.
    page.locator("button[name=confirm]").dblclick()
    page.wait_for_url(url_re(live_server, reverse("m:ballot_received", args=[poll.pk])))
    expect(page.locator(".ballot-received")).to_be_visible()
    shown = page.locator("body").inner_text()
    for label in LEVEL_LABELS:
        assert label not in shown
    assert Participation.objects.filter(poll=poll).count() == 1
    assert_no_horizontal_scroll(page)
    screenshot(page, "received")

    # Back, and sending the review again, casts nothing more. Back from "received" lands on the
    # review, a POST's result: the browser offers to send it again (ERR_CACHE_MISS, "Confirm Form
    # Resubmission"), and reloading does send it; the server answers with "received".
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()
    page.wait_for_url(re.compile(r"^chrome-error://"))
    page.wait_for_load_state()
    screenshot(page, "back")
    with page.expect_request(lambda r: r.method == "POST" and r.url == live_server.url + ballot_path) as resent:
        page.reload()
    assert resent.value.response().status == 302  # refused: sent on to "received"
    page.wait_for_url(url_re(live_server, reverse("m:ballot_received", args=[poll.pk])))
    expect(page.locator(".ballot-received")).to_be_visible()
    # And the sheet itself, opened again, only says "received".
    page.goto(live_server.url + ballot_path)
    page.wait_for_url(url_re(live_server, reverse("m:ballot_received", args=[poll.pk])))
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll, filled=True).count() == 1
    assert errors == []


def test_the_screen_shows_the_count_rising_then_the_announced_tally(live_server, desktop, screenshot):
    committee = Committee.objects.create(name="青山县人民代表大会常务委员会", county="青山县")
    meeting = factories.MeetingFactory()
    codes = voting.issue_voter_codes(meeting, 3)
    poll = code_poll(meeting)
    first = {n: LEVEL_CODES[n % 4] for n in range(27) if n != 3}
    second = {n: LEVEL_CODES[(n + 1) % 4] for n in range(27) if n not in (3, 4)}
    voting.cast_ballot(poll, voting.Voter(code=codes[0]), sheet_of(poll, first))
    page = desktop.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    errors = watch_errors(page)

    page.goto(live_server.url + screen_url(meeting.pk))
    state = page.locator("#screen-state")
    expect(state.locator(".screen-progress[data-status=open]")).to_be_visible()
    expect(state.locator(".voted")).to_have_text("1")
    expect(state.locator(".eligible")).to_have_text("3")
    assert TITLE in state.locator(".screen-poll").inner_text()
    assert committee.name in page.locator(".screen-header").inner_text()
    assert meeting.title in page.locator(".screen-header").inner_text()
    page.evaluate("window.notReloaded = true")  # gone if the page reloads instead of refreshing

    voting.cast_ballot(poll, voting.Voter(code=codes[1]), sheet_of(poll, second))
    expect(state.locator(".voted")).to_have_text("2", timeout=SCREEN_WAIT_MS)
    assert page.evaluate("window.notReloaded") is True
    assert state.locator("#screen-chart").count() == 0  # no tally while voting
    screenshot(page, "counting")

    voting.close_poll(poll)
    expect(state.locator(".screen-progress[data-status=closed]")).to_be_visible(timeout=SCREEN_WAIT_MS)
    assert state.locator("#screen-chart").count() == 0  # counted, but not announced yet
    voting.announce_poll(poll)
    expect(state.locator(".screen-table")).to_be_visible(timeout=SCREEN_WAIT_MS)
    expect(state.locator("#screen-chart svg")).to_be_visible(timeout=SCREEN_WAIT_MS)
    assert page.evaluate("window.notReloaded") is True

    rows = state.locator(".screen-table tbody tr")
    assert rows.count() == 27
    # In rank order (unranked last), each unit's row with its own counts.
    by_name = {cells[1]: cells for cells in (rows.nth(i).locator("td").all_inner_texts() for i in range(27))}
    ranks = [int(r) for r in (rows.nth(i).locator("td").first.inner_text() for i in range(27)) if r.isdigit()]
    assert ranks == sorted(ranks)
    for n, name in enumerate(UNIT_NAMES_27):
        cells = by_name[name]
        expected = [sum(1 for sheet in (first, second) if sheet.get(n) == code) for code in LEVEL_CODES]
        blank = sum(1 for sheet in (first, second) if n not in sheet)
        assert [int(c) for c in cells[2:7]] == [*expected, blank], name
    # The tally turns its pages; the chart shows the page's items.
    shown = state.locator(".screen-table tbody tr:visible")
    assert 1 <= shown.count() <= 10
    chart_text = state.locator("#screen-chart svg").text_content()
    assert shown.first.locator("td").nth(1).inner_text() in chart_text
    # The whole tally is on the projector at once: nobody scrolls a hall's screen.
    page_height = page.evaluate("document.documentElement.scrollHeight")
    assert page_height <= page.viewport_size["height"], f"the tally is {page_height}px tall on a 1080px screen"
    screenshot(page, "announced")
    assert errors == []


ROW_FONT_MIN_PX = {2: 40, 27: 28}  # at 1920x1080: from the back row of the hall


@pytest.mark.parametrize("n_items", [2, 27])
def test_the_screen_is_readable_from_the_back_row(live_server, desktop, view_shot, n_items):
    """The projector at 1920x1080, for a poll of two items and one of 27, while voting and once
    announced: nothing scrolls, the rows' type is large (larger for fewer rows), a long tally
    turns its pages, and the chart counts whole ballots."""
    meeting = factories.MeetingFactory()
    codes = voting.issue_voter_codes(meeting, 3)
    poll = code_poll(meeting, UNIT_NAMES_27[:n_items])
    voting.cast_ballot(
        poll, voting.Voter(code=codes[0]), sheet_of(poll, {n: LEVEL_CODES[n % 4] for n in range(n_items)})
    )
    voting.cast_ballot(poll, voting.Voter(code=codes[1]), sheet_of(poll, dict.fromkeys(range(n_items), LEVEL_CODES[0])))
    page = desktop.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    now = 1_800_000_000_000  # the screen turns its pages by the clock: a clock the test moves
    page.clock.set_fixed_time(now)
    errors = watch_errors(page)
    page.goto(live_server.url + screen_url(meeting.pk))
    state = page.locator("#screen-state")
    expect(state.locator(".voted")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    view_shot(page, "voting")

    voting.close_poll(poll)
    voting.announce_poll(poll)
    expect(state.locator("#screen-chart svg")).to_be_visible(timeout=SCREEN_WAIT_MS)
    pages = -(-n_items // 10)
    assert int(state.locator(".screen-results").get_attribute("data-pages")) == pages
    seen = []
    for _ in range(pages):
        shown = state.locator(".screen-table tbody tr:visible")
        expect(shown.first).to_be_visible()
        texts = shown.all_inner_texts()
        assert 1 <= len(texts) <= 10
        number = int(shown.first.get_attribute("data-page"))
        seen.append(number)
        scroll_width, scroll_height = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert scroll_height <= 1080, f"the tally is {scroll_height}px tall on a 1080px screen"
        assert scroll_width <= 1920, f"the tally is {scroll_width}px wide on a 1920px screen"
        last = shown.last.bounding_box()
        assert last["y"] + last["height"] <= 1080
        font = float(shown.first.locator("td").nth(1).evaluate("td => parseFloat(getComputedStyle(td).fontSize)"))
        assert font >= ROW_FONT_MIN_PX[n_items], f"rows in {font}px type"
        # The chart shows the same page's items, on whole-ballot ticks.
        chart_text = state.locator("#screen-chart svg").text_content()
        assert shown.first.locator("td").nth(1).inner_text() in chart_text
        ticks = page.eval_on_selector_all(
            "#screen-chart svg text", "ts => ts.map(t => t.textContent).filter(t => /^[0-9.]+$/.test(t))"
        )
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
        view_shot(page, f"announced-{number + 1}")
        if pages > 1:
            now += 10_000  # the next page's turn
            page.clock.set_fixed_time(now)
            expect(state.locator(f".screen-table tbody tr[data-page='{(number + 1) % pages}']").first).to_be_visible(
                timeout=SCREEN_WAIT_MS
            )
    assert sorted(seen) == list(range(pages))
    assert errors == []


def press(page, form_id: str) -> None:
    """Click a button of the poll panel; it submits a form of its own (outside the change form)."""
    button = page.locator(f"button[form={form_id}]")
    assert button.evaluate("b => b.form && b.form.id") == form_id, f"#{form_id} is not a form the button can submit"
    with page.expect_navigation():
        button.click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_staff_run_the_poll_in_the_back_office(live_server, desktop, screenshot):
    factories.UserFactory(username="staff2", roles=["staff"])
    meeting = factories.MeetingFactory()
    codes = voting.issue_voter_codes(meeting, 3)
    units = UNIT_NAMES_27[:5]
    poll = voting.create_poll(
        meeting, title=TITLE, kind=Poll.Kind.SATISFACTION, items=units, electorate=Poll.Electorate.CODES
    )
    change_path = reverse("admin:congress_poll_change", args=[poll.pk])
    page = desktop.new_page()
    errors = watch_errors(page)

    page.goto(live_server.url + change_path)
    page.wait_for_url(url_re(live_server, reverse("admin:login")))
    page.fill("#id_username", "staff2")
    page.fill("#id_password", "Renda-2026")
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(url_re(live_server, change_path))
    panel = page.locator("#poll-panel")
    expect(panel.locator("h2")).to_contain_text(status_label(Poll.Status.DRAFT))
    screenshot(page, "draft")

    press(page, "poll-open")
    assert page.url == live_server.url + change_path
    expect(panel.locator("h2")).to_contain_text(status_label(Poll.Status.OPEN))
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    expect(panel.locator(".poll-progress")).to_contain_text("0 / 3")
    assert panel.locator("table.poll-results").count() == 0

    voting.cast_ballot(poll, voting.Voter(code=codes[0]), sheet_of(poll, {0: "satisfied", 1: "fairly", 2: "basic"}))
    voting.cast_ballot(poll, voting.Voter(code=codes[1]), sheet_of(poll, {0: "satisfied", 1: "unsatisfied"}))
    page.reload()
    expect(panel.locator(".poll-progress")).to_contain_text("2 / 3")
    assert panel.locator("table.poll-results").count() == 0  # no tally while voting
    screenshot(page, "open")

    press(page, "poll-close")
    assert page.url == live_server.url + change_path
    expect(panel.locator("h2")).to_contain_text(status_label(Poll.Status.CLOSED))
    results = panel.locator("table.poll-results")
    expect(results).to_be_visible()
    rows = results.locator("tbody tr")
    assert rows.count() == len(units)
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[1] == units[0]
    assert first[2:7] == ["2", "0", "0", "0", "0"]  # two "satisfied", none blank
    fifth = rows.nth(4).locator("td").all_inner_texts()
    assert fifth[1] == units[4]
    assert fifth[2:7] == ["0", "0", "0", "0", "2"]  # left blank on both sheets
    screenshot(page, "closed")

    press(page, "poll-announce")
    assert page.url == live_server.url + change_path
    expect(panel.locator("h2")).to_contain_text(status_label(Poll.Status.ANNOUNCED))
    expect(panel.locator("table.poll-results")).to_be_visible()
    poll.refresh_from_db()
    assert poll.status == Poll.Status.ANNOUNCED
    screenshot(page, "announced")
    assert errors == []
