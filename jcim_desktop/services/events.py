"""Events (活動・行事) and the presentations of pitch events."""

from __future__ import annotations

import datetime as dt

from jcim_desktop.domain.dates import parse_planned
from sqlalchemy import select

from jcim_desktop.domain.fiscal import fiscal_year_bounds, fiscal_year_of
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import Event


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
    if event.data["event_type"] != "pitch_event":
        raise ValidationError({"event_id": "発表を登録できるのはピッチイベントだけです。"})
    data = {"event_id": event_id, "seed_id": seed_id, "need_id": need_id, "order": order, "note": note}
    return records.create(ctx, "pitch_presentations", data, owner=event.owner)


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
