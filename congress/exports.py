"""Roster export to Excel: the same four lists the office imports (deputies, standing committee
members, units, officials), written in the same file format, so an exported workbook can be
edited and imported again, or kept as the term's record."""

import datetime
from io import BytesIO

from django.db.models import QuerySet

from congress.services.imports import BOOL, DATE, MONTH, Roster, roster_for

DATE_FORMAT = "yyyy-mm-dd"


def _write(roster: Roster, queryset: QuerySet) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(roster.title)
    for index, column in enumerate(roster.COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 24 if column.type != BOOL else 14
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in roster.COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for obj in queryset.iterator(chunk_size=1000):
        row = []
        for column in roster.COLUMNS:
            value = roster.export_value(obj, column)
            if column.type in (DATE, MONTH) and isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                row.append(cell)
            elif isinstance(value, str) and value.startswith("="):
                # Text, never a formula: a name or workplace must not run in the reader's Excel.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
        count += 1
    out = BytesIO()
    workbook.save(out)
    return out.getvalue(), count


def export_roster_with_count(
    kind: str, queryset: QuerySet | None = None, *, full_id: bool = False
) -> tuple[bytes, int]:
    """The workbook of ``export_roster`` and the number of rows written."""
    from congress.models import Term

    roster = roster_for(kind, Term.objects.filter(is_current=True).first() if queryset is None else None)
    roster.full_id = full_id
    return _write(roster, roster.export_queryset(queryset))


def export_roster(kind: str, queryset: QuerySet | None = None, *, full_id: bool = False) -> bytes:
    """An .xlsx workbook of the roster ``kind`` (any of ``imports.ROSTERS``): the records of
    ``queryset`` (by default the current term's), one a row, under the same Chinese headers the
    import reads. Citizen ID numbers are masked (371526********1234) unless ``full_id``, which
    callers give only to a user allowed to see them whole."""
    return export_roster_with_count(kind, queryset, full_id=full_id)[0]


def export_filename(kind: str) -> str:
    """The download name, e.g. 代表名册-2026-05-01.xlsx."""
    from django.utils import timezone

    return f"{roster_for(kind).title}-{timezone.localdate().isoformat()}.xlsx"


def export_poll_results(poll) -> bytes:
    """A closed poll's frozen tally as a workbook: one sheet for all voters, and one per voter
    group that voted, with counts per level, blanks, rate, score, rank and verdict."""
    from openpyxl import Workbook

    from congress import selectors

    group_titles = {"all": "全体", "member": "常委会组成人员", "deputy": "人大代表"}
    workbook = Workbook(write_only=True)
    levels = poll.levels
    for group, title in group_titles.items():
        results = selectors.poll_results(poll, group=group)
        if not results:
            continue
        sheet = workbook.create_sheet(title)
        header = ["名次", "测评对象", *[level["label"] for level in levels], "未填（弃权）", "有效票"]
        if poll.kind == "satisfaction":
            header += ["满意率", "测评得分"]
        header.append("结果")
        sheet.append([poll.title])
        sheet.append(header)
        for r in results:
            row = [r.rank, r.item.label, *[r.counts.get(level["code"], 0) for level in levels], r.blank, r.ballots]
            if poll.kind == "satisfaction":
                row += [float(r.rate) if r.rate is not None else "", float(r.score) if r.score is not None else ""]
            if poll.kind == "approval":
                row.append("通过" if r.passed else "未通过")
            else:
                row.append("满意" if r.passed else ("不满意" if r.passed is False else ""))
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
