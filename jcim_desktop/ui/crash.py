"""Bugs: logged with their traceback, shown to the person as a short Japanese message."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from jcim_desktop.errors import UserError, crash_text, log_bug

log = logging.getLogger("jcim_desktop")
translate = QCoreApplication.translate


_data_dir: Path | None = None
"""The data folder in use (its ``logs/crash.log`` gets the bugs); None: the default one."""


def set_data_dir(folder: Path | None) -> None:
    global _data_dir
    _data_dir = folder


def log_bug_quietly(exc: BaseException, trace: str = "") -> Path | None:
    """A bug into the data folder's crash log and standard error, without a message (``report_bug``
    shows one): the file it went to, if any."""
    # No contact (個人情報) in the log nor on standard error: redacted once, for both.
    trace = crash_text(exc, _data_dir, trace or None)
    path = log_bug(exc, _data_dir, trace)
    log.error("unexpected error: %s", trace)
    return path


def report_bug(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    path = log_bug_quietly(exc, trace)
    where = translate("crash", "\n詳細は {path} に記録しました。").format(path=path) if path is not None else ""
    if QApplication.instance() is None:
        return
    QMessageBox.critical(
        parent,
        translate("crash", "JCIM Desktop"),
        translate("crash", "予期しないエラーが発生しました（{kind}）。入力中の内容は下書きとして保存されています。"
                           "{where}\n事務局またはシステム担当者に連絡してください。").format(kind=type(exc).__name__, where=where),
    )


def install_excepthook(data_dir: Path | None = None) -> None:
    """Exceptions escaping Qt slots end here: user errors as warnings, bugs through report_bug
    (logged under ``data_dir``, the data folder in use)."""
    if data_dir is not None:
        set_data_dir(data_dir)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, UserError):
            QMessageBox.warning(QApplication.activeWindow(), translate("crash", "JCIM Desktop"), exc.message)
            return
        report_bug(QApplication.activeWindow(), exc, "".join(traceback.format_exception(kind, exc, tb)))

    sys.excepthook = hook
