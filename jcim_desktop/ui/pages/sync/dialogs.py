"""The 同期 page's dialogs: what a checked package would change (before anything is written), and
which organisations a newly trusted key may write for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORG_CODES, ORGS, OrgKind
from jcim_desktop.services import key_registry, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, labels, palette
from jcim_desktop.ui.dialogs.stage import as_date, date_edit_format
from jcim_desktop.ui.fmt import join
from jcim_desktop.ui.pages.sync.models import PreviewModel
from jcim_desktop.ui.pages.sync.wording import issue, scope_label, sender_label, short_id, trusted_orgs

CAUTION = palette.CAUTION
MUTED = palette.MUTED


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _cautious_buttons(dialog: QDialog, act: str, refrain: str) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The buttons of a question whose safe answer is to do nothing: ``refrain`` is the default
    (Enter), ``act`` must be chosen."""
    buttons = QDialogButtonBox()
    act_button = buttons.addButton(act, QDialogButtonBox.ButtonRole.AcceptRole)
    refrain_button = buttons.addButton(refrain, QDialogButtonBox.ButtonRole.RejectRole)
    act_button.setAutoDefault(False)
    refrain_button.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, act_button, refrain_button


class ImportPreviewDialog(QDialog):
    """What a checked package would change here; writes nothing. 取り込む accepts, キャンセル rejects."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, checked: sync.CheckedPackage,
                 preview: sync.ImportOutcome) -> None:
        super().__init__(parent)
        self.checked, self.preview = checked, preview
        m = checked.manifest
        sender = labels.org(m.origin_org)
        self.setWindowTitle(self.tr("取り込む内容の確認"))
        self.setMinimumWidth(640)

        heading = _wrapped(self.tr("{org} から届いた同期パッケージ").format(org=sender))
        heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.sender_label = _wrapped(
            self.tr("{org}（端末 {installation}）").format(org=sender, installation=short_id(m.origin_installation)))
        if preview.newer:
            sequence = self.tr("{issue}・新しい号です").format(issue=issue(m.sequence))
        else:
            sequence = self.tr("{issue}・この端末からは既に同じか新しい号を受け取っています（内容の照合のみ）").format(
                issue=issue(m.sequence))
        self.sequence_label = _wrapped(sequence)
        if not preview.newer:
            self.sequence_label.setStyleSheet(f"color: {CAUTION};")
        own = m.public_key == ctx.public_key
        self.key_label = QLabel(self.tr("{key}（この端末の鍵）").format(key=m.key_id) if own else m.key_id)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        contacts = {True: self.tr("含む"), False: self.tr("含まない"), None: self.tr("記載なし")}[m.includes_contacts]
        created = checked.created
        form.addRow(self.tr("送り主"), self.sender_label)
        form.addRow(self.tr("号"), self.sequence_label)
        form.addRow(self.tr("作成日時"), QLabel(fmt.datetime_label(created) if created else m.created_at))
        form.addRow(self.tr("鍵ID"), self.key_label)
        form.addRow(self.tr("範囲"), QLabel(scope_label(m.scope)))
        form.addRow(self.tr("担当者連絡先"), QLabel(contacts))
        if checked.encrypted:  # SYNC_FORMAT §7: decrypted in memory, nothing of it on disk
            self.encryption_label = QLabel(self.tr("このパソコン宛てに暗号化されていました（メモリー上で復号済み）"))
            form.addRow(self.tr("暗号化"), self.encryption_label)
        file_label = QLabel(checked.path.name)
        file_label.setToolTip(str(checked.path))
        form.addRow(self.tr("ファイル"), file_label)

        self.model = PreviewModel(self)
        self.model.load_outcome(preview.by_entity)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setColumnWidth(0, 210)
        for col in range(1, 5):
            self.table.setColumnWidth(col, 95)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(min(60 + 26 * self.model.rowCount(), 320))

        c = preview.counts
        self.summary = _wrapped(self.tr("取り込むと　追加 {inserted} 件・更新 {updated} 件・変更なし {unchanged} 件・競合 {conflicts} 件")
                                .format(inserted=fmt.number(c.inserted), updated=fmt.number(c.updated),
                                        unchanged=fmt.number(c.unchanged), conflicts=fmt.number(c.conflicts)))
        self.summary.setStyleSheet("font-weight: bold;")
        notes: list[str] = []
        if c.conflicts:
            notes.append(self.tr("競合が {count} 件あります。取り込んだ後、「競合」ページで確認してください"
                                 "（どちらの版も失われません）。").format(count=fmt.number(c.conflicts)))
        unknown = checked.package.unknown_entities
        if unknown:
            notes.append(self.tr("このアプリが知らない種類の記録（{kinds}）は取り込まれません。アプリを最新版にしてください。")
                         .format(kinds=join(unknown)))
        notes.append(self.tr("「取り込む」を押すまで、この端末のデータは変わりません。取り込む前に自動でバックアップを取ります。"))
        self.notes = _wrapped("\n".join(notes))
        self.notes.setStyleSheet(f"color: {CAUTION if c.conflicts else MUTED};")

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(self.tr("取り込む"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)


class UntrustedKeyDialog(QDialog):
    """A package refused for its signing key: who sent it, the key id to confirm with the sender,
    whose records it holds. 「この鍵を信頼して取り込む…」 accepts; 「取り込まない」 rejects."""

    def __init__(self, parent: QWidget | None, signer: sync.UntrustedSigner, file_name: str) -> None:
        super().__init__(parent)
        self.signer = signer
        sender = labels.org(signer.sender_org)
        self.setWindowTitle(self.tr("信頼されていない鍵"))
        self.setMinimumWidth(560)
        if signer.known:
            heading = _wrapped(self.tr("{org} から届いたパッケージに、この鍵が書くことを認められていない記録があります")
                               .format(org=sender))
        else:
            heading = _wrapped(self.tr("{org} から届いたパッケージは、まだ信頼していない鍵で署名されています")
                               .format(org=sender))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.sender_label = _wrapped(sender_label(signer.sender_org, signer.installation))
        self.key_label = QLabel(signer.key_id)
        self.key_label.setStyleSheet("font-family: monospace; font-size: 15px; font-weight: bold; color: #1f3a5f;")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.orgs_label = _wrapped(trusted_orgs(signer.orgs, False) if signer.orgs else self.tr("（記録なし）"))
        form.addRow(self.tr("送り主"), self.sender_label)
        form.addRow(self.tr("鍵ID"), self.key_label)
        form.addRow(self.tr("含まれる記録"), self.orgs_label)
        form.addRow(self.tr("ファイル"), QLabel(file_name))

        if signer.known:
            explanation = self.tr(
                "この鍵は {trusted} の記録を書くことを信頼されていますが、このパッケージには {refused} の記録も含まれています。"
                "{org}の担当者に電話やメールで確かめ、{refused} の記録もこの鍵で受け取ってよい場合だけ、"
                "「この鍵を信頼して取り込む…」を押してください。"
            ).format(trusted=trusted_orgs(signer.trusted, sync.ALL_ORGS in signer.trusted),
                     refused=trusted_orgs(signer.refused, False), org=sender)
        else:
            explanation = self.tr(
                "なりすましを防ぐため、信頼していない鍵で署名されたパッケージは取り込みません。"
                "{org}の担当者に電話やメールで連絡し、相手の「同期」ページに表示されている鍵IDが上の鍵IDと"
                "一致することを確かめてください。一致したら「この鍵を信頼して取り込む…」を押します。"
                "一致しないときは取り込まず、送り主に知らせてください。"
            ).format(org=sender)
        self.explanation = _wrapped(explanation)
        note = _wrapped(self.tr("取り込むまで、この端末のデータは何も変わっていません。"))
        note.setStyleSheet(f"color: {MUTED};")

        buttons, self.trust_button, self.decline_button = _cautious_buttons(
            self, self.tr("この鍵を信頼して取り込む…"), self.tr("取り込まない"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(note)
        layout.addWidget(buttons)


class AddTrustDialog(QDialog):
    """Which orgs a newly trusted key may write (or すべての組織), and a note.

    From a refused package, ``orgs`` (or ``everyone``) come pre-selected and ``sender`` says whose
    key it is. At the secretariat it registers the key (SYNC_FORMAT §4 trusted_keys): the note is
    the name the key is registered under."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, public_key: str, *, orgs: Sequence[str] = (),
                 everyone: bool = False, sender: str | None = None) -> None:
        super().__init__(parent)
        registering = ctx.is_secretariat
        self.setWindowTitle(self.tr("鍵を登録") if registering else self.tr("鍵を追加"))
        self.public_key = public_key
        if sender and registering:
            intro = _wrapped(self.tr("{sender} の鍵ID <b>{key}</b> の鍵を登録し、次の組織の記録を書くことを認めます。")
                             .format(sender=sender, key=sync.key_id(public_key)))
        elif registering:
            intro = _wrapped(self.tr("鍵ID <b>{key}</b> の鍵を登録し、次の組織の記録を書くことを認めます。")
                             .format(key=sync.key_id(public_key)))
        elif sender:
            intro = _wrapped(self.tr("{sender} の鍵ID <b>{key}</b> の鍵を信頼し、次の組織の記録を書くことを認めます。")
                             .format(sender=sender, key=sync.key_id(public_key)))
        else:
            intro = _wrapped(self.tr("鍵ID <b>{key}</b> の鍵を信頼し、次の組織の記録を書くことを認めます。")
                             .format(key=sync.key_id(public_key)))
        if registering:
            hint = _wrapped(self.tr("各フォーラムの端末の鍵には、そのフォーラムだけを選びます。登録した鍵は次の全国（配布用）"
                                    "パッケージで各端末に届き、事務局の鍵を信頼している端末はこの鍵も信頼します"
                                    "（端末ごとに一度の登録で済みます）。"))
        else:
            hint = _wrapped(self.tr("事務局の鍵には「すべての組織」を選びます（全国の配布用パッケージを受け取るため）。"
                                    "同じフォーラムの別の端末の鍵には、自フォーラムを選びます。"))
        hint.setStyleSheet(f"color: {MUTED};")
        self.all_box = QCheckBox(self.tr("すべての組織（事務局の配布用パッケージなど）"))
        self.org_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        groups = (
            (labels.org_kind(OrgKind.REGIONAL_FORUM), (OrgKind.REGIONAL_FORUM,)),
            (labels.org_kind(OrgKind.NATIONAL_FORUM), (OrgKind.NATIONAL_FORUM,)),
            (self.tr("部会・事務局"), (OrgKind.COMMITTEE, OrgKind.SECRETARIAT)),
        )
        for col, (title, kinds) in enumerate(groups):
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, col)
            row = 1
            for code in ORG_CODES:
                if ORGS[code].kind in kinds:
                    box = QCheckBox(labels.org(code))
                    box.toggled.connect(self._update)
                    self.org_boxes[code] = box
                    grid.addWidget(box, row, col)
                    row += 1
        grid.setRowStretch(grid.rowCount(), 1)
        self.all_box.toggled.connect(self._all_toggled)
        self.note_edit = QLineEdit()
        if registering:
            self.note_edit.setPlaceholderText(self.tr("例: 関東フォーラム 2台目（空欄なら組織名と鍵ID）"))
        else:
            self.note_edit.setPlaceholderText(self.tr("例: 中国フォーラム 山田さんのノートパソコン（2024年7月受領）"))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("登録する") if registering else self.tr("信頼する"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(hint)
        layout.addWidget(self.all_box)
        layout.addLayout(grid)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel(self.tr("登録名") if registering else self.tr("メモ")))
        note_row.addWidget(self.note_edit, 1)
        layout.addLayout(note_row)
        layout.addWidget(buttons)
        for code in orgs:
            if code in self.org_boxes:
                self.org_boxes[code].setChecked(True)
        self.all_box.setChecked(everyone)
        if sender:
            self.note_edit.setText(sender)
        self._update()

    def _all_toggled(self, checked: bool) -> None:
        for box in self.org_boxes.values():
            box.setEnabled(not checked)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.orgs()))

    def orgs(self) -> list[str]:
        if self.all_box.isChecked():
            return [sync.ALL_ORGS]
        return [code for code, box in self.org_boxes.items() if box.isChecked()]

    def note(self) -> str | None:
        return self.note_edit.text().strip() or None


