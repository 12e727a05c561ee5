"""自治体マスタ: 行政会員 and 市区町村長会議 status on a chosen day (the secretariat records changes
from that day), a municipality's history of changes, and rates by prefecture and block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from jcim_desktop.domain.lgcodes import LocalGovernment
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.services import master
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, language, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.rows_model import CENTER, MUTED, Column, Index, RowsModel
from jcim_desktop.ui.widgets import boxes

FLAG_FIELDS = ("admin_member", "mayors_council")
"""The two flags, in the order of their columns and of ``master.statuses`` pairs."""
BLOCK_BACKGROUND = QColor("#e8eef6")


def date_edit_format() -> str:
    """How a date is typed in a date field: 2024年10月1日 / Oct 1, 2024."""
    return "yyyy年M月d日" if language.current() == "ja" else "MMM d, yyyy"


class MunicipalityModel(RowsModel[LocalGovernment]):
    """The municipalities shown, with their flags on the page's day; checkable for the secretariat.

    A tick is a write: a change of status from the page's day (``page.change_day()``) on. It runs
    through ``ops.perform`` (the change is announced, so the dashboard's and the rates' figures
    follow), with ``page`` showing a refused change.
    """

    FIRST_FLAG_COLUMN = 4

    def __init__(self, ctx: AppContext, columns: list[Column[LocalGovernment]], page: MunicipalityMasterPage) -> None:
        super().__init__(columns, page)
        self.ctx = ctx
        self.page = page
        self.status: dict[str, tuple[bool, bool]] = {}
        self.editable = ctx.is_secretariat

    def flag(self, lg: LocalGovernment, which: int) -> bool:
        return self.status.get(lg.lg_code, (False, False))[which]

    def _flag_index(self, column: int) -> int | None:
        which = column - self.FIRST_FLAG_COLUMN
        return which if 0 <= which < len(FLAG_FIELDS) else None

    def set_status(self, status: dict[str, tuple[bool, bool]]) -> None:
        """New flags for the same rows (no reset: selection and scrolling stay)."""
        self.status = status
        if self.rows:
            first, last = self.FIRST_FLAG_COLUMN, self.FIRST_FLAG_COLUMN + len(FLAG_FIELDS) - 1
            self.dataChanged.emit(self.index(0, first), self.index(len(self.rows) - 1, last))

    def flag_text(self, lg: LocalGovernment, which: int) -> str:
        # Editable cells show their checkbox alone; read-only ones a mark.
        return "" if self.editable else ("○" if self.flag(lg, which) else "—")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if self.editable and self._flag_index(index.column()) is not None:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def cell_data(self, row: LocalGovernment, column: int, role: int) -> Any:
        which = self._flag_index(column)
        if which is None:
            return None
        if role == Qt.ItemDataRole.CheckStateRole and self.editable:
            return Qt.CheckState.Checked if self.flag(row, which) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not self.flag(row, which):
            return MUTED
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        which = self._flag_index(index.column())
        lg = self.row_at(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.CheckStateRole or not self.editable or which is None or lg is None:
            return False
        checked = value if isinstance(value, bool) else Qt.CheckState(value) == Qt.CheckState.Checked
        ctx, code, day = self.ctx, lg.lg_code, self.page.change_day()
        if which == 0:
            saved = ops.perform(self.page, lambda: master.set_status(ctx, code, admin_member=checked, as_of=day))
        else:
            saved = ops.perform(self.page, lambda: master.set_status(ctx, code, mayors_council=checked, as_of=day))
        if saved is None:
            return False
        before = self.status.get(code, (False, False))
        after = (checked, before[1]) if which == 0 else (before[0], checked)
        if after != before:  # not yet shown (a visible page has reloaded on the change notice)
            self.status[code] = after
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DisplayRole])
        self.page.show_history()
        return True


class HistoryModel(RowsModel[master.StatusChange]):
    """A municipality's changes, oldest first; the one in force on the page's day in bold."""

    def __init__(self, columns: list[Column[master.StatusChange]], page: MunicipalityMasterPage) -> None:
        super().__init__(columns, page)
        self.in_force: str | None = None

    def cell_data(self, row: master.StatusChange, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.record_id == self.in_force:
            font = QFont()
            font.setBold(True)
            return font
        return None


@dataclass(frozen=True)
class RateRow:
    """A line of the rates table: a forum block (shaded) or one of its prefectures."""

    label: str
    rates: master.Rates
    is_block: bool


class RatesModel(RowsModel[RateRow]):
    """Rates by prefecture and by forum block."""

    def cell_data(self, row: RateRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.is_block:
            return BLOCK_BACKGROUND
        return None


class MunicipalityMasterPage(Page):
    page_id = "municipalities"
    title = "自治体マスタ"
    entities = ("municipality_status",)

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.pref_combo = QComboBox()
        self.pref_combo.addItem(self.tr("すべての都道府県"), "")
        own_block = [] if ctx.is_secretariat else ctx.registry.prefectures_of_block(ctx.org)
        others = [p for p in ctx.registry.prefectures() if p not in own_block]
        for pref in [*own_block, *others]:
            self.pref_combo.addItem(labels.prefecture(pref.pref_code), pref.pref_code)
        if own_block:
            self.pref_combo.setCurrentIndex(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("市区町村名・よみ・コードで絞り込み"))
        self.search.setClearButtonEnabled(True)
        hint_width = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(hint_width + 36)  # the hint whole, and the clear button
        self.count = QLabel()
        self.pref_combo.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

        # The day the table shows, and (for the secretariat) the day a ticked flag takes effect.
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat(date_edit_format())
        self.day_edit.setMinimumDate(QDate(2000, 1, 1))
        self.day_edit.setToolTip(
            self.tr("チェックを変えると、この日からの変更として記録されます。表と率はこの日の時点の状況です。")
            if ctx.is_secretariat else self.tr("表と率はこの日の時点の状況です。"))
        day_label = QLabel(self.tr("変更日") if ctx.is_secretariat else self.tr("基準日"))
        day_label.setBuddy(self.day_edit)
        self.day_edit.dateChanged.connect(lambda _date: self.refresh())

        self.model = MunicipalityModel(ctx, self._municipality_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_columns(self.table, (72, 76, 130, 56, 76, 120))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.history_model = HistoryModel(self._history_columns(), self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.verticalHeader().setDefaultSectionSize(24)
        history_header = self.history.horizontalHeader()
        for col in range(self.history_model.columnCount() - 1):
            history_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        history_header.setStretchLastSection(True)
        self.history_title = QLabel()
        self.history_title.setStyleSheet("font-weight: bold;")
        self.history_note = QLabel()
        self.history_note.setObjectName("muted")
        self.history_note.setStyleSheet("color: #555;")
        self.history_note.setWordWrap(True)

        self.rates_model = RatesModel(self._rate_columns(), self)
        self.rates = QTableView()
        self.rates.setModel(self.rates_model)
        self.rates.verticalHeader().setVisible(False)
        self.rates.verticalHeader().setDefaultSectionSize(24)
        self._fit_columns(self.rates, (150, 90, 90, 80, 120, 80))
        self.rates_heading = QLabel()

        note = (
            self.tr("行政会員・市区町村長会議の参画は、チェックで変更できます。変更は変更日からの状況として記録され、"
                    "同期パッケージで各フォーラムに届きます。表と率は変更日の時点の状況です。")
            if ctx.is_secretariat
            else self.tr("自治体マスタは事務局が管理しています（閲覧のみ）。表と率は基準日の時点の状況です。"
                         "事務局の同期パッケージを取り込むと最新になります。")
        )
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        day_row = QHBoxLayout()
        day_row.addWidget(day_label)
        day_row.addWidget(self.day_edit)
        day_row.addStretch(1)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("都道府県")))
        filters.addWidget(self.pref_combo)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count)
        history_pane = QWidget()
        boxes.column(self.history_title, (self.history, 1), self.history_note, owner=history_pane, spacing=4)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(history_pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 170])
        municipalities = QWidget()
        boxes.column(filters, (splitter, 1), owner=municipalities, spacing=6).setContentsMargins(6, 6, 6, 6)
        rates_tab = QWidget()
        boxes.column(self.rates_heading, (self.rates, 1), owner=rates_tab, spacing=4).setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget()
        self.tabs.addTab(municipalities, self.tr("市区町村"))
        self.tabs.addTab(rates_tab, self.tr("都道府県・ブロック別の加入率・参画率"))

        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight: bold;")
        self.totals.setWordWrap(True)

        layout = self.page_layout()
        layout.addWidget(hint)
        layout.addLayout(day_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.totals)
        self.model.dataChanged.connect(lambda *_: self._refresh_rates())
        self._apply_filter()
        self.show_history()

    # -- columns ---------------------------------------------------------------------------------

    def _municipality_columns(self) -> list[Column[LocalGovernment]]:
        def flag_column(header: str, which: int) -> Column[LocalGovernment]:
            return Column(header, lambda lg: self.model.flag(lg, which),
                          text=lambda lg: self.model.flag_text(lg, which), align=CENTER)

        return [
            Column(self.tr("コード"), lambda lg: lg.lg_code),
            Column(self.tr("都道府県"), lambda lg: lg.pref_code, text=lambda lg: labels.prefecture(lg.pref_code)),
            Column(self.tr("市区町村"), lambda lg: lg.name),  # master data: stays as the register writes it
            Column(self.tr("種別"), lambda lg: lg.kind, text=lambda lg: labels.lg_kind(lg.kind)),
            flag_column(self.tr("行政会員"), 0),
            flag_column(self.tr("市区町村長会議"), 1),
        ]

    def _history_columns(self) -> list[Column[master.StatusChange]]:
        def mark(on: bool) -> str:
            return "○" if on else "—"

        return [
            Column(self.tr("基準日"), lambda c: c.as_of, text=lambda c: fmt.date_label(c.as_of)),
            Column(self.tr("行政会員"), lambda c: c.admin_member, text=lambda c: mark(c.admin_member), align=CENTER),
            Column(self.tr("市区町村長会議 参画"), lambda c: c.mayors_council, text=lambda c: mark(c.mayors_council),
                   align=CENTER),
            Column(self.tr("記録した人"), lambda c: c.recorded_by, text=lambda c: c.recorded_by or "—"),
            Column(self.tr("記録日時"), lambda c: c.recorded_at,
                   text=lambda c: fmt.datetime_label(c.recorded_at) if c.recorded_at else ""),
        ]

    def _rate_columns(self) -> list[Column[RateRow]]:
        return [
            Column(self.tr("都道府県・ブロック"), lambda r: r.label),
            Column(self.tr("市区町村数"), lambda r: r.rates.municipalities, numeric=True),
            Column(self.tr("行政会員"), lambda r: r.rates.admin_members, numeric=True),
            Column(self.tr("加入率"), lambda r: r.rates.admin_rate, text=lambda r: fmt.percent(r.rates.admin_rate),
                   numeric=True, header_tooltip=self.tr("行政会員 加入率")),
            Column(self.tr("市区町村長会議"), lambda r: r.rates.mayors_council, numeric=True),
            Column(self.tr("参画率"), lambda r: r.rates.mayors_rate, text=lambda r: fmt.percent(r.rates.mayors_rate),
                   numeric=True, header_tooltip=self.tr("市区町村長会議への参画率")),
        ]

    @staticmethod
    def _fit_columns(table: QTableView, widths: tuple[int, ...]) -> None:
        """The designed widths, widened where a header needs more (English headers are longer)."""
        header = table.horizontalHeader()
        for col, width in enumerate(widths):
            table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))

    # -- data ------------------------------------------------------------------------------------

    def change_day(self) -> dt.date:
        """The day shown, and from which a ticked flag takes effect."""
        chosen = self.day_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def set_change_day(self, day: dt.date) -> None:
        self.day_edit.setDate(QDate(day.year, day.month, day.day))

    def refresh(self) -> None:
        self.model.set_status(master.statuses(self.ctx, self.change_day()))
        if not self.model.rows:  # otherwise the flags' dataChanged has refreshed the rates
            self._refresh_rates()
        self.show_history()

    def _apply_filter(self) -> None:
        pref = str(self.pref_combo.currentData() or "")
        query = normalize_for_search(self.search.text())
        rows = []
        for lg in self.ctx.registry.municipalities():
            if pref and lg.pref_code != pref:
                continue
            if query and not (
                query in normalize_for_search(lg.full_name + lg.name_kana) or lg.lg_code.startswith(query)
            ):
                continue
            rows.append(lg)
        self.model.set_rows(rows)
        self.count.setText(fmt.count(len(rows)))
        if rows:  # the first row's history shows at once (and what the panel is for)
            self.table.selectRow(0)
        self.show_history()

    def selected_municipality(self) -> LocalGovernment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.show_history()

    def show_history(self) -> None:
        """The selected municipality's changes under the table (or how to see them)."""
        lg = self.selected_municipality()
        if lg is None:
            self.history_model.in_force = None
            self.history_model.set_rows([])
            self.history_title.setText(self.tr("変更履歴"))
            self.history_note.setText(self.tr("市区町村を選ぶと、行政会員・市区町村長会議の参画の変更履歴が表示されます。"))
            return
        changes = master.history(self.ctx, lg.lg_code)
        day = self.change_day()
        in_force = [c for c in changes if c.as_of is not None and c.as_of <= day]
        self.history_model.in_force = in_force[-1].record_id if in_force else None
        self.history_model.set_rows(changes)
        self.history_title.setText(self.tr("{name}の変更履歴").format(name=lg.full_name))
        if not changes:
            self.history_note.setText(self.tr("変更の記録はありません（行政会員・市区町村長会議とも参加していないものとして数えます）。"))
        elif in_force:
            self.history_note.setText(self.tr("太字は{date}の時点で有効な状況です。各年度の率は年度末（3月31日）の時点の状況で数えます。")
                                      .format(date=fmt.date_label(day)))
        else:
            self.history_note.setText(self.tr("{date}の時点ではまだ記録がありません（参加していないものとして数えます）。")
                                      .format(date=fmt.date_label(day)))

    def _refresh_rates(self) -> None:
        day = self.change_day()
        by_pref = master.rates_by_prefecture(self.ctx, day=day)
        by_block = master.rates_by_block(self.ctx, day=day)
        rows: list[RateRow] = []
        blocks: list[str] = []
        for pref in self.ctx.registry.prefectures():
            block = self.ctx.registry.block_of_prefecture(pref.pref_code)
            if block not in blocks:
                blocks.append(block)
        for block in blocks:
            rows.append(RateRow(self.tr("{forum}ブロック").format(forum=labels.org_short(block)), by_block[block], True))
            for pref in self.ctx.registry.prefectures_of_block(block):
                rows.append(RateRow("　" + labels.prefecture(pref.pref_code), by_pref[pref.pref_code], False))
        self.rates_model.set_rows(rows)
        municipalities = sum(r.municipalities for r in by_block.values())
        admin = sum(r.admin_members for r in by_block.values())
        mayors = sum(r.mayors_council for r in by_block.values())
        total = master.Rates("", municipalities, admin, mayors)
        date = fmt.date_label(day)
        self.rates_heading.setText(self.tr("{date}の時点の状況").format(date=date))
        self.totals.setText(
            self.tr("全国（{date}時点）: 行政会員 {admin} / {all}（{admin_rate}）　市区町村長会議 {mayors} / {all}（{mayors_rate}）").format(
                date=date, admin=fmt.number(admin), mayors=fmt.number(mayors), all=fmt.number(municipalities),
                admin_rate=fmt.percent(total.admin_rate), mayors_rate=fmt.percent(total.mayors_rate),
            )
        )

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

