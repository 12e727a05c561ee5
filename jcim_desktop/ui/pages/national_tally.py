"""全国集計 (secretariat): the official KPI result table of a fiscal year and the per-org breakdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.kpi_table import KpiRow, OrgColumn, OrgRow, by_org_table, official_table
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.page import Page

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

SECTION_BACKGROUND = QColor("#dfe7f1")
SUBTOTAL_BACKGROUND = QColor("#eef2f7")
TOTAL_BACKGROUND = QColor("#d3deeb")
ACHIEVED = QColor("#1b7f3b")
BEHIND = QColor("#b26a00")
MUTED = QColor("#9aa0a6")
INDENT = "　　"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)

# Two-line headers for the breakdown, so ten KPI columns fit beside the org names at 1280 px.
_BY_ORG_HEADERS: dict[str, str] = {
    "supported_municipalities": "支援\n自治体数",
    "supported_countries": "支援国\n（地域）数",
    "forums_held": "フォーラム\n実施数",
    "matching_considered": "マッチング\n検討数",
    "matching_established": "マッチング\n成立数",
    "field_trials": "現場\n試行数",
    "implemented": "社会\n実装数",
    "matching_total": "マッチング等\n合計",
    "workshops": "出前授業等\n開催数",
    "mayors_council_activities": "市区町村長\n会議 活動数",
}


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class OfficialTableModel(QAbstractTableModel):
    """The rows of ``kpi_table.official_table``: section headings shaded, sub-rows indented."""

    HEADERS = ("項目", "KPI", "数", "目標", "達成率", "KPI内容説明")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[KpiRow] = []

    def load(self, rows: Sequence[KpiRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
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
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.HEADERS)):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if row.is_heading:
                return row.label if col == 0 else ""
            if col == 0:
                return INDENT * (row.indent - 1) + ("└ " if row.indent > 1 else "") + row.label
            if col == 1:
                # The rows measured against a national target this year.
                return "●" if row.target is not None else ""
            if col == 2:
                return row.value_text
            if col == 3:
                return row.target_text or ("—" if row.section == "total" and row.indent == 1 else "")
            if col == 4:
                return row.achievement_text or ("—" if row.section == "total" and row.indent == 1 else "")
            return row.description
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1 and row.target is not None:
                return "この年度の KPI（目標が設定されています）"
            if col == 5 and row.description:
                return row.description
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (2, 3, 4):
                return RIGHT
            if col == 1:
                return CENTER
            return None
        if role == Qt.ItemDataRole.BackgroundRole and row.is_heading:
            return SECTION_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and (row.is_heading or (row.indent == 1 and col in (0, 2))):
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and row.achievement is not None:
                return ACHIEVED if row.achievement >= 1 else BEHIND
            if col == 5 or (row.indent > 1 and col == 0):
                return QColor("#4a5561")
        return None

    def row_at(self, row: int) -> KpiRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


class ByOrgModel(QAbstractTableModel):
    """Count KPIs per organisation, grouped, with subtotals and 総合計."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns: list[OrgColumn] = []
        self.rows: list[OrgRow] = []

    def load(self, columns: Sequence[OrgColumn], rows: Sequence[OrgRow]) -> None:
        self.beginResetModel()
        self.columns, self.rows = list(columns), list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or not self.columns else len(self.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section <= len(self.columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "組織"
            column = self.columns[section - 1]
            return _BY_ORG_HEADERS.get(column.kpi, column.short_label)
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            return self.columns[section - 1].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() <= len(self.columns)):
            return None
        row = self.rows[index.row()]
        col = index.column()
        value = row.values.get(self.columns[col - 1].kpi, 0) if col > 0 else 0
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                if row.kind != "org":
                    return row.label
                # インフラメンテナンス市区町村長会議 does not fit beside ten KPI columns: its short name does.
                name = row.label if len(row.label) <= 12 or row.org not in ORGS else ORGS[row.org].short_name
                return "　" + name
            return "" if row.is_heading else f"{value:,}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 0 and row.kind == "org":
            return row.label
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return {"heading": SECTION_BACKGROUND, "subtotal": SUBTOTAL_BACKGROUND, "total": TOTAL_BACKGROUND}.get(row.kind)
        if role == Qt.ItemDataRole.FontRole and row.kind != "org":
            return _bold()
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "org" and col > 0 and value == 0:
            return MUTED
        return None


class NationalTallyPage(Page):
    page_id = "national_tally"
    title = "全国集計"
    entities = ()

    loaded = Signal()
    """The chosen year's tally is shown."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self._generation = 0
        self._operations: list[ops.Operation] = []
        self.result: dict[str, Any] | None = None
        self.fy_combo = QComboBox()
        for fy in fiscal_year_choices(back=6, ahead=1):
            self.fy_combo.addItem(fy_label(fy), fy)
        self.fy_combo.setCurrentIndex(self.fy_combo.findData(current_fiscal_year()))
        self.fy_combo.currentIndexChanged.connect(self.refresh)

        title = QLabel("全国集計")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #5f6b7a;")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.subtitle, 1)
        head.addWidget(QLabel("年度"))
        head.addWidget(self.fy_combo)

        self.official_model = OfficialTableModel(self)
        self.official_view = QTableView()
        self.official_view.setModel(self.official_model)
        self._setup(self.official_view)
        for col, width in enumerate((300, 44, 180, 80, 76)):
            self.official_view.setColumnWidth(col, width)

        self.by_org_model = ByOrgModel(self)
        self.by_org_view = QTableView()
        self.by_org_view.setModel(self.by_org_model)
        self._setup(self.by_org_view)
        self.by_org_view.horizontalHeader().setStretchLastSection(False)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.official_view, "KPI集計表（総合計・小計）")
        self.tabs.addTab(self.by_org_view, "組織別の内訳")

        note = QLabel(
            "この端末が持つすべての記録（各組織から受け取った最新のパッケージまで）で集計しています。"
            "支援自治体数は組織ごとの数の合計（延べ）が公式の数値で、実数は同じ自治体を1回と数えた参考値です。"
            "● はこの年度に目標のある KPI、達成率は総合計の数 ÷ 目標です。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)

    @staticmethod
    def _setup(view: QTableView) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(25)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setWordWrap(False)

    def fiscal_year(self) -> int:
        return int(self.fy_combo.currentData())

    def refresh(self) -> None:
        """Tally the chosen year off the GUI thread; a newer request supersedes an older one."""
        self._generation += 1
        generation = self._generation
        ctx, fy = self.ctx, self.fiscal_year()
        self.subtitle.setText(f"{fy_label(fy)}を集計しています…")
        operation = ops.Operation(self, lambda _progress: tally(ctx, fy), label="全国の KPI を集計しています…",
                                  show_progress=False).success(lambda result: self._loaded(generation, result))
        # Hold the wrapper until Qt has deleted the operation: PySide crashes deleting a QObject whose
        # Python wrapper (with slots connected to its own methods) was already freed (see ops.py).
        self._operations = [*self._operations[-7:], operation]
        operation.run()

    def _loaded(self, generation: int, result: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        self.apply(result)
        self.loaded.emit()

    def apply(self, result: dict[str, Any]) -> None:
        self.result = result
        self.subtitle.setText(f"事務局｜{fy_label(int(result['fiscal_year']))}の KPI 実績")
        rows = official_table(result)
        self.official_model.load(rows)
        self.official_view.clearSpans()
        for number, row in enumerate(rows):
            if row.is_heading:
                self.official_view.setSpan(number, 0, 1, self.official_model.columnCount())
        columns, org_rows = by_org_table(result)
        self.by_org_model.load(columns, org_rows)
        self.by_org_view.clearSpans()
        for number, org_row in enumerate(org_rows):
            if org_row.is_heading:
                self.by_org_view.setSpan(number, 0, 1, self.by_org_model.columnCount())
        self.by_org_view.setColumnWidth(0, 200)
        for col in range(1, self.by_org_model.columnCount()):
            self.by_org_view.setColumnWidth(col, 82)
        self.by_org_view.horizontalHeader().setFixedHeight(44)
