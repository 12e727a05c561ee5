"""レポート → KPI 実績報告: the dialog offers to append the lists of the records behind the figures."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from helpers import chugoku_forum_year
from jcim_desktop.ui import ops, reports_menu
from jcim_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _pdf_text(path) -> str:
    if shutil.which("pdftotext"):
        raw = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    else:
        from pypdf import PdfReader

        raw = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return "".join(raw.split())


def _answer(dialog_ready, tick: bool) -> None:
    """When the modal dialog is up: choose FY2024, tick (or not) the option, press OK."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, reports_menu.KpiReportDialog):
            QTimer.singleShot(10, act)
            return
        dialog.year.setCurrentIndex(dialog.year.findData(2024))
        dialog.with_records.setChecked(tick)
        dialog_ready.append(dialog.with_records.text())
        dialog.accept()

    QTimer.singleShot(0, act)


@pytest.mark.parametrize("tick", [True, False])
def test_the_option_appends_the_records_behind_the_figures(qtbot, forum, tmp_path, monkeypatch, tick):
    chugoku_forum_year(forum)
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    target = tmp_path / "kpi.pdf"
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(reports_menu, "open_file", lambda path: None)
    seen: list[str] = []
    _answer(seen, tick)
    with qtbot.waitSignal(window.bus.status_message, timeout=60000):
        window.reports_menu.kpi_pdf()
    assert seen == ["もとになった記録の一覧を付ける"]
    text = _pdf_text(target)
    assert "令和6年度" in text
    assert ("中国フォーラム総会" in text) is tick  # an event behind フォーラム実施数
    assert ("付録もとになった記録の一覧" in text) is tick
    ops.wait_for_all()


def test_cancel_writes_nothing(qtbot, forum, monkeypatch):
    window = MainWindow(forum)
    qtbot.addWidget(window)
    asked: list[object] = []
    monkeypatch.setattr(reports_menu, "ask_save_path", lambda *a: asked.append(a))

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QWidget):
            QTimer.singleShot(10, cancel)
            return
        dialog.close()

    QTimer.singleShot(0, cancel)
    window.reports_menu.kpi_pdf()
    assert asked == []


def test_the_dialog_speaks_english(qtbot, english):
    dialog = reports_menu.KpiReportDialog(fiscal_year=2024)
    qtbot.addWidget(dialog)
    assert dialog.with_records.text() == "Append the lists of the records behind the figures"
    assert dialog.year.currentText() == "FY2024" and dialog.fiscal_year() == 2024
