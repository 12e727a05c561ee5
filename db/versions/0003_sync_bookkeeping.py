"""Sync bookkeeping: trusted keys, the log of received packages, and open conflicts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:08:57.060129
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conflict_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('detected_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_versions'))
    )
    with op.batch_alter_table('conflict_versions', schema=None) as batch_op:
        batch_op.create_index('ix_conflict_versions_record', ['entity', 'record_id'], unique=False)

    op.create_table('received_packages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('installation', sa.String(length=36), nullable=False),
    sa.Column('org', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=19), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('newer', sa.Boolean(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_packages'))
    )
    with op.batch_alter_table('received_packages', schema=None) as batch_op:
        batch_op.create_index('ix_received_packages_installation', ['installation', 'sequence'], unique=False)

    op.create_table('trusted_keys',
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=19), nullable=False),
    sa.Column('orgs', sa.JSON(), nullable=False),
    sa.Column('added_at', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('public_key', name=op.f('pk_trusted_keys'))
    )


def downgrade() -> None:
    op.drop_table('trusted_keys')
    with op.batch_alter_table('received_packages', schema=None) as batch_op:
        batch_op.drop_index('ix_received_packages_installation')

    op.drop_table('received_packages')
    with op.batch_alter_table('conflict_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_conflict_versions_record')

    op.drop_table('conflict_versions')
