"""The 同期 page's encrypted export (SYNC_FORMAT §7): with contacts, encryption to the
secretariat is on by default and turning it off needs a confirmation; without a known recipient
the page says how to get one; recipients are added by hand; 設定 shows this installation's
recipient; an encrypted package is imported with its preview."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from helpers import code
from jcim_desktop.services import encryption, records, sync
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.pages.sync.dialogs import ImportPreviewDialog
from jcim_desktop.ui.pages.sync.page import SyncPage
from jcim_desktop.ui.pages.sync.recipients import RecipientsDialog
from jcim_desktop.ui.settings_dialog import SettingsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]
TIMEOUT = 20_000
QUESTION = "連絡先（個人情報）を暗号化せずに書き出します。よろしいですか？"
CONTACT = {"name": "瀬戸内 花子", "department": "道路維持課", "email": "hanako.setouchi@city.example.jp",
           "phone": "084-928-1234"}


def _need(ctx):
    return records.create(ctx, "needs", {
        "lg_code": code("福山市"), "title": "橋梁点検の省力化", "facility_types": ["bridge"],
        "requirements": "点検費用を抑えたい", "received_on": "2024-05-10", "status": "open", "contact": CONTACT,
    })


def _page(qtbot, ctx) -> SyncPage:
    page = SyncPage(ctx, ChangeBus())
    qtbot.addWidget(page)
    page.activate()
    return page


class Answers:
    """QMessageBox.question, answered as a person would, remembering what was asked."""

    def __init__(self, monkeypatch, answer: bool) -> None:
        self.asked: list[str] = []
        self.answer = answer
        monkeypatch.setattr(QMessageBox, "question", staticmethod(self._ask))

    def _ask(self, parent, title, text, *args, **kwargs):
        self.asked.append(text)
        return QMessageBox.StandardButton.Yes if self.answer else QMessageBox.StandardButton.No


def _save_as(monkeypatch, target: Path) -> list[tuple[str, str]]:
    asked: list[tuple[str, str]] = []

    def fake(parent, caption, directory, filter_="", *args, **kwargs):
        asked.append((directory, filter_))
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _export(qtbot, page: SyncPage):
    with qtbot.waitSignal(page.export_finished, timeout=TIMEOUT) as blocker:
        page.export_button.click()
    return blocker.args[0]


@pytest.fixture
def known(forum, secretariat):
    """A forum that knows the secretariat's recipient (as its national package brings it)."""
    _need(forum)
    encryption.add_recipient(forum, encryption.own_recipient(secretariat), org="secretariat")
    return forum, secretariat


def test_with_contacts_encryption_to_the_secretariat_is_on_by_default(qtbot, monkeypatch, known, tmp_path):
    forum, secretariat = known
    page = _page(qtbot, forum)
    page.contacts_box.setChecked(False)
    assert not page.encrypt_box.isEnabled() and not page.encrypt_box.isChecked()
    assert not page.encrypt_note.isVisibleTo(page)

    page.contacts_box.setChecked(True)
    assert page.encrypt_box.isEnabled() and page.encrypt_box.isChecked()
    assert page.encrypt_box.text() == "暗号化する（事務局宛て）"
    assert "事務局の端末（1 台）だけが開ける" in page.encrypt_note.text()

    asked = _save_as(monkeypatch, tmp_path / "中国から")
    result = _export(qtbot, page)
    assert asked[0][0].endswith("号.jcimsync.age") and "*.jcimsync.age" in asked[0][1]
    assert result.path == tmp_path / "中国から.jcimsync.age"
    assert result.encrypted_to == (encryption.own_recipient(secretariat),)
    blob = result.path.read_bytes()
    assert blob.startswith(b"age-encryption.org/v1\n")
    assert CONTACT["email"].encode() not in blob and CONTACT["name"].encode() not in blob
    assert "暗号化しました" in page.export_result.text()

    # The secretariat opens it; another installation could not (tests/sync/test_age_packages.py).
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    (outcome,) = sync.import_packages(secretariat, [result.path])
    assert outcome.status == "accepted", outcome.reason


def test_turning_encryption_off_needs_a_confirmation(qtbot, monkeypatch, known, tmp_path):
    forum, _ = known
    page = _page(qtbot, forum)
    page.contacts_box.setChecked(True)
    answers = Answers(monkeypatch, answer=False)
    page.encrypt_box.click()
    assert answers.asked == [QUESTION]
    assert page.encrypt_box.isChecked()  # declined: it stays on

    answers.answer = True
    page.encrypt_box.click()
    assert answers.asked == [QUESTION, QUESTION]
    assert not page.encrypt_box.isChecked()
    assert "暗号化せずに書き出します" in page.encrypt_note.text()

    _save_as(monkeypatch, tmp_path / "平文.jcimsync")
    result = _export(qtbot, page)
    assert len(answers.asked) == 2  # confirmed once already: not asked again
    assert result.includes_contacts and not result.encrypted_to
    with zipfile.ZipFile(result.path) as zf:
        assert CONTACT["email"] in zf.read("records/needs.jsonl").decode()

    # Untick the contacts, tick them again: encryption is back on by default.
    page.contacts_box.setChecked(False)
    page.contacts_box.setChecked(True)
    assert page.encrypt_box.isChecked()


