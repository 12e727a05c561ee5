"""SQLite's errors that a person can act on (full disk, read-only folder, lock), as user errors.

One place turns them into ``DiskFull``, ``ReadOnlyStorage`` and ``DatabaseLocked``: the engine's
``handle_error`` event (store/database.py) for everything that goes through SQLAlchemy, and
``user_error_from_sqlite`` for the few places that use ``sqlite3`` directly (backups, checks).
SQLite rolls the statement and its transaction back, so when one of these is raised nothing
of the change was written.
"""

from __future__ import annotations

from pathlib import Path

from jcim_desktop.errors import DatabaseLocked, DiskFull, ReadOnlyStorage, StorageError

_FULL = ("SQLITE_FULL",)
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_AUTH", "SQLITE_PERM")
_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")


def sqlite_kind(exc: BaseException) -> str | None:
    """"full", "readonly", "locked" or None, from the SQLite error name (or its message)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    if name.startswith(_FULL) or "database or disk is full" in text:
        return "full"
    if name.startswith(_LOCKED) or "database is locked" in text or "database table is locked" in text:
        return "locked"
    if name.startswith(_READ_ONLY) or "readonly database" in text or "unable to open database file" in text:
        return "readonly"
    return None


UNCHANGED = "変更は保存されていません（データベースは変更前のままです）。"


def user_error_from_sqlite(
    exc: BaseException,
    db_path: Path | str,
    *,
    action: str = "データベースへの書き込み",
    unchanged: str = UNCHANGED,
) -> StorageError | None:
    """The user error for SQLite's ``exc`` on the database at ``db_path``, or None if it is not
    one a person can act on (a bug, or damage: that is found by ``quick_check``).

    ``action`` is what failed (a noun: 「データベースへの書き込み」); ``unchanged`` what the
    person may rely on afterwards (empty when nothing was being written).
    """
    kind = sqlite_kind(exc)
    if kind is None:
        return None
    path = Path(db_path)
    folder = path.parent
    if kind == "full":
        return DiskFull(
            f"{action}ができませんでした: ディスクの空き容量が足りません（{folder}）。{unchanged}"
            "不要なファイルを削除して空きを作ってから、もう一度行ってください。",
            path,
        )
    if kind == "locked":
        return DatabaseLocked(
            f"{action}ができませんでした: データベース（{path}）をほかのプログラムが使っています。{unchanged}"
            "JCIM Desktop をもう一つ開いていないか、ほかのプログラム（DB Browser for SQLite など）で"
            "このファイルを開いていないかを確かめ、閉じてから、もう一度行ってください。",
            path,
        )
    return ReadOnlyStorage(
        f"{action}ができませんでした: データフォルダ（{folder}）に書き込めません（読み取り専用か、書き込む権限がありません）。"
        f"{unchanged}フォルダの読み取り専用を外すか、設定で書き込みのできるデータフォルダを選んでから、もう一度起動してください。",
        path,
    )


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's "not a database" and "malformed" errors (the file itself is bad)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text

