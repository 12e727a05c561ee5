"""「先に保存されました」: a colleague saved the record while this person had it open.

Shown by an entry dialog whose save was refused (``services.edit_conflicts.EditConflict``):
what happened (who, when; nothing of the person's input is saved), and the fields where the
colleague's saved version and the person's input differ, side by side as on the 競合 page (the
same table and wording of values; the rows the colleague changed coloured). The person chooses:
keep the colleague's version (the dialog reloads it; their input is discarded), save their input
over it (a deliberate save against the version now stored), or go back to the input.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.entities import FIELDS
from jcim_desktop.services import sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import DELETED, EditConflict, LastChange
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.pages.sync.conflict_models import ConflictVersionsModel, FieldRow, RecordLabels
from jcim_desktop.ui.rows_model import Column
from jcim_desktop.ui.widgets.buttons import push_button

translate = QCoreApplication.translate

KEEP_THEIRS = "theirs"
SAVE_MINE = "mine"
BACK = "back"
"""The person's choices (``EditConflictDialog.choice``); closing the window is ``BACK``."""


def who(ctx: AppContext, change: LastChange) -> str:
    """Who made the stored version, as the sentences here name them: 「山田さん」, 「あなた（別の画面）」."""
    if not change.by:
        return translate("EditConflictDialog", "別の担当者")
    if change.by != ctx.user_name:
        return translate("EditConflictDialog", "{name}さん").format(name=change.by)
    if change.installation == ctx.installation_id:
        return translate("EditConflictDialog", "あなた（別の画面）")
    return translate("EditConflictDialog", "{name}さん（別の端末）").format(name=change.by)


class EditConflictModel(ConflictVersionsModel):
    """The 競合 page's versions table, for two versions: what is stored now and the person's input.

    Rows: the fields where they differ (and 状態 when the record was deleted); coloured: the ones
    the colleague changed since the person opened the record.
    """

    def __init__(self, ctx: AppContext, labels_: RecordLabels, conflict: EditConflict, theirs_header: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, labels_, parent)
        self.theirs_header = theirs_header
        current = conflict.current
        proposed = conflict.proposed or {}
        self.conflict = sync.Conflict(conflict.entity, current.id, current.owner, (
            sync.ConflictVersionView(current.hlc, current.vv, current.deleted, current.data, True),
            sync.ConflictVersionView("", {}, False, proposed, False),
        ), True)
        changed = set(conflict.changed_fields)
        differing = set(conflict.differing_fields)
        rows = [FieldRow(spec, labels.field(conflict.entity, spec.name), spec.name in changed)
                for spec in FIELDS.get(conflict.entity, ()) if spec.name in differing]
        if current.deleted:
            rows.insert(0, FieldRow(None, self.tr("状態"), DELETED in changed))
        columns = [Column(self.header_text(i), self._cell(i), text=self._shown(i), tooltip=self._tooltip(i))
                   for i in range(2)]
        self.beginResetModel()
        self.columns, self.rows = columns, rows
        self.endResetModel()

    def header_text(self, position: int) -> str:
        return self.theirs_header if position == 0 else self.tr("あなたの入力（未保存）")


class EditConflictDialog(QDialog):
    """The conflict view of one refused save; ``choice`` says what the person chose."""

    def __init__(self, ctx: AppContext, conflict: EditConflict, record_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editConflictDialog")
        self.ctx = ctx
        self.conflict = conflict
        self.choice = BACK
        current = conflict.current
        change = conflict.last_change
        theirs = who(ctx, change)
        self.setWindowTitle(self.tr("ほかの人が先に保存しました"))

        record = self.tr("{entity}「{name}」").format(entity=labels.entity(conflict.entity), name=record_name) \
            if record_name else labels.entity(conflict.entity)
        when = fmt.datetime_label(change.at) if change.at is not None else self.tr("日時不明")
        if change.received_from is not None:
            happened = self.tr("{record}は、あなたが開いた後に{org}から受け取った変更で更新されました（{when}）。").format(
                record=record, org=labels.org(change.received_from), when=when)
            theirs_header = self.tr("受け取った内容（現在）")
        else:
            happened = (self.tr("{record}は、あなたが開いた後に{who}が削除しました（{when}）。") if current.deleted else
                        self.tr("{record}は、あなたが開いた後に{who}が変更しました（{when}）。")).format(
                record=record, who=theirs, when=when)
            theirs_header = self.tr("{who}が保存した内容（現在）").format(who=theirs)
        self.message_label = QLabel(happened + self.tr("あなたの入力はまだ保存していません。"))
        self.message_label.setObjectName("conflictMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(f"color: {palette.CAUTION}; font-weight: bold;")

        self.labels = RecordLabels(ctx)
        self.model = EditConflictModel(ctx, self.labels, conflict, theirs_header, self)
        if not self.model.rows:
            note = self.tr("あなたの入力は、いま保存されている内容と同じです。どちらを選んでも内容は変わりません。")
        elif current.deleted:
            note = self.tr("この記録は削除されているため、上書きできません。必要な入力は控えてから閉じてください。")
        elif any(row.differing for row in self.model.rows):
            note = self.tr("あなたの入力と、いま保存されている内容とで違う項目です。色の付いた行は、あなたが開いた後に"
                           "変更された項目です。上書き保存すると、その変更もあなたの入力の値に置き換わります。")
        else:
            note = self.tr("あなたの入力と、いま保存されている内容とで違う項目です（どれもあなたが変更した項目です）。")
        self.note_label = QLabel(note)
        self.note_label.setObjectName("conflictNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(palette.colour(palette.MUTED))

        self.table = QTableView()
        self.table.setObjectName("conflictTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the choices
        self.table.verticalHeader().setMaximumWidth(210)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.setVisible(bool(self.model.rows))

        self.keep_button = push_button(
            self.tr("入力を破棄して閉じる") if current.deleted else self.tr("保存されている内容を残す"),
            lambda: self._choose(KEEP_THEIRS),
            self.tr("あなたの入力は破棄されます。") if current.deleted else
            self.tr("あなたの入力は破棄し、いま保存されている内容を画面に読み込みます。"))
        self.mine_button = push_button(
            self.tr("自分の入力で上書き保存"), lambda: self._choose(SAVE_MINE),
            self.tr("いま保存されている内容を、あなたの入力で置き換えます（表のすべての項目があなたの入力の値になります）。"))
        self.mine_button.setVisible(not current.deleted)
        self.back_button = push_button(self.tr("入力に戻る"), lambda: self._choose(BACK),
                                       self.tr("何も保存せずに入力に戻ります（Esc）。"))
        for button in (self.keep_button, self.mine_button, self.back_button):
            button.setAutoDefault(False)
            button.setDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.mine_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        # Tab: the table (to read the values), then the choices in the order they are seen.
        QWidget.setTabOrder(self.table, self.keep_button)
        QWidget.setTabOrder(self.keep_button, self.mine_button)
        QWidget.setTabOrder(self.mine_button, self.back_button)
        # As tall as the rows need (a few, usually), within the smallest window (1024×680).
        self.resize(760, min(520, 260 + 32 * len(self.model.rows)))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        (self.table if self.model.rows else self.keep_button).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == BACK:
            self.reject()
        else:
            self.accept()

    def rows(self) -> list[list[str]]:
        """What the table shows: a field's label, then the stored value and the person's (for checks)."""
        return [[row.label, *(self.model.cell_text(row, i) for i in range(2))] for row in self.model.rows]
