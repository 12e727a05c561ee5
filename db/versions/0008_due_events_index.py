"""Events by status and day: the dashboard's overdue list and the tally at a secretariat's scale

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 11:00:00

The dashboard lists the open events (planned, confirmed) whose planned period has ended. With
an index on ``status`` alone SQLite reads every open event of every year to find them (0.13 s
at 1,000,000 records); ``(status, planned_end)`` finds them directly (0.02 s). The tally reads
the year's held events: ``(status, held_from)`` keeps SQLite on the day range (it prefers an
index matching ``status =`` to one matching the day alone, and through the first index it would
visit every held event of every year). The two replace ``ix_events_status``.
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_status_planned_end', ['status', 'planned_end'], unique=False)
        batch_op.create_index('ix_events_status_held_from', ['status', 'held_from'], unique=False)
        batch_op.drop_index('ix_events_status')


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_status', ['status'], unique=False)
        batch_op.drop_index('ix_events_status_held_from')
        batch_op.drop_index('ix_events_status_planned_end')
