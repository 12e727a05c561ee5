"""A shared database's URL checked before it is kept, and a connection test that changes nothing
(``store.server``: what 設定's 「接続テスト」 stands on). The tests on a real server run with
``--postgres``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jcim_desktop.errors import UserError
from jcim_desktop.services.context import init_installation
from jcim_desktop.store.database import HEAD_REVISION, DatabaseUnreachable
from jcim_desktop.store.server import check_shareable_url, probe, same_url, server_label


@pytest.mark.parametrize(("url", "says"), [
    ("sqlite:////tmp/jcim.sqlite3", "postgresql+psycopg://利用者@サーバー/データベース名 の形で指定してください"),
    ("postgresql+psycopg://jcim@db:port/jcim", "形が正しくありません"),
    ("postgresql+psycopg://jcim@db.example.jp", "データベース名がありません"),
    ("postgresql+psycopg://jcim:s3cret@db.example.jp/jcim", ".pgpass"),
    ("postgresql+psycopg://jcim@db.example.jp/jcim?password=s3cret", "PGPASSWORD"),
])
def test_a_url_that_cannot_be_kept_says_what_to_fix(url: str, says: str) -> None:
    with pytest.raises(UserError) as refused:
        check_shareable_url(url)
    assert says in refused.value.message and "s3cret" not in refused.value.message


def test_a_url_is_shown_short_with_its_server_or_socket_folder() -> None:
    assert server_label("postgresql+psycopg://jcim@db.example.jp:5433/jcim") == "jcim@db.example.jp:5433/jcim"
    assert server_label("postgresql+psycopg://jcim@/jcim?host=/run/postgresql") == "jcim@/run/postgresql/jcim"
    assert server_label("postgresql+psycopg://jcim@/jcim?host=%2Frun%2Fpostgresql") == "jcim@/run/postgresql/jcim"
    assert server_label("postgresql+psycopg://db.example.jp/jcim") == "db.example.jp/jcim"


def test_the_same_database_written_with_or_without_escapes_is_the_same() -> None:
    assert same_url("postgresql+psycopg://jcim@/jcim?host=/run/postgresql",
                    "postgresql+psycopg://jcim@/jcim?host=%2Frun%2Fpostgresql")
    assert not same_url("postgresql+psycopg://jcim@db/jcim", "postgresql+psycopg://jcim@db/other")


def test_a_server_that_is_not_there_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnreachable) as refused:
        probe(f"postgresql+psycopg://jcim@/jcim?host={tmp_path}")
    assert "に接続できません" in refused.value.message and str(tmp_path) in refused.value.message


def test_the_probe_reads_the_schema_and_the_installations_and_changes_nothing(tmp_path: Path,
                                                                             new_database_url) -> None:  # type: ignore[no-untyped-def]
    url = new_database_url()
    if url is None:
        pytest.skip("needs a PostgreSQL server (--postgres)")
    with create_engine(url).begin() as conn:  # an empty database, as an administrator makes it
        for (table,) in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all():
            conn.execute(text(f'DROP TABLE "{table}" CASCADE'))
    empty = probe(url)
    assert empty.revision is None and empty.installation_ids == frozenset()
    assert probe(url) == empty  # nothing was made
    first = init_installation("secretariat", tmp_path / "a", database_url=url)
    second = init_installation("kinki", tmp_path / "b", database_url=url)
    try:
        found = probe(url)
    finally:
        first.close()
        second.close()
    assert found.revision == HEAD_REVISION
    assert found.installation_ids == {first.installation_id, second.installation_id}
