"""バックアップ → 取り込みの取り消し: the recent imports listed, undoing one (and every newer one)
after a confirmation that names them, the pages told, and a refusal that changes nothing
(issue 14 point 2; the service is tested in tests/sync/test_import_undo.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from helpers import code, content
from jcim_desktop.services import records, sync
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import language, ops
from jcim_desktop.ui.backup_dialog import BackupDialog
from jcim_desktop.ui.bus import ChangeBus
from jcim_desktop.ui.main_window import MainWindow
from language_walk import english_outside_allow_list, japanese_outside_data, visible_texts

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")]


def need(title: str) -> dict:
    # Received today: the list page shows the current fiscal year.
    return {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "安価に",
            "received_on": dt.date.today().isoformat(), "status": "open"}


def needs(ctx: AppContext) -> list[records.Record]:
    return sorted(records.list_records(ctx, "needs", records.Query()), key=lambda r: r.id)


@pytest.fixture
def answers(answers):  # type: ignore[no-untyped-def]
    """The shared ``answers`` (tests/ui/conftest.py), a question answered 「取り消す」."""
    answers.click = "取り消す"
    return answers


class Imports:
    """A secretariat that imported three packages of 中国 (the forum changed records between them)."""

    def __init__(self, make_ctx, folder: Path) -> None:  # type: ignore[no-untyped-def]
        self.forum = make_ctx("chugoku")
        self.secretariat = make_ctx("secretariat")
        sync.add_trust(self.secretariat, self.forum.public_key, ["chugoku"])
        records.create(self.forum, "needs", need("河川堤防の点検"))
        self.p0 = self.export(folder / "a-0.jcimsync")
        first = records.create(self.forum, "needs", need("橋梁点検の省力化"))
        self.p1 = self.export(folder / "a-1.jcimsync")
        records.update(self.forum, "needs", first.id, {"title": "橋梁点検の省力化（改）"})
        records.create(self.forum, "needs", need("側溝の清掃"))
        self.p2 = self.export(folder / "a-2.jcimsync")
        self.before: dict[str, list[records.Record]] = {}
        for name, package in (("a-0", self.p0), ("a-1", self.p1), ("a-2", self.p2)):
            self.before[name] = needs(self.secretariat)
            assert sync.import_packages(self.secretariat, [package])[0].status == "accepted"

    def export(self, path: Path) -> Path:
        return sync.export_package(self.forum, path).path  # type: ignore[no-any-return]


@pytest.fixture
def imports(make_ctx, tmp_path: Path) -> Imports:  # type: ignore[no-untyped-def]
    return Imports(make_ctx, tmp_path)


def open_on_imports(qtbot, ctx: AppContext, parent: QWidget | None = None) -> BackupDialog:  # type: ignore[no-untyped-def]
    dialog = BackupDialog(ctx, parent)
    if parent is None:
        qtbot.addWidget(dialog)  # else it goes with its parent
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentWidget(dialog.imports_tab)
    qtbot.waitUntil(lambda: ops.running() == 0)
    return dialog


def listed(dialog: BackupDialog) -> list[str]:
    model = dialog.import_model
    return [model.index(row, 2).data() for row in range(model.rowCount())]


def host_with_bus(qtbot) -> tuple[QWidget, list[Changes]]:  # type: ignore[no-untyped-def]
    """A parent window with a change bus (ops announces on its parent's bus), and what it hears."""
    host = QWidget()
    qtbot.addWidget(host)
    host.bus = ChangeBus(host)  # type: ignore[attr-defined]
    heard: list[Changes] = []
    host.bus.changed.connect(heard.append)  # type: ignore[attr-defined]
    return host, heard


# -- undoing from the menu's dialog ------------------------------------------------------------------


def test_undoing_an_older_import_undoes_the_newer_one_too_and_the_pages_follow(qtbot, imports, answers, monkeypatch):
    ctx = imports.secretariat
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("needs")
    qtbot.waitUntil(lambda: ops.running() == 0 and page.model.rowCount() == 3)
    heard: list[Changes] = []
    window.bus.changed.connect(heard.append)

    def run_dialog(dialog: BackupDialog) -> int:
        # The person opens the tab, picks the older of the last two imports and presses the button.
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.tabs.setCurrentWidget(dialog.imports_tab)
        qtbot.waitUntil(lambda: listed(dialog) == ["a-2.jcimsync", "a-1.jcimsync", "a-0.jcimsync"])
        model = dialog.import_model
        assert [model.index(0, c).data() for c in range(5)][:2] == ["中国フォーラム", "第3号"]
        assert model.index(0, 3).data().startswith("令和") and model.index(0, 4).data() == "2"
        dialog.import_table.selectRow(1)
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ops.running() == 0 and listed(dialog) == ["a-0.jcimsync"])
        return 0

    monkeypatch.setattr(BackupDialog, "exec", run_dialog)
    file_menu = window.menuBar().actions()[0].menu()
    next(a for a in file_menu.actions() if a.text() == "バックアップ(&B)…").trigger()

    # The confirmation named both imports (the chosen one and the newer one) and the refusal rule.
    (question, detail), (_title, done) = answers.shown
    assert question == "次の 2 件の取り込みを取り消しますか？"
    assert "中国フォーラム 第3号" in detail and "a-2.jcimsync" in detail
    assert "中国フォーラム 第2号" in detail and "a-1.jcimsync" in detail
    assert "a-0.jcimsync" not in detail and "第1号" not in detail
    assert "選んだ取り込みより新しい取り込みもいっしょに取り消します" in detail
    assert "そのあとで変更されているときは" in detail and "何も変更しません" in detail
    assert done.startswith("2 件の取り込みを取り消しました。") and "a-1.jcimsync" in done and "a-2.jcimsync" in done

    # The records are as before the second import; the first import can still be undone.
    assert needs(ctx) == imports.before["a-1"]
    assert [u.file_name for u in sync.undoable_imports(ctx)] == ["a-0.jcimsync"]
    # The window heard it once, and the list page shows what is left.
    assert len(heard) == 1 and heard[0].touches("needs")
    qtbot.waitUntil(lambda: ops.running() == 0 and page.model.rowCount() == 1)
    assert window.replaced_by is None  # no restore: the window goes on with the same data


