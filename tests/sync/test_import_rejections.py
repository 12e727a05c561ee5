"""Every rejection rule of SYNC_FORMAT §2, through the import service: refused, and nothing written."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import code, content
from jcim_desktop.services import records, sync
from jcim_desktop.services.tally import tally
from jcim_desktop.sync import keys, package

Members = list[tuple[str, bytes]]


@pytest.fixture
def pair(make_ctx, tmp_path):
    """A chugoku forum with records, and a secretariat that trusts it and already holds some data."""
    forum, secretariat = make_ctx("chugoku"), make_ctx("secretariat")
    for title in ("橋梁点検", "堤防点検", "トンネル点検"):
        records.create(forum, "needs", {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"],
                                        "requirements": "安価に", "received_on": "2024-05-10", "status": "open"})
    records.create(forum, "events", {"title": "フォーラム", "event_type": "forum", "status": "held",
                                     "planned": {"text": "6月", "start": "2024-06-01", "end": "2024-06-30",
                                                 "precision": "month", "tentative": False},
                                     "held_from": "2024-06-10", "held_to": "2024-06-10", "lg_codes": [code("呉市")],
                                     "counts_as_forum": True})
    records.create(secretariat, "support_activities", {"kind": "visit", "on": "2024-07-01", "lg_code": code("京都市")},
                   owner="municipal_support")
    sync.add_trust(secretariat, forum.public_key, ["chugoku"])
    good = tmp_path / "good.jcimsync"
    sync.export_package(forum, good)
    return forum, secretariat, good


def unpack(path: Path) -> tuple[dict, Members]:
    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    manifest = json.loads(dict(members)["manifest.json"])
    return manifest, members


def sign(manifest: dict, ctx) -> tuple[bytes, bytes]:
    raw = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    signature = keys.load_private_key(ctx.key_dir).sign(raw)
    return raw, base64.b64encode(signature) + b"\n"


def with_records(manifest: dict, members: Members, ctx, path: str, lines: list[bytes]) -> Members:
    """Replace one records file, fix its hash and count in the manifest, and sign again."""
    body = b"".join(line + b"\n" for line in lines)
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry["sha256"] = hashlib.sha256(body).hexdigest()
            entry["records"] = len(lines)
    raw, sig = sign(manifest, ctx)
    out = [(n, d) for n, d in members if n not in ("manifest.json", "manifest.sig", path)]
    return [("manifest.json", raw), ("manifest.sig", sig), *out, (path, body)]


def zip_bytes(members: Members, tweak: Callable[[zipfile.ZipInfo], None] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if tweak:
                tweak(info)
            zf.writestr(info, data)
    return buffer.getvalue()


def need_lines(members: Members) -> list[bytes]:
    return [line for line in dict(members)["records/needs.jsonl"].splitlines() if line]


def craft(rule: str, forum, good: Path, tmp_path: Path, monkeypatch) -> Path:
    manifest, members = unpack(good)
    data: bytes
    if rule == "other_member":
        data = zip_bytes([*members, ("notes.txt", b"hello")])
    elif rule == "duplicate_member":
        data = zip_bytes([*members, members[-1]])
    elif rule in ("dot_dot", "leading_slash", "leading_backslash", "drive_letter", "backslash"):
        name = {"dot_dot": "records/../needs.jsonl", "leading_slash": "/records/x.jsonl",
                "leading_backslash": "\\records\\x.jsonl", "drive_letter": "C:records.jsonl",
                "backslash": "records\\needs.jsonl"}[rule]
        data = zip_bytes([*members, (name, b"{}\n")])
    elif rule == "directory_entry":
        data = zip_bytes([*members, ("records/", b"")])
    elif rule == "link_entry":
        def make_link(info: zipfile.ZipInfo) -> None:
            if info.filename == "records/extra.jsonl":
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
        data = zip_bytes([*members, ("records/extra.jsonl", b"../../etc/passwd")], make_link)
    elif rule == "too_many_members":
        data = zip_bytes([*members, *[(f"records/x{i}.jsonl", b"") for i in range(64)]])
    elif rule == "member_too_large":
        monkeypatch.setattr(package, "MAX_MEMBER_SIZE", 200)
        data = good.read_bytes()
    elif rule == "ratio_too_high":
        lines = need_lines(members)
        padded = [lines[0] + b" " * 200_000, *lines[1:]]
        data = zip_bytes(with_records(manifest, members, forum, "records/needs.jsonl", padded))
    elif rule == "total_too_large":
        monkeypatch.setattr(package, "MAX_TOTAL", 1000)
        data = good.read_bytes()
    elif rule == "encrypted_entry":
        # zipfile clears the flag when writing, so set bit 0 in both headers of one member.
        raw = bytearray(zip_bytes(members))
        name = b"records/needs.jsonl"
        local = raw.find(b"PK\x03\x04" + bytes(raw[4:6]))
        while local != -1:
            if raw[local + 30 : local + 30 + len(name)] == name:
                raw[local + 6] |= 0x1
            local = raw.find(b"PK\x03\x04", local + 4)
        central = raw.find(b"PK\x01\x02")
        while central != -1:
            if raw[central + 46 : central + 46 + len(name)] == name:
                raw[central + 8] |= 0x1
            central = raw.find(b"PK\x01\x02", central + 4)
        data = bytes(raw)
    elif rule == "missing_signature":
        data = zip_bytes([(n, d) for n, d in members if n != "manifest.sig"])
    elif rule == "bad_signature":
        tampered = dict(members)["manifest.json"].replace(b'"sequence": 1', b'"sequence": 7')
        assert tampered != dict(members)["manifest.json"]
        data = zip_bytes([(n, tampered if n == "manifest.json" else d) for n, d in members])
    elif rule == "owner_not_trusted":
        lines = need_lines(members)
        foreign = json.loads(lines[0])
        foreign["owner"] = "kinki"
        data = zip_bytes(with_records(manifest, members, forum, "records/needs.jsonl",
                                      [json.dumps(foreign, ensure_ascii=False).encode(), *lines[1:]]))
    elif rule == "hash_mismatch":
        lines = need_lines(members)
        edited = json.loads(lines[0])
        edited["data"]["title"] += "（改）"
        changed = json.dumps(edited, ensure_ascii=False).encode()
        new = with_records(manifest, members, forum, "records/needs.jsonl", lines)  # manifest of the originals
        data = zip_bytes([(n, b"".join(x + b"\n" for x in [changed, *lines[1:]]) if n == "records/needs.jsonl"
                           else d) for n, d in new])
    elif rule == "count_mismatch":
        lines = need_lines(members)
        signed = with_records(manifest, members, forum, "records/needs.jsonl", lines)
        fixed = json.loads(dict(signed)["manifest.json"])
        for entry in fixed["files"]:
            if entry["path"] == "records/needs.jsonl":
                entry["records"] += 1
        raw, sig = sign(fixed, forum)
        data = zip_bytes([("manifest.json", raw), ("manifest.sig", sig),
                          *[(n, d) for n, d in signed if not n.startswith("manifest")]])
    elif rule == "unknown_format_version":
        manifest["format_version"] = 2
        raw, sig = sign(manifest, forum)
        data = zip_bytes([("manifest.json", raw), ("manifest.sig", sig),
                          *[(n, d) for n, d in members if not n.startswith("manifest")]])
    elif rule == "one_bad_record_among_good":
        lines = need_lines(members)
        bad = json.loads(lines[-1])
        bad["data"]["lg_code"] = "342079"  # wrong check digit
        data = zip_bytes(with_records(manifest, members, forum, "records/needs.jsonl",
                                      [*lines[:-1], json.dumps(bad, ensure_ascii=False).encode()]))
    elif rule == "not_a_zip":
        data = b"PK\x03\x04 this is not really a zip file" * 10
    else:  # pragma: no cover
        raise AssertionError(rule)
    path = tmp_path / f"{rule}.jcimsync"
    path.write_bytes(data)
    return path


RULES = [
    "other_member", "duplicate_member", "dot_dot", "leading_slash", "leading_backslash", "drive_letter",
    "backslash", "directory_entry", "link_entry", "too_many_members", "member_too_large", "ratio_too_high",
    "total_too_large", "encrypted_entry", "missing_signature", "bad_signature", "owner_not_trusted",
    "hash_mismatch", "count_mismatch", "unknown_format_version", "one_bad_record_among_good", "not_a_zip",
]


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # the duplicate is the point
@pytest.mark.parametrize("rule", RULES)
def test_each_rule_refuses_the_package_and_writes_nothing(rule, pair, tmp_path, monkeypatch):
    forum, secretariat, good = pair
    path = craft(rule, forum, good, tmp_path, monkeypatch)
    before, before_tally = content(secretariat), tally(secretariat, 2024)
    backups_before = sorted(p.name for p in (secretariat.data_dir / "backups").glob("*"))

    (outcome,) = sync.import_packages(secretariat, [path])

    assert outcome.status == "rejected", rule
    assert outcome.reason and any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in outcome.reason)
    assert "Error" not in outcome.reason and "Traceback" not in outcome.reason
    assert content(secretariat) == before
    assert tally(secretariat, 2024) == before_tally
    assert sorted(p.name for p in (secretariat.data_dir / "backups").glob("*")) == backups_before


def test_the_untampered_package_is_accepted(pair):
    _, secretariat, good = pair
    (outcome,) = sync.import_packages(secretariat, [good])
    assert outcome.status == "accepted" and outcome.counts.inserted == 4


def test_the_reasons_people_read(pair, tmp_path, monkeypatch):
    forum, secretariat, good = pair
    reasons = {}
    for rule in ("bad_signature", "owner_not_trusted", "one_bad_record_among_good", "unknown_format_version"):
        (outcome,) = sync.import_packages(secretariat, [craft(rule, forum, good, tmp_path, monkeypatch)])
        reasons[rule] = outcome.reason
    assert "署名が一致しません" in reasons["bad_signature"] and "再送" in reasons["bad_signature"]
    assert "近畿フォーラム" in reasons["owner_not_trusted"]
    assert "records/needs.jsonl" in reasons["one_bad_record_among_good"]
    assert "行目" in reasons["one_bad_record_among_good"] and "342076" in reasons["one_bad_record_among_good"]
    assert "更新" in reasons["unknown_format_version"] or "新しい" in reasons["unknown_format_version"]
