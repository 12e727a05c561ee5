"""Settings: your name, language, data folder and backup folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import encryption
from jcim_desktop.services import identity as identity_service
from jcim_desktop.services import settings as settings_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.reports import PdfFont
from jcim_desktop.services.sync import key_id
from jcim_desktop.ui import labels, language, ops, palette
from jcim_desktop.ui.widgets.buttons import push_button

LANGUAGE_NAMES = (("ja", "日本語"), ("en", "English"))
"""Each language named in itself, so a person can find theirs whatever the window speaks."""


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: settings_service.SettingsSaved | None = None
        self.setWindowTitle(self.tr("設定"))
        self.setMinimumWidth(560)
        s = ctx.settings

        self.name_edit = QLineEdit(s.user_name)
        self.name_edit.setPlaceholderText(self.tr("変更履歴に記録される名前"))
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, [c for c, _ in LANGUAGE_NAMES].index(s.language)))
        self.data_dir_edit = QLineEdit(str(ctx.data_dir))
        self.backup_dir_edit = QLineEdit(str(s.resolved_backup_dir(ctx.data_dir)))
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(s.keep_backups)
        self.keep.setSuffix(self.tr(" 世代"))

        form = QFormLayout()
        form.addRow(self.tr("あなたの名前"), self.name_edit)
        form.addRow(self.tr("表示言語"), self.language)
        form.addRow(self.tr("データフォルダ"), self._folder_row(self.data_dir_edit, self.tr("データフォルダを選ぶ")))
        form.addRow(self.tr("バックアップの保存先"),
                    self._folder_row(self.backup_dir_edit, self.tr("バックアップの保存先を選ぶ")))
        form.addRow(self.tr("残すバックアップ"), self.keep)
        form.addRow(self.tr("暗号化の受信者"), self._recipient_row(ctx))
        from jcim_desktop.services.reports import pdf_font

        info = QLabel("\n".join([
            self.tr("組織: {org}　端末ID: {installation}").format(org=labels.org(ctx.org), installation=ctx.installation_id),
            self.tr("鍵ID: {key}").format(key=key_id(ctx.public_key)),
            self.tr("PDF の日本語フォント: {font}").format(font=self._font_text(pdf_font())),
        ]))
        info.setObjectName("settingsInfo")
        info.setWordWrap(True)
        info.setStyleSheet("color: #555;")
        for warning in ctx.db.warnings:
            form.addRow(QLabel(f"⚠ {warning}"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        self.key_note = self._key_note(ctx)
        # Moving to a new laptop starts here: the keys the note is about, under a passphrase.
        self.export_identity_button = push_button(
            self.tr("鍵を書き出す…"), self.open_export_identity,
            self.tr("新しいパソコンへ移るときに、この端末の鍵をパスフレーズで守って1つのファイルに書き出します"))
        self.export_identity_button.setObjectName("exportIdentityButton")
        self.export_identity_button.setAutoDefault(False)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_note, 1)
        key_row.addWidget(self.export_identity_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(key_row)
        layout.addWidget(buttons)
        # A wrapped label's size hint assumes a narrow label (a gap above and below the key note):
        # size the dialog for the width it really has.
        width = max(self.sizeHint().width(), self.minimumWidth())
        self.resize(width, self.heightForWidth(width))

    def _key_note(self, ctx: AppContext) -> QLabel:
        """Where the signing and encryption keys are kept: a warning when only in files."""
        where = identity_service.key_protection(ctx)
        if where.protected:
            text = self.tr("署名鍵と暗号鍵は OS の資格情報ストア（Windows 資格情報マネージャー／macOS キーチェーン／"
                           "Secret Service）に保存しています。")
        elif where.store_available:
            text = self.tr("⚠ 署名鍵と暗号鍵を OS の資格情報ストアに移せなかったため、ファイル（{folder}）に保存しています。"
                           "このパソコンの利用者アカウントを他の人と共有しないでください。次に起動したときにもう一度移します。"
                           ).format(folder=where.folder)
        else:
            text = self.tr("⚠ この端末には OS の資格情報ストアがないため、署名鍵と暗号鍵はファイル（{folder}）に保存しています。"
                           "このパソコンの利用者アカウントを他の人と共有しないでください。").format(folder=where.folder)
        note = QLabel(text)
        note.setObjectName("keyStoreNote")
        note.setWordWrap(True)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note.setStyleSheet(palette.colour(palette.MUTED if where.protected else palette.CAUTION))
        return note

    def open_export_identity(self) -> None:
        """「鍵を書き出す…」: the identity to a passphrase-protected file, for a new laptop."""
        from jcim_desktop.ui.identity_dialogs import ExportIdentityDialog

        dialog = ExportIdentityDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _recipient_row(self, ctx: AppContext) -> QHBoxLayout:
        """This installation's age recipient (SYNC_FORMAT §7), to copy for those who encrypt to it."""
        self.recipient_edit = QLineEdit(encryption.own_recipient_or_none(ctx) or "")
        self.recipient_edit.setObjectName("ageRecipient")
        self.recipient_edit.setReadOnly(True)
        self.recipient_edit.setCursorPosition(0)  # its start (age1…) in view
        self.recipient_edit.setToolTip(self.tr("ほかの端末が、担当者連絡先を含むパッケージをこの端末宛てに暗号化する"
                                               "ときの宛先です。「コピー」で写して、送り主に渡してください。"))
        self.copy_recipient_button = QPushButton(self.tr("コピー"))
        self.copy_recipient_button.setEnabled(bool(self.recipient_edit.text()))
        self.copy_recipient_button.clicked.connect(
            lambda _checked=False: QGuiApplication.clipboard().setText(self.recipient_edit.text()))
        row = QHBoxLayout()
        row.addWidget(self.recipient_edit, 1)
        row.addWidget(self.copy_recipient_button)
        return row

    def _font_text(self, font: PdfFont) -> str:
        if font.embedded and language.current() == "ja":
            return self.tr("{name}（{file}、PDFに埋め込み）").format(name=font.name, file=font.file_name)
        if font.embedded:  # the file's name: the font's own name is Japanese
            return self.tr("{file}（PDFに埋め込み）").format(file=font.file_name)
        return self.tr("PDF標準のCIDフォント（埋め込みなし：閲覧環境によって字形が変わります）")

    def _folder_row(self, edit: QLineEdit, title: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        button = QPushButton(self.tr("参照…"))

        def browse() -> None:
            chosen = QFileDialog.getExistingDirectory(self, title, edit.text())
            if chosen:
                edit.setText(chosen)

        button.clicked.connect(browse)
        row.addWidget(button)
        return row

    def change(self) -> settings_service.SettingsChange:
        def folder(edit: QLineEdit) -> Path | None:
            text = edit.text().strip()
            return Path(text) if text else None

        return settings_service.SettingsChange(
            user_name=self.name_edit.text(),
            language=str(self.language.currentData()),
            data_dir=folder(self.data_dir_edit),
            backup_dir=folder(self.backup_dir_edit),
            keep_backups=self.keep.value(),
        )

    def save(self) -> None:
        change = self.change()

        def show(error: UserError) -> None:
            # A full disk or a read-only folder: the dialog stays open with what was typed.
            QMessageBox.warning(self, self.tr("設定"), error.message)

        saved = ops.perform(self, lambda: settings_service.change_settings(self.ctx, change), failure=show)
        if saved is None:
            return
        self.saved = saved
        notes: list[str] = []
        if saved.language_changed:
            notes.append(self.tr("表示言語は次に起動したときに切り替わります。"))
        if saved.new_data_dir is not None:
            notes.append(self.tr("データフォルダを {folder} に変更しました。次に起動したときから使います。"
                                 "今のデータを使い続けるには、今のフォルダの中身をそこへコピーしてください。")
                         .format(folder=saved.new_data_dir))
        if notes:
            QMessageBox.information(self, self.tr("設定"), "\n".join(notes))
        self.accept()
