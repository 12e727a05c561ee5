"""Benchmark: switching to the list pages (活動・行事, ピッチイベント, 自治体ニーズ, …) of a database of
``--records`` records, until the page's table is painted with its rows.

    .venv/bin/python bench/list_page.py [--records 100000] [--repeat 5] [--settle 1.0] [--code DIR]
                                        [--keep DIR | --reuse DIR] [--skip-detail]

First switches (the headline): each of ``--repeat`` fresh processes (offscreen Qt) opens the
application's real window (``MainWindow``, 1280×800) on the data folder, waits until the start is
over (the dashboard shows its data: ``MainWindow.started`` where the checkout has it, else the
dashboard's ``loaded``) and ``--settle`` seconds more (a person looks at the dashboard), then clicks
each list page in the sidebar in turn (``sidebar.setCurrentRow``, what a click does), back to the
dashboard in between: the time from the click until the page's table has painted rows (the
FIRST switch to that page in that process: module, page, query, first frame), then each page a
second time (later switches). マッチング (a page of cards, without a table: its first paint after
it has loaded its year) comes last: when a page has not painted its data within
``--page-timeout`` seconds (30) the process reports what it measured and ends (a long layout
cannot be interrupted), and the page is reported as not painted in that time. Baseline, in the same process, before or after the application's
switches (alternating from process to process): a plain ``QTableView`` over a
``QAbstractTableModel`` created at the click, filled by one ``sqlite3`` query (the first 100 rows
of the page's current fiscal year by date, with a ``count(*)``), painted. Pairs per page,
min / median / max and the ratio of each pair. Target: ≤ 100 ms at 100,000 records,
≤ 150 ms at 1,000,000.

Detail (``--skip-detail`` leaves it out): in a separate process, NeedsPage and EventsPage built
directly (all years and this year): switch→painted, the whole id list arriving in the background,
a header sort, a search keystroke, a jump to the last row, ``listing.fetch_ids`` alone, and the
peak memory (VmHWM, target ≤ 250 MB).

The database: ``--records`` records of the 15 forums (bench/_generate.py, the usual mix: 40 %
events, 20 % needs, …). Prints the machine's load at the start and the end. Reports; never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    add_code_option,
    child_env,
    guarded,
    print_footer,
    print_header,
    select_code,
    spread,
)

CODE = select_code()

TARGET_PAINT_MS = 100
TARGET_IDS_MS = 60
TARGET_MB = 250
# In the sidebar's order, but マッチング (cards, slow to lay out) last, so that it never keeps the
# window busy while another page is timed.
LIST_PAGES = ("events", "pitch_events", "needs", "seeds", "trials", "support", "matchings")
SLOW_PAGES = ("matchings",)
# The baseline's query per page: (table, date column for the year and the order, extra condition).
BASELINE_QUERY: dict[str, tuple[str, str | None, str]] = {
    "events": ("events", "planned_start", "event_type <> 'pitch_event'"),
    "pitch_events": ("events", "planned_start", "event_type = 'pitch_event'"),
    "needs": ("needs", "received_on", ""),
    "seeds": ("seeds", None, ""),
    "matchings": ("matchings", "last_stage_on", ""),
    "trials": ("trials", "planned_start", ""),
    "support": ("support_activities", "on_date", ""),
}
BASELINE_COLUMNS = 6


def first_paint_target(records: int) -> float:
    return 100 if records <= 300_000 else 150


def _until(app: Any, done: Any, timeout: float = 15.0) -> bool:
    deadline = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            return False
        time.sleep(0.0005)
    return True


def first_switches(data_dir: str, baseline_first: bool, settle: float, timeout: float = 30.0) -> dict[str, Any]:
    """Child process: the real window, then the first (and second) switch to each list page, and the
    baseline's; one JSON object on stdout."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import datetime as dt
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QStackedWidget, QTableView, QWidget

    from _generate import peak_mb
    from jcim_desktop.services.context import open_app
    from jcim_desktop.ui import app as app_module
    from jcim_desktop.ui.main_window import MainWindow

    t_start = time.perf_counter()
    app = app_module.application()
    ctx = open_app(data_dir)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    started = {"done": False}
    signal = getattr(window, "started", None)
    if signal is not None:
        signal.connect(lambda: started.update(done=True))
        if getattr(window, "is_started", False):
            started["done"] = True
    else:
        dashboard = window.page_at(0)
        loaded = getattr(dashboard, "loaded", None)
        if loaded is not None:
            loaded.connect(lambda: started.update(done=True))
        else:
            started["done"] = True
    start_ok = _until(app, lambda: started["done"], 60)
    out: dict[str, Any] = {"start_s": time.perf_counter() - t_start, "start_ok": start_ok}
    _until(app, lambda: False, settle)

    class Painted(QObject):
        """The frame in which the current page shows its data: a paint of its table's viewport while
        the table has rows; for a page without a table (マッチング's cards), its first paint after it
        said it ``loaded`` its year (when the click made it), else its first paint."""

        def __init__(self) -> None:
            super().__init__()
            self.current: Any = None
            self.loaded = True
            self.at: float | None = None
            self.armed = False

        def watch(self, current: Any, loaded: bool = True) -> None:
            self.current, self.loaded, self.at, self.armed = current, loaded, None, True
            app.installEventFilter(self)

        def stop(self) -> None:
            self.armed = False
            app.removeEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if not self.armed or event.type() != QEvent.Type.Paint or not isinstance(watched, QWidget):
                return False
            page = self.current()
            if page is None or not (watched is page or page.isAncestorOf(watched)):
                return False
            views = [v for v in page.findChildren(QAbstractItemView) if v.isVisible()]
            if views:
                model = views[0].model()
                if watched is not views[0].viewport() or model is None or model.rowCount() == 0:
                    return False
            elif not self.loaded:
                return False
            self.armed = False
            QTimer.singleShot(0, self._stamp)  # once the frame is painted
            return False

        def _stamp(self) -> None:
            self.at = time.perf_counter()
            app.removeEventFilter(self)

    watcher = Painted()
    rows_of = {cls.page_id: row for row, cls in enumerate(window.page_classes)}

    def click(page_id: str) -> float | None:
        row = rows_of[page_id]
        built = getattr(window, "_built", None)
        first_time = isinstance(built, dict) and row not in built
        t0 = time.perf_counter()
        window.sidebar.setCurrentRow(row)  # what a click on the sidebar does
        page = window.stack.currentWidget()
        loaded_signal = getattr(page, "loaded", None)
        waits = first_time and loaded_signal is not None
        watcher.watch(window.stack.currentWidget, loaded=not waits)
        if waits:
            # Set as the signal arrives: the frame that shows the data may follow in the same batch.
            loaded_signal.connect(lambda: setattr(watcher, "loaded", True))  # type: ignore[union-attr]
        if not _until(app, lambda: watcher.at is not None, timeout):
            watcher.stop()
            return None  # nothing with data painted within the timeout
        return (watcher.at - t0) * 1000  # type: ignore[operator]

    def back_to_dashboard() -> None:
        window.sidebar.setCurrentRow(0)
        _until(app, lambda: False, 0.2)

    # The baseline: a window of its own, a plain table made at the click.
    today = dt.date.today()
    fy = today.year if today.month >= 4 else today.year - 1
    fy_start, fy_end = dt.date(fy, 4, 1).isoformat(), dt.date(fy + 1, 3, 31).isoformat()
    conn = sqlite3.connect(str(Path(data_dir) / "jcim.sqlite3"))
    base_window = QStackedWidget()
    base_window.resize(1280, 800)
    base_window.addWidget(QWidget())
    base_window.show()

    class Table(QAbstractTableModel):
        def __init__(self, rows: list[tuple[Any, ...]], names: list[str]) -> None:
            super().__init__()
            self.rows, self.names = rows, names

        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
            return len(self.names)

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                value = self.rows[index.row()][index.column()]
                return "" if value is None else str(value)
            return None

        def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                       role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
                return self.names[section]
            return None

    def baseline_click(page_id: str) -> float | None:
        table, date_column, condition = BASELINE_QUERY[page_id]
        t0 = time.perf_counter()
        where = ["deleted = 0"] + ([condition] if condition else [])
        params: list[Any] = []
        if date_column == "last_stage_on":
            where.append("last_stage_on >= ? AND first_stage_on <= ?")
            params += [fy_start, fy_end]
        elif date_column:
            where.append(f"{date_column} BETWEEN ? AND ?")
            params += [fy_start, fy_end]
        clause = " AND ".join(where)
        names = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')][:BASELINE_COLUMNS]
        order = f"{date_column} DESC" if date_column else "id"
        rows = conn.execute(f'SELECT {", ".join(names)} FROM "{table}" WHERE {clause} ORDER BY {order} LIMIT 100',
                            params).fetchall()
        (count,) = conn.execute(f'SELECT count(*) FROM "{table}" WHERE {clause}', params).fetchone()
        page = QWidget()
        view = QTableView(page)
        view.setModel(Table(rows, [f"{n} ({count:,})" if i == 0 else n for i, n in enumerate(names)]))
        view.resize(1200, 760)
        base_window.addWidget(page)
        base_window.setCurrentWidget(page)
        watcher.watch(base_window.currentWidget)
        if not _until(app, lambda: watcher.at is not None, timeout):
            watcher.stop()
            return None
        return (watcher.at - t0) * 1000  # type: ignore[operator]

    pages = [p for p in LIST_PAGES if p in rows_of]
    slow = [p for p in pages if p in SLOW_PAGES]
    quick = [p for p in pages if p not in SLOW_PAGES]
    first: dict[str, float | None] = {}
    base: dict[str, float | None] = {}
    later: dict[str, float | None] = {}
    rows: dict[str, int | None] = {}
    out.update(first=first, baseline=base, later=later, rows=rows)

    def emit_and_exit() -> None:
        """A page still not painted after ``timeout``: the window may stay busy for minutes (a long
        layout cannot be interrupted), so say what was measured and end the process now."""
        out["peak_mb"] = peak_mb()
        out["timed_out"] = True
        print(json.dumps(out), flush=True)
        os._exit(0)

    def timed_click(page_id: str, into: dict[str, float | None]) -> None:
        watchdog = threading.Timer(timeout + 1, emit_and_exit)
        watchdog.daemon = True
        watchdog.start()
        into[page_id] = None  # what the output says if the watchdog fires
        try:
            into[page_id] = click(page_id)
        finally:
            watchdog.cancel()

    def run_app() -> None:
        for page_id in quick:
            timed_click(page_id, first)
            back_to_dashboard()

    def run_base() -> None:
        for page_id in pages:
            base[page_id] = baseline_click(page_id)
            _until(app, lambda: False, 0.2)

    for part in ((run_base, run_app) if baseline_first else (run_app, run_base)):
        part()
    for page_id in quick:
        later[page_id] = click(page_id)
        back_to_dashboard()
    for page_id in quick:
        page = window.page_at(rows_of[page_id])
        model = getattr(page, "model", None)
        rows[page_id] = model.rowCount() if model is not None and hasattr(model, "rowCount") else None
    # Pages slow to lay out come last: one that is not painted in time ends the process.
    for page_id in slow:
        timed_click(page_id, first)
        back_to_dashboard()
        timed_click(page_id, later)
        back_to_dashboard()
    out["peak_mb"] = peak_mb()
    conn.close()
    ctx.close()
    return out


