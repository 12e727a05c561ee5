"""KPI目標 typed in the table's editor: an invalid target names the KPI, and editing leaves no Qt
warning (a target typed while the figures reload stays open and is saved)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from jcim_desktop.domain.kpi import KPIS
from jcim_desktop.errors import ValidationError
from jcim_desktop.services import targets
from jcim_desktop.ui import ops
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.targets import TargetsPage

pytestmark = pytest.mark.gui
CODES = [k.code for k in KPIS]


@pytest.fixture
def page(qtbot, secretariat):  # type: ignore[no-untyped-def]
    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.show()
    shown = window.show_page("targets")
    assert isinstance(shown, TargetsPage)
    qtbot.waitUntil(lambda: shown.model.rowCount() == len(KPIS))
    ops.wait_for_all()
    yield shown
    ops.wait_for_all()


def _type(qtbot, page: TargetsPage, kpi: str, text: str, key: Qt.Key | None = Qt.Key.Key_Return) -> QLineEdit:  # type: ignore[no-untyped-def]
    """Double-click the KPI's target, type ``text`` and (``key``) leave the editor."""
    index = page.model.index(CODES.index(kpi), 1)
    centre = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    if key is not None:
        qtbot.keyClick(editor, key)
        # The delegate commits Enter through the event loop, as it does for a person.
        qtbot.waitUntil(lambda: page.table.state() != QAbstractItemView.State.EditingState)
    return editor


def test_an_invalid_target_names_the_kpi(qtbot, page, secretariat):
    _type(qtbot, page, "forums_held", "-3")
    assert page.error.text() == "フォーラム実施数の目標値は0以上の数で入力してください。"
    _type(qtbot, page, "forums_held", "2.5")
    assert page.error.text() == "フォーラム実施数の目標値は件数なので整数で入力してください。"
    _type(qtbot, page, "forums_held", "abc")
    assert page.error.text() == "フォーラム実施数の目標は数値で入力してください。"
    _type(qtbot, page, "mayors_council_rate", "150")
    assert page.error.text() == "市区町村長会議への参画率の目標は 0～100（%）で入力してください。"
    assert targets.targets_for(secretariat, current_fiscal_year()) == {}
    _type(qtbot, page, "mayors_council_rate", "70")
    assert page.error.text() == ""  # the message goes once a good target is saved
    assert targets.targets_for(secretariat, current_fiscal_year()) == {"mayors_council_rate": pytest.approx(0.7)}


def test_a_target_typed_while_the_figures_reload_is_kept_without_qt_warnings(qtbot, qtlog, page, secretariat):
    _type(qtbot, page, "forums_held", "12")  # saved: the page reloads its figures off the GUI thread
    editor = _type(qtbot, page, "matching_considered", "7", key=None)  # typing before they arrive
    ops.wait_for_all()
    qtbot.wait(50)  # the reload's result is delivered through the event loop
    assert editor.isVisible() and editor.text() == "7"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.table.state() != QAbstractItemView.State.EditingState)
    assert targets.targets_for(secretariat, current_fiscal_year()) == {"forums_held": 12, "matching_considered": 7}
    assert page.model.index(CODES.index("matching_considered"), 1).data() == "7"
    assert [r.message for r in qtlog.records if r.type.name in ("QtWarningMsg", "QtCriticalMsg")] == []


@pytest.mark.parametrize(("kpi", "value", "problem"), [
    ("forums_held", -1, "フォーラム実施数の目標値は0以上"),
    ("forums_held", float("nan"), "フォーラム実施数の目標値は数値"),
    ("forums_held", float("inf"), "フォーラム実施数の目標値が大きすぎます"),
    ("workshops", 1e300, "出前授業およびワークショップ開催数の目標値が大きすぎます"),
    ("mayors_council_rate", 1.5, "市区町村長会議への参画率の目標値は割合（0～1）"),
])
def test_the_service_names_the_kpi_too(secretariat, kpi, value, problem):
    with pytest.raises(ValidationError) as refused:
        targets.set_target(secretariat, 2024, kpi, value)
    assert refused.value.message.startswith(problem) and refused.value.errors == {"target": refused.value.message}
    assert targets.targets_for(secretariat, 2024) == {}
