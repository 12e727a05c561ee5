"""Packages written by hand from SYNC_FORMAT.md alone (as another program would), for crafted cases.

Nothing here calls the application's package writer: the tests must not trust it to be right.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jcim_desktop.sync.keys import load_private_key, public_key_b64


def line(env: Mapping[str, Any]) -> bytes:
    """One record line, compact, as a careful writer produces it."""
    return json.dumps(env, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write(
    path: Path,
    key: Ed25519PrivateKey,
    *,
    org: str,
    installation: str,
    files: Mapping[str, Sequence[Mapping[str, Any] | bytes]],
    sequence: int = 1,
    scope: str = "org",
    includes_contacts: bool = True,
    manifest_over: Mapping[str, Any] | None = None,
    manifest_text: bytes | None = None,
) -> Path:
    """A signed package of ``files`` (entity → envelopes, or raw lines as bytes)."""
    bodies: dict[str, bytes] = {}
    for entity, items in files.items():
        bodies[f"records/{entity}.jsonl"] = b"".join((i if isinstance(i, bytes) else line(i)) + b"\n" for i in items)
    manifest: dict[str, Any] = {
        "format": "jcimsync",
        "format_version": 1,
        "package_id": str(uuid.uuid4()),
        "created_at": "2026-11-30T09:30:00+09:00",
        "origin": {"org": org, "installation": installation, "app_version": "9.9.9"},
        "sequence": sequence,
        "scope": scope,
        "includes_contacts": includes_contacts,
        "public_key": public_key_b64(key),
        "files": [{"path": name, "sha256": hashlib.sha256(body).hexdigest(), "records": body.count(b"\n")}
                  for name, body in bodies.items()],
    }
    manifest.update(manifest_over or {})
    raw = manifest_text if manifest_text is not None else json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    signature = base64.b64encode(key.sign(raw)) + b"\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", raw)
        zf.writestr("manifest.sig", signature)
        for name, body in bodies.items():
            zf.writestr(name, body)
    path.write_bytes(buffer.getvalue())
    return path


def key_of(ctx: Any) -> Ed25519PrivateKey:
    return load_private_key(ctx.key_dir)


def envelope(record: Any, **over: Any) -> dict[str, Any]:
    """The envelope of a stored record (``services.records.Record``), with fields replaced."""
    env = {"id": record.id, "owner": record.owner, "hlc": record.hlc, "vv": dict(record.vv), "deleted": record.deleted,
           "data": dict(record.data)}
    env.update(over)
    return env


def newer(env: Mapping[str, Any], installation: str, millis: int, **data: Any) -> dict[str, Any]:
    """A later version of ``env`` made on ``installation`` (its vv bumped, a newer stamp)."""
    vv = dict(env["vv"])
    vv[installation] = vv.get(installation, 0) + 1
    return {**env, "hlc": f"{millis:013d}-00000-{installation}", "vv": vv, "data": {**env["data"], **data}}
