"""The voting engine: open, cast, close, tally, announce, void. One engine for every app.

Exactly once: a vote inserts its Participation (unique per poll and voter or code) and fills
one ballot slot in the same transaction, so a double tap, a retry or a second phone is refused
by the database itself. Racing a close: a vote takes a shared lock on the poll row and checks
that the poll is open; closing takes the exclusive lock, so a vote either commits before the
close counts, or sees the poll closed and is refused. Nothing is audited about ballots.
"""

import hashlib
import json
import random
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.models import (
    Attendance,
    Ballot,
    Deputy,
    Member,
    Participation,
    Poll,
    PollItem,
    PollResult,
    PollVoter,
    VoterCode,
    VoterGroup,
)
from congress.services import audit

SATISFACTION_4 = [
    {"code": "satisfied", "label": "满意", "weight": 100, "satisfied": True},
    {"code": "fairly", "label": "较满意", "weight": 80, "satisfied": True},
    {"code": "basic", "label": "基本满意", "weight": 60, "satisfied": True},
    {"code": "unsatisfied", "label": "不满意", "weight": 0, "satisfied": False},
]
SATISFACTION_3 = [
    {"code": "satisfied", "label": "满意", "weight": 100, "satisfied": True},
    {"code": "basic", "label": "基本满意", "weight": 70, "satisfied": True},
    {"code": "unsatisfied", "label": "不满意", "weight": 0, "satisfied": False},
]
APPROVAL = [
    {"code": "yes", "label": "赞成"},
    {"code": "no", "label": "反对"},
    {"code": "abstain", "label": "弃权"},
]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off a slip of paper
CODE_LENGTH = 8


class VotingError(Exception):
    """A voting action refused; the message tells the person why, in Chinese."""


# A hall's repeat taps are refused by the thousand and their message is seldom shown (the
# phone is redirected with "?again=1"): translated only when it is read.
ALREADY_RECEIVED = gettext_lazy("Your ballot in this poll has already been received; it cannot be cast again.")


class AlreadyVoted(VotingError):
    """A second submission of the same voter's ballot (a double tap, a retry, a second phone)."""


