"""Starting the window: the dashboard's data first, the rest after it; the start benchmark's hook."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt

from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.services import events, listing, records
from jcim_desktop.ui import app as app_module
from jcim_desktop.ui import ops
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.dashboard import DashboardPage
from jcim_desktop.ui.pages.list_page import ListPage

pytestmark = pytest.mark.gui

TIMEOUT = 20000


def held_today(ctx, title):  # type: ignore[no-untyped-def]
    """An event held today: in the year a list shows first."""
    today = dt.date.today()
    return records.create(ctx, "events", {
        "title": title, "event_type": "seminar", "status": "held",
        "planned": events.planned_from_text(f"{today.month}月{today.day}日", fiscal_year_of(today)),
        "held_from": today.isoformat(), "held_to": today.isoformat(), "lg_codes": [], "counts_as_forum": False,
    })


@pytest.fixture
def ids_read(monkeypatch):  # type: ignore[no-untyped-def]
    """(view, read on the GUI thread) of every read of a list's ids."""
    calls: list[tuple[str, bool]] = []
    original = listing.fetch_ids

    def fetch_ids(ctx, view, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((view, threading.current_thread() is threading.main_thread()))
        return original(ctx, view, *args, **kwargs)

    monkeypatch.setattr(listing, "fetch_ids", fetch_ids)
    return calls


def started_window(qtbot, ctx) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.started, timeout=TIMEOUT):
        window.show()
    return window


@pytest.fixture(autouse=True)
def _no_operation_left_behind(qtbot):  # type: ignore[no-untyped-def]
    yield
    ops.wait_for_all()


def test_the_start_is_over_once_the_dashboard_shows_its_figures_then_conflicts_are_counted(qtbot, forum):
    window = started_window(qtbot, forum)
    dashboard = window.current_page()
    assert isinstance(dashboard, DashboardPage) and dashboard.board is not None
    qtbot.waitUntil(lambda: window.open_conflicts == 0, timeout=TIMEOUT)


def test_a_list_page_read_ahead_after_the_start_opens_from_its_shortcut_without_reading_again(
        qtbot, forum, ids_read):
    for n in range(3):
        held_today(forum, f"維持管理勉強会 第{n + 1}回")
    window = started_window(qtbot, forum)
    # In idle moments after the start the list pages are built and their first screens read,
    # off the GUI thread.
    qtbot.waitUntil(lambda: ("events", False) in ids_read and ops.running() == 0, timeout=TIMEOUT)
    assert ("events", True) not in ids_read
    ids_read.clear()

    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, ListPage) and page.page_id == "events"
    assert page.isVisible()
    assert page.model.rowCount() == 3  # at once: nothing to wait for
    assert page.model.row_texts(0) is not None and "維持管理勉強会" in page.model.describe_row(0)
    assert ids_read == []  # nothing read again on the GUI thread


def test_a_record_added_after_the_list_was_read_ahead_is_shown_when_it_opens(qtbot, forum, ids_read):
    held_today(forum, "点検技術セミナー")
    window = started_window(qtbot, forum)
    qtbot.waitUntil(lambda: ("events", False) in ids_read and ops.running() == 0, timeout=TIMEOUT)
    ops.perform(window, lambda: held_today(forum, "追加した出前授業"))

    page = window.show_page("events")
    assert isinstance(page, ListPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=TIMEOUT)
    assert sorted(page.model.describe_row(row) for row in range(2)) == ["点検技術セミナー", "追加した出前授業"]


def test_the_window_reports_when_the_dashboards_data_is_painted(tmp_path):
    """JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA (bench/startup.py): one line, "data <seconds since the
    process started> <peak MB>", once the dashboard's figures are painted; then the window quits."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", JCIM_DESKTOP_BENCH_EXIT_AFTER_DATA="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("JCIM_DESKTOP_BENCH_EXIT_AFTER_PAINT", None)
    command = [sys.executable, "-m", "jcim_desktop"]
    assert subprocess.run([*command, "init", "--org", "chugoku", "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, timeout=300).returncode == 0
    result = subprocess.run([*command, "--data-dir", str(data)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    kind, *figures = result.stdout.split()
    assert kind == "data"
    seconds = float(figures[0])
    assert 0 < seconds < 300
    if sys.platform == "linux":
        assert float(figures[1]) > 10  # the peak memory in MB


def test_pyside_import_check_gives_its_own_answers(qtbot):
    """The quicker check (ui/app.py) answers as PySide6's inspect.getsource did."""
    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None:
        pytest.skip("this PySide6 has no such check")
    assert getattr(check, "quicker", False)
    for module in (sys.modules["jcim_desktop.ui.main_window"], json, inspect, listing, app_module):
        assert check(module) == ("PySide6" in inspect.getsource(module)), module.__name__
    assert check(sys) is False  # built in: no source
