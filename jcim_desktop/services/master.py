"""The municipality master: 行政会員 and 市区町村長会議 status, and rates by prefecture and block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from jcim_desktop.domain.kpi import rate
from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.errors import PermissionDenied, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.models import MunicipalityStatus


def statuses(ctx: AppContext) -> dict[str, tuple[bool, bool]]:
    """lg_code → (行政会員, 市区町村長会議 参画)."""
    with ctx.db.engine.connect() as conn:
        return queries.latest_status(conn)


def set_status(
    ctx: AppContext,
    lg_code: str,
    *,
    admin_member: bool | None = None,
    mayors_council: bool | None = None,
    as_of: dt.date | None = None,
) -> records.Saved:
    """Set a local government's flags (secretariat only); one record per local government."""
    if not ctx.is_secretariat:
        raise PermissionDenied("自治体マスタを変更できるのは事務局だけです。")
    if lg_code not in ctx.registry:
        raise ValidationError({"lg_code": f"自治体コード {lg_code} は存在しません。"})
    with ctx.reading() as session:
        existing = session.scalars(
            select(MunicipalityStatus)
            .where(MunicipalityStatus.lg_code == lg_code, MunicipalityStatus.deleted.is_(False))
            .order_by(MunicipalityStatus.hlc.desc())
        ).first()
    as_of_text = (as_of or dt.date.today()).isoformat()
    if existing is None:
        data = {
            "lg_code": lg_code,
            "admin_member": bool(admin_member),
            "mayors_council": bool(mayors_council),
            "as_of": as_of_text,
        }
        return records.create(ctx, "municipality_status", data, owner=SECRETARIAT)
    changes: dict[str, object] = {"as_of": as_of_text}
    if admin_member is not None:
        changes["admin_member"] = admin_member
    if mayors_council is not None:
        changes["mayors_council"] = mayors_council
    return records.update(ctx, "municipality_status", existing.id, changes)


@dataclass(frozen=True)
class Rates:
    name: str
    municipalities: int
    admin_members: int
    mayors_council: int

    @property
    def admin_rate(self) -> float:
        return rate(self.admin_members, self.municipalities)

    @property
    def mayors_rate(self) -> float:
        return rate(self.mayors_council, self.municipalities)


def rates_by_prefecture(ctx: AppContext) -> dict[str, Rates]:
    """pref_code → rates over that prefecture's municipalities."""
    status = statuses(ctx)
    out: dict[str, Rates] = {}
    for pref in ctx.registry.prefectures():
        munis = ctx.registry.municipalities_of(pref.pref_code)
        admin = sum(1 for m in munis if status.get(m.lg_code, (False, False))[0])
        mayors = sum(1 for m in munis if status.get(m.lg_code, (False, False))[1])
        out[pref.pref_code] = Rates(pref.name, len(munis), admin, mayors)
    return out


def rates_by_block(ctx: AppContext) -> dict[str, Rates]:
    """forum block → rates over its prefectures' municipalities."""
    by_pref = rates_by_prefecture(ctx)
    totals: dict[str, list[int]] = {}
    for pref_code, r in by_pref.items():
        block = ctx.registry.block_of_prefecture(pref_code)
        t = totals.setdefault(block, [0, 0, 0])
        t[0] += r.municipalities
        t[1] += r.admin_members
        t[2] += r.mayors_council
    return {block: Rates(block, *t) for block, t in totals.items()}
