"""Moving to a new laptop in the window: the identity written out under a passphrase (設定's
「鍵を書き出す…」) and read in on the new laptop (the first-run dialog's 「古いパソコンの鍵を読み込む…」).

Both call ``services.identity`` (the command line's ``identity export/import`` are the same use
cases); the encryption with scrypt takes a second or two, so both run through ``ops`` off the
GUI thread. A mistake (a short or mismatched passphrase, a wrong passphrase, a file that is not
an export) is shown in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import backups
from jcim_desktop.services import identity as identity_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.sync import key_id
from jcim_desktop.ui import labels, ops, palette
from jcim_desktop.ui.widgets import tab_order

translate = QCoreApplication.translate

DEFAULT_FILE_NAME = "jcim-identity.age"


def key_file_filter() -> str:
    return translate("identity_dialogs", "鍵のファイル (*.age);;すべてのファイル (*)")


# The file choosers: module functions so that tests replace them (a native dialog never answered
# would hang the test).
def choose_save_file(parent: QWidget, title: str, suggested: Path) -> str:
    """The file to write chosen by the person ("" when they cancelled)."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), key_file_filter())
    return name


def choose_open_file(parent: QWidget, title: str, folder: Path) -> str:
    """The file to read chosen by the person ("" when they cancelled)."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), key_file_filter())
    return name


def _password_edit(placeholder: str, name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setObjectName(name)
    return edit


def _note(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class _IdentityDialog(QDialog):
    """What both dialogs share: a file field with 参照…, a message line, and a busy state in which
    the dialog neither closes nor starts the work twice."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(560)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("identityFileEdit")
        self.browse_button = QPushButton(self.tr("参照…"))
        self.browse_button.setObjectName("identityBrowseButton")
        self.browse_button.clicked.connect(lambda _checked=False: self._browse())
        self.error_label = _note("", "identityError")
        self.error_label.setStyleSheet(palette.colour(palette.ERROR))
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        self.busy = False

    def _file_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        return row

    def _fit(self) -> None:
        # Wrapped labels ask for a narrow, tall dialog: size it for the width it really has.
        width = max(self.sizeHint().width(), self.minimumWidth())
        self.resize(width, self.heightForWidth(width))

    def _browse(self) -> None:
        raise NotImplementedError

    def _start(self) -> None:
        raise NotImplementedError

    def tab_chain(self) -> list[QWidget]:
        raise NotImplementedError

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return tab_order.move_focus(self.tab_chain(), next) or super().focusNextPrevChild(next)

    def show_error(self, text: str, field: QLineEdit | None = None) -> None:
        """``text`` under the fields (nothing when empty); the focus to ``field``, its text selected."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self._fit_height()
        if field is not None:
            field.setFocus()
            field.selectAll()

    def _fit_height(self) -> None:
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.ok_button, self.browse_button):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:  # the work goes on; the dialog closes when it is done
            super().reject()


class ExportIdentityDialog(_IdentityDialog):
    """設定 → 「鍵を書き出す…」: this installation's identity to a file, encrypted with a passphrase
    typed twice. ``exported`` is set once the file is written."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exported: identity_service.IdentityExport | None = None
        self._confirmed: Path | None = None
        """The file the person chose in the file dialog (which already asked before replacing it)."""
        self.setWindowTitle(self.tr("鍵の書き出し（新しいパソコンへ移る）"))
        self.ok_button.setText(self.tr("書き出す"))

        what = _note(self.tr(
            "新しいパソコンへ移るときに使います。この端末の署名鍵と暗号鍵、組織と端末IDを1つのファイルに書き出し、"
            "パスフレーズで暗号化します。記録（ニーズ・シーズなど）は入りません。"), "exportWhat")
        danger = _note(self.tr(
            "このファイルとパスフレーズがあれば、だれでもこの端末として署名でき、この端末宛てに暗号化されたパッケージも"
            "開けます。ファイルとパスフレーズは別々に運び（ファイルは記憶媒体で、パスフレーズは口頭で、など）、"
            "新しいパソコンで読み込んだらファイルを削除してください。"), "exportDanger")
        danger.setStyleSheet(palette.colour(palette.CAUTION))
        records = _note(self.tr(
            "記録は、古いパソコンの最新のバックアップで移します。「ファイル」→「バックアップ…」で今のバックアップを作り、"
            "そのファイルも新しいパソコンへコピーしてください。"), "exportRecords")

        self.file_edit.setText(str(Path.home() / DEFAULT_FILE_NAME))
        self.file_edit.setAccessibleName(self.tr("書き出すファイル"))
        self.passphrase_edit = _password_edit(
            self.tr("{count} 文字以上").format(count=identity_service.MIN_PASSPHRASE), "passphraseEdit")
        self.passphrase_edit.setAccessibleName(self.tr("パスフレーズ"))
        self.confirm_edit = _password_edit(self.tr("もう一度入力してください"), "confirmEdit")
        self.confirm_edit.setAccessibleName(self.tr("パスフレーズ（確認）"))
        for edit in (self.file_edit, self.passphrase_edit, self.confirm_edit):
            edit.textEdited.connect(lambda _text: self.show_error(""))

        form = QFormLayout()
        form.addRow(self.tr("書き出すファイル"), self._file_row())
        form.addRow(self.tr("パスフレーズ"), self.passphrase_edit)
        form.addRow(self.tr("パスフレーズ（確認）"), self.confirm_edit)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(danger)
        layout.addWidget(records)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        tab_order.chain(self.tab_chain())
        self.passphrase_edit.setFocus()
        self._fit()

    def tab_chain(self) -> list[QWidget]:
        return [self.file_edit, self.browse_button, self.passphrase_edit, self.confirm_edit, self.buttons]

    def _browse(self) -> None:
        current = Path(self.file_edit.text().strip() or Path.home() / DEFAULT_FILE_NAME).expanduser()
        chosen = choose_save_file(self, self.tr("鍵の書き出し先"), current)
        if chosen:
            self.file_edit.setText(chosen)
            self._confirmed = Path(chosen)
            self.show_error("")

    def _start(self) -> None:
        if self.busy:
            return
        text = self.file_edit.text().strip()
        if not text:
            self.show_error(self.tr("書き出すファイルを指定してください。"), self.file_edit)
            return
        passphrase = self.passphrase_edit.text()
        try:
            identity_service.check_passphrase(passphrase)
        except ValidationError as error:
            self.show_error(error.message, self.passphrase_edit)
            return
        if self.confirm_edit.text() != passphrase:
            self.show_error(self.tr("「パスフレーズ（確認）」が「パスフレーズ」と一致しません。"
                                    "同じパスフレーズを2回入力してください。"), self.confirm_edit)
            return
        out = Path(text).expanduser()
        if out.exists() and out != self._confirmed and not self._replace(out):
            return
        self.show_error("")
        self._set_busy(True)
        ctx = self.ctx
        ops.CollectionOp(self, lambda _progress: identity_service.export_identity(ctx, out, passphrase)) \
            .always(lambda: self._set_busy(False)) \
            .success(self._done) \
            .failure(lambda error: self.show_error(error.message, self.file_edit)) \
            .with_progress(self.tr("鍵を書き出しています…")).run_in_background()

    def _replace(self, out: Path) -> bool:
        answer = QMessageBox.question(
            self, self.tr("鍵の書き出し"), self.tr("{name} は既にあります。置き換えますか？").format(name=out.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, result: identity_service.IdentityExport) -> None:
        self.exported = result
        QMessageBox.information(self, self.tr("鍵の書き出し"), self.tr(
            "鍵を書き出しました。\n"
            "ファイル: {path}\n"
            "鍵ID: {key}\n\n"
            "このファイルとパスフレーズは別々に運んでください。新しいパソコンでは、初めて起動したときの初期設定で"
            "「古いパソコンの鍵を読み込む…」を押して読み込み、読み込んだらファイルを削除してください。"
        ).format(path=result.path, key=result.key_id))
        self.accept()


class ImportIdentityDialog(_IdentityDialog):
    """The first-run dialog's 「古いパソコンの鍵を読み込む…」: the export file and its passphrase make
    a new installation in ``data_dir`` with the old laptop's org and keys. ``imported`` carries the
    :class:`~jcim_desktop.services.identity.IdentityImport` (its context open) once it is made."""

    imported = Signal(object)

    def __init__(self, data_dir: Path, user_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.result_import: identity_service.IdentityImport | None = None
        self.setWindowTitle(self.tr("古いパソコンの鍵を読み込む"))
        self.ok_button.setText(self.tr("読み込む"))

        what = _note(self.tr(
            "古いパソコンの「設定」→「鍵を書き出す…」で書き出した鍵のファイルと、そのときのパスフレーズを入力してください。"
            "このパソコンで、古いパソコンと同じ組織・同じ鍵で始めます。事務局やほかの端末は、この端末のパッケージを"
            "今までどおり取り込めます。"), "importWhat")
        records = _note(self.tr(
            "鍵のファイルに記録は入っていません。読み込んだあと、古いパソコンから持ってきた最新のバックアップを復元してください。"
            "古いパソコンでは、もうこのアプリを使わないでください。"), "importRecords")
        records.setStyleSheet(palette.colour(palette.CAUTION))

        self.file_edit.setAccessibleName(self.tr("鍵のファイル"))
        self.file_edit.setPlaceholderText(self.tr("「参照…」で選んでください"))
        self.passphrase_edit = _password_edit(self.tr("書き出したときのパスフレーズ"), "passphraseEdit")
        self.passphrase_edit.setAccessibleName(self.tr("パスフレーズ"))
        self.name_edit = QLineEdit(user_name)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setPlaceholderText(self.tr("例: 山田 太郎"))
        self.name_edit.setAccessibleName(self.tr("あなたの名前"))
        for edit in (self.file_edit, self.passphrase_edit, self.name_edit):
            edit.textEdited.connect(lambda _text: self.show_error(""))
        folder = QLabel(self.tr("データフォルダ: {folder}").format(folder=data_dir))
        folder.setObjectName("importFolder")
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setStyleSheet(palette.colour(palette.MUTED))

        form = QFormLayout()
        form.addRow(self.tr("鍵のファイル"), self._file_row())
        form.addRow(self.tr("パスフレーズ"), self.passphrase_edit)
        form.addRow(self.tr("あなたの名前"), self.name_edit)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(records)
        layout.addLayout(form)
        layout.addWidget(folder)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        tab_order.chain(self.tab_chain())
        self.file_edit.setFocus()
        self._fit()

    def tab_chain(self) -> list[QWidget]:
        return [self.file_edit, self.browse_button, self.passphrase_edit, self.name_edit, self.buttons]

    def _browse(self) -> None:
        current = self.file_edit.text().strip()
        folder = Path(current).expanduser().parent if current else Path.home()
        chosen = choose_open_file(self, self.tr("古いパソコンで書き出した鍵のファイル"), folder)
        if chosen:
            self.file_edit.setText(chosen)
            self.show_error("")
            self.passphrase_edit.setFocus()

    def _start(self) -> None:
        if self.busy:
            return
        file = self.file_edit.text().strip()
        if not file:
            self.show_error(self.tr("鍵のファイルを指定してください。"), self.file_edit)
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.show_error(self.tr("書き出したときのパスフレーズを入力してください。"), self.passphrase_edit)
            return
        user_name = self.name_edit.text().strip()
        if not user_name:
            self.show_error(self.tr("名前を入力してください（変更履歴に記録されます）。"), self.name_edit)
            return
        self.show_error("")
        self._set_busy(True)
        data_dir = self.data_dir
        path = Path(file).expanduser()
        ops.CollectionOp(self, lambda _progress: identity_service.import_identity(path, passphrase, data_dir, user_name)) \
            .always(lambda: self._set_busy(False)) \
            .success(self._done) \
            .failure(lambda error: self._failed(error, path)) \
            .with_progress(self.tr("鍵を読み込んでいます…")).run_in_background()

    def _failed(self, error: UserError, path: Path) -> None:
        # Nothing was written (the service's promise). A file that is there was most likely
        # opened with a wrong passphrase: that field is ready to type again.
        self.show_error(error.message, self.passphrase_edit if path.is_file() else self.file_edit)

    def _done(self, result: identity_service.IdentityImport) -> None:
        self.result_import = result
        ctx = result.ctx
        QMessageBox.information(self, self.tr("鍵の読み込み"), self.tr(
            "鍵を読み込みました: {org}、鍵ID {key}\n\n"
            "続けて、古いパソコンから持ってきた最新のバックアップのファイルを、このパソコンのバックアップの保存先\n"
            "{folder}\n"
            "にコピーし、「ファイル」→「バックアップ…」でそのバックアップを選んで復元してください。\n\n"
            "バックアップがなければ、「同期」画面で事務局の公開鍵を信頼し直し、事務局の全国パッケージを取り込むと、"
            "送ってあった記録が戻ります。\n"
            "古いパソコンでは、もうこのアプリを使わないでください。"
        ).format(org=labels.org(ctx.org), key=key_id(ctx.public_key),
                 folder=backups.backup_dir(ctx.data_dir)))
        self.imported.emit(result)
        self.accept()
