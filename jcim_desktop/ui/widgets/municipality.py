"""Choosing local governments: type 福山, ふくやま, ﾌｸﾔﾏ or 34207 and pick 広島県福山市.

Municipality names are master data and stay as the register writes them (広島県福山市); a
prefecture is named in the window's language (``labels.prefecture``: 広島県 / Hiroshima).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from jcim_desktop.domain.lgcodes import LocalGovernment, LocalGovernmentRegistry
from jcim_desktop.ui import labels, palette
from jcim_desktop.ui.widgets import boxes

CODE_ROLE = Qt.ItemDataRole.UserRole
SUGGESTIONS = 20
_ROOT = QModelIndex()


def lg_name(entry: LocalGovernment) -> str:
    """How a local government is named in a field: 広島県福山市, or a prefecture in the window's language."""
    return labels.prefecture(entry.pref_code) if entry.is_prefecture else entry.full_name


class LocalGovernmentListModel(QAbstractListModel):
    """The suggestions shown under the line edit: a thin adapter over ``registry.search``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LocalGovernment] = []

    def set_rows(self, rows: Sequence[LocalGovernment]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def entry(self, row: int) -> LocalGovernment | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lg_name(entry)}　{entry.name_kana}　{entry.lg_code}"
        if role == Qt.ItemDataRole.EditRole:
            return lg_name(entry)
        if role == CODE_ROLE:
            return entry.lg_code
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{name}（{kind}・団体コード {code}）").format(
                name=lg_name(entry), kind=labels.lg_kind(entry.kind), code=entry.lg_code)
        return None


class MunicipalityPicker(QWidget):
    """One local government (a municipality or a prefecture), searched by name, kana or code.

    ``code()`` is the chosen 6-digit code or None; ``changed`` is emitted whenever it changes.
    Text that matches exactly one local government (or its full code) is taken without picking.
    """

    changed = Signal()

    def __init__(self, registry: LocalGovernmentRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self._code: str | None = None
        self._show_code = True
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("municipalityEdit")
        self.line_edit.setPlaceholderText(self.tr("市区町村の名前・よみ・団体コードで検索（例: 福山、ふくやま、34207）"))
        self.line_edit.setClearButtonEnabled(True)
        self.code_label = QLabel(self)
        self.code_label.setStyleSheet(palette.colour(palette.MUTED))
        self.code_label.hide()

        self.model = LocalGovernmentListModel(self)
        self.completer = QCompleter(self.model, self)
        # The registry already ranks the hits; the completer only shows them.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(Qt.ItemDataRole.EditRole)
        self.completer.setMaxVisibleItems(10)
        self.completer.setWidget(self.line_edit)
        self.completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]

        boxes.row((self.line_edit, 1), self.code_label, owner=self)
        self.setFocusProxy(self.line_edit)

        self.line_edit.textEdited.connect(self._text_edited)
        self.line_edit.editingFinished.connect(self._resolve_typed)

    # -- public ----------------------------------------------------------------------------
    def code(self) -> str | None:
        return self._code

    def set_code(self, code: str | None) -> None:
        entry = self.registry.get(code) if code else None
        self.line_edit.setText(lg_name(entry) if entry else (code or ""))
        # An unknown code is kept so that saving names the problem instead of losing it.
        self._set(code or None)

    def suggestions(self) -> list[str]:
        """The full names currently offered under the line edit."""
        return [self.model.data(self.model.index(row), Qt.ItemDataRole.EditRole) for row in range(self.model.rowCount())]

    def choose(self, row: int) -> None:
        """Pick the ``row``-th suggestion (what a click or Enter in the popup does)."""
        self._chosen(self.model.index(row))

    # -- internals -------------------------------------------------------------------------
    def _set(self, code: str | None) -> None:
        entry = self.registry.get(code) if code else None
        self.code_label.setText(self.tr("団体コード {code}").format(code=code) if entry else "")
        self.code_label.setVisible(entry is not None and self._show_code)
        if code != self._code:
            self._code = code
            self.changed.emit()

    def _text_edited(self, text: str) -> None:
        hits = self.registry.search(text, SUGGESTIONS)
        self.model.set_rows(hits)
        current = self.registry.get(self._code) if self._code else None
        if current is None or text != lg_name(current):
            self._set(None)
        if hits and text.strip():
            self.completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    def _chosen(self, index: QModelIndex) -> None:
        code = self.model.data(index, CODE_ROLE)
        if not code:
            return
        entry = self.registry.get(code)
        self.line_edit.setText(lg_name(entry) if entry else code)
        self._hide_popup()
        self._set(code)

    def _resolve_typed(self) -> None:
        if self._code is not None or not self.line_edit.text().strip():
            return
        text = self.line_edit.text().strip()
        hits = self.registry.search(text, 2)
        exact = [e for e in hits if text in (e.full_name, lg_name(e), e.lg_code)]
        chosen = exact[0] if exact else (hits[0] if len(hits) == 1 else None)
        if chosen is not None:
            self.line_edit.setText(lg_name(chosen))
            self._set(chosen.lg_code)


class MunicipalityListEdit(QWidget):
    """Several local governments (an event's 参加・支援した自治体): a picker that adds to a list."""

    changed = Signal()

    def __init__(self, registry: LocalGovernmentRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.picker = MunicipalityPicker(registry, self)
        self.picker.line_edit.setPlaceholderText(self.tr("追加する自治体を名前・よみ・団体コードで検索（例: 福山、ふくやま、34207）"))
        self.picker._show_code = False
        self.list = QListWidget(self)
        self.list.setObjectName("municipalityList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setSpacing(2)
        self.list.setFixedHeight(58)
        self.remove_button = QPushButton(self.tr("選んだ自治体を外す"), self)
        self.remove_button.setEnabled(False)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(palette.colour(palette.MUTED))

        # The button sits under the list so the search box keeps the row's whole width.
        bottom = boxes.row((self.count_label, 1), self.remove_button)
        boxes.column(self.picker, self.list, bottom, owner=self, spacing=3)
        # Focus given to the field (a label's shortcut, the first field of a dialog) lands in the
        # search box. The field is no Tab stop of its own: a dialog's chain (``tab_order``) visits
        # its parts, search box, list, 「外す」, in its row.
        self.setFocusProxy(self.picker)

        self.picker.changed.connect(self._picked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()))
        )
        self._update_count()

    def codes(self) -> list[str]:
        return [str(self.list.item(i).data(CODE_ROLE)) for i in range(self.list.count())]

    def set_codes(self, codes: Sequence[str] | None) -> None:
        self.list.clear()
        for code in codes or ():
            self._append(code)
        self._update_count()
        self.changed.emit()

    def add_code(self, code: str) -> None:
        if code in self.codes():
            return
        self._append(code)
        self._update_count()
        self.changed.emit()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._update_count()
        self.changed.emit()

    def _append(self, code: str) -> None:
        entry = self.registry.get(code)
        item = QListWidgetItem(lg_name(entry) if entry else self.tr("不明なコード {code}").format(code=code))
        item.setData(CODE_ROLE, code)
        item.setToolTip(self.tr("団体コード {code}").format(code=code))
        self.list.addItem(item)

    def _picked(self) -> None:
        code = self.picker.code()
        if code is None:
            return
        self.add_code(code)
        self.picker.set_code(None)

    def _update_count(self) -> None:
        n = self.list.count()
        self.count_label.setText(self.tr("%n 団体", "", n) if n else self.tr("まだありません（なくても保存できます）"))
