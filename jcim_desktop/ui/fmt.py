"""The one place where values become text for people: dates, fiscal years, numbers, sizes, codes.

Services hand the UI typed values (``date``, ``datetime``, ``int`` fiscal years, counts, codes);
lists, dialogs, the status bar and the conflict view all format them here, so a date reads the
same everywhere. In Japanese a date is in the era form people use at work (令和6年7月1日, and
令和6年度（2024） for a fiscal year); in English, ``Jul 1, 2024`` and ``FY2024``. Codes become
labels through :mod:`jcim_desktop.ui.labels`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject

from jcim_desktop.domain.fiscal import fiscal_year_of, format_era_date, format_fiscal_year
from jcim_desktop.ui import language

translate = QCoreApplication.translate

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _japanese() -> bool:
    return language.current() == "ja"


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def fy_label(fy: int) -> str:
    """``令和6年度（2024）`` / ``FY2024``: a fiscal year in a selector or a heading."""
    return f"{format_fiscal_year(fy)}（{fy}）" if _japanese() else f"FY{fy}"


def fy_short(fy: int) -> str:
    """``令和6年度`` / ``FY2024``: a fiscal year in a table cell."""
    return format_fiscal_year(fy) if _japanese() else f"FY{fy}"


def date_label(value: str | dt.date | None) -> str:
    """``令和6年7月1日`` / ``Jul 1, 2024`` (an ISO text is accepted; empty for none)."""
    day = _as_date(value)
    if day is None:
        return ""
    if _japanese():
        return format_era_date(day)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def date_range_label(start: str | dt.date | None, end: str | dt.date | None) -> str:
    """A span of days (``令和6年7月1日～7月3日`` is written in full on both sides for clarity)."""
    first, last = date_label(start), date_label(end)
    if not last or last == first:
        return first
    return f"{first}～{last}" if _japanese() else f"{first} – {last}"


def iso_date(value: str | dt.date | None) -> str:
    if not value:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def time_label(value: dt.datetime, *, seconds: bool = True) -> str:
    return f"{value.hour}:{value:%M:%S}" if seconds else f"{value.hour}:{value:%M}"


def datetime_label(value: dt.datetime, *, seconds: bool = True) -> str:
    """``令和6年7月1日 9:30:05`` / ``Jul 1, 2024 9:30:05``: a moment as people read it (without
    ``seconds`` to the minute, where a narrow heading shows it)."""
    return f"{date_label(value.date())} {time_label(value, seconds=seconds)}"


def number(value: int | float) -> str:
    """``1,234`` (integers) / ``12.5`` (others, one decimal)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def percent(rate: float) -> str:
    """A rate (0…1) as ``62.5%``."""
    return f"{rate * 100:.1f}%"


class _Plurals(QObject):
    """Texts that change with a number (``self.tr(…, "", n)`` is how lupdate sees plurals)."""

    def records(self, n: int) -> str:
        return self.tr("%Ln 件", "", n)


_plurals: _Plurals | None = None


def count(n: int) -> str:
    """``1,234 件`` / ``1 record``, ``1,234 records``."""
    global _plurals
    if _plurals is None:
        _plurals = _Plurals()
    return _plurals.records(n)


def join(items: Iterable[str], *, ja: str = "、", en: str = ", ") -> str:
    """``活動・行事名、種別`` / ``Activity/event name, Type``: items listed inside a sentence."""
    return (ja if _japanese() else en).join(items)


def size_label(size: int) -> str:
    """A file size for people: ``232 KB``, ``12.5 MB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{(size + 1023) // 1024:,} KB"


def current_fiscal_year(today: dt.date | None = None) -> int:
    return fiscal_year_of(today or dt.date.today())


def fiscal_year_choices(today: dt.date | None = None, back: int = 4, ahead: int = 1) -> list[int]:
    current = current_fiscal_year(today)
    return list(range(current + ahead, current - back - 1, -1))
