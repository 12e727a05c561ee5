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


def _app_name() -> str:
    # Folder names people see: "JCIM Desktop" on Windows and macOS, "jcim-desktop" by XDG habit.
    return APP_DIR_NAME if sys.platform in ("win32", "darwin") else "jcim-desktop"


def config_dir() -> Path:
    """The per-user configuration folder: the chosen data folder and the window's state
    (``window.ini``) are remembered here. From ``platformdirs`` (XDG variables honoured)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(_app_name(), appauthor=False, roaming=True))


LOCATION_FILE = "location.json"


def chosen_data_dir() -> Path | None:
    """The data folder a person chose in the settings dialog, if any."""
    import json

    location = config_dir() / LOCATION_FILE
    if not location.exists() and sys.platform == "darwin":
        # Version 0.1 kept it in ~/Library/Preferences; read it there until it is saved anew.
        location = Path.home() / "Library" / "Preferences" / APP_DIR_NAME / LOCATION_FILE
    try:
        raw = json.loads(location.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = raw.get("data_dir") if isinstance(raw, dict) else None
    return Path(value) if isinstance(value, str) and value else None


def remember_data_dir(folder: Path | None) -> None:
    """Remember (or with None forget) the chosen data folder, for the window and the CLI alike."""
    import json

    from jcim_desktop.errors import user_error_from_os
    from jcim_desktop.files import write_atomically

    target = config_dir() / LOCATION_FILE
    try:
        if folder is None:
            target.unlink(missing_ok=True)
            return
        write_atomically(target, json.dumps({"data_dir": str(folder)}, ensure_ascii=False))
    except OSError as exc:
        raise user_error_from_os(
            exc, "データフォルダの場所の記録", target,
            advice=f"データフォルダは変更していません。設定のフォルダ（{target.parent}）に書き込めるか確かめてください。",
        ) from exc


def platform_data_dir() -> Path:
    """The platform's conventional per-user data folder (from ``platformdirs``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(_app_name(), appauthor=False, roaming=False))


def default_data_dir() -> Path:
    """The per-user data folder (never inside the bundle).

    ``JCIM_DESKTOP_DATA_DIR`` overrides it, then the folder chosen in the settings dialog, then
    the platform's convention.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return chosen_data_dir() or platform_data_dir()
