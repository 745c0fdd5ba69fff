"""The roll from the roster: everyone present by default, the absent marked with the reason, one save."""

import pytest
from django.urls import reverse

from congress.models import Attendance, Member
from congress.services import meetings, voting
from tests.factories import DeputyFactory, MeetingFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
    return client


def test_sixty_deputies_present_by_default_two_marked_absent_with_the_reason(office):
    term = TermFactory()
    meeting = MeetingFactory(term=term, title="县人大常委会2026年度部门工作评议大会")
    people = [DeputyFactory(term=term) for _ in range(60)]
    url = reverse("admin:congress_meeting_roll", args=[meeting.pk])
    page = office.get(url + "?roster=deputies")
    assert page.status_code == 200
    shown = page.context["people"]
    assert len(shown) == 60 and {p.roll_status for p in shown} == {"present"}

    data = {"deputy": [str(p.pk) for p in people]}
    data[f"status_{people[0].pk}"] = "leave"
    data[f"reason_{people[0].pk}"] = "因公出差"
    data[f"status_{people[1].pk}"] = "absent"
    data[f"reason_{people[1].pk}"] = "病假"
    done = office.post(url, data)
    assert done.status_code == 302
    rows = {a.deputy_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 60
    assert (rows[people[0].pk].status, rows[people[0].pk].reason) == ("leave", "因公出差")
    assert (rows[people[1].pk].status, rows[people[1].pk].reason) == ("absent", "病假")
    assert sum(1 for a in rows.values() if a.status == "present") == 58

    # The poll's electorate follows the roll: the 58 present.
    poll = voting.open_poll(
        voting.create_poll(meeting, title="满意度测评", kind="satisfaction", items=["县教育局"], electorate="attendees")
    )
    assert poll.eligible_count == 58


def test_an_absence_without_a_reason_is_refused_and_nothing_recorded(office):
    term = TermFactory()
    meeting = MeetingFactory(term=term)
    people = [DeputyFactory(term=term) for _ in range(3)]
    url = reverse("admin:congress_meeting_roll", args=[meeting.pk])
    data = {"deputy": [str(p.pk) for p in people], f"status_{people[2].pk}": "absent"}
    response = office.post(url, data, follow=True)
    assert any(people[2].name in str(m) for m in response.context["messages"])
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_the_roll_taken_again_updates_and_members_are_a_roster():
    term = TermFactory()
    meeting = MeetingFactory(term=term)
    people = [DeputyFactory(term=term) for _ in range(4)]
    for p in people[:2]:
        Member.objects.create(term=term, deputy=p)
    meetings.take_roll(meeting, {p.pk: ("present", "") for p in people}, by=None)
    meetings.take_roll(meeting, {people[3].pk: ("leave", "请假外出")}, by=None)
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert Attendance.objects.get(meeting=meeting, deputy=people[3]).status == "leave"
    from congress import selectors

    assert {p.pk for p in selectors.roll_of(meeting, "members")} == {people[0].pk, people[1].pk}
    assert {p.roll_status for p in selectors.roll_of(meeting, "attendance")} == {"present", "leave"}


def test_someone_of_another_term_is_refused():
    meeting = MeetingFactory()
    stranger = DeputyFactory(term=TermFactory(number=99, is_current=False))
    with pytest.raises(meetings.RollError):
        meetings.take_roll(meeting, {stranger.pk: ("present", "")}, by=None)
