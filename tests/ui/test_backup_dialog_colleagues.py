"""The バックアップ dialog on a shared database names the dumps colleagues took (in their own
folders): the day's backup was taken once, by whoever started first. Needs --postgres."""

from __future__ import annotations

import pytest

from jcim_desktop.services import backups
from jcim_desktop.services.context import open_app
from jcim_desktop.ui.backup_dialog import BackupDialog

pytestmark = pytest.mark.gui


def test_the_dialog_says_which_colleague_took_a_backup_and_where(qtbot, shared):
    yamada = open_app(shared.yamada)
    try:
        made = backups.take_backup(yamada)
    finally:
        yamada.close()
    sato = open_app(shared.sato)
    try:
        dialog = BackupDialog(sato)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.colleagues_label.isVisible()
        shown = dialog.colleagues_label.text()
        assert "ほかの職員が取った共有データベースのバックアップ" in shown
        assert "山田" in shown and str(made.path) in shown and "手動" in shown
    finally:
        sato.close()


def test_on_ones_own_database_the_line_is_not_there(qtbot, forum):
    dialog = BackupDialog(forum)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.colleagues_label.isVisible()
