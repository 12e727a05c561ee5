"""The base of every main-window page: what the sidebar, menus and shortcuts can ask of it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext
from jcim_desktop.ui.bus import ChangeBus


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
