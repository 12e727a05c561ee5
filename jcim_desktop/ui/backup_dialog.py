"""The バックアップ dialog, in two tabs.

バックアップ: the backups (newest first), a backup now, and restoring one. Restoring closes the
database, swaps in the backup (the current database is kept beside it) and hands the caller a
newly opened context: the main window then rebuilds itself on it.

取り込みの取り消し: the recent imports of sync packages, which can be undone without a backup
(``services.sync.undo_import``: each import is journalled). Undoing one also undoes every newer
one; it runs through ``ops`` (a write whose changes are announced, so the pages refresh) and is
refused, nothing written, when a record it changed has changed since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

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
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import backups, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.received import local_moment
from jcim_desktop.ui import fmt, labels, ops
from jcim_desktop.ui.fmt import datetime_label, size_label
from jcim_desktop.ui.language import QT_TRANSLATE_NOOP
from jcim_desktop.ui.pages.sync.wording import issue
from jcim_desktop.ui.rows_model import Column, RowsModel
from jcim_desktop.ui.widgets import tab_order
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import ColumnFitter, ColumnWidth, header_width, text_width

translate = QCoreApplication.translate
LONG_MOMENT = dt.datetime(2024, 12, 28, 23, 59, 59)
"""A moment whose label is as long as any (the 取り込んだ日時 column is as wide as it)."""
REASONS = {
    "daily": QT_TRANSLATE_NOOP("backup_dialog", "毎日の自動"),
    "import": QT_TRANSLATE_NOOP("backup_dialog", "取り込み前"),
    "upgrade": QT_TRANSLATE_NOOP("backup_dialog", "更新前"),
    "manual": QT_TRANSLATE_NOOP("backup_dialog", "手動"),
    "before-restore": QT_TRANSLATE_NOOP("backup_dialog", "復元前"),
}
"""What each backup was taken for, as the list shows it (取り込み前: taken by older versions,
which backed up before every import; 復元前: a shared database's state before a restore)."""


def reason_label(reason: str) -> str:
    return translate("backup_dialog", REASONS[reason]) if reason in REASONS else reason


class UndoableImport(Protocol):
    """An import that can be undone, as ``services.sync.undoable_imports`` lists it."""

    @property
    def received_id(self) -> int: ...
    @property
    def package_id(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def file_name(self) -> str: ...
    @property
    def received_at(self) -> str: ...
    @property
    def records(self) -> int: ...


def imported_when(found: UndoableImport) -> str:
    """When the import was made, as people read it (the stored text if it cannot be read)."""
    moment = local_moment(found.received_at)
    return datetime_label(moment) if moment is not None else found.received_at


class BackupDialog(QDialog):
    """Lists the backups and the imports that can be undone; ``new_ctx`` is set when a backup was
    restored (the old context is closed)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.new_ctx: AppContext | None = None
        self._undoing = False
        """An undo is under way (the button waits for it)."""
        self.setWindowTitle(self.tr("バックアップ"))
        self.resize(820, 500)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._backups_tab(), self.tr("バックアップ"))
        self.imports_tab = self._imports_tab()
        self.tabs.addTab(self.imports_tab, self.tr("取り込みの取り消し"))

        self.close_button = push_button(self.tr("閉じる"), self.reject)
        for button in (self.backup_button, self.restore_button, self.undo_button, self.close_button):
            button.setAutoDefault(False)
        self.close_button.setDefault(True)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(closing)
        tab_order.chain(self.tab_chain())

        self.found: list[backups.Backup] = []
        self.refresh()
        self.refresh_imports()
        self.table.setFocus()

    def _backups_tab(self) -> QWidget:
        page = QWidget()
        if self.ctx.db.shared:
            automatic = self.tr("共有データベースは、毎日その日最初に開いた職員の端末と、アプリの更新前に自動でバックアップされます。")
        else:
            automatic = self.tr("データベースは毎日の最初の起動時とアプリの更新前に自動でバックアップされます。")
        intro = QLabel(
            automatic + self.tr("選んだバックアップの時点に戻すことができます。"
                                "同期パッケージの取り込みは、「取り込みの取り消し」で取り消せます。")
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel(str(backups.backup_dir(self.ctx.data_dir)))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.keep_label = QLabel(str(self.ctx.settings.keep_backups))
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
        # A shared database is backed up once a day by whichever client opens it first: the
        # colleagues' dumps are in their folders, said here so nobody looks for a missing one.
        self.colleagues_label = QLabel()
        self.colleagues_label.setWordWrap(True)
        self.colleagues_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.backup_button = push_button(self.tr("今すぐバックアップ(&B)"), self.take_backup,
                                         self.tr("今のデータベースのバックアップを作ります"))
        self.restore_button = push_button(
            self.tr("選んだバックアップから復元(&R)…"), self.restore_selected,
            self.tr("選んだバックアップの時点に戻します（今のデータベースは同じフォルダに残します）"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.colleagues_label)
        layout.addLayout(buttons)
        return page

    def _imports_tab(self) -> QWidget:
        page = QWidget()
        keep = self.ctx.settings.keep_backups
        intro = QLabel(
            self.tr("同期パッケージの取り込みは、バックアップを使わずに取り消せます。取り消すと、その取り込みで"
                    "追加・変更された記録が取り込む前の状態に戻ります（新しい取り込みから順に取り消すため、"
                    "それより新しい取り込みもいっしょに取り消します）。取り消せるのは最近の %n 件の取り込みです。"
                    "それより前の状態には、「バックアップ」タブのバックアップから戻せます。", "", keep)
        )
        intro.setWordWrap(True)
        self.imports_intro = intro

        self.import_model: RowsModel[UndoableImport] = RowsModel([
            Column(self.tr("組織"), lambda u: u.org, text=lambda u: labels.org(u.org),
                   tooltip=lambda u: labels.org(u.org)),
            Column(self.tr("号"), lambda u: u.sequence, text=lambda u: issue(u.sequence)),
            Column(self.tr("ファイル名"), lambda u: u.file_name, tooltip=lambda u: u.file_name),
            Column(self.tr("取り込んだ日時"), lambda u: u.received_at, text=imported_when),
            Column(self.tr("件数"), lambda u: u.records, numeric=True,
                   header_tooltip=self.tr("その取り込みで追加・変更された記録の数")),
        ], self)
        self.import_table = QTableView()
        self.import_table.setModel(self.import_model)
        self.import_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.import_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.import_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.import_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.import_table.verticalHeader().setVisible(False)
        self.import_table.horizontalHeader().setHighlightSections(False)  # bold headers would not fit their widths
        self.import_table.setTabKeyNavigation(False)
        self.import_table.setWordWrap(False)
        self.import_fitter = ColumnFitter(self.import_table, self._import_widths)
        self.import_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.import_table.activated.connect(lambda _index: self.undo_selected())
        self.imports_empty_label = QLabel(self.tr("取り消せる取り込みはありません。"))
        self.imports_empty_label.hide()

        self.undo_button = push_button(
            self.tr("この取り込みを取り消す(&U)…"), self.undo_selected,
            self.tr("選んだ取り込みと、それより新しい取り込みを取り消します（取り消す前に確かめます）"))
        self.undo_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.import_table, 1)
        layout.addWidget(self.imports_empty_label)
        layout.addLayout(buttons)
        return page

    def _import_widths(self) -> list[ColumnWidth]:
        view = self.import_table
        heads = [header_width(view, column) for column in range(self.import_model.columnCount())]
        rows = self.import_model.rows
        issues = text_width(view, [issue(u.sequence) for u in rows] + [issue(999)])
        whens = text_width(view, [imported_when(u) for u in rows] + [datetime_label(LONG_MOMENT)])
        counts = text_width(view, [fmt.number(u.records) for u in rows] + [fmt.number(99_999)])
        return [
            ColumnWidth(170, max(heads[0], 90)),  # 組織: cut with its tool tip
            ColumnWidth.whole(max(heads[1], issues)),  # 号
            ColumnWidth(220, max(heads[2], 100), main=True),  # ファイル名: cut with its tool tip
            ColumnWidth.whole(max(heads[3], whens)),  # 取り込んだ日時
            ColumnWidth.whole(max(heads[4], counts)),  # 件数
        ]

    def tab_chain(self) -> list[QWidget]:
        """The inputs in the order they are seen (those of the tab not shown are skipped)."""
        return [self.tabs, self.table, self.backup_button, self.restore_button,
                self.import_table, self.undo_button, self.close_button]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return tab_order.move_focus(self.tab_chain(), next) or super().focusNextPrevChild(next)

    # The list of backups ------------------------------------------------------------------
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
        others = backups.colleagues_backups(self.ctx.data_dir, limit=3) if self.ctx.db.shared else []
        lines = [self.tr("ほかの職員が取った共有データベースのバックアップ（その人の端末にあります）:")] if others else []
        for recorded in others:
            lines.append(self.tr("{when}（{reason}）{name} — {file}").format(
                when=datetime_label(recorded.taken_at, seconds=False), reason=reason_label(recorded.reason),
                name=recorded.user_name or self.tr("名前なし"), file=recorded.file))
        self.colleagues_label.setText("\n".join(lines))
        self.colleagues_label.setVisible(bool(others))
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
        self.undo_button.setEnabled(self.selected_import() is not None and not self._undoing)

    # The list of imports ------------------------------------------------------------------
    def refresh_imports(self, select: int | None = None) -> None:
        """Read the imports that can be undone again (off the GUI thread); select the one
        received as ``select``, else the newest."""
        ctx = self.ctx
        ops.QueryOp(self, lambda progress: sync.undoable_imports(ctx),
                    success=lambda found: self._show_imports(found, select)).run_in_background()

    def _show_imports(self, found: Sequence[UndoableImport], select: int | None) -> None:
        self.import_model.set_rows(found)
        self.import_fitter.fit()
        self.imports_empty_label.setVisible(not found)
        if found:
            row = next((i for i, u in enumerate(found) if u.received_id == select), 0)
            self.import_table.selectRow(row)
        self._update_buttons()

    def selected_import(self) -> UndoableImport | None:
        rows = self.import_table.selectionModel().selectedRows()
        return self.import_model.row_at(rows[0].row()) if rows else None

    def undone_with(self, chosen: UndoableImport) -> list[UndoableImport]:
        """What undoing ``chosen`` undoes, newest first: it and every newer import."""
        return [u for u in self.import_model.rows if u.received_id >= chosen.received_id]

    def import_line(self, found: UndoableImport) -> str:
        """One import as the confirmation and the result list it: who and which, then its file."""
        return self.tr("・{org} {issue}（{when} 取り込み、{count}）\n　{file}").format(
            org=labels.org(found.org), issue=issue(found.sequence), file=found.file_name,
            when=imported_when(found), count=fmt.count(found.records))

    # Actions -----------------------------------------------------------------------------
    def take_backup(self) -> None:
        self.backup_button.setEnabled(False)

        ctx = self.ctx
        ops.QueryOp(self, lambda progress: backups.take_backup(ctx), success=lambda made: self.refresh(select=made.path)) \
            .always(lambda: self.backup_button.setEnabled(True)) \
            .with_progress(self.tr("バックアップを作っています…")).run_in_background()

    def confirm_restore(self, backup: backups.Backup, kept_name: str | None, shared: str | None = None) -> bool:
        """Ask before restoring: where the current data stay (``kept_name``: the SQLite file's new
        name), or for a ``shared`` database (its location) that everyone's data go back."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("バックアップから復元"))
        box.setText(self.tr("{when}（{reason}）のバックアップから復元しますか？").format(
            when=datetime_label(backup.taken_at), reason=reason_label(backup.reason)))
        when = datetime_label(backup.taken_at)
        if shared is not None:
            box.setInformativeText(
                self.tr("これは共有データベース（{location}）です。復元すると、使っている全員のデータが {when} の"
                        "時点に戻ります。\n復元する前の状態は、バックアップの一覧に「復元前」として残します。\n"
                        "ほかの職員が JCIM Desktop を開いているあいだは復元できません。全員に閉じてもらってから"
                        "行ってください。\n{when} より後に入力・取り込みした変更は、復元したデータには含まれません。").format(
                    location=shared, when=when)
            )
        else:
            box.setInformativeText(
                self.tr("今のデータベースは {name} として同じフォルダに残します。\n"
                        "{when} より後に入力・取り込みした変更は、復元したデータには含まれません。").format(
                    name=kept_name, when=when)
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
        shared = backups.shared_location(self.ctx)
        kept = None if shared is not None else backups.kept_name_preview(self.ctx.data_dir)
        if not self.confirm_restore(backup, kept.name if kept is not None else None, shared):
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
        if result.kept is not None and result.shared is not None:
            lines.append(self.tr("復元する前の共有データベースは {name} としてバックアップしました。").format(
                name=result.kept.name))
        elif result.kept is not None:
            lines.append(self.tr("今までのデータベースは {name} として残しました。").format(name=result.kept.name))
        if result.shared is not None and result.renewed > 1:
            lines.append(self.tr("共有データベースを使うほかの職員の端末も、次に開いたときから新しい端末IDで続けます。"))
        QMessageBox.information(self, self.tr("バックアップから復元"), "\n".join(lines))
        self.accept()

    def confirm_undo(self, undone: list[UndoableImport]) -> bool:
        """Ask before undoing ``undone`` (newest first), naming each import."""
        n = len(undone)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("取り込みの取り消し"))
        box.setText(self.tr("次の %n 件の取り込みを取り消しますか？", "", n))
        lines = [self.import_line(u) for u in undone]
        notes = []
        if n > 1:
            notes.append(self.tr("取り込みは新しいものから順に取り消すため、選んだ取り込みより新しい取り込みも"
                                 "いっしょに取り消します。"))
        notes.append(self.tr("取り込んだ記録がそのあとで変更されているときは、その変更が失われないよう取り消しをやめ、"
                             "何も変更しません。"))
        notes.append(self.tr("取り消したパッケージは、あとでもう一度取り込めます。"))
        box.setInformativeText("\n".join(lines) + "\n\n" + "\n".join(notes))
        undo = box.addButton(self.tr("取り消す"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("取り消さない"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is undo

    def undo_selected(self) -> None:
        """Undo the chosen import and every newer one, after asking; the pages hear of it."""
        chosen = self.selected_import()
        if chosen is None or self._undoing:
            return
        undone = self.undone_with(chosen)
        if not self.confirm_undo(undone):
            return
        ctx = self.ctx
        confirmed = [u.received_id for u in undone]
        target = str(chosen.received_id)
        list_changed = self.tr("取り込みの一覧が変わっていたため、取り消しませんでした（何も変更していません）。"
                               "一覧を読み直したので、もう一度選んでください。")

        def undo(_progress: ops.Progress) -> sync.UndoneImport:
            # What the person confirmed is exactly what is undone: an import that arrived since
            # the list was read (the worker runs one piece of work at a time) stops it.
            now = [u.received_id for u in sync.undoable_imports(ctx) if u.received_id >= chosen.received_id]
            if now != confirmed:
                raise UserError(list_changed)
            return sync.undo_import(ctx, target)

        self._undoing = True
        self._update_buttons()
        ops.CollectionOp(self, undo) \
            .success(self._undone) \
            .failure(self._undo_refused) \
            .always(lambda: self._undo_over(chosen.received_id)) \
            .with_progress(self.tr("取り込みを取り消しています…")).run_in_background()

    def _undo_over(self, chosen: int) -> None:
        """Read the list again; after a refusal the chosen import stays selected."""
        self._undoing = False
        self.refresh_imports(select=chosen)

    def _undone(self, result: sync.UndoneImport) -> None:
        n = len(result.undone)
        lines = [self.tr("%n 件の取り込みを取り消しました。", "", n), ""]
        lines.extend(self.import_line(u) for u in result.undone)
        lines.extend(["", self.tr("取り消したパッケージは、あとでもう一度取り込めます。")])
        QMessageBox.information(self, self.tr("取り込みの取り消し"), "\n".join(lines))

    def _undo_refused(self, error: UserError) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("取り込みの取り消し"))
        box.setText(self.tr("取り込みを取り消せませんでした。"))
        box.setInformativeText(error.message)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
