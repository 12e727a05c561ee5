"""The administrator's ``db migrate`` and ``db check``: on the data folder's SQLite (the default run)
and on an empty PostgreSQL database before any installation exists (the --postgres run), then with
two secretariat staff each registered from their own data folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from helpers import NEED, cli_json, run_cli
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app
from jcim_desktop.store.database import HEAD_REVISION, display_url, upgrade

FIXTURES = Path(__file__).parent / "fixtures"


def cli_json_status(capsys, expected: int, *argv: str):  # type: ignore[no-untyped-def]
    """The JSON a command prints with ``--format json``, after checking its exit status."""
    status, out, err = run_cli(capsys, *argv, "--format", "json")
    assert status == expected, err
    return json.loads(out)


def _backups(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "backups").glob("jcim-*")) if (folder / "backups").exists() else []


# -- SQLite in the data folder ----------------------------------------------------------------


@pytest.fixture
def forum_dir(tmp_path, capsys) -> Path:
    folder = tmp_path / "chugoku"
    assert run_cli(capsys, "--data-dir", str(folder), "init", "--org", "chugoku", "--user", "山田")[0] == 0
    return folder


@pytest.mark.sqlite_only
def test_db_check_on_sqlite_names_the_file_the_schema_and_this_installation(forum_dir, capsys):
    ctx = open_app(forum_dir)
    try:
        records.create(ctx, "needs", NEED)
        this_id = ctx.installation_id
    finally:
        ctx.close()
    found = cli_json(capsys, "db", "check", "--data-dir", str(forum_dir), "--format", "json")
    assert found["ok"] is True and found["engine"] == "sqlite" and found["problems"] == []
    assert found["location"] == str(forum_dir / "jcim.sqlite3")
    assert (found["revision"], found["app_revision"], found["schema"]) == (HEAD_REVISION, HEAD_REVISION, "current")
    (only,) = found["installations"]
    assert (only["id"], only["org"], only["org_name"], only["this"]) == (this_id, "chugoku", "中国フォーラム", True)
    assert only["latest_change"] is not None and only["created_at"] is not None

    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(forum_dir))
    assert status == 0 and "問題は見つかりませんでした" in err
    assert "SQLite" in out and "quick_check）: 正常" in out and f"端末ID {this_id}" in out and "中国フォーラム" in out


@pytest.mark.sqlite_only
def test_db_check_fails_on_a_damaged_file_and_says_how_to_go_back(forum_dir, capsys):
    db = forum_dir / "jcim.sqlite3"
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    raw = bytearray(db.read_bytes())
    raw[4096 * 2: 4096 * 6] = b"\xff" * (4096 * 4)  # pages of tables, not the header
    db.write_bytes(bytes(raw))
    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(forum_dir))
    assert status == 1, err
    assert "データベースが壊れています" in err and "backup restore" in err
    assert "Traceback" not in err + out and "予期しない" not in err


@pytest.mark.sqlite_only
def test_db_migrate_upgrades_an_old_sqlite_database_after_a_backup(tmp_path, capsys):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(FIXTURES / "db_rev0001.sqlite3", folder / "jcim.sqlite3")

    status, _out, err = run_cli(capsys, "db", "check", "--data-dir", str(folder))
    assert status == 1 and "スキーマが古いままです（0001" in err and "db migrate" in err

    result = cli_json(capsys, "db", "migrate", "--data-dir", str(folder), "--format", "json")
    assert (result["engine"], result["before"], result["after"]) == ("sqlite", "0001", HEAD_REVISION)
    (taken,) = _backups(folder)
    assert taken.endswith("-upgrade.sqlite3") and result["backup"] == str(folder / "backups" / taken)

    found = cli_json(capsys, "db", "check", "--data-dir", str(folder), "--format", "json")
    assert found["schema"] == "current" and [i["org"] for i in found["installations"]] == ["chugoku"]
    assert found["installations"][0]["this"] is False  # the fixture's installation: no identity in this folder

    status, _out, err = run_cli(capsys, "db", "migrate", "--data-dir", str(folder))
    assert status == 0 and "最新のスキーマです" in err and _backups(folder) == [taken]  # nothing to do: no backup


def test_db_commands_on_a_folder_without_a_database_say_what_to_do(tmp_path, capsys):
    folder = tmp_path / "nothing"
    for command in ("migrate", "check"):
        status, _out, err = run_cli(capsys, "db", command, "--data-dir", str(folder))
        assert status == 1 and "データベースがありません" in err and "--database-url" in err
    assert not (folder / "jcim.sqlite3").exists()


def test_db_check_of_a_server_that_cannot_be_reached_fails_plainly(tmp_path, capsys):
    url = f"postgresql+psycopg://jcim:secret@/jcim?host={tmp_path / 'no-server'}"
    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"), "--database-url", url,
                               "--format", "json")
    assert status == 1
    assert "接続できません" in err and "secret" not in out + err and "Traceback" not in err
    status, _out, err = run_cli(capsys, "db", "migrate", "--data-dir", str(tmp_path / "admin"), "--database-url", url)
    assert status == 1 and "接続できません" in err and "予期しない" not in err


def test_db_usage_errors_exit_2(capsys):
    assert run_cli(capsys, "db")[0] == 2
    assert run_cli(capsys, "db", "check", "--format", "xml")[0] == 2


# -- A shared PostgreSQL database -------------------------------------------------------------


@pytest.fixture
def empty_database(postgres) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A PostgreSQL database as ``createdb`` leaves it (no JCIM table), on the --postgres server."""
    if postgres is None:
        pytest.skip("needs a PostgreSQL server (pytest --postgres URL)")
    name = f"{postgres.prefix}_empty"
    with postgres.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres.url(name)
    yield url
    postgres.drop(url)


