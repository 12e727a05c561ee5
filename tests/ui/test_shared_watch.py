"""The window on a shared database hears of colleagues' saves: the open list shows the new row and
the status bar says who saved what; a server that does not answer is said once, not in a dialog
every few seconds; a bug in a poll is reported once; a closed window polls no more.

The colleague's save needs a second installation on the same database (``pytest --postgres URL``);
the rest runs on both engines (the watch is the same whichever database it asks).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from jcim_desktop.domain.entities import ENTITY_LABELS
from jcim_desktop.services import records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.shared_changes import Imported, Saved, Summary
from jcim_desktop.store.database import make_server_engine
from jcim_desktop.ui import ops, shared_watch
from jcim_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
YAMADA, SATO = "山田", "佐藤"
UNREACHABLE = "postgresql+psycopg://jcim@/jcim?host=/nonexistent/jcim-socket&connect_timeout=2"
START_MS = 30_000  # an upper bound for the window's start and a poll, never a calibrated pause




def open_window(qtbot, ctx: AppContext) -> tuple[MainWindow, shared_watch.SharedWatch]:  # type: ignore[no-untyped-def]
    """The window at its minimum size, started, with its watch's first poll (the mark) done."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    watch = shared_watch.install(window)  # (the window's own, where it installs one)
    with qtbot.waitSignal(watch.polled, timeout=START_MS):
        window.resize(1024, 680)
        window.show()
    qtbot.waitUntil(lambda: window.is_started and ops.running() == 0, timeout=START_MS)
    return window, watch


def title_shown(page, record_id: str) -> str | None:  # type: ignore[no-untyped-def]
    row = page.model.row_of(record_id)
    if row < 0:
        return None
    column = [c.key for c in page.model.columns].index("title")
    return page.model.data(page.model.index(row, column), Qt.ItemDataRole.DisplayRole)


def room_for_a_message(bar: QStatusBar) -> int:
    """The width the status bar leaves its message beside its permanent widgets (the shared
    database's name counted at its widest: a longer server name or socket folder is cut)."""
    beside = [w for w in bar.findChildren(QWidget) if w.parent() is bar and w.isVisible()]
    return bar.width() - sum(
        (w.maximumWidth() if w.objectName() == "sharedDatabase" else w.width()) + 6 for w in beside) - 12


