"""The KPI tally of a fiscal year over everything in the database (SYNC_FORMAT §5, §6)."""

from __future__ import annotations

from typing import Any

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT
from jcim_desktop.errors import ValidationError
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries


def tally(ctx: AppContext, fiscal_year: int) -> dict[str, Any]:
    """The structure ``tally --format json`` prints: every KPI with subtotals, by_org and target."""
    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year)
        targets = queries.targets_for_year(conn, fiscal_year)
    return kpi_rules.assemble_tally(facts, targets)


RATES = ("admin_member_rate", "mayors_council_rate")


def explain(ctx: AppContext, fiscal_year: int, kpi: str, org: str | None = None) -> dict[str, Any]:
    """The records behind one figure (``tally --explain``, SYNC_FORMAT §6): ``value`` is the
    tally's figure for ``org`` (``total`` when None), found by the very scan that makes the tally.

    For supported_municipalities each local government appears once per org, with the first
    record that reached it; for the rates, the municipalities whose newest status counts.
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
            found = [("municipality_status", record_id, SECRETARIAT, as_of, code)
                     for record_id, code, is_member, in_council, as_of in queries.counted_statuses(conn)
                     if (is_member if admin else in_council)]
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
