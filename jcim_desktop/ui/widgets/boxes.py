"""Rows and columns without margins of their own, so what they hold lines up with what is beside
them: a composite field (a picker with its code, a date with its year) with the plain fields of a
form, a splitter's pane with the page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QVBoxLayout, QWidget

Item = QWidget | QLayout | tuple[QWidget | QLayout, int]
"""A widget or a layout, alone or with its stretch factor: ``(table, 1)`` takes the spare room."""

Box = TypeVar("Box", bound=QBoxLayout)


def column(*items: Item, owner: QWidget | None = None, spacing: int | None = None) -> QVBoxLayout:
    """``items`` top to bottom, laid out on ``owner`` (without one, a layout to nest in another)."""
    return _fill(QVBoxLayout() if owner is None else QVBoxLayout(owner), items, spacing)


def row(*items: Item, owner: QWidget | None = None, spacing: int | None = None) -> QHBoxLayout:
    """``items`` left to right, laid out on ``owner`` (without one, a layout to nest in another)."""
    return _fill(QHBoxLayout() if owner is None else QHBoxLayout(owner), items, spacing)


def _fill(box: Box, items: Iterable[Item], spacing: int | None) -> Box:
    box.setContentsMargins(0, 0, 0, 0)
    if spacing is not None:
        box.setSpacing(spacing)
    for item in items:
        part, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(part, QLayout):
            box.addLayout(part, stretch)
        else:
            box.addWidget(part, stretch)
    return box
