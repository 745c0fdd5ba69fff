"""The handling table (办理情况汇总表) to Excel: one row per accepted suggestion with its number,
title, deputies, category, units, dates, reply category, rating and status.

Rows are read as plain tuples in chunks (co-signers and co-units with one query per chunk),
written with openpyxl's write_only mode into a temporary file and sent in chunks, so memory
stays flat and the time is mostly openpyxl's own (bench/suggestions measures both)."""

import tempfile
from collections.abc import Iterator
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _

from congress import xlsx

from .models import Assignment, Cosigner, Feedback, Reply, Suggestion

CHUNK_ROWS = 2000
CHUNK_BYTES = 64 * 1024


def header() -> list[str]:
    return [
        _("number"),
        _("title"),
        _("lead deputy"),
        _("co-signers"),
        _("category"),
        _("Lead unit"),
        _("Co-unit"),
        _("assigned at"),
        _("reply due"),
        _("replied at"),
        _("reply category"),
        _("rating"),
        _("status"),
    ]


def rows(suggestions=None) -> Iterator[list]:
    """The header, then one row per suggestion, in number order."""
    yield header()
    suggestions = suggestions if suggestions is not None else Suggestion.objects.filter(number__isnull=False)
    statuses = {k: str(v) for k, v in Suggestion.Status.choices}
    ratings = {k: str(v) for k, v in Feedback.Rating.choices}
    tz = timezone.get_current_timezone()  # once: looking it up per cell costs a second here

    def day(value):
        return value.astimezone(tz).date() if value else None

    recess = _("Recess No. %(number)d")
    during = _("No. %(number)d")
    base = suggestions.order_by("session__year", "between_sessions", "number", "pk").values_list(
        "pk", "number", "between_sessions", "title", "lead_deputy__name", "category__name", "status"
    )
    it = base.iterator(chunk_size=CHUNK_ROWS)
    while chunk := list(islice(it, CHUNK_ROWS)):
        ids = [row[0] for row in chunk]
        cosigners: dict[int, list[str]] = {}
        for sid, name in Cosigner.objects.filter(suggestion_id__in=ids, status=Cosigner.Status.CONFIRMED).values_list(
            "suggestion_id", "deputy__name"
        ):
            cosigners.setdefault(sid, []).append(name)
        leads: dict[int, tuple] = {}
        co_units: dict[int, list[str]] = {}
        for sid, role, unit, assigned_at, due_at in (
            Assignment.objects.filter(suggestion_id__in=ids, status=Assignment.Status.ACTIVE)
            .order_by("pk")
            .values_list("suggestion_id", "role", "unit__name", "assigned_at", "due_at")
        ):
            if role == Assignment.Role.LEAD:
                leads[sid] = (unit, assigned_at, due_at)
            else:
                co_units.setdefault(sid, []).append(unit)
        replies: dict[int, tuple] = {}
        for sid, replied_at, category, rating in (
            Reply.objects.filter(suggestion_id__in=ids)
            .order_by("replied_at", "pk")
            .values_list("suggestion_id", "replied_at", "category", "feedback__rating")
        ):
            replies[sid] = (replied_at, category, rating)
        for pk, number, between, title, lead, category, status in chunk:
            unit, assigned_at, due_at = leads.get(pk, ("", None, None))
            replied_at, reply_category, rating = replies.get(pk, (None, "", None))
            yield [
                (recess if between else during) % {"number": number},
                title,
                lead,
                "、".join(cosigners.get(pk, ())),
                category or "",
                unit,
                "、".join(co_units.get(pk, ())),
                day(assigned_at),
                day(due_at),
                day(replied_at),
                reply_category,
                ratings.get(rating, ""),
                statuses[status],
            ]


def write_workbook(produced: Iterator[list], out, *, title: str) -> None:
    """Write rows to ``out`` (a binary file) through :mod:`congress.xlsx`: the header, then dates
    as dates and text as text, never a formula."""
    workbook = xlsx.Workbook()
    sheet = workbook.sheet(title, next(produced), widths=[14, 40, 12, 24, 12, 24, 24])
    sheet.extend(produced)
    workbook.book.save(out)


def export_handling_table(suggestions=None) -> Iterator[bytes]:
    """The handling table's bytes, in chunks (written to a temporary file first)."""
    with tempfile.TemporaryFile() as out:
        write_workbook(rows(suggestions), out, title=_("Handling table"))
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk


def export_filename(year: int) -> str:
    """The download name, e.g. 代表建议-2026.xlsx."""
    return xlsx.filename(_("Deputies' suggestions"), year)
