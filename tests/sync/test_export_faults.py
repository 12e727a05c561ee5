"""Exporting a package on a laptop: a full disk, a read-only folder, a killed process."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from helpers import code, refuse_new_files
from jcim_desktop.errors import DiskFull, ReadOnlyStorage
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import open_app
from jcim_desktop.sync import package


@pytest.fixture
def forum_with_records(forum):
    for title in ("橋梁点検", "堤防点検"):
        records.create(forum, "needs", {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"],
                                        "requirements": "安価に", "received_on": "2024-05-10", "status": "open"})
    return forum


def test_a_full_disk_says_so_leaves_nothing_and_keeps_the_package_number(forum_with_records, tmp_path, monkeypatch):
    forum = forum_with_records
    out = tmp_path / "out" / "p.jcimsync"
    out.parent.mkdir()
    before = sync.next_sequence(forum)

    def full(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package, "_write_member", full)
    with pytest.raises(DiskFull) as caught:
        sync.export_package(forum, out)
    assert "ディスクの空き容量が足りません" in caught.value.message and str(out) in caught.value.message
    assert list(out.parent.iterdir()) == []  # no package, no half-written temporary file
    assert sync.next_sequence(forum) == before


def test_a_read_only_folder_says_so(forum_with_records, tmp_path, monkeypatch):
    refuse_new_files(monkeypatch, OSError(errno.EROFS, "Read-only file system"))
    with pytest.raises(ReadOnlyStorage) as caught:
        sync.export_package(forum_with_records, tmp_path / "p.jcimsync")
    assert "読み取り専用" in caught.value.message


CHILD = textwrap.dedent("""
    import os, sys, time
    from jcim_desktop.services import sync
    from jcim_desktop.services.context import open_app
    from jcim_desktop.sync import package

    ctx = open_app(sys.argv[1])
    real = package._write_member

    def slow(zf, name, data, stamp):
        if name == "manifest.json":
            print("writing", flush=True)
            time.sleep(120)
        real(zf, name, data, stamp)

    package._write_member = slow
    sync.export_package(ctx, sys.argv[2])
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL: POSIX only")
def test_the_temporary_file_of_a_killed_export_is_removed_at_the_next_start(forum_with_records, tmp_path):
    forum = forum_with_records
    forum.close()
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(forum.data_dir), str(stick / "p.jcimsync")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing", proc.stderr.read() if proc.stderr else ""
        (temp,) = list(stick.iterdir())
        assert temp.name.startswith(".p.jcimsync.") and temp.name.endswith(".tmp") and temp.stat().st_size > 0
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert temp.exists()
    ctx = open_app(forum.data_dir)
    try:
        assert list(stick.iterdir()) == []
        assert sync.export_package(ctx, stick / "p.jcimsync").total == 2
    finally:
        ctx.close()
