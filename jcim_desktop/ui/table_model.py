"""The Qt table model of the list pages: a thin adapter over ``services.listing``.

It holds the sorted ids and a cache of typed rows. A new query (or sort) first reads the ids of
the first screen only, so a list of 100,000 records paints at once; the whole id list follows
from a :class:`~jcim_desktop.ui.ops.QueryOp` and the rows grow to it (``loaded``). Rows are
fetched ``BLOCK_ROWS`` at a time around the row a view asks for, as typed values
(:class:`~jcim_desktop.services.listing.ListRow`), and become text only when a view paints them
(through :mod:`~jcim_desktop.ui.fmt` and :mod:`~jcim_desktop.ui.labels`). Sorting is an
``ORDER BY`` in SQL (never a QSortFilterProxyModel: 9.7 s for 100,000 rows, DESIGN.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QTableView, QWidget

from jcim_desktop.domain.dates import PlannedDate
from jcim_desktop.domain.vocab import EVENT_STATUSES, MATCHING_STAGES, NEED_STATUSES
from jcim_desktop.services import listing, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, language, ops
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.widgets.columns import ColumnWidth, header_width, text_width

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

HEAD_ROWS = 300
"""Ids read at once for a new query: more than a screen, so the first paint never waits."""
BLOCK_ROWS = 200
MAX_CACHED_ROWS = 20_000
PLACEHOLDER = "…"
RecordIdRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2
"""A cell's typed value (``listing.ListRow``), for tests and for code that needs more than text."""

_Index = QModelIndex | QPersistentModelIndex

# Headers of the columns that are not a field of the entity (or that a list names its own way);
# the others are the field's label (``labels.field``).
_HEADERS: dict[str, str] = {
    "fy": QT_TRANSLATE_NOOP("RecordTableModel", "年度"),
    "planned": QT_TRANSLATE_NOOP("RecordTableModel", "開催予定日"),
    "held": QT_TRANSLATE_NOOP("RecordTableModel", "実施日"),
    "lg": QT_TRANSLATE_NOOP("RecordTableModel", "自治体"),
    "presentations": QT_TRANSLATE_NOOP("RecordTableModel", "発表数"),
    "netis_no": QT_TRANSLATE_NOOP("RecordTableModel", "NETIS"),
    "stage": QT_TRANSLATE_NOOP("RecordTableModel", "段階"),
    "need": QT_TRANSLATE_NOOP("RecordTableModel", "ニーズ"),
    "seed": QT_TRANSLATE_NOOP("RecordTableModel", "シーズ"),
    "last_stage_on": QT_TRANSLATE_NOOP("RecordTableModel", "最終更新日"),
    "owner": QT_TRANSLATE_NOOP("RecordTableModel", "組織"),
    "co_hosts": QT_TRANSLATE_NOOP("RecordTableModel", "共催"),
}
_VIEW_HEADERS: dict[tuple[str, str], str] = {
    ("pitch_events", "title"): QT_TRANSLATE_NOOP("RecordTableModel", "イベント名"),
    ("support_activities", "lg"): QT_TRANSLATE_NOOP("RecordTableModel", "自治体・国"),
}


# -- column widths: how a list's columns fit a narrow window (``widgets.columns``) ------------------

MAIN_COLUMNS: dict[str, str] = {
    "events": "title", "pitch_events": "title", "needs": "title", "seeds": "tech_name", "trials": "title",
    "support_activities": "note", "matchings": "need",
}
"""The column of each list that takes the room left over (what names a record best)."""
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "pitch_events": ("co_hosts",),
}
"""Columns a list leaves out (in this order) while even the narrowest columns do not fit (every
year shown in English at 1024 pixels): a pitch event is seldom held jointly."""
MAIN_MINIMUM = 150
ELIDED_MINIMUM = 56
"""The narrowest a column whose text may be cut gets (its header whole, if that is wider)."""
_DATE_KEYS = ("received_on", "registered_on", "on", "last_stage_on")


