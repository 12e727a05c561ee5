"""A shared database's collation: a PostgreSQL database made with a language's collation (ICU's
ja-JP here, or the operating system's ja_JP / en_US) orders text otherwise than SQLite, so lists
sorted by text and exported packages would come out in another order. ``db check`` and 設定's
connection test name the collation and warn, and the ``createdb`` command ``db check`` gives makes
a database that orders like SQLite. The tests on a server run with --postgres."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from helpers import NEED, cli_json, run_cli
from jcim_desktop.services import database_admin, listing, records
from jcim_desktop.services.settings import probe_database
from jcim_desktop.store import admin
from jcim_desktop.store.backup import ServerToolError, libpq_url, server_tool
from jcim_desktop.store.database import upgrade

# A language's collation, the first this server can make: ICU (PostgreSQL 15+ built with it, as
# Debian's), else the operating system's.
LANGUAGE_COLLATIONS = [
    "LOCALE_PROVIDER icu ICU_LOCALE 'ja-JP'",
    "LC_COLLATE 'ja_JP.UTF-8' LC_CTYPE 'ja_JP.UTF-8'",
    "LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8'",
]


@pytest.fixture
def language_database(postgres) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty database on the --postgres server whose collation is a language's."""
    if postgres is None:
        pytest.skip("needs a PostgreSQL server (pytest --postgres URL)")
    name = f"{postgres.prefix}_language"
    with postgres.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        for collation in LANGUAGE_COLLATIONS:
            try:
                conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' {collation}"))
                break
            except DBAPIError:
                continue
        else:
            pytest.skip("this PostgreSQL server can make no database with a language's collation (no ICU, "
                        "no ja_JP or en_US locale)")
    url = postgres.url(name)
    yield url
    postgres.drop(url)


def _migrated(url: str) -> None:
    engine = create_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def test_on_the_runs_engine_db_check_names_a_collation_ordering_like_sqlite(forum):
    records.create(forum, "needs", {**NEED, "title": "b 堤防"})
    records.create(forum, "needs", {**NEED, "title": "B 堤防"})
    found = database_admin.check(forum.data_dir)
    assert found.ok and found.collation in ("BINARY", "C", "C.UTF-8", "C.utf8", "POSIX")
    assert not any("照合順序" in note for note in found.notes)
    # What the note is about: sorted by title, the capital comes first, as on SQLite.
    ids = listing.fetch_ids(forum, "needs", records.Query(), sort_key="title")
    assert [records.get(forum, "needs", i).data["title"] for i in ids] == ["B 堤防", "b 堤防"]


def test_db_check_warns_of_a_language_collation_and_says_how_to_make_the_database_again(
        language_database, tmp_path, capsys):
    _migrated(language_database)
    engine = create_engine(language_database)
    try:
        order = admin.text_order(engine)
    finally:
        engine.dispose()
    assert not order.like_sqlite

    found = cli_json(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"),
                     "--database-url", language_database, "--format", "json")
    assert found["ok"]  # a note, not a problem: the records and tallies are right
    (note,) = [n for n in found["notes"] if "照合順序" in n]
    assert f"照合順序は {order.collation} で、文字を SQLite と違う順に並べます" in note
    assert "件名や会社名で並べた一覧と、書き出すパッケージの中の記録の順序" in note
    name = language_database.rsplit("/", 1)[1].split("?")[0]
    assert "--lc-collate=C" in note and "--template=template0" in note and f"{name}_c」" in note
    assert "pg_dump と pg_restore で中身を移し" in note

    status, out, err = run_cli(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"),
                               "--database-url", language_database)
    assert status == 0 and "注意: このデータベースの照合順序は" in out and "問題は見つかりませんでした" in err


def test_the_createdb_command_of_the_warning_makes_a_database_ordering_like_sqlite(
        language_database, postgres, tmp_path, capsys):
    try:
        createdb = server_tool("createdb")
    except ServerToolError:
        pytest.skip("PostgreSQL's createdb is not installed here")
    status, out, _err = run_cli(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"),
                                "--database-url", language_database, "--format", "json")
    found = json.loads(out)
    assert status == 1 and found["schema"] == "empty"  # nothing to move: the note says to make it again
    (note,) = [n for n in found["notes"] if "照合順序" in n]
    name = language_database.rsplit("/", 1)[1].split("?")[0]
    assert f"「dropdb {name}」" in note and "それから「jcim-desktop db migrate」" in note
    command = re.search(r"「(createdb [^」]+)」", note)
    assert command is not None
    argv = command.group(1).split()
    assert argv[-1] == name

    postgres.drop(language_database)  # the administrator's dropdb
    maintenance, env = libpq_url(postgres.admin_url)
    made = subprocess.run([createdb, *argv[1:], f"--maintenance-db={maintenance}"], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=60)
    assert made.returncode == 0, made.stderr
    _migrated(language_database)

    found = cli_json(capsys, "db", "check", "--data-dir", str(tmp_path / "admin"),
                     "--database-url", language_database, "--format", "json")
    assert found["ok"] and not any("照合順序" in n for n in found["notes"])


def test_the_connection_test_names_the_collation_and_whether_it_orders_like_sqlite(language_database, postgres):
    found = probe_database(language_database)
    assert not found.orders_like_sqlite and found.collation not in ("C", "C.UTF-8", "POSIX")
    ordinary = postgres.new_database()
    try:
        found = probe_database(ordinary)
    finally:
        postgres.drop(ordinary)
    assert found.orders_like_sqlite and found.collation in ("C", "C.UTF-8", "C.utf8", "POSIX")


def test_an_icu_database_is_seen_by_its_order_not_by_its_datcollate(language_database):
    engine = create_engine(language_database)
    try:
        with engine.connect() as conn:
            datcollate = conn.execute(
                text("SELECT datcollate FROM pg_database WHERE datname = current_database()")).scalar_one()
        order = admin.text_order(engine)
    finally:
        engine.dispose()
    if order.provider != "icu":
        pytest.skip("the server made the language's database with the operating system's collation")
    # ICU's database keeps the template's C.UTF-8 in datcollate, yet orders by ICU's ja-JP.
    assert datcollate in ("C", "C.UTF-8", "C.utf8") and order.collation == "ja-JP (ICU)" and not order.like_sqlite
