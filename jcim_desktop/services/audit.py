"""Who changed what (SYNC_FORMAT §6 ``audit``): the change log of the records, local and received.

Every change written here is logged when it is saved (``store.stamping``: who, the fields' old →
new values); every record a package inserted, changed, deleted or put in conflict is logged when
it is merged (``sync.merge``: the envelope's ``by``, the package and its sender). This module
reads that log for the command line (``audit``), the 変更履歴 page and the 変更履歴 tab of every
record dialog.

The time of an entry is when the change was made: for a local change, when it was saved; for a
merged one, the time of its ``hlc`` (the sender's clock when the person saved it), the time it
arrived here being ``received_at``. Filters by date compare that time (``hlc`` stamps order it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from jcim_desktop.domain.entities import CONTACT_LABELS, ENTITIES, ENTITY_LABELS, FIELDS, field_label
from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry
from jcim_desktop.domain.orgs import ORGS, org_name
from jcim_desktop.errors import UserError
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import MODELS, AuditEntry, ReceivedPackage

ACTIONS: tuple[str, ...] = ("create", "update", "delete", "restore", "resolve", "conflict")
"""What an entry says happened: ``create`` (a new record, here or received), ``update``, ``delete``
(a tombstone), ``restore`` (undeleted), ``resolve`` (a person settled a conflict here), ``conflict``
(a version arrived that was made at the same time as another; the one with the later stamp is
shown, both are kept until a person chooses)."""

UNKNOWN_PERSON = ""
"""How the log names a person it does not know (a package from a version without ``by``)."""

CONTACT_FIELDS: dict[str, tuple[str, ...]] = {"needs": ("contact",), "seeds": ("contact",)}
"""Personal data: kept out of the command line's output unless asked for (``--include-contacts``)."""

HIDDEN_CONTACT = "（連絡先）"
"""What the command line shows instead of a contact's value."""

_CHUNK = 5000


@dataclass(frozen=True)
class AuditRow:
    """One entry of the change log."""

    log_id: int
    at: dt.datetime | None
    """When the change was made (a merged one: its hlc's time, on the sender's clock)."""
    by: str | None
    """The person who made it (None: not known)."""
    installation: str
    """The installation where it was made."""
    entity: str
    record_id: str
    owner: str | None
    """The record's owner (None: the record is not here, which a log entry never says otherwise)."""
    action: str
    changes: dict[str, tuple[Any, Any]]
    """field → (old, new); a PlannedDate by its parts (``planned.text`` …)."""
    package_id: str | None
    sender_org: str | None
    sender_installation: str | None
    received_at: dt.datetime | None
    """A merged change: when this installation merged it."""
    hlc: str
    title: str | None = None
    """What the record is called (its title, technology, label), as it is now."""
    lg_code: str | None = None
    fiscal_year: int | None = None

    @property
    def merged(self) -> bool:
        return self.package_id is not None


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).astimezone()
    except ValueError:
        return None


