"""The backups of a shared database, recorded in it: one daily dump per database, not per client.

Every client of a shared PostgreSQL database keeps its own data folder, and so its own backup
folder. Without a record in the database each of them took the day's dump; with it the first
client to open the database on a day takes it (under an advisory lock, so two starting at once
do not both dump) and the others see when, by whom and where it was taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, inspect, select, text

from jcim_desktop.store.backup import REASON_LABELS
from jcim_desktop.store.models import DatabaseBackup

DAILY_DUMP_LOCK = 74_215_003
"""The PostgreSQL advisory lock held while a client takes the day's dump
(``store.locks.IMPORT_LOCK`` and ``store.database.MIGRATION_LOCK`` are its neighbours)."""


@dataclass(frozen=True)
class RecordedBackup:
    """A dump of the shared database as recorded in it (``file`` as the taker's computer names it)."""

    taken_at: dt.datetime
    reason: str
    installation_id: str
    user_name: str
    file: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def _has_record(engine: Engine) -> bool:
    # A dump taken before the schema holds the table (the one before a migration) goes unrecorded.
    with engine.connect() as conn:
        return inspect(conn).has_table(DatabaseBackup.__tablename__)


def record_backup(engine: Engine, path: Path, reason: str, installation_id: str, user_name: str,
                  taken_at: dt.datetime | None = None) -> None:
    """Record a dump of the database just written to ``path``."""
    if not _has_record(engine):
        return
    at = (taken_at or dt.datetime.now()).astimezone()
    with engine.begin() as conn:
        conn.execute(insert(DatabaseBackup).values(
            taken_at=at.isoformat(timespec="seconds"), day=at.date().isoformat(), reason=reason,
            installation_id=installation_id, user_name=user_name, file=str(path),
        ))


def backup_on(engine: Engine, day: dt.date) -> RecordedBackup | None:
    """The first dump recorded on ``day`` (the daily one, or one a person took), if any."""
    if not _has_record(engine):
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(DatabaseBackup).where(DatabaseBackup.day == day.isoformat())
            .order_by(DatabaseBackup.id).limit(1)
        ).first()
    return _recorded(row) if row is not None else None


def recorded_backups(engine: Engine, limit: int = 50) -> list[RecordedBackup]:
    """The newest recorded dumps of the database, newest first."""
    if not _has_record(engine):
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(DatabaseBackup).order_by(DatabaseBackup.id.desc()).limit(limit)).all()
    return [_recorded(row) for row in rows]


def _recorded(row: object) -> RecordedBackup:
    return RecordedBackup(
        dt.datetime.fromisoformat(row.taken_at), row.reason, row.installation_id,  # type: ignore[attr-defined]
        row.user_name, row.file,  # type: ignore[attr-defined]
    )


@contextmanager
def daily_dump_turn(engine: Engine, day: dt.date) -> Iterator[bool]:
    """Whether this client is the one to take ``day``'s dump: nobody took it, and nobody is taking
    it now (the advisory lock is held until the block ends; a client that does not get it goes on
    without waiting)."""
    with engine.connect() as conn:  # a session lock: held across pg_dump, which is another process
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": DAILY_DUMP_LOCK}).scalar())
        conn.commit()
        try:
            yield got and backup_on(engine, day) is None
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": DAILY_DUMP_LOCK})
                conn.commit()
