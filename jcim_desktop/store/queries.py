"""Read-only queries over many records at once: the facts behind the KPI tally."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Text, and_, case, cast, func, select, type_coerce

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.domain.vocab import MATCHING_STAGES
from jcim_desktop.store.derived import stages_within
from jcim_desktop.store.models import (
    ClosedTally,
    Event,
    KpiTarget,
    Matching,
    MunicipalityStatus,
    Need,
    SupportActivity,
    Trial,
)


def _as_list(value: Any) -> list[Any]:
    """A JSON list column read as its text (``_json_text``) or already parsed, as a list."""
    if isinstance(value, (str, bytes)):
        parsed = orjson.loads(value)
        return parsed if isinstance(parsed, list) else []
    return list(value or [])


def _json_text(conn: Connection, column: Any) -> Any:
    """A JSON column read as its text, to be parsed by orjson (``_as_list``): the JSON type's
    own reading uses the standard library's parser, a third of the tally's time at 1,000,000
    records. SQLite keeps JSON as text; PostgreSQL's driver would parse a JSON column itself,
    so there it is cast to text."""
    return type_coerce(column, Text) if conn.dialect.name == "sqlite" else cast(column, Text)


def _in_year(column: Any, start: dt.date, end: dt.date) -> Any:
    return and_(column >= start, column <= end)


Witness = Callable[[str, str, str, str, Any, Any], None]
"""``witness(kpi, org, entity, record_id, date, lg_code)``: told of every record as it counts
(``tally --explain``); for supported_municipalities and supported_countries only the first
record that reached a local government or country for an org."""


def collect_tally_facts(conn: Connection, fiscal_year: int, witness: Witness | None = None) -> kpi_rules.TallyFacts:
    """Scan the records that can count in ``fiscal_year`` (indexed by date) and gather the facts.

    Records of orgs this version does not know are ignored rather than miscounted. With
    ``witness``, the same scan also says which record made each count (so an explanation can
    never disagree with the tally).
    """
    start, end = fiscal_year_bounds(fiscal_year)
    facts = kpi_rules.TallyFacts(fiscal_year)
    lg: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}

    def count(kpi: str, org: str, entity: str, record_id: str, date: Any) -> None:
        facts.add(kpi, org)
        if witness is not None:
            witness(kpi, org, entity, record_id, date, None)

    def add_lg(org: str, code: Any, entity: str, record_id: str, date: Any) -> None:
        if not code:
            return
        codes = lg.setdefault(org, set())
        if witness is not None and str(code) not in codes:
            witness("supported_municipalities", org, entity, record_id, date, str(code))
        codes.add(str(code))

    events = conn.execute(
        select(Event.id, Event.owner, Event.event_type, Event.counts_as_forum, _json_text(conn, Event.lg_codes),
               Event.held_from).where(
            Event.deleted.is_(False), Event.status == kpi_rules.HELD_STATUS, _in_year(Event.held_from, start, end)
        )
    )
    for record_id, owner, event_type, counts_as_forum, lg_codes, held in events:
        if owner not in ORGS:
            continue
        if counts_as_forum:
            count("forums_held", owner, "events", record_id, held)
        if event_type in kpi_rules.WORKSHOP_EVENT_TYPES:
            count("workshops", owner, "events", record_id, held)
        if event_type in kpi_rules.MAYORS_COUNCIL_EVENT_TYPES:
            count("mayors_council_activities", owner, "events", record_id, held)
        for code in _as_list(lg_codes):
            add_lg(owner, code, "events", record_id, held)

    for record_id, owner, code, received in conn.execute(
        select(Need.id, Need.owner, Need.lg_code, Need.received_on).where(
            Need.deleted.is_(False), _in_year(Need.received_on, start, end)
        )
    ):
        if owner in ORGS:
            add_lg(owner, code, "needs", record_id, received)

    for record_id, owner, code, held, matching_id in conn.execute(
        select(Trial.id, Trial.owner, Trial.lg_code, Trial.held_from, Trial.matching_id).where(
            Trial.deleted.is_(False), Trial.status == kpi_rules.HELD_STATUS, _in_year(Trial.held_from, start, end)
        )
    ):
        if owner in ORGS:
            count("field_trials", owner, "trials", record_id, held)
            add_lg(owner, code, "trials", record_id, held)
            if matching_id is not None:
                facts.reached(owner, "trial")

    for record_id, owner, code, country, on in conn.execute(
        select(SupportActivity.id, SupportActivity.owner, SupportActivity.lg_code, SupportActivity.country,
               SupportActivity.on_date).where(
            SupportActivity.deleted.is_(False), _in_year(SupportActivity.on_date, start, end)
        )
    ):
        if owner in ORGS:
            add_lg(owner, code, "support_activities", record_id, on)
            if country:
                reached = countries.setdefault(owner, set())
                if witness is not None and country not in reached:
                    witness("supported_countries", owner, "support_activities", record_id, on, None)
                reached.add(country)

    need_alive = Need.deleted.is_(False)
    matchings = conn.execute(
        select(Matching.id, Matching.owner, _json_text(conn, Matching.stages), Need.lg_code)
        .outerjoin(Need, and_(Need.id == Matching.need_id, need_alive))
        .where(Matching.deleted.is_(False), Matching.first_stage_on <= end, Matching.last_stage_on >= start)
    )
    stage_kpi = {
        "considered": "matching_considered",
        "established": "matching_established",
        "implemented": "implemented",
    }
    start_iso, end_iso = start.isoformat(), end.isoformat()
    for record_id, owner, stages, need_lg_code in matchings:
        if owner not in ORGS:
            continue
        seen: dict[str, str] = {}
        for stage in _as_list(stages):
            stage_on = str(stage.get("on") or "")
            if start_iso <= stage_on <= end_iso:
                seen.setdefault(str(stage.get("stage")), stage_on)
        if not seen:
            continue
        for stage_code, stage_on in seen.items():
            if stage_code in stage_kpi:
                count(stage_kpi[stage_code], owner, "matchings", record_id, stage_on)
            if stage_code in MATCHING_STAGES:
                facts.reached(owner, stage_code)
        add_lg(owner, need_lg_code, "matchings", record_id, min(seen.values()))

    facts.lg_codes = lg
    facts.countries = countries
    members, mayors = municipality_status_counts(conn, end)
    facts.admin_members = members
    facts.mayors_council_members = mayors
    return facts


@dataclass(frozen=True)
class StatusRow:
    """The membership of one local government in force on a day (SYNC_FORMAT §4)."""

    record_id: str
    lg_code: str
    admin_member: bool
    mayors_council: bool
    as_of: dt.date | None


def status_on(conn: Connection, day: dt.date) -> dict[str, StatusRow]:
    """lg_code → the status record in force on ``day``: the greatest ``as_of`` not after it
    (ties: the greater ``hlc``). A local government with no record by then is absent."""
    best: dict[str, tuple[Any, str, StatusRow]] = {}
    for record_id, code, admin, mayors, as_of, hlc in conn.execute(
        select(
            MunicipalityStatus.id,
            MunicipalityStatus.lg_code,
            MunicipalityStatus.admin_member,
            MunicipalityStatus.mayors_council,
            MunicipalityStatus.as_of,
            MunicipalityStatus.hlc,
        ).where(MunicipalityStatus.deleted.is_(False), MunicipalityStatus.as_of <= day)
    ):
        key = (as_of or dt.date.min, hlc)
        if code not in best or key > (best[code][0], best[code][1]):
            best[code] = (key[0], hlc, StatusRow(record_id, code, bool(admin), bool(mayors), as_of))
    return {code: row for code, (_, _, row) in best.items()}


def latest_status(conn: Connection, day: dt.date | None = None) -> dict[str, tuple[bool, bool]]:
    """lg_code → (admin_member, mayors_council) in force on ``day`` (default: today)."""
    rows = status_on(conn, day or dt.date.today())
    return {code: (row.admin_member, row.mayors_council) for code, row in rows.items()}


def counted_statuses(conn: Connection, day: dt.date) -> list[StatusRow]:
    """The status in force on ``day`` of each municipality (prefectures left out): the records
    behind the two membership rates of the fiscal year that ends on ``day``."""
    return [row for code, row in status_on(conn, day).items() if code[2:5] != "000"]


def municipality_status_counts(conn: Connection, day: dt.date) -> tuple[int, int]:
    """(行政会員, 市区町村長会議) counts over municipalities on ``day``; prefectures are not counted."""
    rows = counted_statuses(conn, day)
    return sum(row.admin_member for row in rows), sum(row.mayors_council for row in rows)


def status_history(conn: Connection, lg_code: str) -> list[StatusRow]:
    """Every live status record of one local government, oldest ``as_of`` first."""
    rows = list(conn.execute(
        select(
            MunicipalityStatus.id,
            MunicipalityStatus.lg_code,
            MunicipalityStatus.admin_member,
            MunicipalityStatus.mayors_council,
            MunicipalityStatus.as_of,
            MunicipalityStatus.hlc,
        ).where(MunicipalityStatus.deleted.is_(False), MunicipalityStatus.lg_code == lg_code)
    ))
    rows.sort(key=lambda r: (r[4] or dt.date.min, r[5]))
    return [StatusRow(r[0], r[1], bool(r[2]), bool(r[3]), r[4]) for r in rows]


@dataclass(frozen=True)
class ClosedRow:
    """A live ``closed_tallies`` record (SYNC_FORMAT §4)."""

    record_id: str
    fiscal_year: int
    closed_at: str
    closed_by: str
    source: str
    kpis: dict[str, Any]
    note: str | None
    hlc: str


def closed_tallies(conn: Connection, fiscal_year: int | None = None) -> dict[int, ClosedRow]:
    """fiscal year → its closed tally. Should two live records name one year (closed at two
    installations before either heard of the other), the one with the greater ``hlc`` counts."""
    query = select(
        ClosedTally.id, ClosedTally.fiscal_year, ClosedTally.closed_at, ClosedTally.closed_by, ClosedTally.source,
        ClosedTally.kpis, ClosedTally.note, ClosedTally.hlc,
    ).where(ClosedTally.deleted.is_(False))
    if fiscal_year is not None:
        query = query.where(ClosedTally.fiscal_year == fiscal_year)
    found: dict[int, ClosedRow] = {}
    for rid, fy, at, by, source, kpis, note, hlc in conn.execute(query):
        figures = json.loads(kpis) if isinstance(kpis, str) else dict(kpis or {})
        row = ClosedRow(rid, int(fy), at, by, source, figures, note, hlc)
        if fy not in found or hlc > found[fy].hlc:
            found[int(fy)] = row
    return found


def targets_for_year(conn: Connection, fiscal_year: int) -> dict[str, float]:
    rows = conn.execute(
        select(KpiTarget.kpi, KpiTarget.target, KpiTarget.hlc).where(
            KpiTarget.deleted.is_(False), KpiTarget.fiscal_year == fiscal_year
        )
    )
    return kpi_rules.latest_targets((str(k), float(t), str(h)) for k, t, h in rows)


def titles(conn: Connection, entity: str, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """id → (title, lg_code) of records of ``entity`` (a matching by its need's title and
    municipality; a support activity, which has no title, by its note)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, tuple[str, str | None]] = {}
    for chunk in (wanted[i:i + 500] for i in range(0, len(wanted), 500)):
        if entity == "events":
            for rid, title in conn.execute(select(Event.id, Event.title).where(Event.id.in_(chunk))):
                found[rid] = (title, None)
        elif entity in ("needs", "trials"):
            model = Need if entity == "needs" else Trial
            for rid, title, lg in conn.execute(select(model.id, model.title, model.lg_code).where(model.id.in_(chunk))):
                found[rid] = (title, lg)
        elif entity == "support_activities":
            for rid, note, support_lg in conn.execute(
                select(SupportActivity.id, SupportActivity.note, SupportActivity.lg_code)
                .where(SupportActivity.id.in_(chunk))
            ):
                found[rid] = (note or "", support_lg)
        elif entity == "matchings":
            for rid, title, need_lg in conn.execute(
                select(Matching.id, Need.title, Need.lg_code).outerjoin(Need, Need.id == Matching.need_id)
                .where(Matching.id.in_(chunk))
            ):
                found[rid] = (title or "", need_lg)
    return found


