"""The year's statistics per lead unit, figure by figure, on a small county where replies come
late, are replaced after re-handling and are rated then re-rated: received, replied on time (the
first reply), completed, the A/B/C/D shares (the latest reply), satisfaction (the latest rated
reply) and the score; co-units are not counted. A fixed number of queries whatever the size."""

import datetime

import pytest
from django.utils import timezone

from suggestions import selectors
from suggestions.models import Feedback, Reply, Suggestion
from tests.factories import UnitFactory
from tests.suggestions import factories as f

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def reply(assignment, category, *, days, on_time=True, rating=None):
    row = Reply.objects.create(
        suggestion=assignment.suggestion,
        assignment=assignment,
        category=category,
        text="已办理。",
        letter=f.letter(),
        on_time=on_time,
        replied_at=timezone.now() - datetime.timedelta(days=30 - days),
    )
    if rating:
        Feedback.objects.create(reply=row, deputy=assignment.suggestion.lead_deputy, rating=rating)
    return row


@pytest.fixture
def county():
    office = f.staff_user("bgs-stat")
    water, education = UnitFactory(name="县水利局"), UnitFactory(name="县教育局")
    leads = []
    for n in range(4):
        _s, lead, _l = f.assigned(unit=water, by=office, title=f"关于第{n}座电排站年久失修的建议")
        leads.append(lead)
    _s, other, _l = f.assigned(unit=education, co_units=[water], by=office, title="关于改善乡村学校校舍条件的建议")
    first, second, third, _none = leads
    reply(first, "A", days=1, rating="satisfied")
    reply(second, "B", days=1, on_time=False, rating="basic")  # late, rated,
    reply(second, "A", days=5)  # then answered again, not rated
    reply(third, "C", days=1, rating="satisfied")  # on time, rated,
    reply(third, "D", days=5, rating="unsatisfied")  # re-handled and rated worse
    reply(other, "B", days=2)
    Suggestion.objects.filter(pk__in=[first.suggestion_id, third.suggestion_id]).update(status=S.COMPLETED)
    return first.suggestion.session.year


def figures(row):
    return {
        "unit": row.unit,
        "received": row.received,
        "replied": row.replied,
        "on_time": row.on_time,
        "completed": row.completed,
        "rated": row.rated,
        "satisfied": row.satisfied,
        "rates": (row.on_time_rate, row.completion_rate, row.satisfaction_rate),
        "shares": row.shares,
        "score": row.score,
    }


def test_the_figures_of_each_lead_unit(county, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = selectors.unit_statistics(county)
    assert [figures(r) for r in rows] == [
        {
            "unit": "县水利局",
            "received": 4,
            "replied": 3,
            "on_time": 2,
            "completed": 2,
            "rated": 3,
            "satisfied": 2,
            "rates": (50.0, 50.0, 66.7),
            "shares": [("A", 66.7), ("B", 0.0), ("C", 0.0), ("D", 33.3)],
            "score": 56.7,
        },
        {
            "unit": "县教育局",
            "received": 1,
            "replied": 1,
            "on_time": 1,
            "completed": 0,
            "rated": 0,
            "satisfied": 0,
            "rates": (100.0, 0.0, 0.0),
            "shares": [("A", 0.0), ("B", 100.0), ("C", 0.0), ("D", 0.0)],
            "score": 30.0,
        },
    ]
    assert selectors.unit_statistics(county + 1) == []


def test_the_matters_asked_again_read_only_the_linked_suggestions(county, django_assert_max_num_queries):
    """A year of suggestions none of which is linked to an earlier one: one query (the links of
    the year's suggestions), no suggestion read, whatever the number of the year's suggestions."""
    with django_assert_max_num_queries(1):
        assert selectors.repeated_matters(county) == []
