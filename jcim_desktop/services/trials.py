"""実証実験・現場試行: what a field trial takes from the records it is linked to."""

from __future__ import annotations

from jcim_desktop.errors import NotFound
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext

FROM_MATCHING: tuple[str, ...] = ("need_id", "seed_id", "pitch_event_id")
"""The links a trial copies from its matching (and, through the need, its municipality)."""


def copied_from_need(ctx: AppContext, need_id: str) -> dict[str, str]:
    """What a trial takes from its need: the municipality (``lg_code``); nothing if the need is gone."""
    try:
        need = records.get(ctx, "needs", need_id)
    except NotFound:
        return {}
    lg_code = need.get("lg_code")
    return {"lg_code": str(lg_code)} if lg_code else {}


def copied_from_matching(ctx: AppContext, matching_id: str) -> dict[str, str]:
    """What a trial takes from its matching: the need, the seed and the pitch event where they met,
    and the need's municipality. Only what the matching holds; nothing if it is gone."""
    try:
        matching = records.get(ctx, "matchings", matching_id)
    except NotFound:
        return {}
    copied = {name: str(matching[name]) for name in FROM_MATCHING if matching.get(name)}
    if "need_id" in copied:
        copied.update(copied_from_need(ctx, copied["need_id"]))
    return copied
