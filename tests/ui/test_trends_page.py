"""年度推移: each KPI by fiscal year, official where closed or published, typed in by the secretariat."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

from helpers import code, transfer
from jcim_desktop.services import closing, events, matchings, records, targets
from jcim_desktop.services.history import history
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.trends import TrendsPage
from jcim_desktop.ui.published_dialog import PublishedFiguresDialog

pytestmark = pytest.mark.gui

D = dt.date
MATCHING_TOTAL = "マッチング・現場試行・実装実施数"


def held(ctx, title, day, lg=("福山市",)):
    fy = day.year if day.month >= 4 else day.year - 1
    return records.create(ctx, "events", {
        "title": title, "event_type": "forum", "planned": events.planned_from_text("通年", fy), "status": "held",
        "held_from": day.isoformat(), "held_to": day.isoformat(), "lg_codes": [code(n) for n in lg],
        "counts_as_forum": True,
    })


def chugoku_years(forum):
    """FY2022: a forum, a need of 呉市 considered and established (2); FY2024: two forums, the
    pairing implemented (1)."""
    held(forum, "令和4年度 中国フォーラム", D(2022, 7, 1))
    need = records.create(forum, "needs", {
        "lg_code": code("呉市"), "title": "呉市の橋梁点検", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": "2022-09-01", "status": "open"})
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI",
                                           "summary": "損傷を自動判定", "facility_types": ["bridge"]})
    pairing = matchings.create_matching(forum, need.id, seed.id, considered_on=D(2022, 10, 1))
    matchings.advance_stage(forum, pairing.id, "established", D(2022, 12, 1))
    matchings.advance_stage(forum, pairing.id, "implemented", D(2024, 6, 1))
    held(forum, "令和6年度 中国フォーラム", D(2024, 5, 1))
    held(forum, "令和6年度 広島セミナー", D(2024, 11, 1), ("広島市",))


@pytest.fixture
def secretariat_years(make_ctx):
    """The secretariat holding 中国フォーラム's FY2022 and FY2024, and FY2023's target of 150."""
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    chugoku_years(forum)
    transfer(forum, secretariat)
    targets.set_target(secretariat, 2023, "matching_total", 150)
    return secretariat


@pytest.fixture(autouse=True)
def _no_operation_left_behind(qtbot):
    yield
    ops.wait_for_all()
    qtbot.wait(1)


def open_page(qtbot, ctx) -> TrendsPage:
    page = TrendsPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1024, 680)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    return page


def table(page: TrendsPage) -> dict[str, list[str]]:
    """年度 → the row's cells (実績, 目標, 達成率, 確定／集計中) as shown."""
    model = page.model
    return {model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, 5)] for r in range(model.rowCount())}


def choose(qtbot, combo: QComboBox, data: object) -> None:
    """Pick the item holding ``data`` with the arrow keys, as a person would."""
    combo.setFocus()
    wanted = combo.findData(data)
    assert wanted >= 0, data
    for _ in range(combo.count()):
        if combo.currentIndex() == wanted:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up)
    assert combo.currentIndex() == wanted


