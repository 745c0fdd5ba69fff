"""The voting engine: secret, exactly once, counted on the spot."""

import math

import pytest
from django.db import connection

from congress import selectors
from congress.models import Ballot, Participation, Poll, PollResult
from congress.services import voting
from congress.services.voting import AlreadyVoted, Voter, VotingError
from tests.factories import UNIT_NAMES_27, MeetingFactory, meeting_with_attendees

pytestmark = pytest.mark.django_db


def satisfaction_poll(meeting, items=None, **kwargs):
    return voting.create_poll(
        meeting, title="对县政府组成部门工作满意度测评", kind="satisfaction", items=items or UNIT_NAMES_27[:3], **kwargs
    )


def sheet(poll, *levels):
    return {str(item.pk): level for item, level in zip(poll.items.order_by("sort_order"), levels, strict=False)}


def check_books_balance(poll):
    """participations == ballots == each item's counts plus blanks."""
    participations = Participation.objects.filter(poll=poll).count()
    ballots = Ballot.objects.filter(poll=poll, filled=True).count()
    assert participations == ballots
    for result in PollResult.objects.filter(poll=poll, group="all"):
        assert sum(result.counts.values()) + result.blank == ballots == result.ballots


class TestLifecycle:
    def test_satisfaction_poll_from_draft_to_announced(self):
        meeting, deputies = meeting_with_attendees(4, 1)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        poll.refresh_from_db()
        assert poll.status == "open"
        assert poll.eligible_count == 5
        votes = [
            ("satisfied", "fairly", "unsatisfied"),
            ("satisfied", "basic", "unsatisfied"),
            ("fairly", "basic", "unsatisfied"),
            ("satisfied", "", "basic"),
            ("unsatisfied", "satisfied", "unsatisfied"),
        ]
        for deputy, levels in zip(deputies, votes, strict=True):
            voting.cast_ballot(poll, Voter(deputy=deputy), sheet(poll, *levels))
        voting.close_poll(poll)
        poll.refresh_from_db()
        results = {r.item.label: r for r in selectors.poll_results(poll)}
        first = results[UNIT_NAMES_27[0]]
        assert first.counts == {"satisfied": 3, "fairly": 1, "basic": 0, "unsatisfied": 1}
        assert str(first.rate) == "0.8000"
        assert str(first.score) == "76.00"  # (3*100 + 80) / 5
        assert first.passed is True
        second = results[UNIT_NAMES_27[1]]
        assert second.blank == 1
        assert str(second.score) == "75.00"  # (80 + 60 + 60 + 100) / 4 valid
        third = results[UNIT_NAMES_27[2]]
        assert str(third.rate) == "0.2000"
        assert third.passed is False
        assert [first.rank, second.rank, third.rank] == [1, 2, 3]
        check_books_balance(poll)
        voting.announce_poll(poll)
        poll.refresh_from_db()
        assert poll.status == "announced"

    def test_tallies_by_voter_group(self):
        meeting, deputies = meeting_with_attendees(2, 2)
        poll = satisfaction_poll(meeting, items=["县水利局"])
        voting.open_poll(poll)
        for deputy, level in zip(deputies, ["satisfied", "satisfied", "unsatisfied", "unsatisfied"], strict=True):
            voting.cast_ballot(poll, Voter(deputy=deputy), sheet(poll, level))
        voting.close_poll(poll)
        poll.refresh_from_db()
        by_group = {r.group: r.counts for r in PollResult.objects.filter(poll=poll)}
        assert by_group["deputy"] == {"satisfied": 2, "fairly": 0, "basic": 0, "unsatisfied": 0}
        assert by_group["member"] == {"satisfied": 0, "fairly": 0, "basic": 0, "unsatisfied": 2}
        assert by_group["all"]["satisfied"] == by_group["all"]["unsatisfied"] == 2

    def test_approval_passes_with_more_than_half_of_all_eligible(self):
        meeting, deputies = meeting_with_attendees(0, 7)
        poll = voting.create_poll(
            meeting,
            title="确定2026年度述职评议对象",
            kind="approval",
            items=["张建华（县教育局局长）", "李明（县水利局局长）"],
            electorate=Poll.Electorate.MEMBERS,
        )
        voting.open_poll(poll)
        # 4 of 7 say yes to the first (passes); 3 yes + 3 blank to the second (fails: not more than half)
        for i, deputy in enumerate(deputies):
            voting.cast_ballot(
                poll, Voter(deputy=deputy), sheet(poll, "yes" if i < 4 else "no", "yes" if i < 3 else "")
            )
        voting.close_poll(poll)
        poll.refresh_from_db()
        first, second = selectors.poll_results(poll)
        assert first.passed is True and second.passed is False
        assert second.counts["yes"] == 3 and second.blank == 4
        check_books_balance(poll)

    def test_three_level_variant(self):
        meeting, deputies = meeting_with_attendees(2)
        poll = satisfaction_poll(meeting, items=["县民政局"], levels=voting.SATISFACTION_3)
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "basic"))
        with pytest.raises(VotingError):
            voting.cast_ballot(poll, Voter(deputy=deputies[1]), sheet(poll, "fairly"))
        assert Participation.objects.filter(poll=poll).count() == 1

    def test_closed_poll_refuses_votes_and_is_never_edited(self):
        meeting, deputies = meeting_with_attendees(2)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        voting.close_poll(poll)
        with pytest.raises(VotingError, match="未开始或已结束"):
            voting.cast_ballot(poll, Voter(deputy=deputies[1]), sheet(poll, "satisfied"))
        with pytest.raises(VotingError):
            voting.open_poll(poll)
        before = list(PollResult.objects.filter(poll=poll).values_list("counts", flat=True))
        voting.close_poll(poll)  # closing again reports the same frozen tally
        assert list(PollResult.objects.filter(poll=poll).values_list("counts", flat=True)) == before

    def test_void_needs_a_reason_and_rerun_copies_the_sheet(self):
        meeting, _ = meeting_with_attendees(2)
        poll = satisfaction_poll(meeting)
        with pytest.raises(VotingError):
            voting.void_poll(poll, reason="  ")
        voting.void_poll(poll, reason="选票项目漏列县审计局")
        poll.refresh_from_db()
        assert poll.status == "void" and poll.void_reason == "选票项目漏列县审计局"
        again = voting.rerun_poll(poll)
        assert again.status == "draft" and again.rerun_of == poll
        assert list(again.items.values_list("label", flat=True)) == list(poll.items.values_list("label", flat=True))

    def test_nobody_eligible_cannot_open(self):
        poll = satisfaction_poll(MeetingFactory())
        with pytest.raises(VotingError):
            voting.open_poll(poll)
        poll.refresh_from_db()
        assert poll.status == "draft"


