"""The records behind a KPI figure (the window's ``tally --explain``), from which a record opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from jcim_desktop.services import tally
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.rows_model import Column, RowsModel

Row = dict[str, Any]


class ExplainDialog(QDialog):
    """Lists what made one figure of fiscal year ``fiscal_year`` (``org`` None: all orgs).

    The list is read off the GUI thread by the same scan that makes the tally, so it always adds
    up to the figure shown. Enter or a double click opens a record's entry dialog.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, fiscal_year: int, kpi: str, org: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.explained: dict[str, Any] | None = None
        scope = labels.org(org) if org else self.tr("全体")
        self.setWindowTitle(self.tr("{kpi}の内訳（{year}・{scope}）").format(
            kpi=labels.kpi_label(kpi), year=fmt.fy_short(fiscal_year), scope=scope))
        self.resize(860, 520)
        self.summary = QLabel(self.tr("集計しています…"))
        self.summary.setWordWrap(True)
        self.model: RowsModel[Row] = RowsModel([
            Column(self.tr("日付"), lambda r: r["date"], text=lambda r: fmt.date_label(r["date"])),
            Column(self.tr("種類"), lambda r: r["entity"], text=lambda r: labels.entity(r["entity"])),
            Column(self.tr("組織"), lambda r: r["owner"], text=lambda r: labels.org(r["owner"])),
            Column(self.tr("件名"), lambda r: r["title"]),
            Column(self.tr("自治体"), lambda r: r["lg_code"], text=lambda r: self._municipality(r["lg_code"])),
        ], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # arrows move in the list; Tab goes on to 閉じる
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self.open_record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        hint = QLabel(self.tr("行をダブルクリックするか Enter で、その記録を開きます。"))
        hint.setObjectName("muted")
        layout.addWidget(hint)
        layout.addWidget(buttons)
        ops.QueryOp(self, lambda _progress: tally.explain(ctx, fiscal_year, kpi, org), success=self._show) \
            .run_in_background()

    def _municipality(self, lg_code: str | None) -> str:
        found = self.ctx.registry.get(lg_code) if lg_code else None
        return found.full_name if found is not None else (lg_code or "")

    def _show(self, explained: dict[str, Any]) -> None:
        self.explained = explained
        self.model.set_rows(explained["records"])
        value = explained["value"]
        shown = fmt.percent(value) if isinstance(value, float) else fmt.number(value)
        self.summary.setText(self.tr("集計値 {value}。もとになった記録 {count}。").format(
            value=shown, count=fmt.count(len(explained["records"]))))
        self.table.resizeColumnsToContents()
        if explained["records"]:
            self.table.selectRow(0)
        self.loaded.emit()

    def record_ids(self) -> list[str]:
        """The ids listed, top to bottom."""
        return [row["id"] for row in self.model.rows]

    def open_record(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        from jcim_desktop.ui.dialogs import DIALOGS, open_record_dialog

        if row is not None and row["entity"] in DIALOGS:  # a municipality's status has no entry dialog
            open_record_dialog(self, self.ctx, row["entity"], row["id"])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            return  # the table opened the record (``activated``); Enter must not also close the list
        super().keyPressEvent(event)
