"""A database that cannot be opened (empty, not SQLite, damaged): restore the newest good
backup, start fresh keeping the bad file aside, or quit. Never a dead end."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from jcim_desktop.services import backups
from jcim_desktop.ui.backup_dialog import reason_label
from jcim_desktop.ui.fmt import datetime_label
from jcim_desktop.ui.widgets.buttons import push_button

RESTORE, FRESH, QUIT = "restore", "fresh", "quit"


class DamagedDatabaseDialog(QDialog):
    """``choice`` is RESTORE, FRESH or QUIT once the dialog is closed (QUIT by Esc or ×)."""

    def __init__(self, damaged: backups.DatabaseDamaged, kept_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QUIT
        self.setWindowTitle(self.tr("データベースを開けません"))
        self.setMinimumWidth(600)
        good = damaged.good_backup

        problem = QLabel(self.tr("データベース（{path}）が壊れています: {detail}。").format(
            path=damaged.db_path, detail=damaged.detail))
        problem.setWordWrap(True)
        problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(problem)

        if good is not None:
            offer = QLabel(
                self.tr("最新の正常なバックアップ: {when}（{reason}）\n"
                        "復元すると、壊れたファイルは {name} として残します。"
                        "バックアップより後の変更は含まれません。").format(
                    when=datetime_label(good.taken_at), reason=reason_label(good.reason), name=kept_name)
            )
        else:
            offer = QLabel(self.tr("正常なバックアップは見つかりませんでした。"))
        offer.setWordWrap(True)
        layout.addWidget(offer)
        fresh_note = QLabel(
            self.tr("新しく始めると、壊れたファイルは {name} として残し、空のデータベースで始めます。\n"
                    "この端末の鍵は引き継ぐので、ほかの端末の信頼はそのままです。"
                    "事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。").format(name=kept_name)
        )
        fresh_note.setWordWrap(True)
        layout.addWidget(fresh_note)

        self.restore_button = push_button(self.tr("最新の正常なバックアップから復元(&R)"), lambda: self._choose(RESTORE))
        self.restore_button.setVisible(good is not None)
        self.fresh_button = push_button(self.tr("新しく始める(&N)"), lambda: self._choose(FRESH))
        self.quit_button = push_button(self.tr("終了(&Q)"), lambda: self._choose(QUIT))
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(self.fresh_button)
        row.addStretch(1)
        row.addWidget(self.quit_button)
        layout.addLayout(row)
        for button in (self.restore_button, self.fresh_button, self.quit_button):
            button.setAutoDefault(False)
        # Enter takes the safe way: the backup when there is one, else quitting.
        default = self.restore_button if good is not None else self.quit_button
        default.setDefault(True)
        default.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == QUIT:
            self.reject()
        else:
            self.accept()
