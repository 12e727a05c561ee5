"""The 変更履歴 tab of every record dialog (issue 13, point 4): who changed the record, when, which
fields old → new, and from which package a received change came.

A 中国フォーラム record entered on one laptop by 山田 and changed on the forum's second laptop by
鈴木 arrives back on the first in a package: its dialog's history shows both, newest first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTabWidget

from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops
from jcim_desktop.ui.dialogs import base, dialog_class
from ui.test_tab_order import check_tab_order, show

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "ask", lambda parent, title, text, yes, no: True)


def need_data(title: str = "橋梁点検") -> dict:
    return {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "夜間",
            "received_on": "2024-05-10", "status": "open"}


def exchange(sender: AppContext, receiver: AppContext, path: Path) -> str:
    exported = sync.export_package(sender, path)
    (outcome,) = sync.import_packages(receiver, [exported.path])
    assert outcome.status == "accepted", outcome.reason
    return exported.package_id


@pytest.fixture
def laptops(make_ctx, tmp_path):  # type: ignore[no-untyped-def]
    """中国フォーラム's two laptops (山田's and 鈴木's), each trusting the other."""
    yamada = make_ctx("chugoku", name="laptop1", user_name="山田")
    suzuki = make_ctx("chugoku", name="laptop2", user_name="鈴木")
    sync.add_trust(yamada, suzuki.public_key, ["chugoku"])
    sync.add_trust(suzuki, yamada.public_key, ["chugoku"])
    return yamada, suzuki


def open_history(qtbot, dialog):  # type: ignore[no-untyped-def]
    """Show the dialog's 変更履歴 tab and wait for the history to be read."""
    tabs = dialog.findChild(QTabWidget, "tabs")
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[-1] == "変更履歴", titles
    with qtbot.waitSignal(dialog.history.loaded, timeout=TIMEOUT):
        tabs.setCurrentIndex(tabs.count() - 1)
    assert dialog.history.isVisible()
    return dialog.history.lines()


def test_the_history_shows_the_local_creation_and_the_merged_update(qtbot, laptops, tmp_path):
    yamada, suzuki = laptops
    need = records.create(yamada, "needs", need_data())
    exchange(yamada, suzuki, tmp_path / "l1.jcimsync")
    records.update(suzuki, "needs", need.id, {"title": "河川堤防の点検", "status": "matching"})
    package = exchange(suzuki, yamada, tmp_path / "l2.jcimsync")

    dialog = show(qtbot, dialog_class("needs")(yamada, need.id))
    lines = open_history(qtbot, dialog)
    today = dt.date.today()
    (when, who, what), title, status, (_created_at, creator, created), *initial = lines
    assert who == "鈴木" and what == f"変更：中国フォーラムから受信・パッケージ {package[:8]}"
    assert title == ["", "", "技術テーマ: 橋梁点検 → 河川堤防の点検"]
    assert status == ["", "", "状況: 受付 → マッチング中"]
    assert (creator, created) == ("山田", "登録：この端末")
    # A record entered here lists the values it was entered with.
    assert ["", "", "技術テーマ: （なし） → 橋梁点検"] in initial and ["", "", "自治体: （なし） → 広島県福山市"] in initial
    assert when.startswith(f"令和{today.year - 2018}年{today.month}月{today.day}日")
    # The received change's tool tip has the whole package id and the sender's installation.
    tip = dialog.history.tree.topLevelItem(0).toolTip(2)
    assert package in tip and suzuki.installation_id in tip
    # A change saved while the dialog is open shows the next time the tab is shown.
    records.update(yamada, "needs", need.id, {"status": "resolved"})
    tabs = dialog.findChild(QTabWidget, "tabs")
    tabs.setCurrentIndex(0)
    with qtbot.waitSignal(dialog.history.loaded, timeout=TIMEOUT):
        tabs.setCurrentIndex(tabs.count() - 1)
    assert dialog.history.lines()[:2] == [[dialog.history.lines()[0][0], "山田", "変更：この端末"],
                                          ["", "", "状況: マッチング中 → 解決"]]
    dialog.discard_draft()


def test_every_kind_of_record_dialog_has_the_tab_but_a_new_record_has_none(qtbot, forum):
    from helpers import held_event

    event = held_event(forum, "中国フォーラム総会", dt.date(2024, 6, 10), ("呉市",))
    support = records.create(forum, "support_activities", {"kind": "visit", "on": "2024-06-01",
                                                           "lg_code": code("呉市")})
    for entity, record_id in (("events", event.id), ("support_activities", support.id)):
        dialog = show(qtbot, dialog_class(entity)(forum, record_id))
        tabs = dialog.findChild(QTabWidget, "tabs")
        assert tabs.tabText(0) == "基本情報"
        lines = open_history(qtbot, dialog)
        assert lines[0][1:] == ["テスト担当", "登録：この端末"]
        dialog.discard_draft()
    new = show(qtbot, dialog_class("needs")(forum))
    assert new.history is None and new.findChild(QTabWidget, "tabs") is None
    new.discard_draft()


def test_a_record_of_another_org_shows_its_history_read_only(qtbot, laptops, make_ctx, tmp_path):
    yamada, _suzuki = laptops
    secretariat = make_ctx("secretariat", user_name="佐藤")
    sync.add_trust(secretariat, yamada.public_key, ["chugoku"])
    need = records.create(yamada, "needs", need_data())
    package = exchange(yamada, secretariat, tmp_path / "p.jcimsync")
    dialog = show(qtbot, dialog_class("needs")(secretariat, need.id))
    assert dialog.read_only
    [[_when, who, what]] = open_history(qtbot, dialog)
    assert (who, what) == ("山田", f"登録：中国フォーラムから受信・パッケージ {package[:8]}")
    assert dialog.history.tree.isEnabled()


def test_the_history_tab_is_in_the_tab_order(qtbot, forum):
    need = records.create(forum, "needs", need_data())
    dialog = show(qtbot, dialog_class("needs")(forum, need.id))
    qtbot.waitUntil(lambda: ops.running() == 0)
    met = check_tab_order(qtbot, dialog)
    assert met[0] is dialog.history_tabs.tabBar()
    dialog.discard_draft()


def test_the_history_reads_in_english(qtbot, english, laptops, tmp_path):
    yamada, suzuki = laptops
    need = records.create(yamada, "needs", need_data())
    exchange(yamada, suzuki, tmp_path / "l1.jcimsync")
    records.update(suzuki, "needs", need.id, {"title": "河川堤防の点検"})
    package = exchange(suzuki, yamada, tmp_path / "l2.jcimsync")
    dialog = show(qtbot, dialog_class("needs")(yamada, need.id))
    tabs = dialog.findChild(QTabWidget, "tabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Basic information", "Change history"]
    with qtbot.waitSignal(dialog.history.loaded, timeout=TIMEOUT):
        tabs.setCurrentIndex(1)
    lines = dialog.history.lines()
    assert lines[0][1:] == ["鈴木", f"Changed: Received from Chugoku Forum, package {package[:8]}"]
    assert lines[1][2].endswith("橋梁点検 → 河川堤防の点検") and not lines[1][2].startswith("技術テーマ")
    assert lines[2][1:] == ["山田", "Created: This computer"]
    dialog.discard_draft()
