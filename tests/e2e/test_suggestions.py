"""Suggestions in a real browser: a deputy writes and submits on a phone with a co-signer, who
confirms on their own phone; the office accepts and assigns; the unit's liaison signs for it
and replies with the signed letter; the deputy rates the reply on the phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress.services import accounts
from suggestions import services
from suggestions.models import Suggestion
from tests import factories
from tests.e2e.conftest import MIN_TAP_PX, assert_no_horizontal_scroll, url_re, watch_errors
from tests.files import pdf_bytes
from tests.suggestions import factories as f

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def phone_login(page, live_server, deputy, next_path):
    link = live_server.url + reverse("deputy_link_login", args=[accounts.login_token(deputy)]) + f"?next={next_path}"
    page.goto(link)
    page.locator("main form button[type=submit]").tap()
    page.wait_for_url(url_re(live_server, next_path))


def test_a_deputy_submits_with_a_cosigner_the_unit_replies_and_the_deputy_rates(
    live_server, phone, desktop, browser, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    f.current_session()
    for name in f.CATEGORIES:
        f.category(name)
    lead = factories.deputy_with_login(name="黄伟红")
    cosigner = factories.deputy_with_login(name="梁远球")
    unit = factories.UnitFactory(name="县水利局")
    factories.liaison_for(unit, username="shuili")

    # 1. The lead deputy writes on the phone, names a co-signer and submits.
    page = phone.new_page()
    errors = watch_errors(page)
    phone_login(page, live_server, lead, reverse("suggestions:m_list"))
    expect(page.locator("h1")).to_contain_text("我的建议")
    page.locator("a", has_text="写建议").tap()
    page.wait_for_url(url_re(live_server, reverse("suggestions:m_new")))
    page.fill("input[name=title]", f.DRAINAGE_TITLE)
    page.fill("textarea[name=text]", f.DRAINAGE_TEXT)
    page.locator("select[name=category]").select_option(label="农业农村")
    page.fill("input[name=cosigner_names]", "梁远球")
    assert_no_horizontal_scroll(page)
    assert page.locator("button[name=submit]").bounding_box()["height"] >= MIN_TAP_PX
    screenshot(page, "1-write")
    page.locator("button[name=submit]").tap()
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/m/suggestions/\d+/$"))
    suggestion = Suggestion.objects.get()
    expect(page.locator(".alert-success")).to_contain_text("附议代表确认后将送交常委会办公室")
    expect(page.locator(".sg-status")).to_have_text("待附议")
    screenshot(page, "2-submitted")

    # 2. The co-signer confirms on their own phone.
    other = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    try:
        second = other.new_page()
        errors += watch_errors(second)
        phone_login(second, live_server, cosigner, reverse("suggestions:m_list"))
        second.locator(".sg-requests a", has_text=f.DRAINAGE_TITLE).tap()
        expect(second.locator(".sg-cosign")).to_contain_text("黄伟红邀请您附议这件建议")
        screenshot(second, "3-cosigner")
        second.locator("button", has_text="同意附议").tap()
        expect(second.locator(".alert-success")).to_contain_text("您已附议")
        assert_no_horizontal_scroll(second)
        screenshot(second, "4-cosigned")
    finally:
        other.close()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.SUBMITTED

    # 3. The office accepts and assigns (the back office calls these services).
    office = f.staff_user()
    services.accept_suggestion(suggestion, by=office)
    services.assign_suggestion(suggestion, lead_unit=unit, by=office)

    # 4. The unit's liaison signs for it and replies with the signed letter.
    desk = desktop.new_page()
    errors += watch_errors(desk)
    desk.goto(live_server.url + reverse("login"))
    desk.fill("#id_username", "shuili")
    desk.fill("#id_password", "Renda-2026")
    desk.locator("main form [type=submit]").click()
    desk.wait_for_url(url_re(live_server, reverse("unit:home")))
    expect(desk.locator(".unit-tile-suggestions")).to_contain_text("1 件待办理")
    desk.locator(".unit-tile-suggestions").click()
    desk.locator("a", has_text=f.DRAINAGE_TITLE).click()
    detail = reverse("suggestions:unit_detail", args=[suggestion.pk])
    desk.wait_for_url(url_re(live_server, detail))
    desk.locator("button", has_text="签收").click()
    expect(desk.locator(".alert-success")).to_contain_text("已签收")
    desk.locator("label", has_text="A类：已解决或基本解决").click()
    desk.fill("#reply-text", "经县水利局研究，南冲电排站已列入今年水利建设计划并于汛前建成投入使用。")
    desk.set_input_files(
        "#reply-letter", files=[{"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    screenshot(desk, "5-unit-reply")
    desk.locator("button", has_text="答复代表").click()
    expect(desk.locator(".alert-success")).to_contain_text("答复已送达领衔和附议代表")
    screenshot(desk, "6-unit-replied")

    # 5. The lead deputy reads the reply and rates it on the phone.
    page.goto(live_server.url + reverse("suggestions:m_detail", args=[suggestion.pk]))
    expect(page.locator(".sg-reply")).to_contain_text("南冲电排站已列入今年水利建设计划")
    choice = page.locator("label.sg-rating-choice", has_text="满意").first
    assert choice.bounding_box()["height"] >= MIN_TAP_PX
    choice.tap()
    screenshot(page, "7-rate")
    page.locator("button", has_text="提交评价").tap()
    expect(page.locator(".alert-success")).to_contain_text("您的评价已送达常委会")
    expect(page.locator(".sg-status")).to_have_text("已办结")
    assert_no_horizontal_scroll(page)
    screenshot(page, "8-rated")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.COMPLETED
    assert errors == []
