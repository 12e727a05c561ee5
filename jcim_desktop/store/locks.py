"""Locks that keep whole use cases apart on a database that several people write to at once."""

from __future__ import annotations

from sqlalchemy import Connection, text

from jcim_desktop.store.models import Installation

IMPORT_LOCK = 74_215_002
"""The PostgreSQL advisory lock an import (or the undoing of imports) holds until its transaction
ends (``store.database.MIGRATION_LOCK`` is its neighbour)."""


def lock_for_import(conn: Connection) -> None:
    """Make ``conn``'s transaction the only import (or undo of imports) writing to the database,
    until it commits or rolls back; call it first in the transaction, before anything is read.

    Merging reads the stored versions and then writes on what it read: two imports of packages
    touching the same records must not interleave, or the second would write over the first's
    records from what it read before them (a lost update, wrong counts, a wrong journal). On
    PostgreSQL the transaction takes an advisory lock: a second import waits for the first to
    end, then reads what it wrote. SQLite has one writer at a time: a write that changes nothing
    makes the transaction that writer now rather than at its first real write, so what it reads
    next is what it writes on (a second import waits, up to the busy timeout, as for any write).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    else:
        conn.execute(text(f'UPDATE "{Installation.__tablename__}" SET id = id WHERE 0 = 1'))
