"""Every page fits the window at its minimum size (1024×680), in Japanese and in English.

The window is built on demo data for a regional forum (中国, with a conflict to resolve), a
national forum (革新的技術: the longest name in English, all Japan on its map) and the secretariat
(every page, with KPI目標, 全国集計, 受信状況 and 年度推移), with the platform's Japanese font and
with the bundled IPAex Gothic, resized to its minimum size and shown; each page of the sidebar
(and each of its tabs) is opened and left to finish loading, then checked for what a person
would notice:

- a horizontal scroll bar (or content cut off at the right of a scroll area, whatever its
  scroll bar policy): a list's columns fit its table at 1024 pixels;
- a label, button, check box, radio button, tab, group box title, combo box or table header
  whose text does not fit (Qt elides or clips it); a word-wrapped label fits when its height
  holds its lines and no word is wider than it;
- a widget overlapping another of the same layout (the 市区町村 filter over the search box), or a
  page whose layout needs more room than the window gives it;
- a map legend outside its map;
- a table cell whose text is elided without a tool tip that shows it whole (cells may elide:
  docs/ui_conventions.md, "Fitting the window").

The 同期 page is checked again after an export, whose result names the folder; every list again
with すべての年度 (its 年度 column shown), sorted by each of its columns in turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QRect, Qt, QThreadPool
from PySide6.QtGui import QFontMetrics, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionHeader,
    QTabBar,
    QTableView,
    QTabWidget,
    QWidget,
)

from jcim_desktop.services import demo, records, sync
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.ui import language, ops

pytestmark = pytest.mark.gui

MINIMUM = (1024, 680)
CELL_ROWS = 40
"""Rows of each table whose cells are checked for a tool tip where they are elided."""


@pytest.fixture(scope="module")
def demo_contexts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, AppContext]]:
    folder = tmp_path_factory.mktemp("minimum-size")
    contexts = {
        "chugoku": init_installation("chugoku", folder / "chugoku", user_name="山田 花子"),
        # A national forum: its name is the longest in English, its map all Japan.
        "innovative_tech": init_installation("innovative_tech", folder / "innovative_tech", user_name="鈴木 一郎"),
        "secretariat": init_installation("secretariat", folder / "secretariat", user_name="佐藤 次郎"),
    }
    for ctx in contexts.values():
        demo.load_demo(ctx)  # today's fiscal year: the pages open on it, full of records
    other = init_installation("chugoku", folder / "chugoku-b", user_name="田中 三郎")
    _conflict(contexts["chugoku"], other, folder)
    yield contexts
    for ctx in [*contexts.values(), other]:
        ctx.close()


def _conflict(ctx: AppContext, other: AppContext, folder: Path) -> None:
    """A need edited on two computers of one forum before they exchanged packages: the 競合 page
    shows it (the list, the versions side by side and the buttons to adopt one)."""
    sync.add_trust(other, ctx.public_key, [ctx.org])
    sync.add_trust(ctx, other.public_key, [ctx.org])
    need = next(r for r in records.list_records(ctx, "needs") if r.owner == ctx.org)
    sync.import_packages(other, [sync.export_package(ctx, folder / "a1.jcimsync").path])
    records.update(ctx, "needs", need.id, {"title": need.data["title"] + "（この端末で修正）"})
    records.update(other, "needs", need.id, {"title": need.data["title"] + "（別の端末で修正）", "status": "matching"})
    (outcome,) = sync.import_packages(ctx, [sync.export_package(other, folder / "b1.jcimsync").path])
    assert outcome.counts.conflicts == 1


@pytest.fixture(scope="module", params=["platform", "bundled"])
def app_font(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The window's font as the application chooses it: the platform's Japanese face, or the
    bundled IPAex Gothic on a machine without one (wider in places: both must fit)."""
    from jcim_desktop.ui.app import use_japanese_font

    before = qapp.font()
    if request.param == "bundled":
        family = use_japanese_font(qapp, families=lambda: ())
    else:
        family = use_japanese_font(qapp)
    assert family is not None
    yield family
    qapp.setFont(before)


