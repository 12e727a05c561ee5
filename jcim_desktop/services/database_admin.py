"""The administrator's use cases for a database: bring it to this version's schema (``db migrate``),
check it (``db check``), and list the installations that write to it (also the settings dialog's list).

They work on the data folder's database as every command does: the shared PostgreSQL database
of ``--database-url`` (``JCIM_DESKTOP_DATABASE_URL``, the folder's settings), else the folder's
SQLite file. Neither needs the folder to be an installation: an administrator migrates an empty
PostgreSQL database before any staff member has run ``init`` (the folder only receives the backups).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jcim_desktop.domain.orgs import org_name
from jcim_desktop.errors import DatabaseError, UserError
from jcim_desktop.services.context import AppContext, recorded_identity, resolve_data_dir, resolved_database_url
from jcim_desktop.services.settings import load_settings
from jcim_desktop.store import admin
from jcim_desktop.store import backup as backups
from jcim_desktop.store.database import (
    DB_FILE_NAME,
    HEAD_REVISION,
    Database,
    DatabaseUnreachable,
    check_database_file,
    current_revision,
    display_url,
    make_engine,
    make_server_engine,
    upgrade,
)
from jcim_desktop.store.server import createdb_ordering_like_sqlite, database_name

__all__ = [
    "DatabaseCheck", "InstallationInfo", "MigrateResult", "check", "list_installations", "migrate",
]


@dataclass(frozen=True)
class InstallationInfo:
    """One installation writing to the database (on a shared one, each staff member's data folder)."""

    id: str
    org: str
    org_name: str
    key_id: str
    """The public key's id (``1a2b-3c4d-5e6f-7a8b``), as packages and ``trust list`` show it."""
    created_at: dt.datetime | None
    """When it was registered (``init``)."""
    latest_change: dt.datetime | None
    """Its newest change made here (not merged from a package), if among the newest
    ``store.admin.LATEST_CHANGE_WINDOW`` changes; None otherwise or if it made none."""
    is_this: bool
    """The installation of the data folder asking."""


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _key_id(public_key: str) -> str:
    from jcim_desktop.sync.keys import key_id

    try:
        return key_id(public_key)
    except (ValueError, TypeError):
        return ""


def list_installations(source: AppContext | Database | Engine, this_id: str | None = None) -> list[InstallationInfo]:
    """Every installation writing to the database of ``source`` (an open context, its database,
    or an engine), oldest first; ``is_this`` marks the context's own (or ``this_id``)."""
    if isinstance(source, AppContext):
        engine, this_id = source.db.engine, this_id or source.installation_id
    elif isinstance(source, Database):
        engine = source.engine
    else:
        engine = source
    return [
        InstallationInfo(id=row_id, org=org, org_name=org_name(org), key_id=_key_id(public_key),
                         created_at=_moment(created), latest_change=_moment(latest), is_this=row_id == this_id)
        for row_id, org, public_key, created, latest in admin.installation_rows(engine)
    ]


# -- db migrate -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrateResult:
    engine: str
    """``postgresql`` or ``sqlite``."""
    location: str
    """The database: its URL without password, or the SQLite file."""
    before: str | None
    """The schema revision it had (None: an empty database, made now)."""
    after: str
    backup: Path | None
    """The backup taken before the upgrade (None: nothing changed, or nothing to lose)."""

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _newer_than_app(location: str, revision: str) -> DatabaseError:
    return DatabaseError(
        f"データベース（{location}）は、この版より新しい JCIM Desktop で更新されています（スキーマ {revision}、"
        f"この版は {HEAD_REVISION} まで）。アプリを新しい版にしてください。データベースは変更していません。"
    )


def _failure(location: str, exc: Exception) -> DatabaseError:
    """An unexpected failure of a migration, said with the database's first line (one transaction:
    nothing of it stays)."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return DatabaseError(
        f"データベース（{location}）をこの版のスキーマに更新できませんでした（{detail[0] if detail else type(exc).__name__}）。"
        "更新は一つのトランザクションで行うため、データベースは変更していません。PostgreSQL では、URL の利用者が"
        "データベースの所有者か（表を作る権限があるか）を確かめてください。"
    )


def _no_sqlite_database(folder: Path) -> UserError:
    return UserError(
        f"データフォルダ {folder} にはデータベースがありません。共有データベースなら --database-url "
        "postgresql+psycopg://利用者@サーバー/データベース名 を指定してください。このパソコンだけで使うなら、"
        "「jcim-desktop init --org 組織コード」でデータベースを作ります。"
    )


def migrate(data_dir: Path | str | None = None, database_url: str | None = None) -> MigrateResult:
    """Bring the database to this version's schema; a backup is taken first when it holds data
    (into the data folder's backup folder, created if need be).

    A shared database may be empty (``CREATE DATABASE`` just made it): its tables are created,
    no installation needed. One holding tables that are not JCIM's is refused (a wrong database
    name must not fill someone else's database with ours). A database of a newer version is
    refused. The PostgreSQL migration runs under the advisory lock that openers take too.
    """
    folder = resolve_data_dir(data_dir)
    url = resolved_database_url(folder, database_url)
    settings = load_settings(folder)
    backup_dir = settings.resolved_backup_dir(folder)
    path = folder / DB_FILE_NAME
    if url is None:
        if not path.exists():
            raise _no_sqlite_database(folder)
        check_database_file(path, backup_dir, thorough=False)
        engine = make_engine(path)
        location = str(path)
    else:
        engine = make_server_engine(url)
        location = display_url(url)
    db = Database(path, engine, backup_dir, settings.keep_backups, url=url)
    try:
        before = current_revision(engine)
        if before is not None and admin.schema_state(before) == "newer":
            raise _newer_than_app(location, before)
        if before is None:
            others = admin.table_names(engine)
            if others:
                shown = "、".join(sorted(others)[:5]) + (" など" if len(others) > 5 else "")
                raise UserError(
                    f"データベース（{location}）には JCIM Desktop のものではない表（{shown}）があるため、更新しませんでした。"
                    "データベース名が正しいか確かめてください。JCIM Desktop には空のデータベースを用意してください"
                    "（例: createdb --owner=jcim jcim）。データベースは変更していません。"
                )
        taken = None
        if before != HEAD_REVISION:
            if before is not None:
                if url is None:
                    check_database_file(path, backup_dir)  # the whole file, before it is copied and changed
                taken = db.backup("upgrade")
            try:
                upgrade(engine)
            except UserError:
                raise
            except Exception as exc:
                raise _failure(location, exc) from exc
        after = current_revision(engine)
    finally:
        engine.dispose()
    assert after is not None
    return MigrateResult(admin.engine_name(engine), location, before, after, taken)


# -- db check ---------------------------------------------------------------------------------


@dataclass
class DatabaseCheck:
    """What ``db check`` found. ``problems`` (Japanese, each saying what to do) make it fail;
    ``notes`` are worth knowing but need nothing done."""

    engine: str
    location: str
    app_revision: str
    backup_dir: Path
    connected: bool = False
    revision: str | None = None
    schema: str = "unknown"
    """``current``, ``older`` (run db migrate), ``newer`` (upgrade the app), ``empty`` (no JCIM
    schema yet: run db migrate), ``unknown`` (not reached)."""
    integrity: str | None = None
    """SQLite: what ``quick_check`` (or the file's checks) reported; None when it passed or for PostgreSQL."""
    collation: str | None = None
    """How the database orders text (``C.UTF-8``, ``ja-JP (ICU)``; SQLite: ``BINARY``); None: not reached.
    A collation that orders otherwise than SQLite is a note saying how to make the database again."""
    installations: list[InstallationInfo] = field(default_factory=list)
    newest_backup: backups.Backup | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _schema_state(found: DatabaseCheck, revision: str | None) -> None:
    found.revision = revision
    found.schema = admin.schema_state(revision)
    if found.schema == "empty":
        found.problems.append(
            "JCIM Desktop の表がまだありません。「jcim-desktop db migrate」で作ってください。"
        )
    elif found.schema == "newer":
        found.problems.append(
            f"スキーマ {revision} は、この版（{HEAD_REVISION} まで）より新しい JCIM Desktop のものです。"
            "アプリを新しい版にしてください。"
        )
    elif found.schema == "older":
        found.problems.append(
            f"スキーマが古いままです（{revision}、この版は {HEAD_REVISION}）。「jcim-desktop db migrate」で更新してください"
            "（先にバックアップを取ります）。"
        )


def check(data_dir: Path | str | None = None, database_url: str | None = None) -> DatabaseCheck:
    """Connect to the database and say what it is: engine and location, its schema revision
    against this version's, for SQLite the whole file's ``quick_check``, every installation that
    writes to it, and the backups. Nothing is changed (no migration, no backup)."""
    folder = resolve_data_dir(data_dir)
    url = resolved_database_url(folder, database_url)
    settings = load_settings(folder)
    backup_dir = settings.resolved_backup_dir(folder)
    path = folder / DB_FILE_NAME
    engine_kind = "postgresql" if url is not None else "sqlite"
    found = DatabaseCheck(engine_kind, display_url(url) if url is not None else str(path), HEAD_REVISION, backup_dir)
    listed = backups.list_backups(backup_dir)
    found.newest_backup = listed[0] if listed else None
    identity = recorded_identity(folder)
    this_id = identity["installation_id"] if identity is not None else None
    if url is None:
        if not path.exists():
            found.problems.append(_no_sqlite_database(folder).message)
            return found
        problem = backups.database_problem(path)
        found.connected = True
        if problem is not None:
            found.integrity = problem
            found.problems.append(
                f"データベースが壊れています: {problem}。「jcim-desktop backup list」で正常なバックアップを選び、"
                "「jcim-desktop backup restore」で戻してください。"
            )
            if backups.read_identity(path) is None:
                return found
        engine = make_engine(path)
    else:
        engine = make_server_engine(url)
    try:
        revision = current_revision(engine)
        found.connected = True
        found.engine = admin.engine_name(engine)
        _schema_state(found, revision)
        if revision is not None:
            found.installations = list_installations(engine, this_id)
        order = admin.text_order(engine)
        found.collation = order.collation
        if not order.like_sqlite and url is not None:  # (SQLite always orders by character code)
            found.notes.append(_collation_note(url, order, empty=revision is None))
    except DatabaseUnreachable as exc:
        found.connected = False
        found.problems.append(exc.message)
        return found
    except UserError as exc:
        found.problems.append(exc.message)
        return found
    except SQLAlchemyError:
        if found.integrity is None:
            raise
        return found  # a damaged file: said above, and it is why it cannot be read
    finally:
        engine.dispose()
    if url is not None:
        _shared_notes(found, url, this_id)
    return found


def _collation_note(url: str, order: admin.TextOrder, *, empty: bool) -> str:
    """What a collation other than SQLite's changes, and how to make the database right."""
    said = (
        f"このデータベースの照合順序は {order.collation} で、文字を SQLite と違う順に並べます"
        "（大文字と小文字、記号、全角と半角、かなと漢字の順）。件名や会社名で並べた一覧と、書き出すパッケージの中の"
        "記録の順序が、SQLite の端末と同じになりません（記録の内容と集計は変わりません）。"
    )
    if empty:
        return said + (
            "まだ JCIM Desktop の表がないので、いま作り直してください: PostgreSQL の管理者が"
            f"「dropdb {database_name(url)}」のあと「{createdb_ordering_like_sqlite(url, order)}」"
            "（照合順序 C のデータベース）を実行し、それから「jcim-desktop db migrate」です。"
        )
    name = database_name(url)
    return said + (
        f"照合順序 C のデータベースを作り（「{createdb_ordering_like_sqlite(url, order, f'{name}_c')}」）、"
        f"全員が JCIM Desktop を閉じてから pg_dump と pg_restore で中身を移し、名前を入れ替えてください"
        "（手順は README の「事務局で PostgreSQL を使う」にあります）。"
    )


def _shared_notes(found: DatabaseCheck, url: str, this_id: str | None) -> None:
    if found.schema == "current" and not found.installations:
        found.notes.append(
            "まだ端末が登録されていません。各職員が自分のデータフォルダで"
            "「jcim-desktop init --org secretariat --database-url …」を実行すると、ここに並びます。"
        )
    if this_id and found.installations and not any(i.is_this for i in found.installations):
        found.notes.append(
            f"このデータフォルダの端末（{this_id}）は、この共有データベースに登録されていません。"
        )
    try:
        backups.server_tool("pg_dump")
    except backups.ServerToolError as exc:
        found.notes.append(f"このパソコンではバックアップを作れません: {exc.message}")
