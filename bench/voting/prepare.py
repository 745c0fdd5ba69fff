"""The Django side of bench/voting/run.py, run in a subprocess (DJANGO_SETTINGS_MODULE and
DATABASE_URL come from run.py), so that the bench process itself stays a plain HTTP client.

    prepare.py setup  --voters 1000 --items 27 --pg-polls 120   -> JSON on stdout
    prepare.py verify --poll ID                                  -> JSON on stdout
    prepare.py queries                                           -> the SQL of one phone vote
    prepare.py pgbench                                           -> pgbench's script of a vote

setup makes two meetings: the burst's (one open satisfaction poll of ``--items`` items, voted
with ``--voters`` voting codes) and pgbench's (``--pg-polls`` open polls of ``--voters`` empty
slots each, and codes whose digests pgbench can compute: the index, zero-padded to 64).
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from congress.models import Ballot, Participation, Poll, VoterCode  # noqa: E402
from congress.services import voting  # noqa: E402
from tests.factories import UNIT_NAMES_27, MeetingFactory, TermFactory  # noqa: E402


def _meeting(title: str):
    """A meeting of the current term (made once, shared by every run of this script)."""
    return MeetingFactory(term=TermFactory(), title=title)


def _items(n: int) -> list[str]:
    return [UNIT_NAMES_27[i] if i < len(UNIT_NAMES_27) else f"县第{i + 1}单位" for i in range(n)]


def _satisfaction_poll(meeting, title: str, items: int) -> Poll:
    return voting.create_poll(
        meeting, title=title, kind=Poll.Kind.SATISFACTION, items=_items(items), electorate=Poll.Electorate.CODES
    )


def setup(args) -> dict:
    meeting = _meeting("县人大常委会工作评议大会")
    codes = voting.issue_voter_codes(meeting, args.voters)
    # One poll a round, all of the same meeting: the same codes vote once in each.
    polls = [
        voting.open_poll(_satisfaction_poll(meeting, f"2025年度部门工作满意度测评（第{r + 1}轮）", args.items))
        for r in range(args.rounds)
    ]
    poll = polls[0]
    # The plenary hall's polls, one a round, voted by the first --hall codes.
    hall_polls = [
        voting.open_poll(_satisfaction_poll(meeting, f"2025年度专项工作满意度测评（第{r + 1}轮）", args.items)).pk
        for r in range(args.hall_rounds)
    ]

    # pgbench's polls: same sheet, same number of slots; codes with computable digests.
    pg_meeting = _meeting("pgbench")
    VoterCode.objects.bulk_create(VoterCode(meeting=pg_meeting, digest=f"{i:064d}") for i in range(args.voters))
    pg_polls = []
    for k in range(args.pg_polls):
        pg_polls.append(voting.open_poll(_satisfaction_poll(pg_meeting, f"pgbench {k}", args.items)).pk)
    if pg_polls != list(range(pg_polls[0], pg_polls[0] + len(pg_polls))):
        raise SystemExit("pgbench's polls did not get consecutive ids")
    # One opening time for all of them, so that pgbench passes it as the app does.
    opened = Poll.objects.get(pk=pg_polls[0]).opened_at
    Poll.objects.filter(pk__in=pg_polls).update(opened_at=opened)
    item_ids = list(poll.items.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "poll": poll.pk,
        "polls": [p.pk for p in polls],
        "hall_polls": hall_polls,
        "items": item_ids,
        "codes": codes,
        "pg_meeting": pg_meeting.pk,
        "pg_poll0": pg_polls[0],
        "pg_opened": opened.isoformat(),
        "pg_polls": len(pg_polls),
        "slots": args.voters,
    }


def verify(args) -> dict:
    poll = Poll.objects.get(pk=args.poll)
    ballots = Ballot.objects.filter(poll=poll)
    return {
        "participations": Participation.objects.filter(poll=poll).count(),
        "distinct_codes": Participation.objects.filter(poll=poll).values("code").distinct().count(),
        "filled": ballots.filter(filled=True).count(),
        "empty": ballots.filter(filled=False).count(),
        "complete_sheets": sum(
            1 for c in ballots.filter(filled=True).values_list("choices", flat=True) if len(c) == poll.items.count()
        ),
    }


def queries(args) -> dict:
    """The SQL of one phone vote (GET of the sheet skipped), on a throwaway poll: what the
    pgbench script mirrors, and the per-request query count for the report."""
    meeting = _meeting("queries")
    code = voting.issue_voter_codes(meeting, 1)[0]
    poll = voting.open_poll(_satisfaction_poll(meeting, "queries", args.items))
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(f"/m/v/{code}/")
    data = {f"item-{pk}": "satisfied" for pk in poll.items.values_list("pk", flat=True)} | {"confirm": "1"}
    out = {}
    for name in ("accepted", "refused"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"/m/polls/{poll.pk}/", data)
        out[name] = {"status": response.status_code, "queries": [q["sql"] for q in ctx.captured_queries]}
    return out


def pgbench(args) -> dict:
    """pgbench's script of one phone vote: the statements ``voting.cast_ballot`` sends, taken
    from a real cast on a throwaway poll (``connection.execute_wrapper``), with pgbench's
    variables for the values that change from vote to vote: the lookup of the voter in
    autocommit (its answer kept with ``\\gset``), then BEGIN, the participation under
    the poll's lock, the slot, COMMIT, as the app sends them. Client c's n-th vote goes to poll
    poll0 + n / per with code c * per + n % per: no two votes share a (poll, code), and no
    poll is given more votes than it has empty slots."""
    meeting = _meeting("pgbench capture")
    codes = voting.issue_voter_codes(meeting, 3)
    poll = voting.open_poll(_satisfaction_poll(meeting, "capture", args.items))
    code = next(c for c in codes if VoterCode.objects.get(digest=voting.code_digest(c)).pk != poll.pk)
    code_id = VoterCode.objects.get(digest=voting.code_digest(code)).pk
    items = list(poll.items.all())  # as the phone's confirm has them: kept with the sheet
    choices = {str(item.pk): "satisfied" for item in items}
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        voting.cast_ballot(poll, voting.Voter(code=code), choices, items=items)
    values = {
        poll.pk: ":poll",
        voting.code_digest(code): "lpad(:code::text, 64, '0')",
        code_id: ":code_id",  # from the lookup's answer (\\gset)
        json.dumps(choices): ":choices",
        poll.opened_at: "(:opened)::timestamptz",  # every pgbench poll opened at that time
    }
    lines = [PGBENCH_HEAD.rstrip("\n")]
    for n, (sql, params) in enumerate(captured):
        for value in params or ():
            if value is None or isinstance(value, bool):  # before the lookup: True == 1
                text = {None: "NULL", True: "true", False: "false"}[value]
            elif value in values:
                text = values[value]
            elif isinstance(value, str):
                text = "'" + value.replace("'", "''") + "'"
            else:
                raise SystemExit(f"a value of the cast has no pgbench counterpart: {value!r} in {sql}")
            sql = sql.replace("%s", text, 1)
        sql = " ".join(sql.split())
        if n == 0:
            lines += [sql + "", "\\gset", "BEGIN;"]
        else:
            lines.append(sql + ";")
    lines.append("COMMIT;")
    return {"script": "\n".join(lines) + "\n", "statements": len(captured)}


PGBENCH_HEAD = r"""\set n :n + 1
\set poll :poll0 + :n / :per
\set code :client_id * :per + :n % :per
"""


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--voters", type=int, default=1000)
    p.add_argument("--items", type=int, default=27)
    p.add_argument("--pg-polls", type=int, default=120)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--hall-rounds", type=int, default=0)
    p = sub.add_parser("verify")
    p.add_argument("--poll", type=int, required=True)
    p = sub.add_parser("queries")
    p.add_argument("--items", type=int, default=27)
    p = sub.add_parser("pgbench")
    p.add_argument("--items", type=int, default=27)
    args = parser.parse_args()
    result = {"setup": setup, "verify": verify, "queries": queries, "pgbench": pgbench}[args.command](args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
