"""Colleagues' saves on a shared database reach the open window: a poll every few seconds.

On a shared PostgreSQL database several people write at once; the window hears of its own
writes through ``ops``, and of theirs through this watch: every ``POLL_INTERVAL_MS`` it asks
``services.shared_changes`` off the GUI thread, as a ``CollectionOp`` whose result carries what
the colleagues changed, so ``ops`` announces it on the window's bus like a write made here (open
pages, the dashboard and the matching board refresh) and the status bar says who saved what.

A poll that fails (the server down) says so once in the status bar and the watch keeps trying;
when the server answers again the status bar says that too. A bug in a poll reaches the crash
dialog once and stops the watch, rather than every few seconds. The watch stops when the window
closes (its timer belongs to the window, and is stopped before the window goes). It starts
with the window's other start-up work, once the first page shows its data (``MainWindow.started``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from jcim_desktop.errors import UserError
from jcim_desktop.services import shared_changes
from jcim_desktop.ui import labels, ops

if TYPE_CHECKING:
    from jcim_desktop.ui.main_window import MainWindow

POLL_INTERVAL_MS = 10_000
"""How often the window asks for colleagues' changes (each poll reads only what is new)."""
NAME_WIDTH = 10
"""Characters of a person's name shown in the status bar (longer names are cut with …)."""

class SharedWatch(QObject):
    """Polls the shared database for the window it belongs to (``install``)."""

    polled = Signal(object)
    """After each poll: its ``shared_changes.Poll``, or None when it failed."""

    def __init__(self, window: MainWindow, interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(window)
        self.setObjectName("sharedWatch")
        self.window = window
        self.watch = shared_changes.ChangeWatch(window.ctx)
        self.running = False
        """A poll is under way (a slow server: the next tick does not queue another)."""
        self.failing = False
        """The last poll failed (said once; the next success says the server answers again)."""
        self.stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll_now)
        window.installEventFilter(self)

    def start(self) -> None:
        """The first poll takes the mark (what is written from then on is reported), then a poll
        every ``POLL_INTERVAL_MS``."""
        if self.stopped or self.timer.isActive():
            return
        self.poll_now()
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def stop(self) -> None:
        """No more polls (the window closes, or a poll met a bug)."""
        self.stopped = True
        self.timer.stop()

    def poll_now(self) -> bool:
        """Start a poll off the GUI thread (False: one is under way, or the watch has stopped)."""
        if self.running or self.stopped:
            return False
        self.running = True
        watch, heard = self.watch, [False]

        def polled(result: shared_changes.Poll) -> None:
            heard[0] = True
            self._polled(result)

        def failed(error: UserError) -> None:
            heard[0] = True
            self._failed(error)

        def over() -> None:
            self.running = False
            # Runs just before the outcome's callback: if, after it, neither success nor failure
            # has heard of the outcome, it was a bug, which ``ops`` reports once through the crash
            # dialog; polling on would report it every few seconds.
            QTimer.singleShot(0, self, lambda: None if heard[0] else self.stop())

        (ops.CollectionOp(self.window, lambda _progress: watch.poll())
         .success(polled)
         .failure(failed)
         .always(over)
         .run_in_background())
        return True

    def _polled(self, result: shared_changes.Poll) -> None:
        if self.stopped:
            return
        bar = self.window.statusBar()
        text = self.message(result.summary)
        if self.failing:
            self.failing = False
            if bar.currentMessage() == self.unreachable_message():
                bar.clearMessage()
            text = text or self.tr("共有データベースに再び接続しました。")
        if text:
            self.window.bus.status_message.emit(text)
        self.polled.emit(result)

    def _failed(self, error: UserError) -> None:
        if self.stopped:
            return
        if not self.failing:
            self.failing = True
            # Until it answers again (no time-out: a person looking later still reads it).
            self.window.statusBar().showMessage(self.unreachable_message())
        self.polled.emit(None)

    # The status bar's words ----------------------------------------------------------------
    def unreachable_message(self) -> str:
        return self.tr("共有データベースに接続できません。再接続を試みています…")

    def who(self, people: tuple[str, ...]) -> str:
        """佐藤さん, 佐藤さんほか 2 名, or ほかの担当者 when no name is known."""
        known = [p for p in people if p]
        if not known:
            return self.tr("ほかの担当者")
        if len(people) == 1:
            return self.tr("{name}さん").format(name=_short(known[0]))
        return self.tr("{name}さんほか %n 名", "", len(people) - 1).format(name=_short(known[0]))

    def message(self, summary: shared_changes.Summary) -> str:
        """One short sentence of who saved what (``""``: nothing a person did to tell)."""
        if summary.empty:
            return ""
        if summary.undone_by:
            return self.tr("{who}が取り込みを取り消しました").format(who=self.who(summary.undone_by))
        if summary.imported:
            importers = tuple(dict.fromkeys(i.importer for i in summary.imported if i.importer is not None))
            records = sum(i.records for i in summary.imported)
            if not importers:
                return self.tr("パッケージが取り込まれました（%n 件の記録）", "", records)
            return self.tr("{who}がパッケージを取り込みました（%n 件の記録）", "", records).format(who=self.who(importers))
        saved = summary.saved
        who = self.who(tuple(dict.fromkeys(s.person for s in saved)))
        entity = labels.entity(saved[0].entity)
        count = sum(s.count for s in saved)
        if len({s.entity for s in saved}) > 1:
            return self.tr("{who}が{entity}ほか %n 件を保存しました", "", count).format(who=who, entity=entity)
        if all(s.deleted == s.count for s in saved):
            return self.tr("{who}が{entity} %n 件を削除しました", "", count).format(who=who, entity=entity)
        return self.tr("{who}が{entity} %n 件を保存しました", "", count).format(who=who, entity=entity)


def install(window: MainWindow, interval_ms: int = POLL_INTERVAL_MS) -> SharedWatch:
    """The window's watch of its shared database (one per window), started once the window has
    started (start-up work waits for the first page's data: ``MainWindow.started``)."""
    existing = window.findChild(SharedWatch, "sharedWatch")
    if existing is not None:
        return existing
    watch = SharedWatch(window, interval_ms)
    if window.is_started:
        watch.start()
    else:
        window.started.connect(watch.start)
    return watch


def _short(person: str) -> str:
    return person if len(person) <= NAME_WIDTH else person[:NAME_WIDTH - 1] + "…"
