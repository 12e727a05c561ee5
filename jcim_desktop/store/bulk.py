"""Bulk writes of whole envelopes with Core statements (sync merge, demo data).

These bypass the ORM's stamping on purpose: the envelope (hlc, vv) arrives with the record.
An envelope may carry ``EXTRA`` (set by the import's checks, never taken from a package as
such): the ``data`` fields this version does not know, stored in the ``extra`` column.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, Table, text

from jcim_desktop.store.derived import derived_columns
from jcim_desktop.store.models import MODELS, columns_from_data, plain_number

EXTRA = "_extra"


def _table(entity: str) -> Table:
    """The Core table of ``entity``."""
    return MODELS[entity].__table__  # type: ignore[attr-defined]


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
        "extra": envelope.get(EXTRA),
        "changed_by": envelope.get("by") if isinstance(envelope.get("by"), str) else None,
    }
    row.update(columns_from_data(model, payload))
    row.update(derived_columns(entity, payload))
    return row


def _JSON_ENCODE(value: Any) -> str:  # noqa: N802 - a constant-like function, as before
    """Compact JSON text for a JSON column (what json.dumps(separators=(",", ":")) gives, 4-5x faster)."""
    return orjson.dumps(value).decode("utf-8")


def _marker(conn: Connection) -> str:
    """The driver's positional placeholder: SQLite's ``?``, psycopg's ``%s``."""
    return "?" if conn.dialect.name == "sqlite" else "%s"


@functools.cache
def _upsert_sql(entity: str, marker: str = "?") -> tuple[str, tuple[str, ...], tuple[Callable[[Any], Any], ...]]:
    table = _table(entity)
    names = tuple(c.name for c in table.columns)
    # Values are converted here as SQLAlchemy's types would (JSON text, ISO dates, 0/1), so the
    # driver's executemany does the rest: per-row parameter processing was most of the cost.
    # The statement is the same on SQLite and PostgreSQL but for the placeholder (both have
    # INSERT … ON CONFLICT … DO UPDATE with ``excluded``; PostgreSQL casts the JSON text and the
    # ISO dates to the columns' types, its booleans are made by ``_for_driver``).
    converters = tuple(_converter(c) for c in table.columns)
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    sql = (f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
           f'VALUES ({", ".join(marker for _ in names)}) ON CONFLICT ("id") DO UPDATE SET {updates}')
    return sql, names, converters


def _converter(column: Any) -> Callable[[Any], Any]:
    from sqlalchemy import JSON, Boolean, Date

    if isinstance(column.type, JSON):
        return lambda v: None if v is None else _JSON_ENCODE(v)
    if isinstance(column.type, Date):
        return lambda v: None if v is None else (v if isinstance(v, str) else v.isoformat())
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return lambda v: v


def upsert_rows(conn: Connection, entity: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert or replace rows (from ``envelope_row``) with one executemany per call."""
    batch = list(rows)
    if not batch:
        return 0
    sql, names, converters = _upsert_sql(entity, _marker(conn))
    params = [tuple(conv(row.get(name)) for name, conv in zip(names, converters, strict=True)) for row in batch]
    conn.exec_driver_sql(sql, _for_driver(conn, entity, params))
    return len(batch)


@functools.cache
def _flag_positions(entity: str) -> tuple[int, ...]:
    from sqlalchemy import Boolean

    return tuple(i for i, column in enumerate(_table(entity).columns) if isinstance(column.type, Boolean))


def _for_driver(conn: Connection, entity: str, params: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``params`` as the connection's driver takes them. SQLite takes the flags as 0/1 (binding a
    Python bool costs sqlite3 an adaptation lookup per value); PostgreSQL's boolean columns refuse
    integers, so there they become booleans."""
    if conn.dialect.name == "sqlite":
        return params
    positions = _flag_positions(entity)
    out = []
    for row in params:
        values = list(row)
        for i in positions:
            if values[i] is not None:
                values[i] = bool(values[i])
        out.append(tuple(values))
    return out


def _neutral(column: Any) -> Any:
    """A placeholder for a required column of a tombstone that arrived without data."""
    from sqlalchemy import JSON, Boolean, Date, Float, Integer

    kind = column.type
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Date):
        import datetime as dt

        return dt.date(1970, 1, 1)
    if isinstance(kind, (Integer, Float)):
        return 0
    return ""


def tombstone_row(entity: str, envelope: Mapping[str, Any]) -> dict[str, Any]:
    """A row for a tombstone received with ``data: {}`` and no local copy to keep data from."""
    table = _table(entity)
    row = envelope_row(entity, envelope, data={})
    for column in table.columns:
        if row.get(column.name) is None and not column.nullable:
            row[column.name] = _neutral(column)
    row["deleted"] = True
    return row


