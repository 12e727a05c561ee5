"""Excel workbooks that leave the application: any list as a styled table, and the KPI tally.

openpyxl is imported inside the functions, so the window's start does not pay for it. Every
text value is written as text (``data_type = "s"``): openpyxl would otherwise store a string
starting with ``=`` as a live formula, and one equal to an error code (``#N/A``) as an error.
A workbook is written to a temporary file beside its target and moved into place only when
complete, so a failure or a cancel leaves no half-written file and the old file untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jcim_desktop.domain.fiscal import format_era_date, format_fiscal_year
from jcim_desktop.domain.kpi_rows import KpiRow, OrgColumn, OrgRow
from jcim_desktop.errors import UserError, user_error_from_os
from jcim_desktop.store.tempfiles import replacing_file

ColumnSpec = tuple[str, str, float]
"""(Japanese header, kind, width in Excel character units)."""

Progress = Callable[[int, int, str], None]

KINDS: tuple[str, ...] = ("text", "date", "int", "float", "percent", "era_fy")

DATE_FORMAT = "yyyy/mm/dd"
INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0#"
PERCENT_FORMAT = "0.0%"

# Excel's limit on the text of one cell.
MAX_CELL_TEXT = 32_767
# Control characters are not allowed in XML 1.0 (openpyxl raises on them); they are dropped.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_PROGRESS_EVERY = 2_000

HEADER_FILL = "DDEBF7"
SECTION_FILL = "D9D9D9"
SUBTOTAL_FILL = "F2F2F2"
BORDER_COLOR = "808080"


class ExportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("書き出しを中止しました。ファイルは作成していません。")


# Writing a file atomically --------------------------------------------------------------------


def _save_atomically(path: Path | str, save: Callable[[str], None], data_dir: Path | str | None = None) -> Path:
    """Call ``save(temp)`` with a temporary path beside ``path``, then move it into place.

    The temporary file is recorded in ``data_dir`` while written (so a killed export leaves
    nothing behind at the next start) and synced to disk before the rename. A full disk, a
    read-only folder or a file open in another program is a user error; the old file stays.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise UserError(f"保存先のフォルダ {target.parent} が見つかりません。フォルダを確かめてください。")
    if target.is_dir():
        raise UserError(f"{target} はフォルダです。保存するファイルの名前を指定してください。")
    written = False
    try:
        with replacing_file(target, data_dir) as temp:
            save(str(temp))
            written = True
    except PermissionError as exc:
        if written:  # the rename was refused: the old file is open in another program
            raise UserError(
                f"{target.name} を上書きできません。Excel などで開いている場合は閉じてから、もう一度書き出してください。"
            ) from None
        raise user_error_from_os(exc, "Excel ファイルの書き出し", target) from exc
    except OSError as exc:
        raise user_error_from_os(exc, "Excel ファイルの書き出し", target) from exc
    return target


# Styles -----------------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    side = Side(style="thin", color=BORDER_COLOR)
    return {
        "title_font": Font(bold=True, size=14),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "section_fill": PatternFill("solid", fgColor=SECTION_FILL),
        "subtotal_fill": PatternFill("solid", fgColor=SUBTOTAL_FILL),
        "border": Border(left=side, right=side, top=side, bottom=side),
        "header_alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
    }


def _print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape, every column on one page width, the header repeated, page numbers below."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "&P / &N"


