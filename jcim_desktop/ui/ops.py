"""Every piece of work the window starts goes through here (Anki's ``aqt.operations`` is the model).

Three kinds, one policy:

* ``CollectionOp(parent, op)`` — a **write** off the GUI thread. ``op(progress)`` returns a
  :class:`~jcim_desktop.services.changes.Changes` or a value carrying one (``.changes``); when it
  is done, the change is announced once on the window's :class:`~jcim_desktop.ui.bus.ChangeBus`,
  then ``success(result)`` runs.
* ``QueryOp(parent, op, success)`` — a **read** off the GUI thread; nothing is announced.
* ``perform(parent, fn)`` — a quick write on the GUI thread (saving a dialog, ticking a flag):
  the same announcement and error policy, the result returned at once.

The mechanics are owned here, not by pages:

* **Lifetime**: an operation is a plain Python object kept alive until its callbacks have run;
  its signal carrier is released only after the event loop has left its signal (PySide aborts
  when a QObject is freed inside its own emission). Callbacks are skipped when ``parent`` has
  been deleted meanwhile (a page closed with its work still running).
* **Callbacks on the GUI thread**: results, errors and progress arrive by queued signals.
* **Progress and Cancel**: ``with_progress(label)`` shows a window-modal progress dialog after
  ``delay_ms``; it has a Cancel button only with ``cancellable=True``, and only work that checks
  ``progress.cancelled`` (or calls ``progress.check()``) may ask for it.
* **One error policy**: a :class:`~jcim_desktop.errors.UserError` (a person's mistake, a full
  disk, a locked or read-only file — the services raise those as user errors) is shown plainly
  in a message box, unless the caller's ``failure`` callback shows it where it belongs (a
  dialog's field); an ``OSError`` that escaped a service is turned into the user error for it;
  anything else is a bug: the crash dialog and the crash log, never the caller's ``failure``.
  Cancelling is not an error: ``cancelled`` callbacks hear of it.

Work runs on one worker thread: SQLite takes one writer at a time, and the order in which a
person started things is the order they happen.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from jcim_desktop.errors import UserError, user_error_from_os
from jcim_desktop.services.changes import Changes, changes_of
from jcim_desktop.ui.bus import ChangeBus

T = TypeVar("T")
translate = QCoreApplication.translate


class Cancelled(Exception):
    """Raised by work that stops because the person cancelled (``progress.check()`` raises it)."""


class Progress:
    """Handed to the work: report progress, and see whether the person cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None] | None = None) -> None:
        self._emit = emit
        self.cancelled = False

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self._emit is not None:
            self._emit(done, total, text)

    def check(self) -> None:
        """Stop here if the person cancelled."""
        if self.cancelled:
            raise Cancelled()


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn, self.signals, self.progress = fn, signals, progress

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported on the GUI thread
            self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.signals.finished.emit(result)


_pool: QThreadPool | None = None
_alive: set[_Op[Any]] = set()
"""Operations whose callbacks have not all run (kept here so Python does not free them)."""


def _worker_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Block until queued work is done (tests, and before quitting); callbacks still need events."""
    return _worker_pool().waitForDone(timeout_ms)


def running() -> int:
    """How many operations have not delivered their result yet (tests wait for 0)."""
    return len(_alive)


def _bus_for(parent: QObject | None) -> ChangeBus | None:
    widget = parent
    while widget is not None and shiboken6.isValid(widget):
        bus = getattr(widget, "bus", None)
        if isinstance(bus, ChangeBus) and shiboken6.isValid(bus):
            return bus
        widget = widget.parent()
    current = ChangeBus.current
    return current if current is not None and shiboken6.isValid(current) else None


def announce(parent: QObject | None, changes: Changes) -> None:
    """Send ``changes`` on the bus of ``parent``'s window (``ops`` itself calls this)."""
    bus = _bus_for(parent)
    if bus is not None:
        bus.announce(changes)


def as_user_error(exc: BaseException) -> UserError | None:
    """The user error ``exc`` stands for, or None when it is a bug."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, OSError) and exc.errno is not None:
        return user_error_from_os(exc, translate("ops", "処理"), exc.filename or "")
    return None


def show_error(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    """The one error display: a person's problem plainly, a bug through the crash dialog and log."""
    user_error = as_user_error(exc)
    if user_error is not None:
        QMessageBox.warning(_message_parent(parent), translate("ops", "JCIM Desktop"), user_error.message)
        return
    from jcim_desktop.ui.crash import report_bug

    report_bug(_message_parent(parent), exc, trace)


def _alive_widget(widget: QWidget | None) -> QWidget | None:
    return widget if widget is not None and shiboken6.isValid(widget) else None


def _message_parent(widget: QWidget | None) -> QWidget | None:
    """The widget to put a message over: ``widget`` while its window is shown; None (a box of its
    own) once that window is closed: a box over a closed dialog is hidden with it, and one whose
    parent is deleted while it is open takes the process down."""
    alive = _alive_widget(widget)
    return alive if alive is not None and alive.window().isVisible() else None


