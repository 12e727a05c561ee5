"""The needs survey (ニーズ調査票): a row → a need's data (自治体 resolved to its code, 施設種別
by name, 受付日 in any common form, the contact if any)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jcim_desktop.domain.lgcodes import LocalGovernment, LocalGovernmentRegistry, default_registry
from jcim_desktop.domain.vocab import FACILITY_TYPES
from jcim_desktop.reports.excel_import.cells import DATE_FORMS, cell_text, column_letter, parse_cell_date
from jcim_desktop.reports.excel_import.layout import NEEDS_COLUMNS, NEEDS_SHEET
from jcim_desktop.reports.excel_import.local_governments import lg_index
from jcim_desktop.reports.excel_import.reading import RowConverter, SheetKind, meta_fiscal_year, read_sheet, single_cell
from jcim_desktop.reports.excel_import.results import CellError, Progress, SheetResult

_SHEET = SheetKind("needs", NEEDS_SHEET, NEEDS_COLUMNS, field_keys={
    "lg_code": "lg", "title": "title", "facility_types": "facility1", "requirements": "requirements",
    "received_on": "received_on", "contact": "email",
})

_FACILITY_SPLIT = re.compile(r"[、,;/・\s]+")
_FACILITY_BY_NAME: dict[str, str] = {
    **{unicodedata.normalize("NFKC", label).casefold(): code for code, label in FACILITY_TYPES.items()},
    **{code.casefold(): code for code in FACILITY_TYPES},
    "橋りょう": "bridge", "橋": "bridge", "上下水道": "water_supply", "水道": "water_supply",
}
_FACILITY_CHOICES = "、".join(FACILITY_TYPES.values())


def _needs_converter(registry: LocalGovernmentRegistry, fiscal_year: int | None, survey: str | None) -> RowConverter:
    index = lg_index(registry)
    resolved: dict[Any, LocalGovernment | str] = {}
    label = {c.key: c.label for c in NEEDS_COLUMNS}

    def convert(row: int, cells: Mapping[str, list[tuple[int, Any]]]) -> tuple[dict[str, Any] | None, list[CellError]]:
        errors: list[CellError] = []

        def error(letter: str, key: str, message: str) -> None:
            errors.append(CellError(row, letter, label.get(key, key), message))

        letter, value = single_cell(cells, "lg")
        lg_code = None
        if value is None:
            error(letter, "lg", "自治体を入力してください（名前か6桁の団体コード）。")
        else:
            cache_key = (type(value), value)
            found = resolved.get(cache_key)
            if found is None:
                found = resolved[cache_key] = index.resolve(value)
            if isinstance(found, str):
                error(letter, "lg", found)
            else:
                lg_code = found.lg_code
        texts: dict[str, str | None] = {}
        for key in ("title", "requirements", "department", "contact_name", "email", "phone"):
            letter, value = single_cell(cells, key)
            texts[key] = cell_text(value) or None
            if key in ("title", "requirements") and value is None:
                error(letter, key, f"{label[key]}を入力してください。")
        email = texts["email"]
        if email is not None and "@" not in email:
            error(single_cell(cells, "email")[0], "email", f"メールアドレス「{email}」に @ がありません。正しく入力してください。")
        facility: list[str] = []
        for key in ("facility1", "facility2", "facility3"):
            for col, value in cells.get(key, ()):
                if value is None:
                    continue
                for part in _FACILITY_SPLIT.split(unicodedata.normalize("NFKC", cell_text(value))):
                    if not part:
                        continue
                    code = _FACILITY_BY_NAME.get(part.casefold())
                    if code is None:
                        errors.append(CellError(row, column_letter(col), label[key],
                                                f"施設種別「{part}」は選べません。▼の一覧から選んでください（{_FACILITY_CHOICES}）。"))
                    elif code not in facility:
                        facility.append(code)
        letter, value = single_cell(cells, "received_on")
        received: str | None = None
        if value is None:
            error(letter, "received_on", f"受付日を入力してください。{DATE_FORMS}")
        else:
            parsed = parse_cell_date(value, "受付日", fiscal_year)
            if isinstance(parsed, str):
                error(letter, "received_on", parsed)
            else:
                received = parsed.isoformat()
        if errors:
            return None, errors
        contact = {"name": texts["contact_name"], "department": texts["department"], "email": email, "phone": texts["phone"]}
        return {
            "lg_code": lg_code,
            "title": texts["title"],
            "facility_types": facility,
            "requirements": texts["requirements"],
            "received_on": received,
            "survey": survey,
            "status": "open",
            "contact": contact if any(contact.values()) else None,
        }, errors

    return convert


def read_needs_sheet(
    path: Path | str,
    *,
    fiscal_year: int | None = None,
    progress: Progress | None = None,
    registry: LocalGovernmentRegistry | None = None,
) -> SheetResult:
    """Read a filled-in needs survey (``write_needs_template``'s layout, or any sheet with its headers).

    ``fiscal_year`` gives the year of dates written without one (5月10日). ``registry`` is the
    local-government master (the bundled one by default).
    """
    reg = registry if registry is not None else default_registry()

    def make(meta: dict[str, Any], result: SheetResult) -> RowConverter:
        survey = cell_text(meta.get("survey")) or None
        fy = fiscal_year if fiscal_year is not None else meta_fiscal_year(meta)
        result.fiscal_year = fy
        return _needs_converter(reg, fy, survey)

    return read_sheet(path, _SHEET, make_converter=make, progress=progress)
