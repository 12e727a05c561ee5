"""Migration 0013: each pairing's stage days, compact, from which the year's matching funnel is
counted by index; a database upgraded from 0012 counts exactly what it counted before."""

from __future__ import annotations

from datetime import date as D

from alembic import command
from sqlalchemy import inspect, text

from helpers import code, staged_pairing
from jcim_desktop.services import events, matchings, records
from jcim_desktop.store.database import alembic_config, upgrade


def test_an_upgraded_database_counts_the_funnel_as_before_from_the_backfilled_stage_days(forum):
    spanning = staged_pairing(forum, "年度をまたぐ", [("considered", D(2023, 6, 1)), ("established", D(2024, 6, 1)),
                                         ("implemented", D(2025, 5, 1))])
    staged_pairing(forum, "年度内", [("considered", D(2024, 5, 1)), ("dropped", D(2024, 9, 1)), ("considered", D(2024, 10, 1))])
    staged_pairing(forum, "前年度", [("considered", D(2022, 5, 1))])
    held = staged_pairing(forum, "実証", [("considered", D(2024, 4, 1)), ("established", D(2024, 5, 1))])
    records.create(forum, "trials", {"title": "実証実験", "lg_code": code("福山市"), "matching_id": held,
                                     "planned": events.planned_from_text("9月", 2024), "status": "held",
                                     "held_from": "2024-09-10"})
    before = {fy: matchings.pipeline_counts(forum, fy) for fy in (2023, 2024, 2025)}
    assert before[2024]["considered"] == 2 and before[2024]["implemented"] == 0 and before[2024]["trial"] == 1
    engine = forum.db.engine
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0012")
    assert "stage_days" not in {c["name"] for c in inspect(engine).get_columns("matchings")}

    upgrade(engine)

    with engine.connect() as conn:
        days = conn.execute(text("SELECT stage_days FROM matchings WHERE id = :id"), {"id": spanning}).scalar_one()
    assert days == "considered@2023-06-01;established@2024-06-01;implemented@2025-05-01"
    assert {fy: matchings.pipeline_counts(forum, fy) for fy in (2023, 2024, 2025)} == before
    index_names = {i["name"] for i in inspect(engine).get_indexes("matchings")}
    assert "ix_matchings_stage_days" in index_names


def test_the_funnel_is_counted_from_the_indexes_alone(forum):
    # At 1,000,000 records reading every pairing's stage history took 100 ms on SQLite; 42 ms now.
    import pytest
    from sqlalchemy import event

    from jcim_desktop.store import queries

    if forum.db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics: a test table's plan says nothing of 1M (bench/scale.py)")
    staged_pairing(forum, "検討", [("considered", D(2024, 5, 1))])
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    engine = forum.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        with engine.connect() as conn:
            queries.matching_stage_counts(conn, 2024)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with engine.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        for statement, parameters in seen:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append(" ".join(str(row) for row in cursor.fetchall()))
    assert len(plans) == 2, plans
    assert "COVERING INDEX ix_matchings_stage_days" in plans[0] and "COVERING INDEX ix_trials_held" in plans[1], plans
