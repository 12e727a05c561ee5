"""The participation map: prefectures coloured by 市区町村長会議 参画率 class (the projection is
``domain.geo``'s, shared with the window's map), and the rates by prefecture in a table; on a
second page, in the same style, the 行政会員 map: prefectures coloured by 加入率, with its own
legend, headline rate and table."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from jcim_desktop.domain.fiscal import format_fiscal_year
from jcim_desktop.domain.geo import OKINAWA, Box, GeoBounds, Projection, prefecture_outlines, top_left_inset
from jcim_desktop.reports.pdf.common import (
    CONTENT_WIDTH,
    GRID,
    HEADER_BG,
    MUTED,
    NAVY,
    TEXT,
    era,
    font_name,
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

PARTICIPATION_CLASSES: tuple[str, ...] = ("10%未満", "10%以上", "30%以上", "50%以上", "70%以上", "100%")
"""市区町村長会議 参画率 classes, lowest first."""
CLASS_COLOURS: dict[str, colors.Color] = {
    label: colors.HexColor(c)
    # ColorBrewer Blues, 6 classes: light to dark, each step distinct in print.
    for label, c in zip(PARTICIPATION_CLASSES, ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"), strict=True)
}
ADMIN_CLASS_COLOURS: dict[str, colors.Color] = {
    label: colors.HexColor(c)
    # ColorBrewer Greens, 6 classes: the 行政会員 page is told apart from the 参画 page at a glance.
    for label, c in zip(PARTICIPATION_CLASSES, ("#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"), strict=True)
}
NO_DATA = colors.HexColor("#e3e6ea")


@dataclass(frozen=True)
class _Measure:
    """What one page of the map shows: the 参画 of the mayors' council or the 行政会員 membership."""

    legend: str
    """The legend's heading (市区町村長会議 参画率)."""
    rate: str
    """The rate's name in the table's header (参画率)."""
    members: str
    """The count's name in the table's header (参画数)."""
    heading: str
    """The title after the year (市区町村長会議 参画状況（都道府県別）)."""
    headline: str
    """The national rate's name in the subtitle (全国 参画率)."""
    colours: Mapping[str, colors.Color]
    note: str


MAYORS = _Measure("市区町村長会議 参画率", "参画率", "参画数", "市区町村長会議 参画状況（都道府県別）", "全国 参画率",
                  CLASS_COLOURS, "参画率は各都道府県の市区町村（特別区を含み、政令市の区を除く）のうち"
                  "市区町村長会議に参画する団体の割合です。")
ADMIN = _Measure("行政会員 加入率", "加入率", "会員数", "行政会員 加入状況（都道府県別）", "全国 加入率",
                 ADMIN_CLASS_COLOURS, "加入率は各都道府県の市区町村（特別区を含み、政令市の区を除く）のうち"
                 "インフラメンテナンス国民会議の行政会員である団体の割合です。")


def participation_class(rate: float) -> str:
    """The legend class of a 参画率 (a fraction)."""
    if rate >= 1.0 - 1e-9:
        return "100%"
    for bound, label in ((0.7, "70%以上"), (0.5, "50%以上"), (0.3, "30%以上"), (0.1, "10%以上")):
        if rate >= bound - 1e-9:
            return label
    return "10%未満"


