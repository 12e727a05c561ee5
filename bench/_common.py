"""What the benchmarks share: which checkout the timed processes run (``--code``), running a
command as a measured process, alternating app / baseline pairs and printing them.

Every bench starts with ``code = select_code()`` *before* it imports ``jcim_desktop``: the
checkout named by ``--code DIR`` (default: the repository this file lives in) goes first on
``sys.path`` (for the data the bench prepares) and into ``PYTHONPATH`` (for every child process).

The timed processes run with ``PYTHON_KEYRING_BACKEND`` set to keyring's ``fail`` backend, as the
tests do: keys stay in the data folder's files and the real credential store is never touched.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
MEASURE = BENCH_DIR / "_measure.py"
KEYRING_FAIL = "keyring.backends.fail.Keyring"


CODE = REPO
"""The checkout chosen by ``select_code``; also the working directory of every child process:
``python -m`` puts the working directory first on ``sys.path``, ahead of ``PYTHONPATH``, so a
child started from another checkout would run that checkout's code."""


def select_code(argv: Sequence[str] | None = None) -> Path:
    """The checkout named by ``--code DIR`` in ``argv`` (default ``sys.argv``), first on ``sys.path``
    and in ``PYTHONPATH``, and the working directory of child processes; the bench folder is
    importable too."""
    global CODE
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--code", type=Path, default=REPO)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else list(argv))
    code = known.code.expanduser().resolve()
    if not (code / "jcim_desktop" / "__init__.py").is_file():
        raise SystemExit(f"--code {code}: no jcim_desktop package there")
    if "jcim_desktop" in sys.modules and not sys.modules["jcim_desktop"].__file__.startswith(str(code)):  # type: ignore[union-attr]
        raise SystemExit("jcim_desktop was imported before select_code()")
    for entry in (str(BENCH_DIR), str(code)):
        while entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(code) + (os.pathsep + old if old else "")
    os.environ["PYTHON_KEYRING_BACKEND"] = KEYRING_FAIL
    # Timed processes run with compiled bytecode, as an installed application does: a shell with
    # PYTHONDONTWRITEBYTECODE would have every process compile the package's sources again.
    # (The caches go to __pycache__ beside the sources, which git ignores.)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("PYTHONPYCACHEPREFIX", None)
    compileall.compile_dir(str(code / "jcim_desktop"), quiet=1)
    CODE = code
    return code


def add_code_option(parser: argparse.ArgumentParser) -> None:
    """``--code DIR`` in a bench's own parser (already read by ``select_code``; listed for --help)."""
    parser.add_argument("--code", type=Path, default=REPO,
                        help="the checkout whose jcim_desktop the processes run (default: this repository)")


def child_env(tmp: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a timed process: this one's (PYTHONPATH set by ``select_code``), offscreen
    Qt, no credential store, and (with ``tmp``) a config folder of its own."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHON_KEYRING_BACKEND"] = KEYRING_FAIL
    if tmp is not None:
        env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env.update(extra)
    return env


def app_argv(*args: str) -> list[str]:
    """``jcim-desktop ARGS`` as users run it from a checkout: ``python -m jcim_desktop ARGS``."""
    return [sys.executable, "-m", "jcim_desktop", *args]


def script_argv(script: str, *args: str) -> list[str]:
    """A bench script (``_baseline_import.py`` …) run as its own process."""
    return [sys.executable, str(BENCH_DIR / script), *args]


@dataclass
class Run:
    """One measured process: wall time from spawn to exit, its own peak resident memory (MB)."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def problem(self, limit: int = 600) -> str:
        tail = (self.stderr.strip() or self.stdout.strip())[-limit:]
        return f"exit status {self.returncode}: {tail}"


def run_measured(argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600) -> Run:
    """Run ``argv`` as a process and measure it from a small helper process (``_measure.py``).

    The helper takes the time just before it spawns the command and when it has reaped it, and
    the command's peak memory from ``wait4`` (ru_maxrss). Linux carries a parent's peak across
    fork + exec into the child's ru_maxrss, so a command spawned by this (large) process would
    report this process's peak; spawned by the small helper, it reports its own.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".json", prefix="jcim-measure-", delete=False) as result_file:
        result_path = result_file.name
    try:
        child = subprocess.run(
            [sys.executable, "-S", str(MEASURE), result_path, *argv],
            capture_output=True, text=True, env=env, timeout=timeout, check=False, cwd=CODE,
        )
        try:
            result = json.loads(Path(result_path).read_text() or "{}")
        except ValueError:
            result = {}
    finally:
        Path(result_path).unlink(missing_ok=True)
    if "seconds" not in result:
        return Run(float("nan"), float("nan"), child.returncode or 99, child.stdout, child.stderr)
    return Run(result["seconds"], result["peak_mb"], result["returncode"], child.stdout, child.stderr)


def load_text() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unavailable"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min, {os.cpu_count()} CPUs)"


def child_code() -> str:
    """Where a child process started as the benches start them finds ``jcim_desktop``."""
    probe = subprocess.run(
        [sys.executable, "-c", "import jcim_desktop, os; print(os.path.dirname(os.path.dirname(jcim_desktop.__file__)))"],
        capture_output=True, text=True, env=child_env(), cwd=CODE, check=False)
    return probe.stdout.strip() or f"(not found: {probe.stderr.strip()[-200:]})"


