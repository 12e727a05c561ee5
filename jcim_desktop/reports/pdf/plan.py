"""A forum's activity plan and results (活動計画・実績) for a fiscal year, on A4 landscape: No.,
活動・行事名, 開催予定日, 会場, 内容, 参加者数 and 実施状況 side by side, every text wrapped inside its
own cell (Japanese line breaking; a character that may not start a line stays inside the cell
instead of hanging into the next column).

A joint event (SYNC_FORMAT §4 ``co_hosts``) is in the plan of every org that held it: under
its title, the owner's plan names the co-hosts (共催: 中国フォーラム), a co-host's plan says it
co-hosted and who held it (共催（主催: 関東フォーラム）). The KPIs count it for the owner only,
as a note under the table says whenever a plan has such an event.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from jcim_desktop.domain.fiscal import format_fiscal_year
from jcim_desktop.reports.pdf.common import (
    A4_LANDSCAPE,
    MARGIN_X,
    MUTED,
    SUBROW_BG,
    grid_style,
    int_text,
    notes,
    org_line,
    para,
    para_style,
    title_block,
    write_pdf,
)

PAGE_SIZE = A4_LANDSCAPE
TABLE_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
"""267 mm: the table fills the landscape page between the margins."""
COLUMNS: tuple[tuple[str, float], ...] = (
    ("No.", 9 * mm),
    ("活動・行事名", 62 * mm),
    ("開催予定日", 26 * mm),
    ("会場", 45 * mm),
    ("内容", 80 * mm),
    ("参加者数", 16 * mm),
    ("実施状況", 29 * mm),
)
"""The table's columns, left to right: header and width (they add up to ``TABLE_WIDTH``)."""


def _cell_style(name: str, size: float, leading: float, **kwargs: Any) -> ParagraphStyle:
    """A left-aligned cell's text: Japanese line breaking (``wordWrap='CJK'``), with room on the
    right for the one character reportlab lets hang past the line's end (「。」「ー」「）」 may not
    start a line), so that it stays inside the cell instead of running into the next column."""
    style = para_style(name, size, leading=leading, **kwargs)
    style.rightIndent = size
    return style


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
    ``venue`` (会場, "" when none), ``participants`` (参加者数, an int or None), ``status_label``
    and ``held`` (the era-form date held, or ""); ``kind`` (a line under the title: 実証実験・現場試行
    for a field trial, "" for an event); for a joint event, ``host`` (the owner's name, when another
    org owns it) and ``co_hosts`` (the other co-hosts' names).
    """
    fy_label = format_fiscal_year(fiscal_year)
    title = f"{fy_label} {org_name} 活動計画・実績"
    story = title_block(title, org_line(org_name), issued, width=TABLE_WIDTH)
    counts: dict[str, int] = {}
    for event in events:
        label = str(event.get("status_label") or "")
        counts[label] = counts.get(label, 0) + 1
    summary = f"計画・実績 {len(events)}件"
    if counts:
        summary += "（" + "、".join(f"{k or '状況未設定'} {v}件" for k, v in counts.items()) + "）"
    hosted_elsewhere = sum(1 for event in events if event.get("host"))
    if hosted_elsewhere:
        summary += f"　うち他組織主催の共催 {hosted_elsewhere}件"
    story.append(para(summary, para_style("plan-sum", 9, space_after=2 * mm)))

    head = para_style("pl-head", 8.5, align=TA_CENTER)
    cell = _cell_style("pl-cell", 8.5, 11.5)
    small = _cell_style("pl-small", 8, 10.8)
    centre = para_style("pl-centre", 8, leading=10.5, align=TA_CENTER)
    number_style = para_style("pl-number", 8, leading=10.8, align=TA_RIGHT)
    status_style = para_style("pl-status", 8.3, leading=11, align=TA_CENTER)
    muted_status = para_style("pl-status-m", 8.3, leading=11, align=TA_CENTER, color=MUTED)
    held_style = para_style("pl-held", 7.3, leading=9.5, align=TA_CENTER, color=MUTED)
    joint_style = _cell_style("pl-joint", 7.3, 9.5, color=MUTED)
    data: list[list[Any]] = [[para(h, head) for h, _ in COLUMNS]]
    commands: list[tuple[Any, ...]] = []
    for number, event in enumerate(events, start=1):
        status_label = str(event.get("status_label") or "")
        held = str(event.get("held") or "")
        quiet = status_label in ("中止", "延期")
        status_cell: list[Flowable] = [para(status_label, muted_status if quiet else status_style)]
        if held:
            status_cell.append(para(held, held_style))
        title_cell: list[Flowable] = [para(event.get("title", ""), cell)]
        for line in (str(event.get("kind") or ""), _joint_line(event)):
            if line:
                title_cell.append(para(line, joint_style))
        participants = int_text(event.get("participants"))
        data.append([
            para(number, centre),
            title_cell,
            para(event.get("planned_text", ""), small),
            para(event.get("venue") or "", small),
            para(event.get("description", ""), small),
            para(f"{participants}名" if participants else "", number_style),
            status_cell,
        ])
        if number % 2 == 0:
            commands.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SUBROW_BG))
    if not events:
        data.append(["", para("この年度の活動・行事は登録されていません。", cell), *[""] * (len(COLUMNS) - 2)])
        commands.append(("SPAN", (1, 1), (-1, 1)))
    story.append(Table(data, colWidths=[w for _, w in COLUMNS], repeatRows=1,
                       style=grid_style([*commands, ("VALIGN", (0, 1), (-1, -1), "TOP")])))
    story.append(Spacer(1, 1.5 * mm))
    lines = ["開催予定日は計画に記載されたとおりに示しています。実施日は実施済みの活動・行事について示します。"]
    if any(_joint_line(event) for event in events):
        lines.append("共催の活動・行事は、主催した組織と共催した組織の双方の計画に載せています。"
                     "KPIには主催した組織の実績として数えます。")
    story += notes(lines)
    return write_pdf(path, story, title=title, org_label=org_name, issued=issued, subject=f"{fy_label} 活動計画・実績",
                     data_dir=data_dir, pagesize=PAGE_SIZE)


def _joint_line(event: Mapping[str, Any]) -> str:
    """共催（主催: 関東フォーラム） in a co-host's plan, 共催: 中国フォーラム in the owner's; "" alone."""
    host = str(event.get("host") or "")
    if host:
        return f"共催（主催: {host}）"
    co_hosts = str(event.get("co_hosts") or "")
    return f"共催: {co_hosts}" if co_hosts else ""
