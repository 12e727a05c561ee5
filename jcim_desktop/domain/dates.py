"""Planned dates (開催予定日): the fuzzy text people write, read into an interval with a precision."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jcim_desktop.domain.fiscal import (
    calendar_year_for_month,
    era_year_to_gregorian,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_fiscal_year,
    quarter_bounds,
)

# Finest first: a list or range is as fuzzy as its fuzziest part.
PRECISIONS: tuple[str, ...] = ("day", "dekad", "month", "quarter", "year", "undecided")

_DEKAD_NAMES = ("上旬", "中旬", "下旬")


@dataclass(frozen=True)
class PlannedDate:
    """開催予定日: ``text`` verbatim as written, and the inclusive interval it is read as."""

    text: str
    start: date | None
    end: date | None
    precision: str
    tentative: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "tentative": self.tentative,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PlannedDate:
        if not isinstance(d, Mapping):
            raise ValueError("開催予定日の形式が正しくありません（オブジェクトではありません）。")
        text = d.get("text")
        if not isinstance(text, str):
            raise ValueError("開催予定日の text（記載どおりの文字列）がありません。")
        start = _iso_date_or_none(d.get("start"), "start")
        end = _iso_date_or_none(d.get("end"), "end")
        if start is not None and end is not None and end < start:
            raise ValueError(f"開催予定日の終了日 {end} が開始日 {start} より前です。")
        precision = d.get("precision")
        if precision not in PRECISIONS:
            raise ValueError(
                f"開催予定日の precision が正しくありません（{precision!r}）。"
                f"{'、'.join(PRECISIONS)} のいずれかです。"
            )
        tentative = d.get("tentative", False)
        if not isinstance(tentative, bool):
            raise ValueError(f"開催予定日の tentative は true か false です（{tentative!r}）。")
        return cls(text=text, start=start, end=end, precision=precision, tentative=tentative)

    def describe(self) -> str:
        if self.start is None or self.end is None:
            return "日付未定"
        span = (
            self.start.isoformat()
            if self.start == self.end
            else f"{self.start.isoformat()}〜{self.end.isoformat()}"
        )
        label = _label(self.start, self.end, self.precision)
        if self.tentative and self.precision != "undecided":
            label += "（予定・未確定）"
        return f"{span} {label}" if label else span


_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_or_none(value: object, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"開催予定日の {key} は YYYY-MM-DD 形式の日付か null です（{value!r}）。")


def _label(start: date, end: date, precision: str) -> str:
    if precision == "undecided":
        return "未定（年度内）" if _is_whole_fiscal_year(start, end) else "未定"
    if precision == "year":
        if _is_whole_fiscal_year(start, end):
            return f"通年（{_fiscal_year_text(fiscal_year_of(start))}）"
        if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            return f"{start.year}年"
        return ""
    if precision == "quarter":
        return _quarter_label(start, end)
    if precision == "month":
        first, last = f"{start.month}月", f"{end.month}月"
        return first if (start.year, start.month) == (end.year, end.month) else f"{first}〜{last}"
    if precision == "dekad":
        first = f"{start.month}月{_DEKAD_NAMES[min(start.day - 1, 29) // 10]}"
        last = f"{end.month}月{_DEKAD_NAMES[min(end.day - 1, 29) // 10]}"
        return first if first == last and end - start < timedelta(days=31) else f"{first}〜{last}"
    return ""


def _is_whole_fiscal_year(start: date, end: date) -> bool:
    return (start, end) == fiscal_year_bounds(fiscal_year_of(start))


def _fiscal_year_text(fy: int) -> str:
    try:
        return format_fiscal_year(fy)
    except ValueError:
        return f"{fy}年度"


def _quarter_label(start: date, end: date) -> str:
    fy = fiscal_year_of(start)
    if fiscal_year_of(end) != fy:
        return ""
    first, last = fiscal_quarter_of(start), fiscal_quarter_of(end)
    if (start, end) != (quarter_bounds(fy, first)[0], quarter_bounds(fy, last)[1]):
        return ""
    if first == last:
        return f"第{first}四半期"
    if (first, last) == (1, 2):
        return "上半期"
    if (first, last) == (3, 4):
        return "下半期"
    return f"第{first}〜第{last}四半期"


# ---------------------------------------------------------------------------------------------
# Parsing. The text is NFKC-normalised (full-width digits, brackets, ～ → ~), cut into tokens
# (a year, a month, a day, 上旬, 第2四半期, R6年度, 通年 …) and the text between two tokens decides
# whether they form a range (~, 〜, -, から) or a list (、 , space).

_RANGE_CHARS = "~〜\\-–—―ー‐−"
_SEP = rf"\s*(?:[{_RANGE_CHARS}]|から)\s*"
_ERA = r"(?:(?P<era>令和|平成|昭和)|(?<![A-Za-z])(?P<initial>[RrHhSs]))\s?(?P<ey>元|\d{1,2})"
_YEAR = rf"(?:{_ERA}|(?<!\d)(?P<y4>\d{{4}}))"

_TENTATIVE_RE = re.compile(
    r"頃|ごろ|未定|予定|調整中|検討中|未確定|見込|\(\s*案\s*\)|【\s*案\s*】|\(\s*仮\s*\)|【\s*仮\s*】|\?"
)
# Not ー here: before the first date it is more likely the end of a word (セミナー) than a dash.
_OPEN_START_RE = re.compile(r"[~〜\-–—―‐−]\s*$")
_OPEN_END_RE = re.compile(rf"^\s*(?:頃|ごろ)?\s*(?:[{_RANGE_CHARS}]|から|以降|以後)\s*$")
_UNTIL_RE = re.compile(r"^\s*まで")
_RANGE_GAP_RE = re.compile(rf"^\s*(?:\([^()]{{0,3}}\))?{_SEP}$")

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}

# Order matters: at each position the first pattern that matches wins.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        # Frequencies (2回/年, 1～2回/月, 月2回, 毎月) say "throughout", not a date.
        ("whole", rf"\d+(?:{_SEP}\d+)?\s*回\s*(?:/\s*)?(?:年|月|週|日)?"),
        ("whole", rf"(?:毎?年|毎?月|毎?週)\s*\d+(?:{_SEP}\d+)?\s*回"),
        ("whole", r"毎(?:年|月|週|日)|通年|年度内|年間|通期|随時|適宜|年中"),
        ("fy", rf"{_YEAR}\s*年度(?P<part>末|当初|初め|初頭|始め|はじめ)?"),
        ("fy", r"(?<![A-Za-z])[Ff][Yy]\s?(?P<y4>\d{4})(?!\d)"),
        ("fy_part", r"年度(?P<part>末|当初|初め|初頭|始め|はじめ)"),
        ("ymd", rf"{_YEAR}\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"),
        ("ymd", rf"{_YEAR}(?P<s>[./\-])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}})(?!\d)"),
        ("ym", rf"{_YEAR}(?P<s>[./\-])(?P<m>\d{{1,2}})(?![\d./\-])"),
        ("year", rf"{_YEAR}\s*年(?!度)"),
        ("md", r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"),
        ("month_range", rf"(?<!\d)(?P<a>\d{{1,2}})(?P<sep>{_SEP})(?P<b>\d{{1,2}})月"),
        ("day_range", rf"(?<!\d)(?P<a>\d{{1,2}})(?P<sep>{_SEP}|[・、,])(?P<b>\d{{1,2}})日"),
        ("month", r"(?<!\d)(?P<m>\d{1,2})月"),
        ("day", r"(?<!\d)(?P<d>\d{1,2})日"),
        ("dekad", r"上旬|初旬|中旬|下旬|(?<=月)(?:末|初め|はじめ|始め)"),
        (
            "quarter_range",
            rf"第\s*(?P<a>[1-4一二三四])\s*(?:四半期)?(?P<sep>{_SEP})第?\s*(?P<b>[1-4一二三四])\s*四半期",
        ),
        ("quarter", r"第\s*(?P<q>[1-4一二三四])\s*四半期"),
        ("quarter", r"(?<![A-Za-z\d])(?:[Qq](?P<q>[1-4])|(?P<q2>[1-4])[Qq])(?![A-Za-z\d])"),
        ("half", r"(?P<h>上半期|上期|前半期|下半期|下期|後半期)"),
    )
)


class _Unreadable(Exception):
    pass


@dataclass
class _Token:
    kind: str
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Item:
    """One point or period written in the text, resolved to dates."""

    start: date
    end: date
    precision: str
    text_start: int
    text_end: int
    explicit_year: bool = False


def parse_planned(text: str, fiscal_year: int) -> PlannedDate:
    """``text`` read in ``fiscal_year``; text that cannot be read is kept as 未定 (the whole year)."""
    found = _read(text, fiscal_year)
    return found if found is not None else _undecided(text, fiscal_year)


# Words that say the date is not decided yet: 未定 written on purpose, not a text left unread.
_UNDECIDED_RE = re.compile(
    r"未定|調整中|検討中|未確定|決まり次第|(?<![A-Za-z])(?:TBD|TBA|undecided)(?![A-Za-z])", re.IGNORECASE
)

CLEAR_PRECISIONS: tuple[str, ...] = ("day", "dekad", "month")
"""Precisions of a date that says when it is (a day, a third of a month, a month)."""


def planned_unreadable(text: str, fiscal_year: int) -> bool:
    """True when ``text`` holds something that could not be read as a date (ほげほげ, 13月,
    R8.2.30): :func:`parse_planned` would keep it as 未定 although nobody wrote that. Blank
    text, and text saying the date is not decided yet (未定, 調整中 …), are not unreadable."""
    if not text.strip():
        return False
    if _read(text, fiscal_year) is not None:
        return False
    return not _UNDECIDED_RE.search(unicodedata.normalize("NFKC", text))


def outside_fiscal_year(planned: PlannedDate, fiscal_year: int) -> bool:
    """True when ``planned`` is a clear date (day, 上旬/中旬/下旬 or month precision) with some
    part outside ``fiscal_year`` (April to March)."""
    if planned.precision not in CLEAR_PRECISIONS or planned.start is None or planned.end is None:
        return False
    start, end = fiscal_year_bounds(fiscal_year)
    return planned.start < start or planned.end > end


def _read(text: str, fiscal_year: int) -> PlannedDate | None:
    try:
        return _parse(text, fiscal_year)
    except Exception:
        # Whatever goes wrong, the person's text must survive and the record must still save.
        return None


def _undecided(text: str, fiscal_year: int) -> PlannedDate:
    try:
        start, end = fiscal_year_bounds(fiscal_year)
    except Exception:
        return PlannedDate(text, None, None, "undecided", True)
    return PlannedDate(text, start, end, "undecided", True)


def _parse(text: str, fiscal_year: int) -> PlannedDate | None:
    """``text`` read as a planned date, or None where nothing in it reads as one."""
    normalized = unicodedata.normalize("NFKC", text)
    tentative = bool(_TENTATIVE_RE.search(normalized))
    try:
        tokens = _tokenize(normalized)
        items, whole_fy = _resolve(tokens, normalized, fiscal_year)
    except (_Unreadable, ValueError, OverflowError):
        return None
    if not items:
        if whole_fy is None:
            return None
        start, end = fiscal_year_bounds(whole_fy)
        return PlannedDate(text, start, end, "year", tentative)
    start = min(item.start for item in items)
    end = max(item.end for item in items)
    precision = max((item.precision for item in items), key=PRECISIONS.index)
    return PlannedDate(text, start, end, precision, tentative)


def _tokenize(s: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(s):
        for kind, pattern in _PATTERNS:
            match = pattern.match(s, pos)
            if match and match.end() > pos:
                tokens.extend(_split_token(kind, match))
                pos = match.end()
                break
        else:
            pos += 1
    return tokens


def _split_token(kind: str, match: re.Match[str]) -> list[_Token]:
    values = {k: v for k, v in match.groupdict().items() if v is not None}
    if kind in ("month_range", "day_range", "quarter_range"):
        single = {"month_range": "month", "day_range": "day", "quarter_range": "quarter"}[kind]
        key = {"month": "m", "day": "d", "quarter": "q"}[single]
        # The two halves keep their own positions so that the separator between them is
        # classified exactly like one written between two full tokens.
        return [
            _Token(single, match.start(), match.start("sep"), {key: values["a"]}),
            _Token(single, match.end("sep"), match.end(), {key: values["b"]}),
        ]
    return [_Token(kind, match.start(), match.end(), values)]


def _year_of(values: Mapping[str, str]) -> int | None:
    if "y4" in values:
        return int(values["y4"])
    if "ey" in values:
        era = values.get("era") or values["initial"]
        return era_year_to_gregorian(era, 1 if values["ey"] == "元" else int(values["ey"]))
    return None


def _quarter_number(value: str) -> int:
    return _KANJI_DIGITS.get(value) or int(value)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _dekad_bounds(year: int, month: int, dekad: str) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    if dekad in ("上旬", "初旬", "初め", "はじめ", "始め"):
        return date(year, month, 1), date(year, month, 10)
    if dekad == "中旬":
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), date(year, month, last)


@dataclass
class _Point:
    """Year, month, day or dekad tokens written next to each other (令和6年7月, 6月上旬)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    dekad: str | None = None

    def accepts(self, token: _Token, gap: str) -> bool:
        if gap.strip():
            return False
        if token.kind == "month":
            return self.month is None and self.day is None and self.dekad is None
        if token.kind in ("day", "dekad"):
            return self.month is not None and self.day is None and self.dekad is None
        return False

    def add(self, token: _Token) -> None:
        if token.kind in ("year", "ym", "ymd"):
            self.year = _year_of(token.values)
        if "m" in token.values:
            self.month = int(token.values["m"])
        if "d" in token.values:
            self.day = int(token.values["d"])
        if token.kind == "dekad":
            self.dekad = token.values.get("dekad") or "上旬"
        self.end = token.end