def code_digest(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


# --- preparing -------------------------------------------------------------------------


def create_poll(
    meeting,
    *,
    title,
    kind,
    items,
    electorate=Poll.Electorate.BOTH,
    levels=None,
    pass_ratio=None,
    pass_strictly=False,
    pass_base=Poll.PassBase.ELIGIBLE,
    by=None,
):
    """Draft a poll of a meeting with its ballot sheet. ``items`` are labels, or
    (label, note, ref) tuples, in sheet order."""
    if kind not in Poll.Kind.values:
        raise VotingError(_("Unknown kind of poll."))
    if not items:
        raise VotingError(_("A poll needs at least one item."))
    if levels is None:
        levels = APPROVAL if kind == Poll.Kind.APPROVAL else SATISFACTION_4
    _check_levels(kind, levels)
    rows = [item if isinstance(item, tuple) else (item, "", "") for item in items]
    labels = [label for label, *_rest in rows]
    if len(set(labels)) != len(labels):
        raise VotingError(_("Two items on the sheet have the same label."))
    with transaction.atomic():
        poll = Poll.objects.create(
            meeting=meeting,
            title=title,
            kind=kind,
            electorate=electorate,
            levels=levels,
            pass_ratio=Decimal(str(pass_ratio))
            if pass_ratio is not None
            else Decimal("0.5" if kind == "approval" else "0.6"),
            pass_strictly=pass_strictly,
            pass_base=pass_base,
        )
        PollItem.objects.bulk_create(
            PollItem(poll=poll, label=label, note=note, ref=ref, sort_order=i)
            for i, (label, note, ref) in enumerate(rows)
        )
        audit.record(poll, "create_poll", actor=by, items=len(rows))
    return poll


def _check_levels(kind, levels):
    codes = [level.get("code") for level in levels]
    if len(levels) < 2 or len(set(codes)) != len(codes) or not all(codes):
        raise VotingError(_("The levels of a poll need at least two distinct codes."))
    if kind == Poll.Kind.APPROVAL and set(codes) != {"yes", "no", "abstain"}:
        raise VotingError(_("An approval vote has the levels yes, no and abstain."))
    if kind == Poll.Kind.SATISFACTION and not any(level.get("satisfied") for level in levels):
        raise VotingError(_("A satisfaction poll needs at least one level that counts as satisfied."))


def issue_voter_codes(meeting, count: int, *, by=None) -> list[str]:
    """Make ``count`` one-time voting codes for a meeting and return them in clear, once, for
    printing; only their hashes are kept. Codes made after a poll opened do not vote in it."""
    if not 1 <= count <= 2000:
        raise VotingError(_("Print between 1 and 2000 voting codes at a time."))
    codes = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    codes = sorted(codes)
    with transaction.atomic():
        VoterCode.objects.bulk_create(VoterCode(meeting=meeting, digest=code_digest(c)) for c in codes)
        audit.record(meeting, "issue_voter_codes", actor=by, count=count)
    return codes


def issue_deputy_codes(meeting, deputies, *, by) -> list[tuple[Deputy, str]]:
    """Print a deputy's code (代表码) for each of these people, for one meeting, and return
    (person, code) pairs in clear, once, for the named slips. The code votes as its person in
    the meeting's polls of members and deputies, so a person who also has a login is counted
    once however they vote. Printing again for a person revokes their earlier slip (a lost
    slip does not vote)."""
    deputies = list(dict.fromkeys(deputies))
    if not deputies:
        raise VotingError(_("Nobody to print a deputy's code for: record the meeting's attendance first."))
    if len(deputies) > 2000:
        raise VotingError(_("Print between 1 and 2000 voting codes at a time."))
    codes = set()
    while len(codes) < len(deputies):
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    pairs = list(zip(deputies, sorted(codes), strict=True))
    with transaction.atomic():
        revoked = VoterCode.objects.filter(meeting=meeting, deputy__in=deputies, revoked=False).update(revoked=True)
        VoterCode.objects.bulk_create(
            VoterCode(meeting=meeting, deputy=deputy, digest=code_digest(code)) for deputy, code in pairs
        )
        audit.record(meeting, "issue_deputy_codes", actor=by, count=len(pairs), revoked=revoked)
    return pairs


def open_poll(poll: Poll, *, by=None) -> Poll:
    """Open a draft poll: fix its electorate, and lay out one empty ballot slot per eligible
    voter in random order."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().select_related("meeting").get(pk=poll.pk)
        if poll.status != Poll.Status.DRAFT:
            raise VotingError(
                _("Only a draft poll can be opened; this one is %(status)s.") % {"status": poll.get_status_display()}
            )
        voters = _electorate(poll)
        PollVoter.objects.bulk_create(voters)
        codes = 0
        if poll.electorate == Poll.Electorate.CODES:
            agg = VoterCode.objects.filter(meeting=poll.meeting, revoked=False).aggregate(n=Max("id"))
            poll.code_cutoff = agg["n"] or 0
            codes = VoterCode.objects.filter(meeting=poll.meeting, revoked=False, id__lte=poll.code_cutoff).count()
        eligible = len(voters) + codes
        if eligible == 0:
            raise VotingError(
                _("Nobody is eligible to vote: record the meeting's attendance or print voting codes first.")
            )
        Ballot.objects.bulk_create(Ballot(poll=poll) for _ in range(eligible))
        poll.eligible_count = eligible
        poll.status = Poll.Status.OPEN
        poll.opened_at = timezone.now()
        poll.save(update_fields=["eligible_count", "code_cutoff", "status", "opened_at"])
        audit.record(poll, "open_poll", actor=by, eligible=eligible)
    return poll


def _electorate(poll: Poll) -> list[PollVoter]:
    if poll.electorate == Poll.Electorate.CODES:
        return []
    members = {}
    if poll.electorate in (Poll.Electorate.MEMBERS, Poll.Electorate.BOTH):
        members = {
            m.deputy_id: VoterGroup.MEMBER
            for m in Member.objects.filter(term_id=poll.meeting.term_id, active=True, deputy__active=True).only(
                "deputy_id"
            )
        }
    attendees = {}
    if poll.electorate in (Poll.Electorate.ATTENDEES, Poll.Electorate.BOTH):
        attendees = {
            a.deputy_id: VoterGroup.DEPUTY
            for a in Attendance.objects.filter(
                meeting=poll.meeting,
                status__in=[Attendance.Status.PRESENT, Attendance.Status.INVITED],
                deputy__active=True,
            ).only("deputy_id")
        }
    # A member attending as a deputy is counted once, as a member.
    electorate = {**attendees, **members}
    return [PollVoter(poll=poll, deputy_id=deputy_id, group=group) for deputy_id, group in sorted(electorate.items())]


# --- voting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    """Who is voting: a person of the electorate, or a voting code."""

    deputy: Deputy | None = None
    code: str | None = None


def clean_choices(poll: Poll, items: list[PollItem], raw: dict) -> dict[str, str]:
    """Check a filled-in sheet: every key an item of this poll, every value one of its levels.
    Blank items are allowed (counted as abstentions)."""
    # A kept BallotSheet carries both sets ready-made.
    allowed = getattr(poll, "level_codes", None) or {level["code"] for level in poll.levels}
    item_ids = getattr(poll, "item_keys", None) or {str(item.pk) for item in items}
    choices = {}
    for key, value in raw.items():
        key = str(key)
        if key not in item_ids:
            raise VotingError(_("The ballot names an item that is not on this poll's sheet."))
        if value in (None, ""):
            continue
        if value not in allowed:
            raise VotingError(_("“%(value)s” is not a choice on this ballot.") % {"value": value})
        choices[key] = value
    return choices


# The review page sends a checked sheet back as one field: "<item id>.<level number>" for each
# item chosen, joined by "_" (characters a form sends as they are). A hall's confirm taps then
# carry three fields, not one per item, and every middleware that reads the form reads less.
PACKED_PAIR = "_"
PACKED_PART = "."
PACKED = re.compile(r"(?:\d{1,18}\.\d{1,3}(?:_\d{1,18}\.\d{1,3})*)?", re.ASCII)
INCOMPLETE_SHEET = gettext_lazy("This ballot did not arrive whole; go back to the sheet and check it again.")


def pack_choices(levels: list[dict], choices: dict[str, str]) -> str:
    """A checked sheet's choices (item id → level code, blanks left out) as the review page's
    one field."""
    number = {level["code"]: n for n, level in enumerate(levels, 1)}
    return PACKED_PAIR.join(f"{key}{PACKED_PART}{number[code]}" for key, code in choices.items() if code in number)


def unpack_choices(levels: list[dict], packed: str) -> dict[str, str]:
    """The choices of a packed sheet (item id → level code). Anything pack_choices does not make
    (a level number out of range, an item twice, stray characters) is refused; which item ids
    belong to the poll is clean_choices' check."""
    if not PACKED.fullmatch(packed):
        raise VotingError(INCOMPLETE_SHEET)
    chosen: dict[str, str] = {}
    for part in packed.split(PACKED_PAIR) if packed else ():
        key, _dot, number = part.partition(PACKED_PART)
        n = int(number)
        if not 0 < n <= len(levels) or key in chosen:
            raise VotingError(INCOMPLETE_SHEET)
        chosen[key] = levels[n - 1]["code"]
    return chosen


def cast_ballot(poll, voter: Voter, raw_choices: dict, *, channel=Participation.Channel.PHONE, items=None) -> None:
    """Record one voter's ballot, exactly once. Refuses, with the reason, a poll that is not
    open, a voter outside the electorate, and a second ballot from the same voter.

    ``poll`` is a Poll, or the ``selectors.BallotSheet`` a phone's confirm keeps of an opened
    poll: what is read of it is its id, meeting, electorate, levels, code cut-off and opening
    time, never its state (that is checked in the database, under the lock).

    The same statements on every database: who the voter is and whether they have voted (a
    repeat tap stops there, having only read), then in one transaction the participation,
    written only while the poll is open (under its shared lock), and a random empty ballot slot
    filled."""
    items = list(poll.items.all()) if items is None else items
    choices = clean_choices(poll, items, raw_choices)
    participant = _participant(poll, voter)
    if participant.voted:
        raise AlreadyVoted(ALREADY_RECEIVED)
    try:
        with transaction.atomic():
            _record(poll, participant, channel)
            _fill_slot(poll, participant.group, choices)
    except IntegrityError as exc:  # the same voter's other tap committed in between
        raise AlreadyVoted(ALREADY_RECEIVED) from exc


@dataclass(frozen=True)
class _OpenPoll:
    pk: int
    meeting_id: int
    electorate: str
    code_cutoff: int


# The poll's state, read under a shared lock on PostgreSQL: votes do not block each other, and
# closing (FOR UPDATE) waits for the votes under way, so a vote either commits before the
# close counts, or sees the poll closed. SQLite serializes writers already.
LOCK_OPEN_POLL = {
    "postgresql": "SELECT status, meeting_id, electorate, code_cutoff, opened_at FROM congress_poll "
    "WHERE id = %s FOR KEY SHARE",
    "sqlite": "SELECT status, meeting_id, electorate, code_cutoff, opened_at FROM congress_poll WHERE id = %s",
}


def _lock_open_poll(poll) -> _OpenPoll:
    """Read the poll's current state under a shared lock; refuse unless it is open (and, for
    a kept copy of an opened poll's sheet, unless it is still that poll: same opening time)."""
    with connection.cursor() as cursor:
        cursor.execute(LOCK_OPEN_POLL[connection.vendor], [poll.pk])
        row = cursor.fetchone()
    if row is None or row[0] != Poll.Status.OPEN:
        raise VotingError(_("This poll is not open for voting."))
    opened_at = row[4]
    if isinstance(opened_at, str):
        opened_at = datetime.fromisoformat(opened_at)
    if opened_at is not None and timezone.is_naive(opened_at):  # SQLite keeps UTC without a zone
        opened_at = opened_at.replace(tzinfo=UTC)
    if poll.opened_at is not None and opened_at != poll.opened_at:
        raise VotingError(_("This poll is not open for voting."))
    return _OpenPoll(poll.pk, row[1], row[2], row[3] or 0)


# Who votes and whether they have already: one statement, the same on SQLite and PostgreSQL,
# reading the poll as committed (its meeting, electorate and the cut-off of its codes).
# A hall slip votes as itself in a code poll; a deputy's code (代表码) votes as its person in a
# poll of persons (recorded under both, so the person's link is then refused, and the other way
# round: the electorate's unique participation holds for both ways).
VOTER_BY_CODE = """
SELECT code.id AS code_id, entry.id AS voter_id, entry."group",
       EXISTS (SELECT 1 FROM congress_participation done
               WHERE done.poll_id = poll.id AND (done.code_id = code.id OR done.voter_id = entry.id)) AS voted
FROM congress_votercode code JOIN congress_poll poll ON poll.meeting_id = code.meeting_id
LEFT JOIN congress_pollvoter entry ON entry.poll_id = poll.id AND entry.deputy_id = code.deputy_id
WHERE poll.id = %s AND code.digest = %s AND NOT code.revoked
  AND CASE WHEN poll.electorate = %s THEN code.id <= poll.code_cutoff ELSE entry.id IS NOT NULL END
"""
VOTER_BY_PERSON = """
SELECT entry.id AS voter_id, entry."group",
       EXISTS (SELECT 1 FROM congress_participation done WHERE done.poll_id = entry.poll_id AND done.voter_id = entry.id) AS voted
FROM congress_pollvoter entry WHERE entry.poll_id = %s AND entry.deputy_id = %s
"""
# The participation, written only if the poll is open and is the one opened at that time (a
# kept copy of the sheet from another opening is refused); on PostgreSQL under the poll's shared
# lock, which closing (FOR UPDATE) waits for: a vote either commits before the close counts, or
# sees the poll closed. SQLite serializes writers already.
INSERT_PARTICIPATION = """
INSERT INTO congress_participation (poll_id, voter_id, code_id, channel)
SELECT id, %s, %s, %s FROM congress_poll WHERE id = %s AND status = %s AND opened_at = COALESCE(%s, opened_at){lock}
"""
INSERT_PARTICIPATION_IN = {
    "postgresql": INSERT_PARTICIPATION.format(lock=" FOR KEY SHARE"),
    "sqlite": INSERT_PARTICIPATION.format(lock=""),
}


@dataclass(frozen=True)
class _Participant:
    """A voter as the cast records them: their entry in the electorate or their code, the
    group their ballot is counted in, and whether they have voted already."""

    voter_id: int | None
    code_id: int | None
    group: str
    voted: bool


def _participant(poll, voter: Voter) -> _Participant:
    """Who this voter is in ``poll``, in one query. Refuses a code not valid for this poll
    (another meeting's, revoked, printed after the opening) and a person outside its electorate."""
    with connection.cursor() as cursor:
        if voter.code is not None:
            cursor.execute(VOTER_BY_CODE, [poll.pk, code_digest(voter.code), Poll.Electorate.CODES])
            row = cursor.fetchone()
            if row is None:
                raise VotingError(_("This voting code is not valid for this poll."))
            return _Participant(row[1], row[0], row[2] or VoterGroup.DEPUTY, bool(row[3]))
        if voter.deputy is None:
            raise VotingError(_("Log in to vote."))
        cursor.execute(VOTER_BY_PERSON, [poll.pk, voter.deputy.pk])
        row = cursor.fetchone()
    if row is None:
        raise VotingError(_("You are not in the electorate of this poll."))
    return _Participant(row[0], None, row[1], bool(row[2]))


def _record(poll, participant: _Participant, channel) -> None:
    """The participation (unique per poll and voter or code: a second one fails), or a refusal
    when the poll is not open (closed meanwhile, or no longer the opening this sheet is of)."""
    opened_at = connection.ops.adapt_datetimefield_value(poll.opened_at)
    params = [participant.voter_id, participant.code_id, channel, poll.pk, Poll.Status.OPEN, opened_at]
    with connection.cursor() as cursor:
        cursor.execute(INSERT_PARTICIPATION_IN[connection.vendor], params)
        if cursor.rowcount != 1:
            raise VotingError(_("This poll is not open for voting."))


FILL_SLOT_SQL = (
    'UPDATE congress_ballot SET filled = %s, "group" = %s, choices = %s WHERE id = ('
    "SELECT id FROM congress_ballot WHERE poll_id = %s AND NOT filled ORDER BY random() LIMIT 1{lock})"
)
FILL_SLOT = {
    "postgresql": FILL_SLOT_SQL.format(lock=" FOR UPDATE SKIP LOCKED"),
    "sqlite": FILL_SLOT_SQL.format(lock=""),  # SQLite writers are serialized already
}


def _fill_slot(poll: Poll, group: str, choices: dict) -> None:
    with connection.cursor() as cursor:
        # A random empty slot: which row a vote lands in says nothing about when it came.
        cursor.execute(FILL_SLOT[connection.vendor], [True, group, json.dumps(choices), poll.pk])
        if cursor.rowcount != 1:
            raise VotingError(_("No ballot is left in this poll's box; tell the meeting staff."))


def enter_paper_ballots(poll: Poll, *, voters: list[Deputy], sheets: list[dict], by=None) -> int:
    """Count paper ballots of voters who could not use a phone: the voters who handed one in
    (marked as paper) and, separately, the sheets from the box, in the same number."""
    if len(voters) != len(sheets):
        raise VotingError(
            _("%(voters)d voters handed in paper ballots but %(sheets)d sheets were entered; the numbers must match.")
            % {"voters": len(voters), "sheets": len(sheets)}
        )
    if not voters:
        raise VotingError(_("No paper ballots were entered."))
    items = list(poll.items.all())
    cleaned = [clean_choices(poll, items, sheet) for sheet in sheets]
    random.SystemRandom().shuffle(cleaned)
    with transaction.atomic():
        _lock_open_poll(poll)
        entries = {e.deputy_id: e for e in PollVoter.objects.filter(poll=poll, deputy__in=voters)}
        missing = [d.name for d in voters if d.pk not in entries]
        if missing:
            raise VotingError(_("Not in the electorate: %(names)s.") % {"names": "、".join(missing)})
        groups = [entries[d.pk].group for d in voters]
        try:
            with transaction.atomic():
                Participation.objects.bulk_create(
                    Participation(poll=poll, voter=entries[d.pk], channel=Participation.Channel.PAPER) for d in voters
                )
        except IntegrityError as exc:
            raise AlreadyVoted(_("Some of these voters have already voted; nothing was entered.")) from exc
        # Paper sheets cannot be told apart by group once in the box: members' and deputies'
        # sheets are counted in the groups of the voters who handed them in.
        random.SystemRandom().shuffle(groups)
        for group, choices in zip(groups, cleaned, strict=True):
            _fill_slot(poll, group, choices)
        audit.record(poll, "enter_paper_ballots", actor=by, count=len(voters), voters=[d.name for d in voters])
    return len(voters)


# --- counting --------------------------------------------------------------------------


def close_poll(poll: Poll, *, by=None) -> Poll:
    """Close an open poll and freeze its tally into result rows, in a constant number of
    queries whatever the number of voters. Closing twice reports the same tally."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status in (Poll.Status.CLOSED, Poll.Status.ANNOUNCED):
            return poll  # already counted: every close reports the one frozen tally
        if poll.status != Poll.Status.OPEN:
            raise VotingError(
                _("Only an open poll can be closed; this one is %(status)s.") % {"status": poll.get_status_display()}
            )
        participations = Participation.objects.filter(poll=poll).count()
        ballots = list(Ballot.objects.filter(poll=poll, filled=True).values_list("group", "choices"))
        if participations != len(ballots):
            raise VotingError(_("The number of ballots does not match the number of voters; the poll stays open."))
        items = list(poll.items.all())
        PollResult.objects.bulk_create(tally(poll, items, ballots))
        _reshuffle_box(poll)
        poll.status = Poll.Status.CLOSED
        poll.closed_at = timezone.now()
        poll.save(update_fields=["status", "closed_at"])
        audit.record(poll, "close_poll", actor=by, ballots=len(ballots), eligible=poll.eligible_count)
    return poll


# The filled ballots written again, in random order, under new random ids. On PostgreSQL a
# vote's fill is a new row version on its slot's page, and the line pointers within a page
# (a dozen slots) follow the order of filling; rewritten at the close, the kept box has no
# trace of that order. SQLite updates a row in place, under the rowid it had at the opening.
RESHUFFLE_BOX = """
WITH counted AS (DELETE FROM congress_ballot WHERE poll_id = %(poll)s AND filled RETURNING "group", choices)
INSERT INTO congress_ballot (id, poll_id, filled, "group", choices)
SELECT gen_random_uuid(), %(poll)s, true, "group", choices FROM counted ORDER BY random()
"""


def _reshuffle_box(poll: Poll) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(RESHUFFLE_BOX, {"poll": poll.pk})


def _quantize(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def tally(poll: Poll, items: list[PollItem], ballots: list[tuple[str, dict]]) -> list[PollResult]:
    """Count the ballots per item, level and voter group; rate, score, rank and verdict."""
    levels = poll.levels
    codes = [level["code"] for level in levels]
    results = []
    for group in ("all", VoterGroup.MEMBER, VoterGroup.DEPUTY):
        sheets = [choices for g, choices in ballots if group == "all" or g == group]
        if group != "all" and not sheets:
            continue
        group_results = []
        for item in items:
            counter = Counter(sheet.get(str(item.pk)) for sheet in sheets)
            counts = {code: counter.get(code, 0) for code in codes}
            blank = counter.get(None, 0)
            result = PollResult(poll=poll, item=item, group=group, counts=counts, blank=blank, ballots=len(sheets))
            if poll.kind == Poll.Kind.SATISFACTION:
                valid = sum(counts.values())
                if valid:
                    satisfied = sum(counts[lv["code"]] for lv in levels if lv.get("satisfied"))
                    weighted = sum(Decimal(str(lv.get("weight", 0))) * counts[lv["code"]] for lv in levels)
                    result.rate = _quantize(Decimal(satisfied) / valid, "0.0001")
                    result.score = _quantize(weighted / valid, "0.01")
                    # Compare the exact fraction, not the rounded rate: 50.004 % exceeds half.
                    share = Decimal(satisfied) / valid
                    result.passed = share > poll.pass_ratio if poll.pass_strictly else share >= poll.pass_ratio
            else:
                # 全体组成人员过半数: of everyone eligible; 到会过半数: of the ballots cast.
                base = len(sheets) if poll.pass_base == Poll.PassBase.VOTED else poll.eligible_count
                result.passed = Decimal(counts["yes"]) > poll.pass_ratio * base
            group_results.append(result)
        _rank(poll, group_results)
        results.extend(group_results)
    return results


def _rank(poll, results):
    def key(r):
        if poll.kind == Poll.Kind.SATISFACTION:
            return r.score
        return Decimal(r.counts["yes"])

    # An item nobody scored (every ballot left it blank) has no score and no rank.
    ranked = [r for r in results if poll.kind != Poll.Kind.SATISFACTION or r.score is not None]
    ordered = sorted(ranked, key=key, reverse=True)
    for position, result in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        result.rank = previous.rank if previous is not None and key(previous) == key(result) else position


def announce_poll(poll: Poll, *, by=None) -> Poll:
    """Show a closed poll's tally on the hall's screen (现场公布)."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status != Poll.Status.CLOSED:
            raise VotingError(
                _("Only a closed poll can be announced; this one is %(status)s.")
                % {"status": poll.get_status_display()}
            )
        poll.status = Poll.Status.ANNOUNCED
        poll.announced_at = timezone.now()
        poll.save(update_fields=["status", "announced_at"])
        audit.record(poll, "announce_poll", actor=by)
    return poll


def void_poll(poll: Poll, *, reason: str, by=None) -> Poll:
    """Void a wrong poll (kept, with the reason, on the record). Run it again with rerun_poll."""
    reason = (reason or "").strip()
    if not reason:
        raise VotingError(_("Give the reason for voiding the poll."))
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status == Poll.Status.VOID:
            raise VotingError(_("This poll is already void."))
        poll.status = Poll.Status.VOID
        poll.void_reason = reason
        poll.save(update_fields=["status", "void_reason"])
        audit.record(poll, "void_poll", actor=by, reason=reason)
    return poll


def rerun_poll(poll: Poll, *, by=None) -> Poll:
    """A new draft with the same sheet as a voided poll."""
    if poll.status != Poll.Status.VOID:
        raise VotingError(_("Only a void poll is run again."))
    items = [(i.label, i.note, i.ref) for i in poll.items.all()]
    with transaction.atomic():
        new = create_poll(
            poll.meeting,
            title=poll.title,
            kind=poll.kind,
            items=items,
            electorate=poll.electorate,
            levels=poll.levels,
            pass_ratio=poll.pass_ratio,
            pass_strictly=poll.pass_strictly,
            pass_base=poll.pass_base,
            by=by,
        )
        new.rerun_of = poll
        new.save(update_fields=["rerun_of"])
    return new


def add_unit_items(poll: Poll, units, *, by=None) -> int:
    """Put units on a draft ballot sheet (a work evaluation scores every unit at once)."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status != Poll.Status.DRAFT:
            raise VotingError(_("The ballot sheet can only be changed while the poll is a draft."))
        present = set(poll.items.values_list("label", flat=True))
        start = (poll.items.aggregate(n=Max("sort_order"))["n"] or 0) + 1
        new = [u for u in units if u.name not in present]
        PollItem.objects.bulk_create(
            PollItem(poll=poll, label=u.name, ref=f"congress.unit:{u.pk}", sort_order=start + i)
            for i, u in enumerate(new)
        )
        audit.record(poll, "add_unit_items", actor=by, count=len(new))
    return len(new)