def open_dialog(qtbot, page: TrendsPage) -> PublishedFiguresDialog:
    assert page.published_button is not None
    qtbot.mouseClick(page.published_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(PublishedFiguresDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    """Click into ``edit``, select what it holds and type ``text`` over it (Japanese arrives as
    an input method's commit, as it does from a Japanese IME)."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
        return
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(edit, commit)


def test_published_fy2023_typed_in_shows_184_against_150(qtbot, secretariat_years):
    page = open_page(qtbot, secretariat_years)
    # Before: FY2023 is listed for its target only, with nothing counted.
    assert page.kpi_combo.currentText() == MATCHING_TOTAL
    assert table(page)["令和5年度"] == ["0", "150", "0.0%", "集計中"]

    dialog = open_dialog(qtbot, page)
    choose(qtbot, dialog.year_combo, 2023)
    type_into(qtbot, dialog.edits["supported_municipalities"], "252")
    type_into(qtbot, dialog.edits["forums_held"], "33")
    # A slip first: the message names the KPI, and nothing is recorded.
    type_into(qtbot, dialog.edits["matching_total"], "18x4")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and MATCHING_TOTAL in dialog.error_label.text()
    assert "18x4" in dialog.error_label.text()
    assert closing.closed_tally(secretariat_years, 2023) is None

    type_into(qtbot, dialog.edits["matching_total"], "184")
    type_into(qtbot, dialog.note_edit, "令和5年度 事業報告書")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not [d for d in page.findChildren(PublishedFiguresDialog) if d.isVisible()]  # closed on saving

    rows = table(page)
    assert list(rows) == ["令和4年度", "令和5年度", "令和6年度"]
    assert rows["令和5年度"] == ["184", "150", "122.7%", "確定（公表値）"]
    assert rows["令和4年度"] == ["2", "—", "—", "集計中"]
    assert rows["令和6年度"] == ["1", "—", "—", "集計中"]
    fy2023 = page.chart.figures[1]
    assert (fy2023.fiscal_year, fy2023.total, fy2023.target, fy2023.closed) == (2023, 184, 150, True)
    assert page.chart.value_labels() == ["2", "184", "1"]
    assert page.chart.year_labels() == ["令和4年度", "令和5年度", "令和6年度"]
    assert "達成率 122.7%" in page.chart.describe(fy2023) and "公表値" in page.chart.describe(fy2023)
    # What the window shows is what ``history`` says.
    assert history(secretariat_years, "matching_total")["years"]["2023"]["matching_total"] == {
        "total": 184, "target": 150, "closed": True}
    assert closing.closed_tally(secretariat_years, 2023).note == "令和5年度 事業報告書"


def test_switching_the_kpi_redraws_chart_and_table(qtbot, secretariat_years):
    closing.record_published(secretariat_years, 2023, {"supported_municipalities": 252, "forums_held": 33,
                                                       "matching_total": 184, "mayors_council_rate": 0.625})
    page = open_page(qtbot, secretariat_years)
    assert page.chart.value_labels() == ["2", "184", "1"]

    choose(qtbot, page.kpi_combo, "forums_held")
    assert page.kpi_combo.currentText() == "フォーラム実施数"
    assert page.chart.value_labels() == ["1", "33", "2"]
    assert [f.closed for f in page.chart.figures] == [False, True, False]
    assert table(page)["令和5年度"] == ["33", "—", "—", "確定（公表値）"]
    assert table(page)["令和6年度"] == ["2", "—", "—", "集計中"]

    choose(qtbot, page.kpi_combo, "mayors_council_rate")
    assert page.chart.value_labels() == ["0.0%", "62.5%", "0.0%"]
    assert table(page)["令和5年度"][0] == "62.5%"

    choose(qtbot, page.kpi_combo, "workshops")  # named by no published record: live everywhere
    assert [f.closed for f in page.chart.figures] == [False, False, False]
    assert {row[3] for row in table(page).values()} == {"集計中"}


def test_an_app_closed_year_keeps_its_figure_and_takes_no_published_figures(qtbot, secretariat_years, make_ctx):
    closing.close_year(secretariat_years, 2024)
    held(secretariat_years, "令和6年度 遅れて届いたフォーラム", D(2025, 2, 1))
    page = open_page(qtbot, secretariat_years)
    choose(qtbot, page.kpi_combo, "forums_held")
    assert table(page)["令和6年度"] == ["2", "—", "—", "確定"]

    dialog = open_dialog(qtbot, page)
    choose(qtbot, dialog.year_combo, 2024)
    assert dialog.notice.isVisible() and "確定を取り消して" in dialog.notice.text()
    assert not dialog.save_button.isEnabled() and not dialog.edits["forums_held"].isEnabled()
    dialog.reject()


def test_a_forum_sees_the_official_figures_but_has_no_published_button(qtbot, make_ctx):
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    chugoku_years(forum)
    closing.record_published(secretariat, 2023, {"matching_total": 184})
    targets.set_target(secretariat, 2023, "matching_total", 150)
    transfer(secretariat, forum)  # as the national package brings them
    page = open_page(qtbot, forum)
    assert page.published_button is None
    assert not [b for b in page.findChildren(QPushButton) if "公表値" in b.text()]
    assert table(page)["令和5年度"] == ["184", "150", "122.7%", "確定（公表値）"]
    # The forum's live figure is its own part of the country's: no achievement against the national target.
    targets.set_target(secretariat, 2024, "matching_total", 200)
    transfer(secretariat, forum)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    assert table(page)["令和6年度"] == ["1", "200", "—", "集計中"]
    assert "全国目標 200（参考）" in page.chart.describe(page.chart.figures[2])


def test_in_english(qtbot, secretariat_years, english):
    closing.record_published(secretariat_years, 2023, {"matching_total": 184})
    page = open_page(qtbot, secretariat_years)
    assert table(page)["FY2023"] == ["184", "150", "122.7%", "Closed (published)"]
    assert table(page)["FY2024"][3] == "Live"
    assert page.chart.year_labels() == ["FY2022", "FY2023", "FY2024"]
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Fiscal year", "Actual", "Target", "Achievement", "Closed / live"]
    assert page.published_button is not None and page.published_button.text() == "Enter published figures…"
