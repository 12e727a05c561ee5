"""The Qt table model of the list pages: a thin adapter over ``services.listing``.

It holds the sorted ids and a cache of display rows. A new query (or sort) first reads the ids
of the first screen only, so a list of 100,000 records paints at once; the whole id list
follows from a worker thread and the rows grow to it (``loaded``). Rows are fetched ``BLOCK_ROWS`` at a time around the row a view asks for. Sorting is
an ``ORDER BY`` in SQL (never a QSortFilterProxyModel: 9.7 s for 100,000 rows, DESIGN.md).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QPalette

from jcim_desktop.services import listing, records
from jcim_desktop.services.context import AppContext

log = logging.getLogger(__name__)

HEAD_ROWS = 300
"""Ids read at once for a new query: more than a screen, so the first paint never waits."""
BLOCK_ROWS = 200
MAX_CACHED_ROWS = 20_000
PLACEHOLDER = "…"
RecordIdRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class _IdsSignals(QObject):
    done = Signal(int, object)  # generation, list[str] or the exception


class _LoadIds(QRunnable):
    """Reads a whole id list off the GUI thread (SQLite in WAL lets it read beside writers)."""

    def __init__(self, fn: Callable[[], list[str]], generation: int, signals: _IdsSignals) -> None:
        super().__init__()
        self.fn, self.generation, self.signals = fn, generation, signals

    def run(self) -> None:
        try:
            result: object = self.fn()
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
            result = exc
        try:
            self.signals.done.emit(self.generation, result)
        except RuntimeError:
            pass  # the model went away while the ids were read


class RecordTableModel(QAbstractTableModel):
    """Rows of one list view (``listing.VIEWS``); ``record_id(row)`` names the record."""

    loaded = Signal()
    """The whole id list is in (after every query or sort)."""
    load_failed = Signal(str)
    """A Japanese message: the list could not be read."""

    def __init__(self, ctx: AppContext, view: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.columns = listing.columns(view)
        self._query = records.Query()
        self._sort_key, self._descending = listing.DEFAULT_SORT[view]
        self._ids: list[str] = []
        self._complete = True
        self._has_loaded = False
        self._generation = 0
        self._rows: dict[str, listing.RowData] = {}
        self._failed: set[str] = set()
        self._signals = _IdsSignals(self)
        self._signals.done.connect(self._ids_loaded)
        self._pool = QThreadPool.globalInstance()

    # -- queries ---------------------------------------------------------------------------------

    @property
    def query(self) -> records.Query:
        return self._query

    def set_query(self, query: records.Query) -> None:
        """Show the records matching ``query`` (deleted records never)."""
        self._query = dataclasses.replace(query, include_deleted=False)
        self.reload()

    def reload(self) -> None:
        """Read the ids again (after a change, or a new query or sort).

        Only the first ``HEAD_ROWS`` ids are read here; when there are more, the rows grow to
        the full list once the worker has read it (``loaded``). Counting first would cost as
        much as reading the first screen again, for a number that arrives 0.1 s later anyway.
        """
        self._generation += 1
        self._has_loaded = True
        view, query, key, descending = self.view, self._query, self._sort_key, self._descending
        error = ""
        try:
            head = listing.fetch_ids(self.ctx, view, query, key, descending, limit=HEAD_ROWS + 1)
        except Exception:  # noqa: BLE001 - a list that cannot be read shows empty, with a message
            log.exception("list %s could not be read", view)
            head = []
            error = "一覧を読み込めませんでした。データベースを確認してください。"
        self.beginResetModel()
        self._ids = head
        self._complete = len(head) <= HEAD_ROWS
        self._rows.clear()
        self._failed.clear()
        self.endResetModel()
        if error:
            self.load_failed.emit(error)
        elif self._complete:
            self.loaded.emit()
        else:
            ctx = self.ctx
            job = _LoadIds(
                lambda: listing.fetch_ids(ctx, view, query, key, descending), self._generation, self._signals
            )
            self._pool.start(job)

    @Slot(int, object)
    def _ids_loaded(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # an older query's answer
        self._complete = True
        if isinstance(result, BaseException) or not isinstance(result, list):
            log.error("list %s could not be read: %r", self.view, result)
            self.load_failed.emit("一覧の続きを読み込めませんでした。「最新の情報に更新」をお試しください。")
            return
        known = len(self._ids)
        if len(result) >= known and result[:known] == self._ids:
            if len(result) > known:
                self.beginInsertRows(QModelIndex(), known, len(result) - 1)
                self._ids = result
                self.endInsertRows()
        else:  # the records changed between the two reads
            self.beginResetModel()
            self._ids = result
            self.endResetModel()
        self.loaded.emit()

    def is_complete(self) -> bool:
        return self._complete

    # -- sorting ---------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            spec = self.columns[column]
            if not spec.sortable:
                return
            key, descending = spec.key, order == Qt.SortOrder.DescendingOrder
        else:
            key, descending = listing.DEFAULT_SORT[self.view]
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        if self._has_loaded:
            self.reload()

    def sort_column(self) -> int:
        keys = [c.key for c in self.columns]
        return keys.index(self._sort_key) if self._sort_key in keys else -1

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sortable

    # -- records by row --------------------------------------------------------------------------

    def record_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        """The row of a record among the ids read so far; -1 if it is not (yet) there."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def row_data(self, row: int) -> listing.RowData | None:
        """Display strings and owner of a row (read if needed); None if it cannot be read."""
        record_id = self.record_id(row)
        if record_id is None:
            return None
        data = self._rows.get(record_id)
        if data is None and record_id not in self._failed:
            self._fetch_around(row)
            data = self._rows.get(record_id)
        return data

    def owner(self, row: int) -> str | None:
        data = self.row_data(row)
        return data.owner if data is not None else None

    def _fetch_around(self, row: int) -> None:
        # Views paint top to bottom, so most of the block lies below the row asked for.
        start = max(0, row - BLOCK_ROWS // 4)
        wanted = [i for i in self._ids[start : start + BLOCK_ROWS] if i not in self._rows and i not in self._failed]
        if not wanted:
            return
        if len(self._rows) + len(wanted) > MAX_CACHED_ROWS:
            self._rows.clear()
        try:
            found = listing.fetch_block(self.ctx, self.view, wanted)
        except Exception:  # noqa: BLE001 - data() never raises; the rows show a placeholder
            log.exception("rows of list %s could not be read", self.view)
            found = {}
        self._rows.update(found)
        # Not found: deleted or failed since the ids were read. Shown greyed until the next reload.
        self._failed.update(i for i in wanted if i not in found)

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            return self._data(index, role)
        except Exception:  # noqa: BLE001 - a view must never see an exception
            log.exception("data() of list %s", self.view)
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None

    def _data(self, index: _Index, role: int) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, column = index.row(), index.column()
        if role == RecordIdRole:
            return self.record_id(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[column].numeric:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
            return None
        data = self.row_data(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if data is None:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if data is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER
            return "この行を読み込めませんでした"
        text = data.values[column] if column < len(data.values) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        return text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.columns)):
            return None
        spec = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{spec.label}（クリックで並べ替え）" if spec.sortable else f"{spec.label}（この列では並べ替えできません）"
        return None
