"""Writing small files so that a crash or power cut leaves the old file or the new one, never half.

The one atomic write (STYLE.md, "one of each"): a temporary file beside the target, flushed to
disk, renamed over it, and the rename itself made durable. Callers turn ``OSError`` into the
user error that fits (``errors.user_error_from_os``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path


def fsync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows cannot open a folder for fsync."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` atomically (``.<name>.<random>.tmp`` beside it meanwhile).

    ``OSError`` if it cannot be written; the old file (if any) is then untouched and no
    temporary file is left behind.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
