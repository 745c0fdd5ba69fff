"""Questionnaires in a real browser, on a phone in WeChat (zh-CN): a deputy opens their
personal QR link and answers; a citizen answers through the 评议码; staff see both in the
results, with the charts drawn."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congress.services import accounts
from surveys.models import Response, Survey
from tests import factories
from tests.e2e.conftest import MIN_TAP_PX, assert_no_horizontal_scroll, url_re, watch_errors
from tests.surveys.factories import topic_survey

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def answer_on_the_phone(page, *, satisfied: str, topics: list[str], text: str) -> None:
    form = page.locator("form.survey-form")
    form.locator("label.survey-choice", has_text=satisfied).first.tap()
    form.locator(".survey-rating label", has_text="4").tap()
    for topic in topics:
        form.locator("label.survey-choice", has_text=topic).tap()
    form.locator("select").select_option(label=factories.UNIT_NAMES_27[2])
    form.locator("textarea").fill(text)


def test_a_deputy_answers_by_qr_link_a_citizen_by_code_and_staff_see_both(
    live_server, phone, desktop, screenshot, browser
):
    deputy = factories.deputy_with_login(name="王秀兰")
    for_deputies = topic_survey(title="2026年度述职评议问题征集（代表）")
    public = topic_survey(audience=Survey.Audience.PUBLIC, title="2026年度述职评议问题征集（群众）")
    answer_path = reverse("surveys:answer", args=[for_deputies.pk])

    # 1. The deputy scans the personal QR code printed for this questionnaire.
    page = phone.new_page()
    errors = watch_errors(page)
    link = live_server.url + reverse("deputy_link_login", args=[accounts.login_token(deputy)]) + f"?next={answer_path}"
    page.goto(link)
    page.locator("main form button[type=submit]").tap()
    page.wait_for_url(url_re(live_server, answer_path))
    expect(page.locator("h1")).to_contain_text(for_deputies.title)
    assert_no_horizontal_scroll(page)
    box = page.locator("label.survey-choice").first.bounding_box()
    assert box["height"] >= MIN_TAP_PX
    screenshot(page, "deputy-form")
    answer_on_the_phone(
        page, satisfied="较满意", topics=["城区停车难问题", "农村饮水安全"], text="建议回应城区停车难问题"
    )
    page.locator("form.survey-form button[type=submit]").tap()
    page.wait_for_url(url_re(live_server, answer_path))
    expect(page.locator(".alert-success").first).to_contain_text("答卷已收到")
    expect(page.locator(".survey-received")).to_be_visible()
    screenshot(page, "deputy-received")
    assert Response.objects.filter(survey=for_deputies, deputy=deputy).count() == 1

    # Too many topics: refused by the server with a message, nothing changed.
    page.locator("label.survey-choice", has_text="营商环境优化").tap()
    page.locator("label.survey-choice", has_text="养老服务体系建设").tap()
    page.locator("form.survey-form button[type=submit]").tap()
    expect(page.locator(".alert-danger")).to_contain_text("至多选择3项")
    screenshot(page, "deputy-too-many")
    assert errors == [f"400 {live_server.url}{answer_path}"]  # the refusal itself, and nothing else
    errors.clear()
    assert Response.objects.get(survey=for_deputies, deputy=deputy).answers.filter(choice__isnull=False).count() == 3

    # 2. A citizen scans the poster's QR code (or types the 评议码) on another phone.
    citizen = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    try:
        other = citizen.new_page()
        errors += watch_errors(other)
        other.goto(live_server.url + reverse("surveys:public_entry"))
        other.fill("input[name=code]", public.code.lower())
        other.locator("main button[type=submit]").tap()
        other.wait_for_url(url_re(live_server, reverse("surveys:public_answer", args=[public.code])))
        assert_no_horizontal_scroll(other)
        answer_on_the_phone(other, satisfied="不满意", topics=["基层医疗服务能力"], text="乡镇卫生院夜间没有医生值班")
        other.fill("#contact-name", "李大爷")
        screenshot(other, "citizen-form")
        other.locator("form.survey-form button[type=submit]").tap()
        other.wait_for_url(url_re(live_server, reverse("surveys:public_thanks", args=[public.code])))
        expect(other.locator("h1")).to_contain_text("感谢")
        screenshot(other, "citizen-thanks")
    finally:
        citizen.close()
    assert Response.objects.get(survey=public).name == "李大爷"

    # 3. Staff read the results of both in the back office.
    factories.UserFactory(username="wenjuan", roles=["staff"])
    office = desktop.new_page()
    errors += watch_errors(office)
    for survey, words in ((for_deputies, "建议回应城区停车难问题"), (public, "乡镇卫生院夜间没有医生值班")):
        path = reverse("admin:surveys_survey_results", args=[survey.pk])
        office.goto(live_server.url + path)
        if "login" in office.url:
            office.fill("#id_username", "wenjuan")
            office.fill("#id_password", "Renda-2026")
            office.locator("#login-form [type=submit]").click()
            office.wait_for_url(url_re(live_server, path))
        expect(office.locator(".survey-total")).to_contain_text("1")
        expect(office.locator(".survey-texts")).to_contain_text(words)
        expect(office.locator(".survey-chart svg").first).to_be_visible()
        screenshot(office, f"results-{survey.audience}")
    expect(office.locator("#response-rates")).to_have_count(0)  # the public questionnaire has none
    assert not errors, errors
