"""A shared database's server seen from outside: a URL checked and a connection tried, before use."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from sqlalchemy import create_engine, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from jcim_desktop.errors import DatabaseError, UserError
from jcim_desktop.store.admin import TextOrder, text_order
from jcim_desktop.store.database import check_url, current_revision, display_url, user_error_from_server
from jcim_desktop.store.models import Installation

CONNECT_TIMEOUT_S = 10
"""How long a connection test waits for a server that does not answer (libpq's ``connect_timeout``;
a URL that sets its own keeps it)."""


@dataclass(frozen=True)
class ServerState:
    """What a shared database holds: its schema's revision (None: no JCIM schema yet), the
    installations that write to it (their ids) and how it orders text."""

    revision: str | None
    installation_ids: frozenset[str]
    text_order: TextOrder


def _parsed(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UserError(
            f"データベースの URL「{display_url(url)}」の形が正しくありません。"
            "postgresql+psycopg://利用者@サーバー/データベース名 の形で指定してください"
            "（ポート番号は「サーバー:5432」のように数字で）。"
        ) from exc


def check_shareable_url(url: str) -> None:
    """``UserError`` unless ``url`` is a shared database's URL that may be kept in the settings
    file: PostgreSQL (``check_url``), well formed, naming its database, and without a password
    (the settings file is plain text; libpq's ``.pgpass`` or ``PGPASSWORD`` supplies it)."""
    check_url(url)
    parsed = _parsed(url)
    if parsed.password is not None or "password" in parsed.query:
        raise UserError(
            "URL にパスワードを書かないでください。設定ファイルは暗号化されない普通のテキストなので、"
            "パスワードは PostgreSQL の .pgpass（Windows では %APPDATA%\\postgresql\\pgpass.conf）か"
            "環境変数 PGPASSWORD に置いてください。URL からパスワードを消すと、テストも保存もできます。"
        )
    if not parsed.database:
        raise UserError(
            f"データベースの URL「{display_url(url)}」にデータベース名がありません。"
            "postgresql+psycopg://利用者@サーバー/データベース名 のように、最後にデータベース名を付けてください。"
        )


def server_label(url: str) -> str:
    """Where a shared database is, short, as a person reads it: ``利用者@サーバー[:ポート]/データベース名``
    (a Unix socket's folder stands for the server)."""
    parsed = _parsed(url)
    host = parsed.host or ""
    if not host:
        socket = parsed.query.get("host")
        host = unquote(socket if isinstance(socket, str) else (socket[0] if socket else ""))
    if parsed.port is not None:
        host = f"{host}:{parsed.port}"
    user = f"{parsed.username}@" if parsed.username else ""
    return f"{user}{host}/{parsed.database or ''}"


def database_name(url: str) -> str:
    """The name of the database ``url`` names (as ``createdb`` and ``pg_dump`` take it)."""
    return _parsed(url).database or ""


def createdb_ordering_like_sqlite(url: str, found: TextOrder, database: str | None = None) -> str:
    """The ``createdb`` command (for PostgreSQL's superuser) that makes the database of ``url`` (or
    ``database`` on its server) with collation C, which orders text by character code as SQLite
    does, owned by the URL's user; ``found`` is how the database of ``url`` orders text now.
    ``--template=template0``: template1 has the server's collation, and a copy cannot take another.
    ``--locale-provider=libc`` where the database found is ICU's: a server whose databases default
    to ICU (PostgreSQL 15+, which knows the option) would otherwise still order by ICU."""
    parsed = _parsed(url)
    libc = " --locale-provider=libc" if found.provider == "icu" else ""
    return (f"createdb --owner={parsed.username or 'jcim'} --encoding=UTF8 --lc-collate=C{libc} "
            f"--template=template0 {database or parsed.database}")


def probe(url: str) -> ServerState:
    """Connect to the shared database of ``url`` and read what it holds, changing nothing.

    A bad URL is the ``UserError`` of ``check_shareable_url``; a server that cannot be reached,
    a refused login or a database that does not exist is ``DatabaseUnreachable`` (its message
    says what to check); a server that does not answer is given up after ``CONNECT_TIMEOUT_S``.
    """
    check_shareable_url(url)
    connect_args = {} if "connect_timeout" in _parsed(url).query else {"connect_timeout": CONNECT_TIMEOUT_S}
    # NullPool: the test's connection is closed when it is over, not kept for a database not in use.
    engine = create_engine(url, hide_parameters=True, poolclass=NullPool, connect_args=connect_args)
    try:
        revision = current_revision(engine)
        with engine.connect() as conn:
            if inspect(conn).has_table(Installation.__tablename__):
                ids = frozenset(conn.scalars(select(Installation.id)))
            else:
                ids = frozenset()
        return ServerState(revision, ids, text_order(engine))
    except SQLAlchemyError as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) else None
        problem = user_error_from_server(cause, url) if cause is not None else None
        if problem is not None:
            raise problem from exc
        lines = str(cause or exc).strip().splitlines()
        raise DatabaseError(
            f"共有データベース（{display_url(url)}）に接続できませんでした: {lines[0] if lines else type(exc).__name__}\n"
            "URL の書き方（「?」のあとの指定など）を確かめてください。"
        ) from exc
    finally:
        engine.dispose()


def same_url(a: str, b: str) -> bool:
    """Whether two URLs name the same database the same way (written with or without escapes)."""
    try:
        return _parsed(a) == _parsed(b)
    except UserError:
        return a.strip() == b.strip()
