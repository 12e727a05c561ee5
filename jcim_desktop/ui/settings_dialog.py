"""Settings: your name, language, data folder, database (this folder's SQLite or a shared
PostgreSQL one, with a connection test) and backup folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import encryption
from jcim_desktop.services import identity as identity_service
from jcim_desktop.services import settings as settings_service
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.database_admin import InstallationInfo, list_installations
from jcim_desktop.services.reports import PdfFont
from jcim_desktop.services.sync import key_id
from jcim_desktop.ui import fmt, labels, language, ops, palette
from jcim_desktop.ui.rows_model import Column, RowsModel
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import CELL_PADDING, ColumnFitter, ColumnWidth, header_width

LANGUAGE_NAMES = (("ja", "日本語"), ("en", "English"))
"""Each language named in itself, so a person can find theirs whatever the window speaks."""
LONG_MOMENT = dt.datetime(2024, 12, 28, 23, 59, 59)
"""A moment whose label is as long as they come (the width of the date columns)."""


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment in this computer's time zone (as the other lists show moments)."""
    return moment.astimezone() if moment is not None and moment.tzinfo is not None else moment


class InstallationsModel(RowsModel[InstallationInfo]):
    """The installations writing to the shared database; this one in bold."""

    def cell_data(self, row: InstallationInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.is_this:
            font = QFont()
            font.setBold(True)
            return font
        return None


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: settings_service.SettingsSaved | None = None
        self._sized = False
        """Whether the dialog has its first size (from then on it fits what the database rows say)."""
        self.setWindowTitle(self.tr("設定"))
        self.setMinimumWidth(800 if ctx.db.shared else 560)  # room for the list of installations
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
        self._database_rows(form, ctx)
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
        self._sized = True

    def _fit_height(self) -> None:
        """After the connection test's words change: as high as the dialog's width needs (a longer
        text is not cut off, a shorter one leaves no gap), and wider if a word of it (a server's
        socket path) is wider than the dialog."""
        layout = self.layout()
        if self._sized and layout is not None:
            layout.activate()  # the wrapped label's new height, not the one laid out for its old words
            # The layout does not set the dialog's minimum (setMinimumWidth did): widen by hand.
            width = max(self.width(), layout.totalMinimumSize().width())
            self.resize(width, self.heightForWidth(width))

    # The database ----------------------------------------------------------------------------
    def _database_rows(self, form: QFormLayout, ctx: AppContext) -> None:
        """データベース: this folder's SQLite file or a shared PostgreSQL database (its URL, with a
        connection test); the choice applies from the next start."""
        saved_url = ctx.settings.database_url
        self.database_choice = QComboBox()
        self.database_choice.setObjectName("databaseChoice")
        self.database_choice.addItem(self.tr("このデータフォルダ（SQLite）"), False)
        self.database_choice.addItem(self.tr("共有データベース（PostgreSQL）"), True)
        self.database_choice.setCurrentIndex(1 if saved_url else 0)
        self.url_edit = QLineEdit(saved_url or "")
        self.url_edit.setCursorPosition(0)  # its start (postgresql+psycopg://利用者@…) in view
        self.url_edit.setObjectName("databaseUrl")
        self.url_edit.setToolTip(self.tr("postgresql+psycopg://利用者@サーバー/データベース名"))
        self.test_button = push_button(self.tr("接続テスト"), self.test_database,
                                       self.tr("この URL のデータベースに接続できるか、いま確かめます（何も変更しません）"))
        self.test_button.setObjectName("databaseTestButton")
        self.test_button.setAutoDefault(False)
        self.test_result = QLabel()
        self.test_result.setObjectName("databaseTestResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_test_text(self._url_hint(), palette.MUTED)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.test_button)
        # The result under the URL in one column of its own: a form gives a wrapped label of its
        # own row twice the height it needs.
        url_column = QVBoxLayout()
        url_column.addLayout(url_row)
        url_column.addWidget(self.test_result)
        if settings_service.database_overridden():
            where = ctx.db.location if ctx.db.shared else self.tr("このデータフォルダ（SQLite）")
            override = QLabel(self.tr("⚠ この起動では --database-url（または環境変数 JCIM_DESKTOP_DATABASE_URL）で"
                                      "指定されたデータベース（{where}）を使っています。ここでの選択は、"
                                      "それを指定せずに起動したときに使われます。").format(where=where))
            override.setObjectName("databaseOverride")
            override.setWordWrap(True)
            override.setStyleSheet(palette.colour(palette.CAUTION))
            url_column.addWidget(override)
        form.addRow(self.tr("データベース"), self.database_choice)
        form.addRow(self.tr("共有データベースの URL"), url_column)
        if ctx.db.shared:
            form.addRow(self.tr("書き込んでいる端末"), self._installations_list(ctx))
        self.database_choice.currentIndexChanged.connect(self._database_choice_changed)
        self.url_edit.textEdited.connect(lambda _text: self._show_test_text(self._url_hint(), palette.MUTED))
        self._database_choice_changed()

    def _installations_list(self, ctx: AppContext) -> QVBoxLayout:
        """The installations writing to the shared database in use (each person's data folder),
        read off the GUI thread."""
        this_one = self.tr("{org}（この端末）")

        def org_text(info: InstallationInfo) -> str:
            return this_one.format(org=labels.org(info.org)) if info.is_this else labels.org(info.org)

        def registered(info: InstallationInfo) -> str:
            moment = _local(info.created_at)
            return fmt.date_label(moment.date()) if moment is not None else ""

        def latest(info: InstallationInfo) -> str:
            moment = _local(info.latest_change)
            return fmt.date_label(moment.date()) if moment is not None else self.tr("なし")

        def latest_moment(info: InstallationInfo) -> str:
            moment = _local(info.latest_change)
            return fmt.datetime_label(moment) if moment is not None else self.tr("まだ変更はありません")

        self.installations_model = InstallationsModel([
            Column(self.tr("組織"), lambda i: i.org, text=org_text, tooltip=org_text),
            Column(self.tr("鍵ID"), lambda i: i.key_id, tooltip=lambda i: self.tr("端末ID: {id}").format(id=i.id)),
            Column(self.tr("登録日"), lambda i: i.created_at, text=registered),
            Column(self.tr("最新の変更"), lambda i: i.latest_change, text=latest, tooltip=latest_moment,
                   header_tooltip=self.tr("その端末がこのデータベースで最後に記録を変更した日時"
                                          "（パッケージの取り込みは含みません）")),
        ], self)
        view = QTableView()
        view.setObjectName("installationsTable")
        view.setModel(self.installations_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setHighlightSections(False)
        view.setTabKeyNavigation(False)
        view.setWordWrap(False)
        rows = 3  # a secretariat's few staff without scrolling; more scroll
        view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows * view.verticalHeader().defaultSectionSize()
                            + 2 * view.frameWidth())
        self.installations_view = view

        def widths() -> list[ColumnWidth]:
            heads = [header_width(view, column) for column in range(self.installations_model.columnCount())]
            listed = self.installations_model.rows
            bold = QFont(view.font())
            bold.setBold(True)
            metrics = QFontMetrics(bold)  # this installation's row is bold: the widest a cell gets

            def needs(texts: list[str]) -> int:
                return max(metrics.horizontalAdvance(t) for t in texts) + CELL_PADDING

            dates = [fmt.date_label(LONG_MOMENT.date())]
            return [
                ColumnWidth(220, max(heads[0], 100), main=True),  # 組織: cut with its tool tip
                ColumnWidth.whole(max(heads[1], needs([i.key_id for i in listed] + ["0000-0000-0000-0000"]))),
                ColumnWidth.whole(max(heads[2], needs([registered(i) for i in listed] + dates))),
                ColumnWidth.whole(max(heads[3], needs([latest(i) for i in listed] + dates))),
            ]

        self.installations_fitter = ColumnFitter(view, widths)
        self.installations_note = QLabel(self.tr("読み込んでいます…"))
        self.installations_note.setObjectName("installationsNote")
        self.installations_note.setWordWrap(True)
        self.installations_note.setStyleSheet(palette.colour(palette.MUTED))
        column = QVBoxLayout()
        column.addWidget(view)
        column.addWidget(self.installations_note)

        def listed(found: list[InstallationInfo]) -> None:
            self.installations_model.set_rows(found)
            self.installations_fitter.fit()
            self.installations_note.setText(
                self.tr("%n 台の端末がこのデータベースに書き込んでいます（太字がこの端末）。", "", len(found)))
            self._fit_height()

        def failed(error: UserError) -> None:
            self.installations_note.setText("⚠ " + error.message)
            self.installations_note.setStyleSheet(palette.colour(palette.ERROR))
            self._fit_height()

        ops.QueryOp(self, lambda _progress: list_installations(ctx), success=listed).failure(failed) \
            .run_in_background()
        return column

    def _url_hint(self) -> str:
        return self.tr("形: postgresql+psycopg://利用者@サーバー/データベース名。パスワードは URL に書かず、"
                       ".pgpass か環境変数 PGPASSWORD に置きます（設定ファイルは暗号化されないため）。")

    def shared_chosen(self) -> bool:
        return bool(self.database_choice.currentData())

    def _database_choice_changed(self) -> None:
        shared = self.shared_chosen()
        self.url_edit.setEnabled(shared)
        self.test_button.setEnabled(shared)
        self.test_result.setVisible(shared)
        self._fit_height()

    def _show_test_text(self, text: str, colour: str) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet(palette.colour(colour))
        self._fit_height()

    def test_database(self) -> None:
        """「接続テスト」: try the URL off the GUI thread and say what was found, or why not."""
        url = self.url_edit.text()
        installation = self.ctx.installation_id
        self.test_button.setEnabled(False)
        self._show_test_text(self.tr("接続しています…"), palette.MUTED)

        def found(probe: settings_service.DatabaseProbe) -> None:
            text, colour = self._probe_text(probe)
            self._show_test_text(text, colour)

        def failed(error: UserError) -> None:
            self._show_test_text("⚠ " + error.message, palette.ERROR)

        ops.QueryOp(self, lambda _progress: settings_service.probe_database(url, installation), success=found) \
            .failure(failed).always(lambda: self.test_button.setEnabled(self.shared_chosen())).run_in_background()

    def _probe_text(self, probe: settings_service.DatabaseProbe) -> tuple[str, str]:
        """What a connection test found, in words, and the colour to say it in."""
        state = settings_service.SchemaState
        said = [self.tr("{location} に接続できました。").format(location=probe.location)]
        if probe.schema is state.EMPTY:
            said.append(self.tr("まだ JCIM のデータベースになっていません（空です）。"
                                "管理者が「jcim-desktop db migrate --database-url …」で作ってください。"))
        elif probe.schema is state.NEWER:
            said.append(self.tr("ただし、新しい版のアプリで更新されたデータベースなので、この版では使えません。"
                                "アプリを新しい版にしてください。"))
        else:
            if probe.schema is state.OLDER:
                said.append(self.tr("古い版のアプリで作られたデータベースです。この版のアプリで開くときにバックアップを"
                                    "取ってから更新します（管理者が「jcim-desktop db migrate」で先に更新することもできます）。"))
            else:
                said.append(self.tr("データベースはこの版のアプリと同じ形です。"))
            said.append(self.tr("書き込んでいる端末: {count} 台。").format(count=probe.installations))
            said.append(self.tr("この端末も登録されています。") if probe.lists_this else
                        self.tr("この端末はまだ登録されていません。このデータベースで作業するには、新しいデータフォルダで"
                                "「jcim-desktop init --org {org} --database-url …」を実行して登録し、"
                                "「データフォルダ」でそのフォルダを選んでください。").format(org=self.ctx.org))
        if not probe.orders_like_sqlite:
            said.append(self.tr("このデータベースは照合順序が {collation} のため、文字を SQLite と違う順に並べます（件名や"
                                "会社名で並べた一覧と、書き出すパッケージの記録の順序が SQLite の端末と変わります）。"
                                "管理者に「jcim-desktop db check」で作り直し方を確かめてもらってください。"
                                ).format(collation=probe.collation))
        usable = probe.schema in (state.CURRENT, state.OLDER) and probe.lists_this
        as_sqlite = usable and probe.orders_like_sqlite
        # Japanese sentences follow one another without a space; English ones need one.
        text = ("" if language.current() == "ja" else " ").join(said)
        warned = probe.schema is state.NEWER or not probe.orders_like_sqlite
        return ("⚠ " if warned else "✓ ") + text, palette.MUTED if as_sqlite else palette.CAUTION

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
            database_url=self.url_edit.text() if self.shared_chosen() else None,
        )

    def save(self) -> None:
        change = self.change()

        def show(error: UserError) -> None:
            # A full disk, a read-only folder, a database the folder would not open with: the
            # dialog stays open with what was typed.
            QMessageBox.warning(self, self.tr("設定"), error.message)

        if settings_service.database_changes(self.ctx, change):
            # Another database is checked before it is kept (a server may take seconds to answer).
            self.setEnabled(False)
            ops.CollectionOp(self, lambda _progress: settings_service.change_settings(self.ctx, change)) \
                .success(self._saved).failure(show).always(lambda: self.setEnabled(True)) \
                .with_progress(self.tr("新しいデータベースを確かめています…")).run_in_background()
            return
        saved = ops.perform(self, lambda: settings_service.change_settings(self.ctx, change), failure=show)
        if saved is not None:
            self._saved(saved)

    def _saved(self, saved: settings_service.SettingsSaved) -> None:
        self.saved = saved
        notes: list[str] = []
        if saved.language_changed:
            notes.append(self.tr("表示言語は次に起動したときに切り替わります。"))
        if saved.new_data_dir is not None:
            notes.append(self.tr("データフォルダを {folder} に変更しました。次に起動したときから使います。"
                                 "今のデータを使い続けるには、今のフォルダの中身をそこへコピーしてください。")
                         .format(folder=saved.new_data_dir))
        if saved.database_changed and saved.new_database is not None:
            notes.append(self.tr("データベースを共有データベース {location} に変更しました。次に起動したときから使います。")
                         .format(location=saved.new_database))
        elif saved.database_changed:
            notes.append(self.tr("データベースをこのデータフォルダ（SQLite）に戻しました。次に起動したときから使います。"))
        if notes:
            QMessageBox.information(self, self.tr("設定"), "\n".join(notes))
        self.accept()
