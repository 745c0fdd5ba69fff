"""The rectification back office: opinions written, approved and delivered from the campaign's
page, a report reviewed item by item, the ledger (整改台账) bounded in queries and exported,
and an inquiry motion refused without three co-signers."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Meeting
from evaluations.models import InquiryMotion, Opinion, Rectification, Submission
from evaluations.services import rectification as rect
from tests.evaluations.test_rectification import delivered, plan_measures
from tests.factories import CommissionFactory, MemberFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

LEDGER = "/admin/evaluations/rectification/ledger/"


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff-rect", roles=["staff"])
    client.force_login(user)
    return user


def test_opinions_are_written_approved_and_delivered_from_the_campaign(client, staff):
    from tests.evaluations.test_admin import decided_campaign

    campaign = decided_campaign(2)
    subject = campaign.subjects.order_by("sort_order").first()
    page = f"/admin/evaluations/campaign/{campaign.pk}/opinions/"
    opinion = {"step": "add", "subject": subject.pk, "finding": "执法程序不规范", "target": "执法案卷合格率100%"}
    response = client.post(page, opinion, follow=True)  # the action required is missing
    assert "请填写评议对象、存在问题和整改要求" in response.content.decode()
    assert not Rectification.objects.exists()
    client.post(page, {**opinion, "action": "开展执法案卷评查", "deadline": "2027-03-31"})
    client.post(page, {**opinion, "finding": "窗口服务效率不高", "action": "推行一窗通办"})
    rectification = Rectification.objects.get(subject=subject)
    assert rectification.opinions.count() == 2
    assert rectification.status == Rectification.Status.DRAFTING
    response = client.post(page, {"step": "deliver", "rectification": rectification.pk}, follow=True)
    assert "不能进行此操作" in response.content.decode()  # not approved yet
    directors = Meeting.objects.get(kind=Meeting.Kind.DIRECTORS)
    client.post(page, {"step": "approve", "rectification": rectification.pk, "meeting": directors.pk})
    client.post(page, {"step": "deliver", "rectification": rectification.pk})
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.DELIVERED
    assert rectification.opinions.get(finding="执法程序不规范").deadline == datetime.date(2027, 3, 31)
    assert "整改中" in client.get(page).content.decode()


def test_staff_return_one_item_of_a_report_and_the_ledger_shows_it(client, staff):
    rectification, liaison, *_ = delivered()
    rect.review_submission(
        rect.submit_plan(rectification, by=liaison, signed_off_by="张卫国", measures=plan_measures(rectification)),
        by=staff,
    )
    first, second, third = rectification.opinions.all()
    report = rect.submit_report(
        rectification,
        by=liaison,
        signed_off_by="张卫国",
        progress={o.pk: {"text": "已完成", "progress": 100} for o in (first, second, third)},
    )
    review = f"/admin/evaluations/rectification/{rectification.pk}/review/{report.pk}/"
    assert "张卫国" in client.get(review).content.decode()
    response = client.post(review, {f"return_{second.pk}": "1", f"comment_{second.pk}": ""}, follow=True)
    assert "请写明每个退回事项的退回理由" in response.content.decode()
    assert Submission.objects.get(pk=report.pk).status == Submission.Status.SUBMITTED
    client.post(review, {f"return_{second.pk}": "1", f"comment_{second.pk}": "缺少资金拨付凭证"})
    states = dict(rectification.opinions.values_list("pk", "state"))
    assert states == {first.pk: "done", second.pk: "returned", third.pk: "done"}
    ledger = client.get(LEDGER).content.decode()
    # The item is being rectified again (整改中), with the reason it was returned beside it.
    assert second.finding in ledger and ">整改中" in ledger and "缺少资金拨付凭证" in ledger
    assert first.finding not in ledger  # done items leave the ledger


def ledger_of(n_units: int, n_items: int) -> None:
    """Delivered rectifications of ``n_units`` units with ``n_items`` items each, some late."""
    commission = CommissionFactory(name="财政经济委员会")
    leader = MemberFactory()
    now = timezone.now()
    for u in range(n_units):
        unit = UnitFactory()
        rectification = Rectification.objects.create(
            title=f"{unit.name}整改",
            unit=unit,
            commission=commission,
            leader=leader,
            status=Rectification.Status.DELIVERED,
            delivered_at=now - datetime.timedelta(days=70),
            plan_due_at=now - datetime.timedelta(days=40),
            report_due_at=now - datetime.timedelta(days=10),
        )
        Opinion.objects.bulk_create(
            Opinion(
                rectification=rectification,
                finding=f"问题{u}-{i}：群众反映办事难",
                action="简化办事流程",
                deadline=timezone.localdate() + datetime.timedelta(days=(i % 3 - 1) * 20),
                sort_order=i,
            )
            for i in range(n_items)
        )


def test_the_ledger_of_27_units_renders_and_exports_in_constant_queries(client, staff, django_assert_max_num_queries):
    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    ledger_of(2, 3)
    client.get(LEDGER)  # warm the session
    small = queries(LEDGER)[0], queries(LEDGER + "?format=xlsx")[0]
    ledger_of(25, 10)
    with django_assert_max_num_queries(small[0]):
        page = client.get(LEDGER)
    assert queries(LEDGER)[0] == small[0]
    count, export = queries(LEDGER + "?format=xlsx")
    assert count == small[1]
    html = page.content.decode()
    # 256 open items, items 0, 3, 6, 9 of each unit due 20 days ago: late first, 50 to a page.
    assert "256项未完成" in html and "102项逾期" in html
    assert len(re.findall(r'<tr class="[^"]*state-', html)) == 50 and html.count("late-item") == 50
    assert 'href="?page=2" rel="next"' in html and "第 1 / 6 页" in html
    with django_assert_max_num_queries(small[0]):
        last = client.get(LEDGER + "?page=6").content.decode()
    assert (
        len(re.findall(r'<tr class="[^"]*state-', last)) == 6
        and "late-item" not in last
        and 'href="?page=5" rel="prev"' in last
    )
    assert client.get(LEDGER + "?page=x").status_code == 400
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 3 + 25 * 10
    assert rows[0][9] == "逾期天数" and rows[1][9] == 20  # late items first, with their days late


def test_the_ledger_follows_a_commissions_units(client, staff):
    ledger_of(1, 2)
    other = CommissionFactory(name="农业与农村委员会")
    page = client.get(f"{LEDGER}?commission={other.pk}").content.decode()
    assert "问题0-0" not in page


def test_an_inquiry_motion_with_two_cosigners_is_refused_in_the_back_office(client, staff):
    unit = UnitFactory(name="县住房和城乡建设局")
    members = [MemberFactory() for _ in range(3)]
    form = {
        "unit": unit.pk,
        "title": "关于县住建局整改不力的质询案",
        "questions": "老旧小区改造为何连续两年未完成？",
        "personnel_recommendation": "",
    }
    response = client.post(
        "/admin/evaluations/inquirymotion/add/", {**form, "cosigners": [m.pk for m in members[:2]]}, follow=True
    )
    assert "质询案至少需要3名常委会组成人员联名提出，目前只有2名" in response.content.decode()
    assert not InquiryMotion.objects.exists()
    client.post("/admin/evaluations/inquirymotion/add/", {**form, "cosigners": [m.pk for m in members]})
    motion = InquiryMotion.objects.get()
    assert motion.cosigners.count() == 3
