"""Opening the local database: checks, backups, migrations, pragmas, sessions."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import sessionmaker

from jcim_desktop.errors import DatabaseError, StorageError, UserError
from jcim_desktop.paths import bundled_path
from jcim_desktop.store import backup as backups
from jcim_desktop.store import shared_backups
from jcim_desktop.store.faults import UNCHANGED, user_error_from_sqlite
from jcim_desktop.store.stamping import StampingSession, Writer

DB_FILE_NAME = "jcim.sqlite3"
DATABASE_URL_ENV = "JCIM_DESKTOP_DATABASE_URL"
"""The environment variable that names the database (as ``--database-url``, SYNC_FORMAT §6)."""
SERVER_SCHEMES = ("postgresql+psycopg",)
"""The database URLs a shared database may have (SQLite needs none: it is the data folder's file)."""
HEAD_REVISION = "0013"
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


CONNECT_TIMEOUT_S = 10
"""How long a connection to the shared database's server may take before it is said unreachable."""


def make_server_engine(url: str) -> Engine:
    """An engine on a shared PostgreSQL database whose faults a person can act on are user errors
    (``user_error_from_server``: no connection, another person's save in the way, a time-out, a
    refused value, a missing privilege, a read-only or full server, a lost connection, a schema
    changed by another version). A pooled connection the server dropped meanwhile (a restart, an
    administrator) is replaced without a word."""
    # A server that does not answer (a network gone, a host down) is said within seconds, not after
    # the system's TCP time-out: the window's work waits on one thread (a URL's own value wins).
    connect_args = {} if "connect_timeout=" in url else {"connect_timeout": CONNECT_TIMEOUT_S}
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args)

    def on_error(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping:
            # The pool's check of a kept connection: a dead one is replaced by a new one, unless
            # an error is returned here (the person would be told the server cannot be reached
            # while it is up again).
            return None
        exc = context.original_exception
        problem = user_error_from_server(
            exc, url, statement=context.statement, connected=context.connection is not None,
            role=_connected_role(context) if getattr(exc, "sqlstate", None) == "42501" else None,
        )
        if problem is None and context.engine is not None:
            problem = _schema_changed(exc, context.engine, url)
        if problem is not None:
            problem.__cause__ = exc
        return problem

    event.listen(engine, "handle_error", on_error, retval=True)
    return engine


class DatabaseUnreachable(DatabaseError):
    """The shared database's server cannot be reached or refuses the login."""


class ConnectionLost(DatabaseUnreachable):
    """The connection to the shared database ended in the middle of an operation (an administrator
    ended it, the server restarted or timed an idle session out). The next operation connects anew."""


class ServerFault(DatabaseError):
    """The shared database's server refused an operation for a reason a person or the administrator
    can act on. ``sqlstate`` is PostgreSQL's code (empty when psycopg refused before sending);
    the message ends with the server's own line for the administrator (no value of the data)."""

    def __init__(self, message: str, sqlstate: str = "") -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class DatabaseBusy(ServerFault):
    """Another person's transaction got in the way (a serialization failure, a deadlock): the
    server rolled this one back whole, so running the same use case again is safe and usually
    succeeds (``retry_when_busy``)."""


class DuplicateKey(DatabaseBusy):
    """Another person saved a row with the same key at the same time (a unique violation)."""


class DatabaseTimeout(ServerFault):
    """The server stopped the statement: its time limit (statement_timeout), a lock waited for too
    long (lock_timeout), or an administrator cancelled it. Running it again at once may take as long."""


class ValueRefused(ServerFault):
    """The server does not accept a value: a number out of its column's range, a text too long,
    a character it cannot store (NUL), a malformed date."""


class ServerPermissionDenied(ServerFault):
    """The role of the database URL lacks a privilege (the administrator must GRANT it)."""


class ServerReadOnly(ServerFault):
    """The server accepts no writes: a standby, or ``default_transaction_read_only``."""


class ServerOutOfResources(ServerFault):
    """The server ran out of disk space, memory or another resource."""


class SchemaChanged(DatabaseError):
    """The shared database's tables are no longer those of this version: another version's
    migration changed them, or an older dump was restored, while this client ran."""


_T = TypeVar("_T")


def retry_when_busy(work: Callable[[], _T], *, attempts: int = 2) -> _T:
    """``work()``, run again (``attempts`` times in all) while it fails with ``DatabaseBusy``.

    Only for work that opens its own transaction and changes nothing outside the database: the
    server rolled the failed run back whole, so the next run starts from what is stored then
    (a colleague's save that got in the way included: a version check refuses it then).
    """
    for _ in range(attempts - 1):
        try:
            return work()
        except DatabaseBusy:
            continue
    return work()


_BUSY = {"40001", "40P01"}
_TIMEOUT = {"57014", "55P03"}
_VALUES = {
    "22001": "文字数が多すぎる値があります",
    "22003": "数が大きすぎる（または小さすぎる）値があります",
    "22P02": "数や日付の形になっていない値があります",
    "22007": "日付・時刻の形が正しくない値があります",
    "22008": "ありえない日付・時刻の値があります",
    "22021": "サーバーの文字コードで扱えない文字があります",
    "22P05": "サーバーの文字コードで扱えない文字があります",
    "54000": "値が長すぎて、サーバーの索引に収まりません",
}
_LOST = {"57P01", "57P02", "57P03", "57P04", "57P05", "25P03"}
_LOST_WHY = {
    "57P01": "管理者が接続を終了しました",
    "57P02": "サーバーが異常終了しました",
    "57P03": "サーバーが起動中か停止中です",
    "57P04": "データベースが削除されました",
    "57P05": "長いあいだ操作がなかったため、サーバーが接続を終了しました",
    "25P03": "保存の途中で長く止まっていたため、サーバーが接続を終了しました",
}
_RESOURCES = {
    "53100": "サーバーのディスクの空き容量が足りません",
    "53200": "サーバーのメモリが足りません",
    "53300": "サーバーへの接続の数が上限に達しています",
    "53400": "サーバーの設定の上限を超えました",
}
_TABLES = {
    "installation": "端末の登録",
    "audit_log": "変更履歴",
    "trusted_keys": "信頼した鍵",
    "installation_keys": "端末の鍵",
    "received_packages": "受け取った同期パッケージの記録",
    "import_journal": "取り込みの記録",
    "conflict_versions": "競合した版",
    "age_recipients": "暗号化の受信者",
    "database_backups": "バックアップの記録",
    "alembic_version": "データベースの版",
}
_GRANT = (
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"; '
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}";'
)