@pytest.fixture(params=["ja", "en"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    assert language.use_language(request.param) == request.param
    yield request.param
    language.use_language("ja")


def _settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Background loads finished, their results shown and the layouts applied."""

    def idle() -> bool:
        QCoreApplication.processEvents()
        return ops.running() == 0 and QThreadPool.globalInstance().activeThreadCount() == 0

    qtbot.waitUntil(idle, timeout=30000)
    for _ in range(4):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


# -- what does not fit ---------------------------------------------------------------------------


def _name(widget: QWidget) -> str:
    name = widget.objectName()
    owner = widget.parentWidget()
    where = f" in {type(owner).__name__}" if owner is not None else ""
    return f"{type(widget).__name__}{'#' + name if name else ''}{where}"


def _rich(text: str) -> bool:
    return bool(QtGui.Qt.mightBeRichText(text))  # type: ignore[attr-defined]


def _plain(text: str) -> str:
    """A label's text as shown: rich text without its tags; a button's without its mnemonic."""
    if _rich(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _text_width(widget: QWidget, text: str) -> int:
    metrics = QFontMetrics(widget.font())
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    room = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
    if not label.wordWrap():
        if label.textFormat() == Qt.TextFormat.RichText or (
                label.textFormat() == Qt.TextFormat.AutoText and _rich(text)):
            doc = QTextDocument()
            doc.setDefaultFont(label.font())
            doc.setDocumentMargin(0)
            doc.setHtml(text)
            doc.setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignLeft))
            doc.setTextWidth(-1)
            needed = int(doc.idealWidth() + 0.99)
        else:
            needed = _text_width(label, text)
        if needed > room:
            return f"{_name(label)} {_plain(text)!r} needs {needed} px, has {room}"
        return None
    # Wrapped: every word fits the width, and the height holds every line.
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and _rich(text))
    if rich:
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    doc.setTextWidth(room)
    if doc.idealWidth() > room + 0.5:
        return f"{_name(label)} {_plain(text)[:60]!r}: a word is wider ({doc.idealWidth():.0f} px) than the label ({room})"
    needed = label.heightForWidth(label.width())
    if needed > label.height():
        return f"{_name(label)} {_plain(text)[:60]!r} wraps to {needed} px high, has {label.height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = _plain(button.text())
    if not text:
        return None
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    style = button.style()
    if isinstance(button, QPushButton):
        room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()
        room -= 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, button) // 2
        if not button.icon().isNull():
            room -= button.iconSize().width() + 4
    elif isinstance(button, QCheckBox):
        room = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button).width()
    elif isinstance(button, QRadioButton):
        room = style.subElementRect(QStyle.SubElement.SE_RadioButtonContents, option, button).width()
    else:
        return None
    needed = _text_width(button, text)
    if needed > room:
        return f"{_name(button)} {text!r} needs {needed} px, has {room}"
    return None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    if combo.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon and (
            combo.width() >= combo.sizeHint().width()):
        return None  # as wide as Qt makes it for its longest item
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    room = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo).width()
    needed = _text_width(combo, text)
    if needed > room:
        return f"{_name(combo)} shows {text!r} in {room} px, needs {needed}"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    # Scroll buttons: some tabs are out of sight.
    for button in bar.findChildren(QAbstractButton):
        if button.isVisible():
            problems.append(f"{_name(bar)}: the tabs do not fit (scroll buttons shown)")
            break
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    for i in range(bar.count()):
        text = _plain(bar.tabText(i))
        needed = _text_width(bar, text) + space
        if bar.isTabVisible(i) and needed > bar.tabRect(i).width():
            problems.append(f"{_name(bar)} tab {text!r} needs {needed} px, has {bar.tabRect(i).width()}")
    return problems


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    problems = []
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, QStyleOptionHeader(), header)
    # The sort arrow takes half the header's height and two margins from the text of the column
    # the table is sorted by (QCommonStyle's SE_HeaderLabel).
    arrow = header.height() // 2 + 2 * margin

    def sortable(section: int) -> bool:
        return header.isSortIndicatorShown() and header.sortIndicatorSection() == section

    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            continue
        needed = _text_width(header, text) + 2 * margin + (arrow if sortable(section) else 0)
        width = header.sectionSize(section)
        if needed > width:
            problems.append(f"{_name(header)} header {text!r} needs {needed} px, has {width}")
    return problems


def _cell_problems(view: QTableView) -> list[str]:
    """Cells may elide, when their tool tip shows the whole text."""
    model = view.model()
    if model is None:
        return []
    problems = []
    metrics = QFontMetrics(view.font())
    padding = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    for row in range(min(model.rowCount(), CELL_ROWS)):
        for column in range(model.columnCount()):
            if view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            text = model.data(index, Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str) or not text:
                continue
            room = view.columnWidth(column) - padding
            if max(metrics.horizontalAdvance(line) for line in text.split("\n")) <= room:
                continue
            if view.wordWrap():
                wrapped = metrics.boundingRect(QRect(0, 0, room, 100000), Qt.TextFlag.TextWordWrap, text)
                if wrapped.width() <= room and wrapped.height() <= view.rowHeight(row):
                    continue  # wrapped over lines the row holds
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            whole = text.replace("\n", " ").strip(" \u3000└")  # without a tree row's indent
            if not isinstance(tip, str) or whole not in tip.replace("\n", " "):
                problems.append(f"{type(model).__name__} cell {row},{column} {text[:40]!r} is elided, "
                                f"without a tool tip showing it")
                break
    return problems


def _scroll_problem(area: QAbstractScrollArea) -> str | None:
    bar = area.horizontalScrollBar()
    if bar.maximum() > bar.minimum():
        shown = "a horizontal scroll bar" if bar.isVisible() else "content cut off at the right"
        per_item = isinstance(area, QAbstractItemView) and (
            area.horizontalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem)
        unit = "columns" if per_item else "px"
        return f"{_name(area)}: {shown} ({bar.maximum() - bar.minimum()} {unit} out of sight)"
    return None


def _laid_out_widgets(layout: QLayout) -> Iterator[QWidget]:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            yield widget
        elif item.layout() is not None:
            yield from _laid_out_widgets(item.layout())


def _overlaps(owner: QWidget) -> list[str]:
    layout = owner.layout()
    if layout is None:
        return []
    shown = [w for w in _laid_out_widgets(layout) if w.isVisible() and not w.isWindow()]
    problems = []
    for i, first in enumerate(shown):
        for second in shown[i + 1:]:
            common: QRect = first.geometry().intersected(second.geometry())
            if common.width() > 0 and common.height() > 0:
                problems.append(f"{_name(first)} and {_name(second)} overlap ({common.width()}×{common.height()} px)")
    return problems


def _squeezed(owner: QWidget) -> str | None:
    """A layout given less than its minimum: Qt squeezes its widgets over one another (or cuts them)."""
    layout = owner.layout()
    if layout is None or isinstance(owner, QAbstractScrollArea):
        return None
    wanted = layout.minimumSize()
    if wanted.width() > owner.width() + 1:
        return f"{_name(owner)} needs {wanted.width()} px wide, has {owner.width()}"
    if wanted.height() > owner.height() + 1:
        return f"{_name(owner)} needs {wanted.height()} px high, has {owner.height()}"
    return None


def layout_problems(root: QWidget) -> list[str]:
    """What does not fit in ``root`` (a page) as shown now."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        found: list[str | None] = []
        if isinstance(widget, QLabel):
            found.append(_label_problem(widget))
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QTabBar):
            found.append(_button_problem(widget))
        elif isinstance(widget, QComboBox):
            found.append(_combo_problem(widget))
        elif isinstance(widget, QTabBar):
            found += _tab_problems(widget)
        elif isinstance(widget, QHeaderView):
            found += _header_problems(widget)
        elif isinstance(widget, QLineEdit) and widget.placeholderText() and not widget.text():
            option = QStyleOptionFrame()
            widget.initStyleOption(option)
            room = widget.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, widget).width()
            margins = widget.textMargins()
            room -= 4 + margins.left() + margins.right()  # QLineEdit's own margin, 2 px a side
            if widget.isClearButtonEnabled():
                room -= widget.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, widget) + 4
            needed = _text_width(widget, widget.placeholderText())
            if needed > room:
                found.append(f"{_name(widget)} placeholder {widget.placeholderText()!r} needs {needed} px, has {room}")
        if isinstance(widget, QGroupBox) and widget.title():
            needed = _text_width(widget, _plain(widget.title())) + 16
            if needed > widget.width():
                found.append(f"{_name(widget)} title {widget.title()!r} needs {needed} px, has {widget.width()}")
        if isinstance(widget, QAbstractScrollArea):
            found.append(_scroll_problem(widget))
        if isinstance(widget, QTableView):
            found += _cell_problems(widget)
        legend = getattr(widget, "legend_rect", None)
        if callable(legend):
            rect = legend()
            if not rect.isEmpty() and not widget.rect().contains(rect.toAlignedRect()):
                found.append(f"{_name(widget)}: the legend {rect.toAlignedRect()} lies outside the map {widget.rect()}")
            if rect.isEmpty() and getattr(widget, "legend_labels", lambda: ())():
                found.append(f"{_name(widget)}: no room for the legend")
        found += _overlaps(widget)
        found.append(_squeezed(widget))
        problems += [p for p in found if p]
    return problems


