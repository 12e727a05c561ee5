"""A year of records built through the services gives every KPI of SYNC_FORMAT §5 right."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import code, transfer
from jcim_desktop.domain.kpi import KPI_CODES
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import events, master, matchings, records, targets
from jcim_desktop.services.tally import explain, tally

D = dt.date


def event(ctx, title, *, event_type="forum", status="held", held=None, lg=(), forum=True, planned="第2四半期", fy=2024, owner=None):
    data = {
        "title": title,
        "event_type": event_type,
        "planned": events.planned_from_text(planned, fy),
        "status": status,
        "held_from": held.isoformat() if held else None,
        "held_to": held.isoformat() if held else None,
        "lg_codes": [code(n) for n in lg],
        "counts_as_forum": forum,
    }
    return records.create(ctx, "events", data, owner=owner)


def need(ctx, name, received, owner=None):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": received.isoformat(), "status": "open",
    }, owner=owner)


def seed(ctx, company="株式会社ジャパンインフラ"):
    return records.create(ctx, "seeds", {
        "company": company, "tech_name": "ドローン点検", "summary": "狭い箇所も撮影", "facility_types": ["bridge"],
    })


def build_chugoku(ctx):
    event(ctx, "年度初日のフォーラム", held=D(2024, 4, 1), lg=("福山市", "広島市"))
    event(ctx, "年度末日の勉強会", event_type="workshop", held=D(2025, 3, 31), lg=("岡山市",), forum=False)
    event(ctx, "前年度末のフォーラム", held=D(2024, 3, 31), lg=("三原市",), fy=2023)
    event(ctx, "翌年度初日の出前授業", event_type="outreach_class", held=D(2025, 4, 1), lg=("府中市",), forum=False, fy=2025)
    event(ctx, "中止になったフォーラム", status="cancelled", lg=("竹原市",))
    event(ctx, "予定のままのセミナー", event_type="seminar", status="planned", lg=("大竹市",))
    deleted = event(ctx, "削除されたフォーラム", held=D(2024, 6, 1), lg=("北広島町",))
    records.delete(ctx, "events", deleted.id)
    event(ctx, "市区町村長会議 中国ブロック", event_type="mayors_council_meeting", held=D(2024, 10, 1), lg=("福山市",), forum=False)

    n1 = need(ctx, "福山市", D(2024, 5, 10))
    n2 = need(ctx, "尾道市", D(2024, 6, 1))
    n3 = need(ctx, "呉市", D(2023, 6, 1))
    s1 = seed(ctx)
    # Considered on the last day of FY2024, established on the first day of FY2025.
    m1 = matchings.create_matching(ctx, n1.id, s1.id, considered_on=D(2025, 3, 31))
    matchings.advance_stage(ctx, m1.id, "established", D(2025, 4, 1))
    m2 = matchings.create_matching(ctx, n2.id, s1.id, considered_on=D(2024, 5, 1))
    matchings.advance_stage(ctx, m2.id, "established", D(2024, 8, 1))
    matchings.advance_stage(ctx, m2.id, "implemented", D(2025, 2, 1))
    m3 = matchings.create_matching(ctx, n2.id, s1.id, considered_on=D(2024, 6, 1))
    records.delete(ctx, "matchings", m3.id)
    # A need of FY2023 whose pairing was established in FY2024: 呉市 is supported in FY2024.
    m4 = matchings.create_matching(ctx, n3.id, s1.id, considered_on=D(2023, 7, 1))
    matchings.advance_stage(ctx, m4.id, "established", D(2024, 7, 1))

    records.create(ctx, "trials", {
        "title": "第13回実証試験（福山市）", "lg_code": code("福山市"), "matching_id": m2.id,
        "planned": events.planned_from_text("未定 (9月)", 2024), "status": "held",
        "held_from": "2024-09-10", "held_to": "2024-09-10",
    })
    records.create(ctx, "trials", {
        "title": "第14回実証試験", "lg_code": code("庄原市"),
        "planned": events.planned_from_text("未定 (12月)", 2024), "status": "planned",
    })
    records.create(ctx, "support_activities", {"kind": "visit", "on": "2024-11-01", "lg_code": code("三次市")})


def build_kinki(ctx):
    event(ctx, "近畿本部フォーラム2024", held=D(2024, 7, 1), lg=("福山市",))
    need(ctx, "大阪市", D(2024, 9, 1))


def build_secretariat(ctx):
    records.create(ctx, "support_activities", {"kind": "hands_on_advice", "on": "2024-05-01", "lg_code": code("福山市")},
                   owner="municipal_support")
    records.create(ctx, "support_activities", {"kind": "consultation", "on": "2024-05-02", "lg_code": code("京都市")},
                   owner="municipal_support")
    for country, day in (("VN", 1), ("PH", 2), ("VN", 3)):
        records.create(ctx, "support_activities", {"kind": "other", "on": f"2024-06-0{day}", "country": country},
                       owner="overseas")
    event(ctx, "市区町村長会議 総会", event_type="mayors_council_meeting", held=D(2024, 11, 1), lg=("福山市",),
          forum=False, owner="mayors_council")
    for name in ("福山市", "尾道市", "呉市"):
        master.set_status(ctx, code(name), mayors_council=True, admin_member=name != "呉市", as_of=D(2024, 4, 1))
    # a prefecture: not counted
    master.set_status(ctx, code("広島県"), mayors_council=True, admin_member=True, as_of=D(2024, 4, 1))
    master.set_status(ctx, code("三原市"), mayors_council=True, as_of=D(2024, 4, 1))
    master.set_status(ctx, code("三原市"), mayors_council=False, as_of=D(2024, 4, 1))  # changed back: the newest counts
    targets.set_target(ctx, 2024, "supported_municipalities", 300)
    targets.set_target(ctx, 2024, "matching_total", 200)
    targets.set_target(ctx, 2024, "matching_total", 210)  # revised target replaces the first
    targets.set_target(ctx, 2024, "mayors_council_rate", 0.7)


@pytest.fixture
def national(make_ctx):
    chugoku, kinki, sec = make_ctx("chugoku"), make_ctx("kinki"), make_ctx("secretariat")
    build_chugoku(chugoku)
    build_kinki(kinki)
    build_secretariat(sec)
    transfer(chugoku, sec)
    transfer(kinki, sec)
    return sec


def test_every_kpi_code_is_present_with_null_targets_where_none_is_set(national):
    result = tally(national, 2024)
    assert result["fiscal_year"] == 2024
    assert list(result["kpis"]) == list(KPI_CODES)
    assert result["kpis"]["forums_held"]["target"] is None
    assert result["kpis"]["matching_total"]["target"] == 210


def test_supported_municipalities_per_org_subtotals_and_distinct_total(national):
    k = tally(national, 2024)["kpis"]["supported_municipalities"]
    # chugoku: 福山 (event, need and trial: once), 広島, 岡山 (03-31 event), 尾道 (need), 呉 (need of a
    # pairing established this year), 三次 (support). Not: 三原 (previous FY), 府中 (next FY),
    # 竹原 (cancelled), 大竹 (planned), 北広島 (deleted), 庄原 (trial not held).
    assert k["by_org"]["chugoku"] == 6
    assert k["by_org"]["kinki"] == 2
    assert k["by_org"]["municipal_support"] == 2
    assert k["by_org"]["mayors_council"] == 1
    assert k["by_org"]["overseas"] == 0
    assert k["regional_forums"] == 8
    assert k["national_forums"] == 2
    assert k["total"] == 11  # the committee counts in the total only
    assert k["distinct_total"] == 8  # 福山 once across four orgs; + 大阪 + 京都
    assert k["target"] == 300


def test_event_counts_respect_fiscal_year_bounds_status_and_deletion(national):
    kpis = tally(national, 2024)["kpis"]
    assert kpis["forums_held"]["by_org"]["chugoku"] == 1
    assert kpis["forums_held"]["total"] == 2 and kpis["forums_held"]["regional_forums"] == 2
    assert kpis["workshops"]["total"] == 1  # the 2025-03-31 workshop; the 2025-04-01 class is next year
    assert kpis["mayors_council_activities"]["by_org"] == {**{o: 0 for o in kpis["forums_held"]["by_org"]},
                                                           "chugoku": 1, "mayors_council": 1}
    assert kpis["mayors_council_activities"]["regional_forums"] == 1
    assert kpis["mayors_council_activities"]["national_forums"] == 0
    assert kpis["mayors_council_activities"]["total"] == 2
    assert kpis["supported_countries"]["by_org"]["overseas"] == 2
    assert kpis["supported_countries"]["national_forums"] == 2


def test_matching_stages_count_in_the_year_of_each_stage(national):
    fy24 = tally(national, 2024)["kpis"]
    fy25 = tally(national, 2025)["kpis"]
    assert fy24["matching_considered"]["by_org"]["chugoku"] == 2  # m1 (03-31) and m2; m3 deleted
    assert fy24["matching_established"]["by_org"]["chugoku"] == 2  # m2 and m4
    assert fy24["implemented"]["by_org"]["chugoku"] == 1
    assert fy24["field_trials"]["by_org"]["chugoku"] == 1
    assert fy24["matching_total"]["by_org"]["chugoku"] == 6
    assert fy24["matching_total"]["total"] == 6 and fy24["matching_total"]["regional_forums"] == 6
    assert fy25["matching_established"]["total"] == 1  # m1, established 2025-04-01
    assert fy25["matching_considered"]["total"] == 0
    assert fy25["workshops"]["total"] == 1


def test_participation_rates_count_municipalities_only_over_1741(national):
    kpis = tally(national, 2024)["kpis"]
    assert kpis["mayors_council_rate"] == {"total": round(3 / 1741, 4), "numerator": 3, "denominator": 1741,
                                           "target": 0.7}
    assert kpis["admin_member_rate"]["numerator"] == 2
    assert kpis["admin_member_rate"]["target"] is None


def test_a_forum_tallies_what_it_holds(make_ctx):
    chugoku = make_ctx("chugoku")
    build_chugoku(chugoku)
    kpis = tally(chugoku, 2024)["kpis"]
    assert kpis["supported_municipalities"]["total"] == 6
    assert kpis["supported_municipalities"]["distinct_total"] == 6
    assert kpis["mayors_council_rate"]["numerator"] == 0


# -- tally --explain: the records behind one figure (SYNC_FORMAT §6) -------------------------


def test_explain_lists_each_local_government_once_per_org_with_a_record_that_reached_it(national):
    explained = explain(national, 2024, "supported_municipalities", "chugoku")
    assert explained["value"] == 6 and explained["org"] == "chugoku" and explained["fiscal_year"] == 2024
    reached = {r["lg_code"]: (r["entity"], r["title"]) for r in explained["records"]}
    assert len(explained["records"]) == len(reached) == 6
    assert reached == {
        code("福山市"): ("events", "年度初日のフォーラム"),  # also its need and trial: listed once
        code("広島市"): ("events", "年度初日のフォーラム"),
        code("岡山市"): ("events", "年度末日の勉強会"),
        code("尾道市"): ("needs", "尾道市の橋梁点検"),
        code("呉市"): ("matchings", "呉市の橋梁点検"),  # a need of FY2023, established in FY2024
        code("三次市"): ("support_activities", ""),  # a support activity has no title; this one no note
    }
    assert all(r["owner"] == "chugoku" for r in explained["records"])


def test_explain_of_matching_total_lists_every_step_that_counted(national):
    explained = explain(national, 2024, "matching_total", "chugoku")
    steps = sorted((r["entity"], r["date"]) for r in explained["records"])
    assert steps == [
        ("matchings", "2024-05-01"), ("matchings", "2024-07-01"), ("matchings", "2024-08-01"),
        ("matchings", "2025-02-01"), ("matchings", "2025-03-31"), ("trials", "2024-09-10"),
    ]
    assert explained["value"] == 6


def test_explain_over_all_orgs_and_of_a_rate(national):
    forums = explain(national, 2024, "forums_held")
    assert forums["org"] is None and forums["value"] == 2
    assert sorted(r["title"] for r in forums["records"]) == ["年度初日のフォーラム", "近畿本部フォーラム2024"]
    council = explain(national, 2024, "mayors_council_rate")
    # 福山・尾道・呉; 三原 was set back to false, 広島県 is a prefecture.
    assert sorted(r["lg_code"] for r in council["records"]) == sorted(code(n) for n in ("福山市", "尾道市", "呉市"))
    assert council["value"] == tally(national, 2024)["kpis"]["mayors_council_rate"]["total"]
    assert all(r["entity"] == "municipality_status" for r in council["records"])


def test_explain_agrees_with_the_tally_for_every_count_and_org(national):
    figures = tally(national, 2024)["kpis"]
    for kpi in KPI_CODES:
        if "by_org" not in figures[kpi]:
            continue
        for org in (None, *figures[kpi]["by_org"]):
            explained = explain(national, 2024, kpi, org)
            expected = figures[kpi]["total"] if org is None else figures[kpi]["by_org"][org]
            assert explained["value"] == expected == len(explained["records"]), (kpi, org)
            assert all(set(r) == {"entity", "id", "owner", "title", "date", "lg_code"} for r in explained["records"])


def test_explain_refuses_an_unknown_kpi_and_an_org_for_a_national_rate(national):
    with pytest.raises(ValidationError):
        explain(national, 2024, "happiness")
    with pytest.raises(ValidationError):
        explain(national, 2024, "admin_member_rate", "chugoku")
