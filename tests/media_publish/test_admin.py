"""The back office of the publication: only staff publish, schedule and withdraw; leaders read;
deputies, liaisons and the public never reach it. A video that is too large or not an MP4,
and a link to a site off the allowlist, are refused with a clear message in Chinese."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from media_publish.models import Publication, Recording
from tests.factories import UserFactory, deputy_with_login, liaison_for
from tests.media_publish.factories import (
    TV_PAGE,
    K,
    decided_column,
    mp4_bytes,
    mp4_upload,
    png_bytes,
    published,
    staff_user,
)

pytestmark = pytest.mark.django_db

ADD_RECORDING = "/admin/media_publish/recording/add/"


def recording_form(column, **fields):
    data = {
        "column": column.pk,
        "title": "2026年度部门工作评议会议实况",
        "recorded_on": "2026-12-18",
        "description": "",
        "embed_url": "",
        "poster_alt": "评议会议现场",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-channel": "清河县电视台综合频道",
        "slots-0-airs_at_0": "2026-12-20",
        "slots-0-airs_at_1": "20:00",
    }
    data.update(fields)
    return data


def errors(response) -> str:
    return response.content.decode()


def test_staff_upload_a_video_with_its_poster_and_schedule(client):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    response = client.post(
        ADD_RECORDING,
        recording_form(
            column,
            video=mp4_upload(),
            poster=SimpleUploadedFile("poster.png", png_bytes(), content_type="image/png"),
        ),
    )
    assert response.status_code == 302, errors(response)
    rec = Recording.objects.get()
    assert rec.video.name.endswith(".mp4") and rec.slots.get().channel == "清河县电视台综合频道"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("会议录像.mp4", "这是一个文本文件，不是视频。".encode() * 20, content_type="video/mp4"),
            "此处不接受该文件，只接受MP4文件。",
        ),
        (  # A QuickTime movie renamed .mp4: an ftyp box, but not of the MP4 family.
            SimpleUploadedFile("会议录像.mp4", mp4_bytes(brand=b"qt  "), content_type="video/mp4"),
            "该文件不是可以播放的MP4视频。",
        ),
        (  # An AVI renamed.
            SimpleUploadedFile("会议录像.mp4", b"RIFF\x00\x10\x00\x00AVI LIST" + b"\0" * 200, content_type="video/mp4"),
            "此处不接受该文件，只接受MP4文件。",
        ),
    ],
)
def test_a_file_that_is_not_an_mp4_is_refused_whatever_its_name(client, upload, message):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    response = client.post(ADD_RECORDING, recording_form(column, video=upload))
    assert response.status_code == 200
    assert message in errors(response)
    assert not Recording.objects.exists()


def test_an_oversized_video_is_refused_with_its_size_and_the_limit(client, settings):
    settings.RECORDING_MAX_BYTES = 2 * 1024 * 1024
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    response = client.post(ADD_RECORDING, recording_form(column, video=mp4_upload(size=3 * 1024 * 1024)))
    assert response.status_code == 200
    assert "视频文件过大：该文件为3.0\xa0MB，网站最多接受2.0\xa0MB。" in errors(response)
    assert not Recording.objects.exists()


def test_a_poster_that_is_not_an_image_is_refused(client):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    fake = SimpleUploadedFile("poster.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(ADD_RECORDING, recording_form(column, embed_url=TV_PAGE, poster=fake))
    assert "此处不接受该文件，只接受JPEG、PNG、WebP文件。" in errors(response)
    assert not Recording.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "https://v.example-video.com/watch?v=renda",  # not on the allowlist
        "http://tv.qinghe.example.cn/vod/2026/renda.html",  # the right host, without https
        "https://tv.qinghe.example.cn.evil.cn/vod.html",  # a look-alike host
    ],
)
def test_a_link_to_a_site_off_the_allowlist_is_refused(client, link):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    response = client.post(ADD_RECORDING, recording_form(column, embed_url=link))
    assert response.status_code == 200
    assert "视频只能链接白名单网站（tv.qinghe.example.cn）上以https开头的地址" in errors(response)
    assert not Recording.objects.exists()


def test_a_link_on_the_allowlist_is_accepted_and_neither_file_nor_link_is_refused(client):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    response = client.post(ADD_RECORDING, recording_form(column))
    assert "请上传视频文件或填写视频链接，二者选其一。" in errors(response)
    assert client.post(ADD_RECORDING, recording_form(column, embed_url=TV_PAGE)).status_code == 302
    assert Recording.objects.get().embed_url == TV_PAGE


def step(client, publication, **data):
    return client.post(reverse("admin:media_publish_publication_step", args=[publication.pk]), data, follow=True)


def test_staff_draft_preview_publish_and_withdraw_from_the_back_office(client):
    column, _rect = decided_column(2)
    client.force_login(staff_user())
    response = client.post(
        "/admin/media_publish/publication/add/",
        {"column": column.pk, "kind": K.RESULTS, "title": "", "summary": "现场测评结果。"},
    )
    assert response.status_code == 302, errors(response)
    draft = Publication.objects.get()
    assert draft.status == Publication.Status.DRAFT
    preview = client.get(reverse("admin:media_publish_publication_preview", args=[draft.pk]))
    assert "预览：这是现在发布时页面的样子，目前尚未公开。" in preview.content.decode()
    assert "县教育局" in preview.content.decode()
    page = client.get(reverse("admin:media_publish_publication_change", args=[draft.pk])).content.decode()
    assert "立即发布" in page and "定时发布" in page
    assert "已发布：该页面现已在公开网站上。" in step(client, draft, step="publish").content.decode()
    draft.refresh_from_db()
    assert draft.status == Publication.Status.PUBLISHED
    assert "请填写撤回原因。" in step(client, draft, step="withdraw", reason="").content.decode()
    done = step(client, draft, step="withdraw", reason="数据有误，更正后重新发布。").content.decode()
    assert "已撤回：该页面已从公开网站撤下。" in done
    draft.refresh_from_db()
    assert draft.status == Publication.Status.WITHDRAWN and draft.withdraw_reason == "数据有误，更正后重新发布。"


def test_staff_schedule_a_publication(client):
    column, _rect = decided_column(1)
    client.force_login(staff_user())
    draft = Publication.objects.create(column=column, kind=K.RESULTS)
    at = timezone.localtime() + datetime.timedelta(days=1)
    done = step(client, draft, step="schedule", at=at.strftime("%Y-%m-%dT%H:%M")).content.decode()
    assert f"已定时：该页面将于{at:%Y-%m-%d %H:%M}在公开网站上发布。" in done
    draft.refresh_from_db()
    assert draft.status == Publication.Status.SCHEDULED


def test_a_campaign_stage_needs_the_campaigns_column(client):
    from media_publish.models import Column

    column = Column.objects.create(title="代表建议办理情况")
    client.force_login(staff_user())
    response = client.post("/admin/media_publish/publication/add/", {"column": column.pk, "kind": K.RESULTS})
    assert "该项内容属于评议工作，请选择该评议的专栏。" in errors(response)


def test_leaders_read_but_cannot_publish(client):
    column, _rect = decided_column(1)
    draft = Publication.objects.create(column=column, kind=K.RESULTS)
    client.force_login(UserFactory(username="leader-p", roles=["leader"]))
    assert client.get("/admin/media_publish/publication/").status_code == 200
    page = client.get(reverse("admin:media_publish_publication_change", args=[draft.pk])).content.decode()
    assert "立即发布" not in page
    response = client.post(reverse("admin:media_publish_publication_step", args=[draft.pk]), {"step": "publish"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Publication.Status.DRAFT


def test_deputies_liaisons_and_the_public_never_reach_the_back_office(client):
    column, _rect = decided_column(1)
    page = published(column, K.RESULTS)
    urls = [
        "/admin/media_publish/publication/",
        reverse("admin:media_publish_publication_change", args=[page.pk]),
        reverse("admin:media_publish_publication_preview", args=[page.pk]),
        ADD_RECORDING,
    ]
    for user in [None, deputy_with_login().user, liaison_for()]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for u in urls:
            response = client.get(u)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (user, u)
        response = client.post(
            reverse("admin:media_publish_publication_step", args=[page.pk]), {"step": "withdraw", "reason": "x"}
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    page.refresh_from_db()
    assert page.status == Publication.Status.PUBLISHED


def test_staff_open_a_column_named_after_its_campaign(client):
    from evaluations.models import Campaign
    from media_publish.models import Column
    from tests.evaluations.factories import work_campaign_in_meeting

    work_campaign_in_meeting(n_units=1, n_voters=1)
    campaign = Campaign.objects.get()
    client.force_login(staff_user())
    response = client.post("/admin/media_publish/column/add/", {"campaign": campaign.pk, "title": "", "sort_order": 0})
    assert response.status_code == 302, errors(response)
    assert Column.objects.get().title == "2026年度部门工作评议专栏"
    response = client.post("/admin/media_publish/column/add/", {"title": "", "sort_order": 0})
    assert "请填写专栏名称，或选择其所属的评议。" in errors(response)
