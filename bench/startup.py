"""Process start → the dashboard's data painted, with ``--records`` records in the database, against
a minimal PySide6 program showing one figure of the same database.

    .venv/bin/python bench/startup.py [--records 100000] [--repeat 5] [--org secretariat]
                                      [--endpoint auto|hook|probe|paint] [--code DIR] [--keep DIR]

Each run starts a new process (offscreen Qt) and the time is taken from just before it starts
to the moment the dashboard's data are painted — not its empty skeleton. That moment is told by:

- ``hook``: the window itself, with JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA set: it prints
  ``data <time> <peak MB>`` once the dashboard's figures are painted, then quits (``<time>``: its
  ``time.perf_counter()`` or the seconds since the process started; both are understood);
- ``probe``: for a checkout without that hook, ``bench/_window_probe.py`` runs the same program
  (``runpy`` of ``jcim_desktop``, same arguments) and wraps ``DashboardPage.apply``: the first paint
  of the page after it ran;
- ``paint``: first frame only (JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT), when neither is available —
  said plainly in the output, as it is not the data.

``auto`` (default) takes the hook if the checkout has it, else the probe, else the first paint.
The times printed by the child are ``time.perf_counter()`` (CLOCK_MONOTONIC, the parent's clock
too). Baseline: bench/_baseline_window.py (opens the same SQLite file, one ``count(*)``, a window
with that figure in a label, painted). The first start after the data folder is made (daily
backup) is reported apart. Alternating pairs; min / median / max and the ratio of each pair.
Targets: ≤ 0.8 s at 100,000 records, ≤ 1.5 s at 1,000,000; peak memory ≤ 250 MB.
Prints the machine's load at the start and the end. Reports; never fails.
"""

from __future__ import annotations

import argparse
import os
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    Pairs,
    Run,
    add_code_option,
    alternate,
    app_argv,
    child_env,
    guarded,
    print_footer,
    print_header,
    script_argv,
    select_code,
    spread,
)

CODE = select_code()

import _generate  # noqa: E402

EXIT_AFTER_PAINT = "JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT"
EXIT_AFTER_DATA = "JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA"
TARGET_MB = 250


def target_seconds(records: int) -> float:
    return 0.8 if records <= 300_000 else 1.5


@dataclass
class WindowRun:
    painted: float | None  # seconds from spawn to the first frame
    data: float | None  # seconds from spawn to the dashboard's data painted
    peak_mb: float
    problem: str | None
    probe_unavailable: bool = False

    def as_run(self, endpoint: str) -> Run:
        seconds = self.data if endpoint != "paint" else self.painted
        ok = self.problem is None and seconds is not None
        return Run(seconds if seconds is not None else float("nan"), self.peak_mb, 0 if ok else 1, "",
                   self.problem or f"no {endpoint} line")


def _seconds(value: float, t0: float, arrived: float) -> float:
    """Seconds from spawn, from what a child printed: its ``time.perf_counter()`` (CLOCK_MONOTONIC on
    Linux, the parent's clock too), or the seconds since its process started (what the window's
    data hook prints: from /proc, to 10 ms); else when the line arrived."""
    if t0 - 1.0 <= value <= arrived + 0.05:
        return max(value - t0, 0.0)
    if 0 < value <= arrived - t0 + 0.05:
        return value
    return arrived - t0


def run_window(argv: list[str], env: dict[str, str], timeout: float = 120) -> WindowRun:
    """Start ``argv``; read its ``painted`` / ``data`` lines; the seconds from spawn to each."""
    t0 = time.perf_counter()
    # In the checkout: ``python -m`` runs the code of its working directory (see _common.CODE).
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=CODE)
    assert proc.stdout is not None
    out = WindowRun(None, None, float("nan"), None)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    buffer = b""
    deadline = t0 + timeout
    try:
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                out.problem = f"no data line within {timeout:.0f} s"
                break
            if not selector.select(remaining):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            arrived = time.perf_counter()
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                parts = raw.decode("utf-8", "replace").split()
                if parts and parts[0] == "probe-unavailable":
                    out.probe_unavailable = True
                if len(parts) < 2 or parts[0] not in ("painted", "data"):
                    continue
                try:
                    stamp = float(parts[1])
                except ValueError:
                    continue
                seconds = _seconds(stamp, t0, arrived)
                if len(parts) > 2:
                    out.peak_mb = float(parts[2])
                if parts[0] == "painted" and out.painted is None:
                    out.painted = seconds
                elif parts[0] == "data":
                    out.data = seconds
            if out.data is not None:
                break
    finally:
        selector.close()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    if out.painted is None and out.data is None and out.problem is None:
        out.problem = f"exit status {proc.returncode}: {err.decode('utf-8', 'replace').strip()[-600:]}"
    return out


