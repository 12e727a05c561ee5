"""設定's データベース: this folder's SQLite file or a shared PostgreSQL database, its URL and a
「接続テスト」 that says what it found (or why it could not connect); saving another database is
refused when the data folder would not open with it at the next start, and otherwise applies
from then. The window's status bar says when the data are on a shared database.

The tests that need a real server use the one of ``--postgres`` if given, else start a throwaway
cluster of their own (Debian's PostgreSQL binaries: the window tests are not part of the CI's
PostgreSQL run), else are skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from jcim_desktop.services.context import AppContext, init_installation, open_app
from jcim_desktop.services.settings import load_settings
from jcim_desktop.ui import ops
from jcim_desktop.ui.main_window import SHARED_LABEL_TEXT_WIDTH, MainWindow
from jcim_desktop.ui.settings_dialog import SettingsDialog
from ui.test_minimum_size import layout_problems
from ui.test_tab_order import check_tab_order

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]

URL_FORM = "postgresql+psycopg://利用者@サーバー/データベース名"


# -- a server -----------------------------------------------------------------------------------


class Server:
    """A PostgreSQL server the tests may make databases on."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.made: list[str] = []

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def new_database(self, template: str | None = None) -> str:
        name = f"jcim_settings_{os.getpid()}_{len(self.made) + 1}"
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.made.append(name)
        return self.url(name)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The ``--postgres`` server, or a throwaway cluster started for this module, or a skip."""
    given = request.config.getoption("--postgres")
    if given:
        found = Server(given)
        yield found
        found.close()
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    import postgres

    # Not under pytest's own temporary folder: that one is closed to the postgres user (when the
    # tests run as root), and a Unix socket's path must stay short.
    root = Path(tempfile.mkdtemp(prefix="jcim-pg-"))
    try:
        found = Server(postgres.start(root))
        try:
            yield found
        finally:
            found.close()
    finally:
        postgres.stop(root)
        shutil.rmtree(root, ignore_errors=True)


# -- helpers --------------------------------------------------------------------------------------


@pytest.fixture
def opened() -> Iterator[Callable[[AppContext], AppContext]]:
    contexts: list[AppContext] = []

    def keep(ctx: AppContext) -> AppContext:
        contexts.append(ctx)
        return ctx

    yield keep
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def laptop(tmp_path: Path, opened) -> AppContext:  # type: ignore[no-untyped-def]
    """An installation on its own SQLite file (the default)."""
    return opened(init_installation("chugoku", tmp_path / "laptop", user_name="中国 太郎"))  # type: ignore[no-any-return]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the dialog said in message boxes (kind, text), instead of waiting for a click."""
    said: list[tuple[str, str]] = []

    def record(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def box(_parent: QWidget | None, _title: str, message: str, *_args: object) -> QMessageBox.StandardButton:
            said.append((kind, message))
            return QMessageBox.StandardButton.Ok
        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    return said


def dialog_on(qtbot, ctx: AppContext) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose_shared(dialog: SettingsDialog, url: str) -> None:
    dialog.database_choice.setCurrentIndex(dialog.database_choice.findData(True))
    dialog.url_edit.setText(url)


def connection_test(qtbot, dialog: SettingsDialog, url: str) -> str:  # type: ignore[no-untyped-def]
    """Type ``url``, press 「接続テスト」 and read what the dialog says once the test is over."""
    choose_shared(dialog, url)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ops.running() == 0 and dialog.test_button.isEnabled(), timeout=30000)
    result = dialog.test_result
    assert result.isVisible()
    return result.text()


