"""The year's matching funnel at a secretariat's scale: each pairing's stage days, compact

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:00:00

The マッチング page's funnel line (検討 → 成立 → 現場試行 → 社会実装 of the year) counts each pairing
once per stage reached within the year. At 1,000,000 records (28,000 pairings spanning a year)
it read and parsed every such pairing's stage history as JSON: 100 ms on SQLite, as long as the
board's columns. Each pairing now carries its stages' codes and days as one short text
(``considered@2024-05-01;established@2024-07-01``, derived like the first and last days), and an
index holds it with what the count selects on, so the count reads the index alone. The line's
現場試行 (the year's held trials linked to a pairing) is counted from an index of the trials'
status, day and pairing alone (10 ms → 0.5 ms at 1M).
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    from jcim_desktop.store.derived import stage_days

    op.add_column('matchings', sa.Column('stage_days', sa.Text(), nullable=True))
    conn = op.get_bind()
    matchings = sa.table('matchings', sa.column('id', sa.String), sa.column('stages', sa.JSON),
                         sa.column('stage_days', sa.Text))
    rows = conn.execute(sa.select(matchings.c.id, sa.cast(matchings.c.stages, sa.Text))).all()
    update = matchings.update().where(matchings.c.id == sa.bindparam('b_id')).values(stage_days=sa.bindparam('b_days'))
    for first in range(0, len(rows), BATCH):
        params = []
        for record_id, raw in rows[first:first + BATCH]:
            stages = json.loads(raw) if raw else []
            listed = [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []
            params.append({'b_id': record_id, 'b_days': stage_days(listed)})
        conn.execute(update, params)
    op.create_index('ix_matchings_stage_days', 'matchings',
                    ['last_stage_on', 'first_stage_on', 'deleted', 'owner', 'stage_days'])
    op.create_index('ix_trials_held', 'trials', ['status', 'deleted', 'held_from', 'matching_id', 'owner'])


def downgrade() -> None:
    op.drop_index('ix_trials_held', table_name='trials')
    op.drop_index('ix_matchings_stage_days', table_name='matchings')
    op.drop_column('matchings', 'stage_days')