def _whole_texts(view: str, key: str) -> list[str] | None:
    """The texts a column never cuts (its longest decides its width), or None: it may elide."""
    if key == "fy":
        return [fmt.fy_short(fy) for fy in fmt.fiscal_year_choices(back=6)] + [translate("RecordTableModel", "未定")]
    if key == "status":
        if view == "needs":
            return [labels.need_status(code) for code in NEED_STATUSES]
        return [labels.event_status(code) for code in EVENT_STATUSES]
    if key in _DATE_KEYS:
        return _sample_dates()
    if key == "stage":
        return [labels.matching_stage(code) for code in MATCHING_STAGES]
    if key == "presentations":
        return [fmt.number(999)]
    if key == "netis_no":
        return ["KT-000000-VE"]
    return None


def _sample_dates() -> list[str]:
    """The widest dates a list shows (every month; a two-digit day)."""
    year = fmt.current_fiscal_year()
    return [fmt.date_label(dt.date(year, month, 28)) for month in range(1, 13)]


def optional_columns(view: str) -> list[int]:
    """The sections of ``OPTIONAL_COLUMNS[view]``."""
    keys = [c.key for c in listing.columns(view)]
    return [keys.index(key) for key in OPTIONAL_COLUMNS.get(view, ()) if key in keys]


def column_widths(view: str, table: QTableView) -> list[ColumnWidth]:
    """How wide each column of list ``view`` shown in ``table`` wants to be: the preferred widths of
    ``listing.COLUMNS`` (a 1280-pixel window), no narrower than its header; dates, statuses, years
    whole; the rest elided (with a tool tip) before a horizontal scroll bar would appear."""
    out = []
    for section, column in enumerate(listing.columns(view)):
        head = header_width(table, section)
        whole = _whole_texts(view, column.key)
        if whole is not None:
            out.append(ColumnWidth.whole(max(head, text_width(table, whole))))
            continue
        main = MAIN_COLUMNS.get(view) == column.key
        floor = MAIN_MINIMUM if main else ELIDED_MINIMUM
        if column.key == "held":  # a range may be cut; one day is shown whole
            floor = text_width(table, _sample_dates())
        minimum = max(head, floor)
        out.append(ColumnWidth(max(column.width_px, minimum), minimum, main=main))
    return out


def header(view: str, key: str) -> str:
    """The header of column ``key`` of list ``view``, in the window's language."""
    own = _VIEW_HEADERS.get((view, key)) or _HEADERS.get(key)
    if own is not None:
        return translate("RecordTableModel", own)
    return labels.field(listing.stored_entity(view), key)


# -- typed values as people read them --------------------------------------------------------------


def punctuation(japanese: str, english: str) -> str:
    """Japanese or English punctuation (a separator, brackets) by the window's language.

    Punctuation alone has nothing for a translator (update.py leaves texts without kana or
    kanji), so it is chosen here; sentences go through ``tr``.
    """
    return japanese if language.current() == "ja" else english


def _join(parts: Sequence[str]) -> str:
    """``橋梁・道路`` / ``Bridge, Road``: a short list of labels."""
    return punctuation("・", ", ").join(parts)


def _places(names: Sequence[str]) -> str:
    """Two municipalities by name, and how many more."""
    shown = punctuation("、", ", ").join(names[:2])
    if len(names) <= 2:
        return shown
    return translate("RecordTableModel", "{places} ほか{more}").format(places=shown, more=len(names) - 2)


def co_hosts(codes: Sequence[str], *, short: bool = True) -> str:
    """共催: the other orgs that held an event jointly (``中国、四国``; full names for a tool tip)."""
    name = labels.org_short if short else labels.org
    return punctuation("、", ", ").join(name(code) for code in codes)


def country(code: str) -> str:
    """A country by its ISO code: the Japanese name people use, or Qt's English name."""
    if language.current() == "ja":
        return listing.COUNTRY_NAMES.get(code, code)
    territory = QLocale.codeToTerritory(code)
    return code if territory == QLocale.Country.AnyTerritory else QLocale.territoryToString(territory)


def _planned(value: PlannedDate | None) -> str:
    if value is None:
        return ""
    if value.text:
        return value.text  # as the person wrote it (record data)
    return fmt.date_range_label(value.start, value.end)


