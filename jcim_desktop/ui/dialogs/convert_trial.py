"""「実証実験に変える」: the confirmation before an event becomes a trial, with the KPI effect.

The trial needs one local government: the event's only one is taken, otherwise the person picks
one of the event's (several) or any (none). What the figures of the event's fiscal year and
organisation become is the service's answer (``conversion.conversion_effect``), shown before
「変える」 is pressed; the conversion itself runs through ``ops.perform`` (one change notice
naming both the event and the trial).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import closing, conversion, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops, palette
from jcim_desktop.ui.widgets.municipality import MunicipalityPicker, lg_name


class ConvertToTrialDialog(QDialog):
    """Asks before event ``event`` becomes a trial; ``converted`` is what was written, if anything."""

    def __init__(self, ctx: AppContext, event: records.Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record = event
        self.converted: conversion.Converted | None = None
        self.effect: dict[str, tuple[int, int]] | None = None
        self.setWindowTitle(self.tr("実証実験に変える"))
        self.setMinimumWidth(520)

        intro = QLabel(self.tr(
            "「{title}」を実証実験として記録し直します。この活動・行事は削除され（削除済みとして残り、元に戻せます）、"
            "名前・開催回・予定・状況・実施日が実証実験に引き継がれます。内容・会場・参加者数は実証実験の「結果」に書き写します。"
        ).format(title=event["title"]))
        intro.setWordWrap(True)

        codes = [str(c) for c in event.get("lg_codes") or []]
        self.lg_combo: QComboBox | None = None
        self.lg_picker: MunicipalityPicker | None = None
        if len(codes) == 1:
            lg_field: QWidget = QLabel(self._lg_label(codes[0]))
        elif codes:
            self.lg_combo = QComboBox()
            self.lg_combo.setPlaceholderText(self.tr("実証実験を行った自治体を選んでください"))
            for code in codes:
                self.lg_combo.addItem(self._lg_label(code), code)
            self.lg_combo.setCurrentIndex(-1)
            self.lg_combo.currentIndexChanged.connect(self.update_effect)
            lg_field = self.lg_combo
        else:
            self.lg_picker = MunicipalityPicker(ctx.registry)
            self.lg_picker.changed.connect(self.update_effect)
            lg_field = self.lg_picker
        self._codes = codes
        form = QFormLayout()
        form.addRow(self.tr("実証実験の自治体"), lg_field)

        self.effect_title = QLabel()
        self.effect_title.setWordWrap(True)
        self.effect_label = QLabel()
        self.effect_label.setObjectName("effect")
        self.effect_label.setWordWrap(True)
        self.closed_label = QLabel()
        self.closed_label.setObjectName("closedYearLabel")
        self.closed_label.setStyleSheet(palette.colour(palette.CAUTION))
        self.closed_label.setWordWrap(True)
        self.closed_label.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("convertError")
        self.error_label.setStyleSheet(palette.colour(palette.ERROR))
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox()
        self.convert_button: QPushButton = self.buttons.addButton(self.tr("変える"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.convert)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for part in (intro, form, self.effect_title, self.effect_label, self.closed_label, self.error_label, self.buttons):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        year = conversion.effect_fiscal_year(event.data)
        self.effect_title.setText(
            self.tr("{year}の{org}の数値（KPI）は次のように変わります。").format(
                year=fmt.fy_label(year), org=labels.org(event.owner))
            if year is not None else self.tr("数値（KPI）への影響")
        )
        if year is not None and year in closing.closed_years(ctx):
            self.closed_label.setText(self.tr(
                "{fiscal_year}は確定済みです。確定した数値は変わらず、変わるのは集計し直した数値だけです。"
            ).format(fiscal_year=fmt.fy_short(year)))
            self.closed_label.show()
        self.update_effect()

    def _lg_label(self, code: str) -> str:
        entry = self.ctx.registry.get(code)
        return lg_name(entry) if entry is not None else code

    def lg_code(self) -> str | None:
        """The local government chosen for the trial (None while one must still be chosen)."""
        if self.lg_combo is not None:
            value = self.lg_combo.currentData()
            return str(value) if value is not None else None
        if self.lg_picker is not None:
            return self.lg_picker.code()
        return self._codes[0]

    def update_effect(self) -> None:
        """Show what the figures become with the local government chosen (nothing is written)."""
        self._show_error("")
        lg_code = self.lg_code()
        self.effect = None
        if lg_code is None:
            self.effect_label.setText(self.tr("自治体を選ぶと、数値がどう変わるかを表示します。"))
            self.convert_button.setEnabled(False)
            return
        try:
            effect = conversion.conversion_effect(self.ctx, self.record.id, lg_code)
        except UserError as exc:  # a person's problem, shown here; a bug still goes to the crash dialog
            self.effect_label.setText("")
            self._show_error(self._message(exc))
            self.convert_button.setEnabled(False)
            return
        self.effect = effect
        if not effect:
            self.effect_label.setText(self.tr(
                "数値は変わりません（実施済の実証実験だけが現場試行数に数えられます）。"))
        else:
            self.effect_label.setText("\n".join(
                self.tr("{kpi}: {before} → {after}").format(
                    kpi=labels.kpi_label(code), before=fmt.number(before), after=fmt.number(after))
                for code, (before, after) in effect.items()
            ))
        self.convert_button.setEnabled(True)

    @staticmethod
    def _message(error: UserError) -> str:
        if isinstance(error, ValidationError):
            return "\n".join(error.errors.values())
        return error.message

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def convert(self) -> None:
        lg_code = self.lg_code()
        if lg_code is None or self.effect is None:
            return
        result = ops.perform(self, lambda: conversion.convert_event_to_trial(self.ctx, self.record.id, lg_code),
                             failure=lambda error: self._show_error(self._message(error)))
        if result is None:
            return
        self.converted = result
        self.accept()
