"""The activity plan (活動計画): a row → a planned event's data (開催予定日 kept as written and read
into an interval, 種別 by name, フォーラム実施数 by the type's default)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.domain.kpi import counts_as_forum_default
from jcim_desktop.domain.vocab import EVENT_TYPES
from jcim_desktop.reports.excel_import.cells import cell_text
from jcim_desktop.reports.excel_import.layout import EVENTS_COLUMNS, EVENTS_SHEET
from jcim_desktop.reports.excel_import.reading import RowConverter, SheetKind, meta_fiscal_year, read_sheet, single_cell
from jcim_desktop.reports.excel_import.results import CellError, Progress, SheetResult

_SHEET = SheetKind("events", EVENTS_SHEET, EVENTS_COLUMNS, field_keys={
    "title": "title", "planned": "planned", "description": "description", "event_type": "event_type",
})

_EVENT_TYPE_BY_NAME: dict[str, str] = {
    **{"".join(unicodedata.normalize("NFKC", label).split()).casefold(): code for code, label in EVENT_TYPES.items()},
    **{code.casefold(): code for code in EVENT_TYPES},
}
_EVENT_TYPE_CHOICES = "、".join(EVENT_TYPES.values())


def _events_converter(fiscal_year: int) -> RowConverter:
    label = {c.key: c.label for c in EVENTS_COLUMNS}

    def convert(row: int, cells: Mapping[str, list[tuple[int, Any]]]) -> tuple[dict[str, Any] | None, list[CellError]]:
        errors: list[CellError] = []
        letter, value = single_cell(cells, "title")
        title = cell_text(value)
        if not title:
            errors.append(CellError(row, letter, label["title"], "活動・行事名を入力してください。"))
        letter, value = single_cell(cells, "planned")
        planned_text = cell_text(value)
        if not planned_text:
            errors.append(CellError(row, letter, label["planned"],
                                    "開催予定日を入力してください。決まっていなければ「未定」や「調整中」と書いてください。"))
        letter, value = single_cell(cells, "event_type")
        event_type = "other"
        if value is not None:
            key = "".join(unicodedata.normalize("NFKC", cell_text(value)).split()).casefold()
            found = _EVENT_TYPE_BY_NAME.get(key)
            if found is None:
                errors.append(CellError(row, letter, label["event_type"],
                                        f"種別「{cell_text(value)}」は選べません。▼の一覧から選んでください（{_EVENT_TYPE_CHOICES}）。"))
            else:
                event_type = found
        if errors:
            return None, errors
        description = cell_text(single_cell(cells, "description")[1]) or None
        return {
            "title": title,
            "event_type": event_type,
            "planned": parse_planned(planned_text, fiscal_year).to_dict(),
            "status": "planned",
            "description": description,
            "lg_codes": [],
            "counts_as_forum": counts_as_forum_default(event_type),
        }, errors

    return convert


def read_events_sheet(path: Path | str, *, fiscal_year: int | None = None, progress: Progress | None = None) -> SheetResult:
    """Read an activity plan (活動・行事名 / 開催予定日 / 内容 / 種別) of ``fiscal_year``.

    Without ``fiscal_year`` the year written in the template's 記入方法 sheet is used. 開催予定日
    is kept verbatim and read by ``parse_planned`` into an interval.
    """

    def make(meta: dict[str, Any], result: SheetResult) -> RowConverter | None:
        fy = fiscal_year if fiscal_year is not None else meta_fiscal_year(meta)
        result.fiscal_year = fy
        if fy is None:
            result.problems.append("どの年度の計画か分かりません。年度（例: 2024）を指定して取り込んでください。")
            return None
        return _events_converter(fy)

    return read_sheet(path, _SHEET, make_converter=make, progress=progress)
