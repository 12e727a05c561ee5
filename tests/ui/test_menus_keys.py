"""Menus and keys: sync and report actions from the menus, mnemonics, Enter and F2 open the selected
record, Ctrl+Z in a text field undoes the typing while 削除を取り消す names what it restores, and
the sidebar's 競合 entry counts the open conflicts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from helpers import code, transfer
from jcim_desktop.services import matchings, records, sync
from jcim_desktop.ui import ops, reports_menu
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.list_page import ListPage
from jcim_desktop.ui.pages.matchings import MatchingsPage
from jcim_desktop.ui.pages.sync import conflicts as conflicts_module
from jcim_desktop.ui.pages.sync.dialogs import ImportPreviewDialog
from jcim_desktop.ui.pages.sync.page import SyncPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]
TIMEOUT = 20_000
MNEMONIC = re.compile(r"(?<!&)&([^&])")  # && is an ampersand, not a mnemonic


def _need(ctx, title: str = "橋梁点検の省力化", received: str = "2024-06-01"):  # type: ignore[no-untyped-def]
    return records.create(ctx, "needs", {
        "lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "安価に",
        "received_on": received, "status": "open",
    })


@pytest.fixture
def window(qtbot, forum):  # type: ignore[no-untyped-def]
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_for_all()


def _menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "").startswith(title):
            return menu
    raise AssertionError(title)


def _action(menu: QMenu, text: str) -> QAction:
    found = [a for a in menu.actions() if a.text().replace("&", "").startswith(text)]
    assert len(found) == 1, (text, [a.text() for a in menu.actions()])
    return found[0]


def _list_page(window: MainWindow, page_id: str) -> ListPage:
    page = window.show_page(page_id)
    assert isinstance(page, ListPage)
    ops.wait_for_all()  # the list loads off the GUI thread
    return page


# The ファイル and レポート menus ------------------------------------------------------------------

def test_sync_actions_are_in_the_file_menu_and_run_the_sync_page_s_own(qtbot, monkeypatch, window, tmp_path):
    _need(window.ctx)
    file_menu = _menu(window, "ファイル")
    captions: list[str] = []

    def save(parent, caption, directory, filter_="", *a, **k):  # type: ignore[no-untyped-def]
        captions.append(caption)
        return str(tmp_path / ("鍵.pub" if "公開鍵" in caption else "送る.jcimsync")), filter_

    def open_many(parent, caption, *a, **k):  # type: ignore[no-untyped-def]
        captions.append(caption)
        return [], ""

    def open_one(parent, caption, *a, **k):  # type: ignore[no-untyped-def]
        captions.append(caption)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_many))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_one))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text, *a: told.append(text)))

    window.show_page("dashboard")
    page = window.page_at([c.page_id for c in window.page_classes].index("sync"))
    assert isinstance(page, SyncPage)
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as exported:
        _action(file_menu, "同期パッケージを書き出す").trigger()
    assert window.current_page() is page  # the page shows the outcome
    assert exported.args[0] is not None and (tmp_path / "送る.jcimsync").exists()
    _action(file_menu, "同期パッケージを取り込む").trigger()
    _action(file_menu, "公開鍵を書き出す").trigger()
    assert (tmp_path / "鍵.pub").read_text().strip() == window.ctx.public_key and told
    _action(file_menu, "鍵を信頼する").trigger()
    assert captions == ["同期パッケージの書き出し", "同期パッケージの取り込み", "公開鍵の書き出し", "信頼する公開鍵のファイル"]


def test_every_report_action_reaches_its_questions(qtbot, monkeypatch, window):
    asked: list[str] = []
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_kpi_report", lambda self: asked.append("KPI 実績報告"))
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_year", lambda self, title: asked.append(title))
    # The needs list asks first whether to include the contacts (personal data).
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_contacts",
                        lambda self, page_id, title, query: (asked.append("連絡先を含めるか"), False)[1])
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda parent, title, *a: asked.append(title))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda parent, caption, *a, **k: (asked.append(caption), ("", ""))[1]))
    _list_page(window, "needs")  # 表示中の一覧 is the needs list
    menu = _menu(window, "レポート")
    for action in menu.actions():
        if not action.isSeparator():
            action.trigger()
    assert asked == [
        "KPI 実績報告", "KPI 集計表", "活動計画・実績", "マッチング情報シート", "参画率マップ", "連絡先を含めるか",
        "Excel の保存先",
        "ニーズ調査票テンプレートの保存先", "ニーズ調査票を取り込む", "活動計画表テンプレートの保存先", "活動計画表を取り込む",
    ]


def _mnemonics(menu_actions: list[QAction]) -> list[str]:
    keys = []
    for action in menu_actions:
        if action.isSeparator():
            continue
        found = MNEMONIC.findall(action.text())
        assert len(found) == 1, action.text()
        keys.append(found[0].upper())
    return keys


@pytest.mark.parametrize("org", ["chugoku", "secretariat"])
def test_every_menu_and_entry_has_a_mnemonic_of_its_own(qtbot, make_ctx, org):
    _each_has_a_mnemonic_of_its_own(qtbot, make_ctx(org))


def test_every_english_menu_and_entry_has_a_mnemonic_of_its_own(qtbot, english, secretariat):
    _each_has_a_mnemonic_of_its_own(qtbot, secretariat)


def _each_has_a_mnemonic_of_its_own(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    titles = win.menuBar().actions()
    assert len(set(_mnemonics(titles))) == len(titles)
    for title in titles:
        menu = title.menu()
        assert isinstance(menu, QMenu)
        keys = _mnemonics(menu.actions())
        assert len(set(keys)) == len(keys), [a.text() for a in menu.actions()]


def test_english_menus_keep_their_mnemonics_and_the_ampersand_of_a_title(qtbot, english, forum):
    win = MainWindow(forum)
    qtbot.addWidget(win)
    view = _menu(win, "View")
    texts = [a.text() for a in view.actions() if not a.isSeparator()]
    assert texts[0] == "&1 Dashboard" and texts[1] == "&2 Activities && events"
    assert all(len(MNEMONIC.findall(text)) == 1 for text in texts)
    assert _action(_menu(win, "File"), "Export sync package").text().count("&") == 1


# Enter and F2 ------------------------------------------------------------------------------------

@pytest.fixture
def opened(monkeypatch):  # type: ignore[no-untyped-def]
    calls: list[tuple[str, str | None]] = []
    monkeypatch.setattr("jcim_desktop.ui.dialogs.open_record_dialog",
                        lambda parent, ctx, entity, record_id=None, **kw: calls.append((entity, record_id)))
    return calls


def test_enter_and_f2_open_the_selected_record_of_a_list(qtbot, window, opened, make_ctx):
    ours = _need(window.ctx, "橋梁点検の省力化")
    kinki = make_ctx("kinki")
    theirs = _need(kinki, "近畿からの共有ニーズ")
    transfer(kinki, window.ctx)
    page = _list_page(window, "needs")
    page.year_combo.setCurrentIndex(0)  # すべての年度
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=TIMEOUT)
    page.table.setFocus()
    assert page.select_record(ours.id)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    qtbot.keyClick(page.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened == [("needs", ours.id)] * 3
    # Another org's record opens too (read-only, as the dialog shows it), instead of nothing.
    assert page.select_record(theirs.id)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened[-1] == ("needs", theirs.id)
    # In the search box Enter is the search's, not the list's.
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert len(opened) == 4


def test_enter_and_f2_open_the_matching_card_the_keyboard_is_on(qtbot, window, opened):
    ctx = window.ctx
    today = dt.date.today()
    need = _need(ctx, received=today.isoformat())
    seed = records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                         "facility_types": ["bridge"]})
    pairing = matchings.create_matching(ctx, need.id, seed.id, considered_on=today)
    page = window.show_page("matchings")
    assert isinstance(page, MatchingsPage)
    qtbot.waitUntil(lambda: page.lists["considered"].count() == 1, timeout=TIMEOUT)
    card = page.lists["considered"].item(0)
    card.setFocus()
    assert page.selected_card() is not None and page.selected_card().id == pairing.id
    qtbot.keyClick(card, Qt.Key.Key_Return)
    qtbot.keyClick(card, Qt.Key.Key_F2)
    assert opened == [("matchings", pairing.id)] * 2


# Undo --------------------------------------------------------------------------------------------

def test_ctrl_z_in_a_text_field_undoes_the_typing_and_undo_of_a_delete_says_what_it_restores(
        qtbot, monkeypatch, window):
    need = _need(window.ctx, "河川堤防の変状把握")
    page = _list_page(window, "needs")
    page.year_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    undo = window.act_undo
    assert not undo.isEnabled() and undo.text() == "削除を取り消す(&U)"

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    assert page.select_record(need.id)
    window.act_delete.trigger()
    assert records.get(window.ctx, "needs", need.id, include_deleted=True).deleted
    assert undo.isEnabled() and undo.text() == "削除を取り消す（「河川堤防の変状把握・広島県福山市」を元に戻す）(&U)"
    assert "河川堤防の変状把握" in undo.toolTip()

    # Typing in the search box and Ctrl+Z: the typing goes, the deleted record stays deleted.
    page.search.setFocus()
    qtbot.keyClicks(page.search, "kyoryo")
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.search.text() == ""
    qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left to undo there
    assert records.get(window.ctx, "needs", need.id, include_deleted=True).deleted and undo.isEnabled()

    # In the list, Ctrl+Z is 削除を取り消す.
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not records.get(window.ctx, "needs", need.id, include_deleted=True).deleted
    assert not undo.isEnabled() and undo.text() == "削除を取り消す(&U)"
    assert "「河川堤防の変状把握・広島県福山市」を元に戻しました" in window.statusBar().currentMessage()


def test_undo_follows_the_page_shown(qtbot, monkeypatch, window):
    need = _need(window.ctx)
    page = _list_page(window, "needs")
    page.year_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    assert page.select_record(need.id)
    page.delete_selected()
    assert window.act_undo.isEnabled()
    window.show_page("seeds")
    assert not window.act_undo.isEnabled()  # nothing deleted on this page
    window.show_page("needs")
    assert window.act_undo.isEnabled() and "橋梁点検の省力化" in window.act_undo.text()


# The sidebar's 競合 entry -------------------------------------------------------------------------

def _conflicts_entry(window: MainWindow) -> str:
    row = [c.page_id for c in window.page_classes].index("conflicts")
    return window.sidebar.item(row).text()


def test_the_conflicts_entry_counts_open_conflicts_after_an_import_and_a_resolution(
        qtbot, monkeypatch, make_ctx, forum, tmp_path):
    other = make_ctx("chugoku", name="b")
    sync.add_trust(other, forum.public_key, ["chugoku"])
    sync.add_trust(forum, other.public_key, ["chugoku"])
    need = _need(forum, "河川堤防の変状把握")
    sync.import_packages(other, [sync.export_package(forum, tmp_path / "a1.jcimsync").path])
    records.update(forum, "needs", need.id, {"title": "河川堤防の変状把握（Aで修正）"})
    records.update(other, "needs", need.id, {"title": "河川堤防の変状把握（Bで修正）"})
    package = sync.export_package(other, tmp_path / "b1.jcimsync").path

    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.open_conflicts == 0, timeout=TIMEOUT)
    assert _conflicts_entry(window) == "競合"

    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT):
        page.import_files([package])
    qtbot.waitUntil(lambda: _conflicts_entry(window) == "競合（1）", timeout=TIMEOUT)
    row = [c.page_id for c in window.page_classes].index("conflicts")
    assert "1 件" in window.sidebar.item(row).toolTip()

    conflicts = window.show_page("conflicts")
    monkeypatch.setattr(conflicts_module, "ask", lambda *a: True)
    assert conflicts.adopt_version(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _conflicts_entry(window) == "競合", timeout=TIMEOUT)
    assert sync.open_conflict_count(forum) == 0
    window.close()


def test_the_conflicts_entry_reads_in_english(qtbot, english, forum):
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show_conflict_count(3)
    assert _conflicts_entry(window) == "Conflicts (3)"
    window.show_conflict_count(0)
    assert _conflicts_entry(window) == "Conflicts"
    ops.wait_for_all()
