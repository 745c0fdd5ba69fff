"""People, not logins, are reminded: the outbox delivers each reminder to each person on every
channel they have, marks a message sent only when the provider accepted it, retries what may
pass, holds SMS at night and beyond a number's daily cap, and shows staff what reached whom."""

import json
import re
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from congress import sms
from congress.models import Delivery, Notice, Reminder, ReminderLog
from congress.services import outbox, reminders
from tests.congress.fake_tencent import FakeTencent
from tests.factories import DeputyFactory, TermFactory, UserFactory, deputy_with_login

BEIJING = timezone.get_fixed_timezone(8 * 60)
AFTERNOON = datetime(2026, 11, 16, 15, 0, tzinfo=BEIJING)  # a Monday, office hours
NIGHT = datetime(2026, 11, 16, 22, 30, tzinfo=BEIJING)


def sms_lines(settings) -> list[dict]:
    path = Path(urlsplit(settings.SMS_URL).path) / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def staff_reminder(*, users=(), deputies=(), title="请于本周五前交回述职问题调查问卷", url="/m/", urgent=False):
    reminder = Reminder.objects.create(
        title=title,
        body="县人大常委会办公室",
        url=url,
        urgent=urgent,
        remind_at=timezone.now() - timedelta(minutes=5),
    )
    reminder.recipients.set(users)
    reminder.deputies.set(deputies)
    return reminder


@pytest.fixture
def afternoon():
    with time_machine.travel(AFTERNOON, tick=True):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_deputy_without_login_gets_an_sms_with_a_personal_link_that_opens_the_item(settings, afternoon, client):
    term = TermFactory()
    deputy = DeputyFactory(term=term, name="王秀兰", phone="13902317759")
    staff_reminder(deputies=[deputy], title="请对建议答复进行满意度测评", url="/m/notices/")

    assert reminders.scan() == 0  # no login, so no in-app notice ...
    [line] = sms_lines(settings)  # ... but an SMS, at once (the delivery task ran after commit)
    assert line["phone"] == "13902317759"
    assert line["text"].startswith("请对建议答复进行满意度测评。县人大常委会办公室 http://")
    link = re.search(r"(https?://\S+)", line["text"]).group(1)
    row = Delivery.objects.get(channel=Delivery.Channel.SMS)
    assert row.status == Delivery.Status.SENT and row.person_key == f"deputy:{deputy.pk}"
    assert row.attempts == 1 and row.sent_at is not None

    # The link is the deputy's own: it asks to confirm, then logs them in on the very page.
    path = link.removeprefix(django_settings.SITE_URL)
    assert "王秀兰" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/m/notices/"
    deputy.refresh_from_db()
    assert deputy.user is not None  # the login made on first use


