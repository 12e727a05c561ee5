"""The dashboard's figures, funnel, due events and maps, from records made through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import code, transfer
from jcim_desktop.services import events, master, matchings, records, targets
from jcim_desktop.services.dashboard import (
    EVENTS_SHOWN,
    FORUM_CARD_KPIS,
    NATIONAL_CARD_KPIS,
    RATE_CLASS_COUNT,
    _funnel,
    dashboard,
    rate_class,
    support_class,
)

D = dt.date
TODAY = D(2024, 9, 1)
CHUGOKU_PREFS = ["31", "32", "33", "34", "35"]


def event(ctx, title, *, event_type="forum", status="held", held=None, lg=(), forum=True, planned="第2四半期", owner=None):
    return records.create(ctx, "events", {
        "title": title,
        "event_type": event_type,
        "planned": events.planned_from_text(planned, 2024),
        "status": status,
        "held_from": held.isoformat() if held else None,
        "held_to": held.isoformat() if held else None,
        "lg_codes": [code(n) for n in lg],
        "counts_as_forum": forum,
    }, owner=owner)


def need(ctx, name, received):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": received.isoformat(), "status": "open",
    })


def build_chugoku(ctx):
    event(ctx, "インフラメンテナンス中国フォーラム", held=D(2024, 6, 10), lg=("福山市", "広島市", "岡山市"))
    event(ctx, "出前授業（福山市立小学校）", event_type="outreach_class", held=D(2024, 7, 3), lg=("福山市",), forum=False)
    event(ctx, "大阪での合同セミナー", event_type="seminar", held=D(2024, 7, 20), lg=("大阪市",), forum=False)
    event(ctx, "前年度のフォーラム", held=D(2024, 3, 1), lg=("鳥取市",))
    # Due: 9月下旬 starts in 20 days; 10月頃 within 60; 12月 beyond; 6月頃 is past and not marked held.
    event(ctx, "第2回マッチングイベント", event_type="matching_event", status="planned", planned="9月下旬")
    event(ctx, "現場見学会", event_type="other", status="confirmed", planned="10月頃")
    event(ctx, "冬の勉強会", event_type="workshop", status="planned", planned="12月")
    event(ctx, "ニーズ説明会", event_type="seminar", status="planned", planned="6月頃")
    event(ctx, "中止した説明会", event_type="seminar", status="cancelled", planned="7月")

    s = records.create(ctx, "seeds", {
        "company": "株式会社ジャパンインフラ", "tech_name": "ドローン点検", "summary": "狭い箇所も撮影",
        "facility_types": ["bridge"],
    })
    needs = [need(ctx, name, D(2024, 5, 1)) for name in ("尾道市", "呉市", "松江市", "下関市")]
    pairs = [matchings.create_matching(ctx, n.id, s.id, considered_on=D(2024, 5, 10)) for n in needs]
    for m in pairs[:3]:
        matchings.advance_stage(ctx, m.id, "established", D(2024, 6, 1))
    matchings.advance_stage(ctx, pairs[0].id, "implemented", D(2024, 8, 1))
    matchings.advance_stage(ctx, pairs[3].id, "dropped", D(2024, 6, 1))
    records.create(ctx, "trials", {
        "title": "尾道市での実証実験", "lg_code": code("尾道市"), "matching_id": pairs[0].id,
        "planned": events.planned_from_text("7月", 2024), "status": "held",
        "held_from": "2024-07-10", "held_to": "2024-07-10",
    })


@pytest.fixture
def world(make_ctx):
    """chugoku's year; kinki's forum; the secretariat's targets and master, shared both ways."""
    chugoku, kinki, sec = make_ctx("chugoku"), make_ctx("kinki"), make_ctx("secretariat")
    build_chugoku(chugoku)
    event(kinki, "近畿フォーラム", held=D(2024, 7, 1), lg=("京都市",))
    event(kinki, "近畿の延期中の行事", status="planned", planned="8月")
    event(sec, "全国フォーラム（予定）", status="planned", planned="10月上旬", owner="municipal_support")
    event(sec, "市区町村長会議 総会", event_type="mayors_council_meeting", status="planned", planned="7月",
          owner="mayors_council", forum=False)
    targets.set_target(sec, 2024, "supported_municipalities", 300)
    targets.set_target(sec, 2024, "forums_held", 50)
    targets.set_target(sec, 2024, "mayors_council_rate", 0.7)
    hiroshima = [m.lg_code for m in sec.registry.municipalities_of("34")]
    for lg in hiroshima[:12]:
        master.set_status(sec, lg, mayors_council=True, admin_member=True, as_of=dt.date(2024, 4, 1))
    master.set_status(sec, code("鳥取市"), admin_member=True, as_of=dt.date(2024, 4, 1))
    transfer(chugoku, sec)
    transfer(kinki, sec)
    transfer(sec, chugoku)
    return chugoku, kinki, sec, len(hiroshima)


