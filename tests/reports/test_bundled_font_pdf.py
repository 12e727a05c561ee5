"""The PDF reports embed the Japanese font that ships with the application when the machine has none."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from jcim_desktop import system
from jcim_desktop.reports import fonts
from jcim_desktop.services import reports


@pytest.fixture
def no_system_fonts(monkeypatch):
    monkeypatch.setenv(system.NO_SYSTEM_FONTS_ENV, "1")
    fonts.japanese_font.cache_clear()
    yield
    monkeypatch.delenv(system.NO_SYSTEM_FONTS_ENV)
    fonts.japanese_font.cache_clear()
    fonts.japanese_font()  # the machine's font again for the tests that follow


def _fonts(path):
    found = {}
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_without_a_system_font_the_report_embeds_the_bundled_ipaex_gothic(no_system_fonts, secretariat, tmp_path):
    assert fonts.system_candidates() == []
    choice = fonts.japanese_font()
    assert choice.path == system.bundled_font() and choice.embedded
    assert choice.description == "IPAexゴシック（アプリに同梱の ipaexg.ttf、PDFに埋め込み）"  # shown in 設定

    out = reports.kpi_report_pdf(secretariat, 2024, tmp_path / "kpi.pdf", issued=dt.date(2026, 11, 23))
    used = _fonts(out)
    assert used and all(name.endswith("+IPAexGothic") for name in used), list(used)
    for font in used.values():
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded TrueType
    text = "".join((page.extract_text() or "") for page in PdfReader(out).pages)
    assert "KPI実績報告" in "".join(text.split())
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in listing.splitlines()[2:]]
        assert rows and all(row[0].endswith("+IPAexGothic") and row[-5] == "yes" for row in rows), listing


def test_the_machines_font_comes_before_the_bundled_one():
    names = fonts.candidates()
    assert names[-1] == fonts.bundled_candidate() and names[-1].bundled
    assert all(not c.bundled for c in names[:-1])
