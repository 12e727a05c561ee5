"""Opening the local database: checks, backups, migrations, pragmas, sessions."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

from jcim_desktop.errors import DatabaseError
from jcim_desktop.paths import bundled_path
from jcim_desktop.store import backup as backups
from jcim_desktop.store.stamping import StampingSession, Writer

DB_FILE_NAME = "jcim.sqlite3"
HEAD_REVISION = "0003"
"""The newest migration in db/versions. Knowing it lets a start-up skip importing Alembic
(a quarter of a second) when the database is already current; a test keeps it true."""


class DatabaseDamaged(DatabaseError):
    """``quick_check`` failed; ``good_backup`` is the newest backup that passes it, if any."""

    def __init__(self, db_path: Path, detail: str, good_backup: backups.Backup | None) -> None:
        if good_backup is not None:
            message = (
                f"データベース（{db_path}）が壊れています。\n"
                f"最新の正常なバックアップ {good_backup.label} から復元できます。"
                "復元すると、それ以降の変更は失われます。"
            )
        else:
            message = (
                f"データベース（{db_path}）が壊れていて、正常なバックアップも見つかりません。"
                "事務局またはシステム担当者に連絡してください。"
            )
        super().__init__(message)
        self.db_path = db_path
        self.detail = detail
        self.good_backup = good_backup


@dataclass
class Database:
    path: Path
    engine: Engine
    backup_dir: Path
    keep_backups: int
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, class_=StampingSession, expire_on_commit=False)

    @contextmanager
    def session(self, writer: Writer | None = None) -> Iterator[StampingSession]:
        """A unit of work: committed if the block ends normally, rolled back otherwise."""
        with self._sessions() as session:
            if writer is not None:
                session.info["writer"] = writer
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def backup(self, reason: str) -> Path:
        return backups.backup_database(self.path, self.backup_dir, reason, self.keep_backups)

    def close(self) -> None:
        self.engine.dispose()


def _set_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL makes every committed import durable in WAL mode (DESIGN.md, pitfalls).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(connection: Any | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(bundled_path("db")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def network_share_warning(path: Path) -> str | None:
    """A warning if ``path`` lies on a network file system, where SQLite's WAL does not work."""
    resolved = str(path.resolve())
    remote = False
    if sys.platform == "win32":
        if resolved.startswith("\\\\"):
            remote = True
        else:
            try:
                import ctypes

                drive = os.path.splitdrive(resolved)[0] + "\\"
                remote = ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # type: ignore[attr-defined]
            except (AttributeError, OSError):
                remote = False
    else:
        try:
            mounts = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            mounts = []
        best = ""
        fstype = ""
        for line in mounts:
            parts = line.split()
            if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) >= len(best):
                best, fstype = parts[1], parts[2]
        remote = fstype in {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p"}
    if not remote:
        return None
    return (
        f"データフォルダ（{path}）がネットワーク上にあります。この場所ではデータベースが壊れるおそれがあります。"
        "設定でパソコン本体のフォルダを選んでください。"
    )


def open_database(
    db_path: Path,
    backup_dir: Path,
    *,
    keep_backups: int = backups.DEFAULT_KEEP,
    create: bool = False,
    today: dt.date | None = None,
) -> Database:
    """Open (or with ``create`` make) the database, checked, backed up and migrated to head.

    An existing file is ``quick_check``-ed first (``DatabaseDamaged`` offers the newest good
    backup); before an upgrade a copy is taken; on the first start of a day a backup is taken.
    """
    exists = db_path.exists()
    if not exists and not create:
        raise DatabaseError(f"データベース {db_path} がありません。")
    if exists:
        problem = backups.quick_check(db_path)
        if problem is not None:
            raise DatabaseDamaged(db_path, problem, backups.newest_good_backup(backup_dir))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(db_path)
    database = Database(db_path, engine, backup_dir, keep_backups)
    try:
        current = current_revision(engine)
        if current != HEAD_REVISION:
            if exists:
                database.backup("upgrade")
            upgrade(engine)
        today = today or dt.date.today()
        if exists and not backups.has_backup_on(backup_dir, today):
            database.backup("daily")
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(
            f"データベース {db_path} を開けませんでした（{exc}）。"
            "新しい版のアプリで作られたデータベースかもしれません。"
        ) from exc
    warning = network_share_warning(db_path)
    if warning:
        database.warnings.append(warning)
    return database
