"""The matching board, the municipality master and the KPI targets pages."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from helpers import code
from jcim_desktop.services import master, matchings, records, targets
from jcim_desktop.services.changes import Changes
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.fmt import current_fiscal_year
from jcim_desktop.ui.pages.master import MunicipalityMasterPage
from jcim_desktop.ui.pages.matchings import MatchingsPage
from jcim_desktop.ui.pages.targets import TargetsPage

pytestmark = pytest.mark.gui
TODAY = dt.date.today()


def _pairing(ctx, title: str, considered: dt.date):
    need = records.create(ctx, "needs", {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"],
                                         "requirements": "安価に", "received_on": considered.isoformat(),
                                         "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                         "facility_types": ["bridge"]})
    return matchings.create_matching(ctx, need.id, seed.id, considered_on=considered)


@pytest.fixture
def board(qtbot, forum):
    page = MatchingsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    return page


def test_board_places_pairings_in_their_column_with_counts(qtbot, forum, board):
    a = _pairing(forum, "橋梁点検の省力化", TODAY)
    b = _pairing(forum, "河川堤防の変状把握", TODAY)
    matchings.advance_stage(forum, b.id, "established", TODAY)
    board.show()
    with qtbot.waitSignal(board.loaded, timeout=10000):
        board.activate()
    assert board.lists["considered"].count() == 1
    assert board.lists["established"].count() == 1
    assert "橋梁点検の省力化" in board.lists["considered"].item(0).text()
    assert board.headers["established"].text().endswith("1")
    assert "検討 2" in board.summary.text() and "成立 1" in board.summary.text()
    assert a.id in board._cards


def test_moving_a_pairing_to_the_next_stage_records_the_date(qtbot, forum, board):
    pairing = _pairing(forum, "トンネル覆工の打音検査", TODAY)
    board.show()
    with qtbot.waitSignal(board.loaded, timeout=10000):
        board.activate()
    changed: list[Changes] = []
    board.bus.changed.connect(changed.append)
    board.lists["considered"].setCurrentRow(0)
    assert board.advance_button.isEnabled()
    # The board is visible: the change notice reloads it, no refresh by hand.
    with qtbot.waitSignal(board.loaded, timeout=10000):
        board.move_to_stage(pairing.id, "established", TODAY, "ピッチイベントで成立")
    stages = records.get(forum, "matchings", pairing.id)["stages"]
    assert stages[-1] == {"stage": "established", "on": TODAY.isoformat(), "note": "ピッチイベントで成立"}
    assert [c.entities for c in changed] == [frozenset({"matchings"})] and changed[0].kpis
    assert board.lists["established"].count() == 1 and board.lists["considered"].count() == 0


def test_a_trial_registered_from_a_pairing_starts_linked_and_planned(qtbot, forum, board, monkeypatch):
    pairing = _pairing(forum, "橋梁の長寿命化", TODAY)
    matchings.advance_stage(forum, pairing.id, "established", TODAY)
    opened: list[dict] = []
    monkeypatch.setattr("jcim_desktop.ui.dialogs.open_record_dialog",
                        lambda parent, ctx, entity, **kw: opened.append({"entity": entity, **kw}))
    board.show()
    with qtbot.waitSignal(board.loaded, timeout=10000):
        board.activate()
    board.select_card(pairing.id)
    assert board.trial_button.isEnabled()
    board.register_trial()
    need = records.get(forum, "matchings", pairing.id)["need_id"]
    assert opened[0]["entity"] == "trials"
    assert opened[0]["template"] == {"matching_id": pairing.id, "status": "planned", "need_id": need,
                                     "seed_id": records.get(forum, "matchings", pairing.id)["seed_id"],
                                     "lg_code": code("福山市")}


def test_an_impossible_move_is_explained_and_nothing_changes(qtbot, forum, board, monkeypatch):
    pairing = _pairing(forum, "下水道管路の調査", TODAY)
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a: shown.append(a[2]))
    board.move_to_stage(pairing.id, "implemented", TODAY)
    assert shown and "社会実装" in shown[0]
    assert len(records.get(forum, "matchings", pairing.id)["stages"]) == 1


def test_trial_template_copies_what_the_pairing_holds(forum):
    pairing = _pairing(forum, "舗装の劣化診断", TODAY)
    template = matchings.trial_template(forum, pairing.id)
    assert template["matching_id"] == pairing.id and template["status"] == "planned"
    assert template["lg_code"] == code("福山市") and "pitch_event_id" not in template  # only what it holds
    assert matchings.trial_template(forum, "no-such-matching") == {"matching_id": "no-such-matching",
                                                                   "status": "planned"}


def test_master_models_pass_the_model_tester(qtbot, qtmodeltester, secretariat):
    page = MunicipalityMasterPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.rates_model)


def test_secretariat_ticks_a_flag_and_the_rates_follow(qtbot, secretariat):
    page = MunicipalityMasterPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    page.search.setText("ふくやま")
    assert page.model.rowCount() == 1 and page.model.rows[0].name == "福山市"
    index = page.model.index(0, 5)
    assert page.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    changed: list[Changes] = []
    page.bus.changed.connect(changed.append)
    assert page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert master.statuses(secretariat)[code("福山市")] == (False, True)
    assert "市区町村長会議 1 / 1,741" in page.totals.text()
    assert len(changed) == 1 and changed[0].touches("municipality_status") and changed[0].kpis


def test_a_flag_ticked_on_the_master_page_refreshes_the_dashboard(qtbot, secretariat):
    from jcim_desktop.ui.main_window import MainWindow

    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.show_page("dashboard")
    qtbot.waitUntil(lambda: getattr(dashboard, "board", None) is not None and ops.running() == 0, timeout=20000)
    before = dashboard.board.card("mayors_council_rate").value
    page = window.show_page("municipalities")
    page.search.setText("ふくやま")
    assert page.model.setData(page.model.index(0, 5), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    # Nobody refreshes by hand: the tick's change notice made the dashboard stale.
    with qtbot.waitSignal(dashboard.loaded, timeout=20000):
        window.show_page("dashboard")
    assert dashboard.board.card("mayors_council_rate").value > before
    ops.wait_for_all()


def test_a_forum_sees_the_master_read_only(qtbot, forum):
    page = MunicipalityMasterPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    assert page.pref_combo.currentText() == "鳥取県"  # its own block first
    index = page.model.index(0, 4)
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert not page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)


def test_targets_are_entered_as_people_write_them(qtbot, qtmodeltester, secretariat):
    page = TargetsPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    qtmodeltester.check(page.model)
    fy = current_fiscal_year()
    rate_row = [k.code for k in __import__("jcim_desktop.domain.kpi", fromlist=["KPIS"]).KPIS].index("mayors_council_rate")
    assert page.model.setData(page.model.index(rate_row, 1), "70%")
    assert targets.targets_for(secretariat, fy)["mayors_council_rate"] == pytest.approx(0.7)
    assert page.model.data(page.model.index(rate_row, 1)) == "70.0%"
    assert not page.model.setData(page.model.index(0, 1), "三百")
    assert "数値" in page.error.text()


def test_a_target_set_is_announced(qtbot, secretariat):
    page = TargetsPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    changed: list[Changes] = []
    page.bus.changed.connect(changed.append)
    assert page.model.setData(page.model.index(0, 1), "12")
    assert len(changed) == 1 and changed[0].touches("kpi_targets") and changed[0].kpis
    ops.wait_for_all()


def test_a_forum_cannot_set_targets_and_is_told_why(qtbot, forum):
    page = TargetsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    assert not page.model.setData(page.model.index(0, 1), "12")
    assert "事務局" in page.error.text()


def test_a_column_shows_the_newest_cards_and_says_how_many_more(qtbot, forum, board, monkeypatch):
    """At a secretariat's scale a year holds thousands of pairings: a column lays out a bounded
    number of card widgets (newest first) and says how many it leaves out."""
    from jcim_desktop.ui.pages import matchings as page_module

    monkeypatch.setattr(page_module, "CARDS_SHOWN", 2)
    first = TODAY - dt.timedelta(days=3)
    for n in range(3):
        _pairing(forum, f"点検 {n}", first + dt.timedelta(days=n))
    board.refresh()
    column = board.lists["considered"]
    qtbot.waitUntil(lambda: column.count() == 2)
    assert [w.card.stage_on for w in column.cards] == [first + dt.timedelta(days=2), first + dt.timedelta(days=1)]
    assert column.more.isVisibleTo(board) and "ほか 1 件" in column.more.text()
    assert "3" in board.headers["considered"].text()  # the header counts them all
    monkeypatch.setattr(page_module, "CARDS_SHOWN", 100)
    board.refresh()
    qtbot.waitUntil(lambda: column.count() == 3)
    assert not column.more.isVisibleTo(board)


def test_a_long_column_places_its_first_cards_at_once_and_the_rest_after_the_paint(qtbot, forum, board, monkeypatch):
    """A full board (hundreds of cards) is painted with the first cards of each column; the rest
    follow a few at a time, newest first, the selection kept on a card placed later."""
    from jcim_desktop.ui.pages import matchings as page_module

    monkeypatch.setattr(page_module, "FIRST_CARDS", 2)
    monkeypatch.setattr(page_module, "PLACE_LATER", 2)
    monkeypatch.setattr(page_module, "CARDS_SHOWN", 5)
    first = TODAY - dt.timedelta(days=10)
    for n in range(6):
        _pairing(forum, f"点検 {n}", first + dt.timedelta(days=n))
    column = board.lists["considered"]
    board.show()
    with qtbot.waitSignal(board.loaded, timeout=10000):
        board.activate()
    assert column.count() == 2  # painted with the newest two
    qtbot.waitUntil(lambda: column.count() == 5)
    assert [w.card.stage_on for w in column.cards] == [first + dt.timedelta(days=n) for n in (5, 4, 3, 2, 1)]
    assert column.more.isVisibleTo(board) and "ほか 1 件" in column.more.text()
    assert column.box.indexOf(column.more) > column.box.indexOf(column.cards[-1])  # under the last card


def test_a_board_read_ahead_is_shown_at_once_and_a_change_meanwhile_drops_it(qtbot, forum, board, monkeypatch):
    """After the start the window reads the board ahead (``prepare``): the first showing places
    those cards without reading again; a change to the records in between is not hidden by it."""
    from jcim_desktop.services import matchings as service

    _pairing(forum, "点検 A", TODAY)
    board.prepare()
    qtbot.waitUntil(lambda: board._ahead is not None)
    reads: list[int] = []
    real = service.board
    monkeypatch.setattr(service, "board", lambda *a, **k: reads.append(1) or real(*a, **k))
    board.show()
    board.activate()
    assert board.lists["considered"].count() == 1 and reads == []  # shown at once, nothing read again

    other = MatchingsPage(forum, ChangeBus())
    qtbot.addWidget(other)
    other.prepare()
    qtbot.waitUntil(lambda: other._ahead is not None)
    _pairing(forum, "点検 B", TODAY)
    other.bus.changed.emit(Changes.records("matchings"))
    reads.clear()
    other.show()
    with qtbot.waitSignal(other.loaded, timeout=10000):
        other.activate()
    assert other.lists["considered"].count() == 2 and reads == [1]  # read again: the change is shown


def test_a_board_closed_while_its_cards_are_still_being_placed_places_nothing_more(qtbot, forum, monkeypatch):
    """The cards placed after the paint belong to the page: once it is gone (the window closed),
    nothing is placed into what is left of it."""
    from PySide6.QtCore import QTimer

    from jcim_desktop.ui.pages import matchings as page_module

    monkeypatch.setattr(page_module, "FIRST_CARDS", 1)
    for n in range(3):
        _pairing(forum, f"点検 {n}", TODAY - dt.timedelta(days=n))
    page = MatchingsPage(forum, ChangeBus())
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.activate()
    assert page.lists["considered"].count() == 1  # the rest still to be placed
    page.deleteLater()
    later = {"done": False}
    QTimer.singleShot(page_module.PLACE_PAUSE_MS + 50, lambda: later.update(done=True))  # after the placement's turn
    qtbot.waitUntil(lambda: later["done"], timeout=10000)  # an exception in the event loop fails the test