def _hlc_moment(hlc: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(hlc[:13]) / 1000).astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def _stamp(moment: dt.date | dt.datetime) -> str:
    """The hlc prefix of the start of ``moment`` (a date: its first instant, local time)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return f"{int(moment.timestamp() * 1000):013d}"


def parse_moment(text: str, what: str = "日付") -> dt.date | dt.datetime:
    """``2024-07-01`` (a day) or ``2024-07-01T09:30`` (a moment) typed on the command line."""
    value = text.strip()
    try:
        if "T" in value or " " in value:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(
            f"{what}「{text}」は日付として読めません。2024-07-01 のように年-月-日で指定してください"
            "（時刻まで指定するときは 2024-07-01T09:30）。"
        ) from None


def _conditions(
    record_id: str | None,
    since: dt.date | dt.datetime | None,
    until: dt.date | dt.datetime | None,
    person: str | None,
    org: str | None,
    entity: str | None,
) -> list[ColumnElement[bool]]:
    log = AuditEntry.__table__
    where: list[ColumnElement[bool]] = []
    if record_id is not None:
        where.append(log.c.record_id == record_id)
    if since is not None:
        where.append(log.c.hlc >= _stamp(since))
    if until is not None:
        # A day is included whole; a moment up to and including it.
        end = until + dt.timedelta(days=1) if not isinstance(until, dt.datetime) else until + dt.timedelta(milliseconds=1)
        where.append(log.c.hlc < _stamp(end))
    if person is not None:
        where.append(log.c.user_name == person)
    if entity is not None:
        where.append(log.c.entity == entity)
    if org is not None:
        owned = [
            and_(log.c.entity == name, log.c.record_id.in_(select(model.id).where(model.owner == org)))
            for name, model in MODELS.items() if entity is None or name == entity
        ]
        where.append(or_(log.c.sender_org == org, *owned) if owned else log.c.sender_org == org)
    return where


def audit(
    ctx: AppContext,
    record_id: str | None = None,
    since: dt.date | dt.datetime | None = None,
    person: str | None = None,
    org: str | None = None,
    entity: str | None = None,
    until: dt.date | dt.datetime | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """The change log, newest first: of one record (``record_id``), from ``since`` (a day: from its
    start) to ``until`` (a day: to its end), by one person (``""``: those not known), of the records
    of one organisation or received from it (``org``: the record's owner or the package's sender),
    of one kind of record (``entity``); at most ``limit`` entries."""
    if entity is not None and entity not in MODELS:
        raise UserError(f"記録の種類「{entity}」はありません。{'、'.join(MODELS)} のどれかを指定してください。")
    if org is not None and org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。{'、'.join(ORGS)} のどれかを指定してください。")
    if limit is not None and limit < 1:
        return []
    log = AuditEntry.__table__
    stmt = (select(log).where(*_conditions(record_id, since, until, person, org, entity))
            .order_by(log.c.hlc.desc(), log.c.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    with ctx.db.engine.connect() as conn:
        rows = list(conn.execute(stmt).mappings())
        about = _records(conn, ((r["entity"], r["record_id"]) for r in rows))
        packages = {r["package_id"] for r in rows if r["package_id"]}
        received: dict[str, str] = {}
        for chunk in _chunks(sorted(packages)):
            received.update((package_id, at) for package_id, at in conn.execute(
                select(ReceivedPackage.package_id, ReceivedPackage.received_at)
                .where(ReceivedPackage.package_id.in_(chunk))))
    out = []
    for row in rows:
        merged = row["package_id"] is not None
        owner, title, lg_code, fiscal_year = about.get((row["entity"], row["record_id"]), (None, None, None, None))
        out.append(AuditRow(
            log_id=int(row["id"]),
            at=_hlc_moment(row["hlc"]) if merged else _moment(row["at"]) or _hlc_moment(row["hlc"]),
            by=row["user_name"] or None,
            installation=row["installation_id"],
            entity=row["entity"],
            record_id=row["record_id"],
            owner=owner,
            action=row["action"],
            changes={name: (pair[0], pair[1]) for name, pair in dict(row["changes"] or {}).items()},
            package_id=row["package_id"],
            sender_org=row["sender_org"],
            sender_installation=row["sender_installation"],
            received_at=_moment(received.get(row["package_id"]) or row["at"]) if merged else None,
            hlc=row["hlc"],
            title=title,
            lg_code=lg_code,
            fiscal_year=fiscal_year,
        ))
    return out


def record_history(ctx: AppContext, entity: str, record_id: str) -> list[AuditRow]:
    """The change log of one record, newest first (the 変更履歴 tab of its dialog)."""
    return audit(ctx, record_id=record_id, entity=entity)


def people(ctx: AppContext) -> list[str]:
    """The names of everyone the log names, in order (``""`` last when someone is not known)."""
    log = AuditEntry.__table__
    with ctx.db.engine.connect() as conn:
        names = [name for (name,) in conn.execute(select(log.c.user_name).distinct())]
    known = sorted(name for name in names if name)
    return [*known, UNKNOWN_PERSON] if UNKNOWN_PERSON in names else known


def audited_entities() -> list[str]:
    """The kinds of record the log can name, in the order of SYNC_FORMAT §4."""
    return [name for name in ENTITIES if name in MODELS]


# What a record is called -----------------------------------------------------------------------

_TITLE: dict[str, str] = {"events": "title", "needs": "title", "seeds": "tech_name", "trials": "title",
                          "trusted_keys": "label", "support_activities": "note"}
_LG: dict[str, str] = {"needs": "lg_code", "trials": "lg_code", "support_activities": "lg_code",
                       "municipality_status": "lg_code"}
_FY: dict[str, str] = {"kpi_targets": "fiscal_year", "closed_tallies": "fiscal_year"}


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


Described = tuple[str | None, str | None, str | None, int | None]


def _records(conn: Any, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Described]:
    """(entity, id) → (owner, title, lg_code, fiscal_year) of the records named, as they are now."""
    wanted: dict[str, set[str]] = {}
    for entity, record_id in keys:
        if entity in MODELS:
            wanted.setdefault(entity, set()).add(record_id)
    found: dict[tuple[str, str], Described] = {}
    refs: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for entity, ids in wanted.items():
        table = MODELS[entity].__table__  # type: ignore[attr-defined]
        columns = [table.c.id, table.c.owner]
        extra = {"title": _TITLE.get(entity), "lg": _LG.get(entity), "fy": _FY.get(entity)}
        if entity == "matchings":
            columns += [table.c.need_id, table.c.seed_id]
        elif entity == "pitch_presentations":
            columns += [table.c.seed_id]
        for name in extra.values():
            if name is not None:
                columns.append(table.c[name])
        for chunk in _chunks(sorted(ids)):
            for row in conn.execute(select(*columns).where(table.c.id.in_(chunk))).mappings():
                key = (entity, row["id"])
                found[key] = (
                    row["owner"],
                    row[extra["title"]] if extra["title"] else None,
                    row[extra["lg"]] if extra["lg"] else None,
                    row[extra["fy"]] if extra["fy"] else None,
                )
                if entity == "matchings":
                    refs[key] = (row["need_id"], row["seed_id"])
                elif entity == "pitch_presentations":
                    refs[key] = (None, row["seed_id"])
    if refs:
        names = _names(conn, refs.values())
        for key, (need_id, seed_id) in refs.items():
            parts = [names.get(("needs", need_id)) if need_id else None, names.get(("seeds", seed_id)) if seed_id else None]
            owner, _title, lg_code, fiscal_year = found[key]
            found[key] = (owner, " × ".join(p for p in parts if p) or None, lg_code, fiscal_year)
    return found


def _names(conn: Any, pairs: Iterable[tuple[str | None, str | None]]) -> dict[tuple[str, str], str]:
    needs = sorted({n for n, _s in pairs if n})
    seeds = sorted({s for _n, s in pairs if s})
    names: dict[tuple[str, str], str] = {}
    for entity, ids, column in (("needs", needs, "title"), ("seeds", seeds, "tech_name")):
        table = MODELS[entity].__table__  # type: ignore[attr-defined]
        for chunk in _chunks(ids):
            for record_id, name in conn.execute(select(table.c.id, table.c[column]).where(table.c.id.in_(chunk))):
                names[(entity, record_id)] = name
    return names


# The command line's shape ----------------------------------------------------------------------

def hides(entity: str, field: str) -> bool:
    """Whether ``field`` of ``entity`` is personal data (a contact, or one of its parts)."""
    return field.split(".", 1)[0] in CONTACT_FIELDS.get(entity, ())


def shown_value(row: AuditRow, field: str, value: Any, include_contacts: bool) -> Any:
    """``value`` as the command line may show it: a contact becomes 「（連絡先）」 unless asked for."""
    if include_contacts or value is None or not hides(row.entity, field):
        return value
    return HIDDEN_CONTACT


def as_json(row: AuditRow, *, include_contacts: bool = False) -> dict[str, Any]:
    """One entry as ``audit --format json`` prints it (SYNC_FORMAT §6)."""
    return {
        "at": row.at.isoformat(timespec="seconds") if row.at else None,
        "by": row.by,
        "installation": row.installation,
        "entity": row.entity,
        "id": row.record_id,
        "owner": row.owner,
        "action": row.action,
        "changes": {
            name: {"old": shown_value(row, name, old, include_contacts),
                   "new": shown_value(row, name, new, include_contacts)}
            for name, (old, new) in row.changes.items()
        },
        "package_id": row.package_id,
        "sender": {"org": row.sender_org, "installation": row.sender_installation} if row.merged else None,
        "received_at": row.received_at.isoformat(timespec="seconds") if row.received_at else None,
    }



# The command line's text ---------------------------------------------------------------------------

ACTION_LABELS: dict[str, str] = {"create": "登録", "update": "変更", "delete": "削除", "restore": "削除の取り消し",
                                 "resolve": "競合の解決", "conflict": "競合", "import": "パッケージの取り込み",
                                 "undo_import": "取り込みの取り消し"}
PLANNED_PARTS: dict[str, str] = {"text": "記入", "start": "開始", "end": "終了", "precision": "精度",
                                 "tentative": "仮"}
_PSEUDO_FIELDS: dict[str, str] = {"deleted": "削除", "owner": "登録組織"}


def field_name(entity: str, field: str) -> str:
    """A logged field's Japanese name: 技術テーマ, 開催予定日（開始）, 削除."""
    if field in _PSEUDO_FIELDS:
        return _PSEUDO_FIELDS[field]
    name, _dot, part = field.partition(".")
    label = field_label(entity, name)
    return f"{label}（{PLANNED_PARTS.get(part, part)}）" if part else label


