"""A write the server refused because a colleague's write got in the way at the same moment (a
deadlock or a serialization failure: rolled back whole, nothing written) is run once more, reading
what the colleague saved: the person's save or import goes through, or a version check refuses it
then — never a lost update, never an error for something a second run does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpers import NEED
from jcim_desktop.services import records, sync
from jcim_desktop.services.edit_conflicts import EditConflict
from jcim_desktop.store.database import DatabaseBusy
from jcim_desktop.store.models import ReceivedPackage

OVERLAPPED = "他の人の保存と重なりました。何も保存していません。もう一度実行してください。"




def _overlapping_once(monkeypatch: pytest.MonkeyPatch, module: object, name: str, meanwhile) -> list[int]:  # type: ignore[no-untyped-def]
    """Make ``module.name``'s first call refused as the server refuses an overlapping write, after
    ``meanwhile()`` (the colleague's write) ran; later calls go through. Returns the calls made
    for the person (the colleague's own write calls it too)."""
    real = getattr(module, name)
    calls: list[int] = []
    colleague = False

    def first_refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal colleague
        if colleague:
            return real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            colleague = True
            try:
                meanwhile()
            finally:
                colleague = False
            raise DatabaseBusy(OVERLAPPED)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, first_refused)
    return calls


def test_a_save_refused_for_an_overlap_is_saved_on_the_second_run(two_people, monkeypatch):
    yamada, sato = two_people
    mine = records.create(sato, "needs", NEED)
    other = records.create(yamada, "needs", {**NEED, "title": "トンネル点検"})
    calls = _overlapping_once(monkeypatch, records, "_load_for_write",
                              lambda: records.update(yamada, "needs", other.id, {"title": "トンネル点検（改）"}))
    saved = records.update(sato, "needs", mine.id, {"title": "橋梁点検（改）"}, expected_hlc=mine.hlc)
    assert len(calls) == 2
    assert records.get(yamada, "needs", mine.id).data["title"] == "橋梁点検（改）" == saved.data["title"]
    assert records.get(sato, "needs", other.id).data["title"] == "トンネル点検（改）"


def test_the_second_run_sees_the_colleagues_save_of_the_same_record_and_refuses_over_it(two_people, monkeypatch):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    _overlapping_once(monkeypatch, records, "_load_for_write",
                      lambda: records.update(yamada, "needs", need.id, {"title": "山田の題名"}))
    with pytest.raises(EditConflict):
        records.update(sato, "needs", need.id, {"title": "佐藤の題名"}, expected_hlc=need.hlc)
    assert records.get(yamada, "needs", need.id).data["title"] == "山田の題名"


def test_an_import_refused_for_an_overlap_is_merged_once_on_the_second_run(two_people, make_ctx, tmp_path, monkeypatch):
    yamada, sato = two_people
    forum = make_ctx("chugoku")
    made = records.create(forum, "needs", {**NEED, "title": "福山の橋梁"})
    package = sync.export_package(forum, tmp_path / "chugoku-1.jcimsync").path
    sync.add_trust(sato, forum.public_key, ["chugoku"])
    if yamada.db.shared:
        sync.add_trust(yamada, forum.public_key, ["chugoku"])
    # Refused at the import transaction's first statement (before any lock: the colleague can write).
    calls = _overlapping_once(monkeypatch, sync, "lock_for_import",
                              lambda: records.create(yamada, "needs", {**NEED, "title": "山田の入力"}))
    [outcome] = sync.import_packages(sato, [package])
    assert outcome.status == "accepted" and len(calls) == 2
    titles = sorted(r.data["title"] for r in records.list_records(yamada, "needs", records.Query()))
    assert titles == ["山田の入力", "福山の橋梁"]
    assert records.get(yamada, "needs", made.id).owner == "chugoku"
    with sato.reading() as session:  # received once: the refused run left no row behind
        assert session.scalars(select(ReceivedPackage.package_id)).all() == [outcome.package_id]


def test_a_write_still_refused_after_the_second_run_says_so_in_japanese(two_people, monkeypatch):
    yamada, sato = two_people
    need = records.create(sato, "needs", NEED)

    def always(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseBusy(OVERLAPPED)

    monkeypatch.setattr(records, "_load_for_write", always)
    with pytest.raises(DatabaseBusy, match="もう一度実行してください"):
        records.update(sato, "needs", need.id, {"title": "佐藤の題名"})
    assert records.get(yamada, "needs", need.id).data["title"] == NEED["title"]
