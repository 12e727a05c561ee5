"""The planned-date field: the text as people write it (第2四半期, 7月頃, 未定…) and, live, what it means.

Text that cannot be read as a date (ほげほげ, 13月, R8.2.30) says so under the field instead of
quietly becoming 未定 (``dates.planned_unreadable``; 未定 written on purpose is fine), and a clear
date outside the chosen fiscal year is pointed out (``dates.outside_fiscal_year``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from jcim_desktop.domain.dates import PlannedDate, outside_fiscal_year, parse_planned, planned_unreadable
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.fmt import current_fiscal_year, fiscal_year_choices, fy_label
from jcim_desktop.ui.widgets import boxes


class PlannedDateEdit(QWidget):
    """開催予定日 / 実施予定日. ``value()`` is the PlannedDate dict (text kept verbatim).

    The fiscal year decides which calendar year 1〜3月 belong to; the record's own year is set
    with ``set_fiscal_year`` and can be changed in the year box beside the text. Below, what the
    text was read as: the period (dates through ``fmt``) and how precise it is, and a warning
    (``warning_text()``) when the text could not be read or a clear date lies outside the year.
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
        self.warning = QLabel(self)
        self.warning.setObjectName("plannedWarning")
        self.warning.setStyleSheet(palette.colour(palette.ERROR))
        self.warning.setWordWrap(True)
        self.warning.hide()

        boxes.column(boxes.row((self.line_edit, 1), self.year_combo), self.understood, self.warning,
                     owner=self, spacing=2)
        # Focus given to the field goes to the text; Tab visits the text, then the year (a dialog's
        # chain lists the parts, so the field itself is no stop of its own).
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

    def unreadable(self) -> bool:
        """The text says something that could not be read as a date (saving would keep it as 未定)."""
        return planned_unreadable(self.line_edit.text(), self.fiscal_year())

    def outside_year(self) -> bool:
        """The text is a clear date (a day, 上旬/中旬/下旬 or a month) outside the chosen fiscal year."""
        return not self.unreadable() and outside_fiscal_year(self.planned(), self.fiscal_year())

    def warning_text(self) -> str:
        """What is shown under the field about the text ("" when there is nothing to say)."""
        if self.unreadable():
            return self.tr("読み取れませんでした。例: 7月、第2四半期、2024-07-10、未定")
        if self.outside_year():
            fy = self.fiscal_year()
            start, end = fiscal_year_bounds(fy)
            return self.tr("{fiscal_year}（{span}）の外です").format(
                fiscal_year=fmt.fy_short(fy), span=fmt.date_range_label(start, end))
        return ""

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
        warning = self.warning_text()
        if not self.line_edit.text().strip():
            self.understood.setText(self.tr("計画表の書き方のまま入力すると、読み取った期間がここに出ます。"))
            self.understood.setStyleSheet(palette.colour(palette.MUTED))
        elif self.unreadable():
            self.understood.setText("")  # nothing was read: the warning says so
        else:
            self.understood.setText(self.understood_text(self.planned()))
            self.understood.setStyleSheet("color: #1a5fb4;")
        self.understood.setVisible(bool(self.understood.text()))
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.changed.emit()
