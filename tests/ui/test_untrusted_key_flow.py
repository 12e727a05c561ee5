"""A package from a key not trusted yet: the window names the sender, the key id and whose records
the package holds, and offers to trust the key (pre-selected for those orgs) and import the file;
the command line keeps its `trust add` hint. Real packages from two installations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.ui import ops
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.pages.sync.dialogs import AddTrustDialog, ImportPreviewDialog, UntrustedKeyDialog
from jcim_desktop.ui.pages.sync.page import SyncPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"),
]
TIMEOUT = 20_000


def _need(ctx, title: str = "橋梁点検の省力化", name: str = "福山市"):  # type: ignore[no-untyped-def]
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": title, "facility_types": ["bridge"], "requirements": "点検費用を抑えたい",
        "received_on": "2024-06-01", "status": "open",
    })


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
        if tries[0] < 1000:  # give up after a while rather than poll into later tests
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


@pytest.fixture
def window(qtbot, secretariat):  # type: ignore[no-untyped-def]
    win = MainWindow(secretariat)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_for_all()


def _import_from_the_menu(qtbot, monkeypatch, window: MainWindow, path: Path) -> list[sync.ImportOutcome]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(path)], "")))
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    with qtbot.waitSignal(page.import_finished, timeout=TIMEOUT) as done:
        window.act_import_package.trigger()
    return done.args[0]  # type: ignore[no-any-return]


def test_trusting_the_key_from_the_refusal_imports_the_package(qtbot, monkeypatch, window, forum, tmp_path):
    secretariat = window.ctx
    need = _need(forum)
    path = sync.export_package(forum, tmp_path / "中国から.jcimsync").path
    told: dict[str, object] = {}
    seen: list[QDialog] = []

    def read_and_trust(dialog: QDialog) -> None:
        assert isinstance(dialog, UntrustedKeyDialog)
        told.update(sender=dialog.sender_label.text(), key=dialog.key_label.text(), orgs=dialog.orgs_label.text(),
                    explanation=dialog.explanation.text(), buttons=[dialog.trust_button.text(),
                                                                    dialog.decline_button.text()])
        when_shown(AddTrustDialog, choose_orgs, seen)
        dialog.trust_button.click()

    def choose_orgs(dialog: QDialog) -> None:
        assert isinstance(dialog, AddTrustDialog)
        told.update(checked=[c for c, box in dialog.org_boxes.items() if box.isChecked()],
                    everyone=dialog.all_box.isChecked(), note=dialog.note_edit.text())
        when_shown(ImportPreviewDialog, lambda preview: preview.import_button.click(), seen)  # type: ignore[attr-defined]
        dialog.ok_button.click()

    when_shown(UntrustedKeyDialog, read_and_trust, seen)
    (outcome,) = _import_from_the_menu(qtbot, monkeypatch, window, path)

    key_id = sync.key_id(forum.public_key)
    assert told["sender"] == f"中国フォーラム（端末 {forum.installation_id[:8]}）"
    assert told["key"] == key_id and told["orgs"] == "中国フォーラム"
    explanation = str(told["explanation"])
    assert "電話やメール" in explanation and "鍵ID" in explanation and "jcim-desktop" not in explanation
    assert told["buttons"] == ["この鍵を信頼して取り込む…", "取り込まない"]
    # The trust dialog comes with the package's org chosen, and says whose key it is.
    assert told["checked"] == ["chugoku"] and told["everyone"] is False
    assert "中国フォーラム" in str(told["note"])

    assert outcome.status == "accepted"
    assert records.get(secretariat, "needs", need.id)["title"] == "橋梁点検の省力化"
    (trust,) = sync.list_trust(secretariat)
    assert trust.key_id == key_id and trust.orgs == ("chugoku",)
    page = window.current_page()
    assert isinstance(page, SyncPage) and page.trust_model.rowCount() == 1
    assert "取り込みました" in page.import_result.text()


def test_declining_keeps_nothing_and_says_why_in_the_window_s_words(qtbot, monkeypatch, window, forum, tmp_path):
    secretariat = window.ctx
    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    seen: list[QDialog] = []
    when_shown(UntrustedKeyDialog, lambda dialog: dialog.decline_button.click(), seen)  # type: ignore[attr-defined]
    (outcome,) = _import_from_the_menu(qtbot, monkeypatch, window, path)
    assert seen and outcome.status == "rejected" and outcome.code == "untrusted_key"
    assert outcome.untrusted is not None and outcome.untrusted.sender_org == "chugoku"
    page = window.current_page()
    assert isinstance(page, SyncPage)
    text = page.import_result.text()
    assert "p.jcimsync" in text and "何も変更していません" in text
    assert sync.key_id(forum.public_key) in text and "中国フォーラム" in text
    assert "trust add" not in text and "jcim-desktop" not in text
    assert records.count_records(secretariat, "needs") == 0 and sync.list_trust(secretariat) == []


def test_a_key_trusted_for_other_orgs_is_offered_the_missing_ones(qtbot, monkeypatch, window, forum, tmp_path):
    secretariat = window.ctx
    sync.add_trust(secretariat, forum.public_key, ["kinki"], "近畿として登録（間違い）")
    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    told: dict[str, object] = {}
    seen: list[QDialog] = []

    def read_and_trust(dialog: QDialog) -> None:
        assert isinstance(dialog, UntrustedKeyDialog)
        told["explanation"] = dialog.explanation.text()
        when_shown(AddTrustDialog, choose_orgs, seen)
        dialog.trust_button.click()

    def choose_orgs(dialog: QDialog) -> None:
        assert isinstance(dialog, AddTrustDialog)
        told["checked"] = [c for c, box in dialog.org_boxes.items() if box.isChecked()]
        when_shown(ImportPreviewDialog, lambda preview: preview.import_button.click(), seen)  # type: ignore[attr-defined]
        dialog.ok_button.click()

    when_shown(UntrustedKeyDialog, read_and_trust, seen)
    (outcome,) = _import_from_the_menu(qtbot, monkeypatch, window, path)
    assert "近畿フォーラム" in str(told["explanation"]) and "中国フォーラム" in str(told["explanation"])
    assert told["checked"] == ["kinki", "chugoku"]  # in SYNC_FORMAT §1 order: 近畿 before 中国
    assert outcome.status == "accepted"
    assert set(sync.list_trust(secretariat)[0].orgs) == {"kinki", "chugoku"}


def test_a_forum_trusts_the_secretariat_s_national_package_for_every_org(qtbot, monkeypatch, forum, secretariat,
                                                                          tmp_path):
    _need(secretariat, "全国の共有ニーズ")
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    path = sync.export_package(secretariat, tmp_path / "全国.jcimsync", scope="national").path
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    told: dict[str, object] = {}
    seen: list[QDialog] = []

    def trust(dialog: QDialog) -> None:
        when_shown(AddTrustDialog, look, seen)
        dialog.trust_button.click()  # type: ignore[attr-defined]

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, AddTrustDialog)
        told.update(everyone=dialog.all_box.isChecked(), ok=dialog.ok_button.isEnabled())
        dialog.reject()  # changed one's mind: nothing trusted, nothing imported

    when_shown(UntrustedKeyDialog, trust, seen)
    (outcome,) = _import_from_the_menu(qtbot, monkeypatch, window, path)
    assert told == {"everyone": True, "ok": True}
    assert outcome.status == "rejected" and sync.list_trust(forum) == []
    assert records.count_records(forum, "needs") == 0
    ops.wait_for_all()


def test_the_refusal_carries_the_facts_and_the_command_line_keeps_its_hint(forum, secretariat, tmp_path):
    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    with pytest.raises(sync.KeyNotTrusted) as refused:
        sync.check_package(secretariat, path)
    signer = refused.value.signer
    assert (signer.public_key, signer.key_id) == (forum.public_key, sync.key_id(forum.public_key))
    assert (signer.sender_org, signer.installation) == ("chugoku", forum.installation_id)
    assert signer.orgs == ("chugoku",) and signer.refused == ("chugoku",) and not signer.known
    assert signer.suggested_orgs == ("chugoku",) and not signer.suggests_everyone
    message = refused.value.message
    assert "中国フォーラム" in message and signer.key_id in message
    assert "jcim-desktop trust add --org chugoku" in message
    (outcome,) = sync.import_packages(secretariat, [path])
    assert outcome.code == "untrusted_key" and outcome.untrusted == signer and outcome.reason == message


def test_the_refusal_dialog_fits_and_reads_in_english(qtbot, english, forum, secretariat, tmp_path):
    _need(forum)
    path = sync.export_package(forum, tmp_path / "p.jcimsync").path
    with pytest.raises(sync.KeyNotTrusted) as refused:
        sync.check_package(secretariat, path)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = UntrustedKeyDialog(parent, refused.value.signer, path.name)
    dialog.show()
    assert dialog.trust_button.text() == "Trust this key and import…"
    assert "Chugoku Forum" in dialog.sender_label.text() and "phone" in dialog.explanation.text()
    dialog.close()
