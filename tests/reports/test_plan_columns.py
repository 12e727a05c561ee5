"""活動計画・実績: 会場 and 参加者数 in the PDF and in the activities' Excel export, and every text
of the PDF's table inside its own column, however long (read back from the PDF's text positions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from helpers import code
from jcim_desktop.reports.pdf import plan
from jcim_desktop.reports.pdf.common import MARGIN_X, font_name
from jcim_desktop.services import events, records, reports
from jcim_desktop.services.excel_export import export_list_xlsx

FY = 2024
ISSUED = dt.date(2025, 4, 10)
LONG_TITLE = ("第1回地域インフラの持続的な維持管理を考える会（包括的民間委託導入等WG）・"
              "インフラメンテナンス市区町村長会議中国ブロック会議と同日開催の合同シンポジウム"
              "「InfrastructureMaintenanceSymposium2024ChugokuRegionalBlock」")
LONG_DESCRIPTION = "EE東北'24にて自治体及び企業にむけて東北フォーラムのPR活動を実施。" * 5
LONG_VENUE = "広島県広島市中区 広島国際会議場 地下2階 コスモス（国際会議ホール）及びダリア・ラン・ひまわり"


def _event(ctx, title: str, planned: str, *, held: str | None = None, venue: str | None = None,
           participants: int | None = None, description: str | None = None, event_type: str = "forum") -> None:
    data = {
        "title": title, "event_type": event_type, "planned": events.planned_from_text(planned, FY),
        "status": "held" if held else "planned", "lg_codes": [code("広島市")] if held else [],
        "counts_as_forum": True, "venue": venue, "participants": participants, "description": description,
    }
    if held:
        data.update(held_from=held, held_to=held)
    records.create(ctx, "events", data)


def _year(forum) -> None:
    _event(forum, LONG_TITLE, "6月頃", held="2024-06-20", venue=LONG_VENUE, participants=1234,
           description=LONG_DESCRIPTION)
    _event(forum, "中国フォーラム総会", "7月", held="2024-07-12", venue="広島県広島市 RCC文化センター", participants=86)
    _event(forum, "第12回ピッチイベント", "未定 (11月)", venue="岡山県岡山市 岡山コンベンションセンター",
           event_type="pitch_event")


def _runs(path: Path) -> list[tuple[int, str, float, float, float]]:
    """(page, text, left x, right x, baseline y) of every text run the PDF draws."""
    runs: list[tuple[int, str, float, float, float]] = []
    font = font_name()
    for number, page in enumerate(PdfReader(path).pages, start=1):
        def visit(text, cm, tm, _font, size, number=number):  # type: ignore[no-untyped-def]
            shown = text.strip()
            if shown:
                left = cm[4] + tm[4] * cm[0]
                runs.append((number, shown, left, left + stringWidth(shown, font, size * cm[0]), cm[5] + tm[5] * cm[3]))
        page.extract_text(visitor_text=visit)
    return runs


def test_the_plan_is_landscape_with_venue_and_participants(forum, tmp_path):
    _year(forum)
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape: room for seven columns
    flat = "".join("".join((p.extract_text() or "").split()) for p in reader.pages)
    for header in ("No.", "活動・行事名", "開催予定日", "会場", "内容", "参加者数", "実施状況"):
        assert header in flat
    assert "広島県広島市RCC文化センター" in flat and "86名" in flat
    assert "1,234名" in flat
    # A venue known before the day is shown; no participants before it is held.
    assert "岡山県岡山市岡山コンベンションセンター" in flat
    rows = reports.plan_events(forum, "chugoku", FY)
    pitch = next(r for r in rows if r["title"] == "第12回ピッチイベント")
    assert pitch["venue"] == "岡山県岡山市 岡山コンベンションセンター" and pitch["participants"] is None


def test_long_texts_wrap_inside_their_own_column(forum, tmp_path):
    _year(forum)
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    edges = [MARGIN_X]
    for _, width in plan.COLUMNS:
        edges.append(edges[-1] + width)
    assert abs(edges[-1] - (MARGIN_X + plan.TABLE_WIDTH)) < 0.01
    runs = _runs(out)
    # The table: from its header row (repeated on every page) down to the notes or the page's foot.
    header_y = {page: y for page, text, _, _, y in runs if text == "活動・行事名"}
    notes_y = {page: y for page, text, _, _, y in runs if text.startswith("※")}
    assert set(header_y) == {page for page, *_ in runs}
    in_table = 0
    title_lines = []
    for page, text, left, right, y in runs:
        if not notes_y.get(page, 60) < y <= header_y[page] + 1:
            continue
        column = next(i for i in range(len(plan.COLUMNS)) if edges[i] <= left < edges[i + 1])
        in_table += 1
        assert right <= edges[column + 1] + 0.5, (plan.COLUMNS[column][0], text, right - edges[column + 1])
        if column == 1:
            title_lines.append(text)
    assert in_table > 20
    # The long title is there in full, over several lines of its own cell.
    assert LONG_TITLE in "".join(title_lines)
    assert sum(1 for line in title_lines if line in LONG_TITLE) >= 4


def test_an_empty_year_still_has_every_column(forum, tmp_path):
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    flat = "".join((PdfReader(out).pages[0].extract_text() or "").split())
    assert "会場" in flat and "参加者数" in flat and "この年度の活動・行事は登録されていません。" in flat


def test_the_columns_fill_the_landscape_page():
    assert abs(sum(width for _, width in plan.COLUMNS) - plan.TABLE_WIDTH) < 0.01
    assert abs(plan.TABLE_WIDTH - 267 * mm) < 0.01


def test_the_activities_excel_export_has_venue_and_participants(forum, tmp_path):
    _year(forum)
    for page, title in (("events", LONG_TITLE), ("pitch_events", "第12回ピッチイベント")):
        out = export_list_xlsx(forum, page, tmp_path / f"{page}.xlsx")
        sheet = openpyxl.load_workbook(out).active
        header = [c.value for c in sheet[2]]
        assert header[header.index("組織") - 2: header.index("組織")] == ["会場", "参加者数"], page
        rows = {r[1].value: r for r in sheet.iter_rows(min_row=3)}
        row = rows[title]
        venue, count = row[header.index("会場")], row[header.index("参加者数")]
        if page == "events":
            assert venue.value == LONG_VENUE
            assert count.value == 1234 and count.data_type == "n"  # a number, to add up in Excel
        else:
            assert venue.value == "岡山県岡山市 岡山コンベンションセンター" and count.value is None


def test_the_plans_field_trials_are_rows_of_the_plan(forum, tmp_path):
    """A plan's 「第N回実証試験」 is stored as a trial (issue 11): it is still a row of the plan."""
    _year(forum)
    records.create(forum, "trials", {
        "title": "第13回実証試験（福山市）", "lg_code": code("福山市"), "planned": events.planned_from_text("未定 (8月)", FY),
        "status": "held", "held_from": "2024-08-20", "held_to": "2024-08-21",
        "result": "内容: 第10回ピッチイベントで取り扱ったシーズに対する現場試験施工",
    })
    records.create(forum, "trials", {  # the next year's: not in this plan
        "title": "第20回実証試験", "lg_code": code("呉市"), "planned": events.planned_from_text("5月", FY + 1),
        "status": "planned",
    })
    rows = reports.plan_events(forum, "chugoku", FY)
    trial = next(r for r in rows if r["title"] == "第13回実証試験（福山市）")
    assert trial["kind"] == "実証実験・現場試行" and trial["venue"] == "広島県福山市"
    assert trial["description"] == "第10回ピッチイベントで取り扱ったシーズに対する現場試験施工"
    assert not any(r["title"] == "第20回実証試験" for r in rows)
    assert [r["title"] for r in rows].index("第13回実証試験（福山市）") == 2  # by planned start: 6月, 7月, 8月
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=ISSUED)
    flat = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert "第13回実証試験（福山市）実証実験・現場試行" in flat and "計画・実績4件" in flat
