"""Reading the cells of an office's workbook: text as offices type it (full-width spaces, names
padded to line up, numbers stored as numbers), dates as Excel dates or as text (1962.01), mobile
numbers however they are written, citizen ID numbers, and the labels of choices."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

from congress.cleaning import clean_text

TEXT = "text"
NAME = "name"  # a person's name: spaces offices pad names with (张　伟) are dropped
MOBILE = "mobile"
EMAIL = "email"
DATE = "date"
MONTH = "month"  # a date of birth, often kept as year and month only (出生年月)
CHOICE = "choice"
BOOL = "bool"
ID_NUMBER = "id_number"
REF = "ref"  # the name of a record on file, resolved by the roster

YES_NO = ((True, ("是", "Y", "y", "√", "✓")), (False, ("否", "N", "n", "×")))


def _key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Column:
    """One column of a roster file.

    ``header`` is the Chinese header the export writes; ``aliases`` the other headers offices
    use for the same column (联系电话 / 手机 / 手机号码); ``field`` the key of the cleaned value
    (a model field where there is one); ``type`` how the cell is read; ``choices`` pairs each
    stored value with its Chinese labels (the first is the one the export writes); ``source`` the
    dotted attribute the export reads (default: ``field``); ``creatable`` marks a reference
    whose missing records staff may confirm to create.
    """

    header: str
    field: str
    type: str = TEXT
    required: bool = False
    choices: tuple[tuple[Any, tuple[str, ...]], ...] = ()
    source: str = ""
    aliases: tuple[str, ...] = ()
    creatable: bool = False

    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def labels(self) -> dict[str, Any]:
        return {_key(label): value for value, labels in self.choices for label in labels}

    def label_of(self, value) -> str:
        for stored, labels in self.choices:
            if stored == value:
                return labels[0]
        return "" if value is None else str(value)

    def label_list(self) -> str:
        return "、".join(labels[0] for _, labels in self.choices)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value, multiline=True))


def cell_text(value) -> str:
    """A cell as text: full-width characters made half-width (NFKC), a number typed into Excel
    (a mobile number) without its ".0", a date as 2024-03-01; cleaned like any typed text
    (:func:`congress.cleaning.clean_text`: no NUL or other control characters, line breaks
    within the cell kept)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_text(unicodedata.normalize("NFKC", str(value)), multiline=True)


def name_text(value) -> str:
    """A person's name without the spaces registers pad two-character names with (王　芳)."""
    return re.sub(r"\s", "", cell_text(value))


def header_key(value) -> str:
    """A header compared with the known ones: no spaces or line breaks, no required-mark (*)."""
    return re.sub(r"[\s*]", "", cell_text(value))


def header_key_without_note(key: str) -> str:
    """联系电话(手机) → 联系电话: a header with a note in brackets."""
    return re.sub(r"\(.*?\)", "", key)


_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*日?)?)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")

# Excel stores dates as days since 1899-12-30; a plain number in this range in a date column is
# such a serial whose cell lost its date format (22660 is 1962-01-15).
EXCEL_SERIALS = range(1, 80_000)


def parse_date(value) -> tuple[datetime.date, bool]:
    """A date cell and whether it gave the day: an Excel date; text such as 2024-03-01,
    2024/3/1, 2024.3.1, 2024年3月1日, 19620115; a year and month alone (1962.01, 1962年1月,
    196201, or the number 1962.01 / 1962.1 for October) means the 1st, without the day."""
    if isinstance(value, datetime.datetime):
        return value.date(), True
    if isinstance(value, datetime.date):
        return value, True
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in EXCEL_SERIALS:
            return from_excel(int(value)).date(), True
        if not float(value).is_integer() and 1900 < value < 2100:
            # 1962.01 typed as a number: the month is the fraction written with two digits.
            year, month = f"{value:.2f}".split(".")
            return datetime.date(int(year), int(month), 1), False
        value = cell_text(value)
    if isinstance(value, str):
        text = cell_text(value)
        match = _DATE_RE.match(text) or _COMPACT_RE.match(text)
        if match:
            year, month, day = match.groups()
            return datetime.date(int(year), int(month), int(day) if day else 1), bool(day)
    raise ValueError(value)


def is_masked_id(text: str) -> bool:
    """An ID number as the export writes it for those who may not see it (371526********1234)."""
    return bool(re.fullmatch(r"\d{6}\*{4,8}[\dX]{4}", text.upper()))
