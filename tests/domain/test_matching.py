"""Tests of the matching pipeline: transitions, dates, periods and the SYNC form."""

from __future__ import annotations

from datetime import date

import pytest

from jcim_desktop.domain.matching import (
    PIPELINE,
    PIPELINE_LABELS,
    Stage,
    advance,
    allowed_next,
    current_stage,
    furthest_stage,
    parse_stages,
    stage_errors,
    stage_span,
    stages_in_period,
    to_dicts,
)


def S(stage: str, on: str, note: str | None = None) -> Stage:
    return Stage(stage, date.fromisoformat(on), note)


def test_pipeline_labels() -> None:
    assert PIPELINE == ("considered", "established", "trial", "implemented")
    assert [PIPELINE_LABELS[p] for p in PIPELINE] == ["検討", "成立", "現場試行", "社会実装"]
    assert PIPELINE_LABELS["dropped"] == "不成立"


def test_empty_is_valid_and_starts_with_considered() -> None:
    assert stage_errors([]) == []
    assert current_stage([]) is None
    assert allowed_next([]) == ["considered"]
    assert furthest_stage([]) is None
    assert stage_span([]) == (None, None)


@pytest.mark.parametrize(
    "codes",
    [
        ["considered"],
        ["considered", "established"],
        ["considered", "established", "implemented"],
        ["considered", "dropped"],
        ["considered", "established", "dropped"],
        ["considered", "dropped", "considered", "established", "implemented"],
        ["considered", "established", "dropped", "considered", "dropped", "considered"],
    ],
)
def test_allowed_sequences(codes: list[str]) -> None:
    stages = [S(code, "2024-05-01") for code in codes]
    assert stage_errors(stages) == []
    built: list[Stage] = []
    for code in codes:
        built = advance(built, code, date(2024, 5, 1))
    assert built == stages


def test_allowed_next_per_stage() -> None:
    assert allowed_next([S("considered", "2024-04-01")]) == ["established", "dropped"]
    assert allowed_next([S("considered", "2024-04-01"), S("established", "2024-05-01")]) == ["implemented", "dropped"]
    done = [S("considered", "2024-04-01"), S("established", "2024-05-01"), S("implemented", "2024-06-01")]
    assert allowed_next(done) == []
    assert allowed_next([S("considered", "2024-04-01"), S("dropped", "2024-05-01")]) == ["considered"]


def test_refused_transitions_name_the_position() -> None:
    stages = [S("considered", "2024-04-01"), S("dropped", "2024-05-01"), S("implemented", "2024-06-01")]
    assert stage_errors(stages) == ["3番目の段階「社会実装」は「不成立・中止」の後には置けません。"]
    stages = [S("considered", "2024-04-01"), S("implemented", "2024-06-01")]
    assert stage_errors(stages) == ["2番目の段階「社会実装」は「マッチング検討」の後には置けません。"]
    stages = [S("considered", "2024-04-01"), S("established", "2024-05-01"), S("implemented", "2024-06-01"),
              S("dropped", "2024-07-01")]
    assert stage_errors(stages) == ["4番目の段階: 「社会実装」の後に段階は置けません。"]


def test_first_stage_must_be_considered() -> None:
    errors = stage_errors([S("established", "2024-04-01")])
    assert errors == ["1番目の段階「マッチング成立」から始めることはできません。最初の段階は「マッチング検討」です。"]


def test_repeat_refused() -> None:
    errors = stage_errors([S("considered", "2024-04-01"), S("considered", "2024-05-01")])
    assert errors == ["2番目の段階「マッチング検討」が前の段階と同じです。"]


def test_unknown_code_in_stage_object() -> None:
    assert stage_errors([S("trial", "2024-04-01")]) == ["1番目の段階「trial」は不明な段階です。"]


def test_decreasing_dates_refused() -> None:
    stages = [S("considered", "2024-06-01"), S("established", "2024-05-01")]
    assert stage_errors(stages) == ["2番目の段階の日付 2024-05-01 が前の段階 2024-06-01 より前です。"]
    with pytest.raises(ValueError, match="2024-05-01 が前の段階「マッチング検討」の日付 2024-06-01 より前"):
        advance(stages[:1], "established", date(2024, 5, 1))


def test_same_day_is_fine() -> None:
    assert stage_errors([S("considered", "2024-06-01"), S("established", "2024-06-01")]) == []


def test_several_errors_reported() -> None:
    stages = [S("implemented", "2024-06-01"), S("implemented", "2024-05-01")]
    errors = stage_errors(stages)
    assert len(errors) == 3
    assert errors[0].startswith("1番目の段階「社会実装」から始める")
    assert errors[1] == "2番目の段階「社会実装」が前の段階と同じです。"
    assert errors[2].startswith("2番目の段階の日付 2024-05-01")


