"""The secretariat's register of installation keys (SYNC_FORMAT §4 ``trusted_keys``): one trust
step per laptop.

The secretariat registers each installation's public key once, for the orgs it may write
(``register_key``: what ``trust add`` and 鍵を登録… do there). The registrations are records owned
by the secretariat, so they travel in its packages (the national one included) like any other
record. An installation that trusts a key for every org (``*``: the secretariat's key, trusted
once by hand) also trusts every registered key for the orgs listed, until it is revoked: a revoked
key's packages created after ``revoked_on`` (their day in Japan time) are refused. Keys trusted by
hand (``TrustedKey``) stay as they are: a registration or a revocation never changes them.

Why a registration can be believed: a ``trusted_keys`` record is owned by ``secretariat``, and a
package is merged only when its signer is trusted here for every owner in it (§2). So every
registration stored here was written here (at the secretariat) or arrived signed by a key this
installation trusts to write the secretariat's records — the secretariat's key, trusted for every
org, or a key the secretariat itself registered for every org (its second laptop). Registrations
are honoured only where some key is trusted for every org (or at the secretariat itself): an
installation that never trusted the secretariat does not take its word for other keys.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from jcim_desktop.domain.orgs import ORG_CODES, ORGS, SECRETARIAT, org_name
from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.errors import NotFound, PermissionDenied, UserError
from jcim_desktop.services import records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.received import JAPAN, package_day
from jcim_desktop.store.models import ConflictVersion, RegisteredKey, TrustedKey, new_record
from jcim_desktop.sync import keys

ENTITY = RegisteredKey.ENTITY
EVERY_ORG = "*"
"""A ``TrustedKey``'s (and this module's) "every org" — ``sync.ALL_ORGS``."""
ALL = "all"
"""A ``trusted_keys`` record's "every org" (§4)."""


@dataclass(frozen=True)
class Registration:
    """The secretariat's registration of one public key (its live records, combined)."""

    public_key: str
    key_id: str
    orgs: tuple[str, ...]
    """The orgs the key is registered for, in §1 order (``("*",)``: every org)."""
    label: str
    revoked_on: dt.date | None
    record_ids: tuple[str, ...]
    changed: dt.datetime | None
    """When the registration last changed (registered, or revoked), in this computer's time zone."""

    @property
    def everyone(self) -> bool:
        return EVERY_ORG in self.orgs

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None

    def owners(self) -> frozenset[str]:
        return frozenset(ORGS) if self.everyone else frozenset(self.orgs)

    def valid_for(self, day: dt.date | None) -> bool:
        """Whether a package created on ``day`` (Japan time) is covered: not after the revocation.
        A package whose day is unknown is covered only by a key that is not revoked."""
        if self.revoked_on is None:
            return True
        return day is not None and day <= self.revoked_on

    @property
    def changes(self) -> Changes:
        """What registering or revoking wrote (the window's change notice)."""
        return Changes.records(ENTITY, self.record_ids)


def today() -> dt.date:
    """Today in Japan time (revocation dates are compared with packages' days in Japan time)."""
    return dt.datetime.now(JAPAN).date()


def _order(codes: Iterable[str]) -> tuple[str, ...]:
    codes = set(codes)
    if EVERY_ORG in codes or ALL in codes:
        return (EVERY_ORG,)
    return tuple(sorted(codes, key=lambda c: (ORG_CODES.index(c) if c in ORG_CODES else len(ORG_CODES), c)))


def _changed(hlc: str) -> dt.datetime | None:
    try:
        millis = HlcStamp.parse(hlc).millis
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).astimezone()


def _combine(rows: Sequence[RegisteredKey], contested: dict[str, list[dt.date]] | None = None) -> Registration:
    """One key's live records as one registration: the orgs of all of them, the label of the latest,
    and the earliest revocation — also one held by a version in an open conflict (``contested``:
    record id → revocation dates): a revocation is never undone by a concurrent change."""
    latest = max(rows, key=lambda r: r.hlc)
    revoked = [r.revoked_on for r in rows if r.revoked_on is not None]
    revoked += [day for r in rows for day in (contested or {}).get(r.id, ())]
    orgs = _order(code for r in rows for code in (r.orgs or ()))
    return Registration(
        public_key=latest.public_key, key_id=keys.key_id(latest.public_key), orgs=orgs, label=latest.label,
        revoked_on=min(revoked) if revoked else None, record_ids=tuple(sorted(r.id for r in rows)),
        changed=_changed(latest.hlc),
    )


def _live_rows(session: Session, public_key: str | None = None) -> list[RegisteredKey]:
    stmt = select(RegisteredKey).where(RegisteredKey.deleted.is_(False))
    if public_key is not None:
        stmt = stmt.where(RegisteredKey.public_key == public_key)
    return list(session.scalars(stmt.order_by(RegisteredKey.hlc)))


