"""The list pages' table model: qtmodeltester on every view, typed rows shown in the window's language,
SQL sorting through the header."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from helpers import code
from jcim_desktop.domain.dates import PlannedDate, parse_planned
from jcim_desktop.services import listing, matchings, records
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import table_model
from jcim_desktop.ui.table_model import PLACEHOLDER, RecordIdRole, RecordTableModel, ValueRole
from language_walk import JAPANESE_RUN as JAPANESE

pytestmark = pytest.mark.gui
DAY = dt.date(2024, 7, 10)


def _seed_every_entity(ctx: AppContext) -> dict[str, list[str]]:
    """Two records of every listed entity (and a pitch presentation), created through services."""
    ids: dict[str, list[str]] = {}
    for n, (title, when) in enumerate((("橋梁点検セミナー", DAY), ("出前授業 ふくやま小学校", DAY.replace(month=11)))):
        ids.setdefault("events", []).append(records.create(ctx, "events", {
            "title": title, "event_type": "seminar" if n == 0 else "outreach_class",
            "planned": parse_planned(f"{when.month}月頃", 2024).to_dict(), "status": "held",
            "held_from": when.isoformat(), "held_to": when.isoformat(), "lg_codes": [code("福山市"), code("尾道市"), code("三原市")],
        }).id)
    pitch = records.create(ctx, "events", {
        "title": "技術ピッチ 福山", "event_type": "pitch_event", "planned": parse_planned("9月下旬", 2024).to_dict(),
        "status": "planned", "lg_codes": [],
    })
    ids["pitch_events"] = [pitch.id]
    for title, city, received in (("橋梁点検の効率化", "福山市", DAY), ("下水道管路の劣化診断", "岡山市", DAY.replace(day=1))):
        ids.setdefault("needs", []).append(records.create(ctx, "needs", {
            "lg_code": code(city), "title": title, "facility_types": ["bridge", "road"], "requirements": "費用を抑えて",
            "received_on": received.isoformat(), "status": "open",
        }).id)
    for company, tech in (("株式会社ブリッジアイ", "ドローンによる橋梁点検"), ("合同会社トンネルラボ", "打音点検支援装置")):
        ids.setdefault("seeds", []).append(records.create(ctx, "seeds", {
            "company": company, "tech_name": tech, "summary": "省力化", "facility_types": ["bridge"],
            "netis_no": "CG-240001-A", "registered_on": DAY.isoformat(),
        }).id)
    records.create(ctx, "pitch_presentations", {"event_id": pitch.id, "seed_id": ids["seeds"][0], "order": 1})
    for need_id, seed_id in zip(ids["needs"], ids["seeds"], strict=True):
        ids.setdefault("matchings", []).append(matchings.create_matching(ctx, need_id, seed_id, considered_on=DAY).id)
    for title in ("ドローン橋梁点検の現場試行", "打音点検の実証"):
        ids.setdefault("trials", []).append(records.create(ctx, "trials", {
            "title": title, "lg_code": code("福山市"), "planned": parse_planned("第2四半期", 2024).to_dict(),
            "status": "planned",
        }).id)
    for kind in ("visit", "consultation"):
        ids.setdefault("support_activities", []).append(records.create(ctx, "support_activities", {
            "kind": kind, "on": DAY.isoformat(), "lg_code": code("福山市"), "note": "点検計画への助言",
        }).id)
    return ids


@pytest.fixture
def seeded(forum: AppContext) -> tuple[AppContext, dict[str, list[str]]]:
    return forum, _seed_every_entity(forum)


@pytest.mark.parametrize("view", listing.VIEWS)
def test_every_view_passes_qtmodeltester(qtmodeltester, seeded, view):
    ctx, ids = seeded
    model = RecordTableModel(ctx, view)
    model.set_query(records.Query())
    assert model.is_complete()
    # The events view lists every type; the events page narrows it with Query.event_types.
    expected = ids[view] + (ids["pitch_events"] if view == "events" else [])
    assert model.rowCount() == len(expected)
    qtmodeltester.check(model)
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column))
            assert isinstance(text, str) and text != PLACEHOLDER
        assert model.data(model.index(row, 0), RecordIdRole) in expected
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert labels == [c.label for c in listing.columns(view)]


def _row(model: RecordTableModel, row: int = 0) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def _shown(ctx: AppContext, view: str, record_id: str) -> list[str]:
    model = RecordTableModel(ctx, view)
    model.set_query(records.Query())
    return _row(model, model.row_of(record_id))


def test_typed_rows_are_shown_in_japanese(seeded):
    ctx, ids = seeded
    model = RecordTableModel(ctx, "needs")
    model.set_query(records.Query(text="福山"))
    assert model.rowCount() == 1
    assert _row(model) == ["令和6年度", "令和6年7月10日", "広島県福山市", "橋梁点検の効率化", "橋梁・道路", "受付", "中国フォーラム"]
    assert model.data(model.index(0, 0), ValueRole) == 2024  # the value behind the text

    event = _shown(ctx, "events", ids["events"][0])
    assert event[:6] == ["令和6年度", "橋梁点検セミナー", "セミナー・講演会・講習会", "7月頃", "令和6年7月10日", "実施済"]
    assert event[6] == "広島県福山市、広島県尾道市 ほか1"
    pitch = _shown(ctx, "pitch_events", ids["pitch_events"][0])
    assert pitch[2] == "9月下旬" and pitch[6] == "1"  # 発表数
    matching = _shown(ctx, "matchings", ids["matchings"][0])
    assert matching[:3] == ["マッチング検討", "橋梁点検の効率化（広島県福山市）", "株式会社ブリッジアイ ／ ドローンによる橋梁点検"]


def test_typed_rows_are_shown_in_english(seeded, english):
    ctx, ids = seeded
    model = RecordTableModel(ctx, "needs")
    model.set_query(records.Query(text="福山"))
    row = _row(model)
    # Dates and years in the English form; municipality names and titles stay as entered.
    assert row[:4] == ["FY2024", "Jul 10, 2024", "広島県福山市", "橋梁点検の効率化"]
    assert not any(JAPANESE.search(text) for text in row[4:]), row
    assert model.headerData(3, Qt.Orientation.Horizontal) != "技術テーマ"
    event = _shown(ctx, "events", ids["events"][0])
    assert event[4] == "Jul 10, 2024"
    assert event[6].startswith("広島県福山市, 広島県尾道市") and "ほか" not in event[6]
    undated = records.create(ctx, "events", {"title": "日程未定の講習会", "event_type": "workshop",
                                             "planned": PlannedDate("未定", None, None, "undecided", False).to_dict(),
                                             "status": "planned", "lg_codes": []})
    year = _shown(ctx, "events", undated.id)[0]
    assert year and not JAPANESE.search(year)  # 年度: not yet known (未定)


def test_an_overseas_support_names_its_country(forum):
    record = records.create(forum, "support_activities", {"kind": "visit", "on": DAY.isoformat(), "country": "VN"},
                            owner=forum.org)
    assert _shown(forum, "support_activities", record.id)[2] == "ベトナム"


def test_deleted_records_are_never_shown(seeded):
    ctx, ids = seeded
    records.delete(ctx, "needs", ids["needs"][0])
    model = RecordTableModel(ctx, "needs")
    model.set_query(records.Query(include_deleted=True))
    assert [model.record_id(r) for r in range(model.rowCount())] == [ids["needs"][1]]


def test_data_never_raises_and_shows_a_grey_placeholder(seeded, monkeypatch):
    ctx, _ = seeded
    model = RecordTableModel(ctx, "seeds")
    model.set_query(records.Query())

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(listing, "fetch_block", broken)
    index = model.index(0, 0)
    assert model.data(index) == PLACEHOLDER
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None


def test_sorting_through_the_header_orders_in_sql(qtbot, seeded, monkeypatch):
    ctx, _ = seeded
    for company, tech in (("アクア診断", "IoT水位センサー"), ("ｲﾝﾌﾗｾﾝｼﾝｸﾞ合同会社", "衛星SARによる変位計測")):
        records.create(ctx, "seeds", {"company": company, "tech_name": tech, "summary": "-", "facility_types": ["river"]})
    model = RecordTableModel(ctx, "seeds")
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.horizontalHeader().setSortIndicator(model.sort_column(), model.sort_order())
    view.setSortingEnabled(True)
    model.set_query(records.Query())
    view.resize(900, 300)
    view.show()

    queried: list[tuple[object, bool]] = []
    real = listing.fetch_ids
    monkeypatch.setattr(listing, "fetch_ids", lambda *a, **k: queried.append((a[3], a[4])) or real(*a, **k))

    header = view.horizontalHeader()
    tech_column = [c.key for c in model.columns].index("tech_name")

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    def techs() -> list[str]:
        return [model.data(model.index(r, tech_column)) for r in range(model.rowCount())]

    click(tech_column)
    assert queried and queried[-1][0] == "tech_name"
    first = techs()
    assert first in (sorted(first), sorted(first, reverse=True))
    click(tech_column)
    assert techs() == list(reversed(first))
    assert len(queried) == 2

    # A column SQL cannot sort by leaves the order (and the arrow) alone.
    facility_column = [c.key for c in model.columns].index("facility_types")
    model.sort(facility_column, Qt.SortOrder.AscendingOrder)
    assert len(queried) == 2


def test_a_large_list_paints_its_first_screen_before_the_rest_arrives(qtbot, qtmodeltester, seeded, monkeypatch):
    ctx, _ = seeded
    monkeypatch.setattr(table_model, "HEAD_ROWS", 2)
    for i in range(5):
        records.create(ctx, "support_activities", {"kind": "visit", "on": DAY.isoformat(), "lg_code": code("福山市"),
                                                   "note": f"訪問 {i}"})
    model = RecordTableModel(ctx, "support_activities")
    qtmodeltester.check(model)  # also watches the rows grow
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(records.Query())
        assert model.rowCount() == 3 and not model.is_complete()  # the first screen (+1)
    assert model.is_complete() and model.rowCount() == 7
    assert all(model.data(model.index(r, 3)) != PLACEHOLDER for r in range(7))
    assert len({model.record_id(r) for r in range(7)}) == 7
