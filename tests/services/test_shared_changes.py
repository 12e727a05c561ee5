"""Colleagues' changes on a shared database: what one installation's poll reports of the others'
saves, deletions and imports (with the records' ids and who), never its own; and the mark moves on.

Two secretariat staff, each an installation of its own, on one shared PostgreSQL database
(``pytest --postgres URL``); on the default SQLite run there is no second installation, and only
the tests that need none run.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from helpers import NEED
from jcim_desktop.errors import UserError
from jcim_desktop.services import records, shared_changes, sync
from jcim_desktop.services.changes import ALL
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.services.shared_changes import ChangeWatch, Saved
from jcim_desktop.store.database import DatabaseUnreachable, make_server_engine
from jcim_desktop.sync import merge as merge_module

YAMADA, SATO = "山田", "佐藤"
WAIT_S = 120  # an upper bound for a thread to get somewhere, never a calibrated pause
UNREACHABLE = "postgresql+psycopg://jcim@/jcim?host=/nonexistent/jcim-socket&connect_timeout=2"
SEED = {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI", "facility_types": ["bridge"]}




def need(title: str) -> dict:
    return {**NEED, "title": title}


def package_of(forum: AppContext, folder: Path, titles: list[str], name: str) -> tuple[Path, list[str]]:
    """A package of the forum's laptop holding needs with ``titles`` (and whatever it had); their ids."""
    ids = [records.create(forum, "needs", need(title)).id for title in titles]
    return sync.export_package(forum, folder / f"{name}.jcimsync").path, ids


def test_the_first_poll_takes_the_mark_and_reports_nothing_already_there(two_installations):
    yamada, sato = two_installations
    records.create(sato, "needs", need("前からある記録"))
    watch = ChangeWatch(yamada)
    first = watch.poll()
    assert first.first and first.changes.empty and first.summary.empty
    again = watch.poll()
    assert not again.first and again.changes.empty and again.summary.empty
    assert again.mark == first.mark


def test_a_colleagues_saves_are_reported_with_their_ids_and_name_once(two_installations):
    yamada, sato = two_installations
    watch = ChangeWatch(yamada)
    before = watch.poll().mark
    saved = [records.create(sato, "needs", need(f"橋梁点検 {n}")).id for n in range(3)]
    records.update(sato, "needs", saved[0], {"title": "橋梁点検（改）"})  # one record, saved twice

    seen = watch.poll()
    assert seen.changes.entities == {"needs"} and seen.changes.ids == set(saved)
    assert seen.changes.kpis  # needs count in the KPIs: the dashboard refreshes
    assert seen.record_ids == tuple(("needs", i) for i in saved)
    assert seen.summary.saved == (Saved(SATO, "needs", 3, 0),)
    assert seen.summary.people == (SATO,)
    assert seen.mark.audit_id > before.audit_id
    # Reported once: the next poll has nothing new.
    assert watch.poll().changes.empty


def test_a_colleagues_deletion_is_reported_as_one(two_installations):
    yamada, sato = two_installations
    target = records.create(sato, "seeds", SEED).id
    watch = ChangeWatch(yamada)
    watch.poll()
    records.delete(sato, "seeds", target)
    seen = watch.poll()
    assert seen.changes.entities == {"seeds"} and seen.changes.ids == {target}
    assert not seen.changes.kpis  # seeds count in no KPI
    assert seen.summary.saved == (Saved(SATO, "seeds", 1, 1),)


def test_ones_own_writes_are_not_reported_but_the_mark_moves_past_them(two_installations):
    yamada, sato = two_installations
    mine, theirs = ChangeWatch(yamada), ChangeWatch(sato)
    mine.poll()
    theirs.poll()
    before = mine.mark
    created = records.create(yamada, "needs", need("山田の記録")).id
    records.delete(yamada, "needs", created)
    records.create(yamada, "seeds", SEED)

    own = mine.poll()
    assert own.changes.empty and own.summary.empty and own.record_ids == ()
    assert before is not None and own.mark.audit_id == before.audit_id + 3
    seen = theirs.poll()  # 佐藤 hears of them
    assert seen.changes.entities == {"needs", "seeds"}
    assert {(s.person, s.entity, s.count, s.deleted) for s in seen.summary.saved} == {
        (YAMADA, "needs", 1, 1), (YAMADA, "seeds", 1, 0)}


def test_a_colleagues_import_is_reported_with_the_records_it_wrote(two_installations, make_ctx, tmp_path):
    yamada, sato = two_installations
    forum = make_ctx("chugoku")
    sync.add_trust(sato, forum.public_key, ["chugoku"])  # the trust is the shared database's
    path, ids = package_of(forum, tmp_path, ["トンネル点検", "堤防点検"], "chugoku-1")
    watch = ChangeWatch(yamada)
    watch.poll()

    (outcome,) = sync.import_packages(sato, [path])
    assert outcome.status == "accepted"
    seen = watch.poll()
    assert seen.changes.touches("needs") and "received_packages" in seen.changes.entities  # 受信状況 too
    assert seen.changes.ids == set(ids) and seen.changes.kpis
    (imported,) = seen.summary.imported
    assert imported.package_id == outcome.package_id and imported.counts == {"needs": 2}
    assert seen.summary.saved == ()  # the forum's records: imported, not saved here by anyone

    # The same package again changes no record: still 受信状況's news.
    sync.import_packages(sato, [path])
    again = watch.poll()
    assert again.changes.entities == {"received_packages"} and again.summary.empty


