"""Tests of the demo data: what it loads, that it is valid and counted, and that it loads once."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from jcim_desktop.domain import matching as matching_rules
from jcim_desktop.domain.classification import reads_as_trial
from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.domain.kpi import counts_as_forum_default
from jcim_desktop.domain.orgs import NATIONAL_FORUMS, REGIONAL_FORUMS
from jcim_desktop.domain.text import normalize_company
from jcim_desktop.domain.vocab import FACILITY_TYPES
from jcim_desktop.errors import UserError
from jcim_desktop.paths import resource_path
from jcim_desktop.services import demo, events, records
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.services.tally import explain, tally
from jcim_desktop.store.models import MODELS, AuditEntry

TODAY = dt.date(2026, 11, 23)  # FY2026 (令和8年度)


def _plan() -> list[dict[str, str]]:
    with open(resource_path("r6_regional_plan.json"), encoding="utf-8") as f:
        return list(json.load(f)["events"])


def _all(ctx: AppContext, entity: str) -> list[records.Record]:
    return records.list_records(ctx, entity, records.Query(include_deleted=True))


def _activities(ctx: AppContext) -> list[records.Record]:
    """Events and trials: the plan's rows are one or the other."""
    return [*_all(ctx, "events"), *_all(ctx, "trials")]


def _snapshot(ctx: AppContext) -> dict[str, tuple[int, str | None]]:
    with ctx.reading() as session:
        out = {
            entity: (int(session.scalar(select(func.count()).select_from(model)) or 0),
                     session.scalar(select(func.max(model.hlc))))
            for entity, model in MODELS.items()
        }
        out["audit"] = (int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0), None)
    return out


@contextmanager
def _with_demo(tmp_path_factory: pytest.TempPathFactory, org: str,
               postgres: Any) -> Iterator[tuple[AppContext, dict[str, int]]]:
    """A fresh installation of ``org`` with the demo data loaded, and the summary of the load
    (with --postgres, on a database of its own on that server)."""
    url = postgres.new_database() if postgres is not None else None
    ctx = init_installation(org, tmp_path_factory.mktemp("demo") / "x", user_name="テスト", database_url=url)
    try:
        yield ctx, demo.load_demo(ctx, TODAY)
    finally:
        ctx.close()
        if url is not None:
            postgres.drop(url)


@pytest.fixture(scope="module")
def chugoku(tmp_path_factory: pytest.TempPathFactory,
            postgres: Any) -> Iterator[tuple[AppContext, dict[str, int]]]:
    with _with_demo(tmp_path_factory, "chugoku", postgres) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def secretariat(tmp_path_factory: pytest.TempPathFactory,
                postgres: Any) -> Iterator[tuple[AppContext, dict[str, int]]]:
    with _with_demo(tmp_path_factory, "secretariat", postgres) as loaded:
        yield loaded


# -- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("第12回ピッチイベント", "pitch_event"),
        ("マッチングイベント in 仙台", "matching_event"),
        ("「建設技術フォーラム2024inちゅうごく」へのブース出展", "exhibition"),
        ("EE東北'24（出展）", "exhibition"),
        ("市区町村長会議近畿ブロック事務局会議", "mayors_council_meeting"),
        ("自治体支援イベント（勉強会）", "workshop"),
        ("第6回ニーズ調査", "municipality_visit"),
        ("自治体訪問活動（福島県内）", "municipality_visit"),
        ("インフラマネジメントシンポジウム", "forum"),
        ("橋梁メンテナンスに関する講習会 主催：土木学会関西支部", "seminar"),
        ("講演会", "seminar"),
        ("名城大学 講義", "lecture"),
        ("ユニットリーダー会議", "meeting"),
        ("ミーティング", "meeting"),
        ("小学校への出前授業「橋のお医者さん」", "outreach_class"),
        ("七宗町", "other"),
    ],
)
def test_infer_event_type(title: str, expected: str) -> None:
    assert demo.infer_event_type(title) == expected