def clean_text(value: object) -> str:
    """The text a cell can hold: control characters dropped, cut at Excel's limit."""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():  # a fast C check; most values never reach the regex
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def _text_cell(ws: Any, value: object, **style: Any) -> Any:
    """A write-only cell holding ``value`` as text, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, None)
    cell._value = clean_text(value)
    cell.data_type = "s"
    for name, attr in style.items():
        setattr(cell, name, attr)
    return cell


# Rows of a table ----------------------------------------------------------------------------------

# One encoded cell: (column number, value, openpyxl data type, style array).
_Encoded = tuple[int, Any, str, Any]
_Encoder = Callable[[Sequence[Any]], Iterator[_Encoded]]


def _make_encoder(kinds: Sequence[str], style_arrays: Mapping[str, Any]) -> _Encoder:
    """Turn a row of plain values into typed cells, the type fixed by the column, not the value."""
    plain = style_arrays["plain"]
    date_style = style_arrays["date"]
    number_styles = {"int": style_arrays["int"], "float": style_arrays["float"], "percent": style_arrays["percent"]}
    columns = [(index, kind, number_styles.get(kind)) for index, kind in enumerate(kinds, 1)]
    str_ = str
    fy_labels: dict[int, str] = {}

    def fy_label(fy: int) -> str:
        label = fy_labels.get(fy)
        if label is None:
            try:
                label = format_fiscal_year(fy)
            except ValueError:  # before 昭和: no era form
                label = f"{fy}年度"
            fy_labels[fy] = label
        return label

    def encode(values: Sequence[Any]) -> Iterator[_Encoded]:
        for (col, kind, number_style), value in zip(columns, values, strict=False):
            if value is None or value == "":
                continue
            if type(value) is str_:
                # Text in any column is text (an undated 開催日 reads 未定).
                if not value.isprintable() or len(value) > MAX_CELL_TEXT:
                    value = clean_text(value)
                yield col, value, "s", plain
            elif kind == "date" and isinstance(value, dt.date):
                yield col, value, "d", date_style
            elif kind == "era_fy" and isinstance(value, int):
                yield col, fy_label(value), "s", plain
            elif number_style is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
                yield col, value, "n", number_style
            elif isinstance(value, dt.datetime):
                yield col, format_era_date(value.date()), "s", plain
            elif isinstance(value, dt.date):
                yield col, format_era_date(value), "s", plain
            else:
                yield col, clean_text(value), "s", plain

    return encode


def _install_fast_rows(ws: Any, encode: _Encoder) -> bool:
    """Let the write-only sheet turn each appended row into cells through ``encode``.

    openpyxl's own path assigns ``cell.value``, which re-guesses the type from the value (a
    string starting with ``=`` becomes a formula) and raises, and formats a message, for every
    ready-made cell it is given. Replacing that one step with a reused cell whose type and
    style are set directly writes exactly the same XML, about 20 % faster than appending plain
    values. If a later openpyxl no longer has the hook, the public path is used instead.
    """
    from openpyxl.cell import WriteOnlyCell

    if not callable(getattr(ws, "_values_to_row", None)):
        return False

    def values_to_row(values: Sequence[Any], row_idx: int) -> Iterator[Any]:
        cell = WriteOnlyCell(ws)
        cell.row = row_idx
        for col, value, data_type, style in encode(values):
            cell.column = col
            cell._value = value
            cell.data_type = data_type
            cell._style = style
            yield cell

    ws._values_to_row = values_to_row
    return True


def _public_row(ws: Any, encode: _Encoder, values: Sequence[Any]) -> list[Any]:
    """The same cells as the fast path, built through openpyxl's public write-only API."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for col, value, data_type, style in encode(values):
        while len(cells) < col - 1:
            cells.append(None)
        cell = WriteOnlyCell(ws)
        cell._value = value
        cell.data_type = data_type
        cell._style = style
        cells.append(cell)
    return cells


def _style_array(ws: Any, number_format: str | None) -> Any:
    from copy import copy

    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    return copy(cell._style)


def _cancelled(progress: Progress | None) -> bool:
    return bool(getattr(progress, "cancelled", False))


