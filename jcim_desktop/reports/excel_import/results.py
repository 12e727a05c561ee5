"""What reading a sheet gives: one ``RowResult`` per data row (its record data, or the problems of
its cells, each a ``CellError`` naming the row and column in Japanese) in a ``SheetResult``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)``; ``total`` is 0 when it is not known."""


@dataclass(frozen=True)
class CellError:
    """One problem of one cell: ``5行目 C列（自治体）: …``. ``column_letter`` is "" for a whole row."""

    row: int
    column_letter: str
    field_label: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}行目"
        if self.column_letter:
            where += f" {self.column_letter}列"
        if self.field_label:
            where += f"（{self.field_label}）"
        return f"{where}: {self.message}"


ROW_ENTITY = "_entity"
"""A key a row converter may put in a row's data: the entity the row becomes when it is not the
sheet's (an activity plan's 実証実験・現場試行 row becomes a trial); it ends up in ``RowResult.entity``."""


@dataclass
class RowResult:
    """A data row: ``data`` ready for the entity rules, or ``None`` with ``errors``. ``entity``
    is set when the row becomes a record of another entity than the sheet's."""

    row_number: int
    data: dict[str, Any] | None
    errors: list[CellError] = field(default_factory=list)
    entity: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


@dataclass
class SheetResult:
    """What a sheet holds. ``problems`` are sheet-level: while there is one, nothing is importable."""

    kind: str
    rows: list[RowResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int = 0
    # entity field -> (column letter, label): where the entity rules' messages belong
    field_columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    fiscal_year: int | None = None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def good_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def bad_count(self) -> int:
        return self.total - self.good_count

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    def good_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]