def test_advance_refusals() -> None:
    with pytest.raises(ValueError, match="最初の段階は「マッチング検討」"):
        advance([], "established", date(2024, 4, 1))
    considered = [S("considered", "2024-04-01")]
    with pytest.raises(ValueError, match="「マッチング検討」の次に「社会実装」は選べません。選べるのは「マッチング成立」「不成立・中止」です。"):
        advance(considered, "implemented", date(2024, 4, 2))
    with pytest.raises(ValueError, match="すでに「マッチング検討」の段階です。"):
        advance(considered, "considered", date(2024, 4, 2))
    done = advance(advance(considered, "established", date(2024, 5, 1)), "implemented", date(2024, 6, 1))
    with pytest.raises(ValueError, match="「社会実装」に至ったマッチングはこれ以上進められません。"):
        advance(done, "dropped", date(2024, 7, 1))
    with pytest.raises(ValueError, match="段階「trial」は選べません"):
        advance(considered, "trial", date(2024, 7, 1))


def test_advance_returns_new_list_and_cleans_note() -> None:
    original = [S("considered", "2024-04-01")]
    new = advance(original, "dropped", date(2024, 4, 10), note="  予算不足  ")
    assert original == [S("considered", "2024-04-01")]
    assert new[-1] == S("dropped", "2024-04-10", "予算不足")
    assert advance(new, "considered", date(2024, 9, 1), note="   ")[-1].note is None


def test_dropped_and_reopened() -> None:
    stages: list[Stage] = []
    stages = advance(stages, "considered", date(2024, 4, 1))
    stages = advance(stages, "established", date(2024, 5, 1))
    stages = advance(stages, "dropped", date(2024, 6, 1))
    assert current_stage(stages) == "dropped"
    assert furthest_stage(stages) == "established"
    stages = advance(stages, "considered", date(2024, 10, 1), "再開")
    assert current_stage(stages) == "considered"
    assert furthest_stage(stages) == "established"
    assert stage_errors(stages) == []
    assert stage_span(stages) == (date(2024, 4, 1), date(2024, 10, 1))


def test_furthest_stage() -> None:
    assert furthest_stage([S("considered", "2024-04-01")]) == "considered"
    assert furthest_stage([S("considered", "2024-04-01"), S("dropped", "2024-04-02")]) == "considered"
    assert furthest_stage([S("dropped", "2024-04-02")]) is None
    full = [S("considered", "2024-04-01"), S("established", "2024-05-01"), S("implemented", "2025-01-01")]
    assert furthest_stage(full) == "implemented"


def test_stages_in_period_across_fiscal_year_boundary() -> None:
    stages = [S("considered", "2025-03-31"), S("established", "2025-04-01")]
    assert stages_in_period(stages, date(2024, 4, 1), date(2025, 3, 31)) == {"considered"}
    assert stages_in_period(stages, date(2025, 4, 1), date(2026, 3, 31)) == {"established"}
    assert stages_in_period(stages, date(2025, 3, 31), date(2025, 4, 1)) == {"considered", "established"}
    assert stages_in_period(stages, date(2023, 4, 1), date(2024, 3, 31)) == set()


def test_parse_and_to_dicts_round_trip() -> None:
    raw = [
        {"stage": "considered", "on": "2024-04-01"},
        {"stage": "established", "on": "2024-05-01", "note": "協定締結"},
        {"stage": "implemented", "on": date(2025, 1, 10), "note": None},
    ]
    stages = parse_stages(raw)
    assert stages == [
        S("considered", "2024-04-01"),
        S("established", "2024-05-01", "協定締結"),
        S("implemented", "2025-01-10"),
    ]
    assert to_dicts(stages) == [
        {"stage": "considered", "on": "2024-04-01"},
        {"stage": "established", "on": "2024-05-01", "note": "協定締結"},
        {"stage": "implemented", "on": "2025-01-10"},
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("considered", "段階の一覧はリスト"),
        (["considered"], "1番目の段階の形式が正しくありません。"),
        ([{"stage": "trial", "on": "2024-04-01"}], "1番目の段階「trial」は選べません。"),
        ([{"on": "2024-04-01"}], "1番目の段階の種類がありません。"),
        ([{"stage": "considered"}], "1番目の段階の日付がありません。"),
        ([{"stage": "considered", "on": "2024/04/01"}], "1番目の段階の日付「2024/04/01」の形式が正しくありません。"),
        ([{"stage": "considered", "on": "20240401"}], "形式が正しくありません"),
        ([{"stage": "considered", "on": "2024-02-30"}], "1番目の段階の日付 2024-02-30 は存在しない日付です。"),
        ([{"stage": "considered", "on": "2024-04-01", "by": "x"}], "1番目の段階に不明な項目「by」があります。"),
        ([{"stage": "considered", "on": "2024-04-01", "note": 3}], "1番目の段階の備考は文字列"),
    ],
)
def test_parse_stages_rejects(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stages(raw)


def test_parse_stages_reports_every_problem() -> None:
    with pytest.raises(ValueError) as info:
        parse_stages([{"stage": "x", "on": "2024-04-01"}, {"stage": "considered", "on": "bad"}])
    text = str(info.value)
    assert "1番目の段階「x」" in text and "2番目の段階の日付「bad」" in text
