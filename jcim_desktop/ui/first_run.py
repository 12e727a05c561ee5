"""First run: choose the organisation and your name, and whether to load demo data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
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

from jcim_desktop.domain.orgs import ORGS, OrgKind
from jcim_desktop.ui import labels, palette


@dataclass(frozen=True)
class FirstRunChoice:
    org: str
    user_name: str
    load_demo: bool


class FirstRunDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None, *, fresh_start: bool = False) -> None:
        super().__init__(parent)
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

        self.org_combo = QComboBox()
        for kind in (OrgKind.REGIONAL_FORUM, OrgKind.NATIONAL_FORUM, OrgKind.SECRETARIAT):
            for org in ORGS.values():
                if org.kind is kind:
                    name = labels.org(org.code)
                    shown = name if kind is OrgKind.SECRETARIAT else self.tr("{org}（{kind}）").format(
                        org=name, kind=labels.org_kind(kind))
                    self.org_combo.addItem(shown, org.code)
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
        layout.addWidget(folder)
        layout.addWidget(self._error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.name_edit.text().strip():
            self._error.setText(self.tr("名前を入力してください（変更履歴に記録されます）。"))
            self.name_edit.setFocus()
            return
        self.accept()

    def choice(self) -> FirstRunChoice:
        return FirstRunChoice(str(self.org_combo.currentData()), self.name_edit.text().strip(), self.demo_check.isChecked())
