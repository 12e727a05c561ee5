"""The list pages: search, filters, count, delete and undo, read-only records, duplicate."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from helpers import code, transfer
from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.services import records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.pages.list_page import (
    DELETED_MESSAGE,
    READ_ONLY_TIP,
    EventsPage,
    NeedsPage,
    PitchEventsPage,
    SeedsPage,
)

pytestmark = pytest.mark.gui
FY = current_fiscal_year()
THIS_YEAR = dt.date(FY, 6, 15)
LAST_YEAR = dt.date(FY - 1, 6, 15)


def _need(ctx: AppContext, title: str, city: str, *, on: dt.date = THIS_YEAR, status: str = "open",
          facilities: tuple[str, ...] = ("bridge",)) -> str:
    return records.create(ctx, "needs", {
        "lg_code": code(city), "title": title, "facility_types": list(facilities), "requirements": "費用を抑えて",
        "received_on": on.isoformat(), "status": status,
    }).id


@pytest.fixture
def dialogs(monkeypatch) -> list[dict[str, Any]]:
    """Stands in for jcim_desktop.ui.dialogs; records how open_record_dialog was called."""
    calls: list[dict[str, Any]] = []

    def open_record_dialog(parent, ctx, entity, record_id=None, template=None, bus=None):
        calls.append({"parent": parent, "entity": entity, "record_id": record_id, "template": template, "bus": bus})

    fake = types.ModuleType("jcim_desktop.ui.dialogs")
    fake.open_record_dialog = open_record_dialog  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "jcim_desktop.ui.dialogs", fake)
    return calls


def _open(qtbot, page_class, ctx: AppContext):
    page = page_class(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    page.activate()
    return page


def _count(page) -> int:
    return int(page.count_label.text().split()[0].replace(",", ""))


def _choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _type(widget, text: str) -> None:
    """Commit ``text`` the way a Japanese input method does (QTest cannot type kana)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _select(page, record_id: str) -> None:
    assert page.select_record(record_id)


def test_search_finds_a_need_in_hiragana_katakana_and_half_width(qtbot, forum):
    _need(forum, "橋梁点検の効率化", "福山市")
    _need(forum, "下水道管路の劣化診断", "岡山市")
    page = _open(qtbot, NeedsPage, forum)
    assert _count(page) == 2
    assert page.search.placeholderText() == "検索（かな・カナ・半角どれでも）"
    for text in ("ふくやま", "フクヤマ", "ﾌｸﾔﾏ"):
        page.search.clear()
        qtbot.waitUntil(lambda: _count(page) == 2)
        _type(page.search, text)
        assert _count(page) == 2  # debounced: nothing yet
        qtbot.waitUntil(lambda: _count(page) == 1, timeout=2000)
        assert page.model.data(page.model.index(0, 2)) == "広島県福山市"
        assert page.model.data(page.model.index(0, 3)) == "橋梁点検の効率化"


def test_filters_narrow_the_count(qtbot, forum):
    _need(forum, "橋梁点検の効率化", "福山市", status="open", facilities=("bridge",))
    _need(forum, "道路附属物の点検", "尾道市", status="matching", facilities=("road",))
    _need(forum, "トンネル覆工の変状把握", "岡山市", status="open", facilities=("tunnel", "road"))
    _need(forum, "昨年度の河川堤防", "福山市", on=LAST_YEAR, status="resolved", facilities=("river",))
    page = _open(qtbot, NeedsPage, forum)
    # The current fiscal year is chosen at first, in the era form.
    assert page.year_combo.currentData() == FY
    assert page.year_combo.currentText().endswith("年度") and page.year_combo.currentText().startswith("令和")
    assert page.year_combo.itemText(0) == "すべての年度"
    assert _count(page) == 3
    _choose(page.year_combo, None)
    assert _count(page) == 4
    _choose(page.year_combo, FY - 1)
    assert _count(page) == 1
    _choose(page.year_combo, FY)

    _choose(page.status_combo, "open")
    assert _count(page) == 2
    _choose(page.facility_combo, "road")
    assert _count(page) == 1  # open and road: the tunnel in 岡山市
    _choose(page.status_combo, None)
    _choose(page.facility_combo, None)
    assert _count(page) == 3

    assert page.pref_combo.itemText(0) == "すべての都道府県"
    # The 中国 forum sees its block's prefectures first.
    assert [page.pref_combo.itemText(i) for i in range(1, 6)] == ["鳥取県", "島根県", "岡山県", "広島県", "山口県"]
    assert not page.city_combo.isEnabled()
    _choose(page.pref_combo, "34")
    assert _count(page) == 2
    assert page.city_combo.isEnabled()
    _choose(page.city_combo, code("尾道市"))
    assert _count(page) == 1
    _choose(page.pref_combo, "33")
    assert page.city_combo.currentData() is None
    assert _count(page) == 1


