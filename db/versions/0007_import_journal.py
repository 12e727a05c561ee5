"""Undoing an import without a backup before it: the import journal

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:00:00

``import_journal`` holds, for each import still undoable, the rows it changed as they were before
(``before``: NULL for a record the import added), what it left (``after_hlc``, ``after_vv``, to
see whether anything changed them since) and the record's conflict versions before, where the
import touched them. Written in the import's own transaction; see ``store.journal``.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_journal',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('received_id', sa.Integer(), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after_hlc', sa.String(length=64), nullable=False),
        sa.Column('after_vv', sa.Text(), nullable=False),
        sa.Column('conflicts', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_journal')),
    )
    with op.batch_alter_table('import_journal', schema=None) as batch_op:
        batch_op.create_index('ix_import_journal_received', ['received_id'], unique=False)


def downgrade() -> None:
    op.drop_table('import_journal')
