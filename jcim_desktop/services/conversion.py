"""One classification: an event that was really a field trial becomes a trial record.

``convert_event_to_trial`` tombstones the event and registers the trial in one transaction
(both or neither): the trial keeps the event's title, 開催回, plan, status, dates and its one
local government; the event's 内容, 会場 and 参加者数 go into the trial's 結果 (a trial has no
such fields; ``domain.classification.trial_from_event``). The tombstone stays restorable and
travels like any delete, so every installation sees the same change.

An event that other records refer to as their pitch event (matchings, trials, pitch
presentations) is refused: those links would point at a tombstone.

``conversion_effect`` says beforehand how the KPI figures of the event's fiscal year and owner
move, by doing the conversion in a transaction that is rolled back and tallying before and
after on the same connection: the figures are the tally's own, never a second set of rules.

``create_together`` writes new records of several entities in one transaction (the activity
plan's events and trials), with the checks ``records.create`` makes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcim_desktop.domain import kpi as kpi_rules
from jcim_desktop.domain.classification import trial_from_event
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import queries
from jcim_desktop.store.models import MODELS, Enveloped, Matching, PitchPresentation, Trial, new_record

# The checks are those of records.create / records.delete (one place says what may be written).
_load = records._load
_check_owner = records._check_owner
_check_references = records._check_references


@dataclass(frozen=True)
class Converted:
    """What a conversion wrote: the event's tombstone and the new trial."""

    event: records.Record
    trial: records.Record

    @property
    def changes(self) -> Changes:
        return self.event.changes | self.trial.changes


def _referrers(session: Session, event_id: str) -> dict[str, int]:
    """How many live records of each entity refer to the event as their pitch event."""
    found: dict[str, int] = {}
    for entity, column in (("matchings", Matching.pitch_event_id), ("trials", Trial.pitch_event_id),
                           ("pitch_presentations", PitchPresentation.event_id)):
        model = MODELS[entity]
        n = int(session.scalar(select(func.count()).select_from(model).where(
            column == event_id, model.deleted.is_(False))) or 0)
        if n:
            found[entity] = n
    return found


_REFERRER_NAMES = {"matchings": "マッチング", "trials": "実証実験", "pitch_presentations": "ピッチの発表"}


def _refuse_referred(session: Session, event: Enveloped) -> None:
    found = _referrers(session, event.id)
    if found:
        listed = "・".join(f"{_REFERRER_NAMES[entity]} {n} 件" for entity, n in found.items())
        raise UserError(
            f"「{event.to_data()['title']}」は {listed} からピッチイベントとして参照されているため、"
            "実証実験に変えられません。ピッチイベントはそのまま残し、実証実験は別に登録してください。"
        )


def refusal(ctx: AppContext, event_id: str) -> str | None:
    """Why event ``event_id`` cannot become a trial (referred to as a pitch event, or another
    organisation's record), or None when it can."""
    with ctx.reading() as session:
        event = _load(session, "events", event_id)
        try:
            _check_owner(ctx, "events", event.owner)
            _refuse_referred(session, event)
        except UserError as exc:
            return exc.message
    return None


def _lg_code_problem(event_data: Mapping[str, Any]) -> str:
    codes = event_data.get("lg_codes") or []
    if not codes:
        return ("実証実験には自治体が1つ必要ですが、この行事には参加・支援した自治体がありません。"
                "実証実験を行った自治体を選んでください。")
    return (f"この行事には参加・支援した自治体が {len(codes)} つあります。"
            "実証実験を行った自治体を1つ選んでください。")


def _convert_in(ctx: AppContext, session: Session, event_id: str, lg_code: str | None) -> tuple[Enveloped, Enveloped]:
    """Tombstone the event and add its trial in ``session`` (flushed, not committed)."""
    event = _load(session, "events", event_id)
    _check_owner(ctx, "events", event.owner)
    _refuse_referred(session, event)
    event_data = event.to_data()
    data = trial_from_event(event_data, lg_code)
    if not data["lg_code"]:
        raise ValidationError({"lg_code": _lg_code_problem(event_data)})
    _check_owner(ctx, "trials", event.owner)
    cleaned = records.clean(ctx, "trials", data)
    _check_references(session, "trials", cleaned)
    event.deleted = True
    trial = new_record(Trial, str(uuid.uuid4()), event.owner)
    trial.apply_data(cleaned)
    session.add(trial)
    session.flush()
    return event, trial


