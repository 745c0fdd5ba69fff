"""Deadlines with a moved clock: the unit before its reply or views are due and when late, the
office when late, the deputy to rate a reply; each reminder exactly once however often the
scan runs, and a new due date (an extension) brings one new reminder."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from congress.models import Notice
from congress.services import reminders
from suggestions import services
from tests.factories import MemberFactory, UnitFactory, deputy_with_login, liaison_for
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db


def scan_twice(when) -> tuple[int, int]:
    with time_machine.travel(when):
        return reminders.scan(), reminders.scan()


def titles(user) -> list[str]:
    return list(
        Notice.objects.filter(recipient=user, reminder__isnull=False).order_by("pk").values_list("title", flat=True)
    )


def test_reply_deadline_reminders_to_the_unit_and_the_office_exactly_once():
    office = f.staff_user()
    co_unit = UnitFactory(name="县财政局")
    co_liaison = liaison_for(co_unit)
    suggestion, lead, liaison = f.assigned(by=office, co_units=[co_unit])
    co = suggestion.assignments.get(unit=co_unit)
    due = timezone.localtime(lead.due_at).date().isoformat()
    views_due = timezone.localtime(co.views_due_at).date().isoformat()

    assert scan_twice(lead.assigned_at + timedelta(days=1)) == (0, 0)
    # 7 days before the co-unit's views are due (1 month): the co-unit only.
    assert scan_twice(co.views_due_at - timedelta(days=6)) == (1, 0)
    assert titles(co_liaison) == [f"{views_due}前须向主办单位提交会办意见：{suggestion.title}"]
    # Views late: the co-unit and the office.
    assert scan_twice(co.views_due_at + timedelta(hours=1)) == (2, 0)
    assert titles(office) == [f"会办意见已逾期（期限{views_due}）：县财政局，{suggestion.title}"]

    # 7 days before the reply is due (3 months): the lead unit.
    assert scan_twice(lead.due_at - timedelta(days=6)) == (1, 0)
    assert titles(liaison) == [f"{due}前须答复：{suggestion.title}"]
    # Late: the lead unit and the office, once.
    assert scan_twice(lead.due_at + timedelta(days=1)) == (2, 0)
    assert titles(liaison)[-1] == f"答复已逾期（期限{due}）：县水利局，{suggestion.title}"
    assert scan_twice(lead.due_at + timedelta(days=20)) == (0, 0)


def test_an_approved_extension_brings_new_reminders_and_a_reply_stops_them():
    office = f.staff_user()
    suggestion, lead, liaison = f.assigned(by=office)
    services.request_extension(lead, reason="需申请上级专项资金", by=liaison)
    services.decide_extension(lead, approve=True, by=office)
    lead.refresh_from_db()
    three_months = lead.assigned_at + timedelta(days=92)
    assert scan_twice(three_months) == (0, 0)  # no longer due at 3 months
    assert scan_twice(lead.due_at - timedelta(days=6)) == (1, 0)
    with time_machine.travel(lead.due_at - timedelta(days=5)):
        services.reply_suggestion(lead, category="A", text="已解决。", letter=f.letter(), by=liaison)
    assert scan_twice(lead.due_at + timedelta(days=1)) == (0, 0)


def test_the_deputy_is_reminded_to_rate_a_reply_once_and_not_after_rating():
    suggestion, lead, liaison = f.assigned()
    reply = services.reply_suggestion(
        lead, category="C", text="受资金限制，拟明年实施。", letter=f.letter(), by=liaison
    )
    deputy_user = suggestion.lead_deputy.user
    assert scan_twice(reply.replied_at + timedelta(days=14)) == (0, 0)
    assert scan_twice(reply.replied_at + timedelta(days=15, minutes=1)) == (1, 0)
    assert titles(deputy_user) == [f"请评价您所提建议的答复：{suggestion.title}"]

    other, lead2, liaison2 = f.assigned(deputy_with_login(name="赵全"), unit=UnitFactory(name="县交通运输局"))
    rated = services.reply_suggestion(lead2, category="A", text="已修复。", letter=f.letter(), by=liaison2)
    services.rate_reply(rated, deputy=other.lead_deputy, rating="satisfied")
    assert scan_twice(rated.replied_at + timedelta(days=16)) == (0, 0)


def test_rehandling_after_unsatisfied_has_its_own_one_month_deadline():
    office = f.staff_user()
    suggestion, lead, liaison = f.assigned(by=office)
    reply = services.reply_suggestion(lead, category="A", text="已解决。", letter=f.letter(), by=liaison)
    services.rate_reply(reply, deputy=suggestion.lead_deputy, rating="unsatisfied", comment="并未解决")
    lead.refresh_from_db()
    assert timedelta(days=27) < lead.due_at - timezone.now() < timedelta(days=32)
    assert scan_twice(lead.due_at + timedelta(hours=2)) == (2, 0)


def test_key_suggestion_tracking_steps_are_reminded_to_who_does_them():
    office = f.staff_user()
    suggestion, lead, liaison = f.assigned(by=office)
    leader = MemberFactory(position="vice_director")
    from congress.services import accounts

    accounts.ensure_deputy_user(leader.deputy)
    leader.deputy.refresh_from_db()
    key = services.designate_key(suggestion, supervisor=leader, decided_on=timezone.localdate(), by=office)
    monthly = key.tracking.get(kind="monthly", period=1)
    quarterly = key.tracking.get(kind="quarterly", period=1)
    assert scan_twice(monthly.due_at - timedelta(days=2)) == (1, 0)
    assert titles(liaison) == [
        f"重点建议“一月一情况”将于{timezone.localtime(monthly.due_at).date()}到期：{suggestion.title}"
    ]
    with time_machine.travel(quarterly.due_at - timedelta(days=2)):
        sent = reminders.scan()
    # The quarter's check (office and the supervising leader), the third month's status and,
    # three months after assignment, the reply itself (both to the unit).
    assert sent == 4
    assert len(titles(leader.deputy.user)) == 1
