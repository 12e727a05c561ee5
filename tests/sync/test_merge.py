"""Merge decisions (sync/merge.py, SYNC_FORMAT §3): which version is stored, what becomes a
conflict, tombstones, the refusals of §2 (owner and kind never change), and packages without
contacts. Records are merged straight into a database, as the import does inside its transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from jcim_desktop.store.database import Database, open_database
from jcim_desktop.store.models import ConflictVersion, Need, Seed
from jcim_desktop.sync.merge import MergeResult, merge_records
from jcim_desktop.sync.package import PackageRejected

A = "0a0a0a0a-0000-4000-8000-00000000000a"
B = "0b0b0b0b-0000-4000-8000-00000000000b"
NEED_ID = "11111111-1111-4111-8111-111111111111"
NOW = "2024-07-01T09:00:00+09:00"
CONTACT = {"name": "山田", "department": "土木課", "email": "yamada@example.jp", "phone": "084-000-0000"}


@pytest.fixture
def db(tmp_path: Path, new_database_url) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A new database: SQLite in ``tmp_path``, or with --postgres one on that server."""
    database = open_database(tmp_path / "jcim.sqlite3", tmp_path / "backups", create=True, url=new_database_url())
    yield database
    database.close()


def snapshot(db: Database) -> list[str]:
    """Every row of every table as text, for before/after comparison (on either engine)."""
    with db.engine.connect() as conn:
        return [f"{name}: {row!r}" for name in sorted(inspect(conn).get_table_names())
                for row in sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr)]


def hlc(millis: int, node: str) -> str:
    return f"{1_719_793_800_000 + millis:013d}-00000-{node}"