def test_the_newest_import_is_chosen_first_and_undone_alone(qtbot, imports, answers):
    host, heard = host_with_bus(qtbot)
    dialog = open_on_imports(qtbot, imports.secretariat, host)
    assert dialog.selected_import() is not None and dialog.selected_import().file_name == "a-2.jcimsync"
    dialog.import_table.setFocus()
    qtbot.keyClick(dialog.import_table, Qt.Key.Key_Return)  # Enter on the row asks, as the button does
    qtbot.waitUntil(lambda: ops.running() == 0 and listed(dialog) == ["a-1.jcimsync", "a-0.jcimsync"])
    (question, detail), _done = answers.shown
    assert question == "次の 1 件の取り込みを取り消しますか？"
    assert "a-2.jcimsync" in detail and "a-1.jcimsync" not in detail and "いっしょに取り消します" not in detail
    assert needs(imports.secretariat) == imports.before["a-2"]
    assert len(heard) == 1


def test_saying_no_changes_nothing(qtbot, imports, answers):
    host, heard = host_with_bus(qtbot)
    before = content(imports.secretariat)
    dialog = open_on_imports(qtbot, imports.secretariat, host)
    answers.click = "取り消さない"
    dialog.import_table.selectRow(2)
    dialog.undo_button.click()
    qtbot.waitUntil(lambda: ops.running() == 0)
    ((question, detail),) = answers.shown
    assert question == "次の 3 件の取り込みを取り消しますか？" and "a-0.jcimsync" in detail
    assert content(imports.secretariat) == before and heard == []
    assert listed(dialog) == ["a-2.jcimsync", "a-1.jcimsync", "a-0.jcimsync"]


# -- refusals -------------------------------------------------------------------------------------------


def test_a_record_changed_since_refuses_with_the_message_and_changes_nothing(qtbot, make_ctx, tmp_path, answers):
    a = make_ctx("chugoku", "a")
    b = make_ctx("chugoku", "b")
    sync.add_trust(b, a.public_key, ["chugoku"])
    first = records.create(a, "needs", need("橋梁点検の省力化"))
    package = sync.export_package(a, tmp_path / "a-1.jcimsync").path
    assert sync.import_packages(b, [package])[0].status == "accepted"
    records.update(b, "needs", first.id, {"title": "B で直した題名"})
    before = content(b)

    host, heard = host_with_bus(qtbot)
    dialog = open_on_imports(qtbot, b, host)
    assert listed(dialog) == ["a-1.jcimsync"]
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ops.running() == 0 and len(answers.shown) == 2)

    (_question, _detail), (refused, message) = answers.shown
    assert refused == "取り込みを取り消せませんでした。"
    assert f"自治体ニーズ（id {first.id}）" in message and "変更されているため" in message
    assert "何も変更していません" in message and "バックアップから復元" in message
    assert content(b) == before and heard == []
    assert [r.data["title"] for r in needs(b)] == ["B で直した題名"]
    assert listed(dialog) == ["a-1.jcimsync"] and dialog.undo_button.isEnabled()