def user_error_from_server(
    exc: BaseException, url: str, *, statement: str | None = None, connected: bool = False,
    role: str | None = None,
) -> UserError | None:
    """The user error for the PostgreSQL fault ``exc`` met on the shared database at ``url``, or
    None for a bug (a syntax error, an unknown column on a current schema…: the crash report is
    right for those).

    ``statement`` is the SQL that failed (only its verb and table are used), None with
    ``connected`` for a commit; without ``connected`` the connection was being opened (a fault
    without a code is then ``DatabaseUnreachable``). ``role`` is the role the server knows the
    connection by (for a missing privilege). Each message says what could not be done, what
    happened, what became of the change and what to do, and ends with the server's own line
    (values masked, never the statement's parameters) for the administrator.
    """
    import psycopg

    if not isinstance(exc, psycopg.Error):
        return None
    code = str(getattr(exc, "sqlstate", None) or "")
    detail = _server_detail(exc, code)
    shown = display_url(url)
    if not code and isinstance(exc, psycopg.OperationalError) and not connected:
        return DatabaseUnreachable(
            f"共有データベース（{shown}）に接続できません: {detail}\n"
            "サーバーが動いているか、URL の利用者名・サーバー名・データベース名、パスワード（.pgpass）を確認してください。"
        )
    action = _server_action(statement, connected)
    for_admin = f"\nサーバーの説明（管理者向け）: {detail}"
    if code in _BUSY:
        return DatabaseBusy(
            f"{action}ができませんでした: 他の人の保存と重なりました。何も保存していません。もう一度実行してください。{for_admin}",
            code,
        )
    if code == "23505":
        return DuplicateKey(
            f"{action}ができませんでした: 他の人が同じものを同時に保存しました。何も保存していません。"
            f"もう一度実行してください。{for_admin}",
            code,
        )
    if code in _TIMEOUT:
        primary = detail.lower()
        if code == "55P03" or "lock timeout" in primary:
            what = "他の人が使っているデータが空くのを待ちきれませんでした（lock_timeout）。"
            advice = "しばらくしてから、もう一度行ってください。"
        elif "user request" in primary:
            what = "サーバーで処理が取り消されました（管理者による取り消し）。"
            advice = "もう一度行ってください。"
        else:
            what = "サーバーでの処理が制限時間（statement_timeout）を超えたため、中止されました。"
            advice = ("しばらくしてから、もう一度行ってください。何度も起きるときは、管理者にサーバーの "
                      "statement_timeout の設定を確かめてもらってください。")
        return DatabaseTimeout(f"{action}ができませんでした: {what}{UNCHANGED}{advice}{for_admin}", code)
    if code == "42501":
        who = role or _url_role(url)
        ddl = _is_ddl(statement) or "must be owner" in detail or "for schema" in detail
        if ddl:
            advice = ("表の作成・変更（jcim-desktop db migrate）は、表を作った利用者（データベースの所有者）の URL で"
                      "実行してください。")
        else:
            advice = "管理者がサーバーでこの利用者に権限を与えてください（例: " + _GRANT.format(role=who) + "）。"
        return ServerPermissionDenied(
            f"{action}ができませんでした: 共有データベースの利用者「{who}」には、この操作の権限がありません。"
            f"{UNCHANGED}{advice}{for_admin}",
            code,
        )
    if code == "25006":
        return ServerReadOnly(
            f"{action}ができませんでした: 共有データベース（{shown}）は読み取り専用です（予備のサーバー（スタンバイ）か、"
            f"読み取り専用の設定）。{UNCHANGED}管理者に、書き込みのできるサーバーとその URL を確かめてもらってください。"
            f"{for_admin}",
            code,
        )
    if code.startswith("53"):
        why = _RESOURCES.get(code, "サーバーの資源が足りません")
        return ServerOutOfResources(
            f"{action}ができませんでした: {why}。{UNCHANGED}管理者にサーバーの空き（ディスク・メモリ）を作ってもらってから、"
            f"もう一度行ってください。{for_admin}",
            code,
        )
    nul = not code and isinstance(exc, psycopg.DataError) and "NUL" in detail
    if code in _VALUES or nul:
        why = "使えない文字（NUL 文字、0x00）が含まれています。ほかの文書から貼り付けた文字に含まれることがあります" if nul \
            else _VALUES[code]
        return ValueRefused(
            f"{action}ができませんでした: 共有データベースのサーバーが値を受け付けませんでした（{why}）。{UNCHANGED}"
            f"入力した値を確かめて直してから、もう一度行ってください。{for_admin}",
            code,
        )
    if code in _LOST or code.startswith("08") or (not code and isinstance(exc, psycopg.OperationalError)):
        if not connected:
            return DatabaseUnreachable(
                f"共有データベース（{shown}）に接続できません: {detail}\n"
                "サーバーが動いているか、URL の利用者名・サーバー名・データベース名、パスワード（.pgpass）を確認してください。"
            )
        why = _LOST_WHY.get(code, "サーバーとの通信が途切れました")
        if statement is None:  # the commit: it may have reached the server before the connection ended
            outcome = ("保存が済んだかどうかは確かめられませんでした。サーバーが動いていることを確かめてから開き直し、"
                       "内容を確かめて、保存されていなければもう一度行ってください。")
        else:
            outcome = (f"{UNCHANGED}サーバーが動いていることを確かめてから、もう一度行ってください"
                       "（次の操作で接続し直します）。")
        return ConnectionLost(
            f"{action}ができませんでした: 共有データベース（{shown}）との接続が切れました（{why}）。{outcome}{for_admin}"
        )
    if code.startswith(("58", "XX")):
        return ServerFault(
            f"{action}ができませんでした: 共有データベースのサーバーでエラーが起きました。{UNCHANGED}"
            f"管理者に、サーバーの記録（ログ）を確かめてもらってください。{for_admin}",
            code,
        )
    return None


