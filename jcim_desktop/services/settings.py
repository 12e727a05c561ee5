"""Per-installation settings kept beside the database (settings.json)."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from jcim_desktop.errors import UserError, user_error_from_os
from jcim_desktop.files import write_atomically
from jcim_desktop.services.changes import Changes

if TYPE_CHECKING:
    from jcim_desktop.services.context import AppContext

SETTINGS_FILE = "settings.json"
LANGUAGES = ("ja", "en")


@dataclass
class Settings:
    user_name: str = ""
    language: str = "ja"
    backup_dir: str | None = None
    keep_backups: int = 10
    database_url: str | None = None
    """A shared PostgreSQL database (``postgresql+psycopg://…``, no password: libpq's ``.pgpass``
    or ``PGPASSWORD`` supplies it); None: SQLite in the data folder. ``--database-url`` and
    ``JCIM_DESKTOP_DATABASE_URL`` override it (``store.database.resolve_url``)."""

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


@dataclass(frozen=True)
class SettingsChange:
    """What a person chose in the settings dialog (None: a folder left at its default)."""

    user_name: str
    language: str
    data_dir: Path | None
    backup_dir: Path | None
    keep_backups: int


@dataclass(frozen=True)
class SettingsSaved:
    """What saving changed: the window says which choices apply only from the next start."""

    language_changed: bool
    new_data_dir: Path | None

    @property
    def changes(self) -> Changes:
        return Changes.of_settings()


def change_settings(ctx: AppContext, change: SettingsChange) -> SettingsSaved:
    """Apply and save the settings dialog's choices (a user error, such as a full disk, leaves
    the settings file and the remembered data folder as they were).

    The backup folder and the number of backups kept apply at once; the language and a new
    data folder from the next start (the data folder is remembered per user, not per folder).
    """
    from jcim_desktop.paths import platform_data_dir, remember_data_dir

    if change.language not in LANGUAGES:
        raise UserError(f"表示言語 {change.language} には対応していません。")
    if change.keep_backups < 1:
        raise UserError("残すバックアップは 1 世代以上にしてください。")
    settings = ctx.settings
    before = Settings(**asdict(settings))
    default_backup = ctx.data_dir / "backups"
    settings.user_name = change.user_name.strip()
    settings.language = change.language
    settings.backup_dir = str(change.backup_dir) if change.backup_dir and change.backup_dir != default_backup else None
    settings.keep_backups = change.keep_backups
    new_data = change.data_dir if change.data_dir is not None and change.data_dir != ctx.data_dir else None
    try:
        save_settings(ctx.data_dir, settings)
    except UserError:
        for name, value in asdict(before).items():
            setattr(settings, name, value)
        raise
    if new_data is not None:
        try:
            remember_data_dir(None if new_data == platform_data_dir() else new_data)
        except UserError:
            for name, value in asdict(before).items():
                setattr(settings, name, value)
            try:
                save_settings(ctx.data_dir, settings)  # all or nothing: the old choices again
            except UserError:
                pass  # the first error says what to do
            raise
    ctx.db.backup_dir = settings.resolved_backup_dir(ctx.data_dir)
    ctx.db.keep_backups = settings.keep_backups
    return SettingsSaved(language_changed=before.language != settings.language, new_data_dir=new_data)
