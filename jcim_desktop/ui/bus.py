"""Change notifications: after each operation, open views hear which entity changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    """One per window. ``records_changed("needs")`` after needs were written; ``"*"`` for everything."""

    records_changed = Signal(str)
    status_message = Signal(str)
