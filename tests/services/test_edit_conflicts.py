"""Two people saving the same record: the second save is refused with the conflict message, and
nothing of either person's work is lost.

"Two people on one database": on the default run two windows on one data folder (two contexts
opened on the same SQLite file); with ``--postgres`` two installations (two data folders, each
its own key) registered on one shared PostgreSQL database.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from helpers import NEED
from jcim_desktop.errors import DatabaseLocked, NotFound
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.store import database
from jcim_desktop.store.models import AuditEntry

YAMADA, SATO = "山田", "佐藤"


@pytest.fixture(autouse=True)
def quick_to_give_up(monkeypatch):  # type: ignore[no-untyped-def]
    # A write that finds the database locked gives up soon (SQLite; the default is 5 s). Autouse:
    # set before two_people opens the databases.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)


def audit_people(ctx: AppContext, record_id: str) -> list[tuple[str, str]]:
    with ctx.reading() as session:
        return [(e.user_name, e.action) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(AuditEntry.id))]


def test_the_second_save_is_refused_naming_who_saved_first_and_nothing_of_it_is_written(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    opened_by_yamada = records.get(yamada, "needs", need.id)
    opened_by_sato = records.get(sato, "needs", need.id)

    records.update(yamada, "needs", need.id, {**opened_by_yamada.data, "title": "河川堤防の夜間点検"},
                   expected_hlc=opened_by_yamada.hlc)
    after_yamada = records.get(sato, "needs", need.id)
    with pytest.raises(EditConflict) as caught:
        records.update(sato, "needs", need.id, {**opened_by_sato.data, "requirements": "車両が入れない区間"},
                       expected_hlc=opened_by_sato.hlc)

    conflict = caught.value
    assert "山田さん" in conflict.message and "保存していません" in conflict.message
    assert conflict.last_change.by == YAMADA
    assert conflict.current == after_yamada  # the colleague's version, as stored
    assert conflict.changed_fields == ("title",)  # what 山田 changed since 佐藤 opened it
    # Where 佐藤's input and the stored record differ: 山田's title (佐藤 still has the old one)
    # and 佐藤's own requirements.
    assert conflict.differing_fields == ("title", "requirements")
    assert conflict.proposed is not None and conflict.proposed["requirements"] == "車両が入れない区間"
    assert records.get(yamada, "needs", need.id) == after_yamada
    assert audit_people(yamada, need.id) == [(YAMADA, "create"), (YAMADA, "update")]

    # 佐藤 deliberately saves over it, naming the version now stored.
    saved = records.update(sato, "needs", need.id, {**opened_by_sato.data, "requirements": "車両が入れない区間"},
                           expected_hlc=conflict.current.hlc)
    stored = records.get(yamada, "needs", need.id)
    assert stored == saved
    assert (stored["title"], stored["requirements"]) == (NEED["title"], "車両が入れない区間")
    assert stored.hlc > after_yamada.hlc
    assert audit_people(yamada, need.id)[-1] == (SATO, "update")


def test_a_save_from_the_version_stored_goes_through_and_none_keeps_writing_over(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    first = records.update(sato, "needs", need.id, {"status": "resolved"}, expected_hlc=need.hlc)
    assert first["status"] == "resolved"
    # A caller that holds no version (a use case of its own) writes over what is stored.
    records.update(yamada, "needs", need.id, {"title": "別の題"})
    assert records.get(sato, "needs", need.id)["title"] == "別の題"


def test_a_record_deleted_meanwhile_is_a_conflict_saying_so_not_a_resurrection(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    records.delete(yamada, "needs", need.id, expected_hlc=need.hlc)
    with pytest.raises(EditConflict) as caught:
        records.update(sato, "needs", need.id, {"title": "新しい題"}, expected_hlc=need.hlc)
    assert caught.value.current.deleted
    assert "山田さんが削除しました" in caught.value.message
    assert "deleted" in caught.value.changed_fields
    assert records.get(yamada, "needs", need.id, include_deleted=True).deleted
    with pytest.raises(NotFound):
        records.get(yamada, "needs", need.id)


def test_deleting_or_restoring_a_record_changed_since_it_was_shown_is_refused(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    changed = records.update(yamada, "needs", need.id, {"status": "resolved"}, expected_hlc=need.hlc)
    with pytest.raises(EditConflict) as caught:
        records.delete(sato, "needs", need.id, expected_hlc=need.hlc)
    assert "この操作は行っていません" in caught.value.message
    assert records.get(yamada, "needs", need.id) == changed

    deleted = records.delete(sato, "needs", need.id, expected_hlc=changed.hlc)
    records.restore(yamada, "needs", need.id, expected_hlc=deleted.hlc)
    with pytest.raises(EditConflict):
        records.restore(sato, "needs", need.id, expected_hlc=deleted.hlc)
    assert audit_people(yamada, need.id)[-2:] == [(SATO, "delete"), (YAMADA, "restore")]


def test_a_stage_recorded_meanwhile_is_not_lost_when_another_is_recorded(two_people, monkeypatch):
    """advance_stage reads the stages, then writes them with one more: a colleague's stage
    recorded in between is refused, not written over."""
    from datetime import date

    from jcim_desktop.services import matchings

    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    seed = records.create(yamada, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                            "facility_types": ["bridge"]})
    pairing = matchings.create_matching(yamada, need.id, seed.id, considered_on=date(2024, 5, 1))
    real_get = records.get

    def get_then_a_colleague_records_a_stage(ctx, entity, record_id, **options):  # type: ignore[no-untyped-def]
        found = real_get(ctx, entity, record_id, **options)
        if ctx is sato and entity == "matchings":
            monkeypatch.setattr(records, "get", real_get)
            matchings.advance_stage(yamada, record_id, "established", date(2024, 6, 1))
        return found

    monkeypatch.setattr(records, "get", get_then_a_colleague_records_a_stage)
    with pytest.raises(EditConflict):
        matchings.advance_stage(sato, pairing.id, "dropped", date(2024, 6, 2))
    assert [s.stage for s in matchings.stage_history(yamada, pairing.id)] == ["considered", "established"]


def _shown_pairing(ctx: AppContext):  # type: ignore[no-untyped-def]
    from datetime import date

    from jcim_desktop.services import matchings

    need = records.create(ctx, "needs", NEED)
    seed = records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                         "facility_types": ["bridge"]})
    return matchings.create_matching(ctx, need.id, seed.id, considered_on=date(2024, 5, 1))


def test_a_card_moved_as_painted_is_refused_when_a_colleague_moved_it_since(two_people):
    from datetime import date

    from jcim_desktop.services import matchings

    yamada, sato = two_people
    painted = _shown_pairing(yamada)  # 佐藤's board shows it in 検討
    matchings.advance_stage(yamada, painted.id, "dropped", date(2024, 6, 1), expected_hlc=painted.hlc)
    with pytest.raises(EditConflict) as refused:
        # Moved as painted: 成立 would have been recorded after 山田's 不成立.
        matchings.advance_stage(sato, painted.id, "established", date(2024, 6, 2), expected_hlc=painted.hlc)
    assert "山田さんが変更しました" in refused.value.message and "この操作は行っていません" in refused.value.message
    assert [s["stage"] for s in refused.value.current.data["stages"]] == ["considered", "dropped"]
    assert [s.stage for s in matchings.stage_history(yamada, painted.id)] == ["considered", "dropped"]


def test_a_card_deleted_meanwhile_is_not_moved(two_people):
    from datetime import date

    from jcim_desktop.services import matchings

    yamada, sato = two_people
    painted = _shown_pairing(yamada)
    records.delete(yamada, "matchings", painted.id)
    with pytest.raises(EditConflict) as refused:
        matchings.advance_stage(sato, painted.id, "established", date(2024, 6, 2), expected_hlc=painted.hlc)
    assert "山田さんが削除しました" in refused.value.message and refused.value.current.deleted
    stored = records.get(yamada, "matchings", painted.id, include_deleted=True)
    assert stored.deleted and [s["stage"] for s in stored.data["stages"]] == ["considered"]


def test_a_colleagues_change_of_other_fields_does_not_hold_a_move_up(two_people):
    from datetime import date

    from jcim_desktop.services import matchings

    yamada, sato = two_people
    painted = _shown_pairing(yamada)
    other_seed = records.create(yamada, "seeds", {"company": "㈱テスト", "tech_name": "打音", "summary": "音",
                                                  "facility_types": ["tunnel"]})
    records.update(yamada, "matchings", painted.id, {"seed_id": other_seed.id}, expected_hlc=painted.hlc)
    moved = matchings.advance_stage(sato, painted.id, "established", date(2024, 6, 2), expected_hlc=painted.hlc)
    assert moved.data["seed_id"] == other_seed.id  # 山田's change kept
    assert [s["stage"] for s in moved.data["stages"]] == ["considered", "established"]


def test_an_event_saved_meanwhile_keeps_its_version_and_no_presentation_is_added(two_people):
    from jcim_desktop.services import events

    yamada, sato = two_people
    seed = records.create(yamada, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                            "facility_types": ["bridge"]})
    shown = events.save_event(yamada, None, {"title": "ピッチ会", "event_type": "pitch_event", "status": "planned",
                                             "planned": events.planned_from_text("9月", 2024)}).event
    events.save_event(yamada, shown.id, {"title": "ピッチ会（第1回）"}, expected_hlc=shown.hlc)
    with pytest.raises(EditConflict):
        events.save_event(sato, shown.id, {"title": "ピッチ会（改）"}, added=[{"seed_id": seed.id, "order": 1}],
                          expected_hlc=shown.hlc)
    assert records.get(yamada, "events", shown.id).data["title"] == "ピッチ会（第1回）"
    assert events.presentations_of(yamada, shown.id) == []


def test_a_change_received_in_a_package_meanwhile_is_named_with_its_sender(make_ctx, tmp_path):
    """The other secretariat laptop's change arrives (a package) while 佐藤 has the record open."""
    sato = make_ctx("secretariat", "laptop_a", user_name=SATO)
    tanaka = make_ctx("secretariat", "laptop_b", user_name="田中")
    sync.add_trust(sato, tanaka.public_key, ["secretariat"])
    sync.add_trust(tanaka, sato.public_key, ["secretariat"])
    need = records.create(sato, "needs", NEED)
    _send(sato, tanaka, tmp_path / "a.jcimsync")
    opened = records.get(sato, "needs", need.id)
    records.update(tanaka, "needs", need.id, {"status": "resolved"})
    _send(tanaka, sato, tmp_path / "b.jcimsync")

    with pytest.raises(EditConflict) as caught:
        records.update(sato, "needs", need.id, {"title": "佐藤の題"}, expected_hlc=opened.hlc)
    conflict = caught.value
    assert conflict.last_change.received_from == "secretariat" and conflict.last_change.by == "田中"
    assert "事務局から受け取った変更（田中さん）で更新されました" in conflict.message
    assert conflict.changed_fields == ("status",)
    assert records.get(sato, "needs", need.id)["title"] == NEED["title"]