def print_header(title: str, code: Path, **facts: object) -> None:
    print(f"== {title} ==")
    found = child_code()
    print(f"code: {code}   python {sys.version.split()[0]}   {time.strftime('%Y-%m-%d %H:%M:%S')}"
          + ("" if Path(found) == code else f"   !! child processes import jcim_desktop from {found}"))
    if facts:
        print("   ".join(f"{k}: {v}" for k, v in facts.items()))
    print(f"at start: {load_text()}", flush=True)


def print_footer() -> None:
    print(f"at end: {load_text()}", flush=True)


def spread(values: Sequence[float], unit: str = "s", digits: int = 3) -> str:
    good = [v for v in values if v == v]  # NaN: a failed run
    if not good:
        return "no successful run"
    return f"{min(good):.{digits}f} / {statistics.median(good):.{digits}f} / {max(good):.{digits}f} {unit}"


@dataclass
class Pairs:
    """Alternating runs of the application and its baseline; what each pair measured."""

    name: str
    app: list[Run] = field(default_factory=list)
    base: list[Run] = field(default_factory=list)

    def ratios(self) -> list[float]:
        return [a.seconds / b.seconds if a.ok and b.ok and b.seconds > 0 else float("nan")
                for a, b in zip(self.app, self.base, strict=False)]

    def report(self, *, app_label: str = "app", base_label: str = "baseline", ratio_target: float | None = None,
               seconds_target: float | None = None, memory_target: float | None = None) -> None:
        """Print min / median / max of each side, the ratio of every pair and their median."""
        app_s = [r.seconds if r.ok else float("nan") for r in self.app]
        base_s = [r.seconds if r.ok else float("nan") for r in self.base]
        ratios = self.ratios()
        good = [r for r in ratios if r == r]
        print(f"   summary: {len(self.app)} pairs, alternating (min / median / max)")
        print(f"     {app_label}: {spread(app_s)}" + _verdict(app_s, seconds_target, " s"))
        print(f"     {base_label}: {spread(base_s)}")
        print("     ratio per pair: " + ", ".join(f"{r:.2f}×" if r == r else "failed" for r in ratios)
              + (f"; median {statistics.median(good):.2f}×" if good else "")
              + (_verdict([statistics.median(good)], ratio_target, "×") if good else ""))
        app_mb = [r.peak_mb for r in self.app if r.ok]
        base_mb = [r.peak_mb for r in self.base if r.ok]
        if app_mb and base_mb:
            print(f"     peak memory: {app_label} {max(app_mb):.0f} MB, {base_label} {max(base_mb):.0f} MB"
                  + _verdict([max(app_mb)], memory_target, " MB"))
        for label, runs in ((app_label, self.app), (base_label, self.base)):
            failed = [r for r in runs if not r.ok]
            if failed:
                print(f"     {label} FAILED {len(failed)} of {len(runs)} runs; first: {failed[0].problem()}")
        sys.stdout.flush()


def _verdict(values: Sequence[float], target: float | None, unit: str) -> str:
    good = [v for v in values if v == v]
    if target is None or not good:
        return ""
    value = statistics.median(good)
    return f"   (target ≤ {target:g}{unit}: {'within' if value <= target else 'OVER'})"


def alternate(pairs: Pairs, repeat: int, app: Callable[[], Run], base: Callable[[], Run]) -> Pairs:
    """``repeat`` pairs, the application first in even pairs and the baseline first in odd ones
    (so that a drift of the machine's load favours neither)."""
    print(f"\n-- {pairs.name} --", flush=True)
    for i in range(repeat):
        if i % 2 == 0:
            pairs.app.append(app())
            pairs.base.append(base())
        else:
            pairs.base.append(base())
            pairs.app.append(app())
        a, b = pairs.app[-1], pairs.base[-1]
        print(f"   pair {i + 1}: app {a.seconds:.3f} s {a.peak_mb:.0f} MB{'' if a.ok else ' FAILED'}, "
              f"baseline {b.seconds:.3f} s {b.peak_mb:.0f} MB{'' if b.ok else ' FAILED'}", flush=True)
    return pairs


def copy_data_folder(source: Path, target: Path) -> Path:
    """A fresh copy of a data folder (database, keys, settings) at ``target`` (replaced if there).

    Backup files (never written again once made) are hard-linked, not copied: a data folder of
    1,000,000 records carries a backup as large as its database.
    """
    if target.exists():
        shutil.rmtree(target)

    def copy(src: str, dst: str) -> object:
        name = Path(src).name
        if name.startswith("jcim-") and name.endswith(".sqlite3") and Path(src).parent != source:
            try:
                os.link(src, dst)
                return dst
            except OSError:
                pass
        return shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=copy)
    return target


def guarded(label: str, action: Callable[[], object]) -> object:
    """Run one part of a bench; a failure is printed (a bench reports, never fails) and None returned."""
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - reported, and the bench goes on with its other parts
        import traceback

        print(f"!! {label} did not complete: {type(exc).__name__}: {exc}")
        traceback.print_exc(limit=6, file=sys.stdout)
        sys.stdout.flush()
        return None
