"""The frozen bundle: its size, and process start → window painted.

    .venv/bin/python bench/frozen.py [--dist dist] [--repeat 5] [--records 0]

Uses the bundle build_installer.py left in ``dist/`` (building one first if there is none).
The frozen program is started with JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT set: it prints
"painted" on its first frame and quits; the time is taken here, from just before the process
starts. The data folder holds the demo data (and ``--records`` generated ones more).
Targets: bundle ≤ 150 MB on Linux; start → painted ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZE_TARGET_MB, START_TARGET_S = 150, 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--records", type=int, default=0, help="generated records on top of the demo data")
    args = parser.parse_args(argv)
    exe = args.dist / "jcim-desktop" / ("jcim-desktop.exe" if sys.platform == "win32" else "jcim-desktop")
    if not exe.exists():
        subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--skip-smoke", "--dist", str(args.dist)],
                       check=True)
    size = sum(p.lstat().st_size for p in exe.parent.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle: {exe.parent} {size / 1e6:.0f} MB (target ≤ {SIZE_TARGET_MB} MB)")

    with tempfile.TemporaryDirectory(prefix="jcim-frozen-") as tmp:
        data = Path(tmp) / "data"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        subprocess.run([str(exe), "demo", "--org", "secretariat", "--data-dir", str(data)], check=True, env=env,
                       capture_output=True)
        if args.records:
            from _generate import FORUM_ORGS, generate_records, load_into
            from jcim_desktop.services.context import open_app

            ctx = open_app(data)
            load_into(ctx, generate_records(args.records, FORUM_ORGS))
            ctx.close()
        bench_env = dict(env, JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT="1")
        times = []
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            proc = subprocess.Popen([str(exe), "--data-dir", str(data)], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=bench_env)
            assert proc.stdout is not None
            line = proc.stdout.readline()
            times.append(time.perf_counter() - t0)
            proc.communicate(timeout=60)
            if not line.startswith("painted"):
                raise SystemExit(f"the frozen window did not report a paint: {line!r}")
        first, rest = times[0], times[1:]
        print(f"frozen start → window painted: first {first:.2f} s, then best {min(rest):.2f} s, "
              f"median {statistics.median(rest):.2f} s (target ≤ {START_TARGET_S} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
