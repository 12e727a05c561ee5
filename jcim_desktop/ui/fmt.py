"""Display formatting shared by pages: era-form years and dates, labels of codes."""

from __future__ import annotations

import datetime as dt

from jcim_desktop.domain.fiscal import format_era_date, format_fiscal_year, fiscal_year_of


def fy_label(fy: int) -> str:
    """``令和6年度（2024）``: the era form people read, with the western year for sorting by eye."""
    return f"{format_fiscal_year(fy)}（{fy}）"


def fy_short(fy: int) -> str:
    return format_fiscal_year(fy)


def date_label(value: str | dt.date | None) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_era_date(day)


def iso_date(value: str | dt.date | None) -> str:
    if not value:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def current_fiscal_year(today: dt.date | None = None) -> int:
    return fiscal_year_of(today or dt.date.today())


def fiscal_year_choices(today: dt.date | None = None, back: int = 4, ahead: int = 1) -> list[int]:
    current = current_fiscal_year(today)
    return list(range(current + ahead, current - back - 1, -1))


def datetime_label(value: dt.datetime) -> str:
    """``令和6年7月1日 9:30:05``: a moment as people read it (the era date, then the time)."""
    return f"{format_era_date(value.date())} {value.hour}:{value:%M:%S}"


def size_label(size: int) -> str:
    """A file size for people: ``232 KB``, ``12.5 MB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{(size + 1023) // 1024:,} KB"