def value_text(entity: str, field: str, value: Any, registry: LocalGovernmentRegistry | None = None) -> str:
    """A logged value in plain Japanese (codes by their labels, local governments by their names
    when ``registry`` is given; nothing: （なし））."""
    if value is None or value == "" or value == [] or value == {}:
        return "（なし）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    name = field.partition(".")[0]
    if field == "owner":
        return org_name(str(value)) if value in ORGS else str(value)
    spec = next((s for s in FIELDS.get(entity, ()) if s.name == name), None)
    choices = spec.choices if spec is not None else None
    kind = spec.type if spec is not None else ""

    def place(code: Any) -> str:
        found = registry.get(code) if registry is not None and isinstance(code, str) else None
        return found.full_name if found is not None else str(code)

    if kind == "lg_code":
        return place(value)
    if kind == "contact" and isinstance(value, dict):
        return "、".join(f"{CONTACT_LABELS.get(k, k)} {v}" for k, v in value.items() if v) or "（なし）"
    if isinstance(value, list):
        if kind in ("orgs", "trust_orgs"):
            return "、".join(org_name(v) if v in ORGS else str(v) for v in value)
        if kind == "lg_codes":
            return "、".join(place(v) for v in value)
        if all(isinstance(v, str) for v in value):
            return "、".join(choices.get(v, v) if choices else v for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if choices and isinstance(value, str):
        return choices.get(value, value)
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def text_lines(row: AuditRow, *, include_contacts: bool = False,
               registry: LocalGovernmentRegistry | None = None) -> list[str]:
    """One entry as ``audit`` prints it for people: a heading line, then a line per field."""
    when = row.at.strftime("%Y-%m-%d %H:%M") if row.at else "（日時不明）"
    what = ENTITY_LABELS.get(row.entity, "受信パッケージ" if row.entity == "received_packages" else row.entity)
    name = row.title or (row.lg_code or "") or (f"{row.fiscal_year}年度" if row.fiscal_year else "")
    owner = f"　{org_name(row.owner)}" if row.owner in ORGS else ""
    lines = [f"{when}　{row.by or '（不明）'}　{ACTION_LABELS.get(row.action, row.action)}　"
             f"{what}{f'「{name}」' if name else ''}{owner}　id {row.record_id}"]
    for field, (old, new) in row.changes.items():
        if field == "deleted" and row.action in ("delete", "restore"):
            continue
        if not include_contacts and hides(row.entity, field):
            lines.append(f"    {field_name(row.entity, field)}: 変更あり（個人情報のため表示しません。"
                         "--include-contacts で表示）")
            continue
        lines.append(f"    {field_name(row.entity, field)}: {value_text(row.entity, field, old, registry)} → "
                     f"{value_text(row.entity, field, new, registry)}")
    if row.merged:
        sender = org_name(row.sender_org) if row.sender_org in ORGS else (row.sender_org or "（不明）")
        received = f"、{row.received_at.strftime('%Y-%m-%d %H:%M')} 取り込み" if row.received_at else ""
        lines.append(f"    受信: {sender}の端末 {(row.sender_installation or '')[:8]} から、"
                     f"パッケージ {row.package_id}{received}")
    return lines
