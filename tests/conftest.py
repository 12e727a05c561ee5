"""Shared fixtures. Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test touches the real credential store (Keychain, Credential Manager, Secret Service): keys
# go to files unless a test injects an in-memory store (tests/memory_keyring.py). Inherited by
# the command-line subprocesses.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from jcim_desktop.services.context import AppContext, init_installation  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing a test does may touch the real per-user data folder.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("JCIM_DESKTOP_DATA_DIR", str(home / "default-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def make_ctx(tmp_path: Path) -> Iterator[object]:
    """A factory: ``make_ctx("chugoku")`` initialises a fresh installation of that org."""
    opened: list[AppContext] = []

    def factory(org: str, name: str | None = None, user_name: str = "テスト担当") -> AppContext:
        ctx = init_installation(org, tmp_path / (name or org), user_name=user_name)
        opened.append(ctx)
        return ctx

    yield factory
    for ctx in opened:
        ctx.close()


@pytest.fixture
def forum(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("chugoku")  # type: ignore[no-any-return]


@pytest.fixture
def secretariat(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("secretariat")  # type: ignore[no-any-return]
