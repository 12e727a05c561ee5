"""Two people saving the same record: the second save is refused, with who changed it and how.

Several staff work on one shared database (or two windows on one data folder). A person opens a
record, a colleague saves it meanwhile; when the person saves, ``records.update`` (and
``delete`` / ``restore``) compares the version the person started from (its ``hlc``) with the
stored one, inside the writing transaction, and raises :class:`EditConflict` instead of writing:
nothing of the person's change is stored, and the colleague's change is not lost. The error
carries the record as it is now, who changed it and when (from the change log), which fields were
changed since, and where the person's input differs from what is stored, so the window can show
both side by side and let the person choose (keep the colleague's version, or deliberately save
theirs over it with the new version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jcim_desktop.domain.entities import ENTITY_LABELS, FIELDS
from jcim_desktop.domain.fiscal import format_era_date
from jcim_desktop.domain.orgs import org_name
from jcim_desktop.domain.versioning import HlcStamp
from jcim_desktop.errors import UserError
from jcim_desktop.services import audit
from jcim_desktop.services.context import AppContext

if TYPE_CHECKING:
    from jcim_desktop.services.records import Record

DELETED = "deleted"
"""The pseudo-field of a change that deleted or restored the record (as in the change log)."""

_NAME_FIELDS = ("title", "tech_name", "label", "company")


@dataclass(frozen=True)
class LastChange:
    """Who made the stored version and when."""

    by: str | None
    """The person (None: not known, e.g. a package from a version that did not say)."""
    at: dt.datetime | None
    """When it was saved (a received change: on the sender's clock), in this computer's time zone."""
    installation: str
    """The installation where it was made ("" when not known)."""
    received_from: str | None = None
    """The organisation whose package brought it (None: saved on this database)."""


class EditConflict(UserError):
    """The record changed after the person opened it (``expected_hlc``): nothing was written.

    ``current`` is the record as stored now (``current.hlc`` the version to give to save over it
    deliberately; ``current.deleted`` when the colleague deleted it); ``last_change`` who made it
    and when; ``changed_fields`` the fields changed since the version the person started from, as
    the change log says (``deleted`` when it was deleted or restored; empty when the log does not
    say); ``differing_fields`` the fields where the person's input differs from what is stored;
    ``proposed`` the person's input (merged onto the stored record), None for a delete or restore.
    """

    def __init__(
        self,
        message: str,
        *,
        entity: str,
        current: Record,
        expected_hlc: str,
        last_change: LastChange,
        changed_fields: tuple[str, ...],
        differing_fields: tuple[str, ...],
        proposed: Mapping[str, Any] | None,
    ) -> None:
        super().__init__(message)
        self.entity = entity
        self.current = current
        self.expected_hlc = expected_hlc
        self.last_change = last_change
        self.changed_fields = changed_fields
        self.differing_fields = differing_fields
        self.proposed = dict(proposed) if proposed is not None else None

    @property
    def record_id(self) -> str:
        return self.current.id


def differing_fields(entity: str, stored: Mapping[str, Any], proposed: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields of ``entity`` (in their order) whose values differ between two versions' data."""
    return tuple(spec.name for spec in FIELDS.get(entity, ()) if stored.get(spec.name) != proposed.get(spec.name))


def _field_of(logged: str) -> str:
    # The log names a planned date by its parts (``planned.text``).
    return logged.split(".", 1)[0]


def _hlc_moment(hlc: str) -> dt.datetime | None:
    try:
        millis = HlcStamp.parse(hlc).millis
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).astimezone()


def _hlc_node(hlc: str) -> str:
    try:
        return HlcStamp.parse(hlc).node
    except ValueError:
        return ""


def describe(
    ctx: AppContext,
    current: Record,
    changed_by: str | None,
    expected_hlc: str,
    proposed: Mapping[str, Any] | None,
) -> EditConflict:
    """The refusal of a save that started from ``expected_hlc`` while ``current`` is stored
    (``changed_by``: the stored envelope's ``by``), with what the change log says about the
    changes made since. Read after the refused transaction has ended (no lock is held)."""
    entity = current.entity
    since = [row for row in audit.record_history(ctx, entity, current.id) if row.hlc > expected_hlc]
    newest = since[0] if since else None
    if newest is not None:
        last = LastChange(newest.by, newest.at, newest.installation, newest.sender_org if newest.merged else None)
    else:
        last = LastChange(changed_by, _hlc_moment(current.hlc), _hlc_node(current.hlc))
    logged = {_field_of(name) for row in since for name in row.changes}
    changed = tuple(spec.name for spec in FIELDS.get(entity, ()) if spec.name in logged)
    if DELETED in logged:
        changed += (DELETED,)
    differing = differing_fields(entity, current.data, proposed) if proposed is not None else ()
    return EditConflict(
        conflict_message(ctx, current, last, proposed is not None),
        entity=entity, current=current, expected_hlc=expected_hlc, last_change=last,
        changed_fields=changed, differing_fields=differing, proposed=proposed,
    )


def conflict_message(ctx: AppContext, current: Record, last: LastChange, editing: bool) -> str:
    """「自治体ニーズ「河川堤防の点検」は、開いた後に山田さんが変更しました（令和6年7月1日 10:15）。…」"""
    entity = ENTITY_LABELS.get(current.entity, current.entity)
    name = next((str(current.data[f]) for f in _NAME_FIELDS if current.data.get(f)), "")
    record = f"{entity}「{name}」" if name else f"この{entity}"
    opened = "あなたが開いた" if editing else "表示された"
    when = f"（{format_era_date(last.at.date())} {last.at:%H:%M}）" if last.at is not None else ""
    if last.received_from is not None:
        who = f"{org_name(last.received_from)}から受け取った変更（{last.by}さん）" if last.by else \
            f"{org_name(last.received_from)}から受け取った変更"
        happened = f"{record}は、{opened}後に{who}で更新されました{when}。"
    else:
        if not last.by:
            who = "別の担当者"
        elif last.by != ctx.user_name:
            who = f"{last.by}さん"
        elif last.installation == ctx.installation_id:
            who = "あなた（別の画面）"
        else:
            who = f"{last.by}さん（別の端末）"
        done = "削除" if current.deleted else "変更"
        happened = f"{record}は、{opened}後に{who}が{done}しました{when}。"
    if editing:
        advice = ("あなたの変更は保存していません。最新の内容と見比べて、最新の内容を残すか、"
                  "あなたの入力で上書きするかを選んでください。")
    else:
        advice = "この操作は行っていません。最新の内容を確かめてから、もう一度行ってください。"
    return happened + advice
