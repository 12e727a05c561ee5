"""Table columns that fit their view's width, so a table never needs a horizontal scroll bar.

Each column has a preferred width (what it gets in a roomy window), a minimum (its header whole,
with the sort arrow's room in the column the table is sorted by, or, for a column whose text must
never be cut — a date, a status, a fiscal year — its longest text) and whether it is the table's
main column (a title: it takes the room left over). When the view is narrower than the preferred
widths add up to, the columns that may elide their text give way in proportion to what they can
spare (the main column faster); a cell that is cut shows its whole text in its tool tip
(docs/ui_conventions.md, "Fitting the window").

The fit follows the view's width as the window is resized, until a person drags a column's edge:
from then on the widths are theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QTableView

CELL_PADDING = 12
"""Room beside a cell's text (the item's margins and the grid line)."""


@dataclass(frozen=True)
class ColumnWidth:
    """How wide one column wants to be (pixels)."""

    preferred: int
    minimum: int
    main: bool = False
    """Takes the room left over when the view is wider than the preferred widths."""

    @staticmethod
    def whole(width: int) -> ColumnWidth:
        """A column whose text is never cut: always ``width``."""
        return ColumnWidth(width, width)


def header_width(view: QTableView, section: int) -> int:
    """What the header of ``section`` needs to show its text whole (with the sort arrow's room
    when the table is sorted by it)."""
    header = view.horizontalHeader()
    model = view.model()
    text = model.headerData(section, header.orientation()) if model is not None else None
    if not isinstance(text, str) or not text:
        return 0
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, QStyleOptionHeader(), header)
    metrics = header.fontMetrics()
    width = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin + 2
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
        width += sort_arrow_width(header)
    return width


def sort_arrow_width(header: QHeaderView) -> int:
    """The room the sort arrow takes from a header's text (as QCommonStyle's SE_HeaderLabel does)."""
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, QStyleOptionHeader(), header)
    height = max(header.height(), header.sizeHint().height())
    return height // 2 + 2 * margin


def text_width(view: QTableView, texts: Iterable[str]) -> int:
    """The width of the longest of ``texts`` in ``view``'s cells."""
    metrics = QFontMetrics(view.font())
    return max((metrics.horizontalAdvance(text) for text in texts), default=0) + CELL_PADDING


MAIN_GIVES = 2.0
"""How much faster than the others the main column gives way: its long texts are cut anyway,
while a cut organisation or type name is a word lost."""


def fitted_widths(widths: Sequence[ColumnWidth], room: int) -> list[int]:
    """The widths of columns ``widths`` in ``room`` pixels: the preferred widths, the room left
    over to the main column, or shrunk towards their minimums in proportion to what each can spare
    (the main column twice as fast); their minimums if even those do not fit."""
    preferred = [max(w.preferred, w.minimum) for w in widths]
    total = sum(preferred)
    if total <= room:
        out = list(preferred)
        mains = [i for i, w in enumerate(widths) if w.main] or [len(widths) - 1]
        spare = room - total
        for n, i in enumerate(mains):
            out[i] += spare // len(mains) + (1 if n < spare % len(mains) else 0)
        return out
    minimums = [w.minimum for w in widths]
    if sum(minimums) >= room:
        return minimums
    sizes = [float(p) for p in preferred]
    excess = float(total - room)
    while excess > 0.01:
        weights = {i: (sizes[i] - minimums[i]) * (MAIN_GIVES if w.main else 1.0)
                   for i, w in enumerate(widths) if sizes[i] - minimums[i] > 0.01}
        if not weights:
            break
        scale = excess / sum(weights.values())
        for i, weight in weights.items():
            cut = min(weight * scale, sizes[i] - minimums[i])
            sizes[i] -= cut
            excess -= cut
    out = [int(size) for size in sizes]
    # Whole pixels: what rounding down took back to the columns that lost most of it.
    left = room - sum(out)
    for i in sorted(range(len(out)), key=lambda i: sizes[i] - out[i], reverse=True)[:max(left, 0)]:
        out[i] += 1
    return out


class ColumnFitter(QObject):
    """Keeps ``view``'s visible columns as wide as ``widths()`` says, fitted to the view's width.

    ``optional`` columns (sections), in the order they give way, are left out while even the
    minimums of all columns do not fit, and come back when the view is wide enough again.
    """

    def __init__(self, view: QTableView, widths: Callable[[], Sequence[ColumnWidth]],
                 optional: Sequence[int] = ()) -> None:
        super().__init__(view)
        self.view = view
        self.widths = widths
        self.optional = tuple(optional)
        self.left_out: set[int] = set()
        """The optional columns left out for want of room."""
        self.by_hand = False
        """A person resized a column: the widths are theirs from then on."""
        self._fitting = False
        self._dragging = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        # The sorted column's header makes room for its arrow (once the page has settled the order).
        header.sortIndicatorChanged.connect(lambda *_: QTimer.singleShot(0, self, self.fit))
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        header.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if not shiboken6.isValid(self.view):
            return False  # the table is being destroyed
        if watched is self._viewport:
            if kind == QEvent.Type.Resize:
                self.fit()
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._dragging = True  # a column's edge may be dragged (or double-clicked) now
        elif kind == QEvent.Type.MouseButtonRelease:
            self._dragging = False
        return False

    def _resized(self, _section: int, _old: int, _new: int) -> None:
        # Sections also change size when shown, hidden or reset: only a person's drag counts.
        if self._dragging and not self._fitting:
            self.by_hand = True

    def fit(self, *, again: bool = False) -> None:
        """Fit the columns to the view (``again``: also after a person resized them)."""
        if again:
            self.by_hand = False
        if self.by_hand:
            return
        header = self.view.horizontalHeader()
        widths = list(self.widths())
        # The columns shown, and those this fitter left out (they come back when there is room).
        candidates = [i for i in range(min(len(widths), header.count()))
                      if not header.isSectionHidden(i) or i in self.left_out]
        floor = header.minimumSectionSize()  # the header makes no section narrower
        wanted = {i: ColumnWidth(max(widths[i].preferred, floor), max(widths[i].minimum, floor), widths[i].main)
                  for i in candidates}
        room = self.view.viewport().width()
        left_out: set[int] = set()
        for section in self.optional:
            if sum(wanted[i].minimum for i in candidates if i not in left_out) <= room:
                break
            if section in wanted:
                left_out.add(section)
        shown = [i for i in candidates if i not in left_out]
        if not shown:
            return
        fitted = fitted_widths([wanted[i] for i in shown], room)
        self._fitting = True
        try:
            for section in candidates:
                if header.isSectionHidden(section) != (section in left_out):
                    header.setSectionHidden(section, section in left_out)
            self.left_out = left_out
            for section, width in zip(shown, fitted, strict=True):
                if header.sectionSize(section) != width:
                    header.resizeSection(section, width)
        finally:
            self._fitting = False
