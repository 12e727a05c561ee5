"""Backups as use cases: list them, take one now, restore one, or start fresh beside a damaged
database. The window's バックアップ dialog, its damaged-database dialog and the ``backup``
commands call these same functions.

None of them needs the database to open: a damaged database is exactly when they are needed.

On a shared PostgreSQL database (the data folder's ``--database-url``) backups are ``pg_dump``
files in the same folder, listed with the others; restoring one replaces the shared database
for everyone, so it is refused while anyone else is connected, the state it replaces is dumped
first (``…-before-restore.pgdump``), and every installation writing to it continues under a new
id (``_continue_shared``). Nothing here touches files of SQLite on a shared database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jcim_desktop import keystore
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.errors import StorageError, UserError
from jcim_desktop.services.context import (
    KEY_DIR_NAME,
    AppContext,
    create_installation,
    is_initialized,
    open_app,
    record_identity,
    recorded_identity,
    resolve_data_dir,
    resolved_database_url,
)
from jcim_desktop.services.settings import load_settings
from jcim_desktop.store import backup as store
from jcim_desktop.store import shared_backups
from jcim_desktop.store.database import (
    DB_FILE_NAME,
    HEAD_REVISION,
    DatabaseDamaged,
    current_revision,
    display_url,
    known_revisions,
    make_server_engine,
    upgrade,
)

Backup = store.Backup
"""One backup: ``path``, ``taken_at``, ``reason`` (``reason_label`` in Japanese), ``sequence``, ``size``."""

__all__ = [
    "Backup", "DatabaseDamaged", "FreshStart", "RecordedBackup", "colleagues_backups", "RestoreResult", "backup_dir", "kept_name_preview",
    "list_backups", "newest_good_backup", "recorded_org", "restore", "shared_location", "start_fresh", "take_backup",
]


def backup_dir(data_dir: Path | str | None) -> Path:
    folder = resolve_data_dir(data_dir)
    return load_settings(folder).resolved_backup_dir(folder)


def list_backups(data_dir: Path | str | None) -> list[Backup]:
    """The automatic and manual backups, newest first (by time, then sequence within a second)."""
    return store.list_backups(backup_dir(data_dir))


RecordedBackup = shared_backups.RecordedBackup
"""A dump of a shared database recorded in it: ``taken_at``, ``reason``, ``user_name``, ``file``."""


def colleagues_backups(data_dir: Path | str | None, limit: int = 5) -> list[RecordedBackup]:
    """On a shared database, the newest dumps other staff took of it (each in their own backup
    folder, where ``file`` names it), newest first; nothing on SQLite, or when the server cannot
    be reached (this list is a courtesy: the folder's own backups are listed all the same)."""
    folder = resolve_data_dir(data_dir)
    url = resolved_database_url(folder, None)
    if url is None:
        return []
    own = (recorded_identity(folder) or {}).get("installation_id", "")
    engine = make_server_engine(url)
    try:
        found = shared_backups.recorded_backups(engine)
    except UserError:
        return []
    finally:
        engine.dispose()
    return [b for b in found if b.installation_id != own][:limit]


def newest_good_backup(data_dir: Path | str | None) -> Backup | None:
    return store.newest_good_backup(backup_dir(data_dir))


def shared_location(ctx: AppContext) -> str | None:
    """The shared database ``ctx`` works on (its URL without password), or None for SQLite in the
    data folder: a restore then replaces it for everyone (the window says so before it asks)."""
    return ctx.db.location if ctx.db.shared else None


def take_backup(ctx: AppContext, reason: str = "manual") -> Backup:
    """A backup of the open database now (``manual`` unless said otherwise)."""
    path = ctx.db.backup(reason)
    backup = store.parse_backup_name(path)
    assert backup is not None, path
    return backup


@dataclass(frozen=True)
class RestoreResult:
    backup: Backup | None
    """The backup restored (None for a file not named like one)."""
    source: Path
    kept: Path | None
    """Where the database it replaced is now (None if there was none)."""
    damaged: bool
    """Whether the replaced database was damaged."""
    installation_id: str
    """The id this installation continues under (new: see ``_continue_as_new_installation``);
    "" for a data folder that is no installation of the shared database (an administrator's)."""
    shared: str | None = None
    """The shared database restored (URL without password), None for SQLite. Then ``kept`` is the
    dump of what it replaced, in the backup folder."""
    renewed: int = 0
    """On a shared database: how many installations continue under a new id (this one included)."""


def _resolve(folder: Path, file: Path | str) -> Path:
    """A path as given, or a backup's bare name in the backup folder."""
    path = Path(file).expanduser()
    if not path.exists() and path.name == str(file):
        in_backups = backup_dir(folder) / path.name
        if in_backups.exists():
            return in_backups
    return path


def _current_is_damaged(db_path: Path) -> bool:
    if not db_path.exists():
        return True
    try:
        return store.database_problem(db_path) is not None
    except StorageError:
        raise
    except UserError:
        return True


def _check_file(source: Path) -> None:
    if not source.exists():
        raise UserError(f"{source} が見つかりません。「jcim-desktop backup list」でバックアップのファイル名を確かめてください。")
    if not source.is_file():
        raise UserError(f"{source} はファイルではありません。復元するバックアップのファイルを指定してください。")


def _check_restorable(folder: Path, source: Path) -> None:
    _check_file(source)
    if source.suffix == store.SERVER_SUFFIX:
        raise UserError(
            f"{source} は共有データベース（PostgreSQL）のバックアップです。このデータフォルダはこのパソコンの"
            "データベース（SQLite）を使っているため、復元しませんでした。共有データベースに戻すときは、"
            "--database-url でそのデータベースを指定してください。データベースは変更していません。"
        )
    if source.resolve() == (folder / DB_FILE_NAME).resolve():
        raise UserError(f"{source} は今使っているデータベースそのものです。復元するバックアップを指定してください。")
    problem = store.database_problem(source)
    if problem is not None:
        raise UserError(
            f"{source} は正常なバックアップではないため、復元しませんでした: {problem}。"
            "「jcim-desktop backup list」で別のバックアップを選んでください。データベースは変更していません。"
        )
    identity = store.read_identity(source)
    assert identity is not None
    if identity.revision is not None and identity.revision not in known_revisions():
        raise UserError(
            f"{source} はこの版より新しい JCIM Desktop で作られたため、復元できません。アプリを最新の版にしてから復元してください。"
        )
    own_key = _own_public_key(folder)
    if own_key is not None and identity.public_key != own_key:
        raise UserError(
            f"{source} は別の端末（{ORGS[identity.org].name if identity.org in ORGS else identity.org}、"
            f"端末ID {identity.installation_id}）のデータベースで、この端末の鍵と合わないため、復元しませんでした。"
            "このデータフォルダのバックアップを選んでください。"
        )


def _own_public_key(folder: Path) -> str | None:
    from jcim_desktop.sync import keys

    try:
        return keys.public_key_b64(keys.load_private_key(folder / KEY_DIR_NAME))
    except (OSError, ValueError, TypeError):
        return None


def kept_name_preview(data_dir: Path | str | None, *, damaged: bool = False) -> Path:
    """The name the current database would be kept under if a restore or a fresh start ran now."""
    folder = resolve_data_dir(data_dir)
    return store.kept_path(folder / DB_FILE_NAME, "damaged" if damaged else "before-restore")


def restore(data_dir: Path | str | None, file: Path | str, *, kept: Path | None = None) -> RestoreResult:
    """Replace the database of ``data_dir`` with the backup ``file`` (a path, or a backup's name).

    The backup is checked first (``quick_check``, a JCIM database, this installation's key,
    a schema this version knows); the current database (with its ``-wal``/``-shm``) is kept
    beside it as ``jcim.before-restore-<time>.sqlite3`` (``jcim.damaged-<time>…`` if it was
    damaged). The database must not be open: close the ``AppContext`` first. Nothing is
    changed if any check or step fails.

    On a shared database (``.pgdump`` backups; ``kept`` is not used): see ``_restore_shared``.
    """
    folder = resolve_data_dir(data_dir)
    source = _resolve(folder, file)
    url = resolved_database_url(folder)
    if url is not None:
        return _restore_shared(folder, url, source)
    _check_restorable(folder, source)
    db_path = folder / DB_FILE_NAME
    damaged = _current_is_damaged(db_path) if db_path.exists() else False
    kept_at = store.restore_backup(source, db_path, kept=kept, damaged=damaged)
    installation_id = _continue_as_new_installation(folder)
    return RestoreResult(store.parse_backup_name(source), source, kept_at, damaged, installation_id)


def _continue_as_new_installation(folder: Path) -> str:
    """Give the restored database a new installation id (same org, same key).

    The backup's version-vector counters and package sequence are behind what this
    installation may already have sent: edits made now under the old id would reuse counters
    others have seen with other content, and be taken as already known (lost without a
    conflict). Under a new id they are new changes, and real clashes show up as conflicts.
    """
    import uuid

    from sqlalchemy import update

    from jcim_desktop.store.models import Installation

    ctx = open_app(folder)
    try:
        new_id = str(uuid.uuid4())
        with ctx.db.engine.begin() as conn:
            conn.execute(update(Installation).where(Installation.id == ctx.installation_id)
                         .values(id=new_id, package_sequence=0))
    finally:
        ctx.close()
    record_identity(folder, ctx.org, new_id)
    return new_id


def _restore_shared(folder: Path, url: str, source: Path) -> RestoreResult:
    """Restore the shared database of ``url`` from the ``pg_dump`` backup ``source``.

    Checked first, with nothing changed if a check fails: a ``.pgdump`` that pg_restore reads,
    of a JCIM database, of a schema this version knows, and of this shared database
    (``_check_same_database``). Then, what a secretariat
    expects of going back to a backup of the database everyone works on:

    - refused while anyone else is connected (``store.restore_server_database``): everyone
      closes JCIM Desktop first, so no screen shows data that is no longer there;
    - the current state is dumped first (``…-before-restore.pgdump``, never pruned): nothing is lost;
    - the content is replaced in one transaction, upgraded to this version's schema if the
      backup is older;
    - every installation continues under a new id (same org, same key; see
      ``_continue_as_new_installation`` for why), and this data folder's identity follows; an
      installation registered after the backup was taken is registered again if it is this one.
    """
    _check_file(source)
    if source.suffix != store.SERVER_SUFFIX:
        raise UserError(
            f"{source} はこのパソコンのデータベース（SQLite）のバックアップです。このデータフォルダは共有データベース"
            f"（{display_url(url)}）を使っているため、復元しませんでした。共有データベースのバックアップ（.pgdump）を"
            "選んでください。データベースは変更していません。"
        )
    dump = store.read_server_dump(source)
    if not dump.is_jcim:
        raise UserError(
            f"{source} は JCIM Desktop の共有データベースのバックアップではないため、復元しませんでした。"
            "「jcim-desktop backup list」で別のバックアップを選んでください。データベースは変更していません。"
        )
    if dump.revision not in known_revisions():
        raise UserError(
            f"{source} はこの版より新しい JCIM Desktop で作られたため、復元できません。アプリを最新の版にしてから復元してください。"
        )
    _check_same_database(source, url, dump)
    settings = load_settings(folder)
    kept = store.restore_server_database(url, dump, settings.resolved_backup_dir(folder), settings.keep_backups)
    try:
        installation_id, renewed = _continue_shared(folder, url)
    except UserError as exc:
        before = f"（復元する前の状態は {kept} にあります）" if kept is not None else ""
        raise UserError(
            f"バックアップ {source.name} の内容は共有データベースに戻しましたが、そのあとの仕上げ（スキーマの更新と"
            f"端末IDの付け替え）ができませんでした: {exc.message}\n原因を取り除いてから、同じバックアップからもう一度"
            f"復元してください{before}。"
        ) from exc
    return RestoreResult(store.parse_backup_name(source), source, kept, False, installation_id,
                         shared=display_url(url), renewed=renewed)


def _check_same_database(source: Path, url: str, dump: store.ServerDump) -> None:
    """Refuse a dump of another shared database: the two share an installation's key, or (where
    one has no installation yet) the dump was taken of a database of this name."""
    from sqlalchemy.engine import make_url

    current = _installation_keys(url)
    ours = {i.public_key for i in dump.installations}
    if current and ours:
        if current & ours:
            return
        why = "登録されている端末の鍵が一つも合いません"
    elif current and dump.database != make_url(url).database:
        why = f"データベース「{dump.database}」のもので、端末が一つも登録されていない時点のものです"
    else:
        return
    raise UserError(
        f"{source} は別の共有データベースのバックアップです（{why}）。"
        f"共有データベース（{display_url(url)}）のバックアップを選んでください。データベースは変更していません。"
    )


def _installation_keys(url: str) -> set[str]:
    """The public keys of the installations in the shared database (none if it has no JCIM schema)."""
    from sqlalchemy import select

    from jcim_desktop.store.models import Installation

    engine = make_server_engine(url)
    try:
        if current_revision(engine) is None:
            return set()
        with engine.connect() as conn:
            return set(conn.scalars(select(Installation.public_key)))
    finally:
        engine.dispose()


def _continue_shared(folder: Path, url: str) -> tuple[str, int]:
    """After a shared database was restored: bring it to this version's schema, give every
    installation in it a new id (package sequence 0), and point this data folder at its own
    (found by its key; registered again if the backup is older than it). Returns this folder's
    new installation id ("" if it is none) and how many installations were renewed."""
    import datetime as dt
    import uuid

    from sqlalchemy import insert, select, update

    from jcim_desktop.store.models import Installation

    engine = make_server_engine(url)
    try:
        if current_revision(engine) != HEAD_REVISION:
            upgrade(engine)
        own = recorded_identity(folder)
        own_key = _own_public_key(folder) if own is not None else None
        this_id, created = "", ""
        with engine.begin() as conn:
            rows = conn.execute(select(Installation.id, Installation.public_key, Installation.created_at)).all()
            for row in rows:
                new_id = str(uuid.uuid4())
                conn.execute(update(Installation).where(Installation.id == row.id)
                             .values(id=new_id, package_sequence=0))
                if row.public_key == own_key and (not this_id or str(row.created_at) > created):
                    this_id, created = new_id, str(row.created_at)
            if own is not None and own_key is not None and not this_id:
                this_id = str(uuid.uuid4())
                conn.execute(insert(Installation).values(
                    id=this_id, org=own["org"], public_key=own_key, hlc_last=None, package_sequence=0,
                    created_at=dt.datetime.now().astimezone().isoformat(timespec="seconds")))
    finally:
        engine.dispose()
    if own is not None and this_id:
        record_identity(folder, own["org"], this_id)
    return this_id, len(rows)


def restore_and_reopen(ctx: AppContext, file: Path | str, *, kept: Path | None = None
                       ) -> tuple[AppContext, RestoreResult]:
    """Close ``ctx``, restore ``file`` and open the restored database (the window goes on with
    the new context). If the restore fails the database is unchanged and ``ctx`` is usable
    again (its database reopened); the error is raised after that."""
    folder = ctx.data_dir
    ctx.close()
    try:
        result = restore(folder, file, kept=kept)
    except BaseException:
        ctx.db = open_app(folder).db
        raise
    return open_app(folder), result


def recorded_org(data_dir: Path | str | None) -> str | None:
    """The org this data folder was set up for, if anything still says: ``keys/identity.json``,
    else the newest backup that can be read."""
    folder = resolve_data_dir(data_dir)
    identity = recorded_identity(folder)
    if identity is not None:
        return identity["org"]
    for backup in list_backups(folder):
        try:
            found = store.read_identity(backup.path)
        except UserError:
            continue
        if found is not None and found.org in ORGS:
            return found.org
    return None


@dataclass
class FreshStart:
    ctx: AppContext
    kept: Path | None
    """Where the damaged database was put aside."""
    new_key: bool
    """True when no key pair was left and a new one had to be made (others must trust it again)."""


def start_fresh(data_dir: Path | str | None, org: str | None = None, user_name: str = "") -> FreshStart:
    """Put the damaged database aside (``jcim.damaged-<time>.sqlite3``) and start an empty one.

    The key pair in ``keys/`` is kept, so other installations' trust in it still holds; the
    installation gets a new id (its old counters live on in others' databases). ``org``
    defaults to the one recorded for the folder. Refuses a database that is not damaged.
    """
    from jcim_desktop.sync import keys

    folder = resolve_data_dir(data_dir)
    url = resolved_database_url(folder)
    if url is not None:
        raise UserError(
            f"このデータフォルダは共有データベース（{display_url(url)}）を使っています。新しく始めるのは、"
            "このパソコンのデータベース（SQLite）が壊れたときのためのもので、共有データベースには使えません。"
            "共有データベースは「jcim-desktop db check」で確かめ、必要なら管理者が「jcim-desktop backup restore」で"
            "バックアップから戻してください。"
        )
    db_path = folder / DB_FILE_NAME
    if is_initialized(folder) and not _current_is_damaged(db_path):
        raise UserError(
            f"データベース（{db_path}）は壊れていないため、新しく始めることはしません。"
            "別の組織として始めるには、別のデータフォルダを --data-dir で指定してください。"
        )
    known = recorded_org(folder)
    if org is not None and org not in ORGS:
        raise UserError(f"組織コード「{org}」はありません。使えるコード: {', '.join(ORGS)}")
    if org is not None and known is not None and org != known:
        raise UserError(
            f"このデータフォルダは{ORGS[known].name}（{known}）の端末です。鍵を引き継ぐため、別の組織として新しく始めることはできません。"
            f"--org を付けずに実行するか、--org {known} を指定してください。"
        )
    chosen = org or known
    if chosen is None:
        raise UserError(
            "このデータフォルダの組織が記録されていません。組織コードを指定してください"
            "（例: jcim-desktop backup fresh --org chugoku）。"
        )
    settings = load_settings(folder)
    if user_name:
        settings.user_name = user_name
    key_dir = folder / KEY_DIR_NAME
    new_key = False
    try:
        public_key = keys.public_key_b64(keys.load_private_key(key_dir))
    except FileNotFoundError:
        public_key = keys.public_key_b64(keys.generate_private_key(key_dir))
        new_key = True
    except (OSError, ValueError, TypeError) as exc:
        raise UserError(
            f"この端末の鍵（{keystore.where(key_dir)}）を読めません（{exc}）。"
            "鍵の保存場所を確かめるか、システム担当者に連絡してください。データベースは変更していません。"
        ) from exc
    kept = None
    if db_path.exists() or any(db_path.with_name(db_path.name + s).exists() for s in store.SIDE_FILES):
        kept = store.move_aside(db_path, store.kept_path(db_path, "damaged"))
    if user_name:
        from jcim_desktop.services.settings import save_settings

        save_settings(folder, settings)
    ctx = create_installation(folder, chosen, public_key, settings)
    return FreshStart(ctx, kept, new_key)
