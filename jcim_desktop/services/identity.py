"""Moving an installation to a new laptop: its identity exported under a passphrase, and
imported into an empty data folder there.

The export is ONE file, encrypted with age to a passphrase (scrypt). Its plaintext is an age
identity file: one comment line ``# jcim-identity: {JSON}`` holding the installation id, the org,
the public key and the Ed25519 signing key (PEM), then the ``AGE-SECRET-KEY-1…`` line. So the
``age`` tool takes the export itself as an identity (``age -d -i jcim-identity.age PACKAGE.age``
asks the passphrase and opens this installation's packages), and ``age -d jcim-identity.age``
shows what it holds. Nothing else is written; the passphrase is never kept. (Version 1 held the
JSON document alone; such files still import.)

The import creates, in a folder that has no database and no keys yet, a new installation of the
same org with the same two keys: everyone who trusted the key (and the secretariat's list of
registered keys) still accepts its packages, and packages encrypted to its age recipient still
open. It gets a NEW installation id, as a restored backup and a fresh start do
(``services.backups``): its change counters and package sequence start again from what the new
database knows, and under the old id edits could reuse counters others have already seen with
other content (and be lost without a conflict). The records come back by restoring the newest
backup copied from the old laptop (``backup restore``; the key matches) or by importing the
secretariat's national package; the old laptop must no longer be used.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyrage import x25519

from jcim_desktop import __version__, keystore
from jcim_desktop.domain.orgs import ORGS
from jcim_desktop.errors import UserError, ValidationError, user_error_from_os
from jcim_desktop.files import write_atomically
from jcim_desktop.services.context import (
    KEY_DIR_NAME,
    AppContext,
    create_installation,
    is_initialized,
    resolve_data_dir,
    resolved_database_url,
)
from jcim_desktop.services.settings import load_settings, save_settings
from jcim_desktop.store.database import DB_FILE_NAME, without_password
from jcim_desktop.sync import age, keys

FORMAT = "jcim-identity"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
COMMENT_PREFIX = f"# {FORMAT}: "
MIN_PASSPHRASE = 8
PASSPHRASE_ENV = "JCIM_DESKTOP_PASSPHRASE"
"""Where scripts and tests give the passphrase instead of typing it."""

AGE_HEADERS = (age.HEADER, age.ARMOR_HEADER)


@dataclass(frozen=True)
class KeyProtection:
    """Where this installation's secrets are, for 設定."""

    protected: bool
    """In the operating system's credential store (and in no file)."""
    store_available: bool
    """Whether this computer has a credential store at all."""
    folder: Path
    """The folder of the files (when not protected)."""


def key_protection(ctx: AppContext) -> KeyProtection:
    return KeyProtection(keystore.is_protected(ctx.key_dir), keystore.store_available(), ctx.key_dir)


def check_passphrase(passphrase: str) -> str:
    """``passphrase`` if it may protect an export; ``ValidationError`` (Japanese) if empty or short."""
    if not passphrase:
        message = f"パスフレーズが入力されていません。{MIN_PASSPHRASE} 文字以上のパスフレーズを入力してください。"
    elif len(passphrase) < MIN_PASSPHRASE:
        message = (f"パスフレーズが短すぎます（{len(passphrase)} 文字）。鍵を守るため、{MIN_PASSPHRASE} 文字以上の"
                   "推測されにくいパスフレーズを入力してください。")
    else:
        return passphrase
    raise ValidationError({"passphrase": message}, message)


@dataclass(frozen=True)
class IdentityExport:
    path: Path
    key_id: str
    age_recipient: str


def export_identity(ctx: AppContext, out: Path | str, passphrase: str) -> IdentityExport:
    """Write this installation's identity to ``out``, encrypted with ``passphrase``."""
    check_passphrase(passphrase)
    out = Path(out).expanduser()
    pem = keystore.load_secret(ctx.key_dir, "ed25519")
    if pem is None:
        raise UserError(f"この端末の署名鍵がありません（{keystore.where(ctx.key_dir)}）。書き出すものがありません。")
    identity = age.ensure_identity(ctx.key_dir)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "installation_id": ctx.installation_id,
        "org": ctx.org,
        "public_key": ctx.public_key,
        "ed25519_private_key": pem.decode("ascii"),
        "age_recipient": age.recipient_of(identity),
        "exported_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "app_version": __version__,
    }
    plain = (f"{COMMENT_PREFIX}{json.dumps(payload, ensure_ascii=True)}\n"
             f"# public key: {age.recipient_of(identity)}\n{identity}\n")
    encrypted = pyrage.passphrase.encrypt(plain.encode("ascii"), passphrase)
    try:
        write_atomically(out, encrypted)
    except OSError as exc:
        raise user_error_from_os(exc, "鍵の書き出し", out) from exc
    return IdentityExport(out, keys.key_id(ctx.public_key), age.recipient_of(identity))


@dataclass(frozen=True)
class ImportedIdentity:
    """What an export file holds, checked."""

    installation_id: str
    org: str
    public_key: str
    pem: bytes
    age_identity: str


@dataclass
class IdentityImport:
    ctx: AppContext
    previous_installation_id: str
    """The id the installation had on the old laptop (it continues under ``ctx.installation_id``)."""