class TestExactlyOnce:
    def test_second_submission_is_refused_and_changes_nothing(self):
        meeting, deputies = meeting_with_attendees(3)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        with pytest.raises(AlreadyVoted, match="选票已收到，不能重复投票"):
            voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "unsatisfied"))
        assert Ballot.objects.filter(poll=poll, filled=True).count() == 1
        assert Participation.objects.filter(poll=poll).count() == 1

    def test_outsider_is_refused(self):
        meeting, _ = meeting_with_attendees(2)
        _, strangers = meeting_with_attendees(1)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        with pytest.raises(VotingError, match="不在本次投票的投票人范围内"):
            voting.cast_ballot(poll, Voter(deputy=strangers[0]), sheet(poll, "satisfied"))

    def test_bad_choices_are_refused_with_nothing_written(self):
        meeting, deputies = meeting_with_attendees(1)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        with pytest.raises(VotingError):
            voting.cast_ballot(poll, Voter(deputy=deputies[0]), {"999999": "satisfied"})
        with pytest.raises(VotingError):
            voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "yes"))
        assert not Participation.objects.filter(poll=poll).exists()

    def test_a_vote_that_finds_no_empty_ballot_records_nothing(self):
        """Cannot happen (one slot per eligible voter), but if a slot were ever missing the
        voter must not be marked as having voted without a ballot in the box."""
        meeting, deputies = meeting_with_attendees(2)
        poll = voting.open_poll(satisfaction_poll(meeting))
        Ballot.objects.filter(poll=poll).delete()
        with pytest.raises(VotingError, match="票箱已无空余选票"):
            voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        assert not Participation.objects.filter(poll=poll).exists()

    def test_a_sheet_kept_from_another_opening_is_refused(self):
        """The phone's confirm casts against a kept copy of the sheet; the database refuses
        the copy unless the poll with that id is still the one opened at that time."""
        meeting, deputies = meeting_with_attendees(1)
        poll = voting.open_poll(satisfaction_poll(meeting))
        kept = selectors.ballot_sheet(poll.pk)
        assert kept.opened_at == poll.opened_at
        Poll.objects.filter(pk=poll.pk).update(opened_at=poll.opened_at.replace(year=2020))
        with pytest.raises(VotingError, match="投票未开始或已结束"):
            voting.cast_ballot(kept, Voter(deputy=deputies[0]), sheet(poll, "satisfied"), items=kept.items)
        assert not Participation.objects.filter(poll=poll).exists()
        selectors.forget_ballot_sheet(poll.pk)
        assert selectors.ballot_sheet(poll.pk).opened_at.year == 2020