def _server_detail(exc: BaseException, code: str) -> str:
    """The server's one line about ``exc`` (its primary message and code), values masked."""
    import re

    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if code else None
    if not primary:
        lines = str(exc).strip().splitlines()
        primary = lines[0] if lines else type(exc).__name__
    if code.startswith("22"):
        # A refused value is quoted by the server ("value "…" is out of range"): a contact may be it.
        primary = re.sub(r'"[^"]*"', '"…"', primary)
    return f"{primary} (SQLSTATE {code})" if code else primary


_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "MERGE")


def _server_action(statement: str | None, connected: bool) -> str:
    """What was being done, as a noun (「自治体ニーズ（表 needs）への書き込み」), from the
    statement's verb and table; the commit when there is no statement on an open connection."""
    import re

    if statement is None:
        return "共有データベースへの保存" if connected else "共有データベースの操作"
    if _is_ddl(statement):
        return "共有データベースの表の作成・変更"
    sql = statement.lstrip().upper()
    if "PG_ADVISORY" in sql:
        return "共有データベースへの書き込み"  # the lock of an import or a migration
    name = r'(?:"?\w+"?\.)?"?(\w+)"?'
    write = re.match(rf"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+(?:ONLY\s+)?{name}", statement, re.I)
    if write is not None:
        return f"{_table_label(write.group(1))}への書き込み"
    source = re.search(rf"\bFROM\s+{name}", statement, re.I)
    if sql.startswith(_WRITE_VERBS) or " FOR UPDATE" in sql or " FOR SHARE" in sql:
        return f"{_table_label(source.group(1))}への書き込み" if source else "共有データベースへの書き込み"
    return f"{_table_label(source.group(1))}の読み取り" if source else "共有データベースの読み取り"


