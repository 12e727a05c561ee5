"""Personal data and accountability: who changed what, registered keys, age recipients

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00

- every entity table gets ``changed_by``: the envelope's ``by`` (SYNC_FORMAT §4), the name of
  the person who made a record's last change, written here and kept from packages;
- ``registered_keys`` (entity ``trusted_keys``, owner secretariat): the keys the secretariat
  registered for each installation, carried in national packages;
- ``audit_log`` says which package a merged change came from and who sent it;
- ``age_recipients``: the age recipients packages with contacts are encrypted to (§7).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ENTITY_TABLES = ("events", "pitch_presentations", "needs", "seeds", "matchings", "trials", "support_activities",
                 "municipality_status", "kpi_targets", "closed_tallies")


def upgrade() -> None:
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('changed_by', sa.Text(), nullable=True))
    op.create_table(
        'registered_keys',
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('orgs', sa.JSON(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('revoked_on', sa.Date(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=32), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('vv', sa.JSON(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registered_keys')),
    )
    with op.batch_alter_table('registered_keys', schema=None) as batch_op:
        batch_op.create_index('ix_registered_keys_public_key', ['public_key'], unique=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('package_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('sender_org', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('sender_installation', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
    op.create_table(
        'age_recipients',
        sa.Column('recipient', sa.String(length=100), nullable=False),
        sa.Column('org', sa.String(length=32), nullable=True),
        sa.Column('label', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('added_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('recipient', name=op.f('pk_age_recipients')),
    )


def downgrade() -> None:
    op.drop_table('age_recipients')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')
        batch_op.drop_column('sender_installation')
        batch_op.drop_column('sender_org')
        batch_op.drop_column('package_id')
    op.drop_table('registered_keys')
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('changed_by')
