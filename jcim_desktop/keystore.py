"""Where this installation's secrets live: its Ed25519 signing key and its age identity.

One small interface for every secret, so that callers never know where a secret is kept:

- ``save_secret(key_dir, name, value)`` (refuses to overwrite), ``load_secret(key_dir, name)``
  (None when there is none), ``has_secret``, ``delete_secret``;
- ``where(key_dir)`` says, for people (設定), where the secrets are kept.

This first version keeps each secret in a file of ``key_dir`` readable only by the user
(0o600 in a 0o700 folder). The operating system's credential store (through ``keyring``) is to
be added behind the same functions, with this file as the fallback where no store exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FILE_NAMES: dict[str, str] = {
    "ed25519": "installation_ed25519.pem",
    "age": "installation_age.txt",
}
"""Secret name → the file that holds it in the fallback (and in installations made before)."""


def _path(key_dir: Path, name: str) -> Path:
    if name not in FILE_NAMES:
        raise ValueError(f"unknown secret {name!r}")
    return Path(key_dir) / FILE_NAMES[name]


def has_secret(key_dir: Path, name: str) -> bool:
    return _path(key_dir, name).exists()


def load_secret(key_dir: Path, name: str) -> bytes | None:
    path = _path(key_dir, name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def save_secret(key_dir: Path, name: str, value: bytes) -> None:
    """Keep ``value`` as the secret ``name``; never overwrites an existing one (FileExistsError)."""
    key_dir = Path(key_dir)
    key_dir.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(key_dir, 0o700)
    # O_EXCL: never overwrite an identity; 0o600: only the user may read it.
    fd = os.open(_path(key_dir, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(value)


def delete_secret(key_dir: Path, name: str) -> None:
    _path(key_dir, name).unlink(missing_ok=True)


def where(key_dir: Path) -> str:
    """Where the secrets are kept, for people."""
    return f"ファイル（{Path(key_dir)}、この利用者だけが読めます）"