class TestVoterCodes:
    def test_code_votes_once_per_poll_of_its_meeting(self):
        meeting = MeetingFactory()
        codes = voting.issue_voter_codes(meeting, 3)
        poll = satisfaction_poll(meeting, electorate=Poll.Electorate.CODES)
        voting.open_poll(poll)
        poll.refresh_from_db()
        assert poll.eligible_count == 3
        voting.cast_ballot(poll, Voter(code=codes[0].lower()), sheet(poll, "satisfied"))
        with pytest.raises(AlreadyVoted):
            voting.cast_ballot(poll, Voter(code=codes[0]), sheet(poll, "satisfied"))
        second = satisfaction_poll(meeting, items=["县审计局"], electorate=Poll.Electorate.CODES)
        voting.open_poll(second)
        voting.cast_ballot(second, Voter(code=codes[0]), sheet(second, "basic"))

    def test_codes_are_stored_hashed(self):
        meeting = MeetingFactory()
        codes = voting.issue_voter_codes(meeting, 5)
        stored = {c.digest for c in meeting.voter_codes.all()}
        assert not stored & set(codes)
        assert {voting.code_digest(c) for c in codes} == stored

    def test_code_of_another_meeting_or_issued_after_opening_is_refused(self):
        meeting, other = MeetingFactory(), MeetingFactory()
        voting.issue_voter_codes(meeting, 2)
        foreign = voting.issue_voter_codes(other, 1)[0]
        poll = satisfaction_poll(meeting, electorate=Poll.Electorate.CODES)
        voting.open_poll(poll)
        late = voting.issue_voter_codes(meeting, 1)[0]
        for code in (foreign, late, "ABCD2345"):
            with pytest.raises(VotingError, match="投票码不适用"):
                voting.cast_ballot(poll, Voter(code=code), sheet(poll, "satisfied"))


class TestPaperBallots:
    def test_paper_ballots_are_counted_with_the_rest(self):
        meeting, deputies = meeting_with_attendees(4)
        poll = satisfaction_poll(meeting, items=["县交通运输局"])
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        voting.enter_paper_ballots(
            poll, voters=deputies[1:3], sheets=[sheet(poll, "unsatisfied"), sheet(poll, "basic")]
        )
        assert Participation.objects.filter(poll=poll, channel="paper").count() == 2
        voting.close_poll(poll)
        poll.refresh_from_db()
        (result,) = selectors.poll_results(poll)
        assert result.counts == {"satisfied": 1, "fairly": 0, "basic": 1, "unsatisfied": 1}
        check_books_balance(poll)

    def test_mismatched_paper_entry_writes_nothing(self):
        meeting, deputies = meeting_with_attendees(3)
        poll = satisfaction_poll(meeting, items=["县交通运输局"])
        voting.open_poll(poll)
        with pytest.raises(VotingError, match="两者数量必须一致"):
            voting.enter_paper_ballots(poll, voters=deputies[:2], sheets=[sheet(poll, "basic")])
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "basic"))
        with pytest.raises(AlreadyVoted):
            voting.enter_paper_ballots(poll, voters=deputies[:2], sheets=[sheet(poll, "basic")] * 2)
        assert Participation.objects.filter(poll=poll).count() == 1
        assert Ballot.objects.filter(poll=poll, filled=True).count() == 1


class TestTallyHidden:
    def test_no_tally_while_open_for_anyone(self):
        meeting, deputies = meeting_with_attendees(2)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        poll.refresh_from_db()
        for audience in ("staff", "public"):
            with pytest.raises(selectors.TallyHidden):
                selectors.poll_results(poll, audience=audience)
        assert not PollResult.objects.filter(poll=poll).exists()
        assert selectors.poll_progress(poll) == {"voted": 1, "eligible": 2}

    def test_public_waits_for_the_announcement(self):
        meeting, deputies = meeting_with_attendees(1)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        voting.close_poll(poll)
        poll.refresh_from_db()
        assert selectors.poll_results(poll, audience="staff")
        with pytest.raises(selectors.TallyHidden):
            selectors.poll_results(poll, audience="public")

    def test_who_has_not_voted_is_names_only(self):
        meeting, deputies = meeting_with_attendees(3)
        poll = satisfaction_poll(meeting)
        voting.open_poll(poll)
        voting.cast_ballot(poll, Voter(deputy=deputies[0]), sheet(poll, "satisfied"))
        pending = {v.deputy for v in selectors.voters_yet_to_vote(poll)}
        assert pending == set(deputies[1:])


