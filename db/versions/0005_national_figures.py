"""The national figures: closed tallies, joint events, membership by date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

- ``closed_tallies`` (SYNC_FORMAT §4): the official figures of a fiscal year (年度確定, or a past
  year's published results), one live record per year.
- ``events.co_hosts``: the other orgs that held an event jointly. Earlier versions kept the
  field, received from a later writer, in ``extra``; it moves to its column.
- an index on ``municipality_status.as_of``: the status of every municipality on a fiscal
  year's last day is read for each year's rates.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'closed_tallies',
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.String(length=40), nullable=False),
        sa.Column('closed_by', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('kpis', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=32), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('vv', sa.JSON(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_tallies')),
    )
    with op.batch_alter_table('closed_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_closed_tallies_fiscal_year', ['fiscal_year'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('co_hosts', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('co_hosts', server_default=None, existing_type=sa.JSON(), existing_nullable=False)
    with op.batch_alter_table('municipality_status', schema=None) as batch_op:
        batch_op.create_index('ix_municipality_status_as_of', ['as_of'], unique=False)
    _co_hosts_out_of_extra(op.get_bind())


def _co_hosts_out_of_extra(conn: sa.Connection) -> None:
    """Move co_hosts kept in ``extra`` to the column, and let a search find the event by its
    co-hosts' names (the search key is the application's, as in migration 0002)."""
    from jcim_desktop.store.derived import org_search_key

    rows = conn.execute(sa.text("SELECT id, extra, search_text FROM events WHERE extra IS NOT NULL")).fetchall()
    for record_id, extra_text, search in rows:
        extra = json.loads(extra_text) if isinstance(extra_text, str) else extra_text
        if not isinstance(extra, dict) or "co_hosts" not in extra:
            continue
        hosts = extra.pop("co_hosts")
        hosts = [h for h in hosts if isinstance(h, str)] if isinstance(hosts, list) else []
        names = "|".join(key for key in (org_search_key(h) for h in hosts) if key)
        conn.execute(
            sa.text("UPDATE events SET co_hosts = :hosts, extra = :extra, search_text = :search WHERE id = :id"),
            {"hosts": json.dumps(hosts), "extra": json.dumps(extra) if extra else None, "id": record_id,
             "search": "|".join(part for part in (search, names) if part)},
        )


def downgrade() -> None:
    with op.batch_alter_table('municipality_status', schema=None) as batch_op:
        batch_op.drop_index('ix_municipality_status_as_of')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('co_hosts')
    op.drop_table('closed_tallies')
