"""Run by bench/pages/run.py under Django (the bench's database) after the demo county is
loaded: a satisfaction poll of 27 units open to the standing committee's members and a
questionnaire open to deputies, so that the ballot and the questionnaire, the heaviest deputy
pages, are among the pages weighed."""

import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from congress.models import Meeting, Poll, Unit  # noqa: E402
from congress.services import voting  # noqa: E402
from tests.surveys.factories import topic_survey  # noqa: E402


def main() -> None:
    meeting = Meeting.objects.order_by("pk").first()
    units = list(Unit.objects.order_by("pk").values_list("name", flat=True)[:27])
    poll = voting.create_poll(
        meeting,
        title="县政府组成部门工作满意度测评",
        kind=Poll.Kind.SATISFACTION,
        items=units,
        electorate=Poll.Electorate.MEMBERS,
    )
    voting.open_poll(poll)
    topic_survey()


if __name__ == "__main__":
    main()
