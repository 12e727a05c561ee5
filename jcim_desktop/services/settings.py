"""Per-installation settings kept beside the database (settings.json)."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from jcim_desktop.files import write_atomically
from jcim_desktop.errors import UserError, user_error_from_os

SETTINGS_FILE = "settings.json"
LANGUAGES = ("ja", "en")


@dataclass
class Settings:
    user_name: str = ""
    language: str = "ja"
    backup_dir: str | None = None
    keep_backups: int = 10

    def resolved_backup_dir(self, data_dir: Path) -> Path:
        return Path(self.backup_dir) if self.backup_dir else data_dir / "backups"

    def effective_user_name(self) -> str:
        if self.user_name.strip():
            return self.user_name.strip()
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name on some systems; the log still needs one
            return "不明な利用者"


def load_settings(data_dir: Path) -> Settings:
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"設定ファイル {path} を読めません（{exc}）。ファイルを削除すると初期設定に戻ります。") from exc
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in raw.items() if k in known})
    if settings.language not in LANGUAGES:
        settings.language = "ja"
    if not isinstance(settings.keep_backups, int) or settings.keep_backups < 1:
        settings.keep_backups = 10
    return settings


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically: a crash never leaves a half-written settings file.

    A full disk or a read-only folder raises a user error and leaves the old file as it was.
    The temporary file (``.settings.json.<random>.tmp``) is one of the known leftovers that
    opening the data folder removes.
    """
    path = data_dir / SETTINGS_FILE
    try:
        write_atomically(path, json.dumps(asdict(settings), ensure_ascii=False, indent=2))
    except OSError as exc:
        raise user_error_from_os(exc, "設定の保存", path) from exc
