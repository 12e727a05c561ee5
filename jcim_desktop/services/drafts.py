"""Drafts: what is being typed into an entry dialog, kept on disk so that a crash loses nothing.

One JSON file per open dialog under ``<data folder>/drafts``, replaced atomically on every
change (temp file, fsync, ``os.replace``): after a crash or power cut the file holds either the
previous or the new state, never half of one. Saving the record or discarding the input
deliberately removes the draft; whatever is left is offered again on the next start.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcim_desktop.domain.entities import ENTITIES
from jcim_desktop.errors import user_error_from_os
from jcim_desktop.files import write_atomically
from jcim_desktop.services.context import AppContext

DRAFTS_DIR_NAME = "drafts"
FORMAT_VERSION = 1
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
DRAFT_ADVICE = "入力した内容は画面に残っています。記録を保存するまで、この画面を閉じないでください。"


@dataclass(frozen=True)
class Draft:
    """Unsaved input of one dialog: the record's ``data`` as typed (possibly invalid)."""

    key: str
    entity: str
    record_id: str | None
    data: dict[str, Any]
    saved_at: str
    owner: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def drafts_dir(ctx: AppContext) -> Path:
    return ctx.data_dir / DRAFTS_DIR_NAME


def new_draft_key() -> str:
    """A fresh key for a dialog that has no draft yet."""
    return uuid.uuid4().hex


def _path(ctx: AppContext, key: str) -> Path:
    # The key becomes a file name: only a plain token may, never a path.
    if not _KEY.fullmatch(key):
        raise ValueError(f"invalid draft key {key!r}")
    return drafts_dir(ctx) / f"{key}.json"


def save_draft(
    ctx: AppContext,
    key: str,
    entity: str,
    record_id: str | None,
    data: Mapping[str, Any],
    *,
    owner: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write (or replace) the draft ``key`` atomically; returns its file."""
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}")
    target = _path(ctx, key)
    payload = {
        "format": FORMAT_VERSION,
        "key": key,
        "entity": entity,
        "record_id": record_id,
        "owner": owner,
        "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "data": dict(data),
        "extra": dict(extra or {}),
    }
    text = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    try:
        write_atomically(target, text)
    except OSError as exc:
        # The previous draft (if any) is still there, whole.
        raise user_error_from_os(exc, "下書きの保存", target, advice=DRAFT_ADVICE) from exc
    return target


def _read(path: Path) -> Draft | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    key, entity, data = raw.get("key"), raw.get("entity"), raw.get("data")
    record_id, owner, extra = raw.get("record_id"), raw.get("owner"), raw.get("extra") or {}
    if (
        not isinstance(key, str)
        or key != path.stem
        or entity not in ENTITIES
        or not isinstance(data, dict)
        or not isinstance(extra, dict)
        or not (record_id is None or isinstance(record_id, str))
        or not (owner is None or isinstance(owner, str))
    ):
        return None
    return Draft(key, str(entity), record_id, data, str(raw.get("saved_at") or ""), owner, extra)


def pending_drafts(ctx: AppContext) -> list[Draft]:
    """The drafts left on disk, oldest first. Unreadable files are skipped, not deleted."""
    folder = drafts_dir(ctx)
    if not folder.is_dir():
        return []
    found = [d for d in (_read(p) for p in folder.glob("*.json") if _KEY.fullmatch(p.stem)) if d is not None]
    found.sort(key=lambda d: (d.saved_at, d.key))
    return found


def discard_draft(ctx: AppContext, key: str) -> bool:
    """Remove the draft ``key`` (no error if there is none). False if the file could not be
    removed: nothing is lost, it is only offered again on the next start."""
    try:
        _path(ctx, key).unlink(missing_ok=True)
    except OSError:
        return False
    return True
