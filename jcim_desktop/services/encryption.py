"""Encrypted packages (SYNC_FORMAT §7): this installation's age recipient, and the recipients it
encrypts packages to — the secretariat's, which arrives in its national package (the manifest's
optional ``age_recipient``), or one added by hand.

The recipients live in the local table ``age_recipients`` (not synchronised). A package's writer
puts its own recipient in the manifest; on import, the recipient of every accepted package is
remembered with the sender's org (source ``package``), so that a forum learns the
secretariat's recipient from its national package, and the secretariat each forum laptop's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update

from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, org_name
from jcim_desktop.errors import NotFound, UserError, user_error_from_os
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import AgeRecipient
from jcim_desktop.sync import age
from jcim_desktop.sync.package import Manifest

log = logging.getLogger(__name__)

SUFFIX = age.SUFFIX
"""How the name of an encrypted package ends: ``.jcimsync.age``."""

CHANGES = Changes(frozenset({AgeRecipient.__tablename__}))
"""What adding or removing a recipient changes (the 同期 page's encryption choice)."""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Recipient:
    """A recipient packages may be encrypted to."""

    recipient: str
    org: str | None
    label: str | None
    source: str
    """``package`` (it came in a package's manifest) or ``hand`` (added by a person)."""
    added_at: str

    @property
    def by_hand(self) -> bool:
        return self.source == "hand"

    @property
    def changes(self) -> Changes:
        return CHANGES


def _view(row: AgeRecipient) -> Recipient:
    return Recipient(row.recipient, row.org, row.label, row.source, row.added_at)


# This installation -------------------------------------------------------------------------------

def own_recipient(ctx: AppContext) -> str:
    """This installation's recipient (``age1…``); a Japanese ``UserError`` when it has no identity."""
    try:
        identity = age.ensure_identity(ctx.key_dir)
    except (OSError, ValueError) as exc:
        message = exc.message if isinstance(exc, UserError) else str(exc)
        raise UserError(f"この端末の暗号化用の鍵（age）を用意できません: {message}") from exc
    return age.recipient_of(identity)


def own_recipient_or_none(ctx: AppContext) -> str | None:
    """As ``own_recipient``, None (logged) when there is none."""
    try:
        return own_recipient(ctx)
    except UserError as exc:
        log.warning("no age recipient: %s", exc.message)
        return None


def identities(ctx: AppContext) -> list[Any]:
    """This installation's age identities, to decrypt a package with (empty when it has none)."""
    try:
        identity = age.load_identity(ctx.key_dir)
    except (OSError, ValueError) as exc:
        log.warning("cannot read the age identity: %s", exc)
        return []
    return [identity] if identity is not None else []


def export_recipient(ctx: AppContext, path: Path | str) -> Path:
    """Write this installation's recipient (``age1…``, one line), as ``key export --age`` does."""
    path = Path(path)
    recipient = own_recipient(ctx)
    try:
        path.write_text(recipient + "\n", encoding="ascii")
    except OSError as exc:
        raise user_error_from_os(exc, "受信者（age）の書き出し", path) from exc
    return path


# Recipients to encrypt to ------------------------------------------------------------------------

def read_recipients_file(path: Path | str) -> list[str]:
    """The recipients of a recipients file (one ``age1…`` a line; ``#`` comments and blank lines
    ignored); a Japanese ``UserError`` naming the line that is not a recipient."""
    try:
        return age.read_recipients(path)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def check_recipients(recipients: Sequence[str]) -> list[str]:
    """``recipients`` checked (spaces removed, duplicates once); a Japanese ``UserError`` otherwise."""
    checked: list[str] = []
    for text in recipients:
        try:
            recipient = age.check_recipient(text)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        if recipient not in checked:
            checked.append(recipient)
    return checked


def list_recipients(ctx: AppContext) -> list[Recipient]:
    """The known recipients: the secretariat's first, then by org and date."""
    with ctx.reading() as session:
        rows = [_view(r) for r in session.scalars(select(AgeRecipient))]
    order = list(ORGS)
    rows.sort(key=lambda r: (r.org != SECRETARIAT, order.index(r.org) if r.org in ORGS else len(order), r.added_at))
    return rows


def secretariat_recipients(ctx: AppContext) -> list[str]:
    """The secretariat's recipients (from its national package, or added by hand)."""
    return [r.recipient for r in list_recipients(ctx) if r.org == SECRETARIAT]


def default_recipients(ctx: AppContext) -> list[str]:
    """To whom a package with contacts is encrypted by default: at a forum, the secretariat; at
    the secretariat, every other installation it knows the recipient of."""
    own = own_recipient_or_none(ctx)
    if ctx.is_secretariat:
        return [r.recipient for r in list_recipients(ctx) if r.recipient != own]
    return [r for r in secretariat_recipients(ctx) if r != own]


def add_recipient(ctx: AppContext, text: str, *, org: str | None = None, label: str | None = None) -> Recipient:
    """Add a recipient by hand (``org``: whose it is, e.g. ``secretariat``); an existing one gets
    the org and label given."""
    recipient = check_recipients([text])[0]
    if org is not None and org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。使えるコード: {', '.join(ORGS)}")
    if recipient == own_recipient_or_none(ctx):
        raise UserError("これはこの端末自身の受信者です。暗号化の宛先には、受け取る側の受信者を登録してください。")
    label = (label or "").strip() or None
    with ctx.reading() as session:
        row = session.get(AgeRecipient, recipient)
        if row is None:
            row = AgeRecipient(recipient=recipient, org=org, label=label, source="hand", added_at=_now())
            session.add(row)
        else:
            if org is not None:
                row.org = org
            if label is not None:
                row.label = label
        session.commit()
        return _view(row)


def remove_recipient(ctx: AppContext, recipient: str) -> Recipient:
    """Stop encrypting to ``recipient``."""
    recipient = recipient.strip()
    with ctx.reading() as session:
        row = session.get(AgeRecipient, recipient)
        if row is None:
            raise NotFound(f"受信者「{recipient}」は登録されていません。")
        removed = _view(row)
        session.execute(delete(AgeRecipient).where(AgeRecipient.recipient == recipient))
        session.commit()
    return removed


def remember_recipient(conn: Any, manifest: Manifest, now: str, own: str | None) -> bool:
    """In an import's transaction: keep the recipient the package's writer gave (§7), with the
    sender's org. A recipient known already keeps its source and label (its org is filled in if
    it had none). True when a recipient was added."""
    recipient = manifest.age_recipient
    if recipient is None or recipient == own:
        return False
    row = conn.execute(select(AgeRecipient.org).where(AgeRecipient.recipient == recipient)).first()
    if row is not None:
        if row[0] is None:
            conn.execute(update(AgeRecipient).where(AgeRecipient.recipient == recipient)
                         .values(org=manifest.origin_org))
        return False
    label = f"{org_name(manifest.origin_org)}（端末 {manifest.origin_installation[:8]}）"
    conn.execute(insert(AgeRecipient).values(recipient=recipient, org=manifest.origin_org, label=label, source="package",
                                      added_at=now))
    return True
