"""``history`` (SYNC_FORMAT §6): every fiscal year with records, targets or a closed tally, each KPI
official where the year is closed for it, live otherwise; worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import code, transfer
from jcim_desktop.domain.kpi import KPI_CODES
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import closing, events, matchings, records, targets
from jcim_desktop.services.history import history
from jcim_desktop.services.tally import live_tally, tally

D = dt.date
PUBLISHED_FY2023 = {"supported_municipalities": 252, "forums_held": 33, "matching_total": 184}


def held(ctx, title, day, lg=("福山市",), *, event_type="forum", forum=True, status="held"):
    fy = day.year if day.month >= 4 else day.year - 1
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("通年", fy),
        "status": status, "held_from": day.isoformat() if status == "held" else None,
        "held_to": day.isoformat() if status == "held" else None,
        "lg_codes": [code(n) for n in lg], "counts_as_forum": forum,
    })


def need(ctx, name, received):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": received.isoformat(), "status": "open",
    })


def two_years(forum):
    """中国フォーラム: FY2022 (a forum in 福山市, a need of 呉市 paired with a seed: considered, established) and FY2024
    (two forums, one in 広島市, the pairing implemented); FY2023 has only a planned event and a
    deleted forum, which do not count."""
    held(forum, "令和4年度 中国フォーラム", D(2022, 7, 1))
    n = need(forum, "呉市", D(2022, 9, 1))
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI",
                                           "summary": "損傷を自動判定", "facility_types": ["bridge"]})
    m = matchings.create_matching(forum, n.id, seed.id, considered_on=D(2022, 10, 1))
    matchings.advance_stage(forum, m.id, "established", D(2022, 12, 1))
    matchings.advance_stage(forum, m.id, "implemented", D(2024, 6, 1))
    held(forum, "令和6年度 中国フォーラム", D(2024, 5, 1))
    held(forum, "令和6年度 広島セミナー", D(2025, 3, 31), ("広島市",))
    held(forum, "令和5年度 予定の勉強会", D(2023, 8, 1), status="planned", event_type="workshop", forum=False)
    gone = held(forum, "令和5年度 削除したフォーラム", D(2023, 9, 1))
    records.delete(forum, "events", gone.id)
    return m


def test_years_with_records_only_and_live_figures(forum):
    two_years(forum)
    result = history(forum)
    assert list(result["years"]) == ["2022", "2024"]
    fy2022, fy2024 = result["years"]["2022"], result["years"]["2024"]
    assert set(fy2022) == set(KPI_CODES)
    assert fy2022["forums_held"] == {"total": 1, "target": None, "closed": False}
    # 福山市 (the forum), 呉市 (the need and its pairing).
    assert fy2022["supported_municipalities"]["total"] == 2
    assert fy2022["matching_total"]["total"] == 2  # considered, established
    assert fy2024["forums_held"]["total"] == 2
    assert fy2024["matching_total"]["total"] == 1  # implemented
    # 福山市, 広島市, and 呉市 through the pairing's stage that year.
    assert fy2024["supported_municipalities"]["total"] == 3
    assert fy2024["admin_member_rate"] == {"total": 0.0, "target": None, "closed": False}


def test_a_year_crossed_by_a_pairing_only_when_it_has_a_stage_in_it(forum):
    # The FY2022 → FY2024 pairing spans FY2023 without a stage in it: FY2023 is not listed.
    m = two_years(forum)
    assert "2023" not in history(forum)["years"]
    records.update(forum, "matchings", m.id, {"stages": [
        {"stage": "considered", "on": "2022-10-01"}, {"stage": "established", "on": "2023-11-01"},
        {"stage": "implemented", "on": "2024-06-01"},
    ]})
    fy2023 = history(forum)["years"]["2023"]
    assert fy2023["matching_established"]["total"] == 1
    assert fy2023["supported_municipalities"]["total"] == 1  # 呉市, through the pairing


def test_published_year_is_official_for_the_kpis_it_names(make_ctx):
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    two_years(forum)
    transfer(forum, secretariat)
    closing.record_published(secretariat, 2023, PUBLISHED_FY2023)
    targets.set_target(secretariat, 2023, "matching_total", 150)
    years = history(secretariat)["years"]
    assert list(years) == ["2022", "2023", "2024"]
    fy2023 = years["2023"]
    assert fy2023["matching_total"] == {"total": 184, "target": 150, "closed": True}
    assert fy2023["supported_municipalities"] == {"total": 252, "target": None, "closed": True}
    assert fy2023["forums_held"] == {"total": 33, "target": None, "closed": True}
    # KPIs the published report does not name stay live (nothing counts in FY2023 here).
    assert fy2023["workshops"] == {"total": 0, "target": None, "closed": False}
    assert fy2023["matching_established"] == {"total": 0, "target": None, "closed": False}
    assert not any(figure["closed"] for figure in years["2024"].values())


def test_published_rates_are_fractions(secretariat):
    closing.record_published(secretariat, 2023, closing.published_figures({"mayors_council_rate": "62.5%"}))
    targets.set_target(secretariat, 2023, "mayors_council_rate", 0.7)
    assert history(secretariat, "mayors_council_rate") == {
        "years": {"2023": {"mayors_council_rate": {"total": 0.625, "target": 0.7, "closed": True}}}}


def test_a_year_with_targets_only_is_listed(secretariat):
    targets.set_target(secretariat, 2026, "forums_held", 50)
    assert history(secretariat, "forums_held") == {
        "years": {"2026": {"forums_held": {"total": 0, "target": 50, "closed": False}}}}


def test_an_app_closed_year_keeps_its_figures_after_a_late_record(make_ctx):
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    two_years(forum)
    transfer(forum, secretariat)
    targets.set_target(secretariat, 2024, "forums_held", 3)
    closing.close_year(secretariat, 2024)
    # A late package: one more FY2024 forum in 岡山市.
    held(forum, "令和6年度 岡山フォーラム（遅れて届いた）", D(2024, 11, 1), ("岡山市",))
    transfer(forum, secretariat)
    assert live_tally(secretariat, 2024)["kpis"]["forums_held"]["total"] == 3

    fy2024 = history(secretariat)["years"]["2024"]
    assert fy2024["forums_held"] == {"total": 2, "target": 3, "closed": True}
    assert fy2024["supported_municipalities"] == {"total": 3, "target": None, "closed": True}
    assert all(figure["closed"] for figure in fy2024.values())
    # A target changed after closing: the closed year keeps the one it was closed against, as tally does.
    targets.set_target(secretariat, 2024, "forums_held", 4)
    assert history(secretariat, "forums_held")["years"]["2024"]["forums_held"]["target"] == 3
    assert tally(secretariat, 2024)["kpis"]["forums_held"]["target"] == 3
    # The year that is not closed follows its records.
    assert history(secretariat)["years"]["2022"]["forums_held"] == {"total": 1, "target": None, "closed": False}

    closing.reopen_year(secretariat, 2024)
    assert history(secretariat, "forums_held")["years"]["2024"]["forums_held"] == {
        "total": 3, "target": 4, "closed": False}


def test_kpi_filter_keeps_one_kpi_per_year(secretariat):
    two_years(secretariat)
    closing.record_published(secretariat, 2023, PUBLISHED_FY2023)
    targets.set_target(secretariat, 2023, "matching_total", 150)
    assert history(secretariat, "matching_total") == {"years": {
        "2022": {"matching_total": {"total": 2, "target": None, "closed": False}},
        "2023": {"matching_total": {"total": 184, "target": 150, "closed": True}},
        "2024": {"matching_total": {"total": 1, "target": None, "closed": False}},
    }}


def test_unknown_kpi_is_named(forum):
    with pytest.raises(ValidationError) as caught:
        history(forum, "matchings_total")
    assert "kpi" in caught.value.errors
    assert "matchings_total" in caught.value.errors["kpi"]


def test_empty_database_has_no_years(forum):
    assert history(forum) == {"years": {}}


def test_every_figure_is_what_tally_reports_for_its_year(make_ctx):
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    two_years(forum)
    transfer(forum, secretariat)
    closing.record_published(secretariat, 2023, PUBLISHED_FY2023)
    targets.set_target(secretariat, 2023, "matching_total", 150)
    targets.set_target(secretariat, 2024, "supported_municipalities", 300)
    closing.close_year(secretariat, 2022)
    for fy, figures in history(secretariat)["years"].items():
        official = tally(secretariat, int(fy))
        for kpi, figure in figures.items():
            entry = official["kpis"][kpi]
            assert (figure["total"], figure["target"]) == (entry["total"], entry["target"]), (fy, kpi)
            closed_by_record = official["closed"] is not None and kpi in closing.closed_tally(secretariat, int(fy)).kpis
            assert figure["closed"] == closed_by_record, (fy, kpi)
