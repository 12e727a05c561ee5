"""The activity plan (活動計画): a row → a planned event's data (開催予定日 kept as written and read
into an interval, 種別 by name, フォーラム実施数 by the type's default, 自治体 resolved to codes), or,
when its 種別 is 実証実験・現場試行, a planned trial's data (one local government required)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jcim_desktop.domain.classification import TRIAL_KIND, TRIAL_KIND_LABEL, trial_from_event
from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.domain.kpi import counts_as_forum_default
from jcim_desktop.domain.lgcodes import LocalGovernment, LocalGovernmentRegistry, default_registry
from jcim_desktop.domain.vocab import EVENT_TYPES
from jcim_desktop.reports.excel_import.cells import cell_text
from jcim_desktop.reports.excel_import.layout import EVENTS_COLUMNS, EVENTS_SHEET
from jcim_desktop.reports.excel_import.local_governments import lg_index
from jcim_desktop.reports.excel_import.reading import RowConverter, SheetKind, meta_fiscal_year, read_sheet, single_cell
from jcim_desktop.reports.excel_import.results import ROW_ENTITY, CellError, Progress, SheetResult

_SHEET = SheetKind("events", EVENTS_SHEET, EVENTS_COLUMNS, field_keys={
    "title": "title", "planned": "planned", "description": "description", "event_type": "event_type",
    "lg_codes": "lg", "lg_code": "lg", "series_no": "title", "result": "description",
})


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_EVENT_TYPE_BY_NAME: dict[str, str] = {
    **{_key(label): code for code, label in EVENT_TYPES.items()},
    **{code.casefold(): code for code in EVENT_TYPES},
    **{_key(name): TRIAL_KIND for name in (TRIAL_KIND_LABEL, "実証実験", "現場試行", "実証実験・現場試行", "trial")},
}
_EVENT_TYPE_CHOICES = "、".join([*EVENT_TYPES.values(), TRIAL_KIND_LABEL])
_LG_SPLIT = re.compile(r"[、,;；\n]+")


def _events_converter(fiscal_year: int, registry: LocalGovernmentRegistry) -> RowConverter:
    label = {c.key: c.label for c in EVENTS_COLUMNS}
    index = lg_index(registry)
    resolved: dict[str, LocalGovernment | str] = {}

    def local_governments(value: Any) -> tuple[list[str], list[str]]:
        """The codes a 自治体 cell names, and the problems of the names that name none."""
        if value is None:
            return [], []
        if not isinstance(value, str):
            parts: list[Any] = [value]
        else:
            parts = [p.strip() for p in _LG_SPLIT.split(unicodedata.normalize("NFKC", value)) if p.strip()]
        codes: list[str] = []
        problems: list[str] = []
        for part in parts:
            key = f"{type(part).__name__}:{part}"
            found = resolved.get(key)
            if found is None:
                found = resolved[key] = index.resolve(part)
            if isinstance(found, str):
                problems.append(found)
            elif found.lg_code not in codes:
                codes.append(found.lg_code)
        return codes, problems

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
            found = _EVENT_TYPE_BY_NAME.get(_key(cell_text(value)))
            if found is None:
                errors.append(CellError(row, letter, label["event_type"],
                                        f"種別「{cell_text(value)}」は選べません。▼の一覧から選んでください（{_EVENT_TYPE_CHOICES}）。"))
            else:
                event_type = found
        lg_letter, lg_value = single_cell(cells, "lg")
        codes, problems = local_governments(lg_value)
        for problem in problems:
            errors.append(CellError(row, lg_letter, label["lg"], problem))
        is_trial = event_type == TRIAL_KIND
        if is_trial and not problems and len(codes) != 1:
            if not codes:
                message = (f"種別が「{TRIAL_KIND_LABEL}」の行には、実証実験を行う自治体を1つ入力してください"
                           "（例: 広島県福山市、または6桁の団体コード）。")
                if not lg_letter:
                    message += "テンプレートの「自治体」列に入力するか、列がなければ新しいテンプレートに記入し直してください。"
            else:
                message = (f"種別が「{TRIAL_KIND_LABEL}」の行には、自治体を1つだけ入力してください（{len(codes)}つ入力されています）。"
                           "自治体ごとに行を分けてください。")
            errors.append(CellError(row, lg_letter, label["lg"], message))
        if errors:
            return None, errors
        description = cell_text(single_cell(cells, "description")[1]) or None
        planned = parse_planned(planned_text, fiscal_year).to_dict()
        if is_trial:
            trial = trial_from_event({"title": title, "planned": planned, "status": "planned",
                                      "description": description}, codes[0])
            return {**trial, ROW_ENTITY: "trials"}, errors
        return {
            "title": title,
            "event_type": event_type,
            "planned": planned,
            "status": "planned",
            "description": description,
            "lg_codes": codes,
            "counts_as_forum": counts_as_forum_default(event_type),
        }, errors

    return convert


def read_events_sheet(path: Path | str, *, fiscal_year: int | None = None, progress: Progress | None = None,
                      registry: LocalGovernmentRegistry | None = None) -> SheetResult:
    """Read an activity plan (活動・行事名 / 開催予定日 / 内容 / 種別 / 自治体) of ``fiscal_year``.

    Without ``fiscal_year`` the year written in the template's 記入方法 sheet is used. 開催予定日
    is kept verbatim and read by ``parse_planned`` into an interval. A row whose 種別 is
    実証実験・現場試行 becomes a trial (``RowResult.entity == "trials"``). Sheets made before the
    自治体 column (or without 種別) still read: an empty 種別 is その他.
    """
    reg = registry if registry is not None else default_registry()

    def make(meta: dict[str, Any], result: SheetResult) -> RowConverter | None:
        fy = fiscal_year if fiscal_year is not None else meta_fiscal_year(meta)
        result.fiscal_year = fy
        if fy is None:
            result.problems.append("どの年度の計画か分かりません。年度（例: 2024）を指定して取り込んでください。")
            return None
        return _events_converter(fy, reg)

    return read_sheet(path, _SHEET, make_converter=make, progress=progress)
