"""Sync use cases: export a package, check and import packages, trust keys, resolve conflicts."""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm.attributes import flag_modified

from jcim_desktop import __version__
from jcim_desktop.domain import entities
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, org_name
from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.errors import NotFound, PermissionDenied, UserError, ValidationError, log_bug, user_error_from_os
from jcim_desktop.services import encryption, key_registry, records
from jcim_desktop.services.changes import NOTHING, Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.store import journal
from jcim_desktop.store.bulk import EXTRA, data_from_row
from jcim_desktop.store.database import retry_when_busy
from jcim_desktop.store.locks import lock_for_import
from jcim_desktop.store.models import (
    MODELS,
    AuditEntry,
    ConflictVersion,
    Installation,
    InstallationKey,
    ReceivedPackage,
    TrustedKey,
)
from jcim_desktop.sync import keys
from jcim_desktop.sync.merge import Counts, MergeResult, MergeSource, merge_records
from jcim_desktop.sync.package import Manifest, PackageRejected, ScannedPackage, scan_package, write_package

log = logging.getLogger(__name__)

ALL_ORGS = "*"
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {"needs": ("contact",), "seeds": ("contact",)}
Progress = Callable[[int, int, str], None]
Undoable = journal.Undoable
"""An import that can be undone (``undoable_imports``)."""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _moment(text: str | None) -> dt.datetime | None:
    """A stored ISO date-time in this computer's time zone (None when absent or unreadable)."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).astimezone()
    except ValueError:
        return None


# Export ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    sequence: int
    scope: str
    counts: dict[str, int]
    includes_contacts: bool
    encrypted_to: tuple[str, ...] = ()
    """The age recipients the package was encrypted to (§7; empty: not encrypted)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def export_package(
    ctx: AppContext,
    out: Path | str,
    *,
    scope: str = "org",
    include_contacts: bool = False,
    progress: Progress | None = None,
    encrypt_to: Sequence[str] = (),
) -> ExportResult:
    """Write a signed package of what this installation may write (``national``: all it holds).

    With ``encrypt_to`` (age recipients) the file is the package encrypted to them (§7, age
    binary format); the plaintext never reaches the disk.
    """
    recipients = encryption.check_recipients(encrypt_to)
    if scope not in ("org", "national"):
        raise UserError(f"範囲「{scope}」は指定できません。org か national を指定してください。")
    if scope == "national" and not ctx.is_secretariat:
        raise PermissionDenied("全国の記録をまとめた配布用パッケージ（national）を作れるのは事務局だけです。")
    owners = None if scope == "national" else sorted(ctx.writable_owners())
    out = Path(out)
    counts: dict[str, int] = {}
    # Records are written as they are read (a few thousand at a time): memory does not grow with
    # the database. The counts first are for the progress; the manifest says what was written.
    with ctx.db.engine.connect() as conn:
        statements = {}
        for entity, model in MODELS.items():
            table = model.__table__  # type: ignore[attr-defined]
            stmt = select(table)
            if owners is not None:
                stmt = stmt.where(table.c.owner.in_(owners))
            number = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar() or 0
            if number:
                statements[entity] = stmt.order_by(table.c.id)
                counts[entity] = number
        personal = {} if include_contacts else PERSONAL_FIELDS

        def envelopes(entity: str, stmt: Any) -> Iterator[dict[str, Any]]:
            hidden = personal.get(entity, ())
            for row in conn.execution_options(yield_per=2000).execute(stmt).mappings():
                deleted = bool(row["deleted"])
                data: dict[str, Any] = {} if deleted else data_from_row(entity, dict(row))
                for name in hidden:
                    if name in data:
                        data[name] = None
                envelope = {"id": row["id"], "owner": row["owner"], "hlc": row["hlc"], "vv": dict(row["vv"]),
                            "deleted": deleted, "data": data}
                if row["changed_by"]:
                    envelope["by"] = row["changed_by"]  # who made the last change (§4)
                yield envelope

        with ctx.unit_of_work() as session:
            installation = session.get(Installation, ctx.installation_id)
            assert installation is not None
            installation.package_sequence += 1
            sequence = installation.package_sequence
            private_key = keys.load_private_key(ctx.key_dir)
            total = sum(counts.values())
            try:
                manifest = write_package(
                    out,
                    {entity: envelopes(entity, stmt) for entity, stmt in statements.items()},
                    origin_org=ctx.org,
                    installation_id=ctx.installation_id,
                    app_version=__version__,
                    sequence=sequence,
                    scope=scope,
                    private_key=private_key,
                    includes_contacts=include_contacts,
                    progress=(lambda done, _total: progress(done, total, "パッケージを書いています…")) if progress
                    else None,
                    data_dir=ctx.data_dir,
                    encrypt_to=recipients,
                    age_recipient=encryption.own_recipient_or_none(ctx),
                )
            except OSError as exc:
                # Nothing is left half-written and the package number is not used up (rolled back).
                raise user_error_from_os(exc, "同期パッケージの書き出し", out) from exc
    written = {entry.entity: entry.records for entry in manifest.files}
    return ExportResult(out, manifest.package_id, sequence, scope, written, include_contacts, tuple(recipients))


# Checking ----------------------------------------------------------------------------------------