# Classes: 0 under 10%, 1 from 10%, 2 from 30%, 3 from 50%, 4 from 70%, 5 all (100%).
@pytest.mark.parametrize(("value", "expected"), [
    (0.0, 0), (0.0999, 0), (0.1, 1), (0.2999, 1), (0.3, 2),
    (0.5, 3), (0.6999, 3), (0.7, 4), (0.9999, 4), (1.0, 5),
])
def test_rate_class_boundaries(value, expected):
    assert rate_class(value) == expected
    assert 0 <= expected < RATE_CLASS_COUNT


def test_support_class():
    # Classes: none, 1–2, 3–5, 6–9, 10 or more.
    assert [support_class(n) for n in (0, 1, 2, 3, 5, 6, 9, 10, 40)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_funnel_conversions_and_the_step_where_most_pairings_stall():
    # The plan's FY2023 figures: 98 considered, 50 established, 31 trialled, 5 implemented.
    funnel = _funnel({"considered": 98, "established": 50, "trial": 31, "implemented": 5, "dropped": 7})
    assert [round(s.conversion * 100) for s in funnel.steps[1:]] == [51, 62, 16]
    assert funnel.stall == "considered" and funnel.stall_next == "established" and funnel.stall_lost == 48
    assert funnel.dropped == 7
    # On equal losses the lower conversion wins.
    tie = _funnel({"considered": 40, "established": 30, "trial": 20, "implemented": 10})
    assert tie.stall == "trial"


def test_an_empty_funnel_stalls_nowhere():
    funnel = _funnel({})
    assert [s.count for s in funnel.steps] == [0, 0, 0, 0]
    assert [s.conversion for s in funnel.steps] == [None, None, None, None]
    assert funnel.stall is None and funnel.stall_next is None


def test_a_forum_sees_its_own_figures_with_national_targets_as_context(world):
    chugoku, *_ = world
    board = dashboard(chugoku, 2024, TODAY)
    assert [c.code for c in board.cards] == list(FORUM_CARD_KPIS)
    muni = board.card("supported_municipalities")
    # 福山, 広島, 岡山, 大阪 (events), 尾道, 呉, 松江, 下関 (needs); not 鳥取 (previous year).
    assert muni.value == 8 and not muni.is_rate
    assert muni.target == 300
    assert muni.achievement is None  # a national target is not the forum's achievement
    assert muni.national_value == 8 + 1  # kinki's 京都 arrived through the secretariat
    assert muni.national_achievement == pytest.approx(9 / 300)
    forums = board.card("forums_held")
    assert (forums.value, forums.target, forums.national_value) == (1, 50, 2)
    assert board.card("workshops").value == 1
    assert board.card("matching_total").value == 4 + 3 + 1 + 1
    assert board.card("mayors_council_activities").value == 0
    assert board.card("matching_total").target is None


def test_a_forum_funnel_counts_its_own_pairings(world):
    chugoku, *_ = world
    funnel = dashboard(chugoku, 2024, TODAY).funnel
    assert [(s.code, s.count) for s in funnel.steps] == [
        ("considered", 4), ("established", 3), ("trial", 1), ("implemented", 1)]
    assert funnel.dropped == 1
    assert [round(s.conversion * 100) for s in funnel.steps[1:]] == [75, 33, 100]
    assert funnel.stall == "established"


def test_a_forum_sees_its_upcoming_and_overdue_events(world):
    chugoku, *_ = world
    board = dashboard(chugoku, 2024, TODAY)
    assert [(e.title, e.date_text, e.days) for e in board.upcoming] == [
        ("第2回マッチングイベント", "9月下旬", 20), ("現場見学会", "10月頃", 30)]
    assert [(e.title, e.date_text, e.days) for e in board.overdue] == [("ニーズ説明会", "6月頃", 63)]
    assert board.upcoming[0].event_type == "matching_event" and board.upcoming[0].owner == "chugoku"


def test_a_forum_map_shows_its_block_with_supported_municipalities(world):
    chugoku, *_ = world
    board = dashboard(chugoku, 2024, TODAY)
    assert board.block == "chugoku"
    assert board.map_prefectures == CHUGOKU_PREFS
    # 鳥取 0 (its event was last year), 島根 松江, 岡山 岡山, 広島 福山・広島・尾道・呉, 山口 下関; 大阪 is outside.
    assert board.supported_by_prefecture == {"31": 0, "32": 1, "33": 1, "34": 4, "35": 1}
    assert board.mayors_rate_by_prefecture == {}


def test_a_national_forum_map_shows_all_japan(make_ctx):
    ctx = make_ctx("municipal_support")
    records.create(ctx, "support_activities", {"kind": "visit", "on": "2024-05-01", "lg_code": code("那覇市")})
    board = dashboard(ctx, 2024, TODAY)
    assert board.block is None
    assert len(board.map_prefectures) == 47
    assert board.supported_by_prefecture["47"] == 1


def test_the_secretariat_sees_national_totals_against_targets(world):
    _, _, sec, hiroshima_count = world
    board = dashboard(sec, 2024, TODAY)
    assert [c.code for c in board.cards] == list(NATIONAL_CARD_KPIS)
    muni = board.card("supported_municipalities")
    assert muni.value == 9 and muni.target == 300
    assert muni.achievement == pytest.approx(9 / 300)
    assert muni.distinct == 9
    forums = board.card("forums_held")
    assert forums.achievement == pytest.approx(2 / 50)
    mayors = board.card("mayors_council_rate")
    assert mayors.is_rate and mayors.value == pytest.approx(round(12 / 1741, 4))
    assert mayors.achievement == pytest.approx(mayors.value / 0.7)
    assert (mayors.numerator, mayors.denominator) == (12, 1741)
    admin = board.card("admin_member_rate")
    assert admin.value == pytest.approx(round(13 / 1741, 4)) and admin.achievement is None


def test_the_secretariat_sees_participation_by_prefecture_and_support_by_block(world):
    _, _, sec, hiroshima_count = world
    board = dashboard(sec, 2024, TODAY)
    assert len(board.mayors_rate_by_prefecture) == 47
    assert board.mayors_rate_by_prefecture["34"] == pytest.approx(round(12 / hiroshima_count, 4))
    assert board.admin_rate_by_prefecture["31"] > 0 and board.mayors_rate_by_prefecture["31"] == 0
    assert rate_class(board.mayors_rate_by_prefecture["13"]) == 0
    by_block = {b.block: b.count for b in board.supported_by_block}
    assert by_block["chugoku"] == 7
    assert by_block["kinki"] == 2  # 大阪 (supported by chugoku) and 京都
    assert by_block["hokkaido"] == 0
    assert len(board.map_prefectures) == 47
    assert sum(board.supported_by_prefecture.values()) == 9


def test_the_secretariat_sees_all_upcoming_events_and_its_own_overdue_ones(world):
    _, _, sec, _ = world
    board = dashboard(sec, 2024, TODAY)
    upcoming = {(e.title, e.owner) for e in board.upcoming}
    assert ("第2回マッチングイベント", "chugoku") in upcoming
    assert ("全国フォーラム（予定）", "municipal_support") in upcoming
    # Overdue: only what the secretariat may mark held (not the forums' own plans).
    assert [(e.title, e.owner) for e in board.overdue] == [("市区町村長会議 総会", "mayors_council")]


def test_deleted_and_other_year_records_do_not_show(world):
    chugoku, *_ = world
    late = event(chugoku, "消した予定", status="planned", planned="9月下旬")
    records.delete(chugoku, "events", late.id)
    board = dashboard(chugoku, 2025, TODAY)
    assert "消した予定" not in {e.title for e in board.upcoming}
    assert board.card("supported_municipalities").value == 0
    assert [s.count for s in board.funnel.steps] == [0, 0, 0, 0]


def test_the_event_lists_hold_the_first_few_and_count_them_all(make_ctx):
    """More due events than the lists show: the first ``EVENTS_SHOWN`` in order, and every one counted."""
    ctx = make_ctx("chugoku")
    # Upcoming (today 2024-09-01, 60 days ahead): eleven day plans from 9月3日 to 10月23日, one
    # plan of the whole month already under way, one undecided; held, cancelled and later ones not.
    for day in range(11):
        date = D(2024, 9, 3) + dt.timedelta(days=5 * day)
        event(ctx, f"予定{day:02d}", status="confirmed" if day % 2 else "planned", planned=f"{date.month}月{date.day}日")
    event(ctx, "9月の巡回", status="planned", planned="9月")
    event(ctx, "日程調整中の説明会", status="planned", planned="調整中")
    event(ctx, "実施済の勉強会", status="held", planned="9月10日", held=D(2024, 9, 10))
    event(ctx, "中止した見学会", status="cancelled", planned="9月12日")
    event(ctx, "年明けの総会", status="planned", planned="1月20日")
    # Overdue: ten plans whose day has passed unmarked (the longest overdue first).
    for day in range(10):
        date = D(2024, 4, 10) + dt.timedelta(days=7 * day)
        event(ctx, f"過ぎた予定{day:02d}", status="planned", planned=f"{date.month}月{date.day}日")
    other = make_ctx("kinki")
    event(other, "近畿の予定", status="planned", planned="9月5日")
    transfer(other, ctx)

    board = dashboard(ctx, 2024, TODAY)
    assert EVENTS_SHOWN == 8
    assert board.upcoming_total == 11 + 2  # the day plans, the month under way and the undecided one
    assert [e.title for e in board.upcoming] == [f"予定{day:02d}" for day in range(8)]
    assert [e.days for e in board.upcoming[:3]] == [2, 7, 12]
    assert board.overdue_total == 10
    assert [e.title for e in board.overdue] == [f"過ぎた予定{day:02d}" for day in range(8)]
    assert board.overdue[0].days == (TODAY - D(2024, 4, 10)).days

    # All of them when the lists may show more: soonest first, then under way, undecided last.
    everything = dashboard(ctx, 2024, TODAY, events_shown=50)
    assert [e.title for e in everything.upcoming] == [
        *(f"予定{day:02d}" for day in range(11)), "9月の巡回", "日程調整中の説明会"]
    assert everything.upcoming[-2].under_way(TODAY) and everything.upcoming[-1].undecided
    assert (everything.upcoming_total, everything.overdue_total) == (13, 10)
    assert len(everything.overdue) == 10


def test_the_secretariat_counts_everyones_upcoming_events_and_its_own_overdue_ones(world):
    _, _, sec, _ = world
    board = dashboard(sec, 2024, TODAY, events_shown=1)
    # Upcoming: chugoku's two, the national forum's; overdue: the mayors' council's only.
    assert board.upcoming_total == 3 and len(board.upcoming) == 1
    assert board.upcoming[0].title == "第2回マッチングイベント"
    assert board.overdue_total == 1 and board.overdue[0].owner == "mayors_council"


def test_the_funnel_counts_each_step_in_the_year_it_was_reached(make_ctx):
    ctx = make_ctx("chugoku")
    seed = records.create(ctx, "seeds", {"company": "株式会社ジャパンインフラ", "tech_name": "ドローン点検",
                                         "summary": "狭い箇所も撮影", "facility_types": ["bridge"]})
    pairing = matchings.create_matching(ctx, need(ctx, "尾道市", D(2024, 1, 20)).id, seed.id,
                                        considered_on=D(2024, 2, 1))  # FY2023
    matchings.advance_stage(ctx, pairing.id, "established", D(2024, 5, 1))  # FY2024
    steps = {fy: [(s.code, s.count) for s in dashboard(ctx, fy, TODAY).funnel.steps] for fy in (2023, 2024)}
    assert steps[2023] == [("considered", 1), ("established", 0), ("trial", 0), ("implemented", 0)]
    assert steps[2024] == [("considered", 0), ("established", 1), ("trial", 0), ("implemented", 0)]


def test_the_funnel_is_the_matching_page_pipeline_for_the_same_orgs(world):
    """The dashboard takes its funnel from the tally's scan; the マッチング page reads the pipeline
    on its own: for a forum and for the secretariat they must be the same figures."""
    chugoku, kinki, sec, _ = world
    for ctx, owners in ((chugoku, ["chugoku"]), (kinki, ["kinki"]), (sec, None)):
        board = dashboard(ctx, 2024, TODAY)
        counts = matchings.pipeline_counts(ctx, 2024, owners)
        assert [(s.code, s.count) for s in board.funnel.steps] == [(s.code, counts[s.code]) for s in board.funnel.steps]
        assert board.funnel.dropped == counts["dropped"]
    assert sum(s.count for s in dashboard(sec, 2024, TODAY).funnel.steps) > 0  # the secretariat has them all
