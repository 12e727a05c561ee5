"""Create, change, delete (tombstone), restore, get and list records of any entity.

A change names the version it started from (``expected_hlc``): a record someone else saved
meanwhile is not overwritten (``EditConflict``, :mod:`~jcim_desktop.services.edit_conflicts`).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import ColumnElement, Text, and_, cast, func, select
from sqlalchemy import update as update_statement
from sqlalchemy.orm import Session

from jcim_desktop.domain import entities
from jcim_desktop.domain.fiscal import fiscal_year_bounds
from jcim_desktop.domain.orgs import SECRETARIAT, org_name
from jcim_desktop.domain.text import normalize_for_search
from jcim_desktop.errors import NotFound, PermissionDenied, ValidationError
from jcim_desktop.services import edit_conflicts
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.edit_conflicts import EditConflict as EditConflict  # raised by the writes
from jcim_desktop.store.database import retry_when_busy
from jcim_desktop.store.models import MODELS, Enveloped, new_record

# Fields that refer to another record, and the entity they must name.
REFERENCES: dict[str, dict[str, str]] = {
    "pitch_presentations": {"event_id": "events", "seed_id": "seeds", "need_id": "needs"},
    "matchings": {"need_id": "needs", "seed_id": "seeds", "pitch_event_id": "events"},
    "trials": {"matching_id": "matchings", "need_id": "needs", "seed_id": "seeds", "pitch_event_id": "events"},
}


@dataclass(frozen=True)
class Record:
    """A record as services hand it out: the envelope and its ``data`` (SYNC_FORMAT shape)."""

    entity: str
    id: str
    owner: str
    hlc: str
    vv: dict[str, int]
    deleted: bool
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def owner_name(self) -> str:
        return org_name(self.owner)

    @property
    def changes(self) -> Changes:
        """What writing this record changed (for the change notice after a write)."""
        return Changes.records(self.entity, (self.id,))


Saved = Record
"""What the writes return: the record as the write left it (its ``changes`` name it)."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _retried(write: Callable[_P, _R]) -> Callable[_P, _R]:
    """A write run once more when the server refused it for a colleague's write at the same moment
    (``store.database.DatabaseBusy``: a deadlock or serialization failure, rolled back whole,
    nothing written): the second run reads what the colleague saved, and a version the person
    started from is checked against it (``EditConflict``), so nothing is written over."""

    @functools.wraps(write)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return retry_when_busy(lambda: write(*args, **kwargs))

    return run


def to_record(obj: Enveloped) -> Record:
    return Record(obj.ENTITY, obj.id, obj.owner, obj.hlc, dict(obj.vv or {}), bool(obj.deleted), obj.to_data())


def _saved(obj: Enveloped) -> Saved:
    return to_record(obj)


def _model(entity: str) -> type[Enveloped]:
    try:
        return MODELS[entity]
    except KeyError:
        raise ValueError(f"unknown entity {entity!r}") from None


def clean(ctx: AppContext, entity: str, data: Mapping[str, Any], *, strict: bool = False) -> dict[str, Any]:
    """Validated, normalised data; ``ValidationError`` with a Japanese message per field.

    Planned dates are checked by the entity rules' own shape check, which covers all that
    ``PlannedDate.from_dict`` checks (and more), so they are not parsed twice. ``strict``: the
    rules for data received in a package (SYNC_FORMAT §2).
    """
    return entities.clean(entity, data, is_known_lg_code=ctx.registry.__contains__, strict=strict)


def _check_owner(ctx: AppContext, entity: str, owner: str) -> None:
    if entity in entities.SECRETARIAT_ONLY and (owner != SECRETARIAT or not ctx.is_secretariat):
        raise PermissionDenied(f"{entities.ENTITY_LABELS[entity]}は事務局だけが登録できます。")
    if not ctx.can_write(owner):
        raise PermissionDenied(
            f"この端末（{ctx.org_name}）では「{org_name(owner)}」の記録を登録・変更できません。"
        )


