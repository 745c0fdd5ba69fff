"""What an import reports: a problem of a row and cell, and the refusal carrying them all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: the sheet's own ``row`` number (0 means the file as a
    whole), ``column`` (its header as the file writes it, or empty), a ``message`` in the active
    language, and ``index``, the cell's 0-based column (None: the row, or the file).
    ``unconfirmed`` marks a row that names a record staff have not yet confirmed to create: the
    row is otherwise good and is imported once they confirm."""

    row: int
    column: str
    message: str
    index: int | None = None
    unconfirmed: bool = False

    def __str__(self):
        if not self.row:
            return self.message
        return f"第{self.row}行 [{self.column}]: {self.message}" if self.column else f"第{self.row}行: {self.message}"


class RosterRejected(Exception):
    """The file was refused and nothing was written; ``problems`` lists every reason, ``plan``
    is the preview when the file could be read that far, ``sheet`` the sheet that was read."""

    def __init__(self, problems: list[RowProblem], *, plan=None, sheet=None):
        self.problems = list(problems)
        self.plan = plan
        self.sheet = sheet if sheet is not None else getattr(plan, "sheet", None)
        super().__init__("\n".join(str(p) for p in self.problems))
