"""自治体マスタ: 行政会員 and 市区町村長会議 flags (the secretariat edits them) and rates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
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
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.lgcodes import LocalGovernment
from jcim_desktop.domain.orgs import get_org
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.errors import UserError
from jcim_desktop.services import master
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class MunicipalityModel(QAbstractTableModel):
    """The municipalities shown, with their flags; checkable for the secretariat."""

    HEADERS = ("コード", "都道府県", "市区町村", "種別", "行政会員", "市区町村長会議")
    FLAG_COLUMNS = {4: "admin_member", 5: "mayors_council"}

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[LocalGovernment] = []
        self.status: dict[str, tuple[bool, bool]] = {}
        self.editable = ctx.is_secretariat
        self.last_error: str | None = None

    def load(self, rows: list[LocalGovernment], status: dict[str, tuple[bool, bool]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.status = status
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() in self.FLAG_COLUMNS:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        lg = self.rows[index.row()]
        col = index.column()
        flags = self.status.get(lg.lg_code, (False, False))
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return lg.lg_code
            if col == 1:
                return lg.prefecture
            if col == 2:
                return lg.name
            if col == 3:
                return lg.kind_label
            if col in self.FLAG_COLUMNS:
                # Editable cells show their checkbox alone; read-only ones a mark.
                return None if self.editable else ("○" if flags[col - 4] else "—")
        if role == Qt.ItemDataRole.CheckStateRole and col in self.FLAG_COLUMNS and self.editable:
            return Qt.CheckState.Checked if flags[col - 4] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.FLAG_COLUMNS:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col in self.FLAG_COLUMNS and not flags[col - 4]:
            return QColor("#9aa0a6")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not self.editable or index.column() not in self.FLAG_COLUMNS:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        lg = self.rows[index.row()]
        field = self.FLAG_COLUMNS[index.column()]
        try:
            master.set_status(self.ctx, lg.lg_code, **{field: checked})
        except UserError as exc:
            self.last_error = exc.message
            return False
        admin, mayors = self.status.get(lg.lg_code, (False, False))
        self.status[lg.lg_code] = (checked, mayors) if field == "admin_member" else (admin, checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DisplayRole])
        return True


class RatesModel(QAbstractTableModel):
    """Rates by prefecture and by forum block."""

    HEADERS = ("都道府県・ブロック", "市区町村数", "行政会員", "加入率", "市区町村長会議", "参画率")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, master.Rates, bool]] = []

    def load(self, rows: list[tuple[str, master.Rates, bool]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        name, rates, is_block = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                name,
                f"{rates.municipalities:,}",
                f"{rates.admin_members:,}",
                f"{rates.admin_rate:.1%}",
                f"{rates.mayors_council:,}",
                f"{rates.mayors_rate:.1%}",
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and is_block:
            return QColor("#e8eef6")
        return None


class MunicipalityMasterPage(Page):
    page_id = "municipalities"
    title = "自治体マスタ"
    entities = ("municipality_status",)

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.pref_combo = QComboBox()
        self.pref_combo.addItem("すべての都道府県", "")
        own_block = [] if ctx.is_secretariat else ctx.registry.prefectures_of_block(ctx.org)
        others = [p for p in ctx.registry.prefectures() if p not in own_block]
        for pref in [*own_block, *others]:
            self.pref_combo.addItem(pref.name, pref.pref_code)
        if own_block:
            self.pref_combo.setCurrentIndex(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("市区町村名・よみ・コードで絞り込み")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.pref_combo.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

        self.model = MunicipalityModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        for col, width in enumerate((72, 76, 130, 56, 76, 104)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.rates_model = RatesModel(self)
        self.rates = QTableView()
        self.rates.setModel(self.rates_model)
        self.rates.verticalHeader().setVisible(False)
        self.rates.verticalHeader().setDefaultSectionSize(24)
        for col, width in enumerate((124, 76, 70, 62, 108, 62)):
            self.rates.setColumnWidth(col, width)

        note = (
            "行政会員・市区町村長会議の参画は、チェックで変更できます（変更は同期パッケージで各フォーラムに届きます）。"
            if ctx.is_secretariat
            else "自治体マスタは事務局が管理しています（閲覧のみ）。事務局の同期パッケージを取り込むと最新になります。"
        )
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("都道府県"))
        filters.addWidget(self.pref_combo)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(filters)
        lv.addWidget(self.table, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight: bold;")
        rv.addWidget(QLabel("都道府県・ブロック別の加入率・参画率"))
        rv.addWidget(self.rates, 1)
        rv.addWidget(self.totals)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([540, 530])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("自治体マスタ")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        self.model.dataChanged.connect(lambda *_: self._refresh_rates())

    def refresh(self) -> None:
        self._status = master.statuses(self.ctx)
        self._apply_filter()
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
        self.model.load(rows, getattr(self, "_status", {}))
        self.count.setText(f"{len(rows):,} 件")

    def _refresh_rates(self) -> None:
        by_pref = master.rates_by_prefecture(self.ctx)
        by_block = master.rates_by_block(self.ctx)
        rows: list[tuple[str, master.Rates, bool]] = []
        blocks: list[str] = []
        for pref in self.ctx.registry.prefectures():
            block = self.ctx.registry.block_of_prefecture(pref.pref_code)
            if block not in blocks:
                blocks.append(block)
        for block in blocks:
            rows.append((f"{get_org(block).short_name}ブロック", by_block[block], True))
            for pref in self.ctx.registry.prefectures_of_block(block):
                rows.append((f"　{pref.name}", by_pref[pref.pref_code], False))
        self.rates_model.load(rows)
        total = master.Rates(
            "全国",
            sum(r.municipalities for r in by_block.values()),
            sum(r.admin_members for r in by_block.values()),
            sum(r.mayors_council for r in by_block.values()),
        )
        self.totals.setText(
            f"全国: 行政会員 {total.admin_members:,} / {total.municipalities:,}（{total.admin_rate:.1%}）　"
            f"市区町村長会議 {total.mayors_council:,} / {total.municipalities:,}（{total.mayors_rate:.1%}）"
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
