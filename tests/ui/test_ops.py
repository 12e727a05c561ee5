"""ui/ops: one way to run work, one announcement of what changed, one error policy."""

from __future__ import annotations

import errno
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from jcim_desktop.errors import DiskFull, UserError, ValidationError
from jcim_desktop.services.changes import Changes, WithChanges
from jcim_desktop.ui import crash, ops
from jcim_desktop.ui.bus import ChangeBus


class Host(QWidget):
    """A widget with a bus, as the main window is."""

    def __init__(self) -> None:
        super().__init__()
        self.bus = ChangeBus(self)
        self.heard: list[Changes] = []
        self.bus.changed.connect(self.heard.append)


@pytest.fixture
def host(qtbot) -> Host:  # type: ignore[no-untyped-def]
    widget = Host()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """What would have been shown: message boxes and crash reports."""
    seen: dict[str, list[str]] = {"warnings": [], "bugs": []}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: seen["warnings"].append(text))
    monkeypatch.setattr(crash, "report_bug", lambda parent, exc, trace="": seen["bugs"].append(repr(exc)))
    return seen


def _wait(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: ops.running() == 0, timeout=10000)


def test_a_write_is_announced_once_after_it_is_done_then_success_runs(host: Host, qtbot) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    host.bus.changed.connect(lambda changes: order.append("announced"))
    worker_threads: list[QThread] = []

    def write(progress: ops.Progress) -> WithChanges:
        worker_threads.append(QThread.currentThread())
        return WithChanges(42, Changes.records("needs", ["n1"]))

    def success(result: WithChanges) -> None:
        order.append(f"success {result.value}")
        assert QThread.currentThread() is host.thread()  # callbacks on the GUI thread

    ops.CollectionOp(host, write).success(success).run_in_background()
    _wait(qtbot)
    assert order == ["announced", "success 42"]
    assert host.heard == [Changes.records("needs", ["n1"])]
    assert host.heard[0].touches("needs") and host.heard[0].kpis
    assert worker_threads and worker_threads[0] is not host.thread()


def test_a_query_announces_nothing(host: Host, qtbot) -> None:  # type: ignore[no-untyped-def]
    got: list[object] = []
    ops.QueryOp(host, lambda progress: Changes.records("needs"), success=got.append).run_in_background()
    _wait(qtbot)
    assert got == [Changes.records("needs")] and host.heard == []


def test_perform_announces_and_returns_the_result(host: Host) -> None:
    result = ops.perform(host, lambda: Changes.records("kpi_targets", ["t"]))
    assert result == Changes.records("kpi_targets", ["t"])
    assert host.heard == [result]


def test_nothing_changed_is_not_announced(host: Host) -> None:
    assert ops.perform(host, lambda: "plain value") == "plain value"
    assert host.heard == []


def test_a_user_error_goes_to_the_callers_display_and_nothing_is_announced(host: Host, shown) -> None:  # type: ignore[no-untyped-def]
    inline: list[UserError] = []

    def fail() -> None:
        raise ValidationError({"title": "技術テーマを入力してください。"})

    assert ops.perform(host, fail, failure=inline.append) is None
    assert len(inline) == 1 and "技術テーマ" in inline[0].message
    assert host.heard == [] and shown == {"warnings": [], "bugs": []}


def test_a_user_error_without_a_display_is_shown_plainly(host: Host, shown) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise UserError("ディスクを確かめてください。")

    assert ops.perform(host, fail) is None
    assert shown == {"warnings": ["ディスクを確かめてください。"], "bugs": []}


