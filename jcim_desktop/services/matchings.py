"""Matchings (マッチング): pairing a need with a seed and moving it along the pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from jcim_desktop.domain import matching as rules
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import edit_conflicts, records, trials
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.listing import NeedRef, SeedRef
from jcim_desktop.store import queries
from jcim_desktop.store.models import Matching, Need, Seed, Trial


def create_matching(
    ctx: AppContext,
    need_id: str,
    seed_id: str,
    *,
    considered_on: dt.date,
    pitch_event_id: str | None = None,
    note: str | None = None,
    owner: str | None = None,
) -> records.Saved:
    """Pair a need with a seed; the pairing starts at マッチング検討 on ``considered_on``."""
    stages = rules.to_dicts([rules.Stage("considered", considered_on, note)])
    data = {"need_id": need_id, "seed_id": seed_id, "pitch_event_id": pitch_event_id, "stages": stages}
    return records.create(ctx, "matchings", data, owner=owner)


def advance_stage(
    ctx: AppContext, matching_id: str, stage: str, on: dt.date, note: str | None = None, *,
    expected_hlc: str | None = None,
) -> records.Saved:
    """Move a pairing to ``stage`` on ``on`` (成立, 社会実装, 不成立, or 検討 again to reopen).

    ``expected_hlc``: the version of the pairing the person saw (a card as painted, a dialog as
    opened). If a colleague recorded a stage or deleted the pairing since (or the change log
    cannot say what changed), nothing is written and ``EditConflict`` says who and when (its
    ``current``: the pairing as stored now); a colleague's change of its other fields does not
    hold the move up. None moves the pairing as stored now."""
    current = records.get(ctx, "matchings", matching_id, include_deleted=expected_hlc is not None)
    if expected_hlc is not None and current.hlc != expected_hlc:
        conflict = edit_conflicts.describe(ctx, current, None, expected_hlc, None)
        if current.deleted or not conflict.changed_fields or "stages" in conflict.changed_fields:
            raise conflict
    # (A pairing deleted in the version shown is refused by the update below: it is not there.)
    stages = rules.parse_stages(current.data["stages"])
    try:
        advanced = rules.advance(stages, stage, on, note)
    except ValueError as exc:
        raise ValidationError({"stages": str(exc)}) from exc
    # Written on the stages read above: a colleague's stage recorded in between is not lost
    # (``EditConflict``, nothing written: read again and choose).
    return records.update(ctx, "matchings", matching_id, {"stages": rules.to_dicts(advanced)},
                          expected_hlc=current.hlc)


def trial_template(ctx: AppContext, matching_id: str) -> dict[str, Any]:
    """The data a field trial of a matching starts from (現場試行を登録): linked to the matching,
    planned, with what a trial takes from its matching (``trials.copied_from_matching``)."""
    return {"matching_id": matching_id, "status": "planned", **trials.copied_from_matching(ctx, matching_id)}


def stage_history(ctx: AppContext, matching_id: str) -> list[rules.Stage]:
    return rules.parse_stages(records.get(ctx, "matchings", matching_id).data["stages"])


def pipeline_counts(ctx: AppContext, fiscal_year: int, owners: list[str] | None = None) -> dict[str, int]:
    """How many pairings reached each pipeline step in the year (検討 → 成立 → 現場試行 → 社会実装, 不成立).

    A step counts a pairing once if it got there during the year (a stage's day as the tally
    reads it); 現場試行 counts held trials linked to a pairing. The window's funnel shows where
    pairings stall.
    """
    with ctx.db.engine.connect() as conn:
        counts = queries.matching_stage_counts(conn, fiscal_year, owners)
    return {step: counts.get(step, 0) for step in (*rules.PIPELINE, "dropped")}


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


BOARD_COLUMNS: tuple[str, ...] = queries.BOARD_COLUMNS
"""The board's columns: pipeline steps (``domain.matching.PIPELINE``) and 不成立, in order."""

CARDS_SHOWN = 40
"""Cards a column shows, newest first: at a secretariat's scale a year may hold thousands of
pairings, which would take the window seconds to lay out (and the service to read)."""


@dataclass(frozen=True)
class Card:
    """A pairing on the pipeline board.

    ``need``/``seed``: what the pairing joins, None when that record has not been received
    (yet); ``hlc``: the version read (a move names it: ``advance_stage``); ``stage_on``: the day
    of its latest stage; ``trials``: field trials linked to it.
    """

    id: str
    owner: str
    hlc: str
    column: str
    need: NeedRef | None
    seed: SeedRef | None
    stage_on: dt.date | None
    trials: int
    writable: bool
    next_stages: tuple[str, ...]


@dataclass(frozen=True)
class Board:
    """The board of a year: each column's newest cards (at most ``CARDS_SHOWN``, latest stage
    first) and how many pairings each column holds in all (``totals``)."""

    columns: dict[str, list[Card]]
    totals: dict[str, int]


def board(
    ctx: AppContext, fiscal_year: int, owners: list[str] | None = None, shown: int = CARDS_SHOWN
) -> Board:
    """Pairings by pipeline column for the year: those with a stage in it, and those still open.

    A pairing is in 現場試行 once it is established and has a field trial linked to it. Columns
    are counted by aggregate and only the cards shown are read in full.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    with ctx.reading() as session:
        rows = queries.matching_board(session.connection(), start, end, owners, shown)
        ids = [matching_id for code in BOARD_COLUMNS for matching_id in rows.newest[code]]
        pairings = {m.id: m for m in session.scalars(select(Matching).where(Matching.id.in_(ids)))} if ids else {}
        trial_counts: dict[str, int] = {}
        if ids:
            for matching_id, n in session.execute(
                select(Trial.matching_id, func.count())
                .where(Trial.deleted.is_(False), Trial.matching_id.in_(ids))
                .group_by(Trial.matching_id)
            ):
                trial_counts[str(matching_id)] = int(n)
        need_ids = {m.need_id for m in pairings.values()}
        seed_ids = {m.seed_id for m in pairings.values()}
        needs = {n.id: n for n in session.scalars(select(Need).where(Need.id.in_(need_ids)))} if need_ids else {}
        seeds = {s.id: s for s in session.scalars(select(Seed).where(Seed.id.in_(seed_ids)))} if seed_ids else {}
    columns: dict[str, list[Card]] = {code: [] for code in BOARD_COLUMNS}
    for code in BOARD_COLUMNS:
        for matching_id in rows.newest[code]:
            m = pairings[matching_id]
            stages = rules.parse_stages(m.stages)
            need = needs.get(m.need_id)
            seed = seeds.get(m.seed_id)
            lg = ctx.registry.get(need.lg_code) if need is not None else None
            columns[code].append(
                Card(
                    id=m.id,
                    owner=m.owner,
                    hlc=m.hlc,
                    column=code,
                    need=NeedRef(need.title, lg.full_name if lg else "") if need is not None else None,
                    seed=SeedRef(seed.company, seed.tech_name) if seed is not None else None,
                    stage_on=stages[-1].on if stages else None,
                    trials=trial_counts.get(m.id, 0),
                    writable=ctx.can_write(m.owner),
                    next_stages=tuple(rules.allowed_next(stages)),
                )
            )
    return Board(columns, rows.totals)
