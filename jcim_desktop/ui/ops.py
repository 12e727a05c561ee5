"""Long work off the GUI thread: one helper with progress, cancel and a default error display.

``Operation(parent, fn, label=...).success(cb).failure(cb).run()``: ``fn(progress)`` runs on a
single worker thread (SQLite is serialised; one writer at a time keeps it simple) and may call
``progress(done, total, text)``; it stops early when ``progress.cancelled`` is true. Results and
errors come back on the GUI thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from jcim_desktop.errors import UserError


class Progress:
    """Handed to the work function: report progress, and see whether the user cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self.cancelled = False

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self._emit(done, total, text)


class Cancelled(Exception):
    """Raised by work functions that stop because the user cancelled."""


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.fn, self.signals, self.progress = fn, signals, progress

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported on the GUI thread
            self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.signals.finished.emit(result)


_pool: QThreadPool | None = None
_running: set["Operation"] = set()


def _worker_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Block until queued operations are done (tests, and before quitting)."""
    return _worker_pool().waitForDone(timeout_ms)


class Operation(QObject):
    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[Progress], Any],
        *,
        label: str = "処理しています…",
        cancellable: bool = True,
        show_progress: bool = True,
        delay_ms: int = 400,
    ) -> None:
        # Not a Qt child of ``parent``: Qt must never delete an operation Python still holds.
        # It stays alive in ``_running`` while it runs, and Python frees it afterwards.
        super().__init__(None)
        self._parent = parent
        self._fn = fn
        self._label = label
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._signals = _Signals()
        self._progress = Progress(self._signals.progressed.emit)
        self._dialog: QProgressDialog | None = None
        if show_progress and parent is not None:
            dialog = QProgressDialog(label, "キャンセル" if cancellable else "", 0, 0, parent)
            dialog.setWindowTitle("JCIM Desktop")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(delay_ms)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(self._cancel)
            self._dialog = dialog
        self._signals.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._fail, Qt.ConnectionType.QueuedConnection)

    def success(self, callback: Callable[[Any], None]) -> "Operation":
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> "Operation":
        self._on_failure = callback
        return self

    def run(self) -> "Operation":
        _running.add(self)
        _worker_pool().start(_Job(self._fn, self._signals, self._progress))
        return self

    @Slot()
    def _cancel(self) -> None:
        self._progress.cancelled = True
        if self._dialog is not None:
            self._dialog.setLabelText("キャンセルしています…")

    @Slot(int, int, str)
    def _show_progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is None:
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if text:
            self._dialog.setLabelText(text)

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    @Slot(object)
    def _finish(self, result: Any) -> None:
        self._close()
        if self._on_success is not None:
            self._on_success(result)

    @Slot(object, str)
    def _fail(self, exc: BaseException, trace: str) -> None:
        self._close()
        if isinstance(exc, Cancelled):
            return
        if self._on_failure is not None:
            self._on_failure(exc)
            return
        show_error(self._parent, exc, trace)


def show_error(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    """The default error display: a person's problem plainly, a bug through the crash path."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "JCIM Desktop", exc.message)
        return
    from jcim_desktop.ui.crash import report_bug

    report_bug(parent, exc, trace)
