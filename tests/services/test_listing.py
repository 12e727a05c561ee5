"""The list pages' fast path: typed rows by block, filters, SQL sorting and search (``services.listing``)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import code
from jcim_desktop.domain.dates import PlannedDate, parse_planned
from jcim_desktop.services import listing, matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.listing import Country, DateSpan, ListRow, NeedRef, SeedRef

DAY = dt.date(2024, 7, 10)


def _need(ctx: AppContext, title: str, city: str, on: dt.date = DAY, *, status: str = "open",
          facilities: tuple[str, ...] = ("bridge",)) -> str:
    return records.create(ctx, "needs", {
        "lg_code": code(city), "title": title, "facility_types": list(facilities), "requirements": "-",
        "received_on": on.isoformat(), "status": status,
    }).id


def _seed(ctx: AppContext, company: str, tech: str, registered: dt.date | None = None) -> str:
    return records.create(ctx, "seeds", {
        "company": company, "tech_name": tech, "summary": "-", "facility_types": ["bridge"],
        "registered_on": registered.isoformat() if registered else None,
    }).id


def _event(ctx: AppContext, title: str, *, planned: str = "7月頃", held: tuple[dt.date, dt.date] | None = None,
           lg: tuple[str, ...] = (), event_type: str = "seminar") -> str:
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": parse_planned(planned, 2024).to_dict(),
        "status": "held" if held else "planned",
        "held_from": held[0].isoformat() if held else None, "held_to": held[1].isoformat() if held else None,
        "lg_codes": [code(n) for n in lg],
    }).id


def _ids(ctx: AppContext, view: str, query: records.Query | None = None, key: str | None = None,
         descending: bool = False) -> list[str]:
    return listing.fetch_ids(ctx, view, query or records.Query(), key, descending)


# -- typed rows ---------------------------------------------------------------------------------


def test_a_needs_row_is_typed_values(forum):
    need = _need(forum, "橋梁点検の効率化", "福山市", facilities=("bridge", "road"))
    row = listing.fetch_block(forum, "needs", [need])[need]
    assert isinstance(row, ListRow) and row.owner == "chugoku"
    assert row.values == (2024, DAY, "広島県福山市", "橋梁点検の効率化", ("bridge", "road"), "open", "chugoku")
    assert len(row.values) == len(listing.columns("needs"))


def test_an_events_row_keeps_the_plan_the_days_and_every_municipality(forum):
    held = _event(forum, "橋梁点検セミナー", held=(DAY, DAY + dt.timedelta(days=2)), lg=("福山市", "尾道市", "三原市"))
    planned = records.create(forum, "events", {"title": "技術展示会への出展", "event_type": "seminar",
                                               "planned": PlannedDate("未定", None, None, "undecided", False).to_dict(),
                                               "status": "planned", "lg_codes": []}).id
    rows = listing.fetch_rows(forum, "events", [held, planned])
    fy, title, event_type, plan, days, status, places, owner, co_hosts = rows[held]
    assert (fy, title, event_type, status, owner, co_hosts) == (2024, "橋梁点検セミナー", "seminar", "held", "chugoku", ())
    assert isinstance(plan, PlannedDate) and plan.text == "7月頃" and plan.precision == "month"
    assert days == DateSpan(DAY, DAY + dt.timedelta(days=2))
    assert places == ("広島県福山市", "広島県尾道市", "広島県三原市")  # all of them: the window shortens
    fy, _title, _type, plan, days, *_ = rows[planned]
    assert fy is None and days is None and plan.start is None  # no date yet: the year is not known


def test_pitch_events_count_their_presentations(forum):
    pitch = _event(forum, "技術ピッチ 福山", event_type="pitch_event")
    seed = _seed(forum, "株式会社ブリッジアイ", "ドローンによる橋梁点検")
    for order in (1, 2):
        records.create(forum, "pitch_presentations", {"event_id": pitch, "seed_id": seed, "order": order})
    assert listing.fetch_rows(forum, "pitch_events", [pitch])[pitch][6] == 2


def test_a_matching_row_names_its_need_and_seed_or_says_they_are_missing(forum):
    need = _need(forum, "橋梁点検の効率化", "福山市")
    seed = _seed(forum, "株式会社ブリッジアイ", "ドローンによる橋梁点検")
    pairing = matchings.create_matching(forum, need, seed, considered_on=DAY).id
    stage, need_ref, seed_ref, last, owner = listing.fetch_rows(forum, "matchings", [pairing])[pairing]
    assert (stage, last, owner) == ("considered", DAY, "chugoku")
    assert need_ref == NeedRef("橋梁点検の効率化", "広島県福山市")
    assert seed_ref == SeedRef("株式会社ブリッジアイ", "ドローンによる橋梁点検")
    records.delete(forum, "seeds", seed)
    assert listing.fetch_rows(forum, "matchings", [pairing])[pairing][2] is None


def test_support_abroad_is_a_country_code(forum):
    home = records.create(forum, "support_activities", {"kind": "visit", "on": DAY.isoformat(),
                                                        "lg_code": code("福山市"), "note": "一行目\n二行目"}).id
    abroad = records.create(forum, "support_activities", {"kind": "visit", "on": DAY.isoformat(), "country": "VN"}).id
    rows = listing.fetch_rows(forum, "support_activities", [home, abroad])
    assert rows[home] == (DAY, "visit", "広島県福山市", "一行目\n二行目", "chugoku")  # the note as entered
    assert rows[abroad][2] == Country("VN")


def test_rows_leave_out_deleted_and_unknown_ids(forum):
    keep, gone = _need(forum, "残る", "福山市"), _need(forum, "消える", "尾道市")
    records.delete(forum, "needs", gone)
    assert set(listing.fetch_block(forum, "needs", [keep, gone, "no-such-id", keep])) == {keep}


def test_blocks_larger_than_one_statement_are_read_whole(forum, monkeypatch):
    monkeypatch.setattr(listing, "IN_CHUNK", 2)
    ids = [_need(forum, f"ニーズ {i}", "福山市") for i in range(5)]
    assert set(listing.fetch_rows(forum, "needs", ids)) == set(ids)


# -- filters, search and order ------------------------------------------------------------------


def test_filters_narrow_the_ids_and_the_count(forum):
    this_year = _need(forum, "橋梁点検の効率化", "福山市", status="open", facilities=("bridge",))
    road = _need(forum, "道路附属物の点検", "尾道市", status="matching", facilities=("road",))
    okayama = _need(forum, "トンネル覆工の変状把握", "岡山市", facilities=("tunnel", "road"))
    last_year = _need(forum, "昨年度の河川堤防", "福山市", on=dt.date(2023, 6, 1), facilities=("river",))
    cases = [
        (records.Query(), {this_year, road, okayama, last_year}),
        (records.Query(fiscal_year=2024), {this_year, road, okayama}),
        (records.Query(fiscal_year=2023), {last_year}),
        (records.Query(status="open", facility_type="road"), {okayama}),
        (records.Query(pref_code="34"), {this_year, road, last_year}),
        (records.Query(lg_code=code("尾道市")), {road}),
    ]
    for query, expected in cases:
        assert set(_ids(forum, "needs", query)) == expected, query
        assert listing.count(forum, "needs", query) == len(expected)


def test_the_events_view_and_the_pitch_events_view_part_by_type(forum):
    seminar = _event(forum, "橋梁点検セミナー")
    pitch = _event(forum, "技術ピッチ", event_type="pitch_event")
    assert set(_ids(forum, "events")) == {seminar, pitch}
    assert _ids(forum, "events", records.Query(event_types=("seminar",))) == [seminar]
    assert _ids(forum, "pitch_events") == [pitch]
    assert listing.stored_entity("pitch_events") == "events"


def test_search_reads_kana_in_any_form(forum):
    fukuyama = _need(forum, "橋梁点検の効率化", "福山市")
    _need(forum, "下水道管路の劣化診断", "岡山市")
    for text in ("ふくやま", "フクヤマ", "ﾌｸﾔﾏ", "効率"):
        assert _ids(forum, "needs", records.Query(text=text)) == [fukuyama], text


def test_a_matching_is_found_by_its_need_or_its_seed(forum):
    need = _need(forum, "橋梁点検の効率化", "福山市")
    seed = _seed(forum, "株式会社ブリッジアイ", "ドローンによる橋梁点検")
    other = _seed(forum, "合同会社トンネルラボ", "打音点検支援装置")
    first = matchings.create_matching(forum, need, seed, considered_on=DAY).id
    second = matchings.create_matching(forum, need, other, considered_on=DAY).id
    assert set(_ids(forum, "matchings", records.Query(text="ふくやま"))) == {first, second}
    assert _ids(forum, "matchings", records.Query(text="トンネル")) == [second]


def test_sorting_happens_in_sql_with_empty_values_first_and_a_total_order(forum):
    late = _seed(forum, "アクア診断", "IoT水位センサー", dt.date(2024, 9, 1))
    early = _seed(forum, "株式会社ブリッジアイ", "ドローンによる橋梁点検", dt.date(2024, 4, 1))
    undated = _seed(forum, "合同会社トンネルラボ", "打音点検支援装置")
    assert _ids(forum, "seeds", key="registered_on") == [undated, early, late]
    assert _ids(forum, "seeds", key="registered_on", descending=True) == [late, early, undated]
    # The default order (newest first) when no key, or a key SQL cannot sort by, is given.
    assert _ids(forum, "seeds") == _ids(forum, "seeds", key="facility_types") == [late, early, undated]
    # The first screen agrees with the whole list.
    assert listing.fetch_ids(forum, "seeds", records.Query(), "tech_name", False, limit=2) == \
        _ids(forum, "seeds", key="tech_name")[:2]


def test_statuses_sort_in_their_vocabulary_order(forum):
    resolved = _need(forum, "解決済み", "福山市", status="resolved")
    opened = _need(forum, "受付", "福山市", status="open")
    assert _ids(forum, "needs", key="status") == [opened, resolved]


def test_an_unknown_view_is_a_programming_error(forum):
    with pytest.raises(ValueError):
        listing.fetch_ids(forum, "nothing", records.Query())


@pytest.mark.parametrize("view", ["events", "pitch_events"])
@pytest.mark.parametrize("year", [2024, None])
def test_an_events_list_first_screen_is_read_from_the_day_index(forum, view, year):
    # At 1,000,000 records a first screen without it read and sorted every event (100–150 ms).
    from sqlalchemy import event, text
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT EVENTS.ID"):
            seen.append((statement, parameters))

    engine = forum.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        listing.fetch_ids(forum, view, records.Query(fiscal_year=year), limit=201)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    [(statement, parameters)] = seen
    with engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        else:
            # An empty table is read whole whatever its indexes: forbid that, to see whether one serves.
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            cursor.execute("EXPLAIN " + statement, parameters)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "ix_events_day" in plan, plan
