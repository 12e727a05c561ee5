"""A shared database's record of its backups: who took which, when and where

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:30:00

On a shared PostgreSQL database every staff member's client ran the daily dump into its own
folder, so a secretariat of five took five dumps of the same database a day, and none of them
knew of the others. The dumps (``pg_dump``, any reason) are recorded here: the first client to
open the database on a day takes the daily one, the others see it was taken, by whom and where.
SQLite files are backed up by their own client alone; the table stays empty there.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'database_backups',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('taken_at', sa.String(length=40), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('installation_id', sa.String(length=36), nullable=False),
        sa.Column('user_name', sa.Text(), nullable=False),
        sa.Column('file', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('database_backups', schema=None) as batch_op:
        batch_op.create_index('ix_database_backups_day', ['day', 'reason'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('database_backups', schema=None) as batch_op:
        batch_op.drop_index('ix_database_backups_day')
    op.drop_table('database_backups')
