"""The activity plan says which rows are field trials: its 種別 list holds 実証実験・現場試行, such a
row imports as a trial in its one local government, other rows as the type chosen, and sheets
made before the 自治体 column still import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import code
from jcim_desktop.cli import main
from jcim_desktop.errors import UserError
from jcim_desktop.reports import excel_import as sheets
from jcim_desktop.services import excel_import as service
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally

TRIAL = "実証実験・現場試行"


def _plan(tmp_path: Path, rows: list[list[Any]]) -> Path:
    """The app's template of FY2024 with ``rows`` typed below the example row."""
    path = sheets.write_events_template(tmp_path / "plan.xlsx", org_name="中国フォーラム", fiscal_year=2024)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheets.EVENTS_SHEET]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=3 + offset, column=col, value=value)
    wb.save(path)
    return path


def test_the_template_offers_trials_among_the_kinds_and_asks_for_the_municipality(tmp_path: Path) -> None:
    path = sheets.write_events_template(tmp_path / "plan.xlsx", org_name="中国フォーラム", fiscal_year=2024)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheets.EVENTS_SHEET]
    assert [c.value for c in ws[1]][3:] == ["種別", "自治体（実証実験・現場試行は必須）"]
    [kinds] = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    choices = wb[sheets.CHOICES_SHEET]
    listed = [choices.cell(row=r, column=2).value for r in range(2, 16)]
    assert kinds.formula1 == f"'{sheets.CHOICES_SHEET}'!$B$2:$B${listed.index(None) + 1}" and listed[-2] == TRIAL
    assert str(kinds.sqref).startswith("D2:")
    assert ws.column_dimensions["E"].number_format == "@"  # a code keeps its leading zero
    assert sheets.LG_LIST_SHEET in wb.sheetnames
    howto = " ".join(str(c.value) for row in wb[sheets.HOWTO_SHEET].iter_rows() for c in row if c.value)
    assert f"種別を「{TRIAL}」にしてください" in howto


def test_a_trial_row_becomes_a_trial_and_an_event_row_that_type(forum: AppContext, tmp_path: Path) -> None:
    path = _plan(tmp_path, [
        ["第13回実証試験（福山市）", "未定 (4月)", "ピッチで扱ったシーズの現場試験施工", TRIAL, "広島県福山市"],
        ["橋梁点検セミナー", "7月頃", "講習", "セミナー・講演会・講習会", "福山市、342050"],
        ["第14回実証試験", "5月", None, "その他", None],
        ["運営会議", "調整中"],
    ])
    check = service.preview_import(forum, "events", path)
    assert check.ok, check.messages()
    assert check.trial_rows == [3]
    assert [str(n) for n in check.notes] == [
        "5行目 D列（種別）: 「第14回実証試験」は実証実験・現場試行のようです。現場試行数に数えるには種別を「実証実験・現場試行」にし、"
        "自治体を1つ入力してください（このままでは活動・行事として登録します）。"
    ]
    summary = check.summary()
    assert summary.startswith("「plan.xlsx」の 4 行はすべて取り込めます（活動・行事 3 行、実証実験 1 行）。")
    assert "種別が「実証実験・現場試行」の 1 行（3行目）は実証実験として登録します。" in summary
    assert "5行目 D列（種別）" in summary

    report = service.import_workbook(forum, "events", path)
    assert report.imported == 4 and len(report.trial_ids) == 1
    assert report.summary() == "「plan.xlsx」から活動・行事を 3 件、実証実験を 1 件登録しました。"
    assert report.changes.touches("events") and report.changes.touches("trials") and report.changes.kpis

    [trial] = records.list_records(forum, "trials")
    assert (trial["title"], trial["series_no"], trial["lg_code"], trial["status"]) == (
        "第13回実証試験（福山市）", 13, code("福山市"), "planned")
    assert (trial["planned"]["text"], trial["planned"]["start"], trial["planned"]["end"]) == (
        "未定 (4月)", "2024-04-01", "2024-04-30")
    assert trial["result"] == "内容: ピッチで扱ったシーズの現場試験施工"
    assert trial.id == report.trial_ids[0]
    events = {r["title"]: r for r in records.list_records(forum, "events")}
    assert set(events) == {"橋梁点検セミナー", "第14回実証試験", "運営会議"}
    seminar = events["橋梁点検セミナー"]
    assert (seminar["event_type"], seminar["counts_as_forum"], seminar["lg_codes"]) == (
        "seminar", True, [code("福山市"), "342050"])
    assert events["運営会議"]["event_type"] == "other" and events["運営会議"]["lg_codes"] == []

    # Once held, the imported trial counts in 現場試行数.
    records.update(forum, "trials", trial.id, {"status": "held", "held_from": "2024-04-10"})
    assert tally(forum, 2024)["kpis"]["field_trials"]["by_org"]["chugoku"] == 1


