"""What opening the database costs does not grow with it (issue 14 point 2): the whole-file
``quick_check`` and the backup run once a day (the daily maintenance), not at every open."""

from __future__ import annotations

import datetime as dt

import pytest

from jcim_desktop.services.context import open_app
from jcim_desktop.store import backup as backups

# The SQLite file's own checks and copies (a server checks and backs up its own files).
pytestmark = pytest.mark.sqlite_only


def test_the_whole_file_is_checked_and_copied_once_a_day(make_ctx, monkeypatch):
    folder = make_ctx("chugoku").data_dir
    checks: list[str] = []
    real_check = backups.quick_check
    monkeypatch.setattr(backups, "quick_check", lambda path: checks.append(path.name) or real_check(path))
    for backup in backups.list_backups(folder / "backups"):
        backup.path.unlink()  # as on the first start of a new day

    ctx = open_app(folder)  # the first open of the day: checked and backed up
    ctx.close()
    assert checks == ["jcim.sqlite3"]
    assert [b.reason for b in backups.list_backups(folder / "backups")] == ["daily"]
    for _ in range(3):  # every later command of the day: neither
        ctx = open_app(folder)
        ctx.close()
    assert checks == ["jcim.sqlite3"] and len(backups.list_backups(folder / "backups")) == 1


def test_the_window_opens_without_the_daily_work_and_runs_it_later(make_ctx, monkeypatch):
    folder = make_ctx("chugoku").data_dir
    for backup in backups.list_backups(folder / "backups"):
        backup.path.unlink()
    checks: list[str] = []
    real_check = backups.quick_check
    monkeypatch.setattr(backups, "quick_check", lambda path: checks.append(path.name) or real_check(path))
    ctx = open_app(folder, maintenance=False)
    try:
        assert checks == [] and ctx.db.maintenance_due()
        ctx.db.daily_maintenance()
        assert checks == ["jcim.sqlite3"] and not ctx.db.maintenance_due()
        assert not ctx.db.maintenance_due(dt.date.today()) and ctx.db.maintenance_due(dt.date.today() + dt.timedelta(1))
    finally:
        ctx.close()