@dataclass
class CheckedPackage:
    """A package that passed the rules of SYNC_FORMAT §2 that need no database (one streaming
    pass, ``scan_package``) and the trust check. Its records are read again, validated and cleaned
    batch by batch, by ``records`` inside the merge's transaction: a record that fails there rolls
    the whole package back (all or nothing, §2), and memory does not grow with the package."""

    path: Path
    package: ScannedPackage
    ctx: AppContext

    @property
    def manifest(self) -> Manifest:
        return self.package.manifest

    @property
    def includes_contacts(self) -> bool:
        """Whether the writer included contacts (§2); a package that does not say is taken as not."""
        return self.package.manifest.includes_contacts is True

    @property
    def created(self) -> dt.datetime | None:
        """When the package was written, in this computer's time zone."""
        return _moment(self.package.manifest.created_at)

    @property
    def encrypted(self) -> bool:
        """Whether the package arrived encrypted (§7) and was decrypted here."""
        return self.package.encrypted

    def records(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(entity, validated and cleaned envelopes) in batches; ``PackageRejected`` for the first
        record that fails (the caller's transaction rolls back)."""
        for entity in self.package.counts:
            for batch in self.package.batches(entity):
                yield entity, _cleaned(self.ctx, entity, batch, drop_contacts=not self.includes_contacts)

    def all_records(self) -> dict[str, list[dict[str, Any]]]:
        """Every record, validated and cleaned, in memory (small packages and tests)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for entity, batch in self.records():
            found.setdefault(entity, []).extend(batch)
        return found


def allowed_owners(ctx: AppContext, public_key: str, created_at: str | None = None) -> frozenset[str] | None:
    """The owners a key may write here in a package created at ``created_at`` (the manifest's;
    None: today), or None when the key is not trusted at all: the orgs it is trusted for by hand,
    and those the secretariat registered it for (§4 trusted_keys) unless the package was created
    after the key's revocation (``key_registry``)."""
    if public_key == ctx.public_key:
        return ctx.writable_owners()
    with ctx.reading() as session:
        row = session.get(TrustedKey, public_key)
    if row is not None and ctx.is_secretariat and key_registry.registration_of(ctx, public_key) is not None:
        row = None  # at the secretariat a key it registered is trusted through the registration (and its revocation)
    registered = key_registry.registered_owners(ctx, public_key, created_at)
    if row is None:
        return registered or None
    if ALL_ORGS in row.orgs:
        return frozenset(ORGS)
    return frozenset(row.orgs) | registered


@dataclass(frozen=True)
class UntrustedSigner:
    """Who signed a package this installation does not trust (enough), as facts a window can
    show and act on: the sender, the key, and which organisations' records the package holds."""

    public_key: str
    key_id: str
    sender_org: str
    installation: str
    scope: str
    orgs: tuple[str, ...]
    """The owners of the package's records (SYNC_FORMAT §1 order)."""
    refused: tuple[str, ...]
    """Those of ``orgs`` the key may not write here (all of them when the key is unknown)."""
    trusted: tuple[str, ...]
    """The orgs the key is already trusted for (empty when it is unknown; ``*``: every org)."""

    @property
    def known(self) -> bool:
        """Whether the key is trusted here at all (for other orgs than the package needs)."""
        return bool(self.trusted)

    @property
    def suggested_orgs(self) -> tuple[str, ...]:
        """The orgs to trust the key for so that the package can be imported: those it is trusted
        for already, the package's owners, and the sender's own org."""
        wanted = {*self.trusted, *self.orgs, self.sender_org} - {ALL_ORGS}
        return tuple(code for code in ORGS if code in wanted)

    @property
    def suggests_everyone(self) -> bool:
        """A national package (the secretariat's, for information sharing) is trusted for every org."""
        return self.scope == "national" or ALL_ORGS in self.trusted


class KeyNotTrusted(PackageRejected):
    """A package signed by a key this installation does not trust for every owner in it
    (``untrusted_key``: not at all; ``untrusted_owner``: not for some of the orgs). ``signer``
    holds the facts; ``message`` is the command line's wording."""

    def __init__(self, code: str, message: str, signer: UntrustedSigner) -> None:
        super().__init__(code, message)
        self.signer = signer


def _order(codes: Iterable[str]) -> tuple[str, ...]:
    """Org codes in SYNC_FORMAT §1 order (codes this version does not know last)."""
    known = list(ORGS)
    return tuple(sorted(set(codes), key=lambda c: (known.index(c) if c in known else len(known), c)))


def _not_trusted(ctx: AppContext, manifest: Manifest, owners: set[str], allowed: frozenset[str] | None) -> None:
    """Refuse a package whose key may not write every owner in it, with the facts (KeyNotTrusted)."""
    if allowed is not None and not owners - allowed:
        return
    revoked = key_registry.revoked_for(ctx, manifest.public_key, manifest.created_at, owners - (allowed or frozenset()))
    if revoked is not None:
        raise PackageRejected("revoked_key", _revoked_message(manifest, revoked))
    trusted: tuple[str, ...] = ()
    if allowed is not None:
        with ctx.reading() as session:
            row = session.get(TrustedKey, manifest.public_key)
        trusted = tuple(row.orgs) if row is not None and ALL_ORGS in row.orgs else _order(allowed)
    signer = UntrustedSigner(
        public_key=manifest.public_key, key_id=manifest.key_id, sender_org=manifest.origin_org,
        installation=manifest.origin_installation, scope=manifest.scope, orgs=_order(owners),
        refused=_order(owners if allowed is None else owners - allowed), trusted=trusted,
    )
    sender = f"{org_name(manifest.origin_org)}（端末 {manifest.origin_installation[:8]}）"
    codes = ",".join(signer.suggested_orgs) if not signer.suggests_everyone else "all"
    command = f"jcim-desktop trust add --org {codes} 送り主の公開鍵ファイル"
    button = "鍵を登録…" if ctx.is_secretariat else "鍵を追加…"
    if allowed is None:
        raise KeyNotTrusted(
            "untrusted_key",
            f"このパッケージは信頼されていない鍵（鍵ID {manifest.key_id}）で署名されています。送り主: {sender}。"
            "送り主に電話やメールで鍵IDを確かめてから、その公開鍵を信頼してください"
            f"（画面では「同期」ページの「{button}」、コマンドでは {command}）。",
            signer,
        )
    names = "、".join(org_name(o) for o in signer.refused)
    raise KeyNotTrusted(
        "untrusted_owner",
        f"鍵ID {manifest.key_id}（送り主: {sender}）は「{names}」の記録を書くことを信頼されていません。"
        "送り主と信頼の設定を確認してください"
        f"（信頼する組織を増やすには、画面では「同期」ページの「{button}」、コマンドでは {command}）。",
        signer,
    )


def _revoked_message(manifest: Manifest, revoked: key_registry.Registration) -> str:
    """A package signed by a registered key after the secretariat revoked it (§4)."""
    sender = f"{org_name(manifest.origin_org)}（端末 {manifest.origin_installation[:8]}）"
    created = key_registry.created_day(manifest.created_at)
    return (
        f"このパッケージの署名鍵（鍵ID {manifest.key_id}、事務局の登録名「{revoked.label}」）は、"
        f"事務局が {revoked.revoked_on} 付けで失効させています。このパッケージは {created} に作成されたため"
        f"取り込みません（失効日より後に作成されたパッケージは受け付けません）。送り主: {sender}。"
        "端末の紛失や交換で失効させた鍵です。事務局と送り主に確認してください。"
    )


def check_package(ctx: AppContext, path: Path | str) -> CheckedPackage:
    """Every rejection rule of §2 that needs no database writes, before anything is written.

    Raises ``PackageRejected`` (``KeyNotTrusted`` when the signing key may not write every owner
    in the package). The rules that depend on what is stored (owners never change, one key per
    installation) are checked again inside the import's transaction.
    """
    path = Path(path)
    # An encrypted package (§7) is decrypted in memory first, with this installation's identity.
    package = scan_package(path, identities=lambda: encryption.identities(ctx))
    manifest = package.manifest
    _not_trusted(ctx, manifest, package.owners, allowed_owners(ctx, manifest.public_key, manifest.created_at))
    with ctx.reading() as session:
        _check_installation_key(ctx, session.connection(), manifest)
    return CheckedPackage(path, package, ctx)


def _cleaned(ctx: AppContext, entity: str, batch: list[tuple[int, dict[str, Any]]], *,
             drop_contacts: bool) -> list[dict[str, Any]]:
    """One batch of a package's records validated (``PackageRejected`` naming the line) and cleaned.

    A package written without contacts says nothing about them: the field is left out, so that
    merging keeps the local value and conflicts do not show it as a difference (§2).
    """
    out = []
    personal = PERSONAL_FIELDS.get(entity, ()) if drop_contacts else ()
    secretariat_only = entity in entities.SECRETARIAT_ONLY

    def refuse(line: int, env: dict[str, Any], problem: str) -> PackageRejected:
        return PackageRejected(
            "invalid_record",
            f"records/{entity}.jsonl の {line} 行目（{entities.ENTITY_LABELS.get(entity, entity)}、id {env['id']}）: "
            f"{problem}",
        )

    for line, env in batch:
        if secretariat_only and env["owner"] != SECRETARIAT:
            raise refuse(line, env, "この記録は事務局のものでなければなりません。")
        data = env["data"]
        extra = None
        if data or not env["deleted"]:
            known, extra = entities.split_unknown(entity, data)
            if extra:
                problem = entities.number_problem(extra, "data")
                if problem is not None:
                    raise refuse(line, env, f"{problem}。送り主に確認してください。")
            try:
                data = records.clean(ctx, entity, known, strict=True)
            except ValidationError as exc:
                detail = "　".join(f"[{name}] {message}" for name, message in exc.errors.items())
                raise refuse(line, env, f"{detail} 送り主に確認してください。") from exc
            for name in personal:
                data.pop(name, None)
        # Only the envelope's own fields go on (and ``by``, checked to be a string or absent):
        # a later version's envelope fields are ignored.
        out.append({"id": env["id"], "owner": env["owner"], "hlc": env["hlc"], "vv": env["vv"],
                    "deleted": env["deleted"], "data": data, EXTRA: extra, "by": env.get("by")})
    return out


def _check_installation_key(ctx: AppContext, conn: Any, manifest: Manifest) -> None:
    """§2: an installation signs with one key; the binding is remembered at its first merge."""
    installation = manifest.origin_installation
    if installation == ctx.installation_id:
        bound: tuple[str | None, str] | None = (ctx.public_key, keys.key_id(ctx.public_key))
    else:
        row = conn.execute(
            select(InstallationKey.public_key, InstallationKey.key_id).where(InstallationKey.installation == installation)
        ).first()
        bound = (row[0], row[1]) if row is not None else None
    if bound is None:
        return
    public_key, key_id = bound
    if (public_key is not None and public_key != manifest.public_key) or (public_key is None and key_id != manifest.key_id):
        raise PackageRejected(
            "installation_key_changed",
            f"このパッケージの送り主の端末（{org_name(manifest.origin_org)}、端末ID {installation}）は、"
            f"これまで鍵ID {key_id} で署名していましたが、このパッケージは別の鍵（鍵ID {manifest.key_id}）で"
            "署名されています。1 つの端末の鍵は変わりません（鍵を替えるときは新しい端末として初期化します）。"
            "なりすましの可能性があるため取り込みません。送り主に電話などで確認してください。",
        )


def _remember_installation_key(conn: Any, manifest: Manifest, now: str) -> None:
    row = conn.execute(
        select(InstallationKey.public_key).where(InstallationKey.installation == manifest.origin_installation)
    ).first()
    if row is None:
        conn.execute(insert(InstallationKey).values(
            installation=manifest.origin_installation, public_key=manifest.public_key, key_id=manifest.key_id,
            org=manifest.origin_org, first_seen=now,
        ))
    elif row[0] is None:
        conn.execute(update(InstallationKey).where(InstallationKey.installation == manifest.origin_installation)
                     .values(public_key=manifest.public_key))


# Importing ---------------------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    file: str
    status: str  # "accepted" | "rejected" | "preview"
    package_id: str | None = None
    reason: str | None = None
    code: str | None = None
    org: str | None = None
    sequence: int | None = None
    newer: bool | None = None
    counts: Counts = field(default_factory=Counts)
    by_entity: dict[str, dict[str, int]] = field(default_factory=dict)
    untrusted: UntrustedSigner | None = None
    """Who signed a package refused for its key (``untrusted_key`` / ``untrusted_owner``)."""

    @property
    def changes(self) -> Changes:
        """What importing wrote: the records of each entity it inserted, updated or put in conflict,
        and always the log of received packages (受信状況 refreshes even when no record changed)."""
        if self.status != "accepted":
            return NOTHING
        written = Changes(frozenset({ReceivedPackage.__tablename__}))
        for entity, counts in self.by_entity.items():
            if counts.get("inserted") or counts.get("updated") or counts.get("conflicts"):
                written = written | Changes.records(entity)
        return written

    def as_json(self) -> dict[str, Any]:
        totals = self.counts.as_dict()
        return {"file": self.file, "package_id": self.package_id, "status": self.status, "reason": self.reason,
                **totals, "code": self.code, "newer": self.newer, "by_entity": self.by_entity}


def _last_sequence(ctx: AppContext, installation: str) -> int | None:
    with ctx.reading() as session:
        return session.scalar(
            select(func.max(ReceivedPackage.sequence)).where(ReceivedPackage.installation == installation)
        )


def _outcome(checked: CheckedPackage, status: str, result: MergeResult, newer: bool) -> ImportOutcome:
    m = checked.manifest
    return ImportOutcome(
        file=str(checked.path), status=status, package_id=m.package_id, org=m.origin_org, sequence=m.sequence,
        newer=newer, counts=result.totals,
        by_entity={entity: c.as_dict() for entity, c in result.by_entity.items()},
    )


def preview_import(ctx: AppContext, checked: CheckedPackage) -> ImportOutcome:
    """What importing would do (inserted / updated / unchanged / conflicts per entity); writes nothing."""
    last = _last_sequence(ctx, checked.manifest.origin_installation)
    with ctx.db.engine.connect() as conn:
        with conn.begin() as tx:
            _check_installation_key(ctx, conn, checked.manifest)
            result = merge_records(conn, checked.records(), now=_now(), dry_run=True,
                                   includes_contacts=checked.includes_contacts)
            tx.rollback()
    return _outcome(checked, "preview", result, last is None or checked.manifest.sequence > last)


def import_checked(ctx: AppContext, checked: CheckedPackage) -> ImportOutcome:
    """Merge a checked package in one transaction, journalled so that it can be undone
    (``undo_import``): no copy of the whole database is taken before it (DESIGN.md). Run once
    more when the server refused it for a colleague's write at the same moment (rolled back
    whole: the second run merges on what they wrote)."""
    return retry_when_busy(lambda: _import_checked_once(ctx, checked))


def _import_checked_once(ctx: AppContext, checked: CheckedPackage) -> ImportOutcome:
    m = checked.manifest
    now = _now()
    with ctx.db.engine.begin() as conn:
        # One import at a time (another person's on a shared database, another window's here):
        # everything below reads what the imports before this one wrote.
        lock_for_import(conn)
        last = conn.execute(
            select(func.max(ReceivedPackage.sequence)).where(ReceivedPackage.installation == m.origin_installation)
        ).scalar()
        newer = last is None or m.sequence > last
        # Checked again inside the transaction: another import may have run since the check.
        _check_installation_key(ctx, conn, m)
        key = conn.execute(
            ReceivedPackage.__table__.insert(),  # type: ignore[attr-defined]
            {
                "package_id": m.package_id, "installation": m.origin_installation, "org": m.origin_org,
                "sequence": m.sequence, "scope": m.scope, "key_id": m.key_id, "created_at": m.created_at,
                "received_at": now, "file_name": checked.path.name, "records": checked.package.record_count(),
                "newer": newer, "counts": {},
            },
        ).inserted_primary_key
        assert key is not None
        received_id = int(key[0])
        result = merge_records(conn, checked.records(), now=now, includes_contacts=checked.includes_contacts,
                               source=MergeSource(m.package_id, m.origin_org, m.origin_installation, received_id))
        # Who imported it (when it changed anything): the change log says so, and colleagues on a
        # shared database are told by it (store.watch) while one's own import is not announced back.
        totals = result.totals
        if totals.inserted or totals.updated or totals.conflicts:
            conn.execute(insert(AuditEntry), [{
                "at": now, "user_name": ctx.user_name, "installation_id": ctx.installation_id,
                "entity": "received_packages", "record_id": m.package_id, "action": "import",
                "hlc": ctx.clock.tick(), "changes": {}, "package_id": m.package_id, "sender_org": m.origin_org,
                "sender_installation": m.origin_installation,
            }])
        conn.execute(update(ReceivedPackage).where(ReceivedPackage.id == received_id).values(
            counts={e: c.as_dict() for e, c in result.by_entity.items()}))
        _remember_installation_key(conn, m, now)
        encryption.remember_recipient(conn, m, now, encryption.own_recipient_or_none(ctx))
        if result.max_hlc is not None:
            ctx.clock.observe(result.max_hlc)
            conn.execute(
                update(Installation).where(Installation.id == ctx.installation_id).values(hlc_last=ctx.clock.last)
            )
        journal.prune(conn, ctx.db.keep_backups)
    return _outcome(checked, "accepted", result, newer)


@dataclass(frozen=True)
class UndoneImport:
    """Imports undone (newest first): what ``undo_import`` did."""

    undone: tuple[journal.Undoable, ...]

    @property
    def changes(self) -> Changes:
        return Changes.everything() if self.undone else NOTHING


def undoable_imports(ctx: AppContext) -> list[journal.Undoable]:
    """The imports that can be undone, newest first (the journals of the newest ones are kept)."""
    with ctx.db.engine.connect() as conn:
        return journal.undoable(conn)


def undo_import(ctx: AppContext, package: str) -> UndoneImport:
    """Undo the newest import of ``package`` (a package id, or the received row's number) and every
    newer import, as restoring a backup taken before it would, but keeping every other change.
    ``UserError`` (nothing written) if it cannot be undone: no journal, or a record it changed has
    changed since."""
    undone: tuple[journal.Undoable, ...] = ()
    target: journal.Undoable | None = None
    try:
        with ctx.db.engine.begin() as conn:
            # Not while an import runs (it would change what is undone under our feet).
            lock_for_import(conn)
            imports = journal.undoable(conn)
            target = next((u for u in imports if u.package_id == package or str(u.received_id) == package), None)
            if target is None:
                raise UserError(
                    f"取り込み {package} は取り消せません（取り消せるのは、最近の {ctx.db.keep_backups} 件の取り込みだけです）。"
                    "それより前の状態に戻すには、バックアップから復元してください（backup list / backup restore）。"
                )
            undone = tuple(u for u in imports if u.received_id >= target.received_id)
            journal.undo(conn, target.received_id)
            for u in undone:
                conn.execute(insert(AuditEntry), [{
                    "at": _now(), "user_name": ctx.user_name, "installation_id": ctx.installation_id,
                    "entity": "received_packages", "record_id": u.package_id, "action": "undo_import",
                    "hlc": ctx.clock.tick(), "changes": {}, "package_id": u.package_id, "sender_org": u.org,
                    "sender_installation": None,
                }])
    except journal.ChangedSince as exc:
        label = entities.ENTITY_LABELS.get(exc.entity, exc.entity)
        which = next((u for u in undone if u.received_id == exc.received_id), target)
        assert which is not None
        raise UserError(
            f"{label}（id {exc.record_id}）は、{org_name(which.org)}のパッケージ（第{which.sequence}号）を取り込んだあとで"
            "変更されているため、取り込みを取り消せません（取り消すとその変更が失われます）。何も変更していません。"
            "取り込む前の状態に戻すには、バックアップから復元してください。"
        ) from exc
    return UndoneImport(undone)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Checking and merging allocate hundreds of thousands of short-lived dicts and no cycles;
    the cyclic collector would scan them over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_packages(ctx: AppContext, paths: Sequence[Path | str], progress: Progress | None = None) -> list[ImportOutcome]:
    """Check and merge each package on its own (§2): a rejection, a fault or even a bug in one
    never loses another's result, and every package gets an outcome."""
    with _collector_paused():
        return _import_packages(ctx, paths, progress)


def _import_packages(ctx: AppContext, paths: Sequence[Path | str], progress: Progress | None) -> list[ImportOutcome]:
    outcomes = []
    for index, path in enumerate(paths):
        if progress:
            progress(index, len(paths), f"{Path(path).name} を確認しています…")
        try:
            checked = check_package(ctx, path)
            outcome = import_checked(ctx, checked)
        except PackageRejected as exc:
            outcome = ImportOutcome(str(path), "rejected", reason=exc.message, code=exc.code,
                                    untrusted=exc.signer if isinstance(exc, KeyNotTrusted) else None)
        except UserError as exc:  # disk full, locked, read-only: the package is not merged
            outcome = ImportOutcome(str(path), "rejected", reason=exc.message, code="not_merged")
        except OSError as exc:
            outcome = ImportOutcome(str(path), "rejected", reason=f"ファイルを読めません（{exc.strerror or exc}）。",
                                    code="unreadable")
        except Exception as exc:  # noqa: BLE001 - a bug with one package must not cost the others their result
            log.error("unexpected error importing %s", path, exc_info=exc)
            logged = log_bug(exc, ctx.data_dir)
            where = f"詳細は {logged} に記録しました。" if logged is not None else ""
            outcome = ImportOutcome(
                str(path), "rejected", code="internal_error",
                reason=f"このパッケージの取り込み中に予期しないエラーが発生しました（{type(exc).__name__}）。"
                       f"このパッケージは取り込まれていません（他のパッケージには影響しません）。{where}"
                       "事務局またはシステム担当者に連絡してください。",
            )
        outcomes.append(outcome)
    if progress:
        progress(len(paths), len(paths), "完了しました。")
    return outcomes


# Trust -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trust:
    """A key trusted here: by hand (``trust add``), by the secretariat's registration (§4
    trusted_keys, where it is honoured: ``key_registry``), or both. ``orgs`` are those of both."""

    key_id: str
    public_key: str
    orgs: tuple[str, ...]
    added_at: str
    note: str | None
    by_hand: bool = True
    """Trusted by hand here, whatever the secretariat registers or revokes (at the secretariat, a
    key it registered is trusted through its registration: not by hand)."""
    registration: key_registry.Registration | None = None
    """The secretariat's registration of the key, where registrations are honoured."""
    changes: Changes = NOTHING
    """What trusting, registering or removing the key wrote (registrations are records)."""

    @property
    def registered(self) -> bool:
        return self.registration is not None

    @property
    def label(self) -> str | None:
        """The name the secretariat registered the key under."""
        return self.registration.label if self.registration is not None else None

    @property
    def revoked_on(self) -> dt.date | None:
        """The revocation date of a key trusted only through its (revoked) registration: its
        packages created after that day are refused. None for a key still trusted."""
        if self.by_hand or self.registration is None:
            return None
        return self.registration.revoked_on

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None

    @property
    def everyone(self) -> bool:
        """Whether the key may write the records of every organisation."""
        return ALL_ORGS in self.orgs

    @property
    def added(self) -> dt.datetime | None:
        return _moment(self.added_at)

    @property
    def org_names(self) -> str:
        """The organisations in Japanese (the command line's wording; the window uses ``orgs``)."""
        if ALL_ORGS in self.orgs:
            return "すべての組織"
        return "、".join(org_name(o) for o in self.orgs)


def parse_orgs(text: str) -> list[str]:
    """``chugoku,kinki`` or ``all``; a Japanese error naming an unknown code."""
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise UserError("組織コードを指定してください（例: --org chugoku、すべてなら --org all）。")
    if codes == ["all"]:
        return [ALL_ORGS]
    unknown = [c for c in codes if c not in ORGS]
    if unknown:
        raise UserError(f"組織コード「{'、'.join(unknown)}」はありません。使えるコード: {', '.join(ORGS)}、all")
    return codes


def add_trust(ctx: AppContext, public_key: str, orgs: Sequence[str], note: str | None = None) -> Trust:
    """Trust ``public_key`` to write records owned by ``orgs`` (``["*"]``: every org)."""
    public_key = public_key.strip()
    try:
        keys.decode_public_key(public_key)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if public_key == ctx.public_key:
        raise UserError("これはこの端末自身の鍵です。登録は要りません。")
    with ctx.reading() as session:
        row = session.get(TrustedKey, public_key)
        if row is None:
            row = TrustedKey(public_key=public_key, key_id=keys.key_id(public_key), orgs=list(orgs), added_at=_now(),
                             note=note)
        else:
            row.orgs = sorted(set(row.orgs) | set(orgs))
            flag_modified(row, "orgs")
            if note:
                row.note = note
        session.add(row)
        session.commit()
        return Trust(row.key_id, row.public_key, tuple(row.orgs), row.added_at, row.note)


def trust_key(ctx: AppContext, public_key: str, orgs: Sequence[str], note: str | None = None) -> Trust:
    """What ``trust add`` and the window's 鍵を追加… do: at the secretariat, trust the key and
    register it (``key_registry.register_key``; ``note`` is its name) so that every installation that
    trusts the secretariat trusts it too; elsewhere, trust it here by hand (``add_trust``)."""
    if not ctx.is_secretariat:
        return add_trust(ctx, public_key, orgs, note)
    registration = key_registry.register_key(ctx, public_key, orgs, note)
    entry = next(t for t in list_trust(ctx) if t.public_key == registration.public_key)
    return replace(entry, changes=registration.changes)


def _merged_orgs(*groups: Iterable[str]) -> tuple[str, ...]:
    codes = {code for group in groups for code in group}
    return (ALL_ORGS,) if ALL_ORGS in codes else _order(codes)


def list_trust(ctx: AppContext) -> list[Trust]:
    """Every key trusted here: those trusted by hand (oldest first), then those only the
    secretariat registered (where registrations are honoured), revoked ones included."""
    with ctx.reading() as session:
        rows = session.scalars(select(TrustedKey).order_by(TrustedKey.added_at)).all()
        hand = [(r.key_id, r.public_key, tuple(r.orgs), r.added_at, r.note) for r in rows]
    registered = {r.public_key: r for r in key_registry.registrations(ctx)} if key_registry.in_effect(ctx) else {}
    out = []
    for key_id, public_key, orgs, added_at, note in hand:
        registration = registered.pop(public_key, None)
        if registration is None:
            out.append(Trust(key_id, public_key, orgs, added_at, note))
        elif ctx.is_secretariat:
            # The secretariat's own trust in a key it registered is part of the registration.
            out.append(Trust(key_id, public_key, _merged_orgs(orgs, registration.orgs), added_at,
                             None if note == registration.label else note, False, registration))
        else:
            out.append(Trust(key_id, public_key, _merged_orgs(orgs, registration.orgs), added_at, note, True,
                             registration))
    registered.pop(ctx.public_key, None)  # this installation's own key, registered by the secretariat
    for registration in registered.values():
        changed = registration.changed.isoformat(timespec="seconds") if registration.changed else ""
        out.append(Trust(registration.key_id, registration.public_key, registration.orgs, changed, None, False,
                         registration))
    return out


class KeyIsRegistered(UserError):
    """At the secretariat, ``remove_trust`` of a registered key without ``unregister``: a
    registered key is revoked (``key_registry.revoke_key``) rather than removed."""

    def __init__(self, trust: Trust) -> None:
        super().__init__(
            f"鍵ID {trust.key_id} は事務局が登録した鍵です（{trust.label}）。登録した鍵は、信頼をやめる代わりに"
            f"失効させます: jcim-desktop trust revoke {trust.key_id} [--on 日付]（失効日までに作成された"
            "パッケージは引き続き受け付け、それより後のものは各フォーラムでも受け付けなくなります）。"
            f"間違えて登録したときは、登録を取り消せます: jcim-desktop trust remove {trust.key_id} --unregister"
        )
        self.trust = trust


def remove_trust(ctx: AppContext, key: str, *, unregister: bool = False) -> Trust:
    """Stop trusting a key, named by its key id (1a2b-3c4d-…) or its base64 public key.

    At the secretariat a registered key is revoked rather than removed (``KeyIsRegistered``);
    ``unregister`` withdraws its registration altogether. Elsewhere only a key trusted by hand can
    be removed: one that only the secretariat registered is revoked there."""
    key = key.strip()
    public_key = key_registry.find_public_key(ctx, key)
    entry = next((t for t in list_trust(ctx) if t.public_key == public_key), None) if public_key else None
    if entry is None:
        raise NotFound(f"鍵「{key}」は信頼済みの鍵に登録されていません。jcim-desktop trust list で確認してください。")
    if entry.registration is not None and ctx.is_secretariat:
        if not unregister:
            raise KeyIsRegistered(entry)
        withdrawn = key_registry.unregister_key(ctx, entry.public_key)
        return replace(entry, changes=withdrawn.changes)
    if not entry.by_hand:
        raise UserError(
            f"鍵ID {entry.key_id} は事務局が登録した鍵です（{entry.label}）。この端末で手動で信頼した鍵ではないため、"
            "ここでは信頼をやめられません。この鍵を使わせたくないときは、事務局に失効を依頼してください。"
        )
    with ctx.reading() as session:
        row = session.get(TrustedKey, entry.public_key)
        removed = replace(entry, orgs=tuple(row.orgs)) if row is not None else entry  # what was trusted by hand
        session.execute(delete(TrustedKey).where(TrustedKey.public_key == entry.public_key))
        session.commit()
    return removed


# What was received -------------------------------------------------------------------------------

@dataclass(frozen=True)
class InstallationLog:
    installation: str
    org: str
    last_sequence: int
    last_received_at: str
    last_created_at: str
    last_counts: dict[str, dict[str, int]]
    # Sequence numbers never received, as inclusive ranges (first, last): whatever numbers a
    # package carries (up to 2^53 - 1), the bookkeeping stays as small as the packages received.
    missing: tuple[tuple[int, int], ...]

    @property
    def has_gap(self) -> bool:
        return bool(self.missing)

    @property
    def received(self) -> dt.datetime | None:
        """When the last package was received, in this computer's time zone."""
        return _moment(self.last_received_at)

    @property
    def created(self) -> dt.datetime | None:
        """When the last package was written, in this computer's time zone."""
        return _moment(self.last_created_at)

    @property
    def missing_count(self) -> int:
        return sum(last - first + 1 for first, last in self.missing)


def sequence_gaps(received: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """The numbers from 1 to the greatest received that were not received, as ranges."""
    gaps: list[tuple[int, int]] = []
    expected = 1
    for number in sorted(set(received)):
        if number > expected:
            gaps.append((expected, number - 1))
        expected = max(expected, number + 1)
    return tuple(gaps)


def received_log(ctx: AppContext) -> list[InstallationLog]:
    """Per installation heard from: its last package and the sequence numbers never received."""
    with ctx.reading() as session:
        rows = session.scalars(select(ReceivedPackage).order_by(ReceivedPackage.id)).all()
        by_installation: dict[str, list[ReceivedPackage]] = {}
        for row in rows:
            by_installation.setdefault(row.installation, []).append(row)
        logs = []
        for installation, packages in by_installation.items():
            last = max(packages, key=lambda p: (p.sequence, p.id))
            missing = sequence_gaps(p.sequence for p in packages)
            logs.append(InstallationLog(installation, last.org, last.sequence, last.received_at, last.created_at,
                                        dict(last.counts), missing))
    logs.sort(key=lambda log: (list(ORGS).index(log.org) if log.org in ORGS else 99, log.installation))
    return logs


# Conflicts ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictVersionView:
    hlc: str
    vv: dict[str, int]
    deleted: bool
    data: dict[str, Any]
    is_current: bool

    @property
    def made_at(self) -> dt.datetime | None:
        """When this version was made (from its HLC stamp), in this computer's time zone."""
        try:
            millis = HlcStamp.parse(self.hlc).millis
        except ValueError:
            return None
        return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).astimezone()

    @property
    def installation(self) -> str:
        """The installation that made this version ("" when its stamp is unreadable)."""
        try:
            return HlcStamp.parse(self.hlc).node
        except ValueError:
            return ""


@dataclass(frozen=True)
class Conflict:
    entity: str
    record_id: str
    owner: str
    versions: tuple[ConflictVersionView, ...]
    writable: bool

    @property
    def label(self) -> str:
        current = next((v for v in self.versions if v.is_current), self.versions[0])
        data = current.data
        return str(data.get("title") or data.get("tech_name") or data.get("company") or data.get("kpi")
                   or data.get("lg_code") or self.record_id)

    def differing_fields(self) -> list[str]:
        """Fields whose values differ between the live versions.

        A field a version does not carry (contacts left out of a package, §2) is not a
        difference: that version says nothing about it.
        """
        names: list[str] = []
        live = [v for v in self.versions if not v.deleted]
        for spec in entities.FIELDS.get(self.entity, ()):
            values = {repr(v.data[spec.name]) for v in live if spec.name in v.data}
            if len(values) > 1:
                names.append(spec.name)
        if len({v.deleted for v in self.versions}) > 1:
            names.append("deleted")
        return names


def conflicts(ctx: AppContext) -> list[Conflict]:
    """Open conflicts: records with two or more versions none of which supersedes the others."""
    with ctx.reading() as session:
        rows = session.scalars(
            select(ConflictVersion).order_by(ConflictVersion.entity, ConflictVersion.record_id, ConflictVersion.hlc)
        ).all()
        grouped: dict[tuple[str, str], list[ConflictVersion]] = {}
        for row in rows:
            grouped.setdefault((row.entity, row.record_id), []).append(row)
        out = []
        for (entity, record_id), versions in grouped.items():
            if len(versions) < 2:
                continue
            stored = session.get(MODELS[entity], record_id)
            current_hlc = stored.hlc if stored is not None else max(v.hlc for v in versions)
            # The current version is what is stored: a field its package left out (a contact)
            # shows the stored value, which merging kept.
            current = stored.full_data() if stored is not None and not stored.deleted else {}
            views = tuple(
                ConflictVersionView(v.hlc, dict(v.vv), bool(v.deleted),
                                    {**current, **v.data} if v.hlc == current_hlc and not v.deleted else dict(v.data),
                                    v.hlc == current_hlc)
                for v in sorted(versions, key=lambda v: v.hlc, reverse=True)
            )
            owner = stored.owner if stored is not None else versions[0].owner
            out.append(Conflict(entity, record_id, owner, views, ctx.can_write(owner)))
    return out


def open_conflict_count(ctx: AppContext) -> int:
    """How many records are in conflict (as many as ``conflicts`` lists), counted without reading them."""
    versions = (
        select(ConflictVersion.entity, ConflictVersion.record_id)
        .group_by(ConflictVersion.entity, ConflictVersion.record_id)
        .having(func.count() >= 2)
        .subquery()
    )
    with ctx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(versions)) or 0)


