"""Alembic environment: migrations run on the application's own connection at start-up."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy import create_engine

from jcim_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata

# Indexes on expressions, made by their migrations alone (0010: ix_events_day): autogenerate cannot
# compare them (it skips them on SQLite and, on PostgreSQL, would drop what the models cannot declare).
EXPRESSION_INDEXES = {"ix_events_day"}
for _name in EXPRESSION_INDEXES:
    warnings.filterwarnings("ignore", message=f"Skipped unsupported reflection of expression-based index {_name}")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Standalone use (``alembic -c db/alembic.ini …``) against the URL in the ini file.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///jcim.sqlite3")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
