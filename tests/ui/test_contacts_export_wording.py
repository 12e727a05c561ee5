"""The window says plainly what personal data a file will hold (issue 13, point 5): beside the
sync page's 担当者連絡先 check box, and in the Excel export's question (連絡先を含める, off by
default), with the counts of needs and seeds whose contact goes into the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops, reports_menu
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.personal_data import ListExportDialog
from tests.helpers import code

pytestmark = pytest.mark.gui

NONE = "個人情報（担当者連絡先）は含まれません。"
CONTACT = {"name": "森川 千晶", "department": "道路維持課", "email": "chiaki.morikawa@city.fukuyama.lg.jp",
           "phone": "084-928-1234"}


def _need(ctx: AppContext, title: str, contact: dict[str, str] | None = CONTACT) -> Any:
    return records.create(ctx, "needs", {
        "lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "足場なしで",
        "received_on": dt.date.today().isoformat(), "status": "open", "contact": contact,
    })


def _seed(ctx: AppContext, contact: dict[str, str] | None = CONTACT) -> Any:
    return records.create(ctx, "seeds", {
        "company": "株式会社ブリッジテック", "tech_name": "床版下面の非破壊検査", "summary": "打音と画像で",
        "facility_types": ["bridge"], "contact": contact,
    })


@pytest.fixture
def window(qtbot, forum):  # type: ignore[no-untyped-def]
    _need(forum, "橋梁の床版を点検したい")
    _need(forum, "河川堤防の点検")
    _need(forum, "道路照明の支柱の点検", None)
    _seed(forum)
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.resize(1024, 680)
    win.show()
    yield win
    ops.wait_for_all()


# -- the sync page ----------------------------------------------------------------------------------


def test_the_sync_page_says_what_personal_data_the_package_holds(qtbot, window, forum, tmp_path):
    page = window.show_page("sync")
    label = page.personal_data_label
    assert not page.contacts_box.isChecked()
    assert label.isVisible() and label.text() == NONE

    qtbot.mouseClick(page.contacts_box, Qt.MouseButton.LeftButton)
    assert label.text() == ("このファイルには個人情報（自治体ニーズ 2 件・シーズ 1 件の担当者の"
                            "氏名・部署・メールアドレス・電話番号）が含まれます。")

    # A need with a contact typed elsewhere in the window: the count follows.
    window.show_page("needs")
    ops.perform(window, lambda: _need(forum, "下水道管路の調査"))
    window.show_page("sync")
    qtbot.waitUntil(lambda: "自治体ニーズ 3 件・シーズ 1 件" in label.text())

    # Written: the result says the package holds contacts, and has the room; the next choice brings the sentence back.
    with qtbot.waitSignal(page.export_finished, timeout=30000) as done:
        page.export_to(tmp_path / "chugoku.jcimsync", "org", True)
    assert done.args[0] is not None and done.args[0].includes_contacts
    assert "担当者連絡先を含み" in page.export_result.text() and not label.isVisible()
    qtbot.mouseClick(page.contacts_box, Qt.MouseButton.LeftButton)
    assert label.isVisible() and label.text() == NONE


def test_the_sync_page_says_it_in_english(qtbot, english, forum):
    _need(forum, "橋梁の床版を点検したい")
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("sync")
    assert page.personal_data_label.text() == "The file contains no personal data (no contact persons)."
    page.contacts_box.click()
    assert page.personal_data_label.text() == (
        "This file contains personal data: the name, department, e-mail address and phone number of the contact "
        "person of municipal needs (1) and technology seeds (0).")


# -- the Excel export of a list ---------------------------------------------------------------------


def _answer(qtbot, tick: bool, seen: list[str], ok: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Answer the export's question once it is shown: note what it says, tick 連絡先を含める if
    ``tick``, note what it says then, and press 保存先を選ぶ… (or キャンセル)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ListExportDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(f"checked={dialog.contacts_box.isChecked()}")
        seen.append(dialog.personal_data_label.text())
        if tick:
            box = dialog.contacts_box
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # its indicator
            seen.append(dialog.personal_data_label.text())
        buttons = dialog.findChild(QDialogButtonBox)
        button = buttons.button(QDialogButtonBox.StandardButton.Ok if ok else QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def _export(qtbot, window: MainWindow, page_id: str, target: Path, monkeypatch,  # type: ignore[no-untyped-def]
            answer: Callable[[], None]) -> None:
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(reports_menu, "open_file", lambda path: None)
    window.show_page(page_id)
    answer()
    with qtbot.waitSignal(window.bus.status_message, timeout=60000):
        window.reports_menu.list_xlsx()


def _cells(path: Path) -> list[str]:
    return [str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row if v is not None]


def test_the_needs_list_is_exported_without_contacts_unless_ticked(qtbot, window, tmp_path, monkeypatch):
    seen: list[str] = []
    plain = tmp_path / "plain.xlsx"
    _export(qtbot, window, "needs", plain, monkeypatch, lambda: _answer(qtbot, False, seen))
    assert seen == ["checked=False", NONE]
    cells = _cells(plain)
    assert "橋梁の床版を点検したい" in cells
    assert not [v for v in CONTACT.values() if v in cells] and "担当者メールアドレス" not in cells

    seen.clear()
    full = tmp_path / "full.xlsx"
    _export(qtbot, window, "needs", full, monkeypatch, lambda: _answer(qtbot, True, seen))
    assert seen == ["checked=False", NONE, "このファイルには個人情報（自治体ニーズ 2 件の担当者の"
                    "氏名・部署・メールアドレス・電話番号）が含まれます。"]
    cells = _cells(full)
    assert "担当者メールアドレス" in cells and all(v in cells for v in CONTACT.values())


def test_the_seeds_list_names_only_seeds(qtbot, window, tmp_path, monkeypatch):
    seen: list[str] = []
    _export(qtbot, window, "seeds", tmp_path / "seeds.xlsx", monkeypatch, lambda: _answer(qtbot, True, seen))
    assert seen[-1] == "このファイルには個人情報（シーズ 1 件の担当者の氏名・部署・メールアドレス・電話番号）が含まれます。"
    assert CONTACT["phone"] in _cells(tmp_path / "seeds.xlsx")


def test_cancelling_the_question_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    asked: list[object] = []
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: asked.append(a))
    window.show_page("needs")
    seen: list[str] = []
    _answer(qtbot, True, seen, ok=False)
    window.reports_menu.list_xlsx()
    assert len(seen) == 3 and asked == []  # asked, then cancelled before any file was chosen


def test_a_list_without_contacts_is_exported_without_the_question(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_contacts",
                        lambda self, *a: pytest.fail("a list of activities has no contacts to ask about"))
    target = tmp_path / "events.xlsx"
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(reports_menu, "open_file", lambda path: None)
    window.show_page("events")
    with qtbot.waitSignal(window.bus.status_message, timeout=60000):
        window.reports_menu.list_xlsx()
    assert target.exists()


def test_the_question_says_it_in_english(qtbot, english, forum):
    _need(forum, "橋梁の床版を点検したい")
    dialog = ListExportDialog(forum, "needs", "自治体ニーズ")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.contacts_box.text() == "Include contacts"
    dialog.contacts_box.click()
    assert dialog.personal_data_label.text() == (
        "This file contains personal data: the name, department, e-mail address and phone number of the contact "
        "person of municipal needs (1).")