def _send(sender: AppContext, receiver: AppContext, path: Path) -> None:
    exported = sync.export_package(sender, path)
    (outcome,) = sync.import_packages(receiver, [exported.path])
    assert outcome.status == "accepted", outcome.reason


def _pause_inside_the_write(monkeypatch, thread_name: str) -> tuple[threading.Event, threading.Event]:  # type: ignore[no-untyped-def]
    """The thread ``thread_name`` stops inside its save (record locked and checked, not yet
    written) until released: (it is there, release it)."""
    there, release = threading.Event(), threading.Event()
    check = records._check_references

    def paused(session, entity, data):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == thread_name:
            there.set()
            assert release.wait(60)
        check(session, entity, data)

    monkeypatch.setattr(records, "_check_references", paused)
    return there, release


def _save_in_thread(ctx: AppContext, name: str, record_id: str, changes: dict, expected: str,
                    outcome: dict[str, object]) -> threading.Thread:
    def run() -> None:
        try:
            outcome[name] = records.update(ctx, "needs", record_id, changes, expected_hlc=expected)
        except Exception as exc:  # noqa: BLE001 - the test looks at what each save ended with
            outcome[name] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


@pytest.mark.sqlite_only
def test_on_sqlite_nobody_writes_between_the_version_check_and_the_write(two_people, monkeypatch):
    """山田's save has checked the version and not yet written: 佐藤's save cannot slip in between
    (the check holds the database's write lock); once 山田's is stored, 佐藤's is refused."""
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    there, release = _pause_inside_the_write(monkeypatch, "yamada")
    outcome: dict[str, object] = {}
    thread = _save_in_thread(yamada, "yamada", need.id, {"title": "山田の題"}, need.hlc, outcome)
    assert there.wait(30)
    with pytest.raises(DatabaseLocked):
        records.update(sato, "needs", need.id, {"title": "佐藤の題"}, expected_hlc=need.hlc)
    release.set()
    thread.join(30)
    assert isinstance(outcome["yamada"], records.Record)
    with pytest.raises(EditConflict) as caught:
        records.update(sato, "needs", need.id, {"title": "佐藤の題"}, expected_hlc=need.hlc)
    assert caught.value.last_change.by == YAMADA
    assert records.get(sato, "needs", need.id)["title"] == "山田の題"


