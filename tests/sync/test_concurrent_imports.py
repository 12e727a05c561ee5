"""Two imports at once into one database (issue 15): the second waits until the first has
committed, then merges on what it wrote, so that nothing is lost and the counts say what happened."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from helpers import code, envelopes
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.store.locks import IMPORT_LOCK, lock_for_import
from jcim_desktop.sync import merge as merge_module

WAIT_S = 120  # an upper bound for a thread or a lock to get somewhere, never a calibrated pause


def need(title: str) -> dict:
    return {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "安価に",
            "received_on": "2024-05-10", "status": "open"}


@pytest.fixture
def two_staff(postgres, new_database_url, tmp_path):  # type: ignore[no-untyped-def]
    """Two secretariat staff, each an installation of its own, on one shared PostgreSQL database."""
    if postgres is None:
        pytest.skip("a database several installations share: PostgreSQL only (pytest --postgres URL)")
    url = new_database_url()
    first = init_installation("secretariat", tmp_path / "staff-a", user_name="事務局 一", database_url=url)
    second = init_installation("secretariat", tmp_path / "staff-b", user_name="事務局 二", database_url=url)
    yield url, first, second
    first.close()
    second.close()


def packages(forum: AppContext, folder: Path) -> tuple[Path, Path]:
    """Two packages of one forum laptop touching the same records: the older with 30 needs; the
    newer with 10 of them changed and 10 more."""
    made = [records.create(forum, "needs", need(f"橋梁点検 {n}")) for n in range(30)]
    older = sync.export_package(forum, folder / "chugoku-1.jcimsync").path
    for saved in made[:10]:
        records.update(forum, "needs", saved.id, {"title": f"{saved.data['title']}（改）"})
    for n in range(10):
        records.create(forum, "needs", need(f"トンネル点検 {n}"))
    newer = sync.export_package(forum, folder / "chugoku-2.jcimsync").path
    return older, newer


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def test_two_imports_of_the_same_records_at_once_end_as_one_after_the_other(two_staff, make_ctx, tmp_path,
                                                                             monkeypatch):
    url, staff_a, staff_b = two_staff
    forum = make_ctx("chugoku")
    sync.add_trust(staff_a, forum.public_key, ["chugoku"])  # the trust is the shared database's
    older, newer = packages(forum, tmp_path)

    # Staff A's import of the newer package stops once its records are written, uncommitted.
    paused, resume = threading.Event(), threading.Event()
    real_pause = merge_module.pause_at

    def pause_at(point: str) -> None:
        if point == "after-first-batch" and threading.current_thread().name == "staff-a":
            paused.set()
            assert resume.wait(WAIT_S)
        real_pause(point)

    monkeypatch.setattr(merge_module, "pause_at", pause_at)
    outcomes: dict[str, sync.ImportOutcome] = {}

    def run(ctx: AppContext, path: Path) -> None:
        outcomes[threading.current_thread().name] = sync.import_packages(ctx, [path])[0]

    first = threading.Thread(target=run, args=(staff_a, newer), name="staff-a")
    second = threading.Thread(target=run, args=(staff_b, older), name="staff-b")
    observer = create_engine(url)
    locks = text("SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND objsubid = 1")
    try:
        first.start()
        assert paused.wait(WAIT_S)
        with observer.connect() as conn:
            assert conn.execute(locks, {"key": IMPORT_LOCK}).scalars().all() == [True]
        # Staff B's import of the older package waits for the lock while A's is unfinished ...
        second.start()

        def b_waits() -> bool:
            with observer.connect() as conn:
                return sorted(conn.execute(locks, {"key": IMPORT_LOCK}).scalars()) == [False, True]

        until(b_waits)
        assert "staff-b" not in outcomes
    finally:
        resume.set()
        first.join(WAIT_S)
        second.join(WAIT_S)
        observer.dispose()
    assert not first.is_alive() and not second.is_alive()

    # ... and then merges on what A wrote: nothing of the newer package is lost, the older one
    # changes nothing, and the counts say so.
    a, b = outcomes["staff-a"], outcomes["staff-b"]
    assert (a.status, b.status) == ("accepted", "accepted"), (a.reason, b.reason)
    assert (a.counts.inserted, a.counts.updated, a.counts.unchanged) == (40, 0, 0)
    assert (b.counts.inserted, b.counts.updated, b.counts.unchanged, b.counts.conflicts) == (0, 0, 30, 0)
    titles = sorted(r.data["title"] for r in records.list_records(staff_b, "needs", records.Query()))
    assert len(titles) == 40 and sum(t.endswith("（改）") for t in titles) == 10
    assert [log.last_sequence for log in sync.received_log(staff_a)] == [2]

    # The same as importing them one after the other, in that order, somewhere else.
    serial = make_ctx("secretariat", "serial")
    sync.add_trust(serial, forum.public_key, ["chugoku"])
    assert [o.status for o in sync.import_packages(serial, [newer, older])] == ["accepted", "accepted"]
    assert envelopes(serial) == envelopes(staff_a)


@pytest.mark.sqlite_only
def test_on_sqlite_an_import_is_the_writer_from_its_first_statement(forum):
    # The transaction has read nothing and written nothing yet; another program cannot write.
    with forum.db.engine.begin() as conn:
        lock_for_import(conn)
        other = sqlite3.connect(forum.db.path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
