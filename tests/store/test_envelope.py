"""Every change is stamped (HLC, version vector), deletes leave tombstones, the audit log shows old → new."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.errors import PermissionDenied
from jcim_desktop.services import records
from jcim_desktop.store.models import Installation, Need

NEED = {
    "lg_code": "342076",
    "title": "河川堤防の点検",
    "facility_types": ["river"],
    "requirements": "車両が入れない区間",
    "received_on": "2024-05-10",
    "status": "open",
}


def test_every_change_bumps_version_vector_and_hlc(forum):
    created = records.create(forum, "needs", NEED)
    assert created.vv == {forum.installation_id: 1}
    assert HlcStamp.parse(created.hlc).node == forum.installation_id

    changed = records.update(forum, "needs", created.id, {"title": "河川堤防の点検（追加）"})
    assert changed.vv == {forum.installation_id: 2}
    assert changed.hlc > created.hlc

    deleted = records.delete(forum, "needs", created.id)
    assert deleted.vv == {forum.installation_id: 3}
    assert deleted.hlc > changed.hlc


def test_an_update_that_changes_nothing_is_not_a_new_version(forum):
    created = records.create(forum, "needs", NEED)
    same = records.update(forum, "needs", created.id, {"title": NEED["title"]})
    assert same.vv == created.vv and same.hlc == created.hlc
    assert len(records.audit_trail(forum, "needs", created.id)) == 1


def test_delete_leaves_a_tombstone_that_can_be_restored(forum):
    created = records.create(forum, "needs", NEED)
    records.delete(forum, "needs", created.id)

    assert records.list_records(forum, "needs") == []
    tomb = records.get(forum, "needs", created.id, include_deleted=True)
    assert tomb.deleted is True
    with forum.reading() as session:
        assert session.scalar(select(Need.deleted).where(Need.id == created.id)) is True

    restored = records.restore(forum, "needs", created.id)
    assert restored.deleted is False and restored.vv[forum.installation_id] == 3
    assert [r.id for r in records.list_records(forum, "needs")] == [created.id]


def test_audit_log_shows_who_which_fields_old_and_new(forum):
    created = records.create(forum, "needs", NEED)
    records.update(forum, "needs", created.id, {"title": "堤防点検", "facility_types": ["river", "sabo"]})
    records.delete(forum, "needs", created.id)

    trail = records.audit_trail(forum, "needs", created.id)
    assert [t["action"] for t in trail] == ["create", "update", "delete"]
    assert all(t["user"] == "テスト担当" for t in trail)
    assert trail[0]["changes"]["title"] == [None, "河川堤防の点検"]
    assert trail[1]["changes"] == {
        "title": ["河川堤防の点検", "堤防点検"],
        "facility_types": [["river"], ["river", "sabo"]],
    }
    assert trail[2]["changes"] == {"deleted": [False, True]}


def test_audit_log_is_append_only_in_the_database(forum, postgres, request):
    records.create(forum, "needs", NEED)
    for statement in ("UPDATE audit_log SET user_name = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), forum.db.engine.begin() as conn:
            conn.execute(text(statement))
    with forum.db.engine.connect() as conn:
        assert conn.execute(text("SELECT user_name FROM audit_log")).scalars().all() == ["テスト担当"]


def test_clock_state_survives_a_restart(forum, tmp_path):
    from jcim_desktop.services.context import open_app

    created = records.create(forum, "needs", NEED)
    data_dir = forum.data_dir
    forum.close()
    reopened = open_app(data_dir)
    try:
        with reopened.reading() as session:
            assert session.scalars(select(Installation)).one().hlc_last == created.hlc
        later = records.update(reopened, "needs", created.id, {"title": "別の題名"})
        assert later.hlc > created.hlc
    finally:
        reopened.close()


def test_forum_writes_only_its_own_records(forum):
    with pytest.raises(PermissionDenied, match="近畿フォーラム"):
        records.create(forum, "needs", NEED, owner="kinki")
    with pytest.raises(PermissionDenied, match="事務局だけ"):
        records.create(forum, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 50})


def test_secretariat_chooses_the_owner_among_national_forums_and_committees(secretariat):
    rec = records.create(secretariat, "needs", NEED, owner="municipal_support")
    assert rec.owner == "municipal_support"
    committee = records.create(secretariat, "needs", NEED, owner="mayors_council")
    assert committee.owner == "mayors_council"
    assert records.create(secretariat, "needs", NEED).owner == "secretariat"
    with pytest.raises(PermissionDenied):
        records.create(secretariat, "needs", NEED, owner="chugoku")


def test_a_record_cannot_be_hard_deleted(forum):
    created = records.create(forum, "needs", NEED)
    with pytest.raises(RuntimeError, match="tombstone"):
        with forum.unit_of_work() as session:
            session.delete(session.get(Need, created.id))
    assert records.get(forum, "needs", created.id).deleted is False
