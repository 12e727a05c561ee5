"""Backups of the database: SQLite's with its online backup API, a shared PostgreSQL database's
with ``pg_dump``; the newest N are kept.

A backup is ``jcim-YYYYMMDD-HHMMSS[-N]-reason.sqlite3`` (``.pgdump`` for a shared database):
several taken in one second are numbered 1, 2, … after the first (un-numbered, sequence 0), so
time then sequence orders them. It is written to ``<name>.part`` and renamed when complete.
Restoring SQLite keeps the database it replaces beside it (renamed, with its ``-wal``/``-shm``),
never deletes it; restoring a shared database first dumps it (``…-before-restore.pgdump``, never
pruned) and then replaces its content in one transaction (``restore_server_database``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import re
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jcim_desktop.errors import DatabaseLocked, StorageError, UserError, user_error_from_os
from jcim_desktop.files import fsync_directory
from jcim_desktop.store.faults import is_damage, sqlite_kind, user_error_from_sqlite
from jcim_desktop.store.tempfiles import tracked_temp

DEFAULT_KEEP = 10
_NAME = re.compile(r"^jcim-(\d{8})-(\d{6})(?:-(\d+))?-([a-z0-9_-]+)\.(sqlite3|pgdump)$")
SERVER_SUFFIX = ".pgdump"
"""A shared PostgreSQL database's backups: ``pg_dump --format=custom`` files, named as SQLite's."""
SIDE_FILES = ("-wal", "-shm", "-journal")
REASON_LABELS = {"daily": "毎日の自動", "import": "取り込み前", "upgrade": "更新前", "manual": "手動",
                 "before-restore": "復元前"}
KEPT_REASONS = frozenset({"before-restore"})
"""Backups never pruned: a shared database's state just before a restore replaced it (what SQLite
keeps as ``jcim.before-restore-….sqlite3`` beside the database, also never deleted)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    sequence: int = 0
    """0 for the first backup of its second, then 1, 2, … (the ``-N-`` of the name)."""

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}（{self.reason_label}）"

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def parse_backup_name(path: Path) -> Backup | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return Backup(path, taken, m.group(4), int(m.group(3) or 0))


def list_backups(backup_dir: Path) -> list[Backup]:
    """Backups in ``backup_dir``, newest first: by time, then by sequence within one second."""
    found: list[Backup] = []
    try:
        paths = list(backup_dir.iterdir()) if backup_dir.is_dir() else []
    except OSError:
        return found
    for path in paths:
        backup = parse_backup_name(path)
        if backup is not None:
            found.append(backup)
    found.sort(key=lambda b: (b.taken_at, b.sequence, b.path.name), reverse=True)
    return found


def _claim_name(backup_dir: Path, now: dt.datetime, reason: str, suffix: str = ".sqlite3") -> tuple[Path, Path]:
    """The next free name of this second (sequence after every backup of it, whatever its
    reason) and its ``.part`` file, created exclusively so two writers never share one."""
    stem = f"jcim-{now:%Y%m%d-%H%M%S}"
    used = [-1]
    for path in backup_dir.glob(f"{stem}-*"):
        backup = parse_backup_name(path.with_name(path.name.removesuffix(".part")))
        if backup is not None:
            used.append(backup.sequence)
    n = max(used) + 1
    while True:
        name = f"{stem}-{reason}{suffix}" if n == 0 else f"{stem}-{n}-{reason}{suffix}"
        target = backup_dir / name
        partial = target.with_name(target.name + ".part")
        if not target.exists():
            try:
                with open(partial, "x"):
                    pass
                return target, partial
            except FileExistsError:
                pass
        n += 1


