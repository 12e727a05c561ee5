"""Year close (年度確定) in the window: closing a year from 全国集計, the page of a closed year whose
records changed after closing, taking the close back, the dashboard's 「確定」 cards, and the
warning of an entry dialog whose record counts in a closed year."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from helpers import code
from jcim_desktop.services import closing, events, records, sync, targets
from jcim_desktop.services.tally import tally
from jcim_desktop.ui import fmt
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.close_year_dialog import CloseYearDialog
from jcim_desktop.ui.dialogs import base
from jcim_desktop.ui.dialogs.event import EventDialog
from jcim_desktop.ui.dialogs.need import NeedDialog
from jcim_desktop.ui.pages import national_tally
from jcim_desktop.ui.pages.dashboard import DashboardPage
from jcim_desktop.ui.pages.national_tally import NationalTallyPage
from language_walk import english_outside_allow_list, japanese_outside_data, record_runs, visible_texts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")

TIMEOUT = 20000
D = dt.date
WARNING = "令和5年度は確定済みです。この記録を変えても、確定した数値は変わりません。"


def held(ctx, title, day, lg, *, forum=True, event_type="forum"):
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("第2四半期", 2023),
        "status": "held", "held_from": day.isoformat(), "held_to": day.isoformat(),
        "lg_codes": [code(n) for n in lg], "counts_as_forum": forum,
    })


def send(source, target, tmp_path, name, **options):
    package = sync.export_package(source, tmp_path / f"{name}.jcimsync", **options)
    [outcome] = sync.import_packages(target, [package.path])
    assert outcome.status == "accepted", outcome.reason


@pytest.fixture
def world(make_ctx, tmp_path):
    """中国フォーラム's FY2023 at the secretariat: a forum (福山市, 広島市) and a workshop (尾道市)."""
    forum = make_ctx("chugoku")
    secretariat = make_ctx("secretariat", user_name="事務局 山田")
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    held(forum, "中国フォーラム総会", D(2023, 6, 1), ("福山市", "広島市"))
    held(forum, "勉強会（尾道）", D(2023, 9, 1), ("尾道市",), forum=False, event_type="workshop")
    send(forum, secretariat, tmp_path, "first")
    targets.set_target(secretariat, 2023, "forums_held", 30)
    return forum, secretariat


def open_page(qtbot, ctx, fy=2023):
    page = NationalTallyPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1024, 680)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        if page.fy_combo.currentData() == fy:
            page.refresh()
        else:
            page.fy_combo.setCurrentIndex(page.fy_combo.findData(fy))
    return page


def value_cell(page, kpi, section="total"):
    model = page.official_model
    row = next(i for i, r in enumerate(model.rows) if r.section == section and r.kpi == kpi and r.indent == 1)
    return model.index(row, 2)


