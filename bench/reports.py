"""Benchmark: the reports.

    .venv/bin/python bench/reports.py [--repeat 10] [--fy 2024] [--out DIR]

PDF (``bench_pdf``): a secretariat installation with the demo data (``services.demo``: every
forum's plan, needs, seeds, matchings, trials, the municipality master and the targets) and the
KPI result report of one fiscal year: the first build in the process (importing reportlab and
registering the font included), then the best and median of warm builds. Target: ≤ 0.5 s.
The other three PDFs are timed once each for information. Reports; never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PDF_TARGET_SECONDS = 0.5


def bench_pdf(repeat: int = 10, fy: int = 2024, out_dir: Path | None = None) -> dict[str, float]:
    """Time the KPI PDF for a secretariat with a demo-sized dataset; print and return the figures."""
    from jcim_desktop.domain.orgs import REGIONAL_FORUMS
    from jcim_desktop.services import demo, records
    from jcim_desktop.services import reports as report_services
    from jcim_desktop.services.context import init_installation

    with tempfile.TemporaryDirectory(prefix="jcim-bench-reports-") as tmp:
        folder = out_dir or Path(tmp) / "out"
        folder.mkdir(parents=True, exist_ok=True)
        ctx = init_installation("secretariat", Path(tmp) / "data", user_name="bench")
        try:
            t0 = time.perf_counter()
            demo.load_demo(ctx)
            load_s = time.perf_counter() - t0
            sizes = {e: records.count_records(ctx, e) for e in ("events", "needs", "seeds", "matchings", "trials")}
            print(f"demo data loaded in {load_s:.1f} s: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))

            target = folder / "kpi.pdf"
            t0 = time.perf_counter()
            report_services.kpi_report_pdf(ctx, fy, target)
            cold = time.perf_counter() - t0
            runs = []
            for _ in range(max(repeat, 1)):
                t0 = time.perf_counter()
                report_services.kpi_report_pdf(ctx, fy, target)
                runs.append(time.perf_counter() - t0)
            best, median = min(runs), statistics.median(runs)
            size_kb = target.stat().st_size / 1024

            from jcim_desktop.reports.fonts import japanese_font

            others: dict[str, float] = {}
            for name, build in (
                ("plan (中国フォーラム)", lambda: report_services.plan_report_pdf(ctx, REGIONAL_FORUMS[6], fy,
                                                                               folder / "plan.pdf")),
                ("matching sheets", lambda: report_services.matching_sheets_pdf(ctx, folder / "matching.pdf", fy=fy)),
                ("participation map", lambda: report_services.participation_map_pdf(ctx, folder / "map.pdf", fy)),
            ):
                t0 = time.perf_counter()
                build()
                others[name] = time.perf_counter() - t0
        finally:
            ctx.close()

    print()
    print(f"== PDF: KPI result report, FY{fy}, secretariat with demo data, {repeat} warm runs ==")
    print(f"font: {japanese_font().description}")
    print(
        f"KPI PDF: {median:.3f} s median warm, {best:.3f} s best, {cold:.3f} s first build "
        f"(reportlab import and font registration included); {size_kb:.0f} KB "
        f"(target ≤ {PDF_TARGET_SECONDS} s) -> {'within' if max(median, cold) <= PDF_TARGET_SECONDS else 'OVER'} target"
    )
    for name, seconds in others.items():
        print(f"  {name}: {seconds:.3f} s")
    return {"cold": cold, "median": median, "best": best, **others}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--fy", type=int, default=2024)
    parser.add_argument("--out", type=Path, help="keep the PDFs in this folder")
    parser.add_argument("--skip-excel", action="store_true", help="only the PDF part")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the Excel export")
    args = parser.parse_args(argv)
    bench_pdf(args.repeat, args.fy, args.out)
    if not args.skip_excel:
        # The Excel part (100,000 rows against openpyxl write-only) lives beside this script.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import reports_excel

        reports_excel.main(["--rows", str(args.rows)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
