"""Ed25519 identity keys of an installation: generation, storage, key ids (SYNC_FORMAT §2)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jcim_desktop import keystore

PRIVATE_KEY_FILE = "installation_ed25519.pem"


def key_id(public_key_b64: str) -> str:
    """First 16 hex digits of the SHA-256 of the raw public key, grouped in fours."""
    raw = decode_public_key(public_key_b64)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def decode_public_key(public_key_b64: str) -> bytes:
    """The raw 32 bytes of a base64 public key; ``ValueError`` (Japanese) if it is not one."""
    try:
        raw = base64.b64decode(public_key_b64.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("公開鍵の形式が正しくありません（base64 で書かれた 32 バイトの鍵が必要です）。") from exc
    if len(raw) != 32:
        raise ValueError("公開鍵の長さが正しくありません（32 バイトの Ed25519 公開鍵が必要です）。")
    return raw


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(public_key_b64_text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(decode_public_key(public_key_b64_text))


def generate_private_key(key_dir: Path) -> Ed25519PrivateKey:
    """Create a key pair and keep the private key where this installation's secrets live
    (``keystore``: only the user can read it; refuses to overwrite)."""
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    keystore.save_secret(key_dir, "ed25519", pem)
    return private_key


def load_private_key(key_dir: Path) -> Ed25519PrivateKey:
    pem = keystore.load_secret(key_dir, "ed25519")
    if pem is None:
        raise FileNotFoundError(f"この端末の署名鍵がありません（{keystore.where(key_dir)}）。")
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("この端末の署名鍵が Ed25519 の秘密鍵ではありません。")
    return key
