"""自治体マスタ: 行政会員 and 市区町村長会議 flags (the secretariat edits them) and rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QWidget,
)

from jcim_desktop.domain.lgcodes import LocalGovernment
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.services import master
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.rows_model import CENTER, MUTED, Column, Index, RowsModel
from jcim_desktop.ui.widgets import boxes

FLAG_FIELDS = ("admin_member", "mayors_council")
"""The two flags, in the order of their columns and of ``master.statuses`` pairs."""
BLOCK_BACKGROUND = QColor("#e8eef6")


class MunicipalityModel(RowsModel[LocalGovernment]):
    """The municipalities shown, with their flags; checkable for the secretariat.

    A tick is a write: it runs through ``ops.perform`` (the change is announced, so the
    dashboard's and the rates' figures follow), with ``page`` showing a refused change.
    """

    FIRST_FLAG_COLUMN = 4

    def __init__(self, ctx: AppContext, columns: list[Column[LocalGovernment]], page: QWidget) -> None:
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
        ctx, code = self.ctx, lg.lg_code
        if which == 0:
            saved = ops.perform(self.page, lambda: master.set_status(ctx, code, admin_member=checked))
        else:
            saved = ops.perform(self.page, lambda: master.set_status(ctx, code, mayors_council=checked))
        if saved is None:
            return False
        before = self.status.get(code, (False, False))
        after = (checked, before[1]) if which == 0 else (before[0], checked)
        if after != before:  # not yet shown (a visible page has reloaded on the change notice)
            self.status[code] = after
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DisplayRole])
        return True


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

        self.model = MunicipalityModel(ctx, self._municipality_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_columns(self.table, (72, 76, 130, 56, 76, 104))

        self.rates_model = RatesModel(self._rate_columns(), self)
        self.rates = QTableView()
        self.rates.setModel(self.rates_model)
        self.rates.verticalHeader().setVisible(False)
        self.rates.verticalHeader().setDefaultSectionSize(24)
        self._fit_columns(self.rates, (124, 76, 70, 62, 108, 62))

        note = (
            self.tr("行政会員・市区町村長会議の参画は、チェックで変更できます（変更は同期パッケージで各フォーラムに届きます）。")
            if ctx.is_secretariat
            else self.tr("自治体マスタは事務局が管理しています（閲覧のみ）。事務局の同期パッケージを取り込むと最新になります。")
        )
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("都道府県")))
        filters.addWidget(self.pref_combo)
        filters.addWidget(self.search, 1)
        left = QWidget()
        # The count goes below the table: the search box keeps the width of its hint.
        boxes.column(filters, (self.table, 1), self.count, owner=left)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight: bold;")
        self.totals.setWordWrap(True)
        right = QWidget()
        boxes.column(QLabel(self.tr("都道府県・ブロック別の加入率・参画率")), (self.rates, 1), self.totals, owner=right)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([540, 530])

        layout = self.page_layout()
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        self.model.dataChanged.connect(lambda *_: self._refresh_rates())
        self._apply_filter()

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

    def refresh(self) -> None:
        self.model.set_status(master.statuses(self.ctx))
        if not self.model.rows:  # otherwise the flags' dataChanged has refreshed the rates
            self._refresh_rates()

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

    def _refresh_rates(self) -> None:
        by_pref = master.rates_by_prefecture(self.ctx)
        by_block = master.rates_by_block(self.ctx)
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
        self.totals.setText(
            self.tr("全国: 行政会員 {admin} / {all}（{admin_rate}）\n市区町村長会議 {mayors} / {all}（{mayors_rate}）").format(
                admin=fmt.number(admin), mayors=fmt.number(mayors), all=fmt.number(municipalities),
                admin_rate=fmt.percent(total.admin_rate), mayors_rate=fmt.percent(total.mayors_rate),
            )
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