class Bench:
    def __init__(self, args: argparse.Namespace, data_dir: Path, tmp: Path) -> None:
        self.args = args
        self.data_dir = data_dir
        self.env = child_env(tmp)
        for name in (EXIT_AFTER_PAINT, EXIT_AFTER_DATA):
            self.env.pop(name, None)

    def app(self, endpoint: str) -> WindowRun:
        if endpoint == "probe":
            return run_window(script_argv("_window_probe.py", "--data-dir", str(self.data_dir)), self.env)
        env = dict(self.env, **{EXIT_AFTER_PAINT: "1"})
        if endpoint == "hook":
            env[EXIT_AFTER_DATA] = "1"
        return run_window(app_argv("--data-dir", str(self.data_dir)), env)

    def baseline(self) -> WindowRun:
        return run_window(script_argv("_baseline_window.py", str(self.data_dir / "jcim.sqlite3")), self.env)

    def choose_endpoint(self) -> tuple[str, WindowRun]:
        """The endpoint to use, and the first start (made with it) to report apart."""
        wanted = self.args.endpoint
        if wanted != "auto":
            return wanted, self.app(wanted)
        first = self.app("hook")
        if first.data is not None:
            return "hook", first
        print(f"   the window has no {EXIT_AFTER_DATA} hook (first start: "
              f"{'painted at ' + format(first.painted, '.3f') + ' s' if first.painted else first.problem}); "
              "trying the probe (bench/_window_probe.py)")
        probe = self.app("probe")
        if probe.data is not None:
            return "probe", first
        print(f"   the probe saw no dashboard data ({'no DashboardPage.apply' if probe.probe_unavailable else probe.problem});"
              " measuring to the FIRST PAINT only — not the data")
        return "paint", first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--org", default="secretariat")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--endpoint", choices=("auto", "hook", "probe", "paint"), default="auto")
    parser.add_argument("--keep", type=Path, help="make the data folder here and keep it (reused if it exists)")
    args = parser.parse_args(argv)

    print_header("start → dashboard data painted, as a process, vs a minimal PySide6 window", CODE,
                 records=f"{args.records:,}", org=args.org, repeat=args.repeat)
    with tempfile.TemporaryDirectory(prefix="jcim-bench-startup-") as tmp:
        data_dir = args.keep or Path(tmp) / "data"
        if not (data_dir / "jcim.sqlite3").exists():
            _generate.build_data_folder(data_dir, args.records, org=args.org, seed=args.seed, master=True,
                                        progress=lambda text: print(f"   {text}"))
        bench = Bench(args, data_dir, Path(tmp))

        def measure() -> None:
            endpoint, first = bench.choose_endpoint()
            label = {"hook": "data painted (the window's hook)", "probe": "data painted (bench probe)",
                     "paint": "FIRST PAINT ONLY (no data signal)"}[endpoint]
            print(f"   endpoint: {label}")
            print(f"   first start after the data folder was made (daily backup): "
                  f"painted {first.painted or float('nan'):.3f} s, data {first.data or float('nan'):.3f} s")
            bench.baseline()  # its first start too (cold caches)
            app_runs: list[WindowRun] = []

            def app() -> Run:
                run = bench.app(endpoint)
                app_runs.append(run)
                return run.as_run(endpoint)

            pairs = alternate(Pairs(f"start → {label}"), args.repeat, app, lambda: bench.baseline().as_run("data"))
            painted = [r.painted for r in app_runs if r.painted is not None]
            if not painted and endpoint != "paint":
                # The hook prints only the data line: the first frame, from runs of their own.
                painted = [r.painted for r in (bench.app("paint") for _ in range(args.repeat)) if r.painted is not None]
                print(f"   app first frame ({len(painted)} runs of their own): {spread(painted)}")
            elif painted and endpoint != "paint":
                gaps = [r.data - r.painted for r in app_runs if r.data is not None and r.painted is not None]
                print(f"   app first frame: {spread(painted)}"
                      + (f"; data painted {statistics.median(gaps):.3f} s after it (median)" if gaps else ""))
            pairs.report(app_label="app", base_label="baseline window", seconds_target=target_seconds(args.records),
                         memory_target=TARGET_MB)

        guarded("startup", measure)
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
