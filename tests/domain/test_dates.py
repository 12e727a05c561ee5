"""Planned dates (開催予定日): parsing the fuzzy text of plans, the sync shape, the live description."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jcim_desktop.domain.dates import PRECISIONS, PlannedDate, parse_planned
from jcim_desktop.paths import resource_path

FY = 2024
WHOLE_FY = (date(2024, 4, 1), date(2025, 3, 31))


def d(text: str) -> date:
    return date.fromisoformat(text)


def month(year: int, m: int, last: int) -> tuple[date, date]:
    return date(year, m, 1), date(year, m, last)


# What a person reads in each distinct 'planned' text of resources/r6_regional_plan.json (FY2024):
# (start, end, precision, tentative).
R6_EXPECTED: dict[str, tuple[date, date, str, bool]] = {
    "第2四半期": (d("2024-07-01"), d("2024-09-30"), "quarter", False),
    "第3四半期": (d("2024-10-01"), d("2024-12-31"), "quarter", False),
    "第2四半期～第4四半期": (d("2024-07-01"), d("2025-03-31"), "quarter", False),
    "調整中": (*WHOLE_FY, "undecided", True),
    "6月5日、6日": (d("2024-06-05"), d("2024-06-06"), "day", False),
    "5月23日 5月24日": (d("2024-05-23"), d("2024-05-24"), "day", False),
    "5月23日": (d("2024-05-23"), d("2024-05-23"), "day", False),
    "5月24日": (d("2024-05-24"), d("2024-05-24"), "day", False),
    "5月31日": (d("2024-05-31"), d("2024-05-31"), "day", False),
    "5月3日": (d("2024-05-03"), d("2024-05-03"), "day", False),
    "7月頃": (*month(2024, 7, 31), "month", True),
    "8月頃": (*month(2024, 8, 31), "month", True),
    "10月頃": (*month(2024, 10, 31), "month", True),
    "11月頃": (*month(2024, 11, 30), "month", True),
    "12月頃": (*month(2024, 12, 31), "month", True),
    "6月": (*month(2024, 6, 30), "month", False),
    "10月": (*month(2024, 10, 31), "month", False),
    "11月": (*month(2024, 11, 30), "month", False),
    "12月": (*month(2024, 12, 31), "month", False),
    "2月": (*month(2025, 2, 28), "month", False),
    "4月～6月": (d("2024-04-01"), d("2024-06-30"), "month", False),
    "4月～3月": (d("2024-04-01"), d("2025-03-31"), "month", False),
    "2月～3月": (d("2025-02-01"), d("2025-03-31"), "month", False),
    "7月上旬": (d("2024-07-01"), d("2024-07-10"), "dekad", False),
    "9月下旬": (d("2024-09-21"), d("2024-09-30"), "dekad", False),
    "10月下旬": (d("2024-10-21"), d("2024-10-31"), "dekad", False),
    "11月下旬": (d("2024-11-21"), d("2024-11-30"), "dekad", False),
    "6月上旬～7月中旬": (d("2024-06-01"), d("2024-07-20"), "dekad", False),
    "未定 (4月)": (*month(2024, 4, 30), "month", True),
    "未定 (5月)": (*month(2024, 5, 31), "month", True),
    "未定 (6月)": (*month(2024, 6, 30), "month", True),
    "未定 (7月)": (*month(2024, 7, 31), "month", True),
    "未定 (9月)": (*month(2024, 9, 30), "month", True),
    "未定 (10月)": (*month(2024, 10, 31), "month", True),
    "未定 (11月)": (*month(2024, 11, 30), "month", True),
    "未定 (12月)": (*month(2024, 12, 31), "month", True),
    "通年、適宜": (*WHOLE_FY, "year", False),
    "R6年度": (*WHOLE_FY, "year", False),
    "九州7県毎 2回/年": (*WHOLE_FY, "year", False),
    "R6年度 1～2回/月": (*WHOLE_FY, "year", False),
    "R6.10.9": (d("2024-10-09"), d("2024-10-09"), "day", False),
    "令和6年7月": (*month(2024, 7, 31), "month", False),
    "令和6年10月": (*month(2024, 10, 31), "month", False),
}


def as_tuple(planned: PlannedDate) -> tuple[date | None, date | None, str, bool]:
    return planned.start, planned.end, planned.precision, planned.tentative


@pytest.mark.parametrize(("text", "expected"), R6_EXPECTED.items(), ids=list(R6_EXPECTED))
def test_r6_plan_texts(text: str, expected: tuple[date, date, str, bool]) -> None:
    planned = parse_planned(text, FY)
    assert planned.text == text
    assert as_tuple(planned) == expected


def test_every_entry_of_the_r6_regional_plan_parses_as_a_person_reads_it() -> None:
    plan = json.loads(resource_path("r6_regional_plan.json").read_text(encoding="utf-8"))
    assert plan["fiscal_year"] == FY
    events = plan["events"]
    assert len(events) == 58
    for event in events:
        text = event["planned"]
        assert text in R6_EXPECTED, f"no expectation for {text!r}"
        planned = parse_planned(text, plan["fiscal_year"])
        assert planned.text == text
        assert as_tuple(planned) == R6_EXPECTED[text], text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # DESIGN.md's examples and the brief's "also handle sensibly" list (FY2024).
        ("7/1", (d("2024-07-01"), d("2024-07-01"), "day", False)),
        ("1/15", (d("2025-01-15"), d("2025-01-15"), "day", False)),
        ("7月1日～3日", (d("2024-07-01"), d("2024-07-03"), "day", False)),
        ("7月1日～7月3日", (d("2024-07-01"), d("2024-07-03"), "day", False)),
        ("7月1日(月)～3日(水)", (d("2024-07-01"), d("2024-07-03"), "day", False)),
        ("7月30日～2日", (d("2024-07-30"), d("2024-08-02"), "day", False)),
        ("6月5・6日", (d("2024-06-05"), d("2024-06-06"), "day", False)),
        ("6月5日,6日", (d("2024-06-05"), d("2024-06-06"), "day", False)),
        ("2024年7月", (*month(2024, 7, 31), "month", False)),
        ("令和7年2月", (*month(2025, 2, 28), "month", False)),
        ("R6.10.9", (d("2024-10-09"), d("2024-10-09"), "day", False)),
        ("2024-07-01", (d("2024-07-01"), d("2024-07-01"), "day", False)),
        ("2024/7/1～2024/7/3", (d("2024-07-01"), d("2024-07-03"), "day", False)),
        ("令和6年7月1日", (d("2024-07-01"), d("2024-07-01"), "day", False)),
        ("12月中", (*month(2024, 12, 31), "month", False)),
        ("12月末", (d("2024-12-21"), d("2024-12-31"), "dekad", False)),
        ("7月中旬", (d("2024-07-11"), d("2024-07-20"), "dekad", False)),
        ("2月下旬", (d("2025-02-21"), d("2025-02-28"), "dekad", False)),
        ("6月上旬～中旬", (d("2024-06-01"), d("2024-06-20"), "dekad", False)),
        ("第1四半期", (d("2024-04-01"), d("2024-06-30"), "quarter", False)),
        ("第4四半期", (d("2025-01-01"), d("2025-03-31"), "quarter", False)),
        ("第2～4四半期", (d("2024-07-01"), d("2025-03-31"), "quarter", False)),
        ("第二四半期", (d("2024-07-01"), d("2024-09-30"), "quarter", False)),
        ("R6年度第2四半期", (d("2024-07-01"), d("2024-09-30"), "quarter", False)),
        ("上半期", (d("2024-04-01"), d("2024-09-30"), "quarter", False)),
        ("上期", (d("2024-04-01"), d("2024-09-30"), "quarter", False)),
        ("下半期", (d("2024-10-01"), d("2025-03-31"), "quarter", False)),
        ("下期", (d("2024-10-01"), d("2025-03-31"), "quarter", False)),
        ("年度末", (*month(2025, 3, 31), "month", False)),
        ("7~9月", (d("2024-07-01"), d("2024-09-30"), "month", False)),
        ("7月から9月まで", (d("2024-07-01"), d("2024-09-30"), "month", False)),
        ("10月-11月", (d("2024-10-01"), d("2024-11-30"), "month", False)),
        ("10月–11月", (d("2024-10-01"), d("2024-11-30"), "month", False)),
        ("10月ー11月", (d("2024-10-01"), d("2024-11-30"), "month", False)),
        ("10月〜11月", (d("2024-10-01"), d("2024-11-30"), "month", False)),
        ("6月、7月", (d("2024-06-01"), d("2024-07-31"), "month", False)),
        ("2024年12月～1月", (d("2024-12-01"), d("2025-01-31"), "month", False)),
        ("7月以降", (d("2024-07-01"), d("2025-03-31"), "month", False)),
        ("～9月", (d("2024-04-01"), d("2024-09-30"), "month", False)),
        ("9月まで", (d("2024-04-01"), d("2024-09-30"), "month", False)),
        ("通年", (*WHOLE_FY, "year", False)),
        ("年度内", (*WHOLE_FY, "year", False)),
        ("令和6年度", (*WHOLE_FY, "year", False)),
        ("2回/年", (*WHOLE_FY, "year", False)),
        ("R5年度", (d("2023-04-01"), d("2024-03-31"), "year", False)),
        ("通年（予定）", (*WHOLE_FY, "year", True)),
        ("(案)8月", (*month(2024, 8, 31), "month", True)),
        ("（案）8月", (*month(2024, 8, 31), "month", True)),
        ("８月（予定）", (*month(2024, 8, 31), "month", True)),
        ("８月ごろ", (*month(2024, 8, 31), "month", True)),
        ("１０月２３日", (d("2024-10-23"), d("2024-10-23"), "day", False)),
        ("３月～４月", (*WHOLE_FY, "undecided", True)),
        ("3月～4月", (*WHOLE_FY, "undecided", True)),
        ("7月～6月", (*WHOLE_FY, "undecided", True)),
        ("未定", (*WHOLE_FY, "undecided", True)),
        ("検討中", (*WHOLE_FY, "undecided", True)),
        ("", (*WHOLE_FY, "undecided", True)),
        ("   ", (*WHOLE_FY, "undecided", True)),
        ("garbage", (*WHOLE_FY, "undecided", True)),
        ("13月", (*WHOLE_FY, "undecided", True)),
        ("2月30日", (*WHOLE_FY, "undecided", True)),
        ("R0年7月", (*WHOLE_FY, "undecided", True)),
        ("月末", (*WHOLE_FY, "undecided", True)),
    ],
)
def test_other_written_forms(text: str, expected: tuple[date, date, str, bool]) -> None:
    planned = parse_planned(text, FY)
    assert planned.text == text
    assert as_tuple(planned) == expected


def test_february_of_a_leap_fiscal_year() -> None:
    assert as_tuple(parse_planned("2月", 2023)) == (*month(2024, 2, 29), "month", False)


def test_months_one_to_three_belong_to_the_next_calendar_year() -> None:
    for m in (1, 2, 3):
        assert parse_planned(f"{m}月", 2024).start == date(2025, m, 1)
    for m in range(4, 13):
        assert parse_planned(f"{m}月", 2024).start == date(2024, m, 1)


def test_explicit_year_wins_over_the_fiscal_year() -> None:
    planned = parse_planned("2023年7月", 2024)
    assert (planned.start, planned.end) == month(2023, 7, 31)


def test_text_is_kept_verbatim_even_when_full_width() -> None:
    text = "（案）　７月上旬～８月中旬"
    planned = parse_planned(text, FY)
    assert planned.text == text
    assert as_tuple(planned) == (d("2024-07-01"), d("2024-08-20"), "dekad", True)


def test_an_impossible_fiscal_year_still_does_not_raise() -> None:
    planned = parse_planned("7月", 9999)
    assert planned.precision == "undecided"
    assert planned.text == "7月"


@given(st.text(), st.integers(min_value=1900, max_value=2200))
@example("", FY)
@example("6月上旬～7月中旬、R6.10.9 2回/年", FY)
@example("第9四半期～第0四半期", FY)
@example("〜〜〜", FY)
def test_parse_planned_never_raises(text: str, fiscal_year: int) -> None:
    planned = parse_planned(text, fiscal_year)
    assert planned.text == text
    assert planned.precision in PRECISIONS
    assert isinstance(planned.tentative, bool)
    assert planned.start is not None and planned.end is not None
    assert planned.start <= planned.end
    if planned.precision == "undecided":
        assert planned.tentative


_DATE_WORDS = st.sampled_from(
    ["1", "3", "7", "12", "31", "月", "日", "上旬", "中旬", "下旬", "第", "四半期", "～", "〜", "-",
     "、", " ", "R6", "令和", "年", "年度", "頃", "未定", "(", ")", "/", ".", "回", "通年", "末"]
)


@given(st.lists(_DATE_WORDS, max_size=12).map("".join), st.integers(min_value=2000, max_value=2100))
def test_parse_planned_never_raises_on_date_like_text(text: str, fiscal_year: int) -> None:
    planned = parse_planned(text, fiscal_year)
    assert planned.text == text
    assert planned.precision in PRECISIONS
    assert planned.start is not None and planned.end is not None
    assert planned.start <= planned.end


# ----- the sync shape (SYNC_FORMAT §4) -----------------------------------------------------------


def test_to_dict_matches_sync_format() -> None:
    assert parse_planned("第2四半期", FY).to_dict() == {
        "text": "第2四半期",
        "start": "2024-07-01",
        "end": "2024-09-30",
        "precision": "quarter",
        "tentative": False,
    }


def test_to_dict_with_no_dates() -> None:
    planned = PlannedDate("未定", None, None, "undecided", True)
    assert planned.to_dict() == {
        "text": "未定", "start": None, "end": None, "precision": "undecided", "tentative": True,
    }


@pytest.mark.parametrize("text", list(R6_EXPECTED))
def test_dict_round_trip(text: str) -> None:
    planned = parse_planned(text, FY)
    assert PlannedDate.from_dict(planned.to_dict()) == planned
    assert PlannedDate.from_dict(json.loads(json.dumps(planned.to_dict()))) == planned


def test_from_dict_ignores_unknown_keys_and_defaults_missing_optional_ones() -> None:
    planned = PlannedDate.from_dict({"text": "未定", "precision": "undecided", "future": 1})
    assert planned == PlannedDate("未定", None, None, "undecided", False)


@pytest.mark.parametrize(
    "data",
    [
        "第2四半期",
        ["text"],
        {},
        {"text": 1, "start": None, "end": None, "precision": "day", "tentative": False},
        {"text": "x", "start": "2024/07/01", "end": None, "precision": "day", "tentative": False},
        {"text": "x", "start": "2024-7-1", "end": None, "precision": "day", "tentative": False},
        {"text": "x", "start": "2024-02-30", "end": None, "precision": "day", "tentative": False},
        {"text": "x", "start": 20240701, "end": None, "precision": "day", "tentative": False},
        {"text": "x", "start": "2024-07-02", "end": "2024-07-01", "precision": "day",
         "tentative": False},
        {"text": "x", "start": None, "end": None, "precision": "week", "tentative": False},
        {"text": "x", "start": None, "end": None, "tentative": False},
        {"text": "x", "start": None, "end": None, "precision": "day", "tentative": "no"},
        {"text": "x", "start": None, "end": None, "precision": "day", "tentative": 0},
    ],
)
def test_from_dict_rejects_bad_shapes_in_japanese(data: Any) -> None:
    with pytest.raises(ValueError) as info:
        PlannedDate.from_dict(data)
    assert "開催予定日" in str(info.value)


# ----- what the entry field shows live -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("第2四半期", "2024-07-01〜2024-09-30 第2四半期"),
        ("第2四半期～第4四半期", "2024-07-01〜2025-03-31 第2〜第4四半期"),
        ("上期", "2024-04-01〜2024-09-30 上半期"),
        ("下期", "2024-10-01〜2025-03-31 下半期"),
        ("7月頃", "2024-07-01〜2024-07-31 7月（予定・未確定）"),
        ("4月～6月", "2024-04-01〜2024-06-30 4月〜6月"),
        ("9月下旬", "2024-09-21〜2024-09-30 9月下旬"),
        ("6月上旬～7月中旬", "2024-06-01〜2024-07-20 6月上旬〜7月中旬"),
        ("6月5日、6日", "2024-06-05〜2024-06-06"),
        ("R6.10.9", "2024-10-09"),
        ("通年、適宜", "2024-04-01〜2025-03-31 通年（令和6年度）"),
        ("調整中", "2024-04-01〜2025-03-31 未定（年度内）"),
        ("2024年", "2024-01-01〜2024-12-31 2024年"),
    ],
)
def test_describe(text: str, shown: str) -> None:
    assert parse_planned(text, FY).describe() == shown


def test_describe_without_dates() -> None:
    assert PlannedDate("?", None, None, "undecided", True).describe() == "日付未定"