class TestSecrecy:
    def test_nothing_joins_a_voter_to_a_ballot(self):
        ballot_fields = {f.name for f in Ballot._meta.get_fields()}
        assert ballot_fields == {"id", "poll", "filled", "group", "choices"}
        participation_fields = {f.name for f in Participation._meta.get_fields()}
        assert participation_fields == {"id", "poll", "voter", "code", "channel"}
        assert not any(f.is_relation and f.related_model is Ballot for f in Participation._meta.get_fields())
        assert "auditlog" not in str(Ballot._meta.get_fields())
        from auditlog.registry import auditlog

        assert not auditlog.contains(Ballot)
        assert not auditlog.contains(Participation)

    def test_close_takes_constant_queries(self, django_assert_num_queries):
        counts = []
        for n in (5, 60):
            meeting, deputies = meeting_with_attendees(n)
            poll = satisfaction_poll(meeting)
            voting.open_poll(poll)
            for deputy in deputies:
                voting.cast_ballot(poll, Voter(deputy=deputy), sheet(poll, "satisfied", "basic", ""))
            with connection.execute_wrapper(lambda execute, *a: execute(*a)):
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    voting.close_poll(poll)
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]

    def test_storage_order_of_ballots_does_not_follow_voting_order(self):
        """Spearman rank correlation between the order people voted in and the order their
        ballots are stored in once the poll is closed, over 300 votes, is near zero."""
        n = 300
        meeting, deputies = meeting_with_attendees(0, 0)
        meeting, deputies = meeting_with_attendees(n)
        items = [f"事项{i}" for i in range(9)]
        poll = satisfaction_poll(meeting, items=items)
        voting.open_poll(poll)
        levels = ["satisfied", "fairly", "basic", "unsatisfied"]
        for position, deputy in enumerate(deputies):
            # each voter's sheet encodes their position in base 4, so the test can find it
            digits = [levels[(position // 4**k) % 4] for k in range(len(items))]
            voting.cast_ballot(poll, Voter(deputy=deputy), sheet(poll, *digits))
        voting.close_poll(poll)
        order_sql = "ORDER BY ctid" if connection.vendor == "postgresql" else "ORDER BY rowid"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT choices FROM congress_ballot WHERE poll_id = %s AND filled {order_sql}", [poll.pk])  # noqa: S608
            stored = [row[0] for row in cursor.fetchall()]
        item_ids = list(poll.items.order_by("sort_order").values_list("pk", flat=True))
        import json

        positions = []
        for choices in stored:
            choices = json.loads(choices) if isinstance(choices, str) else choices
            positions.append(sum(levels.index(choices[str(pk)]) * 4**k for k, pk in enumerate(item_ids)))
        assert sorted(positions) == list(range(n))
        rho = spearman(list(range(n)), positions)
        # |rho| < 0.2 happens by chance with probability < 0.1% for independent orders of 300
        assert abs(rho) < 0.2, rho
        # and the participations, which do follow voting order, cannot be lined up with them
        assert Participation.objects.filter(poll=poll).count() == n


def spearman(xs, ys):
    n = len(xs)
    rank_x = {v: i for i, v in enumerate(sorted(xs))}
    rank_y = {v: i for i, v in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys, strict=True))
    return 1 - 6 * d2 / (n * (n**2 - 1))


def test_spearman_helper_sees_order():
    assert math.isclose(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
    assert math.isclose(spearman([1, 2, 3, 4], [40, 30, 20, 10]), -1.0)


def test_item_nobody_scored_has_no_rank():
    meeting, deputies = meeting_with_attendees(2)
    poll = satisfaction_poll(meeting, items=["县水利局", "县统计局"])
    voting.open_poll(poll)
    for deputy in deputies:
        voting.cast_ballot(poll, Voter(deputy=deputy), sheet(poll, "satisfied", ""))
    voting.close_poll(poll)
    poll.refresh_from_db()
    scored, unscored = selectors.poll_results(poll)
    assert scored.rank == 1
    assert unscored.rank is None and unscored.score is None and unscored.blank == 2


@pytest.mark.parametrize("levels", [voting.SATISFACTION_4, voting.APPROVAL])
def test_a_packed_sheet_unpacks_to_the_same_choices(levels):
    """The review page's one field carries every choice, blanks left out, and nothing else."""
    codes = [level["code"] for level in levels]
    choices = {str(100 + n): codes[n % len(codes)] for n in range(27)}
    packed = voting.pack_choices(levels, {**choices, "999": ""})
    assert packed.isascii() and all(c.isdigit() or c in "._" for c in packed)  # sent as it is
    assert voting.unpack_choices(levels, packed) == choices
    assert voting.unpack_choices(levels, "") == {}
    with pytest.raises(voting.VotingError, match="没有完整送达"):
        voting.unpack_choices(levels, packed + f"_100.{len(levels)}")  # an item twice