def test_closing_a_year_from_the_national_tally_page(qtbot, world):
    _forum, secretariat = world
    page = open_page(qtbot, secretariat)
    assert not page.closed_banner.isVisible()
    assert page.close_button.isVisible() and page.close_button.isEnabled()
    assert page.close_button.text() == "確定…"

    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    [dialog] = page.findChildren(CloseYearDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "令和5年度の確定"
    assert dialog.confirm_button.text() == "確定する" and dialog.cancel_button.text() == "キャンセル"
    # Every KPI with its total, target and achievement: 支援自治体数 3, フォーラム実施数 1 of 30.
    model = dialog.model
    table = {model.index(r, 0).data(): [model.index(r, c).data() for c in (1, 2, 3)] for r in range(model.rowCount())}
    assert len(table) == 12
    assert table["支援自治体数"] == ["3", "—", "—"]
    assert table["フォーラム実施数"] == ["1", "30", fmt.percent(1 / 30)]
    assert table["出前授業およびワークショップ開催数"] == ["1", "—", "—"]
    assert table["市区町村長会議への参画率"][0] == fmt.percent(0)
    assert "令和5年度の KPI を次の数値で確定します" in " ".join(t for _w, t in visible_texts(dialog))
    assert not dialog.caution_label.isVisible()  # FY2023 has ended
    # Every row in view, the last (行政会員 加入率) included, with no scroll bar to find it.
    view = dialog.table
    last = view.visualRect(model.index(model.rowCount() - 1, 0))
    assert last.bottom() <= view.viewport().height() and last.height() >= view.fontMetrics().height()

    qtbot.keyClicks(dialog.note_edit, "R5 report")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in page.findChildren(CloseYearDialog)), timeout=TIMEOUT)

    row = closing.closed_tally(secretariat, 2023)
    assert row is not None and row.source == "app" and row.closed_by == "事務局 山田" and row.note == "R5 report"
    assert row.kpis["forums_held"]["total"] == 1
    assert page.closed_banner.isVisible()
    assert page.closed_label.text() == f"令和5年度は確定済みです（{fmt.date_label(row.closed_at[:10])} 事務局 山田）"
    assert not page.close_button.isEnabled()
    assert page.reopen_button.isVisible() and page.reopen_button.text() == "確定を取り消す…"
    assert not page.changes_label.isVisible()
    assert page.subtitle.text() == "事務局｜令和5年度（2023）の KPI 実績（確定値）"
    assert value_cell(page, "forums_held").data() == "1"


def test_cancelling_the_close_changes_nothing(qtbot, world):
    _forum, secretariat = world
    page = open_page(qtbot, secretariat)
    dialog = page.close_year()
    assert dialog is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert closing.closed_years(secretariat) == {}
    assert not page.closed_banner.isVisible()


def test_a_year_not_over_yet_is_closed_with_a_caution(qtbot, world):
    _forum, secretariat = world
    page = open_page(qtbot, secretariat, fy=fmt.current_fiscal_year())
    dialog = page.close_year()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.caution_label.isVisible() and "まだ終わっていません" in dialog.caution_label.text()
    dialog.reject()


def test_the_page_says_which_figures_changed_after_closing_and_can_show_the_live_ones(qtbot, world, tmp_path,
                                                                                         monkeypatch):
    forum, secretariat = world
    closing.close_year(secretariat, 2023)
    # A late package: a forum in 福山市 (already counted) and one in 三原市, both in FY2023.
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    held(forum, "三原フォーラム", D(2024, 3, 10), ("三原市",))
    send(forum, secretariat, tmp_path, "late")
    assert tally(secretariat, 2023)["live_differs"] == ["supported_municipalities", "forums_held"]

    page = open_page(qtbot, secretariat)
    assert page.closed_banner.isVisible() and page.changes_label.isVisible()
    assert page.changes_label.text() == (
        "確定後に記録が変わりました: 支援自治体数 確定 3 → 現在 4（+1）、フォーラム実施数 確定 1 → 現在 3（+2）")
    # Each figure that moved says both; the others are as closed.
    cell = value_cell(page, "forums_held")
    assert cell.data() == "1（現在 3）"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "確定した数値 1／現在の記録では 3"
    assert cell.data(Qt.ItemDataRole.ForegroundRole) == national_tally.CHANGED
    assert value_cell(page, "workshops").data() == "1"
    by_org = page.by_org_model
    chugoku = next(i for i, r in enumerate(by_org.rows) if r.org == "chugoku")
    forums = by_org.index(chugoku, by_org.column_of("forums_held"))
    assert forums.data() == "1" and forums.data(Qt.ItemDataRole.ToolTipRole) == "確定した数値 1／現在の記録では 3"

    # The live figures, a click away; the banner still says the year is closed.
    assert page.live_check.isVisible()
    page.live_check.click()
    assert page.subtitle.text() == "事務局｜令和5年度（2023）の KPI 実績（現在の記録）"
    assert value_cell(page, "forums_held").data() == "3（確定 1）"
    assert by_org.index(chugoku, by_org.column_of("forums_held")).data() == "3"
    assert page.closed_banner.isVisible()
    page.live_check.click()
    assert value_cell(page, "forums_held").data() == "1（現在 3）"

    # The drill-down lists the live records behind a figure, also in a closed year.
    dialog = page.explain("forums_held", None)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.explained is not None, timeout=TIMEOUT)
    assert dialog.explained["value"] == 3 and len(dialog.explained["records"]) == 3

    # Taking the close back (asked first): the live figures are the year's figures again.
    asked: list[str] = []

    def fake_ask(parent, title, text, yes, no):  # type: ignore[no-untyped-def]
        asked.append(text)
        return yes == "確定を取り消す"

    monkeypatch.setattr(national_tally, "ask", fake_ask)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert "令和5年度の確定を取り消しますか" in asked[0]
    assert closing.closed_years(secretariat) == {}
    assert not page.closed_banner.isVisible() and page.close_button.isEnabled()
    assert value_cell(page, "forums_held").data() == "3"
    assert page.subtitle.text() == "事務局｜令和5年度（2023）の KPI 実績"


