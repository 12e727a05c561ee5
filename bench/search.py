"""Benchmark: incremental search of the local-government registry (one search per keystroke).

    .venv/bin/python bench/search.py [--repeat 200]

Times ``LocalGovernmentRegistry.search`` over a few typical queries (kana, kanji, half-width,
digits, no hit) and reports the median and worst per search. Reports; never fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jcim_desktop.domain.lgcodes import default_registry  # noqa: E402

QUERIES = ("や", "ま", "福山", "ﾌｸﾔﾏ", "3", "zzz", "広島県福")
TARGET_MS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    registry = default_registry()
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(args.repeat):
        for query in QUERIES:
            t0 = time.perf_counter()
            registry.search(query)
            per_query[query].append((time.perf_counter() - t0) * 1000)
    every = [ms for times in per_query.values() for ms in times]
    print(json.dumps({
        "median_ms": round(statistics.median(every), 3),
        "worst_query_median_ms": round(max(statistics.median(t) for t in per_query.values()), 3),
        "target_ms": TARGET_MS,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
