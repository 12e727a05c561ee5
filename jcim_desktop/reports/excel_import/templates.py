"""Writing the two templates: the needs survey (with the local-government list) and the activity
plan, each with dropdowns, input prompts, an example row and a 記入方法 sheet, saved atomically."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jcim_desktop.domain.classification import TRIAL_KIND_LABEL
from jcim_desktop.domain.fiscal import format_era_date, format_fiscal_year
from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry, default_registry
from jcim_desktop.domain.vocab import EVENT_TYPES, FACILITY_TYPES
from jcim_desktop.reports.excel_import.cells import column_letter
from jcim_desktop.reports.excel_import.layout import (
    CHOICES_SHEET,
    EVENTS_COLUMNS,
    EVENTS_SHEET,
    EXAMPLE_MARK,
    HOWTO_SHEET,
    LG_LIST_SHEET,
    NEEDS_COLUMNS,
    NEEDS_SHEET,
    TEMPLATE_ROWS,
    Column,
)

_HEADER_FILL_REQUIRED = "1F4E79"
_HEADER_FILL_OPTIONAL = "5B7FA6"
_LAST_ROW = TEMPLATE_ROWS + 1
"""The last row the dropdowns and prompts of an entry sheet cover."""
_EVENT_KINDS: tuple[str, ...] = (*EVENT_TYPES.values(), TRIAL_KIND_LABEL)
"""The activity plan's 種別 list: the event types, then 実証実験・現場試行 (a row that becomes a trial)."""


