"""The KPI report can append the lists of the records behind its figures (issue 11, part 2)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import chugoku_forum_year, code, secretariat_year, transfer
from jcim_desktop.services import master, reports
from jcim_desktop.services.tally import explain, tally

FY = 2024
ISSUED = dt.date(2026, 11, 23)


def _text(path: Path) -> str:
    """The PDF's text without whitespace (table cells break over lines)."""
    if shutil.which("pdftotext"):
        raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                             text=True).stdout
    else:
        raw = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return "".join(raw.split())


@pytest.fixture
def year(forum, secretariat):
    """中国フォーラム's FY2024 at the secretariat, with 尾道市 leaving the mayors' council on
    2025-01-15 (not counted on 2025-03-31) and a late event of FY2025 (never in FY2024's lists)."""
    chugoku_forum_year(forum)
    transfer(forum, secretariat)
    secretariat_year(secretariat)
    master.set_status(secretariat, code("尾道市"), mayors_council=True, as_of=dt.date(2024, 4, 1))
    master.set_status(secretariat, code("尾道市"), mayors_council=False, as_of=dt.date(2025, 1, 15))
    return secretariat


def test_the_appendix_lists_the_records_behind_each_figure(year, tmp_path):
    plain = _text(reports.kpi_report_pdf(year, FY, tmp_path / "plain.pdf", issued=ISSUED))
    full_path = reports.kpi_report_pdf(year, FY, tmp_path / "full.pdf", issued=ISSUED, with_records=True)
    full = _text(full_path)

    # Titles of records behind figures: an event (フォーラム実施数), a trial (現場試行数).
    for title in ("中国フォーラム総会", "出前授業（尾道）", "第1回実証試験"):
        assert title in full and title not in plain
    assert "付録もとになった記録の一覧" in full and "付録" not in plain

    kpis = tally(year, FY)["kpis"]
    # Each KPI with a figure is a heading with its figure and its number of records, as explain lists them.
    for kpi, label in (("forums_held", "フォーラム実施数"), ("field_trials", "現場試行数"),
                       ("supported_municipalities", "支援自治体数（延べ）")):
        listed = explain(year, FY, kpi)["records"]
        assert kpis[kpi]["total"] == len(listed) > 0
        assert f"{label}{kpis[kpi]['total']}記録{len(listed)}件" in full, label
    # A rate: the municipalities counted on 2025-03-31 (福山市), not 尾道市 which left in January.
    assert "市区町村長会議への参画率0.1%1／1,741市区町村" in full
    rate_list = full.split("市区町村長会議への参画率0.1%1／1,741市区町村", 1)[1]
    assert rate_list.startswith("日付種類組織件名自治体令和6年4月1日自治体ステータス事務局広島県福山市広島県福山市")
    # A KPI whose figure is 0 has no list.
    assert kpis["supported_countries"]["total"] == 0 and "支援国（地域）数" not in full.split("付録", 1)[1]


def test_the_appendix_page_renders(year, tmp_path):
    out = reports.kpi_report_pdf(year, FY, tmp_path / "full.pdf", issued=ISSUED, with_records=True)
    pages = PdfReader(out).pages
    appendix = next(i for i, page in enumerate(pages, start=1) if "付録" in "".join((page.extract_text() or "").split()))
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(appendix), "-l", str(appendix), str(out),
                    str(tmp_path / "page")], check=True)
    [png] = list(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000


def test_progress_covers_the_lists(year, tmp_path):
    seen: list[tuple[int, int, str]] = []
    reports.kpi_report_pdf(year, FY, tmp_path / "k.pdf", issued=ISSUED, with_records=True,
                           progress=lambda *a: seen.append(a))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert any("もとになった記録" in message for *_, message in seen)
    assert [done for done, *_ in seen] == sorted(done for done, *_ in seen)
