"""年度確定: the confirmation that fixes a fiscal year's figures, showing every KPI to be fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES, achievement
from jcim_desktop.errors import UserError
from jcim_desktop.services import closing
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.rows_model import Column, RowsModel, achievement_colour


class FigureRow:
    """One KPI of the year as it will be fixed."""

    def __init__(self, code: str, entry: Mapping[str, Any]) -> None:
        self.code = code
        self.is_rate = KPI_BY_CODE[code].is_rate
        total = entry.get("total")
        self.value = float(total) if isinstance(total, (int, float)) else 0.0
        target = entry.get("target")
        self.target = float(target) if isinstance(target, (int, float)) else None
        self.achievement = achievement(self.value, self.target)

    def figure(self, value: float | None) -> str:
        if value is None:
            return "—"
        return fmt.percent(value) if self.is_rate else fmt.number(int(round(value)))


class _FiguresModel(RowsModel[FigureRow]):
    def cell_data(self, row: FigureRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return achievement_colour(row.achievement)
        return None


class CloseYearDialog(QDialog):
    """Asks before fixing ``fiscal_year``'s figures: the figures (every KPI's total, target and
    達成率, from ``figures``, the year's live tally), an optional note, 「確定する」/「キャンセル」.
    Confirming runs ``closing.close_year`` through ``ops``; ``closed`` then tells of it."""

    closed = Signal()

    def __init__(self, ctx: AppContext, fiscal_year: int, figures: Mapping[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fiscal_year = fiscal_year
        self.saved: Any = None
        year = fmt.fy_short(fiscal_year)
        self.setWindowTitle(self.tr("{fiscal_year}の確定").format(fiscal_year=year))
        intro = QLabel(self.tr(
            "{fiscal_year}の KPI を次の数値で確定します。確定した数値がこの年度の公式の数値になり、"
            "あとで記録が追加・変更されても変わりません。全国配布パッケージで各フォーラムにも届きます。"
        ).format(fiscal_year=year))
        intro.setWordWrap(True)
        self.caution_label = QLabel()
        self.caution_label.setWordWrap(True)
        self.caution_label.setStyleSheet(palette.colour(palette.CAUTION))
        end = fiscal_year_bounds(fiscal_year)[1]
        if dt.date.today() <= end:
            # A year may be closed before its end, but then later records of it will not count.
            self.caution_label.setText(self.tr(
                "{fiscal_year}はまだ終わっていません（{end}まで）。確定すると、これから記録する活動はこの年度の公式の数値に入りません。"
            ).format(fiscal_year=year, end=fmt.date_label(end)))
        self.caution_label.setVisible(bool(self.caution_label.text()))

        kpis: Mapping[str, Mapping[str, Any]] = figures.get("kpis", {})
        self.model = _FiguresModel([
            Column(self.tr("項目"), lambda r: r.code, text=lambda r: labels.kpi_label(r.code)),
            Column(self.tr("数"), lambda r: r.value, text=lambda r: r.figure(r.value), numeric=True),
            Column(self.tr("目標"), lambda r: r.target, text=lambda r: r.figure(r.target), numeric=True),
            Column(self.tr("達成率"), lambda r: r.achievement,
                   text=lambda r: "—" if r.achievement is None else fmt.percent(r.achievement), numeric=True),
        ], parent=self)
        self.model.set_rows([FigureRow(code, kpis.get(code, {})) for code in KPI_CODES])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        # A row as tall as the font needs (22 px, or more where the Japanese font is taller).
        row_height = max(22, self.table.verticalHeader().minimumSectionSize(), self.fontMetrics().height() + 6)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(72)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Every KPI in view at once, no empty space below them.
        rows = sum(self.table.rowHeight(i) for i in range(self.model.rowCount()))
        self.table.setFixedHeight(header.sizeHint().height() + rows + 2 * self.table.frameWidth())
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("例: 令和6年度 事業報告の数値"))
        form = QFormLayout()
        form.addRow(self.tr("備考（任意）"), self.note_edit)
        form.addRow(self.tr("確定する人"), QLabel(ctx.user_name or self.tr("（設定で名前を入力してください）")))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(palette.colour(palette.ERROR))
        self.error_label.hide()

        buttons = QDialogButtonBox()
        self.confirm_button: QPushButton = buttons.addButton(self.tr("確定する"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        self.confirm_button.setAutoDefault(False)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.caution_label)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(580, self.sizeHint().height())

    def figures(self) -> dict[str, str]:
        """KPI code → the figure shown for it (as a person reads it)."""
        return {row.code: row.figure(row.value) for row in self.model.rows}

    def confirm(self) -> bool:
        """Fix the year (through ops); False, with the reason shown, if it was refused."""
        ctx, fy, note = self.ctx, self.fiscal_year, self.note_edit.text()
        saved = ops.perform(self, lambda: closing.close_year(ctx, fy, note), failure=self._refused)
        if saved is None:
            return False
        self.saved = saved
        self.closed.emit()
        self.accept()
        return True

    def _refused(self, error: UserError) -> None:
        self.error_label.setText(error.message)
        self.error_label.show()
