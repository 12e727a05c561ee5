"""The project's error taxonomy: errors a person can act on, and everything else (bugs)."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from pathlib import Path

from jcim_desktop import privacy

# Every log record of the process is redacted (no contact in a log): errors is imported by every
# entry point (the command line, the window, the services) before anything is logged.
privacy.install_log_redaction()


class JcimError(Exception):
    """Base of every error this application raises on purpose."""


class UserError(JcimError):
    """Something a person can act on; ``message`` is Japanese and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Input that cannot be stored. ``errors`` maps a field name to a Japanese message.

    Raised before anything is written: a service that raises it leaves the database unchanged.
    """

    def __init__(self, errors: Mapping[str, str], message: str | None = None) -> None:
        self.errors: dict[str, str] = dict(errors)
        if message is None:
            lines = list(self.errors.values())
            message = "入力内容に誤りがあります。\n" + "\n".join(lines)
        super().__init__(message)


class PermissionDenied(UserError):
    """This installation may not write a record of that owner."""


class NotFound(UserError):
    """A record asked for by id does not exist (or is deleted)."""


class DatabaseError(UserError):
    """The local database cannot be opened, upgraded or is damaged."""


class StorageError(UserError):
    """A file or the database could not be written for a reason outside the program: a full
    disk, a read-only folder, a file held by another program. ``path`` names the place."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class DiskFull(StorageError):
    """No space left on the disk (or over the quota)."""


class ReadOnlyStorage(StorageError):
    """The folder or file may not be written: a read-only medium, folder or permission."""


class FileInUse(StorageError):
    """Another program holds the file (Excel has it open, a sync tool is copying it…)."""


class DatabaseLocked(FileInUse):
    """Another program (or a second copy of this one) keeps the database locked for writing."""


# errno values that mean the same to a person on every platform.
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS}
_NO_PERMISSION = {errno.EACCES, errno.EPERM}
_IN_USE = {errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}
# Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION (a file open in Excel); ERROR_DISK_FULL,
# ERROR_HANDLE_DISK_FULL; ERROR_WRITE_PROTECT.
_WIN_IN_USE = {32, 33}
_WIN_DISK_FULL = {39, 112}
_WIN_READ_ONLY = {19}


def user_error_from_os(exc: OSError, action: str, path: Path | str, *, advice: str | None = None) -> UserError:
    """The user error for an ``OSError`` met while doing ``action`` (a noun such as
    「同期パッケージの書き出し」) on ``path``; raise it ``from exc``.

    A full disk, a read-only folder, a missing permission and a file held by another program
    each get their own class and a message saying what happened and what to do (``advice``
    replaces the usual "what to do" sentence where it does not fit); anything else becomes a
    plain ``StorageError`` that names the file and the system's reason.
    """
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    where = str(path)
    cls: type[StorageError]
    if code in _DISK_FULL or winerror in _WIN_DISK_FULL:
        cls, what = DiskFull, f"ディスクの空き容量が足りません（{where}）。"
        default = "不要なファイルを削除して空きを作るか、別の保存先を選んでから、もう一度行ってください。"
    elif code in _READ_ONLY or winerror in _WIN_READ_ONLY:
        cls, what = ReadOnlyStorage, f"保存先が読み取り専用です（{where}）。"
        default = "書き込みのできる場所を選ぶか、読み取り専用の設定を外してから、もう一度行ってください。"
    elif winerror in _WIN_IN_USE or code in _IN_USE:
        cls, what = FileInUse, f"{where} をほかのプログラムが使っています。"
        default = "そのファイルを開いているプログラム（Excel など）を閉じてから、もう一度行ってください。"
    elif code in _NO_PERMISSION or isinstance(exc, PermissionError):
        cls, what = ReadOnlyStorage, f"{where} に書き込む権限がありません。"
        default = "書き込みのできる場所を選ぶか、フォルダの権限を確かめてから、もう一度行ってください。"
    else:
        cls, what = StorageError, f"{where}: {exc.strerror or exc}。"
        default = "保存先を確かめてから、もう一度行ってください。"
    return cls(f"{action}ができませんでした: {what}{advice if advice is not None else default}", path)


def log_bug(exc: BaseException, data_dir: Path | None, trace: str | None = None) -> Path | None:
    """Append a bug's traceback to ``<data folder>/logs/crash.log`` (the folder in use; the
    default one only when none is known). The file written, or None if it could not be.

    The one crash log of the command line, the window and the services. No contact (個人情報)
    reaches it: the traceback passes through ``crash_text`` first.
    """
    import datetime as dt

    from jcim_desktop.paths import default_data_dir

    folder = data_dir or default_data_dir()
    path = folder / "logs" / "crash.log"
    text = crash_text(exc, folder, trace)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        return None
    return path


def crash_text(exc: BaseException, data_dir: Path | None, trace: str | None = None) -> str:
    """The traceback of ``exc`` (or ``trace``) as a crash report may show it: every contact value
    it quotes (a record's data in a message, an e-mail in a validation message, SQL parameters)
    replaced, the contacts stored in ``data_dir``'s database included (``privacy.redact``)."""
    import traceback

    text = trace or "".join(traceback.format_exception(exc))
    try:
        stored = privacy.stored_contact_values(data_dir)
    except Exception:  # noqa: BLE001 - the crash is being reported: the patterns still apply
        stored = set()
    return privacy.redact(text, stored)
