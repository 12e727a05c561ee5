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
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import sessionmaker

from jcim_desktop.errors import DatabaseError, StorageError, UserError
from jcim_desktop.paths import bundled_path
from jcim_desktop.store import backup as backups
from jcim_desktop.store import shared_backups
from jcim_desktop.store.faults import user_error_from_sqlite
from jcim_desktop.store.stamping import StampingSession, Writer

DB_FILE_NAME = "jcim.sqlite3"
DATABASE_URL_ENV = "JCIM_DESKTOP_DATABASE_URL"
"""The environment variable that names the database (as ``--database-url``, SYNC_FORMAT §6)."""
SERVER_SCHEMES = ("postgresql+psycopg",)
"""The database URLs a shared database may have (SQLite needs none: it is the data folder's file)."""
HEAD_REVISION = "0011"
"""The newest migration in db/versions. Knowing it lets a start-up skip importing Alembic
(a quarter of a second) when the database is already current; a test keeps it true."""


class DatabaseDamaged(DatabaseError):
    """The database file is not a usable JCIM database: empty (0 bytes), not SQLite, or failing
    ``quick_check``. ``detail`` says which (Japanese); ``good_backup`` is the newest backup that
    passes the same checks, if any. The command line and the window each add how to go on
    (restore that backup, or start fresh keeping the bad file aside)."""

    def __init__(self, db_path: Path, detail: str, good_backup: backups.Backup | None) -> None:
        message = f"データベース（{db_path}）が壊れています: {detail}。"
        if good_backup is not None:
            message += (
                f"\n最新の正常なバックアップ {good_backup.label} から復元できます。"
                "復元すると、そのバックアップより後の変更は含まれません。"
            )
        else:
            message += "\n正常なバックアップは見つかりませんでした。壊れたファイルを残したまま、新しく始めることができます。"
        super().__init__(message)
        self.db_path = db_path
        self.detail = detail
        self.good_backup = good_backup


def resolve_url(explicit: str | None, configured: str | None) -> str | None:
    """The database to use: ``explicit`` (``--database-url``), else ``JCIM_DESKTOP_DATABASE_URL``,
    else ``configured`` (the data folder's settings); None or "" means SQLite in the data folder.
    A URL of another kind is a ``UserError`` saying which are accepted."""
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV), configured):
        if candidate is None:
            continue
        url = candidate.strip()
        if not url:
            return None
        check_url(url)
        return url
    return None


def check_url(url: str) -> None:
    """``UserError`` unless ``url`` names a database this version can share (PostgreSQL)."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in SERVER_SCHEMES:
        raise UserError(
            f"データベースの URL「{display_url(url)}」は使えません。"
            "PostgreSQL は postgresql+psycopg://利用者@サーバー/データベース名 の形で指定してください"
            "（SQLite はデータフォルダの中に作られるので、URL は要りません）。"
        )


def display_url(url: str) -> str:
    """``url`` as it may be shown or logged: the password replaced by ***."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as far as it is safe to
        return url.split("@", 1)[-1] if "@" in url else url


