"""Tab goes through every dialog's inputs in the order they are seen: top to bottom, then left to
right, reaching every enabled input once and coming back to the first.

Each dialog is opened as a person meets it; the test presses Tab from the first input (the one
highest up, then furthest left) until the focus comes back, and checks that every step moves
down or to the right on the screen (positions as laid out, a scrolled form read unscrolled) and
that the walk met every input that can take the keyboard's focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QWidget

from helpers import code, held_event
from jcim_desktop.services import matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import ops
from jcim_desktop.ui.dialogs import base, dialog_class

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

TOLERANCE = 4
"""Pixels a widget may stick out above or left of the one before it and still come after it."""


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "ask", lambda parent, title, text, yes, no: True)


# -- the walk -----------------------------------------------------------------------------------


def scrolled_area(widget: QWidget, dialog: QWidget) -> QScrollArea | None:
    """The scroll area of ``dialog`` whose contents hold ``widget``, if any."""
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def laid_out(widget: QWidget, dialog: QWidget) -> QRect:
    """Where ``widget`` is in ``dialog`` as laid out (inside a scrolled area: as if not scrolled)."""
    area = scrolled_area(widget, dialog)
    if area is not None:
        inner = widget.mapTo(area.widget(), QPoint(0, 0))
        return QRect(area.viewport().mapTo(dialog, QPoint(0, 0)) + inner, widget.size())
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def comes_after(before: QWidget, after: QWidget, dialog: QWidget) -> bool:
    """``after`` is below ``before`` or to its right. Within one scrolled area the positions are
    compared as laid out; otherwise a widget inside a scrolled area stands where the area is."""
    area_a, area_b = scrolled_area(before, dialog), scrolled_area(after, dialog)
    if area_a is area_b:
        a, b = laid_out(before, dialog), laid_out(after, dialog)
    else:
        a, b = laid_out(area_a or before, dialog), laid_out(area_b or after, dialog)
    return b.top() >= a.bottom() - TOLERANCE or b.left() >= a.right() - TOLERANCE


def inputs(dialog: QWidget) -> list[QWidget]:
    """Every widget of ``dialog`` the keyboard can reach with Tab now: shown, enabled, taking Tab
    focus itself (not through a proxy)."""
    found = []
    for widget in dialog.findChildren(QWidget):
        if widget.window() is not dialog or not widget.isVisible() or not widget.isEnabled():
            continue
        if widget.focusProxy() is not None or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        found.append(widget)
    return found


def name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}:{widget.objectName()}:{text}"


def walk(qtbot, dialog: QWidget) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab from the first input until the focus is back there; the inputs in the order met."""
    expected = inputs(dialog)
    assert expected, "no input"
    first = min(expected, key=lambda w: (laid_out(w, dialog).top(), laid_out(w, dialog).left()))
    dialog.activateWindow()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    met = [first]
    for _ in range(3 * len(expected) + 5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is first:
            break
        if current is not met[-1]:  # a date field's Tab goes through its day, month and year first
            met.append(current)
    else:
        pytest.fail("Tab never came back to the first input:\n" + "\n".join(name(w) for w in met))
    return met


def check_tab_order(qtbot, dialog: QWidget) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """The walk meets every input once, each one below or right of the one before."""
    expected = inputs(dialog)
    met = walk(qtbot, dialog)
    listing = "\n".join(f"  {name(w)} at {laid_out(w, dialog).getRect()}" for w in met)
    assert len(met) == len(set(met)), f"an input was met twice:\n{listing}"
    missed = [name(w) for w in expected if w not in met]
    assert not missed, f"Tab never reaches {missed}:\n{listing}"
    strays = [name(w) for w in met if w not in expected]
    assert not strays, f"Tab stops at what is not an input: {strays}"
    for before, after in zip(met, met[1:], strict=False):
        assert comes_after(before, after, dialog), f"Tab goes up or left from {name(before)} to {name(after)}:\n{listing}"
    return met


def show(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


# -- the dialogs ----------------------------------------------------------------------------------


def _need_and_seed(ctx: AppContext) -> tuple[records.Record, records.Record]:
    need = records.create(ctx, "needs", {"lg_code": code("福山市"), "title": "河川堤防の点検", "facility_types": ["river"],
                                         "requirements": "点検したい", "received_on": "2024-05-01", "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "株式会社ミライ計測", "tech_name": "SAR衛星変位モニタリング",
                                         "summary": "衛星で変位を測る", "facility_types": ["river"]})
    return need, seed


def _matching(ctx: AppContext) -> str:
    need, seed = _need_and_seed(ctx)
    return matchings.create_matching(ctx, need.id, seed.id, considered_on=dt.date(2024, 6, 1)).id


def _record(entity: str, **kwargs: Any) -> Callable[[AppContext, Path], QDialog]:
    return lambda ctx, _tmp: dialog_class(entity)(ctx, **kwargs)


def _event_on_presentations(ctx: AppContext, _tmp: Path) -> QDialog:
    dialog = dialog_class("events")(ctx, template={"event_type": "pitch_event", "title": "ピッチ"})
    dialog.tabs.setCurrentWidget(dialog.presentations_tab)
    return dialog


def _existing_matching(ctx: AppContext, _tmp: Path) -> QDialog:
    return dialog_class("matchings")(ctx, _matching(ctx))


def _stage_dialog(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.dialogs.stage import StageDialog

    return StageDialog(ctx, _matching(ctx))


def _convert(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.dialogs.convert_trial import ConvertToTrialDialog

    event = held_event(ctx, "堤防の実証", dt.date(2024, 9, 1), ())
    return ConvertToTrialDialog(ctx, event)


def _settings(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.settings_dialog import SettingsDialog

    return SettingsDialog(ctx)


def _first_run(_ctx: AppContext, tmp: Path) -> QDialog:
    from jcim_desktop.ui.first_run import FirstRunDialog

    return FirstRunDialog(tmp / "new-install")


def _backups(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.services import backups
    from jcim_desktop.ui.backup_dialog import BackupDialog

    backups.take_backup(ctx)
    return BackupDialog(ctx)


def _explain(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.explain_dialog import ExplainDialog

    held_event(ctx, "中国フォーラム総会", dt.date(2024, 6, 1), ("福山市", "広島市"))
    dialog = ExplainDialog(ctx, 2024, "supported_municipalities", None)
    ops.wait_for_all()
    return dialog


def _published(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.published_dialog import PublishedFiguresDialog

    return PublishedFiguresDialog(ctx)


def _close_year(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.close_year_dialog import CloseYearDialog

    return CloseYearDialog(ctx, 2024, tally(ctx, 2024))


def _kpi_report(_ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.reports_menu import KpiReportDialog

    return KpiReportDialog(None, 2024)


def _org_chooser(ctx: AppContext, _tmp: Path) -> QDialog:
    from jcim_desktop.ui.widgets.orgs import OrgChooser

    return OrgChooser(["kanto"], ctx.org)


DIALOGS: dict[str, tuple[str, Callable[[AppContext, Path], QDialog]]] = {
    "need": ("chugoku", _record("needs")),
    "need (secretariat: the owner first)": ("secretariat", _record("needs")),
    "seed": ("chugoku", _record("seeds")),
    "event": ("chugoku", _record("events")),
    "event held (dates shown)": ("chugoku", _record("events", template={"status": "held", "title": "総会"})),
    "pitch event": ("chugoku", _record("events", template={"event_type": "pitch_event"})),
    "pitch event, presentations": ("chugoku", _event_on_presentations),
    "matching (new)": ("chugoku", _record("matchings")),
    "matching (stages)": ("chugoku", _existing_matching),
    "support": ("chugoku", _record("support_activities")),
    "trial": ("chugoku", _record("trials", template={"status": "held"})),
    "convert to trial": ("chugoku", _convert),
    "next stage": ("chugoku", _stage_dialog),
    "settings": ("chugoku", _settings),
    "first run": ("chugoku", _first_run),
    "backups": ("chugoku", _backups),
    "records behind a figure": ("chugoku", _explain),
    "published figures": ("secretariat", _published),
    "close a year": ("secretariat", _close_year),
    "KPI report": ("chugoku", _kpi_report),
    "co-host chooser": ("chugoku", _org_chooser),
}


@pytest.mark.parametrize("which", list(DIALOGS))
def test_tab_follows_the_visual_order(qtbot, make_ctx, tmp_path, which) -> None:  # type: ignore[no-untyped-def]
    org, make = DIALOGS[which]
    ctx = make_ctx(org)
    dialog = show(qtbot, make(ctx, tmp_path))
    qtbot.waitUntil(lambda: ops.running() == 0)
    check_tab_order(qtbot, dialog)
    discard = getattr(dialog, "discard_draft", None)
    if discard is not None:
        discard()


def test_composite_fields_are_in_the_walk_where_they_are_seen(qtbot, forum) -> None:  # type: ignore[no-untyped-def]
    """The planned date (text, then its 年度), the municipality list (search, list, 「外す」) and the
    co-hosts' 「選ぶ…」 are visited in their rows, not after the last field."""
    dialog = show(qtbot, dialog_class("events")(forum))
    met = check_tab_order(qtbot, dialog)
    names = [w.objectName() for w in met]
    planned = names.index("plannedTextEdit")
    assert names[planned - 1:planned + 3] == ["seriesNoEdit", "plannedTextEdit", "plannedYearCombo", "statusCombo"]
    assert names.index("venueEdit") < names.index("chooseCoHostsButton") < names.index("municipalityEdit") \
        < names.index("participantsEdit")
    # Tab into the municipality list lands in its search box, wherever Tab came from.
    dialog.municipalities.setFocus()
    assert QApplication.focusWidget() is dialog.municipalities.picker.line_edit
    dialog.discard_draft()


@pytest.mark.parametrize(("entity", "first"), [("needs", "municipalityEdit"), ("events", "titleEdit"),
                                               ("support_activities", "kindCombo")])
def test_a_new_record_opens_on_its_first_field(qtbot, secretariat, entity, first) -> None:  # type: ignore[no-untyped-def]
    """Not on the tab bar, nor on the secretariat's owner (chosen once, rarely changed)."""
    dialog = show(qtbot, dialog_class(entity)(secretariat))
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget().objectName() == first
    dialog.discard_draft()


def test_shift_tab_goes_back_the_same_way(qtbot, forum) -> None:  # type: ignore[no-untyped-def]
    dialog = show(qtbot, dialog_class("events")(forum, template={"status": "held"}))
    forward = walk(qtbot, dialog)
    back = [forward[0]]
    for _ in range(3 * len(forward)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        current = QApplication.focusWidget()
        if current is forward[0]:
            break
        if current is not back[-1]:
            back.append(current)
    assert [name(w) for w in back[1:]] == [name(w) for w in reversed(forward[1:])]
    dialog.discard_draft()
