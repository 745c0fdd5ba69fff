"""Rectification in a real browser: the unit's liaison opens the delivered opinions from the
unit portal's home on a phone, writes the measures for each item, signs off and submits the
plan; staff return one item in the back office with a comment and the ledger shows it with the
reason; the liaison sees the returned item with the comment and submits the plan again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Rectification, Submission
from tests import factories
from tests.e2e.conftest import MIN_TAP_PX, assert_no_horizontal_scroll, url_re, watch_errors
from tests.evaluations.test_rectification import delivered
from tests.files import pdf_bytes

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

MEASURES = [
    "2027年新建城东小学，秋季学期起城区小学每班不超过45人。",
    "财政局设立校舍维修专户，资金到位不超过30天。",
    "会同编办核增教师编制20名，年底前完成招聘。",
]


def delivered_three_weeks_ago():
    """Opinions delivered to the unit, whose plan is due in five days (the clock is the real one:
    the browser and the live server share it)."""
    rectification, liaison, *_ = delivered()
    now = timezone.now()
    Rectification.objects.filter(pk=rectification.pk).update(
        delivered_at=now - datetime.timedelta(days=25),
        plan_due_at=now + datetime.timedelta(days=5),
        report_due_at=now + datetime.timedelta(days=35),
    )
    rectification.opinions.update(deadline=timezone.localdate() + datetime.timedelta(days=35))
    return Rectification.objects.get(pk=rectification.pk), liaison


def log_in(page, live_server, username, *, form="main form"):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "Renda-2026")
    page.locator(f"{form} [type=submit]").click()


def test_a_liaison_submits_the_plan_on_a_phone_and_sees_the_item_staff_returned(
    live_server, phone, desktop, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rectification, liaison = delivered_three_weeks_ago()
    factories.UserFactory(username="rectstaff", roles=["staff"])
    first, second, third = rectification.opinions.order_by("sort_order")
    detail = reverse("evaluations:unit_rectification", args=[rectification.pk])

    # 1. The liaison logs in on the phone; the home tile counts the items awaiting the plan.
    page = phone.new_page()
    errors = watch_errors(page)
    log_in(page, live_server, liaison.username)
    page.wait_for_url(url_re(live_server, reverse("unit:home")))
    tile = page.locator(".unit-tile-rectification")
    expect(tile).to_contain_text("整改")
    expect(tile).to_contain_text("3 项待处理")
    screenshot(page, "1-home")
    tile.tap()
    page.wait_for_url(url_re(live_server, reverse("evaluations:unit_rectifications")))
    expect(page.locator(".rect-unit-list")).to_contain_text("3项未完成")
    assert_no_horizontal_scroll(page)
    screenshot(page, "2-list")
    page.locator(".rect-unit-list a", has_text=rectification.title).tap()
    page.wait_for_url(url_re(live_server, detail))

    # 2. The measures for each item, the head's sign-off and the signed plan.
    expect(page.locator(".rect-item")).to_have_count(3)
    expect(page.locator(".rect-item").first).to_contain_text("城区学校大班额问题突出")
    plan = page.locator(".rect-plan-form")
    for opinion, text in zip((first, second, third), MEASURES, strict=True):
        plan.locator(f"textarea[name=measures_{opinion.pk}]").fill(text)
    plan.locator("input[name=signed_off_by]").fill("张卫国")
    plan.locator("textarea[name=summary]").fill("局党组专题研究，逐项明确责任领导和完成时限。")
    plan.locator("input[name=file]").set_input_files(
        files=[{"name": "整改计划.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    submit = plan.locator("button[type=submit]")
    assert submit.bounding_box()["height"] >= MIN_TAP_PX
    assert_no_horizontal_scroll(page)
    screenshot(page, "3-plan")
    submit.tap()
    page.wait_for_url(url_re(live_server, detail))
    expect(page.locator(".alert-success")).to_contain_text("整改计划已报送常委会审核")
    expect(page.locator(".rect-waiting")).to_contain_text("整改计划正在由常委会审核")
    expect(page.locator(".rect-plan-form")).to_have_count(0)
    screenshot(page, "4-submitted")
    submission = Submission.objects.get()
    assert (submission.kind, submission.signed_off_by, submission.items.count()) == ("plan", "张卫国", 3)

    # 3. Staff return the second item in the back office, with the reason.
    desk = desktop.new_page()
    errors += watch_errors(desk)
    change = reverse("admin:evaluations_rectification_change", args=[rectification.pk])
    desk.goto(live_server.url + change)
    desk.fill("#id_username", "rectstaff")
    desk.fill("#id_password", "Renda-2026")
    desk.locator("#login-form [type=submit]").click()
    desk.wait_for_url(url_re(live_server, change))
    desk.locator("#submissions a", has_text="审核").click()
    desk.wait_for_url(
        url_re(live_server, reverse("admin:evaluations_rectification_review", args=[rectification.pk, submission.pk]))
    )
    desk.locator(f"input[name=return_{second.pk}]").check()
    desk.fill(f"input[name=comment_{second.pk}]", "资金直拨须明确拨付时限和责任科室")
    screenshot(desk, "5-staff-review")
    desk.locator("input[type=submit]", has_text="保存审核结果").click()
    desk.wait_for_url(url_re(live_server, change))
    expect(desk.locator(".messagelist")).to_contain_text("已连同审核意见退回单位")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED

    # The ledger shows the returned item with the reason, beside the unit's other open items.
    desk.goto(live_server.url + reverse("admin:evaluations_rectification_ledger"))
    returned_row = desk.locator("tr.returned-item")
    expect(returned_row).to_have_count(1)
    expect(returned_row).to_contain_text(second.finding)
    expect(returned_row).to_contain_text("资金直拨须明确拨付时限和责任科室")
    expect(desk.locator("table.ledger tbody tr")).to_have_count(3)
    screenshot(desk, "5b-ledger")

    # 4. The liaison sees the returned item with the comment and hands the plan in again.
    page.reload()
    returned = page.locator(f"#item-{second.pk}")
    expect(returned.locator(".rect-staff-comment")).to_contain_text("资金直拨须明确拨付时限和责任科室")
    expect(page.locator(".rect-history")).to_contain_text("已退回")
    plan = page.locator(".rect-plan-form")
    expect(plan.locator(f"textarea[name=measures_{first.pk}]")).to_have_value(MEASURES[0])  # kept
    expect(page.locator(".rect-mark-done")).to_have_count(0)  # not before the whole plan is accepted
    returned.scroll_into_view_if_needed()
    screenshot(page, "6-returned")
    plan.locator(f"textarea[name=measures_{second.pk}]").fill(
        "财政局设立校舍维修专户，计财股负责，资金自申请之日起30天内拨付到位。"
    )
    plan.locator("input[name=signed_off_by]").fill("张卫国")
    plan.locator("button[type=submit]").tap()
    expect(page.locator(".alert-success")).to_contain_text("整改计划已报送常委会审核")
    assert_no_horizontal_scroll(page)
    screenshot(page, "7-submitted-again")
    assert Submission.objects.filter(status=Submission.Status.SUBMITTED).count() == 1
    assert errors == []
