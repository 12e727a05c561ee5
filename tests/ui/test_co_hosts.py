"""共催 in the window: chosen in the event dialog, shown in the lists of every org that held it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QLineEdit, QScrollArea, QWidget

from jcim_desktop.services import events, records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.pages.list_page import EventsPage, PitchEventsPage
from jcim_desktop.ui.widgets.orgs import CoHostsEdit, OrgChooser

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]

FY = current_fiscal_year()
HELD = dt.date(FY, 8, 20)
TECHCON = "インフラテクコン 表彰式"
NEW_EVENT = {"title": TECHCON, "event_type": "forum", "planned": events.planned_from_text("8月", FY),
             "status": "planned"}


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "ask", lambda *args: True)


@pytest.fixture
def kanto(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("kanto")  # type: ignore[no-any-return]


def show(qtbot, widget: QWidget, size: tuple[int, int] | None = None) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_page(qtbot, page_class, ctx: AppContext, bus: ChangeBus | None = None):  # type: ignore[no-untyped-def]
    page = page_class(ctx, bus or ChangeBus())
    show(qtbot, page, (1200, 600))
    page.activate()
    page.year_combo.setCurrentIndex(0)  # すべての年度
    return page


def cell(page, record_id: str, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> str:  # type: ignore[no-untyped-def]
    row = page.model.row_of(record_id)
    assert row >= 0, "the record is not in the list"
    column = [c.key for c in page.model.columns].index(key)
    return str(page.model.index(row, column).data(role))


def listed(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {page.model.record_id(row) for row in range(page.model.rowCount(QModelIndex()))}


def chooser_of(qtbot, edit: CoHostsEdit) -> OrgChooser:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: edit.chooser is not None and edit.chooser.isVisible())
    assert edit.chooser is not None
    return edit.chooser


def held_event(ctx: AppContext, title: str, co_hosts: list[str], event_type: str = "forum") -> str:
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("8月", FY), "status": "held",
        "held_from": HELD.isoformat(), "held_to": HELD.isoformat(), "lg_codes": [], "counts_as_forum": True,
        "co_hosts": co_hosts,
    }).id


def receive(source: AppContext, target: AppContext, folder: Path) -> None:
    path = folder / f"{source.org}.jcimsync"
    sync.export_package(source, path)
    sync.add_trust(target, source.public_key, [source.org])
    (outcome,) = sync.import_packages(target, [path])
    assert outcome.status == "accepted", outcome.reason


def test_co_hosts_chosen_by_keyboard_and_mouse_are_saved_listed_and_shown_again(qtbot, kanto):
    bus = ChangeBus()
    page = open_page(qtbot, EventsPage, kanto, bus)
    dialog = show(qtbot, EventDialog(kanto, template=NEW_EVENT, bus=bus))
    edit = dialog.co_hosts
    assert edit.line.text() == "" and edit.line.placeholderText() == "なし（単独で開催）"

    # Keyboard: Tab from 会場 reaches 「選ぶ…」, Space opens the chooser; Tab to 中国フォーラム,
    # Space ticks it, Enter is 決定.
    venue = dialog.form.findChild(QLineEdit, "venueEdit")
    venue.setFocus()
    qtbot.waitUntil(venue.hasFocus)
    qtbot.keyClick(venue, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is edit.button
    qtbot.keyClick(edit.button, Qt.Key.Key_Space)
    chooser = chooser_of(qtbot, edit)
    assert "kanto" not in chooser.boxes  # the owner holds it already: not offered
    assert set(chooser.boxes) == {"hokkaido", "tohoku", "hokuriku", "chubu", "kinki", "chugoku", "shikoku", "kyushu",
                                  "okinawa", "innovative_tech", "overseas", "municipal_support", "engineer_training",
                                  "citizen", "planning", "pr", "mayors_council", "secretariat"}
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chooser.checkbox("hokkaido"))
    for _ in range(len(chooser.boxes)):
        if QApplication.focusWidget() is chooser.checkbox("chugoku"):
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is chooser.checkbox("chugoku")
    qtbot.keyClick(chooser.checkbox("chugoku"), Qt.Key.Key_Space)
    qtbot.keyClick(chooser.checkbox("chugoku"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: edit.chooser is None)
    assert edit.value() == ["chugoku"] and edit.line.text() == "中国"

    # Mouse: 「選ぶ…」, tick 四国フォーラム, 決定.
    qtbot.mouseClick(edit.button, Qt.MouseButton.LeftButton)
    chooser = chooser_of(qtbot, edit)
    assert chooser.checkbox("chugoku").isChecked()
    box = chooser.checkbox("shikoku")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit.chooser is None)
    assert edit.line.text() == "中国、四国"
    assert edit.line.toolTip() == "中国フォーラム、四国フォーラム"

    # Closing the chooser brings the entry dialog back, on 「選ぶ…」; Ctrl+S saves.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is edit.button
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.saved is not None)
    saved = dialog.saved
    assert saved is not None and records.get(kanto, "events", saved.id).data["co_hosts"] == ["chugoku", "shikoku"]

    # The list (told of the change by ops) shows them in its 共催 column.
    qtbot.waitUntil(lambda: page.model.row_of(saved.id) >= 0)
    assert page.model.headers[-1] == "共催"
    assert cell(page, saved.id, "owner") == "関東フォーラム"
    assert cell(page, saved.id, "co_hosts") == "中国、四国"
    assert cell(page, saved.id, "co_hosts", Qt.ItemDataRole.ToolTipRole) == "中国フォーラム、四国フォーラム"

    # Opened again, the dialog shows them chosen.
    again = show(qtbot, EventDialog(kanto, saved.id))
    assert again.co_hosts.line.text() == "中国、四国"
    again.co_hosts.button.click()
    chooser = chooser_of(qtbot, again.co_hosts)
    assert {code for code, box in chooser.boxes.items() if box.isChecked()} == {"chugoku", "shikoku"}
    chooser.reject()
    assert again.co_hosts.value() == ["chugoku", "shikoku"] and not again.is_dirty()


def test_cancelling_the_chooser_changes_nothing(qtbot, kanto):
    dialog = show(qtbot, EventDialog(kanto, template={**NEW_EVENT, "co_hosts": ["kinki"]}))
    dialog.co_hosts.button.click()
    chooser = chooser_of(qtbot, dialog.co_hosts)
    chooser.checkbox("kinki").setChecked(False)
    chooser.checkbox("tohoku").setChecked(True)
    qtbot.keyClick(chooser.checkbox("tohoku"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.co_hosts.chooser is None)
    assert dialog.co_hosts.value() == ["kinki"]
    dialog.co_hosts.button.click()
    chooser = chooser_of(qtbot, dialog.co_hosts)
    qtbot.mouseClick(chooser.clear_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.co_hosts.chooser is None)
    assert dialog.co_hosts.value() == [] and dialog.data()["co_hosts"] == []


def test_the_secretariat_cannot_name_the_owner_a_co_host(qtbot, secretariat):
    dialog = show(qtbot, EventDialog(secretariat, template={**NEW_EVENT, "co_hosts": ["citizen", "planning"]}))
    dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findData("planning"))
    assert dialog.co_hosts.value() == ["citizen"]
    dialog.co_hosts.button.click()
    chooser = chooser_of(qtbot, dialog.co_hosts)
    assert "planning" not in chooser.boxes and "secretariat" in chooser.boxes
    chooser.reject()


def test_a_co_host_sees_the_joint_event_read_only_in_its_own_list_and_search(qtbot, kanto, forum, tmp_path):
    techcon = held_event(kanto, TECHCON, ["chugoku"])
    pitch = held_event(kanto, "合同ピッチ 関東・中国", ["chugoku"], event_type="pitch_event")
    held_event(kanto, "関東フォーラム総会", [])
    receive(kanto, forum, tmp_path)
    own = held_event(forum, "中国フォーラム総会", [])

    page = open_page(qtbot, EventsPage, forum)
    assert page.org_combo is not None and page.org_combo.currentData() is None  # すべての組織
    assert len(listed(page)) == 3
    page.org_combo.setCurrentIndex(1)
    assert page.org_combo.currentText() == "自組織（中国フォーラム）"
    qtbot.waitUntil(lambda: listed(page) == {techcon, own})
    assert cell(page, techcon, "owner") == "関東フォーラム" and cell(page, techcon, "co_hosts") == "中国"
    assert page.count_label.text().startswith("2")

    page.org_combo.setCurrentIndex(0)
    page.search.setText("中国")
    qtbot.waitUntil(lambda: listed(page) == {techcon, own})

    pitches = open_page(qtbot, PitchEventsPage, forum)
    pitches.org_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: listed(pitches) == {pitch})
    assert cell(pitches, pitch, "co_hosts") == "中国"

    # Another org's record: shown, not editable.
    dialog = show(qtbot, EventDialog(forum, techcon))
    assert dialog.read_only
    assert dialog.co_hosts.line.text() == "中国" and not dialog.co_hosts.button.isEnabled()


def _elided_labels(root: QWidget) -> list[str]:
    return [label.text() for label in root.findChildren(QLabel)
            if label.isVisibleTo(root) and label.text() and not label.wordWrap()
            and label.sizeHint().width() > label.width()]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_dialog_and_the_chooser_fit_1024_by_680(qtbot, kanto, lang, request):
    if lang == "en":
        request.getfixturevalue("english")
    dialog = show(qtbot, EventDialog(kanto, template={**NEW_EVENT, "co_hosts": ["mayors_council", "innovative_tech"]}))
    assert dialog.width() <= 1024 and dialog.height() <= 680
    scroll = dialog.form.findChild(QScrollArea, "basicScroll")
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert not _elided_labels(dialog)
    row = dialog.co_hosts
    assert row.button.width() >= row.button.sizeHint().width()
    label = dialog.form.findChild(QLabel, "coHostsLabel")
    assert label.text() == ("共催した組織" if lang == "ja" else "Co-hosts")
    assert label.buddy() is row.button

    row.button.click()
    chooser = chooser_of(qtbot, row)
    assert chooser.width() <= 1024 and chooser.height() <= 680
    assert not _elided_labels(chooser)
    for box in chooser.boxes.values():
        assert box.width() >= box.sizeHint().width(), box.text()
    assert not [a for a in chooser.findChildren(QAbstractScrollArea) if a.isVisible()]
    chooser.reject()
