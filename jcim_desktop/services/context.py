"""The open application: database, identity, settings and the unit of work services write through."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from jcim_desktop.domain.lgcodes import LocalGovernmentRegistry, default_registry
from jcim_desktop.domain.orgs import ORGS, SECRETARIAT, OrgKind, can_write, org_name, writable_owners
from jcim_desktop.domain.versioning import HybridClock
from jcim_desktop.errors import UserError
from jcim_desktop.paths import default_data_dir
from jcim_desktop.services.settings import Settings, load_settings, save_settings
from jcim_desktop.store.database import DB_FILE_NAME, Database, open_database
from jcim_desktop.store.models import Installation
from jcim_desktop.store.stamping import StampingSession, Writer

KEY_DIR_NAME = "keys"


class NotInitialized(UserError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"データフォルダ {data_dir} はまだ初期化されていません。"
            "「jcim-desktop init --org 組織コード」で初期化してください。"
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


def is_initialized(data_dir: Path) -> bool:
    return (data_dir / DB_FILE_NAME).exists()


def open_app(data_dir: Path | str | None = None) -> AppContext:
    """Open an initialised data folder (checked, backed up, migrated)."""
    folder = resolve_data_dir(data_dir)
    if not is_initialized(folder):
        raise NotInitialized(folder)
    settings = load_settings(folder)
    db = open_database(
        folder / DB_FILE_NAME, settings.resolved_backup_dir(folder), keep_backups=settings.keep_backups
    )
    with db.session() as session:
        installation = session.scalars(select(Installation)).first()
    if installation is None:
        db.close()
        raise NotInitialized(folder)
    clock = HybridClock(installation.id, installation.hlc_last)
    return AppContext(folder, db, installation.id, installation.org, installation.public_key, settings, clock)


def init_installation(org: str, data_dir: Path | str | None = None, user_name: str = "") -> AppContext:
    """Create the database, this installation's UUID and its Ed25519 key pair for ``org``."""
    if org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。使えるコード: {', '.join(ORGS)}")
    folder = resolve_data_dir(data_dir)
    from jcim_desktop.sync import keys

    if is_initialized(folder) or (folder / KEY_DIR_NAME / keys.PRIVATE_KEY_FILE).exists():
        raise AlreadyInitialized(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(folder)
    if user_name:
        settings.user_name = user_name
    save_settings(folder, settings)
    private_key = keys.generate_private_key(folder / KEY_DIR_NAME)
    installation_id = str(uuid.uuid4())
    db = open_database(
        folder / DB_FILE_NAME, settings.resolved_backup_dir(folder), keep_backups=settings.keep_backups, create=True
    )
    with db.session() as session:
        session.add(
            Installation(
                id=installation_id,
                org=org,
                public_key=keys.public_key_b64(private_key),
                created_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                hlc_last=None,
                package_sequence=0,
            )
        )
    db.close()
    return open_app(folder)
