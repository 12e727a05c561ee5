"""The 変更履歴 tab of a record dialog: who changed the record, when, which fields old → new, and
from which package a received change came (``services.audit``).

The history is read off the GUI thread each time the tab is shown, so it includes what was saved
or received since the dialog opened. A dialog whose form has no tabs gets them here: its form
becomes the first tab (:func:`wrap_in_tabs`), the message line and the buttons stay below.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.services import audit
from jcim_desktop.services.audit import AuditRow
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import audit_text, ops, palette

WHEN, WHO, WHAT = range(3)


class RecordHistoryView(QWidget):
    """The change log of one record, newest first: a line per change (when, who, what, from
    where), and under it a line per field (old → new)."""

    loaded = Signal()
    """The history is shown (after each load)."""

    def __init__(self, ctx: AppContext, entity: str, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordHistory")
        self.ctx = ctx
        self.entity = entity
        self.record_id = record_id
        self.rows: list[AuditRow] = []
        self._generation = 0
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("日時"), self.tr("変更した人"), self.tr("変更内容")])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel(self.tr("変更履歴を読み込んでいます…"))
        self.note.setWordWrap(True)
        self.note.setStyleSheet(palette.colour(palette.MUTED))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)
        self.setFocusProxy(self.tree)

    def load(self) -> None:
        """Read the record's history off the GUI thread (a newer read replaces an older one)."""
        self._generation += 1
        generation = self._generation
        ctx, entity, record_id = self.ctx, self.entity, self.record_id

        def show(rows: list[AuditRow]) -> None:
            if generation == self._generation:
                self.show_rows(rows)

        ops.QueryOp(self, lambda _progress: audit.record_history(ctx, entity, record_id), success=show) \
            .run_in_background()

    def show_rows(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        self.tree.clear()
        for row in rows:
            what = self.tr("{action}：{source}").format(action=audit_text.action(row),
                                                       source=audit_text.source(row, self.ctx))
            item = QTreeWidgetItem([audit_text.when(row), audit_text.person(row), what])
            tip = [what, audit_text.action_tip(row) if row.action == "conflict" else "", audit_text.source_tip(row)]
            item.setToolTip(WHAT, "\n".join(part for part in tip if part))
            font = item.font(WHAT)
            font.setBold(True)
            item.setFont(WHAT, font)
            self.tree.addTopLevelItem(item)
            for name in audit_text.shown_changes(row):
                text = audit_text.change(self.ctx, row, name)
                child = QTreeWidgetItem(["", "", text])
                child.setToolTip(WHAT, text)
                item.addChild(child)
            item.setExpanded(True)
        if rows:
            self.note.setText(self.tr("新しい変更から順に表示しています。受信した変更は、送り主の組織とパッケージ番号（先頭 8 文字）を示します。"))
        else:
            self.note.setText(self.tr("この記録の変更履歴はありません（変更履歴を記録する前の版で登録された記録です）。"))
        self.loaded.emit()

    def lines(self) -> list[list[str]]:
        """What the tree shows, a list of cells per line, top to bottom (for tests and checks)."""
        found: list[list[str]] = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is None:
                continue
            found.append([item.text(column) for column in range(3)])
            for child_index in range(item.childCount()):
                child = item.child(child_index)
                if child is not None:
                    found.append([child.text(column) for column in range(3)])
        return found


def add_history_tab(tabs: QTabWidget, view: RecordHistoryView, title: str) -> None:
    """Add ``view`` as the last tab of ``tabs``; it loads each time it is shown."""
    tabs.addTab(view, title)

    def shown(_index: int) -> None:
        if tabs.currentWidget() is view:
            view.load()

    tabs.currentChanged.connect(shown)


def wrap_in_tabs(layout: QBoxLayout, stop_at: QWidget, title: str) -> QTabWidget:
    """Move what ``layout`` holds above ``stop_at`` (a dialog's form, its groups) into the first tab
    of a new tab widget put in their place; returns the tab widget."""
    tabs = QTabWidget()
    tabs.setObjectName("tabs")
    page = QWidget()
    page.setObjectName("basicTab")
    page_layout = QVBoxLayout(page)
    while layout.count():
        item = layout.itemAt(0)
        if item is None or item.widget() is stop_at:
            break
        layout.takeAt(0)
        inner, widget = item.layout(), item.widget()
        if inner is not None:
            inner.setParent(None)
            page_layout.addLayout(inner)
        elif widget is not None:
            page_layout.addWidget(widget)
        else:
            page_layout.addItem(item)
    tabs.addTab(page, title)
    layout.insertWidget(0, tabs, 1)
    return tabs
