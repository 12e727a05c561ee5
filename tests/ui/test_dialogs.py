"""The entry dialogs: typing a record in, live validation, closing, drafts and restore, owners, links."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from helpers import transfer
from jcim_desktop.services import drafts, events, matchings, records, tally, trials
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import open_app
from jcim_desktop.ui import dialogs
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.matching import MatchingDialog
from jcim_desktop.ui.dialogs.need import NeedDialog
from jcim_desktop.ui.dialogs.trial import TrialDialog
from jcim_desktop.ui.forms import load_form
from jcim_desktop.ui.widgets.municipality import MunicipalityPicker
from jcim_desktop.ui.widgets.planned_date import PlannedDateEdit
from jcim_desktop.ui.widgets.record_link import RecordLinkEdit

# Popups (the completers) make the offscreen platform say what it cannot do; that is not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")

FUKUYAMA = "342076"
ENTITIES = ("events", "needs", "seeds", "matchings", "trials", "support_activities")


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No test may open a real modal question (teardown closes dialogs that still hold input)."""
    asked: list[str] = []

    def fake_ask(parent, title, text, yes, no):  # type: ignore[no-untyped-def]
        asked.append(text)
        return True

    monkeypatch.setattr(base, "ask", fake_ask)
    return asked


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` as a person would: ASCII key by key, Japanese committed by the input method.

    (QTest's key clicks only know ASCII.)"""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def open_dialog(qtbot, cls, ctx, **kwargs):  # type: ignore[no-untyped-def]
    dialog = cls(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def pick_municipality(qtbot, picker: MunicipalityPicker, typed: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, picker.line_edit, typed)
    assert wanted in picker.suggestions()
    popup = picker.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(picker.model.index(picker.suggestions().index(wanted)))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.line_edit.text() == wanted


def error_text(dialog: QWidget, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text() if label.isVisibleTo(dialog) else ""


def fill_need(qtbot, dialog: NeedDialog, title: str = "河川堤防の点検") -> None:  # type: ignore[no-untyped-def]
    pick_municipality(qtbot, dialog.municipality, "ふくやま", "広島県福山市")
    if title:
        type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), title)
    type_text(qtbot, dialog.form.findChild(QWidget, "requirementsEdit"), "車両が入れない区間を安価に点検したい")
    for code in ("river", "sabo"):
        box = dialog.facility_types.checkbox(code)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())


# -- the forms and widgets ------------------------------------------------------------------------


@pytest.mark.gui
@pytest.mark.parametrize("name", [f"{e}_dialog.ui" for e in ("event", "need", "seed", "matching", "trial", "support")])
def test_each_designer_form_loads_with_a_form_layout_and_japanese_buttons(qtbot, name):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    assert load_form(name, dialog) is dialog
    assert dialog.findChild(QFormLayout, "formLayout") is not None
    assert dialog.findChild(QDialogButtonBox, "buttonBox") is not None
    assert dialog.windowTitle()


@pytest.mark.gui
def test_the_loader_translates_a_form_in_its_class_context(qtbot, english):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    load_form("event_dialog.ui", dialog)
    box = dialog.findChild(QCheckBox, "countsAsForumCheck")
    assert box.text() == "Count towards forums held (KPI)"  # EventDialog context of the catalogue


@pytest.mark.gui
@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize("who", ["forum", "secretariat"])
def test_every_dialog_opens_for_both_roles_and_closes_without_asking(qtbot, request, entity, who, _never_block):
    ctx = request.getfixturevalue(who)
    dialog = open_dialog(qtbot, dialogs.dialog_class(entity), ctx)
    assert dialog.windowTitle().endswith("新規登録")
    assert not dialog.save_button.isEnabled()
    assert dialog.save_button.text() == "保存" and dialog.cancel_button.text() == "キャンセル"
    dialog.reject()
    assert not dialog.isVisible()
    assert _never_block == []


@pytest.mark.gui
@pytest.mark.parametrize("typed", ["福山", "ふくやま", "ﾌｸﾔﾏ", "34207"])
def test_the_municipality_picker_finds_fukuyama_however_it_is_typed(qtbot, qtmodeltester, forum, typed):
    picker = MunicipalityPicker(forum.registry)
    qtbot.addWidget(picker)
    picker.show()
    type_text(qtbot, picker.line_edit, typed)
    assert "広島県福山市" in picker.suggestions()
    qtmodeltester.check(picker.model)
    with qtbot.waitSignal(picker.changed):
        picker.choose(picker.suggestions().index("広島県福山市"))
    assert picker.code() == FUKUYAMA
    # Editing the text again forgets the choice until something is picked.
    qtbot.keyClick(picker.line_edit, Qt.Key.Key_Backspace)
    assert picker.code() is None


@pytest.mark.gui
def test_the_planned_date_field_shows_live_what_it_understood(qtbot):
    edit = PlannedDateEdit(2024)
    qtbot.addWidget(edit)
    type_text(qtbot, edit.line_edit, "第2四半期")
    assert edit.description() == "→ 令和6年7月1日～令和6年9月30日（四半期単位）"
    assert edit.value() == {"text": "第2四半期", "start": "2024-07-01", "end": "2024-09-30",
                            "precision": "quarter", "tentative": False}
    edit.line_edit.setText("2月")
    assert edit.value()["start"] == "2025-02-01"  # 1〜3月 belong to the next calendar year
    edit.set_fiscal_year(2025)
    assert edit.value()["start"] == "2026-02-01"


@pytest.mark.gui
def test_the_event_dialog_reads_planned_dates_in_the_records_fiscal_year(qtbot, forum):
    event = records.create(forum, "events", {
        "title": "第1回 中国ピッチ", "event_type": "pitch_event", "status": "planned", "lg_codes": [],
        "planned": events.planned_from_text("6月", 2024), "counts_as_forum": False,
    })
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
    assert dialog.planned.fiscal_year() == 2024
    dialog.planned.line_edit.clear()
    type_text(qtbot, dialog.planned.line_edit, "第2四半期")
    assert "令和6年7月1日～令和6年9月30日" in dialog.planned.description()


@pytest.mark.gui
def test_the_planned_date_field_reads_back_in_english(qtbot, english):
    edit = PlannedDateEdit(2024)
    qtbot.addWidget(edit)
    edit.line_edit.setText("Q2")
    assert edit.description() == "→ Jul 1, 2024 – Sep 30, 2024 · Quarter"
    edit.line_edit.setText("7月頃")
    assert edit.description() == "→ Jul 1, 2024 – Jul 31, 2024 · Month, tentative"


@pytest.mark.gui
def test_facility_types_are_checkboxes(qtbot):
    from jcim_desktop.domain.vocab import FACILITY_TYPES
    from jcim_desktop.ui.widgets.facility_types import FacilityTypesEdit

    edit = FacilityTypesEdit()
    qtbot.addWidget(edit)
    assert [b.text() for b in edit.boxes.values()] == list(FACILITY_TYPES.values())
    edit.set_value(["bridge", "road"])
    assert edit.value() == ["road", "bridge"]


@pytest.mark.gui
def test_a_record_link_searches_and_shows_readable_labels(qtbot, qtmodeltester, forum):
    records.create(forum, "needs", {"lg_code": FUKUYAMA, "title": "河川堤防の点検", "facility_types": ["river"],
                                    "requirements": "安価に", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(forum, "seeds", {"company": "株式会社ミライ計測", "tech_name": "SAR衛星変位モニタリング",
                                           "summary": "衛星で変位を測る", "facility_types": ["river"]})
    need_link = RecordLinkEdit(forum, "needs")
    qtbot.addWidget(need_link)
    assert need_link.search("ふくやま") == ["広島県福山市｜河川堤防の点検"]
    qtmodeltester.check(need_link.model)
    seed_link = RecordLinkEdit(forum, "seeds")
    qtbot.addWidget(seed_link)
    assert seed_link.search("ﾐﾗｲ") == ["株式会社ミライ計測｜SAR衛星変位モニタリング"]
    with qtbot.waitSignal(seed_link.changed):
        seed_link.choose(0)
    assert seed_link.record_id() == seed.id
    seed_link.set_record_id(None)
    assert seed_link.record_id() is None and seed_link.text() == ""


# -- creating, validating, closing -----------------------------------------------------------------


@pytest.mark.gui
def test_a_need_typed_into_its_dialog_is_saved_listed_and_still_there_after_a_restart(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    fill_need(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None

    found = records.list_records(forum, "needs", records.Query(text="河川堤防"))
    assert [(r.owner, r["lg_code"], r["title"], r["facility_types"]) for r in found] == [
        ("chugoku", FUKUYAMA, "河川堤防の点検", ["river", "sabo"])
    ]
    assert found[0]["received_on"] == dt.date.today().isoformat()
    assert drafts.pending_drafts(forum) == []

    folder = forum.data_dir
    forum.close()
    reopened = open_app(folder)
    try:
        again = records.list_records(reopened, "needs", records.Query(lg_code=FUKUYAMA))
        assert [r["title"] for r in again] == ["河川堤防の点検"]
    finally:
        reopened.close()


@pytest.mark.gui
def test_an_empty_title_is_shown_beside_the_field_save_is_disabled_and_nothing_is_saved(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    fill_need(qtbot, dialog, title="")
    title = dialog.form.findChild(QWidget, "titleEdit")
    type_text(qtbot, title, "仮")
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: error_text(dialog, "titleError") == "技術テーマを入力してください。")
    label = dialog.findChild(QLabel, "titleError")
    row, _ = dialog.form_layout.getWidgetPosition(label)
    assert dialog.form_layout.getWidgetPosition(title)[0] == row - 1  # right under the field
    assert "#c62828" in label.styleSheet()
    assert not dialog.save_button.isEnabled()
    assert "技術テーマ" in dialog.message_label.text()
    # Untouched fields are not shouted at; fields already fine show nothing.
    assert error_text(dialog, "lgCodeError") == ""

    dialog.save()  # even if reached (a shortcut), nothing is written
    assert dialog.isVisible()
    assert records.count_records(forum, "needs") == 0

    type_text(qtbot, title, "河川堤防の点検")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert error_text(dialog, "titleError") == ""


@pytest.mark.gui
def test_an_unreadable_date_is_explained_in_japanese(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    received = dialog.form.findChild(QWidget, "receivedOnEdit")
    received.clear()
    type_text(qtbot, received, "R6.13.1")
    qtbot.waitUntil(lambda: "受付日" in error_text(dialog, "receivedOnError"))
    received.setText("令和6年7月1日")
    assert dialog.data()["received_on"] == "2024-07-01"


@pytest.mark.gui
def test_errors_from_the_service_on_save_are_shown_the_same_way(qtbot, forum):
    need = records.create(forum, "needs", {"lg_code": FUKUYAMA, "title": "点検", "facility_types": [],
                                           "requirements": "x", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(forum, "seeds", {"company": "A社", "tech_name": "技術", "summary": "s", "facility_types": []})
    dialog = open_dialog(qtbot, MatchingDialog, forum, template={"need_id": need.id, "seed_id": seed.id})
    qtbot.waitUntil(dialog.save_button.isEnabled)
    records.delete(forum, "seeds", seed.id)  # gone between typing and saving
    dialog.save()
    assert "見つかりません" in error_text(dialog, "seedIdError")
    assert records.count_records(forum, "matchings") == 0


@pytest.mark.gui
def test_closing_with_unsaved_changes_asks_first(qtbot, forum, monkeypatch):
    answers: list[bool] = []
    asked: list[str] = []

    def fake_ask(parent, title, text, yes, no):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(base, "ask", fake_ask)
    dialog = open_dialog(qtbot, NeedDialog, forum)
    dialog.reject()  # nothing typed: closes without asking
    assert asked == [] and not dialog.isVisible()

    dialog = open_dialog(qtbot, NeedDialog, forum)
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "橋梁点検")
    answers.append(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["変更を保存せずに閉じますか？"]
    assert dialog.isVisible()
    answers.append(False)
    dialog.close()  # the window's close button
    assert dialog.isVisible() and len(asked) == 2
    answers.append(True)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and len(asked) == 3
    assert records.count_records(forum, "needs") == 0
    assert drafts.pending_drafts(forum) == []  # discarded deliberately


# -- drafts --------------------------------------------------------------------------------------


@pytest.mark.gui
def test_what_is_typed_is_kept_as_a_draft_and_offered_on_the_next_start(qtbot, forum, monkeypatch):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    pick_municipality(qtbot, dialog.municipality, "福山", "広島県福山市")
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "道路照明の点検")
    qtbot.waitUntil(lambda: any(d.data.get("title") == "道路照明の点検" for d in drafts.pending_drafts(forum)))
    (draft,) = drafts.pending_drafts(forum)
    assert draft.entity == "needs" and draft.record_id is None and draft.data["lg_code"] == FUKUYAMA
    assert not list((forum.data_dir / "drafts").glob("*.tmp"))

    # The program dies: the dialog is never closed.
    dialog._draft_timer.stop()
    dialog._validate_timer.stop()
    dialog.saved = None
    folder = forum.data_dir
    forum.close()
    ctx = open_app(folder)
    try:
        offered: list[int] = []
        monkeypatch.setattr(dialogs, "ask_restore", lambda parent, pending: offered.append(len(pending)) or "restore")
        opened: list[base.RecordDialog] = []

        def fake_exec(self):  # type: ignore[no-untyped-def]
            opened.append(self)
            qtbot.addWidget(self)
            return 0

        monkeypatch.setattr(base.RecordDialog, "exec", fake_exec)
        monkeypatch.setattr(dialogs, "_run", lambda d: (d.exec(), d.saved)[1])
        assert dialogs.restore_drafts(None, ctx) == 1
        assert offered == [1]
        (restored,) = opened
        assert isinstance(restored, NeedDialog)
        assert restored.form.findChild(QWidget, "titleEdit").text() == "道路照明の点検"
        assert restored.municipality.code() == FUKUYAMA
        assert restored.is_dirty()

        type_text(qtbot, restored.form.findChild(QWidget, "requirementsEdit"), "夜間に点検したい")
        qtbot.waitUntil(restored.save_button.isEnabled)
        restored.save()
        assert [r["title"] for r in records.list_records(ctx, "needs")] == ["道路照明の点検"]
        assert drafts.pending_drafts(ctx) == []
    finally:
        ctx.close()


@pytest.mark.gui
def test_restoring_can_be_declined(qtbot, forum, monkeypatch):
    drafts.save_draft(forum, "abc", "seeds", None, {"company": "B社"})
    monkeypatch.setattr(dialogs, "ask_restore", lambda parent, pending: "later")
    assert dialogs.restore_drafts(None, forum) == 0
    assert len(drafts.pending_drafts(forum)) == 1  # offered again next time
    monkeypatch.setattr(dialogs, "ask_restore", lambda parent, pending: "discard")
    assert dialogs.restore_drafts(None, forum) == 0
    assert drafts.pending_drafts(forum) == []


def test_drafts_are_written_atomically_and_bad_files_are_skipped(forum):
    path = drafts.save_draft(forum, "k1", "needs", None, {"title": "橋"}, owner="chugoku", extra={"x": 1})
    assert json.loads(path.read_text(encoding="utf-8"))["data"] == {"title": "橋"}
    drafts.save_draft(forum, "k1", "needs", None, {"title": "橋梁"})
    Path(path.parent / "broken.json").write_text("{not json", encoding="utf-8")
    assert [(d.key, d.data) for d in drafts.pending_drafts(forum)] == [("k1", {"title": "橋梁"})]
    with pytest.raises(ValueError):
        drafts.save_draft(forum, "../escape", "needs", None, {})
    drafts.discard_draft(forum, "k1")
    drafts.discard_draft(forum, "k1")  # twice is fine
    assert drafts.pending_drafts(forum) == []


# -- owners --------------------------------------------------------------------------------------


@pytest.mark.gui
def test_the_secretariat_chooses_the_owner_and_a_forum_does_not_see_the_choice(qtbot, secretariat, forum):
    dialog = open_dialog(qtbot, NeedDialog, secretariat)
    combo = dialog.owner_combo
    assert combo.isVisibleTo(dialog)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "事務局" in names and "革新的技術フォーラム" in names and "中国フォーラム" not in names
    assert combo.currentData() == "secretariat"
    combo.setCurrentIndex(combo.findData("innovative_tech"))
    fill_need(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    assert dialog.saved is not None and dialog.saved.owner == "innovative_tech"

    forum_dialog = open_dialog(qtbot, NeedDialog, forum)
    assert not forum_dialog.owner_combo.isVisibleTo(forum_dialog)


@pytest.mark.gui
def test_a_record_of_another_organisation_opens_read_only(qtbot, forum, secretariat):
    theirs = records.create(secretariat, "seeds", {"company": "C社", "tech_name": "技術", "summary": "s",
                                                   "facility_types": []}, owner="innovative_tech")
    transfer(secretariat, forum)
    dialog = open_dialog(qtbot, dialogs.dialog_class("seeds"), forum, record_id=theirs.id)
    assert dialog.windowTitle().endswith("（閲覧のみ）")
    assert not dialog.save_button.isVisible() and dialog.cancel_button.text() == "閉じる"
    assert "革新的技術フォーラム" in dialog.message_label.text()


# -- events, matchings, trials -------------------------------------------------------------------


def _need_and_seed(ctx):  # type: ignore[no-untyped-def]
    need = records.create(ctx, "needs", {"lg_code": FUKUYAMA, "title": "河川堤防の点検", "facility_types": ["river"],
                                         "requirements": "安価に", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "株式会社ミライ計測", "tech_name": "SAR衛星変位モニタリング",
                                         "summary": "衛星", "facility_types": ["river"]})
    return need, seed


@pytest.mark.gui
def test_a_pitch_event_is_saved_with_its_presentations(qtbot, forum):
    need, seed = _need_and_seed(forum)
    dialog = open_dialog(qtbot, EventDialog, forum)
    assert not dialog.tabs.isTabVisible(dialog.tabs.indexOf(dialog.presentations_tab))
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "第3回 中国ピッチ")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    assert dialog.tabs.isTabVisible(dialog.tabs.indexOf(dialog.presentations_tab))
    assert dialog.windowTitle() == "ピッチイベントの新規登録"
    type_text(qtbot, dialog.planned.line_edit, "7月頃")
    dialog.seed_link.search("ミライ")
    dialog.seed_link.choose(0)
    dialog.need_link.search("福山")
    dialog.need_link.choose(0)
    qtbot.mouseClick(dialog.add_button_, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "株式会社ミライ計測｜SAR衛星変位モニタリング"
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (shown,) = events.presentations_of(forum, dialog.saved.id)
    assert (shown["seed_id"], shown["need_id"], shown["order"]) == (seed.id, need.id, 1)


@pytest.mark.gui
def test_the_held_dates_appear_when_the_event_is_marked_held(qtbot, forum):
    dialog = open_dialog(qtbot, EventDialog, forum)
    held = dialog.form.findChild(QWidget, "heldFromEdit")
    assert not held.isVisibleTo(dialog)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("held"))
    assert held.isVisibleTo(dialog)
    dialog.validate_now()
    assert "実施日" in dialog.errors.get("held_from", "")


@pytest.mark.gui
def test_a_forum_typed_into_its_dialog_counts_in_forums_held(qtbot, forum):
    """A forum-type event entered by hand counts in フォーラム実施数, as an imported one does."""
    dialog = open_dialog(qtbot, EventDialog, forum)
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "中国インフラメンテナンス・フォーラム")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("forum"))
    type_text(qtbot, dialog.planned.line_edit, "7月")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("held"))
    type_text(qtbot, dialog.form.findChild(QWidget, "heldFromEdit"), "2024-07-10")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    forums_held = tally.tally(forum, 2024)["kpis"]["forums_held"]
    assert forums_held["total"] == 1 and forums_held["by_org"]["chugoku"] == 1


@pytest.mark.gui
def test_the_forum_box_follows_the_type_until_the_person_sets_it(qtbot, forum):
    dialog = open_dialog(qtbot, EventDialog, forum)
    box = dialog.form.findChild(QCheckBox, "countsAsForumCheck")
    assert not box.isChecked()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    assert box.isChecked()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("outreach_class"))
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())  # the person decides
    assert box.isChecked()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("meeting"))
    assert box.isChecked()

    stored = records.create(forum, "events", {
        "title": "数えないフォーラム", "event_type": "forum", "status": "planned", "lg_codes": [],
        "planned": events.planned_from_text("6月", 2024), "counts_as_forum": False,
    })
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=stored.id)
    box = dialog.form.findChild(QCheckBox, "countsAsForumCheck")
    assert not box.isChecked()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("seminar"))
    assert not box.isChecked()  # a stored event keeps its value


@pytest.mark.gui
def test_saving_an_event_with_its_presentations_is_announced_once(qtbot, forum):
    need, seed = _need_and_seed(forum)
    bus = ChangeBus()
    heard: list[Changes] = []
    bus.changed.connect(heard.append)
    dialog = open_dialog(qtbot, EventDialog, forum, bus=bus)
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "ピッチ")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    type_text(qtbot, dialog.planned.line_edit, "7月")
    dialog.seed_link.search("SAR")
    dialog.seed_link.choose(0)
    dialog.add_pending_presentation()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(heard) == 1
    assert heard[0].touches("events") and heard[0].touches("pitch_presentations") and heard[0].kpis


@pytest.mark.gui
def test_a_matching_links_need_and_seed_and_moves_to_the_next_allowed_stage(qtbot, forum):
    need, seed = _need_and_seed(forum)
    dialog = open_dialog(qtbot, MatchingDialog, forum)
    dialog.links["need_id"].search("ふくやま")
    dialog.links["need_id"].choose(0)
    dialog.links["seed_id"].search("SAR")
    dialog.links["seed_id"].choose(0)
    dialog.considered_on.setText("2024-06-01")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    saved = dialog.saved
    assert saved is not None and saved["stages"] == [{"stage": "considered", "on": "2024-06-01"}]

    dialog = open_dialog(qtbot, MatchingDialog, forum, record_id=saved.id)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "マッチング検討"
    offered = [dialog.next_stage.itemData(i) for i in range(dialog.next_stage.count())]
    assert offered == ["established", "dropped"]  # domain.matching.allowed_next
    dialog.next_stage.setCurrentIndex(0)
    dialog.next_date.setDate(dt.date(2024, 9, 1))
    qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)
    assert [s.stage for s in matchings.stage_history(forum, saved.id)] == ["considered", "established"]
    assert dialog.table.item(1, 0).text() == "令和6年9月1日"
    assert dialog.table.rowCount() == 2 and not dialog.is_dirty()
    assert [dialog.next_stage.itemData(i) for i in range(dialog.next_stage.count())] == ["implemented", "dropped"]


@pytest.mark.gui
def test_a_trial_picks_up_what_its_matching_says(qtbot, forum):
    need, seed = _need_and_seed(forum)
    pairing = matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 6, 1))
    dialog = open_dialog(qtbot, TrialDialog, forum)
    dialog.links["matching_id"].search("福山")
    dialog.links["matching_id"].choose(0)
    assert dialog.links["matching_id"].record_id() == pairing.id
    assert dialog.links["need_id"].record_id() == need.id and dialog.links["seed_id"].record_id() == seed.id
    assert dialog.municipality.code() == FUKUYAMA
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "堤防変位の現場試行")
    type_text(qtbot, dialog.planned.line_edit, "第3四半期")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    assert dialog.saved is not None and dialog.saved["matching_id"] == pairing.id


def test_what_a_trial_takes_from_its_matching(forum):
    need, seed = _need_and_seed(forum)
    pairing = matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 6, 1))
    assert trials.copied_from_matching(forum, pairing.id) == {
        "need_id": need.id, "seed_id": seed.id, "lg_code": FUKUYAMA,
    }
    records.delete(forum, "needs", need.id)
    assert trials.copied_from_matching(forum, pairing.id) == {"need_id": need.id, "seed_id": seed.id}
    assert trials.copied_from_matching(forum, "00000000-0000-4000-8000-000000000000") == {}


@pytest.mark.gui
def test_a_duplicate_starts_from_the_template(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum, template={"lg_code": FUKUYAMA, "title": "複製元", "status": "open"})
    assert dialog.municipality.code() == FUKUYAMA
    assert dialog.form.findChild(QWidget, "titleEdit").text() == "複製元"
    assert not dialog.is_dirty()


@pytest.mark.gui
def test_enter_moves_to_the_next_field_and_only_ctrl_s_saves(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    fill_need(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    title = dialog.form.findChild(QWidget, "titleEdit")
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert dialog.isVisible() and records.count_records(forum, "needs") == 0
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and records.count_records(forum, "needs") == 1


@pytest.mark.gui
def test_a_pitch_event_draft_keeps_the_presentations_not_yet_registered(qtbot, forum):
    need, seed = _need_and_seed(forum)
    dialog = open_dialog(qtbot, EventDialog, forum)
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "ピッチ")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    dialog.seed_link.search("SAR")
    dialog.seed_link.choose(0)
    dialog.add_pending_presentation()
    dialog.write_draft()
    (draft,) = drafts.pending_drafts(forum)
    assert draft.extra["added"][0]["seed_id"] == seed.id

    restored = open_dialog(qtbot, EventDialog, forum, draft=draft)
    assert restored.table.rowCount() == 1 and restored.draft_key == draft.key
    assert restored.tabs.isTabVisible(restored.tabs.indexOf(restored.presentations_tab))
