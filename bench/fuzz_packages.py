"""Fuzzing the import of sync packages: thousands of mutated packages through check + import.

    .venv/bin/python bench/fuzz_packages.py [--examples 5000] [--seed 20240701] [--no-cases] [--by-case]
    .venv/bin/python bench/fuzz_packages.py --replay '{"family": "records", "case": "vv_counter", ...}'

The same installations, mutations and judge as ``tests/sync/test_fuzz_packages.py``
(``tests/package_mutations.py``), with many more examples: first every named contract
case once, then ``--examples`` random mutations split evenly over the five families (one
hypothesis run per family strategy, fixed seed, no shrinking). Each mutated package goes through ``sync.check_package`` then
``sync.import_checked`` at a secretariat that already holds records.

Prints the examples run, the rejections (per rejection code), the acceptances, and every other
outcome — an exception other than ``UserError`` (with its type, where it happened, the last
lines of its traceback and a reproducer), an acceptance the contract forbids or whose
independent checks fail, a rejection of what the contract says must be accepted, a rejection
that changed the database — and the elapsed time. Exit status 1 if any other outcome happened.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _isolate(tmp: Path) -> None:
    # Nothing here may touch the real per-user data folder.
    os.environ["JCIM_DESKTOP_DATA_DIR"] = str(tmp / "default-data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _group_key(v) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """(kind, family/case, what): crashes by exception type and stage, rejections by code."""
    if v.kind == "crash":
        what = f"{(v.exception or '').split(':')[0]} in {v.where}"
    elif v.kind in ("accepted_forbidden", "accepted_broken"):
        what = ""
    else:
        what = str(v.code)
    return v.kind, f"{v.mutation.family}/{v.mutation.case}", what


def _problems(v) -> list[str]:  # type: ignore[no-untyped-def]
    """The problems an acceptance check found, without ids and numbers (to show a few distinct ones)."""
    text = v.detail.split(" | ", 1)[-1]
    out = []
    for part in text.split("; "):
        words = [w for w in part.split() if not any(ch.isdigit() for ch in w) and "'" not in w]
        out.append(" ".join(words)[:100])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="random mutations (default 5000)")
    parser.add_argument("--seed", type=int, default=20240701, help="hypothesis seed (default 20240701)")
    parser.add_argument("--no-cases", action="store_true", help="skip the named contract cases")
    parser.add_argument("--by-case", action="store_true", help="also print outcomes per family/case")
    parser.add_argument("--replay", metavar="JSON", help="judge one mutation (as printed) and show everything")
    parser.add_argument("--keep", metavar="DIR", help="build the installations in DIR and keep them")
    args = parser.parse_args(argv)

    warnings.simplefilter("ignore")  # zipfile's "Duplicate name" is sometimes the point
    with tempfile.TemporaryDirectory(prefix="jcim-fuzz-") as tmp_name:
        tmp = Path(args.keep) if args.keep else Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        _isolate(tmp)
        from hypothesis import HealthCheck, Phase, given, seed, settings

        import package_mutations as pm

        t0 = time.perf_counter()
        world = pm.build_world(tmp / "world")
        setup_s = time.perf_counter() - t0
        try:
            if args.replay:
                verdict = world.judge(pm.Mutation.from_json(args.replay))
                print(verdict.report())
                return 0 if verdict.ok else 1

            verdicts: list[tuple[str, object]] = []  # (origin, verdict)
            t1 = time.perf_counter()
            if not args.no_cases:
                for m in pm.CONTRACT_CASES:
                    verdicts.append(("named case", world.judge(m)))
            named = len(verdicts)
            counter = iter(range(1, 10**9))

            def run_family(name: str, examples: int) -> None:
                @seed(args.seed)
                @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck))
                @given(mutation=pm.family(name))
                def run(mutation: pm.Mutation) -> None:
                    n = next(counter)
                    verdicts.append((f"seed {args.seed}, {name} example #{n}", world.judge(mutation)))
                    if n % 500 == 0:
                        print(f"  … {n} random examples, {time.perf_counter() - t1:.0f} s", file=sys.stderr,
                              flush=True)

                run()

            # Split evenly over the families: one hypothesis one_of favours its first branch too much.
            shares = [args.examples // len(pm.FAMILIES)] * len(pm.FAMILIES)
            for i in range(args.examples % len(pm.FAMILIES)):
                shares[i] += 1
            for name, share in zip(pm.FAMILIES, shares, strict=True):
                if share:
                    run_family(name, share)
            elapsed = time.perf_counter() - t1
        finally:
            world.close()

    kinds = collections.Counter(v.kind for _, v in verdicts)
    codes = collections.Counter(v.code for _, v in verdicts if v.kind == "rejected")
    bad = [(origin, v) for origin, v in verdicts if not v.ok]
    families = collections.Counter(v.mutation.family for _, v in verdicts[named:])
    print(f"examples run: {len(verdicts)} ({named} named contract cases + {len(verdicts) - named} random, "
          f"seed {args.seed}: " + ", ".join(f"{f} {n}" for f, n in families.items()) + ")")
    print(f"rejected: {kinds['rejected']}")
    for code, n in codes.most_common():
        print(f"    {n:6d}  {code}")
    print(f"accepted: {kinds['accepted']}")
    print(f"other outcomes: {len(bad)}")
    for kind in ("crash", "accepted_forbidden", "accepted_broken", "rejected_allowed", "rejected_dirty"):
        if kinds[kind]:
            print(f"    {kinds[kind]:6d}  {kind}")
    if bad:
        groups: dict[tuple[str, str, str], list[tuple[str, object]]] = collections.defaultdict(list)
        for origin, v in bad:
            groups[_group_key(v)].append((origin, v))
        print("\nother outcomes, grouped (kind | family/case | what), with one reproducer each:")
        for (kind, where, what), items in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
            origin, v = items[0]
            print(f"\n[{len(items)}×] {kind} | {where} | {what}")
            print(f"  reproducer ({origin}): --replay '{v.mutation.to_json()}'" if len(v.mutation.to_json()) < 2000
                  else f"  reproducer ({origin}): {v.mutation}")
            if v.kind in ("accepted_forbidden", "accepted_broken"):
                seen = collections.Counter(p for _, w in items for p in _problems(w) if p)
                print(f"  first: {v.detail[:400]}")
                print("  problems seen: " + "; ".join(f"{p} ({n}×)" for p, n in seen.most_common(6)))
            elif v.detail:
                print(f"  {v.detail[:400]}")
            if v.kind == "crash" and v.trace:
                print("  " + "\n  ".join(v.trace.splitlines()[-4:]))
                cases = collections.Counter(json.dumps({k: x for k, x in w.mutation.params.items()
                                                        if k not in ("which", "other", "key", "field", "seed")},
                                                       ensure_ascii=False)[:120] for _, w in items)
                print("  variants: " + "; ".join(f"{c} ({n}×)" for c, n in cases.most_common(8)))
    if args.by_case:
        table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for _, v in verdicts:
            table[f"{v.mutation.family}/{v.mutation.case}"][v.kind] += 1
        print("\nper family/case:")
        for name in sorted(table):
            print(f"  {name:42s} " + ", ".join(f"{k} {n}" for k, n in sorted(table[name].items())))
    print(f"\nelapsed: {elapsed:.1f} s for the examples ({setup_s:.1f} s to build the installations)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
