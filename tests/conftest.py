"""Shared fixtures. Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test touches the real credential store (Keychain, Credential Manager, Secret Service): keys
# go to files unless a test injects an in-memory store (tests/memory_keyring.py). Inherited by
# the command-line subprocesses.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import itertools  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from jcim_desktop.services.context import AppContext, init_installation  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres", metavar="URL", default=os.environ.get("JCIM_TEST_POSTGRES") or None,
        help="run on PostgreSQL: every installation a test makes gets a new database on this server "
             "(URL of a database the role may CREATE DATABASE from; `python tests/postgres.py start DIR` "
             "prints one). Tests marked sqlite_only are skipped.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--postgres"):
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself (sqlite_only)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


class PostgresServer:
    """The server of ``--postgres``: a template database migrated once, copied for each
    installation a test makes (``CREATE DATABASE … TEMPLATE``, a fraction of a migration's cost)."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from jcim_desktop.store.database import upgrade

        self.admin_url = admin_url
        self._text = text
        self._make_url = make_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.prefix = f"jcim_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._names = itertools.count(1)
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}"'))
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        engine = create_engine(self.url(self.template))
        upgrade(engine)
        engine.dispose()

    def url(self, database: str) -> str:
        return self._make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def new_database(self) -> str:
        name = f"{self.prefix}_{next(self._names)}"
        with self.admin.connect() as conn:
            conn.execute(self._text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self.url(name)

    def drop(self, url: str) -> None:
        name = self._make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(self._text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(self._text(f'DROP DATABASE IF EXISTS "{self.template}"'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres(request: pytest.FixtureRequest) -> Iterator[PostgresServer | None]:
    """The PostgreSQL server of ``--postgres``, or None (the default run: SQLite)."""
    admin_url = request.config.getoption("--postgres")
    if not admin_url:
        yield None
        return
    server = PostgresServer(admin_url)
    yield server
    server.close()


@pytest.fixture
def new_database_url(postgres: PostgresServer | None) -> Iterator[object]:
    """A factory: a new empty database's URL on the --postgres server (dropped after the test),
    or None when the run is on SQLite."""
    made: list[str] = []

    def factory() -> str | None:
        if postgres is None:
            return None
        made.append(postgres.new_database())
        return made[-1]

    yield factory
    if postgres is not None:
        _wait_for_window_reads()
        for url in made:
            postgres.drop(url)


def _wait_for_window_reads() -> None:
    """A window's reads still running would meet a closed (on PostgreSQL, dropped) database."""
    if "jcim_desktop.ui.ops" in sys.modules:
        sys.modules["jcim_desktop.ui.ops"].wait_for_all()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing a test does may touch the real per-user data folder.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("JCIM_DESKTOP_DATA_DIR", str(home / "default-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def make_ctx(tmp_path: Path, new_database_url) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A factory: ``make_ctx("chugoku")`` initialises a fresh installation of that org (with
    --postgres, on a database of its own on that server: each installation is a laptop)."""
    opened: list[AppContext] = []

    def factory(org: str, name: str | None = None, user_name: str = "テスト担当") -> AppContext:
        ctx = init_installation(org, tmp_path / (name or org), user_name=user_name, database_url=new_database_url())
        opened.append(ctx)
        return ctx

    yield factory
    _wait_for_window_reads()
    for ctx in opened:
        ctx.close()


@pytest.fixture
def forum(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("chugoku")  # type: ignore[no-any-return]


@pytest.fixture
def secretariat(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("secretariat")  # type: ignore[no-any-return]


@dataclass
class Shared:
    """Two secretariat staff (山田, 佐藤), each registered from a data folder of their own, on one
    shared database (``url``)."""

    url: str
    yamada: Path
    sato: Path


@pytest.fixture
def shared(new_database_url, tmp_path, capsys) -> Iterator[Shared]:  # type: ignore[no-untyped-def]
    """Two secretariat staff on one shared database, registered through the command line; skipped
    without a server (pytest --postgres URL)."""
    from helpers import run_cli

    url = new_database_url()
    if url is None:
        pytest.skip("needs a PostgreSQL server (pytest --postgres URL)")
    staff = Shared(url, tmp_path / "yamada", tmp_path / "sato")
    for folder, user in ((staff.yamada, "山田"), (staff.sato, "佐藤")):
        status, _out, err = run_cli(capsys, "--data-dir", str(folder), "--database-url", url,
                                    "init", "--org", "secretariat", "--user", user)
        assert status == 0, err
    yield staff


@pytest.fixture
def two_people(tmp_path: Path, new_database_url) -> Iterator[tuple[AppContext, AppContext]]:  # type: ignore[no-untyped-def]
    """(山田's context, 佐藤's context) on one database, secretariat staff both: with --postgres two
    installations on one shared database; on SQLite a second window on the same data folder."""
    from jcim_desktop.services.context import open_app

    url = new_database_url()
    if url is None:
        yamada = init_installation("secretariat", tmp_path / "shared", user_name="山田")
        sato = open_app(tmp_path / "shared")
        sato.settings.user_name = "佐藤"  # the second window's person (not saved: the folder is 山田's)
    else:
        yamada = init_installation("secretariat", tmp_path / "yamada", user_name="山田", database_url=url)
        sato = init_installation("secretariat", tmp_path / "sato", user_name="佐藤", database_url=url)
    yield yamada, sato
    sato.close()
    yamada.close()


@pytest.fixture
def two_installations(postgres, two_people) -> tuple[AppContext, AppContext]:  # type: ignore[no-untyped-def]
    """``two_people`` as two installations on one shared database; skipped without a server."""
    if postgres is None:
        pytest.skip("two installations on one shared database: PostgreSQL only (pytest --postgres URL)")
    return two_people  # type: ignore[no-any-return]