@pytest.mark.django_db(transaction=True)
def test_every_channel_a_person_has_and_one_person_once(settings, afternoon):
    """A deputy with a login, a phone and an email is reached three ways, once each, even when
    named both by login and by roster entry; a deputy with nothing is recorded unreachable."""
    term = TermFactory()
    both = deputy_with_login(term=term, name="李建国", phone="13702317759", email="lijianguo@qh.example.cn")
    nothing = DeputyFactory(term=term, name="赵德明", phone="")
    staff_reminder(users=[both.user], deputies=[both, nothing])

    assert reminders.scan() == 1
    rows = {(r.person_key, r.channel): r for r in Delivery.objects.all()}
    key = f"deputy:{both.pk}"
    assert set(rows) == {(key, "inapp"), (key, "sms"), (key, "email"), (f"deputy:{nothing.pk}", "none")}
    assert {rows[key, c].status for c in ("inapp", "sms", "email")} == {"sent"}
    assert rows[f"deputy:{nothing.pk}", "none"].status == "unreachable"
    assert rows[f"deputy:{nothing.pk}", "none"].reason == "没有登录账号、手机号码和电子邮箱"
    assert [m.to for m in mail.outbox] == [["lijianguo@qh.example.cn"]]
    assert Notice.objects.get(recipient=both.user).emailed_at is not None
    assert len(sms_lines(settings)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_run_sends_nothing_new(settings, afternoon):
    term = TermFactory()
    deputies = [DeputyFactory(term=term) for _ in range(4)]
    staff_reminder(deputies=deputies)

    call_command("send_reminders", stdout=StringIO())
    first = sms_lines(settings)
    call_command("send_reminders", stdout=StringIO())

    assert len(first) == 4 and sms_lines(settings) == first
    assert Delivery.objects.count() == 4 and ReminderLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_provider_down_nothing_marked_sent_then_sent_once_when_it_recovers(settings):
    """Tencent Cloud answers 503: the rows stay queued with the reason and a later attempt;
    once it is back, each message goes once."""
    term = TermFactory()
    deputies = [DeputyFactory(term=term) for _ in range(3)]
    with FakeTencent() as fake:
        settings.SMS_URL = fake.url()
        fake.down = True
        with time_machine.travel(AFTERNOON, tick=False):
            staff_reminder(deputies=deputies)
            reminders.scan()
            rows = list(Delivery.objects.filter(channel="sms"))
            assert {r.status for r in rows} == {"queued"}
            assert all(r.sent_at is None and r.attempts == 1 and "ServerNetworkError" in r.reason for r in rows)
            assert {r.next_attempt_at for r in rows} == {timezone.now() + timedelta(seconds=60)}
            assert outbox.deliver_due() == {"sent": 0, "retry": 0, "failed": 0, "held": 0}  # not due yet
            assert fake.accepted == []

        fake.down = False
        with time_machine.travel(AFTERNOON + timedelta(minutes=2), tick=False):
            assert outbox.deliver_due()["sent"] == 3
            assert outbox.deliver_due()["sent"] == 0

        assert sorted(a["phone"] for a in fake.accepted) == sorted(d.phone for d in deputies)
        assert {a["SessionContext"] for a in fake.accepted} == {r.key for r in rows}
        sent = Delivery.objects.filter(channel="sms")
        assert {(r.status, r.attempts, r.reason) for r in sent} == {("sent", 2, "")}
        assert set(sent.values_list("provider_id", flat=True)) == {a["serial"] for a in fake.accepted}


@pytest.mark.django_db
def test_a_rejected_message_fails_with_the_providers_reason_and_staff_can_retry(settings, client):
    # In the test's transaction the task after commit does not run: the passes are called here.
    term = TermFactory()
    deputy = DeputyFactory(term=term, name="孙桂英", phone="13802317750")
    with FakeTencent() as fake, time_machine.travel(AFTERNOON, tick=True):
        settings.SMS_URL = fake.url()
        fake.reject["13802317750"] = ("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
        staff_reminder(deputies=[deputy])
        reminders.scan()
        assert outbox.deliver_due()["failed"] == 1
        row = Delivery.objects.get(channel="sms")
        assert row.status == "failed"
        assert row.reason == "FailedOperation.TemplateIncorrectOrUnapproved: 模板未审批或内容不匹配"

        # Staff see it among the failed ones, in Chinese, and send it again once fixed.
        client.force_login(UserFactory(username="staff1", roles=["staff"]))
        url = reverse("admin:congress_delivery_changelist")
        page = client.get(url, {"attention": "failed"}).content.decode()
        assert "孙桂英" in page and "模板未审批或内容不匹配" in page and "失败" in page
        del fake.reject["13802317750"]
        response = client.post(url, {"action": "retry", "_selected_action": [row.pk]})
        assert response.status_code == 302
        assert outbox.deliver_due()["sent"] == 1
        row.refresh_from_db()
        assert row.status == "sent" and len(fake.accepted) == 1


@pytest.mark.django_db(transaction=True)
def test_no_sms_at_night_unless_urgent_and_a_daily_cap_per_number(settings):
    term = TermFactory()
    deputy = DeputyFactory(term=term, phone="13602317751")
    settings.SMS_DAILY_CAP = 1
    with time_machine.travel(NIGHT, tick=False):
        staff_reminder(deputies=[deputy], title="明早八点开会")
        staff_reminder(deputies=[deputy], title="防汛紧急会议", urgent=True)
        reminders.scan()
        held = Delivery.objects.get(title="明早八点开会")
        assert held.status == "held" and held.reason == "夜间不发短信，早上发送"
        assert held.next_attempt_at == datetime(2026, 11, 17, 8, 0, tzinfo=BEIJING)
        assert [line["text"][:6] for line in sms_lines(settings)] == ["防汛紧急会议"]

    with time_machine.travel(datetime(2026, 11, 17, 8, 1, tzinfo=BEIJING), tick=False):
        staff_reminder(deputies=[deputy], title="第三条提醒")
        reminders.scan()
        outbox.deliver_due()
        assert Delivery.objects.get(title="明早八点开会").status == "sent"
        third = Delivery.objects.get(title="第三条提醒")
        # One SMS to this number today already (the cap here): the third waits for tomorrow.
        assert third.status == "held" and "上限" in third.reason
        assert third.next_attempt_at == datetime(2026, 11, 18, 8, 0, tzinfo=BEIJING)


@pytest.mark.django_db(transaction=True)
def test_delivery_receipts_from_the_provider(settings):
    term = TermFactory()
    ok, gone = DeputyFactory(term=term, phone="13502317752"), DeputyFactory(term=term, phone="13502317753")
    with FakeTencent() as fake, time_machine.travel(AFTERNOON, tick=True):
        settings.SMS_URL = fake.url()
        fake.undelivered["13502317753"] = "用户手机号码停机"
        staff_reminder(deputies=[ok, gone])
        reminders.scan()
        assert outbox.pull_receipts() == 2
    assert Delivery.objects.get(deputy=ok).status == "delivered"
    failed = Delivery.objects.get(deputy=gone)
    assert failed.status == "failed" and failed.reason == "未送达：用户手机号码停机"


@pytest.mark.django_db(transaction=True)
def test_tencent_gets_the_signature_template_and_parameters_per_kind(settings):
    term = TermFactory()
    deputy = DeputyFactory(term=term, phone="13302317754")
    settings.SMS_TEMPLATES = {"congress.reminder": "1860042"}
    with FakeTencent() as fake, time_machine.travel(AFTERNOON, tick=True):
        settings.SMS_URL = fake.url()
        staff_reminder(deputies=[deputy], title="请交回问卷", url="/m/")
        reminders.scan()
    [request] = [r for r in fake.requests if r["action"] == "SendSms"]
    body = request["body"]
    assert body["SignName"] == "清河县人大常委会" and body["SmsSdkAppId"] == "1400787878"
    assert body["TemplateId"] == "1860042" and body["PhoneNumberSet"] == ["+8613302317754"]
    assert body["TemplateParamSet"][0] == "请交回问卷" and "/m/link/" in body["TemplateParamSet"][1]
    assert request["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDfake/")


@pytest.mark.django_db(transaction=True)
def test_broker_down_after_the_scans_commit_the_sweep_sends(settings, broker_down, caplog):
    """The delivery task cannot be queued (no broker): the scan still commits its rows, and the
    beat's sweep delivers them."""
    from congress.tasks import sweep_outbox

    term = TermFactory()
    deputies = [DeputyFactory(term=term) for _ in range(3)]
    with time_machine.travel(AFTERNOON, tick=True):
        staff_reminder(deputies=deputies)
        reminders.scan()
        assert broker_down.attempts >= 1  # it tried, and failed
        assert "could not queue the delivery task" in caplog.text
        assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}
        assert sms_lines(settings) == []
        counts = sweep_outbox.apply().get()
    assert counts["sent"] == 3
    assert sorted(line["phone"] for line in sms_lines(settings)) == sorted(d.phone for d in deputies)


@pytest.fixture
def broker_down(monkeypatch):
    """Celery publishing for real (not eagerly) to a broker nobody listens on, a closed port.
    The app's connection pools are set aside and given back afterwards, so no other test sees
    this broker."""
    from congress.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_publish_retry")}
    pools = (app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_publish_retry = False

    class Probe:
        attempts = 0

    probe = Probe()
    original = outbox.enqueue

    def counting():
        probe.attempts += 1
        original()

    monkeypatch.setattr(outbox, "enqueue", counting)
    try:
        yield probe
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        for key, value in saved.items():
            app.conf[key] = value
        app._pool, app.amqp._producer_pool = pools


@pytest.mark.django_db(transaction=True)
def test_a_claim_left_by_a_killed_worker_is_taken_over_and_each_message_goes_once(settings):
    """A worker claimed rows and wrote one SMS to the provider, then died before recording it.
    Once its claim runs out the next pass sends the rest; the provider's key keeps the one it
    had accepted single."""
    term = TermFactory()
    deputies = [DeputyFactory(term=term) for _ in range(3)]
    with time_machine.travel(AFTERNOON, tick=False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(outbox, "enqueue", lambda: None)  # no task: the dead worker is simulated here
            staff_reminder(deputies=deputies)
            reminders.scan()
        token, rows = outbox._claim(timezone.now(), 10)
        first = rows[0]
        sms.provider().send(sms.Sms(first.address, first.text, (), "congress.reminder", first.key))
        # ... killed here. A pass within the claim takes nothing.
        assert outbox.deliver_due()["sent"] == 0
    with time_machine.travel(AFTERNOON + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 1), tick=False):
        assert outbox.deliver_due()["sent"] == 3
    lines = sms_lines(settings)
    assert sorted(line["phone"] for line in lines) == sorted(d.phone for d in deputies)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_staff_see_the_reach_of_a_reminder_in_chinese(client, django_assert_max_num_queries):
    term = TermFactory()
    with_login = deputy_with_login(term=term, name="刘玉梅")
    phone_only = [DeputyFactory(term=term, name=f"张{n}") for n in "一二三"]
    no_channel = DeputyFactory(term=term, name="陈无号", phone="")
    staff_reminder(deputies=[with_login, *phone_only, no_channel], title="请参加执法检查")
    reminders.scan()  # a test transaction: the delivery task would run after a commit, so SMS wait
    log = ReminderLog.objects.get()

    client.force_login(UserFactory(username="staff1", roles=["staff"]))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("admin:congress_reminderlog_changelist")).content.decode()
    assert "5 人：站内 1，短信 0，邮件 0；待发 4，失败 1" in page

    page = client.get(reverse("admin:congress_reminderlog_reach", args=[log.pk])).content.decode()
    assert "送达情况" in page and "涉及 5 人" in page
    assert "陈无号" in page and "没有登录账号、手机号码和电子邮箱" in page and "无法送达" in page
    assert "刘玉梅" in page and "已发送" in page and "排队" in page

    # Per person: what they were sent.
    page = client.get(reverse("admin:congress_delivery_changelist"), {"person_key": f"deputy:{with_login.pk}"})
    assert page.context["cl"].result_count == 2  # in-app and SMS


@pytest.mark.django_db
def test_the_setup_page_says_whether_sms_really_leaves(settings):
    from congress import selectors

    settings.SMS_URL = "file:///tmp/sms"
    assert next(i for i in selectors.setup_checklist() if i["key"] == "channels")["sms"] is False
    settings.SMS_URL = "console://"
    assert next(i for i in selectors.setup_checklist() if i["key"] == "channels")["sms"] is False
    settings.SMS_URL = "tencent://AKID:key@sms.tencentcloudapi.com?sdk_app_id=1400&sign=县人大&template=1"
    assert next(i for i in selectors.setup_checklist() if i["key"] == "channels")["sms"] is True


def test_celery_settings_fit_the_outbox():
    """Delivery tasks are acknowledged late; the sweep comes round more often than the broker
    would hand a killed worker's task to another, and a killed worker's claim runs out before
    the next sweep, so the outbox never waits for the broker."""
    from congress.tasks import deliver_outbox, sweep_outbox

    assert deliver_outbox.acks_late is True and sweep_outbox.acks_late is True
    assert django_settings.OUTBOX_CLAIM_SECONDS < django_settings.OUTBOX_SWEEP_SECONDS
    assert "deliver-outbox" in django_settings.CELERY_BEAT_SCHEDULE
    if "visibility_timeout" in getattr(django_settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}):
        visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert visibility > django_settings.OUTBOX_SWEEP_SECONDS