def write_table(
    path: Path | str,
    *,
    sheet_title: str,
    columns: Sequence[ColumnSpec],
    rows: Iterable[Sequence[Any]],
    title: str | None = None,
    progress: Progress | None = None,
    total: int | None = None,
    fast: bool = True,
    data_dir: Path | str | None = None,
) -> Path:
    """Write ``rows`` as one sheet: a styled header, frozen below it, filtered, A4 landscape.

    ``columns`` are (header, kind, width); kind is one of ``KINDS``: ``date`` cells hold real
    dates shown yyyy/mm/dd, ``era_fy`` turns a fiscal year (int) into 令和6年度, ``int``,
    ``float`` and ``percent`` (a ratio, 0.7 → 70.0%) are numbers, and any ``str`` value is
    written as text in every column. ``progress(done, total, text)`` is called every few
    thousand rows; if it has a true ``cancelled`` attribute the export stops and writes nothing.
    ``total`` (the number of rows, when known) is only used for progress. ``fast=False`` forces
    openpyxl's public API (the same file, slower; for tests).
    """
    for label, kind, _width in columns:
        if kind not in KINDS:
            raise ValueError(f"column {label!r}: unknown kind {kind!r}; one of {', '.join(KINDS)}")

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    def save(temp: str) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_sheet_name(sheet_title))
        st = _styles()
        last_col = get_column_letter(max(len(columns), 1))
        header_row = 2 if title else 1
        for index, (_label, _kind, width) in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{header_row + 1}"
        _print_setup(ws, header_row)
        try:
            if title:
                ws.append([_text_cell(ws, title, font=st["title_font"])])
            ws.append([
                _text_cell(ws, label, font=st["bold"], fill=st["header_fill"], border=st["border"],
                           alignment=st["header_alignment"])
                for label, _kind, _width in columns
            ])

            styles = {
                "plain": _style_array(ws, None),
                "date": _style_array(ws, DATE_FORMAT),
                "int": _style_array(ws, INT_FORMAT),
                "float": _style_array(ws, FLOAT_FORMAT),
                "percent": _style_array(ws, PERCENT_FORMAT),
            }
            encode = _make_encoder([kind for _label, kind, _width in columns], styles)
            use_fast = fast and _install_fast_rows(ws, encode)
            expected = total or 0
            done = 0
            if progress:
                progress(0, expected, "Excel ファイルを書いています…")
            for row in rows:
                ws.append(row if use_fast else _public_row(ws, encode, row))
                done += 1
                if done % _PROGRESS_EVERY == 0 and progress is not None:
                    if _cancelled(progress):
                        raise ExportCancelled()
                    progress(done, max(expected, done), f"{done:,} 件を書きました…")
            if _cancelled(progress):
                raise ExportCancelled()
            ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + max(done, 1)}"
            wb.save(temp)
            if progress:
                progress(done, max(expected, done), f"{done:,} 件を書き出しました。")
        except BaseException:
            _abandon_sheet(ws)
            raise

    return _save_atomically(path, save, data_dir)


