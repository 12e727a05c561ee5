"""Moving to a new laptop in the window (issue 13, point 2): 設定's 「鍵を書き出す…」 writes the
installation's keys under a passphrase typed twice, and the first-run dialog's 「古いパソコンの鍵を
読み込む…」 starts the new laptop with the same org and keys. The credential store is an in-memory
one; message boxes and file choosers are answered by the test (a modal never answered would hang)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton, QWidget

from jcim_desktop.errors import UserError
from jcim_desktop.services import identity
from jcim_desktop.services.context import AppContext, init_installation, is_initialized, open_app
from jcim_desktop.services.sync import key_id
from jcim_desktop.ui import app, identity_dialogs, language, ops
from jcim_desktop.ui.first_run import FirstRunDialog
from jcim_desktop.ui.identity_dialogs import ExportIdentityDialog, ImportIdentityDialog
from jcim_desktop.ui.settings_dialog import SettingsDialog
from jcim_desktop.ui.widgets import tab_order
from language_walk import english_outside_allow_list, japanese_outside_data, visible_texts
from memory_keyring import MemoryKeyring, using

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

PASSPHRASE = "correct horse 2024"


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    with using(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes, answered at once: (kind, text) of each; a bug's crash dialog fails the test."""
    said: list[tuple[str, str]] = []

    def box(kind: str, answer: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            said.append((kind, text))
            return answer
        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "information", box("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "warning", box("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", box("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr("jcim_desktop.ui.crash.report_bug",
                        lambda parent, exc, trace="": pytest.fail(f"a bug reached the crash dialog:\n{trace}"))
    return said


@pytest.fixture
def old(store, tmp_path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """The old laptop's installation."""
    ctx = init_installation("chugoku", tmp_path / "old", user_name="中国 太郎")
    yield ctx
    ctx.close()


def _export_from_settings(qtbot, ctx: AppContext) -> tuple[SettingsDialog, ExportIdentityDialog]:  # type: ignore[no-untyped-def]
    settings = SettingsDialog(ctx)
    qtbot.addWidget(settings)
    settings.show()
    button = settings.findChild(QPushButton, "exportIdentityButton")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = settings.findChild(ExportIdentityDialog)
    assert dialog is not None and dialog.isVisible()
    return settings, dialog


def _type(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.clear()
    qtbot.keyClicks(edit, text)


def _error(dialog: QDialog) -> str:
    label = dialog.findChild(QLabel, "identityError")
    assert label is not None
    return label.text() if label.isVisible() else ""


def test_settings_exports_the_keys_under_a_passphrase_typed_twice(qtbot, old, tmp_path, told, monkeypatch):
    settings, dialog = _export_from_settings(qtbot, old)
    assert settings.findChild(QPushButton, "exportIdentityButton").text() == "鍵を書き出す…"
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "署名鍵と暗号鍵" in said and "だれでもこの端末として署名でき" in said
    assert "別々に運び" in said and "ファイルを削除してください" in said and "最新のバックアップ" in said
    assert dialog.file_edit.text() == str(Path.home() / "jcim-identity.age")
    for edit in (dialog.passphrase_edit, dialog.confirm_edit):
        assert edit.echoMode() == edit.EchoMode.Password

    target = tmp_path / "carry" / "jcim-identity.age"
    suggested: list[Path] = []
    monkeypatch.setattr(identity_dialogs, "choose_save_file",
                        lambda parent, title, path: suggested.append(path) or str(target))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert suggested == [Path.home() / "jcim-identity.age"] and dialog.file_edit.text() == str(target)

    # Two different passphrases: refused, naming the confirmation field.
    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    _type(qtbot, dialog.confirm_edit, PASSPHRASE + "!")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert _error(dialog).startswith("「パスフレーズ（確認）」が「パスフレーズ」と一致しません。")
    assert dialog.isVisible() and not target.exists()
    qtbot.keyClicks(dialog.confirm_edit, "x")  # typing again clears the message
    assert _error(dialog) == ""

    # Short: the service's message, which names the passphrase.
    _type(qtbot, dialog.passphrase_edit, "short")
    _type(qtbot, dialog.confirm_edit, "short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert _error(dialog).startswith("パスフレーズが短すぎます（5 文字）。") and "8 文字以上" in _error(dialog)
    assert dialog.isVisible() and not target.exists() and told == []

    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    _type(qtbot, dialog.confirm_edit, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: told != [], timeout=20000)
    kind, text = told[0]
    assert kind == "information" and text.startswith("鍵を書き出しました。")
    assert str(target) in text and key_id(old.public_key) in text and "別々に運んで" in text
    qtbot.waitUntil(lambda: settings.findChild(ExportIdentityDialog) is None)  # closed once written
    assert settings.isVisible()  # 設定 itself stays open

    found = identity.read_identity_file(target, PASSPHRASE)
    assert (found.org, found.public_key, found.installation_id) == ("chugoku", old.public_key, old.installation_id)
    with pytest.raises(UserError, match="パスフレーズが違う"):
        identity.read_identity_file(target, PASSPHRASE + "!")


def test_an_existing_file_is_replaced_only_when_the_person_says_so(qtbot, old, tmp_path, told):
    _settings, dialog = _export_from_settings(qtbot, old)
    target = tmp_path / "jcim-identity.age"
    target.write_text("a file of the person's own", encoding="utf-8")
    dialog.file_edit.setText(str(target))  # typed, not chosen in the file dialog (which asks itself)
    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    _type(qtbot, dialog.confirm_edit, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # the question is answered No
    assert told == [("question", "jcim-identity.age は既にあります。置き換えますか？")]
    assert target.read_text(encoding="utf-8") == "a file of the person's own" and dialog.isVisible()
    assert ops.running() == 0


def _first_run(qtbot, folder: Path, name: str = "中国 花子") -> FirstRunDialog:  # type: ignore[no-untyped-def]
    first = FirstRunDialog(folder)
    qtbot.addWidget(first)
    first.show()
    first.name_edit.setText(name)
    return first


def _open_import(qtbot, first: FirstRunDialog) -> ImportIdentityDialog:  # type: ignore[no-untyped-def]
    assert first.import_button.isVisible()
    qtbot.mouseClick(first.import_button, Qt.MouseButton.LeftButton)
    dialog = first.findChild(ImportIdentityDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_first_run_imports_the_old_laptops_keys_into_an_empty_folder(qtbot, old, store, tmp_path, told, monkeypatch):
    export = identity.export_identity(old, tmp_path / "jcim-identity.age", PASSPHRASE)
    new = tmp_path / "new"
    first = _first_run(qtbot, new)
    assert first.import_button.text() == "古いパソコンの鍵を読み込む…"
    dialog = _open_import(qtbot, first)
    assert dialog.name_edit.text() == "中国 花子"  # taken from the first-run dialog
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
    monkeypatch.setattr(identity_dialogs, "choose_open_file", lambda parent, title, folder: str(export.path))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.file_edit.text() == str(export.path)

    # A wrong passphrase: said in the dialog, which stays open; nothing written.
    stored = dict(store.items)
    _type(qtbot, dialog.passphrase_edit, "not the passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog) != "", timeout=20000)
    assert "パスフレーズが違うため" in _error(dialog) and "何も変更していません" in _error(dialog)
    assert dialog.isVisible() and first.isVisible() and first.result() == 0 and told == []
    assert not is_initialized(new) and not (new.exists() and any(new.glob("*.sqlite3")))
    assert store.items == stored

    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    assert _error(dialog) == ""
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.result() == QDialog.DialogCode.Accepted, timeout=20000)
    choice = first.choice()
    assert choice.imported is not None and not choice.load_demo
    ctx = choice.imported.ctx
    try:
        assert (ctx.data_dir, ctx.org, ctx.public_key) == (new, "chugoku", old.public_key)
        assert ctx.installation_id != old.installation_id  # continues under a new id
        assert ctx.settings.user_name == "中国 花子"
        kind, text = told[0]
        assert kind == "information" and text.startswith("鍵を読み込みました: 中国フォーラム、鍵ID " + key_id(old.public_key))
        assert "「ファイル」→「バックアップ…」" in text and "復元してください" in text and "全国パッケージ" in text
    finally:
        ctx.close()
    reopened = open_app(new)  # the folder now holds an installation of the same org and key
    try:
        assert (reopened.org, reopened.public_key) == ("chugoku", old.public_key)
    finally:
        reopened.close()


def test_a_file_that_is_not_an_export_is_said_in_the_dialog(qtbot, store, tmp_path, told):
    plain = tmp_path / "notes.txt"
    plain.write_text("hello", encoding="utf-8")
    first = _first_run(qtbot, tmp_path / "new")
    dialog = _open_import(qtbot, first)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert _error(dialog) == "鍵のファイルを指定してください。"
    dialog.file_edit.setText(str(plain))
    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _error(dialog) != "", timeout=20000)
    assert "鍵の書き出しファイル" in _error(dialog) and dialog.isVisible() and told == []
    assert not is_initialized(tmp_path / "new")


def test_the_window_opens_on_the_imported_installation(qtbot, old, tmp_path, told):
    """app's first run: with the keys read in, it goes on with that installation (no init, no demo)."""
    export = identity.export_identity(old, tmp_path / "jcim-identity.age", PASSPHRASE)
    new = tmp_path / "new"

    def drive() -> None:
        first = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunDialog) and w.isVisible())
        first.name_edit.setText("中国 花子")
        first.import_button.click()
        dialog = first.findChild(ImportIdentityDialog)
        assert dialog is not None
        dialog.file_edit.setText(str(export.path))
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.ok_button.click()

    QTimer.singleShot(0, drive)
    ctx, wants_demo = app._first_run(new)
    assert ctx is not None
    try:
        assert (ctx.org, ctx.public_key, wants_demo) == ("chugoku", old.public_key, False)
        assert [kind for kind, _text in told] == ["information"]
    finally:
        ctx.close()


def test_a_fresh_start_offers_no_import(qtbot, tmp_path):
    first = FirstRunDialog(tmp_path / "data", fresh_start=True)
    qtbot.addWidget(first)
    first.show()
    assert not first.import_button.isVisible()
    assert not any("古いパソコン" in label.text() for label in first.findChildren(QLabel) if label.isVisible())


def _walk(qtbot, dialog: QDialog, first: QWidget) -> list[QWidget]:  # type: ignore[no-untyped-def]
    dialog.activateWindow()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    met = [first]
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is first:
            return met
        met.append(QApplication.focusWidget())
    pytest.fail(f"Tab never came back: {met}")


def test_tab_goes_down_the_fields_then_to_the_buttons(qtbot, old, tmp_path):
    settings, export = _export_from_settings(qtbot, old)
    buttons = tab_order.tab_stops(export.buttons)
    assert _walk(qtbot, export, export.file_edit) == [
        export.file_edit, export.browse_button, export.passphrase_edit, export.confirm_edit, *buttons]
    export.reject()
    first = _first_run(qtbot, tmp_path / "new")
    dialog = _open_import(qtbot, first)
    buttons = tab_order.tab_stops(dialog.buttons)
    assert _walk(qtbot, dialog, dialog.file_edit) == [
        dialog.file_edit, dialog.browse_button, dialog.passphrase_edit, dialog.name_edit, *buttons]


@pytest.fixture(params=["ja", "en"])
def lang(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The window's language, with Qt's own catalogue (its standard buttons)."""
    assert language.use_language(request.param) == request.param
    yield request.param
    language.use_language("ja")


def test_the_dialogs_speak_one_language(qtbot, old, tmp_path, lang):
    _settings, export = _export_from_settings(qtbot, old)
    export.passphrase_edit.setText("short")
    export.confirm_edit.setText("short")
    first = _first_run(qtbot, tmp_path / "new")
    dialog = _open_import(qtbot, first)
    names = {"中国", "花子"}  # the name the person typed is data
    for shown in (export, first, dialog):
        texts = visible_texts(shown)
        assert texts
        problems = japanese_outside_data(texts, names) if lang == "en" else english_outside_allow_list(texts, names)
        assert not problems, problems
