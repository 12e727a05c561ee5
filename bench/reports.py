"""Benchmark: the reports. Headline: the KPI result report's PDF as users make it —
``jcim-desktop report kpi`` as a process — over ``--records`` records, against a baseline process
that does the tally and writes a reportlab PDF of the same tables.

    .venv/bin/python bench/reports.py [--records 100000] [--repeat 5] [--fy 2024] [--code DIR]
                                      [--keep DIR] [--out DIR] [--skip-detail] [--skip-excel] [--rows 100000]

The data folder: a secretariat with ``--records`` records of the 15 forums and the secretariat's
municipality statuses and targets (bench/_generate.py, streamed: 1,000,000 works). Each process
builds the PDF once: its first build (reportlab imported, the font registered and embedded).
Application: ``python -m jcim_desktop --data-dir D report kpi --fy N --out F.pdf``; baseline:
``bench/_baseline_tally.py --pdf`` (one aggregate SQL per KPI; title, the official table, the
table by organisation, achievement bars and the matching funnel, with the same TrueType font
embedded). Alternating pairs: min / median / max and the ratio of each pair.
Target: ≤ 0.5 s at 100,000 records, ≤ 1.5 s at 1,000,000.

Detail (``--skip-detail`` leaves it out, for information): with the demo data, in this process,
the KPI PDF's first build and warm builds, and the other three PDFs once each. Then the Excel
export (bench/reports_excel.py, ``--skip-excel`` leaves it out). Prints the machine's load at the
start and the end. Reports; never fails.
"""

from __future__ import annotations

import argparse
import statistics
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
    guarded,
    print_footer,
    print_header,
    run_measured,
    script_argv,
    select_code,
    spread,
)

CODE = select_code()
ROOT = CODE

PDF_TARGET_SECONDS = 0.5


def pdf_target(records: int) -> float:
    return 0.5 if records <= 300_000 else 1.5


def headline(data_dir: Path, out_dir: Path, args: argparse.Namespace) -> None:
    env = child_env(out_dir)
    app_pdf, base_pdf = out_dir / "kpi-app.pdf", out_dir / "kpi-baseline.pdf"
    app = app_argv("--data-dir", str(data_dir), "report", "kpi", "--fy", str(args.fy), "--out", str(app_pdf))
    base = script_argv("_baseline_tally.py", "--db", str(data_dir / "jcim.sqlite3"), "--fy", str(args.fy),
                       "--pdf", str(base_pdf), "--font", str(CODE / "resources" / "fonts" / "ipaexg.ttf"))
    run_measured(app, env)  # the first start of the day (daily backup), not counted
    pairs = alternate(Pairs(f"report kpi --fy {args.fy} (first build in each process)"), args.repeat,
                      lambda: run_measured(app, env), lambda: run_measured(base, env))
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} KB" for p in (app_pdf, base_pdf) if p.exists())
    print(f"   {sizes}")
    pairs.report(base_label="baseline (SQL + reportlab)", seconds_target=pdf_target(args.records))
    # For comparison with figures taken inside the program: the same first build, timed inside
    # a fresh process from the call of services.reports.kpi_report_pdf (the process's start,
    # imports and opening of the database left out).
    inside = []
    for _ in range(args.repeat):
        run = run_measured([sys.executable, str(Path(__file__).resolve()), "--code", str(CODE), "--pdf-only",
                            str(data_dir), "--fy", str(args.fy), "--out", str(out_dir)], env)
        if run.ok and run.stdout.strip():
            inside.append(float(run.stdout.strip().splitlines()[-1]))
    if inside:
        print(f"   (inside a fresh process, from the call: first build {spread(inside)})")


def pdf_only(data_dir: str, fy: int, out_dir: Path) -> None:
    """Child process: open the folder, then time the KPI PDF's first build (printed in seconds)."""
    from jcim_desktop.services import reports as report_services
    from jcim_desktop.services.context import open_app

    ctx = open_app(data_dir)
    t0 = time.perf_counter()
    report_services.kpi_report_pdf(ctx, fy, out_dir / "kpi-inside.pdf")
    print(f"{time.perf_counter() - t0:.4f}")
    ctx.close()


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
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fy", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="use (and keep) this data folder; reused if it exists")
    parser.add_argument("--out", type=Path, help="keep the PDFs in this folder")
    parser.add_argument("--skip-detail", action="store_true", help="leave out the demo-data PDFs in this process")
    parser.add_argument("--skip-excel", action="store_true", help="leave out the Excel export")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the Excel export")
    parser.add_argument("--pdf-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pdf_only:
        pdf_only(args.pdf_only, args.fy, args.out or Path(args.pdf_only))
        return 0

    from _generate import build_data_folder, data_folder

    print_header("report kpi as a process vs a baseline process (SQL + reportlab)", CODE,
                 records=f"{args.records:,}", repeat=args.repeat)
    with data_folder(args.keep) as data_dir, tempfile.TemporaryDirectory(prefix="jcim-bench-pdf-") as tmp:
        if not (data_dir / "jcim.sqlite3").exists():
            build_data_folder(data_dir, args.records, seed=args.seed, master=True, progress=lambda t: print(f"   {t}"))
        out_dir = args.out or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        guarded("KPI PDF headline", lambda: headline(data_dir, out_dir, args))
    if not args.skip_detail:
        print()
        guarded("PDF detail", lambda: bench_pdf(args.repeat, args.fy, args.out))
    if not args.skip_excel:
        # The Excel part (100,000 rows against openpyxl write-only) lives beside this script.
        import reports_excel

        print()
        guarded("Excel", lambda: reports_excel.main(["--rows", str(args.rows), "--code", str(CODE)]))
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
