"""A delete (and its undo) started from a list names the version the list showed: a record a colleague
changed after the list read it is not deleted over their change, and an undo does not write over
what a colleague did to the deleted record.

"A colleague": on the default run a second window on the same data folder (a second context on the
same SQLite file) writing between the list's read and the delete; with ``--postgres`` a second
installation on the same shared PostgreSQL database.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import NEED
from jcim_desktop.services import listing, matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict

YAMADA, SATO = "山田", "佐藤"
SEED = {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI", "facility_types": ["bridge"]}




def listed(ctx: AppContext, view: str, record_id: str) -> listing.ListRow:
    """The row a list page reads for the record (what the person sees)."""
    return listing.fetch_block(ctx, view, [record_id])[record_id]


def test_each_listed_row_carries_the_version_of_its_own_record(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    seed = records.create(yamada, "seeds", SEED)
    pairing = matchings.create_matching(yamada, need.id, seed.id, considered_on=dt.date(2024, 5, 1))
    assert listed(sato, "needs", need.id).hlc == need.hlc
    assert listed(sato, "seeds", seed.id).hlc == seed.hlc
    shown_pairing = listed(sato, "matchings", pairing.id)
    assert shown_pairing.hlc == records.get(sato, "matchings", pairing.id).hlc

    # A matching's row shows its need's title, but its version is the matching's own: a colleague
    # renaming the need does not stop deleting the pairing, and the need's row shows the new version.
    renamed = records.update(yamada, "needs", need.id, {"title": "河川堤防の夜間点検"}, expected_hlc=need.hlc)
    assert listed(sato, "needs", need.id).hlc == renamed.hlc != need.hlc
    again = listed(sato, "matchings", pairing.id)
    assert again.values[1].title == "河川堤防の夜間点検" and again.hlc == shown_pairing.hlc
    records.delete(sato, "matchings", pairing.id, expected_hlc=again.hlc)
    assert records.get(yamada, "matchings", pairing.id, include_deleted=True).deleted


def test_a_delete_of_a_row_a_colleague_changed_after_the_list_read_it_is_refused_and_nothing_deleted(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    shown = listed(sato, "needs", need.id)  # 佐藤's list
    changed = records.update(yamada, "needs", need.id, {"status": "resolved"}, expected_hlc=need.hlc)

    with pytest.raises(EditConflict) as caught:
        records.delete(sato, "needs", need.id, expected_hlc=shown.hlc)
    assert "山田さんが変更しました" in caught.value.message and "この操作は行っていません" in caught.value.message
    assert caught.value.current == changed
    stored = records.get(yamada, "needs", need.id)  # not deleted, 山田's change kept
    assert stored == changed and stored["status"] == "resolved"

    # The list read again shows 山田's version: deleting from it is what 佐藤 decided on.
    deleted = records.delete(sato, "needs", need.id, expected_hlc=listed(sato, "needs", need.id).hlc)
    assert deleted.deleted and records.get(yamada, "needs", need.id, include_deleted=True).deleted


def test_a_row_a_colleague_deleted_meanwhile_is_refused_saying_so(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    shown = listed(sato, "needs", need.id)
    records.delete(yamada, "needs", need.id, expected_hlc=need.hlc)
    with pytest.raises(EditConflict) as caught:
        records.delete(sato, "needs", need.id, expected_hlc=shown.hlc)
    assert caught.value.current.deleted and "山田さんが削除しました" in caught.value.message
    assert caught.value.last_change.by == YAMADA


def test_an_undo_goes_back_to_the_version_deleted_unless_a_colleague_changed_the_record_since(two_people):
    yamada, sato = two_people
    need = records.create(yamada, "needs", NEED)
    other = records.create(yamada, "needs", {**NEED, "title": "下水道管路の劣化診断"})

    # Nothing in between: the undo (with the version the delete made) brings the record back.
    deleted = records.delete(sato, "needs", other.id, expected_hlc=listed(sato, "needs", other.id).hlc)
    assert records.get(sato, "needs", other.id, include_deleted=True).hlc == deleted.hlc
    records.restore(sato, "needs", other.id, expected_hlc=deleted.hlc)
    assert records.get(yamada, "needs", other.id)["title"] == "下水道管路の劣化診断"

    # 山田 brings the deleted record back and changes it; 佐藤's undo is refused, 山田's change kept.
    deleted = records.delete(sato, "needs", need.id, expected_hlc=listed(sato, "needs", need.id).hlc)
    brought_back = records.restore(yamada, "needs", need.id, expected_hlc=deleted.hlc)
    edited = records.update(yamada, "needs", need.id, {"title": "河川堤防の夜間点検"}, expected_hlc=brought_back.hlc)
    with pytest.raises(EditConflict) as caught:
        records.restore(sato, "needs", need.id, expected_hlc=deleted.hlc)
    assert caught.value.last_change.by == YAMADA and not caught.value.current.deleted
    assert records.get(sato, "needs", need.id) == edited

    # 山田 brings it back and deletes it again: 佐藤's undo does not bring back what 山田 deleted.
    deleted = records.delete(sato, "needs", other.id, expected_hlc=listed(sato, "needs", other.id).hlc)
    records.delete(yamada, "needs", other.id, expected_hlc=records.restore(yamada, "needs", other.id,
                                                                           expected_hlc=deleted.hlc).hlc)
    with pytest.raises(EditConflict):
        records.restore(sato, "needs", other.id, expected_hlc=deleted.hlc)
    assert records.get(yamada, "needs", other.id, include_deleted=True).deleted
