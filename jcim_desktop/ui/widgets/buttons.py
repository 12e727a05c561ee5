"""A push button wired to what it does, in one call (the pages and dialogs build many)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton


def push_button(text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    """A button showing ``text`` (already translated) that runs ``slot`` when clicked; ``tip`` its tool tip."""
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: slot())
    return button