def without_password(url: str) -> str:
    """``url`` with no password in it (what the settings file keeps: libpq's ``.pgpass`` or
    ``PGPASSWORD`` supplies the password)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=None).render_as_string(hide_password=False)


@dataclass
class Database:
    """An open database: SQLite at ``path`` (``url`` None), or a shared PostgreSQL database at
    ``url`` (``path`` is then where SQLite would be, unused)."""

    path: Path
    engine: Engine
    backup_dir: Path
    keep_backups: int
    warnings: list[str] = field(default_factory=list)
    url: str | None = None
    taker: tuple[str, str] = ("", "")
    """The installation id and the person's name recorded with a shared database's dumps."""

    @property
    def shared(self) -> bool:
        """A database on a server that other installations write to as well."""
        return self.url is not None

    @property
    def location(self) -> str:
        """Where the data are, as a person reads it: the file, or the server URL without password."""
        return display_url(self.url) if self.url is not None else str(self.path)

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
        """A backup now, into this client's backup folder; a shared database's dump is recorded in
        the database (``store.shared_backups``: who took it, when, where)."""
        if self.url is not None:
            path = backups.dump_server_database(self.url, self.backup_dir, reason, self.keep_backups)
            shared_backups.record_backup(self.engine, path, reason, *self.taker)
            return path
        return backups.backup_database(self.path, self.backup_dir, reason, self.keep_backups)

    def maintenance_due(self, today: dt.date | None = None) -> bool:
        """Whether today's maintenance (``daily_maintenance``) has not run yet: on a shared
        database, whether no client of it has taken a dump today."""
        day = today or dt.date.today()
        if self.shared:
            return shared_backups.backup_on(self.engine, day) is None
        return not backups.has_backup_on(self.backup_dir, day)

    def daily_maintenance(self, today: dt.date | None = None) -> None:
        """Once a day: ``quick_check`` of the whole file (``DatabaseDamaged`` naming the newest good
        backup), then the daily backup. Their cost grows with the database, so they run once a day
        (and in the window after the first paint), never before every command (DESIGN.md). A backup
        that cannot be written is a warning (``warnings``), tried again next time."""
        if not self.maintenance_due(today):
            return
        # A server checks its own files; SQLite's are ours to check.
        problem = None if self.shared else backups.database_problem(self.path)
        if problem is not None:
            raise DatabaseDamaged(self.path, problem, backups.newest_good_backup(self.backup_dir))
        try:
            if self.shared:
                # The first client of the day takes the database's dump; one starting meanwhile
                # goes on without (the other's dump is the day's).
                with shared_backups.daily_dump_turn(self.engine, today or dt.date.today()) as mine:
                    if mine:
                        self.backup("daily")
            else:
                self.backup("daily")
        except StorageError as exc:
            # Not a reason to refuse the data (reading it still works); it is said, and
            # tried again at the next start.
            self.warnings.append(exc.message)

    def close(self) -> None:
        self.engine.dispose()


BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another program's lock before ``DatabaseLocked`` (tests shorten it)."""


def _set_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # First: a locked database then waits this long even for the statements below.
    cursor.execute(f"PRAGMA busy_timeout={int(connection_record.info.get('busy_timeout_ms', BUSY_TIMEOUT_MS))}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL makes every committed import durable in WAL mode (DESIGN.md, pitfalls).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(db_path: Path, *, busy_timeout_ms: int | None = None) -> Engine:
    """An engine on ``db_path`` whose full-disk, read-only and lock errors are user errors."""
    # hide_parameters: a failed statement's message (and so a crash log) never quotes its values,
    # a need's contact (個人情報) among them.
    engine = create_engine(f"sqlite:///{db_path}", hide_parameters=True)
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms

    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info["busy_timeout_ms"] = timeout
        _set_pragmas(dbapi_connection, connection_record)

    def on_error(context: ExceptionContext) -> BaseException | None:
        # One place for the faults a laptop meets: SQLite has rolled the statement back, so
        # the person is told plainly and nothing of the change is stored.
        problem = user_error_from_sqlite(context.original_exception, db_path)
        if problem is not None:
            problem.__cause__ = context.original_exception
        return problem

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "handle_error", on_error, retval=True)
    return engine


def make_server_engine(url: str) -> Engine:
    """An engine on a shared PostgreSQL database whose connection failures are user errors."""
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=True)

    def on_error(context: ExceptionContext) -> BaseException | None:
        problem = user_error_from_server(context.original_exception, url)
        if problem is not None:
            problem.__cause__ = context.original_exception
        return problem

    event.listen(engine, "handle_error", on_error, retval=True)
    return engine


def user_error_from_server(exc: BaseException, url: str) -> UserError | None:
    """The server faults a person can act on (cannot connect, refused login, no such database),
    said in Japanese with the URL (no password); None for anything else."""
    import psycopg

    if not isinstance(exc, psycopg.OperationalError):
        return None
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseUnreachable(
        f"共有データベース（{display_url(url)}）に接続できません: {detail}\n"
        "サーバーが動いているか、URL の利用者名・サーバー名・データベース名、パスワード（.pgpass）を確認してください。"
    )


