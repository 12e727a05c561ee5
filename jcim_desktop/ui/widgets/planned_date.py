"""The planned-date field: the text as people write it (第2四半期, 7月頃, 未定…) and, live, what it means."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from jcim_desktop.domain.dates import PlannedDate, parse_planned
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.widgets import boxes


class PlannedDateEdit(QWidget):
    """開催予定日 / 実施予定日. ``value()`` is the PlannedDate dict (text kept verbatim).

    The fiscal year decides which calendar year 1〜3月 belong to; the record's own year is set
    with ``set_fiscal_year`` and can be changed in the year box beside the text. Below, what the
    text was read as: the period (dates through ``fmt``) and how precise it is.
    """

    changed = Signal()

    def __init__(self, fiscal_year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("plannedTextEdit")
        self.line_edit.setPlaceholderText(self.tr("例: 第2四半期、7月頃、6月上旬～7月中旬、未定"))
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("plannedYearCombo")
        self.year_combo.setToolTip(self.tr("1〜3月は、この年度の翌年として読みます。"))
        self.understood = QLabel(self)
        self.understood.setObjectName("plannedUnderstood")
        self.understood.setStyleSheet("color: #1a5fb4;")
        self.understood.setWordWrap(True)

        boxes.column(boxes.row((self.line_edit, 1), self.year_combo), self.understood, owner=self, spacing=2)
        self.setFocusProxy(self.line_edit)

        self._fill_years(fiscal_year or current_fiscal_year())
        self.line_edit.textChanged.connect(self._update)
        self.year_combo.currentIndexChanged.connect(self._update)
        self._update()

    # -- public ----------------------------------------------------------------------------
    def fiscal_year(self) -> int:
        return int(self.year_combo.currentData())

    def set_fiscal_year(self, fy: int) -> None:
        if self.year_combo.findData(fy) < 0:
            self._fill_years(fy)
        self.year_combo.setCurrentIndex(self.year_combo.findData(fy))

    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        self.line_edit.setText(text)

    def planned(self) -> PlannedDate:
        return parse_planned(self.line_edit.text(), self.fiscal_year())

    def value(self) -> dict[str, Any]:
        return self.planned().to_dict()

    def set_value(self, value: dict[str, Any] | None) -> None:
        """Show a stored PlannedDate; its start decides the fiscal year shown."""
        value = value or {}
        start = value.get("start")
        if isinstance(start, str) and len(start) >= 7:
            year, month = int(start[:4]), int(start[5:7])
            self.set_fiscal_year(year if month >= 4 else year - 1)
        self.set_text(str(value.get("text") or ""))

    def description(self) -> str:
        return self.understood.text()

    # -- internals -------------------------------------------------------------------------
    def _fill_years(self, wanted: int) -> None:
        years = sorted({*fiscal_year_choices(), wanted}, reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for fy in years:
            self.year_combo.addItem(fy_label(fy), fy)
        self.year_combo.setCurrentIndex(self.year_combo.findData(wanted))
        self.year_combo.blockSignals(False)

    def understood_text(self, planned: PlannedDate) -> str:
        """What ``planned`` was read as, for people: ``→ 令和6年7月1日～令和6年9月30日（四半期単位）``."""
        if planned.start is None or planned.end is None:
            return self.tr("→ 日付未定")
        if planned.precision == "undecided":
            return self.tr("→ 未定（{fy}のうち）").format(fy=fmt.fy_short(fiscal_year_of(planned.start)))
        span = fmt.date_range_label(planned.start, planned.end)
        precision = labels.precision(planned.precision)
        if planned.tentative:
            return self.tr("→ {span}（{precision}単位・予定・未確定）").format(span=span, precision=precision)
        return self.tr("→ {span}（{precision}単位）").format(span=span, precision=precision)

    def _update(self) -> None:
        if not self.line_edit.text().strip():
            self.understood.setText(self.tr("計画表の書き方のまま入力すると、読み取った期間がここに出ます。"))
            self.understood.setStyleSheet(palette.colour(palette.MUTED))
        else:
            self.understood.setText(self.understood_text(self.planned()))
            self.understood.setStyleSheet("color: #1a5fb4;")
        self.changed.emit()