# -- the dashboard's due events: how many, and the first few -------------------------------------

OPEN_EVENT_STATUSES: tuple[str, ...] = ("planned", "confirmed")
"""The statuses of an event that has not taken place yet and is still meant to."""


@dataclass(frozen=True)
class DueEventRow:
    """What the dashboard's event lists show of a planned event."""

    record_id: str
    title: str
    event_type: str
    owner: str
    planned_text: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    planned_precision: str
    planned_tentative: bool


@dataclass(frozen=True)
class DueEvents:
    """How many events a list holds, and the first ``limit`` of them in its order."""

    total: int
    first: list[DueEventRow]


def _due_events(conn: Connection, where: list[Any], order: list[Any], limit: int) -> DueEvents:
    # One statement: the count over every match (a window over the whole result, computed before
    # the LIMIT) comes with the first rows, so the events scanned are never sent to Python.
    total = func.count().over().label("total")
    rows = conn.execute(
        select(
            Event.id, Event.title, Event.event_type, Event.owner, Event.planned_text, Event.planned_start,
            Event.planned_end, Event.planned_precision, Event.planned_tentative, total,
        ).where(*where).order_by(*order).limit(max(limit, 1))
    ).all()
    first = [
        DueEventRow(r.id, r.title or "", r.event_type or "other", r.owner, r.planned_text or "", r.planned_start,
                    r.planned_end, r.planned_precision or "", bool(r.planned_tentative))
        for r in rows
    ]
    return DueEvents(int(rows[0].total) if rows else 0, first[:limit])


