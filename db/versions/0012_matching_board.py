"""The matching board at a secretariat's scale: its columns counted from an index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:30:00

The board counts every open pairing (検討, 成立) of every year and, among the established ones,
those with a field trial linked (現場試行). At 1,000,000 records (120,000 pairings, 87,000 open)
SQLite read each pairing's row for its stage and days and each trial's row for its ``deleted``
flag: 73 ms for the counts, 115 ms for the board's data. An index on what the board selects and
orders by (stage, ``deleted``, days, owner, id) answers the counts and the newest cards of each
column from the index alone, and the trials' index on ``matching_id`` now carries ``deleted``
(it replaces the one without it, which served the same lookups).
"""
from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_matchings_board', 'matchings',
                    ['current_stage', 'deleted', 'last_stage_on', 'first_stage_on', 'owner', 'id'])
    op.create_index('ix_trials_matching_id_deleted', 'trials', ['matching_id', 'deleted'])
    op.drop_index('ix_trials_matching_id', table_name='trials')


def downgrade() -> None:
    op.create_index('ix_trials_matching_id', 'trials', ['matching_id'])
    op.drop_index('ix_trials_matching_id_deleted', table_name='trials')
    op.drop_index('ix_matchings_board', table_name='matchings')
