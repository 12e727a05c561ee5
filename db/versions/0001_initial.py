"""Initial schema: the entities of SYNC_FORMAT §4 with their envelope, and the installation.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('held_from', sa.Date(), nullable=True),
    sa.Column('held_to', sa.Date(), nullable=True),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('series_no', sa.Integer(), nullable=True),
    sa.Column('lg_codes', sa.JSON(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('counts_as_forum', sa.Boolean(), nullable=False),
    sa.Column('planned_text', sa.Text(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('planned_precision', sa.String(length=16), nullable=False),
    sa.Column('planned_tentative', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_held_from', ['held_from'], unique=False)
        batch_op.create_index('ix_events_owner_deleted', ['owner', 'deleted'], unique=False)
        batch_op.create_index('ix_events_planned_start', ['planned_start'], unique=False)
        batch_op.create_index('ix_events_status', ['status'], unique=False)

    op.create_table('installation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org', sa.String(length=32), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('hlc_last', sa.String(length=64), nullable=True),
    sa.Column('package_sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('kpi_targets',
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.String(length=64), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_targets'))
    )
    with op.batch_alter_table('kpi_targets', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_targets_fiscal_year', ['fiscal_year'], unique=False)

    op.create_table('matchings',
    sa.Column('need_id', sa.String(length=36), nullable=False),
    sa.Column('seed_id', sa.String(length=36), nullable=False),
    sa.Column('pitch_event_id', sa.String(length=36), nullable=True),
    sa.Column('stages', sa.JSON(), nullable=False),
    sa.Column('current_stage', sa.String(length=16), nullable=True),
    sa.Column('first_stage_on', sa.Date(), nullable=True),
    sa.Column('last_stage_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchings'))
    )
    with op.batch_alter_table('matchings', schema=None) as batch_op:
        batch_op.create_index('ix_matchings_need_id', ['need_id'], unique=False)
        batch_op.create_index('ix_matchings_owner_deleted', ['owner', 'deleted'], unique=False)
        batch_op.create_index('ix_matchings_seed_id', ['seed_id'], unique=False)
        batch_op.create_index('ix_matchings_stage_span', ['last_stage_on', 'first_stage_on'], unique=False)

    op.create_table('municipality_status',
    sa.Column('lg_code', sa.String(length=6), nullable=False),
    sa.Column('admin_member', sa.Boolean(), nullable=False),
    sa.Column('mayors_council', sa.Boolean(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality_status'))
    )
    with op.batch_alter_table('municipality_status', schema=None) as batch_op:
        batch_op.create_index('ix_municipality_status_lg_code', ['lg_code'], unique=False)

    op.create_table('needs',
    sa.Column('lg_code', sa.String(length=6), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('facility_types', sa.JSON(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('survey', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('contact', sa.JSON(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index('ix_needs_lg_code', ['lg_code'], unique=False)
        batch_op.create_index('ix_needs_owner_deleted', ['owner', 'deleted'], unique=False)
        batch_op.create_index('ix_needs_received_on', ['received_on'], unique=False)

    op.create_table('pitch_presentations',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('seed_id', sa.String(length=36), nullable=False),
    sa.Column('need_id', sa.String(length=36), nullable=True),
    sa.Column('order_no', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_presentations'))
    )
    with op.batch_alter_table('pitch_presentations', schema=None) as batch_op:
        batch_op.create_index('ix_pitch_presentations_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_pitch_presentations_owner_deleted', ['owner', 'deleted'], unique=False)

    op.create_table('seeds',
    sa.Column('company', sa.Text(), nullable=False),
    sa.Column('tech_name', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('facility_types', sa.JSON(), nullable=False),
    sa.Column('netis_no', sa.String(length=32), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('contact', sa.JSON(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seeds'))
    )
    with op.batch_alter_table('seeds', schema=None) as batch_op:
        batch_op.create_index('ix_seeds_owner_deleted', ['owner', 'deleted'], unique=False)

    op.create_table('support_activities',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('lg_code', sa.String(length=6), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_activities'))
    )
    with op.batch_alter_table('support_activities', schema=None) as batch_op:
        batch_op.create_index('ix_support_activities_on_date', ['on_date'], unique=False)
        batch_op.create_index('ix_support_activities_owner_deleted', ['owner', 'deleted'], unique=False)

    op.create_table('trials',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('series_no', sa.Integer(), nullable=True),
    sa.Column('lg_code', sa.String(length=6), nullable=False),
    sa.Column('matching_id', sa.String(length=36), nullable=True),
    sa.Column('need_id', sa.String(length=36), nullable=True),
    sa.Column('seed_id', sa.String(length=36), nullable=True),
    sa.Column('pitch_event_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('held_from', sa.Date(), nullable=True),
    sa.Column('held_to', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('planned_text', sa.Text(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('planned_precision', sa.String(length=16), nullable=False),
    sa.Column('planned_tentative', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('hlc', sa.String(length=64), nullable=False),
    sa.Column('vv', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trials'))
    )
    with op.batch_alter_table('trials', schema=None) as batch_op:
        batch_op.create_index('ix_trials_held_from', ['held_from'], unique=False)
        batch_op.create_index('ix_trials_matching_id', ['matching_id'], unique=False)
        batch_op.create_index('ix_trials_owner_deleted', ['owner', 'deleted'], unique=False)


def downgrade() -> None:
    op.drop_table('trials')
    op.drop_table('support_activities')
    op.drop_table('seeds')
    op.drop_table('pitch_presentations')
    op.drop_table('needs')
    op.drop_table('municipality_status')
    op.drop_table('matchings')
    op.drop_table('kpi_targets')
    op.drop_table('installation')
    op.drop_table('events')
