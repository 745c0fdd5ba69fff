"""On PostgreSQL a connection prepares the statements it repeats (settings: server-side binding
and psycopg's prepare threshold), so that a hall's vote taps and every page's repeated queries
are planned once per connection, not on every request. The vote's own statements included."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from congress.models import Poll
from congress.services import voting
from tests.factories import MeetingFactory, TermFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="prepared statements: PostgreSQL"
    ),
]


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_vote_tap_repeated_on_one_connection_runs_as_a_prepared_statement():
    meeting = MeetingFactory(term=TermFactory(), title="县十八届人大常委会第二十次会议")
    codes = voting.issue_voter_codes(meeting, 8)
    poll = voting.create_poll(
        meeting,
        title="对县民政局工作的满意度测评",
        kind=Poll.Kind.SATISFACTION,
        items=["县民政局"],
        electorate=Poll.Electorate.CODES,
    )
    poll = voting.open_poll(poll)
    item = str(poll.items.get().pk)
    for code in codes:
        voting.cast_ballot(poll, voting.Voter(code=code), {item: "satisfied"})

    statements = prepared()
    assert any("congress_votercode" in s and "congress_participation" in s for s in statements), statements
    assert any(s.lstrip().startswith("INSERT INTO congress_participation") for s in statements), statements
    assert poll.participations.count() == 8


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    env = {"DATABASE_PREPARED_STATEMENTS": "false", "DJANGO_SETTINGS_MODULE": "congress.settings"}
    off = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
