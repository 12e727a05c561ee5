"""Migration 0005: joint events received before this version (co_hosts kept in ``extra``) become
co-hosted events found by their co-hosts' names; closed tallies can be stored."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import create_engine

from helpers import held_event
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app

# An old SQLite file upgraded: a shared PostgreSQL database starts at a later revision.
pytestmark = pytest.mark.sqlite_only


def test_upgrade_moves_co_hosts_out_of_extra_and_makes_them_searchable(forum):
    event = held_event(forum, "インフラテクコン2024 表彰式", dt.date(2024, 12, 1), ("福山市",))
    data_dir, db_path = forum.data_dir, forum.db.path
    forum.close()
    engine = create_engine(f"sqlite:///{db_path}")
    from alembic import command

    from jcim_desktop.store.database import alembic_config

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    engine.dispose()
    conn = sqlite3.connect(db_path)
    assert "co_hosts" not in [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    (search,) = conn.execute("SELECT search_text FROM events WHERE id = ?", (event.id,)).fetchone()
    # What 0.1 stored for a joint event received from a later writer: the field in ``extra``.
    conn.execute("UPDATE events SET extra = ? WHERE id = ?",
                 (json.dumps({"co_hosts": ["shikoku"], "future_field": 1}), event.id))
    conn.commit()
    conn.close()

    ctx = open_app(data_dir)
    try:
        assert records.get(ctx, "events", event.id).data["co_hosts"] == ["shikoku"]
        found = records.list_records(ctx, "events", records.Query(text="四国フォーラム"))
        assert [r.id for r in found] == [event.id]
        with ctx.db.engine.connect() as c:
            (after, extra) = c.exec_driver_sql("SELECT search_text, extra FROM events WHERE id = ?", (event.id,)).one()
        assert after.startswith(search) and after != search
        assert json.loads(extra) == {"future_field": 1}  # still kept, and written back out
    finally:
        ctx.close()
