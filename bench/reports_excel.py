"""Benchmark: Excel export of the biggest list page (events) with 100,000 rows vs plain openpyxl.

    .venv/bin/python bench/reports_excel.py [--rows 100000] [--repeat 3] [--seed 1] [--keep DIR]

Fills a secretariat data folder with synthetic records (bench/_generate.py; the events are cut
so that exactly ``--rows`` live ones remain), then, in the same process and interleaved:

- ``export``: ``services.excel_export.export_list_xlsx(ctx, "events", …)`` end to end
  (count, one ordered SELECT, typed formatting, styled header, typed cells, atomic write);
- ``plain``: openpyxl write-only, ``ws.append`` of the same rows already in memory (same
  number of columns, plain values: ints, dates, str), header appended as plain strings;
- the parts of ``export``: fetching + formatting alone, and ``write_table`` on rows in memory.

Target (issue 5): export ≤ 1.2 × plain. Reports; never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_code_option, select_code  # noqa: E402

if __name__ == "__main__":
    ROOT = select_code()  # the checkout named by --code (default: this repository)
else:  # imported by bench/reports.py, which chose the checkout
    import jcim_desktop

    ROOT = Path(jcim_desktop.__file__).resolve().parent.parent

TARGET_RATIO = 1.2
PAGE = "events"


def _events_share() -> float:
    from _generate import MIX, TOMBSTONE_SHARE

    return MIX["events"] * (1 - TOMBSTONE_SHARE)


def generate(rows: int, seed: int) -> dict[str, list[dict]]:
    """Records whose events hold exactly ``rows`` live ones (the other entities as generated)."""
    from _generate import FORUM_ORGS, generate_records

    n = int(rows / _events_share() * 1.03) + 100
    records = generate_records(n, FORUM_ORGS, seed=seed)
    kept, live = [], 0
    for env in records["events"]:
        if live == rows:
            break
        kept.append(env)
        live += not env["deleted"]
    if live < rows:
        raise SystemExit(f"generated only {live} live events; raise the margin")
    records["events"] = kept
    return records


def plain_openpyxl(path: Path, header: list[str], rows: list[tuple[Any, ...]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("events")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="use (and keep) this new data folder instead of a temp one")
    args = parser.parse_args(argv)

    from _generate import load_into
    from jcim_desktop.reports import excel_export as xlsx
    from jcim_desktop.services import listing, records
    from jcim_desktop.services.context import init_installation
    from jcim_desktop.services.excel_export import PAGES, export_columns, export_list_xlsx, iter_typed_rows

    tmp = tempfile.TemporaryDirectory(prefix="jcim-bench-xlsx-")
    work = Path(tmp.name)
    data_dir = Path(args.keep) if args.keep else work / "data"
    try:
        ctx = init_installation("secretariat", data_dir, user_name="bench")
        t0 = time.perf_counter()
        generated = generate(args.rows, args.seed)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        written = load_into(ctx, generated)
        load_s = time.perf_counter() - t0
        del generated
        n = listing.count(ctx, PAGES[PAGE].view, records.Query())
        print(f"generated in {gen_s:.1f} s, loaded {written:,} records in {load_s:.1f} s; page {PAGE!r}: {n:,} rows")

        columns = export_columns(PAGE)
        header = [label for label, _kind, _width in columns]
        t0 = time.perf_counter()
        rows = list(iter_typed_rows(ctx, PAGE))
        fetch_s = time.perf_counter() - t0
        assert len(rows) == n and all(len(r) == len(columns) for r in rows[:100])
        print(f"{len(columns)} columns: {', '.join(f'{label} ({kind})' for label, kind, _w in columns)}")

        # Warm up: openpyxl's import and first workbook are not part of either side.
        plain_openpyxl(work / "warm.xlsx", header, rows[:1000])
        xlsx.write_table(work / "warm.xlsx", sheet_title="w", columns=columns, rows=rows[:1000])

        times: dict[str, list[float]] = {"plain": [], "export": [], "write_table": [], "fetch": [fetch_s]}
        for i in range(max(args.repeat, 1)):
            # Alternate the order so neither side always runs on a warmer (or more fragmented) heap.
            order = ("plain", "export", "write_table") if i % 2 == 0 else ("export", "write_table", "plain")
            for name in order:
                out = work / f"{name}.xlsx"
                if name == "plain":
                    times[name].append(timed(partial(plain_openpyxl, out, header, rows)))
                elif name == "export":
                    times[name].append(timed(partial(export_list_xlsx, ctx, PAGE, out)))
                else:
                    times[name].append(timed(partial(
                        xlsx.write_table, out, sheet_title="events", columns=columns, rows=rows, title="bench")))
            times["fetch"].append(timed(lambda: sum(1 for _ in iter_typed_rows(ctx, PAGE))))
            print(f"  run {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
        ctx.close()

        import zipfile

        from openpyxl import load_workbook

        with zipfile.ZipFile(work / "export.xlsx") as zf:
            xml = zf.read("xl/worksheets/sheet1.xml")
        data_rows = xml.count(b"<row ") - 2
        wb = load_workbook(work / "export.xlsx", read_only=True)
        first = next(wb.worksheets[0].iter_rows(min_row=3, max_row=3))
        print(f"check: {data_rows:,} data rows in the sheet XML, {xml.count(b'<f>')} formulas; first row "
              f"{[c.value for c in first][:6]} (date format {first[4].number_format!r})")
        wb.close()

        med = {k: statistics.median(v) for k, v in times.items()}
        best = {k: min(v) for k, v in times.items()}
        size = {k: (work / f"{k}.xlsx").stat().st_size / 1e6 for k in ("plain", "export")}
        ratio = med["export"] / med["plain"]
        print()
        print(f"== Excel export of {n:,} rows × {len(columns)} columns, {args.repeat} runs (median / best) ==")
        print(f"plain openpyxl write-only : {med['plain']:.2f} / {best['plain']:.2f} s  ({size['plain']:.1f} MB)")
        print(f"export_list_xlsx          : {med['export']:.2f} / {best['export']:.2f} s  ({size['export']:.1f} MB)")
        print(f"  of which fetch+format   : {med['fetch']:.2f} / {best['fetch']:.2f} s (one SELECT, typed rows)")
        print(f"  write_table, rows in RAM: {med['write_table']:.2f} / {best['write_table']:.2f} s "
              f"({med['write_table'] / med['plain']:.2f} × plain)")
        print(f"ratio export / plain      : {ratio:.2f} × median, {best['export'] / best['plain']:.2f} × best "
              f"(target ≤ {TARGET_RATIO}) -> {'within' if ratio <= TARGET_RATIO else 'OVER'} target")
        return 0
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
