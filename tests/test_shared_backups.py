"""Backups of a shared PostgreSQL database through the real command line: ``pg_dump`` files listed
like SQLite's, restored into the same database (refused while someone else is connected, the state
it replaces dumped first), every installation continuing under a new id; and what happens when
``pg_dump`` / ``pg_restore`` are missing. The tests that need a server run with --postgres."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from helpers import NEED, cli_json, need_titles, run_cli
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app, recorded_identity
from jcim_desktop.store import backup as store_backup
from jcim_desktop.store.database import HEAD_REVISION, alembic_config
from jcim_desktop.store.models import Installation


def _installations(url: str) -> dict[str, str]:
    """id → public key of every installation in the shared database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row.id: row.public_key for row in conn.execute(select(Installation.id, Installation.public_key))}
    finally:
        engine.dispose()


def _listed(capsys, folder: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return cli_json(capsys, "--data-dir", str(folder), "backup", "list", "--format", "json")  # type: ignore[no-any-return]


def _made(err: str) -> Path:
    return Path(err.split("バックアップを作りました: ")[1].split("（")[0])


def test_a_dump_is_listed_and_restoring_it_brings_the_records_back_keeping_what_it_replaced(shared, capsys):
    ctx = open_app(shared.yamada)
    try:
        need = records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    made = _made(err)
    assert made.suffix == ".pgdump" and made.stat().st_size > 0
    newest = _listed(capsys, shared.yamada)[0]
    assert (newest["name"], newest["reason"], newest["reason_label"]) == (made.name, "manual", "手動")

    ctx = open_app(shared.yamada)
    try:
        records.update(ctx, "needs", need.id, {"title": "橋梁の点検"})
        records.create(ctx, "needs", {**NEED, "title": "トンネルの点検"})
    finally:
        ctx.close()
    assert need_titles(shared.sato) == ["トンネルの点検", "橋梁の点検"]  # one database: both staff see it
    before = _installations(shared.url)
    old = recorded_identity(shared.yamada)
    assert old is not None

    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", made.name)
    assert status == 0, err
    assert need_titles(shared.yamada) == ["河川堤防の点検"]

    # What the restore replaced was dumped first, listed as 復元前, and is itself restorable.
    (kept,) = [b for b in _listed(capsys, shared.yamada) if b["reason"] == "before-restore"]
    assert kept["reason_label"] == "復元前" and str(kept["name"]).endswith(".pgdump") and kept["file"] in err
    # Every installation goes on under a new id, with the same key; this folder follows its own.
    after = _installations(shared.url)
    assert not set(after) & set(before) and sorted(after.values()) == sorted(before.values())
    identity = recorded_identity(shared.yamada)
    assert identity is not None and after[identity["installation_id"]] == before[old["installation_id"]]
    assert "2 台の端末は、新しい端末IDで続けます" in err

    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", str(kept["file"]))
    assert status == 0, err
    assert need_titles(shared.yamada) == ["トンネルの点検", "橋梁の点検"]  # nothing was lost


def test_the_other_staff_member_goes_on_after_a_restore(shared, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    old = recorded_identity(shared.sato)
    assert run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", str(_made(err)))[0] == 0
    ctx = open_app(shared.sato)
    try:
        assert old is not None and ctx.installation_id != old["installation_id"]
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    assert recorded_identity(shared.sato) == {"org": "secretariat", "installation_id": ctx.installation_id}


def test_a_restore_is_refused_while_someone_else_is_connected(shared, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    made = _made(err)
    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    listed = _listed(capsys, shared.yamada)

    sato = open_app(shared.sato)  # 佐藤さん's window is open
    try:
        status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", made.name)
    finally:
        sato.close()
    assert status == 1
    assert "ほかに 1 件の接続があります" in err and "全員に JCIM Desktop を閉じてもらい" in err
    assert "共有データベースは変更していません" in err and "Traceback" not in err
    assert need_titles(shared.yamada) == ["河川堤防の点検"] and _listed(capsys, shared.yamada) == listed

    assert run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", made.name)[0] == 0  # once closed
    assert need_titles(shared.yamada) == []


def _only_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """A PATH on which only ``names`` of PostgreSQL's tools are found, and no fallback folder."""
    folder = tmp_path / "bin"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
        assert found, name
        (folder / name).symlink_to(found)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(store_backup, "TOOL_FOLDERS", ())


def test_without_pg_dump_a_backup_or_a_restore_is_refused_in_japanese_and_nothing_changes(
        shared, tmp_path, monkeypatch, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    made = _made(err)
    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    listed = _listed(capsys, shared.yamada)

    _only_tools(tmp_path, monkeypatch, "pg_restore")
    for argv in (("backup", "create"), ("backup", "restore", made.name)):
        status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), *argv)
        assert status == 1, argv
        assert "PostgreSQL の pg_dump が見つからないため" in err and "postgresql-client" in err
        assert "Traceback" not in err and "予期しない" not in err
    assert need_titles(shared.yamada) == ["河川堤防の点検"] and _listed(capsys, shared.yamada) == listed

    _only_tools(tmp_path / "none", monkeypatch)
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", made.name)
    assert status == 1 and "PostgreSQL の pg_restore が見つからないため、共有データベースのバックアップから復元できません" in err
    assert need_titles(shared.yamada) == ["河川堤防の点検"]


def test_without_pg_dump_the_daily_backup_is_a_warning_not_a_refusal(shared, tmp_path, monkeypatch, capsys):
    for backup in (shared.yamada / "backups").iterdir():
        backup.unlink()
    engine = create_engine(shared.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM database_backups"))  # today's daily backup is due again
    finally:
        engine.dispose()
    _only_tools(tmp_path, monkeypatch)
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "history", "--format", "json")
    assert status == 0, err
    assert "注意: PostgreSQL の pg_dump が見つからないため" in err
    assert not list((shared.yamada / "backups").iterdir())


def test_restore_refuses_what_is_not_a_backup_of_this_shared_database(shared, new_database_url, tmp_path, capsys):
    # A SQLite backup, a file that is no dump, and a dump of another shared database.
    forum = tmp_path / "forum"
    assert run_cli(capsys, "--data-dir", str(forum), "init", "--org", "chugoku")[0] == 0
    (sqlite_backup,) = (forum / "backups").iterdir()
    fake = tmp_path / "jcim-20300101-120000-manual.pgdump"
    fake.write_bytes(b"PGDMP" + os.urandom(2000))
    other_url = new_database_url()
    other = tmp_path / "other"
    assert run_cli(capsys, "--data-dir", str(other), "--database-url", other_url,
                   "init", "--org", "secretariat")[0] == 0
    (other_first,) = (other / "backups").iterdir()  # taken before its first installation was registered
    status, _out, err = run_cli(capsys, "--data-dir", str(other), "backup", "create")
    assert status == 0, err
    other_dump = _made(err)
    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    listed = _listed(capsys, shared.yamada)

    for source, said in ((sqlite_backup, "このパソコンのデータベース（SQLite）のバックアップです"),
                         (fake, "正常なバックアップではないため、復元しませんでした"),
                         (other_dump, "別の共有データベースのバックアップです（登録されている端末の鍵が一つも合いません）"),
                         (other_first, "別の共有データベースのバックアップです（データベース「")):
        status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", str(source))
        assert status == 1 and said in err and "変更していません" in err, err
        assert "Traceback" not in err and "予期しない" not in err
    assert need_titles(shared.yamada) == ["河川堤防の点検"] and _listed(capsys, shared.yamada) == listed


def test_an_upgrade_dump_restores_an_older_schema_and_brings_it_up_to_date(shared, capsys):
    from alembic import command

    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    engine = create_engine(shared.url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007")  # as a version before this one left it
    engine.dispose()
    ctx = open_app(shared.yamada)  # this version opens it: dumps it ("upgrade"), then migrates
    try:
        need = records.list_records(ctx, "needs", records.Query())[0]
        records.update(ctx, "needs", need.id, {"title": "橋梁の点検"})
    finally:
        ctx.close()
    (upgrade_dump,) = [b for b in _listed(capsys, shared.yamada) if b["reason"] == "upgrade"]

    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", str(upgrade_dump["file"]))
    assert status == 0, err
    assert need_titles(shared.yamada) == ["河川堤防の点検"]
    found = cli_json(capsys, "--data-dir", str(shared.yamada), "db", "check", "--format", "json")
    assert found["revision"] == HEAD_REVISION and found["ok"], found["problems"]
    assert [i["this"] for i in found["installations"]].count(True) == 1


def test_a_shared_dump_is_refused_by_a_folder_on_sqlite(tmp_path, capsys):
    forum = tmp_path / "forum"
    assert run_cli(capsys, "--data-dir", str(forum), "init", "--org", "chugoku")[0] == 0
    dump = tmp_path / "jcim-20300101-120000-manual.pgdump"
    dump.write_bytes(b"PGDMP" + b"\0" * 100)
    before = (forum / "jcim.sqlite3").read_bytes()
    status, _out, err = run_cli(capsys, "--data-dir", str(forum), "backup", "restore", str(dump))
    assert status == 1 and "共有データベース（PostgreSQL）のバックアップです" in err and "--database-url" in err
    assert (forum / "jcim.sqlite3").read_bytes() == before
    assert not list(forum.glob("jcim.before-restore-*"))


def test_a_fresh_start_is_refused_on_a_shared_database(shared, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "fresh")
    assert status == 1 and "共有データベースには使えません" in err
    assert not list(shared.yamada.glob("jcim*.sqlite3")) and need_titles(shared.yamada) == []


def test_the_database_is_one_transaction_away_from_its_dump(shared, capsys):
    """A dump taken while nothing else happens and restored at once gives back the same rows."""
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    engine = create_engine(shared.url)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                  for t in ("needs", "installation", "audit_log", "municipality_status")}
    engine.dispose()  # a connection of its own would stop the restore
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "restore", str(_made(err)))
    assert status == 0, err
    with engine.connect() as conn:
        again = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in counts}
    engine.dispose()
    assert again == counts


