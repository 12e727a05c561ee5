"""The baseline of ``jcim-desktop export --scope national``: the same package written the plain way.

    python bench/_baseline_export.py --data-dir DIR --out FILE.jcimsync

Standard library, ``orjson`` and ``cryptography`` only. Reads every record of the data folder's
database table by table (rows streamed from the cursor), turns each row back into its
SYNC_FORMAT envelope (``data`` from the columns, contacts left out as ``export`` does by
default), writes the lines straight into a deflated zip member while hashing them, then the
manifest and its Ed25519 signature; the installation's package sequence goes up by one. The
file is written beside the target and renamed over it once complete and synced.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ENTITIES = {"events": "events", "pitch_presentations": "pitch_presentations", "needs": "needs", "seeds": "seeds",
            "matchings": "matchings", "trials": "trials", "support_activities": "support_activities",
            "municipality_status": "municipality_status", "kpi_targets": "kpi_targets",
            "closed_tallies": "closed_tallies", "trusted_keys": "registered_keys"}
FIELD = {"order_no": "order", "on_date": "on"}
NOT_DATA = {"id", "owner", "hlc", "vv", "deleted", "search_text", "extra", "changed_by", "company_key",
            "current_stage", "first_stage_on", "last_stage_on"}
CONTACTS = {"needs", "seeds"}


def envelopes(conn: sqlite3.Connection, entity: str, table: str) -> Any:
    info = [(r[1], r[2].upper()) for r in conn.execute(f'PRAGMA table_info("{table}")')]
    names = [n for n, _ in info]
    json_columns = {n for n, kind in info if kind == "JSON"}
    bool_columns = {n for n, kind in info if kind == "BOOLEAN"}
    planned = "planned_text" in names
    for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY id'):
        values = dict(zip(names, row, strict=True))
        deleted = bool(values["deleted"])
        data: dict[str, Any] = {}
        if not deleted:
            for name, value in values.items():
                if name in NOT_DATA or name.startswith("planned_"):
                    continue
                if name in json_columns and value is not None:
                    value = orjson.loads(value)
                elif name in bool_columns and value is not None:
                    value = bool(value)
                data[FIELD.get(name, name)] = value
            if planned:
                data["planned"] = {"text": values["planned_text"], "start": values["planned_start"],
                                   "end": values["planned_end"], "precision": values["planned_precision"],
                                   "tentative": bool(values["planned_tentative"])}
            if values.get("extra"):
                data.update(orjson.loads(values["extra"]))
            if entity in CONTACTS:
                data["contact"] = None
        env = {"id": values["id"], "owner": values["owner"], "hlc": values["hlc"], "vv": orjson.loads(values["vv"]),
               "deleted": deleted, "data": data}
        if values.get("changed_by"):
            env["by"] = values["changed_by"]
        yield env


def _chain(first: dict[str, Any], rest: Any) -> Any:
    yield first
    yield from rest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    conn = sqlite3.connect(args.data_dir / "jcim.sqlite3", isolation_level=None)
    for pragma in ("busy_timeout=5000", "journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    installation, org = conn.execute("SELECT id, org FROM installation").fetchone()
    key = Ed25519PrivateKey.generate()
    stamp = dt.datetime.now().astimezone().replace(microsecond=0)
    partial = args.out.with_name(f".{args.out.name}.part")
    files = []
    with open(partial, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as zf:
        for entity, table in ENTITIES.items():
            digest = hashlib.sha256()
            count = 0
            member = f"records/{entity}.jsonl"
            info = zipfile.ZipInfo(member, stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = 3  # type: ignore[attr-defined] # what the application writes with
            rows = envelopes(conn, entity, table)
            first = next(rows, None)
            if first is None:
                continue  # no empty members
            with zf.open(info, "w") as out:
                buffer: list[bytes] = []
                for env in _chain(first, rows):
                    buffer.append(orjson.dumps(env) + b"\n")
                    count += 1
                    if len(buffer) >= 1000:
                        chunk = b"".join(buffer)
                        digest.update(chunk)
                        out.write(chunk)
                        buffer.clear()
                chunk = b"".join(buffer)
                digest.update(chunk)
                out.write(chunk)
            files.append({"path": member, "sha256": digest.hexdigest(), "records": count})
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE installation SET package_sequence = package_sequence + 1")
        sequence = conn.execute("SELECT package_sequence FROM installation").fetchone()[0]
        public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
        manifest = {"format": "jcimsync", "format_version": 1, "package_id": str(uuid.uuid4()),
                    "created_at": stamp.isoformat(), "origin": {"org": org, "installation": installation,
                                                                "app_version": "baseline"},
                    "sequence": sequence, "scope": "national", "public_key": public, "files": files,
                    "includes_contacts": False}
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", base64.b64encode(key.sign(manifest_bytes)) + b"\n")
    with open(partial, "rb+") as done:
        os.fsync(done.fileno())
    os.replace(partial, args.out)
    conn.execute("COMMIT")
    conn.close()
    print(json.dumps({"out": str(args.out), "records": sum(f["records"] for f in files)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
