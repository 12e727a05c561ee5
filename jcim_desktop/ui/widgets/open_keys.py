"""Enter and F2 open the selected record: the keyboard's double-click, in every list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

OPEN_KEYS: tuple[Qt.Key, ...] = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
"""Enter (main and keypad) and F2, as in a file manager's list."""


def opens_record(event: QKeyEvent) -> bool:
    """Whether a key press asks to open the selected record (Enter or F2, with no modifier but keypad)."""
    extra = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in OPEN_KEYS and extra == Qt.KeyboardModifier.NoModifier


def open_on_keys(view: QWidget, slot: Callable[[], object]) -> list[QShortcut]:
    """Run ``slot`` when Enter or F2 is pressed while ``view`` (a list or table) has the focus."""
    shortcuts = []
    for key in OPEN_KEYS:
        shortcut = QShortcut(QKeySequence(key), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: slot())
        shortcuts.append(shortcut)
    return shortcuts
