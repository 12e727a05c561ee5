"""The sync, conflicts and national tally pages: export and import with a preview, rejections,
trust, gaps in what was received, conflicts resolved from the page, and the official KPI table."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QFileDialog, QLabel, QMessageBox, QScrollArea

from helpers import code
from jcim_desktop.domain.kpi import MATCHING_PARTS
from jcim_desktop.services import events, matchings, records, sync, targets
from jcim_desktop.services.changes import Changes
from jcim_desktop.ui import ops
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.national_tally import NationalTallyPage
from jcim_desktop.ui.pages.sync import conflicts as conflicts_module
from jcim_desktop.ui.pages.sync.conflicts import DIFFERENT, READ_ONLY_NOTE, ConflictsPage
from jcim_desktop.ui.pages.sync.dialogs import AddTrustDialog, ImportPreviewDialog, RemoveRegisteredKeyDialog
from jcim_desktop.ui.pages.sync.page import SyncPage
from jcim_desktop.ui.pages.sync.wording import missing_text

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]
TIMEOUT = 20_000
TODAY = dt.date.today()


def _need(ctx, title="橋梁点検の省力化", name="福山市", received=None):
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": title, "facility_types": ["bridge"], "requirements": "点検費用を抑えたい",
        "received_on": (received or TODAY).isoformat(), "status": "open",
        "contact": {"name": "山田 太郎", "department": "土木課", "email": "yamada@example.jp", "phone": None},
    })


def _event(ctx, title="中国フォーラム総会", owner=None):
    return records.create(ctx, "events", {
        "title": title, "event_type": "forum", "planned": events.planned_from_text("6月", 2024), "status": "held",
        "held_from": "2024-06-01", "held_to": "2024-06-01", "lg_codes": [code("広島市")], "counts_as_forum": True,
    }, owner=owner)


def _page(qtbot, ctx, bus=None) -> SyncPage:
    page = SyncPage(ctx, bus or ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    return page


def _save_dialog(monkeypatch, target: Path, seen: list[str]) -> None:
    def fake(parent, caption, directory, filter_="", *args, **kwargs):
        seen.append(directory)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def _export_through_page(qtbot, monkeypatch, page: SyncPage, target: Path, seen: list[str]):
    _save_dialog(monkeypatch, target, seen)
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as blocker:
        page.export_button.click()
    return blocker.args[0]


def _capture_messages(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    return shown


# Export and import ---------------------------------------------------------------------------------

def test_export_then_import_with_a_preview_writes_only_when_confirmed(qtbot, qtmodeltester, monkeypatch, forum,
                                                                       secretariat, tmp_path):
    need = _need(forum)
    _event(forum)
    page = _page(qtbot, forum)
    assert not page.scope_national.isVisibleTo(page)  # a forum exports its own records only
    page.contacts_box.setChecked(False)
    seen: list[str] = []
    result = _export_through_page(qtbot, monkeypatch, page, tmp_path / "中国から", seen)
    assert Path(seen[0]).name == f"jcim-chugoku-{TODAY:%Y%m%d}-第1号.jcimsync"
    assert result.path == tmp_path / "中国から.jcimsync" and result.path.exists()
    assert result.counts == {"events": 1, "needs": 1} and not result.includes_contacts
    assert "第1号" in page.export_result.text() and "担当者連絡先は含みません" in page.export_result.text()
    assert not list(tmp_path.glob(".*.tmp"))

    sync.add_trust(secretariat, forum.public_key, ["chugoku"], "中国フォーラム 事務用PC")
    bus = ChangeBus()
    changed: list[Changes] = []
    bus.changed.connect(changed.append)
    sec_page = _page(qtbot, secretariat, bus)
    previews: list[dict] = []

    def confirm(dialog: ImportPreviewDialog) -> int:
        qtmodeltester.check(dialog.model)
        previews.append({
            "counts": dialog.preview.counts.as_dict(),
            "needs_row": [dialog.model.index(r, c).data() for r in range(dialog.model.rowCount())
                          for c in range(5) if dialog.model.index(r, 0).data() == "自治体ニーズ"],
            "sender": dialog.sender_label.text(),
            "sequence": dialog.sequence_label.text(),
            "key": dialog.key_label.text(),
            "needs_before": records.count_records(secretariat, "needs"),
            "events_before": records.count_records(secretariat, "events"),
        })
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", confirm)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(result.path)], "")))
    with qtbot.waitSignal(sec_page.import_finished, timeout=TIMEOUT) as done:
        sec_page.import_button.click()

    (preview,) = previews
    assert preview["counts"] == {"inserted": 2, "updated": 0, "unchanged": 0, "conflicts": 0}
    assert preview["needs_row"] == ["自治体ニーズ", "1", "0", "0", "0"]
    assert preview["sender"].startswith("中国フォーラム") and "第1号" in preview["sequence"]
    assert "新しい号" in preview["sequence"] and preview["key"] == sync.keys.key_id(forum.public_key)
    assert preview["needs_before"] == 0 and preview["events_before"] == 0  # nothing before 取り込む

    (outcome,) = done.args[0]
    assert outcome.status == "accepted"
    stored = records.get(secretariat, "needs", need.id)
    assert stored["title"] == "橋梁点検の省力化" and stored.owner == "chugoku"
    assert stored["contact"] is None  # left out of the package unless asked for
    assert records.count_records(secretariat, "events") == 1
    (notice,) = changed  # one import, one change notice: the entities it merged, and the package log
    assert notice.entities == {"needs", "events", "received_packages"} and notice.kpis
    assert "取り込みました" in sec_page.import_result.text()
    qtmodeltester.check(sec_page.received_model)
    assert sec_page.received_model.index(0, 0).data() == "中国フォーラム"
    assert sec_page.received_model.index(0, 2).data() == "第1号"
    assert sec_page.received_model.index(0, 5).data() == ""
    assert sec_page.import_button.isEnabled()


def test_cancelling_the_preview_writes_nothing(qtbot, monkeypatch, forum, secretariat, tmp_path):
    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    page = _page(qtbot, secretariat)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_files([path])
    assert [o.status for o in done.args[0]] == ["cancelled"]
    assert records.count_records(secretariat, "needs") == 0
    assert sync.received_log(secretariat) == []
    assert "取りやめました" in page.import_result.text()


def test_a_tampered_package_is_refused_with_the_reason_and_writes_nothing(qtbot, monkeypatch, forum, secretariat,
                                                                          tmp_path):
    _need(forum)
    good = sync.export_package(forum, tmp_path / "good.jcimsync").path
    tampered = tmp_path / "tampered.jcimsync"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["sequence"] = 99
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
            dst.writestr(info.filename, data)
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    page = _page(qtbot, secretariat)
    shown = _capture_messages(monkeypatch)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: pytest.fail("a refused package has no preview"))
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_files([tampered])
    (outcome,) = done.args[0]
    assert outcome.status == "rejected" and outcome.code == "bad_signature"
    told = page.import_result.text()  # in the import panel, not in a message box
    assert shown == [] and "tampered.jcimsync" in told and "取り込めませんでした" in told
    assert "署名が一致しません" in told and "送り主に再送を依頼してください" in told
    assert "何も変更していません" in told
    assert records.count_records(secretariat, "needs") == 0 and sync.received_log(secretariat) == []


def test_a_package_taking_over_another_forums_record_is_refused_in_the_window(qtbot, monkeypatch, make_ctx, forum,
                                                                              secretariat, tmp_path):
    from handmade import envelope, key_of, write

    kinki = make_ctx("kinki")
    theirs = _need(kinki, "下水道管路の点検", name="京都市")
    sync.add_trust(secretariat, kinki.public_key, ["kinki"])
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    sync.import_packages(secretariat, [sync.export_package(kinki, tmp_path / "k.jcimsync").path])
    vv = {**theirs.vv, forum.installation_id: 1}
    hijack = {**envelope(theirs), "owner": "chugoku", "vv": vv, "hlc": f"{theirs.hlc[:13]}-00001-{forum.installation_id}",
              "data": {**theirs.data, "title": "乗っ取り"}}
    path = write(tmp_path / "hijack.jcimsync", key_of(forum), org="chugoku", installation=forum.installation_id,
                 files={"needs": [hijack]})
    page = _page(qtbot, secretariat)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: pytest.fail("a refused package has no preview"))
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_files([path])
    (outcome,) = done.args[0]
    assert outcome.code == "owner_change"
    told = page.import_result.text()
    assert "近畿フォーラム" in told and theirs.id in told and "何も変更していません" in told
    assert records.get(secretariat, "needs", theirs.id)["title"] == "下水道管路の点検"


def test_an_untrusted_key_is_explained(qtbot, monkeypatch, forum, secretariat, tmp_path):
    # Declining to trust the key leaves the reason in the import panel (the whole flow of trusting
    # it from there: tests/ui/test_untrusted_key_flow.py).
    from jcim_desktop.ui.pages.sync.dialogs import UntrustedKeyDialog

    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    page = _page(qtbot, secretariat)
    monkeypatch.setattr(UntrustedKeyDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT):
        page.import_files([path])
    told = page.import_result.text()
    assert "信頼していない鍵" in told and sync.keys.key_id(forum.public_key) in told
    assert "中国フォーラム" in told and "jcim-desktop" not in told
    assert records.count_records(secretariat, "needs") == 0


def test_the_secretariat_chooses_the_scope(qtbot, monkeypatch, secretariat, tmp_path):
    _event(secretariat, "革新的技術フォーラム シンポジウム", owner="innovative_tech")
    page = _page(qtbot, secretariat)
    assert page.scope_national.isVisibleTo(page) and page.export_scope() == "org"
    page.scope_national.setChecked(True)
    seen: list[str] = []
    result = _export_through_page(qtbot, monkeypatch, page, tmp_path / "全国配布", seen)
    assert Path(seen[0]).name == f"jcim-secretariat-全国-{TODAY:%Y%m%d}-第1号.jcimsync"
    assert result.scope == "national" and "全国（配布用）" in page.export_result.text()


def _clipped(root) -> list[str]:
    """Texts of ``root`` a person cannot read whole: cut labels and buttons, results needing a scroll bar."""
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text():
            continue
        if label.wordWrap():
            if label.height() + 1 < label.heightForWidth(label.width()):
                found.append(label.text())
        elif label.width() + 1 < label.sizeHint().width():
            found.append(label.text())
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root) and button.text() and button.width() + 1 < button.sizeHint().width():
            found.append(button.text())
    for area in root.findChildren(QScrollArea):
        if area.isVisibleTo(root) and area.verticalScrollBar().maximum() > 0:
            found.append(area.widget().findChild(QLabel).text() if area.widget().findChild(QLabel) else "?")
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_export_result_fits_the_smallest_window(qtbot, request, lang, secretariat, tmp_path):
    if lang == "en":
        request.getfixturevalue("english")
    _event(secretariat, "革新的技術フォーラム シンポジウム", owner="innovative_tech")
    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.resize(1024, 680)
    window.show()
    page = window.show_page("sync")
    page.scope_national.setChecked(True)  # the secretariat's export panel is the fullest
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as done:
        page.export_to(tmp_path / "全国配布のパッケージ.jcimsync", page.export_scope(), True)
    assert done.args[0] is not None
    qtbot.waitUntil(lambda: ops.running() == 0, timeout=TIMEOUT)
    QApplication.processEvents()
    assert window.size().toTuple() == (1024, 680)
    assert page.export_result.text() and not _clipped(page)


def test_a_cancelled_export_leaves_nothing_behind(qtbot, monkeypatch, forum, tmp_path):
    from jcim_desktop.sync import package

    _need(forum)
    _event(forum)
    monkeypatch.setattr(package, "_PROGRESS_EVERY", 1)  # a progress report after each record
    page = _page(qtbot, forum)
    before = sync.next_sequence(forum)
    def cancelled(progress: ops.Progress) -> None:  # Cancel pressed at once
        raise ops.Cancelled()

    monkeypatch.setattr(ops.Progress, "check", cancelled)
    out = tmp_path / "out"
    out.mkdir()
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as done:
        page.export_to(out / "p.jcimsync")
    assert done.args[0] is None
    assert not list(out.iterdir()) and sync.next_sequence(forum) == before  # the number is not used up
    assert "取りやめました" in page.export_result.text()


def test_an_export_that_cannot_be_written_is_told_in_the_export_panel(qtbot, monkeypatch, forum, tmp_path):
    _need(forum)
    page = _page(qtbot, forum)
    shown = _capture_messages(monkeypatch)
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as done:
        page.export_to(tmp_path / "no-such-folder" / "p.jcimsync")
    assert done.args[0] is None and shown == []
    assert "同期パッケージの書き出しができませんでした" in page.export_result.text()


# Trust and what was received -------------------------------------------------------------------------------

def test_trusted_keys_and_gaps_in_sequence_numbers(qtbot, qtmodeltester, monkeypatch, forum, secretariat, tmp_path):
    _need(forum)
    first = sync.export_package(forum, tmp_path / "1.jcimsync").path
    sync.export_package(forum, tmp_path / "2.jcimsync")
    sync.export_package(forum, tmp_path / "3.jcimsync")
    sync.export_package(forum, tmp_path / "4.jcimsync")
    fifth = sync.export_package(forum, tmp_path / "5.jcimsync").path
    key_file = tmp_path / "chugoku.pub"
    key_file.write_text(forum.public_key + "\n", encoding="ascii")

    page = _page(qtbot, secretariat)
    assert page.trust_empty.isVisibleTo(page) and page.received_empty.isVisibleTo(page)

    def choose(dialog: AddTrustDialog) -> int:
        assert not dialog.ok_button.isEnabled()  # no org chosen yet
        dialog.org_boxes["chugoku"].setChecked(True)
        dialog.note_edit.setText("中国フォーラム 事務用PC")
        assert dialog.orgs() == ["chugoku"]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddTrustDialog, "exec", choose)
    page.trust_key_file(key_file)
    qtmodeltester.check(page.trust_model)
    assert page.trust_model.rowCount() == 1
    # At the secretariat, adding a key registers it under the name given (SYNC_FORMAT §4).
    assert [page.trust_model.index(0, c).data() for c in (0, 1, 2)] == [
        sync.keys.key_id(forum.public_key), "中国フォーラム", "事務局が登録（中国フォーラム 事務用PC）"]

    sync.import_packages(secretariat, [first, fifth])
    page.refresh()
    qtmodeltester.check(page.received_model)
    assert page.received_model.index(0, 2).data() == "第5号"
    assert page.received_model.index(0, 1).data() == forum.installation_id[:8]
    assert page.received_model.index(0, 5).data() == "第2～4号が届いていません（全件の写しなので失われたデータはありません）"
    assert missing_text(((2, 2), (4, 4))) == "第2・4号が届いていません（全件の写しなので失われたデータはありません）"
    assert missing_text(((2, 2**40 - 1),)).startswith("第2～1,099,511,627,775号（1,099,511,627,774号分）が届いていません")
    assert "計 1 件" in page.received_model.index(0, 4).data()

    page.trust_table.selectRow(0)
    # A registered key is revoked rather than removed; withdrawing the registration removes it.
    monkeypatch.setattr(RemoveRegisteredKeyDialog, "exec", lambda dialog: dialog.unregister_button.click())
    page.remove_key_button.click()
    assert sync.list_trust(secretariat) == [] and page.trust_model.rowCount() == 0


def test_a_file_that_is_not_a_key_is_explained(qtbot, monkeypatch, secretariat, tmp_path):
    bad = tmp_path / "memo.txt"
    bad.write_text("これは鍵ではありません", encoding="utf-8")
    page = _page(qtbot, secretariat)
    shown = _capture_messages(monkeypatch)
    monkeypatch.setattr(AddTrustDialog, "exec", lambda dialog: pytest.fail("no dialog for a bad key"))
    page.trust_key_file(bad)
    assert shown == [] and page.key_message.isVisibleTo(page)  # told in the keys panel
    assert "公開鍵のファイルではない" in page.key_message.text() and sync.list_trust(secretariat) == []


def test_dropping_packages_on_the_window_starts_the_import(qtbot, monkeypatch, secretariat, tmp_path):
    window = MainWindow(secretariat)
    qtbot.addWidget(window)
    window.show()
    received: list[list[Path]] = []
    monkeypatch.setattr(SyncPage, "import_files", lambda self, paths: received.append(list(paths)))
    package = tmp_path / "中国.jcimsync"
    package.write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(package)), QUrl.fromLocalFile(str(tmp_path / "memo.txt"))])
    assert window.acceptDrops()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "memo.txt"))])
    refused = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, other, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, refused)
    assert not refused.isAccepted()
    enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: bool(received), timeout=TIMEOUT)
    assert received == [[package]]
    assert window.current_page().page_id == "sync"
    ops.wait_for_all()


# Conflicts -----------------------------------------------------------------------------------------------

@pytest.fixture
def concurrent(make_ctx, forum, tmp_path):
    """The same need edited on two installations of 中国フォーラム before they exchanged packages."""
    other = make_ctx("chugoku", name="b")
    sync.add_trust(other, forum.public_key, ["chugoku"])
    sync.add_trust(forum, other.public_key, ["chugoku"])
    need = _need(forum, "河川堤防の変状把握")
    sync.import_packages(other, [sync.export_package(forum, tmp_path / "a1.jcimsync").path])
    records.update(forum, "needs", need.id, {"title": "河川堤防の変状把握（Aで修正）"})
    records.update(other, "needs", need.id, {"title": "河川堤防の変状把握（Bで修正）", "status": "matching"})
    a2 = sync.export_package(forum, tmp_path / "a2.jcimsync").path
    b1 = sync.export_package(other, tmp_path / "b1.jcimsync").path
    (outcome,) = sync.import_packages(forum, [b1])
    assert outcome.counts.conflicts == 1
    return forum, other, need, a2, b1


def test_a_conflict_is_listed_compared_and_resolved_by_adopting_a_version(qtbot, qtmodeltester, monkeypatch,
                                                                          concurrent):
    forum, _other, need, _a2, _b1 = concurrent
    page = ConflictsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activate()
    qtmodeltester.check(page.list_model)
    qtmodeltester.check(page.versions_model)
    assert page.stack.currentIndex() == 1 and page.list_model.rowCount() == 1
    row = [page.list_model.index(0, c).data() for c in range(5)]
    assert row[0] == "自治体ニーズ" and row[2] == "中国" and row[3] == "2"
    assert "技術テーマ" in row[4] and "状況" in row[4]

    model = page.versions_model
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    title_row, lg_row = labels.index("技術テーマ"), labels.index("自治体")
    assert model.data(model.index(title_row, 0), Qt.ItemDataRole.BackgroundRole) == DIFFERENT
    assert model.data(model.index(lg_row, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(lg_row, 0).data() == "広島県福山市"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert sum("現在の内容" in h for h in headers) == 1
    assert any("この端末" in h for h in headers)
    titles = [model.index(title_row, c).data() for c in range(model.columnCount())]
    assert set(titles) == {"河川堤防の変状把握（Aで修正）", "河川堤防の変状把握（Bで修正）"}
    assert page.edit_button.isEnabled() and all(b.isEnabled() for b in page.adopt_buttons)

    asked: list[str] = []
    monkeypatch.setattr(conflicts_module, "ask", lambda parent, title, text, yes, no: asked.append(text) or True)
    chosen = titles.index("河川堤防の変状把握（Aで修正）")
    notices: list[Changes] = []
    page.bus.changed.connect(notices.append)
    page.adopt_buttons[chosen].click()
    assert asked
    assert notices == [Changes.records("needs", [need.id])]  # one notice: this record of this entity
    stored = records.get(forum, "needs", need.id)
    assert stored["title"] == "河川堤防の変状把握（Aで修正）" and stored["status"] == "open"
    assert sync.conflicts(forum) == []
    assert page.stack.currentIndex() == 0 and page.list_model.rowCount() == 0


def test_a_resolution_reaches_the_other_installation(qtbot, monkeypatch, concurrent, tmp_path):
    forum, other, need, a2, _b1 = concurrent
    sync.import_packages(other, [a2])
    assert len(sync.conflicts(other)) == 1
    page = ConflictsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    monkeypatch.setattr(conflicts_module, "ask", lambda *a: True)
    assert page.adopt_version(0)
    sync.import_packages(other, [sync.export_package(forum, tmp_path / "a3.jcimsync").path])
    assert sync.conflicts(other) == []
    assert records.get(other, "needs", need.id)["title"] == records.get(forum, "needs", need.id)["title"]


def test_another_orgs_conflict_is_read_only(qtbot, make_ctx, concurrent, secretariat):
    forum, other, _need_record, a2, b1 = concurrent
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    sync.add_trust(secretariat, other.public_key, ["chugoku"])
    sync.import_packages(secretariat, [a2, b1])
    page = ConflictsPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    assert page.list_model.rowCount() == 1
    assert page.detail_note.text() == READ_ONLY_NOTE
    assert not page.edit_button.isEnabled() and not any(b.isEnabled() for b in page.adopt_buttons)
    assert not page.adopt_version(0)


def test_no_conflicts_shows_a_friendly_empty_state(qtbot, qtmodeltester, forum):
    page = ConflictsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    assert page.stack.currentIndex() == 0
    qtmodeltester.check(page.list_model)
    qtmodeltester.check(page.versions_model)


# National tally -------------------------------------------------------------------------------------------

def test_national_tally_page_shows_the_official_table_and_the_breakdown(qtbot, qtmodeltester, forum, secretariat,
                                                                        tmp_path):
    need = _need(forum, received=dt.date(2024, 5, 1))
    _event(forum)
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                           "facility_types": ["bridge"]})
    matchings.create_matching(forum, need.id, seed.id, considered_on=dt.date(2024, 6, 1))
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    sync.import_packages(secretariat, [sync.export_package(forum, tmp_path / "p.jcimsync").path])
    _event(secretariat, "革新的技術フォーラム シンポジウム", owner="innovative_tech")
    targets.set_target(secretariat, 2024, "matching_total", 200)

    page = NationalTallyPage(secretariat, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1090, 740)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.fy_combo.setCurrentIndex(page.fy_combo.findData(2024))
    qtmodeltester.check(page.official_model)
    qtmodeltester.check(page.by_org_model)
    model = page.official_model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert [label for label in labels if label in ("総合計", "全国フォーラム小計", "地方フォーラム小計")] == [
        "総合計", "全国フォーラム小計", "地方フォーラム小計"]
    assert page.official_view.columnSpan(labels.index("総合計"), 0) == model.columnCount()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "項目", "KPI", "数", "目標", "達成率", "KPI内容説明"]
    total_rows = model.rows[: labels.index("全国フォーラム小計")]
    parts = [r for r in total_rows if r.kpi in MATCHING_PARTS]
    assert [r.label for r in parts] == ["マッチング検討数", "マッチング成立数", "現場試行数", "社会実装数"]
    matching_row = next(i for i, r in enumerate(model.rows) if r.kpi == "matching_total")
    assert [model.index(matching_row, c).data() for c in (1, 2, 3, 4)] == ["●", "1", "200", "0.5%"]
    first_part = model.rows.index(parts[0])
    assert model.index(first_part, 0).data().strip().endswith("マッチング検討数")
    assert model.index(first_part, 0).data() != "マッチング検討数"  # indented
    plain = [label.lstrip("　└ ") for label in labels]
    assert "支援自治体数（実数）" in plain and "地方フォーラム実施数" in plain
    assert "市区町村長会議への参画率" in plain and "行政会員 加入率" in plain

    by_org = page.by_org_model
    org_labels = [by_org.index(r, 0).data().strip() for r in range(by_org.rowCount())]
    assert "中国フォーラム" in org_labels and org_labels[-1] == "総合計"
    chugoku = org_labels.index("中国フォーラム")
    forums_col = by_org.column_of("forums_held")
    assert by_org.index(chugoku, forums_col).data() == "1"
    assert by_org.index(len(org_labels) - 1, forums_col).data() == "2"

    # Every figure opens the records behind it: a forum's cell, the 総合計 cell, an official row.
    from jcim_desktop.services.tally import explain
    from jcim_desktop.ui.explain_dialog import ExplainDialog

    def opened_by(view, index):  # type: ignore[no-untyped-def]
        before = set(page.findChildren(ExplainDialog))
        view.activated.emit(index)
        [dialog] = set(page.findChildren(ExplainDialog)) - before
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.explained is not None, timeout=TIMEOUT)
        return dialog

    one = opened_by(page.by_org_view, by_org.index(chugoku, forums_col))
    assert one.record_ids() == [r["id"] for r in explain(secretariat, 2024, "forums_held", "chugoku")["records"]]
    assert len(one.record_ids()) == 1
    both = opened_by(page.by_org_view, by_org.index(len(org_labels) - 1, forums_col))
    assert sorted(r["owner"] for r in both.explained["records"]) == ["chugoku", "innovative_tech"]
    official = opened_by(page.official_view, model.index(matching_row, 2))
    assert official.record_ids() == [r["id"] for r in explain(secretariat, 2024, "matching_total")["records"]]


def test_adopting_a_version_from_a_package_without_contacts_keeps_the_contact(qtbot, monkeypatch, make_ctx, forum,
                                                                              tmp_path):
    """Issue 9's data-loss case, on the page: the contact is not a difference and survives adoption."""
    contact = {"name": "福山 太郎", "department": "土木課", "email": "taro@example.jp", "phone": None}
    other = make_ctx("chugoku", name="b")
    sync.add_trust(other, forum.public_key, ["chugoku"])
    sync.add_trust(forum, other.public_key, ["chugoku"])
    need = records.create(forum, "needs", {"lg_code": code("福山市"), "title": "河川堤防の変状把握",
                                           "facility_types": ["river"], "requirements": "車両が入れない区間",
                                           "received_on": "2024-05-10", "status": "open", "contact": contact})
    sync.import_packages(other, [sync.export_package(forum, tmp_path / "a1.jcimsync", include_contacts=True).path])
    records.update(other, "needs", need.id, {"status": "matching"})
    records.update(forum, "needs", need.id, {"title": "河川堤防の変状把握（Aで修正）"})  # later: A's stays current
    (outcome,) = sync.import_packages(forum, [sync.export_package(other, tmp_path / "b1.jcimsync").path])
    assert outcome.counts.conflicts == 1

    page = ConflictsPage(forum, ChangeBus())
    qtbot.addWidget(page)
    page.resize(1024, 680)
    page.show()
    page.activate()
    assert "担当者連絡先" not in page.list_model.index(0, 4).data()
    model = page.versions_model
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    contact_row, status_row = labels.index("担当者連絡先"), labels.index("状況")
    cells = [model.index(contact_row, c).data() for c in range(model.columnCount())]
    assert any("福山 太郎" in cell for cell in cells)
    assert any("含まれていません" in cell or "この版にはなし" in cell for cell in cells)
    assert all(model.data(model.index(contact_row, c), Qt.ItemDataRole.BackgroundRole) is None
               for c in range(model.columnCount()))
    statuses = [model.index(status_row, c).data() for c in range(model.columnCount())]
    monkeypatch.setattr(conflicts_module, "ask", lambda *a: True)
    page.adopt_buttons[statuses.index("マッチング中")].click()
    stored = records.get(forum, "needs", need.id)
    assert stored["status"] == "matching" and stored["contact"] == contact
    assert sync.conflicts(forum) == []
