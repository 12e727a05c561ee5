"""Merging received records (SYNC_FORMAT §3): idempotent, and the same whatever the order.

For each record we know the set of its *maximal* versions: those no other known version
dominates (by version vector). The stored copy is the maximal version with the greatest HLC,
with the element-wise maximum of all vectors; when two or more versions are maximal the record
has an open conflict and they are kept in ``conflict_versions``. The maximal set of a set of
versions does not depend on the order they arrive in, so neither do records nor conflicts.
Counts follow the rules of §3 as written: no local copy → inserted; equal or older → unchanged;
newer → updated; concurrent → conflict.

The rules of §2 that need the database are checked inside the caller's transaction, so that
nothing stays written if one fails: a record's owner never changes (before an entity's
records are written), and an id names one record of one kind (after the writes, on the rows
the package added; a dry run checks the package's ids instead). A package written without contacts (``includes_contacts``
false) never removes or changes a local ``contact``: such records arrive without the field and
keep the local value, and their conflict versions leave it out rather than show it as a difference.

Who changed what: a record's envelope ``by`` (SYNC_FORMAT §4) is stored with it (``changed_by``),
and every record a package inserts, changes, deletes or puts in conflict gets an audit-log entry
naming the person (``by``), the installation that made the change (its ``hlc``), the package and
its sender (:class:`MergeSource`). An update's entry has the fields' old → new values, as a local
change's has; an inserted record's has none (its data are the record's own: on a first import of
100,000 records the diffs would cost more than the records).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.domain.orgs import org_name
from jcim_desktop.domain.versioning import Order, vv_compare, vv_merge
from jcim_desktop.store import journal
from jcim_desktop.store.bulk import (
    EXTRA,
    InsertMarks,
    OtherEntity,
    data_from_row,
    envelope_params,
    envelope_row,
    insert_marks,
    insert_tuples,
    inserted_as_other_entity,
    stored_as_other_entity,
    tombstone_row,
    upsert_params,
    upsert_rows,
)
from jcim_desktop.store.models import MODELS, AuditEntry, ConflictVersion
from jcim_desktop.store.testpoints import arm_before_commit, pause_at
from jcim_desktop.sync.package import PackageRejected

# Personal data (DESIGN.md): the fields a package may leave out (``includes_contacts`` false).
CONTACT_FIELDS: dict[str, str] = {"needs": "contact", "seeds": "contact"}

_CHUNK = 5000  # ids per IN (...) lookup; SQLite allows 32,766 parameters
_HLC_INSTALLATION = 20  # an hlc is 13 digits, "-", 5 digits, "-", then the installation's UUID
_NO_CHANGES = "{}"


@dataclass(frozen=True)
class MergeSource:
    """Where merged records came from, for the audit log: the package and who sent it."""

    package_id: str | None = None
    sender_org: str | None = None
    sender_installation: str | None = None
    journal: int | None = None
    """The ``received_packages`` row under which the merge's changes are journalled, to undo the
    import (``store.journal``); None: not journalled."""


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0

    def add(self, other: Counts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.conflicts += other.conflicts

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts}


@dataclass
class MergeResult:
    by_entity: dict[str, Counts] = field(default_factory=dict)
    max_hlc: str | None = None

    @property
    def totals(self) -> Counts:
        total = Counts()
        for counts in self.by_entity.values():
            total.add(counts)
        return total


@dataclass
class _Version:
    hlc: str
    vv: dict[str, int]
    deleted: bool
    owner: str
    data: dict[str, Any] | None  # None: the local stored copy, loaded only if needed

    def dominated_by_or_equal(self, other: _Version) -> bool:
        return vv_compare(self.vv, other.vv) in (Order.EQUAL, Order.DOMINATED)


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def merge_records(
    conn: Connection,
    records: Mapping[str, Sequence[Mapping[str, Any]]] | Iterable[tuple[str, Sequence[Mapping[str, Any]]]],
    *,
    now: str,
    dry_run: bool = False,
    includes_contacts: bool = True,
    source: MergeSource | None = None,
) -> MergeResult:
    """Merge validated envelopes inside the caller's transaction: ``records`` maps an entity to
    its envelopes, or gives (entity, envelopes) batches one after another (a package read in
    batches: memory stays bounded). A package's ids are unique (§2), so batches never overlap.

    ``PackageRejected`` if a record would change owner or kind (raised by the batches too); the
    caller rolls back. ``includes_contacts`` False: the records carry no contact field and local
    contacts stay. ``source``: the package the records came from, named in the audit log (``now``
    is when).
    """
    source = source or MergeSource()
    batches: Iterable[tuple[str, Sequence[Mapping[str, Any]]]] = (
        records.items() if isinstance(records, Mapping) else records)
    marks: InsertMarks | None = None
    if not dry_run:
        pause_at("before-merge")
        marks = insert_marks(conn, [e for e in records if e in MODELS] if isinstance(records, Mapping) else MODELS)
    result = MergeResult()
    any_conflicts = bool(conn.execute(select(func.count()).select_from(ConflictVersion)).scalar())
    first = True
    for entity, envelopes in batches:
        if entity not in MODELS:
            continue
        if dry_run:
            _refuse_kind_change(stored_as_other_entity(conn, {entity: [(env["id"], env["owner"]) for env in envelopes]}))
        keep = CONTACT_FIELDS.get(entity) if not includes_contacts else None
        counts = _merge_entity(conn, entity, envelopes, now, dry_run, any_conflicts, result, keep, source, marks)
        result.by_entity.setdefault(entity, Counts()).add(counts)
        if not dry_run and first:
            pause_at("after-first-batch")
        first = False
    if marks is not None:
        # After the writes, inside the caller's transaction: a refusal rolls all of them back.
        _refuse_kind_change(inserted_as_other_entity(conn, marks))
        pause_at("after-merge")
        arm_before_commit(conn)
    return result


def owner_changed(entity: str, record_id: str, stored_owner: str, incoming_owner: str) -> PackageRejected:
    return PackageRejected(
        "owner_change",
        f"{ENTITY_LABELS.get(entity, entity)}（id {record_id}）は「{org_name(stored_owner)}」の記録として登録済みですが、"
        f"このパッケージでは所有組織が「{org_name(incoming_owner)}」になっています。記録の所有組織は変えられません"
        "（他の組織の記録を書き換えることになるため）。このパッケージは取り込みません。送り主に確認してください。",
    )


def _refuse_kind_change(hit: OtherEntity | None) -> None:
    """An id names one record of one kind: refuse a package id stored here as another kind of record."""
    if hit is None:
        return
    if hit.stored_owner != hit.owner:
        raise owner_changed(hit.entity, hit.id, hit.stored_owner, hit.owner)
    raise PackageRejected(
        "id_kind_change",
        f"{ENTITY_LABELS.get(hit.entity, hit.entity)}（id {hit.id}）と同じ id の記録が、このパソコンには"
        f"{ENTITY_LABELS.get(hit.stored_entity, hit.stored_entity)}として登録されています。1 つの id は 1 件の記録"
        "だけを指します。このパッケージは取り込みません。送り主に確認してください。",
    )


def _merge_entity(
    conn: Connection,
    entity: str,
    envelopes: Sequence[Mapping[str, Any]],
    now: str,
    dry_run: bool,
    any_conflicts: bool,
    result: MergeResult,
    keep_field: str | None = None,
    source: MergeSource | None = None,
    marks: InsertMarks | None = None,
) -> Counts:
    model = MODELS[entity]
    table = model.__table__  # type: ignore[attr-defined]
    ids = [str(e["id"]) for e in envelopes]
    local: dict[str, _Version] = {}
    # Values of the field a package left out (contacts), to be kept on every version stored.
    kept: dict[str, Any] = {}
    columns = [table.c.id, table.c.hlc, table.c.vv, table.c.deleted, table.c.owner]
    if keep_field is not None:
        columns.append(table.c[keep_field])
    for chunk in _chunks(ids):
        for row in conn.execute(select(*columns).where(table.c.id.in_(chunk))):
            local[row[0]] = _Version(row[1], dict(row[2]), bool(row[3]), row[4], None)
            if keep_field is not None:
                kept[row[0]] = row[5]
    for env in envelopes:
        stored_version = local.get(env["id"])
        if stored_version is not None and stored_version.owner != env["owner"]:
            raise owner_changed(entity, env["id"], stored_version.owner, env["owner"])
    frontiers: dict[str, list[_Version]] = {}
    if any_conflicts and local:
        cv = ConflictVersion.__table__
        for chunk in _chunks(list(local)):
            for rid, hlc, vv, deleted, owner, data in conn.execute(
                select(cv.c.record_id, cv.c.hlc, cv.c.vv, cv.c.deleted, cv.c.owner, cv.c.data).where(
                    cv.c.entity == entity, cv.c.record_id.in_(chunk)
                )
            ):
                frontiers.setdefault(rid, []).append(_Version(hlc, dict(vv), bool(deleted), owner, dict(data)))

    counts = Counts()
    full_rows: list[tuple[Any, ...]] = []
    tombstones: list[dict[str, Any]] = []
    envelope_updates: list[dict[str, Any]] = []
    tombstone_updates: list[dict[str, Any]] = []
    conflict_rows: dict[str, list[_Version]] = {}
    # The audit log: (action, envelope) of each record inserted (no diff), and (action, envelope,
    # the data it stores or None, whether it replaced the stored copy) of each record already here
    # (old → new computed below, from the rows as they are before the writes).
    inserted_log: list[tuple[str, Mapping[str, Any]]] = []
    replaced_log: list[tuple[str, Mapping[str, Any], dict[str, Any] | None, bool]] = []
    cleared: set[str] = set()
    written: set[str] = set()  # records already here that the merge writes
    # Stored copies whose data a conflict keeps as one of its versions: read after the loop, in
    # batches (one query per 5,000, not one object per record).
    need_data: list[str] = []

    max_hlc = result.max_hlc or ""
    for env in envelopes:
        rid = env["id"]
        if env["hlc"] > max_hlc:
            max_hlc = env["hlc"]
        stored = local.get(rid)
        if stored is None:
            # The common case on a first import: no version bookkeeping needed.
            counts.inserted += 1
            if env["deleted"] and not env.get("data"):
                tombstones.append(tombstone_row(entity, env))
            else:
                full_rows.append(envelope_params(entity, env))
            inserted_log.append(("delete" if env["deleted"] else "create", env))
            continue
        written_before = len(full_rows) + len(tombstone_updates) + len(envelope_updates)
        incoming_data = dict(env.get("data") or {})
        if env.get(EXTRA):
            incoming_data.update(env[EXTRA])
        incoming = _Version(str(env["hlc"]), dict(env["vv"]), bool(env["deleted"]), str(env["owner"]), incoming_data)

        order = vv_compare(incoming.vv, stored.vv)
        if order in (Order.EQUAL, Order.DOMINATED):
            counts.unchanged += 1
        elif order is Order.DOMINATES:
            counts.updated += 1
        else:
            counts.conflicts += 1
        concurrent = order not in (Order.EQUAL, Order.DOMINATED, Order.DOMINATES)

        frontier = frontiers.get(rid) or [stored]
        if any(incoming.dominated_by_or_equal(member) for member in frontier):
            new_frontier = frontier
        else:
            new_frontier = [m for m in frontier if not m.dominated_by_or_equal(incoming)] + [incoming]
        winner = max(new_frontier, key=lambda v: v.hlc)
        joined = vv_merge(stored.vv, incoming.vv)

        if winner is incoming and (incoming.hlc != stored.hlc or incoming.deleted != stored.deleted):
            action = ("conflict" if concurrent else "delete" if incoming.deleted and not stored.deleted
                      else "restore" if stored.deleted and not incoming.deleted else "update")
            if incoming.data or not incoming.deleted:
                if keep_field is not None:
                    full_rows.append(envelope_params(entity, {**env, "vv": joined},
                                                     {**env["data"], keep_field: kept.get(rid)}))
                else:
                    full_rows.append(envelope_params(entity, {**env, "vv": joined}))
                replaced_log.append((action, env, incoming_data if keep_field is None
                                     else {**incoming_data, keep_field: kept.get(rid)}, True))
            else:
                # A tombstone without data keeps the local data beside it (undo stays possible).
                tombstone_updates.append({"b_id": rid, "b_hlc": incoming.hlc, "b_vv": joined, "b_deleted": True,
                                          "b_by": env.get("by") if isinstance(env.get("by"), str) else None})
                replaced_log.append((action, env, None, True))
        else:
            if joined != stored.vv:
                envelope_updates.append({"b_id": rid, "b_hlc": stored.hlc, "b_vv": joined,
                                         "b_deleted": stored.deleted})
            if concurrent:  # a version that lost: the stored copy stays, the conflict is open
                replaced_log.append(("conflict", env, None, False))
        local[rid] = _Version(winner.hlc, joined, winner.deleted, winner.owner, None)
        if len(full_rows) + len(tombstone_updates) + len(envelope_updates) != written_before:
            written.add(rid)

        if len(new_frontier) >= 2:
            if any(member.data is None for member in new_frontier):
                need_data.append(rid)
            conflict_rows[rid] = new_frontier
            frontiers[rid] = new_frontier
        elif rid in frontiers:
            cleared.add(rid)
            del frontiers[rid]

    result.max_hlc = max_hlc or None
    if dry_run:
        return counts
    if need_data:
        stored_data: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(need_data):
            for found in conn.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                stored_data[found["id"]] = data_from_row(entity, dict(found))
        for rid in need_data:
            for member in conflict_rows[rid]:
                if member.data is None:
                    member.data = stored_data.get(rid, {})
    # Read before the writes: the stored copies the package replaces, for the log's old values.
    audit_rows = _audit_rows(conn, entity, now, source or MergeSource(), inserted_log, replaced_log)
    touched = set(conflict_rows) | cleared
    if source is not None and source.journal is not None:
        changes = [journal.Change(str(env["id"]), str(env["hlc"]), env["vv"], True) for _action, env in inserted_log]
        changes += [journal.Change(rid, local[rid].hlc, local[rid].vv, False) for rid in sorted(written | touched)]
        journal.record(conn, source.journal, entity, changes, touched)
    if marks is not None and inserted_log:
        marks.note(entity, ((str(env["id"]), str(env["owner"])) for _action, env in inserted_log))
    if full_rows:
        upsert_params(conn, entity, full_rows)
    if tombstones:
        upsert_rows(conn, entity, tombstones)
    if envelope_updates:
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(hlc=bindparam("b_hlc"), vv=bindparam("b_vv"), deleted=bindparam("b_deleted")),
            envelope_updates,
        )
    if tombstone_updates:
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(hlc=bindparam("b_hlc"), vv=bindparam("b_vv"), deleted=bindparam("b_deleted"),
                    changed_by=bindparam("b_by")),
            tombstone_updates,
        )
    insert_tuples(conn, AuditEntry.__tablename__, _AUDIT_COLUMNS, audit_rows)
    if touched:
        for chunk in _chunks(sorted(touched)):
            conn.execute(delete(ConflictVersion).where(ConflictVersion.entity == entity,
                                                       ConflictVersion.record_id.in_(chunk)))
        rows = [
            {"entity": entity, "record_id": rid, "owner": v.owner, "hlc": v.hlc, "vv": v.vv, "deleted": v.deleted,
             "data": v.data or {}, "detected_at": now}
            for rid, versions in conflict_rows.items()
            for v in versions
        ]
        if rows:
            conn.execute(insert(ConflictVersion), rows)
    return counts


# The audit log -----------------------------------------------------------------------------------

_AUDIT_COLUMNS = ("at", "user_name", "installation_id", "entity", "record_id", "action", "hlc", "changes",
                  "package_id", "sender_org", "sender_installation")


def _audit_rows(
    conn: Connection,
    entity: str,
    now: str,
    source: MergeSource,
    inserted: Sequence[tuple[str, Mapping[str, Any]]],
    replaced: Sequence[tuple[str, Mapping[str, Any], dict[str, Any] | None, bool]],
) -> list[tuple[Any, ...]]:
    """The audit-log rows of one entity's merge (``_AUDIT_COLUMNS``), with the old → new values of
    every stored copy replaced (read from the rows as they are before the merge writes them)."""
    package, org, sender = source.package_id, source.sender_org, source.sender_installation
    rows: list[tuple[Any, ...]] = [
        (now, _by(env), env["hlc"][_HLC_INSTALLATION:], entity, env["id"], action, env["hlc"], _NO_CHANGES,
         package, org, sender)
        for action, env in inserted
    ]
    if not replaced:
        return rows
    table = MODELS[entity].__table__  # type: ignore[attr-defined]
    before: dict[str, tuple[dict[str, Any], bool]] = {}
    ids = [str(env["id"]) for _action, env, _data, applied in replaced if applied]
    for chunk in _chunks(ids):
        for row in conn.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            before[row["id"]] = (data_from_row(entity, dict(row)), bool(row["deleted"]))
    for action, env, new_data, applied in replaced:
        changes: dict[str, list[Any]] = {}
        if applied:  # (a version that lost a conflict changed nothing here)
            old_data, old_deleted = before.get(env["id"], ({}, False))
            if new_data is not None:
                # The new data as they will be stored (normalised as the old ones were when read).
                changes = data_changes(old_data, data_from_row(entity, envelope_row(entity, env, new_data)))
            if bool(env["deleted"]) != old_deleted:
                changes["deleted"] = [old_deleted, bool(env["deleted"])]
        rows.append((now, _by(env), env["hlc"][_HLC_INSTALLATION:], entity, env["id"], action, env["hlc"],
                     orjson.dumps(changes).decode("utf-8"), package, org, sender))
    return rows


def _by(env: Mapping[str, Any]) -> str:
    by = env.get("by")
    return by if isinstance(by, str) else ""


def data_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, ``{field: [old, new]}``, as the local audit log names them
    (a PlannedDate by its parts: ``planned.text`` …)."""
    changes: dict[str, list[Any]] = {}
    for name in dict.fromkeys([*old, *new]):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict) and name == "planned":
            for part in dict.fromkeys([*before, *after]):
                if before.get(part) != after.get(part):
                    changes[f"{name}.{part}"] = [before.get(part), after.get(part)]
            continue
        changes[name] = [before, after]
    return changes
