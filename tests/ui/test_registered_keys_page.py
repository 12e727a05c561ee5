"""The 同期 page's keys panel with the secretariat's registered keys (SYNC_FORMAT §4 trusted_keys):
at a forum, which keys came from the secretariat and which were added by hand, revoked keys greyed
with their date; at the secretariat, 鍵を登録… registers a laptop's key once and 失効… revokes it
from a date. Real installations exchanging real packages; the dialogs are driven as a person would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from helpers import NEED
from jcim_desktop.services import key_registry, records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.sync.dialogs import (
    AddTrustDialog,
    ImportPreviewDialog,
    RemoveRegisteredKeyDialog,
    RevokeKeyDialog,
    UntrustedKeyDialog,
)
from jcim_desktop.ui.pages.sync.models import REVOKED, TrustModel
from jcim_desktop.ui.pages.sync.page import SyncPage
from language_walk import japanese_outside_data, record_runs, visible_texts

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]
TIMEOUT = 20_000
SOURCE, REVOKED_ON = TrustModel.SOURCE, TrustModel.REVOKED


def when_shown(kind: type[QDialog], act: Callable[[QDialog], object], seen: list[QDialog]) -> None:
    """Run ``act`` on the first visible ``kind`` dialog not seen yet, as soon as it appears (it is modal)."""
    tries = [0]

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible() and widget not in seen:
                seen.append(widget)
                act(widget)
                return
        tries[0] += 1
        if tries[0] < 1000:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _page(qtbot, ctx: AppContext) -> SyncPage:  # type: ignore[no-untyped-def]
    page = SyncPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    return page


def _row(page: SyncPage, public_key: str) -> int:
    return next(i for i in range(page.trust_model.rowCount()) if page.trust_model.row_at(i).public_key == public_key)


def _cell(page: SyncPage, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return page.trust_model.index(row, column).data(role)


@pytest.fixture
def forum_with_registrations(make_ctx, tmp_path):  # type: ignore[no-untyped-def]
    """中国 trusts the secretariat by hand and has its national package: 関東 1台目 registered,
    関東 2台目 registered and revoked on 2024-07-10."""
    secretariat, chugoku = make_ctx("secretariat"), make_ctx("chugoku")
    kanto1, kanto2 = make_ctx("kanto", "kanto1"), make_ctx("kanto", "kanto2")
    sync.trust_key(chugoku, secretariat.public_key, [sync.ALL_ORGS], "事務局")
    sync.trust_key(secretariat, kanto1.public_key, ["kanto"], "関東フォーラム 1台目")
    sync.trust_key(secretariat, kanto2.public_key, ["kanto"], "関東フォーラム 2台目")
    key_registry.revoke_key(secretariat, kanto2.public_key, dt.date(2024, 7, 10))
    national = sync.export_package(secretariat, tmp_path / "national.jcimsync", scope="national").path
    (outcome,) = sync.import_packages(chugoku, [national])
    assert outcome.status == "accepted"
    return secretariat, chugoku, kanto1, kanto2


def test_a_forum_sees_which_keys_the_secretariat_registered(qtbot, qtmodeltester, forum_with_registrations):
    secretariat, chugoku, kanto1, kanto2 = forum_with_registrations
    page = _page(qtbot, chugoku)
    qtmodeltester.check(page.trust_model)
    assert page.trust_table.isVisibleTo(page) and page.trust_model.rowCount() == 3
    headers = [page.trust_model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.trust_model.columnCount())]
    assert headers == ["鍵ID", "書いてよい組織", "出所", "失効日", "登録日", "メモ"]

    own = _row(page, secretariat.public_key)
    assert [_cell(page, own, c) for c in (1, SOURCE, REVOKED_ON)] == ["すべての組織", "手動で追加", ""]
    first = _row(page, kanto1.public_key)
    assert [_cell(page, first, c) for c in (0, 1, SOURCE, REVOKED_ON)] == [
        sync.key_id(kanto1.public_key), "関東フォーラム", "事務局が登録（関東フォーラム 1台目）", ""]
    assert "事務局の鍵を信頼している" in str(_cell(page, first, SOURCE, Qt.ItemDataRole.ToolTipRole))
    assert _cell(page, first, 1, Qt.ItemDataRole.ForegroundRole) is None
    revoked = _row(page, kanto2.public_key)
    assert _cell(page, revoked, SOURCE) == "事務局が登録（関東フォーラム 2台目）"
    assert _cell(page, revoked, REVOKED_ON) == "令和6年7月10日"
    assert "受け付けません" in str(_cell(page, revoked, SOURCE, Qt.ItemDataRole.ToolTipRole))
    for column in range(page.trust_model.columnCount()):  # the whole row is greyed
        assert _cell(page, revoked, column, Qt.ItemDataRole.ForegroundRole) == REVOKED

    # A forum has no 失効…; it stops trusting only the keys it added by hand.
    assert not page.revoke_key_button.isVisibleTo(page) and page.add_key_button.text() == "鍵を追加…"
    page.trust_table.selectRow(first)
    assert not page.remove_key_button.isEnabled()
    page.trust_table.selectRow(own)
    assert page.remove_key_button.isEnabled()


def test_a_revoked_keys_package_is_refused_without_offering_to_trust_it(qtbot, monkeypatch, forum_with_registrations,
                                                                         tmp_path):
    _secretariat, chugoku, kanto1, kanto2 = forum_with_registrations
    records.create(kanto2, "needs", {**NEED, "title": "失効後のニーズ"})
    records.create(kanto1, "needs", {**NEED, "title": "関東1台目のニーズ"})
    refused = sync.export_package(kanto2, tmp_path / "kanto2.jcimsync").path
    accepted = sync.export_package(kanto1, tmp_path / "kanto1.jcimsync").path
    monkeypatch.setattr(UntrustedKeyDialog, "exec", lambda dialog: pytest.fail("no offer to trust a revoked key"))
    page = _page(qtbot, chugoku)
    seen: list[QDialog] = []
    # The preview of 関東 1台目's package is confirmed; 関東 2台目's never gets that far.
    when_shown(ImportPreviewDialog, lambda preview: preview.import_button.click(), seen)  # type: ignore[attr-defined]
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_files([refused, accepted])
    first, second = done.args[0]
    assert first.status == "rejected" and first.code == "revoked_key"
    assert second.status == "accepted"
    told = page.import_result.text()
    assert sync.key_id(kanto2.public_key) in told and "関東フォーラム 2台目" in told and "2024-07-10" in told
    assert "取り込めませんでした" in told and "取り込みました" in told
    ops.wait_for_all()


def test_the_secretariat_registers_a_key_once_and_revokes_it_from_a_date(qtbot, monkeypatch, secretariat, make_ctx,
                                                                         tmp_path):
    kanto2 = make_ctx("kanto", "kanto2")
    key_file = tmp_path / "kanto2.pub"
    key_file.write_text(kanto2.public_key + "\n", encoding="ascii")
    page = _page(qtbot, secretariat)
    assert page.add_key_button.text() == "鍵を登録…" and page.revoke_key_button.isVisibleTo(page)
    assert not page.revoke_key_button.isEnabled()
    assert "鍵を登録…" in page.trust_empty.text()

    told: dict[str, object] = {}
    seen: list[QDialog] = []

    def register(dialog: QDialog) -> None:
        assert isinstance(dialog, AddTrustDialog)
        told.update(title=dialog.windowTitle(), ok=dialog.ok_button.text())
        dialog.org_boxes["kanto"].setChecked(True)
        dialog.note_edit.setText("関東フォーラム 2台目")
        dialog.ok_button.click()

    when_shown(AddTrustDialog, register, seen)
    page.trust_key_file(key_file)
    assert told == {"title": "鍵を登録", "ok": "登録する"}
    (registration,) = key_registry.registrations(secretariat)
    assert registration.label == "関東フォーラム 2台目" and registration.orgs == ("kanto",)
    row = _row(page, kanto2.public_key)
    assert _cell(page, row, SOURCE) == "事務局が登録（関東フォーラム 2台目）"

    # 信頼をやめる on a registered key offers a revocation instead; 失効… asks for the date (today first).
    page.trust_table.selectRow(row)
    assert page.revoke_key_button.isEnabled() and page.remove_key_button.isEnabled()
    day = dt.date(2024, 7, 10)

    def revoke_instead(dialog: QDialog) -> None:
        assert isinstance(dialog, RemoveRegisteredKeyDialog)
        told.update(buttons=[dialog.revoke_button.text(), dialog.unregister_button.text()])
        when_shown(RevokeKeyDialog, choose_date, seen)
        dialog.revoke_button.click()

    def choose_date(dialog: QDialog) -> None:
        assert isinstance(dialog, RevokeKeyDialog)
        told.update(default=dialog.day(), key=dialog.key_label.text())
        dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
        dialog.revoke_button.click()

    when_shown(RemoveRegisteredKeyDialog, revoke_instead, seen)
    page.remove_key_button.click()
    assert told["buttons"] == ["失効させる…", "登録を取り消す"]
    assert told["default"] == key_registry.today() and told["key"] == sync.key_id(kanto2.public_key)
    (revoked,) = key_registry.registrations(secretariat)
    assert revoked.revoked_on == day
    row = _row(page, kanto2.public_key)
    assert _cell(page, row, REVOKED_ON) == "令和6年7月10日"
    assert _cell(page, row, 0, Qt.ItemDataRole.ForegroundRole) == REVOKED

    # 失効… again changes the date; キャンセル changes nothing.
    page.trust_table.selectRow(row)
    when_shown(RevokeKeyDialog, lambda dialog: dialog.cancel_button.click(), seen)  # type: ignore[attr-defined]
    page.revoke_key_button.click()
    assert key_registry.registrations(secretariat)[0].revoked_on == day


def test_the_keys_panel_speaks_english(qtbot, english, forum_with_registrations):
    _secretariat, chugoku, _kanto1, kanto2 = forum_with_registrations
    page = _page(qtbot, chugoku)
    page.resize(1024, 680)
    revoked = _row(page, kanto2.public_key)
    assert _cell(page, revoked, SOURCE) == "Registered by the secretariat (関東フォーラム 2台目)"
    headers = [page.trust_model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.trust_model.columnCount())]
    assert headers[2:4] == ["Source", "Revoked on"]
    panel = page.trust_table.parentWidget()
    texts = visible_texts(panel)
    assert any(text == "Registered by the secretariat (関東フォーラム 1台目)" for _where, text in texts)
    data = record_runs(chugoku) | {"事務局"}  # the note typed when the secretariat's key was trusted
    assert not japanese_outside_data(texts, data)
    tips = [str(_cell(page, row, SOURCE, Qt.ItemDataRole.ToolTipRole)) for row in range(page.trust_model.rowCount())]
    assert not japanese_outside_data([("tip", t) for t in tips], data)


def test_the_dialogs_speak_english_at_the_secretariat(qtbot, english, secretariat, make_ctx):
    kanto2 = make_ctx("kanto", "kanto2")
    trust = sync.trust_key(secretariat, kanto2.public_key, ["kanto"], "Kanto laptop 2")
    runs = record_runs(secretariat)
    for dialog in (AddTrustDialog(None, secretariat, kanto2.public_key), RevokeKeyDialog(None, trust),
                   RemoveRegisteredKeyDialog(None, trust)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert not japanese_outside_data(visible_texts(dialog), runs), type(dialog).__name__
    page = _page(qtbot, secretariat)
    assert page.add_key_button.text() == "Register key…" and page.revoke_key_button.text() == "Revoke…"

