"""Moving a matching on from the board is one dialog: the stage (the next one chosen, 不成立・中止
beside it), the date (today, written the Japanese way) and a note, with 「進める」 and
「キャンセル」; a date before the previous stage's is said under the date until it is put right."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from helpers import code
from jcim_desktop.services import matchings, records
from jcim_desktop.ui import language
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs.stage import StageDialog
from jcim_desktop.ui.pages.matchings import MatchingsPage
from language_walk import english_outside_allow_list, japanese_outside_data, record_runs, visible_texts

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

TODAY = dt.date.today()
CONSIDERED = TODAY - dt.timedelta(days=10)


def _pairing(ctx):  # type: ignore[no-untyped-def]
    need = records.create(ctx, "needs", {"lg_code": code("福山市"), "title": "トンネル覆工の打音検査",
                                         "facility_types": ["tunnel"], "requirements": "安価に",
                                         "received_on": CONSIDERED.isoformat(), "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                         "facility_types": ["tunnel"]})
    return matchings.create_matching(ctx, need.id, seed.id, considered_on=CONSIDERED)


def type_japanese(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def board(qtbot, forum):  # type: ignore[no-untyped-def]
    page = MatchingsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1024, 600)
    page.show()
    return page


def load(qtbot, page: MatchingsPage) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()


def when_the_dialog_opens(action: Callable[[StageDialog], None]) -> list[StageDialog]:
    """Run ``action`` on the stage dialog once it is up (it is modal); close it whatever happens."""
    seen: list[StageDialog] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StageDialog):
            QTimer.singleShot(10, handle)
            return
        seen.append(dialog)
        try:
            action(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, handle)
    return seen


def test_moving_a_matching_on_is_one_dialog_with_stage_date_and_note(qtbot, forum, board):
    pairing = _pairing(forum)
    load(qtbot, board)
    heard: list[str] = []
    board.bus.status_message.connect(heard.append)
    card = board.lists["considered"].item(0)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert board.advance_button.isEnabled()

    def fill(dialog: StageDialog) -> None:
        # The next stage is chosen; 不成立・中止 is offered beside it. Today, written the Japanese way.
        assert [dialog.stage_combo.itemText(i) for i in range(dialog.stage_combo.count())] == ["マッチング成立", "不成立・中止"]
        assert dialog.stage() == "established"
        assert dialog.on() == TODAY and dialog.date_edit.text() == f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
        assert (dialog.advance_button.text(), dialog.cancel_button.text()) == ("進める", "キャンセル")
        assert dialog.windowTitle() == "次の段階へ進める"
        # A date before マッチング検討's is said under the date, and 「進める」 waits …
        dialog.date_edit.setDate(QDate(CONSIDERED - dt.timedelta(days=5)))
        assert dialog.date_error.isVisible() and dialog.date_error.text().startswith("前の段階「マッチング検討」の日付")
        assert not dialog.advance_button.isEnabled()
        # … until it is right: then the message is gone.
        dialog.date_edit.setDate(QDate(TODAY - dt.timedelta(days=1)))
        assert not dialog.date_error.isVisible() and dialog.advance_button.isEnabled()
        dialog.note_edit.setFocus()
        type_japanese(dialog.note_edit, "第12回ピッチイベントで成立")
        qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)

    seen = when_the_dialog_opens(fill)
    with qtbot.waitSignal(board.loaded, timeout=10000):  # the change notice reloads the board
        qtbot.mouseClick(board.advance_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    yesterday = TODAY - dt.timedelta(days=1)
    assert records.get(forum, "matchings", pairing.id)["stages"] == [
        {"stage": "considered", "on": CONSIDERED.isoformat()},
        {"stage": "established", "on": yesterday.isoformat(), "note": "第12回ピッチイベントで成立"},
    ]
    assert board.lists["established"].count() == 1 and board.lists["considered"].count() == 0
    assert heard and heard[-1].startswith("「マッチング成立」を ")


def test_dropped_is_offered_and_enter_moves_on(qtbot, forum, board):
    pairing = _pairing(forum)
    load(qtbot, board)
    board.select_card(pairing.id)

    def choose_dropped(dialog: StageDialog) -> None:
        combo = dialog.stage_combo
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard picks 不成立・中止
        assert dialog.stage() == "dropped"
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)  # Enter is 「進める」

    seen = when_the_dialog_opens(choose_dropped)
    board.advance_selected()
    assert seen
    assert [s["stage"] for s in records.get(forum, "matchings", pairing.id)["stages"]] == ["considered", "dropped"]


def test_the_context_menu_preselects_its_stage_and_cancel_writes_nothing(qtbot, forum, board):
    pairing = _pairing(forum)
    load(qtbot, board)
    board.select_card(pairing.id)

    def cancel(dialog: StageDialog) -> None:
        assert dialog.stage() == "dropped"
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    seen = when_the_dialog_opens(cancel)
    board.advance_selected("dropped")
    assert seen and seen[0].saved is None
    assert len(records.get(forum, "matchings", pairing.id)["stages"]) == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_stage_dialog_speaks_one_language(qtbot, forum, lang):
    pairing = _pairing(forum)
    language.use_language(lang)
    try:
        dialog = StageDialog(forum, pairing.id)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.date_edit.setDate(QDate(CONSIDERED - dt.timedelta(days=1)))  # the date message shows too
        texts = visible_texts(dialog)
        runs = record_runs(forum)
        problems = japanese_outside_data(texts, runs) if lang == "en" else english_outside_allow_list(texts, runs)
        assert not problems, problems
        if lang == "en":
            assert (dialog.advance_button.text(), dialog.cancel_button.text()) == ("Move on", "Cancel")
            assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", dialog.date_edit.text())
    finally:
        language.use_language("ja")


@pytest.fixture
def colleague(forum):  # type: ignore[no-untyped-def]
    """佐藤, in a second window on the same data (a colleague on a shared database, or a second
    window): the board open here is not told of 佐藤's saves until it is read again."""
    from jcim_desktop.services.context import open_app

    ctx = open_app(forum.data_dir)
    ctx.settings.user_name = "佐藤"
    yield ctx
    ctx.close()


