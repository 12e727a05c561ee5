"""Reading a sheet row by row, whatever its layout: find the header row by the column names
(and their aliases), read the 記入方法 sheet's year and survey name, turn each data row into a
``RowResult`` with the sheet's converter, and report sheet-level problems (missing or doubled
columns, merged cells, an empty sheet, too many rows). The needs and events sheets each give
their columns and a converter."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcim_desktop.domain.fiscal import parse_fiscal_year
from jcim_desktop.reports.excel_import.cells import cell_text, column_letter, is_blank
from jcim_desktop.reports.excel_import.layout import CHOICES_SHEET, EXAMPLE_MARK, HOWTO_SHEET, LG_LIST_SHEET, Column
from jcim_desktop.reports.excel_import.results import ROW_ENTITY, CellError, Progress, RowResult, SheetResult
from jcim_desktop.reports.excel_import.workbook import (
    UNSAFE_XML,
    Unreadable,
    is_defused_error,
    iter_rows,
    merged_ranges,
    open_workbook,
)

_log = logging.getLogger(__name__)

PROGRESS_EVERY = 500
MAX_DATA_ROWS = 200_000
_HEADER_SCAN_ROWS = 30
_HEADER_SCAN_COLS = 60
_META_KEYS = {"年度": "fiscal_year", "調査名": "survey", "組織": "org"}

_PAREN_TAIL = re.compile(r"[(\[【].*?[)\]】]")
_MARKS = re.compile(r"^[*※]+|[*※]+$|必須$")


def _norm_label(text: object) -> str:
    """Header text as matched: NFKC, no spaces, no （…） notes or required marks, case-folded."""
    if not isinstance(text, str):
        return ""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    s = _PAREN_TAIL.sub("", s)
    return _MARKS.sub("", s).casefold()


def _aliases(columns: Sequence[Column]) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in columns:
        for name in (column.label, column.header, *column.aliases):
            table.setdefault(_norm_label(name), column.key)
    return table


@dataclass
class _Layout:
    sheet: Any
    name: str
    header_row: int
    columns: dict[str, list[int]]  # key -> column indexes (1-based); only facility keys may hold several


RowConverter = Callable[[int, Mapping[str, list[tuple[int, Any]]]], tuple[dict[str, Any] | None, list[CellError]]]
"""``convert(row number, key -> [(column, value)])`` → ``(data or None, cell errors)``: one sheet's rules."""


def _scan_header(ws: Any, aliases: Mapping[str, str]) -> tuple[int, dict[str, list[int]], bool]:
    """The best header row among the first rows: ``(row, key -> columns, sheet has any value)``."""
    best: tuple[int, dict[str, list[int]]] = (0, {})
    any_value = False
    for number, values in iter_rows(ws, max_row=_HEADER_SCAN_ROWS, max_col=_HEADER_SCAN_COLS):
        found: dict[str, list[int]] = {}
        for index, value in enumerate(values, start=1):
            if not is_blank(value):
                any_value = True
            key = aliases.get(_norm_label(value))
            if key is not None:
                found.setdefault(key, []).append(index)
        if len(found) > len(best[1]):
            best = (number, found)
    return best[0], best[1], any_value


def _locate(wb: Any, preferred: str, columns: Sequence[Column]) -> tuple[_Layout | None, bool]:
    aliases = _aliases(columns)
    names = list(wb.sheetnames)
    order = [preferred] if preferred in names else [n for n in names if n not in (HOWTO_SHEET, CHOICES_SHEET, LG_LIST_SHEET)]
    any_value = False
    for name in order:
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            continue
        row, found, has_value = _scan_header(ws, aliases)
        any_value = any_value or has_value
        if row and len(found) >= 2:
            return _Layout(ws, name, row, found), True
    return None, any_value


def _read_meta(wb: Any) -> dict[str, Any]:
    if HOWTO_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, Any] = {}
    for _number, values in iter_rows(wb[HOWTO_SHEET], max_row=15, max_col=2):
        key = _META_KEYS.get(cell_text(values[0]) if values else "")
        if key is not None and len(values) > 1 and not is_blank(values[1]):
            meta[key] = values[1]
    return meta


