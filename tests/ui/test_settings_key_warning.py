"""設定 says where the signing and encryption keys are: a warning when they are only in files
(no credential store on this computer), a plain line when the store keeps them. The store is an
in-memory one injected for the test (never the real one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from jcim_desktop.services.context import AppContext, init_installation, open_app
from jcim_desktop.ui import ops
from jcim_desktop.ui.main_window import MainWindow
from jcim_desktop.ui.settings_dialog import SettingsDialog
from memory_keyring import ForgetfulKeyring, MemoryKeyring, no_store, using

pytestmark = pytest.mark.gui


@pytest.fixture
def installation(tmp_path) -> Callable[..., AppContext]:  # type: ignore[no-untyped-def]
    opened: list[AppContext] = []

    def make(name: str = "data") -> AppContext:
        ctx = init_installation("chugoku", tmp_path / name, user_name="中国 太郎")
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


def _note_in_settings(qtbot, ctx: AppContext) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """Open 設定 from the window's menu and read where it says the keys are (text, shown)."""
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    seen: dict[str, object] = {}

    def read() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, read)
            return
        note = dialog.findChild(QLabel, "keyStoreNote")
        assert note is not None
        seen.update(text=note.text(), shown=note.isVisible())
        dialog.reject()

    QTimer.singleShot(0, read)
    win.open_settings()
    ops.wait_for_all()
    return str(seen["text"]), bool(seen["shown"])


def test_without_a_credential_store_settings_warns_that_the_keys_are_files(qtbot, installation):
    with using(no_store()):
        ctx = installation()
        text, shown = _note_in_settings(qtbot, ctx)
    assert shown
    assert text.startswith("⚠ この端末には OS の資格情報ストアがないため、署名鍵と暗号鍵はファイル（")
    assert str(ctx.key_dir) in text
    assert "このパソコンの利用者アカウントを他の人と共有しないでください。" in text


def test_with_a_credential_store_settings_says_the_keys_are_there(qtbot, installation):
    with using(MemoryKeyring()):
        ctx = installation()
        text, shown = _note_in_settings(qtbot, ctx)
    assert shown and "⚠" not in text
    assert text == ("署名鍵と暗号鍵は OS の資格情報ストア（Windows 資格情報マネージャー／macOS キーチェーン／"
                    "Secret Service）に保存しています。")


def test_keys_the_store_would_not_take_are_still_a_warning(qtbot, tmp_path):
    with using(no_store()):
        init_installation("chugoku", tmp_path / "data").close()
    with using(ForgetfulKeyring()):
        ctx = open_app(tmp_path / "data")
        try:
            text, shown = _note_in_settings(qtbot, ctx)
        finally:
            ctx.close()
    assert shown and text.startswith("⚠ 署名鍵と暗号鍵を OS の資格情報ストアに移せなかったため")
    assert str(Path(ctx.key_dir)) in text


def test_the_warning_is_in_english_in_english(qtbot, installation, english):
    with using(no_store()):
        ctx = installation()
        dialog = SettingsDialog(ctx)
        qtbot.addWidget(dialog)
        note = dialog.findChild(QLabel, "keyStoreNote")
    assert note is not None
    assert "credential store" in note.text() and str(ctx.key_dir) in note.text()
    assert "資格情報" not in note.text()
