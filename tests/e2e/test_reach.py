"""Staff see what reached whom, in a real browser: the reminders sent with their reach, one
reminder's page listing each person and each channel (who could not be reached and why), the
failed deliveries with the provider's reason, and a retry that sends once the cause is fixed."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from congress.models import Delivery, Reminder
from congress.services import reminders
from tests.congress.fake_tencent import FakeTencent
from tests.e2e.conftest import watch_errors
from tests.factories import DeputyFactory, TermFactory, deputy_with_login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def test_staff_see_the_reach_of_a_reminder_and_retry_a_failed_sms(desktop, live_server, screenshot, settings):
    term = TermFactory()
    with_login = deputy_with_login(term=term, name="刘玉梅", phone="13902317701", email="liuyumei@qh.example.cn")
    by_phone = [
        DeputyFactory(term=term, name=name, phone=phone)
        for name, phone in [("张建华", "13902317702"), ("王桂兰", "13902317703"), ("李振国", "13902317704")]
    ]
    nothing = DeputyFactory(term=term, name="陈守田", phone="")
    reminder = Reminder.objects.create(
        title="请参加12月5日城关镇代表小组集中视察活动",
        body="上午8:30在县人大常委会门前集合。",
        url="/m/",
        urgent=True,  # whatever the hour the test runs at
        remind_at=timezone.now() - timedelta(minutes=5),
    )
    reminder.deputies.set([with_login, *by_phone, nothing])
    get_user_model().objects.create_superuser("office", "office@qh.example.cn", "Renda-2026")

    with FakeTencent() as fake:
        settings.SMS_URL = fake.url()
        fake.reject["13902317704"] = ("FailedOperation.PhoneNumberInBlacklist", "手机号在免打扰名单库中")
        reminders.scan()
        assert Delivery.objects.filter(status="sent", channel="sms").count() == 3

        page = desktop.new_page()
        errors = watch_errors(page)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", "Renda-2026")
        page.click("input[type=submit]")

        page.goto(f"{live_server.url}/admin/congress/reminderlog/")
        reach = page.locator("td.field-reach a")
        expect(reach).to_have_text("5 人：站内 1，短信 3，邮件 1；待发 0，失败 2")
        screenshot(page, "1-reminders-sent")
        reach.click()

        expect(page.locator("h1")).to_have_text("送达情况：工作人员设置的提醒")
        expect(page.locator("#reach-summary")).to_contain_text("涉及 5 人")
        expect(page.locator("#reach-unreached")).to_have_text("2 人尚未送达（见下表）。")
        row = page.locator(f"#reach-deputy{nothing.pk}")
        expect(row).to_contain_text("无法送达")
        expect(row).to_contain_text("没有登录账号、手机号码和电子邮箱")
        expect(page.locator(f"#reach-deputy{by_phone[2].pk}")).to_contain_text("手机号在免打扰名单库中")
        expect(page.locator(f"#reach-deputy{with_login.pk}")).to_contain_text("已发送")
        screenshot(page, "2-reach")

        page.click("text=本提醒的全部发送记录")
        page.goto(page.url + "&attention=failed")
        # The SMS the provider refused, and the deputy nothing could reach.
        expect(page.locator("#result_list tbody tr")).to_have_count(2)
        refused = page.locator("#result_list tbody tr", has_text="李振国")
        expect(refused).to_contain_text("FailedOperation.PhoneNumberInBlacklist")
        expect(page.locator("#result_list tbody tr", has_text="陈守田")).to_contain_text("无法送达")
        screenshot(page, "3-failed")

        del fake.reject["13902317704"]  # the deputy asked their carrier to let the office through
        refused.locator("input.action-select").check()
        page.select_option("select[name=action]", label="重新发送所选消息")
        page.click("button[name=index]")
        expect(page.locator("ul.messagelist")).to_contain_text("已重新排队发送 1 条消息。")
        screenshot(page, "4-retried")

        failed = Delivery.objects.get(deputy=by_phone[2], channel="sms")
        assert failed.status == "sent" and [a["phone"] for a in fake.accepted].count("13902317704") == 1

        page.goto(f"{live_server.url}/admin/congress/deputy/")
        page.locator("#result_list tr", has_text="刘玉梅").locator("td.field-sent a").click()
        expect(page.locator("#result_list tbody tr")).to_have_count(3)  # in-app, SMS and email
        screenshot(page, "5-one-person")
    assert errors == []
