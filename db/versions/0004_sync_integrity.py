"""Sync integrity: one key per installation, unknown fields kept, canonical ids, bounded clocks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00

- ``installation_keys`` remembers the key each installation signs with (SYNC_FORMAT §2); it is
  seeded from the packages already received (which kept only the key id).
- every entity table gets ``extra``: the ``data`` fields a later version added, kept as received.
- ids that earlier versions accepted in upper case are made canonical (lower case); where that
  would give one UUID two rows (an upper-case copy of an existing record), the copy is removed,
  so a record is never counted twice.
- stamps more than 24 hours ahead of the clock at upgrade time (which earlier versions accepted
  from packages) are brought back to that time, so that packages of this installation are not
  refused by others, and the local clock can stamp again.
"""
from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ENTITY_TABLES = ("events", "pitch_presentations", "needs", "seeds", "matchings", "trials", "support_activities",
                 "municipality_status", "kpi_targets")
REFERENCE_COLUMNS = {
    "pitch_presentations": ("event_id", "seed_id", "need_id"),
    "matchings": ("need_id", "seed_id", "pitch_event_id"),
    "trials": ("matching_id", "need_id", "seed_id", "pitch_event_id"),
}
DAY_MS = 24 * 3600 * 1000


def upgrade() -> None:
    op.create_table('installation_keys',
    sa.Column('installation', sa.String(length=36), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=True),
    sa.Column('key_id', sa.String(length=19), nullable=False),
    sa.Column('org', sa.String(length=32), nullable=False),
    sa.Column('first_seen', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('installation', name=op.f('pk_installation_keys'))
    )
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=True))

    conn = op.get_bind()
    # The first key id each installation was heard with.
    conn.execute(sa.text(
        "INSERT INTO installation_keys (installation, public_key, key_id, org, first_seen) "
        "SELECT r.installation, NULL, r.key_id, r.org, r.received_at FROM received_packages r "
        "WHERE r.id = (SELECT MIN(r2.id) FROM received_packages r2 WHERE r2.installation = r.installation)"
    ))
    _canonical_ids(conn)
    _bounded_clocks(conn)


def _canonical_ids(conn: sa.Connection) -> None:
    for table in ENTITY_TABLES:
        rows = conn.execute(sa.text(f'SELECT id FROM "{table}" WHERE id <> lower(id)')).fetchall()
        for (record_id,) in rows:
            twin = conn.execute(sa.text(f'SELECT 1 FROM "{table}" WHERE id = :id'), {"id": record_id.lower()}).first()
            if twin is not None:
                conn.execute(sa.text(f'DELETE FROM "{table}" WHERE id = :id'), {"id": record_id})
            else:
                conn.execute(sa.text(f'UPDATE "{table}" SET id = lower(id) WHERE id = :id'), {"id": record_id})
        for column in REFERENCE_COLUMNS.get(table, ()):
            conn.execute(sa.text(f'UPDATE "{table}" SET "{column}" = lower("{column}") '
                                 f'WHERE "{column}" IS NOT NULL AND "{column}" <> lower("{column}")'))
    conn.execute(sa.text("DELETE FROM conflict_versions WHERE record_id <> lower(record_id)"))


def _bounded_clocks(conn: sa.Connection) -> None:
    now = time.time_ns() // 1_000_000
    limit = f"{now + DAY_MS:013d}"
    stamp = f"{now:013d}-00000-"
    for table in (*ENTITY_TABLES, "conflict_versions"):
        conn.execute(sa.text(
            f'UPDATE "{table}" SET hlc = :stamp || substr(hlc, -36) '
            "WHERE substr(hlc, 1, 13) > :limit OR length(hlc) > 56 OR substr(hlc, 14, 1) <> '-'"
        ), {"stamp": stamp, "limit": limit})
    conn.execute(sa.text(
        "UPDATE installation SET hlc_last = :stamp || id "
        "WHERE substr(hlc_last, 1, 13) > :limit OR length(hlc_last) > 56 OR substr(hlc_last, 14, 1) <> '-'"
    ), {"stamp": stamp, "limit": limit})


def downgrade() -> None:
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('extra')
    op.drop_table('installation_keys')
