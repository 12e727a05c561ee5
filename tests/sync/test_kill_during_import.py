"""SIGKILL at random moments during imports, 50 times: the database stays sound, the package all-or-nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import code
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import init_installation

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]
RECORDS = 3000
RUNS = 50


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


def import_process(data_dir: Path, package: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "jcim_desktop", "import", str(package), "--data-dir", str(data_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def check(data_dir: Path) -> tuple[int, int]:
    conn = sqlite3.connect(data_dir / "jcim.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        needs = conn.execute("SELECT count(*) FROM needs").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM received_packages").fetchone()[0]
    finally:
        conn.close()
    return needs, logged


def test_killed_imports_leave_the_package_fully_merged_or_absent(setup):
    root = setup
    # How long a whole import takes here, to spread the kills over it.
    whole = root / "whole"
    shutil.copytree(root / "template", whole)
    t0 = time.perf_counter()
    assert import_process(whole, root / "p.jcimsync").wait(timeout=120) == 0
    duration = time.perf_counter() - t0
    assert check(whole) == (RECORDS, 1)

    rng = random.Random(20261123)
    outcomes = {"merged": 0, "absent": 0}
    for run in range(RUNS):
        target = root / f"run{run}"
        shutil.copytree(root / "template", target)
        proc = import_process(target, root / "p.jcimsync")
        time.sleep(rng.uniform(0.1, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        needs, logged = check(target)
        assert (needs, logged) in ((0, 0), (RECORDS, 1)), f"run {run}: {needs} records, {logged} log rows"
        outcomes["merged" if needs else "absent"] += 1
        # And the installation still opens and imports afterwards.
        if run % 10 == 0:
            assert import_process(target, root / "p.jcimsync").wait(timeout=120) == 0
            assert check(target) == (RECORDS, 1 + logged)
        shutil.rmtree(target)
    # The kills landed on both sides of the commit (otherwise the test proved little).
    assert outcomes["merged"] > 0 and outcomes["absent"] > 0, outcomes
