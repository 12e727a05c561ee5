"""Choosing local governments: type 福山, ふくやま, ﾌｸﾔﾏ or 34207 and pick 広島県福山市."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.lgcodes import LocalGovernment, LocalGovernmentRegistry

CODE_ROLE = Qt.ItemDataRole.UserRole
SUGGESTIONS = 20
_ROOT = QModelIndex()


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
            return f"{entry.full_name}　{entry.name_kana}　{entry.lg_code}"
        if role == Qt.ItemDataRole.EditRole:
            return entry.full_name
        if role == CODE_ROLE:
            return entry.lg_code
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.full_name}（{entry.kind_label}・団体コード {entry.lg_code}）"
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
        self.line_edit.setPlaceholderText("市区町村名・よみ・団体コードで検索（例: 福山、ふくやま、34207）")
        self.line_edit.setClearButtonEnabled(True)
        self.code_label = QLabel(self)
        self.code_label.setStyleSheet("color: #5f6368;")
        self.code_label.hide()

        self.model = LocalGovernmentListModel(self)
        self.completer = QCompleter(self.model, self)
        # The registry already ranks the hits; the completer only shows them.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(Qt.ItemDataRole.EditRole)
        self.completer.setMaxVisibleItems(10)
        self.completer.setWidget(self.line_edit)
        self.completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.code_label)
        self.setFocusProxy(self.line_edit)

        self.line_edit.textEdited.connect(self._text_edited)
        self.line_edit.editingFinished.connect(self._resolve_typed)

    # -- public ----------------------------------------------------------------------------
    def code(self) -> str | None:
        return self._code

    def set_code(self, code: str | None) -> None:
        entry = self.registry.get(code) if code else None
        self.line_edit.setText(entry.full_name if entry else (code or ""))
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
        self.code_label.setText(f"団体コード {code}" if entry else "")
        self.code_label.setVisible(entry is not None and self._show_code)
        if code != self._code:
            self._code = code
            self.changed.emit()

    def _text_edited(self, text: str) -> None:
        hits = self.registry.search(text, SUGGESTIONS)
        self.model.set_rows(hits)
        current = self.registry.get(self._code) if self._code else None
        if current is None or text != current.full_name:
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
        self.line_edit.setText(entry.full_name if entry else code)
        self._hide_popup()
        self._set(code)

    def _resolve_typed(self) -> None:
        if self._code is not None or not self.line_edit.text().strip():
            return
        text = self.line_edit.text().strip()
        hits = self.registry.search(text, 2)
        exact = [e for e in hits if text in (e.full_name, e.lg_code)]
        chosen = exact[0] if exact else (hits[0] if len(hits) == 1 else None)
        if chosen is not None:
            self.line_edit.setText(chosen.full_name)
            self._set(chosen.lg_code)


class MunicipalityListEdit(QWidget):
    """Several local governments (an event's 参加・支援した自治体): a picker that adds to a list."""

    changed = Signal()

    def __init__(self, registry: LocalGovernmentRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.picker = MunicipalityPicker(registry, self)
        self.picker.line_edit.setPlaceholderText("追加する自治体を検索（例: 福山、ふくやま、34207）")
        self.picker._show_code = False
        self.list = QListWidget(self)
        self.list.setObjectName("municipalityList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setSpacing(2)
        self.list.setFixedHeight(58)
        self.remove_button = QPushButton("選んだ自治体を外す", self)
        self.remove_button.setEnabled(False)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #5f6368;")

        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.count_label)

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
        item = QListWidgetItem(entry.full_name if entry else f"不明なコード {code}")
        item.setData(CODE_ROLE, code)
        item.setToolTip(f"団体コード {code}")
        self.list.addItem(item)

    def _picked(self) -> None:
        code = self.picker.code()
        if code is None:
            return
        self.add_code(code)
        self.picker.set_code(None)

    def _update_count(self) -> None:
        n = self.list.count()
        self.count_label.setText(f"{n} 団体" if n else "まだありません（なくても保存できます）")
