"""A list page deletes (and undoes a delete of) the version it showed: a colleague's save made after
the list read the record is not deleted over; the person is told who changed it and when, and the
list shows the record as it is now.

"A colleague": on the default run a second window on the same data folder; with ``--postgres`` a
second installation on the same shared PostgreSQL database.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from helpers import code
from jcim_desktop.services import audit, records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.list_page import NeedsPage

pytestmark = pytest.mark.gui
YAMADA, SATO = "山田", "佐藤"
TITLE, NEW_TITLE = "橋梁点検の効率化", "橋梁点検の効率化（夜間）"
NAME = f"{TITLE}・広島県福山市"
"""The record as the list (and its delete confirmation) named it."""




class Boxes:
    """The message boxes the page shows: confirmations (answered 「はい」, after ``meanwhile``) and warnings."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.warned: list[tuple[str, str]] = []
        self.meanwhile = lambda: None
        """What a colleague does while the confirmation is open."""


@pytest.fixture
def boxes(monkeypatch) -> Boxes:  # type: ignore[no-untyped-def]
    shown = Boxes()

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        shown.asked.append(text)
        shown.meanwhile()
        return QMessageBox.StandardButton.Yes

    def warning(parent, title, text, *args):  # type: ignore[no-untyped-def]
        shown.warned.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def _need(ctx: AppContext) -> records.Record:
    return records.create(ctx, "needs", {
        "lg_code": code("福山市"), "title": TITLE, "facility_types": ["bridge"], "requirements": "費用を抑えて",
        "received_on": f"{fmt.current_fiscal_year()}-06-15", "status": "open",
    })


def _open(qtbot, ctx: AppContext) -> NeedsPage:  # type: ignore[no-untyped-def]
    page = NeedsPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    page.activate()
    return page


def _titles(page: NeedsPage) -> list[str]:
    column = [c.key for c in page.model.columns].index("title")
    return [page.model.data(page.model.index(row, column)) for row in range(page.model.rowCount())]


def _when_changed(ctx: AppContext, record_id: str) -> str:
    at = audit.record_history(ctx, "needs", record_id)[0].at
    assert at is not None
    return fmt.datetime_label(at, seconds=False)


def _rename(ctx: AppContext, record_id: str) -> records.Record:
    current = records.get(ctx, "needs", record_id)
    return records.update(ctx, "needs", record_id, {"title": NEW_TITLE}, expected_hlc=current.hlc)


def test_a_record_a_colleague_changed_after_the_list_showed_it_is_not_deleted(qtbot, two_people, boxes):
    yamada, sato = two_people
    need = _need(yamada)
    page = _open(qtbot, sato)
    changed: list[Changes] = []
    page.bus.changed.connect(changed.append)
    assert _titles(page) == [TITLE]
    assert page.select_record(need.id)

    _rename(yamada, need.id)  # 山田 saves; 佐藤's list still shows the version it read
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)

    assert len(boxes.asked) == 1 and TITLE in boxes.asked[0]
    (title, text), = boxes.warned
    assert title == "ほかの人が先に変更しました"
    assert text.startswith(f"自治体ニーズ「{NAME}」は、一覧に表示された後に山田さんが変更しました"
                           f"（{_when_changed(sato, need.id)}）。削除していません。")
    stored = records.get(yamada, "needs", need.id)
    assert not stored.deleted and stored["title"] == NEW_TITLE
    # The list shows the record as stored now, still selected; nothing to undo, nothing announced.
    assert _titles(page) == [NEW_TITLE] and page.selected_id() == need.id
    assert not page.undo_button.isEnabled() and changed == []


def test_a_colleagues_save_while_the_confirmation_is_open_is_not_deleted_over(qtbot, two_people, boxes):
    yamada, sato = two_people
    need = _need(yamada)
    page = _open(qtbot, sato)
    assert page.select_record(need.id)
    boxes.meanwhile = lambda: _rename(yamada, need.id)
    page.delete_selected()
    assert len(boxes.warned) == 1 and "山田さんが変更しました" in boxes.warned[0][1]
    assert not records.get(sato, "needs", need.id).deleted
    assert _titles(page) == [NEW_TITLE]


def test_after_a_change_notice_the_list_shows_the_new_version_and_deleting_it_goes_through(qtbot, two_people, boxes):
    yamada, sato = two_people
    need = _need(yamada)
    page = _open(qtbot, sato)
    _rename(yamada, need.id)
    ops.announce(page, Changes.records("needs", [need.id]))  # told of the change: the list reads it again
    assert _titles(page) == [NEW_TITLE]
    assert page.select_record(need.id)
    page.delete_selected()
    assert NEW_TITLE in boxes.asked[0] and boxes.warned == []
    assert records.get(yamada, "needs", need.id, include_deleted=True).deleted
    assert _titles(page) == [] and page.undo_button.isEnabled()


def test_an_undo_after_a_colleague_brought_the_record_back_and_changed_it_is_refused(qtbot, two_people, boxes):
    yamada, sato = two_people
    need = _need(yamada)
    page = _open(qtbot, sato)
    assert page.select_record(need.id)
    page.delete_selected()
    assert _titles(page) == [] and page.undo_button.isEnabled() and boxes.warned == []

    tombstone = records.get(yamada, "needs", need.id, include_deleted=True)
    records.restore(yamada, "needs", need.id, expected_hlc=tombstone.hlc)
    _rename(yamada, need.id)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)

    (title, text), = boxes.warned
    assert text.startswith(f"自治体ニーズ「{NAME}」は、あなたが削除した後に山田さんが元に戻しました"
                           f"（{_when_changed(sato, need.id)}）。")
    assert records.get(yamada, "needs", need.id)["title"] == NEW_TITLE  # 山田's change kept
    # The list shows it as 山田 left it; there is no undo left to try again.
    assert _titles(page) == [NEW_TITLE] and page.selected_id() == need.id
    assert not page.undo_button.isEnabled() and page.deleted_record() is None


def test_the_refusal_speaks_english(qtbot, two_people, boxes, english):  # type: ignore[no-untyped-def]
    yamada, sato = two_people
    need = _need(yamada)
    page = _open(qtbot, sato)
    assert page.select_record(need.id)
    _rename(yamada, need.id)
    page.delete_selected()
    (title, text), = boxes.warned
    assert title == "Someone else changed it first"
    assert f"was changed by {YAMADA} after the list showed it" in text and "It has not been deleted." in text
