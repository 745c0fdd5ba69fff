"""Every back-office list is bounded in queries: the count does not grow with its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import Attendance, Notice
from congress.services import voting
from tests.factories import (
    CommissionFactory,
    DeputyFactory,
    MeetingFactory,
    MemberFactory,
    OfficialFactory,
    UserFactory,
    liaison_for,
    meeting_with_attendees,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "congress_deputy",
    "congress_member",
    "congress_unit",
    "congress_official",
    "congress_meeting",
    "congress_deputygroup",
    "congress_commission",
    "congress_user",
    "congress_notice",
    "congress_poll",
]


def grow(n):
    for _ in range(n):
        deputy = DeputyFactory()
        MemberFactory(deputy=deputy, term=deputy.term)
        official = OfficialFactory()
        liaison_for(official.unit)
        meeting = MeetingFactory(term=deputy.term)
        Attendance.objects.create(meeting=meeting, deputy=deputy)
        Notice.objects.create(recipient=UserFactory(), title="通知")
        meeting, _ = meeting_with_attendees(2)
        voting.open_poll(voting.create_poll(meeting, title="测评", kind="satisfaction", items=["县水利局", "县民政局"]))
    CommissionFactory()


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_changelist_queries_do_not_grow_with_rows(client):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    urls = {name: reverse(f"admin:{name}_changelist") for name in CHANGELISTS}
    grow(2)
    for url in urls.values():
        queries(client, url)  # warm the per-process caches (content types, committee name)
    few = {name: queries(client, url) for name, url in urls.items()}
    grow(6)
    many = {name: queries(client, url) for name, url in urls.items()}
    assert many == few


def test_back_office_home_is_bounded(client, django_assert_max_num_queries):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    grow(5)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:index")).status_code == 200


def test_members_and_officials_are_named_in_one_query(django_assert_num_queries):
    """A member is named by the deputy, an official by the unit: every list or choice of them
    (the leader of a rectification, the reporter of a duty evaluation …) reads those with them."""
    from congress.models import Member, Official

    for _ in range(4):
        MemberFactory()
        OfficialFactory()
    with django_assert_num_queries(1):
        members = [str(member) for member in Member.objects.all()]
    with django_assert_num_queries(1):
        officials = [str(official) for official in Official.objects.filter(active=True)]
    assert len(members) == 4 and len(officials) == 4
    assert all("（" in name for name in members + officials)


@pytest.mark.parametrize("name", ["congress_deputy", "congress_reminderlog", "auditlog_logentry"])
def test_a_list_counts_its_rows_once_searched_or_not(client, name):
    """The rows the search leaves, not the whole table again (Django's "(12,000 total)"): the
    project's lists and the libraries' alike; the list offers "Show all" instead."""
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    grow(2)
    url = reverse(f"admin:{name}_changelist")
    for query in ("", "?q=%E5%BC%A0"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url + query).status_code == 200
        counts = [
            q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(") and f'"{name}"' in q["sql"]
        ]
        assert len(counts) == 1, counts
