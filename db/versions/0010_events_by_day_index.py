"""Events by day: the events and pitch-event lists' first screen at a secretariat's scale

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00

Both lists open on the year's events, newest first: ordered by the day an event was held or, not
yet held, planned for (``coalesce(held_from, planned_start)``). No index held that expression, so
at 1,000,000 records (400,000 events) SQLite read every event and sorted them to show the first
200: 100–150 ms for the first screen. An index on the expression, carrying what the lists filter
on (``deleted``, ``event_type``) and the id they read, gives the first screen in a few
milliseconds and reads a whole list from the index alone (the year's 78,000 events: 40 ms
against 150 ms; all 392,000: 240 ms against 450 ms). PostgreSQL keeps empty days first in it, so
the lists' ``DESC NULLS LAST`` reads it backwards.
"""
from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    day = 'coalesce(held_from, planned_start)'
    if op.get_bind().dialect.name == 'postgresql':
        day += ' NULLS FIRST'
    op.execute(f'CREATE INDEX ix_events_day ON events ({day}, deleted, event_type, id)')


def downgrade() -> None:
    op.execute('DROP INDEX ix_events_day')
