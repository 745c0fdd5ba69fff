"""The demo county comes with a year of supervision: 27 units on the board, their calendars with
what was held so far, a missed visit the reminder engine picks up, a special inquiry held and
deliberation opinions published; loaded once."""

import re

import pytest
from django.utils import timezone

from congress import demo
from congress.models import Notice, User
from congress.services import reminders
from oversight import selectors
from oversight.demo import load_oversight_demo
from oversight.models import Activity, Commitment, Deliberation, SpecialInquiry

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_year_of_supervision(client):
    demo.load_demo()
    demo.load_extensions()
    year = timezone.localdate().year
    board = selectors.board(year)
    assert len(board) == 27 and all(row.total >= 4 for row in board)
    assert Commitment.objects.filter(year=year, state=Commitment.State.DONE).exists()
    assert Commitment.objects.filter(year=year, state=Commitment.State.REPORTED).exists()  # for the commission
    assert Activity.objects.filter(year=year).count() == 27 * 19
    water = Activity.objects.filter(
        unit__name="县水利局", year=year, status="planned", planned_on__lt=timezone.localdate()
    )
    assert water.filter(kind="visit").count() == 1  # the one missed visit
    assert Activity.objects.filter(year=year, status="held").count() > 27 * 10
    assert SpecialInquiry.objects.get().questions.count() == 3
    deliberation = Deliberation.objects.get()
    assert deliberation.published_at and deliberation.rectification.status == "delivered"
    assert load_oversight_demo() is False  # loaded once
    # Every unit's liaison has a mobile number on an allocated segment, held by nobody else.
    liaison_phones = list(User.objects.filter(unit__isnull=False).values_list("phone", flat=True))
    assert len(liaison_phones) >= 27 and all(re.fullmatch(r"1[3-9]\d{9}", p) for p in liaison_phones)
    assert len(set(liaison_phones)) == len(liaison_phones)

    reminders.scan()
    assert Notice.objects.filter(reminder__kind="oversight.activity.overdue", title__contains="水利局").exists()

    client.force_login(User.objects.get(username="staff"))
    page = client.get(f"/admin/oversight/activity/year/?year={year}").content.decode()
    assert "县水利局" in page and "年度监督工作统计" in page
