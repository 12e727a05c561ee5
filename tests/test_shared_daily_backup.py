"""A shared PostgreSQL database is backed up once a day, by the first of its clients to open it,
not once per staff member; the others are told where that day's dump is (the backup list and the
バックアップ dialog). Needs a server: pytest --postgres URL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from helpers import run_cli
from jcim_desktop.services import backups
from jcim_desktop.services.context import open_app
from jcim_desktop.store import backup as store_backup
from jcim_desktop.store import shared_backups
from jcim_desktop.store.database import make_server_engine


def _dumps(folder: Path) -> list[store_backup.Backup]:
    return [b for b in backups.list_backups(folder) if b.path.suffix == ".pgdump"]


def _forget_todays_dumps(url: str) -> None:
    """As if nobody had opened the database yet today (the fixture's init commands did)."""
    engine = make_server_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM database_backups"))
    finally:
        engine.dispose()


def test_the_first_client_of_the_day_dumps_the_database_and_the_next_does_not(shared, capsys):
    _forget_todays_dumps(shared.url)
    for folder in (shared.yamada, shared.sato):
        for old in _dumps(folder):
            old.path.unlink()

    open_app(shared.yamada).close()  # the day's first start: it takes the dump
    open_app(shared.sato).close()    # a colleague's start later the same day: it does not

    assert [b.reason for b in _dumps(shared.yamada)] == ["daily"]
    assert _dumps(shared.sato) == []
    [told] = backups.colleagues_backups(shared.sato)
    assert (told.user_name, told.reason, told.file) == ("山田", "daily", str(_dumps(shared.yamada)[0].path))
    assert backups.colleagues_backups(shared.yamada) == []  # one's own dumps are in one's own list

    status, _out, err = run_cli(capsys, "--data-dir", str(shared.sato), "backup", "list")
    assert status == 0, err
    assert "ほかの職員が取った共有データベースのバックアップ" in err
    assert "山田" in err and str(_dumps(shared.yamada)[0].path) in err


def test_a_client_starting_while_a_colleague_takes_the_dump_goes_on_without_one(shared):
    _forget_todays_dumps(shared.url)
    for old in _dumps(shared.sato):
        old.path.unlink()
    engine = make_server_engine(shared.url)
    try:
        with shared_backups.daily_dump_turn(engine, dt.date.today()) as mine:  # 山田's client, dumping now
            assert mine
            open_app(shared.sato).close()
            with shared_backups.daily_dump_turn(engine, dt.date.today()) as again:
                assert not again  # nobody takes a second turn meanwhile
    finally:
        engine.dispose()
    assert _dumps(shared.sato) == []


def test_a_dump_a_person_takes_is_recorded_with_their_name(shared, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.sato), "backup", "create")
    assert status == 0, err
    newest = backups.colleagues_backups(shared.yamada)[0]
    assert (newest.user_name, newest.reason) == ("佐藤", "manual")
    assert Path(newest.file) == _dumps(shared.sato)[0].path
