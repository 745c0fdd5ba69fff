"""The unit portal's rectification (/unit/rectification/): a liaison sees only their own unit's
delivered rectifications, hands in the plan and the reports item by item through the page, and
cannot close a returned or late item alone. Pages cost a bounded number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import surfaces
from congress.models import Meeting
from evaluations import selectors
from evaluations.models import Opinion, Rectification, Submission, SubmissionItem
from evaluations.services import rectification as rect
from tests.evaluations.test_rectification import DELIVERY, TZ, delivered, plan_measures
from tests.factories import UserFactory, deputy_with_login, liaison_for
from tests.files import image_bytes, pdf_bytes
from tests.files import upload as real_file

pytestmark = pytest.mark.django_db

SOON = DELIVERY + datetime.timedelta(days=3)  # the plan is due on 30 Nov, the items on 31 Dec
LATE = datetime.datetime(2027, 1, 5, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def at_soon():
    with time_machine.travel(SOON, tick=False):
        yield


def second_unit_rectification(rectification):
    """The campaign's other subject gets its own opinions delivered, with its own liaison."""
    subject = rectification.subject.campaign.subjects.exclude(pk=rectification.subject_id).first()
    rect.add_opinion(subject, finding="执法程序不规范", action="开展执法案卷评查")
    other = Rectification.objects.get(subject=subject)
    rect.approve_opinions(other, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
    with time_machine.travel(DELIVERY, tick=False):
        rect.deliver_opinions(other)
    return other, liaison_for(subject.unit, username="liaison-other")


def plan_post(rectification, signed="张卫国", **extra):
    data = {"signed_off_by": signed, "summary": "", **extra}
    for opinion in rectification.opinions.all():
        data[f"measures_{opinion.pk}"] = f"措施：{opinion.action}"
    return data


def accept_plan(rectification, liaison):
    plan = rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification))
    rect.review_submission(plan, by=None)


def detail_url(rectification):
    return reverse("evaluations:unit_rectification", args=[rectification.pk])