def save_and_wait(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.save()
    qtbot.waitUntil(lambda: ops.running() == 0 and dialog.isEnabled(), timeout=30000)


def missing_socket_url(tmp_path: Path) -> str:
    return f"postgresql+psycopg://jcim@/jcim?host={tmp_path / 'no-server-here'}"


# -- the field and the test button -------------------------------------------------------------------


def test_sqlite_is_the_default_and_the_url_field_opens_with_the_shared_choice(qtbot, laptop):
    dialog = dialog_on(qtbot, laptop)
    assert dialog.database_choice.currentText() == "このデータフォルダ（SQLite）"
    assert not dialog.url_edit.isEnabled() and not dialog.test_button.isEnabled()
    assert not dialog.test_result.isVisible()
    choose_shared(dialog, "")
    assert dialog.database_choice.currentText() == "共有データベース（PostgreSQL）"
    assert dialog.url_edit.isEnabled() and dialog.test_button.isEnabled() and dialog.test_button.text() == "接続テスト"
    hint = dialog.test_result.text()
    assert dialog.test_result.isVisible()
    assert URL_FORM in hint and ".pgpass" in hint and "PGPASSWORD" in hint


@pytest.mark.parametrize(("url", "says"), [
    ("", "共有データベースの URL を入力してください"),
    ("mysql://jcim@server/jcim", f"PostgreSQL は {URL_FORM} の形で指定してください"),
    ("postgresql+psycopg://jcim@server:port/jcim", "ポート番号は「サーバー:5432」のように数字で"),
    ("postgresql+psycopg://jcim@server/", "データベース名がありません"),
    ("postgresql+psycopg://jcim:s3cret@server/jcim", "URL にパスワードを書かないでください"),
    ("postgresql+psycopg://jcim@server/jcim?password=s3cret", "URL にパスワードを書かないでください"),
])
def test_a_bad_url_is_named_with_what_to_fix(qtbot, laptop, url, says):
    dialog = dialog_on(qtbot, laptop)
    said = connection_test(qtbot, dialog, url)
    assert said.startswith("⚠ ") and says in said
    assert "s3cret" not in said
    if "パスワード" in says:
        assert ".pgpass" in said and "PGPASSWORD" in said


def test_typing_again_puts_the_hint_back_in_place_of_an_old_result(qtbot, laptop):
    dialog = dialog_on(qtbot, laptop)
    assert "データベース名がありません" in connection_test(qtbot, dialog, "postgresql+psycopg://jcim@server/")
    qtbot.keyClicks(dialog.url_edit, "jcim")
    assert URL_FORM in dialog.test_result.text()


def test_a_server_that_is_not_there_is_said_plainly(qtbot, laptop, tmp_path):
    dialog = dialog_on(qtbot, laptop)
    url = missing_socket_url(tmp_path)
    said = connection_test(qtbot, dialog, url)
    assert said.startswith("⚠ 共有データベース（")
    assert "に接続できません" in said and "サーバーが動いているか" in said
    assert str(tmp_path / "no-server-here") in said  # where it looked


def test_the_test_says_what_a_running_server_holds(qtbot, server, laptop, tmp_path, opened):
    empty = server.new_database()
    shared = server.new_database()
    other = opened(init_installation("kinki", tmp_path / "other", database_url=shared))
    dialog = dialog_on(qtbot, laptop)

    said = connection_test(qtbot, dialog, empty)
    assert said.startswith(f"✓ {_label(empty)} に接続できました。")
    assert "まだ JCIM のデータベースになっていません" in said and "jcim-desktop db migrate" in said

    said = connection_test(qtbot, dialog, shared)
    assert "この版のアプリと同じ形です" in said and "書き込んでいる端末: 1 台" in said
    # This laptop is not one of them: the test says how it would be.
    assert "この端末はまだ登録されていません" in said and "jcim-desktop init --org chugoku --database-url" in said

    said = connection_test(qtbot, dialog, server.url("jcim_settings_no_such_database"))
    assert "に接続できません" in said and "jcim_settings_no_such_database" in said

    registered = dialog_on(qtbot, other)
    said = connection_test(qtbot, registered, shared)
    assert "書き込んでいる端末: 1 台" in said and "この端末も登録されています" in said


def test_a_database_of_an_older_version_is_said_to_be_updated_when_opened(qtbot, server, laptop):
    from jcim_desktop.store.database import upgrade

    older = server.new_database()
    engine = create_engine(older)
    upgrade(engine, "0007")
    engine.dispose()
    said = connection_test(qtbot, dialog_on(qtbot, laptop), older)
    assert "古い版のアプリで作られたデータベースです" in said and "バックアップを取ってから更新します" in said
    assert "書き込んでいる端末: 0 台" in said


def _label(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.username}@{parsed.query['host']}/{parsed.database}"


# -- saving -----------------------------------------------------------------------------------------


def test_a_shared_database_that_does_not_list_this_installation_is_not_saved(qtbot, server, laptop, messages,
                                                                             tmp_path, opened):
    shared = server.new_database()
    opened(init_installation("kinki", tmp_path / "other", database_url=shared))
    dialog = dialog_on(qtbot, laptop)
    choose_shared(dialog, shared)
    save_and_wait(qtbot, dialog)
    assert dialog.isVisible() and dialog.saved is None
    [(kind, said)] = messages
    assert kind == "warning"
    assert "登録されていません" in said and "次に起動できないため、保存しませんでした" in said
    assert f"jcim-desktop init --org chugoku --database-url {make_url(shared).render_as_string()}" in said
    assert load_settings(laptop.data_dir).database_url is None
    open_app(laptop.data_dir, maintenance=False).close()  # the next start still opens this laptop's data


def test_an_unreachable_server_or_a_password_is_not_saved(qtbot, laptop, messages, tmp_path):
    dialog = dialog_on(qtbot, laptop)
    choose_shared(dialog, missing_socket_url(tmp_path))
    save_and_wait(qtbot, dialog)
    choose_shared(dialog, "postgresql+psycopg://jcim:s3cret@server/jcim")
    save_and_wait(qtbot, dialog)
    assert [kind for kind, _ in messages] == ["warning", "warning"]
    assert "に接続できません" in messages[0][1]
    assert "URL にパスワードを書かないでください" in messages[1][1]
    assert dialog.isVisible() and load_settings(laptop.data_dir).database_url is None
    assert "s3cret" not in (laptop.data_dir / "settings.json").read_text(encoding="utf-8")


def test_another_shared_database_listing_this_installation_is_used_from_the_next_start(qtbot, server, tmp_path,
                                                                                       messages, opened):
    first = server.new_database()
    ctx = opened(init_installation("chugoku", tmp_path / "staff", user_name="中国 太郎", database_url=first))
    ctx.db.engine.dispose()  # a database is copied only while nobody is connected to it
    moved = server.new_database(template=make_url(first).database)
    dialog = dialog_on(qtbot, ctx)
    assert dialog.database_choice.currentText() == "共有データベース（PostgreSQL）"
    assert make_url(dialog.url_edit.text()) == make_url(first)
    choose_shared(dialog, moved)
    save_and_wait(qtbot, dialog)
    assert not dialog.isVisible() and dialog.saved is not None and dialog.saved.database_changed
    [(kind, said)] = messages
    assert kind == "information"
    assert said == f"データベースを共有データベース {_label(moved)} に変更しました。次に起動したときから使います。"
    assert make_url(load_settings(ctx.data_dir).database_url) == make_url(moved)
    assert ctx.db.url == first  # this run goes on where it started
    reopened = opened(open_app(ctx.data_dir, maintenance=False))
    assert reopened.db.url is not None and make_url(reopened.db.url).database == make_url(moved).database
    assert reopened.installation_id == ctx.installation_id


def test_a_folder_made_for_a_shared_database_cannot_go_back_to_sqlite(qtbot, server, tmp_path, messages, opened):
    ctx = opened(init_installation("chugoku", tmp_path / "staff", database_url=server.new_database()))
    dialog = dialog_on(qtbot, ctx)
    dialog.database_choice.setCurrentIndex(dialog.database_choice.findData(False))
    save_and_wait(qtbot, dialog)
    [(kind, said)] = messages
    assert kind == "warning" and "SQLite のデータベースがありません" in said and "新しい空のフォルダ" in said
    assert load_settings(ctx.data_dir).database_url is not None


def test_the_other_choices_save_as_before_without_a_server(qtbot, laptop, messages, tmp_path):
    dialog = dialog_on(qtbot, laptop)
    dialog.name_edit.setText("中国 次郎")
    dialog.save()  # on the spot: no database to check
    assert not dialog.isVisible() and messages == []
    saved = load_settings(laptop.data_dir)
    assert saved.user_name == "中国 次郎" and saved.database_url is None


def test_the_data_folder_and_the_database_change_one_at_a_time(qtbot, laptop, messages, tmp_path):
    dialog = dialog_on(qtbot, laptop)
    dialog.data_dir_edit.setText(str(tmp_path / "elsewhere"))
    choose_shared(dialog, missing_socket_url(tmp_path))
    save_and_wait(qtbot, dialog)
    [(kind, said)] = messages
    assert kind == "warning" and "一度にどちらか一方だけ変更してください" in said
    assert load_settings(laptop.data_dir).database_url is None


# -- the installations writing to a shared database ---------------------------------------------------


def test_a_shared_database_lists_every_installation_writing_to_it(qtbot, server, laptop, tmp_path, opened):
    from jcim_desktop.services import records

    url = server.new_database()
    staff = opened(init_installation("secretariat", tmp_path / "staff", user_name="事務局 花子", database_url=url))
    colleague = opened(init_installation("kanto", tmp_path / "colleague", database_url=url))
    records.create(colleague, "seeds", {"company": "㈱テスト", "tech_name": "技術", "summary": "概要",
                                        "facility_types": []})
    dialog = dialog_on(qtbot, staff)
    model = dialog.installations_model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    view = dialog.installations_view
    assert view.isVisible()
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["組織", "鍵ID", "登録日", "最新の変更"]
    by_org = {row[0]: row for row in cells}
    assert set(by_org) == {"事務局（この端末）", "関東フォーラム"}
    mine, theirs = by_org["事務局（この端末）"], by_org["関東フォーラム"]
    from jcim_desktop.services.sync import key_id

    assert mine[1] == key_id(staff.public_key) and theirs[1] == key_id(colleague.public_key)
    assert mine[3] == "なし" and theirs[3].startswith("令和")  # the colleague has made a change
    this_row = [r for r in range(2) if cells[r][0] == "事務局（この端末）"][0]
    assert model.index(this_row, 0).data(Qt.ItemDataRole.FontRole).bold()
    note = dialog.installations_note.text()
    assert note == "2 台の端末がこのデータベースに書き込んでいます（太字がこの端末）。"
    assert layout_problems(dialog) == []
    # A laptop on its own file has no such list.
    assert dialog_on(qtbot, laptop).findChild(QWidget, "installationsTable") is None


# -- the window -------------------------------------------------------------------------------------


def test_the_status_bar_says_when_the_data_are_on_a_shared_database(qtbot, server, laptop, tmp_path, opened):
    url = server.new_database()
    staff = opened(init_installation("chugoku", tmp_path / "staff", database_url=url))
    for ctx, expected in ((staff, f"共有データベース: {_label(url)}"), (laptop, None)):
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        label = win.statusBar().findChild(QLabel, "sharedDatabase")
        if expected is not None:  # cut in the middle where the test server's socket folder is long
            expected = label.fontMetrics().elidedText(expected, Qt.TextElideMode.ElideMiddle, SHARED_LABEL_TEXT_WIDTH)
        assert (label.text() if label is not None else None) == expected
        ops.wait_for_all()
        win.close()


def test_a_long_server_location_is_cut_in_the_middle_not_widening_the_status_bar(
        qtbot, server, tmp_path, opened, monkeypatch):
    staff = opened(init_installation("chugoku", tmp_path / "staff", database_url=server.new_database()))
    long_location = "jcim@/tmp/" + "jcim-ci-pg." * 8 + "abc123/jcim_secretariat"
    monkeypatch.setattr("jcim_desktop.services.settings.database_location", lambda url: long_location)
    win = MainWindow(staff)
    qtbot.addWidget(win)
    win.resize(win.minimumSize())
    win.show()
    label = win.statusBar().findChild(QLabel, "sharedDatabase")
    assert label.text().startswith("共有データベース: jcim@/tmp/") and label.text().endswith("/jcim_secretariat")
    assert "…" in label.text() and label.sizeHint().width() <= label.maximumWidth() < win.width() * 0.4
    assert label.toolTip() == staff.db.location
    ops.wait_for_all()
    win.close()


# -- keyboard, size, English --------------------------------------------------------------------------


def test_tab_goes_from_the_choice_to_the_url_and_its_test(qtbot, laptop):
    dialog = dialog_on(qtbot, laptop)
    choose_shared(dialog, "postgresql+psycopg://jcim@server/jcim")
    met = check_tab_order(qtbot, dialog)
    order = [met.index(w) for w in (dialog.data_dir_edit, dialog.database_choice, dialog.url_edit,
                                    dialog.test_button, dialog.backup_dir_edit)]
    assert order == sorted(order) and order[1:4] == [order[1], order[1] + 1, order[1] + 2]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("where", ["laptop", "shared"])
def test_the_dialog_fits_the_smallest_window_with_a_long_result(qtbot, laptop, tmp_path, lang, where, request):
    if lang == "en":
        request.getfixturevalue("english")
    ctx = laptop
    if where == "shared":  # the list of installations too
        server = request.getfixturevalue("server")
        ctx = request.getfixturevalue("opened")(
            init_installation("innovative_tech", tmp_path / "staff", database_url=server.new_database()))
    dialog = dialog_on(qtbot, ctx)
    if where == "shared":
        qtbot.waitUntil(lambda: dialog.installations_model.rowCount() == 1)
    connection_test(qtbot, dialog, missing_socket_url(tmp_path))  # the longest words the test says
    QApplication.processEvents()
    assert dialog.width() <= 1024 and dialog.height() <= 680
    assert layout_problems(dialog) == []
    result = dialog.test_result
    assert result.height() >= result.heightForWidth(result.width())  # every line shown
    dialog.grab().save(str(tmp_path / f"settings-{where}-{lang}.png"))


def test_the_database_section_speaks_english(qtbot, server, tmp_path, opened, english):
    from language_walk import japanese_outside_data, visible_texts

    url = server.new_database()
    ctx = opened(init_installation("chugoku", tmp_path / "staff", user_name="Taro", database_url=url))
    dialog = dialog_on(qtbot, ctx)
    qtbot.waitUntil(lambda: dialog.installations_model.rowCount() == 1)
    said = connection_test(qtbot, dialog, url)
    assert said.startswith(f"✓ Connected to {_label(url)}. Its tables match this version of the application. "
                           "Installations writing to it: 1. This installation is one of them.")
    texts = [(where, text) for where, text in visible_texts(dialog) if where != "QComboBox:languageCombo item"]
    assert japanese_outside_data(texts, set()) == []  # (the languages are named in themselves)
    dialog.url_edit.selectAll()
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Delete)  # typing again: the hint in place of the result
    assert dialog.test_result.text().startswith("Form: postgresql+psycopg://user@server/database. ")
    assert dialog.installations_note.text() == "1 installation writes to this database (this one in bold)."
    assert dialog.installations_model.index(0, 0).data() == "Chugoku Forum (this one)"


