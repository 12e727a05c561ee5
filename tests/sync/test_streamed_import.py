"""A package is checked in one streaming pass and merged in batches inside one transaction
(issue 14 point 1): memory does not grow with the package, and every rule of SYNC_FORMAT §2
still holds — all or nothing, even when what is wrong comes after many batches were merged."""

from __future__ import annotations

import hashlib
import shutil
import time
import uuid

import pytest
from sqlalchemy import text

from handmade import key_of, line, write
from helpers import code, content
from jcim_desktop.services import sync
from jcim_desktop.sync import package as package_module
from jcim_desktop.sync.package import PackageRejected

NOW_MS = time.time_ns() // 1_000_000


def need_env(sender, n: int, **data_over: object) -> dict:
    data = {"lg_code": code("福山市"), "title": f"橋梁点検 {n}", "facility_types": ["bridge"], "requirements": "安価に",
            "received_on": "2024-05-10", "status": "open", **data_over}
    return {"id": str(uuid.uuid4()), "owner": sender.org, "hlc": f"{NOW_MS - 1000 + n:013d}-00000-{sender.installation_id}",
            "vv": {sender.installation_id: 1}, "deleted": False, "data": data}


@pytest.fixture
def pair(make_ctx, monkeypatch):
    """A forum and the secretariat that trusts it; packages are read back four records at a time."""
    monkeypatch.setattr(package_module, "BATCH", 4)
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    return forum, secretariat


def counts(ctx) -> tuple[int, int, int]:
    with ctx.db.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # type: ignore[return-value]
                     for t in ("needs", "received_packages", "import_journal"))


def test_a_bad_record_at_the_very_end_writes_nothing(pair, tmp_path):
    forum, secretariat = pair
    good = [need_env(forum, n) for n in range(25)]
    bad = need_env(forum, 25, lg_code="999999")  # no such municipality
    path = write(tmp_path / "p.jcimsync", key_of(forum), org=forum.org, installation=forum.installation_id,
                 files={"needs": [*good, bad]})
    checked = sync.check_package(secretariat, path)  # the streaming pass: shapes, hashes, trust
    assert checked.package.counts == {"needs": 26}
    assert not hasattr(checked.package, "records")  # nothing of the records is kept
    before = content(secretariat)

    (outcome,) = sync.import_packages(secretariat, [path])
    assert outcome.status == "rejected" and outcome.code == "invalid_record"
    assert "records/needs.jsonl の 26 行目" in outcome.reason and bad["id"] in outcome.reason
    # Six batches of four were merged before the last one failed: all rolled back.
    assert content(secretariat) == before and counts(secretariat) == (0, 0, 0)

    # Without the bad record the same package merges whole, batch by batch.
    path = write(tmp_path / "q.jcimsync", key_of(forum), org=forum.org, installation=forum.installation_id,
                 files={"needs": good})
    (outcome,) = sync.import_packages(secretariat, [path])
    assert outcome.status == "accepted" and outcome.counts.inserted == 25
    assert counts(secretariat)[:2] == (25, 1)
    (undoable,) = sync.undoable_imports(secretariat)  # … and journalled, to be undone
    assert undoable.records == 25


def test_a_file_replaced_between_check_and_merge_is_refused(pair, tmp_path):
    forum, secretariat = pair
    first = write(tmp_path / "p.jcimsync", key_of(forum), org=forum.org, installation=forum.installation_id,
                  files={"needs": [need_env(forum, n) for n in range(10)]})
    other = write(tmp_path / "other.jcimsync", key_of(forum), org=forum.org, installation=forum.installation_id,
                  files={"needs": [need_env(forum, n) for n in range(12)]}, sequence=2)
    checked = sync.check_package(secretariat, first)  # the window shows its preview …
    shutil.copyfile(other, first)  # … and meanwhile the file is replaced
    before = content(secretariat)
    with pytest.raises(PackageRejected) as refused:
        sync.import_checked(secretariat, checked)
    assert refused.value.code == "changed" and "もう一度取り込んで" in refused.value.message
    assert content(secretariat) == before


def test_a_damaged_records_file_is_named_by_its_hash_not_by_the_line_it_breaks(pair, tmp_path):
    """Streaming meets a broken line before the SHA-256 at the file's end: the hash still names it."""
    forum, secretariat = pair
    envs = [need_env(forum, n) for n in range(8)]
    body = b"".join(line(e) + b"\n" for e in envs)
    listed = {"path": "records/needs.jsonl", "sha256": hashlib.sha256(body).hexdigest(), "records": 8}
    damaged = [b'{"id": "' + envs[0]["id"].encode() + b'", "tit', *(line(e) for e in envs[1:])]
    path = write(tmp_path / "p.jcimsync", key_of(forum), org=forum.org, installation=forum.installation_id,
                 files={"needs": damaged}, manifest_over={"files": [listed]})
    (outcome,) = sync.import_packages(secretariat, [path])
    assert outcome.status == "rejected" and outcome.code == "hash_mismatch", outcome.reason
    assert "records/needs.jsonl の中身が manifest.json の SHA-256 と一致しません" in outcome.reason
