"""Opening the database: pragmas, migrations (and alembic check), backups, quick_check."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from jcim_desktop.services import records
from jcim_desktop.services.context import open_app
from jcim_desktop.store import backup as backups
from jcim_desktop.store.database import (
    DatabaseDamaged,
    alembic_config,
    current_revision,
    head_revision,
    open_database,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "db_rev0001.sqlite3"


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_foreign_keys_and_full_sync(forum):
    with forum.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_models_and_migrations_do_not_drift(forum):
    # The same comparison as `alembic check`: autogenerate finds nothing to add or drop.
    with forum.db.engine.begin() as conn:
        command.check(alembic_config(conn))


@pytest.mark.sqlite_only
def test_list_and_tally_queries_use_indexes(forum):
    with forum.db.engine.connect() as conn:
        plan = conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT owner FROM events WHERE deleted = 0 AND status = 'held' "
            "AND held_from >= '2024-04-01' AND held_from <= '2025-03-31'"
        )).fetchall()
    assert any("USING INDEX" in str(row) for row in plan), plan


def test_the_tally_query_can_use_an_index_on_postgresql(forum, postgres):
    if postgres is None:
        pytest.skip("PostgreSQL only (pytest --postgres URL)")
    with forum.db.engine.begin() as conn:
        # An empty table is read whole whatever its indexes: forbid that, to see whether one serves.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = conn.execute(text(
            "EXPLAIN SELECT owner FROM events WHERE deleted = false AND status = 'held' "
            "AND held_from >= '2024-04-01' AND held_from <= '2025-03-31'"
        )).fetchall()
    assert any("ix_events_" in str(row) for row in plan), plan


def test_upgrading_a_database_made_by_revision_0001(tmp_path):
    db_path = tmp_path / "jcim.sqlite3"
    shutil.copy(FIXTURE, db_path)
    backup_dir = tmp_path / "backups"

    database = open_database(db_path, backup_dir)
    try:
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as conn:
            need = conn.execute(text("SELECT title, search_text FROM needs")).one()
            seed = conn.execute(text("SELECT company_key FROM seeds")).scalar()
            audit = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    finally:
        database.close()
    assert need.title == "河川堤防の点検"
    # The backfill derived search keys from existing records: kana and municipality names.
    assert "ふくやま" in need.search_text and "福山市" in need.search_text
    assert seed == "じやぱんいんふら"
    assert audit == 0
    taken = backups.list_backups(backup_dir)
    assert [b.reason for b in taken][-1] == "upgrade"
    pre = taken[-1].path
    import sqlite3

    conn = sqlite3.connect(pre)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    finally:
        conn.close()


def test_upgraded_database_works_through_the_services(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(FIXTURE, data_dir / "jcim.sqlite3")
    ctx = open_app(data_dir)
    try:
        (need,) = records.list_records(ctx, "needs", records.Query(text="ふくやま"))
        changed = records.update(ctx, "needs", need.id, {"status": "matching"})
        assert ctx.installation_id == "11111111-2222-4333-8444-555555555555"
        assert changed.vv == {ctx.installation_id: 2}
        assert changed.hlc > "1711929600003"
    finally:
        ctx.close()


@pytest.mark.sqlite_only
def test_daily_backup_on_first_start_of_a_day_and_only_ten_kept(forum):
    data_dir, backup_dir = forum.data_dir, forum.data_dir / "backups"
    db_path = forum.db.path
    forum.close()
    for day in range(1, 14):
        open_database(db_path, backup_dir, today=dt.date(2030, 1, day)).close()
        # A second start the same day takes no new backup.
        open_database(db_path, backup_dir, today=dt.date(2030, 1, day)).close()
    kept = backups.list_backups(backup_dir)
    assert len(kept) == 10
    assert all(backups.quick_check(b.path) is None for b in kept)
    assert data_dir.exists()


@pytest.mark.sqlite_only
def test_backup_before_every_import_is_a_consistent_copy(forum):
    records.create(forum, "needs", {
        "lg_code": "342076", "title": "点検", "facility_types": [], "requirements": "夜間の点検",
        "received_on": "2024-05-10", "status": "open",
    })
    path = forum.db.backup("import")
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM needs").fetchone() == (1,)
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_damaged_database_offers_the_newest_good_backup(forum):
    db_path, backup_dir = forum.db.path, forum.data_dir / "backups"
    good = forum.db.backup("manual")
    forum.close()
    for side in ("-wal", "-shm"):
        Path(str(db_path) + side).unlink(missing_ok=True)
    raw = bytearray(db_path.read_bytes())
    # Overwrite the second page onward with noise: the header survives, the b-trees do not.
    raw[4096:12288] = b"\xa5" * 8192
    db_path.write_bytes(bytes(raw))

    with pytest.raises(DatabaseDamaged) as caught:
        open_database(db_path, backup_dir)
    assert caught.value.good_backup is not None and caught.value.good_backup.path == good
    assert "壊れています" in caught.value.message and "バックアップ" in caught.value.message

    backups.restore_backup(caught.value.good_backup.path, db_path)
    open_database(db_path, backup_dir).close()


def test_the_recorded_head_revision_is_the_newest_migration():
    from jcim_desktop.store.database import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
