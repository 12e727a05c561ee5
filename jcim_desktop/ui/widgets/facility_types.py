"""施設種別: the 13 facility types as check boxes in a grid."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from jcim_desktop.domain.vocab import FACILITY_TYPES
from jcim_desktop.ui import labels

COLUMNS = 5


class FacilityTypesEdit(QWidget):
    """``value()`` lists the checked codes in vocabulary order; ``changed`` on every click."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, columns: int = COLUMNS) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        for position, code in enumerate(FACILITY_TYPES):
            box = QCheckBox(labels.facility_type(code), self)
            box.setObjectName(f"facility_{code}")
            box.toggled.connect(lambda _checked: self.changed.emit())
            grid.addWidget(box, position // columns, position % columns)
            self.boxes[code] = box
        grid.setColumnStretch(columns, 1)

    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_value(self, codes: Iterable[str] | None) -> None:
        wanted = set(codes or ())
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in wanted)
            box.blockSignals(False)
        self.changed.emit()

    def checkbox(self, code: str) -> QCheckBox:
        return self.boxes[code]
