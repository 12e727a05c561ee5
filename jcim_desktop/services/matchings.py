"""Matchings (マッチング): pairing a need with a seed and moving it along the pipeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from jcim_desktop.domain import matching as rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import Matching, Trial


def create_matching(
    ctx: AppContext,
    need_id: str,
    seed_id: str,
    *,
    considered_on: dt.date,
    pitch_event_id: str | None = None,
    note: str | None = None,
    owner: str | None = None,
) -> records.Record:
    """Pair a need with a seed; the pairing starts at マッチング検討 on ``considered_on``."""
    stages = rules.to_dicts([rules.Stage("considered", considered_on, note)])
    data = {"need_id": need_id, "seed_id": seed_id, "pitch_event_id": pitch_event_id, "stages": stages}
    return records.create(ctx, "matchings", data, owner=owner)


def advance_stage(
    ctx: AppContext, matching_id: str, stage: str, on: dt.date, note: str | None = None
) -> records.Record:
    """Move a pairing to ``stage`` on ``on`` (成立, 社会実装, 不成立, or 検討 again to reopen)."""
    current = records.get(ctx, "matchings", matching_id)
    stages = rules.parse_stages(current.data["stages"])
    try:
        advanced = rules.advance(stages, stage, on, note)
    except ValueError as exc:
        raise ValidationError({"stages": str(exc)}) from exc
    return records.update(ctx, "matchings", matching_id, {"stages": rules.to_dicts(advanced)})


def stage_history(ctx: AppContext, matching_id: str) -> list[rules.Stage]:
    return rules.parse_stages(records.get(ctx, "matchings", matching_id).data["stages"])


def pipeline_counts(ctx: AppContext, fiscal_year: int, owners: list[str] | None = None) -> dict[str, int]:
    """How many pairings reached each pipeline step in the year (検討 → 成立 → 現場試行 → 社会実装, 不成立).

    A step counts a pairing once if it got there during the year; 現場試行 counts held trials
    linked to a pairing. The window's funnel shows where pairings stall.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    counts = {step: 0 for step in (*rules.PIPELINE, "dropped")}
    with ctx.reading() as session:
        stmt = select(Matching.stages).where(
            Matching.deleted.is_(False), Matching.first_stage_on <= end, Matching.last_stage_on >= start
        )
        if owners:
            stmt = stmt.where(Matching.owner.in_(owners))
        for (raw,) in session.execute(stmt):
            for stage in rules.stages_in_period(rules.parse_stages(raw), start, end):
                counts[stage] = counts.get(stage, 0) + 1
        trial_stmt = select(func.count()).where(
            Trial.deleted.is_(False),
            Trial.status == "held",
            Trial.matching_id.is_not(None),
            Trial.held_from >= start,
            Trial.held_from <= end,
        )
        if owners:
            trial_stmt = trial_stmt.where(Trial.owner.in_(owners))
        counts["trial"] = int(session.scalar(trial_stmt) or 0)
    return counts


def by_stage(ctx: AppContext, owners: list[str] | None = None) -> dict[str | None, list[records.Record]]:
    """Pairings grouped by their current stage."""
    grouped: dict[str | None, list[records.Record]] = {}
    query = records.Query(owners=owners)
    for rec in records.list_records(ctx, "matchings", query):
        grouped.setdefault(rules.current_stage(rules.parse_stages(rec.data["stages"])), []).append(rec)
    return grouped


def describe(ctx: AppContext, rec: records.Record) -> dict[str, Any]:
    """The need and seed a pairing joins, for display (either may be unknown locally)."""
    out: dict[str, Any] = {"need": None, "seed": None}
    for key, entity in (("need", "needs"), ("seed", "seeds")):
        try:
            out[key] = records.get(ctx, entity, rec.data[f"{key}_id"], include_deleted=True)
        except Exception:  # noqa: BLE001 - a reference to a record not (yet) received is normal
            out[key] = None
    return out
