"""Which fiscal years have records that can count in the KPI tally (SYNC_FORMAT §5), found cheaply.

Each dated table is read by a "skip scan" on its date index: the smallest date, then the smallest
date after that date's fiscal year, and so on; within a year found, rows are read in date order
until one counts (live, of a known org, held where that matters): usually the first. So a table
costs a few indexed lookups per fiscal year present, however many records it holds. A matching's
stages are a JSON list, but its first and last stage dates are columns: each year between the
first and the last is probed through the span index, matchings ending soonest first.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.store.models import Event, KpiTarget, Matching, Need, SupportActivity, Trial


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _any(conn: Connection, query: Any, counts: Callable[[Any], bool]) -> bool:
    """Whether a row of ``query`` (read lazily, in its order) ``counts``; stops at the first."""
    result = conn.execute(query)
    try:
        return any(counts(row) for row in result)
    finally:
        result.close()


def _years_of(conn: Connection, column: Any, columns: tuple[Any, ...], counts: Callable[[Any], bool]) -> set[int]:
    """The fiscal years in which a row ``counts`` (given ``columns``), by ``column``'s date.

    The date index alone answers the skip scan (no other condition, so no other index can be
    chosen by the planner); within a year the rows are read in date order until one counts,
    usually the first."""
    years: set[int] = set()
    lower: dt.date | None = None
    while True:
        query = select(func.min(column)).where(column.is_not(None) if lower is None else column >= lower)
        day = _as_date(conn.execute(query).scalar())
        if day is None:
            return years
        fy = fiscal_year_of(day)
        end = fiscal_year_bounds(fy)[1]
        if _any(conn, select(*columns).where(column >= day, column <= end).order_by(column), counts):
            years.add(fy)
        lower = fiscal_year_bounds(fy + 1)[0]


def _alive(row: Any) -> bool:
    return not row.deleted and row.owner in ORGS


def _held(row: Any) -> bool:
    return _alive(row) and row.status == kpi_rules.HELD_STATUS


def _matching_years(conn: Connection) -> set[int]:
    """Years with a stage of a live matching: each year from the first stage's to the last one's
    is probed, matchings ending soonest first (usually the first has a stage in the year)."""
    first = _as_date(conn.execute(select(func.min(Matching.first_stage_on))).scalar())
    last = _as_date(conn.execute(select(func.max(Matching.last_stage_on))).scalar())
    if first is None or last is None:
        return set()
    years: set[int] = set()
    for fy in range(fiscal_year_of(first), fiscal_year_of(last) + 1):
        start, end = fiscal_year_bounds(fy)
        query = (select(Matching.owner, Matching.deleted, Matching.stages)
                 .where(Matching.last_stage_on >= start, Matching.first_stage_on <= end)
                 .order_by(Matching.last_stage_on))
        if _any(conn, query, functools.partial(_staged_in, start.isoformat(), end.isoformat())):
            years.add(fy)
    return years


def _staged_in(start_iso: str, end_iso: str, row: Any) -> bool:
    stages = json.loads(row.stages) if isinstance(row.stages, str) else list(row.stages or [])
    return _alive(row) and any(start_iso <= str(stage.get("on") or "") <= end_iso for stage in stages)


def fiscal_years_with_records(conn: Connection) -> set[int]:
    """Fiscal years in which some live record of a known org can count (§5): held events and
    trials by ``held_from``, needs by ``received_on``, support activities by ``on``, matching
    stages by ``on``."""
    years = _years_of(conn, Event.held_from, (Event.owner, Event.deleted, Event.status), _held)
    years |= _years_of(conn, Trial.held_from, (Trial.owner, Trial.deleted, Trial.status), _held)
    years |= _years_of(conn, Need.received_on, (Need.owner, Need.deleted), _alive)
    years |= _years_of(conn, SupportActivity.on_date, (SupportActivity.owner, SupportActivity.deleted), _alive)
    return years | _matching_years(conn)


def targets_by_year(conn: Connection) -> dict[int, dict[str, float]]:
    """fiscal year → KPI code → target, for every year with targets, in one query (where two
    records name one KPI of one year, the newer wins, as in ``queries.targets_for_year``)."""
    rows: dict[int, list[tuple[str, float, str]]] = {}
    for fy, kpi, target, hlc in conn.execute(
        select(KpiTarget.fiscal_year, KpiTarget.kpi, KpiTarget.target, KpiTarget.hlc).where(KpiTarget.deleted.is_(False))
    ):
        rows.setdefault(int(fy), []).append((str(kpi), float(target), str(hlc)))
    return {fy: kpi_rules.latest_targets(found) for fy, found in rows.items()}