def cell_text(view: str, key: str, value: Any) -> str:
    """The text of a typed list value (``listing.ListRow``) in column ``key`` of ``view``."""
    if key == "fy":
        return fmt.fy_short(value) if value is not None else translate("RecordTableModel", "未定")
    if value is None:
        if key == "need":
            return translate("RecordTableModel", "（見つからないニーズ）")
        if key == "seed":
            return translate("RecordTableModel", "（見つからないシーズ）")
        return ""
    if key in ("received_on", "registered_on", "on", "last_stage_on"):
        return fmt.date_label(value)
    if key == "held":
        return fmt.date_range_label(value.start, value.end)
    if key == "planned":
        return _planned(value)
    if key == "event_type":
        return labels.event_type(value)
    if key == "status":
        return labels.need_status(value) if view == "needs" else labels.event_status(value)
    if key == "kind":
        return labels.support_kind(value)
    if key == "stage":
        return labels.matching_stage(value)
    if key == "facility_types":
        return _join([labels.facility_type(code) for code in value])
    if key == "owner":
        return labels.org(value)
    if key == "co_hosts":
        return co_hosts(value)
    if key == "presentations":
        return fmt.number(value)
    if key == "lg":
        if isinstance(value, listing.Country):
            return country(value.code)
        return _places(value) if isinstance(value, tuple) else str(value)
    if isinstance(value, listing.NeedRef):
        if not value.place:
            return value.title
        return punctuation("{title}（{place}）", "{title} ({place})").format(title=value.title, place=value.place)
    if isinstance(value, listing.SeedRef):
        return punctuation("{company} ／ {tech}", "{company} / {tech}").format(company=value.company, tech=value.tech_name)
    return str(value).replace("\n", " ")


def describe(view: str, texts: Sequence[str]) -> str:
    """A short name of a record from its cells' texts (a delete confirmation, say)."""
    keys = [c.key for c in listing.columns(view)]
    parts = [texts[keys.index(k)] for k in listing.NAME_KEYS[view] if k in keys and keys.index(k) < len(texts)]
    return _join([p for p in parts if p]) or translate("RecordTableModel", "（名称なし）")


@dataclasses.dataclass(frozen=True)
class Head:
    """The first ids of a list, with the rows of the first screen, read ahead of its first showing
    (``ListPage.prepare``): a first reload with the same query and order starts from them."""

    query: records.Query
    sort: tuple[str, bool]
    ids: list[str]
    rows: dict[str, listing.ListRow]


def read_head(ctx: AppContext, view: str, query: records.Query) -> Head:
    """What the first reload of a new model on ``query`` reads on the GUI thread (the first ids in
    the view's default order, then the first block of rows), read now — off the GUI thread."""
    query = dataclasses.replace(query, include_deleted=False)
    sort = listing.DEFAULT_SORT[view]
    ids = listing.fetch_ids(ctx, view, query, *sort, limit=HEAD_ROWS + 1)
    return Head(query, sort, ids, listing.fetch_block(ctx, view, ids[:BLOCK_ROWS]))


