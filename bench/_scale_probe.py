"""Child process of bench/scale.py: the queries behind a list page's first screen, timed inside a
process on an open database (SQLite or PostgreSQL, by ``JCIM_DESKTOP_DATABASE_URL``).

    python bench/_scale_probe.py DATA_DIR REPEAT FY

For each list view: the first screen as the window reads it (``ui.table_model.read_head``: the
first ids in the view's default order, then their rows), for the year and for all years, and the
matching board's data; REPEAT runs each after one warm-up. Prints one JSON object: view → list of
milliseconds, and ``peak_mb``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    data_dir, repeat, fy = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    from jcim_desktop.services import listing, matchings, records
    from jcim_desktop.services.context import open_app
    from jcim_desktop.ui.table_model import read_head

    ctx = open_app(data_dir, maintenance=False)
    out: dict[str, object] = {}
    try:
        for view in listing.VIEWS:
            for label, query in ((f"{view} (year)", records.Query(fiscal_year=fy)), (f"{view} (all years)", records.Query())):
                times = []
                for n in range(repeat + 1):
                    t0 = time.perf_counter()
                    head = read_head(ctx, view, query)
                    elapsed = (time.perf_counter() - t0) * 1000
                    if n:
                        times.append(elapsed)
                out[label] = {"ms": times, "rows": len(head.ids)}
        # The board page reads its columns (the newest cards and each column's count) and the
        # year's funnel counts (検討 → 成立 → … above the columns): each, and both as the page does.
        parts: dict[str, list[float]] = {"columns": [], "funnel": [], "page": []}
        for n in range(repeat + 1):
            t0 = time.perf_counter()
            matchings.board(ctx, fy, None)
            t1 = time.perf_counter()
            matchings.pipeline_counts(ctx, fy, None)
            t2 = time.perf_counter()
            if n:
                parts["columns"].append((t1 - t0) * 1000)
                parts["funnel"].append((t2 - t1) * 1000)
                parts["page"].append((t2 - t0) * 1000)
        out["matchings board: columns"] = {"ms": parts["columns"], "rows": None, "part": True}
        out["matchings board: year's funnel counts"] = {"ms": parts["funnel"], "rows": None, "part": True}
        out["matchings board (columns and funnel)"] = {"ms": parts["page"], "rows": None}
    finally:
        ctx.close()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
