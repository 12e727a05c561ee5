"""The open application: database, identity, settings and the unit of work services write through."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from jcim_desktop import keystore
from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry, default_registry
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, OrgKind, can_write, org_name, writable_owners
from jcim_desktop.domain.versioning import HybridClock
from jcim_desktop.errors import UserError
from jcim_desktop.files import write_atomically
from jcim_desktop.paths import default_data_dir
from jcim_desktop.services.settings import Settings, load_settings, save_settings
from jcim_desktop.store import tempfiles
from jcim_desktop.store.database import (  # DATABASE_URL_ENV, DatabaseUnreachable: re-exported for the window
    DATABASE_URL_ENV as DATABASE_URL_ENV,
)
from jcim_desktop.store.database import (
    DB_FILE_NAME,
    Database,
    check_database_file,
    display_url,
    open_database,
    resolve_url,
    without_password,
)
from jcim_desktop.store.database import (
    DatabaseUnreachable as DatabaseUnreachable,
)
from jcim_desktop.store.models import Installation
from jcim_desktop.store.stamping import StampingSession, Writer

KEY_DIR_NAME = "keys"
IDENTITY_FILE = "identity.json"
"""``keys/identity.json``: this installation's org and id, kept outside the database so that a
fresh start after a damaged database knows which org it was."""
log = logging.getLogger(__name__)


class NotInitialized(UserError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"データフォルダ {data_dir} はまだ初期化されていません。"
            "「jcim-desktop init --org 組織コード」で初期化してください。"
        )


class NotRegistered(UserError):
    def __init__(self, data_dir: Path, url: str, installation_id: str) -> None:
        super().__init__(
            f"データフォルダ {data_dir} の端末（{installation_id}）は、共有データベース {display_url(url)} に"
            "登録されていません。別のデータベースの端末か、データベースが作り直されたのかもしれません。"
            "新しいデータフォルダで「jcim-desktop init --org 組織コード --database-url …」を実行して登録してください。"
        )


class AlreadyInitialized(UserError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"データフォルダ {data_dir} は既に初期化されています。"
            "別の組織として始めるには、別のデータフォルダを --data-dir で指定してください。"
        )


@dataclass
class AppContext:
    """Everything a use case needs: pass it as the first argument of every service function."""

    data_dir: Path
    db: Database
    installation_id: str
    org: str
    public_key: str
    settings: Settings
    clock: HybridClock
    registry: LocalGovernmentRegistry = field(default_factory=default_registry)

    @property
    def user_name(self) -> str:
        return self.settings.effective_user_name()

    @property
    def is_secretariat(self) -> bool:
        return ORGS[self.org].kind is OrgKind.SECRETARIAT

    @property
    def org_name(self) -> str:
        return org_name(self.org)

    @property
    def key_dir(self) -> Path:
        return self.data_dir / KEY_DIR_NAME

    def writable_owners(self) -> frozenset[str]:
        return writable_owners(self.org)

    def can_write(self, owner: str) -> bool:
        return can_write(self.org, owner)

    def default_owner(self) -> str:
        return SECRETARIAT if self.is_secretariat else self.org

    def writer(self) -> Writer:
        return Writer(self.installation_id, self.user_name, self.clock, self.can_write)

    @contextmanager
    def unit_of_work(self) -> Iterator[StampingSession]:
        """A session whose changes are stamped and audited, committed only if the block succeeds."""
        with self.db.session(self.writer()) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[StampingSession]:
        with self.db.session() as session:
            yield session

    def save_settings(self) -> None:
        save_settings(self.data_dir, self.settings)

    def close(self) -> None:
        self.db.close()


def resolve_data_dir(data_dir: Path | str | None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_data_dir()


def resolved_database_url(data_dir: Path, explicit: str | None = None) -> str | None:
    """The shared database the data folder works on (``store.database.resolve_url``: the
    argument, ``JCIM_DESKTOP_DATABASE_URL``, the folder's settings), or None for its SQLite file."""
    configured = load_settings(data_dir).database_url if (data_dir / "settings.json").exists() else None
    return resolve_url(explicit, configured)


def is_initialized(data_dir: Path, url: str | None = None) -> bool:
    """Whether ``data_dir`` holds an installation: its SQLite database, or (on a shared database,
    ``url`` or the folder's) the identity that names its installation there."""
    shared = resolved_database_url(data_dir, url)
    if shared is not None:
        return recorded_identity(data_dir) is not None and keystore.has_secret(data_dir / KEY_DIR_NAME, "ed25519")
    return (data_dir / DB_FILE_NAME).exists()


def stale_temp_locations(folder: Path, settings: Settings) -> list[tuple[Path, str]]:
    """Known folders and the names their writers' temporary files have (removed when old)."""
    return [
        (folder, "settings.json.tmp"),
        (folder, ".settings.json.*.tmp"),
        (folder, f".{DB_FILE_NAME}.*.tmp"),
        (folder / "drafts", ".*.tmp"),
        (settings.resolved_backup_dir(folder), "jcim-*.sqlite3.part"),
        (settings.resolved_backup_dir(folder), "jcim-*.pgdump.part"),
    ]


def open_app(
    data_dir: Path | str | None = None, *, maintenance: bool = True, database_url: str | None = None
) -> AppContext:
    """Open an initialised data folder (checked, migrated; with ``maintenance``, the first open of
    a day also checks the whole file and backs it up: ``Database.daily_maintenance``, which the
    window runs after its first paint instead).

    The database is the folder's SQLite file, or the shared one of ``database_url`` (or
    ``JCIM_DESKTOP_DATABASE_URL``, or the folder's settings), where the folder's identity names
    this installation among the others writing to it.

    Temporary files left by an export, report or backup that was killed are removed first.
    """
    folder = resolve_data_dir(data_dir)
    url = resolved_database_url(folder, database_url)
    if not is_initialized(folder, url):
        raise NotInitialized(folder)
    settings = load_settings(folder)
    tempfiles.remove_stale_temp_files(folder, stale_temp_locations(folder, settings))
    db = open_database(
        folder / DB_FILE_NAME, settings.resolved_backup_dir(folder), keep_backups=settings.keep_backups,
        maintenance=False, url=url,
    )
    try:
        recorded = recorded_identity(folder)
        with db.session() as session:
            if url is not None:
                assert recorded is not None  # is_initialized
                installation = session.get(Installation, recorded["installation_id"])
                if installation is None:
                    # A restored shared database gives every installation a new id
                    # (services.backups): this folder's key finds its own again.
                    installation = _installation_by_key(session, folder)
                if installation is None:
                    raise NotRegistered(folder, url, recorded["installation_id"])
            else:
                installation = session.scalars(select(Installation)).first()
        if installation is None:
            raise NotInitialized(folder)
        record_identity(folder, installation.org, installation.id)
        if not keystore.recorded(folder / KEY_DIR_NAME, "age"):
            ensure_age_identity(folder)
        db.taker = (installation.id, settings.effective_user_name())
        clock = HybridClock(installation.id, installation.hlc_last)
        ctx = AppContext(folder, db, installation.id, installation.org, installation.public_key, settings, clock)
        if maintenance:
            daily_maintenance(ctx)
    except BaseException:
        db.close()
        raise
    return ctx


def _installation_by_key(session: StampingSession, folder: Path) -> Installation | None:
    """The newest installation of the shared database holding this data folder's public key."""
    from jcim_desktop.sync import keys

    try:
        public_key = keys.public_key_b64(keys.load_private_key(folder / KEY_DIR_NAME))
    except (OSError, ValueError, TypeError):
        return None
    return session.scalars(
        select(Installation).where(Installation.public_key == public_key).order_by(Installation.created_at.desc())
    ).first()


def daily_maintenance(ctx: AppContext, *, retry_store: bool = False) -> list[str]:
    """The work whose cost grows with the database, or that may be slow, done once a day: the
    whole file's ``quick_check`` and the daily backup (``Database.daily_maintenance``:
    ``DatabaseDamaged`` if the check fails). Secrets still kept in files move into the OS
    credential store once there is one (``keystore.protect``: the store is looked for at most once
    a day where there was none; ``retry_store``: look for it now). Every command runs this at open;
    the window runs it after its first paint (``open_app(maintenance=False)``), looking for the store
    at every start. Returns the warnings to show (a backup that could not be written)."""
    keystore.protect(ctx.key_dir, retry=retry_store)  # where there is no store: asked once a day
    said = len(ctx.db.warnings)
    if ctx.db.maintenance_due():
        ctx.db.daily_maintenance()
    return ctx.db.warnings[said:]


def ensure_age_identity(folder: Path) -> None:
    """Give an installation made before encrypted packages (SYNC_FORMAT §7) its age identity.

    Never a reason not to open: without one, only encrypted packages cannot be read (their
    refusal says so) and the settings show no recipient.
    """
    from jcim_desktop.sync import age

    try:
        age.ensure_identity(folder / KEY_DIR_NAME)
    except (OSError, ValueError) as exc:
        log.warning("could not create or read the age identity in %s: %s", folder / KEY_DIR_NAME, exc)


def record_identity(folder: Path, org: str, installation_id: str) -> None:
    """Keep ``keys/identity.json`` in step with the database (written only when it differs)."""
    path = folder / KEY_DIR_NAME / IDENTITY_FILE
    wanted = {"org": org, "installation_id": installation_id}
    if recorded_identity(folder) == wanted:
        return
    try:
        write_atomically(path, json.dumps(wanted, ensure_ascii=False))
    except OSError as exc:
        # Only a convenience for a later fresh start: never a reason not to open.
        log.warning("could not record the identity in %s: %s", path, exc)


def recorded_identity(folder: Path) -> dict[str, str] | None:
    """``{"org", "installation_id"}`` from ``keys/identity.json``, or None."""
    try:
        raw = json.loads((folder / KEY_DIR_NAME / IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("org"), str) or raw["org"] not in ORGS:
        return None
    return {"org": raw["org"], "installation_id": str(raw.get("installation_id") or "")}


def init_installation(
    org: str, data_dir: Path | str | None = None, user_name: str = "", *, database_url: str | None = None
) -> AppContext:
    """Create the database, this installation's UUID and its Ed25519 key pair for ``org``.

    On a shared database (``database_url``, ``JCIM_DESKTOP_DATABASE_URL``): the database is made
    (migrated) if it is new, and this installation is added to the ones already writing to it;
    the data folder keeps its keys, its settings (the URL, without password) and its identity.
    """
    if org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。使えるコード: {', '.join(ORGS)}")
    folder = resolve_data_dir(data_dir)
    from jcim_desktop.sync import keys

    url = resolved_database_url(folder, database_url)
    if url is not None:
        if is_initialized(folder, url) or keystore.has_secret(folder / KEY_DIR_NAME, "ed25519"):
            raise AlreadyInitialized(folder)
    elif is_initialized(folder):
        # A damaged database is not an installation to refuse politely: say how to go on.
        check_database_file(folder / DB_FILE_NAME, load_settings(folder).resolved_backup_dir(folder))
        raise AlreadyInitialized(folder)
    if keystore.has_secret(folder / KEY_DIR_NAME, "ed25519"):
        raise AlreadyInitialized(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(folder)
    if user_name:
        settings.user_name = user_name
    if url is not None:
        settings.database_url = without_password(url)
    save_settings(folder, settings)
    private_key = keys.generate_private_key(folder / KEY_DIR_NAME)
    from jcim_desktop.sync import age

    age.ensure_identity(folder / KEY_DIR_NAME)  # SYNC_FORMAT §7: beside the signing key
    return create_installation(folder, org, keys.public_key_b64(private_key), settings, url=url)


def create_installation(
    folder: Path, org: str, public_key: str, settings: Settings, *, url: str | None = None
) -> AppContext:
    """Create a new database in ``folder`` (or on the shared one of ``url``, made if new) holding a
    new installation of ``org`` with the key pair already in ``keys/`` (``public_key``), and open it."""
    installation_id = str(uuid.uuid4())
    db = open_database(
        folder / DB_FILE_NAME, settings.resolved_backup_dir(folder), keep_backups=settings.keep_backups, create=True,
        url=url, taker=(installation_id, settings.effective_user_name()),
    )
    try:
        with db.session() as session:
            session.add(
                Installation(
                    id=installation_id,
                    org=org,
                    public_key=public_key,
                    created_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    hlc_last=None,
                    package_sequence=0,
                )
            )
    finally:
        db.close()
    record_identity(folder, org, installation_id)
    return open_app(folder, database_url=url)
