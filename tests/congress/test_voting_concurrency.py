"""Exactly once under real concurrency, on PostgreSQL, with real threads."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from congress.models import Ballot, Participation, PollResult
from congress.services import voting
from congress.services.voting import AlreadyVoted, Voter, VotingError
from tests.concurrency import in_thread
from tests.factories import meeting_with_attendees

pytestmark = pytest.mark.django_db(transaction=True)


def make_poll(n_voters, items=("县教育局", "县水利局", "县民政局")):
    meeting, deputies = meeting_with_attendees(n_voters)
    poll = voting.create_poll(meeting, title="并发测评", kind="satisfaction", items=list(items))
    poll = voting.open_poll(poll)
    item_ids = list(poll.items.values_list("pk", flat=True))
    return poll, deputies, item_ids


def test_300_voters_submitting_three_times_at_once(postgres_only):
    poll, deputies, item_ids = make_poll(300)
    outcomes = []
    lock = threading.Lock()

    @in_thread
    def submit(deputy, attempt):
        level = ["satisfied", "basic", "unsatisfied"][attempt]
        try:
            voting.cast_ballot(poll, Voter(deputy=deputy), {str(i): level for i in item_ids})
            result = "accepted"
        except AlreadyVoted:
            result = "refused"
        with lock:
            outcomes.append(result)

    # each voter's three submissions are queued side by side, so they race each other
    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(submit, [d for d in deputies for _ in range(3)], [a for _ in deputies for a in range(3)]))

    assert outcomes.count("accepted") == 300
    assert outcomes.count("refused") == 600
    assert Participation.objects.filter(poll=poll).count() == 300
    assert Ballot.objects.filter(poll=poll, filled=True).count() == 300
    assert Ballot.objects.filter(poll=poll, filled=False).count() == 0


def test_votes_racing_a_close_are_counted_or_refused_never_lost(postgres_only):
    poll, deputies, item_ids = make_poll(200)
    accepted, refused, closes = [], [], []
    start = threading.Barrier(21)

    @in_thread
    def vote(chunk):
        start.wait(timeout=30)
        for deputy in chunk:
            try:
                voting.cast_ballot(poll, Voter(deputy=deputy), {str(item_ids[0]): "satisfied"})
                accepted.append(deputy.pk)
            except VotingError as exc:
                assert "未开始或已结束" in str(exc)
                refused.append(deputy.pk)
            time.sleep(0.01)  # people vote over a few seconds, not in one instant

    @in_thread
    def close():
        start.wait(timeout=30)
        while Participation.objects.filter(poll=poll).count() < 40:
            time.sleep(0.005)
        voting.close_poll(poll)
        closes.append(
            list(PollResult.objects.filter(poll=poll).order_by("item_id", "group").values_list("counts", "blank"))
        )

    chunks = [deputies[i::18] for i in range(18)]
    threads = [threading.Thread(target=vote, args=(c,)) for c in chunks]
    threads += [threading.Thread(target=close) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(accepted) + len(refused) == 200
    assert accepted and refused, "the close should land in the middle of the voting"
    assert Participation.objects.filter(poll=poll).count() == len(accepted)
    assert Ballot.objects.filter(poll=poll, filled=True).count() == len(accepted)
    first = PollResult.objects.get(poll=poll, group="all", item_id=item_ids[0])
    assert first.counts["satisfied"] == len(accepted)  # counted exactly the accepted votes
    assert len(closes) == 3 and closes[0] == closes[1] == closes[2]  # every close reports the same tally
