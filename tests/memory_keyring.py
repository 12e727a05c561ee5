"""An operating-system credential store kept in memory, for tests: injected with
``keyring.set_keyring`` so that no test ever reads or writes the real one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring import errors
from keyring.backend import KeyringBackend
from keyring.backends import fail


class MemoryKeyring(KeyringBackend):
    """A real-looking store (priority 1): ``items[(service, user)] = password``."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        self.items.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    """A store that is there but refuses every read and write (locked, the prompt cancelled)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise errors.KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise errors.PasswordSetError("cancelled")


class ForgetfulKeyring(MemoryKeyring):
    """A store that accepts a secret and gives back something else."""

    def get_password(self, service: str, username: str) -> str | None:
        return "something else" if (service, username) in self.items else None


@contextmanager
def using(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """``backend`` as the process's keyring for the block; the one before afterwards."""
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def no_store() -> KeyringBackend:
    """keyring's own "there is no store" backend."""
    return fail.Keyring()
