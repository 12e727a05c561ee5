"""Reports of a closed year say they hold the official figures, and which ones the records
have changed since (SYNC_FORMAT §5, §6)."""

from __future__ import annotations

import datetime as dt
import subprocess

from openpyxl import load_workbook

from helpers import chugoku_forum_year, held_event, secretariat_year, transfer
from jcim_desktop.services import closing, excel_export, reports


def _text(path):  # type: ignore[no-untyped-def]
    """The PDF's text without whitespace (table cells break over lines)."""
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(raw.split())

FY = 2024


def test_the_kpi_report_and_workbook_of_a_closed_year_say_whose_figures_they_are(forum, secretariat, tmp_path):
    chugoku_forum_year(forum)
    transfer(forum, secretariat)
    secretariat_year(secretariat)
    open_text = _text(reports.kpi_report_pdf(secretariat, FY, tmp_path / "open.pdf"))
    assert "確定値" not in open_text

    closing.close_year(secretariat, FY)
    # A late record changes the live figure of フォーラム実施数, not the official one.
    held_event(secretariat, "革新的技術フォーラム 追加開催", dt.date(2025, 3, 1), ("札幌市",), owner="innovative_tech")
    closed_text = _text(reports.kpi_report_pdf(secretariat, FY, tmp_path / "closed.pdf"))
    assert "公式の数値（確定値）です" in closed_text
    assert "現在の記録から数えると次の数値が異なります:フォーラム実施数" in closed_text

    book = load_workbook(excel_export.export_tally_xlsx(secretariat, FY, tmp_path / "closed.xlsx"))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "確定値" in cells and "フォーラム実施数" in cells
