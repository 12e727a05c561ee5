"""The 変更履歴 page (issue 13, point 4): every change here and received, newest first, filtered by
person, organisation, kind of record and period; a double click or Enter opens the record.

The secretariat (佐藤) has received 中国フォーラム's needs (changed by 山田 in June and 山口 in July
2024) and 近畿フォーラム's (田中, July 2024), and set a KPI target itself today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from handmade import envelope, key_of, write
from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import dialogs
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.audit_page import ACTION, FIELDS, RECORD, SOURCE, WHO, AuditPage

pytestmark = pytest.mark.gui
TIMEOUT = 20_000


def need_data(title: str, place: str = "福山市") -> dict[str, Any]:
    return {"lg_code": code(place), "title": title, "facility_types": ["bridge"], "requirements": "夜間",
            "received_on": "2024-05-10", "status": "open"}


def dated(sender: AppContext, tmp_path: Path, name: str, items: list[tuple[Any, dt.date, str]]) -> Path:
    envs = [envelope(rec, hlc=f"{int(dt.datetime.combine(day, dt.time(12)).astimezone().timestamp() * 1000):013d}"
                              f"-00000-{sender.installation_id}", by=person) for rec, day, person in items]
    return write(tmp_path / f"{name}.jcimsync", key_of(sender), org=sender.org, installation=sender.installation_id,
                 files={"needs": envs})


@pytest.fixture
def secretariat_log(make_ctx, tmp_path):  # type: ignore[no-untyped-def]
    sato = make_ctx("secretariat", user_name="佐藤")
    chugoku = make_ctx("chugoku", user_name="山田")
    kinki = make_ctx("kinki", user_name="田中")
    sync.add_trust(sato, chugoku.public_key, ["chugoku"])
    sync.add_trust(sato, kinki.public_key, ["kinki"])
    bridge = records.create(chugoku, "needs", need_data("橋梁点検"))
    river = records.create(chugoku, "needs", need_data("河川堤防の点検"))
    sewer = records.create(kinki, "needs", need_data("下水道管路の点検", "京都市"))
    packages = [dated(chugoku, tmp_path, "c", [(bridge, dt.date(2024, 6, 3), "山田"), (river, dt.date(2024, 7, 15), "山口")]),
                dated(kinki, tmp_path, "k", [(sewer, dt.date(2024, 7, 20), "田中")])]
    assert [o.status for o in sync.import_packages(sato, packages)] == ["accepted", "accepted"]
    records.create(sato, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 30})
    return sato, {"bridge": bridge.id, "river": river.id, "sewer": sewer.id}


def open_page(qtbot, ctx: AppContext) -> AuditPage:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1024, 680)
    window.show()
    page = window.show_page("audit")
    assert isinstance(page, AuditPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=TIMEOUT)
    return page


def column(page: AuditPage, col: int) -> list[str]:
    model = page.model
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def choose(qtbot, page: AuditPage, combo, data: Any) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        combo.setCurrentIndex(index)


def test_the_page_lists_every_change_newest_first_with_who_and_where_from(qtbot, secretariat_log):
    sato, _ids = secretariat_log
    page = open_page(qtbot, sato)
    needs = [(who, record, source) for who, record, source in zip(column(page, WHO), column(page, RECORD),
                                                                     column(page, SOURCE), strict=True)
             if record.endswith("点検")]
    assert needs == [("田中", "下水道管路の点検", next(s for s in column(page, SOURCE) if s.startswith("近畿"))),
                     ("山口", "河川堤防の点検", needs[1][2]), ("山田", "橋梁点検", needs[2][2])]
    assert needs[1][2].startswith("中国フォーラムから受信・パッケージ ")
    # The secretariat's own change is the newest; it came from this computer.
    assert (column(page, WHO)[0], column(page, SOURCE)[0], column(page, ACTION)[0]) == ("佐藤", "この端末", "登録")
    assert "年度" in column(page, FIELDS)[0] and "目標値" in column(page, FIELDS)[0]
    assert page.count_label.text() == f"{page.model.rowCount()} 件"
    people = [page.person_combo.itemText(i) for i in range(page.person_combo.count())]
    assert people[0] == "すべての人" and {"佐藤", "山口", "山田", "田中"} <= set(people)


def test_filters_by_person_organisation_kind_and_period(qtbot, secretariat_log):
    sato, _ids = secretariat_log
    page = open_page(qtbot, sato)
    choose(qtbot, page, page.person_combo, "山口")
    assert column(page, RECORD) == ["河川堤防の点検"]
    choose(qtbot, page, page.person_combo, None)
    choose(qtbot, page, page.org_combo, "kinki")
    # Its record, and the import of its package (who imported it, named by the sender).
    assert column(page, RECORD) == ["近畿フォーラムのパッケージ", "下水道管路の点検"]
    assert column(page, ACTION)[0] == "パッケージの取り込み"
    choose(qtbot, page, page.org_combo, None)
    choose(qtbot, page, page.entity_combo, "needs")
    assert column(page, RECORD) == ["下水道管路の点検", "河川堤防の点検", "橋梁点検"]

    # The period: July 2024 only.
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.from_edit.setDate(QDate(2024, 7, 1))
    assert column(page, RECORD) == ["下水道管路の点検", "河川堤防の点検", "橋梁点検"]  # not on yet
    assert not page.from_edit.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.period_check.setChecked(True)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.to_edit.setDate(QDate(2024, 7, 31))
    assert column(page, RECORD) == ["下水道管路の点検", "河川堤防の点検"]
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.to_edit.setDate(QDate(2024, 7, 15))
    assert column(page, RECORD) == ["河川堤防の点検"]
    assert page.count_label.text() == "1 件"


def test_a_double_click_or_enter_opens_the_record(qtbot, monkeypatch, secretariat_log):
    sato, ids = secretariat_log
    opened: list[dialogs.RecordDialog] = []
    monkeypatch.setattr(dialogs, "_run", lambda dialog: opened.append(dialog))
    page = open_page(qtbot, sato)
    choose(qtbot, page, page.entity_combo, "needs")
    view = page.table
    rect = view.visualRect(page.model.index(1, RECORD))
    # A real double click starts with a press on the same row (QTest's DClick alone has none).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1 and isinstance(opened[0], dialogs.NeedDialog)
    assert opened[0].record is not None and opened[0].record.id == ids["river"] and opened[0].read_only
    view.setFocus()
    view.selectRow(2)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert len(opened) == 2 and opened[1].record is not None and opened[1].record.id == ids["bridge"]
    for dialog in opened:
        dialog.discard_draft()
        dialog.deleteLater()


def test_the_page_reads_in_english(qtbot, english, secretariat_log):
    sato, _ids = secretariat_log
    page = open_page(qtbot, sato)
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
    assert headers == ["Date and time", "Changed by", "Action", "Kind", "Record", "Organisation", "Fields changed",
                       "Source"]
    assert column(page, ACTION)[0] == "Created" and column(page, SOURCE)[0] == "This computer"
    assert any(s.startswith("Received from Chugoku Forum, package ") for s in column(page, SOURCE))
