"""The baseline of the window's start: a minimal PySide6 program showing one figure of the database.

    python bench/_baseline_window.py DATABASE.sqlite3

Opens the SQLite file (WAL, as the application), counts the live events with one ``count(*)``,
opens a 1280×800 window with a label saying so, and when that label has been painted prints
``data <time.perf_counter()> <VmHWM MB>`` (as the application's bench hook does) and quits.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time


def _peak() -> str:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return f" {int(line.split()[1]) / 1024:.1f}"
    except OSError:
        pass
    return ""


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("PRAGMA journal_mode=WAL")
    (count,) = conn.execute("SELECT count(*) FROM events WHERE deleted = 0").fetchone()
    conn.close()
    window = QMainWindow()
    window.setWindowTitle("baseline")
    label = QLabel(f"活動・行事 {count:,} 件")
    window.setCentralWidget(label)
    window.resize(1280, 800)

    class Painted(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print(f"data {time.perf_counter():.6f}{_peak()}", flush=True)
        app.quit()

    painted = Painted()
    label.installEventFilter(painted)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