def test_the_test_warns_of_a_collation_that_orders_otherwise_than_sqlite(qtbot, server, laptop):
    name = f"jcim_settings_{os.getpid()}_icu"
    with server.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        try:
            conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                              "LOCALE_PROVIDER icu ICU_LOCALE 'ja-JP'"))
        except DBAPIError:
            pytest.skip("this PostgreSQL server makes no ICU database (PostgreSQL 15+ built with ICU)")
    server.made.append(name)
    said = connection_test(qtbot, dialog_on(qtbot, laptop), server.url(name))
    assert said.startswith("⚠ ") and "照合順序が ja-JP (ICU) のため、文字を SQLite と違う順に並べます" in said
    assert "jcim-desktop db check" in said
    said = connection_test(qtbot, dialog_on(qtbot, laptop), server.new_database())
    assert said.startswith("✓ ") and "照合順序" not in said


def test_a_long_name_in_the_status_bar_is_cut_at_its_end_with_the_whole_in_its_tooltip(qtbot, laptop):
    laptop.settings.user_name = "長谷川 一二三四五六七八九十 (インフラメンテナンス国民会議 事務局 担当)"
    win = MainWindow(laptop)
    qtbot.addWidget(win)
    label = win.statusBar().findChild(QLabel, "whoLabel")
    assert label.text().endswith("…") and label.text().startswith("中国フォーラム｜長谷川")
    assert label.toolTip().endswith("事務局 担当)") and label.sizeHint().width() <= label.maximumWidth()
    ops.wait_for_all()
    win.close()