def test_a_refused_reopen_keeps_the_year_closed(qtbot, world, monkeypatch):
    _forum, secretariat = world
    closing.close_year(secretariat, 2023)
    page = open_page(qtbot, secretariat)
    monkeypatch.setattr(national_tally, "ask", lambda *args: False)
    assert not page.reopen_year()
    assert closing.closed_years(secretariat).keys() == {2023}


def test_published_figures_are_shown_as_closed_with_their_source(qtbot, make_ctx):
    secretariat = make_ctx("secretariat", user_name="事務局 山田")
    targets.set_target(secretariat, 2023, "matching_total", 150)
    closing.record_published(secretariat, 2023, {"supported_municipalities": 252, "forums_held": 33,
                                                 "matching_total": 184})
    page = open_page(qtbot, secretariat)
    assert page.closed_label.text().startswith("令和5年度は公表値で確定済みです（")
    assert value_cell(page, "matching_total").data() == "184（現在 0）"
    model = page.official_model
    matching = value_cell(page, "matching_total").row()
    assert model.index(matching, 3).data() == "150" and model.index(matching, 4).data() == fmt.percent(184 / 150)
    # No subtotal was published: those cells are empty rather than a made-up 0.
    assert value_cell(page, "matching_total", "regional_forums").data() == ""
    assert page.source_label.isVisible()


def test_the_close_dialog_and_the_closed_page_speak_english(qtbot, world, tmp_path, english):
    forum, secretariat = world
    page = open_page(qtbot, secretariat)
    dialog = page.close_year()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    # The person's name (typed in the settings) is data.
    problems = japanese_outside_data(visible_texts(dialog), record_runs(secretariat) | {"事務局", "山田"})
    assert not problems, problems
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        dialog.confirm()
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    send(forum, secretariat, tmp_path, "late")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    assert page.changes_label.text().startswith("Records changed after closing:")
    page.live_check.click()
    problems = japanese_outside_data(visible_texts(page), record_runs(secretariat))
    assert not problems, problems


def test_the_closed_page_has_no_english_in_japanese(qtbot, world, tmp_path):
    forum, secretariat = world
    closing.close_year(secretariat, 2023)
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    send(forum, secretariat, tmp_path, "late")
    page = open_page(qtbot, secretariat)
    problems = english_outside_allow_list(visible_texts(page), record_runs(secretariat))
    assert not problems, problems


# Dashboard -------------------------------------------------------------------------------------------

