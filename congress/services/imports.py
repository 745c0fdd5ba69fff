"""Roster import from Excel: the committee's lists of deputies, standing committee members,
units and officials, as the office keeps them in .xlsx workbooks.

The file format is fixed: the first sheet, a header row of Chinese column names (the
``COLUMNS`` of each roster below, the same ones the export writes), then one person or unit a
row. Columns the format does not know (序号, 备注...) are ignored; a trailing ``*`` on a header
(the usual mark of a required column) is ignored too.

An import is all or nothing. Every row is checked first: required cells, mobile numbers, dates,
choice labels, names that must match a record already on file (a deputy group, a unit, a
liaison leader, a liaison commission), and duplicates within the file and against the database.
A file with any problem raises ``RosterRejected`` carrying every problem with its Excel row
number and column, and nothing is written; the office fixes the workbook and imports it again.
A clean file is written in one transaction with one audit entry naming who imported what.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from congress.models import Commission, Deputy, DeputyGroup, Member, Official, Term, Unit
from congress.services import audit
from congress.validators import normalize_mobile

# A county roster has hundreds of rows; a file far larger than this is not a roster.
MAX_ROWS = 10_000

TEXT = "text"
MOBILE = "mobile"
EMAIL = "email"
DATE = "date"
CHOICE = "choice"
BOOL = "bool"
REF = "ref"  # the name of a record already on file, resolved by the roster

YES_NO = ((True, ("是", "Y", "y")), (False, ("否", "N", "n")))


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: Excel ``row`` (the header is row 1; 0 means the file as
    a whole), ``column`` (its Chinese header, or empty) and a ``message`` in the active language."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        return f"第{self.row}行 [{self.column}]: {self.message}" if self.column else f"第{self.row}行: {self.message}"


class RosterRejected(Exception):
    """The file was refused and nothing was written; ``problems`` lists every reason."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class ImportResult:
    """What an accepted import wrote: ``created`` records of roster ``kind``."""

    kind: str
    created: int


@dataclass(frozen=True)
class Column:
    """One column of a roster file.

    ``header`` is the literal Chinese header of the file format; ``field`` the key of the
    cleaned value (a model field name where there is one); ``type`` how the cell is read;
    ``choices`` pairs each stored value with its Chinese labels (the first is the one the export
    writes, the others are accepted spellings); ``source`` is the dotted attribute the export
    reads (default: ``field``).
    """

    header: str
    field: str
    type: str = TEXT
    required: bool = False
    choices: tuple[tuple[Any, tuple[str, ...]], ...] = ()
    source: str = ""

    def labels(self) -> dict[str, Any]:
        return {label: value for value, labels in self.choices for label in labels}

    def label_of(self, value) -> str:
        for stored, labels in self.choices:
            if stored == value:
                return labels[0]
        return "" if value is None else str(value)

    def label_list(self) -> str:
        return "、".join(labels[0] for _, labels in self.choices)


GENDERS = ((Deputy.Gender.MALE.value, ("男",)), (Deputy.Gender.FEMALE.value, ("女",)))


# ---------------------------------------------------------------------------------------------
# Reading cells


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as text: numbers typed into Excel (a mobile number) lose their ".0"."""
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
    return str(value).replace("\u3000", " ").strip()


def _header_text(value) -> str:
    return re.sub(r"[\s*＊]", "", cell_text(value))


_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*日?)?)?$")


def parse_date(value) -> datetime.date:
    """A date cell, or text such as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日. A year and
    month alone (1968.03, 1968年3月, as birth dates are often written) means the 1st."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if match:
            year, month, day = (int(part) if part else 1 for part in match.groups())
            return datetime.date(year, month, day)  # ValueError for 2024-02-30
    raise ValueError(value)


# ---------------------------------------------------------------------------------------------
# Rosters


