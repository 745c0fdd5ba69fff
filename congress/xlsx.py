"""The one way the system writes Excel: every export (rosters, poll results, evaluation results,
the rectification ledger, the year in numbers, the year's suggestions, questionnaire responses)
goes through here, so a county office can open whatever it downloads without risk.

- Text is always a text cell: what a deputy, a unit or the public typed (``=HYPERLINK(…)``,
  ``=1+1``, ``@SUM(A1)``, ``+86 …``, ``-`` lists) is never written as a formula, and cells that
  start like one are also marked "quote prefix" so Excel keeps them as text when edited.
- Characters a workbook cannot hold (C0 controls other than tab and newline, such as the U+000B
  Word puts in pasted text, NUL, U+FFFE/U+FFFF, lone surrogates) are removed; characters
  outside the basic plane (𠀀, U+20000, in a name) are kept.
- Text is cut to Excel's limit of 32,767 characters a cell.
- The same header everywhere: bold, first row(s) frozen, columns wide enough for the header.
- Downloads carry the file's Chinese name (RFC 6266 ``filename*``) and the workbook's type.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_LIMIT = 32767
SHEET_TITLE_LIMIT = 31
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
CHUNK_BYTES = 16 * 1024

# Text a spreadsheet would read as a formula (or a formula's start) if typed into a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the XML of a workbook cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE (C0 controls but tab,
# newline and CR), plus the non-characters U+FFFE/U+FFFF and lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Text that needs either (a formula's start, or a character to remove): one search a cell.
_NEEDS_CARE = re.compile(r"\A[=+\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Characters not allowed in a sheet's name, and in a file name on Windows.
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FILENAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def cell_text(value: str) -> str:
    """``value`` as a cell can hold it: illegal characters removed, cut to the cell limit."""
    text = _ILLEGAL.sub("", value)
    if len(text) > CELL_LIMIT // 2 and len(text.encode("utf-16-le")) // 2 > CELL_LIMIT:
        # Excel counts UTF-16 units: a character outside the basic plane counts two.
        units, cut = 0, 0
        for cut, char in enumerate(text):  # noqa: B007 - the index is the result
            units += 2 if ord(char) > 0xFFFF else 1
            if units > CELL_LIMIT:
                break
        text = text[:cut]
    return text


def sheet_title(title: str, default: str = "Sheet") -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return _SHEET_TITLE_BAD.sub("-", cell_text(str(title))).strip("' ")[:SHEET_TITLE_LIMIT] or default


def filename(*parts: object, ext: str = "xlsx") -> str:
    """A download name from its parts joined with "-", e.g. 代表建议-2026.xlsx; characters no file
    system allows are replaced."""
    stem = "-".join(str(p) for p in parts if p not in (None, ""))
    stem = _FILENAME_BAD.sub("-", cell_text(stem)).strip(" .")[:120] or "export"
    return f"{stem}.{ext}"


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class Sheet:
    """One sheet of a write-only workbook: created with its header, then filled row by row.

    Values are written by type: text through :func:`cell_text` and always as text, dates and
    times as dates (``yyyy-mm-dd``, ``yyyy-mm-dd hh:mm``), numbers as numbers, None as blank.
    ``formats`` gives a column (by index) its own number format (a rate, a percentage)."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        header: Sequence[object],
        *,
        heading: str | None = None,
        widths: Sequence[int | None] | None = None,
        freeze_columns: int = 0,
        formats: dict[int, str] | None = None,
    ):
        from openpyxl.utils import get_column_letter

        self._sheet = workbook.book.create_sheet(sheet_title(title))
        self.formats = formats or {}
        header = [str(h) for h in header]
        widths = list(widths or [])
        for index, text in enumerate(header):
            width = widths[index] if index < len(widths) and widths[index] else None
            width = width or min(max(_display_width(text) + 4, 10), 50)
            self._sheet.column_dimensions[get_column_letter(index + 1)].width = width
        header_row = 2 if heading else 1
        self._sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{header_row + 1}"
        if heading is not None:
            self._sheet.append([self._styled(heading, workbook.heading_font)])
        self._sheet.append([self._styled(text, workbook.header_font) for text in header])

    def _styled(self, text: str, font):
        from openpyxl.cell import WriteOnlyCell

        value = cell_text(str(text))
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        cell.font = font
        return cell

    def cell(self, value, number_format: str | None = None):
        """``value`` as it goes into a row: a plain value or a cell with its type fixed."""
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            text = cell_text(value)
            if text.startswith(FORMULA_STARTS) or number_format:
                cell = WriteOnlyCell(self._sheet, value=text)
                cell.data_type = "s"  # text, never a formula
                if text.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                return cell
            return text
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                from django.utils import timezone

                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = number_format or DATETIME_FORMAT
            return cell
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = number_format or DATE_FORMAT
            return cell
        if number_format and value is not None:
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = number_format
            return cell
        if value is None or isinstance(value, bool | int | float | Decimal):
            return value
        return self.cell(str(value))  # lazy translations, Decimal-free objects with a __str__

    def append(self, row: Iterable[object]) -> None:
        formats, cells = self.formats, []
        row = row if isinstance(row, list | tuple) else list(row)
        last = len(row) - 1
        for i, value in enumerate(row):
            kind = type(value)
            if formats and i in formats:
                cells.append(self.cell(value, formats[i]))
            elif kind is str:
                # Most cells are plain text that needs nothing: written as they are, which keeps
                # a year's suggestions as quick to export as openpyxl alone. Empty text is no
                # cell at all (an empty cell reads back as nothing all the same), but in the
                # last column, so that the row keeps its width when read back.
                if not value:
                    value = None if i < last else value
                elif _NEEDS_CARE.search(value) or len(value) > CELL_LIMIT // 2:
                    value = self.cell(value)
                cells.append(value)
            elif kind is int or kind is float or value is None or kind is datetime.date:
                cells.append(value)  # a date alone is written yyyy-mm-dd by openpyxl itself
            else:
                cells.append(self.cell(value))
        self._sheet.append(cells)

    def extend(self, rows: Iterable[Iterable[object]]) -> int:
        count = 0
        for row in rows:
            self.append(row)
            count += 1
        return count


class Workbook:
    """A write-only workbook (memory stays flat however many rows): add sheets with
    :meth:`sheet`, then :meth:`bytes` or :meth:`chunks`."""

    def __init__(self):
        from openpyxl import Workbook as OpenpyxlWorkbook
        from openpyxl.styles import Font

        self.book = OpenpyxlWorkbook(write_only=True)
        self.header_font = Font(bold=True)
        self.heading_font = Font(bold=True, size=14)

    def sheet(self, title: str, header: Sequence[object], **options) -> Sheet:
        return Sheet(self, title, header, **options)

    def bytes(self) -> bytes:
        out = BytesIO()
        self.book.save(out)
        return out.getvalue()

    def chunks(self) -> Iterator[bytes]:
        """The saved workbook in chunks, through a temporary file (for a streamed download)."""
        with tempfile.TemporaryFile() as out:
            self.book.save(out)
            out.seek(0)
            while chunk := out.read(CHUNK_BYTES):
                yield chunk


def download(content: bytes | Iterable[bytes], name: str, *, content_type: str = CONTENT_TYPE) -> HttpResponse:
    """The response every export view gives: the file as an attachment under its (Chinese)
    ``name``, ``filename*`` per RFC 6266 (plain ``filename`` for an ASCII name); bytes are sent at once,
    an iterator of chunks is streamed."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
