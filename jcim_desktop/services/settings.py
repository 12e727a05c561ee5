"""Per-installation settings kept beside the database (settings.json)."""

from __future__ import annotations

import enum
import getpass
import json
import os
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


class SchemaState(enum.Enum):
    """How a shared database's tables stand against this version of the application."""

    CURRENT = "current"
    """Made or updated by this version."""
    EMPTY = "empty"
    """No JCIM tables yet: the administrator makes them (``jcim-desktop db migrate``)."""
    OLDER = "older"
    """Made by an older version: updated when this version opens it (a backup first)."""
    NEWER = "newer"
    """Updated by a newer version: this one cannot use it until it is updated itself."""


@dataclass(frozen=True)
class DatabaseProbe:
    """What a connection test of a shared database found (the window words it)."""

    location: str
    """Where it is, as a person reads it: ``利用者@サーバー/データベース名``."""
    schema: SchemaState
    installations: int
    """How many installations write to it."""
    lists_this: bool
    """Whether the installation asked about is among them (it can then work on it)."""
    collation: str
    """The database's default collation as the server names it (``C.UTF-8``, ``ja-JP (ICU)``)."""
    orders_like_sqlite: bool
    """Whether it orders text by character code as SQLite does; if not, lists sorted by a text
    column and exported packages come out in another order than on SQLite (``db check`` says how
    to make the database again; README 「事務局で PostgreSQL を使う」)."""


def checked_database_url(text: str) -> str:
    """The URL typed for a shared database, checked: a ``UserError`` names what to fix (blank, not
    PostgreSQL, malformed, no database name, a password in it)."""
    from jcim_desktop.store.server import check_shareable_url

    url = text.strip()
    if not url:
        raise UserError(
            "共有データベースの URL を入力してください（postgresql+psycopg://利用者@サーバー/データベース名 の形）。"
        )
    check_shareable_url(url)
    return url


def probe_database(url: str, installation_id: str | None = None) -> DatabaseProbe:
    """Try the shared database of ``url`` without changing anything: its schema's state, how many
    installations write to it, whether ``installation_id`` is one of them, and its collation.

    A bad URL, a server that cannot be reached, a refused login or a missing database raise the
    ``UserError`` that says which (``store.server.probe``). It may take seconds: run it off the
    GUI thread.
    """
    from jcim_desktop.store.admin import schema_state
    from jcim_desktop.store.server import probe, server_label

    checked = checked_database_url(url)
    state = probe(checked)
    return DatabaseProbe(
        location=server_label(checked),
        schema=SchemaState(schema_state(state.revision)),
        installations=len(state.installation_ids),
        lists_this=installation_id is not None and installation_id in state.installation_ids,
        collation=state.text_order.collation,
        orders_like_sqlite=state.text_order.like_sqlite,
    )


def database_overridden() -> bool:
    """Whether this run's database was named by ``--database-url`` or ``JCIM_DESKTOP_DATABASE_URL``
    (the settings' choice then applies only to runs without them)."""
    from jcim_desktop.store.database import DATABASE_URL_ENV

    return os.environ.get(DATABASE_URL_ENV) is not None


def database_location(url: str | None) -> str | None:
    """Where a shared database is, short (``利用者@サーバー/データベース名``); None for SQLite."""
    from jcim_desktop.store.server import server_label

    return server_label(url) if url is not None else None


def _same_database(a: str | None, b: str | None) -> bool:
    from jcim_desktop.store.server import same_url

    if a is None or b is None:
        return a is b
    return same_url(a, b)