def measure(data_dir: str, repeat: int) -> dict[str, Any]:
    """Child process: open the folder and time the pages (one JSON object on stdout)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication, QStackedWidget

    from _generate import peak_mb
    from jcim_desktop.services import listing
    from jcim_desktop.services.context import open_app
    from jcim_desktop.ui.bus import ChangeBus
    from jcim_desktop.ui.pages.list_page import EventsPage, ListPage, NeedsPage

    app = QApplication.instance() or QApplication([])
    ctx = open_app(data_dir)
    bus = ChangeBus()
    stack = QStackedWidget()
    stack.resize(1280, 800)
    stack.show()
    app.processEvents()
    out: dict[str, Any] = {"rss_after_open_mb": peak_mb()}

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    def until_painted(counter: PaintCounter, t0: float) -> float:
        before = counter.count
        while counter.count == before:
            app.processEvents()
            if time.perf_counter() - t0 > 10:
                raise RuntimeError("never painted")
        return (time.perf_counter() - t0) * 1000

    def until_loaded(page: ListPage, t0: float) -> float:
        while not page.model.is_complete():
            app.processEvents()
            time.sleep(0.001)
        return (time.perf_counter() - t0) * 1000

    def switch(page_class: type[ListPage], all_years: bool) -> dict[str, float]:
        t0 = time.perf_counter()
        page = page_class(ctx, bus)
        if all_years:
            page.year_combo.setCurrentIndex(0)  # すべての年度 (hidden: only marks the page stale)
        counter = PaintCounter()
        page.table.viewport().installEventFilter(counter)
        stack.addWidget(page)
        stack.setCurrentWidget(page)  # what the main window does on a sidebar click
        page.activate()
        painted = until_painted(counter, t0)
        loaded = until_loaded(page, t0)
        rows = page.model.rowCount()
        t1 = time.perf_counter()
        page.grab()
        grab = (time.perf_counter() - t1) * 1000
        result = {"painted_ms": painted, "all_ids_ms": loaded, "rows": rows, "grab_ms": grab}
        if all_years:
            # Sort by another column through the header (as a click would), until repainted.
            header = page.table.horizontalHeader()
            column = [c.key for c in page.model.columns].index("title")
            t1 = time.perf_counter()
            header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
            result["sort_painted_ms"] = until_painted(counter, t1)
            result["sort_all_ids_ms"] = until_loaded(page, t1)
            # A search keystroke (after its debounce): the query and the repaint.
            page.search.setText("ふくやま")
            t1 = time.perf_counter()
            page._search_timer.timeout.emit()
            result["search_painted_ms"] = until_painted(counter, t1)
            result["search_rows"] = page.model.rowCount()
            page.search.setText("")
            page._search_timer.timeout.emit()
            until_loaded(page, time.perf_counter())
            # Jump to the last row: one block of rows read, then painted.
            t1 = time.perf_counter()
            page.table.scrollToBottom()
            result["jump_to_end_ms"] = until_painted(counter, t1)
        stack.removeWidget(page)
        page.table.viewport().removeEventFilter(counter)
        page.deleteLater()
        # processEvents() alone never runs deferred deletes; without this, every page measured
        # would stay alive and the peak memory would be that of a dozen pages.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        return result

    for name, page_class in (("needs", NeedsPage), ("events", EventsPage)):
        for all_years in (True, False):
            runs = [switch(page_class, all_years) for _ in range(repeat)]
            out.setdefault("peak_after_first_page_mb", peak_mb())
            key = f"{name}_{'all_years' if all_years else 'this_year'}"
            out[key] = {
                k: (statistics.median(r[k] for r in runs) if k != "rows" else runs[0][k]) for k in runs[0]
            }
            out[key]["first_painted_ms"] = runs[0]["painted_ms"]

    from jcim_desktop.services import records

    view_query = {"needs": records.Query(), "events": records.Query(event_types=EventsPage.event_types)}
    for name, query in view_query.items():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            ids = listing.fetch_ids(ctx, name, query)
            times.append((time.perf_counter() - t0) * 1000)
        out[f"fetch_ids_{name}"] = {"ms": statistics.median(times), "ids": len(ids)}
    out["peak_mb"] = peak_mb()
    ctx.close()
    return out


def _child(argv: list[str]) -> tuple[dict[str, Any] | None, str]:
    env = child_env(None)
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--code", str(CODE), *argv],
                           capture_output=True, text=True, check=False, env=env, cwd=CODE)
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not lines:
        return None, f"exit status {child.returncode}: {child.stderr.strip()[-1500:]}"
    return json.loads(lines[-1]), ""


def report_first_switches(data_dir: Path, args: argparse.Namespace) -> None:
    runs = []
    for i in range(args.repeat):
        result, problem = _child(["--first-switch", str(data_dir), "--settle", str(args.settle),
                                  "--page-timeout", str(args.page_timeout)]
                                 + (["--baseline-first"] if i % 2 else []))
        if result is None:
            print(f"   process {i + 1} failed: {problem}")
            continue
        runs.append(result)
        first = ", ".join(f"{k} {_ms(v)}" for k, v in result["first"].items())
        print(f"   process {i + 1} ({'baseline' if i % 2 else 'app'} first; start over in {result['start_s']:.2f} s"
              f"{'' if result['start_ok'] else ' — NOT SEEN, waited 60 s'}): first switches {first}", flush=True)
    if not runs:
        return
    target = first_paint_target(args.records)
    print(f"-- first switch to each list page after start → table painted with rows: {len(runs)} processes, "
          "alternating (min / median / max, ms) --")
    worst: list[float] = []
    unpainted: list[str] = []
    for page_id in runs[0]["first"]:
        app_ms = [r["first"].get(page_id) for r in runs]
        base_ms = [r["baseline"].get(page_id) for r in runs]
        later_ms = [r["later"].get(page_id) for r in runs]
        ratios = [a / b if a is not None and b else float("nan") for a, b in zip(app_ms, base_ms, strict=True)]
        good = [x for x in ratios if x == x]
        app_good = [x for x in app_ms if x is not None]
        if app_good:
            worst.append(statistics.median(app_good))
        else:
            unpainted.append(page_id)
        rows = runs[0]["rows"].get(page_id)
        verdict = ("within" if statistics.median(app_good) <= target else "OVER") if app_good else (
            f"rows not painted within {args.page_timeout:.0f} s")
        print(f"   {page_id:13s} {'' if rows is None else f'{rows:>7,} rows'}: app {spread(_nan(app_ms), 'ms', 1)} "
              f"(target ≤ {target}: {verdict}); baseline {spread(_nan(base_ms), 'ms', 1)}; ratio per pair "
              + ", ".join(f"{x:.1f}×" if x == x else "-" for x in ratios)
              + (f", median {statistics.median(good):.1f}×" if good else "")
              + f"; later switches {spread(_nan(later_ms), 'ms', 1)}")
    if worst or unpainted:
        slowest = (f"{', '.join(unpainted)}: data not painted within {args.page_timeout:.0f} s" if unpainted
                   else f"{max(worst):.1f} ms")
        verdict = "within" if not unpainted and max(worst) <= target else "OVER"
        print(f"   slowest page (median of its first switches): {slowest} (target ≤ {target} ms: {verdict}); "
              f"peak memory of the window process {max(r['peak_mb'] for r in runs):.0f} MB; start over in "
              f"{spread([r['start_s'] for r in runs])}")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _nan(values: list[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


def report_detail(data_dir: Path, args: argparse.Namespace) -> None:
    r, problem = _child(["--measure", str(data_dir), "--repeat", str(args.repeat)])
    if r is None:
        print(f"measuring process failed: {problem}")
        return
    print(f"-- detail: NeedsPage / EventsPage built directly, {args.repeat} runs each (median; fresh process) --")
    for key in ("needs_all_years", "needs_this_year", "events_all_years", "events_this_year"):
        m = r[key]
        verdict = "within" if m["painted_ms"] <= TARGET_PAINT_MS else "OVER"
        print(
            f"{key:17s} {m['rows']:>7,} rows: switch→painted {m['painted_ms']:6.1f} ms "
            f"(first run {m['first_painted_ms']:.1f}; target ≤ {TARGET_PAINT_MS}: {verdict}), "
            f"all ids in {m['all_ids_ms']:6.1f} ms, grab {m['grab_ms']:.1f} ms"
        )
        if "sort_painted_ms" in m:
            print(
                f"{'':17s} sort by title: painted {m['sort_painted_ms']:.1f} ms, all ids {m['sort_all_ids_ms']:.1f} ms; "
                f"search ふくやま: {m['search_painted_ms']:.1f} ms ({m['search_rows']:,} rows); "
                f"jump to last row: {m['jump_to_end_ms']:.1f} ms"
            )
    for name in ("needs", "events"):
        f = r[f"fetch_ids_{name}"]
        verdict = "within" if f["ms"] < TARGET_IDS_MS else "OVER"
        print(f"listing.fetch_ids({name}) all {f['ids']:,} ids: {f['ms']:.1f} ms (target < {TARGET_IDS_MS}: {verdict})")
    verdict = "within" if r["peak_mb"] <= TARGET_MB else "OVER"
    print(f"peak memory (VmHWM): {r['peak_mb']:.0f} MB (target ≤ {TARGET_MB}: {verdict}; "
          f"{r['rss_after_open_mb']:.0f} MB after opening, {r['peak_after_first_page_mb']:.0f} MB after the first page)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_code_option(parser)
    parser.add_argument("--records", type=int, default=100_000, help="records in the database (15 forums)")
    parser.add_argument("--repeat", type=int, default=5, help="processes (first switches) and runs (detail)")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds between the start and the first click")
    parser.add_argument("--page-timeout", type=float, default=30.0,
                        help="seconds to wait for a page's data to be painted (beyond: reported as not painted)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--org", default="secretariat", help="the installation's org")
    parser.add_argument("--keep", metavar="DIR", help="generate into (and keep) this new data folder")
    parser.add_argument("--reuse", metavar="DIR", help="measure a data folder made earlier with --keep")
    parser.add_argument("--skip-detail", action="store_true", help="only the first switches")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--first-switch", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0
    if args.first_switch:
        print(json.dumps(first_switches(args.first_switch, args.baseline_first, args.settle, args.page_timeout)))
        return 0

    from _generate import build_data_folder, data_folder

    print_header("list pages: click → table painted with rows", CODE, records=f"{args.records:,}", org=args.org,
                 repeat=args.repeat, settle=f"{args.settle} s")
    with data_folder(args.reuse or args.keep) as data_dir:
        if not args.reuse:
            build_data_folder(data_dir, args.records, org=args.org, seed=args.seed, master=True,
                              progress=lambda text: print(f"   {text}"))
        guarded("first switches", lambda: report_first_switches(data_dir, args))
        if not args.skip_detail:
            guarded("detail", lambda: report_detail(data_dir, args))
    print_footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
