"""The participation-map PDF has the 行政会員 map too: a second page in the same style, with its
own title, headline rate, legend and table, by each municipality's status at the year's end."""

from __future__ import annotations

import datetime as dt

from pypdf import PdfReader

from helpers import code
from jcim_desktop.reports import pdf
from jcim_desktop.services import master, reports

FY = 2024
ISSUED = dt.date(2026, 11, 23)


def _pages(path) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def test_the_second_page_maps_admin_members(secretariat, tmp_path):
    for name in ("広島市", "呉市", "福山市"):
        master.set_status(secretariat, code(name), admin_member=True, as_of=dt.date(2024, 4, 1))
    master.set_status(secretariat, code("那覇市"), admin_member=True, mayors_council=True, as_of=dt.date(2024, 4, 1))
    # Joins after the year's end: not on FY2024's map.
    master.set_status(secretariat, code("尾道市"), admin_member=True, as_of=dt.date(2025, 4, 1))
    out = reports.participation_map_pdf(secretariat, tmp_path / "map.pdf", FY, issued=ISSUED)
    mayors, admin = _pages(out)
    assert "令和6年度市区町村長会議参画状況（都道府県別）" in mayors and "行政会員" not in mayors
    assert "令和6年度行政会員加入状況（都道府県別）" in admin
    assert "全国加入率0.2%（4／1,741市区町村）" in admin
    assert "令和7年3月31日（年度末）時点" in admin
    assert "行政会員加入率" in admin  # the legend's heading
    for label in pdf.PARTICIPATION_CLASSES:
        assert label in admin
    # The table by prefecture: 加入率 and 会員数／市区町村数.
    assert "都道府県別加入率" in admin and "会員数／市区町村数" in admin
    hiroshima = master.rates_by_prefecture(secretariat, FY)["34"]
    assert hiroshima.admin_members == 3
    assert f"広島県{hiroshima.admin_rate:.1%}3／{hiroshima.municipalities}" in admin
    assert f"沖縄県{master.rates_by_prefecture(secretariat, FY)['47'].admin_rate:.1%}1／" in admin
    for number, text in enumerate((mayors, admin), start=1):
        assert f"{number}/2" in text and "令和8年11月23日" in text
    meta = PdfReader(out).metadata
    assert meta is not None and "行政会員" in str(meta.title) and "参画" in str(meta.title)


def test_the_pages_use_their_own_colours():
    assert set(pdf.CLASS_COLOURS) == set(pdf.participation.ADMIN_CLASS_COLOURS) == set(pdf.PARTICIPATION_CLASSES)
    assert not set(pdf.CLASS_COLOURS.values()) & set(pdf.participation.ADMIN_CLASS_COLOURS.values())
