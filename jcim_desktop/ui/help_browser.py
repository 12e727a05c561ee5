"""操作ガイド: the user guide, Japanese HTML in ``resources/help/`` shown in a window of its own.

The guide is one HTML file (``guide.html``): ``<h1>`` groups (フォーラムの作業, 事務局の作業) and
``<h2>`` sections, each heading wrapped in ``<a name="…">`` so that links (``href="#need"``)
and the contents list can scroll to it; its pictures are PNGs in ``resources/help/img/``, made
from the application's own screens by ``tools/help_screenshots.py``. Files are found with
``paths.resource_path``, the same way from a checkout and from the installer's bundle.

The window (ヘルプ → 操作ガイド, F1) has the contents on the left and the guide on the right;
it opens at the section about the page the main window shows. The guide is written in
Japanese; in the English window a line at the top says so.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut, QTextBlock
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jcim_desktop.paths import resource_path
from jcim_desktop.ui import language, palette

HELP_DIR = "help"
GUIDE_FILE = "guide.html"

# The section F1 opens on each page (the rest open at the top).
PAGE_SECTIONS: dict[str, str] = {
    "events": "plan",
    "pitch_events": "plan",
    "needs": "need",
    "matchings": "matching",
    "trials": "matching",
    "sync": "send",
    "conflicts": "conflicts",
    "national_tally": "tally",
    "received": "import",
}
SECRETARIAT_PAGE_SECTIONS: dict[str, str] = {**PAGE_SECTIONS, "sync": "import"}

_HEADING = re.compile(r'<h([12])[^>]*>\s*<a name="([^"]+)">(.*?)</a>\s*</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"', re.I)


@dataclass(frozen=True)
class Section:
    """A heading of the guide: its anchor, its text, and whether it heads a group (``<h1>``)."""

    anchor: str
    title: str
    group: bool


def guide_path() -> Path:
    """The guide's HTML file (bundled with the application)."""
    return resource_path(HELP_DIR) / GUIDE_FILE


def sections(text: str) -> list[Section]:
    """The guide's headings in order (``<h1>``/``<h2>`` whose text is an ``<a name>``)."""
    return [Section(anchor, html.unescape(_TAG.sub("", title)).strip(), level == "1")
            for level, anchor, title in _HEADING.findall(text)]


def image_sources(text: str) -> list[str]:
    """The ``src`` of every picture in the guide, relative to its folder (``img/need.png``)."""
    return _IMAGE.findall(text)


class GuideWindow(QWidget):
    """The guide in a window of its own: the contents on the left, the guide on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("guideWindow")
        self.setWindowTitle(self.tr("操作ガイド — JCIM Desktop"))
        self.resize(QSize(1060, 760))
        self.setMinimumSize(QSize(760, 480))
        path = guide_path()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = ""
        self.sections = sections(text)

        self.note = QLabel(self.tr("この操作ガイドは日本語で書かれています。"))
        self.note.setStyleSheet(f"color: {palette.MUTED}; padding: 4px 2px;")
        self.note.setVisible(language.current() != "ja")

        self.contents = QListWidget()
        self.contents.setObjectName("guideContents")
        self.contents.setAccessibleName(self.tr("目次"))
        bold = QFont(self.contents.font())
        bold.setBold(True)
        for section in self.sections:
            item = QListWidgetItem(section.title, self.contents)
            item.setData(Qt.ItemDataRole.UserRole, section.anchor)
            if section.group:
                item.setFont(bold)
            else:
                item.setText("　" + section.title)
        self.contents.currentItemChanged.connect(self._contents_chosen)

        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(path.parent)])
        if text:
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        else:
            self.browser.setPlainText(self.tr("操作ガイドのファイルが見つかりません: {path}").format(path=path))
        self.browser.verticalScrollBar().valueChanged.connect(self._follow_scroll)

        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 830])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self, self.close)

    # Moving about ---------------------------------------------------------------------------
    def show_section(self, anchor: str) -> None:
        """Scroll the guide to the section ``anchor`` (an ``<a name>``) and mark it in the contents."""
        self.browser.scrollToAnchor(anchor)
        self._mark(anchor)

    def _contents_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.browser.scrollToAnchor(str(item.data(Qt.ItemDataRole.UserRole)))

    def _mark(self, anchor: str) -> None:
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == anchor:
                self.contents.blockSignals(True)
                self.contents.setCurrentItem(item)
                self.contents.blockSignals(False)
                self.contents.scrollToItem(item)
                return

    def anchor_top(self, anchor: str) -> float | None:
        """Where the section ``anchor`` starts in the guide (document coordinates), None if absent."""
        document = self.browser.document()
        layout = document.documentLayout()
        block: QTextBlock = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and anchor in fragment.charFormat().anchorNames():
                    return float(layout.blockBoundingRect(block).top())
                iterator += 1
            block = block.next()
        return None

    def current_section(self) -> str | None:
        """The section at the top of the guide's view (the last heading scrolled past)."""
        top = self.browser.verticalScrollBar().value() + 4
        current = None
        for section in self.sections:
            position = self.anchor_top(section.anchor)
            if position is not None and position <= top:
                current = section.anchor
        return current

    def _follow_scroll(self, _value: int) -> None:
        current = self.current_section()
        if current is not None:
            self._mark(current)


def open_guide(parent: QWidget, section: str | None = None) -> GuideWindow:
    """Show the guide (one window per main window, raised if already open) at ``section``, or,
    when none is given, at the section about the page ``parent`` shows."""
    window = parent.findChild(GuideWindow)
    if window is None:
        window = GuideWindow(parent)
    if section is None:
        section = _page_section(parent)
    already_open = window.isVisible()
    window.show()
    if already_open and QGuiApplication.platformName() != "offscreen":  # (no window stacking offscreen)
        window.raise_()
    window.activateWindow()
    if section:
        window.show_section(section)
    return window


def _page_section(parent: QWidget) -> str | None:
    current_page = getattr(parent, "current_page", None)
    if current_page is None:
        return None
    page_id = getattr(current_page(), "page_id", "")
    ctx = getattr(parent, "ctx", None)
    table = SECRETARIAT_PAGE_SECTIONS if getattr(ctx, "is_secretariat", False) else PAGE_SECTIONS
    return table.get(page_id)
