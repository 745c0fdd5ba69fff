"""Rules of the seeds set where staff set up the work: 廉江's three-month report deadline,
chosen on the campaign's form in the back office, is what the reminders and the ledger follow."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from congress.models import Meeting, ReminderLog
from congress.services import reminders, voting
from evaluations import selectors
from evaluations.models import Campaign, Rectification
from evaluations.services import meeting
from evaluations.services import rectification as rect
from tests.congress.test_hostile_exports import admin_form_post, form_errors
from tests.evaluations.factories import S, U, vote, work_campaign_in_meeting
from tests.factories import UserFactory, liaison_for

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DELIVERY = datetime.datetime(2026, 10, 31, 10, 0, tzinfo=TZ)


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def decided_campaign():
    campaign, poll, voters = work_campaign_in_meeting(n_units=2, n_voters=2)
    vote(poll, voters, [[U, S], [S, S]])
    voting.close_poll(poll)
    meeting.decide_results(campaign)
    return campaign


def report_kinds(rectification):
    return set(
        ReminderLog.objects.filter(kind__startswith="evaluations.rectification.report").values_list("kind", flat=True)
    )


def test_a_three_month_report_set_on_the_campaign_form_drives_reminders_and_the_ledger(office):
    campaign = decided_campaign()
    assert campaign.report_months == 2  # the default, until the office says otherwise
    url = reverse("admin:evaluations_campaign_change", args=[campaign.pk])
    saved = admin_form_post(office, url, {"report_months": "3"})
    assert saved.status_code == 302, form_errors(saved)
    campaign.refresh_from_db()
    assert campaign.report_months == 3

    subject = campaign.subjects.order_by("sort_order").first()
    liaison_for(subject.unit, username="jiaoyuju")
    rect.add_opinion(subject, finding="城区学校大班额问题突出", action="制定化解大班额三年计划")
    rectification = Rectification.objects.get(subject=subject)
    assert (rectification.plan_months, rectification.report_months) == (1, 3)
    rect.approve_opinions(rectification, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
    with time_machine.travel(DELIVERY, tick=False):
        rect.deliver_opinions(rectification)
    rectification.refresh_from_db()
    three_months = datetime.datetime(2027, 1, 31, 10, 0, tzinfo=TZ)
    assert rectification.report_due_at == three_months

    # The ledger shows the item due at three months, not two.
    with time_machine.travel(DELIVERY + datetime.timedelta(days=1), tick=False):
        rows = selectors.ledger()
    assert [row.deadline for row in rows] == [three_months.date()]
    ledger = office.get(reverse("admin:evaluations_rectification_ledger")).content.decode()
    assert "2027-01-31" in ledger and "2026-12-31" not in ledger

    # Where a two-month report would be late, nothing is said; at three months it is.
    two_months = datetime.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)
    with time_machine.travel(two_months + datetime.timedelta(hours=1), tick=False):
        reminders.scan()
    assert "evaluations.rectification.report.late" not in report_kinds(rectification)
    with time_machine.travel(three_months - datetime.timedelta(days=6), tick=False):
        reminders.scan()
    assert report_kinds(rectification) == {"evaluations.rectification.report.soon"}
    with time_machine.travel(three_months + datetime.timedelta(hours=1), tick=False):
        reminders.scan()
    assert "evaluations.rectification.report.late" in report_kinds(rectification)


def test_a_rectification_s_deadlines_are_set_while_drafting_and_fixed_once_delivered(office):
    campaign = decided_campaign()
    subject = campaign.subjects.order_by("sort_order").first()
    rect.add_opinion(subject, finding="校舍维修资金拨付滞后", action="建立维修资金直拨机制")
    rectification = Rectification.objects.get(subject=subject)
    url = reverse("admin:evaluations_rectification_change", args=[rectification.pk])

    refused = admin_form_post(office, url, {"plan_months": "3", "report_months": "2"})
    assert refused.status_code == 200 and any("晚于" in e or "之后" in e for e in form_errors(refused))
    saved = admin_form_post(office, url, {"report_months": "3"})
    assert saved.status_code == 302, form_errors(saved)
    rectification.refresh_from_db()
    assert rectification.report_months == 3

    rect.approve_opinions(rectification, meeting=Meeting.objects.get(kind=Meeting.Kind.DIRECTORS))
    with time_machine.travel(DELIVERY, tick=False):
        rect.deliver_opinions(rectification)
    rectification.refresh_from_db()
    assert rectification.report_due_at.date() == datetime.date(2027, 1, 31)
    page = office.get(url).content.decode()
    assert 'name="report_months"' not in page  # the clocks run from delivery: fixed now
    assert Campaign.objects.get(pk=campaign.pk).report_months == 2  # the campaign's rule untouched


def test_the_verdict_rule_is_set_in_words_on_the_campaign_form(office):
    campaign = decided_campaign()
    url = reverse("admin:evaluations_campaign_change", args=[campaign.pk])
    page = office.get(url).content.decode()
    assert 'name="pass_ratio"' not in page and "满意率超过" in page
    saved = admin_form_post(office, url, {"pass_rule": "rate_reach", "pass_percent": "60"})
    assert saved.status_code == 302, form_errors(saved)
    campaign.refresh_from_db()
    assert (str(campaign.pass_ratio), campaign.pass_strictly) == ("0.600", False)
