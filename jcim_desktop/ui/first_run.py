"""First run: choose the organisation and your name, and whether to load demo data; or, on a new
laptop, read in the old one's keys (``identity_dialogs.ImportIdentityDialog``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, OrgKind
from jcim_desktop.services.identity import IdentityImport
from jcim_desktop.ui import labels, palette
from jcim_desktop.ui.identity_dialogs import ImportIdentityDialog
from jcim_desktop.ui.widgets.buttons import push_button


@dataclass(frozen=True)
class FirstRunChoice:
    org: str
    user_name: str
    load_demo: bool
    imported: IdentityImport | None = None
    """The installation made from the old laptop's keys (its context open): nothing to create."""


class FirstRunDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None, *, fresh_start: bool = False) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self.imported: IdentityImport | None = None
        self.setWindowTitle(self.tr("JCIM Desktop の初期設定"))
        self.setMinimumWidth(520)
        if fresh_start:
            # Starting again beside a damaged database whose org nothing recorded.
            intro = QLabel(
                self.tr("空のデータベースで新しく始めます。この端末の鍵はそのまま使います。\n"
                "この端末で記録していた組織と、あなたの名前を選んでください。名前は変更履歴に記録されます。")
            )
        else:
            intro = QLabel(
                self.tr("インフラメンテナンス国民会議 フォーラム活動・KPI 管理へようこそ。\n"
                "この端末で記録する組織と、あなたの名前を選んでください。名前は変更履歴に記録されます。")
            )
        intro.setWordWrap(True)

        # No organisation until the person chooses one: each org by its name, under a heading of its kind.
        self.org_combo = QComboBox()
        self.org_combo.setPlaceholderText(self.tr("組織を選んでください"))
        items = QStandardItemModel(self.org_combo)
        for kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM, OrgKind.SECRETARIAT):
            codes = [org.code for org in ORGS.values() if org.kind is kind]
            if kind is not OrgKind.SECRETARIAT:  # the secretariat is one org: its name says it all
                heading = QStandardItem(labels.org_kind(kind))
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                items.appendRow(heading)
            for code in codes:
                item = QStandardItem(labels.org(code))
                item.setData(code, Qt.ItemDataRole.UserRole)
                items.appendRow(item)
        self.org_combo.setModel(items)
        self.org_combo.insertSeparator(self.org_combo.findData(SECRETARIAT))  # the secretariat: not a forum
        self.org_combo.setCurrentIndex(-1)
        self.org_combo.setAccessibleName(self.tr("組織"))
        self.org_combo.currentIndexChanged.connect(self._update)
        self.org_combo.setToolTip(
            self.tr("地方フォーラム・全国フォーラムは自分の組織の記録を入力します。事務局は全国の集計と、"
            "全国フォーラム・部会の記録の入力を行います。")
        )
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("例: 山田 太郎"))
        self.demo_check = QCheckBox(self.tr("デモデータを読み込む（令和6年度の計画と、ニーズ・シーズ・マッチングの例）"))
        folder = QLabel(self.tr("データフォルダ: {folder}").format(folder=data_dir))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setStyleSheet("color: #555;")

        form = QFormLayout()
        form.addRow(self.tr("組織"), self.org_combo)
        form.addRow(self.tr("あなたの名前"), self.name_edit)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("始める"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("やめる"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._error = QLabel("")
        self._error.setStyleSheet(palette.colour(palette.ERROR))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.demo_check)
        self.demo_check.setVisible(not fresh_start)
        # A fresh start keeps this folder's keys: only a new installation may take the old laptop's.
        self.import_button = push_button(
            self.tr("古いパソコンの鍵を読み込む…"), self.open_import,
            self.tr("古いパソコンの「設定」で書き出した鍵を読み込み、同じ組織・同じ鍵で始めます"))
        self.import_button.setObjectName("importIdentityButton")
        self.import_button.setAutoDefault(False)
        moving = QLabel(self.tr("新しいパソコンへ移ってきたときは、組織を選ぶ代わりに、古いパソコンで書き出した鍵を読み込みます。"))
        moving.setWordWrap(True)
        layout.addWidget(moving)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        moving.setVisible(not fresh_start)
        self.import_button.setVisible(not fresh_start)
        layout.addWidget(folder)
        layout.addWidget(self._error)
        layout.addWidget(buttons)
        self._update()
        # Wrapped labels ask for a narrow, tall dialog: size it for the width it really has.
        width = max(self.sizeHint().width(), self.minimumWidth())
        self.resize(width, self.heightForWidth(width))

    def chosen_org(self) -> str | None:
        """The organisation chosen (None until one is)."""
        code = self.org_combo.currentData(Qt.ItemDataRole.UserRole)
        return code if isinstance(code, str) else None

    def _update(self) -> None:
        chosen = self.chosen_org() is not None
        self._ok.setEnabled(chosen)
        self._ok.setToolTip("" if chosen else self.tr("組織を選ぶと始められます"))
        if chosen and self._error.text() == self._no_org_text():
            self._error.setText("")

    def _no_org_text(self) -> str:
        return self.tr("この端末で記録する組織を選んでください。")

    def _accept(self) -> None:
        # 始める is enabled once an org is chosen: the name is what may still be missing.
        if not self.name_edit.text().strip():
            self._error.setText(self.tr("名前を入力してください（変更履歴に記録されます）。"))
            self.name_edit.setFocus()
            return
        if self.chosen_org() is None:
            self._error.setText(self._no_org_text())
            self.org_combo.setFocus()
            return
        self.accept()

    def open_import(self) -> None:
        """「古いパソコンの鍵を読み込む…」: on success this dialog is accepted with the installation made."""
        dialog = ImportIdentityDialog(self._data_dir, self.name_edit.text().strip(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._imported)
        dialog.open()

    def _imported(self, result: IdentityImport) -> None:
        self.imported = result
        self.accept()

    def choice(self) -> FirstRunChoice:
        if self.imported is not None:
            settings = self.imported.ctx.settings
            return FirstRunChoice(self.imported.ctx.org, settings.user_name, False, self.imported)
        org = self.chosen_org()
        assert org is not None, "accepted without an organisation"
        return FirstRunChoice(org, self.name_edit.text().strip(), self.demo_check.isChecked())