def test_migrate_an_empty_database_then_two_staff_register_and_check_lists_both(empty_database, tmp_path, capsys):
    url = empty_database
    admin, yamada, sato = tmp_path / "admin", tmp_path / "yamada", tmp_path / "sato"

    found = cli_json_status(capsys, 1, "db", "check", "--data-dir", str(admin), "--database-url", url)
    assert found["schema"] == "empty" and found["engine"] == "postgresql" and "db migrate" in found["problems"][0]

    result = cli_json(capsys, "db", "migrate", "--data-dir", str(admin), "--database-url", url, "--format", "json")
    assert (result["engine"], result["before"], result["after"], result["backup"]) == (
        "postgresql", None, HEAD_REVISION, None)  # nothing to lose: no backup
    assert not (admin / "keys").exists()  # the administrator's folder is no installation

    ids = {}
    for folder, user in ((yamada, "山田"), (sato, "佐藤")):
        status, _out, err = run_cli(capsys, "--data-dir", str(folder), "--database-url", url,
                                    "init", "--org", "secretariat", "--user", user)
        assert status == 0, err
        ids[folder] = err.split("端末ID: ")[1].split()[0]
    ctx = open_app(yamada)  # the URL is in the folder's settings now
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()

    found = cli_json(capsys, "db", "check", "--data-dir", str(sato), "--format", "json")
    assert found["ok"] and found["schema"] == "current" and found["location"] == display_url(url)
    listed = {i["id"]: i for i in found["installations"]}
    assert set(listed) == set(ids.values())
    assert {i["org"] for i in listed.values()} == {"secretariat"}
    assert len({i["key_id"] for i in listed.values()}) == 2  # each staff member's own key
    assert listed[ids[sato]]["this"] and not listed[ids[yamada]]["this"]
    assert listed[ids[yamada]]["latest_change"] is not None and listed[ids[sato]]["latest_change"] is None

    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(admin), "--database-url", url)
    assert status == 0, err
    assert "PostgreSQL" in out and "書き込む端末（2 台）" in out and out.count("事務局（secretariat）") == 2
    for installation_id in ids.values():
        assert installation_id in out


def test_migrate_refuses_a_database_holding_someone_elses_tables(empty_database, tmp_path, capsys):
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer primary key)"))
    status, _out, err = run_cli(capsys, "db", "migrate", "--data-dir", str(tmp_path / "admin"),
                                "--database-url", empty_database)
    assert status == 1 and "JCIM Desktop のものではない表（invoices）" in err
    with engine.connect() as conn:
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    engine.dispose()
    assert tables == {"invoices"}


def test_check_says_an_older_schema_and_migrate_dumps_it_first(empty_database, tmp_path, capsys):
    engine = create_engine(empty_database)
    upgrade(engine, "0007")
    engine.dispose()
    admin = tmp_path / "admin"

    found = cli_json_status(capsys, 1, "db", "check", "--data-dir", str(admin), "--database-url", empty_database)
    assert found["schema"] == "older" and found["revision"] == "0007" and "db migrate" in found["problems"][0]

    status, _out, err = run_cli(capsys, "db", "migrate", "--data-dir", str(admin), "--database-url", empty_database)
    assert status == 0, err
    (taken,) = _backups(admin)
    assert taken.endswith("-upgrade.pgdump") and f"0007 から {HEAD_REVISION} に更新しました" in err and taken in err
    found = cli_json(capsys, "db", "check", "--data-dir", str(admin), "--database-url", empty_database,
                     "--format", "json")
    assert found["schema"] == "current" and found["installations"] == []
    assert any("まだ端末が登録されていません" in note for note in found["notes"])


def test_without_pg_dump_migrate_refuses_to_upgrade_a_database_holding_data(
        empty_database, tmp_path, monkeypatch, capsys):
    from jcim_desktop.store import backup as store_backup

    engine = create_engine(empty_database)
    upgrade(engine, "0007")
    engine.dispose()
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    monkeypatch.setattr(store_backup, "TOOL_FOLDERS", ())
    status, _out, err = run_cli(capsys, "db", "migrate", "--data-dir", str(tmp_path / "admin"),
                                "--database-url", empty_database)
    assert status == 1 and "PostgreSQL の pg_dump が見つからないため" in err and "予期しない" not in err
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007"
    engine.dispose()
    assert _backups(tmp_path / "admin") == []
