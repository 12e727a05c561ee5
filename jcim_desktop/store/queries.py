"""Read-only queries over many records at once: the facts behind the KPI tally."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, and_, select

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.store.models import Event, KpiTarget, Matching, MunicipalityStatus, Need, SupportActivity, Trial


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return list(json.loads(value))
    return list(value or [])


def _in_year(column: Any, start: dt.date, end: dt.date) -> Any:
    return and_(column >= start, column <= end)


def collect_tally_facts(conn: Connection, fiscal_year: int) -> kpi_rules.TallyFacts:
    """Scan the records that can count in ``fiscal_year`` (indexed by date) and gather the facts.

    Records of orgs this version does not know are ignored rather than miscounted.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    facts = kpi_rules.TallyFacts(fiscal_year)
    lg: dict[str, set[str]] = {}

    def add_lg(org: str, code: Any) -> None:
        if code:
            lg.setdefault(org, set()).add(str(code))

    events = conn.execute(
        select(Event.owner, Event.event_type, Event.counts_as_forum, Event.lg_codes).where(
            Event.deleted.is_(False), Event.status == kpi_rules.HELD_STATUS, _in_year(Event.held_from, start, end)
        )
    )
    for owner, event_type, counts_as_forum, lg_codes in events:
        if owner not in ORGS:
            continue
        if counts_as_forum:
            facts.add("forums_held", owner)
        if event_type in kpi_rules.WORKSHOP_EVENT_TYPES:
            facts.add("workshops", owner)
        if event_type in kpi_rules.MAYORS_COUNCIL_EVENT_TYPES:
            facts.add("mayors_council_activities", owner)
        for code in _as_list(lg_codes):
            add_lg(owner, code)

    for owner, code in conn.execute(
        select(Need.owner, Need.lg_code).where(Need.deleted.is_(False), _in_year(Need.received_on, start, end))
    ):
        if owner in ORGS:
            add_lg(owner, code)

    for owner, code in conn.execute(
        select(Trial.owner, Trial.lg_code).where(
            Trial.deleted.is_(False), Trial.status == kpi_rules.HELD_STATUS, _in_year(Trial.held_from, start, end)
        )
    ):
        if owner in ORGS:
            facts.add("field_trials", owner)
            add_lg(owner, code)

    countries: dict[str, set[str]] = {}
    for owner, code, country in conn.execute(
        select(SupportActivity.owner, SupportActivity.lg_code, SupportActivity.country).where(
            SupportActivity.deleted.is_(False), _in_year(SupportActivity.on_date, start, end)
        )
    ):
        if owner in ORGS:
            add_lg(owner, code)
            if country:
                countries.setdefault(owner, set()).add(country)

    need_alive = Need.deleted.is_(False)
    matchings = conn.execute(
        select(Matching.owner, Matching.stages, Need.lg_code)
        .outerjoin(Need, and_(Need.id == Matching.need_id, need_alive))
        .where(Matching.deleted.is_(False), Matching.first_stage_on <= end, Matching.last_stage_on >= start)
    )
    stage_kpi = {
        "considered": "matching_considered",
        "established": "matching_established",
        "implemented": "implemented",
    }
    start_iso, end_iso = start.isoformat(), end.isoformat()
    for owner, stages, need_lg_code in matchings:
        if owner not in ORGS:
            continue
        seen: set[str] = set()
        for stage in _as_list(stages):
            on = str(stage.get("on") or "")
            if start_iso <= on <= end_iso:
                seen.add(str(stage.get("stage")))
        if not seen:
            continue
        for stage_code in seen:
            if stage_code in stage_kpi:
                facts.add(stage_kpi[stage_code], owner)
        add_lg(owner, need_lg_code)

    facts.lg_codes = lg
    facts.countries = countries
    members, mayors = municipality_status_counts(conn)
    facts.admin_members = members
    facts.mayors_council_members = mayors
    return facts


def latest_status(conn: Connection) -> dict[str, tuple[bool, bool]]:
    """lg_code → (admin_member, mayors_council), the newest record per local government."""
    newest: dict[str, tuple[str, bool, bool]] = {}
    for code, admin, mayors, hlc in conn.execute(
        select(
            MunicipalityStatus.lg_code,
            MunicipalityStatus.admin_member,
            MunicipalityStatus.mayors_council,
            MunicipalityStatus.hlc,
        ).where(MunicipalityStatus.deleted.is_(False))
    ):
        if code not in newest or hlc > newest[code][0]:
            newest[code] = (hlc, bool(admin), bool(mayors))
    return {code: (admin, mayors) for code, (_, admin, mayors) in newest.items()}


def municipality_status_counts(conn: Connection) -> tuple[int, int]:
    """(行政会員, 市区町村長会議) counts over municipalities; prefectures (xx000c) are not counted."""
    members = mayors = 0
    for code, (admin, council) in latest_status(conn).items():
        if code[2:5] == "000":
            continue
        members += admin
        mayors += council
    return members, mayors


def targets_for_year(conn: Connection, fiscal_year: int) -> dict[str, float]:
    rows = conn.execute(
        select(KpiTarget.kpi, KpiTarget.target, KpiTarget.hlc).where(
            KpiTarget.deleted.is_(False), KpiTarget.fiscal_year == fiscal_year
        )
    )
    return kpi_rules.latest_targets((str(k), float(t), str(h)) for k, t, h in rows)
