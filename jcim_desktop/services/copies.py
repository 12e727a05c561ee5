"""複製: what a copy of a record keeps and what it starts afresh, so that a copy never counts twice.

A copy is the same activity planned again: it keeps what describes the activity (title, type,
place, municipalities, plan) and leaves out what describes one occurrence of it (the days it
was held, how many took part, the result), starting as planned. A held event copied as held
would count twice in the KPI tally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext

OCCURRENCE_FIELDS: tuple[str, ...] = ("held_from", "held_to", "participants", "result")
"""Fields that describe one occurrence rather than the activity: a copy starts without them."""
STARTS_PLANNED: frozenset[str] = frozenset({"events", "trials"})
"""Entities whose copies start as planned (their held records count in the KPIs)."""


def copy_data(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The data a copy of a record of ``entity`` with ``data`` starts from (not saved)."""
    template = dict(data)
    if entity in STARTS_PLANNED:
        for name in OCCURRENCE_FIELDS:
            if name in template:
                template[name] = None
        template["status"] = "planned"
    return template


def copy_template(ctx: AppContext, entity: str, record_id: str) -> dict[str, Any]:
    """The data a copy of record ``record_id`` starts from (NotFound if it is gone)."""
    return copy_data(entity, records.get(ctx, entity, record_id).data)
