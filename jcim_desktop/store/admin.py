"""What an administrator asks of a database beyond opening it: its engine, its tables, how its
schema stands against this version's, how it orders text, and the newest local change of each
installation (``db check``, the settings' connection test and list of installations)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, func, inspect, select, text

from jcim_desktop.store.database import HEAD_REVISION, known_revisions
from jcim_desktop.store.models import AuditEntry, Installation

ENGINE_LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}

LATEST_CHANGE_WINDOW = 50_000
"""How many of the newest local changes are looked through for each installation's latest one:
a bounded read through the audit log's index on ``at`` (an installation whose latest change is
older than these has none known)."""


def engine_name(engine: Engine) -> str:
    """``postgresql`` or ``sqlite``: the kind of database behind ``engine``."""
    return "postgresql" if engine.dialect.name == "postgresql" else "sqlite"


def table_names(engine: Engine) -> set[str]:
    """The tables of the database's default schema (ours, and any others')."""
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def installation_rows(engine: Engine) -> list[tuple[str, str, str, str, str | None]]:
    """Every installation writing to the database: (id, org, public key, created at, the ``at``
    of its newest local change among the newest ``LATEST_CHANGE_WINDOW``, or None)."""
    recent = (
        select(AuditEntry.installation_id, AuditEntry.at)
        .where(AuditEntry.package_id.is_(None))
        .order_by(AuditEntry.at.desc())
        .limit(LATEST_CHANGE_WINDOW)
        .subquery()
    )
    latest = select(recent.c.installation_id, func.max(recent.c.at)).group_by(recent.c.installation_id)
    with engine.connect() as conn:
        # A schema older than this version's (db check before db migrate) may lack the columns.
        audited = {c["name"] for c in inspect(conn).get_columns("audit_log")} if inspect(conn).has_table("audit_log") \
            else set()
        changes = ({str(r[0]): (str(r[1]) if r[1] is not None else None) for r in conn.execute(latest)}
                   if {"installation_id", "at", "package_id"} <= audited else {})
        rows = conn.execute(
            select(Installation.id, Installation.org, Installation.public_key, Installation.created_at)
            .order_by(Installation.created_at, Installation.id)
        ).all()
    return [(str(r.id), str(r.org), str(r.public_key), str(r.created_at), changes.get(str(r.id))) for r in rows]


SchemaState = Literal["current", "older", "newer", "empty"]


def schema_state(revision: str | None) -> SchemaState:
    """How a database's schema revision stands against this version's: ``empty`` (None: no JCIM
    tables yet), ``current`` (``HEAD_REVISION``), ``older`` (a revision this version's migrations
    lead from: they update it) or ``newer`` (one they do not know: a newer version made it)."""
    if revision is None:
        return "empty"
    if revision == HEAD_REVISION:
        return "current"  # without loading Alembic's scripts
    return "older" if revision in known_revisions() else "newer"


@dataclass(frozen=True)
class TextOrder:
    """How a database orders text by default (``ORDER BY`` on a text column, ``min``, ``<``)."""

    collation: str
    """Its default collation as the server names it: ``C.UTF-8``, ``ja_JP.UTF-8``, ``ja-JP (ICU)``;
    ``BINARY`` for SQLite."""
    provider: Literal["libc", "icu", "builtin", "sqlite"]
    """Whose collation it is: the operating system's (libc), ICU's (PostgreSQL 15+ may make it a
    database's default), PostgreSQL's own (builtin, 17+), or SQLite's."""
    like_sqlite: bool
    """Whether text is ordered by character code, as SQLite orders it (PostgreSQL's C, POSIX and
    C.UTF-8 collations): lists sorted by a text column, and exports ordered by id, come out in the
    same order on both engines. A language's collation (en_US.UTF-8, ja_JP.UTF-8, ICU's ja-JP)
    orders them otherwise (capitals among small letters, hyphens weighed otherwise or not at all,
    kana and kanji in the language's order)."""


ORDER_SAMPLES = ("a", "B", "a-c", "ab", "Ａ", "あ", "ア", "亜", "𠀋")
"""Texts that every language's collation orders otherwise than their character codes do (small
before capital, ``-`` ignored or weighed as a symbol, full-width Ａ beside a); sorted by code,
as SQLite sorts them: B a a-c ab あ ア 亜 Ａ 𠀋."""


def text_order(engine: Engine) -> TextOrder:
    """How the database of ``engine`` orders text. On PostgreSQL the database's default collation
    is named from ``pg_database`` (read whole as JSON: its columns differ between versions, ICU's
    and the built-in provider's locale included) and tried on ``ORDER_SAMPLES``: an ICU database
    reports a C ``datcollate`` but orders by its ICU locale, so the name alone would mislead."""
    if engine.dialect.name != "postgresql":
        return TextOrder("BINARY", "sqlite", True)  # SQLite compares text with memcmp (its BINARY collation)
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT to_jsonb(d)::text FROM pg_database AS d WHERE d.datname = current_database()")
        ).scalar_one()
        ordered = conn.execute(
            text("SELECT x FROM unnest(CAST(:samples AS text[])) AS t(x) ORDER BY x"), {"samples": list(ORDER_SAMPLES)}
        ).scalars().all()
    row = json.loads(found)
    like_sqlite = list(ordered) == sorted(ORDER_SAMPLES)
    provider = row.get("datlocprovider", "c")  # before 15 always the operating system's
    if provider == "i":  # ICU: its locale decides (daticulocale in 15–16, datlocale from 17)
        return TextOrder(f"{row.get('datlocale') or row.get('daticulocale') or '?'} (ICU)", "icu", like_sqlite)
    if provider == "b":  # C, C.UTF-8 or PG_UNICODE_FAST
        return TextOrder(f"{row.get('datlocale') or '?'} (builtin)", "builtin", like_sqlite)
    return TextOrder(str(row.get("datcollate") or "?"), "libc", like_sqlite)
