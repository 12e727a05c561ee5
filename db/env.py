"""Alembic environment: migrations run on the application's own connection at start-up."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from jcim_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Standalone use (``alembic -c db/alembic.ini …``) against the URL in the ini file.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///jcim.sqlite3")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
