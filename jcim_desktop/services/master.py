"""The municipality master: 行政会員 and 市区町村長会議 status as dated changes (SYNC_FORMAT §4
``municipality_status``), its history, and rates by prefecture and block on a given day.

A municipality's status is a list of changes: each record says its full status from ``as_of``
on, and the status on a day is the record with the greatest ``as_of`` not after it (ties: the
greater ``hlc``). A fiscal year's rates use the status on the year's last day (§5), so a past
year's figure stays what it was when later statuses change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.kpi import rate
from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.errors import PermissionDenied, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.models import AuditEntry, MunicipalityStatus


def status_day(fiscal_year: int | None = None, today: dt.date | None = None) -> dt.date:
    """The day whose status a fiscal year's rates use: the year's last day (None: ``today``)."""
    if fiscal_year is None:
        return today or dt.date.today()
    return fiscal_year_bounds(fiscal_year)[1]


def statuses(ctx: AppContext, day: dt.date | None = None) -> dict[str, tuple[bool, bool]]:
    """lg_code → (行政会員, 市区町村長会議 参画) in force on ``day`` (default: today); a local
    government with no status record by then is absent (it counts as neither)."""
    with ctx.db.engine.connect() as conn:
        return queries.latest_status(conn, day or dt.date.today())


def set_status(
    ctx: AppContext,
    lg_code: str,
    *,
    admin_member: bool | None = None,
    mayors_council: bool | None = None,
    as_of: dt.date | None = None,
) -> records.Saved:
    """Record a change of a local government's status from ``as_of`` (default: today) on
    (secretariat only).

    The new record holds the full status: a flag not given keeps the value in force on
    ``as_of``. When a live record of that local government already starts on ``as_of``, that
    record is changed instead of adding a second one for the same day. When the status in force
    on ``as_of`` already is the one asked for, nothing is written (the record in force is
    returned).
    """
    if not ctx.is_secretariat:
        raise PermissionDenied("自治体マスタを変更できるのは事務局だけです。")
    if lg_code not in ctx.registry:
        raise ValidationError({"lg_code": f"自治体コード {lg_code} は存在しません。"})
    if as_of is not None and not isinstance(as_of, dt.date):
        raise ValidationError({"as_of": "変更日は日付で指定してください（例: 2024-10-01）。"})
    day = as_of or dt.date.today()
    if isinstance(day, dt.datetime):
        day = day.date()
    with ctx.db.engine.connect() as conn:
        current = queries.status_on(conn, day).get(lg_code)
    admin = admin_member if admin_member is not None else bool(current and current.admin_member)
    mayors = mayors_council if mayors_council is not None else bool(current and current.mayors_council)
    if current is not None and current.as_of == day:
        # The record in force on the day starts that day (the greatest hlc of that day): change it.
        return records.update(ctx, "municipality_status", current.record_id,
                              {"admin_member": bool(admin), "mayors_council": bool(mayors)})
    if current is not None and (current.admin_member, current.mayors_council) == (admin, mayors):
        return records.get(ctx, "municipality_status", current.record_id)
    data = {"lg_code": lg_code, "admin_member": bool(admin), "mayors_council": bool(mayors),
            "as_of": day.isoformat()}
    return records.create(ctx, "municipality_status", data, owner=SECRETARIAT)


@dataclass(frozen=True)
class StatusChange:
    """One change of a local government's status, as the history lists it."""

    record_id: str
    lg_code: str
    as_of: dt.date | None
    admin_member: bool
    mayors_council: bool
    recorded_by: str | None
    """Who recorded it here (the audit log); None for a change received in a package."""
    recorded_at: dt.datetime | None
    """When it was last changed: the audit log's time, else the time of its ``hlc``."""


def _hlc_time(hlc: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000).astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def _audit_time(at: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(at)
    except ValueError:
        return None


def history(ctx: AppContext, lg_code: str) -> list[StatusChange]:
    """The changes of one local government's status, oldest ``as_of`` first (ties: older
    ``hlc`` first, so the last of a day is the one in force), each with who recorded its
    current version here and when (from the audit log; a version received in a package has
    only the time of its ``hlc``)."""
    with ctx.db.engine.connect() as conn:
        rows = queries.status_history(conn, lg_code)
        ids = [r.record_id for r in rows]
        hlcs: dict[str, str] = {}
        audited: dict[tuple[str, str], tuple[str, str]] = {}
        if ids:
            hlcs = {rid: hlc for rid, hlc in conn.execute(
                select(MunicipalityStatus.id, MunicipalityStatus.hlc).where(MunicipalityStatus.id.in_(ids)))}
            for record_id, hlc, user, at in conn.execute(
                select(AuditEntry.record_id, AuditEntry.hlc, AuditEntry.user_name, AuditEntry.at)
                .where(AuditEntry.entity == "municipality_status", AuditEntry.record_id.in_(ids))
            ):
                audited[(record_id, hlc)] = (user, at)
    changes = []
    for row in rows:
        hlc = hlcs.get(row.record_id, "")
        entry = audited.get((row.record_id, hlc))
        by = (entry[0] or None) if entry else None
        when = _audit_time(entry[1]) if entry else _hlc_time(hlc)
        changes.append(StatusChange(row.record_id, row.lg_code, row.as_of, row.admin_member, row.mayors_council,
                                    by, when))
    return changes


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


def rates_by_prefecture(ctx: AppContext, fiscal_year: int | None = None, *,
                        day: dt.date | None = None) -> dict[str, Rates]:
    """pref_code → rates over that prefecture's municipalities, by their status on the last day
    of ``fiscal_year`` (None: on ``day``, default today)."""
    status = statuses(ctx, status_day(fiscal_year, day))
    out: dict[str, Rates] = {}
    for pref in ctx.registry.prefectures():
        munis = ctx.registry.municipalities_of(pref.pref_code)
        admin = sum(1 for m in munis if status.get(m.lg_code, (False, False))[0])
        mayors = sum(1 for m in munis if status.get(m.lg_code, (False, False))[1])
        out[pref.pref_code] = Rates(pref.name, len(munis), admin, mayors)
    return out


def rates_by_block(ctx: AppContext, fiscal_year: int | None = None, *,
                   day: dt.date | None = None) -> dict[str, Rates]:
    """forum block → rates over its prefectures' municipalities (status as ``rates_by_prefecture``)."""
    by_pref = rates_by_prefecture(ctx, fiscal_year, day=day)
    totals: dict[str, list[int]] = {}
    for pref_code, r in by_pref.items():
        block = ctx.registry.block_of_prefecture(pref_code)
        t = totals.setdefault(block, [0, 0, 0])
        t[0] += r.municipalities
        t[1] += r.admin_members
        t[2] += r.mayors_council
    return {block: Rates(block, *t) for block, t in totals.items()}


def changes_after(ctx: AppContext, start: dt.date, end: dt.date) -> bool:
    """Whether any live status change starts after ``start`` and on or before ``end`` (a change
    recorded ahead of time, e.g. a membership from next April)."""
    model = MunicipalityStatus
    with ctx.db.engine.connect() as conn:
        return conn.execute(
            select(model.id).where(model.deleted.is_(False), model.as_of > start, model.as_of <= end).limit(1)
        ).first() is not None
