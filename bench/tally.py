"""Benchmark: the KPI tally of one fiscal year over ~100,000 records of 15 forums, and ``history``
(every KPI by fiscal year) over ~100,000 records spread over 10 fiscal years.

    .venv/bin/python bench/tally.py [--records 100000] [--repeat 5] [--fy 2024] [--keep DIR]
                                    [--history-years 10] [--skip-history]

Creates a temporary data folder, loads synthetic records (bench/_generate.py), times
``services.tally.tally`` (first cold run, then best/median of warm runs) and measures the peak
memory of a fresh process that only opens the database and runs the tally. Then fills a second
folder with as many records dated over ``--history-years`` fiscal years (one of them closed, one
with published figures) and times ``services.history.history`` in the process and
``jcim-desktop history --format json`` as a process, each beside a baseline doing the same work
the plain way (the tally of every year). Reports; never fails.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 0.3
TARGET_MB = 250
SAMPLE_PER_ENTITY = 200


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
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_before_mb": before,
                "peak_mb": peak_mb(),
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "forums_held": result["kpis"]["forums_held"]["total"],
            }
        )
    )


def spot_check(records: dict[str, list[dict]], registry: Any) -> int:
    """Clean a sample of each entity's records; the number that fail."""
    from jcim_desktop.domain.entities import clean
    from jcim_desktop.errors import ValidationError

    rng = random.Random(7)
    failures = 0
    for entity, envelopes in records.items():
        for env in rng.sample(envelopes, min(SAMPLE_PER_ENTITY, len(envelopes))):
            try:
                clean(entity, env["data"], is_known_lg_code=registry.__contains__)
            except ValidationError as exc:
                failures += 1
                if failures <= 3:
                    print(f"  invalid {entity} {env['id']}: {exc}", file=sys.stderr)
    return failures


def expected_counts(records: dict[str, list[dict]], fy: int) -> dict[str, int]:
    """KPI totals computed directly from the generated envelopes (SYNC_FORMAT §5)."""
    from jcim_desktop.domain.orgs import ORGS

    start, end = date(fy, 4, 1).isoformat(), date(fy + 1, 3, 31).isoformat()

    def counts(env: dict) -> bool:
        return not env["deleted"] and env["owner"] in ORGS

    def held_in_year(data: dict) -> bool:
        return data.get("status") == "held" and start <= (data.get("held_from") or "") <= end

    events = [e["data"] for e in records.get("events", []) if counts(e) and held_in_year(e["data"])]
    out = {
        "forums_held": sum(1 for d in events if d["counts_as_forum"]),
        "workshops": sum(1 for d in events if d["event_type"] in ("workshop", "outreach_class")),
        "mayors_council_activities": sum(1 for d in events if d["event_type"] == "mayors_council_meeting"),
        "field_trials": sum(1 for t in records.get("trials", []) if counts(t) and held_in_year(t["data"])),
    }
    for stage, kpi in (
        ("considered", "matching_considered"),
        ("established", "matching_established"),
        ("implemented", "implemented"),
    ):
        out[kpi] = sum(
            1
            for m in records.get("matchings", [])
            if counts(m) and any(s["stage"] == stage and start <= s["on"] <= end for s in m["data"]["stages"])
        )
    return out


EXPLAIN_TARGET_SECONDS = 0.5
HISTORY_TARGET_SECONDS = 1.0


def command_times(data_dir: Path, fy: int, kpi: str, repeat: int) -> tuple[list[float], list[float]]:
    """``jcim-desktop tally --explain KPI --format json`` and, as the baseline doing the same scan,
    ``jcim-desktop tally --format json``: each as a process, alternating; seconds of each run."""
    common = ["--fy", str(fy), "--format", "json", "--data-dir", str(data_dir)]
    explain_runs: list[float] = []
    tally_runs: list[float] = []
    for _ in range(repeat):
        for argv, runs in ((["tally", "--explain", kpi, *common], explain_runs), (["tally", *common], tally_runs)):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "jcim_desktop", *argv], capture_output=True, check=True)
            runs.append(time.perf_counter() - t0)
    return explain_runs, tally_runs


def tally_years(data_dir: str, years: list[int]) -> None:
    """Child process, the baseline of ``history`` as a process: open the folder and tally every
    year one by one (the work ``history`` does, the plain way); print the totals as JSON."""
    from jcim_desktop.services.context import open_app
    from jcim_desktop.services.tally import tally

    ctx = open_app(data_dir)
    totals = {str(fy): {code: entry["total"] for code, entry in tally(ctx, fy)["kpis"].items()} for fy in years}
    ctx.close()
    print(json.dumps({"years": totals}))


