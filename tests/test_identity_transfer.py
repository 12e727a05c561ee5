"""Moving an installation to a new laptop (issue 13, point 2): ``identity export`` writes the
installation's keys in one passphrase-encrypted age file; ``identity import`` on the new laptop
starts the same org with the same keys; with the old laptop's newest backup restored, its
records are back. The credential store is an in-memory one (never the real store)."""

from __future__ import annotations

import json
import os
import select
import shutil
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyrage
import pytest

from helpers import NEED
from jcim_desktop.cli import main
from jcim_desktop.services import backups, records
from jcim_desktop.services.context import open_app
from jcim_desktop.sync import age, keys
from memory_keyring import MemoryKeyring, using

PASSPHRASE = "いつもの長い合言葉 2024"


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    with using(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def old(store, tmp_path, capsys, monkeypatch) -> Path:
    """The old laptop's data folder, with one need; the passphrase comes from the environment."""
    monkeypatch.setenv("JCIM_DESKTOP_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "old"
    assert main(["--data-dir", str(folder), "init", "--org", "chugoku", "--user", "中国 太郎"]) == 0
    ctx = open_app(folder)
    try:
        records.create(ctx, "needs", NEED)
    finally:
        ctx.close()
    capsys.readouterr()
    return folder


def _identity(folder: Path) -> tuple[str, str, str, str]:
    """(installation id, org, public key, age recipient) of a data folder."""
    ctx = open_app(folder)
    try:
        identity = age.load_identity(ctx.key_dir)
        assert identity is not None
        assert keys.public_key_b64(keys.load_private_key(ctx.key_dir)) == ctx.public_key
        return ctx.installation_id, ctx.org, ctx.public_key, age.recipient_of(identity)
    finally:
        ctx.close()


def _titles(folder: Path) -> list[str]:
    ctx = open_app(folder)
    try:
        return sorted(r.data["title"] for r in records.list_records(ctx, "needs", records.Query()))
    finally:
        ctx.close()


def test_the_identity_moves_to_a_new_folder_with_the_same_keys(old, store, tmp_path, capsys):
    export = tmp_path / "jcim-identity.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    err = capsys.readouterr().err
    old_id, org, public_key, recipient = _identity(old)
    assert "鍵を書き出しました" in err and keys.key_id(public_key) in err
    # The file is age, to a passphrase: no key in it can be read without it.
    raw = export.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert b"PRIVATE KEY" not in raw and b"AGE-SECRET-KEY" not in raw

    new = tmp_path / "new"
    assert main(["identity", "import", str(export), "--data-dir", str(new), "--user", "中国 太郎"]) == 0
    err = capsys.readouterr().err
    new_id, new_org, new_public_key, new_recipient = _identity(new)
    assert (new_org, new_public_key, new_recipient) == (org, public_key, recipient)
    assert keys.key_id(new_public_key) in err and "backup restore" in err and old_id in err
    # A new installation id (its counters start again), as after a restore.
    assert new_id != old_id and new_id in err
    # The keys went into the credential store, not into files.
    assert not (new / "keys" / keys.PRIVATE_KEY_FILE).exists() and not (new / "keys" / "installation_age.txt").exists()
    assert sum(1 for (_, user) in store.items if user.endswith(":ed25519")) == 2  # old and new folder

    # The old laptop's newest backup restores here (the key matches) and its records are back.
    assert _titles(new) == []
    ctx = open_app(old)
    try:
        backup = backups.take_backup(ctx)
    finally:
        ctx.close()
    carried = shutil.copy(backup.path, tmp_path / backup.path.name)
    assert main(["--data-dir", str(new), "backup", "restore", str(carried)]) == 0
    assert _titles(new) == [NEED["title"]]
    assert _identity(new)[2] == public_key


def test_a_wrong_passphrase_writes_nothing(old, tmp_path, monkeypatch, capsys, store):
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    capsys.readouterr()
    stored = dict(store.items)
    monkeypatch.setenv("JCIM_DESKTOP_PASSPHRASE", "まちがった合言葉です")
    new = tmp_path / "new"
    assert main(["identity", "import", str(export), "--data-dir", str(new)]) == 1
    err = capsys.readouterr().err
    assert "パスフレーズが違う" in err and "何も変更していません" in err and "Traceback" not in err
    assert not new.exists() and store.items == stored


def test_a_file_that_is_not_an_export_is_refused(old, tmp_path, capsys):
    other = tmp_path / "other.age"
    other.write_bytes(pyrage.passphrase.encrypt(b'{"format": "something"}', PASSPHRASE))
    plain = tmp_path / "plain.txt"
    plain.write_text("hello", encoding="utf-8")
    for file in (other, plain):
        assert main(["identity", "import", str(file), "--data-dir", str(tmp_path / "new")]) == 1
        assert "鍵の書き出しファイル" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(("passphrase", "said"), [("", "パスフレーズが入力されていません"),
                                                  ("short", "パスフレーズが短すぎます")])
def test_an_empty_or_short_passphrase_is_refused(old, tmp_path, monkeypatch, capsys, passphrase, said):
    monkeypatch.setenv("JCIM_DESKTOP_PASSPHRASE", passphrase)
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 1
    err = capsys.readouterr().err
    assert said in err and "8 文字以上" in err
    assert not export.exists()


def test_the_passphrase_is_typed_twice_on_the_terminal(old, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("JCIM_DESKTOP_PASSPHRASE")
    typed = iter([PASSPHRASE, PASSPHRASE + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 1
    assert "一致しません" in capsys.readouterr().err and not export.exists()

    typed = iter([PASSPHRASE, PASSPHRASE, PASSPHRASE])
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    assert main(["identity", "import", str(export), "--data-dir", str(tmp_path / "new")]) == 0  # asked once
    assert next(typed, None) is None
    assert _identity(tmp_path / "new")[2] == _identity(old)[2]


def test_import_refuses_a_folder_already_in_use(old, tmp_path, capsys, store):
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    capsys.readouterr()
    stored = dict(store.items)
    before = _identity(old)
    assert main(["identity", "import", str(export), "--data-dir", str(old)]) == 1
    err = capsys.readouterr().err
    assert "既にデータベースがあります" in err and "--data-dir" in err
    assert _identity(old) == before and store.items == stored


def _opened(export: Path) -> tuple[dict, list[str]]:
    """What an export holds, opened with the passphrase alone: (the document in its comment line,
    the identity lines)."""
    text = pyrage.passphrase.decrypt(export.read_bytes(), PASSPHRASE).decode("ascii")
    lines = text.splitlines()
    assert lines[0].startswith("# jcim-identity: ")
    return json.loads(lines[0].removeprefix("# jcim-identity: ")), [x for x in lines if not x.startswith("#")]


def test_the_export_opens_with_the_passphrase_alone(old, tmp_path):
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    installation_id, org, public_key, recipient = _identity(old)
    data, identities = _opened(export)
    assert (data["format"], data["installation_id"], data["org"], data["public_key"], data["age_recipient"]) == (
        "jcim-identity", installation_id, org, public_key, recipient)
    assert data["ed25519_private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    # Its plaintext is an age identity file: comments and the one identity of this installation.
    assert len(identities) == 1 and identities[0].startswith("AGE-SECRET-KEY-1")
    assert age.recipient_of(pyrage.x25519.Identity.from_str(identities[0])) == recipient


def test_an_export_of_the_first_format_still_imports(old, tmp_path, capsys):
    """Version 1 held the JSON document alone (with the identity in it)."""
    installation_id, org, public_key, recipient = _identity(old)
    ctx = open_app(old)
    try:
        identity = str(age.load_identity(ctx.key_dir))
        pem = keys.load_private_key(ctx.key_dir)
    finally:
        ctx.close()
    from cryptography.hazmat.primitives import serialization
    document = {"format": "jcim-identity", "format_version": 1, "installation_id": installation_id, "org": org,
                "public_key": public_key, "age_identity": identity, "age_recipient": recipient,
                "ed25519_private_key": pem.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()).decode("ascii")}
    export = tmp_path / "v1.age"
    export.write_bytes(pyrage.passphrase.encrypt(json.dumps(document).encode("utf-8"), PASSPHRASE))
    new = tmp_path / "new"
    assert main(["identity", "import", str(export), "--data-dir", str(new)]) == 0
    assert _identity(new)[1:] == (org, public_key, recipient)


def _age_on_a_terminal(args: list[str], passphrase: str) -> int:
    """Run ``age ARGS`` on a pseudo-terminal (age reads a passphrase only from one) and type
    ``passphrase`` when it asks."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: age, with the pseudo-terminal as its terminal
        os.execvp("age", ["age", *args])
    seen, typed = b"", False
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child has gone
                break
            if not chunk:
                break
            seen += chunk
            if not typed and b"passphrase" in seen.lower():
                os.write(fd, passphrase.encode("utf-8") + b"\n")
                typed = True
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(shutil.which("age") is None or sys.platform == "win32",
                    reason="needs the age tool and a pseudo-terminal")
def test_the_age_tool_opens_the_export_with_the_passphrase(old, tmp_path):
    export = tmp_path / "id.age"
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    out = tmp_path / "opened.txt"
    assert _age_on_a_terminal(["-d", "-o", str(out), str(export)], PASSPHRASE) == 0
    first = out.read_text(encoding="ascii").splitlines()[0]
    assert json.loads(first.removeprefix("# jcim-identity: "))["public_key"] == _identity(old)[2]


@pytest.mark.skipif(shutil.which("age") is None or sys.platform == "win32",
                    reason="needs the age tool and a pseudo-terminal")
def test_age_opens_the_installation_package_with_its_exported_identity(old, tmp_path, capsys):
    """What the README tells a user: the export file is itself the identity for ``age -d -i``
    (age asks its passphrase), and it opens the packages encrypted to this installation."""
    contact = {"name": "瀬戸内 花子", "department": "道路維持課", "email": "hanako.setouchi@city.example.jp", "phone": None}
    ctx = open_app(old)
    try:
        records.create(ctx, "needs", {**NEED, "title": "側溝の点検", "contact": contact})
    finally:
        ctx.close()
    recipients = tmp_path / "recipients.txt"
    export, package = tmp_path / "jcim-identity.age", tmp_path / "chugoku.jcimsync.age"
    assert main(["--data-dir", str(old), "key", "export", "--age", "--out", str(recipients)]) == 0
    assert main(["--data-dir", str(old), "export", "--out", str(package), "--include-contacts",
                 "--encrypt-to", str(recipients)]) == 0
    assert main(["--data-dir", str(old), "identity", "export", "--out", str(export)]) == 0
    assert contact["email"].encode("utf-8") not in package.read_bytes()

    opened = tmp_path / "chugoku.jcimsync"
    assert _age_on_a_terminal(["-d", "-i", str(export), "-o", str(opened), str(package)], PASSPHRASE) == 0
    with zipfile.ZipFile(opened) as archive:
        needs = [orjson.loads(line) for line in archive.read("records/needs.jsonl").splitlines()]
    assert [n["data"].get("contact") for n in sorted(needs, key=lambda n: n["data"]["title"])] == [contact, None]

    # A wrong passphrase opens nothing.
    opened.unlink()
    assert _age_on_a_terminal(["-d", "-i", str(export), "-o", str(opened), str(package)], "違う合言葉です 12345") != 0
    assert not opened.exists() or opened.stat().st_size == 0
