"""A secretariat's database growing from 100,000 to 1,000,000 records, on SQLite and PostgreSQL.

    .venv/bin/python bench/scale.py [--engines sqlite,postgres] [--postgres URL] [--step 100000]
                                    [--packages 10] [--grow-to 1000000] [--repeat 5] [--fy 2024]
                                    [--work DIR] [--code DIR] [--seed 1]

For each engine, a secretariat installation (a data folder; on PostgreSQL a new database on the
server of ``--postgres``, an administrative URL allowed to CREATE DATABASE — without it a throwaway
server is started with ``tests/postgres.py`` when Debian's PostgreSQL is installed) trusts the
forums' installations, then imports, as users run it (``jcim-desktop import`` as a process):

1. ``--packages`` packages holding ``--step`` records (bench/_generate.py, the speed issue's
   generator), then
2. the same again with new records (other forum laptops, other seeds) until the database holds
   ``--grow-to`` records: each import is timed, so its growth shows.

At ``--step`` records and at ``--grow-to`` it measures, each ``--repeat`` times (min / median / max):
``tally --fy N --format json`` and ``tally --fy N --explain supported_municipalities --format json``
as processes, with their peak memory; and inside one process (``_scale_probe.py``) the queries
of each list page's first screen (``ui.table_model.read_head``: what the window reads when a list
page opens, for the year and for all years) and the matching board's data. Targets at 1,000,000
(issue 15): first screen of a list page, and the matching board's data, ≤ 100 ms; tally ≤ 2 s.
The last table prints every figure at both sizes and its growth (1M / 100k) per engine.

Rules of bench/README.md: real commands as processes, compiled bytecode, load printed at the start
and the end. There is no baseline script here: the figure is the growth, and the engines side by
side (SQLite's baselines are in tally.py and sync.py). Reports; never fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    Run,
    add_code_option,
    app_argv,
    child_env,
    guarded,
    print_footer,
    print_header,
    run_measured,
    script_argv,
    select_code,
)

CODE = select_code()

import _generate  # noqa: E402

LIST_TARGET_MS = 100.0
TALLY_TARGET_S = 2.0


@dataclass
class Engine:
    name: str
    data_dir: Path
    url: str | None
    figures: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    memory: dict[str, dict[int, float]] = field(default_factory=dict)
    imports: list[tuple[int, float, float]] = field(default_factory=list)

    def record(self, figure: str, size: int, values: list[float], peak: float | None = None) -> None:
        self.figures.setdefault(figure, {})[size] = values
        if peak is not None:
            self.memory.setdefault(figure, {})[size] = peak


def spread(values: list[float], digits: int = 3) -> str:
    good = [v for v in values if v == v]
    if not good:
        return "failed"
    return f"{min(good):.{digits}f} / {statistics.median(good):.{digits}f} / {max(good):.{digits}f}"


def median(values: list[float]) -> float:
    good = [v for v in values if v == v]
    return statistics.median(good) if good else float("nan")


class Scale:
    def __init__(self, args: argparse.Namespace, root: Path) -> None:
        self.args = args
        self.root = root
        self.work = Path(args.work) if args.work else root / "packages"
        self.env = child_env(root)
        self.server: Path | None = None
        self.admin_url: str | None = args.postgres

    def note(self, text: str) -> None:
        print(f"   {text}", flush=True)

    # -- engines -------------------------------------------------------------------------------
    def postgres_url(self) -> str | None:
        """A new database on the server (started here if none was given)."""
        if self.admin_url is None:
            sys.path.insert(0, str(CODE / "tests"))
            try:
                import postgres  # tests/postgres.py

                self.server = self.root / "pg"
                self.admin_url = postgres.start(self.server)
                self.note(f"started a throwaway PostgreSQL server in {self.server}")
            except (SystemExit, Exception) as exc:  # noqa: BLE001 - said, and the engine is left out
                print(f"!! PostgreSQL: no --postgres URL and no server could be started ({exc})")
                return None
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"jcim_scale_{int(time.time())}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def stop(self) -> None:
        if self.server is not None:
            import postgres  # type: ignore[import-not-found]

            postgres.stop(self.server)

    def cli(self, engine: Engine, *args: str) -> Run:
        extra = ["--database-url", engine.url] if engine.url else []
        return run_measured(app_argv("--data-dir", str(engine.data_dir), *extra, *args), self.env)

    def prepare(self, name: str) -> Engine | None:
        url = self.postgres_url() if name == "postgres" else None
        if name == "postgres" and url is None:
            return None
        engine = Engine(name, self.root / f"data-{name}", url)
        made = self.cli(engine, "init", "--org", "secretariat")
        if not made.ok:
            print(f"!! {name}: init failed: {made.problem()}")
            return None
        return engine

    def trust(self, engine: Engine, forums: list[_generate.Forum]) -> None:
        from jcim_desktop.services.context import open_app

        ctx = open_app(engine.data_dir, database_url=engine.url, maintenance=False)
        try:
            _generate.trust_forums(ctx, forums)
        finally:
            ctx.close()

    # -- the work --------------------------------------------------------------------------------
    def round_files(self, n: int) -> tuple[list[Path], list[_generate.Forum]]:
        """Round ``n`` (0-based): ``--packages`` packages of ``--step`` new records from the forum
        laptops of seed ``--seed + n`` (each round other laptops, so all its records are new)."""
        seed = self.args.seed + n
        folder = self.work / f"scale-{self.args.step}-{self.args.packages}-s{seed}"
        t0 = time.perf_counter()
        files = _generate.forum_package_set(folder, self.args.step, self.args.packages, seed=seed)
        if time.perf_counter() - t0 > 1:
            self.note(f"packages of round {n + 1} ready in {time.perf_counter() - t0:.1f} s")
        return files, _generate.forum_installations(self.args.packages, seed)

    def import_round(self, engine: Engine, n: int, size_after: int) -> bool:
        files, forums = self.round_files(n)
        self.trust(engine, forums)
        run = self.cli(engine, "import", "--format", "json", *map(str, files))
        if not run.ok:
            print(f"!! {engine.name}: import of round {n + 1} failed: {run.problem()}")
            return False
        rejected = [o for o in json.loads(run.stdout) if o.get("status") != "accepted"]
        if rejected:
            print(f"!! {engine.name}: round {n + 1}: {len(rejected)} packages rejected: {rejected[0].get('reason')}")
            return False
        engine.imports.append((size_after, run.seconds, run.peak_mb))
        self.note(f"{engine.name}: import {len(files)} packages / {self.args.step:,} records into "
                  f"{size_after - self.args.step:,}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB")
        return True

    def measure(self, engine: Engine, size: int) -> None:
        fy, repeat = str(self.args.fy), self.args.repeat
        print(f"-- {engine.name} at {size:,} records --", flush=True)
        for figure, args in (
            ("tally (process, s)", ("tally", "--fy", fy, "--format", "json")),
            ("tally --explain supported_municipalities (process, s)",
             ("tally", "--fy", fy, "--explain", "supported_municipalities", "--format", "json")),
        ):
            runs = [self.cli(engine, *args) for _ in range(repeat)]
            failed = next((r for r in runs if not r.ok), None)
            if failed is not None:
                print(f"!! {figure}: {failed.problem()}")
            values = [r.seconds if r.ok else float("nan") for r in runs]
            peak = max((r.peak_mb for r in runs if r.ok), default=float("nan"))
            engine.record(figure, size, values, peak)
            self.note(f"{figure}: {spread(values)} s, peak {peak:.0f} MB")
        extra = {"JCIM_DESKTOP_DATABASE_URL": engine.url} if engine.url else {}
        probe = run_measured(script_argv("_scale_probe.py", str(engine.data_dir), str(repeat), fy),
                             child_env(self.root, **extra))
        if not probe.ok:
            print(f"!! list-page queries: {probe.problem()}")
            return
        found = json.loads(probe.stdout.strip().splitlines()[-1])
        for label, value in found.items():
            if label == "peak_mb":
                continue
            # A part of a page's data (printed, not judged: the page waits for all of it).
            figure = f"{'part' if value.get('part') else 'first screen'}: {label} (ms)"
            engine.record(figure, size, value["ms"])
            rows = f" ({value['rows']} ids)" if value.get("rows") is not None else ""
            self.note(f"{figure}: {spread(value['ms'], 1)} ms{rows}")
        self.note(f"list-page probe peak memory: {found['peak_mb']:.0f} MB")

    def run_engine(self, name: str) -> Engine | None:
        engine = guarded(f"{name}: prepare", lambda: self.prepare(name))
        if not isinstance(engine, Engine):
            return None
        step, top = self.args.step, self.args.grow_to
        rounds = max(1, top // step)
        for n in range(rounds):
            if not self.import_round(engine, n, step * (n + 1)):
                break
            if n == 0 or n == rounds - 1:
                guarded(f"{name}: measure", lambda n=n: self.measure(engine, step * (n + 1)))
        return engine

    # -- the summary -----------------------------------------------------------------------------
    def summary(self, engines: list[Engine]) -> None:
        small, large = self.args.step, self.args.step * max(1, self.args.grow_to // self.args.step)
        print(f"-- summary: median, at {small:,} → {large:,} records (growth ×) --")
        figures: list[str] = []
        for engine in engines:
            figures += [f for f in engine.figures if f not in figures]
        for figure in figures:
            cells = []
            for engine in engines:
                values = engine.figures.get(figure, {})
                a, b = median(values.get(small, [])), median(values.get(large, []))
                growth = f"{b / a:.1f}×" if a == a and b == b and a > 0 else "–"
                digits = 1 if figure.endswith("(ms)") else 3
                cells.append(f"{engine.name} {a:.{digits}f} → {b:.{digits}f} ({growth})")
            print(f"   {figure}: " + "; ".join(cells))
        for engine in engines:
            if engine.imports:
                first, last = engine.imports[0], engine.imports[-1]
                print(f"   import of {self.args.step:,} records, {engine.name}: into an empty database {first[1]:.2f} s "
                      f"({first[2]:.0f} MB) → into {last[0] - self.args.step:,}: {last[1]:.2f} s ({last[2]:.0f} MB); "
                      f"growth {last[1] / first[1]:.1f}×; peak memory of any import "
                      f"{max(i[2] for i in engine.imports):.0f} MB")
            tally = engine.figures.get("tally (process, s)", {}).get(large, [])
            # The list pages' target, the matching board's data included (a page as well: since
            # migration 0012 they are read from an index of their own).
            lists = [median(v.get(large, [])) for f, v in engine.figures.items() if f.startswith("first screen")]
            if tally:
                verdict = "within" if median(tally) <= TALLY_TARGET_S else "OVER"
                print(f"   {engine.name} at {large:,}: tally {median(tally):.3f} s (target ≤ {TALLY_TARGET_S} s: {verdict})")
            if lists:
                worst = max(lists)
                verdict = "within" if worst <= LIST_TARGET_MS else "OVER"
                print(f"   {engine.name} at {large:,}: slowest first screen of a page (lists, matching board) {worst:.1f} ms "
                      f"(target ≤ {LIST_TARGET_MS:.0f} ms: {verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres", metavar="URL", help="administrative URL of a PostgreSQL server")
    parser.add_argument("--step", type=int, default=100_000, help="records per import round")
    parser.add_argument("--packages", type=int, default=10, help="packages per round")
    parser.add_argument("--grow-to", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fy", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", help="keep (and reuse) the generated packages in this folder")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    print_header("scale: 100k → 1M records on SQLite and PostgreSQL", CODE, step=f"{args.step:,}",
                 grow_to=f"{args.grow_to:,}", engines=",".join(engines), repeat=args.repeat)
    with tempfile.TemporaryDirectory(prefix="jcim-scale-") as tmp:
        scale = Scale(args, Path(tmp))
        done: list[Engine] = []
        try:
            for name in engines:
                engine = scale.run_engine(name)
                if engine is not None:
                    done.append(engine)
        finally:
            scale.stop()
        scale.summary(done)
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
