"""競合: records changed on two installations at once (SYNC_FORMAT §3 rule 5), their versions side
by side, and keeping one version or editing a merged one (a new change that settles it)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import sync
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import labels, ops, palette
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import DIALOGS, open_record_dialog
from jcim_desktop.ui.dialogs.base import ask
from jcim_desktop.ui.fmt import join
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.pages.sync.conflict_models import (
    DIFFERENT,
    ConflictListModel,
    ConflictRow,
    ConflictVersionsModel,
    RecordLabels,
    field_label,
    version_letter,
)
from jcim_desktop.ui.widgets import boxes
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import ColumnFitter, ColumnWidth, header_width

translate = QCoreApplication.translate

READ_ONLY_NOTE = str(QT_TRANSLATE_NOOP("ConflictsPage", "他組織の記録です。その組織の端末で解決されます。"))

VERSIONS_COLUMN = 3
"""版の数 in the conflicts list: not shown (the versions stand side by side beside the list)."""

__all__ = ["DIFFERENT", "READ_ONLY_NOTE", "ConflictsPage"]


class ConflictsPage(Page):
    page_id = "conflicts"
    title = "競合"
    entities = ()

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.labels = RecordLabels(ctx)
        self.adopt_buttons: list[QPushButton] = []

        title = QLabel(self.tr("競合"))
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        intro = QLabel(self.tr("同じ記録が別々の端末でほぼ同時に変更されると、どちらの版も残して競合として表示します。"
                               "版を見比べて採用するか、編集して内容をまとめてください。"))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.count_label = QLabel()

        self.list_model = ConflictListModel(self)
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.verticalHeader().setVisible(False)
        self.list_view.verticalHeader().setDefaultSectionSize(26)
        self.list_view.horizontalHeader().setMinimumSectionSize(40)
        # The list is narrow beside the versions: its columns fit it (texts cut, with tool tips);
        # 版の数 is left out (the versions stand side by side on the right).
        self.list_view.setColumnHidden(VERSIONS_COLUMN, True)
        self.list_fitter = ColumnFitter(self.list_view, self._list_widths)
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.detail_title = QLabel()
        self.detail_title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.detail_title.setWordWrap(True)
        self.detail_note = QLabel()
        self.detail_note.setWordWrap(True)
        self.versions_model = ConflictVersionsModel(ctx, self.labels, self)
        self.versions_view = QTableView()
        self.versions_view.setModel(self.versions_model)
        self.versions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_view.setWordWrap(True)
        self.versions_view.verticalHeader().setDefaultSectionSize(28)
        self.versions_view.verticalHeader().setMaximumWidth(210)
        self.versions_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Long values wrap: rows grow to them whenever the columns change width.
        self.versions_view.horizontalHeader().sectionResized.connect(lambda *_: self.versions_view.resizeRowsToContents())
        self.adopt_row = QHBoxLayout()
        self.edit_button = push_button(
            self.tr("編集して解決…"), self.edit_to_resolve,
            self.tr("現在の内容を編集して保存します。保存した内容が新しい版になり、競合は解消されます。"))
        buttons = QHBoxLayout()
        buttons.addLayout(self.adopt_row)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)

        detail = QWidget()
        boxes.column(self.detail_title, self.detail_note, (self.versions_view, 1), buttons, owner=detail)

        self.list_view.setMinimumWidth(
            sum(w.minimum for i, w in enumerate(self._list_widths()) if i != VERSIONS_COLUMN) + 4)
        splitter = QSplitter()
        splitter.addWidget(self.list_view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([max(340, self.list_view.minimumWidth()), 460])
        splitter.setChildrenCollapsible(False)

        empty = QWidget()
        ev = QVBoxLayout(empty)
        ev.addStretch(1)
        big = QLabel(self.tr("競合はありません"))
        big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big.setStyleSheet("font-size: 22px; font-weight: bold; color: #1b7f3b;")
        small = QLabel(self.tr("取り込んだ記録はすべて自動でまとまりました。\n"
                               "同じ記録が別々の端末で同時に変更されたときだけ、ここに表示されます（どちらの版も失われません）。"))
        small.setAlignment(Qt.AlignmentFlag.AlignCenter)
        small.setWordWrap(True)
        small.setStyleSheet(f"color: {palette.MUTED}; font-size: 14px;")
        ev.addWidget(big)
        ev.addWidget(small)
        ev.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(splitter)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        self._show_selected()

    def _list_widths(self) -> list[ColumnWidth]:
        view = self.list_view
        heads = [header_width(view, column) for column in range(5)]
        return [
            ColumnWidth(110, max(heads[0], 56)),  # 種類
            ColumnWidth(160, max(heads[1], 80), main=True),  # 記録
            ColumnWidth(76, max(heads[2], 56)),  # 所有組織 (short names)
            ColumnWidth.whole(heads[3]),  # 版の数
            ColumnWidth(130, max(heads[4], 56)),  # 違う項目
        ]

    def is_affected_by(self, changes: Changes) -> bool:
        # Any record written (an import above all) may open or settle a conflict.
        return bool(changes.entities)

    # Loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_conflict()
        key = (selected.entity, selected.record_id) if selected else None
        self.labels = RecordLabels(self.ctx)
        self.versions_model.labels = self.labels
        rows = []
        for conflict in sync.conflicts(self.ctx):
            current = next((v for v in conflict.versions if v.is_current), conflict.versions[0])
            label = self.labels.of(conflict.entity, current.data or conflict.versions[0].data, conflict.record_id)
            differing = join(field_label(conflict.entity, name) for name in conflict.differing_fields())
            rows.append(ConflictRow(conflict, label, differing or self.tr("（内容は同じ）")))
        self.list_model.set_rows(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        writable = sum(row.conflict.writable for row in rows)
        self.count_label.setText(self.tr("{count} 件（この端末で解決できるもの {writable} 件）").format(
            count=len(rows), writable=writable) if rows else "")
        index = 0
        if key is not None:
            index = next((i for i, row in enumerate(rows) if (row.conflict.entity, row.conflict.record_id) == key), 0)
        if rows:
            self.list_view.selectRow(index)
        self._show_selected()

    def _selected_row(self) -> ConflictRow | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.list_model.row_at(rows[0].row()) if rows else None

    def selected_conflict(self) -> sync.Conflict | None:
        row = self._selected_row()
        return row.conflict if row is not None else None

    def select_conflict(self, entity: str, record_id: str) -> bool:
        for index, row in enumerate(self.list_model.rows):
            if (row.conflict.entity, row.conflict.record_id) == (entity, record_id):
                self.list_view.selectRow(index)
                return True
        return False

    def _show_selected(self) -> None:
        row = self._selected_row()
        conflict = row.conflict if row is not None else None
        self.versions_model.load(conflict)
        for button in self.adopt_buttons:
            self.adopt_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.adopt_buttons = []
        if row is None or conflict is None:
            self.detail_title.setText("")
            self.detail_note.setText(self.tr("左の一覧から競合を選んでください。"))
            self.detail_note.setStyleSheet("color: #555;")
            self.edit_button.setEnabled(False)
            return
        self.detail_title.setText(self.tr("{entity}「{record}」（{owner}の記録）").format(
            entity=labels.entity(conflict.entity), record=row.label, owner=labels.org(conflict.owner)))
        if conflict.writable:
            self.detail_note.setText(self.tr("色の付いた行が版によって違う項目です。採用する版を選ぶか、"
                                             "「編集して解決…」で内容をまとめて保存してください。"))
            self.detail_note.setStyleSheet("color: #555;")
        else:
            self.detail_note.setText(translate("ConflictsPage", READ_ONLY_NOTE))
            self.detail_note.setStyleSheet(f"color: {palette.CAUTION}; font-weight: bold;")
        for position in range(len(conflict.versions)):
            button = QPushButton(self.tr("この版を採用（版{letter}）").format(letter=version_letter(position)))
            button.setEnabled(conflict.writable)
            button.setToolTip(self.versions_model.header_text(position).replace("\n", "　"))
            button.clicked.connect(lambda _=False, p=position: self.adopt_version(p))
            self.adopt_row.addWidget(button)
            self.adopt_buttons.append(button)
        current = next((v for v in conflict.versions if v.is_current), None)
        self.edit_button.setEnabled(
            conflict.writable and conflict.entity in DIALOGS and current is not None and not current.deleted
        )
        self.versions_view.resizeRowsToContents()

    # Resolving ----------------------------------------------------------------------------------
    def _show_problem(self, error: UserError) -> None:
        self.detail_note.setText(error.message)
        self.detail_note.setStyleSheet(f"color: {palette.ERROR}; font-weight: bold;")

    def adopt_version(self, position: int) -> bool:
        conflict = self.selected_conflict()
        if conflict is None or not conflict.writable or not (0 <= position < len(conflict.versions)):
            return False
        version = conflict.versions[position]
        letter = version_letter(position)
        if not ask(self, self.tr("この版を採用"),
                   self.tr("版{letter}の内容で確定しますか？\nほかの版の内容は使われなくなります。確定した内容は、"
                           "次の同期で他の端末にも届きます。").format(letter=letter),
                   self.tr("採用する"), self.tr("キャンセル")):
            return False
        ctx = self.ctx
        settled = ops.perform(self, lambda: sync.resolve_conflict(
            ctx, conflict.entity, conflict.record_id, None if version.deleted else version.data,
            deleted=version.deleted), failure=self._show_problem)
        if settled is None:
            return False
        self.bus.status_message.emit(self.tr("版{letter}を採用して競合を解決しました。").format(letter=letter))
        self.activate()
        return True

    def edit_to_resolve(self) -> None:
        conflict = self.selected_conflict()
        if conflict is None or not conflict.writable or conflict.entity not in DIALOGS:
            return
        saved = open_record_dialog(self, self.ctx, conflict.entity, record_id=conflict.record_id, bus=self.bus)
        if saved is not None:
            # The dialog's save announced the change; this page shows its outcome at once.
            self.refresh()
