"""自治体マスタ: ticking a flag records a change from the chosen 変更日, the history panel shows a
municipality's changes, and the page fits a 1024×680 window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QTableView

from helpers import code
from jcim_desktop.services import master
from jcim_desktop.services.tally import explain, tally
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.master import MunicipalityMasterPage

pytestmark = pytest.mark.gui
D = dt.date
MAYORS = 5
"""The 市区町村長会議 column of the municipality table."""


def open_master(qtbot, ctx) -> MunicipalityMasterPage:
    page = MunicipalityMasterPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(830, 600)
    page.show()
    page.activate()
    return page


def press_space_on(qtbot, page: MunicipalityMasterPage, column: int) -> None:
    """Tick or untick the selected row's flag with the keyboard, as a person would."""
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.model.index(table.currentIndex().row(), column))
    qtbot.keyClick(table, Qt.Key.Key_Space)


def history_cells(page: MunicipalityMasterPage) -> list[list[str]]:
    model = page.history_model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_flag_ticked_with_a_chosen_date_records_a_dated_change_shown_in_the_history(qtbot, secretariat):
    page = open_master(qtbot, secretariat)
    fukuyama = code("福山市")
    page.search.setText("ふくやま")
    assert page.model.rowCount() == 1 and page.selected_municipality().lg_code == fukuyama
    assert page.history_title.text() == "広島県福山市の変更履歴"
    assert page.history_model.rowCount() == 0 and "変更の記録はありません" in page.history_note.text()

    # 変更日 2024-10-01 (typed into the date field), then the flag ticked with the space bar.
    page.day_edit.setFocus()
    page.day_edit.setDate(QDate(2024, 10, 1))
    assert page.day_edit.text() == "2024年10月1日"
    press_space_on(qtbot, page, MAYORS)

    [change] = master.history(secretariat, fukuyama)
    assert (change.as_of, change.admin_member, change.mayors_council) == (D(2024, 10, 1), False, True)
    assert page.model.data(page.model.index(0, MAYORS), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert history_cells(page) == [["令和6年10月1日", "—", "○", "テスト担当",
                                    page.history_model.data(page.history_model.index(0, 4))]]
    assert page.history_model.data(page.history_model.index(0, 4)).startswith("令和")
    assert page.history_model.data(page.history_model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    assert "市区町村長会議 1 / 1,741" in page.totals.text() and "令和6年10月1日時点" in page.totals.text()

    # The change counts from FY2024 (status on 2025-03-31), not in FY2023 (on 2024-03-31).
    assert tally(secretariat, 2023)["kpis"]["mayors_council_rate"]["numerator"] == 0
    assert tally(secretariat, 2024)["kpis"]["mayors_council_rate"]["numerator"] == 1
    assert [r["lg_code"] for r in explain(secretariat, 2024, "mayors_council_rate")["records"]] == [fukuyama]

    # The day before, the table shows the status of that day: not yet taking part.
    page.day_edit.setDate(QDate(2024, 9, 30))
    assert page.model.data(page.model.index(0, MAYORS), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "令和6年9月30日の時点ではまだ記録がありません" in page.history_note.text()
    assert not page.history_model.data(page.history_model.index(0, 0), Qt.ItemDataRole.FontRole)

    # Leaving on 2025-06-01: a second change; FY2024 keeps counting 福山市, FY2025 does not.
    page.day_edit.setDate(QDate(2025, 6, 1))
    assert page.model.data(page.model.index(0, MAYORS), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    press_space_on(qtbot, page, MAYORS)
    assert [row[:3] for row in history_cells(page)] == [["令和6年10月1日", "—", "○"], ["令和7年6月1日", "—", "—"]]
    assert page.history_model.data(page.history_model.index(1, 0), Qt.ItemDataRole.FontRole).bold()
    assert tally(secretariat, 2024)["kpis"]["mayors_council_rate"]["numerator"] == 1
    assert tally(secretariat, 2025)["kpis"]["mayors_council_rate"]["numerator"] == 0

    # A second tick on the same day changes that day's record (no second record for one day).
    press_space_on(qtbot, page, MAYORS - 1)
    assert [row[:3] for row in history_cells(page)] == [["令和6年10月1日", "—", "○"], ["令和7年6月1日", "○", "—"]]
    ops.wait_for_all()


def test_the_history_follows_the_selected_row(qtbot, secretariat):
    master.set_status(secretariat, code("呉市"), admin_member=True, as_of=D(2023, 4, 1))
    master.set_status(secretariat, code("呉市"), mayors_council=True, as_of=D(2024, 4, 1))
    page = open_master(qtbot, secretariat)
    page.pref_combo.setCurrentIndex(page.pref_combo.findData("34"))
    kure = next(i for i, lg in enumerate(page.model.rows) if lg.name == "呉市")
    page.table.setFocus()
    page.table.selectRow(kure)
    assert page.history_title.text() == "広島県呉市の変更履歴"
    assert [row[:3] for row in history_cells(page)] == [["令和5年4月1日", "○", "—"], ["令和6年4月1日", "○", "○"]]
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # the keyboard moves the selection, and the history with it
    assert page.selected_municipality().lg_code != code("呉市")
    assert page.history_title.text() == f"{page.selected_municipality().full_name}の変更履歴"


def test_a_forum_reads_the_status_on_a_reference_date(qtbot, secretariat, forum):
    from helpers import transfer

    master.set_status(secretariat, code("鳥取市"), admin_member=True, as_of=D(2024, 4, 1))
    transfer(secretariat, forum)
    page = open_master(qtbot, forum)
    labels = [label.text() for label in page.findChildren(QLabel)]
    assert "基準日" in labels and "変更日" not in labels
    tottori = next(i for i, lg in enumerate(page.model.rows) if lg.name == "鳥取市")
    page.table.selectRow(tottori)
    assert page.model.data(page.model.index(tottori, 4)) == "○"
    assert [row[:4] for row in history_cells(page)] == [["令和6年4月1日", "○", "—", "—"]]  # received: no one here
    page.day_edit.setDate(QDate(2024, 3, 31))
    assert page.model.data(page.model.index(tottori, 4)) == "—"
    assert not page.model.setData(page.model.index(tottori, 4), Qt.CheckState.Checked.value,
                                  Qt.ItemDataRole.CheckStateRole)
    assert len(master.history(secretariat, code("鳥取市"))) == 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_fits_a_1024_by_680_window(qtbot, secretariat, request, lang):
    from jcim_desktop.ui.main_window import MainWindow

    if lang == "en":
        request.getfixturevalue("english")
    master.set_status(secretariat, code("札幌市"), admin_member=True, as_of=D(2024, 4, 1))
    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.resize(1024, 680)
    window.show()
    page = window.show_page("municipalities")
    assert isinstance(page, MunicipalityMasterPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.history_model.rowCount() == 1)
    if lang == "en":
        assert page.day_edit.text() == page.day_edit.date().toString("MMM d, yyyy")
        assert page.history_title.text() == "Change history of 北海道札幌市"  # master data stays as registered
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        QApplication.processEvents()  # let the layout settle
        for view in page.findChildren(QTableView):
            if view.isVisible():
                assert not view.horizontalScrollBar().isVisible(), (lang, tab, view.objectName())
        bar = page.tabs.tabBar()
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= bar.fontMetrics().horizontalAdvance(bar.tabText(i)), bar.tabText(i)
    for label in page.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text():
            assert label.width() >= label.sizeHint().width() - 1, label.text()
    assert not any(area.horizontalScrollBar().isVisible() for area in window.findChildren(QAbstractScrollArea)
                   if area.isVisible() and page.isAncestorOf(area))
    ops.wait_for_all()