def test_without_a_recipient_the_page_says_how_to_get_one_and_asks_before_a_plain_export(
        qtbot, monkeypatch, forum, tmp_path):
    _need(forum)
    page = _page(qtbot, forum)
    page.contacts_box.setChecked(True)
    assert not page.encrypt_box.isEnabled() and not page.encrypt_box.isChecked()
    note = page.encrypt_note.text()
    assert "事務局の受信者" in note and "全国パッケージを取り込む" in note and "「宛先…」" in note

    answers = Answers(monkeypatch, answer=False)
    asked = _save_as(monkeypatch, tmp_path / "p.jcimsync")
    page.export_button.click()
    assert answers.asked == [QUESTION] and asked == []  # declined: no file chosen, nothing written
    assert not (tmp_path / "p.jcimsync").exists() and sync.next_sequence(forum) == 1

    answers.answer = True
    result = _export(qtbot, page)
    assert answers.asked == [QUESTION, QUESTION]
    assert result.path == tmp_path / "p.jcimsync" and result.includes_contacts and not result.encrypted_to

    # Without contacts nothing is asked.
    page.contacts_box.setChecked(False)
    _save_as(monkeypatch, tmp_path / "q.jcimsync")
    _export(qtbot, page)
    assert len(answers.asked) == 2


def test_a_recipient_added_by_hand_turns_encryption_on(qtbot, monkeypatch, forum, secretariat):
    page = _page(qtbot, forum)
    page.contacts_box.setChecked(True)
    assert not page.encrypt_box.isEnabled()
    recipient = encryption.own_recipient(secretariat)
    seen: list[str] = []

    def use(dialog: RecipientsDialog) -> int:
        assert dialog.own_edit.text() == encryption.own_recipient(forum)
        dialog.recipient_edit.setText("age1typo")
        dialog.add_button.click()
        seen.append(dialog.message.text())
        dialog.recipient_edit.setText(recipient)
        assert dialog.org_combo.currentData() == "secretariat"
        dialog.add_button.click()
        seen.append(dialog.message.text())
        assert dialog.model.rowCount() == 1 and dialog.recipient_edit.text() == ""
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(RecipientsDialog, "exec", use)
    page.recipients_button.click()
    assert "age の受信者ではありません" in seen[0] and "1 件の受信者を登録しました" in seen[1]
    assert page.encrypt_box.isEnabled() and page.encrypt_box.isChecked()
    (row,) = encryption.list_recipients(forum)
    assert row.by_hand and row.org == "secretariat"


def test_settings_show_this_installation_recipient_with_a_copy_button(qtbot, forum):
    dialog = SettingsDialog(forum)
    qtbot.addWidget(dialog)
    recipient = encryption.own_recipient(forum)
    assert dialog.recipient_edit.text() == recipient and dialog.recipient_edit.isReadOnly()
    dialog.copy_recipient_button.click()
    assert QApplication.clipboard().text() == recipient


def test_an_encrypted_package_is_previewed_then_imported(qtbot, monkeypatch, known, tmp_path):
    forum, secretariat = known
    path = sync.export_package(forum, tmp_path / "p.jcimsync.age", include_contacts=True,
                               encrypt_to=encryption.default_recipients(forum)).path
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    page = _page(qtbot, secretariat)
    previews: list[str] = []

    def confirm(dialog: ImportPreviewDialog) -> int:
        previews.append(dialog.encryption_label.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", confirm)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(path)], "")))
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_button.click()
    (outcome,) = done.args[0]
    assert outcome.status == "accepted" and "このパソコン宛てに暗号化されていました" in previews[0]
    assert records.list_records(secretariat, "needs")[0].data["contact"] == CONTACT


def test_a_package_for_another_computer_is_refused_in_the_window(qtbot, monkeypatch, known, make_ctx, tmp_path):
    forum, _ = known
    other = make_ctx("secretariat", "other")
    sync.add_trust(other, forum.public_key, ["chugoku"])
    path = sync.export_package(forum, tmp_path / "p.jcimsync.age", include_contacts=True,
                               encrypt_to=encryption.default_recipients(forum)).path
    page = _page(qtbot, other)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda dialog: pytest.fail("no preview for a refused package"))
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        page.import_files([path])
    (outcome,) = done.args[0]
    assert outcome.status == "rejected"
    assert "このパッケージはこのパソコン宛てに暗号化されていません" in page.import_result.text()
    assert records.count_records(other, "needs") == 0


def test_the_window_accepts_dropped_encrypted_packages():
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from jcim_desktop.ui.main_window import _DropFilter

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/a.jcimsync.age"), QUrl.fromLocalFile("/tmp/b.jcimsync"),
                  QUrl.fromLocalFile("/tmp/c.txt")])
    event = QDropEvent(QPointF(1, 1), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert [p.name for p in _DropFilter.paths(event)] == ["a.jcimsync.age", "b.jcimsync"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_encryption_texts_speak_one_language(lang, qtbot, forum, secretariat, make_ctx):
    from jcim_desktop.ui import language
    from language_walk import english_outside_allow_list, japanese_outside_data, record_runs, visible_texts

    def check(widget) -> None:
        texts = visible_texts(widget)
        assert texts
        runs = record_runs(forum)
        problems = japanese_outside_data(texts, runs) if lang == "en" else english_outside_allow_list(texts, runs)
        assert not problems, problems

    assert language.use_language(lang) == lang
    try:
        page = _page(qtbot, forum)
        page.resize(1024, 680)
        page.show()
        page.contacts_box.setChecked(True)  # no recipient yet: how to get one
        check(page)
        encryption.add_recipient(forum, encryption.own_recipient(secretariat), org="secretariat")
        encryption.add_recipient(forum, encryption.own_recipient(make_ctx("kinki")))
        page.refresh()  # encrypted to the secretariat
        check(page)
        dialog = RecipientsDialog(page, forum)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.copy_button.click()
        check(dialog)
        assert dialog.model.rowCount() == 2
    finally:
        language.use_language("ja")
