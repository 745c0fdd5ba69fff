"""The rules every roster shares: reading each row's cells into values, recognising the record a
row describes (so a second import of the same file changes nothing), planning what each row
will do (create, update, unchanged) with every problem by sheet row and column, and writing the
plan. Each roster (rosters_people, rosters_bodies) names its columns and its own checks."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext

from congress.models import Term, mask_id_number
from congress.validators import normalize_id_number, normalize_mobile

from .cells import (
    BOOL,
    CHOICE,
    DATE,
    EMAIL,
    ID_NUMBER,
    MOBILE,
    MONTH,
    NAME,
    REF,
    TEXT,
    Column,
    blank,
    cell_text,
    is_masked_id,
    name_text,
    parse_date,
)
from .problems import RowProblem
from .reading import Sheet

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
INVALID = object()  # a cell that was refused (its problem is reported)
KEEP = object()  # a cell that keeps what is on file (an ID number masked by an export)


@dataclass(frozen=True)
class Pending:
    """A record the file names that is not on file yet, to be created once staff confirm."""

    kind: str
    name: str


@dataclass(frozen=True)
class RowPlan:
    """What one row of the file will do: ``action`` (create / update / unchanged) to the
    record named ``label``; ``changes`` names the columns an update changes."""

    row: int
    action: str
    label: str
    changes: tuple[str, ...] = ()


@dataclass
class RosterPlan:
    """The preview of an import: every row's action, every problem, the records named in the
    file and not on file (``missing``: label → {name: first row}) and the columns not
    recognised. Nothing is written until the plan has no problems and is applied."""

    kind: str
    title: str
    sheet: Sheet
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    missing: dict[str, dict[str, int]] = field(default_factory=dict)
    create_missing: bool = False

    @property
    def refused_rows(self) -> list[int]:
        """The rows refused for a problem of their own (not only for a record to confirm)."""
        return sorted({p.row for p in self.problems if p.row and not p.unconfirmed})

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


class Roster(ABC):
    """The rules of one roster file. A subclass names its ``COLUMNS`` (shared by import and
    export), preloads what rows are checked against, recognises the record a row describes and
    checks its references and duplicates, and says what attributes the row sets."""

    kind: str = ""
    title: str = ""  # sheet title and export file name
    model: type[models.Model]
    COLUMNS: tuple[Column, ...] = ()
    # kind of record a reference may create -> its name in the preview (a lazy string)
    MISSING_LABELS: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A roster that may create the records its rows name must say how, before it is used.
        if cls.MISSING_LABELS and cls.create_pending is Roster.create_pending:
            raise TypeError(f"{cls.__name__} lists {sorted(cls.MISSING_LABELS)} as creatable but has no create_pending")

    def __init__(self, term: Term | None):
        self.term = term
        self.full_id = False
        self.problems: list[RowProblem] = []
        self.unconfirmed: list[RowProblem] = []
        self.missing: dict[str, dict[str, int]] = {}
        self.create_missing = False
        self.sheet = Sheet()
        self._seen: dict[tuple, int] = {}
        self._planned: list[tuple[str, dict, models.Model | None]] = []

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.COLUMNS if c.field == field_name), None)

    # -- reporting

    def problem(self, row: int, field_name: str, message: str, *, unconfirmed: bool = False) -> None:
        """Report ``message`` for the cell of ``field_name`` (a column's field) in ``row``."""
        column = self.column(field_name)
        if column is None:
            problem = RowProblem(row, "", message, unconfirmed=unconfirmed)
        else:
            problem = RowProblem(
                row, self.sheet.header_of(column), message, self.sheet.index_of(column), unconfirmed=unconfirmed
            )
        (self.unconfirmed if unconfirmed else self.problems).append(problem)

    def once(self, key: tuple, row: int, field_name: str, message: str, **params) -> bool:
        """Remember ``key`` at ``row``; if an earlier row had it, report ``message`` (formatted
        with ``params`` and the earlier row's number as ``other``) and return False."""
        earlier = self._seen.setdefault(key, row)
        if earlier != row:
            self.problem(row, field_name, message % {"other": earlier, **params})
            return False
        return True

    def need(self, row: int, field_name: str, kind: str, name: str, message: str):
        """A reference to a record not on file: with staff's confirmation (create_missing) a
        Pending record, listed once in the preview; without it a problem of the row. Only the
        kinds the roster lists in MISSING_LABELS can be pending."""
        if kind not in self.MISSING_LABELS:
            raise TypeError(f"{type(self).__name__} cannot create a missing {kind!r}")
        self.missing.setdefault(kind, {}).setdefault(name, row)
        if not self.create_missing:
            self.problem(row, field_name, message, unconfirmed=True)
        return Pending(kind, name)

    # -- cells

    def model_field(self, name: str):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def default_of(self, column: Column):
        model_field = self.model_field(column.field)
        if column.type == MONTH:
            return (None, True)
        if model_field is None:
            return None if column.type in (DATE, REF, ID_NUMBER) else ""
        if model_field.has_default():
            return model_field.get_default()
        if column.type in (DATE, REF) or model_field.null:
            return None
        return ""

    def _too_long(self, row, column, text) -> bool:
        model_field = self.model_field(column.field)
        max_length = getattr(model_field, "max_length", None)
        if max_length and len(text) > max_length:
            self.problem(
                row,
                column.field,
                gettext("“%(value)s” is longer than %(max)d characters.") % {"value": text, "max": max_length},
            )
            return True
        return False

    def clean_cell(self, row: int, column: Column, raw):
        """The cell's value, or INVALID after reporting a problem. An empty optional cell takes
        the model field's default."""
        if blank(raw):
            if column.required:
                self.problem(row, column.field, gettext("This field is required."))
                return INVALID
            return self.default_of(column)
        # Names of people and bodies lose the spaces offices pad them with (张　伟).
        text = name_text(raw) if column.type in (NAME, REF) else cell_text(raw)
        if column.type == MOBILE:
            try:
                return normalize_mobile(text)
            except ValidationError as exc:
                for message in exc.messages:
                    self.problem(row, column.field, message)
                return INVALID
        if column.type == ID_NUMBER:
            if is_masked_id(text):
                return KEEP
            if isinstance(raw, int | float) and len(text) > 15:
                self.problem(
                    row,
                    column.field,
                    gettext(
                        "“%(value)s” was stored as a number, and Excel keeps only 15 digits; "
                        "set the column's format to text and type the number again."
                    )
                    % {"value": text},
                )
                return INVALID
            try:
                return normalize_id_number(text)
            except ValidationError as exc:
                for message in exc.messages:
                    self.problem(row, column.field, message)
                return INVALID
        if column.type == EMAIL:
            try:
                validate_email(text)
            except ValidationError:
                self.problem(row, column.field, gettext("“%(value)s” is not an email address.") % {"value": text})
                return INVALID
            return text
        if column.type in (DATE, MONTH):
            try:
                date, day_known = parse_date(raw)
            except ValueError:
                self.problem(
                    row,
                    column.field,
                    gettext("“%(value)s” is not a date; write it as 2024-03-01 (or 1962.01 for a year and month).")
                    % {"value": text},
                )
                return INVALID
            return (date, day_known) if column.type == MONTH else date
        if column.type in (CHOICE, BOOL):
            if isinstance(raw, bool) and column.type == BOOL:
                return raw
            labels = column.labels()
            key = name_text(raw)
            if key not in labels:
                self.problem(
                    row,
                    column.field,
                    gettext("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text, "choices": column.label_list()},
                )
                return INVALID
            return labels[key]
        if column.type in (TEXT, NAME) and self._too_long(row, column, text):
            return INVALID
        return text

    # -- the roster's own rules

    @abstractmethod
    def preload(self) -> None:
        """Load, in a few queries, every record rows are checked against."""

    @abstractmethod
    def check(self, row: int, values: dict[str, Any], bad: set[str]) -> models.Model | None:
        """Resolve references, find duplicates, and return the record on file the row
        describes (None: a new one). ``bad`` names fields whose cell was refused."""

    @abstractmethod
    def attributes(self, values: dict[str, Any], existing: models.Model | None) -> dict[str, Any]:
        """The model attributes a valid row sets (only those its columns give)."""

    def label(self, values: dict[str, Any], existing: models.Model | None) -> str:
        return values.get("name") or (str(existing) if existing is not None else "")

    def new_record(self, attributes: dict[str, Any]) -> models.Model:
        return self.model(**attributes)

    def create_pending(self, kind: str, names: dict[str, int]) -> dict[str, int]:
        """Create the records of ``kind`` staff confirmed; return their ids by name. A roster
        listing kinds in MISSING_LABELS overrides this (checked when the class is defined); one
        listing none never has a pending record, so there is nothing to create."""
        return {}

    def after_create(self, records: list[models.Model]) -> None:
        """Anything a newly created record needs beside its row (a login's role)."""
        return None

    def default_queryset(self) -> models.QuerySet:
        return self.model.objects.all()

    def export_queryset(self, queryset: models.QuerySet | None) -> models.QuerySet:
        return self.default_queryset() if queryset is None else queryset

    def export_cell(self, column: Column) -> tuple[str | None, Callable[[Any, tuple], Any] | None]:
        """How the export writes ``column``: the lookup it reads (``source`` or ``field``, e.g.
        ``group__name``; None for a column the roster computes) and what turns the value into
        the cell, given the value and the record's values (its pk first): choice labels, the ID
        number masked unless ``full_id``, a year-and-month birth as 1962.01; None for a value
        written as it is (an empty one is no cell)."""
        lookup = (column.source or column.field).replace(".", "__")
        if column.type in (CHOICE, BOOL):
            labels = {stored: labels[0] for stored, labels in column.choices}
            return lookup, lambda value, _record: labels.get(value, None if value is None else str(value))
        if column.type == ID_NUMBER:
            if self.full_id:
                return lookup, None
            return lookup, lambda value, _record: mask_id_number(value) if value else value
        if column.type == MONTH and self.model_field("birth_month_only") is not None:
            # The record's second value is birth_month_only (export_rows reads it there).
            return lookup, lambda value, record: f"{value:%Y.%m}" if value is not None and record[1] else value
        return lookup, None

    def export_rows(self, queryset: models.QuerySet | None = None) -> Iterator[list]:
        """The export's rows, one a record of ``queryset`` (by default the roster's own), in its
        order, cells in the order of ``COLUMNS``. Read as plain values in one query: no model
        instance per record, no attribute lookup per cell, a function call only for the cells
        that need one."""
        cells = [self.export_cell(column) for column in self.COLUMNS]
        lookups = ["pk"]
        if any(column.type == MONTH for column in self.COLUMNS) and self.model_field("birth_month_only"):
            lookups.append("birth_month_only")
        for lookup, _convert in cells:
            if lookup and lookup not in lookups:
                lookups.append(lookup)
        at = [lookups.index(lookup) if lookup else None for lookup, _convert in cells]
        plain = [(i, at[i]) for i, (_lookup, convert) in enumerate(cells) if convert is None]
        converted = [(i, at[i], convert) for i, (_lookup, convert) in enumerate(cells) if convert is not None]
        width = len(cells)
        for record in self.export_queryset(queryset).values_list(*lookups).iterator(chunk_size=1000):
            row = [None] * width
            for i, j in plain:
                row[i] = record[j]
            for i, j, convert in converted:
                row[i] = convert(None if j is None else record[j], record)
            if row[-1] is None:
                row[-1] = ""  # written, so that the row keeps its width when read back
            yield row

    # -- planning and writing

    def _header_of_attribute(self, name: str) -> str:
        for column in self.COLUMNS:
            if name in (column.field, f"{column.field}_id") or (column.type == MONTH and name == "birth_month_only"):
                return self.sheet.header_of(column)
        model_field = self.model_field(name)
        return str(model_field.verbose_name) if model_field else name

    def plan(self, sheet: Sheet, *, create_missing: bool = False) -> RosterPlan:
        """Check every row against the registry and say what it would do; writes nothing."""
        self.sheet, self.create_missing = sheet, create_missing
        self.preload()
        rows = []
        for number, cells in sheet.rows:
            before = len(self.problems)
            values, bad = {}, set()
            for column in self.COLUMNS:
                index = sheet.index_of(column)
                if index is None:
                    continue  # a column the file does not have: what is on file stays
                value = self.clean_cell(number, column, cells[index] if index < len(cells) else None)
                if value is INVALID:
                    bad.add(column.field)
                else:
                    values[column.field] = value
            existing = self.check(number, values, bad)
            if len(self.problems) > before:
                continue
            attributes = self.attributes(values, existing)
            if existing is None:
                action, changed = CREATE, ()
            else:
                changed = tuple(
                    dict.fromkeys(
                        self._header_of_attribute(name)
                        for name, value in attributes.items()
                        if getattr(existing, name) != value
                    )
                )
                action = UPDATE if changed else UNCHANGED
            rows.append(RowPlan(number, action, self.label(values, existing), changed))
            self._planned.append((action, attributes, existing))
        problems = sorted(
            self.problems + self.unconfirmed, key=lambda p: (p.row, p.index if p.index is not None else -1)
        )
        return RosterPlan(
            kind=self.kind,
            title=self.title,
            sheet=sheet,
            rows=rows,
            problems=problems,
            missing={str(self.MISSING_LABELS.get(k, k)): names for k, names in self.missing.items()},
            create_missing=create_missing,
        )

    def apply(self) -> dict[str, int]:
        """Write a plan without problems: the confirmed missing records first, then new records
        and changed ones (unchanged rows are not touched). Returns the counts of what was
        created of the missing kinds."""
        created_refs = {kind: self.create_pending(kind, names) for kind, names in self.missing.items()}

        def resolve(value):
            return created_refs[value.kind][value.name] if isinstance(value, Pending) else value

        new, changed, fields = [], [], set()
        for action, attributes, existing in self._planned:
            attributes = {name: resolve(value) for name, value in attributes.items()}
            if action == CREATE:
                new.append(self.new_record(attributes))
            elif action == UPDATE:
                for name, value in attributes.items():
                    if getattr(existing, name) != value:
                        setattr(existing, name, value)
                        fields.add(name)
                changed.append(existing)
        if new:
            new = self.model.objects.bulk_create(new)
            self.after_create(new)
        if changed:
            self.model.objects.bulk_update(changed, sorted(fields))
        return {kind: len(ids) for kind, ids in created_refs.items()}
