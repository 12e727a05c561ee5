"""Tab order: Tab visits a dialog's inputs in the order they are seen, top to bottom, left to right.

A dialog lists its parts in that order (``tab_chain()``), links them with :func:`chain` and
moves the focus along them itself (:func:`move_focus`, from its ``focusNextPrevChild``). A
composite field (a municipality picker, a planned date with its year, a list of check boxes)
is expanded into the widgets inside it that take focus, in their own order, so Tab goes through
it in its row instead of visiting it last (Qt puts widgets made after a Designer form at the
end of its chain). A composite takes focus through its proxy (``setFocusProxy``: a label's
shortcut, the first field of a dialog) and is no stop of its own. A button box contributes its
buttons as they are laid out on this platform.

Why the dialog moves the focus itself: Qt treats every widget with a focus proxy (a Designer
placeholder holding a custom field, the field itself) as a stop at its own place in the chain,
and ``setTabOrder`` cannot move such a widget (it moves the proxy instead), so a placeholder
left where the form put it sent Tab back into the middle of the form.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QTabWidget, QWidget


def tab_stops(widget: QWidget) -> list[QWidget]:
    """Where Tab stops inside ``widget`` (itself if it takes focus), in their order."""
    if isinstance(widget, QDialogButtonBox):
        layout = widget.layout()
        items = [layout.itemAt(i) for i in range(layout.count())] if layout is not None else []
        return [button for item in items if item is not None and isinstance(button := item.widget(), QAbstractButton)]
    if isinstance(widget, QTabWidget):
        return [widget.tabBar()]  # the pages' fields are listed by whoever fills them
    window = widget.window()
    stops: list[QWidget] = []
    for candidate in [widget, *widget.findChildren(QWidget)]:
        if candidate.window() is not window:  # a popup (a combo's list, a completer)
            continue
        if candidate.focusProxy() is not None or not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        stops.append(candidate)
    return stops


def stops_of(widgets: Iterable[QWidget]) -> list[QWidget]:
    """The tab stops of ``widgets`` in the order given, each once."""
    stops: list[QWidget] = []
    for widget in widgets:
        for stop in tab_stops(widget):
            if stop not in stops:
                stops.append(stop)
    return stops


def chain(widgets: Iterable[QWidget]) -> list[QWidget]:
    """Link the tab stops of ``widgets`` in Qt's focus chain in the order given; returns the stops."""
    stops = stops_of(widgets)
    for first, second in zip(stops, stops[1:], strict=False):
        QWidget.setTabOrder(first, second)
    return stops


def move_focus(widgets: Iterable[QWidget], forward: bool) -> bool:
    """Give the focus to the stop after (``forward``) or before the focused one among the stops
    of ``widgets``, skipping hidden and disabled ones; False when the focus is not on one of them
    (Qt's own chain then decides)."""
    stops = stops_of(widgets)
    current = QApplication.focusWidget()
    if current is None or not stops:
        return False
    index = next((i for i, stop in enumerate(stops) if stop is current or stop.isAncestorOf(current)), None)
    if index is None:
        return False
    for step in range(1, len(stops) + 1):
        candidate = stops[(index + step if forward else index - step) % len(stops)]
        if candidate.isVisible() and candidate.isEnabled():
            candidate.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
            return True
    return False