def _contested_revocations(session: Session) -> dict[str, list[dt.date]]:
    """Revocation dates held by versions of registrations in open conflicts (usually none)."""
    found: dict[str, list[dt.date]] = {}
    for record_id, data in session.execute(
        select(ConflictVersion.record_id, ConflictVersion.data).where(ConflictVersion.entity == ENTITY)
    ):
        day = data.get("revoked_on") if isinstance(data, dict) else None
        try:
            if isinstance(day, str):
                found.setdefault(record_id, []).append(dt.date.fromisoformat(day))
        except ValueError:
            continue
    return found


def _grouped(rows: Iterable[RegisteredKey], contested: dict[str, list[dt.date]] | None = None) -> dict[str, Registration]:
    by_key: dict[str, list[RegisteredKey]] = {}
    for row in rows:
        try:
            keys.decode_public_key(row.public_key)
        except ValueError:  # checked when stored; never honour a key that cannot be read
            continue
        by_key.setdefault(row.public_key, []).append(row)
    return {public_key: _combine(group, contested) for public_key, group in by_key.items()}


def in_effect(ctx: AppContext) -> bool:
    """Whether this installation honours the secretariat's registrations: at the secretariat, and
    wherever a key is trusted (by hand) for every org — the secretariat's."""
    if ctx.is_secretariat:
        return True
    with ctx.reading() as session:
        return any(EVERY_ORG in (orgs or ()) for orgs in session.scalars(select(TrustedKey.orgs)))


def registrations(ctx: AppContext) -> list[Registration]:
    """Every key the secretariat has registered (revoked ones included), by label."""
    with ctx.reading() as session:
        found = _grouped(_live_rows(session), _contested_revocations(session))
    return sorted(found.values(), key=lambda r: (r.label, r.key_id))


def registration_of(ctx: AppContext, public_key: str) -> Registration | None:
    """The secretariat's registration of ``public_key`` (None if it has none)."""
    with ctx.reading() as session:
        return _grouped(_live_rows(session, public_key), _contested_revocations(session)).get(public_key)


def registered_owners(ctx: AppContext, public_key: str, created_at: str | None) -> frozenset[str]:
    """The owners the secretariat's registration lets ``public_key`` write in a package created at
    ``created_at`` (the manifest's; None: a package of today): none where registrations are not
    honoured, where the key is not registered, or when the package is newer than the revocation."""
    registration = registration_of(ctx, public_key)
    if registration is None or not in_effect(ctx):
        return frozenset()
    day = package_day(created_at) if created_at is not None else today()
    return registration.owners() if registration.valid_for(day) else frozenset()


def revoked_for(ctx: AppContext, public_key: str, created_at: str | None,
                refused: Iterable[str]) -> Registration | None:
    """The registration that would let ``public_key`` write the ``refused`` owners but for its
    revocation (a package created after it): what a refusal should name. None otherwise."""
    registration = registration_of(ctx, public_key)
    if registration is None or registration.revoked_on is None or not in_effect(ctx):
        return None
    day = package_day(created_at) if created_at is not None else today()
    if registration.valid_for(day) or not set(refused) <= registration.owners():
        return None
    return registration


def created_day(created_at: str) -> dt.date | None:
    """A package's day in Japan time (its manifest's ``created_at``)."""
    return package_day(created_at)


# Writing (the secretariat) ------------------------------------------------------------------------

def default_label(public_key: str, orgs: Sequence[str]) -> str:
    """「関東フォーラム 1a2b-3c4d-5e6f-7a8b」: the orgs' names and the key id."""
    ordered = _order(orgs)
    names = "すべての組織" if ordered == (EVERY_ORG,) else "・".join(org_name(o) for o in ordered)
    return f"{names} {keys.key_id(public_key)}"


def _only_secretariat(ctx: AppContext, what: str) -> None:
    if not ctx.is_secretariat:
        raise PermissionDenied(
            f"{what}は事務局だけが行えます。この端末で鍵を信頼するには「鍵を追加…」（trust add）を使います。"
        )


def find_public_key(ctx: AppContext, key: str) -> str | None:
    """The public key named by ``key`` (its base64, or its key id ``1a2b-3c4d-…``) among the keys
    registered or trusted here; None if none is."""
    key = key.strip()
    wanted = key.lower().replace(" ", "")
    with ctx.reading() as session:
        candidates = {*session.scalars(select(RegisteredKey.public_key).where(RegisteredKey.deleted.is_(False))),
                      *session.scalars(select(TrustedKey.public_key))}
    for public_key in candidates:
        if public_key == key:
            return public_key
    for public_key in sorted(candidates):
        try:
            if keys.key_id(public_key) == wanted:
                return public_key
        except ValueError:
            continue
    return None


