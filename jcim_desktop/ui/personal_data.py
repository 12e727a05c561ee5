"""What personal data (個人情報) a file will hold, in words, and the Excel export's question.

A sync package or an Excel list holds the contacts of needs and seeds (担当者の氏名・部署・
メールアドレス・電話番号) only when the person ticks the check box; beside it the window says
plainly what the file will then contain, with the counts from ``services.personal_data``
(packages) or ``services.excel_export.list_contact_counts`` (lists).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from jcim_desktop.services.context import AppContext
from jcim_desktop.services.personal_data import ContactCounts
from jcim_desktop.services.records import Query
from jcim_desktop.ui import fmt, palette
from jcim_desktop.ui.page import page_title

translate = QCoreApplication.translate

CAUTION_STYLE = f"color: {palette.CAUTION};"


def contained_text(counts: ContactCounts) -> str:
    """「このファイルには個人情報（自治体ニーズ N 件・シーズ M 件の担当者の氏名・部署・メールアドレス・
    電話番号）が含まれます。」 (only the entities the file holds are named)."""
    if counts.needs is not None and counts.seeds is not None:
        return translate("PersonalData", "このファイルには個人情報（自治体ニーズ {needs} 件・シーズ {seeds} 件の担当者の"
                                         "氏名・部署・メールアドレス・電話番号）が含まれます。").format(
            needs=fmt.number(counts.needs), seeds=fmt.number(counts.seeds))
    if counts.seeds is not None:
        return translate("PersonalData", "このファイルには個人情報（シーズ {seeds} 件の担当者の"
                                         "氏名・部署・メールアドレス・電話番号）が含まれます。").format(
            seeds=fmt.number(counts.seeds))
    return translate("PersonalData", "このファイルには個人情報（自治体ニーズ {needs} 件の担当者の"
                                     "氏名・部署・メールアドレス・電話番号）が含まれます。").format(
        needs=fmt.number(counts.needs or 0))


def not_contained_text() -> str:
    return translate("PersonalData", "個人情報（担当者連絡先）は含まれません。")


def show_personal_data(label: QLabel, counts: ContactCounts | None) -> None:
    """Put what the file will hold in ``label``: ``counts`` when contacts are included (in the
    caution colour), None when they are not."""
    if counts is None:
        label.setText(not_contained_text())
        label.setStyleSheet("")
    else:
        label.setText(contained_text(counts))
        label.setStyleSheet(CAUTION_STYLE)


class ListExportDialog(QDialog):
    """Before a list of needs or seeds is exported to Excel: 連絡先を含める (off by default), and
    what personal data the file will then hold."""

    def __init__(self, ctx: AppContext, page: str, title: str, query: Query | None = None,
                 parent: QWidget | None = None) -> None:
        from jcim_desktop.services import excel_export

        super().__init__(parent)
        self.setWindowTitle(self.tr("Excel への書き出し"))
        self.counts = excel_export.list_contact_counts(ctx, page, query)
        intro = QLabel(self.tr("{list}を、表示中の絞り込みと並び順で Excel に書き出します。").format(
            list=page_title(title)))
        intro.setWordWrap(True)
        self.contacts_box = QCheckBox(self.tr("連絡先を含める"))
        self.contacts_box.setToolTip(self.tr("担当者の氏名・部署・メールアドレス・電話番号の列を加えます。個人情報です。"
                                             "必要なときだけ含め、書き出したファイルの扱いに注意してください。"))
        self.contacts_box.setChecked(False)
        self.personal_data_label = QLabel()
        self.personal_data_label.setWordWrap(True)
        self.contacts_box.toggled.connect(self._update)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存先を選ぶ…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.contacts_box)
        layout.addWidget(self.personal_data_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._update()

    def include_contacts(self) -> bool:
        return self.contacts_box.isChecked()

    def _update(self) -> None:
        show_personal_data(self.personal_data_label, self.counts if self.contacts_box.isChecked() else None)
