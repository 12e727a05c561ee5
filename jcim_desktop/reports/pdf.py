"""The A4 PDF reports (reportlab): the KPI result report, a forum's activity plan and results,
matching information sheets, and the participation map.

Every function here is pure: it takes plain data (numbers, strings, dicts, lists) gathered by
``services.reports`` and writes one PDF, atomically (a temporary file in the same folder, then
``os.replace``), so a failed or interrupted build never leaves half a report behind. Text is
Japanese throughout and dates are in the era form; every page carries the org, the page number
("1 / 3") and the date of issue (発行日).

Row dicts of ``kpi_report``: ``table_rows`` are the rows of ``services.kpi_table.official_table``
as dicts (``section``, ``kpi`` (None on a heading), ``label``, ``value``, ``target``,
``achievement``, ``indent``, ``description``, ``is_rate``, ``numerator``, ``denominator``);
``by_org`` is ``(columns, rows)`` of ``by_org_table`` as dicts (columns: ``kpi``, ``label``,
``short_label``; rows: ``group``, ``org``, ``label``, ``kind``, ``values``).

reportlab is imported when this module is, so callers import it lazily (DESIGN.md: startup).
"""

from __future__ import annotations

import functools
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from jcim_desktop.domain.fiscal import fiscal_year_bounds, format_era_date, format_fiscal_year
from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES
from jcim_desktop.paths import resource_path
from jcim_desktop.reports.fonts import japanese_font
from jcim_desktop.store.tempfiles import tracked_temp

CONGRESS = "インフラメンテナンス国民会議"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

NAVY = colors.HexColor("#1f3a5f")
TEXT = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
GRID = colors.HexColor("#9aa5b1")
HEADER_BG = colors.HexColor("#dde4ee")
LABEL_BG = colors.HexColor("#eef2f7")
SUBROW_BG = colors.HexColor("#f7f8fa")
SECTION_BG: dict[str, colors.Color] = {
    "total": colors.HexColor("#d6e2f0"),
    "national_forums": colors.HexColor("#dcebd8"),
    "regional_forums": colors.HexColor("#f6e6cf"),
}
SUBTOTAL_BG = colors.HexColor("#eef2f7")
TOTAL_BG = colors.HexColor("#d6e2f0")
BAR = colors.HexColor("#3c6e9f")
BAR_DONE = colors.HexColor("#2f855a")
BAR_TRACK = colors.HexColor("#e6eaf0")
TARGET_LINE = colors.HexColor("#c53030")
DROPPED = colors.HexColor("#a0aab5")


# -- fonts and styles -----------------------------------------------------------------------


def _font() -> str:
    return japanese_font().name


def _style(name: str, size: float = 8.5, *, leading: float | None = None, align: int = TA_LEFT,
           color: colors.Color = TEXT, left: float = 0.0, space_after: float = 0.0) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=_font(),
        fontSize=size,
        leading=leading if leading is not None else size * 1.4,
        alignment=align,
        textColor=color,
        leftIndent=left,
        spaceAfter=space_after,
        wordWrap="CJK",
    )


def _text(value: object) -> str:
    """Escaped paragraph markup for a plain text (line breaks kept)."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def _p(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_text(value), style)


def _int(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return f"{value:,.0f}"


def _pct(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return f"{value:.1%}"


def era(d: date | str | None) -> str:
    """令和6年7月10日 for a date or an ISO string; empty for None or an empty string."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    return format_era_date(d)


# -- the document: page furniture and atomic writing ----------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that keeps each page until the end, so every page can say "n / N"."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


def _furniture(title: str, org_label: str, issued: date) -> Callable[[Canvas, int, int], None]:
    issued_text = f"発行日　{era(issued)}"
    org_text = f"{CONGRESS}　{org_label}" if org_label and CONGRESS not in org_label else org_label or CONGRESS

    def draw(canvas: Canvas, number: int, total: int) -> None:
        font = _font()
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 7 * mm
        canvas.line(MARGIN_X, y + 4 * mm, PAGE_WIDTH - MARGIN_X, y + 4 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN_X, y, org_text)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, issued_text)
        canvas.setFont(font, 8.5)
        canvas.setFillColor(TEXT)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, f"{number} / {total}")
        if number > 1:
            # A running title on the pages after the first, whose title block says it in full.
            top = PAGE_HEIGHT - MARGIN_TOP + 6 * mm
            canvas.setFont(font, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN_X, top, title)
            canvas.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
        canvas.restoreState()

    return draw


