"""Reading an office's workbook: the sheet that holds the roster, its header row wherever the
office put it (below a merged title, a date line and blank rows), which column is which under
the names offices use, which columns were not recognised, and the data rows with the sheet's
own row numbers."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .cells import Column, blank, cell_text, header_key, header_key_without_note
from .problems import RosterRejected, RowProblem

# A county roster has hundreds of rows; a file far larger than this is not a roster.
MAX_ROWS = 10_000
# The header is looked for in the first rows of each sheet (titles, dates, notes come first).
HEADER_SEARCH_ROWS = 20
# Columns every office adds that hold nothing to keep; not reported as unrecognised.
IGNORED_HEADERS = {"序号", "编号", "备注", "说明", "备考"}

# What openpyxl raises for a file that is not a readable workbook (an old .xls, a CSV, a broken
# zip or broken XML: xml.etree's ParseError is a SyntaxError).
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError, EOFError)


@dataclass
class Sheet:
    """The roster found in a workbook."""

    title: str = ""
    header_row: int = 0
    positions: dict[str, int] = field(default_factory=dict)  # column field -> cell index
    headers: dict[str, str] = field(default_factory=dict)  # column field -> header as written
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (header, column letter)
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (sheet row number, cells)

    def header_of(self, column: Column) -> str:
        return self.headers.get(column.field, column.header)

    def index_of(self, column: Column) -> int | None:
        return self.positions.get(column.field)


def not_a_workbook() -> RosterRejected:
    return RosterRejected(
        [RowProblem(0, "", gettext("The file is not an Excel workbook (.xlsx); save it as .xlsx and try again."))]
    )


def _lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    lookup = {}
    for column in columns:
        for header in column.headers():
            lookup.setdefault(header_key(header), column)
    return lookup


def _match(lookup: dict[str, Column], value) -> Column | None:
    key = header_key(value)
    return lookup.get(key) or lookup.get(header_key_without_note(key))


def _find_header(rows: list[tuple], lookup) -> int | None:
    """The index of the row that names the most known columns (at least two), the first one
    if several do."""
    best, best_count = None, 1
    for index, cells in enumerate(rows):
        count = len({id(c) for c in (_match(lookup, v) for v in cells if not blank(v)) if c})
        if count > best_count:
            best, best_count = index, count
    return best


def read_sheet(fileobj, columns: tuple[Column, ...]) -> Sheet:
    """Read the roster from the first sheet that has a header row naming its columns, or raise
    RosterRejected for a file that is not a workbook, has no such header, lacks required
    columns, has no rows or far too many."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise not_a_workbook() from exc
    lookup = _lookup(columns)
    seen_content = False
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            head = []
            for cells in rows:
                head.append(cells)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            seen_content = seen_content or any(not blank(v) for cells in head for v in cells)
            found = _find_header(head, lookup)
            if found is None:
                continue
            sheet = Sheet(title=worksheet.title, header_row=found + 1)
            _map_header(sheet, head[found], lookup, columns)
            number = found + 1
            for cells in [*head[found + 1 :], *rows]:
                number += 1
                if all(blank(cells[i]) for i in sheet.positions.values() if i < len(cells)):
                    continue  # blank rows, and notes or signatures below the table (制表人：…)
                if len(sheet.rows) >= MAX_ROWS:
                    raise RosterRejected(
                        [
                            RowProblem(
                                number,
                                "",
                                gettext("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS},
                            )
                        ]
                    )
                sheet.rows.append((number, cells))
            _drop_footer(sheet, columns)
            break
        else:
            if not seen_content:
                raise RosterRejected([RowProblem(0, "", gettext("The file has no rows."))])
            expected = "、".join(c.header for c in columns if c.required)
            raise RosterRejected(
                [
                    RowProblem(
                        0,
                        "",
                        gettext("No header row naming the columns (%(headers)s …) was found in the file.")
                        % {"headers": expected},
                    )
                ]
            )
    except UNREADABLE as exc:  # the sheet itself is read lazily, row by row
        raise not_a_workbook() from exc
    finally:
        workbook.close()
    if not sheet.rows:
        raise RosterRejected([RowProblem(0, "", gettext("The file has a header row but no data rows."))])
    return sheet


def _drop_footer(sheet: Sheet, columns) -> None:
    """Lines below the table with none of the required cells (制表人：…  2026年11月) are not rows."""
    required = [sheet.positions[c.field] for c in columns if c.required and c.field in sheet.positions]
    while sheet.rows and all(blank(sheet.rows[-1][1][i]) for i in required if i < len(sheet.rows[-1][1])):
        sheet.rows.pop()


def _map_header(sheet: Sheet, header: tuple, lookup, columns) -> None:
    problems = []
    for index, value in enumerate(header):
        if blank(value):
            continue
        column = _match(lookup, value)
        written = cell_text(value).replace("\n", "")
        if column is None:
            if header_key(value) not in IGNORED_HEADERS:
                sheet.unrecognised.append((written, get_column_letter(index + 1)))
            continue
        if column.field in sheet.positions:
            problems.append(
                RowProblem(
                    sheet.header_row,
                    written,
                    gettext("This column appears more than once (also %(other)s).")
                    % {"other": sheet.headers[column.field]},
                    index,
                )
            )
            continue
        sheet.positions[column.field] = index
        sheet.headers[column.field] = written
    unrecognised = "、".join(header for header, _ in sheet.unrecognised)
    for column in columns:
        if column.required and column.field not in sheet.positions:
            message = gettext("The header row has no column “%(header)s” (also accepted: %(aliases)s).") % {
                "header": column.header,
                "aliases": "、".join(column.aliases) or "—",
            }
            if unrecognised:
                message += " " + gettext("Columns not recognised: %(headers)s.") % {"headers": unrecognised}
            problems.append(RowProblem(sheet.header_row, column.header, message))
    if problems:
        raise RosterRejected(problems, sheet=sheet)
