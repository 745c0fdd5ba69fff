"""The public site: nothing unpublished is reachable by guessing addresses; a withdrawal takes
effect at once and a scheduled page appears at its time, although pages are served from the
cache; every page is bounded in queries, readable without JavaScript and carries its QR code."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from media_publish import pages, services
from media_publish.models import Column
from tests.media_publish.factories import K, decided_column, published, recording, staff_user

pytestmark = pytest.mark.django_db


def url(page) -> str:
    return reverse("public:publication", args=[page.column_id, page.pk])


def text(response) -> str:
    return response.content.decode()


def test_the_results_page_shows_the_numbers_as_a_table_charts_and_a_qr_code(client):
    column, _rect = decided_column(3)
    page = published(column, K.RESULTS, summary="经常委会会议现场测评，结果如下。")
    response = client.get(url(page))
    body = text(response)
    assert response.status_code == 200
    assert '<h1 class="h3">2026年度部门工作评议满意度测评结果</h1>' in body
    assert "经常委会会议现场测评，结果如下。" in body
    # The same numbers as a table, readable without JavaScript...
    table = re.search(r'<table class="[^"]*results-table.*?</table>', body, re.S).group(0)
    assert "<caption>各评议对象满意度测评结果（按排名）</caption>" in table
    assert '<th scope="row">县教育局</th>' in table and "50.00%" in table and "未通过" in table
    # ...and as charts, drawn in the page as SVG bars (no script to download on a weak signal).
    assert 'data-chart="chart-distribution"' in body
    ranking = re.search(r'data-chart="chart-ranking".*?</figure>', body, re.S).group(0)
    assert ranking.count('<div class="bar-row">') == 3 and "<rect " in ranking and "县教育局" in ranking
    assert "echarts" not in body
    assert "nonce" not in body and "csrfmiddlewaretoken" not in body
    assert '<svg role="img" aria-label="本页二维码：https://renda.example.cn/column/' in body
    assert "扫码分享本页" in body


def test_nothing_unpublished_is_reachable_by_guessing_addresses(client):
    column, _rect = decided_column(2)
    other_column, _ = Column.objects.get_or_create(title="代表建议办理情况")
    draft = services.draft_publication(column, kind=K.SUBJECTS, title="评议对象（草稿）")
    later = services.schedule(
        services.draft_publication(column, kind=K.RESULTS), at=timezone.now() + datetime.timedelta(days=3)
    )
    rec = recording(column)
    video = published(column, K.RECORDING, recording=rec)
    gone = services.withdraw(published(column, K.PLAN), reason="阶段安排调整，重新发布。")
    hidden = [draft, later]
    for page in hidden:
        assert client.get(url(page)).status_code == 404, page
        for name in ("video", "poster", "document"):
            assert client.get(reverse("public:publication_file", args=[column.pk, page.pk, name])).status_code == 404
    withdrawn = client.get(url(gone))
    assert withdrawn.status_code == 410
    assert "该公开内容已撤回" in text(withdrawn) and "时间安排" not in text(withdrawn)
    assert "阶段安排调整" not in text(withdrawn)  # the reason is for the record, not the public
    # Another column's number with this publication's: nothing.
    assert client.get(reverse("public:publication", args=[other_column.pk, video.pk])).status_code == 404
    assert client.get(reverse("public:publication_file", args=[other_column.pk, video.pk, "video"])).status_code == 404
    assert client.get(reverse("public:publication", args=[column.pk, 999_999])).status_code == 404
    # A column with nothing public is not there at all.
    assert client.get(reverse("public:column", args=[other_column.pk])).status_code == 404
    # Lists and search show only the public pages.
    assert reverse("public:column", args=[column.pk]) in text(client.get(reverse("public:columns")))
    for page_url in ("/", reverse("public:column", args=[column.pk])):
        body = text(client.get(page_url))
        assert url(video) in body
        for page in [*hidden, gone]:
            assert f'href="{url(page)}"' not in body, page_url
    found = text(client.get(reverse("public:search"), {"q": "评议"}))
    assert url(video) in found and url(draft) not in found and url(later) not in found and url(gone) not in found
    # An unknown file name of a public page: nothing either.
    assert client.get(reverse("public:publication_file", args=[column.pk, video.pk, "content"])).status_code == 404


def test_a_withdrawal_takes_effect_at_once_although_the_page_is_cached(client, commit):
    column, _rect = decided_column(2)
    page = commit(published, column, K.RESULTS)
    assert client.get(url(page)).status_code == 200
    with CaptureQueriesContext(connection) as served:
        again = client.get(url(page))
    assert again.status_code == 200 and len(served.captured_queries) == 0  # from the cache
    assert url(page) in text(client.get("/"))
    commit(services.withdraw, page, reason="数据有误", by=staff_user())
    assert client.get(url(page)).status_code == 410
    assert url(page) not in text(client.get("/"))


def test_a_publish_and_a_republish_are_visible_at_once(client, commit):
    column, rect = decided_column(1)
    assert "暂无公开信息。" in text(client.get("/"))  # and now cached
    page = commit(published, column, K.RECTIFICATION)
    assert url(page) in text(client.get("/"))
    assert "已完成0项" in text(client.get(url(page)))
    rect.opinions.update(state="done", done_at=timezone.now(), progress=100)
    assert "已完成0项" in text(client.get(url(page)))  # frozen until republished
    commit(services.republish, page)
    assert "已完成3项" in text(client.get(url(page)))


def test_a_scheduled_publication_appears_at_its_time(client, commit):
    column, _rect = decided_column(1)
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    page = commit(services.schedule, services.draft_publication(column, kind=K.RESULTS), at=at)
    assert client.get(url(page)).status_code == 404
    assert url(page) not in text(client.get("/"))  # the home page is now cached until `at`
    with time_machine.travel(at - datetime.timedelta(seconds=1)):
        assert client.get(url(page)).status_code == 404
        assert url(page) not in text(client.get("/"))
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        # No beat has run: the site reads the time itself.
        assert client.get(url(page)).status_code == 200
        assert url(page) in text(client.get("/"))
        assert url(page) in text(client.get(reverse("public:column", args=[column.pk])))


def test_a_304_when_the_page_has_not_changed(client):
    column, _rect = decided_column(1)
    page = published(column, K.RESULTS)
    first = client.get(url(page))
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert client.get(url(page), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_csp_lets_the_television_station_be_framed_and_nothing_else(client):
    column, _rect = decided_column(1)
    rec = recording(column, upload=False)
    page = published(column, K.RECORDING, recording=rec)
    response = client.get(url(page))
    csp = response["Content-Security-Policy"]
    assert "frame-src https://tv.qinghe.example.cn" in csp
    assert "frame-ancestors 'none'" in csp
    body = text(response)
    assert '<iframe src="https://tv.qinghe.example.cn/vod/2026/renda-pingyi.html"' in body
    assert "清河县电视台综合频道" in body and "2026-12-20" in body and "20:00" in body


def test_an_uploaded_video_plays_from_the_site_with_ranges(client):
    column, _rect = decided_column(1)
    page = published(column, K.RECORDING, recording=recording(column))
    body = text(client.get(url(page)))
    video_url = reverse("public:publication_file", args=[column.pk, page.pk, "video"])
    poster_url = reverse("public:publication_file", args=[column.pk, page.pk, "poster"])
    assert f'<source src="{video_url}" type="video/mp4">' in body and f'poster="{poster_url}"' in body
    part = client.get(video_url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 0-99/4096"
    assert b"".join(part.streaming_content)[4:8] == b"ftyp"
    whole = client.get(video_url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "video/mp4"
    assert client.get(poster_url)["Content-Type"] == "image/png"
    home = text(client.get("/"))
    assert f'src="{poster_url}" alt="评议会议现场"' in home


def test_behind_nginx_a_video_is_handed_to_nginx(client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    column, _rect = decided_column(1)
    page = published(column, K.RECORDING, recording=recording(column))
    response = client.get(reverse("public:publication_file", args=[column.pk, page.pk, "video"]))
    assert response["X-Accel-Redirect"].startswith("/protected-media/recordings/")
    assert response.content == b""


def test_the_column_lists_its_stages(client):
    column, _rect = decided_column(2)
    pages = [published(column, kind) for kind in (K.PLAN, K.SUBJECTS, K.RESULTS, K.RECTIFICATION)]
    body = text(client.get(reverse("public:column", args=[column.pk])))
    assert '<h1 class="h3">2026年度部门工作评议专栏</h1>' in body
    for page in pages:
        assert url(page) in body
    index = text(client.get(reverse("public:columns")))
    assert reverse("public:column", args=[column.pk]) in index
    subjects = text(client.get(url(pages[1])))
    assert '<h1 class="h3">2026年度部门工作评议对象</h1>' in subjects
    assert "共2个评议对象（按报告顺序）" in subjects and "县卫生健康局" in subjects
    plan = text(client.get(url(pages[0])))
    assert "时间安排" in plan and "开始日期" in plan


def page_urls(column, pages) -> list[str]:
    return [
        "/",
        reverse("public:columns"),
        reverse("public:column", args=[column.pk]),
        *(url(p) for p in pages),
        reverse("public:search") + "?q=县",
    ]


def queries(client, urls, *, clear=True) -> list[int]:
    from django.core.cache import cache

    counts = []
    for u in urls:
        if clear:
            cache.clear()
            pages.forget_local()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(u).status_code == 200, u
        counts.append(len(ctx.captured_queries))
    return counts


def delivered_opinions(campaign, n_subjects: int, n_items: int = 3) -> None:
    from congress.models import Meeting
    from evaluations.services import rectification as rect

    directors = Meeting.objects.filter(kind=Meeting.Kind.DIRECTORS).first()
    for subject in campaign.subjects.order_by("sort_order")[:n_subjects]:
        for n in range(n_items):
            rect.add_opinion(subject, finding=f"{subject.label}第{n + 1}项问题", action="限期整改")
        subject.refresh_from_db()
        rect.approve_opinions(subject.rectification, meeting=directors)
        rect.deliver_opinions(subject.rectification)


def test_pages_are_bounded_in_queries_however_many_subjects(client, django_assert_max_num_queries):
    from tests.evaluations.test_admin import decided_campaign, decided_campaign_in_next_year

    small_campaign = decided_campaign(2)
    delivered_opinions(small_campaign, 1, 2)
    small = services.open_column(small_campaign)
    small_pages = [published(small, kind) for kind in (K.PLAN, K.SUBJECTS, K.RESULTS, K.RECTIFICATION)]
    published(small, K.RECORDING, recording=recording(small))
    queries(client, page_urls(small, small_pages))  # warm up (content types, committee name)
    small_counts = queries(client, page_urls(small, small_pages))
    big_campaign = decided_campaign_in_next_year(12)
    delivered_opinions(big_campaign, 6, 4)
    big = services.open_column(big_campaign)
    big_pages = [published(big, kind) for kind in (K.PLAN, K.SUBJECTS, K.RESULTS, K.RECTIFICATION)]
    for n in range(3):
        published(big, K.RECORDING, recording=recording(big, title=f"评议会议实况（第{n + 1}场）"))
    big_counts = queries(client, page_urls(big, big_pages))
    assert big_counts == small_counts, (page_urls(big, big_pages), small_counts, big_counts)
    assert max(big_counts) <= 8
    # Once rendered, served from the cache: no query at all for a publication page.
    queries(client, [url(p) for p in big_pages], clear=False)
    assert queries(client, [url(p) for p in big_pages], clear=False) == [0, 0, 0, 0]
    with django_assert_max_num_queries(8):
        client.get("/")
