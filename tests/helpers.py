"""Helpers shared by tests (plain functions, not fixtures)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain.lgcodes import default_registry
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.bulk import envelope_row, upsert_rows
from jcim_desktop.store.models import MODELS

# A need every backup and fault test can store (福山市's code, written out: no registry lookup).
NEED: dict[str, Any] = {"lg_code": "342076", "title": "河川堤防の点検", "facility_types": [],
                        "requirements": "夜間の点検", "received_on": "2024-05-10", "status": "open"}


def dump(path: Path) -> list[str]:
    """A database file's whole content as SQL text (schema and rows), for before/after comparison."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def content(ctx: AppContext) -> list[str]:
    """The content of an open installation's database, as ``dump`` gives it."""
    return dump(ctx.db.path)


def code(name: str) -> str:
    """The local-government code of a name such as 福山市 (the first search hit, checked exactly)."""
    hits = [lg for lg in default_registry().search(name, limit=5) if lg.name == name or lg.full_name == name]
    assert hits, name
    return hits[0].lg_code


def envelopes(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with ctx.reading() as session:
        for entity, model in MODELS.items():
            out[entity] = [
                {"id": o.id, "owner": o.owner, "hlc": o.hlc, "vv": dict(o.vv), "deleted": o.deleted, "data": o.to_data()}
                for o in session.scalars(select(model))
            ]
    return out


def transfer(source: AppContext, target: AppContext) -> None:
    """Copy every record of ``source`` into ``target`` as received (a stand-in for a sync package)."""
    with target.db.engine.begin() as conn:
        for entity, envs in envelopes(source).items():
            upsert_rows(conn, entity, [envelope_row(entity, e) for e in envs])
