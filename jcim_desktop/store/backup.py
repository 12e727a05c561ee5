"""Backups of the local database with SQLite's online backup API; the newest N are kept.

A backup is ``jcim-YYYYMMDD-HHMMSS[-N]-reason.sqlite3``: several taken in one second are
numbered 1, 2, … after the first (un-numbered, sequence 0), so time then sequence orders them.
It is written to ``<name>.part`` and renamed when complete. Restoring keeps the database it
replaces beside it (renamed, with its ``-wal``/``-shm``), never deletes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from jcim_desktop.errors import DatabaseLocked, UserError, user_error_from_os
from jcim_desktop.files import fsync_directory
from jcim_desktop.store.faults import is_damage, sqlite_kind, user_error_from_sqlite
from jcim_desktop.store.tempfiles import tracked_temp

DEFAULT_KEEP = 10
_NAME = re.compile(r"^jcim-(\d{8})-(\d{6})(?:-(\d+))?-([a-z0-9_-]+)\.(sqlite3|pgdump)$")
SERVER_SUFFIX = ".pgdump"
"""A shared PostgreSQL database's backups: ``pg_dump --format=custom`` files, named as SQLite's."""
SIDE_FILES = ("-wal", "-shm", "-journal")
REASON_LABELS = {"daily": "毎日の自動", "import": "取り込み前", "upgrade": "更新前", "manual": "手動"}


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    sequence: int = 0
    """0 for the first backup of its second, then 1, 2, … (the ``-N-`` of the name)."""

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}（{self.reason_label}）"

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def parse_backup_name(path: Path) -> Backup | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return Backup(path, taken, m.group(4), int(m.group(3) or 0))


def list_backups(backup_dir: Path) -> list[Backup]:
    """Backups in ``backup_dir``, newest first: by time, then by sequence within one second."""
    found: list[Backup] = []
    try:
        paths = list(backup_dir.iterdir()) if backup_dir.is_dir() else []
    except OSError:
        return found
    for path in paths:
        backup = parse_backup_name(path)
        if backup is not None:
            found.append(backup)
    found.sort(key=lambda b: (b.taken_at, b.sequence, b.path.name), reverse=True)
    return found


def _claim_name(backup_dir: Path, now: dt.datetime, reason: str, suffix: str = ".sqlite3") -> tuple[Path, Path]:
    """The next free name of this second (sequence after every backup of it, whatever its
    reason) and its ``.part`` file, created exclusively so two writers never share one."""
    stem = f"jcim-{now:%Y%m%d-%H%M%S}"
    used = [-1]
    for path in backup_dir.glob(f"{stem}-*"):
        backup = parse_backup_name(path.with_name(path.name.removesuffix(".part")))
        if backup is not None:
            used.append(backup.sequence)
    n = max(used) + 1
    while True:
        name = f"{stem}-{reason}{suffix}" if n == 0 else f"{stem}-{n}-{reason}{suffix}"
        target = backup_dir / name
        partial = target.with_name(target.name + ".part")
        if not target.exists():
            try:
                with open(partial, "x"):
                    pass
                return target, partial
            except FileExistsError:
                pass
        n += 1


def _copy_database(source_path: Path, dest_path: Path) -> None:
    """``source_path`` → ``dest_path`` with the online backup API (consistent while in use)."""
    source = sqlite3.connect(str(source_path))
    try:
        dest = sqlite3.connect(str(dest_path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _storage_error(exc: BaseException, action: str, where: Path, db_path: Path) -> UserError | None:
    """An OSError's or SQLite's error about the place we write, as a user error (or None)."""
    if isinstance(exc, OSError):
        return user_error_from_os(exc, action, where)
    if isinstance(exc, sqlite3.Error):
        kind = sqlite_kind(exc)
        if kind == "full":
            return user_error_from_os(OSError(errno.ENOSPC, "No space left on device"), action, where)
        if kind == "readonly":
            return user_error_from_os(OSError(errno.EROFS, "Read-only file system"), action, where)
        if kind == "locked":
            return user_error_from_sqlite(exc, db_path, action=action, unchanged="")
    return None


def backup_database(db_path: Path, backup_dir: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the database into ``backup_dir`` (consistent even while it is in use) and prune old ones.

    A full disk or a folder that cannot be written raises a user error; no partial backup is
    left behind (the ``.part`` file is recorded while written, so even a kill leaves none).
    """
    action = "バックアップの作成"
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target, partial = _claim_name(backup_dir, dt.datetime.now(), reason)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    with tracked_temp(db_path.parent, partial):
        try:
            _copy_database(db_path, partial)
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            problem = _storage_error(exc, action, backup_dir, db_path)
            if problem is None:
                raise
            raise problem from exc
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
    prune_backups(backup_dir, keep)
    return target


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """``url`` (SQLAlchemy's ``postgresql+psycopg://``) as libpq's tools take it, without the
    password, and the environment that passes the password (``PGPASSWORD``) if the URL has one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def server_tool(name: str) -> str:
    """The path of PostgreSQL's ``pg_dump`` / ``pg_restore``: on the PATH, else in Debian's
    ``/usr/lib/postgresql/<version>/bin`` (newest first); ``UserError`` if there is none."""
    import shutil

    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parent.parent.name, reverse=True)
    if versions:
        return str(versions[0])
    raise UserError(
        f"PostgreSQL の {name} が見つからないため、共有データベースのバックアップを作れません。"
        "PostgreSQL のクライアントツール（Debian/Ubuntu: postgresql-client、Windows: PostgreSQL のインストーラー）を入れ、"
        f"{name} がコマンドとして使えるようにしてください。"
    )


def dump_server_database(url: str, backup_dir: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """A backup of a shared PostgreSQL database with ``pg_dump --format=custom`` into ``backup_dir``
    (named and pruned as SQLite's, ``.pgdump``; consistent while others write: pg_dump reads one
    snapshot). Written to ``.part`` and renamed; a failure is a ``UserError`` with pg_dump's words."""
    import subprocess

    action = "バックアップの作成"
    tool = server_tool("pg_dump")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target, partial = _claim_name(backup_dir, dt.datetime.now(), reason, SERVER_SUFFIX)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    plain, env = libpq_url(url)
    try:
        done = subprocess.run(
            [tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", f"--dbname={plain}"],
            env={**os.environ, **env}, capture_output=True, text=True, timeout=3600,
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise UserError(f"共有データベースのバックアップを作れませんでした（pg_dump: {detail[-1] if detail else done.returncode}）。")
        partial.replace(target)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    prune_backups(backup_dir, keep)
    return target


def prune_backups(backup_dir: Path, keep: int = DEFAULT_KEEP) -> None:
    for old in list_backups(backup_dir)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def has_backup_on(backup_dir: Path, day: dt.date) -> bool:
    return any(b.taken_at.date() == day for b in list_backups(backup_dir))


def quick_check(db_path: Path) -> str | None:
    """``None`` if ``PRAGMA quick_check`` passes, else what it (or opening the file) reported.

    A file that cannot be read because of where it is (a locked file, a folder that may not be
    written, a full disk) is not a damaged file: that raises the matching user error instead.
    """
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            problem = user_error_from_sqlite(exc, db_path, action="データベースを開くこと", unchanged="")
            if problem is not None:
                raise problem from exc
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


SQLITE_HEADER = b"SQLite format 3\x00"


def database_problem(db_path: Path, *, thorough: bool = True) -> str | None:
    """What is wrong with the file as a JCIM database (None: nothing found), in Japanese.

    Beyond ``quick_check``: an empty (0-byte) file, or one with no tables at all, opens as an
    empty SQLite database but holds none of ours. Not ``thorough``: the checks whose cost does
    not grow with the database (the header, our installation row), for every start; the daily
    maintenance runs ``quick_check`` (``Database.daily_maintenance``).
    """
    try:
        size = db_path.stat().st_size
        with db_path.open("rb") as fp:
            header = fp.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise user_error_from_os(exc, "データベースを開くこと", db_path) from exc
    if size == 0:
        return "ファイルが空です（0 バイト）"
    if not thorough and header == SQLITE_HEADER and read_identity(db_path) is not None:
        return None
    problem = quick_check(db_path)
    if problem is not None:
        if "not a database" in problem:
            return f"SQLite のデータベースではありません（{problem}）"
        return f"中身の一部が読めません（{problem}）"
    info = read_identity(db_path)
    if info is None:
        return "JCIM Desktop のデータが入っていません（この端末の情報がありません）"
    return None


@dataclass(frozen=True)
class DatabaseIdentity:
    """Whose database a file is: its installation, org, public key and schema revision."""

    installation_id: str
    org: str
    public_key: str
    revision: str | None


def read_identity(db_path: Path) -> DatabaseIdentity | None:
    """The installation recorded in a database file (read-only), or None if it has none."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "installation" not in tables:
                return None
            row = conn.execute("SELECT id, org, public_key FROM installation LIMIT 1").fetchone()
            revision = None
            if "alembic_version" in tables:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(found[0]) if found else None
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    if row is None:
        return None
    return DatabaseIdentity(str(row[0]), str(row[1]), str(row[2]), revision)


def newest_good_backup(backup_dir: Path) -> Backup | None:
    for backup in list_backups(backup_dir):
        try:
            if database_problem(backup.path) is None:
                return backup
        except UserError:
            continue  # unreadable where it is: not one to offer
    return None


def kept_path(db_path: Path, label: str, now: dt.datetime | None = None) -> Path:
    """Where the database replaced by a restore is kept: ``jcim.<label>-YYYYMMDD-HHMMSS.sqlite3``."""
    stamp = f"{now or dt.datetime.now():%Y%m%d-%H%M%S}"
    candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}{db_path.suffix}")
    n = 1
    while candidate.exists():
        candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}-{n}{db_path.suffix}")
        n += 1
    return candidate


def _settle(db_path: Path) -> None:
    """Make sure nobody else has the database open, and fold its WAL into the file, so that
    moving the file moves all of it. Raises ``DatabaseLocked`` if another program has it open."""
    conn = sqlite3.connect(str(db_path), timeout=0.2, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        # In WAL mode every open connection holds a shared lock: an exclusive transaction
        # succeeds only when this is the only one.
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error as exc:
        problem = user_error_from_sqlite(exc, db_path, action="復元", unchanged="")
        if isinstance(problem, DatabaseLocked):
            raise DatabaseLocked(
                f"復元できませんでした: データベース（{db_path}）をほかのプログラムが開いています。"
                "JCIM Desktop のほかのウィンドウや、このデータフォルダを使うコマンドをすべて閉じてから、もう一度行ってください。"
                "データベースは変更していません。",
                db_path,
            ) from exc
        if problem is not None:
            raise problem from exc
        raise
    finally:
        conn.close()


def move_aside(db_path: Path, kept: Path) -> Path:
    """Rename the database and its ``-wal``/``-shm`` to ``kept`` (and ``kept-wal`` …), so the
    kept file opens with everything that was in it."""
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", *SIDE_FILES):
            source = db_path.with_name(db_path.name + suffix)
            if source.exists():
                dest = kept.with_name(kept.name + suffix)
                os.replace(source, dest)
                moved.append((source, dest))
    except OSError as exc:
        for source, dest in reversed(moved):
            with contextlib.suppress(OSError):
                os.replace(dest, source)
        raise user_error_from_os(exc, "データベースの移動", db_path) from exc
    fsync_directory(db_path.parent)
    return kept


def restore_backup(backup: Path, db_path: Path, *, kept: Path | None = None, damaged: bool = False) -> Path | None:
    """Replace the database with a copy of ``backup``; the database it replaces is kept beside
    it as ``kept`` (default: ``jcim.before-restore-<time>.sqlite3``, or ``jcim.damaged-<time>…``
    with ``damaged``). Returns where it was kept (None if there was no database).

    The copy is made and checked in a temporary file first: if anything fails (a full disk, a
    bad backup, another program holding the database) the database is left as it was.
    """
    problem = database_problem(backup)
    if problem is not None:
        raise UserError(f"{backup} は正常なバックアップではありません: {problem}。別のバックアップを選んでください。")
    folder = db_path.parent
    temp = folder / f".{db_path.name}.{secrets.token_hex(6)}.tmp"
    with tracked_temp(folder, temp):
        try:
            try:
                _copy_database(backup, temp)
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
            except (OSError, sqlite3.Error) as exc:
                error = _storage_error(exc, "復元", folder, db_path)
                if error is None:
                    raise
                raise error from exc
            copied = quick_check(temp)
            if copied is not None:
                raise UserError(f"バックアップ {backup.name} を写したものが確認できませんでした（{copied}）。データベースは変更していません。")
            if db_path.exists() and not damaged:
                _settle(db_path)
            kept_at: Path | None = None
            if db_path.exists() or any(db_path.with_name(db_path.name + s).exists() for s in SIDE_FILES):
                kept_at = move_aside(db_path, kept or kept_path(db_path, "damaged" if damaged else "before-restore"))
            try:
                os.replace(temp, db_path)
            except OSError as exc:
                if kept_at is not None:
                    with contextlib.suppress(UserError):
                        move_aside(kept_at, db_path)
                raise user_error_from_os(exc, "復元", db_path) from exc
            fsync_directory(folder)
            return kept_at
        finally:
            for suffix in ("", *SIDE_FILES):
                with contextlib.suppress(OSError):
                    temp.with_name(temp.name + suffix).unlink()
