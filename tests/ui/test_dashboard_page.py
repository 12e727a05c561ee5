"""The dashboard page and the prefecture map, with records made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from helpers import code, transfer
from jcim_desktop.services import events, master, matchings, records, targets
from jcim_desktop.services.dashboard import rate_class, support_class
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.dashboard import DashboardPage
from jcim_desktop.ui.widgets.japan_map import PrefectureMap

pytestmark = pytest.mark.gui

D = dt.date
TODAY = D(2024, 9, 1)
RATE_LEGEND = ("10%未満", "10%以上", "30%以上", "50%以上", "70%以上", "100%")
SUPPORT_LEGEND = ("なし", "1〜2団体", "3〜5団体", "6〜9団体", "10団体以上")


def event(ctx, title, *, event_type="forum", status="held", held=None, lg=(), forum=True, planned="第2四半期"):
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text(planned, 2024),
        "status": status, "held_from": held.isoformat() if held else None,
        "held_to": held.isoformat() if held else None, "lg_codes": [code(n) for n in lg],
        "counts_as_forum": forum,
    })


def build_chugoku(ctx):
    event(ctx, "インフラメンテナンス中国フォーラム", held=D(2024, 6, 10), lg=("福山市", "広島市", "松江市"))
    event(ctx, "出前授業（福山市立小学校）", event_type="outreach_class", held=D(2024, 7, 3), lg=("福山市",), forum=False)
    event(ctx, "第2回マッチングイベント", event_type="matching_event", status="planned", planned="9月下旬")
    event(ctx, "ニーズ説明会", event_type="seminar", status="planned", planned="6月頃")
    seed = records.create(ctx, "seeds", {"company": "株式会社ジャパンインフラ", "tech_name": "ドローン点検",
                                         "summary": "狭い箇所も撮影", "facility_types": ["bridge"]})
    pairs = []
    for name in ("尾道市", "呉市", "岡山市"):
        need = records.create(ctx, "needs", {
            "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge"],
            "requirements": "点検費用を抑えたい", "received_on": "2024-05-01", "status": "open"})
        pairs.append(matchings.create_matching(ctx, need.id, seed.id, considered_on=D(2024, 5, 10)))
    matchings.advance_stage(ctx, pairs[0].id, "established", D(2024, 6, 1))
    matchings.advance_stage(ctx, pairs[2].id, "dropped", D(2024, 6, 1))


@pytest.fixture
def chugoku(make_ctx):
    """chugoku's FY2024 and the secretariat's targets, received."""
    forum, sec = make_ctx("chugoku"), make_ctx("secretariat")
    build_chugoku(forum)
    targets.set_target(sec, 2024, "supported_municipalities", 300)
    targets.set_target(sec, 2024, "forums_held", 50)
    transfer(sec, forum)
    return forum


def open_page(qtbot, ctx) -> DashboardPage:
    page = DashboardPage(ctx, ChangeBus(), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    return page


@pytest.fixture(autouse=True)
def _no_operation_left_behind(qtbot):
    yield
    ops.wait_for_all()
    qtbot.wait(1)


def not_blank(image: QImage) -> int:
    """How many distinct colours a sample of the image holds (1 means blank)."""
    seen = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            seen.add(image.pixel(x, y))
    return len(seen)


def pixels_of(image: QImage, color: QColor) -> int:
    target = color.rgb()
    return sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2) if image.pixel(x, y) == target)


def test_the_page_shows_the_forums_own_kpis_with_national_targets_as_context(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    assert page.fy_combo.currentText() == "令和6年度（2024）"
    assert page.fiscal_year() == 2024
    muni = page.cards["supported_municipalities"]
    # 福山, 広島, 松江 (event), 尾道, 呉, 岡山 (needs).
    assert muni.figure == "6団体" and ">6<" in muni.value_label.text()
    assert muni.target_label.text() == "全国目標 300団体（参考）"
    assert page.cards["forums_held"].figure == "1回"
    assert page.cards["workshops"].figure == "1回"
    assert page.cards["matching_total"].figure == "4件"  # 3 considered + 1 established
    assert page.cards["mayors_council_activities"].target_label.text() == "全国目標 未設定"
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert not any("達成率" in t for t in texts)  # a national target is not the forum's achievement
    assert "中国フォーラム" in page.subtitle.text()


def test_the_funnel_counts_and_highlights_where_pairings_stall(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    assert page.funnel.counts() == {"considered": 3, "established": 1, "trial": 0, "implemented": 0, "dropped": 1}
    assert page.funnel.funnel is not None and page.funnel.funnel.stall == "considered"
    assert "「検討」から「成立」" in page.stall_label.text()
    assert "検討→成立 33.3%" in page.funnel.toolTip()


def test_an_overdue_event_appears_with_the_hint(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    assert page.overdue.titles() == ["ニーズ説明会"]
    assert page.upcoming.titles() == ["第2回マッチングイベント"]
    assert page.overdue_hint.isVisibleTo(page) and "実施済にするか日程を更新してください" in page.overdue_hint.text()
    overdue_texts = [label.text() for label in page.overdue.findChildren(QLabel)]
    assert "6月頃" in overdue_texts and "63日経過" in overdue_texts
    assert page.overdue_count.text() == "1件"


def test_the_upcoming_list_shows_the_first_eight_and_counts_every_event(qtbot, make_ctx):
    ctx = make_ctx("chugoku")
    for day in range(12):
        event(ctx, f"予定{day:02d}", event_type="seminar", status="planned", planned=f"9月{day + 2}日")
    page = open_page(qtbot, ctx)
    assert page.upcoming.titles() == [f"予定{day:02d}" for day in range(8)]
    assert page.upcoming_count.text() == "12件"
    assert "ほか 4件" in [label.text() for label in page.upcoming.findChildren(QLabel)]
    assert not page.overdue_count.isVisibleTo(page)


def test_the_block_map_is_coloured_by_supported_municipalities(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    shown = page.map.shown_prefectures()
    assert shown == ("31", "32", "33", "34", "35")
    assert page.map.values() == {"31": 0, "32": 1, "33": 1, "34": 4, "35": 0}
    assert page.map.class_label("34") == "3〜5団体" and page.map.class_label("31") == "なし"
    assert page.map.legend_labels() == SUPPORT_LEGEND
    assert page.map.color_of("34") != page.map.color_of("32") != page.map.color_of("31")
    assert "広島県" in page.map.tooltip_text("34") and "4団体" in page.map.tooltip_text("34")
    assert "中国ブロック" in page.map_panel.title_label.text()
    image = page.map.grab().toImage()
    assert not_blank(image) > 5
    assert pixels_of(image, page.map.color_of("34")) > 100


def test_changing_the_fiscal_year_reloads(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2023))
    assert page.cards["supported_municipalities"].figure == "0団体"
    assert page.funnel.counts()["considered"] == 0
    assert "まだありません" in page.stall_label.text()


def test_a_change_elsewhere_refreshes_a_visible_dashboard(qtbot, chugoku):
    page = open_page(qtbot, chugoku)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        ops.perform(page, lambda: event(chugoku, "追加のフォーラム", held=D(2024, 8, 1), lg=("三次市",)))
    assert page.cards["forums_held"].figure == "2回"


def test_the_secretariat_sees_national_kpis_and_participation_maps(qtbot, make_ctx):
    sec = make_ctx("secretariat")
    targets.set_target(sec, 2024, "mayors_council_rate", 0.7)
    targets.set_target(sec, 2024, "supported_municipalities", 300)
    hiroshima = [m.lg_code for m in sec.registry.municipalities_of("34")]
    for lg in hiroshima:
        master.set_status(sec, lg, mayors_council=True, admin_member=True, as_of=dt.date(2024, 4, 1))
    tottori = [m.lg_code for m in sec.registry.municipalities_of("31")]
    for lg in tottori[:4]:
        master.set_status(sec, lg, admin_member=True, as_of=dt.date(2024, 4, 1))
    records.create(sec, "support_activities", {"kind": "visit", "on": "2024-05-01", "lg_code": code("那覇市")},
                   owner="municipal_support")
    page = open_page(qtbot, sec)
    mayors = page.cards["mayors_council_rate"]
    assert mayors.figure == f"{round(len(hiroshima) / 1741, 4) * 100:.1f}%"
    assert mayors.achievement_label.text().startswith("達成率 ")
    assert mayors.note_label.text() == f"{len(hiroshima)} / 1,741 市区町村"
    muni = page.cards["supported_municipalities"]
    assert muni.figure == "1団体" and muni.achievement_label.text() == "達成率 0.3%"
    assert muni.target_label.text() == "目標 300団体"
    assert muni.note_label.text() == "延べ数（実数 1団体）"

    rate_map = page.maps["mayors_council_rate"]
    assert len(rate_map.shown_prefectures()) == 47 and rate_map.all_japan
    assert rate_map.class_label("34") == "100%" and rate_map.class_label("13") == "10%未満"
    assert page.maps["admin_member_rate"].class_of("31") == rate_class(4 / len(tottori))
    assert rate_map.legend_labels() == RATE_LEGEND
    image = rate_map.grab().toImage()
    assert not_blank(image) > 5
    assert pixels_of(image, rate_map.color_of("34")) > 20
    assert page.block_bars.names()["沖縄"] == 1


# -- the map widget on its own ---------------------------------------------------------------


@pytest.fixture
def japan(qtbot):
    widget = PrefectureMap()
    qtbot.addWidget(widget)
    widget.resize(560, 460)
    values = {f"{n:02d}": n / 47 for n in range(1, 48)}
    widget.set_data(values, rate_class, RATE_LEGEND, legend_title="参画率")
    return widget


def test_all_japan_puts_okinawa_in_a_top_left_inset_and_keeps_hokkaido_in_place(japan):
    japan.grab()
    inset = japan._inset
    assert inset is not None
    okinawa = japan._mapped["47"].boundingRect()
    hokkaido = japan._mapped["01"].boundingRect()
    assert inset.contains(okinawa)
    assert inset.right() < japan.width() / 2 and inset.bottom() < japan.height() / 2
    assert hokkaido.top() < 40 and hokkaido.right() > japan.width() / 2  # north-east, as on the globe
    assert japan.prefecture_at(okinawa.center()) in ("47", None)
    assert japan.prefecture_at(QPointF(-5, -5)) is None
    assert japan.tooltip_text("47").startswith("沖縄県\n参画率：100.0%")


def test_a_block_shows_only_its_prefectures_with_names(japan):
    japan.set_prefectures(["36", "37", "38", "39"])
    japan.set_data({"36": 3, "37": 0, "38": 12, "39": 1}, support_class, SUPPORT_LEGEND)
    japan.grab()
    assert set(japan._mapped) == {"36", "37", "38", "39"} and japan.shows_names and japan._inset is None
    assert japan.class_of("38") == 4 and japan.class_label("38") == "10団体以上"
    center = japan._mapped["38"].boundingRect().center()
    assert japan.prefecture_at(center) in ("38", None)


def test_repainting_the_map_reuses_its_layout(japan, monkeypatch):
    # What keeps repaints cheap (a hover repaints often): the projected paths are laid out once
    # per size or data, not on every paint.
    image = QImage(japan.size(), QImage.Format.Format_ARGB32_Premultiplied)
    japan.render(image)  # the first paint lays out and caches the paths
    layouts: list[int] = []
    real = type(japan)._layout
    monkeypatch.setattr(type(japan), "_layout", lambda self: (layouts.append(1), real(self))[1])
    for _ in range(15):
        japan.render(image)
    assert layouts == []
    japan.resize(600, 480)
    japan.render(QImage(japan.size(), QImage.Format.Format_ARGB32_Premultiplied))
    assert layouts == [1]


def test_hovering_a_prefecture_shows_its_name_and_value(qtbot, japan, monkeypatch):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    shown: list[str] = []
    # The offscreen platform cannot raise a tooltip window; record what would be shown.
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_a: shown.append(text))
    monkeypatch.setattr(QToolTip, "hideText", lambda: shown.append(""))
    japan.set_prefectures(["34"])
    japan.set_data({"34": 4}, support_class, SUPPORT_LEGEND, legend_title="支援自治体数",
                   value_text=lambda v: f"{v:.0f}団体")
    japan.grab()
    inside = japan._labels_at["34"].toPoint()
    QApplication.sendEvent(japan, QHelpEvent(QEvent.Type.ToolTip, inside, japan.mapToGlobal(inside)))
    assert shown == ["広島県\n支援自治体数：4団体（3〜5団体）"]
    outside = QPoint(2, 2)
    QApplication.sendEvent(japan, QHelpEvent(QEvent.Type.ToolTip, outside, japan.mapToGlobal(outside)))
    assert shown[-1] == ""


# -- in English --------------------------------------------------------------------------------


def test_in_english_the_maps_name_prefectures_and_classes_in_english(qtbot, chugoku, english):
    page = open_page(qtbot, chugoku)
    assert page.map.name_of("34") == "Hiroshima"
    assert page.map.legend_labels() == ("None", "1–2", "3–5", "6–9", "10 or more")
    tooltip = page.map.tooltip_text("34")
    assert tooltip.startswith("Hiroshima\nSupported municipalities") and "4" in tooltip and "3–5" in tooltip
    assert page.map_panel.title_label.text() == "Supported municipalities, Chugoku block (FY2024)"
    assert page.funnel.conversions()[0] == "Considered→Established 33.3%"
    assert page.cards["supported_municipalities"].figure == "6"


# -- in the window: a change made on another page ----------------------------------------------


def test_ticking_a_municipality_flag_refreshes_the_dashboard_rate(qtbot, make_ctx):
    """The municipality master page announces its change; the visible dashboard reloads by itself."""
    from jcim_desktop.ui.main_window import MainWindow

    sec = make_ctx("secretariat")
    window = MainWindow(sec)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    dashboard = window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.board is not None, timeout=10000)
    admin = dashboard.cards["admin_member_rate"]
    assert admin.figure == "0.0%"
    assert dashboard.maps["admin_member_rate"].values()["34"] == 0

    row = next(i for i, cls in enumerate(window.page_classes) if cls.page_id == "municipalities")
    municipalities = window.page_at(row)  # built, not shown: the dashboard stays on screen
    model = municipalities.model  # type: ignore[attr-defined]
    fukuyama = code("福山市")
    municipalities.search.setText("福山")  # type: ignore[attr-defined]
    line = next(i for i, lg in enumerate(model.rows) if lg.lg_code == fukuyama)
    with qtbot.waitSignal(dashboard.loaded, timeout=10000):
        assert model.setData(model.index(line, model.FIRST_FLAG_COLUMN), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)
    assert admin.figure == "0.1%"  # 1 of 1,741
    assert admin.note_label.text() == "1 / 1,741 市区町村"
    assert dashboard.maps["admin_member_rate"].values()["34"] > 0


# -- drill-down: a figure opens the records behind it ------------------------------------------


def _explained(qtbot, page, kpi):  # type: ignore[no-untyped-def]
    from jcim_desktop.ui.explain_dialog import ExplainDialog

    card = page.cards[kpi]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    dialogs = [d for d in page.findChildren(ExplainDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.explained is not None, timeout=10000)
    return dialog


@pytest.mark.parametrize("kpi", ["supported_municipalities", "forums_held", "matching_total"])
def test_clicking_a_figure_lists_exactly_the_records_tally_explain_gives(qtbot, chugoku, kpi):
    from jcim_desktop.services.tally import explain, tally

    page = open_page(qtbot, chugoku)
    dialog = _explained(qtbot, page, kpi)
    expected = explain(chugoku, 2024, kpi, "chugoku")
    assert dialog.record_ids() == [r["id"] for r in expected["records"]]
    assert expected["value"] == tally(chugoku, 2024)["kpis"][kpi]["by_org"]["chugoku"]
    # The figure on the card is the number of records listed.
    assert page.cards[kpi].figure.startswith(f"{len(expected['records'])}")
    assert dialog.model.rowCount() == len(expected["records"])


def test_a_record_opens_from_the_list_by_keyboard(qtbot, chugoku, monkeypatch):
    from jcim_desktop.ui import dialogs

    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "open_record_dialog",
                        lambda parent, ctx, entity, record_id, *a, **k: opened.append((entity, record_id)))
    from jcim_desktop.ui.explain_dialog import ExplainDialog

    page = open_page(qtbot, chugoku)
    page.cards["forums_held"].setFocus()
    qtbot.keyClick(page.cards["forums_held"], Qt.Key.Key_Return)  # the card opens by keyboard too
    [dialog] = page.findChildren(ExplainDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.explained is not None, timeout=10000)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened == [("events", dialog.record_ids()[0])]
    assert dialog.isVisible()  # Enter opened the record; it did not close the list
