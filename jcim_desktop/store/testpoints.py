"""Named points where a test can stop an import and kill it (``JCIM_DESKTOP_TEST_PAUSE_AT``).

A test that kills a process in the middle of an import must know where it is: a sleep
calibrated on one machine lands elsewhere on a loaded one. With the environment variable
``JCIM_DESKTOP_TEST_PAUSE_AT`` set to a point's name, the process writes the line
``JCIM_DESKTOP_TEST_PAUSED <point>`` to standard error when it gets there and then blocks
until it is killed (``tests/sync/test_kill_during_import.py``). Unset, each point costs one
environment lookup and does nothing.

The points of an import, in the order they are reached:

``before-merge``
    ``sync.merge.merge_records`` has begun, inside the import's transaction; nothing of the
    package is written yet.
``after-first-batch``
    The first entity's records are written (one Core batch per entity), the transaction is open.
``after-merge``
    Every record is written and the id-kind check has passed; the installation key and the
    ``received_packages`` row are not written yet.
``before-commit``
    Everything of the package is written and SQLAlchemy is about to send the COMMIT to SQLite
    (``arm_before_commit``: the connection's next ``commit`` event).
``after-import``
    The command line's ``import`` has merged and committed every package and has not yet
    reported anything (``cli.cmd_import``).
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import Connection, event

PAUSE_ENV = "JCIM_DESKTOP_TEST_PAUSE_AT"
POINTS = ("before-merge", "after-first-batch", "after-merge", "before-commit", "after-import")
PAUSED = "JCIM_DESKTOP_TEST_PAUSED"

# A paused process that nobody kills (its test died) ends by itself, as abruptly as a kill.
_LONGEST_PAUSE_S = 600
_ABANDONED_EXIT = 70


def pause_at(point: str) -> None:
    """Block here for good if the test asked to pause at ``point`` (see the module docstring)."""
    if os.environ.get(PAUSE_ENV) != point:
        return
    print(f"{PAUSED} {point}", file=sys.stderr, flush=True)
    time.sleep(_LONGEST_PAUSE_S)
    os._exit(_ABANDONED_EXIT)


def arm_before_commit(conn: Connection) -> None:
    """Pause at ``before-commit`` when ``conn``'s transaction is about to commit."""
    if os.environ.get(PAUSE_ENV) != "before-commit":
        return
    event.listen(conn, "commit", lambda _conn: pause_at("before-commit"), once=True)
