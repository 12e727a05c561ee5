"""Stamping (store/stamping.py): every flushed change gets a new HLC, a version-vector count and
an audit entry; a flush that changes nothing gets none; writes this installation may not make
are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from jcim_desktop.domain.versioning import HybridClock
from jcim_desktop.errors import PermissionDenied
from jcim_desktop.store.database import Database, open_database
from jcim_desktop.store.models import AuditEntry, ConflictVersion, Event, Installation, Need
from jcim_desktop.store.stamping import Writer

HERE = "0a0a0a0a-0000-4000-8000-000000000001"
ELSEWHERE = "0b0b0b0b-0000-4000-8000-000000000002"
MILLIS = 1_719_793_800_000  # the clock's wall time: every stamp of a test is in this millisecond
NEED_ID = "11111111-1111-4111-8111-111111111111"


@pytest.fixture
def db(tmp_path: Path, new_database_url) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    database = open_database(tmp_path / "jcim.sqlite3", tmp_path / "backups", create=True, url=new_database_url())
    with database.session() as session:
        session.add(Installation(id=HERE, org="chugoku", public_key="k", created_at="2024-07-01T09:00:00+09:00"))
    yield database
    database.close()


@pytest.fixture
def writer() -> Writer:
    clock = HybridClock(HERE, now=lambda: MILLIS)
    return Writer(HERE, "山田", clock, may_write=lambda owner: owner == "chugoku")


def stamp(counter: int, node: str = HERE) -> str:
    return f"{MILLIS:013d}-{counter:05d}-{node}"


def new_need(**overrides: Any) -> Need:
    values: dict[str, Any] = {"id": NEED_ID, "owner": "chugoku", "lg_code": "342076", "title": "橋梁点検",
                              "facility_types": ["bridge"], "requirements": "夜間", "received_on": dt.date(2024, 5, 10),
                              "status": "open"}
    values.update(overrides)
    return Need(**values)


def create(db: Database, writer: Writer, *records: Any) -> None:
    """Stores ``records`` (by default the need of ``new_need()``) in one session of ``writer``."""
    with db.session(writer) as session:
        session.add_all(records or [new_need()])


@contextmanager
def editing(db: Database, writer: Writer, record_id: str = NEED_ID, model: type[Any] = Need) -> Iterator[Any]:
    """The stored record, in a session of ``writer`` that flushes the edits made to it on leaving."""
    with db.session(writer) as session:
        obj = session.get(model, record_id)
        assert obj is not None
        yield obj


def audit(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def stored(db: Database, record_id: str = NEED_ID) -> Need:
    with db.session() as session:
        obj = session.get(Need, record_id)
        assert obj is not None
        return obj


def test_a_new_record_gets_the_first_stamp_and_a_create_entry(db, writer):
    create(db, writer)
    need = stored(db)
    assert need.hlc == stamp(0)
    assert need.vv == {HERE: 1}
    assert need.search_text  # derived columns filled in on the way
    [entry] = audit(db)
    assert (entry.action, entry.record_id, entry.entity, entry.hlc) == ("create", NEED_ID, "needs", stamp(0))
    assert (entry.user_name, entry.installation_id) == ("山田", HERE)
    # Every field that has a value, from nothing; empty ones and deleted=False are left out.
    assert entry.changes == {"lg_code": [None, "342076"], "title": [None, "橋梁点検"], "facility_types": [None, ["bridge"]],
                             "requirements": [None, "夜間"], "received_on": [None, "2024-05-10"], "status": [None, "open"],
                             "owner": [None, "chugoku"]}


def test_an_edit_is_a_new_version_with_the_old_and_new_values(db, writer):
    create(db, writer)
    with editing(db, writer) as obj:
        obj.title = "トンネル点検"
        obj.received_on = dt.date(2024, 6, 1)
    need = stored(db)
    assert need.hlc == stamp(1) and need.vv == {HERE: 2}
    assert "とんねる点検" in need.search_text and "橋梁点検" not in need.search_text
    entry = audit(db)[-1]
    assert entry.action == "update" and entry.hlc == stamp(1)
    assert entry.changes == {"title": ["橋梁点検", "トンネル点検"], "received_on": ["2024-05-10", "2024-06-01"]}


def test_a_flush_that_changes_nothing_is_not_a_new_version(db, writer):
    create(db, writer)
    with editing(db, writer) as obj:
        obj.title = "橋梁点検"  # the same value
        obj.apply_data(obj.to_data())
    need = stored(db)
    assert need.hlc == stamp(0) and need.vv == {HERE: 1}
    assert [e.action for e in audit(db)] == ["create"]
    with db.session() as session:
        assert session.get(Installation, HERE).hlc_last == stamp(0)  # type: ignore[union-attr]


def test_delete_and_restore_are_tombstones_with_their_own_entries(db, writer):
    create(db, writer)
    for deleted in (True, False):
        with editing(db, writer) as obj:
            obj.deleted = deleted
    need = stored(db)
    assert not need.deleted and need.title == "橋梁点検"  # the data stayed beside the tombstone
    assert need.vv == {HERE: 3} and need.hlc == stamp(2)
    assert [(e.action, e.changes) for e in audit(db)[1:]] == [
        ("delete", {"deleted": [False, True]}),
        ("restore", {"deleted": [True, False]}),
    ]


def test_removing_a_row_is_refused(db, writer):
    create(db, writer)
    with pytest.raises(RuntimeError, match="tombstone"):
        with db.session(writer) as session:
            obj = session.get(Need, NEED_ID)
            session.delete(obj)
    assert stored(db).vv == {HERE: 1}


def test_a_received_record_edited_here_counts_one_change_of_this_installation(db, writer):
    create(db, Writer(ELSEWHERE, "他所", HybridClock(ELSEWHERE, now=lambda: MILLIS), lambda owner: True))
    with editing(db, writer) as obj:
        obj.status = "matching"
    need = stored(db)
    assert need.vv == {ELSEWHERE: 1, HERE: 1}
    assert need.hlc == stamp(0, HERE)


def test_the_installation_remembers_its_last_stamp(db, writer):
    create(db, writer, new_need(), new_need(id="22222222-2222-4222-8222-222222222222", title="堤防点検"))
    with db.session() as session:
        installation = session.get(Installation, HERE)
        assert installation is not None and installation.hlc_last == stamp(1)


def test_another_orgs_record_cannot_be_written_here(db, writer):
    with pytest.raises(PermissionDenied, match="近畿フォーラム"):
        create(db, writer, new_need(owner="kinki"))
    with db.session() as session:
        assert session.get(Need, NEED_ID) is None
    assert audit(db) == []


def test_the_owner_of_a_record_never_changes(db, writer):
    trusting = Writer(HERE, "山田", writer.clock, lambda owner: True)
    create(db, trusting)
    with pytest.raises(PermissionDenied, match="所有組織"):
        with editing(db, trusting) as obj:
            obj.owner = "kinki"
    assert stored(db).owner == "chugoku"


def test_a_write_without_a_writer_is_a_bug(db):
    with pytest.raises(RuntimeError, match="Writer"):
        with db.session() as session:
            session.add(new_need())


def test_an_edit_ends_the_records_open_conflict(db, writer):
    other = "33333333-3333-4333-8333-333333333333"
    create(db, writer, new_need(), new_need(id=other, title="堤防点検"))
    with db.engine.begin() as conn:
        for record_id in (NEED_ID, other):
            conn.execute(ConflictVersion.__table__.insert(), [  # type: ignore[attr-defined]
                {"entity": "needs", "record_id": record_id, "owner": "chugoku", "hlc": stamp(counter, node),
                 "vv": {node: 1}, "deleted": False, "data": {}, "detected_at": "2024-07-01T09:00:00+09:00"}
                for counter, node in ((0, HERE), (5, ELSEWHERE))
            ])
    with editing(db, writer) as obj:
        obj.status = "resolved"
    with db.session() as session:
        left = {row.record_id for row in session.scalars(select(ConflictVersion))}
    assert left == {other}


def test_resolving_a_conflict_without_changes_is_still_a_new_version(db, writer):
    create(db, writer)
    # Without the request to stamp, a record marked modified whose data did not change is left as it is.
    with editing(db, writer) as obj:
        flag_modified(obj, "vv")
    assert stored(db).vv == {HERE: 1} and len(audit(db)) == 1
    with db.session(writer) as session:
        session.info["force_stamp"] = {NEED_ID}
        obj = session.get(Need, NEED_ID)
        assert obj is not None
        # As services.sync.resolve_conflict does when the version chosen is the one stored.
        flag_modified(obj, "vv")
    need = stored(db)
    assert need.vv == {HERE: 2} and need.hlc == stamp(1)
    entry = audit(db)[-1]
    assert (entry.action, entry.changes) == ("resolve", {})


def test_a_planned_date_is_audited_part_by_part(db, writer):
    event_id = "44444444-4444-4444-8444-444444444444"
    create(db, writer, Event(id=event_id, owner="chugoku", title="フォーラム", event_type="forum", status="planned",
                             planned_text="第2四半期", planned_start=dt.date(2024, 7, 1), planned_end=dt.date(2024, 9, 30),
                             planned_precision="quarter"))
    with editing(db, writer, event_id, Event) as obj:
        obj.planned_text = "8月"
        obj.planned_start, obj.planned_end, obj.planned_precision = dt.date(2024, 8, 1), dt.date(2024, 8, 31), "month"
    entry = audit(db)[-1]
    assert entry.changes == {"planned.text": ["第2四半期", "8月"], "planned.start": ["2024-07-01", "2024-08-01"],
                             "planned.end": ["2024-09-30", "2024-08-31"], "planned.precision": ["quarter", "month"]}
