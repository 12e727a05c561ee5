"""The one table-model base: rows of typed values shown through column definitions.

A page builds a :class:`RowsModel` from :class:`Column` s and hands it rows (any Python values:
dataclasses, tuples, domain objects); the model does the Qt boilerplate (``rowCount``,
``columnCount``, ``headerData``, ``data``, resets) and formats each cell when a view paints it::

    columns = [
        Column(self.tr("都道府県"), lambda r: r.name),
        Column(self.tr("市区町村数"), lambda r: r.municipalities, numeric=True),
        Column(self.tr("加入率"), lambda r: r.admin_rate, text=lambda r: fmt.percent(r.admin_rate)),
    ]
    model = RowsModel(columns, parent=self)
    model.set_rows(rates)                # a reset; the view repaints
    model.row_at(view.currentIndex().row())

``Column`` fields:

* ``header`` — the header text, **already translated** (``self.tr(…)`` / ``labels.field(…)``);
  ``header_tooltip`` — its tool tip (optional).
* ``value(row)`` — the cell's typed value (``date``, ``int``, code, ``bool`` …); it is also the
  ``EditRole`` and ``SORT_ROLE`` data.
* ``text(row)`` — the display text; without it the value is formatted by type through
  :mod:`~jcim_desktop.ui.fmt` (``None`` → empty, ``date`` → ``fmt.date_label``, numbers →
  ``fmt.number``, anything else → ``str``). Codes need a ``text`` through ``ui.labels``.
* ``tooltip(row)`` — the cell's tool tip (optional).
* ``align`` — a ``Qt.AlignmentFlag``; ``numeric=True`` means right-aligned (the default for it).

Roles a column does not describe (colours, fonts, check boxes) come from :meth:`RowsModel.cell_data`,
which a subclass overrides; ``flags``/``setData`` are overridden the ordinary Qt way for editable
cells. ``data()`` never raises (STYLE.md): a cell that fails is logged and shown empty.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from jcim_desktop.ui import fmt

log = logging.getLogger(__name__)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
SORT_ROLE = Qt.ItemDataRole.UserRole + 10
"""The typed value of a cell (what a sort proxy would compare)."""

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

ACHIEVED = QColor("#1b7f3b")
BEHIND = QColor("#b26a00")
MUTED = QColor("#9aa0a6")
"""Text colours the tables share: a target met, one not yet met, a cell with nothing to it (zero, unset)."""


def achievement_colour(ratio: float | None) -> QColor | None:
    """The colour of an achievement (result ÷ target): met or not yet; None without a target."""
    if ratio is None:
        return None
    return ACHIEVED if ratio >= 1 else BEHIND


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its translated header, how to get a row's value, and how to show it."""

    header: str
    value: Callable[[R], Any]
    text: Callable[[R], str] | None = None
    tooltip: Callable[[R], str | None] | None = None
    align: Qt.AlignmentFlag | None = None
    numeric: bool = False
    header_tooltip: str = ""

    def display(self, row: R) -> str:
        if self.text is not None:
            return self.text(row)
        return format_value(self.value(row))

    def alignment(self) -> Qt.AlignmentFlag | None:
        if self.align is not None:
            return self.align
        return RIGHT if self.numeric else None


def format_value(value: Any) -> str:
    """A typed value as a cell shows it when its column gives no ``text``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        return fmt.datetime_label(value)
    if isinstance(value, dt.date):
        return fmt.date_label(value)
    if isinstance(value, (int, float)):
        return fmt.number(value)
    return str(value)


class RowsModel(QAbstractTableModel, Generic[R]):
    """A flat table of ``rows`` shown through ``columns`` (see the module docstring)."""

    def __init__(self, columns: Sequence[Column[R]] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns: list[Column[R]] = list(columns)
        self.rows: list[R] = []

    # -- content ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show ``rows`` instead of what was shown (a model reset)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """Change the columns (a model reset; for tables whose columns depend on the data)."""
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def refresh_row(self, row: int) -> None:
        """Repaint one row after its value changed in place."""
        if 0 <= row < len(self.rows) and self.columns:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    # -- for subclasses --------------------------------------------------------------------------

    def cell_data(self, row: R, column: int, role: int) -> Any:
        """Roles the column does not describe (colour, font, check state …); None by default."""
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.columns)):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tooltip or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        try:
            return self._data(self.rows[index.row()], index.column(), role)
        except Exception:  # noqa: BLE001 - data() never raises (STYLE.md); the cell shows empty
            log.exception("data() of %s, row %d column %d", type(self).__name__, index.row(), index.column())
            return None

    def _data(self, row: R, col: int, role: int) -> Any:
        column = self.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role in (Qt.ItemDataRole.EditRole, SORT_ROLE):
            return column.value(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = column.alignment()
            if align is not None:
                return int(align.value)
            return self.cell_data(row, col, role)
        return self.cell_data(row, col, role)
