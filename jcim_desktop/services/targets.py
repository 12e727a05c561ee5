"""KPI targets (KPI目標) per fiscal year, kept by the secretariat."""

from __future__ import annotations

import math

from sqlalchemy import select

from jcim_desktop.domain.kpi import KPI_BY_CODE
from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.domain.versioning import MAX_SAFE_INT
from jcim_desktop.errors import PermissionDenied, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.models import KpiTarget


def targets_for(ctx: AppContext, fiscal_year: int) -> dict[str, float]:
    with ctx.db.engine.connect() as conn:
        return queries.targets_for_year(conn, fiscal_year)


def target_problem(kpi: str, target: float) -> str | None:
    """What is wrong with ``target`` as the target of ``kpi``, in a sentence naming the KPI (None:
    nothing). A rate's target is a fraction (0.7 for 70%); a count's a whole number."""
    definition = KPI_BY_CODE.get(kpi)
    if definition is None:
        return f"KPI「{kpi}」はありません。"
    name = definition.label
    if math.isnan(target):
        return f"{name}の目標値は数値で入力してください。"
    if target < 0:
        return f"{name}の目標値は0以上の数で入力してください。"
    if definition.is_rate and target > 1:
        return f"{name}の目標値は割合（0～1）で入力してください。70%なら 0.7 です。"
    if math.isinf(target) or target > MAX_SAFE_INT:
        return f"{name}の目標値が大きすぎます（上限 {MAX_SAFE_INT:,}）。"
    if not definition.is_rate and not float(target).is_integer():
        return f"{name}の目標値は件数なので整数で入力してください。"
    return None


def set_target(ctx: AppContext, fiscal_year: int, kpi: str, target: float) -> records.Saved:
    """Set (or change) the target of one KPI for one year (secretariat only).

    A target that cannot be one raises ``ValidationError`` naming the KPI (「フォーラム実施数の目標値は…」).
    """
    if not ctx.is_secretariat:
        raise PermissionDenied("KPI目標を設定できるのは事務局だけです。")
    problem = target_problem(kpi, target)
    if problem is not None:
        raise ValidationError({"target": problem}, problem)
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
