"""Excel export: list pages and the KPI tally, read back with openpyxl and as raw sheet XML."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import code, transfer
from jcim_desktop.domain.kpi import KPI_BY_CODE, MATCHING_PARTS
from jcim_desktop.errors import UserError
from jcim_desktop.reports import excel_export as xlsx
from jcim_desktop.services import events, listing, master, matchings, records, targets
from jcim_desktop.services.excel_export import (
    HELD_TO_LABEL,
    PAGES,
    export_columns,
    export_list_xlsx,
    export_tally_xlsx,
    iter_typed_rows,
)

FY = 2024
D = dt.date
INJECTIONS = ("=1+1", "+cmd", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "#N/A")


def _need(ctx, name, received, title=None):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": title or f"{name}の橋梁点検", "facility_types": ["bridge", "road"],
        "requirements": "点検費用を抑えたい", "received_on": received.isoformat(), "status": "open",
    })


def _event(ctx, title, *, planned="第2四半期", held=None, held_to=None, lg=("福山市",), event_type="forum", fy=FY):
    data = {
        "title": title, "event_type": event_type, "planned": events.planned_from_text(planned, fy),
        "status": "held" if held else "planned", "lg_codes": [code(n) for n in lg], "counts_as_forum": True,
    }
    if held:
        data["held_from"] = held.isoformat()
        data["held_to"] = (held_to or held).isoformat()
    return records.create(ctx, "events", data)


@pytest.fixture
def data(forum):
    """中国フォーラム's records: a few of every list page."""
    _need(forum, "福山市", D(2024, 5, 10))
    _need(forum, "呉市", D(2025, 2, 3))
    n3 = _need(forum, "尾道市", D(2019, 6, 1))
    _event(forum, "中国フォーラム総会", held=D(2024, 6, 1), lg=("福山市", "広島市", "呉市"))
    _event(forum, "橋梁点検ワークショップ", held=D(2024, 9, 5), held_to=D(2024, 9, 6), event_type="workshop")
    _event(forum, "技術展示会への出展", planned="7月頃")
    _event(forum, "技術ピッチ（広島）", held=D(2024, 11, 1), event_type="pitch_event")
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                           "facility_types": ["bridge"], "registered_on": "2024-04-20"})
    m = matchings.create_matching(forum, n3.id, seed.id, considered_on=D(2024, 6, 1))
    records.create(forum, "trials", {
        "title": "第1回実証試験", "lg_code": code("尾道市"), "matching_id": m.id,
        "planned": events.planned_from_text("10月", FY), "status": "held",
        "held_from": "2024-10-10", "held_to": "2024-10-11",
    })
    records.create(forum, "support_activities", {"kind": "visit", "on": "2024-12-01", "lg_code": code("福山市"),
                                                 "note": "現地で点検方法を助言"})
    return forum


def _sheet(path: Path):
    wb = openpyxl.load_workbook(path)
    return wb, wb.worksheets[0]


def _sheet_xml(path: Path, index: int = 1) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def _header(ws, row=2):
    return [c.value for c in ws[row]]


# List pages -------------------------------------------------------------------------------------


def test_pages_cover_every_list_view():
    assert {p.view for p in PAGES.values()} == set(listing.VIEWS)
    assert set(PAGES) == {"events", "pitch_events", "needs", "seeds", "matchings", "trials", "support"}


def test_needs_round_trip_with_dates_as_dates_and_era_labels(data, tmp_path):
    out = export_list_xlsx(data, "needs", tmp_path / "needs.xlsx")
    wb, ws = _sheet(out)
    assert ws.title == "自治体ニーズ一覧"
    assert "自治体ニーズ一覧" in ws["A1"].value and "中国フォーラム" in ws["A1"].value
    assert _header(ws) == ["年度", "受付日", "自治体", "技術テーマ", "施設種別", "状況", "組織"]
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:G5"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    # The page's default order: newest 受付日 first.
    assert rows == [
        ["令和6年度", dt.datetime(2025, 2, 3), "広島県呉市", "呉市の橋梁点検", "橋梁・道路", "受付", "中国フォーラム"],
        ["令和6年度", dt.datetime(2024, 5, 10), "広島県福山市", "福山市の橋梁点検", "橋梁・道路", "受付", "中国フォーラム"],
        ["令和元年度", dt.datetime(2019, 6, 1), "広島県尾道市", "尾道市の橋梁点検", "橋梁・道路", "受付", "中国フォーラム"],
    ]
    date_cell = ws["B3"]
    assert date_cell.is_date and date_cell.data_type == "d" and date_cell.number_format == "yyyy/mm/dd"
    assert ws["A3"].data_type == "s"
    # The text columns read exactly as the list page shows them.
    from jcim_desktop.ui.table_model import cell_text  # the list page's formatting (Japanese here)

    ids = listing.fetch_ids(data, "needs", records.Query())
    shown = listing.fetch_rows(data, "needs", ids)
    for row, record_id in zip(rows, ids, strict=True):
        display = [cell_text("needs", c.key, v) for c, v in zip(listing.columns("needs"), shown[record_id], strict=True)]
        assert [row[0], row[2], row[3], row[4], row[5], row[6]] == [display[i] for i in (0, 2, 3, 4, 5, 6)]
    widths = {col: ws.column_dimensions[col].width for col in "ABCD"}
    assert widths["D"] > widths["A"] > 0


