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
    """The bus of the newest main window: where ``ops`` announces when its parent has none
    (``ops`` checks that it still exists: a closed window deletes its bus)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # No slot on ``destroyed`` to forget it: replacing ``current`` can free the previous bus
        # right here, and Python code run from that destruction crashed the interpreter.
        ChangeBus.current = self

    def announce(self, changes: Changes) -> None:
        """Tell every view what an operation changed (``ops`` calls this; nothing else should)."""
        if not changes.empty:
            self.changed.emit(changes)
