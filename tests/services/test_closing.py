"""Year close (年度確定, SYNC_FORMAT §4–§6) on hand-worked scenarios: a closed year keeps its
official figures when a late package changes the records, says which figures moved, reopens,
travels in national packages, and past years' published figures are reported as such."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from helpers import code
from jcim_desktop.domain.kpi import KPI_CODES
from jcim_desktop.errors import PermissionDenied, UserError, ValidationError
from jcim_desktop.services import closing, events, matchings, records, sync, targets
from jcim_desktop.services.kpi_table import differences, official_table
from jcim_desktop.services.tally import tally

D = dt.date


def held(ctx, title, day, lg, *, event_type="forum", forum=True):
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("第2四半期", 2023),
        "status": "held", "held_from": day.isoformat(), "held_to": day.isoformat(),
        "lg_codes": [code(n) for n in lg], "counts_as_forum": forum,
    })


def need(ctx, name, received):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": received.isoformat(), "status": "open",
    })


def chugoku_fy2023(forum):
    """中国フォーラム's FY2023: a forum in 福山市 and 広島市, a workshop in 尾道市 (not a forum),
    a need of 呉市. By hand: 支援自治体数 4 (福山, 広島, 尾道, 呉), フォーラム実施数 1, 出前授業等 1."""
    held(forum, "中国フォーラム総会", D(2023, 6, 1), ("福山市", "広島市"))
    held(forum, "勉強会（尾道）", D(2023, 9, 1), ("尾道市",), event_type="workshop", forum=False)
    need(forum, "呉市", D(2023, 5, 10))


def send(source, target, tmp_path, name, **options):
    package = sync.export_package(source, tmp_path / f"{name}.jcimsync", **options)
    [outcome] = sync.import_packages(target, [package.path])
    assert outcome.status == "accepted", outcome.reason
    return package


@pytest.fixture
def closed_world(make_ctx, tmp_path):
    """中国フォーラム's FY2023 at the secretariat, which closes the year (by 事務局 山田)."""
    forum = make_ctx("chugoku")
    secretariat = make_ctx("secretariat", user_name="事務局 山田")
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    chugoku_fy2023(forum)
    send(forum, secretariat, tmp_path, "first")
    targets.set_target(secretariat, 2023, "forums_held", 30)
    saved = closing.close_year(secretariat, 2023, "令和5年度 事業報告")
    return forum, secretariat, saved


def test_closing_fixes_the_tally_as_it_is(closed_world):
    _forum, secretariat, saved = closed_world
    result = tally(secretariat, 2023)
    assert set(result["kpis"]) == set(KPI_CODES)
    kpis = result["kpis"]
    assert kpis["supported_municipalities"]["total"] == 4
    assert kpis["supported_municipalities"]["by_org"]["chugoku"] == 4
    assert kpis["forums_held"]["total"] == 1 and kpis["forums_held"]["target"] == 30
    assert kpis["workshops"]["total"] == 1
    assert result["closed"]["by"] == "事務局 山田" and result["closed"]["source"] == "app"
    assert result["closed"]["at"] == saved.data["closed_at"]
    assert dt.datetime.fromisoformat(result["closed"]["at"]).tzinfo is not None
    assert result["live_differs"] == []
    # The record holds the whole tally (§4: complete for app) and the note; the year's tally equals it.
    row = closing.closed_tally(secretariat, 2023)
    assert row is not None and row.note == "令和5年度 事業報告" and row.kpis == kpis
    assert closing.closed_years(secretariat).keys() == {2023}
    # Other years stay open.
    assert tally(secretariat, 2024)["closed"] is None
    assert "live_differs" not in tally(secretariat, 2024)


def test_a_late_package_changes_the_live_figures_but_not_the_closed_ones(closed_world, tmp_path):
    forum, secretariat, _saved = closed_world
    # After closing, 中国 sends a forum held in February 2024 (FY2023) in 福山市 (already counted)
    # and a need of 三原市 received in FY2023: フォーラム実施数 1 → 2, 支援自治体数 4 → 5.
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    need(forum, "三原市", D(2024, 3, 1))
    send(forum, secretariat, tmp_path, "late")

    official = tally(secretariat, 2023)
    assert official["kpis"]["forums_held"]["total"] == 1
    assert official["kpis"]["supported_municipalities"]["total"] == 4
    assert official["closed"]["source"] == "app"
    assert official["live_differs"] == ["supported_municipalities", "forums_held"]

    live = tally(secretariat, 2023, live=True)
    assert live["kpis"]["forums_held"]["total"] == 2
    assert live["kpis"]["forums_held"]["by_org"]["chugoku"] == 2
    assert live["kpis"]["supported_municipalities"]["total"] == 5
    assert live["kpis"]["supported_municipalities"]["distinct_total"] == 5
    assert live["closed"] == official["closed"] and live["live_differs"] == official["live_differs"]

    # What the page's banner says, as values: closed 1 → live 2 (+1), closed 4 → live 5.
    changed = {d.kpi: (d.closed, d.live, d.change) for d in differences(official, live)}
    assert changed == {"supported_municipalities": (4, 5, 1), "forums_held": (1, 2, 1)}


