"""The バックアップ dialog on a shared PostgreSQL database (the --postgres run): the question says that
everyone's data go back and that the current state is kept as a 復元前 backup, and the window goes
on with the restored data."""

from __future__ import annotations

import pytest

from helpers import NEED, need_titles
from jcim_desktop.services import backups, records
from jcim_desktop.ui.backup_dialog import BackupDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def shared_ctx(secretariat):  # type: ignore[no-untyped-def]
    if backups.shared_location(secretariat) is None:
        pytest.skip("needs a shared database (pytest --postgres URL)")
    return secretariat


def test_restoring_a_shared_database_says_it_is_everyones_and_keeps_the_state_it_replaces(
        qtbot, shared_ctx, answers):
    records.create(shared_ctx, "needs", NEED)
    made = backups.take_backup(shared_ctx)
    records.create(shared_ctx, "needs", {**NEED, "title": "橋梁の点検"})
    dialog = BackupDialog(shared_ctx)
    qtbot.addWidget(dialog)
    assert dialog.selected() is not None and dialog.selected().path == made.path

    answers.click = "やめる"
    dialog.restore_selected()
    (_question, detail), = answers.shown
    assert "これは共有データベース" in detail and "使っている全員のデータが" in detail and "「復元前」" in detail
    assert "同じフォルダに残します" not in detail
    assert dialog.new_ctx is None and need_titles(shared_ctx) == ["橋梁の点検", "河川堤防の点検"]

    answers.click = "復元する"
    dialog.restore_selected()
    assert dialog.new_ctx is not None
    try:
        assert need_titles(dialog.new_ctx) == ["河川堤防の点検"]
        assert dialog.new_ctx.installation_id != shared_ctx.installation_id
        (kept,) = [b for b in backups.list_backups(shared_ctx.data_dir) if b.reason == "before-restore"]
        _title, done = answers.shown[-1]
        assert "復元しました" in done and f"復元する前の共有データベースは {kept.path.name}" in done
    finally:
        dialog.new_ctx.close()
