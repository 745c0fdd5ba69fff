"""Every list of the back office counts its rows once, for every model admin on the site (mixed
in by ``CongressAdminSite.register``, the libraries' admins too).

Django's admin counts a list twice by default: the rows its filters and search leave (what the
pages need) and the whole table again, for the "3 results (12,000 total)" beside a search. Over
ten years the lists that grow (the audit trail, notices, the reminder log, suggestions) would
pay for the second count on every page; the list offers "Show all" instead.
"""


class CountsOnce:
    """For model admins: one count per list page."""

    show_full_result_count = False
