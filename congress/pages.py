"""A page of a list that grows with the years (the rectification ledger, a unit's or a
deputy's suggestions): Django's paginator, the page number read through ``congress.params``,
and the query string of the other links kept. A page past the last shows the last page."""

from django.core.paginator import Paginator

from . import params

PER_PAGE = 50


def page(request, items, *, per_page: int = PER_PAGE):
    """The page of ``items`` (a query, ordered) that ``?page=`` asks for; its ``other_query``
    is the request's query string without the page, for the pager's links."""
    paginator = Paginator(items, per_page)
    found = paginator.get_page(params.integer(request.GET, "page", 1, minimum=1))
    query = request.GET.copy()
    query.pop("page", None)
    found.other_query = query.urlencode()
    return found