def test_two_saves_at_once_on_the_server_the_second_waits_for_the_first_then_is_refused(
        two_people, monkeypatch, postgres):  # type: ignore[no-untyped-def]
    if postgres is None:
        pytest.skip("PostgreSQL's row lock (run with --postgres)")
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    there, release = _pause_inside_the_write(monkeypatch, "yamada")
    outcome: dict[str, object] = {}
    first = _save_in_thread(yamada, "yamada", need.id, {"title": "山田の題"}, need.hlc, outcome)
    assert there.wait(30)
    second = _save_in_thread(sato, "sato", need.id, {"title": "佐藤の題"}, need.hlc, outcome)

    # 佐藤's save waits on the row 山田's holds (the server says so), and has not finished.
    watcher = create_engine(yamada.db.url or "")
    try:
        with watcher.connect() as conn:
            waiting = 0
            for _ in range(600):
                waiting = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")).scalar_one()
                if waiting or not second.is_alive():
                    break
                conn.execute(text("SELECT pg_sleep(0.05)"))
            assert waiting == 1 and second.is_alive() and "sato" not in outcome
    finally:
        watcher.dispose()
        release.set()
        first.join(30)
        second.join(30)

    assert isinstance(outcome["yamada"], records.Record)
    refused = outcome["sato"]
    assert isinstance(refused, EditConflict), refused
    assert "山田さん" in refused.message
    stored = records.get(sato, "needs", need.id)
    assert stored["title"] == "山田の題" and stored == refused.current
    assert [who for who, _action in audit_people(yamada, need.id)] == [YAMADA, YAMADA]