def test_a_card_a_colleague_moved_since_it_was_painted_is_not_moved_and_the_board_shows_the_move(
        qtbot, forum, board, colleague, monkeypatch):
    pairing = _pairing(forum)
    load(qtbot, board)
    assert board.lists["considered"].count() == 1
    matchings.advance_stage(colleague, pairing.id, "dropped", TODAY)  # the card still shows 検討
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a: shown.append(a[2]))
    with qtbot.waitSignal(board.loaded, timeout=10000):  # read again after the refusal
        board.move_to_stage(pairing.id, "established", TODAY)
    assert len(shown) == 1 and shown[0].startswith("このマッチングは、表示された後に佐藤さんが変更しました（")
    assert "段階は記録していません。ボードを読み込み直しました。" in shown[0]
    assert [s["stage"] for s in records.get(forum, "matchings", pairing.id)["stages"]] == ["considered", "dropped"]
    assert board.lists["considered"].count() == 0 and board.lists["dropped"].count() == 1


def test_the_dialog_refuses_a_move_on_stages_a_colleague_changed_and_shows_them_to_choose_again(
        qtbot, forum, board, colleague):
    pairing = _pairing(forum)
    load(qtbot, board)
    board.select_card(pairing.id)

    def colleague_moves_first(dialog: StageDialog) -> None:
        assert dialog.stage() == "established"
        matchings.advance_stage(colleague, pairing.id, "established", TODAY - dt.timedelta(days=2))
        qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)
        # Refused, said in the dialog; it now shows the stored stage and what may follow it.
        assert dialog.isVisible() and dialog.saved is None
        assert dialog.error_label.text().startswith("このマッチングは、表示された後に佐藤さんが変更しました（")
        assert "段階は記録していません。いまの段階を表示しました。" in dialog.error_label.text()
        assert dialog.error_label.isVisible()
        assert dialog.current_label.text().startswith("現在の段階: マッチング成立")
        offered = [dialog.stage_combo.itemData(i) for i in range(dialog.stage_combo.count())]
        assert "established" not in offered and dialog.stage() == offered[0]
        chosen = dialog.stage()
        qtbot.mouseClick(dialog.advance_button, Qt.MouseButton.LeftButton)  # chosen again: recorded
        assert dialog.saved is not None
        seen_stage.append(chosen)

    seen_stage: list[str] = []
    seen = when_the_dialog_opens(colleague_moves_first)
    board.advance_selected()
    assert seen and seen_stage
    assert [s["stage"] for s in records.get(forum, "matchings", pairing.id)["stages"]] == [
        "considered", "established", seen_stage[0]]
