"""The suggestion handling's documents issued from the demo county: the 交办函 to a lead unit and
a co-unit, the 督办函 for a late reply, and the year's handling report, read back with
python-docx."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from congress import demo
from congress.models import User
from congress.services import documents as issuing
from suggestions import selectors
from suggestions.models import Assignment, YearStatistics

from .helpers import assert_official_format, open_docx, text_of

pytestmark = pytest.mark.django_db


def read(issued):
    with issued.file.open("rb") as handle:
        return open_docx(handle.read())


def test_suggestion_documents_from_the_demo_county():
    demo.load_demo()
    demo.load_extensions()
    staff = User.objects.get(username="staff")
    year = timezone.localdate().year
    lead = (
        Assignment.objects.filter(role="lead", status="active", due_at__isnull=False)
        .select_related("suggestion__lead_deputy", "unit")
        .order_by("pk")
        .first()
    )
    suggestion = lead.suggestion

    letter = issuing.issue_document("assignment_letter", lead, by=staff)
    assert letter.number == f"清人常办函〔{year}〕1号"
    document = read(letter)
    assert_official_format(document, title="关于交办代表建议的函", number=letter.number, addressee=lead.unit.name)
    text = text_of(document)
    due = timezone.localtime(lead.due_at).date()
    assert f"{suggestion.lead_deputy.name}代表" in text
    assert f"第{suggestion.number}号建议《{suggestion.title}》交你单位主办" in text
    assert f"于{due.year}年{due.month}月{due.day}日前书面答复代表" in text
    assert letter.unit == lead.unit

    # A month after the reply was due, the office chases it.
    with time_machine.travel(lead.due_at + datetime.timedelta(days=30, hours=1), tick=False):
        chase = issuing.issue_document("supervision_letter", lead, by=staff)
    chase_text = text_of(read(chase))
    assert "现已逾期30天" in chase_text and f"《{suggestion.title}》" in chase_text
    assert chase.number.startswith("清人常督函〔")

    closed = Assignment.objects.filter(status="closed").first()
    if closed is not None:
        with pytest.raises(ValidationError):
            issuing.issue_document("supervision_letter", closed, by=staff)

    statistics, _created = YearStatistics.objects.get_or_create(year=year)
    report = issuing.issue_document("suggestion_report", statistics, by=staff)
    document = read(report)
    assert_official_format(
        document,
        title=f"关于{year}年度代表建议办理情况的报告",
        number=report.number,
        addressee="县人民代表大会常务委员会",
    )
    rows = selectors.unit_statistics(year)
    text = text_of(document)
    assert f"建议共{sum(r.received for r in rows)}件，交{len(rows)}个单位主办" in text
    table = document.tables[0].rows
    assert len(table) == 1 + len(rows)
    best = table[1].cells
    assert [best[1].text, best[2].text, best[6].text] == [rows[0].unit, str(rows[0].received), str(rows[0].score)]