_POINT_KINDS = ("year", "ym", "ymd", "md", "month", "day", "dekad")


def _resolve(tokens: list[_Token], s: str, fiscal_year: int) -> tuple[list[_Item], int | None]:
    active_fy = fiscal_year
    whole_fy: int | None = None
    items: list[_Item] = []
    point: _Point | None = None
    previous: _Item | None = None

    def flush() -> None:
        nonlocal point, previous
        if point is not None:
            item = _resolve_point(point, previous, active_fy)
            items.append(item)
            previous = item
            point = None

    last_end = 0
    for token in tokens:
        gap = s[last_end : token.start]
        last_end = token.end
        if token.kind == "dekad":
            token.values["dekad"] = s[token.start : token.end]
        if point is not None and point.accepts(token, gap):
            point.add(token)
            continue
        flush()
        if token.kind in _POINT_KINDS:
            point = _Point(token.start, token.end)
            point.add(token)
        elif token.kind == "whole":
            whole_fy = active_fy if whole_fy is None else whole_fy
        elif token.kind == "fy":
            active_fy = _year_of(token.values) or active_fy
            if "part" in token.values:
                items.append(_fy_part_item(token, active_fy))
            else:
                whole_fy = active_fy
        elif token.kind == "fy_part":
            items.append(_fy_part_item(token, active_fy))
        elif token.kind == "quarter":
            q = _quarter_number(token.values.get("q") or token.values["q2"])
            q_start, q_end = quarter_bounds(active_fy, q)
            items.append(_Item(q_start, q_end, "quarter", token.start, token.end))
        elif token.kind == "half":
            first_half = token.values["h"] in ("上半期", "上期", "前半期")
            h_start = quarter_bounds(active_fy, 1 if first_half else 3)[0]
            h_end = quarter_bounds(active_fy, 2 if first_half else 4)[1]
            items.append(_Item(h_start, h_end, "quarter", token.start, token.end))
        if token.kind not in _POINT_KINDS and items and items[-1].text_end == token.end:
            previous = items[-1]
    flush()
    if items:
        _apply_ranges(items, s, active_fy)
    return items, whole_fy


