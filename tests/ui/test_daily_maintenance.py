"""The window does not wait for work that grows with the database (issue 14 point 2): the
whole-file check and the daily backup run once a day after the first paint, off the GUI thread,
and damage they find is said with the way on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from jcim_desktop.services.context import open_app
from jcim_desktop.store import backup as backups
from jcim_desktop.ui import ops
from jcim_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

TIMEOUT = 20000


@pytest.fixture
def new_day(make_ctx):  # type: ignore[no-untyped-def]
    """A data folder opened as the window opens it, on a day with no backup yet."""
    folder = make_ctx("chugoku").data_dir
    for backup in backups.list_backups(folder / "backups"):
        backup.path.unlink()
    ctx = open_app(folder, maintenance=False)
    yield ctx
    ops.wait_for_all()
    ctx.close()


@pytest.mark.sqlite_only  # the whole-file check (quick_check) is SQLite's; a shared database: tests/test_shared_daily_backup.py
def test_the_daily_check_and_backup_run_after_the_first_paint_off_the_gui_thread(qtbot, new_day, monkeypatch):
    checked_on: list[bool] = []
    real = backups.database_problem

    def database_problem(path, **kwargs):  # type: ignore[no-untyped-def]
        checked_on.append(threading.current_thread() is threading.main_thread())
        return real(path, **kwargs)

    monkeypatch.setattr(backups, "database_problem", database_problem)
    window = MainWindow(new_day)
    qtbot.addWidget(window)
    assert new_day.db.maintenance_due() and checked_on == []  # the window opened without them
    with qtbot.waitSignal(window.started, timeout=TIMEOUT):
        window.show()
    qtbot.waitUntil(lambda: not new_day.db.maintenance_due(), timeout=TIMEOUT)
    assert checked_on == [False]  # checked once, on a worker thread
    assert [b.reason for b in backups.list_backups(new_day.data_dir / "backups")] == ["daily"]


@pytest.mark.sqlite_only  # the whole-file check is SQLite's; a server checks its own files
def test_damage_found_by_the_daily_check_is_said_with_the_backup_to_restore(qtbot, new_day, monkeypatch):
    good = backups.backup_database(new_day.db.path, new_day.data_dir / "old-backups", "manual")
    monkeypatch.setattr(backups, "database_problem",
                        lambda path, **kwargs: "中身の一部が読めません（database disk image is malformed）")
    monkeypatch.setattr(backups, "newest_good_backup", lambda folder: backups.parse_backup_name(good))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(f"{title}|{text}"))
    window = MainWindow(new_day)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.started, timeout=TIMEOUT):
        window.show()
    qtbot.waitUntil(lambda: bool(said), timeout=TIMEOUT)
    (text,) = said
    assert text.startswith("データベースの点検|データベースの点検で問題が見つかりました。")
    assert "database disk image is malformed" in text and good.name in text and "「ファイル」→「バックアップ…」" in text
    assert backups.list_backups(new_day.data_dir / "backups") == []  # no backup of a damaged file
