"""The バックアップ dialog (list, back up now, restore with a confirmation that says what happens,
the window going on with the restored data) and the damaged-database dialog at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from helpers import NEED, need_titles
from jcim_desktop.services import backups, records
from jcim_desktop.services.context import KEY_DIR_NAME, init_installation, open_app
from jcim_desktop.ui import ops
from jcim_desktop.ui.app import _open_with_recovery
from jcim_desktop.ui.backup_dialog import BackupDialog
from jcim_desktop.ui.first_run import FirstRunDialog
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.recovery_dialog import DamagedDatabaseDialog

pytestmark = pytest.mark.gui


def test_the_dialog_lists_backups_newest_first_in_japanese(qtbot, forum):
    made = backups.take_backup(forum)
    dialog = BackupDialog(forum)
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["日時", "種類", "大きさ", "ファイル名"]
    assert dialog.table.rowCount() == 2  # the daily one of the start, and ours
    when, reason, size, name = (dialog.table.item(0, c).text() for c in range(4))
    assert name == made.path.name and reason == "手動" and size.endswith("KB")
    assert when.startswith("令和") and "年" in when and "月" in when and "日 " in when
    assert dialog.table.item(1, 1).text() == "毎日の自動"
    assert dialog.selected() is not None and dialog.selected().path == made.path
    assert str(forum.data_dir / "backups") == dialog.folder_label.text()
    assert not dialog.empty_label.isVisibleTo(dialog)


def test_back_up_now_adds_the_new_backup_at_the_top(qtbot, forum):
    dialog = BackupDialog(forum)
    qtbot.addWidget(dialog)
    before = dialog.table.rowCount()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1 and dialog.backup_button.isEnabled())
    ops.wait_for_all()
    newest = backups.list_backups(forum.data_dir)[0]
    assert dialog.table.item(0, 3).text() == newest.path.name and newest.reason == "manual"
    assert dialog.selected() is not None and dialog.selected().path == newest.path


def test_fits_the_smallest_window_and_works_from_the_keyboard(qtbot, forum):
    dialog = BackupDialog(forum)
    qtbot.addWidget(dialog)
    assert dialog.width() <= 1024 and dialog.height() <= 680
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 680
    assert dialog.table.hasFocus() or dialog.focusWidget() is dialog.table
    # Tab goes on from the list to its buttons, then 閉じる, then the tabs (バックアップ, 取り込みの取り消し).
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.backup_button, dialog.restore_button, dialog.close_button, dialog.tabs.tabBar()]
    assert "&B" in dialog.backup_button.text() and "&R" in dialog.restore_button.text()
    assert dialog.close_button.isDefault() and not dialog.restore_button.autoDefault()


@pytest.mark.sqlite_only  # the file kept beside: a shared database is dumped (test_backup_dialog_shared.py)
def test_restore_asks_first_and_saying_no_changes_nothing(qtbot, forum, answers):
    records.create(forum, "needs", NEED)
    backups.take_backup(forum)
    dialog = BackupDialog(forum)
    qtbot.addWidget(dialog)
    answers.click = "やめる"
    dialog.restore_selected()
    (question, detail), = answers.shown
    assert "のバックアップから復元しますか？" in question
    assert "として同じフォルダに残します" in detail and "jcim.before-restore-" in detail
    assert "より後に入力・取り込みした変更は、復元したデータには含まれません" in detail
    assert dialog.new_ctx is None and need_titles(forum) == ["河川堤防の点検"]


@pytest.mark.sqlite_only  # a shared database: tests/ui/test_backup_dialog_shared.py
def test_restoring_from_the_menu_goes_on_with_the_restored_data(qtbot, forum, answers, monkeypatch):
    records.create(forum, "needs", NEED)
    backups.take_backup(forum)
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    answers.click = "復元する"
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    window.show_page("needs")
    ops.wait_for_all()

    def run_dialog(dialog: BackupDialog) -> int:
        # The person picks the newest backup (already selected) and presses Enter on it.
        dialog.show()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        return 1

    monkeypatch.setattr(BackupDialog, "exec", run_dialog)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "バックアップ(&B)…")
    action.trigger()

    replacement = window.replaced_by
    assert replacement is not None and replacement is not window
    qtbot.addWidget(replacement)
    assert not window.isVisible() and replacement.isVisible()
    assert need_titles(replacement.ctx) == ["河川堤防の点検"]
    assert replacement.ctx.installation_id != forum.installation_id
    assert "復元したデータ" in replacement.statusBar().currentMessage()
    page = replacement.show_page("needs")
    ops.wait_for_all()
    assert page.page_id == "needs"
    kept = list(forum.data_dir.glob("jcim.before-restore-*.sqlite3"))
    assert len(kept) == 1
    question, detail = answers.shown[0]
    assert kept[0].name in detail  # the name announced is the name used
    done_title, done_text = answers.shown[1]
    assert "復元しました" in done_text and kept[0].name in done_text
    replacement.ctx.close()


# The damaged-database dialog at start ------------------------------------------------------------

def _click_when_shown(qtbot, kind, button_name: str, prepare=None) -> list[object]:  # type: ignore[no-untyped-def]
    """Click ``button_name`` of the first visible ``kind`` dialog as soon as it appears."""
    seen: list[object] = []
    tries = [0]

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible() and widget not in seen:
                seen.append(widget)
                if prepare is not None:
                    prepare(widget)
                getattr(widget, button_name).click()
                return
        tries[0] += 1
        if tries[0] < 1000:  # give up after a while rather than poll into later tests
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def _damage(db: Path, how: str) -> bytes:
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    raw = db.read_bytes()
    bad = {"zero-byte": b"", "garbage": b"\x13\x37 not sqlite " * 900, "truncated": raw[: len(raw) // 2]}[how]
    db.write_bytes(bad)
    return bad


@pytest.mark.parametrize("how", ["zero-byte", "garbage", "truncated"])
def test_a_damaged_database_at_start_is_restored_from_the_newest_good_backup(qtbot, tmp_path, answers, how):
    data = tmp_path / "data"
    ctx = init_installation("chugoku", data)
    records.create(ctx, "needs", NEED)
    backups.take_backup(ctx)
    ctx.close()
    bad = _damage(data / "jcim.sqlite3", how)

    seen = _click_when_shown(qtbot, DamagedDatabaseDialog, "restore_button")
    opened = _open_with_recovery(data)

    assert opened is not None
    try:
        assert need_titles(opened) == ["河川堤防の点検"]
    finally:
        opened.close()
    (dialog,) = seen
    assert dialog.restore_button.isVisible() or dialog.restore_button.isVisibleTo(dialog)
    (kept,) = data.glob("jcim.damaged-*.sqlite3")
    assert kept.read_bytes() == bad


def test_without_a_backup_a_fresh_start_keeps_the_bad_file_and_the_key(qtbot, tmp_path, answers):
    data = tmp_path / "data"
    ctx = init_installation("chugoku", data)
    key = ctx.public_key
    ctx.close()
    for backup in (data / "backups").iterdir():
        backup.unlink()
    bad = _damage(data / "jcim.sqlite3", "garbage")

    seen = _click_when_shown(qtbot, DamagedDatabaseDialog, "fresh_button")
    opened = _open_with_recovery(data)

    assert opened is not None
    try:
        assert opened.org == "chugoku" and opened.public_key == key and need_titles(opened) == []
    finally:
        opened.close()
    (dialog,) = seen
    assert not dialog.restore_button.isVisibleTo(dialog)  # nothing to restore: not offered
    (kept,) = data.glob("jcim.damaged-*.sqlite3")
    assert kept.read_bytes() == bad
    title, text = answers.shown[-1]
    assert "新しく始めました" in text and kept.name in text and "鍵は引き継いだ" in text


def test_a_fresh_start_asks_the_org_when_nothing_records_it(qtbot, tmp_path, answers):
    data = tmp_path / "data"
    init_installation("kinki", data).close()
    (data / KEY_DIR_NAME / "identity.json").unlink()
    for backup in (data / "backups").iterdir():
        backup.unlink()
    _damage(data / "jcim.sqlite3", "zero-byte")

    def choose(dialog: FirstRunDialog) -> None:
        assert not dialog.demo_check.isVisibleTo(dialog)
        dialog.org_combo.setCurrentIndex(dialog.org_combo.findData("kinki"))
        dialog.name_edit.setText("近畿 花子")

    _click_when_shown(qtbot, DamagedDatabaseDialog, "fresh_button")
    _click_when_shown(qtbot, FirstRunDialog, "_ok", prepare=choose)
    opened = _open_with_recovery(data)
    assert opened is not None
    try:
        assert opened.org == "kinki" and opened.user_name == "近畿 花子"
    finally:
        opened.close()


def test_quitting_changes_nothing(qtbot, tmp_path, answers):
    data = tmp_path / "data"
    init_installation("chugoku", data).close()
    bad = _damage(data / "jcim.sqlite3", "garbage")
    _click_when_shown(qtbot, DamagedDatabaseDialog, "quit_button")
    assert _open_with_recovery(data) is None
    assert (data / "jcim.sqlite3").read_bytes() == bad
    assert not list(data.glob("jcim.damaged-*"))


def test_the_damaged_dialog_says_what_each_choice_does(qtbot, tmp_path):
    data = tmp_path / "data"
    init_installation("chugoku", data).close()
    _damage(data / "jcim.sqlite3", "zero-byte")
    with pytest.raises(backups.DatabaseDamaged) as caught:
        open_app(data)
    dialog = DamagedDatabaseDialog(caught.value, "jcim.damaged-20300101-000000.sqlite3")
    qtbot.addWidget(dialog)
    texts = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "ファイルが空です（0 バイト）" in texts
    assert "最新の正常なバックアップ: 令和" in texts and "（毎日の自動）" in texts
    assert "復元すると、壊れたファイルは jcim.damaged-20300101-000000.sqlite3 として残します。" in texts
    assert "jcim.damaged-20300101-000000.sqlite3 として残し、空のデータベースで始めます" in texts
    assert dialog.restore_button.isDefault()
    assert [b.text() for b in (dialog.restore_button, dialog.fresh_button, dialog.quit_button)] == [
        "最新の正常なバックアップから復元(&R)", "新しく始める(&N)", "終了(&Q)"]


def test_a_bug_in_the_window_is_logged_under_the_data_folder_in_use(qtbot, tmp_path, monkeypatch):
    from jcim_desktop.ui import crash

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(crash, "_data_dir", None)
    crash.install_excepthook(tmp_path / "data")
    try:
        raise RuntimeError("a bug behind a button")
    except RuntimeError as exc:
        crash.report_bug(None, exc)
    log = tmp_path / "data" / "logs" / "crash.log"
    assert "a bug behind a button" in log.read_text(encoding="utf-8")
    assert str(log) in shown[0]
