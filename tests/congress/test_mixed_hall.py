"""A mixed hall: one poll voted by members and deputies with their own link and by people
holding a printed deputy's code (代表码), each person counted once, whichever way they vote."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from congress import selectors
from congress.models import Ballot, Participation, Poll, PollResult, PollVoter, VoterCode
from congress.services import voting
from congress.services.voting import AlreadyVoted, Voter, VotingError
from tests.concurrency import in_thread
from tests.factories import UNIT_NAMES_27, UserFactory, meeting_with_attendees


def mixed_poll(meeting, items=UNIT_NAMES_27[:3]):
    poll = voting.create_poll(meeting, title="对县政府组成部门工作满意度测评", kind="satisfaction", items=list(items))
    return voting.open_poll(poll)


def sheet(poll, *levels):
    return {str(item.pk): level for item, level in zip(poll.items.order_by("sort_order"), levels, strict=False)}


def fields(poll, *levels):
    return {f"item-{item.pk}": level for item, level in zip(poll.items.order_by("sort_order"), levels, strict=False)}


@pytest.mark.django_db
class TestOnePersonOneVote:
    def test_a_deputys_code_votes_as_its_person_in_their_group(self):
        meeting, people = meeting_with_attendees(2, 1)  # two attending deputies, one member
        member = people[2]
        codes = dict(voting.issue_deputy_codes(meeting, [people[0], member], by=None))
        poll = mixed_poll(meeting)
        assert poll.eligible_count == 3  # the slips add no one: they are the same people

        voting.cast_ballot(poll, Voter(code=codes[member]), sheet(poll, "satisfied", "satisfied", "basic"))
        voting.cast_ballot(poll, Voter(deputy=people[1]), sheet(poll, "unsatisfied", "basic", "basic"))

        recorded = Participation.objects.get(poll=poll, code__isnull=False)
        assert recorded.voter.deputy == member
        assert selectors.has_voted(poll, deputy=member) and selectors.has_voted(poll, code=codes[member])
        assert not selectors.has_voted(poll, code=codes[people[0]])
        assert selectors.voters_yet_to_vote(poll) == [PollVoter.objects.get(poll=poll, deputy=people[0])]
        voting.close_poll(poll)
        groups = dict(PollResult.objects.filter(poll=poll, item__sort_order=0).values_list("group", "counts"))
        assert groups["member"]["satisfied"] == 1  # the member's slip counted among members
        assert groups["deputy"]["unsatisfied"] == 1
        assert groups["all"]["satisfied"] + groups["all"]["unsatisfied"] == 2

    def test_link_then_slip_and_slip_then_link_are_refused(self):
        meeting, people = meeting_with_attendees(2)
        codes = dict(voting.issue_deputy_codes(meeting, people, by=None))
        poll = mixed_poll(meeting)
        voting.cast_ballot(poll, Voter(deputy=people[0]), sheet(poll, "satisfied"))
        with pytest.raises(AlreadyVoted):
            voting.cast_ballot(poll, Voter(code=codes[people[0]]), sheet(poll, "unsatisfied"))
        voting.cast_ballot(poll, Voter(code=codes[people[1]]), sheet(poll, "satisfied"))
        with pytest.raises(AlreadyVoted):
            voting.cast_ballot(poll, Voter(deputy=people[1]), sheet(poll, "unsatisfied"))
        assert Participation.objects.filter(poll=poll).count() == 2
        assert Ballot.objects.filter(poll=poll, filled=True).count() == 2

    def test_a_hall_slip_naming_nobody_does_not_vote_in_a_poll_of_persons(self):
        meeting, people = meeting_with_attendees(1)
        anonymous = voting.issue_voter_codes(meeting, 1)[0]
        poll = mixed_poll(meeting)
        with pytest.raises(VotingError, match="投票码不适用"):
            voting.cast_ballot(poll, Voter(code=anonymous), sheet(poll, "satisfied"))
        assert not Participation.objects.filter(poll=poll).exists()

    def test_a_code_for_someone_outside_the_electorate_or_revoked_is_refused(self):
        meeting, people = meeting_with_attendees(2)
        other_meeting, outsiders = meeting_with_attendees(1)
        stranger = voting.issue_deputy_codes(meeting, outsiders, by=None)[0][1]  # printed, but not a voter here
        lost = dict(voting.issue_deputy_codes(meeting, people, by=None))[people[0]]
        reprinted = dict(voting.issue_deputy_codes(meeting, [people[0]], by=None))[people[0]]
        assert VoterCode.objects.filter(meeting=meeting, deputy=people[0], revoked=False).count() == 1
        poll = mixed_poll(meeting)
        for code in (stranger, lost):
            with pytest.raises(VotingError, match="投票码不适用"):
                voting.cast_ballot(poll, Voter(code=code), sheet(poll, "satisfied"))
        voting.cast_ballot(poll, Voter(code=reprinted), sheet(poll, "satisfied"))

    def test_the_database_itself_refuses_a_second_record_of_a_person(self):
        """Not only the service: a row written around it is refused by the constraint."""
        meeting, people = meeting_with_attendees(1)
        code = dict(voting.issue_deputy_codes(meeting, people, by=None))[people[0]]
        poll = mixed_poll(meeting)
        voting.cast_ballot(poll, Voter(deputy=people[0]), sheet(poll, "satisfied"))
        entry = PollVoter.objects.get(poll=poll)
        slip = VoterCode.objects.get(digest=voting.code_digest(code))
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(poll=poll, voter=entry, code=slip)
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(poll=poll)  # neither a person nor a code

    def test_one_live_deputys_code_per_person_and_meeting(self):
        meeting, people = meeting_with_attendees(1)
        voting.issue_deputy_codes(meeting, people, by=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            VoterCode.objects.create(meeting=meeting, deputy=people[0], digest="0" * 64)

    def test_nothing_joins_a_slip_or_a_person_to_a_ballot(self):
        fields_of_ballot = {f.name for f in Ballot._meta.get_fields()}
        assert not fields_of_ballot & {"voter", "code", "participation", "deputy", "created", "created_at"}
        assert not {f.name for f in Participation._meta.get_fields()} & {"ballot", "choices", "created_at"}

    def test_the_phone_of_a_slip_holder_lists_the_poll_once(self):
        meeting, people = meeting_with_attendees(1)
        code = dict(voting.issue_deputy_codes(meeting, people, by=None))[people[0]]
        poll = mixed_poll(meeting)
        listed = selectors.open_polls_for(code=code)
        assert [(p.pk, p.voted) for p in listed] == [(poll.pk, False)]
        voting.cast_ballot(poll, Voter(deputy=people[0]), sheet(poll, "satisfied"))  # then used the link
        assert [(p.pk, p.voted) for p in selectors.open_polls_for(code=code)] == [(poll.pk, True)]


@pytest.mark.django_db
class TestMixedHallOnPhones:
    def test_slip_on_one_phone_then_the_link_on_another(self, client):
        from django.test import Client

        meeting, people = meeting_with_attendees(2, with_logins=True)
        code = dict(voting.issue_deputy_codes(meeting, [people[0]], by=None))[people[0]]
        poll = mixed_poll(meeting)
        url = reverse("m:ballot", args=[poll.pk])

        phone = Client()
        phone.get(reverse("m:code_login", args=[code]))
        assert "工作满意度测评" in phone.get(reverse("m:polls")).content.decode()
        done = phone.post(url, {**fields(poll, "satisfied", "basic"), "confirm": "1"})
        assert done["Location"] == reverse("m:ballot_received", args=[poll.pk])

        client.force_login(people[0].user)  # the same person, with their own link
        assert client.get(url)["Location"] == reverse("m:ballot_received", args=[poll.pk])
        again = client.post(url, {**fields(poll, "unsatisfied"), "confirm": "1"})
        assert again["Location"].endswith("?again=1")
        assert Participation.objects.filter(poll=poll).count() == 1

    def test_staff_print_named_slips_for_voters_without_a_login(self, client):
        meeting, people = meeting_with_attendees(3)
        from congress.services import accounts

        accounts.ensure_deputy_user(people[0])  # has a login: votes with the link
        client.force_login(UserFactory(username="bangongshi", roles=["staff"], is_superuser=True))
        url = reverse("admin:congress_meeting_voter_codes", args=[meeting.pk])
        page = client.post(url, {"who": "no_login"}).content.decode()
        assert people[1].name in page and people[2].name in page and people[0].name not in page
        assert set(VoterCode.objects.filter(meeting=meeting).values_list("deputy", flat=True)) == {
            people[1].pk,
            people[2].pk,
        }
        refused = client.post(url, {"who": "hall"}).content.decode()
        assert 'name="count"' in refused and "errorlist" in refused  # the form again, with the refusal
        assert VoterCode.objects.filter(meeting=meeting).count() == 2  # nothing printed without a count


@pytest.mark.django_db(transaction=True)
def test_a_mixed_hall_voting_at_once_counts_each_person_once(postgres_only):
    """120 deputies and 30 members; every one of them has a login and a printed deputy's code
    and submits with both, twice each, at the same moment. Each person is counted once, and the
    tally equals the ballots equals the people."""
    meeting, people = meeting_with_attendees(120, 30)
    codes = dict(voting.issue_deputy_codes(meeting, people, by=None))
    poll = mixed_poll(meeting)
    assert poll.eligible_count == 150
    item_ids = list(poll.items.values_list("pk", flat=True))
    outcomes, lock = [], threading.Lock()
    levels = ["satisfied", "fairly", "basic", "unsatisfied"]

    @in_thread
    def submit(args):
        n, person, way = args
        by_code = (n + way) % 2  # half the people reach for the slip first, half for the link
        voter = Voter(code=codes[person]) if by_code else Voter(deputy=person)
        try:
            voting.cast_ballot(poll, voter, {str(i): levels[(n + way) % 4] for i in item_ids})
            result = ("accepted", "code" if by_code else "link")
        except AlreadyVoted:
            result = ("refused", None)
        with lock:
            outcomes.append(result)

    jobs = [(n, person, way) for n, person in enumerate(people) for way in range(4)]  # both ways, twice
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(submit, jobs))

    accepted = [way for outcome, way in outcomes if outcome == "accepted"]
    assert len(accepted) == 150 and len(outcomes) == 600
    assert "code" in accepted and "link" in accepted  # both ways won some races
    assert Participation.objects.filter(poll=poll).count() == 150
    assert Participation.objects.filter(poll=poll).values("voter").distinct().count() == 150
    assert Participation.objects.filter(poll=poll, code__isnull=False).count() == accepted.count("code")
    assert Ballot.objects.filter(poll=poll, filled=True).count() == 150
    poll = voting.close_poll(poll)
    for result in PollResult.objects.filter(poll=poll, group="all"):
        assert sum(result.counts.values()) + result.blank == result.ballots == 150
    by_group = PollResult.objects.filter(poll=poll, item_id=item_ids[0]).exclude(group="all")
    assert {r.group: r.ballots for r in by_group} == {"member": 30, "deputy": 120}
    assert poll.status == Poll.Status.CLOSED
