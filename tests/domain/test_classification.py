"""What reads as a field trial, and what a trial takes over from an event."""

from __future__ import annotations

import pytest

from jcim_desktop.domain.classification import reads_as_trial, series_no, trial_from_event


@pytest.mark.parametrize("title", [
    "第3回実証試験", "第１３回実証試験（福山市）", "実証実験", "実証実験（近畿情報WG）", "現場試行（尾道市）",
    "ドローン点検の試行", "橋梁補修材の現場試験", "実 証 試 験",
])
def test_titles_that_name_a_trial(title: str) -> None:
    assert reads_as_trial(title)


@pytest.mark.parametrize("title", [
    "フォーラム", "第6回北陸インフラメンテナンスフォーラム", "実証実験報告会（近畿情報WG）", "実証フィールド見学会",
    "現場試行の成果報告", "第12回ピッチイベント", "試験", "", None,
])
def test_titles_that_do_not(title: str | None) -> None:
    assert not reads_as_trial(title)


def test_series_numbers() -> None:
    assert series_no("第１３回実証試験（福山市）") == 13
    assert series_no("実証試験") is None


def test_a_trial_takes_the_activity_its_dates_and_its_only_local_government() -> None:
    planned = {"text": "未定 (4月)", "start": "2024-04-01", "end": "2024-04-30", "precision": "month", "tentative": True}
    event = {"title": "第13回実証試験（福山市）", "event_type": "other", "planned": planned, "status": "held",
             "held_from": "2024-04-10", "held_to": "2024-04-11", "lg_codes": ["342076"], "series_no": None,
             "description": "現場試験施工", "venue": None, "participants": None, "counts_as_forum": False}
    assert trial_from_event(event) == {
        "title": "第13回実証試験（福山市）", "series_no": 13, "planned": planned, "status": "held",
        "held_from": "2024-04-10", "held_to": "2024-04-11", "lg_code": "342076", "result": "内容: 現場試験施工",
    }
    several = {**event, "lg_codes": ["342076", "342025"], "description": None}
    assert trial_from_event(several)["lg_code"] is None
    assert trial_from_event(several, "342025")["lg_code"] == "342025"
    assert trial_from_event(several)["result"] is None
