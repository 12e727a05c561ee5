"""Change notices: after each operation, open views hear once what it changed.

Only :mod:`jcim_desktop.ui.ops` announces changes (pages never emit by hand): a write run through
``ops`` returns a :class:`~jcim_desktop.services.changes.Changes` (or a value carrying one) and
``ops`` sends it on the bus of the window it ran in. Views decide from it whether to refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from jcim_desktop.services.changes import Changes


class ChangeBus(QObject):
    """One per main window. ``changed(Changes)`` after each write; ``status_message(text)`` for
    the status bar (what a finished operation wants a person to read)."""

    changed = Signal(object)
    status_message = Signal(str)

    current: ChangeBus | None = None
    """The bus of the newest main window: where ``ops`` announces when its parent has none."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ChangeBus.current = self
        key = id(self)
        self.destroyed.connect(lambda *_: ChangeBus._forget(key))

    @staticmethod
    def _forget(key: int) -> None:
        if id(ChangeBus.current) == key:
            ChangeBus.current = None

    def announce(self, changes: Changes) -> None:
        """Tell every view what an operation changed (``ops`` calls this; nothing else should)."""
        if not changes.empty:
            self.changed.emit(changes)