class Roster(ABC):
    """The rules of one roster file. A subclass names its ``COLUMNS`` (the fixed file format,
    shared by import and export), preloads what rows are checked against, checks each row's
    references and duplicates, and builds the model instance."""

    kind: str = ""
    title: str = ""  # sheet title and export file name
    model: type[models.Model]
    COLUMNS: tuple[Column, ...] = ()
    select_related: tuple[str, ...] = ()

    def __init__(self, term: Term | None):
        self.term = term
        self.problems: list[RowProblem] = []
        self._seen: dict[tuple, int] = {}

    # -- reporting

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def once(self, key: tuple, row: int, column: str, message: str, **params) -> bool:
        """Remember ``key`` at ``row``; if an earlier row had it, report ``message`` (formatted
        with ``params`` and the earlier row's number as ``other``) and return False."""
        earlier = self._seen.setdefault(key, row)
        if earlier != row:
            self.problem(row, column, message % {"other": earlier, **params})
            return False
        return True

    # -- cells

    def default_of(self, column: Column):
        try:
            model_field = self.model._meta.get_field(column.field)
        except FieldDoesNotExist:  # a column with no model field of its own
            return None if column.type in (DATE, REF) else ""
        if model_field.has_default():
            return model_field.get_default()
        if column.type in (DATE, REF) or model_field.null:
            return None
        return ""

    def max_length_of(self, column: Column) -> int | None:
        try:
            return self.model._meta.get_field(column.field).max_length
        except FieldDoesNotExist:
            return None

    def clean_cell(self, row: int, column: Column, raw):
        """The cell's value for the model, or ``None`` after reporting a problem. An empty
        optional cell takes the model field's default."""
        if _blank(raw):
            if column.required:
                self.problem(row, column.header, gettext("This field is required."))
                return None
            return self.default_of(column)
        text = cell_text(raw)
        if column.type == MOBILE:
            try:
                return normalize_mobile(text)
            except ValidationError as exc:
                for message in exc.messages:
                    self.problem(row, column.header, message)
                return None
        if column.type == EMAIL:
            try:
                validate_email(text)
            except ValidationError:
                self.problem(row, column.header, gettext("“%(value)s” is not an email address.") % {"value": text})
                return None
            return text
        if column.type == DATE:
            try:
                return parse_date(raw)
            except ValueError:
                self.problem(
                    row,
                    column.header,
                    gettext("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": text},
                )
                return None
        if column.type in (CHOICE, BOOL):
            if isinstance(raw, bool) and column.type == BOOL:
                return raw
            labels = column.labels()
            if text not in labels:
                self.problem(
                    row,
                    column.header,
                    gettext("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text, "choices": column.label_list()},
                )
                return None
            return labels[text]
        max_length = self.max_length_of(column) if column.type == TEXT else None
        if max_length and len(text) > max_length:
            self.problem(
                row,
                column.header,
                gettext("“%(value)s” is longer than %(max)d characters.") % {"value": text, "max": max_length},
            )
            return None
        return text

    # -- the roster's own rules

    @abstractmethod
    def preload(self) -> None:
        """Load, in a few queries, every record rows are checked against."""

    @abstractmethod
    def check(self, row: int, values: dict[str, Any], bad: set[str]) -> None:
        """Resolve references and find duplicates; ``bad`` names fields whose cell was refused."""

    @abstractmethod
    def build(self, values: dict[str, Any]) -> models.Model:
        """The unsaved record a valid row describes."""

    def default_queryset(self) -> models.QuerySet:
        return self.model.objects.all()

    def export_queryset(self, queryset: models.QuerySet | None) -> models.QuerySet:
        queryset = self.default_queryset() if queryset is None else queryset
        return queryset.select_related(*self.select_related) if self.select_related else queryset


class DeputyRoster(Roster):
    """Deputies of the current term. The mobile number is required: it is how a deputy logs in
    and how the standing committee roster finds them, and it is unique within a term."""

    kind = "deputies"
    title = "代表名册"
    model = Deputy
    select_related = ("group",)
    COLUMNS = (
        Column("姓名", "name", required=True),
        Column("性别", "gender", CHOICE, required=True, choices=GENDERS),
        Column("民族", "ethnicity"),
        Column("出生日期", "birth_date", DATE),
        Column(
            "层级",
            "level",
            CHOICE,
            choices=(
                (Deputy.Level.PROVINCE.value, ("省级", "省", "省人大代表")),
                (Deputy.Level.CITY.value, ("市级", "市", "市人大代表")),
                (Deputy.Level.COUNTY.value, ("县级", "县", "县人大代表")),
                (Deputy.Level.TOWNSHIP.value, ("乡镇级", "乡级", "乡", "镇", "乡镇", "乡镇人大代表")),
            ),
        ),
        Column(
            "职业类别",
            "occupation",
            CHOICE,
            required=True,
            choices=(
                (Deputy.Occupation.WORKER.value, ("工人",)),
                (Deputy.Occupation.FARMER.value, ("农民",)),
                (Deputy.Occupation.PROFESSIONAL.value, ("专业技术人员",)),
                (Deputy.Occupation.CADRE.value, ("党政干部", "党政领导干部")),
                (Deputy.Occupation.BUSINESS.value, ("企业负责人", "企业管理人员")),
                (Deputy.Occupation.MILITARY.value, ("军人", "解放军", "解放军和武警")),
                (Deputy.Occupation.OTHER.value, ("其他",)),
            ),
        ),
        Column(
            "学历",
            "education",
            CHOICE,
            choices=(
                (Deputy.Education.POSTGRADUATE.value, ("研究生", "硕士研究生", "博士研究生", "研究生及以上")),
                (Deputy.Education.BACHELOR.value, ("大学本科", "本科")),
                (Deputy.Education.COLLEGE.value, ("大学专科", "大专", "专科")),
                (Deputy.Education.SECONDARY.value, ("高中或中专", "高中", "中专", "中职", "技校")),
                (Deputy.Education.JUNIOR.value, ("初中及以下", "初中", "小学")),
            ),
        ),
        Column("工作单位及职务", "workplace"),
        Column("手机号码", "phone", MOBILE, required=True),
        Column("电子邮箱", "email", EMAIL),
        Column("代表小组", "group", REF, source="group.name"),
    )

    def default_queryset(self):
        return Deputy.objects.filter(term=self.term) if self.term else Deputy.objects.all()

    def preload(self):
        self.groups = dict(DeputyGroup.objects.filter(term=self.term).values_list("name", "id"))
        self.phones = dict(Deputy.objects.filter(term=self.term).exclude(phone="").values_list("phone", "name"))

    def check(self, row, values, bad):
        group = values.get("group")
        if group:
            values["group_id"] = self.groups.get(group)
            if values["group_id"] is None:
                self.problem(
                    row,
                    "代表小组",
                    gettext("No deputy group named “%(value)s” in the current term.") % {"value": group},
                )
        phone = values.get("phone")
        if phone and "phone" not in bad:
            if phone in self.phones:
                self.problem(
                    row,
                    "手机号码",
                    gettext("Deputy %(name)s of this term already has mobile number %(value)s.")
                    % {"name": self.phones[phone], "value": phone},
                )
            self.once(
                ("phone", phone),
                row,
                "手机号码",
                gettext("Row %(other)d has the same mobile number %(value)s."),
                value=phone,
            )

    def build(self, values):
        return Deputy(
            term=self.term,
            name=values["name"],
            gender=values["gender"],
            ethnicity=values["ethnicity"],
            birth_date=values["birth_date"],
            level=values["level"],
            occupation=values["occupation"],
            education=values["education"],
            workplace=values["workplace"],
            phone=values["phone"],
            email=values["email"],
            group_id=values.get("group_id"),
        )


class MemberRoster(Roster):
    """Standing committee members of the current term. Every member is a deputy of the term:
    a row names the deputy by name and mobile number, and adds their post on the committee."""

    kind = "members"
    title = "常委会组成人员名册"
    model = Member
    select_related = ("deputy",)
    COLUMNS = (
        Column("姓名", "name", required=True, source="deputy.name"),
        Column("手机号码", "phone", MOBILE, required=True, source="deputy.phone"),
        Column(
            "职务",
            "position",
            CHOICE,
            required=True,
            choices=(
                (Member.Position.DIRECTOR.value, ("主任",)),
                (Member.Position.VICE_DIRECTOR.value, ("副主任",)),
                (Member.Position.SECRETARY_GENERAL.value, ("秘书长",)),
                (Member.Position.MEMBER.value, ("委员",)),
            ),
        ),
        Column("是否专职", "full_time", BOOL, choices=YES_NO),
    )

    def default_queryset(self):
        return Member.objects.filter(term=self.term) if self.term else Member.objects.all()

    def preload(self):
        self.deputies = {
            phone: (pk, name, active)
            for pk, phone, name, active in Deputy.objects.filter(term=self.term)
            .exclude(phone="")
            .values_list("id", "phone", "name", "active")
        }
        self.members = set(Member.objects.filter(deputy__term=self.term).values_list("deputy_id", flat=True))
        self.director = (
            Member.objects.filter(term=self.term, position=Member.Position.DIRECTOR, active=True)
            .values_list("deputy__name", flat=True)
            .first()
        )

    def check(self, row, values, bad):
        phone, name = values.get("phone"), values.get("name")
        if phone and "phone" not in bad:
            deputy = self.deputies.get(phone)
            if deputy is None:
                self.problem(
                    row,
                    "手机号码",
                    gettext("No deputy of the current term has mobile number %(value)s; import the deputy first.")
                    % {"value": phone},
                )
            else:
                pk, deputy_name, active = deputy
                values["deputy_id"] = pk
                if name and name != deputy_name:
                    self.problem(
                        row,
                        "姓名",
                        gettext("The deputy with mobile number %(phone)s is %(found)s, not %(value)s.")
                        % {"phone": phone, "found": deputy_name, "value": name},
                    )
                elif not active:
                    self.problem(row, "姓名", gettext("Deputy %(value)s has left office.") % {"value": deputy_name})
                if pk in self.members:
                    self.problem(
                        row,
                        "姓名",
                        gettext("%(value)s is already a standing committee member.") % {"value": deputy_name},
                    )
            self.once(
                ("phone", phone),
                row,
                "手机号码",
                gettext("Row %(other)d has the same mobile number %(value)s."),
                value=phone,
            )
        if values.get("position") == Member.Position.DIRECTOR:
            if self.director:
                self.problem(
                    row,
                    "职务",
                    gettext("The current term already has a director (%(name)s).") % {"name": self.director},
                )
            self.once(
                ("director",), row, "职务", gettext("Row %(other)d is also the director; a term has one director.")
            )

    def build(self, values):
        return Member(
            term=self.term, deputy_id=values["deputy_id"], position=values["position"], full_time=values["full_time"]
        )


class UnitRoster(Roster):
    """Units the committee supervises, each with its liaison leader (a standing committee member
    of the current term, by name) and liaison commission (by name)."""

    kind = "units"
    title = "单位名册"
    model = Unit
    select_related = ("liaison_leader__deputy", "liaison_commission")
    COLUMNS = (
        Column("单位名称", "name", required=True),
        Column("简称", "short_name"),
        Column(
            "类别",
            "kind",
            CHOICE,
            choices=(
                (Unit.Kind.GOVERNMENT.value, ("县人民政府", "县政府", "人民政府", "政府")),
                (Unit.Kind.COURT.value, ("县人民法院", "人民法院", "法院")),
                (Unit.Kind.PROCURATORATE.value, ("县人民检察院", "人民检察院", "检察院")),
                (Unit.Kind.DEPARTMENT.value, ("政府部门", "政府组成部门", "政府工作部门", "部门")),
                (Unit.Kind.VERTICAL.value, ("垂直管理单位", "垂直单位", "垂管单位", "垂直管理部门")),
            ),
        ),
        Column("联系领导", "liaison_leader", REF, source="liaison_leader.deputy.name"),
        Column("联系工委", "liaison_commission", REF, source="liaison_commission.name"),
        Column("联系电话", "phone"),
    )

    def preload(self):
        self.names = set(Unit.objects.values_list("name", flat=True))
        self.leaders: dict[str, list[int]] = {}
        for pk, name in Member.objects.filter(term=self.term, active=True).values_list("id", "deputy__name"):
            self.leaders.setdefault(name, []).append(pk)
        self.commissions: dict[str, list[int]] = {}
        for pk, name, short_name in Commission.objects.values_list("id", "name", "short_name"):
            self.commissions.setdefault(name, []).append(pk)
            if short_name and short_name != name:
                self.commissions.setdefault(short_name, []).append(pk)

    def check(self, row, values, bad):
        name = values.get("name")
        if name and "name" not in bad:
            if name in self.names:
                self.problem(row, "单位名称", gettext("A unit named “%(value)s” already exists.") % {"value": name})
            self.once(("name", name), row, "单位名称", gettext("Row %(other)d has the same unit name."))
        leader = values.get("liaison_leader")
        if leader:
            found = self.leaders.get(leader, [])
            if len(found) == 1:
                values["liaison_leader_id"] = found[0]
            elif not found:
                self.problem(
                    row,
                    "联系领导",
                    gettext("No standing committee member of the current term is named “%(value)s”.")
                    % {"value": leader},
                )
            else:
                self.problem(
                    row,
                    "联系领导",
                    gettext("More than one standing committee member is named “%(value)s”; set this one by hand.")
                    % {"value": leader},
                )
        commission = values.get("liaison_commission")
        if commission:
            found = self.commissions.get(commission, [])
            if len(set(found)) == 1:
                values["liaison_commission_id"] = found[0]
            elif not found:
                self.problem(row, "联系工委", gettext("No commission named “%(value)s”.") % {"value": commission})
            else:
                self.problem(
                    row,
                    "联系工委",
                    gettext("More than one commission is called “%(value)s”; write its full name.")
                    % {"value": commission},
                )

    def build(self, values):
        return Unit(
            name=values["name"],
            short_name=values["short_name"],
            kind=values["kind"],
            liaison_leader_id=values.get("liaison_leader_id"),
            liaison_commission_id=values.get("liaison_commission_id"),
            phone=values["phone"],
        )


class OfficialRoster(Roster):
    """Officials elected or appointed by the congress, each in a unit already on file. A unit
    has at most one head (主要负责人) in office."""

    kind = "officials"
    title = "述职对象名册"
    model = Official
    select_related = ("unit",)
    COLUMNS = (
        Column("姓名", "name", required=True),
        Column("性别", "gender", CHOICE, required=True, choices=GENDERS),
        Column("所在单位", "unit", REF, required=True, source="unit.name"),
        Column("职务", "position", required=True),
        Column(
            "任命方式",
            "appointment",
            CHOICE,
            choices=(
                (Official.Appointment.ELECTED.value, ("选举", "人大选举", "选举产生")),
                (Official.Appointment.APPOINTED.value, ("任命", "常委会任命", "任命产生")),
            ),
        ),
        Column("是否主要负责人", "is_head", BOOL, choices=YES_NO),
        Column("手机号码", "phone", MOBILE),
        Column("任职时间", "took_office", DATE),
    )

    def preload(self):
        self.units = dict(Unit.objects.values_list("name", "id"))
        self.existing = set(Official.objects.values_list("unit_id", "name"))
        self.heads = dict(Official.objects.filter(is_head=True, active=True).values_list("unit_id", "name"))

    def check(self, row, values, bad):
        unit = values.get("unit")
        if not unit:
            return
        unit_id = values["unit_id"] = self.units.get(unit)
        if unit_id is None:
            self.problem(row, "所在单位", gettext("No unit named “%(value)s”.") % {"value": unit})
            return
        name = values.get("name")
        if name and "name" not in bad:
            if (unit_id, name) in self.existing:
                self.problem(
                    row,
                    "姓名",
                    gettext("%(unit)s already has an official named %(value)s.") % {"unit": unit, "value": name},
                )
            self.once(
                ("official", unit_id, name),
                row,
                "姓名",
                gettext("Row %(other)d has the same official in %(unit)s."),
                unit=unit,
            )
        if values.get("is_head"):
            if unit_id in self.heads:
                self.problem(
                    row,
                    "是否主要负责人",
                    gettext("%(unit)s already has a head in office (%(name)s).")
                    % {"unit": unit, "name": self.heads[unit_id]},
                )
            self.once(
                ("head", unit_id),
                row,
                "是否主要负责人",
                gettext("Row %(other)d is also the head of %(unit)s; a unit has one head."),
                unit=unit,
            )

    def build(self, values):
        return Official(
            name=values["name"],
            gender=values["gender"],
            unit_id=values["unit_id"],
            position=values["position"],
            appointment=values["appointment"],
            is_head=values["is_head"],
            phone=values["phone"],
            took_office=values["took_office"],
        )


ROSTERS: dict[str, type[Roster]] = {r.kind: r for r in (DeputyRoster, MemberRoster, UnitRoster, OfficialRoster)}


def roster_for(kind: str, term: Term | None = None) -> Roster:
    try:
        return ROSTERS[kind](term)
    except KeyError:
        raise ValueError(f"unknown roster kind {kind!r}; one of {', '.join(ROSTERS)}") from None


# ---------------------------------------------------------------------------------------------
# Reading the workbook


@dataclass
class _Sheet:
    positions: dict[str, int] = field(default_factory=dict)  # header -> cell index
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (Excel row number, cells)


# What openpyxl raises for a file that is not a readable workbook (an old .xls, a CSV, a broken
# zip or broken XML: xml.etree's ParseError is a SyntaxError).
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError, EOFError)


