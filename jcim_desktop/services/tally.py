"""The KPI tally of a fiscal year over everything in the database (SYNC_FORMAT §5, §6)."""

from __future__ import annotations

from typing import Any

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries


def tally(ctx: AppContext, fiscal_year: int) -> dict[str, Any]:
    """The structure ``tally --format json`` prints: every KPI with subtotals, by_org and target."""
    with ctx.db.engine.connect() as conn:
        facts = queries.collect_tally_facts(conn, fiscal_year)
        targets = queries.targets_for_year(conn, fiscal_year)
    return kpi_rules.assemble_tally(facts, targets)
