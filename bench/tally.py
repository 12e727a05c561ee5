"""Benchmark: the KPI tally of one fiscal year as users run it — ``jcim-desktop tally`` as a process —
against a baseline process doing the same count with one aggregate SQL statement per KPI.

    .venv/bin/python bench/tally.py [--records 100000] [--repeat 5] [--fy 2024] [--code DIR] [--keep DIR]
                                    [--skip-detail] [--history-years 10] [--skip-history]

The data folder: a secretariat with ``--records`` records of the 15 forums and the
secretariat's municipality statuses and targets (bench/_generate.py, streamed: 1,000,000 works).

Headline: ``python -m jcim_desktop --data-dir D tally --fy N --format json`` against
``bench/_baseline_tally.py`` (opens the database, one aggregate SQL per KPI, subtotals and
targets, JSON), both as processes, alternating, ``--repeat`` pairs: min / median / max and the
ratio of each pair; the two tallies must agree (every KPI's total, by-org figures, 実数).
Target: ≤ 0.6 s at 100,000 records, ≤ 1.5 s at 1,000,000.

Detail (``--skip-detail`` leaves it out), for information: ``services.tally.tally`` in this
process (cold, then warm runs), ``tally --explain`` as a process beside ``tally``, and the peak
memory of a fresh process that only opens the database and tallies (target < 250 MB).
History (``--skip-history``): ``history`` over records dated over ``--history-years`` fiscal years
(one closed, one with published figures), in the process and as a process, each beside a
baseline tallying every year. Prints the machine's load at the start and the end. Reports;
never fails.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    Pairs,
    add_code_option,
    alternate,
    app_argv,
    child_env,
    guarded,
    print_footer,
    print_header,
    run_measured,
    script_argv,
    select_code,
    spread,
)

CODE = select_code()

TARGET_MB = 250
EXPLAIN_TARGET_SECONDS = 0.5
HISTORY_TARGET_SECONDS = 1.0


def command_target(records: int) -> float:
    return 0.6 if records <= 300_000 else 1.5


def tally_only(data_dir: str, fy: int) -> None:
    """Child process: open the existing folder, run the tally once, print JSON with peak memory."""
    from _generate import peak_mb
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.tally import tally

    ctx = open_app(data_dir)
    before = peak_mb()
    t0 = time.perf_counter()
    result = tally(ctx, fy)
    seconds = time.perf_counter() - t0
    ctx.close()
    print(json.dumps({"seconds": seconds, "rss_before_mb": before, "peak_mb": peak_mb(),
                      "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "forums_held": result["kpis"]["forums_held"]["total"]}))


def tally_years(data_dir: str, years: list[int]) -> None:
    """Child process, the baseline of ``history`` as a process: open the folder and tally every
    year one by one (the work ``history`` does, the plain way); print the totals as JSON."""
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.tally import tally

    ctx = open_app(data_dir)
    totals = {str(fy): {code: entry["total"] for code, entry in tally(ctx, fy)["kpis"].items()} for fy in years}
    ctx.close()
    print(json.dumps({"years": totals}))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def agreement(app: Any, base: Any) -> str:
    """Whether the application's tally and the baseline's agree (every KPI: total, by_org, 実数)."""
    if not isinstance(app, dict) or not isinstance(base, dict):
        return "cannot compare (no JSON)"
    differ = []
    for code, entry in app.get("kpis", {}).items():
        other = base.get("kpis", {}).get(code, {})
        for key in ("total", "by_org", "distinct_total", "numerator"):
            mine, theirs = entry.get(key), other.get(key)
            if key == "by_org" and isinstance(mine, dict) and isinstance(theirs, dict):
                if any(mine.get(org, 0) != theirs.get(org, 0) for org in set(mine) | set(theirs)):
                    differ.append(f"{code}.by_org")
            elif mine != theirs and not (mine is None or theirs is None):
                differ.append(f"{code}.{key} {mine} ≠ {theirs}")
    return "agree on every KPI" if not differ else "DIFFER: " + "; ".join(differ[:6])


def headline(data_dir: Path, args: argparse.Namespace, env: dict[str, str]) -> None:
    app = app_argv("--data-dir", str(data_dir), "tally", "--fy", str(args.fy), "--format", "json")
    base = script_argv("_baseline_tally.py", "--db", str(data_dir / "jcim.sqlite3"), "--fy", str(args.fy))
    run_measured(app, env)  # the first start of the day (daily backup), not counted
    pairs = alternate(Pairs(f"tally --fy {args.fy} as a process"), args.repeat,
                      lambda: run_measured(app, env), lambda: run_measured(base, env))
    a = next((r for r in pairs.app if r.ok), None)
    b = next((r for r in pairs.base if r.ok), None)
    if a is not None and b is not None:
        print(f"   app and baseline tallies {agreement(_json(a.stdout), _json(b.stdout))}")
    pairs.report(base_label="baseline (SQL per KPI)", seconds_target=command_target(args.records),
                 memory_target=TARGET_MB)


def detail(data_dir: Path, args: argparse.Namespace, env: dict[str, str]) -> None:
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.tally import explain, tally

    ctx = open_app(data_dir)
    t0 = time.perf_counter()
    result = tally(ctx, args.fy)
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(max(args.repeat, 1)):
        t0 = time.perf_counter()
        result = tally(ctx, args.fy)
        runs.append(time.perf_counter() - t0)
    largest = max((k for k, v in result["kpis"].items() if "by_org" in v), key=lambda k: result["kpis"][k]["total"])
    in_process = []
    for _ in range(max(args.repeat, 1)):
        t0 = time.perf_counter()
        explain(ctx, args.fy, largest)
        in_process.append(time.perf_counter() - t0)
    ctx.close()
    print(f"-- detail (information) --\n   services.tally.tally in this process: {spread(runs)} warm, "
          f"{cold:.3f} s cold first run")
    print(f"   explain {largest} in this process: {spread(in_process)} (target ≤ {EXPLAIN_TARGET_SECONDS} s: "
          f"{'within' if statistics.median(in_process) <= EXPLAIN_TARGET_SECONDS else 'OVER'})")
    common = ["--fy", str(args.fy), "--format", "json", "--data-dir", str(data_dir)]
    pairs = alternate(Pairs(f"tally --explain {largest} ({result['kpis'][largest]['total']:,} records) as a process"),
                      args.repeat, lambda: run_measured(app_argv("tally", "--explain", largest, *common), env),
                      lambda: run_measured(app_argv("tally", *common), env))
    pairs.report(app_label="tally --explain", base_label="tally")
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--code", str(CODE), "--tally-only",
                            str(data_dir), "--fy", str(args.fy)], capture_output=True, text=True, check=False, env=env, cwd=CODE)
    mem = _json(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 and child.stdout.strip() else None
    if mem:
        print(f"   fresh process: tally {mem['seconds']:.3f} s; peak memory {mem['peak_mb']:.0f} MB (target < {TARGET_MB} MB; "
              f"{mem['rss_before_mb']:.0f} MB after opening) -> {'within' if mem['peak_mb'] < TARGET_MB else 'OVER'}")
    else:
        print(f"   memory subprocess failed ({child.returncode}): {child.stderr.strip()[-500:]}")


def history_benchmark(args: argparse.Namespace, env: dict[str, str]) -> None:
    """``history`` over ``args.records`` records dated over ``args.history_years`` fiscal years."""
    from _generate import build_data_folder, data_folder
    from jcim_desktop.services import closing
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.history import history
    from jcim_desktop.services.tally import tally

    last = args.fy + 1
    first = last - args.history_years + 1
    keep = f"{args.keep}-history" if args.keep else None
    repeat = max(args.repeat, 1)
    with data_folder(keep) as data_dir:
        if not (data_dir / "jcim.sqlite3").exists():
            build_data_folder(data_dir, args.records, seed=args.seed, fiscal_years=(first, last), master=True)
            ctx = open_app(data_dir)
            # One year closed from the tally, one with published figures: both paths of history.
            closing.close_year(ctx, first + 2)
            closing.record_published(ctx, first + 4, {"supported_municipalities": 252, "forums_held": 33,
                                                      "matching_total": 184})
            ctx.close()
        ctx = open_app(data_dir)
        t0 = time.perf_counter()
        result = history(ctx)
        cold = time.perf_counter() - t0
        years = [int(y) for y in result["years"]]
        in_process, baseline = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = history(ctx)
            in_process.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plain = {fy: tally(ctx, fy) for fy in years}
            baseline.append(time.perf_counter() - t0)
        ctx.close()
        open_years = [fy for fy in years if not any(f["closed"] for f in result["years"][str(fy)].values())]
        agree = all(result["years"][str(fy)][code]["total"] == plain[fy]["kpis"][code]["total"]
                    for fy in open_years for code in plain[fy]["kpis"])
        print(f"-- history: {args.records:,} records dated FY{first}–FY{last}, {len(years)} fiscal years "
              f"(FY{first + 2} closed, FY{first + 4} published) --")
        median = statistics.median(in_process)
        print(f"   history in this process: {spread(in_process)}, {cold:.3f} s cold (target ≤ {HISTORY_TARGET_SECONDS} s: "
              f"{'within' if median <= HISTORY_TARGET_SECONDS else 'OVER'}); tally of each year: {spread(baseline)}; "
              f"open years agree with their tally: {'OK' if agree else 'MISMATCH'}")
        command = app_argv("history", "--format", "json", "--data-dir", str(data_dir))
        child = [sys.executable, str(Path(__file__).resolve()), "--code", str(CODE), "--tally-years", str(data_dir),
                 "--years", ",".join(map(str, years))]
        pairs = alternate(Pairs("history --format json as a process"), repeat, lambda: run_measured(command, env),
                          lambda: run_measured(child, env))
        pairs.report(app_label="history", base_label="process tallying each year")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fy", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="use (and keep) this data folder; reused if it exists")
    parser.add_argument("--skip-detail", action="store_true", help="only the headline (and history)")
    parser.add_argument("--history-years", type=int, default=10, metavar="N",
                        help="fiscal years the history benchmark's records are dated over (default 10)")
    parser.add_argument("--skip-history", action="store_true", help="leave out the history benchmark")
    parser.add_argument("--tally-only", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--tally-years", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--years", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.tally_only:
        tally_only(args.tally_only, args.fy)
        return 0
    if args.tally_years:
        tally_years(args.tally_years, [int(y) for y in args.years.split(",") if y])
        return 0

    from _generate import build_data_folder, data_folder

    print_header(f"tally --fy {args.fy} as a process vs a baseline process (one SQL per KPI)", CODE,
                 records=f"{args.records:,}", repeat=args.repeat)
    env = child_env(None)
    with data_folder(args.keep) as data_dir:
        if not (data_dir / "jcim.sqlite3").exists():
            build_data_folder(data_dir, args.records, seed=args.seed, master=True, progress=lambda t: print(f"   {t}"))
        guarded("tally headline", lambda: headline(data_dir, args, env))
        if not args.skip_detail:
            guarded("tally detail", lambda: detail(data_dir, args, env))
    if not args.skip_history:
        guarded("history", lambda: history_benchmark(args, env))
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