@pytest.fixture
def no_dialogs(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every message box and crash report the test would have popped up."""
    shown: list[str] = []
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, **k: shown.append(text))
    monkeypatch.setattr("jcim_desktop.ui.crash.report_bug", lambda parent, exc, trace="": shown.append(repr(exc)))
    return shown


def test_a_colleagues_save_shows_in_the_open_list_and_the_status_bar_names_them(qtbot, two_installations, no_dialogs):
    yamada, sato = two_installations
    window, watch = open_window(qtbot, yamada)
    page = window.show_page("needs")
    qtbot.waitUntil(lambda: page.model.is_complete() and ops.running() == 0, timeout=START_MS)
    assert page.model.rowCount() == 0

    saved = records.create(sato, "needs", {"lg_code": "342076", "title": "河川堤防の夜間点検", "facility_types": [],
                                           "requirements": "車両が入れない区間", "status": "open",
                                           "received_on": dt.date.today().isoformat()})
    assert title_shown(page, saved.id) is None  # not told yet
    with qtbot.waitSignal(watch.polled, timeout=START_MS):
        assert watch.poll_now()
    qtbot.waitUntil(lambda: title_shown(page, saved.id) == "河川堤防の夜間点検", timeout=START_MS)
    message = window.statusBar().currentMessage()
    assert message == "佐藤さんが自治体ニーズ 1 件を保存しました"
    assert window.statusBar().fontMetrics().horizontalAdvance(message) <= room_for_a_message(window.statusBar())

    # 山田's own save is not told back to 山田.
    records.create(yamada, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                     "facility_types": ["bridge"]})
    window.statusBar().clearMessage()
    with qtbot.waitSignal(watch.polled, timeout=START_MS) as polled:
        assert watch.poll_now()
    assert polled.args[0].summary.empty and window.statusBar().currentMessage() == ""
    assert no_dialogs == []


def longest_messages(watch: shared_watch.SharedWatch) -> list[str]:
    """Every sentence the watch may put in the status bar, with a long name and big counts."""
    name = "事務局 長谷川 一二三四五六七"
    texts = [watch.unreachable_message(), watch.tr("共有データベースに再び接続しました。"),
             watch.message(Summary(undone_by=(name, "佐藤"))),
             watch.message(Summary(imported=(Imported("p", None, {"needs": 12345}),))),
             watch.message(Summary(imported=(Imported("p", name, {"needs": 12345}),)))]
    for entity in ENTITY_LABELS:
        texts += [watch.message(Summary(saved=(Saved(name, entity, 12345),))),
                  watch.message(Summary(saved=(Saved(name, entity, 12345, 12345), Saved("佐藤", entity, 1, 1)))),
                  watch.message(Summary(saved=(Saved(name, entity, 12345), Saved("佐藤", "seeds", 1))))]
    return texts


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_status_sentence_fits_the_smallest_window(qtbot, two_installations, language, request):
    if language == "en":
        request.getfixturevalue("english")
    window, watch = open_window(qtbot, two_installations[0])
    bar = window.statusBar()
    room = room_for_a_message(bar)
    too_long = [t for t in longest_messages(watch) if bar.fontMetrics().horizontalAdvance(t) > room]
    assert too_long == [], room


def test_a_server_that_does_not_answer_is_said_once_in_the_status_bar_and_polling_goes_on(
        qtbot, forum, no_dialogs):
    window, watch = open_window(qtbot, forum)
    engine = make_server_engine(UNREACHABLE)
    reachable = watch.watch.ctx
    watch.watch.ctx = dataclasses.replace(reachable, db=dataclasses.replace(reachable.db, engine=engine))
    bar = window.statusBar()
    try:
        with qtbot.waitSignal(watch.polled, timeout=START_MS) as failed:
            assert watch.poll_now()
        assert failed.args == [None] and bar.currentMessage() == watch.unreachable_message()
        window.bus.status_message.emit("書き出しました: kpi.pdf")  # the person goes on working
        with qtbot.waitSignal(watch.polled, timeout=START_MS):
            assert watch.poll_now()  # still down: not said again over what the person reads now
        assert bar.currentMessage() == "書き出しました: kpi.pdf"
        assert watch.timer.isActive()
    finally:
        watch.watch.ctx = reachable
        engine.dispose()
    with qtbot.waitSignal(watch.polled, timeout=START_MS) as answered:
        assert watch.poll_now()
    assert answered.args[0] is not None and bar.currentMessage() == "共有データベースに再び接続しました。"
    assert no_dialogs == []


def test_a_bug_in_a_poll_is_reported_once_and_the_polls_stop(qtbot, forum, no_dialogs, monkeypatch):
    window, watch = open_window(qtbot, forum)

    def broken() -> None:
        raise RuntimeError("a bug in the poll")

    monkeypatch.setattr(watch.watch, "poll", broken)
    assert watch.poll_now()
    qtbot.waitUntil(lambda: watch.stopped, timeout=START_MS)
    assert no_dialogs == [repr(RuntimeError("a bug in the poll"))]
    assert not watch.timer.isActive() and not watch.poll_now()


def test_a_closed_window_polls_no_more(qtbot, forum):
    window, watch = open_window(qtbot, forum)
    assert watch.timer.isActive() and watch.timer.interval() == shared_watch.POLL_INTERVAL_MS
    window.close()
    assert not watch.timer.isActive() and not watch.poll_now()


def test_the_sentence_is_english_in_an_english_window(qtbot, forum, english):
    window, watch = open_window(qtbot, forum)
    assert watch.message(Summary(saved=(Saved("Sato", "needs", 3),))) == "Sato saved 3 records in Municipal needs"
    assert watch.message(Summary(saved=(Saved("", "seeds", 1, 1),))) == "A colleague deleted 1 record in Technology seeds"


def test_the_window_watches_a_shared_database_and_only_that(qtbot, forum):
    window = MainWindow(forum)
    qtbot.addWidget(window)
    assert (window.findChild(shared_watch.SharedWatch, "sharedWatch") is not None) == forum.db.shared