def test_series_no_and_year_shift() -> None:
    assert demo.series_no("第6回北陸インフラメンテナンスフォーラム") == 6
    assert demo.series_no("第１３回実証試験（福山市）") == 13
    assert demo.series_no("セミナー①") is None
    assert demo.shift_years("R6.10.9", 2026) == "R8.10.9"
    assert demo.shift_years("令和6年7月", 2026) == "令和8年7月"
    assert demo.shift_years("近畿本部フォーラム2024", 2026) == "近畿本部フォーラム2026"
    assert demo.shift_years("EE東北'24（出展）", 2026) == "EE東北'26（出展）"
    assert demo.shift_years("第2四半期", 2026) == "第2四半期"


def test_the_data_file_is_found_and_complete() -> None:
    path = resource_path(demo.DATA_DIR) / demo.DATA_FILE
    assert path.is_file()
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    for need in raw["needs"]:
        assert need["title"] and need["requirements"] and set(need["facility_types"]) <= set(FACILITY_TYPES)
    for seed in raw["seeds"]:
        assert seed["company"] and seed["tech_name"] and seed["domain"]
        assert set(seed["facility_types"]) <= set(FACILITY_TYPES)
    # small_set draws 12 needs and 8 seeds besides a pair of one company's two spellings.
    assert len(raw["needs"]) >= 12 and len(raw["seeds"]) >= 10
    for a, b in raw["company_pairs"]:
        first, second = raw["seeds"][a]["company"], raw["seeds"][b]["company"]
        assert first != second and normalize_company(first) == normalize_company(second)
    assert {"needs_hearing", "visit", "hands_on_advice", "consultation"} <= set(raw["support_notes"])
    assert set(raw["national_events"]) == set(NATIONAL_FORUMS)
    for org_events in raw["national_events"].values():
        for event in org_events:
            assert parse_planned(event["planned"], 2024).precision


# -- a regional forum ------------------------------------------------------------------------


