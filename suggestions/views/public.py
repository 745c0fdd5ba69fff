"""Published statistics of the handling of suggestions, per unit and year: the public reads
only years the office has published."""

from django.http import Http404
from django.shortcuts import redirect, render

from .. import selectors


def statistics(request, year=None):
    years = selectors.public_years()
    if year is None:
        if not years:
            return render(request, "suggestions/public_statistics.html", {"years": [], "rows": None})
        return redirect("suggestions:public_statistics_year", year=years[0])
    found = selectors.public_year(year)
    if found is None:
        raise Http404
    rows, repeats = found
    return render(
        request,
        "suggestions/public_statistics.html",
        {"years": years, "year": year, "rows": rows, "repeats": repeats},
    )
