"""Settings: your name, language, data folder and backup folder."""

from __future__ import annotations

from pathlib import Path

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
from jcim_desktop.paths import platform_data_dir, remember_data_dir
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.sync import key_id

LANGUAGES = (("ja", "日本語"), ("en", "English（英語）"))


def _folder_row(edit: QLineEdit, title: str, parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton("参照…")

    def browse() -> None:
        chosen = QFileDialog.getExistingDirectory(parent, title, edit.text())
        if chosen:
            edit.setText(chosen)

    button.clicked.connect(browse)
    row.addWidget(button)
    return row


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("設定")
        self.setMinimumWidth(560)
        s = ctx.settings

        self.name_edit = QLineEdit(s.user_name)
        self.name_edit.setPlaceholderText("変更履歴に記録される名前")
        self.language = QComboBox()
        for code, label in LANGUAGES:
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, [c for c, _ in LANGUAGES].index(s.language)))
        self.data_dir_edit = QLineEdit(str(ctx.data_dir))
        self.backup_dir_edit = QLineEdit(str(s.resolved_backup_dir(ctx.data_dir)))
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(s.keep_backups)
        self.keep.setSuffix(" 世代")

        form = QFormLayout()
        form.addRow("あなたの名前", self.name_edit)
        form.addRow("表示言語", self.language)
        form.addRow("データフォルダ", _folder_row(self.data_dir_edit, "データフォルダを選ぶ", self))
        form.addRow("バックアップの保存先", _folder_row(self.backup_dir_edit, "バックアップの保存先を選ぶ", self))
        form.addRow("残すバックアップ", self.keep)
        from jcim_desktop.services.reports import pdf_font_description

        info = QLabel(
            f"組織: {ctx.org_name}　端末ID: {ctx.installation_id}\n鍵ID: {key_id(ctx.public_key)}\n"
            f"PDF の日本語フォント: {pdf_font_description()}"
        )
        info.setStyleSheet("color: #555;")
        for warning in ctx.db.warnings:
            form.addRow(QLabel(f"⚠ {warning}"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(buttons)

    def save(self) -> None:
        s = self.ctx.settings
        notes: list[str] = []
        s.user_name = self.name_edit.text().strip()
        language = str(self.language.currentData())
        if language != s.language:
            notes.append("表示言語は次に起動したときに切り替わります。")
        s.language = language
        backup = Path(self.backup_dir_edit.text().strip()) if self.backup_dir_edit.text().strip() else None
        default_backup = self.ctx.data_dir / "backups"
        s.backup_dir = str(backup) if backup and backup != default_backup else None
        s.keep_backups = self.keep.value()
        self.ctx.db.backup_dir = s.resolved_backup_dir(self.ctx.data_dir)
        self.ctx.db.keep_backups = s.keep_backups
        new_data = Path(self.data_dir_edit.text().strip()) if self.data_dir_edit.text().strip() else None
        try:
            self.ctx.save_settings()
            if new_data is not None and new_data != self.ctx.data_dir:
                remember_data_dir(None if new_data == platform_data_dir() else new_data)
        except UserError as exc:
            # A full disk or a read-only folder: the dialog stays open with what was typed.
            QMessageBox.warning(self, "設定", exc.message)
            return
        if new_data is not None and new_data != self.ctx.data_dir:
            notes.append(
                f"データフォルダを {new_data} に変更しました。次に起動したときから使います。"
                "今のデータを使い続けるには、今のフォルダの中身をそこへコピーしてください。"
            )
        if notes:
            QMessageBox.information(self, "設定", "\n".join(notes))
        self.accept()