def test_chugoku_loads_its_plan_entries(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, summary = chugoku
    plan = [e for e in _plan() if e["org"] == "chugoku"]
    assert len(plan) == 13
    fy2024 = [r for r in _activities(ctx) if r["planned"]["start"] and fiscal_year_of(
        dt.date.fromisoformat(r["planned"]["start"])) == 2024 and r["title"] in {e["title"] for e in plan}]
    assert Counter((r["title"], r["planned"]["text"]) for r in fy2024) == Counter(
        (e["title"], e["planned"]) for e in plan
    )
    for rec in fy2024:
        entry = next(e for e in plan if e["title"] == rec["title"])
        assert rec["planned"] == parse_planned(entry["planned"], 2024).to_dict()
        assert rec["series_no"] == demo.series_no(rec["title"])
        # The plan's 「第N回実証試験」 are trials (their 内容 kept as 結果); the rest are events.
        assert rec.entity == ("trials" if reads_as_trial(rec["title"]) else "events")
        if rec.entity == "trials":
            assert rec["result"] == f"内容: {entry['description']}"
        else:
            assert rec["description"] == entry["description"]
    assert sum(1 for r in fy2024 if r.entity == "trials") == 7
    assert {r.owner for ent in records.REFERENCES for r in _all(ctx, ent)} == {"chugoku"}
    assert summary["活動・行事"] == len(_all(ctx, "events"))
    assert summary["自治体ステータス"] == 1741
    assert 10 <= summary["自治体ニーズ"] <= 14 and 8 <= summary["シーズ（技術）"] <= 12
    assert summary["ピッチ発表"] == 3


def test_planned_texts_parse_and_held_events_fit(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    for rec in _all(ctx, "events"):
        planned = rec["planned"]
        assert planned["text"].strip()
        assert planned["start"] or planned["precision"] == "undecided", rec["title"]
        if rec["status"] == "held":
            assert rec["lg_codes"] and 1 <= len(rec["lg_codes"]) <= 4
            assert planned["start"] <= rec["held_from"] <= rec["held_to"] <= planned["end"], rec["title"]
            assert rec["held_to"] <= TODAY.isoformat()
            assert all(ctx.registry.block_of(c) == "chugoku" for c in rec["lg_codes"])
        assert rec["counts_as_forum"] == counts_as_forum_default(rec["event_type"])
    statuses_2024 = Counter(r["status"] for r in _activities(ctx) if r["planned"]["start"] < "2025-04-01")
    assert statuses_2024["held"] >= 9
    assert statuses_2024["planned"] == statuses_2024["confirmed"] == 0


def test_chugoku_tally(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    result = tally(ctx, 2024)["kpis"]
    for code in ("supported_municipalities", "forums_held", "matching_considered", "matching_established",
                 "field_trials", "implemented"):
        assert result[code]["by_org"]["chugoku"] > 0, code
        assert result[code]["regional_forums"] == result[code]["total"]
    assert result["mayors_council_rate"]["total"] == pytest.approx(0.62, abs=0.01)
    assert result["mayors_council_rate"]["numerator"] == demo.MAYORS_COUNCIL_MEMBERS
    assert result["admin_member_rate"]["numerator"] == demo.ADMIN_MEMBERS
    assert result["forums_held"]["target"] == 50
    # The plan's five-plus field trials of FY2024 count in 現場試行数, each in its local government.
    assert result["field_trials"]["by_org"]["chugoku"] >= 5
    explained = explain(ctx, 2024, "field_trials", "chugoku")["records"]
    plan_trials = {r["title"]: r["lg_code"] for r in explained if r["title"].startswith("第")}
    assert len(plan_trials) >= 5
    assert plan_trials.get("第13回実証試験（福山市）", "342076") == "342076"
    assert plan_trials.get("第14回実証試験（岡山県）", "330001") == "330001"
    assert plan_trials.get("第17回実証試験", "341002") == "341002"  # names none: 広島市, the bureau's city
    assert tally(ctx, fiscal_year_of(TODAY))["kpis"]["matching_total"]["target"] == 200


def test_secretariat_records_at_a_forum_look_received(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    simulated = str(uuid.uuid5(uuid.NAMESPACE_URL, "jcim-demo:secretariat"))
    for entity in ("municipality_status", "kpi_targets"):
        found = _all(ctx, entity)
        assert found and all(r.owner == "secretariat" and r.vv == {simulated: 1} for r in found)
        assert all(r.hlc.endswith(simulated) for r in found)
    for rec in _all(ctx, "needs"):
        assert rec.vv == {ctx.installation_id: 1}
        assert records.audit_trail(ctx, "needs", rec.id)[0]["action"] == "create"


def test_matchings_pipeline(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    matchings = _all(ctx, "matchings")
    assert 8 <= len(matchings) <= 12
    histories = [matching_rules.parse_stages(r["stages"]) for r in matchings]
    for stages in histories:
        assert matching_rules.stage_errors(stages) == []
        assert stages[-1].on <= TODAY
    codes = [[s.stage for s in h] for h in histories]
    assert ["considered"] in codes
    assert any(c[-1] == "established" for c in codes)
    assert any(c[-1] == "implemented" for c in codes)
    assert ["considered", "dropped"] in codes
    assert ["considered", "dropped", "considered"] in codes
    assert any(
        [(s.stage, s.on) for s in h] == [("considered", dt.date(2025, 3, 31)), ("established", dt.date(2025, 4, 1))]
        for h in histories
    )


def test_references_point_at_existing_records(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    ids = {entity: {r.id: r for r in _all(ctx, entity)} for entity in MODELS}
    for entity, fields in records.REFERENCES.items():
        for rec in ids[entity].values():
            for field_name, target in fields.items():
                if rec.get(field_name):
                    assert rec[field_name] in ids[target], (entity, field_name)
    presentations = list(ids["pitch_presentations"].values())
    assert sorted(p["order"] for p in presentations) == [1, 2, 3]
    pitch = ids["events"][presentations[0]["event_id"]]
    assert pitch["event_type"] == "pitch_event" and pitch["status"] == "held"
    for rec in ids["matchings"].values():
        if rec["pitch_event_id"]:
            assert rec["stages"][0]["on"] > pitch["held_from"]
    trials = [t for t in ids["trials"].values() if t["matching_id"]]  # the plan's trials have no matching
    assert 3 <= len(trials) <= 6
    assert any(t["status"] == "held" for t in trials)
    for trial in trials:
        assert trial["matching_id"] in ids["matchings"]
        assert trial["lg_code"] == ids["needs"][trial["need_id"]]["lg_code"]
    for trial in ids["trials"].values():
        assert ctx.registry.block_of(trial["lg_code"]) == "chugoku"


def test_needs_seeds_and_support(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    needs = _all(ctx, "needs")
    assert all(ctx.registry.block_of(n["lg_code"]) == "chugoku" for n in needs)
    assert all("2024-04-01" <= n["received_on"] <= TODAY.isoformat() for n in needs)
    assert {fiscal_year_of(dt.date.fromisoformat(n["received_on"])) for n in needs} >= {2024, 2025}
    assert any(n["survey"] == "第6回ニーズ調査" for n in needs)
    assert any(n["contact"] for n in needs) and any(not n["contact"] for n in needs)
    seeds = _all(ctx, "seeds")
    keys = Counter(normalize_company(s["company"]) for s in seeds)
    twice = [k for k, n in keys.items() if n >= 2]
    assert twice
    assert len({s["company"] for s in seeds if normalize_company(s["company"]) == twice[0]}) >= 2
    assert any(s["netis_no"] for s in seeds)
    support = _all(ctx, "support_activities")
    assert {"needs_hearing", "visit", "hands_on_advice", "consultation"} <= {s["kind"] for s in support}
    assert all(s["lg_code"] and not s["country"] for s in support)


def test_dashboard_has_upcoming_and_overdue(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    upcoming, overdue = events.upcoming_and_overdue(ctx, TODAY)
    assert upcoming and overdue
    current = [r for r in _activities(ctx) if r["planned"]["start"] >= "2026-04-01"]
    assert len([r for r in current if r["planned"]["text"]]) >= 13
    assert any(r["status"] == "held" for r in current)


def test_deterministic(tmp_path: Path, chugoku: tuple[AppContext, dict[str, int]], new_database_url: Any) -> None:
    ctx, summary = chugoku
    other = init_installation("chugoku", tmp_path / "x", user_name="テスト", database_url=new_database_url())
    try:
        assert demo.load_demo(other, TODAY) == summary

        def view(c: AppContext, entity: str) -> list[Any]:
            keep = ("title", "company", "received_on", "held_from", "lg_codes", "lg_code", "stages", "on")
            return sorted(json.dumps({k: r.get(k) for k in keep}, sort_keys=True) for r in _all(c, entity))

        for entity in ("events", "needs", "seeds", "matchings", "trials", "support_activities"):
            assert view(other, entity) == view(ctx, entity), entity
    finally:
        other.close()


def test_second_load_refused_and_changes_nothing(chugoku: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = chugoku
    before = _snapshot(ctx)
    with pytest.raises(UserError) as info:
        demo.load_demo(ctx, TODAY)
    assert info.value.message == "デモデータは既に読み込まれています。"
    assert _snapshot(ctx) == before


# -- the secretariat -------------------------------------------------------------------------


def test_secretariat_loads_every_planned_activity(secretariat: tuple[AppContext, dict[str, int]]) -> None:
    ctx, summary = secretariat
    plan = _plan()
    assert len(plan) == 58
    loaded = Counter(
        (r.owner, r["title"], r["planned"]["text"])
        for r in _activities(ctx)
        if r["planned"]["start"] and fiscal_year_of(dt.date.fromisoformat(r["planned"]["start"])) == 2024
    )
    for entry in plan:
        assert loaded[(entry["org"], entry["title"], entry["planned"])] >= 1, entry["title"]
    owners = {r.owner for r in _all(ctx, "needs")}
    assert owners == set(REGIONAL_FORUMS) | set(NATIONAL_FORUMS)
    assert summary["自治体ステータス"] == 1741
    assert summary["KPI目標"] == 13  # FY2024's six, this year's six, FY2023's 150 for matching_total
    assert summary["確定した集計"] == 1
    assert summary["活動・行事"] == len(_all(ctx, "events"))
    # FY2023 as the plan reports it: 目標150に対して184.
    fy2023 = tally(ctx, 2023)
    assert fy2023["closed"]["source"] == "published"
    assert fy2023["kpis"]["matching_total"]["total"] == 184 and fy2023["kpis"]["matching_total"]["target"] == 150


def test_secretariat_subtotals(secretariat: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = secretariat
    result = tally(ctx, 2024)["kpis"]
    for code in ("supported_municipalities", "forums_held", "matching_considered", "matching_established",
                 "field_trials", "implemented", "matching_total"):
        assert result[code]["national_forums"] > 0, code
        assert result[code]["regional_forums"] > 0, code
    assert result["supported_countries"]["by_org"]["overseas"] > 0
    assert result["mayors_council_rate"]["total"] == pytest.approx(0.62, abs=0.01)
    assert result["supported_municipalities"]["target"] == 300


def test_secretariat_writes_own_records_and_receives_the_forums(
    secretariat: tuple[AppContext, dict[str, int]],
) -> None:
    ctx, _ = secretariat
    for rec in _all(ctx, "events"):
        if ctx.can_write(rec.owner):
            assert rec.vv == {ctx.installation_id: 1}
        else:
            simulated = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jcim-demo:{rec.owner}"))
            assert rec.vv == {simulated: 1}
    status = _all(ctx, "municipality_status")
    assert len(status) == 1741 and all(r.vv == {ctx.installation_id: 1} for r in status)
    overseas = records.list_records(ctx, "support_activities", records.Query(owners=["overseas"]))
    assert overseas and all(r["country"] and not r["lg_code"] for r in overseas)
    for rec in _all(ctx, "matchings"):
        assert matching_rules.stage_errors(matching_rules.parse_stages(rec["stages"])) == []


def test_secretariat_second_load_refused(secretariat: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = secretariat
    before = _snapshot(ctx)
    with pytest.raises(UserError):
        demo.load_demo(ctx, TODAY)
    assert _snapshot(ctx) == before


@pytest.mark.parametrize("today", [dt.date(2024, 8, 1), dt.date(2025, 4, 1), dt.date(2027, 3, 31)])
def test_other_days_load_valid_data(tmp_path: Path, today: dt.date) -> None:
    ctx = init_installation("kinki", tmp_path / "x", user_name="テスト")
    try:
        summary = demo.load_demo(ctx, today)
        assert summary["活動・行事"] >= 16
        for rec in _all(ctx, "events"):
            if rec["status"] == "held":
                assert rec["held_to"] <= today.isoformat()
        for rec in _all(ctx, "matchings"):
            stages = matching_rules.parse_stages(rec["stages"])
            assert matching_rules.stage_errors(stages) == [] and stages[-1].on <= today
    finally:
        ctx.close()


def test_committee_gets_only_the_master(tmp_path: Path) -> None:
    ctx = init_installation("planning", tmp_path / "x", user_name="テスト")
    try:
        summary = demo.load_demo(ctx, TODAY)
        assert summary["自治体ステータス"] == 1741 and summary["活動・行事"] == 0
        with pytest.raises(UserError):
            demo.load_demo(ctx, TODAY)
    finally:
        ctx.close()
