"""Writing small files so that a crash or power cut leaves the old file or the new one, never half.

The one atomic write (STYLE.md, "one of each"), :func:`replacing_path`: a temporary file beside
the target, flushed to disk, renamed over it, and the rename itself made durable. Everything
that replaces a file uses it: settings and drafts (:func:`write_atomically`), packages, PDFs and
Excel files (through ``store.tempfiles``, which also records the temporary file in the data
folder while it is written). Callers turn ``OSError`` into the
user error that fits (``errors.user_error_from_os``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
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


def temp_beside(path: Path) -> Path:
    """A fresh name for a temporary file beside ``path``: ``.<name>.<random>.tmp`` (hidden, and
    known to ``store.tempfiles`` as a leftover when a writer is killed)."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"


@contextlib.contextmanager
def replacing_path(path: Path, temp: Path | None = None) -> Iterator[Path]:
    """The one atomic replacement: the block writes the file at the yielded temporary path
    (``temp`` or a fresh name beside ``path``; the writer creates it, so it gets the usual
    permissions); when the block ends normally the file is flushed to disk, renamed over
    ``path`` and the rename made durable. Otherwise the temporary file is removed and ``path``
    is untouched. ``OSError`` is left to the caller to turn into the user error that fits.
    """
    temp = temp or temp_beside(path)
    try:
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_directory(path.parent)


def write_atomically(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` atomically (the application's own small files: settings,
    drafts, the remembered data folder). ``OSError`` if it cannot be written; the old file (if
    any) is then untouched and no temporary file is left behind.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing_path(path) as temp, open(temp, "xb") as handle:
        handle.write(raw)
