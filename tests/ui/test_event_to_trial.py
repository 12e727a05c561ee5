"""The event dialog says when a title reads as a field trial, and turns the event into a trial
(the KPI effect shown first, one change notice for both records); a new one opens the trial
dialog with what was typed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from helpers import code
from jcim_desktop.errors import UserError
from jcim_desktop.services import conversion, events, matchings, records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import language, ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.convert_trial import ConvertToTrialDialog
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.trial import TrialDialog
from language_walk import english_outside_allow_list, japanese_outside_data, record_runs, visible_texts

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

WARNING = "実証実験・現場試行のようです。実証実験として記録すると現場試行数に数えられます。"


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No modal question blocks a test: 「保存せずに閉じますか」 and the like answer yes."""
    asked: list[str] = []
    monkeypatch.setattr(base, "ask", lambda parent, title, text, yes, no: asked.append(text) or True)
    return asked


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a person would: ASCII key by key, Japanese committed by the input method."""
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


def _held(ctx: AppContext, title: str, lg: tuple[str, ...] = ("福山市",), **extra: Any) -> records.Record:
    return records.create(ctx, "events", {
        "title": title, "event_type": "forum", "planned": events.planned_from_text("未定 (10月)", 2024),
        "status": "held", "held_from": "2024-10-10", "held_to": "2024-10-11",
        "lg_codes": [code(n) for n in lg], "counts_as_forum": True, **extra,
    })


def _figures(ctx: AppContext) -> dict[str, int]:
    return {k: v["by_org"]["chugoku"] for k, v in tally(ctx, 2024)["kpis"].items() if "by_org" in v}


def _hint_shown(dialog: EventDialog) -> bool:
    return dialog.form.findChild(QWidget, "trialHint").isVisibleTo(dialog)


def _answer_conversion(monkeypatch: pytest.MonkeyPatch, act: Any) -> list[ConvertToTrialDialog]:
    """Replace the confirmation's modal run by ``act(dialog)`` (which looks and clicks)."""
    seen: list[ConvertToTrialDialog] = []

    def run(self: ConvertToTrialDialog) -> int:
        seen.append(self)
        self.show()
        act(self)
        return int(self.result())

    monkeypatch.setattr(ConvertToTrialDialog, "exec", run)
    return seen


def test_the_warning_appears_for_a_trial_title_and_goes_for_a_forum(qtbot, forum: AppContext) -> None:
    dialog = open_dialog(qtbot, EventDialog, forum)
    title = dialog.form.findChild(QWidget, "titleEdit")
    assert not _hint_shown(dialog)
    type_text(qtbot, title, "第3回実証試験")
    assert _hint_shown(dialog)
    assert dialog.form.findChild(QLabel, "trialHintLabel").text() == WARNING
    assert dialog.trial_button.text() == "実証実験として入力する…"
    title.clear()
    type_text(qtbot, title, "フォーラム")
    assert not _hint_shown(dialog)