def _fy_part_item(token: _Token, fy: int) -> _Item:
    month = 3 if token.values["part"] == "末" else 4
    m_start, m_end = _month_bounds(calendar_year_for_month(fy, month), month)
    return _Item(m_start, m_end, "month", token.start, token.end)


def _resolve_point(point: _Point, previous: _Item | None, fy: int) -> _Item:
    year, month = point.year, point.month
    explicit = year is not None
    if month is None:
        if point.day is None and point.dekad is None:
            if year is None:
                raise _Unreadable
            return _Item(date(year, 1, 1), date(year, 12, 31), "year", point.start, point.end, True)
        # 6月5日、6日 / 6月上旬～中旬: the month (and year) carry over from what came before.
        if previous is None or previous.precision not in ("day", "dekad", "month"):
            raise _Unreadable
        year, month = previous.end.year, previous.end.month
        explicit = previous.explicit_year
    elif year is None:
        if previous is not None and previous.explicit_year:
            # After 2024年12月, a bare 1月 is the January that follows, not one before.
            anchor = previous.end
            year = anchor.year if month >= anchor.month else anchor.year + 1
            explicit = True
        else:
            year = calendar_year_for_month(fy, month)
    if point.day is not None:
        day = date(year, month, point.day)
        if point.month is None and previous is not None and day < previous.start:
            # 7月30日～2日: a day smaller than the one before is in the next month.
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            day = date(year, month, point.day)
        return _Item(day, day, "day", point.start, point.end, explicit)
    if point.dekad is not None:
        d_start, d_end = _dekad_bounds(year, month, point.dekad)
        return _Item(d_start, d_end, "dekad", point.start, point.end, explicit)
    m_start, m_end = _month_bounds(year, month)
    return _Item(m_start, m_end, "month", point.start, point.end, explicit)


