"""The matching board's columns are counted and ranked by query (at a secretariat's scale a year
holds tens of thousands of pairings); they must hold exactly the pairings the board's rule
names: a stage within the year, or still open (検討, 成立), 現場試行 once established with a
trial linked."""

from __future__ import annotations

from datetime import date as D

import pytest

from helpers import code, staged_pairing
from jcim_desktop.domain import matching as rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.services import events, matchings, records


def _by_rule(ctx, fiscal_year: int) -> dict[str, set[str]]:
    """Every pairing read in full and placed by the board's rule, for comparison."""
    start, end = fiscal_year_bounds(fiscal_year)
    tried = {r.data.get("matching_id") for r in records.list_records(ctx, "trials", records.Query())}
    columns: dict[str, set[str]] = {code: set() for code in matchings.BOARD_COLUMNS}
    for rec in records.list_records(ctx, "matchings", records.Query()):
        stages = rules.parse_stages(rec.data["stages"])
        current = rules.current_stage(stages)
        first, _ = rules.stage_span(stages)
        if first is None or first > end:  # not begun by the year's end
            continue
        if rules.stages_in_period(stages, start, end) or current in ("considered", "established"):
            column = "trial" if current == "established" and rec.id in tried else (current or "considered")
            columns[column].add(rec.id)
    return columns


def test_board_columns_hold_exactly_the_pairings_of_the_rule(forum):
    ids = {
        "open_since_before": staged_pairing(forum, "前年度からの検討", [("considered", D(2022, 6, 1))]),
        "closed_before": staged_pairing(forum, "前年度に不成立", [("considered", D(2022, 6, 1)), ("dropped", D(2022, 9, 1))]),
        # Stages before and after the year but none within it: not on the year's board.
        "spanning_without": staged_pairing(forum, "年度をまたぐ（年度内なし）", [
            ("considered", D(2024, 3, 1)), ("established", D(2024, 3, 15)), ("implemented", D(2025, 5, 1))]),
        "spanning_with": staged_pairing(forum, "年度をまたぐ（年度内あり）", [
            ("considered", D(2024, 3, 1)), ("established", D(2024, 6, 1)), ("implemented", D(2025, 5, 1))]),
        "implemented_in": staged_pairing(forum, "年度内に社会実装", [
            ("considered", D(2024, 5, 1)), ("established", D(2024, 6, 1)), ("implemented", D(2024, 12, 1))]),
        "with_trial": staged_pairing(forum, "実証中", [("considered", D(2024, 5, 1)), ("established", D(2024, 7, 1))]),
        "established": staged_pairing(forum, "成立のみ", [("considered", D(2024, 4, 10)), ("established", D(2024, 8, 1))]),
        "later_year": staged_pairing(forum, "翌年度から", [("considered", D(2025, 6, 1))]),
        "deleted": staged_pairing(forum, "削除した", [("considered", D(2024, 6, 1))]),
    }
    records.create(forum, "trials", {
        "title": "実証実験", "lg_code": code("福山市"), "matching_id": ids["with_trial"],
        "planned": events.planned_from_text("9月", 2024), "status": "planned",
    })
    records.delete(forum, "matchings", ids["deleted"])

    board = matchings.board(forum, 2024)

    expected = _by_rule(forum, 2024)
    assert {code: {c.id for c in cards} for code, cards in board.columns.items()} == expected
    assert board.totals == {code: len(found) for code, found in expected.items()}
    assert expected["considered"] == {ids["open_since_before"]}  # not 翌年度から, nor the deleted one
    assert expected["trial"] == {ids["with_trial"]} and expected["established"] == {ids["established"]}
    assert expected["implemented"] == {ids["spanning_with"], ids["implemented_in"]}
    assert next(c for c in board.columns["trial"] if c.id == ids["with_trial"]).trials == 1


def test_a_column_reads_only_its_newest_cards_but_counts_them_all(forum):
    days = [D(2024, 5, 1), D(2024, 7, 1), D(2024, 6, 1), D(2024, 9, 1)]
    for n, day in enumerate(days):
        staged_pairing(forum, f"点検 {n}", [("considered", day)])
    board = matchings.board(forum, 2024, shown=2)
    assert [c.stage_on for c in board.columns["considered"]] == [D(2024, 9, 1), D(2024, 7, 1)]
    assert board.totals["considered"] == 4
    assert board.columns["dropped"] == [] and board.totals["dropped"] == 0


def test_a_deleted_trial_does_not_put_its_pairing_in_the_trial_column(forum):
    pairing = staged_pairing(forum, "試行を取りやめ", [("considered", D(2024, 5, 1)), ("established", D(2024, 7, 1))])
    trial = records.create(forum, "trials", {
        "title": "実証実験", "lg_code": code("福山市"), "matching_id": pairing,
        "planned": events.planned_from_text("9月", 2024), "status": "planned",
    })
    assert [c.id for c in matchings.board(forum, 2024).columns["trial"]] == [pairing]
    records.delete(forum, "trials", trial.id)
    board = matchings.board(forum, 2024)
    assert [c.id for c in board.columns["established"]] == [pairing] and board.columns["trial"] == []
    assert (board.totals["established"], board.totals["trial"]) == (1, 0)


def test_the_board_is_counted_and_ranked_from_its_index(forum):
    # At 1,000,000 records (120,000 pairings) reading each pairing's row to count the columns took
    # 73 ms of the board's 115; from the index alone the board's data take 39 ms.
    from sqlalchemy import event

    from jcim_desktop.store import queries

    if forum.db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics: a test table's plan says nothing of 1M (bench/scale.py)")
    staged_pairing(forum, "検討", [("considered", D(2024, 5, 1))])
    staged_pairing(forum, "成立", [("considered", D(2024, 5, 1)), ("established", D(2024, 7, 1))])
    staged_pairing(forum, "不成立", [("considered", D(2024, 5, 1)), ("dropped", D(2024, 7, 1))])
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM matchings" in statement and "stages" not in statement.split("FROM")[0]:
            seen.append((statement, parameters))

    engine = forum.db.engine
    start, end = fiscal_year_bounds(2024)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        with engine.connect() as conn:
            queries.matching_board(conn, start, end)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(seen) >= 5  # the count by stage, the trial count, a ranking per column
    with engine.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        for statement, parameters in seen:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "ix_matchings_board" in plan, (statement, plan)
            if "trials" in statement:
                assert "ix_trials_matching_id_deleted" in plan, (statement, plan)