def test_events_split_the_held_range_and_keep_planned_text(data, tmp_path):
    out = export_list_xlsx(data, "events", tmp_path / "events.xlsx", sort_key="title")
    _wb, ws = _sheet(out)
    labels = [c.label for c in listing.columns("events")]
    held = labels.index("実施日")
    labels[labels.index("組織"):labels.index("組織")] = ["会場", "参加者数"]  # the export's extra columns
    assert _header(ws) == labels[: held + 1] + [HELD_TO_LABEL] + labels[held + 1:]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3)}
    workshop = rows["橋梁点検ワークショップ"]
    assert [c.value for c in workshop[4:6]] == [dt.datetime(2024, 9, 5), dt.datetime(2024, 9, 6)]
    assert all(c.is_date and c.number_format == "yyyy/mm/dd" for c in workshop[4:6])
    planned_only = rows["技術展示会への出展"]
    assert planned_only[0].value == "令和6年度"
    assert planned_only[3].value == "7月頃"
    assert planned_only[4].value is None and planned_only[5].value is None
    assert rows["中国フォーラム総会"][7].value == "広島県福山市、広島県広島市、広島県呉市"  # all, not "ほか1"
    # In the sort asked for, the same order as the list page.
    titles = [r[1].value for r in ws.iter_rows(min_row=3)]
    ids = listing.fetch_ids(data, "events", records.Query(), "title", False)
    assert titles == [listing.fetch_rows(data, "events", ids)[i][1] for i in ids]


def test_query_filters_the_export(data, tmp_path):
    query = records.Query(fiscal_year=2019)
    out = export_list_xlsx(data, "needs", tmp_path / "n.xlsx", query=query)
    _wb, ws = _sheet(out)
    assert "令和元年度" in ws["A1"].value
    assert [r[3].value for r in ws.iter_rows(min_row=3)] == ["尾道市の橋梁点検"]


def test_every_page_exports_one_value_per_column(data, tmp_path):
    for page in PAGES:
        columns = export_columns(page)
        rows = list(iter_typed_rows(data, page))
        assert rows, page
        assert all(len(r) == len(columns) for r in rows), page
        out = export_list_xlsx(data, page, tmp_path / f"{page}.xlsx")
        _wb, ws = _sheet(out)
        assert ws.max_row == 2 + len(rows)
    _wb, ws = _sheet(tmp_path / "pitch_events.xlsx")
    count = ws.cell(row=3, column=[c.value for c in ws[2]].index("発表数") + 1)
    assert count.value == 0 and count.data_type == "n"


def test_unknown_page_is_a_user_error(forum, tmp_path):
    with pytest.raises(UserError, match="一覧はありません"):
        export_list_xlsx(forum, "nonsense", tmp_path / "x.xlsx")


# Formula injection ----------------------------------------------------------------------------


def _assert_no_formula(path: Path, texts):
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in texts:
                    assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
                    found[cell.value] = cell
    assert set(found) == set(texts)
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                xml = zf.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >/]", xml), name
    # Also as values only: nothing Excel could have computed.
    values = openpyxl.load_workbook(path, data_only=True)
    assert {c.value for ws in values.worksheets for r in ws.iter_rows() for c in r} >= set(texts)


