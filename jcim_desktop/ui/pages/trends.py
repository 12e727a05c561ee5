"""年度推移: one KPI over every fiscal year — actual, target, achievement, official or live — as a
chart and a table. Official figures are a closed year's or published ones (which the secretariat
types in here); the other years show the live figures from the records (``services.history``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES
from jcim_desktop.services import history
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.history import YearFigure
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.published_dialog import PublishedFiguresDialog
from jcim_desktop.ui.rows_model import Column, RowsModel, achievement_colour
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.year_chart import YearChart

translate = QCoreApplication.translate
DEFAULT_KPI = "matching_total"
MUTED = QColor(palette.MUTED)
TABLE_ROWS = 7
"""Rows the table shows before it scrolls (the chart below it has every year anyway)."""


def state_label(figure: YearFigure) -> str:
    """確定 / 確定（公表値） / 集計中, in the window's language."""
    if not figure.closed:
        return translate("TrendsPage", "集計中")
    if figure.source == "published":
        return translate("TrendsPage", "確定（公表値）")
    return translate("TrendsPage", "確定")


class YearsModel(RowsModel[YearFigure]):
    """年度, 実績, 目標, 達成率, 確定／集計中 for one KPI, oldest year first."""

    def __init__(self, parent: QWidget | None = None, *, national: bool = True) -> None:
        super().__init__((), parent)
        self.rate = False
        self.national = national
        """The secretariat's (live figures are national); a forum's live figures are only its part."""
        self.columns = [
            Column(self.tr("年度"), lambda f: f.fiscal_year, text=lambda f: fmt.fy_short(f.fiscal_year)),
            Column(self.tr("実績"), lambda f: f.total, text=lambda f: self.figure(f.total), numeric=True),
            Column(self.tr("目標"), lambda f: f.target, text=lambda f: self.figure(f.target), numeric=True),
            Column(self.tr("達成率"), self.achievement, numeric=True,
                   text=lambda f: "—" if (a := self.achievement(f)) is None else fmt.percent(a)),
            Column(self.tr("確定／集計中"), lambda f: f.closed, text=state_label, tooltip=self._state_tip),
        ]

    def achievement(self, figure: YearFigure) -> float | None:
        """達成率, where the figure is a national one (official, or anything at the secretariat)."""
        return figure.achievement if self.national or figure.closed else None

    def figure(self, value: float | None) -> str:
        if value is None:
            return "—"
        return fmt.percent(value) if self.rate else fmt.number(value)

    def _state_tip(self, figure: YearFigure) -> str:
        if not figure.closed:
            return self.tr("記録から集計した現在の数値です。記録が増えれば変わります。")
        if figure.source == "published":
            return self.tr("事業報告などから入力した公表値（公式の数値）です。")
        return self.tr("年度確定で固定した公式の数値です。あとから記録が変わっても変わりません。")

    def show(self, figures: list[YearFigure], *, rate: bool) -> None:
        self.rate = rate
        self.set_rows(figures)

    def cell_data(self, row: YearFigure, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 3:
                return achievement_colour(self.achievement(row))
            if column == 4 and not row.closed:
                return MUTED
        if role == Qt.ItemDataRole.FontRole and row.closed and column in (1, 4):
            font = QFont()
            font.setBold(True)
            return font
        return None


class TrendsPage(Page):
    """Each KPI by fiscal year; the secretariat also types in past years' published figures."""

    page_id = "trends"
    title = "年度推移"
    entities = ("closed_tallies", "kpi_targets")
    shows_kpis = True

    loaded = Signal()
    """The figures are read and shown."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.figures: dict[int, dict[str, YearFigure]] = {}
        self._generation = 0

        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(palette.colour(palette.MUTED))
        self.kpi_combo = QComboBox()
        self.kpi_combo.setObjectName("trendsKpi")
        for code in KPI_CODES:
            self.kpi_combo.addItem(labels.kpi_label(code), code)
        self.kpi_combo.setCurrentIndex(self.kpi_combo.findData(DEFAULT_KPI))
        self.kpi_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kpi_combo.currentIndexChanged.connect(lambda _index: self.show_kpi())

        head = QHBoxLayout()
        head.addWidget(self.title_label())
        head.addSpacing(12)
        head.addWidget(self.subtitle, 1)
        head.addWidget(QLabel(self.tr("KPI")))
        head.addWidget(self.kpi_combo)
        self.published_button: QPushButton | None = None
        if ctx.is_secretariat:
            self.published_button = push_button(
                self.tr("公表値を入力…"), self.enter_published,
                self.tr("事業報告などで公表した過去の年度の数値を、その年度の公式の数値として入力します"))
            head.addSpacing(8)
            head.addWidget(self.published_button)

        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet(palette.colour(palette.MUTED))
        self.chart = YearChart()
        self.model = YearsModel(self, national=ctx.is_secretariat)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(96)

        if ctx.is_secretariat:
            note = self.tr(
                "濃い棒は公式の数値（年度確定で固定した数値、または入力した公表値）、薄い棒は記録から集計した"
                "現在の数値（集計中）です。達成率は実績 ÷ 目標です。")
        else:
            note = self.tr(
                "濃い棒は事務局が確定した、または公表した全国の公式の数値（全国配布パッケージで届きます）、"
                "薄い棒はこの端末が持つ記録から集計した数値（集計中）です。達成率（実績 ÷ 目標）は全国の公式の数値にだけ"
                "示します。")
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(palette.colour(palette.MUTED))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self.description)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.note)

    # -- data ---------------------------------------------------------------------------------

    def kpi(self) -> str:
        return str(self.kpi_combo.currentData())

    def refresh(self) -> None:
        """Read every year's figures off the GUI thread (a newer request supersedes an older one)."""
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        self.subtitle.setText(self.tr("集計しています…"))

        def done(figures: dict[int, dict[str, YearFigure]]) -> None:
            if generation == self._generation:
                self.apply(figures)
                self.loaded.emit()

        ops.QueryOp(self, lambda _progress: history.year_figures(ctx), success=done).run_in_background()

    def apply(self, figures: dict[int, dict[str, YearFigure]]) -> None:
        """Show ``figures`` (fiscal year → KPI code → figure)."""
        self.figures = figures
        count = len(figures)
        if count > 1:
            self.subtitle.setText(self.tr("{first}～{last}（%n年度）", "", count).format(
                first=fmt.fy_short(min(figures)), last=fmt.fy_short(max(figures))))
        else:
            self.subtitle.setText(fmt.fy_short(min(figures)) if figures else "")
        self.show_kpi()

    def show_kpi(self) -> None:
        """Draw the chosen KPI's years in the chart and the table."""
        code = self.kpi()
        rate = KPI_BY_CODE[code].is_rate
        rows = [year[code] for _fy, year in sorted(self.figures.items()) if code in year]
        self.description.setText(labels.kpi_description(code))
        self.chart.set_figures(rows, rate=rate, national=self.model.national)
        self.model.show(rows, rate=rate)
        header = self.table.horizontalHeader()
        for column, width in enumerate((110, 110, 110, 90)):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, max(width, self.table.columnWidth(column), header.sectionSizeHint(column)))
        # As tall as its rows (up to TABLE_ROWS of them, then it scrolls): the chart takes the rest.
        shown = min(max(len(rows), 1), TABLE_ROWS)
        frame = 2 * self.table.frameWidth() + 2
        rows_height = shown * self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(max(header.height(), header.sizeHint().height()) + rows_height + frame)

    # -- published figures ----------------------------------------------------------------------

    def enter_published(self) -> PublishedFiguresDialog:
        """Open the dialog for a past year's published figures (secretariat)."""
        dialog = PublishedFiguresDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
