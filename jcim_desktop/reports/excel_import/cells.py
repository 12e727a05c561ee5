"""Cell values as text, column letters, and date cells (a real date, an Excel serial number,
or text such as 令和6年5月10日 or, with the fiscal year known, 5月10日)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from jcim_desktop.domain.fiscal import calendar_year_for_month, parse_era_date


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text (numbers without a trailing .0, dates as 2024/5/10)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value.year}/{value.month}/{value.day}"
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value).strip()


# -- dates ---------------------------------------------------------------------------------------

_YEARLESS = re.compile(r"(\d{1,2})\s*(?:月|/|-|\.)\s*(\d{1,2})\s*日?")
DATE_FORMS = "2024/5/10、2024-05-10、令和6年5月10日、R6.5.10 のいずれかの形で入力してください。"


def parse_cell_date(value: Any, label: str, fiscal_year: int | None = None) -> dt.date | str:
    """A date cell (a real date, an Excel serial number, or text such as 令和6年5月10日), or a message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date whose cell format was lost shows as its serial number (45422 = 2024-05-10).
        if 18_264 <= value < 73_051:  # 1950-01-01 … 2099-12-31
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        return f"{label}「{cell_text(value)}」を日付として読み取れません。{DATE_FORMS}"
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    try:
        return parse_era_date(text)
    except ValueError as exc:
        message = str(exc)
    match = _YEARLESS.fullmatch(text)
    if match:
        month, day = int(match[1]), int(match[2])
        if fiscal_year is None or not 1 <= month <= 12:
            return f"{label}「{text}」に年がありません。{DATE_FORMS}"
        try:
            return dt.date(calendar_year_for_month(fiscal_year, month), month, day)
        except ValueError:
            return f"{label}「{text}」は存在しない日付です。"
    if "存在しません" in message or "正しくありません" in message:
        return f"{label}: {message}"
    return f"{label}「{cell_text(value)}」を日付として読み取れません。{DATE_FORMS}"
