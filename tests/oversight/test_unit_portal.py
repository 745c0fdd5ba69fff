"""The unit portal's commitments (/unit/commitments/): the liaison sees their own unit's items for
the year with late, stale and returned ones standing out, and reports progress item by item.
Another unit's item is not found, bad input is refused in Chinese with nothing written, and only
a liaison gets in."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight import services
from oversight.models import Commitment, CommitmentUpdate
from tests.factories import UserFactory, deputy_with_login, liaison_for
from tests.files import image_bytes
from tests.files import upload as real_file
from tests.oversight.factories import commitments, county_units, this_year

pytestmark = pytest.mark.django_db

LIST = reverse("oversight:unit_commitments")
PROGRESS_MESSAGE = "请填写0到100之间的整数进度"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def report_url(commitment):
    return reverse("oversight:unit_report_progress", args=[commitment.pk])


def post(client, commitment, **data):
    return client.post(report_url(commitment), {"progress": "60", "text": "完成项目招标，已进场施工。", **data})


@pytest.fixture
def education():
    unit, other = county_units(2)
    return unit, liaison_for(unit, username="jyj-lly"), other, liaison_for(other, username="wjj-lly")


def underway(unit):
    return Commitment.objects.filter(unit=unit, state=Commitment.State.UNDERWAY).order_by("sort_order").first()


def untouched(commitment) -> bool:
    fresh = Commitment.objects.get(pk=commitment.pk)
    return not CommitmentUpdate.objects.filter(commitment=commitment).exists() and (
        fresh.progress,
        fresh.progress_note,
        fresh.state,
    ) == (commitment.progress, commitment.progress_note, commitment.state)


class TestTheList:
    def test_late_stale_and_returned_items_stand_out(self, client, education):
        unit, liaison, other, _ = education
        items = commitments(unit, 12)
        commitments(other, 3)
        # The commission returns an item reported done, with its comment.
        back = next(c for c in items if c.state == Commitment.State.REPORTED)
        services.check_commitment(back, by=None, confirmed=False, comment="缺少竣工验收材料，请补充后再报。")
        stale = next(c for c in items if c.state == Commitment.State.UNDERWAY and not c.expect_late)
        Commitment.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - datetime.timedelta(days=45))
        client.force_login(liaison)
        page = client.get(LIST)
        assert page.status_code == 200
        html = page.content.decode()
        assert html.count('class="card mb-3 oc-item') == 12  # only the unit's own, this year
        late = [c for c in items if c.expect_late and c.pk != back.pk]
        for c in late:
            assert f'oc-late border-danger border-start border-4" id="commitment-{c.pk}"' in html
        assert not back.expect_late
        assert f'oc-returned border-warning border-start border-4" id="commitment-{back.pk}"' in html
        assert "联系工委退回" in html and "缺少竣工验收材料，请补充后再报。" in html
        assert f'id="commitment-{stale.pk}"' in html and "需要更新" in html
        assert "逾期" in html

    def test_an_item_reported_done_is_being_checked_and_has_no_form(self, client, education):
        unit, liaison, *_ = education
        items = commitments(unit, 8)
        reported = next(c for c in items if c.state == Commitment.State.REPORTED)
        done = next(c for c in items if c.state == Commitment.State.DONE)
        client.force_login(liaison)
        html = client.get(LIST).content.decode()
        first = underway(unit)
        assert f'action="{report_url(first)}#commitment-{first.pk}"' in html
        assert report_url(reported) not in html and report_url(done) not in html
        assert "联系工委正在核查" in html
        assert post(client, reported).status_code == 400
        assert untouched(reported)

    def test_a_constant_query_count_as_items_grow(self, client, education):
        unit, liaison, *_ = education
        commitments(unit, 2)
        client.force_login(liaison)
        client.get(LIST)
        with CaptureQueriesContext(connection) as small:
            client.get(LIST)
        Commitment.objects.filter(unit=unit).delete()
        for c in commitments(unit, 20):
            if c.state == Commitment.State.UNDERWAY:
                services.update_progress(c, by=liaison, progress=c.progress, text="按计划推进。")
        with CaptureQueriesContext(connection) as big:
            assert client.get(LIST).status_code == 200
        assert len(big) == len(small)

    def test_the_portal_tile_counts_what_waits(self, client, education):
        unit, liaison, *_ = education
        items = commitments(unit, 6)
        Commitment.objects.filter(unit=unit).update(updated_at=timezone.now() - datetime.timedelta(days=40))
        client.force_login(liaison)
        html = client.get(reverse("unit:home")).content.decode()
        # Under way and not reported for a month, or late and not done: what the list marks.
        today = timezone.localdate()
        waiting = sum(
            c.state == Commitment.State.UNDERWAY or (c.state != Commitment.State.DONE and c.due_on and c.due_on < today)
            for c in items
        )
        assert f'href="{LIST}"' in html and "unit-tile-commitments" in html
        assert f"{waiting} 项待处理" in html
        listed = client.get(LIST).content.decode()
        assert len(re.findall(r' oc-attention[ "]', listed)) == waiting


class TestReportingProgress:
    def test_the_liaison_reports_progress_with_evidence(self, client, education):
        unit, liaison, *_ = education
        commitments(unit, 3)
        item = underway(unit)
        client.force_login(liaison)
        evidence = real_file("施工现场照片.jpg", image_bytes("JPEG"))
        response = post(client, item, progress="75", text="主体工程完成75%，正在进行管网铺设。", evidence=evidence)
        assert response.status_code == 302
        assert response["Location"] == f"{LIST}#commitment-{item.pk}"
        item.refresh_from_db()
        assert (item.progress, item.progress_note, item.state) == (
            75,
            "主体工程完成75%，正在进行管网铺设。",
            "underway",
        )
        update = CommitmentUpdate.objects.get(commitment=item)
        assert update.by == liaison and update.evidence.name.endswith(".jpg")
        page = client.get(LIST).content.decode()
        assert "主体工程完成75%" in page and "已报送" in page

    def test_at_100_percent_it_goes_to_the_commission(self, client, education):
        unit, liaison, *_ = education
        commitments(unit, 3)
        item = underway(unit)
        client.force_login(liaison)
        assert post(client, item, progress="100", text="项目已竣工验收。").status_code == 302
        item.refresh_from_db()
        assert item.state == Commitment.State.REPORTED
        assert report_url(item) not in client.get(LIST).content.decode()

    def test_another_units_item_is_not_found_and_nothing_is_written(self, client, education):
        unit, liaison, other, other_liaison = education
        commitments(unit, 3)
        commitments(other, 3)
        theirs = underway(other)
        client.force_login(liaison)
        assert post(client, theirs).status_code == 404
        assert untouched(theirs)
        assert f"commitment-{theirs.pk}" not in client.get(LIST).content.decode()
        assert client.post(reverse("oversight:unit_report_progress", args=[theirs.pk + 1000])).status_code == 404

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"progress": "150"}, PROGRESS_MESSAGE),
            ({"progress": "-5"}, PROGRESS_MESSAGE),
            ({"progress": "六十"}, PROGRESS_MESSAGE),
            ({"progress": ""}, PROGRESS_MESSAGE),
            ({"text": ""}, "请填写本次进展情况"),
            ({"text": "   "}, "请填写本次进展情况"),
        ],
    )
    def test_bad_input_is_refused_in_chinese_and_nothing_written(self, client, education, data, message):
        unit, liaison, *_ = education
        commitments(unit, 3)
        item = underway(unit)
        client.force_login(liaison)
        response = post(client, item, **data)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html and "请修改" in html
        assert '<details class="mt-3 oc-form" open>' in html  # the failed form stays open
        assert untouched(item)

    def test_a_file_that_is_no_document_is_refused(self, client, education):
        unit, liaison, *_ = education
        commitments(unit, 3)
        item = underway(unit)
        client.force_login(liaison)
        script = SimpleUploadedFile("进展.exe", b"MZ\x90\x00", content_type="application/octet-stream")
        response = post(client, item, evidence=script)
        assert response.status_code == 400
        assert "PDF" in response.content.decode()
        assert untouched(item)


class TestWhoGetsIn:
    def test_only_a_liaison(self, client, education):
        unit, *_ = education
        commitments(unit, 3)
        item = underway(unit)
        response = client.get(LIST)
        assert response.status_code == 302 and reverse("login") in response["Location"]
        assert post(client, item).status_code == 302
        client.force_login(deputy_with_login().user)
        assert client.get(LIST).status_code == 403
        assert post(client, item).status_code == 403
        client.force_login(UserFactory(username="renda-bgs", roles=["staff"]))
        assert client.get(LIST).status_code == 403
        assert untouched(item)
        assert this_year() == timezone.localdate().year