def test_a_staff_member_registered_after_the_dump_is_registered_again_by_the_restore(shared, tmp_path, capsys):
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    made = _made(err)
    tanaka = tmp_path / "tanaka"
    assert run_cli(capsys, "--data-dir", str(tanaka), "--database-url", shared.url,
                   "init", "--org", "secretariat", "--user", "田中")[0] == 0
    ctx = open_app(tanaka)
    try:
        key = ctx.public_key
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()

    status, _out, err = run_cli(capsys, "--data-dir", str(tanaka), "backup", "restore", str(made))
    assert status == 0, err
    identity = recorded_identity(tanaka)
    assert identity is not None and _installations(shared.url)[identity["installation_id"]] == key
    assert need_titles(tanaka) == []  # the dump's content, and 田中さん can go on working in it
    ctx = open_app(tanaka)
    try:
        records.create(ctx, "needs", {**NEED, "title": "トンネルの点検"})
    finally:
        ctx.close()


def test_an_administrators_folder_that_is_no_installation_can_restore(shared, tmp_path, capsys):
    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    status, _out, err = run_cli(capsys, "--data-dir", str(shared.yamada), "backup", "create")
    assert status == 0, err
    made = _made(err)
    ctx = open_app(shared.yamada)
    try:
        records.create(ctx, "needs", {**NEED, "title": "橋梁の点検"})
    finally:
        ctx.close()
    admin = tmp_path / "admin"
    status, _out, err = run_cli(capsys, "--data-dir", str(admin), "--database-url", shared.url,
                                "backup", "restore", str(made))
    assert status == 0, err
    engine = create_engine(shared.url)
    with engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT title FROM needs")).scalars()) == ["河川堤防の点検"]
    engine.dispose()
    (kept,) = (admin / "backups").glob("*-before-restore.pgdump")  # kept where the administrator works
    assert not (admin / "keys").exists() and str(kept) in err