def _check_references(session: Session, entity: str, data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    for field_name, target in REFERENCES.get(entity, {}).items():
        ref = data.get(field_name)
        if not ref:
            continue
        model = MODELS[target]
        found = session.execute(select(model.deleted).where(model.id == ref)).first()
        if found is None or found[0]:
            label = entities.field_label(entity, field_name)
            errors[field_name] = f"{label}に指定された{entities.ENTITY_LABELS[target]}が見つかりません。一覧から選び直してください。"
    if errors:
        raise ValidationError(errors)


@_retried
def create(ctx: AppContext, entity: str, data: Mapping[str, Any], *, owner: str | None = None) -> Saved:
    """Register a new record. The secretariat chooses ``owner``; a forum always owns its records."""
    model = _model(entity)
    owner = owner or (SECRETARIAT if entity in entities.SECRETARIAT_ONLY else ctx.default_owner())
    _check_owner(ctx, entity, owner)
    cleaned = clean(ctx, entity, data)
    with ctx.unit_of_work() as session:
        _check_references(session, entity, cleaned)
        obj = new_record(model, str(uuid.uuid4()), owner)
        obj.apply_data(cleaned)
        session.add(obj)
        session.flush()
        return _saved(obj)


@_retried
def create_many(ctx: AppContext, entity: str, items: Sequence[Mapping[str, Any]], *, owner: str | None = None) -> list[Record]:
    """Register several records in one transaction: all of them, or (on any error) none."""
    model = _model(entity)
    owner = owner or (SECRETARIAT if entity in entities.SECRETARIAT_ONLY else ctx.default_owner())
    _check_owner(ctx, entity, owner)
    cleaned_items = []
    for index, data in enumerate(items, start=1):
        try:
            cleaned_items.append(clean(ctx, entity, data))
        except ValidationError as exc:
            raise ValidationError({f"{index}件目 {k}": v for k, v in exc.errors.items()}) from exc
    with ctx.unit_of_work() as session:
        objs = []
        for cleaned in cleaned_items:
            _check_references(session, entity, cleaned)
            obj = new_record(model, str(uuid.uuid4()), owner)
            obj.apply_data(cleaned)
            session.add(obj)
            objs.append(obj)
        session.flush()
        return [to_record(o) for o in objs]


def _load(session: Session, entity: str, record_id: str, *, include_deleted: bool = False) -> Enveloped:
    obj = session.get(_model(entity), record_id)
    if obj is None or (obj.deleted and not include_deleted):
        raise _not_found(entity, record_id)
    return obj


def _not_found(entity: str, record_id: str) -> NotFound:
    return NotFound(f"{entities.ENTITY_LABELS[entity]}（ID {record_id}）が見つかりません。削除された可能性があります。")


class _Stale(Exception):
    """Inside a write: the stored record is not the version the person started from."""

    def __init__(self, current: Record, changed_by: str | None) -> None:
        super().__init__(current.id)
        self.current = current
        self.changed_by = changed_by


def _load_for_write(
    ctx: AppContext, session: Session, entity: str, record_id: str, expected_hlc: str | None,
    *, include_deleted: bool = False,
) -> Enveloped:
    """The stored record, read inside this write's transaction with its write lock held, so that
    nobody can change it between this check and the write (``_Stale`` if it is not the version
    ``expected_hlc`` the person started from).

    The first statement takes the lock on either engine: an UPDATE that changes nothing (PostgreSQL
    locks the row until the end of the transaction, and a second writer waits for it there; SQLite
    takes the database's write lock, which a plain read does not, so no other writer can commit
    between the read below and this transaction's write). The read is then ``FOR UPDATE`` (the
    row lock PostgreSQL already holds) and refreshes whatever the session had cached.
    """
    model = _model(entity)
    session.execute(
        update_statement(model).where(model.id == record_id).values(hlc=model.hlc)
        .execution_options(synchronize_session=False)
    )
    obj = session.execute(
        select(model).where(model.id == record_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if obj is None:
        raise _not_found(entity, record_id)
    if expected_hlc is not None and obj.hlc != expected_hlc:
        raise _Stale(to_record(obj), obj.changed_by)
    if obj.deleted and not include_deleted:
        raise _not_found(entity, record_id)
    # The new version sorts after the one it replaces, whatever the clocks of the computers that
    # made them (two installations on one database, two windows on one data folder).
    try:
        ctx.clock.observe(obj.hlc)
    except ValueError:
        pass  # an unreadable stamp (never written by this version) does not hold the change up
    return obj


@contextmanager
def _refusing_stale(ctx: AppContext, expected_hlc: str | None, proposed: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Turn ``_Stale`` into the ``EditConflict`` the person sees, once the refused transaction has
    been rolled back (nothing written, no lock held while the change log is read)."""
    try:
        yield
    except _Stale as stale:
        assert expected_hlc is not None
        merged = None
        if proposed is not None:
            merged = {**stale.current.data, **proposed}
            try:
                merged = clean(ctx, stale.current.entity, merged)
            except ValidationError:
                pass  # compared as typed
        raise edit_conflicts.describe(ctx, stale.current, stale.changed_by, expected_hlc, merged) from None


def get(ctx: AppContext, entity: str, record_id: str, *, include_deleted: bool = False) -> Record:
    with ctx.reading() as session:
        return to_record(_load(session, entity, record_id, include_deleted=include_deleted))


@_retried
def update(
    ctx: AppContext, entity: str, record_id: str, changes: Mapping[str, Any], *, expected_hlc: str | None = None
) -> Saved:
    """Change some fields of a record; the others keep their values.

    ``expected_hlc``: the version the person started from (the record's ``hlc`` as they loaded
    it). If someone else saved the record since, nothing is written and ``EditConflict`` says who,
    when and what differs; saving over it is a deliberate second call with the new version. None
    (callers that hold no version) writes over whatever is stored.
    """
    with _refusing_stale(ctx, expected_hlc, changes), ctx.unit_of_work() as session:
        obj = _load_for_write(ctx, session, entity, record_id, expected_hlc)
        _check_owner(ctx, entity, obj.owner)
        merged = obj.to_data()
        merged.update(changes)
        cleaned = clean(ctx, entity, merged)
        _check_references(session, entity, cleaned)
        obj.apply_data(cleaned)
        session.flush()
        return _saved(obj)


@_retried
def delete(ctx: AppContext, entity: str, record_id: str, *, expected_hlc: str | None = None) -> Saved:
    """Delete a record: it becomes a tombstone (kept and exported, never counted, restorable).

    ``expected_hlc`` as for :func:`update`: a record changed since it was shown is not deleted.
    """
    with _refusing_stale(ctx, expected_hlc), ctx.unit_of_work() as session:
        obj = _load_for_write(ctx, session, entity, record_id, expected_hlc)
        _check_owner(ctx, entity, obj.owner)
        obj.deleted = True
        session.flush()
        return _saved(obj)


@_retried
def restore(ctx: AppContext, entity: str, record_id: str, *, expected_hlc: str | None = None) -> Saved:
    """Undo a delete (a new change, so it travels to others like any edit).

    ``expected_hlc`` as for :func:`update`: a record changed since it was shown is left as it is.
    """
    with _refusing_stale(ctx, expected_hlc), ctx.unit_of_work() as session:
        obj = _load_for_write(ctx, session, entity, record_id, expected_hlc, include_deleted=True)
        _check_owner(ctx, entity, obj.owner)
        obj.deleted = False
        session.flush()
        return _saved(obj)


@dataclass
class Query:
    """What a list page asks for. Every criterion is optional."""

    fiscal_year: int | None = None
    status: str | None = None
    facility_type: str | None = None
    lg_code: str | None = None
    pref_code: str | None = None
    owners: Sequence[str] | None = None
    text: str = ""
    include_deleted: bool = False
    event_types: Sequence[str] | None = None
    sort: str | None = None
    descending: bool = False
    limit: int | None = None
    offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _fiscal_year_condition(model: Any, entity: str, fy: int) -> ColumnElement[bool]:
    start, end = fiscal_year_bounds(fy)
    if entity in ("events", "trials"):
        when = func.coalesce(model.held_from, model.planned_start)
        return and_(when >= start, when <= end)
    if entity == "needs":
        return and_(model.received_on >= start, model.received_on <= end)
    if entity == "seeds":
        return and_(model.registered_on >= start, model.registered_on <= end)
    if entity == "matchings":
        return and_(model.first_stage_on <= end, model.last_stage_on >= start)
    if entity == "support_activities":
        return and_(model.on_date >= start, model.on_date <= end)
    if entity == "kpi_targets":
        return model.fiscal_year == fy
    if entity == "pitch_presentations":
        from jcim_desktop.store.models import Event

        held = func.coalesce(Event.held_from, Event.planned_start)
        return model.event_id.in_(select(Event.id).where(held >= start, held <= end))
    return model.as_of <= end


def _json_list_contains(column: Any, value: str) -> ColumnElement[bool]:
    # JSON lists are stored as text; matching the quoted element keeps this portable SQL.
    return cast(column, Text).like(f'%"{value}"%')


def conditions(model: Any, entity: str, query: Query) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not query.include_deleted:
        where.append(model.deleted.is_(False))
    if query.owners:
        where.append(model.owner.in_(list(query.owners)))
    if query.fiscal_year is not None:
        where.append(_fiscal_year_condition(model, entity, query.fiscal_year))
    if query.status:
        if hasattr(model, "status"):
            where.append(model.status == query.status)
        elif entity == "matchings":
            where.append(model.current_stage == query.status)
    if query.event_types and hasattr(model, "event_type"):
        where.append(model.event_type.in_(list(query.event_types)))
    if query.facility_type and hasattr(model, "facility_types"):
        where.append(_json_list_contains(model.facility_types, query.facility_type))
    for code_attr, value in (("lg_code", query.lg_code), ("pref_code", query.pref_code)):
        if not value:
            continue
        if hasattr(model, "lg_code"):
            where.append(model.lg_code == value if code_attr == "lg_code" else model.lg_code.like(f"{value}%"))
        elif hasattr(model, "lg_codes"):
            where.append(cast(model.lg_codes, Text).like(f'%"{value}' + ('"%' if code_attr == "lg_code" else "%")))
    for term in normalize_for_search(query.text).split() if query.text.strip() else []:
        where.append(model.search_text.contains(term, autoescape=True))
    if query.text.strip() and not normalize_for_search(query.text).split():
        where.append(model.search_text.contains(normalize_for_search(query.text), autoescape=True))
    return where


def _order_by(model: Any, query: Query) -> list[Any]:
    column = None
    if query.sort:
        attr = model.FIELDS.get(query.sort, (query.sort, ""))[0]
        if query.sort == "planned":
            attr = "planned_start"
        column = getattr(model, attr, None)
    if column is None:
        column = model.hlc
        descending = True
    else:
        descending = query.descending
    return [column.desc() if descending else column.asc(), model.id]


def list_records(ctx: AppContext, entity: str, query: Query | None = None) -> list[Record]:
    """Records of ``entity`` matching ``query``, sorted, newest change first by default."""
    query = query or Query()
    model = _model(entity)
    stmt = select(model).where(*conditions(model, entity, query)).order_by(*_order_by(model, query))
    if query.limit is not None:
        stmt = stmt.limit(query.limit).offset(query.offset)
    with ctx.reading() as session:
        return [to_record(o) for o in session.scalars(stmt)]


def count_records(ctx: AppContext, entity: str, query: Query | None = None) -> int:
    query = query or Query()
    model = _model(entity)
    with ctx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*conditions(model, entity, query))) or 0)


def audit_trail(ctx: AppContext, entity: str, record_id: str) -> list[dict[str, Any]]:
    """The audit entries of one record, oldest first."""
    from jcim_desktop.store.models import AuditEntry

    with ctx.reading() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.record_id == record_id).order_by(AuditEntry.id)
        )
        return [
            {"at": r.at, "user": r.user_name, "action": r.action, "hlc": r.hlc, "changes": dict(r.changes)}
            for r in rows
        ]


def today() -> dt.date:
    return dt.date.today()