class _Op(Generic[T]):
    """What the three kinds share: the worker, progress, lifetime and error policy."""

    announces = False

    def __init__(self, parent: QWidget | None, op: Callable[[Progress], T]) -> None:
        self._parent = parent
        self._op = op
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[UserError], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None
        self._on_done: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancellable = False
        self._delay_ms = 400
        self._dialog: QProgressDialog | None = None
        self._signals: _Signals | None = None
        self._progress = Progress()

    # -- building -------------------------------------------------------------------------
    def success(self, callback: Callable[[T], None]) -> _Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[UserError], None]) -> _Op[T]:
        """Show a user error where it belongs (bugs never come here: they go to the crash dialog)."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> _Op[T]:
        self._on_cancelled = callback
        return self

    def always(self, callback: Callable[[], None]) -> _Op[T]:
        """Run ``callback`` when the work is over, whatever the outcome (before the others)."""
        self._on_done = callback
        return self

    def with_progress(self, label: str, *, cancellable: bool = False, delay_ms: int = 400) -> _Op[T]:
        """Show ``label`` in a progress dialog if the work takes longer than ``delay_ms``.

        ``cancellable``: a Cancel button; only for work that checks ``progress.cancelled``.
        """
        self._label, self._cancellable, self._delay_ms = label, cancellable, delay_ms
        return self

    # -- running --------------------------------------------------------------------------
    def run_in_background(self) -> _Op[T]:
        signals = _Signals()
        self._signals = signals
        self._progress = Progress(signals.progressed.emit)
        signals.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._open_dialog()
        _alive.add(self)
        _worker_pool().start(_Job(self._op, signals, self._progress))
        return self

    def _open_dialog(self) -> None:
        parent = _alive_widget(self._parent)
        if self._label is None or parent is None:
            return
        cancel = translate("ops", "キャンセル") if self._cancellable else ""
        dialog = QProgressDialog(self._label, cancel, 0, 0, parent)
        dialog.setWindowTitle(translate("ops", "JCIM Desktop"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(self._delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel)
        self._dialog = dialog

    def _cancel(self) -> None:
        self._progress.cancelled = True
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.setLabelText(translate("ops", "キャンセルしています…"))

    def _show_progress(self, done: int, total: int, text: str) -> None:
        dialog = self._dialog
        if dialog is None or not shiboken6.isValid(dialog):
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def _close(self) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        # Release the signal carrier only once the event loop has left its emission.
        QTimer.singleShot(0, lambda: _alive.discard(self))

    def _parent_gone(self) -> bool:
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _finished(self, result: T) -> None:
        self._close()
        self._run_always()
        self._deliver(result)

    def _run_always(self) -> None:
        if self._on_done is not None and not self._parent_gone():
            self._on_done()

    def _deliver(self, result: T) -> None:
        if self.announces:
            announce(self._parent, changes_of(result))
        if self._on_success is not None and not self._parent_gone():
            self._on_success(result)

    def _failed(self, exc: BaseException, trace: str) -> None:
        self._close()
        self._run_always()
        self._handle_error(exc, trace)

    def _handle_error(self, exc: BaseException, trace: str) -> None:
        if isinstance(exc, Cancelled):
            if self._on_cancelled is not None and not self._parent_gone():
                self._on_cancelled()
            return
        user_error = as_user_error(exc)
        if self._parent_gone() and not self.announces:
            # What it read was for a page or window closed meanwhile (a shared database's server
            # gone, a restore in between): nobody is there to read a message, and a box without its
            # window would come out of nowhere. A bug is still logged.
            if user_error is None:
                from jcim_desktop.ui.crash import log_bug_quietly

                log_bug_quietly(exc, trace)
            return
        if user_error is not None and self._on_failure is not None and not self._parent_gone():
            self._on_failure(user_error)
            return
        if user_error is None and self.announces:
            # A bug may have left part of the work done (a service that commits in steps).
            announce(self._parent, Changes.everything())
        show_error(self._parent, exc, trace)


class CollectionOp(_Op[T]):
    """A write off the GUI thread; what it changed is announced once when it is done."""

    announces = True


class QueryOp(_Op[T]):
    """A read off the GUI thread; ``success`` receives its result (Anki's ``QueryOp``)."""

    def __init__(self, parent: QWidget | None, op: Callable[[Progress], T], success: Callable[[T], None]) -> None:
        super().__init__(parent, op)
        self._on_success = success


def perform(
    parent: QWidget | None,
    fn: Callable[[], T],
    *,
    failure: Callable[[UserError], None] | None = None,
) -> T | None:
    """Run a quick write now, on the GUI thread; announce what it changed and return its result.

    On a user error, ``failure`` shows it (default: a message box) and None is returned; a bug
    goes to the crash dialog and None is returned.
    """
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - the one error policy
        user_error = as_user_error(exc)
        if user_error is not None and failure is not None:
            failure(user_error)
        else:
            show_error(parent, exc, "".join(traceback.format_exception(exc)))
        return None
    announce(parent, changes_of(result))
    return result

