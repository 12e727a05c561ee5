"""What an administrator asks of a database beyond opening it: its engine, its tables, and the
newest local change of each installation (``db check``, the settings' list of installations)."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select

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
