"""Sync packages: export and import of 10 packages with 100,000 records, against a plain baseline.

    .venv/bin/python bench/sync.py [--records 100000]

Ten regional forums each export a package of their records; a secretariat imports all ten.
The baseline, measured in the same run on the same packages: read the zip, parse every line
with ``json``, and upsert the rows into SQLite with ``sqlite3.executemany`` (one transaction per
package, WAL + synchronous=FULL like the application); for export, select the rows, ``json``
them and write a deflated zip. Targets: import ≤ 2.5× and export ≤ 2× the baseline; peak memory
of the importing process ≤ 400 MB. The import runs in a fresh process so its memory is its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _generate import generate_records, load_into, peak_mb  # noqa: E402
from jcim_desktop.domain.orgs import REGIONAL_FORUMS  # noqa: E402

IMPORT_TARGET, EXPORT_TARGET, MEMORY_TARGET = 2.5, 2.0, 400


def import_only(data_dir: str, files: list[str]) -> None:
    from jcim_desktop.services import sync
    from jcim_desktop.services.context import open_app

    ctx = open_app(data_dir)
    t0 = time.perf_counter()
    outcomes = sync.import_packages(ctx, files)
    elapsed = time.perf_counter() - t0
    ctx.close()
    rejected = [o.reason for o in outcomes if o.status != "accepted"]
    inserted = sum(o.counts.inserted for o in outcomes)
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "inserted": inserted, "rejected": rejected}))


def baseline_import(files: list[Path], db: Path) -> float:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    t0 = time.perf_counter()
    created: set[str] = set()
    for path in files:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            with conn:
                for entry in manifest["files"]:
                    entity = entry["path"].removeprefix("records/").removesuffix(".jsonl")
                    if entity not in created:
                        conn.execute(f"CREATE TABLE IF NOT EXISTS {entity} (id TEXT PRIMARY KEY, owner TEXT, hlc TEXT, "
                                     "vv TEXT, deleted INTEGER, data TEXT)")
                        created.add(entity)
                    rows = []
                    for line in zf.read(entry["path"]).splitlines():
                        r = json.loads(line)
                        rows.append((r["id"], r["owner"], r["hlc"], json.dumps(r["vv"]), r["deleted"],
                                     json.dumps(r["data"], ensure_ascii=False)))
                    conn.executemany(
                        f"INSERT INTO {entity} VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET owner=excluded.owner, "
                        "hlc=excluded.hlc, vv=excluded.vv, deleted=excluded.deleted, data=excluded.data", rows)
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def baseline_export(db: Path, out_dir: Path) -> float:
    conn = sqlite3.connect(db)
    entities = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    t0 = time.perf_counter()
    for org in REGIONAL_FORUMS:
        with zipfile.ZipFile(out_dir / f"baseline-{org}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            files = []
            for entity in entities:
                lines = [
                    json.dumps({"id": i, "owner": o, "hlc": h, "vv": json.loads(v), "deleted": bool(d),
                                "data": json.loads(data)}, ensure_ascii=False)
                    for i, o, h, v, d, data in conn.execute(f"SELECT * FROM {entity} WHERE owner = ?", (org,))
                ]
                body = ("\n".join(lines) + "\n").encode()
                zf.writestr(f"records/{entity}.jsonl", body)
                files.append({"path": f"records/{entity}.jsonl", "sha256": hashlib.sha256(body).hexdigest(),
                              "records": len(lines)})
            zf.writestr("manifest.json", json.dumps({"files": files}))
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--import-only", nargs="+", metavar=("DIR", "FILE"))
    parser.add_argument("--keep", metavar="DIR", help="build the packages in DIR and keep them (for profiling)")
    args = parser.parse_args(argv)
    if args.import_only:
        import_only(args.import_only[0], args.import_only[1:])
        return 0

    from jcim_desktop.services import sync
    from jcim_desktop.services.context import init_installation

    with tempfile.TemporaryDirectory(prefix="jcim-sync-bench-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        records = generate_records(args.records, list(REGIONAL_FORUMS))
        per_org: dict[str, dict[str, list[dict]]] = {org: {} for org in REGIONAL_FORUMS}
        for entity, envelopes in records.items():
            for env in envelopes:
                per_org[env["owner"]].setdefault(entity, []).append(env)
        ctxs = {}
        for org in REGIONAL_FORUMS:
            ctxs[org] = init_installation(org, root / org, user_name="bench")
            load_into(ctxs[org], per_org[org])
        total = sum(len(v) for v in records.values())

        files = [root / f"{org}.jcimsync" for org in REGIONAL_FORUMS]
        t0 = time.perf_counter()
        for org, path in zip(REGIONAL_FORUMS, files, strict=True):
            sync.export_package(ctxs[org], path)
        export_s = time.perf_counter() - t0

        secretariat = init_installation("secretariat", root / "secretariat", user_name="bench")
        for org in REGIONAL_FORUMS:
            sync.add_trust(secretariat, ctxs[org].public_key, [org])
            ctxs[org].close()
        secretariat.close()
        result = subprocess.run(
            [sys.executable, __file__, "--import-only", str(root / "secretariat"), *map(str, files)],
            capture_output=True, text=True, check=True,
        )
        imported = json.loads(result.stdout.strip().splitlines()[-1])
        if imported["rejected"]:
            print("REJECTED:", imported["rejected"])

        base_import = baseline_import(files, root / "baseline.sqlite3")
        base_export = baseline_export(root / "baseline.sqlite3", root)
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"{len(files)} packages, {total:,} records ({size:.1f} MB), {imported['inserted']:,} inserted")
        print(f"export: {export_s:.2f} s   baseline {base_export:.2f} s   ratio {export_s / base_export:.2f}× "
              f"(target ≤ {EXPORT_TARGET}×)")
        print(f"import: {imported['seconds']:.2f} s   baseline {base_import:.2f} s   ratio "
              f"{imported['seconds'] / base_import:.2f}× (target ≤ {IMPORT_TARGET}×)")
        print(f"peak memory of the importing process: {imported['peak_mb']:.0f} MB (target ≤ {MEMORY_TARGET} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
