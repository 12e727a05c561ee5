"""Sync packages as users run them: ``jcim-desktop import`` / ``export`` as processes, against a
baseline script doing the same work, alternating.

    .venv/bin/python bench/sync.py [--records 100000] [--packages 10] [--new 10000] [--repeat 5]
                                   [--cases a,b,c,d] [--code DIR] [--work DIR] [--seed 1]

A secretariat imports the forums' packages (bench/_generate.py: 15 forums' records in
``--packages`` packages, each signed by a forum installation the secretariat trusts). Every timed
run starts from a fresh copy of the same data folder; the application is
``python -m jcim_desktop --data-dir D import --format json FILES…`` (the checkout of ``--code``),
the baseline ``bench/_baseline_import.py`` (see its docstring: the same checks, validation, merge
decisions, audit log and durability, written plainly). Both as processes, timed from spawn to
exit, peak memory from the process itself.

Cases:

a. ``--records`` records in ``--packages`` packages into an empty database;
b. a second round into the database that holds the first (imported by the application): every
   record re-sent (70 % the same, 15 % newer, 5 % older, 10 % concurrent → conflicts) and
   ``--records``/10 new ones: every merge decision runs;
c. ``--new`` new records in one package into a database of ``--records`` records (target ≤ 1.6 s
   at 100,000, ≤ 2.0 s at 1,000,000);
d. peak memory: one package of all ``--records`` records imported into an empty database, and
   ``export --scope national`` of a database of ``--records`` (baseline: bench/_baseline_export.py).
   Target ≤ 250 MB at 100,000, ≤ 300 MB at 1,000,000.

Targets: import ≤ 2.0× the baseline. ``--work DIR`` keeps the generated packages there and
reuses them (the data folders are always made by the checkout under test). Prints the machine's
load at the start and the end. Reports; never fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    Pairs,
    add_code_option,
    alternate,
    app_argv,
    child_env,
    copy_data_folder,
    guarded,
    print_footer,
    print_header,
    run_measured,
    script_argv,
    select_code,
)

CODE = select_code()

import _generate  # noqa: E402

RATIO_TARGET = 2.0


def seconds_target(records: int) -> float:
    return 1.6 if records <= 300_000 else 2.0


def memory_target(records: int) -> float:
    return 250 if records <= 300_000 else 300


def _totals(run_stdout: str) -> dict[str, int] | None:
    """inserted / updated / unchanged / conflicts summed over the JSON list of outcomes a run printed,
    and how many packages were rejected (None: no such list)."""
    text = run_stdout.strip()
    candidates = [text] + [line for line in reversed(text.splitlines()) if line.startswith("[")]
    for candidate in candidates:
        try:
            outcomes = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(outcomes, list):
            totals = {k: sum(int(o.get(k) or 0) for o in outcomes)
                      for k in ("inserted", "updated", "unchanged", "conflicts")}
            totals["rejected"] = sum(1 for o in outcomes if o.get("status") != "accepted")
            return totals
    return None


class Bench:
    def __init__(self, args: argparse.Namespace, root: Path, work: Path) -> None:
        self.args = args
        self.root = root
        self.work = work
        self.env = child_env(root)
        self.resources = CODE / "resources"
        self.forums = _generate.forum_installations(args.packages, args.seed)

    def note(self, text: str) -> None:
        print(f"   {text}", flush=True)

    def packages(self, name: str, records: int, packages: int, **options: object) -> list[Path]:
        t0 = time.perf_counter()
        files = _generate.forum_package_set(self.work / name, records, packages, **options)
        size = sum(f.stat().st_size for f in files) / 1e6
        self.note(f"packages {name}: {len(files)} files, {size:.1f} MB (ready in {time.perf_counter() - t0:.1f} s)")
        return files

    def folder(self, name: str, records: int, forums: list[_generate.Forum], seed: int) -> Path:
        target = self.root / "templates" / name
        if not target.exists():
            _generate.build_data_folder(target, records, seed=seed, forums=forums, progress=self.note)
        return target

    def import_pairs(self, title: str, template: Path, files: list[Path], *, ratio: float | None = RATIO_TARGET,
                     seconds: float | None = None, memory: float | None = None, repeat: int | None = None) -> Pairs:
        runs = self.root / "runs"
        audit = (["--no-audit"] if self.args.baseline_no_audit else []) + (
            ["--no-data-checks"] if self.args.baseline_no_data_checks else [])

        def app() -> object:
            folder = copy_data_folder(template, runs / "app")
            return run_measured(app_argv("--data-dir", str(folder), "import", "--format", "json", *map(str, files)),
                                self.env)

        def base() -> object:
            folder = copy_data_folder(template, runs / "baseline")
            return run_measured(script_argv("_baseline_import.py", "--data-dir", str(folder), "--resources",
                                            str(self.resources), *audit, *map(str, files)), self.env)

        pairs = alternate(Pairs(title), repeat or self.args.repeat, app, base)  # type: ignore[arg-type]
        a = next((_totals(r.stdout) for r in pairs.app if r.ok), None)
        b = next((_totals(r.stdout) for r in pairs.base if r.ok), None)
        if a is not None:
            self.note(f"app outcome: {a}")
        if a != b:
            self.note(f"baseline outcome DIFFERS: {b}")
        pairs.report(ratio_target=ratio, seconds_target=seconds, memory_target=memory)
        return pairs

    # -- the cases -------------------------------------------------------------------------

    def case_a(self) -> None:
        n, p = self.args.records, self.args.packages
        files = self.packages(f"r1-{n}-{p}-s{self.args.seed}", n, p, seed=self.args.seed)
        empty = self.folder("empty", 0, self.forums, self.args.seed)
        self.import_pairs(f"a. import {p} packages / {n:,} records into an empty database", empty, files)

    def case_b(self) -> None:
        n, p = self.args.records, self.args.packages
        first = self.packages(f"r1-{n}-{p}-s{self.args.seed}", n, p, seed=self.args.seed)
        second = self.packages(f"r2-{n}-{p}-s{self.args.seed}", max(n // 10, 1), p, seed=self.args.seed, overlap=1.0,
                               earlier=n)
        template = self.root / "templates" / "round1"
        copy_data_folder(self.folder("empty", 0, self.forums, self.args.seed), template)
        setup = run_measured(app_argv("--data-dir", str(template), "import", "--format", "json", *map(str, first)),
                             self.env)
        if not setup.ok:
            print(f"!! b. the first round could not be imported: {setup.problem()}")
            return
        self.note(f"first round imported by the application (setup, not timed: {setup.seconds:.1f} s, "
                  f"{setup.peak_mb:.0f} MB): {_totals(setup.stdout)}")
        self.import_pairs(f"b. import a second round ({p} packages: {n:,} re-sent, {max(n // 10, 1):,} new) into the "
                          "database holding the first", template, second)

    def case_c(self) -> None:
        n, new = self.args.records, self.args.new
        seed = self.args.seed + 100
        forums = _generate.forum_installations(1, seed)
        files = self.packages(f"new-{new}-s{seed}", new, 1, seed=seed)
        template = self.folder(f"db-{n}", n, forums, self.args.seed)
        self.import_pairs(f"c. import {new:,} new records (one package) into a database of {n:,}", template, files,
                          seconds=seconds_target(n))

    def case_d(self) -> None:
        n = self.args.records
        seed = self.args.seed + 200
        forums = _generate.forum_installations(1, seed)
        files = self.packages(f"one-{n}-s{seed}", n, 1, seed=seed)
        empty = self.folder("empty-d", 0, forums, seed)
        repeat = self.args.memory_repeat or self.args.repeat
        self.import_pairs(f"d. peak memory: import ONE package of all {n:,} records into an empty database", empty,
                          files, memory=memory_target(n), repeat=repeat)
        template = self.root / "templates" / f"db-{n}"
        if not template.exists():
            template = self.folder(f"db-{n}", n, [], self.args.seed)
        runs = self.root / "runs"

        def app() -> object:
            folder = copy_data_folder(template, runs / "app-export")
            return run_measured(app_argv("--data-dir", str(folder), "export", "--scope", "national", "--out",
                                         str(runs / "app-export.jcimsync")), self.env)

        def base() -> object:
            folder = copy_data_folder(template, runs / "baseline-export")
            return run_measured(script_argv("_baseline_export.py", "--data-dir", str(folder), "--out",
                                            str(runs / "baseline-export.jcimsync")), self.env)

        title = f"d. peak memory: export --scope national of a database of {n:,} records"
        pairs = alternate(Pairs(title), repeat, app, base)  # type: ignore[arg-type]
        pairs.report(ratio_target=None, memory_target=memory_target(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--packages", type=int, default=10, help="packages of cases a and b (1 to 15)")
    parser.add_argument("--new", type=int, default=10_000, help="new records of case c")
    parser.add_argument("--repeat", type=int, default=5, help="app / baseline pairs per case")
    parser.add_argument("--memory-repeat", type=int, default=0, help="pairs of case d (default: --repeat)")
    parser.add_argument("--cases", default="a,b,c,d")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep (and reuse) the generated packages in this folder")
    parser.add_argument("--baseline-no-audit", action="store_true", help="the baseline writes no audit log")
    parser.add_argument("--baseline-no-data-checks", action="store_true",
                        help="the baseline checks envelopes only, not each field of data (a lower floor)")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]

    print_header("sync: import / export as processes vs baseline scripts", CODE, records=f"{args.records:,}",
                 packages=args.packages, repeat=args.repeat, cases=",".join(cases))
    with tempfile.TemporaryDirectory(prefix="jcim-bench-sync-") as tmp:
        root = Path(tmp)
        work = args.work or root / "packages"
        bench = Bench(args, root, work)
        for case in cases:
            method = getattr(bench, f"case_{case}", None)
            if method is None:
                print(f"!! no case {case!r} (a, b, c, d)")
                continue
            guarded(f"case {case}", method)
    print()
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
