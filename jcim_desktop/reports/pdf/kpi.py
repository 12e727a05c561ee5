"""The KPI result report (KPI実績報告): the official table, the breakdown by organisation,
achievement against the targets and the matching funnel."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from jcim_desktop.domain.fiscal import fiscal_year_bounds, format_fiscal_year
from jcim_desktop.domain.kpi import KPI_BY_CODE, KPI_CODES, closed_notes
from jcim_desktop.reports.pdf.common import (
    BAR,
    BAR_DONE,
    BAR_TRACK,
    CONGRESS,
    CONTENT_WIDTH,
    DROPPED,
    LABEL_BG,
    MUTED,
    NAVY,
    SECTION_BG,
    SUBROW_BG,
    TARGET_LINE,
    TEXT,
    TOTAL_BG,
    era,
    font_name,
    grid_style,
    int_text,
    notes,
    org_line,
    para,
    para_style,
    pct_text,
    section_heading,
    table_style,
    title_block,
    write_pdf,
)

GUIDE = colors.HexColor("#d5dbe3")
"""The faint dashed guide lines of the charts."""


def _official_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    head = para_style("kt-head", 8.5, align=TA_CENTER)
    cell = para_style("kt-cell", 8.3, leading=11)
    sub = para_style("kt-sub", 8, leading=10.5, left=10, color=TEXT)
    desc = para_style("kt-desc", 7.5, leading=10, color=TEXT)
    num = para_style("kt-num", 9, leading=11, align=TA_RIGHT)
    small_num = para_style("kt-num-s", 7, leading=9, align=TA_RIGHT, color=MUTED)
    section_style = para_style("kt-sec", 8.5, leading=12, align=TA_CENTER, color=NAVY)

    data: list[list[Any]] = [[para(h, head) for h in ("項目", "KPI", "数", "KPI内容説明", "目標", "達成率")]]
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
            value_cell: Any = [para(pct_text(value), num)]
            if row.get("numerator") is not None and row.get("denominator"):
                value_cell.append(para(f"{int_text(row['numerator'])}／{int_text(row['denominator'])}", small_num))
            target = pct_text(row.get("target"))
        else:
            value_cell = para(int_text(value), num)
            target = int_text(row.get("target"))
        label_style = sub if indent >= 2 else cell
        label = ("・" if indent >= 2 else "") + str(row.get("label", ""))
        first = section_start == len(data)
        data.append([
            para(pending_label, section_style) if first else "",
            para(label, label_style),
            value_cell,
            para(row.get("description", ""), desc),
            para(target, num),
            para(pct_text(row.get("achievement")), num),
        ])
        if indent >= 2:
            commands.append(("BACKGROUND", (1, len(data) - 1), (-1, len(data) - 1), SUBROW_BG))
    close_section(len(data) - 1)
    widths = [24 * mm, 53 * mm, 21 * mm, 50 * mm, 16 * mm, 16 * mm]
    return Table(data, colWidths=widths, repeatRows=1, style=grid_style(commands))


def _by_org_table(columns: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]]) -> Table:
    head = para_style("bo-head", 6.8, leading=8.6, align=TA_CENTER)
    org_style = para_style("bo-org", 7.8, leading=10)
    group_style = para_style("bo-group", 8, leading=10, color=NAVY)
    num = para_style("bo-num", 8, leading=10, align=TA_RIGHT)
    data: list[list[Any]] = [[para("組織", head)] + [para(c.get("short_label") or c.get("label"), head) for c in columns]]
    commands: list[tuple[Any, ...]] = []
    for row in rows:
        kind = row.get("kind")
        r = len(data)
        if kind == "heading":
            data.append([para(row.get("label", ""), group_style)] + [""] * len(columns))
            commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LABEL_BG)]
            continue
        values = row.get("values") or {}
        label = str(row.get("label", ""))
        data.append([para(("　" if kind == "org" else "") + label, org_style if kind == "org" else group_style)]
                    + [para(int_text(values.get(c["kpi"], 0)), num) for c in columns])
        if kind == "subtotal":
            commands.append(("BACKGROUND", (0, r), (-1, r), LABEL_BG))
        elif kind == "total":
            commands += [("BACKGROUND", (0, r), (-1, r), TOTAL_BG), ("LINEABOVE", (0, r), (-1, r), 0.9, TEXT)]
    label_width = 36 * mm
    rest = (CONTENT_WIDTH - label_width) / max(len(columns), 1)
    return Table(data, colWidths=[label_width] + [rest] * len(columns), repeatRows=1,
                 style=grid_style([*commands, ("TOPPADDING", (0, 0), (-1, -1), 1.5),
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
    font = font_name()
    if not items:
        return para("目標が設定されたKPIはありません。", para_style("none", 8.5, color=MUTED))
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
            d.add(Line(x, base, x, 1 * mm, strokeColor=GUIDE, strokeWidth=0.4,
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
        fmt = pct_text if is_rate else int_text
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
    font = font_name()
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
    d.add(Line(0, y + row_h - 0.5 * mm, CONTENT_WIDTH, y + row_h - 0.5 * mm, strokeColor=GUIDE,
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


APPENDIX_WIDTHS = (25 * mm, 22 * mm, 31 * mm, 66 * mm, 36 * mm)
"""日付, 種類, 組織, 件名, 自治体 of the appendix's lists (together the content width, 180 mm)."""


def _figure_text(value: Any, is_rate: bool) -> str:
    return pct_text(value) if is_rate else int_text(value)


