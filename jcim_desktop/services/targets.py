"""KPI targets (KPI目標) per fiscal year, kept by the secretariat."""

from __future__ import annotations

from sqlalchemy import select

from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.errors import PermissionDenied
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.models import KpiTarget


def targets_for(ctx: AppContext, fiscal_year: int) -> dict[str, float]:
    with ctx.db.engine.connect() as conn:
        return queries.targets_for_year(conn, fiscal_year)


def set_target(ctx: AppContext, fiscal_year: int, kpi: str, target: float) -> records.Saved:
    """Set (or change) the target of one KPI for one year (secretariat only)."""
    if not ctx.is_secretariat:
        raise PermissionDenied("KPI目標を設定できるのは事務局だけです。")
    with ctx.reading() as session:
        existing = session.scalars(
            select(KpiTarget).where(
                KpiTarget.fiscal_year == fiscal_year, KpiTarget.kpi == kpi, KpiTarget.deleted.is_(False)
            ).order_by(KpiTarget.hlc.desc())
        ).first()
    data = {"fiscal_year": fiscal_year, "kpi": kpi, "target": target}
    if existing is None:
        return records.create(ctx, "kpi_targets", data, owner=SECRETARIAT)
    return records.update(ctx, "kpi_targets", existing.id, data)
