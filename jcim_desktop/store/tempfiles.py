"""Temporary files of writers that finish with a rename: recorded while they are written, so the
ones a killed process leaves behind are removed the next time the data folder is opened.

Exports, reports and packages are written to ``.<name>.<random>.tmp`` beside their target
(in a folder the application otherwise knows nothing about) and renamed over it when
complete. ``tracked_temp(data_dir, tmp)`` records the temporary path in the data folder for
as long as it is being written; ``replacing(path, data_dir)`` does all of it::

    with replacing(path, data_dir) as handle:
        handle.write(...)   # on success: fsync, os.replace over path, fsync of the folder

One small file per temporary file, under ``<data folder>/.pending-temp/``, named after the
writing process: writers in several processes (the window and a command) never rewrite each
other's records, and a record of a process that is still running is left alone.
``remove_stale_temp_files`` (called by ``services.context.open_app``) deletes what the
records of finished processes point to, and old leftovers of known patterns in known folders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from jcim_desktop.files import fsync_directory, replacing_path, temp_beside

log = logging.getLogger(__name__)

REGISTRY_DIR = ".pending-temp"
STALE_AFTER = dt.timedelta(hours=1)
"""A leftover found only by its name is removed when it is older than this (it may belong to a
writer that is running right now in another process)."""
RECORD_EXPIRES = dt.timedelta(days=2)
"""A record whose process id is alive is still dropped after this long (the id was reused)."""


def is_temp_name(name: str) -> bool:
    """Only files named like our temporary files are ever removed: ``.x.tmp``, ``x.tmp``, ``x.part``."""
    return name.endswith((".tmp", ".part")) and len(name) > 5


def _record(data_dir: Path, tmp: Path) -> Path | None:
    registry = data_dir / REGISTRY_DIR
    entry = registry / f"{os.getpid()}-{uuid.uuid4().hex}.json"
    payload = json.dumps({"path": str(tmp), "pid": os.getpid(), "host": socket.gethostname()}, ensure_ascii=False)
    try:
        registry.mkdir(parents=True, exist_ok=True)
        with open(entry, "x", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_directory(registry)
    except OSError as exc:
        # Not being able to record it must not stop the export: the file is then only not
        # cleaned up should this process be killed.
        log.warning("could not record temporary file %s in %s: %s", tmp, registry, exc)
        with contextlib.suppress(OSError):
            entry.unlink()
        return None
    return entry


@contextmanager
def tracked_temp(data_dir: str | os.PathLike[str] | None, tmp_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Record ``tmp_path`` in ``data_dir`` while the block runs; forget it when the block ends.

    The block itself renames or removes the temporary file. With ``data_dir`` None nothing is
    recorded (a writer used outside an open data folder).
    """
    tmp = Path(os.path.abspath(tmp_path))
    entry = _record(Path(data_dir), tmp) if data_dir is not None else None
    try:
        yield tmp
    finally:
        if entry is not None:
            with contextlib.suppress(OSError):
                entry.unlink()


@contextmanager
def replacing(path: Path, data_dir: str | os.PathLike[str] | None) -> Iterator[IO[bytes]]:
    """A temporary file beside ``path``, open for writing (``w+b``) and recorded in ``data_dir``
    while the block runs; when the block ends normally it is synced to disk and renamed over
    ``path``, and the rename made durable. Otherwise it is removed and ``path`` is untouched.

    ``files.write_atomically`` does the same, untracked and in one go, for the application's own
    small files (settings, drafts); this one is for what is written, possibly streamed, into a
    folder the person chose (reports, packages), where a killed writer's leftover must be found.
    """
    with replacing_file(path, data_dir) as temp, open(temp, "x+b") as handle:
        yield handle


@contextmanager
def replacing_file(path: Path, data_dir: str | os.PathLike[str] | None) -> Iterator[Path]:
    """Like :func:`replacing`, for writers that take a file name (openpyxl, reportlab): the block
    writes the yielded temporary path, which is recorded in ``data_dir`` until it is renamed."""
    temp = temp_beside(path)
    with tracked_temp(data_dir, temp), replacing_path(path, temp):
        yield temp


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return False
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _age(path: Path, now: float) -> dt.timedelta | None:
    try:
        return dt.timedelta(seconds=now - path.stat().st_mtime)
    except OSError:
        return None


def _remove(path: Path, removed: list[Path]) -> None:
    if not is_temp_name(path.name):
        log.warning("not removing %s: not a temporary file name", path)
        return
    try:
        if path.is_file():
            path.unlink()
            removed.append(path)
    except OSError as exc:
        log.warning("could not remove temporary file %s: %s", path, exc)


def remove_stale_temp_files(
    data_dir: Path | str, known: Iterable[tuple[Path, str]] = (), *, stale_after: dt.timedelta = STALE_AFTER
) -> list[Path]:
    """Delete the temporary files recorded by processes that are gone, and clear their records;
    also delete files matching ``known`` (folder, glob pattern) older than ``stale_after``.

    Returns what was removed. Never raises for a file it cannot remove (a read-only folder is
    reported by whatever tries to write there next).
    """
    folder = Path(data_dir)
    registry = folder / REGISTRY_DIR
    removed: list[Path] = []
    now = time.time()
    host = socket.gethostname()
    try:
        entries = sorted(registry.iterdir()) if registry.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        try:
            pid = int(entry.name.split("-", 1)[0])
        except ValueError:
            pid = -1
        try:
            raw = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = None
        age = _age(entry, now)
        expired = age is not None and age > RECORD_EXPIRES
        same_host = not isinstance(raw, dict) or raw.get("host") in (None, host)
        if not expired and (_pid_alive(pid) if same_host else True):
            continue  # its writer may still be at work
        if isinstance(raw, dict) and isinstance(raw.get("path"), str):
            _remove(Path(raw["path"]), removed)
        with contextlib.suppress(OSError):
            entry.unlink()
    for where, pattern in known:
        try:
            candidates = list(where.glob(pattern)) if where.is_dir() else []
        except OSError:
            continue
        for path in candidates:
            age = _age(path, now)
            if age is not None and age > stale_after:
                _remove(path, removed)
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted write: %s", len(removed), removed)
    return removed
