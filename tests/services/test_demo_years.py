"""Demo data says one year per record: a title that names a year (令和8年度, 2026, EE東北'26) has a
description (or a trial's 結果) that names no other year, and its dates fall in that year."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.services import demo, records
from jcim_desktop.services.context import AppContext, init_installation

ERA_YEAR = re.compile(r"(?:令和|R)\s*(\d{1,2})(?=\s*[年.])")
WESTERN_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SHORT_YEAR = re.compile(r"'(\d\d)(?!\d)")


def years(text: str) -> set[int]:
    """The years a text names: 令和N / RN (as 2018 + N), 20XX, 'XX."""
    text = unicodedata.normalize("NFKC", text or "")
    found = {2018 + int(n) for n in ERA_YEAR.findall(text)}
    found |= {int(n) for n in WESTERN_YEAR.findall(text)}
    found |= {2000 + int(n) for n in SHORT_YEAR.findall(text)}
    return found


def test_years_reads_every_way_the_plan_writes_a_year() -> None:
    assert years("令和6年度第1回地域インフラの持続的な維持管理を考える会") == {2024}
    assert years("R6.10.9") == {2024}
    assert years("「建設技術フォーラム2024inちゅうごく」") == {2024}
    assert years("EE東北'24にて") == {2024}
    assert years("第12回ピッチイベント") == set()


def _record_days(rec: records.Record) -> list[dt.date]:
    planned = rec.data.get("planned") or {}
    days = [rec.data.get("held_from"), planned.get("start")]
    return [dt.date.fromisoformat(d) for d in days if d]


@pytest.fixture(scope="module", params=[dt.date(2026, 11, 23), dt.date(2025, 6, 2)], ids=["FY2026", "FY2025"])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           postgres: Any) -> Iterator[AppContext]:
    """The secretariat's demo (every forum's records), loaded in a year after the plan's FY2024
    (with --postgres, on a database of its own on that server)."""
    url = postgres.new_database() if postgres is not None else None
    ctx = init_installation("secretariat", tmp_path_factory.mktemp("demo-years") / "x", user_name="テスト",
                            database_url=url)
    demo.load_demo(ctx, request.param)
    try:
        yield ctx
    finally:
        ctx.close()
        if url is not None:
            postgres.drop(url)


def test_every_record_says_one_year_in_its_title_description_and_dates(loaded: AppContext) -> None:
    today_fy = max(fiscal_year_of(d) for rec in records.list_records(loaded, "events") for d in _record_days(rec))
    checked: list[str] = []
    for entity, text_field in (("events", "description"), ("trials", "result"), ("needs", "requirements")):
        for rec in records.list_records(loaded, entity):
            named = years(rec.data.get("title") or "")
            if not named:
                continue
            assert len(named) == 1, (entity, rec.data["title"])
            (year,) = named
            described = years(rec.data.get(text_field) or "")
            assert described <= {year}, (rec.data["title"], rec.data.get(text_field))
            for day in _record_days(rec):
                assert year in (day.year, fiscal_year_of(day)), (rec.data["title"], day)
            checked.append(rec.data["title"])
    # The plan's named years are there in FY2024 and, re-planned, in the current year.
    assert "近畿本部フォーラム2024" in checked and "EE東北'24（出展）" in checked
    short = f"{today_fy % 100:02d}"
    assert f"近畿本部フォーラム{today_fy}" in checked and f"EE東北'{short}（出展）" in checked


def test_the_replanned_year_moves_the_description_with_the_title(loaded: AppContext) -> None:
    events = records.list_records(loaded, "events")
    current = max(fiscal_year_of(d) for rec in events for d in _record_days(rec))
    exhibition = [e for e in events if e.data["title"] == f"EE東北'{current % 100:02d}（出展）"]
    assert exhibition, current
    assert all(e.data["description"].startswith(f"EE東北'{current % 100:02d}にて") for e in exhibition)
    study = [e for e in events if e.data["title"].startswith("第1回地域インフラの持続的な維持管理を考える会")
             and fiscal_year_of(_record_days(e)[0]) == current]
    assert [e.data["description"] for e in study] == [
        f"令和{current - 2018}年度第1回地域インフラの持続的な維持管理を考える会"]
