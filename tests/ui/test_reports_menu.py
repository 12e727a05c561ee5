"""The レポート menu: outputs are made in the background and opened when done."""

from __future__ import annotations

import pytest

from jcim_desktop.services import demo
from jcim_desktop.ui import ops, reports_menu
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, forum):
    demo.load_demo(forum)
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_for_all()


@pytest.mark.parametrize("action, suffix", [("kpi_pdf", ".pdf"), ("kpi_xlsx", ".xlsx"), ("plan_pdf", ".pdf"),
                                            ("matching_pdf", ".pdf"), ("map_pdf", ".pdf")])
def test_each_output_is_written_in_the_background_and_opened(qtbot, window, tmp_path, monkeypatch, action, suffix):
    target = tmp_path / f"out{suffix}"
    opened: list[object] = []
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_year", lambda self, title: 2024)
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_kpi_report", lambda self: (2024, False))
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(reports_menu, "open_file", opened.append)
    with qtbot.waitSignal(window.bus.status_message, timeout=60000):
        getattr(window.reports_menu, action)()
    assert opened == [target] and target.stat().st_size > 1000


def test_the_current_list_is_exported_with_its_filters(qtbot, window, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    target = tmp_path / "needs.xlsx"
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(reports_menu.ReportsMenu, "ask_contacts", lambda self, *a: False)  # 連絡先を含めない
    monkeypatch.setattr(reports_menu, "open_file", lambda path: None)
    page = window.show_page("needs")
    with qtbot.waitSignal(window.bus.status_message, timeout=60000):
        window.reports_menu.list_xlsx()
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert any("技術テーマ" in [str(v) for v in row] for row in rows)
    assert page.page_id == "needs"


def test_settings_show_the_pdf_font(qtbot, forum):
    dialog = SettingsDialog(forum)
    qtbot.addWidget(dialog)
    texts: list[str] = []
    from PySide6.QtWidgets import QLabel

    assert any("PDF の日本語フォント" in label.text() for label in dialog.findChildren(QLabel)), texts
