"""同期: write and read sync packages (with a preview before anything is written), trust keys, and
what each installation last sent."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.errors import UserError
from jcim_desktop.services import encryption, key_registry, personal_data, sync
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, ops, palette, window_state
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import join
from jcim_desktop.ui.page import Page
from jcim_desktop.ui.pages.sync.dialogs import (
    AddTrustDialog,
    ImportPreviewDialog,
    RemoveRegisteredKeyDialog,
    RevokeKeyDialog,
    UntrustedKeyDialog,
)
from jcim_desktop.ui.pages.sync.models import ReceivedModel, TrustModel, key_font
from jcim_desktop.ui.pages.sync.recipients import RecipientsDialog
from jcim_desktop.ui.pages.sync.wording import (
    PACKAGE_SUFFIX,
    any_file_filter,
    count_parts,
    default_package_name,
    issue,
    key_filter,
    package_filter,
    public_key_file_name,
    scope_label,
    sender_label,
    short_id,
    trusted_orgs,
    untrusted_reason,
)
from jcim_desktop.ui.personal_data import show_personal_data
from jcim_desktop.ui.widgets.buttons import push_button
from jcim_desktop.ui.widgets.columns import CELL_PADDING, ColumnFitter, ColumnWidth, header_width, text_width

translate = QCoreApplication.translate

WARNING = palette.ERROR
FOLDERS = "sync"
"""The kind of folder the file dialogs remember (``window_state``)."""

STYLE = palette.PAGE_STYLE + """
QFrame#panel QLabel { background: transparent; }
QFrame#panel QScrollArea, QFrame#panel QScrollArea > QWidget > QWidget { background: transparent; }
QLabel#keyId { font-family: monospace; font-size: 14px; font-weight: bold; color: #1f3a5f; }
"""


def _panel(title: str) -> tuple[QFrame, QVBoxLayout, QHBoxLayout]:
    frame = QFrame()
    frame.setObjectName("panel")
    body = QVBoxLayout(frame)
    body.setContentsMargins(14, 10, 14, 12)
    body.setSpacing(6)
    header = QHBoxLayout()
    label = QLabel(title)
    label.setObjectName("panelTitle")
    header.addWidget(label)
    header.addStretch(1)
    body.addLayout(header)
    return frame, body, header


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _action_panel(title: str, button: QPushButton, description: str) -> tuple[QFrame, QVBoxLayout]:
    """A panel of one action: its button in the header, what it does below the title."""
    panel, body, header = _panel(title)
    button.setMinimumWidth(110)
    header.addWidget(button)
    body.addWidget(_muted(description))
    return panel, body


class _ResultArea(QScrollArea):
    """A result's scroll area: as tall as its wrapped text (up to its maximum height), so a
    result is read whole without scrolling; a scroll bar only past the maximum."""

    LEAST = 58
    """A few lines' room, also before there is a result."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        label = self.widget()
        if label is None or not isinstance(label, QLabel) or not label.text():
            return QSize(hint.width(), self.LEAST)
        needed = label.heightForWidth(max(self.viewport().width(), 100)) + 2 * self.frameWidth()
        return QSize(hint.width(), max(self.LEAST, min(needed, self.maximumHeight())))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the text wraps anew: its height may change


def _result_area(label: QLabel, *, links: bool = False) -> QScrollArea:
    """Where an operation's result is told (rich text, ``links`` to open): a few lines, and a
    scroll bar when a reason is long."""
    label.setTextFormat(Qt.TextFormat.RichText)
    if links:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(True)
    else:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    area = _ResultArea()
    area.setWidget(label)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMaximumHeight(150)  # an export's four lines, its folder wrapped over two or three
    return area


def _show(label: QLabel, text: str, *, warning: bool = False) -> None:
    """Put ``text`` in a message label; ``warning`` colours it (the style sheet's ``#warning``)."""
    label.setObjectName("warning" if warning else "")
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)
    viewport = label.parentWidget()
    area = viewport.parentWidget() if viewport is not None else None
    if isinstance(area, _ResultArea):
        area.updateGeometry()  # as tall as the new text