def test_a_bug_never_reaches_the_callers_display(host: Host, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    inline: list[UserError] = []
    done: list[str] = []

    def bug(progress: ops.Progress) -> None:
        raise KeyError("oops")

    ops.CollectionOp(host, bug).failure(inline.append).always(lambda: done.append("over")).run_in_background()
    _wait(qtbot)
    assert inline == [] and shown["bugs"] == ["KeyError('oops')"] and done == ["over"]
    # A bug may have left part of the work done: every view reloads.
    assert host.heard == [Changes.everything()]


def test_a_full_disk_that_escaped_a_service_is_a_user_error(host: Host, shown) -> None:  # type: ignore[no-untyped-def]
    inline: list[UserError] = []

    def write() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/data/x.jcimsync")

    ops.perform(host, write, failure=inline.append)
    assert len(inline) == 1 and isinstance(inline[0], DiskFull) and "/data/x.jcimsync" in inline[0].message
    assert shown["bugs"] == []


def test_cancel_is_offered_only_for_work_that_checks_it(host: Host, qtbot) -> None:  # type: ignore[no-untyped-def]
    started, release = threading.Event(), threading.Event()

    def slow(progress: ops.Progress) -> None:
        started.set()
        release.wait(10)

    op = ops.QueryOp(host, slow, success=lambda _: None).with_progress("読み込んでいます…", delay_ms=0)
    op.run_in_background()
    dialog = host.findChild(QProgressDialog)
    assert dialog is not None
    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]  # no Cancel button
    release.set()
    _wait(qtbot)


def test_cancelling_stops_checking_work_and_is_not_an_error(host: Host, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    started, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def checking(progress: ops.Progress) -> str:
        started.set()
        release.wait(10)
        progress.check()
        return "finished"

    ops.CollectionOp(host, checking).success(outcome.append).cancelled(lambda: outcome.append("cancelled")) \
        .with_progress("書き出しています…", cancellable=True, delay_ms=0).run_in_background()
    assert started.wait(10)
    dialog = host.findChild(QProgressDialog)
    assert dialog is not None
    [cancel] = dialog.findChildren(QPushButton)
    cancel.click()  # as a person does
    release.set()
    _wait(qtbot)
    assert outcome == ["cancelled"] and shown == {"warnings": [], "bugs": []} and host.heard == []


def test_callbacks_of_a_closed_page_are_skipped(qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    got: list[object] = []
    page = QWidget()

    ops.QueryOp(page, lambda progress: release.wait(10) and "data", success=got.append).run_in_background()
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page), timeout=5000)
    release.set()
    _wait(qtbot)
    assert got == []


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_progress_reaches_the_dialog_on_the_gui_thread(host: Host, qtbot) -> None:  # type: ignore[no-untyped-def]
    step, release = threading.Event(), threading.Event()

    def work(progress: ops.Progress) -> None:
        progress(3, 10, "3 / 10")
        step.set()
        release.wait(10)

    ops.QueryOp(host, work, success=lambda _: None).with_progress("処理しています…", delay_ms=0).run_in_background()
    assert step.wait(10)
    dialog = host.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() == 3 and dialog.labelText() == "3 / 10", timeout=5000)
    release.set()
    _wait(qtbot)


def test_pages_reload_only_for_changes_that_concern_them(qtbot, forum) -> None:  # type: ignore[no-untyped-def]
    from jcim_desktop.ui.page import Page

    class Needs(Page):
        entities = ("needs",)

    class Board(Page):
        shows_kpis = True

    bus = ChangeBus()
    needs, board = Needs(forum, bus), Board(forum, bus)
    for page in (needs, board):
        qtbot.addWidget(page)
        page.activate()
    assert not needs._stale and not board._stale
    bus.announce(Changes.records("seeds", ["s"]))  # seeds move no KPI
    assert not needs._stale and not board._stale
    bus.announce(Changes.records("municipality_status", ["m"]))  # a rate may move
    assert not needs._stale and board._stale
    bus.announce(Changes.records("needs", ["n"]))
    assert needs._stale


@pytest.mark.parametrize("fault", [DiskFull("ディスクを確かめてください。"), KeyError("oops")])
def test_a_read_failing_after_its_page_closed_shows_nothing_and_a_bug_is_still_logged(qtbot, shown, monkeypatch, fault):  # type: ignore[no-untyped-def]
    # A page closed while its read ran (a shared database's server gone meanwhile): no box out of
    # nowhere, without the window it was for.
    logged: list[str] = []
    monkeypatch.setattr(crash, "log_bug_quietly", lambda exc, trace="": logged.append(repr(exc)))
    release = threading.Event()
    page = QWidget()

    def read(progress):  # type: ignore[no-untyped-def]
        release.wait(10)
        raise fault

    ops.QueryOp(page, read, success=lambda _result: None).run_in_background()
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page), timeout=5000)
    release.set()
    _wait(qtbot)
    assert shown == {"warnings": [], "bugs": []}
    assert logged == ([] if isinstance(fault, DiskFull) else ["KeyError('oops')"])