def test_list_export_writes_formula_like_titles_as_text(forum, tmp_path):
    for i, text in enumerate(INJECTIONS):
        _need(forum, "福山市", D(2024, 5, 1 + i), title=text)
    _event(forum, "=cmd|' /C calc'!A0", held=D(2024, 6, 1))
    out = export_list_xlsx(forum, "needs", tmp_path / "needs.xlsx")
    _assert_no_formula(out, set(INJECTIONS))
    out = export_list_xlsx(forum, "events", tmp_path / "events.xlsx")
    _assert_no_formula(out, {"=cmd|' /C calc'!A0"})


@pytest.mark.parametrize("fast", [True, False])
def test_write_table_keeps_every_kind_typed_and_text_as_text(tmp_path, fast):
    columns = [("名前", "text", 20), ("日付", "date", 12), ("年度", "era_fy", 10), ("数", "int", 8),
               ("値", "float", 8), ("率", "percent", 8)]
    rows = [
        ("=1+1", D(2024, 4, 1), 2024, 1234, 1.5, 0.625),
        ("+cmd", "未定", 2019, None, None, None),
        ("-2", None, "未定", "約10", 2, 1),
        ("@SUM(A1)", dt.datetime(2025, 3, 31, 0, 0), 2030, 0, 0.0, 0.0),
        ("改行\nと\x07制御文字", D(2019, 5, 1), 1, 5, 5, 5),
    ]
    out = xlsx.write_table(tmp_path / "t.xlsx", sheet_title="試験:一覧?", columns=columns, rows=rows,
                           title="=TITLE()", fast=fast)
    _assert_no_formula(out, {"=1+1", "+cmd", "-2", "@SUM(A1)", "=TITLE()"})
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.title == "試験・一覧・"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:F7"
    r3, r4, r5, r6, r7 = (list(ws[i]) for i in range(3, 8))
    assert r3[1].is_date and r3[1].number_format == "yyyy/mm/dd"
    assert [c.value for c in r3[2:]] == ["令和6年度", 1234, 1.5, 0.625]
    assert r3[3].number_format == "#,##0" and r3[5].number_format == "0.0%" and r3[5].data_type == "n"
    assert r4[1].value == "未定" and r4[1].data_type == "s" and r4[2].value == "令和元年度"
    assert r5[2].value == "未定" and r5[3].value == "約10" and r5[3].data_type == "s"
    assert r6[1].value == dt.datetime(2025, 3, 31) and r6[3].value == 0
    assert r7[0].value == "改行\nと制御文字" and r7[2].value == "1年度"
    page = ws.page_setup
    assert page.orientation == "landscape" and int(page.paperSize) == 9 and page.fitToWidth == 1
    assert ws.print_title_rows == "$2:$2"


def test_fast_and_public_paths_write_the_same_sheet(tmp_path):
    columns = [("a", "text", 10), ("b", "date", 10), ("c", "int", 10), ("d", "era_fy", 10)]
    rows = [(f"=x{i}", D(2024, 1, 1) + dt.timedelta(days=i), i, 2020 + i % 3) for i in range(50)]
    fast = xlsx.write_table(tmp_path / "f.xlsx", sheet_title="s", columns=columns, rows=rows, fast=True)
    public = xlsx.write_table(tmp_path / "p.xlsx", sheet_title="s", columns=columns, rows=rows, fast=False)
    assert _sheet_xml(fast) == _sheet_xml(public)


def test_write_table_rejects_an_unknown_kind(tmp_path):
    with pytest.raises(ValueError, match="unknown kind"):
        xlsx.write_table(tmp_path / "x.xlsx", sheet_title="s", columns=[("a", "money", 5)], rows=[])
    assert not (tmp_path / "x.xlsx").exists()


# Nothing half-written -------------------------------------------------------------------------


def _rows_then_fail(n):
    for i in range(n):
        yield (f"row {i}",)
    raise RuntimeError("disk vanished")


def test_a_failure_leaves_no_file_and_the_old_one_intact(tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        xlsx.write_table(target, sheet_title="s", columns=[("a", "text", 5)], rows=_rows_then_fail(5000))
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"previous export")
    with pytest.raises(RuntimeError):
        xlsx.write_table(target, sheet_title="s", columns=[("a", "text", 5)], rows=_rows_then_fail(10))
    assert target.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [target]


class _CancellingProgress:
    def __init__(self):
        self.cancelled = False
        self.calls = []

    def __call__(self, done, total, text=""):
        self.calls.append((done, total, text))
        if done >= 2000:
            self.cancelled = True