def need(vv: dict[str, int], at: int, node: str, *, title: str = "橋梁点検", deleted: bool = False,
         owner: str = "chugoku", record_id: str = NEED_ID, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A validated needs envelope (the shape ``check_package`` hands to the merge)."""
    if data is None:
        data = {"lg_code": "342076", "title": title, "facility_types": ["bridge"], "requirements": "夜間",
                "received_on": "2024-05-10", "survey": None, "status": "open", "contact": None}
    return {"id": record_id, "owner": owner, "hlc": hlc(at, node), "vv": vv, "deleted": deleted, "data": data}


def merge(db: Database, *envelopes: dict[str, Any], entity: str = "needs", **options: Any) -> MergeResult:
    with db.engine.begin() as conn:
        return merge_records(conn, {entity: list(envelopes)}, now=NOW, **options)


def counts(result: MergeResult) -> dict[str, int]:
    return result.totals.as_dict()


def stored(db: Database, record_id: str = NEED_ID) -> Need:
    with Session(db.engine) as session:
        obj = session.get(Need, record_id)
        assert obj is not None
        return obj


def conflict_versions(db: Database) -> set[tuple[str, str, bool]]:
    """(record id, hlc, deleted) of every version kept in conflict."""
    with Session(db.engine) as session:
        return {(row.record_id, row.hlc, row.deleted) for row in session.scalars(select(ConflictVersion))}


# No local copy, equal, newer, older ------------------------------------------------------------

def test_a_record_not_held_here_is_inserted_as_received(db):
    result = merge(db, need({A: 1}, 0, A))
    assert counts(result) == {"inserted": 1, "updated": 0, "unchanged": 0, "conflicts": 0}
    obj = stored(db)
    assert (obj.title, obj.owner, obj.hlc, obj.vv, obj.deleted) == ("橋梁点検", "chugoku", hlc(0, A), {A: 1}, False)
    assert "橋梁" in obj.search_text
    assert result.max_hlc == hlc(0, A)


def test_merging_the_same_version_again_changes_nothing(db):
    merge(db, need({A: 1}, 0, A))
    before = snapshot(db)
    result = merge(db, need({A: 1}, 0, A))
    assert counts(result) == {"inserted": 0, "updated": 0, "unchanged": 1, "conflicts": 0}
    assert snapshot(db) == before


def test_a_version_that_dominates_replaces_the_local_copy(db):
    merge(db, need({A: 1}, 0, A))
    result = merge(db, need({A: 1, B: 1}, 5, B, title="トンネル点検"))
    assert counts(result)["updated"] == 1
    obj = stored(db)
    assert (obj.title, obj.hlc, obj.vv) == ("トンネル点検", hlc(5, B), {A: 1, B: 1})
    assert "とんねる点検" in obj.search_text and "橋梁点検" not in obj.search_text
    assert conflict_versions(db) == set()


def test_an_older_version_is_ignored_even_with_a_later_clock(db):
    # The version vector decides; a clock running ahead does not make an old version newer.
    merge(db, need({A: 2}, 0, A, title="新しい題"))
    result = merge(db, need({A: 1}, 9000, A, title="古い題"))
    assert counts(result)["unchanged"] == 1
    obj = stored(db)
    assert (obj.title, obj.hlc, obj.vv) == ("新しい題", hlc(0, A), {A: 2})


# Concurrent versions ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("a_at", "title", "stamp"),
    [(10, "Bの編集", hlc(20, B)), (30, "Aの編集", hlc(30, A))],
    ids=["the-later-stamp-is-Bs", "the-earlier-stamp-Bs-loses-but-is-kept"],
)
def test_concurrent_versions_keep_the_later_stamp_and_open_a_conflict(db, a_at, title, stamp):
    # A's edit and B's (stamped at 20) were made without seeing each other; the later stamp wins.
    merge(db, need({A: 1}, 0, A))
    merge(db, need({A: 2}, a_at, A, title="Aの編集"))
    result = merge(db, need({A: 1, B: 1}, 20, B, title="Bの編集"))
    assert counts(result)["conflicts"] == 1
    obj = stored(db)
    assert (obj.title, obj.hlc) == (title, stamp)
    assert obj.vv == {A: 2, B: 1}  # the element-wise maximum of both
    assert conflict_versions(db) == {(NEED_ID, hlc(a_at, A), False), (NEED_ID, hlc(20, B), False)}
    with Session(db.engine) as session:
        kept = {row.hlc: row.data["title"] for row in session.scalars(select(ConflictVersion))}
    assert kept == {hlc(a_at, A): "Aの編集", hlc(20, B): "Bの編集"}


def test_concurrent_versions_end_the_same_in_either_order(tmp_path, new_database_url):
    base, a, b = need({A: 1}, 0, A), need({A: 2}, 10, A, title="Aの編集"), need({A: 1, B: 1}, 20, B, title="Bの編集")
    outcomes = []
    for name, order in (("ab", (a, b)), ("ba", (b, a))):
        database = open_database(tmp_path / name / "jcim.sqlite3", tmp_path / name / "backups", create=True,
                                 url=new_database_url())
        try:
            merge(database, base)
            for env in order:
                merge(database, env)
            obj = stored(database)
            outcomes.append(((obj.title, obj.hlc, obj.vv), conflict_versions(database)))
        finally:
            database.close()
    assert outcomes[0] == outcomes[1]


def test_a_version_that_dominates_both_sides_ends_the_conflict(db):
    merge(db, need({A: 1}, 0, A))
    merge(db, need({A: 2}, 10, A, title="Aの編集"))
    merge(db, need({A: 1, B: 1}, 20, B, title="Bの編集"))
    result = merge(db, need({A: 2, B: 2}, 30, B, title="解決"))
    assert counts(result)["updated"] == 1
    assert stored(db).title == "解決"
    assert conflict_versions(db) == set()


def test_a_version_dominating_one_side_leaves_the_conflict_open(db):
    merge(db, need({A: 1}, 0, A))
    merge(db, need({A: 2}, 10, A, title="Aの編集"))
    merge(db, need({A: 1, B: 1}, 20, B, title="Bの編集"))
    merge(db, need({A: 1, B: 2}, 25, B, title="Bの再編集"))
    assert stored(db).title == "Bの再編集"
    assert conflict_versions(db) == {(NEED_ID, hlc(10, A), False), (NEED_ID, hlc(25, B), False)}


# Tombstones ------------------------------------------------------------------------------------

def test_a_tombstone_without_data_keeps_the_local_data_beside_it(db):
    merge(db, need({A: 1}, 0, A))
    result = merge(db, need({A: 2}, 10, A, deleted=True, data={}))
    assert counts(result)["updated"] == 1
    obj = stored(db)
    assert (obj.deleted, obj.hlc, obj.vv) == (True, hlc(10, A), {A: 2})
    assert obj.title == "橋梁点検"  # undeleting brings it back as it was


def test_a_tombstone_of_a_record_never_held_is_stored_as_one(db):
    result = merge(db, need({A: 3}, 0, A, deleted=True, data={}))
    assert counts(result)["inserted"] == 1
    obj = stored(db)
    assert (obj.deleted, obj.vv) == (True, {A: 3})


def test_a_later_restore_undoes_a_tombstone(db):
    merge(db, need({A: 1}, 0, A))
    merge(db, need({A: 2}, 10, A, deleted=True, data={}))
    merge(db, need({A: 3}, 20, A, title="復活"))
    obj = stored(db)
    assert (obj.deleted, obj.title) == (False, "復活")


def test_an_edit_concurrent_with_a_delete_is_a_conflict(db):
    merge(db, need({A: 1}, 0, A))
    merge(db, need({A: 2}, 10, A, deleted=True, data={}))
    result = merge(db, need({A: 1, B: 1}, 20, B, title="Bの編集"))
    assert counts(result)["conflicts"] == 1
    obj = stored(db)
    assert (obj.deleted, obj.title) == (False, "Bの編集")  # the later stamp: the edit
    assert conflict_versions(db) == {(NEED_ID, hlc(10, A), True), (NEED_ID, hlc(20, B), False)}


# Refusals (SYNC_FORMAT §2) ---------------------------------------------------------------------

def test_a_record_never_changes_owner_and_nothing_of_the_package_is_written(db):
    merge(db, need({A: 1}, 0, A))
    before = snapshot(db)
    other = "22222222-2222-4222-8222-222222222222"
    with pytest.raises(PackageRejected) as caught:
        merge(db, need({A: 1}, 0, A, record_id=other), need({A: 1, B: 1}, 20, B, owner="kinki", title="乗っ取り"))
    assert caught.value.code == "owner_change"
    assert "中国フォーラム" in caught.value.message and "近畿フォーラム" in caught.value.message
    assert snapshot(db) == before  # the other record of the package is gone too


def test_an_id_names_one_kind_of_record(db):
    merge(db, need({A: 1}, 0, A))
    before = snapshot(db)
    seed = {"id": NEED_ID, "owner": "chugoku", "hlc": hlc(5, A), "vv": {A: 1}, "deleted": False,
            "data": {"company": "株式会社テスト", "tech_name": "点検ロボット", "summary": "", "facility_types": [],
                     "netis_no": None, "registered_on": None, "contact": None}}
    for dry_run in (False, True):
        with pytest.raises(PackageRejected) as caught:
            merge(db, seed, entity="seeds", dry_run=dry_run)
        assert caught.value.code == "id_kind_change"
        assert "シーズ" in caught.value.message and "ニーズ" in caught.value.message
    assert snapshot(db) == before
    with Session(db.engine) as session:
        assert session.get(Seed, NEED_ID) is None


def test_an_id_of_another_kind_and_owner_is_an_owner_change(db):
    merge(db, need({A: 1}, 0, A))
    seed = {"id": NEED_ID, "owner": "kinki", "hlc": hlc(5, A), "vv": {A: 1}, "deleted": False,
            "data": {"company": "株式会社テスト", "tech_name": "点検ロボット", "summary": "", "facility_types": [],
                     "netis_no": None, "registered_on": None, "contact": None}}
    with pytest.raises(PackageRejected) as caught:
        merge(db, seed, entity="seeds")
    assert caught.value.code == "owner_change"


# Packages without contacts ---------------------------------------------------------------------

def without_contact(env: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in env["data"].items() if k != "contact"}
    return {**env, "data": data}


def test_a_package_without_contacts_keeps_the_local_contact(db):
    first = need({A: 1}, 0, A)
    merge(db, {**first, "data": {**first["data"], "contact": CONTACT}})
    merge(db, without_contact(need({A: 2}, 10, A, title="更新")), includes_contacts=False)
    obj = stored(db)
    assert (obj.title, obj.contact) == ("更新", CONTACT)


def test_a_package_with_contacts_sets_them_as_it_says(db):
    first = need({A: 1}, 0, A)
    merge(db, {**first, "data": {**first["data"], "contact": CONTACT}})
    merge(db, without_contact(need({A: 2}, 10, A, title="更新")), includes_contacts=True)
    assert stored(db).contact is None


def test_conflict_versions_from_a_package_without_contacts_leave_the_contact_out(db):
    first = need({A: 1}, 0, A)
    merge(db, {**first, "data": {**first["data"], "contact": CONTACT}})
    merge(db, need({A: 2}, 10, A, data={**first["data"], "contact": CONTACT, "title": "Aの編集"}))
    merge(db, without_contact(need({A: 1, B: 1}, 20, B, title="Bの編集")), includes_contacts=False)
    obj = stored(db)
    assert (obj.title, obj.contact) == ("Bの編集", CONTACT)
    with Session(db.engine) as session:
        versions = {row.hlc: row.data for row in session.scalars(select(ConflictVersion))}
    assert "contact" not in versions[hlc(20, B)]
    assert versions[hlc(10, A)]["contact"] == CONTACT


# Dry runs and what is not ours to merge --------------------------------------------------------

def test_a_dry_run_counts_and_writes_nothing(db):
    merge(db, need({A: 1}, 0, A))
    before = snapshot(db)
    other = "22222222-2222-4222-8222-222222222222"
    result = merge(db, need({A: 2}, 10, A, title="更新"), need({B: 1}, 0, B, record_id=other), dry_run=True)
    assert counts(result) == {"inserted": 1, "updated": 1, "unchanged": 0, "conflicts": 0}
    assert result.max_hlc == hlc(10, A)
    assert snapshot(db) == before


def test_entities_this_version_does_not_know_are_left_alone(db):
    with db.engine.begin() as conn:
        result = merge_records(conn, {"future_things": [need({A: 1}, 0, A)]}, now=NOW)
    assert result.by_entity == {}
