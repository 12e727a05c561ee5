"""Fiscal years (年度), fiscal quarters and Japanese eras (和暦)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcim_desktop.domain.fiscal import (
    calendar_year_for_month,
    era_of,
    era_year_to_gregorian,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_era_date,
    format_fiscal_year,
    parse_era_date,
    parse_fiscal_year,
    quarter_bounds,
)

SHOWA_FIRST_DAY = date(1926, 12, 25)


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2024, 4, 1), 2024),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
        (date(2025, 3, 31), 2024),
        (date(2024, 3, 31), 2023),
        (date(2019, 4, 30), 2019),
    ],
)
def test_fiscal_year_of(d: date, fy: int) -> None:
    assert fiscal_year_of(d) == fy


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2024) == (date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(4, 1), (5, 1), (6, 1), (7, 2), (9, 2), (10, 3), (12, 3), (1, 4), (2, 4), (3, 4)],
)
def test_fiscal_quarter_of(month: int, quarter: int) -> None:
    assert fiscal_quarter_of(date(2024, month, 15)) == quarter


@pytest.mark.parametrize(
    ("quarter", "bounds"),
    [
        (1, (date(2024, 4, 1), date(2024, 6, 30))),
        (2, (date(2024, 7, 1), date(2024, 9, 30))),
        (3, (date(2024, 10, 1), date(2024, 12, 31))),
        (4, (date(2025, 1, 1), date(2025, 3, 31))),
    ],
)
def test_quarter_bounds(quarter: int, bounds: tuple[date, date]) -> None:
    assert quarter_bounds(2024, quarter) == bounds


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_bounds_rejects_bad_quarter(quarter: int) -> None:
    with pytest.raises(ValueError, match="四半期"):
        quarter_bounds(2024, quarter)


@pytest.mark.parametrize(("month", "year"), [(4, 2024), (12, 2024), (1, 2025), (3, 2025)])
def test_calendar_year_for_month(month: int, year: int) -> None:
    assert calendar_year_for_month(2024, month) == year


@pytest.mark.parametrize("month", [0, 13])
def test_calendar_year_for_month_rejects_bad_month(month: int) -> None:
    with pytest.raises(ValueError, match="月"):
        calendar_year_for_month(2024, month)


@given(st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31)))
def test_every_day_lies_in_its_fiscal_year_and_quarter(d: date) -> None:
    fy = fiscal_year_of(d)
    start, end = fiscal_year_bounds(fy)
    assert start <= d <= end
    q_start, q_end = quarter_bounds(fy, fiscal_quarter_of(d))
    assert q_start <= d <= q_end
    assert calendar_year_for_month(fy, d.month) == d.year


@given(st.integers(min_value=1, max_value=9998))
def test_quarters_tile_the_fiscal_year(fy: int) -> None:
    quarters = [quarter_bounds(fy, q) for q in (1, 2, 3, 4)]
    assert quarters[0][0] == fiscal_year_bounds(fy)[0]
    assert quarters[-1][1] == fiscal_year_bounds(fy)[1]
    for (_, end), (next_start, _) in zip(quarters, quarters[1:], strict=False):
        assert end + timedelta(days=1) == next_start


@pytest.mark.parametrize(
    ("d", "era"),
    [
        (date(1926, 12, 25), ("昭和", 1)),
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(2024, 7, 1), ("令和", 6)),
    ],
)
def test_era_of(d: date, era: tuple[str, int]) -> None:
    assert era_of(d) == era


def test_era_of_rejects_dates_before_showa() -> None:
    with pytest.raises(ValueError, match="昭和より前"):
        era_of(date(1926, 12, 24))


@pytest.mark.parametrize(
    ("era", "year", "western"),
    [("令和", 6, 2024), ("R", 1, 2019), ("h", 31, 2019), ("Ｓ", 64, 1989), ("平成", 1, 1989)],
)
def test_era_year_to_gregorian(era: str, year: int, western: int) -> None:
    assert era_year_to_gregorian(era, year) == western


@pytest.mark.parametrize(("era", "year"), [("令和", 0), ("大正", 1), ("X", 1)])
def test_era_year_to_gregorian_rejects(era: str, year: int) -> None:
    with pytest.raises(ValueError):
        era_year_to_gregorian(era, year)


@pytest.mark.parametrize(
    ("d", "long", "short"),
    [
        (date(2024, 7, 1), "令和6年7月1日", "R6.7.1"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
    ],
)
def test_format_era_date(d: date, long: str, short: str) -> None:
    assert format_era_date(d) == long
    assert format_era_date(d, "long") == long
    assert format_era_date(d, "short") == short


def test_format_era_date_rejects_unknown_style_and_early_dates() -> None:
    with pytest.raises(ValueError):
        format_era_date(date(2024, 7, 1), "medium")
    with pytest.raises(ValueError):
        format_era_date(date(1900, 1, 1))


@pytest.mark.parametrize(
    ("fy", "long", "short"),
    [
        (2024, "令和6年度", "R6年度"),
        (2019, "令和元年度", "R元年度"),
        (2020, "令和2年度", "R2年度"),
        (2018, "平成30年度", "H30年度"),
        (1989, "平成元年度", "H元年度"),
        (1988, "昭和63年度", "S63年度"),
    ],
)
def test_format_fiscal_year(fy: int, long: str, short: str) -> None:
    assert format_fiscal_year(fy) == long
    assert format_fiscal_year(fy, "short") == short


def test_format_fiscal_year_rejects_unknown_style() -> None:
    with pytest.raises(ValueError):
        format_fiscal_year(2024, "tiny")


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("令和6年度", 2024),
        ("R6年度", 2024),
        ("R6", 2024),
        ("r6年度", 2024),
        ("Ｒ６年度", 2024),
        ("令和元年度", 2019),
        ("R元年度", 2019),
        ("H30年度", 2018),
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        ("2024年度", 2024),
        ("2024", 2024),
        ("２０２４年度", 2024),
        ("FY2024", 2024),
        ("fy 2024", 2024),
        ("  令和6年度 ", 2024),
        ("S63年度", 1988),
    ],
)
def test_parse_fiscal_year(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    "text",
    ["", "令和", "R", "令和6年", "6年度", "R0年度", "平成32年度", "昭和64年度", "大正15年度", "abc",
     "2024年度度", "24", "FY24", "令和6年度末"],
)
def test_parse_fiscal_year_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_fiscal_year(text)
    message = str(info.value)
    assert "年度" in message
    assert "例: 令和6年度、R6年度、2024" in message


def test_parse_fiscal_year_explains_an_era_that_had_ended() -> None:
    with pytest.raises(ValueError, match="平成32年度は存在しません"):
        parse_fiscal_year("平成32年度")


@given(st.integers(min_value=1927, max_value=2200), st.sampled_from(["long", "short"]))
def test_format_then_parse_fiscal_year_round_trips(fy: int, style: str) -> None:
    assert parse_fiscal_year(format_fiscal_year(fy, style)) == fy


@pytest.mark.parametrize(
    ("text", "d"),
    [
        ("令和6年7月1日", date(2024, 7, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R6.10.9", date(2024, 10, 9)),
        ("R6/10/9", date(2024, 10, 9)),
        ("r6.10.9", date(2024, 10, 9)),
        ("Ｒ６．１０．９", date(2024, 10, 9)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("2024年7月1日", date(2024, 7, 1)),
        ("2024-07-01", date(2024, 7, 1)),
        ("2024/7/1", date(2024, 7, 1)),
        ("２０２４年７月１日", date(2024, 7, 1)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("2024/2/29", date(2024, 2, 29)),
    ],
)
def test_parse_era_date(text: str, d: date) -> None:
    assert parse_era_date(text) == d


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成31年5月1日", "平成31年5月1日は存在しません。令和元年5月1日です。"),
        ("H31.5.1", "平成31年5月1日は存在しません。令和元年5月1日です。"),
        ("令和元年4月30日", "令和元年4月30日は存在しません。平成31年4月30日です。"),
        ("昭和64年1月8日", "昭和64年1月8日は存在しません。平成元年1月8日です。"),
    ],
)
def test_parse_era_date_enforces_era_boundaries(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_era_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text",
    ["", "令和6年7月", "R6.10", "R6.10/9", "2023/2/29", "2024-13-01", "R6.2.30", "R0.1.1",
     "令和六年七月一日", "7月1日", "tomorrow"],
)
def test_parse_era_date_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_era_date(text)
    assert "日付" in str(info.value)


@given(st.dates(min_value=SHOWA_FIRST_DAY, max_value=date(2200, 12, 31)))
def test_format_then_parse_era_date_round_trips(d: date) -> None:
    assert parse_era_date(format_era_date(d)) == d
    assert parse_era_date(format_era_date(d, "short")) == d
