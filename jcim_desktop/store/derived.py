"""Columns derived from a record's data: search keys and the matching stage summary.

Kept in one function so the ORM path (``store.stamping``) and bulk Core statements (sync
import) derive them identically.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from jcim_desktop.domain.lgcodes import default_registry
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.domain.text import normalize_company, normalize_for_search
from jcim_desktop.domain.vocab import EVENT_TYPES, FACILITY_TYPES, MATCHING_STAGES, SUPPORT_KINDS

# The data fields whose text an incremental search looks through, per entity.
_SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "events": ("title", "venue", "description"),
    "pitch_presentations": ("note",),
    "needs": ("title", "requirements", "survey"),
    "seeds": ("company", "tech_name", "summary", "netis_no"),
    "matchings": (),
    "trials": ("title", "result"),
    "support_activities": ("note", "country"),
    "municipality_status": (),
    "kpi_targets": ("kpi",),
    "closed_tallies": ("note", "closed_by"),
    "trusted_keys": ("label",),
}


@functools.cache
def _lg_names(code: str) -> str:
    """The normalised name and reading of a local government (cached: 1,788 of them)."""
    lg = default_registry().get(code)
    return normalize_for_search(f"{lg.full_name}{_SEP}{lg.name_kana}") if lg is not None else ""


@functools.cache
def _label(text: str) -> str:
    return normalize_for_search(text)


@functools.cache
def org_search_key(code: str) -> str:
    """An org's name as the search text holds it (a co-host of an event)."""
    org = ORGS.get(code)
    return normalize_for_search(org.name) if org is not None else ""


# Parts are joined before normalising (one normalisation per record, not one per field); the
# separator survives normalisation, so a query never matches across two fields.
_SEP = "|"


def search_text(entity: str, data: Mapping[str, Any]) -> str:
    # Free text is normalised per record; names and labels come normalised from caches.
    free: list[str] = [str(data.get(f) or "") for f in _SEARCH_FIELDS.get(entity, ())]
    planned = data.get("planned")
    if isinstance(planned, Mapping):
        free.append(str(planned.get("text") or ""))
    parts = [normalize_for_search(_SEP.join(p for p in free if p))]
    codes: list[Any] = list(data.get("lg_codes") or [])
    if data.get("lg_code"):
        codes.append(data["lg_code"])
    parts.extend(_lg_names(str(code)) for code in codes)
    if entity == "events" and data.get("event_type") in EVENT_TYPES:
        parts.append(_label(EVENT_TYPES[str(data["event_type"])]))
    if entity == "support_activities" and data.get("kind") in SUPPORT_KINDS:
        parts.append(_label(SUPPORT_KINDS[str(data["kind"])]))
    for org in data.get("co_hosts") or ():
        parts.append(org_search_key(str(org)))
    for ft in data.get("facility_types") or ():
        parts.append(_label(FACILITY_TYPES.get(str(ft), "")))
    return _SEP.join(p for p in parts if p)


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def derived_columns(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Derived column values (attribute → value) for a record of ``entity`` with ``data``."""
    derived: dict[str, Any] = {"search_text": search_text(entity, data)}
    if entity == "seeds":
        derived["company_key"] = normalize_company(str(data.get("company") or ""))
    elif entity == "matchings":
        # Stages were validated already (entities.clean); read the summary straight off them.
        stages = [s for s in data.get("stages") or [] if isinstance(s, Mapping)]
        dates = [str(s.get("on")) for s in stages if s.get("on")]
        derived["current_stage"] = stages[-1].get("stage") if stages else None
        derived["first_stage_on"] = _date_or_none(min(dates)) if dates else None
        derived["last_stage_on"] = _date_or_none(max(dates)) if dates else None
        derived["stage_days"] = stage_days(stages)
    return derived


STAGE_DAY_SEP, STAGE_ENTRY_SEP = "@", ";"


def stage_days(stages: list[Mapping[str, Any]]) -> str:
    """``considered@2024-05-01;established@2024-07-01``: each stage of a known code with a day, as
    the history holds them (read back by ``stages_within``)."""
    return STAGE_ENTRY_SEP.join(
        f"{s.get('stage')}{STAGE_DAY_SEP}{s.get('on')}" for s in stages
        if s.get("stage") in MATCHING_STAGES and s.get("on") and STAGE_ENTRY_SEP not in str(s.get("on"))
    )


def stages_within(text: str | None, start_iso: str, end_iso: str) -> set[str]:
    """The codes of the stages ``stage_days`` wrote whose day is within ``start_iso`` …
    ``end_iso`` (ISO text compared as text, as the tally compares it)."""
    if not text:
        return set()
    return {part.partition(STAGE_DAY_SEP)[0] for part in text.split(STAGE_ENTRY_SEP)
            if start_iso <= part.partition(STAGE_DAY_SEP)[2] <= end_iso}
