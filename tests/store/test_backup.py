"""Backups: their order (time, then sequence within a second), restoring with the current
database kept beside it, what counts as a usable database, and faults while backing up."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from helpers import NEED, dump
from jcim_desktop.errors import DatabaseLocked, DiskFull, ReadOnlyStorage, UserError
from jcim_desktop.services import records
from jcim_desktop.store import backup as backups


def titles(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT title FROM needs"))
    finally:
        conn.close()


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on every backup is taken at 2030-01-02 03:04:05: the clock stands still.

    Ask for it after ``forum``, so that the installation is made before the clock stops."""

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return cls(2030, 1, 2, 3, 4, 5)

    monkeypatch.setattr(backups.dt, "datetime", Frozen)


def test_backups_of_one_second_are_ordered_by_sequence_newest_first(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "jcim-20240701-093005-daily.sqlite3",      # the first of that second: sequence 0
        "jcim-20240701-093005-1-manual.sqlite3",
        "jcim-20240701-093005-2-import.sqlite3",
        "jcim-20240701-093005-10-manual.sqlite3",  # "10" sorts before "2" as text: must not here
        "jcim-20240701-093004-9-upgrade.sqlite3",  # an earlier second, whatever its sequence
        "jcim-20240701-093006-daily.sqlite3",
        "not-a-backup.sqlite3",
        "jcim-20240701-093007-daily.sqlite3.part",  # unfinished: never listed
    ]
    for name in names:
        (folder / name).write_bytes(b"")
    listed = [b.path.name for b in backups.list_backups(folder)]
    assert listed == [
        "jcim-20240701-093006-daily.sqlite3",
        "jcim-20240701-093005-10-manual.sqlite3",
        "jcim-20240701-093005-2-import.sqlite3",
        "jcim-20240701-093005-1-manual.sqlite3",
        "jcim-20240701-093005-daily.sqlite3",
        "jcim-20240701-093004-9-upgrade.sqlite3",
    ]
    assert [b.sequence for b in backups.list_backups(folder)] == [0, 10, 2, 1, 0, 9]


def test_pruning_keeps_the_newest_by_time_and_sequence(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("jcim-20240701-093005-daily.sqlite3", "jcim-20240701-093005-2-manual.sqlite3",
                 "jcim-20240701-093005-10-manual.sqlite3", "jcim-20240701-093005-1-manual.sqlite3"):
        (folder / name).write_bytes(b"")
    backups.prune_backups(folder, keep=2)
    assert sorted(p.name for p in folder.iterdir()) == [
        "jcim-20240701-093005-10-manual.sqlite3", "jcim-20240701-093005-2-manual.sqlite3"]


@pytest.mark.sqlite_only
def test_backups_taken_in_one_second_are_numbered_whatever_their_reason(forum, frozen_clock):
    made = [forum.db.backup(reason) for reason in ("daily", "manual", "import", "manual")]
    assert [p.name for p in made] == [
        "jcim-20300102-030405-daily.sqlite3", "jcim-20300102-030405-1-manual.sqlite3",
        "jcim-20300102-030405-2-import.sqlite3", "jcim-20300102-030405-3-manual.sqlite3"]
    newest = backups.list_backups(forum.db.backup_dir)[0]
    assert newest.path == made[-1] and newest.sequence == 3


@pytest.mark.sqlite_only
def test_the_newest_good_backup_is_the_last_taken_even_within_one_second(forum, frozen_clock):
    for _ in range(11):
        forum.db.backup("manual")
    records.create(forum, "needs", NEED)
    last = forum.db.backup("manual")
    assert last.name == "jcim-20300102-030405-11-manual.sqlite3"
    good = backups.newest_good_backup(forum.db.backup_dir)
    assert good is not None and good.path == last
    assert titles(good.path) == ["河川堤防の点検"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "ファイルが空です（0 バイト）"),
        (b"this is not a database at all" * 200, "SQLite のデータベースではありません"),
    ],
)
def test_an_empty_or_foreign_file_is_not_a_usable_database(tmp_path, content, expected):
    path = tmp_path / "jcim.sqlite3"
    path.write_bytes(content)
    problem = backups.database_problem(path)
    assert problem is not None and expected in problem


@pytest.mark.sqlite_only
def test_a_truncated_database_is_damaged(forum):
    records.create(forum, "needs", NEED)
    path = forum.db.path
    forum.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    problem = backups.database_problem(path)
    assert problem is not None and "中身の一部が読めません" in problem and "malformed" in problem


