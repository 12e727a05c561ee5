"""共催: the other organisations that held an event jointly (SYNC_FORMAT §4 ``co_hosts``).

A compact field (a line with the chosen orgs' short names and a 「選ぶ…」 button) that opens a
small dialog of check boxes grouped by kind: 地方フォーラム, 全国フォーラム, 部会・会議, 事務局.
The record's owner is never offered: an event's owner holds it already (and it counts in the
KPIs for the owner only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind
from jcim_desktop.ui import labels, language, palette
from jcim_desktop.ui.widgets import boxes, tab_order

REGIONAL_COLUMNS = 2


def _in_order(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [code for code in ORG_CODES if code in wanted]


def org_names(codes: Sequence[str], *, short: bool = False) -> str:
    """``中国、四国`` / ``Chugoku, Shikoku``: orgs by name, in the window's language."""
    name = labels.org_short if short else labels.org
    return ("、" if language.current() == "ja" else ", ").join(name(code) for code in codes)


class OrgChooser(QDialog):
    """Check boxes of every org but ``excluded``, grouped by kind; ``chosen()`` after 決定."""

    def __init__(self, chosen: Iterable[str], excluded: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orgChooser")
        self.setWindowTitle(self.tr("共催した組織を選ぶ"))
        self.boxes: dict[str, QCheckBox] = {}
        ticked = set(chosen)

        intro = QLabel(self.tr("この活動・行事を一緒に開催した組織に印を付けてください。"
                               "共催した組織の一覧にも表示されます。KPIは登録した組織だけに数えます。"))
        intro.setWordWrap(True)
        intro.setStyleSheet(palette.colour(palette.MUTED))

        groups: dict[OrgKind, QGroupBox] = {}
        for kind in OrgKind:
            codes = [code for code in ORG_CODES if ORGS[code].kind is kind and code != excluded]
            if not codes:
                continue
            group = QGroupBox(labels.org_kind(kind))
            grid = QGridLayout(group)
            grid.setHorizontalSpacing(14)
            grid.setVerticalSpacing(4)
            columns = REGIONAL_COLUMNS if kind is OrgKind.REGIONAL_FORUM else 1
            rows = -(-len(codes) // columns)
            for position, code in enumerate(codes):
                box = QCheckBox(labels.org(code), group)
                box.setObjectName(f"org_{code}")
                box.setChecked(code in ticked)
                # Column by column: 北海道 … 近畿, then 中国 … 沖縄, as the regions run.
                grid.addWidget(box, position % rows, position // rows)
                self.boxes[code] = box
            groups[kind] = group

        # Three columns side by side: regional forums, national forums, committees and the secretariat.
        right = [groups[k] for k in (OrgKind.COMMITTEE, OrgKind.SECRETARIAT) if k in groups]
        side_by_side = QHBoxLayout()
        side_by_side.setSpacing(10)
        for kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM):
            if kind in groups:
                side_by_side.addWidget(groups[kind], 0, Qt.AlignmentFlag.AlignTop)
        side_by_side.addLayout(boxes.column(*right, (QWidget(), 1), spacing=10))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("決定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.clear_button = self.buttons.addButton(self.tr("すべて外す"), QDialogButtonBox.ButtonRole.ResetRole)
        self.clear_button.clicked.connect(self.clear)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(side_by_side)
        layout.addWidget(self.buttons)
        # Group by group, each down its columns as the regions run; then the buttons as laid out.
        tab_order.chain(self.tab_chain())
        first = next(iter(self.boxes.values()), None)
        if first is not None:
            first.setFocus()

    def tab_chain(self) -> list[QWidget]:
        return [*self.boxes.values(), self.buttons]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return tab_order.move_focus(self.tab_chain(), next) or super().focusNextPrevChild(next)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def clear(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)

    def checkbox(self, code: str) -> QCheckBox:
        return self.boxes[code]


class CoHostsEdit(QWidget):
    """The orgs that co-hosted an event. ``value()`` lists their codes in SYNC_FORMAT §1 order;
    ``changed`` on every change; the chooser is open (non-blocking) as ``chooser`` meanwhile."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codes: list[str] = []
        self._owner: str | None = None
        self.chooser: OrgChooser | None = None
        self.line = QLineEdit(self)
        self.line.setObjectName("coHostsLine")
        self.line.setReadOnly(True)
        self.line.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.line.setPlaceholderText(self.tr("なし（単独で開催）"))
        self.button = QPushButton(self.tr("選ぶ…"), self)
        self.button.setObjectName("chooseCoHostsButton")
        self.button.setToolTip(self.tr("一緒に開催した組織を選びます。共催した組織の一覧にも表示されます"))
        self.button.clicked.connect(self.choose)
        boxes.row((self.line, 1), self.button, owner=self, spacing=6)
        # Focus given to the field goes to 「選ぶ…」, its one Tab stop (a stop of the field's own
        # would be a second one, wherever Qt's chain keeps it).
        self.setFocusProxy(self.button)

    def value(self) -> list[str]:
        return list(self._codes)

    def set_value(self, codes: Sequence[str] | None) -> None:
        self._codes = [code for code in _in_order(str(c) for c in codes or ()) if code != self._owner]
        # Codes unknown to this version are kept as they are (a later writer may know them).
        self._codes += [str(c) for c in codes or () if str(c) not in ORGS and str(c) not in self._codes]
        self._show()
        self.changed.emit()

    def set_owner(self, owner: str | None) -> None:
        """The record's owner: not offered, and taken off the co-hosts if it was there."""
        self._owner = owner
        if owner in self._codes:
            self.set_value(self._codes)

    def choose(self) -> None:
        """Open the chooser; 決定 takes what is ticked."""
        chooser = OrgChooser(self._codes, self._owner, self)
        self.chooser = chooser
        chooser.accepted.connect(lambda: self.set_value(chooser.chosen()))
        chooser.finished.connect(self._chooser_closed)
        chooser.open()

    def _chooser_closed(self) -> None:
        if self.chooser is not None:
            self.chooser.deleteLater()
        self.chooser = None
        # Back to the entry dialog, on 「選ぶ…」 (as a window manager does after a modal child).
        self.window().activateWindow()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self) -> None:
        self.line.setText(org_names(self._codes, short=True))
        self.line.setToolTip(org_names(self._codes))
        self.line.setCursorPosition(0)