class _ImportRun:
    """One import: each file in turn is checked, previewed and, when confirmed, merged.

    It lives as long as its operations hold its callbacks; a bug (crash dialog) ends it quietly.
    """

    def __init__(self, page: SyncPage, paths: Sequence[Path]) -> None:
        self.page = page
        self.queue = list(paths)
        self.outcomes: list[sync.ImportOutcome] = []

    def next_file(self) -> None:
        if not self.queue:
            self.page.show_import_outcomes(self.outcomes)
            return
        path = self.queue.pop(0)
        ctx = self.page.ctx

        def check(_progress: ops.Progress) -> tuple[sync.CheckedPackage, sync.ImportOutcome]:
            checked = sync.check_package(ctx, path)
            return checked, sync.preview_import(ctx, checked)

        label = translate("SyncPage", "{name} の署名と内容を確かめています…").format(name=path.name)
        ops.QueryOp(self.page, check, success=self._checked).failure(
            lambda error: self._refused(path, error)
        ).with_progress(label).run_in_background()

    def _checked(self, result: tuple[sync.CheckedPackage, sync.ImportOutcome]) -> None:
        # The preview is modal: it opens once the operation's callback has returned.
        QTimer.singleShot(0, self.page, lambda: self._preview(*result))

    def _preview(self, checked: sync.CheckedPackage, preview: sync.ImportOutcome) -> None:
        dialog = ImportPreviewDialog(self.page, self.page.ctx, checked, preview)
        confirmed = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not confirmed:
            m = checked.manifest
            self.outcomes.append(sync.ImportOutcome(str(checked.path), "cancelled", package_id=m.package_id,
                                                    org=m.origin_org, sequence=m.sequence))
            self.next_file()
            return
        ctx = self.page.ctx
        ops.CollectionOp(self.page, lambda _progress: sync.import_checked(ctx, checked)).success(
            self._imported
        ).failure(lambda error: self._refused(checked.path, error)).with_progress(
            translate("SyncPage", "{name} を取り込んでいます…").format(name=checked.path.name)
        ).run_in_background()

    def _imported(self, outcome: sync.ImportOutcome) -> None:
        self.outcomes.append(outcome)
        self.next_file()

    def _refused(self, path: Path, error: UserError) -> None:
        if isinstance(error, sync.KeyNotTrusted):
            # Offer to trust the key (a modal question): once the operation's callback has returned.
            signer, code = error.signer, error.code
            QTimer.singleShot(0, self.page, lambda: self._untrusted(path, signer, code))
            return
        code = error.code if isinstance(error, sync.PackageRejected) else "not_merged"
        self.outcomes.append(sync.ImportOutcome(str(path), "rejected", reason=error.message, code=code))
        self.next_file()

    def _untrusted(self, path: Path, signer: sync.UntrustedSigner, code: str) -> None:
        """The package's key is not trusted (for every org in it): trust it and check the file
        again, or leave the file out with the reason in the window's words."""
        if self.page.offer_trust(path, signer):
            self.queue.insert(0, path)
        else:
            self.outcomes.append(sync.ImportOutcome(str(path), "rejected", reason=untrusted_reason(signer), code=code,
                                                    untrusted=signer))
        self.next_file()