def convert_event_to_trial(ctx: AppContext, event_id: str, lg_code: str | None = None) -> Converted:
    """Turn event ``event_id`` into a trial (one transaction: both writes or neither).

    ``lg_code`` is the trial's local government; without it the event's only one. An event with
    none or several raises ``ValidationError({"lg_code": …})`` asking to choose; one referred to
    as a pitch event raises ``UserError``.
    """
    with ctx.unit_of_work() as session:
        event, trial = _convert_in(ctx, session, event_id, lg_code)
        return Converted(records.to_record(event), records.to_record(trial))


def effect_fiscal_year(event_data: Mapping[str, Any]) -> int | None:
    """The fiscal year whose figures a conversion moves: the held date's, else the plan's."""
    planned = event_data.get("planned") or {}
    when = event_data.get("held_from") or planned.get("start")
    if not isinstance(when, str) or len(when) < 10:
        return None
    return fiscal_year_of(dt.date.fromisoformat(when[:10]))


def _owner_figures(session: Session, fiscal_year: int, owner: str) -> dict[str, int]:
    facts = queries.collect_tally_facts(session.connection(), fiscal_year)
    figures: Any = kpi_rules.assemble_tally(facts, {})["kpis"]
    return {code: int(figures[code]["by_org"].get(owner, 0)) for code in kpi_rules.COUNT_KPIS}


class _RollBack(Exception):
    """Ends the simulated conversion: nothing it did is kept."""


def conversion_effect(ctx: AppContext, event_id: str, lg_code: str | None = None) -> dict[str, tuple[int, int]]:
    """KPI code → (figure before, figure after) for the event's owner in the event's fiscal year
    (``effect_fiscal_year``), for every figure that the conversion would change; nothing is
    written. Raises what ``convert_event_to_trial`` would raise."""
    event = records.get(ctx, "events", event_id)
    fiscal_year = effect_fiscal_year(event.data)
    found: dict[str, tuple[int, int]] = {}
    try:
        with ctx.unit_of_work() as session:
            before = _owner_figures(session, fiscal_year, event.owner) if fiscal_year is not None else {}
            _convert_in(ctx, session, event_id, lg_code)
            if fiscal_year is not None:
                after = _owner_figures(session, fiscal_year, event.owner)
                found = {code: (before[code], after[code]) for code in kpi_rules.COUNT_KPIS if before[code] != after[code]}
            raise _RollBack
    except _RollBack:
        pass
    return found


def create_together(ctx: AppContext, items: Sequence[tuple[str, Mapping[str, Any]]],
                    *, owner: str | None = None) -> list[records.Record]:
    """Register new records of several entities (``(entity, data)``, in order) in one transaction:
    all of them, or (on any error) none, with the checks of ``records.create_many``."""
    owner = owner or ctx.default_owner()
    for entity in {entity for entity, _ in items}:
        _check_owner(ctx, entity, owner)
    cleaned_items = []
    for index, (entity, data) in enumerate(items, start=1):
        try:
            cleaned_items.append((entity, records.clean(ctx, entity, data)))
        except ValidationError as exc:
            raise ValidationError({f"{index}件目 {k}": v for k, v in exc.errors.items()}) from exc
    with ctx.unit_of_work() as session:
        objs = []
        for entity, cleaned in cleaned_items:
            _check_references(session, entity, cleaned)
            obj = new_record(MODELS[entity], str(uuid.uuid4()), owner)
            obj.apply_data(cleaned)
            session.add(obj)
            objs.append(obj)
        session.flush()
        return [records.to_record(o) for o in objs]