def _walk(window: QWidget, qtbot) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    from jcim_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    found: dict[str, list[str]] = {}
    for entry in window.page_classes:
        page = window.show_page(entry.page_id)
        _settle(qtbot)
        problems = layout_problems(page)
        # Every tab of the page, each in turn.
        for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisible()]:
            shown = tabs.currentIndex()
            for index in range(tabs.count()):
                if index == shown:
                    continue
                tabs.setCurrentIndex(index)
                _settle(qtbot)
                problems += [f"(tab {tabs.tabText(index)!r}) {p}" for p in layout_problems(page)]
            tabs.setCurrentIndex(shown)
        if problems:
            found[entry.page_id] = problems
    return found


def _window(ctx: AppContext, qtbot):  # type: ignore[no-untyped-def]
    from jcim_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*MINIMUM)
    window.show()
    qtbot.waitExposed(window)
    _settle(qtbot)
    assert (window.width(), window.height()) == MINIMUM
    return window


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"[{page}] {problem}" for page, problems in found.items() for problem in problems)


@pytest.mark.parametrize("org", ["chugoku", "innovative_tech", "secretariat"])
def test_every_page_fits_the_minimum_window(org: str, app_font: str, lang: str, demo_contexts, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _window(demo_contexts[org], qtbot)
    assert window.minimumWidth() == MINIMUM[0] and window.minimumHeight() == MINIMUM[1]
    found = _walk(window, qtbot)
    assert not found, _report(found)


def test_the_export_result_fits(app_font: str, lang: str, demo_contexts, qtbot,  # type: ignore[no-untyped-def]
                                tmp_path_factory: pytest.TempPathFactory) -> None:
    """The 同期 page after an export: the package's name and folder are long."""
    window = _window(demo_contexts["chugoku"], qtbot)
    page = window.show_page("sync")
    _settle(qtbot)
    # A folder path of some length (as in a Windows user's documents), not the test's own long one.
    folder = tmp_path_factory.mktemp("送信用パッケージ") / "2026年度の送付分（事務局あて）"
    folder.mkdir(parents=True)
    with qtbot.waitSignal(page.export_finished, timeout=30000) as done:
        page.export_to(folder / "chugoku-2026年度-第1号-中国フォーラム-全件の写し.jcimsync")  # type: ignore[attr-defined]
    assert done.args[0] is not None
    _settle(qtbot)
    problems = layout_problems(page)
    assert not problems, "\n".join(problems)
    shown = " ".join(_plain(label.text()) for label in page.findChildren(QLabel) if label.isVisible())
    assert str(folder) in shown, "the folder is shown, to be read and copied"
    for area in page.findChildren(QAbstractScrollArea):
        if area.isVisible() and not isinstance(area, QAbstractItemView):
            assert area.verticalScrollBar().maximum() == 0, "the result is read without scrolling"


LIST_PAGES = ("events", "pitch_events", "needs", "seeds", "trials", "support")


@pytest.mark.parametrize("page_id", LIST_PAGES)
def test_a_list_fits_its_columns_with_every_year(page_id: str, app_font: str, lang: str, demo_contexts,  # type: ignore[no-untyped-def]
                                                 qtbot) -> None:
    """すべての年度 (and the 年度 column with it): a list at the minimum size still fits, sorted by
    any of its columns; 活動・行事 keeps 組織 and 共催 in sight."""
    window = _window(demo_contexts["secretariat"], qtbot)
    page = window.show_page(page_id)
    _settle(qtbot)
    page.year_combo.setCurrentIndex(0)  # type: ignore[attr-defined]
    _settle(qtbot)
    problems = layout_problems(page)
    assert not problems, "\n".join(problems)
    table: QTableView = page.table  # type: ignore[attr-defined]
    model = table.model()
    # Sorted by each column in turn: its header makes room for the arrow.
    for column in range(model.columnCount()):
        if model.is_sortable(column) and not table.isColumnHidden(column):  # type: ignore[attr-defined]
            table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            _settle(qtbot)
            problems = [p for p in layout_problems(page) if "header" in p or "scroll bar" in p]
            assert not problems, "\n".join(problems)
    if page_id != "events":
        return
    keys = [c.key for c in model.columns]  # type: ignore[attr-defined]
    for key in ("title", "owner", "co_hosts"):
        column = keys.index(key)
        assert not table.isColumnHidden(column), key
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert 0 <= table.columnViewportPosition(column) and right <= table.viewport().width(), key


def test_the_checks_see_what_does_not_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The checks above are not blind: a cut label, button and header, a wrapped label too short,
    overlapping widgets, a table wider than its view, an elided cell without a tool tip and a map
    lower than its legend."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    column = QVBoxLayout(root)
    label = QLabel("市区町村で絞り込みます（都道府県を選んでから）")
    label.setFixedWidth(60)
    wrapped = QLabel("長い説明文が折り返されて何行にもなる。" * 6)
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(120, 20)
    button = QPushButton("保存先のフォルダを開く")
    button.setFixedWidth(50)
    row = QHBoxLayout()
    first, second = QLineEdit(), QLineEdit()
    first.setMinimumWidth(300)
    second.setMinimumWidth(300)
    row.addWidget(first)
    row.addWidget(second)
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["とても長い見出しの列", "二列目", "三列目"])
    for column_number in range(3):
        model.setItem(0, column_number, QStandardItem("とても長いセルの文字列がここに入ります" * 2))
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().setStretchLastSection(False)
    for column_number in range(3):
        table.setColumnWidth(column_number, 250)
    table.setColumnWidth(0, 40)
    from jcim_desktop.ui.widgets.japan_map import PrefectureMap

    japan = PrefectureMap()
    japan.set_data({"13": 5}, lambda _value: 0, ("なし", "1〜2団体", "3〜5団体", "6〜9団体", "10団体以上"),
                   legend_title="支援自治体数")
    japan.setFixedSize(300, 80)  # lower than its legend
    for widget in (label, wrapped, button, japan):
        column.addWidget(widget)
    column.addLayout(row)
    column.addWidget(table)
    root.setFixedSize(400, 500)  # narrower than the line edits and the table need
    root.show()
    qtbot.waitExposed(root)
    QCoreApplication.processEvents()
    problems = "\n".join(layout_problems(root))
    for expected in ("QLabel", "wraps to", "QPushButton", "overlap", "needs", "header 'とても長い見出しの列'",
                     "horizontal scroll bar", "is elided, without a tool tip", "the legend"):
        assert expected in problems, (expected, problems)
