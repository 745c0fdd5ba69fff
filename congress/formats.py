"""One way of writing a rate and a date, on every page and in every export: a satisfaction
rate reads 90.32% on the back office's results, the hall's screen and the public site, and
its Excel cell shows the same two decimals; a date reads 2026-03-31 everywhere."""

import datetime
from decimal import Decimal

RATE_DECIMALS = 2
# The number format of a rate's cell in Excel: the same two decimals as on the pages.
EXCEL_RATE_FORMAT = "0.00%"
EXCEL_DATE_FORMAT = "yyyy-mm-dd"
DATE_FORMAT = "%Y-%m-%d"


def percent_text(fraction: float | Decimal | None) -> str:
    """A share (0.9032) as the committee writes it (90.32%); "—" when there is none."""
    if fraction is None or fraction == "":
        return "—"
    return f"{float(fraction) * 100:.{RATE_DECIMALS}f}%"


def outcome_text(passed: bool | None) -> str:
    """A ballot's or an evaluation's outcome in the one pair of words GLOSSARY.md gives it:
    通过 / 未通过 ("—" when there is none, e.g. no valid ballot)."""
    from django.utils.translation import gettext

    if passed is None:
        return "—"
    return gettext("Passed") if passed else gettext("Failed")


def date_text(day: datetime.date | datetime.datetime | None) -> str:
    """A day as 2026-03-31 (a moment in the committee's time zone); "—" when there is none."""
    if not isinstance(day, datetime.date):  # None, or a template's empty value
        return "—"
    if isinstance(day, datetime.datetime):
        from django.utils import timezone

        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return day.strftime(DATE_FORMAT)