class TestAccess:
    def test_a_liaison_sees_only_their_own_units_rectifications(self, client, at_soon):
        rectification, liaison, *_ = delivered(n_units=2)
        other, other_liaison = second_unit_rectification(rectification)
        client.force_login(liaison)
        listing = client.get(reverse("evaluations:unit_rectifications")).content.decode()
        assert rectification.title in listing and other.title not in listing
        assert client.get(detail_url(other)).status_code == 404
        page = client.get(detail_url(rectification)).content.decode()
        assert "城区学校大班额问题突出" in page and "执法程序不规范" not in page
        # and the other way round
        client.force_login(other_liaison)
        assert client.get(detail_url(rectification)).status_code == 404
        assert (
            client.post(
                reverse("evaluations:unit_submit_plan", args=[rectification.pk]), plan_post(rectification)
            ).status_code
            == 404
        )
        assert not Submission.objects.exists()
        assert other.title in client.get(reverse("evaluations:unit_rectifications")).content.decode()

    def test_deputies_and_the_public_are_refused(self, client):
        rectification, *_ = delivered()
        url = detail_url(rectification)
        assert client.get(reverse("evaluations:unit_rectifications")).status_code == 302  # to the login
        assert client.get(url).status_code == 302
        client.force_login(deputy_with_login().user)
        assert client.get(reverse("evaluations:unit_rectifications")).status_code == 403
        assert client.get(url).status_code == 403
        client.force_login(UserFactory(unit=rectification.unit))  # of the unit, but not its liaison
        assert client.get(url).status_code == 403

    def test_undelivered_rectifications_are_invisible(self, client, at_soon):
        rectification, liaison, *_ = delivered(n_units=2)
        subject = rectification.subject.campaign.subjects.exclude(pk=rectification.subject_id).first()
        rect.add_opinion(subject, finding="草拟中的意见", action="草拟中的要求")
        drafting = Rectification.objects.get(subject=subject)
        # opinions on the same unit, still being drafted
        Rectification.objects.filter(pk=drafting.pk).update(title="草拟中的整改", unit=rectification.unit)
        client.force_login(liaison)
        assert "草拟中的整改" not in client.get(reverse("evaluations:unit_rectifications")).content.decode()
        assert client.get(detail_url(drafting)).status_code == 404
        rect.approve_opinions(drafting, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
        assert client.get(detail_url(drafting)).status_code == 404  # approved, not yet delivered


class TestPlanAndReport:
    def test_a_plan_submitted_through_the_page_and_a_second_one_refused(self, client, at_soon):
        rectification, liaison, *_ = delivered()
        client.force_login(liaison)
        page = client.get(detail_url(rectification)).content.decode()
        assert "整改计划" in page and "measures_" in page
        url = reverse("evaluations:unit_submit_plan", args=[rectification.pk])
        letter = real_file("整改计划.pdf", pdf_bytes())
        response = client.post(url, {**plan_post(rectification), "file": letter})
        assert response.status_code == 302
        plan = Submission.objects.get()
        assert (plan.kind, plan.status, plan.signed_off_by, plan.submitted_by) == (
            "plan",
            "submitted",
            "张卫国",
            liaison,
        )
        assert plan.file.name.endswith(".pdf")
        assert sorted(plan.items.values_list("text", flat=True)) == sorted(
            f"措施：{a}" for a in rectification.opinions.values_list("action", flat=True)
        )
        page = client.get(response.url).content.decode()
        assert "整改计划已报送常委会审核" in page and "整改计划正在由常委会审核" in page
        assert "measures_" not in page  # no plan form while one is under review

        again = client.post(url, plan_post(rectification, signed="李四"))
        assert again.status_code == 400
        assert "已有一份同类材料正在审核" in again.content.decode()
        assert Submission.objects.count() == 1 and SubmissionItem.objects.count() == 3

    def test_a_plan_without_the_heads_name_or_a_measure_is_not_written(self, client, at_soon):
        rectification, liaison, *_ = delivered()
        client.force_login(liaison)
        url = reverse("evaluations:unit_submit_plan", args=[rectification.pk])
        data = plan_post(rectification, signed="")
        assert client.post(url, data).status_code == 400
        data = plan_post(rectification)
        data[f"measures_{rectification.opinions.first().pk}"] = ""
        response = client.post(url, data)
        assert response.status_code == 400 and "请修改下面表单中的错误" in response.content.decode()
        assert not Submission.objects.exists()

    def test_after_the_plan_is_accepted_a_report_is_submitted_and_a_returned_item_shows_the_comment(
        self, client, at_soon
    ):
        rectification, liaison, *_ = delivered()
        accept_plan(rectification, liaison)
        client.force_login(liaison)
        page = client.get(detail_url(rectification)).content.decode()
        assert "measures_" not in page and "progress_" in page
        first, second, third = rectification.opinions.all()
        data = {"signed_off_by": "张卫国", "summary": "阶段性整改情况"}
        for opinion, percent in ((first, 100), (second, 100), (third, 40)):
            data[f"text_{opinion.pk}"] = f"已完成：{opinion.action}"
            data[f"progress_{opinion.pk}"] = percent
        data[f"evidence_{first.pk}"] = real_file("照片.jpg", image_bytes("JPEG"))
        response = client.post(reverse("evaluations:unit_submit_report", args=[rectification.pk]), data)
        assert response.status_code == 302
        report = Submission.objects.get(kind="report")
        assert report.items.get(opinion=first).evidence.name.endswith(".jpg")
        rect.review_submission(report, by=None, returned={second.pk: "未提供资金拨付凭证"})
        page = client.get(detail_url(rectification)).content.decode()
        assert "未提供资金拨付凭证" in page and "已退回" in page
        states = dict(rectification.opinions.values_list("pk", "state"))
        assert states == {first.pk: "done", second.pk: "returned", third.pk: "planned"}

    def test_a_report_with_progress_out_of_range_is_not_written(self, client, at_soon):
        rectification, liaison, *_ = delivered()
        accept_plan(rectification, liaison)
        client.force_login(liaison)
        data = {"signed_off_by": "张卫国"}
        for opinion in rectification.opinions.all():
            data[f"text_{opinion.pk}"] = "推进中"
            data[f"progress_{opinion.pk}"] = 120
        assert client.post(reverse("evaluations:unit_submit_report", args=[rectification.pk]), data).status_code == 400
        assert not Submission.objects.filter(kind="report").exists()


class TestMarkDone:
    def test_a_returned_or_late_item_cannot_be_marked_done_from_the_page(self, client):
        rectification, liaison, *_ = delivered()
        with time_machine.travel(SOON, tick=False):
            accept_plan(rectification, liaison)
            first, second, third = rectification.opinions.all()
            report = rect.submit_report(
                rectification,
                by=liaison,
                signed_off_by="张卫国",
                progress={o.pk: {"text": "推进中", "progress": 50} for o in (first, second, third)},
            )
            rect.review_submission(report, by=None, returned={first.pk: "进度说明不实"})
            client.force_login(liaison)
            page = client.get(detail_url(rectification)).content.decode()
            done_url = lambda o: reverse("evaluations:unit_mark_done", args=[rectification.pk, o.pk])  # noqa: E731
            assert done_url(first) not in page and done_url(second) in page  # no button on the returned item
            response = client.post(done_url(first), follow=True)
            assert "已被退回或已逾期" in response.content.decode()
        with time_machine.travel(LATE, tick=False):  # the items were due on 31 Dec
            client.force_login(liaison)  # the session of November has expired
            page = client.get(detail_url(rectification)).content.decode()
            assert done_url(second) not in page and "逾期" in page
            response = client.post(done_url(second), follow=True)
            assert "已被退回或已逾期" in response.content.decode()
        states = dict(rectification.opinions.values_list("pk", "state"))
        assert states == {first.pk: "returned", second.pk: "planned", third.pk: "planned"}
        with time_machine.travel(SOON, tick=False):
            assert client.post(done_url(third)).status_code == 302
        assert Opinion.objects.get(pk=third.pk).state == "done"

    def test_an_item_of_another_rectification_is_not_found(self, client, at_soon):
        rectification, liaison, *_ = delivered(n_units=2)
        other, _other_liaison = second_unit_rectification(rectification)
        client.force_login(liaison)
        item = other.opinions.first()
        url = reverse("evaluations:unit_mark_done", args=[rectification.pk, item.pk])
        assert client.post(url).status_code == 404


class TestHomeTile:
    def test_the_tile_counts_returned_items_and_items_due_within_a_week(self, client):
        rectification, liaison, *_ = delivered()
        tile = next(e for e in surfaces.entries("unit") if e.key == "rectification")
        with time_machine.travel(DELIVERY + datetime.timedelta(days=10), tick=False):
            assert tile.count(liaison) == 0  # the plan is due in three weeks
        with time_machine.travel(SOON + datetime.timedelta(days=21), tick=False):
            assert tile.count(liaison) == 3  # the plan is due within a week
            client.force_login(liaison)
            home = client.get(reverse("unit:home")).content.decode()
            assert "整改" in home and reverse("evaluations:unit_rectifications") in home
            accept_plan(rectification, liaison)
            assert tile.count(liaison) == 0
            first = rectification.opinions.first()
            report = rect.submit_report(
                rectification,
                by=liaison,
                signed_off_by="张卫国",
                progress={o.pk: {"text": "推进中", "progress": 50} for o in rectification.opinions.all()},
            )
            assert tile.count(liaison) == 0  # under review: waiting for the committee
            rect.review_submission(report, by=None, returned={first.pk: "进度说明不实"})
            assert tile.count(liaison) == 1
        with time_machine.travel(LATE, tick=False):
            assert tile.count(liaison) == 3  # late
        assert selectors.unit_attention_count(UserFactory()) == 0


def add_items(rectification, n):
    start = rectification.opinions.count()
    Opinion.objects.bulk_create(
        Opinion(
            rectification=rectification,
            finding=f"问题{i}",
            action=f"整改要求{i}",
            target="按期完成",
            deadline=datetime.date(2026, 12, 31),
            sort_order=i,
        )
        for i in range(start, start + n)
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


class TestQueries:
    def test_the_list_and_the_detail_keep_their_query_count_as_items_grow(self, client, at_soon):
        rectification, liaison, *_ = delivered(n_units=2)
        client.force_login(liaison)
        listing, detail = reverse("evaluations:unit_rectifications"), detail_url(rectification)
        accept_plan(rectification, liaison)
        queries(client, detail)  # warm the session and the caches
        before = queries(client, listing), queries(client, detail)

        add_items(rectification, 20)
        other, _ = second_unit_rectification(rectification)
        Rectification.objects.filter(pk=other.pk).update(unit=rectification.unit)
        report = rect.submit_report(
            rectification,
            by=liaison,
            signed_off_by="张卫国",
            progress={o.pk: {"text": "推进中", "progress": 50} for o in rectification.opinions.all()},
        )
        rect.review_submission(report, by=None, returned={rectification.opinions.first().pk: "请补充材料"})
        after = queries(client, listing), queries(client, detail)
        assert after == before
        assert after[1] <= 12

    def test_ten_years_of_rectifications_are_read_a_page_at_a_time(self, client, at_soon):
        rectification, liaison, *_ = delivered()
        client.force_login(liaison)
        listing = reverse("evaluations:unit_rectifications")
        queries(client, listing)  # warm the session and the caches
        small = queries(client, listing)
        Rectification.objects.bulk_create(
            Rectification(
                title=f"第{n}年整改",
                unit=rectification.unit,
                status=Rectification.Status.CLOSED,
                delivered_at=rectification.delivered_at - datetime.timedelta(days=30 * (n + 1)),
                plan_due_at=rectification.plan_due_at,
                report_due_at=rectification.report_due_at,
            )
            for n in range(54)
        )
        assert queries(client, listing) == small
        html = client.get(listing).content.decode()
        assert rectification.title in html and "第48年整改" in html and "第49年整改" not in html  # newest first
        assert 'href="?page=2" rel="next"' in html and "第 1 / 2 页（共 55 条）" in html
        assert "第53年整改" in client.get(listing + "?page=2").content.decode()
