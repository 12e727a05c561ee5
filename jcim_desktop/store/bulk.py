"""Bulk writes of whole envelopes with Core statements (sync merge, demo data).

These bypass the ORM's stamping on purpose: the envelope (hlc, vv) arrives with the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from jcim_desktop.store.derived import derived_columns
from jcim_desktop.store.models import MODELS, columns_from_data


def envelope_row(entity: str, envelope: Mapping[str, Any], data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Column values of a table row for ``envelope`` (``data`` overrides the envelope's data)."""
    model = MODELS[entity]
    payload = dict(data if data is not None else envelope.get("data") or {})
    row: dict[str, Any] = {
        "id": envelope["id"],
        "owner": envelope["owner"],
        "hlc": envelope["hlc"],
        "vv": dict(envelope["vv"]),
        "deleted": bool(envelope.get("deleted", False)),
    }
    row.update(columns_from_data(model, payload))
    row.update(derived_columns(entity, payload))
    return row


def upsert_rows(conn: Connection, entity: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert or replace rows (from ``envelope_row``) in one statement per call."""
    batch = list(rows)
    if not batch:
        return 0
    table = MODELS[entity].__table__  # type: ignore[attr-defined]
    stmt = sqlite_insert(table)
    update_cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"}
    conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update_cols), batch)
    return len(batch)
