"""Search keys on every entity, the company key of seeds, and the append-only audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENTITY_TABLES = (
    "events", "pitch_presentations", "needs", "seeds", "matchings", "trials",
    "support_activities", "municipality_status", "kpi_targets",
)
# Column → data field where they differ; planned_* columns form the PlannedDate.
_RENAMED = {"order_no": "order", "on_date": "on"}
_ENVELOPE = {"id", "owner", "hlc", "vv", "deleted"}


def _row_data(row: dict) -> dict:
    data: dict = {}
    planned = {}
    for column, value in row.items():
        if column in _ENVELOPE:
            continue
        if column.startswith("planned_"):
            planned[column[len("planned_"):]] = value
        else:
            data[_RENAMED.get(column, column)] = value
    if planned:
        data["planned"] = planned
    return data


def upgrade() -> None:
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("seeds") as batch_op:
        batch_op.add_column(sa.Column("company_key", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index("ix_seeds_company_key", ["company_key"], unique=False)

    # Backfill the new derived columns from each record's data, with the application's rules.
    from jcim_desktop.store.derived import derived_columns

    conn = op.get_bind()
    for table in ENTITY_TABLES:
        meta = sa.MetaData()
        t = sa.Table(table, meta, autoload_with=conn)
        rows = conn.execute(sa.select(t)).mappings().all()
        for row in rows:
            data = _row_data(dict(row))
            for key in ("lg_codes", "facility_types", "stages"):
                if isinstance(data.get(key), str):
                    import json

                    data[key] = json.loads(data[key])
            derived = derived_columns(table, data)
            values = {k: v for k, v in derived.items() if k in ("search_text", "company_key")}
            conn.execute(t.update().where(t.c.id == row["id"]).values(**values))

    # server_default only served the backfill; the application always sets these columns.
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("search_text", server_default=None, existing_type=sa.Text(), existing_nullable=False)
    with op.batch_alter_table("seeds") as batch_op:
        batch_op.alter_column("company_key", server_default=None, existing_type=sa.Text(), existing_nullable=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("installation_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_index("ix_audit_log_record", ["entity", "record_id"], unique=False)
    if conn.dialect.name == "sqlite":
        # Append-only: the log is evidence, so the database itself refuses to rewrite it.
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_table("audit_log")
    with op.batch_alter_table("seeds") as batch_op:
        batch_op.drop_index("ix_seeds_company_key")
        batch_op.drop_column("company_key")
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("search_text")
