"""暗号化の宛先: the age recipients a package with contacts is encrypted to (SYNC_FORMAT §7) —
the secretariat's arrives with its national package; one can be added by hand — and this
installation's own recipient, to give to those who encrypt to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORG_CODES, SECRETARIAT
from jcim_desktop.errors import UserError
from jcim_desktop.services import encryption
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops, palette, window_state
from jcim_desktop.ui.rows_model import Column, RowsModel
from jcim_desktop.ui.widgets.buttons import push_button

FOLDERS = "sync"


def _monospace() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def _added(row: encryption.Recipient) -> str:
    try:
        return fmt.date_label(dt.datetime.fromisoformat(row.added_at).date())
    except ValueError:
        return row.added_at


class RecipientsModel(RowsModel[encryption.Recipient]):
    """The known recipients: whose, from where, since when, and the recipient itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("組織"), lambda r: r.org or "",
                   text=lambda r: labels.org(r.org) if r.org else self.tr("（未設定）")),
            Column(self.tr("入手元"), lambda r: r.source,
                   text=lambda r: self.tr("手で登録") if r.by_hand else self.tr("パッケージから")),
            Column(self.tr("登録日"), lambda r: r.added_at, text=_added),
            Column(self.tr("受信者"), lambda r: r.recipient, tooltip=lambda r: r.recipient),
        ])

    def row_at(self, index: int) -> encryption.Recipient | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None


class RecipientsDialog(QDialog):
    """Who packages with contacts are encrypted to; add one (pasted or from a file), remove one."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("暗号化の宛先"))
        self.setMinimumWidth(720)

        intro = QLabel(self.tr(
            "担当者連絡先（個人情報）を含むパッケージは、ここにある受信者（age1…）宛てに暗号化して書き出します。"
            "開けるのは、その受信者の端末だけです。事務局の受信者は、事務局の全国パッケージを取り込むと自動で登録されます。"
            "まだ届いていないときは、事務局から受信者（age1… の 1 行）を受け取って追加してください。"
        ))
        intro.setWordWrap(True)

        own_caption = QLabel(self.tr("この端末の受信者"))
        self.own_edit = QLineEdit(encryption.own_recipient_or_none(ctx) or "")
        self.own_edit.setObjectName("ownRecipient")
        self.own_edit.setReadOnly(True)
        self.own_edit.setFont(_monospace())
        self.own_edit.setCursorPosition(0)  # its start (age1…) in view
        self.own_edit.setMinimumWidth(self.own_edit.fontMetrics().horizontalAdvance(self.own_edit.text()) + 16)
        self.copy_button = push_button(self.tr("コピー"), self.copy_own,
                                       self.tr("この端末の受信者をクリップボードにコピーします"))
        own_row = QHBoxLayout()
        own_row.addWidget(own_caption)
        own_row.addWidget(self.own_edit, 1)
        own_row.addWidget(self.copy_button)

        self.model = RecipientsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(130)
        header = self.table.horizontalHeader()
        for col, width in enumerate((130, 110, 100)):
            self.table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel(self.tr("登録されている受信者はまだありません。"))
        self.empty.setObjectName("muted")
        self.empty.setStyleSheet(palette.colour(palette.MUTED))

        self.recipient_edit = QLineEdit()
        self.recipient_edit.setObjectName("recipientEdit")
        self.recipient_edit.setPlaceholderText(self.tr("age1… で始まる受信者を貼り付け"))
        self.recipient_edit.setFont(_monospace())
        self.recipient_edit.textChanged.connect(lambda *_: self._update_buttons())
        self.recipient_edit.returnPressed.connect(self.add_typed)
        self.org_combo = QComboBox()
        for code in ORG_CODES:
            self.org_combo.addItem(labels.org(code), code)
        self.org_combo.setCurrentIndex(max(0, self.org_combo.findData(SECRETARIAT)))
        self.add_button = push_button(self.tr("追加する"), self.add_typed)
        self.file_button = push_button(self.tr("ファイルから追加…"), self.add_from_file,
                                       self.tr("受け取る側が書き出した受信者のファイル（age1… の行）を選びます"))
        self.remove_button = push_button(self.tr("削除"), self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.recipient_edit, 1)
        add_row.addWidget(self.org_combo)
        add_row.addWidget(self.add_button)
        tools = QHBoxLayout()
        tools.addWidget(self.file_button)
        tools.addStretch(1)
        tools.addWidget(self.remove_button)

        self.message = QLabel()
        self.message.setObjectName("recipientMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("閉じる"))
        close.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(own_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(add_row)
        layout.addLayout(tools)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    # -- content ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.model.set_rows(encryption.list_recipients(self.ctx))
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.recipient_edit.text().strip()))
        self.remove_button.setEnabled(self.selected() is not None)
        self.copy_button.setEnabled(bool(self.own_edit.text()))

    def selected(self) -> encryption.Recipient | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _show(self, text: str, *, warning: bool = False) -> None:
        self.message.setStyleSheet(palette.colour(palette.ERROR if warning else palette.MUTED))
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _problem(self, error: UserError) -> None:
        self._show(error.message, warning=True)

    # -- actions ---------------------------------------------------------------------------------

    def copy_own(self) -> None:
        QGuiApplication.clipboard().setText(self.own_edit.text())
        self._show(self.tr("この端末の受信者をコピーしました。"))

    def add_typed(self) -> None:
        text = self.recipient_edit.text()
        if not text.strip():
            return
        if self._add([text]):
            self.recipient_edit.clear()

    def add_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("受信者のファイル"), str(window_state.last_folder(FOLDERS)),
                                              self.tr("受信者 (*.txt *.pub *.age.pub);;すべてのファイル (*)"))
        if not name:
            return
        recipients = ops.perform(self, lambda: encryption.read_recipients_file(Path(name)), failure=self._problem)
        if recipients is not None:
            self._add(recipients)

    def _add(self, recipients: list[str]) -> bool:
        ctx, org = self.ctx, str(self.org_combo.currentData())
        added = 0
        for text in recipients:
            def add(text: str = text) -> encryption.Recipient:
                return encryption.add_recipient(ctx, text, org=org)

            if ops.perform(self, add, failure=self._problem) is None:
                self.refresh()
                return False
            added += 1
        self.refresh()
        self._show(self.tr("%n 件の受信者を登録しました。", "", added))
        return True

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        ctx = self.ctx
        if ops.perform(self, lambda: encryption.remove_recipient(ctx, row.recipient), failure=self._problem) is None:
            return
        self.refresh()
        self._show(self.tr("受信者を削除しました。"))