class SyncPage(Page):
    page_id = "sync"
    title = "同期"
    entities = ("trusted_keys",)
    """The secretariat's registered keys (SYNC_FORMAT §4) are records: the keys panel follows them."""

    export_finished = Signal(object)
    """An ``ExportResult`` after a package was written, or None if it failed or was cancelled."""
    import_finished = Signal(list)
    """The ``ImportOutcome`` of each file of one import (accepted, rejected or cancelled)."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.setStyleSheet(STYLE)

        title = QLabel(self.tr("同期"))
        title.setObjectName("pageTitle")
        whoami = _muted(self.tr("この端末: {org}（端末 {installation}）").format(
            org=labels.org(ctx.org), installation=short_id(ctx.installation_id)))
        whoami.setWordWrap(False)
        key_caption = _muted(self.tr("鍵ID"))
        key_caption.setWordWrap(False)
        self.own_key_label = QLabel(sync.key_id(ctx.public_key))
        self.own_key_label.setObjectName("keyId")
        self.own_key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(whoami)
        head.addSpacing(12)
        head.addWidget(key_caption)
        head.addWidget(self.own_key_label)

        # Export.
        self.export_button = push_button(self.tr("書き出し…"), self.choose_export)
        export_panel, export_body = _action_panel(self.tr("書き出し（送る）"), self.export_button, self.tr(
            "この端末で書き込める記録を、削除したものも含めて全件、署名付きの 1 つのファイルに書き出します。"
            "毎回全件の写しなので、途中の号が届かなくてもデータは失われません。"
        ))
        self.contacts_box = QCheckBox(self.tr("担当者連絡先（個人情報）を含める"))
        self.contacts_box.setToolTip(self.tr("ニーズ・シーズの担当者の氏名・部署・メールアドレス・電話番号です。"
                                             "必要なときだけ含めてください。"))
        export_body.addWidget(self.contacts_box)
        # What personal data the package will hold, in words and with counts (issue 13, point 5).
        self.personal_data_label = _muted()
        self.personal_data_label.setContentsMargins(22, 0, 0, 0)
        export_body.addWidget(self.personal_data_label)
        # Encryption (SYNC_FORMAT §7): on by default for contacts once a recipient is known.
        if ctx.is_secretariat:
            self.encrypt_box = QCheckBox(self.tr("暗号化する（登録済みの宛先へ）"))
        else:
            self.encrypt_box = QCheckBox(self.tr("暗号化する（事務局宛て）"))
        self.encrypt_box.setToolTip(self.tr("担当者連絡先を含むパッケージを、宛先の端末だけが開けるように暗号化します"
                                            "（age 形式、.jcimsync.age）。"))
        self.encrypt_box.clicked.connect(self._encryption_clicked)
        self.recipients_button = push_button(self.tr("宛先…"), self.edit_recipients,
                                             self.tr("暗号化の宛先（受信者）を確かめ、追加します"))
        encrypt_row = QHBoxLayout()
        encrypt_row.setContentsMargins(22, 0, 0, 0)
        encrypt_row.addWidget(self.encrypt_box)
        encrypt_row.addStretch(1)
        encrypt_row.addWidget(self.recipients_button)
        export_body.addLayout(encrypt_row)
        self.encrypt_note = _muted()
        self.encrypt_note.setContentsMargins(22, 0, 0, 0)
        export_body.addWidget(self.encrypt_note)
        self._plain_confirmed = False
        """Whether the person confirmed exporting contacts unencrypted (by unticking encryption)."""
        self.contacts_box.toggled.connect(lambda _checked: self._update_encryption())
        self.scope_org = QRadioButton(scope_label("org"))
        self.scope_org.setToolTip(self.tr("自組織分（全国フォーラム・部会・事務局の記録）"))
        self.scope_national = QRadioButton(scope_label("national"))
        self.scope_national.setToolTip(self.tr("全国（配布用：この端末にあるすべての記録）"))
        self.scope_org.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.scope_org)
        group.addButton(self.scope_national)
        if ctx.is_secretariat:
            scope_row = QHBoxLayout()
            scope_row.addWidget(QLabel(self.tr("範囲")))
            scope_row.addWidget(self.scope_org)
            scope_row.addWidget(self.scope_national)
            scope_row.addStretch(1)
            export_body.addLayout(scope_row)
        else:
            self.scope_org.hide()
            self.scope_national.hide()
        self.contacts_box.toggled.connect(lambda _checked: self._update_personal_data(show=True))
        self.scope_national.toggled.connect(lambda _checked: self._update_personal_data(show=True))
        # Once a package is written its result says whether it holds contacts: the sentence gives
        # it the room until the next choice.
        self.export_finished.connect(lambda result: self.personal_data_label.setVisible(result is None))
        self._update_personal_data()
        self.export_result = QLabel()
        export_body.addWidget(_result_area(self.export_result, links=True), 1)
        export_body.addStretch(0)

        # Import.
        self.import_button = push_button(self.tr("取り込み…"), self.choose_import)
        import_panel, import_body = _action_panel(self.tr("取り込み（受け取る）"), self.import_button, self.tr(
            "届いた .jcimsync（暗号化されたものは .jcimsync.age）ファイルを選ぶか、このウィンドウにドラッグ＆ドロップしてください。"
            "署名と内容を確かめ、何が追加・更新されるかを確認してから取り込みます。"
        ))
        self.import_result = QLabel()
        import_body.addWidget(_result_area(self.import_result), 1)
        import_body.addStretch(0)

        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(export_panel, 1)
        actions.addWidget(import_panel, 1)

        # Keys: this installation's, and those it trusts.
        trust_panel, trust_body, trust_header = _panel(self.tr("信頼している鍵"))
        self.export_key_button = push_button(self.tr("公開鍵を書き出す…"), self.export_public_key)
        # At the secretariat, adding a key registers it (SYNC_FORMAT §4): one trust step per laptop.
        if ctx.is_secretariat:
            self.add_key_button = push_button(self.tr("鍵を登録…"), self.choose_key_to_trust, self.tr(
                "各端末の公開鍵を一度だけ登録します。登録した鍵は次の全国（配布用）パッケージで各端末に届き、"
                "事務局の鍵を信頼している端末はその鍵も信頼します。"))
        else:
            self.add_key_button = push_button(self.tr("鍵を追加…"), self.choose_key_to_trust)
        self.revoke_key_button = push_button(self.tr("失効…"), self.revoke_selected_trust, self.tr(
            "選んだ登録済みの鍵を、指定した日付で失効させます（端末をなくしたときなど）。"))
        self.revoke_key_button.setVisible(ctx.is_secretariat)
        self.remove_key_button = push_button(self.tr("信頼をやめる"), self.remove_selected_trust)
        trust_header.addWidget(self.export_key_button)
        trust_header.addSpacing(12)
        trust_header.addWidget(self.add_key_button)
        trust_header.addWidget(self.revoke_key_button)
        trust_header.addWidget(self.remove_key_button)
        self.trust_model = TrustModel(self)
        self.trust_table = self._table(self.trust_model, ())
        self.trust_fitter = ColumnFitter(self.trust_table, self._trust_widths)
        self.trust_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        if ctx.is_secretariat:
            self.trust_empty = _muted(self.tr("登録した鍵・信頼している鍵はまだありません。各端末から公開鍵のファイルを"
                                              "受け取り、「鍵を登録…」で登録してください。"))
        else:
            self.trust_empty = _muted(self.tr("信頼している鍵はまだありません。送り主から公開鍵のファイルを受け取り、"
                                              "「鍵を追加…」で登録してください。"))
        self.key_message = _muted()
        self.key_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_message.hide()
        trust_body.addWidget(self.trust_table, 1)
        trust_body.addWidget(self.trust_empty)
        trust_body.addWidget(self.key_message)
        trust_body.addStretch(0)

        # Received.
        received_panel, received_body, _ = _panel(self.tr("受け取ったパッケージ（端末ごとの最新）"))
        self.received_model = ReceivedModel(self)
        self.received_table = self._table(self.received_model, (130, 80, 70, 160, 150))
        self.received_table.setWordWrap(True)  # the gap warning may take two lines
        self.received_empty = _muted(self.tr("まだパッケージを受け取っていません。"))
        received_body.addWidget(self.received_table, 1)
        received_body.addWidget(self.received_empty)
        received_body.addStretch(0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addLayout(actions)
        layout.addWidget(trust_panel, 2)
        layout.addWidget(received_panel, 3)
        self._update_buttons()

    def _table(self, model: QAbstractItemModel, widths: Sequence[int]) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setMinimumHeight(80)
        header = table.horizontalHeader()
        for col, width in enumerate(widths):
            table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        return table

    # Loading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._update_personal_data()
        self.trust_model.set_rows(sync.list_trust(self.ctx))
        self.received_model.set_rows(sync.received_log(self.ctx))
        self.received_table.resizeRowsToContents()
        # An empty table gives its room to the others: its panel says why it is empty instead.
        for table, empty in ((self.trust_table, self.trust_empty), (self.received_table, self.received_empty)):
            has_rows = table.model().rowCount() > 0
            table.setVisible(has_rows)
            empty.setVisible(not has_rows)
        self._update_buttons()
        self._update_encryption()

    def _trust_widths(self) -> list[ColumnWidth]:
        view = self.trust_table
        heads = [header_width(view, column) for column in range(self.trust_model.columnCount())]
        key = QFontMetrics(key_font()).horizontalAdvance("0000-0000-0000-0000") + CELL_PADDING
        day = text_width(view, (fmt.date_label(dt.date(2024, 12, 28)),))
        return [
            ColumnWidth.whole(max(heads[0], key)),  # 鍵ID
            ColumnWidth(150, max(heads[1], 90)),  # 書いてよい組織
            ColumnWidth(300, max(heads[2], 140)),  # 出所: where the key comes from, the registered name
            ColumnWidth.whole(max(heads[3], day)),  # 失効日
            ColumnWidth.whole(max(heads[4], day)),  # 登録日
            ColumnWidth(120, max(heads[5], 60), main=True),  # メモ: gives way first
        ]

    def _update_buttons(self) -> None:
        selected = self._selected_trust()
        # A forum stops trusting only the keys it added by hand; those the secretariat registered
        # are revoked there.
        self.remove_key_button.setEnabled(selected is not None and (selected.by_hand or self.ctx.is_secretariat))
        registered_only = selected is not None and not selected.by_hand and not self.ctx.is_secretariat
        self.remove_key_button.setToolTip(self.tr("事務局が登録した鍵は、ここでは信頼をやめられません。使わせたくないときは、"
                                                  "事務局に失効を依頼してください。") if registered_only else "")
        self.revoke_key_button.setEnabled(selected is not None and selected.registered and self.ctx.is_secretariat)

    def _selected_trust(self) -> sync.Trust | None:
        rows = self.trust_table.selectionModel().selectedRows()
        return self.trust_model.row_at(rows[0].row()) if rows else None

    # Export -------------------------------------------------------------------------------------
    def _update_personal_data(self, *, show: bool = False) -> None:
        """Say what personal data the package will hold: the contacts of N needs and M seeds, or none."""
        counts = personal_data.package_contact_counts(self.ctx, self.export_scope()) \
            if self.contacts_box.isChecked() else None
        show_personal_data(self.personal_data_label, counts)
        if show:
            self.personal_data_label.show()

    def is_affected_by(self, changes: Changes) -> bool:
        # The counts of contacts a package would hold follow the needs and seeds.
        return super().is_affected_by(changes) or changes.touches(*personal_data.PERSONAL_ENTITIES)

    def export_scope(self) -> str:
        return "national" if self.ctx.is_secretariat and self.scope_national.isChecked() else "org"

    def choose_export(self) -> None:
        scope = self.export_scope()
        include_contacts = self.contacts_box.isChecked()
        recipients = self.encryption_recipients()
        if include_contacts and not recipients and not self._plain_confirmed and not self._confirm_plain():
            return
        # Only for the suggested file name: export_package assigns the real number.
        name = default_package_name(self.ctx.org, sync.next_sequence(self.ctx), scope)
        suffix = encryption.SUFFIX if recipients else PACKAGE_SUFFIX
        if recipients:
            name = name.removesuffix(PACKAGE_SUFFIX) + suffix
        suggested = window_state.last_folder(FOLDERS) / name
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("同期パッケージの書き出し"), str(suggested),
            self.tr("暗号化した同期パッケージ (*.jcimsync.age)") if recipients else package_filter())
        if not chosen:
            return
        path = Path(chosen)
        if not path.name.lower().endswith(suffix):
            # 中国.jcimsync → 中国.jcimsync.age when encrypting; otherwise the whole suffix is added.
            plain = recipients and path.name.lower().endswith(PACKAGE_SUFFIX)
            path = path.with_name(path.name + (suffix.removeprefix(PACKAGE_SUFFIX) if plain else suffix))
        window_state.remember_folder(FOLDERS, path)
        self.export_to(path, scope, include_contacts, recipients)

    # Encryption (SYNC_FORMAT §7) ------------------------------------------------------------------
    def encryption_recipients(self) -> list[str]:
        """Who the next export is encrypted to (none: not encrypted)."""
        if not (self.contacts_box.isChecked() and self.encrypt_box.isChecked()):
            return []
        return encryption.default_recipients(self.ctx)

    def _update_encryption(self) -> None:
        """Encryption is offered with contacts and on by default once a recipient is known; it
        stays off only when the person confirmed so."""
        contacts = self.contacts_box.isChecked()
        if not contacts:
            self._plain_confirmed = False
        known = len(encryption.default_recipients(self.ctx)) if contacts else 0
        self.encrypt_box.setEnabled(bool(known))
        # Only a package with contacts is encrypted: without them the choice takes no room.
        self.encrypt_box.setVisible(contacts)
        self.recipients_button.setVisible(contacts)
        self.encrypt_box.setChecked(bool(known) and not self._plain_confirmed)
        self.encrypt_note.setVisible(contacts)
        if not contacts:
            return
        caution = not self.encrypt_box.isChecked()
        if not known and self.ctx.is_secretariat:
            note = self.tr("暗号化の宛先がまだありません。各端末のパッケージを取り込むと、その端末の受信者が届きます。"
                           "「宛先…」で追加することもできます。暗号化せずに書き出すときは確認します。")
        elif not known:
            note = self.tr("暗号化の宛先（事務局の受信者）がまだわかりません。事務局の全国パッケージを取り込むと届きます。"
                           "「宛先…」で事務局の受信者（age1…）を追加することもできます。暗号化せずに書き出すときは確認します。")
        elif caution:
            note = self.tr("担当者連絡先（個人情報）を暗号化せずに書き出します。")
        elif self.ctx.is_secretariat:
            note = self.tr("登録済みの %n 件の宛先だけが開けるように暗号化します（.jcimsync.age）。", "", known)
        else:
            note = self.tr("事務局の端末（%n 台）だけが開けるように暗号化します（.jcimsync.age）。", "", known)
        self.encrypt_note.setText(note)
        self.encrypt_note.setStyleSheet(palette.colour(palette.CAUTION) if caution else "")

    def _confirm_plain(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("暗号化せずに書き出す"),
            self.tr("連絡先（個人情報）を暗号化せずに書き出します。よろしいですか？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _encryption_clicked(self, checked: bool) -> None:
        """Turning encryption off needs a confirmation; otherwise it goes back on."""
        self._plain_confirmed = not checked and self._confirm_plain()
        self._update_encryption()

    def edit_recipients(self) -> None:
        dialog = RecipientsDialog(self, self.ctx)
        dialog.exec()
        dialog.deleteLater()
        self._update_encryption()

    def export_to(self, path: Path, scope: str = "org", include_contacts: bool = False,
                  encrypt_to: Sequence[str] = ()) -> None:
        ctx = self.ctx

        def work(progress: ops.Progress) -> sync.ExportResult:
            def report(done: int, total: int, _text: str) -> None:
                # Cancelling while the package is written leaves nothing behind: the temporary file
                # goes, the number is not used. Its last report comes once the file is in place:
                # too late to cancel.
                if done < total:
                    progress.check()
                progress(done, total)

            return sync.export_package(ctx, path, scope=scope, include_contacts=include_contacts, progress=report,
                                       encrypt_to=encrypt_to)

        _show(self.export_result, "")
        ops.CollectionOp(self, work).success(self._exported).failure(self._export_failed).cancelled(
            self._export_cancelled
        ).with_progress(self.tr("同期パッケージを書き出しています…"), cancellable=True).run_in_background()

    def _exported(self, result: sync.ExportResult) -> None:
        folder = QUrl.fromLocalFile(str(result.path.parent)).toString()
        if result.encrypted_to:
            contacts = self.tr("%Ln 件の記録。担当者連絡先を含み、暗号化しました。", "", result.total)
        elif result.includes_contacts:
            contacts = self.tr("%Ln 件の記録。担当者連絡先を含みます。", "", result.total)
        else:
            contacts = self.tr("%Ln 件の記録。担当者連絡先は含みません。", "", result.total)
        open_folder = self.tr("保存先のフォルダを開く")
        where = self.tr("保存先: {folder}").format(folder=result.path.parent)
        lines = [
            html.escape(self.tr("{issue}（{scope}）を書き出しました。").format(
                issue=issue(result.sequence), scope=scope_label(result.scope))),
            f"<b>{html.escape(result.path.name)}</b>",
            # The folder in words, to read and to copy (the label is selectable); it wraps.
            f'<span style="color: {palette.MUTED};">{html.escape(where)}</span>',
            f'{html.escape(contacts)}　<a href="{html.escape(folder)}">{html.escape(open_folder)}</a>',
        ]
        _show(self.export_result, "<br>".join(lines))
        detail = join(self.tr("{entity} {count}").format(entity=labels.entity(entity), count=fmt.number(n))
                      for entity, n in result.counts.items())
        self.export_result.setToolTip(where + (f"\n{detail}" if detail else ""))
        self.bus.status_message.emit(self.tr("同期パッケージを書き出しました: {path}").format(path=result.path.name))
        self.export_finished.emit(result)

    def _export_failed(self, error: UserError) -> None:
        _show(self.export_result, html.escape(error.message), warning=True)
        self.export_result.setToolTip("")
        self.export_finished.emit(None)

    def _export_cancelled(self) -> None:
        _show(self.export_result, self.tr("書き出しを取りやめました。何も書き出していません。"))
        self.export_result.setToolTip("")
        self.export_finished.emit(None)

    # Import -------------------------------------------------------------------------------------
    def choose_import(self) -> None:
        packages = self.tr("同期パッケージ (*.jcimsync *.jcimsync.age)")
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("同期パッケージの取り込み"),
                                                str(window_state.last_folder(FOLDERS)),
                                                f"{packages};;{any_file_filter()}")
        if names:
            window_state.remember_folder(FOLDERS, Path(names[0]))
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: Sequence[Path | str]) -> None:
        """Check, preview and (when confirmed) import each file in turn."""
        _show(self.import_result, "")
        _ImportRun(self, [Path(p) for p in paths]).next_file()

    def show_import_outcomes(self, outcomes: list[sync.ImportOutcome]) -> None:
        """Tell what became of each file of one import (its run calls this when done)."""
        lines = []
        for o in outcomes:
            name = Path(o.file).name
            if o.status == "accepted":
                lines.append(html.escape(self.tr("{file}: 取り込みました（{org} {issue}）{counts}").format(
                    file=name, org=labels.org(o.org or ""), issue=issue(o.sequence or 0),
                    counts=count_parts(o.counts.as_dict()))))
            elif o.status == "cancelled":
                lines.append(html.escape(self.tr("{file}: 取り込みを取りやめました。").format(file=name)))
            else:
                refused = self.tr("{file}: 取り込めませんでした。何も変更していません。理由: {reason}").format(
                    file=name, reason=o.reason or "")
                lines.append(f'<span style="color: {WARNING};">{html.escape(refused)}</span>')
        if any(o.status == "accepted" and o.counts.conflicts for o in outcomes):
            review = self.tr("競合があります。「競合」ページで確認してください。")
            lines.append(f"<b>{html.escape(review)}</b>")
        _show(self.import_result, "<br>".join(lines))
        accepted = sum(o.status == "accepted" for o in outcomes)
        if accepted:
            self.bus.status_message.emit(self.tr("%n 件のパッケージを取り込みました。", "", accepted))
        self.refresh()
        self.import_finished.emit(outcomes)

    # Keys ---------------------------------------------------------------------------------------
    def _key_problem(self, error: UserError) -> None:
        _show(self.key_message, error.message, warning=True)
        self.key_message.show()

    def _key_news(self, text: str) -> None:
        self.key_message.hide()
        if text:
            self.bus.status_message.emit(text)

    def export_public_key(self) -> None:
        key = sync.key_id(self.ctx.public_key)
        suggested = window_state.last_folder(FOLDERS) / public_key_file_name(self.ctx.org, key)
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("公開鍵の書き出し"), str(suggested), key_filter())
        if not chosen:
            return
        path = Path(chosen)
        ctx = self.ctx
        if ops.perform(self, lambda: sync.export_public_key(ctx, path), failure=self._key_problem) is None:
            return
        window_state.remember_folder(FOLDERS, path)
        self._key_news("")
        QMessageBox.information(self, self.tr("公開鍵の書き出し"), self.tr(
            "公開鍵を書き出しました。\n{path}\n\n鍵ID {key}\n"
            "このファイルを受け取る側に渡し、鍵IDを電話などで読み合わせて確かめてもらってください。"
        ).format(path=path, key=key))

    def choose_key_to_trust(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("信頼する公開鍵のファイル"),
                                              str(window_state.last_folder(FOLDERS)), key_filter())
        if name:
            self.trust_key_file(Path(name))

    def trust_key_file(self, path: Path) -> None:
        public_key = ops.perform(self, lambda: sync.read_public_key(path), failure=self._key_problem)
        if public_key is None:
            return
        self.trust_key(public_key)

    def trust_key(self, public_key: str, *, orgs: Sequence[str] = (), everyone: bool = False,
                  sender: str | None = None) -> sync.Trust | None:
        """Ask which orgs ``public_key`` may write (``orgs`` / ``everyone`` pre-selected) and trust it."""
        dialog = AddTrustDialog(self, self.ctx, public_key, orgs=orgs, everyone=everyone, sender=sender)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen, note = dialog.orgs(), dialog.note()
        dialog.deleteLater()
        if not accepted:
            return None
        ctx = self.ctx
        trusted = ops.perform(self, lambda: sync.trust_key(ctx, public_key, chosen, note), failure=self._key_problem)
        if trusted is None:
            return None
        self.refresh()
        if trusted.registered:
            self._key_news(self.tr("鍵ID {key} を「{label}」として登録しました（{orgs}）。次の全国（配布用）パッケージで"
                                   "各端末に届きます。").format(key=trusted.key_id, label=trusted.label,
                                                            orgs=trusted_orgs(trusted.orgs, trusted.everyone)))
        else:
            self._key_news(self.tr("鍵ID {key} を信頼しました（{orgs}）。").format(
                key=trusted.key_id, orgs=trusted_orgs(trusted.orgs, trusted.everyone)))
        return trusted

    def offer_trust(self, path: Path, signer: sync.UntrustedSigner) -> bool:
        """A package refused for its key: say who sent it and the key id to confirm with the sender,
        and, when asked to, trust the key for the orgs the package holds. True once trusted."""
        question = UntrustedKeyDialog(self, signer, path.name)
        confirmed = question.exec() == QDialog.DialogCode.Accepted
        question.deleteLater()
        if not confirmed:
            return False
        trusted = self.trust_key(signer.public_key, orgs=signer.suggested_orgs, everyone=signer.suggests_everyone,
                                 sender=sender_label(signer.sender_org, signer.installation))
        return trusted is not None

    def remove_selected_trust(self) -> None:
        trust = self._selected_trust()
        if trust is None:
            return
        if trust.registered and self.ctx.is_secretariat:
            self._remove_registered(trust)
            return
        if trust.registered:  # added by hand here, and registered by the secretariat too
            question = self.tr("鍵ID {key}（{orgs}）を手動で信頼するのをやめますか？\n"
                               "事務局が登録した鍵でもあるため、登録された組織の記録は引き続き受け付けます。")
        else:
            question = self.tr("鍵ID {key}（{orgs}）の信頼をやめますか？\n"
                               "この鍵で署名されたパッケージは、今後取り込めなくなります。取り込み済みの記録はそのまま残ります。")
        answer = QMessageBox.question(
            self, self.tr("信頼をやめる"),
            question.format(key=trust.key_id, orgs=trusted_orgs(trust.orgs, trust.everyone)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx = self.ctx
        removed = ops.perform(self, lambda: sync.remove_trust(ctx, trust.key_id), failure=self._key_problem)
        self.refresh()
        if removed is not None:
            self._key_news(self.tr("鍵ID {key} の信頼をやめました。").format(key=removed.key_id))

    def _remove_registered(self, trust: sync.Trust) -> None:
        """At the secretariat, a registered key is revoked rather than removed (or, registered by
        mistake, its registration withdrawn)."""
        question = RemoveRegisteredKeyDialog(self, trust)
        question.exec()
        choice = question.choice
        question.deleteLater()
        if choice == "revoke":
            self.revoke_trust(trust)
        elif choice == "unregister":
            ctx = self.ctx
            removed = ops.perform(self, lambda: sync.remove_trust(ctx, trust.public_key, unregister=True),
                                  failure=self._key_problem)
            self.refresh()
            if removed is not None:
                self._key_news(self.tr("鍵ID {key} の登録を取り消しました。次の全国（配布用）パッケージで各フォーラムに伝わります。")
                               .format(key=removed.key_id))

    def revoke_selected_trust(self) -> None:
        trust = self._selected_trust()
        if trust is not None and trust.registered:
            self.revoke_trust(trust)

    def revoke_trust(self, trust: sync.Trust) -> None:
        """At the secretariat: ask from which day a registered key is revoked (default today) and revoke it."""
        dialog = RevokeKeyDialog(self, trust)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        day = dialog.day()
        dialog.deleteLater()
        if not accepted:
            return
        ctx = self.ctx
        revoked = ops.perform(self, lambda: key_registry.revoke_key(ctx, trust.public_key, day),
                              failure=self._key_problem)
        self.refresh()
        if revoked is not None:
            self._key_news(self.tr("鍵ID {key}（{label}）を{date}付けで失効させました。次の全国（配布用）パッケージで"
                                   "各フォーラムに伝わります。").format(
                key=revoked.key_id, label=revoked.label, date=fmt.date_label(revoked.revoked_on)))
