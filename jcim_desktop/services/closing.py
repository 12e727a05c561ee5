"""Year close (年度確定) and past years' published figures: ``closed_tallies`` (SYNC_FORMAT §4, §6).

A closed year's figures are the official ones: ``tally`` reports them (and says so) while the
live figures stay available. Only the secretariat closes, reopens or records published figures;
every installation receives them in the secretariat's national packages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.fiscal import fiscal_year_of, format_fiscal_year
from jcim_desktop.domain.orgs import SECRETARIAT
from jcim_desktop.errors import PermissionDenied, UserError, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.queries import ClosedRow

__all__ = [
    "ClosedRow",
    "Closure",
    "close_year",
    "closed_tally",
    "closed_year_of",
    "closed_years",
    "closure",
    "counting_years",
    "published_figures",
    "record_published",
    "reopen_year",
]


@dataclass(frozen=True)
class Closure:
    """That a tally's year is closed, as ``tally``'s ``closed`` says, in typed values."""

    at: str
    """When, as recorded (ISO date-time)."""
    by: str
    source: str
    """``app`` (fixed from this application's tally) or ``published`` (typed in from a report)."""
    live_differs: tuple[str, ...] = ()

    @property
    def on(self) -> dt.date | None:
        """The day it was closed (on the closing computer's clock)."""
        try:
            return dt.date.fromisoformat(self.at[:10])
        except ValueError:
            return None


def closure(result: Mapping[str, Any]) -> Closure | None:
    """The closure of a ``tally`` answer, or None for an open year."""
    closed = result.get("closed")
    if not isinstance(closed, Mapping):
        return None
    return Closure(str(closed.get("at") or ""), str(closed.get("by") or ""), str(closed.get("source") or ""),
                   tuple(result.get("live_differs") or ()))


def closed_tally(ctx: AppContext, fiscal_year: int) -> ClosedRow | None:
    """The live closed tally of ``fiscal_year``, or None while the year is open."""
    with ctx.db.engine.connect() as conn:
        return queries.closed_tallies(conn, fiscal_year).get(fiscal_year)


def closed_years(ctx: AppContext) -> dict[int, ClosedRow]:
    """Every closed fiscal year and its closed tally."""
    with ctx.db.engine.connect() as conn:
        return queries.closed_tallies(conn)


COUNTING_DATES: dict[str, str] = {
    "events": "held_from",
    "trials": "held_from",
    "needs": "received_on",
    "support_activities": "on",
}
"""The field whose date puts a record in a fiscal year's tally (SYNC_FORMAT §5); a matching
counts in the year of each of its stages' ``on``."""


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _counting_days(entity: str, data: Mapping[str, Any]) -> Iterator[dt.date]:
    if entity == "matchings":
        stages = data.get("stages")
        for stage in stages if isinstance(stages, list) else ():
            day = _day(stage.get("on")) if isinstance(stage, Mapping) else None
            if day is not None:
                yield day
        return
    field = COUNTING_DATES.get(entity)
    day = _day(data.get(field)) if field else None
    if day is not None:
        yield day


def counting_years(entity: str, data: Mapping[str, Any]) -> set[int]:
    """The fiscal years whose tally this record's dates put it in: an event's or trial's
    ``held_from`` (whatever its status: marking it held would count it there), a need's
    ``received_on``, a support activity's ``on``, each stage ``on`` of a matching. Other
    entities, and records whose date is missing or unreadable, count in no year."""
    return {fiscal_year_of(day) for day in _counting_days(entity, data)}


def closed_year_of(
    ctx: AppContext, entity: str, data: Mapping[str, Any], closed: Collection[int] | None = None,
) -> int | None:
    """The closed fiscal year this record counts in (the latest, for a matching with stages in
    several), or None: changing such a record does not change that year's official figures.
    ``closed`` is the set of closed years when the caller has read it already."""
    years = counting_years(entity, data)
    if not years:
        return None
    known = closed if closed is not None else closed_years(ctx).keys()
    found = years & set(known)
    return max(found) if found else None


def _secretariat_only(ctx: AppContext, what: str) -> None:
    if not ctx.is_secretariat:
        raise PermissionDenied(f"{what}できるのは事務局だけです。")


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def close_year(ctx: AppContext, fiscal_year: int, note: str | None = None) -> records.Saved:
    """Fix ``fiscal_year``'s tally as its official figures (source ``app``); refuses a closed year."""
    from jcim_desktop.services.tally import live_tally

    _secretariat_only(ctx, "年度を確定")
    existing = closed_tally(ctx, fiscal_year)
    if existing is not None:
        raise UserError(
            f"{format_fiscal_year(fiscal_year)}はすでに確定しています（{existing.closed_at[:10]}、{existing.closed_by}）。"
            "確定し直すには、先に確定を取り消してください（reopen）。"
        )
    figures = live_tally(ctx, fiscal_year)["kpis"]
    data = {
        "fiscal_year": fiscal_year, "closed_at": _now(), "closed_by": ctx.user_name, "source": "app",
        "kpis": figures, "note": (note or "").strip() or None,
    }
    return records.create(ctx, "closed_tallies", data, owner=SECRETARIAT)


def reopen_year(ctx: AppContext, fiscal_year: int) -> records.Saved:
    """Tombstone ``fiscal_year``'s closed tally: the live figures become the year's figures again."""
    _secretariat_only(ctx, "年度の確定を取り消")
    existing = closed_tally(ctx, fiscal_year)
    if existing is None:
        raise UserError(f"{format_fiscal_year(fiscal_year)}は確定していません。")
    return records.delete(ctx, "closed_tallies", existing.record_id)


def published_figures(text_pairs: Mapping[str, str]) -> dict[str, float]:
    """KPI code → value from typed text (``--kpi CODE=VALUE`` or the window's fields), with a
    Japanese message naming the KPI for a value that is not a number."""
    errors: dict[str, str] = {}
    figures: dict[str, float] = {}
    for code, text in text_pairs.items():
        if code not in kpi_rules.KPI_BY_CODE:
            errors[code] = f"KPI コード「{code}」はありません（{', '.join(kpi_rules.KPI_CODES)}）。"
            continue
        label = kpi_rules.KPI_BY_CODE[code].label
        cleaned = str(text).strip().replace(",", "").replace("％", "%")
        try:
            value = float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(cleaned)
        except ValueError:
            errors[code] = f"{label}の値「{text}」は数ではありません。"
            continue
        if value < 0 or value != value or value in (float("inf"),):
            errors[code] = f"{label}の値「{text}」は 0 以上の数で入力してください。"
            continue
        if kpi_rules.KPI_BY_CODE[code].is_rate and value > 1:
            errors[code] = f"{label}は割合（0～1、または 62.5% のように）で入力してください。"
            continue
        figures[code] = int(value) if value.is_integer() and not kpi_rules.KPI_BY_CODE[code].is_rate else value
    if errors:
        raise ValidationError(errors)
    return figures


def record_published(
    ctx: AppContext, fiscal_year: int, figures: Mapping[str, float], note: str | None = None,
) -> records.Saved:
    """Record a past year's published totals (source ``published``). Figures already recorded for
    the year are kept unless given again; a year closed from this application's tally is refused."""
    _secretariat_only(ctx, "公表値を記録")
    if not figures:
        raise ValidationError({"kpis": "公表値を一つ以上入力してください。"})
    unknown = [code for code in figures if code not in kpi_rules.KPI_BY_CODE]
    if unknown:
        raise ValidationError({"kpis": f"KPI コード「{'」「'.join(unknown)}」はありません。"})
    existing = closed_tally(ctx, fiscal_year)
    if existing is not None and existing.source != "published":
        raise UserError(
            f"{format_fiscal_year(fiscal_year)}はこのアプリの集計で確定しています。公表値を入れるには、先に確定を取り消してください。"
        )
    kpis: dict[str, Any] = dict(existing.kpis) if existing is not None else {}
    for code, value in figures.items():
        kpis[code] = {"total": value}
    data = {
        "fiscal_year": fiscal_year, "closed_at": _now(), "closed_by": ctx.user_name, "source": "published",
        "kpis": kpis, "note": (note or "").strip() or (existing.note if existing is not None else None),
    }
    if existing is None:
        return records.create(ctx, "closed_tallies", data, owner=SECRETARIAT)
    return records.update(ctx, "closed_tallies", existing.record_id, data)
