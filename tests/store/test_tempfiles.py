"""Temporary files of a killed export are removed the next time the data folder is opened."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jcim_desktop.services.context import open_app
from jcim_desktop.store import tempfiles

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL: POSIX only")

CHILD_EXCEL = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import openpyxl
    from jcim_desktop.services import excel_export
    from jcim_desktop.services.context import open_app

    data, out = sys.argv[1], Path(sys.argv[2])
    ctx = open_app(data)

    def slow_save(self, filename):
        Path(filename).write_bytes(b"PK\\x03\\x04 half a workbook")
        print("writing", filename, flush=True)
        time.sleep(120)

    openpyxl.Workbook.save = slow_save
    excel_export.export_tally_xlsx(ctx, 2024, out)
""")

CHILD_PDF = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from jcim_desktop.services import reports
    from jcim_desktop.services.context import open_app

    data, out = sys.argv[1], Path(sys.argv[2])
    ctx = open_app(data)
    real_fsync = os.fsync

    def slow_fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if name.startswith(str(out.parent)) and name.endswith(".tmp"):
            print("writing", name, flush=True)
            time.sleep(120)
        real_fsync(fd)

    os.fsync = slow_fsync
    reports.kpi_report_pdf(ctx, 2024, out)
""")


def _kill_while_writing(child: str, data: Path, out: Path, tmp_path: Path) -> Path:
    script = tmp_path / "child.py"
    script.write_text(child, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(data), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("writing "), (line, proc.stderr.read() if proc.stderr else "")
        temp = Path(line.split(" ", 1)[1].strip())
        assert temp.exists()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)  # reaped: its pid is no longer alive
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    return temp


@pytest.mark.parametrize("child, name", [(CHILD_EXCEL, "集計.xlsx"), (CHILD_PDF, "報告.pdf")])
def test_a_killed_export_leaves_nothing_after_the_next_start(forum, tmp_path, child, name):
    data = forum.data_dir
    forum.close()
    exports = tmp_path / "exports"  # a folder the application knows nothing about
    exports.mkdir()
    out = exports / name
    temp = _kill_while_writing(child, data, out, tmp_path)
    assert temp.parent == exports and temp.name.startswith(f".{name}.") and temp.name.endswith(".tmp")
    assert temp.exists() and not out.exists()  # what a killed writer leaves behind

    open_app(data).close()

    assert not temp.exists()
    assert list(exports.iterdir()) == []
    assert list((data / tempfiles.REGISTRY_DIR).iterdir()) == []


@contextmanager
def _writing(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """This very process writing a tracked temporary file: the data folder and the file."""
    data = tmp_path / "data"
    temp = tmp_path / ".out.pdf.abc.tmp"
    with tempfiles.tracked_temp(data, temp):
        temp.write_text("being written")
        yield data, temp


def test_a_finished_write_forgets_its_record(tmp_path):
    with _writing(tmp_path) as (data, temp):
        (recorded,) = (data / tempfiles.REGISTRY_DIR).iterdir()
        assert json.loads(recorded.read_text())["path"] == str(temp)
        temp.replace(tmp_path / "out.pdf")
    assert list((data / tempfiles.REGISTRY_DIR).iterdir()) == []


def test_a_record_of_a_running_writer_is_left_alone(tmp_path):
    with _writing(tmp_path) as (data, temp):
        assert tempfiles.remove_stale_temp_files(data) == []  # this very process is writing it
        assert temp.exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_record_never_deletes_a_file_that_is_not_a_temporary_file(tmp_path):
    data = tmp_path / "data"
    registry = data / tempfiles.REGISTRY_DIR
    registry.mkdir(parents=True)
    precious = tmp_path / "report.xlsx"
    precious.write_text("a finished export")
    temp = tmp_path / ".report.xlsx.0123.tmp"
    temp.write_text("half")
    pid = _dead_pid()
    for n, path in enumerate((precious, temp)):
        (registry / f"{pid}-{n}.json").write_text(json.dumps({"path": str(path), "pid": pid}))
    (registry / f"{pid}-broken.json").write_text('{"path": "')  # a record cut short by the kill

    removed = tempfiles.remove_stale_temp_files(data)

    assert removed == [temp]
    assert precious.read_text() == "a finished export"
    assert list(registry.iterdir()) == []


def test_old_leftovers_of_known_writers_are_removed_at_open(forum):
    data = forum.data_dir
    forum.close()
    long_ago = time.time() - 2 * 3600
    old = [data / ".settings.json.1a2b3c.tmp", data / "settings.json.tmp", data / ".jcim.sqlite3.9f8e.tmp",
           data / "drafts" / ".0123abcd.x1y2.tmp", data / "backups" / "jcim-20240701-093005-daily.sqlite3.part"]
    fresh = data / "drafts" / ".4567.zz.tmp"  # may be a draft being written by the window right now
    for path in [*old, fresh]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("left over")
    for path in old:
        os.utime(path, (long_ago, long_ago))

    open_app(data).close()

    assert [p for p in old if p.exists()] == []
    assert fresh.exists()
    assert (data / "settings.json").exists()
    assert forum.db.shared or (data / "jcim.sqlite3").exists()
