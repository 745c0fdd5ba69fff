"""The public board (公示栏) on the website and in the hall, no login: every active unit's
commitments and the supervision held on it at a glance, one unit's board, and the deliberation
opinions the committee published. Only what is public is read: drafts are not found."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from congress.models import Unit

from .. import selectors

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request) -> int:
    """The year asked for (?year=), else this year; nonsense falls back to this year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.this_year()
    return year if FIRST_YEAR <= year <= LAST_YEAR else selectors.this_year()


def board(request):
    year = _year(request)
    rows = selectors.public_board(year)
    totals = selectors.board_totals(rows)
    totals.update(
        visits_held=sum(r.visits_held for r in rows),
        activities_held=sum(r.activities_held for r in rows),
        activities_planned=sum(r.activities_planned for r in rows),
        suggestions=sum(r.suggestions for r in rows),
    )
    return render(
        request,
        "oversight/board.html",
        {"year": year, "rows": rows, "totals": totals, "this_year": selectors.this_year()},
    )


def unit_board(request, unit_pk):
    unit = get_object_or_404(
        Unit.objects.select_related("liaison_commission", "liaison_leader__deputy"), pk=unit_pk, active=True
    )
    year = _year(request)
    return render(
        request,
        "oversight/unit_board.html",
        {"page": selectors.unit_board(unit, year), "year": year, "this_year": selectors.this_year()},
    )


def deliberation(request, pk):
    found = selectors.published_deliberation(pk)
    if found is None:
        raise Http404
    return render(request, "oversight/deliberation.html", {"deliberation": found})