def data_from_row(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The SYNC_FORMAT ``data`` of a table row read with Core (the inverse of ``columns_from_data``),
    with the unknown fields kept from later versions after the known ones."""
    model = MODELS[entity]
    data: dict[str, Any] = {}
    for name, (attr, kind) in model.FIELDS.items():
        if kind == "planned":
            data[name] = {
                "text": row["planned_text"],
                "start": _iso(row["planned_start"]),
                "end": _iso(row["planned_end"]),
                "precision": row["planned_precision"],
                "tentative": bool(row["planned_tentative"]),
            }
        elif kind == "date":
            data[name] = _iso(row[attr])
        else:
            data[name] = plain_number(row[attr])
    extra = row.get("extra")
    if extra:
        data.update(extra)
    return data


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and not isinstance(value, str) else value


def _json_or_none(value: Any) -> Any:
    return None if value is None else _JSON_ENCODE(value)


def _flag(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _iso_or_none(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else value.isoformat()


@functools.cache
def _tuple_builder(entity: str) -> Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]], tuple[Any, ...]]:
    """A function (envelope, data, derived) → the upsert parameters, generated once per entity.

    It does what ``envelope_row`` + ``upsert_rows`` do, as one expression: on imports of
    100,000 records the per-column dicts and calls were a third of the time.
    ``tests/store/test_bulk.py`` checks that both paths give the same parameters.
    """
    from sqlalchemy import JSON, Boolean, Date

    model = MODELS[entity]
    table = _table(entity)
    by_attr = {attr: (name, kind) for name, (attr, kind) in model.FIELDS.items()}
    derived_names = set(derived_columns(entity, {}))
    parts: list[str] = []
    for column in table.columns:
        name = column.name
        if name in ("id", "owner", "hlc"):
            expr = f"env[{name!r}]"
        elif name == "vv":
            expr = "enc(env['vv'])"
        elif name == "deleted":
            expr = "int(bool(env['deleted']))"
        elif name == "extra":
            expr = f"env.get({EXTRA!r})"
        elif name == "changed_by":
            expr = "(lambda b: b if isinstance(b, str) else None)(env.get('by'))"
        elif name in derived_names:
            expr = f"der.get({name!r})"
        elif name.startswith("planned_"):
            part = name.removeprefix("planned_")
            default = {"text": "''", "precision": "'undecided'", "tentative": "False"}.get(part, "None")
            expr = f"(data.get('planned') or {{}}).get({part!r}) or {default}"
        elif name in by_attr:
            expr = f"data.get({by_attr[name][0]!r})"
        else:
            raise AssertionError(f"column {entity}.{name} has no source")
        if isinstance(column.type, JSON) and name != "vv":
            expr = f"jn({expr})"
        elif isinstance(column.type, Boolean) and name != "deleted":
            expr = f"fl({expr})"
        elif isinstance(column.type, Date):
            expr = f"iso({expr})"
        parts.append(expr)
    source = f"def build(env, data, der):\n    return ({', '.join(parts)},)\n"
    namespace: dict[str, Any] = {"enc": _JSON_ENCODE, "jn": _json_or_none, "fl": _flag, "iso": _iso_or_none}
    exec(compile(source, f"<upsert builder {entity}>", "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace["build"]


def envelope_params(entity: str, envelope: Mapping[str, Any], data: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
    """The upsert parameters of ``envelope`` (``data`` overrides its data), for ``upsert_params``."""
    payload = envelope.get("data") or {} if data is None else data
    return _tuple_builder(entity)(envelope, payload, derived_columns(entity, payload))


def upsert_params(conn: Connection, entity: str, params: list[tuple[Any, ...]]) -> int:
    """Insert or replace rows given as ``envelope_params`` tuples, with one executemany."""
    if params:
        conn.exec_driver_sql(_upsert_sql(entity, _marker(conn))[0], _for_driver(conn, entity, params))
    return len(params)


class OtherEntity(NamedTuple):
    """An incoming record whose id is stored here as a record of another entity."""

    id: str
    entity: str
    owner: str
    stored_entity: str
    stored_owner: str


def stored_as_other_entity(conn: Connection, ids: Mapping[str, Sequence[tuple[str, str]]]) -> OtherEntity | None:
    """The first of ``ids`` (entity → [(id, owner)]) that is stored as a record of another entity.

    On SQLite the ids go into a temporary table joined with each entity table (measured at
    100,000 stored records and a package of 10,000: 0.06 s, a third of looking the ids up with
    IN lists); on PostgreSQL each entity table is probed with the ids as one array parameter.
    """
    if not any(ids.values()):
        return None
    if conn.dialect.name != "sqlite":
        for entity, pairs in ids.items():
            found = _stored_elsewhere(conn, entity, pairs)
            if found is not None:
                return found
        return None
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS _incoming_ids "
                         "(id TEXT PRIMARY KEY, entity TEXT NOT NULL, owner TEXT NOT NULL) WITHOUT ROWID")
    conn.exec_driver_sql("DELETE FROM _incoming_ids")
    try:
        for entity, pairs in ids.items():
            conn.exec_driver_sql("INSERT INTO _incoming_ids VALUES (?, ?, ?)",
                                 [(record_id, entity, owner) for record_id, owner in pairs])
        for stored_entity in MODELS:
            hit = conn.exec_driver_sql(
                f'SELECT i.id, i.entity, i.owner, t.owner FROM _incoming_ids i JOIN "{_table(stored_entity).name}" t '
                "ON t.id = i.id WHERE i.entity <> ? LIMIT 1", (stored_entity,)
            ).first()
            if hit is not None:
                return OtherEntity(hit[0], hit[1], hit[2], stored_entity, hit[3])
        return None
    finally:
        conn.exec_driver_sql("DELETE FROM _incoming_ids")


_ARRAY_CHUNK = 50_000


def _stored_elsewhere(conn: Connection, entity: str, pairs: Sequence[tuple[str, str]]) -> OtherEntity | None:
    """The first of ``pairs`` ((id, owner) of ``entity``) stored as a record of another entity
    (PostgreSQL: each other table probed through its primary key, the ids as one array)."""
    owners = dict(pairs)
    ids = list(owners)
    for stored_entity in MODELS:
        if stored_entity == entity:
            continue
        query = text(f'SELECT t.id, t.owner FROM "{_table(stored_entity).name}" t WHERE t.id = ANY(:ids) LIMIT 1')
        for i in range(0, len(ids), _ARRAY_CHUNK):
            hit = conn.execute(query, {"ids": ids[i : i + _ARRAY_CHUNK]}).first()
            if hit is not None:
                return OtherEntity(hit[0], entity, owners[hit[0]], stored_entity, hit[1])
    return None


class InsertMarks:
    """Where the entity tables stood before a merge, to find the rows it inserted afterwards
    (``inserted_as_other_entity``).

    On SQLite, the greatest rowid of each table: rows inserted later have greater ones, so they
    are found without listing them (``note`` keeps nothing). PostgreSQL has no such order, so
    there the merge says which ids it inserts (``note``) and they are kept until the check.
    """

    def __init__(self, rowids: dict[str, int] | None) -> None:
        self.rowids = rowids
        self.inserted: dict[str, list[tuple[str, str]]] = {}

    def note(self, entity: str, inserted: Iterable[tuple[str, str]]) -> None:
        """The merge inserts these (id, owner) of ``entity`` (read only where rowids cannot tell)."""
        if self.rowids is None:
            self.inserted.setdefault(entity, []).extend(inserted)


def insert_marks(conn: Connection, entities: Iterable[str]) -> InsertMarks:
    """The marks of ``entities``' tables now, before a merge writes to them."""
    if conn.dialect.name != "sqlite":
        return InsertMarks(None)
    marks: dict[str, int] = {}
    for entity in entities:
        sql = f'SELECT coalesce(max(rowid), 0) FROM "{_table(entity).name}"'
        marks[entity] = conn.exec_driver_sql(sql).scalar() or 0
    return InsertMarks(marks)


def inserted_as_other_entity(conn: Connection, marks: InsertMarks) -> OtherEntity | None:
    """The first row inserted since ``insert_marks`` whose id is also a row of another entity.

    Only rows new to their own table can name a record of another kind (an id already in its
    own table was checked when it arrived). On SQLite they are found by rowid without copying the
    package's ids anywhere: at 100,000 records this is the cheap form of ``stored_as_other_entity``.
    """
    if marks.rowids is None:
        for entity, pairs in marks.inserted.items():
            found = _stored_elsewhere(conn, entity, pairs)
            if found is not None:
                return found
        return None
    for entity, mark in marks.rowids.items():
        name = _table(entity).name
        for stored_entity in MODELS:
            if stored_entity == entity:
                continue
            hit = conn.exec_driver_sql(
                f'SELECT e.id, e.owner, t.owner FROM "{name}" e JOIN "{_table(stored_entity).name}" t ON t.id = e.id '
                "WHERE e.rowid > ? LIMIT 1", (mark,)
            ).first()
            if hit is not None:
                return OtherEntity(hit[0], entity, hit[1], stored_entity, hit[2])
    return None


def insert_tuples(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` into ``table`` (values of ``columns`` as the driver takes them: JSON as its
    text, dates as ISO text, booleans) with one executemany, without SQLAlchemy's per-row processing."""
    if not rows:
        return
    marker = _marker(conn)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(marker for _ in columns)})',
                         list(rows))
