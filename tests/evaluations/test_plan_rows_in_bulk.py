"""Term-plan rows in bulk (issue 27): the units ticked are put on one year at once, each a row of
the plan's table; a unit already on that year keeps its row, and an approved plan is not changed."""

import datetime

import pytest

from evaluations.models import PlanEntry, TermPlan
from evaluations.services import EvaluationError, planning
from tests.factories import TermFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def inline_management(plan=None, rows=()):
    """The plan's table of rows as the form posts it, unchanged."""
    data = {
        "entries-TOTAL_FORMS": str(len(rows)),
        "entries-INITIAL_FORMS": str(len(rows)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(rows):
        data.update(
            {
                f"entries-{n}-id": str(entry.pk),
                f"entries-{n}-plan": str(plan.pk),
                f"entries-{n}-year": str(entry.year),
                f"entries-{n}-unit": str(entry.unit_id),
            }
        )
    return data


def test_staff_put_many_units_on_a_year_in_one_save(client):
    term = TermFactory(is_current=True, number=18)
    units = [UnitFactory(name=n, sort_order=i) for i, n in enumerate(["县财政局", "县教育局", "县水利局", "县民政局"])]
    client.force_login(UserFactory(username="staff-plan", roles=["staff"]))

    form = client.get("/admin/evaluations/termplan/add/")
    assert form.context["adminform"].form.initial["term"] == term.pk  # the current term, the usual title
    response = client.post(
        "/admin/evaluations/termplan/add/",
        {
            "term": term.pk,
            "title": "县第18届人大常委会部门工作评议规划",
            "schedule_units": [units[0].pk, units[1].pk],
            "schedule_year": "2026",
            "schedule_deadline": "2026-10-31",
            **inline_management(),
        },
    )
    plan = TermPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/termplan/{plan.pk}/change/")
    rows = list(plan.entries.values_list("unit__name", "year", "deadline"))
    assert rows == [("县财政局", 2026, datetime.date(2026, 10, 31)), ("县教育局", 2026, datetime.date(2026, 10, 31))]

    # Again for the next year, one unit already on 2026 ticked again for 2026 keeps its one row.
    client.post(
        f"/admin/evaluations/termplan/{plan.pk}/change/",
        {
            "term": term.pk,
            "title": plan.title,
            "schedule_units": [units[1].pk, units[2].pk],
            "schedule_year": "2026",
            **inline_management(plan, list(plan.entries.all())),
        },
    )
    assert plan.entries.count() == 3
    assert PlanEntry.objects.filter(plan=plan, unit=units[1], year=2026).count() == 1


def test_an_approved_plan_takes_no_more_rows():
    plan = TermPlan.objects.create(term=TermFactory(), title="评议规划")
    unit = UnitFactory()
    assert planning.schedule_units(plan, [unit], year=2026, by=None) == 1
    planning.approve_plan(plan, accept_uncovered=True)
    with pytest.raises(EvaluationError):
        planning.schedule_units(plan, [UnitFactory(name="县审计局")], year=2027, by=None)
    assert plan.entries.count() == 1