class DatabaseUnreachable(DatabaseError):
    """The shared database's server cannot be reached or refuses the login."""


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


def known_revisions() -> set[str]:
    """Every migration this version of the application knows (a database at another one was
    made by a newer version)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            exists = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
            ).first() is not None
        else:
            exists = inspect(conn).has_table("alembic_version")
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


MIGRATION_LOCK = 74_215_001
"""The PostgreSQL advisory lock held while migrating: two clients starting a new version at
once migrate one after the other (the second finds the database current)."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
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


def check_database_file(db_path: Path, backup_dir: Path, *, thorough: bool = True) -> None:
    """Raise ``DatabaseDamaged`` (naming the newest good backup) if the file at ``db_path`` is
    not a usable JCIM database: empty, not SQLite, without ours, or (``thorough``) failing
    ``quick_check``."""
    problem = backups.database_problem(db_path, thorough=thorough)
    if problem is not None:
        raise DatabaseDamaged(db_path, problem, backups.newest_good_backup(backup_dir))


def open_database(
    db_path: Path,
    backup_dir: Path,
    *,
    keep_backups: int = backups.DEFAULT_KEEP,
    create: bool = False,
    today: dt.date | None = None,
    busy_timeout_ms: int | None = None,
    maintenance: bool = True,
    url: str | None = None,
    taker: tuple[str, str] = ("", ""),
) -> Database:
    """Open (or with ``create`` make) the database, checked and migrated to head.

    An existing file is checked first, by what does not grow with the database (its header and
    our rows: ``DatabaseDamaged`` offers the newest good backup); before an upgrade a copy is
    taken. With ``maintenance``, on the first open of a day the whole file is checked and backed
    up (``Database.daily_maintenance``); the window does that after its first paint instead. A
    full disk, a read-only folder or a lock held by another program raise their user errors.
    """
    if url is not None:
        return _open_server_database(url, db_path, backup_dir, keep_backups, create=create, today=today,
                                     maintenance=maintenance, taker=taker)
    exists = db_path.exists()
    if not exists and not create:
        raise DatabaseError(f"データベース {db_path} がありません。")
    if exists:
        check_database_file(db_path, backup_dir, thorough=False)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(db_path, busy_timeout_ms=busy_timeout_ms)
    database = Database(db_path, engine, backup_dir, keep_backups)
    try:
        current = current_revision(engine)
        if current != HEAD_REVISION:
            if exists:
                check_database_file(db_path, backup_dir)  # the whole file, before it is copied and changed
                database.backup("upgrade")
            upgrade(engine)
        if exists and maintenance:
            database.daily_maintenance(today)
    except UserError:
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


def _open_server_database(
    url: str, db_path: Path, backup_dir: Path, keep_backups: int, *, create: bool, today: dt.date | None,
    maintenance: bool, taker: tuple[str, str] = ("", ""),
) -> Database:
    """``open_database`` for a shared PostgreSQL database: connected, migrated to head (a dump
    taken first when it already holds data), and with ``maintenance`` the daily dump."""
    check_url(url)
    engine = make_server_engine(url)
    database = Database(db_path, engine, backup_dir, keep_backups, url=url, taker=taker)
    try:
        current = current_revision(engine)
        if current is None and not create:
            raise DatabaseError(
                f"共有データベース（{display_url(url)}）はまだ JCIM のデータベースになっていません。"
                "管理者が「jcim-desktop db migrate --database-url …」で作るか、"
                "「jcim-desktop init --org 組織コード --database-url …」でこの端末を登録してください。"
            )
        if current not in (None, HEAD_REVISION) and current not in known_revisions():
            raise DatabaseError(
                f"共有データベース（{display_url(url)}）は新しい版のアプリで更新されています（{current}）。"
                "このアプリを新しい版にしてください。"
            )
        if current != HEAD_REVISION:
            if current is not None:
                database.backup("upgrade")
            upgrade(engine)
        if maintenance:
            database.daily_maintenance(today)
    except UserError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"共有データベース（{display_url(url)}）を開けませんでした（{exc}）。") from exc
    return database