def _open_events(owners: Iterable[str] | None) -> list[Any]:
    where: list[Any] = [Event.deleted.is_(False), Event.status.in_(OPEN_EVENT_STATUSES)]
    chosen = sorted(owners or ())
    if chosen:
        where.append(Event.owner.in_(chosen))
    return where


def upcoming_events(
    conn: Connection, today: dt.date, horizon: dt.date, owners: Iterable[str] | None, limit: int,
) -> DueEvents:
    """Open events (planned, confirmed) whose planned period reaches into ``today`` … ``horizon``
    (of ``owners``; None or empty: every org): how many, and the first ``limit`` — what starts
    soonest first, then plans already under way, plans with an undecided date last (ties: the
    planned end, the title, the id)."""
    order = [
        case((Event.planned_precision == "undecided", 2), (Event.planned_start <= today, 1), else_=0),
        Event.planned_start, Event.planned_end, Event.title, Event.id,
    ]
    where = [*_open_events(owners), Event.planned_start <= horizon, Event.planned_end >= today]
    return _due_events(conn, where, order, limit)


def overdue_events(
    conn: Connection, today: dt.date, since: dt.date, owners: Iterable[str] | None, limit: int,
) -> DueEvents:
    """Open events (planned, confirmed) whose planned period ended before ``today``, not before
    ``since`` (of ``owners``; None or empty: every org): how many, and the ``limit`` that ended
    first."""
    where = [*_open_events(owners), Event.planned_end < today, Event.planned_end >= since]
    return _due_events(conn, where, [Event.planned_end, Event.id], limit)