def _map_drawing(rates: Mapping[str, float], width: float, height: float,
                 class_counts: Mapping[str, int], measure: _Measure = MAYORS) -> Drawing:
    font = font_name()
    outlines = prefecture_outlines()
    d = Drawing(width, height, initialFontName=font)
    main = [c for c in sorted(outlines) if c != OKINAWA]
    project = Projection.fit(GeoBounds.of(p for c in main for p in outlines[c]), Box(0, 0, width, height))
    border = colors.HexColor("#6b7785")

    def fill(code: str) -> colors.Color:
        return measure.colours[participation_class(rates[code])] if code in rates else NO_DATA

    def polygon(code: str, proj: Projection) -> Polygon:
        pts: list[float] = []
        for lon, lat in outlines[code]:
            pts.extend(proj(lon, lat))
        return Polygon(pts, fillColor=fill(code), strokeColor=border, strokeWidth=0.3, strokeLineJoin=1)

    for code in main:
        d.add(polygon(code, project))
    if OKINAWA in outlines:
        # Okinawa in a box at the top left (over the Sea of Japan), as Japanese maps place it.
        inset = top_left_inset(project, GeoBounds.of(outlines[OKINAWA]))
        box = inset.box
        d.add(Rect(box.x, box.y, box.width, box.height, fillColor=None, strokeColor=GRID, strokeWidth=0.7))
        d.add(polygon(OKINAWA, inset.projection))
        d.add(String(box.x + box.width / 2, box.y + 2.5, "沖縄県", fontName=font, fontSize=6.5, fillColor=MUTED,
                     textAnchor="middle"))
    # The legend over the Pacific, at the bottom right; highest class on top.
    labels = list(PARTICIPATION_CLASSES)
    missing = class_counts.get("データなし", 0)
    row = 5.2 * mm
    lw = 42 * mm
    lh = row * (len(labels) + (1 if missing else 0)) + 9 * mm
    lx, ly = width - lw, 0
    d.add(Rect(lx, ly, lw, lh, fillColor=colors.Color(1, 1, 1, alpha=0.92), strokeColor=GRID, strokeWidth=0.5))
    d.add(String(lx + 3 * mm, ly + lh - 5.5 * mm, measure.legend, fontName=font, fontSize=8, fillColor=NAVY))
    y = ly + lh - 6.5 * mm
    shown = [(label, measure.colours[label]) for label in reversed(labels)]
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
                 counts: Mapping[str, tuple[int, int]] | None, measure: _Measure = MAYORS) -> Table:
    codes = sorted(set(names) | set(rates))
    groups = 4
    per = math.ceil(len(codes) / groups)
    head = para_style("mp-head", 7, leading=9, align=TA_CENTER)
    small_head = para_style("mp-head-s", 6.2, leading=7.4, align=TA_CENTER)
    name_style = para_style("mp-name", 7.3, leading=9)
    num = para_style("mp-num", 7.3, leading=9, align=TA_RIGHT)
    light = para_style("mp-num-w", 7.3, leading=9, align=TA_RIGHT, color=colors.white)
    small = para_style("mp-small", 6.3, leading=9, align=TA_RIGHT, color=MUTED)
    header: list[Any] = []
    for g in range(groups):
        header += [para("都道府県", head), para(measure.rate, head), para(f"{measure.members}／\n市区町村数", small_head)]
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
                    para(names.get(code, code), name_style),
                    para(pct_text(rate) if rate is not None else "―", light if dark else num),
                    para(f"{count[0]:,}／{count[1]:,}" if count else "", small),
                ]
                commands.append(("BACKGROUND", (col + 1, r + 1), (col + 1, r + 1),
                                 measure.colours[cls] if cls else NO_DATA))
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
    style = table_style([
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
    admin_rates: Mapping[str, float] | None = None,
    admin_counts: Mapping[str, tuple[int, int]] | None = None,
    admin_national: tuple[int, int] | None = None,
    org_label: str = "事務局",
    as_of: date | None = None,
    as_of_year_end: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """The participation map: prefectures coloured by 市区町村長会議 参画率 class, Okinawa in an
    inset, a legend, and the rates by prefecture in a table; with ``admin_rates``, a second page
    in the same style for 行政会員 加入率.

    ``rates``: pref_code ("01"…"47") → rate (0…1); ``counts``: pref_code → (参画, 市区町村数);
    ``national``: (参画, 1,741) for the headline; ``admin_rates``, ``admin_counts`` and
    ``admin_national`` likewise for 行政会員; ``as_of``: the day whose status the rates are
    (``as_of_year_end``: the fiscal year's last day, else today in the current year).
    """
    fy_label = format_fiscal_year(fiscal_year)
    all_names = dict(names) if names is not None else _prefecture_names()
    when = ""
    if as_of:
        when = f"{era(as_of)}（年度末）時点" if as_of_year_end else f"{era(as_of)}現在"
    pages = [(MAYORS, rates, counts, national)]
    if admin_rates is not None:
        pages.append((ADMIN, admin_rates, admin_counts, admin_national))
    story: list[Flowable] = []
    for measure, page_rates, page_counts, page_national in pages:
        if story:
            story.append(PageBreak())
        story += _map_page(measure, fy_label, org_label, issued, when, page_rates, page_counts, page_national, all_names)
    if admin_rates is None:
        title = f"{fy_label} {MAYORS.heading}"
    else:
        title = f"{fy_label} 市区町村長会議 参画状況・行政会員 加入状況（都道府県別）"
    return write_pdf(path, story, title=title, org_label=org_label, issued=issued, data_dir=data_dir)


def _map_page(measure: _Measure, fy_label: str, org_label: str, issued: date, when: str,
              rates: Mapping[str, float], counts: Mapping[str, tuple[int, int]] | None,
              national: tuple[int, int] | None, names: Mapping[str, str]) -> list[Flowable]:
    """One page: the title with the national rate, the map with its legend, the table by prefecture."""
    subtitle_parts = []
    if national and national[1]:
        subtitle_parts.append(
            f"{measure.headline} {national[0] / national[1]:.1%}（{national[0]:,}／{national[1]:,}市区町村）")
    if when:
        subtitle_parts.append(when)
    story = title_block(f"{fy_label} {measure.heading}", org_line(org_label), issued, "　".join(subtitle_parts))
    class_counts: dict[str, int] = {}
    for code in set(names) | set(rates):
        label = participation_class(rates[code]) if code in rates else "データなし"
        class_counts[label] = class_counts.get(label, 0) + 1
    story.append(_map_drawing(rates, CONTENT_WIDTH, 138 * mm, class_counts, measure))
    story.append(Spacer(1, 3 * mm))
    story.append(section_heading(f"都道府県別 {measure.rate}"))
    story.append(_rates_table(rates, names, counts, measure))
    story.append(Spacer(1, 1.2 * mm))
    story += notes([measure.note])
    return story
