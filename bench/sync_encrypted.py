"""Encrypted packages (SYNC_FORMAT §7): what decrypting adds to the import of 10 packages with
100,000 records.

    .venv/bin/python bench/sync_encrypted.py [--records 100000] [--rounds 2]

Ten regional forums each export their records, contacts included, twice: as a plain package and
encrypted with age to the secretariat's recipient. Two copies of one secretariat (same identity,
same trusted keys) import one set each, in a fresh process each (memory is its own), alternately
for ``--rounds`` rounds; the fastest of each is compared. Target: the encrypted set imports in at
most 1.2× the time of the plain one; peak memory of the importing process ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_code_option, select_code  # noqa: E402

CODE = select_code()  # --code DIR: the checkout whose jcim_desktop runs (default: this repository)

from _generate import generate_records, load_into, peak_mb  # noqa: E402
from jcim_desktop.domain.orgs import REGIONAL_FORUMS  # noqa: E402

RATIO_TARGET, MEMORY_TARGET = 1.2, 400


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


def _import(template: Path, target: Path, files: list[Path]) -> dict:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    result = subprocess.run([sys.executable, __file__, "--code", str(CODE), "--import-only", str(target), *map(str, files)],
                            capture_output=True, text=True, check=True, cwd=CODE)
    outcome: dict = json.loads(result.stdout.strip().splitlines()[-1])
    if outcome["rejected"]:
        raise SystemExit(f"REJECTED: {outcome['rejected']}")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--import-only", nargs="+", metavar=("DIR", "FILE"))
    args = parser.parse_args(argv)
    if args.import_only:
        import_only(args.import_only[0], args.import_only[1:])
        return 0

    from jcim_desktop.services import encryption, sync
    from jcim_desktop.services.context import init_installation

    with tempfile.TemporaryDirectory(prefix="jcim-sync-encrypted-bench-") as tmp:
        root = Path(tmp)
        records = generate_records(args.records, list(REGIONAL_FORUMS))
        per_org: dict[str, dict[str, list[dict]]] = {org: {} for org in REGIONAL_FORUMS}
        for entity, envelopes in records.items():
            for env in envelopes:
                per_org[env["owner"]].setdefault(entity, []).append(env)
        secretariat = init_installation("secretariat", root / "secretariat", user_name="bench")
        recipient = encryption.own_recipient(secretariat)
        plain, encrypted = [], []
        for org in REGIONAL_FORUMS:
            ctx = init_installation(org, root / org, user_name="bench")
            load_into(ctx, per_org[org])
            plain.append(sync.export_package(ctx, root / f"{org}.jcimsync", include_contacts=True).path)
            encrypted.append(sync.export_package(ctx, root / f"{org}.jcimsync.age", include_contacts=True,
                                                 encrypt_to=[recipient]).path)
            sync.add_trust(secretariat, ctx.public_key, [org])
            ctx.close()
        secretariat.close()

        runs: dict[str, list[dict]] = {"plain": [], "encrypted": []}
        for _ in range(args.rounds):
            runs["plain"].append(_import(root / "secretariat", root / "plain-import", plain))
            runs["encrypted"].append(_import(root / "secretariat", root / "encrypted-import", encrypted))
        best = {kind: min(r["seconds"] for r in outcomes) for kind, outcomes in runs.items()}
        memory = max(r["peak_mb"] for outcomes in runs.values() for r in outcomes)
        size = sum(p.stat().st_size for p in encrypted) / 1e6
        total = sum(len(v) for v in records.values())
        ratio = best["encrypted"] / best["plain"]
        print(f"{len(encrypted)} encrypted packages, {total:,} records ({size:.1f} MB), "
              f"{runs['encrypted'][0]['inserted']:,} inserted")
        print(f"import: encrypted {best['encrypted']:.2f} s   plain {best['plain']:.2f} s   ratio {ratio:.2f}× "
              f"(target ≤ {RATIO_TARGET}×; best of {args.rounds})")
        print(f"peak memory of the importing process: {memory:.0f} MB (target ≤ {MEMORY_TARGET} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