def test_converting_a_held_event_moves_the_figures_as_previewed(qtbot, forum: AppContext, monkeypatch) -> None:
    _held(forum, "中国フォーラム総会", ("福山市", "広島市"))
    event = _held(forum, "第3回実証試験（福山市）", description="橋面舗装の試験施工")
    before = _figures(forum)
    bus = ChangeBus()
    heard: list[Changes] = []
    bus.changed.connect(heard.append)
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id, bus=bus)
    assert _hint_shown(dialog) and dialog.trial_button.text() == "実証実験に変える…"

    def look_and_convert(confirm: ConvertToTrialDialog) -> None:
        assert confirm.windowTitle() == "実証実験に変える"
        assert [confirm.convert_button.text(), confirm.cancel_button.text()] == ["変える", "キャンセル"]
        assert confirm.effect_title.text() == "令和6年度（2024）の中国フォーラムの数値（KPI）は次のように変わります。"
        assert confirm.effect_label.text().splitlines() == [
            "フォーラム実施数: 2 → 1",
            "現場試行数: 0 → 1",
            f"マッチング・現場試行・実装実施数: {before['matching_total']} → {before['matching_total'] + 1}",
        ]
        assert records.count_records(forum, "trials") == 0  # nothing written while it asks
        qtbot.mouseClick(confirm.convert_button, Qt.MouseButton.LeftButton)

    _answer_conversion(monkeypatch, look_and_convert)
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved is None
    after = _figures(forum)
    assert (after["forums_held"], after["field_trials"], after["matching_total"]) == (
        1, 1, before["matching_total"] + 1)
    assert records.get(forum, "events", event.id, include_deleted=True).deleted
    [trial] = records.list_records(forum, "trials")
    assert (trial["title"], trial["series_no"], trial["lg_code"], trial["status"]) == (
        "第3回実証試験（福山市）", 3, code("福山市"), "held")
    assert (trial["held_from"], trial["held_to"]) == ("2024-10-10", "2024-10-11")
    assert trial["result"] == "内容: 橋面舗装の試験施工"
    assert dialog.converted is not None and dialog.converted.trial.id == trial.id
    assert len(heard) == 1 and heard[0].touches("events") and heard[0].touches("trials") and heard[0].kpis


def test_an_event_in_several_municipalities_asks_which_one(qtbot, forum: AppContext, monkeypatch) -> None:
    event = _held(forum, "現場試行", ("福山市", "尾道市"))

    def choose(confirm: ConvertToTrialDialog) -> None:
        assert confirm.lg_combo is not None and not confirm.convert_button.isEnabled()
        assert confirm.effect_label.text() == "自治体を選ぶと、数値がどう変わるかを表示します。"
        assert [confirm.lg_combo.itemText(i) for i in range(2)] == ["広島県福山市", "広島県尾道市"]
        confirm.lg_combo.setCurrentIndex(1)
        assert confirm.convert_button.isEnabled()
        assert "現場試行数: 0 → 1" in confirm.effect_label.text().splitlines()
        assert "支援自治体数: 2 → 1" in confirm.effect_label.text().splitlines()
        qtbot.mouseClick(confirm.convert_button, Qt.MouseButton.LeftButton)

    _answer_conversion(monkeypatch, choose)
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)
    [trial] = records.list_records(forum, "trials")
    assert trial["lg_code"] == code("尾道市")


def test_cancelling_writes_nothing(qtbot, forum: AppContext, monkeypatch) -> None:
    event = _held(forum, "第4回実証試験")
    _answer_conversion(monkeypatch, lambda confirm: qtbot.mouseClick(confirm.cancel_button, Qt.MouseButton.LeftButton))
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.converted is None
    assert not records.get(forum, "events", event.id).deleted and records.count_records(forum, "trials") == 0


def test_a_pitch_event_referred_to_is_refused_with_the_message(qtbot, forum: AppContext, monkeypatch) -> None:
    pitch = _held(forum, "ピッチ（実証試験の候補）", event_type="pitch_event")
    need = records.create(forum, "needs", {"lg_code": code("福山市"), "title": "橋梁点検", "facility_types": ["bridge"],
                                           "requirements": "安く", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI", "summary": "AI",
                                           "facility_types": ["bridge"]})
    matching = matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 11, 1))
    records.update(forum, "matchings", matching.id, {"pitch_event_id": pitch.id})
    shown: list[str] = []
    monkeypatch.setattr(ops, "show_error", lambda parent, exc, trace="": shown.append(exc.message))
    asked = _answer_conversion(monkeypatch, lambda confirm: pytest.fail("no confirmation for a refused event"))
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=pitch.id)
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)
    assert shown == [conversion.refusal(forum, pitch.id)] and "ピッチイベントとして参照されているため" in shown[0]
    assert not asked and dialog.isVisible()
    assert not records.get(forum, "events", pitch.id).deleted and records.count_records(forum, "trials") == 0