def _copy_database(source_path: Path, dest_path: Path) -> None:
    """``source_path`` → ``dest_path`` with the online backup API (consistent while in use)."""
    source = sqlite3.connect(str(source_path))
    try:
        dest = sqlite3.connect(str(dest_path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _storage_error(exc: BaseException, action: str, where: Path, db_path: Path) -> UserError | None:
    """An OSError's or SQLite's error about the place we write, as a user error (or None)."""
    if isinstance(exc, OSError):
        return user_error_from_os(exc, action, where)
    if isinstance(exc, sqlite3.Error):
        kind = sqlite_kind(exc)
        if kind == "full":
            return user_error_from_os(OSError(errno.ENOSPC, "No space left on device"), action, where)
        if kind == "readonly":
            return user_error_from_os(OSError(errno.EROFS, "Read-only file system"), action, where)
        if kind == "locked":
            return user_error_from_sqlite(exc, db_path, action=action, unchanged="")
    return None


def backup_database(db_path: Path, backup_dir: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the database into ``backup_dir`` (consistent even while it is in use) and prune old ones.

    A full disk or a folder that cannot be written raises a user error; no partial backup is
    left behind (the ``.part`` file is recorded while written, so even a kill leaves none).
    """
    action = "バックアップの作成"
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target, partial = _claim_name(backup_dir, dt.datetime.now(), reason)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    with tracked_temp(db_path.parent, partial):
        try:
            _copy_database(db_path, partial)
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            problem = _storage_error(exc, action, backup_dir, db_path)
            if problem is None:
                raise
            raise problem from exc
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
    prune_backups(backup_dir, keep)
    return target


# -- A shared PostgreSQL database: pg_dump and pg_restore ------------------------------------


class ServerToolError(StorageError):
    """PostgreSQL's ``pg_dump`` / ``pg_restore`` is missing or failed. A storage error: the daily
    backup then becomes a warning (as a full disk does) and is tried again next time, while a
    backup that must come first (before an upgrade, before a restore) stops what needed it."""


class SharedDatabaseInUse(UserError):
    """Others are connected to the shared database that a restore would replace under them."""


def _default_tool_folders() -> tuple[str, ...]:
    if sys.platform == "win32":
        roots = dict.fromkeys(os.environ.get(name) for name in ("ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"))
        return tuple(str(Path(root) / "PostgreSQL" / "*" / "bin") for root in roots if root)
    if sys.platform == "darwin":
        return ("/Applications/Postgres.app/Contents/Versions/*/bin", "/opt/homebrew/opt/libpq/bin",
                "/usr/local/opt/libpq/bin", "/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin")
    return ("/usr/lib/postgresql/*/bin",)


TOOL_FOLDERS: tuple[str, ...] = _default_tool_folders()
"""Where ``pg_dump`` / ``pg_restore`` are looked for when they are not on the PATH (glob patterns;
of several versions the newest): Debian's packages, the Windows installer (which does not add
its ``bin`` to the PATH), Postgres.app and Homebrew's keg-only ``libpq``. Tests empty it."""

_TOOL_PURPOSE = {
    "pg_dump": "共有データベースのバックアップを作れません",
    "pg_restore": "共有データベースのバックアップから復元できません",
}


def _version_key(folder: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", folder))


def server_tool(name: str) -> str:
    """The path of PostgreSQL's ``pg_dump`` / ``pg_restore``: on the PATH, else in one of
    ``TOOL_FOLDERS`` (newest version first); ``ServerToolError`` saying how to get it if none."""
    import shutil

    found = shutil.which(name)
    if found:
        return found
    executable = f"{name}.exe" if sys.platform == "win32" else name
    for pattern in TOOL_FOLDERS:
        for folder in sorted(glob.glob(pattern), key=_version_key, reverse=True):
            candidate = Path(folder) / executable
            if candidate.is_file():
                return str(candidate)
    raise ServerToolError(
        f"PostgreSQL の {name} が見つからないため、{_TOOL_PURPOSE.get(name, name + ' を使えません')}。"
        "PostgreSQL のクライアントツールを入れ、"
        f"{name} がコマンドとして使えるようにしてください（Debian/Ubuntu: sudo apt-get install postgresql-client、"
        "Windows: PostgreSQL のインストーラーの Command Line Tools（bin フォルダを PATH に追加）、macOS: brew install libpq）。"
    )


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """``url`` (SQLAlchemy's ``postgresql+psycopg://``) as libpq's tools take it, without the
    password, and the environment that passes the password (``PGPASSWORD``) if the URL has one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


TOOL_TIMEOUT_S = 3600


def _run_tool(argv: Sequence[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool (no console window on Windows); a timeout is a ``ServerToolError``."""
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    try:
        return subprocess.run(list(argv), env={**os.environ, **(env or {})}, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TOOL_TIMEOUT_S, creationflags=flags)
    except subprocess.TimeoutExpired as exc:
        raise ServerToolError(
            f"{Path(argv[0]).stem} が {TOOL_TIMEOUT_S // 60} 分たっても終わらなかったため、止めました。"
            "サーバーの状態を確かめてから、もう一度行ってください。"
        ) from exc


def _last_words(done: subprocess.CompletedProcess[str]) -> str:
    """What a failed tool said last (its error), or its exit status."""
    lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
    return lines[-1] if lines else f"終了コード {done.returncode}"


def dump_server_database(url: str, backup_dir: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """A backup of a shared PostgreSQL database with ``pg_dump --format=custom`` into ``backup_dir``
    (named and pruned as SQLite's, ``.pgdump``; consistent while others write: pg_dump reads one
    snapshot). Written to ``.part`` and renamed; a failure is a ``ServerToolError`` with pg_dump's words."""
    action = "バックアップの作成"
    tool = server_tool("pg_dump")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        target, partial = _claim_name(backup_dir, dt.datetime.now(), reason, SERVER_SUFFIX)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    plain, env = libpq_url(url)
    try:
        done = _run_tool([tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
                          f"--dbname={plain}"], env)
        if done.returncode != 0:
            raise ServerToolError(f"共有データベースのバックアップを作れませんでした（pg_dump: {_last_words(done)}）。")
        partial.replace(target)
    except OSError as exc:
        raise user_error_from_os(exc, action, backup_dir) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    prune_backups(backup_dir, keep)
    return target


@dataclass(frozen=True)
class ServerDump:
    """What a ``.pgdump`` holds, read without restoring it: its tables, the schema revision and
    the installations (``revision`` None and no installations: not a JCIM database)."""

    path: Path
    tables: frozenset[str]
    revision: str | None
    installations: tuple[DatabaseIdentity, ...]
    database: str | None = None
    """The name of the database it was dumped from."""

    @property
    def is_jcim(self) -> bool:
        return {"alembic_version", "installation"} <= self.tables and self.revision is not None


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")
_COPY_START = re.compile(r"^COPY (?:\S+\.)?(\w+) \(([^)]*)\) FROM stdin;$")
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _copy_field(text: str) -> str | None:
    """One field of COPY's text format (``\\N`` is NULL; backslash escapes)."""
    if text == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), text)


def _copy_rows(script: str) -> dict[str, list[dict[str, str | None]]]:
    """The rows of every ``COPY … FROM stdin`` block of a SQL script (what ``pg_restore -f -`` writes)."""
    tables: dict[str, list[dict[str, str | None]]] = {}
    lines = iter(script.splitlines())
    for line in lines:
        start = _COPY_START.match(line)
        if start is None:
            continue
        columns = [c.strip().strip('"') for c in start.group(2).split(",")]
        rows = tables.setdefault(start.group(1), [])
        for row in lines:
            if row == "\\.":
                break
            rows.append(dict(zip(columns, (_copy_field(f) for f in row.split("\t")), strict=False)))
    return tables


def read_server_dump(path: Path) -> ServerDump:
    """Read a ``.pgdump``'s table of contents and its installations and schema revision with
    ``pg_restore`` (nothing is restored). A file pg_restore cannot read is a ``UserError``."""
    tool = server_tool("pg_restore")
    listing = _run_tool([tool, "--list", str(path)])
    if listing.returncode != 0:
        raise UserError(
            f"{path} は共有データベース（PostgreSQL）の正常なバックアップではないため、復元しませんでした"
            f"（pg_restore: {_last_words(listing)}）。「jcim-desktop backup list」で別のバックアップを選んでください。"
            "データベースは変更していません。"
        )
    tables = frozenset(m.group(2) for line in listing.stdout.splitlines() if (m := _TOC_TABLE.match(line)))
    named = re.search(r"^;\s+dbname: (.+)$", listing.stdout, re.MULTILINE)
    database = named.group(1).strip() if named else None
    if not {"alembic_version", "installation"} <= tables:
        return ServerDump(path, tables, None, (), database)
    data = _run_tool([tool, "--data-only", "--table=alembic_version", "--table=installation", "--file=-", str(path)])
    if data.returncode != 0:
        raise UserError(
            f"{path} の中身を読めないため、復元しませんでした（pg_restore: {_last_words(data)}）。"
            "別のバックアップを選んでください。データベースは変更していません。"
        )
    rows = _copy_rows(data.stdout)
    versions = [r.get("version_num") for r in rows.get("alembic_version", [])]
    revision = versions[0] if versions else None
    installations = tuple(
        DatabaseIdentity(str(r.get("id")), str(r.get("org")), str(r.get("public_key")), revision)
        for r in rows.get("installation", [])
    )
    return ServerDump(path, tables, revision, installations, database)


@dataclass(frozen=True)
class Connection:
    """Another session on the shared database, as far as the server shows it to us."""

    user: str
    client: str
    application: str

    @property
    def label(self) -> str:
        where = self.client or "サーバー上"
        return f"{self.user or '不明な利用者'}（{where}{'、' + self.application if self.application else ''}）"


BOOTSTRAP_SUPERUSER_OID = 10
"""The role ``initdb`` made; autovacuum's workers run as it."""


def other_connections(url: str) -> list[Connection]:
    """The other client sessions on the database of ``url`` (this one's excluded).

    Of another role's sessions PostgreSQL shows an unprivileged role neither the kind of process
    nor its address: those count, except the bootstrap superuser's, which cannot be told from
    autovacuum's workers (staff connect as an application role, not as ``postgres``).
    """
    from sqlalchemy import text

    from jcim_desktop.store.database import make_server_engine

    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT coalesce(usename, ''), coalesce(host(client_addr), ''), coalesce(application_name, '') "
                "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND (backend_type = 'client backend' OR (backend_type IS NULL AND usesysid <> :bootstrap))"
            ), {"bootstrap": BOOTSTRAP_SUPERUSER_OID}).all()
    finally:
        engine.dispose()
    return [Connection(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def refuse_if_in_use(url: str) -> None:
    """``SharedDatabaseInUse`` if anyone else is connected to the shared database."""
    from jcim_desktop.store.database import display_url

    others = other_connections(url)
    if not others:
        return
    shown = "、".join(c.label for c in others[:5]) + (f" ほか {len(others) - 5} 件" if len(others) > 5 else "")
    raise SharedDatabaseInUse(
        f"共有データベース（{display_url(url)}）には、ほかに {len(others)} 件の接続があります: {shown}。"
        "復元すると使っている人のデータがバックアップの時点に入れ替わり、入力中の内容が失われるおそれがあるため、"
        "復元しませんでした。この共有データベースを使う全員に JCIM Desktop を閉じてもらい"
        "（ほかのプログラムの接続も切ってから）、もう一度行ってください。共有データベースは変更していません。"
    )


def _tables(url: str) -> set[str]:
    from sqlalchemy import inspect

    from jcim_desktop.store.database import make_server_engine

    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _drop_tables_except(url: str, keep: frozenset[str]) -> list[str]:
    """Drop the tables the restored dump did not have (made by a newer migration than the
    dump's: left in place they would stop the upgrade that follows). Returns their names."""
    from sqlalchemy import inspect, text

    from jcim_desktop.store.database import make_server_engine

    engine = make_server_engine(url)
    try:
        with engine.begin() as conn:
            extra = sorted(set(inspect(conn).get_table_names()) - keep)
            quote = conn.dialect.identifier_preparer.quote
            for name in extra:
                conn.execute(text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))
    finally:
        engine.dispose()
    return extra


def restore_server_database(url: str, dump: ServerDump, backup_dir: Path, keep: int = DEFAULT_KEEP) -> Path | None:
    """Replace the content of the shared database of ``url`` with ``dump`` (checked by the caller:
    ``read_server_dump``). Returns the ``before-restore`` dump of what it replaced (None if the
    database had no tables at all).

    Refused (``SharedDatabaseInUse``, nothing changed) while anyone else is connected: their
    screens would show data that is no longer there and their next save would be lost. The
    current content is dumped first (never pruned); then ``pg_restore --clean --if-exists
    --no-owner --single-transaction`` replaces it in one transaction, so a failure leaves it as it
    was. Tables of a newer schema than the dump's are dropped after it (the before-restore dump
    has them). Someone connecting during the restore waits for it and then sees the restored data.
    """
    tool = server_tool("pg_restore")
    refuse_if_in_use(url)
    kept = dump_server_database(url, backup_dir, "before-restore", keep) if _tables(url) else None
    refuse_if_in_use(url)  # again: the dump may have taken a while
    plain, env = libpq_url(url)
    done = _run_tool([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                      "--exit-on-error", f"--dbname={plain}", str(dump.path)], env)
    if done.returncode != 0:
        before = f"復元する前の状態は {kept} にもバックアップしてあります。" if kept is not None else ""
        raise ServerToolError(
            f"バックアップ {dump.path.name} から復元できませんでした（pg_restore: {_last_words(done)}）。"
            f"共有データベースは変更していません（復元は一つのトランザクションで行うため）。{before}"
            "テーブルの所有者（db migrate を実行した利用者）の URL で行ってください。"
        )
    _drop_tables_except(url, dump.tables)
    return kept


def prune_backups(backup_dir: Path, keep: int = DEFAULT_KEEP) -> None:
    """Delete all but the newest ``keep`` backups (those of ``KEPT_REASONS`` stay and do not count)."""
    prunable = [b for b in list_backups(backup_dir) if b.reason not in KEPT_REASONS]
    for old in prunable[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def has_backup_on(backup_dir: Path, day: dt.date) -> bool:
    return any(b.taken_at.date() == day for b in list_backups(backup_dir))


def quick_check(db_path: Path) -> str | None:
    """``None`` if ``PRAGMA quick_check`` passes, else what it (or opening the file) reported.

    A file that cannot be read because of where it is (a locked file, a folder that may not be
    written, a full disk) is not a damaged file: that raises the matching user error instead.
    """
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            problem = user_error_from_sqlite(exc, db_path, action="データベースを開くこと", unchanged="")
            if problem is not None:
                raise problem from exc
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


SQLITE_HEADER = b"SQLite format 3\x00"


def database_problem(db_path: Path, *, thorough: bool = True) -> str | None:
    """What is wrong with the file as a JCIM database (None: nothing found), in Japanese.

    Beyond ``quick_check``: an empty (0-byte) file, or one with no tables at all, opens as an
    empty SQLite database but holds none of ours. Not ``thorough``: the checks whose cost does
    not grow with the database (the header, our installation row), for every start; the daily
    maintenance runs ``quick_check`` (``Database.daily_maintenance``).
    """
    try:
        size = db_path.stat().st_size
        with db_path.open("rb") as fp:
            header = fp.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise user_error_from_os(exc, "データベースを開くこと", db_path) from exc
    if size == 0:
        return "ファイルが空です（0 バイト）"
    if not thorough and header == SQLITE_HEADER and read_identity(db_path) is not None:
        return None
    problem = quick_check(db_path)
    if problem is not None:
        if "not a database" in problem:
            return f"SQLite のデータベースではありません（{problem}）"
        return f"中身の一部が読めません（{problem}）"
    info = read_identity(db_path)
    if info is None:
        return "JCIM Desktop のデータが入っていません（この端末の情報がありません）"
    return None


@dataclass(frozen=True)
class DatabaseIdentity:
    """Whose database a file is: its installation, org, public key and schema revision."""

    installation_id: str
    org: str
    public_key: str
    revision: str | None


def read_identity(db_path: Path) -> DatabaseIdentity | None:
    """The installation recorded in a database file (read-only), or None if it has none."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "installation" not in tables:
                return None
            row = conn.execute("SELECT id, org, public_key FROM installation LIMIT 1").fetchone()
            revision = None
            if "alembic_version" in tables:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(found[0]) if found else None
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    if row is None:
        return None
    return DatabaseIdentity(str(row[0]), str(row[1]), str(row[2]), revision)


def newest_good_backup(backup_dir: Path) -> Backup | None:
    for backup in list_backups(backup_dir):
        try:
            if database_problem(backup.path) is None:
                return backup
        except UserError:
            continue  # unreadable where it is: not one to offer
    return None


def kept_path(db_path: Path, label: str, now: dt.datetime | None = None) -> Path:
    """Where the database replaced by a restore is kept: ``jcim.<label>-YYYYMMDD-HHMMSS.sqlite3``."""
    stamp = f"{now or dt.datetime.now():%Y%m%d-%H%M%S}"
    candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}{db_path.suffix}")
    n = 1
    while candidate.exists():
        candidate = db_path.with_name(f"{db_path.stem}.{label}-{stamp}-{n}{db_path.suffix}")
        n += 1
    return candidate


def _settle(db_path: Path) -> None:
    """Make sure nobody else has the database open, and fold its WAL into the file, so that
    moving the file moves all of it. Raises ``DatabaseLocked`` if another program has it open."""
    conn = sqlite3.connect(str(db_path), timeout=0.2, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        # In WAL mode every open connection holds a shared lock: an exclusive transaction
        # succeeds only when this is the only one.
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error as exc:
        problem = user_error_from_sqlite(exc, db_path, action="復元", unchanged="")
        if isinstance(problem, DatabaseLocked):
            raise DatabaseLocked(
                f"復元できませんでした: データベース（{db_path}）をほかのプログラムが開いています。"
                "JCIM Desktop のほかのウィンドウや、このデータフォルダを使うコマンドをすべて閉じてから、もう一度行ってください。"
                "データベースは変更していません。",
                db_path,
            ) from exc
        if problem is not None:
            raise problem from exc
        raise
    finally:
        conn.close()


def move_aside(db_path: Path, kept: Path) -> Path:
    """Rename the database and its ``-wal``/``-shm`` to ``kept`` (and ``kept-wal`` …), so the
    kept file opens with everything that was in it."""
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", *SIDE_FILES):
            source = db_path.with_name(db_path.name + suffix)
            if source.exists():
                dest = kept.with_name(kept.name + suffix)
                os.replace(source, dest)
                moved.append((source, dest))
    except OSError as exc:
        for source, dest in reversed(moved):
            with contextlib.suppress(OSError):
                os.replace(dest, source)
        raise user_error_from_os(exc, "データベースの移動", db_path) from exc
    fsync_directory(db_path.parent)
    return kept


def restore_backup(backup: Path, db_path: Path, *, kept: Path | None = None, damaged: bool = False) -> Path | None:
    """Replace the database with a copy of ``backup``; the database it replaces is kept beside
    it as ``kept`` (default: ``jcim.before-restore-<time>.sqlite3``, or ``jcim.damaged-<time>…``
    with ``damaged``). Returns where it was kept (None if there was no database).

    The copy is made and checked in a temporary file first: if anything fails (a full disk, a
    bad backup, another program holding the database) the database is left as it was.
    """
    problem = database_problem(backup)
    if problem is not None:
        raise UserError(f"{backup} は正常なバックアップではありません: {problem}。別のバックアップを選んでください。")
    folder = db_path.parent
    temp = folder / f".{db_path.name}.{secrets.token_hex(6)}.tmp"
    with tracked_temp(folder, temp):
        try:
            try:
                _copy_database(backup, temp)
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
            except (OSError, sqlite3.Error) as exc:
                error = _storage_error(exc, "復元", folder, db_path)
                if error is None:
                    raise
                raise error from exc
            copied = quick_check(temp)
            if copied is not None:
                raise UserError(f"バックアップ {backup.name} を写したものが確認できませんでした（{copied}）。データベースは変更していません。")
            if db_path.exists() and not damaged:
                _settle(db_path)
            kept_at: Path | None = None
            if db_path.exists() or any(db_path.with_name(db_path.name + s).exists() for s in SIDE_FILES):
                kept_at = move_aside(db_path, kept or kept_path(db_path, "damaged" if damaged else "before-restore"))
            try:
                os.replace(temp, db_path)
            except OSError as exc:
                if kept_at is not None:
                    with contextlib.suppress(UserError):
                        move_aside(kept_at, db_path)
                raise user_error_from_os(exc, "復元", db_path) from exc
            fsync_directory(folder)
            return kept_at
        finally:
            for suffix in ("", *SIDE_FILES):
                with contextlib.suppress(OSError):
                    temp.with_name(temp.name + suffix).unlink()
