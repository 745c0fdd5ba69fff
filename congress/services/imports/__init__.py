"""Roster import from Excel: the county's lists (deputies, deputy groups, standing committee
members, commissions and their seats, units, their liaisons, officials) as the office already
keeps them in .xlsx workbooks.

The office's own workbook is read as it is: the header row is found below titles, merged cells
and blank rows; columns are recognised under the names offices use (联系电话 / 手机 / 手机号码),
and those that are not are reported by their own header text. Every row is checked first —
required cells, mobile and citizen ID numbers, dates, choice labels, names that must match a
record on file, duplicates within the file — and each row is recognised against the registry,
so that a second import of the same file changes nothing and a corrected file updates what
changed. ``preview_roster`` says what every row would do; ``import_roster`` writes it: every
row or none, in one transaction, with one audit entry. A refused file raises ``RosterRejected``
with every problem by the sheet's own row number and column; ``marks.marked_copy`` gives the
office its workbook back with those cells marked and the reasons in comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from congress.models import Term
from congress.services import audit

from .base import CREATE, UNCHANGED, UPDATE, Roster, RosterPlan, RowPlan
from .cells import BOOL, CHOICE, DATE, EMAIL, ID_NUMBER, MOBILE, MONTH, NAME, REF, TEXT, Column, parse_date
from .problems import RosterRejected, RowProblem
from .reading import MAX_ROWS, read_sheet
from .rosters_bodies import CommissionRoster, OfficialRoster, SeatRoster, UnitRoster
from .rosters_people import DeputyGroupRoster, DeputyRoster, LiaisonRoster, MemberRoster

# In the order a new county imports them: each names records of the ones before it.
ROSTERS: dict[str, type[Roster]] = {
    r.kind: r
    for r in (
        DeputyGroupRoster,
        DeputyRoster,
        MemberRoster,
        CommissionRoster,
        SeatRoster,
        UnitRoster,
        LiaisonRoster,
        OfficialRoster,
    )
}

__all__ = [
    "BOOL",
    "CHOICE",
    "CREATE",
    "DATE",
    "EMAIL",
    "ID_NUMBER",
    "MAX_ROWS",
    "MOBILE",
    "MONTH",
    "NAME",
    "REF",
    "ROSTERS",
    "TEXT",
    "UNCHANGED",
    "UPDATE",
    "Column",
    "ImportResult",
    "Roster",
    "RosterPlan",
    "RosterRejected",
    "RowPlan",
    "RowProblem",
    "import_roster",
    "parse_date",
    "preview_roster",
    "roster_for",
]


@dataclass(frozen=True)
class ImportResult:
    """What an accepted import wrote: records of roster ``kind`` created, updated and left
    unchanged, and the confirmed records of other kinds it created (``made``: label → count)."""

    kind: str
    created: int
    updated: int = 0
    unchanged: int = 0
    made: dict[str, int] = field(default_factory=dict)


def roster_for(kind: str, term: Term | None = None) -> Roster:
    try:
        return ROSTERS[kind](term)
    except KeyError:
        raise ValueError(f"unknown roster kind {kind!r}; one of {', '.join(ROSTERS)}") from None


def _current_term() -> Term:
    term = Term.objects.filter(is_current=True).first()
    if term is None:
        raise RosterRejected([RowProblem(0, "", gettext("No term is marked as current; set the current term first."))])
    return term


def preview_roster(kind: str, fileobj, *, create_missing: bool = False) -> RosterPlan:
    """What importing the file would do, row by row, and every problem; writes nothing. Raises
    RosterRejected only when the file cannot be read as a roster at all."""
    roster = roster_for(kind)
    sheet = read_sheet(fileobj, roster.COLUMNS)
    roster.term = _current_term()
    return roster.plan(sheet, create_missing=create_missing)


def import_roster(kind: str, fileobj, *, by=None, create_missing: bool = False) -> ImportResult:
    """Import a roster of ``kind`` from an .xlsx file (the office's own workbook).

    For the committee this is how a county's lists come in and are kept up to date: the office
    checks its file here, and either every row is written or none is. Rows describing a record
    on file update it (a second import of the same file changes nothing); records the file names
    and the registry lacks (deputy groups, units) are created only with ``create_missing``,
    which staff give after seeing them listed in the preview. Every problem of the file is
    raised together in ``RosterRejected`` (with the plan, for the marked copy)."""
    roster = roster_for(kind)
    sheet = read_sheet(fileobj, roster.COLUMNS)
    term = roster.term = _current_term()
    try:
        with transaction.atomic():
            plan = roster.plan(sheet, create_missing=create_missing)
            if plan.problems:
                raise RosterRejected(plan.problems, plan=plan)
            made = roster.apply()
            audit.record(
                term,
                "import_roster",
                actor=by,
                kind=kind,
                created=plan.created,
                updated=plan.updated,
                unchanged=plan.unchanged,
                **({"made": made} if made else {}),
            )
    except IntegrityError as exc:
        # Someone added a conflicting record between the checks and the write.
        raise RosterRejected(
            [RowProblem(0, "", gettext("The records changed while the file was being imported; import it again."))]
        ) from exc
    labels = {kind: str(roster.MISSING_LABELS.get(kind, kind)) for kind in made}
    return ImportResult(
        kind=kind,
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        made={labels[k]: n for k, n in made.items()},
    )
