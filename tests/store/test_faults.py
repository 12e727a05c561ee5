"""Faults a laptop meets, as the person sees them: a full disk, a read-only data folder, a
database locked by another program. Each is a user error with a Japanese message saying what
happened and what to do, and the database content is unchanged afterwards."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from helpers import NEED, dump, refuse_new_files
from jcim_desktop.errors import (
    DatabaseLocked,
    DiskFull,
    FileInUse,
    ReadOnlyStorage,
    StorageError,
    UserError,
    user_error_from_os,
)
from jcim_desktop.services import records
from jcim_desktop.services.context import init_installation, open_app
from jcim_desktop.services.settings import load_settings, save_settings
from jcim_desktop.store import database

# The OSError helper -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("error", "cls", "says"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFull, "ディスクの空き容量が足りません"),
        (OSError(getattr(errno, "EDQUOT", errno.ENOSPC), "Disk quota exceeded"), DiskFull, "ディスクの空き容量が足りません"),
        (OSError(errno.EROFS, "Read-only file system"), ReadOnlyStorage, "読み取り専用"),
        (PermissionError(errno.EACCES, "Permission denied"), ReadOnlyStorage, "書き込む権限がありません"),
        (PermissionError(errno.EPERM, "Operation not permitted"), ReadOnlyStorage, "書き込む権限がありません"),
        (OSError(errno.EBUSY, "Device or resource busy"), FileInUse, "ほかのプログラムが使っています"),
        (OSError(errno.EIO, "Input/output error"), StorageError, "Input/output error"),
    ],
)
def test_os_errors_become_specific_user_errors(error, cls, says):
    made = user_error_from_os(error, "同期パッケージの書き出し", "/media/usb/chugoku.jcimsync")
    assert type(made) is cls and isinstance(made, UserError)
    assert made.message.startswith("同期パッケージの書き出しができませんでした: ")
    assert says in made.message and "/media/usb/chugoku.jcimsync" in made.message
    assert made.message.endswith("。")
    assert made.path == Path("/media/usb/chugoku.jcimsync")


def test_advice_replaces_the_usual_what_to_do():
    made = user_error_from_os(OSError(errno.ENOSPC, "full"), "下書きの保存", "/d", advice="画面を閉じないでください。")
    assert made.message == "下書きの保存ができませんでした: ディスクの空き容量が足りません（/d）。画面を閉じないでください。"


# A full disk -------------------------------------------------------------------------------------

def _fill_disk(ctx) -> None:  # type: ignore[no-untyped-def]
    """From now on the database file may not grow: SQLite's own "database or disk is full"."""
    with ctx.db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def limit(dbapi_connection, record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    ctx.db.engine.dispose()
    event.listen(ctx.db.engine, "connect", limit)


@pytest.mark.sqlite_only
def test_a_full_disk_while_saving_a_record_is_a_user_error_and_nothing_is_written(forum):
    records.create(forum, "needs", NEED)
    before = dump(forum.db.path)
    _fill_disk(forum)
    big = {**NEED, "title": "大きな記録", "requirements": "点検" * 40_000}
    with pytest.raises(DiskFull) as caught:
        records.create(forum, "needs", big)
    message = caught.value.message
    assert "ディスクの空き容量が足りません" in message
    assert "変更は保存されていません" in message and "空きを作って" in message
    assert str(forum.data_dir) in message
    forum.close()
    assert dump(forum.db.path) == before


@pytest.mark.sqlite_only
def test_a_full_disk_at_the_daily_backup_still_opens_the_data_and_says_so(forum, monkeypatch):
    from jcim_desktop.store import backup as backups

    data = forum.data_dir
    forum.close()
    for old in (data / "backups").iterdir():
        old.unlink()
    real_connect = sqlite3.connect

    def tiny_destination(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        conn = real_connect(target, *args, **kwargs)
        if str(target).endswith(".part"):
            conn.execute("PRAGMA max_page_count=2")
        return conn

    monkeypatch.setattr(backups.sqlite3, "connect", tiny_destination)
    ctx = open_app(data)
    try:
        (warning,) = ctx.db.warnings
        assert warning.startswith("バックアップの作成ができませんでした: ディスクの空き容量が足りません")
        assert records.list_records(ctx, "needs", records.Query()) == []
    finally:
        ctx.close()
    assert list((data / "backups").iterdir()) == []


# A database locked by another program ------------------------------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)


def test_a_write_lock_held_by_another_program_is_a_user_error(tmp_path, short_busy_timeout):
    ctx = init_installation("chugoku", tmp_path / "data")
    try:
        records.create(ctx, "needs", NEED)
        before = dump(ctx.db.path)
        other = sqlite3.connect(ctx.db.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of writing
        try:
            with pytest.raises(DatabaseLocked) as caught:
                records.create(ctx, "needs", {**NEED, "title": "橋梁の点検"})
        finally:
            other.execute("ROLLBACK")
            other.close()
        message = caught.value.message
        assert "ほかのプログラムが使っています" in message and "変更は保存されていません" in message
        assert "閉じてから、もう一度" in message and str(ctx.db.path) in message
        assert dump(ctx.db.path) == before
        # Once the other program lets go, the same write goes through.
        records.create(ctx, "needs", {**NEED, "title": "橋梁の点検"})
    finally:
        ctx.close()


def test_the_busy_timeout_is_configurable(tmp_path):
    engine = database.make_engine(tmp_path / "x.sqlite3", busy_timeout_ms=1234)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    finally:
        engine.dispose()
    engine = database.make_engine(tmp_path / "x.sqlite3")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == database.BUSY_TIMEOUT_MS == 5000
    finally:
        engine.dispose()


def test_an_exclusive_lock_at_start_is_not_taken_for_damage(tmp_path, short_busy_timeout):
    ctx = init_installation("chugoku", tmp_path / "data")
    db_path = ctx.db.path
    ctx.close()
    before = dump(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as caught:
            open_app(tmp_path / "data")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "ほかのプログラムが使っています" in caught.value.message
    assert "壊れて" not in caught.value.message
    assert dump(db_path) == before
    assert not list(db_path.parent.glob("jcim.damaged-*"))


# A read-only data folder -------------------------------------------------------------------------

def _chmod_stops_writes(folder: Path) -> bool:
    """False when running as root (or on a file system that ignores modes)."""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").write_text("x")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)
    return False


def test_a_data_folder_that_became_read_only_while_open_is_a_user_error(tmp_path, monkeypatch):
    ctx = init_installation("chugoku", tmp_path / "data")
    records.create(ctx, "needs", NEED)
    db_path = ctx.db.path
    ctx.close()
    before = dump(db_path)
    if _chmod_stops_writes(tmp_path):
        ctx = open_app(tmp_path / "data")
        (tmp_path / "data").chmod(0o555)
        db_path.chmod(0o444)
        undo = lambda: ((tmp_path / "data").chmod(0o755), db_path.chmod(0o644))  # noqa: E731
    else:
        # As root chmod stops nothing: the database is opened read-only, as SQLite opens a file
        # it may not write (same error, same code path).
        real = database.create_engine
        monkeypatch.setattr(database, "create_engine",
                            lambda url, **kw: real(f"sqlite:///file:{db_path}?mode=ro&uri=true", **kw))
        ctx = open_app(tmp_path / "data")
        undo = lambda: None  # noqa: E731
    try:
        with pytest.raises(ReadOnlyStorage) as caught:
            records.create(ctx, "needs", {**NEED, "title": "橋梁の点検"})
    finally:
        ctx.close()
        undo()
    message = caught.value.message
    assert "書き込めません" in message and "読み取り専用" in message and "変更は保存されていません" in message
    assert str(tmp_path / "data") in message
    assert dump(db_path) == before


def test_settings_in_a_read_only_folder_keep_the_old_file(forum, monkeypatch):
    before = (forum.data_dir / "settings.json").read_bytes()
    changed = load_settings(forum.data_dir)
    changed.user_name = "新しい名前"
    # What creating the temporary file beside settings.json meets in a read-only folder.
    refuse_new_files(monkeypatch, OSError(errno.EROFS, "Read-only file system"))
    with pytest.raises(ReadOnlyStorage) as caught:
        save_settings(forum.data_dir, changed)
    assert caught.value.message.startswith("設定の保存ができませんでした: 保存先が読み取り専用です")
    assert (forum.data_dir / "settings.json").read_bytes() == before
    assert not list(forum.data_dir.glob(".settings.json.*"))


def test_settings_on_a_full_disk_keep_the_old_file(forum, monkeypatch):
    before = (forum.data_dir / "settings.json").read_bytes()
    changed = load_settings(forum.data_dir)
    changed.user_name = "新しい名前"

    def full(fd):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull):
        save_settings(forum.data_dir, changed)
    assert (forum.data_dir / "settings.json").read_bytes() == before
    assert not list(forum.data_dir.glob(".settings.json.*"))


def test_a_draft_on_a_full_disk_says_the_input_is_still_there(forum, monkeypatch):
    from jcim_desktop.services import drafts

    drafts.save_draft(forum, "k1", "needs", None, {"title": "最初"})
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(DiskFull) as caught:
        drafts.save_draft(forum, "k1", "needs", None, {"title": "次"})
    assert "下書きの保存ができませんでした" in caught.value.message
    assert "入力した内容は画面に残っています" in caught.value.message
    (kept,) = drafts.pending_drafts(forum)
    assert kept.data == {"title": "最初"}
    assert not list(drafts.drafts_dir(forum).glob(".*.tmp"))


def test_remembering_the_data_folder_on_a_full_disk_is_a_user_error(monkeypatch, tmp_path):
    from jcim_desktop import paths

    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(DiskFull) as caught:
        paths.remember_data_dir(tmp_path / "elsewhere")
    assert "データフォルダは変更していません" in caught.value.message
    assert paths.chosen_data_dir() is None


# The real thing, where the system lets us: a tiny or read-only file system --------------------

def _namespace_available() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k none /tmp"], capture_output=True)
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(not _namespace_available(),
                                     reason="no user/mount namespaces here (unshare -rm): the monkeypatched tests above cover it")

_DUMP = "import sqlite3,sys; print('\\n'.join(sqlite3.connect(sys.argv[1]).iterdump()))"


def _in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "run.sh").write_text(script, encoding="utf-8")
    return subprocess.run(["unshare", "-rm", "sh", str(tmp_path / "run.sh")], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@needs_namespace
@pytest.mark.slow
def test_a_really_full_disk_loading_demo_data_writes_nothing(tmp_path):
    init_installation("chugoku", tmp_path / "data").close()
    (tmp_path / "mnt").mkdir()
    py = sys.executable
    result = _in_namespace(f"""
set -e
mount -t tmpfs -o size=700k none {tmp_path}/mnt
cp -a {tmp_path}/data {tmp_path}/mnt/data
{py} -c "{_DUMP}" {tmp_path}/mnt/data/jcim.sqlite3 > {tmp_path}/before.sql
free=$(df -k --output=avail {tmp_path}/mnt | tail -1)
dd if=/dev/zero of={tmp_path}/mnt/fill bs=1k count=$((free - 40)) 2>/dev/null || true
set +e
{py} -m jcim_desktop --data-dir {tmp_path}/mnt/data demo
echo "exit=$?" >&2
rm {tmp_path}/mnt/fill
{py} -c "{_DUMP}" {tmp_path}/mnt/data/jcim.sqlite3 > {tmp_path}/after.sql
""", tmp_path)
    assert "exit=1" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "予期しない" not in result.stderr
    assert "ディスクの空き容量が足りません" in result.stderr and "変更は保存されていません" in result.stderr
    before = (tmp_path / "before.sql").read_text()
    assert before and (tmp_path / "after.sql").read_text() == before


@needs_namespace
@pytest.mark.slow
def test_a_really_read_only_data_folder_is_named_at_start(tmp_path):
    init_installation("chugoku", tmp_path / "data").close()
    py = sys.executable
    before = dump(tmp_path / "data" / "jcim.sqlite3")
    result = _in_namespace(f"""
mount --bind {tmp_path}/data {tmp_path}/data
mount -o remount,bind,ro {tmp_path}/data
{py} -m jcim_desktop --data-dir {tmp_path}/data tally --fy 2024 > /dev/null
echo "exit=$?" >&2
""", tmp_path)
    assert "exit=1" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "壊れて" not in result.stderr
    assert "書き込めません" in result.stderr and "読み取り専用" in result.stderr
    assert str(tmp_path / "data") in result.stderr
    assert dump(tmp_path / "data" / "jcim.sqlite3") == before


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_a_full_disk_while_exporting_keeps_the_old_file_and_leaves_no_temporary_file(forum, tmp_path, monkeypatch, kind):
    from jcim_desktop.services import excel_export, reports
    from jcim_desktop.store import tempfiles

    out = tmp_path / "exports" / f"集計.{kind}"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    real_fsync = os.fsync

    def full(fd):  # type: ignore[no-untyped-def]
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(out.parent)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the export's file from others")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as caught:
        if kind == "xlsx":
            excel_export.export_tally_xlsx(forum, 2024, out)
        else:
            reports.kpi_report_pdf(forum, 2024, out)
    assert "ディスクの空き容量が足りません" in caught.value.message and str(out) in caught.value.message
    assert caught.value.message.startswith("Excel ファイルの書き出し" if kind == "xlsx" else "PDFの保存")
    assert out.read_bytes() == b"the previous export"
    assert list(out.parent.iterdir()) == [out]
    assert list((forum.data_dir / tempfiles.REGISTRY_DIR).iterdir()) == []
