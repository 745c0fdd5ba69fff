"""Two (or six) staff issuing the same kind of document at the same moment get consecutive
numbers: real threads, each on its own PostgreSQL connection, racing for the counter row."""

import threading

import pytest

from congress.models import Committee, DocumentCounter, IssuedDocument
from congress.services import documents as issuing
from tests.concurrency import at_once
from tests.documents.test_issuing import inquiry_motion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_issuing_at_once_get_consecutive_numbers(postgres_only):
    Committee.objects.create(name="清河县人民代表大会常务委员会", county="清河县", document_code="清人常")
    clerks = [UserFactory(username=f"staff-{i}", roles=["staff"]) for i in range(6)]
    work = [(clerk, inquiry_motion(f"县单位{i}")) for i, clerk in enumerate(clerks)]
    lock = threading.Lock()

    def issue():
        with lock:
            clerk, motion = work.pop()
        return issuing.issue_document("inquiry_motion", motion, by=clerk).number

    numbers = at_once(issue, 6)
    year = IssuedDocument.objects.first().year
    assert sorted(numbers) == sorted(f"清人常质〔{year}〕{n}号" for n in range(1, 7))
    assert sorted(IssuedDocument.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert DocumentCounter.objects.get(kind="inquiry_motion", year=year).last == 6
    # Each clerk's document is theirs, under its own number.
    assert set(IssuedDocument.objects.values_list("issued_by__username", flat=True)) == {c.username for c in clerks}