def _style_header(ws: Any, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.data_type = "s"
        cell.font = Font(bold=True, color="FFFFFF")
        colour = _HEADER_FILL_REQUIRED if column.required else _HEADER_FILL_OPTIONAL
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.column_dimensions[column_letter(index)].width = column.width
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "A2"


def _example_row(ws: Any, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Font

    grey = Font(italic=True, color="808080")
    for index, column in enumerate(columns, start=1):
        if column.example is None:
            continue
        cell = ws.cell(row=2, column=index, value=column.example)
        cell.font = grey
        if isinstance(column.example, dt.date):
            cell.number_format = "yyyy/m/d"
        else:
            cell.data_type = "s"


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _list_validation(ws: Any, sheet: str, column: str, count: int, cells: str, title: str) -> None:
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(sheet)}!${column}$2:${column}${count + 1}",
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell ▼
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=f"{title}は▼の一覧から選んでください。",
        showInputMessage=True,
        promptTitle=title,
        prompt="▼の一覧から選んでください。",
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _prompt(ws: Any, cells: str, title: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(showInputMessage=True, promptTitle=title[:32], prompt=prompt[:255])
    dv.add(cells)
    ws.add_data_validation(dv)


def _choices_sheet(wb: Any) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(CHOICES_SHEET)
    for col, (title, labels) in enumerate((("施設種別", FACILITY_TYPES.values()), ("種別", _EVENT_KINDS)), start=1):
        ws.cell(row=1, column=col, value=title).font = Font(bold=True)
        for row, text in enumerate(labels, start=2):
            ws.cell(row=row, column=col, value=text).data_type = "s"
        ws.column_dimensions[column_letter(col)].width = 28
    ws.sheet_state = "hidden"


def _lg_list_sheet(wb: Any, registry: LocalGovernmentRegistry) -> None:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(LG_LIST_SHEET)
    headers = ("都道府県", "市区町村", "コード", "ふりがな", "種別")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL_REQUIRED)
    for row, entry in enumerate(registry.all(), start=2):
        values = (entry.prefecture, "" if entry.is_prefecture else entry.name, entry.lg_code,
                  unicodedata.normalize("NFKC", entry.name_kana), entry.kind_label)
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).data_type = "s"
    for letter, width in zip("ABCDE", (12, 18, 10, 22, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{len(registry) + 1}"


def _howto_sheet(wb: Any, title: str, meta: Sequence[tuple[str, Any]], steps: Sequence[str], columns: Sequence[Column]) -> None:
    """The 記入方法 sheet, right after the entry sheet: ``meta`` rows, the numbered steps (the two
    every template shares, then ``steps``), and the notes of ``columns``."""
    from openpyxl.styles import Alignment, Font

    entry = wb.worksheets[0].title
    steps = (
        f"「{entry}」シートに1件1行で記入してください。2行目の灰色の行（「{EXAMPLE_MARK}」で始まる行）は記入例で、取り込まれません。",
        "1行目（見出し）は変更・削除しないでください。列の削除・並べ替えやセルの結合もしないでください。",
        *steps,
    )
    ws = wb.create_sheet(HOWTO_SHEET)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for key, value in meta:
        ws.cell(row=row, column=1, value=key).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="記入のしかた").font = Font(bold=True, size=12)
    row += 1
    for number, step in enumerate(steps, start=1):
        cell = ws.cell(row=row, column=1, value=f"{number}. {step}")
        cell.data_type = "s"
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for col, text in enumerate(("項目", "必須", "書き方"), start=1):
        ws.cell(row=row, column=col, value=text).font = Font(bold=True)
    row += 1
    for column in columns:
        if not column.note:
            continue
        ws.cell(row=row, column=1, value=column.label).data_type = "s"
        ws.cell(row=row, column=2, value="必須" if column.required else "任意")
        note = ws.cell(row=row, column=3, value=column.note)
        note.data_type = "s"
        note.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for letter, width in zip("ABCD", (18, 40, 70, 10), strict=True):
        ws.column_dimensions[letter].width = width
    wb.move_sheet(HOWTO_SHEET, offset=-(len(wb.sheetnames) - 2))


def _entry_sheet(title: str, columns: Sequence[Column]) -> tuple[Any, Any, dict[str, str]]:
    """A workbook whose first sheet ``title`` is laid out for ``columns`` (header, example row,
    print setup), with the hidden dropdown lists; also the column letter of each column key."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    _style_header(ws, columns)
    _example_row(ws, columns)
    _print_setup(ws)
    _choices_sheet(wb)
    return wb, ws, {c.key: column_letter(i) for i, c in enumerate(columns, start=1)}


def _save(wb: Any, path: Path | str, data_dir: Path | str | None = None) -> Path:
    """Save ``wb`` over ``path`` atomically (the temporary file recorded in ``data_dir`` while
    written); a full disk or read-only folder is a user error."""
    from jcim_desktop.errors import user_error_from_os
    from jcim_desktop.store.tempfiles import replacing_file

    target = Path(path)
    try:
        with replacing_file(target, data_dir) as temp:
            wb.save(temp)
    except OSError as exc:
        raise user_error_from_os(exc, "テンプレートの保存", target) from None
    return target


def write_needs_template(
    path: Path | str,
    *,
    org_name: str,
    survey_name: str,
    registry: LocalGovernmentRegistry | None = None,
    data_dir: Path | str | None = None,
) -> Path:
    """Write the needs-survey workbook a municipality fills in; ``read_needs_sheet`` reads it back."""
    reg = registry if registry is not None else default_registry()
    wb, ws, letters = _entry_sheet(NEEDS_SHEET, NEEDS_COLUMNS)
    for key in ("lg", "phone"):  # text cells keep a code's or a phone number's leading zero
        ws.column_dimensions[letters[key]].number_format = "@"
    ws.column_dimensions[letters["received_on"]].number_format = "yyyy/m/d"
    _list_validation(ws, CHOICES_SHEET, "A", len(FACILITY_TYPES),
                     f"{letters['facility1']}2:{letters['facility3']}{_LAST_ROW}", "施設種別")
    _prompt(ws, f"{letters['lg']}2:{letters['lg']}{_LAST_ROW}", "自治体",
            "名前（例: 広島県福山市）か6桁の団体コード。「自治体一覧」シートで確かめられます。")
    _prompt(ws, f"{letters['received_on']}2:{letters['received_on']}{_LAST_ROW}", "受付日",
            "2024/5/10、令和6年5月10日、R6.5.10 のいずれか。")
    _lg_list_sheet(wb, reg)
    steps = (
        "自治体は「広島県福山市」「福山市」のような名前か、6桁の団体コード（例: 342076）で入力します。"
        f"同じ名前の市町村が複数あるとき（府中市など）は都道府県名から入力してください。「{LG_LIST_SHEET}」シートで確かめられます。",
        "施設種別はセルを選ぶと出る▼の一覧から選びます（3つまで）。",
        "受付日は 2024/5/10、令和6年5月10日、R6.5.10 のいずれかの形で入力します。",
        "見出しが濃い青の列は必須、薄い青の列は任意です。担当者の連絡先は個人情報として扱います。",
    )
    meta = (("調査名", survey_name), ("組織", org_name), ("作成日", format_era_date(dt.date.today())))
    _howto_sheet(wb, f"{survey_name} 記入方法", meta, steps, NEEDS_COLUMNS)
    return _save(wb, path, data_dir)


def write_events_template(path: Path | str, *, org_name: str, fiscal_year: int,
                          registry: LocalGovernmentRegistry | None = None,
                          data_dir: Path | str | None = None) -> Path:
    """Write the activity-plan workbook (活動・行事名 / 開催予定日 / 内容 / 種別 / 自治体) of
    ``fiscal_year``; a row of 種別 実証実験・現場試行 is imported as a trial."""
    reg = registry if registry is not None else default_registry()
    wb, ws, letters = _entry_sheet(EVENTS_SHEET, EVENTS_COLUMNS)
    # Text cells: Excel would turn 7/10 or 7月10日 into a date and lose what was written, and a
    # code its leading zero.
    for key in ("planned", "lg"):
        ws.column_dimensions[letters[key]].number_format = "@"
    _list_validation(ws, CHOICES_SHEET, "B", len(_EVENT_KINDS),
                     f"{letters['event_type']}2:{letters['event_type']}{_LAST_ROW}", "種別")
    _prompt(ws, f"{letters['planned']}2:{letters['planned']}{_LAST_ROW}", "開催予定日",
            "計画表の書き方のまま（例: 7月頃、第2四半期、未定（4月）、R6.10.9）。")
    _prompt(ws, f"{letters['lg']}2:{letters['lg']}{_LAST_ROW}", "自治体",
            f"「{TRIAL_KIND_LABEL}」の行は必須（1つ）。名前（例: 広島県福山市）か6桁の団体コード。複数は「、」で区切る。")
    _lg_list_sheet(wb, reg)
    steps = (
        "開催予定日は計画表の書き方のまま入力します（例: 7月頃、第2四半期、未定（4月）、6月上旬～7月中旬、R6.10.9、調整中）。"
        "書いたとおりに保存され、期間として読み取られます。1月～3月は翌年の1月～3月です。",
        "種別は▼の一覧から選びます。空欄のときは「その他」になります。",
        f"実証実験・現場試行（第N回実証試験など）は種別を「{TRIAL_KIND_LABEL}」にしてください。実証実験として登録され、"
        "現場試行数に数えられます。その行には実証実験を行う自治体を1つ入力します"
        f"（「広島県福山市」のような名前か6桁の団体コード。「{LG_LIST_SHEET}」シートで確かめられます）。",
        "取り込んだ活動・行事と実証実験は「予定」として登録されます。",
    )
    meta = (("年度", fiscal_year), ("年度（和暦）", format_fiscal_year(fiscal_year)), ("組織", org_name))
    _howto_sheet(wb, f"{format_fiscal_year(fiscal_year)} 活動計画 記入方法", meta, steps, EVENTS_COLUMNS)
    return _save(wb, path, data_dir)
