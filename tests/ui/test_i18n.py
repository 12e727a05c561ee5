"""English as a second language: the catalogue, its patterns, and widgets translated in place."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from jcim_desktop.domain.vocab import NEED_STATUSES
from jcim_desktop.paths import resource_path
from jcim_desktop.ui import i18n, ops
from jcim_desktop.ui.forms import child

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def _load_update() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jcim_i18n_update", ROOT / "resources" / "i18n" / "update.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


update = _load_update()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    """The English catalogue and the retranslation filter, installed as app.install_translation
    does, and taken out again so that every other test stays Japanese."""
    translator = QTranslator()
    assert translator.load(str(resource_path("i18n/jcim_desktop_en.qm")))
    style = qapp.style().name()
    qapp.installTranslator(translator)
    assert i18n.install_retranslation(qapp)
    yield translator
    ops.wait_for_all()
    i18n.remove_retranslation(qapp)
    qapp.removeTranslator(translator)
    i18n.clear_cache()
    assert not i18n.is_active() and not i18n.installed()
    assert qapp.style().name() == style


# -- the catalogue -------------------------------------------------------------------------

def test_every_japanese_literal_of_the_ui_has_a_translation() -> None:
    found = update.extract()
    assert len(found.literals) > 400
    missing = update.missing(found)
    assert not missing, (
        "Japanese UI texts without an English translation — add them to "
        f"resources/i18n/jcim_desktop_en.ts (python resources/i18n/update.py --stubs): {sorted(missing)[:20]}"
    )


def test_the_compiled_catalogue_is_up_to_date_with_the_ts_file() -> None:
    assert update.qm_is_current(), "run python resources/i18n/update.py to recompile jcim_desktop_en.qm"


def test_every_ts_entry_is_finished_and_not_identical_to_its_source() -> None:
    entries = update.read_ts()
    assert len(entries) == len(update.all_ts_sources())
    same = [source for source, english in entries.items() if source == english]
    assert not same
    assert entries[i18n.LANGUAGE_KEY] == "en"


# f-strings of ui/ whose sample rendering (each {} as "1") no pattern can translate: they are
# either not shown in the GUI or their filled-in parts are data. Keep this list short.
DYNAMIC_IGNORED = {
    "{}の{}",  # the dialog title: "<kind>の編集/新規登録", covered through its real values below
    "{}（閲覧のみ）",  # the same, read-only
    "{} {}件",  # the funnel's tip: a stage and its count ("検討 12件"), tested below with real values
    "{}・",  # the funnel note's prefix, completed by an org name
    "・{}",  # an owner appended to an event type
    "{}\nデータなし",  # the map's tip: a prefecture name and "no data"
    "画面定義ファイル {} を開けません。",  # a broken installation, before any window
    "画面定義ファイル {} を読み込めません: {}",
    "データフォルダ {} はまだ初期化されていません。先に init と demo を実行してください。",  # CLI
    "{};;すべてのファイル (*)",  # a file-dialog filter (Qt's dialog is left alone)
    "jcim-{}{}-{}-第{}号{}",  # suggested file names
    "jcim-{}-公開鍵-{}.pub",
    "KPI実績報告_{}.pdf",  # suggested file names of the レポート menu
    "KPI集計表_{}.xlsx",
    "活動計画実績_{}_{}.pdf",
    "マッチング情報シート_{}.pdf",
    "参画率マップ_{}.pdf",
    "版{}{}\n{}・{}",  # a conflict version's header, tested below with real values
    "・…・{}号など{}号分",  # a piece of "第2・3・…・9号など8号分が届いていません", tested below
    "号（{}号分）",  # a piece of "第2～9号（8号分）が届いていません", tested below
}


FILLERS = ("1", "中国", "令和6年度", "自治体ニーズ")
"""What the {} of an f-string are filled with to try it (the first that translates wholly wins)."""


def test_dynamic_texts_of_the_ui_are_covered_by_patterns(english) -> None:
    found = update.extract()
    untranslated = []
    for template, where in found.dynamic.items():
        if template in DYNAMIC_IGNORED or not where[0].startswith("jcim_desktop/ui/"):
            continue
        samples = [template.replace("{}", filler).replace("{{", "{").replace("}}", "}") for filler in FILLERS]
        if all(i18n.JAPANESE.search(i18n.tr_dynamic(sample)) for sample in samples):
            untranslated.append((where[0], template))
    assert not untranslated, f"add a PATTERN in jcim_desktop/ui/i18n.py (or a catalogue entry): {untranslated}"


PAIRS = [
    ("1,234 件", "1,234 records"),
    ("1 件", "1 record"),
    ("令和6年度（2024）", "FY2024"),
    ("令和元年度", "FY2019"),
    ("R6年度", "FY2024"),
    ("令和7年3月1日", "Mar 1, 2025"),
    ("令和6年7月1日〜3日", "Jul 1–3, 2024"),
    ("令和6年12月30日〜1月2日", "Dec 30, 2024 – Jan 2, 2025"),
    ("中国フォーラム｜令和6年度（2024）｜令和7年3月1日現在", "Chugoku Forum | FY2024 | as of Mar 1, 2025"),
    ("自治体ニーズの新規登録", "New municipal need"),
    ("シーズ（技術）の編集", "Edit technology seed"),
    ("自治体ニーズを新しく登録します（Ctrl+N）", "Register a new municipal need (Ctrl+N)"),
    ("道路・橋梁・トンネル", "Roads, Bridges, Tunnels"),
    ("セミナー・講演会・講習会・中国フォーラム", "Seminar/lecture/course, Chugoku Forum"),
    ("保存するには次の項目を入力・修正してください: 自治体、技術テーマ",
     "To save, fill in or correct: Municipality, Technology theme"),
    ("→ 2024-07-01〜2024-09-30 第2四半期", "→ 2024-07-01〜2024-09-30 Q2"),
    ("目標 未設定｜1088 / 1741 市区町村", "No target set | 1088 / 1741 municipalities"),
    ("全国目標 300団体（参考）", "National target: 300"),
    ("3日経過", "3 days overdue"),
    ("検討 12件\u3000成立 3件", "Considered 12   Established 3"),
    ("\u3000北海道", "\u3000Hokkaido"),
    ("版A（現在の内容）\n2026-11-23 10:15・この端末", "Version A (Current content)\n2026-11-23 10:15, This computer"),
    ("鍵ID 73b0-a423（中国フォーラム）の信頼をやめますか？", "Stop trusting key 73b0-a423 (Chugoku Forum)?"),
    ("計 14 件（追加 3・更新 1・変更なし 10）", "Total 14 (Added 3, Updated 1, Unchanged 10)"),
    ("第2～1,099,511,627,775号（1,099,511,627,774号分）が届いていません（全件の写しなので失われたデータはありません）",
     "Issues not received: 2–1,099,511,627,775 (1,099,511,627,774 issues) (each package is a full copy, "
     "so no data is lost)"),
    ("第2・3・5・…・9号など6号分が届いていません（全件の写しなので失われたデータはありません）",
     "Issues not received: 2, 3, 5, …, 9 and more (6 issues) (each package is a full copy, so no data is lost)"),
    ("技術テーマを入力してください。", "Please enter Technology theme."),
    ("広島県福山市", "広島県福山市"),  # data: left as it is
    ("令和6年7月1日 9:30:05", "Jul 1, 2024 9:30:05"),
    ("令和6年7月1日 9:30:05（毎日の自動）のバックアップから復元しますか？",
     "Restore the backup of Jul 1, 2024 9:30:05 (Daily (automatic))?"),
    ("今のデータベースは jcim.before-restore-20240701-093005.sqlite3 として同じフォルダに残します。\n"
     "令和6年7月1日 9:30:05 より後に入力・取り込みした変更は、復元したデータには含まれません。",
     "The current database is kept in the same folder as jcim.before-restore-20240701-093005.sqlite3.\n"
     "Changes entered or imported after Jul 1, 2024 9:30:05 are not in the restored data."),
    ("データベース（/d/jcim.sqlite3）が壊れています: ファイルが空です（0 バイト）。",
     "The database (/d/jcim.sqlite3) is damaged: the file is empty (0 bytes)."),
    ("最新の正常なバックアップ: 令和6年7月1日 9:30:05（手動）", "Newest good backup: Jul 1, 2024 9:30:05 (Manual)"),
]


@pytest.mark.parametrize(("japanese", "expected"), PAIRS)
def test_patterns_translate_texts_with_dynamic_parts(english, japanese: str, expected: str) -> None:
    english_text = i18n.tr_dynamic(japanese)
    assert english_text == expected
    assert i18n.tr_dynamic(english_text) == english_text  # idempotent


def test_pattern_templates_refer_only_to_groups_their_regex_has() -> None:
    for regex, template in i18n.PATTERNS:
        assert isinstance(regex, re.Pattern)
        if isinstance(template, str):
            refs = {int(n) for n in re.findall(r"\\(\d)", template)}
            assert refs <= set(range(1, regex.groups + 1)), regex.pattern
        else:
            assert callable(template)


# -- widgets -------------------------------------------------------------------------------

def test_main_window_shows_english_sidebar_menus_and_pages(english, qtbot, forum) -> None:
    from jcim_desktop.ui.main_window import MainWindow

    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    sidebar = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert not [text for text in sidebar if i18n.JAPANESE.search(text)]
    assert sidebar[:9] == [
        "Dashboard", "Activities & events", "Pitch events", "Municipal needs", "Technology seeds",
        "Matching", "Field trials", "Municipal support", "Municipality master",
    ]
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Reports", "&Help"]
    edit_menu = window.menuBar().actions()[1].menu()
    assert [a.text() for a in edit_menu.actions() if not a.isSeparator()][:2] == ["&New", "&Edit…"]
    assert window.windowTitle() == "JCIM Desktop — Chugoku Forum"

    # A page built after the window was shown is translated as it appears, combo data intact.
    page = window.show_page("needs")
    qtbot.waitUntil(lambda: page.new_button.text() == "New")
    assert page.search.placeholderText() == "Search (kana or kanji)"
    assert page.year_combo.itemText(0) == "All years" and page.year_combo.itemData(0) is None
    assert page.year_combo.itemText(1).startswith("FY") and isinstance(page.year_combo.itemData(1), int)
    assert page.status_combo is not None
    assert [page.status_combo.itemData(i) for i in range(1, page.status_combo.count())] == list(NEED_STATUSES)
    assert page.status_combo.itemText(1) == "Received"
    # The count, set once the rows are in ("0 件"), is translated when it is painted.
    qtbot.waitUntil(lambda: page.count_label.text() in ("0 records", "Counting…"))
    qtbot.waitUntil(lambda: page.count_label.text() == "0 records")
    # The model itself stays Japanese (sorting, tests and the CLI rely on it).
    assert page.model.headerData(0, page.table.horizontalHeader().orientation()) == "年度"
    assert isinstance(QApplication.instance().style(), i18n.TranslatingStyle)  # headers and cells, painted


def test_need_dialog_shows_english_labels_and_keeps_combo_data(english, qtbot, forum) -> None:
    from jcim_desktop.ui.dialogs.need import NeedDialog

    dialog = NeedDialog(forum)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "New municipal need"
    assert child(dialog.form, QLabel, "titleLabel").text() == "Technology theme"
    assert child(dialog.form, QLabel, "statusLabel").text() == "Status"
    assert dialog.save_button.text() == "Save" and dialog.cancel_button.text() == "Cancel"
    status = child(dialog.form, QComboBox, "statusCombo")
    texts = [status.itemText(i) for i in range(status.count())]
    data = [status.itemData(i) for i in range(status.count())]
    assert "Received" in texts and "受付" not in texts
    assert [d for d in data if d is not None] == list(NEED_STATUSES)
    assert dialog.data()["status"] == "open"
    assert dialog.facility_types.checkbox("bridge").text() == "Bridges"
    # Idempotent: translating again changes nothing.
    before = [w.text() for w in dialog.findChildren(QLabel)]
    i18n.retranslate(dialog)
    i18n.retranslate(dialog)
    assert [w.text() for w in dialog.findChildren(QLabel)] == before
    assert [status.itemData(i) for i in range(status.count())] == data
    dialog.discard_draft()


def test_without_the_translator_everything_stays_japanese(qtbot, forum) -> None:
    from jcim_desktop.ui.dialogs.need import NeedDialog
    from jcim_desktop.ui.main_window import MainWindow

    assert not i18n.is_active()
    assert i18n.tr_dynamic("令和6年度（2024）") == "令和6年度（2024）"
    assert not i18n.install_retranslation(QApplication.instance())  # nothing to install
    window = MainWindow(forum)
    qtbot.addWidget(window)
    window.show()
    i18n.retranslate(window)
    assert window.sidebar.item(0).text() == "ダッシュボード"
    assert [a.text() for a in window.menuBar().actions()][0] == "ファイル(&F)"
    dialog = NeedDialog(forum)
    qtbot.addWidget(dialog)
    dialog.show()
    i18n.retranslate(dialog)
    assert child(dialog.form, QLabel, "titleLabel").text() == "技術テーマ"
    assert dialog.windowTitle() == "自治体ニーズの新規登録"
    ops.wait_for_all()
