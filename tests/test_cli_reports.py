"""Reports and Excel on the command line: tally --format xlsx|pdf, report, export-xlsx, template, import-xlsx."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from jcim_desktop.cli import main


@pytest.fixture
def demo(tmp_path, capsys):
    data = str(tmp_path / "chugoku")
    assert main(["demo", "--org", "chugoku", "--data-dir", data]) == 0
    capsys.readouterr()
    return data


def test_tally_as_xlsx_in_the_official_layout(demo, tmp_path, capsys):
    out = tmp_path / "tally.xlsx"
    assert main(["tally", "--fy", "R6", "--format", "xlsx", "--out", str(out), "--data-dir", demo]) == 0
    main(["tally", "--fy", "2024", "--data-dir", demo])
    total = json.loads(capsys.readouterr().out)["kpis"]["supported_municipalities"]["total"]
    book = load_workbook(out)
    cells = [c.value for row in book["KPI集計表"].iter_rows() for c in row if c.value is not None]
    assert {"総合計", "全国フォーラム小計", "地方フォーラム小計", "マッチング検討数"} <= set(map(str, cells))
    assert total in cells


def test_tally_pdf_needs_an_output_file(demo, capsys):
    assert main(["tally", "--fy", "2024", "--format", "pdf", "--data-dir", demo]) == 2
    assert "--out" in capsys.readouterr().err


def test_export_xlsx_of_a_list_page_and_an_unknown_page(demo, tmp_path, capsys):
    out = tmp_path / "needs.xlsx"
    assert main(["export-xlsx", "needs", "--out", str(out), "--data-dir", demo]) == 0
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if "技術テーマ" in row)
    assert "自治体ニーズ" in str(rows[0][0])  # a title line above the header
    assert len([r for r in rows[header_at + 1:] if any(v is not None for v in r)]) == 12
    assert main(["export-xlsx", "widgets", "--out", str(out), "--data-dir", demo]) == 2
    assert "widgets" in capsys.readouterr().err


def test_template_then_import_of_a_needs_survey(demo, tmp_path, capsys):
    template = tmp_path / "survey.xlsx"
    assert main(["template", "needs", "--out", str(template), "--survey", "第7回ニーズ調査", "--data-dir", demo]) == 0
    book = load_workbook(template)
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = sheet.max_row + 1
    values = {"自治体": "ふくやま", "技術テーマ": "=HYPERLINK(\"x\")", "求める内容・条件": "夜間に点検したい",
              "受付日": "令和7年5月10日"}
    for col, label in enumerate(header, start=1):
        for key, value in values.items():
            if label and str(label).startswith(key):
                sheet.cell(row=row, column=col, value=value).data_type = "s"
    book.save(template)
    assert main(["import-xlsx", "needs", str(template), "--data-dir", demo]) == 0
    assert "1" in capsys.readouterr().err
    out = tmp_path / "after.xlsx"
    main(["export-xlsx", "needs", "--out", str(out), "--data-dir", demo])
    titles = [c.value for row in load_workbook(out).active.iter_rows(min_row=2) for c in row]
    assert '=HYPERLINK("x")' in titles  # kept as text, never a live formula


def test_import_of_a_bad_file_is_refused_with_exit_1(demo, tmp_path, capsys):
    bad = tmp_path / "renamed.xlsx"
    bad.write_text("これは Excel ではありません")
    assert main(["import-xlsx", "needs", str(bad), "--data-dir", demo]) == 1
    assert "Excel（.xlsx）形式ではありません" in capsys.readouterr().err


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_report_plan_and_kpi_pdf_from_the_command_line(demo, tmp_path, capsys):
    plan = tmp_path / "plan.pdf"
    assert main(["report", "plan", "--org", "chugoku", "--fy", "令和6年度", "--out", str(plan), "--data-dir", demo]) == 0
    text = _pdf_text(plan)
    assert "中国フォーラム" in text and "活動計画・実績" in text and "第12回ピッチイベント" in text
    assert "未定 (11月)" in text  # 開催予定日 as written
    kpi = tmp_path / "kpi.pdf"
    assert main(["tally", "--fy", "2024", "--format", "pdf", "--out", str(kpi), "--data-dir", demo]) == 0
    kpi_text = _pdf_text(kpi)
    assert all(section in kpi_text for section in ("総合計", "全国フォーラム小計", "地方フォーラム小計"))
    assert main(["report", "plan", "--org", "osaka", "--fy", "2024", "--out", str(plan), "--data-dir", demo]) == 1
    assert "osaka" in capsys.readouterr().err
