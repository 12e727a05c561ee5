"""Backups of the local database with SQLite's online backup API; the newest N are kept."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KEEP = 10
_NAME = re.compile(r"^jcim-(\d{8})-(\d{6})(?:-(\d+))?-([a-z0-9_-]+)\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str

    @property
    def label(self) -> str:
        reasons = {"daily": "毎日の自動", "import": "取り込み前", "upgrade": "更新前", "manual": "手動"}
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}（{reasons.get(self.reason, self.reason)}）"


def list_backups(backup_dir: Path) -> list[Backup]:
    """Backups in ``backup_dir``, newest first."""
    found: list[Backup] = []
    if not backup_dir.is_dir():
        return found
    for path in backup_dir.iterdir():
        m = _NAME.match(path.name)
        if m:
            taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
            found.append(Backup(path, taken, m.group(4)))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def backup_database(db_path: Path, backup_dir: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the database into ``backup_dir`` (consistent even while it is in use) and prune old ones."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now()
    stem = f"jcim-{now:%Y%m%d-%H%M%S}"
    target = backup_dir / f"{stem}-{reason}.sqlite3"
    n = 1
    while target.exists():
        target = backup_dir / f"{stem}-{n}-{reason}.sqlite3"
        n += 1
    partial = target.with_name(target.name + ".part")
    source = sqlite3.connect(str(db_path))
    try:
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    partial.replace(target)
    prune_backups(backup_dir, keep)
    return target


def prune_backups(backup_dir: Path, keep: int = DEFAULT_KEEP) -> None:
    for old in list_backups(backup_dir)[keep:]:
        old.path.unlink(missing_ok=True)


def has_backup_on(backup_dir: Path, day: dt.date) -> bool:
    return any(b.taken_at.date() == day for b in list_backups(backup_dir))


def quick_check(db_path: Path) -> str | None:
    """``None`` if ``PRAGMA quick_check`` passes, else what it (or opening the file) reported."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def newest_good_backup(backup_dir: Path) -> Backup | None:
    for backup in list_backups(backup_dir):
        if quick_check(backup.path) is None:
            return backup
    return None


def restore_backup(backup: Path, db_path: Path) -> None:
    """Replace the database with ``backup``; the damaged file is kept beside it for inspection."""
    if db_path.exists():
        damaged = db_path.with_name(f"{db_path.stem}.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}{db_path.suffix}")
        db_path.replace(damaged)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(side.with_name(side.name + ".damaged"))
    source = sqlite3.connect(str(backup))
    try:
        dest = sqlite3.connect(str(db_path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