def test_ones_own_import_is_not_reported_and_a_colleague_hears_who_imported(two_installations, make_ctx, tmp_path):
    yamada, sato = two_installations
    forum = make_ctx("chugoku")
    sync.add_trust(yamada, forum.public_key, ["chugoku"])
    path, _ids = package_of(forum, tmp_path, ["トンネル点検"], "chugoku-1")
    mine, theirs = ChangeWatch(yamada), ChangeWatch(sato)
    mine.poll()
    theirs.poll()
    sync.import_packages(yamada, [path])
    seen = theirs.poll()
    assert [i.importer for i in seen.summary.imported] == [YAMADA]
    own = mine.poll()
    assert own.summary.empty and not own.changes.touches("needs")


def test_a_colleague_undoing_an_import_refreshes_everything(two_installations, make_ctx, tmp_path):
    yamada, sato = two_installations
    forum = make_ctx("chugoku")
    sync.add_trust(sato, forum.public_key, ["chugoku"])
    path, _ids = package_of(forum, tmp_path, ["トンネル点検"], "chugoku-1")
    (outcome,) = sync.import_packages(sato, [path])
    watch = ChangeWatch(yamada)
    watch.poll()
    assert outcome.package_id is not None
    sync.undo_import(sato, outcome.package_id)
    seen = watch.poll()
    assert seen.changes.touches("needs", "events") and ALL in seen.changes.entities and seen.changes.kpis
    assert seen.summary.undone_by == (SATO,)


def test_a_key_a_colleague_trusts_by_hand_refreshes_the_keys_without_naming_anyone(two_installations, make_ctx):
    yamada, sato = two_installations
    forum = make_ctx("chugoku")
    watch = ChangeWatch(yamada)
    watch.poll()
    sync.add_trust(sato, forum.public_key, ["chugoku"])  # no audit row: a table of its own
    seen = watch.poll()
    assert seen.changes.touches("trusted_keys") and seen.summary.empty
    assert watch.poll().changes.empty


def test_an_import_still_writing_when_a_later_save_is_seen_is_reported_once_it_commits(
        two_installations, make_ctx, tmp_path, monkeypatch):
    """PostgreSQL draws an id when a row is written, not when it commits: the import's rows, written
    first, become visible after 山田's save with higher ids was seen; the poll goes back for them."""
    yamada, sato = two_installations
    forum = make_ctx("chugoku")
    sync.add_trust(sato, forum.public_key, ["chugoku"])
    path, ids = package_of(forum, tmp_path, ["トンネル点検", "堤防点検"], "chugoku-1")
    suzuki = init_installation("secretariat", tmp_path / "suzuki", user_name="鈴木", database_url=yamada.db.url)
    watch = ChangeWatch(suzuki)
    watch.poll()

    paused, resume = threading.Event(), threading.Event()
    real_pause = merge_module.pause_at

    def pause_at(point: str) -> None:
        if point == "after-first-batch" and threading.current_thread().name == "importing":
            paused.set()
            assert resume.wait(WAIT_S)
        real_pause(point)

    monkeypatch.setattr(merge_module, "pause_at", pause_at)
    outcomes: list[sync.ImportOutcome] = []
    importing = threading.Thread(target=lambda: outcomes.extend(sync.import_packages(sato, [path])), name="importing")
    importing.start()
    try:
        assert paused.wait(WAIT_S)  # the needs and their audit rows are written, not committed
        later = records.create(yamada, "seeds", SEED).id
        meanwhile = watch.poll()
        assert meanwhile.changes.ids == {later} and not meanwhile.changes.touches("needs")
        assert meanwhile.mark.holes  # the import's ids, below the mark, not seen yet
    finally:
        resume.set()
        importing.join(WAIT_S)
    assert outcomes and outcomes[0].status == "accepted"
    after = watch.poll()
    assert after.changes.touches("needs") and set(ids) <= after.changes.ids
    assert after.mark.holes == ()
    suzuki.close()


def test_a_poll_when_the_server_cannot_be_reached_is_a_user_error_naming_it(forum):
    engine = make_server_engine(UNREACHABLE)
    down = dataclasses.replace(forum, db=dataclasses.replace(forum.db, engine=engine, url=UNREACHABLE))
    try:
        with pytest.raises(DatabaseUnreachable) as caught:
            shared_changes.poll(down, None)
    finally:
        engine.dispose()
    assert isinstance(caught.value, UserError) and "接続できません" in caught.value.message


def test_on_one_installation_its_own_saves_leave_nothing_to_report(forum):
    """The default run's one installation (also a laptop's SQLite file): the mark moves, nothing is told."""
    watch = ChangeWatch(forum)
    watch.poll()
    records.create(forum, "needs", NEED)
    seen = watch.poll()
    assert seen.changes.empty and seen.summary.empty and seen.mark.audit_id >= 1
