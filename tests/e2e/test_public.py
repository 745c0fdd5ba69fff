"""A citizen on the public site, on a phone and at a desk: the home page with the latest
publications, a results page whose charts are drawn (SVG bars in the page, beside the same
numbers in a table), and a meeting's video page with its broadcast schedule: the uploaded
video with its poster, and the television station's player framed within the CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress.services import voting
from evaluations.services import meeting
from evaluations.services import rectification as rect
from media_publish import services
from tests.e2e.conftest import assert_no_horizontal_scroll, url_re, watch_errors
from tests.evaluations.factories import vote, work_campaign_in_meeting
from tests.media_publish.factories import TV_HOST, K, published, recording

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

LEVELS = ["satisfied", "fairly", "basic", "unsatisfied"]
STATION_PLAYER = (
    "<!doctype html><html lang='zh'><body style='margin:0;background:#111;color:#fff;font:20px sans-serif;"
    "display:flex;align-items:center;justify-content:center;height:100vh'>清河县电视台 · 点播</body></html>"
)


def published_site():
    """A decided work evaluation of six units, its results, rectification and two videos public."""
    campaign, poll, voters = work_campaign_in_meeting(n_units=6, n_voters=5)
    rows = [[LEVELS[(v + u * (u % 3)) % 4] if u else LEVELS[3 - (v % 2) * 3] for u in range(6)] for v in range(5)]
    vote(poll, voters, rows)
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    column = services.open_column(campaign)
    results = published(column, K.RESULTS, summary="县人大常委会组织人大代表现场测评，测评结果当场公布。")
    from congress.models import Meeting

    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    for subject in campaign.subjects.order_by("sort_order")[:2]:
        rect.add_opinion(subject, finding="群众反映的突出问题整改不到位", action="制定整改计划，限期办结")
        rect.add_opinion(subject, finding="服务窗口办事效率不高", action="推行一次办结")
        subject.refresh_from_db()
        rect.approve_opinions(subject.rectification, meeting=directors)
        rect.deliver_opinions(subject.rectification)
    rectification = published(column, K.RECTIFICATION)
    uploaded = published(column, K.RECORDING, recording=recording(column))
    linked = published(
        column,
        K.RECORDING,
        recording=recording(column, upload=False, title="评议会议答问实录（电视台点播）"),
    )
    return results, rectification, uploaded, linked


def page_url(live_server, publication) -> str:
    return live_server.url + reverse("public:publication", args=[publication.column_id, publication.pk])


def chart_drawn(page, selector: str) -> bool:
    """Whether the chart shows bars: SVG rectangles with a visible width on screen."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' rect')].some(r => r.getBoundingClientRect().width > 1)""",
        selector,
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_citizen_reads_the_results_with_their_charts_and_watches_the_meeting(
    live_server, request, device, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = live_server.url
    results, rectification, uploaded, linked = published_site()
    context = request.getfixturevalue(device)
    context.route(
        f"https://{TV_HOST}/**",
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STATION_PLAYER),
    )
    page = context.new_page()
    errors = watch_errors(page)

    # 1. The home page: the latest publications, the videos, the columns.
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("人大监督，向社会公开")
    latest = page.locator(".pub-list")
    expect(latest).to_contain_text("2026年度部门工作评议满意度测评结果")
    expect(latest).to_contain_text("2026年度部门工作评议整改落实情况")
    expect(page.locator(".video-card img").first).to_have_attribute("alt", "评议会议现场")
    expect(page.locator(".share-qr svg")).to_be_visible()
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, "1-home")

    # 2. The results page: two charts of bars, the same numbers in the table.
    latest.get_by_role("link", name="2026年度部门工作评议满意度测评结果").click()
    page.wait_for_url(url_re(live_server, reverse("public:publication", args=[results.column_id, results.pk])))
    expect(page.locator(".pub-chart")).to_have_count(2)
    assert chart_drawn(page, "[data-chart=chart-distribution]")
    assert chart_drawn(page, "[data-chart=chart-ranking]")
    table = page.locator(".results-table")
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table).to_contain_text("县教育局")
    expect(page.locator(".results-table caption")).to_have_text("各评议对象满意度测评结果（按排名）")
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, "2-results")

    page.goto(page_url(live_server, rectification))
    expect(page.locator(".pub-chart")).to_have_count(1)
    assert chart_drawn(page, "[data-chart=chart-rectification]")
    expect(page.locator(".rect-table").first).to_contain_text("群众反映的突出问题整改不到位")
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, "3-rectification")

    # 3. The uploaded video, with its poster and the replays on television.
    page.goto(live_server.url + "/")
    page.locator(".video-card", has_text=uploaded.title).click()
    page.wait_for_url(url_re(live_server, reverse("public:publication", args=[uploaded.column_id, uploaded.pk])))
    video = page.locator("video")
    expect(video).to_be_visible()
    assert video.get_attribute("poster").endswith("/poster/")
    assert page.evaluate("document.querySelector('video source').src").endswith("/video/")
    schedule = page.locator(".broadcast-table")
    expect(schedule).to_contain_text("清河县电视台综合频道")
    expect(schedule).to_contain_text("2026-12-20")
    expect(schedule).to_contain_text("20:00")
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, "4-video")

    # 4. The station's own player, framed: the CSP lets its host in.
    page.goto(page_url(live_server, linked))
    expect(page.frame_locator(".video-frame iframe").locator("body")).to_contain_text("清河县电视台 · 点播")
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, "5-station")
    assert errors == []


def test_the_results_page_reads_without_javascript_and_keeps_to_the_basics_of_access(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    results, rectification, uploaded, _linked = published_site()
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for publication in (results, rectification, uploaded):
            page.goto(page_url(live_server, publication))
            assert page.locator("html").get_attribute("lang") == "zh-hans"
            expect(page.locator("h1")).to_have_count(1)
            expect(page.locator("img:not([alt])")).to_have_count(0)
            expect(page.locator("table caption").first).to_be_attached()
        page.goto(page_url(live_server, results))
        expect(page.locator(".results-table tbody tr")).to_have_count(6)
        assert chart_drawn(page, "[data-chart=chart-ranking]")  # the bars need no script
        expect(page.locator(".results-table")).to_contain_text("未通过")
    finally:
        context.close()
