"""The change notices' queries (``store.watch``): read through the audit log's primary key, so a
poll costs what was written since the last one, never the log's size; ids written before a mark
but committed after it are looked for again, for a while."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select, text

from jcim_desktop.store import watch
from jcim_desktop.store.models import AuditEntry
from jcim_desktop.store.watch import Hole, Mark

OTHER, ME = "other-installation", "this-installation"


def write_log(conn: Connection, *ids: int, installation: str = OTHER, action: str = "update") -> None:
    """Audit rows with the given ids (as transactions that drew them commit, in any order)."""
    conn.execute(insert(AuditEntry), [{
        "id": i, "at": "2024-07-01T10:00:00+09:00", "user_name": "佐藤", "installation_id": installation,
        "entity": "needs", "record_id": f"record-{i}", "action": action, "hlc": f"{i:013d}", "changes": {},
    } for i in ids])


def plan(conn: Connection, stmt: Any) -> str:
    """The engine's plan of ``stmt``, one line per step. On PostgreSQL sequential scans are priced
    out, as on a big table: what remains is a plan through an index, if the query has one."""
    sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(str(row[0]) for row in conn.execute(text(f"EXPLAIN {sql}")))
    return "\n".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def through_primary_key(conn: Connection, found: str) -> bool:
    if conn.dialect.name == "postgresql":
        return "pk_audit_log" in found and "Seq Scan" not in found
    return "USING INTEGER PRIMARY KEY" in found and "SCAN audit_log" not in found


@pytest.mark.parametrize("ranges", [[(41, 50)], [(3, 4), (17, 17), (41, 50)]], ids=["new", "new and holes"])
def test_every_read_of_a_poll_goes_through_the_primary_key(forum, ranges):
    with forum.db.engine.begin() as conn:
        for stmt in (watch.group_statement(ranges), watch.ids_statement(ranges), watch.present_statement(41, 50)):
            found = plan(conn, stmt)
            assert through_primary_key(conn, found), found
        newest = plan(conn, select(func.max(AuditEntry.id)))
        if conn.dialect.name == "postgresql":
            assert "Index Only Scan Backward using pk_audit_log" in newest, newest
        else:
            assert "SCAN audit_log" not in newest, newest  # max(rowid): the b-tree's last entry


def test_ids_drawn_before_the_mark_and_committed_after_it_are_reported_then(forum):
    with watch.snapshot(forum.db.engine) as conn:
        start = watch.newest_mark(conn)
    base = start.audit_id
    with forum.db.engine.begin() as conn:
        write_log(conn, base + 1, base + 2, base + 3, base + 6)  # 4 and 5: a transaction still open
        write_log(conn, base + 7, installation=ME)  # this installation's own: seen, not told
    with watch.snapshot(forum.db.engine) as conn:
        mark, seen = watch.changes_since(conn, start, ME)
    assert mark.audit_id == base + 7 and mark.holes == (Hole(base + 4, base + 5),)
    assert [(g.entity, g.records, g.installation_id) for g in seen.groups] == [("needs", 4, OTHER)]
    assert seen.record_ids == tuple(("needs", f"record-{i}") for i in (base + 1, base + 2, base + 3, base + 6))

    with forum.db.engine.begin() as conn:
        write_log(conn, base + 5, base + 4)  # it commits
    with watch.snapshot(forum.db.engine) as conn:
        after, late = watch.changes_since(conn, mark, ME)
    assert late.record_ids == (("needs", f"record-{base + 4}"), ("needs", f"record-{base + 5}"))
    assert after.holes == () and after.audit_id == base + 7


def test_a_hole_never_filled_is_given_up_after_its_polls(forum, monkeypatch):
    monkeypatch.setattr(watch, "HOLE_POLLS", 2)
    with watch.snapshot(forum.db.engine) as conn:
        mark = watch.newest_mark(conn)
    base = mark.audit_id
    with forum.db.engine.begin() as conn:
        write_log(conn, base + 1, base + 3)  # base + 2: a transaction rolled back
    kept = []
    for _poll in range(3):
        with watch.snapshot(forum.db.engine) as conn:
            mark, _seen = watch.changes_since(conn, mark, ME)
        kept.append(mark.holes)
    assert kept == [(Hole(base + 2, base + 2, 2),), (Hole(base + 2, base + 2, 1),), ()]


def test_nothing_new_leaves_the_mark_as_it_was(forum):
    with forum.db.engine.begin() as conn:
        write_log(conn, 1001, 1002)
    with watch.snapshot(forum.db.engine) as conn:
        mark = watch.newest_mark(conn)
        again, seen = watch.changes_since(conn, mark, ME)
    assert again == mark and seen.empty and seen.record_ids == ()


def test_a_log_shorter_than_the_mark_means_the_database_was_replaced(forum):
    with watch.snapshot(forum.db.engine) as conn:
        mark = watch.newest_mark(conn)
        ahead = Mark(mark.audit_id + 1000, mark.received_id, mark.keys)
        again, seen = watch.changes_since(conn, ahead, ME)
    assert seen.replaced and again.audit_id == mark.audit_id


def test_record_ids_are_left_out_when_many_rows_are_new(forum, monkeypatch):
    monkeypatch.setattr(watch, "IDS_LIMIT", 3)
    with watch.snapshot(forum.db.engine) as conn:
        mark = watch.newest_mark(conn)
    base = mark.audit_id
    with forum.db.engine.begin() as conn:
        write_log(conn, *range(base + 1, base + 5))
    with watch.snapshot(forum.db.engine) as conn:
        _mark, seen = watch.changes_since(conn, mark, ME)
    assert seen.record_ids is None and [g.records for g in seen.groups] == [4]
