"""Excel import: the templates round trip, and malformed files get a clear message and write nothing."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jcim_desktop.domain.lgcodes import default_registry
from jcim_desktop.domain.vocab import EVENT_TYPES, FACILITY_TYPES
from jcim_desktop.errors import UserError
from jcim_desktop.reports import excel_import as sheets
from jcim_desktop.services import excel_import as service
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext

NEEDS_HEADERS = [c.header for c in sheets.NEEDS_COLUMNS]


def _count(ctx: AppContext, entity: str = "needs") -> int:
    return records.count_records(ctx, entity)


def _template(tmp_path: Path, name: str = "needs.xlsx") -> Path:
    return sheets.write_needs_template(tmp_path / name, org_name="中国インフラメンテナンスフォーラム", survey_name="令和6年度 自治体ニーズ調査")


def _fill(path: Path, rows: list[list[Any]], *, start: int = 3, sheet: str = sheets.NEEDS_SHEET) -> None:
    """Type rows into a template below its example row, as a person would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=start + offset, column=col, value=value)
    wb.save(path)


def _need(lg: Any, title: str = "堤防点検の効率化", received: Any = "2024/5/10", *facility: str) -> list[Any]:
    f = list(facility) + [None] * (3 - len(facility))
    return [lg, title, *f, "車両が入れない堤防を点検したい", received]