def test_an_sqlite_file_without_our_data_is_not_usable(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    assert "JCIM Desktop のデータが入っていません" in (backups.database_problem(path) or "")


@pytest.mark.sqlite_only
def test_restore_keeps_the_current_database_beside_it_with_everything_in_it(forum):
    records.create(forum, "needs", NEED)
    taken = forum.db.backup("manual")
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    db_path = forum.db.path
    forum.close()

    kept = backups.restore_backup(taken, db_path)

    assert kept is not None and kept.parent == db_path.parent
    assert kept.name.startswith("jcim.before-restore-") and kept.suffix == ".sqlite3"
    assert titles(db_path) == ["河川堤防の点検"]
    assert titles(kept) == ["橋梁の点検", "河川堤防の点検"]  # nothing of the replaced database lost
    assert not Path(str(db_path) + "-wal").exists() or Path(str(db_path) + "-wal").stat().st_size == 0
    assert not list(db_path.parent.glob(".*.tmp"))


@pytest.mark.sqlite_only
def test_restore_moves_a_damaged_database_and_its_wal_aside_together(forum):
    taken = forum.db.backup("manual")
    db_path = forum.db.path
    forum.close()
    db_path.write_bytes(b"garbage" * 1000)
    Path(str(db_path) + "-wal").write_bytes(b"old wal")
    kept = backups.restore_backup(taken, db_path, damaged=True)
    assert kept is not None and kept.name.startswith("jcim.damaged-")
    assert kept.read_bytes() == b"garbage" * 1000
    assert Path(str(kept) + "-wal").read_bytes() == b"old wal"
    assert backups.database_problem(db_path) is None


def test_restore_refuses_a_file_that_is_not_a_good_backup_and_changes_nothing(forum, tmp_path):
    records.create(forum, "needs", NEED)
    db_path = forum.db.path
    forum.close()
    before = dump(db_path)
    bad = tmp_path / "jcim-20240701-093005-manual.sqlite3"
    bad.write_bytes(b"\0" * 4096)
    with pytest.raises(UserError, match="正常なバックアップではありません"):
        backups.restore_backup(bad, db_path)
    assert dump(db_path) == before
    assert sorted(p.name for p in db_path.parent.glob("jcim.*")) == ["jcim.sqlite3"]


@pytest.mark.sqlite_only
def test_restore_refuses_while_another_program_has_the_database_open(forum):
    records.create(forum, "needs", NEED)
    taken = forum.db.backup("manual")
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    db_path = forum.db.path
    before = dump(db_path)
    other = sqlite3.connect(db_path)  # another program with the file open (not even writing)
    other.execute("SELECT count(*) FROM needs").fetchall()
    try:
        with pytest.raises(DatabaseLocked) as caught:
            backups.restore_backup(taken, db_path)
    finally:
        other.close()
        forum.close()
    assert "ほかのプログラムが開いています" in caught.value.message
    assert "閉じてから" in caught.value.message
    assert dump(db_path) == before


@pytest.mark.sqlite_only
def test_a_full_disk_while_backing_up_leaves_no_partial_backup(forum, monkeypatch):
    records.create(forum, "needs", NEED)
    before = dump(forum.db.path)
    existing = sorted(p.name for p in forum.db.backup_dir.iterdir())
    real_connect = sqlite3.connect

    def tiny_destination(target, *args, **kwargs):  # the backup's file system has 2 pages left
        conn = real_connect(target, *args, **kwargs)
        if str(target).endswith(".part"):
            conn.execute("PRAGMA max_page_count=2")
        return conn

    monkeypatch.setattr(backups.sqlite3, "connect", tiny_destination)
    with pytest.raises(DiskFull) as caught:
        forum.db.backup("manual")
    assert "ディスクの空き容量が足りません" in caught.value.message
    assert "バックアップの作成ができませんでした" in caught.value.message
    assert sorted(p.name for p in forum.db.backup_dir.iterdir()) == existing
    assert dump(forum.db.path) == before


def test_a_backup_folder_that_cannot_be_written_is_a_user_error(forum, monkeypatch):
    import errno

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ReadOnlyStorage) as caught:
        forum.db.backup("manual")
    assert "書き込む権限がありません" in caught.value.message


def test_kept_path_never_overwrites(tmp_path):
    db = tmp_path / "jcim.sqlite3"
    when = dt.datetime(2030, 1, 2, 3, 4, 5)
    first = backups.kept_path(db, "damaged", when)
    first.write_bytes(b"x")
    second = backups.kept_path(db, "damaged", when)
    assert first.name == "jcim.damaged-20300102-030405.sqlite3"
    assert second.name == "jcim.damaged-20300102-030405-1.sqlite3"


@pytest.mark.sqlite_only
def test_restored_copy_is_independent_of_the_backup_file(forum):
    taken = forum.db.backup("manual")
    db_path = forum.db.path
    forum.close()
    backups.restore_backup(taken, db_path)
    shutil.copy(taken, taken.with_suffix(".copy"))
    taken.unlink()
    assert backups.database_problem(db_path) is None