def test_delete_then_undo_restores_the_record(qtbot, forum, monkeypatch):
    keep = _need(forum, "橋梁点検の効率化", "福山市")
    doomed = _need(forum, "下水道管路の劣化診断", "岡山市")
    page = _open(qtbot, NeedsPage, forum)
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    messages: list[str] = []
    changed: list[Changes] = []
    page.bus.status_message.connect(messages.append)
    page.bus.changed.connect(changed.append)
    assert not page.undo_button.isEnabled()

    _select(page, doomed)
    assert page.delete_button.isEnabled()
    page.delete_selected()
    assert "下水道管路の劣化診断" in asked[0] and "削除しますか" in asked[0]
    # One notice, sent by ops; the page reloaded on it.
    assert DELETED_MESSAGE in messages and changed == [Changes.records("needs", [doomed])]
    assert _count(page) == 1 and page.model.record_id(0) == keep
    assert records.get(forum, "needs", doomed, include_deleted=True).deleted
    assert page.undo_button.isEnabled()

    page.undo_delete()
    assert changed == [Changes.records("needs", [doomed])] * 2
    assert _count(page) == 2
    assert not records.get(forum, "needs", doomed).deleted
    assert page.selected_id() == doomed
    assert not page.undo_button.isEnabled()


def test_a_refused_delete_is_shown_and_nothing_is_announced(qtbot, forum, monkeypatch):
    need = _need(forum, "橋梁点検の効率化", "福山市")
    page = _open(qtbot, NeedsPage, forum)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    changed: list[Changes] = []
    page.bus.changed.connect(changed.append)
    _select(page, need)
    records.delete(forum, "needs", need)  # gone meanwhile (another window, a sync)
    page.delete_selected()
    assert shown and changed == [] and not page.undo_button.isEnabled()


def test_a_declined_confirmation_deletes_nothing(qtbot, forum, monkeypatch):
    need = _need(forum, "橋梁点検の効率化", "福山市")
    page = _open(qtbot, NeedsPage, forum)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    _select(page, need)
    page.delete_selected()
    assert _count(page) == 1 and not records.get(forum, "needs", need).deleted


def test_records_of_other_organisations_are_read_only(qtbot, forum, make_ctx, dialogs, monkeypatch):
    kinki = make_ctx("kinki")
    theirs = records.create(kinki, "needs", {
        "lg_code": code("福山市"), "title": "近畿からの共有ニーズ", "facility_types": ["bridge"], "requirements": "-",
        "received_on": THIS_YEAR.isoformat(), "status": "open",
    }).id
    transfer(kinki, forum)
    ours = _need(forum, "橋梁点検の効率化", "福山市")
    page = _open(qtbot, NeedsPage, forum)
    assert _count(page) == 2

    _select(page, theirs)
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    assert page.edit_button.toolTip() == READ_ONLY_TIP and page.delete_button.toolTip() == READ_ONLY_TIP
    assert page.duplicate_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("must not ask"))
    page.delete_selected()
    page.edit_selected()
    assert dialogs == [] and not records.get(forum, "needs", theirs).deleted

    _select(page, ours)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
    assert page.delete_button.toolTip() != READ_ONLY_TIP


def test_duplicate_opens_the_dialog_with_a_template(qtbot, forum, dialogs):
    need = _need(forum, "橋梁点検の効率化", "福山市", facilities=("bridge", "road"))
    page = _open(qtbot, NeedsPage, forum)
    _select(page, need)
    page.duplicate_selected()
    assert len(dialogs) == 1
    call = dialogs[0]
    assert call["entity"] == "needs" and call["record_id"] is None and call["bus"] is page.bus
    assert call["template"]["title"] == "橋梁点検の効率化"
    assert call["template"]["facility_types"] == ["bridge", "road"]