def test_an_import_that_arrived_after_the_list_was_read_stops_the_undo(qtbot, imports, answers, tmp_path):
    """The confirmation names exactly what is undone: if a newer import arrived meanwhile (the
    sync page's import finishing in the background), nothing is undone and the list is read again."""
    ctx = imports.secretariat
    host, heard = host_with_bus(qtbot)
    dialog = open_on_imports(qtbot, ctx, host)
    records.create(imports.forum, "needs", need("トンネル照明の点検"))
    late = imports.export(tmp_path / "a-3.jcimsync")
    assert sync.import_packages(ctx, [late])[0].status == "accepted"
    before = content(ctx)
    dialog.import_table.selectRow(1)
    dialog.undo_button.click()
    qtbot.waitUntil(lambda: ops.running() == 0 and len(answers.shown) == 2 and len(listed(dialog)) == 4)
    (question, detail), (refused, message) = answers.shown
    assert "a-3.jcimsync" not in detail
    assert refused == "取り込みを取り消せませんでした。" and "取り込みの一覧が変わっていたため" in message
    assert content(ctx) == before and heard == []
    assert listed(dialog)[0] == "a-3.jcimsync"


def test_without_imports_the_tab_says_so(qtbot, forum):
    dialog = open_on_imports(qtbot, forum)
    assert dialog.import_model.rowCount() == 0
    assert dialog.imports_empty_label.isVisibleTo(dialog)
    assert dialog.imports_empty_label.text() == "取り消せる取り込みはありません。"
    assert not dialog.undo_button.isEnabled()


# -- keyboard, size and languages ---------------------------------------------------------------------


def test_the_tab_is_reached_and_worked_from_the_keyboard_and_fits(qtbot, imports):
    dialog = BackupDialog(imports.secretariat)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: ops.running() == 0)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 680
    dialog.activateWindow()
    tab_bar = dialog.tabs.tabBar()
    tab_bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab_bar)
    qtbot.keyClick(tab_bar, Qt.Key.Key_Right)  # the tab bar's arrows switch to 取り込みの取り消し
    assert dialog.tabs.currentWidget() is dialog.imports_tab
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.import_table, dialog.undo_button, dialog.close_button, tab_bar]
    assert "&U" in dialog.undo_button.text() and not dialog.undo_button.autoDefault()
    # Nothing of the table is cut: no sideways scroll bar, dates, numbers and counts whole.
    table = dialog.import_table
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(5)) <= table.viewport().width()
    metrics = table.fontMetrics()
    for row in range(dialog.import_model.rowCount()):
        for column in (1, 3, 4):
            text = dialog.import_model.index(row, column).data()
            assert metrics.horizontalAdvance(text) < header.sectionSize(column), (column, text)


@pytest.fixture
def english(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    assert language.use_language("en") == "en"
    yield
    language.use_language("ja")


def _data_words(dialog: BackupDialog) -> set[str]:
    """What the list shows as it is stored (file names), allowed in either language."""
    import re

    return {word for name in listed(dialog) for word in re.findall(r"[A-Za-z]+", name)}


def test_the_tab_speaks_japanese(qtbot, imports, answers):
    dialog = open_on_imports(qtbot, imports.secretariat)
    texts = visible_texts(dialog)
    assert any("バックアップを使わずに取り消せます" in text for _where, text in texts)
    assert not english_outside_allow_list(texts, _data_words(dialog))


def test_the_tab_and_its_questions_speak_english(qtbot, imports, answers, english):
    dialog = open_on_imports(qtbot, imports.secretariat)
    texts = visible_texts(dialog)
    assert "Undo imports" in [text for where, text in texts if where.endswith(" tab")]
    assert not japanese_outside_data(texts, set())
    assert dialog.import_model.index(0, 1).data() == "No. 3" and dialog.import_model.index(0, 0).data() == "Chugoku Forum"
    answers.click = "Don't undo"
    dialog.import_table.selectRow(1)
    dialog.undo_button.click()
    ((question, detail),) = answers.shown
    assert question == "Undo these 2 imports?"
    assert "• Chugoku Forum No. 2 (imported " in detail and "newest first" in detail
    assert not japanese_outside_data([("box", question), ("box", detail)], set())
