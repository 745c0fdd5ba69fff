"""The office's workbook given back with its problems marked: each bad cell filled in red with
a comment saying why (in Chinese), a row's problem on its first cell, the file's own problems
on the header. The office corrects its own file and imports it again."""

from __future__ import annotations

from collections import defaultdict
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .problems import RowProblem
from .reading import UNREADABLE, Sheet

BAD = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
AUTHOR = "人大常委会监督系统"


def marked_copy(fileobj, problems: list[RowProblem], sheet: Sheet | None) -> bytes | None:
    """The workbook with ``problems`` marked, as .xlsx bytes; None when the file cannot be
    opened as a workbook (then there is nothing to mark)."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj)
    except UNREADABLE:
        return None
    worksheet = workbook[sheet.title] if sheet and sheet.title in workbook.sheetnames else workbook.worksheets[0]
    header_row = sheet.header_row if sheet and sheet.header_row else 1
    by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
    for problem in problems:
        row = problem.row or header_row
        column = (problem.index or 0) + 1
        by_cell[(row, column)].append(problem.message)
    for (row, column), messages in by_cell.items():
        cell = worksheet.cell(row=row, column=column)
        if isinstance(cell, MergedCell):  # a merged title: mark where its value is
            cell = worksheet.cell(row=row, column=1)
        cell.fill = BAD
        text = "\n".join(messages)
        cell.comment = Comment(text, AUTHOR, height=40 + 20 * len(messages), width=320)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
