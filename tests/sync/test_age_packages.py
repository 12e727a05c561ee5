"""Encrypted packages (SYNC_FORMAT §7): a package with contacts travels encrypted with age to the
secretariat; only the recipient can open it; the age command-line tool reads what the app writes
and the app reads what the tool writes; an installation made before gets its identity at first
start; the secretariat's recipient arrives with its national package."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import code, content
from jcim_desktop import keystore
from jcim_desktop.cli import main
from jcim_desktop.errors import UserError
from jcim_desktop.services import encryption, records, sync
from jcim_desktop.services.context import KEY_DIR_NAME, open_app
from jcim_desktop.store.models import AgeRecipient, ReceivedPackage
from jcim_desktop.sync import age

NOT_FOR_US = "このパッケージはこのパソコン宛てに暗号化されていません"
CONTACT = {"name": "瀬戸内 花子", "department": "道路維持課", "email": "hanako.setouchi@city.example.jp",
           "phone": "084-928-1234"}
SEED_CONTACT = {"name": "備後 一郎", "department": "営業部", "email": "ichiro.bingo@tech.example.co.jp",
                "phone": "03-5555-0199"}
PLAINTEXTS = [v for c in (CONTACT, SEED_CONTACT) for v in c.values()]


def _age_tool() -> str:
    tool = shutil.which("age")
    assert tool, "the age command-line tool is needed (.ci/run installs the Debian package 'age')"
    return tool


@pytest.fixture
def pair(make_ctx):
    """A forum whose need and seed have contacts, and the secretariat that trusts it and whose
    recipient the forum knows."""
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    records.create(forum, "needs", {"lg_code": code("福山市"), "title": "橋梁点検の省力化", "facility_types": ["bridge"],
                                    "requirements": "足場なしで点検したい", "received_on": "2024-05-10",
                                    "status": "open", "contact": CONTACT})
    records.create(forum, "seeds", {"company": "備後テック株式会社", "tech_name": "ドローン点検", "summary": "近接目視の代替",
                                    "facility_types": ["bridge"], "contact": SEED_CONTACT})
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    encryption.add_recipient(forum, encryption.own_recipient(secretariat), org="secretariat")
    return forum, secretariat


def _export_encrypted(forum, out: Path) -> sync.ExportResult:
    return sync.export_package(forum, out, include_contacts=True, encrypt_to=encryption.default_recipients(forum))


def _received(ctx) -> int:
    with ctx.db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ReceivedPackage)).scalar_one())


def _identity_file(ctx, folder: Path) -> Path:
    """The installation's identity as an age identity file (what ``identity export`` would give a
    person; written here from the keystore for the test)."""
    path = folder / "identity.txt"
    path.write_bytes(keystore.load_secret(ctx.key_dir, "age"))
    os.chmod(path, 0o600)
    return path


# What the file holds -----------------------------------------------------------------------------

def test_an_encrypted_package_never_holds_a_contact_in_its_bytes_not_even_compressed(pair, tmp_path):
    forum, secretariat = pair
    out = tmp_path / "out"
    out.mkdir()
    result = _export_encrypted(forum, out / "中国.jcimsync.age")
    assert result.includes_contacts and result.encrypted_to == (encryption.own_recipient(secretariat),)
    blob = result.path.read_bytes()
    assert blob.startswith(b"age-encryption.org/v1\n-> X25519 ")
    assert [p.name for p in out.iterdir()] == ["中国.jcimsync.age"]  # no plaintext or temporary file left

    # Decrypted, it is the signed zip with the contacts in it …
    plain = age.decrypt(blob, encryption.identities(secretariat))
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        needs = zf.read("records/needs.jsonl").decode()
        seeds = zf.read("records/seeds.jsonl").decode()
        compressed = []
        for info in zf.infolist():
            start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
            compressed.append(plain[start:start + info.compress_size])
    assert all(text in needs + seeds for text in PLAINTEXTS)

    # … but no contact is in the file's bytes: not as UTF-8, not as UTF-16, not deflated.
    for text in PLAINTEXTS:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "shift_jis" if not text.isascii() else "ascii"):
            assert text.encode(encoding) not in blob, (text, encoding)
    for name in ("records/needs.jsonl", "manifest.json", "manifest.sig"):
        assert name.encode() not in blob
    assert b"PK\x03\x04" not in blob
    for data in compressed:
        for start in range(0, max(len(data) - 16, 1), 16):
            assert data[start:start + 16] not in blob


def test_the_manifest_carries_the_writer_recipient(pair, tmp_path):
    forum, secretariat = pair
    checked = sync.check_package(secretariat, _export_encrypted(forum, tmp_path / "p.jcimsync.age").path)
    assert checked.encrypted
    assert checked.manifest.age_recipient == encryption.own_recipient(forum)


# Importing ---------------------------------------------------------------------------------------

def test_the_recipient_imports_and_merges_the_contacts(pair, tmp_path):
    forum, secretariat = pair
    path = _export_encrypted(forum, tmp_path / "p.jcimsync.age").path
    (outcome,) = sync.import_packages(secretariat, [path])
    assert outcome.status == "accepted", outcome.reason
    assert outcome.counts.inserted == 2
    (need,) = records.list_records(secretariat, "needs")
    (seed,) = records.list_records(secretariat, "seeds")
    assert need.data["contact"]["email"] == CONTACT["email"] and seed.data["contact"]["phone"] == SEED_CONTACT["phone"]
    # The forum's recipient is now known at the secretariat (for packages back to it).
    assert encryption.own_recipient(forum) in [r.recipient for r in encryption.list_recipients(secretariat)]


def test_an_installation_it_was_not_encrypted_to_rejects_it_and_writes_nothing(pair, make_ctx, tmp_path):
    forum, _ = pair
    other = make_ctx("secretariat", "other-secretariat")
    sync.add_trust(other, forum.public_key, ["chugoku"])
    path = _export_encrypted(forum, tmp_path / "p.jcimsync.age").path
    before = content(other)
    (outcome,) = sync.import_packages(other, [path])
    assert outcome.status == "rejected" and outcome.code == "not_for_this_computer"
    assert outcome.reason.startswith(NOT_FOR_US)
    assert outcome.counts.inserted == outcome.counts.updated == 0
    assert content(other) == before
    assert _received(other) == 0 and records.count_records(other, "needs") == 0
    with pytest.raises(sync.PackageRejected) as refused:
        sync.check_package(other, path)
    assert refused.value.message.startswith(NOT_FOR_US)


def test_a_damaged_encrypted_package_is_rejected_with_the_section7_reason(pair, tmp_path):
    forum, secretariat = pair
    path = _export_encrypted(forum, tmp_path / "p.jcimsync.age").path
    cut = tmp_path / "cut.jcimsync.age"
    cut.write_bytes(path.read_bytes()[:-100])
    before = content(secretariat)
    (outcome,) = sync.import_packages(secretariat, [cut])
    assert outcome.status == "rejected" and outcome.reason.startswith(NOT_FOR_US)
    assert "壊れて" in outcome.reason
    assert content(secretariat) == before


def test_encryption_is_recognised_by_its_header_not_by_its_name(pair, tmp_path):
    forum, secretariat = pair
    encrypted = _export_encrypted(forum, tmp_path / "named-plainly.jcimsync").path
    plain = sync.export_package(forum, tmp_path / "named-encrypted.jcimsync.age").path
    outcomes = sync.import_packages(secretariat, [encrypted, plain])
    assert [o.status for o in outcomes] == ["accepted", "accepted"], [o.reason for o in outcomes]


# The age command-line tool, both ways ------------------------------------------------------------

def test_age_decrypts_the_app_package_with_the_installation_identity(pair, tmp_path):
    forum, secretariat = pair
    path = _export_encrypted(forum, tmp_path / "p.jcimsync.age").path
    identity = _identity_file(secretariat, tmp_path)
    opened = tmp_path / "opened.jcimsync"
    subprocess.run([_age_tool(), "-d", "-i", str(identity), "-o", str(opened), str(path)], check=True, timeout=60)
    with zipfile.ZipFile(opened) as zf:
        assert set(zf.namelist()) == {"manifest.json", "manifest.sig", "records/needs.jsonl", "records/seeds.jsonl"}
        assert CONTACT["email"] in zf.read("records/needs.jsonl").decode()
    (outcome,) = sync.import_packages(secretariat, [opened])  # a valid, signed .jcimsync
    assert outcome.status == "accepted" and outcome.counts.inserted == 2, outcome.reason


def test_the_app_imports_a_package_age_encrypted_to_its_recipient(pair, tmp_path):
    forum, secretariat = pair
    plain = sync.export_package(forum, tmp_path / "plain.jcimsync", include_contacts=True).path
    recipient = encryption.export_recipient(secretariat, tmp_path / "secretariat.age.pub")
    binary = tmp_path / "by-age.jcimsync.age"
    armoured = tmp_path / "by-age-armoured.jcimsync.age"
    subprocess.run([_age_tool(), "-r", encryption.own_recipient(secretariat), "-o", str(binary), str(plain)],
                   check=True, timeout=60)
    subprocess.run([_age_tool(), "-a", "-R", str(recipient), "-o", str(armoured), str(plain)], check=True, timeout=60)
    plain.unlink()
    outcomes = sync.import_packages(secretariat, [binary, armoured])
    assert [o.status for o in outcomes] == ["accepted", "accepted"], [o.reason for o in outcomes]
    assert outcomes[0].counts.inserted == 2 and outcomes[1].counts.unchanged == 2
    assert records.list_records(secretariat, "needs")[0].data["contact"]["name"] == CONTACT["name"]


def test_age_refuses_the_package_without_the_identity(pair, make_ctx, tmp_path):
    """What the app writes is really age: another identity does not open it, in the tool either."""
    forum, _ = pair
    path = _export_encrypted(forum, tmp_path / "p.jcimsync.age").path
    stranger = _identity_file(make_ctx("kinki"), tmp_path)
    result = subprocess.run([_age_tool(), "-d", "-i", str(stranger), str(path)], capture_output=True, timeout=60)
    assert result.returncode != 0 and not result.stdout


# Identity and recipients -------------------------------------------------------------------------

def test_init_creates_an_age_identity_beside_the_signing_key(forum):
    identity = age.load_identity(forum.key_dir)
    assert identity is not None
    assert encryption.own_recipient(forum) == str(identity.to_public())
    assert encryption.own_recipient(forum).startswith("age1")


def test_an_installation_made_before_gets_an_identity_at_first_open(make_ctx):
    ctx = make_ctx("kinki")
    folder = ctx.data_dir
    ctx.close()
    keystore.delete_secret(folder / KEY_DIR_NAME, "age")  # as an installation made before §7
    assert not keystore.has_secret(folder / KEY_DIR_NAME, "age")
    reopened = open_app(folder)
    try:
        assert keystore.has_secret(folder / KEY_DIR_NAME, "age")
        first = encryption.own_recipient(reopened)
    finally:
        reopened.close()
    again = open_app(folder)  # and keeps it
    try:
        assert encryption.own_recipient(again) == first
    finally:
        again.close()


def test_the_secretariat_recipient_arrives_with_its_national_package(make_ctx, tmp_path):
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    assert encryption.default_recipients(forum) == []
    national = sync.export_package(secretariat, tmp_path / "national.jcimsync", scope="national").path
    sync.add_trust(forum, secretariat.public_key, [sync.ALL_ORGS])
    (outcome,) = sync.import_packages(forum, [national])
    assert outcome.status == "accepted", outcome.reason
    (known,) = encryption.list_recipients(forum)
    assert known.recipient == encryption.own_recipient(secretariat)
    assert known.org == "secretariat" and known.source == "package" and not known.by_hand
    assert encryption.default_recipients(forum) == [known.recipient]
    # Importing it again keeps one row.
    sync.import_packages(forum, [national])
    with forum.reading() as session:
        assert len(session.scalars(select(AgeRecipient)).all()) == 1


def test_recipients_added_by_hand(forum, secretariat):
    added = encryption.add_recipient(forum, "  " + encryption.own_recipient(secretariat) + "\n", org="secretariat")
    assert added.by_hand and added.org == "secretariat"
    assert encryption.default_recipients(forum) == [added.recipient]
    with pytest.raises(UserError, match="この端末自身の受信者"):
        encryption.add_recipient(forum, encryption.own_recipient(forum))
    with pytest.raises(UserError, match="age の受信者ではありません"):
        encryption.add_recipient(forum, "age1notarecipient")
    encryption.remove_recipient(forum, added.recipient)
    assert encryption.default_recipients(forum) == []


def test_a_recipients_file_ignores_comments_and_names_a_bad_line(tmp_path):
    one, two = (str(age.recipient_of(age.create_identity(tmp_path / f"k{i}"))) for i in (1, 2))
    good = tmp_path / "recipients.txt"
    good.write_text(f"# 事務局\n\n{one}\n  {two}  \n# 2台目\n{one}\n", encoding="utf-8")
    assert encryption.read_recipients_file(good) == [one, two]
    bad = tmp_path / "bad.txt"
    bad.write_text(f"# 事務局\n{one}\nssh-ed25519 AAAA…\n", encoding="utf-8")
    with pytest.raises(UserError) as refused:
        encryption.read_recipients_file(bad)
    assert "bad.txt の 3 行目「ssh-ed25519 AAAA…」は age の受信者ではありません" in refused.value.message
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(UserError, match="1 つもありません"):
        encryption.read_recipients_file(empty)


# The command line (SYNC_FORMAT §6) ---------------------------------------------------------------

def test_key_export_age_writes_the_recipient_age_encrypts_to(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["init", "--org", "secretariat", "--data-dir", data]) == 0
    out = tmp_path / "secretariat.age.pub"
    assert main(["key", "export", "--age", "--out", str(out), "--data-dir", data]) == 0
    text = out.read_text(encoding="ascii")
    assert text.endswith("\n") and text.count("\n") == 1 and text.startswith("age1")
    assert age.is_recipient(text.strip())
    assert text.strip() in capsys.readouterr().err
    # The age tool accepts it as a recipient, and the installation opens what it encrypted.
    plain = tmp_path / "hello.txt"
    plain.write_text("hello", encoding="utf-8")
    encrypted = tmp_path / "hello.age"
    subprocess.run([_age_tool(), "-R", str(out), "-o", str(encrypted), str(plain)], check=True, timeout=60)
    ctx = open_app(data)
    try:
        assert age.decrypt(encrypted.read_bytes(), encryption.identities(ctx)) == b"hello"
    finally:
        ctx.close()


def test_export_encrypt_to_and_import_on_the_command_line(tmp_path, capsys):
    forum, sec, other = (str(tmp_path / n) for n in ("forum", "sec", "other"))
    assert main(["init", "--org", "chugoku", "--data-dir", forum]) == 0
    assert main(["init", "--org", "secretariat", "--data-dir", sec]) == 0
    assert main(["init", "--org", "secretariat", "--data-dir", other]) == 0
    ctx = open_app(forum)
    try:
        records.create(ctx, "needs", {"lg_code": code("福山市"), "title": "橋梁点検", "facility_types": ["bridge"],
                                      "requirements": "安価に", "received_on": "2024-05-10", "status": "open",
                                      "contact": CONTACT})
    finally:
        ctx.close()
    for folder in (sec, other):
        assert main(["key", "export", "--out", str(tmp_path / "forum.pub"), "--data-dir", forum]) == 0
        assert main(["trust", "add", "--org", "chugoku", str(tmp_path / "forum.pub"), "--data-dir", folder]) == 0
    recipients = tmp_path / "recipients.txt"
    assert main(["key", "export", "--age", "--out", str(recipients), "--data-dir", sec]) == 0
    capsys.readouterr()

    # A bad line: refused before anything is written or numbered.
    bad = tmp_path / "bad.txt"
    bad.write_text(recipients.read_text() + "not-a-recipient\n", encoding="utf-8")
    assert main(["export", "--out", str(tmp_path / "x.jcimsync.age"), "--include-contacts", "--encrypt-to", str(bad),
                 "--data-dir", forum]) == 1
    assert "bad.txt の 2 行目「not-a-recipient」は age の受信者ではありません" in capsys.readouterr().err
    assert not (tmp_path / "x.jcimsync.age").exists()

    out = tmp_path / "chugoku.jcimsync.age"
    assert main(["export", "--out", str(out), "--include-contacts", "--encrypt-to", str(recipients),
                 "--data-dir", forum]) == 0
    err = capsys.readouterr().err
    assert "第1号" in err and "暗号化しました" in err and "注意" not in err
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")

    assert main(["import", str(out), "--format", "json", "--data-dir", other]) == 1
    captured = capsys.readouterr()
    assert NOT_FOR_US in captured.err
    assert '"status": "rejected"' in captured.out and NOT_FOR_US in captured.out
    assert main(["import", str(out), "--format", "json", "--data-dir", sec]) == 0
    assert '"status": "accepted"' in capsys.readouterr().out

    # OUT is OUT (§6), whatever its name; the note says how an encrypted package's name ends.
    named = tmp_path / "chugoku-2.jcimsync"
    assert main(["export", "--out", str(named), "--include-contacts", "--encrypt-to", str(recipients),
                 "--data-dir", forum]) == 0
    assert ".jcimsync.age で終える" in capsys.readouterr().err
    assert named.read_bytes().startswith(b"age-encryption.org/v1\n")
    # Contacts without encryption: written, with a note on how to encrypt.
    assert main(["export", "--out", str(tmp_path / "plain.jcimsync"), "--include-contacts", "--data-dir", forum]) == 0
    assert "暗号化せずに" in capsys.readouterr().err


def test_key_add_recipient_on_the_command_line(tmp_path, capsys):
    forum, sec = str(tmp_path / "forum"), str(tmp_path / "sec")
    assert main(["init", "--org", "chugoku", "--data-dir", forum]) == 0
    assert main(["init", "--org", "secretariat", "--data-dir", sec]) == 0
    recipient = tmp_path / "sec.age.pub"
    assert main(["key", "export", "--age", "--out", str(recipient), "--data-dir", sec]) == 0
    assert main(["key", "add-recipient", str(recipient), "--org", "secretariat", "--data-dir", forum]) == 0
    assert "事務局" in capsys.readouterr().err
    ctx = open_app(forum)
    try:
        assert encryption.default_recipients(ctx) == [recipient.read_text().strip()]
    finally:
        ctx.close()
