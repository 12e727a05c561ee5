"""What the PDF reports share: page geometry and colours, the Japanese font and paragraph styles,
number and era-date text, section headings and table styles, and the document itself (the page
furniture on a numbered canvas, written atomically)."""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.reports.fonts import japanese_font
from jcim_desktop.store.tempfiles import replacing

CONGRESS = "インフラメンテナンス国民会議"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
A4_LANDSCAPE: tuple[float, float] = landscape(A4)
"""The page of a report whose table needs the width (活動計画・実績)."""

NAVY = colors.HexColor("#1f3a5f")
TEXT = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
GRID = colors.HexColor("#9aa5b1")
HEADER_BG = colors.HexColor("#dde4ee")
LABEL_BG = colors.HexColor("#eef2f7")
"""Label cells, group headings and subtotal rows."""
SUBROW_BG = colors.HexColor("#f7f8fa")
TOTAL_BG = colors.HexColor("#d6e2f0")
SECTION_BG: dict[str, colors.Color] = {
    "total": TOTAL_BG,
    "national_forums": colors.HexColor("#dcebd8"),
    "regional_forums": colors.HexColor("#f6e6cf"),
}
BAR = colors.HexColor("#3c6e9f")
BAR_DONE = colors.HexColor("#2f855a")
BAR_TRACK = colors.HexColor("#e6eaf0")
TARGET_LINE = colors.HexColor("#c53030")
DROPPED = colors.HexColor("#a0aab5")


# -- fonts and styles -----------------------------------------------------------------------


def font_name() -> str:
    return japanese_font().name


def para_style(name: str, size: float = 8.5, *, leading: float | None = None, align: int = TA_LEFT,
               color: colors.Color = TEXT, left: float = 0.0, space_after: float = 0.0) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font_name(),
        fontSize=size,
        leading=leading if leading is not None else size * 1.4,
        alignment=align,
        textColor=color,
        leftIndent=left,
        spaceAfter=space_after,
        wordWrap="CJK",
    )


def markup(value: object) -> str:
    """Escaped paragraph markup for a plain text (line breaks kept)."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def para(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(value), style)


def int_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return f"{value:,.0f}"


def pct_text(value: object) -> str:
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


class NumberedCanvas(Canvas):
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


def page_furniture(title: str, org_label: str, issued: date,
                   pagesize: tuple[float, float] = A4) -> Callable[[Canvas, int, int], None]:
    page_width, page_height = pagesize
    issued_text = f"発行日　{era(issued)}"
    org_text = f"{CONGRESS}　{org_label}" if org_label and CONGRESS not in org_label else org_label or CONGRESS

    def draw(canvas: Canvas, number: int, total: int) -> None:
        font = font_name()
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        y = MARGIN_BOTTOM - 7 * mm
        canvas.line(MARGIN_X, y + 4 * mm, page_width - MARGIN_X, y + 4 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN_X, y, org_text)
        canvas.drawRightString(page_width - MARGIN_X, y, issued_text)
        canvas.setFont(font, 8.5)
        canvas.setFillColor(TEXT)
        canvas.drawCentredString(page_width / 2, y, f"{number} / {total}")
        if number > 1:
            # A running title on the pages after the first, whose title block says it in full.
            top = page_height - MARGIN_TOP + 6 * mm
            canvas.setFont(font, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN_X, top, title)
            canvas.line(MARGIN_X, top - 2 * mm, page_width - MARGIN_X, top - 2 * mm)
        canvas.restoreState()

    return draw


def write_pdf(path: str | os.PathLike[str], story: list[Flowable], *, title: str, org_label: str,
              issued: date, subject: str = "", data_dir: str | os.PathLike[str] | None = None,
              pagesize: tuple[float, float] = A4) -> Path:
    """Build ``story`` as an A4 PDF (``pagesize``: ``A4_LANDSCAPE`` for a wide table) and put it at
    ``path`` atomically. The temporary file is recorded in ``data_dir`` while written, so a
    killed build leaves nothing at the next start."""
    page_width, page_height = pagesize
    target = Path(path)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
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
        initialFontName=font_name(),
    )
    # No frame padding: tables and drawings CONTENT_WIDTH wide sit exactly between the margins.
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, page_width - 2 * MARGIN_X, page_height - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="A4", frames=[frame])])
    canvasmaker = functools.partial(
        NumberedCanvas,
        footer=page_furniture(title, org_label, issued, pagesize),
    )
    doc.build(story, canvasmaker=canvasmaker)
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target, data_dir) as f:
        f.write(buffer.getvalue())
    return target


def title_block(title: str, org_label: str, issued: date, subtitle: str = "",
                width: float = CONTENT_WIDTH) -> list[Flowable]:
    right = para_style("tb-right", 8.5, align=TA_RIGHT, color=TEXT)
    info = Table(
        [[para(f"発行日　{era(issued)}", right)], [para(org_label, right)]],
        colWidths=[width],
        style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]),
    )
    heading = para_style("tb-title", 15.5, leading=21, align=TA_CENTER, color=NAVY)
    parts: list[Flowable] = [info, Spacer(1, 3 * mm), para(title, heading)]
    if subtitle:
        parts.append(para(subtitle, para_style("tb-sub", 9, align=TA_CENTER, color=MUTED)))
    rule = Table([[""]], colWidths=[width], rowHeights=[1.2],
                 style=table_style([("LINEBELOW", (0, 0), (-1, -1), 1.6, NAVY),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    parts += [Spacer(1, 2 * mm), rule, Spacer(1, 4 * mm)]
    return parts


def section_heading(text: str) -> Table:
    """A section heading: a shaded band with a navy bar on its left."""
    cell = para(text, para_style("h", 10.5, leading=14, color=NAVY))
    return Table(
        [[cell]],
        colWidths=[CONTENT_WIDTH],
        style=table_style([
            ("BACKGROUND", (0, 0), (-1, -1), LABEL_BG),
            ("LINEBEFORE", (0, 0), (0, -1), 3, NAVY),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]),
        spaceBefore=2 * mm,
        spaceAfter=2.5 * mm,
    )


def notes(lines: Iterable[str]) -> list[Flowable]:
    style = para_style("note", 7.5, color=MUTED, left=8)
    return [Paragraph("※ " + markup(line), style) for line in lines]


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells use the Japanese font (a Table's default is Helvetica, which
    would be listed, unembedded, in the PDF even for empty cells)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font_name()), *commands])


def grid_style(extra: Iterable[tuple[Any, ...]] = ()) -> TableStyle:
    return table_style([
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



def org_line(org_label: str) -> str:
    return org_label if CONGRESS in org_label else f"{CONGRESS}　{org_label}"

