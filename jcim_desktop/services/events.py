"""Events (活動・行事) and the presentations of pitch events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain.dates import parse_planned
from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import Event

PITCH_EVENT = "pitch_event"


def planned_from_text(text: str, fiscal_year: int) -> dict[str, object]:
    """The PlannedDate dict for what a person typed into 開催予定日."""
    return parse_planned(text, fiscal_year).to_dict()


def add_presentation(
    ctx: AppContext,
    event_id: str,
    seed_id: str,
    *,
    need_id: str | None = None,
    order: int | None = None,
    note: str | None = None,
) -> records.Record:
    event = records.get(ctx, "events", event_id)
    if event.data["event_type"] != PITCH_EVENT:
        raise ValidationError({"event_id": "発表を登録できるのはピッチイベントだけです。"})
    data = {"event_id": event_id, "seed_id": seed_id, "need_id": need_id, "order": order, "note": note}
    return records.create(ctx, "pitch_presentations", data, owner=event.owner)


@dataclass(frozen=True)
class EventSaved:
    """An event as :func:`save_event` left it, and what it could not do with the presentations.

    ``not_added`` (presentations as given) and ``not_removed`` (ids) are left for another try;
    ``not_pitch`` says the presentations were kept back because the event is not a pitch event,
    ``problems`` holds the user errors met registering or removing the others.
    """

    event: records.Saved
    not_added: tuple[Mapping[str, Any], ...] = ()
    not_removed: tuple[str, ...] = ()
    not_pitch: bool = False
    problems: tuple[str, ...] = ()
    presentations_written: bool = False

    @property
    def complete(self) -> bool:
        return not (self.not_added or self.not_removed)

    @property
    def changes(self) -> Changes:
        if self.presentations_written:
            return self.event.changes | Changes.records("pitch_presentations")
        return self.event.changes


def save_event(
    ctx: AppContext,
    event_id: str | None,
    data: Mapping[str, Any],
    *,
    owner: str | None = None,
    added: Iterable[Mapping[str, Any]] = (),
    removed: Iterable[str] = (),
    expected_hlc: str | None = None,
) -> EventSaved:
    """Create (``event_id`` None) or update an event, then register the presentations ``added``
    (``seed_id``, ``need_id``, ``order``, ``note``) and delete the presentations ``removed``.

    A ``ValidationError`` of the event itself leaves everything unchanged, and so does an
    ``EditConflict`` when the stored event is no longer the version ``expected_hlc`` names
    (``records.update``). The event is kept even when some presentations fail: they come back in
    the result, to be corrected and saved again.
    """
    if event_id is not None:
        event = records.update(ctx, "events", event_id, data, expected_hlc=expected_hlc)
    else:
        event = records.create(ctx, "events", data, owner=owner)
    added, removed = list(added), list(removed)
    not_added: list[Mapping[str, Any]] = []
    not_removed: list[str] = []
    problems: list[str] = []
    written = False
    is_pitch = event.data["event_type"] == PITCH_EVENT
    if not is_pitch:
        not_added = added
    else:
        for presentation in added:
            try:
                add_presentation(
                    ctx, event.id, presentation["seed_id"], need_id=presentation.get("need_id"),
                    order=presentation.get("order"), note=presentation.get("note"),
                )
            except ValidationError as exc:
                not_added.append(presentation)
                problems.extend(exc.errors.values())
            except UserError as exc:
                not_added.append(presentation)
                problems.append(exc.message)
            else:
                written = True
    for presentation_id in removed:
        try:
            records.delete(ctx, "pitch_presentations", presentation_id)
        except UserError as exc:
            not_removed.append(presentation_id)
            problems.append(exc.message)
        else:
            written = True
    return EventSaved(
        event, tuple(not_added), tuple(not_removed), not_pitch=bool(added) and not is_pitch,
        problems=tuple(dict.fromkeys(problems)), presentations_written=written,
    )


def presentations_of(ctx: AppContext, event_id: str) -> list[records.Record]:
    found = [
        r for r in records.list_records(ctx, "pitch_presentations", records.Query())
        if r.data["event_id"] == event_id
    ]
    found.sort(key=lambda r: (r.data.get("order") is None, r.data.get("order") or 0, r.hlc))
    return found


def mark_held(ctx: AppContext, entity: str, record_id: str, held_from: dt.date, held_to: dt.date | None = None) -> records.Record:
    """Record that a planned event or trial took place (実施済)."""
    return records.update(
        ctx, entity, record_id,
        {"status": "held", "held_from": held_from.isoformat(), "held_to": (held_to or held_from).isoformat()},
    )


def upcoming_and_overdue(
    ctx: AppContext, today: dt.date, days: int = 60, owners: list[str] | None = None
) -> tuple[list[records.Record], list[records.Record]]:
    """Planned events starting within ``days``, and those whose planned date has passed unmarked.

    Overdue looks back to the start of the previous fiscal year: older plans are history.
    Both are selected by date in SQL (indexed), so a year of 30,000 events costs no more.
    """
    horizon = today + dt.timedelta(days=days)
    since = fiscal_year_bounds(fiscal_year_of(today) - 1)[0]
    open_status = Event.status.in_(("planned", "confirmed"))
    base = [Event.deleted.is_(False), open_status]
    if owners:
        base.append(Event.owner.in_(owners))
    with ctx.reading() as session:
        upcoming = session.scalars(
            select(Event)
            .where(*base, Event.planned_start <= horizon, Event.planned_end >= today)
            .order_by(Event.planned_start, Event.id)
        ).all()
        overdue = session.scalars(
            select(Event)
            .where(*base, Event.planned_end < today, Event.planned_end >= since)
            .order_by(Event.planned_end, Event.id)
        ).all()
        return [records.to_record(e) for e in upcoming], [records.to_record(e) for e in overdue]
