"""KPI目標 (secretariat): the target of each KPI for a fiscal year, with this year's result beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QWidget

from jcim_desktop.domain.kpi import KPIS, KpiDef, achievement
from jcim_desktop.errors import UserError
from jcim_desktop.services import targets as target_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import FiscalYearPage
from jcim_desktop.ui.rows_model import Column, Index, RowsModel, achievement_colour


def _format(kpi: KpiDef, value: float | None) -> str:
    if value is None:
        return "—"
    return fmt.percent(value) if kpi.is_rate else fmt.number(int(round(value)))


class TargetsModel(RowsModel[KpiDef]):
    """One row per KPI: its target (editable), this year's grand total and the achievement."""

    def __init__(self, page: TargetsPage) -> None:
        super().__init__((), page)
        self.columns = self._columns()
        self.page = page
        self.targets: dict[str, float] = {}
        self.results: dict[str, float] = {}
        self.set_rows(KPIS)

    def _columns(self) -> list[Column[KpiDef]]:
        def target_tip(kpi: KpiDef) -> str:
            if not kpi.is_rate:
                return labels.kpi_description(kpi.code)
            return self.tr("{description}（目標は % で入力します。70 と入力すると 70%）").format(
                description=labels.kpi_description(kpi.code))

        return [
            Column(self.tr("KPI"), lambda k: k.code, text=lambda k: labels.kpi_label(k.code),
                   tooltip=lambda k: labels.kpi_description(k.code)),
            Column(self.tr("目標"), self.target, text=lambda k: _format(k, self.target(k)), numeric=True,
                   tooltip=target_tip),
            Column(self.tr("実績（総合計）"), self.result, text=lambda k: _format(k, self.result(k)), numeric=True,
                   tooltip=lambda k: labels.kpi_description(k.code)),
            Column(self.tr("達成率"), self.achievement, numeric=True,
                   text=lambda k: "—" if (r := self.achievement(k)) is None else fmt.percent(r),
                   tooltip=lambda k: labels.kpi_description(k.code)),
        ]

    def target(self, kpi: KpiDef) -> float | None:
        return self.targets.get(kpi.code)

    def result(self, kpi: KpiDef) -> float | None:
        return self.results.get(kpi.code)

    def achievement(self, kpi: KpiDef) -> float | None:
        return achievement(self.result(kpi) or 0, self.target(kpi))

    def load(self, targets: dict[str, float], results: dict[str, float]) -> None:
        """Show a year's targets and results. The rows (the KPIs) stay and only the cells that
        changed are told: a target being typed while the figures reload (after the previous target
        was saved) keeps its editor and what was typed (a reset would close the editor, drop the
        typing and leave Qt warning that the editor's data came from an editor not in the view)."""
        before = self.targets
        self.targets, self.results = targets, results
        if not self.rows or not self.columns:
            return
        last = len(self.rows) - 1
        for row, kpi in enumerate(self.rows):
            if before.get(kpi.code) != targets.get(kpi.code):
                self.dataChanged.emit(self.index(row, 1), self.index(row, 1))
        self.dataChanged.emit(self.index(0, 2), self.index(last, len(self.columns) - 1))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell_data(self, row: KpiDef, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return achievement_colour(self.achievement(row))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() == 1:
            kpi = self.row_at(index.row())
            target = self.target(kpi) if kpi is not None else None
            if kpi is None or target is None:
                return ""
            return f"{target * 100:g}" if kpi.is_rate else f"{target:g}"  # as a person types it
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        kpi = self.row_at(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or index.column() != 1 or kpi is None:
            return False
        text = str(value).strip().replace("%", "").replace("％", "").replace(",", "")
        try:
            number = float(text)
        except ValueError:
            self.page.show_error(
                self.tr("{kpi}の目標は数値で入力してください。").format(kpi=labels.kpi_label(kpi.code))
            )
            return False
        if kpi.is_rate:
            if not 0 <= number <= 100:
                self.page.show_error(self.tr("{kpi}の目標は 0～100（%）で入力してください。").format(
                    kpi=labels.kpi_label(kpi.code)))
                return False
            number = number / 100
        ctx, fy = self.page.ctx, self.page.fiscal_year()
        saved = ops.perform(self.page, lambda: target_service.set_target(ctx, fy, kpi.code, number),
                            failure=self._refused)
        if saved is None:
            return False
        self.targets[kpi.code] = number
        self.page.show_error("")
        self.refresh_row(index.row())
        return True

    def _refused(self, error: UserError) -> None:
        self.page.show_error(error.message)


class TargetsPage(FiscalYearPage):
    page_id = "targets"
    title = "KPI目標"
    entities = ("kpi_targets",)
    shows_kpis = True

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent, years=fmt.fiscal_year_choices(ahead=2), current=fmt.current_fiscal_year())
        self.model = TargetsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for col, width in enumerate((320, 120, 140, 90)):
            self.table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        self.error = QLabel()
        self.error.setStyleSheet(palette.colour(palette.ERROR))
        self.error.setWordWrap(True)
        hint = QLabel(self.tr("目標の欄をダブルクリックして入力します。割合の KPI は % で入力してください（70 → 70%）。"))
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.fy_combo)
        top.addStretch(1)
        layout = self.page_layout()
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(hint)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def refresh(self) -> None:
        """Read the year's targets and tally off the GUI thread."""
        ctx = self.ctx

        def read(fy: int) -> tuple[dict[str, float], dict[str, float]]:
            result = tally(ctx, fy)
            values = {code: float(entry["total"]) for code, entry in result["kpis"].items()}
            return target_service.targets_for(ctx, fy), values

        self.read_year(read, lambda found: self.model.load(*found))