def _write(path: str | os.PathLike[str], story: list[Flowable], *, title: str, org_label: str,
           issued: date, subject: str = "", data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Build ``story`` as an A4 PDF and put it at ``path`` atomically. The temporary file is
    recorded in ``data_dir`` while written, so a killed build leaves nothing at the next start."""
    target = Path(path)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=f"{CONGRESS} {org_label}".strip(),
        subject=subject or title,
        creator="JCIM Desktop",
        lang="ja-JP",
        # The canvas's own first font would otherwise be Helvetica, listed (not embedded) in every PDF.
        initialFontName=_font(),
    )
    # No frame padding: tables and drawings CONTENT_WIDTH wide sit exactly between the margins.
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="A4", frames=[frame])])
    canvasmaker = functools.partial(
        _NumberedCanvas,
        footer=_furniture(title, org_label, issued),
    )
    doc.build(story, canvasmaker=canvasmaker)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    with tracked_temp(data_dir, tmp_name):
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(buffer.getvalue())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            raise
    return target


def _title_block(title: str, org_label: str, issued: date, subtitle: str = "") -> list[Flowable]:
    right = _style("tb-right", 8.5, align=TA_RIGHT, color=TEXT)
    info = Table(
        [[_p(f"発行日　{era(issued)}", right)], [_p(org_label, right)]],
        colWidths=[CONTENT_WIDTH],
        style=_ts([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]),
    )
    heading = _style("tb-title", 15.5, leading=21, align=TA_CENTER, color=NAVY)
    parts: list[Flowable] = [info, Spacer(1, 3 * mm), _p(title, heading)]
    if subtitle:
        parts.append(_p(subtitle, _style("tb-sub", 9, align=TA_CENTER, color=MUTED)))
    rule = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[1.2],
                 style=_ts([("LINEBELOW", (0, 0), (-1, -1), 1.6, NAVY),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    parts += [Spacer(1, 2 * mm), rule, Spacer(1, 4 * mm)]
    return parts


def _heading(text: str) -> Table:
    """A section heading: a shaded band with a navy bar on its left."""
    cell = _p(text, _style("h", 10.5, leading=14, color=NAVY))
    return Table(
        [[cell]],
        colWidths=[CONTENT_WIDTH],
        style=_ts([
            ("BACKGROUND", (0, 0), (-1, -1), LABEL_BG),
            ("LINEBEFORE", (0, 0), (0, -1), 3, NAVY),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]),
        spaceBefore=2 * mm,
        spaceAfter=2.5 * mm,
    )


def _notes(lines: Iterable[str]) -> list[Flowable]:
    style = _style("note", 7.5, color=MUTED, left=8)
    return [Paragraph("※ " + _text(line), style) for line in lines]


def _ts(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells use the Japanese font (a Table's default is Helvetica, which
    would be listed, unembedded, in the PDF even for empty cells)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), _font()), *commands])


def _grid_style(extra: Iterable[tuple[Any, ...]] = ()) -> TableStyle:
    return _ts([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, TEXT),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, TEXT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ])


# -- 1. the KPI result report ---------------------------------------------------------------


def _official_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    head = _style("kt-head", 8.5, align=TA_CENTER)
    cell = _style("kt-cell", 8.3, leading=11)
    sub = _style("kt-sub", 8, leading=10.5, left=10, color=TEXT)
    desc = _style("kt-desc", 7.5, leading=10, color=TEXT)
    num = _style("kt-num", 9, leading=11, align=TA_RIGHT)
    small_num = _style("kt-num-s", 7, leading=9, align=TA_RIGHT, color=MUTED)
    section_style = _style("kt-sec", 8.5, leading=12, align=TA_CENTER, color=NAVY)

    data: list[list[Any]] = [[_p(h, head) for h in ("項目", "KPI", "数", "KPI内容説明", "目標", "達成率")]]
    commands: list[tuple[Any, ...]] = []
    section_start: int | None = None
    section_key = ""

    def close_section(last: int) -> None:
        if section_start is not None and last >= section_start:
            commands.append(("SPAN", (0, section_start), (0, last)))
            commands.append(("BACKGROUND", (0, section_start), (0, last), SECTION_BG.get(section_key, LABEL_BG)))
            commands.append(("LINEABOVE", (0, section_start), (-1, section_start), 0.9, TEXT))

    pending_label = ""
    for row in rows:
        if row.get("kpi") is None:
            close_section(len(data) - 1)
            section_start = len(data)
            section_key = str(row.get("section", ""))
            # 全国フォーラム小計 → 全国フォーラム／小計 on two lines in the narrow 項目 column.
            pending_label = str(row.get("label", "")).replace("フォーラム小計", "フォーラム\n小計")
            continue
        indent = int(row.get("indent", 1) or 1)
        is_rate = bool(row.get("is_rate"))
        value = row.get("value")
        if is_rate:
            value_cell: Any = [_p(_pct(value), num)]
            if row.get("numerator") is not None and row.get("denominator"):
                value_cell.append(_p(f"{_int(row['numerator'])}／{_int(row['denominator'])}", small_num))
            target = _pct(row.get("target"))
        else:
            value_cell = _p(_int(value), num)
            target = _int(row.get("target"))
        label_style = sub if indent >= 2 else cell
        label = ("・" if indent >= 2 else "") + str(row.get("label", ""))
        first = section_start == len(data)
        data.append([
            _p(pending_label, section_style) if first else "",
            _p(label, label_style),
            value_cell,
            _p(row.get("description", ""), desc),
            _p(target, num),
            _p(_pct(row.get("achievement")), num),
        ])
        if indent >= 2:
            commands.append(("BACKGROUND", (1, len(data) - 1), (-1, len(data) - 1), SUBROW_BG))
    close_section(len(data) - 1)
    widths = [24 * mm, 53 * mm, 21 * mm, 50 * mm, 16 * mm, 16 * mm]
    return Table(data, colWidths=widths, repeatRows=1, style=_grid_style(commands))


def _by_org_table(columns: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]]) -> Table:
    head = _style("bo-head", 6.8, leading=8.6, align=TA_CENTER)
    org_style = _style("bo-org", 7.8, leading=10)
    group_style = _style("bo-group", 8, leading=10, color=NAVY)
    num = _style("bo-num", 8, leading=10, align=TA_RIGHT)
    data: list[list[Any]] = [[_p("組織", head)] + [_p(c.get("short_label") or c.get("label"), head) for c in columns]]
    commands: list[tuple[Any, ...]] = []
    for row in rows:
        kind = row.get("kind")
        r = len(data)
        if kind == "heading":
            data.append([_p(row.get("label", ""), group_style)] + [""] * len(columns))
            commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LABEL_BG)]
            continue
        values = row.get("values") or {}
        label = str(row.get("label", ""))
        data.append([_p(("　" if kind == "org" else "") + label, org_style if kind == "org" else group_style)]
                    + [_p(_int(values.get(c["kpi"], 0)), num) for c in columns])
        if kind == "subtotal":
            commands.append(("BACKGROUND", (0, r), (-1, r), SUBTOTAL_BG))
        elif kind == "total":
            commands += [("BACKGROUND", (0, r), (-1, r), TOTAL_BG), ("LINEABOVE", (0, r), (-1, r), 0.9, TEXT)]
    label_width = 36 * mm
    rest = (CONTENT_WIDTH - label_width) / max(len(columns), 1)
    return Table(data, colWidths=[label_width] + [rest] * len(columns), repeatRows=1,
                 style=_grid_style([*commands, ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))


def _achievement_items(tally: Mapping[str, Any]) -> list[tuple[str, float, float, bool]]:
    """(label, value, target, is_rate) of every KPI of the tally that has a target."""
    kpis: Mapping[str, Mapping[str, Any]] = tally.get("kpis", {})
    items = []
    for code in KPI_CODES:
        entry = kpis.get(code)
        if not entry:
            continue
        target = entry.get("target")
        value = entry.get("total")
        if not isinstance(target, (int, float)) or target <= 0 or not isinstance(value, (int, float)):
            continue
        kpi = KPI_BY_CODE[code]
        label = "支援自治体数（延べ）" if code == "supported_municipalities" else kpi.label
        items.append((label, float(value), float(target), kpi.is_rate))
    return items


def _achievement_bars(tally: Mapping[str, Any]) -> Flowable:
    items = _achievement_items(tally)
    font = _font()
    if not items:
        return _p("目標が設定されたKPIはありません。", _style("none", 8.5, color=MUTED))
    row_h = 9.5 * mm
    top_pad = 6 * mm
    label_w = 60 * mm
    text_w = 40 * mm
    bar_x = label_w
    bar_w = CONTENT_WIDTH - label_w - text_w
    scale_max = 1.5
    height = top_pad + row_h * len(items) + 2 * mm
    d = Drawing(CONTENT_WIDTH, height, initialFontName=font)
    base = height - top_pad
    # Scale: 0 %, 50 %, 100 % (the target, red) and 150 %.
    for tick in (0.0, 0.5, 1.0, 1.5):
        x = bar_x + bar_w * tick / scale_max
        d.add(String(x, base + 2 * mm, f"{tick:.0%}", fontName=font, fontSize=6.5, fillColor=MUTED,
                     textAnchor="middle"))
        if tick not in (0.0, 1.0):
            d.add(Line(x, base, x, 1 * mm, strokeColor=colors.HexColor("#d5dbe3"), strokeWidth=0.4,
                       strokeDashArray=[1, 2]))
    for i, (label, value, target, is_rate) in enumerate(items):
        y = base - row_h * (i + 1) + 2.5 * mm
        bh = row_h - 5 * mm
        ratio = value / target
        d.add(String(0, y + bh / 2 - 2.7, label, fontName=font, fontSize=8, fillColor=TEXT))
        d.add(Rect(bar_x, y, bar_w, bh, fillColor=BAR_TRACK, strokeColor=None))
        shown = min(ratio, scale_max)
        if shown > 0:
            d.add(Rect(bar_x, y, bar_w * shown / scale_max, bh, fillColor=BAR_DONE if ratio >= 1 else BAR,
                       strokeColor=None))
        if ratio > scale_max:
            end = bar_x + bar_w
            d.add(Polygon([end, y + bh + 1.5, end + 5, y + bh / 2, end, y - 1.5], fillColor=BAR_DONE,
                          strokeColor=None))
        fmt = _pct if is_rate else _int
        d.add(String(bar_x + bar_w + 4 * mm, y + bh / 2 - 2.7, f"{fmt(value)} / {fmt(target)}（{ratio:.1%}）",
                     fontName=font, fontSize=8, fillColor=TEXT))
    x100 = bar_x + bar_w / scale_max
    d.add(Line(x100, base, x100, 1 * mm, strokeColor=TARGET_LINE, strokeWidth=1.1, strokeDashArray=[3, 2]))
    d.add(String(x100 + 1.2 * mm, 0.6 * mm, "目標 100%", fontName=font, fontSize=6.5, fillColor=TARGET_LINE))
    return d


FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("considered", "マッチング検討"),
    ("established", "マッチング成立"),
    ("trial", "現場試行"),
    ("implemented", "社会実装"),
)


def _funnel(funnel: Mapping[str, int]) -> Drawing:
    font = _font()
    steps = [(label, int(funnel.get(code, 0) or 0)) for code, label in FUNNEL_STEPS]
    dropped = int(funnel.get("dropped", 0) or 0)
    biggest = max([n for _, n in steps] + [dropped, 1])
    row_h = 10 * mm
    label_w = 32 * mm
    rate_w = 46 * mm
    area_w = CONTENT_WIDTH - label_w - rate_w
    rows = len(steps) + 1
    height = row_h * rows + 4 * mm
    d = Drawing(CONTENT_WIDTH, height, initialFontName=font)
    centre = label_w + area_w / 2
    first = steps[0][1]
    previous: int | None = None
    for i, (label, n) in enumerate(steps):
        y = height - row_h * (i + 1)
        bh = row_h - 3 * mm
        w = max(area_w * n / biggest, 0.8)
        shade = colors.HexColor(("#23507f", "#3c6e9f", "#5d8dbb", "#86add2")[i])
        d.add(Rect(centre - w / 2, y, w, bh, fillColor=shade, strokeColor=None))
        d.add(String(0, y + bh / 2 - 3, label, fontName=font, fontSize=8.5, fillColor=TEXT))
        count = f"{n:,}件"
        cw = stringWidth(count, font, 9)
        inside = w > cw + 4 * mm
        d.add(String(centre if inside else centre + w / 2 + 2 * mm, y + bh / 2 - 3.2, count, fontName=font,
                     fontSize=9, fillColor=colors.white if inside else TEXT,
                     textAnchor="middle" if inside else "start"))
        if previous is not None:
            step_rate = f"{n / previous:.1%}" if previous else "―"
            total_rate = f"{n / first:.1%}" if first else "―"
            d.add(String(label_w + area_w + 3 * mm, y + bh / 2 - 3, f"前段階比 {step_rate}　検討比 {total_rate}",
                         fontName=font, fontSize=7.5, fillColor=TEXT))
            # An arrow between this step and the one above.
            ay = y + bh + 0.6 * mm
            d.add(Polygon([centre - 2.2 * mm, ay + 2.2 * mm, centre + 2.2 * mm, ay + 2.2 * mm, centre, ay],
                          fillColor=colors.HexColor("#b8c4d2"), strokeColor=None))
        previous = n
    y = height - row_h * rows - 1 * mm
    bh = row_h - 3 * mm
    w = max(area_w * dropped / biggest, 0.8)
    d.add(Line(0, y + row_h - 0.5 * mm, CONTENT_WIDTH, y + row_h - 0.5 * mm, strokeColor=colors.HexColor("#d5dbe3"),
               strokeWidth=0.5, strokeDashArray=[2, 2]))
    d.add(Rect(centre - w / 2, y, w, bh, fillColor=DROPPED, strokeColor=None))
    d.add(String(0, y + bh / 2 - 3, "不成立・中止", fontName=font, fontSize=8.5, fillColor=TEXT))
    count = f"{dropped:,}件"
    inside = w > stringWidth(count, font, 9) + 4 * mm
    d.add(String(centre if inside else centre + w / 2 + 2 * mm, y + bh / 2 - 3.2, count, fontName=font, fontSize=9,
                 fillColor=colors.white if inside else TEXT, textAnchor="middle" if inside else "start"))
    if first:
        d.add(String(label_w + area_w + 3 * mm, y + bh / 2 - 3, f"検討比 {dropped / first:.1%}", fontName=font,
                     fontSize=7.5, fillColor=TEXT))
    return d


def kpi_report(
    path: str | os.PathLike[str],
    *,
    fiscal_year: int,
    org_label: str,
    tally: Mapping[str, Any],
    table_rows: Sequence[Mapping[str, Any]],
    by_org: tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]],
    funnel: Mapping[str, int],
    issued: date,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """The KPI result report (KPI実績報告) of ``fiscal_year``: the official table, the breakdown
    by organisation, achievement against the targets and the matching funnel."""
    fy_label = format_fiscal_year(fiscal_year)
    title = f"{fy_label} {CONGRESS} KPI実績報告"
    start, end = fiscal_year_bounds(fiscal_year)
    story: list[Flowable] = _title_block(
        title, _org_line(org_label), issued, f"対象期間：{era(start)}～{era(end)}"
    )
    story.append(_heading("1．KPI実績一覧"))
    story.append(_official_table(table_rows))
    story.append(Spacer(1, 1.5 * mm))
    story += _notes([
        "支援自治体数（延べ）は組織ごとの数の合計、（実数）は同じ自治体を1団体と数えた数です。",
        "参画率・加入率は全国1,741市区町村に対する割合です。目標・達成率は総合計の行に示します。",
        "事務局・部会の実績は総合計にのみ含まれます。",
    ])
    columns, org_rows = by_org
    story.append(CondPageBreak(60 * mm))
    story.append(_heading("2．組織別内訳"))
    story.append(_by_org_table(columns, org_rows))
    story.append(Spacer(1, 1.5 * mm))
    story += _notes(["各組織の数は延べ数です（同じ自治体を複数の組織が支援した場合、それぞれで数えます）。"])
    story.append(KeepTogether([_heading("3．目標の達成状況"), _achievement_bars(tally), Spacer(1, 1 * mm),
                               *_notes(["棒は目標に対する実績の割合（達成率）。赤の破線が目標（100%）、緑は目標達成です。"])]))
    story.append(KeepTogether([_heading("4．マッチングの進捗状況"), _funnel(funnel), Spacer(1, 1 * mm),
                               *_notes(["各段階はその年度に到達した件数です。現場試行はマッチングに紐づく実施済みの実証実験の数です。",
                                        "前段階比は一つ前の段階の件数に対する割合、検討比はマッチング検討数に対する割合です。"])]))
    return _write(path, story, title=title, org_label=org_label, issued=issued, subject=f"{fy_label} KPI実績",
                  data_dir=data_dir)


def _org_line(org_label: str) -> str:
    return org_label if CONGRESS in org_label else f"{CONGRESS}　{org_label}"


# -- 2. the activity plan and results of a forum --------------------------------------------


def plan_report(
    path: str | os.PathLike[str],
    *,
    org_name: str,
    fiscal_year: int,
    events: Sequence[Mapping[str, Any]],
    issued: date,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """A forum's activity plan and results (活動計画・実績) for a fiscal year.

    ``events``: dicts with ``title``, ``planned_text`` (開催予定日 as written), ``description``,
    ``status_label`` and ``held`` (the era-form date held, or "").
    """
    fy_label = format_fiscal_year(fiscal_year)
    title = f"{fy_label} {org_name} 活動計画・実績"
    story = _title_block(title, _org_line(org_name), issued)
    counts: dict[str, int] = {}
    for event in events:
        label = str(event.get("status_label") or "")
        counts[label] = counts.get(label, 0) + 1
    summary = f"計画・実績 {len(events)}件"
    if counts:
        summary += "（" + "、".join(f"{k or '状況未設定'} {v}件" for k, v in counts.items()) + "）"
    story.append(_p(summary, _style("plan-sum", 9, space_after=2 * mm)))

    head = _style("pl-head", 8.5, align=TA_CENTER)
    cell = _style("pl-cell", 8.3, leading=11.2)
    small = _style("pl-small", 7.8, leading=10.5)
    centre = _style("pl-centre", 8, leading=10.5, align=TA_CENTER)
    status_style = _style("pl-status", 8.3, leading=11, align=TA_CENTER)
    muted_status = _style("pl-status-m", 8.3, leading=11, align=TA_CENTER, color=MUTED)
    held_style = _style("pl-held", 7.3, leading=9.5, align=TA_CENTER, color=MUTED)
    data: list[list[Any]] = [[_p(h, head) for h in ("No.", "活動・行事名", "開催予定日", "内容", "実施状況")]]
    commands: list[tuple[Any, ...]] = []
    for number, event in enumerate(events, start=1):
        status_label = str(event.get("status_label") or "")
        held = str(event.get("held") or "")
        quiet = status_label in ("中止", "延期")
        status_cell: list[Flowable] = [_p(status_label, muted_status if quiet else status_style)]
        if held:
            status_cell.append(_p(held, held_style))
        data.append([
            _p(number, centre),
            _p(event.get("title", ""), cell),
            _p(event.get("planned_text", ""), small),
            _p(event.get("description", ""), small),
            status_cell,
        ])
        if number % 2 == 0:
            commands.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SUBROW_BG))
    if not events:
        data.append(["", _p("この年度の活動・行事は登録されていません。", cell), "", "", ""])
        commands.append(("SPAN", (1, 1), (-1, 1)))
    widths = [9 * mm, 52 * mm, 29 * mm, 62 * mm, 28 * mm]
    story.append(Table(data, colWidths=widths, repeatRows=1,
                       style=_grid_style([*commands, ("VALIGN", (0, 1), (-1, -1), "TOP")])))
    story.append(Spacer(1, 1.5 * mm))
    story += _notes(["開催予定日は計画に記載されたとおりに示しています。実施日は実施済みの活動・行事について示します。"])
    return _write(path, story, title=title, org_label=org_name, issued=issued, subject=f"{fy_label} 活動計画・実績",
                  data_dir=data_dir)


# -- 3. matching information sheets -----------------------------------------------------------


LONG_BOX = 42 * mm


def _sheet(sheet: Mapping[str, Any], number: int, total: int) -> list[Flowable]:
    label_style = _style("ms-label", 8, leading=10, color=NAVY)
    value_style = _style("ms-value", 9.5, leading=14)
    long_style = _style("ms-long", 9, leading=14)
    box_head = _style("ms-boxhead", 10, leading=13, color=colors.white, align=TA_CENTER)
    title_style = _style("ms-title", 15.5, leading=21, align=TA_CENTER, color=NAVY)
    right = _style("ms-right", 8.5, align=TA_RIGHT)

    owner = str(sheet.get("org_label") or "")
    info_rows = [[_p(f"No. {number} / {total}", right)]]
    if owner:
        info_rows.append([_p(f"担当：{owner}", right)])
    parts: list[Flowable] = [
        Table(info_rows, colWidths=[CONTENT_WIDTH],
              style=_ts([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])),
        Spacer(1, 2 * mm),
        _p("マッチング情報シート", title_style),
        Spacer(1, 4 * mm),
    ]
    fields = sheet.get("fields") or []
    field_text = "、".join(str(f) for f in fields) if isinstance(fields, (list, tuple)) else str(fields)
    top = Table(
        [
            [_p("技術テーマ", label_style), _p(sheet.get("theme", ""), _style("ms-theme", 11.5, leading=16))],
            [_p("技術分野", label_style), _p(field_text or "―", value_style)],
            [_p("現在の段階", label_style), _p(sheet.get("current_stage") or "―", value_style)],
        ],
        colWidths=[28 * mm, CONTENT_WIDTH - 28 * mm],
        style=_ts([
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BOX", (0, 0), (-1, -1), 0.9, TEXT),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ]),
    )
    parts += [top, Spacer(1, 4 * mm)]

    half = (CONTENT_WIDTH - 4 * mm) / 2

    def column(heading: str, colour: colors.Color, items: Sequence[tuple[str, object, bool]]) -> Table:
        rows: list[list[Any]] = [[_p(heading, box_head)]]
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        heights: list[float | None] = [None]
        for label, value, long in items:
            r = len(rows)
            text = _p(value if value not in (None, "") else "―", long_style if long else value_style)
            rows.append([_p(label, label_style)])
            rows.append([text])
            heights.append(None)
            # The long texts get a box of at least LONG_BOX, as on a printed information sheet.
            heights.append(max(text.wrap(half - 12, PAGE_HEIGHT)[1] + 10, LONG_BOX) if long else None)
            commands += [("BACKGROUND", (0, r), (-1, r), LABEL_BG), ("LINEABOVE", (0, r), (-1, r), 0.5, GRID),
                         ("TOPPADDING", (0, r), (-1, r), 2), ("BOTTOMPADDING", (0, r), (-1, r), 3),
                         ("VALIGN", (0, r + 1), (-1, r + 1), "TOP")]
        return Table(rows, colWidths=[half], rowHeights=heights, style=_ts(commands))

    need_items: list[tuple[str, object, bool]] = [
        ("自治体名称", sheet.get("municipality"), False),
        ("求める内容・条件", sheet.get("requirements"), True),
    ]
    if sheet.get("received"):
        need_items.append(("ニーズ受付日", sheet.get("received"), False))
    seed_items: list[tuple[str, object, bool]] = [
        ("企業等名称", sheet.get("company"), False),
        ("技術名称", sheet.get("tech_name"), False),
        ("技術の概要", sheet.get("summary"), True),
    ]
    if sheet.get("netis_no"):
        seed_items.append(("NETIS登録番号", sheet.get("netis_no"), False))
    pair = Table(
        [[column("ニーズ側（自治体）", colors.HexColor("#2f6d8f"), need_items), "",
          column("シーズ側（企業等）", colors.HexColor("#4f7a3a"), seed_items)]],
        colWidths=[half, 4 * mm, half],
        style=_ts([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (0, 0), 0.9, TEXT),
            ("BOX", (2, 0), (2, 0), 0.9, TEXT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]),
    )
    parts += [pair, Spacer(1, 5 * mm)]

    head = _style("ms-head", 8.5, align=TA_CENTER)
    cell = _style("ms-cell", 8.5, leading=11.5)
    centre = _style("ms-centre", 8.5, leading=11.5, align=TA_CENTER)
    history: list[list[Any]] = [[_p(h, head) for h in ("段階", "日付", "備考")]]
    for step in sheet.get("stages") or []:
        history.append([_p(step.get("label", ""), centre), _p(step.get("on", ""), centre),
                        _p(step.get("note") or "", cell)])
    if len(history) == 1:
        history.append([_p("記録なし", centre), "", ""])
    parts.append(_p("進捗の経過", _style("ms-sub", 10, leading=14, color=NAVY, space_after=1.5 * mm)))
    parts.append(Table(history, colWidths=[36 * mm, 40 * mm, CONTENT_WIDTH - 76 * mm], style=_grid_style()))
    return parts


def matching_sheet(
    path: str | os.PathLike[str],
    *,
    sheets: Sequence[Mapping[str, Any]],
    issued: date | None = None,
    org_label: str = "",
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Matching information sheets (マッチング情報シート), one A4 page per matching.

    ``sheets``: dicts with ``theme`` (技術テーマ), ``fields`` (技術分野: facility labels),
    ``municipality`` (ニーズ側 自治体名称), ``requirements`` (求める内容・条件), ``company``
    (シーズ側 企業等名称), ``tech_name`` (技術名称), ``summary`` (技術の概要), ``stages`` (list of
    ``{"label", "on" (era date), "note"}``, oldest first); optional ``current_stage``,
    ``received`` (era date), ``netis_no``, ``org_label`` (the owner forum).
    """
    issued = issued or date.today()
    title = "マッチング情報シート"
    story: list[Flowable] = []
    frame_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 8
    for number, sheet in enumerate(sheets, start=1):
        if number > 1:
            story.append(PageBreak())
        # Always one page: a sheet with very long texts is shrunk to fit rather than split.
        story.append(KeepInFrame(CONTENT_WIDTH, frame_height, _sheet(sheet, number, len(sheets)), mode="shrink"))
    if not sheets:
        story += _title_block(title, _org_line(org_label), issued)
        story.append(_p("対象のマッチングはありません。", _style("none", 10)))
    return _write(path, story, title=title, org_label=org_label, issued=issued, data_dir=data_dir)


# -- 4. the participation map ------------------------------------------------------------------

PARTICIPATION_CLASSES: tuple[str, ...] = ("10%未満", "10%以上", "30%以上", "50%以上", "70%以上", "100%")
"""市区町村長会議 参画率 classes, lowest first."""
CLASS_COLOURS: dict[str, colors.Color] = {
    label: colors.HexColor(c)
    # ColorBrewer Blues, 6 classes: light to dark, each step distinct in print.
    for label, c in zip(PARTICIPATION_CLASSES, ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"))
}
NO_DATA = colors.HexColor("#e3e6ea")
OKINAWA = "47"
INSET_SCALE = 1.6


def participation_class(rate: float) -> str:
    """The legend class of a 参画率 (a fraction)."""
    if rate >= 1.0 - 1e-9:
        return "100%"
    for bound, label in ((0.7, "70%以上"), (0.5, "50%以上"), (0.3, "30%以上"), (0.1, "10%以上")):
        if rate >= bound - 1e-9:
            return label
    return "10%未満"


@functools.cache
def _outlines() -> dict[str, tuple[tuple[float, float], ...]]:
    with open(resource_path("prefecture_outlines.json"), encoding="utf-8") as f:
        raw = json.load(f)["prefectures"]
    return {code: tuple((float(lon), float(lat)) for lon, lat in points) for code, points in raw.items()}


def _bounds(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points)
    return min(xs), min(ys), max(xs), max(ys)


class _Projection:
    """Longitude/latitude into a box: equirectangular with cos(mid-latitude), fitted and centred
    (the projection of the window's map, ``ui.widgets.japan_map``, with y pointing up)."""

    def __init__(self, geo: tuple[float, float, float, float], box: tuple[float, float, float, float],
                 boost: float = 1.0) -> None:
        lon0, lat0, lon1, lat1 = geo
        x, y, w, h = box
        self.k = math.cos(math.radians((lat0 + lat1) / 2))
        gw, gh = (lon1 - lon0) * self.k, lat1 - lat0
        self.scale = min(w / gw, h / gh) * boost
        self.ox = x + (w - gw * self.scale) / 2 - lon0 * self.k * self.scale
        self.oy = y + (h - gh * self.scale) / 2 - lat0 * self.scale
        self.fitted = (x + (w - gw * self.scale) / 2, y + (h - gh * self.scale) / 2, gw * self.scale, gh * self.scale)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return self.ox + lon * self.k * self.scale, self.oy + lat * self.scale


def _map_drawing(rates: Mapping[str, float], width: float, height: float,
                 class_counts: Mapping[str, int]) -> Drawing:
    font = _font()
    outlines = _outlines()
    d = Drawing(width, height, initialFontName=font)
    main = [c for c in sorted(outlines) if c != OKINAWA]
    geo = _bounds(p for c in main for p in outlines[c])
    project = _Projection(geo, (0, 0, width, height))
    border = colors.HexColor("#6b7785")

    def fill(code: str) -> colors.Color:
        return CLASS_COLOURS[participation_class(rates[code])] if code in rates else NO_DATA

    def polygon(code: str, proj: Callable[[float, float], tuple[float, float]]) -> Polygon:
        pts: list[float] = []
        for lon, lat in outlines[code]:
            pts.extend(proj(lon, lat))
        return Polygon(pts, fillColor=fill(code), strokeColor=border, strokeWidth=0.3, strokeLineJoin=1)

    for code in main:
        d.add(polygon(code, project))
    if OKINAWA in outlines:
        # Okinawa in a box at the top left (over the Sea of Japan), as Japanese maps place it.
        fx, fy, fw, fh = project.fitted
        ok = _bounds(outlines[OKINAWA])
        k = math.cos(math.radians((ok[1] + ok[3]) / 2))
        pad = 0.35 * project.scale * INSET_SCALE
        w = max((ok[2] - ok[0]) * k * project.scale * INSET_SCALE + 2 * pad, 34.0)
        h = max((ok[3] - ok[1]) * project.scale * INSET_SCALE + 2 * pad, 34.0)
        bx, by = fx, fy + fh - h
        d.add(Rect(bx, by, w, h, fillColor=None, strokeColor=GRID, strokeWidth=0.7))
        inset = _Projection(ok, (bx + pad, by + pad, w - 2 * pad, h - 2 * pad))
        d.add(polygon(OKINAWA, inset))
        d.add(String(bx + w / 2, by + 2.5, "沖縄県", fontName=font, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    # The legend over the Pacific, at the bottom right; highest class on top.
    labels = list(PARTICIPATION_CLASSES)
    missing = class_counts.get("データなし", 0)
    row = 5.2 * mm
    lw = 42 * mm
    lh = row * (len(labels) + (1 if missing else 0)) + 9 * mm
    lx, ly = width - lw, 0
    d.add(Rect(lx, ly, lw, lh, fillColor=colors.Color(1, 1, 1, alpha=0.92), strokeColor=GRID, strokeWidth=0.5))
    d.add(String(lx + 3 * mm, ly + lh - 5.5 * mm, "市区町村長会議 参画率", fontName=font, fontSize=8, fillColor=NAVY))
    y = ly + lh - 6.5 * mm
    shown = [(label, CLASS_COLOURS[label]) for label in reversed(labels)]
    if missing:
        shown.append(("データなし", NO_DATA))
    for label, colour in shown:
        y -= row
        d.add(Rect(lx + 3 * mm, y + 0.8 * mm, 5 * mm, 3.4 * mm, fillColor=colour, strokeColor=border, strokeWidth=0.3))
        d.add(String(lx + 10 * mm, y + 1.4 * mm, label, fontName=font, fontSize=7.5, fillColor=TEXT))
        d.add(String(lx + lw - 3 * mm, y + 1.4 * mm, f"{class_counts.get(label, 0)}都道府県", fontName=font,
                     fontSize=7, fillColor=MUTED, textAnchor="end"))
    return d


def _prefecture_names() -> dict[str, str]:
    from jcim_desktop.domain.lgcodes import default_registry

    return {p.pref_code: p.name for p in default_registry().prefectures()}


def _rates_table(rates: Mapping[str, float], names: Mapping[str, str],
                 counts: Mapping[str, tuple[int, int]] | None) -> Table:
    codes = sorted(set(names) | set(rates))
    groups = 4
    per = math.ceil(len(codes) / groups)
    head = _style("mp-head", 7, leading=9, align=TA_CENTER)
    small_head = _style("mp-head-s", 6.2, leading=7.4, align=TA_CENTER)
    name_style = _style("mp-name", 7.3, leading=9)
    num = _style("mp-num", 7.3, leading=9, align=TA_RIGHT)
    light = _style("mp-num-w", 7.3, leading=9, align=TA_RIGHT, color=colors.white)
    small = _style("mp-small", 6.3, leading=9, align=TA_RIGHT, color=MUTED)
    header: list[Any] = []
    for g in range(groups):
        header += [_p("都道府県", head), _p("参画率", head), _p("参画数／\n市区町村数", small_head)]
        if g < groups - 1:
            header.append("")
    data: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = []
    for r in range(per):
        line: list[Any] = []
        for g in range(groups):
            i = g * per + r
            col = g * 4
            if i < len(codes):
                code = codes[i]
                rate = rates.get(code)
                cls = participation_class(rate) if rate is not None else None
                dark = cls in ("70%以上", "100%")
                count = counts.get(code) if counts else None
                line += [
                    _p(names.get(code, code), name_style),
                    _p(_pct(rate) if rate is not None else "―", light if dark else num),
                    _p(f"{count[0]:,}／{count[1]:,}" if count else "", small),
                ]
                commands.append(("BACKGROUND", (col + 1, r + 1), (col + 1, r + 1),
                                 CLASS_COLOURS[cls] if cls else NO_DATA))
            else:
                line += ["", "", ""]
            if g < groups - 1:
                line.append("")
        data.append(line)
    gap = 2.5 * mm
    group_w = (CONTENT_WIDTH - gap * (groups - 1)) / groups
    widths: list[float] = []
    for g in range(groups):
        widths += [group_w * 0.36, group_w * 0.29, group_w * 0.35]
        if g < groups - 1:
            widths.append(gap)
    for g in range(groups):
        c0, c1 = g * 4, g * 4 + 2
        commands += [
            ("GRID", (c0, 0), (c1, -1), 0.4, GRID),
            ("BOX", (c0, 0), (c1, -1), 0.8, TEXT),
            ("BACKGROUND", (c0, 0), (c1, 0), HEADER_BG),
        ]
    style = _ts([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        *commands,
    ])
    return Table(data, colWidths=widths, style=style)


def participation_map(
    path: str | os.PathLike[str],
    *,
    rates: Mapping[str, float],
    issued: date,
    fiscal_year: int,
    counts: Mapping[str, tuple[int, int]] | None = None,
    names: Mapping[str, str] | None = None,
    national: tuple[int, int] | None = None,
    org_label: str = "事務局",
    as_of: date | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """The participation map: prefectures coloured by 市区町村長会議 参画率 class, Okinawa in an
    inset, a legend, and the rates by prefecture in a table.

    ``rates``: pref_code ("01"…"47") → rate (0…1); ``counts``: pref_code → (参画, 市区町村数);
    ``national``: (参画, 1,741) for the headline; ``as_of``: the date of the master data.
    """
    fy_label = format_fiscal_year(fiscal_year)
    title = f"{fy_label} 市区町村長会議 参画状況（都道府県別）"
    subtitle_parts = []
    if national and national[1]:
        subtitle_parts.append(f"全国 参画率 {national[0] / national[1]:.1%}（{national[0]:,}／{national[1]:,}市区町村）")
    if as_of:
        subtitle_parts.append(f"{era(as_of)}現在")
    story = _title_block(title, _org_line(org_label), issued, "　".join(subtitle_parts))
    class_counts: dict[str, int] = {}
    all_names = dict(names) if names is not None else _prefecture_names()
    for code in set(all_names) | set(rates):
        label = participation_class(rates[code]) if code in rates else "データなし"
        class_counts[label] = class_counts.get(label, 0) + 1
    story.append(_map_drawing(rates, CONTENT_WIDTH, 138 * mm, class_counts))
    story.append(Spacer(1, 3 * mm))
    story.append(_heading("都道府県別 参画率"))
    story.append(_rates_table(rates, all_names, counts))
    story.append(Spacer(1, 1.2 * mm))
    story += _notes(["参画率は各都道府県の市区町村（特別区を含み、政令市の区を除く）のうち市区町村長会議に参画する団体の割合です。"])
    return _write(path, story, title=title, org_label=org_label, issued=issued, data_dir=data_dir)