def _apply_ranges(items: list[_Item], s: str, fy: int) -> None:
    """Join items written as ranges (A～B) in place, and open ranges (～9月, 7月以降)."""
    fy_start, fy_end = fiscal_year_bounds(fy)
    single = len(items) == 1
    index = 0
    while index < len(items) - 1:
        first, second = items[index], items[index + 1]
        if _RANGE_GAP_RE.match(s[first.text_end : second.text_start]):
            if second.start < first.start or second.end < first.end:
                raise _Unreadable
            items[index] = _Item(
                first.start,
                second.end,
                max(first.precision, second.precision, key=PRECISIONS.index),
                first.text_start,
                second.text_end,
                second.explicit_year,
            )
            del items[index + 1]
        else:
            index += 1
    head, tail = s[: items[0].text_start], s[items[-1].text_end :]
    if _OPEN_START_RE.search(head) or (single and _UNTIL_RE.match(tail)):
        if items[0].start > fy_start:
            items[0] = _replace_start(items[0], fy_start)
    if _OPEN_END_RE.match(tail) and items[-1].end < fy_end:
        last = items[-1]
        items[-1] = _Item(last.start, fy_end, last.precision, last.text_start, last.text_end)


def _replace_start(item: _Item, start: date) -> _Item:
    return _Item(start, item.end, item.precision, item.text_start, item.text_end, item.explicit_year)