class RevokeKeyDialog(QDialog):
    """At the secretariat: the day a registered key is revoked from (default today). 失効させる
    accepts; ``day()`` is the date chosen."""

    def __init__(self, parent: QWidget | None, trust: sync.Trust) -> None:
        super().__init__(parent)
        self.trust = trust
        self.setWindowTitle(self.tr("鍵を失効"))
        self.setMinimumWidth(520)
        heading = _wrapped(self.tr("登録した鍵を失効させます"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.key_label = QLabel(trust.key_id)
        self.key_label.setStyleSheet("font-family: monospace; font-weight: bold; color: #1f3a5f;")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("鍵ID"), self.key_label)
        form.addRow(self.tr("登録名"), _wrapped(trust.label or ""))
        form.addRow(self.tr("書いてよい組織"), _wrapped(trusted_orgs(trust.orgs, trust.everyone)))
        today = key_registry.today()
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(date_edit_format())
        self.date_edit.setMinimumDate(QDate(2000, 1, 1))
        form.addRow(self.tr("失効日"), self.date_edit)
        notes = [self.tr("失効日より後に作成されたこの鍵のパッケージは受け付けなくなります。失効日までに作成されたものは"
                         "引き続き受け付けます。失効は次の全国（配布用）パッケージで各フォーラムに伝わります。"),
                 self.tr("端末をなくしたときは、なくした日の前日を失効日にすると確実です。")]
        previous = trust.registration.revoked_on if trust.registration is not None else None
        if previous is not None:
            notes.append(self.tr("この鍵は{date}付けで失効させてあります。失効日を変えます。").format(
                date=fmt.date_label(previous)))
        self.explanation = _wrapped("\n".join(notes))
        self.explanation.setStyleSheet(f"color: {MUTED};")
        buttons, self.revoke_button, self.cancel_button = _cautious_buttons(
            self, self.tr("失効させる"), self.tr("キャンセル"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)

    def day(self) -> dt.date:
        return as_date(self.date_edit.date())


class RemoveRegisteredKeyDialog(QDialog):
    """At the secretariat, 信頼をやめる on a registered key: revoke it (recommended: 失効させる…),
    or withdraw the registration altogether (登録を取り消す), or neither. ``choice`` says which:
    ``"revoke"``, ``"unregister"`` or ``""``."""

    def __init__(self, parent: QWidget | None, trust: sync.Trust) -> None:
        super().__init__(parent)
        self.trust = trust
        self.choice = ""
        self.setWindowTitle(self.tr("信頼をやめる"))
        self.setMinimumWidth(520)
        heading = _wrapped(self.tr("鍵ID {key}（{label}）は事務局が登録した鍵です").format(
            key=trust.key_id, label=trust.label or ""))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.explanation = _wrapped(self.tr(
            "登録した鍵は、信頼をやめる代わりに失効させます。失効日までに作成されたパッケージは引き続き受け付け、"
            "それより後のものは、この端末でも、次の全国（配布用）パッケージを受け取った各フォーラムでも受け付けなくなります。"
            "間違えて登録したときだけ、登録を取り消してください（その鍵のパッケージは、手動で信頼した端末を除き、"
            "どこでも受け付けなくなります）。"))
        buttons = QDialogButtonBox()
        self.revoke_button = buttons.addButton(self.tr("失効させる…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unregister_button = buttons.addButton(self.tr("登録を取り消す"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = buttons.addButton(self.tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        self.revoke_button.setDefault(True)
        self.revoke_button.clicked.connect(lambda: self._choose("revoke"))
        self.unregister_button.clicked.connect(lambda: self._choose("unregister"))
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
