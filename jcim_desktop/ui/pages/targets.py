"""KPI目標 (secretariat): the target of each KPI for a fiscal year, with this year's result beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from jcim_desktop.domain.kpi import KPIS, KpiDef, achievement
from jcim_desktop.errors import UserError
from jcim_desktop.services import targets as target_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.page import Page

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _format(kpi: KpiDef, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if kpi.is_rate else f"{value:,.0f}"


class TargetsModel(QAbstractTableModel):
    HEADERS = ("KPI", "目標", "実績（総合計）", "達成率")

    def __init__(self, page: "TargetsPage") -> None:
        super().__init__(page)
        self.page = page
        self.targets: dict[str, float] = {}
        self.results: dict[str, float] = {}
        self.last_error: str | None = None

    def load(self, targets: dict[str, float], results: dict[str, float]) -> None:
        self.beginResetModel()
        self.targets, self.results = targets, results
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(KPIS)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(KPIS)):
            return None
        kpi = KPIS[index.row()]
        target = self.targets.get(kpi.code)
        result = self.results.get(kpi.code)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return kpi.label
            if col == 1:
                return _format(kpi, target)
            if col == 2:
                return _format(kpi, result)
            ratio = achievement(result or 0, target)
            return "—" if ratio is None else f"{ratio:.0%}"
        if role == Qt.ItemDataRole.EditRole and col == 1:
            if target is None:
                return ""
            return f"{target * 100:g}" if kpi.is_rate else f"{target:g}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return kpi.description + ("（目標は % で入力します。70 と入力すると 70%）" if kpi.is_rate and col == 1 else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            ratio = achievement(result or 0, target)
            if ratio is not None:
                return QColor("#1b7f3b") if ratio >= 1 else QColor("#b26a00")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 1:
            return False
        kpi = KPIS[index.row()]
        text = str(value).strip().replace("%", "").replace("％", "").replace(",", "")
        try:
            number = float(text)
        except ValueError:
            self.last_error = f"{kpi.label}の目標は数値で入力してください。"
            self.page.show_error(self.last_error)
            return False
        if kpi.is_rate:
            number = number / 100
        try:
            target_service.set_target(self.page.ctx, self.page.fiscal_year(), kpi.code, number)
        except UserError as exc:
            self.last_error = exc.message
            self.page.show_error(exc.message)
            return False
        self.targets[kpi.code] = number
        self.page.show_error("")
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 3))
        self.page.bus.records_changed.emit("kpi_targets")
        return True


class TargetsPage(Page):
    page_id = "targets"
    title = "KPI目標"
    entities = ("kpi_targets",)

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.fy_combo = QComboBox()
        for fy in fiscal_year_choices(ahead=2):
            self.fy_combo.addItem(fy_label(fy), fy)
        self.fy_combo.setCurrentIndex(self.fy_combo.findData(current_fiscal_year()))
        self.fy_combo.currentIndexChanged.connect(self.refresh)
        self.model = TargetsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        for col, width in enumerate((320, 120, 140, 90)):
            self.table.setColumnWidth(col, width)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        hint = QLabel("目標の欄をダブルクリックして入力します。割合の KPI は % で入力してください（70 → 70%）。")
        hint.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.fy_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("KPI目標")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(hint)

    def fiscal_year(self) -> int:
        return int(self.fy_combo.currentData())

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def refresh(self) -> None:
        fy = self.fiscal_year()
        result = tally(self.ctx, fy)
        values = {code: float(entry["total"]) for code, entry in result["kpis"].items()}
        self.model.load(target_service.targets_for(self.ctx, fy), values)
