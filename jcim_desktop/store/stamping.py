"""The one mechanism that keeps envelopes true: every flushed change is stamped and audited.

Callers only set data attributes (or ``deleted``); before each flush this module bumps the
record's HLC and version vector, refreshes derived columns, refuses writes to records this
installation may not write, and appends an audit entry with the fields' old → new values;
the local user's name goes in ``changed_by`` (the envelope's ``by``).
Bulk paths that bypass the ORM (sync import) stamp through ``derived_columns`` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, inspect
from sqlalchemy.orm import Session

from jcim_desktop.domain.orgs import org_name
from jcim_desktop.domain.versioning import HybridClock, vv_bump
from jcim_desktop.errors import PermissionDenied
from jcim_desktop.store.derived import derived_columns
from jcim_desktop.store.models import AuditEntry, ConflictVersion, Enveloped, Installation


@dataclass
class Writer:
    """Who is writing: the installation, its clock, the local user, and whose records it may write."""

    installation_id: str
    user_name: str
    clock: HybridClock
    may_write: Callable[[str], bool]


class StampingSession(Session):
    """A session whose flushes are stamped by this module (``info["writer"]`` says who writes)."""


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def _tracked_attributes(model: type[Enveloped]) -> list[tuple[str, str]]:
    """(attribute, field name shown in the audit log) for every data attribute of a model."""
    tracked: list[tuple[str, str]] = []
    for name, (attr, kind) in model.FIELDS.items():
        if kind == "planned":
            for part in ("text", "start", "end", "precision", "tentative"):
                tracked.append((f"planned_{part}", f"{name}.{part}"))
        else:
            tracked.append((attr, name))
    tracked.append(("deleted", "deleted"))
    tracked.append(("owner", "owner"))
    return tracked


def _changes(obj: Enveloped, creating: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr, label in _tracked_attributes(type(obj)):
        if creating:
            value = getattr(obj, attr)
            if value is not None and value != [] and value != "" and not (attr == "deleted" and value is False):
                changes[label] = [None, _json_value(value)]
            continue
        history = state.attrs[attr].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            changes[label] = [_json_value(old), _json_value(new)]
    return changes


def _action(creating: bool, changes: dict[str, list[Any]]) -> str:
    if creating:
        return "create"
    if "deleted" in changes:
        return "delete" if changes["deleted"][1] else "restore"
    return "update"


@event.listens_for(StampingSession, "before_flush")
def _stamp_changes(session: Session, flush_context: object, instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, Enveloped):
            raise RuntimeError("enveloped records are never deleted; set deleted=True (a tombstone)")

    pending: list[tuple[Enveloped, bool]] = [(o, True) for o in session.new if isinstance(o, Enveloped)]
    pending += [
        (o, False) for o in session.dirty if isinstance(o, Enveloped) and session.is_modified(o)
    ]
    # Records a person resolved a conflict on: a new version even if the data stay the same.
    forced: set[str] = session.info.get("force_stamp", set())
    if not pending:
        return
    writer: Writer | None = session.info.get("writer")
    if writer is None:
        raise RuntimeError("a session that changes records needs a Writer in session.info['writer']")

    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for obj, creating in pending:
        if not writer.may_write(obj.owner):
            raise PermissionDenied(
                f"この端末では「{org_name(obj.owner)}」の記録を変更できません。"
                "その組織の端末で入力するか、同期パッケージで受け取ってください。"
            )
        if not creating and inspect(obj).attrs["owner"].history.has_changes():
            raise PermissionDenied("記録の所有組織は変更できません。新しい記録として登録してください。")
        for attr, value in derived_columns(obj.ENTITY, obj.to_data()).items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
        changes = _changes(obj, creating)
        resolving = obj.id in forced
        if not creating and not changes and not resolving:
            continue
        obj.hlc = writer.clock.tick()
        obj.vv = vv_bump(obj.vv or {}, writer.installation_id)
        # The envelope's ``by`` (SYNC_FORMAT §4): who made the record's last change.
        obj.changed_by = writer.user_name or None
        session.add(
            AuditEntry(
                at=now,
                user_name=writer.user_name,
                installation_id=writer.installation_id,
                entity=obj.ENTITY,
                record_id=obj.id,
                action="resolve" if resolving else _action(creating, changes),
                hlc=obj.hlc,
                changes=changes,
            )
        )
        if not creating:
            # The new version dominates every version in conflict: the conflict is over.
            session.execute(
                delete(ConflictVersion).where(ConflictVersion.entity == obj.ENTITY, ConflictVersion.record_id == obj.id)
            )
    installation = session.get(Installation, writer.installation_id)
    if installation is not None:
        installation.hlc_last = writer.clock.last
