"""ヘルプ → 操作ガイド (F1): the Japanese guide in a window of the application, its sections and
links, its pictures from resources/help/img/, and the script that makes those pictures."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument

from jcim_desktop.paths import resource_path
from jcim_desktop.ui import ops
from jcim_desktop.ui.help_browser import GuideWindow, guide_path, image_sources, open_guide, sections
from jcim_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
# The daily tasks of issue 12, point 7: a forum's, then the secretariat's.
TASKS = {
    "first-start": "初めて起動する",
    "need": "自治体ニーズを登録する",
    "plan": "活動計画を登録する",
    "matching": "マッチングを次の段階へ進める",
    "send": "同期パッケージを事務局へ送る",
    "import": "パッケージを取り込む",
    "conflicts": "競合を解決する",
    "tally": "全国集計を見る",
    "close-year": "年度を確定する",
}
PICTURES_SIZE_LIMIT = 1_500_000
"""All the guide's pictures together, in bytes: the installer is close to its size limit."""


@pytest.fixture
def window(qtbot, forum):
    win = MainWindow(forum)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_for_all()


def _guide(window: MainWindow) -> GuideWindow:
    guide = window.findChild(GuideWindow)
    assert guide is not None
    return guide


def _html() -> str:
    return guide_path().read_text(encoding="utf-8")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("help_screenshots", ROOT / "tools" / "help_screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_help_menu_opens_the_guide_with_every_task(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("ヘルプ"))
    entry = next(a for a in help_menu.actions() if a.text().startswith("操作ガイド"))
    assert entry.shortcut().toString() == "F1"
    entry.trigger()
    guide = _guide(window)
    qtbot.waitUntil(guide.isVisible)
    assert guide.windowTitle().startswith("操作ガイド")
    assert not guide.note.isVisible()  # the Japanese window needs no note that the guide is Japanese
    shown = guide.browser.toPlainText()
    listed = [guide.contents.item(row).text().strip() for row in range(guide.contents.count())]
    for anchor, title in TASKS.items():
        assert title in shown, title
        assert title in listed, title
        assert guide.anchor_top(anchor) is not None, anchor
    # The forum's tasks come first, then the secretariat's, in the order of TASKS.
    positions = [guide.anchor_top(anchor) for anchor in TASKS]
    assert positions == sorted(positions)
    assert "フォーラムの作業" in listed and "事務局の作業" in listed
    # Opening it again raises the same window.
    entry.trigger()
    assert window.findChildren(GuideWindow) == [guide]


def test_f1_opens_the_section_of_the_page_shown(qtbot, window):
    window.show_page("needs")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = _guide(window)
    qtbot.waitUntil(guide.isVisible)
    qtbot.waitUntil(lambda: guide.current_section() == "need")
    assert guide.contents.currentItem().text().strip() == "自治体ニーズを登録する"
    window.show_page("sync")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: guide.current_section() == "send")


def test_every_picture_is_there_and_shown(qtbot, window):
    html = _html()
    sources = image_sources(html)
    assert len(sources) >= len(TASKS)  # one picture per task at least
    for source in sources:
        assert not Path(source).is_absolute() and source.startswith("img/"), source
        assert (guide_path().parent / source).is_file(), source
    # Found through resource_path, as the installer's bundle finds them.
    assert guide_path() == resource_path("help") / "guide.html"
    window.act_guide.trigger()
    guide = _guide(window)
    qtbot.waitUntil(guide.isVisible)
    document = guide.browser.document()
    for source in sources:
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(source))
        if image is None:
            image = guide.browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(source))
        assert image is not None and not image.isNull(), source


def test_choosing_a_contents_entry_scrolls_to_its_section(qtbot, window):
    window.act_guide.trigger()
    guide = _guide(window)
    qtbot.waitUntil(guide.isVisible)
    bar = guide.browser.verticalScrollBar()
    row = next(r for r in range(guide.contents.count())
               if guide.contents.item(r).data(Qt.ItemDataRole.UserRole) == "conflicts")
    item = guide.contents.item(row)
    qtbot.mouseClick(guide.contents.viewport(), Qt.MouseButton.LeftButton,
                     pos=guide.contents.visualItemRect(item).center())
    target = guide.anchor_top("conflicts")
    assert target is not None and target > 0
    qtbot.waitUntil(lambda: abs(bar.value() - min(target, bar.maximum())) <= 2)
    assert guide.current_section() == "conflicts"


def test_a_link_inside_the_guide_goes_to_the_section_it_names(qtbot, window):
    window.act_guide.trigger()
    guide = _guide(window)
    qtbot.waitUntil(guide.isVisible)
    guide.show_section("first-start")
    browser = guide.browser
    # The link in 「初めて起動する」 to 「端末の鍵を登録する」: click it as a person would.
    cursor = browser.document().find("端末の鍵を登録する", browser.document().find("追加する必要はありません"))
    assert not cursor.isNull() and cursor.charFormat().anchorHref() == "#register-keys"
    middle = QTextCursor(cursor)
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    browser.setTextCursor(middle)
    browser.ensureCursorVisible()
    point = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: guide.current_section() == "register-keys")
    assert guide.contents.currentItem().text().strip() == "端末の鍵を登録する"


def test_the_english_window_says_the_guide_is_japanese(qtbot, forum, english):
    parent = MainWindow(forum)
    qtbot.addWidget(parent)
    guide = open_guide(parent, "tally")
    qtbot.waitUntil(guide.isVisible)
    assert guide.note.isVisible()
    assert guide.note.text() == "This user guide is written in Japanese."
    assert guide.windowTitle().startswith("User guide")
    assert "全国集計を見る" in guide.browser.toPlainText()
    ops.wait_for_all()


def test_the_script_makes_exactly_the_pictures_the_guide_uses():
    script = _script()
    used = {Path(source).name for source in image_sources(_html())}
    assert set(script.PICTURES) == used
    assert len(script.PICTURES) == len(set(script.PICTURES))
    # The committed pictures are those, no more, small enough for the installer.
    committed = {p.name: p for p in (guide_path().parent / "img").glob("*")}
    assert set(committed) == used
    assert sum(p.stat().st_size for p in committed.values()) < PICTURES_SIZE_LIMIT
    for path in committed.values():
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width <= script.MAX_WIDTH, path.name
    # The pages come from `gui --screenshot`, at the window's minimum size.
    assert script.WINDOW_SIZE == (1024, 680)
    page_ids = {page for _, page in script.PAGE_SHOTS.values()}
    assert page_ids <= {"matchings", "sync", "national_tally", "dashboard", "events", "needs", "conflicts", "received"}


def test_sections_are_read_from_the_headings():
    found = sections(_html())
    assert {s.anchor: s.title for s in found if not s.group and s.anchor in TASKS} == TASKS
    assert [s.title for s in found if s.group][1:] == ["フォーラムの作業", "事務局の作業"]


@pytest.mark.slow
def test_the_script_regenerates_every_picture(tmp_path):
    """The pictures are made from the application as it is now: the script runs through."""
    out = tmp_path / "img"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "help_screenshots.py"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    script = _script()
    assert {p.name for p in out.glob("*.png")} == set(script.PICTURES)
    for path in out.glob("*.png"):
        with Image.open(path) as image:
            assert 300 <= image.width <= script.MAX_WIDTH and image.height >= 200, path.name
            assert image.mode == "P", path.name  # palette: small in the installer
    assert sum(p.stat().st_size for p in out.glob("*.png")) < PICTURES_SIZE_LIMIT
