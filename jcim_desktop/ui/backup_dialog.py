"""The バックアップ dialog: the backups (newest first), a backup now, and restoring one.

Restoring closes the database, swaps in the backup (the current database is kept beside it)
and hands the caller a newly opened context: the main window then rebuilds itself on it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import backups
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops
from jcim_desktop.ui.fmt import datetime_label, size_label
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.widgets.buttons import push_button

translate = QCoreApplication.translate
REASONS = {
    "daily": QT_TRANSLATE_NOOP("backup_dialog", "毎日の自動"),
    "import": QT_TRANSLATE_NOOP("backup_dialog", "取り込み前"),
    "upgrade": QT_TRANSLATE_NOOP("backup_dialog", "更新前"),
    "manual": QT_TRANSLATE_NOOP("backup_dialog", "手動"),
}
"""What each backup was taken for, as the list shows it."""


def reason_label(reason: str) -> str:
    return translate("backup_dialog", REASONS[reason]) if reason in REASONS else reason


class BackupDialog(QDialog):
    """Lists the backups; ``new_ctx`` is set when one was restored (the old context is closed)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.new_ctx: AppContext | None = None
        self.setWindowTitle(self.tr("バックアップ"))
        self.resize(780, 440)

        intro = QLabel(
            self.tr("データベースは毎日の最初の起動時、同期パッケージの取り込み前、アプリの更新前に自動でバックアップされます。"
            "選んだバックアップの時点に戻すことができます。")
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel(str(backups.backup_dir(ctx.data_dir)))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_label = QLabel(str(ctx.settings.keep_backups))
        form = QFormLayout()
        form.addRow(self.tr("保存先"), self.folder_label)
        form.addRow(self.tr("残す数（古いものから削除）"), self.keep_label)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("日時"), self.tr("種類"), self.tr("大きさ"), self.tr("ファイル名")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((210, 110, 90)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.restore_selected())
        self.empty_label = QLabel(self.tr("バックアップはまだありません。「今すぐバックアップ」で作れます。"))

        self.backup_button = push_button(self.tr("今すぐバックアップ(&B)"), self.take_backup,
                                         self.tr("今のデータベースのバックアップを作ります"))
        self.restore_button = push_button(
            self.tr("選んだバックアップから復元(&R)…"), self.restore_selected,
            self.tr("選んだバックアップの時点に戻します（今のデータベースは同じフォルダに残します）"))
        self.close_button = push_button(self.tr("閉じる"), self.reject)
        for button in (self.backup_button, self.restore_button, self.close_button):
            button.setAutoDefault(False)
        self.close_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.setTabOrder(self.table, self.backup_button)
        self.setTabOrder(self.backup_button, self.restore_button)
        self.setTabOrder(self.restore_button, self.close_button)

        self.found: list[backups.Backup] = []
        self.refresh()
        self.table.setFocus()

    # The list ----------------------------------------------------------------------------
    def refresh(self, select: object = None) -> None:
        self.found = backups.list_backups(self.ctx.data_dir)
        self.table.setRowCount(len(self.found))
        for row, backup in enumerate(self.found):
            cells = (datetime_label(backup.taken_at), reason_label(backup.reason), size_label(backup.size),
                     backup.path.name)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        self.empty_label.setVisible(not self.found)
        chosen = next((row for row, b in enumerate(self.found) if b.path == select), 0)
        if self.found:
            self.table.selectRow(chosen)
        self._update_buttons()

    def selected(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.found[row] if 0 <= row < len(self.found) else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # Actions -----------------------------------------------------------------------------
    def take_backup(self) -> None:
        self.backup_button.setEnabled(False)

        ctx = self.ctx
        ops.QueryOp(self, lambda progress: backups.take_backup(ctx), success=lambda made: self.refresh(select=made.path)) \
            .always(lambda: self.backup_button.setEnabled(True)) \
            .with_progress(self.tr("バックアップを作っています…")).run_in_background()

    def confirm_restore(self, backup: backups.Backup, kept_name: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("バックアップから復元"))
        box.setText(self.tr("{when}（{reason}）のバックアップから復元しますか？").format(
            when=datetime_label(backup.taken_at), reason=reason_label(backup.reason)))
        box.setInformativeText(
            self.tr("今のデータベースは {name} として同じフォルダに残します。\n"
                    "{when} より後に入力・取り込みした変更は、復元したデータには含まれません。").format(
                name=kept_name, when=datetime_label(backup.taken_at))
        )
        restore = box.addButton(self.tr("復元する"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("やめる"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        kept = backups.kept_name_preview(self.ctx.data_dir)
        if not self.confirm_restore(backup, kept.name):
            return
        ops.wait_for_all()  # nothing may be reading or writing while the file is swapped
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new_ctx, result = backups.restore_and_reopen(self.ctx, backup.path, kept=kept)
        except UserError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("バックアップから復元"), exc.message)
            self.refresh()
            return
        QGuiApplication.restoreOverrideCursor()
        self.new_ctx = new_ctx
        lines = [self.tr("{when} のバックアップから復元しました。").format(when=datetime_label(backup.taken_at))]
        if result.kept is not None:
            lines.append(self.tr("今までのデータベースは {name} として残しました。").format(name=result.kept.name))
        QMessageBox.information(self, self.tr("バックアップから復元"), "\n".join(lines))
        self.accept()
