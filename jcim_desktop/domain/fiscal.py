"""Fiscal years (年度, April to March), fiscal quarters and Japanese eras (和暦)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import NamedTuple


class Era(NamedTuple):
    name: str
    initial: str
    first_day: date
    last_day: date | None


# Oldest first. Dates before 昭和 are out of scope: no record of the forums predates 2016.
ERAS: tuple[Era, ...] = (
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)

_STYLES = ("long", "short")


def _era_named(name: str) -> Era:
    key = unicodedata.normalize("NFKC", name).strip()
    for era in ERAS:
        if key == era.name or key.upper() == era.initial:
            return era
    raise ValueError(
        f"元号を読み取れません: 「{name}」。昭和・平成・令和（S・H・R）のいずれかです。"
    )


def era_year_to_gregorian(era: str, year: int) -> int:
    """西暦 of year ``year`` of ``era`` (name or initial); no check against the era's end."""
    if year < 1:
        raise ValueError(
            f"{era}{year}年は存在しません。元号の年は元年（1年）から数えます。"
        )
    return _era_named(era).first_day.year + year - 1


def fiscal_year_of(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_quarter_of(d: date) -> int:
    return (d.month - 4) % 12 // 3 + 1


def quarter_bounds(fy: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"四半期は1〜4で指定してください（{quarter}）。")
    first_month = (3 + 3 * (quarter - 1)) % 12 + 1
    start = date(calendar_year_for_month(fy, first_month), first_month, 1)
    after = _add_months(start, 3)
    return start, after - timedelta(days=1)


def calendar_year_for_month(fy: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"月は1〜12で指定してください（{month}）。")
    return fy if month >= 4 else fy + 1


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _era_entry_of(d: date) -> Era:
    for era in reversed(ERAS):
        if d >= era.first_day:
            return era
    raise ValueError(
        f"{d.isoformat()} は昭和より前の日付のため和暦で表せません。"
    )


def era_of(d: date) -> tuple[str, int]:
    era = _era_entry_of(d)
    return era.name, d.year - era.first_day.year + 1


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def _check_style(style: str) -> None:
    if style not in _STYLES:
        raise ValueError(f"表示形式は long か short です（{style!r}）。")


def format_era_date(d: date, style: str = "long") -> str:
    _check_style(style)
    name, year = era_of(d)
    if style == "short":
        initial = _era_named(name).initial
        return f"{initial}{year}.{d.month}.{d.day}"
    return f"{name}{_year_text(year)}年{d.month}月{d.day}日"


def _fiscal_year_era(fy: int) -> tuple[Era, int]:
    # A fiscal year is named after the era of its April 1st. The one changeover that fell in
    # an April (令和, 2019-05-01) is by convention named after the new era (令和元年度), and
    # no other changeover fell in April, so May 1st names every fiscal year correctly.
    era = _era_entry_of(date(fy, 5, 1))
    return era, fy - era.first_day.year + 1


def format_fiscal_year(fy: int, style: str = "long") -> str:
    _check_style(style)
    era, year = _fiscal_year_era(fy)
    if style == "short":
        return f"{era.initial}{_year_text(year)}年度"
    return f"{era.name}{_year_text(year)}年度"


_ERA_PATTERN = r"(?P<era>令和|平成|昭和|[RHS])\s*(?P<year>元|\d{1,3})"
_FY_ERA_RE = re.compile(rf"{_ERA_PATTERN}\s*(?:年度)?")
_FY_WESTERN_RE = re.compile(r"(?:FY\s*)?(?P<western>\d{4})\s*(?:年度)?")


def _fy_error(text: str) -> ValueError:
    return ValueError(f"年度を読み取れません: 「{text}」。例: 令和6年度、R6年度、2024")


def _normalized(text: str) -> str:
    """Text as the era patterns match it: NFKC (full-width digits), trimmed, upper case (r6 = R6)."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def _era_and_year(match: re.Match[str], error: ValueError) -> tuple[Era, int]:
    """The era and the year within it (元 = 1) of a match of ``_ERA_PATTERN``; ``error`` for year 0."""
    era = _era_named(match["era"])
    year = 1 if match["year"] == "元" else int(match["year"])
    if year < 1:
        raise error
    return era, year


def parse_fiscal_year(text: str) -> int:
    normalized = _normalized(text)
    match = _FY_ERA_RE.fullmatch(normalized)
    if match:
        era, year = _era_and_year(match, _fy_error(text))
        fy = era.first_day.year + year - 1
        fy_start = fiscal_year_bounds(fy)[0]
        # A fiscal year belongs to an era if the two overlap at all: 平成31年度 (April 2019)
        # is written although the year is officially 令和元年度, but 平成32年度 never existed.
        if era.last_day is not None and fy_start > era.last_day:
            raise ValueError(
                f"{era.name}{_year_text(year)}年度は存在しません"
                f"（{era.name}は{_era_span_text(era)}）。例: 令和6年度、R6年度、2024"
            )
        return fy
    match = _FY_WESTERN_RE.fullmatch(normalized)
    if match:
        fy = int(match["western"])
        if not date.min.year <= fy < date.max.year:
            raise _fy_error(text)
        return fy
    raise _fy_error(text)


def _era_span_text(era: Era) -> str:
    if era.last_day is None:
        return f"{era.first_day.year}年{era.first_day.month}月{era.first_day.day}日から"
    last_year = era.last_day.year - era.first_day.year + 1
    return f"{_year_text(last_year)}年{era.last_day.month}月{era.last_day.day}日まで"


_DATE_ERA_KANJI_RE = re.compile(
    rf"{_ERA_PATTERN}\s*年\s*(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*日"
)
_DATE_ERA_DOTTED_RE = re.compile(
    rf"{_ERA_PATTERN}\s*(?P<sep>[./-])\s*(?P<month>\d{{1,2}})"
    r"\s*(?P=sep)\s*(?P<day>\d{1,2})"
)
_DATE_WESTERN_KANJI_RE = re.compile(
    r"(?P<western>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
_DATE_WESTERN_DOTTED_RE = re.compile(
    r"(?P<western>\d{4})\s*(?P<sep>[./-])\s*(?P<month>\d{1,2})"
    r"\s*(?P=sep)\s*(?P<day>\d{1,2})"
)


def _date_error(text: str) -> ValueError:
    return ValueError(
        f"日付を読み取れません: 「{text}」。例: 令和6年7月1日、R6.7.1、2024-07-01"
    )


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"日付が正しくありません: 「{text}」（{year}年{month}月{day}日はありません）。"
        ) from None


def parse_era_date(text: str) -> date:
    normalized = _normalized(text)
    for pattern in (_DATE_ERA_KANJI_RE, _DATE_ERA_DOTTED_RE):
        match = pattern.fullmatch(normalized)
        if match:
            era, year = _era_and_year(match, _date_error(text))
            month, day = int(match["month"]), int(match["day"])
            d = _make_date(text, era.first_day.year + year - 1, month, day)
            if d < era.first_day or (era.last_day is not None and d > era.last_day):
                written = f"{era.name}{_year_text(year)}年{month}月{day}日"
                try:
                    actual = format_era_date(d)
                except ValueError:
                    actual = f"{d.year}年{d.month}月{d.day}日"
                raise ValueError(f"{written}は存在しません。{actual}です。")
            return d
    for pattern in (_DATE_WESTERN_KANJI_RE, _DATE_WESTERN_DOTTED_RE):
        match = pattern.fullmatch(normalized)
        if match:
            return _make_date(text, int(match["western"]), int(match["month"]), int(match["day"]))
    raise _date_error(text)
