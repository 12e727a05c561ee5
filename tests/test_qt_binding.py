"""PySide6 is pinned below 6.12: 6.12.0 on CPython 3.11 aborts after many calls returning None."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import version


def test_installed_pyside6_is_below_6_12_on_python_3_11():
    major, minor = (int(p) for p in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info[:2] == (3, 11):
        assert (major, minor) < (6, 12), "PySide6 6.12 aborts on CPython 3.11 (DESIGN.md, pitfalls)"


def test_many_calls_that_hand_python_none_do_not_abort():
    # The 6.12.0 bug killed the process ("deallocating None") after ~5,000 such calls, so run
    # well past that in a child process: an abort shows as a non-zero exit status.
    script = textwrap.dedent(
        """
        import os
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
        from PySide6.QtWidgets import QApplication

        class Model(QAbstractTableModel):
            def rowCount(self, parent=QModelIndex()):
                return 10
            def columnCount(self, parent=QModelIndex()):
                return 3
            def data(self, index, role=Qt.DisplayRole):
                return None

        app = QApplication([])
        model = Model()
        obj = QObject()
        for i in range(30000):
            obj.setObjectName("x")              # a void method
            model.index(i % 10, i % 3).data(Qt.UserRole)   # an empty role
            model.headerData(0, Qt.Horizontal, Qt.UserRole)
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