def check_database_choice(ctx: AppContext, url: str | None) -> None:
    """Refuse (``UserError``, saying why and what to do) a database choice with which this data
    folder would not open at the next start: SQLite where the folder has no SQLite database (it
    was made for a shared one), or a shared database that cannot be reached, is not ready for this
    version, or does not list this installation. May connect to a server: off the GUI thread."""
    from jcim_desktop.store.database import DB_FILE_NAME, display_url

    if url is None:
        if not (ctx.data_dir / DB_FILE_NAME).exists():
            raise UserError(
                f"データフォルダ {ctx.data_dir} には SQLite のデータベースがありません（共有データベースの端末として"
                "作られたフォルダです）。このままでは次に起動できないため、保存しませんでした。"
                "SQLite で使うには、設定の「データフォルダ」で新しい空のフォルダを選んでください"
                "（次に起動したときに、そのフォルダで始める準備をします）。"
            )
        return
    found = probe_database(url, ctx.installation_id)
    where = display_url(url)
    if found.schema is SchemaState.EMPTY:
        raise UserError(
            f"共有データベース（{where}）にはまだ JCIM のデータがありません。このままでは次に起動できないため、"
            "保存しませんでした。管理者が「jcim-desktop db migrate --database-url …」で作ったあと、"
            f"新しいデータフォルダで「jcim-desktop init --org {ctx.org} --database-url {where}」を実行して"
            "この端末を登録し、設定の「データフォルダ」でそのフォルダを選んでください。"
        )
    if found.schema is SchemaState.NEWER:
        raise UserError(
            f"共有データベース（{where}）は新しい版のアプリで更新されています。この版では開けないため、"
            "保存しませんでした。アプリを新しい版にしてから選んでください。"
        )
    if not found.lists_this:
        raise UserError(
            f"この端末（データフォルダ {ctx.data_dir}、端末ID {ctx.installation_id}）は共有データベース（{where}）に"
            "登録されていません。このままでは次に起動できないため、保存しませんでした。"
            f"共有データベースで作業するには、新しいデータフォルダで「jcim-desktop init --org {ctx.org} "
            f"--database-url {where}」を実行してこの端末を登録し、設定の「データフォルダ」でそのフォルダを選んでください。"
        )


@dataclass(frozen=True)
class SettingsChange:
    """What a person chose in the settings dialog (None: a folder left at its default; a database
    URL None: SQLite in the data folder)."""

    user_name: str
    language: str
    data_dir: Path | None
    backup_dir: Path | None
    keep_backups: int
    database_url: str | None


def database_changes(ctx: AppContext, change: SettingsChange) -> bool:
    """Whether ``change`` chooses another database than the saved one (saving it then checks the
    new one, which may connect to a server: the window does that off the GUI thread)."""
    return not _same_database(change.database_url, ctx.settings.database_url)


@dataclass(frozen=True)
class SettingsSaved:
    """What saving changed: the window says which choices apply only from the next start."""

    language_changed: bool
    new_data_dir: Path | None
    database_changed: bool = False
    new_database: str | None = None
    """The shared database chosen (``利用者@サーバー/データベース名``); None: SQLite, or unchanged."""

    @property
    def changes(self) -> Changes:
        return Changes.of_settings()


def change_settings(ctx: AppContext, change: SettingsChange) -> SettingsSaved:
    """Apply and save the settings dialog's choices (a user error, such as a full disk, leaves
    the settings file and the remembered data folder as they were).

    The backup folder and the number of backups kept apply at once; the language, a new data
    folder and another database from the next start (the data folder is remembered per user, not
    per folder; the database is this folder's). A database with which the folder would not open
    is refused (``check_database_choice``: this may connect to the server).
    """
    from jcim_desktop.paths import platform_data_dir, remember_data_dir

    if change.language not in LANGUAGES:
        raise UserError(f"表示言語 {change.language} には対応していません。")
    if change.keep_backups < 1:
        raise UserError("残すバックアップは 1 世代以上にしてください。")
    database_changed = database_changes(ctx, change)
    new_url = checked_database_url(change.database_url) if database_changed and change.database_url is not None else None
    new_data = change.data_dir if change.data_dir is not None and change.data_dir != ctx.data_dir else None
    if database_changed and new_data is not None:
        # The database choice is kept in this folder's settings: the new folder would not use it.
        raise UserError(
            "データフォルダとデータベースは、一度にどちらか一方だけ変更してください。"
            "データベースの選択はデータフォルダごとに保存されるため、新しいフォルダには引き継がれません。"
        )
    if database_changed:
        check_database_choice(ctx, new_url)
    settings = ctx.settings
    before = Settings(**asdict(settings))
    default_backup = ctx.data_dir / "backups"
    settings.user_name = change.user_name.strip()
    settings.language = change.language
    settings.backup_dir = str(change.backup_dir) if change.backup_dir and change.backup_dir != default_backup else None
    settings.keep_backups = change.keep_backups
    if database_changed:
        settings.database_url = new_url
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
    return SettingsSaved(
        language_changed=before.language != settings.language, new_data_dir=new_data,
        database_changed=database_changed, new_database=database_location(new_url) if database_changed else None,
    )