class RecordTableModel(QAbstractTableModel):
    """Rows of one list view (``listing.VIEWS``); ``record_id(row)`` names the record."""

    loaded = Signal()
    """The whole id list is in (after every query or sort)."""

    def __init__(self, ctx: AppContext, view: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.columns = listing.columns(view)
        self.headers = [header(view, c.key) for c in self.columns]
        self._query = records.Query()
        self._sort_key, self._descending = listing.DEFAULT_SORT[view]
        self._ids: list[str] = []
        self._complete = True
        self._has_loaded = False
        self._generation = 0
        self._rows: dict[str, listing.ListRow] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self._failed: set[str] = set()

    # -- queries ---------------------------------------------------------------------------------

    @property
    def query(self) -> records.Query:
        return self._query

    def set_query(self, query: records.Query, head: Head | None = None) -> None:
        """Show the records matching ``query`` (deleted records never); ``head``, read ahead for
        this query and order (``read_head``), saves reading the first screen again."""
        self._query = dataclasses.replace(query, include_deleted=False)
        self.reload(head)

    def reload(self, head: Head | None = None) -> None:
        """Read the ids again (after a change, or a new query or sort).

        Only the first ``HEAD_ROWS`` ids are read here, on the GUI thread (a few milliseconds:
        the first screen never waits); when there are more, the whole list is read by a
        :class:`~jcim_desktop.ui.ops.QueryOp` and the rows grow to it (``loaded``). A newer
        reload supersedes an older one's answer. A read that fails is shown by the window's
        one error policy (ops and the crash hook), not here.
        """
        self._generation += 1
        generation = self._generation
        self._has_loaded = True
        ctx, view, query, key, descending = self.ctx, self.view, self._query, self._sort_key, self._descending
        ahead = head if head is not None and (head.query, head.sort) == (query, (key, descending)) else None
        first = ahead.ids if ahead is not None else listing.fetch_ids(ctx, view, query, key, descending,
                                                                      limit=HEAD_ROWS + 1)
        self.beginResetModel()
        self._ids = first
        self._complete = len(first) <= HEAD_ROWS
        self._forget_rows()
        if ahead is not None:
            self._rows.update(ahead.rows)
        self.endResetModel()
        if self._complete:
            self.loaded.emit()
            return
        ops.QueryOp(
            self._widget(),
            lambda _progress: listing.fetch_ids(ctx, view, query, key, descending),
            lambda ids: self._ids_loaded(generation, ids),
        ).run_in_background()

    def _widget(self) -> QWidget | None:
        """The page showing the list: its closing drops the answer of a read still running."""
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def _ids_loaded(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            return  # an older query's answer, or the model is gone
        self._complete = True
        known = len(self._ids)
        if len(ids) >= known and ids[:known] == self._ids:
            if len(ids) > known:
                self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:  # the records changed between the two reads
            self.beginResetModel()
            self._ids = ids
            self._forget_rows()
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

    def row_data(self, row: int) -> listing.ListRow | None:
        """Typed values and owner of a row (read if needed); None if it cannot be read."""
        record_id = self.record_id(row)
        if record_id is None:
            return None
        data = self._rows.get(record_id)
        if data is None and record_id not in self._failed:
            self._fetch_around(row)
            data = self._rows.get(record_id)
        return data

    def row_texts(self, row: int) -> tuple[str, ...] | None:
        """The cells of a row as people read them (formatted once, when first painted)."""
        record_id = self.record_id(row)
        data = self.row_data(row)
        if record_id is None or data is None:
            return None
        texts = self._texts.get(record_id)
        if texts is None:
            texts = tuple(cell_text(self.view, c.key, v) for c, v in zip(self.columns, data.values, strict=False))
            self._texts[record_id] = texts
        return texts

    def describe_row(self, row: int) -> str:
        """A short name of the record in ``row`` (its title, or what names it best)."""
        texts = self.row_texts(row)
        return describe(self.view, texts) if texts is not None else translate("RecordTableModel", "選んだ記録")

    def owner(self, row: int) -> str | None:
        data = self.row_data(row)
        return data.owner if data is not None else None

    def version(self, row: int) -> str | None:
        """The version (``hlc``) of the record in ``row`` as the list read it, the one it shows (read
        with its values; a change notice makes the list read them again, so a colleague's save
        that no notice announced is not in it: a delete from the list is refused over it)."""
        data = self.row_data(row)
        return data.hlc if data is not None else None

    def _forget_rows(self) -> None:
        self._rows.clear()
        self._texts.clear()
        self._failed.clear()

    def _fetch_around(self, row: int) -> None:
        # Views paint top to bottom, so most of the block lies below the row asked for.
        start = max(0, row - BLOCK_ROWS // 4)
        wanted = [i for i in self._ids[start : start + BLOCK_ROWS] if i not in self._rows and i not in self._failed]
        if not wanted:
            return
        if len(self._rows) + len(wanted) > MAX_CACHED_ROWS:
            self._rows.clear()
            self._texts.clear()
        try:
            found = listing.fetch_block(self.ctx, self.view, wanted)
        except Exception:  # noqa: BLE001 - data() never raises; the rows show a grey placeholder
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
        except Exception:  # noqa: BLE001 - a view must never see an exception (STYLE.md)
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
        if role == ValueRole:
            data = self.row_data(row)
            return data.values[column] if data is not None and column < len(data.values) else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
            return None
        texts = self.row_texts(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if texts is None:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if texts is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER
            return translate("RecordTableModel", "この行を読み込めませんでした")
        text = texts[column] if column < len(texts) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.columns[column].key == "co_hosts" and text:
                data = self.row_data(row)
                return co_hosts(data.values[column], short=False) if data is not None else text
            return text or None
        return text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.columns)):
            return None
        name = self.headers[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.columns[section].sortable:
                return translate("RecordTableModel", "{column}（クリックで並べ替え）").format(column=name)
            return translate("RecordTableModel", "{column}（この列では並べ替えできません）").format(column=name)
        return None
