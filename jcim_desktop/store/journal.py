"""The import journal: undoing an import without copying the whole database before it.

A backup before every import costs time that grows with the database (1 s at 1,000,000 records,
DESIGN.md), whatever the package's size. Instead, an import writes, in its own transaction, one
journal row per record already here that it changes: the row as it was (``before``), the
record's conflict versions before where it touched them, and what it left (``after_hlc``,
``after_vv``); the records it adds are listed, with what it left, in one row per batch
(``record_id`` ``ADDED``). The cost grows with what the import changes, not with the database.

Undoing an import (``undo``) puts back every row it changed as it was before, in one transaction,
and removes its ``received_packages`` row. Undoing an older import undoes the newer ones first
(as restoring the backup taken before it would), and it is refused, nothing written, if any
record it changed has changed since by anything else (a person's edit, a conflict resolved): the
restored copy would lose that change, and this installation would count its own changes again.
The journals of the newest ``keep`` imports are kept; the daily backups remain for the rest.

Rows are kept as the driver gives them (``SELECT *`` on SQLite; on PostgreSQL every column, the
JSON ones as their text), so a row comes back exactly as it was: the search keys and every
column included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Table, bindparam, select, text

from jcim_desktop.store.bulk import insert_tuples
from jcim_desktop.store.models import MODELS, ConflictVersion, ImportJournal, ReceivedPackage

_CHUNK = 5000
ADDED = "*"
"""The ``record_id`` of the row listing the records an import added (``after_vv``: [[id, hlc, vv], …])."""
_TABLE = ImportJournal.__tablename__
_CONFLICTS = ConflictVersion.__tablename__
_RECEIVED = ReceivedPackage.__tablename__


@dataclass(frozen=True)
class Change:
    """One record an import wrote: what it left (hlc and version vector)."""

    record_id: str
    after_hlc: str
    after_vv: Mapping[str, int]
    added: bool
    """The import added the record (it was not here before)."""


def _table(entity: str) -> Table:
    return MODELS[entity].__table__  # type: ignore[attr-defined]


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _stored_columns(conn: Connection, table: Table) -> str:
    """The select list that reads ``table``'s rows as the driver stores them: ``*`` on SQLite
    (JSON is text there); elsewhere each column, the JSON ones cast to their text (psycopg would
    parse them, and a parsed value is not what the driver takes back)."""
    if conn.dialect.name == "sqlite":
        return "*"
    return ", ".join(f'CAST("{c.name}" AS TEXT) AS "{c.name}"' if isinstance(c.type, JSON) else f'"{c.name}"'
                     for c in table.columns)


def _rows(conn: Connection, sql: str, ids: Sequence[str], **params: Any) -> list[dict[str, Any]]:
    """The rows of ``sql`` (its ``:ids`` a list) for ``ids``, a chunk at a time, as dicts."""
    query = text(sql).bindparams(bindparam("ids", expanding=True))
    found: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        found.extend(dict(row) for row in conn.execute(query, {**params, "ids": list(chunk)}).mappings())
    return found


def record(conn: Connection, received_id: int, entity: str, changes: Sequence[Change],
           conflicts_touched: Iterable[str]) -> None:
    """Journal what an import is about to write for ``entity`` (call before the writes)."""
    if not changes:
        return
    table = _table(entity)
    existing = [c.record_id for c in changes if not c.added]
    before = {row["id"]: row for row in _rows(
        conn, f'SELECT {_stored_columns(conn, table)} FROM "{table.name}" WHERE id IN :ids', existing)}
    touched = sorted(set(conflicts_touched))
    versions: dict[str, list[dict[str, Any]]] = {rid: [] for rid in touched}
    conflicts_table: Table = ConflictVersion.__table__  # type: ignore[assignment]
    for row in _rows(conn, f'SELECT {_stored_columns(conn, conflicts_table)} FROM "{_CONFLICTS}" '
                     "WHERE entity = :entity AND record_id IN :ids", touched, entity=entity):
        row.pop("id", None)
        versions[row["record_id"]].append(row)
    dumps = orjson.dumps
    params: list[tuple[Any, ...]] = []
    # The records the import adds need no image: one row lists them all (id, hlc, vv), which
    # keeps a first import of 100,000 records from writing 100,000 journal rows.
    added = [[c.record_id, c.after_hlc, c.after_vv] for c in changes if c.added]
    if added:
        params.append((received_id, entity, ADDED, None, "", dumps(added).decode("utf-8"), None))
    for change in changes:
        if change.added:
            continue
        rid = change.record_id
        stored = before.get(rid)
        params.append((
            received_id, entity, rid, dumps(stored).decode("utf-8") if stored is not None else None, change.after_hlc,
            dumps(change.after_vv).decode("utf-8"),
            dumps(versions[rid]).decode("utf-8") if rid in versions else None,
        ))
    insert_tuples(conn, _TABLE, ("received_id", "entity", "record_id", "before", "after_hlc", "after_vv", "conflicts"),
                  params)


@dataclass(frozen=True)
class Undoable:
    """An import that can be undone: its ``received_packages`` row and how many records it changed."""

    received_id: int
    package_id: str
    org: str
    sequence: int
    file_name: str
    received_at: str
    records: int


def undoable(conn: Connection) -> list[Undoable]:
    """The imports with a journal, newest first."""
    rows = conn.execute(text(
        f'SELECT r.id, r.package_id, r.org, r.sequence, r.file_name, r.received_at, r.counts FROM "{_RECEIVED}" r '
        f'WHERE r.id IN (SELECT DISTINCT received_id FROM "{_TABLE}") ORDER BY r.id DESC')).fetchall()
    return [Undoable(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], _changed(r[6])) for r in rows]


def _changed(counts: Any) -> int:
    """How many records an import changed: added, replaced or put in conflict."""
    found = orjson.loads(counts) if isinstance(counts, (str, bytes)) else counts or {}
    return sum(int(c.get("inserted", 0)) + int(c.get("updated", 0)) + int(c.get("conflicts", 0))
               for c in found.values() if isinstance(c, dict))


class ChangedSince(Exception):  # noqa: N818 - a refusal, as PackageRejected
    """A record an import changed has changed since: undoing it would lose that change."""

    def __init__(self, entity: str, record_id: str, received_id: int) -> None:
        super().__init__(entity, record_id, received_id)
        self.entity = entity
        self.record_id = record_id
        self.received_id = received_id


def undo(conn: Connection, received_id: int) -> list[int]:
    """Undo the import ``received_id`` and every newer one with a journal, newest first, inside
    the caller's transaction; the ``received_packages`` ids undone. ``ChangedSince`` (the caller
    rolls back) if a record changed since; ``KeyError`` if the import has no journal."""
    newer = [u.received_id for u in undoable(conn) if u.received_id >= received_id]
    if received_id not in newer:
        raise KeyError(received_id)
    for rid in newer:  # newest first
        _undo_one(conn, rid)
    return newer


def _undo_one(conn: Connection, received_id: int) -> None:
    entries = conn.execute(text(
        f'SELECT entity, record_id, before, after_hlc, after_vv, conflicts FROM "{_TABLE}" WHERE received_id = :rid '
        "ORDER BY id"), {"rid": received_id}).fetchall()
    by_entity: dict[str, list[tuple[str, str | None, str, Any, str | None]]] = {}
    for entity, record_id, before, after_hlc, after_vv, conflicts in entries:
        if record_id == ADDED:
            by_entity.setdefault(entity, []).extend(
                (rid, None, hlc, vv, None) for rid, hlc, vv in orjson.loads(after_vv))
        else:
            by_entity.setdefault(entity, []).append((record_id, before, after_hlc, orjson.loads(after_vv), conflicts))
    for entity, items in by_entity.items():
        table = _table(entity).name
        ids = [item[0] for item in items]
        now = {row["id"]: row for row in _rows(conn, f'SELECT id, hlc, vv FROM "{table}" WHERE id IN :ids', ids)}
        for record_id, _before, after_hlc, after_vv, _conflicts in items:
            current = now.get(record_id)
            if current is None or current["hlc"] != after_hlc or _vv(current["vv"]) != after_vv:
                raise ChangedSince(entity, record_id, received_id)
        remove = text(f'DELETE FROM "{table}" WHERE id IN :ids').bindparams(bindparam("ids", expanding=True))
        for chunk in _chunks(ids):
            conn.execute(remove, {"ids": list(chunk)})
        _insert_rows(conn, table, [orjson.loads(before) for _id, before, *_rest in items if before is not None])
        touched = [(record_id, conflicts) for record_id, _b, _h, _v, conflicts in items if conflicts is not None]
        if touched:
            remove = text(f'DELETE FROM "{_CONFLICTS}" WHERE entity = :entity AND record_id IN :ids').bindparams(
                bindparam("ids", expanding=True))
            for chunk in _chunks([record_id for record_id, _c in touched]):
                conn.execute(remove, {"entity": entity, "ids": list(chunk)})
            _insert_rows(conn, _CONFLICTS, [row for _rid, conflicts in touched for row in orjson.loads(conflicts)])
    conn.execute(text(f'DELETE FROM "{_TABLE}" WHERE received_id = :rid'), {"rid": received_id})
    conn.execute(text(f'DELETE FROM "{_RECEIVED}" WHERE id = :rid'), {"rid": received_id})


def _vv(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value


def _insert_rows(conn: Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    names = list(rows[0])
    insert_tuples(conn, table, names, [tuple(row[n] for n in names) for row in rows])


def prune(conn: Connection, keep: int) -> None:
    """Keep the journals of the newest ``keep`` imports only."""
    old = conn.execute(
        select(ImportJournal.received_id).distinct().order_by(ImportJournal.received_id.desc()).offset(keep)
    ).fetchall()
    for (received_id,) in old:
        conn.execute(text(f'DELETE FROM "{_TABLE}" WHERE received_id = :rid'), {"rid": received_id})
