"""Where this installation's secrets live: its Ed25519 signing key and its age identity.

One small interface for every secret, so that callers never know where a secret is kept:

- ``save_secret(key_dir, name, value)`` (refuses to overwrite), ``load_secret(key_dir, name)``
  (None when there is none), ``has_secret``, ``delete_secret``;
- ``where(key_dir)`` says, for people (設定), where the secrets are kept; ``is_protected``
  whether they are in the operating system's credential store;
- ``protect(key_dir)`` moves secrets still kept in files into the store (at the daily maintenance).

**The store.** Where the operating system has a credential store (Windows Credential Manager,
the macOS Keychain, Secret Service on Linux desktops), reached through ``keyring``, the secrets
are kept there: service ``SERVICE``, user name ``"<account>:<secret name>"``. ``account`` is a
random id recorded in ``key_dir/keystore.json`` together with the names of the secrets stored;
it follows the folder when a data folder is copied elsewhere (the copy finds the same secrets),
and that file says which secrets are in the store without asking it (no prompt, no D-Bus call
for an installation that keeps its secrets in files). A backend counts as a store only when
it is a real one (priority ≥ 1: not keyring's ``fail``/``null`` backends, nor the plain-text
files of ``keyrings.alt``, which protect nothing more than our own file).

**The fallback.** Where no store exists, each secret is a file of ``key_dir`` readable only by
the user (0o600 in a 0o700 folder), as installations made before kept them; such files stay
readable forever, and are moved into the store (and deleted, only after reading back what was
stored) as soon as one is available.

Tests inject a store with ``keyring.set_keyring(backend)`` and never touch the real one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from jcim_desktop.errors import UserError

SERVICE = "JCIM Desktop"
"""The service name of every secret in the operating system's credential store."""

MARKER_FILE = "keystore.json"
NO_STORE_FILE = "no-store-checked.txt"
"""The day this computer was last found to have no credential store (``protect``)."""
"""``key_dir/keystore.json``: ``{"service", "account", "secrets": [names kept in the store]}``."""

FILE_NAMES: dict[str, str] = {
    "ed25519": "installation_ed25519.pem",
    "age": "installation_age.txt",
}
"""Secret name → the file that holds it in the fallback (and in installations made before)."""

STORE_TEXT = "OS の資格情報ストア（Windows 資格情報マネージャー／macOS キーチェーン／Secret Service）"
"""Where the secrets are, for people, when they are in the store."""

log = logging.getLogger(__name__)


class KeystoreError(UserError, OSError):
    """The credential store could not be used (locked, refused, unreachable): never taken as
    "there is no secret" (which would make a new key), always said in Japanese."""


def _path(key_dir: Path, name: str) -> Path:
    if name not in FILE_NAMES:
        raise ValueError(f"unknown secret {name!r}")
    return Path(key_dir) / FILE_NAMES[name]


def file_text(key_dir: Path) -> str:
    return f"ファイル（{Path(key_dir)}、この利用者だけが読めます）"


# -- the store ---------------------------------------------------------------------------------


def _backend() -> Any | None:
    """The ``keyring`` backend if it is a real credential store, else None."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration means "no store"
        log.warning("the credential store cannot be used: %s", exc)
        return None
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    try:
        priority = float(backend.priority)
    except Exception:  # noqa: BLE001 - a backend that cannot say how good it is is not used
        return None
    return backend if priority >= 1 else None


def store_available() -> bool:
    """Whether this computer has a credential store the secrets can be kept in."""
    return _backend() is not None


def _call(what: str, function: Any, *args: str) -> Any:
    """A keyring call; any failure of the backend (locked, cancelled, D-Bus gone, …) becomes
    a ``KeystoreError``."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - backends raise their own platform errors
        raise KeystoreError(
            f"{STORE_TEXT}の{what}ができませんでした（{type(exc).__name__}: {exc}）。"
            "キーチェーンやキーリングがロックされていれば解除してから、もう一度試してください。"
        ) from exc


