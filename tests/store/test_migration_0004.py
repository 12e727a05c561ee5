"""Migration 0004: what earlier versions let hostile packages store is made safe on upgrade."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest
from sqlalchemy import create_engine

from handmade import write
from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import open_app

# An old SQLite file upgraded: a shared PostgreSQL database starts at a later revision.
pytestmark = pytest.mark.sqlite_only


def test_upgrade_makes_ids_canonical_removes_upper_case_copies_and_heals_clocks(forum, tmp_path):
    need = records.create(forum, "needs", {"lg_code": code("福山市"), "title": "橋梁点検", "facility_types": ["bridge"],
                                           "requirements": "安価に", "received_on": "2024-05-10", "status": "open"})
    data_dir, db_path = forum.data_dir, forum.db.path
    forum.close()
    engine = create_engine(f"sqlite:///{db_path}")
    from alembic import command

    from jcim_desktop.store.database import alembic_config

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    engine.dispose()

    lonely = str(uuid.uuid4()).upper()
    node = "5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
    conn = sqlite3.connect(db_path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(needs)")]
    (row,) = conn.execute(f"SELECT {', '.join(columns)} FROM needs").fetchall()
    original = dict(zip(columns, row, strict=True))
    copy = {**original, "id": need.id.upper(), "hlc": f"9999999999999-99999-{node}"}
    other = {**original, "id": lonely}
    for values in (copy, other):
        conn.execute(f"INSERT INTO needs ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                     [values[c] for c in columns])
    conn.execute("UPDATE installation SET hlc_last = ?", (f"9999999999999-99999-{node}",))
    conn.execute("INSERT INTO received_packages (package_id, installation, org, sequence, scope, key_id, created_at,"
                 " received_at, file_name, records, newer, counts) VALUES (?, ?, 'kinki', 3, 'org', '1a2b-3c4d-5e6f-7a8b',"
                 " '2026-11-01T00:00:00+09:00', '2026-11-01T00:00:00+09:00', 'k.jcimsync', 1, 1, ?)",
                 (str(uuid.uuid4()), node, json.dumps({})))
    conn.commit()
    conn.close()

    ctx = open_app(data_dir)
    try:
        ids = sorted(r.id for r in records.list_records(ctx, "needs"))
        assert ids == sorted([need.id, lonely.lower()])  # the copy is gone, the lonely one lower-cased
        now = time.time_ns() // 1_000_000
        assert all(int(r.hlc[:13]) <= now + 24 * 3600 * 1000 for r in records.list_records(ctx, "needs"))
        changed = records.update(ctx, "needs", need.id, {"status": "matching"})
        assert len(changed.hlc.split("-")[0]) == 13
        assert sync.export_package(ctx, tmp_path / "after.jcimsync").total == 2
        # The carried-over binding (key id only) still refuses another key for that installation.
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from jcim_desktop.sync.keys import public_key_b64

        stranger = Ed25519PrivateKey.generate()
        sync.add_trust(ctx, public_key_b64(stranger), ["kinki"])
        package = write(tmp_path / "k.jcimsync", stranger, org="kinki", installation=node, files={})
        (outcome,) = sync.import_packages(ctx, [package])
        assert outcome.code == "installation_key_changed" and "1a2b-3c4d-5e6f-7a8b" in outcome.reason
    finally:
        ctx.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT installation, public_key, key_id, org FROM installation_keys").fetchall() == [
            (node, None, "1a2b-3c4d-5e6f-7a8b", "kinki")]
    finally:
        conn.close()