def test_cancel_writes_nothing(tmp_path):
    progress = _CancellingProgress()
    rows = ((f"r{i}",) for i in range(10_000))
    with pytest.raises(xlsx.ExportCancelled):
        xlsx.write_table(tmp_path / "c.xlsx", sheet_title="s", columns=[("a", "text", 5)], rows=rows,
                         progress=progress, total=10_000)
    assert list(tmp_path.iterdir()) == []
    assert progress.calls[0] == (0, 10_000, "Excel ファイルを書いています…")


def test_progress_reaches_the_total(data, tmp_path):
    calls = []
    export_list_xlsx(data, "events", tmp_path / "e.xlsx", progress=lambda d, t, s: calls.append((d, t)))
    assert calls[-1] == (4, 4)


def test_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="フォルダ"):
        xlsx.write_table(tmp_path / "nowhere" / "x.xlsx", sheet_title="s", columns=[("a", "text", 5)], rows=[])


# The tally workbook ---------------------------------------------------------------------------


@pytest.fixture
def tallied(data, secretariat):
    transfer(data, secretariat)
    targets.set_target(secretariat, FY, "forums_held", 50)
    targets.set_target(secretariat, FY, "matching_total", 200)
    targets.set_target(secretariat, FY, "mayors_council_rate", 0.7)
    master.set_status(secretariat, code("福山市"), admin_member=True, mayors_council=True, as_of=dt.date(2024, 4, 1))
    return secretariat


def test_tally_workbook_has_the_official_sections_sub_rows_and_rates(tallied, tmp_path):
    out = export_tally_xlsx(tallied, FY, tmp_path / "tally.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["KPI集計表", "組織別"]
    ws = wb["KPI集計表"]
    assert ws["A1"].value == "令和6年度 KPI集計表"
    assert [c.value for c in ws[3]] == ["項目", "KPI", "数", "目標", "達成率", "KPI内容説明"]
    assert ws.freeze_panes == "A4"
    sections = [(r[0].value, r[0].fill.fgColor.rgb) for r in ws.iter_rows(min_row=4) if r[0].value]
    assert [s for s, _ in sections] == ["総合計", "全国フォーラム小計", "地方フォーラム小計"]
    assert all(rgb.endswith(xlsx.SECTION_FILL) for _, rgb in sections)

    by_label = {}
    for r in ws.iter_rows(min_row=4):
        if r[1].value and r[1].value not in by_label:  # the first (総合計) occurrence
            by_label[r[1].value] = r
    total = by_label["マッチング・現場試行・実装実施数"]
    # Considered on 2024-06-01 and trialled on 2024-10-10: two of the four parts.
    assert total[2].value == 2 and total[3].value == 200
    assert total[4].value == pytest.approx(2 / 200) and total[4].number_format == "0.0%"
    for part in MATCHING_PARTS:
        row = by_label[KPI_BY_CODE[part].label]
        assert row[1].alignment.indent > total[1].alignment.indent
    forums = by_label["フォーラム実施数"]
    assert forums[2].value == 3 and forums[2].data_type == "n" and forums[3].value == 50
    rate = by_label["市区町村長会議への参画率"]
    assert rate[2].number_format == "0.0%" and rate[3].number_format == "0.0%" and rate[3].value == 0.7
    assert rate[2].value > 0 and rate[2].value == pytest.approx(1 / 1741, abs=1e-4) and rate[2].data_type == "n"
    assert "／1,741" in rate[5].value
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1

    org = wb["組織別"]
    labels = [r[0].value for r in org.iter_rows(min_row=4)]
    assert labels[0] == "全国フォーラム" and labels[-1] == "総合計"
    assert {"中国フォーラム", "全国フォーラム小計", "地方フォーラム小計"} <= set(labels)
    chugoku = next(r for r in org.iter_rows(min_row=4) if r[0].value == "中国フォーラム")
    header = [c.value for c in org[3]]
    assert chugoku[header.index("フォーラム実施数")].value == 3
    assert org.page_setup.orientation == "landscape"
    _assert_no_formula(out, {"総合計"})


def test_the_fast_row_path_is_available_in_this_openpyxl():
    # If an openpyxl upgrade drops the hook, exports still work (public path) but lose ~20 %.
    from openpyxl import Workbook

    ws = Workbook(write_only=True).create_sheet("s")
    assert xlsx._install_fast_rows(ws, lambda values: iter(()))
