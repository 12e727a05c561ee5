"""The 受信状況 board: packages imported at the secretariat show per organisation and fiscal year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from helpers import bridge_need, held_event
from jcim_desktop.services import sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.sync import package as package_writer
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.received import ReceivedPage
from language_walk import japanese_outside_data, visible_texts

pytestmark = pytest.mark.gui
JST = dt.timezone(dt.timedelta(hours=9))
TIMEOUT = 20000


def export_at(monkeypatch: pytest.MonkeyPatch, ctx: AppContext, path: Path, when: str) -> Path:
    """Export a package at a forum's laptop as if written at ``when`` (Japan time)."""
    real = package_writer.write_package
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=JST)
    monkeypatch.setattr(sync, "write_package", lambda *a, **k: real(*a, **{**k, "created_at": moment}))
    try:
        return sync.export_package(ctx, path).path
    finally:
        monkeypatch.setattr(sync, "write_package", real)


@pytest.fixture
def packages(make_ctx, secretariat, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """中国フォーラム's packages 1, 2 and 4 of FY2024 imported at the secretariat (3 not yet), and
    関東フォーラム's package 1 of FY2023."""
    chugoku, kanto = make_ctx("chugoku"), make_ctx("kanto")
    sync.add_trust(secretariat, chugoku.public_key, ["chugoku"])
    sync.add_trust(secretariat, kanto.public_key, ["kanto"])
    held_event(chugoku, "中国フォーラム総会", dt.date(2024, 6, 1), ("福山市",))
    c1 = export_at(monkeypatch, chugoku, tmp_path / "c1.jcimsync", "2024-05-10 09:30")
    bridge_need(chugoku, "呉市", dt.date(2024, 7, 1))
    c2 = export_at(monkeypatch, chugoku, tmp_path / "c2.jcimsync", "2024-07-01 17:00")
    c3 = export_at(monkeypatch, chugoku, tmp_path / "c3.jcimsync", "2024-09-02 10:00")  # the same records as 2
    held_event(chugoku, "出前授業（尾道）", dt.date(2024, 9, 1), ("尾道市",), event_type="outreach_class", forum=False)
    c4 = export_at(monkeypatch, chugoku, tmp_path / "c4.jcimsync", "2024-11-20 15:45")
    k1 = export_at(monkeypatch, kanto, tmp_path / "k1.jcimsync", "2024-02-01 10:00")
    outcomes = sync.import_packages(secretariat, [c1, c2, c4, k1])
    assert [o.status for o in outcomes] == ["accepted"] * 4
    return {"late": c3}


def _cells(page: ReceivedPage, org: str) -> list[str]:
    model = page.model
    (row,) = [n for n, line in enumerate(model.rows) if line.org == org]
    return [model.index(row, col).data() or "" for col in range(model.columnCount())]


def _tooltip(page: ReceivedPage, org: str, column: int) -> str:
    model = page.model
    (row,) = [n for n, line in enumerate(model.rows) if line.org == org]
    return model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or ""


def _board(qtbot, ctx: AppContext, fiscal_year: int) -> ReceivedPage:  # type: ignore[no-untyped-def]
    page = ReceivedPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(820, 600)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.activate()
    if page.fiscal_year() != fiscal_year:
        with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
            page.fy_combo.setCurrentIndex(page.fy_combo.findData(fiscal_year))
    return page


def test_the_board_shows_who_sent_what_and_follows_the_year_and_new_imports(qtbot, qtmodeltester, packages,
                                                                            secretariat):
    page = _board(qtbot, secretariat, 2024)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 19  # every organisation, in the table order of SYNC_FORMAT §1
    org, computer, last, gap, state = _cells(page, "chugoku")
    assert org == "中国フォーラム" and state == "受信済み"
    assert last == "第4号・令和6年11月20日・3 件"
    assert gap == "第3号"
    assert "活動・行事：2 件" in _tooltip(page, "chugoku", 2) and "自治体ニーズ：1 件" in _tooltip(page, "chugoku", 2)
    assert "この年度のパッケージ 3 個" in _tooltip(page, "chugoku", 1)
    assert _cells(page, "hokkaido")[4] == "未受信" and _cells(page, "hokkaido")[1:4] == ["", "", ""]
    assert _cells(page, "kanto")[4] == "未受信"  # its package was written in FY2023
    assert _cells(page, "secretariat")[4] == "この端末"
    assert "18 組織中 1 組織から受信、17 組織が未受信" in page.summary.text()

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2023))
    assert _cells(page, "kanto")[4] == "受信済み" and _cells(page, "kanto")[2].startswith("第1号・令和6年2月1日")
    assert _cells(page, "chugoku")[4] == "未受信"
    assert "18 組織中 1 組織から受信、17 組織が未受信" in page.summary.text()

    # Package 3 arrives late (it changes no record): the import's notice refreshes the board.
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2024))
    assert _cells(page, "chugoku")[3] == "第3号"
    late = packages["late"]
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        outcome = ops.perform(page, lambda: sync.import_checked(secretariat, sync.check_package(secretariat, late)))
    assert outcome is not None and outcome.counts.inserted == outcome.counts.updated == 0
    org, computer, last, gap, state = _cells(page, "chugoku")
    assert gap == "" and last.startswith("第4号") and state == "受信済み"
    assert "この年度のパッケージ 4 個" in _tooltip(page, "chugoku", 1)


def test_the_board_fits_a_small_window_in_english(qtbot, packages, secretariat, english):
    from jcim_desktop.ui.main_window import MainWindow

    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.resize(1024, 680)
    window.show()
    window.show_page("received")
    page = window.findChild(ReceivedPage)
    assert page is not None
    qtbot.waitUntil(lambda: page.result is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2024))
    assert _cells(page, "chugoku")[2:] == ["No. 4 · Nov 20, 2024 · 3 records", "No. 3", "Received"]
    assert _cells(page, "hokkaido")[4] == "Not received"
    texts = visible_texts(page)
    texts += [(f"tooltip {row},{col}", page.model.index(row, col).data(Qt.ItemDataRole.ToolTipRole) or "")
              for row in range(page.model.rowCount()) for col in range(page.model.columnCount())]
    assert "Chugoku Forum" in [text for _where, text in texts]
    assert not japanese_outside_data([(w, t) for w, t in texts if t], set()), "Japanese in the English board"
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    columns = range(page.model.columnCount())
    assert sum(table.columnWidth(c) for c in columns) <= table.viewport().width()
    # Every cell is as tall as its (wrapped) text needs: nothing is cut off.
    for row in range(page.model.rowCount()):
        for col in columns:
            needed = table.itemDelegate().sizeHint(_option(table, row, col), page.model.index(row, col)).height()
            assert table.rowHeight(row) >= needed, (row, col)


def _option(table, row: int, col: int):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.font = table.font()
    option.rect.setWidth(table.columnWidth(col))
    option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
    return option