def test_a_change_only_in_the_breakdown_is_a_difference_too(closed_world):
    _forum, secretariat, _saved = closed_world
    # A closed tally whose 出前授業等 was 1 for 近畿 instead of 中国: the total is the same, the
    # breakdown is not, and an app-closed year compares the breakdown too.
    row = closing.closed_tally(secretariat, 2023)
    assert row is not None
    moved = json.loads(json.dumps(row.kpis))
    moved["workshops"]["by_org"]["chugoku"] = 0
    moved["workshops"]["by_org"]["kinki"] = 1  # same total 1, another org
    records.update(secretariat, "closed_tallies", row.record_id, {"kpis": moved})
    result = tally(secretariat, 2023)
    assert result["live_differs"] == ["workshops"]
    [difference] = differences(result, tally(secretariat, 2023, live=True))
    assert difference.kpi == "workshops" and difference.breakdown_only


def test_closing_a_closed_year_is_refused(closed_world):
    _forum, secretariat, _saved = closed_world
    with pytest.raises(UserError) as refused:
        closing.close_year(secretariat, 2023)
    assert "令和5年度" in refused.value.message and "すでに確定" in refused.value.message
    assert len([r for r in records.list_records(secretariat, "closed_tallies")]) == 1


def test_reopening_tombstones_the_record_and_the_live_figures_return(closed_world, tmp_path):
    forum, secretariat, saved = closed_world
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    send(forum, secretariat, tmp_path, "late")
    assert tally(secretariat, 2023)["kpis"]["forums_held"]["total"] == 1

    closing.reopen_year(secretariat, 2023)
    stored = records.get(secretariat, "closed_tallies", saved.id, include_deleted=True)
    assert stored.deleted
    result = tally(secretariat, 2023)
    assert result["closed"] is None and result["kpis"]["forums_held"]["total"] == 2
    assert closing.closed_years(secretariat) == {}
    with pytest.raises(UserError):
        closing.reopen_year(secretariat, 2023)
    # And it can be closed again, with the figures of now.
    closing.close_year(secretariat, 2023)
    assert tally(secretariat, 2023)["kpis"]["forums_held"]["total"] == 2


def test_published_figures_of_fy2023(make_ctx):
    secretariat = make_ctx("secretariat", user_name="事務局 山田")
    targets.set_target(secretariat, 2023, "matching_total", 150)
    figures = closing.published_figures({"supported_municipalities": "252", "forums_held": "33",
                                         "matching_total": "184"})
    assert figures == {"supported_municipalities": 252, "forums_held": 33, "matching_total": 184}
    closing.record_published(secretariat, 2023, figures, "令和6年度事業計画より")

    result = tally(secretariat, 2023)
    kpis = result["kpis"]
    assert result["closed"]["source"] == "published" and result["closed"]["by"] == "事務局 山田"
    assert kpis["supported_municipalities"] == {"total": 252, "target": None}
    assert kpis["forums_held"] == {"total": 33, "target": None}
    assert kpis["matching_total"] == {"total": 184, "target": 150}
    # KPIs the report does not name are the records' (none here): complete, with breakdown.
    assert set(kpis) == set(KPI_CODES)
    assert kpis["workshops"]["total"] == 0 and "by_org" in kpis["workshops"]
    # The records hold nothing of FY2023: the three published figures differ from the live ones.
    assert result["live_differs"] == ["supported_municipalities", "forums_held", "matching_total"]
    assert tally(secretariat, 2023, live=True)["kpis"]["matching_total"]["total"] == 0

    # The official table shows 252 / 33 / 184 with no made-up subtotals (none were published).
    rows = official_table(result)
    total = {r.term: r.value for r in rows if r.section == "total" and r.kpi}
    assert total["supported_municipalities_gross"] == 252 and total["forums_held"] == 33
    assert total["matching_total"] == 184
    assert total["supported_municipalities_distinct"] is None
    regional = {r.term: r.value for r in rows if r.section == "regional_forums" and r.kpi}
    assert regional["matching_total"] is None and regional["workshops"] == 0
    achievement = next(r.achievement for r in rows if r.section == "total" and r.term == "matching_total")
    assert achievement == pytest.approx(184 / 150)

    # More published figures later keep the earlier ones; a year closed from the app refuses them.
    closing.record_published(secretariat, 2023, {"matching_considered": 98})
    kpis = tally(secretariat, 2023)["kpis"]
    assert kpis["matching_considered"]["total"] == 98 and kpis["supported_municipalities"]["total"] == 252
    closing.close_year(secretariat, 2022)
    with pytest.raises(UserError):
        closing.record_published(secretariat, 2022, {"forums_held": 40})


