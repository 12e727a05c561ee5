"""Loading the Qt Designer forms of ``forms/`` at run time (QUiLoader), and finding their widgets.

QUiLoader translates a form's texts as it builds it, in the context of the form's class
(``EventDialog`` …), which is where ``pyside6-lupdate`` puts them; a dialog's own ``self.tr`` texts
share that context. Style sheets, formats and other non-text strings are marked ``notr="true"``.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from jcim_desktop.paths import bundled_path

W = TypeVar("W", bound=QObject)


class _IntoLoader(QUiLoader):
    """Builds the form's children into an existing widget instead of a new top-level one.

    Designer's root is a QDialog; creating a second QDialog inside ours would give it its own
    Esc/Enter handling. Building into ``base`` is what ``setupUi(self)`` does for compiled forms.
    """

    def __init__(self, base: QWidget) -> None:
        super().__init__(base)
        self._base = base

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        if parent is None:
            return self._base
        return super().createWidget(class_name, parent, name)


def load_form(name: str, parent: QWidget) -> QWidget:
    """Load ``forms/<name>`` into ``parent`` (its layout, title and children); returns ``parent``.

    The dialog composes the form: it keeps ``self.form = load_form(...)`` and reaches the
    Designer widgets with :func:`child`, rather than inheriting a generated class.
    """
    path = bundled_path("forms", name)
    ui_file = QFile(str(path))
    if not ui_file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open the form {path}")
    try:
        loader = _IntoLoader(parent)
        form = loader.load(ui_file, None)
    finally:
        ui_file.close()
    if form is None:
        raise RuntimeError(f"cannot load the form {path}: {loader.errorString()}")
    return form


def child(form: QWidget, cls: type[W], name: str) -> W:
    """The widget ``name`` of a loaded form; a clear error if the .ui file lacks it."""
    found = form.findChild(cls, name)
    if found is None:
        raise LookupError(f"{name} ({cls.__name__}) is missing from the form {form.objectName()}")
    return found
