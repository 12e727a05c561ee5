"""Protected private keys (issue 13, point 2): the signing key and the age identity live in the
operating system's credential store when there is one (an in-memory store is injected here;
the real one is never touched), in user-only files otherwise, and move from files into the
store at the first start that finds one."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import NEED
from jcim_desktop import keystore
from jcim_desktop.errors import UserError
from jcim_desktop.services import backups, records
from jcim_desktop.services.context import init_installation, open_app
from jcim_desktop.sync import age, keys
from memory_keyring import ForgetfulKeyring, LockedKeyring, MemoryKeyring, no_store, using

SECRET_FILES = ("installation_ed25519.pem", "installation_age.txt")


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    with using(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def without_store() -> Iterator[None]:
    with using(no_store()):
        yield


def _files(folder: Path) -> list[str]:
    return sorted(name for name in SECRET_FILES if (folder / "keys" / name).exists())


def _secrets(backend: MemoryKeyring) -> dict[str, str]:
    """The secrets in the store by their name (the part after the account)."""
    return {user.rsplit(":", 1)[1]: value for (service, user), value in backend.items.items()
            if service == keystore.SERVICE}


def test_a_new_installation_keeps_both_keys_in_the_store_and_no_file(store, tmp_path):
    ctx = init_installation("chugoku", tmp_path / "data")
    try:
        assert _files(ctx.data_dir) == []
        stored = _secrets(store)
        assert sorted(stored) == ["age", "ed25519"]
        assert stored["ed25519"].startswith("-----BEGIN PRIVATE KEY-----")
        assert stored["age"].startswith("AGE-SECRET-KEY-1")
        # The keys work from there: the signing key is the installation's, the age identity its recipient's.
        assert keys.public_key_b64(keys.load_private_key(ctx.key_dir)) == ctx.public_key
        identity = age.load_identity(ctx.key_dir)
        assert identity is not None and age.decrypt(age.encrypt(b"x", [age.recipient_of(identity)]), [identity]) == b"x"
        assert keystore.is_protected(ctx.key_dir)
        assert keystore.where(ctx.key_dir) == keystore.STORE_TEXT
        assert "Windows 資格情報マネージャー" in keystore.where(ctx.key_dir)
    finally:
        ctx.close()


def test_without_a_store_the_keys_are_files_only_the_user_can_read(without_store, tmp_path):
    ctx = init_installation("chugoku", tmp_path / "data")
    try:
        assert _files(ctx.data_dir) == sorted(SECRET_FILES)
        if os.name == "posix":
            for name in SECRET_FILES:
                assert stat.S_IMODE((ctx.key_dir / name).stat().st_mode) == 0o600
            assert stat.S_IMODE(ctx.key_dir.stat().st_mode) == 0o700
        assert not keystore.is_protected(ctx.key_dir)
        assert keystore.where(ctx.key_dir) == f"ファイル（{ctx.key_dir}、この利用者だけが読めます）"
    finally:
        ctx.close()


def test_keys_kept_in_files_move_into_the_store_at_the_first_start_that_has_one(tmp_path):
    with using(no_store()):
        ctx = init_installation("chugoku", tmp_path / "data")
        public_key, key_dir = ctx.public_key, ctx.key_dir
        ctx.close()
    before = {name: (key_dir / name).read_bytes() for name in SECRET_FILES}
    with using(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        # Looking for a store is slow where there is none: a command asks once a day …
        ctx = open_app(tmp_path / "data")
        ctx.close()
        assert _files(tmp_path / "data") == sorted(SECRET_FILES)
        (key_dir / keystore.NO_STORE_FILE).write_text("2000-01-01\n", encoding="utf-8")  # … a day later:
        ctx = open_app(tmp_path / "data")
        try:
            assert _files(ctx.data_dir) == []
            stored = _secrets(backend)
            assert stored["ed25519"].encode() == before["installation_ed25519.pem"]
            assert stored["age"].encode() == before["installation_age.txt"]
            assert keys.public_key_b64(keys.load_private_key(key_dir)) == public_key == ctx.public_key
            assert keystore.is_protected(key_dir)
        finally:
            ctx.close()
        # Started again: nothing more to move, the same keys.
        calls = len(backend.items)
        open_app(tmp_path / "data").close()
        assert len(backend.items) == calls


def test_a_file_stays_when_the_store_does_not_give_the_key_back(tmp_path):
    with using(no_store()):
        init_installation("chugoku", tmp_path / "data").close()
    with using(ForgetfulKeyring()):
        ctx = open_app(tmp_path / "data")
        try:
            assert _files(ctx.data_dir) == sorted(SECRET_FILES)
            assert keys.public_key_b64(keys.load_private_key(ctx.key_dir)) == ctx.public_key
            assert not keystore.is_protected(ctx.key_dir)
        finally:
            ctx.close()


def test_old_key_files_stay_readable_where_there_is_no_store(without_store, tmp_path):
    ctx = init_installation("chugoku", tmp_path / "data")
    ctx.close()
    ctx = open_app(tmp_path / "data")  # and again: nothing moved, nothing lost
    try:
        assert _files(ctx.data_dir) == sorted(SECRET_FILES)
        assert keys.public_key_b64(keys.load_private_key(ctx.key_dir)) == ctx.public_key
    finally:
        ctx.close()


def test_a_locked_store_is_never_taken_for_a_missing_key(tmp_path):
    with using(MemoryKeyring()) as backend:
        init_installation("chugoku", tmp_path / "data").close()
        stored = dict(backend.items)
    folder = tmp_path / "data"
    with using(LockedKeyring()):
        with pytest.raises(keystore.KeystoreError) as caught:
            keys.load_private_key(folder / "keys")
        assert "資格情報ストア" in caught.value.message and "ロック" in caught.value.message
        # init does not make a second installation over it, and a fresh start makes no new key.
        (folder / "jcim.sqlite3").unlink()
        with pytest.raises(UserError):
            init_installation("chugoku", folder)
        with pytest.raises(UserError) as refused:
            backups.start_fresh(folder)
        assert "鍵" in refused.value.message and "データベースは変更していません" in refused.value.message
    assert _files(folder) == []
    with using(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        backend.items.update(stored)
        started = backups.start_fresh(folder)
        try:
            assert not started.new_key and backend.items == stored  # the same key, nothing added
        finally:
            started.ctx.close()


def test_keys_in_the_store_that_cannot_be_reached_are_said_so(tmp_path):
    with using(MemoryKeyring()):
        init_installation("chugoku", tmp_path / "data").close()
    with using(no_store()):
        with pytest.raises(keystore.KeystoreError) as caught:
            keys.load_private_key(tmp_path / "data" / "keys")
        assert "資格情報ストアを使えません" in caught.value.message


def test_a_key_is_never_overwritten(store, tmp_path):
    ctx = init_installation("chugoku", tmp_path / "data")
    ctx.close()
    stored = dict(store.items)
    with pytest.raises(FileExistsError):
        keystore.save_secret(ctx.key_dir, "ed25519", b"-----BEGIN PRIVATE KEY-----\nother\n")
    with pytest.raises(UserError, match="既に初期化されています"):
        init_installation("chugoku", tmp_path / "data")
    assert store.items == stored


def test_a_copied_data_folder_finds_the_same_keys_in_the_store(store, tmp_path):
    ctx = init_installation("chugoku", tmp_path / "data")
    ctx.close()
    shutil.copytree(tmp_path / "data", tmp_path / "moved")
    copy = open_app(tmp_path / "moved")
    try:
        assert keys.public_key_b64(keys.load_private_key(copy.key_dir)) == ctx.public_key
    finally:
        copy.close()


def test_backup_restore_and_a_fresh_start_keep_using_the_key_in_the_store(store, tmp_path):
    folder = tmp_path / "data"
    ctx = init_installation("chugoku", folder)
    public_key = ctx.public_key
    records.create(ctx, "needs", NEED)
    backup = backups.take_backup(ctx)
    ctx.close()
    stored = dict(store.items)

    restored = backups.restore(folder, backup.path)  # checks the backup against this installation's key
    assert restored.backup is not None
    (folder / "jcim.sqlite3").write_bytes(b"damaged")
    started = backups.start_fresh(folder)
    try:
        assert not started.new_key and started.ctx.public_key == public_key
        assert store.items == stored and _files(folder) == []
    finally:
        started.ctx.close()


def test_a_secret_can_be_deleted_from_the_store(store, tmp_path):
    key_dir = tmp_path / "keys"
    keystore.save_secret(key_dir, "age", b"AGE-SECRET-KEY-1TEST")
    assert keystore.has_secret(key_dir, "age") and _secrets(store) == {"age": "AGE-SECRET-KEY-1TEST"}
    keystore.delete_secret(key_dir, "age")
    assert not keystore.has_secret(key_dir, "age") and store.items == {}
    assert keystore.load_secret(key_dir, "age") is None


def test_the_window_looks_for_the_store_at_every_start(tmp_path):
    with using(no_store()):
        ctx = init_installation("chugoku", tmp_path / "data")
        key_dir = ctx.key_dir
        ctx.close()
        assert keystore.protect(key_dir) == []  # checked today already: not asked again
        assert keystore.protect(key_dir, retry=True) == []  # asked, and still none
    with using(MemoryKeyring()):
        assert keystore.protect(key_dir) == []
        assert sorted(keystore.protect(key_dir, retry=True)) == ["age", "ed25519"]
        assert _files(tmp_path / "data") == [] and keystore.is_protected(key_dir)
