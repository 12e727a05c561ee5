"""The window's own state (geometry, last folders): one ``QSettings`` file beside the config.

Everything per-user lives under :func:`jcim_desktop.paths.config_dir` (``platformdirs``): the
remembered data folder (``location.json``) and this ``window.ini``, written by ``QSettings``
in INI format under the application's name. Settings that belong to an installation (user
name, language, backup folder) live in its data folder (``services.settings``), not here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from jcim_desktop.paths import config_dir

FILE_NAME = "window.ini"


def _settings() -> QSettings:
    return QSettings(str(config_dir() / FILE_NAME), QSettings.Format.IniFormat)


def value(key: str) -> object:
    return _settings().value(key)


def set_value(key: str, data: object) -> None:
    _settings().setValue(key, data)


def last_folder(kind: str) -> Path:
    """The folder a file dialog of ``kind`` (``sync``, ``reports`` …) last used; Documents first."""
    saved = value(f"{kind}/last_dir")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(kind: str, path: Path) -> None:
    """Remember the folder of ``path`` (a chosen file) for the next dialog of ``kind``."""
    set_value(f"{kind}/last_dir", str(path.parent))