def _marker(key_dir: Path) -> dict[str, Any] | None:
    try:
        raw = json.loads((Path(key_dir) / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("account"), str) or not raw["account"]:
        return None
    secrets = raw.get("secrets")
    return {
        "service": str(raw.get("service") or SERVICE),
        "account": raw["account"],
        "secrets": [s for s in secrets if s in FILE_NAMES] if isinstance(secrets, list) else [],
    }


def _write_marker(key_dir: Path, marker: dict[str, Any]) -> None:
    from jcim_desktop.files import write_atomically

    write_atomically(Path(key_dir) / MARKER_FILE, json.dumps(marker, ensure_ascii=False))


def _prepare(key_dir: Path) -> None:
    key_dir = Path(key_dir)
    key_dir.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        os.chmod(key_dir, 0o700)


def _in_store(key_dir: Path, name: str) -> dict[str, Any] | None:
    marker = _marker(key_dir)
    return marker if marker is not None and name in marker["secrets"] else None


def _store_get(marker: dict[str, Any], name: str) -> bytes | None:
    backend = _backend()
    if backend is None:
        raise KeystoreError(
            f"この端末の鍵は、{STORE_TEXT}に保存されていますが、今は資格情報ストアを使えません。"
            "いつもの利用者アカウントでサインインしているか確かめてください。"
        )
    text = _call("読み取り", backend.get_password, marker["service"], f"{marker['account']}:{name}")
    return None if text is None else str(text).encode("utf-8")


def _store_put(key_dir: Path, name: str, value: bytes) -> None:
    """Keep ``value`` in the store and record it in the marker, only once it reads back."""
    backend = _backend()
    if backend is None:
        raise KeystoreError(f"{STORE_TEXT}がありません。")
    text = value.decode("utf-8")  # PEM and AGE-SECRET-KEY are text; anything else is a bug
    marker = _marker(key_dir) or {"service": SERVICE, "account": str(uuid.uuid4()), "secrets": []}
    _prepare(key_dir)
    if not (Path(key_dir) / MARKER_FILE).exists():
        _write_marker(key_dir, marker)  # the account first: a stored secret is never unnamed
    user = f"{marker['account']}:{name}"
    _call("書き込み", backend.set_password, marker["service"], user, text)
    if _call("読み取り", backend.get_password, marker["service"], user) != text:
        raise KeystoreError(f"{STORE_TEXT}に保存した鍵を読み戻せませんでした。")
    if name not in marker["secrets"]:
        marker["secrets"].append(name)
    try:
        _write_marker(key_dir, marker)
    except OSError as exc:
        raise KeystoreError(f"{Path(key_dir) / MARKER_FILE} を書き込めませんでした（{exc}）。") from exc


# -- the interface -----------------------------------------------------------------------------


def load_secret(key_dir: Path, name: str) -> bytes | None:
    """The secret ``name`` (from the store, else from its file), or None when there is none.
    ``KeystoreError`` when it is in the store and the store cannot be read."""
    path = _path(key_dir, name)
    marker = _in_store(key_dir, name)
    if marker is not None:
        value = _store_get(marker, name)
        if value is not None:
            return value
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def has_secret(key_dir: Path, name: str) -> bool:
    return _path(key_dir, name).exists() or load_secret(key_dir, name) is not None


def recorded(key_dir: Path, name: str) -> bool:
    """Whether the secret ``name`` is kept, as the files and the marker say, without asking the
    store (which may be slow or prompt): for checks on every start."""
    return _path(key_dir, name).exists() or _in_store(key_dir, name) is not None


def in_files(key_dir: Path) -> bool:
    """Whether any secret is still kept in a file (``protect`` has something to do)."""
    return any(_path(key_dir, name).exists() for name in FILE_NAMES)


def save_secret(key_dir: Path, name: str, value: bytes) -> None:
    """Keep ``value`` as the secret ``name``: in the store when there is one, else in a file
    only the user can read. Never overwrites an existing one (FileExistsError)."""
    if has_secret(key_dir, name):
        raise FileExistsError(f"この端末の鍵（{name}）は既にあります（{where(key_dir)}）。")
    if store_available():
        try:
            _store_put(key_dir, name, value)
            return
        except KeystoreError as exc:
            log.warning("secret %s kept in a file: the credential store failed: %s", name, exc.message)
    _prepare(key_dir)
    # O_EXCL: never overwrite an identity; 0o600: only the user may read it.
    fd = os.open(_path(key_dir, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(value)


def delete_secret(key_dir: Path, name: str) -> None:
    """Remove the secret ``name`` wherever it is (nothing if there is none)."""
    marker = _in_store(key_dir, name)
    backend = _backend()
    if marker is not None:
        if backend is not None:
            try:
                backend.delete_password(marker["service"], f"{marker['account']}:{name}")
            except Exception as exc:  # noqa: BLE001 - already gone is fine; the file goes below
                log.info("could not delete secret %s from the credential store: %s", name, exc)
        marker["secrets"].remove(name)
        _write_marker(key_dir, marker)
    _path(key_dir, name).unlink(missing_ok=True)


def protect(key_dir: Path, *, retry: bool = False) -> list[str]:
    """Move the secrets still kept in files into the store, when there is one: each file is
    deleted only after the store gives back exactly what it holds. Returns the names moved.
    Never fails (a secret that cannot be moved stays in its file, and is logged).

    Finding out that a computer has no store costs a quarter of a second (``keyring`` looks at
    every backend), so where there was none it is asked again at the next day's first start, or
    when ``retry`` (the window, after its first paint)."""
    if not in_files(key_dir):
        return []
    checked = Path(key_dir) / NO_STORE_FILE
    today = dt.date.today().isoformat()
    if not retry:
        with contextlib.suppress(OSError):
            if checked.read_text(encoding="utf-8").strip() == today:
                return []
    if not store_available():
        with contextlib.suppress(OSError):
            checked.write_text(today + "\n", encoding="utf-8")
        return []
    checked.unlink(missing_ok=True)
    moved: list[str] = []
    for name in FILE_NAMES:
        path = _path(key_dir, name)
        try:
            value = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.info("could not read %s to move it into the credential store: %s", path, exc)
            continue
        try:
            marker = _in_store(key_dir, name)
            stored = _store_get(marker, name) if marker is not None else None
            if stored is None:
                _store_put(key_dir, name, value)
            elif stored != value:
                log.info("%s differs from the secret in the credential store: both kept", path)
                continue
            path.unlink()
            moved.append(name)
        except (KeystoreError, UnicodeDecodeError, OSError) as exc:
            # Said in 設定 (a warning while a key is in a file); tried again at the next start.
            log.info("secret %s stays in %s: %s", name, path, exc)
    return moved


def is_protected(key_dir: Path) -> bool:
    """True when the secrets are in the credential store and none is left in a file."""
    if any(_path(key_dir, name).exists() for name in FILE_NAMES):
        return False
    marker = _marker(key_dir)
    return bool(marker and marker["secrets"]) or store_available()


def where(key_dir: Path) -> str:
    """Where the secrets are kept, for people."""
    return STORE_TEXT if is_protected(key_dir) else file_text(key_dir)
