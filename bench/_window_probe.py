"""``python -m jcim_desktop ARGS`` with a probe: says when the dashboard's data have been painted.

    python bench/_window_probe.py --data-dir DIR [ARGS…]

For checkouts whose window has no ``JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA`` hook yet (bench/startup.py
uses the hook when there is one). The program runs exactly as ``python -m jcim_desktop`` would
(``runpy``, same arguments); the only addition is an import hook: when
``jcim_desktop.ui.pages.dashboard`` is imported, ``DashboardPage.apply`` (which shows a loaded
year's figures) is wrapped, and the first paint of the page (or of anything in it) after it
ran is the moment the data are painted. Only then is an application-wide event filter installed
(it sees every event, so before that it would slow the start it measures). Prints, on standard
output, as the application's hook does:

    data <time.perf_counter()> <VmHWM MB>       the dashboard's data painted; then the program quits

(``perf_counter`` is CLOCK_MONOTONIC on Linux: the parent compares it with its own.) If the
dashboard has no ``apply`` the probe cannot see its data and prints ``probe-unavailable``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import runpy
import sys
import time
from types import ModuleType
from typing import Any

DASHBOARD = "jcim_desktop.ui.pages.dashboard"


def _peak() -> str:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return f" {int(line.split()[1]) / 1024:.1f}"
    except OSError:
        pass
    return ""


def _say(word: str) -> None:
    print(f"{word} {time.perf_counter():.6f}{_peak()}", flush=True)


class _Watcher:
    """An application-wide event filter, installed once the dashboard has applied its data: the
    first paint of the dashboard (or a widget in it) then."""

    def __init__(self, page: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication, QWidget

        self.page = page
        self.done = False
        watcher = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
                if watcher.done or event.type() != QEvent.Type.Paint or not isinstance(watched, QWidget):
                    return False
                if watched is page or page.isAncestorOf(watched):
                    watcher.done = True
                    QTimer.singleShot(0, watcher.finish)  # once the whole frame is painted
                return False

        self.app = QApplication.instance()
        self.filter = Filter()
        if self.app is not None:
            self.app.installEventFilter(self.filter)

    def finish(self) -> None:
        _say("data")
        if self.app is not None:
            self.app.removeEventFilter(self.filter)
            self.app.quit()


_watcher: _Watcher | None = None


def _patch(module: ModuleType) -> None:
    page_class = getattr(module, "DashboardPage", None)
    original = getattr(page_class, "apply", None)
    if page_class is None or original is None:
        print("probe-unavailable", flush=True)
        return

    def apply(self: Any, *args: Any, **kwargs: Any) -> Any:
        global _watcher
        result = original(self, *args, **kwargs)
        if _watcher is None:
            _watcher = _Watcher(self)
            self.update()
        return result

    page_class.apply = apply


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != DASHBOARD:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def run(module: ModuleType) -> None:
            exec_module(module)
            _patch(module)

        loader.exec_module = run  # type: ignore[method-assign]
        return spec


def main() -> None:
    sys.meta_path.insert(0, _Finder())
    sys.argv = ["jcim-desktop", *sys.argv[1:]]
    runpy.run_module("jcim_desktop", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