def _is_ddl(statement: str | None) -> bool:
    words = statement.lstrip().split(None, 1) if statement else []
    return bool(words) and words[0].upper() in {"CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "COMMENT"}


def _table_label(table: str) -> str:
    """A table as a person reads it: the kind of record (「自治体ニーズ（表 needs）」), else its name."""
    from jcim_desktop.domain.entities import ENTITY_LABELS
    from jcim_desktop.store.models import MODELS

    labels = {str(getattr(model, "__tablename__", entity)): ENTITY_LABELS.get(entity, entity)
              for entity, model in MODELS.items()}
    label = labels.get(table) or _TABLES.get(table)
    # A space between a Latin name and the Japanese after it, as elsewhere (「表 scratch への」).
    return f"{label}（表 {table}）" if label else f"表 {table} "


def _url_role(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).username or "（URL の利用者）"
    except Exception:  # noqa: BLE001 - a malformed URL names no role
        return "（URL の利用者）"


def _connected_role(context: ExceptionContext) -> str | None:
    """The role the server knows the failing connection by (libpq's default when the URL names none)."""
    try:
        connection = context.connection
        if connection is None or connection.invalidated:
            return None
        info = getattr(connection.connection.dbapi_connection, "info", None)
        return str(info.user) if info is not None else None
    except Exception:  # noqa: BLE001 - a broken connection: the URL's role is named instead
        return None


def _schema_changed(exc: BaseException, engine: Engine, url: str) -> UserError | None:
    """For an unknown table or column (42P01, 42703): the user error when the database is no longer
    at this version's schema (another version migrated it, an older dump was restored, the tables
    were dropped), read on a connection of its own; None when it is current (a bug)."""
    if getattr(exc, "sqlstate", None) not in ("42P01", "42703"):
        return None
    try:
        raw = engine.raw_connection()  # a plain driver connection: its faults do not come back here
        try:
            cursor = raw.cursor()
            cursor.execute("SELECT to_regclass('alembic_version') IS NOT NULL")
            row = cursor.fetchone()
            revision = None
            if row is not None and row[0]:
                cursor.execute("SELECT version_num FROM alembic_version")
                found = cursor.fetchone()
                revision = str(found[0]) if found is not None else None
        finally:
            raw.close()
        if revision == HEAD_REVISION:
            return None
        known = known_revisions()
    except Exception:  # noqa: BLE001 - the schema cannot be read either: reported as it was
        return None
    shown = display_url(url)
    if revision is None:
        return SchemaChanged(
            f"共有データベース（{shown}）に JCIM Desktop の表がありません（消されたか、作り直されたようです）。"
            "管理者が「jcim-desktop db migrate」で表を作るか、バックアップから戻してから、開き直してください。"
        )
    if revision in known:
        return SchemaChanged(
            f"共有データベース（{shown}）の表が、このアプリより古い版（{revision}）に戻っています。"
            "管理者が「jcim-desktop db migrate」を実行してから、開き直してください。"
        )
    return SchemaChanged(
        f"共有データベース（{shown}）は新しい版のアプリで更新されています（{revision}）。"
        "このアプリを新しい版にしてから、開き直してください。"
    )


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