def _records_table(entries: Sequence[Mapping[str, Any]]) -> Table:
    head = para_style("ap-head", 7.5, leading=9.5, align=TA_CENTER)
    cell = para_style("ap-cell", 7.3, leading=9.2)
    small = para_style("ap-small", 6.8, leading=8.6)
    data: list[list[Any]] = [[para(h, head) for h in ("日付", "種類", "組織", "件名", "自治体")]]
    for entry in entries:
        data.append([
            para(era(entry.get("date") or None), small),
            para(entry.get("entity", ""), small),
            para(entry.get("org", ""), small),
            para(entry.get("title", ""), cell),
            para(entry.get("municipality", ""), small),
        ])
    return Table(data, colWidths=list(APPENDIX_WIDTHS), repeatRows=1,
                 style=grid_style([("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))


def _appendix(sections: Sequence[Mapping[str, Any]], fiscal_year: int, closed: bool) -> list[Flowable]:
    """付録: for each KPI, its figure and the records behind it, one list per KPI."""
    story: list[Flowable] = [PageBreak(), section_heading("付録　もとになった記録の一覧")]
    end = fiscal_year_bounds(fiscal_year)[1]
    lines = [
        "各KPIの総合計のもとになった記録です（数が0のKPIは省きます）。画面で数字を開いたときの内訳と同じ一覧です。",
        "支援自治体数は、組織ごとに自治体を1団体ずつ、その自治体に届いた記録の一つとともに示します。",
        f"参画率・加入率は、年度末（{era(end)}）時点で参画・加入している市区町村です（日付はその状態になった日）。",
    ]
    if closed:
        lines.append("この年度の数は確定済みです。一覧は現在の記録から数えたもので、確定値と異なる場合は両方を示します。")
    story += notes(lines)
    label_style = para_style("ap-kpi", 9.5, leading=13, color=NAVY)
    count_style = para_style("ap-count", 8, leading=11, align=TA_RIGHT, color=MUTED)
    if not sections:
        story.append(para("この年度に数のあるKPIはありません。", para_style("ap-none", 8.5, color=MUTED)))
    for section in sections:
        is_rate = bool(section.get("is_rate"))
        entries = section.get("records") or []
        figure = _figure_text(section.get("value"), is_rate)
        official = section.get("official")
        if closed and official is not None and official != section.get("value"):
            figure += f"（確定値 {_figure_text(official, is_rate)}）"
        if is_rate:
            count = f"{len(entries):,}／1,741市区町村"
        else:
            count = f"記録 {len(entries):,}件"
        heading = Table(
            [[para(f"{section.get('label', '')}　{figure}", label_style), para(count, count_style)]],
            colWidths=[CONTENT_WIDTH - 45 * mm, 45 * mm],
            style=table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 1), ("LINEBELOW", (0, 0), (-1, 0), 0.9, NAVY)]),
        )
        story.append(CondPageBreak(35 * mm))
        story.append(Spacer(1, 3 * mm))
        story.append(heading)
        story.append(Spacer(1, 1.2 * mm))
        if entries:
            story.append(_records_table(entries))
        else:
            story.append(para("もとになった記録はありません。", para_style("ap-empty", 8, color=MUTED)))
    return story


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
    appendix: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """The KPI result report (KPI実績報告) of ``fiscal_year``: the official table, the breakdown
    by organisation, achievement against the targets and the matching funnel.

    ``appendix`` (optional): per KPI, ``label``, ``value`` (the figure the list adds up to),
    ``official`` (the tally's figure), ``is_rate`` and ``records`` (dicts of ``date`` (ISO),
    ``entity``, ``org``, ``title``, ``municipality``, all display texts): the lists of the records
    behind the figures, after the report."""
    fy_label = format_fiscal_year(fiscal_year)
    title = f"{fy_label} {CONGRESS} KPI実績報告"
    start, end = fiscal_year_bounds(fiscal_year)
    story: list[Flowable] = title_block(
        title, org_line(org_label), issued, f"対象期間：{era(start)}～{era(end)}"
    )
    story.append(section_heading("1．KPI実績一覧"))
    story.append(_official_table(table_rows))
    story.append(Spacer(1, 1.5 * mm))
    story += notes([*closed_notes(tally),
        "支援自治体数（延べ）は組織ごとの数の合計、（実数）は同じ自治体を1団体と数えた数です。",
        "参画率・加入率は全国1,741市区町村に対する割合です。目標・達成率は総合計の行に示します。",
        "事務局・部会の実績は総合計にのみ含まれます。",
    ])
    columns, org_rows = by_org
    story.append(CondPageBreak(60 * mm))
    story.append(section_heading("2．組織別内訳"))
    story.append(_by_org_table(columns, org_rows))
    story.append(Spacer(1, 1.5 * mm))
    story += notes(["各組織の数は延べ数です（同じ自治体を複数の組織が支援した場合、それぞれで数えます）。"])
    story.append(KeepTogether([section_heading("3．目標の達成状況"), _achievement_bars(tally), Spacer(1, 1 * mm),
                               *notes(["棒は目標に対する実績の割合（達成率）。赤の破線が目標（100%）、緑は目標達成です。"])]))
    story.append(KeepTogether([section_heading("4．マッチングの進捗状況"), _funnel(funnel), Spacer(1, 1 * mm),
                               *notes(["各段階はその年度に到達した件数です。現場試行はマッチングに紐づく実施済みの実証実験の数です。",
                                       "前段階比は一つ前の段階の件数に対する割合、検討比はマッチング検討数に対する割合です。"])]))
    if appendix is not None:
        story += _appendix(appendix, fiscal_year, bool(tally.get("closed")))
    return write_pdf(path, story, title=title, org_label=org_label, issued=issued, subject=f"{fy_label} KPI実績",
                     data_dir=data_dir)

