"""Encrypted packages (SYNC_FORMAT §7): this installation's age identity, recipients, and the
encryption and decryption of a whole ``.jcimsync`` file in memory.

age (https://age-encryption.org/v1) through ``pyrage``, the binding of the Rust implementation:
what it writes the ``age`` command-line tool reads, and the other way round. X25519 only: an
identity is ``AGE-SECRET-KEY-1…``, its recipient ``age1…``.

The identity is a secret of the installation, kept by ``keystore`` (secret ``"age"``) beside the
Ed25519 signing key; nothing here ever writes plaintext or the identity anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyrage
from pyrage import x25519

from jcim_desktop import keystore

SECRET = "age"
SUFFIX = ".jcimsync.age"
"""How the name of an encrypted package ends (§7)."""

HEADER = b"age-encryption.org/v1\n"
"""The first line of an age file (binary format)."""
ARMOR_HEADER = b"-----BEGIN AGE ENCRYPTED FILE-----"
"""The first line of an ASCII-armoured age file (``age -a``), which is read too."""

RECIPIENT_PREFIX = "age1"
MAX_RECIPIENT = 100
"""The longest recipient kept (an X25519 recipient has 62 characters)."""

NOT_FOR_THIS_COMPUTER = "このパッケージはこのパソコン宛てに暗号化されていません"
"""The reason of §7 when a package cannot be decrypted here (the start of every such message)."""


class NotForThisComputer(ValueError):
    """An encrypted package this installation's identity cannot open (message in Japanese)."""

    def __init__(self, message: str, code: str = "not_for_this_computer") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Identity ----------------------------------------------------------------------------------------

def _parse_identity(value: bytes) -> x25519.Identity:
    """The identity in a stored secret: the ``AGE-SECRET-KEY-1…`` line (comments, as ``age-keygen``
    writes them, and blank lines are ignored)."""
    text = value.decode("ascii", "strict")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return x25519.Identity.from_str(line)
    raise ValueError("no identity")


def load_identity(key_dir: Path) -> x25519.Identity | None:
    """This installation's age identity, or None when it has none yet.

    ``ValueError`` (Japanese) when the stored secret is not an age identity."""
    value = keystore.load_secret(key_dir, SECRET)
    if value is None:
        return None
    try:
        return _parse_identity(value)
    except (ValueError, UnicodeDecodeError, pyrage.IdentityError) as exc:
        raise ValueError(
            f"この端末の暗号化用の鍵（age の秘密鍵、{keystore.where(key_dir)}）が壊れていて読めません。"
        ) from exc


def create_identity(key_dir: Path) -> x25519.Identity:
    """Generate an identity and keep it as this installation's secret (refuses to overwrite one)."""
    identity = x25519.Identity.generate()
    keystore.save_secret(key_dir, SECRET, str(identity).encode("ascii"))
    return identity


def ensure_identity(key_dir: Path) -> x25519.Identity:
    """This installation's identity, created first if it has none (init, or an older installation)."""
    identity = load_identity(key_dir)
    if identity is not None:
        return identity
    try:
        return create_identity(key_dir)
    except FileExistsError:  # another process made it meanwhile: use that one
        identity = load_identity(key_dir)
        if identity is None:
            raise
        return identity


def recipient_of(identity: x25519.Identity) -> str:
    """The ``age1…`` recipient to which others encrypt for ``identity``."""
    return str(identity.to_public())


# Recipients --------------------------------------------------------------------------------------

def is_recipient(text: str) -> bool:
    """Whether ``text`` is an X25519 age recipient (``age1…``)."""
    text = text.strip()
    if not text.startswith(RECIPIENT_PREFIX) or len(text) > MAX_RECIPIENT:
        return False
    try:
        x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        return False
    return True


def check_recipient(text: str) -> str:
    """``text`` as a recipient (spaces around it removed); ``ValueError`` (Japanese) if it is not one."""
    text = text.strip()
    if not text:
        raise ValueError("受信者（age1… で始まる暗号化用の公開鍵）を入力してください。")
    if not is_recipient(text):
        shown = text if len(text) <= 70 else text[:70] + "…"
        raise ValueError(
            f"「{shown}」は age の受信者ではありません。age1 で始まる 1 行（jcim-desktop key export --age や"
            "「設定」に表示されるもの、または age-keygen の「public key」）を指定してください。"
        )
    return text


def parse_recipients(text: str, source: str = "受信者ファイル") -> list[str]:
    """The recipients of a recipients file: one ``age1…`` a line; ``#`` comments and blank lines
    are ignored; duplicates kept once. ``ValueError`` (Japanese, naming ``source`` and the line)
    for a line that is not a recipient, or when there is none."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_recipient(line):
            shown = line if len(line) <= 70 else line[:70] + "…"
            raise ValueError(
                f"{source} の {number} 行目「{shown}」は age の受信者ではありません。"
                "1 行に 1 つ、age1 で始まる受信者を書いてください（# で始まる行と空行は無視されます）。"
            )
        if line not in found:
            found.append(line)
    if not found:
        raise ValueError(f"{source} に受信者（age1 で始まる行）が 1 つもありません。")
    return found


def read_recipients(path: Path | str) -> list[str]:
    """The recipients in the file ``path`` (as ``parse_recipients``); ``ValueError`` (Japanese)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"受信者ファイル {path} を読めません（{exc.strerror or exc}）。") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"受信者ファイル {path.name} は UTF-8 のテキストではありません。") from exc
    return parse_recipients(text, path.name)


# Encrypting and decrypting -----------------------------------------------------------------------

def is_encrypted(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an age file (binary or armoured)."""
    return head.startswith(HEADER) or head.lstrip().startswith(ARMOR_HEADER)


HEAD_SIZE = max(len(HEADER), len(ARMOR_HEADER)) + 16
"""How many first bytes ``is_encrypted`` needs."""


def encrypt(data: bytes | bytearray | memoryview, recipients: Iterable[str]) -> bytes:
    """``data`` encrypted to ``recipients`` (age binary format); ``ValueError`` for a bad recipient."""
    parsed = [x25519.Recipient.from_str(check_recipient(r)) for r in recipients]
    if not parsed:
        raise ValueError("暗号化の宛先（受信者）がありません。")
    return pyrage.encrypt(bytes(data), parsed)


def decrypt(data: bytes | bytearray | memoryview, identities: Sequence[x25519.Identity]) -> bytes:
    """The plaintext of an age file, in memory; ``NotForThisComputer`` when no identity opens it."""
    if not identities:
        raise NotForThisComputer(
            NOT_FOR_THIS_COMPUTER + "（この端末には暗号化用の鍵がありません）。" + _ASK_AGAIN
        )
    try:
        return pyrage.decrypt(bytes(data), list(identities))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise NotForThisComputer(NOT_FOR_THIS_COMPUTER + "。" + _ASK_AGAIN) from exc
        raise NotForThisComputer(
            NOT_FOR_THIS_COMPUTER + "（暗号化されたファイルを開けません。途中で壊れている可能性があります）。"
            "送り主に再送を依頼してください。",
            "bad_encryption",
        ) from exc


_ASK_AGAIN = (
    "送り主に、このパソコンの受信者（age1…。「設定」または jcim-desktop key export --age で確かめられます）"
    "宛てに暗号化し直してもらってください。"
)