def check_import_target(data_dir: Path | str | None) -> Path:
    """The data folder an identity may be imported into: one with no database and no keys."""
    folder = resolve_data_dir(data_dir)
    if is_initialized(folder) or (folder / DB_FILE_NAME).exists():
        raise UserError(
            f"データフォルダ {folder} には既にデータベースがあります。鍵の読み込みは、新しいパソコンのまだ使っていない"
            "データフォルダにだけできます。別のフォルダを --data-dir で指定してください。何も変更していません。"
        )
    key_dir = folder / KEY_DIR_NAME
    if any(keystore.has_secret(key_dir, name) for name in keystore.FILE_NAMES):
        raise UserError(
            f"データフォルダ {folder} には既にこの端末の鍵があります（{keystore.where(key_dir)}）。"
            "別のフォルダを --data-dir で指定してください。何も変更していません。"
        )
    return folder


def read_identity_file(file: Path | str, passphrase: str) -> ImportedIdentity:
    """Decrypt and check an export; ``UserError`` (Japanese) for a wrong passphrase or a file
    that is not one."""
    path = Path(file).expanduser()
    if not passphrase:
        check_passphrase(passphrase)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"{path} が見つかりません。古いパソコンで書き出した鍵のファイルを指定してください。") from exc
    except OSError as exc:
        raise user_error_from_os(exc, "鍵のファイルの読み込み", path) from exc
    not_one = UserError(
        f"{path.name} は JCIM Desktop の鍵の書き出しファイル（jcim-desktop identity export で作ったもの）ではありません。"
        "何も変更していません。"
    )
    if not raw.lstrip().startswith(AGE_HEADERS):
        raise not_one
    try:
        plain = pyrage.passphrase.decrypt(raw, passphrase)
    except pyrage.DecryptError as exc:
        raise UserError(
            f"パスフレーズが違うため、{path.name} を開けませんでした。書き出したときのパスフレーズを入力してください。"
            "何も変更していません。"
        ) from exc
    data = _payload(plain, not_one)
    if data.get("format_version") not in READABLE_VERSIONS:
        raise UserError(
            f"{path.name} はこの版の知らない形式（{data.get('format_version')}）です。アプリを最新の版にしてから読み込んでください。"
        )
    return _checked(data, not_one)


def _payload(plain: bytes, not_one: UserError) -> dict[str, Any]:
    """The document of an export's plaintext: version 2's identity file (JSON in its comment line,
    the identity on its own line) or version 1's JSON alone."""
    try:
        text = plain.decode("utf-8")
        if text.startswith(COMMENT_PREFIX):
            lines = text.splitlines()
            data: Any = json.loads(lines[0][len(COMMENT_PREFIX):])
            secrets = [line.strip() for line in lines[1:] if line.strip() and not line.startswith("#")]
            if isinstance(data, dict) and len(secrets) == 1:
                data["age_identity"] = secrets[0]
        else:
            data = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise not_one from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise not_one
    return data


def _checked(data: dict[str, Any], not_one: UserError) -> ImportedIdentity:
    installation_id, org, public_key = data.get("installation_id"), data.get("org"), data.get("public_key")
    pem, age_identity = data.get("ed25519_private_key"), data.get("age_identity")
    if not all(isinstance(v, str) and v for v in (installation_id, org, public_key, pem, age_identity)):
        raise not_one
    assert isinstance(installation_id, str) and isinstance(org, str) and isinstance(public_key, str)
    assert isinstance(pem, str) and isinstance(age_identity, str)
    if org not in ORGS:
        raise UserError(f"鍵のファイルの組織コード「{org}」はこの版にはありません。アプリを最新の版にしてください。")
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        x25519.Identity.from_str(age_identity.strip())
    except (ValueError, TypeError, UnicodeEncodeError, pyrage.IdentityError) as exc:
        raise not_one from exc
    if not isinstance(key, Ed25519PrivateKey) or keys.public_key_b64(key) != public_key:
        raise not_one
    return ImportedIdentity(installation_id, org, public_key, pem.encode("ascii"), age_identity.strip())


def import_identity(file: Path | str, passphrase: str, data_dir: Path | str | None,
                    user_name: str = "") -> IdentityImport:
    """Create, in an unused data folder, the installation exported to ``file`` (same org, same
    keys, a new installation id: see the module's description). Nothing is written when the
    passphrase is wrong, the file is not an export or the folder is in use."""
    folder = check_import_target(data_dir)
    found = read_identity_file(file, passphrase)
    # On a shared database (``--database-url``) the installation is added there, as ``init`` does.
    url = resolved_database_url(folder)
    key_dir = folder / KEY_DIR_NAME
    saved: list[str] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        settings = load_settings(folder)
        if user_name:
            settings.user_name = user_name
        if url is not None:
            settings.database_url = without_password(url)
        if user_name or url is not None:
            save_settings(folder, settings)
        keystore.save_secret(key_dir, "ed25519", found.pem)
        saved.append("ed25519")
        keystore.save_secret(key_dir, age.SECRET, found.age_identity.encode("ascii"))
        saved.append(age.SECRET)
        ctx = create_installation(folder, found.org, found.public_key, settings, url=url)
    except BaseException as exc:
        for name in saved:
            keystore.delete_secret(key_dir, name)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / (DB_FILE_NAME + suffix)).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, UserError):
            raise user_error_from_os(exc, "鍵の保存", key_dir) from exc
        raise
    return IdentityImport(ctx, found.installation_id)