def test_published_figures_name_the_bad_field():
    with pytest.raises(ValidationError) as bad:
        closing.published_figures({"forums_held": "三十三", "nonsense": "1"})
    assert "フォーラム実施数" in bad.value.errors["forums_held"] and "nonsense" in bad.value.errors


def test_a_forum_may_not_close_reopen_or_record_published_figures(forum):
    chugoku_fy2023(forum)
    with pytest.raises(PermissionDenied):
        closing.close_year(forum, 2023)
    with pytest.raises(PermissionDenied):
        closing.reopen_year(forum, 2023)
    with pytest.raises(PermissionDenied):
        closing.record_published(forum, 2023, {"forums_held": 33})
    assert closing.closed_years(forum) == {}
    assert tally(forum, 2023)["closed"] is None


def test_national_packages_carry_closed_tallies_and_org_packages_do_not(closed_world, tmp_path):
    forum, secretariat, saved = closed_world
    national = sync.export_package(secretariat, tmp_path / "national.jcimsync", scope="national")
    assert national.counts.get("closed_tallies") == 1
    with zipfile.ZipFile(national.path) as zf:
        [line] = zf.read("records/closed_tallies.jsonl").decode().splitlines()
    envelope = json.loads(line)
    assert envelope["owner"] == "secretariat" and envelope["id"] == saved.id
    assert envelope["data"]["fiscal_year"] == 2023 and envelope["data"]["source"] == "app"

    # The forum receives it and sees the official figures, and says so.
    sync.add_trust(forum, secretariat.public_key, ["*"])
    [outcome] = sync.import_packages(forum, [national.path])
    assert outcome.status == "accepted", outcome.reason
    at_forum = tally(forum, 2023)
    assert at_forum["closed"] == tally(secretariat, 2023)["closed"]
    assert at_forum["kpis"] == tally(secretariat, 2023)["kpis"]
    assert at_forum["live_differs"] == []

    # A late record of the forum's own: its official figure stays, its live one moves.
    held(forum, "遅れて入力したフォーラム", D(2024, 3, 20), ("広島市",))
    at_forum = tally(forum, 2023)
    assert at_forum["kpis"]["forums_held"]["by_org"]["chugoku"] == 1
    assert at_forum["live_differs"] == ["forums_held"]
    assert tally(forum, 2023, live=True)["kpis"]["forums_held"]["by_org"]["chugoku"] == 2

    # The forum's own package carries its records only: never the secretariat's closed tallies.
    own = sync.export_package(forum, tmp_path / "own.jcimsync")
    assert "closed_tallies" not in own.counts
    with zipfile.ZipFile(own.path) as zf:
        assert "records/closed_tallies.jsonl" not in zf.namelist()

    # Reopening travels too: the next national package tombstones the forum's copy.
    closing.reopen_year(secretariat, 2023)
    again = sync.export_package(secretariat, tmp_path / "national2.jcimsync", scope="national")
    [outcome] = sync.import_packages(forum, [again.path])
    assert outcome.status == "accepted", outcome.reason
    assert tally(forum, 2023)["closed"] is None


def test_which_closed_year_a_record_counts_in(closed_world):
    _forum, secretariat, _saved = closed_world
    assert closing.counting_years("events", {"held_from": "2023-04-01"}) == {2023}
    assert closing.counting_years("events", {"held_from": "2024-03-31", "status": "planned"}) == {2023}
    assert closing.closed_year_of(secretariat, "events", {"held_from": "2024-04-01"}) is None
    assert closing.closed_year_of(secretariat, "trials", {"held_from": "2023-10-10"}) == 2023
    assert closing.closed_year_of(secretariat, "needs", {"received_on": "2023-05-10"}) == 2023
    assert closing.closed_year_of(secretariat, "support_activities", {"on": "2024-03-31"}) == 2023
    stages = [{"stage": "considered", "on": "2023-07-01"}, {"stage": "established", "on": "2024-07-01"}]
    assert closing.closed_year_of(secretariat, "matchings", {"stages": stages}) == 2023
    assert closing.closed_year_of(secretariat, "matchings", {"stages": stages[1:]}) is None
    assert closing.closed_year_of(secretariat, "seeds", {"registered_on": "2023-05-01"}) is None
    assert closing.closed_year_of(secretariat, "events", {"held_from": None}) is None
    assert closing.closed_year_of(secretariat, "events", {"held_from": "R5.6.1"}) is None  # unreadable: no year
    assert closing.closed_year_of(secretariat, "events", {"held_from": "2022-06-01"}, closed={2022}) == 2022


def test_the_matching_of_a_closed_year_is_found_from_its_stages(closed_world):
    forum, secretariat, _saved = closed_world
    n = need(secretariat, "府中市", D(2024, 5, 1))
    s = records.create(secretariat, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI",
                                              "summary": "損傷を判定", "facility_types": ["bridge"]})
    m = matchings.create_matching(secretariat, n.id, s.id, considered_on=D(2024, 2, 1))
    assert closing.closed_year_of(secretariat, "matchings", records.get(secretariat, "matchings", m.id).data) == 2023