def meta_fiscal_year(meta: Mapping[str, Any]) -> int | None:
    """The fiscal year written in the 記入方法 sheet (2024 or 令和6年度), if any."""
    value = meta.get("fiscal_year")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 2000 <= value <= 2100:
        return int(value)
    if isinstance(value, str):
        try:
            return parse_fiscal_year(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class SheetKind:
    """A kind of sheet to read: ``kind`` names it in the result; the sheet is ``preferred`` by
    name, else the first with the headers of ``columns``; ``field_keys`` maps entity fields to
    column keys, so that the entity rules' messages can name a column."""

    kind: str
    preferred: str
    columns: Sequence[Column]
    field_keys: Mapping[str, str]


MakeConverter = Callable[[dict[str, Any], SheetResult], RowConverter | None]
"""``make_converter(meta, result)``: the row converter, or None after adding a problem to ``result``."""


def read_sheet(path: Path | str, sheet: SheetKind, *, make_converter: MakeConverter,
               progress: Progress | None) -> SheetResult:
    """Read the ``sheet`` of ``path`` row by row with the converter ``make_converter`` gives."""
    result = SheetResult(sheet.kind)
    path = Path(path)
    try:
        wb = open_workbook(path)
    except Unreadable as exc:
        result.problems.append(str(exc.args[0]))
        return result
    reporter = _Reporter(progress) if progress is not None else None
    try:
        _read_open(wb, result, sheet, make_converter, reporter)
    except _CallbackFailed as exc:
        raise exc.original from None  # e.g. the person cancelled: not a problem of the file
    except Unreadable as exc:
        result.rows = []
        result.problems.append(str(exc.args[0]))
    except Exception as exc:  # noqa: BLE001 - a foreign file may break the reader in any way
        _log.warning("could not read %s", path, exc_info=True)
        result.rows = []
        result.problems.append(
            UNSAFE_XML if is_defused_error(exc) else
            f"このファイルを読み取れませんでした（{type(exc).__name__}）。Excel で開いて「Excel ブック（*.xlsx）」として"
            "保存し直すか、アプリで作ったテンプレートに記入し直してください。"
        )
    finally:
        wb.close()
    return result


class _CallbackFailed(Exception):
    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


class _Reporter:
    """Passes progress on; whatever the callback raises travels through the reader untouched."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int, text: str = "") -> None:
        try:
            self.progress(done, total, text)
        except Exception as exc:
            raise _CallbackFailed(exc) from exc


def _read_open(wb: Any, result: SheetResult, sheet: SheetKind, make_converter: MakeConverter,
               progress: Progress | None) -> None:
    preferred, columns = sheet.preferred, sheet.columns
    layout, any_value = _locate(wb, preferred, columns)
    if layout is None:
        where = preferred if preferred in wb.sheetnames else "最初のシート"
        if not any_value:
            result.problems.append(
                f"シート（{where}）に何も入力されていません。アプリで作ったテンプレートに記入して取り込んでください。"
            )
        else:
            needed = "」「".join(c.label for c in columns if c.required)
            result.problems.append(
                f"見出しの行（「{needed}」など）が見つかりません。テンプレートの1行目を変更しないでください。"
            )
        if preferred in wb.sheetnames:
            _merged_header_problem(wb, wb[preferred], 0, result)
        return
    ws = layout.sheet
    result.sheet_name, result.header_row = layout.name, layout.header_row
    merged = _merged_header_problem(wb, ws, layout.header_row, result)
    by_key = {c.key: c for c in columns}
    for key, indexes in layout.columns.items():
        if len(indexes) > 1 and not key.startswith("facility"):
            letters = "と".join(f"{column_letter(i)}列" for i in indexes)
            result.problems.append(f"「{by_key[key].label}」の列が{len(indexes)}つあります（{letters}）。1つにしてください。")
    if not merged:
        for column in columns:
            if column.required and column.key not in layout.columns:
                result.problems.append(f"必要な列「{column.label}」がありません。テンプレートの1行目を変更しないでください。")
    for field_name, key in sheet.field_keys.items():
        if key == "facility1":
            facility = sorted(i for k, v in layout.columns.items() if k.startswith("facility") for i in v)
            if facility:
                result.field_columns[field_name] = (column_letter(facility[0]), "施設種別")
        elif key in layout.columns:
            result.field_columns[field_name] = (column_letter(layout.columns[key][0]), by_key[key].label)
    meta = _read_meta(wb)
    convert = make_converter(meta, result)
    if result.problems or convert is None:
        return
    _read_rows(ws, layout, columns, convert, merged_cells=_merged_data_cells(wb, ws, layout), result=result, progress=progress)
    if not result.rows and not result.problems:
        result.problems.append(
            f"取り込むデータがありません。見出し（{layout.header_row}行目）の下の行に1件1行で記入してください"
            f"（「{EXAMPLE_MARK}」で始まる記入例の行は取り込みません）。"
        )


def _merged_header_problem(wb: Any, ws: Any, header_row: int, result: SheetResult) -> bool:
    ranges = merged_ranges(wb, ws)
    if header_row:
        hits = [ref for (_c1, r1, _c2, r2, ref) in ranges if r1 <= header_row <= r2]
    else:
        hits = [ref for (_c1, r1, _c2, _r2, ref) in ranges if r1 <= _HEADER_SCAN_ROWS]
    if not hits:
        return False
    where = f"見出しの行（{header_row}行目）" if header_row else "見出しの行"
    result.problems.append(
        f"{where}に結合されたセルがあります（{'、'.join(hits[:5])}）。セルの結合を解除し、"
        "1つの列に1つの見出しを入れてください（テンプレートの1行目は変更しないでください）。"
    )
    return True


def _merged_data_cells(wb: Any, ws: Any, layout: _Layout) -> dict[int, list[tuple[int, str]]]:
    """Row -> ``(column, range)`` of merged cells below the header (only the first cell keeps a value)."""
    used = {i for indexes in layout.columns.values() for i in indexes}
    cells: dict[int, list[tuple[int, str]]] = {}
    for c1, r1, c2, r2, ref in merged_ranges(wb, ws):
        if r2 <= layout.header_row:
            continue
        for col in range(c1, c2 + 1):
            if col in used:
                for row in range(max(r1, layout.header_row + 1), r2 + 1):
                    cells.setdefault(row, []).append((col, ref))
    return cells


def _read_rows(
    ws: Any,
    layout: _Layout,
    columns: Sequence[Column],
    convert: RowConverter,
    *,
    merged_cells: Mapping[int, list[tuple[int, str]]],
    result: SheetResult,
    progress: Progress | None,
) -> None:
    labels = {c.key: c.label for c in columns}
    max_col = max(i for indexes in layout.columns.values() for i in indexes)
    known_rows = getattr(ws, "max_row", None)
    total = max(int(known_rows) - layout.header_row, 0) if isinstance(known_rows, int) else 0
    # The declared size may be wrong or huge (a sheet formatted to row 1,048,576): read what is there.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    wanted = [(key, index) for key, indexes in layout.columns.items() for index in indexes]
    done = 0
    for number, values in iter_rows(ws, min_row=layout.header_row + 1, max_col=max_col):
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done), f"{done:,}行を読み取りました…")
        cells: dict[str, list[tuple[int, Any]]] = {}
        first: Any = None
        for key, index in wanted:
            value = values[index - 1] if index <= len(values) else None
            if isinstance(value, str):
                value = value.strip()
            if is_blank(value):
                value = None
            elif first is None or index < first[0]:
                first = (index, value)
            cells.setdefault(key, []).append((index, value))
        if first is None:
            continue  # a blank row
        if isinstance(first[1], str) and unicodedata.normalize("NFKC", first[1]).startswith("例)"):
            continue  # the template's example row
        if len(result.rows) >= MAX_DATA_ROWS:
            raise Unreadable(f"行が多すぎます（{MAX_DATA_ROWS:,}行まで）。ファイルを分けて取り込んでください。")
        data, errors = convert(number, cells)
        entity = data.pop(ROW_ENTITY, None) if data is not None else None
        for col, ref in merged_cells.get(number, ()):
            key = next((k for k, idx in layout.columns.items() if col in idx), "")
            errors.append(CellError(number, column_letter(col), labels.get(key, ""),
                                    f"セルが結合されています（{ref}）。結合を解除し、1件1行で記入してください。"))
        errors.sort(key=lambda e: (len(e.column_letter), e.column_letter))
        result.rows.append(RowResult(number, None if errors else data, errors, entity))
    if progress is not None:
        progress(done, done, f"{done:,}行を読み取りました。")


def single_cell(cells: Mapping[str, list[tuple[int, Any]]], key: str) -> tuple[str, Any]:
    """``(column letter, value)`` of a one-column key; ``("", None)`` if the column is absent."""
    entries = cells.get(key)
    if not entries:
        return "", None
    index, value = entries[0]
    return column_letter(index), value
