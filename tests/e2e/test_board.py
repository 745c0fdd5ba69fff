"""The public supervision board (公示栏) in a real browser, with the demo county's 27 units: on a
phone one card per unit, on the hall's wide screen a dense table with every unit in view at
once, and in print black on white without the site's navigation. From the board a visitor opens
one unit's board and the deliberation opinions the committee published."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from congress import demo
from congress.models import Unit
from oversight.models import Deliberation
from tests.e2e.conftest import ARTIFACTS, _context, assert_no_horizontal_scroll, watch_errors

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def wide(request, browser):
    """The hall's screen or a wide office monitor: 1920x1080."""
    yield from _context(
        request, browser, viewport={"width": 1920, "height": 1080}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )


@pytest.fixture
def demo_county():
    assert demo.load_demo()
    demo.load_extensions()
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "pk").values_list("name", flat=True))
    assert len(units) == 27
    return units


def view(page, name: str) -> None:
    """What the screen shows now (not the whole page), to look at."""
    page.screenshot(path=str(ARTIFACTS / f"test_board_{name}.png"))


def test_the_board_of_27_units_on_a_phone_and_on_a_wide_screen(live_server, demo_county, phone, wide, screenshot):
    board = live_server.url + reverse("oversight:board")

    # The hall's wide screen: a table, every unit in view without scrolling.
    page = wide.new_page()
    errors = watch_errors(page)
    page.goto(board)
    expect(page.locator("h1")).to_contain_text("监督公示栏")
    rows = page.locator("tbody .board-row")
    expect(rows).to_have_count(27)
    assert rows.all_inner_texts()[0].split()[1] == demo_county[0]
    assert [r.locator(".board-unit").inner_text() for r in rows.all()] == demo_county
    expect(page.locator("thead")).to_be_visible()
    last = rows.nth(26).bounding_box()
    assert last["y"] + last["height"] <= 1080, "the 27th unit is below the wide screen's fold"
    assert_no_horizontal_scroll(page)
    view(page, "wide")  # what the hall's screen shows, no scrolling

    # Printed for the hall: no navigation, black on white, still one row per unit.
    page.emulate_media(media="print")
    expect(page.locator(".public-header")).to_be_hidden()
    expect(page.locator(".board-years")).to_be_hidden()
    expect(rows).to_have_count(27)
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.pdf(path=str(ARTIFACTS / "test_board_print.pdf"), format="A3", landscape=True, print_background=True)
    # What the A3 sheet shows (400 x 277 mm inside the margins, at 96 dpi), to look at.
    page.set_viewport_size({"width": 1512, "height": 1047})
    screenshot(page, "print")
    page.emulate_media(media="screen")
    assert errors == []

    # A phone: one card per unit, one column, nothing sideways.
    page = phone.new_page()
    errors = watch_errors(page)
    page.goto(board)
    expect(page.locator("tbody .board-row")).to_have_count(27)
    expect(page.locator("thead")).not_to_be_in_viewport()
    cards = page.locator("tbody .board-row")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"], "cards are stacked in one column"
    assert first["width"] > 300
    label = cards.nth(0).locator(".board-progress").evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"平均进度"'  # each figure on a card says what it is
    assert_no_horizontal_scroll(page)
    screenshot(page, "phone")
    view(page, "phone_top")
    cards.nth(12).scroll_into_view_if_needed()
    view(page, "phone_middle")

    # One unit's board, from its card.
    page.get_by_role("link", name="县教育局", exact=True).click()
    expect(page.locator("h1")).to_have_text("县教育局")
    expect(page.get_by_role("heading", name="承诺事项", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="本年度已开展的监督")).to_be_visible()
    bars = page.locator(".board-item [role=progressbar]")
    assert bars.count() >= 5
    assert_no_horizontal_scroll(page)
    screenshot(page, "unit")
    view(page, "phone_unit_top")
    page.locator("#held").scroll_into_view_if_needed()
    view(page, "phone_unit_held")
    page.locator("#suggestions").scroll_into_view_if_needed()
    view(page, "phone_unit_suggestions")

    # The deliberation opinions the committee published about it.
    published = Deliberation.objects.get(unit__name="县教育局", published_at__isnull=False)
    page.get_by_role("link", name=published.report_title).click()
    expect(page.locator("h1")).to_have_text(published.report_title)
    expect(page.locator(".board-opinion")).to_have_count(published.rectification.opinions.count())
    assert_no_horizontal_scroll(page)
    screenshot(page, "deliberation")
    view(page, "phone_deliberation")
    assert errors == []

    # The same unit on the wide screen.
    page = wide.new_page()
    page.goto(live_server.url + reverse("oversight:unit_board", args=[published.unit_id]))
    assert_no_horizontal_scroll(page)
    screenshot(page, "unit-wide")
    view(page, "unit_wide")


def test_the_demo_liaison_reports_progress_on_a_phone(live_server, demo_county, phone, screenshot):
    """The education bureau's liaison opens the commitments tile from the unit portal, reports
    progress on a late item and sees it on the public board."""
    from oversight.models import Commitment, CommitmentUpdate

    page = phone.new_page()
    errors = watch_errors(page)
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "liaison")
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}{reverse('unit:home')}*")
    page.locator(".unit-tile-commitments").click()
    expect(page.locator("h1")).to_contain_text("年度承诺事项")
    assert_no_horizontal_scroll(page)
    view(page, "phone_liaison_list")
    late = (
        Commitment.objects.filter(
            unit__name="县教育局", state=Commitment.State.UNDERWAY, due_on__lt=timezone.localdate()
        )
        .order_by("kind", "sort_order")
        .first()
    )
    card = page.locator(f"#commitment-{late.pk}")
    expect(card.locator(".badge", has_text="逾期")).to_be_visible()
    card.locator(".oc-form summary").click()
    card.locator("input[name=progress]").fill("150")
    card.locator("textarea[name=text]").fill("已完成城东片区改造，正在推进城西片区。")
    card.locator("form [type=submit]").click()
    # The browser refuses 150 before sending (max=100 would block it), unless told not to: the
    # form is novalidate, so the server's Chinese message shows.
    expect(page.locator(f"#commitment-{late.pk} .invalid-feedback")).to_contain_text("请填写0到100之间的整数进度")
    assert not CommitmentUpdate.objects.filter(commitment=late, text__startswith="已完成城东片区").exists()
    view(page, "phone_liaison_refused")
    card = page.locator(f"#commitment-{late.pk}")
    card.locator("input[name=progress]").fill("90")
    card.locator("form [type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    late.refresh_from_db()
    assert late.progress == 90 and late.progress_note.startswith("已完成城东片区")
    screenshot(page, "reported")
    assert errors == [] or all("400" in e for e in errors)
