"""The KPI tally of a fiscal year over everything in the database (SYNC_FORMAT §5, §6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT
from jcim_desktop.errors import ValidationError
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.queries import ClosedRow


def tally(ctx: AppContext, fiscal_year: int, live: bool = False) -> dict[str, Any]:
    """The structure ``tally --format json`` prints: every KPI with subtotals, by_org and target
    (SYNC_FORMAT §5, §6), and whether the year is closed.

    An open year: the figures counted from the records, and ``"closed": null``.

    A closed year (a live ``closed_tallies`` record): its official figures, ``"closed": {"at",
    "by", "source"}`` and ``"live_differs"``, the KPI codes whose live figure differs from the
    closed one. With ``live`` the figures are the live ones, ``closed`` and ``live_differs``
    still telling a reader that the official ones are elsewhere.

    The official figures of a closed year, KPI by KPI (every code is always present):

    - source ``app``: the closed ``kpis`` object as it was fixed (its target too); a KPI the
      record lacks (one added by a later version) is the live figure;
    - source ``published``: each KPI the published record names is its object there (usually
      only ``total``: no subtotals or breakdown were published), with ``target`` taken from the
      year's current targets when the record has none; every other KPI is the live figure, so
      a year typed in from a report still shows what the records say about the rest.

    ``live_differs`` compares ``total`` and, for an ``app`` year, also ``by_org``,
    ``distinct_total`` and ``numerator`` (what the record holds); a KPI reported from the
    records (not named by the closed tally) never differs.
    """
    official, current = official_and_live(ctx, fiscal_year)
    if not live or official["closed"] is None:
        return official
    return {**current, "closed": official["closed"], "live_differs": official["live_differs"]}


def official_and_live(ctx: AppContext, fiscal_year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(tally(ctx, fy), live_tally(ctx, fy))`` from one reading of the records: the figures a
    page shows and the live ones it compares them with (the same object twice for an open year)."""
    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year)
        targets = queries.targets_for_year(conn, fiscal_year)
        closed = queries.closed_tallies(conn, fiscal_year).get(fiscal_year)
    current = kpi_rules.assemble_tally(facts, targets)
    return with_closed(current, closed, targets), current


def with_closed(current: dict[str, Any], closed: ClosedRow | None, targets: Mapping[str, float]) -> dict[str, Any]:
    """``tally``'s answer from the year's live tally, its closed tally (None: open) and its
    current targets (the rules are :func:`tally`'s)."""
    fiscal_year = current["fiscal_year"]
    if closed is None:
        return {**current, "closed": None}
    live_kpis: dict[str, dict[str, Any]] = current["kpis"]
    kpis: dict[str, Any] = {}
    differs: list[str] = []
    for code in kpi_rules.KPI_CODES:
        fixed = closed.kpis.get(code)
        if not isinstance(fixed, dict) or "total" not in fixed:
            kpis[code] = live_kpis[code]
            continue
        entry = dict(fixed)
        if closed.source == "app":
            entry.setdefault("target", targets.get(code))
        elif entry.get("target") is None:
            entry["target"] = targets.get(code)
        kpis[code] = entry
        compared = ("total",) if closed.source != "app" else ("total", "by_org", "distinct_total", "numerator")
        if any(key in entry and not _same(entry[key], live_kpis[code].get(key)) for key in compared):
            differs.append(code)
    return {
        "fiscal_year": fiscal_year,
        "kpis": kpis,
        "closed": {"at": closed.closed_at, "by": closed.closed_by, "source": closed.source},
        "live_differs": differs,
    }


def _same(fixed: Any, live: Any) -> bool:
    """Whether a closed figure (a number, or a mapping of org → number) equals the live one."""
    if isinstance(fixed, dict) or isinstance(live, dict):
        if not isinstance(fixed, dict) or not isinstance(live, dict):
            return False
        return all(_same(fixed.get(key, 0), live.get(key, 0)) for key in set(fixed) | set(live))
    if isinstance(fixed, (int, float)) and isinstance(live, (int, float)):
        return abs(float(fixed) - float(live)) < 1e-9
    return bool(fixed == live)


def live_tally(ctx: AppContext, fiscal_year: int) -> dict[str, Any]:
    """The tally computed from the records, whether or not the year is closed (no ``closed``)."""
    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year)
        targets = queries.targets_for_year(conn, fiscal_year)
    return kpi_rules.assemble_tally(facts, targets)


RATES = ("admin_member_rate", "mayors_council_rate")


def explain(ctx: AppContext, fiscal_year: int, kpi: str, org: str | None = None) -> dict[str, Any]:
    """The records behind one figure (``tally --explain``, SYNC_FORMAT §6): ``value`` is the
    tally's figure for ``org`` (``total`` when None), found by the very scan that makes the tally.

    For supported_municipalities each local government appears once per org, with the first
    record that reached it; for the rates, the municipalities counted by their status on the
    year's last day.
    """
    if kpi not in kpi_rules.KPI_BY_CODE:
        raise ValidationError({"kpi": f"KPI「{kpi}」はありません。"})
    if org is not None and org not in ORGS:
        raise ValidationError({"org": f"組織コード「{org}」はありません。"})
    if org is not None and kpi in RATES:
        raise ValidationError({"org": "参画率・加入率は全国の数値です。組織を指定せずに確かめてください。"})
    wanted = kpi_rules.MATCHING_PARTS if kpi == "matching_total" else (kpi,)
    found: list[tuple[str, str, str, Any, str | None]] = []

    def witness(code: str, owner: str, entity: str, record_id: str, date: Any, lg_code: Any) -> None:
        if code in wanted and (org is None or owner == org):
            found.append((entity, record_id, owner, date, lg_code))

    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year, witness)
        targets = queries.targets_for_year(conn, fiscal_year)
        if kpi in RATES:
            admin = kpi == "admin_member_rate"
            year_end = fiscal_year_bounds(fiscal_year)[1]
            found = [("municipality_status", row.record_id, SECRETARIAT, row.as_of, row.lg_code)
                     for row in queries.counted_statuses(conn, year_end)
                     if (row.admin_member if admin else row.mayors_council)]
        names: dict[tuple[str, str], tuple[str, str | None]] = {}
        for entity in {entity for entity, *_ in found if entity != "municipality_status"}:
            for record_id, named in queries.titles(conn, entity, (r for e, r, *_ in found if e == entity)).items():
                names[(entity, record_id)] = named
    figure = kpi_rules.assemble_tally(facts, targets)["kpis"][kpi]  # type: ignore[index]
    value = figure["by_org"][org] if org is not None and "by_org" in figure else figure["total"]
    records = []
    for entity, record_id, owner, date, lg_code in sorted(found, key=lambda f: (str(f[3] or ""), f[0], f[1])):
        if entity == "municipality_status":
            municipality = ctx.registry.get(lg_code)
            title = municipality.full_name if municipality is not None else str(lg_code)
        else:
            title, own_lg = names.get((entity, record_id), ("", None))
            lg_code = lg_code or own_lg
        records.append({
            "entity": entity, "id": record_id, "owner": owner, "title": title,
            "date": date.isoformat() if hasattr(date, "isoformat") else date, "lg_code": lg_code,
        })
    return {"fiscal_year": fiscal_year, "kpi": kpi, "org": org, "value": value, "records": records}
