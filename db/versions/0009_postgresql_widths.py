"""PostgreSQL: the column widths SQLite only declares, and the audit log's append-only triggers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:00:00

SQLite stores any integer up to 2^63 - 1 in an INTEGER column and does not enforce VARCHAR(n);
PostgreSQL does both. Validation lets through integers up to 2^53 - 1 (SYNC_FORMAT §2) and text
up to 100,000 characters, so on PostgreSQL a 3,000,000,000 participants, a NETIS number longer
than 32 characters or a package sequence above 2^31 - 1 failed with a DataError (a crash at the
secretariat, a "unexpected error" rejection at import) where SQLite stores them. These columns
become BIGINT and TEXT there (varchar and text cost the same in PostgreSQL). Migration 0002 made
the audit log append-only with SQLite triggers only: PostgreSQL gets the same refusal.
Nothing changes on SQLite.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# (table, column): integers a record or a package may carry up to 2^53 - 1.
BIG = [
    ('events', 'series_no'), ('events', 'participants'), ('trials', 'series_no'),
    ('pitch_presentations', 'order_no'), ('installation', 'package_sequence'),
    ('received_packages', 'sequence'), ('received_packages', 'records'),
]
# (table, column, old width): text whose validation allows more than the declared width
# (a NETIS number is free text; an ISO date-time may carry microseconds in its offset: 42 characters).
LONG = [('seeds', 'netis_no', 32), ('received_packages', 'created_at', 40), ('closed_tallies', 'closed_at', 40)]


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column in BIG:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())
    for table, column, width in LONG:
        op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(width))
    # OR REPLACE / IF EXISTS: a database whose tables were dropped (an administrator starting
    # over, a restore of an older dump) still holds the function.
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
    )
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log")
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table, column, width in LONG:
        op.alter_column(table, column, type_=sa.String(width), existing_type=sa.Text())
    for table, column in BIG:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())


