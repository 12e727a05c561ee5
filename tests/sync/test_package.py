"""Sync packages (SYNC_FORMAT §2–§3): writing, reading, and every rejection rule.

Packages for the rejection tests are built by hand with ``zipfile`` (as another program, written
from SYNC_FORMAT.md alone, would), so these tests do not trust ``write_package`` to be right.
"""

from __future__ import annotations

import base64
import builtins
import hashlib
import io
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import example, given
from hypothesis import strategies as st

from jcim_desktop.domain.versioning import HlcStamp, vv_is_valid
from jcim_desktop.errors import UserError
from jcim_desktop.sync import package as pkg
from jcim_desktop.sync.keys import key_id, public_key_b64
from jcim_desktop.sync.package import PackageRejected, read_package, write_package

INSTALLATION = "5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
OTHER_NODE = "9e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
EVENTS = "records/events.jsonl"
NEEDS = "records/needs.jsonl"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

Members = list[tuple["str | zipfile.ZipInfo", bytes]]


# --------------------------------------------------------------------------------------
# Hand-made packages
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


_counter = iter(range(1, 10**9))


def envelope(owner: str = "chugoku", *, deleted: bool = False, data: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    n = next(_counter)
    env: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "owner": owner,
        "hlc": f"{1719793800000 + n:013d}-{n % 100000:05d}-{INSTALLATION}",
        "vv": {INSTALLATION: n % 7 + 1, OTHER_NODE: 1},
        "deleted": deleted,
        "data": {"title": f"第{n}回 インフラメンテナンスフォーラム", "lg_codes": ["342076"]} if data is None else data,
    }
    env.update(over)
    return env


def jsonl(envs: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for e in envs)


def manifest_bytes(
    key: Ed25519PrivateKey,
    files: dict[str, bytes],
    counts: dict[str, int] | None = None,
    over: dict[str, Any] | None = None,
    hashes: dict[str, str] | None = None,
) -> bytes:
    manifest: dict[str, Any] = {
        "format": "jcimsync",
        "format_version": 1,
        "package_id": str(uuid.uuid4()),
        "created_at": "2024-07-01T09:30:00+09:00",
        "origin": {"org": "chugoku", "installation": INSTALLATION, "app_version": "0.1.0"},
        "sequence": 12,
        "scope": "org",
        "public_key": public_key_b64(key),
        "files": [
            {
                "path": path,
                "sha256": (hashes or {}).get(path) or hashlib.sha256(data).hexdigest(),
                "records": (counts or {}).get(path, data.count(b"\n")),
            }
            for path, data in files.items()
        ],
    }
    manifest.update(over or {})
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return base64.b64encode(key.sign(data)) + b"\n"


def members(
    key: Ed25519PrivateKey,
    files: dict[str, bytes] | None = None,
    counts: dict[str, int] | None = None,
    manifest: dict[str, Any] | None = None,
    hashes: dict[str, str] | None = None,
) -> Members:
    """The members of a valid package (records first, then manifest.json and manifest.sig)."""
    if files is None:
        files = {EVENTS: jsonl([envelope(), envelope("kinki")]), NEEDS: jsonl([envelope(deleted=True, data={})])}
    data = manifest_bytes(key, files, counts, manifest, hashes)
    return [*files.items(), ("manifest.json", data), ("manifest.sig", sign(key, data))]