def _abandon_sheet(ws: Any) -> None:
    """After a failure: close the sheet's row stream and remove the temporary file it wrote to.

    openpyxl streams a write-only sheet to a file in the temp folder until the workbook is saved;
    left alone, that file stays until the program exits and the stream complains when collected.
    """
    rows = getattr(ws, "_rows", None)
    writer = getattr(ws, "_writer", None)
    with contextlib.suppress(Exception):
        if rows is not None:
            rows.close()
    with contextlib.suppress(Exception):
        if writer is not None:
            writer.close()
    with contextlib.suppress(Exception):
        if writer is not None and isinstance(writer.out, str) and os.path.exists(writer.out):
            writer.cleanup()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters, not empty."""
    name = _SHEET_FORBIDDEN.sub("・", title).strip("'") or "Sheet1"
    return name[:31]


# The KPI tally workbook -------------------------------------------------------------------------


KPI_SHEET = "KPI集計表"
ORG_SHEET = "組織別"
KPI_HEADERS: tuple[ColumnSpec, ...] = (
    ("項目", "text", 20),
    ("KPI", "text", 40),
    ("数", "int", 13),
    ("目標", "int", 11),
    ("達成率", "percent", 10),
    ("KPI内容説明", "text", 62),
)


def _set(ws: Any, row: int, col: int, value: Any, *, number_format: str | None = None, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell._value = clean_text(value)
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    for name, attr in style.items():
        if attr is not None:
            setattr(cell, name, attr)
    return cell


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _title_rows(ws: Any, title: str, issued_on: dt.date, last_col: int, st: Mapping[str, Any]) -> None:
    from openpyxl.utils import get_column_letter

    _set(ws, 1, 1, title, font=st["title_font"])
    ws.merge_cells(f"A1:{get_column_letter(last_col)}1")
    _set(ws, 2, 1, f"インフラメンテナンス国民会議　発行日 {format_era_date(issued_on)}")
    ws.merge_cells(f"A2:{get_column_letter(last_col)}2")


def _kpi_sheet(ws: Any, fiscal_year: int, rows: Sequence[KpiRow], issued_on: dt.date,
               notes: Sequence[str] = ()) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    st = _styles()
    ncol = len(KPI_HEADERS)
    _title_rows(ws, f"{format_fiscal_year(fiscal_year)} KPI集計表", issued_on, ncol, st)
    header = 3
    for col, (label, _kind, width) in enumerate(KPI_HEADERS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
        _set(ws, header, col, label, font=st["bold"], fill=st["header_fill"], border=st["border"],
             alignment=st["header_alignment"])
    r = header
    for row in rows:
        r += 1
        if row.is_heading:
            for col in range(1, ncol + 1):
                _set(ws, r, col, row.label if col == 1 else None, font=st["bold"], fill=st["section_fill"],
                     border=st["border"])
            continue
        number_format = PERCENT_FORMAT if row.is_rate else INT_FORMAT
        description = row.description
        if row.is_rate and row.numerator is not None and row.denominator:
            description += f"（{row.numerator:,}／{row.denominator:,} 市区町村）"
        # A sub-row (the four parts of マッチング・現場試行・実装実施数, 実数) sits further in.
        label_alignment = Alignment(indent=1 if row.indent <= 1 else 3, vertical="center")
        _set(ws, r, 1, None, border=st["border"])
        _set(ws, r, 2, row.label, border=st["border"], alignment=label_alignment)
        value, target = (row.value, row.target) if row.is_rate else (_number(row.value), _number(row.target))
        _set(ws, r, 3, value, number_format=number_format, border=st["border"])
        _set(ws, r, 4, target, number_format=number_format, border=st["border"])
        _set(ws, r, 5, row.achievement, number_format=PERCENT_FORMAT, border=st["border"])
        _set(ws, r, 6, description, border=st["border"], alignment=st["wrap"])
    for note in notes:
        r += 1
        _set(ws, r, 2, note)
    ws.freeze_panes = f"A{header + 1}"
    _print_setup(ws, header)


def _org_sheet(ws: Any, fiscal_year: int, columns: Sequence[OrgColumn], rows: Sequence[OrgRow],
               issued_on: dt.date) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    st = _styles()
    ncol = len(columns) + 1
    _title_rows(ws, f"{format_fiscal_year(fiscal_year)} KPI集計表（組織別）", issued_on, ncol, st)
    header = 3
    ws.column_dimensions["A"].width = 26
    _set(ws, header, 1, "組織", font=st["bold"], fill=st["header_fill"], border=st["border"],
         alignment=st["header_alignment"])
    for col, column in enumerate(columns, 2):
        ws.column_dimensions[get_column_letter(col)].width = 13
        _set(ws, header, col, column.label, font=st["bold"], fill=st["header_fill"], border=st["border"],
             alignment=st["header_alignment"])
    ws.row_dimensions[header].height = 48
    indent = Alignment(indent=1)
    r = header
    for row in rows:
        r += 1
        if row.kind == "heading":
            for col in range(1, ncol + 1):
                _set(ws, r, col, row.label if col == 1 else None, font=st["bold"], fill=st["section_fill"],
                     border=st["border"])
            continue
        style: dict[str, Any] = {"border": st["border"]}
        if row.kind in ("subtotal", "total"):
            style["font"] = st["bold"]
            style["fill"] = st["subtotal_fill"] if row.kind == "subtotal" else st["section_fill"]
        _set(ws, r, 1, row.label, alignment=indent if row.kind == "org" else None, **style)
        for col, column in enumerate(columns, 2):
            _set(ws, r, col, int(row.values.get(column.kpi, 0) or 0), number_format=INT_FORMAT, **style)
    ws.freeze_panes = f"B{header + 1}"
    _print_setup(ws, header)


def write_tally_workbook(
    path: Path | str,
    *,
    fiscal_year: int,
    tally_rows: Sequence[KpiRow],
    by_org: tuple[Sequence[OrgColumn], Sequence[OrgRow]],
    issued_on: dt.date | None = None,
    data_dir: Path | str | None = None,
    notes: Sequence[str] = (),
) -> Path:
    """The KPI tally of a fiscal year in the official layout (sheet 「KPI集計表」) and by org (「組織別」).

    ``tally_rows`` are ``services.kpi_table.official_table`` rows: section headings 総合計 /
    全国フォーラム小計 / 地方フォーラム小計 are shaded, the four parts of マッチング・現場試行・実装実施数
    indented; rates (参画率) and 達成率 are numbers shown as %. ``by_org`` is what
    ``by_org_table`` returns. Both sheets print on A4 landscape, one page wide. ``notes`` go
    under the KPI table (a closed year's: whose official figures these are).
    """
    from openpyxl import Workbook

    issued = issued_on or dt.date.today()

    def save(temp: str) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = KPI_SHEET
        _kpi_sheet(ws, fiscal_year, tally_rows, issued, notes)
        columns, org_rows = by_org
        _org_sheet(wb.create_sheet(ORG_SHEET), fiscal_year, columns, org_rows, issued)
        wb.save(temp)

    return _save_atomically(path, save, data_dir)
