"""The base of every main-window page: what the sidebar, menus and shortcuts can ask of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui import fmt, ops
from jcim_desktop.ui.bus import ChangeBus

T = TypeVar("T")
TITLE_STYLE = "font-size: 20px; font-weight: bold;"


def page_title(title: str) -> str:
    """A page title (listed with ``QT_TRANSLATE_NOOP("pages", …)`` in ``main_window.PAGES``) translated."""
    return QCoreApplication.translate("pages", title)


class Page(QWidget):
    """A page of the main window. Subclasses set ``page_id`` (screenshot file name) and ``title``.

    ``activate`` is called each time the page is shown (load lazily there). After every
    operation the bus brings its :class:`Changes`; :meth:`is_affected_by` decides whether what
    the page shows may be stale (by default: records of ``entities`` changed, or KPI figures may
    have moved on a page with ``shows_kpis``), and a stale page reloads when it is next shown (at
    once if it is visible). The editing hooks are no-ops unless the page edits records.
    """

    page_id = "page"
    title = "ページ"
    entities: tuple[str, ...] = ()
    shows_kpis = False

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus
        self._stale = True
        bus.changed.connect(self._changed)

    def title_label(self) -> QLabel:
        """The page's title in large type, for the top of the page."""
        label = QLabel(page_title(self.title))
        label.setStyleSheet(TITLE_STYLE)
        return label

    def page_layout(self) -> QVBoxLayout:
        """The page's column, its title first: the caller adds the rest."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title_label())
        return layout

    def activate(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows."""

    def is_affected_by(self, changes: Changes) -> bool:
        return changes.touches(*self.entities) or (self.shows_kpis and changes.kpis)

    def _changed(self, changes: Changes) -> None:
        if self.is_affected_by(changes):
            self._stale = True
            if self.isVisible():
                self.activate()

    # Editing hooks, reached from menus and shortcuts.
    def new_record(self) -> None:
        """新規作成"""

    def edit_selected(self) -> None:
        """編集"""

    def duplicate_selected(self) -> None:
        """複製"""

    def delete_selected(self) -> None:
        """削除"""

    def undo_delete(self) -> None:
        """削除を元に戻す"""

    def focus_search(self) -> None:
        """検索欄へ"""

    def can_edit(self) -> bool:
        return False


class FiscalYearPage(Page):
    """A page of one fiscal year's figures: the year is chosen in ``fy_combo``, and what the page
    shows is read off the GUI thread (:meth:`read_year`); ``loaded`` once it is shown."""

    loaded = Signal()
    """The chosen year's figures are shown."""

    def __init__(self, ctx: AppContext, bus: ChangeBus, parent: QWidget | None = None, *,
                 years: Sequence[int], current: int) -> None:
        super().__init__(ctx, bus, parent)
        self._generation = 0
        self.fy_combo = QComboBox()
        for fy in years:
            self.fy_combo.addItem(fmt.fy_label(fy), fy)
        self.fy_combo.setCurrentIndex(max(0, self.fy_combo.findData(current)))
        self.fy_combo.currentIndexChanged.connect(lambda _index: self.refresh())

    def fiscal_year(self) -> int:
        return int(self.fy_combo.currentData())

    def supersede_reads(self) -> None:
        """Whatever ``read_year`` still has under way is no longer to be shown."""
        self._generation += 1

    def read_year(self, read: Callable[[int], T], show: Callable[[T], None]) -> None:
        """``read(fiscal_year)`` off the GUI thread, then ``show`` its result; a newer request
        supersedes an older one (the year may change again before the first is read)."""
        self._generation += 1
        generation, fy = self._generation, self.fiscal_year()

        def loaded(result: T) -> None:
            if generation == self._generation:
                show(result)
                self.loaded.emit()

        ops.QueryOp(self, lambda _progress: read(fy), success=loaded).run_in_background()