def register_key(ctx: AppContext, public_key: str, orgs: Sequence[str], label: str | None = None) -> Registration:
    """At the secretariat: trust ``public_key`` here for ``orgs`` (``["*"]``: every org) and register
    it (a ``trusted_keys`` record, stamped and audited) so that every installation that trusts the
    secretariat trusts it too. Registering a key again adds orgs (and a new label, if given)."""
    _only_secretariat(ctx, "鍵の登録")
    public_key = public_key.strip()
    try:
        keys.decode_public_key(public_key)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if public_key == ctx.public_key:
        raise UserError("これはこの端末（事務局）自身の鍵です。登録は要りません。"
                        "各フォーラムは、この鍵を「すべての組織」で一度だけ信頼します。")
    if not orgs:
        raise UserError("この鍵が書いてよい組織を選んでください（例: --org kanto、すべてなら --org all）。")
    label = (label or "").strip() or None
    with ctx.unit_of_work() as session:
        rows = _live_rows(session, public_key)
        current = _combine(rows, _contested_revocations(session)) if rows else None
        if current is not None and current.revoked_on is not None:
            raise UserError(
                f"鍵ID {current.key_id}（{current.label}）は {current.revoked_on} に失効させた鍵です。"
                "失効させた鍵は登録し直せません（失効日を変えるには trust revoke、画面では「失効…」）。"
                "端末を使い続けるときは、新しい端末として初期化し、その鍵を登録してください。"
            )
        wanted = _order([*orgs, *(code for r in rows for code in (r.orgs or ()))])
        data = {"public_key": public_key, "orgs": [ALL] if wanted == (EVERY_ORG,) else list(wanted),
                "label": label or (rows[-1].label if rows else default_label(public_key, wanted)), "revoked_on": None}
        cleaned = records.clean(ctx, ENTITY, data)
        row = rows[-1] if rows else new_record(RegisteredKey, str(uuid.uuid4()), SECRETARIAT)
        row.apply_data(cleaned)
        session.add(row)
        trusted = session.get(TrustedKey, public_key)
        if trusted is None:
            session.add(TrustedKey(public_key=public_key, key_id=keys.key_id(public_key), orgs=list(wanted),
                                   added_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"), note=label))
        else:
            trusted.orgs = list(_order([*trusted.orgs, *wanted]))
            flag_modified(trusted, "orgs")
            if label:
                trusted.note = label
        session.flush()
        return _combine(_live_rows(session, public_key))


def _registered_rows(ctx: AppContext, session: Session, key: str) -> tuple[str, list[RegisteredKey]]:
    public_key = find_public_key(ctx, key)
    rows = _live_rows(session, public_key) if public_key is not None else []
    if public_key is None or not rows:
        raise NotFound(f"鍵「{key.strip()}」は事務局が登録した鍵にありません。jcim-desktop trust list で確かめてください。")
    return public_key, rows


def revoke_key(ctx: AppContext, key: str, on: dt.date | None = None) -> Registration:
    """At the secretariat: revoke a registered key (named by key id or base64) from ``on`` (default
    today, Japan time): its packages created after that day are refused everywhere the registration
    reaches (here at once; at the forums with the next package). Revoking again changes the date.

    The secretariat's own trust in the key ends too (it came with the registration): its packages
    up to the day stay accepted here through the registration."""
    _only_secretariat(ctx, "鍵の失効")
    on = on or today()
    with ctx.unit_of_work() as session:
        public_key, rows = _registered_rows(ctx, session, key)
        for row in rows:
            row.apply_data(records.clean(ctx, ENTITY, {**row.to_data(), "revoked_on": on.isoformat()}))
        session.execute(delete(TrustedKey).where(TrustedKey.public_key == public_key))
        session.flush()
        return _combine(_live_rows(session, public_key))


def unregister_key(ctx: AppContext, key: str) -> Registration:
    """At the secretariat: withdraw a registration altogether (its records become tombstones) and
    stop trusting the key here. Unlike a revocation, no package of the key is accepted any more
    where only the registration vouched for it — for a key registered by mistake."""
    _only_secretariat(ctx, "鍵の登録の取り消し")
    with ctx.unit_of_work() as session:
        public_key, rows = _registered_rows(ctx, session, key)
        withdrawn = _combine(rows)
        for row in rows:
            row.deleted = True
        session.execute(delete(TrustedKey).where(TrustedKey.public_key == public_key))
        session.flush()
    return withdrawn