def test_double_click_edits_and_new_opens_an_empty_dialog(qtbot, forum, dialogs):
    need = _need(forum, "橋梁点検の効率化", "福山市")
    page = _open(qtbot, NeedsPage, forum)
    rect = page.table.visualRect(page.model.index(0, 3))
    # A real double click starts with a press on the same row (QTest's DClick alone has none).
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialogs[-1]["record_id"] == need and dialogs[-1]["entity"] == "needs"
    page.new_button.click()
    assert dialogs[-1]["record_id"] is None and dialogs[-1]["template"] is None


def test_events_and_pitch_events_are_listed_apart(qtbot, forum, dialogs):
    planned = parse_planned("7月頃", FY).to_dict()
    held = records.create(forum, "events", {
        "title": "インフラメンテナンスフォーラム", "event_type": "forum", "planned": planned, "status": "held",
        "held_from": THIS_YEAR.isoformat(), "held_to": THIS_YEAR.isoformat(), "lg_codes": [code("福山市")],
        "participants": 120, "counts_as_forum": True,
    })
    records.create(forum, "events", {"title": "技術ピッチ", "event_type": "pitch_event", "planned": planned,
                                     "status": "planned", "lg_codes": []})
    events = _open(qtbot, EventsPage, forum)
    pitches = _open(qtbot, PitchEventsPage, forum)
    assert _count(events) == 1 and _count(pitches) == 1
    assert pitches.model.data(pitches.model.index(0, 1)) == "技術ピッチ"
    assert events.model.data(events.model.index(0, 3)) == "7月頃"

    pitches.new_record()
    assert dialogs[-1]["entity"] == "events" and dialogs[-1]["template"] == {"event_type": "pitch_event"}
    # A duplicate of a held event starts as planned, so the copy is never counted twice.
    _select(events, held.id)
    events.duplicate_selected()
    template = dialogs[-1]["template"]
    assert template["title"] == "インフラメンテナンスフォーラム" and template["status"] == "planned"
    assert template["held_from"] is None and template["participants"] is None


def test_a_list_page_speaks_english(qtbot, forum, english):
    need = _need(forum, "橋梁点検の効率化", "福山市", facilities=("bridge", "road"))
    page = _open(qtbot, NeedsPage, forum)
    assert page.year_combo.currentText() == f"FY{FY}" and page.count_label.text().startswith("1 ")
    row = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert row[2:4] == ["広島県福山市", "橋梁点検の効率化"]  # record and master data stay as they are
    assert page.status_combo.itemText(0) != "すべての状況" and page.pref_combo.itemText(1) != "鳥取県"
    _select(page, need)
    assert page.delete_button.toolTip() != "選んだ記録を削除します（Delete）"


def test_seeds_show_every_year_and_have_no_region_filter(qtbot, forum):
    records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                    "facility_types": ["bridge"], "registered_on": "2019-05-01"})
    page = _open(qtbot, SeedsPage, forum)
    assert page.year_combo.currentData() is None
    assert page.status_combo is None and page.pref_combo is None
    assert _count(page) == 1
    assert page.model.data(page.model.index(0, 4)) == "令和元年5月1日"


def test_a_change_elsewhere_refreshes_a_visible_page(qtbot, forum):
    page = _open(qtbot, NeedsPage, forum)
    assert _count(page) == 0
    _need(forum, "橋梁点検の効率化", "福山市")
    ops.announce(page, Changes.records("needs"))
    assert _count(page) == 1
    ops.announce(page, Changes.records("seeds"))  # not what the page shows: no reload
    assert _count(page) == 1


def test_a_record_saved_in_the_dialog_is_listed_and_selected(qtbot, forum, monkeypatch):
    _need(forum, "橋梁点検の効率化", "福山市")
    page = _open(qtbot, NeedsPage, forum)

    def open_record_dialog(parent, ctx, entity, record_id=None, template=None, bus=None):
        saved = records.create(ctx, entity, {
            "lg_code": code("尾道市"), "title": "港湾施設の点検", "facility_types": ["port"], "requirements": "-",
            "received_on": THIS_YEAR.isoformat(), "status": "open",
        })
        ops.announce(parent, saved.changes)  # as the real dialog does after saving (through ops)
        return saved

    fake = types.ModuleType("jcim_desktop.ui.dialogs")
    fake.open_record_dialog = open_record_dialog  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "jcim_desktop.ui.dialogs", fake)
    page.new_record()
    assert _count(page) == 2
    assert page.model.data(page.model.index(page.selected_row(), 3)) == "港湾施設の点検"
