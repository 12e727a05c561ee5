"""SIGKILL at each named point of an import: the database stays sound, the package all-or-nothing.

The import runs as the command line does, in its own process, told to stop at a point
(``store/testpoints.py``); the test waits for it to say it is there, then kills it. No sleep
decides where the kill lands, so a loaded machine cannot move it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import init_installation
from jcim_desktop.store.testpoints import PAUSE_ENV, PAUSED, POINTS
from jcim_desktop.sync.package import BATCH

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]
RECORDS = 12000
"""Three batches (``sync.package.BATCH``): a kill after the first leaves the first merged in a
transaction never committed."""

# What a kill at each point leaves: (records, received_packages rows, journal rows to undo it).
ABSENT, MERGED = (0, 0, 0), (RECORDS, 1, RECORDS)
EXPECTED = {
    "before-merge": ABSENT,
    "after-first-batch": ABSENT,
    "after-merge": ABSENT,
    "before-commit": ABSENT,
    "after-import": MERGED,
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill")
    forum = init_installation("chugoku", root / "forum", user_name="送り主")
    fukuyama = code("福山市")
    records.create_many(forum, "needs", [
        {"lg_code": fukuyama, "title": f"橋梁点検 {i}", "facility_types": ["bridge"], "requirements": "安価に",
         "received_on": "2024-05-10", "status": "open"} for i in range(RECORDS)
    ])
    sync.export_package(forum, root / "p.jcimsync")
    target = init_installation("secretariat", root / "template", user_name="事務局")
    sync.add_trust(target, forum.public_key, ["chugoku"])
    forum.close()
    target.close()
    return root


def import_process(data_dir: Path, package: Path, pause_at: str | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop(PAUSE_ENV, None)
    if pause_at is not None:
        env[PAUSE_ENV] = pause_at
    return subprocess.Popen([sys.executable, "-m", "jcim_desktop", "import", str(package), "--data-dir", str(data_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def wait_until_paused(proc: subprocess.Popen[str], point: str) -> None:
    """Read the process's messages until it says it stopped at ``point`` (fails if it ends first)."""
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        if line.strip() == f"{PAUSED} {point}":
            return
        seen.append(line)
    proc.wait(timeout=60)
    pytest.fail(f"the import ended (status {proc.returncode}) without stopping at {point}: {''.join(seen)}")


def check(data_dir: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(data_dir / "jcim.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        needs = conn.execute("SELECT count(*) FROM needs").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM received_packages").fetchone()[0]
        journal = conn.execute("SELECT coalesce(sum(CASE record_id WHEN '*' THEN json_array_length(after_vv) "
                               "ELSE 1 END), 0) FROM import_journal").fetchone()[0]
    finally:
        conn.close()
    return needs, logged, journal


def test_every_point_has_an_expected_outcome():
    assert set(EXPECTED) == set(POINTS)
    assert RECORDS > 2 * BATCH


@pytest.mark.parametrize("point", list(EXPECTED))
def test_a_killed_import_leaves_the_package_fully_merged_or_absent(setup, tmp_path, point):
    root = setup
    target = tmp_path / "data"
    shutil.copytree(root / "template", target)
    proc = import_process(target, root / "p.jcimsync", pause_at=point)
    try:
        wait_until_paused(proc, point)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
        assert proc.stderr is not None
        proc.stderr.close()
    assert check(target) == EXPECTED[point]

    # The installation still opens and imports the same package afterwards.
    again = import_process(target, root / "p.jcimsync")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    # (a second import of the same package changes nothing: nothing to journal)
    assert check(target) == (RECORDS, EXPECTED[point][1] + 1, RECORDS)