def zip_bytes(items: Members, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return buf.getvalue()


def valid(key: Ed25519PrivateKey, **kw: Any) -> bytes:
    return zip_bytes(members(key, **kw))


def replace(items: Members, name: str, data: bytes) -> Members:
    return [(n, data if n == name else d) for n, d in items]


def rejected(source: bytes | Path, code: str) -> PackageRejected:
    with pytest.raises(PackageRejected) as info:
        read_package(source)
    exc = info.value
    assert exc.code == code, (exc.code, exc.message)
    assert isinstance(exc, UserError)
    assert JAPANESE.search(exc.message), exc.message
    assert exc.message == str(exc)
    return exc


# Central-directory surgery on real zip bytes (APPNOTE 4.3.12 / 4.3.7).
_CD = struct.Struct("<4s4B4HL2L5H2L")


def central_records(data: bytes) -> dict[str, int]:
    """name -> offset of its central-directory record (the first one of that name)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offset = zf.start_dir
    found: dict[str, int] = {}
    while data[offset : offset + 4] == b"PK\x01\x02":
        fields = _CD.unpack_from(data, offset)
        name_len, extra_len, comment_len = fields[12], fields[13], fields[14]
        name = data[offset + 46 : offset + 46 + name_len].decode("utf-8")
        found.setdefault(name, offset)
        offset += 46 + name_len + extra_len + comment_len
    return found


def patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def cd_field(data: bytes, name: str, field: str, value: int) -> bytes:
    rel, fmt = {
        "flags": (8, "<H"),
        "compress_size": (20, "<L"),
        "file_size": (24, "<L"),
        "external_attr": (38, "<L"),
        "header_offset": (42, "<L"),
    }[field]
    return patch(data, central_records(data)[name] + rel, fmt, value)


def local_offset(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.getinfo(name).header_offset


# --------------------------------------------------------------------------------------
# Writing and round trip
# --------------------------------------------------------------------------------------


def _write(path: Path, records: Any, key: Ed25519PrivateKey, **kw: Any) -> pkg.Manifest:
    args: dict[str, Any] = {
        "origin_org": "chugoku",
        "installation_id": INSTALLATION,
        "app_version": "0.1.0",
        "sequence": 7,
        "scope": "org",
        "private_key": key,
        "includes_contacts": False,
    }
    args.update(kw)
    return write_package(path, records, **args)


def test_round_trip(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    events = [envelope(), envelope("kinki", data={"title": "絵文字😀と\"引用\"\n改行", "n": 1.5, "x": None})]
    needs = [envelope(deleted=True, data={})]
    target = tmp_path / "out.jcimsync"
    when = datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=9)))
    manifest = _write(
        target, {"events": events, "needs": iter(needs), "seeds": []}, key, created_at=when, includes_contacts=True
    )

    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == sorted([EVENTS, NEEDS, "manifest.json", "manifest.sig"])  # no empty seeds
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
        raw_events = zf.read(EVENTS)
        manifest_raw = zf.read("manifest.json")
        sig = zf.read("manifest.sig")
    assert raw_events == jsonl(events)  # compact, ensure_ascii=False, "\n" after every line
    assert "絵文字😀".encode() in raw_events
    assert sig.endswith(b"\n") and sig.count(b"\n") == 1
    as_json = json.loads(manifest_raw)
    assert list(as_json) == [
        "format", "format_version", "package_id", "created_at", "origin", "sequence", "scope", "public_key", "files",
        "includes_contacts",
    ]
    assert as_json["created_at"] == "2024-07-01T09:30:15+09:00" or re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", as_json["created_at"]
    )
    assert as_json["files"][0] == {"path": EVENTS, "sha256": hashlib.sha256(raw_events).hexdigest(), "records": 2}

    for source in (target, target.read_bytes()):
        package = read_package(source)
        assert package.records == {"events": events, "needs": needs}
        assert package.unknown_entities == []
        assert package.owners() == {"chugoku", "kinki"}
        assert package.record_count() == 3
        assert package.manifest == manifest
        assert package.manifest_bytes == manifest_raw
        m = package.manifest
        assert (m.origin_org, m.origin_installation, m.app_version, m.sequence, m.scope) == (
            "chugoku", INSTALLATION, "0.1.0", 7, "org",
        )
        assert m.includes_contacts is True
        assert uuid.UUID(m.package_id).version == 4
        assert datetime.fromisoformat(m.created_at) == when.replace(microsecond=0)
        assert m.public_key == public_key_b64(key)
        assert m.key_id == key_id(public_key_b64(key))
        assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", m.key_id)
        assert [(f.path, f.records) for f in m.files] == [(EVENTS, 2), (NEEDS, 1)]


def test_created_at_defaults_to_now_with_the_local_offset(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    manifest = _write(tmp_path / "p.jcimsync", {"events": [envelope()]}, key)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", manifest.created_at)
    assert abs(datetime.fromisoformat(manifest.created_at) - datetime.now().astimezone()) < timedelta(minutes=1)
    assert manifest.includes_contacts is False


def test_progress_is_reported(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    calls: list[tuple[int, int]] = []
    _write(tmp_path / "p.jcimsync", {"events": [envelope() for _ in range(2500)]}, key, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (2500, 2500)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_failed_write_leaves_no_file_and_no_temp(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    def exploding() -> Iterator[dict[str, Any]]:
        yield envelope()
        yield envelope()
        raise OSError("disk full")

    target = tmp_path / "p.jcimsync"
    with pytest.raises(OSError, match="disk full"):
        _write(target, {"events": [envelope()], "needs": exploding()}, key)
    assert list(tmp_path.iterdir()) == []

    # An earlier package under the same name survives a failed overwrite untouched.
    _write(target, {"events": [envelope()]}, key)
    before = target.read_bytes()
    with pytest.raises(OSError):
        _write(target, {"events": exploding()}, key)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.jcimsync"]


def test_write_refuses_a_malformed_envelope(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    with pytest.raises(UserError) as info:
        _write(tmp_path / "p.jcimsync", {"events": [envelope(), envelope(vv={})]}, key)
    assert "2 件目" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_hand_made_package_is_accepted(key: Ed25519PrivateKey) -> None:
    items = members(key)
    package = read_package(zip_bytes(items))
    assert package.record_count() == 3
    assert package.manifest.includes_contacts is None  # the extension field is optional
    # Stored instead of deflated, and the signature without or with a CRLF line end: all fine.
    read_package(zip_bytes(items, compression=zipfile.ZIP_STORED))
    sig = dict(items)["manifest.sig"]
    read_package(zip_bytes(replace(items, "manifest.sig", sig.rstrip(b"\n"))))
    read_package(zip_bytes(replace(items, "manifest.sig", sig.rstrip(b"\n") + b"\r\n")))


def test_what_other_writers_may_do_is_accepted(key: Ed25519PrivateKey) -> None:
    events = jsonl([envelope()])
    # Extra manifest fields (new optional fields keep version 1), an upper-case hex digest,
    # a UTF-8 byte order mark before the manifest and the records (as some Windows tools write).
    entry = {"path": EVENTS, "sha256": hashlib.sha256(b"\xef\xbb\xbf" + events).hexdigest().upper(), "records": 1}
    manifest = b"\xef\xbb\xbf" + manifest_bytes(key, {}, over={"files": [entry], "generator": "事務局スクリプト"})
    items: Members = [("manifest.json", manifest), ("manifest.sig", sign(key, manifest)), (EVENTS, b"\xef\xbb\xbf" + events)]
    assert read_package(zip_bytes(items)).record_count() == 1

    # Written to a stream that cannot seek: entries carry data descriptors after their data.
    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = io.BytesIO()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            return self.buf.write(b)

    out = Unseekable()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members(key):
            zf.writestr(name, data)
    streamed = out.buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(streamed)) as zf:
        assert all(i.flag_bits & 0x08 for i in zf.infolist())
    assert read_package(streamed).record_count() == 3


@pytest.mark.skipif(shutil.which("zip") is None, reason="Info-ZIP zip is not installed")
def test_a_package_made_with_the_zip_command_is_accepted(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    # What a secretariat shell script would do: write the files, then `zip -D` (no directory entries).
    # Info-ZIP adds extra fields whose local and central lengths differ.
    work = tmp_path / "work"
    (work / "records").mkdir(parents=True)
    for name, data in members(key):
        assert isinstance(name, str)
        (work / name).write_bytes(data)
    target = tmp_path / "p.jcimsync"
    subprocess.run(["zip", "-q", "-D", str(target), "manifest.json", "manifest.sig", EVENTS, NEEDS], cwd=work, check=True)
    assert read_package(target).record_count() == 3
    subprocess.run(["zip", "-q", "-r", str(tmp_path / "r.jcimsync"), "."], cwd=work, check=True)
    rejected(tmp_path / "r.jcimsync", "not_a_file")  # `zip -r` stores "records/" as a directory entry


def test_an_unknown_entity_file_is_checked_and_not_merged(key: Ed25519PrivateKey) -> None:
    # SYNC_FORMAT §2: unknown records/<entity>.jsonl files (a later version's entities) are not
    # merged; §3: every line of every records file is an envelope, so they are checked as such,
    # their owners need trust and their ids count as ids of the package.
    future = jsonl([envelope("okinawa")])
    package = read_package(valid(key, files={EVENTS: jsonl([envelope()]), "records/site_photos.jsonl": future}))
    assert package.unknown_entities == ["site_photos"]
    assert list(package.records) == ["events"]
    assert package.record_count() == 1
    assert package.owners() == {"chugoku", "okinawa"}  # trust must cover every record in the package
    bad = valid(key, files={"records/site_photos.jsonl": future}, counts={"records/site_photos.jsonl": 2})
    rejected(bad, "count_mismatch")
    tampered = valid(key, files={"records/site_photos.jsonl": future}, hashes={"records/site_photos.jsonl": "0" * 64})
    rejected(tampered, "hash_mismatch")
    event = envelope()
    twice = valid(key, files={EVENTS: jsonl([event]), "records/site_photos.jsonl": jsonl([envelope(id=event["id"])])})
    rejected(twice, "duplicate_id")


def test_nesting_that_could_not_be_written_back_is_refused(key: Ed25519PrivateKey) -> None:
    def nested(levels: int) -> Any:
        value: Any = 1
        for _ in range(levels):
            value = [value]
        return value

    ok = envelope(data={"title": "x", "future": nested(pkg.MAX_DEPTH - 2)})  # envelope and data are 2 levels
    assert read_package(valid(key, files={EVENTS: jsonl([ok])})).record_count() == 1
    deep = envelope(data={"title": "x", "future": nested(pkg.MAX_DEPTH - 1)})
    exc = rejected(valid(key, files={EVENTS: jsonl([deep])}), "bad_record")
    assert "入れ子が深すぎます" in exc.message and deep["id"] in exc.message


def test_64_members_are_allowed(key: Ed25519PrivateKey) -> None:
    files = {f"records/x{i}.jsonl": b"" for i in range(62)}
    package = read_package(valid(key, files=files))
    assert len(package.unknown_entities) == 62 and package.record_count() == 0


def test_reading_never_writes_to_disk(tmp_path: Path, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.jcimsync"
    source.write_bytes(valid(key))
    bomb = tmp_path / "bomb.jcimsync"
    bomb.write_bytes(zip_bytes([*members(key), ("../evil", b"x")]))
    before = sorted(tmp_path.rglob("*"))
    real_open = builtins.open
    real_os_open = os.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert not set(mode) & set("wax+"), f"read_package opened {file!r} with mode {mode!r}"
        return real_open(file, mode, *args, **kwargs)

    def read_only_os_open(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        assert not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND), f"os.open({file!r}) for writing"
        return real_os_open(file, flags, *args, **kwargs)

    def no_extract(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("extracted to disk")

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(os, "open", read_only_os_open)
    monkeypatch.setattr(tempfile, "mkstemp", no_extract)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_extract)
    monkeypatch.setattr(zipfile.ZipFile, "extract", no_extract)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extract)
    read_package(source)
    rejected(bomb, "unsafe_name")
    monkeypatch.undo()
    assert sorted(tmp_path.rglob("*")) == before


def test_a_missing_file_is_a_readable_message(tmp_path: Path) -> None:
    rejected(tmp_path / "nothing.jcimsync", "unreadable")


# --------------------------------------------------------------------------------------
# Rejections: zip structure and limits
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04" + b"\0" * 100])
def test_not_a_zip(data: bytes) -> None:
    rejected(data, "not_zip")


def test_truncated_zip(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    rejected(data[: len(data) // 2], "not_zip")


def test_extra_member(key: Ed25519PrivateKey) -> None:
    exc = rejected(zip_bytes([*members(key), ("readme.txt", b"hello")]), "unexpected_member")
    assert "readme.txt" in exc.message


@pytest.mark.parametrize(
    "name", ["notes/events.jsonl", "records/Events.jsonl", "records/events.json", "records/1x.jsonl", "MANIFEST.JSON"]
)
def test_member_outside_the_allowlist(key: Ed25519PrivateKey, name: str) -> None:
    rejected(zip_bytes([*members(key), (name, b"")]), "unexpected_member")


def with_member_named(items: Members, name: str) -> bytes:
    """A zip of ``items`` plus one member called ``name`` exactly as given (zipfile itself would cut
    names at NUL and, on Windows, turn "\\" into "/"): a placeholder's bytes are patched."""
    raw = name.encode("utf-8")
    placeholder = b"\x7e" * len(raw)  # "~~~~": in no other name, and the data is stored
    data = zip_bytes([*items, (placeholder.decode(), b"x")], compression=zipfile.ZIP_STORED)
    assert data.count(placeholder) == 2  # the local header and the central directory
    return data.replace(placeholder, raw)


@pytest.mark.parametrize(
    "name",
    ["../evil", "records/../manifest.json", "/abs", "/records/events.jsonl", "\\abs", "C:evil", "c:/evil",
     "records\\x.jsonl", "records\\..\\..\\evil", "manifest.json\x00.txt", "records/a:b.jsonl"],
)
def test_unsafe_name(key: Ed25519PrivateKey, name: str) -> None:
    rejected(with_member_named(members(key), name), "unsafe_name")


def test_directory_entry(key: Ed25519PrivateKey) -> None:
    directory = zipfile.ZipInfo("records/")
    directory.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
    rejected(zip_bytes([(directory, b""), *members(key)]), "not_a_file")


def test_directory_by_mode_only(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    rejected(cd_field(data, EVENTS, "external_attr", (stat.S_IFDIR | 0o755) << 16), "not_a_file")


def test_symlink_entry(key: Ed25519PrivateKey) -> None:
    link = zipfile.ZipInfo(EVENTS)
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    items = [(n, d) for n, d in members(key) if n != EVENTS]
    rejected(zip_bytes([(link, b"../../../etc/passwd"), *items]), "not_a_file")


def test_65_members(key: Ed25519PrivateKey) -> None:
    extra: Members = [(f"records/x{i}.jsonl", b"") for i in range(63)]
    rejected(zip_bytes([*members(key), *extra]), "too_many_members")


def test_declared_size_over_256_mib(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    rejected(cd_field(data, EVENTS, "file_size", pkg.MAX_MEMBER_SIZE + 1), "member_too_large")


def test_more_bytes_than_declared_is_refused(key: Ed25519PrivateKey) -> None:
    # The directory says 10 bytes; the stored data is longer. zipfile stops at 10 and the CRC fails.
    data = zip_bytes(members(key), compression=zipfile.ZIP_STORED)
    exc = rejected(cd_field(data, EVENTS, "file_size", 10), "not_zip")
    assert EVENTS in exc.message


def test_compression_ratio_over_200(key: Ed25519PrivateKey) -> None:
    bomb = b"a" * (1024 * 1024)  # deflates about 1000:1
    rejected(zip_bytes([*members(key), ("records/bomb.jsonl", bomb)]), "ratio_too_high")


def test_zero_compressed_size_counts_as_infinite_ratio(key: Ed25519PrivateKey) -> None:
    rejected(cd_field(valid(key), EVENTS, "compress_size", 0), "ratio_too_high")


def test_total_over_the_limit(key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch) -> None:
    data = valid(key)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        total = sum(i.file_size for i in zf.infolist())
    monkeypatch.setattr(pkg, "MAX_TOTAL", total - 1)
    rejected(data, "total_too_large")
    monkeypatch.setattr(pkg, "MAX_TOTAL", total)
    read_package(data)


def test_encrypted_entry(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    local = local_offset(data, EVENTS)
    data = cd_field(data, EVENTS, "flags", 0x1)
    rejected(patch(data, local + 6, "<H", 0x1), "encrypted")


def test_encrypted_flag_in_the_local_header_only(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    rejected(patch(data, local_offset(data, EVENTS) + 6, "<H", 0x1), "encrypted")


def test_unsupported_compression(key: Ed25519PrivateKey) -> None:
    rejected(zip_bytes(members(key), compression=zipfile.ZIP_BZIP2), "unsupported_compression")


def test_overlapping_entries_two_directory_records_one_local_header(key: Ed25519PrivateKey) -> None:
    # manifest.sig's directory record points at manifest.json's local header (CVE-2024-0450 style).
    data = valid(key)
    rejected(cd_field(data, "manifest.sig", "header_offset", local_offset(data, "manifest.json")), "overlapping_entries")


def test_overlapping_entries_data_running_into_the_next_entry(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        size = zf.getinfo(EVENTS).compress_size
    rejected(cd_field(data, EVENTS, "compress_size", size + 40), "overlapping_entries")


def test_entry_running_into_the_central_directory(key: Ed25519PrivateKey) -> None:
    data = valid(key)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        size = zf.getinfo("manifest.sig").compress_size
    rejected(cd_field(data, "manifest.sig", "compress_size", size + 20), "overlapping_entries")


def test_duplicate_member_name(key: Ed25519PrivateKey) -> None:
    items = members(key)
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_bytes([*items, ("manifest.json", dict(items)["manifest.json"])])
    rejected(data, "duplicate_member")


# --------------------------------------------------------------------------------------
# Rejections: manifest and signature
# --------------------------------------------------------------------------------------


def test_missing_manifest(key: Ed25519PrivateKey) -> None:
    rejected(zip_bytes([(n, d) for n, d in members(key) if n != "manifest.json"]), "missing_manifest")


def test_missing_signature(key: Ed25519PrivateKey) -> None:
    rejected(zip_bytes([(n, d) for n, d in members(key) if n != "manifest.sig"]), "missing_signature")


def test_tampered_manifest_byte(key: Ed25519PrivateKey) -> None:
    items = members(key)
    manifest = dict(items)["manifest.json"]
    assert b'"sequence": 12' in manifest
    exc = rejected(zip_bytes(replace(items, "manifest.json", manifest.replace(b'"sequence": 12', b'"sequence": 13'))), "bad_signature")
    assert exc.message == "署名が一致しません（途中で書き換えられたか、壊れています）。送り主に再送を依頼してください。"


def test_signature_by_another_key(key: Ed25519PrivateKey) -> None:
    items = members(key)
    other = Ed25519PrivateKey.generate()
    rejected(zip_bytes(replace(items, "manifest.sig", sign(other, dict(items)["manifest.json"]))), "bad_signature")


@pytest.mark.parametrize("sig", [b"not base64!!\n", b"", base64.b64encode(b"short") + b"\n", b"\xff\xfe"])
def test_signature_not_base64_or_wrong_length(key: Ed25519PrivateKey, sig: bytes) -> None:
    rejected(zip_bytes(replace(members(key), "manifest.sig", sig)), "bad_signature")


@pytest.mark.parametrize("public_key", ["%%%", base64.b64encode(b"x" * 31).decode()])
def test_bad_public_key(key: Ed25519PrivateKey, public_key: str) -> None:
    rejected(valid(key, manifest={"public_key": public_key}), "bad_signature")


@pytest.mark.parametrize("version", [2, 0])
def test_unknown_format_version(key: Ed25519PrivateKey, version: int) -> None:
    exc = rejected(valid(key, manifest={"format_version": version}), "unknown_format_version")
    assert "更新" in exc.message


def _signed_manifest(key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    events = jsonl([envelope()])
    return zip_bytes([(EVENTS, events), ("manifest.json", manifest), ("manifest.sig", sign(key, manifest))])


@pytest.mark.parametrize(
    "over",
    [
        {"format": "zip"},
        {"format_version": "1"},
        {"format_version": True},
        {"package_id": "not-a-uuid"},
        {"package_id": 12},
        {"created_at": "yesterday"},
        {"origin": {"org": "tokyo", "installation": INSTALLATION, "app_version": "0.1.0"}},
        {"origin": {"org": "chugoku", "installation": "laptop-1", "app_version": "0.1.0"}},
        {"origin": {"org": "chugoku", "installation": INSTALLATION}},
        {"origin": "chugoku"},
        {"sequence": -1},
        {"sequence": "12"},
        {"sequence": True},
        {"sequence": 1.0},
        {"scope": "all"},
        {"public_key": None},
        {"files": {}},
        {"files": [{"path": EVENTS, "sha256": "abc", "records": 1}]},
        {"files": [{"path": EVENTS, "sha256": "0" * 64, "records": -1}]},
        {"files": [{"path": "records/../x.jsonl", "sha256": "0" * 64, "records": 1}]},
        {"files": [{"path": EVENTS, "sha256": "0" * 64}]},
        {"files": ["records/events.jsonl"]},
        {"includes_contacts": "yes"},
    ],
)
def test_bad_manifest_fields(key: Ed25519PrivateKey, over: dict[str, Any]) -> None:
    rejected(valid(key, manifest=over), "bad_manifest")


@pytest.mark.parametrize(
    "manifest",
    [
        b"\xff\xfe{}",
        b"{not json",
        b"[]",
        b'{"format": "jcimsync", "format": "jcimsync", "format_version": 1}',
        b'{"format": "jcimsync", "format_version": NaN}',
    ],
)
def test_manifest_not_utf8_json_object(key: Ed25519PrivateKey, manifest: bytes) -> None:
    rejected(_signed_manifest(key, manifest), "bad_manifest")


def test_duplicate_file_in_manifest(key: Ed25519PrivateKey) -> None:
    events = jsonl([envelope()])
    entry = {"path": EVENTS, "sha256": hashlib.sha256(events).hexdigest(), "records": 1}
    manifest = manifest_bytes(key, {}, over={"files": [entry, entry]})
    rejected(zip_bytes([(EVENTS, events), ("manifest.json", manifest), ("manifest.sig", sign(key, manifest))]), "bad_manifest")


# --------------------------------------------------------------------------------------
# Rejections: the records files
# --------------------------------------------------------------------------------------


def test_records_file_not_listed_in_the_manifest(key: Ed25519PrivateKey) -> None:
    items = members(key)
    exc = rejected(zip_bytes([("records/trials.jsonl", jsonl([envelope()])), *items]), "file_mismatch")
    assert "records/trials.jsonl" in exc.message


def test_listed_file_absent(key: Ed25519PrivateKey) -> None:
    rejected(zip_bytes([(n, d) for n, d in members(key) if n != NEEDS]), "file_mismatch")


def test_hash_mismatch(key: Ed25519PrivateKey) -> None:
    events = jsonl([envelope()])
    manifest = manifest_bytes(key, {EVENTS: events})
    tampered = events.replace(b"chugoku", b"tottori")  # same length, other bytes
    items: Members = [(EVENTS, tampered), ("manifest.json", manifest), ("manifest.sig", sign(key, manifest))]
    rejected(zip_bytes(items), "hash_mismatch")


@pytest.mark.parametrize("declared", [0, 1, 3])
def test_count_mismatch(key: Ed25519PrivateKey, declared: int) -> None:
    rejected(valid(key, files={EVENTS: jsonl([envelope(), envelope()])}, counts={EVENTS: declared}), "count_mismatch")


def test_last_line_without_newline_is_counted(key: Ed25519PrivateKey) -> None:
    events = jsonl([envelope(), envelope()]).rstrip(b"\n")
    assert read_package(valid(key, files={EVENTS: events}, counts={EVENTS: 2})).record_count() == 2


def noise(n: int) -> str:
    """``n`` characters that do not compress (so the zip ratio rule does not answer first)."""
    return "".join(uuid.uuid4().hex for _ in range(n // 32 + 1))[:n]


def _bad_line(**over: Any) -> bytes:
    return json.dumps(envelope(**over), ensure_ascii=False).encode()


BAD_LINES: dict[str, bytes] = {
    "not json": b'{"id": ',
    "array": b"[1, 2]",
    "string": b'"hello"',
    "data {} without deleted": _bad_line(data={}),
    "data is a list": _bad_line(data=[]),
    "missing key": json.dumps({k: v for k, v in envelope().items() if k != "vv"}).encode(),
    "id not a uuid": _bad_line(id="event-1"),
    "id not a string": _bad_line(id=1),
    "unknown owner": _bad_line(owner="tokyo"),
    "bad hlc": _bad_line(hlc="2024-07-01"),
    "hlc not a string": _bad_line(hlc=1719793800000),
    "empty vv": _bad_line(vv={}),
    "negative vv": _bad_line(vv={INSTALLATION: -1}),
    "vv counter 0": _bad_line(vv={INSTALLATION: 0}),
    "vv counter 2^53": _bad_line(vv={INSTALLATION: 2**53}),
    "vv counter 2^64": _bad_line(vv={INSTALLATION: 2**64}),
    "vv counter with a fraction": _bad_line(vv={INSTALLATION: 1}).replace(b": 1}", b": 1.0}"),
    "vv counter with an exponent": _bad_line(vv={INSTALLATION: 1}).replace(b": 1}", b": 1e0}"),
    "vv key in upper case": _bad_line(vv={INSTALLATION.upper(): 1}),
    "vv key not a uuid": _bad_line(vv={"node-a": 1}),
    "upper-case id": _bad_line(id=str(uuid.uuid4()).upper()),
    "id in braces": _bad_line(id="{" + str(uuid.uuid4()) + "}"),
    "id without hyphens": _bad_line(id=uuid.uuid4().hex),
    "hlc node in upper case": _bad_line(hlc=f"1719793800000-00000-{INSTALLATION.upper()}"),
    "hlc node not a uuid": _bad_line(hlc="1719793800000-00000-node-a"),
    "hlc with 14 digits": _bad_line(hlc=f"10000000000000-00000-{INSTALLATION}"),
    "NUL in a string": _bad_line(data={"title": "a\u0000b"}),
    "NUL in a key": _bad_line(data={"ti\u0000tle": "a"}),
    "lone surrogate": _bad_line(data={"title": "x"}).replace(b'"x"', b'"\\ud800"'),
    "lone low surrogate in a key": _bad_line(data={"k": "x"}).replace(b'"k"', b'"\\udc00"'),
    "duplicate key in data": _bad_line(data={"title": "x"}).replace(b'"title": "x"', b'"title": "x", "title": "y"'),
    "duplicate key in the envelope": _bad_line(owner="chugoku").replace(b'"owner": "chugoku"', b'"owner": "chugoku", "owner": "kinki"'),
    "duplicate key written compactly": jsonl([envelope(data={"title": "x"})]).rstrip(b"\n").replace(b'"title":"x"', b'"title":"x","title":"y"'),
    "string of 100,001 characters": _bad_line(data={"title": noise(100_001)}),
    "line over 1 MiB": _bad_line(data={f"t{i}": noise(90_000) for i in range(12)}),
    "number overflowing to infinity": _bad_line(data={"n": 1}).replace(b'"n": 1', b'"n": 1e400'),
    "vv counter is a bool": _bad_line(vv={INSTALLATION: True}),
    "deleted is a string": _bad_line(deleted="false"),
    "NaN": _bad_line(data={"n": 1}).replace(b'"n": 1', b'"n": NaN'),
    "deep nesting": b'{"id": ' + b"[" * 2_000 + b"]" * 2_000 + b"}",
    "non-UTF-8": _bad_line(data={"title": "広島"}).replace("広島".encode(), "広島".encode("shift_jis")),
    "empty line": b"",
    "blank line": b"   ",
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_bad_record_line(key: Ed25519PrivateKey, case: str) -> None:
    lines = [json.dumps(envelope(), ensure_ascii=False).encode() for _ in range(2)] + [BAD_LINES[case]]
    events = b"\n".join(lines) + b"\n"
    exc = rejected(valid(key, files={EVENTS: events}, counts={EVENTS: 3}), "bad_record")
    assert re.match(r"records/events\.jsonl の 3 行目(（id [^）]+）)?: ", exc.message), exc.message


def test_a_bad_line_names_the_record_and_the_field(key: Ed25519PrivateKey) -> None:
    env = envelope(data={"title": noise(100_001)})
    exc = rejected(valid(key, files={EVENTS: jsonl([env])}), "bad_record")
    assert env["id"] in exc.message and "data.title" in exc.message and "100,000" in exc.message
    env = envelope(data={"title": "a\u0000b"})
    exc = rejected(valid(key, files={EVENTS: jsonl([env])}), "bad_record")
    assert env["id"] in exc.message and "data.title" in exc.message and "NUL" in exc.message


def test_duplicate_id_within_a_file(key: Ed25519PrivateKey) -> None:
    first = envelope()
    again = envelope(id=first["id"])
    exc = rejected(valid(key, files={EVENTS: jsonl([envelope(), first, again])}), "duplicate_id")
    assert exc.message.startswith("records/events.jsonl の 3 行目: ")
    assert "重複" in exc.message and "2 行目" in exc.message


def test_the_same_id_in_two_entity_files(key: Ed25519PrivateKey) -> None:
    event = envelope()
    need = envelope(id=event["id"], data={"title": "同じ id のニーズ"})
    exc = rejected(valid(key, files={EVENTS: jsonl([event]), NEEDS: jsonl([need])}), "duplicate_id")
    assert event["id"] in exc.message and "records/events.jsonl の 1 行目" in exc.message


def test_an_upper_case_copy_of_an_id_is_refused(key: Ed25519PrivateKey) -> None:
    first = envelope()
    exc = rejected(valid(key, files={EVENTS: jsonl([first, envelope(id=first["id"].upper())])}), "bad_record")
    assert "小文字" in exc.message


def test_unknown_envelope_and_manifest_fields_are_ignored(key: Ed25519PrivateKey) -> None:
    env = {**envelope(), "by": "山田", "signature_v2": {"alg": "x"}}
    package = read_package(valid(key, files={EVENTS: jsonl([env])}, manifest={"compression_hint": "zstd", "extra": [1]}))
    assert package.record_count() == 1
    assert package.records["events"][0]["data"] == env["data"]


def test_a_clock_from_the_future_is_refused_naming_the_sender(key: Ed25519PrivateKey) -> None:
    now = 1_780_000_000_000
    day = 24 * 3600 * 1000
    near = envelope(hlc=f"{now + day - 1000:013d}-00000-{INSTALLATION}")
    assert read_package(valid(key, files={EVENTS: jsonl([near])}), now_ms=now).record_count() == 1
    far = envelope(hlc=f"{now + 3 * day + 4 * 3600 * 1000:013d}-00000-{INSTALLATION}")
    with pytest.raises(PackageRejected) as info:
        read_package(valid(key, files={EVENTS: jsonl([near, far])}), now_ms=now)
    assert info.value.code == "clock_ahead"
    assert INSTALLATION in info.value.message and "中国フォーラム" in info.value.message
    assert "約 3 日 4 時間" in info.value.message and far["id"] in info.value.message
    poisoned = envelope(hlc=f"9999999999999-99999-{INSTALLATION}")
    with pytest.raises(PackageRejected) as info:
        read_package(valid(key, files={EVENTS: jsonl([poisoned])}), now_ms=now)
    assert info.value.code == "clock_ahead" and "年" in info.value.message


def test_tombstone_with_empty_data_is_fine(key: Ed25519PrivateKey) -> None:
    package = read_package(valid(key, files={EVENTS: jsonl([envelope(deleted=True, data={})])}))
    assert package.records["events"][0]["data"] == {}


def test_checks_run_in_order_structure_then_manifest_then_files(key: Ed25519PrivateKey) -> None:
    # A bad signature *and* an extra member: the structure is judged first.
    items = replace(members(key), "manifest.sig", b"garbage\n")
    rejected(zip_bytes([*items, ("evil.exe", b"MZ")]), "unexpected_member")
    # A bad signature *and* a hash mismatch: the signature is judged before any records file.
    items = members(key)
    tampered = replace(items, EVENTS, dict(items)[EVENTS][:-2] + b"\n")
    rejected(zip_bytes(replace(tampered, "manifest.sig", b"garbage\n")), "bad_signature")


def test_rejected_packages_leave_no_partial_result(key: Ed25519PrivateKey) -> None:
    # read_package returns nothing at all when the last line of the last file is bad.
    good = jsonl([envelope() for _ in range(50)])
    bad = good + b'{"broken": true}\n'
    with pytest.raises(PackageRejected):
        read_package(valid(key, files={EVENTS: good, NEEDS: bad}))


def test_package_rejected_is_a_user_error() -> None:
    exc = PackageRejected("bad_signature", "署名が一致しません。送り主に再送を依頼してください。")
    assert isinstance(exc, UserError)
    assert exc.code == "bad_signature"
    assert exc.message == "署名が一致しません。送り主に再送を依頼してください。"


def test_write_uses_regular_file_modes(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    target = tmp_path / "p.jcimsync"
    _write(target, {"events": [envelope()]}, key)
    with zipfile.ZipFile(target) as zf:
        for info in zf.infolist():
            assert stat.S_ISREG(info.external_attr >> 16)
            assert not info.flag_bits & 1
    assert os.path.getsize(target) > 0


# The envelope check uses a regex for hlc and an inlined vv check (for speed); they must accept
# exactly what the domain's HlcStamp.parse and vv_is_valid accept.

_HLC_PARTS = st.one_of(
    st.text(alphabet="0123456789", min_size=0, max_size=15),
    st.text(alphabet="0123456789٣０-a\n", min_size=0, max_size=15),
)


@given(st.builds(lambda a, b, c, sep: f"{a}{sep}{b}{sep}{c}", _HLC_PARTS, _HLC_PARTS, st.text(max_size=40), st.sampled_from(["-", "--", "_"])))
@example(f"1719793800000-00000-{INSTALLATION}")
@example("1719793800000-00000-")
@example("1719793800000-00000-\n")
@example("171979380000٣-00000-x")
@example("1719793800000-00000-a-b-c")
def test_hlc_check_agrees_with_hlcstamp_parse(text: str) -> None:
    try:
        HlcStamp.parse(text)
        expected = True
    except ValueError:
        expected = False
    assert (pkg.envelope_problem(envelope(hlc=text)) is None) is expected


_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=3))


@given(st.dictionaries(st.text(max_size=3), _JSON_SCALARS, max_size=3))
@example({})
@example({INSTALLATION: 0})
@example({"": 1})
@example({INSTALLATION: True})
def test_vv_check_agrees_with_vv_is_valid(vv: dict[str, Any]) -> None:
    assert (pkg.envelope_problem(envelope(vv=vv)) is None) is (bool(vv) and vv_is_valid(vv))
