"""A report that no viewer opens is shown with its path (to select and copy) and 「フォルダを開く」."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QWidget

from jcim_desktop.ui import ops, reports_menu
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.reports_menu import NotOpenedDialog

pytestmark = pytest.mark.gui


def _not_opened() -> NotOpenedDialog | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, NotOpenedDialog) and w.isVisible()]
    return shown[0] if shown else None


def test_a_pdf_no_viewer_opens_is_shown_with_its_path_and_a_folder_button(qtbot, monkeypatch, forum, tmp_path):
    asked: list[str] = []
    monkeypatch.setattr(reports_menu, "open_url", lambda url: asked.append(url.toLocalFile()) and False)
    target = tmp_path / "報告" / "参画率マップ_20250401.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_year", lambda self, title: 2024)
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.bus.status_message, timeout=60_000):
        window.reports_menu.map_pdf()
    qtbot.waitUntil(lambda: _not_opened() is not None)
    dialog = _not_opened()
    assert dialog is not None and dialog.parent() is window
    assert asked == [str(target)] and target.exists()
    assert dialog.path_label.text() == str(target) and dialog.path_label.hasSelectedText() is False
    dialog.path_label.setSelection(0, len(str(target)))  # the path can be selected (and copied)
    assert dialog.path_label.selectedText() == str(target)
    assert target.name in dialog.message.text() and "自動で開けませんでした" in dialog.message.text()
    assert dialog.folder_button.text() == "フォルダを開く"

    # The folder does not open either: the path stays, with what to do.
    assert not dialog.open_folder()
    assert asked[-1] == str(target.parent)
    assert dialog.isVisible() and dialog.folder_problem.isVisibleTo(dialog)
    assert "ファイルマネージャー" in dialog.folder_problem.text()

    # It opens: the message has done its work.
    monkeypatch.setattr(reports_menu, "open_url", lambda url: asked.append(url.toLocalFile()) or True)
    dialog.folder_button.click()
    assert asked[-1] == str(target.parent) and not dialog.isVisible()
    ops.wait_for_all()


def test_a_file_that_opens_needs_no_message(qtbot, monkeypatch, tmp_path):
    opened: list[QUrl] = []
    monkeypatch.setattr(reports_menu, "open_url", lambda url: opened.append(url) or True)
    parent = QWidget()
    qtbot.addWidget(parent)
    reports_menu.open_file(tmp_path / "a.pdf", parent)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "a.pdf")] and _not_opened() is None


def test_the_message_reads_in_english(qtbot, english, monkeypatch, tmp_path):
    monkeypatch.setattr(reports_menu, "open_url", lambda url: False)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    reports_menu.open_file(Path(tmp_path / "report.pdf"), parent)
    dialog = _not_opened()
    assert dialog is not None and dialog.folder_button.text() == "Open folder"
    assert dialog.windowTitle() == "The file could not be opened"
    dialog.close()