def test_dashboard_cards_of_a_closed_year_say_so(qtbot, world, tmp_path):
    forum, secretariat = world
    saved = closing.close_year(secretariat, 2023)
    held(forum, "遅れて届いたフォーラム", D(2024, 2, 10), ("福山市",))
    send(forum, secretariat, tmp_path, "late")

    page = DashboardPage(secretariat, ChangeBus(), today=D(2024, 3, 31))
    qtbot.addWidget(page)
    page.resize(1024, 680)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    forums = page.cards["forums_held"]
    assert forums.figure == "1回"  # the official figure, not the live 2
    assert forums.closed_badge.isVisible() and forums.closed_badge.text() == "確定"
    closed_on = fmt.date_label(saved.data["closed_at"][:10])
    assert forums.closed_badge.toolTip() == (
        f"令和5年度の確定値です（{closed_on} 事務局 山田）。\n確定後に記録が変わり、現在の記録では 2回 です。")
    workshops = page.cards["workshops"]
    assert workshops.closed_badge.isVisible()
    assert workshops.closed_badge.toolTip() == f"令和5年度の確定値です（{closed_on} 事務局 山田）。"
    # The badge is small: the card's name keeps its room at 1024×680.
    assert forums.closed_badge.width() < forums.width() / 3

    # The next year is open: no badge.
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2024))
    assert not forums.closed_badge.isVisible()


def test_a_forum_dashboard_shows_its_closed_figure_from_the_national_package(qtbot, world, tmp_path):
    forum, secretariat = world
    closing.close_year(secretariat, 2023)
    sync.add_trust(forum, secretariat.public_key, ["*"])
    send(secretariat, forum, tmp_path, "national", scope="national")
    held(forum, "遅れて入力したフォーラム", D(2024, 3, 20), ("広島市",))

    page = DashboardPage(forum, ChangeBus(), today=D(2024, 3, 31))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    forums = page.cards["forums_held"]
    assert forums.figure == "1回" and forums.closed_badge.isVisible()
    assert "現在の記録では 2回 です" in forums.closed_badge.toolTip()


# Entry dialogs ---------------------------------------------------------------------------------------

@pytest.fixture
def closed_forum(world, tmp_path, monkeypatch):
    """中国フォーラム after receiving the national package in which FY2023 is closed."""
    forum, secretariat = world
    monkeypatch.setattr(base, "ask", lambda *args: True)  # never a real modal question
    closing.close_year(secretariat, 2023)
    sync.add_trust(forum, secretariat.public_key, ["*"])
    send(secretariat, forum, tmp_path, "national", scope="national")
    return forum


def open_dialog(qtbot, cls, ctx, **kwargs):  # type: ignore[no-untyped-def]
    dialog = cls(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot, edit: QLineEdit, text: str, dialog) -> None:  # type: ignore[no-untyped-def]
    edit.clear()
    qtbot.keyClicks(edit, text)
    dialog.validate_now()


def test_editing_a_record_of_a_closed_year_warns(qtbot, closed_forum):
    event = next(r for r in records.list_records(closed_forum, "events") if r.data["title"] == "中国フォーラム総会")
    dialog = open_dialog(qtbot, EventDialog, closed_forum, record_id=event.id)
    assert dialog.closed_year_label.isVisible() and dialog.closed_year_label.text() == WARNING
    # Moved out of the year, it still counted in the closed one: still said.
    retype(qtbot, dialog.held_from_edit, "2024-05-01", dialog)
    retype(qtbot, dialog.held_to_edit, "2024-05-01", dialog)
    assert dialog.closed_year_label.isVisible()
    dialog.discard_draft()


def test_a_new_record_warns_once_its_date_falls_in_a_closed_year(qtbot, closed_forum):
    dialog = open_dialog(qtbot, NeedDialog, closed_forum)
    assert not dialog.closed_year_label.isVisible()
    received = dialog.findChild(QWidget, "receivedOnEdit")
    assert isinstance(received, QLineEdit)
    retype(qtbot, received, "R6.3.1", dialog)  # 2024-03-01: FY2023
    assert dialog.closed_year_label.isVisible() and dialog.closed_year_label.text() == WARNING
    retype(qtbot, received, "2024-04-01", dialog)
    assert not dialog.closed_year_label.isVisible()
    dialog.discard_draft()


def test_no_warning_in_an_open_year_or_without_closed_years(qtbot, world):
    forum, _secretariat = world
    event = next(r for r in records.list_records(forum, "events") if r.data["title"] == "中国フォーラム総会")
    dialog = open_dialog(qtbot, EventDialog, forum, record_id=event.id)
    assert not dialog.closed_year_label.isVisible()
    dialog.discard_draft()