def resolve_conflict(ctx: AppContext, entity: str, record_id: str, data: dict[str, Any] | None,
                     *, deleted: bool = False) -> records.Saved:
    """Settle a conflict with one version's data (or a merged edit): a new change that supersedes them all.

    Fields ``data`` does not carry keep their current values: a version from a package written
    without contacts adopts everything but the contact, which stays; fields a later version of
    the format added are kept too. The owner never changes.
    """
    model = MODELS[entity]
    with ctx.unit_of_work() as session:
        obj = session.get(model, record_id)
        if obj is None:
            raise NotFound("競合している記録が見つかりません。")
        if not ctx.can_write(obj.owner):
            raise PermissionDenied(f"「{org_name(obj.owner)}」の記録の競合は、その組織の端末で解決してください。")
        if not deleted:
            assert data is not None
            merged = obj.full_data()
            merged.update(data)
            known, extra = entities.split_unknown(entity, merged)
            obj.apply_data(records.clean(ctx, entity, known))
            if extra != obj.extra and (extra or obj.extra):
                obj.extra = extra
        obj.deleted = deleted
        session.info.setdefault("force_stamp", set()).add(record_id)
        flag_modified(obj, "vv")
        session.flush()
        settled = records.to_record(obj)
    # A Saved record says what changed: this record of this entity (for the window's change notice).
    return records.Saved(settled.entity, settled.id, settled.owner, settled.hlc, settled.vv, settled.deleted,
                         settled.data)


# Keys and numbering ------------------------------------------------------------------------------

def next_sequence(ctx: AppContext) -> int:
    """The number the next package from this installation will carry (for suggested file names)."""
    with ctx.reading() as session:
        installation = session.get(Installation, ctx.installation_id)
        return (installation.package_sequence if installation is not None else 0) + 1


def key_id(public_key: str) -> str:
    """The key id people compare (``1a2b-3c4d-5e6f-7a8b``, SYNC_FORMAT §2) of a base64 public key."""
    return keys.key_id(public_key)


def export_public_key(ctx: AppContext, path: Path | str) -> Path:
    """Write this installation's public key (base64, one line), as ``key export`` does."""
    path = Path(path)
    try:
        path.write_text(ctx.public_key + "\n", encoding="ascii")
    except OSError as exc:
        raise UserError(f"{path} に書き込めません（{exc.strerror or exc}）。保存先を確認してください。") from exc
    return path


def read_public_key(path: Path | str) -> str:
    """The base64 public key in a key file; a Japanese error if it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        keys.decode_public_key(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UserError(
            f"{path.name} は公開鍵のファイルではないか、読めません。"
            "送り主が「公開鍵を書き出す…」（または key export）で書き出したファイルを選んでください。"
        ) from exc
    return text