@pytest.mark.django_db(transaction=True)
def test_the_demo_county_reaches_deputies_without_login_by_sms(settings, client):
    """``manage.py send_reminders`` on the demo county writes SMS for the due reminders, among
    them to deputies who have no login, each with a personal link that works; a second run
    writes nothing new."""
    from congress import demo
    from congress.models import Deputy

    with time_machine.travel(AFTERNOON, tick=True):
        assert demo.load_demo() is True
        call_command("send_reminders", stdout=StringIO())
        lines = sms_lines(settings)
        call_command("send_reminders", stdout=StringIO())
        assert sms_lines(settings) == lines

    assert len(lines) >= 80
    assert len({line["key"] for line in lines}) == len(lines)
    by_phone = {d.phone: d for d in Deputy.objects.filter(phone__in=[line["phone"] for line in lines])}
    without_login = [line for line in lines if line["phone"] in by_phone and by_phone[line["phone"]].user_id is None]
    assert len(without_login) >= 80
    line = without_login[0]
    deputy = by_phone[line["phone"]]
    path = re.search(r"https?://\S+", line["text"]).group(0).removeprefix(django_settings.SITE_URL)
    assert path.startswith("/m/link/")
    assert deputy.name in client.get(path).content.decode()
    assert client.post(path)["Location"] == "/m/"
    assert client.get("/m/").status_code == 200
