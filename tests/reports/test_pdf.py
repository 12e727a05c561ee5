"""The PDF reports, generated from records made through services and read back with pypdf."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import BaseDocTemplate

from helpers import chugoku_forum_year, code, secretariat_year, transfer
from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.errors import UserError
from jcim_desktop.reports import fonts, pdf
from jcim_desktop.services import events, master, matchings, records, reports
from jcim_desktop.services.tally import tally

FY = 2024
D = dt.date
ISSUED = D(2026, 11, 23)
ISSUED_TEXT = "令和8年11月23日"


def _text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _flat(text: str) -> str:
    """Text without any whitespace: pypdf breaks table cells over lines."""
    return "".join(text.split())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fonts(path: Path) -> list[dict]:
    found = {}
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return list(found.values())


def _is_embedded(font) -> bool:
    descriptors = []
    if "/FontDescriptor" in font:
        descriptors.append(font["/FontDescriptor"].get_object())
    for descendant in font.get("/DescendantFonts", []):
        d = descendant.get_object()
        if "/FontDescriptor" in d:
            descriptors.append(d["/FontDescriptor"].get_object())
    return any(k in desc for desc in descriptors for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _assert_page_furniture(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {total}" in text, (number, text[-200:])
        assert ISSUED_TEXT in _flat(text), number


@pytest.fixture
def year(forum, secretariat):
    """中国フォーラム's year (its second matching dropped), received by the secretariat, which adds
    national forums' work and 那覇市 in the mayors' council."""
    m1, m2 = chugoku_forum_year(forum)
    matchings.advance_stage(forum, m2, "dropped", D(2024, 12, 1), "予算化できず")
    transfer(forum, secretariat)
    secretariat_year(secretariat)
    master.set_status(secretariat, code("那覇市"), mayors_council=True, as_of=dt.date(2024, 4, 1))
    return {"forum": forum, "secretariat": secretariat, "matchings": [m1, m2]}


# -- fonts --------------------------------------------------------------------------------------


@pytest.fixture
def fresh_font():
    fonts.japanese_font.cache_clear()
    yield
    fonts.japanese_font.cache_clear()


def test_a_truetype_font_is_found_registered_and_logged(fresh_font, caplog):
    with caplog.at_level(logging.INFO, logger="jcim_desktop.reports"):
        choice = fonts.japanese_font()
    if not choice.embedded:
        pytest.skip("no Japanese TrueType font on this machine (CI installs fonts-ipaexfont)")
    assert choice.path is not None and choice.path.is_file()
    assert "埋め込み" in choice.description
    assert any(choice.description in r.getMessage() for r in caplog.records)
    assert fonts.japanese_font() is choice  # cached


def test_cff_collections_are_not_taken_for_truetype():
    ipaex = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if ipaex.exists():
        assert fonts.has_truetype_outlines(ipaex)
    if noto.exists():
        assert not fonts.has_truetype_outlines(noto, 0)
    assert not fonts.has_truetype_outlines(Path("/nonexistent/font.ttf"))


def test_without_a_truetype_font_the_cid_font_is_used_and_the_pdf_reads(fresh_font, year, tmp_path, monkeypatch,
                                                                      caplog):
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    with caplog.at_level(logging.WARNING, logger="jcim_desktop.reports"):
        choice = fonts.japanese_font()
    assert (choice.name, choice.path, choice.embedded) == ("HeiseiKakuGo-W5", None, False)
    assert "埋め込みなし" in choice.description
    assert any("HeiseiKakuGo" in r.getMessage() or choice.description in r.getMessage() for r in caplog.records)

    out = reports.kpi_report_pdf(year["secretariat"], FY, tmp_path / "cid.pdf", issued=ISSUED)
    used = _fonts(out)
    assert [str(f["/BaseFont"]) for f in used] == ["/HeiseiKakuGo-W5"]
    assert not _is_embedded(used[0])
    pages = _text(out)
    assert "KPI実績報告" in _flat(pages[0]) and "総合計" in pages[0]
    _assert_page_furniture(pages)


# -- the KPI report -----------------------------------------------------------------------------


def test_kpi_report_has_the_official_table_figures_and_furniture(year, tmp_path):
    sec = year["secretariat"]
    out = reports.kpi_report_pdf(sec, FY, tmp_path / "kpi.pdf", issued=ISSUED)
    assert out == tmp_path / "kpi.pdf"
    pages = _text(out)
    whole = "\n".join(pages)
    flat = _flat(whole)
    assert "令和6年度インフラメンテナンス国民会議KPI実績報告" in _flat(pages[0])
    assert "対象期間：令和6年4月1日～令和7年3月31日" in _flat(pages[0])
    for heading in ("項目", "KPI", "数", "KPI内容説明", "目標", "達成率", "総合計", "全国フォーラム小計",
                    "地方フォーラム小計", "マッチング・現場試行・実装実施数", "・マッチング検討数",
                    "・マッチング成立数", "・現場試行数", "・社会実装数", "支援自治体数（実数）",
                    "地方フォーラム実施数", "組織別内訳", "目標の達成状況", "マッチングの進捗状況"):
        assert heading in flat, heading
    assert "Helvetica" not in str([f["/BaseFont"] for f in _fonts(out)])
    _assert_page_furniture(pages)

    t = tally(sec, FY)
    lines = _lines(whole)
    # The first 支援自治体数（延べ） row is the 総合計's: its figure is the tally's total.
    first = lines.index("支援自治体数（延べ）")
    assert lines[first + 1] == f"{t['kpis']['supported_municipalities']['total']:,}" == "6"
    distinct = lines.index("・支援自治体数（実数）")
    assert lines[distinct + 1] == str(t["kpis"]["supported_municipalities"]["distinct_total"]) == "5"
    total = lines.index("マッチング・現場試行・実装実施数")
    assert lines[total + 1] == str(t["kpis"]["matching_total"]["total"]) == "4"
    # 参画率 as a percentage with its numerator and denominator (福山市 and 那覇市 of 1,741).
    rate = lines.index("市区町村長会議への参画率")
    assert lines[rate + 1] == "0.1%" and lines[rate + 2] == "2／1,741"
    assert "70.0%" in flat  # its target
    # Achievement bars (value / target) and the funnel with counts and conversion rates.
    assert "6/300（2.0%）" in flat and "4/200（2.0%）" in flat
    assert "マッチング検討2件" in flat and "マッチング成立1件" in flat and "不成立・中止1件" in flat
    assert "前段階比50.0%" in flat and "検討比50.0%" in flat
    # The breakdown names the forums.
    for org in ("中国フォーラム", "革新的技術フォーラム", "全国フォーラム小計", "地方フォーラム小計"):
        assert org in flat


def test_the_font_is_embedded_when_a_truetype_font_is_found(year, tmp_path):
    choice = fonts.japanese_font()
    if not choice.embedded:
        pytest.skip("no Japanese TrueType font on this machine")
    out = reports.kpi_report_pdf(year["secretariat"], FY, tmp_path / "kpi.pdf", issued=ISSUED)
    used = _fonts(out)
    assert used and all(_is_embedded(f) for f in used)
    # A subset (ABCDEF+Name), not the whole font: the report stays small.
    assert all(re.fullmatch(r"/[A-Z]{6}\+.+", str(f["/BaseFont"])) for f in used)
    assert out.stat().st_size < 400_000


def test_era_dates_are_the_domain_era_form() -> None:
    # One era table: the reports write dates exactly as domain.fiscal does.
    for day in (D(2019, 4, 30), D(2019, 5, 1), D(2024, 7, 10), ISSUED):
        assert pdf.era(day) == pdf.era(day.isoformat()) == format_era_date(day)
    assert pdf.era(D(2019, 5, 1)) == "令和元年5月1日"
    assert pdf.era(ISSUED) == ISSUED_TEXT
    assert pdf.era(None) == pdf.era("") == ""


def test_a_failed_build_leaves_the_previous_file_and_no_temporary(year, tmp_path, monkeypatch):
    target = tmp_path / "kpi.pdf"
    target.write_bytes(b"previous")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BaseDocTemplate, "build", boom)
    with pytest.raises(RuntimeError):
        reports.kpi_report_pdf(year["secretariat"], FY, target, issued=ISSUED)
    assert target.read_bytes() == b"previous"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_progress_is_reported(year, tmp_path):
    seen = []
    reports.kpi_report_pdf(year["secretariat"], FY, tmp_path / "k.pdf", progress=lambda *a: seen.append(a),
                           issued=ISSUED)
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]


# -- the activity plan ------------------------------------------------------------------------


def test_plan_report_lists_the_year_by_planned_start_with_text_as_written(forum, tmp_path):
    records.create(forum, "events", {
        "title": "第3回マッチングイベント", "event_type": "matching_event",
        "planned": events.planned_from_text("2月", FY), "status": "planned", "lg_codes": [],
        "counts_as_forum": False, "description": "ニーズとシーズの個別相談会",
    })
    records.create(forum, "events", {
        "title": "インフラメンテナンス出前授業", "event_type": "outreach_class",
        "planned": events.planned_from_text("6月頃", FY), "status": "held", "held_from": "2024-06-10",
        "held_to": "2024-06-10", "lg_codes": [code("尾道市")], "counts_as_forum": False,
        "description": "小学生を対象に橋の点検を体験する授業。" * 6,
    })
    records.create(forum, "events", {
        "title": "中国フォーラム総会", "event_type": "forum", "planned": events.planned_from_text("第2四半期", FY),
        "status": "cancelled", "lg_codes": [], "counts_as_forum": True,
    })
    records.create(forum, "events", {  # another year: not in the report
        "title": "前年度の勉強会", "event_type": "workshop", "planned": events.planned_from_text("5月", FY - 1),
        "status": "planned", "lg_codes": [], "counts_as_forum": False,
    })
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    pages = _text(out)
    flat = _flat("\n".join(pages))
    assert "令和6年度中国フォーラム活動計画・実績" in flat
    for heading in ("活動・行事名", "開催予定日", "内容", "実施状況"):
        assert heading in flat
    order = [flat.index(t) for t in ("インフラメンテナンス出前授業", "中国フォーラム総会", "第3回マッチングイベント")]
    assert order == sorted(order)
    assert "前年度の勉強会" not in flat
    assert "6月頃" in flat and "第2四半期" in flat and "2月" in flat
    assert "実施済令和6年6月10日" in flat and "中止" in flat and "予定" in flat
    assert "計画・実績3件" in flat
    _assert_page_furniture(pages)


def test_plan_report_repeats_the_header_on_every_page(forum, tmp_path):
    items = [{
        "title": f"第{i}回 橋梁点検勉強会", "event_type": "workshop",
        "planned": events.planned_from_text(f"{(i % 12) + 1}月上旬", FY), "status": "planned",
        "lg_codes": [], "counts_as_forum": False,
        "description": "自治体職員向けに点検要領と新技術の活用事例を紹介し、現地で実習を行う。" * 2,
    } for i in range(1, 61)]
    records.create_many(forum, "events", items)
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    pages = _text(out)
    assert len(pages) >= 3
    for text in pages:
        assert "活動・行事名" in text and "実施状況" in text
    _assert_page_furniture(pages)


def test_plan_report_of_an_unknown_org_is_refused(forum, tmp_path):
    with pytest.raises(UserError, match="組織コード"):
        reports.plan_report_pdf(forum, "atlantis", FY, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# -- matching sheets --------------------------------------------------------------------------


def test_matching_sheets_one_page_each_with_the_labelled_boxes(year, tmp_path):
    forum = year["forum"]
    out = reports.matching_sheets_pdf(forum, tmp_path / "m.pdf", fy=FY, issued=ISSUED)
    pages = _text(out)
    assert len(pages) == 2
    for text in pages:
        flat = _flat(text)
        for label in ("マッチング情報シート", "技術テーマ", "技術分野", "ニーズ側（自治体）", "自治体名称",
                      "求める内容・条件", "シーズ側（企業等）", "企業等名称", "技術名称", "技術の概要"):
            assert label in flat, label
    first, second = (_flat(t) for t in pages)
    assert "福山市の橋梁点検" in first and "広島県福山市" in first and "橋梁、道路" in first
    assert "㈱ブリッジアイ" in first and "画像診断AI" in first
    assert "マッチング検討令和6年6月1日" in first and "マッチング成立令和6年8月1日" in first
    assert "現場試行令和6年10月10日第1回実証試験" in first
    assert "不成立・中止令和6年12月1日予算化できず" in second
    _assert_page_furniture(pages)


def test_a_sheet_with_very_long_texts_stays_on_one_page(forum, tmp_path):
    need = records.create(forum, "needs", {
        "lg_code": code("呉市"), "title": "港湾施設の点検", "facility_types": ["port"],
        "requirements": "水中部の劣化を潜水士によらず把握したい。" * 60, "received_on": "2024-05-01", "status": "open",
    })
    seed = records.create(forum, "seeds", {"company": "㈱ディープ", "tech_name": "水中ドローン",
                                           "summary": "音響測深と画像で水中構造物を点検する。" * 60,
                                           "facility_types": ["port"]})
    m = matchings.create_matching(forum, need.id, seed.id, considered_on=D(2024, 6, 1))
    out = reports.matching_sheets_pdf(forum, tmp_path / "m.pdf", matching_ids=[m.id], issued=ISSUED)
    pages = _text(out)
    assert len(pages) == 1 and "1 / 1" in pages[0]


# -- the participation map --------------------------------------------------------------------


def test_participation_map_has_classes_prefectures_and_rates(year, tmp_path):
    sec = year["secretariat"]
    out = reports.participation_map_pdf(sec, tmp_path / "map.pdf", FY, issued=ISSUED)
    pages = _text(out)
    assert len(pages) == 2  # 参画 here; 行政会員 on page 2 (tests/reports/test_admin_map.py)
    flat = _flat(pages[0])
    assert "令和6年度市区町村長会議参画状況（都道府県別）" in flat
    for label in pdf.PARTICIPATION_CLASSES:
        assert label in flat
    for pref in ("北海道", "広島県", "沖縄県", "東京都"):
        assert pref in flat
    by_pref = master.rates_by_prefecture(sec)
    hiroshima = by_pref["34"]
    assert f"広島県{hiroshima.mayors_rate:.1%}1／{hiroshima.municipalities}" in flat
    assert "全国参画率0.1%（2／1,741市区町村）" in flat
    _assert_page_furniture(pages)


@pytest.mark.parametrize(("rate", "label"), [
    (0.0, "10%未満"), (0.0999, "10%未満"), (0.1, "10%以上"), (0.3, "30%以上"), (0.55, "50%以上"),
    (0.7, "70%以上"), (0.9999, "70%以上"), (1.0, "100%"),
])
def test_participation_classes(rate, label):
    assert pdf.participation_class(rate) == label


def test_an_unwritable_destination_is_a_japanese_user_error(year, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(UserError, match="PDFの保存ができませんでした"):
        reports.kpi_report_pdf(year["secretariat"], FY, blocker / "kpi.pdf", issued=ISSUED)
