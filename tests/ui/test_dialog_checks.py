"""What the entry dialogs say while a person types and when they save: a planned date that could
not be read or lies outside the year, e-mail and telephone, messages that go once the field is
right, the status bar after saving, and a form that stays put when 種別 becomes ピッチイベント."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from helpers import code
from jcim_desktop.services import records
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.matching import MatchingDialog
from jcim_desktop.ui.dialogs.need import NeedDialog
from jcim_desktop.ui.dialogs.seed import SeedDialog
from jcim_desktop.ui.dialogs.support import SupportDialog
from jcim_desktop.ui.dialogs.trial import TrialDialog
from jcim_desktop.ui.widgets.planned_date import PlannedDateEdit

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

UNREADABLE = "読み取れませんでした。例: 7月、第2四半期、2024-07-10、未定"
FUKUYAMA = code("福山市")


class Answers:
    """The questions the dialogs asked, answered ``yes`` (True) or not."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.yes = True

    def __call__(self, parent: Any, title: str, text: str, yes: str, no: str) -> bool:
        self.asked.append(text)
        return self.yes


@pytest.fixture(autouse=True)
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    found = Answers()
    monkeypatch.setattr(base, "ask", found)
    return found


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` as a person would: ASCII key by key, Japanese committed by the input method."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    type_text(qtbot, edit, text)


def open_dialog(qtbot, cls, ctx, **kwargs):  # type: ignore[no-untyped-def]
    dialog = cls(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def shown(dialog: QWidget, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text() if label.isVisibleTo(dialog) else ""


def _need_and_seed(ctx):  # type: ignore[no-untyped-def]
    need = records.create(ctx, "needs", {"lg_code": FUKUYAMA, "title": "河川堤防の点検", "facility_types": ["river"],
                                         "requirements": "安価に", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "株式会社ミライ計測", "tech_name": "SAR衛星変位モニタリング",
                                         "summary": "衛星", "facility_types": ["river"]})
    return need, seed


# -- the planned date ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ほげほげ", "13月", "R8.2.30"])
def test_a_planned_date_that_cannot_be_read_says_so_under_the_field(qtbot, typed):
    edit = PlannedDateEdit(2024)
    qtbot.addWidget(edit)
    edit.show()
    type_text(qtbot, edit.line_edit, typed)
    assert edit.warning.isVisible() and edit.warning.text() == UNREADABLE
    assert not edit.understood.isVisible()  # nothing was read: no 「→ 未定」 that looks like an answer
    assert edit.unreadable()

    # 未定 written on purpose is fine, and the warning goes.
    retype(qtbot, edit.line_edit, "未定")
    assert not edit.warning.isVisible() and not edit.unreadable()
    assert edit.description() == "→ 未定（令和6年度のうち）"


def test_a_clear_date_outside_the_chosen_year_is_pointed_out(qtbot):
    edit = PlannedDateEdit(2024)
    qtbot.addWidget(edit)
    edit.show()
    type_text(qtbot, edit.line_edit, "2025-07-10")
    assert edit.description() == "→ 令和7年7月10日（日単位）"
    assert edit.warning.text() == "令和6年度（令和6年4月1日～令和7年3月31日）の外です"
    # The person picks the year the date is in: the warning goes.
    edit.year_combo.setFocus()
    edit.year_combo.setCurrentIndex(edit.year_combo.findData(2025))
    assert not edit.warning.isVisible()
    # A quarter or a whole year is not a clear date: nothing to say.
    retype(qtbot, edit.line_edit, "第2四半期")
    assert not edit.warning.isVisible()


def test_the_planned_date_warnings_in_english(qtbot, english):
    edit = PlannedDateEdit(2024)
    qtbot.addWidget(edit)
    edit.show()
    qtbot.keyClicks(edit.line_edit, "R8.2.30")
    assert edit.warning.text() == "Could not read this date. For example: 2024-07, Q2, 2024-07-10, TBD"
    edit.line_edit.clear()
    qtbot.keyClicks(edit.line_edit, "2025-07-10")
    assert edit.warning.text() == "Outside FY2024 (Apr 1, 2024 – Mar 31, 2025)"


def test_saving_asks_before_an_unreadable_date_is_kept_as_undecided(qtbot, forum, answers):
    bus = ChangeBus()
    dialog = open_dialog(qtbot, EventDialog, forum, bus=bus)
    type_text(qtbot, dialog.title_edit, "中国フォーラム総会")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("forum"))
    type_text(qtbot, dialog.planned.line_edit, "ほげほげ")
    # A warning, not an error: saving asks.
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert dialog.message_label.text() == "保存できますが、次の項目を確かめてください: 開催予定日"
    assert shown(dialog, "plannedWarning") == UNREADABLE

    answers.yes = False  # 「入力に戻る」
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert answers.asked == ["開催予定日「ほげほげ」は日付として読み取れませんでした。日付未定（令和"
                             f"{dialog.planned.fiscal_year() - 2018}年度のうち）として保存しますか？"]
    assert dialog.isVisible() and records.count_records(forum, "events") == 0
    assert QApplication.focusWidget() is dialog.planned.line_edit

    answers.yes = True  # 「未定として保存」
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    (saved,) = records.list_records(forum, "events")
    assert saved["planned"]["text"] == "ほげほげ" and saved["planned"]["precision"] == "undecided"


def test_undecided_written_on_purpose_saves_without_a_question(qtbot, forum, answers):
    dialog = open_dialog(qtbot, EventDialog, forum)
    type_text(qtbot, dialog.title_edit, "中国フォーラム総会")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("forum"))
    type_text(qtbot, dialog.planned.line_edit, "未定")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    assert answers.asked == [] and records.count_records(forum, "events") == 1


# -- e-mail and telephone --------------------------------------------------------------------------


def test_email_and_telephone_are_checked_as_typed_and_the_message_goes_once_right(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum, template={
        "lg_code": FUKUYAMA, "title": "河川堤防の点検", "requirements": "安価に", "status": "open"})
    qtbot.waitUntil(dialog.save_button.isEnabled)
    email = dialog.form.findChild(QLineEdit, "contactEmailEdit")
    phone = dialog.form.findChild(QLineEdit, "contactPhoneEdit")

    email.setFocus()
    qtbot.keyClicks(email, "kasen@city")
    qtbot.waitUntil(lambda: "メールアドレス「kasen@city」の形式が正しくありません" in shown(dialog, "contactError"))
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(email, ".fukuyama.lg.jp")
    qtbot.waitUntil(lambda: shown(dialog, "contactError") == "")
    assert dialog.save_button.isEnabled()

    phone.setFocus()
    type_text(qtbot, phone, "084-928-内線")
    qtbot.waitUntil(lambda: "電話番号「084-928-内線」は、市外局番から数字とハイフンで入力してください（例: 082-123-4567）。"
                    in shown(dialog, "contactError"))
    assert not dialog.save_button.isEnabled()
    retype(qtbot, phone, "084-928-1111")
    qtbot.waitUntil(lambda: shown(dialog, "contactError") == "")
    dialog.save()
    (saved,) = records.list_records(forum, "needs")
    assert saved["contact"] == {"email": "kasen@city.fukuyama.lg.jp", "phone": "084-928-1111",
                                "name": None, "department": None}


def test_an_error_message_goes_as_soon_as_its_field_is_right(qtbot, forum):
    dialog = open_dialog(qtbot, NeedDialog, forum)
    received = dialog.form.findChild(QLineEdit, "receivedOnEdit")
    retype(qtbot, received, "R6.13.1")
    qtbot.waitUntil(lambda: "受付日" in shown(dialog, "receivedOnError"))
    assert "受付日" in dialog.message_label.text()
    retype(qtbot, received, "R6.7.1")
    qtbot.waitUntil(lambda: shown(dialog, "receivedOnError") == "")
    assert "受付日" not in dialog.message_label.text()
    dialog.discard_draft()


def test_choose_a_seed_goes_once_a_seed_is_chosen(qtbot, forum):
    _need_and_seed(forum)
    dialog = open_dialog(qtbot, EventDialog, forum, template={"event_type": "pitch_event", "title": "ピッチ"})
    dialog.tabs.setCurrentWidget(dialog.presentations_tab)
    qtbot.mouseClick(dialog.add_button_, Qt.MouseButton.LeftButton)
    assert dialog.presentations_error.text() == "発表するシーズ（技術）を検索して一覧から選んでください。"
    dialog.seed_link.search("SAR")
    dialog.seed_link.choose(0)
    assert not dialog.presentations_error.isVisible()
    dialog.discard_draft()


def test_a_stage_date_before_the_previous_one_is_said_at_once_and_goes_once_right(qtbot, forum):
    from jcim_desktop.services import matchings

    need, seed = _need_and_seed(forum)
    pairing = matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 6, 1))
    dialog = open_dialog(qtbot, MatchingDialog, forum, record_id=pairing.id)
    dialog.next_date.setDate(dt.date(2024, 5, 20))
    assert dialog.stages_error.text() == "前の段階「マッチング検討」の日付（令和6年6月1日）より前です。令和6年6月1日以降の日付にしてください。"
    assert not dialog.advance_button.isEnabled()
    dialog.next_date.setDate(dt.date(2024, 6, 1))
    assert not dialog.stages_error.isVisible() and dialog.advance_button.isEnabled()


# -- saved: the status bar -------------------------------------------------------------------------


def _saved_message(qtbot, dialog) -> str:  # type: ignore[no-untyped-def]
    heard: list[str] = []
    dialog.bus.status_message.connect(heard.append)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    return heard[-1]


def test_saving_each_record_says_so_in_the_status_bar(qtbot, forum):
    need, seed = _need_and_seed(forum)
    cases = [
        (NeedDialog, {"lg_code": FUKUYAMA, "title": "橋梁点検", "requirements": "x", "status": "open"},
         "自治体ニーズ「橋梁点検」を保存しました"),
        (SeedDialog, {"company": "株式会社ミライ計測", "tech_name": "ドローン点検", "summary": "x"},
         "シーズ（技術）「ドローン点検」を保存しました"),
        (EventDialog, {"title": "中国フォーラム総会", "event_type": "forum", "planned": {"text": "7月"}},
         "活動・行事「中国フォーラム総会」を保存しました"),
        (TrialDialog, {"title": "堤防変位の現場試行", "lg_code": FUKUYAMA, "planned": {"text": "10月"}},
         "実証実験「堤防変位の現場試行」を保存しました"),
        (SupportDialog, {"kind": "visit", "on": "2024-07-01", "lg_code": FUKUYAMA},
         "自治体支援「訪問（広島県福山市）」を保存しました"),
        (MatchingDialog, {"need_id": need.id, "seed_id": seed.id},
         "マッチング「広島県福山市｜河川堤防の点検 × 株式会社ミライ計測｜SAR衛星変位モニタリング」を保存しました"),
    ]
    for cls, template, message in cases:
        dialog = open_dialog(qtbot, cls, forum, template=template, bus=ChangeBus())
        assert _saved_message(qtbot, dialog) == message


def test_a_pitch_event_saved_from_activities_says_where_it_now_appears(qtbot, forum):
    # 活動・行事's 「新規」 opens the dialog without a type; the person chooses ピッチイベント.
    dialog = open_dialog(qtbot, EventDialog, forum, bus=ChangeBus())
    type_text(qtbot, dialog.title_edit, "第3回 中国ピッチ")
    type_text(qtbot, dialog.planned.line_edit, "7月")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    assert _saved_message(qtbot, dialog) == "ピッチイベント「第3回 中国ピッチ」を保存しました。ピッチイベントの一覧に表示されます。"

    # From ピッチイベント (its template) nothing moves: no word about another list.
    dialog = open_dialog(qtbot, EventDialog, forum, bus=ChangeBus(),
                         template={"event_type": "pitch_event", "title": "第4回 中国ピッチ", "planned": {"text": "9月"}})
    assert _saved_message(qtbot, dialog) == "ピッチイベント「第4回 中国ピッチ」を保存しました"

    # And back: a pitch event made a forum says it is in 活動・行事 now.
    stored = records.list_records(forum, "events", records.Query(text="第4回"))[0]
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=stored.id, bus=ChangeBus())
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("forum"))
    assert _saved_message(qtbot, dialog) == "活動・行事「第4回 中国ピッチ」を保存しました。活動・行事の一覧に表示されます。"


# -- 種別 = ピッチイベント: nothing moves under the mouse ------------------------------------------------


def test_choosing_pitch_event_does_not_move_the_form(qtbot, forum):
    dialog = open_dialog(qtbot, EventDialog, forum)
    dialog.resize(720, 640)
    fields = [dialog.title_edit, dialog.type_combo,
              *(dialog.form.findChild(QWidget, n) for n in ("seriesNoEdit", "statusCombo", "venueEdit")),
              dialog.planned.line_edit]

    def places() -> list[tuple[int, int, int, int]]:
        QApplication.processEvents()
        bar = dialog.tabs.tabBar()  # it gains a tab: only its width may change
        return [(*(w.mapTo(dialog, QPoint(0, 0)).toTuple()), w.width(), w.height()) for w in fields] + [
            (*bar.mapTo(dialog, QPoint(0, 0)).toTuple(), 0, bar.height())]

    before = places()
    # The mouse picks ピッチイベント in the 種別 list (keyboard: the same signal).
    dialog.type_combo.setFocus()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("pitch_event"))
    assert dialog.tabs.isTabVisible(dialog.tabs.indexOf(dialog.presentations_tab))
    assert places() == before
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("forum"))
    assert places() == before
    dialog.discard_draft()