def _raises(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(UserError) as info:
        fn(*args, **kwargs)
    return info.value.message


def test_openpyxl_reads_untrusted_xml_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_needs_template_layout(tmp_path: Path) -> None:
    path = _template(tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [sheets.NEEDS_SHEET, sheets.HOWTO_SHEET, sheets.CHOICES_SHEET, sheets.LG_LIST_SHEET]
    ws = wb[sheets.NEEDS_SHEET]
    assert [c.value for c in ws[1]] == NEEDS_HEADERS
    assert ws.freeze_panes == "A2" and ws.column_dimensions["B"].width == 30
    assert ws["A1"].font.bold
    example = ws["A2"]
    assert example.value.startswith("例）") and example.font.italic and example.font.color.rgb.endswith("808080")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [(dv.formula1, str(dv.sqref)) for dv in lists] == [("'選択肢'!$A$2:$A$14", "C2:E20001")]
    choices = wb[sheets.CHOICES_SHEET]
    assert choices.sheet_state == "hidden"
    assert [choices.cell(row=r, column=1).value for r in range(2, 15)] == list(FACILITY_TYPES.values())
    lg_list = list(wb[sheets.LG_LIST_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(lg_list) == 1741 + 47
    assert ("広島県", "福山市", "342076") == lg_list[[r[2] for r in lg_list].index("342076")][:3]
    assert sum(1 for r in lg_list if not r[1]) == 47
    howto = wb[sheets.HOWTO_SHEET]
    assert howto["B3"].value == "令和6年度 自治体ニーズ調査"
    assert any("府中市" in str(c.value) for row in howto.iter_rows() for c in row)


def test_needs_template_round_trip(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [
        # dropdown values, a real date cell, and every written form of a municipality
        ["福山市", "堤防点検の効率化", "河川", "道路", None, "車両が入れない堤防を安く点検したい",
         dt.datetime(2024, 5, 10), "建設局 河川課", "福山 太郎", "kasen@example.lg.jp", "084-928-1111"],
        ["広島県府中市", "橋梁の点検", "橋梁", None, None, "小規模橋梁の近接目視の代替", "2024/6/3"],
        ["ふくやま", "下水道管路の調査", "下水道", None, None, "管路内の劣化を調べたい", "令和6年7月1日"],
        [34207, "トンネル照明", "トンネル", None, None, "点検の省力化", "R6.7.2"],
        ["342076", "公園遊具", "公園", "その他", None, "遊具の劣化診断", "2024-07-03"],
    ])
    check = service.preview_import(forum, "needs", path)
    assert check.ok, check.messages()
    assert (check.total, check.good_count, check.bad_count) == (5, 5, 0)
    assert _count(forum) == 0  # a preview writes nothing

    report = service.import_workbook(forum, "needs", path)
    assert report.imported == 5 and report.skipped_rows == []
    needs = {r["title"]: r for r in records.list_records(forum, "needs")}
    assert set(needs) == {"堤防点検の効率化", "橋梁の点検", "下水道管路の調査", "トンネル照明", "公園遊具"}
    first = needs["堤防点検の効率化"]
    assert first.owner == "chugoku"
    assert first["lg_code"] == "342076" and first["facility_types"] == ["river", "road"]
    assert first["received_on"] == "2024-05-10" and first["status"] == "open"
    assert first["survey"] == "令和6年度 自治体ニーズ調査"
    assert first["contact"] == {"name": "福山 太郎", "department": "建設局 河川課",
                                "email": "kasen@example.lg.jp", "phone": "084-928-1111"}
    assert needs["橋梁の点検"]["lg_code"] == "342084"
    assert {needs[t]["lg_code"] for t in ("下水道管路の調査", "トンネル照明", "公園遊具")} == {"342076"}
    assert [needs[t]["received_on"] for t in ("下水道管路の調査", "トンネル照明", "公園遊具")] == [
        "2024-07-01", "2024-07-02", "2024-07-03"]
    assert needs["公園遊具"]["facility_types"] == ["park", "other"]
    assert needs["下水道管路の調査"]["contact"] is None


def test_ambiguous_and_unknown_municipalities_name_row_and_cell(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [_need("福山市"), _need("府中市"), _need("府中"), _need("存在しない村"), _need("342075")])
    check = service.preview_import(forum, "needs", path)
    assert check.bad_rows == [4, 5, 6, 7]
    messages = check.messages()
    assert messages[0] == "4行目 A列（自治体）: 「府中市」は東京都と広島県にあります。都道府県名を付けてください（例: 広島県府中市）。"
    assert messages[1].startswith("5行目 A列（自治体）: 「府中」に当てはまる自治体が複数あります（東京都府中市、広島県府中市、広島県府中町）")
    assert messages[2].startswith("6行目 A列（自治体）: 「存在しない村」という自治体が見つかりません")
    assert messages[3].startswith("7行目 A列（自治体）: 団体コード 342075:")
    message = _raises(service.import_workbook, forum, "needs", path)
    assert "4行目 A列（自治体）" in message and "何も登録していません" in message
    assert _count(forum) == 0


def test_missing_column(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [_need("福山市")])
    wb = openpyxl.load_workbook(path)
    wb[sheets.NEEDS_SHEET]["B1"] = None
    wb.save(path)
    check = service.preview_import(forum, "needs", path)
    assert check.problems == ["必要な列「技術テーマ」がありません。テンプレートの1行目を変更しないでください。"]
    assert not check.importable
    message = _raises(service.import_workbook, forum, "needs", path, only_good_rows=True)
    assert "必要な列「技術テーマ」がありません。テンプレートの1行目を変更しないでください。" in message
    assert _count(forum) == 0


def test_header_tolerates_spaces_full_width_and_moved_columns(forum: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["令和6年度 ニーズ一覧"])  # a title above the header
    ws.append(["受付日", " 技術 テーマ ", "自治体名", "施設種別", "求める内容・条件（具体的に）", "ＭＥＭＯ"])
    ws.append(["2024/5/10", "堤防", "福山市", "河川、道路", "条件", "無視される列"])
    wb.save(path)
    check = service.preview_import(forum, "needs", path)
    assert check.ok, check.messages()
    assert check.rows[0].row_number == 3 and check.rows[0].data is not None
    assert check.rows[0].data["facility_types"] == ["river", "road"]


def test_merged_header_cells(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [_need("福山市")])
    wb = openpyxl.load_workbook(path)
    wb[sheets.NEEDS_SHEET].merge_cells("A1:B1")
    wb.save(path)
    check = service.preview_import(forum, "needs", path)
    assert len(check.problems) == 1
    assert check.problems[0].startswith("見出しの行（1行目）に結合されたセルがあります（A1:B1）。セルの結合を解除し")
    message = _raises(service.import_workbook, forum, "needs", path, only_good_rows=True)
    assert "結合" in message
    assert _count(forum) == 0


def test_merged_data_cells_are_row_errors(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [_need("福山市", "A"), _need(None, "B")])
    wb = openpyxl.load_workbook(path)
    wb[sheets.NEEDS_SHEET].merge_cells("A3:A4")
    wb.save(path)
    check = service.preview_import(forum, "needs", path)
    assert check.bad_rows == [3, 4]
    assert "3行目 A列（自治体）: セルが結合されています（A3:A4）。結合を解除し、1件1行で記入してください。" in check.messages()


def test_dates_typed_as_text_are_accepted_and_garbage_is_rejected(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    accepted = ["2024/5/10", "2024-05-10", "令和6年5月10日", "R6.5.10", "２０２４／５／１０", dt.date(2024, 5, 10), 45422]
    _fill(path, [_need("福山市", f"テーマ{i}", value) for i, value in enumerate(accepted)]
          + [_need("福山市", "不正な日付", "5月32日"), _need("福山市", "存在しない日", "2024/2/30")])
    check = service.preview_import(forum, "needs", path)
    assert check.bad_rows == [10, 11]
    bad = check.messages()
    assert bad[0].startswith("10行目 G列（受付日）: 受付日「5月32日」")
    assert "2024/5/10、2024-05-10、令和6年5月10日、R6.5.10" in bad[0]
    assert bad[1].startswith("11行目 G列（受付日）:") and "2024年2月30日はありません" in bad[1]
    message = _raises(service.import_workbook, forum, "needs", path)
    assert "10行目 G列（受付日）" in message and "11行目 G列（受付日）" in message
    assert _count(forum) == 0
    report = service.import_workbook(forum, "needs", path, only_good_rows=True)
    assert report.imported == len(accepted) and report.skipped_rows == [10, 11]
    assert {r["received_on"] for r in records.list_records(forum, "needs")} == {"2024-05-10"}


def test_entity_rules_apply_to_rows(forum: AppContext, tmp_path: Path) -> None:
    path = _template(tmp_path)
    _fill(path, [_need("福山市") + [None, None, "no-at-sign"], _need("福山市", "")])
    check = service.preview_import(forum, "needs", path)
    assert check.messages() == [
        "3行目 J列（メール）: メールアドレス「no-at-sign」に @ がありません。正しく入力してください。",
        "4行目 B列（技術テーマ）: 技術テーマを入力してください。",
    ]


def _big_sheet(path: Path, rows: int, bad: dict[int, list[Any]]) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheets.NEEDS_SHEET)
    ws.append(NEEDS_HEADERS)
    lg = ["福山市", "広島県府中市", "342114", "ふくやま", 34207]
    for i in range(rows):
        sheet_row = i + 2
        ws.append(bad.get(sheet_row) or [lg[i % 5], f"テーマ{i}", "河川", None, None, "条件", dt.date(2024, 5, 10) if i % 2 else "令和6年5月10日"])
    wb.save(path)


def test_ten_thousand_rows_with_three_bad_ones(forum: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    bad = {
        1002: ["府中市", "あいまいな自治体", None, None, None, "条件", "2024/5/10"],
        5003: ["福山市", "壊れた日付", None, None, None, "条件", "そのうち"],
        9999: ["福山市", None, None, None, None, "条件", "2024/5/10"],
    }
    _big_sheet(path, 10_000, bad)
    seen: list[int] = []
    sheet = sheets.read_needs_sheet(path, progress=lambda done, total, text: seen.append(done))
    assert sheet.total == 10_000 and sheet.bad_count == 3 and not sheet.problems
    assert seen[:2] == [500, 1000] and seen[-1] == 10_000

    message = _raises(service.import_workbook, forum, "needs", path)
    assert "10,000 行のうち 3 行に誤りがあります" in message
    for row in ("1002行目 A列（自治体）", "5003行目 G列（受付日）", "9999行目 B列（技術テーマ）"):
        assert row in message
    assert "何も登録していません" in message
    assert _count(forum) == 0

    report = service.import_workbook(forum, "needs", path, only_good_rows=True)
    assert report.imported == 9_997 and report.skipped_rows == [1002, 5003, 9999]
    assert "9,997 件登録しました" in report.summary() and "1002、5003、9999行目" in report.summary()
    assert _count(forum) == 9_997


def test_summary_lists_twenty_problems_then_the_rest(forum: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    _big_sheet(path, 30, {n: ["どこでもない", "x", None, None, None, "条件", "2024/5/10"] for n in range(2, 32)})
    message = _raises(service.import_workbook, forum, "needs", path)
    assert message.count("行目 A列（自治体）") == 20
    assert "ほか 10 件" in message


def test_not_an_xlsx_file(forum: AppContext, tmp_path: Path) -> None:
    for name, content in (("renamed.xlsx", "技術テーマ,自治体\n堤防,福山市\n".encode()),
                          ("zip.xlsx", None), ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)):
        path = tmp_path / name
        if content is None:
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("hello.txt", "not a workbook")
        else:
            path.write_bytes(content)
        check = service.preview_import(forum, "needs", path)
        assert len(check.problems) == 1
        expected = "このファイルは古い Excel 形式" if name == "old.xlsx" else "このファイルは Excel（.xlsx）形式ではありません。"
        assert check.problems[0].startswith(expected), (name, check.problems)
        assert expected in _raises(service.import_workbook, forum, "needs", path, only_good_rows=True)
    assert _count(forum) == 0


def test_xml_entities_are_refused(forum: AppContext, tmp_path: Path) -> None:
    good = _template(tmp_path)
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY big "aaaaaaaaaa">]><worksheet', 1)
            dst.writestr(item, data)
    check = service.preview_import(forum, "needs", path)
    assert check.problems == [sheets.UNSAFE_XML]


def test_empty_workbook_and_header_only(forum: AppContext, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    check = service.preview_import(forum, "needs", empty)
    assert len(check.problems) == 1 and "何も入力されていません" in check.problems[0]
    assert "何も入力されていません" in _raises(service.import_workbook, forum, "needs", empty)

    header_only = _template(tmp_path)  # the example row alone is not data
    check = service.preview_import(forum, "needs", header_only)
    assert check.problems == [
        "取り込むデータがありません。見出し（1行目）の下の行に1件1行で記入してください（「例）」で始まる記入例の行は取り込みません）。"
    ]
    assert "取り込むデータがありません" in _raises(service.import_workbook, forum, "needs", header_only)
    assert _count(forum) == 0


def test_missing_file_and_cancel(forum: AppContext, tmp_path: Path) -> None:
    assert "見つかりません" in _raises(service.import_workbook, forum, "needs", tmp_path / "nothing.xlsx")

    class Cancelled(Exception):
        pass

    path = tmp_path / "big.xlsx"
    _big_sheet(path, 1_200, {})

    def cancel(done: int, total: int, text: str) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        service.import_workbook(forum, "needs", path, progress=cancel)
    assert _count(forum) == 0


# -- events ----------------------------------------------------------------------------------------


def test_events_template_and_plan_import(secretariat: AppContext, tmp_path: Path) -> None:
    path = sheets.write_events_template(tmp_path / "plan.xlsx", org_name="事務局", fiscal_year=2024)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheets.EVENTS_SHEET]
    assert [c.value for c in ws[1]] == ["活動・行事名", "開催予定日（計画表の書き方のまま）", "内容", "種別",
                                        "自治体（実証実験・現場試行は必須）"]
    assert ws.column_dimensions["B"].number_format == "@"
    [dv] = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert dv.formula1 == "'選択肢'!$B$2:$B$14"  # the event types, then 実証実験・現場試行
    assert [wb[sheets.CHOICES_SHEET].cell(row=r, column=2).value for r in range(2, 15)] == [
        *EVENT_TYPES.values(), "実証実験・現場試行"]
    _fill(path, [
        ["第1回 中国地方フォーラム", "第2四半期", "講演", "フォーラム・シンポジウム"],
        ["ピッチイベント", "7月頃", None, "ピッチイベント"],
        ["出前授業", "未定 (4月)", "小学校", "出前授業"],
        ["運営会議", "調整中"],
        ["技術セミナー", "2月", "講習会", "セミナー・講演会・講習会"],
    ], sheet=sheets.EVENTS_SHEET)
    check = service.preview_import(secretariat, "events", path)  # the year comes from the template
    assert check.ok, check.messages()
    report = service.import_workbook(secretariat, "events", path)
    assert report.imported == 5
    events = {r["title"]: r for r in records.list_records(secretariat, "events")}
    expected = {
        "第1回 中国地方フォーラム": ("第2四半期", "2024-07-01", "2024-09-30", "quarter", False, "forum", True),
        "ピッチイベント": ("7月頃", "2024-07-01", "2024-07-31", "month", True, "pitch_event", True),
        "出前授業": ("未定 (4月)", "2024-04-01", "2024-04-30", "month", True, "outreach_class", False),
        "運営会議": ("調整中", "2024-04-01", "2025-03-31", "undecided", True, "other", False),
        "技術セミナー": ("2月", "2025-02-01", "2025-02-28", "month", False, "seminar", True),
    }
    for title, (text, start, end, precision, tentative, event_type, counts) in expected.items():
        event = events[title]
        assert event["planned"] == {"text": text, "start": start, "end": end, "precision": precision, "tentative": tentative}
        assert (event["event_type"], event["counts_as_forum"], event["status"]) == (event_type, counts, "planned")
    assert events["第1回 中国地方フォーラム"]["description"] == "講演"


def test_events_bad_rows(forum: AppContext, tmp_path: Path) -> None:
    path = sheets.write_events_template(tmp_path / "plan.xlsx", org_name="中国", fiscal_year=2024)
    _fill(path, [
        ["勉強会", "6月上旬～7月中旬", None, "ワークショップ・勉強会"],
        [None, "7月", "名前のない行"],
        ["予定日のない行", None],
        ["種別が違う", "8月", None, "宴会"],
    ], sheet=sheets.EVENTS_SHEET)
    check = service.preview_import(forum, "events", path, fiscal_year=2024)
    assert check.messages()[:2] == ["4行目 A列（活動・行事名）: 活動・行事名を入力してください。",
                                    "5行目 B列（開催予定日）: 開催予定日を入力してください。決まっていなければ「未定」や「調整中」と書いてください。"]
    assert check.messages()[2].startswith("6行目 D列（種別）: 種別「宴会」は選べません。")
    assert "4行目 A列（活動・行事名）" in _raises(service.import_workbook, forum, "events", path)
    assert _count(forum, "events") == 0
    report = service.import_workbook(forum, "events", path, only_good_rows=True)
    assert report.imported == 1 and report.skipped_rows == [4, 5, 6]
    [event] = records.list_records(forum, "events")
    assert (event["planned"]["start"], event["planned"]["end"], event["planned"]["precision"]) == ("2024-06-01", "2024-07-20", "dekad")


def test_events_without_a_year(forum: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["活動・行事名", "開催予定日", "内容"])
    wb.active.append(["勉強会", "7月", ""])
    wb.save(path)
    assert "年度" in _raises(service.import_workbook, forum, "events", path)
    assert service.import_workbook(forum, "events", path, fiscal_year=2025).imported == 1
    [event] = records.list_records(forum, "events")
    assert event["planned"]["start"] == "2025-07-01"


def test_municipality_forms_resolve() -> None:
    registry = default_registry()
    for written in ("福山市", "広島県福山市", "広島県 福山市", "ふくやま", "フクヤマシ", "福山", "34207", 34207, "342076", 342076, "３４２０７６"):
        found = sheets.resolve_local_government(registry, written)
        assert not isinstance(found, str) and found.lg_code == "342076", (written, found)
    sapporo = sheets.resolve_local_government(registry, 11002)  # 011002 typed into a number cell
    assert not isinstance(sapporo, str) and sapporo.name == "札幌市"
    assert sheets.resolve_local_government(registry, "伊達市") == (
        "「伊達市」は北海道と福島県にあります。都道府県名を付けてください（例: 福島県伊達市）。"
    )
