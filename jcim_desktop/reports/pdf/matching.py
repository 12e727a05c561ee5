"""Matching information sheets (マッチング情報シート): one A4 page per pairing of a need and a seed."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table

from jcim_desktop.reports.pdf.common import (
    CONTENT_WIDTH,
    GRID,
    LABEL_BG,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    NAVY,
    PAGE_HEIGHT,
    TEXT,
    grid_style,
    org_line,
    para,
    para_style,
    table_style,
    title_block,
    write_pdf,
)

LONG_BOX = 42 * mm


def _sheet(sheet: Mapping[str, Any], number: int, total: int) -> list[Flowable]:
    label_style = para_style("ms-label", 8, leading=10, color=NAVY)
    value_style = para_style("ms-value", 9.5, leading=14)
    long_style = para_style("ms-long", 9, leading=14)
    box_head = para_style("ms-boxhead", 10, leading=13, color=colors.white, align=TA_CENTER)
    title_style = para_style("ms-title", 15.5, leading=21, align=TA_CENTER, color=NAVY)
    right = para_style("ms-right", 8.5, align=TA_RIGHT)

    owner = str(sheet.get("org_label") or "")
    info_rows = [[para(f"No. {number} / {total}", right)]]
    if owner:
        info_rows.append([para(f"担当：{owner}", right)])
    parts: list[Flowable] = [
        Table(info_rows, colWidths=[CONTENT_WIDTH],
              style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])),
        Spacer(1, 2 * mm),
        para("マッチング情報シート", title_style),
        Spacer(1, 4 * mm),
    ]
    fields = sheet.get("fields") or []
    field_text = "、".join(str(f) for f in fields) if isinstance(fields, (list, tuple)) else str(fields)
    top = Table(
        [
            [para("技術テーマ", label_style), para(sheet.get("theme", ""), para_style("ms-theme", 11.5, leading=16))],
            [para("技術分野", label_style), para(field_text or "―", value_style)],
            [para("現在の段階", label_style), para(sheet.get("current_stage") or "―", value_style)],
        ],
        colWidths=[28 * mm, CONTENT_WIDTH - 28 * mm],
        style=table_style([
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
        rows: list[list[Any]] = [[para(heading, box_head)]]
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
            text = para(value if value not in (None, "") else "―", long_style if long else value_style)
            rows.append([para(label, label_style)])
            rows.append([text])
            heights.append(None)
            # The long texts get a box of at least LONG_BOX, as on a printed information sheet.
            heights.append(max(text.wrap(half - 12, PAGE_HEIGHT)[1] + 10, LONG_BOX) if long else None)
            commands += [("BACKGROUND", (0, r), (-1, r), LABEL_BG), ("LINEABOVE", (0, r), (-1, r), 0.5, GRID),
                         ("TOPPADDING", (0, r), (-1, r), 2), ("BOTTOMPADDING", (0, r), (-1, r), 3),
                         ("VALIGN", (0, r + 1), (-1, r + 1), "TOP")]
        return Table(rows, colWidths=[half], rowHeights=heights, style=table_style(commands))

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
        style=table_style([
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

    head = para_style("ms-head", 8.5, align=TA_CENTER)
    cell = para_style("ms-cell", 8.5, leading=11.5)
    centre = para_style("ms-centre", 8.5, leading=11.5, align=TA_CENTER)
    history: list[list[Any]] = [[para(h, head) for h in ("段階", "日付", "備考")]]
    for step in sheet.get("stages") or []:
        history.append([para(step.get("label", ""), centre), para(step.get("on", ""), centre),
                        para(step.get("note") or "", cell)])
    if len(history) == 1:
        history.append([para("記録なし", centre), "", ""])
    parts.append(para("進捗の経過", para_style("ms-sub", 10, leading=14, color=NAVY, space_after=1.5 * mm)))
    parts.append(Table(history, colWidths=[36 * mm, 40 * mm, CONTENT_WIDTH - 76 * mm], style=grid_style()))
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
        story += title_block(title, org_line(org_label), issued)
        story.append(para("対象のマッチングはありません。", para_style("none", 10)))
    return write_pdf(path, story, title=title, org_label=org_label, issued=issued, data_dir=data_dir)
