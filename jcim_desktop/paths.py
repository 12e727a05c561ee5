"""Where things are: bundled resources, forms, migrations, and the per-user data folder.

One function finds the bundled files the same way from a source checkout, an installed wheel
and a PyInstaller bundle (``sys._MEIPASS``); another finds the per-user data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "JCIM Desktop"
DATA_DIR_ENV = "JCIM_DESKTOP_DATA_DIR"


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    package_dir = Path(__file__).resolve().parent
    # Source checkout: resources/, forms/ and db/ sit beside the package.
    checkout = package_dir.parent
    if (checkout / "resources").is_dir() and (checkout / "db").is_dir():
        return checkout
    # Installed wheel: the same folders are shipped inside the package as ``_data``.
    return package_dir / "_data"


def bundled_path(*parts: str) -> Path:
    """Path of a bundled file or folder: ``bundled_path("resources", "municipalities.csv")``."""
    return _bundle_root().joinpath(*parts)


def resource_path(name: str) -> Path:
    """Path of a file in ``resources/``."""
    return bundled_path("resources", name)


def default_data_dir() -> Path:
    """The per-user data folder (never inside the bundle).

    ``JCIM_DESKTOP_DATA_DIR`` overrides it; otherwise the platform's convention is used.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return Path(base or Path.home() / "AppData" / "Local") / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jcim-desktop"
