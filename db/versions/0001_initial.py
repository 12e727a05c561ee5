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


def _envelope() -> tuple[sa.Column, ...]:
    """The sync envelope every entity table ends with."""
    return (
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=32), nullable=False),
        sa.Column('hlc', sa.String(length=64), nullable=False),
        sa.Column('vv', sa.JSON(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
    )


def _planned() -> tuple[sa.Column, ...]:
    """The columns of a PlannedDate (events and trials)."""
    return (
        sa.Column('planned_text', sa.Text(), nullable=False),
        sa.Column('planned_start', sa.Date(), nullable=True),
        sa.Column('planned_end', sa.Date(), nullable=True),
        sa.Column('planned_precision', sa.String(length=16), nullable=False),
        sa.Column('planned_tentative', sa.Boolean(), nullable=False),
    )


def _entity_table(name: str, columns: tuple[sa.Column, ...], indexes: dict[str, list[str]]) -> None:
    """An entity table: its own columns, the envelope, the primary key on id, then its indexes."""
    op.create_table(name, *columns, *_envelope(), sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')))
    with op.batch_alter_table(name, schema=None) as batch_op:
        for index, indexed in indexes.items():
            batch_op.create_index(index, indexed, unique=False)


def upgrade() -> None:
    _entity_table('events', (
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
        *_planned(),
    ), {
        'ix_events_held_from': ['held_from'],
        'ix_events_owner_deleted': ['owner', 'deleted'],
        'ix_events_planned_start': ['planned_start'],
        'ix_events_status': ['status'],
    })
    op.create_table('installation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org', sa.String(length=32), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('hlc_last', sa.String(length=64), nullable=True),
    sa.Column('package_sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    _entity_table('kpi_targets', (
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('kpi', sa.String(length=64), nullable=False),
        sa.Column('target', sa.Float(), nullable=False),
    ), {'ix_kpi_targets_fiscal_year': ['fiscal_year']})
    _entity_table('matchings', (
        sa.Column('need_id', sa.String(length=36), nullable=False),
        sa.Column('seed_id', sa.String(length=36), nullable=False),
        sa.Column('pitch_event_id', sa.String(length=36), nullable=True),
        sa.Column('stages', sa.JSON(), nullable=False),
        sa.Column('current_stage', sa.String(length=16), nullable=True),
        sa.Column('first_stage_on', sa.Date(), nullable=True),
        sa.Column('last_stage_on', sa.Date(), nullable=True),
    ), {
        'ix_matchings_need_id': ['need_id'],
        'ix_matchings_owner_deleted': ['owner', 'deleted'],
        'ix_matchings_seed_id': ['seed_id'],
        'ix_matchings_stage_span': ['last_stage_on', 'first_stage_on'],
    })
    _entity_table('municipality_status', (
        sa.Column('lg_code', sa.String(length=6), nullable=False),
        sa.Column('admin_member', sa.Boolean(), nullable=False),
        sa.Column('mayors_council', sa.Boolean(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
    ), {'ix_municipality_status_lg_code': ['lg_code']})
    _entity_table('needs', (
        sa.Column('lg_code', sa.String(length=6), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('facility_types', sa.JSON(), nullable=False),
        sa.Column('requirements', sa.Text(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('survey', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('contact', sa.JSON(), nullable=True),
    ), {
        'ix_needs_lg_code': ['lg_code'],
        'ix_needs_owner_deleted': ['owner', 'deleted'],
        'ix_needs_received_on': ['received_on'],
    })
    _entity_table('pitch_presentations', (
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('seed_id', sa.String(length=36), nullable=False),
        sa.Column('need_id', sa.String(length=36), nullable=True),
        sa.Column('order_no', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
    ), {
        'ix_pitch_presentations_event_id': ['event_id'],
        'ix_pitch_presentations_owner_deleted': ['owner', 'deleted'],
    })
    _entity_table('seeds', (
        sa.Column('company', sa.Text(), nullable=False),
        sa.Column('tech_name', sa.Text(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('facility_types', sa.JSON(), nullable=False),
        sa.Column('netis_no', sa.String(length=32), nullable=True),
        sa.Column('registered_on', sa.Date(), nullable=True),
        sa.Column('contact', sa.JSON(), nullable=True),
    ), {'ix_seeds_owner_deleted': ['owner', 'deleted']})
    _entity_table('support_activities', (
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('lg_code', sa.String(length=6), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
    ), {
        'ix_support_activities_on_date': ['on_date'],
        'ix_support_activities_owner_deleted': ['owner', 'deleted'],
    })
    _entity_table('trials', (
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
        *_planned(),
    ), {
        'ix_trials_held_from': ['held_from'],
        'ix_trials_matching_id': ['matching_id'],
        'ix_trials_owner_deleted': ['owner', 'deleted'],
    })


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