def test_unsaved_changes_are_saved_before_converting(qtbot, forum: AppContext, monkeypatch, _never_block) -> None:
    event = _held(forum, "中国フォーラム")
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
    assert not _hint_shown(dialog)
    title = dialog.form.findChild(QWidget, "titleEdit")
    title.clear()
    type_text(qtbot, title, "第5回実証試験")
    assert _hint_shown(dialog)
    _answer_conversion(monkeypatch, lambda confirm: qtbot.mouseClick(confirm.convert_button, Qt.MouseButton.LeftButton))
    qtbot.waitUntil(dialog.save_button.isEnabled)
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)
    assert _never_block[-1] == "入力した変更を保存してから、実証実験に変えます。よろしいですか？"
    assert dialog.result() == QDialog.DialogCode.Accepted
    [trial] = records.list_records(forum, "trials")
    assert trial["title"] == "第5回実証試験" and trial["series_no"] == 5
    assert records.get(forum, "events", event.id, include_deleted=True)["title"] == "第5回実証試験"


def test_a_new_event_is_entered_as_a_trial_with_what_was_typed(qtbot, forum: AppContext, monkeypatch) -> None:
    opened: list[TrialDialog] = []

    def fill_and_save(self: TrialDialog) -> int:
        opened.append(self)
        self.show()
        assert self.fields["title"].get() == "第6回実証試験（福山市）"
        assert self.fields["series_no"].get() == "6"
        assert self.fields["planned"].get()["text"] == "11月頃"
        assert self.municipality.code() == code("福山市")
        self.save()
        return int(self.result())

    monkeypatch.setattr(TrialDialog, "exec", fill_and_save)
    dialog = open_dialog(qtbot, EventDialog, forum)
    type_text(qtbot, dialog.form.findChild(QWidget, "titleEdit"), "第6回実証試験（福山市）")
    type_text(qtbot, dialog.planned.line_edit, "11月頃")
    dialog.municipalities.set_codes([code("福山市")])
    qtbot.mouseClick(dialog.trial_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].saved is not None
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.saved is None
    assert records.count_records(forum, "events") == 0
    [trial] = records.list_records(forum, "trials")
    assert (trial["title"], trial["lg_code"], trial["status"]) == ("第6回実証試験（福山市）", code("福山市"), "planned")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_warning_and_the_confirmation_speak_one_language(qtbot, forum: AppContext, lang: str) -> None:
    event = _held(forum, "第7回実証試験", ("福山市", "尾道市"))
    assert language.use_language(lang) == lang
    try:
        dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
        confirm = ConvertToTrialDialog(forum, records.get(forum, "events", event.id), dialog)
        qtbot.addWidget(confirm)
        confirm.show()
        assert confirm.lg_combo is not None
        confirm.lg_combo.setCurrentIndex(0)
        runs = record_runs(forum)
        for widget in (dialog, confirm):
            texts = visible_texts(widget)
            problems = japanese_outside_data(texts, runs) if lang == "en" else english_outside_allow_list(texts, runs)
            assert not problems, problems
        if lang == "en":
            assert dialog.trial_button.text() == "Convert to a field trial…"
            assert confirm.convert_button.text() == "Convert"
    finally:
        language.use_language("ja")


def test_the_service_refuses_what_the_dialog_refuses(forum: AppContext) -> None:
    event = _held(forum, "第8回実証試験")
    assert conversion.refusal(forum, event.id) is None
    with pytest.raises(UserError):
        conversion.refusal(forum, "00000000-0000-0000-0000-000000000000")


def test_the_confirmation_says_when_the_year_is_closed(qtbot, secretariat: AppContext) -> None:
    from jcim_desktop.services import closing
    from jcim_desktop.ui import fmt

    event = _held(secretariat, "第9回実証試験")
    closing.close_year(secretariat, 2024)
    confirm = ConvertToTrialDialog(secretariat, records.get(secretariat, "events", event.id))
    qtbot.addWidget(confirm)
    confirm.show()
    assert confirm.closed_label.isVisibleTo(confirm)
    assert confirm.closed_label.text() == (
        f"{fmt.fy_short(2024)}は確定済みです。確定した数値は変わらず、変わるのは集計し直した数値だけです。")
    assert confirm.convert_button.isEnabled()
