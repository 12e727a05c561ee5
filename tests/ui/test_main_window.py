"""The main window: pages, shortcuts, geometry, first run, settings, and gui --screenshot."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit

from jcim_desktop.paths import config_dir
from jcim_desktop.services import demo, records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import open_app
from jcim_desktop.services.settings import load_settings
from jcim_desktop.ui import ops, window_state
from jcim_desktop.ui.first_run import FirstRunDialog
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui

FORUM_PAGES = ["dashboard", "events", "pitch_events", "needs", "seeds", "matchings", "trials", "support",
               "trends", "municipalities", "sync", "conflicts", "audit"]


@pytest.fixture
def window(qtbot, forum):
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_for_all()


def test_sidebar_offers_every_page_in_japanese_and_targets_only_to_the_secretariat(qtbot, forum, secretariat):
    win = MainWindow(forum)
    qtbot.addWidget(win)
    assert [cls.page_id for cls in win.page_classes] == FORUM_PAGES
    assert [win.sidebar.item(i).text() for i in range(3)] == ["ダッシュボード", "活動・行事", "ピッチイベント"]
    sec = MainWindow(secretariat)
    qtbot.addWidget(sec)
    assert [cls.page_id for cls in sec.page_classes] == [*FORUM_PAGES, "targets", "national_tally", "received"]
    assert [sec.sidebar.item(i).text() for i in (10, 11, 12, 13, 14)] == ["同期", "競合", "変更履歴", "KPI目標", "全国集計"]


def test_keyboard_switches_pages_and_find_goes_to_the_search_box(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "needs"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    focused = window.focusWidget()
    assert isinstance(focused, QLineEdit) and "検索" in focused.placeholderText()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "dashboard"
    assert not window.act_new.isEnabled()  # the dashboard edits nothing
    window.show_page("needs")
    assert window.act_new.isEnabled()


def test_new_from_the_menu_opens_the_dialog_of_the_current_page(qtbot, window, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("jcim_desktop.ui.dialogs.open_record_dialog",
                        lambda parent, ctx, entity, **kw: opened.append(entity))
    window.show_page("seeds")
    window.act_new.trigger()
    window.show_page("matchings")
    window.act_new.trigger()
    assert opened == ["seeds", "matchings"]


def test_window_geometry_is_remembered(qtbot, forum, monkeypatch):
    first = MainWindow(forum)
    qtbot.addWidget(first)
    first.show()
    first.resize(1111, 777)
    saved = first.saveGeometry()
    first.close()
    assert window_state.value("window/geometry") == saved
    assert (config_dir() / window_state.FILE_NAME).exists()  # beside the remembered data folder
    # The offscreen screen (800×600) clamps sizes, so check what the next window is given.
    restored: list[object] = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(g) or True)
    second = MainWindow(forum)
    qtbot.addWidget(second)
    assert restored == [saved]


def test_first_run_needs_a_name_and_returns_the_choice(qtbot, tmp_path):
    dialog = FirstRunDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert not dialog.result() and "名前" in dialog._error.text()
    dialog.org_combo.setCurrentIndex(dialog.org_combo.findData("kinki"))
    dialog.name_edit.setText("近畿 花子")
    dialog.demo_check.setChecked(True)
    dialog._accept()
    choice = dialog.choice()
    assert (choice.org, choice.user_name, choice.load_demo) == ("kinki", "近畿 花子", True)
    assert dialog.org_combo.findData("secretariat") >= 0


def test_settings_dialog_saves_name_and_backup_folder(qtbot, forum, tmp_path):
    dialog = SettingsDialog(forum)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("中国 次郎")
    dialog.backup_dir_edit.setText(str(tmp_path / "bk"))
    dialog.keep.setValue(5)
    dialog.save()
    saved = load_settings(forum.data_dir)
    assert saved.user_name == "中国 次郎" and saved.backup_dir == str(tmp_path / "bk") and saved.keep_backups == 5
    assert forum.db.backup("manual").parent == tmp_path / "bk"
    created = records.create(forum, "seeds", {"company": "㈱テスト", "tech_name": "技術", "summary": "概要",
                                              "facility_types": []})
    assert records.audit_trail(forum, "seeds", created.id)[0]["user"] == "中国 次郎"


def test_demo_data_chosen_at_first_run_loads_in_the_background(qtbot, forum):
    from jcim_desktop.ui.app import load_demo_in_background

    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.bus.changed, timeout=60000) as signal:
        load_demo_in_background(win)
    assert signal.args == [Changes.everything()]  # announced once, when it is done
    assert demo.is_loaded(forum)
    qtbot.waitUntil(lambda: "デモデータを読み込みました" in win.statusBar().currentMessage())


def test_gui_screenshot_renders_every_page_of_the_demo(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jcim_desktop", *a], capture_output=True, text=True,
                              env=env, timeout=300)
    assert run("demo", "--org", "chugoku", "--data-dir", str(data)).returncode == 0
    result = run("gui", "--screenshot", str(tmp_path / "shots"), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr[-2000:]
    shots = sorted(p.stem for p in (tmp_path / "shots").glob("*.png"))
    assert shots == sorted(FORUM_PAGES)
    for name in shots:
        image = QImage(str(tmp_path / "shots" / f"{name}.png"))
        assert (image.width(), image.height()) == (1280, 800)
        # Not blank: a rendered page has many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
        assert len(colours) > 8, name


def test_reopening_after_a_restart_shows_what_was_entered(qtbot, forum):
    created = records.create(forum, "seeds", {"company": "株式会社再起動", "tech_name": "技術", "summary": "概要",
                                              "facility_types": ["road"]})
    data_dir = forum.data_dir
    forum.close()
    reopened = open_app(data_dir)
    try:
        win = MainWindow(reopened)
        qtbot.addWidget(win)
        win.show()
        page = win.show_page("seeds")
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
        assert page.model.record_id(0) == created.id
    finally:
        ops.wait_for_all()
        reopened.close()