def test_a_trial_row_needs_exactly_one_municipality_and_nothing_is_written_until_it_has(
    forum: AppContext, tmp_path: Path,
) -> None:
    path = _plan(tmp_path, [
        ["第1回実証試験", "4月", None, TRIAL, None],
        ["第2回実証試験", "5月", None, TRIAL, "福山市、尾道市"],
        ["第3回実証試験", "6月", None, TRIAL, "どこか村"],
        ["勉強会", "7月", None, "ワークショップ・勉強会"],
    ])
    check = service.preview_import(forum, "events", path)
    assert check.bad_rows == [3, 4, 5] and check.good_count == 1
    messages = check.messages()
    assert messages[0] == ("3行目 E列（自治体）: 種別が「実証実験・現場試行」の行には、実証実験を行う自治体を1つ入力してください"
                           "（例: 広島県福山市、または6桁の団体コード）。")
    assert messages[1] == ("4行目 E列（自治体）: 種別が「実証実験・現場試行」の行には、自治体を1つだけ入力してください"
                           "（2つ入力されています）。自治体ごとに行を分けてください。")
    assert messages[2].startswith("5行目 E列（自治体）: 「どこか村」という自治体が見つかりません")
    message = _raises(service.import_workbook, forum, "events", path)
    assert "3行目 E列（自治体）" in message and "何も登録していません" in message
    assert records.count_records(forum, "events") == records.count_records(forum, "trials") == 0
    report = service.import_workbook(forum, "events", path, only_good_rows=True)
    assert report.imported == 1 and report.skipped_rows == [3, 4, 5] and report.trial_ids == []


def _raises(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(UserError) as info:
        fn(*args, **kwargs)
    return info.value.message


def test_a_sheet_made_before_the_column_still_imports(forum: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheets.EVENTS_SHEET
    ws.append(["活動・行事名", "開催予定日（計画表の書き方のまま）", "内容", "種別"])
    ws.append(["第1回 中国地方フォーラム", "第2四半期", "講演", "フォーラム・シンポジウム"])
    ws.append(["運営会議", "調整中", None, None])
    ws.append(["第5回実証試験", "8月", None, TRIAL])
    wb.save(path)
    check = service.preview_import(forum, "events", path, fiscal_year=2024)
    assert check.bad_rows == [4]
    assert check.messages()[0].startswith("4行目（自治体）: 種別が「実証実験・現場試行」の行には、実証実験を行う自治体を1つ")
    assert "新しいテンプレートに記入し直してください" in check.messages()[0]
    report = service.import_workbook(forum, "events", path, fiscal_year=2024, only_good_rows=True)
    assert report.imported == 2
    types = {r["title"]: r["event_type"] for r in records.list_records(forum, "events")}
    assert types == {"第1回 中国地方フォーラム": "forum", "運営会議": "other"}


def test_the_command_line_template_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert main(["init", "--org", "chugoku", "--data-dir", data]) == 0
    out = tmp_path / "plan.xlsx"
    assert main(["template", "events", "--fy", "2024", "--out", str(out), "--data-dir", data]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[sheets.EVENTS_SHEET]
    ws.append(["第13回実証試験（福山市）", "未定 (4月)", None, TRIAL, "342076"])
    wb.save(out)
    capsys.readouterr()
    assert main(["import-xlsx", "events", str(out), "--data-dir", data]) == 0
    assert "実証実験を 1 件登録しました" in capsys.readouterr().err


def test_the_window_says_which_rows_become_trials_before_importing(qtbot, forum: AppContext, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from jcim_desktop.ui import ops
    from jcim_desktop.ui.main_window import MainWindow

    path = _plan(tmp_path, [["第13回実証試験（福山市）", "5月", None, TRIAL, "広島県福山市"],
                            ["橋梁点検セミナー", "7月頃", None, "セミナー・講演会・講習会", None]])
    window = MainWindow(forum)
    qtbot.addWidget(window)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.No)
    window.reports_menu.confirm_import("events", path, service.preview_import(forum, "events", path))
    assert len(asked) == 1
    assert "3行目）は実証実験として登録します" in asked[0] and "2 行を取り込みます" in asked[0]
    ops.wait_for_all()
    assert records.list_records(forum, "trials") == []  # answered No: nothing written