def _spread(runs: list[float]) -> str:
    return f"{min(runs):.3f} / {statistics.median(runs):.3f} / {max(runs):.3f} s"


def history_benchmark(args: argparse.Namespace) -> None:
    """``history`` over ``args.records`` records dated over ``args.history_years`` fiscal years."""
    from _generate import FORUM_ORGS, data_folder, generate_records, load_into
    from jcim_desktop.services import closing
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.services.history import history
    from jcim_desktop.services.tally import tally

    last = args.fy + 1
    first = last - args.history_years + 1
    keep = f"{args.keep}-history" if args.keep else None
    repeat = max(args.repeat, 1)
    with data_folder(keep) as data_dir:
        ctx = init_installation("secretariat", data_dir, user_name="bench")
        records = generate_records(args.records, FORUM_ORGS, seed=args.seed, fiscal_years=(first, last))
        written = load_into(ctx, records)
        # One year closed from the tally, one with published figures: both paths of history.
        closing.close_year(ctx, first + 2)
        closing.record_published(ctx, first + 4, {"supported_municipalities": 252, "forums_held": 33,
                                                  "matching_total": 184})
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
        # Every year not closed reports what that year's tally says.
        open_years = [fy for fy in years if not any(f["closed"] for f in result["years"][str(fy)].values())]
        agree = all(result["years"][str(fy)][code]["total"] == plain[fy]["kpis"][code]["total"]
                    for fy in open_years for code in plain[fy]["kpis"])

        command = [sys.executable, "-m", "jcim_desktop", "history", "--format", "json", "--data-dir", str(data_dir)]
        child = [sys.executable, str(Path(__file__).resolve()), "--tally-years", str(data_dir),
                 "--years", ",".join(map(str, years))]
        usage = subprocess.run([sys.executable, "-m", "jcim_desktop", "history", "--help"], capture_output=True, check=False)
        command_runs: list[float] = []
        child_runs: list[float] = []
        for _ in range(repeat):
            for argv, runs in ((command, command_runs), (child, child_runs)):
                if argv is command and usage.returncode != 0:
                    continue
                t0 = time.perf_counter()
                subprocess.run(argv, capture_output=True, check=True)
                runs.append(time.perf_counter() - t0)

        print(f"== history benchmark: {written} records dated FY{first}–FY{last}, {len(years)} fiscal years listed "
              f"(FY{first + 2} closed, FY{first + 4} published), {repeat} runs ==")
        median = statistics.median(in_process)
        print(f"history in the process: {_spread(in_process)} min/median/max, {cold:.3f} s cold first run "
              f"(target ≤ {HISTORY_TARGET_SECONDS} s: {'within' if median <= HISTORY_TARGET_SECONDS else 'OVER'}); "
              f"baseline, tally of each of the {len(years)} years: {_spread(baseline)}; "
              f"ratio {median / statistics.median(baseline):.2f}×")
        print(f"  open years agree with their tally: {'OK' if agree else 'MISMATCH'}")
        if command_runs:
            c_med, b_med = statistics.median(command_runs), statistics.median(child_runs)
            print(f"jcim-desktop history --format json as a process: {_spread(command_runs)} min/median/max; "
                  f"baseline process tallying each year, alternating: {_spread(child_runs)}; ratio {c_med / b_med:.2f}×")
        else:
            print(f"jcim-desktop history: no such command yet; baseline process tallying each year: {_spread(child_runs)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fy", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="use (and keep) this new data folder instead of a temp one")
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

    from _generate import FORUM_ORGS, data_folder, generate_records, load_into
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.services.tally import tally

    with data_folder(args.keep) as data_dir:
        ctx = init_installation("secretariat", data_dir, user_name="bench")

        t0 = time.perf_counter()
        records = generate_records(args.records, FORUM_ORGS, seed=args.seed)
        gen_s = time.perf_counter() - t0
        total = sum(len(v) for v in records.values())
        mix = ", ".join(f"{k} {len(v)}" for k, v in records.items())
        tombstones = sum(1 for v in records.values() for r in v if r["deleted"])
        print(f"generated {total} records over {len(FORUM_ORGS)} orgs in {gen_s:.1f} s ({mix}; {tombstones} tombstones)")

        bad = spot_check(records, ctx.registry)
        sampled = sum(min(SAMPLE_PER_ENTITY, len(v)) for v in records.values())
        print(f"validity spot-check (clean) on {sampled} sampled records: {'OK' if not bad else f'{bad} INVALID'}")

        t0 = time.perf_counter()
        written = load_into(ctx, records)
        load_s = time.perf_counter() - t0
        print(f"load: {written} rows in {load_s:.1f} s ({written / load_s:,.0f} rows/s, envelope_row + upsert_rows)")

        t0 = time.perf_counter()
        result = tally(ctx, args.fy)
        cold = time.perf_counter() - t0
        runs = []
        for _ in range(max(args.repeat, 1)):
            t0 = time.perf_counter()
            result = tally(ctx, args.fy)
            runs.append(time.perf_counter() - t0)
        best, median = min(runs), statistics.median(runs)
        largest = max((k for k, v in result["kpis"].items() if "by_org" in v), key=lambda k: result["kpis"][k]["total"])
        from jcim_desktop.services.tally import explain

        in_process = []
        for _ in range(max(args.repeat, 1)):
            t0 = time.perf_counter()
            explain(ctx, args.fy, largest)
            in_process.append(time.perf_counter() - t0)
        ctx.close()
        explain_runs, tally_runs = command_times(data_dir, args.fy, largest, max(args.repeat, 1))

        expected = expected_counts(records, args.fy)
        got = {k: result["kpis"][k]["total"] for k in expected}
        mismatches = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
        print(
            f"sanity: forums_held.total = {got['forums_held']}, direct count = {expected['forums_held']}: "
            f"{'OK' if got['forums_held'] == expected['forums_held'] else 'MISMATCH'}"
        )
        if mismatches:
            print(f"  other mismatches (tally, direct): {mismatches}")
        else:
            print(f"  also OK: {', '.join(f'{k}={v}' for k, v in expected.items() if k != 'forums_held')}")

        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--tally-only", str(data_dir), "--fy", str(args.fy)],
            capture_output=True,
            text=True,
            check=False,
        )
        mem: dict[str, Any] = {}
        if child.returncode == 0 and child.stdout.strip():
            mem = json.loads(child.stdout.strip().splitlines()[-1])
        else:
            print(f"memory subprocess failed ({child.returncode}): {child.stderr.strip()[-500:]}")

        print()
        print(f"== tally benchmark: {written} records, FY{args.fy}, {args.repeat} warm runs ==")
        print(f"load: {load_s:.2f} s")
        print(
            f"tally: {best:.3f} s best warm, {median:.3f} s median warm, {cold:.3f} s cold first run "
            f"(target < {TARGET_SECONDS} s) -> {'within' if median < TARGET_SECONDS else 'OVER'} target"
        )
        e_med, t_med = statistics.median(explain_runs), statistics.median(tally_runs)
        print(
            f"explain {largest} in the process: {min(in_process):.3f} / {statistics.median(in_process):.3f} s "
            f"best/median (target ≤ {EXPLAIN_TARGET_SECONDS} s: "
            f"{'within' if statistics.median(in_process) <= EXPLAIN_TARGET_SECONDS else 'OVER'})"
        )
        print(
            f"tally --explain {largest} ({result['kpis'][largest]['total']:,} records) as a process: "
            f"{min(explain_runs):.3f} / {e_med:.3f} / {max(explain_runs):.3f} s min/median/max; "
            f"tally --format json as a process, alternating: {min(tally_runs):.3f} / {t_med:.3f} / "
            f"{max(tally_runs):.3f} s; ratio {e_med / t_med:.2f}×"
        )
        if mem:
            print(
                f"fresh process: tally {mem['seconds']:.3f} s; peak memory: {mem['peak_mb']:.0f} MB "
                f"(target < {TARGET_MB} MB; {mem['rss_before_mb']:.0f} MB after opening, before the tally) "
                f"-> {'within' if mem['peak_mb'] < TARGET_MB else 'OVER'} target"
            )
            if sys.platform.startswith("linux"):
                print(
                    f"  (peak = VmHWM; the child's ru_maxrss reads {mem['ru_maxrss_mb']:.0f} MB because "
                    "Linux carries the parent's peak across fork+exec)"
                )
    if not args.skip_history:
        print()
        history_benchmark(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