# -- the matching pipeline of a year -----------------------------------------------------------------


def matching_stage_counts(conn: Connection, fiscal_year: int, owners: Iterable[str] | None = None) -> dict[str, int]:
    """Stage code (considered, established, implemented, dropped) → how many pairings reached it
    during ``fiscal_year`` (each pairing once per stage), and ``trial`` → the held trials of the
    year linked to a pairing; of ``owners`` (None or empty: every org).

    A stage counts when its day is within the year, compared as ISO text as the tally does
    (``collect_tally_facts``); a stage without a readable day or code is left out. The stages
    are read from their compact summary (``derived.stage_days``) in ``ix_matchings_stage_days``
    alone: at 1,000,000 records (28,000 pairings spanning a year) reading and parsing every
    history's JSON took 100 ms on SQLite.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    start_iso, end_iso = start.isoformat(), end.isoformat()
    chosen = sorted(owners or ())
    counts = dict.fromkeys((*MATCHING_STAGES, "trial"), 0)
    stmt = select(Matching.stage_days).where(
        Matching.deleted.is_(False), Matching.first_stage_on <= end, Matching.last_stage_on >= start
    )
    if chosen:
        stmt = stmt.where(Matching.owner.in_(chosen))
    for days in conn.execute(stmt).scalars():
        for code in stages_within(days, start_iso, end_iso):
            counts[code] += 1
    trials = select(func.count()).select_from(Trial).where(
        Trial.deleted.is_(False), Trial.status == kpi_rules.HELD_STATUS, Trial.matching_id.is_not(None),
        _in_year(Trial.held_from, start, end),
    )
    if chosen:
        trials = trials.where(Trial.owner.in_(chosen))
    counts["trial"] = int(conn.execute(trials).scalar_one())
    return counts


BOARD_COLUMNS: tuple[str, ...] = ("considered", "established", "trial", "implemented", "dropped")
_OPEN_STAGES = ("considered", "established")


@dataclass(frozen=True)
class BoardRows:
    """The matching board of a year, read by aggregate: how many pairings each column holds
    (``totals``) and the ids of the newest ``shown`` of each (``newest``, latest stage first)."""

    totals: dict[str, int]
    newest: dict[str, list[str]]


def matching_board(
    conn: Connection, start: dt.date, end: dt.date, owners: Iterable[str] | None = None, shown: int = 100
) -> BoardRows:
    """The pairings of the board for ``start`` … ``end``: those with a stage in the period and
    those still open (検討, 成立), by column (現場試行 = established with a field trial linked).

    Counted and ranked in SQL, so the cost follows the cards shown, not the pairings: counted by
    stage and ranked per stage from the board's index alone (``ix_matchings_board``); only the
    established pairings are looked up in the trials' index, and only a closed pairing whose
    stages straddle the whole period (first before it, last after it) is read with its stages,
    to see whether one of them falls within it.
    """
    chosen = sorted(owners or ())
    tried = (
        select(Trial.id)
        .where(Trial.matching_id == Matching.id, Trial.deleted.is_(False))
        .exists()
    )
    base = [Matching.deleted.is_(False), Matching.first_stage_on <= end]
    if chosen:
        base.append(Matching.owner.in_(chosen))
    is_open = Matching.current_stage.in_(_OPEN_STAGES)
    surely_in_period = and_(Matching.last_stage_on >= start, (Matching.first_stage_on >= start) | (Matching.last_stage_on <= end))
    on_board = and_(*base, is_open | surely_in_period)

    def column_of(stage: str | None) -> str:
        return stage if stage in BOARD_COLUMNS else "considered"

    # By stage first (no trial looked at), then the established split into 成立 and 現場試行.
    totals = dict.fromkeys(BOARD_COLUMNS, 0)
    stages: list[str | None] = []
    for stage, n in conn.execute(select(Matching.current_stage, func.count()).where(on_board).group_by(Matching.current_stage)):
        stages.append(stage)
        totals[column_of(stage)] += int(n)
    if "established" in stages:
        with_trial = int(conn.execute(
            select(func.count()).where(*base, Matching.current_stage == "established", tried)).scalar_one())
        totals["established"] -= with_trial
        totals["trial"] += with_trial
    # The newest of each column: per stage (and established with or without a trial), merged below.
    ranked: dict[str, list[tuple[Any, str]]] = {code: [] for code in BOARD_COLUMNS}
    parts: list[tuple[str, Any]] = []
    for stage in stages:
        same = Matching.current_stage.is_(None) if stage is None else Matching.current_stage == stage
        if stage == "established":
            parts += [("trial", and_(same, tried)), ("established", and_(same, ~tried))]
        else:
            parts.append((column_of(stage), same))
    for code, where in parts:
        if not totals[code]:
            continue
        rows = conn.execute(
            select(Matching.last_stage_on, Matching.id)
            .where(on_board, where)
            .order_by(Matching.last_stage_on.desc(), Matching.id)
            .limit(shown)
        )
        ranked[code] += [(on, str(matching_id)) for on, matching_id in rows]
    # Closed pairings spanning the period: in it only if a stage's day is.
    start_iso, end_iso = start.isoformat(), end.isoformat()
    # Closed by its stage (stored stages are validated: a known code, or none with no days, which
    # cannot straddle), so that the board's index serves it: PostgreSQL, taking the two days for
    # independent, expected thousands of rows where there are a handful and read the whole table.
    closed = [code for code in MATCHING_STAGES if code not in _OPEN_STAGES]
    straddling = select(
        Matching.current_stage, Matching.last_stage_on, Matching.id, _json_text(conn, Matching.stages)
    ).where(*base, Matching.current_stage.in_(closed), Matching.first_stage_on < start, Matching.last_stage_on > end)
    for stage, on, matching_id, raw in conn.execute(straddling):
        history = orjson.loads(raw) if isinstance(raw, (str, bytes)) else raw
        if any(isinstance(s, dict) and start_iso <= str(s.get("on") or "") <= end_iso for s in history or ()):
            totals[column_of(stage)] += 1
            ranked[column_of(stage)].append((on, str(matching_id)))
    newest: dict[str, list[str]] = {}
    for code, pairs in ranked.items():
        pairs.sort(key=lambda p: p[1])
        pairs.sort(key=lambda p: p[0] or dt.date.min, reverse=True)
        newest[code] = [matching_id for _, matching_id in pairs[:shown]]
    return BoardRows(totals, newest)
