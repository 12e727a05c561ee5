"""An entry dialog whose record someone else saved meanwhile: 保存 shows the conflict view (what
happened, both values side by side) instead of writing over the colleague's change; the person
keeps the colleague's version (reloaded) or saves theirs over it.

Two people on one database: two windows on one data folder (two contexts on one SQLite file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from helpers import NEED
from jcim_desktop.services import drafts, events, matchings, records
from jcim_desktop.services.context import AppContext, init_installation, open_app
from jcim_desktop.ui import labels
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.edit_conflict import EditConflictDialog
from jcim_desktop.ui.dialogs.matching import MatchingDialog
from jcim_desktop.ui.dialogs.need import NeedDialog

pytestmark = [pytest.mark.gui, pytest.mark.sqlite_only,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

THEIR_TITLE = "河川堤防の夜間点検"
MY_REQUIREMENTS = "車両が入れない区間を安価に点検したい"


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "ask", lambda *args: True)


@pytest.fixture
def two_windows(tmp_path: Path) -> Iterator[tuple[AppContext, AppContext]]:
    """(山田's window, 佐藤's window): two contexts on one data folder."""
    yamada = init_installation("secretariat", tmp_path / "shared", user_name="山田")
    sato = open_app(tmp_path / "shared")
    sato.settings.user_name = "佐藤"
    yield yamada, sato
    sato.close()
    yamada.close()


def opened_and_changed_meanwhile(qtbot, two_windows) -> tuple[NeedDialog, records.Record]:  # type: ignore[no-untyped-def]
    """佐藤 opens a need and types new requirements; 山田 saves a new title meanwhile."""
    yamada, sato = two_windows
    need = records.create(yamada, "needs", NEED)
    dialog = NeedDialog(sato, record_id=need.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    requirements = dialog.form.findChild(QPlainTextEdit, "requirementsEdit")
    qtbot.mouseClick(requirements.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    requirements.setPlainText(MY_REQUIREMENTS)
    theirs = records.update(yamada, "needs", need.id, {"title": THEIR_TITLE}, expected_hlc=need.hlc)
    return dialog, theirs


def press_save(qtbot, dialog) -> EditConflictDialog:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = dialog.conflict_view
    assert isinstance(view, EditConflictDialog)
    qtbot.waitExposed(view)
    return view


def test_saving_over_a_colleagues_change_shows_both_values_and_writes_nothing(qtbot, two_windows):
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    view = press_save(qtbot, dialog)

    text = view.message_label.text()
    assert "山田さんが変更しました" in text and "保存していません" in text
    title, requirements = labels.field("needs", "title"), labels.field("needs", "requirements")
    assert view.rows() == [
        [title, THEIR_TITLE, NEED["title"]],
        [requirements, NEED["requirements"], MY_REQUIREMENTS],
    ]
    # The colleague changed the title (coloured); the requirements are the person's own change.
    assert [view.model.is_differing_row(row) for row in range(2)] == [True, False]
    assert "山田さんが保存した内容" in view.model.headerData(0, Qt.Orientation.Horizontal)
    assert records.get(dialog.ctx, "needs", theirs.id) == theirs  # nothing written


def test_keeping_the_colleagues_version_reloads_it_and_drops_the_input(qtbot, two_windows):
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    view = press_save(qtbot, dialog)
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)

    assert dialog.conflict_view is None and dialog.isVisible()
    assert dialog.form.findChild(QLineEdit, "titleEdit").text() == THEIR_TITLE
    assert dialog.form.findChild(QPlainTextEdit, "requirementsEdit").toPlainText() == NEED["requirements"]
    assert not dialog.is_dirty()
    assert records.get(dialog.ctx, "needs", theirs.id) == theirs
    # Editing on from the colleague's version saves without a conflict.
    dialog.form.findChild(QLineEdit, "surveyEdit").setText("現地確認済み")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.conflict_view is None and dialog.saved is not None
    stored = records.get(dialog.ctx, "needs", theirs.id)
    assert (stored["title"], stored["survey"]) == (THEIR_TITLE, "現地確認済み")


def test_saving_mine_over_it_is_a_deliberate_save_of_the_input(qtbot, two_windows):
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    view = press_save(qtbot, dialog)
    qtbot.mouseClick(view.mine_button, Qt.MouseButton.LeftButton)

    stored = records.get(dialog.ctx, "needs", theirs.id)
    assert (stored["title"], stored["requirements"]) == (NEED["title"], MY_REQUIREMENTS)
    assert dialog.saved == stored and dialog.result() == dialog.DialogCode.Accepted


def test_from_the_keyboard_escape_goes_back_to_the_input_and_tab_reaches_the_choices(qtbot, two_windows):
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    view = press_save(qtbot, dialog)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert dialog.conflict_view is None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert "保存していません" in dialog.message_label.text()
    assert dialog.form.findChild(QPlainTextEdit, "requirementsEdit").toPlainText() == MY_REQUIREMENTS
    assert records.get(dialog.ctx, "needs", theirs.id) == theirs

    # 保存 again (Ctrl+S) shows the view again; Tab leaves the table for the first choice.
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    view = dialog.conflict_view
    assert isinstance(view, EditConflictDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    assert view.focusWidget() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert view.focusWidget() is view.keep_button
    qtbot.keyClick(view.keep_button, Qt.Key.Key_Space)
    assert dialog.form.findChild(QLineEdit, "titleEdit").text() == THEIR_TITLE


def test_a_record_deleted_meanwhile_cannot_be_saved_over_and_closing_discards(qtbot, two_windows):
    yamada, _sato = two_windows
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    records.delete(yamada, "needs", theirs.id, expected_hlc=theirs.hlc)
    view = press_save(qtbot, dialog)
    assert "山田さんが削除しました" in view.message_label.text()
    assert not view.mine_button.isVisible()
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.saved is None
    assert records.get(yamada, "needs", theirs.id, include_deleted=True).deleted


def test_a_stage_recorded_while_a_colleague_changed_the_matching_keeps_the_form_from_writing_over_it(
        qtbot, two_windows):  # type: ignore[no-untyped-def]
    yamada, sato = two_windows
    need = records.create(yamada, "needs", NEED)
    seed = records.create(yamada, "seeds", {"tech_name": "SAR衛星による変位監視", "company": "株式会社テスト",
                                             "summary": "衛星", "facility_types": ["river"]})
    event = records.create(yamada, "events", {"title": "ピッチ", "event_type": "pitch_event", "status": "planned",
                                              "planned": events.planned_from_text("7月", 2024), "lg_codes": [], "counts_as_forum": False})
    matching = records.create(yamada, "matchings", {"need_id": need.id, "seed_id": seed.id,
                                                    "stages": [{"stage": "considered", "on": "2024-06-01"}]})
    dialog = MatchingDialog(sato, record_id=matching.id)
    qtbot.addWidget(dialog)
    dialog.show()
    records.update(yamada, "matchings", matching.id, {"pitch_event_id": event.id}, expected_hlc=matching.hlc)
    dialog.next_stage.setCurrentIndex(dialog.next_stage.findData("established"))
    qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)
    assert [s["stage"] for s in records.get(sato, "matchings", matching.id)["stages"]] == ["considered", "established"]

    view = press_save(qtbot, dialog)  # the form would have cleared 山田's pitch event
    assert [row[0] for row in view.rows()] == [labels.field("matchings", "pitch_event_id")]
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = records.get(sato, "matchings", matching.id)
    assert stored["pitch_event_id"] == event.id and len(stored["stages"]) == 2


def test_a_stage_a_colleague_recorded_meanwhile_refuses_the_next_and_the_table_shows_it(qtbot, two_windows):
    yamada, sato = two_windows
    need = records.create(yamada, "needs", NEED)
    seed = records.create(yamada, "seeds", {"tech_name": "SAR衛星による変位監視", "company": "株式会社テスト",
                                             "summary": "衛星", "facility_types": ["river"]})
    matching = records.create(yamada, "matchings", {"need_id": need.id, "seed_id": seed.id,
                                                    "stages": [{"stage": "considered", "on": "2024-06-01"}]})
    dialog = MatchingDialog(sato, record_id=matching.id)
    qtbot.addWidget(dialog)
    dialog.show()
    matchings.advance_stage(yamada, matching.id, "dropped", dt.date(2024, 6, 10))
    dialog.next_stage.setCurrentIndex(dialog.next_stage.findData("established"))
    qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)
    assert "山田さんが変更しました" in dialog.stages_error.text() and dialog.stages_error.isVisible()
    assert [s["stage"] for s in records.get(sato, "matchings", matching.id)["stages"]] == ["considered", "dropped"]
    assert dialog.table.rowCount() == 2  # 山田's 不成立 shown
    # Chosen again on what is stored (検討 again, reopening it): recorded.
    dialog.next_stage.setCurrentIndex(dialog.next_stage.findData("considered"))
    qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)
    assert [s["stage"] for s in records.get(sato, "matchings", matching.id)["stages"]] == [
        "considered", "dropped", "considered"]


def test_input_restored_after_a_crash_is_checked_against_the_version_it_was_typed_on(qtbot, two_windows):
    yamada, sato = two_windows
    dialog, theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    dialog.write_draft()  # the draft of 佐藤's input, typed on the version before 山田's save
    (draft,) = drafts.pending_drafts(sato)
    dialog.hide()  # the window died with the input unsaved

    restored = NeedDialog(sato, record_id=theirs.id, draft=draft)
    qtbot.addWidget(restored)
    restored.show()
    qtbot.waitExposed(restored)
    assert restored.form.findChild(QPlainTextEdit, "requirementsEdit").toPlainText() == MY_REQUIREMENTS
    view = press_save(qtbot, restored)
    assert [row[1:] for row in view.rows()] == [[THEIR_TITLE, NEED["title"]],
                                                [NEED["requirements"], MY_REQUIREMENTS]]
    assert records.get(yamada, "needs", theirs.id) == theirs


def test_the_view_fits_the_smallest_window_in_english(qtbot, two_windows, english):
    dialog, _theirs = opened_and_changed_meanwhile(qtbot, two_windows)
    view = press_save(qtbot, dialog)
    assert view.mine_button.text() == "Save my input over it"
    assert "has not been saved" in view.message_label.text()
    hint = view.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 680
    assert view.width() <= 1024 and view.height() <= 680