def _not_a_workbook() -> RosterRejected:
    return RosterRejected(
        [RowProblem(0, "", gettext("The file is not an Excel workbook (.xlsx); save it as .xlsx and try again."))]
    )


def _read(fileobj, roster: Roster) -> _Sheet:
    """Read the first sheet's header and non-empty rows, or raise RosterRejected for a file
    that is not a workbook, lacks required columns, has no rows or far too many."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise _not_a_workbook() from exc
    sheet = _Sheet()
    try:
        if not workbook.worksheets:
            raise RosterRejected([RowProblem(0, "", gettext("The file has no rows."))])
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(_blank(v) for v in header):
            raise RosterRejected([RowProblem(0, "", gettext("The file has no rows."))])
        known = {c.header for c in roster.COLUMNS}
        problems = []
        for index, value in enumerate(header):
            text = _header_text(value)
            if text in known:
                if text in sheet.positions:
                    problems.append(RowProblem(1, text, gettext("This column appears more than once.")))
                sheet.positions.setdefault(text, index)
        for column in roster.COLUMNS:
            if column.required and column.header not in sheet.positions:
                problems.append(
                    RowProblem(
                        1,
                        column.header,
                        gettext("The header row has no column “%(header)s”.") % {"header": column.header},
                    )
                )
        if problems:
            raise RosterRejected(problems)
        for number, cells in enumerate(rows, start=2):
            if all(_blank(v) for v in cells):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise RosterRejected(
                    [
                        RowProblem(
                            number, "", gettext("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}
                        )
                    ]
                )
            sheet.rows.append((number, cells))
    except UNREADABLE as exc:  # the sheet itself is read lazily, row by row
        raise _not_a_workbook() from exc
    finally:
        workbook.close()
    if not sheet.rows:
        raise RosterRejected([RowProblem(0, "", gettext("The file has a header row but no data rows."))])
    return sheet


# ---------------------------------------------------------------------------------------------
# The service


def import_roster(kind: str, fileobj, *, by=None) -> ImportResult:
    """Import a roster of ``kind`` (deputies, members, units, officials) from an .xlsx file.

    For the committee this is how the term's lists come in: the office keeps them in Excel,
    checks them here, and either every row is written or none is. Every problem of the file is
    raised together in ``RosterRejected`` with its row and column, so one round of corrections
    fixes the file. Records are added to the current term; an import never changes or deletes
    a record already on file (a duplicate is a problem to fix, not an update).
    """
    roster = roster_for(kind)
    sheet = _read(fileobj, roster)
    term = Term.objects.filter(is_current=True).first()
    if term is None:
        raise RosterRejected([RowProblem(0, "", gettext("No term is marked as current; set the current term first."))])
    roster.term = term
    try:
        with transaction.atomic():
            roster.preload()
            cleaned = []
            for number, cells in sheet.rows:
                values, bad = {}, set()
                for column in roster.COLUMNS:
                    index = sheet.positions.get(column.header)
                    raw = cells[index] if index is not None and index < len(cells) else None
                    before = len(roster.problems)
                    values[column.field] = roster.clean_cell(number, column, raw)
                    if len(roster.problems) > before:
                        bad.add(column.field)
                roster.check(number, values, bad)
                cleaned.append(values)
            if roster.problems:
                raise RosterRejected(sorted(roster.problems, key=lambda p: p.row))
            objects = roster.model.objects.bulk_create([roster.build(values) for values in cleaned])
            audit.record(term, "import_roster", actor=by, kind=kind, rows=len(objects))
    except IntegrityError as exc:
        # Someone added a conflicting record between the checks and the write.
        raise RosterRejected(
            [RowProblem(0, "", gettext("The records changed while the file was being imported; import it again."))]
        ) from exc
    return ImportResult(kind=kind, created=len(objects))
